//! Every training lesson (`examples/lessons/*.yaml`) asks questions the model answers: for each
//! step that asks, and each kubelet release the lesson claims to cover (or the one release the
//! step pins), the model's answer must be what the lesson's author expects and one of the
//! choices the learner sees. The lesson files are read at run time, so an author can edit one
//! and run `cargo test -p oomlens-core --test it lessons` without a rebuild.

use oomlens_core::evaluate;
use oomlens_core::lesson::{answer, check, choices, parse_lesson, Lesson, Text};
use std::path::{Path, PathBuf};

fn lesson_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/lessons");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

fn lessons() -> Vec<(PathBuf, Lesson)> {
    lesson_files()
        .into_iter()
        .map(|p| {
            let src = std::fs::read_to_string(&p).unwrap();
            let l = parse_lesson(&src).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, l)
        })
        .collect()
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn check_text(t: &Text, what: &str, problems: &mut Vec<String>) {
    if t.en.trim().is_empty() {
        problems.push(format!("{what}: no English"));
    }
    if !has_cjk(&t.zh) {
        problems.push(format!("{what}: the Chinese has no Chinese characters"));
    }
}

#[test]
fn lessons_have_their_shape() {
    let all = lessons();
    assert!(
        all.len() >= 12,
        "{} lessons; the catalogue has at least 12",
        all.len()
    );
    let mut problems = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for (path, l) in &all {
        let stem = path.file_stem().unwrap().to_string_lossy();
        if l.id != stem {
            problems.push(format!(
                "{}: id {} is not the file name",
                path.display(),
                l.id
            ));
        }
        if !ids.insert(l.id.clone()) {
            problems.push(format!("{}: id {} twice", path.display(), l.id));
        }
        if !(4..=8).contains(&l.steps.len()) {
            problems.push(format!("{}: {} steps (4 to 8)", l.id, l.steps.len()));
        }
        if !l.steps.iter().any(|s| s.ask.is_some()) {
            problems.push(format!("{}: asks nothing", l.id));
        }
        if l.sources.is_empty() || l.sources.iter().any(|u| !u.starts_with("https://")) {
            problems.push(format!("{}: sources must be https URLs", l.id));
        }
        check_text(&l.title, &format!("{} title", l.id), &mut problems);
        check_text(&l.question, &format!("{} question", l.id), &mut problems);
        for (i, s) in l.steps.iter().enumerate() {
            check_text(&s.title, &format!("{} step {i} title", l.id), &mut problems);
            check_text(&s.text, &format!("{} step {i} text", l.id), &mut problems);
            if let Some(a) = &s.ask {
                check_text(
                    &a.prompt,
                    &format!("{} step {i} prompt", l.id),
                    &mut problems,
                );
                check_text(
                    &a.explain,
                    &format!("{} step {i} explain", l.id),
                    &mut problems,
                );
                if a.kind.author_choices() == a.choices.is_empty() {
                    problems.push(format!(
                        "{} step {i}: choices are listed for numeric questions only",
                        l.id
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_model_answers_as_the_authors_expect_for_every_release() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (_, l) in lessons() {
        for c in check(&l) {
            checked += 1;
            if !c.holds {
                problems.push(format!(
                    "{} step {} at {}: the author expects {}, the model answers {:?}, choices {:?}",
                    l.id, c.step, c.release, c.expect, c.answer, c.choices
                ));
            }
        }
        // Every step evaluates at the release it is shown for, asking or not.
        for i in 0..l.steps.len() {
            if let Err(e) = evaluate(&l.shown_scenario(i).unwrap()) {
                problems.push(format!("{} step {}: {e}", l.id, i + 1));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 12, "only {checked} answers checked");
}

/// Whether `word` occurs in `text` as a whole token (not inside a longer number or word).
fn holds_token(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(|c| part(c) && c != '-') && !after.is_some_and(|c| part(c) && c != '.')
    })
}

/// A printed handout shows every step's story at once, and a learner may step ahead: no story
/// after a question may state its answer (the answer and its explanation belong in `explain`,
/// shown after the reveal and printed in the key). Checked for answers a text would spell out:
/// numbers, quantities and QoS classes.
#[test]
fn no_later_story_states_an_earlier_answer() {
    use oomlens_core::lesson::AskKind;
    let mut problems = Vec::new();
    for (_, l) in lessons() {
        for (i, s) in l.steps.iter().enumerate() {
            let Some(a) = &s.ask else { continue };
            let spelled = match &a.kind {
                AskKind::TrueFalse { .. } | AskKind::FirstMechanism => continue,
                AskKind::OomScoreAdj { .. }
                | AskKind::Allocatable
                | AskKind::MemoryHigh { .. }
                | AskKind::MemoryMin { .. }
                | AskKind::Qos { .. } => a.expect.clone(),
                _ => continue,
            };
            if spelled == "none" {
                continue;
            }
            for (j, later) in l.steps.iter().enumerate().skip(i + 1) {
                for (lang, text) in [("en", &later.text.en), ("zh", &later.text.zh)] {
                    if holds_token(text, &spelled) {
                        problems.push(format!(
                            "{} step {} ({lang}) states step {}'s answer {spelled}",
                            l.id,
                            j + 1,
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The check can fail.
    assert!(holds_token("its adj is -997.", "-997"));
    assert!(!holds_token("its adj is -9970", "-997"));
    assert!(holds_token("a Burstable pod", "Burstable"));
}

#[test]
fn a_wrong_expectation_is_caught() {
    // The check above can fail: the same lesson with a wrong expectation does.
    let src = std::fs::read_to_string(&lesson_files()[0]).unwrap();
    let l = parse_lesson(&src).unwrap();
    let (i, ask) = l
        .steps
        .iter()
        .enumerate()
        .find_map(|(i, s)| s.ask.as_ref().map(|a| (i, a)))
        .unwrap();
    let sc = l.shown_scenario(i).unwrap();
    let ev = evaluate(&sc).unwrap();
    let r = answer(&ask.kind, &ev).unwrap();
    let offered = choices(&ask.kind, &ev, &ask.choices);
    let wrong = offered.iter().find(|c| !r.matches(c)).unwrap();
    assert!(!r.matches(wrong));
    assert!(r.matches(&ask.expect));
    let mut bad = l.clone();
    bad.steps[i].ask.as_mut().unwrap().expect = wrong.clone();
    assert!(check(&l).iter().all(|c| c.holds));
    assert!(check(&bad).iter().any(|c| c.step == i + 1 && !c.holds));
}

mod robustness {
    use super::*;
    use crate::support::fuzz::{cut_and_shuffled, fuzz_cases};
    use proptest::prelude::*;

    fn all_lines() -> Vec<String> {
        lesson_files()
            .iter()
            .flat_map(|p| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .lines()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: fuzz_cases(64), .. ProptestConfig::default() })]

        /// Lesson files cut, shuffled and mixed with junk never make the reader or the check
        /// panic: they read, or fail naming a field.
        #[test]
        fn cut_lessons_never_panic(
            picks in proptest::collection::vec((0usize..4000, 0usize..120, any::<bool>()), 0..160),
            junk in "[ -~]{0,12}",
        ) {
            let lines = all_lines();
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let text = cut_and_shuffled(&refs, &picks, &junk);
            match parse_lesson(&text) {
                Ok(l) => {
                    let _ = check(&l);
                }
                Err(e) => prop_assert!(!e.message.is_empty()),
            }
        }
    }
}

/// A lesson's pods all fit the node (a pod the scheduler would leave Pending never runs, so a
/// step that shows it running teaches something false), except the pod a `schedules` question
/// asks about.
#[test]
fn every_pod_of_a_lesson_fits_unless_its_scheduling_is_the_question() {
    use oomlens_core::lesson::AskKind;
    let mut problems = Vec::new();
    for (_, l) in lessons() {
        for (i, s) in l.steps.iter().enumerate() {
            let asked = match s.ask.as_ref().map(|a| &a.kind) {
                Some(AskKind::Schedules { target }) => Some(target.as_str()),
                _ => None,
            };
            let mut releases = l.releases.clone();
            if let Some(v) = &s.scenario.kubelet_version {
                releases = vec![v.clone()];
            }
            for r in releases {
                let mut sc = s.scenario.clone();
                sc.kubelet_version = Some(r.clone());
                let Ok(ev) = evaluate(&sc) else { continue };
                for p in ev.pods.iter().filter(|p| !p.schedulable) {
                    let id = format!("{}/{}", p.namespace, p.name);
                    if asked != Some(id.as_str()) {
                        problems.push(format!("{} step {} at {r}: {id} does not fit", l.id, i + 1));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
