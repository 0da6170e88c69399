//! systemd (PID 1) reporting a kernel OOM kill in one of its units:
//! `<unit>: A process of this unit has been killed by the OOM killer.` (later releases:
//! `<unit>: The kernel OOM killer killed some processes in this unit.`) and, when the unit's
//! `OOMPolicy=` is `stop` (the default) or `kill`, `<unit>: Failed with result 'oom-kill'.` (also
//! after a systemd-oomd kill, which the same policy covers)
//!
//! These are not systemd-oomd's (its lines are read by [`crate::diag::oomd`]): PID 1 logs the
//! first when the `oom_kill` counter of the unit's `memory.events` has grown (systemd/systemd
//! `src/core/cgroup.c` `unit_check_oom`, read at 000e859cf19aee28f77080aa0cc711a197bcd15d;
//! OOM handling since v243, cgroup v2 only). `memory.events` is hierarchical, so a unit with
//! sub-cgroups (`user@1000.service`) reports kills further down, and a slice may report one
//! when its cgroup empties: several units can name one kill. The victim's pid and command are
//! only in the kernel's own report. The second line is the service's result (`src/core/service.c`
//! `service_notify_cgroup_oom_event`, `service_result_table`): `OOMPolicy=stop` stops the
//! service, `kill` kills the rest of it, `continue` keeps it running (systemd.service(5),
//! https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#OOMPolicy=).
//!
//! On a Kubernetes node the units are the runtime's container scopes
//! (`cri-containerd-<id>.scope`) and kubelet's pod and QoS slices, decoded by
//! [`crate::kubelet::cgroup_path`].

use crate::base::message::{Arg, Message};
use crate::diag::dmesg::event::OomEvent;
use crate::diag::finding::{Finding, Severity};
use crate::diag::input::{InputBlock, InputKind};
use crate::diag::lines::{lines_containing, strip_prefixes, NumberedLine};
use crate::kubelet::cgroup_path::{self, CgroupPath};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

const KILLED: &str = ": A process of this unit has been killed by the OOM killer";
const KILLED_NEWER: &str = ": The kernel OOM killer killed some processes in this unit";
const FAILED: &str = ": Failed with result 'oom-kill'";

/// What systemd said about the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitOomKind {
    /// A process of the unit was killed by the kernel OOM killer.
    Killed,
    /// The unit failed with result `oom-kill` (stopped by `OOMPolicy=stop`).
    Failed,
}

/// One such line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitOom {
    /// Line in the paste.
    pub line: usize,
    /// The unit, as printed (`mariadb.service`, `cri-containerd-<id>.scope`).
    pub unit: String,
    /// Which line it is.
    pub kind: UnitOomKind,
    /// The time printed before it, as printed.
    pub time: Option<String>,
    /// What the unit's name says about Kubernetes, when it names a pod or a container.
    pub cgroup: Option<CgroupPath>,
}

/// What was read: the lines, and their blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitOomReading {
    /// One block per run of such lines (lines at most [`GAP`] apart).
    pub blocks: Vec<InputBlock>,
    /// Every line, in input order.
    pub units: Vec<UnitOom>,
}

/// Lines this far apart still belong to one report of one kill.
const GAP: usize = 5;

/// The words every line this reader uses holds.
pub const NEEDLES: [&str; 2] = ["OOM killer", "'oom-kill'"];

/// Reads every such line of `text`. Only lines holding the messages' words are cut out.
pub fn read(text: &str) -> UnitOomReading {
    read_lines(lines_containing(text, &NEEDLES))
}

