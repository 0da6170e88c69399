//! KubeletRules: the version table (feature-gate defaults per release, version facts) and gate
//! overrides. Facts and sources are in src/rules.rs (FEATURE_GATES, VERSION_FACTS).

use oomlens_core::kubelet::rules::{
    gate_default, KubeletRules, KubeletVersion, SidecarOomRule, FEATURE_GATES, VERSION_FACTS,
};
use std::collections::BTreeMap;

fn at(v: u32) -> KubeletRules {
    KubeletRules::new(KubeletVersion::v1(v), &BTreeMap::new())
}

#[test]
fn version_parsing() {
    assert_eq!(
        KubeletVersion::parse("v1.34.2-gke.100").unwrap(),
        KubeletVersion::v1(34)
    );
    assert_eq!(
        KubeletVersion::parse("1.25").unwrap(),
        KubeletVersion::OLDEST
    );
    assert!(KubeletVersion::parse("1.24").is_err());
    assert!(KubeletVersion::parse("1.38").is_err());
    assert!(KubeletVersion::parse("latest").is_err());
    assert_eq!(
        KubeletRules::resolve(None, &BTreeMap::new())
            .unwrap()
            .version,
        KubeletVersion::NEWEST
    );
}

#[test]
fn feature_gate_defaults_per_release() {
    // (gate, first release on by default); off before, on from.
    for (gate, on_from) in [
        ("SidecarContainers", 29),
        ("PodLevelResources", 34),
        ("MemoryQoS", 37),
        ("InPlacePodVerticalScaling", 33),
    ] {
        for v in 25..=37 {
            assert_eq!(at(v).gate(gate), v >= on_from, "{gate} in 1.{v}");
            assert_eq!(
                gate_default(gate, KubeletVersion::v1(v)),
                Some(v >= on_from)
            );
        }
    }
    for v in 25..=37 {
        assert!(!at(v).gate("KubeletOOMScoreAdjTieBreak"));
    }
    assert_eq!(gate_default("NoSuchGate", KubeletVersion::NEWEST), None);
    assert!(FEATURE_GATES.iter().all(|g| !g.source.is_empty()));
}

#[test]
fn version_dependent_numbers() {
    for v in 25..=37 {
        let r = at(v);
        assert_eq!(r.guaranteed_oom_score_adj(), -997);
        assert_eq!(
            (
                r.burstable_min_oom_score_adj(),
                r.burstable_max_oom_score_adj()
            ),
            (3, 999)
        );
        assert_eq!(
            r.immediate_eviction_grace_seconds(),
            if v >= 31 { 1 } else { 0 },
            "1.{v}"
        );
        assert_eq!(r.memory_oom_group_on_cgroup_v2(), v >= 28);
        assert_eq!(r.memory_reservation_policy_supported(), v >= 36);
        let want = match v {
            ..=26 => Some(0.8),
            27..=36 => Some(0.9),
            _ => None,
        };
        assert_eq!(r.default_memory_throttling_factor(), want, "1.{v}");
        // Sidecars are recognised from 1.29 (SidecarContainers on by default); the cap at the
        // smallest regular container's adj ships in 1.32 (PR #128029, CHANGELOG-1.32 v1.32.0).
        let rule = match v {
            ..=28 => SidecarOomRule::NotSidecar,
            29..=31 => SidecarOomRule::PlainFormula,
            _ => SidecarOomRule::CapAtMinRegularRequest,
        };
        assert_eq!(r.sidecar_rule(), rule, "1.{v}");
    }
    // singleProcessOOMKill: configurable from 1.32; group kill on cgroup v2 from 1.28.
    assert!(at(27).single_process_oom_kill(Some(false), true));
    assert!(
        !at(30).single_process_oom_kill(Some(true), true),
        "field does not exist before 1.32"
    );
    assert!(at(32).single_process_oom_kill(Some(true), true));
    assert!(!at(34).single_process_oom_kill(None, true));
    assert!(
        at(34).single_process_oom_kill(None, false),
        "cgroup v1 always kills one process"
    );
}

