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
    /// The grace period of evicting this pod for a hard threshold.
    #[serde(skip)]
    pub hard_eviction_grace: EvictionGrace,
    /// The grace period of evicting this pod for a soft threshold.
    #[serde(skip)]
    pub soft_eviction_grace: EvictionGrace,
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

/// Everything the simulation needs, as plain nested data (the evaluation builds the flat
/// [`Model`] directly; [`simulate`] converts this into one).
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

/// A pod of the flat [`Model`]: its containers are `Model::containers[start..end]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ModelPod {
    /// Id of `ns/pod (sandbox)` (the pause process) in `Model::ids`; `ns/pod` is its first
    /// `key_len` bytes.
    pub sandbox: u32,
    pub key_len: usize,
    pub priority: i32,
    pub critical: bool,
    pub request_bytes: i64,
    pub limit_bytes: Option<i64>,
    pub hard_grace: EvictionGrace,
    pub soft_grace: EvictionGrace,
    pub start: usize,
    pub end: usize,
}

/// A running container of the flat [`Model`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ModelContainer {
    /// Id of `ns/pod/container` in `Model::ids`.
    pub id: u32,
    /// Its pod's index in `Model::pods`.
    pub pod: u32,
    pub oom_score_adj: i64,
    pub limit_bytes: Option<i64>,
    pub usage_bytes: i64,
    pub growth_bytes_per_second: i64,
}

/// The node as the simulation (and the evaluation's kill orders) run on it: pods and their running
/// containers in two flat lists, ids in one shared table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Model {
    pub capacity_bytes: i64,
    pub swap_bytes: i64,
    pub page_size: i64,
    pub system_usage_bytes: i64,
    pub kubepods_limit_bytes: Option<i64>,
    pub thresholds: Vec<SimThreshold>,
    pub badness_rule: BadnessRule,
    pub oom_group: bool,
    pub pods: Vec<ModelPod>,
    pub containers: Vec<ModelContainer>,
    pub ids: Arc<ProcIds>,
    /// Id of `kubelet + container runtime`.
    pub system_id: u32,
}

/// A pod sandbox (pause process) as a kill-order candidate: no memory to speak of, adj −998.
pub(crate) fn sandbox_proc(id: u32) -> Proc {
    Proc {
        id,
        task: TaskMemory::default(),
        oom_score_adj: SANDBOX_OOM_SCORE_ADJ,
        cap_sys_admin: false,
    }
}

/// The node's system processes (kubelet and the container runtime) as one kill-order candidate
/// of `bytes` resident memory, adj −999, holding CAP_SYS_ADMIN.
pub(crate) fn system_proc(id: u32, bytes: i64, page_size: i64) -> Proc {
    Proc {
        id,
        task: TaskMemory::from_rss_bytes(bytes, page_size),
        oom_score_adj: KUBELET_OOM_SCORE_ADJ,
        cap_sys_admin: true,
    }
}

/// The id of the node's system processes in kill orders.
pub(crate) const SYSTEM_ID: &str = "kubelet + container runtime";

impl Model {
    /// `ns/pod` of pod `p`.
    pub fn pod_key(&self, p: usize) -> &str {
        match self.pods.get(p) {
            Some(pod) => self.ids.get(pod.sandbox).get(..pod.key_len).unwrap_or(""),
            None => "",
        }
    }

