//! Readers for `kubectl describe pod`, `kubectl describe node` and pod status objects
//! (`kubectl get pod -o yaml|json`).
//!
//! `kubectl describe` output follows `k8s.io/kubectl/pkg/describe/describe.go` (`describePod`,
//! `describeContainers`, `describeContainerState`, `describeNode`, `describeNodeResource`,
//! `DescribeEvents`): `Key:  value` lines, nested by two-space indentation, and tab-aligned
//! tables (tabwriter, padding ≥ 2 spaces) for Events, Conditions, Non-terminated Pods and
//! Allocated resources. Pasted text may be shifted as a whole (issue trackers, code blocks): all
//! indentation is read relative to the block's `Name:` line.
//!
//! Pod status fields follow `k8s.io/api/core/v1/types.go` (`PodStatus`, `ContainerStatus`,
//! `ContainerStateTerminated`).

use crate::diag::lines::NumberedLine;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A container state (`State:` / `Last State:` in describe; `state`/`lastState` in status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ContainerState {
    /// `Running`, `Terminated`, `Waiting`.
    pub state: String,
    /// `Reason` (`OOMKilled`, `Error`, `Completed`, `CrashLoopBackOff`…).
    pub reason: Option<String>,
    /// `Exit Code`.
    pub exit_code: Option<i64>,
    /// `Signal`, when printed.
    pub signal: Option<i64>,
    /// `Started`/`startedAt`.
    pub started: Option<String>,
    /// `Finished`/`finishedAt`.
    pub finished: Option<String>,
    /// Line of the state (1-based).
    pub line: usize,
    /// Line of `Reason`.
    pub reason_line: Option<usize>,
    /// Line of `Exit Code`.
    pub exit_code_line: Option<usize>,
}

/// One container as described.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DescribedContainer {
    /// Name.
    pub name: String,
    /// `container`, `init`, `ephemeral`.
    pub kind: String,
    /// Line of the name (1-based).
    pub line: usize,
    /// `Container ID` with its runtime prefix (`containerd://…`).
    pub container_id: Option<String>,
    /// Current state.
    pub state: Option<ContainerState>,
    /// Last state.
    pub last_state: Option<ContainerState>,
    /// `Restart Count`.
    pub restart_count: Option<i64>,
    /// `Limits` (resource → quantity text).
    pub limits: BTreeMap<String, String>,
    /// `Requests`.
    pub requests: BTreeMap<String, String>,
    /// Line of `memory` under Limits.
    pub memory_limit_line: Option<usize>,
}

impl DescribedContainer {
    /// The container ID without the `runtime://` prefix.
    pub fn bare_id(&self) -> Option<&str> {
        self.container_id
            .as_deref()
            .map(|id| id.rsplit("://").next().unwrap_or(id))
    }

    /// The runtime named by the ID prefix (`containerd`, `cri-o`, `docker`).
    pub fn runtime(&self) -> Option<&str> {
        let id = self.container_id.as_deref()?;
        let (rt, _) = id.split_once("://")?;
        Some(rt)
    }
}

/// A row of an Events table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Line (1-based).
    pub line: usize,
    /// `Normal` / `Warning`.
    pub kind: String,
    /// Reason (`Evicted`, `OOMKilling`, `SystemOOM`, `EvictionThresholdMet`…).
    pub reason: String,
    /// Age column, as printed.
    pub age: String,
    /// From column.
    pub from: String,
    /// Message.
    pub message: String,
}

