//! oom_score_adj per container, ported from kubernetes/kubernetes `pkg/kubelet/qos/policy_test.go`:
//! - TestGetContainerOOMScoreAdjust, released form with PodLevelResources and the sidecar cap
//!   (stored version id 586860003; every one of its 23 named cases, 40 container rows). Rows run at
//!   kubelet 1.33 (PodLevelResources off by default) or 1.34 (on) as the row's gate says.
//! - The same test at the PR #128029 state (stored id 3438940135, SidecarContainers-gated rows):
//!   identical expectations, covered by the rows above.
//!
//! Upstream asserts `low <= adj <= high`; so do we.

use oomlens_core::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use oomlens_core::kubelet::oom_score_adj::{
    container_oom_score_adjust, KUBELET_OOM_SCORE_ADJ, KUBE_PROXY_OOM_SCORE_ADJ,
};
use oomlens_core::kubelet::resources::Requests;
use oomlens_core::kubelet::rules::{KubeletRules, KubeletVersion};
use proptest::prelude::*;
use std::collections::BTreeMap;

const STD: i64 = 8_000_000_000; // standardMemoryAmount

/// `GetContainerOOMScoreAdjust` with its derivation rendered.
fn adjust(
    p: &Pod,
    c: &Container,
    capacity: i64,
    rules: &KubeletRules,
    requests: Requests,
) -> (i64, oomlens_core::base::derivation::Derivation) {
    let (adj, why) = container_oom_score_adjust(p, c, capacity, rules, requests);
    (adj, why.derivation())
}

use crate::support::rl;

fn n(v: i64) -> String {
    v.to_string()
}

fn ctr(name: &str, kind: ContainerKind, requests: ResourceList, limits: ResourceList) -> Container {
    Container {
        name: name.into(),
        kind,
        resources: ResourceRequirements { requests, limits },
    }
}

fn main_c(name: &str, requests: ResourceList, limits: ResourceList) -> Container {
    ctr(name, ContainerKind::Container, requests, limits)
}

fn pod(
    containers: Vec<Container>,
    init: Vec<Container>,
    res: Option<(ResourceList, ResourceList)>,
) -> Pod {
    Pod {
        name: "p".into(),
        namespace: "default".into(),
        containers,
        init_containers: init,
        resources: res.map(|(requests, limits)| ResourceRequirements { requests, limits }),
        ..Pod::default()
    }
}

fn mem_rl(req: i64) -> ResourceList {
    rl("", &n(req))
}

// sampleDefaultMemRequest / Limit, pod-level request / limit.
fn smr() -> String {
    n(STD / 8)
}
fn sml() -> String {
    n(1000 + STD / 8)
}
fn spr() -> String {
    n(STD / 4)
}
fn spl() -> String {
    n(1000 + STD / 4)
}

fn sample_container() -> Container {
    main_c("main-1", rl("", &smr()), rl("", &sml()))
}
fn sample_init() -> Container {
    ctr(
        "init-container",
        ContainerKind::Init,
        rl("", &smr()),
        rl("", &sml()),
    )
}
fn sidecar(name: &str, req: i64) -> Container {
    ctr(name, ContainerKind::Sidecar, mem_rl(req), rl("", &sml()))
}

