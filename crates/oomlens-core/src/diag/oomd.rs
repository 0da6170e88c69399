//! Reader for systemd-oomd kill messages (`systemd/systemd src/oom/oomd-manager.c`, v247 →):
//! - `Killed <cgroup> due to memory pressure for <monitored> being 74.23% > 20.00% for > 2s with reclaim activity`
//!   (≥ 248; ≥ 253 says `Marked <cgroup> for killing due to …` and kills right after);
//! - `Killed <cgroup> due to memory used (N) / total (N) and swap used (N) / total (N) being more than 90.00%`
//!   (and its `Marked … for killing` form; v247 printed `due to swap used (N) / total (N) being more than …`);
//! - the unit's own `…scope: systemd-oomd killed 1463 process(es) in this unit.` (systemd/user manager);
//! - `Considered N cgroups for killing, top candidates were:`.
//!
//! systemd-oomd is a userspace killer acting on PSI memory pressure or swap use before the kernel
//! OOM killer would: it kills whole cgroups with SIGKILL and leaves no kernel OOM report.

use crate::base::message::{Arg, Join, Message};
use crate::diag::finding::{Finding, Severity};
use crate::diag::input::{InputBlock, InputKind};
use crate::diag::lines::{head, leading_u64, lines_containing, strip_prefixes, NumberedLine};
use crate::kubelet::cgroup_path::{self, CgroupPath};
use serde::Serialize;

/// One systemd-oomd kill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OomdKill {
    /// Line of the `Killed …`/`Marked …` message.
    pub line: usize,
    /// The cgroup killed.
    pub cgroup: String,
    /// `memory_pressure` or `swap`.
    pub reason: String,
    /// True for the `Marked … for killing` form (systemd ≥ 253).
    pub marked: bool,
    /// The monitored cgroup whose pressure was too high.
    pub monitored: Option<String>,
    /// Pressure (avg10 %) measured.
    pub pressure_percent: Option<f64>,
    /// Configured ManagedOOMMemoryPressureLimit %.
    pub limit_percent: Option<f64>,
    /// For how long (`2s`, `20s`, `1min`).
    pub duration: Option<String>,
    /// memory used bytes (swap variant).
    pub memory_used_bytes: Option<i64>,
    /// memory total bytes.
    pub memory_total_bytes: Option<i64>,
    /// swap used bytes.
    pub swap_used_bytes: Option<i64>,
    /// swap total bytes.
    pub swap_total_bytes: Option<i64>,
    /// Number of processes killed, from the unit's message.
    pub processes_killed: Option<i64>,
    /// `Considered N cgroups`.
    pub candidates_considered: Option<i64>,
    /// The top candidates systemd-oomd printed before the kill (most likely first).
    pub candidates: Vec<OomdCandidate>,
    /// The killed cgroup decoded.
    pub decoded: CgroupPath,
    /// Evidence lines.
    pub lines: Vec<usize>,
}

/// One cgroup of a `Considered N cgroups for killing, top candidates were:` dump
/// (`oomd_dump_memory_pressure_cgroup_context` / `oomd_dump_swap_cgroup_context` in
/// `systemd/systemd src/oom/oomd-util.c`): values as printed (`388.4M`, `1.77`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct OomdCandidate {
    /// Line of its `Path:`.
    pub line: usize,
    /// The cgroup.
    pub path: String,
    /// `Swap Usage:` (swap dumps).
    pub swap_usage: Option<String>,
    /// `Current Memory Usage:`.
    pub memory_usage: Option<String>,
    /// `Pressure: Avg10:` value.
    pub pressure_avg10: Option<String>,
    /// `Memory Pressure Limit:`.
    pub pressure_limit: Option<String>,
    /// `Memory Min:`.
    pub memory_min: Option<String>,
    /// `Memory Low:`.
    pub memory_low: Option<String>,
}

/// A candidate dump with no kill after it in the paste.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct OomdCandidates {
    /// Line of `Considered N cgroups…`.
    pub line: usize,
    /// N.
    pub considered: i64,
    /// The candidates printed.
    pub candidates: Vec<OomdCandidate>,
    /// Its last line.
    pub last_line: usize,
}

/// Reads one line of a candidate dump into `c`; false when it is not one.
fn candidate_line(m: &str, line: usize, c: &mut Vec<OomdCandidate>) -> bool {
    if let Some(p) = m.strip_prefix("Path: ") {
        c.push(OomdCandidate {
            line,
            path: p.trim().to_string(),
            ..OomdCandidate::default()
        });
        return true;
    }
    let Some(last) = c.last_mut() else {
        return false;
    };
    let Some((k, v)) = m.split_once(": ") else {
        return false;
    };
    let v = Some(v.trim().to_string());
    match k.trim() {
        "Swap Usage" => last.swap_usage = v,
        "Current Memory Usage" => last.memory_usage = v,
        "Memory Pressure Limit" => last.pressure_limit = v,
        "Memory Min" => last.memory_min = v,
        "Memory Low" => last.memory_low = v,
        "Pressure" => {
            last.pressure_avg10 = m
                .split_whitespace()
                .skip_while(|w| *w != "Avg10:")
                .nth(1)
                .map(str::to_string)
        }
        "Pgscan" | "Last Pgscan" => {}
        _ => return false,
    }
    true
}

