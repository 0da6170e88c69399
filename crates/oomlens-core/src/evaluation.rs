//! The result of evaluating a scenario, and [`evaluate`], the whole operation.
//! The field names below are the stable JSON contract of `oomlens calc --format json`
//! (documented in the README): fields may be added, never renamed.

use crate::badness::{KillStep, OomScope};
use crate::derivation::Derivation;
use crate::pod::ContainerKind;
use crate::scenario::Scenario;
use crate::simulate::Timeline;
use serde::Serialize;

/// Hard or soft eviction threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThresholdKind {
    /// `evictionHard`.
    Hard,
    /// `evictionSoft`.
    Soft,
}

/// One resolved memory eviction threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdReport {
    /// `memory.available` or `allocatableMemory.available`.
    pub signal: String,
    /// Hard or soft.
    pub kind: ThresholdKind,
    /// The threshold in bytes (percentages resolved against the signal's capacity).
    pub bytes: i64,
    /// Grace period (0 for hard thresholds).
    pub grace_period_seconds: f64,
    /// Minimum reclaim in bytes.
    pub min_reclaim_bytes: i64,
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// Node-level results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeReport {
    /// Memory capacity.
    pub capacity_bytes: i64,
    /// kube-reserved memory.
    pub kube_reserved_bytes: i64,
    /// system-reserved memory.
    pub system_reserved_bytes: i64,
    /// The hard `memory.available` threshold subtracted from allocatable.
    pub hard_eviction_bytes: i64,
    /// Node allocatable memory.
    pub allocatable_bytes: i64,
    /// memory.max of the kubepods cgroup; `None` when not enforced.
    pub kubepods_limit_bytes: Option<i64>,
    /// Memory eviction thresholds.
    pub thresholds: Vec<ThresholdReport>,
    /// The preset used, if any, with its formula.
    pub preset: Option<String>,
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// Per-container results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerReport {
    /// Container name.
    pub name: String,
    /// container / init / sidecar.
    pub kind: ContainerKind,
    /// The oom_score_adj kubelet asks the runtime to set.
    pub oom_score_adj: i64,
    /// Effective memory request (after defaulting from the limit).
    pub memory_request_bytes: i64,
    /// Memory limit (`None` = unlimited).
    pub memory_limit_bytes: Option<i64>,
    /// cgroup v2 memory.high (`None` when not written).
    pub memory_high_bytes: Option<i64>,
    /// cgroup v2 memory.min (`None` when not written).
    pub memory_min_bytes: Option<i64>,
    /// Observed usage, if given.
    pub usage_bytes: Option<i64>,
    /// Badness in a whole-node OOM (`None` for init containers, which have completed).
    pub node_oom_badness: Option<i64>,
    /// `/proc/PID/oom_score` of the container's process as the kernel shows it.
    pub oom_score: Option<i64>,
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// Per-pod results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodReport {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    pub qos_class: String,
    /// `spec.priority` (nil → 0).
    pub priority: i32,
    /// The pod's memory request as eviction ranking sees it.
    pub memory_request_bytes: i64,
    /// Observed working set of the pod.
    pub usage_bytes: Option<i64>,
    /// usage > request.
    pub exceeds_request: bool,
    /// 1 = evicted first; `None` = never evicted (critical pod).
    pub eviction_rank: Option<u32>,
    /// True when this pod's rank is tied with another's (Go's unstable sort decides).
    pub eviction_tied: bool,
    /// Why it ranks where it does / why it is never evicted.
    pub eviction_reason: String,
    /// The pod cgroup's `memory.max` (`None` = unlimited).
    pub memory_limit_bytes: Option<i64>,
    /// `IsCriticalPod`.
    pub critical: bool,
    /// Containers (init containers first).
    pub containers: Vec<ContainerReport>,
    /// How the numbers were obtained.
    pub derivations: Vec<Derivation>,
}

/// The evaluation of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The kubelet version whose rules applied.
    pub kubelet_version: String,
    /// Node results.
    pub node: NodeReport,
    /// Pod results, in scenario order.
    pub pods: Vec<PodReport>,
    /// Eviction order under memory pressure (`ns/name`).
    pub eviction_order: Vec<String>,
    /// Kernel kill order for a whole-node OOM (`ns/name/container`).
    pub node_oom_kill_order: Vec<String>,
    /// Kernel version whose badness rules applied.
    pub kernel_version: String,
    /// Kill orders per OOM scope (pod cgroups with a limit, kubepods, node), with badness derivations.
    pub oom_scopes: Vec<OomScopeReport>,
    /// "What fires first": the time simulation.
    pub timeline: Timeline,
    /// Notes about the scenario (e.g. rules that are unverified for this version).
    pub notes: Vec<String>,
}