/// `kubectl describe pod` or a pod status object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DescribePod {
    /// `describe`, `status_yaml` or `status_json`.
    pub source: String,
    /// First line (1-based).
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// Name.
    pub name: Option<String>,
    /// Namespace.
    pub namespace: Option<String>,
    /// Pod UID (status objects only).
    pub uid: Option<String>,
    /// `Priority`.
    pub priority: Option<i32>,
    /// `Priority Class Name`.
    pub priority_class_name: Option<String>,
    /// `Node` (name without the `/IP` part).
    pub node: Option<String>,
    /// `Status` (phase).
    pub status: Option<String>,
    /// `Reason` (`Evicted`, `OOMKilled` for a pod-level kill, …).
    pub reason: Option<String>,
    /// `Message`.
    pub message: Option<String>,
    /// Line of `Message`.
    pub message_line: Option<usize>,
    /// Line of `Reason`.
    pub reason_line: Option<usize>,
    /// `QoS Class`.
    pub qos_class: Option<String>,
    /// Line of `QoS Class`.
    pub qos_line: Option<usize>,
    /// Containers, init containers and ephemeral containers.
    pub containers: Vec<DescribedContainer>,
    /// Events.
    pub events: Vec<Event>,
}

/// A node condition row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeCondition {
    /// Line.
    pub line: usize,
    /// `MemoryPressure`, `Ready`…
    pub kind: String,
    /// `True`/`False`/`Unknown`.
    pub status: String,
    /// Reason.
    pub reason: Option<String>,
    /// Message.
    pub message: Option<String>,
}

/// A row of the `Non-terminated Pods` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodePodRow {
    /// Line.
    pub line: usize,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Memory requests (quantity text, without the percentage).
    pub memory_requests: Option<String>,
    /// Memory limits.
    pub memory_limits: Option<String>,
}

/// `kubectl describe node`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DescribeNode {
    /// First line.
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// Name.
    pub name: Option<String>,
    /// Capacity (resource → quantity text) with its lines.
    pub capacity: BTreeMap<String, String>,
    /// Allocatable.
    pub allocatable: BTreeMap<String, String>,
    /// Line of `memory` under Capacity / Allocatable.
    pub capacity_memory_line: Option<usize>,
    /// Line of `memory` under Allocatable.
    pub allocatable_memory_line: Option<usize>,
    /// Conditions.
    pub conditions: Vec<NodeCondition>,
    /// Allocated resources: resource → (requests, limits) as printed (with percentages).
    pub allocated: BTreeMap<String, (String, String)>,
    /// Line of the `memory` row of Allocated resources.
    pub allocated_memory_line: Option<usize>,
    /// Non-terminated pods.
    pub pods: Vec<NodePodRow>,
    /// `Kernel Version`.
    pub kernel_version: Option<String>,
    /// `Kubelet Version`.
    pub kubelet_version: Option<String>,
    /// `Container Runtime Version`.
    pub container_runtime: Option<String>,
    /// `OS Image`.
    pub os_image: Option<String>,
    /// Events.
    pub events: Vec<Event>,
}

fn indent(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t']).len()
}

/// Splits `Key:   value` into (key, value) when the key looks like a describe key.
fn key_value(t: &str) -> Option<(&str, &str)> {
    let p = t.find(':')?;
    let k = &t[..p];
    if k.is_empty()
        || k.len() > 40
        || !k
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b" -_./()".contains(&c))
    {
        return None;
    }
    let v = &t[p + 1..];
    if !v.is_empty() && !v.starts_with([' ', '\t']) {
        return None;
    }
    Some((k, v.trim()))
}

/// Splits a table row on runs of two or more spaces (tabwriter padding) or tabs.
pub fn split_columns(t: &str) -> Vec<&str> {
    split_columns_at(t).into_iter().map(|(_, c)| c).collect()
}

