//! The result of reading an incident paste, and [`explain`], the whole operation.
//! Field names are the stable JSON contract of `oomlens explain --format json` (README):
//! fields may be added, never renamed. Unknown values are `None` (JSON `null`), never guessed.

use serde::Serialize;

pub use crate::diag::dmesg::event::{KernelChoice, OomEvent, TaskRow, Victim};
pub use crate::diag::dmesg::group::OomEventGroup;
pub use crate::diag::finding::{Finding, Severity};
pub use crate::diag::input::{InputBlock, InputKind};
pub use crate::diag::memory_stat::MemoryStatReport;

/// Everything read from a paste.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Explanation {
    /// Recognised blocks.
    pub inputs: Vec<InputBlock>,
    /// Kernel OOM events: one per group of repeated kills, the group's first (see
    /// [`Explanation::oom_event_groups`]).
    pub oom_events: Vec<OomEvent>,
    /// For each of [`Explanation::oom_events`] (same order), the kills it stands for: how many,
    /// their lines, times and victim PIDs (`count` 1 for a kill seen once).
    pub oom_event_groups: Vec<OomEventGroup>,
    /// memory.stat readings.
    pub memory_stats: Vec<MemoryStatReport>,
    /// Conclusions.
    pub findings: Vec<Finding>,
    /// Memory-related rows of `kubectl get events` (Evicted, OOMKilling, SystemOOM,
    /// EvictionThresholdMet, NodeHasInsufficientMemory).
    pub cluster_events: Vec<crate::diag::events_table::ClusterEvent>,
    /// systemd-oomd kills.
    pub oomd_kills: Vec<crate::diag::oomd::OomdKill>,
    /// systemd (PID 1) lines about kernel OOM kills in its units.
    pub unit_ooms: Vec<crate::diag::unit_oom::UnitOom>,
    /// `kubectl describe pod` readings and pod status objects.
    pub describe_pods: Vec<crate::diag::describe::DescribePod>,
    /// `kubectl describe node` readings.
    pub describe_nodes: Vec<crate::diag::describe::DescribeNode>,
    /// Kubelet eviction messages.
    pub evictions: Vec<crate::diag::eviction_message::EvictionMessage>,
    /// For each of [`Explanation::oom_events`] (same order), the pod it killed in as a pasted
    /// `kubectl describe pod` names it (by container id or pod UID), if any.
    pub event_pods: Vec<Option<named::NamedPod>>,
    /// For each of [`Explanation::evictions`] (same order), the pod whose describe output holds
    /// the message, if any.
    pub eviction_pods: Vec<Option<named::NamedPod>>,
    /// Kubelet configurations (YAML, /configz, flags).
    pub kubelet_configs: Vec<crate::diag::kubelet_config::KubeletConfigReading>,
    /// Pods read from manifests (by the model's pod reader).
    pub pods: Vec<crate::api::pod::Pod>,
    /// A scenario for the calculator, when the paste holds node capacity plus pods and/or a kubelet configuration.
    pub scenario: Option<crate::scenario::Scenario>,
    /// The same scenario in the scenario file format (`docs/scenario-format.md`), for "Open in calculator" and `oomlens calc`.
    pub scenario_yaml: Option<String>,
}

/// Reads a paste and explains what happened. Never panics; linear in the input.
pub fn explain(text: &str) -> Explanation {
    orchestrate::run(text)
}

pub mod named;
mod node_findings;
mod orchestrate;
mod pod_findings;
mod scenario_from;
