//! Golden snapshots of the CLI's reports: `oomlens calc` (JSON and text) for every example
//! and fixture scenario × every modelled kubelet release × no preset and each preset, `oomlens explain`
//! (JSON and text) for every incident example and test fixture, and `oomlens learn` for every lesson. A refactor that keeps every
//! snapshot identical kept every number, order and sentence; a change that moves one shows here.
//!
//! Run `UPDATE_GOLDEN=1 cargo test -p oomlens-cli --test it golden` to rewrite the snapshots
//! (then review `git diff crates/oomlens-cli/tests/golden`).
//!
//! Each report is compared as one document: the JSON flattened to one `path = value` line per
//! leaf (so a diff names the field: `pods[3].containers[0].oom_score_adj = 999`), a `~~~ text`
//! line, then the text report. A snapshot file holds every variant of one input: the first in
//! full (lines prefixed with `|`), each other one as a zero-context unified patch against a
//! parent variant named in its header (`=== 1.33 gke < 1.33`), which keeps a 110-pod scenario's
//! 131 variants to a few hundred kilobytes. A difference prints a unified diff per variant.

use oomlens_core::kubelet::presets::PRESET_NAMES;
use oomlens_core::kubelet::rules::KubeletVersion;
use oomlens_core::scenario::{parse_scenario, Scenario};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How many lines of diff to print per differing variant, and variants to print in all.
const DIFF_LINES: usize = 80;
const DIFF_VARIANTS: usize = 12;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Appends one `path = value` line per leaf of `v` (object keys in the order serde_json's map
/// keeps them: sorted), empty arrays and objects as `[]` / `{}`.
fn flatten(v: &Value, path: &mut String, out: &mut String) {
    let len = path.len();
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, item) in m {
                let plain = !k.is_empty()
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if plain {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                } else {
                    let _ = write!(path, "[{}]", Value::String(k.clone()));
                }
                flatten(item, path, out);
                path.truncate(len);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, item) in a.iter().enumerate() {
                let _ = write!(path, "[{i}]");
                flatten(item, path, out);
                path.truncate(len);
            }
        }
        leaf => {
            let _ = writeln!(out, "{path} = {leaf}");
        }
    }
}

