//! The oom_score_adj kubelet asks the runtime to give each container
//! (`pkg/kubelet/qos/policy.go` GetContainerOOMScoreAdjust, helpers in `pkg/kubelet/qos/helpers.go`),
//! per release via [`KubeletRules`]:
//! - node-critical pods (`IsNodeCriticalPod`) and Guaranteed pods: −997;
//! - BestEffort pods: 1000;
//! - Burstable: `1000 − (1000 × request) / capacity` in int64 arithmetic (truncating) on the node's
//!   memory *capacity* (cAdvisor MemoryCapacity, not allocatable), clamped to ≥ 3 (1000 − 997) and
//!   with 1000 turned into 999;
//! - PodLevelResources (gate on, pod-level requests set): each container's request gets the pod
//!   request not claimed by containers, split evenly over all containers and init containers;
//! - sidecars (1.33+): capped at the score of the smallest regular-container request (plus the
//!   pod-level share); 1.28–1.32 use the plain formula.
//!
//! kubelet and kube-proxy themselves run at −999 ([`KUBELET_OOM_SCORE_ADJ`], [`KUBE_PROXY_OOM_SCORE_ADJ`]).

use crate::critical::{is_critical_pod, is_node_critical_pod};
use crate::derivation::Derivation;
use crate::pod::{Container, ContainerKind, Pod};
use crate::qos::{compute_pod_qos_raw, QosClass};
use crate::resources::{
    aggregate_container_requests, defaulted_pod, effective_kind, is_supported_pod_level_resource,
};
use crate::rules::{KubeletRules, SidecarOomRule};

/// `KubeletOOMScoreAdj`: the kubelet process itself.
pub const KUBELET_OOM_SCORE_ADJ: i64 = -999;
/// `KubeProxyOOMScoreAdj`: kube-proxy.
pub const KUBE_PROXY_OOM_SCORE_ADJ: i64 = -999;

const SRC: &str = "kubernetes/kubernetes pkg/kubelet/qos/policy.go (GetContainerOOMScoreAdjust)";

fn mem(c: &Container) -> i64 {
    c.resources.requests.memory.map_or(0, |q| q.value())
}

