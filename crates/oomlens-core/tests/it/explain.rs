//! `explain()` over whole pastes: detection of every kind in a mixed paste, cross-links between
//! readings, the calculator scenario, and the "nothing recognised" answer.

use oomlens_core::explain;
use oomlens_core::explanation::{InputKind, Severity};

fn fixture(name: &str) -> String {
    crate::support::fixture(name)
}

#[test]
fn mixed_paste_detects_each_block() {
    let ex = explain(&fixture("k8s/mixed_incident_synthetic.txt"));
    let kinds: Vec<(InputKind, usize, usize)> = ex
        .inputs
        .iter()
        .map(|b| (b.kind, b.first_line, b.last_line))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (InputKind::KernelOom, 3, 4),
            (InputKind::DescribePod, 7, 24),
            (InputKind::DescribeNode, 27, 34),
            (InputKind::KubeletConfig, 37, 37),
            (InputKind::MemoryStat, 40, 45),
        ]
    );
    assert_eq!(ex.oom_events.len(), 1);
    assert_eq!(ex.describe_pods.len(), 1);
    assert_eq!(ex.describe_nodes.len(), 1);
    assert_eq!(ex.kubelet_configs.len(), 1);
    assert_eq!(ex.memory_stats.len(), 1);
    assert_eq!(
        ex.memory_stats[0].working_set_bytes,
        Some(2955000000 - 524288)
    );
}

#[test]
fn kernel_report_is_linked_to_the_described_container() {
    let ex = explain(&fixture("k8s/mixed_incident_synthetic.txt"));
    let link = ex
        .findings
        .iter()
        .find(|f| f.id() == "crosslink.kernel_report_for_container")
        .expect("cross-link");
    assert!(link.lines.contains(&3), "{:?}", link.lines);
    assert!(
        link.english().contains("kubepods scope"),
        "{}",
        link.english()
    );
    assert!(link.english().contains("stress (pid 68061)"));
    // Error + 137 without OOMKilled is explained as a SIGKILL from outside the container's cgroup.
    let sig = ex
        .findings
        .iter()
        .find(|f| f.id() == "pod.container_sigkill")
        .unwrap();
    assert_eq!(sig.lines, vec![17, 18, 19]);
}

#[test]
fn scenario_from_node_capacity_and_flags() {
    let ex = explain(&fixture("k8s/mixed_incident_synthetic.txt"));
    let s = ex.scenario.as_ref().expect("scenario");
    assert_eq!(s.node.memory.value(), 8141120 * 1024);
    assert_eq!(s.node.max_pods, Some(110));
    let kc = &s.node.kubelet_config;
    assert_eq!(
        kc.kube_reserved.get("memory").map(String::as_str),
        Some("1843Mi")
    );
    assert_eq!(
        kc.eviction_hard
            .as_ref()
            .unwrap()
            .get("memory.available")
            .map(String::as_str),
        Some("750Mi")
    );
    assert_eq!(kc.enforce_node_allocatable, Some(vec!["pods".to_string()]));
    assert!(ex.findings.iter().any(|f| f.id() == "scenario.available"));
}

/// "Open in calculator" keeps what decides the numbers: a describe-node row with CPU 200m/200m and
/// memory 600Mi/600Mi is a Guaranteed pod (−997), not Burstable; the node's reported allocatable
/// travels with the scenario and the evaluation compares it with the computed one.
#[test]
fn scenario_from_describe_node_keeps_cpu_and_the_reported_allocatable() {
    let ex = explain(&fixture("k8s/describe_node_e2e_docs.txt"));
    let s = ex.scenario.as_ref().expect("scenario");
    assert_eq!(
        s.node.reported_allocatable.as_ref().map(|q| q.value()),
        Some(7474992 * 1024)
    );
    let e = oomlens_core::evaluate(s).unwrap();
    let grafana = e
        .pods
        .iter()
        .find(|p| p.name.starts_with("monitoring-influxdb-grafana"))
        .unwrap();
    assert_eq!(grafana.qos_class, "Guaranteed");
    assert_eq!(grafana.containers[0].oom_score_adj, -997);
    // kube-proxy requests 100m CPU and nothing else: Burstable, not BestEffort.
    let proxy = e
        .pods
        .iter()
        .find(|p| p.name.starts_with("kube-proxy"))
        .unwrap();
    assert_eq!(proxy.qos_class, "Burstable");
    assert_eq!(e.node.reported_allocatable_bytes, Some(7474992 * 1024));
    assert!(e
        .note_messages
        .iter()
        .any(|m| m.id.starts_with("note.reported_allocatable.")));
}

