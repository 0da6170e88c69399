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
//!   at most 30 s: `waitForPodsCleanup`) before the next sync. Hard evictions use a 1 s grace period
//!   (`immediateEvictionGracePeriodSeconds`), soft ones `min(evictionMaxPodGracePeriod,
//!   terminationGracePeriodSeconds)`; the runtime never kills sooner than 2 s
//!   (`minimumGracePeriodInSeconds`, `pkg/kubelet/kuberuntime/kuberuntime_container.go`). The pod's
//!   memory is released when that grace ends (worst case: the app does not exit early on SIGTERM).
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

use crate::badness::{self, BadnessRule, Candidate, TaskMemory};
use crate::derivation::Derivation;
use crate::message::{Arg, Message};
use serde::Serialize;

/// `evictionMonitoringPeriod` (`pkg/kubelet/kubelet.go`): the eviction manager's sync interval.
pub const EVICTION_MONITORING_PERIOD_MS: i64 = 10_000;
/// `podCleanupPollFreq` (`eviction_manager.go`).
pub const POD_CLEANUP_POLL_MS: i64 = 1_000;
/// `podCleanupTimeout` (`eviction_manager.go`).
pub const POD_CLEANUP_TIMEOUT_MS: i64 = 30_000;
/// `immediateEvictionGracePeriodSeconds` (`eviction_manager.go`): grace of a hard eviction.
pub const IMMEDIATE_EVICTION_GRACE_SECONDS: i64 = 1;
/// `minimumGracePeriodInSeconds` (`kuberuntime_container.go`): the runtime's floor on kill grace.
pub const MINIMUM_KILL_GRACE_SECONDS: i64 = 2;
/// The simulation stops after this many steps.
pub const MAX_STEPS: usize = 500;
/// The simulation stops after this much simulated time (24 h).
pub const HORIZON_MS: i64 = 24 * 3600 * 1000;

const SRC_EVICTION: &str = "kubernetes/kubernetes pkg/kubelet/eviction/eviction_manager.go (synchronize, waitForPodsCleanup)";
const SRC_RANK: &str = "kubernetes/kubernetes pkg/kubelet/eviction/helpers.go (rankMemoryPressure)";
const SRC_MEMCG: &str =
    "torvalds/linux mm/memcontrol.c (try_charge → mem_cgroup_out_of_memory), mm/oom_kill.c";

/// One container as the simulation sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimContainer {
    /// Container name.
    pub name: String,
    /// Its oom_score_adj.
    pub oom_score_adj: i64,
    /// Its memcg `memory.max` (`None` = unlimited).
    pub limit_bytes: Option<i64>,
    /// Working set at t = 0.
    pub usage_bytes: i64,
    /// Growth in bytes per second (≥ 0).
    pub growth_bytes_per_second: i64,
}

/// One pod as the simulation sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimPod {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `spec.priority` (nil → 0).
    pub priority: i32,
    /// `IsCriticalPod`: never evicted.
    pub critical: bool,
    /// Memory request as eviction ranking sees it.
    pub request_bytes: i64,
    /// Pod memcg `memory.max` (`None` = unlimited).
    pub limit_bytes: Option<i64>,
    /// Grace period kubelet passes when evicting this pod for a hard threshold (seconds).
    pub hard_eviction_grace_seconds: i64,
    /// Grace period kubelet passes when evicting this pod for a soft threshold (seconds).
    pub soft_eviction_grace_seconds: i64,
    /// Containers (init containers that have finished are not listed).
    pub containers: Vec<SimContainer>,
}

/// One memory eviction threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimThreshold {
    /// `memory.available` or `allocatableMemory.available`.
    pub signal: String,
    /// Hard: grace period 0 (`isHardEvictionThreshold`; a soft threshold with grace 0 acts as hard).
    pub hard: bool,
    /// Threshold in bytes.
    pub bytes: i64,
    /// Soft grace period in milliseconds (0 for hard).
    pub grace_ms: i64,
    /// Minimum reclaim in bytes.
    pub min_reclaim_bytes: i64,
}

