//! oomlens web app (Leptos CSR, built by trunk) as two wasm modules over one library:
//! - the shell and the calculator (`src/main.rs`, the first load): [`app`] is the shell (header,
//!   hash routing, language and theme), [`pages::calculator`] the calculator;
//! - the incident page and its analyser (`src/bin/incident.rs`), loaded when the incident page is
//!   first opened or on idle after the calculator is ready: it mounts [`pages::incident`] into the
//!   shell's placeholder, and the same module runs the analysis in a web worker ([`worker`]).
//!
//! Each binary links only what it reaches, so the calculator's module carries no incident reader,
//! text or view, and no YAML reader: it reads JSON and hands YAML to the second module through
//! [`bridge`]. Every number comes from `oomlens_core`.

pub mod app;
pub mod bridge;
pub mod i18n;
pub mod pages;
pub mod share;
pub mod widgets;
pub mod worker;
