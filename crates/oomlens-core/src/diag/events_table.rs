//! Reading `kubectl get events` (and `-A`, with its NAMESPACE column): the rows that matter for
//! memory — `Evicted` (kubelet evicted a pod), `OOMKilling` (node-problem-detector saw a kernel
//! OOM kill on a node), `SystemOOM` (kubelet's OOM watcher, kubernetes/kubernetes
//! `pkg/kubelet/oom/oom_watcher_linux.go` @ v1.32.0, records it for kernel OOM kills whose victim
//! cgroup it reads as `/`; pasted nodes show it for container-limit kills too, so it is not taken
//! as proof of a node-level OOM), `EvictionThresholdMet` and `NodeHasInsufficientMemory`
//! (MemoryPressure). Columns are
//! whitespace-separated tokens up to MESSAGE, which is the rest of the line (kubectl aligns with
//! spaces, and wide characters break byte offsets, so offsets are not used).

use super::finding::{Finding, Severity};
use super::input::{InputBlock, InputKind};
use super::lines::numbered;
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
pub const REASONS: [&str; 5] = [
    "Evicted",
    "OOMKilling",
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
    let mut out = EventsReading::default();
    if memchr::memmem::find(text.as_bytes(), b"LAST SEEN").is_none() {
        return out;
    }
    let mut table: Option<(usize, usize, usize)> = None; // (columns, first line, last line)
    for nl in numbered(text) {
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
            });
        }
    }
    if let Some((_, first, last)) = table {
        out.blocks.push(block(first, last));
    }
    out
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
    let args = [
        ("object", Arg::text(object)),
        ("message", Arg::text(e.message.clone())),
    ];
    let (severity, id, advice) = match e.reason.as_str() {
        "Evicted" => (
            Severity::Critical,
            "events.evicted",
            "advice.events.evicted",
        ),
        "OOMKilling" => (
            Severity::Critical,
            "events.oom_killing",
            "advice.events.kernel_report",
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
