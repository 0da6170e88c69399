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
    Sample {
        id: "pod-limit",
        label_key: "inc.sample.pod",
        text: include_str!("../../../examples/incidents/pod-limit-oom.txt"),
    },
    Sample {
        id: "node-besteffort",
        label_key: "inc.sample.node",
        text: include_str!("../../../examples/incidents/node-oom-besteffort.txt"),
    },
    Sample {
        id: "eviction",
        label_key: "inc.sample.eviction",
        text: include_str!("../../../examples/incidents/eviction.txt"),
    },
    Sample {
        id: "memory-stat",
        label_key: "inc.sample.memstat",
        text: include_str!("../../../examples/incidents/memory-stat-slab.txt"),
    },
    Sample {
        id: "node-and-pods",
        label_key: "inc.sample.calculator",
        text: include_str!("../../../examples/incidents/node-and-pods.txt"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_present_and_distinct() {
        assert_eq!(SAMPLES.len(), 6);
        for s in SAMPLES {
            assert!(s.text.lines().count() >= 3, "{} is too short", s.id);
        }
        let mut ids: Vec<_> = SAMPLES.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 6);
    }

    fn analysed(id: &str) -> super::super::analysis::Analysis {
        let text = SAMPLES
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.text)
            .unwrap_or_default();
        super::super::analysis::analyze(text)
    }

    /// The key facts examples/incidents/README.md promises for each sample, through the real core
    /// and the page's own verdict sentence (the e2e suite checks the same on screen).
    #[test]
    fn samples_explain_to_their_documented_verdicts() {
        use super::super::verdict::{mechanism_key, verdict_sentence};
        use crate::i18n::Lang;

        let a = analysed("container-limit");
        let events = &a.explanation.oom_events;
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[0].victim.as_ref().map(|v| v.pid), Some(28438));
        let c = &events[1];
        assert_eq!(mechanism_key(c), "inc.mech.container");
        assert_eq!(
            c.pod_uid.as_deref(),
            Some("95387fa4-da9c-11e7-9d36-5254b24cbf5e")
        );
        assert_eq!(c.qos_class.as_deref(), Some("Guaranteed"));
        assert_eq!(c.limit_bytes, Some(512 * 1024 * 1024));
        assert!(verdict_sentence(Lang::En, &events[0]).contains("java (pid 28438)"));

        let a = analysed("pod-limit");
        let e = &a.explanation.oom_events[0];
        assert_eq!(mechanism_key(e), "inc.mech.pod");
        assert_eq!(e.victim.as_ref().map(|v| v.pid), Some(22609));
        assert_eq!(
            e.pod_uid.as_deref(),
            Some("94eb36cd-29e1-478b-b365-4cb5dfc7d6fb")
        );
        assert_eq!(e.qos_class.as_deref(), Some("Burstable"));
        assert!(e.group_kill);

        let a = analysed("node-besteffort");
        let e = &a.explanation.oom_events[0];
        assert_eq!(mechanism_key(e), "inc.mech.node");
        assert_eq!(e.victim.as_ref().map(|v| v.pid), Some(19227));
        assert_eq!(
            e.pod_uid.as_deref(),
            Some("be1e663f-f7a1-4b90-bdfd-bb30afdf7c37")
        );
        assert_eq!(e.qos_class.as_deref(), Some("BestEffort"));

        let a = analysed("eviction");
        let ev = &a.explanation.evictions[0];
        assert_eq!(
            ev.threshold.as_ref().map(|t| t.text.as_str()),
            Some("100Mi")
        );
        assert_eq!(
            ev.available.as_ref().map(|t| t.text.as_str()),
            Some("87608Ki")
        );
        assert_eq!(ev.offenders[0].name, "dptp-controller-manager");
        assert_eq!(ev.offenders[0].request.text, "15Gi");
        // Every line the eviction card shows is kept for the page.
        assert!(a
            .line(ev.line)
            .is_some_and(|l| l.contains("Threshold quantity: 100Mi")));
    }

    /// The memory.stat sample feeds the chart's kernel rows; the node sample opens the calculator.
    #[test]
    fn memory_stat_and_calculator_samples_read_as_documented() {
        let a = analysed("memory-stat");
        let m = &a.explanation.memory_stats;
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].slab_reclaimable_bytes, Some(1_232_589_368));
        assert_eq!(m[0].slab_bytes, Some(1_232_717_776));
        let a = analysed("node-and-pods");
        let yaml = a.scenario_yaml.clone().unwrap_or_default();
        assert!(yaml.contains("7679792Ki"), "{yaml}");
        assert!(
            yaml.contains("monitoring-influxdb-grafana-v4-z1m12"),
            "{yaml}"
        );
        assert_eq!(yaml.matches("namespace: kube-system").count(), 5, "{yaml}");
        assert!(yaml.contains("100Mi"), "{yaml}");
    }
}
