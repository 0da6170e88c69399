//! The reports an evaluation is made of — node, thresholds, pods, containers, OOM scopes — and
//! the rendering of their derivations and English sentences from the records they keep. The
//! field names are the stable JSON contract of `oomlens calc --format json` (docs/calc-json.md):
//! fields may be added, never renamed.

use crate::api::pod::ContainerKind;
use crate::base::derivation::Derivation;
use crate::base::message::Message;
use crate::base::name::Name;
use crate::kernel::badness::{OomScope, ProcScoreWhy};
use crate::kernel::kill_order::KillOrder;
use crate::kubelet::allocatable::NodeAllocatable;
use crate::kubelet::eviction::{self, RankInput};
use crate::kubelet::memory_qos::MqWhy;
use crate::kubelet::oom_score_adj::AdjWhy;
use crate::kubelet::presets::PresetOverride;
use crate::kubelet::qos::QosWhy;
use crate::kubelet::resources::{LimitWhy, PodLimitWhy, PodRequestWhy, RequestWhy};
use crate::kubelet::rules::KubeletVersion;
use crate::kubelet::thresholds::{self, ThresholdKind, ThresholdValue};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::sync::Arc;

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
pub(super) struct NodeWhy {
    /// How the preset decided kube-reserved, when a preset is set.
    pub preset: Vec<Derivation>,
    pub allocatable: NodeAllocatable,
    pub hard: Option<ThresholdValue>,
    pub cgroups_per_qos: bool,
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
    /// Values the scenario sets in the preset's place (the scenario's value applies).
    pub preset_overrides: Vec<PresetOverride>,
    /// The allocatable memory the node itself reported (`node.reportedAllocatable`), shown beside
    /// [`NodeReport::allocatable_bytes`]; never used in its place.
    pub reported_allocatable_bytes: Option<i64>,
    pub(super) why: NodeWhy,
}

impl NodeReport {
    /// The hard `memory.available` threshold in bytes, when one is set.
    pub fn hard_memory_available_bytes(&self) -> Option<i64> {
        self.thresholds
            .iter()
            .find(|t| {
                t.signal == "memory.available"
                    && t.kind == crate::kubelet::thresholds::ThresholdKind::Hard
            })
            .map(|t| t.bytes)
    }

    /// How the numbers were obtained.
    pub fn derivations(&self) -> Vec<Derivation> {
        let mut out = self.why.preset.clone();
        out.extend(crate::kubelet::allocatable::node_allocatable_derivations(
            &self.why.allocatable,
            self.why.hard.as_ref(),
            self.why.cgroups_per_qos,
        ));
        out
    }
}

impl Serialize for NodeReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("NodeReport", 11)?;
        st.serialize_field("capacity_bytes", &self.capacity_bytes)?;
        st.serialize_field("kube_reserved_bytes", &self.kube_reserved_bytes)?;
        st.serialize_field("system_reserved_bytes", &self.system_reserved_bytes)?;
        st.serialize_field("hard_eviction_bytes", &self.hard_eviction_bytes)?;
        st.serialize_field("allocatable_bytes", &self.allocatable_bytes)?;
        st.serialize_field(
            "reported_allocatable_bytes",
            &self.reported_allocatable_bytes,
        )?;
        st.serialize_field("kubepods_limit_bytes", &self.kubepods_limit_bytes)?;
        st.serialize_field("thresholds", &self.thresholds)?;
        st.serialize_field("preset", &self.preset)?;
        st.serialize_field("preset_overrides", &self.preset_overrides)?;
        st.serialize_field("derivations", &self.derivations())?;
        st.end()
    }
}

/// What a container's derivations are rendered from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ContainerWhy {
    pub adj: AdjWhy,
    pub request: RequestWhy,
    pub limit: LimitWhy,
    pub memory_qos: MqWhy,
    /// Running containers: whole-node badness and `/proc/PID/oom_score`.
    pub proc_score: Option<ProcScoreWhy>,
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
    pub(super) why: ContainerWhy,
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

/// The containers of one pod (init containers first): a range of one list shared by every pod
/// of an evaluation. Dereferences to the slice; serialises as a list. One allocation for all the
/// pods' containers instead of one per pod (110 fewer allocations per keystroke on the 110-pod
/// example); models nothing upstream.
#[derive(Clone, Default)]
pub struct Containers {
    all: Option<Arc<Vec<ContainerReport>>>,
    start: usize,
    end: usize,
}

