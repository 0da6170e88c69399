//! oomlens-core: the exact memory model of a Kubernetes node (kubelet + Linux kernel rules)
//! and the readers for incident diagnostics.
//!
//! Two whole operations make up the public face (see ARCHITECTURE.md):
//! - [`evaluate`]: a [`scenario::Scenario`] (node + pods + observed usage) → an [`evaluation::Evaluation`]
//!   (allocatable, thresholds, QoS, oom_score_adj, memory.high, eviction order, kernel kill order, timeline).
//!   It stores numbers, orders, [`base::message::Message`]s and the structured records every
//!   [`base::derivation::Derivation`] and English sentence is rendered from on demand (when serialised or
//!   asked for), so it is cheap enough to recompute on every keystroke.
//! - [`explain`]: pasted incident text → an [`explanation::Explanation`] (what happened and why, with line evidence).
//!
//! No I/O, no clocks, no globals, no web dependency: the same code runs natively (CLI, tests,
//! benches) and in the browser (wasm32).

// Layers, lowest first; a module imports only from layers below its own (ARCHITECTURE.md states
// the rule; `tests/it/layers.rs` checks it).
pub mod api;
pub mod base;
pub mod diag;
pub mod evaluation;
pub mod explanation;
pub mod kernel;
pub mod kubelet;
pub mod lesson;
pub mod scenario;
pub mod simulate;

pub use evaluation::{evaluate, Evaluation};
pub use explanation::{explain, Explanation};
pub use scenario::Scenario;
