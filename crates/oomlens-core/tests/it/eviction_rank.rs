//! Memory-pressure eviction, ported from kubernetes/kubernetes pkg/kubelet/eviction/helpers_test.go
//! (release tag or commit of the copy read not pinned): TestOrderedByExceedsRequestMemory,
//! TestOrderedByPriority, TestOrderedByMemory, TestOrderedByPriorityMemory,
//! TestMakeSignalObservations (memory signals), TestThresholdsMet, TestPercentageThresholdsMet,
//! TestThresholdsFirstObservedAt, TestThresholdsMetGracePeriod; the eviction message formats
//! (nodeLowMessageFmt, thresholdMetMessageFmt, containerMessageFmt) of helpers.go and the grace
//! period rule of eviction_manager.go (synchronize).

use oomlens_core::kubelet::eviction::*;
use oomlens_core::kubelet::thresholds::{Threshold, ThresholdKind, ThresholdValue};
use proptest::prelude::*;
use std::collections::BTreeMap;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

fn pod(key: &str, priority: i32, request: i64, usage: Option<i64>) -> RankInput {
    RankInput {
        key: key.into(),
        priority,
        request_bytes: request,
        usage_bytes: usage,
        critical: false,
    }
}

fn order(pods: &[RankInput]) -> Vec<String> {
    rank_memory_pressure(pods)
        .into_iter()
        .map(|r| r.key)
        .collect()
}

#[test]
fn ordered_by_exceeds_request_memory() {
    let below = pod("below-requests", -1, 200 * MI, Some(199 * MI));
    let exceeds = pod("exceeds-requests", 1, 100 * MI, Some(101 * MI));
    assert_eq!(
        order(&[below, exceeds]),
        ["exceeds-requests", "below-requests"]
    );
}

#[test]
fn ordered_by_priority() {
    // Upstream sorts by priority alone; the pods have no stats, so exceedMemoryRequests and memory tie.
    let low = pod("low-priority", -134, 0, None);
    let medium = pod("medium-priority", 1, 100 * MI, None);
    let high = pod("high-priority", 12534, 200 * MI, None);
    assert_eq!(
        order(&[high, medium, low]),
        ["low-priority", "medium-priority", "high-priority"]
    );
}

#[test]
fn ordered_by_priority_memory() {
    let (lo, hi) = (-1, 1); // lowPriority / highPriority of helpers_test.go
    let pods = vec![
        pod(
            "pod8-below-requests-high-priority-low-usage",
            hi,
            GI,
            Some(200 * MI),
        ),
        pod(
            "pod7-below-requests-high-priority-high-usage",
            hi,
            GI,
            Some(800 * MI),
        ),
        pod(
            "pod6-below-requests-low-priority-low-usage",
            lo,
            GI,
            Some(200 * MI),
        ),
        pod(
            "pod5-below-requests-low-priority-high-usage",
            lo,
            GI,
            Some(800 * MI),
        ),
        pod(
            "pod4-above-requests-high-priority-low-usage",
            hi,
            100 * MI,
            Some(150 * MI),
        ),
        pod(
            "pod3-above-requests-high-priority-high-usage",
            hi,
            100 * MI,
            Some(600 * MI),
        ),
        pod(
            "pod2-above-requests-low-priority-low-usage",
            lo,
            0,
            Some(50 * MI),
        ),
        pod(
            "pod1-above-requests-low-priority-high-usage",
            lo,
            0,
            Some(500 * MI),
        ),
    ];
    let got = order(&pods);
    let want: Vec<String> = (1..=8)
        .map(|i| {
            got.iter()
                .find(|k| k.starts_with(&format!("pod{i}-")))
                .unwrap()
                .clone()
        })
        .collect();
    assert_eq!(got, want);
    let ranked = rank_memory_pressure(&pods);
    assert!(ranked.iter().all(|r| !r.tied));
    assert_eq!(
        ranked.iter().map(|r| r.eviction_rank).collect::<Vec<_>>(),
        (1..=8).map(Some).collect::<Vec<_>>()
    );
}

