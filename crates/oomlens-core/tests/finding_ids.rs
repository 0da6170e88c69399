//! Every finding id the core emits on the real fixtures (tests/fixtures, examples/incidents) is
//! in `explanation::FINDING_IDS`, the catalogue the UI translates.

use oomlens_core::explanation::{explain, FINDING_IDS};
use std::collections::BTreeSet;
use std::path::Path;

fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [
        root.join("tests/fixtures/kernel"),
        root.join("tests/fixtures/k8s"),
        root.join("tests/fixtures/pods"),
        root.join("../../examples/incidents"),
    ];
    let mut out = Vec::new();
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let name = p.display().to_string();
            if name.ends_with(".md") || name.contains("LICENSE") {
                continue;
            }
            if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((name, t));
            }
        }
    }
    out
}

#[test]
fn every_emitted_id_is_in_the_catalogue() {
    let files = corpus();
    assert!(files.len() > 40, "fixtures not found: {}", files.len());
    let known: BTreeSet<&str> = FINDING_IDS.iter().copied().collect();
    assert_eq!(
        known.len(),
        FINDING_IDS.len(),
        "duplicate ids in FINDING_IDS"
    );
    let mut seen = BTreeSet::new();
    for (name, text) in &files {
        for f in explain(text).findings {
            assert!(
                known.contains(f.id.as_str()),
                "{name}: id {} is not in FINDING_IDS",
                f.id
            );
            seen.insert(f.id);
        }
    }
    // The corpus exercises a good share of the catalogue (ids seen on real inputs).
    assert!(seen.len() >= 30, "only {} ids seen: {seen:?}", seen.len());
}

#[test]
fn catalogue_ids_are_well_formed() {
    for id in FINDING_IDS {
        let (area, name) = id.split_once('.').unwrap_or(("", ""));
        assert!(!area.is_empty() && !name.is_empty(), "{id}");
        assert!(
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'),
            "{id}"
        );
    }
}

/// Every kernel-choice reason on the fixtures is a `CHOICE_REASONS` id, and `why` is exactly the
/// English of its parts (so a translation keyed by id loses nothing).
#[test]
fn kernel_choice_reasons_are_catalogued() {
    use oomlens_core::explanation::CHOICE_REASONS;
    let mut seen = BTreeSet::new();
    for (name, text) in corpus() {
        for ev in explain(&text).oom_events {
            let Some(c) = ev.kernel_choice else { continue };
            let english: Vec<String> = c.why_parts.iter().map(|p| p.english()).collect();
            assert_eq!(english.join("; "), c.why, "{name}");
            for p in &c.why_parts {
                assert!(
                    CHOICE_REASONS.iter().any(|(id, _)| *id == p.id),
                    "{name}: {} not catalogued",
                    p.id
                );
                assert!(!p.english().contains('{'), "{name}: {}", p.english());
                seen.insert(p.id.clone());
            }
        }
    }
    assert!(seen.len() >= 3, "reasons seen: {seen:?}");
}

/// Arguments are substituted in one pass: a process name that looks like a placeholder is copied
/// verbatim, not filled in turn.
#[test]
fn choice_reason_arguments_are_not_rescanned() {
    use oomlens_core::explanation::ChoiceReason;
    let r = ChoiceReason::new(
        "choice.allocating_task",
        &[("pid", "7".to_string()), ("comm", "{pid}".to_string())],
    );
    assert!(
        r.english().ends_with("the table's worst is PID 7 ({pid})"),
        "{}",
        r.english()
    );
}
