//! Kernel OOM report reader against the real-sample corpus in `tests/fixtures/kernel/` (sources in
//! its README.md). Expected numbers were worked out by hand from the samples (page counts, kB →
//! bytes, totalpages = limit/RAM arithmetic) and, where the kernel printed a `score`, checked
//! against it.

use oomlens_core::diag::dmesg::{findings, read};
use oomlens_core::explanation::{InputKind, OomEvent};

fn load(name: &str) -> String {
    let p = format!(
        "{}/tests/fixtures/kernel/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// 1-based line of the first line containing `needle`, after line `after`.
fn line_of(text: &str, needle: &str, after: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .expect(needle)
}

fn ids(ev: &OomEvent) -> Vec<&'static str> {
    findings(ev).into_iter().map(|f| f.id()).collect()
}

/// What the report cannot prove, in English.
fn notes(ev: &OomEvent) -> String {
    oomlens_core::base::message::join_english(&ev.details.notes)
}

// --- google/cadvisor utils/oomparser/oomparser_test.go (TestStreamOOMs, 3 cases) ---

#[test]
fn cadvisor_3_13_memcg_v1_one_line_stats() {
    let t = load("cadvisor_3.13_memcg_v1_oneline_stats.log");
    let r = read(&t);
    assert_eq!(r.events.len(), 1);
    let e = &r.events[0];
    assert_eq!(e.line, 1);
    assert_eq!(e.trigger_comm.as_deref(), Some("memorymonster"));
    assert_eq!(e.constraint.as_deref(), Some("memcg"));
    assert_eq!(e.cgroup_version, Some(1));
    assert_eq!(
        (e.oom_memcg.as_deref(), e.task_memcg.as_deref()),
        (Some("/mem2"), Some("/mem2"))
    );
    assert_eq!(e.scope.as_deref(), Some("other"));
    assert_eq!(
        (e.limit_bytes, e.usage_bytes),
        (Some(980 * 1024), Some(980 * 1024))
    );
    assert!(
        e.details.memsw_limit_bytes.is_none(),
        "18014398509481983kB is PAGE_COUNTER_MAX"
    );
    let v = e.victim.as_ref().unwrap();
    assert_eq!(
        (v.pid, v.comm.as_str(), v.anon_rss_bytes, v.file_rss_bytes),
        (13536, "memorymonster", Some(920 * 1024), Some(452 * 1024))
    );
    assert_eq!(
        e.details
            .memcg_stats
            .iter()
            .find(|(k, _)| k == "rss")
            .map(|(_, v)| *v),
        Some(980 * 1024)
    );
    // One row: nr_ptes 16267 pages → pgtables bytes; page size from (920+452) kB / 343 pages.
    assert!(e.details.page_size_inferred);
    assert_eq!(e.tasks[0].pgtables_bytes, Some(16267 * 4096));
    let kc = e.kernel_choice.as_ref().unwrap();
    assert_eq!((kc.pid, kc.agrees_with_victim), (13536, true));
    // The kernel printed score 996: with swap unlimited, totalpages includes the node's swap,
    // which a memcg report does not print; the reader says so and gives the implied range.
    assert!(
        notes(e).contains("score 996") && notes(e).contains("8366035..=8374433"),
        "{}",
        notes(e)
    );
    assert_eq!(ids(e)[0], "oom.memcg_limit");
    assert_eq!(r.blocks.len(), 1);
    assert_eq!(
        (
            r.blocks[0].kind,
            r.blocks[0].first_line,
            r.blocks[0].last_line
        ),
        (InputKind::KernelOom, 1, 31)
    );
}

#[test]
fn cadvisor_3_13_global_oom_totalpages_matches_printed_score() {
    let t = load("cadvisor_3.13_global.log");
    let r = read(&t);
    assert_eq!(r.events.len(), 1);
    let e = &r.events[0];
    assert_eq!(e.constraint.as_deref(), Some("global"));
    assert_eq!(e.scope.as_deref(), Some("node"));
    assert_eq!(
        e.details.kernel_release.as_deref(),
        Some("3.13.0-27-generic")
    );
    // totalram = 445340 pages RAM − 10614 reserved; no swap.
    assert_eq!(e.details.totalpages, Some(434_726));
    assert_eq!(e.tasks.len(), 28);
    let victim_row = e.tasks.iter().find(|t| t.pid == 1532).unwrap();
    // 398810 rss + 788 nr_ptes + 0 swap; adj 0.
    assert_eq!(victim_row.badness, Some(399_598));
    // printed "score 919" = 399598 × 1000 / 434726 → no mismatch note.
    assert!(!notes(e).contains("printed score"), "{}", notes(e));
    assert_eq!(
        e.tasks.iter().filter(|t| t.badness.is_none()).count(),
        2,
        "sshd and systemd-udevd are −1000"
    );
    let kc = e.kernel_choice.as_ref().unwrap();
    assert_eq!((kc.pid, kc.agrees_with_victim), (1532, true));
    assert_eq!(e.details.selected_score, Some(919));
    assert_eq!(
        ids(e),
        [
            "oom.node",
            "oom.non_pod_victim",
            "oom.choice_agrees",
            "oom.cannot_prove"
        ]
    );
    assert_eq!(
        e.details.killed_line,
        Some(line_of(&t, "Killed process 1532", 0))
    );
}

#[test]
fn cadvisor_4_8_two_docker_ooms_among_other_logs() {
    let t = load("cadvisor_4.8_docker_v1_two_ooms.log");
    let r = read(&t);
    assert_eq!(r.events.len(), 2);
    let cases = [
        (
            1381,
            "2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50",
            20480 * 1024,
            20480 * 1024,
            10240,
            10718,
            1046,
        ),
        (
            1667,
            "6c6fcab8562fd3150854986b78552c732f234fd405b624207b8843528a145e70",
            307200 * 1024,
            307112 * 1024,
            153600,
            154063,
            1003,
        ),
    ];
    let mut after = 0;
    for (e, (pid, cid, limit, usage, total, badness, score)) in r.events.iter().zip(cases) {
        let header = line_of(&t, "invoked oom-killer", after);
        after = header;
        assert_eq!(e.line, header);
        assert_eq!(e.scope.as_deref(), Some("container"));
        assert_eq!(
            (
                e.container_id.as_deref(),
                e.runtime.as_deref(),
                e.cgroup_driver.as_deref()
            ),
            (Some(cid), Some("docker"), Some("cgroupfs"))
        );
        assert_eq!(
            e.oom_memcg.as_deref(),
            Some(format!("/docker/{cid}").as_str())
        );
        assert_eq!(
            (e.limit_bytes, e.usage_bytes, e.cgroup_version),
            (Some(limit), Some(usage), Some(1))
        );
        assert_eq!(e.victim.as_ref().map(|v| v.pid), Some(pid));
        // v1: min(limit + swap, memsw.limit) = memsw.limit in pages; nr_ptes + nr_pmds count.
        assert_eq!(e.details.totalpages, Some(total));
        assert_eq!(e.tasks[0].badness, Some(badness));
        assert_eq!(badness * 1000 / total, score);
        assert_eq!(e.details.selected_score, Some(score));
        assert_eq!(e.details.reaped_pids, [pid]);
        assert!(!e.group_kill);
        assert_eq!(ids(e)[..2], ["oom.container_limit", "k8s.process_killed"]);
    }
    // The docker0/veth lines around the reports are not part of any block.
    assert_eq!(r.blocks.len(), 2);
    assert_eq!(r.blocks[0].first_line, 15);
    assert!(r.events[0].lines.iter().all(|&l| (15..=44).contains(&l)));
}

// --- google/cadvisor oomparser_test.go TestGetContainerName / TestLastLineRegex ---

#[test]
fn cadvisor_constraint_line_and_process_names() {
    let t = load("cadvisor_constraint_line_wrapped_and_comm_names.log");
    let lines: Vec<&str> = t.lines().collect();
    // Line 2 alone: the containerLine, with the blank a wrapping terminal put into oom_memcg.
    let e = &read(lines[1]).events[0];
    assert_eq!(e.constraint.as_deref(), Some("memcg"));
    assert_eq!(
        e.oom_memcg.as_deref(),
        Some("/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012")
    );
    assert_eq!(e.scope.as_deref(), Some("pod"));
    assert_eq!(
        e.pod_uid.as_deref(),
        Some("fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012")
    );
    assert_eq!(e.qos_class.as_deref(), Some("Burstable"));
    assert_eq!(
        e.container_id.as_deref(),
        Some("ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8")
    );
    assert_eq!(
        (e.cgroup_driver.as_deref(), e.runtime.as_deref()),
        (Some("cgroupfs"), None)
    );
    assert_eq!(
        e.victim.as_ref().map(|v| (v.pid, v.comm.as_str())),
        Some((966, "manager"))
    );
    // endLine, then TestLastLineRegex's names (syslog-prefixed), each read alone.
    let names = [
        "evil-program2",
        "foo",
        "python3.4",
        "foo-bar",
        "Plex Media Server",
        "x86_64-pc-linux-gnu-c++-5.4.0",
        "[",
        "()",
        "\"with quotes\"",
    ];
    for (line, name) in lines[2..].iter().zip(names) {
        let r = read(line);
        let v = r.events[0].victim.as_ref().unwrap();
        assert_eq!(v.comm, name);
        assert_eq!(v.pid, if name == "evil-program2" { 19667 } else { 1234 });
        assert_eq!(v.anon_rss_bytes, Some(1414008 * 1024));
    }
}

// --- kmsg records with every kubepods layout (public Go test of a pod-UID extractor; README) ---

#[test]
fn kmsg_kubepods_layouts_pod_uid_and_container_id() {
    let t = load("kmsg_kubepods_layouts.log");
    let r = read(&t);
    // (scope, pod uid, container id, runtime, driver, qos), one row per upstream case.
    let want = [
        (
            "container",
            "d11ab7b0-d6db-4a24-a7de-4a2faf1e6980",
            "9f02d9fa0049eb2655fc83c765f142362b2cb403b57b70ba3185071015ca3b64",
            None,
            "cgroupfs",
            "Burstable",
        ),
        (
            "pod",
            "dfc377c9-c533-4d51-af9e-6e0e0b3db83b",
            "2260b35b008a15bd118e629c0c5d74e7f3a1fe18c724fbac61a54862fea196dc",
            Some("docker"),
            "systemd",
            "Burstable",
        ),
        (
            "pod",
            "a545513b-a800-49da-8c45-915a953b7e78",
            "8322349cef4bf170dd786ad06ddf91c3871c4c097d335eaa1a5a588edfcfeb67",
            None,
            "cgroupfs",
            "Burstable",
        ),
        (
            "pod",
            "ce695e83-cccc-4fb7-a7a1-1c6dbe0f60df",
            "a33e224c8e2f6ed2cd43ffdd03ab1aad260261ea978acf210fb9be342c0a7c24",
            None,
            "cgroupfs",
            "Guaranteed",
        ),
        (
            "pod",
            "2646e12c-77c3-4d44-a574-6ab00819cb32",
            "bd65f4bcf85453bfede70a93c056441aa857ad145e2948d6ea0be1d6b4fbe7d2",
            Some("containerd"),
            "systemd",
            "Burstable",
        ),
        (
            "pod",
            "0286b1b7-3c5a-45da-b2f0-1018921d9229",
            "3fe4c92b3859cfd884d3d336561b813533219cd0cf8ed4b525ab38e9c17d43b9",
            Some("containerd"),
            "systemd",
            "Guaranteed",
        ),
    ];
    assert_eq!(r.events.len(), want.len());
    for (i, (e, (scope, uid, cid, rt, drv, qos))) in r.events.iter().zip(want).enumerate() {
        assert_eq!(e.line, i + 1);
        assert_eq!(e.scope.as_deref(), Some(scope), "row {i}");
        assert_eq!(e.pod_uid.as_deref(), Some(uid), "row {i}");
        assert_eq!(e.container_id.as_deref(), Some(cid), "row {i}");
        assert_eq!(e.runtime.as_deref(), rt, "row {i}");
        assert_eq!(e.cgroup_driver.as_deref(), Some(drv), "row {i}");
        assert_eq!(e.qos_class.as_deref(), Some(qos), "row {i}");
    }
}

// --- real Kubernetes reports ---

#[test]
fn aks_kubepods_level_oom_with_group_kill() {
    let t = load("aks_syslog_kubepods_oom_group.log");
    let r = read(&t);
    assert_eq!(
        r.events.len(),
        1,
        "the node-problem-detector echo is not a kernel line"
    );
    let e = &r.events[0];
    assert_eq!(e.oom_memcg.as_deref(), Some("/kubepods.slice"));
    assert_eq!(e.scope.as_deref(), Some("kubepods"));
    assert_eq!(
        e.pod_uid.as_deref(),
        Some("10d16a28-60ff-475f-a631-510d9792219f")
    );
    assert_eq!(
        (
            e.runtime.as_deref(),
            e.cgroup_driver.as_deref(),
            e.qos_class.as_deref()
        ),
        (Some("containerd"), Some("systemd"), Some("Burstable"))
    );
    assert!(e.group_kill);
    assert_eq!(
        e.cgroup_version,
        Some(2),
        "memory.oom.group exists on v2 only"
    );
    assert!(
        e.details.group_killed_pids.is_empty(),
        "the victim's repeat is not another member"
    );
    let v = e.victim.as_ref().unwrap();
    assert_eq!(
        (v.pid, v.oom_score_adj, v.anon_rss_bytes),
        (68061, Some(872), Some(2884696 * 1024))
    );
    assert_eq!(e.details.victim_pgtables_bytes, Some(5696 * 1024));
    assert_eq!(e.lines, [1, 2, 3, 4]);
    assert_eq!(ids(e)[..2], ["oom.kubepods_limit", "k8s.collateral"]);
    let collateral = &findings(e)[1];
    assert!(collateral.english().contains("OOMKilled"));
}

#[test]
fn pod_level_limit_with_group_kill_6x_table_header() {
    let t = load("memoryqos_pod_limit_grep_dmesg.log");
    let r = read(&t);
    assert_eq!(r.events.len(), 1);
    let e = &r.events[0];
    assert_eq!((e.line, e.trigger_comm.as_deref()), (1, Some("Thread-2")));
    assert_eq!(e.details.trigger_oom_score_adj, Some(969));
    assert_eq!(e.scope.as_deref(), Some("pod"));
    assert_eq!(
        e.pod_uid.as_deref(),
        Some("94eb36cd-29e1-478b-b365-4cb5dfc7d6fb")
    );
    assert_eq!(
        e.container_id.as_deref().map(|c| &c[..12]),
        Some("46b3e0a4df44")
    );
    assert_eq!(
        (e.limit_bytes, e.usage_bytes),
        (Some(4 << 30), Some(4 << 30))
    );
    assert_eq!(
        e.details.table_columns.len(),
        11,
        "rss_anon rss_file rss_shmem header (≥ 6.8)"
    );
    assert!(e.tasks.is_empty(), "grep kept the header but no rows");
    assert!(e.group_kill);
    assert_eq!(ids(e)[..2], ["oom.pod_limit", "k8s.oomkilled"]);
    assert!(ids(e).contains(&"oom.no_task_table"));
}

#[test]
fn kubernetes_56891_thread_selected_and_second_header() {
    let t = load("kubernetes_56891_centos7_3.10_dmesg_T_excerpt.log");
    let r = read(&t);
    assert_eq!(r.events.len(), 2);
    let e = &r.events[0];
    assert_eq!(
        e.constraint.as_deref(),
        Some("memcg"),
        "from `Memory cgroup out of memory: Kill process`"
    );
    assert_eq!(e.cgroup_version, Some(1));
    assert_eq!(
        e.pod_uid.as_deref(),
        Some("95387fa4-da9c-11e7-9d36-5254b24cbf5e")
    );
    assert_eq!(e.qos_class.as_deref(), Some("Guaranteed"));
    assert_eq!(
        e.scope, None,
        "the excerpt starts after the oom line: which level hit the limit is unknown"
    );
    assert_eq!(
        (e.details.selected_pid, e.details.selected_score),
        (Some(24572), Some(0))
    );
    assert_eq!(e.victim.as_ref().map(|v| v.pid), Some(28438));
    assert_eq!(e.tasks[0].oom_score_adj, -998);
    let kc = e.kernel_choice.as_ref().unwrap();
    assert!(kc.agrees_with_victim);
    assert!(kc.why.contains("names a thread"), "{}", kc.why);
    let second = &r.events[1];
    assert_eq!(
        (second.line, second.details.trigger_oom_score_adj),
        (6, Some(-998))
    );
    assert_eq!(
        second.details.kernel_release.as_deref(),
        Some("3.10.0-327.4.5.el7.x86_64")
    );
    // The cpuset line names the allocating task's container; with no victim (the excerpt stops
    // before the kill) it is not the event's container.
    assert_eq!(
        second.details.cpuset.as_deref(),
        Some("1e479e759020fa0b6c72def90973540a2d33982fea2ad67a96373b4da751a820")
    );
    assert_eq!(second.container_id, None);
    assert!(second.victim.is_none());
}

#[test]
fn nested_lxc_kubepods_journal_with_microseconds() {
    let t = load("gpud_70_journal_lxc_nested_kubepods.log");
    let e = &read(&t).events[0];
    assert_eq!(e.scope.as_deref(), Some("pod"));
    assert_eq!(
        e.pod_uid.as_deref(),
        Some("eded8c65-6e8e-4c6e-a889-3e427565c740")
    );
    assert_eq!(
        e.container_id.as_deref().map(|c| &c[..12]),
        Some("ec9ee26695de")
    );
    assert_eq!(
        e.victim.as_ref().map(|v| (v.pid, v.comm.as_str())),
        Some((461754, "pt_main_thread"))
    );
    assert_eq!(e.details.victim_uid, Some(0));
}

#[test]
fn oom_group_members_and_caller_ids() {
    let t = load("lkml_oom_group_test1_caller_id.log");
    let e = &read(&t).events[0];
    assert!(e.group_kill);
    assert_eq!(e.details.group_kill_path.as_deref(), Some("/test1"));
    assert_eq!(e.details.group_killed_pids, [1]);
    assert_eq!(e.details.reaped_pids, [9188]);
    assert_eq!(e.lines, [1, 2, 3, 4]);
}

// --- global OOMs with full task tables (OOMAnalyser samples, linux-oom-parser example) ---

#[test]
fn global_reports_recompute_the_kernels_choice() {
    // (file, victim, kernel, totalpages, victim badness)
    let cases = [
        // 4115400 − 97082 + 25165820 kB / 4 = 4018318 + 6291455
        (
            "oomanalyser_archlinux_6.1.1_global.log",
            473206,
            "6.1.1-arch1-1",
            10_309_773,
            None,
        ),
        // 8379834 − 192987 + 8388604/4; printed score 651 = badness × 1000 / totalpages
        (
            "oomanalyser_rhel7_3.10_global.log",
            6576,
            "3.10.0-514.6.1.el7.x86_64",
            10_283_998,
            None,
        ),
        (
            "oomanalyser_ubuntu_5.13_sysrq.log",
            651,
            "5.13.0-19-generic",
            506_349,
            None,
        ),
        // adj 1000 × (18744872 / 1000) + rss 574 (pgtables 48 kB < 1 page)
        (
            "linux-oom-parser_nixos_6.18_sysrq.log",
            55817,
            "6.18.52",
            18_744_872,
            Some(18_744_574),
        ),
    ];
    for (file, victim, kernel, total, badness) in cases {
        let t = load(file);
        let r = read(&t);
        assert_eq!(r.events.len(), 1, "{file}");
        let e = &r.events[0];
        assert_eq!(e.constraint.as_deref(), Some("global"), "{file}");
        assert_eq!(e.details.kernel_release.as_deref(), Some(kernel), "{file}");
        assert!(e.details.page_size_inferred, "{file}");
        assert_eq!(e.details.totalpages, Some(total), "{file}");
        let kc = e.kernel_choice.as_ref().unwrap();
        assert_eq!(
            (kc.pid, kc.agrees_with_victim),
            (victim, true),
            "{file}: {}",
            kc.why
        );
        if let Some(b) = badness {
            assert_eq!(
                e.tasks
                    .iter()
                    .find(|t| t.pid == victim)
                    .and_then(|t| t.badness),
                Some(b)
            );
        }
        if let Some(score) = e.details.selected_score {
            let b = e
                .tasks
                .iter()
                .find(|t| t.pid == victim)
                .and_then(|t| t.badness)
                .unwrap();
            assert_eq!(b * 1000 / total, score, "{file}");
        }
    }
    let sysrq = read(&load("oomanalyser_ubuntu_5.13_sysrq.log"));
    assert_eq!(ids(&sysrq.events[0])[0], "oom.sysrq", "order=-1 is SysRq-f");
}

#[test]
fn proxmox_dmesg_t_german_locale_memcg_v2_with_multiline_stats() {
    let t = load("oomanalyser_proxmox_5.15_memcg_dmesg_T_de.log");
    let e = &read(&t).events[0];
    assert_eq!(e.constraint.as_deref(), Some("memcg"));
    assert_eq!(e.cgroup_version, Some(2));
    assert_eq!(e.oom_memcg.as_deref(), Some("/lxc/39004"));
    assert_eq!(
        (
            e.runtime.as_deref(),
            e.container_id.as_deref().map(|c| &c[..12])
        ),
        (Some("docker"), Some("a59e4e7d3090"))
    );
    assert_eq!(e.limit_bytes, Some(31_211_520 * 1024));
    assert!(
        e.details.memcg_stats.iter().any(|(k, _)| k == "anon"),
        "multi-line v2 memory.stat body read"
    );
    let kc = e.kernel_choice.as_ref().unwrap();
    assert_eq!((kc.pid, kc.agrees_with_victim), (3902942, true));
}

#[test]
fn dmesg_t_japanese_locale_global_without_mem_info() {
    let t = load("stardust_dmesg_T_ja_global_6.x.log");
    let e = &read(&t).events[0];
    assert_eq!((e.line, e.trigger_comm.as_deref()), (1, Some("systemd")));
    assert_eq!(
        (e.constraint.as_deref(), e.scope.as_deref()),
        (Some("global"), Some("node"))
    );
    assert_eq!(e.details.totalpages, None);
    assert!(notes(e).contains("pages RAM"));
    assert_eq!(
        e.victim.as_ref().map(|v| v.anon_rss_bytes),
        Some(Some(15_096_608 * 1024))
    );
}

#[test]
fn six_eight_rss_columns_and_unknown_totalpages() {
    let e = &read(&load("deepin_1138_6.8_rss_columns.log")).events[0];
    assert_eq!(e.tasks.len(), 2);
    let mm = &e.tasks[1];
    assert_eq!(
        (
            mm.pid,
            mm.rss_pages,
            mm.rss_anon_pages,
            mm.rss_file_pages,
            mm.pgtables_bytes
        ),
        (156, 153345, Some(153345), Some(0), Some(1_269_760))
    );
    // Same adj for both: the order is known without totalpages.
    assert_eq!(e.kernel_choice.as_ref().map(|k| k.pid), Some(156));
    let e = &read(&load("relate_1383_dmesg_T_6.x_table_excerpt.log")).events[0];
    assert_eq!(e.tasks.len(), 8);
    assert!(
        e.kernel_choice.is_none(),
        "adj differ and totalpages unknown"
    );
    assert_eq!(e.tasks[1].oom_score_adj, -1000);
}

// --- synthetic samples on top: tie rules, child sacrifice, interleaving ---

#[test]
fn tie_goes_to_the_later_task_on_new_kernels_and_the_first_on_old() {
    let mk = |kernel: &str| {
        format!(
            "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n\
             CPU: 1 PID: 10 Comm: a Not tainted {kernel} #1\n\
             memory: usage 4096kB, limit 4096kB, failcnt 1\n\
             [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n\
             [     10]     0    10     1000      500     4096        0             0 a\n\
             [     11]     0    11     1000      500     4096        0             0 b\n\
             oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/x,task_memcg=/x,task=a,pid=10,uid=0\n\
             Memory cgroup out of memory: Killed process 10 (a) total-vm:4000kB, anon-rss:2000kB, file-rss:0kB, shmem-rss:0kB\n"
        )
    };
    let new = read(&mk("6.1.0")).events.remove(0);
    let kc = new.kernel_choice.unwrap();
    assert_eq!((kc.pid, kc.agrees_with_victim), (11, false));
    assert!(kc.why.contains("tie"), "{}", kc.why);
    let old = read(&mk("4.4.0")).events.remove(0);
    assert_eq!(
        old.kernel_choice.map(|k| (k.pid, k.agrees_with_victim)),
        Some((10, true))
    );
}

#[test]
fn interleaved_reports_do_not_merge_and_fragments_split() {
    let a = load("cadvisor_3.13_memcg_v1_oneline_stats.log");
    let b = load("aks_syslog_kubepods_oom_group.log");
    let mut text = String::new();
    for i in 0..3 {
        text.push_str(&format!(
            "Jun 24 18:00:0{i} host sshd[1]: Accepted publickey for root\n"
        ));
    }
    text.push_str(&a);
    text.push_str("Jun 24 18:10:00 host kubelet[2]: I0624 pod status unchanged\n");
    text.push_str(&b);
    let r = read(&text);
    assert_eq!(r.events.len(), 2);
    assert_eq!(r.events[0].line, 4);
    assert_eq!(r.events[1].oom_memcg.as_deref(), Some("/kubepods.slice"));
    assert_eq!(r.blocks.len(), 2);
}

#[test]
fn findings_carry_evidence_and_args() {
    let e = &read(&load("memoryqos_pod_limit_grep_dmesg.log")).events[0];
    let fs = findings(e);
    let v = &fs[0];
    assert!(
        v.lines.contains(&1) && v.lines.contains(&6) && v.lines.contains(&11),
        "{:?}",
        v.lines
    );
    // The limit travels as bytes inside the `limits` clause (the UI formats it).
    use oomlens_core::base::message::Arg;
    let Some(Arg::List(limits, _)) = v.message.arg("limits") else {
        panic!("{:?}", v.message)
    };
    assert!(
        limits
            .iter()
            .any(|m| m.arg("limit") == Some(&Arg::Bytes(4_294_967_296))),
        "{limits:?}"
    );
    assert!(v.advice.is_some());
}
