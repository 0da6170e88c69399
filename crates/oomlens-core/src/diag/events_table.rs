//! Reading `kubectl get events` (and `-A`, with its NAMESPACE column): the rows that matter for
//! memory — `Evicted` (kubelet evicted a pod), `OOMKilling` (node-problem-detector saw a kernel
//! OOM kill on a node), `SystemOOM` (kubelet's OOM watcher, kubernetes/kubernetes
//! `pkg/kubelet/oom/oom_watcher_linux.go` @ v1.32.0, records it for kernel OOM kills whose victim
//! cgroup it reads as `/`; pasted nodes show it for container-limit kills too, so it is not taken
//! as proof of a node-level OOM), `EvictionThresholdMet` and `NodeHasInsufficientMemory`
//! (MemoryPressure). Columns are
//! whitespace-separated tokens up to MESSAGE, which is the rest of the line (kubectl aligns with
//! spaces, and wide characters break byte offsets, so offsets are not used).
//!
//! The same events in `kubectl describe node`'s Events table are read when node-problem-detector's
//! `kernel-monitor` reported them (`Warning  OOMKilling  95s (x13 over 2m23s)  kernel-monitor[, node]
//! <kernel text>`), with or without the table's header, and with the message on the line above the
//! row when a paste put it there. The kernel text itself is read by the kernel reader too.

use super::finding::{Finding, Severity};
use super::input::{InputBlock, InputKind};
use super::lines::{lines_containing, numbered, NumberedLine};
use crate::base::message::{Arg, Message};
use serde::Serialize;

/// One memory-related event row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterEvent {
    /// Line in the paste.
    pub line: usize,
    /// Namespace (with `-A`), if printed.
    pub namespace: Option<String>,
    /// `Normal` or `Warning`.
    pub event_type: String,
    /// The reason (`Evicted`, `OOMKilling`, …).
    pub reason: String,
    /// The object, e.g. `pod/web-7d9c` or `node/worker-1`.
    pub object: String,
    /// The message.
    pub message: String,
    /// How many times kubectl's aggregation counted it (`(x13 over 2m23s)` in describe's Age),
    /// when printed.
    pub count: Option<u64>,
    /// The span of those repeats, as printed (`2m23s`).
    pub over: Option<String>,
    /// Who reported it (describe's From column, `kernel-monitor`), when printed.
    pub source: Option<String>,
}

/// What was read: the tables' line ranges and the memory-related rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventsReading {
    /// One block per table (header to last row).
    pub blocks: Vec<InputBlock>,
    /// The memory-related rows, in input order.
    pub events: Vec<ClusterEvent>,
}

/// The reasons this reader keeps.
pub const REASONS: [&str; 6] = [
    "Evicted",
    "OOMKilling",
    // node-problem-detector's name for it before v0.4 (`config/kernel-monitor.json`).
    "PodOOMKilling",
    "SystemOOM",
    "EvictionThresholdMet",
    "NodeHasInsufficientMemory",
];

/// The header's columns before MESSAGE, when `line` is a `kubectl get events` header.
fn header(line: &str) -> Option<usize> {
    let t: Vec<&str> = line.split_whitespace().collect();
    match t.as_slice() {
        ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE", ..] => Some(4),
        ["NAMESPACE", "LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE", ..] => Some(5),
        _ => None,
    }
}

/// The first `n` whitespace-separated tokens of `s` and the rest (trimmed).
fn tokens(s: &str, n: usize) -> Option<(Vec<&str>, &str)> {
    let mut out = Vec::with_capacity(n);
    let mut rest = s.trim_start();
    for _ in 0..n {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let tok = rest.get(..end)?;
        if tok.is_empty() {
            return None;
        }
        out.push(tok);
        rest = rest.get(end..)?.trim_start();
    }
    Some((out, rest.trim_end()))
}

