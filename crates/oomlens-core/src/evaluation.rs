//! The result of evaluating a scenario, and [`evaluate`], the whole operation.
//! The field names below are the stable JSON contract of `oomlens calc --format json`
//! (documented in the README): fields may be added, never renamed.

use crate::derivation::Derivation;
use crate::pod::ContainerKind;
use crate::scenario::Scenario;
use serde::Serialize;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// Node-level results.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The preset used, if any, with its formula.
    pub preset: Option<String>,
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// Per-container results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerReport {
    /// Container name.
    pub name: String,
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
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// Per-pod results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodReport {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    pub qos_class: String,
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
    /// Why it ranks where it does / why it is never evicted.
    pub eviction_reason: String,
    /// Containers (init containers first).
    pub containers: Vec<ContainerReport>,
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// The evaluation of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The kubelet version whose rules applied.
    pub kubelet_version: String,
    /// Node results.
    pub node: NodeReport,
    /// Pod results, in scenario order.
    pub pods: Vec<PodReport>,
    /// Eviction order under memory pressure (`ns/name`).
    pub eviction_order: Vec<String>,
    /// Kernel kill order for a whole-node OOM (`ns/name/container`).
    pub node_oom_kill_order: Vec<String>,
    /// Notes about the scenario (e.g. rules that are unverified for this version).
    pub notes: Vec<String>,
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

/// Evaluates a scenario: every number kubelet and the kernel would produce for it.
pub fn evaluate(_scenario: &Scenario) -> Result<Evaluation, ScenarioError> {
    Err(ScenarioError { path: String::new(), line: None, message: "evaluate: not implemented yet".into() })
}
