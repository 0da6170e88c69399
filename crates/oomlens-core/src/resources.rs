//! Pod and container resource arithmetic as kubelet sees it:
//! - request defaulting from limits (`pkg/apis/core/v1/defaults.go` SetDefaults_Pod, and the
//!   pod-level `defaultPodRequests` when PodLevelResources is on);
//! - `AggregateContainerRequests` / `PodRequests` / `PodLimits`
//!   (kubernetes/component-helpers `resource/helpers.go`, read at `1961876b` and `kubernetes-1.36.0`):
//!   per resource, regular containers summed, sidecars cumulative, init containers as a maximum;
//! - the pod memory request eviction ranks by (`pkg/api/v1/resource/helpers.go`
//!   GetResourceRequestQuantity: pod-level requests when the gate is on, plus overhead when the
//!   total is non-zero — the same arithmetic in every modelled release);
//! - the pod cgroup memory limit (`pkg/kubelet/cm/helpers_linux.go` ResourceConfigForPod: set only
//!   when every container, init containers included, has a memory limit).
//!
//! Version effects come from [`KubeletRules`]: with SidecarContainers off a restartable init
//! container counts as a regular init container (the API server drops the field); with
//! PodLevelResources off `spec.resources` is ignored (the API server drops it).

use crate::derivation::Derivation;
use crate::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use crate::quantity::{Quantity, QuantityRecord};
use crate::rules::KubeletRules;

const SRC_DEFAULTS: &str = "kubernetes/kubernetes pkg/apis/core/v1/defaults.go (SetDefaults_Pod)";
const SRC_HELPERS: &str =
    "kubernetes/component-helpers resource/helpers.go (AggregateContainerRequests, PodRequests)";
const SRC_EVICTION_REQ: &str =
    "kubernetes/kubernetes pkg/api/v1/resource/helpers.go (GetResourceRequestQuantity)";
const SRC_POD_LIMIT: &str = "kubernetes/kubernetes pkg/kubelet/cm/helpers_linux.go (ResourceConfigForPod), component-helpers PodLimits";

/// The kind kubelet acts on: a sidecar only when this release recognises sidecars.
pub fn effective_kind(c: &Container, rules: &KubeletRules) -> ContainerKind {
    match c.kind {
        ContainerKind::Sidecar if !rules.sidecars_enabled() => ContainerKind::Init,
        k => k,
    }
}

/// `spec.resources` as kubelet sees it: `None` when the PodLevelResources gate is off.
pub fn pod_level_resources<'a>(
    pod: &'a Pod,
    rules: &KubeletRules,
) -> Option<&'a ResourceRequirements> {
    if rules.pod_level_resources() {
        pod.resources.as_ref()
    } else {
        None
    }
}

