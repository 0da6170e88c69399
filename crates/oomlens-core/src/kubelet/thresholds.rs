//! Eviction thresholds as kubelet parses them: `ParseThresholdConfig`, `parseThresholdStatement`,
//! `parsePercentage`, `parseGracePeriods`, `parseMinimumReclaims` and `addAllocatableThresholds`
//! (`pkg/kubelet/eviction/helpers.go`), `GetThresholdQuantity` (`pkg/kubelet/eviction/api/types.go`),
//! the Linux defaults (`pkg/kubelet/eviction/defaults_linux.go`) and Go's `time.ParseDuration`.
//!
//! All signals are parsed (so errors match kubelet's), the memory ones are what the model uses.
//! Modelled for kubelet 1.25 → 1.37 (the parsing has not changed in that range).

use crate::api::kubelet_config::KubeletConfig;
use crate::base::derivation::Derivation;
use crate::base::go_duration::parse_go_duration;
use crate::base::quantity::Quantity;
use serde::Serialize;
use std::collections::BTreeMap;

/// Upstream file of the parsing rules.
pub const SOURCE_HELPERS: &str =
    "kubernetes/kubernetes pkg/kubelet/eviction/helpers.go (ParseThresholdConfig)";
/// Upstream file of `GetThresholdQuantity`.
pub const SOURCE_TYPES: &str =
    "kubernetes/kubernetes pkg/kubelet/eviction/api/types.go (GetThresholdQuantity)";

/// `memory.available`: node memory (capacity − working set of the root cgroup).
pub const SIGNAL_MEMORY_AVAILABLE: &str = "memory.available";
/// `allocatableMemory.available`: kubepods limit − kubepods working set.
pub const SIGNAL_ALLOCATABLE_MEMORY_AVAILABLE: &str = "allocatableMemory.available";

/// Every signal `validSignal` accepts (`signalToResource` keys in helpers.go).
pub const VALID_SIGNALS: [&str; 9] = [
    SIGNAL_MEMORY_AVAILABLE,
    SIGNAL_ALLOCATABLE_MEMORY_AVAILABLE,
    "imagefs.available",
    "imagefs.inodesFree",
    "containerfs.available",
    "containerfs.inodesFree",
    "nodefs.available",
    "nodefs.inodesFree",
    "pid.available",
];

/// `DefaultEvictionHard` of `defaults_linux.go`, used when `evictionHard` is absent.
pub const DEFAULT_EVICTION_HARD: [(&str, &str); 5] = [
    ("memory.available", "100Mi"),
    ("nodefs.available", "10%"),
    ("nodefs.inodesFree", "5%"),
    ("imagefs.available", "15%"),
    ("imagefs.inodesFree", "5%"),
];

/// `kubetypes.NodeAllocatableEnforcementKey`.
pub const NODE_ALLOCATABLE_ENFORCEMENT_KEY: &str = "pods";

/// A threshold value: a quantity or a float32 fraction of capacity (`evictionapi.ThresholdValue`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThresholdValue {
    /// An absolute quantity, in whole units (bytes for memory), with the parsed quantity.
    Quantity {
        /// `Quantity.Value()`.
        value: i64,
        /// The parsed quantity (its canonical string is what kubelet prints).
        #[serde(skip)]
        quantity: Quantity,
    },
    /// A fraction of capacity in (0, 1], float32 as kubelet stores it (`10%` → 0.1f32).
    Percentage(f32),
}

impl ThresholdValue {
    /// `GetThresholdQuantity`: quantities as is; percentages as
    /// `int64(float64(capacity) * float64(percentage))` — the float32 fraction makes 5 % of 10Gi
    /// 536870920, not 536870912.
    pub fn quantity_for(&self, capacity: i64) -> i64 {
        match self {
            ThresholdValue::Quantity { value, .. } => *value,
            ThresholdValue::Percentage(p) => go_f64_to_i64(capacity as f64 * f64::from(*p)),
        }
    }

