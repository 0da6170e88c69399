//! Throughput of the whole `explain()` (kernel and oomd readers, block detection, every
//! Kubernetes-side reader, cross-linking) on (a) a synthetic journal holding kernel OOM reports
//! among ordinary lines (issue 4's input, 10 MB with 100 reports here) and (d) a mix of real
//! `kubectl describe pod|node`, memory.stat, eviction and node-event samples (10 MB).
//! Inputs are built by `benches/support/inputs.rs`.
//!
//! `cargo bench -p oomlens-core --bench explain`; `EXPLAIN_MB` changes the size.
//!
//! With `JOURNAL_FILE=PATH` (e.g. `../shared/perf/gen_journal.py 100 1000 42 PATH`, the realistic
//! 100 MB node journal) it also reads that file and times, in the same run and with the same
//! throughput unit, `explain` on it and `grep -c oom PATH` (a subprocess; the figure to compare
//! with: a scan that only counts).

#[path = "support/inputs.rs"]
mod inputs;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mb: usize = std::env::var("EXPLAIN_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let journal = inputs::journal(mb, mb * 10);
    let k8s = inputs::k8s_mix(mb);
    // The inputs are what they claim to be, once.
    let ex = oomlens_core::explain(&journal);
    assert_eq!(ex.oom_events.len(), mb * 10);
    let ex = oomlens_core::explain(&k8s);
    assert!(
        !ex.memory_stats.is_empty()
            && !ex.describe_pods.is_empty()
            && !ex.describe_nodes.is_empty()
    );

    let mut g = c.benchmark_group("explain");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(journal.len() as u64));
    g.bench_function("journal_with_oom_reports", |b| {
        b.iter(|| {
            black_box(oomlens_core::explain(black_box(&journal)))
                .oom_events
                .len()
        })
    });
    g.throughput(Throughput::Bytes(k8s.len() as u64));
    g.bench_function("kubernetes_mix", |b| {
        b.iter(|| {
            black_box(oomlens_core::explain(black_box(&k8s)))
                .findings
                .len()
        })
    });
    g.finish();

    if let Ok(path) = std::env::var("JOURNAL_FILE") {
        let text = std::fs::read_to_string(&path).expect("JOURNAL_FILE is readable UTF-8");
        let mut g = c.benchmark_group("journal_file");
        g.sample_size(10);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function("explain", |b| {
            b.iter(|| {
                black_box(oomlens_core::explain(black_box(&text)))
                    .findings
                    .len()
            })
        });
        g.bench_function("grep_c_oom", |b| {
            b.iter(|| {
                let out = std::process::Command::new("grep")
                    .args(["-c", "oom", &path])
                    .output()
                    .expect("grep runs");
                black_box(out.stdout.len())
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
