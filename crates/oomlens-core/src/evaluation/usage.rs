//! Observed usage and growth: the scenario's `usage`/`growth` keys (`ns/pod` or
//! `ns/pod/container`) read into per-pod and per-container slots, and the split rule that turns a
//! pod's usage (or growth) into its containers'.

use crate::api::pod::{ContainerKind, Pod};
use crate::base::quantity::Quantity;
use crate::kubelet::resources::kind_with;
use crate::scenario::{split_usage_key, Scenario, ScenarioError};
use crate::simulate::ModelContainer;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

use super::err;
use super::ids::Ids;

/// Usage and growth by pod (`ns/pod` keys) and by container (`ns/pod/container` keys), in bytes
/// and bytes per second; containers in the evaluation's flat order (pod by pod, `all_containers()`).
pub(super) struct Slots {
    pub pod_usage: Vec<Option<i64>>,
    pub pod_growth: Vec<Option<i64>>,
    pub container_usage: Vec<Option<i64>>,
    pub container_growth: Vec<Option<i64>>,
}

impl Slots {
    /// Reads the scenario's `usage` and `growth` maps. Errors name the key: not a pod of the
    /// scenario, no such container, a malformed key, or two pods with the same key.
    pub fn read(scenario: &Scenario, ids: &Ids) -> Result<Slots, ScenarioError> {
        // Pod keys are short and not adversarial: the Fx hash (rustc's) is enough.
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        index.reserve(scenario.pods.len());
        for (i, p) in scenario.pods.iter().enumerate() {
            let key = ids.key(i, p);
            if index.insert(key, i).is_some() {
                return Err(err(
                    format!("pods[{i}].metadata.name"),
                    format!("duplicate pod {key}"),
                ));
            }
        }
        let n_containers: usize = scenario
            .pods
            .iter()
            .map(|p| p.init_containers.len() + p.containers.len())
            .sum();
        let mut slots = Slots {
            pod_usage: vec![None; scenario.pods.len()],
            pod_growth: vec![None; scenario.pods.len()],
            container_usage: vec![None; n_containers],
            container_growth: vec![None; n_containers],
        };
        let fill = |map: &BTreeMap<String, Quantity>,
                    field: &str,
                    pods: &mut [Option<i64>],
                    containers: &mut [Option<i64>]|
         -> Result<(), ScenarioError> {
            for (k, q) in map {
                let path = || format!("{field}.{k}");
                let Some((pod_key, container)) = split_usage_key(k) else {
                    let m = crate::scenario::check_usage_key(k)
                        .err()
                        .unwrap_or_else(|| "invalid key".to_string());
                    return Err(err(path(), m));
                };
                let found = index
                    .get(pod_key)
                    .and_then(|&i| scenario.pods.get(i).map(|p| (i, p)));
                let Some((pi, pod)) = found else {
                    return Err(err(path(), format!("no pod {pod_key} in pods")));
                };
                let v = q.value();
                match container {
                    None => {
                        if let Some(slot) = pods.get_mut(pi) {
                            *slot = Some(v);
                        }
                    }
                    Some(c) => {
                        let first = ids.containers_of(pi).start;
                        let mut found = false;
                        for (ci, x) in pod.all_containers().enumerate() {
                            if x.name == c {
                                found = true;
                                if let Some(slot) = containers.get_mut(first + ci) {
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
        };
        fill(
            &scenario.usage,
            "usage",
            &mut slots.pod_usage,
            &mut slots.container_usage,
        )?;
        fill(
            &scenario.growth,
            "growth",
            &mut slots.pod_growth,
            &mut slots.container_growth,
        )?;
        Ok(slots)
    }
}

/// Per-pod scratch space of the usage split, reused from pod to pod.
#[derive(Default)]
pub(super) struct Split {
    /// The pod's container requests and limits (`all_containers()` order).
    pub requests: Vec<i64>,
    pub limits: Vec<Option<i64>>,
    /// Per container, after the split rule (`None` = not given / completed init container).
    pub usage: Vec<Option<i64>>,
    open: Vec<usize>,
    fill: Vec<(usize, i64)>,
    left: Vec<usize>,
    capped: Vec<usize>,
}

impl Split {
    /// The usage split rule: `ns/pod/container` keys give a container's working set; an `ns/pod`
    /// key gives the pod's, and whatever it exceeds the listed containers by is split over the
    /// running containers without a key in proportion to their effective memory request (equally
    /// when those are all 0), no container getting more than its limit (see [`Split::water_fill`]).
    /// Without a pod key the pod's usage is the sum of its containers'. A pod key smaller than the
    /// sum of its container keys is an error. Per-container results go to `self.usage`; returns
    /// the pod's usage (`None` = not given). `self.requests`/`self.limits` hold the pod's
    /// container requests and limits.
    pub fn usage(
        &mut self,
        pod: &Pod,
        key: &str,
        pod_given: Option<i64>,
        container_given: &[Option<i64>],
        sidecars: bool,
    ) -> Result<Option<i64>, ScenarioError> {
        let running = |c| kind_with(c, sidecars) != ContainerKind::Init;
        self.usage.clear();
        for (ci, c) in pod.all_containers().enumerate() {
            match container_given.get(ci).copied().flatten() {
                Some(_) if !running(c) => {
                    return Err(err(
                        format!("usage.{key}/{}", c.name),
                        "this is a regular init container: it has completed before the pod's containers run; give its usage to a running container",
                    ))
                }
                v => self.usage.push(v),
            }
        }
        let given: i64 = self
            .usage
            .iter()
            .flatten()
            .fold(0i64, |a, b| a.saturating_add(*b));
        let Some(p) = pod_given else {
            return Ok(self.usage.iter().any(Option::is_some).then_some(given));
        };
        if p < given {
            return Err(err(
                format!("usage.{key}"),
                format!(
                    "the pod's usage {p} is smaller than the sum of its containers' usages {given}"
                ),
            ));
        }
        let rest = p - given;
        self.open.clear();
        for (i, c) in pod.all_containers().enumerate() {
            if running(c) && self.usage.get(i).is_some_and(Option::is_none) {
                self.open.push(i);
            }
        }
        if self.open.is_empty() {
            if rest > 0 {
                return Err(err(
                    format!("usage.{key}"),
                    format!("the pod's usage exceeds the sum of its containers' usages by {rest} but every running container already has its own usage key"),
                ));
            }
        } else {
            self.water_fill(rest);
            for &(i, v) in &self.fill {
                if let Some(slot) = self.usage.get_mut(i) {
                    *slot = Some(v);
                }
            }
        }
        Ok(Some(p))
    }

    /// Splits `rest` bytes over the containers `self.open` in proportion to their requests
    /// (equally when they are all 0), never giving a container more than its limit: a container
    /// that would exceed its limit gets exactly the limit and the excess is split again over the
    /// others. Whatever is left when every container is at its limit goes to the first one (it is
    /// then over its limit, which the timeline reports as an immediate OOM kill). The rounding
    /// remainder goes to the first container that is not capped. The result is in `self.fill`.
    fn water_fill(&mut self, rest: i64) {
        let Split {
            requests,
            limits,
            open,
            fill: out,
            left,
            capped,
            ..
        } = self;
        out.clear();
        left.clear();
        left.extend_from_slice(open);
        let mut rest = rest.max(0);
        loop {
            if left.is_empty() {
                if rest > 0 {
                    if let Some(first) = out.first_mut() {
                        first.1 = first.1.saturating_add(rest);
                    }
                }
                return;
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
            capped.clear();
            capped.extend(left.iter().copied().filter(|&i| {
                limits
                    .get(i)
                    .copied()
                    .flatten()
                    .is_some_and(|l| share(i) > l)
            }));
            if capped.is_empty() {
                let mut assigned = 0i64;
                let start = out.len();
                for &i in left.iter() {
                    let v = share(i);
                    assigned = assigned.saturating_add(v);
                    out.push((i, v));
                }
                if let Some(first) = out.get_mut(start) {
                    first.1 = first.1.saturating_add(rest - assigned);
                }
                return;
            }
            for &i in capped.iter() {
                let l = limits.get(i).copied().flatten().unwrap_or(0).max(0);
                rest = rest.saturating_sub(l);
                out.push((i, l));
            }
            left.retain(|i| !capped.contains(i));
        }
    }
}

/// Splits a pod-level growth key over the pod's running containers without their own growth key,
/// in proportion to request (equally when all are 0); the rounding remainder goes to the first.
/// `running` are the pod's model containers (in `all_containers()` order, init containers that
/// completed left out); containers are matched by name as the growth keys name them.
pub(super) fn split_pod_growth(
    pod: &Pod,
    g: i64,
    sidecars: bool,
    requests: &[i64],
    growth_of: &dyn Fn(usize) -> Option<i64>,
    running: &mut [ModelContainer],
) {
    let names: Vec<&str> = pod
        .all_containers()
        .filter(|c| kind_with(c, sidecars) != ContainerKind::Init)
        .map(|c| c.name.as_str())
        .collect();
    let position = |name: &str| pod.all_containers().position(|c| c.name == name);
    let has_key = |name: &str| position(name).is_some_and(|ci| growth_of(ci).is_some());
    let open: Vec<usize> = (0..running.len())
        .filter(|&i| names.get(i).is_some_and(|n| !has_key(n)))
        .collect();
    let reqs: Vec<i64> = open
        .iter()
        .map(|&i| {
            names
                .get(i)
                .and_then(|n| position(n))
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
        if let Some(sc) = running.get_mut(i) {
            sc.growth_bytes_per_second = share;
        }
        assigned = assigned.saturating_add(share);
    }
    if let Some(sc) = open.first().and_then(|&i| running.get_mut(i)) {
        sc.growth_bytes_per_second = sc.growth_bytes_per_second.saturating_add(g - assigned);
    }
}
