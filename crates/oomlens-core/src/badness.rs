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
use crate::name::{Name, NameBuf, Names};
use serde::Serialize;
use std::sync::Arc;

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

/// One task the scan considers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Display id, e.g. `default/web/app`, `default/web (sandbox)`, `kubelet`.
    pub id: Name,
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

/// The ids of the processes kill orders name (`ns/pod/container`, `ns/pod (sandbox)`, …): one
/// text buffer and a span per id. An evaluation builds one table for all its kill orders and its
/// simulation; steps refer to ids by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcIds {
    names: Names,
    spans: Vec<(u32, u32)>,
}

impl ProcIds {
    /// A table over `names` with the given byte ranges, in id order.
    pub(crate) fn new(names: Names, spans: Vec<(u32, u32)>) -> ProcIds {
        ProcIds { names, spans }
    }

    /// A table of the given ids (one buffer).
    pub fn of<'a>(ids: impl Iterator<Item = &'a str>) -> ProcIds {
        let mut buf = NameBuf::default();
        let spans = ids
            .map(|id| {
                let r = buf.push(&[id]);
                (
                    u32::try_from(r.start).unwrap_or(u32::MAX),
                    u32::try_from(r.end).unwrap_or(u32::MAX),
                )
            })
            .collect();
        ProcIds {
            names: buf.finish(),
            spans,
        }
    }

    /// Id `i` (empty when there is none).
    pub fn get(&self, i: u32) -> &str {
        match self.spans.get(i as usize) {
            Some(&(a, b)) => self.names.str(a as usize..b as usize),
            None => "",
        }
    }

    /// Id `i` as a shared [`Name`].
    pub fn name(&self, i: u32) -> Name {
        match self.spans.get(i as usize) {
            Some(&(a, b)) => self.names.get(a as usize..b as usize),
            None => Name::default(),
        }
    }

    /// The first `len` bytes of id `i` as a shared [`Name`] (`ns/pod` of `ns/pod (sandbox)`).
    pub fn name_prefix(&self, i: u32, len: usize) -> Name {
        match self.spans.get(i as usize) {
            Some(&(a, b)) => {
                let a = a as usize;
                self.names.get(a..(a + len).min(b as usize))
            }
            None => Name::default(),
        }
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there is no id.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// One process as the kernel's scan sees it, its id an index into a [`ProcIds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Proc {
    pub id: u32,
    pub task: TaskMemory,
    pub oom_score_adj: i64,
    pub cap_sys_admin: bool,
}

impl Proc {
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

/// One entry of a kill order: its rank, badness and tie group, and the candidate (see
/// [`KillOrder::id`], [`KillOrder::task`], …): what the kernel read of the task is kept with the
/// order's candidates, so the step's derivation ([`KillOrder::derivation`]) is rendered from
/// stored numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KillStep {
    /// 1 = killed first.
    pub rank: u32,
    /// How many candidates share these points, this one included (1 = no tie). The group is
    /// contiguous in the kill order; [`KillOrder::tied_with`] names the others.
    pub tie_size: u32,
    /// Its badness in this scope.
    pub points: i64,
    /// Position of the first step of this step's tie group, within its kill order.
    tie_start: u32,
    /// Index of the candidate in the shared candidate list.
    proc: u32,
}

/// The kill order of one scope: the steps (highest badness first) with the scope's `totalpages`,
/// page size and badness rule, from which each step's derivation and tie list are rendered, and
/// the candidates and ids the steps refer to. The kill orders of an evaluation share one buffer.
/// Dereferences to the slice of steps. Serialises as the list of steps, each as `{rank, id,
/// points, tied_with, tie_size, derivation}`.
#[derive(Debug, Clone, PartialEq)]
pub struct KillOrder {
    shared: Arc<KillShared>,
    start: usize,
    end: usize,
    rule: BadnessRule,
    totalpages: i64,
    page_size: i64,
}

/// The steps and candidates of one or more kill orders and the ids they refer to.
#[derive(Debug, PartialEq)]
struct KillShared {
    steps: Vec<KillStep>,
    procs: Vec<Proc>,
    ids: Arc<ProcIds>,
}

