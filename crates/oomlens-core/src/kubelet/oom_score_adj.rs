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

use crate::api::pod::{Container, ContainerKind, Pod};
use crate::base::derivation::Derivation;
use crate::kubelet::critical::{is_critical_pod, is_node_critical_pod};
use crate::kubelet::qos::{get_pod_qos, QosClass};
use crate::kubelet::resources::{
    aggregate, container_memory_request_quantity, effective_kind, is_pod_level_requests_set,
    pod_level_memory_request, Requests,
};
use crate::kubelet::rules::{version_note, KubeletRules, KubeletVersion, SidecarOomRule};

/// `KubeletOOMScoreAdj`: the kubelet process itself.
pub const KUBELET_OOM_SCORE_ADJ: i64 = -999;
/// `KubeProxyOOMScoreAdj`: kube-proxy.
pub const KUBE_PROXY_OOM_SCORE_ADJ: i64 = -999;
/// The oom_score_adj the container runtimes (containerd, CRI-O) give a pod's sandbox (pause)
/// process; kubelet does not set it.
pub const SANDBOX_OOM_SCORE_ADJ: i64 = -998;

const SRC: &str = "kubernetes/kubernetes pkg/kubelet/qos/policy.go (GetContainerOOMScoreAdjust)";

/// The QoS class a pod container's `oom_score_adj` implies, read back from a kernel report's task
/// table: the guaranteed adj (−997; −998 before v1.21) is a Guaranteed pod's (or a node-critical
/// pod's); 1000 a BestEffort pod's; 2…999 a Burstable pod's (3…999 from v1.21, 2 before). `None`
/// for any other value, which no pod container gets.
pub fn qos_of_container_adj(adj: i64) -> Option<QosClass> {
    match adj {
        -998 | -997 => Some(QosClass::Guaranteed),
        1000 => Some(QosClass::BestEffort),
        2..=999 => Some(QosClass::Burstable),
        _ => None,
    }
}

/// `1000 − (1000 × req) / cap` with Go int64 truncation (computed in i128 so it cannot overflow).
fn formula(req: i64, cap: i64) -> i64 {
    let cap = cap.max(1);
    if let Some(x) = req.checked_mul(1000) {
        return 1000 - x / cap;
    }
    let v = 1000i128 - (1000i128 * i128::from(req)) / i128::from(cap);
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// The container's memory request in bytes (0 when unset), read as `requests` says.
fn request_bytes(c: &Container, requests: Requests) -> i64 {
    container_memory_request_quantity(c, requests).map_or(0, |q| q.value())
}

/// `remainingPodMemReqPerContainer`: (pod memory request − aggregated container requests) / number
/// of containers + init containers, truncated toward zero (may be negative); 0 without a pod request.
pub fn remaining_pod_mem_req_per_container(
    pod: &Pod,
    rules: &KubeletRules,
    requests: Requests,
) -> i64 {
    let pod_req = pod_level_memory_request(pod, rules, requests).map_or(0, |q| q.value());
    if pod_req == 0 {
        return 0;
    }
    let n = (pod.containers.len() + pod.init_containers.len()).max(1) as i64;
    let aggr = aggregate(pod, rules.sidecars_enabled(), |c| {
        container_memory_request_quantity(c, requests)
    })
    .map_or(0, |q| q.value());
    pod_req.saturating_sub(aggr) / n
}

/// `minRegularContainerMemory`: the smallest memory request among `spec.containers` (0 if unset).
pub fn min_regular_container_memory(pod: &Pod, requests: Requests) -> Option<i64> {
    pod.containers
        .iter()
        .map(|c| request_bytes(c, requests))
        .min()
}

fn is_sidecar(pod: &Pod, c: &Container, rules: &KubeletRules) -> bool {
    effective_kind(c, rules) == ContainerKind::Sidecar
        && pod.init_containers.iter().any(|i| i.name == c.name)
}

/// How a Burstable adj was clamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjClamp {
    /// Not clamped.
    None,
    /// Raised to the version's minimum Burstable adj.
    Min(i16),
    /// 1000 turned into 999 (Burstable stays below BestEffort).
    BelowBestEffort,
}

/// Which branch of `GetContainerOOMScoreAdjust` gave the adj, with its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjCase {
    /// `IsNodeCriticalPod` → guaranteedOOMScoreAdj.
    NodeCritical {
        /// The adj.
        adj: i64,
    },
    /// Guaranteed → guaranteedOOMScoreAdj.
    Guaranteed {
        /// The adj.
        adj: i64,
    },
    /// BestEffort → besteffortOOMScoreAdj.
    BestEffort {
        /// The adj.
        adj: i64,
        /// The pod is critical but not node-critical.
        critical: bool,
    },
    /// The Burstable formula.
    Burstable(BurstableAdj),
}

