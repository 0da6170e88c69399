//! What one kernel OOM event means: the verdict (which limit, who died, limit vs usage), the
//! Kubernetes consequence (kubelet's `OOMKilled` from the runtime's OOM event, `pkg/kubelet/kuberuntime`;
//! memory.oom.group since kubelet 1.28 on cgroup v2, `singleProcessOOMKill` since 1.32), whether the
//! kernel's choice is what the task table implies, and what to do. Every sentence is a catalogue
//! message; a fact the report does not show changes the message, never prints a placeholder.

use crate::base::message::{Arg, Join, Message};
use crate::diag::dmesg::event::OomEvent;
use crate::diag::finding::{Finding, Severity};

/// The victim: `comm (PID n)`, or a phrase saying the paste does not name it.
fn victim(ev: &OomEvent) -> Arg {
    Arg::message(match ev.victim.as_ref() {
        Some(v) => Message::with(
            "oom.victim.named",
            [
                ("comm", Arg::text(v.comm.clone())),
                ("pid", Arg::Int(v.pid)),
            ],
        ),
        // Before 5.9 the kernel printed whom it selected (`Kill process N (comm) score S or
        // sacrifice child`) before it killed that process or one of its children.
        None => match (ev.details.selected_pid, &ev.details.selected_comm) {
            (Some(pid), Some(comm)) => Message::with(
                "oom.victim.selected",
                [("comm", Arg::text(comm.clone())), ("pid", Arg::Int(pid))],
            ),
            _ => Message::plain("oom.victim.unnamed"),
        },
    })
}

/// ` (usage U of limit L)` / ` (limit L)` / nothing.
fn limits(ev: &OomEvent) -> Arg {
    Arg::optional(match (ev.usage_bytes, ev.limit_bytes) {
        (Some(u), Some(l)) => Some(Message::with(
            "oom.clause.usage_of_limit",
            [("usage", Arg::Bytes(u)), ("limit", Arg::Bytes(l))],
        )),
        (None, Some(l)) => Some(Message::with(
            "oom.clause.limit",
            [("limit", Arg::Bytes(l))],
        )),
        _ => None,
    })
}

/// `, anon-rss A` / nothing.
fn anon(ev: &OomEvent) -> Arg {
    Arg::optional(
        ev.victim
            .as_ref()
            .and_then(|v| v.anon_rss_bytes)
            .map(|a| Message::with("oom.clause.anon_rss", [("anon", Arg::Bytes(a))])),
    )
}

/// ` The limit was hit N times (failcnt).` / nothing.
fn failcnt(ev: &OomEvent) -> Arg {
    Arg::optional(
        ev.details
            .failcnt
            .filter(|f| *f > 0)
            .map(|f| Message::with("oom.clause.failcnt", [("failcnt", Arg::Int(f))])),
    )
}

