//! memory.stat reader: real fixtures (tests/fixtures/k8s/README.md), the opencontainers/cgroups
//! `fs2/memory_test.go` cases (TestStatMemoryPodCgroup, TestRootStatsFromMeminfo) and cAdvisor's
//! working-set rule (`container/libcontainer/handler.go` setMemoryStats: usage − inactive file,
//! floored at 0, nothing subtracted when the key is absent).

use oomlens_core::base::message::Arg;
use oomlens_core::diag::memory_stat::{self, working_set, FileValue};

fn fixture(name: &str) -> String {
    crate::support::fixture(&format!("k8s/{name}"))
}

#[test]
fn v1_cgroups_rs_fixture_prefers_hierarchical_totals() {
    let r = memory_stat::read(&fixture("memory_stat_v1_cgroups_rs.txt")).unwrap();
    let rep = r.report();
    assert_eq!(rep.cgroup_version, Some(1));
    assert!(rep.hierarchical);
    // total_* twins, not the local counters (cache 806506496, rss 6950912).
    assert_eq!(rep.anon_bytes, Some(7746449408));
    assert_eq!(rep.file_bytes, Some(7228424192));
    assert_eq!(rep.shmem_bytes, Some(943890432));
    assert_eq!(rep.active_file_bytes, Some(4166680576));
    assert_eq!(rep.inactive_file_bytes, Some(2238832640));
    assert_eq!(rep.mapped_file_bytes, Some(1212370944));
    // hierarchical_memory_limit 9223372036854771712 = unlimited.
    assert!(rep.limit_unlimited);
    assert_eq!(rep.limit_bytes, None);
    // No memory.usage_in_bytes pasted: usage and working set stay unknown.
    assert_eq!(rep.usage_bytes, None);
    assert_eq!(rep.working_set_bytes, None);
    assert_eq!(rep.reclaimable_bytes, Some(4166680576 + 2238832640));
    assert_eq!((rep.first_line, rep.last_line), (1, 33));
    let f = memory_stat::findings(&r);
    let shmem = f
        .iter()
        .find(|f| f.id().starts_with("memory_stat.shmem"))
        .unwrap();
    assert_eq!(shmem.lines, vec![4, 21]);
    assert!(f.iter().any(|f| f.id() == "memory_stat.no_usage"));
}

/// opencontainers/cgroups fs2/memory_test.go TestStatMemoryPodCgroup (exampleMemoryStatData +
/// memory.current 123456789, memory.max 999999999, memory.peak 987654321).
#[test]
fn v2_opencontainers_pod_cgroup() {
    let r = memory_stat::read(&fixture("memory_stat_v2_opencontainers_pod.txt")).unwrap();
    let rep = r.report();
    assert_eq!(rep.cgroup_version, Some(2));
    assert_eq!(rep.usage_bytes, Some(123456789));
    assert_eq!(rep.usage_source.as_deref(), Some("memory.current"));
    assert_eq!(rep.limit_bytes, Some(999999999));
    assert_eq!(rep.peak_bytes, Some(987654321));
    // inactive_file 5307346944 > usage: cAdvisor floors the working set at 0.
    assert_eq!(rep.working_set_bytes, Some(0));
    assert_eq!(
        rep.derivations[0].substituted,
        "max(0, 123456789 - 5307346944) = 0"
    );
    assert_eq!(rep.anon_bytes, Some(790425600));
    assert_eq!(rep.file_bytes, Some(6502666240));
    assert_eq!(rep.kernel_bytes, None);
    assert_eq!(rep.slab_bytes, Some(358966048));
    assert_eq!(rep.sock_bytes, Some(40960));
    assert_eq!(rep.shmem_bytes, Some(6721536));
    assert_eq!(
        rep.reclaimable_bytes,
        Some(1179316224 + 5307346944 + 348866240)
    );
    assert_eq!(
        r.files.get("memory.current"),
        Some(&(FileValue::Bytes(123456789), 43))
    );
}

