//! "What fires first": a deterministic time simulation of a node whose pods grow at constant rates,
//! showing which mechanism acts first and who dies at each step.
//!
//! Mechanisms, and the upstream code each step follows:
//! - **container memcg OOM** (`memory.max` = container limit): the kernel kills the container's process
//!   (`mm/memcontrol.c` mem_cgroup_out_of_memory → `mm/oom_kill.c`); kubelet reports `OOMKilled`.
//! - **pod memcg OOM** (pod `memory.max` = Σ limits + overhead, or the pod-level limit).
//! - **kubelet eviction** (`pkg/kubelet/eviction/eviction_manager.go`): `synchronize` runs every 10 s
//!   (`evictionMonitoringPeriod`, `pkg/kubelet/kubelet.go`); a hard threshold acts at the first sync
//!   that observes it, a soft one once it has been observed for its grace period; thresholds stay met
//!   until `available ≥ threshold + minimumReclaim`; one pod per sync, ranked by `rankMemoryPressure`
//!   afresh each time; after an eviction the manager waits for the pod's cleanup (polled every 1 s,
//!   at most 30 s: `waitForPodsCleanup`) before the next sync. The evicted pod's grace period is
//!   `crate::kubelet::eviction::eviction_grace` for the release; its memory is released when the
//!   runtime's window ends (worst case: the app does not exit early on SIGTERM).
//! - **kubepods memcg OOM** (kubepods `memory.max` = capacity − reserved, when enforced).
//! - **node (global) OOM**: pod + system working set reaches capacity. Pods cannot use swap under
//!   kubelet's default `swapBehavior: NoSwap` (containers get `memory.swap.max = 0`), so swap only
//!   enlarges the kernel's `totalpages`, not the level at which the node runs out.
//!
//! Model assumptions (stated in every timeline): each container is one process whose rss is its
//! working set; usage grows linearly at the given rate; a killed container's memory is freed at once
//! and it is not restarted within the simulation (kubelet would restart it with back-off); the pod
//! sandbox (pause, adj −998) has negligible rss. Time is kept in whole milliseconds and memory in
//! milli-bytes, so crossings are exact.

use crate::base::derivation::Derivation;
use crate::base::message::{Arg, Message};
use crate::kernel::badness::{self, BadnessRule, OomScope, TaskMemory};
use crate::kernel::kill_order::{self, Proc, ProcIds};
use crate::kubelet::eviction::EvictionGrace;
use crate::kubelet::oom_score_adj::{KUBELET_OOM_SCORE_ADJ, SANDBOX_OOM_SCORE_ADJ};
use serde::Serialize;
use std::sync::Arc;

/// `evictionMonitoringPeriod` (`pkg/kubelet/kubelet.go`): the eviction manager's sync interval.
pub const EVICTION_MONITORING_PERIOD_MS: i64 = 10_000;
/// `podCleanupPollFreq` (`eviction_manager.go`).
pub const POD_CLEANUP_POLL_MS: i64 = 1_000;
/// `podCleanupTimeout` (`eviction_manager.go`).
pub const POD_CLEANUP_TIMEOUT_MS: i64 = 30_000;
/// The simulation stops after this many steps.
pub const MAX_STEPS: usize = 500;
/// The simulation stops after this much simulated time (24 h).
pub const HORIZON_MS: i64 = 24 * 3600 * 1000;

const SRC_EVICTION: &str = "kubernetes/kubernetes pkg/kubelet/eviction/eviction_manager.go (synchronize, waitForPodsCleanup)";
const SRC_RANK: &str = "kubernetes/kubernetes pkg/kubelet/eviction/helpers.go (rankMemoryPressure)";
const SRC_MEMCG: &str =
    "torvalds/linux mm/memcontrol.c (try_charge → mem_cgroup_out_of_memory), mm/oom_kill.c";

mod eviction;
mod kernel_oom;
mod model;
mod state;
mod timeline;

use eviction::*;
use kernel_oom::*;
pub(crate) use model::{sandbox_proc, system_proc, Model, ModelContainer, ModelPod, SYSTEM_ID};
pub use model::{SimContainer, SimInput, SimPod, SimThreshold};
use state::*;
use timeline::*;
pub use timeline::{
    assumptions, mechanism_message, mechanism_name, Mechanism, MemorySnapshot, Timeline,
    TimelineStep, ASSUMPTION_IDS,
};

/// Runs the simulation.
pub fn simulate(input: &SimInput) -> Timeline {
    run(&Model::from_input(input))
}

