//! Reader for kubelet's eviction message (pod `status.message`, the `Evicted` event), as built by
//! `evictionMessage` in kubernetes/kubernetes `pkg/kubelet/eviction/helpers.go` (read at @008b3652):
//!
//! ```text
//! The node was low on resource: memory. Threshold quantity: 100Mi, available: 91460Ki. Container app was using 1524Mi, request is 512Mi, has larger consumption of memory.
//! ```
//!
//! Fragments, each ending with `". "`:
//! - `nodeLowMessageFmt` `The node was low on resource: %v. `
//! - `thresholdMetMessageFmt` `Threshold quantity: %v, available: %v. ` (only when the threshold's observation exists)
//! - `podMessageFmt` `Pod %s was using %s, request is %s, has larger consumption of %v. ` (pod-level resources)
//! - `containerMessageFmt`, one per container whose working set is strictly above its request:
//!   current `Container %s was using %s, request is %s, has larger consumption of %v. `, older kubelets
//!   `Container %s was using %s, which exceeds its request of %s. `
//! - admission rejections use `nodeConditionMessageFmt` `The node had condition: %v. `
//!
//! Quantities are `resource.Quantity.String()` of byte counts (`1524Mi`, `91460Ki`, `0`, negative
//! `available` when the node was already past the threshold).

use crate::base::message::{Arg, Message};
use crate::base::quantity::Quantity;
use crate::diag::finding::{Finding, Severity};
use crate::diag::lines::NumberedLine;
use serde::Serialize;

/// The start of every kubelet eviction message (`nodeLowMessageFmt`).
pub const ANCHOR: &str = "The node was low on resource: ";
/// The start of an admission rejection (`nodeConditionMessageFmt`).
pub const CONDITION_ANCHOR: &str = "The node had condition: ";

/// A quantity as printed, with its value in bytes when it parses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintedQuantity {
    /// As printed (`91460Ki`).
    pub text: String,
    /// Its value (`Quantity.Value()`), None if it does not parse.
    pub bytes: Option<i64>,
}

impl PrintedQuantity {
    fn new(tok: &str) -> PrintedQuantity {
        let t = clean(tok);
        PrintedQuantity {
            text: t.to_string(),
            bytes: Quantity::parse(t).ok().map(|q| q.value()),
        }
    }
}

/// A container (or the pod, with pod-level resources) named in the message as over its request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offender {
    /// Container name (or pod name when `is_pod`).
    pub name: String,
    /// True for the `Pod … was using` fragment.
    pub is_pod: bool,
    /// Working set kubelet saw.
    pub usage: PrintedQuantity,
    /// Its request for the resource (`0` when none).
    pub request: PrintedQuantity,
    /// usage − request in bytes, when both parse.
    pub excess_bytes: Option<i64>,
}

/// Which container fragment wording the kubelet used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageFormat {
    /// `…, request is R, has larger consumption of memory.` (current kubelets).
    LargerConsumption,
    /// `…, which exceeds its request of R.` (older kubelets).
    ExceedsRequest,
    /// No container fragment.
    NoContainers,
}

/// One eviction message as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvictionMessage {
    /// Line where the message starts (1-based).
    pub line: usize,
    /// Last line (wrapped YAML messages span several).
    pub last_line: usize,
    /// The starved resource (`memory`, `ephemeral-storage`, `pids`…).
    pub resource: String,
    /// `Threshold quantity` (the threshold converted to a quantity against capacity).
    pub threshold: Option<PrintedQuantity>,
    /// `available` when the threshold was met.
    pub available: Option<PrintedQuantity>,
    /// The containers (and the pod) the message names as over their requests.
    pub offenders: Vec<Offender>,
    /// Wording used.
    pub format: MessageFormat,
}

/// An admission rejection `The node had condition: [MemoryPressure].`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionRejection {
    /// Line (1-based).
    pub line: usize,
    /// The conditions listed.
    pub conditions: Vec<String>,
}

fn clean(tok: &str) -> &str {
    tok.trim_matches(|c: char| {
        c == ',' || c == '"' || c == '\'' || c == '\\' || c == ';' || c == ')' || c == '('
    })
    .trim_end_matches('.')
    .trim_end_matches(['"', '\'', ','])
}

/// True when the line holds an eviction message start.
pub fn is_eviction_line(line: &str) -> bool {
    line.contains(ANCHOR)
}

