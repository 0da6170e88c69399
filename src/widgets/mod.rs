//! Shared UI widgets: byte formatting, quantity inputs, charts (pure functions from core results to
//! SVG strings, drawn as a scene of shapes) and chart export (SVG and PNG).

pub mod batched;
pub mod bytes;
pub mod charts;
pub mod compare;
pub mod dom;
pub mod export;
pub mod message;
pub mod patch;
pub mod perf;
pub mod quantity_input;
pub mod term;
pub mod theme;