/// Runs the simulation on the flat model.
pub(crate) fn run(m: &Model) -> Timeline {
    let c: Vec<CState> = m
        .containers
        .iter()
        .map(|c| CState {
            alive: true,
            mb: i128::from(c.usage_bytes.max(0)) * 1000,
            rate: i128::from(c.growth_bytes_per_second.max(0)),
        })
        .collect();
    let mut st = State {
        m,
        now: 0,
        c,
        phase: vec![PodPhase::Running; m.pods.len()],
        steps: Vec::new(),
        tot_mb: 0,
        tot_rate: 0,
        growing: Vec::new(),
        active: Vec::new(),
        alive: 0,
        dirty: true,
    };
    st.recompute_totals();
    let n_thr = m.thresholds.len();
    let mut met_prev = vec![false; n_thr];
    let mut first_observed: Vec<Option<i64>> = vec![None; n_thr];
    let mut announced = vec![false; n_thr];
    let mut next_sync: i64 = 0;
    let mut last_sync: i64 = 0;
    let mut truncated = false;
    let mut no_evictable_reported = false;

    loop {
        if st.steps.len() >= MAX_STEPS || st.now > HORIZON_MS {
            truncated = true;
            break;
        }
        // Earliest kernel event.
        st.refresh();
        let kernel = next_kernel_event(&st);
        // Earliest pod release.
        let release = st
            .phase
            .iter()
            .enumerate()
            .filter_map(|(i, ph)| match ph {
                PodPhase::Terminating { release_ms } => Some((*release_ms, i)),
                _ => None,
            })
            .min();
        // Skip syncs that cannot change anything: when nothing is met, nothing is terminating, jump to
        // the first sync at or after the earliest threshold crossing.
        let idle = !met_prev.iter().any(|m| *m) && release.is_none();
        let grid = |at: i64| -> i64 {
            // The first sync on the 10 s grid (anchored at the last sync) at or after `at`.
            let d = at.saturating_sub(last_sync).max(0);
            let k =
                d.saturating_add(EVICTION_MONITORING_PERIOD_MS - 1) / EVICTION_MONITORING_PERIOD_MS;
            last_sync.saturating_add(k.saturating_mul(EVICTION_MONITORING_PERIOD_MS))
        };
        let sync_at = if idle {
            match next_threshold_crossing(&st) {
                Some(tc) => grid(tc.max(next_sync)),
                None => i64::MAX,
            }
        } else if no_evictable_reported && !has_evictable(&st) {
            // Every sync is a no-op until the kernel changes something.
            i64::MAX
        } else {
            next_sync
        };
        let t_kernel = kernel.map(|(t, _)| t).unwrap_or(i64::MAX);
        let t_release = release.map(|(t, _)| t).unwrap_or(i64::MAX);
        let t = t_kernel.min(t_release).min(sync_at);
        if t == i64::MAX {
            break; // steady state: nothing grows, nothing pending
        }
        if t > HORIZON_MS {
            truncated = st.pods_rate() > 0;
            break;
        }
        st.advance(t);
        if t_kernel == t {
            if let Some((_, ev)) = kernel {
                handle_kernel(&mut st, ev);
            }
            continue;
        }
        if t_release == t {
            if let Some((_, p)) = release {
                if let Some(pod) = m.pods.get(p) {
                    for i in pod.start..pod.end {
                        st.kill_container(i);
                    }
                }
                if let Some(ph) = st.phase.get_mut(p) {
                    *ph = PodPhase::Gone;
                }
                let id = st.pod_id(p);
                st.push(
                    Mechanism::PodTerminated,
                    Some(id),
                    Vec::new(),
                    Message::plain("timeline.pod_terminated"),
                    StepWhy::None,
                );
            }
            continue;
        }
        // kubelet sync.
        last_sync = t;
        next_sync = t.saturating_add(EVICTION_MONITORING_PERIOD_MS);
        let snap = st.snapshot();
        let mut active: Option<usize> = None;
        for (i, th) in m.thresholds.iter().enumerate() {
            let observed = match observed_for(&th.signal, &snap) {
                Some(o) => o,
                None => continue,
            };
            let met_now = observed < th.bytes;
            let still = met_prev[i] && observed < th.bytes.saturating_add(th.min_reclaim_bytes);
            let met = met_now || still;
            if met {
                if first_observed[i].is_none() {
                    first_observed[i] = Some(t);
                }
            } else {
                first_observed[i] = None;
                announced[i] = false;
            }
            met_prev[i] = met;
            if !met {
                continue;
            }
            let since = t - first_observed[i].unwrap_or(t);
            if since >= th.grace_ms {
                if active.is_none() {
                    active = Some(i);
                }
            } else if !announced[i] {
                announced[i] = true;
                let message = Message::new(
                    "timeline.soft_threshold_observed",
                    vec![
                        ("signal", Arg::Text(th.signal.clone())),
                        ("observed", Arg::ExactBytes(observed)),
                        ("threshold", Arg::ExactBytes(th.bytes)),
                        ("soft_grace", Arg::Float(secs(th.grace_ms))),
                        ("at", Arg::Float(secs(t.saturating_add(th.grace_ms)))),
                    ],
                );
                st.push(
                    Mechanism::SoftThresholdObserved,
                    None,
                    Vec::new(),
                    message,
                    StepWhy::None,
                );
            }
        }
        if let Some(i) = active {
            let th = &m.thresholds[i];
            let observed = observed_for(&th.signal, &snap).unwrap_or(0);
            match rank_for_eviction(&st) {
                Some((p, tied)) => {
                    let Some(pod) = m.pods.get(p) else { continue };
                    let grace = if th.hard {
                        pod.hard_grace
                    } else {
                        pod.soft_grace
                    };
                    let release_ms = t.saturating_add(grace.runtime_seconds.saturating_mul(1000));
                    if let Some(ph) = st.phase.get_mut(p) {
                        *ph = PodPhase::Terminating { release_ms };
                    }
                    let usage = bytes(st.pod_mb(p));
                    let id = st.pod_id(p);
                    let mut args = vec![
                        ("signal", Arg::Text(th.signal.clone())),
                        ("observed", Arg::ExactBytes(observed)),
                        ("threshold", Arg::ExactBytes(th.bytes)),
                    ];
                    if th.min_reclaim_bytes > 0 {
                        args.push(("min_reclaim", Arg::ExactBytes(th.min_reclaim_bytes)));
                    }
                    args.extend([
                        ("pod", Arg::Text(id.clone())),
                        ("usage", Arg::ExactBytes(usage)),
                        (
                            "comparison",
                            Arg::Text(
                                if usage > pod.request_bytes {
                                    ">"
                                } else {
                                    "≤"
                                }
                                .into(),
                            ),
                        ),
                        ("request", Arg::ExactBytes(pod.request_bytes)),
                        ("priority", Arg::Int(i64::from(pod.priority))),
                        ("grace", Arg::Int(grace.pod_seconds)),
                        ("floor", Arg::Int(grace.floor_seconds)),
                        ("release", Arg::Float(secs(release_ms))),
                    ]);
                    let message = Message::new(
                        match (th.hard, th.min_reclaim_bytes > 0) {
                            (true, false) => "timeline.eviction.hard",
                            (true, true) => "timeline.eviction.hard_min_reclaim",
                            (false, false) => "timeline.eviction.soft",
                            (false, true) => "timeline.eviction.soft_min_reclaim",
                        },
                        args,
                    );
                    let why = StepWhy::Eviction {
                        usage,
                        request: pod.request_bytes,
                        priority: pod.priority,
                        at_ms: t,
                    };
                    let mech = if th.hard {
                        Mechanism::EvictionHard
                    } else {
                        Mechanism::EvictionSoft
                    };
                    st.push(mech, Some(id), tied, message, why);
                    // The manager waits for the pod's cleanup before syncing again.
                    let wait = (grace.runtime_seconds * 1000)
                        .clamp(POD_CLEANUP_POLL_MS, POD_CLEANUP_TIMEOUT_MS);
                    next_sync = t.saturating_add(wait);
                }
                None => {
                    if !no_evictable_reported {
                        no_evictable_reported = true;
                        let message = Message::with(
                            if th.hard {
                                "timeline.no_evictable_pod.hard"
                            } else {
                                "timeline.no_evictable_pod.soft"
                            },
                            [
                                ("signal", Arg::Text(th.signal.clone())),
                                ("observed", Arg::ExactBytes(observed)),
                                ("threshold", Arg::ExactBytes(th.bytes)),
                            ],
                        );
                        st.push(
                            Mechanism::NoEvictablePod,
                            None,
                            Vec::new(),
                            message,
                            StepWhy::None,
                        );
                    }
                }
            }
        }
        // Steady state: nothing grows, nothing met, nothing pending → stop.
        st.refresh();
        if st.pods_rate() == 0
            && !met_prev.iter().any(|m| *m)
            && next_kernel_event(&st).is_none()
            && !st
                .phase
                .iter()
                .any(|p| matches!(p, PodPhase::Terminating { .. }))
        {
            break;
        }
        if no_evictable_reported
            && st.pods_rate() == 0
            && next_kernel_event(&st).is_none()
            && !st
                .phase
                .iter()
                .any(|p| matches!(p, PodPhase::Terminating { .. }))
        {
            break;
        }
    }
    let first_mechanism = st
        .steps
        .iter()
        .find(|s| {
            !matches!(
                s.mechanism,
                Mechanism::SoftThresholdObserved
                    | Mechanism::NoEvictablePod
                    | Mechanism::PodTerminated
            )
        })
        .map(|s| s.mechanism);
    let outcome_message = match st
        .steps
        .iter()
        .find(|s| Some(s.mechanism) == first_mechanism)
    {
        Some(s) => Message::with(
            "timeline.outcome.first",
            [
                (
                    "mechanism",
                    Arg::Message(Box::new(mechanism_message(s.mechanism))),
                ),
                ("time", Arg::Float(s.time_seconds)),
                ("victim", Arg::Text(s.victim.clone().unwrap_or_default())),
            ],
        ),
        None if truncated => Message::with(
            "timeline.outcome.truncated",
            [("hours", Arg::Int(HORIZON_MS / 3_600_000))],
        ),
        None if m.containers.iter().all(|c| c.growth_bytes_per_second <= 0) => {
            Message::plain("timeline.outcome.constant")
        }
        None => Message::plain("timeline.outcome.stays_below"),
    };
    Timeline {
        steps: st.steps,
        first_mechanism,
        outcome_message,
        truncated,
        assumptions: &ASSUMPTION_IDS,
    }
}
