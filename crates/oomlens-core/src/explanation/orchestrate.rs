//! The `explain` operation: run the kernel/oomd readers over the whole paste, detect the
//! Kubernetes-side blocks in what they left, read each block, then cross-link the readings into
//! findings and, when the paste has enough, a calculator scenario.

use super::{Explanation, Finding, InputBlock, InputKind, MemoryStatReport, OomEvent, Severity};
use crate::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use crate::base::message::{Arg, Message};
use crate::base::quantity::Quantity;
use crate::diag::describe::{self, DescribeNode, DescribePod};
use crate::diag::detect::{self, Flavor};
use crate::diag::eviction_message;
use crate::diag::kubelet_config::{self, KubeletConfigReading};
use crate::diag::lines::{numbered, NumberedLine};
use crate::diag::memory_stat;
use crate::scenario::{NodeSpec, Scenario};
use std::collections::{BTreeMap, HashMap, HashSet};

fn block(kind: InputKind, lines: &[NumberedLine<'_>]) -> Option<InputBlock> {
    Some(InputBlock {
        kind,
        first_line: lines.first()?.number,
        last_line: lines.last()?.number,
    })
}

fn join(lines: &[NumberedLine<'_>]) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(l.text);
        s.push('\n');
    }
    s
}

fn parse_doc(lines: &[NumberedLine<'_>], json: bool) -> Option<serde_json::Value> {
    let text = join(lines);
    if json {
        serde_json::from_str(text.trim()).ok()
    } else {
        let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).ok()?;
        serde_json::to_value(&y).ok()
    }
}

/// Reads a paste and explains it (see [`crate::explain`]).
pub fn run(text: &str) -> Explanation {
    let lines: Vec<NumberedLine<'_>> = numbered(text).collect();
    let mut ex = Explanation::default();
    let mut claimed = vec![false; lines.len()];

    // 1. Kernel OOM reports and systemd-oomd (their own readers find their blocks).
    let dm = crate::diag::dmesg::read(text);
    for b in &dm.blocks {
        for n in b.first_line..=b.last_line {
            if let Some(c) = n.checked_sub(1).and_then(|i| claimed.get_mut(i)) {
                *c = true;
            }
        }
    }
    ex.inputs.extend(dm.blocks.iter().cloned());
    ex.oom_events = dm.events;
    for ev in &ex.oom_events {
        ex.findings.extend(crate::diag::dmesg::findings(ev));
    }

    let od = crate::diag::oomd::read(text);
    for b in &od.blocks {
        for n in b.first_line..=b.last_line {
            if let Some(c) = n.checked_sub(1).and_then(|i| claimed.get_mut(i)) {
                *c = true;
            }
        }
    }
    ex.inputs.extend(od.blocks.iter().cloned());
    for k in &od.kills {
        ex.findings.extend(crate::diag::oomd::findings(k));
    }
    ex.oomd_kills = od.kills;

    // 2. Everything else.
    for d in detect::detect(&lines, &claimed) {
        let Some(bl) = lines.get(d.start..d.end.min(lines.len())) else {
            continue;
        };
        if bl.is_empty() {
            continue;
        }
        match d.flavor {
            Flavor::Describe => {
                if d.kind == InputKind::DescribeNode {
                    if let Some(n) = describe::read_node(bl) {
                        ex.inputs.extend(block(InputKind::DescribeNode, bl));
                        ex.describe_nodes.push(n);
                    }
                } else if let Some(p) = describe::read_pod(bl) {
                    ex.inputs.extend(block(InputKind::DescribePod, bl));
                    ex.describe_pods.push(p);
                }
            }
            Flavor::Yaml | Flavor::Json => {
                let json = d.flavor == Flavor::Json;
                let Some(value) = parse_doc(bl, json) else {
                    ex.findings.push(Finding::new(
                        Severity::Warning,
                        Message::with(
                            "input.unparsable_document",
                            [
                                ("first", line_arg(bl[0].number)),
                                ("last", line_arg(bl[bl.len() - 1].number)),
                                ("format", Arg::text(if json { "JSON" } else { "YAML" })),
                            ],
                        ),
                        vec![bl[0].number],
                    ));
                    continue;
                };
                if d.kind == InputKind::KubeletConfig {
                    if let Some(r) = kubelet_config::from_value(&value, bl) {
                        ex.inputs.extend(block(InputKind::KubeletConfig, bl));
                        ex.kubelet_configs.push(r);
                    }
                } else {
                    let text = join(bl);
                    match crate::scenario::pod_reader::read_pods(&text) {
                        Ok(pods) if !pods.is_empty() => {
                            ex.inputs.extend(block(InputKind::PodManifest, bl));
                            ex.pods.extend(pods);
                        }
                        Ok(_) => {}
                        Err(e) => ex.findings.push(Finding::new(
                            Severity::Warning,
                            Message::with(
                                "input.pod_manifest_unreadable",
                                [
                                    ("first", line_arg(bl[0].number)),
                                    ("last", line_arg(bl[bl.len() - 1].number)),
                                    ("error", Arg::text(e.to_string())),
                                ],
                            ),
                            vec![bl[0].number],
                        )),
                    }
                    // Status of a pod object, or of each item of a List.
                    let items: Vec<&serde_json::Value> =
                        match value.get("items").and_then(|x| x.as_array()) {
                            Some(a) => a.iter().collect(),
                            None => vec![&value],
                        };
                    let mut any_status = false;
                    let mut cursor = bl[0].number;
                    for it in items {
                        if let Some(p) = describe::read_pod_status_from(it, bl, json, cursor) {
                            any_status = true;
                            let evidence = p
                                .containers
                                .iter()
                                .flat_map(|c| {
                                    [
                                        Some(c.line),
                                        c.last_state.as_ref().and_then(|s| s.reason_line),
                                        c.state.as_ref().and_then(|s| s.reason_line),
                                    ]
                                })
                                .chain([p.reason_line, p.message_line, p.qos_line])
                                .flatten()
                                .max();
                            cursor = cursor.max(evidence.unwrap_or(cursor));
                            ex.describe_pods.push(p);
                        }
                    }
                    if any_status {
                        ex.inputs.extend(block(InputKind::DescribePod, bl));
                    }
                }
            }
            Flavor::DescribeFragment => {
                if d.kind == InputKind::DescribeNode {
                    if let Some(n) = describe::read_node(bl) {
                        ex.inputs.extend(block(InputKind::DescribeNode, bl));
                        ex.describe_nodes.push(n);
                    }
                } else if let Some(p) = describe::read_fragment(bl) {
                    ex.inputs.extend(block(InputKind::DescribePod, bl));
                    ex.describe_pods.push(p);
                }
            }
            Flavor::StatusFragment => {
                let base = bl
                    .first()
                    .map(|l| l.text.len() - l.text.trim_start().len())
                    .unwrap_or(0);
                let mut text = String::new();
                for l in bl {
                    text.push_str(
                        l.text
                            .get(base..)
                            .filter(|_| l.text.is_char_boundary(base))
                            .unwrap_or(l.text.trim_start()),
                    );
                    text.push('\n');
                }
                let value = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text)
                    .ok()
                    .and_then(|y| serde_json::to_value(&y).ok());
                if let Some(p) = value
                    .as_ref()
                    .and_then(|v| describe::read_status_fragment(v, bl))
                {
                    ex.inputs.extend(block(InputKind::DescribePod, bl));
                    ex.describe_pods.push(p);
                }
            }
            Flavor::Flags => {
                if let Some(r) = kubelet_config::read_flags(bl) {
                    ex.inputs.extend(block(InputKind::KubeletConfig, bl));
                    ex.kubelet_configs.push(r);
                }
            }
            Flavor::MemoryStat => {
                if let Some(r) = memory_stat::read_lines(bl) {
                    ex.inputs.push(InputBlock {
                        kind: InputKind::MemoryStat,
                        first_line: r.first_line,
                        last_line: r.last_line,
                    });
                    ex.findings.extend(memory_stat::findings(&r));
                    ex.memory_stats.push(r.report());
                }
            }
            Flavor::Eviction => {
                if let Some((m, _)) = eviction_message::read_at(&lines, d.start) {
                    ex.inputs.push(InputBlock {
                        kind: InputKind::EvictionMessage,
                        first_line: m.line,
                        last_line: m.last_line,
                    });
                    ex.evictions.push(m);
                }
            }
        }
    }
    // The same message appears in `Message:` and in the Evicted event: keep one per distinct text.
    dedup_evictions(&mut ex.evictions);

    // 3. Findings per reading, then cross-links.
    let index = Index::new(&ex.describe_pods, &ex.oom_events);
    for p in &ex.describe_pods {
        ex.findings.extend(pod_findings(p, &ex.oom_events, &index));
    }
    for n in &ex.describe_nodes {
        ex.findings.extend(node_findings(n, &ex.oom_events, &index));
    }
    for m in &ex.evictions {
        let pod = index.pod_at(m.line).or(if ex.describe_pods.len() == 1 {
            Some(0)
        } else {
            None
        });
        let prio = pod
            .and_then(|i| ex.describe_pods.get(i))
            .and_then(|p| p.priority);
        ex.findings.extend(eviction_message::findings(m, prio));
    }
    for k in &ex.kubelet_configs {
        ex.findings.extend(kubelet_config::findings(k));
    }
    if ex.kubelet_configs.len() > 1 {
        let flags = ex
            .kubelet_configs
            .iter()
            .any(|k| k.source == kubelet_config::ConfigSource::Flags);
        let file = ex
            .kubelet_configs
            .iter()
            .any(|k| k.source != kubelet_config::ConfigSource::Flags);
        if flags && file {
            ex.findings.push(Finding::new(
                Severity::Info,
                Message::plain("kubelet_config.flags_override"),
                ex.kubelet_configs.iter().map(|k| k.first_line).collect(),
            ));
        }
    }
    ex.scenario = build_scenario(&ex);
    ex.scenario_yaml = ex.scenario.as_ref().map(crate::scenario::scenario_to_yaml);
    if let Some(s) = &ex.scenario {
        let mut lines: Vec<usize> = ex
            .describe_nodes
            .iter()
            .filter_map(|n| n.capacity_memory_line)
            .collect();
        lines.extend(ex.kubelet_configs.iter().map(|k| k.first_line));
        ex.findings.push(
            Finding::new(
                Severity::Info,
                Message::with(
                    "scenario.available",
                    [
                        ("memory", Arg::text(s.node.memory.to_string())),
                        ("pods", count_arg(s.pods.len())),
                        (
                            "config",
                            Arg::message(Message::plain(if ex.kubelet_configs.is_empty() {
                                "scenario.config.default"
                            } else {
                                "scenario.config.pasted"
                            })),
                        ),
                    ],
                ),
                lines,
            )
            .advice(Message::plain("advice.scenario.available")),
        );
    }
    crate::base::sort::sort_by_key(&mut ex.inputs, |b| (b.first_line, b.last_line));
    ex.inputs.dedup();
    if ex.inputs.is_empty() {
        ex.findings.push(
            Finding::new(
                Severity::Info,
                Message::plain("input.nothing_recognised"),
                Vec::new(),
            )
            .advice(Message::plain("advice.input.nothing_recognised")),
        );
    }
    ex
}

