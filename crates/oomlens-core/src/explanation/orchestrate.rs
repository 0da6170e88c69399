//! The `explain` operation: run the kernel/oomd readers over the whole paste, detect the
//! Kubernetes-side blocks in what they left, read each block, then cross-link the readings into
//! findings and, when the paste has enough, a calculator scenario.

use super::{Explanation, Finding, InputBlock, InputKind, OomEvent, Severity};
use crate::base::message::{Arg, Message};
use crate::diag::describe::{self, DescribePod};
use crate::diag::detect::{self, Flavor};
use crate::diag::eviction_message;
use crate::diag::kubelet_config;
use crate::diag::lines::{numbered, NumberedLine};
use crate::diag::memory_stat;
use std::collections::{HashMap, HashSet};

use super::node_findings::node_findings;
use super::pod_findings::pod_findings;
use super::scenario_from::build_scenario;

pub(super) fn block(kind: InputKind, lines: &[NumberedLine<'_>]) -> Option<InputBlock> {
    Some(InputBlock {
        kind,
        first_line: lines.first()?.number,
        last_line: lines.last()?.number,
    })
}

pub(super) fn join(lines: &[NumberedLine<'_>]) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(l.text);
        s.push('\n');
    }
    s
}

pub(super) fn parse_doc(lines: &[NumberedLine<'_>], json: bool) -> Option<serde_json::Value> {
    let text = join(lines);
    if json {
        serde_json::from_str(text.trim()).ok()
    } else {
        let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).ok()?;
        serde_json::to_value(&y).ok()
    }
}

/// What the readers other than the kernel's read, and what the shared pass learnt for the rest.
struct OtherReadings<'a> {
    oomd: crate::diag::oomd::OomdReading,
    events: crate::diag::events_table::EventsReading,
    units: crate::diag::unit_oom::UnitOomReading,
    /// Every line, numbered.
    lines: Vec<NumberedLine<'a>>,
    /// For detection: the lines holding a one-line message's words, and the lines it passes over
    /// (`detect::Prepass`).
    message_lines: Vec<usize>,
    passed_over: Vec<bool>,
    /// Whether the text is quoted-printable (for the kernel reader).
    quoted_printable: bool,
    /// The lines holding one of the kernel reader's markers (in the browser only: see
    /// [`KERNEL_MARKERS`]).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    marker_lines: Vec<usize>,
}

/// The kernel reader's markers, searched with the other readers' words in the browser's
/// single-threaded worker (`dmesg::read_with_lines`); natively the kernel reader searches for
/// itself on its own thread.
#[cfg(target_arch = "wasm32")]
const KERNEL_MARKERS: &[&str] = &crate::diag::dmesg::MARKERS;
#[cfg(not(target_arch = "wasm32"))]
const KERNEL_MARKERS: &[&str] = &[];

/// Every reader but the kernel's, on the lines split once: one substring search
/// (`lines_holding`) finds the lines each of them looks at.
fn other_readers(text: &str) -> OtherReadings<'_> {
    use crate::diag::{detect, events_table, oomd, unit_oom};
    let lines: Vec<NumberedLine<'_>> = numbered(text).collect();
    let [od_at, units_at, monitor_at, header_at, messages, inner_at, qp_at, marker_lines]: [Vec<
        usize,
    >;
        8] = crate::diag::lines::lines_holding(
        text,
        &lines,
        &[
            &oomd::NEEDLES,
            &unit_oom::NEEDLES,
            &[events_table::MONITOR],
            &[events_table::HEADER_WORDS],
            &detect::MESSAGE_NEEDLES,
            &detect::INNER_NEEDLES,
            &[crate::diag::quoted_printable::MARKER],
            KERNEL_MARKERS,
        ],
    )
    .try_into()
    .unwrap_or_default();
    let pick = |at: Vec<usize>| at.into_iter().filter_map(|i| lines.get(i).copied());
    let od = oomd::read_lines(pick(od_at));
    let units = unit_oom::read_lines(pick(units_at));
    let all: &[NumberedLine<'_>] = if header_at.is_empty() { &[] } else { &lines };
    let evs = events_table::read_lines(text, pick(monitor_at), all.iter().copied());
    let passed_over = detect::passed_over(&lines, &inner_at);
    OtherReadings {
        oomd: od,
        events: evs,
        units,
        lines,
        message_lines: messages,
        passed_over,
        quoted_printable: !qp_at.is_empty(),
        marker_lines,
    }
}