/// What [`read`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct OomdReading {
    /// Kills in input order.
    pub kills: Vec<OomdKill>,
    /// Candidate dumps that no kill in the paste follows.
    pub dumps: Vec<OomdCandidates>,
    /// Blocks (kind `SystemdOomd`).
    pub blocks: Vec<InputBlock>,
}

/// Reads every systemd-oomd kill in `text`.
pub fn read(text: &str) -> OomdReading {
    read_lines(lines_containing(text, &NEEDLES))
}

/// The words every line this reader uses holds.
pub const NEEDLES: [&str; 2] = ["oomd", "due to "];

/// [`read`] on the lines of a text that hold one of [`NEEDLES`] (others are passed over), in
/// order: how `explain` shares one substring search among its readers.
pub fn read_lines<'a>(lines: impl Iterator<Item = NumberedLine<'a>>) -> OomdReading {
    let mut out = OomdReading::default();
    let mut considered: Option<(usize, i64)> = None;
    // The candidates of the open dump and their lines.
    let mut cands: Vec<OomdCandidate> = Vec::new();
    let mut cand_lines: Vec<usize> = Vec::new();
    let mut it = lines.peekable();
    while let Some(nl) = it.next() {
        let raw = head(nl.text, 4096);
        if !raw.contains("oomd") && !raw.contains("due to ") {
            continue;
        }
        let st = strip_prefixes(raw);
        let from_oomd = st.tag.is_none_or(|t| t == "systemd-oomd");
        let m = st.message.trim();
        if let Some(r) = m.strip_prefix("Considered ") {
            if let Some((n, _)) =
                leading_u64(r).filter(|(_, rest)| rest.starts_with(" cgroups for killing"))
            {
                close_dump(&mut out, considered.take(), &mut cands, &mut cand_lines);
                considered = Some((nl.number, i64::try_from(n).unwrap_or(i64::MAX)));
            }
            continue;
        }
        if considered.is_some() && from_oomd && candidate_line(m, nl.number, &mut cands) {
            cand_lines.push(nl.number);
            continue;
        }
        if let Some(count) = unit_message(m) {
            if let Some(k) = out.kills.last_mut() {
                if k.processes_killed.is_none() && nl.number.saturating_sub(k.line) <= 50 {
                    k.processes_killed = Some(count);
                    k.lines.push(nl.number);
                }
            }
            continue;
        }
        if !from_oomd {
            continue;
        }
        // A terminal or an issue tracker may wrap the reason onto the next line.
        let mut joined = None;
        if (m.starts_with("Killed /") || m.starts_with("Marked /") || m.starts_with("Marked …"))
            && !m.contains(" due to ")
        {
            if let Some(next) = it.peek().filter(|n| n.number == nl.number + 1) {
                let nm = strip_prefixes(head(next.text, 4096)).message.trim();
                if nm.starts_with("due to ") {
                    joined = Some((format!("{m} {nm}"), next.number));
                }
            }
        }
        if joined.is_some() {
            it.next();
        }
        let (msg, extra) = match &joined {
            Some((j, n)) => (j.as_str(), Some(*n)),
            None => (m, None),
        };
        if let Some(mut k) = kill_message(msg, nl.number, st.tag.is_some()) {
            k.lines.extend(extra);
            if let Some((l, n)) = considered.take() {
                if nl.number.saturating_sub(l) <= 200 {
                    k.candidates_considered = Some(n);
                    k.lines.insert(0, l);
                    k.candidates = std::mem::take(&mut cands);
                    k.lines.splice(1..1, cand_lines.drain(..));
                } else {
                    close_dump(&mut out, Some((l, n)), &mut cands, &mut cand_lines);
                }
            }
            out.kills.push(k);
        }
    }
    close_dump(&mut out, considered.take(), &mut cands, &mut cand_lines);
    let mut spans: Vec<(usize, usize)> = out
        .kills
        .iter()
        .map(|k| {
            (
                k.lines.first().copied().unwrap_or(k.line),
                k.lines.last().copied().unwrap_or(k.line),
            )
        })
        .chain(out.dumps.iter().map(|d| (d.line, d.last_line)))
        .collect();
    spans.sort_unstable();
    for (first, last) in spans {
        InputBlock::extend_or_push(&mut out.blocks, InputKind::SystemdOomd, first, last);
    }
    out
}

