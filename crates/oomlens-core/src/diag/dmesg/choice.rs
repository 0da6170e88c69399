//! Recomputes the kernel's victim choice from a report's task table: page size, `totalpages`
//! (`constrained_alloc` / `mem_cgroup_get_max` in `torvalds/linux mm/oom_kill.c`, `mm/memcontrol.c`;
//! 3.x–4.x `mem_cgroup_get_limit`), `oom_badness` per row with the kernel version's rule
//! ([`crate::kernel::badness::oom_badness_for`]), and the scan order and tie rule of
//! `select_bad_process` ([`crate::kernel::badness::KernelVersion::ties_keep_later`]).

use super::RawRow;
use crate::base::message::{Arg, Message};
use crate::diag::dmesg::event::{KernelChoice, OomEvent, TaskRow};
use crate::kernel::badness::{
    memcg_totalpages, oom_badness_for, BadnessRule, KernelVersion, TaskMemory, OOM_SCORE_ADJ_MIN,
};
use crate::kernel::kill_order::select_bad;
use std::collections::HashSet;

const PAGE_SIZES: [i64; 3] = [4096, 16384, 65536];

/// Fills `ev.tasks`, `ev.kernel_choice` and the page-size/totalpages details.
pub(super) fn recompute(ev: &mut OomEvent, rows: &[RawRow], earlier_victims: &HashSet<i64>) {
    let kv = ev
        .details
        .kernel_release
        .as_deref()
        .and_then(KernelVersion::parse);
    // `Kill process … score … or sacrifice child` was removed by torvalds/linux commit
    // bbbe48029720 ("mm, oom: remove 'prefer children over parent' heuristic", 2019): a report
    // printing it comes from a kernel before 5.9, whose badness is unsigned and floored at 1.
    let pre_5_9 = ev.details.select_line.is_some();
    let rule = match kv {
        Some(v) => BadnessRule::for_kernel(v),
        None if pre_5_9 => BadnessRule::UnsignedFloor1,
        None => BadnessRule::Signed,
    };
    ev.details.badness_rule = Some(match kv {
        Some(v) => format!("{} (kernel {v})", rule.describe()),
        None if pre_5_9 => format!(
            "{} — the paste does not show the kernel version; its `Kill process … or sacrifice child` line is older than 5.9 (removed by commit bbbe48029720)",
            rule.describe()
        ),
        None => format!(
            "{} — the paste does not show the kernel version; the newest rule was applied",
            rule.describe()
        ),
    });
    infer_page_size(ev, rows);
    let page = ev.details.page_size_bytes.max(1);
    ev.tasks = rows.iter().map(|r| task_row(r, page)).collect();
    // Kill lines older than torvalds/linux commit "mm/oom: add oom_score_adj and pgtables to
    // Killed process message" print no oom_score_adj: the victim's own table row does.
    if let Some(v) = ev.victim.as_mut().filter(|v| v.oom_score_adj.is_none()) {
        v.oom_score_adj = ev
            .tasks
            .iter()
            .find(|t| t.pid == v.pid)
            .map(|t| t.oom_score_adj);
    }
    let total = totalpages(ev, page);
    ev.details.totalpages = total;
    if let Some(t) = total {
        for row in &mut ev.tasks {
            let mem = TaskMemory {
                rss_pages: row.rss_pages,
                swapents: row.swapents,
                pgtables_bytes: row.pgtables_bytes.unwrap_or(0),
            };
            row.badness = oom_badness_for(rule, &mem, row.oom_score_adj, t, page, false);
        }
    }
    // A table whose header (and the rows above) the paste cut gives each shown task's numbers,
    // but not every candidate: the kernel's choice is not recomputed from it.
    if ev.details.table_line.is_none() && !rows.is_empty() {
        return;
    }
    check_printed_score(ev, rule, page);
    if rule == BadnessRule::RootBonusPercent || rule == BadnessRule::RootBonusAdj {
        ev.details
            .notes
            .push(Message::plain("oom.note.root_bonus_unknown"));
    }
    ev.kernel_choice = choose(ev, kv, earlier_victims, page);
}

