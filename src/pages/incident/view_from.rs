//! The page's view of the core's [`Explanation`], built field by field (no JSON in between).
//!
//! The view types in [`super::analysis`] mirror the JSON contract of `oomlens explain --format json`
//! (`crates/oomlens-core/src/explanation/mod.rs`): the same field names, enums as their JSON
//! strings, sentences as the core's catalogue messages.
//! Building them directly keeps the worker from serialising the whole explanation to a JSON value
//! and reading it back, which also kept two copies of every view type's deserialiser in the wasm.
//! `tests::the_view_is_part_of_the_json_contract` checks, on every fixture, that the view
//! serialises to a part of the JSON contract: every field it keeps, with the core's value.

use super::analysis::{
    ContainerStateView, DescribeNodeView, DescribePodView, DescribedContainerView, EvictionView,
    ExplanationView, FindingView, InputBlockView, KernelChoiceView, MemoryStatView, NamedPodView,
    OffenderView, OomEventView, PrintedView, RepeatsView, TaskRowView, VictimView, MAX_REPEAT_PIDS,
};
use oomlens_core::diag::describe::{ContainerState, DescribeNode, DescribePod, DescribedContainer};
use oomlens_core::diag::eviction_message::{EvictionMessage, Offender, PrintedQuantity};
use oomlens_core::explanation::named::{LinkedBy, NamedPod};
use oomlens_core::explanation::{
    Explanation, Finding, InputBlock, InputKind, KernelChoice, MemoryStatReport, OomEvent,
    OomEventGroup, Severity, TaskRow, Victim,
};

/// `InputKind` as its JSON string (snake_case, `diag/input.rs`).
pub fn input_kind_name(k: InputKind) -> &'static str {
    match k {
        InputKind::KernelOom => "kernel_oom",
        InputKind::SystemdOomd => "systemd_oomd",
        InputKind::MemoryStat => "memory_stat",
        InputKind::DescribePod => "describe_pod",
        InputKind::DescribeNode => "describe_node",
        InputKind::EvictionMessage => "eviction_message",
        InputKind::PodManifest => "pod_manifest",
        InputKind::KubeletConfig => "kubelet_config",
        InputKind::EventsTable => "events_table",
        InputKind::SystemdUnit => "systemd_unit",
    }
}

/// `Severity` as its JSON string (lowercase, `diag/finding.rs`).
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Critical => "critical",
    }
}

fn input(b: &InputBlock) -> InputBlockView {
    InputBlockView {
        kind: input_kind_name(b.kind).to_string(),
        first_line: b.first_line,
        last_line: b.last_line,
    }
}

fn victim(v: &Victim) -> VictimView {
    VictimView {
        pid: v.pid,
        comm: v.comm.clone(),
        anon_rss_bytes: v.anon_rss_bytes,
        file_rss_bytes: v.file_rss_bytes,
        shmem_rss_bytes: v.shmem_rss_bytes,
        oom_score_adj: v.oom_score_adj,
    }
}

fn task(t: &TaskRow) -> TaskRowView {
    TaskRowView {
        pid: t.pid,
        comm: t.comm.clone(),
        rss_pages: t.rss_pages,
        swapents: t.swapents,
        pgtables_bytes: t.pgtables_bytes,
        oom_score_adj: t.oom_score_adj,
        badness: t.badness,
    }
}

fn choice(c: &KernelChoice) -> KernelChoiceView {
    KernelChoiceView {
        pid: c.pid,
        agrees_with_victim: c.agrees_with_victim,
        why_parts: c.why_parts.clone(),
    }
}

fn named(n: &NamedPod) -> NamedPodView {
    NamedPodView {
        namespace: n.namespace.clone(),
        name: n.name.clone(),
        container: n.container.clone(),
        linked_by: match n.linked_by {
            LinkedBy::ContainerId => "container_id",
            LinkedBy::PodUid => "pod_uid",
            LinkedBy::DescribeOutput => "describe_output",
        }
        .into(),
        line: n.line,
    }
}

