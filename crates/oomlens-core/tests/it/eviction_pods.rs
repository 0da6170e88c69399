//! Pod-level eviction wiring: ranking inputs from pods (GetResourceRequestQuantity, IsCriticalPod),
//! the eviction message of kubernetes/kubernetes pkg/kubelet/eviction/helpers.go (evictionMessage:
//! container requests after API defaulting) and the grace-period rules of eviction_manager.go
//! with the AllowOverwriteTerminationGracePeriodSeconds gate (pkg/features/kube_features.go).

use oomlens_core::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use oomlens_core::base::quantity::Quantity;
use oomlens_core::kubelet::eviction::*;
use oomlens_core::kubelet::rules::{KubeletRules, KubeletVersion};
use std::collections::BTreeMap;

const MI: i64 = 1 << 20;

fn mem(s: &str) -> ResourceList {
    ResourceList {
        memory: Some(Quantity::parse(s).unwrap()),
        ..Default::default()
    }
}

fn container(name: &str, req: Option<&str>, lim: Option<&str>) -> Container {
    let mut c = Container {
        name: name.into(),
        ..Default::default()
    };
    c.kind = ContainerKind::Container;
    c.resources = ResourceRequirements {
        requests: req.map(mem).unwrap_or_default(),
        limits: lim.map(mem).unwrap_or_default(),
    };
    c
}

fn rules(minor: u32, gates: &[(&str, bool)]) -> KubeletRules {
    let g: BTreeMap<String, bool> = gates.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    KubeletRules::new(KubeletVersion { major: 1, minor }, &g)
}

#[test]
fn rank_inputs_from_pods() {
    let web = Pod {
        namespace: "default".into(),
        name: "web".into(),
        containers: vec![
            container("app", Some("500Mi"), Some("1Gi")),
            container("side", None, Some("100Mi")),
        ],
        ..Default::default()
    };
    let (ri, d) = rank_input_for_pod(&web, &rules(34, &[]), Some(900 * MI));
    assert_eq!(ri.key, "default/web");
    assert_eq!(ri.request_bytes, 600 * MI); // 500Mi + 100Mi defaulted from the limit
    assert_eq!(ri.priority, 0);
    assert!(!ri.critical);
    assert_eq!(d.field, "memory_request_bytes");
    let dns = Pod {
        namespace: "kube-system".into(),
        name: "coredns".into(),
        priority: Some(2_000_000_000),
        priority_class_name: Some("system-cluster-critical".into()),
        containers: vec![container("coredns", Some("70Mi"), Some("170Mi"))],
        ..Default::default()
    };
    let (ci, _) = rank_input_for_pod(&dns, &rules(34, &[]), Some(160 * MI));
    assert!(ci.critical);
    let ranked = rank_memory_pressure(&[ci, ri]);
    // Both over request; lower priority first, so web leads and coredns (critical) is never evicted.
    assert_eq!(ranked[0].key, "default/web");
    assert_eq!(
        ranked
            .iter()
            .find(|r| r.key == "kube-system/coredns")
            .unwrap()
            .eviction_rank,
        None
    ); // …but never evicted
    assert_eq!(
        ranked
            .iter()
            .find(|r| r.key == "default/web")
            .unwrap()
            .eviction_rank,
        Some(1)
    );
}

#[test]
fn message_for_pod_uses_defaulted_requests() {
    let pod = Pod {
        namespace: "default".into(),
        name: "web".into(),
        containers: vec![
            container("app", Some("500Mi"), Some("1Gi")),
            container("side", None, Some("100Mi")),
        ],
        ..Default::default()
    };
    let usage = BTreeMap::from([
        ("app".to_string(), 900 * MI),
        ("side".to_string(), 150 * MI),
    ]);
    let (msg, ann) = eviction_message_for_pod(
        &pod,
        &rules(34, &[]),
        Some((100 * MI, 50 * MI)),
        Some(1050 * MI),
        &usage,
    );
    assert_eq!(
        msg,
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container app was using 900Mi, request is 500Mi, has larger consumption of memory. Container side was using 150Mi, request is 100Mi, has larger consumption of memory. "
    );
    assert_eq!(ann["offending_containers"], "app,side");
}