    /// The value as written back by kubelet logs: `100Mi` or `10%`.
    pub fn describe(&self) -> String {
        match self {
            ThresholdValue::Quantity { quantity, .. } => quantity.to_string(),
            ThresholdValue::Percentage(p) => format!("{}%", *p * 100.0),
        }
    }

    /// A [`Derivation`] of [`ThresholdValue::quantity_for`] for `field`.
    pub fn derive(&self, field: &str, capacity: i64) -> Derivation {
        let q = self.quantity_for(capacity);
        match self {
            ThresholdValue::Quantity { quantity, .. } => Derivation::new(
                field,
                "eviction.threshold.quantity",
                "threshold = quantity",
                format!("{quantity} = {q}"),
                SOURCE_TYPES,
            ),
            ThresholdValue::Percentage(p) => Derivation::new(
                field,
                "eviction.threshold.percentage",
                "threshold = int64(float64(capacity) × float64(float32(percent/100)))",
                format!("int64({capacity} × {}) = {q}", f64::from(*p)),
                SOURCE_TYPES,
            )
            .with_version_rule("float32 percentage arithmetic (all modelled versions)"),
        }
    }
}

/// Go's float64 → int64 conversion for in-range values (truncation); saturating outside.
fn go_f64_to_i64(v: f64) -> i64 {
    if v.is_nan() {
        0
    } else if v >= i64::MAX as f64 {
        i64::MAX
    } else if v <= i64::MIN as f64 {
        i64::MIN
    } else {
        v.trunc() as i64
    }
}

/// Hard (grace 0) or soft threshold.
/// Hard or soft eviction threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThresholdKind {
    /// `evictionHard`.
    Hard,
    /// `evictionSoft`.
    Soft,
}

/// One parsed threshold (`evictionapi.Threshold`); operator is always `LessThan`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// The eviction signal, e.g. `memory.available`.
    pub signal: String,
    /// Hard or soft.
    pub kind: ThresholdKind,
    /// The threshold value.
    pub value: ThresholdValue,
    /// Grace period in nanoseconds (0 for hard thresholds).
    pub grace_period_ns: i64,
    /// `evictionMinimumReclaim` for the signal, if set.
    pub min_reclaim: Option<ThresholdValue>,
    /// True for the `allocatableMemory.available` copy `addAllocatableThresholds` made.
    pub derived_from_memory_available: bool,
}

impl Threshold {
    /// `isHardEvictionThreshold`: grace period is zero.
    pub fn is_hard(&self) -> bool {
        self.grace_period_ns == 0
    }

    /// True for the memory signals.
    pub fn is_memory(&self) -> bool {
        self.signal == SIGNAL_MEMORY_AVAILABLE || self.signal == SIGNAL_ALLOCATABLE_MEMORY_AVAILABLE
    }

    /// The threshold in bytes against `capacity`.
    pub fn quantity(&self, capacity: i64) -> i64 {
        self.value.quantity_for(capacity)
    }

    /// Minimum reclaim in bytes against `capacity` (0 when unset).
    pub fn min_reclaim_quantity(&self, capacity: i64) -> i64 {
        self.min_reclaim.map_or(0, |m| m.quantity_for(capacity))
    }

    /// Grace period in seconds.
    pub fn grace_period_seconds(&self) -> f64 {
        self.grace_period_ns as f64 / 1e9
    }
}

/// A threshold parsing error: kubelet's words plus the scenario field path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThresholdError {
    /// e.g. `node.kubeletConfig.evictionHard["memory.available"]`.
    pub path: String,
    /// kubelet's message, e.g. `eviction threshold memory.available must be positive: 0`.
    pub message: String,
}

impl std::fmt::Display for ThresholdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ThresholdError {}

fn path(field: &str, signal: &str) -> String {
    format!("node.kubeletConfig.{field}[{signal:?}]")
}

