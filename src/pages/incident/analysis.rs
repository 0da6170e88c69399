//! The incident page's one pure operation: pasted text → [`Analysis`], i.e. the core's
//! [`oomlens_core::explain`] result plus what the page needs to render it without holding the
//! whole paste (the evidence lines' text, the unrecognised ranges, a timeline of every event).
//!
//! It runs in the web worker (`src/worker.rs`, the same wasm module as the page), which sends the
//! result to the page in the positional byte encoding of [`super::wire`].
//! It interprets no kernel or kubelet rule: every conclusion comes from the core's `Explanation`.
//! The view types below mirror its JSON contract (`crates/oomlens-core/src/explanation/mod.rs`) and are
//! built from it field by field ([`super::view_from`]); they serialise to that contract's shape
//! for the test that checks the two agree.

use oomlens_core::base::message::Message;
use serde::Serialize;

/// The largest paste the page accepts (bytes). Beyond it the page says so and analyses nothing.
pub const MAX_INPUT_BYTES: usize = 100 * 1024 * 1024;
/// Events shown in full detail (the timeline lists all of them).
pub const MAX_DETAILED_EVENTS: usize = 50;
/// Evidence lines kept per event, finding or block.
pub const MAX_LINES_PER_ITEM: usize = 400;
/// Longest line text kept (characters); longer lines are cut and marked.
pub const MAX_LINE_CHARS: usize = 2000;
/// Unrecognised ranges listed (the count covers all of them).
pub const MAX_UNRECOGNISED_RANGES: usize = 40;

/// Mirror of `InputBlock`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InputBlockView {
    /// `kernel_oom`, `memory_stat`, `describe_pod`, … (snake_case `InputKind`).
    pub kind: String,
    /// First line, 1-based.
    pub first_line: usize,
    /// Last line, 1-based inclusive.
    pub last_line: usize,
}

/// Mirror of `Victim`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VictimView {
    /// PID.
    pub pid: i64,
    /// Command name.
    pub comm: String,
    /// anon-rss bytes.
    pub anon_rss_bytes: Option<i64>,
    /// file-rss bytes.
    pub file_rss_bytes: Option<i64>,
    /// shmem-rss bytes.
    pub shmem_rss_bytes: Option<i64>,
    /// oom_score_adj when printed.
    pub oom_score_adj: Option<i64>,
}

/// Mirror of `TaskRow`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TaskRowView {
    /// PID.
    pub pid: i64,
    /// Command name.
    pub comm: String,
    /// rss pages.
    pub rss_pages: i64,
    /// swap entries.
    pub swapents: i64,
    /// Page-table bytes.
    pub pgtables_bytes: Option<i64>,
    /// oom_score_adj.
    pub oom_score_adj: i64,
    /// Badness recomputed by the core.
    pub badness: Option<i64>,
}

/// Mirror of `KernelChoice`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KernelChoiceView {
    /// PID the table implies.
    pub pid: i64,
    /// Whether it is the victim.
    pub agrees_with_victim: bool,
    /// Why: clauses of one sentence, each a catalogue message.
    pub why_parts: Vec<Message>,
}

/// Mirror of `OomEvent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OomEventView {
    /// Header line.
    pub line: usize,
    /// Triggering command.
    pub trigger_comm: Option<String>,
    /// `memcg`, `global`, …
    pub constraint: Option<String>,
    /// 1 or 2.
    pub cgroup_version: Option<u8>,
    /// memcg that hit its limit.
    pub oom_memcg: Option<String>,
    /// Victim's memcg.
    pub task_memcg: Option<String>,
    /// `container`, `pod`, `qos`, `kubepods`, `node`, `other`.
    pub scope: Option<String>,
    /// Pod UID.
    pub pod_uid: Option<String>,
    /// QoS class.
    pub qos_class: Option<String>,
    /// Container id.
    pub container_id: Option<String>,
    /// Runtime.
    pub runtime: Option<String>,
    /// cgroup driver.
    pub cgroup_driver: Option<String>,
    /// Limit bytes.
    pub limit_bytes: Option<i64>,
    /// Usage bytes.
    pub usage_bytes: Option<i64>,
    /// The killed process.
    pub victim: Option<VictimView>,
    /// Task table.
    pub tasks: Vec<TaskRowView>,
    /// Kernel choice recomputed.
    pub kernel_choice: Option<KernelChoiceView>,
    /// memory.oom.group kill.
    pub group_kill: bool,
    /// Evidence lines.
    pub lines: Vec<usize>,
    /// When the same kill repeated (the contract's `oom_event_groups[i]` with `count` > 1; its
    /// first PIDs), kept with its event like `named`.
    #[serde(skip)]
    pub repeats: Option<RepeatsView>,
    /// The pod (and container) a pasted `kubectl describe pod` names for this event: the
    /// contract's `event_pods[i]`, kept with its event (so capping the events keeps them paired).
    #[serde(skip)]
    pub named: Option<NamedPodView>,
}

