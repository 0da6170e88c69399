//! Pod and container resource arithmetic as kubelet sees it:
//! - request defaulting from limits (`pkg/apis/core/v1/defaults.go` SetDefaults_Pod, and the
//!   pod-level `defaultPodRequests` when PodLevelResources is on), applied as the rules read the
//!   pod ([`Requests::Defaulted`]) rather than on a copy;
//! - `AggregateContainerRequests` / `PodRequests` / `PodLimits`
//!   (kubernetes/component-helpers `resource/helpers.go`, read at `1961876b` and
//!   `kubernetes-1.36.0`): per resource, regular containers summed, sidecars cumulative, init
//!   containers as a maximum ([`aggregate`], the one implementation);
//! - the pod memory request eviction ranks by (`pkg/api/v1/resource/helpers.go`
//!   GetResourceRequestQuantity: pod-level requests when the gate is on, plus overhead when the
//!   total is non-zero — the same arithmetic in every modelled release);
//! - the pod cgroup memory limit (`pkg/kubelet/cm/helpers_linux.go` ResourceConfigForPod: set only
//!   when every container, init containers included, has a memory limit) and the container cgroup
//!   limit (`pkg/kubelet/kuberuntime/kuberuntime_container_linux.go` getMemoryLimit).
//!
//! Version effects come from [`KubeletRules`]: with SidecarContainers off a restartable init
//! container counts as a regular init container (the API server drops the field); with
//! PodLevelResources off `spec.resources` is ignored (the API server drops it).
//!
//! Every function reads the pod in place (no copy, no allocation) and returns, with its value, the
//! record its derivation is rendered from.

use crate::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use crate::base::derivation::Derivation;
use crate::base::quantity::{Quantity, QuantityRecord};
use crate::kubelet::rules::{KubeletRules, KubeletVersion};

const SRC_DEFAULTS: &str = "kubernetes/kubernetes pkg/apis/core/v1/defaults.go (SetDefaults_Pod)";
const SRC_EVICTION_REQ: &str =
    "kubernetes/kubernetes pkg/api/v1/resource/helpers.go (GetResourceRequestQuantity)";
const SRC_POD_LIMIT: &str = "kubernetes/kubernetes pkg/kubelet/cm/helpers_linux.go (ResourceConfigForPod), component-helpers PodLimits";
const SRC_CONTAINER_LIMIT: &str =
    "kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (getMemoryLimit)";

/// Which requests a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requests {
    /// As written in the spec: upstream's unit tests call the rules on raw specs.
    AsWritten,
    /// As the API server stores the pod and kubelet sees it: every container request defaults
    /// from its limit (`SetDefaults_Pod`), and with PodLevelResources pod-level requests default
    /// from pod-level limits (`defaultPodRequests`).
    Defaulted,
}

/// The kind kubelet acts on: a sidecar only when this release recognises sidecars.
pub fn effective_kind(c: &Container, rules: &KubeletRules) -> ContainerKind {
    kind_with(c, rules.sidecars_enabled())
}

