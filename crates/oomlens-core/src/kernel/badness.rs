//! The kernel OOM killer's victim choice, per kernel version: `oom_badness`, the candidate scan of
//! `select_bad_process`/`oom_evaluate_task` and `constrained_alloc` (totalpages) from
//! `torvalds/linux mm/oom_kill.c`; `mem_cgroup_get_max` from `mm/memcontrol.c`; and
//! `/proc/PID/oom_score` from `fs/proc/base.c` (`proc_oom_score`).
//!
//! Versions modelled (see [`BadnessRule`]):
//! - ≥ 5.9 (commit 9066e5cfb73c "mm, oom: make the calculation of oom badness more accurate"):
//!   signed `long`, no floor; unkillable = `LONG_MIN`; `oom_score` scaled to 0..2000.
//! - 4.17 – 5.8: unsigned result, `points > 0 ? points : 1`, 0 = unkillable; `oom_score` 0..1000.
//! - 3.14 – 4.16: as above plus the CAP_SYS_ADMIN bonus `points -= points * 3 / 100` (commit 778c14affaf9
//!   "mm, oom: base root bonus on current usage"; removed in 4.17 by d46078b28889 "mm, oom: remove 3% bonus
//!   for CAP_SYS_ADMIN processes").
//! - 3.10 – 3.13: the bonus was `adj -= 30` before normalisation (commit a7f638f999ff).
//!
//! On a Kubernetes node the OOM scopes are, innermost first: the container memcg (its `memory.max`),
//! the pod memcg (Σ limits + overhead, only when every container has a limit), the `kubepods` memcg
//! (node allocatable + hard eviction, when enforced) and the whole node (RAM + swap). Each scope has
//! its own `totalpages`, so the same process has a different badness in each.

use crate::base::derivation::Derivation;
use crate::base::message::Message;
use serde::Serialize;

const SRC_OOM_KILL: &str = "torvalds/linux mm/oom_kill.c (oom_badness, oom_evaluate_task)";
const SRC_PROC: &str = "torvalds/linux fs/proc/base.c (proc_oom_score)";
const SRC_MEMCG: &str =
    "torvalds/linux mm/memcontrol.c (mem_cgroup_get_max), mm/oom_kill.c (constrained_alloc)";

/// `OOM_SCORE_ADJ_MIN`: a task with this adj is never chosen (and is exempt from oom.group kills).
pub const OOM_SCORE_ADJ_MIN: i64 = -1000;
/// `OOM_SCORE_ADJ_MAX`.
pub const OOM_SCORE_ADJ_MAX: i64 = 1000;
/// Linux kernel version (major.minor), for the version-dependent badness rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct KernelVersion {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
}

impl KernelVersion {
    /// The newest behaviour modelled (the default).
    pub const NEWEST: KernelVersion = KernelVersion {
        major: 6,
        minor: 12,
    };

    /// Parses `6.8`, `5.4.0-150-generic`, `v4.14`; `None` when it is not `major.minor…`.
    pub fn parse(s: &str) -> Option<KernelVersion> {
        let t = s.trim().trim_start_matches('v');
        let mut it = t.split(|c: char| !c.is_ascii_digit());
        let major = it.next()?.parse().ok()?;
        let minor = it.next()?.parse().ok()?;
        Some(KernelVersion { major, minor })
    }

    /// Whether the scan keeps the later of two tasks with equal points (torvalds/linux
    /// `mm/oom_kill.c`, `mm/memcontrol.c`; checked against the release sources of each range):
    /// - ≤ 3.13: no, a task replaces the chosen one only with more points;
    /// - 3.14 – 4.6: no, commit d49ad9355420 ("mm, oom: prefer thread group leaders for display
    ///   purposes") skips an equal task while the chosen one is a thread-group leader, which
    ///   the processes of a report's table are;
    /// - 4.7 – 4.8: yes for a global OOM (commit f44666b04605 "mm,oom: speed up
    ///   select_bad_process() loop" scans processes and dropped that check there), no for a
    ///   memcg OOM (its loop kept it);
    /// - 4.9 – 5.2: no, commit 7c5f64f84483 ("mm: oom: deduplicate victim selection code for
    ///   memcg and global oom") put the check in `oom_evaluate_task`, shared by both;
    /// - ≥ 5.3: yes, the check is gone ("mm: memcontrol: use CSS_TASK_ITER_PROCS at
    ///   mem_cgroup_scan_tasks()", 5.3): `oom_evaluate_task` skips only `points < chosen_points`.
    pub fn ties_keep_later(self, memcg: bool) -> bool {
        self.at_least(5, 3) || (self.at_least(4, 7) && !self.at_least(4, 9) && !memcg)
    }

