//! Hand-computed timelines for the "what fires first" simulation. Rules: kubelet's eviction loop
//! (`pkg/kubelet/eviction/eviction_manager.go`: sync every 10 s, hard at the first sync that
//! observes the threshold, soft after its grace period, one pod per sync, wait for cleanup), the
//! runtime's 2 s kill floor (`kuberuntime_container.go` minimumGracePeriodInSeconds) and the
//! kernel's memcg / global OOM (`mm/memcontrol.c`, `mm/oom_kill.c`).

use oomlens_core::kernel::badness::BadnessRule;
use oomlens_core::kubelet::eviction::eviction_grace;
use oomlens_core::kubelet::rules::KubeletRules;
use oomlens_core::simulate::*;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

fn container(name: &str, adj: i64, limit: Option<i64>, usage: i64, growth: i64) -> SimContainer {
    SimContainer {
        name: name.into(),
        oom_score_adj: adj,
        limit_bytes: limit,
        usage_bytes: usage,
        growth_bytes_per_second: growth,
    }
}

fn pod(name: &str, request: i64, containers: Vec<SimContainer>) -> SimPod {
    SimPod {
        namespace: "default".into(),
        name: name.into(),
        priority: 0,
        critical: false,
        request_bytes: request,
        limit_bytes: None,
        hard_eviction_grace: eviction_grace(&KubeletRules::default(), true, 0, None),
        soft_eviction_grace: eviction_grace(&KubeletRules::default(), false, 0, None),
        containers,
    }
}

fn hard(signal: &str, bytes: i64) -> SimThreshold {
    SimThreshold {
        signal: signal.into(),
        hard: true,
        bytes,
        grace_ms: 0,
        min_reclaim_bytes: 0,
    }
}

fn node(
    capacity: i64,
    kubepods: Option<i64>,
    thresholds: Vec<SimThreshold>,
    pods: Vec<SimPod>,
) -> SimInput {
    SimInput {
        capacity_bytes: capacity,
        swap_bytes: 0,
        page_size: 4096,
        system_usage_bytes: 0,
        kubepods_limit_bytes: kubepods,
        thresholds,
        badness_rule: BadnessRule::Signed,
        kernel: oomlens_core::kernel::badness::KernelVersion::NEWEST,
        oom_group: true,
        pods,
    }
}

#[test]
fn container_limit_first() {
    // usage 900Mi, limit 1Gi, +1Mi/s → (1024 − 900)Mi / 1Mi/s = 124 s. Node of 64Gi: nothing else near.
    let input = node(
        64 * GI,
        Some(60 * GI),
        vec![hard("memory.available", 100 * MI)],
        vec![pod(
            "web",
            512 * MI,
            vec![container("app", 970, Some(GI), 900 * MI, MI)],
        )],
    );
    let t = simulate(&input);
    assert_eq!(t.first_mechanism, Some(Mechanism::ContainerOom));
    let s = &t.steps[0];
    assert_eq!(s.time_seconds, 124.0);
    assert_eq!(s.victim.as_deref(), Some("default/web/app"));
    // The killed container's memory is released.
    assert_eq!(s.memory_after.kubepods_used_bytes, 0);
    assert_eq!(t.steps.len(), 1, "{:#?}", t.steps);
}

