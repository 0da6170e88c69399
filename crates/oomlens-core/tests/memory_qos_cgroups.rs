//! cgroup v2 Memory QoS, vectors from kubernetes/kubernetes
//! pkg/kubelet/kuberuntime/kuberuntime_container_linux_test.go (TestGenerateContainerConfigWithMemoryQoSEnforced:
//! req 128Mi lim 256Mi → memory.high 255012864; req 128Mi no limit, allocatable 32Gi → 30937186304;
//! memory.min = request) and pkg/kubelet/cm/qos_container_manager_linux_test.go (TestQoSContainerCgroup:
//! burstable memory.min = Σ burstable requests, kubepods = Σ guaranteed + burstable).

use oomlens_core::memory_qos::*;
use oomlens_core::rules::{KubeletRules, KubeletVersion};
use oomlens_core::scenario::KubeletConfig;
use std::collections::BTreeMap;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

fn params(minor: u32, gate: bool, cfg: &KubeletConfig, cgroup: u8, alloc: i64) -> MemoryQosParams {
    let gates = BTreeMap::from([("MemoryQoS".to_string(), gate)]);
    let rules = KubeletRules::new(KubeletVersion { major: 1, minor }, &gates);
    MemoryQosParams::resolve(&rules, cfg, cgroup, 4096, alloc).unwrap()
}

#[test]
fn upstream_vectors_1_27_plus() {
    let p = params(34, true, &KubeletConfig::default(), 2, 32 * GI);
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI);
    assert_eq!(c.memory_min, Some(128 * MI));
    assert_eq!(c.memory_high, Some(255_012_864));
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 0);
    assert_eq!(c.memory_high, Some(30_937_186_304));
}

#[test]
fn not_written_cases() {
    let p = params(34, true, &KubeletConfig::default(), 2, 32 * GI);
    // request == limit (Guaranteed)
    let c = container_memory_qos(&p, "Guaranteed", 256 * MI, 256 * MI);
    assert_eq!((c.memory_min, c.memory_high), (Some(256 * MI), None));
    // BestEffort before 1.36: req == lim == 0 → nothing.
    let c = container_memory_qos(&p, "BestEffort", 0, 0);
    assert_eq!((c.memory_min, c.memory_high), (None, None));
    // high ≤ request: limit just above request rounds down to ≤ request.
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 128 * MI + 100);
    assert_eq!(c.memory_high, None);
    // gate off / cgroup v1 → nothing.
    for p in [
        params(34, false, &KubeletConfig::default(), 2, 32 * GI),
        params(34, true, &KubeletConfig::default(), 1, 32 * GI),
    ] {
        let c = container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI);
        assert_eq!((c.memory_min, c.memory_high), (None, None));
    }
}

#[test]
fn page_size_rounding() {
    let gates = BTreeMap::from([("MemoryQoS".to_string(), true)]);
    let rules = KubeletRules::new(
        KubeletVersion {
            major: 1,
            minor: 30,
        },
        &gates,
    );
    let p = MemoryQosParams::resolve(&rules, &KubeletConfig::default(), 2, 65536, 32 * GI).unwrap();
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI);
    // floor(255013683.2 / 65536) × 65536
    assert_eq!(c.memory_high, Some(3891 * 65536));
}

#[test]
fn legacy_formula_1_26() {
    let p = params(26, true, &KubeletConfig::default(), 2, 32 * GI);
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI);
    // 1.22–1.26: int64(limit × 0.8)
    assert_eq!(c.memory_high, Some((256.0 * MI as f64 * 0.8) as i64));
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 0);
    assert_eq!(c.memory_high, Some((32.0 * GI as f64 * 0.8) as i64));
}

#[test]
fn version_1_36_and_1_37() {
    // 1.36 default policy None: no min; memory.high formula unchanged; BestEffort gets high.
    let p = params(36, true, &KubeletConfig::default(), 2, 32 * GI);
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI);
    assert_eq!(
        (c.memory_min, c.memory_low, c.memory_high),
        (None, None, Some(255_012_864))
    );
    let c = container_memory_qos(&p, "BestEffort", 0, 0);
    assert_eq!(
        c.memory_high,
        Some(((32.0 * GI as f64 * 0.9) / 4096.0).floor() as i64 * 4096)
    );
    // TieredReservation
    let cfg = KubeletConfig {
        memory_reservation_policy: Some("TieredReservation".into()),
        ..Default::default()
    };
    let p = params(36, true, &cfg, 2, 32 * GI);
    assert_eq!(
        container_memory_qos(&p, "Guaranteed", GI, GI).memory_min,
        Some(GI)
    );
    assert_eq!(
        container_memory_qos(&p, "Burstable", GI, 2 * GI).memory_low,
        Some(GI)
    );
    let q = qos_cgroups_memory_qos(
        &p,
        &[("Guaranteed", GI), ("Burstable", 2 * GI), ("BestEffort", 0)],
    );
    assert_eq!(
        (q.kubepods_min, q.burstable_min, q.burstable_low),
        (Some(3 * GI), None, Some(2 * GI))
    );
    // 1.37: factor defaults to null → no memory.high unless set.
    let p = params(37, true, &KubeletConfig::default(), 2, 32 * GI);
    assert_eq!(
        container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI).memory_high,
        None
    );
    let cfg = KubeletConfig {
        memory_throttling_factor: Some(0.9),
        ..Default::default()
    };
    let p = params(37, true, &cfg, 2, 32 * GI);
    assert_eq!(
        container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI).memory_high,
        Some(255_012_864)
    );
}

#[test]
fn qos_and_pod_cgroups_legacy() {
    let p = params(30, true, &KubeletConfig::default(), 2, 32 * GI);
    let q = qos_cgroups_memory_qos(
        &p,
        &[
            ("Guaranteed", 128 * MI),
            ("Burstable", 256 * MI),
            ("Burstable", 64 * MI),
            ("BestEffort", 0),
        ],
    );
    assert_eq!(q.burstable_min, Some(320 * MI));
    assert_eq!(q.kubepods_min, Some(448 * MI));
    let q = qos_cgroups_memory_qos(&p, &[("BestEffort", 0)]);
    assert_eq!((q.kubepods_min, q.burstable_min), (None, None));
    assert_eq!(
        pod_memory_qos(&p, "Burstable", 300 * MI).memory_min,
        Some(300 * MI)
    );
    assert_eq!(pod_memory_qos(&p, "BestEffort", 0).memory_min, None);
}

#[test]
fn invalid_factor_rejected() {
    let gates = BTreeMap::from([("MemoryQoS".to_string(), true)]);
    let rules = KubeletRules::new(
        KubeletVersion {
            major: 1,
            minor: 30,
        },
        &gates,
    );
    let cfg = KubeletConfig {
        memory_throttling_factor: Some(1.5),
        ..Default::default()
    };
    assert!(MemoryQosParams::resolve(&rules, &cfg, 2, 4096, GI)
        .unwrap_err()
        .contains("memoryThrottlingFactor"));
}
