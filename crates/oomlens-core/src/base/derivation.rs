//! How a computed number was obtained: the formula, the inputs substituted, the rule (by stable id,
//! so the UI can localise it), the kubelet/kernel version rule that applied and the upstream source.
//! Every number the UI shows or the CLI prints can carry one ("Why is this 970?").
//!
//! A `Derivation` is the rendered form. An evaluation does not keep `Derivation`s: each report
//! keeps the structured record of how its numbers were obtained (the rule's inputs, outcome,
//! branch and version — e.g. [`crate::kubelet::oom_score_adj::AdjWhy`], [`crate::kubelet::memory_qos::MqWhy`],
//! [`crate::kernel::kill_order::KillOrder`]) and renders `Derivation`s from it when its `derivations()` is
//! called or it is serialised. Rendering formats stored numbers; it recomputes nothing.

use serde::Serialize;

/// The reason a value has its value. `rule` is a stable identifier (e.g. `oom_score_adj.burstable`)
/// that UI catalogues translate; `formula` and `substituted` are language-neutral arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derivation {
    /// The JSON field (of the enclosing report object) this derivation explains, e.g. `oom_score_adj`.
    pub field: String,
    /// Stable rule id, e.g. `oom_score_adj.burstable`, `allocatable.capacity_minus_reservations`.
    pub rule: String,
    /// The formula with symbolic names, e.g. `1000 - 1000 * request / capacity`.
    pub formula: String,
    /// The formula with the user's numbers substituted and the result, e.g. `1000 - 1000*524288000/17179869184 = 970`.
    pub substituted: String,
    /// Which version-dependent rule applied, e.g. `kubelet 1.34: Guaranteed → -997`. Empty if none.
    pub version_rule: String,
    /// Upstream file the rule follows, e.g. `kubernetes/kubernetes pkg/kubelet/qos/policy.go`.
    pub source: String,
}

impl Derivation {
    /// Builds a derivation; `version_rule` starts empty.
    pub fn new(
        field: impl Into<String>,
        rule: impl Into<String>,
        formula: impl Into<String>,
        substituted: impl Into<String>,
        source: impl Into<String>,
    ) -> Self {
        Derivation {
            field: field.into(),
            rule: rule.into(),
            formula: formula.into(),
            substituted: substituted.into(),
            version_rule: String::new(),
            source: source.into(),
        }
    }

    /// A derivation with every field empty (allocates nothing), e.g. for a kill step that does
    /// not exist ([`crate::kernel::kill_order::KillOrder::derivation`]).
    pub fn empty() -> Self {
        Derivation {
            field: String::new(),
            rule: String::new(),
            formula: String::new(),
            substituted: String::new(),
            version_rule: String::new(),
            source: String::new(),
        }
    }

    /// Sets the version rule note.
    pub fn with_version_rule(mut self, note: impl Into<String>) -> Self {
        self.version_rule = note.into();
        self
    }
}
