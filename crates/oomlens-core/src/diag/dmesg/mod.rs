//! Reader for kernel OOM-killer reports (`dmesg`, `dmesg -T`/`-x`, journalctl/syslog, `/dev/kmsg`),
//! kernels 3.10 → 6.x, as printed by `torvalds/linux mm/oom_kill.c` and `mm/memcontrol.c`.
//!
//! [`read`] turns a paste into [`OomEvent`]s (one per kill) and the input blocks
//! they span; [`findings`] explains one event: the mechanism, the Kubernetes consequence, whether the
//! kernel's victim is what the task table implies (badness recomputed per row with
//! [`crate::kernel::badness`]), and what to do.
//!
//! Reading is one linear pass. Outside a report, only lines holding an anchor (`oom`, `Kill`,
//! `kill`, `emory`, `total_vm`) are looked at, found with `memchr::memmem`; inside a report every
//! line is read until its kill line. Lines are classified on their first 4 KiB (the kernel's own
//! record limit is 1 KiB), so one huge line costs one scan. Several reports, interleaved with other
//! logs, are split on their headers; fragments without a header (a pasted `oom-kill:` line and its
//! `Killed process`) still make events. The rules the cadvisor OOM parser uses
//! (`google/cadvisor utils/oomparser/oomparser.go`) are a subset of these.

mod assemble;
mod choice;
pub mod event;
mod findings;
pub mod group;
pub mod parse;

pub use findings::findings;

use crate::base::message::Message;
use crate::diag::dmesg::event::OomEvent;
use crate::diag::input::InputBlock;
use crate::diag::lines::NumberedLine;
use crate::kubelet::cgroup_path::CgroupPath;
use assemble::*;
use serde::Serialize;

/// What [`read`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DmesgReading {
    /// One event per group of repeated kills (`group`), in order of each group's first kill.
    pub events: Vec<OomEvent>,
    /// The groups, parallel to `events`.
    pub groups: Vec<group::OomEventGroup>,
    /// The line ranges of the reports (kind `KernelOom`).
    pub blocks: Vec<InputBlock>,
}

/// Facts of a report beyond the `OomEvent` contract (all optional; unknown → `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct OomDetails {
    /// Kernel release from the `CPU: … Comm: … <release>` line.
    pub kernel_release: Option<String>,
    /// PID of the task that triggered the OOM.
    pub trigger_pid: Option<i64>,
    /// oom_score_adj of the triggering task (header).
    pub trigger_oom_score_adj: Option<i64>,
    /// gfp_mask as printed.
    pub gfp_mask: Option<String>,
    /// Allocation order.
    pub order: Option<i64>,
    /// cpuset name (≤ 4.18 cpuset line or the `oom-kill:` line).
    pub cpuset: Option<String>,
    /// mems_allowed.
    pub mems_allowed: Option<String>,
    /// Raw constraint (`CONSTRAINT_MEMCG` …).
    pub constraint_raw: Option<String>,
    /// memcg failcnt (times the limit was hit).
    pub failcnt: Option<i64>,
    /// The memcg limit printed was "unlimited" (PAGE_COUNTER_MAX).
    pub limit_unlimited: bool,
    /// v2 `swap:` usage bytes.
    pub swap_usage_bytes: Option<i64>,
    /// v2 `swap:` limit bytes (None when unlimited or absent).
    pub swap_limit_bytes: Option<i64>,
    /// v2 swap limit printed as unlimited.
    pub swap_limit_unlimited: bool,
    /// v1 `memory+swap:` usage bytes.
    pub memsw_usage_bytes: Option<i64>,
    /// v1 `memory+swap:` limit bytes (None when unlimited or absent).
    pub memsw_limit_bytes: Option<i64>,
    /// v1 `kmem:` usage bytes.
    pub kmem_usage_bytes: Option<i64>,
    /// Path of `Memory cgroup stats for …`.
    pub memcg_stats_path: Option<String>,
    /// The memcg's memory.stat as printed (bytes; event counters as counts).
    pub memcg_stats: Vec<(String, i64)>,
    /// Task-table columns as printed (without `pid`).
    pub table_columns: Vec<String>,
    /// Kill line form: `memcg`, `global`, `allocating_task`, `bare`.
    pub kill_kind: Option<String>,
    /// `Kill process <pid> … score <n> or sacrifice child`: the task the kernel selected.
    pub selected_pid: Option<i64>,
    /// Its comm.
    pub selected_comm: Option<String>,
    /// The score printed (`badness × 1000 / totalpages`).
    pub selected_score: Option<i64>,
    /// memory.oom.group: the cgroup whose tasks were all killed.
    pub group_kill_path: Option<String>,
    /// PIDs killed as group members (after the victim).
    pub group_killed_pids: Vec<i64>,
    /// PIDs the oom_reaper reaped.
    pub reaped_pids: Vec<i64>,
    /// Victim UID.
    pub victim_uid: Option<i64>,
    /// Victim total-vm bytes.
    pub victim_total_vm_bytes: Option<i64>,
    /// Victim page tables bytes.
    pub victim_pgtables_bytes: Option<i64>,
    /// `N pages RAM` (global OOM).
    pub node_ram_pages: Option<i64>,
    /// `N pages reserved`.
    pub node_reserved_pages: Option<i64>,
    /// `Total swap = …kB` in bytes.
    pub node_swap_total_bytes: Option<i64>,
    /// `Free swap = …kB` in bytes.
    pub node_swap_free_bytes: Option<i64>,
    /// Page size used for the arithmetic.
    pub page_size_bytes: i64,
    /// True when the page size was derived from the victim's rss (kB vs pages), false when 4 KiB was assumed.
    pub page_size_inferred: bool,
    /// `totalpages` used for badness (None when unknown).
    pub totalpages: Option<i64>,
    /// How totalpages was obtained, with the numbers.
    pub totalpages_formula: Option<String>,
    /// Which `oom_badness` rule was applied.
    pub badness_rule: Option<String>,
    /// Where `qos_class` came from: `path` or `oom_score_adj`.
    pub qos_source: Option<String>,
    /// The OOMing memcg decoded.
    pub oom_cgroup: Option<CgroupPath>,
    /// The victim's memcg decoded.
    pub task_cgroup: Option<CgroupPath>,
    /// Line of the header.
    pub header_line: Option<usize>,
    /// Line of the (first) `Killed process`.
    pub killed_line: Option<usize>,
    /// Line of the `oom-kill:` or `Task in` line.
    pub constraint_line: Option<usize>,
    /// Line of `memory: usage`.
    pub usage_line: Option<usize>,
    /// Line of the task-table header.
    pub table_line: Option<usize>,
    /// Line of `Tasks in … memory.oom.group`.
    pub group_line: Option<usize>,
    /// Line of `Kill process … or sacrifice child`.
    pub select_line: Option<usize>,
    /// Line of the `oom_reaper: reaped process` line that names the victim of a report pasted
    /// without its kill line.
    pub reaper_line: Option<usize>,
    /// First line of the report.
    pub first_line: usize,
    /// Last line of the report.
    pub last_line: usize,
    /// The time printed before the report's first line, as printed (`diag::lines::Stripped::time`).
    pub time: Option<String>,
    /// What this report cannot tell (missing parts, assumptions), as messages (ids `oom.note.*`).
    pub notes: Vec<Message>,
}

