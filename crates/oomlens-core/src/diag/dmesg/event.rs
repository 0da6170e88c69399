//! One kernel OOM kill as read from its report: the trigger, the scope, the victim, the task table
//! with badness recomputed, and whether the kernel's choice is what the table implies.

use crate::base::message::Message;
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KernelChoice {
    /// The PID the table implies.
    pub pid: i64,
    /// True when it is the victim.
    pub agrees_with_victim: bool,
    /// Why it differs or agrees (ties, reaped tasks, a child sacrificed …): the English of
    /// `why_parts`, joined by `"; "`.
    pub why: String,
    /// The same reasons as messages (ids `choice.*`), for translation.
    pub why_parts: Vec<Message>,
}

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
