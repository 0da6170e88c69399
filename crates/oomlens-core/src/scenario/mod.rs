//! The scenario format shared by the CLI, app import/export and share links: node, kubelet
//! configuration, pods and observed usage (YAML or JSON; documented in the README).

pub mod error;
mod locate;
pub mod pod_reader;
mod to_value;
pub mod yaml_writer;

pub use crate::api::kubelet_config::KubeletConfig;
pub use error::ScenarioError;

use crate::api::pod::Pod;
use crate::base::quantity::Quantity;
use serde::Serialize;
use std::collections::BTreeMap;

/// The node: its memory, optional cloud preset and kubelet configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeSpec {
    /// Capacity (MemTotal).
    pub memory: Quantity,
    /// Swap size (0 when absent).
    pub swap: Option<Quantity>,
    /// Cloud preset name (`gke`, `eks`, `aks`, `aks-1.29`, `kubeadm`, `kind`, `k3s`), filling reservations.
    pub preset: Option<String>,
    /// `maxPods`, for presets that depend on it.
    pub max_pods: Option<u32>,
    /// cgroup version of the node (2 when absent).
    pub cgroup_version: Option<u8>,
    /// Page size in bytes (4096 when absent).
    pub page_size: Option<u64>,
    /// Kernel version such as `6.8` (the newest modelled when absent).
    pub kernel_version: Option<String>,
    /// The kubelet configuration.
    pub kubelet_config: KubeletConfig,
    /// `systemUsage`: working set outside the pods (OS, kubelet, runtime, daemons); 0 when absent.
    /// It counts in `memory.available` and in a node-level OOM, not in `kubepods`.
    pub system_usage: Option<Quantity>,
    /// `reportedAllocatable`: the allocatable memory the node itself reported (`status.allocatable`,
    /// `kubectl describe node`). Compared with the computed allocatable, never used in its place.
    pub reported_allocatable: Option<Quantity>,
}

/// A whole scenario: what `oomlens calc` reads and the calculator page edits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// `kubeletVersion`; `None` means the newest modelled release.
    pub kubelet_version: Option<String>,
    /// `featureGates` overrides.
    pub feature_gates: BTreeMap<String, bool>,
    /// `node`.
    pub node: NodeSpec,
    /// `pods`.
    pub pods: Vec<Pod>,
    /// `usage`: observed working set by `ns/pod` or `ns/pod/container`.
    pub usage: BTreeMap<String, Quantity>,
    /// `growth`: usage growth per second by `ns/pod` or `ns/pod/container`, for the "what fires first" simulation.
    pub growth: BTreeMap<String, Quantity>,
}

// ---------------------------------------------------------------------------------------------
// Reading and writing the scenario format.
// ---------------------------------------------------------------------------------------------

pub use locate::locate_line;
use serde_yaml_ng::{Mapping, Value};
pub use to_value::{scenario_to_json, scenario_to_value, scenario_to_yaml};

/// The keys a scenario may have at its top level.
pub const TOP_LEVEL_KEYS: [&str; 6] = [
    "kubeletVersion",
    "featureGates",
    "node",
    "pods",
    "usage",
    "growth",
];
/// The keys of `node`.
pub const NODE_KEYS: [&str; 10] = [
    "memory",
    "swap",
    "preset",
    "maxPods",
    "cgroupVersion",
    "pageSize",
    "kernelVersion",
    "kubeletConfig",
    "systemUsage",
    "reportedAllocatable",
];

fn serr(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.into(),
        line: None,
        message: message.into(),
    }
}

/// Parses a scenario written in YAML or JSON (a document starting with `{` is read as JSON).
/// Unknown top-level and `node` keys are errors naming them; unknown keys inside pods and
/// `kubeletConfig` are ignored (a full KubeletConfiguration may be pasted). Errors carry the
/// field path and, when it can be located, the 1-based line.
pub fn parse_scenario(text: &str) -> Result<Scenario, ScenarioError> {
    scenario_of_document(text, parse_document(text)?)
}

/// Parses a scenario written in JSON, as [`parse_scenario`] does, without the YAML reader (the
/// web app's first load reads its share links, stored scenario and examples with this one).
pub fn parse_scenario_json(text: &str) -> Result<Scenario, ScenarioError> {
    scenario_of_document(text, parse_json_document(text)?)
}

/// The scenario of `value`, the document read from `text`; an error names its line in `text`.
fn scenario_of_document(text: &str, value: Value) -> Result<Scenario, ScenarioError> {
    scenario_from_value(&value).map_err(|mut e| {
        if e.line.is_none() {
            e.line = locate_line(text, &e.path);
        }
        e
    })
}

