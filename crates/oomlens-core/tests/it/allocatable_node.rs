//! Node allocatable, ported from kubernetes/kubernetes
//! pkg/kubelet/cm/node_container_manager_linux_test.go (TestNodeAllocatableReservationForScheduling,
//! TestNodeAllocatableForEnforcement, TestNodeAllocatableInputValidation — memory columns) plus
//! the nodestatus hugepages rule (pkg/kubelet/nodestatus/setters.go MachineInfo) and the
//! enforceNodeAllocatable validation texts (pkg/kubelet/apis/config/validation/validation_test.go).

use oomlens_core::kubelet::allocatable::*;
use oomlens_core::kubelet::thresholds::{parse_threshold_config, ThresholdValue};
use oomlens_core::scenario::KubeletConfig;
use proptest::prelude::*;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

fn q(s: &str) -> ThresholdValue {
    let q = oomlens_core::base::quantity::Quantity::parse(s).unwrap();
    ThresholdValue::Quantity {
        value: q.value(),
        quantity: q,
    }
}

fn pods() -> Vec<String> {
    vec!["pods".to_string()]
}

#[test]
fn reservation_for_scheduling_table() {
    // (kubeReserved, systemReserved, capacity, hardThreshold, expected reservation)
    let rows: Vec<(i64, i64, i64, Option<ThresholdValue>, i64)> = vec![
        (100 * MI, 50 * MI, 10 * GI, None, 150 * MI),
        (100 * MI, 50 * MI, 10 * GI, Some(q("100Mi")), 250 * MI),
        (
            100 * MI,
            50 * MI,
            10 * GI,
            Some(ThresholdValue::Percentage(0.05)),
            694_157_320,
        ),
        (0, 0, 10 * GI, None, 0),
        (100 * MI, 50 * MI, 10 * GI, None, 150 * MI),
        (100 * MI, 50 * MI, 10 * GI, None, 150 * MI),
        // upstream row 7 has no memory capacity; the reservation is still 150Mi.
        (100 * MI, 50 * MI, 10 * GI, None, 150 * MI),
    ];
    for (i, (k, s, c, h, want)) in rows.into_iter().enumerate() {
        let na = compute_node_allocatable(c, k, s, h.as_ref(), 0, true, &pods()).unwrap();
        assert_eq!(na.reservation_bytes, want, "row {}", i + 1);
        assert_eq!(na.allocatable_bytes, c - want, "row {}", i + 1);
    }
}

#[test]
fn allocatable_for_enforcement_table() {
    // GetNodeAllocatableAbsolute: the eviction threshold is NOT subtracted.
    let rows: Vec<(i64, i64, i64, Option<ThresholdValue>, i64)> = vec![
        (100 * MI, 50 * MI, 10 * GI, None, 10090 * MI),
        (100 * MI, 50 * MI, 10 * GI, Some(q("100Mi")), 10090 * MI),
        (
            100 * MI,
            50 * MI,
            10 * GI,
            Some(ThresholdValue::Percentage(0.05)),
            10090 * MI,
        ),
        (0, 0, 10 * GI, None, 10 * GI),
        (100 * MI, 50 * MI, 10 * GI, None, 10090 * MI),
        (100 * MI, 50 * MI, 10 * GI, None, 10090 * MI),
        // upstream row 7 (no memory capacity) has no memory column: not applicable.
    ];
    for (i, (k, s, c, h, want)) in rows.into_iter().enumerate() {
        let na = compute_node_allocatable(c, k, s, h.as_ref(), 0, true, &pods()).unwrap();
        assert_eq!(na.node_allocatable_absolute_bytes, want, "row {}", i + 1);
        assert_eq!(na.kubepods_limit_bytes, Some(want), "row {}", i + 1);
    }
}

