//! QoS class, ported from kubernetes/kubernetes `pkg/apis/core/v1/helper/qos/qos_test.go`
//! (stored version @00c269c7, the v1.35 line): TestComputePodQOS (20 named cases, 6 with
//! PodLevelResources), TestCollectPodLevelResources (4), TestCollectContainerLevelResources (5).
//! Upstream calls ComputePodQOS on raw specs, so do we ([`Requests::AsWritten`]).

use oomlens_core::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use oomlens_core::base::quantity::Quantity;
use oomlens_core::kubelet::qos::{
    collect_container_level_resources, collect_pod_level_resources, compute_pod_qos, get_pod_qos,
    QosClass, QosSums,
};
use oomlens_core::kubelet::resources::Requests;
use oomlens_core::kubelet::rules::{KubeletRules, KubeletVersion};
use std::collections::BTreeMap;
use QosClass::{BestEffort as BE, Burstable as BU, Guaranteed as G};

/// `getResourceList(cpu, memory)`: "" = absent.
use crate::support::rl;

fn add(name: &str, v: &str, mut l: ResourceList) -> ResourceList {
    l.set(name, Quantity::parse(v).unwrap());
    l
}

fn rr(requests: ResourceList, limits: ResourceList) -> ResourceRequirements {
    ResourceRequirements { requests, limits }
}

fn c(name: &str, requests: ResourceList, limits: ResourceList) -> Container {
    Container {
        name: name.into(),
        kind: ContainerKind::Container,
        resources: rr(requests, limits),
    }
}

fn pod(name: &str, containers: Vec<Container>) -> Pod {
    Pod {
        name: name.into(),
        namespace: "default".into(),
        containers,
        ..Pod::default()
    }
}

fn with_init(mut p: Pod, init: Vec<Container>) -> Pod {
    p.init_containers = init
        .into_iter()
        .map(|c| Container {
            kind: ContainerKind::Init,
            ..c
        })
        .collect();
    p
}

fn with_pod_resources(mut p: Pod, r: ResourceRequirements) -> Pod {
    p.resources = Some(r);
    p
}

