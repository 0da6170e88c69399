//! Assembling OOM reports from classified kernel lines: which lines belong to which report (the
//! anchors, gaps and follow-up lines a report may have), the task table, and the finished
//! [`OomEvent`] with its scope, victim and the kernel's choice recomputed.

use super::*;
use crate::base::message::Message;
use crate::diag::dmesg::event::{OomEvent, Victim};
use crate::diag::input::{InputBlock, InputKind};
use crate::diag::lines::{head, kb_to_bytes, strip_prefixes};
use crate::kubelet::cgroup_path;
use crate::kubelet::oom_score_adj::qos_of_container_adj;
/// The anchors every report line that can open or continue a finished report contains.
pub(super) struct Anchors<'t> {
    hits: crate::diag::lines::Hits<'t, 'static>,
}

impl<'t> Anchors<'t> {
    pub(super) fn new(text: &'t [u8]) -> Anchors<'t> {
        const NEEDLES: [&[u8]; 5] = [b"oom", b"Kill", b"kill", b"emory", b"total_vm"];
        Anchors {
            hits: crate::diag::lines::Hits::new(text, &NEEDLES),
        }
    }

    /// The first anchor at or after `pos` (`pos` never goes back); the text is read once.
    pub(super) fn next_hit(&mut self, pos: usize) -> Option<usize> {
        self.hits.next_at_or_after(pos).map(|(at, _)| at)
    }
}

/// Searchers for the words every anchored piece holds, built once: `classify` tests each line
/// of a report for them.
static OOM: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("oom"));
static ILL: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("ill"));

/// Which multi-line section of a report is being read.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) enum Section {
    #[default]
    None,
    /// A multi-line `Memory cgroup stats for` body.
    Stats,
    /// A task table with these columns (shared by its rows).
    Table(std::rc::Rc<Vec<String>>),
}

/// A task-table row as read.
#[derive(Debug, Clone)]
pub(super) struct RawRow {
    pub(super) line: usize,
    pub(super) pid: i64,
    pub(super) name: String,
    pub(super) names: std::rc::Rc<Vec<String>>,
    pub(super) values: Vec<i64>,
}

impl RawRow {
    pub(super) fn get(&self, col: &str) -> Option<i64> {
        let i = self.names.iter().position(|c| c == col)?;
        self.values.get(i).copied()
    }
}

/// An event being assembled.
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    pub(super) ev: Option<OomEvent>,
    pub(super) rows: Vec<RawRow>,
    pub(super) section: Section,
    pub(super) killed: bool,
    pub(super) last_evidence: usize,
    /// PIDs already recorded as group members (a set: a group kill may list thousands).
    pub(super) group_seen: std::collections::HashSet<i64>,
}

/// Lines after which an unfinished report is abandoned (a kernel report is far shorter).
pub(super) const MAX_GAP: usize = 2000;
/// A finished report keeps collecting its follow-ups (group kills, reaper) this long.
pub(super) const FOLLOW_UP_GAP: usize = 400;
/// Bytes of a line looked at; the kernel's own records are at most 1 KiB.
pub(super) const LINE_CAP: usize = 4096;

/// Reads reports line by line; each report is completed and grouped as soon as it closes, so
/// memory holds one report's lines at a time plus the groups (see `group`).
#[derive(Default)]
pub(super) struct Assembler {
    pub(super) draft: Draft,
    /// The finished reports, grouped.
    grouper: group::Grouper,
    /// The line ranges of the finished reports.
    blocks: Vec<InputBlock>,
    /// Victims of the finished reports (the choice of a later report may be explained by them).
    earlier_victims: std::collections::HashSet<i64>,
    /// The time printed before the line being fed (`Stripped::time`), reused between lines.
    line_time: String,
    /// Read the kernel lines node-problem-detector relays in its own log (`read` asks for this
    /// only when the paste holds no kernel line of a kill: then they are all there is).
    pub(super) relayed: bool,
}

/// What node-problem-detector logs when its kernel monitor matches a kernel line
/// (`pkg/systemlogmonitor/log_monitor.go`: `New status generated: &{Source:kernel-monitor
/// Events:[{… Reason:OOMKilling Message:<the kernel line>}] …}`).
pub(super) const NPD_STATUS: &str = "New status generated:";