fn terr(field: &str, signal: &str, message: impl Into<String>) -> ThresholdError {
    ThresholdError {
        path: path(field, signal),
        message: message.into(),
    }
}

/// `validSignal`.
pub fn valid_signal(signal: &str) -> bool {
    VALID_SIGNALS.contains(&signal)
}

/// The Go error `resource.ParseQuantity` returns for malformed input (`ErrFormatWrong`).
const ERR_FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

fn parse_quantity_go(val: &str) -> Result<Quantity, String> {
    if val != val.trim() {
        return Err(ERR_FORMAT_WRONG.to_string());
    }
    Quantity::parse(val).map_err(|_| ERR_FORMAT_WRONG.to_string())
}

/// `parsePercentage`: `strconv.ParseFloat(strings.TrimRight(v, "%"), 32)`, then `float32(v) / 100`
/// in float32. Errors are Go's `strconv.ParseFloat` errors.
pub fn parse_percentage(input: &str) -> Result<f32, String> {
    let num = input.trim_end_matches('%');
    let lower = num.trim_start_matches(['+', '-']).to_ascii_lowercase();
    let is_literal = matches!(lower.as_str(), "inf" | "infinity" | "nan");
    let syntax_ok = is_literal
        || (!num.is_empty()
            && num
                .bytes()
                .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')));
    let parsed = if syntax_ok {
        crate::base::decimal::parse_f32(num)
    } else {
        None
    };
    match parsed {
        // Well-formed but beyond the exact reader (`base::decimal`).
        None if crate::base::decimal::is_well_formed(num) => Err(format!(
            "percentage {input:?} is written with more precision than oomlens reads exactly \
             (at most 19 significant digits)"
        )),
        None => Err(format!(
            "strconv.ParseFloat: parsing {num:?}: invalid syntax"
        )),
        Some(v) if v.is_infinite() && !is_literal => Err(format!(
            "strconv.ParseFloat: parsing {num:?}: value out of range"
        )),
        Some(v) if v.is_nan() => Err(format!(
            "percentage {input:?} is not a number (oomlens refuses NaN)"
        )),
        Some(v) => Ok(v / 100.0),
    }
}

/// `parseThresholdStatement`: `None` when the statement is ignored (`0%`, `100%`).
pub fn parse_threshold_statement(
    signal: &str,
    val: &str,
) -> Result<Option<ThresholdValue>, String> {
    if !valid_signal(signal) {
        return Err(format!("unsupported eviction signal {signal}"));
    }
    if val.ends_with('%') {
        if val == "0%" || val == "100%" {
            return Ok(None);
        }
        let p = parse_percentage(val)?;
        if p < 0.0 {
            return Err(format!(
                "eviction percentage threshold {signal} must be >= 0%: {val}"
            ));
        }
        if p > 1.0 {
            return Err(format!(
                "eviction percentage threshold {signal} must be <= 100%: {val}"
            ));
        }
        return Ok(Some(ThresholdValue::Percentage(p)));
    }
    let q = parse_quantity_go(val)?;
    if q.is_negative() || q.is_zero() {
        return Err(format!("eviction threshold {signal} must be positive: {q}"));
    }
    Ok(Some(ThresholdValue::Quantity {
        value: q.value(),
        quantity: q,
    }))
}

/// `parseMinimumReclaims` for one statement.
pub fn parse_minimum_reclaim(signal: &str, val: &str) -> Result<ThresholdValue, String> {
    if !valid_signal(signal) {
        return Err(format!("unsupported eviction signal {signal}"));
    }
    if val.ends_with('%') {
        let p = parse_percentage(val)?;
        if p <= 0.0 {
            return Err(format!(
                "eviction percentage minimum reclaim {signal} must be positive: {val}"
            ));
        }
        return Ok(ThresholdValue::Percentage(p));
    }
    let q = parse_quantity_go(val)?;
    if q.is_negative() {
        return Err(format!(
            "negative eviction minimum reclaim specified for {signal}"
        ));
    }
    Ok(ThresholdValue::Quantity {
        value: q.value(),
        quantity: q,
    })
}

/// `parseGracePeriods` for one statement: nanoseconds.
pub fn parse_grace_period(signal: &str, val: &str) -> Result<i64, String> {
    if !valid_signal(signal) {
        return Err(format!("unsupported eviction signal {signal}"));
    }
    let d = parse_go_duration(val)?;
    if d < 0 {
        return Err(format!(
            "invalid eviction grace period specified: {val}, must be a positive value"
        ));
    }
    Ok(d)
}

/// Parses the flag form `memory.available<100Mi,nodefs.available<10%` (`--eviction-hard`,
/// `--eviction-soft`) or `memory.available=30s` (`--eviction-soft-grace-period`,
/// `--eviction-minimum-reclaim`) into the map form. Duplicate keys and missing operators are
/// errors, as in kubelet's `cliflag.LangleSeparatedMapStringString` / `MapStringString`.
pub fn parse_eviction_flag(flag: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if flag.trim().is_empty() {
        return Ok(out);
    }
    for item in flag.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (k, v) = if let Some((k, v)) = item.split_once('<') {
            (k, v)
        } else if let Some((k, v)) = item.split_once('=') {
            (k, v)
        } else {
            return Err(format!(
                "malformed pair, expect string<string or string=string: {item:?}"
            ));
        };
        let k = k.trim();
        if out.insert(k.to_string(), v.trim().to_string()).is_some() {
            return Err(format!("duplicate eviction setting for {k}"));
        }
    }
    Ok(out)
}

