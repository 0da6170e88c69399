//! The simulation's input (`SimInput`, plain nested data) and the flat `Model` it runs on:
//! pods and their running containers in two lists, ids in one shared table.

use super::*;

/// One container as the simulation sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimContainer {
    /// Container name.
    pub name: String,
    /// Its oom_score_adj.
    pub oom_score_adj: i64,
    /// Its memcg `memory.max` (`None` = unlimited).
    pub limit_bytes: Option<i64>,
    /// Working set at t = 0.
    pub usage_bytes: i64,
    /// Growth in bytes per second (≥ 0).
    pub growth_bytes_per_second: i64,
}

/// One pod as the simulation sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimPod {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `spec.priority` (nil → 0).
    pub priority: i32,
    /// `IsCriticalPod`: never evicted.
    pub critical: bool,
    /// Memory request as eviction ranking sees it.
    pub request_bytes: i64,
    /// Pod memcg `memory.max` (`None` = unlimited).
    pub limit_bytes: Option<i64>,
    /// The grace period of evicting this pod for a hard threshold.
    #[serde(skip)]
    pub hard_eviction_grace: EvictionGrace,
    /// The grace period of evicting this pod for a soft threshold.
    #[serde(skip)]
    pub soft_eviction_grace: EvictionGrace,
    /// Containers (init containers that have finished are not listed).
    pub containers: Vec<SimContainer>,
}

/// One memory eviction threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimThreshold {
    /// `memory.available` or `allocatableMemory.available`.
    pub signal: String,
    /// Hard: grace period 0 (`isHardEvictionThreshold`; a soft threshold with grace 0 acts as hard).
    pub hard: bool,
    /// Threshold in bytes.
    pub bytes: i64,
    /// Soft grace period in milliseconds (0 for hard).
    pub grace_ms: i64,
    /// Minimum reclaim in bytes.
    pub min_reclaim_bytes: i64,
}

/// Everything the simulation needs, as plain nested data (the evaluation builds the flat
/// [`Model`] directly; [`simulate`] converts this into one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimInput {
    /// Node memory capacity (MemTotal).
    pub capacity_bytes: i64,
    /// Swap size.
    pub swap_bytes: i64,
    /// Page size.
    pub page_size: i64,
    /// Working set outside the pods.
    pub system_usage_bytes: i64,
    /// kubepods `memory.max` (`None` when not enforced).
    pub kubepods_limit_bytes: Option<i64>,
    /// Memory eviction thresholds, in kubelet's order (hard, soft, allocatable copies).
    pub thresholds: Vec<SimThreshold>,
    /// The kernel's badness rule.
    pub badness_rule: BadnessRule,
    /// The kernel's release (its tie rule: `KernelVersion::ties_keep_later`).
    pub kernel: crate::kernel::badness::KernelVersion,
    /// Whether container cgroups have `memory.oom.group = 1` (the whole container dies).
    pub oom_group: bool,
    /// Pods.
    pub pods: Vec<SimPod>,
}

/// A pod of the flat [`Model`]: its containers are `Model::containers[start..end]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ModelPod {
    /// Id of `ns/pod (sandbox)` (the pause process) in `Model::ids`; `ns/pod` is its first
    /// `key_len` bytes.
    pub sandbox: u32,
    pub key_len: usize,
    pub priority: i32,
    pub critical: bool,
    pub request_bytes: i64,
    pub limit_bytes: Option<i64>,
    pub hard_grace: EvictionGrace,
    pub soft_grace: EvictionGrace,
    pub start: usize,
    pub end: usize,
}

/// A running container of the flat [`Model`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ModelContainer {
    /// Id of `ns/pod/container` in `Model::ids`.
    pub id: u32,
    /// Its pod's index in `Model::pods`.
    pub pod: u32,
    pub oom_score_adj: i64,
    pub limit_bytes: Option<i64>,
    pub usage_bytes: i64,
    pub growth_bytes_per_second: i64,
}

