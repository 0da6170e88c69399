//! Kubernetes-side text as users paste it: pod status excerpts, old kubelet wordings, fragments of
//! `kubectl describe node`. Real pastes from `tests/fixtures/k8s/` (sources in its README.md); each
//! test asserts the facts the paste plainly shows.

use oomlens_core::explain;
use oomlens_core::explanation::Explanation;

fn explain_fixture(name: &str) -> Explanation {
    let p = format!("{}/tests/fixtures/k8s/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
    explain(&text)
}

fn ids(ex: &Explanation) -> Vec<&'static str> {
    ex.findings.iter().map(|f| f.id()).collect()
}

#[test]
fn an_old_admission_rejection_is_not_an_eviction() {
    // `message: 'Pod The node was low on resource: [MemoryPressure].'` — kubelet 1.6's Admit put
    // the node's conditions where an eviction names a resource; `rejectPod` adds `Pod `.
    let ex = explain_fixture("pod_status_yaml_evicted_memorypressure_typo_k8s_48632.yaml");
    assert!(ex.evictions.is_empty(), "{:?}", ex.evictions);
    assert!(
        ids(&ex).contains(&"eviction.admission.memory"),
        "{:?}",
        ids(&ex)
    );
    assert!(!ids(&ex)
        .iter()
        .any(|id| id.starts_with("eviction.node_pressure")));
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "eviction.admission.memory")
        .map(|f| (f.english(), f.lines.clone()));
    let (text, lines) = f.unwrap_or_default();
    assert!(text.contains("condition MemoryPressure"), "{text}");
    assert_eq!(lines, vec![2]);
    // The `status:` mapping alone is still the pod's status: Failed, reason Evicted, but not
    // "kubelet evicted it".
    assert_eq!(ex.describe_pods.len(), 1);
    let p = &ex.describe_pods[0];
    assert_eq!(
        (p.status.as_deref(), p.reason.as_deref()),
        (Some("Failed"), Some("Evicted"))
    );
    assert!(!ids(&ex).contains(&"pod.evicted"));
}

#[test]
fn a_json_status_member_without_its_object() {
    // 16-space-indented `"status": { … }` cut from `kubectl get pod -o json`.
    let ex = explain_fixture("pod_status_json_oomkilled_kubeshark_worker.json");
    assert_eq!(ex.describe_pods.len(), 1);
    let p = &ex.describe_pods[0];
    assert_eq!(p.status.as_deref(), Some("Running"));
    assert_eq!(p.qos_class.as_deref(), Some("Burstable"));
    let c = &p.containers[0];
    assert_eq!(c.name, "kubeshark-worker");
    assert_eq!(c.restart_count, Some(1));
    assert_eq!(
        c.container_id.as_deref(),
        Some("docker://a679663ef486d6dc6f24e8157685eb561d26707193924555af537a158a34ec03")
    );
    let last = c.last_state.as_ref().map(|s| {
        (
            s.state.as_str(),
            s.reason.as_deref(),
            s.exit_code,
            s.started.as_deref(),
            s.finished.as_deref(),
        )
    });
    assert_eq!(
        last,
        Some((
            "Terminated",
            Some("OOMKilled"),
            Some(137),
            Some("2023-05-06T16:54:42Z"),
            Some("2023-05-06T21:03:57Z")
        ))
    );
    assert!(
        ids(&ex).contains(&"pod.container_oomkilled"),
        "{:?}",
        ids(&ex)
    );
}

fn node_blocks(ex: &Explanation) -> Vec<(usize, usize)> {
    ex.inputs
        .iter()
        .filter(|b| b.kind == oomlens_core::explanation::InputKind::DescribeNode)
        .map(|b| (b.first_line, b.last_line))
        .collect()
}

