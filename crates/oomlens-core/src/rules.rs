//! Version rules: which kubelet behaviour applies for a given `kubeletVersion` and `featureGates`.
//! Versions are data, not scattered `if`s: every version-dependent constant, clamp, sidecar rule
//! and feature-gate default lives in the tables below ([`FEATURE_GATES`], [`VERSION_FACTS`]) and is
//! resolved once into a [`KubeletRules`], which the model passes down.
//!
//! Each table row names the release where the behaviour changed, the upstream source, and whether
//! the release number was verified against upstream text (`verified: false` rows are inferred; the
//! report and `describe_version_rules` say so).

use serde::Serialize;
use std::collections::BTreeMap;

/// A kubelet minor version (`1.34`). Patch levels do not change memory rules we model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct KubeletVersion {
    /// Always 1 for now.
    pub major: u32,
    /// The minor version.
    pub minor: u32,
}

impl KubeletVersion {
    /// The oldest release modelled.
    pub const OLDEST: KubeletVersion = KubeletVersion {
        major: 1,
        minor: 25,
    };
    /// The newest release modelled; the default when a scenario names none.
    pub const NEWEST: KubeletVersion = KubeletVersion {
        major: 1,
        minor: 37,
    };

    /// Parses `1.34`, `v1.34`, `1.34.2`, `v1.34.2-gke.100`; errors outside the modelled range.
    pub fn parse(s: &str) -> Result<KubeletVersion, String> {
        let t = s.trim().trim_start_matches('v');
        let mut it = t.split(['.', '-', '+']);
        let major = it.next().and_then(|m| m.parse::<u32>().ok());
        let minor = it.next().and_then(|m| m.parse::<u32>().ok());
        match (major, minor) {
            (Some(major), Some(minor)) => {
                let v = KubeletVersion { major, minor };
                if v < Self::OLDEST || v > Self::NEWEST {
                    Err(format!(
                        "kubeletVersion {s:?} is outside the modelled range {}–{}",
                        Self::OLDEST,
                        Self::NEWEST
                    ))
                } else {
                    Ok(v)
                }
            }
            _ => Err(format!(
                "kubeletVersion {s:?}: expected a version such as \"1.34\""
            )),
        }
    }

    /// `1.minor`.
    pub const fn v1(minor: u32) -> KubeletVersion {
        KubeletVersion { major: 1, minor }
    }

    /// True when this release is `1.minor` or newer.
    pub fn at_least(&self, minor: u32) -> bool {
        *self >= KubeletVersion::v1(minor)
    }
}

impl Default for KubeletVersion {
    fn default() -> Self {
        KubeletVersion::NEWEST
    }
}

impl std::fmt::Display for KubeletVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// One feature gate's history (`pkg/features/kube_features.go`, versioned specs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FeatureGateSpec {
    /// Gate name as in `featureGates`.
    pub name: &'static str,
    /// First release where the gate exists (alpha, off by default); `None` = unreleased.
    pub alpha: Option<u32>,
    /// First release where it is on by default (beta or GA); `None` = never on by default.
    pub default_on: Option<u32>,
    /// First release where it is GA (locked on); `None` = not GA.
    pub ga: Option<u32>,
    /// What it changes in the memory model.
    pub effect: &'static str,
    /// Where the history comes from, and whether it was verified.
    pub source: &'static str,
}

/// Feature gates the memory model consults, with their default per release.
pub const FEATURE_GATES: &[FeatureGateSpec] = &[
    FeatureGateSpec {
        name: "SidecarContainers",
        alpha: Some(28),
        default_on: Some(29),
        ga: Some(33),
        effect: "init containers with restartPolicy: Always are sidecars (KEP-753); with the gate off the API server drops the field and they are regular init containers",
        source: "kube_features.go (alpha 1.28, beta 1.29, GA 1.33)",
    },
    FeatureGateSpec {
        name: "PodLevelResources",
        alpha: Some(32),
        default_on: Some(34),
        ga: None,
        effect: "spec.resources decides QoS, eviction requests and the oom_score_adj remainder (KEP-2837)",
        source: "kube_features.go (alpha 1.32, beta on 1.34)",
    },
    FeatureGateSpec {
        name: "MemoryQoS",
        alpha: Some(22),
        default_on: Some(37),
        ga: None,
        effect: "cgroup v2 memory.min/memory.high (KEP-2570)",
        source: "kube_features.go (alpha 1.22); beta on in 1.37 per the kubernetes.io blog (not read in code)",
    },
    FeatureGateSpec {
        name: "InPlacePodVerticalScaling",
        alpha: Some(27),
        default_on: Some(33),
        ga: Some(35),
        effect: "resized pods: kubelet computes oom_score_adj and QoS-cgroup values from allocated resources",
        source: "kube_features.go (alpha 1.27, beta 1.33, GA 1.35)",
    },
    FeatureGateSpec {
        name: "KubeletOOMScoreAdjTieBreak",
        alpha: None,
        default_on: None,
        ga: None,
        effect: "log2 nudge of Burstable oom_score_adj (master-only policy.go; not in any release we could find)",
        source: "policy.go on master only (unverified release); off",
    },
    FeatureGateSpec {
        name: "DRANodeAllocatableResources",
        alpha: None,
        default_on: None,
        ga: None,
        effect: "DRA claim memory added to the oom_score_adj request (master-only policy.go)",
        source: "policy.go on master only (unverified release); off",
    },
];