/// Reads every `kubectl get events` table in `text`. Linear in the text.
pub fn read(text: &str) -> EventsReading {
    let rows = lines_containing(text, &[MONITOR]);
    if memchr::memmem::find(text.as_bytes(), HEADER_WORDS.as_bytes()).is_none() {
        return read_lines(text, rows, std::iter::empty());
    }
    read_lines(text, rows, numbered(text))
}

/// The word of the describe rows this reader takes.
pub const MONITOR: &str = "kernel-monitor";
/// Words of a `kubectl get events` header: without them no table is looked for.
pub const HEADER_WORDS: &str = "LAST SEEN";

/// [`read`] given the lines of `text` holding [`MONITOR`] and, when the text holds
/// [`HEADER_WORDS`], all its lines (else none): how `explain` shares its line split and
/// substring search.
pub fn read_lines<'a>(
    text: &'a str,
    monitor_rows: impl Iterator<Item = NumberedLine<'a>>,
    all_lines: impl Iterator<Item = NumberedLine<'a>>,
) -> EventsReading {
    let mut out = EventsReading::default();
    read_node_rows(text, monitor_rows, &mut out);
    let mut table: Option<(usize, usize, usize)> = None; // (columns, first line, last line)
    for nl in all_lines {
        if let Some(cols) = header(nl.text) {
            if let Some((_, first, last)) = table.take() {
                out.blocks.push(block(first, last));
            }
            table = Some((cols, nl.number, nl.number));
            continue;
        }
        let Some((cols, _, last)) = table.as_mut() else {
            continue;
        };
        if nl.text.trim().is_empty() {
            continue;
        }
        // LAST SEEN is one token ("8m21s", "<unknown>"); with -A the namespace comes first.
        let Some((t, message)) = tokens(nl.text, *cols) else {
            continue;
        };
        let (namespace, event_type, reason, object) = if *cols == 5 {
            (Some(t[0]), t[2], t[3], t[4])
        } else {
            (None, t[1], t[2], t[3])
        };
        if event_type != "Normal" && event_type != "Warning" {
            continue;
        }
        *last = nl.number;
        if REASONS.contains(&reason) {
            out.events.push(ClusterEvent {
                line: nl.number,
                namespace: namespace.map(str::to_string),
                event_type: event_type.to_string(),
                reason: reason.to_string(),
                object: object.to_string(),
                message: message.to_string(),
                count: None,
                over: None,
                source: None,
            });
        }
    }
    if let Some((_, first, last)) = table {
        out.blocks.push(block(first, last));
    }
    out
}

/// The rows of `kubectl describe node`'s Events table that node-problem-detector's kernel monitor
/// wrote. Only lines holding `kernel-monitor` are looked at (a substring search).
fn read_node_rows<'a>(
    text: &str,
    rows: impl Iterator<Item = NumberedLine<'a>>,
    out: &mut EventsReading,
) {
    for nl in rows {
        let Some(row) = node_row(nl.text) else {
            continue;
        };
        if !REASONS.contains(&row.reason) {
            continue;
        }
        let mut first = nl.number;
        let mut message = row.message.to_string();
        // `Memory cgroup out of memory: Killed process …` on its own line right above the row.
        if message.is_empty() && nl.number > 1 {
            if let Some(prev) = line_before(text, nl.text) {
                let p = prev.trim();
                if p.contains("Killed process ") || p.contains("Kill process ") {
                    message = p.to_string();
                    first = nl.number - 1;
                }
            }
        }
        out.events.push(ClusterEvent {
            line: nl.number,
            namespace: None,
            event_type: row.event_type.to_string(),
            reason: row.reason.to_string(),
            object: row
                .node
                .map_or_else(|| "node".to_string(), |n| format!("node/{n}")),
            message,
            count: row.count,
            over: row.over.map(str::to_string),
            source: Some("kernel-monitor".to_string()),
        });
        InputBlock::extend_or_push(&mut out.blocks, InputKind::DescribeNode, first, nl.number);
    }
}

