//! The questions a lesson may ask, and how the model answers each from an [`Evaluation`]. The
//! answer is read from the evaluation the calculator shows (no rule is computed here), and the
//! reveal carries the evaluation's own reasons and derivations.

use crate::base::derivation::Derivation;
use crate::base::message::Message;
use crate::base::quantity::Quantity;
use crate::evaluation::Evaluation;
use crate::scenario::split_usage_key;
use crate::simulate::{Mechanism, TimelineStep};
use serde::Serialize;

/// Which of the three mechanisms acted (the lessons' grouping of [`Mechanism`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// A container or pod reached its memory limit (memcg OOM kill, `OOMKilled`).
    Limit,
    /// kubelet evicted a pod for node pressure (`Evicted`).
    Eviction,
    /// The kernel's OOM killer at the kubepods or node level.
    Kernel,
    /// Nothing was killed or evicted within the simulated time.
    None,
}

impl Family {
    /// Every family, in the order a question lists them.
    pub const ALL: [Family; 4] = [
        Family::Limit,
        Family::Eviction,
        Family::Kernel,
        Family::None,
    ];

    /// The name used in lesson files.
    pub fn name(self) -> &'static str {
        match self {
            Family::Limit => "limit",
            Family::Eviction => "eviction",
            Family::Kernel => "kernel",
            Family::None => "none",
        }
    }

    /// The family of a timeline step's mechanism (`None` for steps that kill or evict nothing).
    pub fn of(m: Mechanism) -> Option<Family> {
        match m {
            Mechanism::ContainerOom | Mechanism::PodOom => Some(Family::Limit),
            Mechanism::EvictionHard | Mechanism::EvictionSoft => Some(Family::Eviction),
            Mechanism::KubepodsOom | Mechanism::NodeOom => Some(Family::Kernel),
            Mechanism::SoftThresholdObserved
            | Mechanism::NoEvictablePod
            | Mechanism::PodTerminated => None,
        }
    }
}

/// What a question asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AskKind {
    /// Which pod kubelet evicts first under node pressure (`ns/pod`).
    FirstEvicted,
    /// Which mechanism kills or evicts first as usage grows ([`Family`]).
    FirstMechanism,
    /// Which pod loses a process or is evicted first as usage grows (`ns/pod`).
    FirstVictim,
    /// Which container the kernel kills first in a whole-node OOM (`ns/pod/container`).
    NodeOomFirst,
    /// A container's `oom_score_adj` (`target: ns/pod/container`).
    OomScoreAdj {
        /// `ns/pod/container`.
        target: String,
    },
    /// A pod's QoS class (`target: ns/pod`).
    Qos {
        /// `ns/pod`.
        target: String,
    },
    /// The node's allocatable memory (a quantity).
    Allocatable,
    /// A container's cgroup v2 `memory.high` (a quantity, or `none` when not written).
    MemoryHigh {
        /// `ns/pod/container`.
        target: String,
    },
    /// A container's cgroup v2 `memory.min` (a quantity, or `none` when not written).
    MemoryMin {
        /// `ns/pod/container`.
        target: String,
    },
    /// A pod's place in the eviction order (`1` = first; `never` for a pod kubelet never evicts).
    EvictionRank {
        /// `ns/pod`.
        target: String,
    },
    /// Whether a pod's memory request fits the node (`scheduled`) or leaves it Pending
    /// (`pending`), [`crate::kubelet::resource_fit`].
    Schedules {
        /// `ns/pod`.
        target: String,
    },
    /// What an OOM kill in a container takes: the whole `container` (`memory.oom.group = 1`) or
    /// one `process`.
    OomKillScope,
    /// A claim about another question's answer: `true` when the model answers `claim` with
    /// `value`, else `false`.
    TrueFalse {
        /// The question the claim is about.
        claim: Box<AskKind>,
        /// The answer it claims (as a choice of that question reads).
        value: String,
    },
}