/// One OOM scope and the order in which the kernel would kill in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OomScopeReport {
    /// Container, pod, kubepods or node.
    pub scope: OomScope,
    /// `kubepods`, `node`, or the pod's `ns/name`.
    pub name: String,
    /// The scope's limit (`memory.max`, or capacity for the node).
    pub limit_bytes: i64,
    /// `totalpages` of an OOM in this scope.
    pub totalpages: i64,
    /// Kill order: repeatedly the highest badness (ties flagged).
    pub kill_order: Vec<KillStep>,
    /// How `totalpages` was obtained.
    pub derivations: Vec<Derivation>,
}

/// An error in a scenario, naming the field path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// Field path, e.g. `node.kubeletConfig.evictionHard.memory.available` or `pods[2].spec.containers[0].resources.limits.memory`.
    pub path: String,
    /// Line in the input, when known (1-based).
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

// ---------------------------------------------------------------------------------------------
// evaluate
// ---------------------------------------------------------------------------------------------

use crate::badness::{self, BadnessRule, Candidate, KernelVersion, TaskMemory};
use crate::critical;
use crate::eviction::{self, RankInput};
use crate::pod::{Container, Pod};
use crate::rules::KubeletRules;
use crate::simulate::{self, SimContainer, SimInput, SimPod, SimThreshold};
use crate::thresholds;
use std::collections::BTreeMap;

const DEFAULT_PAGE_SIZE: i64 = 4096;
const DEFAULT_TERMINATION_GRACE_SECONDS: i64 = 30;

fn err(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.into(),
        line: None,
        message: message.into(),
    }
}

/// Per-container usage after applying the split rule (see [`split_usage`]).
struct PodUsage {
    /// Pod working set (`None` = not given).
    pod: Option<i64>,
    /// Per container, in `all_containers()` order (`None` = not given / completed init container).
    containers: Vec<Option<i64>>,
}

/// Whether a container runs while the pod runs (regular containers and sidecars; regular init
/// containers have completed).
fn is_running(c: &Container, rules: &KubeletRules) -> bool {
    crate::resources::effective_kind(c, rules) != ContainerKind::Init
}

/// The usage split rule: `ns/pod/container` keys give a container's working set; an `ns/pod` key
/// gives the pod's, and whatever it exceeds the listed containers by is split over the running
/// containers without a key in proportion to their effective memory request (equally when those
/// are all 0), no container getting more than its limit (see [`water_fill`]). Without a pod key the
/// pod's usage is the sum of its containers'. A pod key smaller than the sum of its container keys
/// is an error.
fn split_usage(
    pod: &Pod,
    usage: &BTreeMap<String, i64>,
    requests: &[i64],
    limits: &[Option<i64>],
    rules: &KubeletRules,
) -> Result<PodUsage, ScenarioError> {
    let key = pod.key();
    let mut containers: Vec<Option<i64>> = Vec::with_capacity(requests.len());
    for c in pod.all_containers() {
        let ck = format!("{key}/{}", c.name);
        match usage.get(&ck) {
            Some(_) if !is_running(c, rules) => {
                return Err(err(
                    format!("usage.{ck}"),
                    "this is a regular init container: it has completed before the pod's containers run; give its usage to a running container",
                ))
            }
            Some(v) => containers.push(Some(*v)),
            None => containers.push(None),
        }
    }
    let given: i64 = containers
        .iter()
        .flatten()
        .fold(0i64, |a, b| a.saturating_add(*b));
    let pod_usage = match usage.get(&key) {
        None => {
            if containers.iter().any(Option::is_some) {
                Some(given)
            } else {
                None
            }
        }
        Some(&p) => {
            if p < given {
                return Err(err(
                    format!("usage.{key}"),
                    format!("the pod's usage {p} is smaller than the sum of its containers' usages {given}"),
                ));
            }
            let rest = p - given;
            let open: Vec<usize> = pod
                .all_containers()
                .enumerate()
                .filter(|(i, c)| {
                    is_running(c, rules) && containers.get(*i).is_some_and(Option::is_none)
                })
                .map(|(i, _)| i)
                .collect();
            if open.is_empty() {
                if rest > 0 {
                    return Err(err(
                        format!("usage.{key}"),
                        format!("the pod's usage exceeds the sum of its containers' usages by {rest} but every running container already has its own usage key"),
                    ));
                }
            } else {
                for (i, v) in water_fill(rest, &open, requests, limits) {
                    if let Some(slot) = containers.get_mut(i) {
                        *slot = Some(v);
                    }
                }
            }
            Some(p)
        }
    };
    Ok(PodUsage {
        pod: pod_usage,
        containers,
    })
}

