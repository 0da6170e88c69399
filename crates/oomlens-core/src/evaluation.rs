//! The result of evaluating a scenario, and [`evaluate`], the whole operation.
//! The field names below are the stable JSON contract of `oomlens calc --format json`
//! (documented in the README): fields may be added, never renamed.
//!
//! The evaluation stores numbers, orders, structured [`Message`]s and, for every number, the
//! structured record its derivation is rendered from (the rule's inputs and outcome: quantities,
//! bytes, the branch taken, the version). Text — `derivations`, `eviction_reason`, the timeline's
//! `reason`/`outcome`, `notes` — is produced from those records when a report is serialised or
//! a `derivations()`/`…reason()` method is called; nothing of the model is recomputed then. Ids
//! (`ns/pod`, `ns/pod/container`) are written once and shared ([`crate::name::Name`]).

use crate::allocatable::NodeAllocatable;
use crate::badness::{KillOrder, OomScope, ProcScoreWhy};
use crate::derivation::Derivation;
use crate::memory_qos::MqWhy;
use crate::message::{Arg, Message};
use crate::name::{Name, NameBuf, Names};
use crate::oom_score_adj::AdjWhy;
use crate::pod::ContainerKind;
use crate::resources::{LimitWhy, RequestWhy};
use crate::rules::KubeletVersion;
use crate::scenario::Scenario;
use crate::simulate::Timeline;
use crate::thresholds::ThresholdValue;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// Hard or soft eviction threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThresholdKind {
    /// `evictionHard`.
    Hard,
    /// `evictionSoft`.
    Soft,
}

/// One resolved memory eviction threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdReport {
    /// `memory.available` or `allocatableMemory.available`.
    pub signal: String,
    /// Hard or soft.
    pub kind: ThresholdKind,
    /// The threshold in bytes (percentages resolved against the signal's capacity).
    pub bytes: i64,
    /// Grace period (0 for hard thresholds).
    pub grace_period_seconds: f64,
    /// Minimum reclaim in bytes.
    pub min_reclaim_bytes: i64,
    /// The threshold and minimum-reclaim values as parsed, and the capacity they resolve against.
    value: ThresholdValue,
    min_reclaim: Option<ThresholdValue>,
    capacity: i64,
    /// The derivations name the copy `addAllocatableThresholds` made.
    name_allocatable_copy: bool,
}

impl ThresholdReport {
    /// The report of threshold `t` resolved against `capacity` (its signal's capacity); with
    /// `name_allocatable_copy` the derivations also say when `t` is the `allocatableMemory.available`
    /// copy of a hard `memory.available` threshold.
    pub fn new(t: &thresholds::Threshold, capacity: i64, name_allocatable_copy: bool) -> Self {
        ThresholdReport {
            signal: t.signal.clone(),
            kind: t.kind,
            bytes: t.quantity(capacity),
            grace_period_seconds: t.grace_period_seconds(),
            min_reclaim_bytes: t.min_reclaim_quantity(capacity),
            value: t.value,
            min_reclaim: t.min_reclaim,
            capacity,
            name_allocatable_copy: name_allocatable_copy && t.derived_from_memory_available,
        }
    }

    /// How the numbers were obtained (`GetThresholdQuantity` of the threshold and of the minimum
    /// reclaim).
    pub fn derivations(&self) -> Vec<Derivation> {
        let mut out = vec![self.value.derive("bytes", self.capacity)];
        if let Some(m) = &self.min_reclaim {
            out.push(m.derive("min_reclaim_bytes", self.capacity));
        }
        if self.name_allocatable_copy {
            out.push(Derivation::new(
                "signal",
                "eviction.allocatable_copy",
                "enforceNodeAllocatable contains \"pods\" → each hard memory.available threshold is copied to allocatableMemory.available",
                format!("{} → allocatableMemory.available", self.value.describe()),
                thresholds::SOURCE_HELPERS,
            ));
        }
        out
    }
}

impl Serialize for ThresholdReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ThresholdReport", 6)?;
        st.serialize_field("signal", &self.signal)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("bytes", &self.bytes)?;
        st.serialize_field("grace_period_seconds", &self.grace_period_seconds)?;
        st.serialize_field("min_reclaim_bytes", &self.min_reclaim_bytes)?;
        st.serialize_field("derivations", &self.derivations())?;
        st.end()
    }
}

/// What the node derivations are rendered from: the allocatable computation's numbers, the hard
/// `memory.available` threshold and `cgroupsPerQOS`.
#[derive(Debug, Clone, PartialEq)]
struct NodeWhy {
    allocatable: NodeAllocatable,
    hard: Option<ThresholdValue>,
    cgroups_per_qos: bool,
}

/// Node-level results.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeReport {
    /// Memory capacity.
    pub capacity_bytes: i64,
    /// kube-reserved memory.
    pub kube_reserved_bytes: i64,
    /// system-reserved memory.
    pub system_reserved_bytes: i64,
    /// The hard `memory.available` threshold subtracted from allocatable.
    pub hard_eviction_bytes: i64,
    /// Node allocatable memory.
    pub allocatable_bytes: i64,
    /// memory.max of the kubepods cgroup; `None` when not enforced.
    pub kubepods_limit_bytes: Option<i64>,
    /// Memory eviction thresholds.
    pub thresholds: Vec<ThresholdReport>,
    /// The preset used, if any, with its formula (English: `name: formula (source)`).
    pub preset: Option<String>,
    /// [`NodeReport::preset`] as a structured message (ids `preset.*`), for translation.
    pub preset_message: Option<Message>,
    why: NodeWhy,
}

impl NodeReport {
    /// How the numbers were obtained.
    pub fn derivations(&self) -> Vec<Derivation> {
        crate::allocatable::node_allocatable_derivations(
            &self.why.allocatable,
            self.why.hard.as_ref(),
            self.why.cgroups_per_qos,
        )
    }
}

impl Serialize for NodeReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("NodeReport", 9)?;
        st.serialize_field("capacity_bytes", &self.capacity_bytes)?;
        st.serialize_field("kube_reserved_bytes", &self.kube_reserved_bytes)?;
        st.serialize_field("system_reserved_bytes", &self.system_reserved_bytes)?;
        st.serialize_field("hard_eviction_bytes", &self.hard_eviction_bytes)?;
        st.serialize_field("allocatable_bytes", &self.allocatable_bytes)?;
        st.serialize_field("kubepods_limit_bytes", &self.kubepods_limit_bytes)?;
        st.serialize_field("thresholds", &self.thresholds)?;
        st.serialize_field("preset", &self.preset)?;
        st.serialize_field("derivations", &self.derivations())?;
        st.end()
    }
}

/// What a container's derivations are rendered from.
#[derive(Debug, Clone, PartialEq)]
struct ContainerWhy {
    adj: AdjWhy,
    request: RequestWhy,
    limit: LimitWhy,
    memory_qos: MqWhy,
    /// Running containers: whole-node badness and `/proc/PID/oom_score`.
    proc_score: Option<ProcScoreWhy>,
}

/// Per-container results.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerReport {
    /// Container name.
    pub name: Name,
    /// container / init / sidecar.
    pub kind: ContainerKind,
    /// The oom_score_adj kubelet asks the runtime to set.
    pub oom_score_adj: i64,
    /// Effective memory request (after defaulting from the limit).
    pub memory_request_bytes: i64,
    /// Memory limit (`None` = unlimited).
    pub memory_limit_bytes: Option<i64>,
    /// cgroup v2 memory.high (`None` when not written).
    pub memory_high_bytes: Option<i64>,
    /// cgroup v2 memory.min (`None` when not written).
    pub memory_min_bytes: Option<i64>,
    /// Observed usage, if given.
    pub usage_bytes: Option<i64>,
    /// Badness in a whole-node OOM (`None` for init containers, which have completed).
    pub node_oom_badness: Option<i64>,
    /// `/proc/PID/oom_score` of the container's process as the kernel shows it.
    pub oom_score: Option<i64>,
    why: ContainerWhy,
}

impl ContainerReport {
    /// How the numbers were obtained: oom_score_adj, request, limit, memory QoS, then (running
    /// containers) whole-node badness and oom_score.
    pub fn derivations(&self) -> Vec<Derivation> {
        let w = &self.why;
        let mut out = Vec::with_capacity(7);
        out.push(w.adj.derivation());
        out.push(w.request.derivation());
        out.push(w.limit.derivation());
        out.extend(w.memory_qos.derivations());
        if let Some(p) = &w.proc_score {
            out.extend(p.derivations(
                self.oom_score_adj,
                self.node_oom_badness,
                self.oom_score.unwrap_or(0),
            ));
        }
        out
    }
}

impl Serialize for ContainerReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ContainerReport", 11)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("oom_score_adj", &self.oom_score_adj)?;
        st.serialize_field("memory_request_bytes", &self.memory_request_bytes)?;
        st.serialize_field("memory_limit_bytes", &self.memory_limit_bytes)?;
        st.serialize_field("memory_high_bytes", &self.memory_high_bytes)?;
        st.serialize_field("memory_min_bytes", &self.memory_min_bytes)?;
        st.serialize_field("usage_bytes", &self.usage_bytes)?;
        st.serialize_field("node_oom_badness", &self.node_oom_badness)?;
        st.serialize_field("oom_score", &self.oom_score)?;
        st.serialize_field("derivations", &self.derivations())?;
        st.end()
    }
}

/// A range of one list shared by every pod of an evaluation (one allocation for all of them): a
/// pod's containers ([`Containers`]). Dereferences to the slice; serialises as a list. Models
/// nothing upstream: it only keeps [`Evaluation`] cheap to build (one list instead of one per pod).
#[derive(Clone)]
pub struct SharedList<T> {
    all: Option<Arc<Vec<T>>>,
    start: usize,
    end: usize,
}

/// The containers of one pod (init containers first), in the list shared by every pod.
pub type Containers = SharedList<ContainerReport>;

impl<T> SharedList<T> {
    /// The items.
    pub fn as_slice(&self) -> &[T] {
        self.all
            .as_ref()
            .and_then(|a| a.get(self.start..self.end))
            .unwrap_or(&[])
    }

    /// `start..end` of a list that is attached later.
    fn range(start: usize, end: usize) -> Self {
        SharedList {
            all: None,
            start,
            end,
        }
    }
}

impl<T> Default for SharedList<T> {
    fn default() -> Self {
        SharedList::range(0, 0)
    }
}

impl<T> From<Vec<T>> for SharedList<T> {
    fn from(v: Vec<T>) -> Self {
        let end = v.len();
        SharedList {
            all: Some(Arc::new(v)),
            start: 0,
            end,
        }
    }
}