/// The numbers of the Burstable branch of `GetContainerOOMScoreAdjust`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurstableAdj {
    /// The container's (defaulted) memory request.
    pub request: i64,
    /// Node memory capacity (≥ 1).
    pub capacity: i64,
    /// `1000 − 1000 × request / capacity` before the sidecar cap and the clamps.
    pub formula_adj: i64,
    /// The pod-level share added to each request (meaningful when `has_share`).
    pub share: i64,
    /// The smallest regular request (incl. the share) the sidecar cap used, and its formula adj
    /// (meaningful when `has_cap`).
    pub min_request: i64,
    /// See `min_request`.
    pub min_adj: i64,
    /// The clamp applied.
    pub clamp: AdjClamp,
    /// Pod-level requests are set (the share applies).
    pub has_share: bool,
    /// The container is a sidecar (the version's sidecar rule is named).
    pub sidecar: bool,
    /// The sidecar cap applied.
    pub has_cap: bool,
    /// The pod is critical but not node-critical.
    pub critical: bool,
}

/// What a container's `oom_score_adj` derivation is rendered from ([`AdjWhy::derivation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdjWhy {
    /// The kubelet version whose rules applied (named in the version rule).
    pub version: KubeletVersion,
    /// The branch and its numbers.
    pub case: AdjCase,
}

const CRITICAL_NOTE: &str = " (critical but not system-node-critical: no special adj)";

impl AdjWhy {
    /// The derivation of the adj.
    pub fn derivation(&self) -> Derivation {
        let d = |rule: &str, f: &str, s: String| Derivation::new("oom_score_adj", rule, f, s, SRC);
        match self.case {
            AdjCase::NodeCritical { adj } => d(
                "oom_score_adj.node_critical",
                "IsNodeCriticalPod → guaranteedOOMScoreAdj",
                format!("critical pod with priorityClassName system-node-critical → {adj}"),
            )
            .with_version_rule(version_note(self.version, "oom_score_adj.critical")),
            AdjCase::Guaranteed { adj } => d(
                "oom_score_adj.guaranteed",
                "Guaranteed → guaranteedOOMScoreAdj",
                format!("Guaranteed pod → {adj}"),
            )
            .with_version_rule(version_note(self.version, "oom_score_adj.guaranteed")),
            AdjCase::BestEffort { adj, critical } => d(
                "oom_score_adj.besteffort",
                "BestEffort → besteffortOOMScoreAdj",
                format!(
                    "BestEffort pod{} → {adj}",
                    if critical { CRITICAL_NOTE } else { "" }
                ),
            ),
            AdjCase::Burstable(b) => {
                let BurstableAdj {
                    request,
                    capacity,
                    formula_adj,
                    ..
                } = b;
                let mut rule = "oom_score_adj.burstable";
                let mut f = "1000 - 1000*request/capacity".to_string();
                let mut s = if b.has_share {
                    let rem = b.share;
                    format!("1000 - 1000*({request}+{rem})/{capacity} = {formula_adj}")
                } else {
                    format!("1000 - 1000*{request}/{capacity} = {formula_adj}")
                };
                if b.has_share {
                    rule = "oom_score_adj.burstable_pod_level";
                    f = "1000 - 1000*(request + (podRequest - Σcontainer requests)/containers)/capacity"
                        .to_string();
                }
                let mut version_rule = String::new();
                if b.sidecar {
                    version_rule = version_note(self.version, "oom_score_adj.sidecar");
                    if b.has_cap {
                        let (min_req, min_adj) = (b.min_request, b.min_adj);
                        rule = "oom_score_adj.sidecar";
                        f = format!("min({f}, 1000 - 1000*min(regular requests)/capacity)");
                        s = format!("min({s}, 1000 - 1000*{min_req}/{capacity} = {min_adj})");
                    }
                }
                match b.clamp {
                    AdjClamp::None => {}
                    AdjClamp::Min(lo) => s = format!("{s}; < {lo} → {lo}"),
                    AdjClamp::BelowBestEffort => {
                        s = format!("{s}; 1000 → 999 (Burstable stays below BestEffort)")
                    }
                }
                if b.critical {
                    s.push_str(CRITICAL_NOTE);
                }
                d(rule, &f, s).with_version_rule(version_rule)
            }
        }
    }
}

/// The Burstable branch of `GetContainerOOMScoreAdjust` from plain numbers: the formula on
/// `request` (+ the pod-level share), the sidecar cap at the smallest regular request
/// (`min_regular_request`, already including the share) when the version caps sidecars, and the
/// clamps. Returns the adj and its case.
#[allow(clippy::too_many_arguments)]
pub fn burstable_adj(
    request: i64,
    pod_level_share: Option<i64>,
    capacity: i64,
    sidecar: bool,
    min_regular_request: Option<i64>,
    critical: bool,
    rules: &KubeletRules,
) -> (i64, AdjCase) {
    let sidecar_rule = if sidecar {
        rules.sidecar_rule()
    } else {
        SidecarOomRule::NotSidecar
    };
    burstable_adj_by_rule(
        request,
        pod_level_share,
        capacity,
        sidecar,
        min_regular_request,
        critical,
        sidecar_rule,
        rules,
    )
}

