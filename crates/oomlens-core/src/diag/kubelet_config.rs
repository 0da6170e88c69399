//! Reader for a kubelet's configuration as people paste it: a `KubeletConfiguration` YAML/JSON
//! (`kubelet.config.k8s.io/v1beta1`), the `/configz` endpoint's JSON (`{"kubeletconfig": {…}}`), or
//! the kubelet command line (`ps` output, systemd `ExecStart=` with `\` continuations,
//! `KUBELET_EXTRA_ARGS=…`), into [`crate::api::kubelet_config::KubeletConfig`] plus `maxPods`.
//!
//! Field names follow `k8s.io/kubelet/config/v1beta1/types.go`; flag names follow
//! `cmd/kubelet/app/options/options.go` (`--eviction-hard`, `--kube-reserved`, …). The flag value
//! forms are parsed with [`crate::kubelet::thresholds::parse_eviction_flag`] (`<`-separated) and
//! `key=value,…` maps (`cliflag.MapStringString`). Deprecated flags override the config file in
//! kubelet, so when both appear the flag wins (noted as a finding).

use crate::api::kubelet_config::KubeletConfig;
use crate::base::message::{Arg, Message};
use crate::diag::finding::{Finding, Severity};
use crate::diag::lines::NumberedLine;
use crate::kubelet::thresholds::parse_eviction_flag;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Where a configuration came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigSource {
    /// A `KubeletConfiguration` document.
    KubeletConfiguration,
    /// `/configz` JSON.
    Configz,
    /// Command-line flags.
    Flags,
}

/// One kubelet configuration as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KubeletConfigReading {
    /// Form it was pasted in.
    pub source: ConfigSource,
    /// First line (1-based).
    pub first_line: usize,
    /// Last line.
    pub last_line: usize,
    /// The memory-relevant configuration.
    pub config: KubeletConfig,
    /// `maxPods` / `--max-pods`.
    pub max_pods: Option<u32>,
    /// `cgroupDriver` / `--cgroup-driver`.
    pub cgroup_driver: Option<String>,
    /// `featureGates` / `--feature-gates`.
    pub feature_gates: BTreeMap<String, bool>,
    /// `failSwapOn`.
    pub fail_swap_on: Option<bool>,
    /// `memorySwap.swapBehavior`.
    pub swap_behavior: Option<String>,
    /// `kernelMemcgNotification`.
    pub kernel_memcg_notification: Option<bool>,
    /// Line of each field read (config key or flag name → line).
    pub field_lines: BTreeMap<String, usize>,
    /// Values that could not be read, naming field and line.
    pub errors: Vec<String>,
    /// Fields whose JSON type is not the one kubelet decodes (kubelet refuses such a file).
    pub wrong_types: Vec<WrongType>,
}

/// A field of a configuration document with the wrong type (`kubeReserved: 1Gi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrongType {
    /// The field, as written.
    pub field: String,
    /// Its line.
    pub line: usize,
    /// What kubelet expects: `map`, `string`, `integer`, `boolean`, `list`, `number`.
    pub expected: &'static str,
    /// What the document holds: the same words, or `null`.
    pub found: &'static str,
    /// The value as written (for a scalar), cut to 80 characters.
    pub value: Option<String>,
}

/// The JSON type kubelet's decoder needs for each field this reader uses
/// (`KubeletConfiguration` in `staging/src/k8s.io/kubelet/config/v1beta1/types.go`): maps of
/// strings, `metav1.Duration` strings, `int32`, `*bool`, `[]string`, `float64`.
fn expected_type(field: &str) -> Option<&'static str> {
    Some(match field {
        "kubeReserved"
        | "systemReserved"
        | "evictionHard"
        | "evictionSoft"
        | "evictionSoftGracePeriod"
        | "evictionMinimumReclaim"
        | "featureGates"
        | "memorySwap" => "map",
        "evictionPressureTransitionPeriod" | "cgroupDriver" | "memoryReservationPolicy" => "string",
        "evictionMaxPodGracePeriod" | "maxPods" => "integer",
        "cgroupsPerQOS" | "singleProcessOOMKill" | "failSwapOn" | "kernelMemcgNotification" => {
            "boolean"
        }
        "enforceNodeAllocatable" => "list",
        "memoryThrottlingFactor" => "number",
        _ => return None,
    })
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "map",
    }
}