/// Everything the simulation needs (built by `evaluate`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimInput {
    /// Node memory capacity (MemTotal).
    pub capacity_bytes: i64,
    /// Swap size.
    pub swap_bytes: i64,
    /// Page size.
    pub page_size: i64,
    /// Working set outside the pods.
    pub system_usage_bytes: i64,
    /// kubepods `memory.max` (`None` when not enforced).
    pub kubepods_limit_bytes: Option<i64>,
    /// Memory eviction thresholds, in kubelet's order (hard, soft, allocatable copies).
    pub thresholds: Vec<SimThreshold>,
    /// The kernel's badness rule.
    pub badness_rule: BadnessRule,
    /// Whether container cgroups have `memory.oom.group = 1` (the whole container dies).
    pub oom_group: bool,
    /// Pods.
    pub pods: Vec<SimPod>,
}

/// What acted at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// A container reached its memory limit: memcg OOM kill (`OOMKilled`).
    ContainerOom,
    /// A pod reached its pod-level memcg limit: memcg OOM kill inside the pod.
    PodOom,
    /// kubelet observed a soft threshold; its grace period starts.
    SoftThresholdObserved,
    /// kubelet evicted a pod for a hard threshold.
    EvictionHard,
    /// kubelet evicted a pod for a soft threshold after its grace period.
    EvictionSoft,
    /// kubelet found a threshold met but no pod it may evict (all critical).
    NoEvictablePod,
    /// An evicted pod's containers were killed and its memory released.
    PodTerminated,
    /// The kubepods memcg reached its limit: memcg OOM kill among all pods.
    KubepodsOom,
    /// The node ran out of memory: global OOM kill.
    NodeOom,
}

/// Memory right after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MemorySnapshot {
    /// System + pod working set.
    pub node_used_bytes: i64,
    /// `memory.available` = capacity − node working set.
    pub memory_available_bytes: i64,
    /// Working set of all pods (the kubepods cgroup).
    pub kubepods_used_bytes: i64,
    /// `allocatableMemory.available` = kubepods limit − kubepods working set (when enforced).
    pub allocatable_available_bytes: Option<i64>,
}

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineStep {
    /// Seconds from the start.
    pub time_seconds: f64,
    /// What acted.
    pub mechanism: Mechanism,
    /// Who died or was evicted: `ns/pod` or `ns/pod/container` (`None` for informational steps).
    pub victim: Option<String>,
    /// Candidates tied with the victim (the kernel or Go's sort decides among them).
    pub tied_with: Vec<String>,
    /// Why, in one sentence (English; empty in the numbers-only evaluation).
    pub reason: String,
    /// [`TimelineStep::reason`] as a structured message (ids `timeline.*`), built in both modes.
    #[serde(skip)]
    pub message: Message,
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
    /// Memory right after the step.
    pub memory_after: MemorySnapshot,
}

/// The whole simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// Steps in time order.
    pub steps: Vec<TimelineStep>,
    /// The first mechanism that killed or evicted something, if any.
    pub first_mechanism: Option<Mechanism>,
    /// A one-sentence summary (what fires first, or why nothing ever does); English, empty in
    /// the numbers-only evaluation.
    pub outcome: String,
    /// [`Timeline::outcome`] as a structured message (ids `timeline.outcome.*`), built in both modes.
    #[serde(skip)]
    pub outcome_message: Message,
    /// True when the simulation stopped at [`MAX_STEPS`] or [`HORIZON_MS`].
    pub truncated: bool,
    /// The model's assumptions, stated.
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone)]
struct CState {
    alive: bool,
    /// Usage in milli-bytes at `now`.
    mb: i128,
    /// Growth in bytes/s = milli-bytes/ms.
    rate: i128,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PodPhase {
    Running,
    Terminating { release_ms: i64 },
    Gone,
}

struct State<'a> {
    input: &'a SimInput,
    now: i64,
    c: Vec<Vec<CState>>,
    phase: Vec<PodPhase>,
    steps: Vec<TimelineStep>,
    /// Σ usage of alive containers (milli-bytes), kept in step with `c` so that the node and
    /// kubepods totals cost O(1) instead of a pass over every container.
    tot_mb: i128,
    /// Σ growth of alive containers.
    tot_rate: i128,
    /// Build derivations and English reasons.
    derive: bool,
}

fn bytes(mb: i128) -> i64 {
    (mb.div_euclid(1000)).clamp(0, i128::from(i64::MAX)) as i64
}

