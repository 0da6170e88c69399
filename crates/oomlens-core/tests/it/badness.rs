//! Worked examples of the kernel OOM killer's arithmetic, computed by hand from the formulas of
//! `torvalds/linux mm/oom_kill.c` (`oom_badness`, `oom_evaluate_task`), `fs/proc/base.c`
//! (`proc_oom_score`) and `mm/memcontrol.c` (`mem_cgroup_get_max`), per kernel version.

use oomlens_core::kernel::badness::*;
use oomlens_core::kernel::kill_order::*;

const PAGE: i64 = 4096;
const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

fn task(bytes: i64) -> TaskMemory {
    TaskMemory::from_rss_bytes(bytes, PAGE)
}

#[test]
fn kernel_version_selects_rule() {
    // (version, rule) — boundaries: 9066e5cfb73c (5.9), d46078b28889 (4.17), 778c14affaf9 (3.14).
    let rows = [
        ("6.12", BadnessRule::Signed),
        ("5.9", BadnessRule::Signed),
        ("5.8", BadnessRule::UnsignedFloor1),
        ("5.4.0-150-generic", BadnessRule::UnsignedFloor1),
        ("4.17", BadnessRule::UnsignedFloor1),
        ("4.16", BadnessRule::RootBonusPercent),
        ("4.14", BadnessRule::RootBonusPercent),
        ("3.14", BadnessRule::RootBonusPercent),
        ("3.13", BadnessRule::RootBonusAdj),
        ("3.10", BadnessRule::RootBonusAdj),
    ];
    for (v, want) in rows {
        let k = KernelVersion::parse(v).expect(v);
        assert_eq!(BadnessRule::for_kernel(k), want, "{v}");
    }
    assert_eq!(KernelVersion::parse("not a version"), None);
}

#[test]
fn global_and_memcg_totalpages() {
    // 16 GiB / 4 KiB = 4194304 pages; + 2 GiB swap = 524288 pages.
    assert_eq!(global_totalpages(16 * GI, 0, PAGE), 4_194_304);
    assert_eq!(
        global_totalpages(16 * GI, 2 * GI, PAGE),
        4_194_304 + 524_288
    );
    // memory.max 1 GiB = 262144 pages; bytes are rounded down to pages (page_counter_memparse).
    assert_eq!(memcg_totalpages(Some(GI), 0, PAGE), Some(262_144));
    assert_eq!(memcg_totalpages(Some(GI + 4095), 0, PAGE), Some(262_144));
    assert_eq!(memcg_totalpages(Some(GI), 100, PAGE), Some(262_244));
    // `mem_cgroup_get_max(memcg) ?: 1`
    assert_eq!(memcg_totalpages(Some(1000), 0, PAGE), Some(1));
    // "max" never OOMs on its own limit.
    assert_eq!(memcg_totalpages(None, 0, PAGE), None);
}

#[test]
fn burstable_container_on_16gi_node_kernel_6() {
    // adj 970 (request 500Mi on 16Gi: 1000 − 1000·524288000/17179869184 = 1000 − 30 = 970),
    // usage 900Mi → rss 900·256 = 230400 pages; totalpages/1000 = 4194304/1000 = 4194.
    // badness = 230400 + 970·4194 = 230400 + 4068180 = 4298580.
    let b = oom_badness(&task(900 * MI), 970, 4_194_304, PAGE);
    assert_eq!(b, Some(4_298_580));
    // oom_score = (1000 + 4298580·1000/4194304)·2/3 = (1000 + 1024)·2/3 = 4048/3 = 1349.
    assert_eq!(proc_oom_score(BadnessRule::Signed, b, 4_194_304), 1349);
}