/// Lookups built once so cross-linking stays linear in the number of readings.
struct Index<'a> {
    /// (first_line, last_line, index into describe_pods), sorted by first line.
    pod_spans: Vec<(usize, usize, usize)>,
    /// Kernel events by the first 12 hex digits of their container id.
    kernel_by_id12: HashMap<&'a str, Vec<usize>>,
    /// Kernel events by pod UID.
    kernel_by_uid: HashMap<&'a str, Vec<usize>>,
    /// Kernel events by victim pid.
    kernel_by_pid: HashMap<i64, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(pods: &[DescribePod], events: &'a [OomEvent]) -> Index<'a> {
        let mut pod_spans: Vec<(usize, usize, usize)> = pods
            .iter()
            .enumerate()
            .map(|(i, p)| (p.first_line, p.last_line, i))
            .collect();
        pod_spans.sort_unstable();
        let mut kernel_by_id12: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut kernel_by_uid: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut kernel_by_pid: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            if let Some(id) = e.container_id.as_deref().and_then(|id| id.get(..12)) {
                kernel_by_id12.entry(id).or_default().push(i);
            }
            if let Some(uid) = e.pod_uid.as_deref() {
                kernel_by_uid.entry(uid).or_default().push(i);
            }
            if let Some(v) = &e.victim {
                kernel_by_pid.entry(v.pid).or_default().push(i);
            }
        }
        Index {
            pod_spans,
            kernel_by_id12,
            kernel_by_uid,
            kernel_by_pid,
        }
    }

    /// The describe-pod reading whose block holds `line`.
    fn pod_at(&self, line: usize) -> Option<usize> {
        let k = self.pod_spans.partition_point(|s| s.0 <= line);
        let (first, last, i) = *self.pod_spans.get(k.checked_sub(1)?)?;
        (first <= line && line <= last).then_some(i)
    }

    /// Kernel events about this container (by id) or pod (by UID), in input order.
    fn kernel_for(
        &self,
        events: &[OomEvent],
        container_id: Option<&str>,
        pod_uid: Option<&str>,
    ) -> Vec<usize> {
        let mut v: Vec<usize> = Vec::new();
        if let Some(id) = container_id {
            if let Some(list) = id.get(..12).and_then(|p| self.kernel_by_id12.get(p)) {
                v.extend(list.iter().copied().filter(|&i| {
                    events[i]
                        .container_id
                        .as_deref()
                        .is_some_and(|k| id_matches(k, id))
                }));
            }
        }
        if let Some(uid) = pod_uid {
            if let Some(list) = self.kernel_by_uid.get(uid) {
                v.extend(list.iter().copied());
            }
        }
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// What makes two eviction messages the same: resource, threshold, available, offenders (name, usage).
/// Borrowed from the messages: no string is copied.
type EvictionKey<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Vec<(&'a str, &'a str)>,
);

