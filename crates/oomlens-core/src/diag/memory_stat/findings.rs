//! What a memory.stat reading tells the user: the working set as kubelet computes it, and the
//! warnings (near the limit, reclaimable slab or active file in the working set, shmem, socket
//! buffers, swap, kernel memory, OOM events) with their advice.

use super::*;
use crate::base::message::{Arg, Message};
use crate::diag::finding::{Finding, Severity};
pub(super) fn pct(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Findings for one memory.stat reading: the numbers, and the warnings users need.
pub fn findings(r: &MemoryStatReading) -> Vec<Finding> {
    let rep = r.report();
    let mut out = Vec::new();
    for (key, value, line) in r.underflows() {
        out.push(Finding::new(
            Severity::Warning,
            Message::with(
                "memory_stat.counter_underflow",
                [
                    ("key", Arg::text(key)),
                    ("value", Arg::text(value.to_string())),
                ],
            ),
            vec![line],
        ));
    }
    let all_lines: Vec<usize> = (r.first_line..=r.last_line).collect();
    let ev = |keys: &[&str]| -> Vec<usize> {
        let mut v: Vec<usize> = keys.iter().filter_map(|k| r.line_of(k)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let ver = || {
        Arg::message(Message::plain(match rep.cgroup_version {
            Some(1) => "memory_stat.cgroup_v1",
            Some(2) => "memory_stat.cgroup_v2",
            _ => "memory_stat.cgroup_unknown",
        }))
    };
    let v1 = rep.cgroup_version == Some(1);
    let inactive_key = if v1 {
        "total_inactive_file"
    } else {
        "inactive_file"
    };
    let usage_key = if v1 {
        "memory.usage_in_bytes"
    } else {
        "memory.current"
    };
    let percent = |part: i64, whole: i64, places: u8| Arg::Decimal(pct(part, whole), places);
    match (rep.usage_bytes, rep.working_set_bytes) {
        (Some(u), Some(ws)) => {
            out.push(Finding::new(
                Severity::Info,
                Message::new(
                    "memory_stat.working_set",
                    vec![
                        ("cgroup", ver()),
                        ("usage", Arg::Bytes(u)),
                        ("working_set", Arg::Bytes(ws)),
                        ("usage_key", Arg::text(usage_key)),
                        ("inactive_key", Arg::text(inactive_key)),
                    ],
                ),
                ev(&[usage_key, inactive_key]),
            ));
        }
        _ => {
            let mut estimate = None;
            if !v1 {
                if let (Some(root), Some(inact)) = (r.root_usage_v2(), r.stat("inactive_file")) {
                    estimate = Some(Message::with(
                        "memory_stat.no_usage.root",
                        [
                            ("usage", Arg::Bytes(to_i64(root))),
                            (
                                "working_set",
                                Arg::Bytes(to_i64(root.saturating_sub(inact))),
                            ),
                        ],
                    ));
                }
            } else if let (Some(rss), Some(cache)) = (rep.anon_bytes, rep.file_bytes) {
                // Kernel docs (cgroup-v1/memory.rst 5.5): usage_in_bytes is fuzzy; rss + cache (+ swap) is exact.
                let est = rss.saturating_add(cache);
                let inact = rep.inactive_file_bytes.unwrap_or(0);
                estimate = Some(Message::with(
                    "memory_stat.no_usage.v1_estimate",
                    [
                        ("usage", Arg::Bytes(est)),
                        ("working_set", Arg::Bytes(est.saturating_sub(inact).max(0))),
                    ],
                ));
            }
            out.push(
                Finding::new(
                    Severity::Info,
                    Message::new(
                        "memory_stat.no_usage",
                        vec![
                            ("cgroup", ver()),
                            ("usage_key", Arg::text(usage_key)),
                            ("estimate", Arg::optional(estimate)),
                        ],
                    ),
                    if v1 {
                        ev(&["total_rss", "total_cache", "total_inactive_file"])
                    } else {
                        ev(&["anon", "file", "inactive_file"])
                    },
                )
                .advice(Message::with(
                    "advice.memory_stat.no_usage",
                    [("usage_key", Arg::text(usage_key))],
                )),
            );
        }
    }
    let base = rep.working_set_bytes.or(rep.usage_bytes);
    // active_file inflating the working set.
    if let (Some(af), Some(ws)) = (rep.active_file_bytes, rep.working_set_bytes) {
        if af > 0 && ws > 0 && pct(af, ws) >= 20.0 && af >= 16 << 20 {
            out.push(
                Finding::new(
                    Severity::Warning,
                    Message::with(
                        "memory_stat.active_file_in_working_set",
                        [
                            ("active_file", Arg::Bytes(af)),
                            ("percent", percent(af, ws, 0)),
                        ],
                    ),
                    ev(&["active_file", "total_active_file", usage_key]),
                )
                .advice(Message::plain(
                    "advice.memory_stat.active_file_in_working_set",
                )),
            );
        }
    }
    // shmem / tmpfs.
    if let Some(sh) = rep.shmem_bytes {
        if sh >= 1 << 20 {
            let no_swap = rep.swap_bytes.unwrap_or(0) == 0;
            out.push(
                Finding::new(
                    if no_swap {
                        Severity::Warning
                    } else {
                        Severity::Info
                    },
                    Message::with(
                        match (v1, no_swap) {
                            (true, true) => "memory_stat.shmem.v1_no_swap",
                            (true, false) => "memory_stat.shmem.v1_swap",
                            (false, true) => "memory_stat.shmem.no_swap",
                            (false, false) => "memory_stat.shmem.swap",
                        },
                        [("shmem", Arg::Bytes(sh))],
                    ),
                    ev(&["shmem", "total_shmem"]),
                )
                .advice(Message::plain("advice.memory_stat.shmem")),
            );
        }
    }
    // Near the limit.
    if let (Some(lim), Some(u)) = (rep.limit_bytes, rep.usage_bytes) {
        if lim > 0 {
            let p = pct(u, lim);
            let wsp = rep.working_set_bytes.map(|w| pct(w, lim)).unwrap_or(p);
            let args = || {
                [
                    ("limit", Arg::Bytes(lim)),
                    ("ws_percent", Arg::Decimal(wsp, 1)),
                    ("usage_percent", Arg::Decimal(p, 1)),
                ]
            };
            if wsp >= 90.0 {
                out.push(
                    Finding::new(
                        Severity::Warning,
                        Message::with("memory_stat.near_limit", args()),
                        ev(&[
                            usage_key,
                            "memory.max",
                            "memory.limit_in_bytes",
                            "hierarchical_memory_limit",
                            inactive_key,
                        ]),
                    )
                    .advice(Message::plain("advice.memory_stat.near_limit")),
                );
            } else if p >= 90.0 {
                out.push(Finding::new(
                    Severity::Info,
                    Message::with("memory_stat.usage_near_limit_cache", args()),
                    ev(&[
                        usage_key,
                        "memory.max",
                        "memory.limit_in_bytes",
                        inactive_key,
                    ]),
                ));
            }
        }
    }
    // v1 usage_in_bytes fuzz.
    if v1 {
        if let (Some(u), Some(rss), Some(cache)) = (rep.usage_bytes, rep.anon_bytes, rep.file_bytes)
        {
            let exact = rss.saturating_add(cache);
            out.push(Finding::new(
                Severity::Info,
                Message::with(
                    "memory_stat.v1_usage_fuzz",
                    [
                        ("usage", Arg::Bytes(u)),
                        ("exact", Arg::Bytes(exact)),
                        ("difference", Arg::Bytes(u.saturating_sub(exact))),
                    ],
                ),
                ev(&[
                    "memory.usage_in_bytes",
                    "total_rss",
                    "total_cache",
                    "rss",
                    "cache",
                ]),
            ));
        }
    }
    // Kernel memory.
    if let (Some(k), Some(b)) = (rep.kernel_bytes, base) {
        if b > 0 && pct(k, b) >= 25.0 && k >= 64 << 20 {
            out.push(Finding::new(
                Severity::Warning,
                Message::with(
                    "memory_stat.kernel_memory",
                    [("kernel", Arg::Bytes(k)), ("percent", percent(k, b, 0))],
                ),
                ev(&["kernel", "slab", "sock"]),
            ));
        }
    }
    // Reclaimable slab counted as working set (google/cadvisor#3081): cAdvisor subtracts only
    // inactive_file, so dentries/inodes the kernel can free still look like working set.
    if let Some(sr) = rep.slab_reclaimable_bytes {
        let whole = base.or_else(|| {
            rep.anon_bytes
                .zip(rep.file_bytes)
                .map(|(a, f)| a.saturating_add(f).saturating_add(sr))
        });
        if let Some(w) = whole.filter(|w| *w > 0) {
            if sr >= 64 << 20 && pct(sr, w) >= 20.0 {
                out.push(
                    Finding::new(
                        Severity::Warning,
                        Message::with(
                            if base.is_some() {
                                "memory_stat.slab_reclaimable"
                            } else {
                                "memory_stat.slab_reclaimable.of_stat"
                            },
                            [("slab", Arg::Bytes(sr)), ("percent", percent(sr, w, 0))],
                        ),
                        ev(&["slab_reclaimable"]),
                    )
                    .advice(Message::plain("advice.memory_stat.slab_reclaimable")),
                );
            }
        }
    }
    // Socket buffers: charged to the cgroup (v2), not freed by page reclaim.
    if let (Some(sk), Some(b)) = (rep.sock_bytes, base) {
        if b > 0 && sk >= 64 << 20 && pct(sk, b) >= 10.0 {
            out.push(
                Finding::new(
                    Severity::Warning,
                    Message::with(
                        "memory_stat.sock",
                        [("sock", Arg::Bytes(sk)), ("percent", percent(sk, b, 0))],
                    ),
                    ev(&["sock"]),
                )
                .advice(Message::plain("advice.memory_stat.sock")),
            );
        }
    }
    // Swap in use: outside usage and working set.
    if let Some(sw) = rep.swap_bytes {
        if sw >= 1 << 20 {
            out.push(Finding::new(
                Severity::Warning,
                Message::with("memory_stat.swap", [("swap", Arg::Bytes(sw))]),
                ev(&["memory.swap.current", "swap", "total_swap"]),
            ));
        }
    }
    // Reclaimable estimate.
    if let Some(rc) = rep.reclaimable_bytes {
        let not = match (rep.anon_bytes, rep.shmem_bytes) {
            (Some(a), Some(sh)) => Some(Message::with(
                "memory_stat.clause.anon_shmem",
                [("anon", Arg::Bytes(a)), ("shmem", Arg::Bytes(sh))],
            )),
            (Some(a), None) => Some(Message::with(
                "memory_stat.clause.anon",
                [("anon", Arg::Bytes(a))],
            )),
            (None, Some(sh)) => Some(Message::with(
                "memory_stat.clause.shmem",
                [("shmem", Arg::Bytes(sh))],
            )),
            (None, None) => None,
        };
        out.push(Finding::new(
            Severity::Info,
            Message::with(
                if rep.slab_reclaimable_bytes.is_some() {
                    "memory_stat.reclaimable.with_slab"
                } else {
                    "memory_stat.reclaimable"
                },
                [
                    ("reclaimable", Arg::Bytes(rc)),
                    ("not_reclaimable", Arg::optional(not)),
                ],
            ),
            ev(&[
                "active_file",
                "inactive_file",
                "total_active_file",
                "total_inactive_file",
                "slab_reclaimable",
            ]),
        ));
    }
    // memory.events.
    if let Some(n) = rep.oom_kill_count {
        if n > 0 {
            out.push(Finding::new(
                Severity::Critical,
                Message::with("memory_stat.oom_kills", [("count", Arg::Int(n))]),
                ev(&["oom_kill"]),
            ));
        }
    }
    if let Some(n) = rep.high_events.filter(|n| *n > 0) {
        out.push(Finding::new(
            Severity::Info,
            Message::with("memory_stat.high_events", [("count", Arg::Int(n))]),
            ev(&["high", "memory.high"]),
        ));
    }
    // The cgroup a dump names: whose figures these are.
    if let (Some(cg), Some(line)) = (&rep.cgroup, rep.cgroup_line) {
        let of_pod = cg.pod_uid.as_ref().map(|uid| match &cg.qos_class {
            Some(q) => Message::with(
                "oom.clause.of_pod_qos",
                [
                    ("pod", Arg::text(uid.clone())),
                    ("qos", Arg::text(q.clone())),
                ],
            ),
            None => Message::with("oom.clause.of_pod", [("pod", Arg::text(uid.clone()))]),
        });
        let path = Arg::text(cg.path.clone());
        let msg = match (cg.scope.as_deref(), &cg.container_id) {
            (Some("container"), Some(id)) => Message::with(
                "memory_stat.cgroup.container",
                [
                    ("container", Arg::text(id.clone())),
                    ("of_pod", Arg::optional(of_pod)),
                    ("path", path),
                ],
            ),
            (Some("pod"), _) => Message::with(
                "memory_stat.cgroup.pod",
                [("of_pod", Arg::optional(of_pod)), ("path", path)],
            ),
            _ => Message::with("memory_stat.cgroup.other", [("path", path)]),
        };
        out.push(Finding::new(Severity::Info, msg, vec![line]));
    }
    if let Some(n) = rep.max_events {
        if n > 0 {
            out.push(Finding::new(
                Severity::Info,
                Message::with("memory_stat.max_events", [("count", Arg::Int(n))]),
                ev(&["max"]),
            ));
        }
    }
    if out.is_empty() {
        out.push(Finding::new(
            Severity::Info,
            Message::with("memory_stat.read", [("cgroup", ver())]),
            all_lines,
        ));
    }
    out
}
