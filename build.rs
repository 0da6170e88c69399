//! Writes each example scenario (`examples/scenarios/*.yaml`, the files the CLI and the docs use)
//! as JSON into `OUT_DIR/examples/`, which the web app compiles in: its first load reads JSON only
//! and carries no YAML reader (see `src/bridge`). A unit test checks that every JSON file reads
//! back as the scenario its YAML file describes.

use std::{env, fs, path::Path};

fn main() {
    let src = Path::new("examples/scenarios");
    println!("cargo:rerun-if-changed={}", src.display());
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("examples");
    fs::create_dir_all(&out).expect("create OUT_DIR/examples");
    let mut entries: Vec<_> = fs::read_dir(src)
        .expect("examples/scenarios")
        .map(|e| e.expect("examples/scenarios entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    entries.sort();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("read example");
        let value: serde_json::Value =
            serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path.file_stem().expect("stem").to_string_lossy();
        fs::write(out.join(format!("{stem}.json")), value.to_string()).expect("write example");
    }
}
