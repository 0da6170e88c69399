//! Cloud and distribution presets for node memory reservations and hard eviction: what GKE, EKS,
//! AKS, kubeadm, kind and k3s configure on their kubelets. Each preset names its formula and
//! source. A preset fills only what the scenario leaves unset (see [`Preset::fill`]).
//!
//! Sources:
//! - GKE: cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes (regressive tiers,
//!   255 MiB below 1 GiB, `memory.available<100Mi`).
//! - EKS: awslabs/amazon-eks-ami `files/bootstrap.sh` @ v20231201
//!   `get_memory_mebibytes_to_reserve`: `memory_to_reserve=$((11 * $max_num_pods + 255))` Mi, and
//!   the same script writes `evictionHard: {"memory.available": "100Mi", "nodefs.available": "10%",
//!   "nodefs.inodesFree": "5%"}` with jq. So 29 pods → 11 × 29 + 255 = 574 MiB.
//! - AKS: learn.microsoft.com/azure/aks/node-resource-reservations (before 1.29: tiers + 750Mi;
//!   from 1.29: `min(20 × maxPods + 50, 25 % of memory)` + 100Mi).
//! - kubeadm: no reservations, kubelet defaults (`defaults_linux.go`: `memory.available<100Mi`).
//! - kind: kubernetes-sigs/kind `pkg/cluster/internal/kubeadm/config.go` @ v0.27.0 (same text
//!   v0.24.0–v0.27.0) writes `evictionHard: {nodefs.available: "0%", nodefs.inodesFree: "0%",
//!   imagefs.available: "0%"}` ("disable disk resource management by default"); minikube's
//!   templates carry the same block (kubernetes/minikube
//!   `pkg/minikube/bootstrapper/bsutil/ktmpl/v1beta2.go` @ v1.16.0). kubelet defaults
//!   `EvictionHard` only when the map is nil (kubernetes/kubernetes
//!   `pkg/kubelet/apis/config/v1beta1/defaults.go`), so a set map *replaces* the defaults: no
//!   `memory.available` threshold at all. (`MergeDefaultEvictionSettings`, default false, added by
//!   https://github.com/kubernetes/kubernetes/pull/127577, would merge them; not modelled.)
//! - k3s: k3s-io/k3s `pkg/daemons/agent` kubelet args (`agent.go`, later `agent_linux.go`
//!   `kubeletArgs` @ 82394d7d3642):
//!   `eviction-hard: imagefs.available<5%,nodefs.available<5%`, `eviction-minimum-reclaim:
//!   imagefs.available=10%,nodefs.available=10%`: no `memory.available` threshold either.

use crate::api::kubelet_config::KubeletConfig;
use crate::base::derivation::Derivation;
use crate::base::message::{Arg, Message};
use crate::base::sort::str_map;
use crate::kubelet::rules::KubeletVersion;
use serde::Serialize;
use std::collections::BTreeMap;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

/// The preset names accepted by [`apply_preset`].
pub const PRESET_NAMES: [&str; 9] = [
    "gke", "eks", "aks", "aks-1.29", "aks-1.28", "kubeadm", "kind", "minikube", "k3s",
];

/// What a preset configures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preset {
    /// Canonical preset name (e.g. `aks-1.29` when `aks` resolved by version).
    pub name: String,
    /// `kubeReserved.memory` in bytes.
    pub kube_reserved_bytes: i64,
    /// `systemReserved.memory` in bytes.
    pub system_reserved_bytes: i64,
    /// `evictionHard` as the provider sets it; `None` = kubelet defaults.
    pub eviction_hard: Option<BTreeMap<String, String>>,
    /// `evictionMinimumReclaim` as the provider sets it.
    pub eviction_minimum_reclaim: BTreeMap<String, String>,
    /// The formula, in words.
    pub formula: String,
    /// Where the formula comes from.
    pub source: String,
    /// Caveats (units, what is unverified).
    pub notes: Vec<String>,
    /// The kube-reserved derivation.
    pub derivation: Derivation,
    /// The formula line `{name}: {formula} ({source})` as a message (ids `preset.*`; its English
    /// is that line), for translation.
    #[serde(skip)]
    pub message: Message,
}

impl Preset {
    /// The formula line `{name}: {formula} ({source})` (what the evaluation reports as
    /// `node.preset`; [`Preset::message`] renders the same English).
    pub fn formula_line(&self) -> String {
        format!("{}: {} ({})", self.name, self.formula, self.source)
    }
}