impl Containers {
    /// The containers.
    pub fn as_slice(&self) -> &[ContainerReport] {
        self.all
            .as_ref()
            .and_then(|a| a.get(self.start..self.end))
            .unwrap_or(&[])
    }

    /// `start..end` of the shared list, which [`Containers::attach`] gives later.
    pub(super) fn range(start: usize, end: usize) -> Self {
        Containers {
            all: None,
            start,
            end,
        }
    }

    /// The shared list this range is of.
    pub(super) fn attach(&mut self, all: &Arc<Vec<ContainerReport>>) {
        self.all = Some(Arc::clone(all));
    }
}

impl From<Vec<ContainerReport>> for Containers {
    fn from(v: Vec<ContainerReport>) -> Self {
        let end = v.len();
        Containers {
            all: Some(Arc::new(v)),
            start: 0,
            end,
        }
    }
}

impl std::ops::Deref for Containers {
    type Target = [ContainerReport];
    fn deref(&self) -> &[ContainerReport] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a Containers {
    type Item = &'a ContainerReport;
    type IntoIter = std::slice::Iter<'a, ContainerReport>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl PartialEq for Containers {
    fn eq(&self, other: &Containers) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::fmt::Debug for Containers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for Containers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}
/// What a pod's QoS, request and limit derivations are rendered from (with the names, requests
/// and limits of the report's containers).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PodWhy {
    pub qos: QosWhy,
    pub request: PodRequestWhy,
    pub limit: PodLimitWhy,
    pub version: KubeletVersion,
    pub pod_level_gate: bool,
    /// Its admission: whether its request fits, and the numbers compared.
    pub fit: crate::kubelet::resource_fit::Fit,
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
    /// Its rank ties with the previous evictable pod's (the `eviction.rank.tied` clause).
    pub(super) eviction_tied_with_previous: bool,
    /// The pod cgroup's `memory.max` (`None` = unlimited).
    pub memory_limit_bytes: Option<i64>,
    /// `IsCriticalPod`.
    pub critical: bool,
    /// Its memory request fits what allocatable leaves after the pods listed before it
    /// ([`crate::kubelet::resource_fit`]); false: the scheduler leaves it Pending.
    pub schedulable: bool,
    /// Containers (init containers first).
    pub containers: Containers,
    pub(super) why: PodWhy,
}

impl PodReport {
    /// Why it ranks where it does / why it is never evicted (English).
    pub fn eviction_reason(&self) -> String {
        crate::base::message::join_english_model(&self.eviction_messages())
    }

    /// Why it ranks where it does / why it is never evicted, as structured clauses (ids
    /// `eviction.rank.*`, [`eviction::rank_messages`]) rendered from the pod's usage, request,
    /// priority and criticality; [`PodReport::eviction_reason`] is their English joined by `"; "`.
    pub fn eviction_messages(&self) -> Vec<Message> {
        if !self.schedulable {
            return vec![Message::plain("eviction.rank.pending")];
        }
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
        let w = &self.why;
        let containers = self.containers.as_slice();
        let regular = containers
            .iter()
            .filter(|c| c.kind == ContainerKind::Container)
            .map(|c| (c.name.as_str(), c.memory_request_bytes));
        let init = containers
            .iter()
            .filter(|c| c.kind != ContainerKind::Container)
            .map(|c| {
                (
                    c.name.as_str(),
                    c.kind == ContainerKind::Sidecar,
                    c.memory_request_bytes,
                )
            });
        let unlimited = containers
            .iter()
            .filter(|c| c.memory_limit_bytes.is_none())
            .map(|c| c.name.as_str());
        vec![
            w.qos.derivation(w.version, w.pod_level_gate),
            w.request
                .derivation(regular, init, self.memory_request_bytes),
            w.limit.derivation(self.memory_limit_bytes, unlimited),
            if self.schedulable {
                eviction::rank_derivation_of(self.eviction_rank.is_none(), self.eviction_reason())
            } else {
                crate::kubelet::resource_fit::derivation(&w.fit)
            },
        ]
    }
}

impl Serialize for PodReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PodReport", 15)?;
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
        st.serialize_field("schedulable", &self.schedulable)?;
        st.serialize_field("containers", &self.containers)?;
        st.serialize_field("derivations", &self.derivations())?;
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
    pub(super) swap_pages: i64,
    pub(super) page_size: i64,
}

impl OomScopeReport {
    /// How `totalpages` was obtained.
    pub fn derivations(&self) -> Vec<Derivation> {
        vec![crate::kernel::badness::totalpages_derivation(
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
