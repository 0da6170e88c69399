//! The scenario reader and the evaluation never panic, whatever the scenario file says (a panic
//! kills the web app): mutation fuzzing of the example scenarios (`examples/scenarios/*.yaml`)
//! and the README's full example. Each case replaces values with extreme or ill-typed ones
//! (quantities at and past `i64`, percentages past 100, negative and huge counts, odd kernel and
//! kubelet versions, preset names with huge `maxPods`), deletes or repeats lines, and then runs
//! everything a user can reach: `parse_scenario`, `evaluate` (and the reference path), every
//! derivation and sentence (the JSON serialisation renders them), the kill orders' tie lists, and
//! `scenario_to_yaml` read back. A rejection is fine and must name a field; a panic fails.
//! (Long runs: `OOMLENS_FUZZ_CASES=200000 cargo test -p oomlens-core --test it scenario_robustness`.)

use oomlens_core::scenario::{parse_scenario, scenario_to_yaml};
use proptest::prelude::*;

const SCENARIOS: &[&str] = &[
    include_str!("../../../../examples/scenarios/default.yaml"),
    include_str!("../../../../examples/scenarios/besteffort-first.yaml"),
    include_str!("../../../../examples/scenarios/burstable-over-request.yaml"),
    include_str!("../../../../examples/scenarios/sidecar-tiny-request.yaml"),
    include_str!("../../../../examples/scenarios/guaranteed-near-limit.yaml"),
    include_str!("../../../../examples/scenarios/no-reservations.yaml"),
    // Every optional field of the format at least once.
    r#"kubeletVersion: "1.28"
featureGates: {MemoryQoS: true, SidecarContainers: true, PodLevelResources: true}
node:
  memory: 16Gi
  swap: 2Gi
  systemUsage: 1200Mi
  cgroupVersion: 2
  pageSize: 4096
  kernelVersion: "5.15"
  preset: eks
  maxPods: 58
  kubeletConfig:
    kubeReserved: {memory: 1Gi}
    systemReserved: {memory: 512Mi}
    evictionHard: {memory.available: 5%, allocatableMemory.available: 100Mi}
    evictionSoft: {memory.available: 10%}
    evictionSoftGracePeriod: {memory.available: 1m30s}
    evictionMinimumReclaim: {memory.available: 200Mi}
    evictionMaxPodGracePeriod: 30
    enforceNodeAllocatable: [pods, kube-reserved]
    memoryThrottlingFactor: 0.9
    singleProcessOOMKill: true
    cgroupsPerQOS: true
pods:
  - metadata: {name: web, namespace: default, annotations: {kubernetes.io/config.source: file}}
    spec:
      priority: 2000001000
      priorityClassName: system-node-critical
      terminationGracePeriodSeconds: 5
      overhead: {memory: 64Mi}
      resources: {requests: {memory: 1Gi}, limits: {memory: 2Gi}}
      initContainers:
        - {name: init, resources: {requests: {memory: 10Mi}}}
        - {name: proxy, restartPolicy: Always, resources: {requests: {memory: 20Mi}, limits: {memory: 64Mi}}}
      containers:
        - {name: app, resources: {requests: {cpu: 500m, memory: 500Mi}, limits: {cpu: "1", memory: 1Gi}}}
    status: {qosClass: Burstable}
usage:
  default/web/app: 900Mi
  default/web: 1Gi
growth:
  default/web/app: 10Mi
"#,
];

/// Values a field may be given: extremes of every numeric form, the wrong types, odd versions.
const VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "0.5",
    "1m",
    "999m",
    "1e3",
    "12E6",
    "1e-9",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551615",
    "8Ei",
    "7Ei",
    "16Ei",
    "1e19",
    "999999999999Pi",
    "0.000000001Ki",
    "2147483647",
    "-2147483648",
    "2000001000",
    "2000000000",
    "0%",
    "100%",
    "100.0001%",
    "150%",
    "-5%",
    "0.0001%",
    "1e-30%",
    "NaN",
    ".inf",
    "-.inf",
    "0s",
    "1h",
    "-1s",
    "99999999h",
    "\"\"",
    "null",
    "~",
    "[]",
    "{}",
    "true",
    "x",
    "\"1.99\"",
    "\"1.100\"",
    "\"v1.34\"",
    "\"1.0\"",
    "\"2.0\"",
    "\"3.0\"",
    "\"4.15\"",
    "\"2.6.32\"",
    "\"6.99\"",
    "\"999.999\"",
    "65536",
    "3",
    "4095",
    "1e308",
    "gke",
    "eks",
    "aks",
    "k3s",
    "kind",
    "kubeadm",
    "Always",
    "system-node-critical",
    "system-cluster-critical",
    "[pods, system-reserved, kube-reserved]",
    "{memory: 8Ei}",
    "{memory.available: 100%}",
    "{memory: -1}",
];

