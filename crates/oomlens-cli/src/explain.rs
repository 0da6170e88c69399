//! `oomlens explain FILE|- [--format text|json]`: reads a pasted incident (dmesg, memory.stat,
//! kubectl describe, eviction messages, manifests, kubelet configuration) and prints what
//! `oomlens_core::explain` found. Exit codes: 0 (explained, or nothing recognised), 2 (usage error,
//! unreadable or non-UTF-8 input).

use crate::input_file::InputBytes;
use oomlens_core::base::quantity::format_bytes;
use oomlens_core::explanation::{Explanation, Finding, InputKind, Severity};
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: oomlens explain FILE|- [--format text|json]";

#[derive(PartialEq)]
enum Format {
    Text,
    Json,
}

fn parse_args(args: &[String]) -> Result<(String, Format), String> {
    let mut file = None;
    let mut format = Format::Text;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let fmt = if a == "--format" {
            i += 1;
            Some(
                args.get(i)
                    .map(String::as_str)
                    .ok_or("--format needs a value: text or json")?,
            )
        } else {
            a.strip_prefix("--format=")
        };
        match fmt {
            Some("text") => format = Format::Text,
            Some("json") => format = Format::Json,
            Some(other) => return Err(format!("unknown format {other:?}: expected text or json")),
            None if a == "-h" || a == "--help" => return Err(String::new()),
            None if a.starts_with("--") => return Err(format!("unknown option {a:?}")),
            None if file.is_none() => file = Some(a.to_string()),
            None => return Err(format!("unexpected argument {a:?}: only one input file")),
        }
        i += 1;
    }
    Ok((
        file.ok_or("missing input: give a FILE or - for standard input")?,
        format,
    ))
}

fn read_input(file: &str) -> Result<InputBytes, String> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(InputBytes::Owned(buf));
    }
    crate::input_file::read(file).map_err(|e| format!("cannot read {file}: {e}"))
}

/// Runs `oomlens explain` with the arguments after the subcommand.
pub fn run(args: &[String]) -> ExitCode {
    let (file, format) = match parse_args(args) {
        Ok(x) => x,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("oomlens explain: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let bytes = match read_input(&file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("oomlens explain: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match crate::input_file::text(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            eprintln!(
                "oomlens explain: {} is not UTF-8 text (invalid byte at offset {at}, line {line}); convert it first, e.g. `iconv -f latin1 -t utf-8`",
                if file == "-" { "standard input" } else { file.as_str() }
            );
            return ExitCode::from(2);
        }
    };
    let ex = oomlens_core::explain(text);
    let code = match format {
        Format::Json => print_json(&ex),
        Format::Text => crate::write_stdout(&render_text(&ex)),
    };
    // The process ends here: the reading is left to the exit rather than freed piece by piece
    // (about 6 ms for the 878 reports of the 100 MB journal).
    std::mem::forget(ex);
    code
}

/// Writes the JSON report to stdout as it is encoded. What this buys over encoding it into a
/// string first: no second copy of an 18 MB report (a 100 MB journal's) and its page faults.
fn print_json(ex: &Explanation) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let written =
        write_json(ex, &mut out).and_then(|()| out.flush().map_err(serde_json::Error::io));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) => ExitCode::SUCCESS,
        Err(e) if e.is_io() => {
            eprintln!("oomlens: cannot write the output: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("oomlens explain: cannot encode JSON: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes the JSON report (docs/explain-json.md), pretty-printed, with a final newline.
pub fn write_json(ex: &Explanation, mut w: impl std::io::Write) -> Result<(), serde_json::Error> {
    serde_json::to_writer_pretty(&mut w, ex)?;
    w.write_all(b"\n").map_err(serde_json::Error::io)
}

/// The JSON report as a string: exactly what `oomlens explain --format json` prints.
pub fn render_json(ex: &Explanation) -> Result<String, serde_json::Error> {
    let mut out = Vec::new();
    write_json(ex, &mut out)?;
    String::from_utf8(out).map_err(|e| serde_json::Error::io(std::io::Error::other(e)))
}

fn kind_name(k: InputKind) -> &'static str {
    match k {
        InputKind::KernelOom => "kernel OOM report",
        InputKind::SystemdOomd => "systemd-oomd kill",
        InputKind::SystemdUnit => "systemd unit OOM",
        InputKind::MemoryStat => "memory.stat",
        InputKind::DescribePod => "pod (describe/status)",
        InputKind::DescribeNode => "kubectl describe node",
        InputKind::EvictionMessage => "eviction message",
        InputKind::PodManifest => "pod manifest",
        InputKind::KubeletConfig => "kubelet configuration",
        InputKind::EventsTable => "kubectl get events",
    }
}

fn sev(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRITICAL",
        Severity::Warning => "WARNING ",
        Severity::Info => "info    ",
    }
}

fn lines_label(f: &Finding) -> String {
    if f.lines.is_empty() {
        return String::new();
    }
    let mut v = f.lines.clone();
    v.sort_unstable();
    v.dedup();
    let shown: Vec<String> = v.iter().take(8).map(|n| n.to_string()).collect();
    let more = if v.len() > 8 {
        format!(", … ({} lines)", v.len())
    } else {
        String::new()
    };
    format!(
        " [line{} {}{more}]",
        if v.len() > 1 { "s" } else { "" },
        shown.join(", ")
    )
}