#[test]
fn hard_eviction_at_the_next_sync_then_release() {
    // 4Gi node, no reservations (kubepods = 4Gi), hard 100Mi, BestEffort pod at 3Gi growing 10Mi/s.
    // memory.available < 100Mi ⇔ used > 3996Mi: (924Mi + 1 B) / 10Mi/s → 92.401 s (ms ceiling),
    // next sync on the 10 s grid: t = 100 s → hard eviction. Grace 1 s, raised to the 2 s floor:
    // released at 102 s, before the node would run out at (4096 − 3072)/10 = 102.4 s.
    let input = node(
        4 * GI,
        Some(4 * GI),
        vec![
            hard("memory.available", 100 * MI),
            hard("allocatableMemory.available", 100 * MI),
        ],
        vec![pod(
            "be",
            0,
            vec![container("c", 1000, None, 3 * GI, 10 * MI)],
        )],
    );
    let t = simulate(&input);
    let kinds: Vec<(f64, Mechanism)> = t
        .steps
        .iter()
        .map(|s| (s.time_seconds, s.mechanism))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (100.0, Mechanism::EvictionHard),
            (102.0, Mechanism::PodTerminated)
        ]
    );
    assert_eq!(t.steps[0].victim.as_deref(), Some("default/be"));
    // available after the eviction step: 4096Mi − (3072 + 10·100)Mi = 24Mi
    assert_eq!(t.steps[0].memory_after.memory_available_bytes, 24 * MI);
}

#[test]
fn kernel_beats_kubelet_when_growth_is_fast() {
    // Same node at 20Mi/s: crossing at 46.2 s → sync at 50 s evicts (release at 52 s), but the
    // kubepods memcg (4Gi) is full at (4096 − 3072)/20 = 51.2 s: the kernel kills first.
    let input = node(
        4 * GI,
        Some(4 * GI),
        vec![
            hard("memory.available", 100 * MI),
            hard("allocatableMemory.available", 100 * MI),
        ],
        vec![pod(
            "be",
            0,
            vec![container("c", 1000, None, 3 * GI, 20 * MI)],
        )],
    );
    let t = simulate(&input);
    assert_eq!(t.steps[0].mechanism, Mechanism::EvictionHard);
    assert_eq!(t.steps[0].time_seconds, 50.0);
    assert_eq!(t.steps[1].mechanism, Mechanism::KubepodsOom);
    assert_eq!(t.steps[1].time_seconds, 51.2);
    assert_eq!(t.steps[1].victim.as_deref(), Some("default/be/c"));
}

#[test]
fn soft_threshold_waits_for_its_grace_period() {
    // 8Gi node, soft memory.available<1Gi for 30 s, hard 100Mi. Used 6656Mi growing 1Mi/s:
    // soft met when used > 7168Mi: 512 s + 1 B → 512.001 s; observed at the 520 s sync; acts at the
    // 550 s sync (550 − 520 ≥ 30). Hard would need used > 8092Mi: 1436 s — later.
    let mut thresholds = vec![hard("memory.available", 100 * MI)];
    thresholds.push(SimThreshold {
        signal: "memory.available".into(),
        hard: false,
        bytes: GI,
        grace_ms: 30_000,
        min_reclaim_bytes: 0,
    });
    let input = node(
        8 * GI,
        None,
        thresholds,
        vec![
            pod("grow", 0, vec![container("c", 1000, None, 6 * GI, MI)]),
            pod(
                "steady",
                2 * GI,
                vec![container("c", 500, None, 512 * MI, 0)],
            ),
        ],
    );
    let t = simulate(&input);
    let kinds: Vec<(f64, Mechanism)> = t
        .steps
        .iter()
        .map(|s| (s.time_seconds, s.mechanism))
        .collect();
    assert_eq!(kinds[0], (520.0, Mechanism::SoftThresholdObserved));
    assert_eq!(kinds[1], (550.0, Mechanism::EvictionSoft));
    assert_eq!(t.steps[1].victim.as_deref(), Some("default/grow"));
    // soft grace min(evictionMaxPodGracePeriod 0, 30) = 0 → 2 s floor → released at 552 s.
    assert_eq!(kinds[2], (552.0, Mechanism::PodTerminated));
    assert_eq!(t.first_mechanism, Some(Mechanism::EvictionSoft));
}

