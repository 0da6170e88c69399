//! The scenario format shared by the CLI, app import/export and share links: node, kubelet
//! configuration, pods and observed usage (YAML or JSON; documented in the README).

use crate::pod::Pod;
use crate::quantity::Quantity;
use serde::Serialize;
use std::collections::BTreeMap;

/// The subset of `KubeletConfiguration` (kubelet.config.k8s.io/v1beta1) that decides memory behaviour.
/// Values keep the config file's textual form; `thresholds`/`allocatable` parse and validate them
/// with kubelet's rules and errors.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeletConfig {
    /// `kubeReserved` (resource → quantity).
    pub kube_reserved: BTreeMap<String, String>,
    /// `systemReserved` (resource → quantity).
    pub system_reserved: BTreeMap<String, String>,
    /// `evictionHard` (signal → quantity or percentage); `None` means kubelet's defaults.
    pub eviction_hard: Option<BTreeMap<String, String>>,
    /// `evictionSoft`.
    pub eviction_soft: BTreeMap<String, String>,
    /// `evictionSoftGracePeriod` (signal → Go duration).
    pub eviction_soft_grace_period: BTreeMap<String, String>,
    /// `evictionMinimumReclaim` (signal → quantity or percentage).
    pub eviction_minimum_reclaim: BTreeMap<String, String>,
    /// `evictionMaxPodGracePeriod` (seconds).
    pub eviction_max_pod_grace_period: Option<i64>,
    /// `evictionPressureTransitionPeriod` (Go duration).
    pub eviction_pressure_transition_period: Option<String>,
    /// `enforceNodeAllocatable`; `None` means the default `["pods"]`.
    pub enforce_node_allocatable: Option<Vec<String>>,
    /// `cgroupsPerQOS`; `None` means the default `true`.
    pub cgroups_per_qos: Option<bool>,
    /// `memoryThrottlingFactor`; `None` means the version's default.
    pub memory_throttling_factor: Option<f64>,
    /// `singleProcessOOMKill`; `None` means the version's default.
    pub single_process_oom_kill: Option<bool>,
    /// `memoryReservationPolicy` (1.36+): `None` or `TieredReservation`.
    pub memory_reservation_policy: Option<String>,
}

/// The node: its memory, optional cloud preset and kubelet configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeSpec {
    /// Capacity (MemTotal).
    pub memory: Quantity,
    /// Swap size (0 when absent).
    pub swap: Option<Quantity>,
    /// Cloud preset name (`gke`, `eks`, `aks`, `aks-1.29`, `kubeadm`, `kind`, `k3s`), filling reservations.
    pub preset: Option<String>,
    /// `maxPods`, for presets that depend on it.
    pub max_pods: Option<u32>,
    /// cgroup version of the node (2 when absent).
    pub cgroup_version: Option<u8>,
    /// Page size in bytes (4096 when absent).
    pub page_size: Option<u64>,
    /// Kernel version such as `6.8` (the newest modelled when absent).
    pub kernel_version: Option<String>,
    /// The kubelet configuration.
    pub kubelet_config: KubeletConfig,
}

/// A whole scenario: what `oomlens calc` reads and the calculator page edits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// `kubeletVersion`; `None` means the newest modelled release.
    pub kubelet_version: Option<String>,
    /// `featureGates` overrides.
    pub feature_gates: BTreeMap<String, bool>,
    /// `node`.
    pub node: NodeSpec,
    /// `pods`.
    pub pods: Vec<Pod>,
    /// `usage`: observed working set by `ns/pod` or `ns/pod/container`.
    pub usage: BTreeMap<String, Quantity>,
    /// `growth`: usage growth per second by `ns/pod` or `ns/pod/container`, for the "what fires first" simulation.
    pub growth: BTreeMap<String, Quantity>,
}