/// A version-dependent fact of kubelet behaviour, with the release where it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VersionFact {
    /// Stable id (used in notes and derivations).
    pub id: &'static str,
    /// The release the current behaviour starts in (`None`: before the oldest modelled release).
    pub since: Option<u32>,
    /// Behaviour before `since`.
    pub before: &'static str,
    /// Behaviour from `since` on.
    pub after: &'static str,
    /// Upstream source.
    pub source: &'static str,
    /// True when the release number was read in upstream text (changelog or release branch).
    pub verified: bool,
}

/// Every version-dependent fact the model uses, oldest change first.
pub const VERSION_FACTS: &[VersionFact] = &[
    VersionFact {
        id: "oom_score_adj.guaranteed",
        since: None,
        before: "Guaranteed and critical containers got -998",
        after: "Guaranteed and node-critical containers get -997 (Burstable floor 1000 + -997 = 3)",
        source: "kubernetes/kubernetes pkg/kubelet/qos/policy.go (guaranteedOOMScoreAdj)",
        verified: false,
    },
    VersionFact {
        id: "oom_score_adj.critical",
        since: None,
        before: "every IsCriticalPod (static, mirror, priority ≥ 2e9) got the guaranteed adj",
        after: "only IsNodeCriticalPod (critical and priorityClassName system-node-critical) gets it",
        source: "kubernetes/kubernetes pkg/kubelet/qos/policy.go, pkg/kubelet/types/pod_update.go",
        verified: false,
    },
    VersionFact {
        id: "oom.group",
        since: Some(28),
        before: "the kernel kills one process per OOM",
        after: "on cgroup v2 kubelet sets memory.oom.group=1: the whole container is killed",
        source: "kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (memory.oom.group on cgroup v2; CHANGELOG-1.28)",
        verified: false,
    },
    VersionFact {
        id: "memory_throttling_factor.default",
        since: Some(27),
        before: "memoryThrottlingFactor defaults to 0.8",
        after: "memoryThrottlingFactor defaults to 0.9",
        source: "kubelet config v1beta1 defaults.go (KEP-2570 1.27 update)",
        verified: false,
    },
    VersionFact {
        id: "eviction.immediate_grace",
        since: Some(31),
        before: "hard-threshold evictions pass grace period 0, which pod workers treat as 'use the pod's terminationGracePeriodSeconds'",
        after: "hard-threshold evictions pass immediateEvictionGracePeriodSeconds = 1",
        source: "kubernetes/kubernetes PR #124063, CHANGELOG-1.31 (v1.31.0, Bug or Regression)",
        verified: true,
    },
    VersionFact {
        id: "oom.single_process_oom_kill",
        since: Some(32),
        before: "no switch: cgroup v2 always uses memory.oom.group",
        after: "KubeletConfiguration.singleProcessOOMKill (default false on cgroup v2, true on v1) can turn the group kill off",
        source: "k8s.io/kubelet config v1beta1 types.go (singleProcessOOMKill)",
        verified: false,
    },
    VersionFact {
        id: "oom_score_adj.sidecar",
        since: Some(33),
        before: "a sidecar gets the plain Burstable formula on its own request",
        after: "a sidecar's adj is capped at the adj of the smallest regular-container request (min(own, 1000 - 1000*minReq/capacity))",
        source: "kubernetes/kubernetes PR #128029 (KEP-753 update kubernetes/enhancements#4932, approved 2025-02-13)",
        verified: false,
    },
    VersionFact {
        id: "memory_reservation_policy",
        since: Some(36),
        before: "no memoryReservationPolicy field",
        after: "KubeletConfiguration.memoryReservationPolicy (None | TieredReservation) exists",
        source: "kubernetes.io blog 2026-04-29 (Memory QoS in v1.36)",
        verified: false,
    },
    VersionFact {
        id: "memory_throttling_factor.removed",
        since: Some(37),
        before: "memoryThrottlingFactor has a default",
        after: "memoryThrottlingFactor has no default (null): memory.high follows the 1.37 Memory QoS rules",
        source: "kubernetes.io blog 2026-09-14 (Memory QoS beta in v1.37)",
        verified: false,
    },
];

