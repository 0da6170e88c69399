//! Kubelet node-pressure eviction for memory (`pkg/kubelet/eviction/helpers.go`,
//! `pkg/kubelet/eviction/eviction_manager.go`, kubelet 1.25 → 1.37):
//! - signal observations: `memory.available` and `allocatableMemory.available` (`makeSignalObservations`);
//! - `thresholdsMet` (strict `>`, optional minimum-reclaim hysteresis), `thresholdsFirstObservedAt`,
//!   `thresholdsMetGracePeriod`;
//! - `rankMemoryPressure` = `orderedBy(exceedMemoryRequests, priority, memory)`, with ties reported
//!   (Go's `sort.Sort` is not stable: equal keys have no defined order, so oomlens never invents one);
//! - `evictPod` refusing critical pods, the eviction grace period, and the eviction message.
//!
//! Everything takes plain numbers (bytes, priorities) so it is testable without pods; the caller
//! supplies each pod's memory request as eviction sees it (`GetResourceRequestQuantity`).

use crate::base::derivation::Derivation;
use crate::base::message::{Arg, Message};
use crate::kubelet::thresholds::{
    Threshold, SIGNAL_ALLOCATABLE_MEMORY_AVAILABLE, SIGNAL_MEMORY_AVAILABLE,
};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

const SRC_HELPERS: &str = "kubernetes/kubernetes pkg/kubelet/eviction/helpers.go";
const SRC_MANAGER: &str = "kubernetes/kubernetes pkg/kubelet/eviction/eviction_manager.go";

// ---------------------------------------------------------------------------------------------
// Observations
// ---------------------------------------------------------------------------------------------

/// One signal observation (`signalObservation`): what is available and the capacity percentages
/// resolve against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// Available bytes (may be negative in hypothetical scenarios where usage exceeds the limit).
    pub available: i64,
    /// `available + workingSet`.
    pub capacity: i64,
}

/// `memory.available`: the root cgroup's `availableBytes = MemTotal − workingSet`, capacity
/// `available + workingSet` (= MemTotal).
pub fn observe_memory_available(
    capacity_bytes: i64,
    node_working_set_bytes: i64,
) -> (Observation, Derivation) {
    let available = capacity_bytes.saturating_sub(node_working_set_bytes);
    let capacity = available.saturating_add(node_working_set_bytes);
    let d = Derivation::new(
        "memory.available",
        "eviction.signal.memory_available",
        "memory.available = capacity − node workingSet (workingSet = usage − inactive_file)",
        format!("{capacity_bytes} − {node_working_set_bytes} = {available}"),
        format!("{SRC_HELPERS} (makeSignalObservations), pkg/kubelet/eviction/helpers_others.go"),
    );
    (
        Observation {
            available,
            capacity,
        },
        d,
    )
}

/// `allocatableMemory.available`: the `pods` system container (kubepods cgroup),
/// `kubepods limit − kubepods workingSet`. `None` when kubepods has no limit: the stats provider
/// reports no `availableBytes` for an unlimited cgroup, so kubelet has no observation and the
/// threshold is skipped ("no observation found for eviction signal").
pub fn observe_allocatable_memory_available(
    kubepods_limit_bytes: Option<i64>,
    kubepods_working_set_bytes: i64,
) -> Option<(Observation, Derivation)> {
    let limit = kubepods_limit_bytes?;
    let available = limit.saturating_sub(kubepods_working_set_bytes);
    let capacity = available.saturating_add(kubepods_working_set_bytes);
    let d = Derivation::new(
        "allocatableMemory.available",
        "eviction.signal.allocatable_memory_available",
        "allocatableMemory.available = kubepods limit − kubepods workingSet",
        format!("{limit} − {kubepods_working_set_bytes} = {available}"),
        format!("{SRC_HELPERS} (makeSignalObservations, SystemContainerPods)"),
    );
    Some((
        Observation {
            available,
            capacity,
        },
        d,
    ))
}

