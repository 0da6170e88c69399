//! Finds the blocks of a mixed paste that belong to the Kubernetes-side readers: `kubectl describe
//! pod|node`, pod objects (YAML/JSON), KubeletConfiguration / `/configz`, kubelet flags,
//! memory.stat and eviction messages. Kernel and systemd-oomd blocks are found by their own readers
//! first and passed in as `claimed` lines, which no block here may cross.
//!
//! One forward pass with bounded look-ahead: every line is examined a constant number of times
//! (a YAML document's backward extension stops at the previous block), so detection is linear in
//! the input, whatever its line lengths.

use crate::diag::input::InputKind;
use crate::diag::kubelet_config;
use crate::diag::lines::NumberedLine;
use crate::diag::memory_stat::{self, MemLine};

/// How a block's text is written, so `explain` knows which reader to call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `kubectl describe` key/value text.
    Describe,
    /// A YAML document.
    Yaml,
    /// A JSON object.
    Json,
    /// Kubelet command-line flags.
    Flags,
    /// memory.stat and companion files.
    MemoryStat,
    /// A kubelet eviction message.
    Eviction,
    /// Part of `kubectl describe pod` without its `Name:` line (container states, or `Events:` alone).
    DescribeFragment,
    /// Part of a pod status object (`lastState:`, `state:`, `containerStatuses:`) pasted alone.
    StatusFragment,
    /// kubelet's log line saying it could not load its configuration file.
    KubeletLoadFailure,
}

/// A detected block: indices into the line slice (`start..end`, end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// Kind (for documents, the kind guessed before parsing: `PodManifest` or `KubeletConfig`).
    pub kind: InputKind,
    /// Text form.
    pub flavor: Flavor,
    /// First index.
    pub start: usize,
    /// One past the last index.
    pub end: usize,
}

/// Records a detected block and marks its lines taken, so no later reader looks at them again.
fn claim(out: &mut Vec<Detected>, taken: &mut [bool], d: Detected) {
    taken[d.start..d.end].iter_mut().for_each(|x| *x = true);
    out.push(d);
}

fn indent(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t']).len()
}

fn starts_key(t: &str, key: &str) -> bool {
    t.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
}

