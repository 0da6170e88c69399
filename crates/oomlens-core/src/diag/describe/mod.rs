//! Readers for `kubectl describe pod`, `kubectl describe node` and pod status objects
//! (`kubectl get pod -o yaml|json`).
//!
//! `kubectl describe` output follows `k8s.io/kubectl/pkg/describe/describe.go` (`describePod`,
//! `describeContainers`, `describeContainerState`, `describeNode`, `describeNodeResource`,
//! `DescribeEvents`): `Key:  value` lines, nested by two-space indentation, and tab-aligned
//! tables (tabwriter, padding ≥ 2 spaces) for Events, Conditions, Non-terminated Pods and
//! Allocated resources. Pasted text may be shifted as a whole (issue trackers, code blocks): all
//! indentation is read relative to the block's `Name:` line.
//!
//! Pod status fields follow `k8s.io/api/core/v1/types.go` (`PodStatus`, `ContainerStatus`,
//! `ContainerStateTerminated`).

use crate::diag::lines::NumberedLine;
use serde::Serialize;
use std::collections::BTreeMap;

mod node;
mod pod;
pub use node::{is_condition_row, read_node, wrapped_reason};
pub use pod::{
    read_fragment, read_pod, read_pod_status, read_pod_status_from, read_status_fragment,
};

/// A container state (`State:` / `Last State:` in describe; `state`/`lastState` in status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ContainerState {
    /// `Running`, `Terminated`, `Waiting`.
    pub state: String,
    /// `Reason` (`OOMKilled`, `Error`, `Completed`, `CrashLoopBackOff`…).
    pub reason: Option<String>,
    /// `Exit Code`.
    pub exit_code: Option<i64>,
    /// `Signal`, when printed.
    pub signal: Option<i64>,
    /// `Started`/`startedAt`.
    pub started: Option<String>,
    /// `Finished`/`finishedAt`.
    pub finished: Option<String>,
    /// Line of the state (1-based).
    pub line: usize,
    /// Line of `Reason`.
    pub reason_line: Option<usize>,
    /// Line of `Exit Code`.
    pub exit_code_line: Option<usize>,
}

/// One container as described.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DescribedContainer {
    /// Name.
    pub name: String,
    /// `container`, `init`, `ephemeral`.
    pub kind: String,
    /// Line of the name (1-based).
    pub line: usize,
    /// `Container ID` with its runtime prefix (`containerd://…`).
    pub container_id: Option<String>,
    /// Current state.
    pub state: Option<ContainerState>,
    /// Last state.
    pub last_state: Option<ContainerState>,
    /// `Restart Count`.
    pub restart_count: Option<i64>,
    /// `Limits` (resource → quantity text).
    pub limits: BTreeMap<String, String>,
    /// `Requests`.
    pub requests: BTreeMap<String, String>,
    /// Line of `memory` under Limits.
    pub memory_limit_line: Option<usize>,
}

impl DescribedContainer {
    /// The container ID without the `runtime://` prefix.
    pub fn bare_id(&self) -> Option<&str> {
        self.container_id
            .as_deref()
            .map(|id| id.rsplit("://").next().unwrap_or(id))
    }

    /// The runtime named by the ID prefix (`containerd`, `cri-o`, `docker`).
    pub fn runtime(&self) -> Option<&str> {
        let id = self.container_id.as_deref()?;
        let (rt, _) = id.split_once("://")?;
        Some(rt)
    }
}

/// A row of an Events table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Line (1-based).
    pub line: usize,
    /// `Normal` / `Warning`.
    pub kind: String,
    /// Reason (`Evicted`, `OOMKilling`, `SystemOOM`, `EvictionThresholdMet`…).
    pub reason: String,
    /// Age column, as printed.
    pub age: String,
    /// From column.
    pub from: String,
    /// Message.
    pub message: String,
}