#[test]
fn input_validation_table() {
    let rows: Vec<(i64, i64, i64, Option<ThresholdValue>, bool)> = vec![
        (100 * MI, 50 * MI, 10 * GI, None, false),
        (100 * MI, 50 * MI, 10 * GI, Some(q("100Mi")), false),
        (
            100 * MI,
            50 * MI,
            10 * GI,
            Some(ThresholdValue::Percentage(0.05)),
            false,
        ),
        (0, 0, 10 * GI, None, false),
        (100 * MI, 50 * MI, 10 * GI, None, false),
        (100 * MI, 50 * MI, 10 * GI, None, false),
        (10 * GI, 10 * GI, 11 * GI, Some(q("2Gi")), true),
    ];
    for (i, (k, s, c, h, invalid)) in rows.into_iter().enumerate() {
        let r = compute_node_allocatable(c, k, s, h.as_ref(), 0, true, &pods());
        assert_eq!(r.is_err(), invalid, "row {}: {r:?}", i + 1);
    }
    let e = compute_node_allocatable(11 * GI, 10 * GI, 10 * GI, Some(&q("2Gi")), 0, true, &pods())
        .unwrap_err();
    assert_eq!(
        e.message,
        "invalid Node Allocatable configuration. Resource \"memory\" has a reservation of 22Gi but capacity of 11Gi. Expected capacity >= reservation."
    );
}

#[test]
fn kubepods_limit_only_when_enforced() {
    let na =
        compute_node_allocatable(16 * GI, GI, 512 * MI, Some(&q("100Mi")), 0, true, &[]).unwrap();
    assert_eq!(na.kubepods_limit_bytes, None);
    let na = compute_node_allocatable(16 * GI, GI, 512 * MI, Some(&q("100Mi")), 0, false, &pods())
        .unwrap();
    assert_eq!(na.kubepods_limit_bytes, None);
    let na = compute_node_allocatable(16 * GI, GI, 512 * MI, Some(&q("100Mi")), 0, true, &pods())
        .unwrap();
    assert_eq!(na.kubepods_limit_bytes, Some(16 * GI - GI - 512 * MI));
    assert_eq!(na.allocatable_bytes, 16 * GI - GI - 512 * MI - 100 * MI);
}

#[test]
fn hugepages_subtracted_from_allocatable_only() {
    let na =
        compute_node_allocatable(16 * GI, GI, 0, Some(&q("100Mi")), 2 * GI, true, &pods()).unwrap();
    assert_eq!(na.allocatable_bytes, 16 * GI - GI - 100 * MI - 2 * GI);
    assert_eq!(na.kubepods_limit_bytes, Some(15 * GI));
    let na = compute_node_allocatable(4 * GI, GI, 0, None, 8 * GI, true, &pods()).unwrap();
    assert_eq!(na.allocatable_bytes, 0);
}

#[test]
fn enforce_node_allocatable_validation() {
    let v = |keys: &[&str], qos: bool| {
        validate_enforce_node_allocatable(
            &keys.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            qos,
        )
    };
    assert!(v(&["pods"], true).is_ok());
    assert!(v(&["pods", "system-reserved", "kube-reserved"], true).is_ok());
    assert!(v(&["none"], true).is_ok());
    assert_eq!(
        v(&["none", "kube-reserved"], true).unwrap_err().message,
        "invalid configuration: enforceNodeAllocatable (--enforce-node-allocatable) may not contain additional enforcements when \"none\" is specified"
    );
    assert_eq!(
        v(&["invalid-enforce-node-allocatable"], true).unwrap_err().message,
        "invalid configuration: option \"invalid-enforce-node-allocatable\" specified for enforceNodeAllocatable (--enforce-node-allocatable). Valid options are \"pods\", \"system-reserved\", \"kube-reserved\", or \"none\""
    );
    assert!(v(&["pods"], false).is_err());
    assert!(v(&[], false).is_ok());
}

#[test]
fn from_kubelet_config() {
    let mut cfg = KubeletConfig::default();
    cfg.kube_reserved.insert("memory".into(), "1Gi".into());
    cfg.system_reserved.insert("memory".into(), "512Mi".into());
    let t = parse_threshold_config(&cfg).unwrap();
    let na = node_allocatable(16 * GI, 0, &cfg, &t).unwrap();
    assert_eq!(na.hard_eviction_bytes, 100 * MI);
    assert_eq!(na.allocatable_bytes, 16 * GI - GI - 512 * MI - 100 * MI);
    assert_eq!(na.kubepods_limit_bytes, Some(16 * GI - GI - 512 * MI));
    assert!(na.derivations.iter().any(|d| d.field == "allocatable_bytes"
        && d.substituted.ends_with(&na.allocatable_bytes.to_string())));
    cfg.kube_reserved.insert("memory".into(), "-1Gi".into());
    let e = node_allocatable(16 * GI, 0, &cfg, &t).unwrap_err();
    assert_eq!(e.path, "node.kubeletConfig.kubeReserved[\"memory\"]");
}