/// opencontainers/cgroups TestRootStatsFromMeminfo: the root cgroup's usage is anon + file = 7293091840.
#[test]
fn v2_root_usage_is_anon_plus_file() {
    let r =
        memory_stat::read("anon 790425600\nfile 6502666240\ninactive_file 5307346944\n").unwrap();
    assert_eq!(r.root_usage_v2(), Some(7293091840));
    let f = memory_stat::findings(&r);
    let no_usage = f.iter().find(|f| f.id() == "memory_stat.no_usage").unwrap();
    // 7293091840 - 5307346944 = 1985744896 = 1.85 GiB
    assert!(
        no_usage.english().contains("anon + file = 6.79 GiB"),
        "{}",
        no_usage.english()
    );
    assert!(
        no_usage.english().contains("working set is 1.85 GiB"),
        "{}",
        no_usage.english()
    );
}

#[test]
fn v2_cadvisor_3081_partial_paste_with_ellipses() {
    let r = memory_stat::read(&fixture("memory_stat_v2_cadvisor_3081.txt")).unwrap();
    let rep = r.report();
    assert_eq!(rep.cgroup_version, Some(2));
    assert_eq!(rep.anon_bytes, Some(663552));
    assert_eq!(rep.file_bytes, Some(10313728));
    assert_eq!(rep.inactive_file_bytes, Some(5066752));
    assert_eq!(rep.slab_reclaimable_bytes, Some(1232589368));
    // The `...` lines are not readings; the block still spans the paste.
    assert_eq!((rep.first_line, rep.last_line), (1, 12));
}

/// cAdvisor setMemoryStats working set, one row per rule.
#[test]
fn cadvisor_working_set_rule() {
    let rows: &[(u64, Option<u64>, u64)] = &[
        (1000, Some(300), 700), // usage − inactive_file
        (1000, Some(1000), 0),  // equal
        (1000, Some(5000), 0),  // floored at 0
        (1000, None, 1000),     // key absent: nothing subtracted
        (0, Some(0), 0),
        (u64::MAX, Some(1), u64::MAX - 1),
    ];
    for &(usage, inactive, want) in rows {
        assert_eq!(
            working_set(usage, inactive, "inactive_file", "memory.current").0,
            want,
            "{usage} {inactive:?}"
        );
    }
}

#[test]
fn v1_usage_in_bytes_uses_total_inactive_file_and_reports_fuzz() {
    let text = "memory.usage_in_bytes: 1073741824\nmemory.limit_in_bytes: 1073741824\ntotal_rss 805306368\ntotal_cache 262144000\ntotal_inactive_file 104857600\ntotal_active_file 157286400\ninactive_file 1\n";
    let r = memory_stat::read(text).unwrap();
    let rep = r.report();
    assert_eq!(rep.cgroup_version, Some(1));
    assert_eq!(rep.usage_bytes, Some(1073741824));
    // total_inactive_file, not the local inactive_file.
    assert_eq!(rep.working_set_bytes, Some(1073741824 - 104857600));
    assert_eq!(rep.limit_bytes, Some(1073741824));
    let f = memory_stat::findings(&r);
    assert!(f.iter().any(|f| f.id() == "memory_stat.v1_usage_fuzz"));
    let near = f
        .iter()
        .find(|f| f.id() == "memory_stat.near_limit")
        .unwrap();
    assert!(near.lines.contains(&1) && near.lines.contains(&2));
}

#[test]
fn companion_file_forms() {
    let text = "$ cat /sys/fs/cgroup/kubepods.slice/memory.max\nmax\n/sys/fs/cgroup/x/memory.current:52428800\nmemory.swap.current 4096\nanon 1\nfile 2\ninactive_file 3\n$ cat memory.events\nlow 0\nhigh 0\nmax 7\noom 2\noom_kill 2\noom_group_kill 0\n";
    let r = memory_stat::read(text).unwrap();
    assert_eq!(r.files.get("memory.max"), Some(&(FileValue::Max, 2)));
    assert_eq!(
        r.files.get("memory.current"),
        Some(&(FileValue::Bytes(52428800), 3))
    );
    let rep = r.report();
    assert!(rep.limit_unlimited);
    assert_eq!(rep.swap_bytes, Some(4096));
    assert_eq!(rep.oom_kill_count, Some(2));
    assert_eq!(rep.max_events, Some(7));
    let f = memory_stat::findings(&r);
    let oom = f
        .iter()
        .find(|f| f.id() == "memory_stat.oom_kills")
        .unwrap();
    assert_eq!(oom.lines, vec![13]);
}

