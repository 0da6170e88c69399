//! Reading a pod: `kubectl describe pod` (whole or fragments), and pod status objects
//! (`kubectl get pod -o yaml|json`, a `status` excerpt): containers, their states and last
//! states, restarts, limits and requests, events.

use super::*;
use crate::diag::lines::NumberedLine;
use serde_json::Value;
use std::collections::BTreeMap;
pub(super) fn parse_state(kind: &str, line: usize) -> ContainerState {
    ContainerState {
        state: kind.split_whitespace().next().unwrap_or("").to_string(),
        line,
        ..Default::default()
    }
}

pub(super) fn read_containers(
    sub: &[NumberedLine<'_>],
    kind: &str,
    out: &mut Vec<DescribedContainer>,
) {
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
        // A container's name line: `app:`, or a bare name (`wk64c`) as people paste it,
        // without the colon.
        let name = if ind > name_indent {
            None
        } else if !t.contains(':') && !t.contains(' ') {
            Some(t)
        } else {
            t.strip_suffix(':')
                .filter(|n| !n.is_empty() && !n.contains(": "))
        };
        if let Some(name) = name {
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
    // `status:` (or `"status": {`) pasted alone: the fragment is the status itself.
    if let Some(s) = o.get("status").filter(|s| s.is_object()) {
        return read_status_fragment(s, lines).map(|mut p| {
            p.source = "status_fragment".into();
            p
        });
    }
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
pub(super) fn find_line(lines: &[NumberedLine<'_>], needle: &str, from: usize) -> Option<usize> {
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

pub(super) fn status_state(
    v: &Value,
    lines: &[NumberedLine<'_>],
    from: usize,
) -> Option<ContainerState> {
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
