//! The node step of an evaluation: the release's rules, the kernel's badness rule, the cloud
//! preset, the eviction thresholds, allocatable and the kubepods limit, `memory.oom.group`, and
//! Memory QoS — each computed by the rule module named after it; this file only chains them and
//! names scenario fields in their errors.

use super::err;
use super::report::{NodeReport, NodeWhy, ThresholdReport};
use crate::api::kubelet_config::KubeletConfig;
use crate::base::derivation::Derivation;
use crate::base::message::{Arg, Message};
use crate::kernel::badness::{self, BadnessRule, KernelVersion};
use crate::kubelet::allocatable::{node_allocatable_with, NodeAllocatable};
use crate::kubelet::memory_qos::MemoryQosParams;
use crate::kubelet::presets::{apply_preset_for_version, PresetOverride};
use crate::kubelet::rules::{resolution_messages, KubeletRules};
use crate::kubelet::thresholds::{self, ParsedThresholds};
use crate::scenario::{Scenario, ScenarioError};
use crate::simulate::SimThreshold;
use std::borrow::Cow;

const DEFAULT_PAGE_SIZE: i64 = 4096;

/// Everything node-level an evaluation uses.
pub(super) struct NodeModel<'a> {
    pub rules: KubeletRules,
    pub kernel: KernelVersion,
    pub badness_rule: BadnessRule,
    pub page_size: i64,
    pub capacity: i64,
    pub swap: i64,
    pub system_usage: i64,
    /// The kubelet configuration after the preset filled what the scenario left unset.
    pub config: Cow<'a, KubeletConfig>,
    pub preset_line: Option<String>,
    pub preset_message: Option<Message>,
    /// Values the scenario sets in the preset's place.
    pub preset_overrides: Vec<PresetOverride>,
    /// How the preset decided kube-reserved (its formula, or the override).
    pub preset_derivations: Vec<Derivation>,
    /// The allocatable memory the node reported, when the scenario has it.
    pub reported_allocatable: Option<i64>,
    pub thresholds: ParsedThresholds,
    pub allocatable: NodeAllocatable,
    /// The memory thresholds resolved to bytes, for the report and the simulation.
    pub threshold_reports: Vec<ThresholdReport>,
    pub sim_thresholds: Vec<SimThreshold>,
    /// Container cgroups have `memory.oom.group = 1` (the whole container dies).
    pub oom_group: bool,
    /// `totalpages` of a whole-node OOM.
    pub global_totalpages: i64,
    pub memory_qos: MemoryQosParams,
    /// Notes so far (release resolution, defaults, ignored settings).
    pub notes: Vec<Message>,
}

impl NodeModel<'_> {
    /// The node's report.
    pub fn into_report(self) -> NodeReport {
        let hard = self.thresholds.hard_memory_available().map(|t| t.value);
        let cgroups_per_qos = self.config.cgroups_per_qos.unwrap_or(true);
        let na = self.allocatable;
        NodeReport {
            capacity_bytes: na.capacity_bytes,
            kube_reserved_bytes: na.kube_reserved_bytes,
            system_reserved_bytes: na.system_reserved_bytes,
            hard_eviction_bytes: na.hard_eviction_bytes,
            allocatable_bytes: na.allocatable_bytes,
            kubepods_limit_bytes: na.kubepods_limit_bytes,
            thresholds: self.threshold_reports,
            preset: self.preset_line,
            preset_message: self.preset_message,
            preset_overrides: self.preset_overrides,
            reported_allocatable_bytes: self.reported_allocatable,
            why: NodeWhy {
                preset: self.preset_derivations,
                allocatable: na,
                hard,
                cgroups_per_qos,
            },
        }
    }
}