impl KillOrder {
    /// A kill order without steps (a scope without candidates).
    pub(crate) fn empty(rule: BadnessRule, totalpages: i64, page_size: i64) -> KillOrder {
        KillOrder {
            shared: Arc::new(KillShared {
                steps: Vec::new(),
                procs: Vec::new(),
                ids: Arc::new(ProcIds::of(std::iter::empty())),
            }),
            start: 0,
            end: 0,
            rule,
            totalpages,
            page_size,
        }
    }

    /// The steps, highest badness first.
    pub fn steps(&self) -> &[KillStep] {
        self.shared.steps.get(self.start..self.end).unwrap_or(&[])
    }

    /// The badness rule of the scope.
    pub fn rule(&self) -> BadnessRule {
        self.rule
    }

    /// The scope's `totalpages`.
    pub fn totalpages(&self) -> i64 {
        self.totalpages
    }

    fn proc_of(&self, s: &KillStep) -> Option<&Proc> {
        self.shared.procs.get(s.proc as usize)
    }

    fn proc(&self, i: usize) -> Option<&Proc> {
        self.steps().get(i).and_then(|s| self.proc_of(s))
    }

    /// The id of step `i` (`ns/pod/container`, `ns/pod (sandbox)`, …; empty when there is no step
    /// `i`).
    pub fn id(&self, i: usize) -> &str {
        self.proc(i).map_or("", |p| self.shared.ids.get(p.id))
    }

    /// The ids of every step, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.steps()
            .iter()
            .map(|s| self.proc_of(s).map_or("", |p| self.shared.ids.get(p.id)))
    }

    /// The index in the evaluation's id table of every step's task, in order.
    pub(crate) fn proc_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.steps()
            .iter()
            .map(|s| self.proc_of(s).map_or(u32::MAX, |p| p.id))
    }

    /// The memory `oom_badness` read of step `i`'s task.
    pub fn task(&self, i: usize) -> TaskMemory {
        self.proc(i).map(|p| p.task).unwrap_or_default()
    }

    /// The oom_score_adj of step `i`'s task.
    pub fn oom_score_adj(&self, i: usize) -> i64 {
        self.proc(i).map_or(0, |p| p.oom_score_adj)
    }

    /// Whether step `i`'s task holds CAP_SYS_ADMIN.
    pub fn cap_sys_admin(&self, i: usize) -> bool {
        self.proc(i).is_some_and(|p| p.cap_sys_admin)
    }

    /// Ids of the other candidates with exactly the same points as step `i`, at most
    /// [`MAX_TIE_NAMES`] of them (the kernel takes the later-iterated one; iteration order is
    /// process-creation order, which the scenario does not know). `tie_size` gives the group's size.
    pub fn tied_with(&self, i: usize) -> Vec<&str> {
        let steps = self.steps();
        let Some(s) = steps.get(i) else {
            return Vec::new();
        };
        if s.tie_size <= 1 {
            return Vec::new();
        }
        let g = s.tie_start as usize;
        let group = steps.get(g..g + s.tie_size as usize).unwrap_or(&[]);
        group
            .iter()
            .enumerate()
            .filter(|(k, _)| g + k != i)
            .take(MAX_TIE_NAMES)
            .map(|(_, t)| self.proc_of(t).map_or("", |p| self.shared.ids.get(p.id)))
            .collect()
    }

    /// How step `i`'s points were obtained ([`Derivation::empty`] when there is no step `i`).
    pub fn derivation(&self, i: usize) -> Derivation {
        match (self.steps().get(i), self.proc(i)) {
            (Some(s), Some(p)) => badness_derivation_of(
                self.rule,
                &p.task,
                p.oom_score_adj,
                p.cap_sys_admin,
                self.totalpages,
                self.page_size,
                s.points,
            ),
            _ => Derivation::empty(),
        }
    }
}

impl std::ops::Deref for KillOrder {
    type Target = [KillStep];
    fn deref(&self) -> &[KillStep] {
        self.steps()
    }
}