impl Assembler {
    pub(super) fn wants_every_line(&self, line_no: usize) -> bool {
        self.draft.ev.is_some()
            && !self.draft.killed
            && line_no.saturating_sub(self.draft.last_evidence) <= MAX_GAP
    }

    pub(super) fn open(&self) -> bool {
        self.draft.ev.is_some()
    }

    pub(super) fn start(&mut self, n: usize) {
        self.close();
        let mut ev = empty_event(n);
        ev.details.first_line = n;
        if !self.line_time.is_empty() {
            ev.details.time = Some(self.line_time.clone());
        }
        self.draft = Draft {
            ev: Some(ev),
            last_evidence: n,
            ..Draft::default()
        };
    }

    pub(super) fn close(&mut self) {
        let d = std::mem::take(&mut self.draft);
        let Some(mut ev) = d.ev else {
            return;
        };
        complete(&mut ev, &d.rows, &self.earlier_victims);
        if let Some(v) = &ev.victim {
            self.earlier_victims.insert(v.pid);
        }
        let first = ev.details.first_line;
        let last = ev.details.last_line.max(first);
        InputBlock::extend_or_push(&mut self.blocks, InputKind::KernelOom, first, last);
        self.grouper.add(ev);
    }

    /// Starts a new event unless the open one can still take this piece.
    pub(super) fn ensure(&mut self, n: usize, continues_finished: bool) {
        let stale = n.saturating_sub(self.draft.last_evidence)
            > if self.draft.killed {
                FOLLOW_UP_GAP
            } else {
                MAX_GAP
            };
        if !self.open() || stale || (self.draft.killed && !continues_finished) {
            self.start(n);
        }
    }

    /// True when the line just fed opened a report without a header or a table (`oom-kill:`,
    /// `Killed process`): task rows right above it may be its table with the header cut.
    pub(super) fn fragment_opened_at(&self, n: usize) -> bool {
        self.draft.rows.is_empty()
            && self.draft.ev.as_ref().is_some_and(|e| {
                e.details.first_line == n
                    && e.details.header_line.is_none()
                    && e.details.table_line.is_none()
            })
    }

    /// Gives the report just opened the rows pasted right above it (`preceding_rows`).
    pub(super) fn adopt_rows(&mut self, rows: Vec<RawRow>) {
        let Some(first) = rows.first() else {
            return;
        };
        let (first_line, cols) = (first.line, first.names.to_vec());
        if let Some(ev) = self.ev() {
            ev.details.table_columns = cols;
            ev.details.first_line = first_line;
            ev.details
                .notes
                .push(Message::plain("oom.note.table_headerless"));
            ev.lines.extend(rows.iter().map(|r| r.line));
        }
        self.draft.rows = rows;
    }

    /// Like `ensure`, but a piece the open report already has starts a new one (two headerless
    /// fragments pasted back to back).
    pub(super) fn ensure_fresh(&mut self, n: usize, has: impl Fn(&OomDetails) -> bool) {
        if self.draft.ev.as_ref().is_some_and(|e| has(&e.details)) {
            self.start(n);
        } else {
            self.ensure(n, false);
        }
    }

    /// The line just read as evidence at `first` went on to physical line `last` (a quoted-printable
    /// soft break): the report spans it too.
    pub(super) fn extend_report(&mut self, first: usize, last: usize) {
        if last > first && self.draft.last_evidence == first {
            if let Some(ev) = self.draft.ev.as_mut() {
                if ev.details.last_line == first {
                    ev.details.last_line = last;
                }
            }
            self.draft.last_evidence = last;
        }
    }

    pub(super) fn evidence(&mut self, n: usize) {
        self.draft.last_evidence = n;
        if let Some(ev) = self.draft.ev.as_mut() {
            if ev.lines.last() != Some(&n) {
                ev.lines.push(n);
            }
            ev.details.last_line = n;
        }
    }

    pub(super) fn ev(&mut self) -> Option<&mut OomEvent> {
        self.draft.ev.as_mut()
    }