/// The compared document of a report: flattened JSON, a separator, the text report.
fn document(json: &str, text: &str) -> String {
    let mut out = String::new();
    match serde_json::from_str::<Value>(json) {
        Ok(v) => flatten(&v, &mut String::new(), &mut out),
        Err(e) => {
            let _ = writeln!(out, "invalid JSON: {e}");
        }
    }
    out.push_str("~~~ text\n");
    out.push_str(text);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `oomlens calc` on a scenario: its document, or `error: …` as the CLI reports it.
fn calc_document(s: &Scenario) -> String {
    match oomlens_core::evaluate(s) {
        Err(e) => format!("error: {e}\n"),
        Ok(eval) => {
            let json = oomlens_cli::calc::render_json(&eval).expect("serialisable evaluation");
            document(&json, &oomlens_cli::calc::render_text(&eval))
        }
    }
}

/// One variant of an input: its name, the variant its snapshot is a patch against, its document.
struct Variant {
    name: String,
    parent: Option<String>,
    doc: String,
}

fn is_error(doc: &str) -> bool {
    doc.starts_with("error: ")
}

/// Every variant of a scenario: as written, then per release (no preset, then each preset).
/// A release's parent is the previous release that evaluated (else the scenario as written); a
/// preset variant's parent is the same release without a preset when that evaluated.
fn calc_variants(s: &Scenario) -> Vec<Variant> {
    let mut out = vec![Variant {
        name: "as written".to_string(),
        parent: None,
        doc: calc_document(s),
    }];
    let mut last_ok = "as written".to_string();
    let mut minor = KubeletVersion::OLDEST.minor;
    while KubeletVersion::v1(minor) <= KubeletVersion::NEWEST {
        let release = KubeletVersion::v1(minor).to_string();
        let mut base = s.clone();
        base.kubelet_version = Some(release.clone());
        base.node.preset = None;
        let doc = calc_document(&base);
        let ok = !is_error(&doc);
        out.push(Variant {
            name: release.clone(),
            parent: Some(last_ok.clone()),
            doc,
        });
        let preset_parent = if ok {
            release.clone()
        } else {
            "as written".to_string()
        };
        if ok {
            last_ok = release.clone();
        }
        for p in PRESET_NAMES {
            let mut v = base.clone();
            v.node.preset = Some(p.to_string());
            out.push(Variant {
                name: format!("{release} {p}"),
                parent: Some(preset_parent.clone()),
                doc: calc_document(&v),
            });
        }
        minor += 1;
    }
    out
}

fn patch_options() -> diffy::DiffOptions {
    let mut o = diffy::DiffOptions::new();
    o.set_context_len(0);
    o
}

/// The snapshot file of `variants`.
fn write_snapshot(title: &str, variants: &[Variant]) -> String {
    let mut out = format!(
        "# {title}\n# Written by crates/oomlens-cli/tests/it/golden.rs (UPDATE_GOLDEN=1); see its doc comment.\n"
    );
    for v in variants {
        // An error is one line: written in full.
        let parent = v
            .parent
            .as_ref()
            .filter(|_| !is_error(&v.doc))
            .and_then(|p| variants.iter().find(|x| &x.name == p));
        match parent {
            None => {
                let _ = writeln!(out, "=== {}", v.name);
                for line in v.doc.lines() {
                    let _ = writeln!(out, "|{line}");
                }
            }
            Some(p) => {
                let _ = writeln!(out, "=== {} < {}", v.name, p.name);
                let patch = patch_options().create_patch(&p.doc, &v.doc).to_string();
                // The hunks only: the file names of the header are not ours.
                for line in patch.lines().skip_while(|l| !l.starts_with("@@")) {
                    let _ = writeln!(out, "{line}");
                }
                let rebuilt = apply(&p.doc, &patch);
                assert_eq!(
                    rebuilt.as_deref(),
                    Ok(v.doc.as_str()),
                    "{title}: the patch of {} does not rebuild it",
                    v.name
                );
            }
        }
    }
    out
}

fn apply(base: &str, hunks: &str) -> Result<String, String> {
    let patch_text = if hunks.starts_with("---") {
        hunks.to_string()
    } else {
        format!("--- original\n+++ modified\n{hunks}")
    };
    let patch = diffy::Patch::from_str(&patch_text).map_err(|e| format!("bad patch: {e}"))?;
    diffy::apply(base, &patch).map_err(|e| format!("patch does not apply: {e}"))
}

/// The variants a snapshot file holds, documents rebuilt: `(name, document)` in file order.
fn read_snapshot(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, Option<String>, String)> = None;
    let finish = |cur: Option<(String, Option<String>, String)>,
                  out: &mut Vec<(String, String)>|
     -> Result<(), String> {
        let Some((name, parent, body)) = cur else {
            return Ok(());
        };
        let doc = match parent {
            None => body,
            Some(p) => {
                let base = out
                    .iter()
                    .find(|(n, _)| *n == p)
                    .map(|(_, d)| d.as_str())
                    .ok_or_else(|| format!("variant {name}: no parent {p} before it"))?;
                apply(base, &body).map_err(|e| format!("variant {name}: {e}"))?
            }
        };
        out.push((name, doc));
        Ok(())
    };
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("=== ") {
            finish(current.take(), &mut out)?;
            let (name, parent) = match h.split_once(" < ") {
                Some((n, p)) => (n.to_string(), Some(p.to_string())),
                None => (h.to_string(), None),
            };
            current = Some((name, parent, String::new()));
        } else if line.starts_with('#') && current.is_none() {
            continue;
        } else if let Some((_, parent, body)) = current.as_mut() {
            let content = if parent.is_none() {
                line.strip_prefix('|')
                    .ok_or_else(|| format!("unprefixed line in a full variant: {line:?}"))?
            } else {
                line
            };
            body.push_str(content);
            body.push('\n');
        } else {
            return Err(format!("line outside any variant: {line:?}"));
        }
    }
    finish(current.take(), &mut out)?;
    Ok(out)
}

/// A readable diff of two documents, cut to [`DIFF_LINES`] lines.
fn diff(expected: &str, actual: &str) -> String {
    let patch = diffy::create_patch(expected, actual).to_string();
    let lines: Vec<&str> = patch.lines().collect();
    let mut out = lines
        .iter()
        .take(DIFF_LINES)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > DIFF_LINES {
        let _ = write!(out, "\n… {} more diff lines", lines.len() - DIFF_LINES);
    }
    out
}

/// Compares (or, with `UPDATE_GOLDEN`, rewrites) one snapshot file. Returns the problems found.
fn check(file: &Path, title: &str, variants: &[Variant]) -> Vec<String> {
    let rel = file
        .strip_prefix(golden_dir())
        .unwrap_or(file)
        .display()
        .to_string();
    if updating() {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).expect("create the golden directory");
        }
        std::fs::write(file, write_snapshot(title, variants)).expect("write a golden file");
        return Vec::new();
    }
    let stored = match std::fs::read_to_string(file) {
        Ok(s) => s,
        Err(e) => {
            return vec![format!(
                "{rel}: cannot read ({e}); run with UPDATE_GOLDEN=1"
            )]
        }
    };
    let expected = match read_snapshot(&stored) {
        Ok(v) => v,
        Err(e) => return vec![format!("{rel}: unreadable snapshot: {e}")],
    };
    let mut problems = Vec::new();
    let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
    let stored_names: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    if names != stored_names {
        problems.push(format!(
            "{rel}: the snapshot holds variants {stored_names:?} but the test makes {names:?}"
        ));
        return problems;
    }
    for (v, (_, want)) in variants.iter().zip(&expected) {
        if &v.doc != want {
            problems.push(format!("{rel} [{}]:\n{}", v.name, diff(want, &v.doc)));
        }
    }
    problems
}

fn files_in(dir: &Path, ext: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| ext.contains(&x))
        })
        .collect();
    out.sort();
    out
}

