//! Pod QoS class, as `pkg/apis/core/v1/helper/qos/qos.go` computes it (`ComputePodQOS`,
//! `GetPodQOS`), in its released summing form (v1.28–v1.35, with the PodLevelResources branch from
//! 1.32): per-resource sums of positive cpu/memory quantities over containers and init containers
//! (or over `spec.resources` when PodLevelResources is on and it is set); Guaranteed needs a
//! positive cpu and memory limit everywhere and summed requests equal to summed limits. The
//! per-container form on master agrees with it for every valid pod (request ≤ limit).
//!
//! Kubelet sees the pod as the API server stores it ([`Requests::Defaulted`]: container requests
//! defaulted from limits, pod-level requests from pod-level limits), so a limits-only container is
//! Guaranteed as in a real cluster; upstream's unit tests call `ComputePodQOS` on raw specs
//! ([`Requests::AsWritten`]).

use crate::api::pod::{Pod, ResourceList, ResourceRequirements};
use crate::base::derivation::Derivation;
use crate::base::quantity::{Quantity, QuantityRecord};
use crate::kubelet::resources::Requests;
use crate::kubelet::rules::KubeletVersion;
use serde::Serialize;
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

/// Sums of positive cpu and memory quantities (`isSupportedQoSComputeResource`: only these count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QosSums {
    /// Σ cpu.
    pub cpu: Option<Quantity>,
    /// Σ memory.
    pub memory: Option<Quantity>,
}

impl QosSums {
    fn add(&mut self, cpu: Option<&Quantity>, memory: Option<&Quantity>) {
        let add = |into: &mut Option<Quantity>, q: Option<&Quantity>| {
            if let Some(q) = q.filter(|q| q.is_positive()) {
                *into = Some(match into {
                    Some(cur) => cur.saturating_add(q),
                    None => *q,
                });
            }
        };
        add(&mut self.cpu, cpu);
        add(&mut self.memory, memory);
    }

    fn is_empty(&self) -> bool {
        self.cpu.is_none() && self.memory.is_none()
    }

    fn len(&self) -> usize {
        usize::from(self.cpu.is_some()) + usize::from(self.memory.is_some())
    }

    /// `{cpu=…, memory=…}` (the derivation's text).
    fn text(cpu: Option<Quantity>, memory: Option<Quantity>) -> String {
        let mut parts = Vec::with_capacity(2);
        if let Some(q) = cpu {
            parts.push(format!("cpu={q}"));
        }
        if let Some(q) = memory {
            parts.push(format!("memory={q}"));
        }
        format!("{{{}}}", parts.join(", "))
    }
}

/// A resource list's cpu and memory, requests defaulted from `limits` with
/// [`Requests::Defaulted`].
fn requested<'a>(
    requests: &'a ResourceList,
    limits: &'a ResourceList,
    mode: Requests,
) -> (Option<&'a Quantity>, Option<&'a Quantity>) {
    match mode {
        Requests::AsWritten => (requests.cpu.as_ref(), requests.memory.as_ref()),
        Requests::Defaulted => (
            requests.cpu.as_ref().or(limits.cpu.as_ref()),
            requests.memory.as_ref().or(limits.memory.as_ref()),
        ),
    }
}

fn positive(q: Option<&Quantity>) -> bool {
    q.is_some_and(|q| q.is_positive())
}

/// `collectPodLevelResources`: the positive cpu/memory of `spec.resources`, and whether its limits
/// name both cpu and memory.
pub fn collect_pod_level_resources(
    r: &ResourceRequirements,
    mode: Requests,
) -> (QosSums, QosSums, bool) {
    let mut reqs = QosSums::default();
    let mut lims = QosSums::default();
    let (cpu, memory) = requested(&r.requests, &r.limits, mode);
    reqs.add(cpu, memory);
    lims.add(r.limits.cpu.as_ref(), r.limits.memory.as_ref());
    let all_limited = positive(r.limits.cpu.as_ref()) && positive(r.limits.memory.as_ref());
    (reqs, lims, all_limited)
}

/// `collectContainerLevelResources`: positive cpu/memory summed over containers and init
/// containers, and whether every one limits both cpu and memory.
pub fn collect_container_level_resources(pod: &Pod, mode: Requests) -> (QosSums, QosSums, bool) {
    let mut reqs = QosSums::default();
    let mut lims = QosSums::default();
    let mut all_limited = true;
    for c in pod.containers.iter().chain(pod.init_containers.iter()) {
        let r = &c.resources;
        let (cpu, memory) = requested(&r.requests, &r.limits, mode);
        reqs.add(cpu, memory);
        lims.add(r.limits.cpu.as_ref(), r.limits.memory.as_ref());
        if !positive(r.limits.cpu.as_ref()) || !positive(r.limits.memory.as_ref()) {
            all_limited = false;
        }
    }
    (reqs, lims, all_limited)
}