#[test]
fn active_file_warning_when_it_dominates_the_working_set() {
    // lerd-env/lerd#1378's measurement: memory.current 2048086016, active_file 1942446080, inactive_file 0.
    let r = memory_stat::read("memory.current 2048086016\nanon 25165824\nfile 1990000000\nactive_file 1942446080\ninactive_file 0\n").unwrap();
    let rep = r.report();
    assert_eq!(rep.working_set_bytes, Some(2048086016));
    let f = memory_stat::findings(&r);
    assert!(f
        .iter()
        .any(|f| f.id() == "memory_stat.active_file_in_working_set"));
}

#[test]
fn nothing_to_read() {
    assert!(memory_stat::read("hello world\nthis is prose\n").is_none());
    assert!(memory_stat::read("").is_none());
}

#[test]
fn v1_without_usage_gives_an_approximation() {
    let r = memory_stat::read(&fixture("memory_stat_v1_cgroups_rs.txt")).unwrap();
    let f = memory_stat::findings(&r);
    let no_usage = f.iter().find(|f| f.id() == "memory_stat.no_usage").unwrap();
    // 7746449408 + 7228424192 = 14974873600 B = 13.95 GiB; minus 2238832640 = 12736040960 B = 11.86 GiB
    assert!(
        no_usage.english().contains("rss + cache = 13.95 GiB"),
        "{}",
        no_usage.english()
    );
    assert!(
        no_usage.english().contains("about 11.86 GiB"),
        "{}",
        no_usage.english()
    );
    assert_eq!(no_usage.lines, vec![18, 19, 31]);
}

/// Socket buffers and swap get their own warnings: sock ≥ 64 MiB and ≥ 10% of the working set;
/// any swap ≥ 1 MiB (it is outside usage and working set). Thresholds are ours, stated in
/// `diag/memory_stat.rs`; the counters are the v2 `sock` and `memory.swap.current`.
#[test]
fn large_sock_and_swap_are_warned_about() {
    let paste = "$ cat memory.current\n1073741824\n$ cat memory.swap.current\n52428800\n$ cat memory.stat\nanon 536870912\nfile 268435456\nactive_file 134217728\ninactive_file 134217728\nsock 201326592\n";
    let r = memory_stat::read(paste).unwrap();
    let f = memory_stat::findings(&r);
    let sock = f.iter().find(|f| f.id() == "memory_stat.sock").unwrap();
    assert_eq!(sock.message.arg("sock"), Some(&Arg::Bytes(201326592)));
    // working set = 1 GiB − 128 MiB inactive = 896 MiB; 192 MiB is 21%.
    assert!(
        sock.english().contains("(21% of the working set)"),
        "{}",
        sock.english()
    );
    let swap = f.iter().find(|f| f.id() == "memory_stat.swap").unwrap();
    assert_eq!(swap.message.arg("swap"), Some(&Arg::Bytes(52428800)));
    // Below the thresholds: no warning.
    let small =
        "$ cat memory.current\n1073741824\n$ cat memory.stat\nanon 536870912\nsock 1048576\n";
    let f = memory_stat::findings(&memory_stat::read(small).unwrap());
    assert!(!f
        .iter()
        .any(|f| f.id() == "memory_stat.sock" || f.id() == "memory_stat.swap"));
}

