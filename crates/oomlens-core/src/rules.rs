//! Version rules: which kubelet behaviour applies for a given `kubeletVersion` and `featureGates`.
//! Versions are data, not scattered `if`s: every version-dependent constant, clamp, sidecar rule
//! and feature-gate default lives in [`KubeletRules`], built once per evaluation and passed down.
//! Sources: `pkg/features/kube_features.go`, `pkg/kubelet/qos/policy.go` and the release branches
//! named on each field.

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
    pub const OLDEST: KubeletVersion = KubeletVersion { major: 1, minor: 25 };
    /// The newest release modelled; the default when a scenario names none.
    pub const NEWEST: KubeletVersion = KubeletVersion { major: 1, minor: 37 };

    /// Parses `1.34`, `v1.34`, `1.34.2`, `v1.34.2-gke.100`; errors outside the modelled range.
    pub fn parse(s: &str) -> Result<KubeletVersion, String> {
        let t = s.trim().trim_start_matches('v');
        let mut it = t.split(|c: char| c == '.' || c == '-' || c == '+');
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
            _ => Err(format!("kubeletVersion {s:?}: expected a version such as \"1.34\"")),
        }
    }
}

impl std::fmt::Display for KubeletVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Every version-dependent rule the model consults, resolved for one kubelet version + gate overrides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KubeletRules {
    /// The version these rules describe.
    pub version: KubeletVersion,
    /// Effective feature gates (defaults of the version, then the user's overrides).
    pub feature_gates: BTreeMap<String, bool>,
}

impl KubeletRules {
    /// Resolves the rules of `version` with `overrides` applied on top of its gate defaults.
    pub fn new(version: KubeletVersion, overrides: &BTreeMap<String, bool>) -> KubeletRules {
        let mut feature_gates = BTreeMap::new();
        for (k, v) in overrides {
            feature_gates.insert(k.clone(), *v);
        }
        KubeletRules { version, feature_gates }
    }

    /// Whether feature gate `name` is on.
    pub fn gate(&self, name: &str) -> bool {
        self.feature_gates.get(name).copied().unwrap_or(false)
    }
}