/// Keeps a candidate dump that no kill line took.
fn close_dump(
    out: &mut OomdReading,
    considered: Option<(usize, i64)>,
    cands: &mut Vec<OomdCandidate>,
    lines: &mut Vec<usize>,
) {
    if let Some((line, n)) = considered {
        out.dumps.push(OomdCandidates {
            line,
            considered: n,
            last_line: lines.last().copied().unwrap_or(line).max(line),
            candidates: std::mem::take(cands),
        });
    }
    cands.clear();
    lines.clear();
}

/// `<unit>: systemd-oomd killed 1463 process(es) in this unit.` → count.
fn unit_message(m: &str) -> Option<i64> {
    let i = m.find("systemd-oomd killed ")?;
    let (n, rest) = leading_u64(m.get(i + 20..)?)?;
    rest.trim_start()
        .starts_with("process")
        .then(|| i64::try_from(n).unwrap_or(i64::MAX))
}

/// `tagged`: the line carried a `systemd-oomd[pid]:` tag, so a kill whose reason was cut off
/// still counts (reason `unknown`).
fn kill_message(m: &str, line: usize, tagged: bool) -> Option<OomdKill> {
    let (body, marked) = if let Some(r) = m.strip_prefix("Killed ") {
        (r, false)
    } else if let Some(r) = m.strip_prefix("Marked ") {
        (r, true)
    } else {
        return None;
    };
    let (cg, why) = match body.find(" due to ") {
        Some(due) => (body.get(..due)?, body.get(due + 8..)?),
        None if tagged && (body.starts_with('/') || body.starts_with('…')) => (body, ""),
        None => return None,
    };
    let cgroup = cg
        .trim()
        .trim_end_matches(" for killing")
        .trim()
        .to_string();
    if cgroup.is_empty() || cgroup.contains(' ') {
        return None;
    }
    let mut k = OomdKill {
        line,
        cgroup: cgroup.clone(),
        reason: String::new(),
        marked,
        monitored: None,
        pressure_percent: None,
        limit_percent: None,
        duration: None,
        memory_used_bytes: None,
        memory_total_bytes: None,
        swap_used_bytes: None,
        swap_total_bytes: None,
        processes_killed: None,
        candidates_considered: None,
        candidates: Vec::new(),
        decoded: cgroup_path::decode(&cgroup),
        lines: vec![line],
    };
    if let Some(r) = why.strip_prefix("memory pressure for ") {
        k.reason = "memory_pressure".into();
        let being = r.find(" being ")?;
        k.monitored = Some(r.get(..being)?.trim().to_string());
        let r = r.get(being + 7..)?;
        let (p, r) = percent(r)?;
        k.pressure_percent = Some(p);
        let r = r.trim_start().strip_prefix('>')?;
        let (l, r) = percent(r)?;
        k.limit_percent = Some(l);
        k.duration = r
            .trim_start()
            .strip_prefix("for > ")
            .and_then(|d| d.split_whitespace().next())
            .map(str::to_string);
    } else if why.starts_with("memory used (") || why.starts_with("swap used (") {
        k.reason = "swap".into();
        k.memory_used_bytes = paren_after(why, "memory used (");
        k.memory_total_bytes = why
            .find("memory used (")
            .and_then(|i| paren_after(why.get(i..)?, "total ("));
        k.swap_used_bytes = paren_after(why, "swap used (");
        k.swap_total_bytes = why
            .find("swap used (")
            .and_then(|i| paren_after(why.get(i..)?, "total ("));
        k.limit_percent = why
            .find("more than ")
            .and_then(|i| percent(why.get(i + 10..)?))
            .map(|p| p.0);
    } else if why.is_empty() {
        k.reason = "unknown".into();
    } else {
        return None;
    }
    Some(k)
}

fn paren_after(s: &str, key: &str) -> Option<i64> {
    let i = s.find(key)?;
    leading_u64(s.get(i + key.len()..)?).and_then(|(v, _)| i64::try_from(v).ok())
}

/// `74.23%` → 74.23 and the rest.
fn percent(s: &str) -> Option<(f64, &str)> {
    let t = s.trim_start();
    let end = t.find('%')?;
    let v: f64 = t.get(..end)?.trim().parse().ok()?;
    v.is_finite().then_some((v, t.get(end + 1..)?))
}