#[test]
fn no_stats_first_ties_and_critical() {
    let pods = vec![
        pod("ns/a", 0, 100 * MI, Some(300 * MI)),
        pod("ns/b", 0, 100 * MI, Some(300 * MI)), // ties with a
        pod("ns/nostats", 1000, GI, None),
        RankInput {
            critical: true,
            ..pod("kube-system/crit", 2_000_000_000, 0, Some(GI))
        },
        pod("ns/c", 0, 100 * MI, Some(200 * MI)),
    ];
    let r = rank_memory_pressure(&pods);
    let keys: Vec<&str> = r.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(
        keys,
        ["ns/nostats", "ns/a", "ns/b", "ns/c", "kube-system/crit"]
    );
    assert_eq!(r[0].eviction_rank, Some(1));
    assert_eq!(
        (r[1].eviction_rank, r[1].tied, r[1].tied_with_previous),
        (Some(2), true, false)
    );
    assert_eq!(
        (r[2].eviction_rank, r[2].tied, r[2].tied_with_previous),
        (Some(2), true, true)
    );
    assert_eq!(r[3].eviction_rank, Some(4));
    assert_eq!(r[4].eviction_rank, None);
    assert!(r[4].reason.contains("never evicted"));
    assert!(r[2].reason.contains("unstable"));
}

#[test]
fn make_signal_observations_memory() {
    let gi = GI;
    let (mem, d) = observe_memory_available(2 * gi, gi);
    assert_eq!(
        mem,
        Observation {
            available: gi,
            capacity: 2 * gi
        }
    );
    assert!(d.substituted.ends_with(&gi.to_string()));
    let (alloc, _) = observe_allocatable_memory_available(Some(2 * gi), gi).unwrap();
    assert_eq!(
        alloc,
        Observation {
            available: gi,
            capacity: 2 * gi
        }
    );
    assert!(observe_allocatable_memory_available(None, gi).is_none());
    let obs = make_memory_observations(2 * gi, gi, None, gi);
    assert_eq!(obs.len(), 1);
}

fn thr(signal: &str, v: ThresholdValue, grace_s: i64, mr: Option<ThresholdValue>) -> Threshold {
    Threshold {
        signal: signal.into(),
        kind: if grace_s == 0 {
            ThresholdKind::Hard
        } else {
            ThresholdKind::Soft
        },
        value: v,
        grace_period_ns: grace_s * 1_000_000_000,
        min_reclaim: mr,
        derived_from_memory_available: false,
    }
}

fn qv(s: &str) -> ThresholdValue {
    let q = oomlens_core::base::quantity::Quantity::parse(s).unwrap();
    ThresholdValue::Quantity {
        value: q.value(),
        quantity: q,
    }
}

fn obs(pairs: &[(&str, &str, &str)]) -> Observations {
    pairs
        .iter()
        .map(|(s, a, c)| {
            let a = oomlens_core::base::quantity::Quantity::parse(a)
                .unwrap()
                .value();
            let c = if c.is_empty() {
                0
            } else {
                oomlens_core::base::quantity::Quantity::parse(c)
                    .unwrap()
                    .value()
            };
            (
                s.to_string(),
                Observation {
                    available: a,
                    capacity: c,
                },
            )
        })
        .collect()
}

