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

use crate::derivation::Derivation;
use serde::Serialize;

const SRC_OOM_KILL: &str = "torvalds/linux mm/oom_kill.c (oom_badness, oom_evaluate_task)";
const SRC_PROC: &str = "torvalds/linux fs/proc/base.c (proc_oom_score)";
const SRC_MEMCG: &str =
    "torvalds/linux mm/memcontrol.c (mem_cgroup_get_max), mm/oom_kill.c (constrained_alloc)";

/// `OOM_SCORE_ADJ_MIN`: a task with this adj is never chosen (and is exempt from oom.group kills).
pub const OOM_SCORE_ADJ_MIN: i64 = -1000;
/// `OOM_SCORE_ADJ_MAX`.
pub const OOM_SCORE_ADJ_MAX: i64 = 1000;
/// oom_score_adj of the pod sandbox (pause) process as containerd and CRI-O set it.
pub const SANDBOX_OOM_SCORE_ADJ: i64 = -998;
/// oom_score_adj of kubelet (`KubeletOOMScoreAdj`, `pkg/kubelet/qos/policy.go`) and, by convention, the container runtime.
pub const KUBELET_OOM_SCORE_ADJ: i64 = -999;

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

    /// A one-line description naming the kernel range, for derivations.
    pub fn describe(self) -> &'static str {
        match self {
            BadnessRule::Signed => "kernel ≥ 5.9: signed badness, no floor, adj −1000 → never chosen",
            BadnessRule::UnsignedFloor1 => "kernel 4.17–5.8: unsigned badness, floored at 1, adj −1000 → 0 (never chosen)",
            BadnessRule::RootBonusPercent => {
                "kernel 3.14–4.16: unsigned, floored at 1; CAP_SYS_ADMIN tasks get points −= points×3/100"
            }
            BadnessRule::RootBonusAdj => "kernel 3.10–3.13: unsigned, floored at 1; CAP_SYS_ADMIN tasks get adj −= 30",
        }
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
        TaskMemory {
            rss_pages: bytes.max(0) / page_size.max(1),
            swapents: 0,
            pgtables_bytes: 0,
        }
    }

    /// `rss + swapents + pgtables_bytes / PAGE_SIZE` (saturating).
    pub fn base_points(&self, page_size: i64) -> i64 {
        self.rss_pages
            .saturating_add(self.swapents)
            .saturating_add(self.pgtables_bytes / page_size.max(1))
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
            // (1000 + badness * 1000 / (long)totalpages) * 2 / 3, C truncating division.
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
    let limit = limit_bytes?;
    let pages = limit.max(0) / page_size.max(1);
    Some(pages.saturating_add(swap_pages.max(0)).max(1))
}

/// `totalpages` of a global OOM (`constrained_alloc`, CONSTRAINT_NONE): `totalram_pages + total_swap_pages`.
pub fn global_totalpages(ram_bytes: i64, swap_bytes: i64, page_size: i64) -> i64 {
    let ps = page_size.max(1);
    (ram_bytes.max(0) / ps)
        .saturating_add(swap_bytes.max(0) / ps)
        .max(1)
}

/// One task the scan considers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Display id, e.g. `default/web/app`, `default/web (sandbox)`, `kubelet`.
    pub id: String,
    /// Its memory.
    pub task: TaskMemory,
    /// Its oom_score_adj.
    pub oom_score_adj: i64,
    /// Holds CAP_SYS_ADMIN (matters on kernels ≤ 4.16 only).
    pub cap_sys_admin: bool,
}

impl Candidate {
    /// Its `oom_badness` in a scope of `totalpages` (`None`: never killed, adj −1000).
    pub fn points(&self, rule: BadnessRule, totalpages: i64, page_size: i64) -> Option<i64> {
        oom_badness_for(
            rule,
            &self.task,
            self.oom_score_adj,
            totalpages,
            page_size,
            self.cap_sys_admin,
        )
    }
}

/// At most this many tied ids are listed per kill step (a node has one sandbox per pod, all tied).
pub const MAX_TIE_NAMES: usize = 4;

/// One entry of a kill order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KillStep {
    /// 1 = killed first.
    pub rank: u32,
    /// The candidate's id.
    pub id: String,
    /// Its badness in this scope.
    pub points: i64,
    /// Ids of other candidates with exactly the same points, at most [`MAX_TIE_NAMES`] of them (the
    /// kernel takes the later-iterated one; iteration order is process-creation order, which the
    /// scenario does not know). `tie_size` gives the whole group's size.
    pub tied_with: Vec<String>,
    /// How many candidates share these points, this one included (1 = no tie).
    pub tie_size: u32,
    /// How `points` was obtained.
    pub derivation: Derivation,
}

/// The kill order in one scope: repeatedly take the candidate with the highest badness (on equal
/// points the later-iterated task wins: `oom_evaluate_task` skips only `points < chosen_points`),
/// remove it, repeat. Candidates with adj −1000 never appear. Candidates are given in iteration
/// order; within a tie the later one is listed first and every member names the others.
pub fn kill_order(
    rule: BadnessRule,
    candidates: &[Candidate],
    totalpages: i64,
    page_size: i64,
) -> Vec<KillStep> {
    kill_order_with(rule, candidates, totalpages, page_size, true)
}