fn oom_event((e, n): (&OomEvent, Option<&Option<NamedPod>>)) -> OomEventView {
    OomEventView {
        named: n.and_then(Option::as_ref).map(named),
        line: e.line,
        trigger_comm: e.trigger_comm.clone(),
        constraint: e.constraint.clone(),
        cgroup_version: e.cgroup_version,
        oom_memcg: e.oom_memcg.clone(),
        task_memcg: e.task_memcg.clone(),
        scope: e.scope.clone(),
        pod_uid: e.pod_uid.clone(),
        qos_class: e.qos_class.clone(),
        container_id: e.container_id.clone(),
        runtime: e.runtime.clone(),
        cgroup_driver: e.cgroup_driver.clone(),
        limit_bytes: e.limit_bytes,
        usage_bytes: e.usage_bytes,
        victim: e.victim.as_ref().map(victim),
        tasks: e.tasks.iter().map(task).collect(),
        kernel_choice: e.kernel_choice.as_ref().map(choice),
        group_kill: e.group_kill,
        lines: e.lines.clone(),
        repeats: None,
    }
}

fn repeats(g: &OomEventGroup) -> Option<RepeatsView> {
    (g.count > 1).then(|| RepeatsView {
        count: g.count,
        last_line: g.last_line,
        first_time: g.first_time.clone(),
        last_time: g.last_time.clone(),
        victim_pids: g
            .victim_pids
            .iter()
            .take(MAX_REPEAT_PIDS)
            .copied()
            .collect(),
        victim_pids_total: g.victim_pids.len(),
        selected_pids: g
            .selected_pids
            .iter()
            .take(MAX_REPEAT_PIDS)
            .copied()
            .collect(),
        selected_pids_total: g.selected_pids.len(),
    })
}

fn memory_stat(m: &MemoryStatReport) -> MemoryStatView {
    MemoryStatView {
        cgroup_version: m.cgroup_version,
        usage_bytes: m.usage_bytes,
        working_set_bytes: m.working_set_bytes,
        anon_bytes: m.anon_bytes,
        file_bytes: m.file_bytes,
        active_file_bytes: m.active_file_bytes,
        inactive_file_bytes: m.inactive_file_bytes,
        shmem_bytes: m.shmem_bytes,
        swap_bytes: m.swap_bytes,
        limit_bytes: m.limit_bytes,
        kernel_bytes: m.kernel_bytes,
        slab_bytes: m.slab_bytes,
        sock_bytes: m.sock_bytes,
        slab_reclaimable_bytes: m.slab_reclaimable_bytes,
        mapped_file_bytes: m.mapped_file_bytes,
        unevictable_bytes: m.unevictable_bytes,
        reclaimable_bytes: m.reclaimable_bytes,
        peak_bytes: m.peak_bytes,
        first_line: m.first_line,
        last_line: m.last_line,
    }
}

fn finding(f: &Finding) -> FindingView {
    FindingView {
        severity: severity_name(f.severity).to_string(),
        message: f.message.clone(),
        advice: f.advice.clone(),
        lines: f.lines.clone(),
    }
}

fn printed(p: &PrintedQuantity) -> PrintedView {
    PrintedView {
        text: p.text.clone(),
        bytes: p.bytes,
    }
}

fn offender(o: &Offender) -> OffenderView {
    OffenderView {
        name: o.name.clone(),
        is_pod: o.is_pod,
        usage: printed(&o.usage),
        request: printed(&o.request),
        excess_bytes: o.excess_bytes,
    }
}

fn eviction((e, n): (&EvictionMessage, Option<&Option<NamedPod>>)) -> EvictionView {
    EvictionView {
        named: n.and_then(Option::as_ref).map(named),
        line: e.line,
        last_line: e.last_line,
        resource: e.resource.clone(),
        threshold: e.threshold.as_ref().map(printed),
        available: e.available.as_ref().map(printed),
        offenders: e.offenders.iter().map(offender).collect(),
    }
}

fn container_state(s: &ContainerState) -> ContainerStateView {
    ContainerStateView {
        state: s.state.clone(),
        reason: s.reason.clone(),
        exit_code: s.exit_code,
        finished: s.finished.clone(),
        line: s.line,
    }
}

fn described_container(c: &DescribedContainer) -> DescribedContainerView {
    DescribedContainerView {
        name: c.name.clone(),
        kind: c.kind.clone(),
        line: c.line,
        state: c.state.as_ref().map(container_state),
        last_state: c.last_state.as_ref().map(container_state),
        restart_count: c.restart_count,
        limits: c.limits.clone(),
        requests: c.requests.clone(),
    }
}

