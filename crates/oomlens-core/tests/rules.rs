//! KubeletRules: the version table (feature-gate defaults per release, version facts) and gate
//! overrides. Facts and sources are in src/rules.rs (FEATURE_GATES, VERSION_FACTS).

use oomlens_core::rules::{
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
        let rule = match v {
            ..=28 => SidecarOomRule::NotSidecar,
            29..=32 => SidecarOomRule::PlainFormula,
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
    assert_eq!(r.notes.len(), 2, "{:?}", r.notes);
    assert!(r.notes.iter().any(|n| n.contains("MadeUpGate")));
    assert!(r
        .notes
        .iter()
        .any(|n| n.contains("SidecarContainers") && n.contains("GA")));
    // A gate that does not exist yet in that release.
    let r = KubeletRules::new(
        KubeletVersion::v1(30),
        &BTreeMap::from([("PodLevelResources".to_string(), true)]),
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("does not exist in kubelet 1.30")),
        "{:?}",
        r.notes
    );
}

#[test]
fn describe_version_rules_covers_every_fact() {
    let r = at(32);
    let lines = r.describe_version_rules();
    for f in VERSION_FACTS {
        assert!(lines.iter().any(|l| l.starts_with(f.id)), "{}", f.id);
    }
    let sidecar = lines
        .iter()
        .find(|l| l.starts_with("oom_score_adj.sidecar"))
        .unwrap();
    assert!(
        sidecar.contains("plain Burstable formula") && sidecar.contains("release unverified"),
        "{sidecar}"
    );
    let grace = r.version_note("eviction.immediate_grace");
    assert!(
        grace.contains("= 1") && !grace.contains("unverified"),
        "{grace}"
    );
    assert!(at(30)
        .version_note("eviction.immediate_grace")
        .contains("grace period 0"));
}
