//! Synthetic inputs for timing `explain()`, shared by `benches/explain.rs` and
//! `examples/explain_profile.rs` (included with `#[path]`; not a target of its own).
//!
//! - [`journal`]: ordinary journald lines with kernel OOM reports evenly spread (issue 4's 100 MB /
//!   1,000 reports benchmark input).
//! - [`short_lines`]: one million short lines mixing the anchors of every Kubernetes-side reader.
//! - [`long_line`]: one line of `mb` megabytes made of reader anchors.
//! - [`k8s_mix`]: real `kubectl describe pod|node`, memory.stat, eviction and node-event samples
//!   from `tests/fixtures/k8s`, repeated with varied names and numbers up to `mb` megabytes.
//! - [`synthetic_node`]: a scenario of `pods` pods for `benches/evaluate.rs` and
//!   `examples/evaluate_profile.rs`.
#![allow(dead_code)]

const ORDINARY: &[&str] = &[
    "kubelet[2140]: I1123 07:00:01.123456    2140 kubelet.go:2453] \"SyncLoop (PLEG): event for pod\" pod=\"shop/cart-7d4b9c6f5-x2x9p\" event={\"ID\":\"5c0e\",\"Type\":\"ContainerStarted\"}",
    "containerd[987]: time=\"2026-11-23T07:00:01.234567890Z\" level=info msg=\"StartContainer for \\\"3f2a9c\\\" returns successfully\"",
    "kubelet[2140]: I1123 07:00:02.000001    2140 prober.go:107] \"Probe failed\" probeType=\"Readiness\" pod=\"shop/api-5f6d8-9kq2z\" containerName=\"api\" probeResult=\"failure\" output=\"HTTP probe failed with statuscode: 503\"",
    "sshd[31337]: Accepted publickey for ops from 10.20.30.40 port 52344 ssh2: ED25519 SHA256:3xq4b9TzK0mNnq8d5eQw",
    "systemd[1]: Started cri-containerd-6b1f0e.scope - libcontainer container 6b1f0e.",
    "kubelet[2140]: I1123 07:00:03.500000    2140 kuberuntime_container.go:745] \"Killing container with a grace period\" pod=\"shop/web-1\" containerName=\"web\" gracePeriod=30",
    "kernel: IPv6: ADDRCONF(NETDEV_CHANGE): veth9a8b7c6: link becomes ready",
    "dockerd[1200]: time=\"2026-11-23T07:00:04Z\" level=warning msg=\"Your kernel does not support swap limit capabilities\"",
];

fn oom_report(i: usize, out: &mut String) {
    let uid = format!("{:08x}_60ff_475f_a631_510d9792219f", i);
    let cid = format!("{:064x}", i * 7919 + 1);
    let pod = format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid}.slice");
    let pid = 10_000 + i * 40;
    let p = |out: &mut String, msg: &str| {
        out.push_str("Nov 23 07:00:05 node-1 kernel: ");
        out.push_str(msg);
        out.push('\n');
    };
    p(
        out,
        "java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=968",
    );
    p(
        out,
        &format!("CPU: 3 UID: 0 PID: {pid} Comm: java Not tainted 6.8.0-1015-aws #16-Ubuntu"),
    );
    p(out, "Call Trace:");
    for f in [
        "dump_stack_lvl+0x48/0x70",
        "dump_header+0x4a/0x240",
        "oom_kill_process+0xfc/0x210",
        "out_of_memory+0x103/0x350",
        "mem_cgroup_out_of_memory+0x145/0x170",
    ] {
        p(out, &format!(" {f}"));
    }
    p(
        out,
        "memory: usage 2097152kB, limit 2097152kB, failcnt 4312",
    );
    p(out, "swap: usage 0kB, limit 0kB, failcnt 0");
    p(out, &format!("Memory cgroup stats for {pod}:"));
    for (k, v) in [
        ("anon", 2_080_000_000u64),
        ("file", 12_000_000),
        ("kernel", 9_000_000),
        ("shmem", 0),
        ("active_file", 4_000_000),
        ("inactive_file", 8_000_000),
    ] {
        p(out, &format!("{k} {v}"));
    }
    p(out, "Tasks state (memory values in pages):");
    p(out, "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name");
    p(out, &format!("[{:>7}] 65535 {:>5}      243        1        0        1         0    28672        0          -998 pause", pid - 1, pid - 1));
    for t in 0..29 {
        let rss = if t == 28 { 500_000 } else { 1000 + t * 10 };
        p(out, &format!("[{:>7}]  1000 {:>5}   900000 {:>8} {:>8}     2000         0  4000000        0           968 java", pid + t, pid + t, rss, rss.saturating_sub(2000)));
    }
    p(out, &format!("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-{cid}.scope,mems_allowed=0,oom_memcg={pod},task_memcg={pod}/cri-containerd-{cid}.scope,task=java,pid={},uid=1000", pid + 28));
    p(out, &format!("Memory cgroup out of memory: Killed process {} (java) total-vm:3600000kB, anon-rss:1992000kB, file-rss:8000kB, shmem-rss:0kB, UID:1000 pgtables:3906kB oom_score_adj:968", pid + 28));
    p(out, &format!("Tasks in {pod}/cri-containerd-{cid}.scope are going to be killed due to memory.oom.group set"));
    p(out, &format!("Memory cgroup out of memory: Killed process {} (java) total-vm:3600000kB, anon-rss:1992000kB, file-rss:8000kB, shmem-rss:0kB, UID:1000 pgtables:3906kB oom_score_adj:968", pid + 28));
}