/// `1000 − (1000 × req) / cap` with Go int64 truncation (computed in i128 so it cannot overflow).
fn formula(req: i64, cap: i64) -> i64 {
    let v = 1000i128 - (1000i128 * i128::from(req)) / i128::from(cap.max(1));
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// `IsPodLevelRequestsSet` on the pod as given, honouring the gate.
fn pod_level_requests_set(pod: &Pod, rules: &KubeletRules) -> bool {
    rules.pod_level_resources()
        && pod.resources.as_ref().is_some_and(|r| {
            r.requests
                .entries()
                .iter()
                .any(|(k, _)| is_supported_pod_level_resource(k))
        })
}

/// `remainingPodMemReqPerContainer`: (pod memory request − aggregated container requests) / number
/// of containers + init containers, truncated toward zero (may be negative); 0 without a pod request.
pub fn remaining_pod_mem_req_per_container(pod: &Pod, rules: &KubeletRules) -> i64 {
    let pod_req = pod
        .resources
        .as_ref()
        .and_then(|r| r.requests.memory)
        .map_or(0, |q| q.value());
    if pod_req == 0 {
        return 0;
    }
    let n = (pod.containers.len() + pod.init_containers.len()).max(1) as i64;
    let aggr = aggregate_container_requests(pod, rules)
        .memory
        .map_or(0, |q| q.value());
    pod_req.saturating_sub(aggr) / n
}

/// `minRegularContainerMemory`: the smallest memory request among `spec.containers` (0 if unset).
pub fn min_regular_container_memory(pod: &Pod) -> Option<i64> {
    pod.containers.iter().map(mem).min()
}

fn is_sidecar(pod: &Pod, c: &Container, rules: &KubeletRules) -> bool {
    effective_kind(c, rules) == ContainerKind::Sidecar
        && pod.init_containers.iter().any(|i| i.name == c.name)
}

/// `GetContainerOOMScoreAdjust` on the pod exactly as given (no request defaulting), as upstream's
/// unit tests call it. `memory_capacity_bytes` ≤ 0 is treated as 1 byte (upstream would divide by 0).
pub fn container_oom_score_adjust_raw(
    pod: &Pod,
    container: &Container,
    memory_capacity_bytes: i64,
    rules: &KubeletRules,
) -> (i64, Derivation) {
    let g = rules.guaranteed_oom_score_adj();
    let cap = memory_capacity_bytes.max(1);
    let d = |rule: &str, f: &str, s: String| Derivation::new("oom_score_adj", rule, f, s, SRC);
    if is_node_critical_pod(pod) {
        return (
            g,
            d(
                "oom_score_adj.node_critical",
                "IsNodeCriticalPod → guaranteedOOMScoreAdj",
                format!("critical pod with priorityClassName system-node-critical → {g}"),
            )
            .with_version_rule(rules.version_note("oom_score_adj.critical")),
        );
    }
    let qos = match pod.status_qos_class.as_deref().and_then(QosClass::parse) {
        Some(q) => q,
        None => compute_pod_qos_raw(pod, rules.pod_level_resources()),
    };
    let critical_note = if is_critical_pod(pod) {
        " (critical but not system-node-critical: no special adj)"
    } else {
        ""
    };
    match qos {
        QosClass::Guaranteed => {
            return (
                g,
                d(
                    "oom_score_adj.guaranteed",
                    "Guaranteed → guaranteedOOMScoreAdj",
                    format!("Guaranteed pod → {g}"),
                )
                .with_version_rule(rules.version_note("oom_score_adj.guaranteed")),
            )
        }
        QosClass::BestEffort => {
            let b = rules.besteffort_oom_score_adj();
            return (
                b,
                d(
                    "oom_score_adj.besteffort",
                    "BestEffort → besteffortOOMScoreAdj",
                    format!("BestEffort pod{critical_note} → {b}"),
                ),
            );
        }
        QosClass::Burstable => {}
    }
    let req = mem(container);
    let plr = pod_level_requests_set(pod, rules);
    let rem = if plr {
        remaining_pod_mem_req_per_container(pod, rules)
    } else {
        0
    };
    let mut adj = formula(req.saturating_add(rem), cap);
    let mut rule = "oom_score_adj.burstable";
    let mut f = "1000 - 1000*request/capacity".to_string();
    let mut s = if plr {
        format!("1000 - 1000*({req}+{rem})/{cap} = {adj}")
    } else {
        format!("1000 - 1000*{req}/{cap} = {adj}")
    };
    if plr {
        rule = "oom_score_adj.burstable_pod_level";
        f = "1000 - 1000*(request + (podRequest - Σcontainer requests)/containers)/capacity"
            .to_string();
    }
    let mut version_rule = String::new();
    if is_sidecar(pod, container, rules) {
        version_rule = rules.version_note("oom_score_adj.sidecar");
        if rules.sidecar_rule() == SidecarOomRule::CapAtMinRegularRequest {
            if let Some(min_req) = min_regular_container_memory(pod) {
                let min_req = if plr {
                    min_req.saturating_add(rem)
                } else {
                    min_req
                };
                let min_adj = formula(min_req, cap);
                rule = "oom_score_adj.sidecar";
                f = format!("min({f}, 1000 - 1000*min(regular requests)/capacity)");
                s = format!("min({s}, 1000 - 1000*{min_req}/{cap} = {min_adj})");
                adj = adj.min(min_adj);
            }
        }
    }
    let lo = rules.burstable_min_oom_score_adj();
    let result = if adj < lo {
        s = format!("{s}; < {lo} → {lo}");
        lo
    } else if adj == rules.besteffort_oom_score_adj() {
        s = format!("{s}; 1000 → 999 (Burstable stays below BestEffort)");
        adj - 1
    } else {
        adj
    };
    if !critical_note.is_empty() {
        s.push_str(critical_note);
    }
    let mut der = d(rule, &f, s);
    der.version_rule = version_rule;
    (result, der)
}

/// The oom_score_adj kubelet gives `container` of `pod` on a node with `memory_capacity_bytes`
/// (MemTotal), for `rules`: computed on the pod as the API server stores it (requests defaulted
/// from limits, gates applied). `container` is matched by name in `pod`.
pub fn container_oom_score_adjust(
    pod: &Pod,
    container: &Container,
    memory_capacity_bytes: i64,
    rules: &KubeletRules,
) -> (i64, Derivation) {
    let p = defaulted_pod(pod, rules);
    let c = p
        .all_containers()
        .find(|c| c.name == container.name)
        .cloned()
        .unwrap_or_else(|| {
            let mut c = container.clone();
            c.resources = crate::resources::default_container_resources(&c.resources);
            c
        });
    container_oom_score_adjust_raw(&p, &c, memory_capacity_bytes, rules)
}

/// Every container's oom_score_adj (init containers first, spec order): `(name, kind, adj, why)`.
pub fn pod_oom_score_adjs(
    pod: &Pod,
    memory_capacity_bytes: i64,
    rules: &KubeletRules,
) -> Vec<(String, ContainerKind, i64, Derivation)> {
    pod_oom_score_adjs_of_defaulted(&defaulted_pod(pod, rules), memory_capacity_bytes, rules)
}

/// [`pod_oom_score_adjs`] on a pod that is already [`defaulted_pod`] (defaulting is idempotent),
/// sparing the copy.
pub(crate) fn pod_oom_score_adjs_of_defaulted(
    p: &Pod,
    memory_capacity_bytes: i64,
    rules: &KubeletRules,
) -> Vec<(String, ContainerKind, i64, Derivation)> {
    p.all_containers()
        .map(|c| {
            let (adj, d) = container_oom_score_adjust_raw(p, c, memory_capacity_bytes, rules);
            (c.name.clone(), c.kind, adj, d)
        })
        .collect()
}
