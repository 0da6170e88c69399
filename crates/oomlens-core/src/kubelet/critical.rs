//! Critical pods as kubelet sees them (`pkg/kubelet/types/pod_update.go`): `IsStaticPod`,
//! `IsMirrorPod`, `IsCriticalPod` (static, mirror or priority ≥ 2000000000) and `IsNodeCriticalPod`
//! (critical and `priorityClassName == system-node-critical`).

use crate::api::pod::Pod;

/// `scheduling.SystemCriticalPriority` (`pkg/apis/scheduling/types.go`).
pub const SYSTEM_CRITICAL_PRIORITY: i32 = 2_000_000_000;
/// Priority the Priority admission plugin gives `system-cluster-critical`.
pub const SYSTEM_CLUSTER_CRITICAL_PRIORITY: i32 = SYSTEM_CRITICAL_PRIORITY;
/// Priority the Priority admission plugin gives `system-node-critical`.
pub const SYSTEM_NODE_CRITICAL_PRIORITY: i32 = SYSTEM_CRITICAL_PRIORITY + 1000;

/// `IsCriticalPod`: static, mirror, or `spec.priority` ≥ [`SYSTEM_CRITICAL_PRIORITY`].
pub fn is_critical_pod(pod: &Pod) -> bool {
    pod.is_static || pod.is_mirror || pod.priority.is_some_and(|p| p >= SYSTEM_CRITICAL_PRIORITY)
}

/// `IsNodeCriticalPod`: critical and `priorityClassName == "system-node-critical"`.
pub fn is_node_critical_pod(pod: &Pod) -> bool {
    is_critical_pod(pod) && pod.priority_class_name.as_deref() == Some("system-node-critical")
}
