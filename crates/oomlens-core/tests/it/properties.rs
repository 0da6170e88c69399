//! Cross-module invariants, checked on generated scenarios (proptest):
//! 1. `parse_scenario(scenario_to_yaml(s)) == s` and `parse_scenario_json(scenario_to_json(s)) == s`
//!    (both writers round-trip).
//! 2. evaluate never panics on a valid scenario; it returns a result or an error naming a path.
//! 3. allocatable ≤ capacity, and kubepods limit ≤ capacity.
//! 4. the eviction order never contains a critical pod, and contains every other pod once.
//! 5. every kill order is sorted by badness, highest first; the node order lists each running container once.
//! 6. Burstable containers' adj stays in [3, 999]; the timeline's times never go backwards and it is bounded.
//! 7. kernel badness: pre-5.9 results are ≥ 1, oom_score is within its range.

use oomlens_core::evaluate;
use oomlens_core::kernel::badness::{self, BadnessRule, TaskMemory};
use oomlens_core::scenario::{
    parse_scenario, parse_scenario_json, scenario_to_json, scenario_to_yaml,
};
use proptest::prelude::*;

const QTY: [&str; 8] = ["64Mi", "128Mi", "500M", "1Gi", "1536Mi", "2Gi", "3G", "4Gi"];

#[derive(Debug, Clone)]
struct GenContainer {
    req: Option<usize>,
    lim: Option<usize>,
    cpu: bool,
    sidecar: bool,
    usage: Option<u16>,
    growth: Option<u8>,
}

#[derive(Debug, Clone)]
struct GenPod {
    containers: Vec<GenContainer>,
    priority: u8,
    pod_usage: Option<u16>,
}

fn container() -> impl Strategy<Value = GenContainer> {
    (
        proptest::option::of(0..QTY.len()),
        proptest::option::of(0..QTY.len()),
        any::<bool>(),
        proptest::bool::weighted(0.2),
        proptest::option::of(0u16..3000),
        proptest::option::of(0u8..50),
    )
        .prop_map(|(req, lim, cpu, sidecar, usage, growth)| GenContainer {
            req,
            lim,
            cpu,
            sidecar,
            usage,
            growth,
        })
}

fn pod() -> impl Strategy<Value = GenPod> {
    (
        proptest::collection::vec(container(), 1..4),
        0u8..6,
        proptest::option::of(0u16..4000),
    )
        .prop_map(|(containers, priority, pod_usage)| GenPod {
            containers,
            priority,
            pod_usage,
        })
}