    const fn at_least(self, major: u32, minor: u32) -> bool {
        self.major > major || (self.major == major && self.minor >= minor)
    }
}

impl std::fmt::Display for KernelVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Which `oom_badness` body a kernel version runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BadnessRule {
    /// ≥ 5.9: signed, may be negative, `LONG_MIN` = not a candidate.
    Signed,
    /// 4.17 – 5.8: unsigned, floored at 1, 0 = not a candidate.
    UnsignedFloor1,
    /// 3.14 – 4.16: as `UnsignedFloor1` plus `points -= points*3/100` for CAP_SYS_ADMIN tasks.
    RootBonusPercent,
    /// 3.10 – 3.13: as `UnsignedFloor1` plus `adj -= 30` for CAP_SYS_ADMIN tasks.
    RootBonusAdj,
}

impl BadnessRule {
    /// The rule a kernel version runs.
    pub fn for_kernel(v: KernelVersion) -> BadnessRule {
        if v.at_least(5, 9) {
            BadnessRule::Signed
        } else if v.at_least(4, 17) {
            BadnessRule::UnsignedFloor1
        } else if v.at_least(3, 14) {
            BadnessRule::RootBonusPercent
        } else {
            BadnessRule::RootBonusAdj
        }
    }

    /// The rule in one sentence naming the kernel range (ids `kernel_rule.*`).
    pub fn message(self) -> Message {
        Message::plain(match self {
            BadnessRule::Signed => "kernel_rule.signed",
            BadnessRule::UnsignedFloor1 => "kernel_rule.unsigned_floor1",
            BadnessRule::RootBonusPercent => "kernel_rule.root_bonus_percent",
            BadnessRule::RootBonusAdj => "kernel_rule.root_bonus_adj",
        })
    }

    /// [`BadnessRule::message`] in English, for derivations.
    pub fn describe(self) -> String {
        self.message().english_model()
    }
}

/// What `oom_badness` reads of a task's memory (all in pages except page tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TaskMemory {
    /// `get_mm_rss(mm)`: anon + file + shmem resident pages.
    pub rss_pages: i64,
    /// `MM_SWAPENTS`.
    pub swapents: i64,
    /// `mm_pgtables_bytes(mm)` in bytes.
    pub pgtables_bytes: i64,
}

impl TaskMemory {
    /// A task whose whole footprint is `bytes` of resident memory: `rss_pages = bytes / page_size`
    /// (the model oomlens uses for a container: one process whose rss is the container's usage).
    pub fn from_rss_bytes(bytes: i64, page_size: i64) -> TaskMemory {
        let (bytes, ps) = (bytes.max(0), page_size.max(1));
        TaskMemory {
            // A shift for the usual power-of-two page sizes (the same quotient: bytes ≥ 0).
            rss_pages: if ps.count_ones() == 1 {
                bytes >> ps.trailing_zeros()
            } else {
                bytes / ps
            },
            swapents: 0,
            pgtables_bytes: 0,
        }
    }

    /// `rss + swapents + pgtables_bytes / PAGE_SIZE` (saturating).
    pub fn base_points(&self, page_size: i64) -> i64 {
        let pgtables = if self.pgtables_bytes == 0 {
            0
        } else {
            self.pgtables_bytes / page_size.max(1)
        };
        self.rss_pages
            .saturating_add(self.swapents)
            .saturating_add(pgtables)
    }
}

/// `oom_badness(p, totalpages)` for kernels ≥ 5.9: `None` for unkillable tasks (adj −1000),
/// else `rss + swap + pgtables/PAGE_SIZE + adj × (totalpages / 1000)` (may be negative).
pub fn oom_badness(
    task: &TaskMemory,
    oom_score_adj: i64,
    totalpages: i64,
    page_size: i64,
) -> Option<i64> {
    oom_badness_for(
        BadnessRule::Signed,
        task,
        oom_score_adj,
        totalpages,
        page_size,
        false,
    )
}