#[test]
fn critical_pods_are_never_evicted_node_oom_follows() {
    // Only a critical pod grows: kubelet cannot evict it, the node runs out.
    // 2Gi node, no kubepods limit, used 1Gi + 1Mi/s: hard met after 924 s (+1 ms) → sync at 930 s
    // reports "no evictable pod"; node OOM at (2048 − 1024) s = 1024 s.
    let mut p = pod("critical", 0, vec![container("c", -997, None, GI, MI)]);
    p.critical = true;
    let input = node(
        2 * GI,
        None,
        vec![hard("memory.available", 100 * MI)],
        vec![p],
    );
    let t = simulate(&input);
    let kinds: Vec<(f64, Mechanism)> = t
        .steps
        .iter()
        .map(|s| (s.time_seconds, s.mechanism))
        .collect();
    assert_eq!(kinds[0], (930.0, Mechanism::NoEvictablePod));
    assert_eq!(kinds[1], (1024.0, Mechanism::NodeOom));
    assert_eq!(t.steps[1].victim.as_deref(), Some("default/critical/c"));
}

#[test]
fn nothing_fires_without_growth() {
    let input = node(
        16 * GI,
        Some(14 * GI),
        vec![hard("memory.available", 100 * MI)],
        vec![pod(
            "idle",
            GI,
            vec![container("c", 900, Some(2 * GI), GI, 0)],
        )],
    );
    let t = simulate(&input);
    assert!(t.steps.is_empty());
    assert_eq!(t.first_mechanism, None);
    assert!(!t.truncated);
    assert!(
        t.outcome().starts_with("nothing ever fires"),
        "{}",
        t.outcome()
    );
}

#[test]
fn eviction_picks_the_pod_over_request_and_re_ranks() {
    // Two pods over request grow; eviction takes the larger usage − request, then re-ranks.
    // 4Gi node; a: request 1Gi, usage 1.5Gi (+512Mi over); b: request 0, usage 2Gi (+2Gi over) grows 1Mi/s.
    // used 3.5Gi = 3584Mi; hard met when used > 3996Mi: 412 s + 1 ms → sync 420 s → evict b.
    let input = node(
        4 * GI,
        None,
        vec![hard("memory.available", 100 * MI)],
        vec![
            pod("a", GI, vec![container("c", 700, None, 1536 * MI, 0)]),
            pod("b", 0, vec![container("c", 1000, None, 2 * GI, MI)]),
        ],
    );
    let t = simulate(&input);
    assert_eq!(t.steps[0].mechanism, Mechanism::EvictionHard);
    assert_eq!(t.steps[0].time_seconds, 420.0);
    assert_eq!(t.steps[0].victim.as_deref(), Some("default/b"));
    assert_eq!(t.steps[1].mechanism, Mechanism::PodTerminated);
    // After b's memory is released (used 1.5Gi) nothing else grows: the simulation ends.
    assert_eq!(t.steps.len(), 2, "{:#?}", t.steps);
}

#[test]
fn bounded_when_growth_never_hits_anything_within_horizon() {
    // 1 byte/s on a huge node: the node would fill after far more than 24 h.
    let input = node(
        1 << 50,
        None,
        vec![],
        vec![pod("slow", 0, vec![container("c", 1000, None, 0, 1)])],
    );
    let t = simulate(&input);
    assert!(t.steps.is_empty());
    assert!(t.truncated);
    assert!(t.outcome().contains("24 h"), "{}", t.outcome());
}

#[test]
fn at_the_limit_without_growth_is_not_an_oom_above_it_is() {
    // page_counter_try_charge fails only for a charge that would go above memory.max: a container
    // sitting exactly at its limit and not growing charges nothing more; one above it OOMs at once.
    let at = node(
        64 * GI,
        None,
        vec![],
        vec![pod("p", GI, vec![container("c", 500, Some(GI), GI, 0)])],
    );
    assert!(simulate(&at).steps.is_empty());
    let over = node(
        64 * GI,
        None,
        vec![],
        vec![pod("p", GI, vec![container("c", 500, Some(GI), GI + 1, 0)])],
    );
    let t = simulate(&over);
    assert_eq!(
        (t.steps[0].time_seconds, t.steps[0].mechanism),
        (0.0, Mechanism::ContainerOom)
    );
}