#[test]
fn a_memory_pressure_row_alone() {
    // One row of the Conditions table, without its header, as kubectl 1.2x prints it.
    let ex = explain_fixture("describe_node_condition_k8s_107899.txt");
    assert_eq!(node_blocks(&ex), vec![(1, 1)]);
    let c = &ex.describe_nodes[0].conditions;
    assert_eq!(c.len(), 1);
    assert_eq!(
        (
            c[0].line,
            c[0].kind.as_str(),
            c[0].status.as_str(),
            c[0].reason.as_deref(),
            c[0].message.as_deref()
        ),
        (
            1,
            "MemoryPressure",
            "True",
            Some("KubeletHasInsufficientMemory"),
            Some("kubelet has insufficient memory available")
        )
    );
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "node.memory_pressure")
        .expect("memory pressure finding");
    assert_eq!(f.lines, vec![1]);
    assert!(f.english().contains("(KubeletHasInsufficientMemory)"));
}

#[test]
fn a_condition_row_wrapped_inside_its_reason() {
    // Old kubectl separates columns with tabs; the terminal cut `KubeletHasInsufficientM|emory`.
    let ex = explain_fixture("describe_node_condition_wrapped_k8s_52386.txt");
    assert_eq!(node_blocks(&ex), vec![(1, 2)]);
    let c = &ex.describe_nodes[0].conditions;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].reason.as_deref(), Some("KubeletHasInsufficientMemory"));
    assert_eq!(
        c[0].message.as_deref(),
        Some("kubelet has insufficient memory available")
    );
    assert!(ids(&ex).contains(&"node.memory_pressure"));
}

#[test]
fn a_wrap_that_makes_no_known_reason_is_not_joined() {
    // The same cut, but the halves do not make a reason kubelet gives: the row keeps what it
    // shows and the second line is not taken as its continuation.
    let text = "MemoryPressure \tTrue \tWed, 13 Sep 2017 12:54:10 +0800 \tWed, 13 Sep 2017 11:54:03 +0800 \tKubeletHasInsufficientM\nemoryX \tsomething else\n";
    let ex = explain(text);
    assert_eq!(node_blocks(&ex), vec![(1, 1)]);
    let c = &ex.describe_nodes[0].conditions[0];
    assert_eq!(c.reason.as_deref(), Some("KubeletHasInsufficientM"));
    assert_eq!(c.message, None);
}

#[test]
fn old_allocated_resources_table_with_tabs() {
    let ex = explain_fixture("describe_node_allocated_tabs_k8s_52386.txt");
    assert_eq!(node_blocks(&ex), vec![(1, 5)]);
    let n = &ex.describe_nodes[0];
    assert_eq!(
        n.allocated.get("memory"),
        Some(&("72888Mi (56%)".to_string(), "72888Mi (56%)".to_string()))
    );
    assert_eq!(
        n.allocated.get("cpu"),
        Some(&("11590m (48%)".to_string(), "9500m (39%)".to_string()))
    );
    assert_eq!(n.allocated_memory_line, Some(5));
}

#[test]
fn capacity_and_allocatable_with_hugepages() {
    // `...` elisions around the two sections; 1Gi of 2Mi pages pre-allocated.
    let ex = explain_fixture("describe_node_hugepages_k8s_64691.txt");
    assert_eq!(ex.describe_nodes.len(), 1);
    let n = &ex.describe_nodes[0];
    assert_eq!(
        n.capacity.get("memory").map(String::as_str),
        Some("2937344Ki")
    );
    assert_eq!(
        n.allocatable.get("memory").map(String::as_str),
        Some("1786368Ki")
    );
    assert_eq!(
        n.capacity.get("hugepages-2Mi").map(String::as_str),
        Some("1Gi")
    );
    assert_eq!(
        (n.capacity_memory_line, n.allocatable_memory_line),
        (Some(8), Some(15))
    );
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "node.hugepages")
        .expect("hugepages finding");
    // 2937344Ki − 1786368Ki = 1150976Ki held back: 1Gi of huge pages, 100Mi the rest (the default
    // hard memory.available threshold with no reservations).
    let text = f.english();
    assert!(text.contains("1 GiB of the memory capacity"), "{text}");
    assert!(text.contains("100 MiB is kube-reserved"), "{text}");
    assert_eq!(f.lines, vec![8, 15]);
}

