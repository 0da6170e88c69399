//! What one kernel OOM event means: the verdict (which limit, who died, limit vs usage), the
//! Kubernetes consequence (kubelet's `OOMKilled` from the runtime's OOM event, `pkg/kubelet/kuberuntime`;
//! memory.oom.group since kubelet 1.28 on cgroup v2, `singleProcessOOMKill` since 1.32), whether the
//! kernel's choice is what the task table implies, and what to do. Stable `id`s and `args` let the UI
//! localise; `message`/`advice` are English.

use crate::base::quantity::format_bytes;
use crate::diag::dmesg::event::OomEvent;
use crate::diag::finding::{Finding, Severity};

/// The findings for one event, the verdict first.
pub fn findings(ev: &OomEvent) -> Vec<Finding> {
    let d = &ev.details;
    let mut out = Vec::new();
    let core: Vec<usize> = [
        d.header_line,
        d.constraint_line,
        d.usage_line,
        d.select_line,
        d.killed_line,
        d.group_line,
    ]
    .into_iter()
    .flatten()
    .collect();
    let victim = ev.victim.as_ref();
    let who = victim.map_or_else(
        || "a process the paste does not name (no `Killed process` line)".to_string(),
        |v| format!("{} (PID {})", v.comm, v.pid),
    );
    let anon = victim.and_then(|v| v.anon_rss_bytes);
    let limits = match (ev.usage_bytes, ev.limit_bytes) {
        (Some(u), Some(l)) => format!(" (usage {} of limit {})", format_bytes(u), format_bytes(l)),
        (None, Some(l)) => format!(" (limit {})", format_bytes(l)),
        _ => String::new(),
    };
    let failcnt = d
        .failcnt
        .filter(|f| *f > 0)
        .map(|f| format!(" The limit was hit {f} times (failcnt)."))
        .unwrap_or_default();
    let pod = ev
        .pod_uid
        .as_deref()
        .map(|u| format!(" of pod {u}"))
        .unwrap_or_default();
    let container = ev
        .container_id
        .as_deref()
        .map(|c| format!(" container {}", short(c)))
        .unwrap_or_default();
    let qos = ev.qos_class.as_deref().unwrap_or("unknown QoS");
    let anon_txt = anon
        .map(|a| format!(", anon-rss {}", format_bytes(a)))
        .unwrap_or_default();

    let (id, msg, advice) = match (ev.constraint.as_deref(), ev.scope.as_deref()) {
        (Some("memcg"), Some("container")) => (
            "oom.container_limit",
            format!("The memory limit of{container}{pod} was reached{limits}; the kernel killed {who}{anon_txt}.{failcnt}"),
            format!(
                "Raise the container's memory limit above its real peak{} or reduce what the process holds (heap caps such as -XX:MaxRAMPercentage or GOMEMLIMIT below the limit; look for a leak if usage only grows).",
                ev.limit_bytes.map(|l| format!(" (it was pinned at {})", format_bytes(l))).unwrap_or_default()
            ),
        ),
        (Some("memcg"), Some("pod")) => (
            "oom.pod_limit",
            format!("The pod-level memory limit{pod} (sum of its containers' limits, or the pod's own limit) was reached{limits}; the kernel killed {who}{anon_txt}.{failcnt}"),
            "The victim is the pod's worst process, not necessarily in the container that grew: compare the containers' usage and raise the limit of the one that needs it (or the pod-level limit).".to_string(),
        ),
        (Some("memcg"), Some("qos")) => (
            "oom.qos_limit",
            format!("The {qos} QoS-level memory cgroup reached its limit{limits} (set by the QOSReserved feature); the kernel killed {who}{anon_txt}."),
            "QOSReserved caps all pods of this class together: lower the class's usage (requests closer to real use) or revisit the reservation.".to_string(),
        ),
        (Some("memcg"), Some("kubepods")) => (
            "oom.kubepods_limit",
            format!("All pods together reached the kubepods memory limit (node allocatable for pods){limits}; the kernel killed {who}{anon_txt} among every pod's processes."),
            "Pods used more than allocatable: set memory requests to real usage so the node is not overcommitted, give every container a limit, and let kubelet evict earlier (a higher eviction-hard memory.available, kernelMemcgNotification).".to_string(),
        ),
        (Some("memcg"), _) => (
            "oom.memcg_limit",
            format!(
                "A memory cgroup limit{} was reached{limits}; the kernel killed {who}{anon_txt}.{failcnt}",
                ev.oom_memcg.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
            ),
            "The cgroup is not a Kubernetes pod or container cgroup (e.g. a systemd MemoryMax= or docker -m limit): raise that limit or reduce the service's memory.".to_string(),
        ),
        (Some("global"), _) if d.order == Some(-1) => (
            "oom.sysrq",
            format!("A manual OOM kill was requested (SysRq-f or /proc/sysrq-trigger: order=-1), not caused by memory exhaustion; the kernel killed {who}{anon_txt}."),
            "Find out who triggered SysRq-f (a watchdog such as earlyoom, an operator, a test); it is not a capacity problem.".to_string(),
        ),
        (Some("global"), _) => (
            "oom.node",
            format!("The whole node ran out of memory (global OOM, RAM + swap); the kernel killed {who}{anon_txt}."),
            "Reserve memory for the system (systemReserved, kubeReserved), keep a hard eviction threshold so kubelet evicts before the kernel kills, set requests to real usage so the scheduler does not overcommit, and check the largest non-pod processes in the task table.".to_string(),
        ),
        (Some(c @ ("cpuset" | "mempolicy")), _) => (
            if c == "cpuset" { "oom.cpuset" } else { "oom.mempolicy" },
            format!("The NUMA nodes allowed by the {c} ran out of memory while others may have had free memory; the kernel killed {who}{anon_txt}."),
            "Check cpuset.mems / the NUMA policy (e.g. the Topology or Memory Manager with single-numa-node): the workload is confined to too little memory.".to_string(),
        ),
        _ => (
            "oom.unknown",
            format!("The kernel OOM killer killed {who}{anon_txt}; the paste does not show which limit was hit."),
            "Paste the whole report (from `invoked oom-killer` to `Killed process`, including the `oom-kill:` line) to see which limit was hit.".to_string(),
        ),
    };
    let mut verdict = Finding::new(Severity::Critical, id, msg, core.clone()).advice(advice);
    verdict = add_common_args(verdict, ev);
    if let Some(c) = ev.container_id.as_deref() {
        verdict = verdict.arg("container", short(c));
    }
    if let Some(f) = d.failcnt.filter(|f| *f > 0) {
        verdict = verdict.arg("failcnt", f);
    }
    if let Some(p) = ev.oom_memcg.as_deref() {
        verdict = verdict.arg("oom_memcg", p);
    }
    if let Some(c) = ev
        .constraint
        .as_deref()
        .filter(|c| *c == "cpuset" || *c == "mempolicy")
    {
        verdict = verdict.arg("numa_constraint", c);
    }
    out.push(verdict);

    if let Some(mut f) = consequence(ev, &who, &core) {
        // The victim by name, for the UI's localised text (absent when the paste does not name it).
        if let Some(v) = victim {
            for (k, val) in [
                ("victim_comm", v.comm.clone()),
                ("victim_pid", v.pid.to_string()),
            ] {
                if !f.args.iter().any(|(n, _)| n == k) {
                    f = f.arg(k, val);
                }
            }
        }
        out.push(f);
    }
    if let Some(v) = victim.and_then(|v| v.oom_score_adj) {
        if v <= -997 && v > -1000 {
            out.push(
                Finding::new(
                    Severity::Warning,
                    "oom.protected_victim",
                    format!("The victim had oom_score_adj {v} (a Guaranteed container, a pod sandbox or a node daemon): it was chosen because nothing with a higher badness was in scope."),
                    d.killed_line.into_iter().collect(),
                )
                .arg("oom_score_adj", v),
            );
        }
    }
    out.extend(choice_finding(ev));
    if !d.notes.is_empty() {
        out.push(
            Finding::new(
                Severity::Info,
                "oom.cannot_prove",
                format!("What this report cannot prove: {}", d.notes.join(" ")),
                Vec::new(),
            )
            .arg("notes", d.notes.join(" ")),
        );
    }
    out
}