/// `mb` megabytes (10^6 bytes) of journal with `reports` kernel OOM reports evenly spread.
pub fn journal(mb: usize, reports: usize) -> String {
    let target = mb * 1_000_000;
    let mut out = String::with_capacity(target + 1_000_000);
    let mut report = String::new();
    oom_report(0, &mut report);
    let per_gap = (target.saturating_sub(reports * report.len())) / reports.max(1);
    let mut n = 0usize;
    for i in 0..reports {
        let gap_end = out.len() + per_gap;
        while out.len() < gap_end {
            out.push_str("Nov 23 07:00:0");
            out.push(char::from(b'0' + (n % 10) as u8));
            out.push_str(" node-1 ");
            out.push_str(ORDINARY[n % ORDINARY.len()]);
            out.push('\n');
            n += 1;
        }
        oom_report(i, &mut out);
    }
    out
}

/// `count` short lines cycling through anchors of the Kubernetes-side readers (as in
/// `tests/it/explain_robustness.rs`).
pub fn short_lines(count: usize) -> String {
    let mut s = String::with_capacity(count * 16);
    for i in 0..count {
        s.push_str(match i % 5 {
            0 => "{\n",
            1 => "anon 1\n",
            2 => "Name: x\n",
            3 => "  Last State:  Terminated\n",
            _ => "apiVersion: v1\n",
        });
    }
    s
}

/// One line of `mb` megabytes (2^20 bytes) made of reader anchors.
pub fn long_line(mb: usize) -> String {
    let mut s = String::with_capacity((mb << 20) + 128);
    while s.len() < mb << 20 {
        s.push_str("The node was low on resource: memory. anon 1 {\"kubeletconfig\" --eviction-hard=x Name: ");
    }
    s
}

const DESCRIBE_POD: &str =
    include_str!("../../tests/fixtures/k8s/describe_pod_simmemleak_docs.txt");
const DESCRIBE_NODE: &str = include_str!("../../tests/fixtures/k8s/describe_node_e2e_docs.txt");
const STAT_V1: &str = include_str!("../../tests/fixtures/k8s/memory_stat_v1_cgroups_rs.txt");
const STAT_V2: &str = include_str!("../../tests/fixtures/k8s/memory_stat_v2_cadvisor_3081.txt");
const EVICTION: &str =
    include_str!("../../tests/fixtures/k8s/eviction_openshift_release_76967.txt");
const NODE_EVENTS: &str = include_str!("../../tests/fixtures/k8s/node_events_k3s_838.txt");
const FRAGMENT: &str = include_str!("../../tests/fixtures/k8s/describe_fragment_k8s_122256.txt");

/// About `mb` megabytes (10^6 bytes) of `kubectl describe pod|node`, memory.stat, eviction
/// messages and node events, each sample repeated with a distinct pod name and usage.
pub fn k8s_mix(mb: usize) -> String {
    let target = mb * 1_000_000;
    let mut s = String::with_capacity(target + 8192);
    let samples = [
        DESCRIBE_POD,
        STAT_V2,
        EVICTION,
        DESCRIBE_NODE,
        STAT_V1,
        FRAGMENT,
        NODE_EVENTS,
    ];
    let mut i = 0usize;
    while s.len() < target {
        let sample = samples[i % samples.len()];
        // Vary names and numbers so readings do not collapse into one.
        let tag = format!("{i}");
        s.push_str(
            &sample
                .replace("simmemleak", &format!("simmemleak-{tag}"))
                .replace("anon ", &format!("anon {tag}")),
        );
        if !s.ends_with('\n') {
            s.push('\n');
        }
        s.push('\n');
        i += 1;
    }
    s
}

/// The synthetic node of the evaluation benchmark and tests: a 512 GiB node with `pods` pods of four
/// shapes (Guaranteed, BestEffort, Burstable with a sidecar, Burstable), usage for every pod, and the
/// scenario's `growth` section appended verbatim.
pub fn synthetic_node(pods: usize, growth: &str) -> String {
    let mut s = String::from(
        "kubeletVersion: \"1.34\"\nnode:\n  memory: 512Gi\n  systemUsage: 4Gi\n  kubeletConfig:\n    kubeReserved: {memory: 8Gi}\n    systemReserved: {memory: 2Gi}\n    evictionHard: {memory.available: 500Mi}\n    evictionSoft: {memory.available: 2Gi}\n    evictionSoftGracePeriod: {memory.available: 1m}\npods:\n",
    );
    let mut usage = String::from("usage:\n");
    for i in 0..pods {
        let req = 64 * (1 + i % 8);
        s.push_str(&format!(
            "  - metadata: {{name: p{i}, namespace: ns{}}}\n    spec:\n",
            i % 13
        ));
        if i % 17 == 0 {
            s.push_str("      priority: 1000\n");
        }
        match i % 4 {
            0 => s.push_str(&format!(
                "      containers: [{{name: main, resources: {{requests: {{cpu: 100m, memory: {req}Mi}}, limits: {{cpu: 100m, memory: {req}Mi}}}}}}]\n"
            )),
            1 => s.push_str("      containers: [{name: main}]\n"),
            2 => s.push_str(&format!(
                "      initContainers: [{{name: proxy, restartPolicy: Always, resources: {{requests: {{memory: 32Mi}}}}}}]\n      containers: [{{name: main, resources: {{requests: {{memory: {req}Mi}}, limits: {{memory: {}Mi}}}}}}]\n",
                req * 2
            )),
            _ => s.push_str(&format!("      containers: [{{name: main, resources: {{requests: {{memory: {req}Mi}}}}}}]\n")),
        }
        usage.push_str(&format!("  ns{}/p{i}: {}Mi\n", i % 13, req / 2 + i % 50));
    }
    s + &usage + growth
}
