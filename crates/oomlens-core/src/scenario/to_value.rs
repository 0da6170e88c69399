//! A scenario as a YAML value in the documented form (what `scenario_to_yaml` writes with
//! [`super::yaml_writer`]): only the fields the user set, in the file format's order.

use super::*;
use serde_yaml_ng::{Mapping, Value};
use std::collections::BTreeMap;
/// Writes a scenario in the documented YAML form. `parse_scenario(&scenario_to_yaml(s)) == s`.
pub fn scenario_to_yaml(s: &Scenario) -> String {
    crate::scenario::yaml_writer::to_yaml(&scenario_to_value(s))
}

/// Writes a scenario as compact JSON in the documented form (the web app's share links and stored
/// scenario). `parse_scenario_json(&scenario_to_json(s)) == s`.
pub fn scenario_to_json(s: &Scenario) -> String {
    // A YAML value with string keys and plain scalars always serialises to JSON.
    serde_json::to_string(&scenario_to_value(s)).unwrap_or_default()
}

/// The scenario as a YAML/JSON value in the documented form (what [`scenario_to_yaml`] prints).
pub fn scenario_to_value(s: &Scenario) -> Value {
    let mut top = Mapping::new();
    if let Some(v) = &s.kubelet_version {
        top.insert("kubeletVersion".into(), Value::String(v.clone()));
    }
    if !s.feature_gates.is_empty() {
        let mut m = Mapping::new();
        for (k, v) in &s.feature_gates {
            m.insert(Value::String(k.clone()), Value::Bool(*v));
        }
        top.insert("featureGates".into(), Value::Mapping(m));
    }
    top.insert("node".into(), node_to_value(&s.node));
    top.insert(
        "pods".into(),
        Value::Sequence(
            s.pods
                .iter()
                .map(|p| serde_yaml_ng::to_value(p.to_manifest()).unwrap_or(Value::Null))
                .collect(),
        ),
    );
    for (name, map) in [("usage", &s.usage), ("growth", &s.growth)] {
        if !map.is_empty() {
            let mut m = Mapping::new();
            for (k, q) in map {
                m.insert(Value::String(k.clone()), Value::String(q.to_string()));
            }
            top.insert(name.into(), Value::Mapping(m));
        }
    }
    Value::Mapping(top)
}

pub(super) fn node_to_value(n: &NodeSpec) -> Value {
    let mut m = Mapping::new();
    m.insert("memory".into(), Value::String(n.memory.to_string()));
    if let Some(q) = &n.swap {
        m.insert("swap".into(), Value::String(q.to_string()));
    }
    if let Some(p) = &n.preset {
        m.insert("preset".into(), Value::String(p.clone()));
    }
    if let Some(p) = n.max_pods {
        m.insert("maxPods".into(), Value::Number(p.into()));
    }
    if let Some(v) = n.cgroup_version {
        m.insert("cgroupVersion".into(), Value::Number(v.into()));
    }
    if let Some(v) = n.page_size {
        m.insert("pageSize".into(), Value::Number(v.into()));
    }
    if let Some(v) = &n.kernel_version {
        m.insert("kernelVersion".into(), Value::String(v.clone()));
    }
    if let Some(q) = &n.system_usage {
        m.insert("systemUsage".into(), Value::String(q.to_string()));
    }
    if let Some(q) = &n.reported_allocatable {
        m.insert("reportedAllocatable".into(), Value::String(q.to_string()));
    }
    let kc = kubelet_config_to_value(&n.kubelet_config);
    if kc.as_mapping().is_some_and(|m| !m.is_empty()) {
        m.insert("kubeletConfig".into(), kc);
    }
    Value::Mapping(m)
}

pub(super) fn smap_value(map: &BTreeMap<String, String>) -> Value {
    let mut m = Mapping::new();
    for (k, v) in map {
        m.insert(Value::String(k.clone()), Value::String(v.clone()));
    }
    Value::Mapping(m)
}

pub(super) fn kubelet_config_to_value(c: &KubeletConfig) -> Value {
    let mut m = Mapping::new();
    for (name, map) in [
        ("kubeReserved", &c.kube_reserved),
        ("systemReserved", &c.system_reserved),
    ] {
        if !map.is_empty() {
            m.insert(name.into(), smap_value(map));
        }
    }
    if let Some(h) = &c.eviction_hard {
        m.insert("evictionHard".into(), smap_value(h));
    }
    for (name, map) in [
        ("evictionSoft", &c.eviction_soft),
        ("evictionSoftGracePeriod", &c.eviction_soft_grace_period),
        ("evictionMinimumReclaim", &c.eviction_minimum_reclaim),
    ] {
        if !map.is_empty() {
            m.insert(name.into(), smap_value(map));
        }
    }
    if let Some(v) = c.eviction_max_pod_grace_period {
        m.insert("evictionMaxPodGracePeriod".into(), Value::Number(v.into()));
    }
    if let Some(v) = &c.eviction_pressure_transition_period {
        m.insert(
            "evictionPressureTransitionPeriod".into(),
            Value::String(v.clone()),
        );
    }
    if let Some(v) = &c.enforce_node_allocatable {
        m.insert(
            "enforceNodeAllocatable".into(),
            Value::Sequence(v.iter().map(|s| Value::String(s.clone())).collect()),
        );
    }
    if let Some(v) = c.cgroups_per_qos {
        m.insert("cgroupsPerQOS".into(), Value::Bool(v));
    }
    if let Some(v) = c.memory_throttling_factor {
        m.insert("memoryThrottlingFactor".into(), Value::Number(v.into()));
    }
    if let Some(v) = c.single_process_oom_kill {
        m.insert("singleProcessOOMKill".into(), Value::Bool(v));
    }
    if let Some(v) = &c.memory_reservation_policy {
        m.insert("memoryReservationPolicy".into(), Value::String(v.clone()));
    }
    Value::Mapping(m)
}
