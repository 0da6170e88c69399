//! The model's sentences: every `Message` an evaluation holds renders the English of its JSON
//! (notes, eviction reasons, timeline steps and outcome, preset lines), is catalogued and fills
//! exactly its template's placeholders; the catalogue is sorted and every template renders; an
//! evaluation is a plain value the app can keep in a signal. Checked on every example and fixture
//! scenario at several kubelet releases.

use oomlens_core::base::message::{
    catalogue, find_in, join_english, placeholders, template, Arg, Message, CATALOGUE, MODEL,
};
use oomlens_core::evaluation::Evaluation;
use oomlens_core::scenario::parse_scenario;
use oomlens_core::{evaluate, Scenario};

fn scenarios() -> Vec<(String, Scenario)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files = Vec::new();
    for dir in ["../../examples/scenarios", "tests/fixtures/scenarios"] {
        for e in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 12, "scenarios found: {}", files.len());
    let mut out = Vec::new();
    for p in files {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let base = parse_scenario(&std::fs::read_to_string(&p).unwrap()).unwrap();
        for v in [None, Some("1.25"), Some("1.28"), Some("1.32"), Some("1.37")] {
            let mut s = base.clone();
            if let Some(v) = v {
                s.kubelet_version = Some(v.to_string());
            }
            out.push((format!("{name} @ {v:?}"), s));
        }
    }
    out
}

#[test]
fn messages_render_the_english_sentences() {
    for (name, s) in scenarios() {
        let Ok(e) = evaluate(&s) else { continue };
        let json: serde_json::Value = serde_json::to_value(&e).unwrap();
        let notes: Vec<String> = e.note_messages.iter().map(Message::english).collect();
        assert_eq!(json["notes"], serde_json::json!(notes), "{name}");
        for (i, p) in e.pods.iter().enumerate() {
            assert!(!p.eviction_messages().is_empty());
            assert_eq!(
                json["pods"][i]["eviction_reason"],
                join_english(&p.eviction_messages()),
                "{name}"
            );
        }
        for (i, st) in e.timeline.steps.iter().enumerate() {
            assert_eq!(
                json["timeline"]["steps"][i]["reason"],
                st.message.english(),
                "{name}"
            );
        }
        assert_eq!(
            json["timeline"]["outcome"],
            e.timeline.outcome_message.english(),
            "{name}"
        );
        if let Some(m) = &e.node.preset_message {
            assert_eq!(json["node"]["preset"], m.english(), "{name}");
        }
        // Every message used is catalogued and fills exactly its template's placeholders.
        let clauses: Vec<Message> = e.pods.iter().flat_map(|p| p.eviction_messages()).collect();
        let mut all: Vec<&Message> = e.note_messages.iter().collect();
        all.extend(clauses.iter());
        all.extend(e.timeline.steps.iter().map(|s| &s.message));
        all.push(&e.timeline.outcome_message);
        all.extend(e.node.preset_message.iter());
        while let Some(m) = all.pop() {
            assert!(
                find_in(MODEL, m.id).is_some(),
                "{name}: {} is not in MODEL, which the calculator's module carries",
                m.id
            );
            let t = template(m.id).unwrap_or_else(|| panic!("{name}: uncatalogued {}", m.id));
            let mut names: Vec<&str> = m.args.iter().map(|(n, _)| *n).collect();
            names.sort_unstable();
            let mut want = placeholders(t);
            want.sort_unstable();
            assert_eq!(names, want, "{name}: {}", m.id);
            for (_, a) in &m.args {
                if let Arg::Message(inner) = a {
                    all.push(inner);
                }
            }
        }
    }
}