impl<T> std::ops::Deref for SharedList<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<'a, T> IntoIterator for &'a SharedList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<T: PartialEq> PartialEq for SharedList<T> {
    fn eq(&self, other: &SharedList<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for SharedList<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<T: Serialize> Serialize for SharedList<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

/// What a pod's QoS, request and limit derivations are rendered from.
#[derive(Debug, Clone, PartialEq)]
enum PodWhy {
    /// Pods without pod-level resources (the fast path): the QoS inputs, the aggregate request and
    /// overhead (the containers' names and requests come from the report's containers), and
    /// whether every container had a limit (else the report's unlimited containers are named).
    Fast {
        qos: numbers::QosWhy,
        base_request: i64,
        overhead: i64,
        version: KubeletVersion,
        pod_level_gate: bool,
    },
    /// Pods with pod-level resources: the general rule functions' derivations, rendered when the
    /// pod was evaluated (rare).
    Rendered(Box<[Derivation; 3]>),
}

/// Per-pod results.
#[derive(Debug, Clone, PartialEq)]
pub struct PodReport {
    /// Namespace.
    pub namespace: Name,
    /// Name.
    pub name: Name,
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    pub qos_class: &'static str,
    /// `spec.priority` (nil → 0).
    pub priority: i32,
    /// The pod's memory request as eviction ranking sees it.
    pub memory_request_bytes: i64,
    /// Observed working set of the pod.
    pub usage_bytes: Option<i64>,
    /// usage > request.
    pub exceeds_request: bool,
    /// 1 = evicted first; `None` = never evicted (critical pod).
    pub eviction_rank: Option<u32>,
    /// True when this pod's rank is tied with another's (Go's unstable sort decides).
    pub eviction_tied: bool,
    /// Its rank ties with the previous pod's (the `eviction.rank.tied` clause).
    eviction_tied_with_previous: bool,
    /// The pod cgroup's `memory.max` (`None` = unlimited).
    pub memory_limit_bytes: Option<i64>,
    /// `IsCriticalPod`.
    pub critical: bool,
    /// Containers (init containers first).
    pub containers: Containers,
    why: PodWhy,
}

impl PodReport {
    /// Why it ranks where it does / why it is never evicted (English).
    pub fn eviction_reason(&self) -> String {
        crate::message::join_english(&self.eviction_messages())
    }

    /// Why it ranks where it does / why it is never evicted, as structured clauses (ids
    /// `eviction.rank.*`, [`eviction::rank_messages`]) rendered from the pod's usage, request,
    /// priority and criticality; [`PodReport::eviction_reason`] is their English joined by `"; "`.
    pub fn eviction_messages(&self) -> Vec<Message> {
        eviction::rank_messages(
            &RankInput {
                key: String::new(),
                priority: self.priority,
                request_bytes: self.memory_request_bytes,
                // The ranking saw a pod without usage as using 0.
                usage_bytes: Some(self.usage_bytes.unwrap_or(0)),
                critical: self.critical,
            },
            self.eviction_tied_with_previous,
        )
    }

    /// How the numbers were obtained: QoS class, request, pod limit, eviction rank.
    pub fn derivations(&self) -> Vec<Derivation> {
        let mut out = Vec::with_capacity(4);
        match &self.why {
            PodWhy::Rendered(ds) => out.extend(ds.iter().cloned()),
            PodWhy::Fast {
                qos,
                base_request,
                overhead,
                version,
                pod_level_gate,
            } => {
                out.push(match qos {
                    numbers::QosWhy::Status(c) => crate::qos::status_qos_derivation(*c),
                    numbers::QosWhy::Computed {
                        class,
                        all_limited,
                        sums: [rc, rm, lc, lm],
                    } => {
                        let text = |cpu: &Option<crate::quantity::QuantityRecord>,
                                    mem: &Option<crate::quantity::QuantityRecord>| {
                            crate::qos::sums_text_of(
                                cpu.as_ref()
                                    .map(|q| ("cpu", q.get()))
                                    .into_iter()
                                    .chain(mem.as_ref().map(|q| ("memory", q.get()))),
                            )
                        };
                        crate::qos::computed_qos_derivation(
                            false,
                            *class,
                            *all_limited,
                            &text(rc, rm),
                            &text(lc, lm),
                            *version,
                            *pod_level_gate,
                        )
                    }
                });
                let base_text = crate::resources::aggregate_request_text(
                    self.containers
                        .iter()
                        .filter(|c| c.kind == ContainerKind::Container)
                        .map(|c| (c.name.as_str(), c.memory_request_bytes)),
                    self.containers
                        .iter()
                        .filter(|c| c.kind != ContainerKind::Container)
                        .map(|c| {
                            (
                                c.name.as_str(),
                                c.kind == ContainerKind::Sidecar,
                                c.memory_request_bytes,
                            )
                        }),
                    *base_request,
                );
                out.push(crate::resources::pod_request_derivation(
                    "AggregateContainerRequests(memory)",
                    base_text,
                    *base_request,
                    *overhead,
                    self.memory_request_bytes,
                    *version,
                    *pod_level_gate,
                ));
                out.push(crate::resources::pod_limit_derivation(
                    match self.memory_limit_bytes {
                        Some(l) => crate::resources::pod_limit_all_limited_text(l),
                        None => crate::resources::pod_limit_missing_text(
                            self.containers
                                .iter()
                                .filter(|c| c.memory_limit_bytes.is_none())
                                .map(|c| c.name.as_str()),
                        ),
                    },
                ));
            }
        }
        out.push(crate::eviction::rank_derivation_of(
            self.eviction_rank.is_none(),
            self.eviction_reason(),
        ));
        out
    }
}

impl Serialize for PodReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PodReport", 14)?;
        st.serialize_field("namespace", &self.namespace)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("qos_class", &self.qos_class)?;
        st.serialize_field("priority", &self.priority)?;
        st.serialize_field("memory_request_bytes", &self.memory_request_bytes)?;
        st.serialize_field("usage_bytes", &self.usage_bytes)?;
        st.serialize_field("exceeds_request", &self.exceeds_request)?;
        st.serialize_field("eviction_rank", &self.eviction_rank)?;
        st.serialize_field("eviction_tied", &self.eviction_tied)?;
        st.serialize_field("eviction_reason", &self.eviction_reason())?;
        st.serialize_field("memory_limit_bytes", &self.memory_limit_bytes)?;
        st.serialize_field("critical", &self.critical)?;
        st.serialize_field("containers", &self.containers)?;
        st.serialize_field("derivations", &self.derivations())?;
        st.end()
    }
}

/// The evaluation of a scenario. A plain data value (`Clone`, `PartialEq`, `Send`, `Sync`).
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The kubelet version whose rules applied.
    pub kubelet_version: String,
    /// Node results.
    pub node: NodeReport,
    /// Pod results, in scenario order.
    pub pods: Vec<PodReport>,
    /// Eviction order under memory pressure (`ns/name`).
    pub eviction_order: Vec<Name>,
    /// Kernel kill order for a whole-node OOM (`ns/name/container`).
    pub node_oom_kill_order: Vec<Name>,
    /// Kernel version whose badness rules applied.
    pub kernel_version: String,
    /// What the kill orders of every OOM scope are built from ([`Evaluation::oom_scopes`]).
    scopes: Arc<ScopeInputs>,
    /// "What fires first": the time simulation.
    pub timeline: Timeline,
    /// Notes about the scenario as structured messages (ids `note.*`, `rules.*`);
    /// [`Evaluation::notes`] is their English.
    pub note_messages: Vec<Message>,
}

impl Evaluation {
    /// Notes about the scenario (e.g. rules that are unverified for this version), in English.
    pub fn notes(&self) -> Vec<String> {
        self.note_messages.iter().map(Message::english).collect()
    }

    /// Kill orders per OOM scope — each pod cgroup with a limit, kubepods (when enforced), the
    /// node — with badness derivations. Built when asked for (the calculator shows only the
    /// node's order, which [`Evaluation::node_oom_kill_order`] already holds), from the
    /// candidates the evaluation keeps.
    pub fn oom_scopes(&self) -> Vec<OomScopeReport> {
        self.scopes.oom_scopes()
    }
}

/// The candidates of every OOM scope of an evaluation, kept for [`Evaluation::oom_scopes`]: the
/// flat model (pods, running containers, ids) and the ids of the sandboxes' entry and of the
/// kubepods and node scopes. Compared by these inputs (cheap: the calculator compares every new
/// evaluation with the last), which give the scopes.
#[derive(Debug, PartialEq)]
struct ScopeInputs {
    model: Model,
    sandboxes: u32,
    kubepods: Name,
    node: Name,
    /// The node scope's kill order (made by the evaluation; the kubepods order is built from it).
    node_order: KillOrder,
}

impl ScopeInputs {
    fn oom_scopes(&self) -> Vec<OomScopeReport> {
        oom_scopes(
            &self.model,
            self.sandboxes,
            self.kubepods.clone(),
            self.node.clone(),
            &self.node_order,
        )
    }
}

impl Serialize for Evaluation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Evaluation", 9)?;
        st.serialize_field("kubelet_version", &self.kubelet_version)?;
        st.serialize_field("node", &self.node)?;
        st.serialize_field("pods", &self.pods)?;
        st.serialize_field("eviction_order", &self.eviction_order)?;
        st.serialize_field("node_oom_kill_order", &self.node_oom_kill_order)?;
        st.serialize_field("kernel_version", &self.kernel_version)?;
        st.serialize_field("oom_scopes", &self.oom_scopes())?;
        st.serialize_field("timeline", &self.timeline)?;
        st.serialize_field("notes", &self.notes())?;
        st.end()
    }
}

/// One OOM scope and the order in which the kernel would kill in it.
#[derive(Debug, Clone, PartialEq)]
pub struct OomScopeReport {
    /// Container, pod, kubepods or node.
    pub scope: OomScope,
    /// `kubepods`, `node`, or the pod's `ns/name`.
    pub name: Name,
    /// The scope's limit (`memory.max`, or capacity for the node).
    pub limit_bytes: i64,
    /// `totalpages` of an OOM in this scope.
    pub totalpages: i64,
    /// Kill order: repeatedly the highest badness (ties flagged).
    pub kill_order: KillOrder,
    swap_pages: i64,
    page_size: i64,
}

impl OomScopeReport {
    /// How `totalpages` was obtained.
    pub fn derivations(&self) -> Vec<Derivation> {
        vec![crate::badness::totalpages_derivation(
            self.scope,
            self.limit_bytes,
            self.swap_pages,
            self.page_size,
            self.totalpages,
        )]
    }
}

impl Serialize for OomScopeReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("OomScopeReport", 6)?;
        st.serialize_field("scope", &self.scope)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("limit_bytes", &self.limit_bytes)?;
        st.serialize_field("totalpages", &self.totalpages)?;
        st.serialize_field("kill_order", &self.kill_order)?;
        st.serialize_field("derivations", &self.derivations())?;
        st.end()
    }
}