/// How kubelet sets a sidecar container's oom_score_adj.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SidecarOomRule {
    /// Sidecars are not recognised (gate off or not in this release): a restartable init
    /// container is a plain init container.
    NotSidecar,
    /// The plain Burstable formula on the sidecar's own request (1.28–1.32).
    PlainFormula,
    /// The plain formula, capped at the score of the smallest regular-container request (1.33+).
    CapAtMinRegularRequest,
}

/// Which pods get the guaranteed oom_score_adj regardless of QoS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriticalAdjRule {
    /// `IsNodeCriticalPod`: critical and `priorityClassName: system-node-critical`.
    NodeCriticalOnly,
}

/// Every version-dependent rule the model consults, resolved for one kubelet version + gate overrides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KubeletRules {
    /// The version these rules describe.
    pub version: KubeletVersion,
    /// Effective feature gates (defaults of the version, then the user's overrides).
    pub feature_gates: BTreeMap<String, bool>,
    /// Notes about the resolution (unknown gates, gates that do not exist in this release).
    pub notes: Vec<String>,
}

impl Default for KubeletRules {
    fn default() -> Self {
        KubeletRules::new(KubeletVersion::NEWEST, &BTreeMap::new())
    }
}

/// Default of `gate` in `version` per [`FEATURE_GATES`] (`None` for a gate not in the table).
pub fn gate_default(name: &str, version: KubeletVersion) -> Option<bool> {
    FEATURE_GATES
        .iter()
        .find(|g| g.name == name)
        .map(|g| g.default_on.is_some_and(|m| version.at_least(m)))
}

impl KubeletRules {
    /// Resolves the rules of `version` with `overrides` applied on top of its gate defaults.
    /// Unknown gate names are kept (kubelet would reject them at start-up; we note it).
    pub fn new(version: KubeletVersion, overrides: &BTreeMap<String, bool>) -> KubeletRules {
        let mut feature_gates = BTreeMap::new();
        for g in FEATURE_GATES {
            feature_gates.insert(
                g.name.to_string(),
                g.default_on.is_some_and(|m| version.at_least(m)),
            );
        }
        let mut notes = Vec::new();
        for (k, v) in overrides {
            match FEATURE_GATES.iter().find(|g| g.name == k) {
                None => notes.push(format!(
                    "featureGates.{k}: not a gate oomlens models; kept as given but it changes nothing here"
                )),
                Some(g) => {
                    let exists = g.alpha.is_some_and(|m| version.at_least(m));
                    if !exists {
                        notes.push(format!(
                            "featureGates.{k}: the gate does not exist in kubelet {version} (kubelet would refuse to start); modelled as {v} anyway"
                        ));
                    } else if g.ga.is_some_and(|m| version.at_least(m)) && !*v {
                        notes.push(format!(
                            "featureGates.{k}: GA and locked on in kubelet {version}; kubelet rejects turning it off; modelled as off anyway"
                        ));
                    }
                }
            }
            feature_gates.insert(k.clone(), *v);
        }
        KubeletRules {
            version,
            feature_gates,
            notes,
        }
    }

    /// Rules for a scenario's `kubeletVersion` (newest when `None`) and `featureGates`.
    pub fn resolve(
        version: Option<&str>,
        overrides: &BTreeMap<String, bool>,
    ) -> Result<KubeletRules, String> {
        let v = match version {
            None => KubeletVersion::NEWEST,
            Some(s) => KubeletVersion::parse(s)?,
        };
        Ok(KubeletRules::new(v, overrides))
    }

    /// Whether feature gate `name` is on.
    pub fn gate(&self, name: &str) -> bool {
        self.feature_gates.get(name).copied().unwrap_or(false)
    }

    /// `guaranteedOOMScoreAdj` (policy.go): −997 in every modelled release.
    pub fn guaranteed_oom_score_adj(&self) -> i64 {
        -997
    }

    /// `besteffortOOMScoreAdj` (policy.go): 1000.
    pub fn besteffort_oom_score_adj(&self) -> i64 {
        1000
    }

    /// Lowest Burstable adj: `1000 + guaranteedOOMScoreAdj` (3).
    pub fn burstable_min_oom_score_adj(&self) -> i64 {
        1000 + self.guaranteed_oom_score_adj()
    }

    /// Highest Burstable adj: `besteffortOOMScoreAdj − 1` (999).
    pub fn burstable_max_oom_score_adj(&self) -> i64 {
        self.besteffort_oom_score_adj() - 1
    }

