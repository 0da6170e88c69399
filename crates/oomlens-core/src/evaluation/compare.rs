//! Two evaluations side by side: which numbers changed and by how much, who moved in the eviction
//! and kill orders, and whether another mechanism now fires first. Used for a lesson's "what
//! changed since the previous step" and for before/after comparisons (a fix, an upgrade). It
//! compares what [`super::evaluate`] computed; it decides no rule.

use super::Evaluation;
use crate::simulate::Mechanism;

/// A compared value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A size in bytes.
    Bytes(i64),
    /// A plain integer (oom_score_adj, badness, a rank).
    Int(i64),
    /// A word (a QoS class).
    Text(String),
    /// Not set, unlimited, or never (the field's meaning says which).
    Absent,
}

/// The fields a comparison names (also the keys a page labels them by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Node capacity.
    Capacity,
    /// Node allocatable memory.
    Allocatable,
    /// The hard `memory.available` threshold.
    HardThreshold,
    /// The kubepods cgroup's `memory.max`.
    KubepodsLimit,
    /// Memory used outside the pods (system daemons, kernel): the scenario's `systemUsage`.
    SystemUsage,
    /// A pod's QoS class.
    Qos,
    /// A pod's priority (`spec.priority`).
    Priority,
    /// A pod's place in the eviction order.
    EvictionRank,
    /// A container's effective memory request.
    Request,
    /// A container's memory limit.
    Limit,
    /// A container's usage.
    Usage,
    /// A container's oom_score_adj.
    OomScoreAdj,
    /// A container's cgroup v2 memory.high.
    MemoryHigh,
    /// A container's cgroup v2 memory.min.
    MemoryMin,
    /// A container's place in the node's kernel kill order.
    KillRank,
}

/// One changed value: `id` is `node`, `ns/pod` or `ns/pod/container`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What changed.
    pub id: String,
    /// Which field.
    pub field: Field,
    /// Before.
    pub before: Value,
    /// After.
    pub after: Value,
}

/// The first mechanism that kills or evicts, when, and whom.
#[derive(Debug, Clone, PartialEq)]
pub struct First {
    /// The mechanism.
    pub mechanism: Mechanism,
    /// Seconds from the start.
    pub time_seconds: f64,
    /// `ns/pod` or `ns/pod/container`.
    pub victim: Option<String>,
}

/// Everything that differs between two evaluations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    /// Changed values, node first, then pods and containers in the "after" order.
    pub changes: Vec<Change>,
    /// The pods and containers only the "after" evaluation has.
    pub added: Vec<String>,
    /// The pods and containers only the "before" evaluation has.
    pub removed: Vec<String>,
    /// What fires first before and after, when they differ (mechanism, victim or time).
    pub first: Option<(Option<First>, Option<First>)>,
}

impl Comparison {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.first.is_none()
    }

    /// True when `field` of `id` changed.
    pub fn changed(&self, id: &str, field: Field) -> bool {
        self.changes.iter().any(|c| c.field == field && c.id == id)
    }
}

fn bytes(b: Option<i64>) -> Value {
    b.map_or(Value::Absent, Value::Bytes)
}

/// The values of one evaluation, by id, in its order.
fn values(ev: &Evaluation) -> Vec<(String, Field, Value)> {
    let mut out = Vec::new();
    let node = |f, v| ("node".to_string(), f, v);
    out.push(node(Field::Capacity, Value::Bytes(ev.node.capacity_bytes)));
    out.push(node(
        Field::Allocatable,
        Value::Bytes(ev.node.allocatable_bytes),
    ));
    out.push(node(
        Field::HardThreshold,
        bytes(ev.node.hard_memory_available_bytes()),
    ));
    out.push(node(
        Field::KubepodsLimit,
        bytes(ev.node.kubepods_limit_bytes),
    ));
    out.push(node(
        Field::SystemUsage,
        Value::Bytes(ev.system_usage_bytes()),
    ));
    for p in &ev.pods {
        let pod = format!("{}/{}", p.namespace, p.name);
        out.push((
            pod.clone(),
            Field::Qos,
            Value::Text(p.qos_class.to_string()),
        ));
        out.push((
            pod.clone(),
            Field::EvictionRank,
            p.eviction_rank
                .map_or(Value::Absent, |r| Value::Int(i64::from(r))),
        ));
        for c in p.containers.as_slice() {
            let id = format!("{pod}/{}", c.name);
            let kill = ev
                .node_oom_kill_order
                .iter()
                .position(|k| k.as_str() == id)
                .map_or(Value::Absent, |i| Value::Int(i as i64 + 1));
            for (f, v) in [
                (Field::Request, Value::Bytes(c.memory_request_bytes)),
                (Field::Limit, bytes(c.memory_limit_bytes)),
                (Field::Usage, bytes(c.usage_bytes)),
                (Field::OomScoreAdj, Value::Int(c.oom_score_adj)),
                (Field::MemoryHigh, bytes(c.memory_high_bytes)),
                (Field::MemoryMin, bytes(c.memory_min_bytes)),
                (Field::KillRank, kill),
            ] {
                out.push((id.clone(), f, v));
            }
        }
    }
    out
}

fn first(ev: &Evaluation) -> Option<First> {
    let m = ev.timeline.first_mechanism?;
    let step = ev.timeline.steps.iter().find(|s| s.mechanism == m)?;
    Some(First {
        mechanism: m,
        time_seconds: step.time_seconds,
        victim: step.victim.clone(),
    })
}

/// Compares `before` with `after`.
pub fn compare(before: &Evaluation, after: &Evaluation) -> Comparison {
    use std::collections::HashMap;
    let old = values(before);
    let new = values(after);
    let index: HashMap<(&str, Field), &Value> = old
        .iter()
        .map(|(id, f, v)| ((id.as_str(), *f), v))
        .collect();
    let ids_old: std::collections::HashSet<&str> =
        old.iter().map(|(id, _, _)| id.as_str()).collect();
    let ids_new: std::collections::HashSet<&str> =
        new.iter().map(|(id, _, _)| id.as_str()).collect();
    let mut cmp = Comparison::default();
    for (id, f, v) in &new {
        match index.get(&(id.as_str(), *f)) {
            Some(was) if *was != v => cmp.changes.push(Change {
                id: id.clone(),
                field: *f,
                before: (*was).clone(),
                after: v.clone(),
            }),
            Some(_) => {}
            None => {
                if !ids_old.contains(id.as_str()) && !cmp.added.contains(id) {
                    cmp.added.push(id.clone());
                }
            }
        }
    }
    for (id, _, _) in &old {
        if !ids_new.contains(id.as_str()) && !cmp.removed.contains(id) {
            cmp.removed.push(id.clone());
        }
    }
    let (a, b) = (first(before), first(after));
    if a != b {
        cmp.first = Some((a, b));
    }
    cmp
}