impl<'a> IntoIterator for &'a KillOrder {
    type Item = &'a KillStep;
    type IntoIter = std::slice::Iter<'a, KillStep>;
    fn into_iter(self) -> Self::IntoIter {
        self.steps().iter()
    }
}

impl Serialize for KillOrder {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeSeq, SerializeStruct};
        struct Step<'a>(&'a KillOrder, usize, &'a KillStep);
        impl Serialize for Step<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let Step(order, i, k) = *self;
                let mut st = s.serialize_struct("KillStep", 6)?;
                st.serialize_field("rank", &k.rank)?;
                st.serialize_field("id", order.id(i))?;
                st.serialize_field("points", &k.points)?;
                st.serialize_field("tied_with", &order.tied_with(i))?;
                st.serialize_field("tie_size", &k.tie_size)?;
                st.serialize_field("derivation", &order.derivation(i))?;
                st.end()
            }
        }
        let steps = self.steps();
        let mut seq = s.serialize_seq(Some(steps.len()))?;
        for (i, k) in steps.iter().enumerate() {
            seq.serialize_element(&Step(self, i, k))?;
        }
        seq.end()
    }
}

/// Builds several kill orders into one shared buffer of steps and candidates (an evaluation's
/// orders: one allocation for all of them).
#[derive(Debug)]
pub(crate) struct KillOrders {
    steps: Vec<KillStep>,
    procs: Vec<Proc>,
    /// Per candidate, what its points in any scope are computed from (see [`Score`]).
    scores: Vec<Score>,
    /// Sort keys of the order being built (scratch, reused from order to order).
    keys: Vec<u64>,
    wide: Vec<u128>,
    /// Per order: its steps and its totalpages.
    ranges: Vec<(usize, usize, i64)>,
    ids: Arc<ProcIds>,
    rule: BadnessRule,
    page_size: i64,
}

impl KillOrders {
    /// A builder with room for `candidates` candidates and `steps` steps.
    pub fn new(
        ids: Arc<ProcIds>,
        rule: BadnessRule,
        page_size: i64,
        candidates: usize,
        steps: usize,
    ) -> Self {
        KillOrders {
            steps: Vec::with_capacity(steps),
            procs: Vec::with_capacity(candidates),
            scores: Vec::with_capacity(candidates),
            keys: Vec::with_capacity(candidates.min(1 << 16)),
            wide: Vec::new(),
            ranges: Vec::new(),
            ids,
            rule,
            page_size,
        }
    }

    /// Room for `n` more kill orders (their ranges; the steps are reserved by [`KillOrders::new`]).
    pub fn reserve_orders(&mut self, n: usize) {
        self.ranges.reserve(n);
    }

    /// Adds candidates; returns where they are, for [`KillOrders::push`].
    pub fn add(&mut self, procs: impl IntoIterator<Item = Proc>) -> std::ops::Range<usize> {
        let start = self.procs.len();
        self.procs.extend(procs);
        let (rule, ps) = (self.rule, self.page_size);
        self.scores.extend(
            self.procs
                .get(start..)
                .unwrap_or(&[])
                .iter()
                .map(|p| Score::of(rule, p, ps)),
        );
        start..self.procs.len()
    }

    /// Appends the kill order of the candidates `procs` (in iteration order) in a scope of
    /// `totalpages`.
    pub fn push(&mut self, procs: std::ops::Range<usize>, totalpages: i64) {
        self.push_with(None, procs, totalpages, Seed::None);
    }