/// The kernel reader and the other readers are independent. Natively they run on two threads:
/// what this buys is the kernel reader's time (a third of `oomlens explain` on a 100 MB journal,
/// see docs/performance.md) hidden behind the rest. The kernel reader starts before the others
/// have learnt whether the text is quoted-printable and assumes it is not; a quoted-printable
/// paste (a mail archive's, small) is read again. The browser's worker has one thread and runs
/// the others first.
#[cfg(not(target_arch = "wasm32"))]
fn first_pass(text: &str) -> (crate::diag::dmesg::DmesgReading, OtherReadings<'_>) {
    use crate::diag::dmesg::read_known_encoding;
    std::thread::scope(|s| {
        let kernel = s.spawn(|| read_known_encoding(text, false));
        let others = other_readers(text);
        let dm = kernel
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let dm = if others.quoted_printable {
            read_known_encoding(text, true)
        } else {
            dm
        };
        (dm, others)
    })
}

#[cfg(target_arch = "wasm32")]
fn first_pass(text: &str) -> (crate::diag::dmesg::DmesgReading, OtherReadings<'_>) {
    let others = other_readers(text);
    (
        crate::diag::dmesg::read_with_lines(
            text,
            others.quoted_printable,
            &others.lines,
            &others.marker_lines,
        ),
        others,
    )
}

