//! `oomlens calc FILE|- [--format text|json]`: evaluates a scenario (the format of
//! docs/scenario-format.md) and prints the report. `--format json` prints the stable contract of
//! docs/calc-json.md. Errors go to stderr with the field path and line, exit code 2, and nothing is
//! printed on stdout.

use oomlens_core::base::quantity::format_bytes;
use oomlens_core::evaluation::{ContainerReport, Evaluation, PodReport};
use oomlens_core::kernel::badness::OomScope;
use oomlens_core::scenario::parse_scenario;
use oomlens_core::simulate::mechanism_name;
use std::io::Read;
use std::process::ExitCode;

/// Rows of each kernel kill order shown in the text report (JSON has them all).
const TEXT_KILL_ORDER_ROWS: usize = 25;

const USAGE: &str = "usage: oomlens calc FILE|- [--format text|json]";

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The readable report ([`render_text`]).
    Text,
    /// The JSON contract of docs/calc-json.md ([`render_json`]).
    Json,
}

fn parse_args(args: &[String]) -> Result<(String, Format), String> {
    let mut file: Option<String> = None;
    let mut format = Format::Text;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = if a == "--format" || a == "-f" {
            i += 1;
            Some(
                args.get(i)
                    .cloned()
                    .ok_or("--format needs a value: text or json")?,
            )
        } else {
            a.strip_prefix("--format=").map(str::to_string)
        };
        if let Some(v) = value {
            format = match v.as_str() {
                "text" => Format::Text,
                "json" => Format::Json,
                other => return Err(format!("unknown format {other:?}: expected text or json")),
            };
        } else if a == "-h" || a == "--help" {
            return Err(String::new());
        } else if a.starts_with("--") {
            return Err(format!("unknown option {a:?}"));
        } else if file.is_some() {
            return Err(format!("unexpected argument {a:?}: give one FILE or -"));
        } else {
            file = Some(a.to_string());
        }
        i += 1;
    }
    let file = file.ok_or("missing FILE (or - for stdin)")?;
    Ok((file, format))
}

/// Runs `oomlens calc` with the arguments after the subcommand.
pub fn run(args: &[String]) -> ExitCode {
    let (file, format) = match parse_args(args) {
        Ok(x) => x,
        Err(m) if m.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(m) => {
            eprintln!("oomlens calc: {m}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = if file == "-" {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("oomlens calc: cannot read stdin: {e}");
            return ExitCode::from(2);
        }
        s
    } else {
        match std::fs::read_to_string(&file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("oomlens calc: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let name = if file == "-" {
        "<stdin>"
    } else {
        file.as_str()
    };
    let scenario = match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{name}: {e}");
            return ExitCode::from(2);
        }
    };
    let eval = match oomlens_core::evaluate(&scenario) {
        Ok(e) => e,
        Err(mut e) => {
            if e.line.is_none() {
                e.line = oomlens_core::scenario::locate_line(&text, &e.path);
            }
            eprintln!("{name}: {e}");
            return ExitCode::from(2);
        }
    };
    match render(&eval, format) {
        Ok(out) => crate::write_stdout(&out),
        Err(e) => {
            eprintln!("oomlens calc: cannot serialise the result: {e}");
            ExitCode::from(2)
        }
    }
}

/// The report of an evaluation in `format`: exactly what `oomlens calc` prints on stdout.
pub fn render(eval: &Evaluation, format: Format) -> Result<String, serde_json::Error> {
    match format {
        Format::Json => render_json(eval),
        Format::Text => Ok(render_text(eval)),
    }
}

/// The JSON report (docs/calc-json.md), pretty-printed, with a final newline.
pub fn render_json(eval: &Evaluation) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(eval).map(|s| s + "\n")
}

fn b(v: i64) -> String {
    format_bytes(v)
}

fn ob(v: Option<i64>) -> String {
    v.map_or_else(|| "-".to_string(), format_bytes)
}

