//! `oomlens calc` (to be written).

use std::process::ExitCode;

/// Runs `oomlens calc` with the arguments after the subcommand.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("oomlens calc: not implemented yet");
    ExitCode::from(2)
}