/// `IsSupportedPodLevelResource`: cpu, memory and hugepages-*.
pub fn is_supported_pod_level_resource(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

fn has_supported(l: &ResourceList) -> bool {
    l.entries()
        .iter()
        .any(|(k, _)| is_supported_pod_level_resource(k))
}

/// `IsPodLevelResourcesSet` (requests or limits name a supported resource), honouring the gate.
pub fn is_pod_level_resources_set(pod: &Pod, rules: &KubeletRules) -> bool {
    pod_level_resources(pod, rules)
        .is_some_and(|r| has_supported(&r.requests) || has_supported(&r.limits))
}

/// `IsPodLevelRequestsSet` (requests name a supported resource), on the pod as given, honouring the gate.
pub fn is_pod_level_requests_set(pod: &Pod, rules: &KubeletRules) -> bool {
    pod_level_resources(pod, rules).is_some_and(|r| has_supported(&r.requests))
}

/// SetDefaults_Pod for one container: every limit without a request becomes the request.
pub fn default_container_resources(r: &ResourceRequirements) -> ResourceRequirements {
    let mut out = r.clone();
    for (k, q) in r.limits.entries() {
        if out.requests.get(&k).is_none() {
            out.requests.set(&k, q);
        }
    }
    out
}

/// `defaultPodRequests` (defaults.go, PodLevelResources on): when pod-level limits exist, hugepages
/// requests default from the aggregated container requests and any other supported resource's
/// request defaults to its pod-level limit. `None` when the gate is off or `spec.resources` is absent.
pub fn defaulted_pod_resources(pod: &Pod, rules: &KubeletRules) -> Option<ResourceRequirements> {
    let r = pod_level_resources(pod, rules)?;
    let mut out = r.clone();
    if r.limits.is_empty() {
        return Some(out);
    }
    let aggr = aggregate_container_requests(pod, rules);
    for (k, q) in aggr.entries() {
        if out.requests.get(&k).is_none() && k.starts_with("hugepages-") {
            out.requests.set(&k, q);
        }
    }
    for (k, q) in r.limits.entries() {
        if out.requests.get(&k).is_none() && is_supported_pod_level_resource(&k) {
            out.requests.set(&k, q);
        }
    }
    Some(out)
}

/// A copy of `pod` as the API server and kubelet hold it for `rules`: container requests defaulted
/// from limits, sidecars demoted when unsupported, `spec.resources` dropped when the gate is off
/// and pod-level requests defaulted when it is on.
pub fn defaulted_pod(pod: &Pod, rules: &KubeletRules) -> Pod {
    let mut p = pod.clone();
    for c in p.containers.iter_mut().chain(p.init_containers.iter_mut()) {
        c.resources = default_container_resources(&c.resources);
        c.kind = effective_kind(c, rules);
    }
    p.resources = defaulted_pod_resources(&p, rules);
    p
}

fn bytes(q: Option<&Quantity>) -> i64 {
    q.map_or(0, Quantity::value)
}

/// What a container's `memory_request_bytes` derivation is rendered from: the quantity written,
/// and whether it came from the limit (`SetDefaults_Pod`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestWhy {
    /// `requests.memory` as written.
    Request(QuantityRecord),
    /// No request: defaulted from `limits.memory`.
    FromLimit(QuantityRecord),
    /// Neither: 0.
    None,
}

impl RequestWhy {
    /// The effective request of `c` and its record.
    pub fn of(c: &Container) -> (i64, RequestWhy) {
        match (&c.resources.requests.memory, &c.resources.limits.memory) {
            (Some(r), _) => (r.value(), RequestWhy::Request(QuantityRecord::of(r))),
            (None, Some(l)) => (l.value(), RequestWhy::FromLimit(QuantityRecord::of(l))),
            (None, None) => (0, RequestWhy::None),
        }
    }

    /// The record of [`RequestWhy::of`] alone — `requests.memory`, else `limits.memory`
    /// (`SetDefaults_Pod`) — for a caller that has the request already.
    pub fn record(c: &Container) -> RequestWhy {
        match (&c.resources.requests.memory, &c.resources.limits.memory) {
            (Some(r), _) => RequestWhy::Request(QuantityRecord::of(r)),
            (None, Some(l)) => RequestWhy::FromLimit(QuantityRecord::of(l)),
            (None, None) => RequestWhy::None,
        }
    }

    /// The derivation.
    pub fn derivation(&self) -> Derivation {
        let (formula, subst) = match self {
            RequestWhy::Request(r) => {
                let r = r.get();
                ("requests.memory", format!("{r} = {}", r.value()))
            }
            RequestWhy::FromLimit(l) => {
                let l = l.get();
                (
                    "requests.memory := limits.memory (SetDefaults_Pod)",
                    format!("limits.memory {l} = {}", l.value()),
                )
            }
            RequestWhy::None => ("no memory request or limit → 0", "0".to_string()),
        };
        Derivation::new(
            "memory_request_bytes",
            "resources.container_request",
            formula,
            subst,
            SRC_DEFAULTS,
        )
    }
}

/// Effective container memory request: `requests.memory`, defaulted from `limits.memory`
/// (`SetDefaults_Pod`); 0 when neither is set.
pub fn container_memory_request(c: &Container) -> (i64, Derivation) {
    let (v, why) = RequestWhy::of(c);
    (v, why.derivation())
}

/// What a container's `memory_limit_bytes` derivation is rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitWhy {
    /// `limits.memory` (non-zero).
    Limit(QuantityRecord),
    /// No (or a zero) limit: unlimited.
    Unlimited,
    /// No container limit, pod-level resources: the pod-level `limits.memory` (`getMemoryLimit`).
    FromPod(QuantityRecord),
}

