//! `kubectl get events`: the memory-related rows are read and explained
//! (crates/oomlens-core/src/diag/events_table.rs).

use crate::support::fixture;
use oomlens_core::diag::events_table::read;
use oomlens_core::diag::input::InputKind;
use oomlens_core::explain;

#[test]
fn jpaztech_events_table() {
    let text = fixture("k8s/get_events_jpaztech_aks_oom.txt");
    let r = read(&text);
    let reasons: Vec<&str> = r.events.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(
        reasons,
        ["EvictionThresholdMet", "NodeHasInsufficientMemory"]
    );
    assert_eq!(r.events[0].object, "node/<ノード名>");
    assert_eq!(r.events[0].message, "Attempting to reclaim memory");
    assert_eq!(r.events[0].line, 4);
    // The "(略)" line is not a row, and the table is one recognised block.
    assert_eq!(r.blocks.len(), 1);
    assert_eq!((r.blocks[0].first_line, r.blocks[0].last_line), (2, 5));
    let ex = explain(&text);
    assert!(ex.inputs.iter().any(|b| b.kind == InputKind::EventsTable));
    let ids: Vec<&str> = ex.findings.iter().map(|f| f.id()).collect();
    assert!(ids.contains(&"events.eviction_threshold_met"), "{ids:?}");
    assert!(ids.contains(&"events.memory_pressure"), "{ids:?}");
    assert!(!ids.contains(&"input.nothing_recognised"), "{ids:?}");
}

#[test]
fn all_namespaces_rows_and_verdicts() {
    let text = fixture("k8s/get_events_all_namespaces_synthetic.txt");
    let r = read(&text);
    // The Pulled row is not about memory.
    let reasons: Vec<&str> = r.events.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(reasons, ["Evicted", "OOMKilling", "SystemOOM"]);
    assert_eq!(r.events[0].namespace.as_deref(), Some("shop"));
    assert!(r.events[0]
        .message
        .starts_with("The node was low on resource: memory."));
    let ex = explain(&text);
    let evicted = ex
        .findings
        .iter()
        .find(|f| f.id() == "events.evicted")
        .unwrap();
    assert!(
        evicted.english().contains("shop/web-7d9c5b6f4-k2x9q"),
        "{}",
        evicted.english()
    );
    let system = ex
        .findings
        .iter()
        .find(|f| f.id() == "events.system_oom")
        .unwrap();
    assert!(
        system.english().contains("does not prove"),
        "{}",
        system.english()
    );
}

#[test]
fn text_without_a_header_has_no_rows() {
    let r = read("3m  Warning  Evicted  pod/x  The node was low on resource: memory.\nLAST SEEN is a phrase\n");
    assert!(r.events.is_empty() && r.blocks.is_empty());
}
