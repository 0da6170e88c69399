//! Invariants, in words first:
//! 1. No reader and not `explain` panics, whatever the text (arbitrary strings, and strings built
//!    from the fragments the readers look for).
//! 2. Every evidence line a finding names exists in the input.
//! 3. Time is linear: one 10 MB line and one million short lines are read in bounded time.

use oomlens_core::diag::lines::numbered;
use oomlens_core::diag::{describe, detect, eviction_message, kubelet_config, memory_stat};
use oomlens_core::explain;
use proptest::prelude::*;
use std::time::{Duration, Instant};

const FRAGMENTS: &[&str] = &[
    "Name:         x\n",
    "Namespace:    y\n",
    "Roles:   <none>\n",
    "Capacity:\n",
    "  memory:  16Gi\n",
    "Containers:\n",
    "  app:\n",
    "    Last State:  Terminated\n",
    "      Reason:  OOMKilled\n",
    "      Exit Code:  137\n",
    "Events:\n",
    "  Type  Reason  Age  From  Message\n",
    "  Warning  SystemOOM  1m  kubelet  System OOM encountered, victim process: a, pid: 1\n",
    "The node was low on resource: memory. Threshold quantity: 100Mi, available: -5Ki. Container a was using 1Gi, request is 0, has larger consumption of memory. ",
    "Container b was using 9Ei, which exceeds its request of 99999999999999999999Ei.",
    "anon 123\n",
    "total_inactive_file 18446744073709551615\n",
    "memory.current: 99999999999999999999\n",
    "$ cat memory.max\nmax\n",
    "oom_kill 3\n",
    "/sys/fs/cgroup/memory//kubepods.slice/kubepods-podf00f1a6b_5fe6_4fca_b005_ba162aa468ef.slice/crio-35c9.scope/memory.stat:cache 1\n",
    "grep: memory.pressure_level: Invalid argument\n",
    "  Warning  OOMKilling  95s (x13 over 2m23s)   kernel-monitor\n",
    "  Warning  PodOOMKilling  2m  kernel-monitor, <node>  Memory cgroup out of memory: Kill process 1 (a) score 2 or sacrifice child\n",
    "cgroup.procs:1\n",
    "memory.events:max 3\n",
    "/sys/fs/cgroup/memory/x# grep . memory.*\n",
    "kind: KubeletConfiguration\n",
    "evictionHard:\n  memory.available: 100Mi\n",
    "{\"kubeletconfig\": {\"maxPods\": -1}}\n",
    "{\n",
    "}\n",
    "--eviction-hard=memory.available<1Gi --max-pods=",
    "apiVersion: v1\nkind: Pod\n",
    "lastState:\n  terminated:\n    exitCode: 137\n",
    "Conditions:\n  Type  Status  LastHeartbeatTime  LastTransitionTime  Reason  Message\n",
    "  MemoryPressure   True    Tue, 01 Feb 2022 09:44:34 +0100   Thu, 20 Jan 2022 04:54:21 +0100   KubeletHasInsufficientM\n",
    "emory   kubelet has insufficient memory available\n",
    "MemoryPressure \tTrue \tWed \tKubeletHas\n",
    "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    "  CPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\n  1 (1%)\t2\t3Mi (4%)\t\n",
    "Allocatable:\n hugepages-2Mi:  1Gi\n hugepages-1Gi: 99999999999Ei\n",
    "[...]\n",
    "(略)\n",
    "failed to load Kubelet config file /x, error failed to decode, error: v1beta1.KubeletConfiguration.EvictionSoft: ReadMapCB\n",
    "failed to load kubelet config file, path: \"\", error: json: cannot unmarshal string into Go struct field KubeletConfiguration. of type\n",
    "kubeReserved: 1Gi\nevictionSoft: nil\nmaxPods: \"x\"\nenforceNodeAllocatable: pods\nmemoryThrottlingFactor: []\n",
    "\u{1F600}é\t\r\n",
    "\n",
    "   ",
    "'",
    "\"",
    "\\",
];

/// Real Kubernetes-side pastes (tests/fixtures/k8s/README.md), cut and shuffled by a property.
const K8S_FIXTURES: &[&str] = &[
    include_str!("../fixtures/k8s/describe_node_condition_wrapped_k8s_52386.txt"),
    include_str!("../fixtures/k8s/describe_node_hugepages_k8s_64691.txt"),
    include_str!("../fixtures/k8s/describe_node_sections_k8s_pr80605.txt"),
    include_str!("../fixtures/k8s/describe_node_allocated_events_kubeasz_799.txt"),
    include_str!("../fixtures/k8s/describe_node_e2e_docs.txt"),
    include_str!("../fixtures/k8s/kubelet_load_failure_opsnull_458.txt"),
    include_str!("../fixtures/k8s/kubelet_config_docs.yaml"),
    include_str!("../fixtures/k8s/memory_stat_v1_workingset_git_gc.txt"),
    include_str!("../fixtures/k8s/pod_status_json_oomkilled_kubeshark_worker.json"),
    include_str!("../fixtures/k8s/get_events_jpaztech_aks_oom.txt"),
    include_str!("../fixtures/k8s/memory_grep_dump_v1_prompt_lkml_2022.txt"),
    include_str!("../fixtures/k8s/describe_node_event_message_above_row_aks_vijayrod.txt"),
    include_str!("../fixtures/k8s/describe_node_event_podoomkilling_kubernikus_321.txt"),
    include_str!("../fixtures/k8s/memory_grep_dump_v1_crio_container_andreaskaris_blog.txt"),
];

