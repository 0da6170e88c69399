//! The simulation's state between events: what each container and pod uses, the phases of
//! evicted pods, the memory signals kubelet observes, and when the next threshold or limit is
//! reached.

use super::*;

#[derive(Debug, Clone)]
pub(super) struct CState {
    pub(super) alive: bool,
    /// Usage in milli-bytes at `now`.
    pub(super) mb: i128,
    /// Growth in bytes/s = milli-bytes/ms.
    pub(super) rate: i128,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum PodPhase {
    Running,
    Terminating { release_ms: i64 },
    Gone,
}

pub(super) struct State<'a> {
    pub(super) m: &'a Model,
    pub(super) now: i64,
    /// Per container of `m.containers`.
    pub(super) c: Vec<CState>,
    pub(super) phase: Vec<PodPhase>,
    pub(super) steps: Vec<TimelineStep>,
    /// Σ usage of alive containers (milli-bytes), kept in step with `c` so that the node and
    /// kubepods totals cost O(1) instead of a pass over every container.
    pub(super) tot_mb: i128,
    /// Σ growth of alive containers.
    pub(super) tot_rate: i128,
    /// Alive containers that grow: the only ones whose usage changes with time.
    pub(super) growing: Vec<usize>,
    /// Pods that can cause a kernel event: not gone, and some alive container grows or is above
    /// its limit, or the pod is above its own limit. Every other pod stays as it is until a kill.
    pub(super) active: Vec<usize>,
    /// Alive containers.
    pub(super) alive: usize,
    /// `growing`, `active` and `alive` are stale (a container was killed or stopped growing).
    pub(super) dirty: bool,
}

pub(super) fn bytes(mb: i128) -> i64 {
    // In i64 when it fits (a constant division there is a multiplication).
    if let Ok(v) = i64::try_from(mb) {
        return v.div_euclid(1000).max(0);
    }
    (mb.div_euclid(1000)).clamp(0, i128::from(i64::MAX)) as i64
}

/// Smallest dt ≥ 0 (ms) with `cur + rate·dt ≥ target` (all in milli-bytes); `None` if never.
pub(super) fn time_to_reach(cur: i128, rate: i128, target: i128) -> Option<i64> {
    if cur >= target {
        return Some(0);
    }
    if rate <= 0 {
        return None;
    }
    let need = target - cur;
    let dt = (need + rate - 1) / rate;
    i64::try_from(dt).ok()
}

/// When a memcg (or the node) at `cur` growing by `rate` runs out of room under `limit` (all in
/// milli-bytes): the charge that would take usage above the limit fails, so a growing cgroup OOMs
/// the moment it reaches its limit, one above it OOMs at once, and one sitting exactly at its limit
/// without growing does not (nothing more is charged).
pub(super) fn time_to_oom(cur: i128, rate: i128, limit: i128) -> Option<i64> {
    if cur > limit || (cur == limit && rate > 0) {
        return Some(0);
    }
    if cur == limit {
        return None;
    }
    time_to_reach(cur, rate, limit)
}