    /// [`KillOrders::push`], trying first the order of `seed`: a kill order built by another
    /// builder whose candidates were added in the same places (the same processes at the same
    /// indices; the evaluation's node order for its kubepods scope) and that lists every
    /// killable candidate of `procs` (others are passed over). Checked: when a step of `seed`
    /// in `procs` names another process or one this builder finds unkillable, or some killable
    /// candidate is missing, the seed is not used. The result is the same either way.
    pub fn push_seeded(
        &mut self,
        procs: std::ops::Range<usize>,
        totalpages: i64,
        seed: &KillOrder,
    ) {
        let steps = seed.steps();
        let mut listed = 0usize;
        let mut usable = true;
        for st in steps {
            let i = st.proc as usize;
            if !procs.contains(&i) {
                continue;
            }
            let ours = self.procs.get(i).map(|p| p.id);
            let theirs = seed.shared.procs.get(i).map(|p| p.id);
            if ours.is_none() || ours != theirs || !self.scores.get(i).is_some_and(|c| c.killable) {
                usable = false;
                break;
            }
            listed += 1;
        }
        let killable = self
            .scores
            .get(procs.clone())
            .map_or(0, |c| c.iter().filter(|c| c.killable).count());
        let seed = if usable && listed == killable {
            Seed::Steps(steps, procs.len())
        } else {
            Seed::None
        };
        self.push_with(None, procs, totalpages, seed);
    }

    /// Appends the kill order of candidate `first` (if any) then the candidates `procs`, in a
    /// scope of `totalpages`, `seed` tried first (see [`append_kill_order`]).
    fn push_with(
        &mut self,
        first: Option<usize>,
        procs: std::ops::Range<usize>,
        totalpages: i64,
        seed: Seed<'_>,
    ) {
        let start = self.steps.len();
        append_kill_order(
            self.rule,
            &self.scores,
            first,
            procs,
            totalpages,
            seed,
            &mut self.keys,
            &mut self.wide,
            &mut self.steps,
        );
        self.ranges.push((start, self.steps.len(), totalpages));
    }

    /// Appends the kill order of a scope whose candidates are, in iteration order, candidate
    /// `first` and then the candidates `rest` (a pod: its sandbox, then its containers, added
    /// once for every scope they are in).
    pub fn push_after(&mut self, first: usize, rest: std::ops::Range<usize>, totalpages: i64) {
        self.push_with(Some(first), rest, totalpages, Seed::None);
    }

    /// The orders, in the order they were pushed.
    pub fn finish(self) -> Vec<KillOrder> {
        let shared = Arc::new(KillShared {
            steps: self.steps,
            procs: self.procs,
            ids: self.ids,
        });
        let (rule, page_size) = (self.rule, self.page_size);
        self.ranges
            .into_iter()
            .map(|(start, end, totalpages)| KillOrder {
                shared: Arc::clone(&shared),
                start,
                end,
                rule,
                totalpages,
                page_size,
            })
            .collect()
    }
}

/// What a candidate's points are computed from in every scope: `oom_badness_for` is
/// `base + adj × (totalpages / 1000)` (saturating; at least 1 before 5.9), where the memory term
/// and the adj (with the ≤ 4.16 CAP_SYS_ADMIN bonuses applied) do not depend on the scope.
#[derive(Debug, Clone, Copy)]
struct Score {
    base: i64,
    adj: i64,
    killable: bool,
}

impl Score {
    fn of(rule: BadnessRule, p: &Proc, page_size: i64) -> Score {
        let mut base = p.task.base_points(page_size);
        let mut adj = p.oom_score_adj;
        match rule {
            BadnessRule::Signed | BadnessRule::UnsignedFloor1 => {}
            BadnessRule::RootBonusPercent => {
                if p.cap_sys_admin {
                    base = base.saturating_sub(base.saturating_mul(3) / 100);
                }
            }
            BadnessRule::RootBonusAdj => {
                if p.cap_sys_admin {
                    adj -= 30;
                }
            }
        }
        Score {
            base,
            adj,
            killable: p.oom_score_adj > OOM_SCORE_ADJ_MIN,
        }
    }
}

/// Points of a narrow key lie in `-SPAN..SPAN` (48 bits) and candidate positions below 2^16.
const SPAN: i64 = 1 << 47;