/// Mirror of `diag::dmesg::group::OomEventGroup` for a group of more than one kill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RepeatsView {
    /// How many kills.
    pub count: usize,
    /// Last line of the last kill.
    pub last_line: usize,
    /// Time printed before the first kill, as printed.
    pub first_time: Option<String>,
    /// Time printed before the last kill, as printed.
    pub last_time: Option<String>,
    /// The first [`MAX_REPEAT_PIDS`] victim PIDs, in input order.
    pub victim_pids: Vec<i64>,
    /// How many victim PIDs the paste names in all.
    pub victim_pids_total: usize,
    /// The first [`MAX_REPEAT_PIDS`] PIDs the kernel selected (`Kill process N …`).
    pub selected_pids: Vec<i64>,
    /// How many selected PIDs the paste names in all.
    pub selected_pids_total: usize,
}

/// Victim PIDs of a repeated kill sent to the page (the CLI's JSON has them all).
pub const MAX_REPEAT_PIDS: usize = 500;

/// Mirror of `explanation::named::NamedPod`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NamedPodView {
    /// Namespace.
    pub namespace: String,
    /// Pod name.
    pub name: String,
    /// Container, when linked by container id.
    pub container: Option<String>,
    /// `container_id`, `pod_uid` or `describe_output`.
    pub linked_by: String,
    /// The line that names it.
    pub line: usize,
}

impl NamedPodView {
    /// `ns/pod` or `ns/pod/container`.
    pub fn key(&self) -> String {
        match &self.container {
            Some(c) => format!("{}/{}/{c}", self.namespace, self.name),
            None => format!("{}/{}", self.namespace, self.name),
        }
    }
}

/// Mirror of `MemoryStatReport`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MemoryStatView {
    /// 1 or 2.
    pub cgroup_version: Option<u8>,
    /// Usage (cAdvisor).
    pub usage_bytes: Option<i64>,
    /// Working set (kubelet/cAdvisor).
    pub working_set_bytes: Option<i64>,
    /// anon / rss.
    pub anon_bytes: Option<i64>,
    /// file / cache.
    pub file_bytes: Option<i64>,
    /// active_file.
    pub active_file_bytes: Option<i64>,
    /// inactive_file.
    pub inactive_file_bytes: Option<i64>,
    /// shmem.
    pub shmem_bytes: Option<i64>,
    /// swap.
    pub swap_bytes: Option<i64>,
    /// Limit.
    pub limit_bytes: Option<i64>,
    /// kernel (v2) / slab, when the core reports it.
    pub kernel_bytes: Option<i64>,
    /// slab, when the core reports it.
    pub slab_bytes: Option<i64>,
    /// sock, when the core reports it.
    pub sock_bytes: Option<i64>,
    /// slab_reclaimable, when the core reports it.
    pub slab_reclaimable_bytes: Option<i64>,
    /// file_mapped / mapped_file.
    pub mapped_file_bytes: Option<i64>,
    /// unevictable.
    pub unevictable_bytes: Option<i64>,
    /// The core's estimate of what reclaim can free without swap.
    pub reclaimable_bytes: Option<i64>,
    /// Peak usage (memory.peak / max_usage_in_bytes).
    pub peak_bytes: Option<i64>,
    /// First line.
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
}

/// Mirror of `Finding`: its sentence and advice stay catalogue messages, rendered in the page
/// language by `crate::i18n::messages`.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingView {
    /// `info`, `warning`, `critical`.
    pub severity: String,
    /// What the paste shows (its id is the finding's stable id).
    pub message: Message,
    /// What to do about it.
    pub advice: Option<Message>,
    /// Evidence lines.
    pub lines: Vec<usize>,
}