/// Smallest dt ≥ 0 (ms) with `cur + rate·dt ≥ target` (all in milli-bytes); `None` if never.
fn time_to_reach(cur: i128, rate: i128, target: i128) -> Option<i64> {
    if cur >= target {
        return Some(0);
    }
    if rate <= 0 {
        return None;
    }
    let need = target - cur;
    let dt = (need + rate - 1) / rate;
    i64::try_from(dt).ok()
}

/// When a memcg (or the node) at `cur` growing by `rate` runs out of room under `limit` (all in
/// milli-bytes): the charge that would take usage above the limit fails, so a growing cgroup OOMs
/// the moment it reaches its limit, one above it OOMs at once, and one sitting exactly at its limit
/// without growing does not (nothing more is charged).
fn time_to_oom(cur: i128, rate: i128, limit: i128) -> Option<i64> {
    if cur > limit || (cur == limit && rate > 0) {
        return Some(0);
    }
    if cur == limit {
        return None;
    }
    time_to_reach(cur, rate, limit)
}

fn secs(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

impl<'a> State<'a> {
    fn pod_mb(&self, p: usize) -> i128 {
        self.c[p].iter().filter(|c| c.alive).map(|c| c.mb).sum()
    }
    fn pod_rate(&self, p: usize) -> i128 {
        self.c[p].iter().filter(|c| c.alive).map(|c| c.rate).sum()
    }
    fn pods_mb(&self) -> i128 {
        self.tot_mb
    }
    fn pods_rate(&self) -> i128 {
        self.tot_rate
    }
    /// Recomputes the cached totals after `c` was changed in place.
    fn recompute_totals(&mut self) {
        let (mut mb, mut rate) = (0i128, 0i128);
        for c in self.c.iter().flatten().filter(|c| c.alive) {
            mb += c.mb;
            rate += c.rate;
        }
        self.tot_mb = mb;
        self.tot_rate = rate;
    }
    fn node_mb(&self) -> i128 {
        i128::from(self.input.system_usage_bytes) * 1000 + self.pods_mb()
    }
    fn snapshot(&self) -> MemorySnapshot {
        let kubepods = bytes(self.pods_mb());
        let node = bytes(self.node_mb());
        MemorySnapshot {
            node_used_bytes: node,
            memory_available_bytes: self.input.capacity_bytes.saturating_sub(node),
            kubepods_used_bytes: kubepods,
            allocatable_available_bytes: self
                .input
                .kubepods_limit_bytes
                .map(|l| l.saturating_sub(kubepods)),
        }
    }
    fn advance(&mut self, to: i64) {
        let dt = i128::from(to.saturating_sub(self.now).max(0));
        let mut tot = 0i128;
        for pod in &mut self.c {
            for c in pod.iter_mut().filter(|c| c.alive) {
                c.mb = c.mb.saturating_add(c.rate.saturating_mul(dt));
                tot += c.mb;
            }
        }
        self.tot_mb = tot;
        self.now = to;
    }
    fn kill_container(&mut self, p: usize, k: usize) {
        if let Some(c) = self.c.get_mut(p).and_then(|v| v.get_mut(k)) {
            if c.alive {
                self.tot_mb -= c.mb;
                self.tot_rate -= c.rate;
            }
            c.alive = false;
            c.mb = 0;
            c.rate = 0;
        }
    }
    fn push(
        &mut self,
        mechanism: Mechanism,
        victim: Option<String>,
        tied_with: Vec<String>,
        message: Message,
        derivations: impl FnOnce() -> Vec<Derivation>,
    ) {
        let memory_after = self.snapshot();
        let (reason, derivations) = if self.derive {
            (message.english(), derivations())
        } else {
            (String::new(), Vec::new())
        };
        self.steps.push(TimelineStep {
            time_seconds: secs(self.now),
            mechanism,
            victim,
            tied_with,
            reason,
            message,
            derivations,
            memory_after,
        });
    }
    fn container_id(&self, p: usize, k: usize) -> String {
        let pod = &self.input.pods[p];
        let name = pod
            .containers
            .get(k)
            .map(|c| c.name.as_str())
            .unwrap_or("?");
        format!("{}/{}/{}", pod.namespace, pod.name, name)
    }
    fn pod_id(&self, p: usize) -> String {
        let pod = &self.input.pods[p];
        format!("{}/{}", pod.namespace, pod.name)
    }
    /// Candidates of a scope: alive containers (+ the sandboxes of the pods involved, + system for node).
    fn candidates(
        &self,
        pods: &[usize],
        with_system: bool,
    ) -> (Vec<Candidate>, Vec<Option<(usize, usize)>>) {
        let ps = self.input.page_size;
        let mut cands = Vec::new();
        let mut map = Vec::new();
        for &p in pods {
            if self.phase[p] == PodPhase::Gone {
                continue;
            }
            cands.push(Candidate {
                id: format!("{} (sandbox)", self.pod_id(p)),
                task: TaskMemory::default(),
                oom_score_adj: badness::SANDBOX_OOM_SCORE_ADJ,
                cap_sys_admin: false,
            });
            map.push(None);
            for (k, c) in self.c[p].iter().enumerate() {
                if !c.alive {
                    continue;
                }
                let spec = &self.input.pods[p].containers[k];
                cands.push(Candidate {
                    id: self.container_id(p, k),
                    task: TaskMemory::from_rss_bytes(bytes(c.mb), ps),
                    oom_score_adj: spec.oom_score_adj,
                    cap_sys_admin: false,
                });
                map.push(Some((p, k)));
            }
        }
        if with_system {
            cands.push(Candidate {
                id: "kubelet + container runtime".into(),
                task: TaskMemory::from_rss_bytes(self.input.system_usage_bytes, ps),
                oom_score_adj: badness::KUBELET_OOM_SCORE_ADJ,
                cap_sys_admin: true,
            });
            map.push(None);
        }
        (cands, map)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kernel {
    Container(usize, usize),
    Pod(usize),
    Kubepods,
    Node,
}

impl Kernel {
    fn order(self) -> u8 {
        match self {
            Kernel::Container(..) => 0,
            Kernel::Pod(_) => 1,
            Kernel::Kubepods => 2,
            Kernel::Node => 3,
        }
    }
}

/// Runs the simulation.
pub fn simulate(input: &SimInput) -> Timeline {
    simulate_with(input, true)
}

/// [`simulate`]; with `derive` false the steps carry no derivations and no English `reason` /
/// `outcome` (their [`Message`]s are built in both modes).
pub fn simulate_with(input: &SimInput, derive: bool) -> Timeline {
    let c: Vec<Vec<CState>> = input
        .pods
        .iter()
        .map(|p| {
            p.containers
                .iter()
                .map(|c| CState {
                    alive: true,
                    mb: i128::from(c.usage_bytes.max(0)) * 1000,
                    rate: i128::from(c.growth_bytes_per_second.max(0)),
                })
                .collect()
        })
        .collect();
    let mut st = State {
        input,
        now: 0,
        c,
        phase: vec![PodPhase::Running; input.pods.len()],
        steps: Vec::new(),
        tot_mb: 0,
        tot_rate: 0,
        derive,
    };
    st.recompute_totals();
    let n_thr = input.thresholds.len();
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
                for k in 0..st.c[p].len() {
                    st.kill_container(p, k);
                }
                st.phase[p] = PodPhase::Gone;
                let id = st.pod_id(p);
                st.push(
                    Mechanism::PodTerminated,
                    Some(id),
                    Vec::new(),
                    Message::plain("timeline.pod_terminated"),
                    Vec::new,
                );
            }
            continue;
        }
        // kubelet sync.
        last_sync = t;
        next_sync = t.saturating_add(EVICTION_MONITORING_PERIOD_MS);
        let snap = st.snapshot();
        let mut active: Option<usize> = None;
        for (i, th) in input.thresholds.iter().enumerate() {
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
                    Vec::new,
                );
            }
        }
        if let Some(i) = active {
            let th = &input.thresholds[i];
            let observed = observed_for(&th.signal, &snap).unwrap_or(0);
            match rank_for_eviction(&st) {
                Some((p, tied)) => {
                    let pod = &input.pods[p];
                    let grace_s = if th.hard {
                        pod.hard_eviction_grace_seconds
                    } else {
                        pod.soft_eviction_grace_seconds
                    }
                    .max(0);
                    let effective = grace_s.max(MINIMUM_KILL_GRACE_SECONDS);
                    let release_ms = t.saturating_add(effective.saturating_mul(1000));
                    st.phase[p] = PodPhase::Terminating { release_ms };
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
                        ("grace", Arg::Int(grace_s)),
                        ("floor", Arg::Int(MINIMUM_KILL_GRACE_SECONDS)),
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
                    let derivations = || {
                        vec![
                            Derivation::new(
                                "victim",
                                "eviction.rank_memory_pressure",
                                "orderedBy(usage > request first, lower priority first, larger usage − request first), critical pods skipped",
                                format!("{}: exceeds={}, priority={}, usage−request={}", id, usage > pod.request_bytes, pod.priority, usage.saturating_sub(pod.request_bytes)),
                                SRC_RANK,
                            ),
                            Derivation::new(
                                "time_seconds",
                                "eviction.sync_loop",
                                "sync every 10 s; hard acts at once, soft after its grace period",
                                format!("sync at t = {} s", secs(t)),
                                SRC_EVICTION,
                            ),
                        ]
                    };
                    let ds = if st.derive { derivations() } else { Vec::new() };
                    let mech = if th.hard {
                        Mechanism::EvictionHard
                    } else {
                        Mechanism::EvictionSoft
                    };
                    st.push(mech, Some(id), tied, message, || ds);
                    // The manager waits for the pod's cleanup before syncing again.
                    let wait =
                        (effective * 1000).clamp(POD_CLEANUP_POLL_MS, POD_CLEANUP_TIMEOUT_MS);
                    next_sync = t.saturating_add(wait);
                }
                None => {
                    if !no_evictable_reported {
                        no_evictable_reported = true;
                        let message = Message::new(
                            if th.hard {
                                "timeline.no_evictable_pod.hard"
                            } else {
                                "timeline.no_evictable_pod.soft"
                            },
                            vec![
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
                            Vec::new,
                        );
                    }
                }
            }
        }
        // Steady state: nothing grows, nothing met, nothing pending → stop.
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
        Some(s) => Message::new(
            "timeline.outcome.first",
            vec![
                (
                    "mechanism",
                    Arg::Message(Box::new(mechanism_message(s.mechanism))),
                ),
                ("time", Arg::Float(s.time_seconds)),
                ("victim", Arg::Text(s.victim.clone().unwrap_or_default())),
            ],
        ),
        None if truncated => Message::new(
            "timeline.outcome.truncated",
            vec![("hours", Arg::Int(HORIZON_MS / 3_600_000))],
        ),
        None if input
            .pods
            .iter()
            .all(|p| p.containers.iter().all(|c| c.growth_bytes_per_second <= 0)) =>
        {
            Message::plain("timeline.outcome.constant")
        }
        None => Message::plain("timeline.outcome.stays_below"),
    };
    let outcome = if derive {
        outcome_message.english()
    } else {
        String::new()
    };
    Timeline {
        steps: st.steps,
        first_mechanism,
        outcome,
        outcome_message,
        truncated,
        assumptions: assumptions(),
    }
}