    pub(super) fn feed(&mut self, n: usize, raw: &str) {
        let st = strip_prefixes(head(raw, LINE_CAP));
        if st.tag.is_some_and(|t| t != "kernel")
            && !(self.relayed && st.message.contains(NPD_STATUS))
        {
            return;
        }
        self.line_time.clear();
        self.line_time.push_str(st.time.unwrap_or(""));
        let m = st.message;
        // Inside a multi-line section first: these lines have no anchor of their own.
        if self.open() && !self.draft.killed {
            match self.draft.section.clone() {
                Section::Table(cols) => {
                    if let Some(r) = parse::table_row(m, cols.len().saturating_sub(1)) {
                        let row = RawRow {
                            line: n,
                            pid: r.pid,
                            name: r.name.to_string(),
                            names: cols.clone(),
                            values: r.values,
                        };
                        self.draft.rows.push(row);
                        self.evidence(n);
                        return;
                    }
                }
                Section::Stats => {
                    if let Some((k, v)) = parse::stat_line(m) {
                        if let Some(ev) = self.ev() {
                            ev.details.memcg_stats.push((k.to_string(), v));
                        }
                        self.evidence(n);
                        return;
                    }
                    self.draft.section = Section::None;
                }
                Section::None => {}
            }
        }
        self.classify(n, m);
    }

    pub(super) fn classify(&mut self, n: usize, m: &str) {
        // Every piece found by a substring search (header, kill lines, oom-kill:, Task in, group,
        // reaper) holds `oom` or `ill`: one cheap test spares the rest for stack and Mem-Info lines.
        let anchored = OOM.find(m.as_bytes()).is_some() || ILL.find(m.as_bytes()).is_some();
        if anchored && self.classify_anchored(n, m) {
            return;
        }
        self.classify_plain(n, m);
    }

    /// The pieces found by substring search; true when the line was one of them.
    pub(super) fn classify_anchored(&mut self, n: usize, m: &str) -> bool {
        if let Some(h) = parse::header(m) {
            self.start(n);
            if let Some(ev) = self.ev() {
                ev.trigger_comm = Some(h.comm.to_string());
                ev.details.gfp_mask = h.gfp_mask.map(str::to_string);
                ev.details.order = h.order;
                ev.details.trigger_oom_score_adj = h.oom_score_adj;
                ev.details.header_line = Some(n);
            }
            self.evidence(n);
            return true;
        }
        if let Some(k) = parse::killed(m) {
            self.on_killed(n, &k);
            return true;
        }
        if let Some((pid, comm)) = parse::reaped(m) {
            // The reaper only reaps OOM victims: a reaper line with no report before it (a paste
            // of that one line) still names a victim.
            let lone = !self.open() || n.saturating_sub(self.draft.last_evidence) > FOLLOW_UP_GAP;
            if lone {
                let Some(comm) = comm else {
                    return true;
                };
                self.start(n);
                if let Some(ev) = self.ev() {
                    ev.victim = Some(Victim {
                        pid,
                        comm: comm.to_string(),
                        anon_rss_bytes: None,
                        file_rss_bytes: None,
                        shmem_rss_bytes: None,
                        oom_score_adj: None,
                    });
                    ev.details.reaper_line = Some(n);
                }
                self.draft.killed = true;
            }
            if let Some(ev) = self.ev() {
                ev.details.reaped_pids.push(pid);
            }
            self.evidence(n);
            return true;
        }
        if let Some(path) = parse::group_kill(m) {
            self.ensure(n, true);
            if let Some(ev) = self.ev() {
                ev.group_kill = true;
                ev.details.group_kill_path = Some(path.to_string());
                ev.details.group_line = Some(n);
            }
            self.evidence(n);
            return true;
        }
        if let Some(c) = parse::constraint(m) {
            self.ensure_fresh(n, |d| d.constraint_line.is_some());
            if let Some(ev) = self.ev() {
                ev.details.constraint_raw = Some(c.constraint.to_string());
                ev.constraint = map_constraint(c.constraint);
                if let Some(cs) = c.cpuset {
                    ev.details.cpuset = Some(cs.to_string());
                }
                if c.global {
                    ev.oom_memcg = None;
                } else if let Some(p) = c.oom_memcg {
                    ev.oom_memcg = Some(p.to_string());
                }
                if let Some(p) = c.task_memcg {
                    ev.task_memcg = Some(p.to_string());
                }
                if ev.victim.is_none() {
                    if let (Some(pid), Some(task)) = (c.pid, c.task) {
                        ev.victim = Some(Victim {
                            pid,
                            comm: task.to_string(),
                            anon_rss_bytes: None,
                            file_rss_bytes: None,
                            shmem_rss_bytes: None,
                            oom_score_adj: None,
                        });
                        ev.details.victim_uid = c.uid;
                    }
                }
                ev.details.constraint_line = Some(n);
            }
            self.draft.section = Section::None;
            self.evidence(n);
            return true;
        }
        if let Some((pid, comm, score)) = parse::kill_select(m) {
            self.ensure_fresh(n, |d| d.select_line.is_some());
            let kind = parse::kill_select_kind(m);
            if let Some(ev) = self.ev() {
                if let Some(k) = kind {
                    ev.details.kill_kind = Some(kill_kind_name(k).to_string());
                }
                ev.details.selected_pid = Some(pid);
                ev.details.selected_comm = Some(comm.to_string());
                ev.details.selected_score = score;
                ev.details.select_line = Some(n);
            }
            self.draft.section = Section::None;
            self.evidence(n);
            return true;
        }
        if let Some((task, oom)) = parse::task_in(m) {
            self.ensure_fresh(n, |d| d.constraint_line.is_some());
            if let Some(ev) = self.ev() {
                ev.task_memcg = Some(task.to_string());
                ev.oom_memcg = Some(oom.to_string());
                ev.constraint.get_or_insert_with(|| "memcg".to_string());
                ev.details.constraint_line.get_or_insert(n);
            }
            self.evidence(n);
            return true;
        }
        false
    }

