//! Kernel lines as users paste them into issues and mails: behind quote markers, in older kill-line
//! forms, cut by a title, or a lone reaper line. Real pastes from `tests/fixtures/kernel/` (sources
//! in its README.md); each test asserts the facts the paste plainly shows, and that nothing is
//! invented where it is cut.

use oomlens_core::explain;
use oomlens_core::explanation::Explanation;

fn explain_fixture(name: &str) -> Explanation {
    let p = format!(
        "{}/tests/fixtures/kernel/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
    explain(&text)
}

/// `(pid, comm)` of each event's victim.
fn victims(ex: &Explanation) -> Vec<Option<(i64, String)>> {
    ex.oom_events
        .iter()
        .map(|e| e.victim.as_ref().map(|v| (v.pid, v.comm.clone())))
        .collect()
}

#[test]
fn a_mail_quoted_header_gives_the_trigger_without_the_quote() {
    let ex = explain_fixture("lkml_quoted_wrapped72_header_4.9_ppc_rientjes_2018.log");
    assert_eq!(ex.oom_events.len(), 1);
    let e = &ex.oom_events[0];
    assert_eq!(e.trigger_comm.as_deref(), Some("S99watchdogd-ap"));
    assert_eq!(e.details.trigger_pid, Some(777));
    assert_eq!(e.details.time.as_deref(), Some("54.400754"));
    assert!(e.victim.is_none(), "this part of the mail has no kill line");
}

#[test]
fn a_markdown_quoted_dmesg_names_its_victim_and_groups_the_selected_kills() {
    let ex = explain_fixture("quoted_dmesg_cut_first_line_ruby_logzio_k8s_8.log");
    // Four `Kill process … (ruby2.3) score 1792 or sacrifice child` without their kill lines,
    // and one whole kill of 371792 (kill line, table row, reaper line).
    assert_eq!(
        victims(&ex),
        vec![None, Some((371792, "ruby2.3".to_string()))]
    );
    let selected = &ex.oom_event_groups[0];
    assert_eq!(selected.count, 4);
    assert_eq!(
        selected.selected_pids,
        vec![3685518, 859933, 2442358, 2316873]
    );
    assert_eq!(
        selected.first_time, None,
        "the first line is cut inside its time"
    );
    assert_eq!(selected.last_time.as_deref(), Some("853128.254617"));
    let killed = &ex.oom_events[1];
    assert_eq!(ex.oom_event_groups[1].count, 1);
    let v = killed
        .victim
        .as_ref()
        .map(|v| (v.anon_rss_bytes, v.file_rss_bytes));
    assert_eq!(v, Some((Some(149212 * 1024), Some(10492 * 1024))));
    assert_eq!(killed.details.selected_score, Some(1775));
    assert_eq!(killed.details.reaped_pids, vec![371792]);
    assert_eq!(killed.constraint.as_deref(), Some("memcg"));
    // Its task-table row (printed without a header) gives the oom_score_adj 994.
    let row_adj: Vec<i64> = killed.tasks.iter().map(|t| t.oom_score_adj).collect();
    assert!(row_adj.is_empty() || row_adj == vec![994], "{row_adj:?}");
}

#[test]
fn quoted_kills_with_the_uid_after_the_command_are_one_group_of_eight() {
    let ex = explain_fixture("quoted_killed_process_uid_after_comm_k8s_50632.log");
    assert_eq!(victims(&ex), vec![Some((799153, "node".to_string()))]);
    let g = &ex.oom_event_groups[0];
    assert_eq!(g.count, 8);
    assert_eq!(
        g.victim_pids,
        vec![799153, 799402, 799889, 799707, 799791, 800660, 800329, 801542]
    );
    assert_eq!(g.first_time.as_deref(), Some("Nov 30 10:16:57"));
    assert_eq!(g.last_time.as_deref(), Some("Nov 30 10:17:02"));
    let e = &ex.oom_events[0];
    assert_eq!(e.details.victim_uid, Some(1000));
    assert_eq!(
        e.victim.as_ref().and_then(|v| v.anon_rss_bytes),
        Some(68308 * 1024)
    );
}

#[test]
fn the_rhel6_kill_line_with_the_uid_before_the_command() {
    let ex = explain_fixture("rhel6_killed_process_uid_grep_cpanel_ssp_76.log");
    assert_eq!(victims(&ex), vec![Some((11726, "mysqld".to_string()))]);
    let e = &ex.oom_events[0];
    assert_eq!(e.details.victim_uid, Some(498));
    let v = e
        .victim
        .as_ref()
        .map(|v| (v.anon_rss_bytes, v.file_rss_bytes));
    assert_eq!(v, Some((Some(2539268 * 1024), Some(768 * 1024))));
    assert_eq!(e.details.victim_total_vm_bytes, Some(7823732 * 1024));
    assert_eq!(e.details.time.as_deref(), Some("Mar  2 17:35:10"));
}

#[test]
fn the_interim_kill_line_form_gives_the_uid() {
    let ex = explain_fixture("syslog_kill_sacrifice_killed_uid_comma_ltp_1080.log");
    // A bare `Killed process …, UID 0,` (its `Kill process` line is above the excerpt), four
    // whole kills, and a last `Kill process` line whose kill line is cut away (no victim).
    let uids: Vec<_> = ex
        .oom_events
        .iter()
        .map(|e| (e.victim.as_ref().map(|v| v.pid), e.details.victim_uid))
        .collect();
    assert_eq!(
        uids,
        vec![(Some(42452), Some(0)), (Some(42453), Some(0)), (None, None)]
    );
    assert_eq!(ex.oom_event_groups[1].count, 4);
    assert_eq!(
        ex.oom_event_groups[1].victim_pids,
        vec![42453, 42474, 42471, 42468]
    );
    assert_eq!(ex.oom_event_groups[2].selected_pids, vec![42469]);
}

#[test]
fn a_kill_line_cut_inside_a_number_does_not_read_it() {
    // `… UID:0 pgtables:1` — the title ended there; `1` is not a value.
    let ex = explain_fixture("title_cut_killed_process_tugraph_977.txt");
    let e = &ex.oom_events[0];
    assert_eq!(
        e.victim
            .as_ref()
            .map(|v| (v.pid, v.comm.as_str(), v.oom_score_adj)),
        Some((928883, "lgraph_server", None))
    );
    assert_eq!(e.details.victim_pgtables_bytes, None);
    assert_eq!(e.details.victim_uid, Some(0));
    assert_eq!(
        e.victim.as_ref().and_then(|v| v.anon_rss_bytes),
        Some(47809896 * 1024)
    );
}

#[test]
fn a_lone_reaper_line_names_an_oom_victim() {
    let ex = explain_fixture("syslog_oom_reaper_line_tugraph_977.log");
    assert_eq!(
        victims(&ex),
        vec![Some((68768, "lgraph_server".to_string()))]
    );
    let e = &ex.oom_events[0];
    assert_eq!(e.details.reaper_line, Some(1));
    assert_eq!(e.details.reaped_pids, vec![68768]);
    assert_eq!(
        e.constraint, None,
        "the reaper line does not say which limit"
    );
    let verdict = &ex.findings[0];
    assert_eq!(verdict.id(), "oom.unknown");
    assert_eq!(verdict.lines, vec![1]);
}

#[test]
fn a_sacrifice_child_report_without_a_version_is_scored_by_the_rule_before_5_9() {
    // `Kill process 62685 (bash) score 0 or sacrifice child`: that line left the kernel in 2019,
    // long before 5.9's signed badness. Under the older rule badness is floored at 1, and
    // 1 × 1000 / 131072 = 0 is exactly the score printed: no discrepancy to report.
    let ex = explain_fixture("dmesg_wrapped_col178_kubepods_v1_kubedirector_356.log");
    let e = &ex.oom_events[0];
    assert_eq!(e.details.selected_pid, Some(62685));
    assert_eq!(e.details.selected_score, Some(0));
    assert_eq!(e.details.totalpages, Some(131072));
    let rows: Vec<_> = e
        .tasks
        .iter()
        .map(|t| (t.pid, t.oom_score_adj, t.badness))
        .collect();
    assert_eq!(rows, vec![(62685, -998, Some(1)), (62769, -998, Some(1))]);
    assert!(e
        .details
        .badness_rule
        .as_deref()
        .is_some_and(|r| r.contains("older than 5.9")));
    assert!(
        e.details
            .notes
            .iter()
            .all(|n| n.id != "oom.note.printed_score_differs"),
        "{:?}",
        e.details.notes
    );
    assert_eq!(
        e.pod_uid.as_deref(),
        Some("951f6bc5-c5a5-11ea-8707-80e455f266a2")
    );
    assert_eq!(e.qos_class.as_deref(), Some("Guaranteed"));
}

#[test]
fn a_grep_filtered_table_without_the_victim_does_not_contradict_the_kernel() {
    // `sudo dmesg | grep oom`: only the systemd-oomd row (adj −900) of the table survives.
    let ex = explain_fixture("dmesg_grep_oom_6x_rss_columns_global_plymouth_nixpkgs_307068.log");
    let e = ex
        .oom_events
        .iter()
        .find(|e| !e.tasks.is_empty())
        .expect("the event with the filtered table");
    assert_eq!(
        e.victim.as_ref().map(|v| (v.pid, v.comm.as_str())),
        Some((265, "plymouthd"))
    );
    let rows: Vec<_> = e.tasks.iter().map(|t| (t.pid, t.oom_score_adj)).collect();
    assert_eq!(rows, vec![(963, -900)]);
    assert!(ex.findings.iter().all(|f| f.id() != "oom.choice_differs"));
    assert!(ex
        .findings
        .iter()
        .any(|f| f.id() == "oom.choice_partial_table"));
}

#[test]
fn the_allocating_tasks_cpuset_is_not_the_victims_container() {
    // A docker fork bomb: python3 in container 3a166877… allocates, the kernel kills
    // containerd-shim and then containerd, both in /system.slice/containerd.service.
    let ex = explain_fixture("dmesg_Tw_global_oom_interleaved_slub_docker_fork_bomb.log");
    let got: Vec<_> = ex
        .oom_events
        .iter()
        .map(|e| {
            (
                e.constraint.as_deref(),
                e.victim
                    .as_ref()
                    .map(|v| (v.pid, v.comm.as_str(), v.oom_score_adj)),
                e.task_memcg.as_deref(),
                e.container_id.as_deref(),
                e.details.trigger_pid,
            )
        })
        .collect();
    let memcg = Some("/system.slice/containerd.service");
    assert_eq!(
        got,
        vec![
            (
                Some("global"),
                Some((3143527, "containerd-shim", Some(1))),
                memcg,
                None,
                Some(3143648)
            ),
            (
                Some("global"),
                Some((2296209, "containerd", Some(0))),
                memcg,
                None,
                Some(3143637)
            ),
        ]
    );
    let cpuset = "3a166877f91031145f6dc491df3c915c57f1439f4b3bcea4c6a37d1885ea27ea";
    assert!(ex
        .oom_events
        .iter()
        .all(|e| e.details.cpuset.as_deref() == Some(cpuset)));
}

#[test]
fn rows_above_a_headerless_fragment_and_a_pager_chopped_line() {
    // Rows of a 6.x table (10 numbers: the `rss_anon rss_file rss_shmem` layout) whose header is
    // above the paste, then `oom-kill:` chopped by `less` (`…/vte-s>`), kill and reaper.
    let ex = explain_fixture("truncated_pager_oomkill_line_nixpkgs_435587.txt");
    assert_eq!(ex.oom_events.len(), 1);
    let e = &ex.oom_events[0];
    assert_eq!((ex.inputs[0].first_line, ex.inputs[0].last_line), (1, 6));
    assert_eq!(e.constraint.as_deref(), Some("global"));
    // The chopped value is not read as a path; pid/uid after it are gone, not guessed.
    assert_eq!(e.task_memcg, None);
    let v = e.victim.as_ref().expect("victim");
    assert_eq!((v.pid, v.comm.as_str()), (1055041, "nix-env"));
    assert_eq!(v.oom_score_adj, Some(200));
    let rows: Vec<(i64, &str, i64, i64, Option<i64>)> = e
        .tasks
        .iter()
        .map(|t| {
            (
                t.pid,
                t.comm.as_str(),
                t.rss_pages,
                t.oom_score_adj,
                t.rss_anon_pages,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (1055041, "nix-env", 1262242, 200, Some(1262089)),
            (1055128, "Isolated Servic", 4225, 100, Some(3950)),
            (1055244, "atop", 3479, 0, Some(3281)),
        ]
    );
    assert_eq!(e.tasks[0].pgtables_bytes, Some(10272768));
    // The table is cut at the top: the choice is not checked against it.
    assert!(e.kernel_choice.is_none());
    assert!(e
        .details
        .notes
        .iter()
        .any(|n| n.id == "oom.note.table_headerless"));
}

#[test]
fn seven_number_rows_without_header_are_not_guessed() {
    // `[pid] uid tgid total_vm rss X Y oom_score_adj name` fits three layouts: not read.
    let text = "[ 1381]     0  1381   530382     5191      34     5489             0 gunpowder\nOut of memory: Killed process 1381 (gunpowder) total-vm:2121528kB, anon-rss:20000kB, file-rss:764kB, shmem-rss:0kB\n";
    let ex = explain(text);
    assert_eq!(ex.oom_events.len(), 1);
    assert!(ex.oom_events[0].tasks.is_empty());
    assert_eq!(ex.inputs[0].first_line, 2);
}

#[test]
fn priority_prefixes_and_a_three_way_tie_on_an_unknown_release() {
    let ex = explain_fixture("priority_prefix_openwrt_oom_nossiac_mtk_67.txt");
    assert_eq!(
        victims(&ex),
        vec![Some((472, "askfirst".to_string())), None]
    );
    let e = &ex.oom_events[0];
    assert_eq!(e.tasks.len(), 3);
    // rss 7 + nr_ptes 3 each: a tie. A `… or sacrifice child` report is older than 5.9 and does
    // not say whether it is ≤ 5.2 (first kept) or 5.3–5.8 (last kept): the victim is one the
    // kernel could pick, not a disagreement.
    let c = e.kernel_choice.as_ref().expect("choice");
    assert_eq!(c.pid, 472);
    assert!(c.agrees_with_victim);
    assert!(c
        .why_parts
        .iter()
        .any(|m| m.id == "choice.tie_rule_unknown"));
    assert!(!ex
        .findings
        .iter()
        .any(|f| f.id() == "oom.allocating_task" || f.id() == "oom.choice_differs"));
}

#[test]
fn dmesg_iso_times_behind_a_prompt() {
    let ex = explain_fixture("dmesg_time_format_iso_equinor_ert_7797.txt");
    assert_eq!(victims(&ex), vec![Some((1440763, "perl".to_string()))]);
    let e = &ex.oom_events[0];
    assert_eq!(e.trigger_comm.as_deref(), Some("pool"));
    assert_eq!(e.constraint.as_deref(), Some("global"));
    assert_eq!(
        e.task_memcg.as_deref(),
        Some("/user.slice/user-21417.slice/user@21417.service")
    );
    assert_eq!(
        e.details.time.as_deref(),
        Some("2024-04-29T14:55:41,678628+02:00")
    );
    assert_eq!(e.victim.as_ref().and_then(|v| v.oom_score_adj), Some(0));
    // The reaper's line five seconds later belongs to the same kill.
    assert!(e.lines.contains(&7), "{:?}", e.lines);
}

#[test]
fn a_raw_kmsg_record() {
    let ex = explain_fixture("kmsg_record_zehonghuang_blog_oomkilled_multiproc.txt");
    assert_eq!(ex.oom_events.len(), 1);
    let e = &ex.oom_events[0];
    assert_eq!(e.scope.as_deref(), Some("pod"));
    assert_eq!(
        e.pod_uid.as_deref(),
        Some("57a0b3fe-c602-4585-b2f3-b07076fb3961")
    );
    assert_eq!(
        e.container_id.as_deref(),
        Some("8471f80af7984ef5d596dc9959c1d8f8b38fe0ac2b323dbbce301a05d836e45b")
    );
    assert_eq!(e.runtime.as_deref(), Some("containerd"));
    assert_eq!(e.cgroup_driver.as_deref(), Some("systemd"));
    assert_eq!(
        e.victim.as_ref().map(|v| (v.pid, v.comm.as_str())),
        Some((61436, "go-oom-test"))
    );
}

#[test]
fn kernel_text_in_json_members_of_a_cloud_logging_export() {
    // `"textPayload": "[195998.443208] node invoked oom-killer: …\\r\\n",`: the member's text is
    // the kernel line; the export has two headers and no kill line.
    let ex = explain_fixture("gcp_serialconsole_json_2i2c_2359.json");
    let e = &ex.oom_events[0];
    assert_eq!(e.trigger_comm.as_deref(), Some("node"));
    assert_eq!(e.details.trigger_oom_score_adj, Some(991));
    assert_eq!(e.details.gfp_mask.as_deref(), Some("0xcc0(GFP_KERNEL)"));
    assert_eq!(e.details.time.as_deref(), Some("195998.443208"));
    assert!(e.victim.is_none());
    // Two reports that name no victim are not "the same kill".
    let g = &ex.oom_event_groups[0];
    assert_eq!((g.count, g.first_lines.clone()), (2, vec![3, 23]));
    let ids: Vec<&str> = ex.findings.iter().map(|f| f.id()).collect();
    assert!(ids.contains(&"oom.repeated.unnamed"), "{ids:?}");
    assert!(!ids.contains(&"oom.repeated"));
    // journalctl -o json and Docker/Fluent Bit records carry the line the same way.
    for line in [
        r#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":"Out of memory: Killed process 4242 (java) total-vm:100kB, anon-rss:50kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:984","_HOSTNAME":"n1"}"#,
        r#"{"log":"Out of memory: Killed process 4242 (java) total-vm:100kB, anon-rss:50kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:984\n","stream":"stdout"}"#,
    ] {
        let ex = explain(line);
        assert_eq!(
            victims(&ex),
            vec![Some((4242, "java".to_string()))],
            "{line}"
        );
        assert_eq!(
            ex.oom_events[0]
                .victim
                .as_ref()
                .and_then(|v| v.oom_score_adj),
            Some(984)
        );
    }
}

#[test]
fn hypervisor_guest_log_prefixes() {
    // `2023-12-04T10:49:30.103Z In(05) vcpu-5 - Guest: <4>[39261021.091603] Call Trace:`: the
    // VMware prefix, the guest's priority and its uptime all come off.
    let p = format!(
        "{}/tests/fixtures/kernel/vmware_guest_calltrace_photon_1535.log",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(p).unwrap();
    let first = text.lines().next().unwrap();
    let st = oomlens_core::diag::lines::strip_prefixes(first);
    assert_eq!(st.message, "Call Trace:");
    assert_eq!(st.time, Some("39261021.091603"));
    let frames: Vec<&str> = text
        .lines()
        .map(|l| oomlens_core::diag::lines::strip_prefixes(l).message.trim())
        .collect();
    assert!(
        frames.contains(&"oom_kill_process+0x243/0x270"),
        "{frames:?}"
    );
    // A call trace alone is no report: nothing is invented from it.
    assert!(explain(&text).oom_events.is_empty());
}

#[test]
fn a_quoted_printable_mail_is_read_across_its_soft_breaks() {
    // Every line of the report longer than 76 characters arrives in two pieces (`=` at the end),
    // and `=` itself as `=3D`: the rows split before their oom_score_adj, the kill line after
    // `anon-`, the `memory:` line inside `failcnt`.
    let ex = explain_fixture("quoted_printable_memcg_4.15_lkml_2018.txt");
    assert_eq!(ex.oom_events.len(), 1);
    let e = &ex.oom_events[0];
    assert_eq!(e.trigger_comm.as_deref(), Some("image-starter"));
    assert_eq!(e.details.trigger_pid, Some(28447));
    assert_eq!(e.details.gfp_mask.as_deref(), Some("0x14000c0(GFP_KERNEL)"));
    assert_eq!(
        e.details.kernel_release.as_deref(),
        Some("4.15.2-x86_64-vmware")
    );
    assert_eq!(e.constraint.as_deref(), Some("memcg"));
    assert_eq!(e.limit_bytes, Some(16_777_216 * 1024));
    assert_eq!(e.details.failcnt, Some(44));
    let v = e.victim.as_ref().expect("the kill line, joined");
    assert_eq!((v.pid, v.comm.as_str()), (28449, "image-starter"));
    assert_eq!(
        v.anon_rss_bytes,
        Some(136 * 1024),
        "read after the soft break"
    );
    assert_eq!(v.oom_score_adj, Some(0), "from the victim's table row");
    let rows: Vec<(i64, i64)> = e.tasks.iter().map(|t| (t.pid, t.oom_score_adj)).collect();
    assert_eq!(
        rows,
        vec![(28447, 0), (28448, 0), (28449, 0), (28450, 0), (28451, 0)]
    );
    assert_eq!(e.details.first_line, 1);
    assert_eq!(e.details.last_line, 45, "the kill line's second piece");
    // The poster's `... (other processes being OOM-killed)` is no part of it.
    assert_eq!(ex.inputs.iter().map(|b| b.last_line).max(), Some(45));
}

#[test]
fn a_line_ending_in_equals_is_not_joined_without_quoted_printable() {
    // A pager cut after `task_memcg=`: no `=3D` anywhere, so the next line is not glued on.
    let text = "[ 1.0] oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=\n\
                [ 1.1] Memory cgroup out of memory: Killed process 7 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n";
    let ex = explain(text);
    assert_eq!(ex.oom_events.len(), 1);
    assert_eq!(ex.oom_events[0].victim.as_ref().map(|v| v.pid), Some(7));
    assert_eq!(ex.oom_events[0].details.last_line, 2);
}

#[test]
fn systemd_unit_lines_name_the_units_and_are_not_oomd() {
    // Five units at the same instant: a kill counted up the cgroup tree (`user@1021.service` and
    // its slices, a postgresql slice and `system.slice`); no kernel report in the paste.
    let ex = explain_fixture("systemd_unit_oom_slices_openprescribing_5431.log");
    let units: Vec<&str> = ex.unit_ooms.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(
        units,
        vec![
            "user-1021.slice",
            "system-postgresql.slice",
            "user@1021.service",
            "user.slice",
            "system.slice"
        ]
    );
    assert_eq!(
        ex.unit_ooms[0].time.as_deref(),
        Some("2026-02-08T00:40:07.136582+00:00")
    );
    assert!(
        ex.oomd_kills.is_empty(),
        "PID 1's line is not systemd-oomd's"
    );
    assert!(ex.oom_events.is_empty(), "no victim is invented");
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "unit_oom.killed")
        .expect("one finding for the five lines");
    assert_eq!(f.lines, vec![1, 2, 3, 4, 5]);
    assert!(f.advice.is_some(), "asks for the kernel's report");
    assert_eq!(ex.inputs.len(), 1);
}

#[test]
fn a_unit_line_is_tied_to_the_kernel_kill_in_its_unit() {
    // A global OOM kills mariadbd in `/system.slice/mariadb.service`; two seconds later PID 1
    // reports the unit and fails it with result 'oom-kill'.
    let ex = explain_fixture("systemd_unit_oom_mariadb_global_cloudpanel_333.log");
    let e = &ex.oom_events[0];
    assert_eq!(e.constraint.as_deref(), Some("global"));
    let v = e.victim.as_ref().unwrap();
    assert_eq!(
        (v.pid, v.comm.as_str(), v.oom_score_adj),
        (1235, "mariadbd", Some(0))
    );
    assert_eq!(e.details.victim_uid, Some(115));
    let got: Vec<(usize, &str)> = ex
        .unit_ooms
        .iter()
        .map(|u| (u.line, u.unit.as_str()))
        .collect();
    assert_eq!(got, vec![(7, "mariadb.service"), (8, "mariadb.service")]);
    let killed = ex
        .findings
        .iter()
        .find(|f| f.id() == "unit_oom.killed")
        .unwrap();
    assert!(
        killed.lines.contains(&e.line),
        "points at the kernel's report"
    );
    assert!(killed.advice.is_none(), "the paste has the kernel's report");
    assert!(ex
        .findings
        .iter()
        .any(|f| f.id() == "unit_oom.failed" && f.lines == vec![8]));
}

#[test]
fn a_container_scope_unit_line_names_the_container_and_the_kernel_kill() {
    let ex = explain_fixture("syslog_unit_scope_npd_oom_group_aks_vijayrod.log");
    let u = &ex.unit_ooms[0];
    assert_eq!(u.line, 102);
    let cg = u.cgroup.as_ref().expect("a container scope");
    assert_eq!(
        cg.container_id.as_deref(),
        Some("9192cb33411ff69d015a3577db136757f5b145064a1703efea3d0e12e8a64987")
    );
    assert_eq!(cg.runtime.as_deref(), Some("containerd"));
    let e = &ex.oom_events[0];
    assert_eq!(e.victim.as_ref().map(|v| v.pid), Some(7788));
    assert_eq!(e.container_id, cg.container_id);
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "unit_oom.killed")
        .unwrap();
    assert_eq!(f.lines, vec![2, 102]);
}

#[test]
fn unit_lines_that_only_confirm_kernel_kills_are_counted_once() {
    // The real paste twice over: two kernel kills in mariadb.service, each confirmed by PID 1.
    let one = std::fs::read_to_string(format!(
        "{}/tests/fixtures/kernel/systemd_unit_oom_mariadb_global_cloudpanel_333.log",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let ex = explain(&format!("{one}{one}"));
    assert_eq!(ex.unit_ooms.len(), 4);
    let ids: Vec<&str> = ex.findings.iter().map(|f| f.id()).collect();
    assert!(!ids.contains(&"unit_oom.killed"), "{ids:?}");
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "unit_oom.confirmed")
        .expect("one finding for both");
    assert_eq!(f.lines, vec![7, 19]);
    assert_eq!(ids.iter().filter(|i| **i == "unit_oom.failed").count(), 2);
}

#[test]
fn node_problem_detector_journal_lines_alone_name_the_kills() {
    // Only NPD's `New status generated` lines of the VijayRod syslog: the kills they relay are
    // read, each says where it was read from; beside the kernel's own report (the whole syslog,
    // above) the same lines are not counted again.
    let ex = explain_fixture("npd_journal_relayed_kills_only_aks_vijayrod.log");
    let mut victims: Vec<i64> = ex
        .oom_event_groups
        .iter()
        .flat_map(|g| g.victim_pids.iter().copied())
        .collect();
    victims.sort_unstable();
    assert_eq!(victims, vec![7620, 7656, 7657, 7712, 7788, 7788]);
    let e = &ex.oom_events[0];
    let v = e.victim.as_ref().unwrap();
    assert_eq!((v.pid, v.comm.as_str()), (7788, "bash"));
    assert_eq!(v.anon_rss_bytes, Some(7_165_824 * 1024));
    assert_eq!(v.oom_score_adj, Some(1000));
    assert!(e
        .details
        .notes
        .iter()
        .any(|n| n.id == "oom.note.relayed_npd"));
    let both = explain_fixture("syslog_unit_scope_npd_oom_group_aks_vijayrod.log");
    assert!(both.oom_events.iter().all(|e| e
        .details
        .notes
        .iter()
        .all(|n| n.id != "oom.note.relayed_npd")));
    assert!(both.oom_events.iter().all(|e| e.line < 108));
}