#[test]
fn overrides_and_notes() {
    let o = BTreeMap::from([
        ("PodLevelResources".to_string(), true),
        ("SidecarContainers".to_string(), false),
        ("MadeUpGate".to_string(), true),
    ]);
    let r = KubeletRules::new(KubeletVersion::v1(33), &o);
    assert!(r.pod_level_resources());
    assert!(
        !r.sidecars_enabled(),
        "GA-locked gates can still be modelled off, with a note"
    );
    assert_eq!(r.sidecar_rule(), SidecarOomRule::NotSidecar);
    assert!(r.gate("MadeUpGate"), "unknown gates are kept");
    let notes = notes_of(KubeletVersion::v1(33), &o);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("MadeUpGate")));
    assert!(notes
        .iter()
        .any(|n| n.contains("SidecarContainers") && n.contains("GA")));
    // A gate that does not exist yet in that release.
    let notes = notes_of(
        KubeletVersion::v1(30),
        &BTreeMap::from([("PodLevelResources".to_string(), true)]),
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("does not exist in kubelet 1.30")),
        "{notes:?}"
    );
}

/// The English notes on resolving `overrides` in `version`.
fn notes_of(version: KubeletVersion, overrides: &BTreeMap<String, bool>) -> Vec<String> {
    oomlens_core::kubelet::rules::resolution_messages(version, overrides)
        .iter()
        .map(|m| m.english())
        .collect()
}

#[test]
fn version_notes_cover_every_fact() {
    let r = at(31);
    for f in VERSION_FACTS {
        assert!(
            r.version_note(f.id).starts_with("kubelet 1.31"),
            "{}: {}",
            f.id,
            r.version_note(f.id)
        );
    }
    let sidecar = r.version_note("oom_score_adj.sidecar");
    assert!(
        sidecar.contains("plain Burstable formula")
            && sidecar.contains("changed in 1.32")
            && !sidecar.contains("unverified"),
        "{sidecar}"
    );
    let capped = at(32).version_note("oom_score_adj.sidecar");
    assert!(
        capped.starts_with("kubelet 1.32: a sidecar's adj is capped"),
        "{capped}"
    );
    // The one release number still taken from a blog without a changelog or code check.
    assert!(at(36)
        .version_note("memory_reservation_policy")
        .contains("release unverified"));
    let grace = r.version_note("eviction.immediate_grace");
    assert!(
        grace.contains("= 1") && !grace.contains("unverified"),
        "{grace}"
    );
    assert!(at(30)
        .version_note("eviction.immediate_grace")
        .contains("grace period 0"));
}

