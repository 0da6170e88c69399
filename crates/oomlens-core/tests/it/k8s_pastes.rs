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
