//! Findings about one node reading (`kubectl describe node`, its events): allocatable, memory
//! pressure, eviction thresholds met, SystemOOM events cross-linked with the kernel reports, and
//! overcommitted limits.

use super::orchestrate::*;
use super::{Finding, OomEvent, Severity};
use crate::base::message::{Arg, Message};
use crate::base::quantity::Quantity;
use crate::diag::describe::DescribeNode;
use std::collections::HashMap;

/// `System OOM encountered, victim process: java, pid: 1234` → (comm, pid).
pub fn parse_system_oom(msg: &str) -> Option<(String, i64)> {
    let rest = &msg[msg.find("victim process: ")? + "victim process: ".len()..];
    let (comm, tail) = rest.rsplit_once(", pid: ")?;
    let pid: i64 = tail.trim().trim_end_matches(['.', '"']).parse().ok()?;
    Some((comm.to_string(), pid))
}

pub(super) fn quantity_bytes(s: &str) -> Option<i64> {
    Quantity::parse(s.trim()).ok().map(|q| q.value())
}

pub(super) fn node_findings(
    n: &DescribeNode,
    events: &[OomEvent],
    index: &Index<'_>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let node = Arg::message(match &n.name {
        Some(name) => Message::with("node.subject.named", [("name", Arg::text(name.clone()))]),
        None => Message::plain("node.subject.unnamed"),
    });
    for c in &n.conditions {
        if c.kind == "MemoryPressure" {
            let on = c.status == "True";
            out.push(Finding::new(
                if on {
                    Severity::Critical
                } else {
                    Severity::Info
                },
                Message::new(
                    if on {
                        "node.memory_pressure"
                    } else {
                        "node.memory_pressure.off"
                    },
                    vec![
                        ("node", node.clone()),
                        ("status", Arg::text(c.status.clone())),
                        (
                            "reason",
                            Arg::optional(c.reason.as_ref().map(|r| {
                                Message::with(
                                    "node.clause.reason",
                                    [("reason", Arg::text(r.clone()))],
                                )
                            })),
                        ),
                    ],
                ),
                vec![c.line],
            ));
        }
    }
    if let (Some(cap), Some(alloc)) = (n.capacity.get("memory"), n.allocatable.get("memory")) {
        if let (Some(cb), Some(ab)) = (quantity_bytes(cap), quantity_bytes(alloc)) {
            let reserved = cb.saturating_sub(ab);
            let lines: Vec<usize> = [n.capacity_memory_line, n.allocatable_memory_line]
                .into_iter()
                .flatten()
                .collect();
            out.push(Finding::new(
                Severity::Info,
                Message::new(
                    "node.allocatable",
                    vec![
                        ("node", node.clone()),
                        ("capacity", Arg::text(cap.clone())),
                        ("capacity_bytes", Arg::Bytes(cb)),
                        ("allocatable", Arg::text(alloc.clone())),
                        ("allocatable_bytes", Arg::Bytes(ab)),
                        ("reserved", Arg::Bytes(reserved)),
                    ],
                ),
                lines.clone(),
            ));
            // Pre-allocated huge pages are part of what is held back; say how much, and what is
            // left for the reservations, only when the figures are consistent.
            let hugepages: i64 = n
                .capacity
                .iter()
                .filter(|(k, _)| k.starts_with("hugepages-"))
                .filter_map(|(_, v)| quantity_bytes(v))
                .sum();
            if hugepages > 0 && hugepages <= reserved {
                out.push(Finding::new(
                    Severity::Info,
                    Message::new(
                        "node.hugepages",
                        vec![
                            ("node", node.clone()),
                            ("hugepages", Arg::Bytes(hugepages)),
                            ("reserved", Arg::Bytes(reserved)),
                            ("rest", Arg::Bytes(reserved - hugepages)),
                        ],
                    ),
                    lines,
                ));
            }
            if let Some((_, lim)) = n.allocated.get("memory") {
                if let Some(lb) = quantity_bytes(&strip_paren(lim)) {
                    if lb > ab {
                        out.push(Finding::new(
                            Severity::Warning,
                            Message::new(
                                "node.limits_overcommitted",
                                vec![
                                    ("node", node.clone()),
                                    ("limits", Arg::Bytes(lb)),
                                    ("allocatable", Arg::Bytes(ab)),
                                ],
                            ),
                            n.allocated_memory_line.into_iter().collect(),
                        ));
                    }
                }
            }
        }
    }
    // Identical events (same reason and message) become one finding with every line as evidence.
    // (reason, message) → index of its finding in `out`.
    let mut seen: HashMap<(String, String), Option<usize>> = HashMap::new();
    for e in &n.events {
        let key = (e.reason.clone(), e.message.clone());
        if let Some(first) = seen.get(&key) {
            if let Some(f) = first.and_then(|i| out.get_mut(i)) {
                f.lines.push(e.line);
            }
            continue;
        }
        let before = out.len();
        let event = |id: &'static str| {
            Message::new(
                id,
                vec![
                    ("node", node.clone()),
                    ("message", Arg::text(e.message.clone())),
                    ("age", Arg::text(e.age.clone())),
                ],
            )
        };
        match e.reason.as_str() {
            "EvictionThresholdMet" => out.push(Finding::new(
                Severity::Warning,
                event("node.eviction_threshold_met"),
                vec![e.line],
            )),
            "SystemOOM" => {
                if let Some((comm, pid)) = parse_system_oom(&e.message) {
                    for ev in index
                        .kernel_by_pid
                        .get(&pid)
                        .into_iter()
                        .flatten()
                        .filter_map(|&i| events.get(i))
                    {
                        out.push(Finding::new(
                            Severity::Critical,
                            Message::with(
                                "crosslink.system_oom_kernel_report",
                                [
                                    ("comm", Arg::text(comm.clone())),
                                    ("pid", Arg::Int(pid)),
                                    ("line", line_arg(ev.line)),
                                    (
                                        "scope",
                                        Arg::optional(ev.scope.as_deref().map(|sc| {
                                            Message::with(
                                                "crosslink.clause.scope",
                                                [("scope", Arg::text(sc))],
                                            )
                                        })),
                                    ),
                                ],
                            ),
                            vec![e.line, ev.line],
                        ));
                    }
                }
                out.push(
                    Finding::new(Severity::Critical, event("node.system_oom"), vec![e.line])
                        .advice(Message::plain("advice.node.system_oom")),
                );
            }
            "OOMKilling" => out.push(Finding::new(
                Severity::Critical,
                event("node.oom_killing"),
                vec![e.line],
            )),
            "NodeHasInsufficientMemory" => out.push(Finding::new(
                Severity::Warning,
                event("node.insufficient_memory"),
                vec![e.line],
            )),
            _ => {}
        }
        // The event's own finding is the last one pushed for it (cross-links come before it).
        seen.insert(
            key,
            if out.len() > before {
                Some(out.len() - 1)
            } else {
                None
            },
        );
    }
    out
}