/// The JSON contract's shape (`crates/oomlens-core/src/diag/finding.rs`): id, English message,
/// typed args, English advice and the advice message.
impl Serialize for FindingView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Finding", 7)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("id", self.message.id)?;
        st.serialize_field("message", &self.message.english())?;
        st.serialize_field("args", &self.message.args)?;
        let advice = self
            .advice
            .as_ref()
            .map(Message::english)
            .unwrap_or_default();
        st.serialize_field("advice", &advice)?;
        st.serialize_field("advice_message", &self.advice)?;
        st.serialize_field("lines", &self.lines)?;
        st.end()
    }
}

/// Mirror of `eviction_message::PrintedQuantity`: a quantity as printed, and its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrintedView {
    /// As printed (`91460Ki`).
    pub text: String,
    /// Its value, when it parses.
    pub bytes: Option<i64>,
}

/// Mirror of `eviction_message::Offender`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OffenderView {
    /// Container (or pod) name.
    pub name: String,
    /// The `Pod … was using` fragment.
    pub is_pod: bool,
    /// Usage kubelet saw.
    pub usage: PrintedView,
    /// Its request.
    pub request: PrintedView,
    /// usage − request.
    pub excess_bytes: Option<i64>,
}

/// Mirror of `eviction_message::EvictionMessage`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EvictionView {
    /// First line.
    pub line: usize,
    /// Last line.
    pub last_line: usize,
    /// `memory`, `ephemeral-storage`, …
    pub resource: String,
    /// Threshold quantity.
    pub threshold: Option<PrintedView>,
    /// Available when the threshold was met.
    pub available: Option<PrintedView>,
    /// Containers (or the pod) named, in message order.
    pub offenders: Vec<OffenderView>,
    /// The evicted pod, when the message is part of its pasted describe output: the contract's
    /// `eviction_pods[i]`, kept with its message.
    #[serde(skip)]
    pub named: Option<NamedPodView>,
}

/// Mirror of `describe::ContainerState`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContainerStateView {
    /// `Running`, `Terminated`, `Waiting`.
    pub state: String,
    /// `OOMKilled`, `Error`, …
    pub reason: Option<String>,
    /// Exit code.
    pub exit_code: Option<i64>,
    /// Finished time as printed.
    pub finished: Option<String>,
    /// Line.
    pub line: usize,
}

/// Mirror of `describe::DescribedContainer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DescribedContainerView {
    /// Name.
    pub name: String,
    /// `container`, `init`, …
    pub kind: String,
    /// Line.
    pub line: usize,
    /// Current state.
    pub state: Option<ContainerStateView>,
    /// Last state.
    pub last_state: Option<ContainerStateView>,
    /// Restarts.
    pub restart_count: Option<i64>,
    /// Limits as printed.
    pub limits: std::collections::BTreeMap<String, String>,
    /// Requests as printed.
    pub requests: std::collections::BTreeMap<String, String>,
}

/// Mirror of `describe::DescribePod`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DescribePodView {
    /// First line.
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// Pod name.
    pub name: Option<String>,
    /// Namespace.
    pub namespace: Option<String>,
    /// UID.
    pub uid: Option<String>,
    /// Node (as printed, `name/ip`).
    pub node: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Reason (`Evicted`).
    pub reason: Option<String>,
    /// Message.
    pub message: Option<String>,
    /// QoS class.
    pub qos_class: Option<String>,
    /// Priority.
    pub priority: Option<i32>,
    /// Containers.
    pub containers: Vec<DescribedContainerView>,
}

/// Mirror of `describe::DescribeNode` (the memory-relevant part).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DescribeNodeView {
    /// First line.
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// Node name.
    pub name: Option<String>,
    /// Capacity as printed.
    pub capacity: std::collections::BTreeMap<String, String>,
    /// Allocatable as printed.
    pub allocatable: std::collections::BTreeMap<String, String>,
    /// kubelet version.
    pub kubelet_version: Option<String>,
}