#[test]
fn thresholds_met_table() {
    let hard = vec![thr("memory.available", qv("1Gi"), 0, Some(qv("500Mi")))];
    // (name, enforceMinReclaim, thresholds, observations, met)
    type Row = (&'static str, bool, Vec<Threshold>, Observations, Vec<usize>);
    let rows: Vec<Row> = vec![
        ("empty", false, vec![], obs(&[]), vec![]),
        (
            "threshold-met-memory",
            false,
            hard.clone(),
            obs(&[("memory.available", "500Mi", "")]),
            vec![0],
        ),
        (
            "threshold-not-met",
            false,
            hard.clone(),
            obs(&[("memory.available", "2Gi", "")]),
            vec![],
        ),
        (
            "threshold-met-with-min-reclaim",
            true,
            hard.clone(),
            obs(&[("memory.available", "1.05Gi", "")]),
            vec![0],
        ),
        (
            "threshold-not-met-with-min-reclaim",
            true,
            hard.clone(),
            obs(&[("memory.available", "2Gi", "")]),
            vec![],
        ),
    ];
    for (name, emr, t, o, want) in rows {
        assert_eq!(thresholds_met(&t, &o, emr), want, "{name}");
    }
}

#[test]
fn percentage_thresholds_met_table() {
    let t = vec![
        thr(
            "memory.available",
            ThresholdValue::Percentage(0.2),
            0,
            Some(ThresholdValue::Percentage(0.05)),
        ),
        thr("nodefs.available", ThresholdValue::Percentage(0.3), 0, None),
    ];
    let rows: Vec<(&str, bool, Observations, Vec<usize>)> = vec![
        (
            "BothMet",
            false,
            obs(&[
                ("memory.available", "100Mi", "1000Mi"),
                ("nodefs.available", "100Gi", "1000Gi"),
            ]),
            vec![0, 1],
        ),
        (
            "NoneMet",
            false,
            obs(&[
                ("memory.available", "300Mi", "1000Mi"),
                ("nodefs.available", "400Gi", "1000Gi"),
            ]),
            vec![],
        ),
        (
            "DiskMet",
            false,
            obs(&[
                ("memory.available", "300Mi", "1000Mi"),
                ("nodefs.available", "100Gi", "1000Gi"),
            ]),
            vec![1],
        ),
        (
            "MemoryMet",
            false,
            obs(&[
                ("memory.available", "100Mi", "1000Mi"),
                ("nodefs.available", "400Gi", "1000Gi"),
            ]),
            vec![0],
        ),
        (
            "MemoryMetWithMinReclaim",
            true,
            obs(&[("memory.available", "225Mi", "1000Mi")]),
            vec![0],
        ),
        (
            "MemoryNotMetWithMinReclaim",
            true,
            obs(&[("memory.available", "300Mi", "1000Mi")]),
            vec![],
        ),
    ];
    for (name, emr, o, want) in rows {
        assert_eq!(thresholds_met(&t, &o, emr), want, "{name}");
    }
}

#[test]
fn strict_comparison_and_hysteresis() {
    let t = vec![thr("memory.available", qv("100Mi"), 0, Some(qv("400Mi")))];
    // available == threshold → not met (strict >).
    assert!(thresholds_met(&t, &obs(&[("memory.available", "100Mi", "")]), false).is_empty());
    // Once met, stays met until available ≥ 500Mi.
    let o = obs(&[("memory.available", "300Mi", "")]);
    assert!(thresholds_met(&t, &o, false).is_empty());
    assert_eq!(thresholds_met_with_hysteresis(&t, &o, &[0]), vec![0]);
    assert!(
        thresholds_met_with_hysteresis(&t, &obs(&[("memory.available", "500Mi", "")]), &[0])
            .is_empty()
    );
}

#[test]
fn thresholds_first_observed_at_table() {
    let now = 1000.0;
    let old = now - 60.0;
    assert!(thresholds_first_observed_at(&[], &BTreeMap::new(), now).is_empty()); // empty
    assert_eq!(
        thresholds_first_observed_at(&[0], &BTreeMap::new(), now),
        BTreeMap::from([(0, now)])
    ); // no-previous-observation
    assert_eq!(
        thresholds_first_observed_at(&[0], &BTreeMap::from([(0, old)]), now),
        BTreeMap::from([(0, old)])
    ); // previous-observation
}

#[test]
fn thresholds_met_grace_period_table() {
    let now = 1000.0;
    let t = vec![
        thr("memory.available", qv("1Gi"), 0, None),
        thr("memory.available", qv("2Gi"), 60, None),
    ];
    let old = now - 120.0;
    assert!(thresholds_met_grace_period(&t, &BTreeMap::new(), now).is_empty()); // empty
    assert_eq!(
        thresholds_met_grace_period(&t, &BTreeMap::from([(0, now)]), now),
        vec![0]
    ); // hard-threshold-met
    assert!(thresholds_met_grace_period(&t, &BTreeMap::from([(1, now)]), now).is_empty()); // soft-threshold-not-met
    assert_eq!(
        thresholds_met_grace_period(&t, &BTreeMap::from([(1, old)]), now),
        vec![1]
    ); // soft-threshold-met
}

#[test]
fn eviction_message_format() {
    let (msg, ann) = eviction_message(
        Some(("100Mi".into(), go_binary_si_string(80 * MI))),
        None,
        &[
            MessageContainer {
                name: "app".into(),
                usage_bytes: Some(900 * MI),
                request: Some((500 * MI, "500Mi".into())),
            },
            MessageContainer {
                name: "side".into(),
                usage_bytes: Some(10 * MI),
                request: Some((64 * MI, "64Mi".into())),
            },
            MessageContainer {
                name: "nolimit".into(),
                usage_bytes: Some(1500),
                request: None,
            },
        ],
    );
    assert_eq!(
        msg,
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. Container app was using 900Mi, request is 500Mi, has larger consumption of memory. Container nolimit was using 1500, request is 0, has larger consumption of memory. "
    );
    assert_eq!(ann["offending_containers"], "app,nolimit");
    assert_eq!(ann["offending_containers_usage"], "900Mi,1500");
    assert_eq!(ann["starved_resource"], "memory");
}

#[test]
fn go_quantity_strings() {
    assert_eq!(go_binary_si_string(0), "0");
    assert_eq!(go_binary_si_string(100 * MI), "100Mi");
    assert_eq!(go_binary_si_string(536_870_920), "536870920");
    assert_eq!(go_binary_si_string(1000), "1k");
    assert_eq!(go_binary_si_string(500), "500");
    assert_eq!(go_binary_si_string(1536 * 1024), "1536Ki");
    assert_eq!(go_binary_si_string(10 * GI), "10Gi");
}

proptest! {
    // Invariant (issue 3): at equal priority, a pod within its request (e.g. Guaranteed, usage ≤
    // request) never ranks before a pod over its request.
    #[test]
    fn within_request_never_before_over_request(
        prio in -10i32..10,
        req_g in 0i64..(1 << 34), use_g_frac in 0.0f64..=1.0,
        req_b in 0i64..(1 << 34), over in 1i64..(1 << 34),
        others in proptest::collection::vec((-10i32..10, 0i64..(1 << 34), proptest::option::of(0i64..(1 << 35))), 0..8),
    ) {
        let use_g = (req_g as f64 * use_g_frac) as i64;
        let mut pods = vec![pod("g", prio, req_g, Some(use_g)), pod("b", prio, req_b, Some(req_b + over))];
        for (i, (p, r, u)) in others.into_iter().enumerate() {
            pods.push(pod(&format!("o{i}"), p, r, u));
        }
        let r = rank_memory_pressure(&pods);
        let pg = r.iter().position(|x| x.key == "g").unwrap();
        let pb = r.iter().position(|x| x.key == "b").unwrap();
        prop_assert!(pb < pg);
        prop_assert!(r[pb].eviction_rank < r[pg].eviction_rank);
    }
}

/// TestOrderedByMemory (kubernetes/kubernetes helpers_test.go): upstream sorts by `memory`
/// alone; all pods have the default priority, and `exceedMemoryRequests` splits them the same
/// way (pods 1–4 over request, 5–6 within), so the full comparator yields upstream's order.
#[test]
fn ordered_by_memory() {
    let pods = vec![
        pod("best-effort-high", 0, 0, Some(500 * MI)), // 500 relative to request
        pod("best-effort-low", 0, 0, Some(300 * MI)),  // 300
        pod("burstable-high", 0, 100 * MI, Some(800 * MI)), // 700
        pod("burstable-low", 0, 100 * MI, Some(300 * MI)), // 200
        pod("guaranteed-high", 0, GI, Some(800 * MI)), // -224
        pod("guaranteed-low", 0, GI, Some(200 * MI)),  // -824
    ];
    assert_eq!(
        order(&pods),
        [
            "burstable-high",
            "best-effort-high",
            "best-effort-low",
            "burstable-low",
            "guaranteed-high",
            "guaranteed-low"
        ]
    );
}

/// The case: `batch/logger` ties on every key with the static pod `default/proxy` (never
/// evicted); it is the second evictable pod, so rank 2 and tied with nobody.
#[test]
fn a_tie_with_a_critical_pod_is_no_tie() {
    let pods = vec![
        pod("batch/hog", 0, 0, Some(2 * GI)),
        RankInput {
            critical: true,
            ..pod("default/proxy", 0, GI, Some(GI))
        },
        pod("batch/logger", 0, GI, Some(GI)),
    ];
    let r = rank_memory_pressure(&pods);
    let got: Vec<(&str, Option<u32>, bool, bool)> = r
        .iter()
        .map(|x| {
            (
                x.key.as_str(),
                x.eviction_rank,
                x.tied,
                x.tied_with_previous,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("batch/hog", Some(1), false, false),
            ("default/proxy", None, false, false),
            ("batch/logger", Some(2), false, false),
        ]
    );
    assert!(!r[2].reason.contains("unstable"), "{}", r[2].reason);
}

use crate::support::fuzz;

/// A pod whose keys come from small pools (so equal keys are common), with extreme values and
/// missing stats among them; a quarter are critical.
fn arb_rank_input() -> impl Strategy<Value = RankInput> {
    let priority = prop::sample::select(vec![0, 0, 1000, -5, i32::MIN, i32::MAX, 2_000_000_000]);
    let bytes = prop::sample::select(vec![0, 0, 100 * MI, GI, GI, 2 * GI, i64::MAX, -1]);
    let usage = prop::option::weighted(0.85, bytes.clone());
    (priority, bytes, usage, prop::bool::weighted(0.25)).prop_map(
        |(priority, request_bytes, usage_bytes, critical)| RankInput {
            key: String::new(),
            priority,
            request_bytes,
            usage_bytes,
            critical,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz::fuzz_cases(4000)))]

    /// `rank_memory_pressure` equals the plainest reading of kubelet's rule: sort by the upstream
    /// comparator (ties in input order), drop critical pods, number the rest by position, a tied
    /// group taking the rank of its first pod, and mark ties only between evictable pods with
    /// equal keys.
    #[test]
    fn ranks_equal_the_plain_definition(pods in prop::collection::vec(arb_rank_input(), 0..24)) {
        use std::cmp::Ordering;
        let got = rank_memory_pressure(&pods);
        let mut order: Vec<usize> = (0..pods.len()).collect();
        order.sort_by(|&a, &b| compare_memory_pressure(&pods[a], &pods[b]));
        let evictable: Vec<usize> = order.iter().copied().filter(|&i| !pods[i].critical).collect();
        prop_assert_eq!(got.iter().map(|r| r.input_index).collect::<Vec<_>>(), order);
        for r in &got {
            let i = r.input_index;
            let p = &pods[i];
            if p.critical {
                prop_assert_eq!((r.eviction_rank, r.tied, r.tied_with_previous), (None, false, false));
                continue;
            }
            let at = evictable.iter().position(|&j| j == i).unwrap();
            let first_equal = evictable
                .iter()
                .position(|&j| compare_memory_pressure(&pods[j], p) == Ordering::Equal)
                .unwrap();
            let rank = u32::try_from(first_equal + 1).unwrap();
            let tied = evictable
                .iter()
                .any(|&j| j != i && compare_memory_pressure(&pods[j], p) == Ordering::Equal);
            let tied_with_previous = at > 0
                && compare_memory_pressure(&pods[evictable[at - 1]], p) == Ordering::Equal;
            prop_assert_eq!(
                (r.eviction_rank, r.tied, r.tied_with_previous),
                (Some(rank), tied, tied_with_previous),
                "pod {} of {:?}", i, pods
            );
        }
    }

    /// `first_to_evict` names the first ranked pod of `rank_memory_pressure` and exactly the
    /// pods ranked with it.
    #[test]
    fn first_to_evict_is_the_first_rank(pods in prop::collection::vec(arb_rank_input(), 0..24)) {
        let ranked = rank_memory_pressure(&pods);
        let want = ranked.iter().find(|r| r.eviction_rank.is_some()).map(|first| {
            let mut tied: Vec<usize> = ranked
                .iter()
                .filter(|r| r.eviction_rank == first.eviction_rank && r.input_index != first.input_index)
                .map(|r| r.input_index)
                .collect();
            tied.sort_unstable();
            (first.input_index, tied)
        });
        prop_assert_eq!(first_to_evict(&pods), want);
    }
}