/// Every preset's formula line as a message renders the English line (`node.preset`).
#[test]
fn preset_messages_render_the_formula_line() {
    use oomlens_core::kubelet::presets::{apply_preset_for_version, PRESET_NAMES};
    use oomlens_core::kubelet::rules::KubeletVersion;
    let mut ids = std::collections::BTreeSet::new();
    for name in PRESET_NAMES {
        for minor in [28, 29, 34] {
            for capacity in [512 << 20, 16 << 30] {
                let p = apply_preset_for_version(
                    name,
                    capacity,
                    Some(58),
                    KubeletVersion { major: 1, minor },
                )
                .unwrap();
                assert_eq!(p.message.english(), p.formula_line(), "{name}");
                assert!(template(p.message.id).is_some(), "{name}");
                ids.insert(p.message.id);
            }
        }
    }
    let catalogued: Vec<&str> = catalogue()
        .map(|(id, _)| *id)
        .filter(|id| id.starts_with("preset."))
        .collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), catalogued);
}

#[test]
fn catalogue_is_sorted_unique_and_renders_every_template() {
    for table in CATALOGUE {
        for w in table.windows(2) {
            assert!(w[0].0 < w[1].0, "{} !< {}", w[0].0, w[1].0);
        }
    }
    let all: Vec<&'static (&'static str, &'static str)> = catalogue().collect();
    let mut ids: Vec<&str> = all.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "an id is in both MODEL and DIAG");
    for (i, (id, t)) in all.iter().enumerate() {
        assert_eq!(template(id), Some(*t));
        let names = placeholders(t);
        let args: Vec<(&'static str, Arg)> = names
            .iter()
            .enumerate()
            .map(|(k, n)| {
                let n: &'static str = all[i].1.split(['{', '}']).find(|x| x == n).unwrap();
                let a = match k % 5 {
                    0 => Arg::Int(-(k as i64) - 7),
                    1 => Arg::ExactBytes(268_435_456),
                    2 => Arg::Float(2.5),
                    3 => Arg::Bytes(1536 << 20),
                    _ => Arg::Message(Box::new(Message::plain("scope.node"))),
                };
                (n, a)
            })
            .collect();
        let m = Message::new(id, args.clone());
        let mut want = t.to_string();
        for (n, a) in &args {
            let r = match a {
                Arg::Int(v) | Arg::ExactBytes(v) => v.to_string(),
                Arg::Float(f) => f.to_string(),
                Arg::Bytes(b) => oomlens_core::base::quantity::format_bytes(*b),
                Arg::Text(s) => s.clone(),
                Arg::Message(inner) => inner.english(),
                Arg::Decimal(f, places) => format!("{f:.*}", usize::from(*places)),
                Arg::List(items, join) => items
                    .iter()
                    .map(Message::english)
                    .collect::<Vec<_>>()
                    .join(join.english()),
            };
            want = want.replace(&format!("{{{n}}}"), &r);
        }
        assert_eq!(m.english(), want, "{id}");
        assert!(!m.english().contains('{'), "{id}");
    }
    assert_eq!(Arg::Bytes(1536 << 20).english(), "1.50 GiB");
    assert_eq!(Message::from_parts("no.such.id", vec![]), None);
    assert_eq!(
        Message::from_parts("choice.highest", vec![("n", Arg::Int(3))]).map(|m| m.english()),
        Some("the victim has the highest badness of 3 candidates".to_string())
    );
    assert_eq!(
        Message::from_parts("choice.highest", vec![("x", Arg::Int(3))]),
        None
    );
}

