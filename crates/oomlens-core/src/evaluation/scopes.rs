//! The OOM scopes of an evaluated node and their kill orders (`crate::kernel::kill_order`): each
//! pod cgroup with a limit, `kubepods` (when enforced) and the whole node. The node's order is
//! made by every evaluation (the calculator shows it); the others when asked for.

use super::report::OomScopeReport;
use crate::base::name::Name;
use crate::kernel::badness::{self, OomScope, TaskMemory};
use crate::kernel::kill_order::{KillOrder, KillOrders, Proc};
use crate::simulate::{sandbox_proc, system_proc, Model};
use std::ops::Range;
use std::sync::Arc;

/// What the kill orders of every scope are built from: the flat model, the id of the sandboxes'
/// entry, the names of the kubepods and node scopes, and the node's order. Compared by these
/// inputs (the calculator compares every new evaluation with the last).
#[derive(Debug, PartialEq)]
pub(super) struct ScopeInputs {
    pub model: Model,
    pub sandboxes: u32,
    pub kubepods: Name,
    pub node: Name,
    pub node_order: KillOrder,
}

impl ScopeInputs {
    /// Kill orders per OOM scope.
    pub fn oom_scopes(&self) -> Vec<OomScopeReport> {
        oom_scopes(self)
    }
}

/// The candidates of the kubepods and node scopes: every running container, plus the pod
/// sandboxes as one entry (they are identical: rss ≈ 0, adj −998, so they tie with each other and
/// come after every container whose badness is above −998·totalpages/1000); then, for the node
/// only, the system processes (kubelet and the runtime). Returns where each group is.
fn add_node_candidates(
    orders: &mut KillOrders,
    m: &Model,
    sandboxes: u32,
) -> (Range<usize>, Range<usize>) {
    let ps = m.page_size;
    let all = orders.add(
        m.containers
            .iter()
            .map(|c| Proc {
                id: c.id,
                task: TaskMemory::from_rss_bytes(c.usage_bytes, ps),
                oom_score_adj: c.oom_score_adj,
                cap_sys_admin: false,
            })
            .chain((!m.pods.is_empty()).then(|| sandbox_proc(sandboxes))),
    );
    let with_system = orders.add(std::iter::once(system_proc(
        m.system_id,
        m.system_usage_bytes,
        ps,
    )));
    (all, with_system)
}

/// The kill order of a whole-node OOM.
pub(super) fn node_kill_order(m: &Model, sandboxes: u32) -> KillOrder {
    let n = m.containers.len() + 2;
    let mut orders = KillOrders::new(Arc::clone(&m.ids), m.badness_rule, m.page_size, n, n);
    let (all, with_system) = add_node_candidates(&mut orders, m, sandboxes);
    let node_tp = badness::global_totalpages(m.capacity_bytes, m.swap_bytes, m.page_size);
    orders.set_ties_keep_later(m.kernel.ties_keep_later(false));
    orders.push(all.start..with_system.end, node_tp);
    orders
        .finish()
        .pop()
        .unwrap_or_else(|| KillOrder::empty(m.badness_rule, node_tp, m.page_size))
}

/// The kill order of every scope that can OOM: each pod cgroup with a limit, kubepods (when
/// enforced) and the node. Candidates are in scenario order (the kernel's iteration order is
/// process creation order, unknown here, so equal points are reported as ties).
fn oom_scopes(inputs: &ScopeInputs) -> Vec<OomScopeReport> {
    let m = &inputs.model;
    let ps = m.page_size;
    let swap_pages = m.swap_bytes / ps;
    let limited: Vec<(usize, i64)> = m
        .pods
        .iter()
        .enumerate()
        .filter_map(|(pi, p)| p.limit_bytes.map(|l| (pi, l)))
        .collect();
    let candidates = m.containers.len() + 2 + limited.len();
    let mut orders = KillOrders::new(
        Arc::clone(&m.ids),
        m.badness_rule,
        ps,
        candidates,
        2 * candidates,
    );
    let (all, _) = add_node_candidates(&mut orders, m, inputs.sandboxes);
    // Every limited pod's sandbox (candidate `sandboxes.start + k` for the k-th), then its
    // containers (the same candidates as in the kubepods scope).
    let sandboxes = orders.add(
        limited
            .iter()
            .filter_map(|&(pi, _)| m.pods.get(pi))
            .map(|p| sandbox_proc(p.sandbox)),
    );
    // Pod and kubepods OOMs are memcg OOMs.
    orders.set_ties_keep_later(m.kernel.ties_keep_later(true));
    let mut pod_scopes = Vec::with_capacity(limited.len());
    for (k, &(pi, l)) in limited.iter().enumerate() {
        let Some(p) = m.pods.get(pi) else { continue };
        let tp = badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1);
        orders.push_after(
            sandboxes.start + k,
            all.start + p.start..all.start + p.end,
            tp,
        );
        pod_scopes.push((pi, l, tp));
    }
    let kubepods = m.kubepods_limit_bytes.map(|l| {
        (
            l,
            badness::memcg_totalpages(Some(l), swap_pages, ps).unwrap_or(1),
        )
    });
    if let Some((_, tp)) = kubepods {
        orders.push(all.clone(), tp);
    }
    let mut finished = orders.finish().into_iter();
    let mut out = Vec::with_capacity(pod_scopes.len() + 2);
    for (pi, l, tp) in pod_scopes {
        let Some(kill_order) = finished.next() else {
            break;
        };
        let (sandbox, key_len) = m.pods.get(pi).map_or((0, 0), |p| (p.sandbox, p.key_len));
        out.push(OomScopeReport {
            scope: OomScope::Pod,
            name: m.ids.name_prefix(sandbox, key_len),
            limit_bytes: l,
            totalpages: tp,
            kill_order,
            swap_pages: 0,
            page_size: ps,
        });
    }
    if let Some((l, tp)) = kubepods {
        if let Some(kill_order) = finished.next() {
            out.push(OomScopeReport {
                scope: OomScope::Kubepods,
                name: inputs.kubepods.clone(),
                limit_bytes: l,
                totalpages: tp,
                kill_order,
                swap_pages,
                page_size: ps,
            });
        }
    }
    out.push(OomScopeReport {
        scope: OomScope::Node,
        name: inputs.node.clone(),
        limit_bytes: m.capacity_bytes,
        totalpages: inputs.node_order.totalpages(),
        kill_order: inputs.node_order.clone(),
        swap_pages,
        page_size: ps,
    });
    out
}
