//! A calculator scenario from an explanation, when the paste holds node capacity plus pods
//! and/or a kubelet configuration.

use super::orchestrate::*;
use super::{Explanation, MemoryStatReport};
use crate::api::pod::{Container, ContainerKind, Pod, ResourceList, ResourceRequirements};
use crate::base::quantity::Quantity;
use crate::diag::describe::{DescribePod, DescribedContainer};
use crate::diag::kubelet_config::{self, KubeletConfigReading};
use crate::scenario::{NodeSpec, Scenario};
use std::collections::BTreeMap;

/// A resource list from `describe` text, where `0` means unset (kubectl prints 0 for none).
fn described(cpu: Option<&str>, memory: Option<&str>) -> ResourceList {
    let q = |s: Option<&str>| {
        s.filter(|s| *s != "0")
            .and_then(|s| Quantity::parse(s).ok())
    };
    ResourceList {
        cpu: q(cpu),
        memory: q(memory),
        other: BTreeMap::new(),
    }
}

fn pod_shell(namespace: String, name: String, containers: Vec<Container>) -> Pod {
    Pod {
        namespace,
        name,
        uid: None,
        priority: None,
        priority_class_name: None,
        is_static: false,
        is_mirror: false,
        init_containers: Vec::new(),
        containers,
        resources: None,
        overhead: ResourceList::default(),
        status_qos_class: None,
        termination_grace_period_seconds: None,
    }
}

/// A pod from `kubectl describe pod`: every container with its CPU and memory requests and
/// limits (the QoS class depends on both), priority and UID.
fn pod_from_described(d: &DescribePod) -> Option<Pod> {
    let name = d.name.clone()?;
    let namespace = d.namespace.clone().unwrap_or_else(|| "default".into());
    let map = |m: &BTreeMap<String, String>| {
        described(
            m.get("cpu").map(String::as_str),
            m.get("memory").map(String::as_str),
        )
    };
    let container = |c: &DescribedContainer, kind| Container {
        name: c.name.clone(),
        kind,
        resources: ResourceRequirements {
            requests: map(&c.requests),
            limits: map(&c.limits),
        },
    };
    let mut pod = pod_shell(namespace, name, Vec::new());
    for c in &d.containers {
        match c.kind.as_str() {
            "init" => pod.init_containers.push(container(c, ContainerKind::Init)),
            "ephemeral" => {}
            _ => pod.containers.push(container(c, ContainerKind::Container)),
        }
    }
    if pod.containers.is_empty() {
        return None;
    }
    pod.uid = d.uid.clone();
    pod.priority = d.priority;
    pod.priority_class_name = d.priority_class_name.clone();
    Some(pod)
}

