//! What the simulation reports: the steps of the timeline with the mechanism that acted and
//! why (each step's sentence a catalogue message), the outcome, and the model's assumptions.

use super::*;

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
pub(super) struct VictimBadness {
    pub(super) rule: BadnessRule,
    pub(super) task: TaskMemory,
    pub(super) oom_score_adj: i64,
    pub(super) cap_sys_admin: bool,
    pub(super) totalpages: i64,
    pub(super) page_size: i64,
    pub(super) points: i64,
}

impl VictimBadness {
    pub(super) fn of(
        c: &Proc,
        rule: BadnessRule,
        totalpages: i64,
        page_size: i64,
        points: i64,
    ) -> Self {
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

    pub(super) fn derivation(&self) -> Derivation {
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
pub(super) enum StepWhy {
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
    pub(super) fn derivations(&self, victim: Option<&str>) -> Vec<Derivation> {
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
    pub(super) why: StepWhy,
}

impl TimelineStep {
    /// Why, in one English sentence ([`TimelineStep::message`] rendered).
    pub fn reason(&self) -> String {
        self.message.english_model()
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
        self.outcome_message.english_model()
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
            .map(|id| Message::plain(id).english_model())
            .collect();
        st.serialize_field("assumptions", &english)?;
        st.end()
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