impl AskKind {
    /// The kind named in a lesson file, with its `target` where it needs one.
    pub fn from_parts(kind: &str, target: Option<String>) -> Result<AskKind, String> {
        let need = |t: Option<String>| t.ok_or_else(|| format!("{kind} needs a `target`"));
        Ok(match kind {
            "first_evicted" => AskKind::FirstEvicted,
            "first_mechanism" => AskKind::FirstMechanism,
            "first_victim" => AskKind::FirstVictim,
            "node_oom_first" => AskKind::NodeOomFirst,
            "oom_score_adj" => AskKind::OomScoreAdj {
                target: need(target)?,
            },
            "qos" => AskKind::Qos {
                target: need(target)?,
            },
            "allocatable" => AskKind::Allocatable,
            "memory_high" => AskKind::MemoryHigh {
                target: need(target)?,
            },
            "memory_min" => AskKind::MemoryMin {
                target: need(target)?,
            },
            "eviction_rank" => AskKind::EvictionRank {
                target: need(target)?,
            },
            "schedules" => AskKind::Schedules {
                target: need(target)?,
            },
            "oom_kill_scope" => AskKind::OomKillScope,
            "true_false" => return Err("true_false needs a `claim`".to_string()),
            other => {
                return Err(format!(
                    "{other}: expected first_evicted, first_mechanism, first_victim, \
                     node_oom_first, oom_score_adj, qos, allocatable, memory_high, memory_min, \
                     eviction_rank, schedules, oom_kill_scope or true_false"
                ))
            }
        })
    }

    /// True when the learner picks from choices the lesson lists (numbers), false when the
    /// choices come from the scenario (pods, containers, mechanisms, classes).
    pub fn author_choices(&self) -> bool {
        matches!(
            self,
            AskKind::OomScoreAdj { .. }
                | AskKind::Allocatable
                | AskKind::MemoryHigh { .. }
                | AskKind::MemoryMin { .. }
                | AskKind::EvictionRank { .. }
        )
    }
}

/// The model's answer to a question and the reasons the evaluation gives for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reveal {
    /// The answer as a choice reads it: `ns/pod`, `ns/pod/container`, a [`Family`] name, a QoS
    /// class, an integer, or bytes (matched against quantities).
    pub value: String,
    /// For byte answers, the number of bytes (choices are compared by value).
    pub bytes: Option<i64>,
    /// The model's own sentences explaining the answer.
    pub reasons: Vec<Message>,
    /// How the numbers behind it were obtained: those of the asked field first.
    pub derivations: Vec<Derivation>,
    /// How many of [`Reveal::derivations`], from the first, are the asked field's.
    pub focused: usize,
}

impl Reveal {
    /// True when a choice (as written in the lesson or offered by [`choices`]) is this answer.
    /// Byte answers match a quantity of the same value (`28.5Gi`, `30601641984`).
    pub fn matches(&self, choice: &str) -> bool {
        match self.bytes {
            Some(b) => Quantity::parse(choice.trim()).ok().map(|q| q.value()) == Some(b),
            None => self.value == choice.trim(),
        }
    }
}

/// The derivation fields that explain an answer (all of the object's when none is named).
fn focus(kind: &AskKind) -> &'static [&'static str] {
    match kind {
        AskKind::FirstEvicted | AskKind::EvictionRank { .. } => &["eviction_rank"],
        AskKind::OomScoreAdj { .. } => &["oom_score_adj"],
        AskKind::NodeOomFirst => &["oom_score_adj", "points", "oom_score"],
        AskKind::Qos { .. } => &["qos_class"],
        AskKind::Allocatable => &[
            "reservation_bytes",
            "hard_eviction_bytes",
            "allocatable_bytes",
        ],
        AskKind::MemoryHigh { .. } => &["memory_high_bytes"],
        AskKind::MemoryMin { .. } => &["memory_min_bytes"],
        AskKind::FirstMechanism
        | AskKind::FirstVictim
        | AskKind::Schedules { .. }
        | AskKind::OomKillScope => &[],
        AskKind::TrueFalse { claim, .. } => focus(claim),
    }
}

