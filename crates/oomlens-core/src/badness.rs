//! The kernel OOM killer's victim choice (`mm/oom_kill.c`: `oom_badness`, `select_bad_process`,
//! `constrained_alloc`; `/proc/PID/oom_score` from `fs/proc/base.c`).

/// Linux kernel version (major.minor), for the version-dependent badness rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KernelVersion {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
}

impl KernelVersion {
    /// The newest behaviour modelled (the default).
    pub const NEWEST: KernelVersion = KernelVersion { major: 6, minor: 12 };
}

/// What `oom_badness` reads of a task's memory (all in pages except page tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskMemory {
    /// `get_mm_rss(mm)`: anon + file + shmem resident pages.
    pub rss_pages: i64,
    /// `MM_SWAPENTS`.
    pub swapents: i64,
    /// `mm_pgtables_bytes(mm)` in bytes.
    pub pgtables_bytes: i64,
}

/// `oom_badness(p, totalpages)` for kernels ≥ 5.9: `None` for unkillable tasks (adj −1000),
/// else `rss + swap + pgtables/PAGE_SIZE + adj × (totalpages / 1000)` (may be negative).
pub fn oom_badness(task: &TaskMemory, oom_score_adj: i64, totalpages: i64, page_size: i64) -> Option<i64> {
    if oom_score_adj == -1000 {
        return None;
    }
    let page_size = page_size.max(1);
    let points = task
        .rss_pages
        .saturating_add(task.swapents)
        .saturating_add(task.pgtables_bytes / page_size);
    let adj = oom_score_adj.saturating_mul(totalpages / 1000);
    Some(points.saturating_add(adj))
}
