//! The order in which the kernel's OOM killer would kill in one scope: `select_bad_process` run
//! again and again (`torvalds/linux mm/oom_kill.c`, `oom_evaluate_task`): the candidate with the
//! highest [`oom_badness_for`] dies, then the next, and so on. On equal points the later-iterated
//! task wins (`oom_evaluate_task` skips only `points < chosen_points`); candidates with adj −1000
//! are never chosen. The iteration order is process-creation order, which a scenario does not
//! know, so ties are reported, never decided.
//!
//! The kill orders of an evaluation share one buffer of steps and candidates ([`KillOrders`]), and
//! the candidates name their processes by index into one id table ([`ProcIds`]).

use super::badness::{badness_derivation, oom_badness_for, BadnessRule, TaskMemory};
use crate::base::derivation::Derivation;
use crate::base::name::{Name, NameBuf, Names};
use serde::Serialize;
use std::cmp::Reverse;
use std::sync::Arc;

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
    /// Its `oom_badness` in a scope of `totalpages` (`None`: never killed).
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
            (Some(s), Some(p)) => badness_derivation(
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
    /// Per order: its steps and its totalpages.
    ranges: Vec<(usize, usize, i64)>,
    /// (points, iteration position, candidate) of the order being built (scratch).
    scratch: Vec<(i64, usize, usize)>,
    ids: Arc<ProcIds>,
    rule: BadnessRule,
    page_size: i64,
    /// Whether the scan keeps the later of equal candidates for the next order pushed
    /// ([`crate::kernel::badness::KernelVersion::ties_keep_later`]; the newest kernels do).
    later_wins: bool,
}

impl KillOrders {
    /// Sets the tie rule of the orders pushed from now on.
    pub fn set_ties_keep_later(&mut self, later: bool) {
        self.later_wins = later;
    }

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
            ranges: Vec::new(),
            scratch: Vec::new(),
            ids,
            rule,
            page_size,
            later_wins: true,
        }
    }

    /// Adds candidates; returns where they are, for [`KillOrders::push`].
    pub fn add(&mut self, procs: impl IntoIterator<Item = Proc>) -> std::ops::Range<usize> {
        let start = self.procs.len();
        self.procs.extend(procs);
        start..self.procs.len()
    }

    /// Appends the kill order of the candidates `procs` (in iteration order) in a scope of
    /// `totalpages`.
    pub fn push(&mut self, procs: std::ops::Range<usize>, totalpages: i64) {
        self.push_order(procs, totalpages);
    }

    /// Appends the kill order of a scope whose candidates are, in iteration order, candidate
    /// `first` and then the candidates `rest` (a pod: its sandbox, then its containers, added
    /// once for every scope they are in).
    pub fn push_after(&mut self, first: usize, rest: std::ops::Range<usize>, totalpages: i64) {
        self.push_order(std::iter::once(first).chain(rest), totalpages);
    }

    /// Appends the kill order of `candidates` (indices into the candidates, in iteration order):
    /// highest points first, and among equal points the one the scan keeps first (the
    /// later-iterated, or the earlier on kernels whose rule keeps it); consecutive equal points
    /// form a tie group.
    fn push_order(&mut self, candidates: impl Iterator<Item = usize>, totalpages: i64) {
        let (rule, page_size) = (self.rule, self.page_size);
        self.scratch.clear();
        for (pos, i) in candidates.enumerate() {
            if let Some(points) = self
                .procs
                .get(i)
                .and_then(|p| p.points(rule, totalpages, page_size))
            {
                self.scratch.push((points, pos, i));
            }
        }
        if self.later_wins {
            self.scratch
                .sort_unstable_by_key(|&(points, pos, _)| (Reverse(points), Reverse(pos)));
        } else {
            self.scratch
                .sort_unstable_by_key(|&(points, pos, _)| (Reverse(points), pos));
        }
        // Ranks, positions and candidate indices are < 2^32 for any list that fits in memory.
        let narrow = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let start = self.steps.len();
        let n = self.scratch.len();
        let mut g = 0;
        while g < n {
            let points = self.scratch[g].0;
            let end = g + self.scratch[g..]
                .iter()
                .take_while(|e| e.0 == points)
                .count();
            for (k, &(_, _, proc)) in self.scratch[g..end].iter().enumerate() {
                self.steps.push(KillStep {
                    rank: narrow(g + k + 1),
                    tie_size: narrow(end - g),
                    points,
                    tie_start: narrow(g),
                    proc: narrow(proc),
                });
            }
            g = end;
        }
        self.ranges.push((start, self.steps.len(), totalpages));
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
        true,
    )
}

/// [`select_bad_process`] over [`Proc`]s, with the kernel's tie rule (`later_wins`).
pub(crate) fn select_bad_proc(
    rule: BadnessRule,
    procs: &[Proc],
    totalpages: i64,
    page_size: i64,
    later_wins: bool,
) -> Option<(usize, i64, Vec<usize>)> {
    select_bad(
        procs.iter().map(|c| c.points(rule, totalpages, page_size)),
        later_wins,
    )
}

/// The scan of `select_bad_process` over the candidates' points in iteration order (`None`: not
/// a candidate): the index of the victim, its points and the indices of the others with the same
/// points. On equal points `later_wins` keeps the later task, as `oom_evaluate_task` does from
/// 5.3 ([`crate::kernel::badness::KernelVersion::ties_keep_later`] gives each release's rule).
pub fn select_bad(
    points: impl Iterator<Item = Option<i64>> + Clone,
    later_wins: bool,
) -> Option<(usize, i64, Vec<usize>)> {
    let mut chosen: Option<(usize, i64)> = None;
    for (i, p) in points.clone().enumerate() {
        if let Some(p) = p {
            if chosen.is_none_or(|(_, best)| p > best || (p == best && later_wins)) {
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