/// The Burstable branch of `GetContainerOOMScoreAdjust` (`pkg/kubelet/qos/policy.go`), as
/// [`burstable_adj`], with the release's [`KubeletRules::sidecar_rule`] already read (an
/// evaluation reads it once, not per container).
#[allow(clippy::too_many_arguments)]
pub fn burstable_adj_by_rule(
    request: i64,
    pod_level_share: Option<i64>,
    capacity: i64,
    sidecar: bool,
    min_regular_request: Option<i64>,
    critical: bool,
    sidecar_rule: SidecarOomRule,
    rules: &KubeletRules,
) -> (i64, AdjCase) {
    let cap = capacity.max(1);
    let formula_adj = formula(request.saturating_add(pod_level_share.unwrap_or(0)), cap);
    let mut adj = formula_adj;
    let (mut has_cap, mut min_request, mut min_adj) = (false, 0, 0);
    if sidecar && sidecar_rule == SidecarOomRule::CapAtMinRegularRequest {
        if let Some(min_req) = min_regular_request {
            has_cap = true;
            min_request = min_req;
            min_adj = formula(min_req, cap);
            adj = adj.min(min_adj);
        }
    }
    let lo = rules.burstable_min_oom_score_adj();
    let (result, clamp) = if adj < lo {
        (lo, AdjClamp::Min(i16::try_from(lo).unwrap_or(i16::MAX)))
    } else if adj == rules.besteffort_oom_score_adj() {
        (adj - 1, AdjClamp::BelowBestEffort)
    } else {
        (adj, AdjClamp::None)
    };
    (
        result,
        AdjCase::Burstable(BurstableAdj {
            request,
            capacity: cap,
            formula_adj,
            share: pod_level_share.unwrap_or(0),
            min_request,
            min_adj,
            clamp,
            has_share: pod_level_share.is_some(),
            sidecar,
            has_cap,
            critical,
        }),
    )
}

/// `GetContainerOOMScoreAdjust` for `container` of `pod` on a node with `memory_capacity_bytes`
/// (MemTotal), for `rules`, requests read as `requests` says (kubelet: [`Requests::Defaulted`];
/// upstream's unit tests: [`Requests::AsWritten`]). `memory_capacity_bytes` ≤ 0 is treated as 1
/// byte (upstream would divide by 0).
pub fn container_oom_score_adjust(
    pod: &Pod,
    container: &Container,
    memory_capacity_bytes: i64,
    rules: &KubeletRules,
    requests: Requests,
) -> (i64, AdjWhy) {
    let qos = get_pod_qos(pod, rules.pod_level_resources(), requests).0;
    container_oom_score_adjust_for_qos(pod, container, qos, memory_capacity_bytes, rules, requests)
}

/// [`container_oom_score_adjust`] with the pod's QoS class already known (`GetPodQOS`; an
/// evaluation computes it once per pod).
pub fn container_oom_score_adjust_for_qos(
    pod: &Pod,
    container: &Container,
    qos: QosClass,
    memory_capacity_bytes: i64,
    rules: &KubeletRules,
    requests: Requests,
) -> (i64, AdjWhy) {
    let g = rules.guaranteed_oom_score_adj();
    let why = |case| AdjWhy {
        version: rules.version,
        case,
    };
    if is_node_critical_pod(pod) {
        return (g, why(AdjCase::NodeCritical { adj: g }));
    }
    let critical = is_critical_pod(pod);
    match qos {
        QosClass::Guaranteed => return (g, why(AdjCase::Guaranteed { adj: g })),
        QosClass::BestEffort => {
            let b = rules.besteffort_oom_score_adj();
            return (b, why(AdjCase::BestEffort { adj: b, critical }));
        }
        QosClass::Burstable => {}
    }
    let req = request_bytes(container, requests);
    let share = is_pod_level_requests_set(pod, rules, requests)
        .then(|| remaining_pod_mem_req_per_container(pod, rules, requests));
    let sidecar = is_sidecar(pod, container, rules);
    let min_req = if sidecar {
        min_regular_container_memory(pod, requests).map(|m| m.saturating_add(share.unwrap_or(0)))
    } else {
        None
    };
    let (adj, case) = burstable_adj(
        req,
        share,
        memory_capacity_bytes,
        sidecar,
        min_req,
        critical,
        rules,
    );
    (adj, why(case))
}
