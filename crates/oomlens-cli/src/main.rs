//! `oomlens`: the command-line interface over oomlens-core. Each subcommand lives in its own module;
//! this file only dispatches.

mod calc;
mod explain;

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

use std::process::ExitCode;

const HELP: &str = "oomlens — explain and predict how a Kubernetes node kills pods under memory pressure

Usage:
  oomlens calc FILE|- [--format text|json]      evaluate a scenario (node, kubelet config, pods)
  oomlens explain FILE|- [--format text|json]   explain a pasted incident (dmesg, memory.stat, kubectl describe…)
  oomlens --version
  oomlens --help
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("--help") | Some("-h") | Some("help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("--version") | Some("-V") => {
            println!("oomlens {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("calc") => calc::run(&args[1..]),
        Some("explain") => explain::run(&args[1..]),
        Some(other) => {
            eprintln!("oomlens: unknown command {other:?}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}