/// Splits `rest` bytes over the containers `open` in proportion to their requests (equally when
/// they are all 0), never giving a container more than its limit: a container that would exceed
/// its limit gets exactly the limit and the excess is split again over the others. Whatever is
/// left when every container is at its limit goes to the first one (it is then over its limit,
/// which the timeline reports as an immediate OOM kill). The rounding remainder goes to the first
/// container that is not capped.
fn water_fill(
    rest: i64,
    open: &[usize],
    requests: &[i64],
    limits: &[Option<i64>],
) -> Vec<(usize, i64)> {
    let mut out: Vec<(usize, i64)> = Vec::with_capacity(open.len());
    let mut left: Vec<usize> = open.to_vec();
    let mut rest = rest.max(0);
    loop {
        if left.is_empty() {
            if rest > 0 {
                if let Some(first) = out.first_mut() {
                    first.1 = first.1.saturating_add(rest);
                }
            }
            return out;
        }
        let req = |i: usize| i128::from(requests.get(i).copied().unwrap_or(0).max(0));
        let total: i128 = left.iter().map(|&i| req(i)).sum();
        let n = left.len() as i128;
        let share = |i: usize| -> i64 {
            let v = if total > 0 {
                i128::from(rest) * req(i) / total
            } else {
                i128::from(rest) / n
            };
            i64::try_from(v).unwrap_or(i64::MAX)
        };
        let capped: Vec<usize> = left
            .iter()
            .copied()
            .filter(|&i| {
                limits
                    .get(i)
                    .copied()
                    .flatten()
                    .is_some_and(|l| share(i) > l)
            })
            .collect();
        if capped.is_empty() {
            let mut assigned = 0i64;
            let start = out.len();
            for &i in &left {
                let v = share(i);
                assigned = assigned.saturating_add(v);
                out.push((i, v));
            }
            if let Some(first) = out.get_mut(start) {
                first.1 = first.1.saturating_add(rest - assigned);
            }
            return out;
        }
        for &i in &capped {
            let l = limits.get(i).copied().flatten().unwrap_or(0).max(0);
            rest = rest.saturating_sub(l);
            out.push((i, l));
        }
        left.retain(|i| !capped.contains(i));
    }
}

fn bytes_of(q: &crate::quantity::Quantity) -> i64 {
    q.value()
}

/// Checks that every `usage`/`growth` key names a pod (and container) of the scenario.
fn check_keys(
    index: &std::collections::HashMap<String, usize>,
    scenario: &Scenario,
    map: &BTreeMap<String, crate::quantity::Quantity>,
    field: &str,
) -> Result<(), ScenarioError> {
    for k in map.keys() {
        let path = format!("{field}.{k}");
        crate::scenario::check_usage_key(k).map_err(|m| err(&path, m))?;
        let mut parts = k.splitn(3, '/');
        let (ns, name, container) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next(),
        );
        let pod = index
            .get(&format!("{ns}/{name}"))
            .and_then(|&i| scenario.pods.get(i))
            .ok_or_else(|| err(&path, format!("no pod {ns}/{name} in pods")))?;
        if let Some(c) = container {
            if !pod.all_containers().any(|x| x.name == c) {
                return Err(err(
                    &path,
                    format!("pod {} has no container {c:?}", pod.key()),
                ));
            }
        }
    }
    Ok(())
}