/// The model's answer, or `None` when the evaluation has none (e.g. a target that is not in the
/// scenario). Its derivations are those of the asked field, first.
pub fn answer(kind: &AskKind, ev: &Evaluation) -> Option<Reveal> {
    let mut r = raw_answer(kind, ev)?;
    let fields = focus(kind);
    let (mut named, rest): (Vec<_>, Vec<_>) = r
        .derivations
        .into_iter()
        .partition(|d| fields.contains(&d.field.as_str()));
    named.extend(rest);
    r.focused = named
        .iter()
        .take_while(|d| fields.contains(&d.field.as_str()))
        .count();
    r.derivations = named;
    Some(r)
}

fn raw_answer(kind: &AskKind, ev: &Evaluation) -> Option<Reveal> {
    let plain = |value: String, reasons: Vec<Message>, derivations: Vec<Derivation>| Reveal {
        value,
        bytes: None,
        reasons,
        derivations,
        focused: 0,
    };
    match kind {
        AskKind::FirstEvicted => {
            let first = ev.eviction_order.first()?;
            let pod = pod(ev, first.as_str())?;
            Some(plain(
                first.to_string(),
                pod.eviction_messages(),
                pod.derivations(),
            ))
        }
        AskKind::FirstMechanism => {
            let family = ev
                .timeline
                .first_mechanism
                .and_then(Family::of)
                .unwrap_or(Family::None);
            let mut reasons = vec![ev.timeline.outcome_message.clone()];
            let mut derivations = Vec::new();
            if let Some(step) = first_acting_step(ev) {
                reasons.push(step.message.clone());
                derivations = step.derivations();
            }
            Some(plain(family.name().to_string(), reasons, derivations))
        }
        AskKind::FirstVictim => {
            let step = first_acting_step(ev)?;
            let victim = step.victim.as_deref()?;
            Some(plain(
                split_usage_key(victim)
                    .map_or(victim, |(pod, _)| pod)
                    .to_string(),
                vec![step.message.clone()],
                step.derivations(),
            ))
        }
        AskKind::NodeOomFirst => {
            let first = ev.node_oom_kill_order.first()?;
            let c = container(ev, first.as_str())?;
            Some(plain(first.to_string(), Vec::new(), c.derivations()))
        }
        AskKind::OomScoreAdj { target } => {
            let c = container(ev, target)?;
            Some(plain(
                c.oom_score_adj.to_string(),
                Vec::new(),
                c.derivations(),
            ))
        }
        AskKind::Qos { target } => {
            let p = pod(ev, target)?;
            Some(plain(p.qos_class.to_string(), Vec::new(), p.derivations()))
        }
        AskKind::Allocatable => Some(Reveal {
            value: ev.node.allocatable_bytes.to_string(),
            bytes: Some(ev.node.allocatable_bytes),
            reasons: Vec::new(),
            derivations: ev.node.derivations(),
            focused: 0,
        }),
        AskKind::MemoryHigh { target } | AskKind::MemoryMin { target } => {
            let c = container(ev, target)?;
            let b = match kind {
                AskKind::MemoryHigh { .. } => c.memory_high_bytes,
                _ => c.memory_min_bytes,
            };
            Some(Reveal {
                value: b.map_or_else(|| "none".to_string(), |b| b.to_string()),
                bytes: b,
                reasons: Vec::new(),
                derivations: c.derivations(),
                focused: 0,
            })
        }
        AskKind::EvictionRank { target } => {
            let p = pod(ev, target)?;
            Some(plain(
                p.eviction_rank
                    .map_or_else(|| "never".to_string(), |r| r.to_string()),
                p.eviction_messages(),
                p.derivations(),
            ))
        }
        AskKind::Schedules { target } => {
            let p = pod(ev, target)?;
            let id = format!("{}/{}", p.namespace, p.name);
            // The note that names this pod (only unschedulable pods have one).
            let reasons = ev
                .note_messages
                .iter()
                .filter(|m| {
                    m.id == "note.pod_unschedulable"
                        && matches!(m.arg("pod"), Some(crate::base::message::Arg::Text(t)) if *t == id)
                })
                .cloned()
                .collect();
            Some(plain(
                SCHEDULES[usize::from(!p.schedulable)].to_string(),
                reasons,
                p.derivations(),
            ))
        }
        AskKind::OomKillScope => {
            let on = ev.oom_group();
            let reasons = ev
                .note_messages
                .iter()
                .filter(|m| {
                    m.id.starts_with("note.oom_group") || m.id.starts_with("note.single_process")
                })
                .cloned()
                .collect();
            Some(plain(
                KILL_SCOPES[usize::from(!on)].to_string(),
                reasons,
                Vec::new(),
            ))
        }
        AskKind::TrueFalse { claim, value } => {
            let inner = raw_answer(claim, ev)?;
            let holds = inner.matches(value);
            Some(Reveal {
                value: TRUE_FALSE[usize::from(!holds)].to_string(),
                bytes: None,
                ..inner
            })
        }
    }
}