/// A `Name:` line of `kubectl describe`, with its kind found in the next lines.
fn describe_kind(lines: &[NumberedLine<'_>], i: usize, claimed: &[bool]) -> Option<InputKind> {
    let l = lines.get(i)?;
    let t = l.text.trim_start();
    if !starts_key(t, "Name") || t.len() > 400 {
        return None;
    }
    let base = indent(l.text);
    for (j, next) in lines
        .iter()
        .enumerate()
        .take((i + 8).min(lines.len()))
        .skip(i + 1)
    {
        if claimed.get(j).copied().unwrap_or(true) {
            break;
        }
        let x = next.text;
        if indent(x) != base {
            continue;
        }
        let xt = x.trim_start();
        if starts_key(xt, "Namespace") {
            return Some(InputKind::DescribePod);
        }
        if starts_key(xt, "Roles") || starts_key(xt, "Capacity") || starts_key(xt, "Allocatable") {
            return Some(InputKind::DescribeNode);
        }
    }
    None
}

fn describe_end(lines: &[NumberedLine<'_>], i: usize, claimed: &[bool]) -> usize {
    let base = indent(lines[i].text);
    let mut j = i + 1;
    while j < lines.len() && !claimed[j] {
        let x = lines[j].text;
        let t = x.trim();
        if t.is_empty() {
            // A blank line ends the block unless the next line continues it (deeper indent).
            match lines.get(j + 1) {
                Some(n)
                    if !claimed.get(j + 1).copied().unwrap_or(true)
                        && indent(n.text) > base
                        && !n.text.trim().is_empty() =>
                {
                    j += 1;
                    continue;
                }
                _ => break,
            }
        }
        let ind = indent(x);
        if ind < base {
            break;
        }
        if ind == base {
            let xt = x.trim_start();
            // `[ ... lines removed for clarity ...]`, `...`: elisions inside a pasted describe.
            if xt.starts_with('[') || xt.starts_with("...") || xt.starts_with('…') {
                j += 1;
                continue;
            }
            let is_key = xt.find(':').is_some_and(|p| {
                p > 0
                    && p <= 40
                    && xt[..p]
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b" -_()./".contains(&c))
            });
            if !is_key || starts_key(xt, "Name") {
                break;
            }
        }
        j += 1;
    }
    j
}

/// Node-side event reasons: an `Events:` table holding one of them is from `describe node`.
const NODE_EVENT_REASONS: &[&str] = &[
    "SystemOOM",
    "EvictionThresholdMet",
    "NodeHasInsufficientMemory",
    "NodeHasSufficientMemory",
    "OOMKilling",
    "NodeAllocatableEnforced",
    "NodeNotReady",
    "NodeReady",
    "Starting",
];

/// A describe fragment starts here: `State:`/`Last State:` of a container (followed by state
/// details), or `Events:` followed by an events table header.
fn fragment_anchor(lines: &[NumberedLine<'_>], i: usize, claimed: &[bool]) -> Option<InputKind> {
    let t = lines[i].text.trim_start();
    if t.len() > 200 {
        return None;
    }
    let next = lines
        .get(i + 1)
        .filter(|_| !claimed.get(i + 1).copied().unwrap_or(true))
        .map(|l| l.text.trim_start())
        .unwrap_or("");
    if t.trim_end() == "Events:" {
        if !(next.contains("Reason") && next.contains("Message")) {
            return None;
        }
        let node = lines[i + 1..(i + 200).min(lines.len())]
            .iter()
            .take_while(|l| !l.text.trim().is_empty())
            .any(|l| {
                NODE_EVENT_REASONS
                    .iter()
                    .any(|r| l.text.split_whitespace().any(|w| w == *r))
            });
        return Some(if node {
            InputKind::DescribeNode
        } else {
            InputKind::DescribePod
        });
    }
    // Sections of `kubectl describe node` pasted without its `Name:` line.
    // Each must be followed by what kubectl prints under it (a custom resource's `Conditions:`
    // with `Last Transition Time:` is not a node's).
    let section_body = match t.trim_end() {
        "Capacity:" | "Allocatable:" => next.split_once(':').is_some_and(|(k, _)| {
            matches!(k, "cpu" | "memory" | "pods" | "ephemeral-storage")
                || k.starts_with("hugepages-")
        }),
        "Allocated resources:" => {
            next.starts_with("(Total limits")
                || next.starts_with("Resource")
                || next.starts_with("CPU Requests")
        }
        "Conditions:" => {
            let mut w = next.split_whitespace();
            w.next() == Some("Type") && w.next() == Some("Status")
                || crate::diag::describe::is_condition_row(next)
        }
        _ => false,
    };
    if section_body
        && indent(lines.get(i + 1).map(|l| l.text).unwrap_or("")) > indent(lines[i].text)
    {
        return Some(InputKind::DescribeNode);
    }
    for k in ["State:", "Last State:", "Last Termination State:"] {
        if let Some(v) = t.strip_prefix(k) {
            let v = v.trim();
            if matches!(v, "Terminated" | "Running" | "Waiting")
                && indent(lines.get(i + 1).map(|l| l.text).unwrap_or("")) > indent(lines[i].text)
            {
                return Some(InputKind::DescribePod);
            }
        }
    }
    None
}

/// A pod-status YAML fragment starts here: `lastState:`/`state:` followed by `terminated:`/…, or `containerStatuses:`.
fn status_fragment_anchor(lines: &[NumberedLine<'_>], i: usize) -> bool {
    let t = lines[i].text.trim();
    let next = lines.get(i + 1).map(|l| l.text.trim_start()).unwrap_or("");
    match t {
        "lastState:" | "state:" | "lastTerminationState:" => {
            next.starts_with("terminated:")
                || next.starts_with("waiting:")
                || next.starts_with("running:")
        }
        "containerStatuses:" => next.starts_with("- "),
        // The `status:` part of `kubectl get pod -o yaml` pasted alone.
        "status:" => [
            "phase:",
            "conditions:",
            "containerStatuses:",
            "message:",
            "reason:",
            "hostIP:",
            "podIP:",
            "qosClass:",
            "startTime:",
        ]
        .iter()
        .any(|k| next.starts_with(k)),
        _ => false,
    }
}

/// The first line of a pod status member of `kubectl get pod -o json` pasted without the object
/// around it: `"status": {`, `"containerStatuses": [`, `"lastState": {`, `"state": {`.
fn json_status_fragment_anchor(t: &str) -> bool {
    [
        "\"status\": {",
        "\"containerStatuses\": [",
        "\"lastState\": {",
        "\"state\": {",
    ]
    .contains(&t.trim())
}

/// YAML-ish line for document extraction: blank, comment, indented, list item, `key:` at column 0, `---`-free.
fn yamlish(t: &str) -> bool {
    if t.trim().is_empty()
        || t.starts_with(' ')
        || t.starts_with('-') && !t.starts_with("---")
        || t.starts_with('#')
    {
        return true;
    }
    match t.find(':') {
        Some(p) => {
            let k = &t[..p];
            !k.is_empty()
                && k.bytes().all(|c| {
                    c.is_ascii_alphanumeric()
                        || c == b'_'
                        || c == b'-'
                        || c == b'.'
                        || c == b'/'
                        || c == b'"'
                        || c == b'\''
                })
                && t[p + 1..].chars().next().is_none_or(|c| c == ' ')
        }
        None => false,
    }
}

fn is_yaml_anchor(t: &str) -> Option<InputKind> {
    let t = t.trim_end();
    if let Some(k) = t.strip_prefix("kind:") {
        let k = k.trim().trim_matches(|c| c == '"' || c == '\'');
        return match k {
            "KubeletConfiguration" => Some(InputKind::KubeletConfig),
            "Pod"
            | "List"
            | "PodList"
            | "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "Job"
            | "CronJob"
            | "ReplicationController"
            | "PodTemplate" => Some(InputKind::PodManifest),
            _ => None,
        };
    }
    if t.starts_with("apiVersion: kubelet.config.k8s.io") {
        return Some(InputKind::KubeletConfig);
    }
    for k in [
        "evictionHard:",
        "kubeReserved:",
        "systemReserved:",
        "evictionSoft:",
        "enforceNodeAllocatable:",
    ] {
        if t.starts_with(k) {
            return Some(InputKind::KubeletConfig);
        }
    }
    None
}

/// End (exclusive) of the JSON object starting at line `i` (whose text starts with `{`), if it closes
/// within the unclaimed lines; `Err(k)` gives the index where scanning stopped.
fn json_end(lines: &[NumberedLine<'_>], i: usize, claimed: &[bool]) -> Result<usize, usize> {
    let mut depth: i64 = 0;
    let mut in_str = false;
    let mut esc = false;
    let mut j = i;
    while j < lines.len() && !claimed[j] {
        for &c in lines[j].text.as_bytes() {
            if in_str {
                if esc {
                    esc = false;
                } else if c == b'\\' {
                    esc = true;
                } else if c == b'"' {
                    in_str = false;
                }
                continue;
            }
            match c {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(j + 1);
                    }
                    if depth < 0 {
                        return Err(j + 1);
                    }
                }
                _ => {}
            }
        }
        j += 1;
    }
    Err(j)
}

/// True when `t` starts as a journal or syslog line does (`Nov 03 18:37:45 `, `Nov  3 18:37:45`,
/// `2025-11-03T18:37:45`). No block detected here starts on such a line: their first lines are
/// `Name:`, `{`, `kind:` and the other document anchors, a condition type, a section title, a
/// status key, a flag list item or a memory file, none of which follows a time. Only a kubelet
/// flag (`--name`), a `cat`/`grep` of a memory file or a dump path can sit inside a log line, so
/// such lines go through the full checks. What this buys: the lines of a node's journal, most of
/// a large paste, are passed over in a few nanoseconds each (docs/performance.md).
fn log_line(t: &str) -> bool {
    let b = t.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let clock = |i: usize| {
        digit(i)
            && digit(i + 1)
            && at(i + 2, b':')
            && digit(i + 3)
            && digit(i + 4)
            && at(i + 5, b':')
    };
    // `Mmm dd HH:MM:SS`
    let month = b.first().is_some_and(u8::is_ascii_uppercase)
        && b.get(1).is_some_and(u8::is_ascii_lowercase)
        && b.get(2).is_some_and(u8::is_ascii_lowercase)
        && at(3, b' ')
        && (digit(4) || at(4, b' '))
        && digit(5)
        && at(6, b' ')
        && clock(7);
    // `YYYY-MM-DDTHH:MM:SS`
    let iso = (0..4).all(digit)
        && at(4, b'-')
        && digit(5)
        && digit(6)
        && at(7, b'-')
        && digit(8)
        && digit(9)
        && at(10, b'T')
        && clock(11);
    month || iso
}

/// The words of the one-line messages found anywhere (eviction messages, kubelet's failure to
/// load its configuration): only lines holding one are looked at for them.
pub const MESSAGE_NEEDLES: [&str; 3] = [
    crate::diag::eviction_message::ANCHOR,
    crate::diag::eviction_message::CONDITION_ANCHOR,
    crate::diag::kubelet_config::LOAD_FAILURE_ANCHOR,
];

/// The words that send a journal line through the full checks after all (see [`log_line`]).
pub const INNER_NEEDLES: [&str; 3] = ["--", "memory.", "/sys/fs/cgroup"];

/// What `explain`'s shared pass over the text learnt for detection.
#[derive(Debug, Clone, Copy)]
pub struct Prepass<'p> {
    /// The indices of the lines holding one of [`MESSAGE_NEEDLES`], ascending.
    pub message_lines: &'p [usize],
    /// Per line, whether detection passes over it ([`passed_over`]).
    pub passed_over: &'p [bool],
}

/// Per line, whether detection passes over it: a journal line ([`log_line`]) holding none of
/// [`INNER_NEEDLES`]. `inner_at` holds the indices of the lines holding one, ascending, as a
/// shared substring search found them. What this buys: `explain` computes this on the thread
/// beside the kernel reader, so detection, which waits for the kernel reader, no longer reads
/// every line of a journal (about 25 ms of a 100 MB journal, docs/performance.md).
pub fn passed_over(lines: &[NumberedLine<'_>], inner_at: &[usize]) -> Vec<bool> {
    let mut out: Vec<bool> = lines.iter().map(|l| log_line(l.text)).collect();
    for &i in inner_at {
        if let Some(x) = out.get_mut(i) {
            *x = false;
        }
    }
    out
}

/// Detects the blocks. `claimed[i]` marks lines already owned by the kernel/oomd readers.
pub fn detect(lines: &[NumberedLine<'_>], claimed: &[bool]) -> Vec<Detected> {
    detect_in(lines, claimed, None)
}

/// [`detect`], given what a shared pass learnt ([`Prepass`]; `None`: look at every line).
pub fn detect_in(
    lines: &[NumberedLine<'_>],
    claimed: &[bool],
    prepass: Option<Prepass<'_>>,
) -> Vec<Detected> {
    let message_lines = prepass.map(|p| p.message_lines);
    let n = lines.len();
    let claimed_at = |i: usize| claimed.get(i).copied().unwrap_or(false);
    let claimed: Vec<bool> = (0..n).map(claimed_at).collect();
    let mut out = Vec::new();
    let mut taken = vec![false; n];
    let mut i = 0;
    let mut floor = 0; // backward extensions never go below this
    let mut json_dead_until = 0; // an unclosed `{` was scanned up to here: do not rescan (linear time)
                                 // A memory.stat window that fell short was scanned up to here. Any start inside it sees a
                                 // subset of the same window (same end, fewer keys), so it falls short too: skip the rescan
                                 // (otherwise lines like `nr_foo 1` repeated made detection quadratic).
    let mut stat_dead_until = 0;
    let inner = INNER_NEEDLES.map(memchr::memmem::Finder::new);
    let pass_over = |i: usize, text: &str| match prepass {
        Some(p) => p.passed_over.get(i).copied().unwrap_or(false),
        None => log_line(text) && !inner.iter().any(|f| f.find(text.as_bytes()).is_some()),
    };
    while i < n {
        if claimed[i] {
            i += 1;
            floor = i;
            continue;
        }
        let text = lines[i].text;
        if pass_over(i, text) {
            i += 1;
            continue;
        }
        let t = text.trim_start();
        // kubectl describe
        if let Some(kind) = describe_kind(lines, i, &claimed) {
            let end = describe_end(lines, i, &claimed);
            claim(
                &mut out,
                &mut taken,
                Detected {
                    kind,
                    flavor: Flavor::Describe,
                    start: i,
                    end,
                },
            );
            i = end;
            floor = i;
            continue;
        }
        // JSON objects (pods, /configz, KubeletConfiguration)
        if t.starts_with('{') && indent(text) == 0 && i >= json_dead_until {
            match json_end(lines, i, &claimed) {
                Ok(end) => {
                    let has = |needle: &str| lines[i..end].iter().any(|l| l.text.contains(needle));
                    let kind = if has("\"kubeletconfig\"") || has("KubeletConfiguration") {
                        Some(InputKind::KubeletConfig)
                    } else if has("\"containers\"") || has("\"containerStatuses\"") {
                        Some(InputKind::PodManifest)
                    } else {
                        None
                    };
                    if let Some(kind) = kind {
                        claim(
                            &mut out,
                            &mut taken,
                            Detected {
                                kind,
                                flavor: Flavor::Json,
                                start: i,
                                end,
                            },
                        );
                    }
                    i = end;
                    floor = i;
                    continue;
                }
                Err(stop) => json_dead_until = stop,
            }
        }
        // YAML documents
        if indent(text) == 0 {
            if let Some(kind) = is_yaml_anchor(text) {
                let mut s = i;
                while s > floor
                    && !claimed[s - 1]
                    && !taken[s - 1]
                    && yamlish(lines[s - 1].text)
                    && lines[s - 1].text.trim_end() != "---"
                {
                    s -= 1;
                }
                while s < i && lines[s].text.trim().is_empty() {
                    s += 1;
                }
                let mut e = i + 1;
                while e < n
                    && !claimed[e]
                    && yamlish(lines[e].text)
                    && lines[e].text.trim_end() != "---"
                    && describe_kind(lines, e, &claimed).is_none()
                {
                    e += 1;
                }
                while e > i + 1 && lines[e - 1].text.trim().is_empty() {
                    e -= 1;
                }
                // A second anchor of another document inside means the paste lacks `---`; keep it whole.
                claim(
                    &mut out,
                    &mut taken,
                    Detected {
                        kind,
                        flavor: Flavor::Yaml,
                        start: s,
                        end: e,
                    },
                );
                i = e;
                floor = i;
                continue;
            }
        }
        // Rows of a node's Conditions table without its header (and a row's wrapped reason).
        if crate::diag::describe::is_condition_row(text) {
            let mut e = i + 1;
            while e < n
                && !claimed[e]
                && (crate::diag::describe::is_condition_row(lines[e].text)
                    || crate::diag::describe::wrapped_reason(lines[e - 1].text, lines[e].text)
                        .is_some())
            {
                e += 1;
            }
            claim(
                &mut out,
                &mut taken,
                Detected {
                    kind: InputKind::DescribeNode,
                    flavor: Flavor::DescribeFragment,
                    start: i,
                    end: e,
                },
            );
            i = e;
            floor = i;
            continue;
        }
        // describe fragments: container states, or an Events table alone
        if let Some(kind) = fragment_anchor(lines, i, &claimed) {
            let anchor_indent = indent(text);
            let mut s = i;
            if t.starts_with("Events:") {
                // nothing before
            } else {
                // Back over the container's earlier fields and its name line.
                while s > floor && !claimed[s - 1] && !taken[s - 1] {
                    let p = lines[s - 1].text;
                    let pt = p.trim();
                    if pt.is_empty() {
                        break;
                    }
                    let pi = indent(p);
                    if pi == anchor_indent && pt.contains(':') {
                        s -= 1;
                        continue;
                    }
                    if pi < anchor_indent
                        && (pt.ends_with(':') || !pt.contains(' '))
                        && pt.len() < 100
                    {
                        s -= 1;
                    }
                    break;
                }
            }
            let mut e = i + 1;
            while e < n && !claimed[e] {
                let x = lines[e].text;
                let xt = x.trim();
                if xt.is_empty() {
                    break;
                }
                let xi = indent(x);
                // `...`, `[...]`, `(略)` (omitted): elisions inside a pasted describe.
                let elision = xt.starts_with("...")
                    || xt.starts_with('…')
                    || xt.starts_with("[...")
                    || xt.starts_with("(略")
                    || xt.starts_with("（略");
                if xi < anchor_indent && !elision
                    || xi == anchor_indent
                        && !xt.contains(':')
                        && !elision
                        && !t.starts_with("Events:")
                {
                    break;
                }
                if t.starts_with("Events:") && xi <= anchor_indent {
                    break;
                }
                e += 1;
            }
            claim(
                &mut out,
                &mut taken,
                Detected {
                    kind,
                    flavor: Flavor::DescribeFragment,
                    start: s,
                    end: e,
                },
            );
            i = e;
            floor = i;
            continue;
        }
        // pod status fragments (JSON members without their object)
        if json_status_fragment_anchor(text) && i >= json_dead_until {
            match json_end(lines, i, &claimed) {
                Ok(end) => {
                    claim(
                        &mut out,
                        &mut taken,
                        Detected {
                            kind: InputKind::DescribePod,
                            flavor: Flavor::StatusFragment,
                            start: i,
                            end,
                        },
                    );
                    i = end;
                    floor = i;
                    continue;
                }
                Err(stop) => json_dead_until = stop,
            }
        }
        // pod status fragments (YAML)
        if status_fragment_anchor(lines, i) {
            let base = indent(text);
            let mut e = i + 1;
            while e < n
                && !claimed[e]
                && (lines[e].text.trim().is_empty() || indent(lines[e].text) > base)
            {
                e += 1;
            }
            while e > i + 1 && lines[e - 1].text.trim().is_empty() {
                e -= 1;
            }
            claim(
                &mut out,
                &mut taken,
                Detected {
                    kind: InputKind::DescribePod,
                    flavor: Flavor::StatusFragment,
                    start: i,
                    end: e,
                },
            );
            i = e;
            floor = i;
            continue;
        }
        // kubelet flags
        if kubelet_config::is_flag_line(text) || kubelet_config::is_bare_flag_item(text) {
            let mut e = i + 1;
            while e < n
                && !claimed[e]
                && (kubelet_config::is_flag_line(lines[e].text)
                    || kubelet_config::is_bare_flag_item(lines[e].text)
                    || lines[e - 1].text.trim_end().ends_with('\\')
                        && !lines[e].text.trim().is_empty())
            {
                e += 1;
            }
            // A unit file's `ExecStart=/usr/bin/kubelet \` line before the first flag belongs to it.
            let mut s = i;
            while s > floor
                && !claimed[s - 1]
                && !taken[s - 1]
                && lines[s - 1].text.trim_end().ends_with('\\')
            {
                s -= 1;
            }
            claim(
                &mut out,
                &mut taken,
                Detected {
                    kind: InputKind::KubeletConfig,
                    flavor: Flavor::Flags,
                    start: s,
                    end: e,
                },
            );
            i = e;
            floor = i;
            continue;
        }
        // memory.stat
        if text.len() <= 300
            && i >= stat_dead_until
            && !matches!(
                memory_stat::classify(text),
                MemLine::Other | MemLine::Bare(_)
            )
        {
            let mut e = i;
            let mut last_used = i;
            let mut stat_keys = 0usize;
            let mut files = 0usize;
            let mut events = 0usize;
            let mut after_cat = false;
            while e < n && !claimed[e] && e <= last_used + 3 {
                let c = if lines[e].text.len() <= 300 {
                    memory_stat::classify(lines[e].text)
                } else {
                    MemLine::Other
                };
                match c {
                    MemLine::Stat(k, _) => {
                        if memory_stat::is_stat_key(k) {
                            stat_keys += 1;
                        }
                        last_used = e;
                    }
                    MemLine::File(..) => {
                        files += 1;
                        last_used = e;
                    }
                    MemLine::Cat(_) => {
                        after_cat = true;
                        last_used = e;
                    }
                    MemLine::Bare(_) if after_cat => {
                        files += 1;
                        after_cat = false;
                        last_used = e;
                    }
                    MemLine::Event(k, _) | MemLine::DumpEvent(k, _) => {
                        if k.starts_with("oom") {
                            events += 1;
                        }
                        last_used = e;
                    }
                    // The rest of a directory dump holds the block together.
                    MemLine::Dump | MemLine::Grep(_) => last_used = e,
                    _ => {}
                }
                e += 1;
            }
            let end = last_used + 1;
            if stat_keys >= 3 || files >= 1 || events >= 1 && stat_keys + files > 0 {
                claim(
                    &mut out,
                    &mut taken,
                    Detected {
                        kind: InputKind::MemoryStat,
                        flavor: Flavor::MemoryStat,
                        start: i,
                        end,
                    },
                );
                i = end;
                floor = i;
                continue;
            }
            stat_dead_until = end;
            i += 1;
            continue;
        }
        i += 1;
    }
    // Eviction messages, wherever they are (also inside describe/YAML blocks). The searcher is
    // built once, not per line.
    let anchor = memchr::memmem::Finder::new(crate::diag::eviction_message::ANCHOR);
    let condition = memchr::memmem::Finder::new(crate::diag::eviction_message::CONDITION_ANCHOR);
    let config = memchr::memmem::Finder::new(crate::diag::kubelet_config::LOAD_FAILURE_ANCHOR);
    let (mut every, mut given) = (0..n, message_lines.unwrap_or(&[]).iter().copied());
    let candidates: &mut dyn Iterator<Item = usize> = if message_lines.is_some() {
        &mut given
    } else {
        &mut every
    };
    for k in candidates {
        let Some(l) = lines.get(k) else {
            continue;
        };
        if claimed.get(k).copied().unwrap_or(true) {
            continue;
        }
        if config.find(l.text.as_bytes()).is_some()
            && crate::diag::kubelet_config::load_failure(l.text, l.number).is_some()
        {
            out.push(Detected {
                kind: InputKind::KubeletConfig,
                flavor: Flavor::KubeletLoadFailure,
                start: k,
                end: k + 1,
            });
            continue;
        }
        if anchor.find(l.text.as_bytes()).is_some() || condition.find(l.text.as_bytes()).is_some() {
            out.push(Detected {
                kind: InputKind::EvictionMessage,
                flavor: Flavor::Eviction,
                start: k,
                end: k + 1,
            });
        }
    }
    crate::base::sort::sort_by_key(&mut out, |d| (d.start, d.end));
    out
}