/// Evaluates a scenario: every number kubelet and the kernel would produce for it.
///
/// Steps: resolve the version rules (`kubeletVersion`, default newest) and kernel rules; apply the
/// preset; parse thresholds (`ParseThresholdConfig`); compute allocatable and the kubepods limit;
/// per pod QoS, priority, eviction request, usage, rank; per container kind, oom_score_adj,
/// request, limit, memory.high/min, badness; the eviction order; the kill order of every OOM scope;
/// and the "what fires first" timeline.
pub fn evaluate(scenario: &Scenario) -> Result<Evaluation, ScenarioError> {
    let rules = KubeletRules::resolve(scenario.kubelet_version.as_deref(), &scenario.feature_gates)
        .map_err(|m| err("kubeletVersion", m))?;
    let mut notes: Vec<String> = rules.notes.clone();
    let kernel = match &scenario.node.kernel_version {
        None => KernelVersion::NEWEST,
        Some(s) => KernelVersion::parse(s).ok_or_else(|| {
            err(
                "node.kernelVersion",
                format!("{s:?}: expected a kernel version such as \"6.8\""),
            )
        })?,
    };
    let badness_rule = BadnessRule::for_kernel(kernel);
    let page_size = scenario
        .node
        .page_size
        .map_or(DEFAULT_PAGE_SIZE, |p| {
            i64::try_from(p).unwrap_or(DEFAULT_PAGE_SIZE)
        })
        .max(1);
    let cgroup_v2 = scenario.node.cgroup_version.unwrap_or(2) == 2;
    let capacity = bytes_of(&scenario.node.memory);
    if capacity <= 0 {
        return Err(err("node.memory", "must be greater than zero"));
    }
    let swap = scenario.node.swap.as_ref().map_or(0, bytes_of).max(0);
    let system_usage = scenario
        .node
        .system_usage
        .as_ref()
        .map_or(0, bytes_of)
        .max(0);

    // Preset → kubelet configuration.
    let (kcfg, preset_report) = adapt::apply_preset(scenario, &rules)?;
    let parsed = thresholds::parse_threshold_config(&kcfg).map_err(|e| {
        err(
            format!(
                "node.kubeletConfig.{}",
                e.path.trim_start_matches("node.kubeletConfig.")
            ),
            e.message,
        )
    })?;
    let hugepages = 0;
    let na =
        crate::allocatable::node_allocatable(capacity, hugepages, &kcfg, &parsed).map_err(|e| {
            err(
                if e.path.starts_with("node") {
                    e.path.clone()
                } else {
                    format!("node.kubeletConfig.{}", e.path)
                },
                e.message,
            )
        })?;
    if parsed.hard_defaulted {
        notes.push("evictionHard not set: kubelet's Linux defaults apply (memory.available<100Mi, nodefs/imagefs thresholds)".into());
    }

    // Thresholds (memory signals only).
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
        let bytes = t.quantity(cap);
        let min_reclaim = t.min_reclaim_quantity(cap);
        let mut derivations = vec![t.value.derive("bytes", cap)];
        if let Some(m) = &t.min_reclaim {
            derivations.push(m.derive("min_reclaim_bytes", cap));
        }
        threshold_reports.push(ThresholdReport {
            signal: t.signal.clone(),
            kind: t.kind,
            bytes,
            grace_period_seconds: t.grace_period_seconds(),
            min_reclaim_bytes: min_reclaim,
            derivations,
        });
        sim_thresholds.push(SimThreshold {
            signal: t.signal.clone(),
            hard: t.grace_period_ns == 0,
            bytes,
            grace_ms: t.grace_period_ns / 1_000_000,
            min_reclaim_bytes: min_reclaim,
        });
    }

    // Pod keys, usage and growth.
    let mut index = std::collections::HashMap::with_capacity(scenario.pods.len());
    for (i, p) in scenario.pods.iter().enumerate() {
        if index.insert(p.key(), i).is_some() {
            return Err(err(
                format!("pods[{i}].metadata.name"),
                format!("duplicate pod {}", p.key()),
            ));
        }
    }
    check_keys(&index, scenario, &scenario.usage, "usage")?;
    check_keys(&index, scenario, &scenario.growth, "growth")?;
    let usage: BTreeMap<String, i64> = scenario
        .usage
        .iter()
        .map(|(k, v)| (k.clone(), bytes_of(v)))
        .collect();
    let growth: BTreeMap<String, i64> = scenario
        .growth
        .iter()
        .map(|(k, v)| (k.clone(), bytes_of(v)))
        .collect();
    {
        let mut seen = std::collections::BTreeSet::new();
        for (i, p) in scenario.pods.iter().enumerate() {
            if !seen.insert(p.key()) {
                return Err(err(
                    format!("pods[{i}].metadata.name"),
                    format!("duplicate pod {}", p.key()),
                ));
            }
        }
    }

    let oom_group =
        cgroup_v2 && !rules.single_process_oom_kill(kcfg.single_process_oom_kill, cgroup_v2);
    if kcfg.single_process_oom_kill.is_some() && !rules.single_process_oom_kill_configurable() {
        notes.push(format!(
            "singleProcessOOMKill does not exist in kubelet {}: ignored",
            rules.version
        ));
    }
    let global_tp = badness::global_totalpages(capacity, swap, page_size);
    let mq_params =
        adapt::memory_qos_params(&rules, &kcfg, if cgroup_v2 { 2 } else { 1 }, page_size, &na)?;
    if mq_params.enabled {
        notes.push(mq_params.reason.clone());
    }

    // Pods.
    let mut pods = Vec::with_capacity(scenario.pods.len());
    let mut rank_inputs = Vec::with_capacity(scenario.pods.len());
    let mut sim_pods = Vec::with_capacity(scenario.pods.len());
    let mut any_missing_usage = false;
    for (pi, pod) in scenario.pods.iter().enumerate() {
        let base = format!("pods[{pi}]");
        // Defaulted once (requests from limits, sidecar demotion, pod-level defaults); the rule
        // modules' `_of_defaulted` entry points then skip their own copy.
        let dpod = crate::resources::defaulted_pod(pod, &rules);
        let (qos, qos_d) = adapt::pod_qos(&dpod, &rules);
        let priority = pod.priority.unwrap_or(0);
        let critical = critical::is_critical_pod(pod);
        let (request, request_d) = adapt::pod_eviction_request(&dpod, &rules);
        let request_ds: Vec<(i64, Derivation)> = pod
            .all_containers()
            .map(|c| adapt::container_request(pod, c, &rules))
            .collect();
        let requests: Vec<i64> = request_ds.iter().map(|(v, _)| *v).collect();
        let limit_ds: Vec<(Option<i64>, Derivation)> = pod
            .all_containers()
            .map(|c| adapt::container_limit(pod, c, &rules))
            .collect();
        let limits: Vec<Option<i64>> = limit_ds.iter().map(|(l, _)| *l).collect();
        let split = split_usage(pod, &usage, &requests, &limits, &rules)?;
        if split.pod.is_none() {
            any_missing_usage = true;
        }
        let (pod_limit, pod_limit_d) = adapt::pod_cgroup_limit(pod, &rules);
        let key = pod.key();
        let mut containers = Vec::new();
        let mut sim_containers = Vec::new();
        let adjs = adapt::container_adjs(&dpod, capacity, &rules);
        for (ci, c) in pod.all_containers().enumerate() {
            let kind = crate::resources::effective_kind(c, &rules);
            let (adj, adj_d) = adjs
                .get(ci)
                .cloned()
                .ok_or_else(|| err(format!("{base}.spec"), "internal: container count mismatch"))?;
            let (req, req_d) = request_ds.get(ci).cloned().unwrap_or_else(|| {
                (
                    0,
                    Derivation::new(
                        "memory_request_bytes",
                        "resources.container_request",
                        "",
                        "0",
                        "",
                    ),
                )
            });
            let (limit, limit_d) = limit_ds.get(ci).cloned().unwrap_or_else(|| {
                (
                    None,
                    Derivation::new(
                        "memory_limit_bytes",
                        "resources.container_limit",
                        "",
                        "unlimited",
                        "",
                    ),
                )
            });
            let mq =
                crate::memory_qos::container_memory_qos(&mq_params, &qos, req, limit.unwrap_or(0));
            let (high, min) = (mq.memory_high, mq.memory_min);
            let mut qos_ds = vec![req_d, limit_d];
            qos_ds.extend(mq.derivations);
            let cusage = split.containers.get(ci).copied().flatten();
            let running = kind != ContainerKind::Init;
            let (node_badness, oom_score, bd) = if running {
                let task = TaskMemory::from_rss_bytes(cusage.unwrap_or(0), page_size);
                let b =
                    badness::oom_badness_for(badness_rule, &task, adj, global_tp, page_size, false);
                let cand = Candidate {
                    id: format!("{key}/{}", c.name),
                    task,
                    oom_score_adj: adj,
                    cap_sys_admin: false,
                };
                let mut d = vec![badness::proc_oom_score_derivation(
                    badness_rule,
                    b,
                    global_tp,
                )];
                if let Some(points) = b {
                    d.insert(
                        0,
                        badness::badness_derivation(
                            badness_rule,
                            &cand,
                            global_tp,
                            page_size,
                            points,
                        ),
                    );
                }
                (
                    b,
                    Some(badness::proc_oom_score(badness_rule, b, global_tp)),
                    d,
                )
            } else {
                (None, None, Vec::new())
            };
            let mut derivations = vec![adj_d];
            derivations.append(&mut qos_ds);
            derivations.extend(bd);
            containers.push(ContainerReport {
                name: c.name.clone(),
                kind,
                oom_score_adj: adj,
                memory_request_bytes: req,
                memory_limit_bytes: limit,
                memory_high_bytes: high,
                memory_min_bytes: min,
                usage_bytes: if running { cusage } else { None },
                node_oom_badness: node_badness,
                oom_score,
                derivations,
            });
            if running {
                let g = growth.get(&format!("{key}/{}", c.name)).copied();
                sim_containers.push(SimContainer {
                    name: c.name.clone(),
                    oom_score_adj: adj,
                    limit_bytes: limit,
                    usage_bytes: cusage.unwrap_or(0),
                    growth_bytes_per_second: g.unwrap_or(0),
                });
            }
        }
        // A pod-level growth key is split like usage: over running containers without their own
        // growth key, in proportion to request (equally when all are 0).
        if let Some(&g) = growth.get(&key) {
            let open: Vec<usize> = sim_containers
                .iter()
                .enumerate()
                .filter(|(_, sc)| !growth.contains_key(&format!("{key}/{}", sc.name)))
                .map(|(i, _)| i)
                .collect();
            let reqs: Vec<i64> = open
                .iter()
                .map(|&i| {
                    let name = sim_containers
                        .get(i)
                        .map(|s| s.name.clone())
                        .unwrap_or_default();
                    pod.all_containers()
                        .position(|c| c.name == name)
                        .and_then(|j| requests.get(j).copied())
                        .unwrap_or(0)
                        .max(0)
                })
                .collect();
            let total: i128 = reqs.iter().map(|r| i128::from(*r)).sum();
            let mut assigned = 0i64;
            for (n, &i) in open.iter().enumerate() {
                let share = if total > 0 {
                    (i128::from(g) * i128::from(reqs.get(n).copied().unwrap_or(0)) / total) as i64
                } else {
                    g / open.len().max(1) as i64
                };
                if let Some(sc) = sim_containers.get_mut(i) {
                    sc.growth_bytes_per_second = share;
                }
                assigned = assigned.saturating_add(share);
            }
            if let Some(sc) = open.first().and_then(|&i| sim_containers.get_mut(i)) {
                sc.growth_bytes_per_second =
                    sc.growth_bytes_per_second.saturating_add(g - assigned);
            }
        }
        let tgps = pod
            .termination_grace_period_seconds
            .unwrap_or(DEFAULT_TERMINATION_GRACE_SECONDS);
        let (hard_grace, _) = eviction::eviction_grace_period(
            true,
            rules.immediate_eviction_grace_seconds(),
            0,
            Some(tgps),
            true,
        );
        let hard_grace = if hard_grace == 0 { tgps } else { hard_grace };
        let (soft_grace, _) = eviction::eviction_grace_period(
            false,
            rules.immediate_eviction_grace_seconds(),
            kcfg.eviction_max_pod_grace_period.unwrap_or(0),
            Some(tgps),
            true,
        );
        sim_pods.push(SimPod {
            namespace: pod.namespace.clone(),
            name: pod.name.clone(),
            priority,
            critical,
            request_bytes: request,
            limit_bytes: pod_limit,
            hard_eviction_grace_seconds: hard_grace,
            soft_eviction_grace_seconds: soft_grace,
            containers: sim_containers,
        });
        rank_inputs.push(RankInput {
            key: key.clone(),
            priority,
            request_bytes: request,
            usage_bytes: Some(split.pod.unwrap_or(0)),
            critical,
        });
        pods.push(PodReport {
            namespace: pod.namespace.clone(),
            name: pod.name.clone(),
            qos_class: qos,
            priority,
            memory_request_bytes: request,
            usage_bytes: split.pod,
            exceeds_request: split.pod.unwrap_or(0) > request,
            eviction_rank: None,
            eviction_tied: false,
            eviction_reason: String::new(),
            memory_limit_bytes: pod_limit,
            critical,
            containers,
            derivations: vec![qos_d, request_d, pod_limit_d],
        });
    }
    if any_missing_usage && !scenario.pods.is_empty() {
        notes.push("pods without a usage entry are taken as using 0 bytes (kubelet always has stats for running pods)".into());
    }

    // Eviction ranking.
    let ranked = eviction::rank_memory_pressure(&rank_inputs);
    let mut eviction_order = Vec::new();
    for r in &ranked {
        if let Some(p) = pods.get_mut(r.input_index) {
            p.eviction_rank = r.eviction_rank;
            p.eviction_tied = r.tied;
            p.eviction_reason = r.reason.clone();
            p.derivations.push(eviction::rank_derivation(r));
        }
        if r.eviction_rank.is_some() {
            eviction_order.push(r.key.clone());
        }
    }

    // OOM scopes.
    let sim = SimInput {
        capacity_bytes: capacity,
        swap_bytes: swap,
        page_size,
        system_usage_bytes: system_usage,
        kubepods_limit_bytes: na.kubepods_limit_bytes,
        thresholds: sim_thresholds,
        badness_rule,
        oom_group,
        pods: sim_pods,
    };
    let oom_scopes = oom_scopes(&sim, &pods);
    let node_oom_kill_order = oom_scopes
        .iter()
        .find(|s| s.scope == OomScope::Node)
        .map(|s| {
            s.kill_order
                .iter()
                .filter(|k| k.id.matches('/').count() == 2 && !k.id.ends_with(')'))
                .map(|k| k.id.clone())
                .collect()
        })
        .unwrap_or_default();
    let timeline = simulate::simulate(&sim);

    notes.push(format!("kernel {kernel}: {}", badness_rule.describe()));
    notes.push(if oom_group {
        "memory.oom.group = 1 on container cgroups (cgroup v2, kubelet ≥ 1.28, singleProcessOOMKill off): an OOM kill takes the whole container".into()
    } else {
        "memory.oom.group not set: an OOM kill takes only the chosen process; the container may keep running".into()
    });
    notes.push("kernel OOM model: each container is one process whose rss is its working set; the pod sandbox (pause) is −998 with negligible rss".into());

    Ok(Evaluation {
        kubelet_version: rules.version.to_string(),
        node: NodeReport {
            capacity_bytes: na.capacity_bytes,
            kube_reserved_bytes: na.kube_reserved_bytes,
            system_reserved_bytes: na.system_reserved_bytes,
            hard_eviction_bytes: na.hard_eviction_bytes,
            allocatable_bytes: na.allocatable_bytes,
            kubepods_limit_bytes: na.kubepods_limit_bytes,
            thresholds: threshold_reports,
            preset: preset_report,
            derivations: na.derivations.clone(),
        },
        pods,
        eviction_order,
        node_oom_kill_order,
        kernel_version: kernel.to_string(),
        oom_scopes,
        timeline,
        notes,
    })
}