fn add_common_args(mut f: Finding, ev: &OomEvent) -> Finding {
    let pairs: [(&str, Option<String>); 10] = [
        ("scope", ev.scope.clone()),
        ("constraint", ev.constraint.clone()),
        ("limit_bytes", ev.limit_bytes.map(|v| v.to_string())),
        ("usage_bytes", ev.usage_bytes.map(|v| v.to_string())),
        ("victim_pid", ev.victim.as_ref().map(|v| v.pid.to_string())),
        ("victim_comm", ev.victim.as_ref().map(|v| v.comm.clone())),
        (
            "anon_rss_bytes",
            ev.victim
                .as_ref()
                .and_then(|v| v.anon_rss_bytes)
                .map(|v| v.to_string()),
        ),
        ("pod_uid", ev.pod_uid.clone()),
        ("container_id", ev.container_id.clone()),
        ("qos_class", ev.qos_class.clone()),
    ];
    for (k, v) in pairs {
        if let Some(v) = v {
            f = f.arg(k, v);
        }
    }
    f
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// What Kubernetes shows for this kill.
fn consequence(ev: &OomEvent, who: &str, core: &[usize]) -> Option<Finding> {
    let d = &ev.details;
    let victim_in_pod = d.task_cgroup.as_ref().is_some_and(|c| c.pod_uid.is_some());
    let victim_pid = ev.victim.as_ref().map_or(0, |v| v.pid);
    match ev.scope.as_deref() {
        Some("container") | Some("pod") if ev.group_kill => {
            let more = d.group_killed_pids.len();
            Some(
                Finding::new(
                    Severity::Critical,
                    "k8s.oomkilled",
                    format!(
                        "memory.oom.group was set (cgroup v2, kubelet ≥ 1.28 without singleProcessOOMKill): every process of {} was killed ({} more after {who}). The container exits with code 137 and kubelet reports reason OOMKilled; it restarts per restartPolicy (CrashLoopBackOff if it keeps happening).",
                        d.group_kill_path.as_deref().unwrap_or("the container"),
                        more
                    ),
                    [d.group_line, d.killed_line].into_iter().flatten().collect(),
                )
                .arg("group_killed", more)
                .arg("exit_code", 137)
                .arg("group_path", d.group_kill_path.as_deref().unwrap_or("the container")),
            )
        }
        Some("container") | Some("pod") => {
            let why = match ev.cgroup_version {
                Some(1) => "cgroup v1 has no group kill",
                Some(2) => "no memory.oom.group line: kubelet < 1.28, or singleProcessOOMKill: true",
                _ => "no memory.oom.group line: cgroup v1, kubelet < 1.28, or singleProcessOOMKill: true",
            };
            Some(
                Finding::new(
                    Severity::Warning,
                    "k8s.process_killed",
                    format!(
                        "Only {who} was killed ({why}). If it was the container's main process (PID 1 inside the container), the container exits with code 137 and is reported OOMKilled; if it was a child (a worker, a shell, a sidecar process), the container keeps running, is not restarted, and only the kernel log and container_oom_events_total show the kill."
                    ),
                    core.to_vec(),
                )
                .arg("victim_pid", victim_pid)
                .arg("exit_code", 137)
                .arg(match ev.cgroup_version {
                    Some(1) => "cgroup_v1",
                    Some(2) => "cgroup_v2",
                    _ => "cgroup_unknown",
                }, "yes")
                .advice("Check `kubectl get pod -o yaml` lastState: OOMKilled means the main process died; otherwise look for a restarted worker inside the container."),
            )
        }
        Some("qos") | Some("kubepods") | Some("node") if victim_in_pod => Some(
            Finding::new(
                Severity::Critical,
                "k8s.collateral",
                format!(
                    "{who} of pod {} ({}) was killed because {} ran out of memory, not necessarily because this pod exceeded anything: it had the highest badness (memory + oom_score_adj × totalpages/1000). {}",
                    ev.pod_uid.as_deref().unwrap_or("?"),
                    ev.qos_class.as_deref().unwrap_or("unknown QoS"),
                    if ev.scope.as_deref() == Some("node") { "the node" } else { "the pods' shared cgroup" },
                    if ev.group_kill {
                        format!(
                            "memory.oom.group then killed every process of {}: the container exits with 137 and is reported OOMKilled, although its own limit was not reached.",
                            d.group_kill_path.as_deref().unwrap_or("its container")
                        )
                    } else {
                        "If it was the container's main process the container is reported OOMKilled (exit 137), although its own limit was not reached.".to_string()
                    }
                ),
                core.to_vec(),
            )
            .arg("pod_uid", ev.pod_uid.clone().unwrap_or_default())
            .arg("qos_class", ev.qos_class.clone().unwrap_or_else(|| "unknown QoS".into()))
            .arg(if ev.scope.as_deref() == Some("node") { "node_oom" } else { "shared_oom" }, "yes")
            .arg(if ev.group_kill { "group_kill" } else { "single_kill" }, d.group_kill_path.as_deref().unwrap_or("its container"))
            .advice("Kubelet eviction did not act in time (it samples memory.available every 10 s): lower overcommit (requests = real usage, limits on every container) and keep system/kube reservations and a hard eviction threshold."),
        ),
        Some("qos") | Some("kubepods") | Some("node") => Some(
            Finding::new(
                Severity::Warning,
                "oom.non_pod_victim",
                format!(
                    "The victim {who} is not in a pod cgroup{}: a node process (daemon, runtime, kubelet helper) died.",
                    ev.task_memcg.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
                ),
                core.to_vec(),
            )
            .arg("task_memcg", ev.task_memcg.clone().unwrap_or_default())
            .advice("Protect node daemons with systemReserved/kubeReserved (and their own cgroup limits) and check whether pods overcommitted the node."),
        ),
        _ => None,
    }
}

fn choice_finding(ev: &OomEvent) -> Option<Finding> {
    let d = &ev.details;
    if ev.tasks.is_empty() {
        return Some(Finding::new(
            Severity::Info,
            "oom.no_task_table",
            "The paste has no task table (cut, or vm.oom_dump_tasks=0): whether the kernel's choice was the expected one cannot be checked.",
            d.killed_line.into_iter().collect(),
        ));
    }
    let Some(kc) = &ev.kernel_choice else {
        return Some(Finding::new(
            Severity::Info,
            "oom.choice_unknown",
            "The kernel's choice cannot be recomputed from this report (see what it cannot prove).",
            d.table_line.into_iter().collect(),
        ));
    };
    let mut lines: Vec<usize> = d.table_line.into_iter().chain(d.killed_line).collect();
    for t in &ev.tasks {
        if t.pid == kc.pid || ev.victim.as_ref().is_some_and(|v| v.pid == t.pid) {
            lines.push(t.line);
        }
    }
    lines.sort_unstable();
    lines.dedup();
    let chosen = ev.tasks.iter().find(|t| t.pid == kc.pid);
    let badness = chosen
        .and_then(|t| t.badness)
        .map(|b| b.to_string())
        .unwrap_or_else(|| "?".into());
    let totalpages = d
        .totalpages
        .map(|t| t.to_string())
        .unwrap_or_else(|| "unknown".into());
    let (sev, id) = if ev.victim.is_none() {
        (Severity::Info, "oom.choice_without_victim")
    } else if kc.agrees_with_victim {
        (Severity::Info, "oom.choice_agrees")
    } else if d.kill_kind.as_deref() == Some("allocating_task") {
        (Severity::Info, "oom.allocating_task")
    } else if d.selected_pid == Some(kc.pid) {
        (Severity::Info, "oom.child_sacrificed")
    } else {
        (Severity::Warning, "oom.choice_differs")
    };
    let msg = if ev.victim.is_none() {
        format!("The task table's worst task is PID {} (badness {badness}, totalpages {totalpages}); {}.", kc.pid, kc.why)
    } else if kc.agrees_with_victim {
        format!("The kernel's choice matches the task table: PID {} has badness {badness} (totalpages {totalpages}); {}.", kc.pid, kc.why)
    } else {
        format!("The task table implies PID {} (badness {badness}, totalpages {totalpages}), not the victim: {}.", kc.pid, kc.why)
    };
    Some(
        Finding::new(sev, id, msg, lines)
            .arg("implied_pid", kc.pid)
            .arg("badness", badness)
            .arg("totalpages", totalpages)
            .arg("rule", d.badness_rule.clone().unwrap_or_default())
            .arg("why", kc.why.clone()),
    )
}
