//! `oomlens`: the command-line interface over oomlens-core. Each subcommand lives in its own module;
//! this file only dispatches (the commands are the library `oomlens_cli`, which the golden test
//! calls directly).

use oomlens_cli::{calc, explain, learn};
use std::process::ExitCode;

const HELP: &str = "oomlens — explain and predict how a Kubernetes node kills pods under memory pressure

Usage:
  oomlens calc FILE|- [--format text|json]      evaluate a scenario (node, kubelet config, pods)
  oomlens explain FILE|- [--format text|json]   explain a pasted incident (dmesg, memory.stat, kubectl describe…)
  oomlens learn FILE [--format text|json]       check a training lesson's answers against the model
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
        Some("learn") => learn::run(&args[1..]),
        Some(other) => {
            eprintln!("oomlens: unknown command {other:?}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}