fn task_row(r: &RawRow, page: i64) -> TaskRow {
    let pgtables_bytes = r.get("pgtables_bytes").or_else(|| {
        let ptes = r.get("nr_ptes")?;
        ptes.saturating_add(r.get("nr_pmds").unwrap_or(0))
            .checked_mul(page)
    });
    TaskRow {
        pid: r.pid,
        comm: r.name.clone(),
        rss_pages: r.get("rss").unwrap_or(0),
        swapents: r.get("swapents").unwrap_or(0),
        pgtables_bytes,
        oom_score_adj: r.get("oom_score_adj").unwrap_or(0),
        badness: None,
        uid: r.get("uid"),
        tgid: r.get("tgid"),
        total_vm_pages: r.get("total_vm"),
        rss_anon_pages: r.get("rss_anon"),
        rss_file_pages: r.get("rss_file"),
        rss_shmem_pages: r.get("rss_shmem"),
        line: r.line,
    }
}

/// The victim's `Killed process` kB values against its table row in pages give the page size.
fn infer_page_size(ev: &mut OomEvent, rows: &[RawRow]) {
    ev.details.page_size_bytes = 4096;
    ev.details.page_size_inferred = false;
    let found = (|| {
        let v = ev.victim.as_ref()?;
        let row = rows.iter().find(|r| r.pid == v.pid)?;
        let (bytes, pages) = match (v.anon_rss_bytes, row.get("rss_anon")) {
            (Some(a), Some(p)) if p > 0 => (a, p),
            _ => {
                let total = v
                    .anon_rss_bytes?
                    .checked_add(v.file_rss_bytes.unwrap_or(0))?
                    .checked_add(v.shmem_rss_bytes.unwrap_or(0))?;
                (total, row.get("rss")?)
            }
        };
        if pages <= 0 {
            return None;
        }
        let ratio = bytes / pages;
        PAGE_SIZES
            .into_iter()
            .find(|&p| (ratio - p).abs() <= p / 50)
    })();
    match found {
        Some(p) => {
            ev.details.page_size_bytes = p;
            ev.details.page_size_inferred = true;
        }
        None if !rows.is_empty() => ev
            .details
            .notes
            .push(Message::plain("oom.note.page_size_assumed")),
        None => {}
    }
}

/// `totalpages` for this OOM, or `None` with a note saying why.
fn totalpages(ev: &mut OomEvent, page: i64) -> Option<i64> {
    let d = &mut ev.details;
    match ev.constraint.as_deref() {
        Some("memcg") => {
            let Some(limit) = ev.limit_bytes else {
                d.notes.push(Message::plain(if d.limit_unlimited {
                    "oom.note.memcg_unlimited"
                } else {
                    "oom.note.no_memcg_limit"
                }));
                return None;
            };
            let limit_pages = limit / page;
            let (swap_pages, how) = if d.swap_limit_bytes == Some(0) {
                (0, "+ swap.max 0".to_string())
            } else if let Some(s) = d.swap_limit_bytes {
                (s / page, format!("+ swap.max {} pages (assuming the node has at least that much swap: the kernel adds min(swap.max, total swap))", s / page))
            } else if let (Some(ms), false) = (d.memsw_limit_bytes, d.swap_usage_bytes.is_some()) {
                let extra = ms.saturating_sub(limit).max(0) / page;
                (extra, format!("+ (memsw.limit − limit) {extra} pages (v1: min(limit + total swap, memsw.limit), assuming swap ≥ that)"))
            } else {
                let why = if d.swap_limit_unlimited || d.memsw_usage_bytes.is_some() {
                    "swap limit unlimited: the kernel adds the node's total swap, which a memcg report does not print; 0 assumed (exact on nodes without swap)"
                } else {
                    "no swap line: 0 swap pages assumed"
                };
                (0, format!("+ 0 ({why})"))
            };
            let t = memcg_totalpages(Some(limit), swap_pages, page).unwrap_or(1);
            d.totalpages_formula = Some(format!(
                "memory limit {limit} B / {page} B = {limit_pages} pages {how} = {t}"
            ));
            Some(t)
        }
        Some("global") => {
            let Some(ram) = d.node_ram_pages else {
                d.notes.push(Message::plain("oom.note.no_pages_ram"));
                return None;
            };
            let reserved = d.node_reserved_pages.unwrap_or(0);
            let swap_pages = d.node_swap_total_bytes.unwrap_or(0) / page;
            let managed = ram.saturating_sub(reserved);
            let t = managed.saturating_add(swap_pages).max(1);
            let mut f = format!("totalram_pages ({ram} pages RAM − {reserved} reserved = {managed}) + total swap {swap_pages} pages = {t}");
            if d.node_swap_total_bytes.is_none() {
                f.push_str(" (no `Total swap` line: 0 assumed)");
            }
            d.totalpages_formula = Some(f);
            Some(t)
        }
        Some(other) => {
            d.notes.push(Message::with(
                "oom.note.numa_constrained",
                [("constraint", Arg::text(other))],
            ));
            None
        }
        None => {
            d.notes.push(Message::plain("oom.note.no_scope"));
            None
        }
    }
}

