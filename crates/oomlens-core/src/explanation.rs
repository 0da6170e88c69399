//! The result of reading an incident paste, and [`explain`], the whole operation.
//! Field names are the stable JSON contract of `oomlens explain --format json` (README):
//! fields may be added, never renamed. Unknown values are `None` (JSON `null`), never guessed.

use serde::Serialize;

/// What kind of input a block of lines is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A kernel OOM report (dmesg, journal, kmsg).
    KernelOom,
    /// A systemd-oomd kill message.
    SystemdOomd,
    /// A cgroup v1/v2 memory.stat.
    MemoryStat,
    /// `kubectl describe pod` or pod status YAML/JSON.
    DescribePod,
    /// `kubectl describe node`.
    DescribeNode,
    /// A kubelet eviction message.
    EvictionMessage,
    /// A pod manifest.
    PodManifest,
    /// A kubelet configuration (YAML, /configz JSON or flags).
    KubeletConfig,
}

/// A recognised block of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputBlock {
    /// Its kind.
    pub kind: InputKind,
    /// First line (1-based, inclusive).
    pub first_line: usize,
    /// Last line (1-based, inclusive).
    pub last_line: usize,
}

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
            args: crate::sort::string_map(
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
        crate::message::fill_template(template, &mut out, |name, out| {
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

/// One memory.stat reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoryStatReport {
    /// 1 or 2.
    pub cgroup_version: Option<u8>,
    /// Usage as cAdvisor computes it.
    pub usage_bytes: Option<i64>,
    /// Working set as kubelet/cAdvisor computes it.
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
    /// Limit, if pasted alongside.
    pub limit_bytes: Option<i64>,
    /// First and last line of the block.
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// Where `usage_bytes` came from (`memory.current`, `memory.usage_in_bytes`); None when unknown.
    pub usage_source: Option<String>,
    /// True when v1 hierarchical `total_*` counters were used (as cAdvisor does with use_hierarchy).
    pub hierarchical: bool,
    /// True when the limit was pasted as unlimited (`max`, or v1's 9223372036854771712).
    pub limit_unlimited: bool,
    /// Kernel memory: v2 `kernel`, else None.
    pub kernel_bytes: Option<i64>,
    /// Slab: v2 `slab`, v1 none.
    pub slab_bytes: Option<i64>,
    /// Reclaimable slab: v2 `slab_reclaimable`.
    pub slab_reclaimable_bytes: Option<i64>,
    /// Socket buffers: v2 `sock`.
    pub sock_bytes: Option<i64>,
    /// Mapped file: v2 `file_mapped`, v1 `total_mapped_file`/`mapped_file`.
    pub mapped_file_bytes: Option<i64>,
    /// unevictable (mlocked, ramfs…).
    pub unevictable_bytes: Option<i64>,
    /// Estimate of what reclaim can free without swap: active_file + inactive_file (+ slab_reclaimable).
    pub reclaimable_bytes: Option<i64>,
    /// Peak usage: `memory.peak` (v2) or `memory.max_usage_in_bytes` (v1).
    pub peak_bytes: Option<i64>,
    /// `oom_kill` count from memory.events (v2) or memory.oom_control (v1).
    pub oom_kill_count: Option<i64>,
    /// `max` count from memory.events: times usage hit the limit.
    pub max_events: Option<i64>,
    /// How usage and working set were derived (cAdvisor rules).
    pub derivations: Vec<crate::derivation::Derivation>,
}

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Something to look at.
    Warning,
    /// What killed something.
    Critical,
}

/// A conclusion, with the lines that prove it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// Stable id for the UI's catalogue (e.g. `oom.container_limit`).
    pub id: String,
    /// The message in English (the CLI prints it; the UI may localise by `id` + `args`).
    pub message: String,
    /// Named values substituted into the message, for localisation.
    pub args: Vec<(String, String)>,
    /// What to do about it, in English (may be empty).
    pub advice: String,
    /// Evidence lines, 1-based.
    pub lines: Vec<usize>,
}

impl Finding {
    /// A finding with no args and no advice yet; `lines` are 1-based evidence lines.
    pub fn new(
        severity: Severity,
        id: &str,
        message: impl Into<String>,
        lines: Vec<usize>,
    ) -> Finding {
        Finding {
            severity,
            id: id.to_string(),
            message: message.into(),
            args: Vec::new(),
            advice: String::new(),
            lines,
        }
    }

    /// Adds a named value (for localisation by `id`).
    pub fn arg(mut self, name: &str, value: impl ToString) -> Finding {
        self.args.push((name.to_string(), value.to_string()));
        self
    }

