//! The fast path of the evaluation (records rendered on demand) against the general rule
//! functions (`EvaluateOptions::REFERENCE`: every pod defaulted into a copy, every derivation
//! rendered at once), `NUMBERS` against `FULL`, and the structured messages against the English
//! sentences of the JSON, on every example scenario and on variants that move each version rule
//! (kubelet 1.25 → 1.37, kernel rules, feature-gate overrides, pod-level resources, sidecars, a
//! 300-pod synthetic node with growth).

use oomlens_core::evaluation::{evaluate_with, EvaluateOptions, Evaluation};
use oomlens_core::message::{join_english, placeholders, template, Arg, Message, CATALOGUE};
use oomlens_core::scenario::parse_scenario;
use oomlens_core::{evaluate, Scenario};

fn examples() -> Vec<(String, String)> {
    let dir = format!("{}/../../examples/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 7, "examples found: {}", out.len());
    out
}

#[path = "../benches/support/inputs.rs"]
mod inputs;

/// Pod-level resources, sidecars, an init container, overhead, a node-critical pod, a
/// status.qosClass, a 0 limit and feature-gate overrides (one unknown, one not in the release).
const MIXED: &str = r#"
featureGates: {PodLevelResources: true, NoSuchGate: true, KubeletOOMScoreAdjTieBreak: false}
node:
  memory: 8Gi
  systemUsage: 500Mi
  kubeletConfig:
    kubeReserved: {memory: 256Mi}
    evictionHard: {memory.available: 5%}
    evictionMinimumReclaim: {memory.available: 100Mi}
    singleProcessOOMKill: true
pods:
  - metadata: {name: plr, namespace: a}
    spec:
      resources: {requests: {memory: 1Gi}, limits: {memory: 2Gi}}
      initContainers: [{name: side, restartPolicy: Always, resources: {requests: {memory: 10Mi}}}]
      containers: [{name: app}, {name: app2, resources: {requests: {memory: 100Mi}}}]
  - metadata: {name: side, namespace: a}
    spec:
      initContainers:
        - {name: setup, resources: {requests: {memory: 2Gi}, limits: {memory: 2Gi}}}
        - {name: proxy, restartPolicy: Always, resources: {requests: {memory: 16Mi}, limits: {memory: 64Mi}}}
      containers: [{name: app, resources: {requests: {memory: 300Mi, cpu: 1}, limits: {memory: 600Mi, cpu: 1}}}]
      overhead: {memory: 32Mi}
  - metadata: {name: crit, namespace: kube-system}
    spec:
      priority: 2000001000
      priorityClassName: system-node-critical
      containers: [{name: c, resources: {requests: {memory: 100Mi}}}]
  - metadata: {name: gu, namespace: b}
    spec:
      containers: [{name: c, resources: {limits: {memory: 200Mi, cpu: 500m}}}]
  - metadata: {name: zero, namespace: b}
    spec:
      containers: [{name: c, resources: {requests: {memory: 0}, limits: {memory: 0}}}]
    status: {qosClass: Burstable}
usage:
  a/plr: 1500Mi
  a/side/app: 550Mi
  b/gu/c: 190Mi
growth:
  a/plr: 5Mi
  b/gu/c: 1Mi
  kube-system/crit/c: 50Mi
"#;

fn scenarios() -> Vec<(String, Scenario)> {
    let mut out = Vec::new();
    for (name, text) in examples() {
        for v in ["1.34", "1.25", "1.28", "1.31", "1.32", "1.36", "1.37"] {
            let t = text.replace(
                "kubeletVersion: \"1.34\"",
                &format!("kubeletVersion: \"{v}\""),
            );
            out.push((format!("{name} @ {v}"), parse_scenario(&t).unwrap()));
        }
        let old_kernel = text.replace(
            "node:\n",
            "node:\n  kernelVersion: \"4.14\"\n  cgroupVersion: 1\n",
        );
        if let Ok(s) = parse_scenario(&old_kernel) {
            out.push((format!("{name} @ kernel 4.14, cgroup v1"), s));
        }
    }
    for v in ["1.30", "1.34", "1.37"] {
        out.push((
            format!("mixed @ {v}"),
            parse_scenario(&format!("kubeletVersion: \"{v}\"\n{MIXED}")).unwrap(),
        ));
    }
    out.push((
        "synthetic 300".into(),
        parse_scenario(&inputs::synthetic_node(
            300,
            "growth:\n  ns1/p1: 8Mi\n  ns2/p2: 16Mi\n",
        ))
        .unwrap(),
    ));
    out
}

/// Everything an evaluation says, rendered: the JSON contract (every number, order, derivation
/// and English sentence) plus the structured messages, which JSON leaves out.
fn rendered(e: &Evaluation) -> String {
    let mut s = serde_json::to_string_pretty(e).unwrap();
    s.push_str(&format!(
        "\n{:?}\n{:?}\n",
        e.note_messages, e.node.preset_message
    ));
    for p in &e.pods {
        s.push_str(&format!("{:?}\n", p.eviction_messages()));
    }
    for st in &e.timeline.steps {
        s.push_str(&format!("{:?}\n", st.message));
    }
    s.push_str(&format!("{:?}\n", e.timeline.outcome_message));
    s
}

#[test]
fn fast_path_equals_the_general_rule_functions() {
    let mut checked = 0;
    for (name, s) in scenarios() {
        let reference = evaluate_with(&s, &EvaluateOptions::REFERENCE);
        let full = evaluate(&s);
        let numbers = evaluate_with(&s, &EvaluateOptions::NUMBERS);
        let (full, reference, numbers) = match (full, reference, numbers) {
            (Ok(f), Ok(r), Ok(n)) => (f, r, n),
            (f, r, n) => {
                // e.g. a sidecar's usage on a release without sidecars: the same error.
                let e = f.unwrap_err();
                assert_eq!(r.unwrap_err(), e, "{name}");
                assert_eq!(n.unwrap_err(), e, "{name}");
                continue;
            }
        };
        // NUMBERS is FULL now: derivations are rendered from the same records.
        assert_eq!(numbers, full, "{name}");
        // The fast path (records) renders exactly what the general functions render.
        assert_eq!(rendered(&full), rendered(&reference), "{name}");
        // Every number has its derivations.
        assert!(!full.node.derivations().is_empty(), "{name}");
        for p in &full.pods {
            assert_eq!(p.derivations().len(), 4, "{name}");
            for c in &p.containers {
                assert!(c.derivations().len() >= 4, "{name}");
            }
        }
        for sc in &full.oom_scopes() {
            for i in 0..sc.kill_order.len() {
                let d = sc.kill_order.derivation(i);
                assert_eq!(d.field, "points", "{name}");
                assert!(d
                    .substituted
                    .ends_with(&format!("= {}", sc.kill_order[i].points)));
            }
        }
        checked += 1;
    }
    assert!(checked > 50);
}

#[test]
fn all_paths_report_the_same_errors() {
    let bad = [
        "node: {memory: 1Gi}\npods: []\nusage: {a/b: 1Mi}\n",
        "node: {memory: 1Gi, kubeletConfig: {kubeReserved: {memory: 2Gi}}}\npods: []\n",
        "kubeletVersion: \"1.34\"\nnode: {memory: 1Gi}\npods:\n  - metadata: {name: x}\n    spec: {initContainers: [{name: i}], containers: [{name: c}]}\nusage: {default/x/i: 1Mi}\n",
        "node: {memory: 1Gi}\npods:\n  - metadata: {name: x}\n    spec: {containers: [{name: c}]}\n  - metadata: {name: x}\n    spec: {containers: [{name: c}]}\n",
    ];
    for text in bad {
        let s = parse_scenario(text).unwrap();
        let full = evaluate(&s).unwrap_err();
        for opts in [EvaluateOptions::NUMBERS, EvaluateOptions::REFERENCE] {
            assert_eq!(evaluate_with(&s, &opts).unwrap_err(), full, "{text}");
        }
    }
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
    use oomlens_core::presets::{apply_preset_for_version, PRESET_NAMES};
    use oomlens_core::rules::KubeletVersion;
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
                Arg::Bytes(b) => oomlens_core::quantity::format_bytes(*b),
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