/// Observations by signal name.
pub type Observations = BTreeMap<String, Observation>;

/// Builds the two memory observations from plain numbers.
pub fn make_memory_observations(
    capacity_bytes: i64,
    node_working_set_bytes: i64,
    kubepods_limit_bytes: Option<i64>,
    kubepods_working_set_bytes: i64,
) -> Observations {
    let mut obs = Observations::new();
    obs.insert(
        SIGNAL_MEMORY_AVAILABLE.into(),
        observe_memory_available(capacity_bytes, node_working_set_bytes).0,
    );
    if let Some((o, _)) =
        observe_allocatable_memory_available(kubepods_limit_bytes, kubepods_working_set_bytes)
    {
        obs.insert(SIGNAL_ALLOCATABLE_MEMORY_AVAILABLE.into(), o);
    }
    obs
}

// ---------------------------------------------------------------------------------------------
// Thresholds met, grace periods
// ---------------------------------------------------------------------------------------------

/// The evaluation of one threshold against its observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdCheck {
    /// Index into the thresholds slice given.
    pub index: usize,
    /// Signal.
    pub signal: String,
    /// Threshold bytes (percentages resolved against the observation's capacity).
    pub threshold_bytes: i64,
    /// Minimum reclaim bytes (0 when unset).
    pub min_reclaim_bytes: i64,
    /// Observed available bytes.
    pub available_bytes: i64,
    /// `threshold > available` (strict).
    pub met: bool,
    /// `threshold + minReclaim > available`: still "not reclaimed enough" once triggered.
    pub met_with_min_reclaim: bool,
    /// How it was decided.
    pub derivation: Derivation,
}

/// Evaluates every threshold that has an observation (`thresholdsMet` without and with minimum
/// reclaim); thresholds without observation are left out, as kubelet skips them.
pub fn check_thresholds(
    thresholds: &[Threshold],
    observations: &Observations,
) -> Vec<ThresholdCheck> {
    let mut out = Vec::new();
    for (index, t) in thresholds.iter().enumerate() {
        let Some(obs) = observations.get(&t.signal) else {
            continue;
        };
        let q = t.quantity(obs.capacity);
        let mr = t.min_reclaim_quantity(obs.capacity);
        let met = q > obs.available;
        let with = q.saturating_add(mr);
        let met_with_min_reclaim = with > obs.available;
        let derivation = Derivation::new(
            "met",
            "eviction.threshold_met",
            "met ⇔ threshold (+ minReclaim once triggered) > available (strict)",
            format!(
                "{} {} {} (with minReclaim: {q} + {mr} = {with} {} {})",
                q,
                if met { ">" } else { "≤" },
                obs.available,
                if met_with_min_reclaim { ">" } else { "≤" },
                obs.available
            ),
            format!("{SRC_HELPERS} (thresholdsMet)"),
        );
        out.push(ThresholdCheck {
            index,
            signal: t.signal.clone(),
            threshold_bytes: q,
            min_reclaim_bytes: mr,
            available_bytes: obs.available,
            met,
            met_with_min_reclaim,
            derivation,
        });
    }
    out
}

/// `thresholdsMet`: indices of the thresholds met; with `enforce_min_reclaim` the comparison is
/// against `threshold + minReclaim`.
pub fn thresholds_met(
    thresholds: &[Threshold],
    observations: &Observations,
    enforce_min_reclaim: bool,
) -> Vec<usize> {
    check_thresholds(thresholds, observations)
        .into_iter()
        .filter(|c| {
            if enforce_min_reclaim {
                c.met_with_min_reclaim
            } else {
                c.met
            }
        })
        .map(|c| c.index)
        .collect()
}

