//! Pod QoS class, as `pkg/apis/core/v1/helper/qos/qos.go` computes it (`ComputePodQOS`,
//! `GetPodQOS`), in its released summing form (v1.28–v1.35, with the PodLevelResources branch from
//! 1.32): per-resource sums of positive cpu/memory quantities over containers and init containers
//! (or over `spec.resources` when PodLevelResources is on and it is set); Guaranteed needs a
//! positive cpu and memory limit everywhere and summed requests equal to summed limits. The
//! per-container form on master agrees with it for every valid pod (request ≤ limit).
//!
//! oomlens computes on the pod as the API server stores it ([`defaulted_pod`]: container requests
//! defaulted from limits, pod-level requests from pod-level limits), so a limits-only container is
//! Guaranteed as in a real cluster; [`compute_pod_qos_raw`] is the as-given upstream entry point.

use crate::derivation::Derivation;
use crate::pod::{Pod, ResourceList, ResourceRequirements};
use crate::quantity::Quantity;
use crate::resources::defaulted_pod;
use crate::rules::KubeletRules;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

const SRC: &str = "kubernetes/kubernetes pkg/apis/core/v1/helper/qos/qos.go (ComputePodQOS)";

/// A pod's QoS class (`v1.PodQOSClass`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum QosClass {
    /// Every container has equal cpu and memory requests and limits.
    Guaranteed,
    /// Anything between.
    Burstable,
    /// No cpu or memory request or limit anywhere.
    BestEffort,
}

impl QosClass {
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    pub fn as_str(&self) -> &'static str {
        match self {
            QosClass::Guaranteed => "Guaranteed",
            QosClass::Burstable => "Burstable",
            QosClass::BestEffort => "BestEffort",
        }
    }

    /// Parses `status.qosClass` values.
    pub fn parse(s: &str) -> Option<QosClass> {
        match s {
            "Guaranteed" => Some(QosClass::Guaranteed),
            "Burstable" => Some(QosClass::Burstable),
            "BestEffort" => Some(QosClass::BestEffort),
            _ => None,
        }
    }
}

impl fmt::Display for QosClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `isSupportedQoSComputeResource`: only cpu and memory count.
fn is_qos_resource(name: &str) -> bool {
    name == "cpu" || name == "memory"
}

/// Sums of positive cpu/memory quantities, by resource name.
pub type QosSums = BTreeMap<String, Quantity>;

fn add_positive(into: &mut QosSums, l: &ResourceList) -> Vec<String> {
    let mut found = Vec::new();
    for (name, q) in l.entries() {
        if !is_qos_resource(&name) || q <= Quantity::zero() {
            continue;
        }
        found.push(name.clone());
        let sum = match into.get(&name) {
            Some(cur) => cur.saturating_add(&q),
            None => q,
        };
        into.insert(name, sum);
    }
    found
}

fn has_cpu_and_memory(found: &[String]) -> bool {
    found.iter().any(|n| n == "cpu") && found.iter().any(|n| n == "memory")
}

/// `collectPodLevelResources`: positive cpu/memory of `spec.resources`, and whether its limits
/// name both cpu and memory.
pub fn collect_pod_level_resources(r: &ResourceRequirements) -> (QosSums, QosSums, bool) {
    let mut reqs = QosSums::new();
    let mut lims = QosSums::new();
    add_positive(&mut reqs, &r.requests);
    let found = add_positive(&mut lims, &r.limits);
    (reqs, lims, has_cpu_and_memory(&found))
}

/// `collectContainerLevelResources`: positive cpu/memory summed over containers and init
/// containers (as written), and whether every one limits both cpu and memory.
pub fn collect_container_level_resources(pod: &Pod) -> (QosSums, QosSums, bool) {
    let mut reqs = QosSums::new();
    let mut lims = QosSums::new();
    let mut guaranteed = true;
    for c in pod.containers.iter().chain(pod.init_containers.iter()) {
        add_positive(&mut reqs, &c.resources.requests);
        let found = add_positive(&mut lims, &c.resources.limits);
        if !has_cpu_and_memory(&found) {
            guaranteed = false;
        }
    }
    (reqs, lims, guaranteed)
}

/// `ComputePodQOS` on the pod exactly as given (no defaulting): the upstream unit-test entry point.
pub fn compute_pod_qos_raw(pod: &Pod, pod_level_resources_gate: bool) -> QosClass {
    let (reqs, lims, guaranteed) = match (&pod.resources, pod_level_resources_gate) {
        (Some(r), true) => collect_pod_level_resources(r),
        _ => collect_container_level_resources(pod),
    };
    classify(&reqs, &lims, guaranteed)
}

fn classify(reqs: &QosSums, lims: &QosSums, guaranteed: bool) -> QosClass {
    if reqs.is_empty() && lims.is_empty() {
        return QosClass::BestEffort;
    }
    let equal = reqs.iter().all(|(n, r)| lims.get(n) == Some(r));
    if guaranteed && equal && reqs.len() == lims.len() {
        QosClass::Guaranteed
    } else {
        QosClass::Burstable
    }
}

fn sums_text(s: &QosSums) -> String {
    sums_text_of(s.iter().map(|(k, v)| (k.as_str(), *v)))
}