/// Whether `text` is a JSON document to [`parse_scenario`] (it starts with `{`).
pub fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn parse_json_document(text: &str) -> Result<Value, ScenarioError> {
    let j: serde_json::Value = serde_json::from_str(text).map_err(|e| ScenarioError {
        path: String::new(),
        line: Some(e.line()),
        message: format!("invalid JSON: {e}"),
    })?;
    serde_yaml_ng::to_value(&j).map_err(|e| serr("", format!("invalid JSON: {e}")))
}

fn parse_document(text: &str) -> Result<Value, ScenarioError> {
    if text.trim().is_empty() {
        return Err(serr(
            "",
            "the scenario is empty: expected a YAML or JSON document with at least `node.memory`",
        ));
    }
    if is_json(text) {
        return parse_json_document(text);
    }
    serde_yaml_ng::from_str::<Value>(text).map_err(|e| ScenarioError {
        path: String::new(),
        line: e.location().map(|l| l.line()),
        message: format!("invalid YAML: {e}"),
    })
}

/// Builds a scenario from an already-parsed YAML/JSON value (used by [`parse_scenario`] and by
/// share-link decoding). Paths in errors are relative to the document root.
pub fn scenario_from_value(value: &Value) -> Result<Scenario, ScenarioError> {
    let top = value.as_mapping().ok_or_else(|| {
        serr(
            "",
            format!("expected a mapping at the top level, found {}", kind(value)),
        )
    })?;
    let mut unknown = Vec::new();
    for k in top.keys() {
        match k.as_str() {
            Some(s) if TOP_LEVEL_KEYS.contains(&s) => {}
            Some(s) => unknown.push(s.to_string()),
            None => unknown.push(format!("{k:?}")),
        }
    }
    if !unknown.is_empty() {
        return Err(serr(
            unknown.first().cloned().unwrap_or_default(),
            format!(
                "unknown top-level key(s) {}: expected {}",
                unknown.join(", "),
                TOP_LEVEL_KEYS.join(", ")
            ),
        ));
    }
    let kubelet_version = match top.get("kubeletVersion") {
        None | Some(Value::Null) => None,
        Some(v) => Some(scalar_string(v, "kubeletVersion")?),
    };
    let feature_gates = match top.get("featureGates") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(v) => {
            let m = mapping(v, "featureGates")?;
            let mut out = BTreeMap::new();
            for (k, val) in m {
                let name = key_string(k, "featureGates")?;
                let path = format!("featureGates.{name}");
                let b = val.as_bool().ok_or_else(|| {
                    serr(
                        &path,
                        format!("expected true or false, found {}", kind(val)),
                    )
                })?;
                out.insert(name, b);
            }
            out
        }
    };
    let node = match top.get("node") {
        None | Some(Value::Null) => {
            return Err(serr(
                "node",
                "missing: a scenario needs `node.memory` (the node's capacity)",
            ))
        }
        Some(v) => parse_node(v)?,
    };
    let pods = match top.get("pods") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => read_pods(v)?,
    };
    let usage = quantity_map(top.get("usage"), "usage")?;
    let growth = quantity_map(top.get("growth"), "growth")?;
    Ok(Scenario {
        kubelet_version,
        feature_gates,
        node,
        pods,
        usage,
        growth,
    })
}

fn read_pods(v: &Value) -> Result<Vec<Pod>, ScenarioError> {
    crate::scenario::pod_reader::read_pods_value(v, "pods").map_err(ScenarioError::from)
}