/// The evaluation stays a plain value the app can keep in a reactive signal: `Send + Sync`,
/// cloned and compared by value (its shared buffers included).
#[test]
fn an_evaluation_is_a_plain_shareable_value() {
    fn send_sync<T: Send + Sync + Clone + PartialEq + 'static>() {}
    send_sync::<Evaluation>();
    let s = &scenarios()[0].1;
    let a = evaluate(s).unwrap();
    let b = evaluate(s).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.oom_scopes(), b.oom_scopes());
    assert_eq!(a.clone(), a);
    let json = serde_json::to_string(&a).unwrap();
    drop(b);
    assert_eq!(serde_json::to_string(&a.clone()).unwrap(), json);
    // Two containers' usages swapped: their places in every kill order swap, so the scopes and
    // the evaluations differ.
    let text = |web: &str, side: &str| {
        format!(
            "node: {{memory: 8Gi}}\npods:\n  - metadata: {{name: a}}\n    spec:\n      containers:\n        - {{name: web, resources: {{limits: {{memory: 2Gi}}}}}}\n        - {{name: side, resources: {{limits: {{memory: 2Gi}}}}}}\nusage: {{default/a/web: {web}, default/a/side: {side}}}\n"
        )
    };
    let one = evaluate(&parse_scenario(&text("1Gi", "100Mi")).unwrap()).unwrap();
    let other = evaluate(&parse_scenario(&text("100Mi", "1Gi")).unwrap()).unwrap();
    assert_ne!(one.oom_scopes(), other.oom_scopes());
    assert_ne!(one, other);
}

/// The incident corpus: every real fixture and example paste.
fn pastes() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for d in [
        "tests/fixtures/kernel",
        "tests/fixtures/k8s",
        "tests/fixtures/pods",
        "../../examples/incidents",
    ] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(d))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let n = p.display().to_string();
                !n.ends_with(".md") && !n.contains("LICENSE")
            })
            .collect();
        files.sort();
        for p in files {
            if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((p.display().to_string(), t));
            }
        }
    }
    assert!(out.len() > 40, "fixtures not found: {}", out.len());
    out
}

/// Every message id and argument name, nested ones included, is catalogued with exactly the
/// placeholders its arguments fill; its English has no placeholder left.
fn check_message(name: &str, m: &Message) {
    let mut all = vec![m];
    while let Some(m) = all.pop() {
        let t = template(m.id).unwrap_or_else(|| panic!("{name}: uncatalogued {}", m.id));
        let mut names: Vec<&str> = m.args.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        let mut want = placeholders(t);
        want.sort_unstable();
        assert_eq!(names, want, "{name}: {}", m.id);
        for (_, a) in &m.args {
            match a {
                Arg::Message(inner) => all.push(inner),
                Arg::List(items, _) => all.extend(items.iter()),
                _ => {}
            }
        }
    }
}

/// Findings, advice and kernel-choice reasons on every real paste are catalogued messages whose
/// arguments fill their templates; a choice's `why` is exactly the English of its parts.
#[test]
fn incident_sentences_are_catalogued_messages() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, text) in pastes() {
        let ex = oomlens_core::explain(&text);
        for f in &ex.findings {
            check_message(&name, &f.message);
            seen.insert(f.id());
            if let Some(a) = &f.advice {
                check_message(&name, a);
            }
            for text in [f.english(), f.advice_english()] {
                assert!(
                    !has_placeholder(&text) && !text.contains(" ?"),
                    "{name}: {text}"
                );
            }
        }
        for ev in &ex.oom_events {
            if let Some(c) = &ev.kernel_choice {
                assert_eq!(join_choice(&c.why_parts), c.why, "{name}");
                for p in &c.why_parts {
                    check_message(&name, p);
                }
            }
        }
    }
    assert!(seen.len() >= 30, "only {} ids seen: {seen:?}", seen.len());
}

fn join_choice(parts: &[Message]) -> String {
    join_english(parts)
}

/// Arguments are substituted in one pass: a process name that looks like a placeholder is copied
/// verbatim, not filled in turn.
#[test]
fn arguments_are_not_rescanned() {
    let m = Message::with(
        "choice.allocating_task",
        [("pid", Arg::Int(7)), ("comm", Arg::Text("{pid}".into()))],
    );
    assert!(
        m.english().ends_with("the table's worst is PID 7 ({pid})"),
        "{}",
        m.english()
    );
}

