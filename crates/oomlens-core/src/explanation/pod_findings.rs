//! Findings about one pod reading (`kubectl describe pod`, a pod status): its containers' last
//! states, OOMKilled and exit 137, eviction, QoS and limits, each cross-linked with the kernel
//! reports of the same paste.

use super::orchestrate::*;
use super::{Finding, OomEvent, Severity};
use crate::base::message::{Arg, Message};
use crate::diag::describe::DescribePod;

/// The pod as the subject of a sentence (`Pod ns/name`, or `The pod` when the paste does not
/// name it) and after "of" (`pod ns/name`, `the pod`).
pub(super) fn pod_names(p: &DescribePod) -> (Arg, Arg) {
    let name = match (&p.namespace, &p.name) {
        (Some(ns), Some(n)) => Some(format!("{ns}/{n}")),
        (None, Some(n)) => Some(n.clone()),
        _ => None,
    };
    match name {
        Some(n) => (
            Arg::message(Message::with(
                "pod.subject.named",
                [("name", Arg::text(n.clone()))],
            )),
            Arg::message(Message::with("pod.of.named", [("name", Arg::text(n))])),
        ),
        None => (
            Arg::message(Message::plain("pod.subject.unnamed")),
            Arg::message(Message::plain("pod.of.unnamed")),
        ),
    }
}

