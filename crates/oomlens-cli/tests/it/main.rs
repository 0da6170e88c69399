//! The CLI's integration tests, one binary: the built `oomlens` run end to end (`calc`,
//! `explain_cli`) and the golden snapshots of every report (`golden`).

mod calc;
mod explain_cli;
mod golden;
mod learn_cli;