/// The grace period an evicted pod gets, per release, from `eviction_manager.go` (`synchronize`:
/// the override), `pod_workers.go` (`calculateEffectiveGracePeriod`: what the pod gets) and
/// `kuberuntime_container.go` (`killContainer`: the runtime's window, 2 s floor from 1.28), read at
/// the kubernetes v1.26.15, v1.27.15, v1.28.11, v1.29.6, v1.30.7, v1.31.12 and v1.32.10 tags; 1.33+
/// from CHANGELOG-1.32/1.35 and PRs #124063 (1.31: hard evictions get 1 s; an override of 0 is no
/// longer replaced by the pod's terminationGracePeriodSeconds), #122890 (1.32: soft evictions
/// capped at terminationGracePeriodSeconds unless AllowOverwriteTerminationGracePeriodSeconds) and
/// #133792 (1.35: that gate locked off). Pod terminationGracePeriodSeconds 30.
#[test]
fn grace_period_by_release() {
    // (release, evictionMaxPodGracePeriod, gates, hard: pod/runtime, soft: pod/runtime)
    type Row = (
        u32,
        i64,
        &'static [(&'static str, bool)],
        (i64, i64),
        (i64, i64),
    );
    let rows: &[Row] = &[
        (25, 0, &[], (30, 30), (30, 30)),
        (27, 0, &[], (30, 30), (30, 30)),
        (28, 0, &[], (30, 30), (30, 30)),
        (30, 0, &[], (30, 30), (30, 30)),
        (30, 60, &[], (30, 30), (60, 60)),
        (31, 0, &[], (1, 2), (1, 2)),
        (31, 60, &[], (1, 2), (60, 60)),
        (32, 0, &[], (1, 2), (1, 2)),
        (32, 60, &[], (1, 2), (30, 30)),
        (
            33,
            60,
            &[("AllowOverwriteTerminationGracePeriodSeconds", true)],
            (1, 2),
            (60, 60),
        ),
        (34, 60, &[], (1, 2), (30, 30)),
        (
            35,
            60,
            &[("AllowOverwriteTerminationGracePeriodSeconds", true)],
            (1, 2),
            (30, 30),
        ),
        (37, 60, &[], (1, 2), (30, 30)),
        (37, 0, &[], (1, 2), (1, 2)),
    ];
    for &(minor, max_pod_grace, gates, hard, soft) in rows {
        let r = rules(minor, gates);
        let h = eviction_grace(&r, true, max_pod_grace, Some(30));
        let s = eviction_grace(&r, false, max_pod_grace, Some(30));
        assert_eq!(
            (
                (h.pod_seconds, h.runtime_seconds),
                (s.pod_seconds, s.runtime_seconds)
            ),
            (hard, soft),
            "1.{minor}, evictionMaxPodGracePeriod {max_pod_grace}, {gates:?}"
        );
    }
    // The override kubelet passes, as opposed to what the pod gets: 0 before 1.31.
    assert_eq!(
        eviction_grace(&rules(30, &[]), true, 0, Some(30)).override_seconds,
        0
    );
    // A short terminationGracePeriodSeconds: before 1.28 the runtime's 2 s floor did not apply to
    // an override; from 1.28 it does.
    assert_eq!(
        eviction_grace(&rules(27, &[]), true, 0, Some(1)).runtime_seconds,
        1
    );
    assert_eq!(
        eviction_grace(&rules(29, &[]), true, 0, Some(1)).runtime_seconds,
        2
    );
    // Unset terminationGracePeriodSeconds is the API default, 30 s.
    assert_eq!(
        eviction_grace(&rules(30, &[]), false, 0, None).pod_seconds,
        30
    );
}

/// helpers.go evictionMessage loops `pod.Spec.Containers` only: a sidecar (restartable init
/// container) over its request is not named. With no stats for the pod, `stats(pod)` fails and
/// kubelet returns before writing any annotation.
#[test]
fn message_only_spec_containers_and_no_stats_early_return() {
    let mut side = container("side", Some("10Mi"), None);
    side.kind = ContainerKind::Sidecar;
    let pod = Pod {
        namespace: "default".into(),
        name: "web".into(),
        containers: vec![container("app", Some("500Mi"), None)],
        init_containers: vec![side],
        ..Default::default()
    };
    let usage = BTreeMap::from([
        ("app".to_string(), 600 * MI),
        ("side".to_string(), 300 * MI),
    ]);
    let (msg, ann) = eviction_message_for_pod(&pod, &rules(34, &[]), None, Some(900 * MI), &usage);
    assert_eq!(
        msg,
        "The node was low on resource: memory. Container app was using 600Mi, request is 500Mi, has larger consumption of memory. "
    );
    assert_eq!(ann["offending_containers"], "app");
    assert_eq!(ann["starved_resource"], "memory");

    let (msg, ann) = eviction_message_for_pod(
        &pod,
        &rules(34, &[]),
        Some((100 * MI, 50 * MI)),
        None,
        &BTreeMap::new(),
    );
    assert_eq!(
        msg,
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. "
    );
    assert!(ann.is_empty());
}