/// Mirror of `Explanation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExplanationView {
    /// Recognised blocks.
    pub inputs: Vec<InputBlockView>,
    /// Kernel OOM events (at most [`MAX_DETAILED_EVENTS`] after [`analyze`]).
    pub oom_events: Vec<OomEventView>,
    /// memory.stat readings.
    pub memory_stats: Vec<MemoryStatView>,
    /// Conclusions.
    pub findings: Vec<FindingView>,
    /// Eviction messages read.
    pub evictions: Vec<EvictionView>,
    /// `kubectl describe pod` / pod status readings.
    pub describe_pods: Vec<DescribePodView>,
    /// `kubectl describe node` readings.
    pub describe_nodes: Vec<DescribeNodeView>,
}

/// One event on the timeline (kept for every event, even beyond the detailed ones).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TimelinePoint {
    /// Header line of the event.
    pub line: usize,
    /// The cgroup it belongs to (victim's memcg, else the OOM memcg, else empty for a global OOM).
    pub cgroup: String,
    /// Scope as the core read it.
    pub scope: Option<String>,
    /// Victim command.
    pub victim_comm: Option<String>,
    /// Victim pid.
    pub victim_pid: Option<i64>,
    /// Pod UID.
    pub pod_uid: Option<String>,
}

/// A run of input lines (1-based, inclusive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LineRange {
    /// First line.
    pub first: usize,
    /// Last line.
    pub last: usize,
}

/// Everything the page renders for one paste.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Analysis {
    /// Input size in bytes (UTF-8).
    pub bytes: usize,
    /// Number of lines.
    pub line_count: usize,
    /// The core's explanation (events capped at [`MAX_DETAILED_EVENTS`]).
    pub explanation: ExplanationView,
    /// Events in the whole paste.
    pub events_total: usize,
    /// Every event, in paste order, for the timeline.
    pub timeline: Vec<TimelinePoint>,
    /// Non-blank lines outside every recognised block (first [`MAX_UNRECOGNISED_RANGES`]).
    pub unrecognised: Vec<LineRange>,
    /// Non-blank unrecognised lines in all.
    pub unrecognised_lines: usize,
    /// Text of every line the page shows as evidence, by line number (sorted).
    pub lines: Vec<(usize, String)>,
    /// The scenario the core built from the paste, as scenario-file text ("Open in calculator").
    pub scenario_yaml: Option<String>,
}

impl Analysis {
    /// The text of line `n` (1-based), if it was kept as evidence.
    pub fn line(&self, n: usize) -> Option<&str> {
        self.lines
            .binary_search_by_key(&n, |(k, _)| *k)
            .ok()
            .and_then(|i| self.lines.get(i))
            .map(|(_, s)| s.as_str())
    }
}

/// The page's analysis of `text`: runs the core's `explain` and gathers what the view needs.
/// (Called in the worker, `src/worker.rs`; the page's main thread never calls it, see `runner`.)
pub fn analyze(text: &str) -> Analysis {
    let explanation = oomlens_core::explain(text);
    let mut analysis = from_view(text, ExplanationView::from(&explanation));
    analysis.scenario_yaml = explanation
        .scenario
        .as_ref()
        .map(oomlens_core::scenario::scenario_to_yaml);
    analysis
}

/// Builds the [`Analysis`] of `text` from an explanation already read (used by [`analyze`] and tests).
pub fn from_view(text: &str, mut view: ExplanationView) -> Analysis {
    let events_total = view.oom_events.len();
    let timeline: Vec<TimelinePoint> = view.oom_events.iter().map(timeline_point).collect();
    view.oom_events.truncate(MAX_DETAILED_EVENTS);

    let wanted = wanted_lines(&view, &timeline);
    let mut blocks: Vec<LineRange> = view
        .inputs
        .iter()
        .map(|b| LineRange {
            first: b.first_line,
            last: b.last_line.max(b.first_line),
        })
        .collect();
    oomlens_core::base::sort::sort_by_key(&mut blocks, |r| r.first);

    let mut lines = Vec::with_capacity(wanted.len());
    let mut want_idx = 0usize;
    let mut block_idx = 0usize;
    let mut unrecognised: Vec<LineRange> = Vec::new();
    let mut unrecognised_lines = 0usize;
    let mut open: Option<LineRange> = None;
    let mut line_count = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let n = i.saturating_add(1);
        line_count = n;
        while want_idx < wanted.len() && wanted.get(want_idx).is_some_and(|w| *w < n) {
            want_idx += 1;
        }
        if wanted.get(want_idx) == Some(&n) {
            lines.push((n, clip_line(raw)));
        }
        while blocks.get(block_idx).is_some_and(|b| b.last < n) {
            block_idx += 1;
        }
        let recognised = blocks
            .get(block_idx)
            .is_some_and(|b| b.first <= n && n <= b.last);
        if recognised || raw.trim().is_empty() {
            if recognised {
                if let Some(r) = open.take() {
                    push_range(&mut unrecognised, r);
                }
            }
            continue;
        }
        unrecognised_lines += 1;
        open = Some(match open {
            Some(r) => LineRange {
                first: r.first,
                last: n,
            },
            None => LineRange { first: n, last: n },
        });
    }
    if let Some(r) = open {
        push_range(&mut unrecognised, r);
    }

    Analysis {
        bytes: text.len(),
        line_count,
        explanation: view,
        events_total,
        timeline,
        unrecognised,
        unrecognised_lines,
        lines,
        scenario_yaml: None,
    }
}