    /// Adds a named value when it is known (for localisation by `id`).
    pub fn arg_opt(self, name: &str, value: Option<impl ToString>) -> Finding {
        match value {
            Some(v) => self.arg(name, v),
            None => self,
        }
    }

    /// Sets what to do about it.
    pub fn advice(mut self, advice: impl Into<String>) -> Finding {
        self.advice = advice.into();
        self
    }
}

/// Everything read from a paste.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Explanation {
    /// Recognised blocks.
    pub inputs: Vec<InputBlock>,
    /// Kernel OOM events.
    pub oom_events: Vec<OomEvent>,
    /// memory.stat readings.
    pub memory_stats: Vec<MemoryStatReport>,
    /// Conclusions.
    pub findings: Vec<Finding>,
    /// systemd-oomd kills.
    pub oomd_kills: Vec<crate::diag::oomd::OomdKill>,
    /// `kubectl describe pod` readings and pod status objects.
    pub describe_pods: Vec<crate::diag::describe::DescribePod>,
    /// `kubectl describe node` readings.
    pub describe_nodes: Vec<crate::diag::describe::DescribeNode>,
    /// Kubelet eviction messages.
    pub evictions: Vec<crate::diag::eviction_message::EvictionMessage>,
    /// Kubelet configurations (YAML, /configz, flags).
    pub kubelet_configs: Vec<crate::diag::kubelet_config::KubeletConfigReading>,
    /// Pods read from manifests (by the model's pod reader).
    pub pods: Vec<crate::pod::Pod>,
    /// A scenario for the calculator, when the paste holds node capacity plus pods and/or a kubelet configuration.
    pub scenario: Option<crate::scenario::Scenario>,
    /// The same scenario in the scenario file format (`docs/scenario-format.md`), for "Open in calculator" and `oomlens calc`.
    pub scenario_yaml: Option<String>,
}

/// Every finding `id` the core can emit (kernel reader, oomd, memory.stat, describe, eviction
/// messages, kubelet configuration, cross-links). The UI's catalogue must translate each one;
/// `tests/finding_ids.rs` checks that every id emitted on the fixtures is listed here.
pub const FINDING_IDS: &[&str] = &[
    "crosslink.kernel_report_for_container",
    "crosslink.system_oom_kernel_report",
    "eviction.no_offenders",
    "eviction.node_pressure",
    "eviction.offender",
    "eviction.ranking",
    "input.nothing_recognised",
    "input.pod_manifest_unreadable",
    "input.unparsable_document",
    "k8s.collateral",
    "k8s.oomkilled",
    "k8s.process_killed",
    "kubelet_config.flags_override",
    "kubelet_config.memory",
    "kubelet_config.no_cgroups_per_qos",
    "kubelet_config.no_memory_hard_threshold",
    "kubelet_config.no_pods_enforcement",
    "kubelet_config.soft_without_grace",
    "kubelet_config.unreadable",
    "memory_stat.active_file_in_working_set",
    "memory_stat.kernel_memory",
    "memory_stat.max_events",
    "memory_stat.near_limit",
    "memory_stat.no_usage",
    "memory_stat.oom_kills",
    "memory_stat.read",
    "memory_stat.reclaimable",
    "memory_stat.shmem",
    "memory_stat.slab_reclaimable",
    "memory_stat.sock",
    "memory_stat.swap",
    "memory_stat.usage_near_limit_cache",
    "memory_stat.v1_usage_fuzz",
    "memory_stat.working_set",
    "node.allocatable",
    "node.eviction_threshold_met",
    "node.insufficient_memory",
    "node.limits_overcommitted",
    "node.memory_pressure",
    "node.oom_killing",
    "node.system_oom",
    "oom.allocating_task",
    "oom.cannot_prove",
    "oom.child_sacrificed",
    "oom.choice_agrees",
    "oom.choice_differs",
    "oom.choice_unknown",
    "oom.choice_without_victim",
    "oom.container_limit",
    "oom.cpuset",
    "oom.kubepods_limit",
    "oom.memcg_limit",
    "oom.mempolicy",
    "oom.no_task_table",
    "oom.node",
    "oom.non_pod_victim",
    "oom.pod_limit",
    "oom.protected_victim",
    "oom.qos_limit",
    "oom.sysrq",
    "oom.unknown",
    "oomd.kill",
    "oomd.kubernetes",
    "pod.container_oomkilled",
    "pod.container_sigkill",
    "pod.container_terminated",
    "pod.evicted",
    "pod.no_memory_limit",
    "pod.oom_event",
    "pod.qos",
    "scenario.available",
];

/// Reads a paste and explains what happened. Never panics; linear in the input.
pub fn explain(text: &str) -> Explanation {
    orchestrate::run(text)
}

mod orchestrate;
