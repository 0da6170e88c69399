//! Throughput of the whole `explain()` (kernel and oomd readers, block detection, every
//! Kubernetes-side reader, cross-linking) on (a) a synthetic journal holding kernel OOM reports
//! among ordinary lines (issue 4's input, 10 MB with 100 reports here) and (d) a mix of real
//! `kubectl describe pod|node`, memory.stat, eviction and node-event samples (10 MB).
//! Inputs are built by `benches/support/inputs.rs`.
//!
//! `cargo bench -p oomlens-core --bench explain`; `EXPLAIN_MB` changes the size.

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
}

criterion_group!(benches, bench);
criterion_main!(benches);