    /// The pieces recognised by their first words.
    pub(super) fn classify_plain(&mut self, n: usize, m: &str) {
        if let Some(u) = parse::usage(m) {
            // A second `memory:` line in an unfinished report starts another (headerless) one.
            let repeat = u.counter == parse::Counter::Memory
                && self
                    .draft
                    .ev
                    .as_ref()
                    .is_some_and(|e| e.details.usage_line.is_some())
                && !self.draft.killed;
            if repeat {
                self.start(n);
            } else {
                self.ensure(n, false);
            }
            self.on_usage(n, u);
            return;
        }
        if let Some((path, inline)) = parse::stats_for(m) {
            self.ensure(n, false);
            let multi = inline.is_empty();
            // v1 prints one stats line per memcg of the subtree: keep the first (the OOMing memcg).
            let first = self
                .draft
                .ev
                .as_ref()
                .is_some_and(|e| e.details.memcg_stats_path.is_none());
            if let Some(ev) = self.ev() {
                if first {
                    ev.details.memcg_stats_path = Some(path.to_string());
                    ev.details.memcg_stats = inline;
                }
                if !multi {
                    ev.cgroup_version.get_or_insert(1);
                }
            }
            self.draft.section = if multi && first {
                Section::Stats
            } else {
                Section::None
            };
            self.evidence(n);
            return;
        }
        if let Some(cols) = parse::table_header(m) {
            self.ensure_fresh(n, |d| d.table_line.is_some());
            if let Some(ev) = self.ev() {
                ev.details.table_columns = cols.clone();
                ev.details.table_line = Some(n);
            }
            self.draft.rows.clear();
            self.draft.section = Section::Table(std::rc::Rc::new(cols));
            self.evidence(n);
            return;
        }
        // The rest only continues an open, unfinished report.
        if !self.open() || self.draft.killed {
            return;
        }
        if let Some(c) = parse::cpu_line(m) {
            if let Some(ev) = self.ev() {
                if ev.details.kernel_release.is_none() {
                    ev.details.kernel_release = c.kernel.map(str::to_string);
                    ev.details.trigger_pid = c.pid;
                }
            }
            self.evidence(n);
            return;
        }
        if let Some((cpuset, mems)) = parse::cpuset_line(m) {
            if let Some(ev) = self.ev() {
                ev.details.cpuset = Some(cpuset.to_string());
                ev.details.mems_allowed = Some(mems.to_string());
            }
            self.evidence(n);
            return;
        }
        if let Some(mi) = parse::mem_info(m) {
            if let Some(ev) = self.ev() {
                let d = &mut ev.details;
                match mi {
                    parse::MemInfo::PagesRam(p) => d.node_ram_pages = i64::try_from(p).ok(),
                    parse::MemInfo::PagesReserved(p) => {
                        d.node_reserved_pages = i64::try_from(p).ok()
                    }
                    parse::MemInfo::TotalSwapKb(k) => d.node_swap_total_bytes = kb_to_bytes(k),
                    parse::MemInfo::FreeSwapKb(k) => d.node_swap_free_bytes = kb_to_bytes(k),
                }
            }
            self.evidence(n);
            return;
        }
        if m.trim_start()
            .starts_with("Tasks state (memory values in pages)")
            || m.trim_start().starts_with("Mem-Info:")
        {
            self.evidence(n);
        }
    }