impl KubeletConfigReading {
    fn new(source: ConfigSource, first_line: usize, last_line: usize) -> Self {
        KubeletConfigReading {
            source,
            first_line,
            last_line,
            config: KubeletConfig::default(),
            max_pods: None,
            cgroup_driver: None,
            feature_gates: BTreeMap::new(),
            fail_swap_on: None,
            swap_behavior: None,
            kernel_memcg_notification: None,
            field_lines: BTreeMap::new(),
            errors: Vec::new(),
            wrong_types: Vec::new(),
        }
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_map(v: &Value) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    if let Value::Object(o) = v {
        for (k, v) in o {
            if let Some(s) = scalar(v) {
                m.insert(k.clone(), s);
            }
        }
    }
    m
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Finds the 1-based line of `key:` (YAML) or `"key":` (JSON) inside the block.
fn key_line(lines: &[NumberedLine<'_>], key: &str) -> Option<usize> {
    let y = format!("{key}:");
    let j = format!("\"{key}\"");
    lines
        .iter()
        .find(|l| {
            let t = l.text.trim_start();
            t.starts_with(&y) || t.starts_with(&j) || t.contains(&format!("{{{j}"))
        })
        .map(|l| l.number)
}

/// Reads a KubeletConfiguration (or the object inside `/configz`) from a parsed document.
pub fn from_value(root: &Value, lines: &[NumberedLine<'_>]) -> Option<KubeletConfigReading> {
    let (obj, source) = match root.get("kubeletconfig") {
        Some(inner) => (inner, ConfigSource::Configz),
        None => (root, ConfigSource::KubeletConfiguration),
    };
    let o = obj.as_object()?;
    let first = lines.first().map(|l| l.number).unwrap_or(1);
    let last = lines.last().map(|l| l.number).unwrap_or(first);
    let mut r = KubeletConfigReading::new(source, first, last);
    let seen = |r: &mut KubeletConfigReading, k: &str| {
        let line = key_line(lines, k).unwrap_or(first);
        r.field_lines.insert(k.to_string(), line);
    };
    for (k, v) in o {
        // A value of the wrong type makes kubelet refuse the whole file; it is flagged and not
        // used (`null` is an unset field, which kubelet accepts).
        if let Some(want) = expected_type(k) {
            let found = json_type(v);
            let fits = found == want || (want == "number" && found == "integer");
            if !fits && found != "null" {
                let line = key_line(lines, k).unwrap_or(first);
                r.wrong_types.push(WrongType {
                    field: k.clone(),
                    line,
                    expected: want,
                    found,
                    value: scalar(v).map(|s| s.chars().take(80).collect()),
                });
                r.field_lines.insert(k.to_string(), line);
                continue;
            }
        }
        let c = &mut r.config;
        match k.as_str() {
            "kubeReserved" => c.kube_reserved = string_map(v),
            "systemReserved" => c.system_reserved = string_map(v),
            "evictionHard" => c.eviction_hard = Some(string_map(v)),
            "evictionSoft" => c.eviction_soft = string_map(v),
            "evictionSoftGracePeriod" => c.eviction_soft_grace_period = string_map(v),
            "evictionMinimumReclaim" => c.eviction_minimum_reclaim = string_map(v),
            "evictionMaxPodGracePeriod" => c.eviction_max_pod_grace_period = as_i64(v),
            "evictionPressureTransitionPeriod" => c.eviction_pressure_transition_period = scalar(v),
            "enforceNodeAllocatable" => {
                c.enforce_node_allocatable =
                    v.as_array().map(|a| a.iter().filter_map(scalar).collect());
            }
            "cgroupsPerQOS" => c.cgroups_per_qos = as_bool(v),
            "memoryThrottlingFactor" => c.memory_throttling_factor = v.as_f64(),
            "singleProcessOOMKill" => c.single_process_oom_kill = as_bool(v),
            "memoryReservationPolicy" => c.memory_reservation_policy = scalar(v),
            "maxPods" => r.max_pods = as_i64(v).and_then(|n| u32::try_from(n).ok()),
            "cgroupDriver" => r.cgroup_driver = scalar(v),
            "failSwapOn" => r.fail_swap_on = as_bool(v),
            "kernelMemcgNotification" => r.kernel_memcg_notification = as_bool(v),
            "memorySwap" => r.swap_behavior = v.get("swapBehavior").and_then(scalar),
            "featureGates" => {
                if let Value::Object(g) = v {
                    for (name, on) in g {
                        if let Some(b) = as_bool(on) {
                            r.feature_gates.insert(name.clone(), b);
                        }
                    }
                }
            }
            _ => continue,
        }
        seen(&mut r, k);
    }
    Some(r)
}

/// Parses a YAML or JSON document holding a KubeletConfiguration or `/configz` output.
pub fn read_document(lines: &[NumberedLine<'_>]) -> Option<KubeletConfigReading> {
    let mut text = String::new();
    for l in lines {
        text.push_str(l.text);
        text.push('\n');
    }
    let trimmed = text.trim_start();
    let value: Value = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).ok()?
    } else {
        let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).ok()?;
        serde_json::to_value(&y).ok()?
    };
    from_value(&value, lines)
}

/// Splits a command line into arguments, honouring simple `'…'`/`"…"` quoting and `\` line joins.
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut has = false;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                has = true;
            }
            None if c.is_whitespace() || c == '\\' => {
                if has {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            None => {
                cur.push(c);
                has = true;
            }
        }
    }
    if has {
        out.push(cur);
    }
    out
}

