//! Robustness of the kernel-log and oomd readers. Invariants, in words:
//! 1. no input makes a reader panic (arbitrary strings, real lines cut anywhere, shuffled);
//! 2. every event's evidence lines exist in the input and lie inside one reported block;
//! 3. reading is linear: one 10 MB line and one million short lines finish within seconds even
//!    in a debug build.

use oomlens_core::diag::{dmesg, oomd};
use oomlens_core::kubelet::cgroup_path;
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// The reading given the lines already split and the marker lines found (as the browser's
/// worker reads).
fn with_lines(text: &str) -> dmesg::DmesgReading {
    use oomlens_core::diag::lines::{lines_holding, numbered};
    let lines: Vec<_> = numbered(text).collect();
    let qp = oomlens_core::diag::quoted_printable::is_encoded(text);
    let markers = lines_holding(text, &lines, &[&dmesg::MARKERS]).remove(0);
    dmesg::read_with_lines(text, qp, &lines, &markers)
}

#[test]
fn marker_lines_read_as_the_anchor_search_on_every_fixture() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut n = 0;
    for dir in ["kernel", "k8s"] {
        for e in std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .flatten()
        {
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            assert_eq!(with_lines(&text), dmesg::read(&text), "{:?}", e.path());
            n += 1;
        }
    }
    assert!(n > 50, "only {n} fixtures read");
}

const FIXTURES: &[&str] = &[
    include_str!("../fixtures/kernel/cadvisor_4.8_docker_v1_two_ooms.log"),
    include_str!("../fixtures/kernel/aks_syslog_kubepods_oom_group.log"),
    include_str!("../fixtures/kernel/oomanalyser_proxmox_5.15_memcg_dmesg_T_de.log"),
    include_str!("../fixtures/kernel/kubernetes_56891_centos7_3.10_dmesg_T_excerpt.log"),
    include_str!("../fixtures/kernel/oomd_kitty_5743_pressure.log"),
    include_str!("../fixtures/kernel/lkml_oom_group_test1_caller_id.log"),
    include_str!("../fixtures/kernel/truncated_pager_oomkill_line_nixpkgs_435587.txt"),
    include_str!("../fixtures/kernel/priority_prefix_openwrt_oom_nossiac_mtk_67.txt"),
    include_str!("../fixtures/kernel/dmesg_time_format_iso_equinor_ert_7797.txt"),
    include_str!("../fixtures/kernel/kmsg_record_zehonghuang_blog_oomkilled_multiproc.txt"),
    include_str!("../fixtures/kernel/quoted_printable_memcg_4.15_lkml_2018.txt"),
    include_str!("../fixtures/kernel/systemd_unit_oom_mariadb_global_cloudpanel_333.log"),
    include_str!("../fixtures/kernel/systemd_unit_oom_slices_openprescribing_5431.log"),
];

fn check_all(text: &str) {
    let total = text.lines().count();
    let r = dmesg::read(text);
    assert_eq!(
        with_lines(text),
        r,
        "line numbers looked up differ from counted ones"
    );
    for e in &r.events {
        for &l in &e.lines {
            assert!(l >= 1 && l <= total, "line {l} of {total}");
            assert!(
                r.blocks
                    .iter()
                    .any(|b| b.first_line <= l && l <= b.last_line),
                "line {l} outside blocks"
            );
        }
        let _ = dmesg::findings(e);
        let _ = serde_json::to_string(e).unwrap();
    }
    for k in oomd::read(text).kills {
        assert!(k.line >= 1 && k.line <= total);
        let _ = oomd::findings(&k);
    }
    let units = oomlens_core::diag::unit_oom::read(text);
    for u in &units.units {
        assert!(
            u.line >= 1 && u.line <= total,
            "unit line {} of {total}",
            u.line
        );
    }
    for f in oomlens_core::diag::unit_oom::findings(&units, &r.events) {
        assert!(f.lines.iter().all(|l| *l >= 1 && *l <= total));
    }
    for l in text.lines().take(50) {
        let _ = cgroup_path::decode(l);
    }
}

/// Real report lines, so the generator reaches deep parser states.
fn real_lines() -> Vec<&'static str> {
    FIXTURES.iter().flat_map(|f| f.lines()).collect()
}

use crate::support::fuzz;
use fuzz::fuzz_cases;

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(256), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,400}") {
        check_all(&s);
    }

    #[test]
    fn cut_and_shuffled_real_lines_never_panic(
        picks in prop::collection::vec((0usize..10_000, 0usize..400, any::<bool>()), 0..120),
        junk in "[\\[\\]()<>:;,=/ 0-9a-zA-Z_.-]{0,60}",
    ) {
        check_all(&fuzz::cut_and_shuffled(&real_lines(), &picks, &junk));
    }

    #[test]
    fn cgroup_paths_never_panic(s in "(/[a-z0-9_:.-]{0,70}){0,8}") {
        let d = cgroup_path::decode(&s);
        if let Some(uid) = d.pod_uid { prop_assert!(!uid.contains('_')); }
    }
}

fn timed(label: &str, text: &str) -> Duration {
    let t = Instant::now();
    check_all(text);
    let d = t.elapsed();
    eprintln!("{label}: {} bytes in {d:?}", text.len());
    d
}

#[test]
fn one_ten_megabyte_line_is_linear() {
    // Anchors everywhere: every parser sees its keyword, nothing completes.
    let unit = "oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/kubepods.slice/ Killed process 1 (x [ pid ] ";
    let line: String = unit.repeat(10 * 1024 * 1024 / unit.len());
    assert!(timed("10 MB line", &line) < Duration::from_secs(10));
    let spaces = " ".repeat(10 * 1024 * 1024) + "Killed process 7 (y) total-vm:1kB";
    assert!(timed("10 MB of blanks", &spaces) < Duration::from_secs(10));
}

