//! `kubectl describe pod|node` and pod status readers, on the real samples of
//! tests/fixtures/k8s (README.md) and the layouts of k8s.io/kubectl `pkg/describe/describe.go`.

use oomlens_core::diag::describe;
use oomlens_core::diag::lines::numbered;

fn fixture(name: &str) -> String {
    crate::support::fixture(&format!("k8s/{name}"))
}

#[test]
fn simmemleak_old_describe_pod() {
    let text = fixture("describe_pod_simmemleak_docs.txt");
    let lines: Vec<_> = numbered(&text).collect();
    let p = describe::read_pod(&lines).unwrap();
    assert_eq!(p.name.as_deref(), Some("simmemleak-hra99"));
    assert_eq!(p.namespace.as_deref(), Some("default"));
    assert_eq!(p.node.as_deref(), Some("kubernetes-node-tf0f"));
    assert_eq!(p.status.as_deref(), Some("Running"));
    assert_eq!(p.reason, None);
    assert_eq!(p.containers.len(), 1);
    let c = &p.containers[0];
    assert_eq!(c.name, "simmemleak");
    assert_eq!(c.limits.get("memory").map(String::as_str), Some("50Mi"));
    assert_eq!(c.memory_limit_line, Some(16));
    assert_eq!(c.restart_count, Some(5));
    assert_eq!(c.state.as_ref().unwrap().state, "Running");
    let last = c.last_state.as_ref().unwrap();
    assert_eq!(
        (last.state.as_str(), last.exit_code, last.line),
        ("Terminated", Some(1), 19)
    );
    // Old events table: FirstSeen/LastSeen/Count/From/SubobjectPath/Reason/Message.
    assert_eq!(p.events.len(), 5);
    assert_eq!(p.events[0].reason, "scheduled");
    assert_eq!(p.events[1].reason, "pulled");
}

#[test]
fn e2e_describe_node_with_elisions() {
    let text = fixture("describe_node_e2e_docs.txt");
    let lines: Vec<_> = numbered(&text).collect();
    let n = describe::read_node(&lines).unwrap();
    assert_eq!(n.name.as_deref(), Some("e2e-test-node-pool-4lw4"));
    assert_eq!(
        n.capacity.get("memory").map(String::as_str),
        Some("7679792Ki")
    );
    assert_eq!(
        n.allocatable.get("memory").map(String::as_str),
        Some("7474992Ki")
    );
    assert_eq!(n.capacity.get("pods").map(String::as_str), Some("110"));
    assert_eq!(
        (n.capacity_memory_line, n.allocatable_memory_line),
        (Some(5), Some(9))
    );
    assert_eq!(n.pods.len(), 5);
    assert_eq!(n.pods[0].name, "fluentd-gcp-v1.38-28bv1");
    assert_eq!(n.pods[0].memory_requests.as_deref(), Some("200Mi"));
    assert_eq!(n.pods[2].memory_limits.as_deref(), Some("0"));
    let (req, lim) = n.allocated.get("memory").unwrap();
    assert_eq!(
        (req.as_str(), lim.as_str()),
        ("920Mi (12%)", "1070Mi (14%)")
    );
    assert_eq!(n.allocated_memory_line, Some(24));
}

#[test]
fn modern_describe_node_conditions_and_events() {
    let text = "Name:               node-a\nRoles:              <none>\nConditions:\n  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n  ----             ------  -----------------                 ------------------                ------                       -------\n  MemoryPressure   True    Mon, 01 Nov 2021 11:20:33 -0700   Mon, 01 Nov 2021 11:10:02 -0700   KubeletHasInsufficientMemory   kubelet has insufficient memory available\n  Ready            True    Mon, 01 Nov 2021 11:20:33 -0700   Wed, 11 Nov 2020 17:38:27 -0800   KubeletReady                 kubelet is posting ready status\nCapacity:\n  memory:             16393000Ki\n  pods:               110\nAllocatable:\n  memory:             15241000Ki\nSystem Info:\n  Kernel Version:             5.15.0-1034-gke\n  Kubelet Version:            v1.27.3\nAllocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n  Resource           Requests      Limits\n  --------           --------      ------\n  cpu                850m (21%)    0 (0%)\n  memory             190Mi (1%)    20Gi (137%)\nEvents:\n  Type     Reason                Age   From     Message\n  ----     ------                ----  ----     -------\n  Warning  EvictionThresholdMet  5m    kubelet  Attempting to reclaim memory\n  Warning  SystemOOM             4m    kubelet  System OOM encountered, victim process: java, pid: 4242\n";
    let lines: Vec<_> = numbered(text).collect();
    let n = describe::read_node(&lines).unwrap();
    let mp = n
        .conditions
        .iter()
        .find(|c| c.kind == "MemoryPressure")
        .unwrap();
    assert_eq!((mp.status.as_str(), mp.line), ("True", 6));
    assert_eq!(mp.reason.as_deref(), Some("KubeletHasInsufficientMemory"));
    assert_eq!(n.kernel_version.as_deref(), Some("5.15.0-1034-gke"));
    assert_eq!(n.kubelet_version.as_deref(), Some("v1.27.3"));
    assert_eq!(n.allocated.get("memory").unwrap().1, "20Gi (137%)");
    assert_eq!(n.events.len(), 2);
    assert_eq!(n.events[1].reason, "SystemOOM");
    assert_eq!(
        n.events[1].message,
        "System OOM encountered, victim process: java, pid: 4242"
    );
}