/// The kill order of every scope that can OOM: each pod cgroup with a limit, kubepods (when
/// enforced) and the node. Candidates are in scenario order (the kernel's iteration order is
/// process creation order, unknown here, so equal points are reported as ties).
fn oom_scopes(sim: &SimInput, pods: &[PodReport]) -> Vec<OomScopeReport> {
    let ps = sim.page_size;
    let swap_pages = sim.swap_bytes / ps;
    let cands_of = |p: &SimPod, out: &mut Vec<Candidate>| {
        out.push(Candidate {
            id: format!("{}/{} (sandbox)", p.namespace, p.name),
            task: TaskMemory::default(),
            oom_score_adj: badness::SANDBOX_OOM_SCORE_ADJ,
            cap_sys_admin: false,
        });
        for c in &p.containers {
            out.push(Candidate {
                id: format!("{}/{}/{}", p.namespace, p.name, c.name),
                task: TaskMemory::from_rss_bytes(c.usage_bytes, ps),
                oom_score_adj: c.oom_score_adj,
                cap_sys_admin: false,
            });
        }
    };
    let mut out = Vec::new();
    for (p, _report) in sim.pods.iter().zip(pods) {
        if let Some(l) = p.limit_bytes {
            let tp = badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1);
            let mut c = Vec::new();
            cands_of(p, &mut c);
            out.push(OomScopeReport {
                scope: OomScope::Pod,
                name: format!("{}/{}", p.namespace, p.name),
                limit_bytes: l,
                totalpages: tp,
                kill_order: badness::kill_order(sim.badness_rule, &c, tp, ps),
                derivations: vec![badness::totalpages_derivation(OomScope::Pod, l, 0, ps, tp)],
            });
        }
    }
    // kubepods and node scopes: every container, plus the pod sandboxes as one entry (they are
    // identical: rss ≈ 0, adj −998, so they tie with each other and come after every container
    // whose badness is above −998·totalpages/1000).
    let mut all = Vec::with_capacity(sim.pods.len() * 2 + 2);
    for p in &sim.pods {
        for c in &p.containers {
            all.push(Candidate {
                id: format!("{}/{}/{}", p.namespace, p.name, c.name),
                task: TaskMemory::from_rss_bytes(c.usage_bytes, ps),
                oom_score_adj: c.oom_score_adj,
                cap_sys_admin: false,
            });
        }
    }
    if !sim.pods.is_empty() {
        all.push(Candidate {
            id: format!(
                "{} pod sandboxes (pause, −998 each; they tie)",
                sim.pods.len()
            ),
            task: TaskMemory::default(),
            oom_score_adj: badness::SANDBOX_OOM_SCORE_ADJ,
            cap_sys_admin: false,
        });
    }
    if let Some(l) = sim.kubepods_limit_bytes {
        let tp = badness::memcg_totalpages(Some(l), swap_pages, ps).unwrap_or(1);
        out.push(OomScopeReport {
            scope: OomScope::Kubepods,
            name: "kubepods".into(),
            limit_bytes: l,
            totalpages: tp,
            kill_order: badness::kill_order(sim.badness_rule, &all, tp, ps),
            derivations: vec![badness::totalpages_derivation(
                OomScope::Kubepods,
                l,
                swap_pages,
                ps,
                tp,
            )],
        });
    }
    all.push(Candidate {
        id: "kubelet + container runtime".into(),
        task: TaskMemory::from_rss_bytes(sim.system_usage_bytes, ps),
        oom_score_adj: badness::KUBELET_OOM_SCORE_ADJ,
        cap_sys_admin: true,
    });
    let tp = badness::global_totalpages(sim.capacity_bytes, sim.swap_bytes, ps);
    out.push(OomScopeReport {
        scope: OomScope::Node,
        name: "node".into(),
        limit_bytes: sim.capacity_bytes,
        totalpages: tp,
        kill_order: badness::kill_order(sim.badness_rule, &all, tp, ps),
        derivations: vec![badness::totalpages_derivation(
            OomScope::Node,
            sim.capacity_bytes,
            swap_pages,
            ps,
            tp,
        )],
    });
    out
}