/// Short lines, mostly anchored, with a report header every 1000 lines so that every line is
/// read in full (the reader's slowest mode).
fn short_lines(n: u32) -> String {
    let mut text = String::with_capacity(24 * n as usize);
    for i in 0..n {
        if i % 1000 == 0 {
            text.push_str("x invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0\n");
        } else if i % 2 == 0 {
            text.push_str("[ 1.0] oom zoom room\n");
        } else {
            text.push_str("[ 1.0] memory ok\n");
        }
    }
    text
}

#[test]
fn a_million_short_lines_is_linear() {
    let quarter = timed("250k lines", &short_lines(250_000));
    let full = timed("1M lines", &short_lines(1_000_000));
    // Linear: 4× the input costs about 4× the time (10× allowed for noise on a shared machine);
    // the absolute bound is for an unoptimised build on a loaded 2-core runner.
    assert!(
        full < quarter * 10 + Duration::from_millis(500),
        "{quarter:?} vs {full:?}"
    );
    assert!(full < Duration::from_secs(60));
    // A group kill listing a hundred thousand members stays linear too.
    let mut group = String::from("Memory cgroup out of memory: Killed process 1 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB\nTasks in /x are going to be killed due to memory.oom.group set\n");
    for pid in 2..100_000 {
        group.push_str(&format!("Memory cgroup out of memory: Killed process {pid} (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n"));
    }
    let r = dmesg::read(&group);
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].details.group_killed_pids.len(), 99_998);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(512), ..ProptestConfig::default() })]

    /// `lines_containing` cuts out exactly the lines `numbered` gives that hold a needle, with the
    /// same numbers (texts with `\r\n`, blank lines, needles across lines, no final newline).
    #[test]
    fn lines_containing_agrees_with_numbered(
        text in "(oomd|due to |x|y| |\r|\n|\r\n){0,60}",
    ) {
        use oomlens_core::diag::lines::{lines_containing, numbered};
        let needles = ["oomd", "due to "];
        let want: Vec<(usize, &str)> = numbered(&text)
            .filter(|l| needles.iter().any(|n| l.text.contains(n)))
            .map(|l| (l.number, l.text))
            .collect();
        let got: Vec<(usize, &str)> = lines_containing(&text, &needles)
            .map(|l| (l.number, l.text))
            .collect();
        prop_assert_eq!(got, want);
    }

    /// `lines_holding` finds, per group, exactly the lines holding one of the group's needles,
    /// across the search's 16 KiB chunks (the text is padded past several of them, so needles
    /// straddle chunk ends), and `lines_containing` agrees on texts of that size too.
    #[test]
    fn lines_holding_agrees_with_a_per_line_search(
        pieces in prop::collection::vec("(oomd|due to |OOM killer|oom|x|y| |\r|\n|\r\n){1,8}", 1..40),
        pad in 1usize..2000,
    ) {
        use oomlens_core::diag::lines::{lines_containing, lines_holding, numbered};
        let mut text = String::new();
        for (k, p) in pieces.iter().enumerate() {
            text.push_str(p);
            text.push_str(&"z".repeat(pad * (k % 7)));
        }
        let lines: Vec<_> = numbered(&text).collect();
        let groups: [&[&str]; 3] = [&["oomd", "due to "], &["OOM killer"], &["oom"]];
        let got = lines_holding(&text, &lines, &groups);
        for (g, needles) in groups.iter().enumerate() {
            let want: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| needles.iter().any(|n| l.text.contains(n)))
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(&got[g], &want, "group {}", g);
            let by_search: Vec<usize> = lines_containing(&text, needles).map(|l| l.number - 1).collect();
            prop_assert_eq!(by_search, want);
        }
    }
}

#[test]
fn quoted_printable_soft_breaks_stay_linear() {
    // One logical line of a million pieces, anchors in every piece, and a million short logical
    // lines each cut in two: each piece is read a bounded number of times.
    let chain = "oom Kill =3D=\n".repeat(1_000_000);
    assert!(timed("1M-piece logical line", &chain) < Duration::from_secs(20));
    let quarter = timed(
        "250k cut lines",
        &"[ 1.0] oom-kill:x=3D=\ny\n".repeat(250_000),
    );
    let full = timed(
        "1M cut lines",
        &"[ 1.0] oom-kill:x=3D=\ny\n".repeat(1_000_000),
    );
    assert!(
        full < quarter * 10 + Duration::from_millis(500),
        "{quarter:?} vs {full:?}"
    );
}

#[test]
fn many_systemd_unit_lines_stay_linear() {
    // Runs of one line each (every line its own block) and one run of distinct units.
    let apart = |n: usize| -> String {
        (0..n)
            .map(|i| format!("systemd[1]: u{i}.service: A process of this unit has been killed by the OOM killer.\nx\nx\nx\nx\nx\nx\n"))
            .collect()
    };
    let together = |n: usize| -> String {
        (0..n)
            .map(|i| format!("systemd[1]: u{i}.scope: A process of this unit has been killed by the OOM killer.\n"))
            .collect()
    };
    for make in [apart, together] {
        let quarter = timed("25k unit lines", &make(25_000));
        let full = timed("100k unit lines", &make(100_000));
        assert!(
            full < quarter * 10 + Duration::from_millis(500),
            "{quarter:?} vs {full:?}"
        );
    }
}