fn dedup_evictions(v: &mut Vec<eviction_message::EvictionMessage>) {
    let keep: Vec<bool> = {
        let mut seen: HashSet<EvictionKey<'_>> = HashSet::with_capacity(v.len());
        v.iter()
            .map(|m| {
                seen.insert((
                    m.resource.as_str(),
                    m.threshold.as_ref().map(|t| t.text.as_str()),
                    m.available.as_ref().map(|a| a.text.as_str()),
                    m.offenders
                        .iter()
                        .map(|o| (o.name.as_str(), o.usage.text.as_str()))
                        .collect(),
                ))
            })
            .collect()
    };
    let mut k = keep.into_iter();
    v.retain(|_| k.next().unwrap_or(true));
}

fn id_matches(kernel: &str, described: &str) -> bool {
    let k = kernel.trim();
    let d = described.trim();
    !k.is_empty() && !d.is_empty() && (k.starts_with(d) || d.starts_with(k))
}

/// The pod as the subject of a sentence (`Pod ns/name`, or `The pod` when the paste does not
/// name it) and after "of" (`pod ns/name`, `the pod`).
fn pod_names(p: &DescribePod) -> (Arg, Arg) {
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

/// A count or line number as a message argument.
fn count_arg(n: usize) -> Arg {
    Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A 1-based line number as a message argument.
fn line_arg(n: usize) -> Arg {
    count_arg(n)
}

fn pod_findings(p: &DescribePod, events: &[OomEvent], index: &Index<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let (subject, of_pod) = pod_names(p);
    if p.reason.as_deref() == Some("Evicted") {
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

/// `System OOM encountered, victim process: java, pid: 1234` → (comm, pid).
pub fn parse_system_oom(msg: &str) -> Option<(String, i64)> {
    let rest = &msg[msg.find("victim process: ")? + "victim process: ".len()..];
    let (comm, tail) = rest.rsplit_once(", pid: ")?;
    let pid: i64 = tail.trim().trim_end_matches(['.', '"']).parse().ok()?;
    Some((comm.to_string(), pid))
}

fn quantity_bytes(s: &str) -> Option<i64> {
    Quantity::parse(s.trim()).ok().map(|q| q.value())
}

fn node_findings(n: &DescribeNode, events: &[OomEvent], index: &Index<'_>) -> Vec<Finding> {
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
                lines,
            ));
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

fn strip_paren(s: &str) -> String {
    match s.find(" (") {
        Some(p) => s[..p].to_string(),
        None => s.trim().to_string(),
    }
}

fn rl(memory: Option<&str>) -> ResourceList {
    ResourceList {
        cpu: None,
        memory: memory.and_then(|m| Quantity::parse(m).ok()),
        other: BTreeMap::new(),
    }
}

/// Builds a scenario when the paste has node capacity and pods and/or a kubelet configuration.
fn build_scenario(ex: &Explanation) -> Option<Scenario> {
    let index = Index::new(&ex.describe_pods, &ex.oom_events);
    let node = ex
        .describe_nodes
        .iter()
        .find(|n| n.capacity.contains_key("memory"))?;
    let memory = Quantity::parse(node.capacity.get("memory")?).ok()?;
    let mut pods: Vec<Pod> = ex.pods.clone();
    if pods.is_empty() {
        // From the node's pod table: one container carrying the pod's totals (per-container detail is not in describe node).
        for r in &node.pods {
            pods.push(Pod {
                namespace: r.namespace.clone(),
                name: r.name.clone(),
                uid: None,
                priority: None,
                priority_class_name: None,
                is_static: false,
                is_mirror: false,
                init_containers: Vec::new(),
                containers: vec![Container {
                    name: "main".into(),
                    kind: ContainerKind::Container,
                    resources: ResourceRequirements {
                        requests: rl(r.memory_requests.as_deref().filter(|s| *s != "0")),
                        limits: rl(r.memory_limits.as_deref().filter(|s| *s != "0")),
                    },
                }],
                resources: None,
                overhead: ResourceList::default(),
                status_qos_class: None,
                termination_grace_period_seconds: None,
            });
        }
    }
    if pods.is_empty() && ex.kubelet_configs.is_empty() {
        return None;
    }
    // Flags override the file.
    let mut configs: Vec<&KubeletConfigReading> = ex.kubelet_configs.iter().collect();
    crate::base::sort::sort_by_key(&mut configs, |c| {
        c.source == kubelet_config::ConfigSource::Flags
    });
    let mut kc = crate::api::kubelet_config::KubeletConfig::default();
    let mut gates = BTreeMap::new();
    let mut max_pods = node.capacity.get("pods").and_then(|p| p.parse().ok());
    for c in configs {
        merge_config(&mut kc, c);
        gates.extend(c.feature_gates.clone());
        if c.max_pods.is_some() {
            max_pods = c.max_pods;
        }
    }
    let kernel_version = node.kernel_version.as_deref().and_then(|k| {
        let mut it = k.split(['.', '-']);
        Some(format!("{}.{}", it.next()?, it.next()?))
    });
    let kubelet_version = node
        .kubelet_version
        .as_deref()
        .and_then(|v| crate::kubelet::rules::KubeletVersion::parse(v).ok())
        .map(|v| v.to_string());
    let cgroup_version = ex
        .memory_stats
        .iter()
        .find_map(|m: &MemoryStatReport| m.cgroup_version)
        .or_else(|| ex.oom_events.iter().find_map(|e| e.cgroup_version));
    // Observed usage from eviction messages: the container's working set.
    let mut usage = BTreeMap::new();
    for m in &ex.evictions {
        let pod = index.pod_at(m.line).and_then(|i| ex.describe_pods.get(i));
        if let Some(p) = pod {
            for o in &m.offenders {
                if let (Some(name), Ok(q)) = (&p.name, Quantity::parse(&o.usage.text)) {
                    let ns = p.namespace.clone().unwrap_or_else(|| "default".into());
                    let key = if o.is_pod {
                        format!("{ns}/{name}")
                    } else {
                        format!("{ns}/{name}/{}", o.name)
                    };
                    usage.insert(key, q);
                }
            }
        }
    }
    Some(Scenario {
        kubelet_version,
        feature_gates: gates,
        node: NodeSpec {
            memory,
            swap: None,
            preset: None,
            max_pods,
            cgroup_version,
            page_size: None,
            kernel_version,
            kubelet_config: kc,
            system_usage: None,
        },
        pods,
        usage,
        growth: BTreeMap::new(),
    })
}

fn merge_config(into: &mut crate::api::kubelet_config::KubeletConfig, from: &KubeletConfigReading) {
    let c = &from.config;
    let set = |k: &str| from.field_lines.keys().any(|f| f == k);
    if !c.kube_reserved.is_empty() {
        into.kube_reserved = c.kube_reserved.clone();
    }
    if !c.system_reserved.is_empty() {
        into.system_reserved = c.system_reserved.clone();
    }
    if c.eviction_hard.is_some() {
        into.eviction_hard = c.eviction_hard.clone();
    }
    if !c.eviction_soft.is_empty() {
        into.eviction_soft = c.eviction_soft.clone();
    }
    if !c.eviction_soft_grace_period.is_empty() {
        into.eviction_soft_grace_period = c.eviction_soft_grace_period.clone();
    }
    if !c.eviction_minimum_reclaim.is_empty() {
        into.eviction_minimum_reclaim = c.eviction_minimum_reclaim.clone();
    }
    into.eviction_max_pod_grace_period = c
        .eviction_max_pod_grace_period
        .or(into.eviction_max_pod_grace_period);
    if c.eviction_pressure_transition_period.is_some() {
        into.eviction_pressure_transition_period = c.eviction_pressure_transition_period.clone();
    }
    if c.enforce_node_allocatable.is_some() || set("--enforce-node-allocatable") {
        into.enforce_node_allocatable = c.enforce_node_allocatable.clone();
    }
    into.cgroups_per_qos = c.cgroups_per_qos.or(into.cgroups_per_qos);
    into.memory_throttling_factor = c.memory_throttling_factor.or(into.memory_throttling_factor);
    into.single_process_oom_kill = c.single_process_oom_kill.or(into.single_process_oom_kill);
    if c.memory_reservation_policy.is_some() {
        into.memory_reservation_policy = c.memory_reservation_policy.clone();
    }
}