/// One synchronize step of the eviction manager's threshold bookkeeping (`synchronize`): met now,
/// merged with previously met thresholds not yet reclaimed past `threshold + minReclaim`.
pub fn thresholds_met_with_hysteresis(
    thresholds: &[Threshold],
    observations: &Observations,
    previously_met: &[usize],
) -> Vec<usize> {
    let mut met = thresholds_met(thresholds, observations, false);
    let prev: Vec<Threshold> = previously_met
        .iter()
        .filter_map(|&i| thresholds.get(i).cloned())
        .collect();
    let still = thresholds_met(&prev, observations, true);
    for j in still {
        if let Some(&i) = previously_met.get(j) {
            if !met.contains(&i) {
                met.push(i);
            }
        }
    }
    met.sort_unstable();
    met
}

/// `thresholdsFirstObservedAt`: keeps the previous first-observed time of thresholds still met,
/// `now` for new ones (times in seconds).
pub fn thresholds_first_observed_at(
    met: &[usize],
    last_observed_at: &BTreeMap<usize, f64>,
    now: f64,
) -> BTreeMap<usize, f64> {
    met.iter()
        .map(|&i| (i, last_observed_at.get(&i).copied().unwrap_or(now)))
        .collect()
}

/// `thresholdsMetGracePeriod`: thresholds whose `now − firstObservedAt ≥ gracePeriod`.
pub fn thresholds_met_grace_period(
    thresholds: &[Threshold],
    observed_at: &BTreeMap<usize, f64>,
    now: f64,
) -> Vec<usize> {
    observed_at
        .iter()
        .filter(|(i, at)| {
            thresholds
                .get(**i)
                .is_some_and(|t| now - **at >= t.grace_period_seconds())
        })
        .map(|(i, _)| *i)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------------------------

/// What `rankMemoryPressure` looks at for one pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankInput {
    /// `namespace/name`.
    pub key: String,
    /// `spec.priority` (nil → 0, `corev1helpers.PodPriority`).
    pub priority: i32,
    /// Memory request as eviction sees it (`GetResourceRequestQuantity(pod, memory)`).
    pub request_bytes: i64,
    /// Pod working set; `None` = no stats for the pod (ranked first).
    pub usage_bytes: Option<i64>,
    /// `IsCriticalPod` (static, mirror or priority ≥ 2000000000): `evictPod` refuses it.
    pub critical: bool,
}

/// One pod in memory-pressure order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankedPod {
    /// `namespace/name`.
    pub key: String,
    /// Index in the input.
    pub input_index: usize,
    /// 1 = evicted first; evictable pods are numbered in order and tied pods share the rank of
    /// the first of their group; `None` = never evicted (critical pod).
    pub eviction_rank: Option<u32>,
    /// True when this pod's sort keys equal those of the previous evictable pod: kubelet's
    /// unstable sort may put either first. oomlens lists tied pods in input order. Never true for
    /// a critical pod.
    pub tied_with_previous: bool,
    /// True when it ties with another evictable pod (previous or next).
    pub tied: bool,
    /// `usage > request` (true for pods without stats, which sort first).
    pub exceeds_request: bool,
    /// `usage − request` (None without stats).
    pub usage_minus_request: Option<i64>,
    /// Why it ranks where it does.
    pub reason: String,
}

