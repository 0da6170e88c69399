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

#[test]
fn grace_period_by_version() {
    let pod = Pod {
        termination_grace_period_seconds: Some(10),
        ..Default::default()
    };
    // Hard: immediateEvictionGracePeriodSeconds from the version rules.
    let r = rules(34, &[]);
    assert_eq!(
        eviction_grace_period_for_pod(&pod, &r, true, Some(60)).0,
        r.immediate_eviction_grace_seconds()
    );
    // Soft, 1.31: gate on by default → evictionMaxPodGracePeriod.
    assert_eq!(
        eviction_grace_period_for_pod(&pod, &rules(31, &[]), false, Some(60)).0,
        60
    );
    // Soft, 1.32+: gate off by default → min(60, 10).
    assert_eq!(
        eviction_grace_period_for_pod(&pod, &rules(32, &[]), false, Some(60)).0,
        10
    );
    // 1.33 with the gate turned back on → 60.
    assert_eq!(
        eviction_grace_period_for_pod(
            &pod,
            &rules(33, &[("AllowOverwriteTerminationGracePeriodSeconds", true)]),
            false,
            Some(60)
        )
        .0,
        60
    );
    // 1.35: locked off.
    assert_eq!(
        eviction_grace_period_for_pod(
            &pod,
            &rules(35, &[("AllowOverwriteTerminationGracePeriodSeconds", true)]),
            false,
            Some(60)
        )
        .0,
        10
    );
    // Default terminationGracePeriodSeconds is 30; default evictionMaxPodGracePeriod is 0.
    assert_eq!(
        eviction_grace_period_for_pod(&Pod::default(), &rules(34, &[]), false, None).0,
        0
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