/// [`read`] on the lines of a text that hold one of [`NEEDLES`], in order.
pub fn read_lines<'a>(lines: impl Iterator<Item = NumberedLine<'a>>) -> UnitOomReading {
    let mut out = UnitOomReading::default();
    for nl in lines {
        let st = strip_prefixes(nl.text);
        if st.tag.is_some_and(|t| t != "systemd" && t != "init") {
            continue;
        }
        let m = st.message.trim();
        let m = m.strip_suffix('.').unwrap_or(m);
        let (unit, kind) = if let Some(u) = m
            .strip_suffix(KILLED)
            .or_else(|| m.strip_suffix(KILLED_NEWER))
        {
            (u, UnitOomKind::Killed)
        } else if let Some(u) = m.strip_suffix(FAILED) {
            (u, UnitOomKind::Failed)
        } else {
            continue;
        };
        if !is_unit_name(unit) {
            continue;
        }
        let decoded = cgroup_path::decode(&format!("/{unit}"));
        let cgroup =
            (decoded.pod_uid.is_some() || decoded.container_id.is_some()).then_some(decoded);
        out.units.push(UnitOom {
            line: nl.number,
            unit: unit.to_string(),
            kind,
            time: st.time.map(str::to_string),
            cgroup,
        });
        match out.blocks.last_mut() {
            Some(b) if nl.number <= b.last_line + GAP => b.last_line = nl.number,
            _ => out.blocks.push(InputBlock {
                kind: InputKind::SystemdUnit,
                first_line: nl.number,
                last_line: nl.number,
            }),
        }
    }
    out
}

/// A systemd unit name: `name.type`, no blanks, a known unit type.
fn is_unit_name(u: &str) -> bool {
    const TYPES: [&str; 4] = [".service", ".scope", ".slice", ".socket"];
    !u.is_empty()
        && u.len() <= 256
        && !u.contains(char::is_whitespace)
        && TYPES.iter().any(|t| u.ends_with(t))
}

/// The findings. A run of `killed` lines whose unit holds a kernel kill the paste reports (its
/// `task_memcg` ends in the unit; the nearest report before the line, else after it) only
/// confirms that report: one such run is said with the kernel's victim, several are counted in
/// one finding (a journal with a hundred kills does not repeat each). A run without one is a kill
/// the paste does not show: critical, with where to find the report. One finding per failed unit.
pub fn findings(r: &UnitOomReading, kernel: &[OomEvent]) -> Vec<Finding> {
    // Kernel kills by the last component of their task cgroup (the unit), in line order.
    let mut by_unit: HashMap<&str, Vec<&OomEvent>> = HashMap::new();
    for e in kernel {
        if let Some(unit) = e.task_memcg.as_deref().and_then(|p| p.rsplit('/').next()) {
            by_unit.entry(unit).or_default().push(e);
        }
    }
    let kill_for = |unit: &str, line: usize| -> Option<&OomEvent> {
        let evs = by_unit.get(unit)?;
        let after = evs.partition_point(|e| e.line <= line);
        evs.get(after.checked_sub(1)?)
            .or_else(|| evs.get(after))
            .copied()
    };
    let mut out = Vec::new();
    let mut confirmed: Vec<Finding> = Vec::new();
    let mut confirmed_lines: Vec<usize> = Vec::new();
    // Blocks and lines are both in line order: each block takes the next lines (one walk).
    let mut rest: &[UnitOom] = &r.units;
    for b in &r.blocks {
        let n = rest.iter().take_while(|u| u.line <= b.last_line).count();
        let (in_block, after) = rest.split_at(n);
        rest = after;
        let killed: Vec<&UnitOom> = in_block
            .iter()
            .filter(|u| u.kind == UnitOomKind::Killed)
            .collect();
        if !killed.is_empty() {
            // Each unit once, in order of appearance (a set keeps a long run linear).
            let mut seen: HashSet<&str> = HashSet::new();
            let names: Vec<&str> = killed
                .iter()
                .map(|u| u.unit.as_str())
                .filter(|n| seen.insert(n))
                .collect();
            let mut lines: Vec<usize> = killed.iter().map(|u| u.line).collect();
            let matched = killed.iter().find_map(|u| kill_for(&u.unit, u.line));
            let kernel_clause = matched.and_then(|e| {
                let v = e.victim.as_ref()?;
                Some((
                    e.line,
                    Message::with(
                        "unit_oom.clause.kernel",
                        [
                            ("comm", Arg::text(v.comm.clone())),
                            ("pid", Arg::Int(v.pid)),
                            ("line", Arg::Int(i64::try_from(e.line).unwrap_or(i64::MAX))),
                        ],
                    ),
                ))
            });
            let pod = killed
                .iter()
                .find_map(|u| u.cgroup.as_ref())
                .map(pod_clause);
            let unit_lines = lines.clone();
            if let Some((l, _)) = &kernel_clause {
                lines.push(*l);
            }
            lines.sort_unstable();
            lines.dedup();
            let message = Message::with(
                "unit_oom.killed",
                [
                    ("units", Arg::text(names.join(", "))),
                    ("pod", Arg::optional(pod)),
                    (
                        "kernel",
                        Arg::optional(kernel_clause.as_ref().map(|k| k.1.clone())),
                    ),
                ],
            );
            if kernel_clause.is_some() {
                confirmed.push(Finding::new(Severity::Info, message, lines));
                confirmed_lines.extend(unit_lines);
            } else {
                out.push(
                    Finding::new(Severity::Critical, message, lines)
                        .advice(Message::plain("advice.unit_oom.find_kernel_report")),
                );
            }
        }
        for u in in_block.iter().filter(|u| u.kind == UnitOomKind::Failed) {
            out.push(
                Finding::new(
                    Severity::Warning,
                    Message::with("unit_oom.failed", [("unit", Arg::text(u.unit.clone()))]),
                    vec![u.line],
                )
                .advice(Message::plain("advice.unit_oom.failed")),
            );
        }
    }
    if confirmed.len() > 1 {
        out.push(Finding::new(
            Severity::Info,
            Message::with(
                "unit_oom.confirmed",
                [(
                    "count",
                    Arg::Int(i64::try_from(confirmed.len()).unwrap_or(i64::MAX)),
                )],
            ),
            confirmed_lines,
        ));
    } else {
        out.extend(confirmed);
    }
    out
}