/// The kubelet flags this reader understands (others are ignored).
pub const FLAGS: &[&str] = &[
    "eviction-hard",
    "eviction-soft",
    "eviction-soft-grace-period",
    "eviction-minimum-reclaim",
    "eviction-max-pod-grace-period",
    "eviction-pressure-transition-period",
    "kube-reserved",
    "system-reserved",
    "enforce-node-allocatable",
    "cgroups-per-qos",
    "max-pods",
    "cgroup-driver",
    "feature-gates",
    "fail-swap-on",
    "kernel-memcg-notification",
    "experimental-kernel-memcg-notification",
];

/// True when the line carries one of [`FLAGS`] as `--flag`.
pub fn is_flag_line(line: &str) -> bool {
    if !line.contains("--") {
        return false;
    }
    FLAGS.iter().any(|f| {
        let pat = format!("--{f}");
        line.match_indices(&pat).any(|(i, _)| {
            let after = line.as_bytes().get(i + pat.len()).copied();
            matches!(
                after,
                None | Some(b'=') | Some(b' ') | Some(b'\t') | Some(b'"') | Some(b'\'')
            )
        })
    })
}

/// `max-pods=110` (a known flag name, `=`, a value), as k3s/RKE2 `kubelet-arg` lists write flags.
fn is_bare_flag(t: &str) -> bool {
    t.split_once('=')
        .is_some_and(|(name, _)| FLAGS.contains(&name))
}

/// True when the line is an item of a k3s/RKE2 `kubelet-arg:` list (`- "eviction-hard=…"`).
pub fn is_bare_flag_item(line: &str) -> bool {
    let t = line.trim_start();
    let Some(item) = t.strip_prefix("- ") else {
        return false;
    };
    is_bare_flag(item.trim().trim_matches(|c| c == '"' || c == '\''))
}

fn kv_map(v: &str) -> Result<BTreeMap<String, String>, String> {
    let mut m = BTreeMap::new();
    for item in v.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        match item.split_once('=') {
            Some((k, val)) => {
                m.insert(k.trim().to_string(), val.trim().to_string());
            }
            None => return Err(format!("malformed pair {item:?}, expected key=value")),
        }
    }
    Ok(m)
}