#[allow(clippy::too_many_arguments)]
fn scenario_text(
    version: u32,
    mem_gi: u32,
    kube_mi: u32,
    sys_mi: u32,
    hard: u8,
    soft: bool,
    kernel: usize,
    cgroup: u8,
    swap_gi: u8,
    pods: &[GenPod],
) -> String {
    let mut s = format!("kubeletVersion: \"1.{version}\"\nnode:\n  memory: {mem_gi}Gi\n");
    s.push_str(&format!(
        "  kernelVersion: \"{}\"\n",
        ["6.8", "5.10", "5.4", "4.19", "4.14", "3.10"][kernel]
    ));
    s.push_str(&format!(
        "  cgroupVersion: {cgroup}\n  swap: {swap_gi}Gi\n  systemUsage: {}Mi\n",
        sys_mi / 2
    ));
    s.push_str(&format!("  kubeletConfig:\n    kubeReserved: {{memory: {kube_mi}Mi}}\n    systemReserved: {{memory: {sys_mi}Mi}}\n"));
    let h = match hard % 4 {
        0 => "100Mi".to_string(),
        1 => "5%".to_string(),
        2 => "0%".to_string(),
        _ => "250Mi".to_string(),
    };
    s.push_str(&format!(
        "    evictionHard: {{memory.available: \"{h}\"}}\n"
    ));
    if soft {
        s.push_str("    evictionSoft: {memory.available: 1Gi}\n    evictionSoftGracePeriod: {memory.available: 20s}\n    evictionMinimumReclaim: {memory.available: 200Mi}\n");
    }
    s.push_str("pods:\n");
    let mut usage = String::new();
    let mut growth = String::new();
    for (i, p) in pods.iter().enumerate() {
        s.push_str(&format!(
            "  - metadata: {{name: p{i}, namespace: ns{}}}\n    spec:\n",
            i % 3
        ));
        match p.priority {
            1 => s.push_str("      priority: 1000\n"),
            2 => s.push_str(
                "      priority: 2000000000\n      priorityClassName: system-cluster-critical\n",
            ),
            3 => s.push_str(
                "      priority: 2000001000\n      priorityClassName: system-node-critical\n",
            ),
            4 => s.push_str("      priority: -5\n"),
            _ => {}
        }
        let (side, main): (Vec<_>, Vec<_>) = p
            .containers
            .iter()
            .enumerate()
            .partition(|(_, c)| c.sidecar);
        let render = |(j, c): &(usize, &GenContainer)| {
            let mut r = format!("        - name: c{j}\n");
            if c.sidecar {
                r.push_str("          restartPolicy: Always\n");
            }
            let mut req = Vec::new();
            let mut lim = Vec::new();
            if let Some(q) = c.req {
                req.push(format!("memory: {}", QTY[q]));
            }
            if let Some(q) = c.lim {
                // keep request ≤ limit (the API server rejects the rest)
                let q = q.max(c.req.unwrap_or(0));
                lim.push(format!("memory: {}", QTY[q]));
            }
            if c.cpu {
                req.push("cpu: 100m".into());
                lim.push("cpu: 100m".into());
            }
            r.push_str(&format!(
                "          resources: {{requests: {{{}}}, limits: {{{}}}}}\n",
                req.join(", "),
                lim.join(", ")
            ));
            r
        };
        if !side.is_empty() {
            s.push_str("      initContainers:\n");
            for c in &side {
                s.push_str(&render(c));
            }
        }
        s.push_str("      containers:\n");
        if main.is_empty() {
            s.push_str("        - name: main\n");
        }
        for c in &main {
            s.push_str(&render(c));
        }
        let mut sum = 0u32;
        for (j, c) in p.containers.iter().enumerate() {
            if let Some(u) = c.usage {
                usage.push_str(&format!("  ns{}/p{i}/c{j}: {u}Mi\n", i % 3));
                sum += u32::from(u);
            }
            if let Some(g) = c.growth {
                growth.push_str(&format!("  ns{}/p{i}/c{j}: {g}Mi\n", i % 3));
            }
        }
        if let Some(pu) = p.pod_usage {
            usage.push_str(&format!("  ns{}/p{i}: {}Mi\n", i % 3, sum + u32::from(pu)));
        }
    }
    if !usage.is_empty() {
        s.push_str("usage:\n");
        s.push_str(&usage);
    }
    if !growth.is_empty() {
        s.push_str("growth:\n");
        s.push_str(&growth);
    }
    s
}

