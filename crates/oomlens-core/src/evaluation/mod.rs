//! The whole evaluation of a scenario: [`evaluate`] chains the layers' rules, step by step, and
//! [`Evaluation`] holds what they found. The evaluation stores numbers, orders, structured
//! [`Message`]s and, for every number, the record its derivation is rendered from; text —
//! `derivations`, `eviction_reason`, the timeline's `reason`/`outcome`, `notes` — is produced from
//! those records when a report is serialised or asked for, so one evaluation serves both the
//! calculator (on every keystroke) and the CLI's full report. Ids (`ns/pod`, `ns/pod/container`)
//! are written once and shared ([`crate::base::name::Name`]).
//!
//! Steps, each in its own file: the node ([`node`]), the ids ([`ids`]), usage and growth
//! ([`usage`]), the pods and containers ([`pods`]), eviction ranking
//! ([`crate::kubelet::eviction`]), the node's kill order ([`scopes`]) and the timeline
//! ([`crate::simulate`]). The field names of the reports ([`report`]) are the stable JSON
//! contract of `oomlens calc --format json` (docs/calc-json.md): fields may be added, never renamed.

pub mod compare;
mod ids;
mod node;
mod pods;
pub mod report;
mod scopes;
mod usage;

pub use report::{
    ContainerReport, Containers, NodeReport, OomScopeReport, PodReport, ThresholdReport,
};

use crate::base::message::{Arg, Message};
use crate::base::name::Name;
use crate::kubelet::eviction;
use crate::scenario::{Scenario, ScenarioError};
use crate::simulate::{self, Model, Timeline};
use scopes::ScopeInputs;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// The evaluation of a scenario. A plain data value (`Clone`, `PartialEq`, `Send`, `Sync`).
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The kubelet version whose rules applied.
    pub kubelet_version: String,
    /// Node results.
    pub node: NodeReport,
    /// Pod results, in scenario order.
    pub pods: Vec<PodReport>,
    /// Eviction order under memory pressure (`ns/name`).
    pub eviction_order: Vec<Name>,
    /// Kernel kill order for a whole-node OOM (`ns/name/container`).
    pub node_oom_kill_order: Vec<Name>,
    /// Kernel version whose badness rules applied.
    pub kernel_version: String,
    /// What the kill orders of every OOM scope are built from ([`Evaluation::oom_scopes`]).
    scopes: Arc<ScopeInputs>,
    /// "What fires first": the time simulation.
    pub timeline: Timeline,
    /// Notes about the scenario as structured messages (ids `note.*`, `rules.*`);
    /// [`Evaluation::notes`] is their English.
    pub note_messages: Vec<Message>,
}

impl Evaluation {
    /// Whether an OOM kill in a container takes the whole container (`memory.oom.group = 1`,
    /// [`crate::kubelet::rules::KubeletRules::single_process_oom_kill`]) rather than one process.
    pub fn oom_group(&self) -> bool {
        self.scopes.model.oom_group
    }

    /// Memory used outside the pods (the scenario's `systemUsage`): it counts in the node's
    /// working set, hence in `memory.available`, but not in the kubepods cgroup.
    pub fn system_usage_bytes(&self) -> i64 {
        self.scopes.model.system_usage_bytes
    }

    /// Notes about the scenario (e.g. rules that are unverified for this version), in English.
    pub fn notes(&self) -> Vec<String> {
        self.note_messages.iter().map(Message::english).collect()
    }

    /// Kill orders per OOM scope — each pod cgroup with a limit, kubepods (when enforced), the
    /// node — with badness derivations. Built when asked for (the calculator shows only the
    /// node's order, which [`Evaluation::node_oom_kill_order`] already holds), from the
    /// candidates the evaluation keeps.
    pub fn oom_scopes(&self) -> Vec<OomScopeReport> {
        self.scopes.oom_scopes()
    }
}

impl Serialize for Evaluation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Evaluation", 9)?;
        st.serialize_field("kubelet_version", &self.kubelet_version)?;
        st.serialize_field("node", &self.node)?;
        st.serialize_field("pods", &self.pods)?;
        st.serialize_field("eviction_order", &self.eviction_order)?;
        st.serialize_field("node_oom_kill_order", &self.node_oom_kill_order)?;
        st.serialize_field("kernel_version", &self.kernel_version)?;
        st.serialize_field("oom_scopes", &self.oom_scopes())?;
        st.serialize_field("timeline", &self.timeline)?;
        st.serialize_field("notes", &self.notes())?;
        st.end()
    }
}

/// An error naming the scenario field `path`.
fn err(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.into(),
        line: None,
        message: message.into(),
    }
}