/// Replaces the value after the first `: ` of line `at` (or appends one) with `value`.
fn set_value(lines: &mut [String], at: usize, value: &str) {
    if let Some(line) = lines.get_mut(at) {
        match line.find(": ") {
            Some(i) => line.replace_range(i + 2.., value),
            None if line.trim_end().ends_with(':') => {
                line.push(' ');
                line.push_str(value);
            }
            None => {}
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Value(usize, usize),
    Delete(usize),
    Repeat(usize),
    /// Replaces a value inside a flow mapping `{k: v, …}` on the line.
    Flow(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<usize>(), 0..VALUES.len()).prop_map(|(l, v)| Mutation::Value(l, v)),
        1 => any::<usize>().prop_map(Mutation::Delete),
        1 => any::<usize>().prop_map(Mutation::Repeat),
        3 => (any::<usize>(), 0..VALUES.len()).prop_map(|(l, v)| Mutation::Flow(l, v)),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match *m {
            Mutation::Value(l, v) => set_value(&mut lines, l % n, VALUES[v]),
            Mutation::Delete(l) => {
                lines.remove(l % n);
            }
            Mutation::Repeat(l) => {
                let line = lines[l % n].clone();
                lines.insert(l % n, line);
            }
            Mutation::Flow(l, v) => {
                let line = &mut lines[l % n];
                // The value after the last `: ` inside braces, up to `,` or `}`.
                if let Some(colon) = line.rfind(": ") {
                    let rest = &line[colon + 2..];
                    let end = rest.find([',', '}']).map_or(line.len(), |e| colon + 2 + e);
                    if end >= colon + 2 && line.contains('{') {
                        line.replace_range(colon + 2..end, VALUES[v]);
                    }
                }
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Everything a user can reach from a scenario text; panics are the only failure.
fn exercise(text: &str) -> Result<(), TestCaseError> {
    let Ok(s) = parse_scenario(text) else {
        return Ok(());
    };
    match oomlens_core::evaluate(&s) {
        Ok(e) => {
            // Renders every derivation, sentence and tie list.
            let json = serde_json::to_string(&e).map_err(|err| {
                TestCaseError::fail(format!("evaluation does not serialise: {err}"))
            })?;
            prop_assert!(!json.is_empty());
            for p in &e.pods {
                let _ = p.eviction_reason();
            }
        }
        Err(err) => prop_assert!(!err.path.is_empty(), "error without a path: {err}"),
    }
    // The file the app exports reads back.
    let written = scenario_to_yaml(&s);
    prop_assert!(
        parse_scenario(&written).is_ok(),
        "exported scenario does not read back:\n{written}"
    );
    Ok(())
}

use crate::support::fuzz;
use fuzz::fuzz_cases;

/// The first entries of [`VALUES`]: numbers and quantities only (the values a numeric field is
/// most often given), so that most cases still read and reach the evaluation.
const NUMERIC: usize = 36;

/// Replaces the `nth` numeric value (a flow or block value starting with a digit or `-`) with
/// `value`.
fn set_number(text: &str, nth: usize, value: &str) -> String {
    let starts: Vec<usize> = text
        .match_indices(": ")
        .map(|(i, _)| i + 2)
        .filter(|&i| {
            text[i..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '"')
        })
        .collect();
    if starts.is_empty() {
        return text.to_string();
    }
    let at = starts[nth % starts.len()];
    let end = text[at..]
        .find([',', '}', '\n'])
        .map_or(text.len(), |e| at + e);
    format!("{}{}{}", &text[..at], value, &text[end..])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(384), failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn numbers_at_their_extremes_never_panic(
        which in 0..SCENARIOS.len(),
        edits in proptest::collection::vec((any::<usize>(), 0..NUMERIC), 1..5),
    ) {
        let mut text = SCENARIOS[which].to_string();
        for (nth, v) in edits {
            text = set_number(&text, nth, VALUES[v]);
        }
        exercise(&text)?;
    }

    #[test]
    fn mutated_scenarios_never_panic(
        which in 0..SCENARIOS.len(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        exercise(&mutate(SCENARIOS[which], &mutations))?;
    }
}

/// The unmutated inputs are valid scenarios that evaluate (so the mutations start from real ones).
#[test]
fn every_seed_scenario_evaluates() {
    for text in SCENARIOS {
        let s = parse_scenario(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        oomlens_core::evaluate(&s).unwrap_or_else(|e| panic!("{e}\n{text}"));
        exercise(text).unwrap();
    }
}