/// The calls into the kubelet-rule modules (qos, oom_score_adj, resources, memory_qos, presets).
mod adapt {
    use super::{err, ScenarioError};
    use crate::allocatable::NodeAllocatable;
    use crate::derivation::Derivation;
    use crate::pod::{Container, Pod};
    use crate::rules::KubeletRules;
    use crate::scenario::{KubeletConfig, Scenario};

    /// Preset → effective kubelet configuration (`presets.rs`): the preset fills what the
    /// scenario's kubeletConfig leaves unset.
    pub fn apply_preset(
        s: &Scenario,
        rules: &KubeletRules,
    ) -> Result<(KubeletConfig, Option<String>), ScenarioError> {
        match &s.node.preset {
            None => Ok((s.node.kubelet_config.clone(), None)),
            Some(p) => {
                let preset = crate::presets::apply_preset_for_version(
                    p,
                    s.node.memory.value(),
                    s.node.max_pods,
                    rules.version,
                )
                .map_err(|m| err("node.preset", m))?;
                let cfg = preset.fill(&s.node.kubelet_config);
                Ok((
                    cfg,
                    Some(format!(
                        "{}: {} ({})",
                        preset.name, preset.formula, preset.source
                    )),
                ))
            }
        }
    }

    /// QoS class (`qos.rs`, `GetPodQOS`) of a pod already passed through `defaulted_pod`.
    pub fn pod_qos(pod: &Pod, rules: &KubeletRules) -> (String, Derivation) {
        let (q, d) = crate::qos::get_pod_qos_with_derivation_of_defaulted(pod, rules);
        (q.as_str().to_string(), d)
    }

