//! The pod step of an evaluation: per pod its QoS class, priority, criticality, eviction request,
//! cgroup limit and usage; per container its kind, `oom_score_adj`, request, limit, Memory QoS
//! values, usage and whole-node badness — each from the rule module named after it — and the flat
//! model the kill orders and the simulation run on.

use super::ids::Ids;
use super::node::NodeModel;
use super::report::{ContainerReport, ContainerWhy, Containers, PodReport, PodWhy};
use super::usage::{split_pod_growth, Slots, Split};
use crate::api::pod::ContainerKind;
use crate::kernel::badness::{self, ProcScoreWhy, TaskMemory};
use crate::kubelet::critical::is_critical_pod;
use crate::kubelet::eviction::{eviction_grace, RankInput};
use crate::kubelet::memory_qos::container_memory_qos;
use crate::kubelet::oom_score_adj::container_oom_score_adjust_for_qos;
use crate::kubelet::qos::get_pod_qos;
use crate::kubelet::resource_fit;
use crate::kubelet::resources::{
    container_memory_limit, container_memory_request, kind_with, pod_memory_limit,
    pod_memory_request, LimitWhy, RequestWhy, Requests,
};
use crate::scenario::{Scenario, ScenarioError};
use crate::simulate::{ModelContainer, ModelPod};

/// Every pod's results, in scenario order.
pub(super) struct Pods {
    pub reports: Vec<PodReport>,
    /// Every pod's containers, in one list ([`Containers`] are ranges of it).
    pub containers: Vec<ContainerReport>,
    /// What eviction ranking reads of each pod.
    pub rank_inputs: Vec<RankInput>,
    pub model_pods: Vec<ModelPod>,
    /// The running containers.
    pub model_containers: Vec<ModelContainer>,
    /// Some pod has no usage entry (it is taken as using 0).
    pub missing_usage: bool,
}

