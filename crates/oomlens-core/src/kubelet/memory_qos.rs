//! cgroup v2 Memory QoS (KEP-2570): the `memory.min` / `memory.low` / `memory.high` kubelet writes
//! for containers (`pkg/kubelet/kuberuntime/kuberuntime_container_linux.go`,
//! `generateLinuxContainerResources`), pods (`pkg/kubelet/cm/helpers_linux.go`,
//! `ResourceConfigForPod`) and the QoS cgroups (`pkg/kubelet/cm/qos_container_manager_linux.go`,
//! `setMemoryQoS`), per kubelet version. Sources (kubernetes/kubernetes; each range is cited by
//! the pull request that brought that code and its test tables, `#N` =
//! https://github.com/kubernetes/kubernetes/pull/N):
//! - 1.22–1.26 (#102970, the v1.22 alpha): `memory.high = int64(limit × factor)` (or node
//!   allocatable × factor) written when `> request`; `memory.min = request` when ≠ 0; factor 0.8
//!   (code: `kuberuntime_container_linux.go`; test
//!   TestGenerateContainerConfigWithMemoryQoSEnforced, fake factor 0.8 in
//!   fake_kuberuntime_manager.go).
//! - 1.27–1.35: `memory.high = int64(floor(req + (limit|allocatable − req) × factor) / page) × page`,
//!   skipped when `req == limit` (so Guaranteed *and* BestEffort get none), written only when
//!   `≠ 0 && > req`; factor 0.9 (code and tests as changed by #115371, v1.27.0; fake factor 0.9 /
//!   allocatable 32Gi in fake_kuberuntime_manager.go). Pod `memory.min` = pod request when > 0
//!   (TestResourceConfigForPodWithEnforceMemoryQoS, from #102970); QoS cgroups: kubepods
//!   `memory.min` = Σ Guaranteed + Σ Burstable, burstable `memory.min` = Σ Burstable, each only when
//!   > 0 (code: `qos_container_manager_linux.go` `setMemoryQoS`; TestQoSContainerCgroup; #102970).
//! - 1.36: `memoryReservationPolicy` (#137584, #137719). Verified in code/tests: pod cgroup gets
//!   `memory.min` (Guaranteed) or `memory.low` (Burstable) = pod request, BestEffort nothing
//!   (TestResourceConfigForPodWithEnforceMemoryQoS with TieredReservation; TestEnsureExists);
//!   QoS cgroups: kubepods `memory.min` = Σ G + Σ B and burstable `memory.low` = Σ B, written
//!   even when 0; with policy `None` both are reset to "0" (TestQoSContainerCgroup /
//!   …WithMemoryReservationPolicyNone).
//!   From the v1.36 release blog only (container-level code not located): container
//!   `memory.min` (Guaranteed) / `memory.low` (Burstable) under TieredReservation, and BestEffort
//!   containers getting `memory.high` from node allocatable (kubernetes/kubernetes#137685, which
//!   adds the test row BestEffortUsesNodeAllocatableForMemoryHigh).
//! - 1.37: beta, gate on; `memoryThrottlingFactor` defaults to null → no `memory.high` (1.37 blog;
//!   the factor is a pointer in kuberuntime tests of that era, `new(0.9)`, since #140007).
//!   With the gate off, kubelet rejects a factor other than 0.9 and `TieredReservation` (blog).
//!
//! Not modelled: pod-level `memory.high` for pod-level resources (`ApplyPodLevelMemoryHigh`, 1.36+),
//! DRA node-allocatable memory in the QoS sums, the startup reset of stale values when the gate is
//! off. Gate off or cgroup v1 → nothing is written. memory.high never OOM-kills: it throttles and
//! reclaims.

use crate::api::kubelet_config::KubeletConfig;
use crate::base::derivation::Derivation;
use crate::kubelet::rules::KubeletRules;
use serde::Serialize;
use std::borrow::Cow;

const SRC_CONTAINER: &str = "kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (generateLinuxContainerResources)";
const SRC_POD: &str =
    "kubernetes/kubernetes pkg/kubelet/cm/helpers_linux.go (ResourceConfigForPod)";
const SRC_QOS: &str =
    "kubernetes/kubernetes pkg/kubelet/cm/qos_container_manager_linux.go (setMemoryQoS)";

const REASON_GATE_OFF: &str =
    "MemoryQoS feature gate is off: kubelet writes no memory.min/low/high";
const REASON_CGROUP_V1: &str = "cgroup v1: Memory QoS needs cgroup v2, nothing is written";

