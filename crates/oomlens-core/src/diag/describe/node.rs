//! Reading `kubectl describe node` (or its Events table alone): capacity, allocatable,
//! conditions, the non-terminated pods table, allocated resources, events.

use super::*;
use crate::diag::lines::NumberedLine;
/// Reads a `kubectl describe node` block (first line is `Name:`).
pub fn read_node(lines: &[NumberedLine<'_>]) -> Option<DescribeNode> {
    let mut n = DescribeNode {
        first_line: lines.first()?.number,
        last_line: lines.last()?.number,
        ..Default::default()
    };
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