/// Sorts `keys` ascending: insertion sort while the input is nearly sorted (small lists, or a
/// list laid out in the order of a similar scope), the standard sort otherwise.
fn sort_nearly_sorted(keys: &mut [u64]) {
    let mut budget = 2 * keys.len() + 8;
    for k in 1..keys.len() {
        let x = keys[k];
        let mut j = k;
        while j > 0 && keys[j - 1] > x {
            keys[j] = keys[j - 1];
            j -= 1;
            budget -= 1;
            if budget == 0 {
                keys[j] = x;
                keys.sort_unstable();
                return;
            }
        }
        keys[j] = x;
    }
}

/// A kill order tried first by [`append_kill_order`]: none, or the steps of another builder's
/// order over candidates in the same places, with how many candidate positions of the new order
/// it covers (the first ones).
enum Seed<'a> {
    None,
    Steps(&'a [KillStep], usize),
}

/// Candidates a scope may have for [`append_small`].
const SMALL_SCOPE: usize = 8;

/// [`append_kill_order`] without a seed for a scope of at most [`SMALL_SCOPE`] candidates (a pod:
/// its sandbox and a few containers), in a fixed array: each killable candidate is placed by
/// insertion as its points are computed (highest first; among equals the later-iterated first,
/// as the keys of [`append_kill_order`] order them), then the steps are written with their tie
/// groups. Returns `false`, writing nothing, for a larger scope.
fn append_small(
    rule: BadnessRule,
    all: &[Score],
    first: Option<usize>,
    range: std::ops::Range<usize>,
    totalpages: i64,
    out: &mut Vec<KillStep>,
) -> bool {
    let rest = all.get(range.clone()).map_or(0, <[Score]>::len);
    let lead = usize::from(first.is_some());
    if rest + lead > SMALL_SCOPE {
        return false;
    }
    let per_mille = totalpages.max(0) / 1000;
    let floor = if rule == BadnessRule::Signed {
        i64::MIN
    } else {
        1
    };
    // (points, iteration position, candidate index), best first.
    let mut order = [(0i64, 0usize, 0usize); SMALL_SCOPE];
    let mut m = 0usize;
    let candidates = first
        .into_iter()
        .chain(range.start..range.start + rest)
        .enumerate();
    for (pos, index) in candidates {
        let Some(c) = all.get(index).filter(|c| c.killable) else {
            continue;
        };
        let points = c
            .base
            .saturating_add(c.adj.saturating_mul(per_mille))
            .max(floor);
        let mut j = m;
        while let Some(&prev) = j.checked_sub(1).and_then(|k| order.get(k)) {
            if prev.0 > points || (prev.0 == points && prev.1 > pos) {
                break;
            }
            if let Some(slot) = order.get_mut(j) {
                *slot = prev;
            }
            j -= 1;
        }
        if let Some(slot) = order.get_mut(j) {
            *slot = (points, pos, index);
        }
        m += 1;
    }
    push_ordered(
        m,
        |k| order.get(k).map_or((0, usize::MAX), |e| (e.0, e.2)),
        out,
    );
    true
}

/// Appends `n` candidates in kill order as steps: `of(k)` is the `k`-th's points and candidate
/// index. Consecutive equal points form a tie group: its members share `tie_start` and
/// `tie_size`, and their ranks follow each other. Every path of [`append_kill_order`] ends here.
#[inline]
fn push_ordered(n: usize, of: impl Fn(usize) -> (i64, usize), out: &mut Vec<KillStep>) {
    // Ranks, positions and candidate indices are < 2^32 for any list that fits in memory.
    let narrow = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    out.reserve(n);
    let mut g = 0;
    while g < n {
        let points = of(g).0;
        let mut end = g + 1;
        while end < n && of(end).0 == points {
            end += 1;
        }
        for k in g..end {
            out.push(KillStep {
                rank: narrow(k + 1),
                tie_size: narrow(end - g),
                points,
                tie_start: narrow(g),
                proc: narrow(of(k).1),
            });
        }
        g = end;
    }
}