/// ` (container <id> of pod <uid> (QoS))` for a unit that names a container or a pod.
fn pod_clause(c: &CgroupPath) -> Message {
    let uid = c.pod_uid.clone().unwrap_or_default();
    match (&c.container_id, &c.qos_class) {
        (Some(id), _) => Message::with(
            "unit_oom.clause.container",
            [(
                "container",
                Arg::text(id.get(..12).unwrap_or(id).to_string()),
            )],
        ),
        (None, Some(q)) => Message::with(
            "oom.clause.of_pod_qos",
            [("pod", Arg::text(uid)), ("qos", Arg::text(q.clone()))],
        ),
        (None, None) => Message::with("oom.clause.of_pod", [("pod", Arg::text(uid))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_lines_and_skips_lookalikes() {
        let t = "Jun 1 00:00:00 h systemd[1]: a.service: A process of this unit has been killed by the OOM killer.\n\
                 noise\n\
                 Jun 1 00:00:00 h systemd[1]: a.service: Failed with result 'oom-kill'.\n\
                 Jun 1 00:00:00 h app[9]: my note: A process of this unit has been killed by the OOM killer.\n\
                 b c.service: A process of this unit has been killed by the OOM killer.\n";
        let r = read(t);
        let got: Vec<(usize, &str, UnitOomKind)> = r
            .units
            .iter()
            .map(|u| (u.line, u.unit.as_str(), u.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "a.service", UnitOomKind::Killed),
                (3, "a.service", UnitOomKind::Failed)
            ]
        );
        assert_eq!(r.blocks.len(), 1);
        assert_eq!((r.blocks[0].first_line, r.blocks[0].last_line), (1, 3));
    }
}