/// The model's assumptions, as shown with every timeline.
pub fn assumptions() -> Vec<String> {
    vec![
        "each container is one process whose rss is its working set; usage grows linearly at the given rate".into(),
        "a container killed by the kernel frees its memory at once and is not restarted within the simulation".into(),
        "kubelet's first eviction sync is at t = 0, then every 10 s (after an eviction: when the pod is cleaned up)".into(),
        "an evicted pod keeps its memory until its grace period ends (at least 2 s)".into(),
        "pods cannot swap (kubelet swapBehavior NoSwap); node OOM happens when system + pod working set reaches capacity".into(),
        "processes outside kubepods with oom_score_adj ≥ 0 (system daemons) are not modelled; in a node OOM they can be chosen before Guaranteed containers".into(),
    ]
}

/// [`mechanism_name`] as a message (ids `mechanism.*`).
pub fn mechanism_message(m: Mechanism) -> Message {
    Message::plain(match m {
        Mechanism::ContainerOom => "mechanism.container_oom",
        Mechanism::PodOom => "mechanism.pod_oom",
        Mechanism::SoftThresholdObserved => "mechanism.soft_threshold_observed",
        Mechanism::EvictionHard => "mechanism.eviction_hard",
        Mechanism::EvictionSoft => "mechanism.eviction_soft",
        Mechanism::NoEvictablePod => "mechanism.no_evictable_pod",
        Mechanism::PodTerminated => "mechanism.pod_terminated",
        Mechanism::KubepodsOom => "mechanism.kubepods_oom",
        Mechanism::NodeOom => "mechanism.node_oom",
    })
}

