//! One kernel OOM kill as read from its report: the trigger, the scope, the victim, the task table
//! with badness recomputed, and whether the kernel's choice is what the table implies.

use serde::Serialize;

/// The process the kernel killed, from `Killed process …`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Victim {
    /// PID.
    pub pid: i64,
    /// Command name.
    pub comm: String,
    /// anon-rss in bytes.
    pub anon_rss_bytes: Option<i64>,
    /// file-rss in bytes.
    pub file_rss_bytes: Option<i64>,
    /// shmem-rss in bytes.
    pub shmem_rss_bytes: Option<i64>,
    /// oom_score_adj, when printed.
    pub oom_score_adj: Option<i64>,
}

/// One row of the kernel's task table, with badness recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskRow {
    /// PID.
    pub pid: i64,
    /// Command name.
    pub comm: String,
    /// rss in pages.
    pub rss_pages: i64,
    /// swap entries (pages).
    pub swapents: i64,
    /// page-table bytes (nr_ptes × page size on old kernels).
    pub pgtables_bytes: Option<i64>,
    /// oom_score_adj.
    pub oom_score_adj: i64,
    /// Recomputed `oom_badness` (None when it cannot be computed, e.g. totalpages unknown).
    pub badness: Option<i64>,
    /// uid column.
    pub uid: Option<i64>,
    /// tgid column.
    pub tgid: Option<i64>,
    /// total_vm in pages.
    pub total_vm_pages: Option<i64>,
    /// rss_anon in pages (kernels ≥ 6.8).
    pub rss_anon_pages: Option<i64>,
    /// rss_file in pages (kernels ≥ 6.8).
    pub rss_file_pages: Option<i64>,
    /// rss_shmem in pages (kernels ≥ 6.8).
    pub rss_shmem_pages: Option<i64>,
    /// The line this row was read from.
    pub line: usize,
}

/// Whether the kernel's victim is what the task table implies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KernelChoice {
    /// The PID the table implies.
    pub pid: i64,
    /// True when it is the victim.
    pub agrees_with_victim: bool,
    /// Why it differs or agrees (ties, reaped tasks, a child sacrificed …): the English of
    /// `why_parts`, joined by `"; "`.
    pub why: String,
    /// The same reasons by stable id and arguments, for translation ([`CHOICE_REASONS`]).
    pub why_parts: Vec<ChoiceReason>,
}

/// One reason of a [`KernelChoice`]: a stable id of [`CHOICE_REASONS`] and its arguments (already
/// formatted: PIDs, PID lists such as `[12, 34]`, points, process names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceReason {
    /// Stable id, e.g. `choice.highest`.
    pub id: String,
    /// Named arguments of the template.
    pub args: std::collections::BTreeMap<String, String>,
}

impl ChoiceReason {
    /// A reason with its arguments.
    pub fn new(id: &str, args: &[(&str, String)]) -> ChoiceReason {
        ChoiceReason {
            id: id.to_string(),
            args: crate::base::sort::string_map(
                args.iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            ),
        }
    }

    /// The English sentence: the [`CHOICE_REASONS`] template with `{name}` replaced by the argument.
    pub fn english(&self) -> String {
        let Some((_, template)) = CHOICE_REASONS.iter().find(|(id, _)| *id == self.id) else {
            return self.id.clone();
        };
        let mut out = String::new();
        crate::base::message::fill_template(template, &mut out, |name, out| {
            self.args.get(name).map(|v| out.push_str(v)).is_some()
        });
        out
    }
}

