//! Criterion benchmarks of the whole evaluation: the 110-pod example node
//! (`examples/scenarios/node-110-pods.yaml`) and a 1,000-pod synthetic node.
//! Target: 110 pods under 50 µs natively. `evaluate` builds every number, the eviction and node
//! kill orders, the timeline and the records every derivation and English sentence is rendered
//! from (what the calculator runs on every keystroke); `evaluate+oom_scopes` adds the kill order
//! of every OOM scope (built on demand). Before the runs the number of heap allocations of one
//! evaluation is printed; the counting allocator's bookkeeping is then switched off
//! (`counting_alloc::TRACK`) so the timings are of the evaluation alone — set
//! `OOMLENS_BENCH_TRACK_ALLOC=1` to keep it on while timing.

use criterion::{criterion_group, criterion_main, Criterion};
use oomlens_core::evaluate;
use oomlens_core::scenario::parse_scenario;
use std::hint::black_box;
use std::sync::atomic::Ordering;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, CALLS, TRACK};

#[global_allocator]
static GLOBAL: Counting = Counting;

#[path = "support/inputs.rs"]
mod inputs;
use inputs::synthetic_node;

fn allocations(f: impl FnOnce()) -> usize {
    let before = CALLS.load(Ordering::Relaxed);
    f();
    CALLS.load(Ordering::Relaxed) - before
}

fn bench(c: &mut Criterion) {
    let text = include_str!("../../../examples/scenarios/node-110-pods.yaml");
    let s110 = parse_scenario(text).expect("node-110-pods.yaml parses");
    let s1000 = parse_scenario(&synthetic_node(1000, "growth:\n  ns1/p1: 8Mi\n"))
        .expect("synthetic scenario parses");
    assert!(evaluate(&s110).is_ok() && evaluate(&s1000).is_ok());
    for (name, s) in [("110 pods", &s110), ("1000 pods", &s1000)] {
        let n = allocations(|| drop(black_box(evaluate(s))));
        println!("allocations per evaluation, {name}: {n}");
    }
    if std::env::var_os("OOMLENS_BENCH_TRACK_ALLOC").is_none() {
        TRACK.store(false, Ordering::Relaxed);
    }
    c.bench_function("evaluate/110 pods", |b| {
        b.iter(|| evaluate(black_box(&s110)))
    });
    // Every OOM scope's kill order (88 pod cgroups, kubepods, node) is built on demand
    // (`Evaluation::oom_scopes`; the calculator shows only the node's): evaluation plus all of them.
    c.bench_function("evaluate+oom_scopes/110 pods", |b| {
        b.iter(|| evaluate(black_box(&s110)).map(|e| e.oom_scopes()))
    });
    c.bench_function("evaluate/1000 pods", |b| {
        b.iter(|| evaluate(black_box(&s1000)))
    });
    c.bench_function("parse_scenario/110 pods", |b| {
        b.iter(|| parse_scenario(black_box(text)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
