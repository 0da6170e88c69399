//! `oomlens learn FILE [--format text|json]`: checks a training lesson (`examples/lessons/`)
//! against the model. For every step that asks, at every kubelet release the lesson covers (or
//! the one its step pins), it prints the model's answer beside the author's expectation and the
//! choices a learner sees. Exit codes: 0 (every answer holds), 1 (one does not), 2 (usage error,
//! unreadable file or a lesson that does not read).

use oomlens_core::lesson::{check, parse_lesson, Check, Lesson};
use std::fmt::Write as _;
use std::process::ExitCode;

const USAGE: &str = "usage: oomlens learn FILE [--format text|json]";

/// The text report: the lesson, then one line per asking step and release.
pub fn render_text(lesson: &Lesson, checks: &[Check]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", lesson.id, lesson.title.en);
    let _ = writeln!(out, "{}", lesson.question.en);
    let _ = writeln!(
        out,
        "{} steps, kubelet {}",
        lesson.steps.len(),
        lesson.releases.join(", ")
    );
    for (i, s) in lesson.steps.iter().enumerate() {
        let _ = writeln!(out, "\nstep {}: {}", i + 1, s.title.en);
        let Some(ask) = &s.ask else { continue };
        let _ = writeln!(out, "  asks: {}", ask.prompt.en);
        for c in checks.iter().filter(|c| c.step == i + 1) {
            let answer = match &c.answer {
                Ok(a) => a.clone(),
                Err(e) => format!("none ({e})"),
            };
            let _ = writeln!(
                out,
                "  kubelet {}: model {answer}, expected {}{}",
                c.release,
                c.expect,
                if c.holds { "" } else { "  ← DOES NOT HOLD" }
            );
        }
    }
    let failing = checks.iter().filter(|c| !c.holds).count();
    let _ = writeln!(
        out,
        "\n{} answer(s) checked, {}",
        checks.len(),
        if failing == 0 {
            "all hold".to_string()
        } else {
            format!("{failing} do not hold")
        }
    );
    out
}

/// The JSON report: `{"id", "releases", "checks": [{step, release, expect, answer, choices,
/// holds}]}` (`answer` is `{"Ok": …}` or `{"Err": why}`), pretty-printed with a final newline.
pub fn render_json(lesson: &Lesson, checks: &[Check]) -> Result<String, serde_json::Error> {
    let v = serde_json::json!({
        "id": lesson.id,
        "releases": lesson.releases,
        "checks": checks,
    });
    serde_json::to_string_pretty(&v).map(|s| s + "\n")
}

/// Runs `oomlens learn` with the arguments after the subcommand.
pub fn run(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut json = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--format" | "--format=text" | "--format=json" => {
                let v = match a.strip_prefix("--format=") {
                    Some(v) => Some(v.to_string()),
                    None => it.next().cloned(),
                };
                match v.as_deref() {
                    Some("text") => json = false,
                    Some("json") => json = true,
                    _ => {
                        eprintln!("oomlens learn: --format needs text or json\n{USAGE}");
                        return ExitCode::from(2);
                    }
                }
            }
            other if other.starts_with("--") => {
                eprintln!("oomlens learn: unknown option {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
            other if file.is_none() => file = Some(other.to_string()),
            other => {
                eprintln!("oomlens learn: unexpected argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("oomlens learn: missing lesson file\n{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("oomlens learn: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let lesson = match parse_lesson(&text) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("oomlens learn: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let checks = check(&lesson);
    let out = if json {
        match render_json(&lesson, &checks) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("oomlens learn: cannot encode JSON: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        render_text(&lesson, &checks)
    };
    let code = crate::write_stdout(&out);
    if checks.iter().all(|c| c.holds) {
        code
    } else {
        ExitCode::from(1)
    }
}