/// [`effective_kind`] with the SidecarContainers gate already read.
pub fn kind_with(c: &Container, sidecars: bool) -> ContainerKind {
    match c.kind {
        ContainerKind::Sidecar if !sidecars => ContainerKind::Init,
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
    l.cpu.is_some()
        || l.memory.is_some()
        || l.other.keys().any(|k| is_supported_pod_level_resource(k))
}

/// `IsPodLevelResourcesSet` (requests or limits name a supported resource), honouring the gate.
pub fn is_pod_level_resources_set(pod: &Pod, rules: &KubeletRules) -> bool {
    pod_level_resources(pod, rules)
        .is_some_and(|r| has_supported(&r.requests) || has_supported(&r.limits))
}

/// `IsPodLevelRequestsSet` (requests name a supported resource), honouring the gate. With
/// [`Requests::Defaulted`] the requests are those `defaultPodRequests` leaves: when pod-level
/// limits exist, every supported limit becomes a request and hugepages requests come from the
/// aggregated container requests.
pub fn is_pod_level_requests_set(pod: &Pod, rules: &KubeletRules, requests: Requests) -> bool {
    let Some(r) = pod_level_resources(pod, rules) else {
        return false;
    };
    if has_supported(&r.requests) {
        return true;
    }
    if requests == Requests::AsWritten || r.limits.is_empty() {
        return false;
    }
    has_supported(&r.limits)
        || aggregated_names(pod)
            .iter()
            .filter(|k| k.starts_with("hugepages-"))
            .any(|k| {
                aggregate(pod, rules.sidecars_enabled(), |c| {
                    container_resource(c, k, requests)
                })
                .is_some()
            })
}

/// The pod-level memory request (`None` when unset), defaulted from the pod-level memory limit
/// with [`Requests::Defaulted`] (`defaultPodRequests`, when pod-level limits exist).
pub fn pod_level_memory_request<'a>(
    pod: &'a Pod,
    rules: &KubeletRules,
    requests: Requests,
) -> Option<&'a Quantity> {
    let r = pod_level_resources(pod, rules)?;
    match requests {
        Requests::AsWritten => r.requests.memory.as_ref(),
        Requests::Defaulted => r.requests.memory.as_ref().or(r.limits.memory.as_ref()),
    }
}

/// The container's request of `resource` (`cpu`, `memory`, …), defaulted from its limit with
/// [`Requests::Defaulted`].
pub fn container_resource<'a>(
    c: &'a Container,
    resource: &str,
    requests: Requests,
) -> Option<&'a Quantity> {
    let own = c.resources.requests.get(resource);
    match requests {
        Requests::AsWritten => own,
        Requests::Defaulted => own.or(c.resources.limits.get(resource)),
    }
}

/// The container's memory request (see [`container_resource`]).
pub fn container_memory_request_quantity(c: &Container, requests: Requests) -> Option<&Quantity> {
    match requests {
        Requests::AsWritten => c.resources.requests.memory.as_ref(),
        Requests::Defaulted => c.resources.requests.memory.as_ref().or(c
            .resources
            .limits
            .memory
            .as_ref()),
    }
}

/// `aggregateContainerResourcesByFn` for one resource: regular containers summed; each sidecar
/// added to that sum and carried into every later init container; the result the maximum of the
/// sum and every init container's (own + earlier sidecars) value. `pick` reads one container's
/// value (`None` when unset). `None` when no container sets it.
pub fn aggregate<'a>(
    pod: &'a Pod,
    sidecars: bool,
    pick: impl Fn(&'a Container) -> Option<&'a Quantity>,
) -> Option<Quantity> {
    let add = |into: &mut Option<Quantity>, q: Option<&Quantity>| {
        if let Some(q) = q {
            *into = Some(match into {
                Some(cur) => cur.saturating_add(q),
                None => *q,
            });
        }
    };
    let mut result: Option<Quantity> = None;
    for c in &pod.containers {
        add(&mut result, pick(c));
    }
    let mut restartable: Option<Quantity> = None;
    let mut init_max: Option<Quantity> = None;
    for c in &pod.init_containers {
        let r = pick(c);
        let used = if kind_with(c, sidecars) == ContainerKind::Sidecar {
            add(&mut result, r);
            add(&mut restartable, r);
            restartable
        } else {
            let mut combined = r.copied();
            add(&mut combined, restartable.as_ref());
            combined
        };
        // apimachinery `Cmp`: the current value stays on equality.
        if let Some(u) = used {
            if init_max.is_none_or(|m| u > m) {
                init_max = Some(u);
            }
        }
    }
    if let Some(m) = init_max {
        if result.is_none_or(|r| m > r) {
            result = Some(m);
        }
    }
    result
}

/// Every resource name the pod's containers request or limit (for the all-resource lists).
fn aggregated_names(pod: &Pod) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for c in pod.all_containers() {
        for l in [&c.resources.requests, &c.resources.limits] {
            for (k, _) in l.entries() {
                if !names.contains(&k) {
                    names.push(k);
                }
            }
        }
    }
    names
}