/// Evaluates every pod of `scenario` on the node.
pub(super) fn evaluate_pods(
    scenario: &Scenario,
    node: &NodeModel<'_>,
    ids: &Ids,
    slots: &Slots,
) -> Result<Pods, ScenarioError> {
    let rules = &node.rules;
    let n_pods = scenario.pods.len();
    let n_containers = slots.container_usage.len();
    let sidecars = rules.sidecars_enabled();
    let pod_level_gate = rules.pod_level_resources();
    let mut out = Pods {
        reports: Vec::with_capacity(n_pods),
        containers: Vec::with_capacity(n_containers),
        rank_inputs: Vec::with_capacity(n_pods),
        model_pods: Vec::with_capacity(n_pods),
        model_containers: Vec::with_capacity(n_containers),
        missing_usage: false,
    };
    let mut split = Split::default();
    let mut admission = resource_fit::Admission::new(node.allocatable.allocatable_bytes);
    let mut whys: Vec<(RequestWhy, LimitWhy)> = Vec::new();
    for (pi, pod) in scenario.pods.iter().enumerate() {
        let priority = pod.priority.unwrap_or(0);
        let critical = is_critical_pod(pod);
        let (qos, qos_why) = get_pod_qos(pod, pod_level_gate, Requests::Defaulted);
        let (request, request_why) = pod_memory_request(pod, rules, Requests::Defaulted);
        // Admission in scenario order: a pod that does not fit never runs (no container in the
        // model, no usage, no rank), and leaves its share to the pods after it.
        let fit = admission.admit(resource_fit::scheduling_request(&request_why));
        let schedulable = fit.fits;
        let (pod_limit, limit_why) = pod_memory_limit(pod, rules);
        // Each container's request and limit, once (the usage split and the reports read them).
        split.requests.clear();
        split.limits.clear();
        whys.clear();
        for c in pod.all_containers() {
            let (request, request_why) = container_memory_request(c);
            let (limit, limit_why) = container_memory_limit(pod, c, rules);
            split.requests.push(request);
            split.limits.push(limit);
            whys.push((request_why, limit_why));
        }
        let flat = ids.containers_of(pi);
        let key = ids.key(pi, pod);
        let pod_usage = split.usage(
            pod,
            key,
            slots.pod_usage.get(pi).copied().flatten(),
            slots.container_usage.get(flat.clone()).unwrap_or(&[]),
            sidecars,
        )?;
        out.missing_usage |= schedulable && pod_usage.is_none();
        let growth_of = |ci: usize| {
            slots
                .container_growth
                .get(flat.start + ci)
                .copied()
                .flatten()
        };
        let qos_class = qos.as_str();
        let model_start = out.model_containers.len();
        let containers_start = out.containers.len();
        // Each report is written straight into the list (`extend` over an exact-size iterator): a
        // report built whole and then pushed is a 320-byte copy per container.
        let model_containers = &mut out.model_containers;
        out.containers
            .extend(pod.all_containers().enumerate().map(|(ci, c)| {
                let kind = kind_with(c, sidecars);
                let (adj, adj_why) = container_oom_score_adjust_for_qos(
                    pod,
                    c,
                    qos,
                    node.capacity,
                    rules,
                    Requests::Defaulted,
                );
                let req = split.requests.get(ci).copied().unwrap_or(0);
                let limit = split.limits.get(ci).copied().flatten();
                let (request_why, limit_why) = whys
                    .get(ci)
                    .cloned()
                    .unwrap_or((RequestWhy::None, LimitWhy::Unlimited));
                let (mq, memory_qos) =
                    container_memory_qos(&node.memory_qos, qos_class, req, limit.unwrap_or(0));
                let usage = split.usage.get(ci).copied().flatten();
                let running = kind != ContainerKind::Init && schedulable;
                let id = ids.container(pi, ci);
                let (proc_score, node_badness, oom_score) = if running {
                    let task = TaskMemory::from_rss_bytes(usage.unwrap_or(0), node.page_size);
                    let b = badness::oom_badness_for(
                        node.badness_rule,
                        &task,
                        adj,
                        node.global_totalpages,
                        node.page_size,
                        false,
                    );
                    (
                        Some(ProcScoreWhy {
                            rule: node.badness_rule,
                            rss_pages: task.rss_pages,
                            global_totalpages: node.global_totalpages,
                            page_size: node.page_size,
                        }),
                        b,
                        Some(badness::proc_oom_score(
                            node.badness_rule,
                            b,
                            node.global_totalpages,
                        )),
                    )
                } else {
                    (None, None, None)
                };
                if running {
                    model_containers.push(ModelContainer {
                        id: u32::try_from(id).unwrap_or(u32::MAX),
                        pod: u32::try_from(pi).unwrap_or(u32::MAX),
                        oom_score_adj: adj,
                        limit_bytes: limit,
                        usage_bytes: usage.unwrap_or(0),
                        growth_bytes_per_second: growth_of(ci).unwrap_or(0),
                    });
                }
                let id_range = ids.range(id);
                ContainerReport {
                    name: ids.name(id_range.end.saturating_sub(c.name.len())..id_range.end),
                    kind,
                    oom_score_adj: adj,
                    memory_request_bytes: req,
                    memory_limit_bytes: limit,
                    memory_high_bytes: mq.memory_high,
                    memory_min_bytes: mq.memory_min,
                    usage_bytes: if running { usage } else { None },
                    node_oom_badness: node_badness,
                    oom_score,
                    why: ContainerWhy {
                        adj: adj_why,
                        request: request_why,
                        limit: limit_why,
                        memory_qos,
                        proc_score,
                    },
                }
            }));
        // A pod-level growth key is split like usage: over running containers without their own
        // growth key, in proportion to request (equally when all are 0).
        if let Some(g) = slots.pod_growth.get(pi).copied().flatten() {
            split_pod_growth(
                pod,
                g,
                sidecars,
                &split.requests,
                &growth_of,
                out.model_containers
                    .get_mut(model_start..)
                    .unwrap_or(&mut []),
            );
        }
        let max_pod_grace = node.config.eviction_max_pod_grace_period.unwrap_or(0);
        let tgps = pod.termination_grace_period_seconds;
        let key_len = key.len();
        out.model_pods.push(ModelPod {
            sandbox: u32::try_from(ids.sandbox(pi)).unwrap_or(u32::MAX),
            key_len,
            priority,
            critical,
            request_bytes: request,
            limit_bytes: pod_limit,
            hard_grace: eviction_grace(rules, true, max_pod_grace, tgps),
            soft_grace: eviction_grace(rules, false, max_pod_grace, tgps),
            start: model_start,
            end: out.model_containers.len(),
        });
        out.rank_inputs.push(RankInput {
            key: String::new(),
            priority,
            request_bytes: request,
            // The ranking sees a pod without usage as using 0.
            usage_bytes: Some(pod_usage.unwrap_or(0)),
            critical,
        });
        let key_range = ids.key_range(pi, key_len);
        let ns_end = key_range.start + pod.namespace.len();
        out.reports.push(PodReport {
            namespace: ids.name(key_range.start..ns_end),
            name: ids.name((ns_end + 1).min(key_range.end)..key_range.end),
            qos_class,
            priority,
            memory_request_bytes: request,
            usage_bytes: pod_usage.filter(|_| schedulable),
            exceeds_request: schedulable && pod_usage.unwrap_or(0) > request,
            eviction_rank: None,
            eviction_tied: false,
            eviction_tied_with_previous: false,
            memory_limit_bytes: pod_limit,
            critical,
            schedulable,
            containers: Containers::range(containers_start, out.containers.len()),
            why: PodWhy {
                qos: qos_why,
                request: request_why,
                limit: limit_why,
                version: rules.version,
                pod_level_gate,
                fit,
            },
        });
    }
    Ok(out)
}
