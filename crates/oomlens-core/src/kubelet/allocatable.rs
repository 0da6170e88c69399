//! Node allocatable memory and the kubepods cgroup limit, as kubelet computes them:
//! `GetNodeAllocatableReservation`, `hardEvictionReservation`, `getNodeAllocatableAbsoluteImpl`
//! and `enforceNodeAllocatableCgroups` (`pkg/kubelet/cm/node_container_manager_linux.go`),
//! `validateNodeAllocatable` (`pkg/kubelet/cm/container_manager_linux.go`), the node-status
//! `MachineInfo` setter (`pkg/kubelet/nodestatus/setters.go`: allocatable floored at 0, then every
//! `hugepages-*` capacity subtracted from memory) and the `enforceNodeAllocatable` checks of
//! `pkg/kubelet/apis/config/validation/validation.go`. Same rules in kubelet 1.25 → 1.37.

use crate::api::kubelet_config::KubeletConfig;
use crate::base::derivation::Derivation;
use crate::base::quantity::Quantity;
use crate::kubelet::thresholds::{self, ParsedThresholds};
use serde::Serialize;

const SRC_NCM: &str = "kubernetes/kubernetes pkg/kubelet/cm/node_container_manager_linux.go";
const SRC_CM: &str =
    "kubernetes/kubernetes pkg/kubelet/cm/container_manager_linux.go (validateNodeAllocatable)";
const SRC_SETTERS: &str = "kubernetes/kubernetes pkg/kubelet/nodestatus/setters.go (MachineInfo)";
const SRC_VALIDATION: &str =
    "kubernetes/kubernetes pkg/kubelet/apis/config/validation/validation.go";

/// Valid `enforceNodeAllocatable` keys (`kubetypes.*EnforcementKey`, `NodeAllocatableNoneKey`).
pub const ENFORCEMENT_KEYS: [&str; 6] = [
    "pods",
    "system-reserved",
    "kube-reserved",
    "system-reserved-compressible",
    "kube-reserved-compressible",
    "none",
];

/// The memory figures of a node, each with its derivation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeAllocatable {
    /// Capacity (MemTotal).
    pub capacity_bytes: i64,
    /// `kubeReserved.memory` (0 when unset).
    pub kube_reserved_bytes: i64,
    /// `systemReserved.memory` (0 when unset).
    pub system_reserved_bytes: i64,
    /// The hard `memory.available` threshold resolved against capacity (0 when none).
    pub hard_eviction_bytes: i64,
    /// Σ hugepages-* capacity subtracted from allocatable memory by the node-status setter.
    pub hugepages_bytes: i64,
    /// kube + system + hard eviction.
    pub reservation_bytes: i64,
    /// `max(0, capacity − reservation)`, then `max(0, … − hugepages)`.
    pub allocatable_bytes: i64,
    /// `capacity − system − kube` (floored at 0): the absolute node allocatable MemoryQoS and the
    /// kubepods cgroup use. The eviction threshold is NOT subtracted.
    pub node_allocatable_absolute_bytes: i64,
    /// memory.max of the kubepods cgroup; `None` when not enforced (cgroupsPerQOS off or no `pods`).
    pub kubepods_limit_bytes: Option<i64>,
    /// The effective `enforceNodeAllocatable`.
    pub enforce_node_allocatable: Vec<String>,
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// An allocatable configuration error: kubelet's words plus the scenario field path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllocatableError {
    /// e.g. `node.kubeletConfig.kubeReserved["memory"]`.
    pub path: String,
    /// kubelet's message.
    pub message: String,
}

impl std::fmt::Display for AllocatableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for AllocatableError {}