/// `AggregateContainerRequests`, every resource (each by [`aggregate`]).
pub fn aggregate_container_requests(
    pod: &Pod,
    rules: &KubeletRules,
    requests: Requests,
) -> ResourceList {
    let mut out = ResourceList::default();
    for k in aggregated_names(pod) {
        if let Some(q) = aggregate(pod, rules.sidecars_enabled(), |c| {
            container_resource(c, &k, requests)
        }) {
            out.set(&k, q);
        }
    }
    out
}

/// `AggregateContainerLimits`, every resource.
pub fn aggregate_container_limits(pod: &Pod, rules: &KubeletRules) -> ResourceList {
    let mut out = ResourceList::default();
    for k in aggregated_names(pod) {
        if let Some(q) = aggregate(pod, rules.sidecars_enabled(), |c| {
            c.resources.limits.get(&k)
        }) {
            out.set(&k, q);
        }
    }
    out
}

/// `PodRequests` (every resource): aggregated container requests, replaced per supported
/// resource by pod-level requests when set (gate on), plus overhead.
pub fn pod_requests(pod: &Pod, rules: &KubeletRules, requests: Requests) -> ResourceList {
    let mut reqs = aggregate_container_requests(pod, rules, requests);
    if let Some(r) = pod_level_resources(pod, rules) {
        if has_supported(&r.requests) {
            for (k, q) in r.requests.entries() {
                if is_supported_pod_level_resource(&k) {
                    reqs.set(&k, q);
                }
            }
        }
    }
    for (k, q) in pod.overhead.entries() {
        let sum = match reqs.get(&k) {
            Some(cur) => cur.saturating_add(&q),
            None => q,
        };
        reqs.set(&k, sum);
    }
    reqs
}

/// `PodLimits` (every resource): aggregated container limits, pod-level limits when set, plus
/// overhead on non-zero limits.
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

/// The container's memory request as kubelet sees it: `requests.memory`, defaulted from
/// `limits.memory` (`SetDefaults_Pod`); 0 when neither is set.
#[inline] // built in place in the evaluation's pod loop (docs/performance.md)
pub fn container_memory_request(c: &Container) -> (i64, RequestWhy) {
    match (&c.resources.requests.memory, &c.resources.limits.memory) {
        (Some(r), _) => (r.value(), RequestWhy::Request(QuantityRecord::of(r))),
        (None, Some(l)) => (l.value(), RequestWhy::FromLimit(QuantityRecord::of(l))),
        (None, None) => (0, RequestWhy::None),
    }
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
                    SRC_CONTAINER_LIMIT,
                )
            }
        }
    }
}

/// The container cgroup's `memory.max` (`getMemoryLimit`): its own non-zero `limits.memory`, else
/// with pod-level resources set the pod-level memory limit; `None` = unlimited.
#[inline] // built in place in the evaluation's pod loop (docs/performance.md)
pub fn container_memory_limit(
    pod: &Pod,
    c: &Container,
    rules: &KubeletRules,
) -> (Option<i64>, LimitWhy) {
    if let Some(l) = c.resources.limits.memory.as_ref().filter(|q| !q.is_zero()) {
        return (Some(l.value()), LimitWhy::Limit(QuantityRecord::of(l)));
    }
    if is_pod_level_resources_set(pod, rules) {
        if let Some(pl) = pod_level_resources(pod, rules)
            .and_then(|r| r.limits.memory.as_ref())
            .filter(|q| !q.is_zero())
        {
            return (Some(pl.value()), LimitWhy::FromPod(QuantityRecord::of(pl)));
        }
    }
    (None, LimitWhy::Unlimited)
}

/// What the pod request's derivation is rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRequestWhy {
    /// Where the base came from.
    pub base: PodRequestBase,
    /// The base in bytes.
    pub base_bytes: i64,
    /// `spec.overhead.memory` in bytes.
    pub overhead_bytes: i64,
    /// The release whose rules applied.
    pub version: KubeletVersion,
    /// The PodLevelResources gate.
    pub pod_level_gate: bool,
}