/// `memoryReservationPolicy` (1.36+).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReservationPolicy {
    /// Before 1.36: memory.min from requests on container, pod and QoS cgroups.
    Legacy,
    /// 1.36+ default: no memory.min / memory.low.
    None,
    /// 1.36+: Guaranteed → memory.min, Burstable → memory.low.
    TieredReservation,
}

/// The resolved Memory QoS settings for one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoryQosParams {
    /// Gate on and cgroup v2.
    pub enabled: bool,
    /// Why it is on/off.
    pub reason: Cow<'static, str>,
    /// Minor kubelet version.
    pub minor: u32,
    /// Effective `memoryThrottlingFactor` (`None` = memory.high not written, 1.37 default).
    pub throttling_factor: Option<f64>,
    /// Page size (`os.Getpagesize()`).
    pub page_size: i64,
    /// `GetNodeAllocatableAbsolute().memory` = capacity − system − kube reserved.
    pub node_allocatable_absolute: i64,
    /// Reservation policy.
    pub policy: ReservationPolicy,
}

impl MemoryQosParams {
    /// Resolves the settings from the version rules and the kubelet configuration.
    /// `cgroup_version` is 1 or 2; `page_size` in bytes.
    pub fn resolve(
        rules: &KubeletRules,
        cfg: &KubeletConfig,
        cgroup_version: u8,
        page_size: u64,
        node_allocatable_absolute: i64,
    ) -> Result<MemoryQosParams, String> {
        let gate = rules.memory_qos();
        let enabled = gate && cgroup_version == 2;
        let reason = if !gate {
            Cow::Borrowed(REASON_GATE_OFF)
        } else if cgroup_version != 2 {
            Cow::Borrowed(REASON_CGROUP_V1)
        } else {
            Cow::Owned(format!(
                "MemoryQoS on (kubelet {}, cgroup v2)",
                rules.version
            ))
        };
        // pkg/kubelet/apis/config/validation/validation.go (since kubernetes/kubernetes#102970):
        // `<= 0 || > 1.0` (so NaN passes, as in Go).
        if let Some(f) = cfg.memory_throttling_factor {
            if f <= 0.0 || f > 1.0 {
                return Err(format!(
                    "node.kubeletConfig.memoryThrottlingFactor: invalid configuration: memoryThrottlingFactor {f} must be greater than 0 and less than or equal to 1.0"
                ));
            }
        }
        let policy = if rules.memory_reservation_policy_supported() {
            match cfg.memory_reservation_policy.as_deref() {
                None | Some("None") => ReservationPolicy::None,
                Some("TieredReservation") => ReservationPolicy::TieredReservation,
                Some(other) => {
                    return Err(format!(
                        "node.kubeletConfig.memoryReservationPolicy: unknown policy {other:?}; expected \"None\" or \"TieredReservation\""
                    ))
                }
            }
        } else {
            ReservationPolicy::Legacy
        };
        // 1.37 release blog: with the MemoryQoS gate off kubelet rejects a factor other than the
        // former default 0.9 and `TieredReservation` (exact message not located upstream).
        if !gate && rules.version.at_least(37) {
            if let Some(f) = cfg.memory_throttling_factor {
                if f != 0.9 {
                    return Err(format!(
                        "node.kubeletConfig.memoryThrottlingFactor: invalid configuration: memoryThrottlingFactor {f} needs the MemoryQoS feature gate (kubelet 1.37 accepts only 0.9 with the gate off)"
                    ));
                }
            }
            if policy == ReservationPolicy::TieredReservation {
                return Err("node.kubeletConfig.memoryReservationPolicy: invalid configuration: TieredReservation needs the MemoryQoS feature gate (kubelet 1.37)".to_string());
            }
        }
        let page_size = i64::try_from(page_size)
            .ok()
            .filter(|p| *p > 0)
            .unwrap_or(4096);
        Ok(MemoryQosParams {
            enabled,
            reason,
            minor: rules.version.minor,
            throttling_factor: cfg
                .memory_throttling_factor
                .or_else(|| rules.default_memory_throttling_factor()),
            page_size,
            node_allocatable_absolute,
            policy,
        })
    }
}

/// Go's `int64(math.Floor(x) / float64(page)) * page`.
fn page_floor(x: f64, page: i64) -> i64 {
    let v = x.floor() / page as f64;
    if !v.is_finite() {
        return 0;
    }
    let n = if v >= i64::MAX as f64 {
        i64::MAX
    } else {
        v.trunc() as i64
    };
    n.saturating_mul(page)
}

/// What kubelet writes on a container cgroup (`None` = not written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemoryQosValues {
    /// `memory.min`.
    pub memory_min: Option<i64>,
    /// `memory.low`.
    pub memory_low: Option<i64>,
    /// `memory.high`.
    pub memory_high: Option<i64>,
}