/// [`kill_order_with`] taking the candidates by value: each step's `id` is moved out of its
/// candidate instead of copied (the numbers-only evaluation builds several kill orders).
pub fn kill_order_owned(
    rule: BadnessRule,
    mut candidates: Vec<Candidate>,
    totalpages: i64,
    page_size: i64,
    derive: bool,
) -> Vec<KillStep> {
    let mut out = kill_order_impl(rule, &candidates, totalpages, page_size, derive, false);
    for (step, i) in out.iter_mut() {
        if let Some(c) = candidates.get_mut(*i) {
            step.id = std::mem::take(&mut c.id);
        }
    }
    out.drain(..).map(|(s, _)| s).collect()
}

/// [`kill_order`]; with `derive` false every step's `derivation` is [`Derivation::empty`].
pub fn kill_order_with(
    rule: BadnessRule,
    candidates: &[Candidate],
    totalpages: i64,
    page_size: i64,
    derive: bool,
) -> Vec<KillStep> {
    kill_order_impl(rule, candidates, totalpages, page_size, derive, true)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// The kill order with each step's candidate index; `copy_ids` false leaves `id` empty.
fn kill_order_impl(
    rule: BadnessRule,
    candidates: &[Candidate],
    totalpages: i64,
    page_size: i64,
    derive: bool,
    copy_ids: bool,
) -> Vec<(KillStep, usize)> {
    let mut scored: Vec<(usize, i64)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.points(rule, totalpages, page_size).map(|p| (i, p)))
        .collect();
    // Highest points first; among equals the later-iterated first.
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let mut out = Vec::with_capacity(scored.len());
    let mut start = 0;
    while start < scored.len() {
        let mut end = start + 1;
        while end < scored.len() && scored[end].1 == scored[start].1 {
            end += 1;
        }
        for k in start..end {
            let (i, points) = scored[k];
            let c = &candidates[i];
            let tied_with = if end - start > 1 {
                scored[start..end]
                    .iter()
                    .filter(|(j, _)| *j != i)
                    .take(MAX_TIE_NAMES)
                    .map(|(j, _)| candidates[*j].id.clone())
                    .collect()
            } else {
                Vec::new()
            };
            out.push((
                KillStep {
                    rank: u32::try_from(k + 1).unwrap_or(u32::MAX),
                    id: if copy_ids {
                        c.id.clone()
                    } else {
                        String::new()
                    },
                    points,
                    tied_with,
                    tie_size: u32::try_from(end - start).unwrap_or(u32::MAX),
                    derivation: if derive {
                        badness_derivation(rule, c, totalpages, page_size, points)
                    } else {
                        Derivation::empty()
                    },
                },
                i,
            ));
        }
        start = end;
    }
    out
}

/// `select_bad_process` over `candidates` in iteration order: the index of the victim, its points
/// and the indices of the other candidates with the same points (`oom_evaluate_task` skips only
/// `points < chosen_points`, so the last of equal candidates wins). `None` when no candidate is
/// killable.
pub fn select_bad_process(
    rule: BadnessRule,
    candidates: &[Candidate],
    totalpages: i64,
    page_size: i64,
) -> Option<(usize, i64, Vec<usize>)> {
    let mut chosen: Option<(usize, i64)> = None;
    let mut points_of = Vec::with_capacity(candidates.len());
    for (i, c) in candidates.iter().enumerate() {
        let p = c.points(rule, totalpages, page_size);
        points_of.push(p);
        if let Some(p) = p {
            if chosen.is_none_or(|(_, best)| p >= best) {
                chosen = Some((i, p));
            }
        }
    }
    let (victim, points) = chosen?;
    let ties = points_of
        .iter()
        .enumerate()
        .filter(|(i, p)| *i != victim && **p == Some(points))
        .map(|(i, _)| i)
        .collect();
    Some((victim, points, ties))
}

/// The derivation of one candidate's badness.
pub fn badness_derivation(
    rule: BadnessRule,
    c: &Candidate,
    totalpages: i64,
    page_size: i64,
    points: i64,
) -> Derivation {
    let t = &c.task;
    let per_mille = totalpages.max(0) / 1000;
    let (formula, substituted) = match rule {
        BadnessRule::Signed => (
            "rss + swapents + pgtables_bytes/PAGE_SIZE + oom_score_adj × (totalpages / 1000)"
                .to_string(),
            format!(
                "{} + {} + {}/{} + {} × ({}/1000 = {}) = {}",
                t.rss_pages,
                t.swapents,
                t.pgtables_bytes,
                page_size,
                c.oom_score_adj,
                totalpages,
                per_mille,
                points
            ),
        ),
        _ => {
            let bonus = match (rule, c.cap_sys_admin) {
                (BadnessRule::RootBonusPercent, true) => " − points×3/100 (CAP_SYS_ADMIN)",
                (BadnessRule::RootBonusAdj, true) => " with adj −= 30 (CAP_SYS_ADMIN)",
                _ => "",
            };
            (
                "max(1, rss + swapents + pgtables_bytes/PAGE_SIZE + oom_score_adj × (totalpages / 1000))".to_string(),
                format!(
                    "max(1, {} + {} + {}/{}{} + {} × ({}/1000 = {})) = {}",
                    t.rss_pages,
                    t.swapents,
                    t.pgtables_bytes,
                    page_size,
                    bonus,
                    c.oom_score_adj,
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
    let (formula, substituted) = match (rule, badness) {
        (_, None) => ("unkillable (adj −1000) → 0".to_string(), "0".to_string()),
        (BadnessRule::Signed, Some(b)) => (
            "(1000 + badness × 1000 / totalpages) × 2 / 3".to_string(),
            format!("(1000 + {b} × 1000 / {global_totalpages}) × 2 / 3 = {score}"),
        ),
        (_, Some(b)) => (
            "badness × 1000 / totalpages".to_string(),
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