#[test]
fn sections_between_bracketed_elisions() {
    let ex = explain_fixture("describe_node_sections_k8s_pr80605.txt");
    assert_eq!(ex.describe_nodes.len(), 1);
    let n = &ex.describe_nodes[0];
    assert_eq!(
        n.capacity.get("memory").map(String::as_str),
        Some("8010240Ki")
    );
    assert_eq!(
        n.allocatable.get("memory").map(String::as_str),
        Some("8010240Ki")
    );
    assert_eq!(
        n.allocated.get("memory"),
        Some(&("190Mi (2%)".to_string(), "390Mi (4%)".to_string()))
    );
    // No huge pages, nothing held back: no hugepages sentence.
    assert!(!ids(&ex).contains(&"node.hugepages"));
    assert!(ids(&ex).contains(&"node.allocatable"));
}

#[test]
fn allocated_resources_then_node_events() {
    // A remark in Chinese between the two sections stays unrecognised.
    let ex = explain_fixture("describe_node_allocated_events_kubeasz_799.txt");
    let n = &ex.describe_nodes;
    assert!(!n.is_empty());
    assert!(n.iter().any(|n| n.allocated.get("memory")
        == Some(&("3242Mi (32%)".to_string(), "4466Mi (44%)".to_string()))));
    let got = ids(&ex);
    assert!(got.contains(&"node.insufficient_memory"), "{got:?}");
    assert!(got.contains(&"node.eviction_threshold_met"), "{got:?}");
    let covered = |line: usize| {
        ex.inputs
            .iter()
            .any(|b| b.first_line <= line && line <= b.last_line)
    };
    assert!(!covered(9), "the remark is not part of a recognised block");
}

#[test]
fn node_problem_detector_rows_of_describe_node() {
    // A row without its table: the kernel's kill line is its message.
    let ex = explain_fixture("describe_node_event_kernel_monitor_row_aks_vijayrod.txt");
    let e = &ex.cluster_events[0];
    assert_eq!(
        (e.line, e.reason.as_str(), e.source.as_deref()),
        (2, "OOMKilling", Some("kernel-monitor"))
    );
    assert!(e.message.contains("Killed process 7788 (bash)"));
    let v = ex.oom_events[0]
        .victim
        .as_ref()
        .expect("the relayed kill line");
    assert_eq!((v.pid, v.oom_score_adj), (7788, Some(1000)));
    assert!(ids(&ex).contains(&"events.oom_killing"));

    // The message on the line above its row; the row aggregated 13 events over 2m23s.
    let ex = explain_fixture("describe_node_event_message_above_row_aks_vijayrod.txt");
    let e = &ex.cluster_events[0];
    assert_eq!(
        (e.line, e.count, e.over.as_deref()),
        (3, Some(13), Some("2m23s"))
    );
    assert!(
        e.message.contains("Killed process 65541 (stress)"),
        "{}",
        e.message
    );
    assert!(ex.inputs.iter().any(
        |b| b.kind == oomlens_core::explanation::InputKind::DescribeNode
            && (b.first_line, b.last_line) == (2, 3)
    ));
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "events.oom_killing")
        .unwrap();
    assert!(
        f.english().contains("13 times over 2m23s"),
        "{}",
        f.english()
    );
    // The syslog below is a different, later kill.
    let pids: Vec<i64> = ex
        .oom_events
        .iter()
        .filter_map(|e| e.victim.as_ref().map(|v| v.pid))
        .collect();
    assert_eq!(pids, vec![65541, 68061]);

    // An older node-problem-detector's reason, an older kernel's selection line.
    let ex = explain_fixture("describe_node_event_podoomkilling_kubernikus_321.txt");
    let e = &ex.cluster_events[0];
    assert_eq!(
        (e.reason.as_str(), e.object.as_str()),
        ("PodOOMKilling", "node/<node>")
    );
    let k = &ex.oom_events[0];
    assert_eq!(k.details.selected_pid, Some(25169));
    assert_eq!(k.details.selected_comm.as_deref(), Some("hyperkube"));
    assert!(k.victim.is_none(), "the kill line is not in the paste");
}