/// Appends to `out` the kill order of the candidates `all[range]`. Highest points first; among
/// equals the later-iterated first: one integer key per killable candidate, sorted as plain
/// integers — 64 bits (48 of descending points, 16 of descending position) when every key fits,
/// as on any real node, else 128 (points mapped order-preserving into u64, both halves inverted
/// for descending order). `seed` is a kill order covering the first `n` candidates of `range` (the
/// unkillable are the same in every scope; steps naming candidates outside `range` are passed
/// over); its candidates are laid out in its order, then the rest, so a scope ordered like the
/// seed sorts in one pass.
/// With `first`, the candidates are `all[first]` then `all[range]` (and there is no seed).
/// `keys`/`wide` are scratch space.
#[allow(clippy::too_many_arguments)]
fn append_kill_order(
    rule: BadnessRule,
    all: &[Score],
    first: Option<usize>,
    range: std::ops::Range<usize>,
    totalpages: i64,
    seed: Seed<'_>,
    keys: &mut Vec<u64>,
    wide: &mut Vec<u128>,
    out: &mut Vec<KillStep>,
) {
    if matches!(seed, Seed::None) && append_small(rule, all, first, range.clone(), totalpages, out)
    {
        return;
    }
    let rest = all.get(range.clone()).map_or(0, <[Score]>::len);
    // The index in `all` of the candidate at iteration position `i` (< n), and the candidate.
    let n = rest + usize::from(first.is_some());
    let index_of = |i: usize| match first {
        Some(f) if i == 0 => f,
        Some(_) => range.start + i - 1,
        None => range.start + i,
    };
    let cand = |i: usize| if i < n { all.get(index_of(i)) } else { None };
    let per_mille = totalpages.max(0) / 1000;
    let floor = if rule == BadnessRule::Signed {
        i64::MIN
    } else {
        1
    };
    let points = |c: &Score| {
        c.killable.then(|| {
            c.base
                .saturating_add(c.adj.saturating_mul(per_mille))
                .max(floor)
        })
    };
    // The seed's candidates (positions in `range`), then the candidates after the seed's.
    let (seed_steps, seed_len) = match seed {
        Seed::None => (&[][..], 0),
        Seed::Steps(steps, covered) => (steps, covered),
    };
    let seed_steps_len = seed_steps.len();
    keys.clear();
    // The key of candidate `i`, if killable; `Err` when its points do not fit in 48 bits.
    let key_of = |i: usize| -> Result<Option<u64>, ()> {
        match cand(i).and_then(points) {
            None => Ok(None),
            Some(p) if (-SPAN..SPAN).contains(&p) => {
                Ok(Some((((SPAN - 1 - p) as u64) << 16) | (0xffff - i as u64)))
            }
            Some(_) => Err(()),
        }
    };
    let mut fits = n <= 1 << 16;
    if fits {
        for s in seed_steps {
            match key_of((s.proc as usize).wrapping_sub(range.start)) {
                Ok(k) => keys.extend(k),
                Err(()) => {
                    fits = false;
                    break;
                }
            }
        }
    }
    if fits {
        for i in seed_len.min(n)..n {
            match key_of(i) {
                Ok(k) => keys.extend(k),
                Err(()) => {
                    fits = false;
                    break;
                }
            }
        }
    }
    let start = out.len();
    if fits {
        if seed_steps_len == 0 && keys.len() > 16 {
            keys.sort_unstable();
        } else {
            sort_nearly_sorted(keys);
        }
        // Narrow keys hold the descending points above the descending position.
        push_ordered(
            keys.len(),
            |k| {
                let key = keys.get(k).copied().unwrap_or(0);
                (
                    SPAN - 1 - (key >> 16) as i64,
                    index_of(0xffff - (key & 0xffff) as usize),
                )
            },
            out,
        );
        return;
    }
    // Wide keys (points beyond 48 bits or more than 2^16 candidates: never on a real node).
    let key = |i: usize, p: i64| -> u128 {
        let points = !((p as u64) ^ (1 << 63));
        (u128::from(points) << 64) | u128::from(!(i as u64))
    };
    let decode = |k: u128| -> (usize, i64) {
        let points = (!((k >> 64) as u64) ^ (1 << 63)) as i64;
        (!(k as u64) as usize, points)
    };
    wide.clear();
    wide.extend((0..n).filter_map(|i| cand(i).and_then(points).map(|p| key(i, p))));
    wide.sort_unstable();
    out.truncate(start);
    push_ordered(
        wide.len(),
        |k| {
            let (i, points) = decode(wide.get(k).copied().unwrap_or(0));
            (points, index_of(i))
        },
        out,
    );
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
) -> KillOrder {
    let ids = Arc::new(ProcIds::of(candidates.iter().map(|c| c.id.as_str())));
    let mut orders = KillOrders::new(ids, rule, page_size, candidates.len(), candidates.len());
    let range = orders.add(candidates.iter().enumerate().map(|(i, c)| Proc {
        id: u32::try_from(i).unwrap_or(u32::MAX),
        task: c.task,
        oom_score_adj: c.oom_score_adj,
        cap_sys_admin: c.cap_sys_admin,
    }));
    orders.push(range, totalpages);
    orders
        .finish()
        .pop()
        .unwrap_or_else(|| KillOrder::empty(rule, totalpages, page_size))
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
    select_bad(
        candidates
            .iter()
            .map(|c| c.points(rule, totalpages, page_size)),
    )
}