/// The line before `line`, a slice of `text`.
fn line_before<'a>(text: &'a str, line: &str) -> Option<&'a str> {
    let start = (line.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let before = text.get(..start)?.strip_suffix('\n')?;
    let before = before.strip_suffix('\r').unwrap_or(before);
    Some(before.rsplit('\n').next().unwrap_or(before))
}

/// One Events row of `kubectl describe`: `Type Reason Age From Message`.
struct NodeRow<'a> {
    event_type: &'a str,
    reason: &'a str,
    count: Option<u64>,
    over: Option<&'a str>,
    node: Option<&'a str>,
    message: &'a str,
}

/// `Warning  OOMKilling  95s (x13 over 2m23s)  kernel-monitor, aks-1  <message>`.
fn node_row(line: &str) -> Option<NodeRow<'_>> {
    let (t, rest) = tokens(line, 3)?;
    let (event_type, reason) = (t[0], t[1]);
    if event_type != "Normal" && event_type != "Warning" {
        return None;
    }
    // `(x13 over 2m23s)` after the age.
    let (count, over, rest) = match rest.strip_prefix("(x") {
        Some(r) => {
            let (inside, after) = r.split_once(')')?;
            let (n, span) = inside.split_once(" over ")?;
            (n.parse().ok(), Some(span.trim()), after.trim_start())
        }
        None => (None, None, rest),
    };
    let rest = rest.strip_prefix("kernel-monitor")?;
    let (node, message) = match rest.strip_prefix(',') {
        Some(r) => {
            let r = r.trim_start();
            let end = r.find(char::is_whitespace).unwrap_or(r.len());
            (Some(r.get(..end)?), r.get(end..)?.trim())
        }
        None if rest.is_empty() || rest.starts_with(char::is_whitespace) => (None, rest.trim()),
        None => return None,
    };
    Some(NodeRow {
        event_type,
        reason,
        count,
        over,
        node: node.filter(|n| !n.is_empty()),
        message,
    })
}

fn block(first: usize, last: usize) -> InputBlock {
    InputBlock {
        kind: InputKind::EventsTable,
        first_line: first,
        last_line: last,
    }
}

/// The finding of one row.
pub fn finding(e: &ClusterEvent) -> Finding {
    let object = match &e.namespace {
        Some(ns) if e.object.starts_with("pod/") => {
            format!("{ns}/{}", e.object.trim_start_matches("pod/"))
        }
        _ => e.object.clone(),
    };
    let repeats = match (e.count, &e.over) {
        (Some(n), Some(over)) if n > 1 => Some(Message::with(
            "events.clause.repeats",
            [
                ("count", Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))),
                ("over", Arg::text(over.clone())),
            ],
        )),
        _ => None,
    };
    let object = ("object", Arg::text(object));
    let message = ("message", Arg::text(e.message.clone()));
    if matches!(e.reason.as_str(), "OOMKilling" | "PodOOMKilling") {
        return Finding::new(
            Severity::Critical,
            Message::with(
                "events.oom_killing",
                [object, ("repeats", Arg::optional(repeats)), message],
            ),
            vec![e.line],
        )
        .advice(Message::plain("advice.events.kernel_report"));
    }
    let args = [object, message];
    let (severity, id, advice) = match e.reason.as_str() {
        "Evicted" => (
            Severity::Critical,
            "events.evicted",
            "advice.events.evicted",
        ),
        "SystemOOM" => (Severity::Critical, "events.system_oom", "advice.oom.node"),
        "EvictionThresholdMet" => (
            Severity::Warning,
            "events.eviction_threshold_met",
            "advice.events.evicted",
        ),
        _ => (
            Severity::Warning,
            "events.memory_pressure",
            "advice.events.evicted",
        ),
    };
    Finding::new(severity, Message::with(id, args), vec![e.line]).advice(Message::plain(advice))
}