/// How `memory.min`/`memory.low` of a container were decided (Memory QoS on).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MqMin {
    /// Nothing to say (policy None, or a zero request before 1.36).
    None,
    /// Before 1.36: `memory.min = request` (non-zero).
    Legacy {
        /// The request.
        request: i64,
    },
    /// 1.36+ TieredReservation.
    Tiered {
        /// The pod's QoS class (`None` when the class given was not one).
        qos_class: Option<crate::kubelet::qos::QosClass>,
        /// The request.
        request: i64,
    },
}

/// How `memory.high` of a container was decided (Memory QoS on).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MqHigh {
    /// `memoryThrottlingFactor` unset (1.37 default): not written.
    Unset,
    /// 1.22–1.26: `int64(base × factor)`, written when > request.
    Legacy {
        /// The base is the limit (else node allocatable).
        from_limit: bool,
        /// The base.
        base: i64,
        /// The factor.
        factor: f64,
        /// The computed value.
        high: i64,
        /// Whether it is written.
        written: bool,
        /// The request.
        request: i64,
    },
    /// request == limit: not written.
    Guaranteed {
        /// The request.
        request: i64,
        /// The limit.
        limit: i64,
    },
    /// 1.27+: page-rounded `request + factor × (base − request)`.
    Formula {
        /// The base is the limit (else node allocatable).
        from_limit: bool,
        /// The request.
        request: i64,
        /// The factor.
        factor: f64,
        /// The base.
        base: i64,
        /// Page size.
        page_size: i64,
        /// The computed value.
        high: i64,
        /// Whether it is written.
        written: bool,
        /// 1.36+ BestEffort containers get memory.high.
        best_effort_fix: bool,
    },
}

/// What a container's memory-QoS derivations are rendered from ([`MqWhy::derivations`]). Three
/// words: the rare "on" record is boxed, so that every container report (Memory QoS is an alpha
/// gate, off by default) stays small.
#[derive(Debug, Clone, PartialEq)]
pub enum MqWhy {
    /// Memory QoS off: nothing is written, for this reason.
    Off(Cow<'static, str>),
    /// Memory QoS on.
    On(Box<MqOn>),
}

/// How memory.min/low and memory.high of a container were decided with Memory QoS on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MqOn {
    /// Minor kubelet version.
    pub minor: u32,
    /// memory.min / memory.low.
    pub min: MqMin,
    /// memory.high.
    pub high: MqHigh,
}

impl MqWhy {
    /// The derivations, in the order kubelet decides the values.
    pub fn derivations(&self) -> Vec<Derivation> {
        let (minor, min, high) = match self {
            MqWhy::Off(reason) => {
                return vec![Derivation::new(
                    "memory_high_bytes",
                    "memory_qos.off",
                    "nothing written",
                    reason.to_string(),
                    SRC_CONTAINER,
                )]
            }
            MqWhy::On(on) => (on.minor, on.min, on.high),
        };
        let mut out = Vec::with_capacity(2);
        match min {
            MqMin::None => {}
            MqMin::Legacy { request } => out.push(Derivation::new(
                "memory_min_bytes",
                "memory_qos.container_min",
                "memory.min = requests.memory (when ≠ 0)",
                format!("{request}"),
                SRC_CONTAINER,
            )),
            MqMin::Tiered { qos_class, request } => out.push(
                Derivation::new(
                    "memory_min_bytes",
                    "memory_qos.tiered_reservation",
                    "TieredReservation: Guaranteed → memory.min = request; Burstable → memory.low = request; BestEffort → neither",
                    format!("{}, request {request}", qos_class.map_or("", |q| q.as_str())),
                    SRC_CONTAINER,
                )
                .with_version_rule(format!("kubelet 1.{minor}: memoryReservationPolicy (from the 1.36 release blog, unverified in code)")),
            ),
        }
        out.push(match high {
            MqHigh::Unset => Derivation::new("memory_high_bytes", "memory_qos.high_unset", "memoryThrottlingFactor unset → memory.high not written", "factor = null", SRC_CONTAINER)
                .with_version_rule(format!("kubelet 1.{minor}: memoryThrottlingFactor defaults to null from 1.37 (release blog, unverified in code)")),
            MqHigh::Legacy { from_limit, base, factor, high, written, request } => {
                let what = if from_limit { "limit" } else { "allocatable" };
                Derivation::new(
                "memory_high_bytes",
                "memory_qos.high_legacy",
                format!("memory.high = int64({what} × factor), written when > request"),
                format!(
                    "int64({base} × {factor}) = {high}{}",
                    if written {
                        String::new()
                    } else {
                        format!(" ≤ request {request}: not written")
                    }
                ),
                SRC_CONTAINER,
            )
            .with_version_rule(format!(
                "kubelet 1.{minor}: 1.22–1.26 formula (no page rounding)"
            ))
            }
            MqHigh::Guaranteed { request, limit } => Derivation::new(
                "memory_high_bytes",
                "memory_qos.high_guaranteed",
                "request == limit → memory.high not written",
                format!("{request} == {limit}"),
                SRC_CONTAINER,
            )
            .with_version_rule(format!("kubelet 1.{minor}")),
            MqHigh::Formula { from_limit, request, factor, base, page_size, high, written, best_effort_fix } => {
                let what = if from_limit {
                    "limit"
                } else {
                    "kubepods limit (capacity − system − kube reserved; kubelet's \"node allocatable\" here, without the eviction threshold)"
                };
                let d = Derivation::new(
                    "memory_high_bytes",
                    "memory_qos.high",
                    format!("memory.high = floor((request + factor × ({what} − request)) / pageSize) × pageSize; not written when 0 or ≤ request"),
                    format!(
                        "floor(({request} + {factor} × ({base} − {request})) / {page_size}) × {page_size} = {high}{}",
                        if written { "" } else { " → not written" }
                    ),
                    SRC_CONTAINER,
                );
                if best_effort_fix {
                    d.with_version_rule(format!("kubelet 1.{minor}: BestEffort containers get memory.high (kubernetes/kubernetes#137685, unverified release)"))
                } else {
                    d.with_version_rule(format!("kubelet 1.{minor}: 1.27+ formula"))
                }
            }
        });
        out
    }
}