/// [`select_bad_process`] over [`Proc`]s.
pub(crate) fn select_bad_proc(
    rule: BadnessRule,
    procs: &[Proc],
    totalpages: i64,
    page_size: i64,
) -> Option<(usize, i64, Vec<usize>)> {
    select_bad(procs.iter().map(|c| c.points(rule, totalpages, page_size)))
}

/// The scan of `select_bad_process` over the candidates' points in iteration order.
fn select_bad(
    points: impl Iterator<Item = Option<i64>> + Clone,
) -> Option<(usize, i64, Vec<usize>)> {
    let mut chosen: Option<(usize, i64)> = None;
    for (i, p) in points.clone().enumerate() {
        if let Some(p) = p {
            if chosen.is_none_or(|(_, best)| p >= best) {
                chosen = Some((i, p));
            }
        }
    }
    let (victim, best) = chosen?;
    let ties = points
        .enumerate()
        .filter(|(i, p)| *i != victim && *p == Some(best))
        .map(|(i, _)| i)
        .collect();
    Some((victim, best, ties))
}

/// The derivation of one candidate's badness.
pub fn badness_derivation(
    rule: BadnessRule,
    c: &Candidate,
    totalpages: i64,
    page_size: i64,
    points: i64,
) -> Derivation {
    badness_derivation_of(
        rule,
        &c.task,
        c.oom_score_adj,
        c.cap_sys_admin,
        totalpages,
        page_size,
        points,
    )
}