/// `oom_badness` under `rule`. `None` means "not a candidate" (`LONG_MIN` on ≥ 5.9, `0` before).
/// `cap_sys_admin` only matters for kernels ≤ 4.16.
pub fn oom_badness_for(
    rule: BadnessRule,
    task: &TaskMemory,
    oom_score_adj: i64,
    totalpages: i64,
    page_size: i64,
    cap_sys_admin: bool,
) -> Option<i64> {
    if oom_score_adj <= OOM_SCORE_ADJ_MIN {
        return None;
    }
    let mut points = task.base_points(page_size);
    let mut adj = oom_score_adj;
    match rule {
        BadnessRule::Signed | BadnessRule::UnsignedFloor1 => {}
        BadnessRule::RootBonusPercent => {
            if cap_sys_admin {
                points = points.saturating_sub(points.saturating_mul(3) / 100);
            }
        }
        BadnessRule::RootBonusAdj => {
            if cap_sys_admin {
                adj -= 30;
            }
        }
    }
    // `adj *= totalpages / 1000;` — integer division first.
    let adj_pages = adj.saturating_mul(totalpages.max(0) / 1000);
    let points = points.saturating_add(adj_pages);
    Some(match rule {
        BadnessRule::Signed => points,
        _ => points.max(1),
    })
}

/// `/proc/PID/oom_score` as `proc_oom_score` shows it; always computed with the *global*
/// `totalpages = totalram_pages + total_swap_pages`, whatever memcg the task is in.
/// `badness` is [`oom_badness_for`] evaluated with that global totalpages.
pub fn proc_oom_score(rule: BadnessRule, badness: Option<i64>, global_totalpages: i64) -> i64 {
    let total = i128::from(global_totalpages.max(1));
    match (rule, badness) {
        (_, None) => 0,
        (BadnessRule::Signed, Some(b)) => {
            // (1000 + badness * 1000 / (long)totalpages) * 2 / 3, C truncating division (in i64
            // when it cannot overflow, else in i128).
            if let (Some(x), Ok(t)) = (b.checked_mul(1000), i64::try_from(total)) {
                if let Some(v) = (x / t).checked_add(1000).and_then(|v| v.checked_mul(2)) {
                    return (v / 3).clamp(0, 2000);
                }
            }
            let v = (1000 + i128::from(b) * 1000 / total) * 2 / 3;
            v.clamp(0, 2000) as i64
        }
        (_, Some(b)) => {
            // oom_badness(...) * 1000 / totalpages, unsigned.
            let v = i128::from(b.max(0)) * 1000 / total;
            v.clamp(0, i128::from(i64::MAX)) as i64
        }
    }
}

/// The OOM scopes on a Kubernetes node, innermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OomScope {
    /// The container's memcg (`memory.max` = container limit).
    Container,
    /// The pod's memcg (Σ container limits + overhead, or the pod-level limit).
    Pod,
    /// The `kubepods` memcg (node allocatable + hard eviction threshold, when enforced).
    Kubepods,
    /// The whole node: a global OOM (RAM + swap).
    Node,
}

/// `totalpages` of a memcg OOM: `mem_cgroup_get_max(memcg) ?: 1` = `memory.max` in pages (bytes
/// written are rounded down to pages by `page_counter_memparse`) plus, when swappiness ≠ 0,
/// `min(swap.max, total_swap_pages)`. `None` for an unlimited memcg (it never OOMs on its own limit).
pub fn memcg_totalpages(limit_bytes: Option<i64>, swap_pages: i64, page_size: i64) -> Option<i64> {
    let limit = limit_bytes?.max(0);
    let ps = page_size.max(1);
    // A shift for the usual power-of-two page sizes (the same quotient: limit ≥ 0).
    let pages = if ps.count_ones() == 1 {
        limit >> ps.trailing_zeros()
    } else {
        limit / ps
    };
    Some(pages.saturating_add(swap_pages.max(0)).max(1))
}

/// `totalpages` of a global OOM (`constrained_alloc`, CONSTRAINT_NONE): `totalram_pages + total_swap_pages`.
pub fn global_totalpages(ram_bytes: i64, swap_bytes: i64, page_size: i64) -> i64 {
    let ps = page_size.max(1);
    (ram_bytes.max(0) / ps)
        .saturating_add(swap_bytes.max(0) / ps)
        .max(1)
}