    /// The flat model of a [`SimInput`].
    fn from_input(input: &SimInput) -> Model {
        let mut ids: Vec<String> = Vec::new();
        let mut pods = Vec::with_capacity(input.pods.len());
        let mut containers = Vec::new();
        let index = |ids: &Vec<String>| u32::try_from(ids.len()).unwrap_or(u32::MAX);
        for p in &input.pods {
            let sandbox = index(&ids);
            ids.push(format!("{}/{} (sandbox)", p.namespace, p.name));
            let start = containers.len();
            let pod = u32::try_from(pods.len()).unwrap_or(u32::MAX);
            for c in &p.containers {
                containers.push(ModelContainer {
                    id: index(&ids),
                    pod,
                    oom_score_adj: c.oom_score_adj,
                    limit_bytes: c.limit_bytes,
                    usage_bytes: c.usage_bytes,
                    growth_bytes_per_second: c.growth_bytes_per_second,
                });
                ids.push(format!("{}/{}/{}", p.namespace, p.name, c.name));
            }
            pods.push(ModelPod {
                sandbox,
                key_len: p.namespace.len() + 1 + p.name.len(),
                priority: p.priority,
                critical: p.critical,
                request_bytes: p.request_bytes,
                limit_bytes: p.limit_bytes,
                hard_grace: p.hard_eviction_grace,
                soft_grace: p.soft_eviction_grace,
                start,
                end: containers.len(),
            });
        }
        let system_id = index(&ids);
        ids.push(SYSTEM_ID.to_string());
        Model {
            capacity_bytes: input.capacity_bytes,
            swap_bytes: input.swap_bytes,
            page_size: input.page_size,
            system_usage_bytes: input.system_usage_bytes,
            kubepods_limit_bytes: input.kubepods_limit_bytes,
            thresholds: input.thresholds.clone(),
            badness_rule: input.badness_rule,
            oom_group: input.oom_group,
            pods,
            containers,
            ids: Arc::new(ProcIds::of(ids.iter().map(String::as_str))),
            system_id,
        }
    }
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

/// The numbers `oom_badness` read for a victim, kept to render its derivation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct VictimBadness {
    rule: BadnessRule,
    task: TaskMemory,
    oom_score_adj: i64,
    cap_sys_admin: bool,
    totalpages: i64,
    page_size: i64,
    points: i64,
}

impl VictimBadness {
    fn of(c: &Proc, rule: BadnessRule, totalpages: i64, page_size: i64, points: i64) -> Self {
        VictimBadness {
            rule,
            task: c.task,
            oom_score_adj: c.oom_score_adj,
            cap_sys_admin: c.cap_sys_admin,
            totalpages,
            page_size,
            points,
        }
    }

    fn derivation(&self) -> Derivation {
        badness::badness_derivation(
            self.rule,
            &self.task,
            self.oom_score_adj,
            self.cap_sys_admin,
            self.totalpages,
            self.page_size,
            self.points,
        )
    }
}

/// What a step's derivations are rendered from.
#[derive(Debug, Clone, PartialEq)]
enum StepWhy {
    /// Informational steps: no derivation.
    None,
    /// A container (the step's victim) reached its limit at `at_ms`.
    ContainerOom {
        limit: i64,
        at_ms: i64,
        oom_group: bool,
        victim: Option<VictimBadness>,
    },
    /// A pod, kubepods or node OOM (`node` picks the totalpages formula).
    KernelOom {
        node: bool,
        limit: i64,
        swap_pages: i64,
        page_size: i64,
        totalpages: i64,
        victim: Option<VictimBadness>,
    },
    /// kubelet evicted the step's victim at the sync of `at_ms`.
    Eviction {
        usage: i64,
        request: i64,
        priority: i32,
        at_ms: i64,
    },
}

impl StepWhy {
    fn derivations(&self, victim: Option<&str>) -> Vec<Derivation> {
        let id = victim.unwrap_or("");
        match self {
            StepWhy::None => Vec::new(),
            StepWhy::ContainerOom {
                limit,
                at_ms,
                oom_group,
                victim,
            } => {
                let mut ds = vec![Derivation::new(
                    "time_seconds",
                    "kernel.memcg_oom.container",
                    "usage(t) = usage0 + growth × t reaches memory.max",
                    format!("{} reached {} at t = {} s", id, limit, secs(*at_ms)),
                    SRC_MEMCG,
                )
                .with_version_rule(oom_group_note(*oom_group))];
                ds.extend(victim.map(|v| v.derivation()));
                ds
            }
            StepWhy::KernelOom {
                node,
                limit,
                swap_pages,
                page_size,
                totalpages,
                victim,
            } => {
                let mut ds = vec![badness::totalpages_derivation(
                    if *node {
                        OomScope::Node
                    } else {
                        OomScope::Kubepods
                    },
                    *limit,
                    *swap_pages,
                    *page_size,
                    *totalpages,
                )];
                ds.extend(victim.map(|v| v.derivation()));
                ds
            }
            StepWhy::Eviction {
                usage,
                request,
                priority,
                at_ms,
            } => vec![
                Derivation::new(
                    "victim",
                    "eviction.rank_memory_pressure",
                    "orderedBy(usage > request first, lower priority first, larger usage − request first), critical pods skipped",
                    format!(
                        "{}: exceeds={}, priority={}, usage−request={}",
                        id,
                        usage > request,
                        priority,
                        usage.saturating_sub(*request)
                    ),
                    SRC_RANK,
                ),
                Derivation::new(
                    "time_seconds",
                    "eviction.sync_loop",
                    "sync every 10 s; hard acts at once, soft after its grace period",
                    format!("sync at t = {} s", secs(*at_ms)),
                    SRC_EVICTION,
                ),
            ],
        }
    }
}