/// `{cpu=…, memory=…}` of the positive sums (keys in name order).
pub(crate) fn sums_text_of<'a>(sums: impl Iterator<Item = (&'a str, Quantity)>) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("{");
    for (i, (k, v)) in sums.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{k}={v}");
    }
    out.push('}');
    out
}

/// The derivation of a computed QoS class (`ComputePodQOS`): where the resources were read
/// (`pod_level`), the class, whether every container had cpu and memory limits, the sums' texts.
pub(crate) fn computed_qos_derivation(
    pod_level: bool,
    class: QosClass,
    all_limited: bool,
    reqs_text: &str,
    lims_text: &str,
    version: crate::rules::KubeletVersion,
    pod_level_resources_gate: bool,
) -> Derivation {
    let scope = if pod_level {
        "spec.resources"
    } else {
        "containers + init containers"
    };
    let why = match class {
        QosClass::BestEffort => "no positive cpu/memory request or limit",
        QosClass::Guaranteed => "cpu and memory limited everywhere and requests == limits",
        QosClass::Burstable if !all_limited => "some container lacks a cpu or memory limit",
        QosClass::Burstable => "requests differ from limits",
    };
    let rule = match class {
        QosClass::Guaranteed => "qos.guaranteed",
        QosClass::Burstable => "qos.burstable",
        QosClass::BestEffort => "qos.besteffort",
    };
    Derivation::new(
        "qos_class",
        rule,
        "BestEffort if no requests/limits; Guaranteed if all cpu+memory limited and Σrequests == Σlimits; else Burstable",
        format!("{scope}: requests {reqs_text} limits {lims_text}: {why} → {class}"),
        SRC,
    )
    .with_version_rule(if pod_level_resources_gate {
        format!("kubelet {version}: PodLevelResources on (spec.resources decides when set)")
    } else {
        format!("kubelet {version}: PodLevelResources off")
    })
}

/// The derivation of a QoS class read from `status.qosClass`.
pub(crate) fn status_qos_derivation(c: QosClass) -> Derivation {
    Derivation::new(
        "qos_class",
        "qos.status",
        "status.qosClass (GetPodQOS prefers the class persisted at creation)",
        format!("status.qosClass = {c}"),
        SRC,
    )
}

/// `ComputePodQOS` for `rules` (PodLevelResources gate), on the defaulted pod, with its derivation.
pub fn compute_pod_qos_with_derivation(pod: &Pod, rules: &KubeletRules) -> (QosClass, Derivation) {
    compute_pod_qos_with_derivation_of_defaulted(&defaulted_pod(pod, rules), rules)
}

/// [`compute_pod_qos_with_derivation`] on a pod that is already [`defaulted_pod`] (defaulting is
/// idempotent), sparing the copy.
pub(crate) fn compute_pod_qos_with_derivation_of_defaulted(
    p: &Pod,
    rules: &KubeletRules,
) -> (QosClass, Derivation) {
    let pod_level = rules.pod_level_resources() && p.resources.is_some();
    let (reqs, lims, guaranteed) = match (&p.resources, pod_level) {
        (Some(r), true) => collect_pod_level_resources(r),
        _ => collect_container_level_resources(p),
    };
    let class = classify(&reqs, &lims, guaranteed);
    let d = computed_qos_derivation(
        pod_level,
        class,
        guaranteed,
        &sums_text(&reqs),
        &sums_text(&lims),
        rules.version,
        rules.pod_level_resources(),
    );
    (class, d)
}

/// `ComputePodQOS` for `rules`, on the defaulted pod.
pub fn compute_pod_qos(pod: &Pod, rules: &KubeletRules) -> QosClass {
    compute_pod_qos_with_derivation(pod, rules).0
}

/// `GetPodQOS`: `status.qosClass` when present and valid (the class persisted at creation), else
/// [`compute_pod_qos`].
pub fn get_pod_qos(pod: &Pod, rules: &KubeletRules) -> QosClass {
    get_pod_qos_with_derivation(pod, rules).0
}

/// [`get_pod_qos`] with its derivation.
pub fn get_pod_qos_with_derivation(pod: &Pod, rules: &KubeletRules) -> (QosClass, Derivation) {
    match status_qos(pod) {
        Some(r) => r,
        None => compute_pod_qos_with_derivation(pod, rules),
    }
}

/// [`get_pod_qos_with_derivation`] on a pod that is already [`defaulted_pod`] (the copy keeps
/// `status.qosClass`), sparing a second copy.
pub(crate) fn get_pod_qos_with_derivation_of_defaulted(
    p: &Pod,
    rules: &KubeletRules,
) -> (QosClass, Derivation) {
    match status_qos(p) {
        Some(r) => r,
        None => compute_pod_qos_with_derivation_of_defaulted(p, rules),
    }
}

/// `status.qosClass` when set and valid, with its derivation.
fn status_qos(pod: &Pod) -> Option<(QosClass, Derivation)> {
    if let Some(c) = pod.status_qos_class.as_deref().and_then(QosClass::parse) {
        let d = status_qos_derivation(c);
        return Some((c, d));
    }
    None
}
