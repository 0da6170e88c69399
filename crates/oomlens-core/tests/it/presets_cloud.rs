//! Cloud presets, tested with the providers' worked examples: GKE plan-node-sizes tiers (150 GiB →
//! 9.8577 GiB incl. eviction, per /work/shared/reference/memory-semantics.md §8), EKS
//! amazon-eks-ami files/bootstrap.sh `$((11 * $max_num_pods + 255))` (m5.large = 29 pods in
//! eni-max-pods.txt → 574 MiB; awslabs/amazon-eks-ami @ v20231201), AKS
//! node-resource-reservations (8 GB/30 pods → 650 MB; 4 GB/70 pods → 1000 MB), kind / k3s eviction
//! flags (no memory.available threshold; kind config.go @ v0.27.0, k3s agent_linux.go
//! `kubeletArgs` @ 82394d7d3642).

use oomlens_core::kubelet::presets::*;
use oomlens_core::kubelet::rules::KubeletVersion;
use oomlens_core::kubelet::thresholds::parse_threshold_config;
use oomlens_core::scenario::KubeletConfig;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

#[test]
fn gke_tiers() {
    let p = apply_preset("gke", 150 * GI, None).unwrap();
    // 1 + 0.8 + 0.8 + 6.72 + 0.44 = 9.76 GiB, floored to a byte.
    assert_eq!(p.kube_reserved_bytes, 10_479_720_202);
    let total = p.kube_reserved_bytes + 100 * MI;
    assert_eq!(format!("{:.4}", total as f64 / GI as f64), "9.8577");
    assert_eq!(
        apply_preset("gke", 4 * GI, None)
            .unwrap()
            .kube_reserved_bytes,
        GI
    );
    assert_eq!(
        apply_preset("gke", 8 * GI, None)
            .unwrap()
            .kube_reserved_bytes,
        1_932_735_283
    );
    assert_eq!(
        apply_preset("gke", 16 * GI, None)
            .unwrap()
            .kube_reserved_bytes,
        2_791_728_742
    );
    assert_eq!(
        apply_preset("gke", 512 * MI, None)
            .unwrap()
            .kube_reserved_bytes,
        255 * MI
    );
    assert_eq!(
        p.eviction_hard.as_ref().unwrap()["memory.available"],
        "100Mi"
    );
    assert!(p.source.contains("plan-node-sizes"));
}

#[test]
fn eks_formula() {
    let p = apply_preset("eks", 8 * GI, Some(29)).unwrap();
    assert_eq!(p.kube_reserved_bytes, 574 * MI);
    assert_eq!(
        apply_preset("eks", 8 * GI, Some(110))
            .unwrap()
            .kube_reserved_bytes,
        (11 * 110 + 255) * MI
    );
    assert!(apply_preset("eks", 8 * GI, None)
        .unwrap_err()
        .contains("node.maxPods"));
}

#[test]
fn aks_examples() {
    assert_eq!(
        apply_preset("aks-1.29", 8000 * MI, Some(30))
            .unwrap()
            .kube_reserved_bytes,
        650 * MI
    );
    assert_eq!(
        apply_preset("aks-1.29", 4000 * MI, Some(70))
            .unwrap()
            .kube_reserved_bytes,
        1000 * MI
    );
    let old = apply_preset_for_version(
        "aks",
        8 * GI,
        Some(30),
        KubeletVersion {
            major: 1,
            minor: 28,
        },
    )
    .unwrap();
    assert_eq!(old.name, "aks-1.28");
    assert_eq!(old.kube_reserved_bytes, 1_932_735_283);
    assert_eq!(
        old.eviction_hard.as_ref().unwrap()["memory.available"],
        "750Mi"
    );
    let new = apply_preset_for_version(
        "aks",
        8 * GI,
        Some(30),
        KubeletVersion {
            major: 1,
            minor: 29,
        },
    )
    .unwrap();
    assert_eq!(new.name, "aks-1.29");
}

#[test]
fn kind_and_k3s_have_no_memory_threshold() {
    for name in ["kind", "k3s", "minikube"] {
        let p = apply_preset(name, 8 * GI, None).unwrap();
        let (cfg, overrides) = p.fill(&KubeletConfig::default());
        assert!(overrides.is_empty(), "{name}");
        let t = parse_threshold_config(&cfg).unwrap();
        assert!(t.hard_memory_available().is_none(), "{name}");
        assert_eq!(t.memory().count(), 0, "{name}");
    }
    let k = apply_preset("kubeadm", 8 * GI, None).unwrap();
    let t = parse_threshold_config(&k.fill(&KubeletConfig::default()).0).unwrap();
    assert_eq!(
        t.hard_memory_available().unwrap().quantity(8 * GI),
        100 * MI
    );
}

#[test]
fn fill_keeps_explicit_values() {
    let p = apply_preset("eks", 8 * GI, Some(29)).unwrap();
    let mut cfg = KubeletConfig::default();
    cfg.kube_reserved.insert("memory".into(), "1Gi".into());
    let (out, overrides) = p.fill(&cfg);
    assert_eq!(out.kube_reserved["memory"], "1Gi");
    assert_eq!(out.eviction_hard.unwrap()["memory.available"], "100Mi");
    // The explicit 1Gi takes the place of the preset's (11 × 29 + 255) MiB, and says so.
    assert_eq!(
        overrides,
        vec![PresetOverride {
            field: "node.kubeletConfig.kubeReserved.memory".into(),
            yours: "1Gi".into(),
            preset: (574 * MI).to_string(),
        }]
    );
    // An evictionHard map of its own replaces the preset's whole map.
    let mut cfg = KubeletConfig {
        eviction_hard: Some([("memory.available".to_string(), "500Mi".to_string())].into()),
        ..KubeletConfig::default()
    };
    let (out, overrides) = p.fill(&cfg);
    assert_eq!(out.eviction_hard.unwrap()["memory.available"], "500Mi");
    assert_eq!(overrides.len(), 1);
    assert_eq!(overrides[0].field, "node.kubeletConfig.evictionHard");
    assert_eq!(overrides[0].yours, "memory.available<500Mi");
    // The same value as the preset is no override.
    cfg.eviction_hard = p.eviction_hard.clone();
    assert!(p.fill(&cfg).1.is_empty());
    assert!(apply_preset("openshift", GI, None)
        .unwrap_err()
        .contains("unknown preset"));
}