/// `kubectl describe pod` or a pod status object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DescribePod {
    /// `describe`, `status_yaml` or `status_json`.
    pub source: String,
    /// First line (1-based).
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// Name.
    pub name: Option<String>,
    /// Namespace.
    pub namespace: Option<String>,
    /// Pod UID (status objects only).
    pub uid: Option<String>,
    /// `Priority`.
    pub priority: Option<i32>,
    /// `Priority Class Name`.
    pub priority_class_name: Option<String>,
    /// `Node` (name without the `/IP` part).
    pub node: Option<String>,
    /// `Status` (phase).
    pub status: Option<String>,
    /// `Reason` (`Evicted`, `OOMKilled` for a pod-level kill, …).
    pub reason: Option<String>,
    /// `Message`.
    pub message: Option<String>,
    /// Line of `Message`.
    pub message_line: Option<usize>,
    /// Line of `Reason`.
    pub reason_line: Option<usize>,
    /// `QoS Class`.
    pub qos_class: Option<String>,
    /// Line of `QoS Class`.
    pub qos_line: Option<usize>,
    /// Containers, init containers and ephemeral containers.
    pub containers: Vec<DescribedContainer>,
    /// Events.
    pub events: Vec<Event>,
}

/// A node condition row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeCondition {
    /// Line.
    pub line: usize,
    /// `MemoryPressure`, `Ready`…
    pub kind: String,
    /// `True`/`False`/`Unknown`.
    pub status: String,
    /// Reason.
    pub reason: Option<String>,
    /// Message.
    pub message: Option<String>,
}

/// A row of the `Non-terminated Pods` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodePodRow {
    /// Line.
    pub line: usize,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// CPU requests (quantity text, without the percentage).
    pub cpu_requests: Option<String>,
    /// CPU limits.
    pub cpu_limits: Option<String>,
    /// Memory requests (quantity text, without the percentage).
    pub memory_requests: Option<String>,
    /// Memory limits.
    pub memory_limits: Option<String>,
}

/// `kubectl describe node`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DescribeNode {
    /// First line.
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// Name.
    pub name: Option<String>,
    /// Capacity (resource → quantity text) with its lines.
    pub capacity: BTreeMap<String, String>,
    /// Allocatable.
    pub allocatable: BTreeMap<String, String>,
    /// Line of `memory` under Capacity / Allocatable.
    pub capacity_memory_line: Option<usize>,
    /// Line of `memory` under Allocatable.
    pub allocatable_memory_line: Option<usize>,
    /// Conditions.
    pub conditions: Vec<NodeCondition>,
    /// Allocated resources: resource → (requests, limits) as printed (with percentages).
    pub allocated: BTreeMap<String, (String, String)>,
    /// Line of the `memory` row of Allocated resources.
    pub allocated_memory_line: Option<usize>,
    /// Non-terminated pods.
    pub pods: Vec<NodePodRow>,
    /// `Kernel Version`.
    pub kernel_version: Option<String>,
    /// `Kubelet Version`.
    pub kubelet_version: Option<String>,
    /// `Container Runtime Version`.
    pub container_runtime: Option<String>,
    /// `OS Image`.
    pub os_image: Option<String>,
    /// Events.
    pub events: Vec<Event>,
}

fn indent(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t']).len()
}

/// Splits `Key:   value` into (key, value) when the key looks like a describe key.
fn key_value(t: &str) -> Option<(&str, &str)> {
    let p = t.find(':')?;
    let k = &t[..p];
    if k.is_empty()
        || k.len() > 40
        || !k
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b" -_./()".contains(&c))
    {
        return None;
    }
    let v = &t[p + 1..];
    if !v.is_empty() && !v.starts_with([' ', '\t']) {
        return None;
    }
    Some((k, v.trim()))
}

/// Splits a table row on runs of two or more spaces (tabwriter padding) or tabs.
pub fn split_columns(t: &str) -> Vec<&str> {
    split_columns_at(t).into_iter().map(|(_, c)| c).collect()
}

