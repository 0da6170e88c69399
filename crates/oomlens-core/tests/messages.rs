//! The model's sentences: every `Message` an evaluation holds renders the English of its JSON
//! (notes, eviction reasons, timeline steps and outcome, preset lines), is catalogued and fills
//! exactly its template's placeholders; the catalogue is sorted and every template renders; an
//! evaluation is a plain value the app can keep in a signal. Checked on every example and fixture
//! scenario at several kubelet releases.

use oomlens_core::base::message::{join_english, placeholders, template, Arg, Message, CATALOGUE};
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
    let catalogued: Vec<&str> = CATALOGUE
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| id.starts_with("preset."))
        .collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), catalogued);
}

#[test]
fn catalogue_is_sorted_unique_and_renders_every_template() {
    for w in CATALOGUE.windows(2) {
        assert!(w[0].0 < w[1].0, "{} !< {}", w[0].0, w[1].0);
    }
    for (i, (id, t)) in CATALOGUE.iter().enumerate() {
        assert_eq!(template(id), Some(*t));
        let names = placeholders(t);
        let args: Vec<(&'static str, Arg)> = names
            .iter()
            .enumerate()
            .map(|(k, n)| {
                let n: &'static str = CATALOGUE[i].1.split(['{', '}']).find(|x| x == n).unwrap();
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
            };
            want = want.replace(&format!("{{{n}}}"), &r);
        }
        assert_eq!(m.english(), want, "{id}");
        assert!(!m.english().contains('{'), "{id}");
    }
    assert_eq!(Arg::Bytes(1536 << 20).english(), "1.50 GiB");
    assert_eq!(Message::plain("no.such.id").english(), "no.such.id");
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
