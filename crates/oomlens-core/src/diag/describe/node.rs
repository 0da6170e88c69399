//! Reading `kubectl describe node` (or its Events table alone): capacity, allocatable,
//! conditions, the non-terminated pods table, allocated resources, events.

use super::*;
use crate::diag::lines::NumberedLine;
/// The reasons kubelet gives its node conditions (`pkg/kubelet/nodestatus/setters.go`; the
/// `OutOfDisk` ones before 1.13): a wrapped reason is joined only when it makes one of these.
const CONDITION_REASONS: &[&str] = &[
    "KubeletHasSufficientMemory",
    "KubeletHasInsufficientMemory",
    "KubeletHasNoDiskPressure",
    "KubeletHasDiskPressure",
    "KubeletHasSufficientPID",
    "KubeletHasInsufficientPID",
    "KubeletReady",
    "KubeletNotReady",
    "KubeletHasSufficientDisk",
    "KubeletOutOfDisk",
];

/// The condition types kubelet sets.
const CONDITION_TYPES: &[&str] = &[
    "MemoryPressure",
    "DiskPressure",
    "PIDPressure",
    "Ready",
    "OutOfDisk",
    "NetworkUnavailable",
];

/// Columns of a condition row: split on tabs when it has them (old kubectl), else on runs of two
/// or more blanks (the dates hold single blanks).
fn condition_columns(text: &str) -> Vec<&str> {
    if text.contains('\t') {
        text.split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    } else {
        text.trim()
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    }
}

/// True when `text` is a row of the Conditions table: a kubelet condition type, then
/// `True`/`False`/`Unknown` (the table's header may be missing from the paste).
pub fn is_condition_row(text: &str) -> bool {
    let mut w = text.split_whitespace();
    matches!(
        (w.next(), w.next()),
        (Some(t), Some("True" | "False" | "Unknown")) if CONDITION_TYPES.contains(&t)
    )
}

/// When `row` is a condition row cut inside its reason and `next` holds the rest (a terminal's
/// wrap), the whole reason and the columns after it. Only a join that makes a reason kubelet
/// gives counts.
pub fn wrapped_reason(row: &str, next: &str) -> Option<(String, Vec<String>)> {
    if !is_condition_row(row) || is_condition_row(next) || next.starts_with([' ', '\t']) {
        return None;
    }
    let cols = condition_columns(row);
    let more = condition_columns(next);
    let joined = format!(
        "{}{}",
        cols.get(4).filter(|_| cols.len() == 5)?,
        more.first()?
    );
    CONDITION_REASONS
        .contains(&joined.as_str())
        .then(|| (joined, more.iter().skip(1).map(|c| c.to_string()).collect()))
}

/// Condition rows pasted without their table: `Type Status LastHeartbeatTime LastTransitionTime
/// Reason Message`. A row a terminal wrapped inside its reason (`KubeletHasInsufficientM` /
/// `emory …`) is joined only when the halves make a reason kubelet gives.
fn condition_rows(lines: &[NumberedLine<'_>]) -> Vec<NodeCondition> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(l) = lines.get(i) {
        i += 1;
        if !is_condition_row(l.text) {
            continue;
        }
        let mut cols: Vec<String> = condition_columns(l.text)
            .iter()
            .map(|c| c.to_string())
            .collect();
        if let Some(next) = lines.get(i) {
            if let Some((reason, rest)) = wrapped_reason(l.text, next.text) {
                cols.truncate(4);
                cols.push(reason);
                cols.extend(rest);
                i += 1;
            }
        }
        let col = |k: usize| cols.get(k).filter(|c| !c.is_empty()).cloned();
        if let (Some(kind), Some(status)) = (col(0), col(1)) {
            out.push(NodeCondition {
                line: l.number,
                kind,
                status,
                reason: col(4).filter(|r| !r.contains(' ')),
                message: col(5),
            });
        }
    }
    out
}