/// A stable human name of a mechanism.
pub fn mechanism_name(m: Mechanism) -> &'static str {
    match m {
        Mechanism::ContainerOom => "container memory limit (OOMKilled)",
        Mechanism::PodOom => "pod memory limit (OOM kill in the pod cgroup)",
        Mechanism::SoftThresholdObserved => "soft eviction threshold observed",
        Mechanism::EvictionHard => "kubelet hard eviction",
        Mechanism::EvictionSoft => "kubelet soft eviction",
        Mechanism::NoEvictablePod => "no evictable pod",
        Mechanism::PodTerminated => "evicted pod terminated",
        Mechanism::KubepodsOom => "kubepods cgroup OOM",
        Mechanism::NodeOom => "node OOM (global OOM killer)",
    }
}

fn observed_for(signal: &str, snap: &MemorySnapshot) -> Option<i64> {
    match signal {
        "memory.available" => Some(snap.memory_available_bytes),
        "allocatableMemory.available" => snap.allocatable_available_bytes,
        _ => None,
    }
}

/// Earliest time (ms, ≥ now) at which some threshold becomes met, with nothing evicted meanwhile.
fn next_threshold_crossing(st: &State) -> Option<i64> {
    let mut best: Option<i64> = None;
    let pods_mb = st.pods_mb();
    let rate = st.pods_rate();
    for th in &st.input.thresholds {
        // met ⇔ observed < bytes ⇔ used > base − bytes ⇔ used ≥ base − bytes + 1
        let (cur, base) = match th.signal.as_str() {
            "memory.available" => (st.node_mb(), st.input.capacity_bytes),
            "allocatableMemory.available" => match st.input.kubepods_limit_bytes {
                Some(l) => (pods_mb, l),
                None => continue,
            },
            _ => continue,
        };
        let target_bytes = i128::from(base) - i128::from(th.bytes) + 1;
        if let Some(dt) = time_to_reach(cur, rate, target_bytes * 1000) {
            let t = st.now.saturating_add(dt);
            best = Some(best.map_or(t, |b: i64| b.min(t)));
        }
    }
    best
}