fn parse_node(v: &Value) -> Result<NodeSpec, ScenarioError> {
    let m = mapping(v, "node")?;
    for k in m.keys() {
        let name = key_string(k, "node")?;
        if !NODE_KEYS.contains(&name.as_str()) {
            return Err(serr(
                format!("node.{name}"),
                format!(
                    "unknown key {name:?} in node: expected one of {}",
                    NODE_KEYS.join(", ")
                ),
            ));
        }
    }
    let memory = match m.get("memory") {
        None | Some(Value::Null) => {
            return Err(serr(
                "node.memory",
                "missing: the node's memory capacity, e.g. 16Gi",
            ))
        }
        Some(v) => quantity(v, "node.memory")?,
    };
    if memory.is_negative() || memory.is_zero() {
        return Err(serr("node.memory", "must be greater than zero"));
    }
    let swap = non_negative(m, "swap")?;
    let preset = opt_string(m.get("preset"), "node.preset")?;
    let max_pods = match opt_i64(m.get("maxPods"), "node.maxPods")? {
        None => None,
        Some(n) => Some(u32::try_from(n).ok().filter(|n| *n > 0).ok_or_else(|| {
            serr(
                "node.maxPods",
                format!("must be a positive integer, found {n}"),
            )
        })?),
    };
    let cgroup_version = match opt_i64(m.get("cgroupVersion"), "node.cgroupVersion")? {
        None => None,
        Some(1) => Some(1),
        Some(2) => Some(2),
        Some(n) => {
            return Err(serr(
                "node.cgroupVersion",
                format!("must be 1 or 2, found {n}"),
            ))
        }
    };
    let page_size = match opt_i64(m.get("pageSize"), "node.pageSize")? {
        None => None,
        Some(n) if n > 0 && (n as u64).is_power_of_two() => Some(n as u64),
        Some(n) => {
            return Err(serr(
                "node.pageSize",
                format!("must be a power of two such as 4096 or 65536, found {n}"),
            ))
        }
    };
    let kernel_version = opt_string(m.get("kernelVersion"), "node.kernelVersion")?;
    if let Some(k) = &kernel_version {
        if crate::kernel::badness::KernelVersion::parse(k).is_none() {
            return Err(serr(
                "node.kernelVersion",
                format!(
                    "{k:?}: expected a kernel version such as \"6.8\" or \"5.4.0-150-generic\""
                ),
            ));
        }
    }
    let kubelet_config = match m.get("kubeletConfig") {
        None | Some(Value::Null) => KubeletConfig::default(),
        Some(v) => parse_kubelet_config(v)?,
    };
    let system_usage = non_negative(m, "systemUsage")?;
    let reported_allocatable = non_negative(m, "reportedAllocatable")?;
    Ok(NodeSpec {
        memory,
        swap,
        preset,
        max_pods,
        cgroup_version,
        page_size,
        kernel_version,
        kubelet_config,
        system_usage,
        reported_allocatable,
    })
}

/// The optional non-negative quantity `node.<key>`.
fn non_negative(m: &Mapping, key: &str) -> Result<Option<Quantity>, ScenarioError> {
    let path = format!("node.{key}");
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            let q = quantity(v, &path)?;
            if q.is_negative() {
                return Err(serr(path, "must not be negative"));
            }
            Ok(Some(q))
        }
    }
}

fn parse_kubelet_config(v: &Value) -> Result<KubeletConfig, ScenarioError> {
    const P: &str = "node.kubeletConfig";
    let m = mapping(v, P)?;
    let smap = |key: &str| -> Result<BTreeMap<String, String>, ScenarioError> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(BTreeMap::new()),
            Some(v) => string_map(v, &format!("{P}.{key}")),
        }
    };
    let eviction_hard = match m.get("evictionHard") {
        None | Some(Value::Null) => None,
        Some(v) => Some(string_map(v, &format!("{P}.evictionHard"))?),
    };
    let enforce_node_allocatable = match m.get("enforceNodeAllocatable") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let path = format!("{P}.enforceNodeAllocatable");
            let seq = v.as_sequence().ok_or_else(|| {
                serr(
                    &path,
                    format!("expected a list such as [pods], found {}", kind(v)),
                )
            })?;
            let mut out = Vec::with_capacity(seq.len());
            for (i, item) in seq.iter().enumerate() {
                out.push(scalar_string(item, &format!("{path}[{i}]"))?);
            }
            Some(out)
        }
    };
    let opt_bool = |key: &str| -> Result<Option<bool>, ScenarioError> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_bool().map(Some).ok_or_else(|| {
                serr(
                    format!("{P}.{key}"),
                    format!("expected true or false, found {}", kind(v)),
                )
            }),
        }
    };
    let memory_throttling_factor = match m.get("memoryThrottlingFactor") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let path = format!("{P}.memoryThrottlingFactor");
            let f = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => crate::base::decimal::parse_f64(s.trim()),
                _ => None,
            }
            .ok_or_else(|| {
                serr(
                    &path,
                    format!("expected a number such as 0.9, found {}", kind(v)),
                )
            })?;
            if !f.is_finite() {
                return Err(serr(path, "must be a finite number"));
            }
            Some(f)
        }
    };
    Ok(KubeletConfig {
        kube_reserved: smap("kubeReserved")?,
        system_reserved: smap("systemReserved")?,
        eviction_hard,
        eviction_soft: smap("evictionSoft")?,
        eviction_soft_grace_period: smap("evictionSoftGracePeriod")?,
        eviction_minimum_reclaim: smap("evictionMinimumReclaim")?,
        eviction_max_pod_grace_period: opt_i64(
            m.get("evictionMaxPodGracePeriod"),
            &format!("{P}.evictionMaxPodGracePeriod"),
        )?,
        eviction_pressure_transition_period: opt_string(
            m.get("evictionPressureTransitionPeriod"),
            &format!("{P}.evictionPressureTransitionPeriod"),
        )?,
        enforce_node_allocatable,
        cgroups_per_qos: opt_bool("cgroupsPerQOS")?,
        memory_throttling_factor,
        single_process_oom_kill: opt_bool("singleProcessOOMKill")?,
        memory_reservation_policy: opt_string(
            m.get("memoryReservationPolicy"),
            &format!("{P}.memoryReservationPolicy"),
        )?,
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn mapping<'a>(v: &'a Value, path: &str) -> Result<&'a Mapping, ScenarioError> {
    v.as_mapping()
        .ok_or_else(|| serr(path, format!("expected a mapping, found {}", kind(v))))
}

