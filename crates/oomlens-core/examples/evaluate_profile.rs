//! Times `oomlens_core::evaluate` on the 110-pod example node and the 1,000-pod synthetic node
//! in batches and prints the best, median and p90 time per evaluation — steadier than a single
//! run on a shared machine — and is a target for profilers:
//!
//! ```text
//! cargo run --profile bench -p oomlens-core --example evaluate_profile
//! cargo build --profile bench -p oomlens-core --example evaluate_profile
//! valgrind --tool=callgrind target/release/examples/evaluate_profile 100   # 100 evaluations, no timing
//! ```
//!
//! With an argument `N` it only runs N evaluations of the 110-pod node (for instruction counts:
//! subtract a run with `0`, divide by N); with `N scopes`, each also builds every OOM scope's kill
//! order (`Evaluation::oom_scopes`).

#[path = "../benches/support/inputs.rs"]
mod inputs;

use oomlens_core::scenario::parse_scenario;
use oomlens_core::Scenario;
use std::hint::black_box;
use std::time::Instant;

fn time(name: &str, s: &Scenario, batches: usize, per_batch: usize) {
    for _ in 0..per_batch {
        black_box(oomlens_core::evaluate(s).ok());
    }
    let mut us: Vec<f64> = (0..batches)
        .map(|_| {
            let t0 = Instant::now();
            for _ in 0..per_batch {
                black_box(oomlens_core::evaluate(s).ok());
            }
            t0.elapsed().as_secs_f64() * 1e6 / per_batch as f64
        })
        .collect();
    us.sort_by(f64::total_cmp);
    let at = |q: f64| {
        us.get(((us.len() - 1) as f64 * q) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "{name}: best {:.1} µs, median {:.1} µs, p90 {:.1} µs ({batches} batches of {per_batch})",
        at(0.0),
        at(0.5),
        at(0.9)
    );
}

fn main() {
    let s110 = parse_scenario(include_str!(
        "../../../examples/scenarios/node-110-pods.yaml"
    ))
    .expect("node-110-pods.yaml parses");
    if let Some(n) = std::env::args()
        .nth(1)
        .and_then(|a| a.parse::<usize>().ok())
    {
        // A second argument `scopes`: each evaluation also builds every OOM scope's kill order.
        let scopes = std::env::args().nth(2).as_deref() == Some("scopes");
        for _ in 0..n {
            let e = oomlens_core::evaluate(&s110).ok();
            if scopes {
                black_box(e.as_ref().map(oomlens_core::Evaluation::oom_scopes));
            }
            black_box(e);
        }
        return;
    }
    let s1000 = parse_scenario(&inputs::synthetic_node(1000, "growth:\n  ns1/p1: 8Mi\n"))
        .expect("synthetic scenario parses");
    time("evaluate, 110 pods", &s110, 60, 500);
    time("evaluate, 1000 pods", &s1000, 30, 50);
}