/// The base of the pod request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodRequestBase {
    /// `AggregateContainerRequests(memory)` (its text names the containers: see
    /// [`PodRequestWhy::derivation`]).
    Aggregate,
    /// The pod-level memory request (PodLevelResources), `None` when unset.
    PodLevel(Option<QuantityRecord>),
}

impl PodRequestWhy {
    /// The pod request's derivation. `regular` and `init` name the containers with their
    /// requests, for the aggregate's text: regular containers as `(name, request)`, init
    /// containers as `(name, is sidecar, request)`.
    pub fn derivation<'a>(
        &self,
        regular: impl Iterator<Item = (&'a str, i64)>,
        init: impl Iterator<Item = (&'a str, bool, i64)>,
        total: i64,
    ) -> Derivation {
        let (formula, base_text) = match &self.base {
            PodRequestBase::Aggregate => (
                "AggregateContainerRequests(memory)",
                aggregate_request_text(regular, init, self.base_bytes),
            ),
            PodRequestBase::PodLevel(q) => (
                "pod-level requests.memory (PodLevelResources)",
                format!(
                    "spec.resources.requests.memory {}",
                    q.as_ref()
                        .map_or("unset".to_string(), |q| q.get().to_string())
                ),
            ),
        };
        let (base, overhead) = (self.base_bytes, self.overhead_bytes);
        let subst = if overhead != 0 {
            if base != 0 {
                format!("{base_text}; {base} + overhead {overhead} = {total}")
            } else {
                format!("{base_text}; total is 0 so overhead {overhead} is not added = 0")
            }
        } else {
            base_text
        };
        let version = self.version;
        Derivation::new(
            "memory_request_bytes",
            "resources.pod_request",
            format!("{formula} + overhead.memory if non-zero"),
            subst,
            SRC_EVICTION_REQ,
        )
        .with_version_rule(if self.pod_level_gate {
            format!("kubelet {version}: PodLevelResources on")
        } else {
            format!("kubelet {version}: PodLevelResources off (spec.resources ignored)")
        })
    }
}

impl PodRequestWhy {
    /// [`PodRequestWhy::derivation`] naming `pod`'s containers and their requests as kubelet
    /// sees them.
    pub fn derivation_for_pod(&self, pod: &Pod, rules: &KubeletRules, total: i64) -> Derivation {
        let request = |c: &Container| container_memory_request(c).0;
        self.derivation(
            pod.containers.iter().map(|c| (c.name.as_str(), request(c))),
            pod.init_containers.iter().map(|c| {
                (
                    c.name.as_str(),
                    effective_kind(c, rules) == ContainerKind::Sidecar,
                    request(c),
                )
            }),
            total,
        )
    }
}

/// The substituted text of `AggregateContainerRequests(memory)`: regular containers as
/// `name=request`, init containers as `name(sidecar)=request` or `name(init)=request`, and the total.
fn aggregate_request_text<'a>(
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

/// The pod's memory request as eviction ranks by (`GetResourceRequestQuantity(pod, memory)`):
/// with the gate on and pod-level resources set, the pod-level memory request (0 if only other
/// resources are set at pod level); otherwise the aggregated container requests; then
/// `spec.overhead.memory` added only when that total is non-zero.
#[inline] // built in place in the evaluation's pod loop (docs/performance.md)
pub fn pod_memory_request(
    pod: &Pod,
    rules: &KubeletRules,
    requests: Requests,
) -> (i64, PodRequestWhy) {
    let (base, base_bytes) = if is_pod_level_resources_set(pod, rules) {
        let q = if is_pod_level_requests_set(pod, rules, requests) {
            pod_level_memory_request(pod, rules, requests)
        } else {
            None
        };
        (
            PodRequestBase::PodLevel(q.map(QuantityRecord::of)),
            q.map_or(0, Quantity::value),
        )
    } else {
        let sum = aggregate(pod, rules.sidecars_enabled(), |c| {
            container_memory_request_quantity(c, requests)
        });
        (PodRequestBase::Aggregate, sum.map_or(0, |q| q.value()))
    };
    let overhead_bytes = pod.overhead.memory.map_or(0, |q| q.value());
    let total = if base_bytes != 0 {
        base_bytes.saturating_add(overhead_bytes)
    } else {
        base_bytes
    };
    (
        total,
        PodRequestWhy {
            base,
            base_bytes,
            overhead_bytes,
            version: rules.version,
            pod_level_gate: rules.pod_level_resources(),
        },
    )
}

/// What the pod limit's derivation is rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodLimitWhy {
    /// The pod-level memory limit (plus overhead).
    PodLevel(QuantityRecord),
    /// Every container has a memory limit: `PodLimits(memory)`.
    AllLimited,
    /// Some container has no memory limit: not set (the derivation names them).
    Missing,
}

