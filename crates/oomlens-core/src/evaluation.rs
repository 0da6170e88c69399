//! The result of evaluating a scenario, and [`evaluate`], the whole operation.
//! The field names below are the stable JSON contract of `oomlens calc --format json`
//! (documented in the README): fields may be added, never renamed.

use crate::badness::{KillStep, OomScope};
use crate::derivation::Derivation;
use crate::message::{Arg, Message};
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
    /// Why it ranks where it does / why it is never evicted (English; empty in the numbers-only
    /// evaluation).
    pub eviction_reason: String,
    /// [`PodReport::eviction_reason`] as structured clauses (ids `eviction.rank.*`, English joined
    /// by `"; "`), built in both modes.
    #[serde(skip)]
    pub eviction_messages: Vec<Message>,
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
    /// Notes about the scenario (e.g. rules that are unverified for this version); English, empty
    /// in the numbers-only evaluation.
    pub notes: Vec<String>,
    /// [`Evaluation::notes`] as structured messages (ids `note.*`, `rules.*`), built in both modes.
    #[serde(skip)]
    pub note_messages: Vec<Message>,
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

/// Notes in both forms: structured always, English only when deriving.
struct Notes {
    derive: bool,
    text: Vec<String>,
    messages: Vec<Message>,
}

impl Notes {
    fn push(&mut self, m: Message) {
        if self.derive {
            self.text.push(m.english());
        }
        self.messages.push(m);
    }
}
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
#[allow(clippy::too_many_arguments)]
fn split_usage(
    pod: &Pod,
    key: &str,
    pod_given: Option<i64>,
    container_given: &[Option<i64>],
    requests: &[i64],
    limits: &[Option<i64>],
    rules: &KubeletRules,
) -> Result<PodUsage, ScenarioError> {
    let mut containers: Vec<Option<i64>> = Vec::with_capacity(requests.len());
    for (ci, c) in pod.all_containers().enumerate() {
        match container_given.get(ci).copied().flatten() {
            Some(_) if !is_running(c, rules) => {
                return Err(err(
                    format!("usage.{key}/{}", c.name),
                    "this is a regular init container: it has completed before the pod's containers run; give its usage to a running container",
                ))
            }
            Some(v) => containers.push(Some(v)),
            None => containers.push(None),
        }
    }
    let given: i64 = containers
        .iter()
        .flatten()
        .fold(0i64, |a, b| a.saturating_add(*b));
    let pod_usage = match pod_given {
        None => {
            if containers.iter().any(Option::is_some) {
                Some(given)
            } else {
                None
            }
        }
        Some(p) => {
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

/// FNV-1a, for the pod index (short keys, no untrusted-input DoS concern in a local tool).
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// `ns/name` → index in `scenario.pods`.
type PodIndex<'a> = std::collections::HashMap<&'a str, usize, std::hash::BuildHasherDefault<Fnv>>;

/// `check_usage_key` without allocating: 2 or 3 non-blank `/`-separated parts.
fn usage_key_ok(key: &str) -> bool {
    let mut n = 0;
    for part in key.split('/') {
        n += 1;
        if part.trim().is_empty() || n > 3 {
            return false;
        }
    }
    n >= 2
}

/// Checks that every `usage`/`growth` key names a pod (and container) of the scenario, and puts
/// each value in its slot: `pod_slots[pod]` for `ns/pod`, `container_slots[offsets[pod] + i]` for
/// `ns/pod/container` (every container of that name, in `all_containers()` order).
fn fill_slots(
    index: &PodIndex,
    scenario: &Scenario,
    offsets: &[usize],
    map: &BTreeMap<String, crate::quantity::Quantity>,
    field: &str,
    pod_slots: &mut [Option<i64>],
    container_slots: &mut [Option<i64>],
) -> Result<(), ScenarioError> {
    for (k, q) in map {
        let path = || format!("{field}.{k}");
        if !usage_key_ok(k) {
            let m = crate::scenario::check_usage_key(k)
                .err()
                .unwrap_or_else(|| "invalid key".to_string());
            return Err(err(path(), m));
        }
        let mut parts = k.splitn(3, '/');
        let (ns, name, container) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next(),
        );
        let pod_key = k.get(..ns.len() + 1 + name.len()).unwrap_or("");
        let Some((pi, pod)) = index
            .get(pod_key)
            .and_then(|&i| scenario.pods.get(i).map(|p| (i, p)))
        else {
            return Err(err(path(), format!("no pod {ns}/{name} in pods")));
        };
        let v = bytes_of(q);
        match container {
            None => {
                if let Some(slot) = pod_slots.get_mut(pi) {
                    *slot = Some(v);
                }
            }
            Some(c) => {
                let off = offsets.get(pi).copied().unwrap_or(0);
                let mut found = false;
                for (ci, x) in pod.all_containers().enumerate() {
                    if x.name == c {
                        found = true;
                        if let Some(slot) = container_slots.get_mut(off + ci) {
                            *slot = Some(v);
                        }
                    }
                }
                if !found {
                    return Err(err(
                        path(),
                        format!("pod {} has no container {c:?}", pod.key()),
                    ));
                }
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
    evaluate_with(scenario, &EvaluateOptions::FULL)
}

/// What [`evaluate_with`] builds besides the numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvaluateOptions {
    /// Build every [`Derivation`] and the English sentences (`eviction_reason`, timeline
    /// `reason`/`outcome`, `notes`). Off: the numbers-only path — every numeric and ordering field is
    /// the same as [`evaluate`]'s, every `derivations` vector is empty, kill steps carry an empty
    /// derivation and the English `String` fields are empty; the structured [`crate::message::Message`]
    /// fields are filled in both modes.
    pub derivations: bool,
}

impl EvaluateOptions {
    /// Everything (what [`evaluate`] uses).
    pub const FULL: EvaluateOptions = EvaluateOptions { derivations: true };
    /// Numbers, orders and structured messages only: the fast path for recomputing on every keystroke.
    pub const NUMBERS: EvaluateOptions = EvaluateOptions { derivations: false };
}

impl Default for EvaluateOptions {
    fn default() -> Self {
        EvaluateOptions::FULL
    }
}

/// [`evaluate`] with [`EvaluateOptions`]: with `derivations: false` nothing but numbers, orders and
/// structured messages is built (see [`EvaluateOptions::derivations`]).
pub fn evaluate_with(
    scenario: &Scenario,
    opts: &EvaluateOptions,
) -> Result<Evaluation, ScenarioError> {
    let derive = opts.derivations;
    let rules = KubeletRules::resolve(scenario.kubelet_version.as_deref(), &scenario.feature_gates)
        .map_err(|m| err("kubeletVersion", m))?;
    let mut notes = Notes {
        derive,
        text: if derive {
            rules.notes.clone()
        } else {
            Vec::new()
        },
        messages: crate::rules::resolution_messages(rules.version, &scenario.feature_gates),
    };
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
    let na = crate::allocatable::node_allocatable_with(capacity, hugepages, &kcfg, &parsed, derive)
        .map_err(|e| {
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
        notes.push(Message::plain("note.eviction_hard_defaulted"));
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
        let mut derivations = Vec::new();
        if derive {
            derivations.push(t.value.derive("bytes", cap));
            if let Some(m) = &t.min_reclaim {
                derivations.push(m.derive("min_reclaim_bytes", cap));
            }
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

    // Pod keys, usage and growth (read into per-pod / per-container slots once).
    let n_pods = scenario.pods.len();
    let mut keys: Vec<String> = Vec::with_capacity(n_pods);
    let mut offsets: Vec<usize> = Vec::with_capacity(n_pods + 1);
    let mut n_containers = 0usize;
    for p in &scenario.pods {
        keys.push(p.key());
        offsets.push(n_containers);
        n_containers += p.init_containers.len() + p.containers.len();
    }
    offsets.push(n_containers);
    let mut index: PodIndex = PodIndex::with_capacity_and_hasher(n_pods, Default::default());
    for (i, k) in keys.iter().enumerate() {
        if index.insert(k.as_str(), i).is_some() {
            return Err(err(
                format!("pods[{i}].metadata.name"),
                format!("duplicate pod {k}"),
            ));
        }
    }
    let mut pod_usage: Vec<Option<i64>> = vec![None; n_pods];
    let mut cont_usage: Vec<Option<i64>> = vec![None; n_containers];
    let mut pod_growth: Vec<Option<i64>> = vec![None; n_pods];
    let mut cont_growth: Vec<Option<i64>> = vec![None; n_containers];
    fill_slots(
        &index,
        scenario,
        &offsets,
        &scenario.usage,
        "usage",
        &mut pod_usage,
        &mut cont_usage,
    )?;
    fill_slots(
        &index,
        scenario,
        &offsets,
        &scenario.growth,
        "growth",
        &mut pod_growth,
        &mut cont_growth,
    )?;
    drop(index);

    let oom_group =
        cgroup_v2 && !rules.single_process_oom_kill(kcfg.single_process_oom_kill, cgroup_v2);
    if kcfg.single_process_oom_kill.is_some() && !rules.single_process_oom_kill_configurable() {
        notes.push(Message::new(
            "note.single_process_oom_kill_ignored",
            vec![("version", Arg::Text(rules.version.to_string()))],
        ));
    }
    let global_tp = badness::global_totalpages(capacity, swap, page_size);
    let mq_params =
        adapt::memory_qos_params(&rules, &kcfg, if cgroup_v2 { 2 } else { 1 }, page_size, &na)?;
    if mq_params.enabled {
        notes.push(Message::new(
            "note.memory_qos_on",
            vec![("version", Arg::Text(rules.version.to_string()))],
        ));
    }

    // Pods.
    let mut pods = Vec::with_capacity(scenario.pods.len());
    let mut rank_inputs = Vec::with_capacity(scenario.pods.len());
    let mut sim_pods = Vec::with_capacity(scenario.pods.len());
    let mut any_missing_usage = false;
    let sidecars = rules.sidecars_enabled();
    // Per-pod scratch, reused.
    let mut requests: Vec<i64> = Vec::new();
    let mut limits: Vec<Option<i64>> = Vec::new();
    let mut adjs: Vec<i64> = Vec::new();
    let mut cds: Vec<Vec<Derivation>> = Vec::new();
    for (pi, pod) in scenario.pods.iter().enumerate() {
        let priority = pod.priority.unwrap_or(0);
        let critical = critical::is_critical_pod(pod);
        requests.clear();
        limits.clear();
        adjs.clear();
        cds.clear();
        let fast = if derive {
            None
        } else {
            numbers::pod(pod, &rules, sidecars)
        };
        let (qos, request, pod_limit, pod_ds) = match fast {
            Some(n) => {
                for c in pod.all_containers() {
                    requests.push(numbers::container_request(c));
                    limits.push(numbers::container_limit(c));
                    adjs.push(numbers::adj(pod, c, n.qos, capacity, &rules, sidecars));
                }
                (
                    n.qos.as_str().to_string(),
                    n.request,
                    n.pod_limit,
                    Vec::new(),
                )
            }
            None => {
                // Defaulted once (requests from limits, sidecar demotion, pod-level defaults); the
                // rule modules' `_of_defaulted` entry points then skip their own copy.
                let dpod = crate::resources::defaulted_pod(pod, &rules);
                let (qos, qos_d) = adapt::pod_qos(&dpod, &rules);
                let (request, request_d) = adapt::pod_eviction_request(&dpod, &rules);
                let (pod_limit, pod_limit_d) = adapt::pod_cgroup_limit(pod, &rules);
                let pod_adjs = adapt::container_adjs(&dpod, capacity, &rules);
                if pod_adjs.len() != pod.init_containers.len() + pod.containers.len() {
                    return Err(err(
                        format!("pods[{pi}].spec"),
                        "internal: container count mismatch",
                    ));
                }
                for (c, (adj, adj_d)) in pod.all_containers().zip(pod_adjs) {
                    let (req, req_d) = adapt::container_request(pod, c, &rules);
                    let (limit, limit_d) = adapt::container_limit(pod, c, &rules);
                    requests.push(req);
                    limits.push(limit);
                    adjs.push(adj);
                    if derive {
                        cds.push(vec![adj_d, req_d, limit_d]);
                    }
                }
                let ds = if derive {
                    vec![qos_d, request_d, pod_limit_d]
                } else {
                    Vec::new()
                };
                (qos, request, pod_limit, ds)
            }
        };
        let (c0, c1) = (
            offsets.get(pi).copied().unwrap_or(0),
            offsets.get(pi + 1).copied().unwrap_or(0),
        );
        let key = keys.get(pi).map_or("", String::as_str);
        let split = split_usage(
            pod,
            key,
            pod_usage.get(pi).copied().flatten(),
            cont_usage.get(c0..c1).unwrap_or(&[]),
            &requests,
            &limits,
            &rules,
        )?;
        let growth_of = |ci: usize| cont_growth.get(c0 + ci).copied().flatten();
        if split.pod.is_none() {
            any_missing_usage = true;
        }
        let mut containers = Vec::with_capacity(requests.len());
        let mut sim_containers = Vec::with_capacity(requests.len());
        for (ci, c) in pod.all_containers().enumerate() {
            let kind = crate::resources::effective_kind(c, &rules);
            let adj = adjs.get(ci).copied().unwrap_or(0);
            let req = requests.get(ci).copied().unwrap_or(0);
            let limit = limits.get(ci).copied().flatten();
            let mq = crate::memory_qos::container_memory_qos_with(
                &mq_params,
                &qos,
                req,
                limit.unwrap_or(0),
                derive,
            );
            let (high, min) = (mq.memory_high, mq.memory_min);
            let cusage = split.containers.get(ci).copied().flatten();
            let running = kind != ContainerKind::Init;
            let mut derivations = match cds.get_mut(ci) {
                Some(v) => std::mem::take(v),
                None => Vec::new(),
            };
            derivations.extend(mq.derivations);
            let (node_badness, oom_score) = if running {
                let task = TaskMemory::from_rss_bytes(cusage.unwrap_or(0), page_size);
                let b =
                    badness::oom_badness_for(badness_rule, &task, adj, global_tp, page_size, false);
                if derive {
                    if let Some(points) = b {
                        let cand = Candidate {
                            id: String::new(),
                            task,
                            oom_score_adj: adj,
                            cap_sys_admin: false,
                        };
                        derivations.push(badness::badness_derivation(
                            badness_rule,
                            &cand,
                            global_tp,
                            page_size,
                            points,
                        ));
                    }
                    derivations.push(badness::proc_oom_score_derivation(
                        badness_rule,
                        b,
                        global_tp,
                    ));
                }
                (b, Some(badness::proc_oom_score(badness_rule, b, global_tp)))
            } else {
                (None, None)
            };
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
                let g = growth_of(ci);
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
        if let Some(g) = pod_growth.get(pi).copied().flatten() {
            let has_key = |name: &str| {
                pod.all_containers()
                    .position(|c| c.name == name)
                    .is_some_and(|ci| growth_of(ci).is_some())
            };
            let open: Vec<usize> = sim_containers
                .iter()
                .enumerate()
                .filter(|(_, sc)| !has_key(&sc.name))
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
        // `eviction_grace_period` (hard: immediateEvictionGracePeriodSeconds, 0 → the pod's own;
        // soft: min(evictionMaxPodGracePeriod, terminationGracePeriodSeconds)), numbers only.
        let hard_grace = match rules.immediate_eviction_grace_seconds() {
            0 => tgps,
            g => g,
        };
        let soft_grace = kcfg.eviction_max_pod_grace_period.unwrap_or(0).min(tgps);
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
            key: String::new(),
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
            eviction_messages: Vec::new(),
            memory_limit_bytes: pod_limit,
            critical,
            containers,
            derivations: pod_ds,
        });
    }
    if any_missing_usage && !scenario.pods.is_empty() {
        notes.push(Message::plain("note.missing_usage"));
    }

    // Eviction ranking.
    let ranked = eviction::rank_memory_pressure_with(&rank_inputs, derive);
    let mut eviction_order = Vec::new();
    for r in ranked {
        if let Some(p) = pods.get_mut(r.input_index) {
            p.eviction_rank = r.eviction_rank;
            p.eviction_tied = r.tied;
            if let Some(input) = rank_inputs.get(r.input_index) {
                p.eviction_messages = eviction::rank_messages(input, r.tied_with_previous);
            }
            if derive {
                p.derivations.push(eviction::rank_derivation(&r));
            }
            p.eviction_reason = r.reason;
        }
        if r.eviction_rank.is_some() {
            eviction_order.push(keys.get(r.input_index).cloned().unwrap_or_default());
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
    let oom_scopes = oom_scopes(&sim, &keys, derive);
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
    let timeline = simulate::simulate_with(&sim, derive);

    notes.push(Message::new(
        "note.kernel",
        vec![
            ("kernel", Arg::Text(kernel.to_string())),
            (
                "rule",
                Arg::Message(Box::new(Message::plain(match badness_rule {
                    BadnessRule::Signed => "kernel_rule.signed",
                    BadnessRule::UnsignedFloor1 => "kernel_rule.unsigned_floor1",
                    BadnessRule::RootBonusPercent => "kernel_rule.root_bonus_percent",
                    BadnessRule::RootBonusAdj => "kernel_rule.root_bonus_adj",
                }))),
            ),
        ],
    ));
    notes.push(Message::plain(if oom_group {
        "note.oom_group.on"
    } else {
        "note.oom_group.off"
    }));
    notes.push(Message::plain("note.kernel_model"));

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
            derivations: if derive {
                na.derivations.clone()
            } else {
                Vec::new()
            },
        },
        pods,
        eviction_order,
        node_oom_kill_order,
        kernel_version: kernel.to_string(),
        oom_scopes,
        timeline,
        notes: notes.text,
        note_messages: notes.messages,
    })
}

/// `a + b + c` in one allocation.
fn concat(a: &str, b: &str, c: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len() + c.len());
    s.push_str(a);
    s.push_str(b);
    s.push_str(c);
    s
}

/// `vec![f()]` when deriving, else an empty vector.
fn derive_if(derive: bool, f: impl FnOnce() -> Derivation) -> Vec<Derivation> {
    if derive {
        vec![f()]
    } else {
        Vec::new()
    }
}

/// The kill order of every scope that can OOM: each pod cgroup with a limit, kubepods (when
/// enforced) and the node. Candidates are in scenario order (the kernel's iteration order is
/// process creation order, unknown here, so equal points are reported as ties).
fn oom_scopes(sim: &SimInput, keys: &[String], derive: bool) -> Vec<OomScopeReport> {
    let ps = sim.page_size;
    let swap_pages = sim.swap_bytes / ps;
    let cands_of = |key: &str, p: &SimPod, out: &mut Vec<Candidate>| {
        out.push(Candidate {
            id: concat(key, " (sandbox)", ""),
            task: TaskMemory::default(),
            oom_score_adj: badness::SANDBOX_OOM_SCORE_ADJ,
            cap_sys_admin: false,
        });
        for c in &p.containers {
            out.push(Candidate {
                id: concat(key, "/", &c.name),
                task: TaskMemory::from_rss_bytes(c.usage_bytes, ps),
                oom_score_adj: c.oom_score_adj,
                cap_sys_admin: false,
            });
        }
    };
    let mut out = Vec::new();
    for (p, key) in sim.pods.iter().zip(keys) {
        if let Some(l) = p.limit_bytes {
            let tp = badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1);
            let mut c = Vec::new();
            cands_of(key, p, &mut c);
            out.push(OomScopeReport {
                scope: OomScope::Pod,
                name: key.clone(),
                limit_bytes: l,
                totalpages: tp,
                kill_order: badness::kill_order_owned(sim.badness_rule, c, tp, ps, derive),
                derivations: derive_if(derive, || {
                    badness::totalpages_derivation(OomScope::Pod, l, 0, ps, tp)
                }),
            });
        }
    }
    // kubepods and node scopes: every container, plus the pod sandboxes as one entry (they are
    // identical: rss ≈ 0, adj −998, so they tie with each other and come after every container
    // whose badness is above −998·totalpages/1000).
    let mut all = Vec::with_capacity(sim.pods.len() * 2 + 2);
    for (p, key) in sim.pods.iter().zip(keys) {
        for c in &p.containers {
            all.push(Candidate {
                id: concat(key, "/", &c.name),
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
            kill_order: badness::kill_order_with(sim.badness_rule, &all, tp, ps, derive),
            derivations: derive_if(derive, || {
                badness::totalpages_derivation(OomScope::Kubepods, l, swap_pages, ps, tp)
            }),
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
        kill_order: badness::kill_order_owned(sim.badness_rule, all, tp, ps, derive),
        derivations: derive_if(derive, || {
            badness::totalpages_derivation(OomScope::Node, sim.capacity_bytes, swap_pages, ps, tp)
        }),
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

/// The per-pod numbers of the numbers-only path, computed without copying the pod or building any
/// text: the same arithmetic as `resources.rs` (`SetDefaults_Pod`, `AggregateContainerRequests`,
/// `PodLimits`, `ResourceConfigForPod`), `qos.rs` (`ComputePodQOS`) and `oom_score_adj.rs`
/// (`GetContainerOOMScoreAdjust`) for pods without effective pod-level resources; pods with them
/// take the general functions (see [`numbers::pod`]). `tests/evaluate_numbers.rs` checks both paths
/// agree on every example scenario.
mod numbers {
    use crate::critical::is_node_critical_pod;
    use crate::pod::{Container, ContainerKind, Pod};
    use crate::qos::QosClass;
    use crate::quantity::Quantity;
    use crate::rules::{KubeletRules, SidecarOomRule};

    /// What evaluate needs of one pod.
    pub struct PodNumbers {
        pub qos: QosClass,
        pub request: i64,
        pub pod_limit: Option<i64>,
    }

    fn add(into: &mut Option<Quantity>, q: Option<Quantity>) {
        if let Some(q) = q {
            *into = Some(match into {
                Some(cur) => cur.saturating_add(&q),
                None => q,
            });
        }
    }

    fn max(into: &mut Option<Quantity>, q: Option<Quantity>) {
        if let Some(q) = q {
            match into {
                Some(cur) if *cur >= q => {}
                _ => *into = Some(q),
            }
        }
    }

    fn kind(c: &Container, sidecars: bool) -> ContainerKind {
        match c.kind {
            ContainerKind::Sidecar if !sidecars => ContainerKind::Init,
            k => k,
        }
    }

    /// `aggregateContainerResourcesByFn` for memory only.
    fn aggregate(
        pod: &Pod,
        sidecars: bool,
        pick: impl Fn(&Container) -> Option<Quantity>,
    ) -> Option<Quantity> {
        let mut result = None;
        for c in &pod.containers {
            add(&mut result, pick(c));
        }
        let mut restartable: Option<Quantity> = None;
        let mut init_max = None;
        for c in &pod.init_containers {
            let r = pick(c);
            let used = if kind(c, sidecars) == ContainerKind::Sidecar {
                add(&mut result, r);
                add(&mut restartable, r);
                restartable
            } else {
                let mut combined = r;
                add(&mut combined, restartable);
                combined
            };
            max(&mut init_max, used);
        }
        max(&mut result, init_max);
        result
    }

    fn defaulted_request(c: &Container) -> Option<Quantity> {
        c.resources.requests.memory.or(c.resources.limits.memory)
    }

    fn positive(q: Option<Quantity>) -> Option<Quantity> {
        q.filter(|q| *q > Quantity::zero())
    }

    /// `ComputePodQOS` at container level on the defaulted pod.
    fn qos(pod: &Pod) -> QosClass {
        let (mut rc, mut rm, mut lc, mut lm) = (None, None, None, None);
        let mut guaranteed = true;
        for c in pod.containers.iter().chain(pod.init_containers.iter()) {
            let r = &c.resources;
            add(&mut rc, positive(r.requests.cpu.or(r.limits.cpu)));
            add(&mut rm, positive(r.requests.memory.or(r.limits.memory)));
            let (pc, pm) = (positive(r.limits.cpu), positive(r.limits.memory));
            if pc.is_none() || pm.is_none() {
                guaranteed = false;
            }
            add(&mut lc, pc);
            add(&mut lm, pm);
        }
        if rc.is_none() && rm.is_none() && lc.is_none() && lm.is_none() {
            return QosClass::BestEffort;
        }
        let eq = |r: Option<Quantity>, l: Option<Quantity>| r.is_none() || r == l;
        let len = |a: Option<Quantity>, b: Option<Quantity>| {
            usize::from(a.is_some()) + usize::from(b.is_some())
        };
        if guaranteed && eq(rc, lc) && eq(rm, lm) && len(rc, rm) == len(lc, lm) {
            QosClass::Guaranteed
        } else {
            QosClass::Burstable
        }
    }

    /// The pod's numbers, or `None` when pod-level resources apply (the caller then uses the
    /// general functions).
    pub fn pod(pod: &Pod, rules: &KubeletRules, sidecars: bool) -> Option<PodNumbers> {
        if rules.pod_level_resources() && pod.resources.is_some() {
            return None;
        }
        let qos = match pod.status_qos_class.as_deref().and_then(QosClass::parse) {
            Some(q) => q,
            None => qos(pod),
        };
        let base = aggregate(pod, sidecars, defaulted_request).map_or(0, |q| q.value());
        let overhead = pod.overhead.memory.map_or(0, |q| q.value());
        let request = if base != 0 {
            base.saturating_add(overhead)
        } else {
            base
        };
        let all_limited = pod
            .all_containers()
            .all(|c| c.resources.limits.memory.is_some_and(|q| !q.is_zero()));
        let pod_limit = all_limited.then(|| {
            let mut l = aggregate(pod, sidecars, |c| c.resources.limits.memory);
            if let (Some(cur), Some(o)) = (l, pod.overhead.memory) {
                if !cur.is_zero() {
                    l = Some(cur.saturating_add(&o));
                }
            }
            l.map_or(0, |q| q.value())
        });
        Some(PodNumbers {
            qos,
            request,
            pod_limit,
        })
    }

    /// Container request after defaulting (0 when unset).
    pub fn container_request(c: &Container) -> i64 {
        defaulted_request(c).map_or(0, |q| q.value())
    }

    /// Container limit (`None` = unlimited, also for 0).
    pub fn container_limit(c: &Container) -> Option<i64> {
        c.resources
            .limits
            .memory
            .filter(|q| !q.is_zero())
            .map(|q| q.value())
    }

    fn formula(req: i64, cap: i64) -> i64 {
        let v = 1000i128 - (1000i128 * i128::from(req)) / i128::from(cap.max(1));
        i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
    }

    /// `GetContainerOOMScoreAdjust` for a pod without pod-level resources.
    pub fn adj(
        pod: &Pod,
        c: &Container,
        qos: QosClass,
        capacity: i64,
        rules: &KubeletRules,
        sidecars: bool,
    ) -> i64 {
        let g = rules.guaranteed_oom_score_adj();
        if is_node_critical_pod(pod) {
            return g;
        }
        match qos {
            QosClass::Guaranteed => return g,
            QosClass::BestEffort => return rules.besteffort_oom_score_adj(),
            QosClass::Burstable => {}
        }
        let cap = capacity.max(1);
        let mut adj = formula(container_request(c), cap);
        if kind(c, sidecars) == ContainerKind::Sidecar
            && pod.init_containers.iter().any(|i| i.name == c.name)
            && rules.sidecar_rule() == SidecarOomRule::CapAtMinRegularRequest
        {
            if let Some(min_req) = pod.containers.iter().map(container_request).min() {
                adj = adj.min(formula(min_req, cap));
            }
        }
        let lo = rules.burstable_min_oom_score_adj();
        if adj < lo {
            lo
        } else if adj == rules.besteffort_oom_score_adj() {
            adj - 1
        } else {
            adj
        }
    }
}