/// Every reason the kernel-choice check gives, with its English template (`diag/dmesg/choice.rs`
/// follows `select_bad_process` / `oom_evaluate_task` in `torvalds/linux mm/oom_kill.c`).
pub const CHOICE_REASONS: &[(&str, &str)] = &[
    ("choice.no_totalpages", "ranked by rss + swap + page tables only (totalpages unknown, but every candidate has the same oom_score_adj, so the order is the same)"),
    ("choice.skipped_reaped", "PIDs {pids} were already OOM victims earlier in the paste; the kernel skips tasks being reaped"),
    ("choice.allocating_task", "vm.oom_kill_allocating_task=1: the kernel killed the allocating task without comparing badness; the table's worst is PID {pid} ({comm})"),
    ("choice.no_killed_line", "the paste has no `Killed process` line to compare with"),
    ("choice.thread_selected", "the kernel's `Kill process {sel}` names a thread, not a process of the table (kernels < 4.6 scanned threads); the process killed is its thread group"),
    ("choice.tie_later_wins", "the victim ties with PIDs {pids} at the highest badness; kernels ≥ 4.6 keep the task scanned last on ties"),
    ("choice.tie_first_wins", "the victim ties with PIDs {pids} at the highest badness; kernels < 4.6 keep the first thread-group leader on ties"),
    ("choice.highest", "the victim has the highest badness of {n} candidates"),
    ("choice.child_sacrificed", "the kernel selected PID {sel} ({comm}), as the table implies, then killed its child PID {victim} instead ('Kill process … or sacrifice child', kernels < 4.19/5.x)"),
    ("choice.selected_differs", "the kernel selected PID {sel} but the table implies PID {pid}: memory changed between the selection and the dump, or the ≤ 4.16 root bonus applied"),
    ("choice.victim_not_in_table", "the victim PID {victim} is not in the task table (table cut, or oom_dump_tasks off for part of it)"),
    ("choice.victim_tie_later_wins", "tie: the victim and PID {pid} have equal badness {points}; the kernel kept the task it scanned last"),
    ("choice.victim_tie_first_wins", "tie: the victim and PID {pid} have equal badness {points}; the kernel kept the first leader"),
    ("choice.close_call", "close call: the victim's badness {points} is within 1% of PID {pid}'s {best}; memory changed between the scan and the dump"),
    ("choice.below", "the victim's badness {points} is below PID {pid}'s {best}: the task table does not explain the kernel's choice (memory freed in between, a task already exiting, or an incomplete paste)"),
    ("choice.unkillable_victim", "the victim (oom_score_adj −1000 or skipped) should not have been chosen; PID {pid} is the table's worst"),
];

/// One kernel OOM kill, read from its report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OomEvent {
    /// Line of the `invoked oom-killer` header (or first line seen of the report).
    pub line: usize,
    /// The task that triggered the OOM.
    pub trigger_comm: Option<String>,
    /// `memcg`, `global`, `cpuset`, `mempolicy`.
    pub constraint: Option<String>,
    /// 1 or 2.
    pub cgroup_version: Option<u8>,
    /// The memcg that hit its limit (path), if memcg.
    pub oom_memcg: Option<String>,
    /// The victim's memcg (path).
    pub task_memcg: Option<String>,
    /// `container`, `pod`, `qos`, `kubepods`, `node`, `other`.
    pub scope: Option<String>,
    /// Pod UID, normalised to dashes.
    pub pod_uid: Option<String>,
    /// QoS class from the path or oom_score_adj.
    pub qos_class: Option<String>,
    /// Container ID (64 hex).
    pub container_id: Option<String>,
    /// `containerd`, `cri-o`, `docker`.
    pub runtime: Option<String>,
    /// `systemd` or `cgroupfs`.
    pub cgroup_driver: Option<String>,
    /// memcg limit in bytes.
    pub limit_bytes: Option<i64>,
    /// memcg usage in bytes.
    pub usage_bytes: Option<i64>,
    /// The killed process.
    pub victim: Option<Victim>,
    /// The task table.
    pub tasks: Vec<TaskRow>,
    /// The kernel's choice recomputed from the table.
    pub kernel_choice: Option<KernelChoice>,
    /// Whether memory.oom.group killed the whole cgroup.
    pub group_kill: bool,
    /// Lines that belong to this event (evidence), 1-based.
    pub lines: Vec<usize>,
    /// Extra facts read from the report (kernel version, swap, memcg stats, totalpages, …); added
    /// by the kernel-log reader, see `diag::dmesg::OomDetails`.
    pub details: crate::diag::dmesg::OomDetails,
}