/// `cmpBool`: true sorts first.
fn cmp_bool(a: bool, b: bool) -> Ordering {
    match (a, b) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// `exceedMemoryRequests`.
fn exceed_memory_requests(p1: &RankInput, p2: &RankInput) -> Ordering {
    match (p1.usage_bytes, p2.usage_bytes) {
        (Some(u1), Some(u2)) => cmp_bool(u1 > p1.request_bytes, u2 > p2.request_bytes),
        (a, b) => cmp_bool(a.is_none(), b.is_none()),
    }
}

/// `priority`: lower priority sorts first.
fn priority(p1: &RankInput, p2: &RankInput) -> Ordering {
    p1.priority.cmp(&p2.priority)
}

/// `memory`: larger `usage − request` sorts first.
fn memory(p1: &RankInput, p2: &RankInput) -> Ordering {
    match (p1.usage_bytes, p2.usage_bytes) {
        (Some(u1), Some(u2)) => {
            let d1 = i128::from(u1) - i128::from(p1.request_bytes);
            let d2 = i128::from(u2) - i128::from(p2.request_bytes);
            d2.cmp(&d1)
        }
        (a, b) => cmp_bool(a.is_none(), b.is_none()),
    }
}

/// The full `orderedBy(exceedMemoryRequests, priority, memory)` comparison.
pub fn compare_memory_pressure(p1: &RankInput, p2: &RankInput) -> Ordering {
    exceed_memory_requests(p1, p2)
        .then_with(|| priority(p1, p2))
        .then_with(|| memory(p1, p2))
}

/// `rankMemoryPressure`, then `evictPod`'s critical-pod refusal: every pod in kubelet's order,
/// with ties flagged and ranks (critical pods get none). Deterministic: tied pods keep input order.
pub fn rank_memory_pressure(pods: &[RankInput]) -> Vec<RankedPod> {
    rank_memory_pressure_with(pods, true)
}

/// The clauses of a ranked pod's reason (ids `eviction.rank.*`; English joined by `"; "` is
/// [`RankedPod::reason`]): its keys, then whether it is critical, then whether it ties with the
/// previous pod.
pub fn rank_messages(p: &RankInput, tied_with_previous: bool) -> Vec<Message> {
    let mut out = Vec::with_capacity(1 + usize::from(p.critical) + usize::from(tied_with_previous));
    out.push(match p.usage_bytes {
        None => Message::plain("eviction.rank.no_stats"),
        Some(u) => {
            let excess = i128::from(u) - i128::from(p.request_bytes);
            Message::with(
                if u > p.request_bytes {
                    "eviction.rank.over_request"
                } else {
                    "eviction.rank.within_request"
                },
                [
                    ("usage", Arg::ExactBytes(u)),
                    ("request", Arg::ExactBytes(p.request_bytes)),
                    ("priority", Arg::Int(i64::from(p.priority))),
                    (
                        "excess",
                        match i64::try_from(excess) {
                            Ok(v) => Arg::Int(v),
                            Err(_) => Arg::Text(excess.to_string()),
                        },
                    ),
                ],
            )
        }
    });
    if p.critical {
        out.push(Message::plain("eviction.rank.critical"));
    }
    if tied_with_previous {
        out.push(Message::plain("eviction.rank.tied"));
    }
    out
}

/// [`rank_memory_pressure`]; with `derive` false the `reason` strings are left empty (the
/// evaluation keeps [`rank_messages`] and renders the reason when asked).
pub fn rank_memory_pressure_with(pods: &[RankInput], derive: bool) -> Vec<RankedPod> {
    let mut order = Vec::new();
    rank_order(pods, &mut order);
    order
        .iter()
        .filter_map(|slot| {
            let i = slot.index as usize;
            let p = pods.get(i)?;
            let reason = if derive {
                crate::base::message::join_english_model(&rank_messages(p, slot.tied_with_previous))
            } else {
                String::new()
            };
            Some(RankedPod {
                key: p.key.clone(),
                input_index: i,
                eviction_rank: slot.rank,
                tied_with_previous: slot.tied_with_previous,
                tied: slot.tied,
                exceeds_request: p.usage_bytes.is_none_or(|u| u > p.request_bytes),
                usage_minus_request: p.usage_bytes.map(|u| u.saturating_sub(p.request_bytes)),
                reason,
            })
        })
        .collect()
}

/// One pod's place in [`rank_order`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RankSlot {
    /// Index in the input.
    pub index: u32,
    /// See [`RankedPod::eviction_rank`].
    pub rank: Option<u32>,
    /// See [`RankedPod::tied_with_previous`].
    pub tied_with_previous: bool,
    /// See [`RankedPod::tied`].
    pub tied: bool,
}

