//! The numbers-only evaluation (`evaluate_with(.., &EvaluateOptions::NUMBERS)`) against the full
//! one, and the structured messages against the English sentences, on every example scenario and
//! on variants that move each version rule (kubelet 1.25 → 1.37, kernel rules, feature-gate
//! overrides, pod-level resources, sidecars, a 300-pod synthetic node with growth).

use oomlens_core::derivation::Derivation;
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

/// The full evaluation with every derivation and English sentence removed.
fn stripped(mut e: Evaluation) -> Evaluation {
    e.node.derivations.clear();
    for t in &mut e.node.thresholds {
        t.derivations.clear();
    }
    for p in &mut e.pods {
        p.derivations.clear();
        p.eviction_reason.clear();
        for c in &mut p.containers {
            c.derivations.clear();
        }
    }
    for s in &mut e.oom_scopes {
        s.derivations.clear();
        for k in &mut s.kill_order {
            k.derivation = Derivation::empty();
        }
    }
    for s in &mut e.timeline.steps {
        s.derivations.clear();
        s.reason.clear();
    }
    e.timeline.outcome.clear();
    e.notes.clear();
    e
}

#[test]
fn numbers_path_equals_full_path_without_text() {
    let mut checked = 0;
    for (name, s) in scenarios() {
        let numbers = evaluate_with(&s, &EvaluateOptions::NUMBERS);
        let full = match evaluate(&s) {
            Ok(f) => f,
            Err(e) => {
                // e.g. a sidecar's usage on a release without sidecars: the same error.
                assert_eq!(numbers.unwrap_err(), e, "{name}");
                continue;
            }
        };
        let numbers = numbers.unwrap();
        // The full path really has text to strip, and the numbers path really has none.
        assert!(
            full.pods.iter().all(|p| !p.derivations.is_empty()),
            "{name}"
        );
        assert!(
            numbers
                .pods
                .iter()
                .all(|p| p.derivations.is_empty() && p.eviction_reason.is_empty()),
            "{name}"
        );
        assert_eq!(numbers, stripped(full), "{name}");
        checked += 1;
    }
    assert!(checked > 50);
}

#[test]
fn numbers_path_reports_the_same_errors() {
    let bad = [
        "node: {memory: 1Gi}\npods: []\nusage: {a/b: 1Mi}\n",
        "node: {memory: 1Gi, kubeletConfig: {kubeReserved: {memory: 2Gi}}}\npods: []\n",
        "kubeletVersion: \"1.34\"\nnode: {memory: 1Gi}\npods:\n  - metadata: {name: x}\n    spec: {initContainers: [{name: i}], containers: [{name: c}]}\nusage: {default/x/i: 1Mi}\n",
        "node: {memory: 1Gi}\npods:\n  - metadata: {name: x}\n    spec: {containers: [{name: c}]}\n  - metadata: {name: x}\n    spec: {containers: [{name: c}]}\n",
    ];
    for text in bad {
        let s = parse_scenario(text).unwrap();
        let full = evaluate(&s).unwrap_err();
        assert_eq!(
            evaluate_with(&s, &EvaluateOptions::NUMBERS).unwrap_err(),
            full,
            "{text}"
        );
    }
}

#[test]
fn messages_render_the_english_sentences() {
    for (name, s) in scenarios() {
        let Ok(full) = evaluate(&s) else { continue };
        for opts in [EvaluateOptions::FULL, EvaluateOptions::NUMBERS] {
            let e = evaluate_with(&s, &opts).unwrap();
            assert_eq!(e.note_messages.len(), full.notes.len(), "{name}");
            for (m, n) in e.note_messages.iter().zip(&full.notes) {
                assert_eq!(&m.english(), n, "{name}");
            }
            for (p, fp) in e.pods.iter().zip(&full.pods) {
                assert!(!p.eviction_messages.is_empty());
                assert_eq!(
                    join_english(&p.eviction_messages),
                    fp.eviction_reason,
                    "{name}"
                );
            }
            for (st, fst) in e.timeline.steps.iter().zip(&full.timeline.steps) {
                assert_eq!(st.message.english(), fst.reason, "{name}");
            }
            assert_eq!(
                e.timeline.outcome_message.english(),
                full.timeline.outcome,
                "{name}"
            );
            // Every message used is catalogued and fills exactly its template's placeholders.
            let mut all: Vec<&Message> = e.note_messages.iter().collect();
            all.extend(e.pods.iter().flat_map(|p| &p.eviction_messages));
            all.extend(e.timeline.steps.iter().map(|s| &s.message));
            all.push(&e.timeline.outcome_message);
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