/// How a pod's QoS class was obtained (what its derivation is rendered from).
#[derive(Debug, Clone, PartialEq)]
pub enum QosWhy {
    /// `status.qosClass`.
    Status(QosClass),
    /// `ComputePodQOS`: over `spec.resources` (`pod_level`) or the containers, whether every
    /// container had cpu and memory limits, and the positive sums (requests cpu, memory; limits
    /// cpu, memory).
    Computed {
        /// The class.
        class: QosClass,
        /// Read from `spec.resources` (PodLevelResources on and set).
        pod_level: bool,
        /// Every container (or `spec.resources`) limits cpu and memory.
        all_limited: bool,
        /// The sums: requests cpu, memory; limits cpu, memory.
        sums: [Option<QuantityRecord>; 4],
    },
}

impl QosWhy {
    /// The class.
    pub fn class(&self) -> QosClass {
        match self {
            QosWhy::Status(c) | QosWhy::Computed { class: c, .. } => *c,
        }
    }

    /// The derivation, for a pod evaluated by kubelet `version` with the PodLevelResources gate.
    pub fn derivation(&self, version: KubeletVersion, pod_level_gate: bool) -> Derivation {
        let (class, pod_level, all_limited, sums) = match self {
            QosWhy::Status(c) => {
                return Derivation::new(
                    "qos_class",
                    "qos.status",
                    "status.qosClass (GetPodQOS prefers the class persisted at creation)",
                    format!("status.qosClass = {c}"),
                    SRC,
                )
            }
            QosWhy::Computed {
                class,
                pod_level,
                all_limited,
                sums,
            } => (*class, *pod_level, *all_limited, sums),
        };
        let get = |i: usize| {
            sums.get(i)
                .and_then(Option::as_ref)
                .map(QuantityRecord::get)
        };
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
            format!(
                "{scope}: requests {} limits {}: {why} → {class}",
                QosSums::text(get(0), get(1)),
                QosSums::text(get(2), get(3))
            ),
            SRC,
        )
        .with_version_rule(if pod_level_gate {
            format!("kubelet {version}: PodLevelResources on (spec.resources decides when set)")
        } else {
            format!("kubelet {version}: PodLevelResources off")
        })
    }
}

/// `ComputePodQOS`: from `spec.resources` when the PodLevelResources gate is on and it is set,
/// else from the containers; requests read as `mode` says.
#[inline] // built in place in the evaluation's pod loop (docs/performance.md)
pub fn compute_pod_qos(pod: &Pod, pod_level_gate: bool, mode: Requests) -> (QosClass, QosWhy) {
    let pod_level = pod.resources.as_ref().filter(|_| pod_level_gate);
    let (reqs, lims, all_limited) = match pod_level {
        Some(r) => collect_pod_level_resources(r, mode),
        None => collect_container_level_resources(pod, mode),
    };
    let class = if reqs.is_empty() && lims.is_empty() {
        QosClass::BestEffort
    } else {
        let equal = |r: Option<Quantity>, l: Option<Quantity>| r.is_none() || r == l;
        if all_limited
            && equal(reqs.cpu, lims.cpu)
            && equal(reqs.memory, lims.memory)
            && reqs.len() == lims.len()
        {
            QosClass::Guaranteed
        } else {
            QosClass::Burstable
        }
    };
    let rec = |q: Option<Quantity>| q.as_ref().map(QuantityRecord::of);
    (
        class,
        QosWhy::Computed {
            class,
            pod_level: pod_level.is_some(),
            all_limited,
            sums: [
                rec(reqs.cpu),
                rec(reqs.memory),
                rec(lims.cpu),
                rec(lims.memory),
            ],
        },
    )
}

/// `GetPodQOS`: `status.qosClass` when present and valid (the class persisted at creation), else
/// [`compute_pod_qos`].
#[inline] // built in place in the evaluation's pod loop (docs/performance.md)
pub fn get_pod_qos(pod: &Pod, pod_level_gate: bool, mode: Requests) -> (QosClass, QosWhy) {
    match pod.status_qos_class.as_deref().and_then(QosClass::parse) {
        Some(c) => (c, QosWhy::Status(c)),
        None => compute_pod_qos(pod, pod_level_gate, mode),
    }
}
