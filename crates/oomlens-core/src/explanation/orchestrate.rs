//! The `explain` operation: run the kernel/oomd readers over the whole paste, detect the
//! Kubernetes-side blocks in what they left, read each block, then cross-link the readings into
//! findings and, when the paste has enough, a calculator scenario.

use super::{Explanation, Finding, InputBlock, InputKind, MemoryStatReport, OomEvent, Severity};
use crate::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use crate::base::quantity::{format_bytes, Quantity};
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
                        "input.unparsable_document",
                        format!(
                            "Lines {}–{} look like a {} document but do not parse; they were skipped.",
                            bl[0].number,
                            bl[bl.len() - 1].number,
                            if json { "JSON" } else { "YAML" }
                        ),
                        vec![bl[0].number],
                    )
                    .arg("first", bl[0].number)
                    .arg("last", bl[bl.len() - 1].number)
                    .arg("format", if json { "JSON" } else { "YAML" }));
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
                        Err(e) => ex.findings.push(
                            Finding::new(
                                Severity::Warning,
                                "input.pod_manifest_unreadable",
                                format!(
                                    "Pod manifest at lines {}–{} could not be read: {e}",
                                    bl[0].number,
                                    bl[bl.len() - 1].number
                                ),
                                vec![bl[0].number],
                            )
                            .arg("first", bl[0].number)
                            .arg("last", bl[bl.len() - 1].number)
                            .arg("error", e.to_string()),
                        ),
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
                "kubelet_config.flags_override",
                "Both a configuration file and command-line flags are present: kubelet applies the flags over the file, so the scenario uses the flags where both set a field.",
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
                "scenario.available",
                format!(
                    "The paste holds enough to open the calculator: node memory {}, {} pod(s){}.",
                    s.node.memory,
                    s.pods.len(),
                    if ex.kubelet_configs.is_empty() { ", kubelet defaults (no configuration pasted)" } else { ", the pasted kubelet configuration" }
                ),
                lines,
            )
            .arg("node_memory", s.node.memory.to_string())
            .arg("pods", s.pods.len())
            .arg(if ex.kubelet_configs.is_empty() { "config_default" } else { "config_pasted" }, "yes")
            .advice("Open it in the calculator to see allocatable, thresholds and the eviction and OOM kill order."),
        );
    }
    crate::base::sort::sort_by_key(&mut ex.inputs, |b| (b.first_line, b.last_line));
    ex.inputs.dedup();
    if ex.inputs.is_empty() {
        ex.findings.push(
            Finding::new(
                Severity::Info,
                "input.nothing_recognised",
                "Nothing recognised: the text holds no kernel OOM report, systemd-oomd message, memory.stat, kubectl describe output, eviction message, pod manifest or kubelet configuration.",
                Vec::new(),
            )
            .advice("Paste `dmesg -T` or `journalctl -k` around the kill, `kubectl describe pod/node`, the pod's memory.stat, or the kubelet configuration."),
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

fn pod_label(p: &DescribePod) -> String {
    match (&p.namespace, &p.name) {
        (Some(ns), Some(n)) => format!("{ns}/{n}"),
        (None, Some(n)) => n.clone(),
        _ => "the pod".into(),
    }
}

fn pod_findings(p: &DescribePod, events: &[OomEvent], index: &Index<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let label = pod_label(p);
    if p.reason.as_deref() == Some("Evicted") {
        let lines: Vec<usize> = [p.reason_line, p.message_line]
            .into_iter()
            .flatten()
            .collect();
        out.push(
            Finding::new(
                Severity::Critical,
                "pod.evicted",
                format!("Pod {label} is {} with reason Evicted: kubelet evicted it under node pressure.", p.status.as_deref().unwrap_or("Failed")),
                lines,
            )
            .arg("pod", &label)
            .arg("status", p.status.as_deref().unwrap_or("Failed")),
        );
    }
    for c in &p.containers {
        for (st, which) in [(&c.last_state, "last state"), (&c.state, "state")] {
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
            let restarts = c
                .restart_count
                .map(|r| format!(", restarted {r} time(s)"))
                .unwrap_or_default();
            // The kernel reports that match this container, by container id or by pod UID.
            let matches: Vec<&OomEvent> = index
                .kernel_for(events, c.bare_id(), p.uid.as_deref())
                .into_iter()
                .filter_map(|i| events.get(i))
                .collect();
            let who = if c.name.is_empty() {
                format!("The container of {label}")
            } else {
                format!("Container {} of {label}", c.name)
            };
            match st.reason.as_deref() {
                Some("OOMKilled") => {
                    let mut msg = format!(
                        "{who} was OOMKilled ({which}{}{restarts}): the kernel OOM killer killed a process inside the container's own memory cgroup",
                        st.exit_code.map(|e| format!(", exit code {e}")).unwrap_or_default(),
                    );
                    match &limit {
                        Some(l) => msg.push_str(&format!(", whose limit is the container's memory limit {l}.")),
                        None => msg.push_str(" (no memory limit is shown: the limit came from the pod or a higher cgroup)."),
                    }
                    match st.exit_code {
                        Some(137) | None => msg.push_str(" The runtime sets OOMKilled when the cgroup recorded an OOM kill; the paste alone cannot prove which process was chosen."),
                        Some(code) => msg.push_str(&format!(
                            " The exit code is {code}, not 137 (SIGKILL): the main process was not the one killed — it exited on its own with {code} — but the runtime saw an OOM kill in the container's cgroup, so a child process was the victim (cgroup v1, or singleProcessOOMKill: true, where the kernel kills one process instead of the whole container)."
                        )),
                    }
                    let mut f = Finding::new(Severity::Critical, "pod.container_oomkilled", msg, lines.clone())
                        .arg("container", &c.name)
                        .arg("pod", &label)
                        .arg(if which == "state" { "in_state" } else { "in_last_state" }, "yes")
                        .advice("Raise the container's memory limit above its real peak (working set + page cache it needs), or find the leak; look at the kernel OOM report for the victim and the task table.");
                    if let Some(l) = c.memory_limit_line {
                        f.lines.push(l);
                    }
                    if let Some(e) = st.exit_code {
                        f = f.arg("exit_code", e);
                        if e != 137 {
                            f = f.arg("other_exit_code", e);
                        }
                    }
                    if let Some(r) = c.restart_count {
                        f = f.arg("restarts", r);
                    }
                    if let Some(l) = &limit {
                        f = f.arg("limit", l);
                    }
                    out.push(f);
                }
                Some("Error") | None if st.exit_code == Some(137) => {
                    out.push(
                        Finding::new(
                            Severity::Warning,
                            "pod.container_sigkill",
                            format!(
                                "{who} ended with exit code 137 (128 + SIGKILL) but reason {}: it was SIGKILLed without the runtime seeing an OOM in the container's own cgroup. Causes: the kernel OOM killer acting at pod, kubepods or node level, a failed liveness probe or stop after the grace period, or a manual kill. The paste {} prove which.",
                                st.reason.as_deref().unwrap_or("not set"),
                                if matches.is_empty() { "does not" } else { "alone does not" }
                            ),
                            lines.clone(),
                        )
                        .arg("container", &c.name)
                        .arg("pod", &label)
                        .arg("reason", st.reason.as_deref().unwrap_or("-")),
                    );
                }
                Some("Completed") => {}
                _ if st.exit_code == Some(0) => {}
                _ => {
                    let mut msg =
                        format!(
                        "{who} {} terminated ({which}) with reason {} and exit code {}{restarts}.",
                        if which == "state" { "is" } else { "was last" },
                        st.reason.as_deref().unwrap_or("not shown"),
                        st.exit_code.map(|x| x.to_string()).unwrap_or_else(|| "not shown".into())
                    );
                    msg.push_str(" Nothing in this paste shows an OOM kill for it (no OOMKilled reason, no exit code 137).");
                    out.push(
                        Finding::new(
                            Severity::Info,
                            "pod.container_terminated",
                            msg,
                            lines.clone(),
                        )
                        .arg("container", &c.name)
                        .arg("pod", &label)
                        .arg(
                            if which == "state" {
                                "in_state"
                            } else {
                                "in_last_state"
                            },
                            "yes",
                        )
                        .arg("reason", st.reason.as_deref().unwrap_or("-"))
                        .arg(
                            "exit_code",
                            st.exit_code
                                .map(|x| x.to_string())
                                .unwrap_or_else(|| "-".into()),
                        ),
                    );
                }
            }
            for e in &matches {
                let mut l = lines.clone();
                l.push(e.line);
                out.push(
                    Finding::new(
                        Severity::Critical,
                        "crosslink.kernel_report_for_container",
                        format!(
                            "The kernel OOM report at line {} is about this container ({} of {label}): {}{}.",
                            e.line,
                            c.name,
                            match e.scope.as_deref() {
                                Some(s) => format!("the OOM was at {s} scope"),
                                None => "the OOM scope is unknown".into(),
                            },
                            e.victim.as_ref().map(|v| format!(", victim {} (pid {})", v.comm, v.pid)).unwrap_or_default()
                        ),
                        l,
                    )
                    .arg("container", &c.name)
                    .arg("pod", &label)
                    .arg("line", e.line)
                    .arg("scope", e.scope.as_deref().unwrap_or("?"))
                    .arg("victim", e.victim.as_ref().map(|v| format!("{} (pid {})", v.comm, v.pid)).unwrap_or_else(|| "?".into())),
                );
            }
        }
        if !c.limits.contains_key("memory") && c.kind != "ephemeral" && p.source == "describe" {
            out.push(Finding::new(
                Severity::Info,
                "pod.no_memory_limit",
                format!(
                    "Container {} of {label} has no memory limit: it cannot be OOM-killed at container level; only a pod-level limit, node-pressure eviction or a kubepods/node OOM can stop it.",
                    c.name
                ),
                vec![c.line],
            )
            .arg("container", &c.name)
            .arg("pod", &label));
        }
    }
    if let Some(q) = &p.qos_class {
        out.push(Finding::new(
            Severity::Info,
            "pod.qos",
            format!(
                "Pod {label} is {q}{}.",
                match q.as_str() {
                    "BestEffort" => ": evicted first under node memory pressure (no request, so always over it), oom_score_adj 1000",
                    "Burstable" => ": oom_score_adj between 2 and 999 (from its memory request); evicted when over its request",
                    "Guaranteed" => ": oom_score_adj -997 (-998 on older kubelets); evicted only after pods over their requests",
                    _ => "",
                }
            ),
            p.qos_line.into_iter().collect(),
        )
        .arg("pod", &label)
        .arg("qos", q));
    }
    for e in &p.events {
        if e.reason == "OOMKilling" || e.reason == "SystemOOM" {
            out.push(
                Finding::new(
                    Severity::Warning,
                    "pod.oom_event",
                    format!("Event {} from {}: {}", e.reason, e.from, e.message),
                    vec![e.line],
                )
                .arg("reason", &e.reason)
                .arg("from", &e.from)
                .arg("event_message", &e.message),
            );
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
    let name = n.name.clone().unwrap_or_else(|| "the node".into());
    for c in &n.conditions {
        if c.kind == "MemoryPressure" {
            let on = c.status == "True";
            out.push(Finding::new(
                if on { Severity::Critical } else { Severity::Info },
                "node.memory_pressure",
                format!(
                    "Node {name}: MemoryPressure is {}{}{}.",
                    c.status,
                    c.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default(),
                    if on {
                        ": a memory eviction threshold is met; kubelet evicts pods and rejects new BestEffort pods"
                    } else {
                        " at the time of the paste (kubelet keeps it True for evictionPressureTransitionPeriod, 5m by default, after the last threshold crossing)"
                    }
                ),
                vec![c.line],
            )
            .arg("node", &name)
            .arg("status", &c.status)
            .arg(if on { "pressure_on" } else { "pressure_off" }, "yes")
            .arg("reason", c.reason.clone().unwrap_or_else(|| "-".into())));
        }
    }
    if let (Some(cap), Some(alloc)) = (n.capacity.get("memory"), n.allocatable.get("memory")) {
        if let (Some(cb), Some(ab)) = (quantity_bytes(cap), quantity_bytes(alloc)) {
            let reserved = cb.saturating_sub(ab);
            let lines: Vec<usize> = [n.capacity_memory_line, n.allocatable_memory_line]
                .into_iter()
                .flatten()
                .collect();
            out.push(
                Finding::new(
                    Severity::Info,
                    "node.allocatable",
                    format!(
                        "Node {name}: capacity {} ({}), allocatable {} ({}): {} is held back = kube-reserved + system-reserved + the hard memory.available threshold (and hugepages).",
                        cap,
                        format_bytes(cb),
                        alloc,
                        format_bytes(ab),
                        format_bytes(reserved)
                    ),
                    lines,
                )
                .arg("capacity_bytes", cb)
                .arg("allocatable_bytes", ab)
                .arg("node", &name)
                .arg("capacity", cap)
                .arg("allocatable", alloc)
                .arg("reserved_bytes", reserved),
            );
            if let Some((_, lim)) = n.allocated.get("memory") {
                if let Some(lb) = quantity_bytes(&strip_paren(lim)) {
                    if lb > ab {
                        out.push(Finding::new(
                            Severity::Warning,
                            "node.limits_overcommitted",
                            format!(
                                "Node {name}: memory limits total {} against allocatable {}: the node is overcommitted, so pods can together exceed what it has and trigger eviction or a kubepods/node OOM even with every pod under its own limit.",
                                format_bytes(lb),
                                format_bytes(ab)
                            ),
                            n.allocated_memory_line.into_iter().collect(),
                        )
                        .arg("node", &name)
                        .arg("limits_bytes", lb)
                        .arg("allocatable_bytes", ab));
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
        match e.reason.as_str() {
            "EvictionThresholdMet" => out.push(Finding::new(
                Severity::Warning,
                "node.eviction_threshold_met",
                format!("Node {name}: kubelet met an eviction threshold ({}) {} ago and started reclaiming by evicting pods.", e.message, e.age),
                vec![e.line],
            )
            .arg("node", &name)
            .arg("event_message", &e.message)
            .arg("age", &e.age)),
            "SystemOOM" => {
                let mut f = Finding::new(
                    Severity::Critical,
                    "node.system_oom",
                    format!(
                        "Node {name}: SystemOOM event ({}, {} ago). Kubelet's OOM watcher (pkg/kubelet/oom/oom_watcher_linux.go) records it when cAdvisor's kernel-log parser attributes a kill to the root cgroup \"/\", i.e. a node-level (global) OOM, not a container limit; some kernel/cAdvisor combinations misattributed kills, so confirm with the kernel report.",
                        e.message, e.age
                    ),
                    vec![e.line],
                )
                .arg("node", &name)
                .arg("event_message", &e.message)
                .arg("age", &e.age)
                .advice("A node-level OOM means pods together (plus system daemons) exhausted the node before kubelet evicted: check kube-reserved/system-reserved, enforceNodeAllocatable and memory limits.");
                if let Some((comm, pid)) = parse_system_oom(&e.message) {
                    f = f.arg("victim", &comm).arg("pid", pid);
                    for ev in index.kernel_by_pid.get(&pid).into_iter().flatten().filter_map(|&i| events.get(i)) {
                        out.push(Finding::new(
                            Severity::Critical,
                            "crosslink.system_oom_kernel_report",
                            format!(
                                "The SystemOOM event (victim {comm}, pid {pid}) matches the kernel OOM report at line {}{}.",
                                ev.line,
                                ev.scope.as_deref().map(|s| format!(", an OOM at {s} scope")).unwrap_or_default()
                            ),
                            vec![e.line, ev.line],
                        )
                        .arg("victim", &comm)
                        .arg("pid", pid)
                        .arg("line", ev.line)
                        .arg("scope", ev.scope.as_deref().unwrap_or("?")));
                    }
                }
                out.push(f);
            }
            "OOMKilling" => out.push(Finding::new(
                Severity::Critical,
                "node.oom_killing",
                format!("Node {name}: node-problem-detector reported a kernel OOM kill: {}", e.message),
                vec![e.line],
            )
            .arg("node", &name)
            .arg("event_message", &e.message)),
            "NodeHasInsufficientMemory" => out.push(Finding::new(
                Severity::Warning,
                "node.insufficient_memory",
                format!("Node {name}: kubelet set MemoryPressure ({}).", e.message),
                vec![e.line],
            )
            .arg("node", &name)
            .arg("event_message", &e.message)),
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