/// An error in a scenario, naming the field path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// Field path, e.g. `node.kubeletConfig.evictionHard.memory.available` or `pods[2].spec.containers[0].resources.limits.memory`.
    pub path: String,
    /// Line in the input, when known (1-based).
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

// ---------------------------------------------------------------------------------------------
// evaluate
// ---------------------------------------------------------------------------------------------

use crate::badness::{self, BadnessRule, KernelVersion, Proc, ProcIds, TaskMemory};
use crate::critical;
use crate::eviction::{self, RankInput};
use crate::pod::{Container, Pod};
use crate::rules::KubeletRules;
use crate::simulate::{self, Model, ModelContainer, ModelPod, SimThreshold};
use crate::thresholds;
use std::collections::BTreeMap;
use std::sync::Arc;

const DEFAULT_PAGE_SIZE: i64 = 4096;
const DEFAULT_TERMINATION_GRACE_SECONDS: i64 = 30;

fn err(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.into(),
        line: None,
        message: message.into(),
    }
}

/// Per-pod scratch space, reused from pod to pod.
#[derive(Default)]
struct Scratch {
    requests: Vec<i64>,
    limits: Vec<Option<i64>>,
    adjs: Vec<(i64, AdjWhy)>,
    request_whys: Vec<RequestWhy>,
    limit_whys: Vec<LimitWhy>,
    /// Per container, in `all_containers()` order, after the split rule.
    usage: Vec<Option<i64>>,
    open: Vec<usize>,
    fill: Vec<(usize, i64)>,
    left: Vec<usize>,
    capped: Vec<usize>,
}

/// The usage split rule: `ns/pod/container` keys give a container's working set; an `ns/pod` key
/// gives the pod's, and whatever it exceeds the listed containers by is split over the running
/// containers without a key in proportion to their effective memory request (equally when those
/// are all 0), no container getting more than its limit (see [`water_fill`]). Without a pod key the
/// pod's usage is the sum of its containers'. A pod key smaller than the sum of its container keys
/// is an error. Per-container results go to `sc.usage` (`None` = not given / completed init
/// container); returns the pod's usage (`None` = not given). `sc.requests`/`sc.limits` hold the
/// pod's container requests and limits.
fn split_usage(
    pod: &Pod,
    key: &str,
    pod_given: Option<i64>,
    container_given: &[Option<i64>],
    sidecars: bool,
    sc: &mut Scratch,
) -> Result<Option<i64>, ScenarioError> {
    let running = |c: &Container| numbers::kind(c, sidecars) != ContainerKind::Init;
    sc.usage.clear();
    for (ci, c) in pod.all_containers().enumerate() {
        match container_given.get(ci).copied().flatten() {
            Some(_) if !running(c) => {
                return Err(err(
                    format!("usage.{key}/{}", c.name),
                    "this is a regular init container: it has completed before the pod's containers run; give its usage to a running container",
                ))
            }
            v => sc.usage.push(v),
        }
    }
    let given: i64 = sc
        .usage
        .iter()
        .flatten()
        .fold(0i64, |a, b| a.saturating_add(*b));
    match pod_given {
        None => Ok(sc.usage.iter().any(Option::is_some).then_some(given)),
        Some(p) => {
            if p < given {
                return Err(err(
                    format!("usage.{key}"),
                    format!("the pod's usage {p} is smaller than the sum of its containers' usages {given}"),
                ));
            }
            let rest = p - given;
            sc.open.clear();
            for (i, c) in pod.all_containers().enumerate() {
                if running(c) && sc.usage.get(i).is_some_and(Option::is_none) {
                    sc.open.push(i);
                }
            }
            if sc.open.is_empty() {
                if rest > 0 {
                    return Err(err(
                        format!("usage.{key}"),
                        format!("the pod's usage exceeds the sum of its containers' usages by {rest} but every running container already has its own usage key"),
                    ));
                }
            } else {
                water_fill(rest, sc);
                for &(i, v) in &sc.fill {
                    if let Some(slot) = sc.usage.get_mut(i) {
                        *slot = Some(v);
                    }
                }
            }
            Ok(Some(p))
        }
    }
}

/// Splits `rest` bytes over the containers `sc.open` in proportion to their requests (equally
/// when they are all 0), never giving a container more than its limit: a container that would
/// exceed its limit gets exactly the limit and the excess is split again over the others. Whatever
/// is left when every container is at its limit goes to the first one (it is then over its limit,
/// which the timeline reports as an immediate OOM kill). The rounding remainder goes to the first
/// container that is not capped. The result is in `sc.fill`.
fn water_fill(rest: i64, sc: &mut Scratch) {
    let Scratch {
        requests,
        limits,
        open,
        fill: out,
        left,
        capped,
        ..
    } = sc;
    out.clear();
    left.clear();
    left.extend_from_slice(open);
    let mut rest = rest.max(0);
    loop {
        if left.is_empty() {
            if rest > 0 {
                if let Some(first) = out.first_mut() {
                    first.1 = first.1.saturating_add(rest);
                }
            }
            return;
        }
        let req = |i: usize| i128::from(requests.get(i).copied().unwrap_or(0).max(0));
        let total: i128 = left.iter().map(|&i| req(i)).sum();
        let n = left.len() as i128;
        let share = |i: usize| -> i64 {
            let v = if total > 0 {
                i128::from(rest) * req(i) / total
            } else {
                i128::from(rest) / n
            };
            i64::try_from(v).unwrap_or(i64::MAX)
        };
        capped.clear();
        capped.extend(left.iter().copied().filter(|&i| {
            limits
                .get(i)
                .copied()
                .flatten()
                .is_some_and(|l| share(i) > l)
        }));
        if capped.is_empty() {
            let mut assigned = 0i64;
            let start = out.len();
            for &i in left.iter() {
                let v = share(i);
                assigned = assigned.saturating_add(v);
                out.push((i, v));
            }
            if let Some(first) = out.get_mut(start) {
                first.1 = first.1.saturating_add(rest - assigned);
            }
            return;
        }
        for &i in capped.iter() {
            let l = limits.get(i).copied().flatten().unwrap_or(0).max(0);
            rest = rest.saturating_sub(l);
            out.push((i, l));
        }
        left.retain(|i| !capped.contains(i));
    }
}

fn bytes_of(q: &crate::quantity::Quantity) -> i64 {
    q.value()
}

/// `a == b` for short byte strings without a call: lengths, then (up to 16 bytes) two words that
/// may overlap; longer strings compare as usual. Keys and container names are short.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        s.get(at..at + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
            .map_or(0, u64::from_le_bytes)
    };
    match a.len() {
        0 => true,
        1..=7 => a.iter().zip(b).all(|(x, y)| x == y),
        n @ 8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// A word-at-a-time multiplicative hash (the rustc "Fx" scheme) of a key: short keys, no
/// untrusted-input DoS concern in a local tool.
fn key_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    // Exactly 8 bytes (callers pass only such slices).
    let word = |c: &[u8]| <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes);
    let mut h = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h = (h.rotate_left(5) ^ word(c)).wrapping_mul(K);
    }
    let rest = chunks.remainder().len();
    // The last partial word: the last 8 bytes (overlapping the previous word) when there are
    // that many, else the bytes one by one (no variable-length copy).
    let last = match bytes.len().checked_sub(8) {
        Some(from) if rest > 0 => bytes.get(from..).map_or(0, word),
        _ => {
            let mut w = 0u64;
            for (k, &b) in bytes
                .get(bytes.len() - rest..)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                w |= u64::from(b) << (8 * k);
            }
            w
        }
    };
    h = (h.rotate_left(5) ^ last ^ ((rest as u64) << 56)).wrapping_mul(K);
    // A multiplication moves entropy up only: mix the high bits down for the table position
    // (the finaliser of MurmurHash3's fmix64).
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// `ns/name` → index in `scenario.pods`: open addressing over a power-of-two table of
/// (hash, pod index) entries; keys are compared as text only when their hashes match.
struct PodIndex<'a> {
    slots: Vec<(u32, u32)>,
    mask: usize,
    keys: Vec<&'a str>,
}

impl<'a> PodIndex<'a> {
    const EMPTY: u32 = u32::MAX;

    fn with_capacity(n: usize) -> Self {
        let size = (n.max(1) * 2).next_power_of_two();
        PodIndex {
            slots: vec![(0, Self::EMPTY); size],
            mask: size - 1,
            keys: Vec::with_capacity(n),
        }
    }