/// What an admission rejection means: the pod never ran on the node.
pub fn condition_finding(r: &ConditionRejection) -> Finding {
    let memory = r.conditions.iter().any(|c| c == "MemoryPressure");
    Finding::new(
        Severity::Warning,
        Message::with(
            if memory {
                "eviction.admission.memory"
            } else {
                "eviction.admission.other"
            },
            [("conditions", Arg::text(r.conditions.join(", ")))],
        ),
        vec![r.line],
    )
}

/// Parses the message text starting at the anchor (or anywhere in `text`).
pub fn parse_message(text: &str, line: usize) -> Option<EvictionMessage> {
    let at = text.find(ANCHOR)?;
    let rest = &text[at + ANCHOR.len()..];
    let toks: Vec<&str> = rest.split_whitespace().collect();
    // `[MemoryPressure]`: node conditions, an admission rejection (`parse_condition`).
    if toks.first()?.starts_with('[') {
        return None;
    }
    let resource = clean(toks.first()?).to_string();
    let mut m = EvictionMessage {
        line,
        last_line: line,
        resource,
        threshold: None,
        available: None,
        offenders: Vec::new(),
        format: MessageFormat::NoContainers,
    };
    let mut i = 1;
    let tok = |i: usize| toks.get(i).copied().unwrap_or("");
    while i < toks.len() {
        match tok(i) {
            "Threshold" if tok(i + 1) == "quantity:" && tok(i + 3) == "available:" => {
                m.threshold = Some(PrintedQuantity::new(tok(i + 2)));
                m.available = Some(PrintedQuantity::new(tok(i + 4)));
                i += 5;
            }
            kw @ ("Container" | "Pod") if tok(i + 2) == "was" && tok(i + 3) == "using" => {
                let name = clean(tok(i + 1)).to_string();
                let usage = PrintedQuantity::new(tok(i + 4));
                let (request, adv, fmt) = if tok(i + 5) == "request" && tok(i + 6) == "is" {
                    // `request is R, has larger consumption of memory.`
                    let skip = if tok(i + 8) == "has" && tok(i + 9) == "larger" {
                        12
                    } else {
                        7
                    };
                    (
                        PrintedQuantity::new(tok(i + 7)),
                        skip,
                        MessageFormat::LargerConsumption,
                    )
                } else if tok(i + 5) == "which"
                    && tok(i + 6) == "exceeds"
                    && tok(i + 8) == "request"
                {
                    (
                        PrintedQuantity::new(tok(i + 10)),
                        11,
                        MessageFormat::ExceedsRequest,
                    )
                } else {
                    i += 1;
                    continue;
                };
                let excess = match (usage.bytes, request.bytes) {
                    (Some(u), Some(r)) => Some(u.saturating_sub(r)),
                    _ => None,
                };
                m.offenders.push(Offender {
                    name,
                    is_pod: kw == "Pod",
                    usage,
                    request,
                    excess_bytes: excess,
                });
                if kw == "Container" {
                    m.format = fmt;
                }
                i += adv;
            }
            _ => i += 1,
        }
    }
    Some(m)
}

/// Parses an admission rejection by the eviction manager (`Admit` in kubernetes/kubernetes
/// `pkg/kubelet/eviction/eviction_manager.go`): `The node had condition: [MemoryPressure].`, or in
/// older kubelets the eviction wording with the node's conditions, `The node was low on resource:
/// [MemoryPressure].` (the pod status adds `Pod ` before it: `rejectPod` in `pkg/kubelet`).
pub fn parse_condition(text: &str, line: usize) -> Option<ConditionRejection> {
    let rest = [CONDITION_ANCHOR, ANCHOR].iter().find_map(|a| {
        let at = text.find(a)?;
        text.get(at + a.len()..)
    })?;
    let inner = rest.trim_start().strip_prefix('[')?;
    let end = inner.find(']')?;
    let conditions = inner[..end]
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Some(ConditionRejection { line, conditions })
}