    pub(super) fn on_usage(&mut self, n: usize, u: parse::Usage) {
        let Some(ev) = self.ev() else { return };
        let (bytes, unlimited) = limit_bytes(u.limit_kb);
        let usage = u.usage_kb.and_then(kb_to_bytes);
        match u.counter {
            parse::Counter::Memory => {
                ev.usage_bytes = usage;
                ev.limit_bytes = bytes;
                ev.details.limit_unlimited = unlimited;
                ev.details.failcnt = u.failcnt.and_then(|f| i64::try_from(f).ok());
                ev.details.usage_line = Some(n);
                ev.constraint.get_or_insert_with(|| "memcg".to_string());
            }
            parse::Counter::Swap => {
                ev.details.swap_usage_bytes = usage;
                ev.details.swap_limit_bytes = bytes;
                ev.details.swap_limit_unlimited = unlimited;
                ev.cgroup_version = Some(2);
            }
            parse::Counter::MemSwap => {
                ev.details.memsw_usage_bytes = usage;
                ev.details.memsw_limit_bytes = bytes;
                ev.cgroup_version = Some(1);
            }
            parse::Counter::Kmem => {
                ev.details.kmem_usage_bytes = usage;
                ev.cgroup_version = Some(1);
            }
        }
        self.draft.section = Section::None;
        self.evidence(n);
    }

    pub(super) fn on_killed(&mut self, n: usize, k: &parse::Killed<'_>) {
        let victim = Victim {
            pid: k.pid,
            comm: k.comm.to_string(),
            anon_rss_bytes: k.anon_kb.and_then(kb_to_bytes),
            file_rss_bytes: k.file_kb.and_then(kb_to_bytes),
            shmem_rss_bytes: k.shmem_kb.and_then(kb_to_bytes),
            oom_score_adj: k.oom_score_adj,
        };
        // A finished event takes further kills only as memory.oom.group members (or the victim's
        // own repeat, which the kernel prints after the group line).
        if self.open() && self.draft.killed {
            let gap_ok = n.saturating_sub(self.draft.last_evidence) <= FOLLOW_UP_GAP;
            if let Some(ev) = self.draft.ev.as_mut() {
                if gap_ok && ev.group_kill {
                    if ev.victim.as_ref().is_none_or(|v| v.pid != k.pid)
                        && self.draft.group_seen.insert(k.pid)
                    {
                        ev.details.group_killed_pids.push(k.pid);
                    }
                    self.evidence(n);
                    return;
                }
            }
            self.start(n);
        } else if !self.open() {
            self.start(n);
        }
        if let Some(ev) = self.ev() {
            if let Some(prev) = &ev.victim {
                if prev.pid == k.pid {
                    ev.details.victim_uid = ev.details.victim_uid.or(k.uid);
                }
            }
            ev.details.victim_uid = k.uid.or(ev.details.victim_uid);
            ev.details.victim_total_vm_bytes = k.total_vm_kb.and_then(kb_to_bytes);
            ev.details.victim_pgtables_bytes = k.pgtables_kb.and_then(kb_to_bytes);
            if k.kind != parse::KillKind::Bare || ev.details.kill_kind.is_none() {
                ev.details.kill_kind = Some(kill_kind_name(k.kind).to_string());
            }
            if k.kind == parse::KillKind::Memcg {
                ev.constraint.get_or_insert_with(|| "memcg".to_string());
            }
            ev.victim = Some(victim);
            ev.details.killed_line = Some(n);
        }
        self.draft.killed = true;
        self.draft.section = Section::None;
        self.evidence(n);
    }

    pub(super) fn finish(mut self) -> DmesgReading {
        self.close();
        DmesgReading {
            events: self.grouper.events,
            groups: self.grouper.groups,
            blocks: self.blocks,
        }
    }
}

pub(super) fn kill_kind_name(k: parse::KillKind) -> &'static str {
    match k {
        parse::KillKind::Memcg => "memcg",
        parse::KillKind::Global => "global",
        parse::KillKind::AllocatingTask => "allocating_task",
        parse::KillKind::Bare => "bare",
    }
}