fn scenario_strategy() -> impl Strategy<Value = String> {
    (
        25u32..=37,
        1u32..=128,
        0u32..2048,
        0u32..1024,
        any::<u8>(),
        any::<bool>(),
        0usize..6,
        1u8..=2,
        0u8..3,
        proptest::collection::vec(pod(), 0..10),
    )
        .prop_map(|(v, m, k, s, h, soft, kern, cg, sw, pods)| {
            scenario_text(v, m, k, s, h, soft, kern, cg, sw, &pods)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn writer_round_trips(text in scenario_strategy()) {
        let s = parse_scenario(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let out = scenario_to_yaml(&s);
        let back = parse_scenario(&out).map_err(|e| TestCaseError::fail(format!("{e}\n{out}")))?;
        prop_assert_eq!(back, s);
    }

    #[test]
    fn json_writer_round_trips(text in scenario_strategy()) {
        let s = parse_scenario(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let out = scenario_to_json(&s);
        let back = parse_scenario_json(&out).map_err(|e| TestCaseError::fail(format!("{e}\n{out}")))?;
        prop_assert_eq!(&back, &s);
        prop_assert_eq!(parse_scenario(&out).ok(), Some(s));
    }

    #[test]
    fn evaluate_invariants(text in scenario_strategy()) {
        let s = parse_scenario(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let e = match evaluate(&s) {
            Ok(e) => e,
            Err(err) => {
                // Rejections must name a field (e.g. reservations above capacity).
                prop_assert!(!err.path.is_empty(), "error without a path: {err}");
                return Ok(());
            }
        };
        // 3. allocatable ≤ capacity; kubepods ≤ capacity.
        prop_assert!(e.node.allocatable_bytes <= e.node.capacity_bytes);
        prop_assert!(e.node.allocatable_bytes >= 0);
        if let Some(k) = e.node.kubepods_limit_bytes {
            prop_assert!(k <= e.node.capacity_bytes);
            prop_assert!(e.node.allocatable_bytes <= k);
        }
        // 4. eviction order = every running non-critical pod once, no critical or Pending pod
        // (a pod whose request does not fit is never admitted: no rank, no usage).
        for p in &e.pods {
            let key = format!("{}/{}", p.namespace, p.name);
            let n = e.eviction_order.iter().filter(|k| **k == key).count();
            if !p.schedulable {
                prop_assert_eq!(n, 0, "Pending pod {} in eviction order", key);
                prop_assert!(p.eviction_rank.is_none() && p.usage_bytes.is_none());
                prop_assert!(p.containers.iter().all(|c| c.node_oom_badness.is_none()));
            } else if p.critical {
                prop_assert_eq!(n, 0, "critical pod {} in eviction order", key);
                prop_assert!(p.eviction_rank.is_none());
            } else {
                prop_assert_eq!(n, 1, "pod {} not exactly once", key);
            }
            // 6. Burstable adj range, Guaranteed/BestEffort constants (node-critical pods get −997).
            for c in &p.containers {
                match p.qos_class {
                    "Burstable" if !p.critical || p.priority < 2_000_001_000 => {
                        prop_assert!((3..=999).contains(&c.oom_score_adj), "{} adj {}", key, c.oom_score_adj)
                    }
                    "BestEffort" if !p.critical => prop_assert_eq!(c.oom_score_adj, 1000),
                    "Guaranteed" => prop_assert_eq!(c.oom_score_adj, -997),
                    _ => {}
                }
            }
        }
        // 5. kill orders sorted by badness; the node's kill order (made alone) is the node
        // scope's, containers only.
        let scopes = e.oom_scopes();
        for scope in &scopes {
            for w in scope.kill_order.windows(2) {
                prop_assert!(w[0].points >= w[1].points, "{} not sorted", scope.name);
            }
        }
        let node = scopes.iter().find(|s| s.name == "node").expect("a node scope");
        let containers: Vec<&str> = node
            .kill_order
            .ids()
            .filter(|id| id.matches('/').count() == 2 && !id.ends_with(')'))
            .collect();
        let listed: Vec<&str> = e.node_oom_kill_order.iter().map(|n| n.as_str()).collect();
        prop_assert_eq!(listed, containers);
        let running: usize = e.pods.iter().map(|p| p.containers.iter().filter(|c| c.node_oom_badness.is_some()).count()).sum();
        prop_assert_eq!(e.node_oom_kill_order.len(), running);
        // 6. timeline ordered and bounded.
        for w in e.timeline.steps.windows(2) {
            prop_assert!(w[0].time_seconds <= w[1].time_seconds);
        }
        prop_assert!(e.timeline.steps.len() <= oomlens_core::simulate::MAX_STEPS);
        // JSON output never fails.
        prop_assert!(serde_json::to_string(&e).is_ok());
    }

    #[test]
    fn badness_ranges(rss in 0i64..50_000_000, adj in -999i64..=1000, total in 1i64..100_000_000, swap in 0i64..1000) {
        let t = TaskMemory { rss_pages: rss, swapents: swap, pgtables_bytes: 0 };
        for rule in [BadnessRule::UnsignedFloor1, BadnessRule::RootBonusPercent, BadnessRule::RootBonusAdj] {
            let b = badness::oom_badness_for(rule, &t, adj, total, 4096, true);
            prop_assert!(b.is_some_and(|b| b >= 1));
        }
        let b = badness::oom_badness(&t, adj, total, 4096);
        let score = badness::proc_oom_score(BadnessRule::Signed, b, total);
        prop_assert!((0..=2000).contains(&score));
        // Monotone in rss at fixed adj.
        let more = TaskMemory { rss_pages: rss + 1, ..t };
        prop_assert!(badness::oom_badness(&more, adj, total, 4096) > b);
    }
}

/// Every string of up to two characters the YAML writer would write plain reads back as that
/// string (the writer relies on this instead of asking the reader).
#[test]
fn short_plain_scalars_read_back() {
    let chars: Vec<char> = (b' '..=b'~').map(char::from).collect();
    let mut checked = 0;
    for a in &chars {
        for b in std::iter::once(None).chain(chars.iter().map(Some)) {
            let s: String = std::iter::once(*a).chain(b.copied()).collect();
            if oomlens_core::scenario::yaml_writer::plain_ok(&s) {
                checked += 1;
                let read: serde_yaml_ng::Value = serde_yaml_ng::from_str(&s).unwrap();
                assert_eq!(read, serde_yaml_ng::Value::String(s.clone()), "{s}");
            }
        }
    }
    assert!(checked > 3000, "{checked}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, .. ProptestConfig::default() })]

    /// Every string the YAML writer writes plain reads back as that string (the writer relies on
    /// this instead of asking the reader).
    #[test]
    fn plain_scalars_read_back(s in "[A-Za-z0-9._/][A-Za-z0-9._/+@=-]{0,12}|[.0-9][0-9a-fA-FxXoOeEiInN._+-]{0,6}|[ynoftYNOFT~.][a-zA-Z]{0,4}") {
        if oomlens_core::scenario::yaml_writer::plain_ok(&s) {
            let read: serde_yaml_ng::Value = serde_yaml_ng::from_str(&s).map_err(|e| TestCaseError::fail(format!("{s}: {e}")))?;
            prop_assert_eq!(read, serde_yaml_ng::Value::String(s.clone()), "{}", s);
        }
    }

}

/// A decimal as people and configs write them: sign, integer digits, fraction digits, exponent.
fn decimal_text() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(""), Just("-"), Just("+")],
        "[0-9]{0,22}",
        prop_oneof![Just(None), "[0-9]{0,22}".prop_map(Some)],
        prop_oneof![Just(None), (-60i32..60).prop_map(Some)],
        any::<bool>(),
    )
        .prop_map(|(sign, int, frac, exp, upper)| {
            let mut s = format!("{sign}{int}");
            if let Some(f) = frac {
                s.push('.');
                s.push_str(&f);
            }
            if let Some(e) = exp {
                s.push_str(&format!("{}{e}", if upper { 'E' } else { 'e' }));
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 30_000, .. ProptestConfig::default() })]

    /// `base::decimal` answers exactly what `str::parse` answers, or nothing; and it answers for
    /// every number of up to 15 significant digits with a small exponent.
    #[test]
    fn decimal_parse_agrees_with_std(s in decimal_text()) {
        use oomlens_core::base::decimal::{parse_f32, parse_f64};
        match (parse_f64(&s), s.parse::<f64>()) {
            (Some(v), Ok(std)) => prop_assert!(v.to_bits() == std.to_bits(), "f64 {}: {} vs {}", s, v, std),
            (Some(v), Err(_)) => prop_assert!(false, "f64 {}: {} where std refuses", s, v),
            (None, _) => {}
        }
        match (parse_f32(&s), s.parse::<f32>()) {
            (Some(v), Ok(std)) => prop_assert!(v.to_bits() == std.to_bits(), "f32 {}: {} vs {}", s, v, std),
            (Some(v), Err(_)) => prop_assert!(false, "f32 {}: {} where std refuses", s, v),
            (None, _) => {}
        }
        let body = s.trim_start_matches(['+', '-']);
        let mantissa = body.split(['e', 'E']).next().unwrap_or_default();
        let significant = mantissa.replace('.', "").trim_start_matches('0').len();
        let exp: i32 = body.split(['e', 'E']).nth(1).map_or(0, |e| e.parse().unwrap_or(0));
        let frac_len = mantissa.split('.').nth(1).map_or(0, str::len) as i32;
        if s.parse::<f64>().is_ok() && significant <= 15 && (exp - frac_len).abs() <= 22 && frac_len <= 22 {
            prop_assert!(parse_f64(&s).is_some(), "f64 {} unanswered", s);
        }
    }

    /// Any text: never a panic, and never a number where `str::parse` has none.
    #[test]
    fn decimal_parse_never_invents(s in "[-+0-9.eEinfatyINFATY_x ]{0,24}") {
        use oomlens_core::base::decimal::{parse_f32, parse_f64};
        if s.parse::<f64>().is_err() {
            prop_assert_eq!(parse_f64(&s), None);
        }
        if s.parse::<f32>().is_err() {
            prop_assert_eq!(parse_f32(&s), None);
        }
    }
}