impl LimitWhy {
    /// The container's own limit (`None` = unlimited, also for 0) and its record.
    pub fn of(c: &Container) -> (Option<i64>, LimitWhy) {
        match &c.resources.limits.memory {
            Some(l) if !l.is_zero() => (Some(l.value()), LimitWhy::Limit(QuantityRecord::of(l))),
            _ => (None, LimitWhy::Unlimited),
        }
    }

    /// The record of [`LimitWhy::of`] alone — the container's non-zero `limits.memory` — for a
    /// caller that has the limit already.
    pub fn record(c: &Container) -> LimitWhy {
        match &c.resources.limits.memory {
            Some(l) if !l.is_zero() => LimitWhy::Limit(QuantityRecord::of(l)),
            _ => LimitWhy::Unlimited,
        }
    }

    /// The derivation.
    pub fn derivation(&self) -> Derivation {
        match self {
            LimitWhy::Limit(l) => {
                let l = l.get();
                Derivation::new(
                    "memory_limit_bytes",
                    "resources.container_limit",
                    "limits.memory (memory.max of the container cgroup)",
                    format!("{l} = {}", l.value()),
                    SRC_DEFAULTS,
                )
            }
            LimitWhy::Unlimited => Derivation::new(
                "memory_limit_bytes",
                "resources.container_limit",
                "no limits.memory → unlimited (bounded by the pod and kubepods cgroups)",
                "none",
                SRC_DEFAULTS,
            ),
            LimitWhy::FromPod(pl) => {
                let pl = pl.get();
                Derivation::new(
                    "memory_limit_bytes",
                    "resources.container_limit_from_pod",
                    "no container limit + pod-level resources → pod-level limits.memory",
                    format!("spec.resources.limits.memory {pl} = {}", pl.value()),
                    "kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (getMemoryLimit)",
                )
            }
        }
    }
}

/// Container memory limit (`None` = unlimited; a zero limit is no limit).
pub fn container_memory_limit(c: &Container) -> (Option<i64>, Derivation) {
    let (v, why) = LimitWhy::of(c);
    (v, why.derivation())
}

fn add_list(into: &mut ResourceList, l: &ResourceList) {
    for (k, q) in l.entries() {
        let sum = match into.get(&k) {
            Some(cur) => cur.saturating_add(&q),
            None => q,
        };
        into.set(&k, sum);
    }
}

fn max_list(into: &mut ResourceList, l: &ResourceList) {
    for (k, q) in l.entries() {
        match into.get(&k) {
            Some(cur) if *cur >= q => {}
            _ => into.set(&k, q),
        }
    }
}

/// `aggregateContainerResourcesByFn` over `pick(container)` (requests or limits, as given).
fn aggregate(
    pod: &Pod,
    rules: &KubeletRules,
    pick: impl Fn(&ResourceRequirements) -> ResourceList,
) -> ResourceList {
    let mut result = ResourceList::default();
    for c in &pod.containers {
        add_list(&mut result, &pick(&c.resources));
    }
    let mut restartable = ResourceList::default();
    let mut init_max = ResourceList::default();
    for c in &pod.init_containers {
        let r = pick(&c.resources);
        let used = if effective_kind(c, rules) == ContainerKind::Sidecar {
            add_list(&mut result, &r);
            add_list(&mut restartable, &r);
            restartable.clone()
        } else {
            let mut combined = r;
            add_list(&mut combined, &restartable);
            combined
        };
        max_list(&mut init_max, &used);
    }
    max_list(&mut result, &init_max);
    result
}

/// `AggregateContainerRequests` on the pod as given (pass [`defaulted_pod`] for what the API
/// server stores): regular containers summed,
/// sidecars added and carried into every later init container, the result the maximum of that sum
/// and every init container's (own + earlier sidecars) request — per resource.
pub fn aggregate_container_requests(pod: &Pod, rules: &KubeletRules) -> ResourceList {
    aggregate(pod, rules, |r| r.requests.clone())
}

/// `AggregateContainerLimits`: the same aggregation over limits.
pub fn aggregate_container_limits(pod: &Pod, rules: &KubeletRules) -> ResourceList {
    aggregate(pod, rules, |r| r.limits.clone())
}

/// The memory part of [`aggregate_container_requests`] on the defaulted pod, with its derivation.
pub fn aggregate_container_memory_request(pod: &Pod, rules: &KubeletRules) -> (i64, Derivation) {
    aggregate_container_memory_request_of_defaulted(&defaulted_pod(pod, rules), rules)
}