/// `PAGE_COUNTER_MAX` and friends print as huge kB values: treat ≥ 2^50 kB (1 EiB) as unlimited.
pub(super) fn limit_bytes(kb: Option<u64>) -> (Option<i64>, bool) {
    match kb {
        Some(k) if k >= 1u64 << 50 => (None, true),
        Some(k) => (kb_to_bytes(k), false),
        None => (None, false),
    }
}

pub(super) fn map_constraint(raw: &str) -> Option<String> {
    Some(
        match raw {
            "CONSTRAINT_MEMCG" => "memcg",
            "CONSTRAINT_NONE" => "global",
            "CONSTRAINT_CPUSET" => "cpuset",
            "CONSTRAINT_MEMORY_POLICY" => "mempolicy",
            _ => return None,
        }
        .to_string(),
    )
}

pub(super) fn empty_event(line: usize) -> OomEvent {
    OomEvent {
        line,
        trigger_comm: None,
        constraint: None,
        cgroup_version: None,
        oom_memcg: None,
        task_memcg: None,
        scope: None,
        pod_uid: None,
        qos_class: None,
        container_id: None,
        runtime: None,
        cgroup_driver: None,
        limit_bytes: None,
        usage_bytes: None,
        victim: None,
        tasks: Vec::new(),
        kernel_choice: None,
        group_kill: false,
        lines: Vec::new(),
        details: OomDetails {
            page_size_bytes: 4096,
            ..OomDetails::default()
        },
    }
}

/// Paths as pasted may carry a blank a wrapping terminal inserted; kubepods paths never hold one.
pub(super) fn clean_path(p: &str) -> String {
    p.split_whitespace().collect()
}