fn opt_bytes(v: Option<i64>) -> String {
    v.map(format_bytes).unwrap_or_else(|| "unknown".into())
}

/// The readable report: what was recognised, the readings, then the findings with their lines.
pub fn render_text(ex: &Explanation) -> String {
    let mut s = String::new();
    if ex.inputs.is_empty() {
        s.push_str("Nothing recognised.\n");
    } else {
        s.push_str("Recognised:\n");
        for b in &ex.inputs {
            s.push_str(&format!(
                "  lines {:>5}–{:<5} {}\n",
                b.first_line,
                b.last_line,
                kind_name(b.kind)
            ));
        }
    }
    for (i, e) in ex.oom_events.iter().enumerate() {
        let repeats = match ex.oom_event_groups.get(i) {
            Some(g) if g.count > 1 => {
                format!(", and {} more up to line {}", g.count - 1, g.last_line)
            }
            _ => String::new(),
        };
        s.push_str(&format!(
            "\nKernel OOM (line {}{repeats}): constraint {}, scope {}, {}",
            e.line,
            e.constraint.as_deref().unwrap_or("unknown"),
            e.scope.as_deref().unwrap_or("unknown"),
            e.victim
                .as_ref()
                .map(|v| format!("victim {} (pid {})", v.comm, v.pid))
                .unwrap_or_else(|| "victim unknown".into())
        ));
        if let Some(l) = e.limit_bytes {
            s.push_str(&format!(", limit {}", format_bytes(l)));
        }
        s.push('\n');
    }
    for k in &ex.oomd_kills {
        s.push_str(&format!(
            "\nsystemd-oomd kill (line {}): cgroup {}, reason {}\n",
            k.line, k.cgroup, k.reason
        ));
    }
    for m in &ex.memory_stats {
        s.push_str(&format!(
            "\nmemory.stat (lines {}–{}, cgroup v{}): usage {}, working set {}, anon {}, file {} (active {}, inactive {}), shmem {}, swap {}, limit {}\n",
            m.first_line,
            m.last_line,
            m.cgroup_version.map(|v| v.to_string()).unwrap_or_else(|| "?".into()),
            opt_bytes(m.usage_bytes),
            opt_bytes(m.working_set_bytes),
            opt_bytes(m.anon_bytes),
            opt_bytes(m.file_bytes),
            opt_bytes(m.active_file_bytes),
            opt_bytes(m.inactive_file_bytes),
            opt_bytes(m.shmem_bytes),
            opt_bytes(m.swap_bytes),
            if m.limit_unlimited { "unlimited".into() } else { opt_bytes(m.limit_bytes) },
        ));
    }
    for p in &ex.describe_pods {
        s.push_str(&format!(
            "\nPod {} (lines {}–{}): status {}, QoS {}\n",
            p.name.as_deref().unwrap_or("?"),
            p.first_line,
            p.last_line,
            p.status.as_deref().unwrap_or("?"),
            p.qos_class.as_deref().unwrap_or("?")
        ));
        for c in &p.containers {
            let last = c
                .last_state
                .as_ref()
                .map(|st| {
                    format!(
                        ", last {} {} exit {}",
                        st.state,
                        st.reason.as_deref().unwrap_or(""),
                        st.exit_code.map(|x| x.to_string()).unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            s.push_str(&format!(
                "  {} {}: memory limit {}, request {}, restarts {}{last}\n",
                c.kind,
                c.name,
                c.limits.get("memory").map(String::as_str).unwrap_or("none"),
                c.requests
                    .get("memory")
                    .map(String::as_str)
                    .unwrap_or("none"),
                c.restart_count
                    .map(|r| r.to_string())
                    .unwrap_or_else(|| "?".into())
            ));
        }
    }
    for n in &ex.describe_nodes {
        s.push_str(&format!(
            "\nNode {} (lines {}–{}): memory capacity {}, allocatable {}\n",
            n.name.as_deref().unwrap_or("?"),
            n.first_line,
            n.last_line,
            n.capacity.get("memory").map(String::as_str).unwrap_or("?"),
            n.allocatable
                .get("memory")
                .map(String::as_str)
                .unwrap_or("?")
        ));
    }
    if !ex.findings.is_empty() {
        s.push_str("\nFindings:\n");
        let mut fs: Vec<&Finding> = ex.findings.iter().collect();
        fs.sort_by_key(|f| std::cmp::Reverse(f.severity));
        for f in fs {
            s.push_str(&format!(
                "  {} {}{}\n",
                sev(f.severity),
                f.english(),
                lines_label(f)
            ));
            if let Some(a) = &f.advice {
                s.push_str(&format!("           → {}\n", a.english()));
            }
        }
    }
    if ex.scenario.is_some() {
        s.push_str("\nA calculator scenario can be built from this paste (see `scenario` in --format json).\n");
    }
    s
}
