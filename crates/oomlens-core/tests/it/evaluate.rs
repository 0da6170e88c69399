//! `evaluate` on whole scenarios; every expected figure is computed here from the upstream
//! formulas (kubelet `pkg/kubelet/qos/policy.go`, `pkg/kubelet/cm/node_container_manager_linux.go`,
//! `pkg/kubelet/eviction/helpers.go`; kernel `mm/oom_kill.c`), not copied from the program.

use oomlens_core::evaluate;
use oomlens_core::scenario::parse_scenario;
use oomlens_core::simulate::Mechanism;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

fn example(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../examples/scenarios/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Burstable adj: 1000 − 1000·request/capacity (int64 division), clamped to [3, 999].
fn burstable_adj(request: i64, capacity: i64) -> i64 {
    (1000 - (1000 * i128::from(request) / i128::from(capacity)) as i64).clamp(3, 999)
}

#[test]
fn default_example_node_pods_orders() {
    let e = evaluate(&parse_scenario(&example("default.yaml")).unwrap()).unwrap();
    assert_eq!(e.kubelet_version, "1.34");
    let cap = 16 * GI;
    assert_eq!(e.node.capacity_bytes, cap);
    assert_eq!(e.node.allocatable_bytes, cap - GI - 512 * MI - 100 * MI);
    assert_eq!(e.node.kubepods_limit_bytes, Some(cap - GI - 512 * MI));
    assert_eq!(e.node.thresholds.len(), 3); // hard, soft, allocatable copy of hard
    let pod = |k: &str| {
        e.pods
            .iter()
            .find(|p| format!("{}/{}", p.namespace, p.name) == k)
            .unwrap()
    };
    let web = pod("shop/web");
    assert_eq!(web.qos_class, "Burstable");
    assert_eq!(
        web.containers[0].oom_score_adj,
        burstable_adj(512 * MI, cap)
    );
    assert_eq!(web.containers[0].oom_score_adj, 969);
    assert_eq!(pod("shop/db").containers[0].oom_score_adj, -997);
    assert_eq!(pod("batch/report").containers[0].oom_score_adj, 1000);
    // system-node-critical → −997 and never evicted.
    let ne = pod("monitoring/node-exporter");
    assert_eq!(ne.containers[0].oom_score_adj, -997);
    assert_eq!(ne.eviction_rank, None);
    // Eviction: BestEffort (over, 2Gi over) → web (over by 188Mi) → db (within request).
    assert_eq!(e.eviction_order, ["batch/report", "shop/web", "shop/db"]);
    assert_eq!(pod("batch/report").eviction_rank, Some(1));
    // Node OOM: badness = rss pages + adj·(4194304/1000).
    let per_mille = (cap / 4096) / 1000;
    let bad = |usage: i64, adj: i64| usage / 4096 + adj * per_mille;
    assert_eq!(
        e.node_oom_kill_order,
        [
            "batch/report/job",
            "shop/web/app",
            "shop/db/postgres",
            "monitoring/node-exporter/exporter"
        ]
    );
    assert_eq!(web.containers[0].node_oom_badness, Some(bad(700 * MI, 969)));
    // oom_score = (1000 + badness·1000/totalpages)·2/3 on kernel 6.8
    let b = bad(700 * MI, 969);
    assert_eq!(
        web.containers[0].oom_score,
        Some((1000 + b * 1000 / (cap / 4096)) * 2 / 3)
    );
    // What fires first: web/app grows 2Mi/s from 700Mi to its 1Gi limit: 324/2 = 162 s.
    assert_eq!(e.timeline.first_mechanism, Some(Mechanism::ContainerOom));
    assert_eq!(e.timeline.steps[0].time_seconds, 162.0);
    assert_eq!(e.timeline.steps[0].victim.as_deref(), Some("shop/web/app"));
}

#[test]
fn pod_usage_is_split_by_request() {
    let text = "node: {memory: 8Gi}\npods:\n  - metadata: {name: p}\n    spec:\n      containers:\n        - {name: a, resources: {requests: {memory: 1Gi}}}\n        - {name: b, resources: {requests: {memory: 3Gi}}}\nusage:\n  default/p: 2Gi\n";
    let e = evaluate(&parse_scenario(text).unwrap()).unwrap();
    let c = &e.pods[0].containers;
    assert_eq!(c[0].usage_bytes, Some(512 * MI));
    assert_eq!(c[1].usage_bytes, Some(1536 * MI));
    assert_eq!(e.pods[0].usage_bytes, Some(2 * GI));
    // A container key takes precedence, the rest of the pod's usage goes to the others.
    let text2 = text.replace(
        "  default/p: 2Gi\n",
        "  default/p: 2Gi\n  default/p/b: 100Mi\n",
    );
    let e = evaluate(&parse_scenario(&text2).unwrap()).unwrap();
    assert_eq!(e.pods[0].containers[0].usage_bytes, Some(2 * GI - 100 * MI));
    assert_eq!(e.pods[0].containers[1].usage_bytes, Some(100 * MI));
}

#[test]
fn usage_errors_name_the_key() {
    let base = "node: {memory: 8Gi}\npods:\n  - metadata: {name: p}\n    spec: {containers: [{name: a}], initContainers: [{name: setup}]}\n";
    let rows = [
        ("usage: {default/q: 1Gi}", "usage.default/q", "no pod"),
        (
            "usage: {default/p/zz: 1Gi}",
            "usage.default/p/zz",
            "no container",
        ),
        (
            "usage: {default/p: 1Gi, default/p/a: 2Gi}",
            "usage.default/p",
            "smaller than",
        ),
        (
            "usage: {default/p/setup: 1Gi}",
            "usage.default/p/setup",
            "init container",
        ),
        ("growth: {other/x: 1Mi}", "growth.other/x", "no pod"),
    ];
    for (extra, path, msg) in rows {
        let s = parse_scenario(&format!("{base}{extra}\n")).unwrap();
        let e = evaluate(&s).unwrap_err();
        assert_eq!(e.path, path, "{extra}: {e}");
        assert!(e.message.contains(msg), "{extra}: {e}");
    }
}

#[test]
fn sidecar_rule_follows_the_version() {
    let text = example("sidecar-tiny-request.yaml");
    let cap = 8 * GI;
    // 1.34 (≥ 1.32): sidecar capped at the main container's adj: min(999, 1000 − 1000·2Gi/8Gi = 750).
    let e = evaluate(&parse_scenario(&text).unwrap()).unwrap();
    assert_eq!(e.pods[0].containers[0].name, "proxy");
    assert_eq!(
        e.pods[0].containers[0].oom_score_adj,
        burstable_adj(2 * GI, cap)
    );
    assert_eq!(e.pods[0].containers[0].oom_score_adj, 750);
    // 1.31: plain formula (the cap came with PR #128029, CHANGELOG-1.32): 1000 − 1000·16Mi/8Gi = 1000 − 1 = 999.
    let e = evaluate(&parse_scenario(&text.replace("\"1.34\"", "\"1.31\"")).unwrap()).unwrap();
    assert_eq!(
        e.pods[0].containers[0].oom_score_adj,
        burstable_adj(16 * MI, cap)
    );
    assert_eq!(e.pods[0].containers[0].oom_score_adj, 999);
}

#[test]
fn kernel_version_changes_badness() {
    let text = "node: {memory: 16Gi, kernelVersion: \"5.4\"}\npods:\n  - metadata: {name: g}\n    spec: {containers: [{name: c, resources: {limits: {cpu: 1, memory: 4Gi}}}]}\nusage: {default/g/c: 3Gi}\n";
    let e = evaluate(&parse_scenario(text).unwrap()).unwrap();
    // 4.17–5.8: max(1, 786432 − 997·4194) = 1; oom_score = 1·1000/4194304 = 0.
    assert_eq!(e.pods[0].containers[0].node_oom_badness, Some(1));
    assert_eq!(e.pods[0].containers[0].oom_score, Some(0));
    assert_eq!(e.kernel_version, "5.4");
}

#[test]
fn gke_preset_fills_reservations() {
    let text = "node: {memory: 16Gi, preset: gke}\npods: []\n";
    let e = evaluate(&parse_scenario(text).unwrap()).unwrap();
    // 25% of 4Gi + 20% of 4Gi + 10% of 8Gi = (25·4 + 20·4 + 10·8)Gi/100 = 2.6Gi, floored to a byte.
    let kube = (25 * 4 * GI + 20 * 4 * GI + 10 * 8 * GI) / 100;
    assert_eq!(e.node.kube_reserved_bytes, kube);
    assert_eq!(e.node.allocatable_bytes, 16 * GI - kube - 100 * MI);
    assert!(e.node.preset.as_deref().unwrap_or("").starts_with("gke"));
}

#[test]
fn kubepods_unlimited_when_not_enforced() {
    let text = "node:\n  memory: 8Gi\n  kubeletConfig: {enforceNodeAllocatable: [], kubeReserved: {memory: 1Gi}}\npods: []\n";
    let e = evaluate(&parse_scenario(text).unwrap()).unwrap();
    assert_eq!(e.node.kubepods_limit_bytes, None);
    // No allocatableMemory.available copy without "pods" enforcement.
    assert!(e
        .node
        .thresholds
        .iter()
        .all(|t| t.signal == "memory.available"));
    assert!(e.oom_scopes().iter().all(|s| s.name != "kubepods"));
}

#[test]
fn errors_from_kubelet_config_and_version() {
    let rows = [
        (
            "kubeletVersion: \"1.12\"\nnode: {memory: 4Gi}\n",
            "kubeletVersion",
        ),
        (
            "node:\n  memory: 4Gi\n  kubeletConfig: {evictionHard: {memory.available: 5x}}\n",
            "node.kubeletConfig.evictionHard",
        ),
        (
            "node:\n  memory: 4Gi\n  kubeletConfig: {kubeReserved: {memory: 5Gi}}\n",
            "node.kubeletConfig",
        ),
        (
            "node:\n  memory: 4Gi\n  preset: nosuchcloud\n",
            "node.preset",
        ),
    ];
    for (text, path) in rows {
        let e = evaluate(&parse_scenario(text).unwrap()).unwrap_err();
        assert!(e.path.starts_with(path), "{text}: {e}");
    }
}

#[test]
fn ties_are_flagged() {
    // Two identical BestEffort pods: same keys for rankMemoryPressure, same badness.
    let text = "node: {memory: 8Gi}\npods:\n  - metadata: {name: a}\n    spec: {containers: [{name: c}]}\n  - metadata: {name: b}\n    spec: {containers: [{name: c}]}\nusage: {default/a: 1Gi, default/b: 1Gi}\n";
    let e = evaluate(&parse_scenario(text).unwrap()).unwrap();
    assert!(e.pods.iter().all(|p| p.eviction_tied));
    let scopes = e.oom_scopes();
    let node = scopes.iter().find(|s| s.name == "node").unwrap();
    assert_eq!(node.kill_order[0].points, node.kill_order[1].points);
    assert_eq!(node.kill_order.tied_with(0).len(), 1);
}

#[test]
fn all_examples_evaluate() {
    for name in [
        "default.yaml",
        "besteffort-first.yaml",
        "burstable-over-request.yaml",
        "sidecar-tiny-request.yaml",
        "guaranteed-near-limit.yaml",
        "no-reservations.yaml",
        "node-110-pods.yaml",
    ] {
        let e = evaluate(&parse_scenario(&example(name)).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!e.pods.is_empty(), "{name}");
    }
}

#[test]
fn besteffort_first_everywhere() {
    let e = evaluate(&parse_scenario(&example("besteffort-first.yaml")).unwrap()).unwrap();
    assert_eq!(
        e.eviction_order.first().map(|k| k.as_str()),
        Some("default/scratch")
    );
    assert_eq!(
        e.node_oom_kill_order.first().map(|k| k.as_str()),
        Some("default/scratch/shell")
    );
    // 8Gi − 200Mi threshold: available < 200Mi ⇔ used > 8192 − 200 = 7992Mi. Used = 800 (system) +
    // 1200 + 1500 + 1500 = 5000Mi, scratch grows 10Mi/s: (2992Mi + 1 B)/10Mi/s → 299.2 s → sync at 300 s.
    // The allocatable signal: kubepods = 8192 − 768 = 7424Mi, pods 4200Mi: (3024Mi+1B)/10 = 302.4 s, later.
    assert_eq!(e.timeline.first_mechanism, Some(Mechanism::EvictionHard));
    assert_eq!(e.timeline.steps[0].time_seconds, 300.0);
}

#[test]
fn pod_usage_split_never_exceeds_a_limit() {
    // requests 0 and 128Mi (limit 256Mi), pod usage 1500Mi: by request all would go to b, but b is
    // capped at its 256Mi limit and the remaining 1244Mi goes to a.
    let text = "node: {memory: 32Gi}\npods:\n  - metadata: {name: p}\n    spec:\n      containers:\n        - {name: a}\n        - {name: b, resources: {requests: {memory: 128Mi}, limits: {memory: 256Mi}}}\nusage: {default/p: 1500Mi}\n";
    let e = evaluate(&parse_scenario(text).unwrap()).unwrap();
    assert_eq!(
        e.pods[0].containers[0].usage_bytes,
        Some(1500 * MI - 256 * MI)
    );
    assert_eq!(e.pods[0].containers[1].usage_bytes, Some(256 * MI));
    // b sits at its limit without growth: no OOM kill.
    assert!(e.timeline.steps.is_empty());
}

#[test]
fn tie_order_follows_the_kernel_release() {
    // Two identical BestEffort pods tie in every scope; which the kernel takes first depends on
    // the release (`KernelVersion::ties_keep_later`): the later-created from 5.3, the first on
    // 4.9–5.2; global OOMs of 4.7–4.8 keep the later one, memcg OOMs of 4.7–4.8 the first.
    let scenario = |kernel: &str| {
        format!("node: {{memory: 8Gi, kernelVersion: \"{kernel}\"}}\npods:\n  - metadata: {{name: a}}\n    spec: {{containers: [{{name: c}}]}}\n  - metadata: {{name: b}}\n    spec: {{containers: [{{name: c}}]}}\nusage: {{default/a: 1Gi, default/b: 1Gi}}\n")
    };
    for (kernel, first) in [
        ("6.8", "default/b/c"),
        ("5.3", "default/b/c"),
        ("5.2", "default/a/c"),
        ("4.19", "default/a/c"),
        ("4.8", "default/b/c"),
        ("4.6", "default/a/c"),
    ] {
        let e = evaluate(&parse_scenario(&scenario(kernel)).unwrap()).unwrap();
        let scopes = e.oom_scopes();
        let node = scopes.iter().find(|s| s.name == "node").unwrap();
        assert_eq!(node.kill_order.id(0), first, "kernel {kernel}");
        assert_eq!(node.kill_order[0].points, node.kill_order[1].points);
        assert_eq!(
            e.node_oom_kill_order.first().map(|k| k.as_str()),
            Some(first),
            "kernel {kernel}"
        );
    }
}

/// `evaluation::compare`: a fix (a request raised) moves the numbers it should and nothing else.
#[test]
fn compare_names_what_a_change_moved() {
    use oomlens_core::evaluation::compare::{compare, Field, Value};
    let before_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/scenarios/burstable-over-request.yaml"
    ))
    .unwrap();
    let before = oomlens_core::scenario::parse_scenario(&before_text).unwrap();
    let mut after = before.clone();
    // frontend's request 256Mi → 3Gi: it is no longer over its request.
    let after_text = before_text.replace(
        "requests: {memory: 256Mi}, limits: {memory: 4Gi}",
        "requests: {memory: 3Gi}, limits: {memory: 4Gi}",
    );
    assert_ne!(after_text, before_text);
    after = oomlens_core::scenario::parse_scenario(&after_text).unwrap_or(after);
    let (a, b) = (
        oomlens_core::evaluate(&before).unwrap(),
        oomlens_core::evaluate(&after).unwrap(),
    );
    assert!(compare(&a, &a).is_empty());
    let c = compare(&a, &b);
    assert!(c.changed("web/frontend/nginx", Field::Request));
    let req = c
        .changes
        .iter()
        .find(|x| x.id == "web/frontend/nginx" && x.field == Field::Request)
        .unwrap();
    assert_eq!(req.before, Value::Bytes(256 << 20));
    assert_eq!(req.after, Value::Bytes(3 << 30));
    // Its oom_score_adj falls, its eviction rank moves back; the limit did not change.
    assert!(c.changed("web/frontend/nginx", Field::OomScoreAdj));
    assert!(c.changed("web/frontend", Field::EvictionRank));
    assert!(!c.changed("web/frontend/nginx", Field::Limit));
    assert!(!c.changed("node", Field::Allocatable));
    assert!(c.added.is_empty() && c.removed.is_empty());
    assert_eq!(
        a.eviction_order.first().map(|n| n.to_string()),
        Some("web/frontend".to_string())
    );
    assert_ne!(
        b.eviction_order.first().map(|n| n.to_string()),
        Some("web/frontend".to_string())
    );
}