/// `rankMemoryPressure` with ranks and ties, into `out` (kubelet's order), then `evictPod`'s
/// refusal of critical pods.
///
/// Pods are sorted by [`rank_key`] (the comparator's order as one integer), ties in input order.
/// Critical pods keep their place in the order but get no rank, and they tie with nothing: ranks
/// number the evictable pods only (1, 2, …; pods with equal keys share the rank of the first of
/// their group, so 1, 1, 3), and a pod is tied only with evictable pods of equal keys.
pub(crate) fn rank_order(pods: &[RankInput], out: &mut Vec<RankSlot>) {
    out.clear();
    let mut order: Vec<(u128, usize)> = pods
        .iter()
        .enumerate()
        .map(|(i, p)| (rank_key(p), i))
        .collect();
    order.sort_unstable();
    out.reserve(order.len());
    // The last evictable pod's key, slot and rank; how many evictable pods came so far.
    let mut last: Option<(u128, usize, u32)> = None;
    let mut evictable: u32 = 0;
    for (key, i) in order {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        if pods.get(i).is_some_and(|p| p.critical) {
            out.push(RankSlot {
                index,
                rank: None,
                tied_with_previous: false,
                tied: false,
            });
            continue;
        }
        evictable = evictable.saturating_add(1);
        let (rank, tied) = match last {
            Some((k, slot, r)) if k == key => {
                if let Some(prev) = out.get_mut(slot) {
                    prev.tied = true;
                }
                (r, true)
            }
            _ => (evictable, false),
        };
        last = Some((key, out.len(), rank));
        out.push(RankSlot {
            index,
            rank: Some(rank),
            tied_with_previous: tied,
            tied,
        });
    }
}

/// The pod `evictPod` takes first, and the evictable pods tied with it, without sorting: the
/// evictable pod with the smallest [`rank_key`] (of equal keys, the first in input order, as in
/// [`rank_order`]). `None` when every pod is critical or there is none. The simulation asks this
/// at every eviction, where only the first pod matters.
pub fn first_to_evict(pods: &[RankInput]) -> Option<(usize, Vec<usize>)> {
    let keys: Vec<Option<u128>> = pods
        .iter()
        .map(|p| (!p.critical).then(|| rank_key(p)))
        .collect();
    let (first, key) = keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| Some((i, (*k)?)))
        .min_by_key(|&(i, k)| (k, i))?;
    let tied = keys
        .iter()
        .enumerate()
        .filter(|&(i, k)| i != first && *k == Some(key))
        .map(|(i, _)| i)
        .collect();
    Some((first, tied))
}

/// The sort key of `rankMemoryPressure` as one integer: `a < b` exactly when
/// [`compare_memory_pressure`] puts `a` first, equal exactly when it finds them equal.
/// [tier 2 bits][priority 32][request − usage 65]: tier 0 = no stats, 1 = usage > request,
/// 2 = within request; every field offset to be non-negative.
pub(crate) fn rank_key(p: &RankInput) -> u128 {
    let (tier, excess) = match p.usage_bytes {
        None => (0u128, 0u128),
        Some(u) => (
            if u > p.request_bytes { 1 } else { 2 },
            (i128::from(p.request_bytes) - i128::from(u) + i128::from(u64::MAX)) as u128,
        ),
    };
    let prio = (i64::from(p.priority) - i64::from(i32::MIN)) as u128;
    (tier << 97) | (prio << 65) | excess
}

/// The derivation of a ranked pod's place, for the pod report.
pub fn rank_derivation(r: &RankedPod) -> Derivation {
    rank_derivation_of(r.eviction_rank.is_none(), r.reason.clone())
}

