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

use crate::base::quantity::{format_bytes, Quantity};
use crate::diag::finding::{Finding, Severity};
use crate::diag::lines::NumberedLine;
use serde::Serialize;

/// The start of every kubelet eviction message (`nodeLowMessageFmt`).
pub const ANCHOR: &str = "The node was low on resource: ";
const CONDITION_ANCHOR: &str = "The node had condition: ";

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

/// Parses the message text starting at the anchor (or anywhere in `text`).
pub fn parse_message(text: &str, line: usize) -> Option<EvictionMessage> {
    let at = text.find(ANCHOR)?;
    let rest = &text[at + ANCHOR.len()..];
    let toks: Vec<&str> = rest.split_whitespace().collect();
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

/// Parses `The node had condition: [MemoryPressure].`
pub fn parse_condition(text: &str, line: usize) -> Option<ConditionRejection> {
    let at = text.find(CONDITION_ANCHOR)?;
    let rest = &text[at + CONDITION_ANCHOR.len()..];
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
    let mut head = format!(
        "Kubelet evicted this pod because the node was low on {}",
        m.resource
    );
    if let (Some(t), Some(a)) = (&m.threshold, &m.available) {
        head.push_str(&format!(
            ": the eviction threshold was {} and only {} was available",
            t.text, a.text
        ));
        if let Some(ab) = a.bytes {
            if ab < 0 {
                head.push_str(" (negative: the node was already past its threshold)");
            }
        }
    }
    head.push('.');
    if m.resource == "memory" {
        head.push_str(" This is node-pressure eviction (status reason Evicted), not a kernel OOM kill: the pod's containers were stopped by kubelet, not by the OOM killer.");
    }
    let mut f = Finding::new(
        Severity::Critical,
        "eviction.node_pressure",
        head,
        lines.clone(),
    )
    .arg("resource", &m.resource);
    if let Some(t) = &m.threshold {
        f = f.arg("threshold", &t.text);
    }
    if let Some(a) = &m.available {
        f = f.arg("available", &a.text);
        if a.bytes.is_some_and(|b| b < 0) {
            f = f.arg("negative", "yes");
        }
    }
    if m.resource == "memory" {
        f = f.arg("memory", "yes");
    }
    out.push(f.advice(
        "Set memory requests close to real usage (pods over their request are evicted first), keep node allocatable honest (kube-reserved/system-reserved), and consider a soft threshold so kubelet evicts with a grace period.",
    ));
    if m.resource != "memory" {
        return out;
    }
    if m.offenders.is_empty() {
        out.push(Finding::new(
            Severity::Info,
            "eviction.no_offenders",
            "The message names no container over its request: either every container was within its request (the pod was then ranked by priority and by usage − request among pods also within requests) or kubelet had no stats for it (a pod without stats ranks first).",
            lines.clone(),
        ));
    }
    for o in &m.offenders {
        let who = if o.is_pod {
            format!("Pod {}", o.name)
        } else {
            format!("Container {}", o.name)
        };
        let mut msg = format!(
            "{who} had a working set of {} against a memory request of {}",
            o.usage.text, o.request.text
        );
        if let Some(e) = o.excess_bytes {
            msg.push_str(&format!(" ({} over)", format_bytes(e)));
        }
        msg.push('.');
        if o.request.bytes == Some(0) {
            msg.push_str(" With no memory request, any usage counts as over the request.");
        }
        let mut f = Finding::new(Severity::Warning, "eviction.offender", msg, lines.clone())
            .arg("kind", if o.is_pod { "pod" } else { "container" })
            .arg(if o.is_pod { "is_pod" } else { "is_container" }, "yes")
            .arg("name", &o.name)
            .arg("usage", &o.usage.text)
            .arg("request", &o.request.text);
        if let Some(e) = o.excess_bytes {
            f = f.arg("excess_bytes", e);
        }
        if o.request.bytes == Some(0) {
            f = f.arg("no_request", "yes");
        }
        out.push(f);
    }
    let mut why = String::from(
        "Why this pod ranked first: kubelet sorts pods by (1) whether the pod's working set exceeds its memory request — pods over their request go first, (2) priority, lower first, (3) usage − request, largest first.",
    );
    if !m.offenders.is_empty() {
        why.push_str(
            " This pod had at least one container over its request, so it was in the first group",
        );
    }
    match priority {
        Some(p) => why.push_str(&format!("; its priority was {p}.")),
        None if !m.offenders.is_empty() => {
            why.push_str("; its priority is not in the paste (kubelet treats none as 0).")
        }
        None => why.push_str(" Its priority is not in the paste."),
    }
    why.push_str(" The paste cannot prove the other pods' usage or priority, so the order against them cannot be checked; at most one pod is evicted per 10 s cycle.");
    let mut f = Finding::new(Severity::Info, "eviction.ranking", why, lines);
    if !m.offenders.is_empty() {
        f = f.arg("over_request", "yes");
    }
    if let Some(p) = priority {
        f = f.arg("priority", p);
    }
    out.push(f);
    out
}