/// Container memory.min / memory.low / memory.high, with the record their derivations are
/// rendered from. `request`/`limit` are the container's effective memory request and limit in
/// bytes (0 = unset, as `Quantity.Value()` of a missing entry); `qos_class` is the pod's
/// (`Guaranteed`, `Burstable`, `BestEffort`).
pub fn container_memory_qos(
    p: &MemoryQosParams,
    qos_class: &str,
    request: i64,
    limit: i64,
) -> (MemoryQosValues, MqWhy) {
    if !p.enabled {
        return (MemoryQosValues::default(), MqWhy::Off(p.reason.clone()));
    }
    container_memory_qos_on(p, qos_class, request, limit)
}

/// [`container_memory_qos`] with Memory QoS on.
fn container_memory_qos_on(
    p: &MemoryQosParams,
    qos_class: &str,
    request: i64,
    limit: i64,
) -> (MemoryQosValues, MqWhy) {
    let mut out = MemoryQosValues::default();
    // memory.min / memory.low
    let min = match p.policy {
        ReservationPolicy::Legacy => {
            if request != 0 {
                out.memory_min = Some(request);
                MqMin::Legacy { request }
            } else {
                MqMin::None
            }
        }
        ReservationPolicy::None => MqMin::None,
        ReservationPolicy::TieredReservation => {
            if request != 0 && qos_class == "Guaranteed" {
                out.memory_min = Some(request);
            } else if request != 0 && qos_class == "Burstable" {
                out.memory_low = Some(request);
            }
            MqMin::Tiered {
                qos_class: crate::kubelet::qos::QosClass::parse(qos_class),
                request,
            }
        }
    };
    let on = |high| {
        MqWhy::On(Box::new(MqOn {
            minor: p.minor,
            min,
            high,
        }))
    };
    // memory.high
    let Some(factor) = p.throttling_factor else {
        return (out, on(MqHigh::Unset));
    };
    let alloc = p.node_allocatable_absolute;
    let best_effort_fix = p.minor >= 36 && request == 0 && limit == 0;
    if p.minor <= 26 {
        // 1.22–1.26: high = limit × factor, or allocatable × factor; written when > request.
        let (base, from_limit) = if limit != 0 {
            (limit, true)
        } else {
            (alloc, false)
        };
        let high = if base > 0 {
            (base as f64 * factor) as i64
        } else {
            0
        };
        let written = high > request;
        if written {
            out.memory_high = Some(high);
        }
        return (
            out,
            on(MqHigh::Legacy {
                from_limit,
                base,
                factor,
                high,
                written,
                request,
            }),
        );
    }
    if request == limit && !best_effort_fix {
        return (out, on(MqHigh::Guaranteed { request, limit }));
    }
    let (base, from_limit) = if limit != 0 {
        (limit, true)
    } else {
        (alloc, false)
    };
    let high = if limit != 0 || alloc > 0 {
        page_floor(
            request as f64 + (base as f64 - request as f64) * factor,
            p.page_size,
        )
    } else {
        0
    };
    let written = high != 0 && high > request;
    if written {
        out.memory_high = Some(high);
    }
    (
        out,
        on(MqHigh::Formula {
            from_limit,
            request,
            factor,
            base,
            page_size: p.page_size,
            high,
            written,
            best_effort_fix,
        }),
    )
}

