//! Short explanations of the terms of art the pages use (badness, totalpages, memcg,
//! memory.oom.group, anon-rss, working set, oom_score_adj and the log's "score", …), in English and
//! Simplified Chinese, each with its source (upstream path and release, or a public URL). Shown
//! on demand by [`crate::widgets::term::TermHelp`] and listed on the incident page.

use super::Lang;

/// One term.
pub struct Term {
    /// Stable id (what the pages refer to).
    pub id: &'static str,
    /// The term as written in English and in Chinese.
    pub name: [&'static str; 2],
    /// The explanation in English and in Chinese.
    pub text: [&'static str; 2],
    /// Where the explanation comes from.
    pub source: &'static str,
}

impl Term {
    /// The term's name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        self.name[usize::from(lang == Lang::Zh)]
    }

    /// The explanation in `lang`.
    pub fn text(&self, lang: Lang) -> &'static str {
        self.text[usize::from(lang == Lang::Zh)]
    }
}

/// The term with `id`.
pub fn term(id: &str) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.id == id)
}

/// Every term, in reading order.
pub static TERMS: &[Term] = &[
    Term {
        id: "badness",
        name: ["badness (oom_badness)", "badness 评分（oom_badness）"],
        text: [
            "The kernel's per-task OOM score, computed by oom_badness(): resident pages (anon + file + shmem) plus swap entries plus page-table pages, plus oom_score_adj × totalpages / 1000. The OOM killer kills the eligible task with the highest value; tasks with oom_score_adj −1000 are skipped.",
            "内核为每个任务计算的 OOM 评分，由 oom_badness() 得出：常驻页数（匿名 + 文件 + shmem）加上 swap 表项数和页表页数，再加上 oom_score_adj × totalpages / 1000。OOM killer 会杀掉可选任务中该值最高的一个；oom_score_adj 为 −1000 的任务会被跳过。",
        ],
        source: "torvalds/linux mm/oom_kill.c (v6.12)",
    },
    Term {
        id: "totalpages",
        name: ["totalpages", "totalpages（OOM 上下文总页数）"],
        text: [
            "The page budget of the OOM context, used to scale oom_score_adj in badness. For a system-wide OOM it is RAM pages plus swap pages; for a memcg OOM it is the cgroup's memory limit plus the swap that cgroup may use. Cpuset and mempolicy OOMs use swap pages plus the allowed nodes' pages.",
            "OOM 上下文可用的总页数，用于在 badness 中折算 oom_score_adj。系统级 OOM 时为内存页数加 swap 页数；memcg OOM 时为该 cgroup 的内存上限加上它可使用的 swap。cpuset 和 mempolicy 类 OOM 则取 swap 页数加上允许节点的页数。",
        ],
        source: "torvalds/linux mm/oom_kill.c constrained_alloc() and mm/memcontrol.c mem_cgroup_get_max() (v6.12)",
    },
    Term {
        id: "memcg",
        name: ["memcg (memory cgroup)", "memcg（内存 cgroup）"],
        text: [
            "Memory cgroup: the cgroup controller that accounts and limits the memory of a group of processes. When a memcg cannot stay under its limit, the kernel runs a memcg OOM that picks a victim only among tasks in that memcg and its descendant cgroups.",
            "内存 cgroup：对一组进程的内存进行统计和限制的 cgroup 控制器。当某个 memcg 无法维持在其上限以内时，内核会执行 memcg OOM，只在该 memcg 及其子孙 cgroup 的任务中挑选受害者。",
        ],
        source: "torvalds/linux Documentation/admin-guide/cgroup-v2.rst and mm/memcontrol.c mem_cgroup_scan_tasks() (v6.12)",
    },
    Term {
        id: "memory_max",
        name: ["memory.max", "memory.max（内存硬上限）"],
        text: [
            "The cgroup v2 hard memory limit of a cgroup (default \"max\"). If usage reaches it and reclaim cannot bring it down, the OOM killer is invoked inside that cgroup. runc writes a container's memory limit (from Kubernetes resources.limits.memory) into this file.",
            "cgroup v2 中 cgroup 的内存硬上限（默认为 \"max\"）。用量达到该值且回收无法使其降下来时，会在该 cgroup 内触发 OOM killer。runc 会把容器的内存上限（来自 Kubernetes 的 resources.limits.memory）写入此文件。",
        ],
        source: "torvalds/linux Documentation/admin-guide/cgroup-v2.rst (v6.12)",
    },
    Term {
        id: "memory_high",
        name: ["memory.high", "memory.high（内存节流上限）"],
        text: [
            "The cgroup v2 memory throttle limit (default \"max\"). When usage goes over it, the cgroup's processes are throttled and put under heavy reclaim pressure; going over memory.high never invokes the OOM killer, and under extreme conditions the limit may be breached.",
            "cgroup v2 的内存节流上限（默认为 \"max\"）。用量超过该值时，该 cgroup 的进程会被限速并承受强烈的回收压力；超过 memory.high 永远不会触发 OOM killer，在极端情况下该上限也可能被突破。",
        ],
        source: "torvalds/linux Documentation/admin-guide/cgroup-v2.rst (v6.12)",
    },
    Term {
        id: "memory_min",
        name: ["memory.min", "memory.min（内存硬保护）"],
        text: [
            "The cgroup v2 hard memory protection (default \"0\"). Memory within the cgroup's effective min boundary is never reclaimed; if no unprotected reclaimable memory is left, the OOM killer is invoked. The effective boundary is limited by the memory.min values of all ancestors.",
            "cgroup v2 的内存硬保护（默认为 \"0\"）。处于该 cgroup 有效 min 边界之内的内存在任何情况下都不会被回收；若已没有未受保护的可回收内存，就会触发 OOM killer。有效边界受所有祖先 cgroup 的 memory.min 值限制。",
        ],
        source: "torvalds/linux Documentation/admin-guide/cgroup-v2.rst (v6.12)",
    },
    Term {
        id: "memory_oom_group",
        name: ["memory.oom.group", "memory.oom.group（组 OOM 开关）"],
        text: [
            "A cgroup v2 flag (default 0). When set, the OOM killer treats the cgroup as one workload and kills all tasks in it and its descendants together, except tasks with oom_score_adj −1000. On cgroup v2, kubelet v1.32 sets it to 1 on container cgroups unless singleProcessOOMKill is true.",
            "cgroup v2 标志（默认 0）。置 1 后，OOM killer 把该 cgroup 视为一个整体，将其及其子孙 cgroup 中的所有任务一起杀掉，oom_score_adj 为 −1000 的任务除外。在 cgroup v2 上，kubelet v1.32 会把容器 cgroup 的该值设为 1，除非 singleProcessOOMKill 为 true。",
        ],
        source: "torvalds/linux Documentation/admin-guide/cgroup-v2.rst (v6.12); kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (v1.32.10)",
    },
    Term {
        id: "anon_file_shmem_rss",
        name: ["anon-rss / file-rss / shmem-rss", "anon-rss / file-rss / shmem-rss（匿名页 / 文件页 / 共享内存页常驻量）"],
        text: [
            "Fields of the kernel's \"Killed process\" line, in kB, giving the victim's resident memory when it was killed: anonymous pages, file-mapped pages and shared-memory (shmem) pages. Their sum is the RSS counted in badness. The following oom_reaper line prints the same fields after reaping.",
            "内核 \"Killed process\" 日志行中的字段，单位 kB，表示受害进程被杀时的常驻内存：匿名页、文件映射页和共享内存（shmem）页。三者之和即 badness 所计入的 RSS。随后的 oom_reaper 行会打印回收之后的同名字段。",
        ],
        source: "torvalds/linux mm/oom_kill.c __oom_kill_process() (v6.12)",
    },
    Term {
        id: "working_set",
        name: ["working set", "工作集（working set）"],
        text: [
            "cAdvisor's working set of a cgroup: memory usage minus inactive_file (total_inactive_file on cgroup v1), floored at 0. Kubelet's memory eviction signals are built from the working set, so active page cache counts as used while inactive file cache does not.",
            "cAdvisor 计算的 cgroup 工作集：内存用量减去 inactive_file（cgroup v1 上为 total_inactive_file），最小为 0。kubelet 的内存驱逐信号基于工作集计算，因此活跃的页缓存算作已用，而非活跃的文件缓存不算。",
        ],
        source: "google/cadvisor container/libcontainer/handler.go (v0.51.0)",
    },
    Term {
        id: "memory_available",
        name: ["memory.available", "memory.available（节点可用内存信号）"],
        text: [
            "Kubelet eviction signal: node memory capacity minus the working set of the root cgroup (\"/\"). When a memory.available threshold is met the node gets the MemoryPressure condition; the default hard threshold on Linux is memory.available<100Mi.",
            "kubelet 的驱逐信号：节点内存容量减去根 cgroup（\"/\"）的工作集。memory.available 阈值被满足时，节点会出现 MemoryPressure 状况；Linux 上默认的硬阈值为 memory.available<100Mi。",
        ],
        source: "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
    },
    Term {
        id: "allocatable_memory_available",
        name: ["allocatableMemory.available", "allocatableMemory.available（可分配内存可用量信号）"],
        text: [
            "Kubelet eviction signal for the pods' share of the node: the kubepods cgroup's memory limit minus its working set. When enforce-node-allocatable includes pods, kubelet copies each hard memory.available threshold to this signal; it also maps to MemoryPressure.",
            "面向节点上 Pod 部分的 kubelet 驱逐信号：kubepods cgroup 的内存上限减去其工作集。当 enforce-node-allocatable 包含 pods 时，kubelet 会把每个 memory.available 硬阈值复制一份用于该信号；它同样对应 MemoryPressure 状况。",
        ],
        source: "kubernetes/kubernetes pkg/kubelet/eviction/helpers.go (v1.32.10)",
    },
    Term {
        id: "oom_score_adj",
        name: ["oom_score_adj", "oom_score_adj（OOM 评分调整值）"],
        text: [
            "Per-process value from −1000 to 1000 in /proc/<pid>/oom_score_adj, added to badness as oom_score_adj × totalpages / 1000. The value −1000 (OOM_SCORE_ADJ_MIN) makes the task exempt from the OOM killer; positive values make it a likelier victim.",
            "每个进程的调整值，范围 −1000 到 1000，位于 /proc/<pid>/oom_score_adj，以 oom_score_adj × totalpages / 1000 的形式加到 badness 上。−1000（OOM_SCORE_ADJ_MIN）使该任务免于被 OOM killer 杀掉；正值则使其更可能成为受害者。",
        ],
        source: "torvalds/linux mm/oom_kill.c (v6.12)",
    },
    Term {
        id: "kubelet_oom_score_adj",
        name: ["kubelet oom_score_adj policy", "kubelet 的 oom_score_adj 策略"],
        text: [
            "Kubelet sets each container's oom_score_adj from pod QoS: Guaranteed and system-node-critical pods −997, BestEffort 1000, Burstable 1000 − 1000 × memory request / node memory capacity (integer division), raised to 3 if lower and set to 999 if it equals 1000. Kubelet itself and kube-proxy get −999; v1.32 also adjusts sidecars and pod-level requests.",
            "kubelet 按 Pod 的 QoS 为每个容器设置 oom_score_adj：Guaranteed 和 system-node-critical Pod 为 −997，BestEffort 为 1000，Burstable 为 1000 − 1000 × 内存 request / 节点内存容量（整数除法），低于 3 时取 3，恰为 1000 时改为 999。kubelet 自身与 kube-proxy 为 −999；v1.32 还会针对 sidecar 容器和 Pod 级 request 作额外调整。",
        ],
        source: "kubernetes/kubernetes pkg/kubelet/qos/policy.go (v1.32.10)",
    },
    Term {
        id: "proc_oom_score",
        name: ["oom_score (/proc/<pid>/oom_score)", "oom_score（/proc/<pid>/oom_score）"],
        text: [
            "Read-only view of a task's badness: (1000 + badness × 1000 / totalpages) × 2 / 3, with totalpages always RAM plus swap, giving 0 to 2000, and 0 when oom_score_adj is −1000. During a memcg OOM the kernel ranks raw badness computed with the cgroup's totalpages instead, so the order can differ.",
            "任务 badness 的只读视图：(1000 + badness × 1000 / totalpages) × 2 / 3，其中 totalpages 恒为内存加 swap，取值 0 到 2000，oom_score_adj 为 −1000 时为 0。memcg OOM 时内核比较的是以该 cgroup 的 totalpages 算出的原始 badness，因此排序可能不同。",
        ],
        source: "torvalds/linux fs/proc/base.c proc_oom_score() (v6.12)",
    },
    Term {
        id: "oom_score_adj_in_logs",
        name: ["oom_score_adj in OOM logs", "OOM 日志中的 oom_score_adj"],
        text: [
            "An OOM report shows oom_score_adj in three places: \"invoked oom-killer: ... oom_score_adj=N\" is the allocating task's value, not the victim's; the oom_score_adj column of the task dump is each listed task's value; \"Killed process ... oom_score_adj:N\" is the victim's value.",
            "一份 OOM 报告在三处显示 oom_score_adj：\"invoked oom-killer: ... oom_score_adj=N\" 是触发内存分配的任务的值，而不是受害者的；任务转储表中的 oom_score_adj 列是每个所列任务的值；\"Killed process ... oom_score_adj:N\" 是受害者的值。",
        ],
        source: "torvalds/linux mm/oom_kill.c dump_header(), dump_task(), __oom_kill_process() (v6.12)",
    },
    Term {
        id: "kill_line_score",
        name: ["score in \"Kill process ... score N or sacrifice child\"", "“Kill process … score N or sacrifice child” 中的 score"],
        text: [
            "Older 4.x kernels (4.19, for example) printed \"Kill process PID (comm) score N or sacrifice child\", where N is badness × 1000 / totalpages of the OOM context, so a task with oom_score_adj 1000 shows 1000 or more. v6.12 prints no score; its \"Killed process\" line gives oom_score_adj instead.",
            "较旧的 4.x 内核（例如 4.19）会打印 \"Kill process PID (comm) score N or sacrifice child\"，其中 N 为 badness × 1000 / 该 OOM 上下文的 totalpages，因此 oom_score_adj 为 1000 的任务会显示 1000 或更大的值。v6.12 不再打印 score，其 \"Killed process\" 行改为给出 oom_score_adj。",
        ],
        source: "torvalds/linux mm/oom_kill.c (4.x-era commit c797bc88f77b for the score line; v6.12 for the current format)",
    },
    Term {
        id: "oom_constraint",
        name: ["constraint=CONSTRAINT_MEMCG vs CONSTRAINT_NONE", "constraint=CONSTRAINT_MEMCG 与 CONSTRAINT_NONE（OOM 约束类型）"],
        text: [
            "Field of the \"oom-kill:\" summary line. CONSTRAINT_MEMCG means a memory cgroup hit its limit, only tasks in that cgroup subtree are candidates, and oom_memcg= names it; CONSTRAINT_NONE means a system-wide OOM, all user tasks are candidates, and global_oom is printed (CONSTRAINT_CPUSET and CONSTRAINT_MEMORY_POLICY also exist).",
            "\"oom-kill:\" 摘要行中的字段。CONSTRAINT_MEMCG 表示某个内存 cgroup 达到上限，只有该 cgroup 子树中的任务是候选者，并由 oom_memcg= 给出该 cgroup；CONSTRAINT_NONE 表示系统级 OOM，所有用户任务都是候选者，并打印 global_oom（另有 CONSTRAINT_CPUSET 和 CONSTRAINT_MEMORY_POLICY）。",
        ],
        source: "torvalds/linux mm/oom_kill.c (v6.12)",
    },
    Term {
        id: "oom_memcg_task_memcg",
        name: ["oom_memcg / task_memcg", "oom_memcg / task_memcg"],
        text: [
            "Fields of the \"oom-kill:\" line. oom_memcg= is the cgroup whose limit triggered a memcg OOM, which can be a pod cgroup or kubepods rather than the container; task_memcg= is the victim's own cgroup. A global OOM prints global_oom instead of oom_memcg=.",
            "\"oom-kill:\" 行中的字段。oom_memcg= 是因达到上限而触发 memcg OOM 的 cgroup，它可能是 Pod 级 cgroup 或 kubepods，而不一定是容器本身；task_memcg= 是受害进程自身所在的 cgroup。全局 OOM 时打印 global_oom 而不是 oom_memcg=。",
        ],
        source: "torvalds/linux mm/memcontrol.c mem_cgroup_print_oom_context() (v6.12)",
    },
    Term {
        id: "qos_class",
        name: ["QoS class (Guaranteed / Burstable / BestEffort)", "QoS 类（服务质量类：Guaranteed / Burstable / BestEffort）"],
        text: [
            "Kubernetes pod class derived from requests and limits: Guaranteed when every container sets CPU and memory limits equal to its requests; BestEffort when no container sets any CPU or memory request or limit; otherwise Burstable. It decides the pod's parent cgroup and the oom_score_adj kubelet sets.",
            "Kubernetes 根据 requests 和 limits 推导出的 Pod 类别：每个容器都设置了 CPU 和内存 limits 且与 requests 相等时为 Guaranteed；没有任何容器设置 CPU 或内存的 request 或 limit 时为 BestEffort；其余为 Burstable。它决定 Pod 的父 cgroup 以及 kubelet 设置的 oom_score_adj。",
        ],
        source: "kubernetes/kubernetes pkg/apis/core/v1/helper/qos/qos.go (v1.32.10)",
    },
    Term {
        id: "eviction_signal",
        name: ["eviction signal", "驱逐信号"],
        text: [
            "The current value of a node resource that kubelet compares with eviction thresholds, such as memory.available, allocatableMemory.available, nodefs.available or pid.available. The memory signals map to the MemoryPressure node condition.",
            "kubelet 用来与驱逐阈值比较的某项节点资源当前值，例如 memory.available、allocatableMemory.available、nodefs.available 或 pid.available。内存类信号对应节点的 MemoryPressure 状况。",
        ],
        source: "kubernetes/kubernetes pkg/kubelet/eviction/api/types.go (v1.32.10)",
    },
    Term {
        id: "eviction_threshold",
        name: ["eviction threshold (hard / soft)", "驱逐阈值（硬 / 软）"],
        text: [
            "A rule signal<quantity (absolute or percentage) at which kubelet starts evicting pods. A hard threshold (evictionHard) acts as soon as it is met; a soft threshold (evictionSoft) must hold for its evictionSoftGracePeriod first, and kubelet fails to start if that grace period is missing.",
            "形如 signal<quantity（绝对值或百分比）的规则，满足时 kubelet 开始驱逐 Pod。硬阈值（evictionHard）一旦满足即生效；软阈值（evictionSoft）须先持续满足其 evictionSoftGracePeriod，若未配置该宽限期，kubelet 会启动失败。",
        ],
        source: "kubernetes/kubernetes pkg/kubelet/eviction/helpers.go ParseThresholdConfig() (v1.32.10)",
    },
    Term {
        id: "memory_pressure",
        name: ["MemoryPressure (node condition)", "MemoryPressure（内存压力节点状况）"],
        text: [
            "Node condition that kubelet sets to True while a memory.available or allocatableMemory.available threshold is met, regardless of grace periods. After the signal recovers, kubelet waits evictionPressureTransitionPeriod (default 5m) before setting it back to False.",
            "当 memory.available 或 allocatableMemory.available 阈值被满足时，kubelet 将该节点状况置为 True，与宽限期无关。信号恢复后，kubelet 会等待 evictionPressureTransitionPeriod（默认 5m）才将其改回 False。",
        ],
        source: "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
    },
    Term {
        id: "oomkilled",
        name: ["OOMKilled (exit code 137)", "OOMKilled（退出码 137）"],
        text: [
            "Container termination reason set by the runtime (containerd's CRI plugin) when an OOM kill hit the container's cgroup, even if the killed process was not the main one. Exit code 137 is 128 + 9 (SIGKILL); any SIGKILL yields 137, so 137 alone does not prove an OOM kill.",
            "由容器运行时（containerd 的 CRI 插件）设置的容器终止原因，表示该容器的 cgroup 中发生了 OOM kill，即使被杀的并非主进程。退出码 137 即 128 + 9（SIGKILL）；任何 SIGKILL 都会得到 137，因此仅凭 137 不能证明发生了 OOM kill。",
        ],
        source: "containerd/containerd internal/cri/server/events.go (v2.3.4)",
    },
    Term {
        id: "evicted",
        name: ["Evicted", "Evicted（已驱逐）"],
        text: [
            "Pod status reason set by kubelet's eviction manager: the pod phase becomes Failed with reason Evicted and a message such as \"The node was low on resource: memory.\" Kubelet also records a Warning event with reason Evicted.",
            "由 kubelet 驱逐管理器设置的 Pod 状态原因：Pod 阶段变为 Failed，reason 为 Evicted，并附带类似 \"The node was low on resource: memory.\" 的消息。kubelet 还会记录一条 reason 为 Evicted 的 Warning 事件。",
        ],
        source: "kubernetes/kubernetes pkg/kubelet/eviction/eviction_manager.go evictPod() (v1.32.10)",
    },
    Term {
        id: "kubepods_cgroup",
        name: ["kubepods cgroup", "kubepods cgroup"],
        text: [
            "Top-level cgroup kubelet creates for all pods (kubepods, or kubepods.slice with the systemd driver). Each pod gets a pod<UID> cgroup: Guaranteed pods directly under kubepods, Burstable and BestEffort pods under its burstable and besteffort children. When enforce-node-allocatable includes pods, its memory limit is capacity minus kube-reserved and system-reserved.",
            "kubelet 为所有 Pod 创建的顶层 cgroup（kubepods；使用 systemd 驱动时为 kubepods.slice）。每个 Pod 有一个 pod<UID> cgroup：Guaranteed Pod 直接位于 kubepods 下，Burstable 与 BestEffort Pod 位于其 burstable、besteffort 子 cgroup 下。当 enforce-node-allocatable 包含 pods 时，其内存上限为节点容量减去 kube-reserved 和 system-reserved。",
        ],
        source: "kubernetes/kubernetes pkg/kubelet/cm/node_container_manager_linux.go and pkg/kubelet/cm/qos_container_manager_linux.go (v1.32.10)",
    },
    Term {
        id: "node_allocatable",
        name: ["node allocatable", "节点可分配资源（Node Allocatable）"],
        text: [
            "Resources the scheduler may give to pods: capacity minus kube-reserved, system-reserved and the hard eviction threshold. For memory, the kubepods cgroup limit does not subtract the eviction threshold, leaving that margin between the eviction point and a kubepods-level OOM.",
            "调度器可分配给 Pod 的资源量：节点容量减去 kube-reserved、system-reserved 和硬驱逐阈值。对内存而言，kubepods cgroup 的上限不扣除驱逐阈值，因此驱逐触发点与 kubepods 级 OOM 之间留有这一段余量。",
        ],
        source: "kubernetes/kubernetes pkg/kubelet/cm/node_container_manager_linux.go (v1.32.10)",
    },
    Term {
        id: "kube_system_reserved",
        name: ["kube-reserved / system-reserved", "kube-reserved / system-reserved（预留资源）"],
        text: [
            "Kubelet settings that subtract resources from node allocatable: kube-reserved for Kubernetes daemons such as kubelet and the container runtime, system-reserved for OS daemons such as sshd and for the kernel. They become cgroup limits only when listed in enforce-node-allocatable with the matching reserved-cgroup flag set.",
            "从节点可分配资源中扣除资源的 kubelet 设置：kube-reserved 用于 kubelet、容器运行时等 Kubernetes 守护进程，system-reserved 用于 sshd 等操作系统守护进程以及内核。只有在 enforce-node-allocatable 中列出并设置了相应的 reserved-cgroup 参数时，它们才会成为 cgroup 上限。",
        ],
        source: "https://kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/",
    },
    Term {
        id: "pgscan_pgsteal",
        name: ["pgscan / pgsteal", "pgscan / pgsteal（回收扫描页数 / 回收页数）"],
        text: [
            "Counters in a cgroup's memory.stat: pgscan is the number of pages scanned on inactive LRU lists, pgsteal the number of pages reclaimed. Variants with _kswapd, _direct and _khugepaged suffixes split them by who did the reclaim.",
            "cgroup 的 memory.stat 中的计数器：pgscan 是在非活跃 LRU 链表上扫描的页数，pgsteal 是被回收的页数。带 _kswapd、_direct、_khugepaged 后缀的变体按执行回收的主体分别计数。",
        ],
        source: "torvalds/linux Documentation/admin-guide/cgroup-v2.rst (v6.12)",
    },
    Term {
        id: "psi",
        name: ["PSI (Pressure Stall Information)", "PSI（压力停滞信息）"],
        text: [
            "The share of time tasks were stalled on CPU, memory or IO, reported as \"some\" (at least one task stalled) and \"full\" (all non-idle tasks stalled) averages over 10, 60 and 300 seconds plus a total in microseconds. Read it in /proc/pressure/memory or a cgroup's memory.pressure.",
            "任务因 CPU、内存或 IO 而停滞的时间占比，分为 \"some\"（至少一个任务停滞）和 \"full\"（所有非空闲任务同时停滞），给出 10、60、300 秒的平均值以及以微秒计的累计总量。可在 /proc/pressure/memory 或 cgroup 的 memory.pressure 中读取。",
        ],
        source: "torvalds/linux Documentation/accounting/psi.rst (v6.12)",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_is_unique_explained_in_both_languages_and_cited() {
        let mut ids: Vec<&str> = TERMS.iter().map(|t| t.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), TERMS.len());
        for t in TERMS {
            assert!(!t.text[0].is_empty() && !t.text[1].is_empty(), "{}", t.id);
            assert_ne!(t.text[0], t.text[1], "{} has no translation", t.id);
            assert!(
                t.source.contains('/')
                    && (t.source.contains(" (") || t.source.starts_with("https://")),
                "{}: {}",
                t.id,
                t.source
            );
        }
        for id in [
            "badness",
            "totalpages",
            "memcg",
            "memory_oom_group",
            "anon_file_shmem_rss",
            "working_set",
            "oom_score_adj",
            "oom_score_adj_in_logs",
            "kill_line_score",
        ] {
            assert!(term(id).is_some(), "{id}");
        }
    }
}