/// The id-shaped string literals in the first argument of every `Message::plain`/`with`/`new` call of a
/// text (the id, or the ids an `if`/`match` chooses between).
fn ids_in_constructors(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for call in ["Message::plain(", "Message::with(", "Message::new("] {
        let mut rest = text;
        while let Some(at) = rest.find(call) {
            let b = &rest.as_bytes()[at + call.len()..];
            let mut depth = 0i32;
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        let start = i + 1;
                        i += 1;
                        while i < b.len() && b[i] != b'"' {
                            if b[i] == b'\\' {
                                i += 1;
                            }
                            i += 1;
                        }
                        let lit = String::from_utf8_lossy(&b[start..i.min(b.len())]).into_owned();
                        // Ids have a namespace (`area.name`); other literals (a compared value,
                        // an argument's text) are not ids.
                        if lit.contains('.')
                            && lit.chars().all(|c| {
                                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                            })
                        {
                            out.push(lit);
                        }
                    }
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' if depth == 0 => break,
                    b')' | b']' | b'}' => depth -= 1,
                    b',' if depth == 0 => break,
                    _ => {}
                }
                i += 1;
            }
            rest = &rest[at + call.len()..];
        }
    }
    out
}

/// The core's source files, without their comment lines.
fn core_sources() -> Vec<(String, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![src];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("catalogue.rs") {
                let text: String = std::fs::read_to_string(&p)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                out.push((p.display().to_string(), text));
            }
        }
    }
    out
}

/// The code uses only catalogued ids, and every catalogued id is used: every literal a message
/// constructor is given as its id is in the catalogue, and every catalogue id is a literal
/// somewhere in the core (ids chosen ahead of the call, e.g. by a closure's parameter, are
/// checked when the messages are built: see `incident_sentences_are_catalogued_messages` and
/// `messages_render_the_english_sentences`).
#[test]
fn code_and_catalogue_name_the_same_ids() {
    let sources = core_sources();
    for (file, text) in &sources {
        for id in ids_in_constructors(text) {
            assert!(
                template(&id).is_some(),
                "{file}: message id {id:?} is not catalogued"
            );
        }
    }
    // The model's layers name only MODEL ids: the web app's calculator module carries no other.
    let model_layers = [
        "api/",
        "kernel/",
        "kubelet/",
        "scenario/",
        "simulate/",
        "evaluation/",
    ];
    for (file, text) in &sources {
        if model_layers.iter().any(|l| file.contains(l)) {
            for id in ids_in_constructors(text) {
                assert!(
                    find_in(MODEL, &id).is_some(),
                    "{file}: message id {id:?} is not in MODEL"
                );
            }
        }
    }
    let unused: Vec<&str> = catalogue()
        .map(|(id, _)| *id)
        .filter(|id| {
            let quoted = format!("\"{id}\"");
            !sources.iter().any(|(_, text)| text.contains(&quoted))
        })
        .collect();
    assert!(unused.is_empty(), "catalogued but used nowhere: {unused:?}");
}

#[test]
fn the_id_scan_sees_ids_inside_expressions() {
    let text = r#"Message::plain(match x { A => "a.b", _ => "c.d" }); Message::with(if y { "e.f" } else { "g.h" }, [("k", v("not.an.id"))]); Message::new(id, vec![])"#;
    assert_eq!(ids_in_constructors(text), ["a.b", "c.d", "e.f", "g.h"]);
}

/// True when `text` still holds a `{placeholder}` (a brace quoted from the paste is not one).
fn has_placeholder(text: &str) -> bool {
    text.split('{').skip(1).any(|after| {
        after.split_once('}').is_some_and(|(name, _)| {
            !name.is_empty() && name.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
        })
    })
}

#[test]
fn placeholder_check_tells_quoted_braces_apart() {
    assert!(has_placeholder("killed {victim} at"));
    assert!(!has_placeholder("ReadMapCB: expect { or n, but found"));
    assert!(!has_placeholder("no braces"));
}