fn check(text: &str) {
    let lines: Vec<_> = numbered(text).collect();
    let n = lines.len().max(1);
    let _ = memory_stat::read(text).map(|r| (r.report(), memory_stat::findings(&r)));
    for m in eviction_message::read_lines(&lines) {
        let _ = eviction_message::findings(&m, None);
    }
    let _ = eviction_message::parse_condition(text, 1);
    let _ = kubelet_config::read_flags(&lines).map(|r| kubelet_config::findings(&r));
    let _ = kubelet_config::read_document(&lines);
    let _ = describe::read_pod(&lines);
    let _ = describe::read_node(&lines);
    let _ = describe::read_fragment(&lines);
    for w in lines.windows(2) {
        let _ = describe::is_condition_row(w[0].text);
        let _ = describe::wrapped_reason(w[0].text, w[1].text);
    }
    for l in &lines {
        let _ = kubelet_config::load_failure(l.text, l.number)
            .map(|f| kubelet_config::load_failure_finding(&f));
    }
    let _ = detect::detect(&lines, &[]);
    let ex = explain(text);
    for f in &ex.findings {
        for l in &f.lines {
            assert!(
                *l >= 1 && *l <= n,
                "finding {} names line {l} of {n}",
                f.id()
            );
        }
    }
    for b in &ex.inputs {
        assert!(
            b.first_line >= 1 && b.first_line <= b.last_line && b.last_line <= n,
            "{b:?} of {n}"
        );
    }
    let _ = serde_json::to_string(&ex).unwrap();
}

use crate::support::fuzz;
use fuzz::fuzz_cases;

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(400), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        check(&text);
    }

    #[test]
    fn cut_and_shuffled_real_k8s_lines_never_panic(
        picks in prop::collection::vec((0usize..10_000, 0usize..300, any::<bool>()), 0..80),
        junk in "[\\[\\]()<>:;,=/ \\t0-9a-zA-Z_.%-]{0,40}",
    ) {
        let lines: Vec<&str> = K8S_FIXTURES.iter().flat_map(|f| f.lines()).collect();
        check(&fuzz::cut_and_shuffled(&lines, &picks, &junk));
    }

    #[test]
    fn fragment_soup_never_panics(parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..40), indents in proptest::collection::vec(0usize..6, 40)) {
        let mut text = String::new();
        for (i, p) in parts.iter().enumerate() {
            text.push_str(&" ".repeat(indents[i % indents.len()]));
            text.push_str(FRAGMENTS[*p]);
        }
        check(&text);
    }
}

fn timed(text: &str) -> Duration {
    let t = Instant::now();
    let ex = explain(text);
    let d = t.elapsed();
    std::hint::black_box(ex);
    d
}

/// Debug builds are slow; these bounds catch quadratic behaviour (which would take minutes), not speed.
#[test]
fn one_ten_megabyte_line() {
    let mut s = String::with_capacity(10 << 20);
    while s.len() < 10 << 20 {
        s.push_str("The node was low on resource: memory. anon 1 {\"kubeletconfig\" --eviction-hard=x Name: ");
    }
    let d = timed(&s);
    let braces = "{".repeat(10 << 20);
    let d2 = timed(&braces);
    eprintln!("10 MB line: {d:?}; 10 MB of '{{': {d2:?}");
    assert!(d < Duration::from_secs(60) && d2 < Duration::from_secs(60));
}

#[test]
fn a_million_short_lines() {
    let mut s = String::with_capacity(16 << 20);
    for i in 0..1_000_000u32 {
        match i % 5 {
            0 => s.push_str("{\n"),
            1 => s.push_str("anon 1\n"),
            2 => s.push_str("Name: x\n"),
            3 => s.push_str("  Last State:  Terminated\n"),
            _ => s.push_str("apiVersion: v1\n"),
        }
    }
    let d = timed(&s);
    let unclosed: String = "{\n".repeat(1_000_000);
    let d2 = timed(&unclosed);
    eprintln!("1M mixed short lines: {d:?}; 1M unclosed '{{' lines: {d2:?}");
    assert!(d < Duration::from_secs(60) && d2 < Duration::from_secs(60));
}

/// Cross-linking stays linear: many pods, many eviction messages, many node events.
#[test]
fn many_readings_cross_link_in_linear_time() {
    let mut s = String::new();
    for i in 0..100_000u32 {
        s.push_str(&format!("Name:  p{i}\nNamespace:  ns\nMessage:  The node was low on resource: memory. Threshold quantity: 100Mi, available: {i}Ki. Container c was using {i}Mi, request is 0, has larger consumption of memory.\n"));
    }
    s.push_str("Events:\n  Type  Reason  Age  From  Message\n");
    for i in 0..100_000u32 {
        s.push_str(&format!("  Warning  SystemOOM  1m  kubelet  System OOM encountered, victim process: a, pid: {i}\n"));
    }
    let d = timed(&s);
    eprintln!("400k lines of pods, evictions and node events: {d:?}");
    assert!(d < Duration::from_secs(60));
}

/// `key value` lines with keys memory.stat does not know (a pasted /proc/vmstat, or junk) never
/// make a memory.stat block; detection used to rescan the rest of the run from every line.
#[test]
fn many_unknown_stat_like_lines() {
    let s = "nr_foo_pages 1\n".repeat(200_000);
    let d = timed(&s);
    eprintln!("200k unknown `key value` lines: {d:?}");
    assert!(explain(&s).memory_stats.is_empty());
    assert!(d < Duration::from_secs(60));
}