/// Reads every eviction message in `lines`, joining a message wrapped over indented continuation
/// lines (as `kubectl get -o yaml` folds long strings).
pub fn read_lines(lines: &[NumberedLine<'_>]) -> Vec<EvictionMessage> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match read_at(lines, i) {
            Some((m, next)) => {
                out.push(m);
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// Reads the message that starts on `lines[i]` (with its continuation lines); returns it and the
/// index of the first line after it. None when `lines[i]` holds no eviction message.
pub fn read_at(lines: &[NumberedLine<'_>], i: usize) -> Option<(EvictionMessage, usize)> {
    let l = *lines.get(i)?;
    let at = l.text.find(ANCHOR)?;
    let mut joined = l.text.to_string();
    let mut last = l.number;
    let mut j = i + 1;
    // A YAML-folded scalar continues on deeper-indented lines.
    let quoted_open = {
        let q = l.text[..at].chars().rev().find(|c| !c.is_whitespace());
        matches!(q, Some('\'') | Some('"'))
    };
    // `yq`/terminal output may break the message before a `Container …`/`Pod …` fragment.
    while j < lines.len() && j < i + 20 && joined.len() < 16_384 {
        let t = lines[j].text.trim();
        if (t.starts_with("Container ") || t.starts_with("Pod ")) && t.contains(" was using ") {
            joined.push(' ');
            joined.push_str(t);
            last = lines[j].number;
            j += 1;
        } else {
            break;
        }
    }
    if quoted_open && j == i + 1 {
        let key_indent = l.text.len() - l.text.trim_start().len();
        while j < lines.len() && j < i + 20 && joined.len() < 16_384 {
            let t = lines[j].text;
            let trimmed = t.trim_start();
            if trimmed.is_empty() || t.len() - trimmed.len() <= key_indent || is_eviction_line(t) {
                break;
            }
            joined.push(' ');
            joined.push_str(trimmed);
            last = lines[j].number;
            j += 1;
            if trimmed.ends_with('\'') || trimmed.ends_with('"') {
                break;
            }
        }
    }
    let mut m = parse_message(&joined, l.number)?;
    m.last_line = last;
    Some((m, j.max(i + 1)))
}

/// What the message proves and why this pod ranked first (kubelet `rankMemoryPressure` =
/// `orderedBy(exceedMemoryRequests, priority, memory)` in `pkg/kubelet/eviction/helpers.go`).
/// `priority` is the pod's `spec.priority` when another block of the paste shows it.
pub fn findings(m: &EvictionMessage, priority: Option<i32>) -> Vec<Finding> {
    let mut out = Vec::new();
    let lines: Vec<usize> = (m.line..=m.last_line).collect();
    let threshold = match (&m.threshold, &m.available) {
        (Some(t), Some(a)) => Some(Message::with(
            if a.bytes.is_some_and(|b| b < 0) {
                "eviction.clause.threshold_negative"
            } else {
                "eviction.clause.threshold"
            },
            [
                ("threshold", Arg::text(t.text.clone())),
                ("available", Arg::text(a.text.clone())),
            ],
        )),
        _ => None,
    };
    let memory = m.resource == "memory";
    out.push(
        Finding::new(
            Severity::Critical,
            Message::with(
                if memory {
                    "eviction.node_pressure"
                } else {
                    "eviction.node_pressure.other"
                },
                [
                    ("resource", Arg::text(m.resource.clone())),
                    ("threshold", Arg::optional(threshold)),
                ],
            ),
            lines.clone(),
        )
        .advice(Message::plain("advice.eviction.node_pressure")),
    );
    if !memory {
        return out;
    }
    if m.offenders.is_empty() {
        out.push(Finding::new(
            Severity::Info,
            Message::plain("eviction.no_offenders"),
            lines.clone(),
        ));
    }
    for o in &m.offenders {
        let args =
            vec![
                ("name", Arg::text(o.name.clone())),
                ("usage", Arg::text(o.usage.text.clone())),
                ("request", Arg::text(o.request.text.clone())),
                (
                    "over",
                    Arg::optional(o.excess_bytes.map(|e| {
                        Message::with("eviction.clause.over", [("excess", Arg::Bytes(e))])
                    })),
                ),
                (
                    "no_request",
                    Arg::optional(
                        (o.request.bytes == Some(0))
                            .then(|| Message::plain("eviction.clause.no_request")),
                    ),
                ),
            ];
        out.push(Finding::new(
            Severity::Warning,
            Message::new(
                if o.is_pod {
                    "eviction.offender.pod"
                } else {
                    "eviction.offender"
                },
                args,
            ),
            lines.clone(),
        ));
    }
    let priority_clause = Message::new(
        match (priority, m.offenders.is_empty()) {
            (Some(_), false) => "eviction.ranking.over_request_priority",
            (None, false) => "eviction.ranking.over_request_no_priority",
            (Some(_), true) => "eviction.ranking.priority",
            (None, true) => "eviction.ranking.no_priority",
        },
        priority
            .map(|p| vec![("priority", Arg::Int(i64::from(p)))])
            .unwrap_or_default(),
    );
    out.push(Finding::new(
        Severity::Info,
        Message::with(
            "eviction.ranking",
            [("this_pod", Arg::message(priority_clause))],
        ),
        lines,
    ));
    out
}
