//! cgroup v2 Memory QoS: the upstream test tables, row by row. Each table is cited by the
//! kubernetes/kubernetes pull request that brought that version of it (`#N` =
//! https://github.com/kubernetes/kubernetes/pull/N).
//! - pkg/kubelet/kuberuntime/kuberuntime_container_linux_test.go
//!   TestGenerateContainerConfigWithMemoryQoSEnforced: 1.22–1.26 (#102970, fake factor 0.8 in
//!   fake_kuberuntime_manager.go); 1.27+ (#115371, fake factor 0.9 and fakeNodeAllocatableMemory =
//!   32Gi in fake_kuberuntime_manager.go); the BestEffort row of kubernetes/kubernetes#137685.
//! - pkg/kubelet/cm/helpers_linux_test.go TestResourceConfigForPodWithEnforceMemoryQoS: before 1.36
//!   (#102970) and 1.36 TieredReservation (#137719).
//! - pkg/kubelet/cm/qos_container_manager_linux_test.go TestQoSContainerCgroup: before 1.36
//!   (#102970) and 1.36 (#137584, with …WithMemoryReservationPolicyNone).
//! - pkg/kubelet/cm/pod_container_manager_linux_test.go TestEnsureExists (1.36, #137719).
//!
//! Page size is `os.Getpagesize()` = 4096 on the amd64 machines upstream CI runs on.

use oomlens_core::kubelet::memory_qos::*;
use oomlens_core::kubelet::rules::{KubeletRules, KubeletVersion};
use oomlens_core::scenario::KubeletConfig;
use std::collections::BTreeMap;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;
const PAGE: i64 = 4096;
/// fakeNodeAllocatableMemory in fake_kuberuntime_manager.go.
const FAKE_ALLOCATABLE: i64 = 32 * GI;

fn rules(minor: u32, gate: bool) -> KubeletRules {
    let gates = BTreeMap::from([("MemoryQoS".to_string(), gate)]);
    KubeletRules::new(KubeletVersion { major: 1, minor }, &gates)
}

fn params(minor: u32, gate: bool, cfg: &KubeletConfig, cgroup: u8, alloc: i64) -> MemoryQosParams {
    MemoryQosParams::resolve(&rules(minor, gate), cfg, cgroup, 4096, alloc).unwrap()
}

fn tiered() -> KubeletConfig {
    KubeletConfig {
        memory_reservation_policy: Some("TieredReservation".into()),
        ..Default::default()
    }
}

/// The 1.27+ upstream test's own expression:
/// `int64(math.Floor(req + (base-req)*factor) / float64(pageSize)) * pageSize`.
fn go_high_1_27(req: i64, base: i64, factor: f64) -> i64 {
    ((req as f64 + (base as f64 - req as f64) * factor).floor() / PAGE as f64) as i64 * PAGE
}

/// TestGenerateContainerConfigWithMemoryQoSEnforced, 1.22–1.26 (fake factor 0.8): memory.min =
/// request; memory.high = `int64(256Mi × 0.8)` / `int64(allocatable × 0.8)`.
#[test]
fn generate_container_config_memory_qos_1_22_to_1_26() {
    for minor in [25, 26] {
        let p = params(minor, true, &KubeletConfig::default(), 2, FAKE_ALLOCATABLE);
        assert_eq!(p.throttling_factor, Some(0.8));
        // (name, request, limit, memory.min, memory.high)
        let rows: &[(&str, i64, i64, i64, i64)] = &[
            (
                "Request128MBLimit256MB",
                128 * MI,
                256 * MI,
                128 * 1024 * 1024,
                (256.0 * MI as f64 * 0.8) as i64,
            ),
            (
                "Request128MBWithoutLimit",
                128 * MI,
                0,
                128 * 1024 * 1024,
                (FAKE_ALLOCATABLE as f64 * 0.8) as i64,
            ),
        ];
        for (name, req, lim, min, high) in rows {
            let c = container_memory_qos(&p, "Burstable", *req, *lim).0;
            assert_eq!(c.memory_min, Some(*min), "1.{minor} {name}");
            assert_eq!(c.memory_high, Some(*high), "1.{minor} {name}");
        }
    }
}

