//! Criterion benchmarks of the whole evaluation: the 110-pod example node
//! (`examples/scenarios/node-110-pods.yaml`) and a 1,000-pod synthetic node.
//! Target: 110 pods under 50 µs natively. Both the full evaluation (`evaluate`, every derivation
//! and English sentence) and the numbers-only one (`evaluate_with(.., NUMBERS)`, what the
//! calculator recomputes on every keystroke) are measured; before the runs the number of heap
//! allocations of one evaluation of each kind is printed.

use criterion::{criterion_group, criterion_main, Criterion};
use oomlens_core::evaluate;
use oomlens_core::evaluation::{evaluate_with, EvaluateOptions};
use oomlens_core::scenario::parse_scenario;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts allocations (calls, not bytes).
struct CountingAllocs;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocs {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocs = CountingAllocs;

fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCS.load(Ordering::Relaxed);
    f();
    ALLOCS.load(Ordering::Relaxed) - before
}

fn synthetic(pods: usize) -> String {
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
    s + &usage + "growth:\n  ns1/p1: 8Mi\n"
}

fn bench(c: &mut Criterion) {
    let text = include_str!("../../../examples/scenarios/node-110-pods.yaml");
    let s110 = parse_scenario(text).expect("node-110-pods.yaml parses");
    let s1000 = parse_scenario(&synthetic(1000)).expect("synthetic scenario parses");
    assert!(evaluate(&s110).is_ok() && evaluate(&s1000).is_ok());
    let numbers = EvaluateOptions::NUMBERS;
    for (name, s) in [("110 pods", &s110), ("1000 pods", &s1000)] {
        let full = allocations(|| drop(black_box(evaluate(s))));
        let nums = allocations(|| drop(black_box(evaluate_with(s, &numbers))));
        println!("allocations per evaluation, {name}: full {full}, numbers {nums}");
    }
    c.bench_function("evaluate/110 pods", |b| {
        b.iter(|| evaluate(black_box(&s110)))
    });
    c.bench_function("evaluate_numbers/110 pods", |b| {
        b.iter(|| evaluate_with(black_box(&s110), &numbers))
    });
    c.bench_function("evaluate/1000 pods", |b| {
        b.iter(|| evaluate(black_box(&s1000)))
    });
    c.bench_function("evaluate_numbers/1000 pods", |b| {
        b.iter(|| evaluate_with(black_box(&s1000), &numbers))
    });
    c.bench_function("parse_scenario/110 pods", |b| {
        b.iter(|| parse_scenario(black_box(text)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