/// Fills the derived fields of a finished event: constraint, scope, cgroup facts, QoS, version,
/// then the task table and the kernel's choice.
pub(super) fn complete(
    ev: &mut OomEvent,
    rows: &[RawRow],
    earlier_victims: &std::collections::HashSet<i64>,
) {
    let d = &mut ev.details;
    ev.oom_memcg = ev.oom_memcg.as_deref().map(clean_path);
    ev.task_memcg = ev.task_memcg.as_deref().map(clean_path);
    // Constraint from the kill line when no oom-kill: line was printed (≤ 4.18).
    if ev.constraint.is_none() && d.kill_kind.as_deref() == Some("global") && ev.oom_memcg.is_none()
    {
        let single_node = d
            .mems_allowed
            .as_deref()
            .is_some_and(|m| !m.contains(',') && !m.contains('-'));
        if d.cpuset.as_deref() == Some("/") || single_node || d.node_ram_pages.is_some() {
            ev.constraint = Some("global".into());
        } else {
            d.notes.push(Message::plain("oom.note.constraint_unknown"));
        }
    }
    if ev.constraint.is_none()
        && d.node_ram_pages.is_some()
        && ev.oom_memcg.is_none()
        && d.usage_line.is_none()
    {
        ev.constraint = Some("global".into());
    }
    if ev.constraint.is_none() && d.kill_kind.as_deref() == Some("memcg") {
        ev.constraint = Some("memcg".into());
    }
    // memory.oom.group exists on cgroup v2 only.
    if ev.group_kill && ev.cgroup_version.is_none() {
        ev.cgroup_version = Some(2);
    }
    let oom_cg = ev.oom_memcg.as_deref().map(cgroup_path::decode);
    let task_cg = ev.task_memcg.as_deref().map(cgroup_path::decode);
    ev.scope = match ev.constraint.as_deref() {
        Some("global") | Some("cpuset") | Some("mempolicy") => Some("node".into()),
        Some("memcg") => oom_cg.as_ref().and_then(|c| c.scope.clone()),
        _ => None,
    };
    for cg in [&task_cg, &oom_cg].into_iter().flatten() {
        ev.pod_uid = ev.pod_uid.take().or_else(|| cg.pod_uid.clone());
        ev.container_id = ev.container_id.take().or_else(|| cg.container_id.clone());
        ev.runtime = ev.runtime.take().or_else(|| cg.runtime.clone());
        ev.cgroup_driver = ev.cgroup_driver.take().or_else(|| cg.cgroup_driver.clone());
        if ev.qos_class.is_none() && cg.qos_class.is_some() {
            ev.qos_class = cg.qos_class.clone();
            d.qos_source = Some("path".into());
        }
        if ev.cgroup_version.is_none() {
            ev.cgroup_version = cg.cgroup_version;
        }
    }
    // Without oom-kill:/Task in lines, the first `Memory cgroup stats for` path still lies in the
    // OOMing subtree: it tells the pod (not which level hit the limit).
    if oom_cg.is_none() && task_cg.is_none() {
        if let Some(p) = d.memcg_stats_path.as_deref() {
            let cg = cgroup_path::decode(p);
            ev.pod_uid = cg.pod_uid.clone();
            ev.cgroup_driver = cg.cgroup_driver.clone();
            if cg.qos_class.is_some() {
                ev.qos_class = cg.qos_class.clone();
                d.qos_source = Some("path".into());
            }
        }
    }
    // Docker's cgroup v1 cpuset (the `cpuset=` line of ≤ 4.18 reports, or in `oom-kill:`) carries
    // a container id, but it is the *allocating* task's (`cpuset_print_current_mems_allowed` in
    // torvalds/linux mm/oom_kill.c prints `current`'s): it is the victim's container only when
    // the victim is that task, or when a container-level memcg ran out (both are inside it).
    let trigger_is_victim = matches!(
        (d.trigger_pid, ev.victim.as_ref()),
        (Some(t), Some(v)) if t == v.pid
    );
    let container_memcg =
        ev.constraint.as_deref() == Some("memcg") && ev.scope.as_deref() == Some("container");
    if ev.container_id.is_none() && (trigger_is_victim || container_memcg) {
        if let Some((id, runtime)) = d.cpuset.as_deref().and_then(cgroup_path::container_of) {
            ev.container_id = Some(id);
            ev.runtime = ev.runtime.take().or(runtime);
        }
    }
    let adj = ev
        .victim
        .as_ref()
        .and_then(|v| v.oom_score_adj)
        .or_else(|| {
            let pid = ev.victim.as_ref()?.pid;
            rows.iter().find(|r| r.pid == pid)?.get("oom_score_adj")
        });
    if ev.qos_class.is_none() && ev.pod_uid.is_some() {
        if let Some(q) = adj.and_then(qos_of_container_adj) {
            ev.qos_class = Some(q.as_str().into());
            d.qos_source = Some("oom_score_adj".into());
        }
    }
    // Cgroup version from the memcg stats keys when no counter line told.
    if ev.cgroup_version.is_none() && !d.memcg_stats.is_empty() {
        let has = |k: &str| d.memcg_stats.iter().any(|(s, _)| s == k);
        if has("anon") && has("file") {
            ev.cgroup_version = Some(2);
        } else if has("cache") || has("rss") || has("total_rss") {
            ev.cgroup_version = Some(1);
        }
    }
    d.oom_cgroup = oom_cg;
    d.task_cgroup = task_cg;
    choice::recompute(ev, rows, earlier_victims);
    ev.lines.sort_unstable();
    ev.lines.dedup();
}

/// The task-table rows with a cut header (`parse::headerless_columns`, one layout) on the lines
/// right above byte `line_start` of `text`, whose line is `line_no`; in line order. Each line is
/// looked at once: the walk stops at the first line that is not such a row.
pub(super) fn preceding_rows(text: &str, line_start: usize, line_no: usize) -> Vec<RawRow> {
    let mut rows = Vec::new();
    let mut end = line_start;
    let mut n = line_no;
    let mut names: Option<std::rc::Rc<Vec<String>>> = None;
    while end > 0 && n > 1 {
        let body = text.get(..end - 1).unwrap_or("");
        let start = body.rfind('\n').map_or(0, |i| i + 1);
        let m = strip_prefixes(head(&body[start..], LINE_CAP)).message;
        let Some(cols) = parse::headerless_columns(m) else {
            break;
        };
        if names.as_ref().is_some_and(|c| c.len() != cols.len()) {
            break;
        }
        let Some(r) = parse::table_row(m, cols.len() - 1) else {
            break;
        };
        let names = names
            .get_or_insert_with(|| std::rc::Rc::new(cols.iter().map(|c| c.to_string()).collect()))
            .clone();
        n -= 1;
        rows.push(RawRow {
            line: n,
            pid: r.pid,
            name: r.name.to_string(),
            names,
            values: r.values,
        });
        end = start;
    }
    rows.reverse();
    rows
}