/// TestGenerateContainerConfigWithMemoryQoSEnforced, 1.27–1.35 (fake factor 0.9, 32Gi allocatable).
#[test]
fn generate_container_config_memory_qos_1_27_plus() {
    for minor in [27, 30, 35] {
        let p = params(minor, true, &KubeletConfig::default(), 2, FAKE_ALLOCATABLE);
        assert_eq!(p.throttling_factor, Some(0.9));
        let rows: &[(&str, i64, i64, i64, i64)] = &[
            (
                "Request128MBLimit256MB",
                128 * MI,
                256 * MI,
                128 * 1024 * 1024,
                go_high_1_27(128 * MI, 256 * MI, 0.9),
            ),
            (
                "Request128MBWithoutLimit",
                128 * MI,
                0,
                128 * 1024 * 1024,
                go_high_1_27(128 * MI, FAKE_ALLOCATABLE, 0.9),
            ),
        ];
        for (name, req, lim, min, high) in rows {
            let c = container_memory_qos(&p, "Burstable", *req, *lim).0;
            assert_eq!(c.memory_min, Some(*min), "1.{minor} {name}");
            assert_eq!(c.memory_high, Some(*high), "1.{minor} {name}");
        }
    }
    // The same two numbers worked by hand: floor(255013683.2 / 4096) × 4096 and 30937186304.
    assert_eq!(go_high_1_27(128 * MI, 256 * MI, 0.9), 255_012_864);
    assert_eq!(
        go_high_1_27(128 * MI, FAKE_ALLOCATABLE, 0.9),
        30_937_186_304
    );
}

/// BestEffortUsesNodeAllocatableForMemoryHigh (kubernetes/kubernetes#137685, 1.36 per the release
/// blog): `floor(allocatable × factor / page) × page`. Upstream expects memory.min "0"; writing 0
/// equals the kernel default, modelled as not written. Before 1.36 `req == limit == 0` skips it.
#[test]
fn best_effort_memory_high() {
    let p = params(36, true, &KubeletConfig::default(), 2, FAKE_ALLOCATABLE);
    let c = container_memory_qos(&p, "BestEffort", 0, 0).0;
    let want = ((FAKE_ALLOCATABLE as f64 * 0.9).floor() / PAGE as f64) as i64 * PAGE;
    assert_eq!((c.memory_min, c.memory_high), (None, Some(want)));
    let p = params(35, true, &KubeletConfig::default(), 2, FAKE_ALLOCATABLE);
    let c = container_memory_qos(&p, "BestEffort", 0, 0).0;
    assert_eq!((c.memory_min, c.memory_high), (None, None));
}

/// The guards of generateLinuxContainerResources (1.27+ code, kubernetes/kubernetes#115371).
#[test]
fn memory_high_not_written_cases() {
    let p = params(34, true, &KubeletConfig::default(), 2, 32 * GI);
    // request == limit (Guaranteed): no memory.high, memory.min = request.
    let c = container_memory_qos(&p, "Guaranteed", 256 * MI, 256 * MI).0;
    assert_eq!((c.memory_min, c.memory_high), (Some(256 * MI), None));
    // high ≤ request: a limit just above the request rounds down to ≤ request.
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 128 * MI + 100).0;
    assert_eq!(c.memory_high, None);
    // No limit and no allocatable (allocatableMemory.Value() ≤ 0): memoryHigh stays 0.
    let p0 = params(34, true, &KubeletConfig::default(), 2, 0);
    assert_eq!(
        container_memory_qos(&p0, "Burstable", 128 * MI, 0)
            .0
            .memory_high,
        None
    );
    // Gate off / cgroup v1 → generateContainerResources passes enforceMemoryQoS = false.
    for p in [
        params(34, false, &KubeletConfig::default(), 2, 32 * GI),
        params(34, true, &KubeletConfig::default(), 1, 32 * GI),
    ] {
        let c = container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI).0;
        assert_eq!((c.memory_min, c.memory_high), (None, None));
    }
}

#[test]
fn page_size_rounding() {
    let p = MemoryQosParams::resolve(
        &rules(30, true),
        &KubeletConfig::default(),
        2,
        65536,
        32 * GI,
    )
    .unwrap();
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI).0;
    // floor(255013683.2 / 65536) × 65536
    assert_eq!(c.memory_high, Some(3891 * 65536));
}

