//! Profiling harness for `explain()` (not run in CI): builds one synthetic input, times
//! `explain()` on it and prints MB/s and the peak extra heap.
//!
//! ```text
//! cargo run --release -p oomlens-core --example explain_profile -- journal 100
//! cargo run --release -p oomlens-core --example explain_profile -- short 1000000
//! cargo run --release -p oomlens-core --example explain_profile -- long 10
//! cargo run --release -p oomlens-core --example explain_profile -- k8s 50
//! cargo run --release -p oomlens-core --example explain_profile -- crosslink 100000
//! ```
//! A third argument `--write FILE` also writes the input to FILE (for `oomlens explain` or callgrind).

#[path = "../benches/support/inputs.rs"]
mod inputs;

use std::sync::atomic::Ordering;
use std::time::Instant;

#[path = "../benches/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Pods, eviction messages and node events in numbers (cross-linking must stay linear).
fn crosslink(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!("Name:  p{i}\nNamespace:  ns\nMessage:  The node was low on resource: memory. Threshold quantity: 100Mi, available: {i}Ki. Container c was using {i}Mi, request is 0, has larger consumption of memory.\n"));
    }
    s.push_str("Events:\n  Type  Reason  Age  From  Message\n");
    for i in 0..n {
        s.push_str(&format!("  Warning  SystemOOM  1m  kubelet  System OOM encountered, victim process: a, pid: {i}\n"));
    }
    s
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map(String::as_str).unwrap_or("journal");
    let size: Option<usize> = args.get(2).and_then(|s| s.parse().ok());
    let text = match which {
        "journal" => inputs::journal(size.unwrap_or(100), 1000),
        "short" => inputs::short_lines(size.unwrap_or(1_000_000)),
        "unclosed" => "{\n".repeat(size.unwrap_or(1_000_000)),
        "long" => inputs::long_line(size.unwrap_or(10)),
        "braces" => "{".repeat(size.unwrap_or(10) << 20),
        "k8s" => inputs::k8s_mix(size.unwrap_or(50)),
        "crosslink" => crosslink(size.unwrap_or(100_000)),
        other => {
            eprintln!("unknown input {other}: journal|short|unclosed|long|braces|k8s|crosslink");
            std::process::exit(2);
        }
    };
    if let (Some("--write"), Some(path)) = (args.get(3).map(String::as_str), args.get(4)) {
        if let Err(e) = std::fs::write(path, &text) {
            eprintln!("{path}: {e}");
        }
    }
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let t = Instant::now();
    let ex = oomlens_core::explain(&text);
    let d = t.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    let mb = text.len() as f64 / 1e6;
    println!(
        "{which}: {:.1} MB, {} lines: {:.3} s = {:.1} MB/s; peak extra heap {:.2}× input; {} inputs, {} oom events, {} memory.stat, {} pods, {} nodes, {} evictions, {} findings",
        mb,
        text.lines().count(),
        d.as_secs_f64(),
        mb / d.as_secs_f64(),
        peak as f64 / text.len().max(1) as f64,
        ex.inputs.len(),
        ex.oom_events.len(),
        ex.memory_stats.len(),
        ex.describe_pods.len(),
        ex.describe_nodes.len(),
        ex.evictions.len(),
        ex.findings.len()
    );
}