proptest! {
    // Invariant: allocatable never exceeds capacity and never goes negative; kubepods limit ≥ allocatable.
    #[test]
    fn allocatable_le_capacity(cap in 0i64..(1i64 << 42), k in 0i64..(1i64 << 40), s in 0i64..(1i64 << 40), h in 0i64..(1i64 << 32), huge in 0i64..(1i64 << 36)) {
        let hv = ThresholdValue::Quantity { value: h.max(1), quantity: oomlens_core::base::quantity::Quantity::from_bytes(h.max(1)) };
        if let Ok(na) = compute_node_allocatable(cap, k, s, Some(&hv), huge, true, &pods()) {
            prop_assert!(na.allocatable_bytes <= cap);
            prop_assert!(na.allocatable_bytes >= 0);
            prop_assert!(na.kubepods_limit_bytes.unwrap_or(0) >= na.allocatable_bytes);
        } else {
            prop_assert!(k + s + h.max(1) > cap);
        }
    }
}

/// The node step of an evaluation: a preset fills kube-reserved and the hard threshold,
/// `allocatableMemory.available` percentages resolve against the kubepods limit, errors name the
/// scenario field.
#[test]
fn evaluated_node_with_presets() {
    let eval = |node: &str| {
        let text = format!("kubeletVersion: \"1.37\"\nnode: {node}\npods: []\n");
        oomlens_core::evaluate(&oomlens_core::scenario::parse_scenario(&text).unwrap())
    };
    // EKS, 58 pods: kube-reserved (11×58+255) MiB = 893 MiB, hard 100Mi.
    let e = eval("{memory: 16Gi, preset: eks, maxPods: 58}").unwrap();
    assert_eq!(e.node.kube_reserved_bytes, 893 * MI);
    assert_eq!(e.node.allocatable_bytes, 16 * GI - 893 * MI - 100 * MI);
    assert_eq!(e.node.kubepods_limit_bytes, Some(16 * GI - 893 * MI));
    assert_eq!(e.node.thresholds.len(), 2);
    // Percentage: allocatableMemory.available resolves against the kubepods limit.
    let e = eval(
        "{memory: 16Gi, kubeletConfig: {kubeReserved: {memory: 1Gi}, evictionHard: {memory.available: 10%}}}",
    )
    .unwrap();
    let by = |s: &str| {
        e.node
            .thresholds
            .iter()
            .find(|t| t.signal == s)
            .unwrap()
            .bytes
    };
    assert_eq!(
        by("memory.available"),
        ThresholdValue::Percentage(0.1).quantity_for(16 * GI)
    );
    assert_eq!(
        by("allocatableMemory.available"),
        ThresholdValue::Percentage(0.1).quantity_for(15 * GI)
    );
    // Errors name the field.
    assert_eq!(
        eval("{memory: 16Gi, preset: eks}").unwrap_err().path,
        "node.preset"
    );
    assert_eq!(
        eval("{memory: 16Gi, kubeletConfig: {evictionHard: {memory.available: abc}}}")
            .unwrap_err()
            .path,
        "node.kubeletConfig.evictionHard[\"memory.available\"]"
    );
}

/// kubernetes/kubernetes pkg/kubelet/cm TestGetAllocatableMemory (2024; version not pinned; the
/// helper `GetAllocatableMemory` is the `MachineInfo` loop of pkg/kubelet/nodestatus/setters.go,
/// quoted in kubernetes/kubernetes#84426: every `hugepages-*` capacity subtracted from memory,
/// floored at 0). Rows:
/// memory capacity, hugepages capacity → memory left. No reservation, no eviction threshold.
#[test]
fn get_allocatable_memory_table() {
    let rows: &[(&str, &str, &str)] = &[("10G", "1G", "9G"), ("1G", "200M", "800M")];
    let v = |s: &str| {
        oomlens_core::base::quantity::Quantity::parse(s)
            .unwrap()
            .value()
    };
    for (mem, huge, want) in rows {
        let na = compute_node_allocatable(v(mem), 0, 0, None, v(huge), true, &pods()).unwrap();
        assert_eq!(na.allocatable_bytes, v(want), "{mem} - {huge}");
        assert_eq!(na.hugepages_bytes, v(huge));
    }
}