/// [`rank_derivation`] from whether the pod is never evicted (critical) and its reason (the
/// English of [`rank_messages`]).
pub fn rank_derivation_of(never_evicted: bool, reason: String) -> Derivation {
    Derivation::new(
        "eviction_rank",
        if never_evicted { "eviction.never_critical" } else { "eviction.rank_memory_pressure" },
        "orderedBy(exceedMemoryRequests, priority, memory): no stats first, then usage > request first, then lower priority first, then larger usage − request first",
        reason,
        format!("{SRC_HELPERS} (rankMemoryPressure); {SRC_MANAGER} (evictPod refuses IsCriticalPod)"),
    )
}

// ---------------------------------------------------------------------------------------------
// Grace period and message
// ---------------------------------------------------------------------------------------------

/// `terminationGracePeriodSeconds` when a pod does not set it (API defaulting).
pub const DEFAULT_TERMINATION_GRACE_SECONDS: i64 = 30;

/// The grace period of an eviction, as kubelet passes it and as it takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EvictionGrace {
    /// `gracePeriodOverride` passed by `synchronize` (`eviction_manager.go`).
    pub override_seconds: i64,
    /// What the pod gets (`calculateEffectiveGracePeriod`, `pkg/kubelet/pod_workers.go`).
    pub pod_seconds: i64,
    /// The SIGTERM → SIGKILL window the runtime is given (`killContainer`,
    /// `pkg/kubelet/kuberuntime/kuberuntime_container.go`): from 1.28 never below
    /// `minimumGracePeriodInSeconds` (2 s); before, the override bypassed that floor.
    pub runtime_seconds: i64,
    /// The floor applied to the runtime's window: 2 s from 1.28, else the pod worker's 1 s.
    pub floor_seconds: i64,
}

/// The grace period of evicting a pod whose `terminationGracePeriodSeconds` is `termination`
/// (`None`: the API default, 30 s) for a hard or soft threshold, per release:
/// - the override (`synchronize`): hard thresholds `immediateEvictionGracePeriodSeconds` (0 before
///   1.31, 1 from 1.31, PR #124063); soft thresholds `evictionMaxPodGracePeriod`, from 1.32
///   `min(evictionMaxPodGracePeriod, terminationGracePeriodSeconds)` (PR #122890) unless the
///   `AllowOverwriteTerminationGracePeriodSeconds` gate is on (1.32–1.34; locked off from 1.35,
///   PR #133792);
/// - what the pod gets (`calculateEffectiveGracePeriod`): before 1.31 an override of 0 meant "the
///   pod's own grace period" (the hard-eviction bug PR #124063 fixed); at least 1 s;
/// - what the runtime gets: at least 2 s from 1.28 (PR #115835 applies the override before
///   `killContainer`'s floor).
///
/// Read at the v1.26.15 … v1.32.10 tags of `eviction_manager.go`, `pod_workers.go` and
/// `kuberuntime_container.go`; 1.25 is taken as 1.26 (1.24.17 and 1.26.15 agree), 1.33+ from the
/// changelogs and PR threads named above.
pub fn eviction_grace(
    rules: &crate::kubelet::rules::KubeletRules,
    hard: bool,
    max_pod_grace_period_seconds: i64,
    termination: Option<i64>,
) -> EvictionGrace {
    let minor = rules.version.minor;
    let tgps = termination.unwrap_or(DEFAULT_TERMINATION_GRACE_SECONDS);
    let override_seconds = if hard {
        rules.immediate_eviction_grace_seconds()
    } else if minor >= 35
        || (minor >= 32 && !rules.gate("AllowOverwriteTerminationGracePeriodSeconds"))
    {
        max_pod_grace_period_seconds.min(tgps)
    } else {
        max_pod_grace_period_seconds
    };
    let pod_seconds = if minor < 31 && override_seconds == 0 {
        tgps
    } else {
        override_seconds
    }
    .max(1);
    let floor_seconds = if minor >= 28 { 2 } else { 1 };
    EvictionGrace {
        override_seconds,
        pod_seconds,
        runtime_seconds: pod_seconds.max(floor_seconds),
        floor_seconds,
    }
}