/// The formula-line message of preset `name` with template `id`.
fn line(id: &'static str, name: &str) -> Message {
    Message::with(id, [("preset", Arg::Text(name.to_string()))])
}

/// A value the scenario sets itself where the preset would have set one: the scenario's value
/// applies (kubelet reads one configuration; the preset only fills what is unset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresetOverride {
    /// The scenario field, e.g. `node.kubeletConfig.kubeReserved.memory`.
    pub field: String,
    /// The scenario's value, as written.
    pub yours: String,
    /// What the preset would have set.
    pub preset: String,
}

impl Preset {
    /// Fills the kubelet configuration fields the scenario leaves unset (explicit values win),
    /// and lists each field where an explicit value took the preset's place.
    pub fn fill(&self, cfg: &KubeletConfig) -> (KubeletConfig, Vec<PresetOverride>) {
        let mut out = cfg.clone();
        let mut overrides = Vec::new();
        let mut fill_memory = |map: &mut BTreeMap<String, String>, key: &str, bytes: i64| {
            if bytes <= 0 {
                return;
            }
            match map.get("memory") {
                Some(v) => overrides.push(PresetOverride {
                    field: format!("node.kubeletConfig.{key}.memory"),
                    yours: v.clone(),
                    preset: bytes.to_string(),
                }),
                None => {
                    map.insert("memory".into(), bytes.to_string());
                }
            }
        };
        fill_memory(
            &mut out.kube_reserved,
            "kubeReserved",
            self.kube_reserved_bytes,
        );
        fill_memory(
            &mut out.system_reserved,
            "systemReserved",
            self.system_reserved_bytes,
        );
        match (&out.eviction_hard, &self.eviction_hard) {
            (None, _) => out.eviction_hard = self.eviction_hard.clone(),
            (Some(yours), Some(preset)) if yours != preset => overrides.push(PresetOverride {
                field: "node.kubeletConfig.evictionHard".into(),
                yours: map_text(yours),
                preset: map_text(preset),
            }),
            _ => {}
        }
        for (k, v) in &self.eviction_minimum_reclaim {
            match out.eviction_minimum_reclaim.get(k) {
                Some(y) if y != v => overrides.push(PresetOverride {
                    field: format!("node.kubeletConfig.evictionMinimumReclaim.{k}"),
                    yours: y.clone(),
                    preset: v.clone(),
                }),
                Some(_) => {}
                None => {
                    out.eviction_minimum_reclaim.insert(k.clone(), v.clone());
                }
            }
        }
        (out, overrides)
    }
}