/// google/cadvisor#3081's paste: 1.15 GiB of reclaimable slab against 10 MiB of anon + file, no
/// memory.current; the reclaimable slab that cAdvisor's working set keeps is warned about.
#[test]
fn cadvisor_3081_reclaimable_slab_is_warned_about() {
    let r = memory_stat::read(&fixture("memory_stat_v2_cadvisor_3081.txt")).unwrap();
    let f = memory_stat::findings(&r);
    // No working set in the paste: the share is of anon + file + slab_reclaimable.
    let slab = f
        .iter()
        .find(|f| f.id() == "memory_stat.slab_reclaimable.of_stat")
        .unwrap();
    assert_eq!(slab.message.arg("slab"), Some(&Arg::Bytes(1232589368)));
    // 1232589368 / (663552 + 10313728 + 1232589368) = 99%.
    assert!(
        slab.english()
            .contains("(99% of anon + file + slab_reclaimable)"),
        "{}",
        slab.english()
    );
}

/// git mailing list "git gc memory usage": two cgroup-v1 dumps (before/after) of a 1.5 GiB
/// container on a ≥ 5.9 kernel, whose v1 memory.stat also prints the split `workingset_*_anon/file`
/// keys; `# cat memory.usage_in_bytes` and a bare number before each.
#[test]
fn v1_with_split_workingset_keys_and_cat_prompts() {
    let ex = oomlens_core::explain(&fixture("memory_stat_v1_workingset_git_gc.txt"));
    assert_eq!(ex.memory_stats.len(), 2);
    let before = &ex.memory_stats[0];
    assert_eq!(before.cgroup_version, Some(1));
    assert!(before.hierarchical);
    assert_eq!(before.usage_bytes, Some(62099456));
    assert_eq!(
        before.usage_source.as_deref(),
        Some("memory.usage_in_bytes")
    );
    // usage − total_inactive_file (15781888).
    assert_eq!(before.working_set_bytes, Some(62099456 - 15781888));
    assert_eq!(before.limit_bytes, Some(1610612736));
    let after = &ex.memory_stats[1];
    assert_eq!(after.cgroup_version, Some(1));
    assert_eq!(after.usage_bytes, Some(1610506240));
    assert_eq!(after.limit_bytes, Some(1610612736));
    assert_eq!(after.inactive_file_bytes, Some(979427328));
    assert_eq!(after.working_set_bytes, Some(1610506240 - 979427328));
}

/// linux-mm, 2018: an empty cgroup's `memory.current:18446744073694965760` (a counter that went
/// below zero on 4.15), in a `grep . *` dump with `memory.max:17179869184` and `oom_kill 8`.
#[test]
fn an_underflowed_counter_is_no_usage() {
    let text = fixture("memory_grep_dump_v2_underflow_lkml_2018.txt");
    let ex = oomlens_core::explain(&text);
    assert_eq!(ex.memory_stats.len(), 1);
    let m = &ex.memory_stats[0];
    assert_eq!(m.cgroup_version, Some(2));
    // Not 8 EiB: unknown, and nothing built on it.
    assert_eq!(m.usage_bytes, None);
    assert_eq!(m.working_set_bytes, None);
    assert_eq!(m.limit_bytes, Some(17179869184));
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "memory_stat.counter_underflow")
        .expect("underflow finding");
    assert_eq!(f.lines, vec![21]);
    assert!(f
        .english()
        .starts_with("memory.current reads 18446744073694965760"));
    assert!(!ex
        .findings
        .iter()
        .any(|f| f.english().contains("EiB") || f.english().contains("53687091200")));
    // The cgroup's own OOM-kill counter is still read.
    assert!(ex
        .findings
        .iter()
        .any(|f| f.english().contains("oom_kill 8")));
}

fn explain_k8s(name: &str) -> oomlens_core::explanation::Explanation {
    oomlens_core::explain(&fixture(name))
}

