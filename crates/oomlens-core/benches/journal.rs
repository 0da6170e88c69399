//! Throughput and memory of the kernel OOM reader (`diag::dmesg::read`) and the systemd-oomd reader
//! on a synthetic 100 MB journal: ordinary journald lines (kubelet, containerd, sshd, systemd) with
//! 1,000 kernel OOM reports (cgroup v2, kubepods, 6.x task table of 30 rows, memory.oom.group)
//! spread evenly among them. Targets: ≥ 500 MB/s, peak extra heap ≤ 2× the input.
//!
//! `cargo bench -p oomlens-core --bench journal`; set `JOURNAL_MB` to change the size.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live and peak heap bytes, to check the memory bound.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

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

/// `mb` megabytes of journal with `reports` OOM reports evenly spread.
fn journal(mb: usize, reports: usize) -> String {
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

fn bench(c: &mut Criterion) {
    let mb: usize = std::env::var("JOURNAL_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let text = journal(mb, 1000);
    if let Ok(path) = std::env::var("JOURNAL_WRITE") {
        std::fs::write(path, &text).expect("write journal");
    }
    // Correctness of the input and the memory bound, once.
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let r = oomlens_core::diag::dmesg::read(&text);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    assert_eq!(r.events.len(), 1000);
    assert!(r.events.iter().all(|e| e
        .kernel_choice
        .as_ref()
        .is_some_and(|k| k.agrees_with_victim)
        && e.group_kill));
    eprintln!(
        "journal: {} bytes, {} events; peak extra heap during read {} bytes = {:.3}× the input",
        text.len(),
        r.events.len(),
        peak,
        peak as f64 / text.len() as f64
    );
    assert!(
        peak <= 2 * text.len(),
        "memory bound: {peak} > 2 × {}",
        text.len()
    );
    drop(r);

    let mut g = c.benchmark_group("journal");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("dmesg_read", |b| {
        b.iter(|| {
            black_box(oomlens_core::diag::dmesg::read(black_box(&text)))
                .events
                .len()
        })
    });
    g.bench_function("oomd_read", |b| {
        b.iter(|| {
            black_box(oomlens_core::diag::oomd::read(black_box(&text)))
                .kills
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