/// A table with left-aligned columns separated by two spaces.
fn table(header: &[&str], rows: &[Vec<String>], indent: &str) -> String {
    let n = header.len();
    let mut w: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let mut s = String::from(indent);
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(w[i].saturating_sub(c.chars().count()) + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        out.push_str(&line(r.clone()));
    }
    out
}

fn pod_row(p: &PodReport) -> Vec<String> {
    vec![
        format!("{}/{}", p.namespace, p.name),
        p.qos_class.to_string(),
        p.priority.to_string(),
        b(p.memory_request_bytes),
        ob(p.memory_limit_bytes),
        ob(p.usage_bytes),
        if p.exceeds_request {
            "yes".into()
        } else {
            "no".into()
        },
        match p.eviction_rank {
            Some(r) if p.eviction_tied => format!("{r} (tie)"),
            Some(r) => r.to_string(),
            None => "never (critical)".into(),
        },
    ]
}

fn container_row(c: &ContainerReport) -> Vec<String> {
    vec![
        format!("  {}", c.name),
        format!("{:?}", c.kind).to_lowercase(),
        c.oom_score_adj.to_string(),
        b(c.memory_request_bytes),
        ob(c.memory_limit_bytes),
        ob(c.memory_high_bytes),
        ob(c.usage_bytes),
        c.oom_score.map_or_else(|| "-".into(), |s| s.to_string()),
    ]
}