#[test]
fn status_json_from_k8s_issue_53669() {
    // The lastState of kubernetes/kubernetes#53669, inside a pod object.
    let text = r#"{
  "kind": "Pod",
  "apiVersion": "v1",
  "metadata": {"name": "memcached-0", "namespace": "default", "uid": "c480d1ba-bec2-11e5-ad45-062d2421a4bd"},
  "spec": {"containers": [{"name": "memcached", "resources": {"limits": {"memory": "500M"}, "requests": {"memory": "10M"}}}]},
  "status": {
    "phase": "Running",
    "qosClass": "Burstable",
    "containerStatuses": [{
      "name": "memcached",
      "restartCount": 1,
      "lastState": {
        "terminated": {
          "containerID": "docker://5954f621c17f13706c25a215db06fe2bf7b9a9a6c732a909eb0db39d62346724",
          "exitCode": 137,
          "finishedAt": "2017-10-10T17:41:58Z",
          "reason": "Error",
          "startedAt": "2017-10-10T17:20:37Z"
        }
      }
    }]
  }
}"#;
    let lines: Vec<_> = numbered(text).collect();
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let p = describe::read_pod_status(&v, &lines, true).unwrap();
    assert_eq!(p.source, "status_json");
    assert_eq!(
        p.uid.as_deref(),
        Some("c480d1ba-bec2-11e5-ad45-062d2421a4bd")
    );
    assert_eq!(p.qos_class.as_deref(), Some("Burstable"));
    let c = &p.containers[0];
    assert_eq!(c.limits.get("memory").map(String::as_str), Some("500M"));
    let last = c.last_state.as_ref().unwrap();
    assert_eq!(
        (last.reason.as_deref(), last.exit_code),
        (Some("Error"), Some(137))
    );
    assert_eq!(last.exit_code_line, Some(15));
    assert_eq!(
        c.container_id.as_deref().map(|s| &s[..9]),
        Some("docker://")
    );
}

#[test]
fn fragments() {
    let text = fixture("describe_fragment_k8s_122256.txt");
    let lines: Vec<_> = numbered(&text).collect();
    let p = describe::read_fragment(&lines).unwrap();
    assert_eq!(p.containers.len(), 1);
    assert_eq!(p.containers[0].name, "wk64c");
    assert_eq!(p.containers[0].restart_count, Some(1));
    let last = p.containers[0].last_state.as_ref().unwrap();
    assert_eq!(
        (last.reason.as_deref(), last.exit_code, last.reason_line),
        (Some("Error"), Some(137), Some(5))
    );

    let text = fixture("describe_fragment_gimlet_649.txt");
    let lines: Vec<_> = numbered(&text).collect();
    let p = describe::read_fragment(&lines).unwrap();
    assert_eq!(p.containers[0].name, "");
    let last = p.containers[0].last_state.as_ref().unwrap();
    assert_eq!(
        (last.reason.as_deref(), last.exit_code),
        (Some("OOMKilled"), Some(137))
    );
}

#[test]
fn split_columns_is_tabwriter_aware() {
    assert_eq!(
        describe::split_columns(
            "  Warning  SystemOOM  17m  kubelet, node1  System OOM encountered"
        ),
        vec![
            "Warning",
            "SystemOOM",
            "17m",
            "kubelet, node1",
            "System OOM encountered"
        ]
    );
    assert_eq!(describe::split_columns("a\tb\t\tc"), vec!["a", "b", "c"]);
    assert!(describe::split_columns("   ").is_empty());
}