struct Case {
    name: &'static str,
    pod: Pod,
    capacity: i64,
    /// container name → (low, high)
    want: Vec<(&'static str, i64, i64)>,
    plr: bool,
}

fn cases() -> Vec<Case> {
    let prio_cluster = 2_000_000_000;
    let prio_node = 2_000_001_000;
    let mut cluster_critical = pod(
        vec![main_c("cluster-critical", rl("", ""), rl("", ""))],
        vec![],
        None,
    );
    cluster_critical.priority_class_name = Some("system-cluster-critical".into());
    cluster_critical.priority = Some(prio_cluster);
    let mut node_critical = pod(
        vec![main_c("node-critical", rl("", ""), rl("", ""))],
        vec![],
        None,
    );
    node_critical.priority_class_name = Some("system-node-critical".into());
    node_critical.priority = Some(prio_node);
    let plr_g = (rl("5m", &spr()), rl("5m", &spr()));
    let plr_b = (rl("5m", &spr()), rl("5m", &spl()));
    vec![
        Case {
            name: "cpu-limit",
            pod: pod(
                vec![main_c("cpu-limit", rl("", ""), rl("10", ""))],
                vec![],
                None,
            ),
            capacity: 4_000_000_000,
            want: vec![("cpu-limit", 999, 999)],
            plr: false,
        },
        Case {
            name: "memory-limit-cpu-request",
            pod: pod(
                vec![main_c(
                    "memory-limit-cpu-request",
                    rl("0", ""),
                    rl("", "10G"),
                )],
                vec![],
                None,
            ),
            capacity: 8_000_000_000,
            want: vec![("memory-limit-cpu-request", 999, 999)],
            plr: false,
        },
        Case {
            name: "zero-memory-limit",
            pod: pod(
                vec![main_c("zero-memory-limit", rl("", ""), rl("", "0"))],
                vec![],
                None,
            ),
            capacity: 7_230_457_451,
            want: vec![("zero-memory-limit", 1000, 1000)],
            plr: false,
        },
        Case {
            name: "no-request-limit",
            pod: pod(
                vec![main_c("no-request-limit", rl("", ""), rl("", ""))],
                vec![],
                None,
            ),
            capacity: 4_000_000_000,
            want: vec![("no-request-limit", 1000, 1000)],
            plr: false,
        },
        Case {
            name: "equal-request-limit-cpu-memory",
            pod: pod(
                vec![main_c(
                    "equal-request-limit-cpu-memory",
                    rl("5m", "10G"),
                    rl("5m", "10G"),
                )],
                vec![],
                None,
            ),
            capacity: 123_456_789,
            want: vec![("equal-request-limit-cpu-memory", -997, -997)],
            plr: false,
        },
        Case {
            name: "cpu-unlimited-memory-limited-with-requests",
            pod: pod(
                vec![main_c(
                    "cpu-unlimited-memory-limited-with-requests",
                    rl("5m", &n(STD / 2)),
                    rl("", "10G"),
                )],
                vec![],
                None,
            ),
            capacity: STD,
            want: vec![("cpu-unlimited-memory-limited-with-requests", 495, 505)],
            plr: false,
        },
        Case {
            name: "request-no-limit",
            pod: pod(
                vec![main_c(
                    "request-no-limit",
                    rl("5m", &n(STD - 1)),
                    rl("", ""),
                )],
                vec![],
                None,
            ),
            capacity: STD,
            want: vec![("request-no-limit", 3, 3)],
            plr: false,
        },
        Case {
            name: "cluster-critical",
            pod: cluster_critical,
            capacity: 4_000_000_000,
            want: vec![("cluster-critical", 1000, 1000)],
            plr: false,
        },
        Case {
            name: "node-critical",
            pod: node_critical,
            capacity: 4_000_000_000,
            want: vec![("node-critical", -997, -997)],
            plr: false,
        },
        Case {
            name: "burstable-unique-container-pod",
            pod: pod(
                vec![main_c(
                    "burstable-unique-container",
                    rl("", &smr()),
                    rl("", &sml()),
                )],
                vec![],
                None,
            ),
            capacity: STD,
            want: vec![("burstable-unique-container", 875, 880)],
            plr: false,
        },
        Case {
            name: "burstable-mixed-unique-main-container-pod",
            pod: pod(vec![sample_container()], vec![sample_init()], None),
            capacity: STD,
            want: vec![("init-container", 875, 880), ("main-1", 875, 880)],
            plr: false,
        },
        Case {
            name: "burstable-mixed-multi-container-small-sidecar-pod",
            pod: pod(
                vec![sample_container()],
                vec![sample_init(), sidecar("sidecar-small-container", STD / 20)],
                None,
            ),
            capacity: STD,
            want: vec![
                ("init-container", 875, 880),
                ("sidecar-small-container", 875, 875),
                ("main-1", 875, 875),
            ],
            plr: false,
        },
        Case {
            name: "burstable-mixed-multi-container-sample-request-pod",
            pod: pod(
                vec![sample_container()],
                vec![sample_init(), sidecar("sidecar-container", STD / 8)],
                None,
            ),
            capacity: STD,
            want: vec![
                ("init-container", 875, 880),
                ("sidecar-container", 875, 875),
                ("main-1", 875, 875),
            ],
            plr: false,
        },
        Case {
            name: "burstable-mixed-multi-container-big-sidecar-container-pod",
            pod: pod(
                vec![sample_container()],
                vec![sample_init(), sidecar("sidecar-big-container", STD / 2)],
                None,
            ),
            capacity: STD,
            want: vec![
                ("init-container", 875, 880),
                ("sidecar-big-container", 500, 500),
                ("main-1", 875, 875),
            ],
            plr: false,
        },
        Case {
            name: "guaranteed-pod-resources-no-container-resources",
            pod: pod(
                vec![
                    main_c("no-request-limit-1", rl("", ""), rl("", "")),
                    main_c("no-request-limit-2", rl("", ""), rl("", "")),
                ],
                vec![],
                Some(plr_g.clone()),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("no-request-limit-1", -997, -997),
                ("no-request-limit-2", -997, -997),
            ],
            plr: true,
        },
        Case {
            name: "guaranteed-pod-resources-equal-container-resources",
            pod: pod(
                vec![
                    main_c("guaranteed-container-1", rl("5m", &smr()), rl("5m", &smr())),
                    main_c("guaranteed-container-2", rl("5m", &smr()), rl("5m", &smr())),
                ],
                vec![],
                Some(plr_g.clone()),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("guaranteed-container-1", -997, -997),
                ("guaranteed-container-2", -997, -997),
            ],
            plr: true,
        },
        Case {
            name: "guaranteed-pod-resources-unequal-container-requests",
            pod: pod(
                vec![
                    main_c("burstable-container", rl("3m", &smr()), rl("5m", &sml())),
                    main_c("best-effort-container", rl("", ""), rl("", "")),
                ],
                vec![],
                Some(plr_g.clone()),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("burstable-container", -997, -997),
                ("best-effort-container", -997, -997),
            ],
            plr: true,
        },
        Case {
            name: "burstable-pod-resources-no-container-resources",
            pod: pod(
                vec![
                    main_c("no-request-limit-1", rl("", ""), rl("", "")),
                    main_c("no-request-limit-2", rl("", ""), rl("", "")),
                ],
                vec![],
                Some(plr_b.clone()),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("no-request-limit-1", 750, 750),
                ("no-request-limit-2", 750, 750),
            ],
            plr: true,
        },
        Case {
            name: "burstable-pod-resources-equal-container-requests",
            pod: pod(
                vec![
                    main_c("guaranteed-container-1", rl("5m", &smr()), rl("5m", &smr())),
                    main_c("guaranteed-container-2", rl("5m", &smr()), rl("5m", &smr())),
                ],
                vec![],
                Some(plr_b.clone()),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("guaranteed-container-1", 750, 750),
                ("guaranteed-container-2", 750, 750),
            ],
            plr: true,
        },
        Case {
            name: "burstable-pod-resources-unequal-container-requests",
            pod: pod(
                vec![
                    main_c("burstable-container", rl("3m", &smr()), rl("5m", &smr())),
                    main_c("best-effort-container", rl("", ""), rl("", "")),
                ],
                vec![],
                Some(plr_b.clone()),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("burstable-container", 625, 625),
                ("best-effort-container", 875, 875),
            ],
            plr: true,
        },
        Case {
            name: "burstable-pod-resources-no-container-resources-with-sidecar",
            pod: pod(
                vec![main_c("no-request-limit", rl("", ""), rl("", ""))],
                vec![ctr(
                    "no-request-limit-sidecar",
                    ContainerKind::Sidecar,
                    rl("", ""),
                    rl("", ""),
                )],
                Some(plr_b.clone()),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("no-request-limit", 750, 750),
                ("no-request-limit-sidecar", 750, 750),
            ],
            plr: true,
        },
        Case {
            name: "burstable-pod-resources-equal-container-requests-with-sidecar",
            pod: pod(
                vec![main_c(
                    "burstable-container",
                    rl("5m", &smr()),
                    rl("5m", &sml()),
                )],
                vec![ctr(
                    "burstable-sidecar",
                    ContainerKind::Sidecar,
                    rl("5m", &smr()),
                    rl("5m", &sml()),
                )],
                Some(plr_b.clone()),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("burstable-container", 750, 750),
                ("burstable-sidecar", 750, 750),
            ],
            plr: true,
        },
        Case {
            name: "burstable-pod-resources-unequal-container-requests-with-sidecar",
            pod: pod(
                vec![
                    main_c(
                        "burstable-container-1",
                        rl("5m", "1000000000"),
                        rl("5m", &spl()),
                    ),
                    main_c(
                        "burstable-container-2",
                        rl("5m", "500000000"),
                        rl("5m", &spl()),
                    ),
                ],
                vec![ctr(
                    "burstable-sidecar",
                    ContainerKind::Sidecar,
                    rl("5m", "200000000"),
                    rl("5m", &spl()),
                )],
                Some((rl("5m", "2000000000"), rl("5m", &spl()))),
            ),
            capacity: 4_000_000_000,
            want: vec![
                ("burstable-container-1", 725, 725),
                ("burstable-container-2", 850, 850),
                ("burstable-sidecar", 850, 850),
            ],
            plr: true,
        },
    ]
}

fn rules_for(plr: bool) -> KubeletRules {
    // 1.33: sidecar cap, PodLevelResources off by default; 1.34: on by default.
    KubeletRules::new(
        KubeletVersion::v1(if plr { 34 } else { 33 }),
        &BTreeMap::new(),
    )
}

#[test]
fn get_container_oom_score_adjust_upstream_table() {
    let all = cases();
    assert_eq!(all.len(), 23, "upstream case count");
    let mut rows = 0;
    for case in &all {
        let rules = rules_for(case.plr);
        let listed: Vec<&Container> = case
            .pod
            .init_containers
            .iter()
            .chain(case.pod.containers.iter())
            .collect();
        assert_eq!(listed.len(), case.want.len(), "{}", case.name);
        for c in listed {
            let (lo, hi) = case
                .want
                .iter()
                .find(|w| w.0 == c.name)
                .map(|w| (w.1, w.2))
                .unwrap();
            let (adj, d) = adjust(&case.pod, c, case.capacity, &rules, Requests::AsWritten);
            assert!(
                lo <= adj && adj <= hi,
                "{}/{}: {adj} not in [{lo}, {hi}] ({})",
                case.name,
                c.name,
                d.substituted
            );
            rows += 1;
        }
    }
    assert_eq!(rows, 40);
}

#[test]
fn derivations_name_the_rule() {
    let case = cases()
        .into_iter()
        .find(|c| c.name == "burstable-mixed-multi-container-small-sidecar-pod")
        .unwrap();
    let rules = rules_for(false);
    let sc = &case.pod.init_containers[1];
    let (adj, d) = adjust(&case.pod, sc, STD, &rules, Requests::AsWritten);
    assert_eq!(adj, 875);
    assert_eq!(d.rule, "oom_score_adj.sidecar");
    assert_eq!(
        d.substituted,
        "min(1000 - 1000*400000000/8000000000 = 950, 1000 - 1000*1000000000/8000000000 = 875)"
    );
    assert!(
        d.version_rule.starts_with("kubelet 1.33"),
        "{}",
        d.version_rule
    );
    let (_, d) = adjust(
        &case.pod,
        &case.pod.containers[0],
        STD,
        &rules,
        Requests::AsWritten,
    );
    assert_eq!(d.rule, "oom_score_adj.burstable");
    assert_eq!(d.substituted, "1000 - 1000*1000000000/8000000000 = 875");
}

/// History (not an upstream row): before 1.32 (CHANGELOG-1.32, PR #128029) a sidecar got the plain formula; with
/// SidecarContainers off (1.28 default) it is a plain init container.
#[test]
fn sidecar_rule_history() {
    let case = cases()
        .into_iter()
        .find(|c| c.name == "burstable-mixed-multi-container-small-sidecar-pod")
        .unwrap();
    let sc = &case.pod.init_containers[1];
    for (v, want) in [
        (29, 950),
        (31, 950),
        (32, 875),
        (33, 875),
        (37, 875),
        (28, 950),
    ] {
        let rules = KubeletRules::new(KubeletVersion::v1(v), &BTreeMap::new());
        assert_eq!(
            adjust(&case.pod, sc, STD, &rules, Requests::Defaulted).0,
            want,
            "1.{v}"
        );
    }
}

#[test]
fn defaulted_path_uses_limits_as_requests() {
    // Upstream's raw case memory-limit-cpu-request gives 999 (no memory request in the raw spec);
    // as the API server stores the pod, requests.memory defaults to the 10G limit → clamp to 3.
    let p = pod(vec![main_c("m", rl("0", ""), rl("", "10G"))], vec![], None);
    let rules = KubeletRules::default();
    assert_eq!(
        adjust(&p, &p.containers[0], STD, &rules, Requests::AsWritten).0,
        999
    );
    assert_eq!(
        adjust(&p, &p.containers[0], STD, &rules, Requests::Defaulted).0,
        3
    );
    // 500Mi request on a 16Gi node: 1000 - 1000*524288000/17179869184 = 970 (truncation).
    let p = pod(
        vec![main_c("web", rl("", "500Mi"), rl("", "1Gi"))],
        vec![],
        None,
    );
    let (adj, d) = adjust(&p, &p.containers[0], 16 << 30, &rules, Requests::Defaulted);
    assert_eq!(adj, 970);
    assert_eq!(d.substituted, "1000 - 1000*524288000/17179869184 = 970");
    assert_eq!(
        (KUBELET_OOM_SCORE_ADJ, KUBE_PROXY_OOM_SCORE_ADJ),
        (-999, -999)
    );
}

#[test]
fn static_pod_without_node_critical_class_gets_no_special_adj() {
    let mut p = pod(
        vec![main_c("etcd", rl("100m", "100Mi"), rl("", ""))],
        vec![],
        None,
    );
    p.is_static = true;
    let rules = KubeletRules::default();
    let (adj, d) = adjust(
        &p,
        &p.containers[0],
        4_000_000_000,
        &rules,
        Requests::Defaulted,
    );
    assert_eq!(adj, 1000 - 1000 * 104_857_600 / 4_000_000_000);
    assert!(
        d.substituted
            .contains("critical but not system-node-critical"),
        "{}",
        d.substituted
    );
    p.priority_class_name = Some("system-node-critical".into());
    assert_eq!(
        adjust(
            &p,
            &p.containers[0],
            4_000_000_000,
            &rules,
            Requests::Defaulted
        )
        .0,
        -997
    );
}

proptest! {
    /// Invariant: in every modelled release a Burstable container's adj is within [3, 999]
    /// (1000 + guaranteedOOMScoreAdj … besteffortOOMScoreAdj − 1), whatever request and capacity.
    #[test]
    fn burstable_adj_within_version_range(v in 25u32..=37, cap in 1i64..(1i64 << 46), frac in 0u32..=2000, sidecar in any::<bool>()) {
        let rules = KubeletRules::new(KubeletVersion::v1(v), &BTreeMap::new());
        let req = ((cap as i128) * i128::from(frac) / 1000) as i64;
        let main = main_c("app", rl("100m", &n(req)), rl("", ""));
        let init = if sidecar { vec![ctr("sc", ContainerKind::Sidecar, rl("50m", &n(req / 2)), rl("", ""))] } else { vec![] };
        let p = pod(vec![main], init, None);
        for c in p.all_containers() {
            let (name, (adj, d)) = (&c.name, adjust(&p, c, cap, &rules, Requests::Defaulted));
            prop_assert!((rules.burstable_min_oom_score_adj()..=rules.burstable_max_oom_score_adj()).contains(&adj),
                "1.{} {}: {} ({})", v, name, adj, d.substituted);
        }
    }
}