/// What kubelet writes on a pod cgroup.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodMemoryQos {
    /// `memory.min`.
    pub memory_min: Option<i64>,
    /// `memory.low`.
    pub memory_low: Option<i64>,
    /// How.
    pub derivation: Derivation,
}

/// Pod cgroup memory.min (`ResourceConfigForPod`): the pod's memory request
/// (`resource.PodRequests`, overhead included) when > 0; 1.36+ per policy.
pub fn pod_memory_qos(p: &MemoryQosParams, qos_class: &str, pod_request: i64) -> PodMemoryQos {
    let (min, low, rule) = if !p.enabled {
        (None, None, "memory_qos.off")
    } else {
        match p.policy {
            ReservationPolicy::Legacy => (
                (pod_request > 0).then_some(pod_request),
                None,
                "memory_qos.pod_min",
            ),
            ReservationPolicy::None => (None, None, "memory_qos.policy_none"),
            ReservationPolicy::TieredReservation => match qos_class {
                "Guaranteed" if pod_request > 0 => {
                    (Some(pod_request), None, "memory_qos.tiered_reservation")
                }
                "Burstable" if pod_request > 0 => {
                    (None, Some(pod_request), "memory_qos.tiered_reservation")
                }
                _ => (None, None, "memory_qos.tiered_reservation"),
            },
        }
    };
    PodMemoryQos {
        memory_min: min,
        memory_low: low,
        derivation: Derivation::new(
            "pod_memory_min_bytes",
            rule,
            "pod memory.min = Σ requests (+ overhead) when > 0 (1.36+: per memoryReservationPolicy)",
            format!("request {pod_request} → min {min:?}, low {low:?}"),
            SRC_POD,
        ),
    }
}

/// What kubelet writes on the QoS cgroups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QosCgroupsMemoryQos {
    /// `kubepods` (the Guaranteed QoS root) memory.min = Σ Guaranteed + Σ Burstable requests.
    pub kubepods_min: Option<i64>,
    /// `kubepods/burstable` memory.min = Σ Burstable requests (before 1.36).
    pub burstable_min: Option<i64>,
    /// `kubepods/burstable` memory.low = Σ Burstable requests (1.36+ TieredReservation).
    pub burstable_low: Option<i64>,
    /// How.
    pub derivation: Derivation,
}

/// QoS cgroup memory.min/low from every pod's `(qos_class, pod memory request)`.
pub fn qos_cgroups_memory_qos(p: &MemoryQosParams, pods: &[(&str, i64)]) -> QosCgroupsMemoryQos {
    let sum = |class: &str| {
        pods.iter()
            .filter(|(c, _)| *c == class)
            .fold(0i64, |a, (_, r)| a.saturating_add(*r))
    };
    let burstable = sum("Burstable");
    let guaranteed = sum("Guaranteed").saturating_add(burstable);
    let pos = |v: i64| (v > 0).then_some(v);
    let (kubepods_min, burstable_min, burstable_low) = if !p.enabled {
        (None, None, None)
    } else {
        match p.policy {
            ReservationPolicy::Legacy => (pos(guaranteed), pos(burstable), None),
            // 1.36+: setMemoryQoS writes "0" explicitly (resetting stale protection) with policy
            // None, and writes the sums even when they are 0 with TieredReservation
            // (TestQoSContainerCgroup*, kubernetes/kubernetes#137584).
            ReservationPolicy::None => (Some(0), None, Some(0)),
            ReservationPolicy::TieredReservation => (Some(guaranteed), None, Some(burstable)),
        }
    };
    QosCgroupsMemoryQos {
        kubepods_min,
        burstable_min,
        burstable_low,
        derivation: Derivation::new(
            "kubepods_memory_min_bytes",
            "memory_qos.qos_cgroups",
            "kubepods memory.min = Σ Guaranteed + Σ Burstable requests; burstable memory.min = Σ Burstable requests, 0 → not written (before 1.36); 1.36+: TieredReservation → burstable memory.low = Σ Burstable, written even when 0; None → both reset to 0",
            format!("Σ G+B = {guaranteed}, Σ B = {burstable}"),
            SRC_QOS,
        )
        .with_version_rule(format!("kubelet 1.{}: policy {:?}", p.minor, p.policy)),
    }
}
