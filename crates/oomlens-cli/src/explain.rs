//! `oomlens explain` (to be written).

use std::process::ExitCode;

/// Runs `oomlens explain` with the arguments after the subcommand.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("oomlens explain: not implemented yet");
    ExitCode::from(2)
}