/// What one systemd-oomd kill means.
pub fn findings(k: &OomdKill) -> Vec<Finding> {
    let why = match k.reason.as_str() {
        "memory_pressure" => match (
            &k.monitored,
            k.pressure_percent,
            k.limit_percent,
            &k.duration,
        ) {
            (Some(unit), Some(p), Some(l), Some(d)) => Message::with(
                "oomd.why.pressure",
                [
                    ("unit", Arg::text(unit.clone())),
                    ("pressure", Arg::Decimal(p, 2)),
                    ("limit", Arg::Decimal(l, 2)),
                    ("duration", Arg::text(d.clone())),
                ],
            ),
            _ => Message::plain("oomd.why.pressure_cut"),
        },
        "unknown" => Message::plain("oomd.why.cut"),
        _ => match (
            k.memory_used_bytes,
            k.memory_total_bytes,
            k.swap_used_bytes,
            k.swap_total_bytes,
            k.limit_percent,
        ) {
            (Some(mu), Some(mt), Some(su), Some(st), Some(l)) => Message::with(
                "oomd.why.swap",
                [
                    ("memory_used", Arg::Bytes(mu)),
                    ("memory_total", Arg::Bytes(mt)),
                    ("swap_used", Arg::Bytes(su)),
                    ("swap_total", Arg::Bytes(st)),
                    ("limit", Arg::Decimal(l, 2)),
                ],
            ),
            _ => Message::plain("oomd.why.swap_cut"),
        },
    };
    let mut out =
        vec![Finding::new(
            Severity::Critical,
            Message::with(
                "oomd.kill",
                [
                    ("cgroup", Arg::text(k.cgroup.clone())),
                    (
                        "processes",
                        Arg::optional(k.processes_killed.map(|n| {
                            Message::with("oomd.clause.processes", [("count", Arg::Int(n))])
                        })),
                    ),
                    ("why", Arg::message(why)),
                ],
            ),
            k.lines.clone(),
        )
        .advice(Message::plain("advice.oomd.kill"))];
    let in_k8s = k.decoded.pod_uid.is_some()
        || k.decoded
            .scope
            .as_deref()
            .is_some_and(|s| s != "other" && s != "node");
    if in_k8s {
        out.push(
            Finding::new(
                Severity::Critical,
                Message::with(
                    "oomd.kubernetes",
                    [(
                        "pod",
                        Arg::optional(
                            k.decoded
                                .pod_uid
                                .as_deref()
                                .map(|u| Message::with("oomd.clause.pod", [("pod", Arg::text(u))])),
                        ),
                    )],
                ),
                k.lines.clone(),
            )
            .advice(Message::plain("advice.oomd.kubernetes")),
        );
    }
    out
}

/// One candidate as a phrase: its path and the values printed for it.
fn candidate_message(c: &OomdCandidate) -> Message {
    let clauses: Vec<Message> = [
        ("oomd.candidate.swap", &c.swap_usage),
        ("oomd.candidate.memory", &c.memory_usage),
        ("oomd.candidate.pressure", &c.pressure_avg10),
    ]
    .into_iter()
    .filter_map(|(id, v)| {
        v.as_ref()
            .map(|v| Message::with(id, [("value", Arg::text(v.clone()))]))
    })
    .collect();
    Message::with(
        "oomd.candidate",
        [
            ("path", Arg::text(c.path.clone())),
            ("details", Arg::List(clauses, Join::Concat)),
        ],
    )
}

/// The finding for a candidate dump no kill in the paste follows.
pub fn dump_finding(d: &OomdCandidates) -> Finding {
    let mut lines = vec![d.line];
    lines.extend(d.candidates.iter().map(|c| c.line));
    Finding::new(
        Severity::Warning,
        Message::with(
            "oomd.candidates",
            [
                ("count", Arg::Int(d.considered)),
                (
                    "list",
                    Arg::List(
                        d.candidates.iter().map(candidate_message).collect(),
                        Join::Clauses,
                    ),
                ),
            ],
        ),
        lines,
    )
    .advice(Message::plain("advice.oomd.candidates"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pressure_and_swap_forms() {
        let r = read("Jan 09 14:32:25 H systemd-oomd[70]: Killed /user.slice/a.slice/b.service due to memory pressure for /user.slice/a.slice being 74.23% > 20.00% for > 2s with reclaim activity\n");
        let k = &r.kills[0];
        assert_eq!(
            (
                k.reason.as_str(),
                k.pressure_percent,
                k.limit_percent,
                k.duration.as_deref()
            ),
            ("memory_pressure", Some(74.23), Some(20.0), Some("2s"))
        );
        let r = read("19:46:58 systemd-oomd[726]: Marked /a.scope for killing due to memory used (16260780032) / total (16419115008) and swap used (29560922112) / total (32838500352) being more than 90.00%\n");
        let k = &r.kills[0];
        assert_eq!(
            (
                k.cgroup.as_str(),
                k.marked,
                k.swap_total_bytes,
                k.limit_percent
            ),
            ("/a.scope", true, Some(32838500352), Some(90.0))
        );
    }
}