/// Builds a scenario when the paste has node capacity and pods and/or a kubelet configuration.
/// Pods come from pasted manifests; else from the node's pod table, each row replaced by the
/// pod's `kubectl describe pod` when the paste has it (per container), else one container
/// carrying the row's CPU and memory totals; else from the described pods alone.
pub(super) fn build_scenario(ex: &Explanation) -> Option<Scenario> {
    let index = Index::new(&ex.describe_pods, &ex.oom_events);
    let node = ex
        .describe_nodes
        .iter()
        .find(|n| n.capacity.contains_key("memory"))?;
    let memory = Quantity::parse(node.capacity.get("memory")?).ok()?;
    let mut pods: Vec<Pod> = ex.pods.clone();
    if pods.is_empty() {
        let described_pod = |ns: &str, name: &str| {
            ex.describe_pods.iter().find(|d| {
                d.name.as_deref() == Some(name) && d.namespace.as_deref().unwrap_or("default") == ns
            })
        };
        for r in &node.pods {
            let from_describe = described_pod(&r.namespace, &r.name).and_then(pod_from_described);
            pods.push(from_describe.unwrap_or_else(|| {
                pod_shell(
                    r.namespace.clone(),
                    r.name.clone(),
                    vec![Container {
                        name: "main".into(),
                        kind: ContainerKind::Container,
                        resources: ResourceRequirements {
                            requests: described(
                                r.cpu_requests.as_deref(),
                                r.memory_requests.as_deref(),
                            ),
                            limits: described(r.cpu_limits.as_deref(), r.memory_limits.as_deref()),
                        },
                    }],
                )
            }));
        }
        if node.pods.is_empty() {
            pods.extend(ex.describe_pods.iter().filter_map(pod_from_described));
        }
    }
    if pods.is_empty() && ex.kubelet_configs.is_empty() {
        return None;
    }
    // Flags override the file.
    let mut configs: Vec<&KubeletConfigReading> = ex.kubelet_configs.iter().collect();
    crate::base::sort::sort_by_key(&mut configs, |c| {
        c.source == kubelet_config::ConfigSource::Flags
    });
    let mut kc = crate::api::kubelet_config::KubeletConfig::default();
    let mut gates = BTreeMap::new();
    let mut max_pods = node.capacity.get("pods").and_then(|p| p.parse().ok());
    for c in configs {
        merge_config(&mut kc, c);
        gates.extend(c.feature_gates.clone());
        if c.max_pods.is_some() {
            max_pods = c.max_pods;
        }
    }
    let kernel_version = node.kernel_version.as_deref().and_then(|k| {
        let mut it = k.split(['.', '-']);
        Some(format!("{}.{}", it.next()?, it.next()?))
    });
    let kubelet_version = node
        .kubelet_version
        .as_deref()
        .and_then(|v| crate::kubelet::rules::KubeletVersion::parse(v).ok())
        .map(|v| v.to_string());
    let cgroup_version = ex
        .memory_stats
        .iter()
        .find_map(|m: &MemoryStatReport| m.cgroup_version)
        .or_else(|| ex.oom_events.iter().find_map(|e| e.cgroup_version));
    // Observed usage from eviction messages: the container's working set.
    let mut usage = BTreeMap::new();
    for m in &ex.evictions {
        let pod = index.pod_at(m.line).and_then(|i| ex.describe_pods.get(i));
        if let Some(p) = pod {
            for o in &m.offenders {
                if let (Some(name), Ok(q)) = (&p.name, Quantity::parse(&o.usage.text)) {
                    let ns = p.namespace.clone().unwrap_or_else(|| "default".into());
                    let key = if o.is_pod {
                        format!("{ns}/{name}")
                    } else {
                        format!("{ns}/{name}/{}", o.name)
                    };
                    usage.insert(key, q);
                }
            }
        }
    }
    Some(Scenario {
        kubelet_version,
        feature_gates: gates,
        node: NodeSpec {
            memory,
            swap: None,
            preset: None,
            max_pods,
            cgroup_version,
            page_size: None,
            kernel_version,
            kubelet_config: kc,
            system_usage: None,
            reported_allocatable: node
                .allocatable
                .get("memory")
                .and_then(|m| Quantity::parse(m).ok()),
        },
        pods,
        usage,
        growth: BTreeMap::new(),
    })
}

pub(super) fn merge_config(
    into: &mut crate::api::kubelet_config::KubeletConfig,
    from: &KubeletConfigReading,
) {
    let c = &from.config;
    let set = |k: &str| from.field_lines.keys().any(|f| f == k);
    if !c.kube_reserved.is_empty() {
        into.kube_reserved = c.kube_reserved.clone();
    }
    if !c.system_reserved.is_empty() {
        into.system_reserved = c.system_reserved.clone();
    }
    if c.eviction_hard.is_some() {
        into.eviction_hard = c.eviction_hard.clone();
    }
    if !c.eviction_soft.is_empty() {
        into.eviction_soft = c.eviction_soft.clone();
    }
    if !c.eviction_soft_grace_period.is_empty() {
        into.eviction_soft_grace_period = c.eviction_soft_grace_period.clone();
    }
    if !c.eviction_minimum_reclaim.is_empty() {
        into.eviction_minimum_reclaim = c.eviction_minimum_reclaim.clone();
    }
    into.eviction_max_pod_grace_period = c
        .eviction_max_pod_grace_period
        .or(into.eviction_max_pod_grace_period);
    if c.eviction_pressure_transition_period.is_some() {
        into.eviction_pressure_transition_period = c.eviction_pressure_transition_period.clone();
    }
    if c.enforce_node_allocatable.is_some() || set("--enforce-node-allocatable") {
        into.enforce_node_allocatable = c.enforce_node_allocatable.clone();
    }
    into.cgroups_per_qos = c.cgroups_per_qos.or(into.cgroups_per_qos);
    into.memory_throttling_factor = c.memory_throttling_factor.or(into.memory_throttling_factor);
    into.single_process_oom_kill = c.single_process_oom_kill.or(into.single_process_oom_kill);
    if c.memory_reservation_policy.is_some() {
        into.memory_reservation_policy = c.memory_reservation_policy.clone();
    }
}