fn next_kernel_event(st: &State) -> Option<(i64, Kernel)> {
    let input = st.input;
    let mut best: Option<(i64, Kernel)> = None;
    let consider = |t: Option<i64>, ev: Kernel, best: &mut Option<(i64, Kernel)>| {
        if let Some(dt) = t {
            let at = st.now.saturating_add(dt);
            let better = match best {
                None => true,
                Some((bt, bev)) => at < *bt || (at == *bt && ev.order() < bev.order()),
            };
            if better {
                *best = Some((at, ev));
            }
        }
    };
    for (p, pod) in input.pods.iter().enumerate() {
        if st.phase[p] == PodPhase::Gone {
            continue;
        }
        for (k, c) in st.c[p].iter().enumerate() {
            if !c.alive {
                continue;
            }
            if let Some(l) = pod.containers.get(k).and_then(|s| s.limit_bytes) {
                consider(
                    time_to_oom(c.mb, c.rate, i128::from(l) * 1000),
                    Kernel::Container(p, k),
                    &mut best,
                );
            }
        }
        if let Some(l) = pod.limit_bytes {
            if st.c[p].iter().any(|c| c.alive) {
                consider(
                    time_to_oom(st.pod_mb(p), st.pod_rate(p), i128::from(l) * 1000),
                    Kernel::Pod(p),
                    &mut best,
                );
            }
        }
    }
    let any_alive = st.c.iter().any(|v| v.iter().any(|c| c.alive));
    if any_alive {
        if let Some(l) = input.kubepods_limit_bytes {
            consider(
                time_to_oom(st.pods_mb(), st.pods_rate(), i128::from(l) * 1000),
                Kernel::Kubepods,
                &mut best,
            );
        }
        consider(
            time_to_oom(
                st.node_mb(),
                st.pods_rate(),
                i128::from(input.capacity_bytes) * 1000,
            ),
            Kernel::Node,
            &mut best,
        );
    }
    best
}