fn describe_pod(p: &DescribePod) -> DescribePodView {
    DescribePodView {
        first_line: p.first_line,
        last_line: p.last_line,
        name: p.name.clone(),
        namespace: p.namespace.clone(),
        uid: p.uid.clone(),
        node: p.node.clone(),
        status: p.status.clone(),
        reason: p.reason.clone(),
        message: p.message.clone(),
        qos_class: p.qos_class.clone(),
        priority: p.priority,
        containers: p.containers.iter().map(described_container).collect(),
    }
}

fn describe_node(n: &DescribeNode) -> DescribeNodeView {
    DescribeNodeView {
        first_line: n.first_line,
        last_line: n.last_line,
        name: n.name.clone(),
        capacity: n.capacity.clone(),
        allocatable: n.allocatable.clone(),
        kubelet_version: n.kubelet_version.clone(),
    }
}

impl From<&Explanation> for ExplanationView {
    fn from(ex: &Explanation) -> ExplanationView {
        ExplanationView {
            inputs: ex.inputs.iter().map(input).collect(),
            oom_events: (ex.oom_events.iter().enumerate())
                .map(|(i, e)| {
                    let mut v = oom_event((e, ex.event_pods.get(i)));
                    v.repeats = ex.oom_event_groups.get(i).and_then(repeats);
                    v
                })
                .collect(),
            memory_stats: ex.memory_stats.iter().map(memory_stat).collect(),
            findings: ex.findings.iter().map(finding).collect(),
            evictions: (ex.evictions.iter().enumerate())
                .map(|(i, e)| eviction((e, ex.eviction_pods.get(i))))
                .collect(),
            describe_pods: ex.describe_pods.iter().map(describe_pod).collect(),
            describe_nodes: ex.describe_nodes.iter().map(describe_node).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `part` is `whole` with some object fields left out (arrays keep their length).
    fn is_part_of(
        part: &serde_json::Value,
        whole: &serde_json::Value,
        at: &str,
    ) -> Result<(), String> {
        use serde_json::Value;
        match (part, whole) {
            (Value::Object(p), Value::Object(w)) => {
                p.iter().try_for_each(|(k, v)| match w.get(k) {
                    Some(wv) => is_part_of(v, wv, &format!("{at}.{k}")),
                    None => Err(format!("{at}.{k}: not in the contract")),
                })
            }
            (Value::Array(p), Value::Array(w)) if p.len() == w.len() => p
                .iter()
                .zip(w)
                .enumerate()
                .try_for_each(|(i, (a, b))| is_part_of(a, b, &format!("{at}[{i}]"))),
            _ if part == whole => Ok(()),
            _ => Err(format!("{at}: {part} ≠ {whole}")),
        }
    }

    /// Each event's `repeats` is its group's count, lines, times and first PIDs (none for a kill
    /// seen once).
    fn assert_repeats_match(view: &ExplanationView, ex: &Explanation, path: &str) {
        assert_eq!(view.oom_events.len(), ex.oom_event_groups.len(), "{path}");
        for (e, g) in view.oom_events.iter().zip(&ex.oom_event_groups) {
            match &e.repeats {
                None => assert_eq!(g.count, 1, "{path}"),
                Some(r) => {
                    assert!(g.count > 1, "{path}");
                    assert_eq!(
                        (r.count, r.last_line, &r.first_time, &r.last_time),
                        (g.count, g.last_line, &g.first_time, &g.last_time),
                        "{path}"
                    );
                    assert_eq!(r.victim_pids_total, g.victim_pids.len(), "{path}");
                    assert!(g.victim_pids.starts_with(&r.victim_pids), "{path}");
                    assert_eq!(
                        r.victim_pids.len(),
                        g.victim_pids.len().min(MAX_REPEAT_PIDS)
                    );
                }
            }
        }
    }

    /// A crash loop of 600 kills of one container: one event whose repeats carry the count, the
    /// first and last line and time, and the first 500 victim PIDs of 600.
    #[test]
    fn a_repeated_kill_is_one_event_with_its_repeats() {
        let mut text = String::new();
        for i in 0..600 {
            text.push_str(&format!(
                "[{}.000001] Memory cgroup out of memory: Killed process {} (java) total-vm:100kB, anon-rss:50kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:984\n",
                100 + i,
                1000 + i
            ));
        }
        let ex = oomlens_core::explain(&text);
        let view = ExplanationView::from(&ex);
        assert_eq!(view.oom_events.len(), 1);
        let r = view.oom_events[0].repeats.clone().expect("repeats");
        assert_eq!((r.count, r.last_line), (600, 600));
        assert_eq!(r.first_time.as_deref(), Some("100.000001"));
        assert_eq!(r.last_time.as_deref(), Some("699.000001"));
        assert_eq!(r.victim_pids.len(), MAX_REPEAT_PIDS);
        assert_eq!((r.victim_pids[0], r.victim_pids_total), (1000, 600));
        assert_repeats_match(&view, &ex, "crash loop");
        assert_eq!(
            super::super::verdicts::repeats_text(crate::i18n::Lang::En, 1, &r),
            "The same kill happened 600 times, lines 1–600, from 100.000001 to 699.000001"
        );
    }

    /// On every real fixture (core `tests/fixtures`, `examples/incidents`), the direct view
    /// serialises to a part of the core's JSON contract, every kept field with the core's value.
    #[test]
    fn the_view_is_part_of_the_json_contract() {
        let all = super::super::fixtures::texts(&super::super::fixtures::ALL);
        let files = all.len();
        let mut nonempty = [0usize; 7];
        for (path, text) in all {
            let ex = oomlens_core::explain(&text);
            let contract = serde_json::to_value(&ex).expect("serialise");
            let direct = ExplanationView::from(&ex);
            let view = serde_json::to_value(&direct).expect("serialise");
            if let Err(e) = is_part_of(&view, &contract, "") {
                panic!("{path}: {e}");
            }
            // The linked pods (not serialised with their event) equal the contract's lists.
            let pods = |named: Vec<Option<NamedPodView>>| serde_json::to_value(named).unwrap();
            assert_eq!(
                pods(direct.oom_events.iter().map(|e| e.named.clone()).collect()),
                contract["event_pods"],
                "{path}"
            );
            assert_eq!(
                pods(direct.evictions.iter().map(|e| e.named.clone()).collect()),
                contract["eviction_pods"],
                "{path}"
            );
            assert_repeats_match(&direct, &ex, &path);
            for (i, n) in [
                direct.inputs.len(),
                direct.oom_events.len(),
                direct.memory_stats.len(),
                direct.findings.len(),
                direct.evictions.len(),
                direct.describe_pods.len(),
                direct.describe_nodes.len(),
            ]
            .into_iter()
            .enumerate()
            {
                nonempty[i] += usize::from(n > 0);
            }
        }
        assert!(files >= 20, "{files} fixtures");
        // Every part of the view was exercised by some fixture.
        assert!(nonempty.iter().all(|n| *n > 0), "{nonempty:?}");
    }

    #[test]
    fn the_part_check_sees_a_wrong_value_and_an_unknown_field() {
        let whole = serde_json::json!({"a": [1, {"b": 2, "c": 3}], "d": "x"});
        assert!(is_part_of(&serde_json::json!({"a": [1, {"c": 3}]}), &whole, "").is_ok());
        assert!(is_part_of(&serde_json::json!({"a": [1, {"c": 4}]}), &whole, "").is_err());
        assert!(is_part_of(&serde_json::json!({"e": 1}), &whole, "").is_err());
        assert!(is_part_of(&serde_json::json!({"a": [1]}), &whole, "").is_err());
    }

    /// The enum names are the serde names of the contract.
    #[test]
    fn enum_names_match_serde() {
        for k in [
            InputKind::KernelOom,
            InputKind::SystemdOomd,
            InputKind::MemoryStat,
            InputKind::DescribePod,
            InputKind::DescribeNode,
            InputKind::EvictionMessage,
            InputKind::PodManifest,
            InputKind::KubeletConfig,
            InputKind::EventsTable,
            InputKind::SystemdUnit,
        ] {
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::Value::from(input_kind_name(k)))
            );
        }
        for s in [Severity::Info, Severity::Warning, Severity::Critical] {
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::from(severity_name(s)))
            );
        }
    }
}
