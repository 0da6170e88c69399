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
}