/// Kernels < 5.x print `score N` (= badness × 1000 / totalpages) for the selected task; compare.
fn check_printed_score(ev: &mut OomEvent, rule: BadnessRule, page: i64) {
    let (Some(sel), Some(score)) = (ev.details.selected_pid, ev.details.selected_score) else {
        return;
    };
    let Some(row) = ev.tasks.iter().find(|r| r.pid == sel) else {
        return;
    };
    let points = TaskMemory {
        rss_pages: row.rss_pages,
        swapents: row.swapents,
        pgtables_bytes: row.pgtables_bytes.unwrap_or(0),
    }
    .base_points(page);
    match (ev.details.totalpages, row.badness) {
        (Some(t), Some(b)) => {
            let ours = i128::from(b) * 1000 / i128::from(t.max(1));
            if ours != i128::from(score) {
                let int = |v: i128| Arg::Int(i64::try_from(v).unwrap_or(i64::MAX));
                ev.details.notes.push(Message::with(
                    "oom.note.printed_score_differs",
                    [
                        ("score", Arg::Int(score)),
                        ("pid", Arg::Int(sel)),
                        ("ours", int(ours)),
                        ("totalpages", Arg::Int(t)),
                    ],
                ));
                if row.oom_score_adj == 0 && score > 0 {
                    let lo = i128::from(points) * 1000 / (i128::from(score) + 1) + 1;
                    let hi = i128::from(points) * 1000 / i128::from(score);
                    ev.details.notes.push(Message::with(
                        "oom.note.printed_score_range",
                        [("low", int(lo)), ("high", int(hi))],
                    ));
                }
            }
        }
        _ => {
            if row.oom_score_adj == 0 && score > 0 && rule != BadnessRule::Signed {
                let hi = i128::from(points) * 1000 / i128::from(score);
                ev.details.notes.push(Message::with(
                    "oom.note.printed_score_implies",
                    [
                        ("score", Arg::Int(score)),
                        (
                            "totalpages",
                            Arg::Int(i64::try_from(hi).unwrap_or(i64::MAX)),
                        ),
                    ],
                ));
            }
        }
    }
}