/// One step of the timeline. Serialises with its English `reason` and its `derivations`, both
/// rendered from the stored message and numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineStep {
    /// Seconds from the start.
    pub time_seconds: f64,
    /// What acted.
    pub mechanism: Mechanism,
    /// Who died or was evicted: `ns/pod` or `ns/pod/container` (`None` for informational steps).
    pub victim: Option<String>,
    /// Candidates tied with the victim (the kernel or Go's sort decides among them).
    pub tied_with: Vec<String>,
    /// Why, as a structured message (ids `timeline.*`); [`TimelineStep::reason`] is its English.
    pub message: Message,
    /// Memory right after the step.
    pub memory_after: MemorySnapshot,
    why: StepWhy,
}

impl TimelineStep {
    /// Why, in one English sentence ([`TimelineStep::message`] rendered).
    pub fn reason(&self) -> String {
        self.message.english()
    }

    /// How the numbers were obtained.
    pub fn derivations(&self) -> Vec<Derivation> {
        self.why.derivations(self.victim.as_deref())
    }
}

impl Serialize for TimelineStep {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("TimelineStep", 7)?;
        st.serialize_field("time_seconds", &self.time_seconds)?;
        st.serialize_field("mechanism", &self.mechanism)?;
        st.serialize_field("victim", &self.victim)?;
        st.serialize_field("tied_with", &self.tied_with)?;
        st.serialize_field("reason", &self.reason())?;
        st.serialize_field("derivations", &self.derivations())?;
        st.serialize_field("memory_after", &self.memory_after)?;
        st.end()
    }
}

/// The whole simulation. Serialises with its English `outcome` rendered from
/// [`Timeline::outcome_message`].
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Steps in time order.
    pub steps: Vec<TimelineStep>,
    /// The first mechanism that killed or evicted something, if any.
    pub first_mechanism: Option<Mechanism>,
    /// What fires first, or why nothing ever does, as a structured message (ids
    /// `timeline.outcome.*`); [`Timeline::outcome`] is its English.
    pub outcome_message: Message,
    /// True when the simulation stopped at [`MAX_STEPS`] or [`HORIZON_MS`].
    pub truncated: bool,
    /// The model's assumptions, stated ([`ASSUMPTION_IDS`]).
    pub assumptions: &'static [&'static str],
}

impl Timeline {
    /// A one-sentence English summary ([`Timeline::outcome_message`] rendered).
    pub fn outcome(&self) -> String {
        self.outcome_message.english()
    }
}

impl Serialize for Timeline {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Timeline", 5)?;
        st.serialize_field("steps", &self.steps)?;
        st.serialize_field("first_mechanism", &self.first_mechanism)?;
        st.serialize_field("outcome", &self.outcome())?;
        st.serialize_field("truncated", &self.truncated)?;
        let english: Vec<String> = self
            .assumptions
            .iter()
            .map(|id| Message::plain(id).english())
            .collect();
        st.serialize_field("assumptions", &english)?;
        st.end()
    }
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
    m: &'a Model,
    now: i64,
    /// Per container of `m.containers`.
    c: Vec<CState>,
    phase: Vec<PodPhase>,
    steps: Vec<TimelineStep>,
    /// Σ usage of alive containers (milli-bytes), kept in step with `c` so that the node and
    /// kubepods totals cost O(1) instead of a pass over every container.
    tot_mb: i128,
    /// Σ growth of alive containers.
    tot_rate: i128,
    /// Alive containers that grow: the only ones whose usage changes with time.
    growing: Vec<usize>,
    /// Pods that can cause a kernel event: not gone, and some alive container grows or is above
    /// its limit, or the pod is above its own limit. Every other pod stays as it is until a kill.
    active: Vec<usize>,
    /// Alive containers.
    alive: usize,
    /// `growing`, `active` and `alive` are stale (a container was killed or stopped growing).
    dirty: bool,
}

