//! A kernel OOM in the simulation: which scope ran out (a container, a pod, kubepods, the node),
//! the candidates and their badness (`crate::kernel::kill_order`), and the kill.

use super::*;

pub(super) fn oom_group_note(oom_group: bool) -> &'static str {
    if oom_group {
        "memory.oom.group = 1: every process of the container is killed (kubelet ≥ 1.28 on cgroup v2)"
    } else {
        "memory.oom.group not set: only the chosen process is killed (the model has one process per container)"
    }
}

pub(super) fn oom_group_message(m: &Model) -> Arg {
    Arg::Message(Box::new(Message::plain(if m.oom_group {
        "oom_group.on"
    } else {
        "oom_group.off"
    })))
}

pub(super) fn handle_kernel(st: &mut State, ev: Kernel) {
    let m = st.m;
    let ps = m.page_size;
    let rule = m.badness_rule;
    let swap_pages = m.swap_bytes.max(0) / ps.max(1);
    let (scope, mech, scan, with_system, limit, totalpages): (
        Message,
        Mechanism,
        Scan,
        bool,
        i64,
        i64,
    ) = match ev {
        Kernel::Container(i) => {
            let Some(spec) = m.containers.get(i) else {
                return;
            };
            let l = spec.limit_bytes.unwrap_or(0);
            // Container scope: candidates are only that container's processes.
            let usage = st.c.get(i).map_or(0, |c| bytes(c.mb));
            let tp = badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1);
            let cand = Proc {
                id: spec.id,
                task: TaskMemory::from_rss_bytes(usage, ps),
                oom_score_adj: spec.oom_score_adj,
                cap_sys_admin: false,
            };
            let victim = cand
                .points(rule, tp, ps)
                .map(|points| VictimBadness::of(&cand, rule, tp, ps, points));
            let why = StepWhy::ContainerOom {
                limit: l,
                at_ms: st.now,
                oom_group: m.oom_group,
                victim,
            };
            st.kill_container(i);
            let id = String::from(m.ids.get(spec.id));
            let message = Message::with(
                "timeline.container_oom",
                [
                    ("container", Arg::Text(id.clone())),
                    ("limit", Arg::ExactBytes(l)),
                    ("oom_group", oom_group_message(m)),
                ],
            );
            st.push(Mechanism::ContainerOom, Some(id), Vec::new(), message, why);
            return;
        }
        Kernel::Pod(p) => {
            let l = m.pods.get(p).and_then(|pod| pod.limit_bytes).unwrap_or(0);
            (
                Message::with("scope.pod", [("pod", Arg::Text(st.pod_id(p)))]),
                Mechanism::PodOom,
                Scan::Pod(p),
                false,
                l,
                badness::memcg_totalpages(Some(l), 0, ps).unwrap_or(1),
            )
        }
        Kernel::Kubepods => {
            let l = m.kubepods_limit_bytes.unwrap_or(0);
            (
                Message::plain("scope.kubepods"),
                Mechanism::KubepodsOom,
                Scan::All,
                false,
                l,
                badness::memcg_totalpages(Some(l), swap_pages, ps).unwrap_or(1),
            )
        }
        Kernel::Node => (
            Message::plain("scope.node"),
            Mechanism::NodeOom,
            Scan::All,
            true,
            m.capacity_bytes,
            badness::global_totalpages(m.capacity_bytes, m.swap_bytes, ps),
        ),
    };
    let (cands, map) = st.candidates(scan, with_system);
    // A node OOM is global; pod and kubepods OOMs are memcg OOMs (their tie rules differ in 4.7–4.8).
    let later_wins = m.kernel.ties_keep_later(mech != Mechanism::NodeOom);
    let chosen = kill_order::select_bad_proc(rule, &cands, totalpages, ps, later_wins);
    let why = |victim: Option<VictimBadness>| StepWhy::KernelOom {
        node: mech == Mechanism::NodeOom,
        limit,
        swap_pages: if mech == Mechanism::PodOom {
            0
        } else {
            swap_pages
        },
        page_size: ps,
        totalpages,
        victim,
    };
    let scope = Arg::Message(Box::new(scope));
    let Some((vi, points, ties)) = chosen else {
        let message = Message::with("timeline.kernel_oom.no_killable_task", [("scope", scope)]);
        st.push(mech, None, Vec::new(), message, why(None));
        for c in &mut st.c {
            c.rate = 0;
            c.alive = false;
            c.mb = 0;
        }
        st.recompute_totals();
        return;
    };
    let Some(cand) = cands.get(vi) else { return };
    let id = String::from(m.ids.get(cand.id));
    let step_why = why(Some(VictimBadness::of(cand, rule, totalpages, ps, points)));
    let tied: Vec<String> = ties
        .iter()
        .take(kill_order::MAX_TIE_NAMES)
        .filter_map(|&j| cands.get(j).map(|c| String::from(m.ids.get(c.id))))
        .collect();
    match map.get(vi).copied().flatten() {
        Some(i) => {
            st.kill_container(i);
            let mut args = vec![
                ("scope", scope),
                ("limit", Arg::ExactBytes(limit)),
                (
                    "candidates",
                    Arg::Int(i64::try_from(cands.len()).unwrap_or(i64::MAX)),
                ),
                ("victim", Arg::Text(id.clone())),
                ("points", Arg::Int(points)),
            ];
            if !ties.is_empty() {
                args.push((
                    "ties",
                    Arg::Int(i64::try_from(ties.len()).unwrap_or(i64::MAX)),
                ));
            }
            args.push(("oom_group", oom_group_message(m)));
            let message = Message::new(
                if ties.is_empty() {
                    "timeline.kernel_oom"
                } else if later_wins {
                    "timeline.kernel_oom.tied"
                } else {
                    "timeline.kernel_oom.tied_first"
                },
                args,
            );
            st.push(mech, Some(id), tied, message, step_why);
        }
        None => {
            // Only sandboxes or system processes left: the kernel kills them; the model cannot free more.
            let message = Message::with(
                "timeline.kernel_oom.no_container_left",
                [
                    ("scope", scope),
                    ("victim", Arg::Text(id.clone())),
                    ("points", Arg::Int(points)),
                ],
            );
            st.push(mech, Some(id), Vec::new(), message, step_why);
            let whole = mech == Mechanism::NodeOom || mech == Mechanism::KubepodsOom;
            for (pi, pod) in m.pods.iter().enumerate() {
                let in_scope = whole || matches!(ev, Kernel::Pod(p) if p == pi);
                for c in st.c.get_mut(pod.start..pod.end).unwrap_or(&mut []) {
                    c.rate = 0;
                    if in_scope {
                        c.alive = false;
                        c.mb = 0;
                    }
                }
            }
            st.recompute_totals();
        }
    }
}