/// TestComputePodQOS: (pod, expected, podLevelResourcesEnabled).
fn compute_pod_qos_table() -> Vec<(Pod, QosClass, bool)> {
    vec![
        (
            pod(
                "guaranteed",
                vec![c("guaranteed", rl("100m", "100Mi"), rl("100m", "100Mi"))],
            ),
            G,
            false,
        ),
        (
            pod(
                "guaranteed-guaranteed",
                vec![
                    c("guaranteed", rl("100m", "100Mi"), rl("100m", "100Mi")),
                    c("guaranteed", rl("100m", "100Mi"), rl("100m", "100Mi")),
                ],
            ),
            G,
            false,
        ),
        (
            pod(
                "best-effort-best-effort",
                vec![
                    c("best-effort", rl("", ""), rl("", "")),
                    c("best-effort", rl("", ""), rl("", "")),
                ],
            ),
            BE,
            false,
        ),
        (
            pod(
                "best-effort",
                vec![c("best-effort", rl("", ""), rl("", ""))],
            ),
            BE,
            false,
        ),
        (
            pod(
                "best-effort-burstable",
                vec![
                    c("best-effort", rl("", ""), rl("", "")),
                    c("burstable", rl("1", ""), rl("2", "")),
                ],
            ),
            BU,
            false,
        ),
        (
            pod(
                "best-effort-guaranteed",
                vec![
                    c("best-effort", rl("", ""), rl("", "")),
                    c("guaranteed", rl("10m", "100Mi"), rl("10m", "100Mi")),
                ],
            ),
            BU,
            false,
        ),
        (
            pod(
                "burstable-cpu-guaranteed-memory",
                vec![c("burstable", rl("", "100Mi"), rl("", "100Mi"))],
            ),
            BU,
            false,
        ),
        (
            pod(
                "burstable-no-limits",
                vec![c("burstable", rl("100m", "100Mi"), rl("", ""))],
            ),
            BU,
            false,
        ),
        (
            pod(
                "burstable-guaranteed",
                vec![
                    c("burstable", rl("1", "100Mi"), rl("2", "100Mi")),
                    c("guaranteed", rl("100m", "100Mi"), rl("100m", "100Mi")),
                ],
            ),
            BU,
            false,
        ),
        (
            pod(
                "burstable-unbounded-but-requests-match-limits",
                vec![
                    c("burstable", rl("100m", "100Mi"), rl("200m", "200Mi")),
                    c("burstable-unbounded", rl("100m", "100Mi"), rl("", "")),
                ],
            ),
            BU,
            false,
        ),
        (
            pod(
                "burstable-1",
                vec![c("burstable", rl("10m", "100Mi"), rl("100m", "200Mi"))],
            ),
            BU,
            false,
        ),
        (
            pod(
                "burstable-2",
                vec![c("burstable", rl("0", "0"), rl("100m", "200Mi"))],
            ),
            BU,
            false,
        ),
        (
            pod(
                "best-effort-hugepages",
                vec![c(
                    "best-effort",
                    add("hugepages-2Mi", "1Gi", rl("0", "0")),
                    add("hugepages-2Mi", "1Gi", rl("0", "0")),
                )],
            ),
            BE,
            false,
        ),
        (
            with_init(
                pod(
                    "init-container",
                    vec![c("best-effort", rl("", ""), rl("", ""))],
                ),
                vec![c("burstable", rl("10m", "100Mi"), rl("100m", "200Mi"))],
            ),
            BU,
            false,
        ),
        (
            with_pod_resources(
                pod(
                    "guaranteed-with-pod-level-resources",
                    vec![c("best-effort", rl("", ""), rl("", ""))],
                ),
                rr(rl("10m", "100Mi"), rl("10m", "100Mi")),
            ),
            G,
            true,
        ),
        (
            with_pod_resources(
                pod(
                    "guaranteed-with-pod-and-container-level-resources",
                    vec![c("burstable", rl("3m", "10Mi"), rl("5m", "20Mi"))],
                ),
                rr(rl("10m", "100Mi"), rl("10m", "100Mi")),
            ),
            G,
            true,
        ),
        (
            with_pod_resources(
                pod(
                    "burstable-with-pod-level-resources",
                    vec![c("best-effort", rl("", ""), rl("", ""))],
                ),
                rr(rl("10m", "10Mi"), rl("20m", "50Mi")),
            ),
            BU,
            true,
        ),
        (
            with_pod_resources(
                pod(
                    "burstable-with-pod-and-container-level-resources",
                    vec![c("burstable", rl("5m", "10Mi"), rl("5m", "10Mi"))],
                ),
                rr(rl("10m", "10Mi"), rl("20m", "50Mi")),
            ),
            BU,
            true,
        ),
        (
            with_pod_resources(
                pod(
                    "burstable-with-pod-and-container-level-requests",
                    vec![c("burstable", rl("5m", "10Mi"), rl("", ""))],
                ),
                rr(rl("10m", "10Mi"), rl("", "")),
            ),
            BU,
            true,
        ),
        (
            with_pod_resources(
                pod(
                    "burstable-with-pod-and-container-level-resources-2",
                    vec![
                        c("burstable", rl("5m", "10Mi"), rl("", "")),
                        c("guaranteed", rl("5m", "10Mi"), rl("5m", "10Mi")),
                    ],
                ),
                rr(rl("10m", "10Mi"), rl("5m", "")),
            ),
            BU,
            true,
        ),
    ]
}

#[test]
fn compute_pod_qos_upstream_table() {
    let table = compute_pod_qos_table();
    assert_eq!(table.len(), 20);
    for (p, want, plr) in &table {
        assert_eq!(
            compute_pod_qos(p, *plr, Requests::AsWritten).0,
            *want,
            "{}",
            p.name
        );
        // The same through KubeletRules: 1.34+ has PodLevelResources on by default, 1.33 off.
        let v = if *plr { 34 } else { 33 };
        let rules = KubeletRules::new(KubeletVersion::v1(v), &BTreeMap::new());
        assert_eq!(
            compute_pod_qos(p, rules.pod_level_resources(), Requests::Defaulted).0,
            *want,
            "{} via rules {v}",
            p.name
        );
    }
}

#[test]
fn pod_level_resources_ignored_when_gate_off() {
    // guaranteed-with-pod-level-resources: BestEffort containers; with the gate off spec.resources is dropped.
    let (p, _, _) = compute_pod_qos_table().into_iter().nth(14).unwrap();
    assert_eq!(compute_pod_qos(&p, false, Requests::AsWritten).0, BE);
    let rules = KubeletRules::new(KubeletVersion::v1(33), &BTreeMap::new());
    assert_eq!(
        compute_pod_qos(&p, rules.pod_level_resources(), Requests::Defaulted).0,
        BE
    );
    let on = BTreeMap::from([("PodLevelResources".to_string(), true)]);
    assert_eq!(
        compute_pod_qos(
            &p,
            KubeletRules::new(KubeletVersion::v1(33), &on).pod_level_resources(),
            Requests::Defaulted
        )
        .0,
        G
    );
    // A non-nil but empty spec.resources with the gate on is BestEffort (pod-best-effort-0-plr).
    let empty = with_pod_resources(
        pod("e", vec![c("g", rl("1", "1Gi"), rl("1", "1Gi"))]),
        rr(rl("", ""), rl("", "")),
    );
    assert_eq!(compute_pod_qos(&empty, true, Requests::AsWritten).0, BE);
}

