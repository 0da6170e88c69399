//! `oomlens explain` run as a built binary: text and JSON output, stdin, exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_oomlens");

fn fixture(name: &str) -> String {
    format!(
        "{}/../oomlens-core/tests/fixtures/k8s/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .arg("explain")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

#[test]
fn text_report_names_kinds_and_lines() {
    let out = run(&[&fixture("mixed_incident_synthetic.txt")], None);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("lines     3–4     kernel OOM report"), "{s}");
    assert!(s.contains("kubectl describe node"), "{s}");
    assert!(s.contains("memory.stat (lines 40–45, cgroup v2)"), "{s}");
    assert!(s.contains("[lines 17, 18, 19]"), "{s}");
    assert!(s.contains("A calculator scenario can be built"), "{s}");
}

#[test]
fn json_output_follows_the_contract() {
    let out = run(
        &[
            "--format",
            "json",
            &fixture("eviction_openshift_release_76967.txt"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["kind"], "eviction_message");
    assert_eq!(v["inputs"][0]["first_line"], 5);
    assert_eq!(v["inputs"][0]["last_line"], 6);
    assert_eq!(
        v["evictions"][0]["offenders"][0]["name"],
        "dptp-controller-manager"
    );
    assert!(v["oom_events"].as_array().unwrap().is_empty());
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["severity"] == "critical"));
    let out = run(
        &["--format=json", &fixture("memory_stat_v1_cgroups_rs.txt")],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["memory_stats"][0]["anon_bytes"], 7746449408i64);
    assert!(v["memory_stats"][0]["usage_bytes"].is_null());
}

#[test]
fn stdin_and_nothing_recognised() {
    let out = run(&["-"], Some(b"just some words\nand more\n"));
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("Nothing recognised."), "{s}");
    let out = run(&["-", "--format", "json"], Some(b"nothing here"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"], serde_json::json!([]));
    assert_eq!(v["findings"][0]["id"], "input.nothing_recognised");
}

#[test]
fn not_utf8_is_an_error() {
    let out = run(&["-"], Some(b"anon 1\nfile \xff\xfe 2\n"));
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("not UTF-8") && e.contains("line 2"), "{e}");
    assert!(out.stdout.is_empty());
}

#[test]
fn usage_errors() {
    for args in [
        &["--format", "xml", "-"][..],
        &[][..],
        &["a", "b"][..],
        &["--bogus"][..],
    ] {
        let out = run(args, Some(b""));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8(out.stderr)
                .unwrap()
                .contains("usage: oomlens explain"),
            "{args:?}"
        );
    }
    let out = run(&["/nonexistent/file"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("cannot read /nonexistent/file"));
}