/// The thresholds of a kubelet configuration, with what the model needs about them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParsedThresholds {
    /// Every threshold, hard first (in signal order), then soft, then the allocatable copies.
    pub all: Vec<Threshold>,
    /// True when `evictionHard` was absent and the Linux defaults applied.
    pub hard_defaulted: bool,
}

impl ParsedThresholds {
    /// Only the memory thresholds (`memory.available`, `allocatableMemory.available`).
    pub fn memory(&self) -> impl Iterator<Item = &Threshold> {
        self.all.iter().filter(|t| t.is_memory())
    }

    /// The hard `memory.available` threshold, if any (the one node allocatable subtracts).
    pub fn hard_memory_available(&self) -> Option<&Threshold> {
        self.all
            .iter()
            .find(|t| t.signal == SIGNAL_MEMORY_AVAILABLE && t.kind == ThresholdKind::Hard)
    }
}

/// `ParseThresholdConfig` on maps, as kubelet receives them. `allocatable_config` is
/// `enforceNodeAllocatable`; `field` names are used in error paths.
pub fn parse_threshold_maps(
    allocatable_config: &[String],
    eviction_hard: &BTreeMap<String, String>,
    eviction_soft: &BTreeMap<String, String>,
    eviction_soft_grace_period: &BTreeMap<String, String>,
    eviction_minimum_reclaim: &BTreeMap<String, String>,
) -> Result<Vec<Threshold>, ThresholdError> {
    let mut results = Vec::new();
    for (signal, val) in eviction_hard {
        if let Some(value) =
            parse_threshold_statement(signal, val).map_err(|m| terr("evictionHard", signal, m))?
        {
            results.push(Threshold {
                signal: signal.clone(),
                kind: ThresholdKind::Hard,
                value,
                grace_period_ns: 0,
                min_reclaim: None,
                derived_from_memory_available: false,
            });
        }
    }
    let mut soft = Vec::new();
    for (signal, val) in eviction_soft {
        if let Some(value) =
            parse_threshold_statement(signal, val).map_err(|m| terr("evictionSoft", signal, m))?
        {
            soft.push((signal.clone(), value));
        }
    }
    let mut grace = BTreeMap::new();
    for (signal, val) in eviction_soft_grace_period {
        let g = parse_grace_period(signal, val)
            .map_err(|m| terr("evictionSoftGracePeriod", signal, m))?;
        grace.insert(signal.clone(), g);
    }
    let mut min_reclaims = BTreeMap::new();
    for (signal, val) in eviction_minimum_reclaim {
        let m = parse_minimum_reclaim(signal, val)
            .map_err(|m| terr("evictionMinimumReclaim", signal, m))?;
        min_reclaims.insert(signal.clone(), m);
    }
    for (signal, value) in soft {
        let Some(&g) = grace.get(&signal) else {
            return Err(terr(
                "evictionSoftGracePeriod",
                &signal,
                format!("grace period must be specified for the soft eviction threshold {signal}"),
            ));
        };
        // A soft threshold with grace 0 acts as hard in the eviction manager
        // (isHardEvictionThreshold), but stays out of the allocatable reservation, which kubelet
        // computes from evictionHard alone (server.go: ParseThresholdConfig([]string{}, EvictionHard, nil, nil, nil)).
        results.push(Threshold {
            signal,
            kind: ThresholdKind::Soft,
            value,
            grace_period_ns: g,
            min_reclaim: None,
            derived_from_memory_available: false,
        });
    }
    for t in &mut results {
        if let Some(m) = min_reclaims.get(&t.signal) {
            t.min_reclaim = Some(*m);
        }
    }
    if allocatable_config
        .iter()
        .any(|k| k == NODE_ALLOCATABLE_ENFORCEMENT_KEY)
    {
        results = add_allocatable_thresholds(results);
    }
    Ok(results)
}