impl PodLimitWhy {
    /// The derivation of the pod limit `limit`; `unlimited` names the containers without a
    /// memory limit (for [`PodLimitWhy::Missing`]).
    pub fn derivation<'a>(
        &self,
        limit: Option<i64>,
        unlimited: impl Iterator<Item = &'a str>,
    ) -> Derivation {
        let subst = match self {
            PodLimitWhy::PodLevel(l) => {
                format!("spec.resources.limits.memory {} + overhead", l.get())
            }
            PodLimitWhy::AllLimited => format!(
                "every container has a memory limit: PodLimits(memory) = {}",
                limit.unwrap_or(0)
            ),
            PodLimitWhy::Missing => {
                let mut s = String::from("no memory limit on ");
                for (i, name) in unlimited.enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push_str(name);
                }
                s.push_str(": pod cgroup memory.max not set");
                s
            }
        };
        Derivation::new(
            "pod_memory_limit_bytes",
            "resources.pod_limit",
            "all containers limited ? PodLimits(memory) (+ overhead) : unlimited",
            subst,
            SRC_POD_LIMIT,
        )
    }
}

/// The pod cgroup's memory limit (`ResourceConfigForPod`): the pod-level limit plus overhead when
/// set (gate on); else the aggregated container limits plus overhead, but only when every
/// container and init container declares a non-zero memory limit — otherwise `None` (unlimited
/// within kubepods).
#[inline] // built in place in the evaluation's pod loop (docs/performance.md)
pub fn pod_memory_limit(pod: &Pod, rules: &KubeletRules) -> (Option<i64>, PodLimitWhy) {
    let overhead = pod.overhead.memory.as_ref();
    if let Some(l) = pod_level_resources(pod, rules)
        .and_then(|r| r.limits.memory.as_ref())
        .filter(|q| !q.is_zero())
    {
        let v = l
            .value()
            .saturating_add(overhead.map_or(0, Quantity::value));
        return (Some(v), PodLimitWhy::PodLevel(QuantityRecord::of(l)));
    }
    let all_limited = pod
        .all_containers()
        .all(|c| c.resources.limits.memory.is_some_and(|q| !q.is_zero()));
    if !all_limited {
        return (None, PodLimitWhy::Missing);
    }
    // `PodLimits(memory)`. With pod-level resources set, a pod-level memory limit of 0 (passed
    // over above) replaces the containers' sum, as `PodLimits` does.
    let pod_level_zero = is_pod_level_resources_set(pod, rules)
        .then(|| pod_level_resources(pod, rules).and_then(|r| r.limits.memory))
        .flatten();
    let sum = pod_level_zero.or_else(|| {
        aggregate(pod, rules.sidecars_enabled(), |c| {
            c.resources.limits.memory.as_ref()
        })
    });
    let v = match (sum, overhead) {
        (Some(cur), Some(o)) if !cur.is_zero() => cur.saturating_add(o).value(),
        (l, _) => l.map_or(0, |q| q.value()),
    };
    (Some(v), PodLimitWhy::AllLimited)
}