/// Reads a `kubectl describe node` block (first line is `Name:`), or sections of it pasted without
/// that line, or condition rows alone.
pub fn read_node(lines: &[NumberedLine<'_>]) -> Option<DescribeNode> {
    let mut n = DescribeNode {
        first_line: lines.first()?.number,
        last_line: lines.last()?.number,
        ..Default::default()
    };
    if is_condition_row(lines.first()?.text) {
        n.conditions = condition_rows(lines);
        return (!n.conditions.is_empty()).then_some(n);
    }
    for (k, v, line, sub) in sections(lines) {
        match k {
            "Name" => n.name = Some(v.to_string()),
            "Capacity" | "Allocatable" => {
                for l in sub {
                    if let Some((rk, rv)) = key_value(l.text.trim()) {
                        if k == "Capacity" {
                            if rk == "memory" {
                                n.capacity_memory_line = Some(l.number);
                            }
                            n.capacity.insert(rk.to_string(), rv.to_string());
                        } else {
                            if rk == "memory" {
                                n.allocatable_memory_line = Some(l.number);
                            }
                            n.allocatable.insert(rk.to_string(), rv.to_string());
                        }
                    }
                }
            }
            "Conditions" => {
                for (l, r) in read_table(sub) {
                    let get = |x: &str| r.get(x).filter(|s| !s.is_empty()).cloned();
                    if let (Some(kind), Some(status)) = (get("Type"), get("Status")) {
                        n.conditions.push(NodeCondition {
                            line: l,
                            kind,
                            status,
                            reason: get("Reason"),
                            message: get("Message"),
                        });
                    }
                }
            }
            "System Info" => {
                for l in sub {
                    if let Some((sk, sv)) = key_value(l.text.trim()) {
                        let sv = Some(sv.to_string());
                        match sk {
                            "Kernel Version" => n.kernel_version = sv,
                            "Kubelet Version" => n.kubelet_version = sv,
                            "Container Runtime Version" => n.container_runtime = sv,
                            "OS Image" => n.os_image = sv,
                            _ => {}
                        }
                    }
                }
            }
            "Allocated resources" => {
                for (l, r) in read_table(sub) {
                    // Old kubectl: one row with `CPU Requests  CPU Limits  Memory Requests  Memory Limits`.
                    if let (Some(req), Some(lim)) =
                        (r.get("Memory Requests"), r.get("Memory Limits"))
                    {
                        n.allocated_memory_line = Some(l);
                        n.allocated
                            .insert("memory".into(), (req.clone(), lim.clone()));
                        if let (Some(cr), Some(cl)) = (r.get("CPU Requests"), r.get("CPU Limits")) {
                            n.allocated.insert("cpu".into(), (cr.clone(), cl.clone()));
                        }
                        continue;
                    }
                    if let Some(res) = r.get("Resource") {
                        if res == "memory" {
                            n.allocated_memory_line = Some(l);
                        }
                        n.allocated.insert(
                            res.clone(),
                            (
                                r.get("Requests").cloned().unwrap_or_default(),
                                r.get("Limits").cloned().unwrap_or_default(),
                            ),
                        );
                    }
                }
            }
            _ if k.starts_with("Non-terminated Pods") || k == "Non-terminated pods" => {
                for (l, r) in read_table(sub) {
                    if let (Some(ns), Some(name)) = (r.get("Namespace"), r.get("Name")) {
                        n.pods.push(NodePodRow {
                            line: l,
                            namespace: ns.clone(),
                            name: name.clone(),
                            cpu_requests: r.get("CPU Requests").map(|s| strip_pct(s)),
                            cpu_limits: r.get("CPU Limits").map(|s| strip_pct(s)),
                            memory_requests: r.get("Memory Requests").map(|s| strip_pct(s)),
                            memory_limits: r.get("Memory Limits").map(|s| strip_pct(s)),
                        });
                    }
                }
            }
            "Events" => n.events = read_events(sub),
            _ => {}
        }
        let _ = line;
    }
    Some(n)
}