/// The node as the simulation (and the evaluation's kill orders) run on it: pods and their running
/// containers in two flat lists, ids in one shared table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Model {
    pub capacity_bytes: i64,
    pub swap_bytes: i64,
    pub page_size: i64,
    pub system_usage_bytes: i64,
    pub kubepods_limit_bytes: Option<i64>,
    pub thresholds: Vec<SimThreshold>,
    pub badness_rule: BadnessRule,
    pub kernel: crate::kernel::badness::KernelVersion,
    pub oom_group: bool,
    pub pods: Vec<ModelPod>,
    pub containers: Vec<ModelContainer>,
    pub ids: Arc<ProcIds>,
    /// Id of `kubelet + container runtime`.
    pub system_id: u32,
}

/// A pod sandbox (pause process) as a kill-order candidate: no memory to speak of, adj −998.
pub(crate) fn sandbox_proc(id: u32) -> Proc {
    Proc {
        id,
        task: TaskMemory::default(),
        oom_score_adj: SANDBOX_OOM_SCORE_ADJ,
        cap_sys_admin: false,
    }
}

/// The node's system processes (kubelet and the container runtime) as one kill-order candidate
/// of `bytes` resident memory, adj −999, holding CAP_SYS_ADMIN.
pub(crate) fn system_proc(id: u32, bytes: i64, page_size: i64) -> Proc {
    Proc {
        id,
        task: TaskMemory::from_rss_bytes(bytes, page_size),
        oom_score_adj: KUBELET_OOM_SCORE_ADJ,
        cap_sys_admin: true,
    }
}

/// The id of the node's system processes in kill orders.
pub(crate) const SYSTEM_ID: &str = "kubelet + container runtime";

impl Model {
    /// `ns/pod` of pod `p`.
    pub fn pod_key(&self, p: usize) -> &str {
        match self.pods.get(p) {
            Some(pod) => self.ids.get(pod.sandbox).get(..pod.key_len).unwrap_or(""),
            None => "",
        }
    }

    /// The flat model of a [`SimInput`].
    pub(super) fn from_input(input: &SimInput) -> Model {
        let mut ids: Vec<String> = Vec::new();
        let mut pods = Vec::with_capacity(input.pods.len());
        let mut containers = Vec::new();
        let index = |ids: &Vec<String>| u32::try_from(ids.len()).unwrap_or(u32::MAX);
        for p in &input.pods {
            let sandbox = index(&ids);
            ids.push(format!("{}/{} (sandbox)", p.namespace, p.name));
            let start = containers.len();
            let pod = u32::try_from(pods.len()).unwrap_or(u32::MAX);
            for c in &p.containers {
                containers.push(ModelContainer {
                    id: index(&ids),
                    pod,
                    oom_score_adj: c.oom_score_adj,
                    limit_bytes: c.limit_bytes,
                    usage_bytes: c.usage_bytes,
                    growth_bytes_per_second: c.growth_bytes_per_second,
                });
                ids.push(format!("{}/{}/{}", p.namespace, p.name, c.name));
            }
            pods.push(ModelPod {
                sandbox,
                key_len: p.namespace.len() + 1 + p.name.len(),
                priority: p.priority,
                critical: p.critical,
                request_bytes: p.request_bytes,
                limit_bytes: p.limit_bytes,
                hard_grace: p.hard_eviction_grace,
                soft_grace: p.soft_eviction_grace,
                start,
                end: containers.len(),
            });
        }
        let system_id = index(&ids);
        ids.push(SYSTEM_ID.to_string());
        Model {
            capacity_bytes: input.capacity_bytes,
            swap_bytes: input.swap_bytes,
            page_size: input.page_size,
            system_usage_bytes: input.system_usage_bytes,
            kubepods_limit_bytes: input.kubepods_limit_bytes,
            thresholds: input.thresholds.clone(),
            badness_rule: input.badness_rule,
            kernel: input.kernel,
            oom_group: input.oom_group,
            pods,
            containers,
            ids: Arc::new(ProcIds::of(ids.iter().map(String::as_str))),
            system_id,
        }
    }
}