/// The text report.
pub fn render_text(e: &Evaluation) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "oomlens calc — kubelet {}, kernel {}\n\n",
        e.kubelet_version, e.kernel_version
    ));
    let n = &e.node;
    s.push_str("Node\n");
    let mut rows = vec![
        vec![
            "capacity".into(),
            b(n.capacity_bytes),
            n.capacity_bytes.to_string(),
        ],
        vec![
            "kube-reserved".into(),
            b(n.kube_reserved_bytes),
            n.kube_reserved_bytes.to_string(),
        ],
        vec![
            "system-reserved".into(),
            b(n.system_reserved_bytes),
            n.system_reserved_bytes.to_string(),
        ],
        vec![
            "hard eviction (memory.available)".into(),
            b(n.hard_eviction_bytes),
            n.hard_eviction_bytes.to_string(),
        ],
        vec![
            "allocatable".into(),
            b(n.allocatable_bytes),
            n.allocatable_bytes.to_string(),
        ],
        vec![
            "kubepods memory.max".into(),
            n.kubepods_limit_bytes
                .map_or_else(|| "unlimited (not enforced)".into(), b),
            n.kubepods_limit_bytes
                .map_or_else(String::new, |v| v.to_string()),
        ],
    ];
    if let Some(p) = &n.preset {
        rows.push(vec!["preset".into(), p.clone(), String::new()]);
    }
    s.push_str(&table(&["", "", "BYTES"], &rows, "  "));
    s.push('\n');

    s.push_str("Eviction thresholds (memory)\n");
    let rows: Vec<Vec<String>> = n
        .thresholds
        .iter()
        .map(|t| {
            vec![
                t.signal.clone(),
                format!("{:?}", t.kind).to_lowercase(),
                format!("{} ({})", b(t.bytes), t.bytes),
                format!("{}s", t.grace_period_seconds),
                b(t.min_reclaim_bytes),
            ]
        })
        .collect();
    if rows.is_empty() {
        s.push_str("  none\n");
    } else {
        s.push_str(&table(
            &["SIGNAL", "KIND", "THRESHOLD", "GRACE", "MIN RECLAIM"],
            &rows,
            "  ",
        ));
    }
    s.push('\n');

    s.push_str("Pods\n");
    let mut rows = Vec::new();
    for p in &e.pods {
        rows.push(pod_row(p));
    }
    s.push_str(&table(
        &[
            "POD",
            "QOS",
            "PRIORITY",
            "REQUEST",
            "POD LIMIT",
            "USAGE",
            "OVER REQ",
            "EVICTION RANK",
        ],
        &rows,
        "  ",
    ));
    s.push('\n');
    s.push_str("Containers\n");
    let mut rows = Vec::new();
    for p in &e.pods {
        rows.push(vec![
            format!("{}/{}", p.namespace, p.name),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        for c in &p.containers {
            rows.push(container_row(c));
        }
    }
    s.push_str(&table(
        &[
            "POD / CONTAINER",
            "KIND",
            "OOM_SCORE_ADJ",
            "REQUEST",
            "LIMIT",
            "MEMORY.HIGH",
            "USAGE",
            "OOM_SCORE",
        ],
        &rows,
        "  ",
    ));
    s.push('\n');

    s.push_str("Eviction order (memory pressure)\n");
    if e.eviction_order.is_empty() {
        s.push_str("  no evictable pod\n");
    }
    for (i, k) in e.eviction_order.iter().enumerate() {
        let tie = e
            .pods
            .iter()
            .find(|p| format!("{}/{}", p.namespace, p.name) == *k)
            .is_some_and(|p| p.eviction_tied);
        s.push_str(&format!(
            "  {:>3}. {k}{}\n",
            i + 1,
            if tie {
                "  (tie: Go's unstable sort decides)"
            } else {
                ""
            }
        ));
    }
    s.push('\n');

    let scopes = e.oom_scopes();
    let trivial = scopes
        .iter()
        .filter(|s| s.scope == OomScope::Pod && s.kill_order.len() <= 2)
        .count();
    if trivial > 0 {
        s.push_str(&format!(
            "Pod cgroup OOM: {trivial} pod(s) with a single container (only the container and its pause process are candidates; not listed)\n\n"
        ));
    }
    for scope in scopes
        .iter()
        .filter(|s| s.scope != OomScope::Pod || s.kill_order.len() > 2)
    {
        s.push_str(&format!(
            "Kernel kill order — {} (limit {}, totalpages {})\n",
            scope.name,
            b(scope.limit_bytes),
            scope.totalpages
        ));
        let rows: Vec<Vec<String>> = scope
            .kill_order
            .iter()
            .take(TEXT_KILL_ORDER_ROWS)
            .enumerate()
            .map(|(i, k)| {
                vec![
                    k.rank.to_string(),
                    scope.kill_order.id(i).to_string(),
                    k.points.to_string(),
                    match k.tie_size {
                        0 | 1 => String::new(),
                        2 => format!("tie with {}", scope.kill_order.tied_with(i).join(", ")),
                        n => format!("tie ({n} processes with these points)"),
                    },
                ]
            })
            .collect();
        s.push_str(&table(&["#", "PROCESS", "BADNESS", ""], &rows, "  "));
        if scope.kill_order.len() > TEXT_KILL_ORDER_ROWS {
            s.push_str(&format!(
                "  … {} more (all of them in --format json)\n",
                scope.kill_order.len() - TEXT_KILL_ORDER_ROWS
            ));
        }
        s.push('\n');
    }

    s.push_str("What fires first\n");
    s.push_str(&format!("  {}\n", e.timeline.outcome()));
    let rows: Vec<Vec<String>> = e
        .timeline
        .steps
        .iter()
        .map(|st| {
            vec![
                format!("t={}s", st.time_seconds),
                mechanism_name(st.mechanism).to_string(),
                st.victim.clone().unwrap_or_default(),
                format!("avail {}", b(st.memory_after.memory_available_bytes)),
            ]
        })
        .collect();
    if !rows.is_empty() {
        s.push_str(&table(&["TIME", "MECHANISM", "WHO", "AFTER"], &rows, "  "));
        for (i, st) in e.timeline.steps.iter().enumerate() {
            s.push_str(&format!("  [{}] {}\n", i + 1, st.reason()));
        }
    }
    if e.timeline.truncated {
        s.push_str("  (simulation stopped at its step/time bound)\n");
    }
    s.push('\n');
    s.push_str("Notes\n");
    for n in &e.notes() {
        s.push_str(&format!("  - {n}\n"));
    }
    for a in oomlens_core::simulate::assumptions() {
        s.push_str(&format!("  - simulation: {}\n", a.english()));
    }
    s
}