/// Go `resource.NewQuantity(bytes, BinarySI).String()`: the canonical form kubelet prints for
/// usages and computed thresholds (`100Mi`, `536870920`, `1k` for exactly 1000 bytes).
pub fn go_binary_si_string(bytes: i64) -> String {
    if bytes == 0 {
        return "0".into();
    }
    if bytes > -1024 && bytes < 1024 {
        // DecimalSI canonical form: mantissa with an exponent that is a multiple of 3.
        let mut m = bytes;
        let mut e = 0;
        while m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        while e % 3 != 0 {
            m *= 10;
            e -= 1;
        }
        let suffix = match e {
            0 => "",
            3 => "k",
            _ => "",
        };
        return format!("{m}{suffix}");
    }
    let mut m = bytes;
    let mut e = 0;
    while m % 1024 == 0 && e < 6 {
        m /= 1024;
        e += 1;
    }
    let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        .get(e)
        .copied()
        .unwrap_or("");
    format!("{m}{suffix}")
}

/// A container as the eviction message sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageContainer {
    /// Name.
    pub name: String,
    /// Working set from container stats; `None` when absent (the container is then skipped).
    pub usage_bytes: Option<i64>,
    /// `resources.requests.memory` as the API server stores it (canonical string), `None` = unset.
    pub request: Option<(i64, String)>,
}

/// `evictionMessage` for memory: the pod's `status.message` and the event annotations.
/// Formats from helpers.go: `nodeLowMessageFmt` "The node was low on resource: %v. " and
/// `containerMessageFmt` "Container %s was using %s, request is %s, has larger consumption of %v. "
/// (kubernetes/kubernetes `pkg/kubelet/eviction/helpers.go`, the form since
/// https://github.com/kubernetes/kubernetes/pull/111597; the older "…, which exceeds its request
/// of %s. " form from kubernetes/kubernetes#63415 is not modelled). Unverified:
/// `thresholdMetMessageFmt` "Threshold quantity: %v, available: %v. " is seen in an upstream e2e
/// log quoted in https://github.com/kubernetes/kubernetes/pull/123904 (2024-03); the release
/// that added it is not established, so oomlens prints it for every version.
/// `threshold` is `(threshold quantity string, available string)` of the first memory threshold
/// with an observation (`getThresholdMetInfo`); `pod_level` is `(pod name, usage bytes, pod request
/// string)` when PodLevelResources applies and the pod sets a pod-level memory request.
pub fn eviction_message(
    threshold: Option<(String, String)>,
    pod_level: Option<(String, i64, String)>,
    containers: &[MessageContainer],
) -> (String, BTreeMap<String, String>) {
    let mut msg = "The node was low on resource: memory. ".to_string();
    let mut ann = BTreeMap::new();
    if let Some((q, a)) = threshold {
        msg.push_str(&format!("Threshold quantity: {q}, available: {a}. "));
    }
    if let Some((name, usage, req)) = pod_level {
        let u = go_binary_si_string(usage);
        msg.push_str(&format!(
            "Pod {name} was using {u}, request is {req}, has larger consumption of memory. "
        ));
        ann.insert("offending_pod".to_string(), name);
        ann.insert("offending_pod_usage".to_string(), u);
    }
    let mut names = Vec::new();
    let mut usages = Vec::new();
    for c in containers {
        let Some(u) = c.usage_bytes else { continue };
        let (req_bytes, req_str) = c.request.clone().unwrap_or((0, "0".to_string()));
        if u > req_bytes {
            let us = go_binary_si_string(u);
            msg.push_str(&format!("Container {} was using {us}, request is {req_str}, has larger consumption of memory. ", c.name));
            names.push(c.name.clone());
            usages.push(us);
        }
    }
    ann.insert("offending_containers".into(), names.join(","));
    ann.insert("offending_containers_usage".into(), usages.join(","));
    ann.insert("starved_resource".into(), "memory".into());
    (msg, ann)
}