fn bytes(mb: i128) -> i64 {
    // In i64 when it fits (a constant division there is a multiplication).
    if let Ok(v) = i64::try_from(mb) {
        return v.div_euclid(1000).max(0);
    }
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

/// Which pods a kernel OOM's candidate scan covers.
#[derive(Clone, Copy)]
enum Scan {
    Pod(usize),
    All,
}

impl<'a> State<'a> {
    fn pod_cs(&self, p: usize) -> &[CState] {
        match self.m.pods.get(p) {
            Some(pod) => self.c.get(pod.start..pod.end).unwrap_or(&[]),
            None => &[],
        }
    }
    fn pod_mb(&self, p: usize) -> i128 {
        self.pod_cs(p)
            .iter()
            .filter(|c| c.alive)
            .map(|c| c.mb)
            .sum()
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
        for c in self.c.iter().filter(|c| c.alive) {
            mb += c.mb;
            rate += c.rate;
        }
        self.tot_mb = mb;
        self.tot_rate = rate;
        self.dirty = true;
    }
    /// Recomputes `growing`, `active` and `alive` when stale.
    fn refresh(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        self.growing.clear();
        self.alive = 0;
        for (i, c) in self.c.iter().enumerate() {
            if c.alive {
                self.alive += 1;
                if c.rate > 0 {
                    self.growing.push(i);
                }
            }
        }
        self.active.clear();
        for p in 0..self.m.pods.len() {
            if self.pod_active(p) {
                self.active.push(p);
            }
        }
    }
    /// Whether pod `p` can cause a kernel event (see `active`).
    fn pod_active(&self, p: usize) -> bool {
        let (Some(pod), Some(phase)) = (self.m.pods.get(p), self.phase.get(p)) else {
            return false;
        };
        if *phase == PodPhase::Gone {
            return false;
        }
        let (mut pod_mb, mut pod_rate) = (0i128, 0i128);
        for i in pod.start..pod.end {
            let (Some(c), Some(spec)) = (self.c.get(i), self.m.containers.get(i)) else {
                continue;
            };
            if !c.alive {
                continue;
            }
            pod_mb += c.mb;
            pod_rate += c.rate;
            if c.rate > 0
                || spec
                    .limit_bytes
                    .is_some_and(|l| c.mb > i128::from(l) * 1000)
            {
                return true;
            }
        }
        pod.limit_bytes
            .is_some_and(|l| pod_mb > i128::from(l) * 1000 || pod_rate > 0)
    }
    fn node_mb(&self) -> i128 {
        i128::from(self.m.system_usage_bytes) * 1000 + self.pods_mb()
    }
    fn snapshot(&self) -> MemorySnapshot {
        let kubepods = bytes(self.pods_mb());
        let node = bytes(self.node_mb());
        MemorySnapshot {
            node_used_bytes: node,
            memory_available_bytes: self.m.capacity_bytes.saturating_sub(node),
            kubepods_used_bytes: kubepods,
            allocatable_available_bytes: self
                .m
                .kubepods_limit_bytes
                .map(|l| l.saturating_sub(kubepods)),
        }
    }
    fn advance(&mut self, to: i64) {
        self.refresh();
        let dt = i128::from(to.saturating_sub(self.now).max(0));
        // Only growing containers change; the total moves by what they gained.
        for &i in &self.growing {
            if let Some(c) = self.c.get_mut(i) {
                if c.alive {
                    let old = c.mb;
                    c.mb = c.mb.saturating_add(c.rate.saturating_mul(dt));
                    self.tot_mb += c.mb - old;
                }
            }
        }
        self.now = to;
    }
    fn kill_container(&mut self, i: usize) {
        let Some(c) = self.c.get_mut(i) else { return };
        let was_alive = c.alive;
        if was_alive {
            self.tot_mb -= c.mb;
            self.tot_rate -= c.rate;
        }
        c.alive = false;
        c.mb = 0;
        c.rate = 0;
        if self.dirty || !was_alive {
            return;
        }
        // Only this container's pod can change: keep the bookkeeping current without a full pass.
        self.alive = self.alive.saturating_sub(1);
        self.growing.retain(|&g| g != i);
        if let Some(p) = self.m.containers.get(i).map(|c| c.pod as usize) {
            if !self.pod_active(p) {
                self.active.retain(|&a| a != p);
            }
        }
    }
    fn push(
        &mut self,
        mechanism: Mechanism,
        victim: Option<String>,
        tied_with: Vec<String>,
        message: Message,
        why: StepWhy,
    ) {
        let memory_after = self.snapshot();
        self.steps.push(TimelineStep {
            time_seconds: secs(self.now),
            mechanism,
            victim,
            tied_with,
            message,
            memory_after,
            why,
        });
    }
    fn pod_id(&self, p: usize) -> String {
        String::from(self.m.pod_key(p))
    }
    /// Candidates of a scope: alive containers (+ the sandboxes of the pods involved, + system for
    /// node), with the container index of each (`None` for sandboxes and system).
    fn candidates(&self, scan: Scan, with_system: bool) -> (Vec<Proc>, Vec<Option<usize>>) {
        let ps = self.m.page_size;
        let pods = match scan {
            Scan::Pod(p) => p..p + 1,
            Scan::All => 0..self.m.pods.len(),
        };
        let mut cands = Vec::new();
        let mut map = Vec::new();
        for p in pods {
            let (Some(pod), Some(phase)) = (self.m.pods.get(p), self.phase.get(p)) else {
                continue;
            };
            if *phase == PodPhase::Gone {
                continue;
            }
            cands.push(sandbox_proc(pod.sandbox));
            map.push(None);
            for i in pod.start..pod.end {
                let (Some(c), Some(spec)) = (self.c.get(i), self.m.containers.get(i)) else {
                    continue;
                };
                if !c.alive {
                    continue;
                }
                cands.push(Proc {
                    id: spec.id,
                    task: TaskMemory::from_rss_bytes(bytes(c.mb), ps),
                    oom_score_adj: spec.oom_score_adj,
                    cap_sys_admin: false,
                });
                map.push(Some(i));
            }
        }
        if with_system {
            cands.push(system_proc(self.m.system_id, self.m.system_usage_bytes, ps));
            map.push(None);
        }
        (cands, map)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kernel {
    /// Container index in `Model::containers`.
    Container(usize),
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

/// The model's assumptions, as shown with every timeline (ids `assumption.*`).
pub const ASSUMPTION_IDS: [&str; 6] = [
    "assumption.one_process",
    "assumption.killed_container",
    "assumption.eviction_sync",
    "assumption.evicted_pod_memory",
    "assumption.no_swap",
    "assumption.system_daemons",
];

/// The model's assumptions as messages.
pub fn assumptions() -> Vec<Message> {
    ASSUMPTION_IDS.iter().map(|id| Message::plain(id)).collect()
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
    for th in &st.m.thresholds {
        // met ⇔ observed < bytes ⇔ used > base − bytes ⇔ used ≥ base − bytes + 1
        let (cur, base) = match th.signal.as_str() {
            "memory.available" => (st.node_mb(), st.m.capacity_bytes),
            "allocatableMemory.available" => match st.m.kubepods_limit_bytes {
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
    let m = st.m;
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
    // Only active pods can reach a limit (see `State::active`); `refresh` ran since the last kill.
    for &p in &st.active {
        let Some(pod) = m.pods.get(p) else { continue };
        if st.phase.get(p) == Some(&PodPhase::Gone) {
            continue;
        }
        let (mut pod_mb, mut pod_rate, mut pod_alive) = (0i128, 0i128, false);
        for i in pod.start..pod.end {
            let (Some(c), Some(spec)) = (st.c.get(i), m.containers.get(i)) else {
                continue;
            };
            if !c.alive {
                continue;
            }
            pod_alive = true;
            pod_mb += c.mb;
            pod_rate += c.rate;
            if let Some(l) = spec.limit_bytes {
                let limit = i128::from(l) * 1000;
                // A container that does not grow and is not above its limit never OOMs on it.
                if c.rate > 0 || c.mb > limit {
                    consider(
                        time_to_oom(c.mb, c.rate, limit),
                        Kernel::Container(i),
                        &mut best,
                    );
                }
            }
        }
        if let Some(l) = pod.limit_bytes {
            let limit = i128::from(l) * 1000;
            if pod_alive && (pod_rate > 0 || pod_mb > limit) {
                consider(
                    time_to_oom(pod_mb, pod_rate, limit),
                    Kernel::Pod(p),
                    &mut best,
                );
            }
        }
    }
    if st.alive > 0 {
        if let Some(l) = m.kubepods_limit_bytes {
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
                i128::from(m.capacity_bytes) * 1000,
            ),
            Kernel::Node,
            &mut best,
        );
    }
    best
}

fn oom_group_note(oom_group: bool) -> &'static str {
    if oom_group {
        "memory.oom.group = 1: every process of the container is killed (kubelet ≥ 1.28 on cgroup v2)"
    } else {
        "memory.oom.group not set: only the chosen process is killed (the model has one process per container)"
    }
}

fn oom_group_message(m: &Model) -> Arg {
    Arg::Message(Box::new(Message::plain(if m.oom_group {
        "oom_group.on"
    } else {
        "oom_group.off"
    })))
}

fn handle_kernel(st: &mut State, ev: Kernel) {
    let m = st.m;
    let ps = m.page_size;
    let rule = m.badness_rule;
    let swap_pages = m.swap_bytes.max(0) / ps.max(1);
    let (scope, mech, scan, with_system, limit, totalpages): (
        Message,
        Mechanism,
        Scan,
        bool,
        i64,
        i64,
    ) = match ev {
        Kernel::Container(i) => {
            let Some(spec) = m.containers.get(i) else {
                return;
            };
            let l = spec.limit_bytes.unwrap_or(0);
            // Container scope: candidates are only that container's processes.
            let usage = st.c.get(i).map_or(0, |c| bytes(c.mb));
            let tp = badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1);
            let cand = Proc {
                id: spec.id,
                task: TaskMemory::from_rss_bytes(usage, ps),
                oom_score_adj: spec.oom_score_adj,
                cap_sys_admin: false,
            };
            let victim = cand
                .points(rule, tp, ps)
                .map(|points| VictimBadness::of(&cand, rule, tp, ps, points));
            let why = StepWhy::ContainerOom {
                limit: l,
                at_ms: st.now,
                oom_group: m.oom_group,
                victim,
            };
            st.kill_container(i);
            let id = String::from(m.ids.get(spec.id));
            let message = Message::with(
                "timeline.container_oom",
                [
                    ("container", Arg::Text(id.clone())),
                    ("limit", Arg::ExactBytes(l)),
                    ("oom_group", oom_group_message(m)),
                ],
            );
            st.push(Mechanism::ContainerOom, Some(id), Vec::new(), message, why);
            return;
        }
        Kernel::Pod(p) => {
            let l = m.pods.get(p).and_then(|pod| pod.limit_bytes).unwrap_or(0);
            (
                Message::with("scope.pod", [("pod", Arg::Text(st.pod_id(p)))]),
                Mechanism::PodOom,
                Scan::Pod(p),
                false,
                l,
                badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1),
            )
        }
        Kernel::Kubepods => {
            let l = m.kubepods_limit_bytes.unwrap_or(0);
            (
                Message::plain("scope.kubepods"),
                Mechanism::KubepodsOom,
                Scan::All,
                false,
                l,
                badness::memcg_totalpages(Some(l), swap_pages, ps).unwrap_or(1),
            )
        }
        Kernel::Node => (
            Message::plain("scope.node"),
            Mechanism::NodeOom,
            Scan::All,
            true,
            m.capacity_bytes,
            badness::global_totalpages(m.capacity_bytes, m.swap_bytes, ps),
        ),
    };
    let (cands, map) = st.candidates(scan, with_system);
    let chosen = kill_order::select_bad_proc(rule, &cands, totalpages, ps);
    let why = |victim: Option<VictimBadness>| StepWhy::KernelOom {
        node: mech == Mechanism::NodeOom,
        limit,
        swap_pages: if mech == Mechanism::PodOom {
            0
        } else {
            swap_pages
        },
        page_size: ps,
        totalpages,
        victim,
    };
    let scope = Arg::Message(Box::new(scope));
    let Some((vi, points, ties)) = chosen else {
        let message = Message::with("timeline.kernel_oom.no_killable_task", [("scope", scope)]);
        st.push(mech, None, Vec::new(), message, why(None));
        for c in &mut st.c {
            c.rate = 0;
            c.alive = false;
            c.mb = 0;
        }
        st.recompute_totals();
        return;
    };
    let Some(cand) = cands.get(vi) else { return };
    let id = String::from(m.ids.get(cand.id));
    let step_why = why(Some(VictimBadness::of(cand, rule, totalpages, ps, points)));
    let tied: Vec<String> = ties
        .iter()
        .take(kill_order::MAX_TIE_NAMES)
        .filter_map(|&j| cands.get(j).map(|c| String::from(m.ids.get(c.id))))
        .collect();
    match map.get(vi).copied().flatten() {
        Some(i) => {
            st.kill_container(i);
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
            args.push(("oom_group", oom_group_message(m)));
            let message = Message::new(
                if ties.is_empty() {
                    "timeline.kernel_oom"
                } else {
                    "timeline.kernel_oom.tied"
                },
                args,
            );
            st.push(mech, Some(id), tied, message, step_why);
        }
        None => {
            // Only sandboxes or system processes left: the kernel kills them; the model cannot free more.
            let message = Message::with(
                "timeline.kernel_oom.no_container_left",
                [
                    ("scope", scope),
                    ("victim", Arg::Text(id.clone())),
                    ("points", Arg::Int(points)),
                ],
            );
            st.push(mech, Some(id), Vec::new(), message, step_why);
            let whole = mech == Mechanism::NodeOom || mech == Mechanism::KubepodsOom;
            for (pi, pod) in m.pods.iter().enumerate() {
                let in_scope = whole || matches!(ev, Kernel::Pod(p) if p == pi);
                for c in st.c.get_mut(pod.start..pod.end).unwrap_or(&mut []) {
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
    st.m.pods
        .iter()
        .zip(&st.phase)
        .any(|(pod, ph)| *ph == PodPhase::Running && !pod.critical)
}

/// The pod kubelet would evict now: `rankMemoryPressure` over the running pods
/// ([`crate::kubelet::eviction::rank_order`]), the first that is not critical. Returns the pod
/// index and the ids of the pods tied with it on all three keys (Go's unstable sort decides among
/// them; oomlens takes the first in scenario order).
fn rank_for_eviction(st: &State) -> Option<(usize, Vec<String>)> {
    use crate::kubelet::eviction::{first_to_evict, RankInput};
    let m = st.m;
    let running: Vec<usize> = (0..m.pods.len())
        .filter(|&p| st.phase.get(p) == Some(&PodPhase::Running))
        .collect();
    let inputs: Vec<RankInput> = running
        .iter()
        .filter_map(|&p| {
            let pod = m.pods.get(p)?;
            Some(RankInput {
                key: String::new(),
                priority: pod.priority,
                request_bytes: pod.request_bytes,
                usage_bytes: Some(bytes(st.pod_mb(p))),
                critical: pod.critical,
            })
        })
        .collect();
    let (first, tied) = first_to_evict(&inputs)?;
    let tied = tied
        .iter()
        .filter_map(|i| running.get(*i))
        .map(|&p| st.pod_id(p))
        .collect();
    Some((*running.get(first)?, tied))
}
