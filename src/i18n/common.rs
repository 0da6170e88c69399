//! The common catalogue: the app shell (header, navigation, language and theme switches, footer).
//! English and Simplified Chinese, same keys.

/// English texts.
pub const EN: &[(&str, &str)] = &[
    ("app.name", "oomlens"),
    (
        "app.tagline",
        "Kubernetes node memory: who gets killed, and why",
    ),
    ("app.skip_to_main", "Skip to content"),
    ("term.explain", "What is {term}?"),
    ("term.source", "(source: {source})"),
    ("term.glossary", "Terms used here, explained"),
    ("app.title.calculator", "oomlens · node memory calculator"),
    ("app.title.incident", "oomlens · incident analysis"),
    ("app.title.learn", "oomlens · training"),
    ("nav.label", "Pages"),
    // Two evaluations compared (widgets/compare.rs: the calculator and training mode).
    ("cmp.capacity", "capacity"),
    ("cmp.allocatable", "allocatable"),
    ("cmp.hard_threshold", "hard eviction threshold"),
    ("cmp.kubepods", "kubepods limit"),
    ("cmp.system_usage", "used outside the pods"),
    ("cmp.qos", "QoS"),
    ("cmp.priority", "priority"),
    ("cmp.eviction_rank", "eviction rank"),
    ("cmp.request", "request"),
    ("cmp.limit", "limit"),
    ("cmp.usage", "usage"),
    ("cmp.oom_score_adj", "oom_score_adj"),
    ("cmp.memory_high", "memory.high"),
    ("cmp.memory_min", "memory.min"),
    ("cmp.kill_rank", "place in the node's kernel kill order"),
    ("cmp.none", "none"),
    ("cmp.nothing_fires", "nothing, within the simulated time"),
    ("cmp.added", "new"),
    ("cmp.removed", "gone"),
    ("cmp.first", "What fires first"),
    (
        "rule.allocatable.absolute",
        "node allocatable without the eviction threshold",
    ),
    (
        "rule.allocatable.capacity_minus_reservations",
        "allocatable: capacity less reservations and the hard threshold",
    ),
    (
        "rule.allocatable.enforce_keys",
        "which cgroups enforceNodeAllocatable limits",
    ),
    (
        "rule.allocatable.kubepods_limit",
        "the kubepods cgroup's memory limit",
    ),
    (
        "rule.allocatable.kubepods_unlimited",
        "no memory limit on the kubepods cgroup",
    ),
    (
        "rule.allocatable.reservation",
        "what the node holds back from pods",
    ),
    (
        "rule.allocatable.validate",
        "reservations must fit in capacity",
    ),
    (
        "rule.eviction.allocatable_copy",
        "the hard threshold copied to allocatableMemory.available",
    ),
    (
        "rule.eviction.never_critical",
        "critical pods are never evicted",
    ),
    (
        "rule.eviction.rank_memory_pressure",
        "kubelet's eviction order under memory pressure",
    ),
    (
        "rule.eviction.signal.allocatable_memory_available",
        "the allocatableMemory.available signal",
    ),
    (
        "rule.eviction.signal.memory_available",
        "the memory.available signal",
    ),
    (
        "rule.eviction.sync_loop",
        "kubelet checks thresholds every 10 s",
    ),
    (
        "rule.eviction.threshold.percentage",
        "a threshold given as a percentage of capacity",
    ),
    (
        "rule.eviction.threshold.quantity",
        "a threshold given as a quantity",
    ),
    (
        "rule.eviction.threshold_met",
        "when a threshold counts as met",
    ),
    (
        "rule.kernel.memcg_oom.container",
        "a container reaches its memory.max",
    ),
    ("rule.kernel.oom_badness", "the kernel's OOM badness score"),
    (
        "rule.kernel.oom_totalpages",
        "the memory the kernel scores against (totalpages)",
    ),
    ("rule.kernel.proc_oom_score", "/proc/PID/oom_score"),
    (
        "rule.memory.working_set",
        "working set: usage less inactive file cache",
    ),
    (
        "rule.memory.working_set_no_inactive",
        "working set when inactive file cache is unknown",
    ),
    (
        "rule.memory_qos.container_min",
        "memory.min of a container (Memory QoS)",
    ),
    (
        "rule.memory_qos.high",
        "memory.high of a container (Memory QoS)",
    ),
    (
        "rule.memory_qos.high_guaranteed",
        "no memory.high for a container whose request equals its limit",
    ),
    (
        "rule.memory_qos.high_legacy",
        "memory.high by the first alpha's formula (before 1.27)",
    ),
    ("rule.memory_qos.high_unset", "memory.high not written"),
    ("rule.memory_qos.off", "Memory QoS is off"),
    (
        "rule.memory_qos.pod_min",
        "memory.min of a pod (Memory QoS)",
    ),
    (
        "rule.memory_qos.policy_none",
        "memoryReservationPolicy None: no protection written",
    ),
    (
        "rule.memory_qos.qos_cgroups",
        "memory.min of the kubepods and QoS cgroups",
    ),
    (
        "rule.memory_qos.tiered_reservation",
        "memoryReservationPolicy TieredReservation",
    ),
    (
        "rule.note.preset_overridden",
        "your value in place of the preset's",
    ),
    (
        "rule.oom_score_adj.besteffort",
        "oom_score_adj of a BestEffort container",
    ),
    (
        "rule.oom_score_adj.burstable",
        "oom_score_adj of a Burstable container, from its request",
    ),
    (
        "rule.oom_score_adj.burstable_pod_level",
        "oom_score_adj of a Burstable container, from pod-level resources",
    ),
    (
        "rule.oom_score_adj.critical",
        "oom_score_adj of a critical pod's container",
    ),
    (
        "rule.oom_score_adj.guaranteed",
        "oom_score_adj of a Guaranteed container",
    ),
    (
        "rule.oom_score_adj.node_critical",
        "oom_score_adj of a system-node-critical pod's container",
    ),
    (
        "rule.oom_score_adj.sidecar",
        "oom_score_adj of a sidecar, never above its pod's main containers",
    ),
    ("rule.preset.aks_1_28", "the AKS reservation before 1.29"),
    ("rule.preset.aks_1_29", "the AKS reservation from 1.29"),
    ("rule.preset.aks_legacy", "the AKS reservation before 1.29"),
    (
        "rule.preset.eks",
        "the EKS reservation, by the number of pods",
    ),
    ("rule.preset.gke", "the GKE reservation, by memory tiers"),
    (
        "rule.preset.gke_small",
        "the GKE reservation of a machine under 1 GiB",
    ),
    ("rule.preset.k3s", "the k3s reservation"),
    ("rule.preset.kind", "the kind reservation"),
    ("rule.preset.kubeadm", "the kubeadm reservation"),
    ("rule.qos.besteffort", "QoS class: no requests or limits"),
    (
        "rule.qos.burstable",
        "QoS class: some request or limit, not Guaranteed",
    ),
    (
        "rule.qos.guaranteed",
        "QoS class: every request equals its limit",
    ),
    (
        "rule.qos.status",
        "QoS class as the pod's status records it",
    ),
    (
        "rule.resource_fit.pending",
        "a request that does not fit: Pending",
    ),
    (
        "rule.resources.container_limit",
        "a container's memory limit",
    ),
    (
        "rule.resources.container_limit_from_pod",
        "a container's limit from the pod-level limit",
    ),
    (
        "rule.resources.container_request",
        "a container's memory request",
    ),
    ("rule.resources.pod_limit", "the pod cgroup's memory limit"),
    ("rule.resources.pod_request", "the pod's memory request"),
    ("cmp.earlier", "{n} earlier"),
    ("cmp.later", "{n} later"),
    // The node memory chart (the calculator and training mode draw it).
    ("chart.allocatable", "allocatable"),
    ("chart.hard_eviction", "hard eviction"),
    ("chart.kube_reserved", "kube-reserved"),
    ("chart.marker_allocatable", "allocatable"),
    ("chart.marker_hard", "hard eviction at"),
    ("chart.marker_kubepods", "kubepods limit"),
    ("chart.marker_soft", "soft eviction at"),
    ("chart.no_usage", "no usage given"),
    ("chart.node.row_limits", "Σ container limits"),
    ("chart.node.row_node", "Node capacity"),
    ("chart.node.row_requests", "Σ pod requests"),
    ("chart.node.row_usage", "Σ pod usage"),
    ("chart.node.title", "Node memory"),
    ("chart.overcommitted", "over allocatable by"),
    ("chart.system_reserved", "system-reserved"),
    ("chart.unlimited", "containers without a memory limit:"),
    // The "what fires first" chart (the calculator and training mode draw it).
    ("chart.tl.title", "What fires first: simulated timeline"),
    ("chart.tl.container", "container limit"),
    ("chart.tl.pod", "pod limit"),
    ("chart.tl.eviction", "kubelet eviction"),
    ("chart.tl.kubepods", "kubepods OOM"),
    ("chart.tl.node", "node OOM"),
    ("chart.tl.nothing", "nothing fires"),
    ("nav.calculator", "Calculator"),
    ("nav.incident", "Incident"),
    ("nav.learn", "Learn"),
    ("lang.switch", "中文"),
    ("unit.bytes", "bytes"),
    ("app.loading_incident", "Loading the incident page…"),
    ("app.loading_learn", "Loading training mode…"),
    (
        "app.learn_failed",
        "Training mode could not be loaded: {reason}. Reload to try again.",
    ),
    (
        "app.incident_failed",
        "The incident page could not be loaded: {reason}. Reload to try again.",
    ),
    (
        "lang.switch_title",
        "切换到简体中文 (switch to Simplified Chinese)",
    ),
    ("theme.to_dark", "Dark"),
    ("theme.to_dark_title", "Switch to the dark theme"),
    ("theme.to_light", "Light"),
    ("theme.to_light_title", "Switch to the light theme"),
    (
        "footer.privacy",
        "Runs entirely in your browser: nothing you enter or paste leaves this page.",
    ),
    ("footer.version", "oomlens {version}"),
];