/// Parses a reserved memory quantity (`kubeReserved`/`systemReserved` `memory`), 0 when absent.
/// Negative values are rejected as kubelet's flag/config validation does.
pub fn reserved_memory(
    map: &std::collections::BTreeMap<String, String>,
    field: &str,
) -> Result<i64, AllocatableError> {
    let Some(v) = map.get("memory") else {
        return Ok(0);
    };
    let path = format!("node.kubeletConfig.{field}[\"memory\"]");
    let q = Quantity::parse(v).map_err(|e| AllocatableError {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if q.is_negative() {
        return Err(AllocatableError {
            path,
            message: format!("resource quantity for \"memory\" of {v} must be non-negative"),
        });
    }
    Ok(q.value())
}

/// `enforceNodeAllocatable` validation (validation.go), with kubelet's error texts. The
/// `*-reserved` keys also need `systemReservedCgroup`/`kubeReservedCgroup`, which the scenario
/// does not carry; that check is left to the caller.
pub fn validate_enforce_node_allocatable(
    keys: &[String],
    cgroups_per_qos: bool,
) -> Result<(), AllocatableError> {
    let path = "node.kubeletConfig.enforceNodeAllocatable".to_string();
    if !cgroups_per_qos && !keys.is_empty() {
        return Err(AllocatableError {
            path,
            message: "invalid configuration: enforceNodeAllocatable (--enforce-node-allocatable) is not supported unless cgroupsPerQOS (--cgroups-per-qos) feature is turned on".into(),
        });
    }
    for k in keys {
        if k == "none" && keys.len() > 1 {
            return Err(AllocatableError {
                path,
                message: "invalid configuration: enforceNodeAllocatable (--enforce-node-allocatable) may not contain additional enforcements when \"none\" is specified".into(),
            });
        }
        if !ENFORCEMENT_KEYS.contains(&k.as_str()) {
            return Err(AllocatableError {
                path,
                message: format!(
                    "invalid configuration: option {k:?} specified for enforceNodeAllocatable (--enforce-node-allocatable). Valid options are \"pods\", \"system-reserved\", \"kube-reserved\", or \"none\""
                ),
            });
        }
    }
    Ok(())
}

/// `GetNodeAllocatableReservation` + node status + kubepods limit, from plain numbers.
/// `hard_memory_available` is the hard `memory.available` threshold value (`evictionHard` only);
/// `hugepages_bytes` the Σ of `hugepages-*` capacities.
pub fn compute_node_allocatable(
    capacity_bytes: i64,
    kube_reserved_bytes: i64,
    system_reserved_bytes: i64,
    hard_memory_available: Option<&thresholds::ThresholdValue>,
    hugepages_bytes: i64,
    cgroups_per_qos: bool,
    enforce_node_allocatable: &[String],
) -> Result<NodeAllocatable, AllocatableError> {
    compute_node_allocatable_with(
        capacity_bytes,
        kube_reserved_bytes,
        system_reserved_bytes,
        hard_memory_available,
        hugepages_bytes,
        cgroups_per_qos,
        enforce_node_allocatable,
        true,
    )
}

/// [`compute_node_allocatable`]; with `derive` false `derivations` stays empty.
#[allow(clippy::too_many_arguments)]
pub fn compute_node_allocatable_with(
    capacity_bytes: i64,
    kube_reserved_bytes: i64,
    system_reserved_bytes: i64,
    hard_memory_available: Option<&thresholds::ThresholdValue>,
    hugepages_bytes: i64,
    cgroups_per_qos: bool,
    enforce_node_allocatable: &[String],
    derive: bool,
) -> Result<NodeAllocatable, AllocatableError> {
    let hard_eviction_bytes = hard_memory_available.map_or(0, |v| v.quantity_for(capacity_bytes));
    let reservation_bytes = kube_reserved_bytes
        .saturating_add(system_reserved_bytes)
        .saturating_add(hard_eviction_bytes);
    if reservation_bytes > capacity_bytes {
        return Err(AllocatableError {
            path: "node.kubeletConfig".into(),
            message: format!(
                "invalid Node Allocatable configuration. Resource \"memory\" has a reservation of {} but capacity of {}. Expected capacity >= reservation.",
                Quantity::from_bytes(reservation_bytes),
                Quantity::from_bytes(capacity_bytes)
            ),
        });
    }
    let before_huge = capacity_bytes.saturating_sub(reservation_bytes).max(0);
    let allocatable_bytes = before_huge.saturating_sub(hugepages_bytes).max(0);
    let absolute = capacity_bytes
        .saturating_sub(system_reserved_bytes)
        .saturating_sub(kube_reserved_bytes)
        .max(0);
    let enforced = cgroups_per_qos && enforce_node_allocatable.iter().any(|k| k == "pods");
    let kubepods_limit_bytes = enforced.then_some(absolute);
    let mut na = NodeAllocatable {
        capacity_bytes,
        kube_reserved_bytes,
        system_reserved_bytes,
        hard_eviction_bytes,
        hugepages_bytes,
        reservation_bytes,
        allocatable_bytes,
        node_allocatable_absolute_bytes: absolute,
        kubepods_limit_bytes,
        enforce_node_allocatable: enforce_node_allocatable.to_vec(),
        derivations: Vec::new(),
    };
    if derive {
        na.derivations = computation_derivations(&na, hard_memory_available, cgroups_per_qos);
    }
    Ok(na)
}

/// The derivations of [`compute_node_allocatable`], rendered from its numbers: the hard threshold
/// (when there is one), the reservation, allocatable, the absolute allocatable and the kubepods
/// limit.
fn computation_derivations(
    na: &NodeAllocatable,
    hard_memory_available: Option<&thresholds::ThresholdValue>,
    cgroups_per_qos: bool,
) -> Vec<Derivation> {
    let NodeAllocatable {
        capacity_bytes,
        kube_reserved_bytes,
        system_reserved_bytes,
        hard_eviction_bytes,
        hugepages_bytes,
        reservation_bytes,
        allocatable_bytes,
        node_allocatable_absolute_bytes: absolute,
        kubepods_limit_bytes,
        ..
    } = *na;
    let mut derivations = Vec::with_capacity(7);
    if let Some(v) = hard_memory_available {
        derivations.push(v.derive("hard_eviction_bytes", capacity_bytes));
    }
    derivations.push(
        Derivation::new(
            "reservation_bytes",
            "allocatable.reservation",
            "reservation = systemReserved + kubeReserved + hardEviction(memory.available)",
            format!("{system_reserved_bytes} + {kube_reserved_bytes} + {hard_eviction_bytes} = {reservation_bytes}"),
            format!("{SRC_NCM} (GetNodeAllocatableReservation, hardEvictionReservation)"),
        )
        .with_version_rule("soft thresholds are never subtracted (all modelled versions)"),
    );
    let huge_note = if hugepages_bytes > 0 {
        format!(" − {hugepages_bytes} (hugepages)")
    } else {
        String::new()
    };
    derivations.push(Derivation::new(
        "allocatable_bytes",
        "allocatable.capacity_minus_reservations",
        "allocatable = max(0, capacity − reservation) − Σ hugepages-* capacity, floored at 0",
        format!("max(0, {capacity_bytes} − {reservation_bytes}){huge_note} = {allocatable_bytes}"),
        SRC_SETTERS,
    ));
    derivations.push(Derivation::new(
        "node_allocatable_absolute_bytes",
        "allocatable.absolute",
        "nodeAllocatableAbsolute = max(0, capacity − systemReserved − kubeReserved)",
        format!("max(0, {capacity_bytes} − {system_reserved_bytes} − {kube_reserved_bytes}) = {absolute}"),
        format!("{SRC_NCM} (getNodeAllocatableAbsoluteImpl)"),
    ));
    let enforced = kubepods_limit_bytes.is_some();
    let enforce_node_allocatable = &na.enforce_node_allocatable;
    derivations.push(Derivation::new(
        "kubepods_limit_bytes",
        if enforced { "allocatable.kubepods_limit" } else { "allocatable.kubepods_unlimited" },
        "kubepods memory.max = capacity − systemReserved − kubeReserved (eviction threshold NOT subtracted), only when cgroupsPerQOS and enforceNodeAllocatable contains \"pods\"",
        if enforced {
            format!("{capacity_bytes} − {system_reserved_bytes} − {kube_reserved_bytes} = {absolute}")
        } else {
            format!("not enforced (cgroupsPerQOS={cgroups_per_qos}, enforceNodeAllocatable={enforce_node_allocatable:?}): kubepods is bounded only by the node")
        },
        format!("{SRC_NCM} (enforceNodeAllocatableCgroups)"),
    ));
    derivations
}

/// Every derivation of [`node_allocatable`], rendered from the numbers it computed, the hard
/// `memory.available` threshold value and `cgroupsPerQOS`: the computation's, then the capacity
/// check and the `enforceNodeAllocatable` keys.
pub fn node_allocatable_derivations(
    na: &NodeAllocatable,
    hard_memory_available: Option<&thresholds::ThresholdValue>,
    cgroups_per_qos: bool,
) -> Vec<Derivation> {
    let mut derivations = computation_derivations(na, hard_memory_available, cgroups_per_qos);
    derivations.push(Derivation::new(
        "capacity_bytes",
        "allocatable.validate",
        "capacity ≥ reservation",
        format!("{} ≥ {}", na.capacity_bytes, na.reservation_bytes),
        SRC_CM,
    ));
    derivations.push(Derivation::new(
        "enforce_node_allocatable",
        "allocatable.enforce_keys",
        "enforceNodeAllocatable ⊆ {pods, system-reserved, kube-reserved, *-compressible, none}; none alone; needs cgroupsPerQOS",
        format!("{:?} (cgroupsPerQOS={cgroups_per_qos})", na.enforce_node_allocatable),
        SRC_VALIDATION,
    ));
    derivations
}

/// The whole node computation from a scenario's kubelet configuration: validates
/// `enforceNodeAllocatable`, parses reservations and `thresholds` (already parsed by
/// [`thresholds::parse_threshold_config`]) and computes allocatable and the kubepods limit.
pub fn node_allocatable(
    capacity_bytes: i64,
    hugepages_bytes: i64,
    cfg: &KubeletConfig,
    thresholds: &ParsedThresholds,
) -> Result<NodeAllocatable, AllocatableError> {
    node_allocatable_with(capacity_bytes, hugepages_bytes, cfg, thresholds, true)
}

/// [`node_allocatable`]; with `derive` false `derivations` stays empty.
pub fn node_allocatable_with(
    capacity_bytes: i64,
    hugepages_bytes: i64,
    cfg: &KubeletConfig,
    thresholds: &ParsedThresholds,
    derive: bool,
) -> Result<NodeAllocatable, AllocatableError> {
    let cgroups_per_qos = cfg.cgroups_per_qos.unwrap_or(true);
    let enforce = thresholds::enforce_node_allocatable(cfg);
    validate_enforce_node_allocatable(&enforce, cgroups_per_qos)?;
    let kube = reserved_memory(&cfg.kube_reserved, "kubeReserved")?;
    let system = reserved_memory(&cfg.system_reserved, "systemReserved")?;
    let hard = thresholds.hard_memory_available().map(|t| t.value);
    let mut na = compute_node_allocatable_with(
        capacity_bytes,
        kube,
        system,
        hard.as_ref(),
        hugepages_bytes,
        cgroups_per_qos,
        &enforce,
        false,
    )?;
    if derive {
        na.derivations = node_allocatable_derivations(&na, hard.as_ref(), cgroups_per_qos);
    }
    Ok(na)
}