    /// Adds `key` as the next pod; `false` when the key is already there.
    fn insert(&mut self, key: &'a str) -> bool {
        let h = key_hash(key.as_bytes());
        let Ok(index) = u32::try_from(self.keys.len()) else {
            return false;
        };
        let mut i = h as usize & self.mask;
        loop {
            let Some(slot) = self.slots.get_mut(i) else {
                return false;
            };
            if slot.1 == Self::EMPTY {
                *slot = (h as u32, index);
                self.keys.push(key);
                return true;
            }
            if slot.0 == h as u32 && self.keys.get(slot.1 as usize) == Some(&key) {
                return false;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn get(&self, key: &str) -> Option<usize> {
        let h = key_hash(key.as_bytes());
        let mut i = h as usize & self.mask;
        loop {
            let slot = self.slots.get(i)?;
            if slot.1 == Self::EMPTY {
                return None;
            }
            if slot.0 == h as u32
                && self
                    .keys
                    .get(slot.1 as usize)
                    .is_some_and(|k| same_bytes(k.as_bytes(), key.as_bytes()))
            {
                return Some(slot.1 as usize);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// A part of a usage key is blank when `trim()` leaves nothing (fast answer for ASCII text).
fn blank(part: &str) -> bool {
    !part.bytes().any(|b| b.is_ascii_graphic()) && part.trim().is_empty()
}

/// The position of the first `/` in `bytes` at or after `from`, eight bytes at a time (a branch
/// per word rather than per byte: usage keys are short and a per-byte test mispredicts).
fn find_slash(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const SLASHES: u64 = ONES * b'/' as u64;
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for c in &mut chunks {
        let w = <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes) ^ SLASHES;
        // A zero byte of `w` is a `/`; the lowest set high bit marks the first (bytes above the
        // first zero may be flagged falsely, never bytes below it).
        let zero = w.wrapping_sub(ONES) & !w & HIGHS;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'/')
        .map(|k| at + k)
}

/// `check_usage_key` without allocating: a key of 2 or 3 non-blank `/`-separated parts, as
/// (`ns/pod`, container); `None` otherwise.
fn split_usage_key(key: &str) -> Option<(&str, Option<&str>)> {
    // The separators: a third `/` would be inside the container part.
    let bytes = key.as_bytes();
    let i = find_slash(bytes, 0)?;
    let second = find_slash(bytes, i + 1);
    if let Some(j) = second {
        if find_slash(bytes, j + 1).is_some() {
            return None;
        }
    }
    let ns = key.get(..i)?;
    let (name, container) = match second {
        Some(j) => (key.get(i + 1..j)?, Some(key.get(j + 1..)?)),
        None => (key.get(i + 1..)?, None),
    };
    if blank(ns) || blank(name) {
        return None;
    }
    if container.is_some_and(blank) {
        return None;
    }
    Some((key.get(..i + 1 + name.len())?, container))
}

/// Checks that every `usage`/`growth` key names a pod (and container) of the scenario, and puts
/// each value in its slot: `pod_slots[pod]` for `ns/pod`, `container_slots[offsets[pod] + i]` for
/// `ns/pod/container` (every container of that name, in `all_containers()` order).
fn fill_slots(
    index: &PodIndex,
    scenario: &Scenario,
    offsets: &[usize],
    map: &BTreeMap<String, crate::quantity::Quantity>,
    field: &str,
    pod_slots: &mut [Option<i64>],
    container_slots: &mut [Option<i64>],
) -> Result<(), ScenarioError> {
    for (k, q) in map {
        let path = || format!("{field}.{k}");
        let Some((pod_key, container)) = split_usage_key(k) else {
            let m = crate::scenario::check_usage_key(k)
                .err()
                .unwrap_or_else(|| "invalid key".to_string());
            return Err(err(path(), m));
        };
        let Some((pi, pod)) = index
            .get(pod_key)
            .and_then(|i| scenario.pods.get(i).map(|p| (i, p)))
        else {
            return Err(err(path(), format!("no pod {pod_key} in pods")));
        };
        let v = bytes_of(q);
        match container {
            None => {
                if let Some(slot) = pod_slots.get_mut(pi) {
                    *slot = Some(v);
                }
            }
            Some(c) => {
                let off = offsets.get(pi).copied().unwrap_or(0);
                let mut found = false;
                for (ci, x) in pod.all_containers().enumerate() {
                    if same_bytes(x.name.as_bytes(), c.as_bytes()) {
                        found = true;
                        if let Some(slot) = container_slots.get_mut(off + ci) {
                            *slot = Some(v);
                        }
                    }
                }
                if !found {
                    return Err(err(
                        path(),
                        format!("pod {} has no container {c:?}", pod.key()),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Evaluates a scenario: every number kubelet and the kernel would produce for it.
///
/// Steps: resolve the version rules (`kubeletVersion`, default newest) and kernel rules; apply the
/// preset; parse thresholds (`ParseThresholdConfig`); compute allocatable and the kubepods limit;
/// per pod QoS, priority, eviction request, usage, rank; per container kind, oom_score_adj,
/// request, limit, memory.high/min, badness; the eviction order; the kill order of every OOM scope;
/// and the "what fires first" timeline.
pub fn evaluate(scenario: &Scenario) -> Result<Evaluation, ScenarioError> {
    evaluate_with(scenario, &EvaluateOptions::FULL)
}

/// How [`evaluate_with`] computes. Every option gives the same [`Evaluation`]: derivations and
/// English sentences are rendered on demand from the records every evaluation keeps, so there is
/// no cheaper "numbers only" evaluation any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvaluateOptions {
    /// Evaluate every pod with the general rule functions (each pod defaulted into a copy, each
    /// derivation rendered at once) instead of the fast path; slower, the same result. For tests
    /// that cross-check the fast path.
    pub reference: bool,
}

impl EvaluateOptions {
    /// Everything (what [`evaluate`] uses).
    pub const FULL: EvaluateOptions = EvaluateOptions { reference: false };
    /// What the calculator runs on every keystroke: now the same as [`EvaluateOptions::FULL`].
    pub const NUMBERS: EvaluateOptions = EvaluateOptions { reference: false };
    /// The general rule functions for every pod (see [`EvaluateOptions::reference`]).
    pub const REFERENCE: EvaluateOptions = EvaluateOptions { reference: true };
}

impl Default for EvaluateOptions {
    fn default() -> Self {
        EvaluateOptions::FULL
    }
}

const SANDBOX_SUFFIX: &str = " (sandbox)";

/// [`evaluate`] with [`EvaluateOptions`].
pub fn evaluate_with(
    scenario: &Scenario,
    opts: &EvaluateOptions,
) -> Result<Evaluation, ScenarioError> {
    let rules = KubeletRules::resolve(scenario.kubelet_version.as_deref(), &scenario.feature_gates)
        .map_err(|m| err("kubeletVersion", m))?;
    let mut notes = crate::rules::resolution_messages(rules.version, &scenario.feature_gates);
    let kernel = match &scenario.node.kernel_version {
        None => KernelVersion::NEWEST,
        Some(s) => KernelVersion::parse(s).ok_or_else(|| {
            err(
                "node.kernelVersion",
                format!("{s:?}: expected a kernel version such as \"6.8\""),
            )
        })?,
    };
    let badness_rule = BadnessRule::for_kernel(kernel);
    let page_size = scenario
        .node
        .page_size
        .map_or(DEFAULT_PAGE_SIZE, |p| {
            i64::try_from(p).unwrap_or(DEFAULT_PAGE_SIZE)
        })
        .max(1);
    let cgroup_v2 = scenario.node.cgroup_version.unwrap_or(2) == 2;
    let capacity = bytes_of(&scenario.node.memory);
    if capacity <= 0 {
        return Err(err("node.memory", "must be greater than zero"));
    }
    let swap = scenario.node.swap.as_ref().map_or(0, bytes_of).max(0);
    let system_usage = scenario
        .node
        .system_usage
        .as_ref()
        .map_or(0, bytes_of)
        .max(0);

    // Preset → kubelet configuration.
    let (kcfg, preset_line, preset_message) = adapt::apply_preset(scenario, &rules)?;
    let parsed = thresholds::parse_threshold_config(&kcfg).map_err(|e| {
        err(
            format!(
                "node.kubeletConfig.{}",
                e.path.trim_start_matches("node.kubeletConfig.")
            ),
            e.message,
        )
    })?;
    let hugepages = 0;
    let na = crate::allocatable::node_allocatable_with(capacity, hugepages, &kcfg, &parsed, false)
        .map_err(|e| {
            err(
                if e.path.starts_with("node") {
                    e.path.clone()
                } else {
                    format!("node.kubeletConfig.{}", e.path)
                },
                e.message,
            )
        })?;
    if parsed.hard_defaulted {
        notes.push(Message::plain("note.eviction_hard_defaulted"));
    }

    // Thresholds (memory signals only).
    let kubepods_cap = na
        .kubepods_limit_bytes
        .unwrap_or(na.node_allocatable_absolute_bytes);
    let mut threshold_reports = Vec::new();
    let mut sim_thresholds = Vec::new();
    for t in parsed.memory() {
        let cap = if t.signal == thresholds::SIGNAL_ALLOCATABLE_MEMORY_AVAILABLE {
            kubepods_cap
        } else {
            capacity
        };
        let bytes = t.quantity(cap);
        let min_reclaim = t.min_reclaim_quantity(cap);
        threshold_reports.push(ThresholdReport::new(t, cap, false));
        sim_thresholds.push(SimThreshold {
            signal: t.signal.clone(),
            hard: t.grace_period_ns == 0,
            bytes,
            grace_ms: t.grace_period_ns / 1_000_000,
            min_reclaim_bytes: min_reclaim,
        });
    }

    // Ids: written once into one buffer; the reports' names are ranges of it, and the kill orders
    // and the simulation refer to ids by index into one table. Index of pod `i`'s sandbox
    // (`ns/pod (sandbox)`, whose first bytes are `ns/pod`): `offsets[i] + i`; of its container
    // `c` (`ns/pod/container`, every container in `all_containers()` order): that + 1 + c.
    let n_pods = scenario.pods.len();
    let mut n_containers = 0usize;
    let mut id_bytes = 0usize;
    for p in &scenario.pods {
        let key = p.namespace.len() + 1 + p.name.len();
        n_containers += p.init_containers.len() + p.containers.len();
        id_bytes += key + SANDBOX_SUFFIX.len();
        for c in p.all_containers() {
            id_bytes += key + 1 + c.name.len();
        }
    }
    let sandboxes_label = format!("{n_pods} pod sandboxes (pause, −998 each; they tie)");
    let mut buf = NameBuf::with_capacity(
        id_bytes + sandboxes_label.len() + simulate::SYSTEM_ID.len() + "kubepodsnode".len(),
    );
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(n_pods + n_containers + 2);
    let span = |r: std::ops::Range<usize>| {
        (
            u32::try_from(r.start).unwrap_or(u32::MAX),
            u32::try_from(r.end).unwrap_or(u32::MAX),
        )
    };
    let mut offsets: Vec<usize> = Vec::with_capacity(n_pods + 1);
    let mut n = 0usize;
    for p in &scenario.pods {
        offsets.push(n);
        let sandbox = buf.push(&[&p.namespace, "/", &p.name, SANDBOX_SUFFIX]);
        let key = sandbox.start..sandbox.start + p.namespace.len() + 1 + p.name.len();
        spans.push(span(sandbox));
        for c in p.all_containers() {
            spans.push(span(buf.push_after(key.clone(), &["/", &c.name])));
            n += 1;
        }
    }
    offsets.push(n);
    let sandboxes_id = u32::try_from(spans.len()).unwrap_or(u32::MAX);
    spans.push(span(buf.push(&[&sandboxes_label])));
    let system_id = sandboxes_id.saturating_add(1);
    spans.push(span(buf.push(&[simulate::SYSTEM_ID])));
    let kubepods_range = buf.push(&["kubepods"]);
    let node_range = buf.push(&["node"]);
    // No `/` inside any name (always, for a real cluster): every container id has exactly two, a
    // sandbox id one, the other ids none. Counted over the whole buffer at once.
    let plain_ids = buf.count_byte(b'/') == n_pods + 2 * n_containers;
    let names: Names = buf.finish();
    let sandbox_index = |pi: usize| offsets.get(pi).map_or(0, |o| o + pi);
    let container_index = |pi: usize, ci: usize| sandbox_index(pi) + 1 + ci;
    let range_of = |i: usize| spans.get(i).map_or(0..0, |&(a, b)| a as usize..b as usize);
    let key_ranges: Vec<(usize, usize)> = scenario
        .pods
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let r = range_of(sandbox_index(pi));
            (
                r.start,
                (r.start + p.namespace.len() + 1 + p.name.len()).min(r.end),
            )
        })
        .collect();
    let key_range = |pi: usize| key_ranges.get(pi).map_or(0..0, |&(a, b)| a..b);
    let key_len = |pi: usize| key_ranges.get(pi).map_or(0, |&(a, b)| b - a);

    // Usage and growth (read into per-pod / per-container slots once).
    let mut index = PodIndex::with_capacity(n_pods);
    for i in 0..n_pods {
        let k = names.str(key_range(i));
        if !index.insert(k) {
            return Err(err(
                format!("pods[{i}].metadata.name"),
                format!("duplicate pod {k}"),
            ));
        }
    }
    // Usage then growth, per pod and per container: two allocations.
    let mut pod_slots: Vec<Option<i64>> = vec![None; 2 * n_pods];
    let mut cont_slots: Vec<Option<i64>> = vec![None; 2 * n_containers];
    let (pod_usage, pod_growth) = pod_slots.split_at_mut(n_pods);
    let (cont_usage, cont_growth) = cont_slots.split_at_mut(n_containers);
    fill_slots(
        &index,
        scenario,
        &offsets,
        &scenario.usage,
        "usage",
        pod_usage,
        cont_usage,
    )?;
    fill_slots(
        &index,
        scenario,
        &offsets,
        &scenario.growth,
        "growth",
        pod_growth,
        cont_growth,
    )?;
    drop(index);

    let oom_group =
        cgroup_v2 && !rules.single_process_oom_kill(kcfg.single_process_oom_kill, cgroup_v2);
    if kcfg.single_process_oom_kill.is_some() && !rules.single_process_oom_kill_configurable() {
        notes.push(Message::with(
            "note.single_process_oom_kill_ignored",
            [("version", Arg::Text(rules.version.to_string()))],
        ));
    }
    let global_tp = badness::global_totalpages(capacity, swap, page_size);
    let mq_params =
        adapt::memory_qos_params(&rules, &kcfg, if cgroup_v2 { 2 } else { 1 }, page_size, &na)?;
    if mq_params.enabled {
        notes.push(Message::with(
            "note.memory_qos_on",
            [("version", Arg::Text(rules.version.to_string()))],
        ));
    }

    // Pods.
    let sidecars = rules.sidecars_enabled();
    let sidecar_rule = rules.sidecar_rule();
    let pod_level_gate = rules.pod_level_resources();
    let hard_grace_rule = rules.immediate_eviction_grace_seconds();
    let mut pods = Vec::with_capacity(n_pods);
    let mut rank_inputs = Vec::with_capacity(n_pods);
    let mut model_pods = Vec::with_capacity(n_pods);
    let mut model_containers = Vec::with_capacity(n_containers);
    let mut all_containers = Vec::with_capacity(n_containers);
    let mut any_missing_usage = false;
    let mut sc = Scratch::default();
    for (pi, pod) in scenario.pods.iter().enumerate() {
        let priority = pod.priority.unwrap_or(0);
        let critical = critical::is_critical_pod(pod);
        sc.requests.clear();
        sc.limits.clear();
        sc.adjs.clear();
        sc.request_whys.clear();
        sc.limit_whys.clear();
        let fast = if opts.reference {
            None
        } else {
            numbers::pod(pod, pod_level_gate, sidecars)
        };
        let (qos, request, pod_limit, pod_why) = match fast {
            Some(n) => {
                // Requests and limits now (the usage split needs them); each container's records
                // are built where its report is.
                for c in pod.all_containers() {
                    sc.requests.push(numbers::container_request(c));
                    sc.limits.push(numbers::container_limit(c));
                }
                (
                    n.qos,
                    n.request,
                    n.pod_limit,
                    PodWhy::Fast {
                        qos: n.qos_why,
                        base_request: n.base_request,
                        overhead: n.overhead,
                        version: rules.version,
                        pod_level_gate,
                    },
                )
            }
            None => {
                // Defaulted once (requests from limits, sidecar demotion, pod-level defaults); the
                // rule modules' `_of_defaulted` entry points then skip their own copy.
                let dpod = crate::resources::defaulted_pod(pod, &rules);
                let (qos, qos_d) =
                    crate::qos::get_pod_qos_with_derivation_of_defaulted(&dpod, &rules);
                let (request, request_d) =
                    crate::resources::pod_memory_request_of_defaulted(&dpod, &rules);
                let (pod_limit, pod_limit_d) = crate::resources::pod_memory_limit(pod, &rules);
                if dpod.all_containers().count() != pod.init_containers.len() + pod.containers.len()
                {
                    return Err(err(
                        format!("pods[{pi}].spec"),
                        "internal: container count mismatch",
                    ));
                }
                for (c, dc) in pod.all_containers().zip(dpod.all_containers()) {
                    let (adj, adj_why) = crate::oom_score_adj::container_oom_score_adjust_why(
                        &dpod, dc, capacity, &rules,
                    );
                    let (req, req_why) = RequestWhy::of(c);
                    let (limit, limit_why) = adapt::container_limit(pod, c, &rules);
                    sc.requests.push(req);
                    sc.limits.push(limit);
                    sc.request_whys.push(req_why);
                    sc.limit_whys.push(limit_why);
                    sc.adjs.push((adj, adj_why));
                }
                (
                    qos,
                    request,
                    pod_limit,
                    PodWhy::Rendered(Box::new([qos_d, request_d, pod_limit_d])),
                )
            }
        };
        let qos_class = qos.as_str();
        let (c0, c1) = (
            offsets.get(pi).copied().unwrap_or(0),
            offsets.get(pi + 1).copied().unwrap_or(0),
        );
        let split_pod = split_usage(
            pod,
            names.str(key_range(pi)),
            pod_usage.get(pi).copied().flatten(),
            cont_usage.get(c0..c1).unwrap_or(&[]),
            sidecars,
            &mut sc,
        )?;
        let growth_of = |ci: usize| cont_growth.get(c0 + ci).copied().flatten();
        if split_pod.is_none() {
            any_missing_usage = true;
        }
        let model_start = model_containers.len();
        let containers_start = all_containers.len();
        let general = matches!(pod_why, PodWhy::Rendered(_));
        // Built inside `extend`: each report is written straight into the list (a report built
        // whole and then pushed is copied from the stack where `push` stays out of line).
        all_containers.extend(pod.all_containers().enumerate().map(|(ci, c)| {
            let kind = numbers::kind(c, sidecars);
            let (adj, adj_why, request_why, limit_why) = match sc.adjs.get(ci) {
                Some(&(adj, adj_why)) if general => (
                    adj,
                    adj_why,
                    sc.request_whys.get(ci).cloned().unwrap_or(RequestWhy::None),
                    sc.limit_whys
                        .get(ci)
                        .cloned()
                        .unwrap_or(LimitWhy::Unlimited),
                ),
                _ => {
                    let req = sc.requests.get(ci).copied().unwrap_or(0);
                    let (adj, case) = numbers::adj(
                        pod,
                        c,
                        req,
                        qos,
                        capacity,
                        &rules,
                        sidecars,
                        sidecar_rule,
                        critical,
                    );
                    let version = rules.version;
                    (
                        adj,
                        AdjWhy { version, case },
                        RequestWhy::record(c),
                        LimitWhy::record(c),
                    )
                }
            };
            let req = sc.requests.get(ci).copied().unwrap_or(0);
            let limit = sc.limits.get(ci).copied().flatten();
            let mut mq = crate::memory_qos::MemoryQosValues::default();
            let mq_why = crate::memory_qos::container_memory_qos_into(
                &mq_params,
                qos_class,
                req,
                limit.unwrap_or(0),
                &mut mq,
            );
            let cusage = sc.usage.get(ci).copied().flatten();
            let running = kind != ContainerKind::Init;
            let id_index = container_index(pi, ci);
            let id_range = range_of(id_index);
            let (proc_score, node_badness, oom_score) = if running {
                let task = TaskMemory::from_rss_bytes(cusage.unwrap_or(0), page_size);
                let b =
                    badness::oom_badness_for(badness_rule, &task, adj, global_tp, page_size, false);
                (
                    Some(ProcScoreWhy {
                        rule: badness_rule,
                        rss_pages: task.rss_pages,
                        global_totalpages: global_tp,
                        page_size,
                    }),
                    b,
                    Some(badness::proc_oom_score(badness_rule, b, global_tp)),
                )
            } else {
                (None, None, None)
            };
            if running {
                model_containers.push(ModelContainer {
                    id: u32::try_from(id_index).unwrap_or(u32::MAX),
                    pod: u32::try_from(pi).unwrap_or(u32::MAX),
                    oom_score_adj: adj,
                    limit_bytes: limit,
                    usage_bytes: cusage.unwrap_or(0),
                    growth_bytes_per_second: growth_of(ci).unwrap_or(0),
                });
            }
            ContainerReport {
                // From the id buffer (a fixed-size window copy for short names).
                name: names.get(id_range.end.saturating_sub(c.name.len())..id_range.end),
                kind,
                oom_score_adj: adj,
                memory_request_bytes: req,
                memory_limit_bytes: limit,
                memory_high_bytes: mq.memory_high,
                memory_min_bytes: mq.memory_min,
                usage_bytes: if running { cusage } else { None },
                node_oom_badness: node_badness,
                oom_score,
                why: ContainerWhy {
                    adj: adj_why,
                    request: request_why,
                    limit: limit_why,
                    memory_qos: mq_why,
                    proc_score,
                },
            }
        }));
        // A pod-level growth key is split like usage: over running containers without their own
        // growth key, in proportion to request (equally when all are 0).
        if let Some(g) = pod_growth.get(pi).copied().flatten() {
            split_pod_growth(
                pod,
                g,
                sidecars,
                &sc.requests,
                &growth_of,
                model_containers.get_mut(model_start..).unwrap_or(&mut []),
            );
        }
        let tgps = pod
            .termination_grace_period_seconds
            .unwrap_or(DEFAULT_TERMINATION_GRACE_SECONDS);
        // `eviction_grace_period` (hard: immediateEvictionGracePeriodSeconds, 0 → the pod's own;
        // soft: min(evictionMaxPodGracePeriod, terminationGracePeriodSeconds)), numbers only.
        let hard_grace = match hard_grace_rule {
            0 => tgps,
            g => g,
        };
        let soft_grace = kcfg.eviction_max_pod_grace_period.unwrap_or(0).min(tgps);
        model_pods.push(ModelPod {
            sandbox: u32::try_from(sandbox_index(pi)).unwrap_or(u32::MAX),
            key_len: key_len(pi),
            priority,
            critical,
            request_bytes: request,
            limit_bytes: pod_limit,
            hard_grace_seconds: hard_grace,
            soft_grace_seconds: soft_grace,
            start: model_start,
            end: model_containers.len(),
        });
        rank_inputs.push(RankInput {
            key: String::new(),
            priority,
            request_bytes: request,
            usage_bytes: Some(split_pod.unwrap_or(0)),
            critical,
        });
        let key = key_range(pi);
        let ns_len = pod.namespace.len();
        pods.push(PodReport {
            namespace: names.get(key.start..key.start + ns_len),
            name: names.get((key.start + ns_len + 1).min(key.end)..key.end),
            qos_class,
            priority,
            memory_request_bytes: request,
            usage_bytes: split_pod,
            exceeds_request: split_pod.unwrap_or(0) > request,
            eviction_rank: None,
            eviction_tied: false,
            eviction_tied_with_previous: false,
            memory_limit_bytes: pod_limit,
            critical,
            containers: Containers::range(containers_start, all_containers.len()),
            why: pod_why,
        });
    }
    if any_missing_usage && n_pods > 0 {
        notes.push(Message::plain("note.missing_usage"));
    }

    // Eviction ranking (each pod's clauses are rendered from its report when asked for).
    let mut ranked = Vec::with_capacity(n_pods);
    eviction::rank_order(&rank_inputs, &mut ranked);
    let mut eviction_order = Vec::with_capacity(n_pods);
    for r in &ranked {
        let i = r.index as usize;
        if let Some(p) = pods.get_mut(i) {
            p.eviction_rank = r.rank;
            p.eviction_tied = r.tied;
            p.eviction_tied_with_previous = r.tied_with_previous;
        }
        if r.rank.is_some() {
            eviction_order.push(names.get(key_range(i)));
        }
    }
    let all_containers = Arc::new(all_containers);
    for p in &mut pods {
        p.containers.all = Some(Arc::clone(&all_containers));
    }

    // OOM scopes and the timeline, on the flat model.
    let ids = Arc::new(ProcIds::new(names.clone(), spans));
    let model = Model {
        capacity_bytes: capacity,
        swap_bytes: swap,
        page_size,
        system_usage_bytes: system_usage,
        kubepods_limit_bytes: na.kubepods_limit_bytes,
        thresholds: sim_thresholds,
        badness_rule,
        oom_group,
        pods: model_pods,
        containers: model_containers,
        ids,
        system_id,
    };
    // The node's kill order now (the calculator shows it); every scope's when asked for.
    let node_order = node_kill_order(&model, sandboxes_id);
    let mut node_oom_kill_order = Vec::with_capacity(model.containers.len());
    // Containers (`ns/pod/container`): exactly two `/`, and not `… (sandbox)` or the
    // sandboxes' entry.
    let two_slashes = |id: &[u8]| {
        let mut n = 0;
        for &b in id {
            if b == b'/' {
                n += 1;
                if n > 2 {
                    return false;
                }
            }
        }
        n == 2
    };
    for i in node_order.proc_ids() {
        let id = model.ids.get(i).as_bytes();
        // With plain ids the only ids with two `/` are the containers', and of the others
        // in a kill order only the system processes' does not end in `)`.
        let container = if plain_ids {
            i != system_id
        } else {
            two_slashes(id)
        };
        if container && id.last() != Some(&b')') {
            node_oom_kill_order.push(model.ids.name(i));
        }
    }
    let timeline = simulate::run(&model);

    notes.push(Message::with(
        "note.kernel",
        [
            ("kernel", Arg::Text(kernel.to_string())),
            (
                "rule",
                Arg::Message(Box::new(Message::plain(match badness_rule {
                    BadnessRule::Signed => "kernel_rule.signed",
                    BadnessRule::UnsignedFloor1 => "kernel_rule.unsigned_floor1",
                    BadnessRule::RootBonusPercent => "kernel_rule.root_bonus_percent",
                    BadnessRule::RootBonusAdj => "kernel_rule.root_bonus_adj",
                }))),
            ),
        ],
    ));
    notes.push(Message::plain(if oom_group {
        "note.oom_group.on"
    } else {
        "note.oom_group.off"
    }));
    notes.push(Message::plain("note.kernel_model"));

    let hard = parsed.hard_memory_available().map(|t| t.value);
    Ok(Evaluation {
        kubelet_version: rules.version.to_string(),
        node: NodeReport {
            capacity_bytes: na.capacity_bytes,
            kube_reserved_bytes: na.kube_reserved_bytes,
            system_reserved_bytes: na.system_reserved_bytes,
            hard_eviction_bytes: na.hard_eviction_bytes,
            allocatable_bytes: na.allocatable_bytes,
            kubepods_limit_bytes: na.kubepods_limit_bytes,
            thresholds: threshold_reports,
            preset: preset_line,
            preset_message,
            why: NodeWhy {
                allocatable: na,
                hard,
                cgroups_per_qos: kcfg.cgroups_per_qos.unwrap_or(true),
            },
        },
        pods,
        eviction_order,
        node_oom_kill_order,
        kernel_version: kernel.to_string(),
        scopes: Arc::new(ScopeInputs {
            model,
            sandboxes: sandboxes_id,
            kubepods: names.get(kubepods_range),
            node: names.get(node_range),
            node_order,
        }),
        timeline,
        note_messages: notes,
    })
}

/// Splits a pod-level growth key over the pod's running containers without their own growth key,
/// in proportion to request (equally when all are 0); the rounding remainder goes to the first.
/// `running` are the pod's model containers (in `all_containers()` order, init containers that
/// completed left out); containers are matched by name as the growth keys name them.
fn split_pod_growth(
    pod: &Pod,
    g: i64,
    sidecars: bool,
    requests: &[i64],
    growth_of: &dyn Fn(usize) -> Option<i64>,
    running: &mut [ModelContainer],
) {
    let names: Vec<&str> = pod
        .all_containers()
        .filter(|c| numbers::kind(c, sidecars) != ContainerKind::Init)
        .map(|c| c.name.as_str())
        .collect();
    let position = |name: &str| pod.all_containers().position(|c| c.name == name);
    let has_key = |name: &str| position(name).is_some_and(|ci| growth_of(ci).is_some());
    let open: Vec<usize> = (0..running.len())
        .filter(|&i| names.get(i).is_some_and(|n| !has_key(n)))
        .collect();
    let reqs: Vec<i64> = open
        .iter()
        .map(|&i| {
            names
                .get(i)
                .and_then(|n| position(n))
                .and_then(|j| requests.get(j).copied())
                .unwrap_or(0)
                .max(0)
        })
        .collect();
    let total: i128 = reqs.iter().map(|r| i128::from(*r)).sum();
    let mut assigned = 0i64;
    for (n, &i) in open.iter().enumerate() {
        let share = if total > 0 {
            (i128::from(g) * i128::from(reqs.get(n).copied().unwrap_or(0)) / total) as i64
        } else {
            g / open.len().max(1) as i64
        };
        if let Some(sc) = running.get_mut(i) {
            sc.growth_bytes_per_second = share;
        }
        assigned = assigned.saturating_add(share);
    }
    if let Some(sc) = open.first().and_then(|&i| running.get_mut(i)) {
        sc.growth_bytes_per_second = sc.growth_bytes_per_second.saturating_add(g - assigned);
    }
}

/// A pod sandbox (pause process) as a kill-order candidate: no memory to speak of, adj −998.
fn sandbox_proc(id: u32) -> Proc {
    Proc {
        id,
        task: TaskMemory::default(),
        oom_score_adj: badness::SANDBOX_OOM_SCORE_ADJ,
        cap_sys_admin: false,
    }
}

/// The candidates of the kubepods and node scopes: every running container, plus the pod
/// sandboxes as one entry (they are identical: rss ≈ 0, adj −998, so they tie with each other and
/// come after every container whose badness is above −998·totalpages/1000); then, for the node
/// only, the system processes (kubelet and the runtime). Returns where each group is.
fn add_node_candidates(
    orders: &mut badness::KillOrders,
    m: &Model,
    sandboxes: u32,
) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let ps = m.page_size;
    let all = orders.add(
        m.containers
            .iter()
            .map(|c| Proc {
                id: c.id,
                task: TaskMemory::from_rss_bytes(c.usage_bytes, ps),
                oom_score_adj: c.oom_score_adj,
                cap_sys_admin: false,
            })
            .chain((!m.pods.is_empty()).then(|| sandbox_proc(sandboxes))),
    );
    let with_system = orders.add(std::iter::once(Proc {
        id: m.system_id,
        task: TaskMemory::from_rss_bytes(m.system_usage_bytes, ps),
        oom_score_adj: badness::KUBELET_OOM_SCORE_ADJ,
        cap_sys_admin: true,
    }));
    (all, with_system)
}

/// The kill order of a whole-node OOM alone (the node scope of [`oom_scopes`]: the same
/// candidates in the same places, so the same steps).
fn node_kill_order(m: &Model, sandboxes: u32) -> KillOrder {
    let n = m.containers.len() + 2;
    let mut orders =
        badness::KillOrders::new(Arc::clone(&m.ids), m.badness_rule, m.page_size, n, n);
    let (all, with_system) = add_node_candidates(&mut orders, m, sandboxes);
    let node_tp = badness::global_totalpages(m.capacity_bytes, m.swap_bytes, m.page_size);
    orders.push(all.start..with_system.end, node_tp);
    orders
        .finish()
        .pop()
        .unwrap_or_else(|| KillOrder::empty(m.badness_rule, node_tp, m.page_size))
}

/// The kill order of every scope that can OOM: each pod cgroup with a limit, kubepods (when
/// enforced) and the node. Candidates are in scenario order (the kernel's iteration order is
/// process creation order, unknown here, so equal points are reported as ties).
fn oom_scopes(
    m: &Model,
    sandboxes: u32,
    kubepods: Name,
    node: Name,
    node_order: &KillOrder,
) -> Vec<OomScopeReport> {
    let ps = m.page_size;
    let swap_pages = m.swap_bytes / ps;
    // Every order in one buffer: the pod scopes' (each pod's sandbox and containers), then
    // kubepods' (every container and the sandboxes as one entry); the node's is the evaluation's.
    let limited: Vec<(usize, i64)> = m
        .pods
        .iter()
        .enumerate()
        .filter_map(|(pi, p)| p.limit_bytes.map(|l| (pi, l)))
        .collect();
    let pod_candidates: usize = limited
        .iter()
        .filter_map(|&(pi, _)| m.pods.get(pi))
        .map(|p| p.end - p.start + 1)
        .sum();
    let all_candidates = m.containers.len() + 2;
    let mut orders = badness::KillOrders::new(
        Arc::clone(&m.ids),
        m.badness_rule,
        ps,
        pod_candidates + all_candidates,
        pod_candidates + all_candidates,
    );
    // Added first, as for the node's order (the kubepods order is built from it); a pod scope's
    // containers are the same candidates.
    let (all, _) = add_node_candidates(&mut orders, m, sandboxes);
    orders.reserve_orders(limited.len() + 2);
    let mut pod_scopes = Vec::with_capacity(limited.len());
    // Every limited pod's sandbox, added at once (candidate `sandboxes.start + k` for the k-th).
    let sandboxes = orders.add(
        limited
            .iter()
            .filter_map(|&(pi, _)| m.pods.get(pi))
            .map(|p| sandbox_proc(p.sandbox)),
    );
    let mut first = sandboxes.start;
    for &(pi, l) in &limited {
        let Some(p) = m.pods.get(pi) else { continue };
        let tp = badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1);
        orders.push_after(first, all.start + p.start..all.start + p.end, tp);
        first += 1;
        pod_scopes.push((pi, l, tp));
    }
    let kubepods_tp = m.kubepods_limit_bytes.map(|l| {
        (
            l,
            badness::memcg_totalpages(Some(l), swap_pages, ps).unwrap_or(1),
        )
    });
    // The kubepods order is usually the node's without the system processes: laid out in the
    // node's order (made by the evaluation over the same candidates), it sorts in one pass.
    if let Some((_, tp)) = kubepods_tp {
        orders.push_seeded(all.clone(), tp, node_order);
    }
    let mut finished = orders.finish().into_iter();
    let mut out = Vec::with_capacity(pod_scopes.len() + 2);
    for (pi, l, tp) in pod_scopes {
        let Some(kill_order) = finished.next() else {
            break;
        };
        let (sandbox, key_len) = m.pods.get(pi).map_or((0, 0), |p| (p.sandbox, p.key_len));
        out.push(OomScopeReport {
            scope: OomScope::Pod,
            name: m.ids.name_prefix(sandbox, key_len),
            limit_bytes: l,
            totalpages: tp,
            kill_order,
            swap_pages: 0,
            page_size: ps,
        });
    }
    if let Some((l, tp)) = kubepods_tp {
        if let Some(kill_order) = finished.next() {
            out.push(OomScopeReport {
                scope: OomScope::Kubepods,
                name: kubepods,
                limit_bytes: l,
                totalpages: tp,
                kill_order,
                swap_pages,
                page_size: ps,
            });
        }
    }
    out.push(OomScopeReport {
        scope: OomScope::Node,
        name: node,
        limit_bytes: m.capacity_bytes,
        totalpages: node_order.totalpages(),
        kill_order: node_order.clone(),
        swap_pages,
        page_size: ps,
    });
    out
}

/// The calls into the kubelet-rule modules that need adapting (presets, the pod-level limit,
/// memory QoS parameters).
mod adapt {
    use super::{err, ScenarioError};
    use crate::allocatable::NodeAllocatable;
    use crate::message::Message;
    use crate::pod::{Container, Pod};
    use crate::quantity::QuantityRecord;
    use crate::resources::LimitWhy;
    use crate::rules::KubeletRules;
    use crate::scenario::{KubeletConfig, Scenario};
    use std::borrow::Cow;

    /// Preset → effective kubelet configuration (`presets.rs`): the preset fills what the
    /// scenario's kubeletConfig leaves unset. Also the preset's formula line and its message.
    #[allow(clippy::type_complexity)]
    pub fn apply_preset<'a>(
        s: &'a Scenario,
        rules: &KubeletRules,
    ) -> Result<(Cow<'a, KubeletConfig>, Option<String>, Option<Message>), ScenarioError> {
        match &s.node.preset {
            None => Ok((Cow::Borrowed(&s.node.kubelet_config), None, None)),
            Some(p) => {
                let preset = crate::presets::apply_preset_for_version(
                    p,
                    s.node.memory.value(),
                    s.node.max_pods,
                    rules.version,
                )
                .map_err(|m| err("node.preset", m))?;
                let cfg = preset.fill(&s.node.kubelet_config);
                Ok((
                    Cow::Owned(cfg),
                    Some(preset.formula_line()),
                    Some(preset.message),
                ))
            }
        }
    }

    /// Container `memory.max`: its limit, or with pod-level resources and no container limit the
    /// pod-level limit (`getMemoryLimit`, `pkg/kubelet/kuberuntime/kuberuntime_container_linux.go`).
    pub fn container_limit(
        pod: &Pod,
        c: &Container,
        rules: &KubeletRules,
    ) -> (Option<i64>, LimitWhy) {
        let (l, why) = LimitWhy::of(c);
        if l.is_none() && crate::resources::is_pod_level_resources_set(pod, rules) {
            if let Some(pl) = crate::resources::pod_level_resources(pod, rules)
                .and_then(|r| r.limits.memory)
                .filter(|q| !q.is_zero())
            {
                return (Some(pl.value()), LimitWhy::FromPod(QuantityRecord::of(&pl)));
            }
        }
        (l, why)
    }

    /// Memory QoS settings of the node (`memory_qos.rs`).
    pub fn memory_qos_params(
        rules: &KubeletRules,
        cfg: &KubeletConfig,
        cgroup_version: u8,
        page_size: i64,
        na: &NodeAllocatable,
    ) -> Result<crate::memory_qos::MemoryQosParams, ScenarioError> {
        crate::memory_qos::MemoryQosParams::resolve(
            rules,
            cfg,
            cgroup_version,
            u64::try_from(page_size).unwrap_or(4096),
            na.node_allocatable_absolute_bytes,
        )
        .map_err(|m| match m.split_once(": ") {
            Some((path, msg)) if path.starts_with("node.") => err(path, msg),
            _ => err("node.kubeletConfig", m),
        })
    }
}

/// The per-pod numbers of the fast path, computed without copying the pod or building any text:
/// the same arithmetic as `resources.rs` (`SetDefaults_Pod`, `AggregateContainerRequests`,
/// `PodLimits`, `ResourceConfigForPod`), `qos.rs` (`ComputePodQOS`) and `oom_score_adj.rs`
/// (`GetContainerOOMScoreAdjust`) for pods without effective pod-level resources; pods with them
/// take the general functions (see [`numbers::pod`]). `tests/evaluate_numbers.rs` checks that both
/// paths give the same evaluation, derivations included, on every example scenario.
mod numbers {
    use crate::critical::is_node_critical_pod;
    use crate::oom_score_adj::{burstable_adj_by_rule, AdjCase};
    use crate::pod::{Container, ContainerKind, Pod};
    use crate::qos::QosClass;
    use crate::quantity::{Quantity, QuantityRecord};
    use crate::rules::KubeletRules;
    use crate::rules::SidecarOomRule;

    /// How the pod's QoS class was obtained.
    #[derive(Debug, Clone, PartialEq)]
    pub enum QosWhy {
        /// `status.qosClass`.
        Status(QosClass),
        /// `ComputePodQOS` over containers + init containers: whether every container had cpu and
        /// memory limits, and the positive sums (requests cpu, memory; limits cpu, memory).
        Computed {
            class: QosClass,
            all_limited: bool,
            sums: [Option<QuantityRecord>; 4],
        },
    }

    /// What evaluate needs of one pod.
    pub struct PodNumbers {
        pub qos: QosClass,
        pub qos_why: QosWhy,
        /// `AggregateContainerRequests(memory)`.
        pub base_request: i64,
        /// `overhead.memory`.
        pub overhead: i64,
        /// The request eviction ranks by.
        pub request: i64,
        pub pod_limit: Option<i64>,
    }

    /// A running sum of quantities that copies nothing until a second term arrives (most pods
    /// have one container).
    #[derive(Clone, Copy)]
    enum Acc<'a> {
        Empty,
        One(&'a Quantity),
        Sum(Quantity),
    }

    impl<'a> Acc<'a> {
        #[inline(always)]
        fn add(&mut self, q: Option<&'a Quantity>) {
            let Some(q) = q else { return };
            if let Acc::Empty = self {
                *self = Acc::One(q);
            } else {
                self.add_more(q);
            }
        }

        /// The second and later terms (out of line: most pods have one container).
        #[inline(never)]
        fn add_more(&mut self, q: &Quantity) {
            match self {
                Acc::Empty => {}
                Acc::One(a) => {
                    let sum = a.saturating_add(q);
                    *self = Acc::Sum(sum);
                }
                Acc::Sum(a) => *a = a.saturating_add(q),
            }
        }

        /// `self + other`.
        fn add_acc(&mut self, other: Acc<'a>) {
            match other {
                Acc::Empty => {}
                Acc::One(q) => self.add(Some(q)),
                Acc::Sum(q) => match self {
                    Acc::Empty => *self = Acc::Sum(q),
                    Acc::One(a) => {
                        let sum = a.saturating_add(&q);
                        *self = Acc::Sum(sum);
                    }
                    Acc::Sum(a) => *a = a.saturating_add(&q),
                },
            }
        }

        /// `max(self, q)` (apimachinery `Cmp`; the current value stays on equality).
        fn max(&mut self, q: Acc<'a>) {
            let Some(qv) = q.get() else { return };
            match self.get() {
                Some(cur) if *cur >= *qv => {}
                _ => *self = q,
            }
        }

        fn get(&self) -> Option<&Quantity> {
            match self {
                Acc::Empty => None,
                Acc::One(q) => Some(q),
                Acc::Sum(q) => Some(q),
            }
        }
    }

    /// `effective_kind` with the sidecar gate already read.
    pub fn kind(c: &Container, sidecars: bool) -> ContainerKind {
        match c.kind {
            ContainerKind::Sidecar if !sidecars => ContainerKind::Init,
            k => k,
        }
    }

    /// `aggregateContainerResourcesByFn` for memory only.
    fn aggregate<'a>(
        pod: &'a Pod,
        sidecars: bool,
        pick: impl Fn(&'a Container) -> Option<&'a Quantity>,
    ) -> Acc<'a> {
        let mut result = Acc::Empty;
        for c in &pod.containers {
            result.add(pick(c));
        }
        let mut restartable = Acc::Empty;
        let mut init_max = Acc::Empty;
        for c in &pod.init_containers {
            let r = pick(c);
            let used = if kind(c, sidecars) == ContainerKind::Sidecar {
                result.add(r);
                restartable.add(r);
                restartable
            } else {
                let mut combined = match r {
                    Some(q) => Acc::One(q),
                    None => Acc::Empty,
                };
                combined.add_acc(restartable);
                combined
            };
            init_max.max(used);
        }
        result.max(init_max);
        result
    }

    /// [`aggregate`]`.value()` in i64 when every quantity involved is a whole number and no sum
    /// overflows (then the exact sum's value is the sum of the values); `None` otherwise, and the
    /// caller takes the exact path. The inner `Option` is `None` when no container sets it.
    fn aggregate_value(
        pod: &Pod,
        sidecars: bool,
        pick: impl Fn(&Container) -> Option<&Quantity>,
    ) -> Option<Option<i64>> {
        fn add(into: &mut Option<i64>, v: Option<i64>) -> Option<()> {
            if let Some(v) = v {
                *into = Some(match *into {
                    Some(cur) => cur.checked_add(v)?,
                    None => v,
                });
            }
            Some(())
        }
        fn max(into: &mut Option<i64>, v: Option<i64>) {
            if let Some(v) = v {
                match *into {
                    Some(cur) if cur >= v => {}
                    _ => *into = Some(v),
                }
            }
        }
        let value = |c: &Container| -> Option<Option<i64>> {
            match pick(c) {
                None => Some(None),
                Some(q) => q.exact_i64().map(Some),
            }
        };
        let mut result = None;
        for c in &pod.containers {
            add(&mut result, value(c)?)?;
        }
        let mut restartable: Option<i64> = None;
        let mut init_max = None;
        for c in &pod.init_containers {
            let r = value(c)?;
            let used = if kind(c, sidecars) == ContainerKind::Sidecar {
                add(&mut result, r)?;
                add(&mut restartable, r)?;
                restartable
            } else {
                let mut combined = r;
                add(&mut combined, restartable)?;
                combined
            };
            max(&mut init_max, used);
        }
        max(&mut result, init_max);
        Some(result)
    }

    fn limit_of(c: &Container) -> Option<&Quantity> {
        c.resources.limits.memory.as_ref()
    }

    fn defaulted_request(c: &Container) -> Option<&Quantity> {
        c.resources
            .requests
            .memory
            .as_ref()
            .or(c.resources.limits.memory.as_ref())
    }

    fn positive(q: Option<&Quantity>) -> Option<&Quantity> {
        q.filter(|q| q.is_positive())
    }

    /// `ComputePodQOS` at container level on the defaulted pod, with what its derivation names.
    fn qos(pod: &Pod) -> QosWhy {
        let (mut rc, mut rm, mut lc, mut lm) = (Acc::Empty, Acc::Empty, Acc::Empty, Acc::Empty);
        let mut guaranteed = true;
        for c in pod.containers.iter().chain(pod.init_containers.iter()) {
            let r = &c.resources;
            rc.add(positive(r.requests.cpu.as_ref().or(r.limits.cpu.as_ref())));
            rm.add(positive(
                r.requests.memory.as_ref().or(r.limits.memory.as_ref()),
            ));
            let (pc, pm) = (
                positive(r.limits.cpu.as_ref()),
                positive(r.limits.memory.as_ref()),
            );
            if pc.is_none() || pm.is_none() {
                guaranteed = false;
            }
            lc.add(pc);
            lm.add(pm);
        }
        let (rc, rm, lc, lm) = (rc.get(), rm.get(), lc.get(), lm.get());
        let class = if rc.is_none() && rm.is_none() && lc.is_none() && lm.is_none() {
            QosClass::BestEffort
        } else {
            let eq = |r: Option<&Quantity>, l: Option<&Quantity>| r.is_none() || r == l;
            let len = |a: Option<&Quantity>, b: Option<&Quantity>| {
                usize::from(a.is_some()) + usize::from(b.is_some())
            };
            if guaranteed && eq(rc, lc) && eq(rm, lm) && len(rc, rm) == len(lc, lm) {
                QosClass::Guaranteed
            } else {
                QosClass::Burstable
            }
        };
        let rec = |q: Option<&Quantity>| q.map(QuantityRecord::of);
        QosWhy::Computed {
            class,
            all_limited: guaranteed,
            sums: [rec(rc), rec(rm), rec(lc), rec(lm)],
        }
    }

    /// The pod's numbers, or `None` when pod-level resources apply (the caller then uses the
    /// general functions). `pod_level_gate` is the PodLevelResources gate.
    pub fn pod(pod: &Pod, pod_level_gate: bool, sidecars: bool) -> Option<PodNumbers> {
        if pod_level_gate && pod.resources.is_some() {
            return None;
        }
        let qos_why = match pod.status_qos_class.as_deref().and_then(QosClass::parse) {
            Some(q) => QosWhy::Status(q),
            None => qos(pod),
        };
        let qos = match &qos_why {
            QosWhy::Status(q) | QosWhy::Computed { class: q, .. } => *q,
        };
        let base = match aggregate_value(pod, sidecars, defaulted_request) {
            Some(v) => v.unwrap_or(0),
            None => aggregate(pod, sidecars, defaulted_request)
                .get()
                .map_or(0, Quantity::value),
        };
        let overhead = pod.overhead.memory.map_or(0, |q| q.value());
        let request = if base != 0 {
            base.saturating_add(overhead)
        } else {
            base
        };
        let all_limited = pod
            .all_containers()
            .all(|c| c.resources.limits.memory.is_some_and(|q| !q.is_zero()));
        let pod_limit = all_limited.then(|| {
            let fast = aggregate_value(pod, sidecars, limit_of).and_then(|l| {
                match (l, pod.overhead.memory.as_ref()) {
                    (Some(cur), Some(o)) if cur != 0 => cur.checked_add(o.exact_i64()?),
                    (l, _) => Some(l.unwrap_or(0)),
                }
            });
            fast.unwrap_or_else(|| {
                let l = aggregate(pod, sidecars, limit_of);
                match (l.get(), pod.overhead.memory.as_ref()) {
                    (Some(cur), Some(o)) if !cur.is_zero() => cur.saturating_add(o).value(),
                    (l, _) => l.map_or(0, Quantity::value),
                }
            })
        });
        Some(PodNumbers {
            qos,
            qos_why,
            base_request: base,
            overhead,
            request,
            pod_limit,
        })
    }

    /// Container limit (`None` = unlimited, also for 0).
    pub fn container_limit(c: &Container) -> Option<i64> {
        c.resources
            .limits
            .memory
            .as_ref()
            .filter(|q| !q.is_zero())
            .map(Quantity::value)
    }

    /// Container request after defaulting (0 when unset).
    pub fn container_request(c: &Container) -> i64 {
        defaulted_request(c).map_or(0, Quantity::value)
    }

    /// `GetContainerOOMScoreAdjust` for a pod without pod-level resources; `request` is the
    /// container's [`container_request`], `critical` is `IsCriticalPod`.
    #[allow(clippy::too_many_arguments)]
    pub fn adj(
        pod: &Pod,
        c: &Container,
        request: i64,
        qos: QosClass,
        capacity: i64,
        rules: &KubeletRules,
        sidecars: bool,
        sidecar_rule: SidecarOomRule,
        critical: bool,
    ) -> (i64, AdjCase) {
        let g = rules.guaranteed_oom_score_adj();
        if is_node_critical_pod(pod) {
            return (g, AdjCase::NodeCritical { adj: g });
        }
        match qos {
            QosClass::Guaranteed => return (g, AdjCase::Guaranteed { adj: g }),
            QosClass::BestEffort => {
                let b = rules.besteffort_oom_score_adj();
                return (b, AdjCase::BestEffort { adj: b, critical });
            }
            QosClass::Burstable => {}
        }
        let sidecar = kind(c, sidecars) == ContainerKind::Sidecar
            && pod.init_containers.iter().any(|i| i.name == c.name);
        let min_req = if sidecar {
            pod.containers.iter().map(container_request).min()
        } else {
            None
        };
        burstable_adj_by_rule(
            request,
            None,
            capacity,
            sidecar,
            min_req,
            critical,
            sidecar_rule,
            rules,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{split_usage_key, PodIndex};

    /// `split_usage_key` accepts exactly the keys `check_usage_key` accepts, and splits them at
    /// the first two `/`.
    #[test]
    fn split_usage_key_agrees_with_check_usage_key() {
        let keys = [
            "a/b",
            "a/b/c",
            "ns/pod/ctr",
            "a",
            "",
            "/",
            "//",
            "a/",
            "/b",
            "a//c",
            "a/b/",
            "a/b/c/d",
            " /b",
            "a/ /c",
            "a/b/ ",
            "a /b",
            "名前/ポッド/c",
            "a\u{3000}/b",
            "\t/b",
            "a/b/c/",
            "long-namespace-name/long-pod-name-0123456789/container-with-a-long-name",
        ];
        for k in keys {
            let split = split_usage_key(k);
            assert_eq!(
                split.is_some(),
                crate::scenario::check_usage_key(k).is_ok(),
                "{k:?}"
            );
            if let Some((pod, container)) = split {
                let mut parts = k.splitn(3, '/');
                let (ns, name) = (parts.next().unwrap(), parts.next().unwrap());
                assert_eq!(pod, format!("{ns}/{name}"), "{k:?}");
                assert_eq!(container, parts.next(), "{k:?}");
            }
        }
    }

    /// `find_slash` is the first `/` at or after `from`, for every length, position and
    /// neighbouring byte (bytes one below and above `/`, 0, 0x80 and 0xff around it).
    #[test]
    fn find_slash_is_the_first_slash() {
        let naive = |b: &[u8], from: usize| {
            b.get(from..)
                .and_then(|r| r.iter().position(|&x| x == b'/'))
                .map(|k| from + k)
        };
        for len in 0..=27usize {
            for fill in [b'a', b'.', b'0', 0u8, 0x80, 0xff] {
                for slashes in [vec![], vec![0], vec![len / 2], vec![len / 3, len / 2 + 1]] {
                    let mut b = vec![fill; len];
                    for &k in &slashes {
                        if let Some(x) = b.get_mut(k) {
                            *x = b'/';
                        }
                    }
                    for from in 0..=len + 1 {
                        assert_eq!(
                            super::find_slash(&b, from),
                            naive(&b, from),
                            "{b:?} from {from}"
                        );
                    }
                }
            }
        }
    }

    /// `same_bytes` is `==` for every length up to 40 and a difference at any position.
    #[test]
    fn same_bytes_is_equality() {
        for len in 0..=40usize {
            let a: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(super::same_bytes(&a, &a.clone()));
            assert!(!super::same_bytes(&a, &a[..len.saturating_sub(1)]) || len == 0);
            for k in 0..len {
                let mut b = a.clone();
                b[k] ^= 0x20;
                assert!(!super::same_bytes(&a, &b), "len {len} differs at {k}");
            }
        }
    }

    /// Every inserted key is found at its index; absent keys and keys differing only in length or
    /// in their last bytes are not; a second insert of a key is refused.
    #[test]
    fn pod_index_finds_exactly_its_keys() {
        let owned: Vec<String> = (0..300)
            .map(|i| format!("ns{}/p{}{}", i % 7, i, "x".repeat(i % 19)))
            .chain((0..17).map(|n| "a".repeat(n)))
            .collect();
        let mut index = PodIndex::with_capacity(owned.len());
        for k in &owned {
            assert!(index.insert(k), "{k:?}");
        }
        for (i, k) in owned.iter().enumerate() {
            assert_eq!(index.get(k), Some(i), "{k:?}");
            assert!(!index.insert(k), "{k:?} inserted twice");
            assert_eq!(index.get(&format!("{k}\0")), None);
            assert_eq!(index.get(&format!("{k}y")), None);
        }
        assert_eq!(index.get("a".repeat(17).as_str()), None);
        assert_eq!(index.get("ns0/p1"), None);
    }
}
