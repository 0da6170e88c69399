//! The built-in sample pastes (real, public reports; sources cited in examples/incidents/README.md),
//! so the page can be demonstrated offline.

/// A built-in sample.
pub struct Sample {
    /// Stable id (used by tests: `data-sample`).
    pub id: &'static str,
    /// Catalogue key of its button label.
    pub label_key: &'static str,
    /// The paste.
    pub text: &'static str,
}

/// The samples, in menu order.
pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "container-limit",
        label_key: "inc.sample.container",
        text: include_str!("../../../examples/incidents/container-limit-oom.txt"),
    },
    Sample { id: "pod-limit", label_key: "inc.sample.pod", text: include_str!("../../../examples/incidents/pod-limit-oom.txt") },
    Sample {
        id: "node-besteffort",
        label_key: "inc.sample.node",
        text: include_str!("../../../examples/incidents/node-oom-besteffort.txt"),
    },
    Sample { id: "eviction", label_key: "inc.sample.eviction", text: include_str!("../../../examples/incidents/eviction.txt") },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_present_and_distinct() {
        assert_eq!(SAMPLES.len(), 4);
        for s in SAMPLES {
            assert!(s.text.lines().count() >= 3, "{} is too short", s.id);
        }
        let mut ids: Vec<_> = SAMPLES.iter().map(|s| s.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 4);
    }
}