pub(super) fn pod_findings(
    p: &DescribePod,
    events: &[OomEvent],
    index: &Index<'_>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let (subject, of_pod) = pod_names(p);
    // A node-condition message is an admission rejection, said by the eviction reader from the
    // same line (`eviction.admission.*`): the pod was never running, so it was not evicted.
    let rejected = p
        .message
        .as_deref()
        .is_some_and(|m| crate::diag::eviction_message::parse_condition(m, 0).is_some());
    if p.reason.as_deref() == Some("Evicted") && !rejected {
        let lines: Vec<usize> = [p.reason_line, p.message_line]
            .into_iter()
            .flatten()
            .collect();
        out.push(Finding::new(
            Severity::Critical,
            Message::with(
                "pod.evicted",
                [
                    ("pod", subject.clone()),
                    // An evicted pod's phase is Failed (kubelet sets it when it evicts).
                    ("status", Arg::text(p.status.as_deref().unwrap_or("Failed"))),
                ],
            ),
            lines,
        ));
    }
    for c in &p.containers {
        for (st, last) in [(&c.last_state, true), (&c.state, false)] {
            let Some(st) = st else { continue };
            if st.state != "Terminated" {
                continue;
            }
            let mut lines: Vec<usize> = [Some(st.line), st.reason_line, st.exit_code_line]
                .into_iter()
                .flatten()
                .collect();
            lines.sort_unstable();
            lines.dedup();
            let limit = c.limits.get("memory").cloned();
            let restarts = Arg::optional(
                c.restart_count
                    .map(|r| Message::with("pod.clause.restarts", [("count", Arg::Int(r))])),
            );
            // The kernel reports that match this container, by container id or by pod UID.
            let matches: Vec<&OomEvent> = index
                .kernel_for(events, c.bare_id(), p.uid.as_deref())
                .into_iter()
                .filter_map(|i| events.get(i))
                .collect();
            let who = Arg::message(if c.name.is_empty() {
                Message::new("pod.container.unnamed", vec![("pod", of_pod.clone())])
            } else {
                Message::new(
                    "pod.container.named",
                    vec![
                        ("container", Arg::text(c.name.clone())),
                        ("pod", of_pod.clone()),
                    ],
                )
            });
            let which = || {
                Arg::message(Message::plain(if last {
                    "pod.which.last_state"
                } else {
                    "pod.which.state"
                }))
            };
            match st.reason.as_deref() {
                Some("OOMKilled") => {
                    let mut f = Finding::new(
                        Severity::Critical,
                        Message::new(
                            "pod.container_oomkilled",
                            vec![
                                ("who", who.clone()),
                                ("which", which()),
                                (
                                    "exit",
                                    Arg::optional(st.exit_code.map(|e| {
                                        Message::with(
                                            "pod.clause.exit_code",
                                            [("code", Arg::Int(e))],
                                        )
                                    })),
                                ),
                                ("restarts", restarts.clone()),
                                (
                                    "limit",
                                    Arg::message(match &limit {
                                        Some(l) => Message::with(
                                            "pod.oomkilled.limit",
                                            [("limit", Arg::text(l.clone()))],
                                        ),
                                        None => Message::plain("pod.oomkilled.no_limit"),
                                    }),
                                ),
                                (
                                    "code",
                                    Arg::message(match st.exit_code {
                                        Some(137) | None => Message::plain("pod.oomkilled.sigkill"),
                                        Some(code) => Message::with(
                                            "pod.oomkilled.other_code",
                                            [("code", Arg::Int(code))],
                                        ),
                                    }),
                                ),
                                // Which limit ran out is the kernel report's to say, not the
                                // runtime's: say whether the paste has it.
                                (
                                    "scope",
                                    Arg::message(Message::plain(if matches.is_empty() {
                                        "pod.oomkilled.scope_unknown"
                                    } else {
                                        "pod.oomkilled.scope_in_report"
                                    })),
                                ),
                            ],
                        ),
                        lines.clone(),
                    )
                    .advice(Message::plain("advice.pod.container_oomkilled"));
                    if let Some(l) = c.memory_limit_line {
                        f.lines.push(l);
                    }
                    out.push(f);
                }
                Some("Error") | None if st.exit_code == Some(137) => {
                    out.push(Finding::new(
                        Severity::Warning,
                        Message::new(
                            "pod.container_sigkill",
                            vec![
                                ("who", who.clone()),
                                (
                                    "reason",
                                    Arg::message(match st.reason.as_deref() {
                                        Some(r) => Message::with(
                                            "pod.clause.reason",
                                            [("reason", Arg::text(r))],
                                        ),
                                        None => Message::plain("pod.clause.no_reason"),
                                    }),
                                ),
                                (
                                    "proof",
                                    Arg::message(Message::plain(if matches.is_empty() {
                                        "pod.sigkill.unproven"
                                    } else {
                                        "pod.sigkill.unproven_alone"
                                    })),
                                ),
                            ],
                        ),
                        lines.clone(),
                    ));
                }
                Some("Completed") => {}
                _ if st.exit_code == Some(0) => {}
                _ => {
                    let details = Message::new(
                        match (st.reason.is_some(), st.exit_code.is_some()) {
                            (true, true) => "pod.terminated.reason_and_code",
                            (true, false) => "pod.terminated.reason_only",
                            (false, true) => "pod.terminated.code_only",
                            (false, false) => "pod.terminated.neither",
                        },
                        [
                            st.reason.as_deref().map(|r| ("reason", Arg::text(r))),
                            st.exit_code.map(|e| ("code", Arg::Int(e))),
                        ]
                        .into_iter()
                        .flatten()
                        .collect(),
                    );
                    out.push(Finding::new(
                        Severity::Info,
                        Message::new(
                            if last {
                                "pod.container_terminated"
                            } else {
                                "pod.container_terminated.now"
                            },
                            vec![
                                ("who", who.clone()),
                                ("details", Arg::message(details)),
                                ("restarts", restarts.clone()),
                            ],
                        ),
                        lines.clone(),
                    ));
                }
            }
            for e in &matches {
                let mut l = lines.clone();
                l.push(e.line);
                out.push(Finding::new(
                    Severity::Critical,
                    Message::new(
                        "crosslink.kernel_report_for_container",
                        vec![
                            ("line", line_arg(e.line)),
                            (
                                "container",
                                Arg::message(if c.name.is_empty() {
                                    Message::new(
                                        "crosslink.container.unnamed",
                                        vec![("pod", of_pod.clone())],
                                    )
                                } else {
                                    Message::new(
                                        "crosslink.container.named",
                                        vec![
                                            ("container", Arg::text(c.name.clone())),
                                            ("pod", of_pod.clone()),
                                        ],
                                    )
                                }),
                            ),
                            (
                                "scope",
                                Arg::message(match e.scope.as_deref() {
                                    Some(sc) => Message::with(
                                        "crosslink.scope.known",
                                        [("scope", Arg::text(sc))],
                                    ),
                                    None => Message::plain("crosslink.scope.unknown"),
                                }),
                            ),
                            (
                                "victim",
                                Arg::optional(e.victim.as_ref().map(|v| {
                                    Message::with(
                                        "crosslink.clause.victim",
                                        [
                                            ("comm", Arg::text(v.comm.clone())),
                                            ("pid", Arg::Int(v.pid)),
                                        ],
                                    )
                                })),
                            ),
                        ],
                    ),
                    l,
                ));
            }
        }
        if !c.limits.contains_key("memory") && c.kind != "ephemeral" && p.source == "describe" {
            out.push(Finding::new(
                Severity::Info,
                Message::new(
                    "pod.no_memory_limit",
                    vec![
                        ("container", Arg::text(c.name.clone())),
                        ("pod", of_pod.clone()),
                    ],
                ),
                vec![c.line],
            ));
        }
    }
    if let Some(q) = &p.qos_class {
        let rules = crate::kubelet::rules::KubeletRules::default();
        let what = match crate::kubelet::qos::QosClass::parse(q) {
            Some(crate::kubelet::qos::QosClass::BestEffort) => Some(Message::with(
                "pod.qos.besteffort",
                [("adj", Arg::Int(rules.besteffort_oom_score_adj()))],
            )),
            Some(crate::kubelet::qos::QosClass::Burstable) => Some(Message::with(
                "pod.qos.burstable",
                [
                    ("min", Arg::Int(rules.burstable_min_oom_score_adj())),
                    ("max", Arg::Int(rules.burstable_max_oom_score_adj())),
                ],
            )),
            Some(crate::kubelet::qos::QosClass::Guaranteed) => Some(Message::with(
                "pod.qos.guaranteed",
                [("adj", Arg::Int(rules.guaranteed_oom_score_adj()))],
            )),
            None => None,
        };
        out.push(Finding::new(
            Severity::Info,
            Message::new(
                "pod.qos",
                vec![
                    ("pod", subject.clone()),
                    ("qos", Arg::text(q.clone())),
                    ("what", Arg::optional(what)),
                ],
            ),
            p.qos_line.into_iter().collect(),
        ));
    }
    for e in &p.events {
        if e.reason == "OOMKilling" || e.reason == "SystemOOM" {
            out.push(Finding::new(
                Severity::Warning,
                Message::with(
                    "pod.oom_event",
                    [
                        ("reason", Arg::text(e.reason.clone())),
                        ("from", Arg::text(e.from.clone())),
                        ("message", Arg::text(e.message.clone())),
                    ],
                ),
                vec![e.line],
            ));
        }
    }
    out
}