/// `a<1, b<2` for a threshold map.
fn map_text(m: &BTreeMap<String, String>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}<{v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The regressive tiers GKE (and AKS before 1.29) use: 25 % of the first 4 GiB, 20 % of the next
/// 4, 10 % of the next 8, 6 % of the next 112, 2 % above 128 GiB. Exact in integers, floored to
/// a byte. Returns the bytes and the substituted text.
pub fn regressive_tiers(capacity_bytes: i64) -> (i64, String) {
    let tiers: [(i64, i64); 5] = [
        (4 * GI, 25),
        (4 * GI, 20),
        (8 * GI, 10),
        (112 * GI, 6),
        (i64::MAX, 2),
    ];
    let mut remaining = i128::from(capacity_bytes.max(0));
    let mut num: i128 = 0;
    let mut parts = Vec::new();
    for (size, pct) in tiers {
        if remaining <= 0 {
            break;
        }
        let take = remaining.min(i128::from(size));
        num += take * i128::from(pct);
        parts.push(format!("{pct}% × {take}"));
        remaining -= take;
    }
    let v = i64::try_from(num / 100).unwrap_or(i64::MAX);
    (v, format!("({}) = {v}", parts.join(" + ")))
}

/// [`apply_preset_for_version`] at the newest modelled kubelet (so `aks` means the ≥ 1.29 rule).
pub fn apply_preset(
    name: &str,
    capacity_bytes: i64,
    max_pods: Option<u32>,
) -> Result<Preset, String> {
    apply_preset_for_version(name, capacity_bytes, max_pods, KubeletVersion::NEWEST)
}

/// Computes preset `name` for a node of `capacity_bytes` and `max_pods`. `aks` picks the rule of
/// `version` (before/from 1.29); `aks-1.28` and `aks-1.29` force one.
pub fn apply_preset_for_version(
    name: &str,
    capacity_bytes: i64,
    max_pods: Option<u32>,
    version: KubeletVersion,
) -> Result<Preset, String> {
    let lname = name.trim().to_ascii_lowercase();
    let need_pods = |preset: &str| {
        max_pods.ok_or_else(|| format!("node.preset {preset:?} needs node.maxPods (its kube-reserved formula depends on it)"))
    };
    let preset = match lname.as_str() {
        "gke" => {
            let (v, subst, formula, id) = if capacity_bytes < GI {
                (255 * MI, format!("{capacity_bytes} < 1Gi → 255Mi = {}", 255 * MI), "255 MiB for machines under 1 GiB", "preset.gke_small")
            } else {
                let (v, s) = regressive_tiers(capacity_bytes);
                (v, s, "25% of the first 4 GiB + 20% of the next 4 + 10% of the next 8 + 6% of the next 112 + 2% above 128 GiB", "preset.gke")
            };
            Preset {
                name: "gke".into(),
                kube_reserved_bytes: v,
                system_reserved_bytes: 0,
                eviction_hard: Some(str_map(&[("memory.available", "100Mi")])),
                eviction_minimum_reclaim: BTreeMap::new(),
                formula: format!("kube-reserved = {formula}; evictionHard memory.available<100Mi"),
                source: "cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes".into(),
                notes: vec![
                    "GKE also sets disk thresholds; only memory.available is modelled".into(),
                    "newer GKE node versions may differ (the API says the default depends on node version)".into(),
                ],
                derivation: Derivation::new("kube_reserved_bytes", "preset.gke", formula, subst, "cloud.google.com plan-node-sizes"),
                message: line(id, "gke"),
            }
        }
        "eks" => {
            let pods = need_pods("eks")?;
            let mib = 11i64 * i64::from(pods) + 255;
            let v = mib * MI;
            Preset {
                name: "eks".into(),
                kube_reserved_bytes: v,
                system_reserved_bytes: 0,
                eviction_hard: Some(str_map(&[("memory.available", "100Mi"), ("nodefs.available", "10%"), ("nodefs.inodesFree", "5%")])),
                eviction_minimum_reclaim: BTreeMap::new(),
                formula: "kube-reserved = (11 × maxPods + 255) MiB; evictionHard memory.available<100Mi".into(),
                source: "awslabs/amazon-eks-ami get_memory_mebibytes_to_reserve (AL2 bootstrap.sh, AL2023 nodeadm)".into(),
                notes: vec!["maxPods comes from the ENI formula / eni-max-pods.txt unless overridden".into()],
                derivation: Derivation::new(
                    "kube_reserved_bytes",
                    "preset.eks",
                    "(11 × maxPods + 255) MiB",
                    format!("(11 × {pods} + 255) MiB = {mib} MiB = {v}"),
                    "awslabs/amazon-eks-ami",
                ),
                message: line("preset.eks", "eks"),
            }
        }
        "aks" | "aks-1.29" | "aks-1.28" => {
            let new_rule = match lname.as_str() {
                "aks-1.29" => true,
                "aks-1.28" => false,
                _ => version >= KubeletVersion { major: 1, minor: 29 },
            };
            if new_rule {
                let pods = need_pods("aks-1.29")?;
                let per_pods = (20i64 * i64::from(pods) + 50) * MI;
                let quarter = capacity_bytes / 4;
                let v = per_pods.min(quarter);
                Preset {
                    name: "aks-1.29".into(),
                    kube_reserved_bytes: v,
                    system_reserved_bytes: 0,
                    eviction_hard: Some(str_map(&[("memory.available", "100Mi")])),
                    eviction_minimum_reclaim: BTreeMap::new(),
                    formula: "kube-reserved = min(20 × maxPods + 50, 25% of memory); evictionHard memory.available<100Mi".into(),
                    source: "learn.microsoft.com/azure/aks/node-resource-reservations (AKS 1.29 and later)".into(),
                    notes: vec!["the AKS page writes MB; oomlens uses MiB throughout (its examples hold in either unit: 8000Mi/30 pods → 650Mi, 4000Mi/70 → 1000Mi)".into()],
                    derivation: Derivation::new(
                        "kube_reserved_bytes",
                        "preset.aks_1_29",
                        "min((20 × maxPods + 50) MiB, capacity / 4)",
                        format!("min((20 × {pods} + 50) MiB = {per_pods}, {capacity_bytes} / 4 = {quarter}) = {v}"),
                        "learn.microsoft.com aks/node-resource-reservations",
                    ),
                    message: line("preset.aks_1_29", "aks-1.29"),
                }
            } else {
                let (v, s) = regressive_tiers(capacity_bytes);
                Preset {
                    name: "aks-1.28".into(),
                    kube_reserved_bytes: v,
                    system_reserved_bytes: 0,
                    eviction_hard: Some(str_map(&[("memory.available", "750Mi")])),
                    eviction_minimum_reclaim: BTreeMap::new(),
                    formula: "kube-reserved = 25% of the first 4 GB + 20% of the next 4 + 10% of the next 8 + 6% of the next 112 + 2% above 128 GB; evictionHard memory.available<750Mi".into(),
                    source: "learn.microsoft.com/azure/aks/node-resource-reservations (before AKS 1.29)".into(),
                    notes: vec!["tiers computed in GiB (the page writes GB)".into()],
                    derivation: Derivation::new("kube_reserved_bytes", "preset.aks_legacy", "regressive tiers", s, "learn.microsoft.com aks/node-resource-reservations"),
                    message: line("preset.aks_1_28", "aks-1.28"),
                }
            }
        }
        "kubeadm" => Preset {
            name: "kubeadm".into(),
            kube_reserved_bytes: 0,
            system_reserved_bytes: 0,
            eviction_hard: None,
            eviction_minimum_reclaim: BTreeMap::new(),
            formula: "no reservations; kubelet default evictionHard (memory.available<100Mi)".into(),
            source: "kubernetes/kubernetes pkg/kubelet/eviction/defaults_linux.go; kubeadm sets no kubeReserved/systemReserved".into(),
            notes: vec![],
            derivation: Derivation::new("kube_reserved_bytes", "preset.kubeadm", "0", "0", "kubeadm defaults"),
            message: line("preset.kubeadm", "kubeadm"),
        },
        "kind" | "minikube" => Preset {
            name: lname.clone(),
            kube_reserved_bytes: 0,
            system_reserved_bytes: 0,
            eviction_hard: Some(str_map(&[("imagefs.available", "0%"), ("nodefs.available", "0%"), ("nodefs.inodesFree", "0%")])),
            eviction_minimum_reclaim: BTreeMap::new(),
            formula: "no reservations; evictionHard = {nodefs.available: 0%, nodefs.inodesFree: 0%, imagefs.available: 0%} replaces the defaults, so there is NO memory.available threshold".into(),
            source: "kubernetes-sigs/kind pkg/cluster/internal/kubeadm/config.go (\"disable disk resource management by default\"); minikube uses the same block".into(),
            notes: vec!["no hard memory eviction: the node runs into kubepods/global OOM instead".into()],
            derivation: Derivation::new("kube_reserved_bytes", format!("preset.{lname}"), "0", "0", "kind kubeadm config"),
            message: Message::with(
                "preset.kind",
                [
                    ("preset", Arg::Text(lname.clone())),
                    (
                        "eviction_hard",
                        Arg::Text(
                            "{nodefs.available: 0%, nodefs.inodesFree: 0%, imagefs.available: 0%}"
                                .into(),
                        ),
                    ),
                ],
            ),
        },
        "k3s" => Preset {
            name: "k3s".into(),
            kube_reserved_bytes: 0,
            system_reserved_bytes: 0,
            eviction_hard: Some(str_map(&[("imagefs.available", "5%"), ("nodefs.available", "5%")])),
            eviction_minimum_reclaim: str_map(&[("imagefs.available", "10%"), ("nodefs.available", "10%")]),
            formula: "no reservations; --eviction-hard=imagefs.available<5%,nodefs.available<5% replaces the defaults, so there is NO memory.available threshold".into(),
            source: "k3s-io/k3s pkg/daemons/agent (kubelet argsMap eviction-hard, eviction-minimum-reclaim)".into(),
            notes: vec!["no hard memory eviction unless --kubelet-arg=eviction-hard=… adds one".into()],
            derivation: Derivation::new("kube_reserved_bytes", "preset.k3s", "0", "0", "k3s-io/k3s pkg/daemons/agent"),
            message: line("preset.k3s", "k3s"),
        },
        _ => {
            return Err(format!("node.preset: unknown preset {name:?}; expected one of {}", PRESET_NAMES.join(", ")));
        }
    };
    Ok(preset)
}