/// ` of pod U` / nothing.
fn of_pod(ev: &OomEvent) -> Arg {
    Arg::optional(
        ev.pod_uid
            .as_deref()
            .map(|u| Message::with("oom.clause.of_pod", [("pod", Arg::text(u))])),
    )
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// The verdict: which limit was hit and who died, with what to change.
fn verdict(ev: &OomEvent) -> (Message, Message) {
    let d = &ev.details;
    // The limit hit, the victim and its anon-rss; `killed` leaves out the limit (a node-wide or
    // NUMA-constrained OOM has no cgroup limit to print).
    let common = |id: &'static str| {
        Message::new(
            id,
            vec![
                ("limits", limits(ev)),
                ("victim", victim(ev)),
                ("anon", anon(ev)),
            ],
        )
    };
    let killed =
        |id: &'static str| Message::new(id, vec![("victim", victim(ev)), ("anon", anon(ev))]);
    let with = |mut m: Message, more: Vec<(&'static str, Arg)>| {
        let mut args: Vec<(&'static str, Arg)> = m.args.to_vec();
        args.extend(more);
        m.args = args.into();
        m
    };
    match (ev.constraint.as_deref(), ev.scope.as_deref()) {
        (Some("memcg"), Some("container")) => (
            with(
                common("oom.container_limit"),
                vec![
                    (
                        "container",
                        Arg::message(match ev.container_id.as_deref() {
                            Some(c) => Message::with(
                                "oom.clause.container",
                                [("container", Arg::text(short(c)))],
                            ),
                            None => Message::plain("oom.clause.the_container"),
                        }),
                    ),
                    ("pod", of_pod(ev)),
                    ("failcnt", failcnt(ev)),
                ],
            ),
            Message::new(
                "advice.oom.container_limit",
                vec![(
                    "pinned",
                    Arg::optional(ev.limit_bytes.map(|l| {
                        Message::with("advice.clause.pinned_at", [("limit", Arg::Bytes(l))])
                    })),
                )],
            ),
        ),
        (Some("memcg"), Some("pod")) => (
            with(
                common("oom.pod_limit"),
                vec![("pod", of_pod(ev)), ("failcnt", failcnt(ev))],
            ),
            Message::plain("advice.oom.pod_limit"),
        ),
        (Some("memcg"), Some("qos")) => (
            match ev.qos_class.as_deref() {
                Some(q) => with(common("oom.qos_limit"), vec![("qos", Arg::text(q))]),
                None => common("oom.qos_limit.class_unknown"),
            },
            Message::plain("advice.oom.qos_limit"),
        ),
        (Some("memcg"), Some("kubepods")) => (
            common("oom.kubepods_limit"),
            Message::plain("advice.oom.kubepods_limit"),
        ),
        (Some("memcg"), _) => (
            with(
                common("oom.memcg_limit"),
                vec![
                    (
                        "memcg",
                        Arg::optional(ev.oom_memcg.as_deref().map(|p| {
                            Message::with("oom.clause.cgroup_path", [("path", Arg::text(p))])
                        })),
                    ),
                    ("failcnt", failcnt(ev)),
                ],
            ),
            // Only a named cgroup outside kubepods is "not Kubernetes": without the cgroup
            // whose limit was hit, a victim in a pod could have met its container's, its pod's
            // or the kubepods limit.
            Message::plain(match (&ev.oom_memcg, &ev.pod_uid) {
                (Some(_), _) => "advice.oom.memcg_limit",
                (None, Some(_)) => "advice.oom.memcg_level_unknown",
                (None, None) => "advice.oom.unknown",
            }),
        ),
        (Some("global"), _) if d.order == Some(-1) => {
            (killed("oom.sysrq"), Message::plain("advice.oom.sysrq"))
        }
        (Some("global"), _) => (killed("oom.node"), Message::plain("advice.oom.node")),
        (Some("cpuset"), _) => (killed("oom.cpuset"), Message::plain("advice.oom.numa")),
        (Some("mempolicy"), _) => (killed("oom.mempolicy"), Message::plain("advice.oom.numa")),
        _ => (killed("oom.unknown"), Message::plain("advice.oom.unknown")),
    }
}

/// The findings for one event, the verdict first.
pub fn findings(ev: &OomEvent) -> Vec<Finding> {
    let d = &ev.details;
    let mut out = Vec::new();
    let core: Vec<usize> = [
        d.header_line,
        d.constraint_line,
        d.usage_line,
        d.select_line,
        d.killed_line,
        d.group_line,
        d.reaper_line,
    ]
    .into_iter()
    .flatten()
    .collect();
    let (message, advice) = verdict(ev);
    out.push(Finding::new(Severity::Critical, message, core.clone()).advice(advice));
    if let Some(f) = consequence(ev, &core) {
        out.push(f);
    }
    if let Some(v) = ev.victim.as_ref().and_then(|v| v.oom_score_adj) {
        if v <= -997 && v > -1000 {
            out.push(Finding::new(
                Severity::Warning,
                Message::with("oom.protected_victim", [("adj", Arg::Int(v))]),
                d.killed_line.into_iter().collect(),
            ));
        }
    }
    out.extend(choice_finding(ev));
    if !d.notes.is_empty() {
        out.push(Finding::new(
            Severity::Info,
            Message::with(
                "oom.cannot_prove",
                [("notes", Arg::List(d.notes.clone(), Join::Sentences))],
            ),
            Vec::new(),
        ));
    }
    out
}

/// What Kubernetes shows for this kill.
fn consequence(ev: &OomEvent, core: &[usize]) -> Option<Finding> {
    let d = &ev.details;
    let victim_in_pod = d.task_cgroup.as_ref().is_some_and(|c| c.pod_uid.is_some());
    let group = || {
        Arg::message(match d.group_kill_path.as_deref() {
            Some(p) => Message::with("oom.group.path", [("path", Arg::text(p))]),
            None => Message::plain("oom.group.the_container"),
        })
    };
    match ev.scope.as_deref() {
        Some("container") | Some("pod") if ev.group_kill => Some(Finding::new(
            Severity::Critical,
            Message::with(
                "k8s.oomkilled",
                [
                    ("group", group()),
                    (
                        "more",
                        Arg::Int(i64::try_from(d.group_killed_pids.len()).unwrap_or(i64::MAX)),
                    ),
                    ("victim", victim(ev)),
                ],
            ),
            [d.group_line, d.killed_line]
                .into_iter()
                .flatten()
                .collect(),
        )),
        Some("container") | Some("pod") => Some(
            Finding::new(
                Severity::Warning,
                Message::with(
                    "k8s.process_killed",
                    [
                        ("victim", victim(ev)),
                        (
                            "why",
                            Arg::message(Message::plain(match ev.cgroup_version {
                                Some(1) => "oom.single_kill.cgroup_v1",
                                Some(2) => "oom.single_kill.cgroup_v2",
                                _ => "oom.single_kill.cgroup_unknown",
                            })),
                        ),
                    ],
                ),
                core.to_vec(),
            )
            .advice(Message::plain("advice.k8s.process_killed")),
        ),
        Some("qos") | Some("kubepods") | Some("node") if victim_in_pod => Some(
            Finding::new(
                Severity::Critical,
                Message::with(
                    "k8s.collateral",
                    [
                        ("victim", victim(ev)),
                        (
                            "pod",
                            Arg::optional(ev.pod_uid.as_deref().map(|u| {
                                match ev.qos_class.as_deref() {
                                    Some(q) => Message::with(
                                        "oom.clause.of_pod_qos",
                                        [("pod", Arg::text(u)), ("qos", Arg::text(q))],
                                    ),
                                    None => {
                                        Message::with("oom.clause.of_pod", [("pod", Arg::text(u))])
                                    }
                                }
                            })),
                        ),
                        (
                            "scope",
                            Arg::message(Message::plain(if ev.scope.as_deref() == Some("node") {
                                "oom.scope.the_node"
                            } else {
                                "oom.scope.shared_cgroup"
                            })),
                        ),
                        (
                            "then",
                            Arg::message(if ev.group_kill {
                                Message::with("k8s.collateral.group_kill", [("group", group())])
                            } else {
                                Message::plain("k8s.collateral.single_kill")
                            }),
                        ),
                    ],
                ),
                core.to_vec(),
            )
            .advice(Message::plain("advice.k8s.collateral")),
        ),
        Some("qos") | Some("kubepods") | Some("node") => Some(
            Finding::new(
                Severity::Warning,
                Message::with(
                    "oom.non_pod_victim",
                    [
                        ("victim", victim(ev)),
                        (
                            "memcg",
                            Arg::optional(ev.task_memcg.as_deref().map(|p| {
                                Message::with("oom.clause.cgroup_path", [("path", Arg::text(p))])
                            })),
                        ),
                    ],
                ),
                core.to_vec(),
            )
            .advice(Message::plain("advice.oom.non_pod_victim")),
        ),
        _ => None,
    }
}

fn choice_finding(ev: &OomEvent) -> Option<Finding> {
    let d = &ev.details;
    if ev.tasks.is_empty() {
        return Some(Finding::new(
            Severity::Info,
            Message::plain("oom.no_task_table"),
            d.killed_line.into_iter().collect(),
        ));
    }
    let Some(kc) = &ev.kernel_choice else {
        return Some(Finding::new(
            Severity::Info,
            Message::plain("oom.choice_unknown"),
            d.table_line.into_iter().collect(),
        ));
    };
    let mut lines: Vec<usize> = d.table_line.into_iter().chain(d.killed_line).collect();
    for t in &ev.tasks {
        if t.pid == kc.pid || ev.victim.as_ref().is_some_and(|v| v.pid == t.pid) {
            lines.push(t.line);
        }
    }
    lines.sort_unstable();
    lines.dedup();
    let badness = ev
        .tasks
        .iter()
        .find(|t| t.pid == kc.pid)
        .and_then(|t| t.badness);
    // `(badness B, totalpages T)`, or what the paste does not give.
    let numbers = Arg::message(match (badness, d.totalpages) {
        (Some(b), Some(t)) => Message::with(
            "oom.clause.badness_totalpages",
            [("badness", Arg::Int(b)), ("totalpages", Arg::Int(t))],
        ),
        _ => Message::plain("oom.clause.totalpages_unknown"),
    });
    let (sev, id) = if ev.victim.is_none() {
        (Severity::Info, "oom.choice_without_victim")
    } else if kc.agrees_with_victim {
        (Severity::Info, "oom.choice_agrees")
    } else if ev
        .victim
        .as_ref()
        .is_some_and(|v| !ev.tasks.iter().any(|t| t.pid == v.pid))
    {
        // A table without the victim's row is cut or filtered (`dmesg | grep oom`): its worst
        // listed task says nothing about the kernel's choice.
        (Severity::Info, "oom.choice_partial_table")
    } else if d.kill_kind.as_deref() == Some("allocating_task") {
        (Severity::Info, "oom.allocating_task")
    } else if d.selected_pid == Some(kc.pid) {
        (Severity::Info, "oom.child_sacrificed")
    } else {
        (Severity::Warning, "oom.choice_differs")
    };
    Some(Finding::new(
        sev,
        Message::with(
            id,
            [
                ("pid", Arg::Int(kc.pid)),
                ("numbers", numbers),
                ("why", Arg::List(kc.why_parts.clone(), Join::Clauses)),
            ],
        ),
        lines,
    ))
}