/// Reads every kernel OOM report in `text`. Never fails; odd lines are skipped.
///
/// A daemon's line that quotes the kernel is not the kernel's: node-problem-detector's journal
/// lines relaying a kill are read only when the paste holds no kernel report of its own (a
/// `journalctl -u node-problem-detector` paste), so a kill is never counted twice.
pub fn read(text: &str) -> DmesgReading {
    read_known_encoding(text, crate::diag::quoted_printable::is_encoded(text))
}

/// [`read`] for a caller that already knows whether `text` is quoted-printable
/// ([`crate::diag::quoted_printable::is_encoded`]): `explain` learns it from the substring search
/// it shares among its other readers, which spares this reader a pass over the whole text.
pub fn read_known_encoding(text: &str, qp: bool) -> DmesgReading {
    read_lines_known(text, qp, None)
}

/// [`read_known_encoding`] given the lines of `text` as [`crate::diag::lines::numbered`] cuts
/// them (every line, in order) and the indices of those holding one of [`MARKERS`] (ascending),
/// as the other readers' shared search found them. Outside a report the reader then goes from
/// marker line to marker line instead of searching the text for its anchors and counting its
/// newlines. What this buys: the browser's worker, single-threaded, runs the other readers
/// first; their one search also finds the markers, which spares this reader about 100 ms of a
/// 50 MB journal (docs/performance.md). Natively the two run side by side and this reader
/// searches for itself. A quoted-printable text takes the search (its logical lines span
/// physical ones).
pub fn read_with_lines(
    text: &str,
    qp: bool,
    lines: &[NumberedLine<'_>],
    marker_lines: &[usize],
) -> DmesgReading {
    read_lines_known(text, qp, Some((lines, marker_lines)))
}

/// The lines and marker lines [`read_with_lines`] is given.
type Split<'s, 'a> = (&'s [NumberedLine<'a>], &'s [usize]);

fn read_lines_known(text: &str, qp: bool, split: Option<Split<'_, '_>>) -> DmesgReading {
    let pass = |relayed: bool| match split {
        Some((lines, markers)) if !qp => read_marked_lines(text, relayed, lines, markers),
        _ => read_pass(text, relayed, qp),
    };
    let first = pass(false);
    if first.events.is_empty()
        && memchr::memmem::find(text.as_bytes(), assemble::NPD_STATUS.as_bytes()).is_some()
    {
        let mut relayed = pass(true);
        for ev in &mut relayed.events {
            ev.details
                .notes
                .push(crate::base::message::Message::plain("oom.note.relayed_npd"));
        }
        return relayed;
    }
    first
}

/// [`read_pass`] on text already split into `lines`, `marker_lines` the indices of the lines
/// holding one of [`MARKERS`]. The same lines are fed: outside a report the search feeds a line
/// exactly when one of its anchor hits starts a marker, i.e. when it holds a marker (each marker
/// starts with an anchor, and none holds a line end).
fn read_marked_lines(
    text: &str,
    relayed: bool,
    lines: &[NumberedLine<'_>],
    marker_lines: &[usize],
) -> DmesgReading {
    let base = text.as_ptr() as usize;
    let bytes = text.as_bytes();
    let mut asm = Assembler::default();
    asm.relayed = relayed;
    let mut markers = marker_lines.iter().copied().peekable();
    let mut i = 0usize;
    while let Some(l) = lines.get(i) {
        if !asm.wants_every_line(l.number) {
            while markers.next_if(|&m| m < i).is_some() {}
            let Some(&m) = markers.peek() else {
                break;
            };
            i = m;
        }
        let Some(l) = lines.get(i) else {
            break;
        };
        // The line as the text holds it (a `\r` before its `\n` kept, as `read_pass` feeds it).
        let start = (l.text.as_ptr() as usize).wrapping_sub(base);
        let end = memchr::memchr(b'\n', bytes.get(start..).unwrap_or(&[]))
            .map_or(bytes.len(), |k| start + k);
        asm.feed(l.number, text.get(start..end).unwrap_or(""));
        if asm.fragment_opened_at(l.number) {
            asm.adopt_rows(assemble::preceding_rows(text, start, l.number));
        }
        i += 1;
    }
    asm.finish()
}

fn read_pass(text: &str, relayed: bool, qp: bool) -> DmesgReading {
    let mut asm = Assembler::default();
    asm.relayed = relayed;
    let bytes = text.as_bytes();
    let mut anchors = Anchors::new(bytes);
    // `pos`: where scanning resumes; `counted`: bytes before it are counted into `line_no`;
    // `line_start`: start of the line holding `counted`.
    let mut pos = 0usize;
    let mut counted = 0usize;
    let mut line_no = 1usize;
    let mut line_start = 0usize;
    while pos < bytes.len() {
        let (start, end) = if asm.wants_every_line(line_no) {
            let end = memchr::memchr(b'\n', bytes.get(pos..).unwrap_or(&[]))
                .map_or(bytes.len(), |i| pos + i);
            (pos, end)
        } else {
            let Some(hit) = anchors.next_hit(pos) else {
                break;
            };
            let seg = bytes.get(counted..hit).unwrap_or(&[]);
            let nl = crate::diag::lines::count_newlines(seg);
            if nl > 0 {
                line_no += nl;
                line_start = memchr::memrchr(b'\n', seg).map_or(line_start, |i| counted + i + 1);
            }
            counted = hit;
            if !precise_marker(bytes, hit) {
                pos = hit + 1;
                continue;
            }
            let end = memchr::memchr(b'\n', bytes.get(hit..).unwrap_or(&[]))
                .map_or(bytes.len(), |i| hit + i);
            (line_start, end)
        };
        let (start, end, first_no) = if qp {
            // A quoted-printable paste: the logical line may begin on an earlier physical line
            // (one that ended in a soft break) and go on after this one.
            let (mut start, mut first_no) = (start, line_no);
            while first_no > 1 {
                let Some(prev) = start.checked_sub(1).and_then(|nl| {
                    let s = text.get(..nl)?;
                    let p = s.rfind('\n').map_or(0, |i| i + 1);
                    s.trim_end_matches('\r').ends_with('=').then_some(p)
                }) else {
                    break;
                };
                start = prev;
                first_no -= 1;
            }
            let (logical, last_end, more) =
                crate::diag::quoted_printable::logical_line(text, start);
            asm.feed(first_no, &logical);
            asm.extend_report(first_no, first_no + more);
            line_no = first_no + more;
            (start, last_end, first_no)
        } else {
            asm.feed(line_no, text.get(start..end).unwrap_or(""));
            (start, end, line_no)
        };
        if asm.fragment_opened_at(first_no) {
            asm.adopt_rows(assemble::preceding_rows(text, start, first_no));
        }
        pos = end.saturating_add(1);
        counted = pos;
        line_start = pos;
        line_no += 1;
    }
    asm.finish()
}

/// The words that can open or continue a report, each starting with an anchor: a line outside
/// a report is read only when one of its anchor hits starts one (everything else holding an
/// anchor, `Killing container`, `room`, `memory ok`, is skipped without being read).
pub const MARKERS: [&str; 11] = [
    "oom-kill",
    "oom_reaper:",
    "oom.group set",
    "Killed process",
    "Kill process",
    "killed as a result",
    "emory: usage",
    "emory+swap: usage",
    "emory cgroup stats for",
    "emory cgroup out of memory",
    "total_vm",
];

/// True when a marker starts at `hit`.
fn precise_marker(bytes: &[u8], hit: usize) -> bool {
    let rest = bytes.get(hit..).unwrap_or(&[]);
    MARKERS.iter().any(|m| rest.starts_with(m.as_bytes()))
}