/// Evaluates a scenario: every number kubelet and the kernel would produce for it. Errors name the
/// scenario field.
pub fn evaluate(scenario: &Scenario) -> Result<Evaluation, ScenarioError> {
    // 1. The node: release rules, kernel rules, preset, thresholds, allocatable, Memory QoS.
    let mut node = node::node_model(scenario)?;
    // 2. Every id, written once.
    let ids = ids::Ids::new(scenario);
    // 3. Usage and growth keys, read into per-pod and per-container slots.
    let slots = usage::Slots::read(scenario, &ids)?;
    // 4. Pods and containers: QoS, request, limit, oom_score_adj, Memory QoS, usage, badness.
    let mut pods = pods::evaluate_pods(scenario, &node, &ids, &slots)?;
    let mut notes = std::mem::take(&mut node.notes);
    if pods.missing_usage {
        notes.push(Message::plain("note.missing_usage"));
    }
    // 4b. Pods whose request does not fit what allocatable leaves (admitted in scenario order).
    for p in pods.reports.iter().filter(|p| !p.schedulable) {
        let f = p.why.fit;
        notes.push(Message::with(
            "note.pod_unschedulable",
            [
                ("pod", Arg::Text(format!("{}/{}", p.namespace, p.name))),
                ("request", Arg::Bytes(f.request)),
                (
                    "free",
                    Arg::Bytes(f.allocatable.saturating_sub(f.requested).max(0)),
                ),
                ("allocatable", Arg::Bytes(f.allocatable)),
            ],
        ));
    }
    // 5. Eviction ranking (each pod's clauses are rendered from its report when asked for).
    let eviction_order = rank(scenario, &mut pods, &ids);
    let all_containers = Arc::new(std::mem::take(&mut pods.containers));
    for p in &mut pods.reports {
        p.containers.attach(&all_containers);
    }
    // 6. The flat model the kill orders and the simulation run on.
    let (kubepods, node_name) = (ids.kubepods(), ids.node());
    let (sandboxes, system) = (ids.sandboxes, ids.system);
    let model = Model {
        capacity_bytes: node.capacity,
        swap_bytes: node.swap,
        page_size: node.page_size,
        system_usage_bytes: node.system_usage,
        kubepods_limit_bytes: node.allocatable.kubepods_limit_bytes,
        thresholds: std::mem::take(&mut node.sim_thresholds),
        badness_rule: node.badness_rule,
        kernel: node.kernel,
        oom_group: node.oom_group,
        pods: pods.model_pods,
        containers: pods.model_containers,
        ids: Arc::new(ids.into_proc_ids()),
        system_id: system,
    };
    // 7. The node's kill order (the calculator shows it); every scope's when asked for.
    let node_order = scopes::node_kill_order(&model, sandboxes);
    let node_oom_kill_order = node_order
        .proc_ids()
        .filter(|&i| i != sandboxes && i != system)
        .map(|i| model.ids.name(i))
        .collect();
    // 8. What fires first.
    let timeline = simulate::run(&model);
    // 9. Notes on the kernel's rules.
    notes.extend(kernel_notes(&node));
    // 10. The evaluation.
    Ok(Evaluation {
        kubelet_version: node.rules.version.to_string(),
        kernel_version: node.kernel.to_string(),
        node: node.into_report(),
        pods: pods.reports,
        eviction_order,
        node_oom_kill_order,
        scopes: Arc::new(ScopeInputs {
            model,
            sandboxes,
            kubepods,
            node: node_name,
            node_order,
        }),
        timeline,
        note_messages: notes,
    })
}

/// `rankMemoryPressure` over the pods: each report gets its rank and ties; returns the eviction
/// order (`ns/name` of every evictable pod).
fn rank(scenario: &Scenario, pods: &mut pods::Pods, ids: &ids::Ids) -> Vec<Name> {
    // kubelet ranks the pods it runs: a pod left Pending is not among them.
    let active: Vec<usize> = (0..pods.reports.len())
        .filter(|&i| pods.reports[i].schedulable)
        .collect();
    let inputs: Vec<eviction::RankInput> = active
        .iter()
        .filter_map(|&i| pods.rank_inputs.get(i).cloned())
        .collect();
    let mut ranked = Vec::with_capacity(inputs.len());
    eviction::rank_order(&inputs, &mut ranked);
    let mut order = Vec::with_capacity(ranked.len());
    for r in &ranked {
        let Some(&i) = active.get(r.index as usize) else {
            continue;
        };
        let Some(p) = pods.reports.get_mut(i) else {
            continue;
        };
        p.eviction_rank = r.rank;
        p.eviction_tied = r.tied;
        p.eviction_tied_with_previous = r.tied_with_previous;
        if let (Some(_), Some(pod)) = (r.rank, scenario.pods.get(i)) {
            order.push(ids.name(ids.key_range(i, ids.key(i, pod).len())));
        }
    }
    order
}

/// The notes on the kernel's rules: its badness rule, `memory.oom.group`, the process model.
fn kernel_notes(node: &node::NodeModel<'_>) -> [Message; 3] {
    [
        Message::with(
            "note.kernel",
            [
                ("kernel", Arg::Text(node.kernel.to_string())),
                ("rule", Arg::Message(Box::new(node.badness_rule.message()))),
            ],
        ),
        Message::plain(if node.oom_group {
            "note.oom_group.on"
        } else {
            "note.oom_group.off"
        }),
        Message::plain("note.kernel_model"),
    ]
}