/// The node step: errors name the scenario field.
pub(super) fn node_model(scenario: &Scenario) -> Result<NodeModel<'_>, ScenarioError> {
    let rules = KubeletRules::resolve(scenario.kubelet_version.as_deref(), &scenario.feature_gates)
        .map_err(|m| err("kubeletVersion", m))?;
    let mut notes = resolution_messages(rules.version, &scenario.feature_gates);
    let node = &scenario.node;
    let kernel = match &node.kernel_version {
        None => KernelVersion::NEWEST,
        Some(s) => KernelVersion::parse(s).ok_or_else(|| {
            err(
                "node.kernelVersion",
                format!("{s:?}: expected a kernel version such as \"6.8\""),
            )
        })?,
    };
    let badness_rule = BadnessRule::for_kernel(kernel);
    let page_size = node
        .page_size
        .map_or(DEFAULT_PAGE_SIZE, |p| {
            i64::try_from(p).unwrap_or(DEFAULT_PAGE_SIZE)
        })
        .max(1);
    let cgroup_v2 = node.cgroup_version.unwrap_or(2) == 2;
    let capacity = node.memory.value();
    if capacity <= 0 {
        return Err(err("node.memory", "must be greater than zero"));
    }
    let swap = node.swap.as_ref().map_or(0, |q| q.value()).max(0);
    let system_usage = node.system_usage.as_ref().map_or(0, |q| q.value()).max(0);

    // The preset fills what the scenario's kubeletConfig leaves unset; each value the scenario
    // sets in the preset's place is reported (a note, the override list, the derivation).
    let mut preset_derivations = Vec::new();
    let (config, preset_line, preset_message, preset_overrides) = match &node.preset {
        None => (Cow::Borrowed(&node.kubelet_config), None, None, Vec::new()),
        Some(p) => {
            let preset = apply_preset_for_version(p, capacity, node.max_pods, rules.version)
                .map_err(|m| err("node.preset", m))?;
            let (cfg, overrides) = preset.fill(&node.kubelet_config);
            for o in &overrides {
                notes.push(override_note(&preset.name, o));
            }
            let kube_override = overrides
                .iter()
                .find(|o| o.field == "node.kubeletConfig.kubeReserved.memory");
            match kube_override {
                Some(o) => preset_derivations.push(Derivation::new(
                    "kube_reserved_bytes",
                    "note.preset_overridden",
                    "a kubeReserved.memory set in the scenario takes the preset's place (the preset fills only unset fields)",
                    format!("{} (yours) instead of {} ({})", o.yours, o.preset, preset.name),
                    preset.source.clone(),
                )),
                None if preset.kube_reserved_bytes > 0 => {
                    preset_derivations.push(preset.derivation.clone());
                }
                None => {}
            }
            (
                Cow::Owned(cfg),
                Some(preset.formula_line()),
                Some(preset.message),
                overrides,
            )
        }
    };
    let parsed = thresholds::parse_threshold_config(&config).map_err(|e| {
        err(
            format!(
                "node.kubeletConfig.{}",
                e.path.trim_start_matches("node.kubeletConfig.")
            ),
            e.message,
        )
    })?;
    let hugepages = 0;
    let na = node_allocatable_with(capacity, hugepages, &config, &parsed, false).map_err(|e| {
        err(
            if e.path.starts_with("node") {
                e.path.clone()
            } else {
                format!("node.kubeletConfig.{}", e.path)
            },
            e.message,
        )
    })?;
    let reported_allocatable = node.reported_allocatable.as_ref().map(|q| q.value());
    if let Some(r) = reported_allocatable {
        let computed = na.allocatable_bytes;
        notes.push(Message::with(
            if r == computed {
                "note.reported_allocatable.same"
            } else {
                "note.reported_allocatable.differs"
            },
            [
                ("reported", Arg::Bytes(r)),
                ("computed", Arg::Bytes(computed)),
                (
                    "difference",
                    Arg::Bytes(r.saturating_sub(computed).saturating_abs()),
                ),
            ],
        ));
    }
    if parsed.hard_defaulted {
        notes.push(Message::plain("note.eviction_hard_defaulted"));
    }

    // The memory thresholds: `allocatableMemory.available` resolves against the kubepods limit.
    let kubepods_cap = na
        .kubepods_limit_bytes
        .unwrap_or(na.node_allocatable_absolute_bytes);
    let mut threshold_reports = Vec::new();
    let mut sim_thresholds = Vec::new();
    for t in parsed.memory() {
        let cap = if t.signal == thresholds::SIGNAL_ALLOCATABLE_MEMORY_AVAILABLE {
            kubepods_cap
        } else {
            capacity
        };
        threshold_reports.push(ThresholdReport::new(t, cap, false));
        sim_thresholds.push(SimThreshold {
            signal: t.signal.clone(),
            hard: t.grace_period_ns == 0,
            bytes: t.quantity(cap),
            grace_ms: t.grace_period_ns / 1_000_000,
            min_reclaim_bytes: t.min_reclaim_quantity(cap),
        });
    }

    let oom_group =
        cgroup_v2 && !rules.single_process_oom_kill(config.single_process_oom_kill, cgroup_v2);
    if config.single_process_oom_kill.is_some() && !rules.single_process_oom_kill_configurable() {
        notes.push(Message::with(
            "note.single_process_oom_kill_ignored",
            [("version", Arg::Text(rules.version.to_string()))],
        ));
    }
    let memory_qos = MemoryQosParams::resolve(
        &rules,
        &config,
        if cgroup_v2 { 2 } else { 1 },
        u64::try_from(page_size).unwrap_or(4096),
        na.node_allocatable_absolute_bytes,
    )
    .map_err(|m| match m.split_once(": ") {
        Some((path, msg)) if path.starts_with("node.") => err(path, msg),
        _ => err("node.kubeletConfig", m),
    })?;
    if memory_qos.enabled {
        notes.push(Message::with(
            "note.memory_qos_on",
            [("version", Arg::Text(rules.version.to_string()))],
        ));
    }
    Ok(NodeModel {
        global_totalpages: badness::global_totalpages(capacity, swap, page_size),
        rules,
        kernel,
        badness_rule,
        page_size,
        capacity,
        swap,
        system_usage,
        config,
        preset_line,
        preset_message,
        preset_overrides,
        preset_derivations,
        reported_allocatable,
        thresholds: parsed,
        allocatable: na,
        threshold_reports,
        sim_thresholds,
        oom_group,
        memory_qos,
        notes,
    })
}

/// The note of a scenario value taking the place of preset `name`'s (`note.preset_overridden`).
fn override_note(name: &str, o: &PresetOverride) -> Message {
    let value = |v: &str| {
        v.parse::<i64>()
            .map_or_else(|_| Arg::Text(v.to_string()), Arg::Bytes)
    };
    Message::with(
        "note.preset_overridden",
        [
            ("preset", Arg::Text(name.to_string())),
            ("field", Arg::Text(o.field.clone())),
            ("yours", Arg::Text(o.yours.clone())),
            ("value", value(&o.preset)),
        ],
    )
}
