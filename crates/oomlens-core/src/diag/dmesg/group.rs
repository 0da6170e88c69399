//! Repeated kills as one group: an OOM storm (a crash-looping container killed at its limit every
//! few seconds, a node printing the same header thousands of times) is one story told many times.
//! Kills with the same cgroup (the one that hit its limit and the victim's), the same victim
//! command (or, when no `Killed process` line names one, the same selected command) and the same
//! verdict (constraint, scope, kill form, whether the kernel's choice is what
//! the task table implies) form one [`OomEventGroup`]: the first kill is kept whole, every later
//! one only as its line, time, victim PID and selected PID. So a storm costs a few bytes per kill, in memory and
//! in the output, and its findings are written once.

use crate::diag::dmesg::event::OomEvent;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// The kills that repeat one event (see the module doc); `count` is 1 for a kill seen once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OomEventGroup {
    /// How many kills the group holds.
    pub count: usize,
    /// First line of the first kill.
    pub first_line: usize,
    /// Last line of the last kill.
    pub last_line: usize,
    /// The time printed before the first kill's report, as printed.
    pub first_time: Option<String>,
    /// The time printed before the last kill's report, as printed.
    pub last_time: Option<String>,
    /// First line of each kill, in input order.
    pub first_lines: Vec<usize>,
    /// The victim PID of each kill whose victim the paste names, in input order.
    pub victim_pids: Vec<i64>,
    /// The PID the kernel selected (`Kill process N … or sacrifice child`) of each kill that
    /// prints one, in input order (kernels ≤ 4.18; a child may have been killed instead).
    pub selected_pids: Vec<i64>,
}

/// What makes two kills the same story.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    constraint: Option<String>,
    scope: Option<String>,
    oom_memcg: Option<String>,
    task_memcg: Option<String>,
    victim_comm: Option<String>,
    selected_comm: Option<String>,
    kill_kind: Option<String>,
    group_kill: bool,
    choice_agrees: Option<bool>,
}

impl Key {
    fn of(ev: &OomEvent) -> Key {
        Key {
            constraint: ev.constraint.clone(),
            scope: ev.scope.clone(),
            oom_memcg: ev.oom_memcg.clone(),
            task_memcg: ev.task_memcg.clone(),
            victim_comm: ev.victim.as_ref().map(|v| v.comm.clone()),
            selected_comm: ev.details.selected_comm.clone(),
            kill_kind: ev.details.kill_kind.clone(),
            group_kill: ev.group_kill,
            choice_agrees: ev.kernel_choice.as_ref().map(|c| c.agrees_with_victim),
        }
    }
}

/// Collects finished events into groups, in order of each group's first kill.
#[derive(Default)]
pub(super) struct Grouper {
    index: FxHashMap<Key, usize>,
    /// The first kill of each group.
    pub(super) events: Vec<OomEvent>,
    /// The groups, parallel to `events`.
    pub(super) groups: Vec<OomEventGroup>,
}

impl Grouper {
    /// Adds a finished event: a new group, or one more kill of an earlier group.
    pub(super) fn add(&mut self, ev: OomEvent) {
        let first = ev.details.first_line;
        let last = ev.details.last_line.max(first);
        let pid = ev.victim.as_ref().map(|v| v.pid);
        let selected = ev.details.selected_pid;
        let key = Key::of(&ev);
        if let Some(g) = self.index.get(&key).and_then(|&i| self.groups.get_mut(i)) {
            g.count += 1;
            g.last_line = g.last_line.max(last);
            g.last_time = ev.details.time;
            g.first_lines.push(first);
            g.victim_pids.extend(pid);
            g.selected_pids.extend(selected);
            return;
        }
        self.index.insert(key, self.events.len());
        self.groups.push(OomEventGroup {
            count: 1,
            first_line: first,
            last_line: last,
            first_time: ev.details.time.clone(),
            last_time: ev.details.time.clone(),
            first_lines: vec![first],
            victim_pids: pid.into_iter().collect(),
            selected_pids: selected.into_iter().collect(),
        });
        self.events.push(ev);
    }
}

/// For a group of more than one kill, the finding that says so: how many, where, when.
pub fn finding(g: &OomEventGroup) -> Option<crate::diag::finding::Finding> {
    use crate::base::message::{Arg, Message};
    use crate::diag::finding::{Finding, Severity};
    if g.count < 2 {
        return None;
    }
    let int = |n: usize| Arg::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let times = match (&g.first_time, &g.last_time) {
        (Some(a), Some(b)) => Some(Message::with(
            "oom.repeated.times",
            [
                ("first", Arg::text(a.clone())),
                ("last", Arg::text(b.clone())),
            ],
        )),
        _ => None,
    };
    Some(Finding::new(
        Severity::Warning,
        Message::with(
            // Reports that name neither a victim nor a selected task cannot be told apart.
            if g.victim_pids.is_empty() && g.selected_pids.is_empty() {
                "oom.repeated.unnamed"
            } else {
                "oom.repeated"
            },
            [
                ("count", int(g.count)),
                ("first", int(g.first_line)),
                ("last", int(g.last_line)),
                ("times", Arg::optional(times)),
            ],
        ),
        vec![g.first_line, g.last_line],
    ))
}