fn key_string(k: &Value, path: &str) -> Result<String, ScenarioError> {
    match k {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(serr(
            path,
            format!("expected string keys, found {}", kind(other)),
        )),
    }
}

/// A scalar as text: strings as is, numbers and booleans in their YAML spelling.
fn scalar_string(v: &Value, path: &str) -> Result<String, ScenarioError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(serr(
            path,
            format!("expected a string, found {}", kind(other)),
        )),
    }
}

fn opt_string(v: Option<&Value>, path: &str) -> Result<Option<String>, ScenarioError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => scalar_string(v, path).map(Some),
    }
}

fn opt_i64(v: Option<&Value>, path: &str) -> Result<Option<i64>, ScenarioError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| serr(path, format!("expected an integer, found {n}"))),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| serr(path, format!("expected an integer, found {s:?}"))),
        Some(other) => Err(serr(
            path,
            format!("expected an integer, found {}", kind(other)),
        )),
    }
}

fn quantity(v: &Value, path: &str) -> Result<Quantity, ScenarioError> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(serr(
                path,
                format!(
                    "expected a quantity such as 512Mi or 1Gi, found {}",
                    kind(other)
                ),
            ))
        }
    };
    Quantity::parse(&s).map_err(|e| serr(path, e.to_string()))
}

fn string_map(v: &Value, path: &str) -> Result<BTreeMap<String, String>, ScenarioError> {
    let m = mapping(v, path)?;
    let mut out = BTreeMap::new();
    for (k, val) in m {
        let key = key_string(k, path)?;
        let p = format!("{path}.{key}");
        out.insert(key, scalar_string(val, &p)?);
    }
    Ok(out)
}

/// Checks a `usage`/`growth` key: `ns/pod` or `ns/pod/container`, no empty part.
pub fn check_usage_key(key: &str) -> Result<(), String> {
    match split_usage_key(key) {
        Some(_) => Ok(()),
        None => Err(format!(
            "key {key:?}: expected \"namespace/pod\" or \"namespace/pod/container\""
        )),
    }
}

/// A `usage`/`growth` key split into the pod's key `ns/pod` and the container name, if any: two
/// or three `/`-separated parts, none blank; `None` otherwise.
pub fn split_usage_key(key: &str) -> Option<(&str, Option<&str>)> {
    let blank = |part: &str| part.chars().all(char::is_whitespace);
    let bytes = key.as_bytes();
    let first = bytes.iter().position(|&b| b == b'/')?;
    let second = bytes
        .get(first + 1..)?
        .iter()
        .position(|&b| b == b'/')
        .map(|k| first + 1 + k);
    let (pod_key, container) = match second {
        None => (key, None),
        Some(at) => {
            let container = key.get(at + 1..)?;
            if container.bytes().any(|b| b == b'/') {
                return None;
            }
            (key.get(..at)?, Some(container))
        }
    };
    let (ns, pod) = (pod_key.get(..first)?, pod_key.get(first + 1..)?);
    if blank(ns) || blank(pod) || container.is_some_and(blank) {
        return None;
    }
    Some((pod_key, container))
}

fn quantity_map(
    v: Option<&Value>,
    path: &str,
) -> Result<BTreeMap<String, Quantity>, ScenarioError> {
    let v = match v {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(v) => v,
    };
    let m = mapping(v, path)?;
    let mut out = BTreeMap::new();
    for (k, val) in m {
        let key = key_string(k, path)?;
        let p = format!("{path}.{key}");
        check_usage_key(&key).map_err(|msg| serr(&p, msg))?;
        let q = quantity(val, &p)?;
        if q.is_negative() {
            return Err(serr(p, "must not be negative"));
        }
        out.insert(key, q);
    }
    Ok(out)
}