/// [`split_columns`] with each cell's byte offset in `t`.
fn split_columns_at(t: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let b = t.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < b.len() {
        let sep = b[i] == b'\t' || (b[i] == b' ' && b.get(i + 1) == Some(&b' '));
        if sep {
            if let Some(s) = start.take() {
                out.push((s, &t[s..i]));
            }
            while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                i += 1;
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push((s, t[s..].trim_end()));
    }
    out
}

fn is_dash_row(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && t.bytes().all(|c| c == b'-' || c == b' ' || c == b'\t')
}

/// Reads a table (header, dashes, rows) from the lines of a section; returns rows as header→cell.
fn read_table(lines: &[NumberedLine<'_>]) -> Vec<(usize, BTreeMap<String, String>)> {
    let mut header: Option<Vec<(usize, String)>> = None;
    let mut out = Vec::new();
    for l in lines {
        let t = l.text.trim_end();
        let tt = t.trim();
        if tt.is_empty() || is_dash_row(tt) || (tt.starts_with('(') && tt.ends_with(')')) {
            continue;
        }
        let cols = split_columns_at(t);
        match &header {
            None => {
                if cols.len() >= 2 {
                    header = Some(cols.iter().map(|(at, c)| (*at, c.to_string())).collect());
                }
            }
            Some(h) => {
                let mut row = crate::base::sort::string_map(
                    h.iter()
                        .map(|(_, name)| (name.clone(), String::new()))
                        .collect(),
                );
                let n = h.len();
                if cols.len() >= n {
                    for (i, (_, name)) in h.iter().enumerate() {
                        let cell = if i + 1 == n {
                            cols[i..].iter().map(|c| c.1).collect::<Vec<_>>().join("  ")
                        } else {
                            cols[i].1.to_string()
                        };
                        row.insert(name.clone(), cell);
                    }
                } else {
                    // A blank cell (e.g. an empty SubobjectPath): place cells by the header's column offsets.
                    let mut last_col = 0usize;
                    for (at, cell) in &cols {
                        let col = h
                            .iter()
                            .rposition(|(hat, _)| *hat <= at + 1)
                            .unwrap_or(0)
                            .max(last_col);
                        last_col = col;
                        if let Some((_, name)) = h.get(col) {
                            let e = row.entry(name.clone()).or_default();
                            if !e.is_empty() {
                                e.push_str("  ");
                            }
                            e.push_str(cell);
                        }
                    }
                }
                out.push((l.number, row));
            }
        }
    }
    out
}

fn read_events(lines: &[NumberedLine<'_>]) -> Vec<Event> {
    read_table(lines)
        .into_iter()
        .map(|(line, r)| {
            let get = |k: &str| r.get(k).cloned().unwrap_or_default();
            let age = if r.contains_key("Age") {
                get("Age")
            } else {
                get("LastSeen")
            };
            Event {
                line,
                kind: get("Type"),
                reason: get("Reason"),
                age,
                from: get("From"),
                message: get("Message"),
            }
        })
        .filter(|e| !e.reason.is_empty())
        .collect()
}

/// Top-level sections of a describe block: (key, value, line, the deeper lines under it).
fn sections<'a>(
    lines: &'a [NumberedLine<'a>],
) -> Vec<(&'a str, &'a str, usize, &'a [NumberedLine<'a>])> {
    let base = lines.first().map(|l| indent(l.text)).unwrap_or(0);
    let mut out: Vec<(&str, &str, usize, usize, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let ind = indent(l.text);
        if ind <= base {
            if let Some((k, v)) = key_value(l.text.trim()) {
                if let Some(last) = out.last_mut() {
                    last.4 = i;
                }
                out.push((k, v, l.number, i + 1, lines.len()));
                continue;
            }
        }
    }
    out.into_iter()
        .map(|(k, v, n, s, e)| (k, v, n, lines.get(s..e.max(s)).unwrap_or(&[])))
        .collect()
}

/// Strips a trailing ` (12%)` from an Allocated-resources cell.
fn strip_pct(s: &str) -> String {
    match s.find(" (") {
        Some(p) => s[..p].trim().to_string(),
        None => s.trim().to_string(),
    }
}
