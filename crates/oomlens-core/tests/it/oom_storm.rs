//! Repeated kills are one group (`diag::dmesg::group`): a crash-looping container's report pasted
//! again and again, and an OOM storm of bare headers, cost a few bytes per kill and say each
//! finding once. The reports are real samples from `tests/fixtures/kernel/` (sources in its
//! README.md), repeated as a log repeats them.

use oomlens_core::explain;

fn load(name: &str) -> String {
    let p = format!(
        "{}/tests/fixtures/kernel/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn the_same_kill_three_times_is_one_group_of_three() {
    // A pod-level memcg kill of `node` (PID 22609), 13 lines, as a crash loop prints it again.
    let one = load("memoryqos_pod_limit_grep_dmesg.log");
    let other = load("oomanalyser_proxmox_5.15_memcg_dmesg_T_de.log");
    let n1 = one.lines().count();
    let n2 = other.lines().count();
    let text = format!("{one}{other}{one}{one}");
    let ex = explain(&text);

    assert_eq!(ex.oom_events.len(), 2, "two different stories");
    assert_eq!(ex.oom_event_groups.len(), 2);
    let g = &ex.oom_event_groups[0];
    assert_eq!(g.count, 3);
    assert_eq!(
        g.first_lines,
        vec![1, n1 + n2 + 1, 2 * n1 + n2 + 1],
        "each kill's first line"
    );
    assert_eq!(g.victim_pids, vec![22609, 22609, 22609]);
    assert_eq!(g.first_line, 1);
    assert_eq!(g.last_line, 3 * n1 + n2);
    assert_eq!(g.first_time.as_deref(), Some("2993.661240"));
    assert_eq!(g.last_time.as_deref(), Some("2993.661240"));
    let victim = ex.oom_events[0]
        .victim
        .as_ref()
        .map(|v| (v.pid, v.comm.as_str()));
    assert_eq!(victim, Some((22609, "node")));

    let other_group = &ex.oom_event_groups[1];
    assert_eq!(other_group.count, 1);
    assert_eq!(other_group.first_line, n1 + 1);
    assert_eq!(
        other_group.first_time.as_deref(),
        Some("Di Aug 12 03:54:03 2025")
    );

    // The group's findings are said once, plus one finding that it repeated.
    let alone = explain(&one);
    for f in &alone.findings {
        let n = ex
            .findings
            .iter()
            .filter(|x| x.message == f.message)
            .count();
        assert_eq!(n, 1, "said once: {}", f.english());
    }
    let repeated: Vec<_> = ex
        .findings
        .iter()
        .filter(|f| f.id() == "oom.repeated")
        .collect();
    assert_eq!(repeated.len(), 1);
    assert_eq!(repeated[0].lines, vec![1, 3 * n1 + n2]);
    assert!(
        repeated[0].english().contains("happened 3 times"),
        "{}",
        repeated[0].english()
    );
}

#[test]
fn a_different_victim_command_is_a_different_group() {
    let one = load("memoryqos_pod_limit_grep_dmesg.log");
    let renamed = one.replace("(node)", "(nodejs)");
    assert_ne!(one, renamed, "the sample names its victim `node`");
    let ex = explain(&format!("{one}{renamed}"));
    assert_eq!(ex.oom_events.len(), 2);
    assert!(ex.oom_event_groups.iter().all(|g| g.count == 1));
    assert!(ex.findings.iter().all(|f| f.id() != "oom.repeated"));
}

#[test]
fn a_storm_of_headers_is_one_group_and_a_small_answer() {
    // The first line of a real report, printed 100,000 times with advancing timestamps.
    let header = load("memoryqos_pod_limit_grep_dmesg.log")
        .lines()
        .next()
        .map(|l| l.split_once("] ").map_or(l, |(_, m)| m).to_string())
        .unwrap_or_default();
    assert!(header.contains("invoked oom-killer"));
    let mut text = String::new();
    for i in 0..100_000u32 {
        text.push_str(&format!(
            "[{:>5}.{:06}] {header}\n",
            1000 + i / 1000,
            i % 1000
        ));
    }
    let ex = explain(&text);
    assert_eq!(ex.oom_events.len(), 1);
    let g = &ex.oom_event_groups[0];
    assert_eq!(g.count, 100_000);
    assert_eq!(g.first_lines.len(), 100_000);
    assert_eq!(g.last_line, 100_000);
    assert_eq!(g.first_time.as_deref(), Some("1000.000000"));
    assert_eq!(g.last_time.as_deref(), Some("1099.000999"));
    // Each finding once: the answer does not grow with the storm (it was 40× the input).
    assert!(ex.findings.len() < 10, "{} findings", ex.findings.len());
    let json = serde_json::to_string(&ex).unwrap_or_default();
    assert!(
        json.len() < text.len() / 4,
        "JSON {} bytes for {} bytes of input",
        json.len(),
        text.len()
    );
}

#[test]
fn a_real_crash_loop_of_selected_kills_keeps_each_selected_pid() {
    // microsoft/pai#1682: ten `Kill process N (java) score S or sacrifice child` lines, no
    // `Killed process` line, ~10 minutes apart.
    let text = load("journal_repeated_kill_process_score_microsoft_pai_1682.log");
    let ex = explain(&text);
    assert_eq!(ex.oom_events.len(), 1);
    let g = &ex.oom_event_groups[0];
    assert_eq!(g.count, 10);
    assert_eq!(g.first_lines, (1..=10).collect::<Vec<_>>());
    assert_eq!(
        g.selected_pids,
        vec![19302, 78753, 107854, 3706, 33697, 64092, 91419, 122152, 19076, 48937]
    );
    assert!(
        g.victim_pids.is_empty(),
        "no `Killed process` line names a victim"
    );
    assert_eq!(g.first_time.as_deref(), Some("Nov 05 21:14:12"));
    assert_eq!(g.last_time.as_deref(), Some("Nov 05 22:40:02"));
    let e = &ex.oom_events[0];
    assert_eq!(e.details.selected_comm.as_deref(), Some("java"));
    assert_eq!(e.details.selected_score, Some(1337));
    assert_eq!(e.constraint.as_deref(), Some("memcg"));
}
