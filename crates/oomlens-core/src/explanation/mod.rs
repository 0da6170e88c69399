//! The result of reading an incident paste, and [`explain`], the whole operation.
//! Field names are the stable JSON contract of `oomlens explain --format json` (README):
//! fields may be added, never renamed. Unknown values are `None` (JSON `null`), never guessed.

use serde::Serialize;

pub use crate::diag::dmesg::event::{
    ChoiceReason, KernelChoice, OomEvent, TaskRow, Victim, CHOICE_REASONS,
};
pub use crate::diag::finding::{Finding, Severity};
pub use crate::diag::input::{InputBlock, InputKind};
pub use crate::diag::memory_stat::MemoryStatReport;

/// Everything read from a paste.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Explanation {
    /// Recognised blocks.
    pub inputs: Vec<InputBlock>,
    /// Kernel OOM events.
    pub oom_events: Vec<OomEvent>,
    /// memory.stat readings.
    pub memory_stats: Vec<MemoryStatReport>,
    /// Conclusions.
    pub findings: Vec<Finding>,
    /// systemd-oomd kills.
    pub oomd_kills: Vec<crate::diag::oomd::OomdKill>,
    /// `kubectl describe pod` readings and pod status objects.
    pub describe_pods: Vec<crate::diag::describe::DescribePod>,
    /// `kubectl describe node` readings.
    pub describe_nodes: Vec<crate::diag::describe::DescribeNode>,
    /// Kubelet eviction messages.
    pub evictions: Vec<crate::diag::eviction_message::EvictionMessage>,
    /// Kubelet configurations (YAML, /configz, flags).
    pub kubelet_configs: Vec<crate::diag::kubelet_config::KubeletConfigReading>,
    /// Pods read from manifests (by the model's pod reader).
    pub pods: Vec<crate::api::pod::Pod>,
    /// A scenario for the calculator, when the paste holds node capacity plus pods and/or a kubelet configuration.
    pub scenario: Option<crate::scenario::Scenario>,
    /// The same scenario in the scenario file format (`docs/scenario-format.md`), for "Open in calculator" and `oomlens calc`.
    pub scenario_yaml: Option<String>,
}

/// Every finding `id` the core can emit (kernel reader, oomd, memory.stat, describe, eviction
/// messages, kubelet configuration, cross-links). The UI's catalogue must translate each one;
/// `tests/finding_ids.rs` checks that every id emitted on the fixtures is listed here.
pub const FINDING_IDS: &[&str] = &[
    "crosslink.kernel_report_for_container",
    "crosslink.system_oom_kernel_report",
    "eviction.no_offenders",
    "eviction.node_pressure",
    "eviction.offender",
    "eviction.ranking",
    "input.nothing_recognised",
    "input.pod_manifest_unreadable",
    "input.unparsable_document",
    "k8s.collateral",
    "k8s.oomkilled",
    "k8s.process_killed",
    "kubelet_config.flags_override",
    "kubelet_config.memory",
    "kubelet_config.no_cgroups_per_qos",
    "kubelet_config.no_memory_hard_threshold",
    "kubelet_config.no_pods_enforcement",
    "kubelet_config.soft_without_grace",
    "kubelet_config.unreadable",
    "memory_stat.active_file_in_working_set",
    "memory_stat.kernel_memory",
    "memory_stat.max_events",
    "memory_stat.near_limit",
    "memory_stat.no_usage",
    "memory_stat.oom_kills",
    "memory_stat.read",
    "memory_stat.reclaimable",
    "memory_stat.shmem",
    "memory_stat.slab_reclaimable",
    "memory_stat.sock",
    "memory_stat.swap",
    "memory_stat.usage_near_limit_cache",
    "memory_stat.v1_usage_fuzz",
    "memory_stat.working_set",
    "node.allocatable",
    "node.eviction_threshold_met",
    "node.insufficient_memory",
    "node.limits_overcommitted",
    "node.memory_pressure",
    "node.oom_killing",
    "node.system_oom",
    "oom.allocating_task",
    "oom.cannot_prove",
    "oom.child_sacrificed",
    "oom.choice_agrees",
    "oom.choice_differs",
    "oom.choice_unknown",
    "oom.choice_without_victim",
    "oom.container_limit",
    "oom.cpuset",
    "oom.kubepods_limit",
    "oom.memcg_limit",
    "oom.mempolicy",
    "oom.no_task_table",
    "oom.node",
    "oom.non_pod_victim",
    "oom.pod_limit",
    "oom.protected_victim",
    "oom.qos_limit",
    "oom.sysrq",
    "oom.unknown",
    "oomd.kill",
    "oomd.kubernetes",
    "pod.container_oomkilled",
    "pod.container_sigkill",
    "pod.container_terminated",
    "pod.evicted",
    "pod.no_memory_limit",
    "pod.oom_event",
    "pod.qos",
    "scenario.available",
];

/// Reads a paste and explains what happened. Never panics; linear in the input.
pub fn explain(text: &str) -> Explanation {
    orchestrate::run(text)
}

mod orchestrate;