/// TestResourceConfigForPodWithEnforceMemoryQoS: every row's pod memory request → the pod
/// cgroup's Unified memory key. (name, qos, pod request). The CPU variants of a row carry the same
/// memory and are kept so the table matches upstream row for row.
const POD_ROWS: &[(&str, &str, i64)] = &[
    ("besteffort", "BestEffort", 0),
    ("burstable-no-limits", "Burstable", 100 * MI),
    ("burstable-with-limits", "Burstable", 100 * MI),
    (
        "burstable-with-limits-no-cpu-enforcement",
        "Burstable",
        100 * MI,
    ),
    ("burstable-partial-limits", "Burstable", 200 * MI),
    (
        "burstable-with-limits-with-tuned-quota",
        "Burstable",
        100 * MI,
    ),
    (
        "burstable-with-limits-no-cpu-enforcement-with-tuned-quota",
        "Burstable",
        100 * MI,
    ),
    (
        "burstable-partial-limits-with-tuned-quota",
        "Burstable",
        200 * MI,
    ),
    ("guaranteed", "Guaranteed", 100 * MI),
    ("guaranteed-no-cpu-enforcement", "Guaranteed", 100 * MI),
    ("guaranteed-with-tuned-quota", "Guaranteed", 100 * MI),
    (
        "guaranteed-no-cpu-enforcement-with-tuned-quota",
        "Guaranteed",
        100 * MI,
    ),
];

#[test]
fn resource_config_for_pod_memory_qos_before_1_36() {
    let p = params(30, true, &KubeletConfig::default(), 2, 32 * GI);
    for (name, qos, req) in POD_ROWS {
        let pod = pod_memory_qos(&p, qos, *req);
        let want = match *name {
            "besteffort" => None,
            n if n.starts_with("burstable-partial") => Some(209_715_200),
            _ => Some(104_857_600),
        };
        assert_eq!((pod.memory_min, pod.memory_low), (want, None), "{name}");
    }
}

#[test]
fn resource_config_for_pod_memory_qos_1_36_tiered() {
    let p = params(36, true, &tiered(), 2, 32 * GI);
    for (name, qos, req) in POD_ROWS {
        let pod = pod_memory_qos(&p, qos, *req);
        let bytes = if name.starts_with("burstable-partial") {
            209_715_200
        } else {
            104_857_600
        };
        let want = match *qos {
            "BestEffort" => (None, None),
            "Guaranteed" => (Some(bytes), None),
            _ => (None, Some(bytes)),
        };
        assert_eq!((pod.memory_min, pod.memory_low), want, "{name}");
    }
    // TestEnsureExists: req 128Mi / limit 256Mi pod → memory.low 134217728.
    assert_eq!(
        pod_memory_qos(&p, "Burstable", 128 * MI).memory_low,
        Some(134_217_728)
    );
    // Policy None (the 1.36 default): no pod protection.
    let p = params(36, true, &KubeletConfig::default(), 2, 32 * GI);
    let pod = pod_memory_qos(&p, "Guaranteed", 100 * MI);
    assert_eq!((pod.memory_min, pod.memory_low), (None, None));
}

/// TestQoSContainerCgroup before 1.36: activeTestPods = guaranteed 128Mi, burstable 128Mi (limit
/// 256Mi) and burstable 256Mi → kubepods memory.min 384Mi+128Mi, burstable memory.min 384Mi.
#[test]
fn qos_container_cgroup_before_1_36() {
    let p = params(30, true, &KubeletConfig::default(), 2, 32 * GI);
    let q = qos_cgroups_memory_qos(
        &p,
        &[
            ("Guaranteed", 128 * MI),
            ("Burstable", 128 * MI),
            ("Burstable", 256 * MI),
        ],
    );
    assert_eq!(q.kubepods_min, Some(384 * MI + 128 * MI));
    assert_eq!(q.burstable_min, Some(384 * MI));
    assert_eq!(q.burstable_low, None);
    // setMemoryQoS writes only when > 0 (code: `if burstableMin > 0`).
    let q = qos_cgroups_memory_qos(&p, &[("BestEffort", 0)]);
    assert_eq!((q.kubepods_min, q.burstable_min), (None, None));
}

