//! Throughput and memory of the kernel OOM reader (`diag::dmesg::read`) and the systemd-oomd reader
//! on a synthetic 100 MB journal: ordinary journald lines (kubelet, containerd, sshd, systemd) with
//! 1,000 kernel OOM reports (cgroup v2, kubepods, 6.x task table of 30 rows, memory.oom.group)
//! spread evenly among them. Targets: ≥ 500 MB/s, peak extra heap ≤ 2× the input.
//!
//! `cargo bench -p oomlens-core --bench journal`; set `JOURNAL_MB` to change the size.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::sync::atomic::Ordering;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static GLOBAL: Counting = Counting;

#[path = "support/inputs.rs"]
mod inputs;

fn bench(c: &mut Criterion) {
    let mb: usize = std::env::var("JOURNAL_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let text = inputs::journal(mb, 1000);
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