/// Release boundaries established from upstream text (see the evidence list on
/// `VERSION_FACTS` / `FEATURE_GATES` in src/rules.rs): one row per fact, the last release with the
/// old behaviour and the first with the new.
#[test]
fn verified_release_boundaries() {
    // (fact id, first release with the new behaviour or None = before 1.25, verified)
    let rows: [(&str, Option<u32>, bool); 9] = [
        ("oom_score_adj.guaranteed", None, true), // PR #71269; v1.21.0 notes quote -997
        ("oom_score_adj.critical", None, true),   // PR #99729, v1.21.0 notes
        ("oom.group", Some(28), true),            // PR #117793, CHANGELOG-1.28
        ("memory_throttling_factor.default", Some(27), true), // PR #115371, CHANGELOG-1.27
        ("eviction.immediate_grace", Some(31), true), // PR #124063, CHANGELOG-1.31
        ("oom.single_process_oom_kill", Some(32), true), // PR #126096, CHANGELOG-1.32
        ("oom_score_adj.sidecar", Some(32), true), // PR #128029, CHANGELOG-1.32
        ("memory_reservation_policy", Some(36), false), // blog only
        ("memory_throttling_factor.removed", Some(37), true), // kubernetes.io blog 2026-09-14
    ];
    assert_eq!(rows.len(), VERSION_FACTS.len());
    for (id, since, verified) in rows {
        let f = VERSION_FACTS
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!((f.since, f.verified), (since, verified), "{id}");
        assert!(!f.source.is_empty(), "{id}");
        if verified {
            assert!(f.source.contains('#') || f.source.contains("blog"), "{id}");
        }
    }
    // Sidecar cap: 1.31 plain formula, 1.32 capped (not 1.33 as first inferred).
    assert_eq!(at(31).sidecar_rule(), SidecarOomRule::PlainFormula);
    assert_eq!(
        at(32).sidecar_rule(),
        SidecarOomRule::CapAtMinRegularRequest
    );
    // Sidecar gate off in 1.32 (beta, not locked): not a sidecar at all.
    let off = KubeletRules::new(
        KubeletVersion::v1(32),
        &BTreeMap::from([("SidecarContainers".to_string(), false)]),
    );
    assert_eq!(off.sidecar_rule(), SidecarOomRule::NotSidecar);
    assert!(
        notes_of(
            KubeletVersion::v1(32),
            &BTreeMap::from([("SidecarContainers".to_string(), false)])
        )
        .is_empty(),
        "beta gates may be turned off without a note"
    );
    // Guaranteed −997 and node-critical-only hold from the oldest modelled release.
    assert_eq!(at(25).guaranteed_oom_score_adj(), -997);
    assert_eq!(
        at(25).critical_adj_rule(),
        oomlens_core::kubelet::rules::CriticalAdjRule::NodeCriticalOnly
    );
    // memory.oom.group: 1.27 single process, 1.28 group kill on cgroup v2.
    assert!(at(27).single_process_oom_kill(None, true));
    assert!(!at(28).single_process_oom_kill(None, true));
    // singleProcessOOMKill: ignored at 1.31 (field absent), honoured at 1.32 on cgroup v2,
    // and forced true on cgroup v1 whatever is configured (kubelet.go).
    assert!(!at(31).single_process_oom_kill(Some(true), true));
    assert!(at(32).single_process_oom_kill(Some(true), true));
    assert!(!at(32).single_process_oom_kill(Some(false), true));
    assert!(at(32).single_process_oom_kill(Some(false), false));
    // memoryThrottlingFactor: 0.8 → 0.9 between 1.26 and 1.27; no default in 1.37.
    assert_eq!(at(26).default_memory_throttling_factor(), Some(0.8));
    assert_eq!(at(27).default_memory_throttling_factor(), Some(0.9));
    assert_eq!(at(36).default_memory_throttling_factor(), Some(0.9));
    assert_eq!(at(37).default_memory_throttling_factor(), None);
    // Immediate eviction grace: 0 in 1.30, 1 s in 1.31.
    assert_eq!(at(30).immediate_eviction_grace_seconds(), 0);
    assert_eq!(at(31).immediate_eviction_grace_seconds(), 1);
}

/// Feature-gate existence and lock boundaries from the versioned specs.
#[test]
fn gate_existence_and_ga_boundaries() {
    let note = |v: u32, gate: &str, on: bool| {
        notes_of(
            KubeletVersion::v1(v),
            &BTreeMap::from([(gate.to_string(), on)]),
        )
    };
    // DRANodeAllocatableResources: alpha in 1.36 (kube-scheduler kube_features.go @ ead35706ec68),
    // absent in 1.35.
    assert!(note(35, "DRANodeAllocatableResources", true)
        .iter()
        .any(|n| n.contains("does not exist in kubelet 1.35")));
    assert!(note(36, "DRANodeAllocatableResources", true).is_empty());
    assert!(!at(36).gate("DRANodeAllocatableResources"));
    // PodLevelResources: absent in 1.31, alpha (off) 1.32–1.33, on from 1.34.
    assert!(!note(31, "PodLevelResources", true).is_empty());
    assert!(note(32, "PodLevelResources", true).is_empty());
    assert!(!at(33).pod_level_resources() && at(34).pod_level_resources());
    // InPlacePodVerticalScaling: on from 1.33, GA-locked from 1.35.
    assert!(note(34, "InPlacePodVerticalScaling", false).is_empty());
    assert!(note(35, "InPlacePodVerticalScaling", false)
        .iter()
        .any(|n| n.contains("GA and locked on")));
    // SidecarContainers: GA-locked from 1.33; MemoryQoS on by default only from 1.37.
    assert!(note(32, "SidecarContainers", false).is_empty());
    assert!(!note(33, "SidecarContainers", false).is_empty());
    assert!(!at(36).memory_qos() && at(37).memory_qos());
}