/// The answers a true/false question offers.
pub const TRUE_FALSE: [&str; 2] = ["true", "false"];
/// The answers of [`AskKind::Schedules`].
pub const SCHEDULES: [&str; 2] = ["scheduled", "pending"];
/// The answers of [`AskKind::OomKillScope`].
pub const KILL_SCOPES: [&str; 2] = ["container", "process"];

fn first_acting_step(ev: &Evaluation) -> Option<&TimelineStep> {
    ev.timeline
        .steps
        .iter()
        .find(|s| Family::of(s.mechanism).is_some())
}

fn pod<'a>(ev: &'a Evaluation, id: &str) -> Option<&'a crate::evaluation::PodReport> {
    ev.pods
        .iter()
        .find(|p| format!("{}/{}", p.namespace, p.name) == id)
}

fn container<'a>(ev: &'a Evaluation, id: &str) -> Option<&'a crate::evaluation::ContainerReport> {
    let (pod_id, name) = id.rsplit_once('/')?;
    pod(ev, pod_id)?
        .containers
        .as_slice()
        .iter()
        .find(|c| c.name.as_str() == name)
}

/// The choices a learner picks from: the lesson's own for numeric questions, else what the
/// scenario holds (its pods, its running containers, the mechanisms, the QoS classes).
pub fn choices(kind: &AskKind, ev: &Evaluation, author: &[String]) -> Vec<String> {
    let pods = || {
        ev.pods
            .iter()
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect()
    };
    match kind {
        AskKind::FirstEvicted | AskKind::FirstVictim => pods(),
        AskKind::NodeOomFirst => ev
            .pods
            .iter()
            .flat_map(|p| {
                p.containers
                    .as_slice()
                    .iter()
                    .filter(|c| c.node_oom_badness.is_some())
                    .map(move |c| format!("{}/{}/{}", p.namespace, p.name, c.name))
            })
            .collect(),
        AskKind::FirstMechanism => Family::ALL.iter().map(|f| f.name().to_string()).collect(),
        AskKind::Qos { .. } => ["Guaranteed", "Burstable", "BestEffort"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        AskKind::Schedules { .. } => SCHEDULES.iter().map(|s| s.to_string()).collect(),
        AskKind::OomKillScope => KILL_SCOPES.iter().map(|s| s.to_string()).collect(),
        AskKind::TrueFalse { .. } => TRUE_FALSE.iter().map(|s| s.to_string()).collect(),
        AskKind::OomScoreAdj { .. }
        | AskKind::Allocatable
        | AskKind::MemoryHigh { .. }
        | AskKind::MemoryMin { .. }
        | AskKind::EvictionRank { .. } => author.to_vec(),
    }
}