/// [`split_columns`] with each cell's byte offset in `t`.
fn split_columns_at(t: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let b = t.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < b.len() {
        let sep = b[i] == b'\t' || (b[i] == b' ' && b.get(i + 1) == Some(&b' '));
        if sep {
            if let Some(s) = start.take() {
                out.push((s, &t[s..i]));
            }
            while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                i += 1;
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push((s, t[s..].trim_end()));
    }
    out
}

fn is_dash_row(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && t.bytes().all(|c| c == b'-' || c == b' ' || c == b'\t')
}

/// Reads a table (header, dashes, rows) from the lines of a section; returns rows as header→cell.
fn read_table(lines: &[NumberedLine<'_>]) -> Vec<(usize, BTreeMap<String, String>)> {
    let mut header: Option<Vec<(usize, String)>> = None;
    let mut out = Vec::new();
    for l in lines {
        let t = l.text.trim_end();
        let tt = t.trim();
        if tt.is_empty() || is_dash_row(tt) || (tt.starts_with('(') && tt.ends_with(')')) {
            continue;
        }
        let cols = split_columns_at(t);
        match &header {
            None => {
                if cols.len() >= 2 {
                    header = Some(cols.iter().map(|(at, c)| (*at, c.to_string())).collect());
                }
            }
            Some(h) => {
                let mut row = crate::base::sort::string_map(
                    h.iter()
                        .map(|(_, name)| (name.clone(), String::new()))
                        .collect(),
                );
                let n = h.len();
                if cols.len() >= n {
                    for (i, (_, name)) in h.iter().enumerate() {
                        let cell = if i + 1 == n {
                            cols[i..].iter().map(|c| c.1).collect::<Vec<_>>().join("  ")
                        } else {
                            cols[i].1.to_string()
                        };
                        row.insert(name.clone(), cell);
                    }
                } else {
                    // A blank cell (e.g. an empty SubobjectPath): place cells by the header's column offsets.
                    let mut last_col = 0usize;
                    for (at, cell) in &cols {
                        let col = h
                            .iter()
                            .rposition(|(hat, _)| *hat <= at + 1)
                            .unwrap_or(0)
                            .max(last_col);
                        last_col = col;
                        if let Some((_, name)) = h.get(col) {
                            let e = row.entry(name.clone()).or_default();
                            if !e.is_empty() {
                                e.push_str("  ");
                            }
                            e.push_str(cell);
                        }
                    }
                }
                out.push((l.number, row));
            }
        }
    }
    out
}

fn read_events(lines: &[NumberedLine<'_>]) -> Vec<Event> {
    read_table(lines)
        .into_iter()
        .map(|(line, r)| {
            let get = |k: &str| r.get(k).cloned().unwrap_or_default();
            let age = if r.contains_key("Age") {
                get("Age")
            } else {
                get("LastSeen")
            };
            Event {
                line,
                kind: get("Type"),
                reason: get("Reason"),
                age,
                from: get("From"),
                message: get("Message"),
            }
        })
        .filter(|e| !e.reason.is_empty())
        .collect()
}

/// Top-level sections of a describe block: (key, value, line, the deeper lines under it).
fn sections<'a>(
    lines: &'a [NumberedLine<'a>],
) -> Vec<(&'a str, &'a str, usize, &'a [NumberedLine<'a>])> {
    let base = lines.first().map(|l| indent(l.text)).unwrap_or(0);
    let mut out: Vec<(&str, &str, usize, usize, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let ind = indent(l.text);
        if ind <= base {
            if let Some((k, v)) = key_value(l.text.trim()) {
                if let Some(last) = out.last_mut() {
                    last.4 = i;
                }
                out.push((k, v, l.number, i + 1, lines.len()));
                continue;
            }
        }
    }
    out.into_iter()
        .map(|(k, v, n, s, e)| (k, v, n, lines.get(s..e.max(s)).unwrap_or(&[])))
        .collect()
}

/// Strips a trailing ` (12%)` from an Allocated-resources cell.
fn strip_pct(s: &str) -> String {
    match s.find(" (") {
        Some(p) => s[..p].trim().to_string(),
        None => s.trim().to_string(),
    }
}