/// [`badness_derivation`] from the numbers `oom_badness` read.
pub fn badness_derivation_of(
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
            badness_derivation_of(
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic xorshift generator: each call gives a number below its argument.
    fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut x = seed;
        move |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        }
    }

    /// [`append_small`] gives the steps of the general path of [`append_kill_order`] (reached
    /// here with an empty seed): every rule, with and without a first candidate, points in and
    /// far beyond the narrow keys' 48 bits, ties, unkillable candidates.
    #[test]
    fn small_scopes_match_the_general_path() {
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        let bases = [0, 1, 7, 1 << 20, 1 << 46, 1 << 50, i64::MAX / 3, i64::MAX];
        let adjs = [-1000, -999, -997, 0, 3, 500, 1000];
        for _ in 0..5000 {
            let n = next(SMALL_SCOPE as u64 + 1) as usize;
            let all: Vec<Score> = (0..n + 2)
                .map(|_| Score {
                    base: bases[next(bases.len() as u64) as usize],
                    adj: adjs[next(adjs.len() as u64) as usize],
                    killable: next(6) != 0,
                })
                .collect();
            let tp = [0, 999, 1000, 4_000_000, 1 << 40, i64::MAX][next(6) as usize];
            let first = (next(2) == 0).then(|| n + next(2) as usize);
            let range = 0..n.saturating_sub(usize::from(first.is_some()));
            for rule in [
                BadnessRule::Signed,
                BadnessRule::UnsignedFloor1,
                BadnessRule::RootBonusPercent,
            ] {
                let mut small = Vec::new();
                assert!(append_small(
                    rule,
                    &all,
                    first,
                    range.clone(),
                    tp,
                    &mut small
                ));
                let (mut keys, mut wide, mut general) = (Vec::new(), Vec::new(), Vec::new());
                append_kill_order(
                    rule,
                    &all,
                    first,
                    range.clone(),
                    tp,
                    Seed::Steps(&[], 0),
                    &mut keys,
                    &mut wide,
                    &mut general,
                );
                assert_eq!(small, general, "{all:?} first {first:?} tp {tp}");
            }
        }
    }

    /// A kubepods-like order built with [`KillOrders::push_seeded`] is the unseeded order: with
    /// the node order over the same candidates as seed, with a seed whose candidates are other
    /// processes at the same indices, and with a seed that lacks a killable candidate.
    #[test]
    fn seeded_orders_equal_unseeded() {
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        let adjs = [-1000, -999, -998, -997, 0, 3, 500, 999, 1000];
        for _ in 0..200 {
            let n = 1 + next(40) as usize;
            let procs: Vec<Proc> = (0..n)
                .map(|i| Proc {
                    id: i as u32,
                    task: TaskMemory {
                        rss_pages: next(3) as i64 * next(400_000) as i64,
                        swapents: 0,
                        pgtables_bytes: 0,
                    },
                    oom_score_adj: adjs[next(adjs.len() as u64) as usize],
                    cap_sys_admin: false,
                })
                .collect();
            let system = Proc {
                id: n as u32,
                task: TaskMemory::from_rss_bytes(1 << 30, 4096),
                oom_score_adj: KUBELET_OOM_SCORE_ADJ,
                cap_sys_admin: true,
            };
            let names: Vec<String> = (0..=n).map(|i| format!("p{i}")).collect();
            let ids = Arc::new(ProcIds::of(names.iter().map(String::as_str)));
            let (node_tp, kubepods_tp) = (4_000_000 + next(1000) as i64, 3_000_000);
            for rule in [
                BadnessRule::Signed,
                BadnessRule::UnsignedFloor1,
                BadnessRule::RootBonusAdj,
            ] {
                let order = |procs: &[Proc], seed: Option<&KillOrder>, tp: i64, system_too| {
                    let mut o = KillOrders::new(Arc::clone(&ids), rule, 4096, n + 1, n + 1);
                    let all = o.add(procs.iter().copied());
                    let sys = o.add(std::iter::once(system));
                    let range = if system_too { all.start..sys.end } else { all };
                    match seed {
                        Some(s) => o.push_seeded(range, tp, s),
                        None => o.push(range, tp),
                    }
                    o.finish().pop().expect("one order")
                };
                let plain = order(&procs, None, kubepods_tp, false);
                let node = order(&procs, None, node_tp, true);
                let seeded = order(&procs, Some(&node), kubepods_tp, false);
                assert_eq!(seeded.steps(), plain.steps(), "{procs:?}");
                // Other processes at the same indices (reversed ids).
                let mut other = procs.clone();
                for (i, p) in other.iter_mut().enumerate() {
                    p.id = (n - 1 - i) as u32;
                }
                let other_node = order(&other, None, node_tp, true);
                let seeded = order(&procs, Some(&other_node), kubepods_tp, false);
                assert_eq!(seeded.steps(), plain.steps(), "{procs:?}");
                // A seed without one killable candidate (unkillable there).
                if let Some(k) = procs.iter().position(|p| p.oom_score_adj > -1000) {
                    let mut fewer = procs.clone();
                    if let Some(p) = fewer.get_mut(k) {
                        p.oom_score_adj = -1000;
                    }
                    let short_node = order(&fewer, None, node_tp, true);
                    let seeded = order(&procs, Some(&short_node), kubepods_tp, false);
                    assert_eq!(seeded.steps(), plain.steps(), "{procs:?}");
                }
            }
        }
    }
}