fn sums(cpu: &str, memory: &str) -> QosSums {
    let q = |s: &str| (!s.is_empty()).then(|| Quantity::parse(s).unwrap());
    QosSums {
        cpu: q(cpu),
        memory: q(memory),
    }
}

/// TestCollectPodLevelResources.
#[test]
fn collect_pod_level_resources_table() {
    let table = [
        (
            "cpu+mem limits present -> Guaranteed",
            rl("100m", "128Mi"),
            rl("750m", "512Mi"),
            sums("100m", "128Mi"),
            sums("750m", "512Mi"),
            true,
        ),
        (
            "only cpu limit -> not Guaranteed",
            rl("100m", "128Mi"),
            rl("750m", ""),
            sums("100m", "128Mi"),
            sums("750m", ""),
            false,
        ),
        (
            "only memory limit -> not Guaranteed",
            rl("100m", "128Mi"),
            rl("", "512Mi"),
            sums("100m", "128Mi"),
            sums("", "512Mi"),
            false,
        ),
        (
            "no limits -> not Guaranteed",
            rl("100m", "128Mi"),
            rl("", ""),
            sums("100m", "128Mi"),
            sums("", ""),
            false,
        ),
    ];
    for (name, reqs, lims, er, el, eg) in table {
        let (r, l, g) = collect_pod_level_resources(&rr(reqs, lims), Requests::AsWritten);
        assert_eq!((r, l, g), (er, el, eg), "{name}");
    }
}

/// TestCollectContainerLevelResources (the ephemeral-container case has no ephemeral container
/// here: oomlens does not read them, which is the point of the case).
#[test]
fn collect_container_level_resources_table() {
    let table: Vec<(&str, Pod, QosSums, QosSums, bool)> = vec![
        (
            "single container: full CPU+Mem limits -> Guaranteed",
            pod("p", vec![c("c1", rl("100m", "200Mi"), rl("200m", "400Mi"))]),
            sums("100m", "200Mi"),
            sums("200m", "400Mi"),
            true,
        ),
        (
            "two containers and init container with CPU+Mem limits -> Guaranteed",
            with_init(
                pod(
                    "p",
                    vec![
                        c("c1", rl("100m", "100Mi"), rl("200m", "200Mi")),
                        c("c2", rl("300m", "400Mi"), rl("800m", "1000Mi")),
                    ],
                ),
                vec![c("init", rl("50m", "50Mi"), rl("100m", "100Mi"))],
            ),
            sums("450m", "550Mi"),
            sums("1100m", "1300Mi"),
            true,
        ),
        (
            "only CPU limit (Mem limit absent/zero) -> NotGuaranteed",
            pod("p", vec![c("c1", rl("0", "0"), rl("100m", ""))]),
            sums("", ""),
            sums("100m", ""),
            false,
        ),
        (
            "two containers + init: one container missing CPU limit -> NotGuaranteed",
            with_init(
                pod(
                    "p",
                    vec![
                        c("c1", rl("100m", "100Mi"), rl("200m", "300Mi")),
                        c("c2", rl("300m", "100Mi"), rl("50m", "300Mi")),
                    ],
                ),
                vec![c("init1", rl("50m", "50Mi"), rl("", "50Mi"))],
            ),
            sums("450m", "250Mi"),
            sums("250m", "650Mi"),
            false,
        ),
        (
            "ephemeral-container ignored for QoS; CPU+Mem limits exist -> Guaranteed",
            pod("p", vec![c("c1", rl("250m", "256Mi"), rl("500m", "512Mi"))]),
            sums("250m", "256Mi"),
            sums("500m", "512Mi"),
            true,
        ),
    ];
    for (name, p, er, el, eg) in table {
        assert_eq!(
            collect_container_level_resources(&p, Requests::AsWritten),
            (er, el, eg),
            "{name}"
        );
    }
}

#[test]
fn limits_only_is_guaranteed_after_defaulting_and_status_wins() {
    let rules = KubeletRules::default();
    let p = pod("limits-only", vec![c("app", rl("", ""), rl("1", "1Gi"))]);
    // Raw (unit-test style) it is Burstable; as the API server stores it, Guaranteed.
    assert_eq!(compute_pod_qos(&p, false, Requests::AsWritten).0, BU);
    assert_eq!(
        compute_pod_qos(&p, rules.pod_level_resources(), Requests::Defaulted).0,
        G
    );
    // GetPodQOS prefers status.qosClass.
    let mut s = p.clone();
    s.status_qos_class = Some("Burstable".into());
    assert_eq!(
        get_pod_qos(&s, rules.pod_level_resources(), Requests::Defaulted).0,
        BU
    );
    assert_eq!(G.to_string(), "Guaranteed");
    assert_eq!(QosClass::parse("BestEffort"), Some(BE));
}