#[test]
fn node_allocatable_finding_from_real_describe_node() {
    let ex = explain(&fixture("k8s/describe_node_e2e_docs.txt"));
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "node.allocatable")
        .unwrap();
    assert!(
        f.english().contains("200 MiB is held back"),
        "{}",
        f.english()
    );
    assert_eq!(f.lines, vec![5, 9]);
    // The node's pod table becomes the scenario's pods.
    let s = ex.scenario.unwrap();
    assert_eq!(s.pods.len(), 5);
    assert_eq!(
        s.pods[0].containers[0]
            .resources
            .requests
            .memory
            .unwrap()
            .value(),
        200 << 20
    );
}

#[test]
fn evicted_pod_with_events_reads_one_message() {
    let text = "Name:         web-1\nNamespace:    shop\nPriority:     100\nStatus:       Failed\nReason:       Evicted\nMessage:      The node was low on resource: memory. Threshold quantity: 100Mi, available: 58472Ki. Container app was using 3694056Ki, request is 100Mi, has larger consumption of memory.\nQoS Class:    Burstable\nEvents:\n  Type     Reason   Age   From     Message\n  ----     ------   ----  ----     -------\n  Warning  Evicted  10m   kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 58472Ki. Container app was using 3694056Ki, request is 100Mi, has larger consumption of memory.\n  Normal   Killing  10m   kubelet  Stopping container app\n";
    let ex = explain(text);
    assert_eq!(ex.evictions.len(), 1);
    assert_eq!(ex.evictions[0].line, 6);
    assert!(ex.findings.iter().any(|f| f.id() == "pod.evicted"
        && f.severity == Severity::Critical
        && f.lines == vec![5, 6]));
    let rank = ex
        .findings
        .iter()
        .find(|f| f.id() == "eviction.ranking")
        .unwrap();
    assert!(
        rank.english().contains("its priority was 100"),
        "{}",
        rank.english()
    );
}

#[test]
fn oomkilled_exit_zero_is_explained() {
    let ex = explain(&fixture("k8s/describe_fragment_k8s_131530.txt"));
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "pod.container_oomkilled")
        .unwrap();
    assert!(
        f.english().contains("exit code is 0, not 137"),
        "{}",
        f.english()
    );
}

#[test]
fn status_fragment_from_kubernetes_docs() {
    let ex = explain(&fixture("k8s/pod_status_lastState_docs.txt"));
    assert_eq!(ex.inputs.len(), 1);
    assert_eq!(ex.inputs[0].kind, InputKind::DescribePod);
    let c = &ex.describe_pods[0].containers[0];
    assert_eq!(
        c.bare_id(),
        Some("65183c1877aaec2e8427bc95609cc52677a454b56fcb24340dbd22917c23b10f")
    );
    assert_eq!(c.runtime(), Some("docker"));
    assert!(ex
        .findings
        .iter()
        .any(|f| f.id() == "pod.container_oomkilled" && f.lines == vec![2, 4, 6]));
}

#[test]
fn node_events_alone() {
    let ex = explain(&fixture("k8s/node_events_k3s_838.txt"));
    assert_eq!(ex.inputs[0].kind, InputKind::DescribeNode);
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "node.system_oom")
        .unwrap();
    assert_eq!(f.lines, vec![9]);
    let ex = explain(&fixture("k8s/node_events_systemoom_pr78174_before.txt"));
    let oom: Vec<_> = ex
        .findings
        .iter()
        .filter(|f| f.id() == "node.system_oom")
        .collect();
    assert_eq!(oom.len(), 1, "identical events are grouped");
    assert_eq!(oom[0].lines, vec![15, 16, 17]);
}