/// TestQoSContainerCgroup 1.36 (TieredReservation): (name, pods, kubepods memory.min, burstable
/// memory.low). The DRA rows are not ported (DRA node-allocatable memory is not modelled); the
/// pod-level-resources row is given with the pod-level request (512Mi) the pod resolves to.
#[test]
fn qos_container_cgroup_1_36_tiered() {
    let p = params(36, true, &tiered(), 2, 32 * GI);
    let active: &[(&str, i64)] = &[
        ("Guaranteed", 128 * MI),
        ("Burstable", 128 * MI),
        ("Burstable", 256 * MI),
    ];
    type Row<'a> = (&'a str, &'a [(&'a str, i64)], i64, i64);
    let rows: &[Row] = &[
        (
            "writes aggregated memory min",
            active,
            384 * MI + 128 * MI,
            384 * MI,
        ),
        (
            "writes zero memory min for best effort pod",
            &[("BestEffort", 0)],
            0,
            0,
        ),
        (
            "writes zero memory min for burstable pod without memory request",
            &[("Burstable", 0)],
            0,
            0,
        ),
        ("clears stale memory min when all pods removed", &[], 0, 0),
        (
            "writes memory min with pod-level resources",
            &[("Guaranteed", 128 * MI), ("Burstable", 512 * MI)],
            640 * 1024 * 1024,
            512 * 1024 * 1024,
        ),
    ];
    for (name, pods, kubepods, burstable) in rows {
        let q = qos_cgroups_memory_qos(&p, pods);
        assert_eq!(q.kubepods_min, Some(*kubepods), "{name}");
        assert_eq!(q.burstable_low, Some(*burstable), "{name}");
        assert_eq!(q.burstable_min, None, "{name}");
    }
    // TestQoSContainerCgroupWithMemoryReservationPolicyNone: both reset to "0".
    let p = params(36, true, &KubeletConfig::default(), 2, 32 * GI);
    let q = qos_cgroups_memory_qos(&p, active);
    assert_eq!((q.kubepods_min, q.burstable_low), (Some(0), Some(0)));
}

/// 1.36 container level (release blog table; container code not located) and the 1.37 null
/// factor (1.37 release blog).
#[test]
fn version_1_36_and_1_37_container() {
    // 1.36 default policy None: no min; memory.high formula unchanged.
    let p = params(36, true, &KubeletConfig::default(), 2, 32 * GI);
    let c = container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI).0;
    assert_eq!(
        (c.memory_min, c.memory_low, c.memory_high),
        (None, None, Some(255_012_864))
    );
    let p = params(36, true, &tiered(), 2, 32 * GI);
    assert_eq!(
        container_memory_qos(&p, "Guaranteed", GI, GI).0.memory_min,
        Some(GI)
    );
    let c = container_memory_qos(&p, "Burstable", GI, 2 * GI).0;
    assert_eq!((c.memory_min, c.memory_low), (None, Some(GI)));
    // 1.37: factor defaults to null → no memory.high unless set.
    let p = params(37, true, &KubeletConfig::default(), 2, 32 * GI);
    assert_eq!(p.throttling_factor, None);
    assert_eq!(
        container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI)
            .0
            .memory_high,
        None
    );
    assert_eq!(
        container_memory_qos(&p, "BestEffort", 0, 0).0.memory_high,
        None
    );
    let cfg = KubeletConfig {
        memory_throttling_factor: Some(0.9),
        ..Default::default()
    };
    let p = params(37, true, &cfg, 2, 32 * GI);
    assert_eq!(
        container_memory_qos(&p, "Burstable", 128 * MI, 256 * MI)
            .0
            .memory_high,
        Some(255_012_864)
    );
}

/// validation.go: `memoryThrottlingFactor <= 0 || > 1.0` is an error; 1.37 with the gate off
/// rejects a factor other than 0.9 and TieredReservation (1.37 release blog).
#[test]
fn invalid_configuration_rejected() {
    for f in [1.5, 0.0, -0.1] {
        let cfg = KubeletConfig {
            memory_throttling_factor: Some(f),
            ..Default::default()
        };
        let err = MemoryQosParams::resolve(&rules(30, true), &cfg, 2, 4096, GI).unwrap_err();
        assert!(
            err.contains("must be greater than 0 and less than or equal to 1.0"),
            "{f}: {err}"
        );
    }
    let cfg = KubeletConfig {
        memory_throttling_factor: Some(1.0),
        ..Default::default()
    };
    assert!(MemoryQosParams::resolve(&rules(30, true), &cfg, 2, 4096, GI).is_ok());
    // 1.37, gate off.
    let cfg = KubeletConfig {
        memory_throttling_factor: Some(0.8),
        ..Default::default()
    };
    assert!(MemoryQosParams::resolve(&rules(37, false), &cfg, 2, 4096, GI).is_err());
    assert!(MemoryQosParams::resolve(&rules(36, false), &cfg, 2, 4096, GI).is_ok());
    let cfg = KubeletConfig {
        memory_throttling_factor: Some(0.9),
        ..Default::default()
    };
    assert!(MemoryQosParams::resolve(&rules(37, false), &cfg, 2, 4096, GI).is_ok());
    assert!(MemoryQosParams::resolve(&rules(37, false), &tiered(), 2, 4096, GI).is_err());
}