/// Reads kubelet command-line flags from the lines (one `ps` line or a unit file's continuation lines).
pub fn read_flags(lines: &[NumberedLine<'_>]) -> Option<KubeletConfigReading> {
    let first = lines.first()?.number;
    let last = lines.last()?.number;
    let mut r = KubeletConfigReading::new(ConfigSource::Flags, first, last);
    let mut any = false;
    for l in lines {
        let args: Vec<String> = split_args(l.text)
            .into_iter()
            .map(|a| {
                a.trim_matches(|c| c == '`' || c == ',' || c == ';')
                    .to_string()
            })
            .collect();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            // `KUBELET_EXTRA_ARGS=--max-pods=110` and `Environment=…` forms.
            let a = match a.find("--") {
                Some(p) if p > 0 && a[..p].ends_with('=') => &a[p..],
                _ => a.as_str(),
            };
            // k3s/RKE2 `kubelet-arg:` list items name the flag without dashes: `- "max-pods=110"`.
            let bare = a
                .strip_prefix("- ")
                .unwrap_or(a)
                .trim_matches(|c| c == '"' || c == '\'');
            let flag = match a.strip_prefix("--") {
                Some(f) => f,
                None if is_bare_flag(bare) => bare,
                None => {
                    i += 1;
                    continue;
                }
            };
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            if !FLAGS.contains(&name) {
                i += 1;
                continue;
            }
            let is_bool = matches!(
                name,
                "cgroups-per-qos"
                    | "fail-swap-on"
                    | "kernel-memcg-notification"
                    | "experimental-kernel-memcg-notification"
            );
            let value = match value {
                Some(v) => v,
                None if is_bool => "true".to_string(),
                None => match args.get(i + 1) {
                    Some(v) if !v.starts_with("--") => {
                        i += 1;
                        v.clone()
                    }
                    _ => {
                        r.errors
                            .push(format!("line {}: --{name} has no value", l.number));
                        i += 1;
                        continue;
                    }
                },
            };
            any = true;
            r.field_lines.insert(format!("--{name}"), l.number);
            let c = &mut r.config;
            let err = |e: String| format!("line {}: --{name}: {e}", l.number);
            match name {
                "eviction-hard" => match parse_eviction_flag(&value) {
                    Ok(m) => c.eviction_hard = Some(m),
                    Err(e) => r.errors.push(err(e)),
                },
                "eviction-soft" => match parse_eviction_flag(&value) {
                    Ok(m) => c.eviction_soft = m,
                    Err(e) => r.errors.push(err(e)),
                },
                "eviction-soft-grace-period" => match parse_eviction_flag(&value) {
                    Ok(m) => c.eviction_soft_grace_period = m,
                    Err(e) => r.errors.push(err(e)),
                },
                "eviction-minimum-reclaim" => match parse_eviction_flag(&value) {
                    Ok(m) => c.eviction_minimum_reclaim = m,
                    Err(e) => r.errors.push(err(e)),
                },
                "eviction-max-pod-grace-period" => match value.trim().parse() {
                    Ok(n) => c.eviction_max_pod_grace_period = Some(n),
                    Err(_) => r
                        .errors
                        .push(err(format!("{value:?} is not a number of seconds"))),
                },
                "eviction-pressure-transition-period" => {
                    c.eviction_pressure_transition_period = Some(value)
                }
                "kube-reserved" => match kv_map(&value) {
                    Ok(m) => c.kube_reserved = m,
                    Err(e) => r.errors.push(err(e)),
                },
                "system-reserved" => match kv_map(&value) {
                    Ok(m) => c.system_reserved = m,
                    Err(e) => r.errors.push(err(e)),
                },
                "enforce-node-allocatable" => {
                    c.enforce_node_allocatable = Some(
                        value
                            .split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty() && *s != "none")
                            .map(str::to_string)
                            .collect(),
                    );
                }
                "cgroups-per-qos" => c.cgroups_per_qos = value.parse().ok(),
                "max-pods" => match value.trim().parse() {
                    Ok(n) => r.max_pods = Some(n),
                    Err(_) => r.errors.push(err(format!("{value:?} is not a pod count"))),
                },
                "cgroup-driver" => r.cgroup_driver = Some(value),
                "fail-swap-on" => r.fail_swap_on = value.parse().ok(),
                "kernel-memcg-notification" | "experimental-kernel-memcg-notification" => {
                    r.kernel_memcg_notification = value.parse().ok()
                }
                "feature-gates" => match kv_map(&value) {
                    Ok(m) => {
                        for (k, v) in m {
                            match v.parse::<bool>() {
                                Ok(b) => {
                                    r.feature_gates.insert(k, b);
                                }
                                Err(_) => r
                                    .errors
                                    .push(err(format!("gate {k}={v:?} is not true/false"))),
                            }
                        }
                    }
                    Err(e) => r.errors.push(err(e)),
                },
                _ => {}
            }
            i += 1;
        }
    }
    if any {
        Some(r)
    } else {
        None
    }
}

/// What a demanding SRE wants to know from the configuration alone.
/// The message id naming a JSON type.
fn type_id(t: &str) -> &'static str {
    match t {
        "map" => "kubelet_config.type.map",
        "string" => "kubelet_config.type.string",
        "integer" => "kubelet_config.type.integer",
        "boolean" => "kubelet_config.type.boolean",
        "list" => "kubelet_config.type.list",
        "number" => "kubelet_config.type.number",
        _ => "kubelet_config.type.null",
    }
}