/// [`aggregate_container_memory_request`] on a pod that is already [`defaulted_pod`] (defaulting is
/// idempotent), sparing the copy.
pub(crate) fn aggregate_container_memory_request_of_defaulted(
    pod: &Pod,
    rules: &KubeletRules,
) -> (i64, Derivation) {
    let v = bytes(aggregate_container_requests(pod, rules).memory.as_ref());
    let subst = aggregate_request_text(
        pod.containers
            .iter()
            .map(|c| (c.name.as_str(), container_memory_request(c).0)),
        pod.init_containers.iter().map(|c| {
            (
                c.name.as_str(),
                effective_kind(c, rules) == ContainerKind::Sidecar,
                container_memory_request(c).0,
            )
        }),
        v,
    );
    (
        v,
        Derivation::new(
            "memory_request_bytes",
            "resources.aggregate_requests",
            "max(Σ regular + Σ sidecars, max_i(init_i + Σ sidecars before i))",
            subst,
            SRC_HELPERS,
        ),
    )
}

/// The substituted text of `AggregateContainerRequests(memory)`: regular containers as
/// `name=request`, init containers as `name(sidecar)=request` or `name(init)=request`, and the total.
pub(crate) fn aggregate_request_text<'a>(
    regular: impl Iterator<Item = (&'a str, i64)>,
    init: impl Iterator<Item = (&'a str, bool, i64)>,
    total: i64,
) -> String {
    use std::fmt::Write as _;
    let mut s = String::from("max(Σ containers [");
    for (i, (name, req)) in regular.enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{name}={req}");
    }
    s.push_str("] + Σ sidecars, max over init of (init + earlier sidecars)) with init [");
    for (i, (name, sidecar, req)) in init.enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let tag = if sidecar { "sidecar" } else { "init" };
        let _ = write!(s, "{name}({tag})={req}");
    }
    let _ = write!(s, "] = {total}");
    s
}

/// The derivation of the pod request eviction ranks by, from the base text (aggregate or
/// pod-level), the base, the overhead and the total.
pub(crate) fn pod_request_derivation(
    formula: &str,
    base_text: String,
    base: i64,
    overhead: i64,
    total: i64,
    version: crate::rules::KubeletVersion,
    pod_level_resources_gate: bool,
) -> Derivation {
    let subst = if overhead != 0 {
        if base != 0 {
            format!("{base_text}; {base} + overhead {overhead} = {total}")
        } else {
            format!("{base_text}; total is 0 so overhead {overhead} is not added = 0")
        }
    } else {
        base_text
    };
    Derivation::new(
        "memory_request_bytes",
        "resources.pod_request",
        format!("{formula} + overhead.memory if non-zero"),
        subst,
        SRC_EVICTION_REQ,
    )
    .with_version_rule(if pod_level_resources_gate {
        format!("kubelet {version}: PodLevelResources on")
    } else {
        format!("kubelet {version}: PodLevelResources off (spec.resources ignored)")
    })
}

/// The derivation of the pod cgroup limit from its substituted text.
pub(crate) fn pod_limit_derivation(subst: String) -> Derivation {
    Derivation::new(
        "pod_memory_limit_bytes",
        "resources.pod_limit",
        "all containers limited ? PodLimits(memory) (+ overhead) : unlimited",
        subst,
        SRC_POD_LIMIT,
    )
}

/// The pod limit text when every container has a limit.
pub(crate) fn pod_limit_all_limited_text(limit: i64) -> String {
    format!("every container has a memory limit: PodLimits(memory) = {limit}")
}

/// The pod limit text naming the containers without a limit.
pub(crate) fn pod_limit_missing_text<'a>(missing: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::from("no memory limit on ");
    for (i, name) in missing.enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(name);
    }
    s.push_str(": pod cgroup memory.max not set");
    s
}