fn push_range(list: &mut Vec<LineRange>, r: LineRange) {
    if list.len() < MAX_UNRECOGNISED_RANGES {
        list.push(r);
    }
}

fn timeline_point(e: &OomEventView) -> TimelinePoint {
    TimelinePoint {
        line: e.line,
        // The victim's cgroup, else the one at its limit, else the pod (when only its UID is known).
        cgroup: e
            .task_memcg
            .clone()
            .or_else(|| e.oom_memcg.clone())
            .or_else(|| e.pod_uid.as_ref().map(|u| format!("pod{u}")))
            .unwrap_or_default(),
        scope: e.scope.clone(),
        victim_comm: e.victim.as_ref().map(|v| v.comm.clone()),
        victim_pid: e.victim.as_ref().map(|v| v.pid),
        pod_uid: e.pod_uid.clone(),
    }
}

/// Kinds whose whole block is shown as evidence (small, human-written inputs).
const SHOWN_KINDS: &[&str] = &[
    "memory_stat",
    "describe_pod",
    "describe_node",
    "eviction_message",
    "systemd_oomd",
    "systemd_unit",
    "kubelet_config",
    "events_table",
];

fn wanted_lines(view: &ExplanationView, timeline: &[TimelinePoint]) -> Vec<usize> {
    let mut wanted: Vec<usize> = Vec::new();
    for t in timeline {
        wanted.push(t.line);
    }
    for e in &view.oom_events {
        wanted.extend(e.lines.iter().take(MAX_LINES_PER_ITEM).copied());
    }
    for f in &view.findings {
        wanted.extend(f.lines.iter().take(MAX_LINES_PER_ITEM).copied());
    }
    for m in &view.memory_stats {
        wanted.extend(range_capped(m.first_line, m.last_line));
    }
    for ev in &view.evictions {
        wanted.extend(range_capped(ev.line, ev.last_line));
    }
    for b in &view.inputs {
        if SHOWN_KINDS.contains(&b.kind.as_str()) {
            wanted.extend(range_capped(b.first_line, b.last_line));
        }
    }
    wanted.retain(|n| *n > 0);
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

fn range_capped(first: usize, last: usize) -> impl Iterator<Item = usize> {
    let last = last
        .max(first)
        .min(first.saturating_add(MAX_LINES_PER_ITEM - 1));
    first..=last
}

/// A line's text, cut to [`MAX_LINE_CHARS`] characters (on a character boundary) with `…` appended.
pub fn clip_line(raw: &str) -> String {
    match raw.char_indices().nth(MAX_LINE_CHARS) {
        Some((cut, _)) => {
            let mut s = raw.get(..cut).unwrap_or_default().to_string();
            s.push('…');
            s
        }
        None => raw.to_string(),
    }
}

/// The lines of an inclusive range that are at most [`MAX_LINES_PER_ITEM`] long (for evidence views).
pub fn block_lines(first: usize, last: usize) -> Vec<usize> {
    range_capped(first, last).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(line: usize, lines: Vec<usize>, memcg: &str) -> OomEventView {
        OomEventView {
            line,
            lines,
            task_memcg: Some(memcg.into()),
            scope: Some("container".into()),
            victim: Some(VictimView {
                pid: 7,
                comm: "java".into(),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn keeps_only_evidence_lines_and_lists_unrecognised_ranges() {
        let text = "noise a\n\nkernel: x\nkernel: y\nnoise b\nnoise c\nstat 1\n";
        let view = ExplanationView {
            inputs: vec![
                InputBlockView {
                    kind: "kernel_oom".into(),
                    first_line: 3,
                    last_line: 4,
                },
                InputBlockView {
                    kind: "memory_stat".into(),
                    first_line: 7,
                    last_line: 7,
                },
            ],
            oom_events: vec![event(3, vec![3, 4], "/kubepods/x")],
            ..Default::default()
        };
        let a = from_view(text, view);
        assert_eq!(a.line_count, 7);
        assert_eq!(
            a.lines,
            vec![
                (3, "kernel: x".into()),
                (4, "kernel: y".into()),
                (7, "stat 1".into())
            ]
        );
        assert_eq!(a.line(4), Some("kernel: y"));
        assert_eq!(a.line(5), None);
        // Line 2 is blank: not counted, and it does not split the unrecognised run across it.
        assert_eq!(
            a.unrecognised,
            vec![
                LineRange { first: 1, last: 1 },
                LineRange { first: 5, last: 6 }
            ]
        );
        assert_eq!(a.unrecognised_lines, 3);
        assert_eq!(a.timeline.len(), 1);
        assert_eq!(a.timeline[0].cgroup, "/kubepods/x");
        assert_eq!(a.timeline[0].victim_pid, Some(7));
    }

    #[test]
    fn caps_detailed_events_but_keeps_the_whole_timeline() {
        let text = "l\n".repeat(200);
        let view = ExplanationView {
            oom_events: (1..=120).map(|i| event(i, vec![i], "/a")).collect(),
            ..Default::default()
        };
        let a = from_view(&text, view);
        assert_eq!(a.events_total, 120);
        assert_eq!(a.explanation.oom_events.len(), MAX_DETAILED_EVENTS);
        assert_eq!(a.timeline.len(), 120);
        assert_eq!(a.timeline[119].line, 120);
    }

    #[test]
    fn cuts_long_lines_on_a_character_boundary() {
        let long = "é".repeat(MAX_LINE_CHARS + 10);
        let cut = clip_line(&long);
        assert_eq!(cut.chars().count(), MAX_LINE_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(clip_line("short"), "short");
    }

    #[test]
    fn crlf_lines_lose_their_carriage_return() {
        let view = ExplanationView {
            inputs: vec![InputBlockView {
                kind: "eviction_message".into(),
                first_line: 1,
                last_line: 1,
            }],
            ..Default::default()
        };
        let a = from_view("evicted\r\nnext\r\n", view);
        assert_eq!(a.line(1), Some("evicted"));
        assert_eq!(a.line_count, 2);
    }

    #[test]
    fn ranges_are_capped() {
        assert_eq!(block_lines(5, 3), vec![5]);
        assert_eq!(block_lines(1, 10_000).len(), MAX_LINES_PER_ITEM);
        assert_eq!(block_lines(usize::MAX, usize::MAX), vec![usize::MAX]);
    }

    #[test]
    fn analysis_round_trips_as_the_worker_sends_it() {
        let view = ExplanationView {
            oom_events: vec![event(1, vec![1], "/a")],
            findings: vec![FindingView {
                severity: "critical".into(),
                message: Message::with(
                    "memory_stat.oom_kills",
                    [("count", oomlens_core::base::message::Arg::Int(3))],
                ),
                advice: None,
                lines: vec![1],
            }],
            ..Default::default()
        };
        let a = from_view("x\n", view);
        assert_eq!(
            super::super::wire::decode(&super::super::wire::encode(&a)),
            Some(a.clone())
        );
    }

    #[test]
    fn the_core_explanation_reads_into_the_view() {
        // The core's explanation of a kernel line reads into the view.
        let a = analyze("Killed process 1 (x)\nplain text\n");
        assert_eq!(a.line_count, 2);
        let victim = a
            .explanation
            .oom_events
            .first()
            .and_then(|e| e.victim.as_ref());
        assert_eq!(victim.map(|v| (v.pid, v.comm.as_str())), Some((1, "x")));
    }
}