/// `addAllocatableThresholds`: each hard `memory.available` threshold is copied to
/// `allocatableMemory.available` (same value and minimum reclaim, grace 0).
pub fn add_allocatable_thresholds(thresholds: Vec<Threshold>) -> Vec<Threshold> {
    let extra: Vec<Threshold> = thresholds
        .iter()
        .filter(|t| t.signal == SIGNAL_MEMORY_AVAILABLE && t.is_hard())
        .map(|t| Threshold {
            signal: SIGNAL_ALLOCATABLE_MEMORY_AVAILABLE.to_string(),
            kind: ThresholdKind::Hard,
            value: t.value,
            grace_period_ns: 0,
            min_reclaim: t.min_reclaim,
            derived_from_memory_available: true,
        })
        .collect();
    let mut out = thresholds;
    out.extend(extra);
    out
}

/// The effective `enforceNodeAllocatable` (`None` → `["pods"]`).
pub fn enforce_node_allocatable(cfg: &KubeletConfig) -> Vec<String> {
    cfg.enforce_node_allocatable
        .clone()
        .unwrap_or_else(|| vec![NODE_ALLOCATABLE_ENFORCEMENT_KEY.to_string()])
}

/// `ParseThresholdConfig` on a scenario's kubelet configuration; `evictionHard: None` takes the
/// Linux defaults (`defaults_linux.go`). Note: without `mergeDefaultEvictionSettings` (off by
/// default) a user-set `evictionHard` map *replaces* the defaults entirely.
pub fn parse_threshold_config(cfg: &KubeletConfig) -> Result<ParsedThresholds, ThresholdError> {
    // kubelet's defaults only when evictionHard is absent (built only then).
    let defaults: BTreeMap<String, String>;
    let (hard, hard_defaulted) = match &cfg.eviction_hard {
        Some(h) => (h, false),
        None => {
            defaults = crate::base::sort::str_map(&DEFAULT_EVICTION_HARD);
            (&defaults, true)
        }
    };
    let all = parse_threshold_maps(
        &enforce_node_allocatable(cfg),
        hard,
        &cfg.eviction_soft,
        &cfg.eviction_soft_grace_period,
        &cfg.eviction_minimum_reclaim,
    )?;
    Ok(ParsedThresholds {
        all,
        hard_defaulted,
    })
}