#[test]
fn guaranteed_container_negative_on_5_9_floored_before() {
    // Guaranteed adj −997, usage 3Gi → 786432 pages: 786432 − 997·4194 = 786432 − 4181418 = −3394986.
    let t = task(3 * GI);
    assert_eq!(
        oom_badness_for(BadnessRule::Signed, &t, -997, 4_194_304, PAGE, false),
        Some(-3_394_986)
    );
    // oom_score ≥ 5.9: −3394986·1000/4194304 = −809 (C truncation) → (1000 − 809)·2/3 = 382/3 = 127.
    assert_eq!(
        proc_oom_score(BadnessRule::Signed, Some(-3_394_986), 4_194_304),
        127
    );
    // 4.17–5.8: `return points > 0 ? points : 1;` → 1; oom_score = 1·1000/4194304 = 0.
    assert_eq!(
        oom_badness_for(
            BadnessRule::UnsignedFloor1,
            &t,
            -997,
            4_194_304,
            PAGE,
            false
        ),
        Some(1)
    );
    assert_eq!(
        proc_oom_score(BadnessRule::UnsignedFloor1, Some(1), 4_194_304),
        0
    );
}

#[test]
fn unkillable_adj_minus_1000() {
    for rule in [
        BadnessRule::Signed,
        BadnessRule::UnsignedFloor1,
        BadnessRule::RootBonusPercent,
        BadnessRule::RootBonusAdj,
    ] {
        assert_eq!(
            oom_badness_for(rule, &task(GI), -1000, 4_194_304, PAGE, false),
            None
        );
        assert_eq!(proc_oom_score(rule, None, 4_194_304), 0);
    }
}

#[test]
fn cap_sys_admin_bonus_by_version() {
    let t = TaskMemory {
        rss_pages: 100_000,
        swapents: 0,
        pgtables_bytes: 0,
    };
    // 3.14–4.16: points −= points·3/100 → 100000 − 3000 = 97000; adj 0.
    assert_eq!(
        oom_badness_for(BadnessRule::RootBonusPercent, &t, 0, 4_194_304, PAGE, true),
        Some(97_000)
    );
    assert_eq!(
        oom_badness_for(BadnessRule::RootBonusPercent, &t, 0, 4_194_304, PAGE, false),
        Some(100_000)
    );
    // 3.10–3.13: adj −= 30 → 100000 − 30·4194 = 100000 − 125820 < 0 → floor 1.
    assert_eq!(
        oom_badness_for(BadnessRule::RootBonusAdj, &t, 0, 4_194_304, PAGE, true),
        Some(1)
    );
    // ≥ 4.17: no bonus at all.
    assert_eq!(
        oom_badness_for(BadnessRule::UnsignedFloor1, &t, 0, 4_194_304, PAGE, true),
        Some(100_000)
    );
    assert_eq!(
        oom_badness_for(BadnessRule::Signed, &t, 0, 4_194_304, PAGE, true),
        Some(100_000)
    );
}

#[test]
fn swap_and_page_tables_count() {
    // points = rss + swapents + pgtables_bytes/PAGE_SIZE = 1000 + 200 + 81920/4096 (= 20) = 1220.
    let t = TaskMemory {
        rss_pages: 1000,
        swapents: 200,
        pgtables_bytes: 81_920,
    };
    assert_eq!(oom_badness(&t, 0, 1_000_000, PAGE), Some(1220));
    // adj·(totalpages/1000) uses integer division first: 999/1000 = 0, so adj has no effect.
    assert_eq!(oom_badness(&t, 1000, 999, PAGE), Some(1220));
}

