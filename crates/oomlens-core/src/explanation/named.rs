//! Facts linked across sources: the pod (and container) a kernel OOM event killed, when a pasted
//! `kubectl describe pod` (or pod status) names the same container id or pod UID; and the pod an
//! eviction message was about, when the message sits inside that pod's describe output. The kernel
//! report only knows cgroup paths and ids; these links let a verdict name the pod.

use super::orchestrate::Index;
use super::Explanation;
use serde::Serialize;
use std::collections::HashMap;

/// How a kernel event was tied to a described pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkedBy {
    /// The container id in the kernel's cgroup path equals the described container's id.
    ContainerId,
    /// The pod UID in the kernel's cgroup path equals the described pod's UID.
    PodUid,
    /// The eviction message is part of this pod's describe output.
    DescribeOutput,
}

/// A pod named by another source, with the line that names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedPod {
    /// Namespace (`default` when the describe output has none).
    pub namespace: String,
    /// Pod name.
    pub name: String,
    /// The container, when the link was by container id.
    pub container: Option<String>,
    /// What tied them.
    pub linked_by: LinkedBy,
    /// The line of the pod (or container) in the paste.
    pub line: usize,
}

/// For each kernel OOM event (same order), the described pod it killed in, if any. The
/// described containers and pods are indexed once (by the first 12 hex digits of the container id
/// and by UID), so this is linear in events plus described pods.
pub(super) fn event_pods(ex: &Explanation) -> Vec<Option<NamedPod>> {
    let mut by_id12: HashMap<&str, NamedPod> = HashMap::new();
    // The first described pod with the UID decides (even when it has no name).
    let mut by_uid: HashMap<String, Option<NamedPod>> = HashMap::new();
    for p in &ex.describe_pods {
        for c in &p.containers {
            if let Some(id) = c.bare_id().and_then(|b| b.get(..12)) {
                if let Some(n) = named(p, Some(c.name.clone()), LinkedBy::ContainerId, c.line) {
                    by_id12.entry(id).or_insert(n);
                }
            }
        }
        if let Some(uid) = &p.uid {
            by_uid
                .entry(uid.to_ascii_lowercase())
                .or_insert_with(|| named(p, None, LinkedBy::PodUid, p.first_line));
        }
    }
    ex.oom_events
        .iter()
        .map(|e| {
            let by_container = e
                .container_id
                .as_deref()
                .and_then(|id| id.get(..12))
                .and_then(|short| by_id12.get(short));
            match by_container {
                Some(n) => Some(n.clone()),
                None => by_uid
                    .get(&e.pod_uid.as_deref()?.to_ascii_lowercase())?
                    .clone(),
            }
        })
        .collect()
}

/// For each eviction message (same order), the pod whose describe output holds it, if any.
pub(super) fn eviction_pods(ex: &Explanation, index: &Index<'_>) -> Vec<Option<NamedPod>> {
    ex.evictions
        .iter()
        .map(|m| {
            let p = ex.describe_pods.get(index.pod_at(m.line)?)?;
            named(p, None, LinkedBy::DescribeOutput, p.first_line)
        })
        .collect()
}

fn named(
    p: &crate::diag::describe::DescribePod,
    container: Option<String>,
    linked_by: LinkedBy,
    line: usize,
) -> Option<NamedPod> {
    Some(NamedPod {
        namespace: p.namespace.clone().unwrap_or_else(|| "default".into()),
        name: p.name.clone()?,
        container,
        linked_by,
        line,
    })
}