/// `PodRequests` on the pod as given (all resources): aggregated container requests, replaced per
/// supported resource by pod-level requests when set (gate on), plus overhead.
pub fn pod_requests(pod: &Pod, rules: &KubeletRules) -> ResourceList {
    let mut reqs = aggregate_container_requests(pod, rules);
    if let Some(r) = pod_level_resources(pod, rules) {
        if has_supported(&r.requests) {
            for (k, q) in r.requests.entries() {
                if is_supported_pod_level_resource(&k) {
                    reqs.set(&k, q);
                }
            }
        }
    }
    add_list(&mut reqs, &pod.overhead);
    reqs
}

/// The pod's memory request as eviction ranks by (`GetResourceRequestQuantity(pod, memory)`):
/// with the gate on and pod-level resources set, the pod-level memory request (0 if only other
/// resources are set at pod level); otherwise the aggregated container requests; then
/// `spec.overhead.memory` added only when that total is non-zero.
pub fn pod_memory_request(pod: &Pod, rules: &KubeletRules) -> (i64, Derivation) {
    pod_memory_request_of_defaulted(&defaulted_pod(pod, rules), rules)
}

/// [`pod_memory_request`] on a pod that is already [`defaulted_pod`] (defaulting is idempotent),
/// sparing the copy.
pub(crate) fn pod_memory_request_of_defaulted(
    pod: &Pod,
    rules: &KubeletRules,
) -> (i64, Derivation) {
    let pod_level = is_pod_level_resources_set(pod, rules);
    let (base, base_text, formula) = if pod_level {
        let d = pod.resources.clone().unwrap_or_default();
        let m = if has_supported(&d.requests) {
            d.requests.memory
        } else {
            None
        };
        let v = bytes(m.as_ref());
        (
            v,
            format!(
                "spec.resources.requests.memory {}",
                m.map_or("unset".to_string(), |q| q.to_string())
            ),
            "pod-level requests.memory (PodLevelResources)",
        )
    } else {
        let (v, d) = aggregate_container_memory_request_of_defaulted(pod, rules);
        (v, d.substituted, "AggregateContainerRequests(memory)")
    };
    let overhead = bytes(pod.overhead.memory.as_ref());
    let total = if base != 0 {
        base.saturating_add(overhead)
    } else {
        base
    };
    let d = pod_request_derivation(
        formula,
        base_text,
        base,
        overhead,
        total,
        rules.version,
        rules.pod_level_resources(),
    );
    (total, d)
}

/// `PodLimits` on the pod as given (all resources): aggregated container limits, pod-level limits
/// when set, plus overhead on non-zero limits.
pub fn pod_limits(pod: &Pod, rules: &KubeletRules) -> ResourceList {
    let mut limits = aggregate_container_limits(pod, rules);
    if let Some(r) = pod_level_resources(pod, rules) {
        if is_pod_level_resources_set(pod, rules) {
            for (k, q) in r.limits.entries() {
                if is_supported_pod_level_resource(&k) {
                    limits.set(&k, q);
                }
            }
        }
    }
    for (k, q) in pod.overhead.entries() {
        if let Some(cur) = limits.get(&k) {
            if !cur.is_zero() {
                let s = cur.saturating_add(&q);
                limits.set(&k, s);
            }
        }
    }
    limits
}

/// The pod cgroup's memory limit (`ResourceConfigForPod`): pod-level limit when set (gate on);
/// else the aggregated container limits plus overhead, but only when every container and init
/// container declares a non-zero memory limit — otherwise `None` (unlimited within kubepods).
pub fn pod_memory_limit(pod: &Pod, rules: &KubeletRules) -> (Option<i64>, Derivation) {
    let pod_level = pod_level_resources(pod, rules)
        .and_then(|r| r.limits.memory)
        .filter(|q| !q.is_zero());
    let (v, subst) = if let Some(l) = pod_level {
        (
            Some(
                l.value()
                    .saturating_add(bytes(pod.overhead.memory.as_ref())),
            ),
            format!("spec.resources.limits.memory {l} + overhead"),
        )
    } else {
        let missing: Vec<&str> = pod
            .all_containers()
            .filter(|c| c.resources.limits.memory.is_none_or(|q| q.is_zero()))
            .map(|c| c.name.as_str())
            .collect();
        if missing.is_empty() {
            let l = bytes(pod_limits(pod, rules).memory.as_ref());
            (Some(l), pod_limit_all_limited_text(l))
        } else {
            (None, pod_limit_missing_text(missing.into_iter()))
        }
    };
    (v, pod_limit_derivation(subst))
}