fn oom_group_note(input: &SimInput) -> &'static str {
    if input.oom_group {
        "memory.oom.group = 1: every process of the container is killed (kubelet ≥ 1.28 on cgroup v2)"
    } else {
        "memory.oom.group not set: only the chosen process is killed (the model has one process per container)"
    }
}

fn oom_group_message(input: &SimInput) -> Arg {
    Arg::Message(Box::new(Message::plain(if input.oom_group {
        "oom_group.on"
    } else {
        "oom_group.off"
    })))
}

fn handle_kernel(st: &mut State, ev: Kernel) {
    let input = st.input;
    let ps = input.page_size;
    let rule = input.badness_rule;
    let swap_pages = input.swap_bytes.max(0) / ps.max(1);
    let derive = st.derive;
    let (scope, mech, pods, with_system, limit, totalpages): (
        Message,
        Mechanism,
        Vec<usize>,
        bool,
        i64,
        i64,
    ) = match ev {
        Kernel::Container(p, k) => {
            let l = input.pods[p]
                .containers
                .get(k)
                .and_then(|c| c.limit_bytes)
                .unwrap_or(0);
            // Container scope: candidates are only that container's processes.
            let id = st.container_id(p, k);
            let usage = bytes(st.c[p][k].mb);
            let ds = if derive {
                let tp = badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1);
                let cand = Candidate {
                    id: id.clone(),
                    task: TaskMemory::from_rss_bytes(usage, ps),
                    oom_score_adj: input.pods[p].containers[k].oom_score_adj,
                    cap_sys_admin: false,
                };
                let order = badness::kill_order(rule, std::slice::from_ref(&cand), tp, ps);
                let mut ds = vec![Derivation::new(
                    "time_seconds",
                    "kernel.memcg_oom.container",
                    "usage(t) = usage0 + growth × t reaches memory.max",
                    format!("{} reached {} at t = {} s", id, l, secs(st.now)),
                    SRC_MEMCG,
                )
                .with_version_rule(oom_group_note(input))];
                ds.extend(order.into_iter().map(|s| s.derivation));
                ds
            } else {
                Vec::new()
            };
            st.kill_container(p, k);
            let message = Message::new(
                "timeline.container_oom",
                vec![
                    ("container", Arg::Text(id.clone())),
                    ("limit", Arg::ExactBytes(l)),
                    ("oom_group", oom_group_message(input)),
                ],
            );
            st.push(
                Mechanism::ContainerOom,
                Some(id),
                Vec::new(),
                message,
                || ds,
            );
            return;
        }
        Kernel::Pod(p) => {
            let l = input.pods[p].limit_bytes.unwrap_or(0);
            (
                Message::new("scope.pod", vec![("pod", Arg::Text(st.pod_id(p)))]),
                Mechanism::PodOom,
                vec![p],
                false,
                l,
                badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1),
            )
        }
        Kernel::Kubepods => {
            let l = input.kubepods_limit_bytes.unwrap_or(0);
            let all: Vec<usize> = (0..input.pods.len()).collect();
            (
                Message::plain("scope.kubepods"),
                Mechanism::KubepodsOom,
                all,
                false,
                l,
                badness::memcg_totalpages(Some(l), swap_pages, ps).unwrap_or(1),
            )
        }
        Kernel::Node => {
            let all: Vec<usize> = (0..input.pods.len()).collect();
            (
                Message::plain("scope.node"),
                Mechanism::NodeOom,
                all,
                true,
                input.capacity_bytes,
                badness::global_totalpages(input.capacity_bytes, input.swap_bytes, ps),
            )
        }
    };
    let (cands, map) = st.candidates(&pods, with_system);
    let chosen = badness::select_bad_process(rule, &cands, totalpages, ps);
    let mut ds = if derive {
        vec![badness::totalpages_derivation(
            if mech == Mechanism::NodeOom {
                badness::OomScope::Node
            } else {
                badness::OomScope::Kubepods
            },
            limit,
            if mech == Mechanism::PodOom {
                0
            } else {
                swap_pages
            },
            ps,
            totalpages,
        )]
    } else {
        Vec::new()
    };
    let scope = Arg::Message(Box::new(scope));
    let Some((vi, points, ties)) = chosen else {
        let message = Message::new(
            "timeline.kernel_oom.no_killable_task",
            vec![("scope", scope)],
        );
        st.push(mech, None, Vec::new(), message, || ds);
        for pod in &mut st.c {
            for c in pod.iter_mut() {
                c.rate = 0;
                c.alive = false;
                c.mb = 0;
            }
        }
        st.recompute_totals();
        return;
    };
    let Some(cand) = cands.get(vi) else { return };
    let id = cand.id.clone();
    if derive {
        ds.push(badness::badness_derivation(
            rule, cand, totalpages, ps, points,
        ));
    }
    let tied: Vec<String> = ties
        .iter()
        .take(badness::MAX_TIE_NAMES)
        .filter_map(|&j| cands.get(j).map(|c| c.id.clone()))
        .collect();
    match map.get(vi).copied().flatten() {
        Some((p, k)) => {
            st.kill_container(p, k);
            let mut args = vec![
                ("scope", scope),
                ("limit", Arg::ExactBytes(limit)),
                (
                    "candidates",
                    Arg::Int(i64::try_from(cands.len()).unwrap_or(i64::MAX)),
                ),
                ("victim", Arg::Text(id.clone())),
                ("points", Arg::Int(points)),
            ];
            if !ties.is_empty() {
                args.push((
                    "ties",
                    Arg::Int(i64::try_from(ties.len()).unwrap_or(i64::MAX)),
                ));
            }
            args.push(("oom_group", oom_group_message(input)));
            let message = Message::new(
                if ties.is_empty() {
                    "timeline.kernel_oom"
                } else {
                    "timeline.kernel_oom.tied"
                },
                args,
            );
            st.push(mech, Some(id), tied, message, || ds);
        }
        None => {
            // Only sandboxes or system processes left: the kernel kills them; the model cannot free more.
            let message = Message::new(
                "timeline.kernel_oom.no_container_left",
                vec![
                    ("scope", scope),
                    ("victim", Arg::Text(id.clone())),
                    ("points", Arg::Int(points)),
                ],
            );
            st.push(mech, Some(id), Vec::new(), message, || ds);
            let whole = mech == Mechanism::NodeOom || mech == Mechanism::KubepodsOom;
            for (pi, pod) in st.c.iter_mut().enumerate() {
                let in_scope = whole || matches!(ev, Kernel::Pod(p) if p == pi);
                for c in pod.iter_mut() {
                    c.rate = 0;
                    if in_scope {
                        c.alive = false;
                        c.mb = 0;
                    }
                }
            }
            st.recompute_totals();
        }
    }
}