/// `evictionMessage` when `stats(pod)` finds no stats for the pod: kubelet returns early, so the
/// message stops after the node-low (and threshold) part and the annotation map stays empty — no
/// `offending_containers`, no `starved_resource` (helpers.go: `podStats, ok := stats(pod); if !ok
/// { return }` precedes the annotation writes).
pub fn eviction_message_without_stats(
    threshold: Option<(String, String)>,
) -> (String, BTreeMap<String, String>) {
    let mut msg = "The node was low on resource: memory. ".to_string();
    if let Some((q, a)) = threshold {
        msg.push_str(&format!("Threshold quantity: {q}, available: {a}. "));
    }
    (msg, BTreeMap::new())
}

// ---------------------------------------------------------------------------------------------
// Pod-level convenience (wires the plain-number functions to pods and version rules)
// ---------------------------------------------------------------------------------------------

/// The ranking input of one pod: request as eviction sees it
/// ([`crate::kubelet::resources::pod_memory_request`]), `spec.priority` (nil → 0), critical
/// ([`crate::kubelet::critical::is_critical_pod`]) and its observed working set (`None` = no stats).
pub fn rank_input_for_pod(
    pod: &crate::api::pod::Pod,
    rules: &crate::kubelet::rules::KubeletRules,
    usage_bytes: Option<i64>,
) -> (RankInput, Derivation) {
    use crate::kubelet::resources::{pod_memory_request, Requests};
    let (request_bytes, why) = pod_memory_request(pod, rules, Requests::Defaulted);
    let d = why.derivation_for_pod(pod, rules, request_bytes);
    (
        RankInput {
            key: pod.key(),
            priority: pod.priority.unwrap_or(0),
            request_bytes,
            usage_bytes,
            critical: crate::kubelet::critical::is_critical_pod(pod),
        },
        d,
    )
}

/// `evictionMessage` for a pod: container requests as the API server stores them (requests
/// defaulted from limits), usages by container name, the pod-level line when PodLevelResources
/// applies and `spec.resources.requests.memory` is set. Only `spec.containers` are matched: every
/// upstream version of `evictionMessage` read loops `pod.Spec.Containers` (init containers and
/// sidecars never appear in the message). With no stats at all for the pod (no pod usage and no
/// container usage) kubelet's `stats(pod)` fails and it returns right after the threshold part,
/// with an empty annotation map (see [`eviction_message_without_stats`]).
pub fn eviction_message_for_pod(
    pod: &crate::api::pod::Pod,
    rules: &crate::kubelet::rules::KubeletRules,
    threshold: Option<(i64, i64)>,
    pod_usage_bytes: Option<i64>,
    container_usage: &BTreeMap<String, i64>,
) -> (String, BTreeMap<String, String>) {
    let threshold = threshold.map(|(q, a)| (go_binary_si_string(q), go_binary_si_string(a)));
    if pod_usage_bytes.is_none() && container_usage.is_empty() {
        return eviction_message_without_stats(threshold);
    }
    let pod_level = if crate::kubelet::resources::is_pod_level_resources_set(pod, rules) {
        let req = crate::kubelet::resources::pod_level_memory_request(
            pod,
            rules,
            crate::kubelet::resources::Requests::Defaulted,
        );
        match (req, pod_usage_bytes) {
            (Some(q), Some(u)) => Some((pod.name.clone(), u, q.to_string())),
            _ => None,
        }
    } else {
        None
    };
    let containers: Vec<MessageContainer> = pod
        .containers
        .iter()
        .map(|c| {
            let req = crate::kubelet::resources::container_memory_request_quantity(
                c,
                crate::kubelet::resources::Requests::Defaulted,
            );
            MessageContainer {
                name: c.name.clone(),
                usage_bytes: container_usage.get(&c.name).copied(),
                request: req.map(|q| (q.value(), q.to_string())),
            }
        })
        .collect();
    eviction_message(threshold, pod_level, &containers)
}