#[test]
fn pod_manifest_goes_to_the_pod_reader() {
    let text = "some log line\napiVersion: v1\nkind: Pod\nmetadata:\n  name: memory-demo\n  namespace: mem-example\nspec:\n  containers:\n  - name: memory-demo-ctr\n    image: polinux/stress\n    resources:\n      requests:\n        memory: \"100Mi\"\n      limits:\n        memory: \"200Mi\"\nanother log line\n";
    let ex = explain(text);
    assert_eq!(ex.inputs.len(), 1);
    assert_eq!(
        (
            ex.inputs[0].kind,
            ex.inputs[0].first_line,
            ex.inputs[0].last_line
        ),
        (InputKind::PodManifest, 2, 15)
    );
    assert_eq!(ex.pods.len(), 1);
    assert_eq!(ex.pods[0].name, "memory-demo");
    assert_eq!(
        ex.pods[0].containers[0]
            .resources
            .limits
            .memory
            .unwrap()
            .value(),
        200 << 20
    );
}

#[test]
fn nothing_recognised() {
    for text in [
        "",
        "hello\nworld\n",
        "2024-01-01 INFO service started\n{ not json",
        "Name: just a form\nAge: 3\n",
    ] {
        let ex = explain(text);
        assert!(ex.inputs.is_empty(), "{text:?}: {:?}", ex.inputs);
        assert_eq!(ex.findings.len(), 1);
        assert_eq!(ex.findings[0].id(), "input.nothing_recognised");
        assert!(ex.scenario.is_none());
    }
}

#[test]
fn json_contract_field_names() {
    let ex = explain(&fixture("k8s/mixed_incident_synthetic.txt"));
    let v = serde_json::to_value(&ex).unwrap();
    for key in [
        "inputs",
        "oom_events",
        "memory_stats",
        "findings",
        "describe_pods",
        "describe_nodes",
        "evictions",
        "kubelet_configs",
        "pods",
        "scenario",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["inputs"][0]["kind"], "kernel_oom");
    assert_eq!(v["memory_stats"][0]["cgroup_version"], 2);
    assert_eq!(
        v["findings"][0]["severity"]
            .as_str()
            .map(|s| ["info", "warning", "critical"].contains(&s)),
        Some(true)
    );
}

#[test]
fn pod_list_items_get_their_own_lines() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n  spec:\n    containers:\n    - name: app\n  status:\n    containerStatuses:\n    - name: app\n      restartCount: 2\n      lastState:\n        terminated:\n          exitCode: 137\n          reason: OOMKilled\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n  spec:\n    containers:\n    - name: app\n  status:\n    containerStatuses:\n    - name: app\n      restartCount: 0\n      lastState:\n        terminated:\n          exitCode: 137\n          reason: OOMKilled\n";
    let ex = explain(text);
    assert_eq!(ex.pods.len(), 2);
    assert_eq!(ex.describe_pods.len(), 2);
    let lines: Vec<usize> = ex
        .describe_pods
        .iter()
        .map(|p| {
            p.containers[0]
                .last_state
                .as_ref()
                .unwrap()
                .reason_line
                .unwrap()
        })
        .collect();
    assert_eq!(lines, vec![18, 33]);
}

#[test]
fn scenario_yaml_round_trips_through_the_scenario_reader() {
    let ex = explain(&fixture("k8s/mixed_incident_synthetic.txt"));
    let yaml = ex.scenario_yaml.as_deref().expect("scenario yaml");
    let back = oomlens_core::scenario::parse_scenario(yaml).expect("parses");
    assert_eq!(back.node.memory.value(), 8141120 * 1024);
    assert_eq!(
        back.node
            .kubelet_config
            .kube_reserved
            .get("memory")
            .map(String::as_str),
        Some("1843Mi")
    );
}
