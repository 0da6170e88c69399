//! Version rules: which kubelet behaviour applies for a given `kubeletVersion` and `featureGates`.
//! Versions are data, not scattered `if`s: every version-dependent constant, clamp, sidecar rule
//! and feature-gate default lives in the tables below ([`FEATURE_GATES`], [`VERSION_FACTS`]) and is
//! resolved once into a [`KubeletRules`], which the model passes down.
//!
//! Each table row names the release where the behaviour changed, the upstream source, and whether
//! the release number was verified against upstream text (`verified: false` rows are inferred; the
//! derivations' version notes say so).

use crate::base::message::{Arg, Message};
use serde::Serialize;
use std::borrow::Cow;
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
///
/// Evidence (read 2026-11-23; kubernetes/kubernetes paths with the release tag or commit they are
/// cited at, `#N` = https://github.com/kubernetes/kubernetes/pull/N):
/// - `pkg/features/kube_features.go` versioned specs @ v1.35.0 (judged from the specs: the copy
///   read is from the 1.36 cycle, and these entries date from 1.33 or earlier):
///   `SidecarContainers` 1.28 alpha/off, 1.29 beta/on, 1.33 GA locked ("remove in 1.36");
///   `MemoryQoS` only `{1.22, Alpha, off}`.
/// - The 1.37-era versioned gate list `staging/src/k8s.io/kube-scheduler/pkg/features/
///   kube_features.go` @ ead35706ec68 (`defaultVersionedKubernetesFeatureGates`):
///   `InPlacePodVerticalScaling` 1.27 alpha/off, 1.33 beta/on, 1.35 GA locked ("remove in 1.38");
///   `PodLevelResources` 1.32 alpha/off, 1.34 beta/on (no GA through 1.37);
///   `DRANodeAllocatableResources` 1.36 alpha/off.
/// - CHANGELOG/CHANGELOG-1.33.md @2e94b405 (v1.33.0 Feature): "The `SidecarContainers` feature has
///   graduated to GA" (#129731) and "Promoted in-place Pod vertical scaling to beta. The
///   `InPlacePodVerticalScaling` feature gate is now enabled by default" (#130905).
/// - MemoryQoS beta and on by default in 1.37: kubernetes.io blog 2026-09-14 "Kubernetes v1.37:
///   Memory QoS Graduates to Beta"
///   (https://kubernetes.io/blog/2026/09/14/kubernetes-v1-37-memory-qos-graduates-to-beta/) and
///   the title of #140007 ("Promote MemoryQoS to beta"); no 1.37 `kube_features.go` was read, so
///   this one rests on the official blog text, not on the gate code.
pub const FEATURE_GATES: &[FeatureGateSpec] = &[
    FeatureGateSpec {
        name: "SidecarContainers",
        alpha: Some(28),
        default_on: Some(29),
        ga: Some(33),
        effect: "init containers with restartPolicy: Always are sidecars (KEP-753); with the gate off the API server drops the field and they are regular init containers",
        source: "kube_features.go versioned specs (kubernetes/kubernetes @ v1.35.0): alpha 1.28, beta on 1.29, GA locked 1.33 (remove in 1.36); CHANGELOG-1.33 v1.33.0 #129731 (verified)",
    },
    FeatureGateSpec {
        name: "PodLevelResources",
        alpha: Some(32),
        default_on: Some(34),
        ga: None,
        effect: "spec.resources decides QoS, eviction requests and the oom_score_adj remainder (KEP-2837)",
        source: "versioned gate specs (kube-scheduler kube_features.go @ ead35706ec68, 1.37 era): alpha 1.32, beta on 1.34, not GA through 1.37 (verified)",
    },
    FeatureGateSpec {
        name: "MemoryQoS",
        alpha: Some(22),
        default_on: Some(37),
        ga: None,
        effect: "cgroup v2 memory.min/memory.high (KEP-2570)",
        source: "kube_features.go (kubernetes/kubernetes @ v1.35.0): alpha 1.22, off through 1.36; beta on in 1.37 per the kubernetes.io blog 2026-09-14 and kubernetes/kubernetes#140007 (official text, 1.37 gate code not read)",
    },
    FeatureGateSpec {
        name: "InPlacePodVerticalScaling",
        alpha: Some(27),
        default_on: Some(33),
        ga: Some(35),
        effect: "resized pods: kubelet computes oom_score_adj and QoS-cgroup values from allocated resources",
        source: "versioned gate specs (kube-scheduler kube_features.go @ ead35706ec68): alpha 1.27, beta on 1.33, GA locked 1.35; CHANGELOG-1.33 v1.33.0 #130905 (verified)",
    },
    FeatureGateSpec {
        name: "KubeletOOMScoreAdjTieBreak",
        alpha: None,
        default_on: None,
        ga: None,
        effect: "log2 nudge of Burstable oom_score_adj (master-only policy.go; not in any release we could find)",
        source: "pkg/kubelet/qos/policy.go and policy_test.go on master only (no release or PR located); absent from every feature-gate list read (unreleased); off",
    },
    FeatureGateSpec {
        name: "DRANodeAllocatableResources",
        alpha: Some(36),
        default_on: None,
        ga: None,
        effect: "DRA claim memory added to the oom_score_adj request (the policy.go use was seen only on master)",
        source: "versioned gate specs (kube-scheduler kube_features.go @ ead35706ec68, 1.37 era): alpha 1.36, off by default (verified); its oom_score_adj use was seen only in master policy.go",
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
///
/// Evidence per row (read 2026-11-23; CHANGELOG files are kubernetes/kubernetes
/// `CHANGELOG/CHANGELOG-1.NN.md`, cited by the release section they were read in; `#N` =
/// https://github.com/kubernetes/kubernetes/pull/N):
/// - `oom_score_adj.guaranteed`: −998 → −997 by PR #71269 ("Set the oom_score_adj of guaranteed
///   pod to -997", merged 2019); the v1.21.0 release notes (CHANGELOG-1.21.md, entry for #99729)
///   already say "both system-node-critical and system-cluster-critical pods have -997", so −997
///   predates every modelled release.
/// - `oom_score_adj.critical`: `IsCriticalPod` → `IsNodeCriticalPod` by PR #99729, listed in the
///   v1.21.0 release notes ("System-cluster-critical pods should not get a low OOM Score",
///   CHANGELOG-1.21.md); predates 1.25.
/// - `oom.group`: PR #117793 "If using cgroups v2, then the cgroup aware OOM killer will be enabled
///   for container cgroups via memory.oom.group" in the 1.28 changelog (CHANGELOG-1.28.md).
/// - `memory_throttling_factor.default`: PR #115371 "Kubelet: changed `MemoryThrottlingFactor`
///   default value to `0.9` and formulas to calculate `memory.high`" in the 1.27 changelog
///   (CHANGELOG-1.27.md, v1.27.0); 0.8 before (`pkg/kubelet/apis/config/v1beta1/defaults.go`:
///   `DefaultMemoryThrottlingFactor = 0.8`, added by #102970).
/// - `eviction.immediate_grace`: PR #124063 in the v1.31.0 notes ("hard evictions ... now receive
///   a termination grace period of 1 second"; CHANGELOG-1.31.md); no cherry-pick to an
///   older branch was found.
/// - `oom.single_process_oom_kill`: CHANGELOG-1.32.md @030880a5, v1.32.0 "Changelog since v1.31.0",
///   API Change: "Added `singleProcessOOMKill` flag to the kubelet configuration" (#126096). The
///   effective value is resolved in `pkg/kubelet/kubelet.go` (as added by #126096): on
///   cgroup v1 always true; on cgroup v2 the configured value, false when unset.
/// - `oom_score_adj.sidecar`: CHANGELOG-1.32.md @030880a5, v1.32.0 Feature: "Changed OOM score
///   adjustment calculation for sidecar containers: the OOM adjustment for these containers will
///   match or fall below the OOM score adjustment of regular containers in the Pod" (#128029).
///   So 1.32, not 1.33 (it is not in the v1.33.0 notes).
/// - `memory_throttling_factor.removed`: kubernetes.io blog 2026-09-14
///   (https://kubernetes.io/blog/2026/09/14/kubernetes-v1-37-memory-qos-graduates-to-beta/),
///   official text, and the title of #140007 ("default memoryThrottlingFactor to nil"); the 1.37
///   defaults code was not read.
pub const VERSION_FACTS: &[VersionFact] = &[
    VersionFact {
        id: "oom_score_adj.guaranteed",
        since: None,
        before: "Guaranteed and critical containers got -998",
        after: "Guaranteed and node-critical containers get -997 (Burstable floor 1000 + -997 = 3)",
        source: "kubernetes/kubernetes PR #71269 (merged 2019); v1.21.0 release notes (#99729 entry: 'both ... have -997'); pkg/kubelet/qos/policy.go guaranteedOOMScoreAdj = -997 in every modelled release",
        verified: true,
    },
    VersionFact {
        id: "oom_score_adj.critical",
        since: None,
        before: "every IsCriticalPod (static, mirror, priority ≥ 2e9) got the guaranteed adj",
        after: "only IsNodeCriticalPod (critical and priorityClassName system-node-critical) gets it",
        source: "kubernetes/kubernetes PR #99729, v1.21.0 release notes ('System-cluster-critical pods should not get a low OOM Score'); pkg/kubelet/qos/policy.go, pkg/kubelet/types/pod_update.go",
        verified: true,
    },
    VersionFact {
        id: "oom.group",
        since: Some(28),
        before: "the kernel kills one process per OOM",
        after: "on cgroup v2 kubelet sets memory.oom.group=1: the whole container is killed",
        source: "kubernetes/kubernetes PR #117793, CHANGELOG-1.28 ('cgroup aware OOM killer will be enabled for container cgroups via memory.oom.group'); kuberuntime_container_linux.go",
        verified: true,
    },
    VersionFact {
        id: "memory_throttling_factor.default",
        since: Some(27),
        before: "memoryThrottlingFactor defaults to 0.8",
        after: "memoryThrottlingFactor defaults to 0.9",
        source: "kubernetes/kubernetes PR #115371, CHANGELOG-1.27 ('changed MemoryThrottlingFactor default value to 0.9'); pkg/kubelet/apis/config/v1beta1/defaults.go DefaultMemoryThrottlingFactor",
        verified: true,
    },
    VersionFact {
        id: "eviction.immediate_grace",
        since: Some(31),
        before: "hard-threshold evictions pass grace period 0, which pod workers treat as 'use the pod's terminationGracePeriodSeconds'",
        after: "hard-threshold evictions pass immediateEvictionGracePeriodSeconds = 1",
        source: "kubernetes/kubernetes PR #124063, CHANGELOG-1.31 (v1.31.0, Bug or Regression); not cherry-picked to older branches as far as found",
        verified: true,
    },
    VersionFact {
        id: "oom.single_process_oom_kill",
        since: Some(32),
        before: "no switch: cgroup v2 always uses memory.oom.group",
        after: "KubeletConfiguration.singleProcessOOMKill can turn the group kill off (unset = false on cgroup v2; always true on cgroup v1)",
        source: "kubernetes/kubernetes PR #126096, CHANGELOG-1.32 @030880a5 (v1.32.0 API Change); pkg/kubelet/kubelet.go resolves the value (v1 → true; v2 → configured, nil → false)",
        verified: true,
    },
    VersionFact {
        id: "oom_score_adj.sidecar",
        since: Some(32),
        before: "a sidecar gets the plain Burstable formula on its own request",
        after: "a sidecar's adj is capped at the adj of the smallest regular-container request (min(own, 1000 - 1000*minReq/capacity))",
        source: "kubernetes/kubernetes PR #128029, CHANGELOG-1.32 @030880a5 (v1.32.0 Feature: 'Changed OOM score adjustment calculation for sidecar containers'); KEP-753 update kubernetes/enhancements#4932",
        verified: true,
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
        source: "kubernetes.io blog 2026-09-14 'Memory QoS graduates to Beta' (official text: 'memoryThrottlingFactor' default null in v1.37); 1.37 defaults code not read",
        verified: true,
    },
];

/// How kubelet sets a sidecar container's oom_score_adj.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SidecarOomRule {
    /// Sidecars are not recognised (gate off or not in this release): a restartable init
    /// container is a plain init container.
    NotSidecar,
    /// The plain Burstable formula on the sidecar's own request (1.28–1.31).
    PlainFormula,
    /// The plain formula, capped at the score of the smallest regular-container request (1.32+,
    /// kubernetes/kubernetes PR #128029, CHANGELOG-1.32 v1.32.0 Feature).
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
    /// Known gates are borrowed names (no allocation); gates only the scenario names are owned.
    pub feature_gates: BTreeMap<Cow<'static, str>, bool>,
    /// The gates the rules read, resolved once (the rule modules ask for them per pod).
    sidecars: bool,
    pod_level_resources: bool,
    memory_qos: bool,
    in_place_resize: bool,
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

/// [`KubeletRules::version_note`] for `version`: one line for a derivation's `version_rule`, e.g.
/// `kubelet 1.31: a sidecar gets the plain Burstable formula on its own request (changed in 1.32)`.
/// A pure function of the version and the [`VERSION_FACTS`] entry, so structured derivation
/// records keep only the version and render the note when displayed.
pub fn version_note(version: KubeletVersion, fact_id: &str) -> String {
    match VERSION_FACTS.iter().find(|f| f.id == fact_id) {
        None => format!("kubelet {version}"),
        Some(f) => {
            let applies = match f.since {
                None => f.after,
                Some(m) if version.at_least(m) => f.after,
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
            format!("kubelet {version}: {applies} ({when}{unverified})")
        }
    }
}

/// The notes about resolving `overrides` for `version`, as [`Message`]s (ids `rules.*`): gates
/// oomlens does not model, gates that do not exist in the release, GA gates turned off.
/// [`KubeletRules::notes`] holds their English.
pub fn resolution_messages(
    version: KubeletVersion,
    overrides: &BTreeMap<String, bool>,
) -> Vec<Message> {
    let mut out = Vec::new();
    for (k, v) in overrides {
        match FEATURE_GATES.iter().find(|g| g.name == k) {
            None => out.push(Message::new(
                "rules.gate_unknown",
                vec![("gate", Arg::Text(k.clone()))],
            )),
            Some(g) => {
                let exists = g.alpha.is_some_and(|m| version.at_least(m));
                if !exists {
                    out.push(Message::new(
                        "rules.gate_not_in_release",
                        vec![
                            ("gate", Arg::Text(k.clone())),
                            ("version", Arg::Text(version.to_string())),
                            ("value", Arg::Text(v.to_string())),
                        ],
                    ));
                } else if g.ga.is_some_and(|m| version.at_least(m)) && !*v {
                    out.push(Message::new(
                        "rules.gate_locked",
                        vec![
                            ("gate", Arg::Text(k.clone())),
                            ("version", Arg::Text(version.to_string())),
                        ],
                    ));
                }
            }
        }
    }
    out
}

impl KubeletRules {
    /// Resolves the rules of `version` with `overrides` applied on top of its gate defaults.
    /// Unknown gate names are kept (kubelet would reject them at start-up; we note it).
    pub fn new(version: KubeletVersion, overrides: &BTreeMap<String, bool>) -> KubeletRules {
        let mut feature_gates = BTreeMap::new();
        for g in FEATURE_GATES {
            feature_gates.insert(
                Cow::Borrowed(g.name),
                g.default_on.is_some_and(|m| version.at_least(m)),
            );
        }
        for (k, v) in overrides {
            let name = match FEATURE_GATES.iter().find(|g| g.name == k) {
                Some(g) => Cow::Borrowed(g.name),
                None => Cow::Owned(k.clone()),
            };
            feature_gates.insert(name, *v);
        }
        let gate = |name: &str| feature_gates.get(name).copied().unwrap_or(false);
        KubeletRules {
            version,
            sidecars: gate("SidecarContainers"),
            pod_level_resources: gate("PodLevelResources"),
            memory_qos: gate("MemoryQoS"),
            in_place_resize: gate("InPlacePodVerticalScaling"),
            feature_gates,
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

    /// `guaranteedOOMScoreAdj` (policy.go): −997 in every modelled release (the −998 → −997
    /// change, PR #71269, predates v1.21.0: its release notes already quote −997).
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

    /// Which pods get the guaranteed adj regardless of QoS: node-critical only in every modelled
    /// release (PR #99729, v1.21.0 release notes).
    pub fn critical_adj_rule(&self) -> CriticalAdjRule {
        CriticalAdjRule::NodeCriticalOnly
    }

    /// Whether restartable init containers are sidecars (SidecarContainers gate).
    pub fn sidecars_enabled(&self) -> bool {
        self.sidecars
    }

    /// The sidecar oom_score_adj rule of this release: the cap came with PR #128029 in 1.32
    /// (CHANGELOG-1.32, v1.32.0 Feature); see [`VERSION_FACTS`] `oom_score_adj.sidecar`.
    pub fn sidecar_rule(&self) -> SidecarOomRule {
        if !self.sidecars_enabled() {
            SidecarOomRule::NotSidecar
        } else if self.version.at_least(32) {
            SidecarOomRule::CapAtMinRegularRequest
        } else {
            SidecarOomRule::PlainFormula
        }
    }

    /// PodLevelResources gate.
    pub fn pod_level_resources(&self) -> bool {
        self.pod_level_resources
    }

    /// MemoryQoS gate.
    pub fn memory_qos(&self) -> bool {
        self.memory_qos
    }

    /// InPlacePodVerticalScaling gate.
    pub fn in_place_resize(&self) -> bool {
        self.in_place_resize
    }

    /// Whether kubelet sets `memory.oom.group=1` on cgroup v2 containers (1.28+, PR #117793,
    /// CHANGELOG-1.28), unless `singleProcessOOMKill` is true.
    pub fn memory_oom_group_on_cgroup_v2(&self) -> bool {
        self.version.at_least(28)
    }

    /// Whether `singleProcessOOMKill` exists in KubeletConfiguration (1.32+, PR #126096,
    /// CHANGELOG-1.32 v1.32.0 API Change).
    pub fn single_process_oom_kill_configurable(&self) -> bool {
        self.version.at_least(32)
    }

    /// The effective single-process-kill behaviour, as `pkg/kubelet/kubelet.go` resolves it
    /// (1.32+): cgroup v1 → always true (a configured value is ignored); cgroup v2 → the configured
    /// value, false when unset. Before 1.32 the release's behaviour: group kill on cgroup v2
    /// since 1.28, single process otherwise.
    pub fn single_process_oom_kill(&self, configured: Option<bool>, cgroup_v2: bool) -> bool {
        if !cgroup_v2 || !self.memory_oom_group_on_cgroup_v2() {
            return true;
        }
        match configured {
            Some(v) if self.single_process_oom_kill_configurable() => v,
            _ => false,
        }
    }

    /// `memoryThrottlingFactor` default: 0.8 before 1.27, 0.9 in 1.27–1.36 (PR #115371,
    /// CHANGELOG-1.27), none from 1.37 (kubernetes.io blog 2026-09-14, Memory QoS beta).
    pub fn default_memory_throttling_factor(&self) -> Option<f64> {
        if self.version.at_least(37) {
            None
        } else if self.version.at_least(27) {
            Some(0.9)
        } else {
            Some(0.8)
        }
    }

    /// Grace period kubelet passes for hard-threshold evictions: 1 s from 1.31 (PR #124063,
    /// CHANGELOG-1.31 v1.31.0), 0 before (where 0 meant the pod's own
    /// terminationGracePeriodSeconds applied).
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

    /// One line for a [`crate::base::derivation::Derivation::version_rule`], e.g.
    /// `kubelet 1.31: a sidecar gets the plain Burstable formula on its own request (changed in 1.32)`.
    pub fn version_note(&self, fact_id: &str) -> String {
        version_note(self.version, fact_id)
    }
}