pub fn findings(r: &KubeletConfigReading) -> Vec<Finding> {
    let mut out = Vec::new();
    let c = &r.config;
    let all: Vec<usize> = vec![r.first_line];
    let line = |k: &str, flag: &str| -> Vec<usize> {
        r.field_lines
            .get(k)
            .or_else(|| r.field_lines.get(flag))
            .map(|l| vec![*l])
            .unwrap_or_else(|| all.clone())
    };
    let form = Message::plain(match r.source {
        ConfigSource::KubeletConfiguration => "kubelet_config.form.file",
        ConfigSource::Configz => "kubelet_config.form.configz",
        ConfigSource::Flags => "kubelet_config.form.flags",
    });
    let hard = match &c.eviction_hard {
        Some(m) => match m.get("memory.available") {
            Some(v) => Message::with(
                "kubelet_config.hard.value",
                [("value", Arg::text(v.clone()))],
            ),
            None => Message::plain("kubelet_config.hard.missing"),
        },
        None => Message::plain("kubelet_config.hard.default"),
    };
    let reserved = |m: &std::collections::BTreeMap<String, String>| {
        Arg::message(match m.get("memory") {
            Some(v) => Message::with(
                "kubelet_config.reserved.value",
                [("value", Arg::text(v.clone()))],
            ),
            None => Message::plain("kubelet_config.reserved.none"),
        })
    };
    out.push(Finding::new(
        Severity::Info,
        Message::with(
            "kubelet_config.memory",
            [
                ("form", Arg::message(form)),
                ("hard", Arg::message(hard)),
                ("kube_reserved", reserved(&c.kube_reserved)),
                ("system_reserved", reserved(&c.system_reserved)),
            ],
        ),
        {
            let mut v = line("evictionHard", "--eviction-hard");
            v.extend(line("kubeReserved", "--kube-reserved"));
            v.extend(line("systemReserved", "--system-reserved"));
            v.sort_unstable();
            v.dedup();
            v
        },
    ));
    if let Some(m) = &c.eviction_hard {
        if !m.contains_key("memory.available") {
            out.push(
                Finding::new(
                    Severity::Warning,
                    Message::plain("kubelet_config.no_memory_hard_threshold"),
                    line("evictionHard", "--eviction-hard"),
                )
                .advice(Message::plain(
                    "advice.kubelet_config.no_memory_hard_threshold",
                )),
            );
        }
    }
    if !c.eviction_soft.is_empty() {
        let missing: Vec<&str> = c
            .eviction_soft
            .keys()
            .filter(|k| !c.eviction_soft_grace_period.contains_key(*k))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            out.push(Finding::new(
                Severity::Warning,
                Message::with(
                    "kubelet_config.soft_without_grace",
                    [("thresholds", Arg::text(missing.join(", ")))],
                ),
                line("evictionSoft", "--eviction-soft"),
            ));
        }
    }
    if let Some(e) = &c.enforce_node_allocatable {
        if !e.iter().any(|k| k == "pods") {
            out.push(Finding::new(
                Severity::Warning,
                Message::plain("kubelet_config.no_pods_enforcement"),
                line("enforceNodeAllocatable", "--enforce-node-allocatable"),
            ));
        }
    }
    if c.cgroups_per_qos == Some(false) {
        out.push(Finding::new(
            Severity::Warning,
            Message::plain("kubelet_config.no_cgroups_per_qos"),
            line("cgroupsPerQOS", "--cgroups-per-qos"),
        ));
    }
    for w in &r.wrong_types {
        out.push(
            Finding::new(
                Severity::Critical,
                Message::with(
                    "kubelet_config.wrong_type",
                    [
                        ("field", Arg::text(w.field.clone())),
                        ("line", Arg::Int(w.line as i64)),
                        (
                            "expected",
                            Arg::message(Message::plain(type_id(w.expected))),
                        ),
                        (
                            "found",
                            Arg::message(match &w.value {
                                Some(v) => Message::with(
                                    "kubelet_config.found.value",
                                    [
                                        ("kind", Arg::message(Message::plain(type_id(w.found)))),
                                        ("value", Arg::text(v.clone())),
                                    ],
                                ),
                                None => Message::plain(type_id(w.found)),
                            }),
                        ),
                    ],
                ),
                vec![w.line],
            )
            .advice(Message::with(
                "advice.kubelet_config.wrong_type",
                [("field", Arg::text(w.field.clone()))],
            )),
        );
    }
    for e in &r.errors {
        out.push(Finding::new(
            Severity::Warning,
            Message::with(
                "kubelet_config.unreadable",
                [("error", Arg::text(e.to_string()))],
            ),
            all.clone(),
        ));
    }
    out
}

