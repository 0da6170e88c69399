//! oomlens-core: the exact memory model of a Kubernetes node (kubelet + Linux kernel rules)
//! and the readers for incident diagnostics.
//!
//! Two whole operations make up the public face (see ARCHITECTURE.md):
//! - [`evaluate`]: a [`scenario::Scenario`] (node + pods + observed usage) → an [`evaluation::Evaluation`]
//!   (allocatable, thresholds, QoS, oom_score_adj, memory.high, eviction order, kernel kill order, timeline).
//!   It stores numbers, orders, [`message::Message`]s and the structured records every
//!   [`derivation::Derivation`] and English sentence is rendered from on demand (when serialised or
//!   asked for), so it is cheap enough to recompute on every keystroke; [`evaluate_with`] +
//!   [`EvaluateOptions::NUMBERS`] is now the same computation.
//! - [`explain`]: pasted incident text → an [`explanation::Explanation`] (what happened and why, with line evidence).
//!
//! No I/O, no clocks, no globals, no web dependency: the same code runs natively (CLI, tests,
//! benches) and in the browser (wasm32).

pub mod derivation;
pub mod message;
pub mod name;
pub mod quantity;
pub mod rules;

// --- the model ---
pub mod allocatable;
pub mod badness;
pub mod critical;
pub mod evaluation;
pub mod eviction;
pub mod memory_qos;
pub mod oom_score_adj;
pub mod pod;
pub mod pod_reader;
pub mod presets;
pub mod qos;
pub mod resources;
pub mod scenario;
pub mod simulate;
pub mod sort;
pub mod thresholds;
pub mod yaml_writer;

// --- the diagnostics readers ---
pub mod diag;
pub mod explanation;

pub use evaluation::{evaluate, evaluate_with, EvaluateOptions, Evaluation};
pub use explanation::{explain, Explanation};
pub use scenario::Scenario;