/// Reads a paste and explains it (see [`crate::explain`]).
pub fn run(text: &str) -> Explanation {
    let (dm, others) = first_pass(text);
    let OtherReadings {
        oomd: od,
        events: evs,
        units,
        lines,
        message_lines,
        passed_over,
        quoted_printable: _,
        marker_lines: _,
    } = others;
    let mut ex = Explanation::default();
    let mut claimed = vec![false; lines.len()];

    // 1. Kernel OOM reports and systemd-oomd (their own readers find their blocks).
    claim_lines(&mut claimed, &dm.blocks);
    ex.inputs.extend(dm.blocks.iter().cloned());
    ex.oom_events = dm.events;
    ex.oom_event_groups = dm.groups;
    for (ev, g) in ex.oom_events.iter().zip(&ex.oom_event_groups) {
        ex.findings.extend(crate::diag::dmesg::findings(ev));
        ex.findings.extend(crate::diag::dmesg::group::finding(g));
    }

    claim_lines(&mut claimed, &od.blocks);
    ex.inputs.extend(od.blocks.iter().cloned());
    for k in &od.kills {
        ex.findings.extend(crate::diag::oomd::findings(k));
    }
    ex.findings
        .extend(od.dumps.iter().map(crate::diag::oomd::dump_finding));
    ex.oomd_kills = od.kills;

    claim_lines(&mut claimed, &units.blocks);
    ex.inputs.extend(units.blocks.iter().cloned());
    ex.findings
        .extend(crate::diag::unit_oom::findings(&units, &ex.oom_events));
    ex.unit_ooms = units.units;

    claim_lines(&mut claimed, &evs.blocks);
    ex.inputs.extend(evs.blocks.iter().cloned());
    ex.findings
        .extend(evs.events.iter().map(crate::diag::events_table::finding));
    ex.cluster_events = evs.events;

    // 2. Everything else.
    let prepass = detect::Prepass {
        message_lines: &message_lines,
        passed_over: &passed_over,
    };
    for d in detect::detect_in(&lines, &claimed, Some(prepass)) {
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
            Flavor::StatusFragment if bl[0].text.trim_start().starts_with('"') => {
                // A JSON member: wrap it in the object it was cut from.
                let body = join(bl);
                let body = body.trim_end().trim_end_matches(',');
                let value = serde_json::from_str::<serde_json::Value>(&format!("{{{body}}}")).ok();
                if let Some(p) = value
                    .as_ref()
                    .and_then(|v| describe::read_status_fragment(v, bl))
                {
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
            Flavor::KubeletLoadFailure => {
                if let Some(f) = lines
                    .get(d.start)
                    .and_then(|l| kubelet_config::load_failure(l.text, l.number))
                {
                    ex.inputs.push(one_line(InputKind::KubeletConfig, f.line));
                    ex.findings.push(kubelet_config::load_failure_finding(&f));
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
                } else if let Some(r) = lines
                    .get(d.start)
                    .and_then(|l| eviction_message::parse_condition(l.text, l.number))
                {
                    ex.inputs.push(one_line(InputKind::EvictionMessage, r.line));
                    ex.findings.push(eviction_message::condition_finding(&r));
                }
            }
        }
    }
    // The same message appears in `Message:` and in the Evicted event: keep one per distinct text.
    dedup_evictions(&mut ex.evictions);

    // 3. Findings per reading, then cross-links.
    let index = Index::new(&ex.describe_pods, &ex.oom_events);
    ex.event_pods = super::named::event_pods(&ex);
    ex.eviction_pods = super::named::eviction_pods(&ex, &index);
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
pub(super) struct Index<'a> {
    /// (first_line, last_line, index into describe_pods), sorted by first line.
    pub(super) pod_spans: Vec<(usize, usize, usize)>,
    /// Kernel events by the first 12 hex digits of their container id.
    pub(super) kernel_by_id12: HashMap<&'a str, Vec<usize>>,
    /// Kernel events by pod UID.
    pub(super) kernel_by_uid: HashMap<&'a str, Vec<usize>>,
    /// Kernel events by victim pid.
    pub(super) kernel_by_pid: HashMap<i64, Vec<usize>>,
}

impl<'a> Index<'a> {
    pub(super) fn new(pods: &[DescribePod], events: &'a [OomEvent]) -> Index<'a> {
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
    pub(super) fn pod_at(&self, line: usize) -> Option<usize> {
        let k = self.pod_spans.partition_point(|s| s.0 <= line);
        let (first, last, i) = *self.pod_spans.get(k.checked_sub(1)?)?;
        (first <= line && line <= last).then_some(i)
    }

    /// Kernel events about this container (by id) or pod (by UID), in input order.
    pub(super) fn kernel_for(
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

pub(super) fn dedup_evictions(v: &mut Vec<eviction_message::EvictionMessage>) {
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

pub(super) fn id_matches(kernel: &str, described: &str) -> bool {
    let k = kernel.trim();
    let d = described.trim();
    !k.is_empty() && !d.is_empty() && (k.starts_with(d) || d.starts_with(k))
}

/// A count or line number as a message argument.
pub(super) fn count_arg(n: usize) -> Arg {
    Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Marks the lines of `blocks` as read, so detection leaves them alone.
fn claim_lines(claimed: &mut [bool], blocks: &[InputBlock]) {
    for b in blocks {
        for n in b.first_line..=b.last_line {
            if let Some(c) = n.checked_sub(1).and_then(|i| claimed.get_mut(i)) {
                *c = true;
            }
        }
    }
}

/// The block of one line.
fn one_line(kind: InputKind, line: usize) -> InputBlock {
    InputBlock {
        kind,
        first_line: line,
        last_line: line,
    }
}

/// A 1-based line number as a message argument.
pub(super) fn line_arg(n: usize) -> Arg {
    count_arg(n)
}

pub(super) fn strip_paren(s: &str) -> String {
    match s.find(" (") {
        Some(p) => s[..p].to_string(),
        None => s.trim().to_string(),
    }
}