    /// Effective container memory request (`resources.rs`: request, defaulted from the limit).
    pub fn container_request(
        _pod: &Pod,
        c: &Container,
        _rules: &KubeletRules,
    ) -> (i64, Derivation) {
        crate::resources::container_memory_request(c)
    }

    /// Container `memory.max`: its limit, or with pod-level resources and no container limit the
    /// pod-level limit (`getMemoryLimit`, `pkg/kubelet/kuberuntime/kuberuntime_container_linux.go`).
    pub fn container_limit(
        pod: &Pod,
        c: &Container,
        rules: &KubeletRules,
    ) -> (Option<i64>, Derivation) {
        let (l, d) = crate::resources::container_memory_limit(c);
        if l.is_none() && crate::resources::is_pod_level_resources_set(pod, rules) {
            if let Some(pl) = crate::resources::pod_level_resources(pod, rules)
                .and_then(|r| r.limits.memory)
                .filter(|q| !q.is_zero())
            {
                let v = pl.value();
                return (
                    Some(v),
                    Derivation::new(
                        "memory_limit_bytes",
                        "resources.container_limit_from_pod",
                        "no container limit + pod-level resources → pod-level limits.memory",
                        format!("spec.resources.limits.memory {pl} = {v}"),
                        "kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (getMemoryLimit)",
                    ),
                );
            }
        }
        (l, d)
    }