/// A pod whose memory request does not fit what allocatable leaves is marked unschedulable and
/// named in a note; the pods listed after it are admitted against what it did not take
/// (`kubelet::resource_fit`, the scheduler's NodeResourcesFit filter).
#[test]
fn a_request_larger_than_what_is_left_is_unschedulable() {
    let text = "node: {memory: 8Gi, kubeletConfig: {kubeReserved: {memory: 512Mi}, evictionHard: {memory.available: 100Mi}}}
pods:
  - metadata: {name: a, namespace: ns}
    spec: {containers: [{name: c, resources: {requests: {memory: 6Gi}}}]}
  - metadata: {name: big, namespace: ns}
    spec: {containers: [{name: c, resources: {requests: {memory: 1000Gi}}}]}
  - metadata: {name: b, namespace: ns}
    spec: {containers: [{name: c, resources: {requests: {memory: 1Gi}}}]}
  - metadata: {name: c, namespace: ns}
    spec: {containers: [{name: c, resources: {requests: {memory: 1Gi}}}]}
";
    let e = evaluate(&parse_scenario(text).unwrap()).unwrap();
    // allocatable = 8Gi − 512Mi − 100Mi = 7580Mi; a (6Gi) fits, big does not, b (1Gi) fits
    // (7Gi ≤ 7580Mi), c does not (8Gi > 7580Mi).
    assert_eq!(e.node.allocatable_bytes, 7580 << 20);
    let fits: Vec<bool> = e.pods.iter().map(|p| p.schedulable).collect();
    assert_eq!(fits, vec![true, false, true, false]);
    // A Pending pod never runs: kubelet does not rank it, the kernel cannot kill it.
    let order: Vec<String> = e.eviction_order.iter().map(|n| n.to_string()).collect();
    assert_eq!(order.len(), 2);
    assert!(!order.contains(&"ns/big".to_string()) && !order.contains(&"ns/c".to_string()));
    assert!(e
        .node_oom_kill_order
        .iter()
        .all(|n| !n.starts_with("ns/big/") && !n.starts_with("ns/c/")));
    assert_eq!(e.pods[1].eviction_rank, None);
    assert_eq!(e.pods[1].eviction_messages()[0].id, "eviction.rank.pending");
    let notes: Vec<String> = e
        .note_messages
        .iter()
        .filter(|m| m.id == "note.pod_unschedulable")
        .map(|m| m.english())
        .collect();
    assert_eq!(notes.len(), 2);
    assert!(
        notes[0].starts_with("ns/big requests 1000 GiB"),
        "{}",
        notes[0]
    );
    assert!(
        notes[1].contains("ns/c") && notes[1].contains("only 412 MiB"),
        "{}",
        notes[1]
    );
}
