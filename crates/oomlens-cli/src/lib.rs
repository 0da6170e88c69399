//! The `oomlens` commands as a library: `main.rs` dispatches to them, and the golden test
//! (`tests/it/golden.rs`) renders the same reports in-process for every example and fixture.

pub mod calc;
pub mod explain;
pub mod input_file;
pub mod learn;

use std::process::ExitCode;

/// Writes a command's output to stdout. A reader that went away (`oomlens explain x | head`) is
/// not an error worth a panic: the output is simply cut, as with any Unix filter.
pub(crate) fn write_stdout(text: &str) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oomlens: cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}