    /// Which pods get the guaranteed adj regardless of QoS.
    pub fn critical_adj_rule(&self) -> CriticalAdjRule {
        CriticalAdjRule::NodeCriticalOnly
    }

    /// Whether restartable init containers are sidecars (SidecarContainers gate).
    pub fn sidecars_enabled(&self) -> bool {
        self.gate("SidecarContainers")
    }

    /// The sidecar oom_score_adj rule of this release.
    pub fn sidecar_rule(&self) -> SidecarOomRule {
        if !self.sidecars_enabled() {
            SidecarOomRule::NotSidecar
        } else if self.version.at_least(33) {
            SidecarOomRule::CapAtMinRegularRequest
        } else {
            SidecarOomRule::PlainFormula
        }
    }

    /// PodLevelResources gate.
    pub fn pod_level_resources(&self) -> bool {
        self.gate("PodLevelResources")
    }

    /// MemoryQoS gate.
    pub fn memory_qos(&self) -> bool {
        self.gate("MemoryQoS")
    }

    /// InPlacePodVerticalScaling gate.
    pub fn in_place_resize(&self) -> bool {
        self.gate("InPlacePodVerticalScaling")
    }

    /// Whether kubelet sets `memory.oom.group=1` on cgroup v2 containers (1.28+), unless
    /// `singleProcessOOMKill` is true.
    pub fn memory_oom_group_on_cgroup_v2(&self) -> bool {
        self.version.at_least(28)
    }

    /// Whether `singleProcessOOMKill` exists in KubeletConfiguration (1.32+).
    pub fn single_process_oom_kill_configurable(&self) -> bool {
        self.version.at_least(32)
    }

    /// The effective single-process-kill behaviour: the configured value when the field exists,
    /// else the release's behaviour (group kill on cgroup v2 since 1.28, single process otherwise).
    pub fn single_process_oom_kill(&self, configured: Option<bool>, cgroup_v2: bool) -> bool {
        if !cgroup_v2 || !self.memory_oom_group_on_cgroup_v2() {
            return true;
        }
        match configured {
            Some(v) if self.single_process_oom_kill_configurable() => v,
            _ => false,
        }
    }

    /// `memoryThrottlingFactor` default: 0.8 before 1.27, 0.9 in 1.27–1.36, none from 1.37.
    pub fn default_memory_throttling_factor(&self) -> Option<f64> {
        if self.version.at_least(37) {
            None
        } else if self.version.at_least(27) {
            Some(0.9)
        } else {
            Some(0.8)
        }
    }

    /// Grace period kubelet passes for hard-threshold evictions: 1 s from 1.31, 0 before
    /// (where 0 meant the pod's own terminationGracePeriodSeconds applied).
    pub fn immediate_eviction_grace_seconds(&self) -> i64 {
        if self.version.at_least(31) {
            1
        } else {
            0
        }
    }

    /// Whether `memoryReservationPolicy` exists (1.36+).
    pub fn memory_reservation_policy_supported(&self) -> bool {
        self.version.at_least(36)
    }

    /// One line for a [`crate::derivation::Derivation::version_rule`], e.g.
    /// `kubelet 1.34: oom_score_adj.sidecar = plain formula (changes in 1.33)`.
    pub fn version_note(&self, fact_id: &str) -> String {
        match VERSION_FACTS.iter().find(|f| f.id == fact_id) {
            None => format!("kubelet {}", self.version),
            Some(f) => {
                let applies = match f.since {
                    None => f.after,
                    Some(m) if self.version.at_least(m) => f.after,
                    Some(_) => f.before,
                };
                let when = match f.since {
                    None => format!("since before {}", KubeletVersion::OLDEST),
                    Some(m) => format!("changed in 1.{m}"),
                };
                let unverified = if f.verified {
                    ""
                } else {
                    ", release unverified"
                };
                format!("kubelet {}: {applies} ({when}{unverified})", self.version)
            }
        }
    }

    /// Human notes on every version rule as it applies to this release (for `--format text`, the UI
    /// "rules" panel and `Evaluation::notes`), plus the resolution notes.
    pub fn describe_version_rules(&self) -> Vec<String> {
        let mut out: Vec<String> = VERSION_FACTS
            .iter()
            .map(|f| format!("{}: {}", f.id, self.version_note(f.id)))
            .collect();
        for g in FEATURE_GATES {
            let default = g.default_on.is_some_and(|m| self.version.at_least(m));
            let effective = self.gate(g.name);
            let overridden = if default != effective {
                " (overridden)"
            } else {
                ""
            };
            out.push(format!(
                "featureGate {} = {}{overridden} in kubelet {}: {}",
                g.name, effective, self.version, g.effect
            ));
        }
        out.extend(self.notes.iter().cloned());
        out
    }
}