/// Reads a `kubectl describe node` block (first line is `Name:`).
pub fn read_node(lines: &[NumberedLine<'_>]) -> Option<DescribeNode> {
    let mut n = DescribeNode {
        first_line: lines.first()?.number,
        last_line: lines.last()?.number,
        ..Default::default()
    };
    for (k, v, line, sub) in sections(lines) {
        match k {
            "Name" => n.name = Some(v.to_string()),
            "Capacity" | "Allocatable" => {
                for l in sub {
                    if let Some((rk, rv)) = key_value(l.text.trim()) {
                        if k == "Capacity" {
                            if rk == "memory" {
                                n.capacity_memory_line = Some(l.number);
                            }
                            n.capacity.insert(rk.to_string(), rv.to_string());
                        } else {
                            if rk == "memory" {
                                n.allocatable_memory_line = Some(l.number);
                            }
                            n.allocatable.insert(rk.to_string(), rv.to_string());
                        }
                    }
                }
            }
            "Conditions" => {
                for (l, r) in read_table(sub) {
                    let get = |x: &str| r.get(x).filter(|s| !s.is_empty()).cloned();
                    if let (Some(kind), Some(status)) = (get("Type"), get("Status")) {
                        n.conditions.push(NodeCondition {
                            line: l,
                            kind,
                            status,
                            reason: get("Reason"),
                            message: get("Message"),
                        });
                    }
                }
            }
            "System Info" => {
                for l in sub {
                    if let Some((sk, sv)) = key_value(l.text.trim()) {
                        let sv = Some(sv.to_string());
                        match sk {
                            "Kernel Version" => n.kernel_version = sv,
                            "Kubelet Version" => n.kubelet_version = sv,
                            "Container Runtime Version" => n.container_runtime = sv,
                            "OS Image" => n.os_image = sv,
                            _ => {}
                        }
                    }
                }
            }
            "Allocated resources" => {
                for (l, r) in read_table(sub) {
                    // Old kubectl: one row with `CPU Requests  CPU Limits  Memory Requests  Memory Limits`.
                    if let (Some(req), Some(lim)) =
                        (r.get("Memory Requests"), r.get("Memory Limits"))
                    {
                        n.allocated_memory_line = Some(l);
                        n.allocated
                            .insert("memory".into(), (req.clone(), lim.clone()));
                        if let (Some(cr), Some(cl)) = (r.get("CPU Requests"), r.get("CPU Limits")) {
                            n.allocated.insert("cpu".into(), (cr.clone(), cl.clone()));
                        }
                        continue;
                    }
                    if let Some(res) = r.get("Resource") {
                        if res == "memory" {
                            n.allocated_memory_line = Some(l);
                        }
                        n.allocated.insert(
                            res.clone(),
                            (
                                r.get("Requests").cloned().unwrap_or_default(),
                                r.get("Limits").cloned().unwrap_or_default(),
                            ),
                        );
                    }
                }
            }
            _ if k.starts_with("Non-terminated Pods") || k == "Non-terminated pods" => {
                for (l, r) in read_table(sub) {
                    if let (Some(ns), Some(name)) = (r.get("Namespace"), r.get("Name")) {
                        n.pods.push(NodePodRow {
                            line: l,
                            namespace: ns.clone(),
                            name: name.clone(),
                            memory_requests: r.get("Memory Requests").map(|s| strip_pct(s)),
                            memory_limits: r.get("Memory Limits").map(|s| strip_pct(s)),
                        });
                    }
                }
            }
            "Events" => n.events = read_events(sub),
            _ => {}
        }
        let _ = line;
    }
    Some(n)
}

fn parse_state(kind: &str, line: usize) -> ContainerState {
    ContainerState {
        state: kind.split_whitespace().next().unwrap_or("").to_string(),
        line,
        ..Default::default()
    }
}

fn read_containers(sub: &[NumberedLine<'_>], kind: &str, out: &mut Vec<DescribedContainer>) {
    let Some(first) = sub.iter().find(|l| !l.text.trim().is_empty()) else {
        return;
    };
    let name_indent = indent(first.text);
    let mut cur: Option<DescribedContainer> = None;
    // Which sub-object deeper lines belong to.
    #[derive(PartialEq)]
    enum Sub {
        None,
        State,
        LastState,
        Limits,
        Requests,
    }
    let mut sub_of = Sub::None;
    let mut field_indent = usize::MAX;
    for l in sub {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        let ind = indent(l.text);
        // A bare container name (`wk64c`) as people paste it, without the colon.
        if ind <= name_indent && !t.contains(':') && !t.contains(' ') {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            cur = Some(DescribedContainer {
                name: t.to_string(),
                kind: kind.to_string(),
                line: l.number,
                ..Default::default()
            });
            sub_of = Sub::None;
            field_indent = usize::MAX;
            continue;
        }
        if ind <= name_indent {
            if let Some(name) = t.strip_suffix(':') {
                if !name.is_empty() && !name.contains(": ") {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(DescribedContainer {
                        name: name.to_string(),
                        kind: kind.to_string(),
                        line: l.number,
                        ..Default::default()
                    });
                    sub_of = Sub::None;
                    field_indent = usize::MAX;
                    continue;
                }
            }
        }
        let Some((k, v)) = key_value(t) else { continue };
        // A fragment that starts at a container's fields (`Last State:  Terminated`): unnamed container.
        let c = cur.get_or_insert_with(|| DescribedContainer {
            kind: kind.to_string(),
            line: l.number,
            ..Default::default()
        });
        if field_indent == usize::MAX {
            field_indent = ind;
        }
        if ind <= field_indent {
            sub_of = Sub::None;
            match k {
                "Container ID" => c.container_id = Some(v.to_string()).filter(|s| !s.is_empty()),
                "State" => {
                    c.state = Some(parse_state(v, l.number));
                    sub_of = Sub::State;
                }
                "Last State" | "Last Termination State" => {
                    c.last_state = Some(parse_state(v, l.number));
                    sub_of = Sub::LastState;
                }
                "Restart Count" => c.restart_count = v.parse().ok(),
                "Limits" => sub_of = Sub::Limits,
                "Requests" => sub_of = Sub::Requests,
                _ => {}
            }
        } else {
            match sub_of {
                Sub::State | Sub::LastState => {
                    let st = if sub_of == Sub::State {
                        c.state.as_mut()
                    } else {
                        c.last_state.as_mut()
                    };
                    if let Some(st) = st {
                        match k {
                            "Reason" => {
                                st.reason = Some(v.to_string());
                                st.reason_line = Some(l.number);
                            }
                            "Exit Code" => {
                                st.exit_code = v.parse().ok();
                                st.exit_code_line = Some(l.number);
                            }
                            "Signal" => st.signal = v.parse().ok(),
                            "Started" => st.started = Some(v.to_string()),
                            "Finished" => st.finished = Some(v.to_string()),
                            _ => {}
                        }
                    }
                }
                Sub::Limits => {
                    if k == "memory" {
                        c.memory_limit_line = Some(l.number);
                    }
                    c.limits.insert(k.to_string(), v.to_string());
                }
                Sub::Requests => {
                    c.requests.insert(k.to_string(), v.to_string());
                }
                Sub::None => {}
            }
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
}

/// Reads a `kubectl describe pod` block (first line is `Name:`).
pub fn read_pod(lines: &[NumberedLine<'_>]) -> Option<DescribePod> {
    let mut p = DescribePod {
        source: "describe".into(),
        first_line: lines.first()?.number,
        last_line: lines.last()?.number,
        ..Default::default()
    };
    for (k, v, line, sub) in sections(lines) {
        let val = || Some(v.to_string()).filter(|s| !s.is_empty() && s != "<none>");
        match k {
            "Name" => p.name = val(),
            "Namespace" => p.namespace = val(),
            "Priority" => p.priority = v.parse().ok(),
            "Priority Class Name" | "PriorityClassName" => p.priority_class_name = val(),
            "Node" => p.node = val().map(|s| s.split('/').next().unwrap_or("").to_string()),
            "Status" => p.status = val(),
            "Reason" => {
                p.reason = val();
                p.reason_line = Some(line);
            }
            "Message" => {
                p.message = val();
                p.message_line = Some(line);
            }
            "QoS Class" => {
                p.qos_class = val();
                p.qos_line = Some(line);
            }
            "Containers" => read_containers(sub, "container", &mut p.containers),
            "Init Containers" => read_containers(sub, "init", &mut p.containers),
            "Ephemeral Containers" => read_containers(sub, "ephemeral", &mut p.containers),
            "Events" => p.events = read_events(sub),
            _ => {}
        }
    }
    Some(p)
}

/// Reads a fragment of `kubectl describe pod` that starts inside a container (`State:`/`Last State:`
/// lines, optionally after the container's name) or at `Events:`.
pub fn read_fragment(lines: &[NumberedLine<'_>]) -> Option<DescribePod> {
    let mut p = DescribePod {
        source: "describe_fragment".into(),
        first_line: lines.first()?.number,
        last_line: lines.last()?.number,
        ..Default::default()
    };
    if lines.first()?.text.trim() == "Events:" {
        p.events = read_events(lines.get(1..).unwrap_or(&[]));
    } else {
        read_containers(lines, "container", &mut p.containers);
    }
    if p.containers.is_empty() && p.events.is_empty() {
        None
    } else {
        Some(p)
    }
}

/// Reads a fragment of a pod status object (`lastState:`/`state:`/`containerStatuses:` YAML pasted alone).
pub fn read_status_fragment(value: &Value, lines: &[NumberedLine<'_>]) -> Option<DescribePod> {
    let o = value.as_object()?;
    let status = if o.contains_key("containerStatuses")
        || o.contains_key("initContainerStatuses")
        || o.contains_key("phase")
    {
        value.clone()
    } else if o.contains_key("lastState") || o.contains_key("state") {
        let mut cs = o.clone();
        cs.entry("name".to_string())
            .or_insert(Value::String(String::new()));
        serde_json::json!({ "containerStatuses": [Value::Object(cs)] })
    } else if o.contains_key("terminated") {
        serde_json::json!({ "containerStatuses": [{ "name": "", "state": value.clone() }] })
    } else {
        return None;
    };
    let mut p = read_pod_status(&serde_json::json!({ "status": status }), lines, false)?;
    p.source = "status_fragment".into();
    Some(p)
}

/// Finds the first line of the block containing `needle`, at or after line `from`.
fn find_line(lines: &[NumberedLine<'_>], needle: &str, from: usize) -> Option<usize> {
    // Lines are consecutive: index = number − first number. The window bounds the work per search.
    let base = lines.first()?.number;
    let start = from.saturating_sub(base);
    lines
        .get(start..)?
        .iter()
        .take(20_000)
        .find(|l| l.text.contains(needle))
        .map(|l| l.number)
}

fn status_state(v: &Value, lines: &[NumberedLine<'_>], from: usize) -> Option<ContainerState> {
    let o = v.as_object()?;
    let (kind, inner) = o.iter().next()?;
    let s = |k: &str| inner.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let mut st = ContainerState {
        state: match kind.as_str() {
            "terminated" => "Terminated".into(),
            "running" => "Running".into(),
            "waiting" => "Waiting".into(),
            other => other.to_string(),
        },
        reason: s("reason"),
        exit_code: inner.get("exitCode").and_then(|x| x.as_i64()),
        signal: inner.get("signal").and_then(|x| x.as_i64()),
        started: s("startedAt"),
        finished: s("finishedAt"),
        line: find_line(lines, kind, from).unwrap_or(from),
        reason_line: None,
        exit_code_line: None,
    };
    if let Some(r) = &st.reason {
        st.reason_line = find_line(lines, r, st.line);
    }
    if st.exit_code.is_some() {
        st.exit_code_line = find_line(lines, "exitCode", st.line);
    }
    Some(st)
}

/// Reads the status part of a pod object (`kubectl get pod -o yaml|json`); None when it has no status.
pub fn read_pod_status(
    value: &Value,
    lines: &[NumberedLine<'_>],
    json: bool,
) -> Option<DescribePod> {
    read_pod_status_from(value, lines, json, lines.first()?.number)
}

/// [`read_pod_status`] for one item of a `List`: evidence lines are searched from line `from` on
/// (the previous item's last evidence line), so items of a long list get their own lines.
pub fn read_pod_status_from(
    value: &Value,
    lines: &[NumberedLine<'_>],
    json: bool,
    from: usize,
) -> Option<DescribePod> {
    let status = value.get("status")?;
    let first = from;
    let meta = value.get("metadata");
    let ms = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(|x| x.as_str())
            .map(str::to_string)
    };
    let ss = |k: &str| status.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let mut p = DescribePod {
        source: if json {
            "status_json".into()
        } else {
            "status_yaml".into()
        },
        first_line: lines.first()?.number,
        last_line: lines.last()?.number,
        name: ms("name"),
        namespace: ms("namespace"),
        uid: ms("uid"),
        priority: value
            .get("spec")
            .and_then(|s| s.get("priority"))
            .and_then(|x| x.as_i64())
            .and_then(|x| i32::try_from(x).ok()),
        priority_class_name: value
            .get("spec")
            .and_then(|s| s.get("priorityClassName"))
            .and_then(|x| x.as_str())
            .map(str::to_string),
        node: value
            .get("spec")
            .and_then(|s| s.get("nodeName"))
            .and_then(|x| x.as_str())
            .map(str::to_string),
        status: ss("phase"),
        reason: ss("reason"),
        message: ss("message"),
        qos_class: ss("qosClass"),
        ..Default::default()
    };
    let status_line = find_line(lines, "status", first).unwrap_or(first);
    p.reason_line = p
        .reason
        .as_ref()
        .and_then(|r| find_line(lines, r, status_line));
    p.message_line = p
        .message
        .as_ref()
        .and_then(|_| find_line(lines, "message", status_line));
    p.qos_line = p
        .qos_class
        .as_ref()
        .and_then(|_| find_line(lines, "qosClass", status_line));
    // Limits come from the spec.
    let mut limits: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut requests: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    if let Some(spec) = value.get("spec") {
        for list in ["containers", "initContainers"] {
            for c in spec
                .get(list)
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
            {
                let name = c
                    .get("name")
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
                    .to_string();
                let res = c.get("resources");
                let m = |k: &str| -> BTreeMap<String, String> {
                    res.and_then(|r| r.get(k))
                        .and_then(|x| x.as_object())
                        .map(|o| {
                            crate::base::sort::string_map(
                                o.iter()
                                    .filter_map(|(k, v)| match v {
                                        Value::String(s) => Some((k.clone(), s.clone())),
                                        Value::Number(n) => Some((k.clone(), n.to_string())),
                                        _ => None,
                                    })
                                    .collect(),
                            )
                        })
                        .unwrap_or_default()
                };
                limits.insert(name.clone(), m("limits"));
                requests.insert(name, m("requests"));
            }
        }
    }
    for (list, kind) in [
        ("initContainerStatuses", "init"),
        ("containerStatuses", "container"),
        ("ephemeralContainerStatuses", "ephemeral"),
    ] {
        if status.get(list).is_none() {
            continue;
        }
        let list_line = find_line(lines, list, status_line).unwrap_or(status_line);
        for cs in status
            .get(list)
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            let name = cs
                .get("name")
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .to_string();
            let line = find_line(lines, &name, list_line).unwrap_or(list_line);
            let c = DescribedContainer {
                kind: kind.to_string(),
                line,
                container_id: cs
                    .get("containerID")
                    .or_else(|| cs.pointer("/state/terminated/containerID"))
                    .or_else(|| cs.pointer("/lastState/terminated/containerID"))
                    .and_then(|x| x.as_str())
                    .map(str::to_string),
                state: cs
                    .get("state")
                    .and_then(|s| status_state(s, lines, list_line)),
                last_state: cs
                    .get("lastState")
                    .and_then(|s| status_state(s, lines, list_line)),
                restart_count: cs.get("restartCount").and_then(|x| x.as_i64()),
                limits: limits.get(&name).cloned().unwrap_or_default(),
                requests: requests.get(&name).cloned().unwrap_or_default(),
                memory_limit_line: None,
                name,
            };
            p.containers.push(c);
        }
    }
    let informative = p.reason.is_some() || !p.containers.is_empty() || p.message.is_some();
    if informative {
        Some(p)
    } else {
        None
    }
}