/// What [`load_failure`] looks for first (kubelet prints `Kubelet` or `kubelet`).
pub const LOAD_FAILURE_ANCHOR: &str = "elet config file";

/// kubelet's log line when it cannot load its configuration file and exits
/// (`cmd/kubelet/app/server.go` `loadConfigFile`, `pkg/kubelet/kubeletconfig/configfiles`):
/// `failed to load Kubelet config file /etc/kubernetes/kubelet-config.yaml, error failed to
/// decode, error: v1beta1.KubeletConfiguration.EvictionSoft: ReadMapCB: …` (json-iterator, ≤ 1.14),
/// `… failed to decode: json: cannot unmarshal string into Go struct field
/// KubeletConfiguration.kubeReserved of type map[string]string` (later), or
/// `failed to read kubelet config file "/var/lib/kubelet/config.yaml", error: open …`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadFailure {
    /// Its line.
    pub line: usize,
    /// The file, when the line names it.
    pub path: Option<String>,
    /// The field the decoder stopped at (`evictionSoft`), when named.
    pub field: Option<String>,
    /// The decoder's or the file system's words after the field (cut to 160 characters).
    pub detail: Option<String>,
}

/// Reads a kubelet configuration load failure from one line; `None` for any other line.
pub fn load_failure(text: &str, line: usize) -> Option<LoadFailure> {
    let at = [
        "failed to load Kubelet config file",
        "failed to load kubelet config file",
        "failed to read kubelet config file",
    ]
    .iter()
    .filter_map(|a| text.find(a).map(|i| (i, a.len())))
    .min()?;
    let rest = &text[at.0 + at.1..];
    let rest = rest.trim_start_matches([',', ' ']);
    let rest = rest.strip_prefix("path:").unwrap_or(rest).trim_start();
    let path = rest
        .split([',', ' '])
        .next()
        .map(|p| p.trim_matches(['"', '\\']))
        .filter(|p| p.starts_with('/'))
        .map(str::to_string);
    let field = text.find("KubeletConfiguration.").and_then(|i| {
        let f: String = text[i + "KubeletConfiguration.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut c = f.chars();
        let first = c.next()?;
        Some(first.to_ascii_lowercase().to_string() + c.as_str())
    });
    let detail = if let Some(i) = text.find("cannot unmarshal ") {
        Some(&text[i..])
    } else if let Some(i) = text.find("KubeletConfiguration.") {
        text[i..].find(": ").map(|j| &text[i + j + 2..])
    } else {
        text.find("error: ").map(|i| &text[i + "error: ".len()..])
    };
    // json-iterator appends the bytes around the error (`, error found in #10 byte of ...|…|...,
    // bigger context ...`): the reason is before it.
    let detail = detail.map(|d| d.split(", error found in #").next().unwrap_or(d));
    let detail = detail.map(|d| {
        d.trim_end_matches(['"', ' '])
            .chars()
            .take(160)
            .collect::<String>()
    });
    Some(LoadFailure {
        line,
        path,
        field,
        detail,
    })
}

/// The finding for a [`LoadFailure`].
pub fn load_failure_finding(f: &LoadFailure) -> Finding {
    let path = match &f.path {
        Some(p) => Message::with("kubelet_config.load.path", [("path", Arg::text(p.clone()))]),
        None => Message::plain("kubelet_config.load.no_path"),
    };
    let cause = match (&f.field, &f.detail) {
        (Some(field), Some(d)) => Message::with(
            "kubelet_config.load.field",
            [
                ("field", Arg::text(field.clone())),
                ("detail", Arg::text(d.clone())),
            ],
        ),
        (Some(field), None) => Message::with(
            "kubelet_config.load.field_only",
            [("field", Arg::text(field.clone()))],
        ),
        (None, Some(d)) => Message::with(
            "kubelet_config.load.detail",
            [("detail", Arg::text(d.clone()))],
        ),
        (None, None) => Message::plain("kubelet_config.load.no_detail"),
    };
    Finding::new(
        Severity::Critical,
        Message::with(
            "kubelet_config.load_failed",
            [("path", Arg::message(path)), ("cause", Arg::message(cause))],
        ),
        vec![f.line],
    )
    .advice(Message::plain("advice.kubelet_config.load_failed"))
}
