//! The subset of the kubelet's configuration file (`KubeletConfiguration`,
//! `k8s.io/kubelet/config/v1beta1/types.go`) that decides memory behaviour, as written: values keep
//! the file's textual form; the kubelet layer (`thresholds`, `allocatable`, `memory_qos`) parses
//! and validates them with kubelet's rules and errors.

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