/// Whether some running pod may still be evicted.
fn has_evictable(st: &State) -> bool {
    st.input
        .pods
        .iter()
        .enumerate()
        .any(|(p, pod)| st.phase[p] == PodPhase::Running && !pod.critical)
}

/// The pod kubelet would evict now: `rankMemoryPressure` over running pods (the comparator of
/// [`crate::eviction::compare_memory_pressure`]), first non-critical. Returns the pod index and the
/// ids of pods tied with it on all three keys (Go's unstable sort decides among them; oomlens takes
/// the first in scenario order).
fn rank_for_eviction(st: &State) -> Option<(usize, Vec<String>)> {
    use crate::eviction::{compare_memory_pressure, RankInput};
    let input = st.input;
    let keys: Vec<(usize, RankInput)> = (0..input.pods.len())
        .filter(|&p| st.phase[p] == PodPhase::Running && !input.pods[p].critical)
        .map(|p| {
            let pod = &input.pods[p];
            (
                p,
                RankInput {
                    key: String::new(),
                    priority: pod.priority,
                    request_bytes: pod.request_bytes,
                    usage_bytes: Some(bytes(st.pod_mb(p))),
                    critical: pod.critical,
                },
            )
        })
        .collect();
    let best = keys
        .iter()
        .min_by(|a, b| compare_memory_pressure(&a.1, &b.1).then(a.0.cmp(&b.0)))?;
    let tied: Vec<String> = keys
        .iter()
        .filter(|k| {
            k.0 != best.0 && compare_memory_pressure(&k.1, &best.1) == std::cmp::Ordering::Equal
        })
        .map(|k| st.pod_id(k.0))
        .collect();
    Some((best.0, tied))
}