#[test]
fn a_v1_grep_dump_with_its_prompt_and_a_grep_complaint_is_one_block() {
    // `…/lkp-bootstrap.service# grep . memory.*`: numa_stat and oom_control lines and grep's
    // `memory.pressure_level: Invalid argument` between the files.
    let ex = explain_k8s("memory_grep_dump_v1_prompt_lkml_2022.txt");
    assert_eq!(ex.memory_stats.len(), 1, "{:?}", ex.inputs);
    let m = &ex.memory_stats[0];
    assert_eq!((m.first_line, m.last_line), (1, 69));
    assert_eq!(m.cgroup_version, Some(1));
    assert_eq!(m.usage_bytes, Some(639_549_440));
    assert_eq!(m.peak_bytes, Some(642_424_832));
    assert!(m.limit_unlimited);
    assert_eq!(m.anon_bytes, Some(307_884_032));
    assert_eq!(m.file_bytes, Some(282_562_560));
    assert_eq!(m.oom_kill_count, Some(0));
    let cg = m.cgroup.as_ref().expect("the prompt names the directory");
    assert_eq!(cg.path, "/system.slice/lkp-bootstrap.service");
    assert_eq!(cg.scope.as_deref(), Some("other"));
    assert_eq!(m.cgroup_line, Some(1));
}

#[test]
fn a_v2_grep_dump_reads_memory_events_and_high_throttling() {
    let ex = explain_k8s("memory_grep_dump_v2_high_lkml_2020.txt");
    assert_eq!(ex.memory_stats.len(), 1, "{:?}", ex.inputs);
    let m = &ex.memory_stats[0];
    assert_eq!((m.first_line, m.last_line), (1, 49));
    assert_eq!(m.usage_bytes, Some(2_147_225_600));
    assert_eq!(m.limit_bytes, Some(2_415_919_104));
    assert_eq!(m.max_events, Some(31_131));
    assert_eq!(m.high_events, Some(423_774));
    assert_eq!(m.oom_kill_count, Some(0));
    assert_eq!(m.working_set_bytes, Some(2_147_225_600 - 1_954_959_360));
    let ids: Vec<&str> = ex.findings.iter().map(|f| f.id()).collect();
    assert!(ids.contains(&"memory_stat.high_events"), "{ids:?}");
    assert!(!ids.contains(&"memory_stat.oom_kills"), "no kill: {ids:?}");
    assert!(m.cgroup.is_none(), "a dump without paths names no cgroup");
}

#[test]
fn a_dump_of_a_container_directory_names_its_pod() {
    // `grep '' /sys/fs/cgroup/memory/$cgroup/*` on an OpenShift worker: every line carries
    // `/sys/fs/cgroup/memory//kubepods.slice/kubepods-pod<uid>.slice/crio-<id>.scope/<file>:`.
    let ex = explain_k8s("memory_grep_dump_v1_crio_container_andreaskaris_blog.txt");
    assert_eq!(ex.memory_stats.len(), 1, "{:?}", ex.inputs);
    let m = &ex.memory_stats[0];
    assert_eq!(m.first_line, 9, "from the first line of the dump");
    assert_eq!(m.limit_bytes, Some(1_073_741_824));
    assert_eq!(m.usage_bytes, Some(34_373_632));
    assert_eq!(m.peak_bytes, Some(34_414_592));
    assert_eq!(m.oom_kill_count, Some(0));
    let cg = m.cgroup.as_ref().expect("the paths name the directory");
    assert_eq!(cg.scope.as_deref(), Some("container"));
    assert_eq!(
        cg.pod_uid.as_deref(),
        Some("f00f1a6b-5fe6-4fca-b005-ba162aa468ef")
    );
    assert_eq!(cg.qos_class.as_deref(), Some("Guaranteed"));
    assert_eq!(cg.runtime.as_deref(), Some("cri-o"));
    assert_eq!(
        cg.container_id.as_deref(),
        Some("35c9d39b58f5a7ad7b9294a67cb3c7a9df219df7bf3b712ff43524254af6664a")
    );
    let f = ex
        .findings
        .iter()
        .find(|f| f.id() == "memory_stat.cgroup.container")
        .expect("whose figures these are");
    assert_eq!(f.lines, vec![9]);
    // The shell loop before the dump is not read as part of it.
    assert!(ex.inputs.iter().all(|b| b.first_line >= 9));
}