/// Fails when a snapshot file has no input any more (renamed or deleted); deletes it with
/// `UPDATE_GOLDEN`.
fn stale(dir: &Path, wanted: &[PathBuf]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if !wanted.contains(&p) {
            if updating() {
                let _ = std::fs::remove_file(&p);
            } else {
                out.push(format!("{}: no such input any more", p.display()));
            }
        }
    }
    out
}

fn report(problems: Vec<String>) {
    if problems.is_empty() {
        return;
    }
    let n = problems.len();
    let shown: Vec<String> = problems.into_iter().take(DIFF_VARIANTS).collect();
    panic!(
        "{n} golden difference(s) (UPDATE_GOLDEN=1 rewrites the snapshots; say in the commit which number changed and why):\n\n{}",
        shown.join("\n\n")
    );
}

#[test]
fn golden_calc_every_example_release_and_preset() {
    let dir = golden_dir().join("calc");
    let mut wanted = Vec::new();
    let mut problems = Vec::new();
    for src in [
        "examples/scenarios",
        "crates/oomlens-core/tests/fixtures/scenarios",
    ] {
        for path in files_in(&workspace().join(src), &["yaml", "json"]) {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            let text = std::fs::read_to_string(&path).expect("read a scenario");
            let scenario = parse_scenario(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let file = dir.join(format!("{name}.golden"));
            problems.extend(check(
                &file,
                &format!("oomlens calc {src}/{name}: as written, every kubelet release, no preset and each preset"),
                &calc_variants(&scenario),
            ));
            wanted.push(file);
        }
    }
    problems.extend(stale(&dir, &wanted));
    report(problems);
}

#[test]
fn golden_learn_every_lesson() {
    let dir = golden_dir().join("learn");
    let mut wanted = Vec::new();
    let mut problems = Vec::new();
    for path in files_in(&workspace().join("examples/lessons"), &["yaml"]) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let text = std::fs::read_to_string(&path).expect("read a lesson");
        let lesson =
            oomlens_core::lesson::parse_lesson(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let checks = oomlens_core::lesson::check(&lesson);
        let json = oomlens_cli::learn::render_json(&lesson, &checks).expect("serialisable checks");
        let doc = document(&json, &oomlens_cli::learn::render_text(&lesson, &checks));
        let file = dir.join(format!("{name}.golden"));
        problems.extend(check(
            &file,
            &format!("oomlens learn examples/lessons/{name}"),
            &[Variant {
                name: "as written".to_string(),
                parent: None,
                doc,
            }],
        ));
        wanted.push(file);
    }
    problems.extend(stale(&dir, &wanted));
    report(problems);
}

#[test]
fn golden_explain_every_incident_example_and_fixture() {
    let dir = golden_dir().join("explain");
    let ws = workspace();
    let sources = [
        "examples/incidents",
        "crates/oomlens-core/tests/fixtures/k8s",
        "crates/oomlens-core/tests/fixtures/kernel",
        "crates/oomlens-core/tests/fixtures/pods",
    ];
    let mut wanted = Vec::new();
    let mut problems = Vec::new();
    for src in sources {
        for path in files_in(&ws.join(src), &["txt", "log", "yaml", "json"]) {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            if name.starts_with("LICENSE") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read a fixture");
            let ex = oomlens_core::explain(&text);
            let json = oomlens_cli::explain::render_json(&ex).expect("serialisable explanation");
            let doc = document(&json, &oomlens_cli::explain::render_text(&ex));
            let short = src.rsplit('/').next().unwrap_or(src);
            let file = dir.join(format!("{short}__{name}.golden"));
            problems.extend(check(
                &file,
                &format!("oomlens explain {src}/{name}"),
                &[Variant {
                    name: "explain".to_string(),
                    parent: None,
                    doc,
                }],
            ));
            wanted.push(file);
        }
    }
    problems.extend(stale(&dir, &wanted));
    report(problems);
}

#[test]
fn snapshots_round_trip() {
    // The storage itself: a full variant, a patch with insertions, deletions and changes, an
    // error variant and a variant identical to its parent rebuild exactly.
    let a = "x = 1\ny = 2\n~~~ text\nhello\n".to_string();
    let b = "x = 1\ny = 3\nz = 4\n~~~ text\n".to_string();
    let variants = vec![
        Variant {
            name: "a".into(),
            parent: None,
            doc: a.clone(),
        },
        Variant {
            name: "b".into(),
            parent: Some("a".into()),
            doc: b.clone(),
        },
        Variant {
            name: "c".into(),
            parent: Some("b".into()),
            doc: "error: no\n".into(),
        },
        Variant {
            name: "d".into(),
            parent: Some("a".into()),
            doc: a.clone(),
        },
    ];
    let file = write_snapshot("t", &variants);
    let read = read_snapshot(&file).expect("readable");
    let docs: Vec<&str> = read.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(
        docs,
        vec![a.as_str(), b.as_str(), "error: no\n", a.as_str()]
    );
    let mut flat = String::new();
    flatten(
        &serde_json::json!({"b": [1, {"c d": null}], "a": {}, "e": []}),
        &mut String::new(),
        &mut flat,
    );
    assert_eq!(flat, "a = {}\nb[0] = 1\nb[1][\"c d\"] = null\ne = []\n");
}