fn choose(
    ev: &mut OomEvent,
    kv: Option<KernelVersion>,
    earlier: &HashSet<i64>,
    page: i64,
) -> Option<KernelChoice> {
    if ev.tasks.is_empty() {
        return None;
    }
    // Which of tied tasks the kernel keeps depends on its release and on the OOM's kind; a
    // pre-5.9 report without its version leaves it open (first up to 5.2, last from 5.3).
    let memcg = ev.constraint.as_deref() == Some("memcg");
    let tie_rule: Option<bool> = match kv {
        Some(v) => Some(v.ties_keep_later(memcg)),
        None if ev.details.select_line.is_some() => None,
        None => Some(true),
    };
    let later_wins = tie_rule.unwrap_or(true);
    let victim_pid = ev.victim.as_ref().map(|v| v.pid);
    let candidates: Vec<&TaskRow> = ev
        .tasks
        .iter()
        .filter(|t| t.oom_score_adj > OOM_SCORE_ADJ_MIN && !earlier.contains(&t.pid))
        .collect();
    let uniform_adj = candidates
        .windows(2)
        .all(|w| w[0].oom_score_adj == w[1].oom_score_adj);
    let key = |t: &TaskRow| -> Option<i64> {
        if ev.details.totalpages.is_some() {
            t.badness
        } else if uniform_adj {
            Some(
                TaskMemory {
                    rss_pages: t.rss_pages,
                    swapents: t.swapents,
                    pgtables_bytes: t.pgtables_bytes.unwrap_or(0),
                }
                .base_points(page),
            )
        } else {
            None
        }
    };
    let best = select_bad(candidates.iter().map(|t| key(t)), later_wins)
        .and_then(|(i, k, _)| candidates.get(i).map(|t| (*t, k)));
    let Some((mut chosen, best_key)) = best else {
        ev.details
            .notes
            .push(Message::plain("oom.note.choice_not_recomputable"));
        return None;
    };
    let ties: Vec<i64> = candidates
        .iter()
        .filter(|t| key(t) == Some(best_key))
        .map(|t| t.pid)
        .collect();
    let mut why: Vec<Message> = Vec::new();
    let pids = |v: &[i64]| Arg::text(format!("{v:?}"));
    if ev.details.totalpages.is_none() {
        why.push(Message::plain("choice.no_totalpages"));
    }
    let skipped: Vec<i64> = ev
        .tasks
        .iter()
        .filter(|t| earlier.contains(&t.pid))
        .map(|t| t.pid)
        .collect();
    if !skipped.is_empty() {
        why.push(Message::with(
            "choice.skipped_reaped",
            [("pids", pids(&skipped))],
        ));
    }
    // With the tie rule unknown, a victim among the tied tasks is what the kernel could pick.
    if tie_rule.is_none() && ties.len() > 1 {
        if let Some(v) = candidates
            .iter()
            .find(|t| Some(t.pid) == victim_pid && ties.contains(&t.pid))
        {
            chosen = v;
        }
    }
    let agrees = victim_pid == Some(chosen.pid);
    let victim_row = victim_pid.and_then(|p| ev.tasks.iter().find(|t| t.pid == p));
    let pid = Arg::Int(chosen.pid);
    if ev.details.kill_kind.as_deref() == Some("allocating_task") {
        why.push(Message::with(
            "choice.allocating_task",
            [
                ("pid", pid.clone()),
                ("comm", Arg::text(chosen.comm.clone())),
            ],
        ));
    } else if victim_pid.is_none() {
        why.push(Message::plain("choice.no_killed_line"));
    } else if agrees {
        if let Some(sel) = ev
            .details
            .selected_pid
            .filter(|s| Some(*s) != victim_pid && !ev.tasks.iter().any(|t| t.pid == *s))
        {
            why.push(Message::with(
                "choice.thread_selected",
                [("sel", Arg::Int(sel))],
            ));
        }
        why.push(if ties.len() > 1 {
            let id = match tie_rule {
                Some(true) => "choice.tie_later_wins",
                Some(false) => "choice.tie_first_wins",
                None => "choice.tie_rule_unknown",
            };
            Message::with(id, [("pids", pids(&ties))])
        } else {
            Message::with(
                "choice.highest",
                [(
                    "n",
                    Arg::Int(i64::try_from(candidates.len()).unwrap_or(i64::MAX)),
                )],
            )
        });
    } else if let (Some(sel), Some(v)) = (ev.details.selected_pid, victim_pid) {
        if sel == chosen.pid && sel != v {
            why.push(Message::with(
                "choice.child_sacrificed",
                [
                    ("sel", Arg::Int(sel)),
                    ("comm", Arg::text(chosen.comm.clone())),
                    ("victim", Arg::Int(v)),
                ],
            ));
        } else if sel != chosen.pid {
            why.push(Message::with(
                "choice.selected_differs",
                [("sel", Arg::Int(sel)), ("pid", pid.clone())],
            ));
        }
    } else if let (Some(v), None) = (victim_pid, victim_row) {
        why.push(Message::with(
            "choice.victim_not_in_table",
            [("victim", Arg::Int(v))],
        ));
    } else if let Some(vr) = victim_row {
        let vk = key(vr);
        match vk {
            Some(k) if k == best_key => why.push(Message::with(
                if later_wins {
                    "choice.victim_tie_later_wins"
                } else {
                    "choice.victim_tie_first_wins"
                },
                [("pid", pid.clone()), ("points", Arg::Int(k))],
            )),
            Some(k)
                if best_key != 0
                    && (i128::from(best_key) - i128::from(k)).abs() * 100
                        <= i128::from(best_key).abs() =>
            {
                why.push(Message::with(
                    "choice.close_call",
                    [
                        ("points", Arg::Int(k)),
                        ("pid", pid.clone()),
                        ("best", Arg::Int(best_key)),
                    ],
                ))
            }
            Some(k) => why.push(Message::with(
                "choice.below",
                [
                    ("points", Arg::Int(k)),
                    ("pid", pid.clone()),
                    ("best", Arg::Int(best_key)),
                ],
            )),
            None => why.push(Message::with(
                "choice.unkillable_victim",
                [("pid", pid.clone())],
            )),
        }
    }
    Some(KernelChoice {
        pid: chosen.pid,
        agrees_with_victim: agrees,
        why: crate::base::message::join_english(&why),
        why_parts: why,
    })
}