    /// Pod request as eviction sees it (`resources.rs`), of a pod already passed through `defaulted_pod`.
    pub fn pod_eviction_request(pod: &Pod, rules: &KubeletRules) -> (i64, Derivation) {
        crate::resources::pod_memory_request_of_defaulted(pod, rules)
    }

    /// Pod cgroup limit (`resources.rs`).
    pub fn pod_cgroup_limit(pod: &Pod, rules: &KubeletRules) -> (Option<i64>, Derivation) {
        crate::resources::pod_memory_limit(pod, rules)
    }

    /// oom_score_adj of every container, init containers first (`oom_score_adj.rs`), of a pod
    /// already passed through `defaulted_pod`.
    pub fn container_adjs(
        pod: &Pod,
        capacity: i64,
        rules: &KubeletRules,
    ) -> Vec<(i64, Derivation)> {
        crate::oom_score_adj::pod_oom_score_adjs_of_defaulted(pod, capacity, rules)
            .into_iter()
            .map(|(_, _, a, d)| (a, d))
            .collect()
    }

    /// Memory QoS settings of the node (`memory_qos.rs`).
    pub fn memory_qos_params(
        rules: &KubeletRules,
        cfg: &KubeletConfig,
        cgroup_version: u8,
        page_size: i64,
        na: &NodeAllocatable,
    ) -> Result<crate::memory_qos::MemoryQosParams, ScenarioError> {
        crate::memory_qos::MemoryQosParams::resolve(
            rules,
            cfg,
            cgroup_version,
            u64::try_from(page_size).unwrap_or(4096),
            na.node_allocatable_absolute_bytes,
        )
        .map_err(|m| match m.split_once(": ") {
            Some((path, msg)) if path.starts_with("node.") => err(path, msg),
            _ => err("node.kubeletConfig", m),
        })
    }
}