#[test]
fn kill_order_in_kubepods_scope() {
    // kubepods memory.max 14.5Gi = 3801088 pages, /1000 = 3801.
    let tp = memcg_totalpages(Some(14 * GI + 512 * MI), 0, PAGE).unwrap();
    assert_eq!(tp, 3_801_088);
    let cands = vec![
        Candidate {
            id: "g".into(),
            task: task(3 * GI),
            oom_score_adj: -997,
            cap_sys_admin: false,
        },
        Candidate {
            id: "b".into(),
            task: task(700 * MI),
            oom_score_adj: 969,
            cap_sys_admin: false,
        },
        Candidate {
            id: "be".into(),
            task: task(2 * GI),
            oom_score_adj: 1000,
            cap_sys_admin: false,
        },
        Candidate {
            id: "sandbox".into(),
            task: TaskMemory::default(),
            oom_score_adj: -998,
            cap_sys_admin: false,
        },
    ];
    let order = kill_order(BadnessRule::Signed, &cands, tp, PAGE);
    let ids: Vec<&str> = order.ids().collect();
    // be: 524288 + 1000·3801 = 4325288; b: 179200 + 969·3801 = 179200 + 3683169 = 3862369;
    // g: 786432 − 997·3801 = 786432 − 3789597 = −3003165; sandbox: −998·3801 = −3793398.
    assert_eq!(ids, ["be", "b", "g", "sandbox"]);
    assert_eq!(order[0].points, 4_325_288);
    assert_eq!(order[1].points, 3_862_369);
    assert_eq!(order[2].points, -3_003_165);
    assert_eq!(order[3].points, -3_793_398);
    assert!((0..order.len()).all(|i| order.tied_with(i).is_empty()));
    assert!(order.derivation(0).substituted.ends_with("= 4325288"));
}

#[test]
fn equal_points_are_reported_as_a_tie_later_task_first() {
    // oom_evaluate_task skips only `points < chosen_points`: on equal points the later task wins.
    let cands = vec![
        Candidate {
            id: "first".into(),
            task: task(100 * MI),
            oom_score_adj: 1000,
            cap_sys_admin: false,
        },
        Candidate {
            id: "second".into(),
            task: task(100 * MI),
            oom_score_adj: 1000,
            cap_sys_admin: false,
        },
        Candidate {
            id: "small".into(),
            task: task(MI),
            oom_score_adj: 1000,
            cap_sys_admin: false,
        },
    ];
    let order = kill_order(BadnessRule::Signed, &cands, 1_000_000, PAGE);
    assert_eq!(order.id(0), "second");
    assert_eq!(order.id(1), "first");
    assert_eq!(order.tied_with(0), vec!["first"]);
    assert_eq!(
        (order[0].tie_size, order[1].tie_size, order[2].tie_size),
        (2, 2, 1)
    );
    assert_eq!(order.tied_with(1), vec!["second"]);
    assert!(order.tied_with(2).is_empty());
    assert_eq!((order[0].rank, order[1].rank, order[2].rank), (1, 2, 3));
}

#[test]
fn unkillable_never_in_kill_order() {
    let cands = vec![
        Candidate {
            id: "init".into(),
            task: task(GI),
            oom_score_adj: -1000,
            cap_sys_admin: true,
        },
        Candidate {
            id: "x".into(),
            task: task(MI),
            oom_score_adj: 0,
            cap_sys_admin: false,
        },
    ];
    let order = kill_order(BadnessRule::UnsignedFloor1, &cands, 1_000_000, PAGE);
    assert_eq!(order.len(), 1);
    assert_eq!(order.id(0), "x");
}

/// Which of two tasks with equal points the scan keeps, per release and OOM kind, from the
/// selection loops of torvalds/linux `mm/oom_kill.c` / `mm/memcontrol.c` in each range (see
/// `KernelVersion::ties_keep_later`): (release, memcg OOM, later task kept).
#[test]
fn tie_rule_by_release_and_oom_kind() {
    let table = [
        ("3.13", false, false),
        ("3.14", false, false),
        ("4.6", false, false),
        ("4.6", true, false),
        ("4.7", false, true),
        ("4.7", true, false),
        ("4.8", false, true),
        ("4.8", true, false),
        ("4.9", false, false),
        ("4.14", false, false),
        ("4.14", true, false),
        ("5.2", false, false),
        ("5.2", true, false),
        ("5.3", false, true),
        ("5.3", true, true),
        ("5.8", true, true),
        ("6.12", false, true),
        ("6.12", true, true),
    ];
    for (v, memcg, later) in table {
        let k = KernelVersion::parse(v).unwrap();
        assert_eq!(k.ties_keep_later(memcg), later, "{v} memcg={memcg}");
    }
}