pub(super) fn secs(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// Which pods a kernel OOM's candidate scan covers.
#[derive(Clone, Copy)]
pub(super) enum Scan {
    Pod(usize),
    All,
}

impl<'a> State<'a> {
    pub(super) fn pod_cs(&self, p: usize) -> &[CState] {
        match self.m.pods.get(p) {
            Some(pod) => self.c.get(pod.start..pod.end).unwrap_or(&[]),
            None => &[],
        }
    }
    pub(super) fn pod_mb(&self, p: usize) -> i128 {
        self.pod_cs(p)
            .iter()
            .filter(|c| c.alive)
            .map(|c| c.mb)
            .sum()
    }
    pub(super) fn pods_mb(&self) -> i128 {
        self.tot_mb
    }
    pub(super) fn pods_rate(&self) -> i128 {
        self.tot_rate
    }
    /// Recomputes the cached totals after `c` was changed in place.
    pub(super) fn recompute_totals(&mut self) {
        let (mut mb, mut rate) = (0i128, 0i128);
        for c in self.c.iter().filter(|c| c.alive) {
            mb += c.mb;
            rate += c.rate;
        }
        self.tot_mb = mb;
        self.tot_rate = rate;
        self.dirty = true;
    }
    /// Recomputes `growing`, `active` and `alive` when stale.
    pub(super) fn refresh(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        self.growing.clear();
        self.alive = 0;
        for (i, c) in self.c.iter().enumerate() {
            if c.alive {
                self.alive += 1;
                if c.rate > 0 {
                    self.growing.push(i);
                }
            }
        }
        self.active.clear();
        for p in 0..self.m.pods.len() {
            if self.pod_active(p) {
                self.active.push(p);
            }
        }
    }
    /// Whether pod `p` can cause a kernel event (see `active`).
    pub(super) fn pod_active(&self, p: usize) -> bool {
        let (Some(pod), Some(phase)) = (self.m.pods.get(p), self.phase.get(p)) else {
            return false;
        };
        if *phase == PodPhase::Gone {
            return false;
        }
        let (mut pod_mb, mut pod_rate) = (0i128, 0i128);
        for i in pod.start..pod.end {
            let (Some(c), Some(spec)) = (self.c.get(i), self.m.containers.get(i)) else {
                continue;
            };
            if !c.alive {
                continue;
            }
            pod_mb += c.mb;
            pod_rate += c.rate;
            if c.rate > 0
                || spec
                    .limit_bytes
                    .is_some_and(|l| c.mb > i128::from(l) * 1000)
            {
                return true;
            }
        }
        pod.limit_bytes
            .is_some_and(|l| pod_mb > i128::from(l) * 1000 || pod_rate > 0)
    }
    pub(super) fn node_mb(&self) -> i128 {
        i128::from(self.m.system_usage_bytes) * 1000 + self.pods_mb()
    }
    pub(super) fn snapshot(&self) -> MemorySnapshot {
        let kubepods = bytes(self.pods_mb());
        let node = bytes(self.node_mb());
        MemorySnapshot {
            node_used_bytes: node,
            memory_available_bytes: self.m.capacity_bytes.saturating_sub(node),
            kubepods_used_bytes: kubepods,
            allocatable_available_bytes: self
                .m
                .kubepods_limit_bytes
                .map(|l| l.saturating_sub(kubepods)),
        }
    }
    pub(super) fn advance(&mut self, to: i64) {
        self.refresh();
        let dt = i128::from(to.saturating_sub(self.now).max(0));
        // Only growing containers change; the total moves by what they gained.
        for &i in &self.growing {
            if let Some(c) = self.c.get_mut(i) {
                if c.alive {
                    let old = c.mb;
                    c.mb = c.mb.saturating_add(c.rate.saturating_mul(dt));
                    self.tot_mb += c.mb - old;
                }
            }
        }
        self.now = to;
    }
    pub(super) fn kill_container(&mut self, i: usize) {
        let Some(c) = self.c.get_mut(i) else { return };
        let was_alive = c.alive;
        if was_alive {
            self.tot_mb -= c.mb;
            self.tot_rate -= c.rate;
        }
        c.alive = false;
        c.mb = 0;
        c.rate = 0;
        if self.dirty || !was_alive {
            return;
        }
        // Only this container's pod can change: keep the bookkeeping current without a full pass.
        self.alive = self.alive.saturating_sub(1);
        self.growing.retain(|&g| g != i);
        if let Some(p) = self.m.containers.get(i).map(|c| c.pod as usize) {
            if !self.pod_active(p) {
                self.active.retain(|&a| a != p);
            }
        }
    }
    pub(super) fn push(
        &mut self,
        mechanism: Mechanism,
        victim: Option<String>,
        tied_with: Vec<String>,
        message: Message,
        why: StepWhy,
    ) {
        let memory_after = self.snapshot();
        self.steps.push(TimelineStep {
            time_seconds: secs(self.now),
            mechanism,
            victim,
            tied_with,
            message,
            memory_after,
            why,
        });
    }
    pub(super) fn pod_id(&self, p: usize) -> String {
        String::from(self.m.pod_key(p))
    }
    /// Candidates of a scope: alive containers (+ the sandboxes of the pods involved, + system for
    /// node), with the container index of each (`None` for sandboxes and system).
    pub(super) fn candidates(
        &self,
        scan: Scan,
        with_system: bool,
    ) -> (Vec<Proc>, Vec<Option<usize>>) {
        let ps = self.m.page_size;
        let pods = match scan {
            Scan::Pod(p) => p..p + 1,
            Scan::All => 0..self.m.pods.len(),
        };
        let mut cands = Vec::new();
        let mut map = Vec::new();
        for p in pods {
            let (Some(pod), Some(phase)) = (self.m.pods.get(p), self.phase.get(p)) else {
                continue;
            };
            if *phase == PodPhase::Gone {
                continue;
            }
            cands.push(sandbox_proc(pod.sandbox));
            map.push(None);
            for i in pod.start..pod.end {
                let (Some(c), Some(spec)) = (self.c.get(i), self.m.containers.get(i)) else {
                    continue;
                };
                if !c.alive {
                    continue;
                }
                cands.push(Proc {
                    id: spec.id,
                    task: TaskMemory::from_rss_bytes(bytes(c.mb), ps),
                    oom_score_adj: spec.oom_score_adj,
                    cap_sys_admin: false,
                });
                map.push(Some(i));
            }
        }
        if with_system {
            cands.push(system_proc(self.m.system_id, self.m.system_usage_bytes, ps));
            map.push(None);
        }
        (cands, map)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kernel {
    /// Container index in `Model::containers`.
    Container(usize),
    Pod(usize),
    Kubepods,
    Node,
}

impl Kernel {
    pub(super) fn order(self) -> u8 {
        match self {
            Kernel::Container(..) => 0,
            Kernel::Pod(_) => 1,
            Kernel::Kubepods => 2,
            Kernel::Node => 3,
        }
    }
}

pub(super) fn observed_for(signal: &str, snap: &MemorySnapshot) -> Option<i64> {
    match signal {
        "memory.available" => Some(snap.memory_available_bytes),
        "allocatableMemory.available" => snap.allocatable_available_bytes,
        _ => None,
    }
}

/// Earliest time (ms, ≥ now) at which some threshold becomes met, with nothing evicted meanwhile.
pub(super) fn next_threshold_crossing(st: &State) -> Option<i64> {
    let mut best: Option<i64> = None;
    let pods_mb = st.pods_mb();
    let rate = st.pods_rate();
    for th in &st.m.thresholds {
        // met ⇔ observed < bytes ⇔ used > base − bytes ⇔ used ≥ base − bytes + 1
        let (cur, base) = match th.signal.as_str() {
            "memory.available" => (st.node_mb(), st.m.capacity_bytes),
            "allocatableMemory.available" => match st.m.kubepods_limit_bytes {
                Some(l) => (pods_mb, l),
                None => continue,
            },
            _ => continue,
        };
        let target_bytes = i128::from(base) - i128::from(th.bytes) + 1;
        if let Some(dt) = time_to_reach(cur, rate, target_bytes * 1000) {
            let t = st.now.saturating_add(dt);
            best = Some(best.map_or(t, |b: i64| b.min(t)));
        }
    }
    best
}

pub(super) fn next_kernel_event(st: &State) -> Option<(i64, Kernel)> {
    let m = st.m;
    let mut best: Option<(i64, Kernel)> = None;
    let consider = |t: Option<i64>, ev: Kernel, best: &mut Option<(i64, Kernel)>| {
        if let Some(dt) = t {
            let at = st.now.saturating_add(dt);
            let better = match best {
                None => true,
                Some((bt, bev)) => at < *bt || (at == *bt && ev.order() < bev.order()),
            };
            if better {
                *best = Some((at, ev));
            }
        }
    };
    // Only active pods can reach a limit (see `State::active`); `refresh` ran since the last kill.
    for &p in &st.active {
        let Some(pod) = m.pods.get(p) else { continue };
        if st.phase.get(p) == Some(&PodPhase::Gone) {
            continue;
        }
        let (mut pod_mb, mut pod_rate, mut pod_alive) = (0i128, 0i128, false);
        for i in pod.start..pod.end {
            let (Some(c), Some(spec)) = (st.c.get(i), m.containers.get(i)) else {
                continue;
            };
            if !c.alive {
                continue;
            }
            pod_alive = true;
            pod_mb += c.mb;
            pod_rate += c.rate;
            if let Some(l) = spec.limit_bytes {
                let limit = i128::from(l) * 1000;
                // A container that does not grow and is not above its limit never OOMs on it.
                if c.rate > 0 || c.mb > limit {
                    consider(
                        time_to_oom(c.mb, c.rate, limit),
                        Kernel::Container(i),
                        &mut best,
                    );
                }
            }
        }
        if let Some(l) = pod.limit_bytes {
            let limit = i128::from(l) * 1000;
            if pod_alive && (pod_rate > 0 || pod_mb > limit) {
                consider(
                    time_to_oom(pod_mb, pod_rate, limit),
                    Kernel::Pod(p),
                    &mut best,
                );
            }
        }
    }
    if st.alive > 0 {
        if let Some(l) = m.kubepods_limit_bytes {
            consider(
                time_to_oom(st.pods_mb(), st.pods_rate(), i128::from(l) * 1000),
                Kernel::Kubepods,
                &mut best,
            );
        }
        consider(
            time_to_oom(
                st.node_mb(),
                st.pods_rate(),
                i128::from(m.capacity_bytes) * 1000,
            ),
            Kernel::Node,
            &mut best,
        );
    }
    best
}