/// The derivation of one task's badness from the numbers `oom_badness` read.
pub fn badness_derivation(
    rule: BadnessRule,
    t: &TaskMemory,
    oom_score_adj: i64,
    cap_sys_admin: bool,
    totalpages: i64,
    page_size: i64,
    points: i64,
) -> Derivation {
    let per_mille = totalpages.max(0) / 1000;
    let (formula, substituted) = match rule {
        BadnessRule::Signed => (
            "rss + swapents + pgtables_bytes/PAGE_SIZE + oom_score_adj × (totalpages / 1000)",
            format!(
                "{} + {} + {}/{} + {} × ({}/1000 = {}) = {}",
                t.rss_pages,
                t.swapents,
                t.pgtables_bytes,
                page_size,
                oom_score_adj,
                totalpages,
                per_mille,
                points
            ),
        ),
        _ => {
            let bonus = match (rule, cap_sys_admin) {
                (BadnessRule::RootBonusPercent, true) => " − points×3/100 (CAP_SYS_ADMIN)",
                (BadnessRule::RootBonusAdj, true) => " with adj −= 30 (CAP_SYS_ADMIN)",
                _ => "",
            };
            (
                "max(1, rss + swapents + pgtables_bytes/PAGE_SIZE + oom_score_adj × (totalpages / 1000))",
                format!(
                    "max(1, {} + {} + {}/{}{} + {} × ({}/1000 = {})) = {}",
                    t.rss_pages,
                    t.swapents,
                    t.pgtables_bytes,
                    page_size,
                    bonus,
                    oom_score_adj,
                    totalpages,
                    per_mille,
                    points
                ),
            )
        }
    };
    Derivation::new(
        "points",
        "kernel.oom_badness",
        formula,
        substituted,
        SRC_OOM_KILL,
    )
    .with_version_rule(rule.describe())
}

/// The derivation of `/proc/PID/oom_score`.
pub fn proc_oom_score_derivation(
    rule: BadnessRule,
    badness: Option<i64>,
    global_totalpages: i64,
) -> Derivation {
    let score = proc_oom_score(rule, badness, global_totalpages);
    proc_oom_score_derivation_of(rule, badness, global_totalpages, score)
}

/// [`proc_oom_score_derivation`] with the score already computed.
pub fn proc_oom_score_derivation_of(
    rule: BadnessRule,
    badness: Option<i64>,
    global_totalpages: i64,
    score: i64,
) -> Derivation {
    let (formula, substituted) = match (rule, badness) {
        (_, None) => ("unkillable (adj −1000) → 0", "0".to_string()),
        (BadnessRule::Signed, Some(b)) => (
            "(1000 + badness × 1000 / totalpages) × 2 / 3",
            format!("(1000 + {b} × 1000 / {global_totalpages}) × 2 / 3 = {score}"),
        ),
        (_, Some(b)) => (
            "badness × 1000 / totalpages",
            format!("{b} × 1000 / {global_totalpages} = {score}"),
        ),
    };
    Derivation::new(
        "oom_score",
        "kernel.proc_oom_score",
        formula,
        substituted,
        SRC_PROC,
    )
    .with_version_rule("/proc/PID/oom_score always uses the global totalpages = RAM + swap pages")
}

/// What a running container's whole-node badness and `/proc/PID/oom_score` derivations are
/// rendered from, besides the container's oom_score_adj, badness and oom_score (which its report
/// holds): the rule and the numbers `oom_badness` read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcScoreWhy {
    /// The kernel's badness rule.
    pub rule: BadnessRule,
    /// The task's resident pages.
    pub rss_pages: i64,
    /// RAM + swap pages.
    pub global_totalpages: i64,
    /// Page size.
    pub page_size: i64,
}

impl ProcScoreWhy {
    /// The badness derivation (killable tasks only) and the oom_score derivation of a task with
    /// `oom_score_adj` whose badness and score were `badness` and `oom_score`.
    pub fn derivations(
        &self,
        oom_score_adj: i64,
        badness: Option<i64>,
        oom_score: i64,
    ) -> impl Iterator<Item = Derivation> + '_ {
        let task = TaskMemory {
            rss_pages: self.rss_pages,
            swapents: 0,
            pgtables_bytes: 0,
        };
        let b = badness.map(|points| {
            badness_derivation(
                self.rule,
                &task,
                oom_score_adj,
                false,
                self.global_totalpages,
                self.page_size,
                points,
            )
        });
        b.into_iter()
            .chain(std::iter::once(proc_oom_score_derivation_of(
                self.rule,
                badness,
                self.global_totalpages,
                oom_score,
            )))
    }
}

/// The derivation of a scope's `totalpages`.
pub fn totalpages_derivation(
    scope: OomScope,
    limit_bytes: i64,
    swap_pages: i64,
    page_size: i64,
    total: i64,
) -> Derivation {
    let (formula, substituted) = match scope {
        OomScope::Node => (
            "totalram_pages + total_swap_pages".to_string(),
            format!("{limit_bytes}/{page_size} + {swap_pages} = {total}"),
        ),
        _ => (
            "memory.max/PAGE_SIZE + min(swap.max, total_swap_pages)".to_string(),
            format!("{limit_bytes}/{page_size} + {swap_pages} = {total}"),
        ),
    };
    Derivation::new(
        "totalpages",
        "kernel.oom_totalpages",
        formula,
        substituted,
        SRC_MEMCG,
    )
}
