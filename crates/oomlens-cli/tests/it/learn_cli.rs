//! `oomlens learn` run as a built binary: a lesson whose answers hold exits 0, one whose author
//! expects what the model does not answer exits 1 and names the step, bad input exits 2.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_oomlens");

fn lesson(name: &str) -> String {
    format!(
        "{}/../../examples/lessons/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).arg("learn").args(args).output().unwrap()
}

#[test]
fn a_lesson_whose_answers_hold_exits_0() {
    let out = run(&[&lesson("limit-is-a-wall.yaml")]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("kubelet 1.28: model limit, expected limit"),
        "{text}"
    );
    assert!(text.ends_with("all hold\n"), "{text}");
    let out = run(&["--format", "json", &lesson("limit-is-a-wall.yaml")]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "limit-is-a-wall");
    assert!(v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["holds"] == true));
}

#[test]
fn a_wrong_expectation_exits_1_and_names_the_step() {
    let src = std::fs::read_to_string(lesson("limit-is-a-wall.yaml")).unwrap();
    let bad = src.replace("expect: web/batch", "expect: web/api");
    assert_ne!(bad, src);
    let dir = std::env::temp_dir().join(format!("oomlens-learn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.yaml");
    std::fs::write(&path, bad).unwrap();
    let out = run(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("model web/batch, expected web/api  ← DOES NOT HOLD"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_2_with_the_field() {
    let dir = std::env::temp_dir().join(format!("oomlens-learn2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.yaml");
    std::fs::write(&path, "id: x\nlevel: expert\n").unwrap();
    let out = run(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("level: expert"), "{err}");
    assert_eq!(run(&["/nonexistent/lesson.yaml"]).status.code(), Some(2));
    assert_eq!(run(&[]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
