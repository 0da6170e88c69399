//! The kernel's task table of one OOM event as a sortable table, with the badness the core
//! recomputed, the victim and the table's choice marked, a bar chart of the scores, and whether
//! the kernel's choice matches the table (as the core judged it).

use super::analysis::{OomEventView, TaskRowView};
use super::charts::badness_chart;
use crate::i18n::use_i18n;
use crate::widgets::term::TermHelp;
use leptos::prelude::*;

/// Sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// PID.
    Pid,
    /// Command.
    Comm,
    /// rss pages.
    Rss,
    /// swap entries.
    Swap,
    /// page-table bytes.
    Pgtables,
    /// oom_score_adj.
    Adj,
    /// recomputed badness.
    Badness,
}

/// Rows sorted by `col` (descending when `desc`); ties keep PID order. Unknown badness sorts last.
pub fn sorted(rows: &[TaskRowView], col: Column, desc: bool) -> Vec<TaskRowView> {
    let mut v = rows.to_vec();
    oomlens_core::base::sort::sort_by(&mut v, |a, b| {
        let o = match col {
            Column::Pid => a.pid.cmp(&b.pid),
            Column::Comm => a.comm.cmp(&b.comm),
            Column::Rss => a.rss_pages.cmp(&b.rss_pages),
            Column::Swap => a.swapents.cmp(&b.swapents),
            Column::Pgtables => a.pgtables_bytes.cmp(&b.pgtables_bytes),
            Column::Adj => a.oom_score_adj.cmp(&b.oom_score_adj),
            Column::Badness => match (a.badness, b.badness) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Greater,
                (None, Some(_)) => std::cmp::Ordering::Less,
                (None, None) => std::cmp::Ordering::Equal,
            },
        };
        let o = if desc { o.reverse() } else { o };
        o.then(a.pid.cmp(&b.pid))
    });
    v
}

/// Rows shown before "show all".
const ROWS_SHOWN: usize = 100;

/// The task table of `event`.
#[component]
pub fn TaskTable(event: OomEventView) -> impl IntoView {
    let i18n = use_i18n();
    let sort = RwSignal::new((Column::Badness, true));
    let show_all = RwSignal::new(false);
    let victim = event.victim.as_ref().map(|v| v.pid);
    let chosen = event.kernel_choice.as_ref().map(|c| c.pid);
    let total = event.tasks.len();
    let tasks = StoredValue::new(event.tasks.clone());
    let chart = {
        let tasks = event.tasks.clone();
        move || badness_chart(&tasks, victim, 15, &i18n.t("inc.tasks.chart"))
    };
    let header = move |col: Column, key: &'static str, numeric: bool| {
        let aria = move || match sort.get() {
            (c, true) if c == col => "descending",
            (c, false) if c == col => "ascending",
            _ => "none",
        };
        view! {
            <th aria-sort=aria class:num=numeric>
                <button
                    type="button"
                    class="sort"
                    on:click=move |_| sort.update(|(c, d)| if *c == col { *d = !*d } else { *c = col; *d = true })
                >
                    {move || i18n.t(key)}
                    {move || match sort.get() {
                        (c, true) if c == col => " ▼",
                        (c, false) if c == col => " ▲",
                        _ => "",
                    }}
                </button>
                {match col {
                    Column::Badness => Some(view! { <TermHelp id="badness"/> }),
                    Column::Adj => Some(view! { <TermHelp id="oom_score_adj_in_logs"/> }),
                    Column::Rss => Some(view! { <TermHelp id="anon_file_shmem_rss"/> }),
                    _ => None,
                }}
            </th>
        }
    };
    let body = move || {
        let (col, desc) = sort.get();
        let rows = tasks.with_value(|t| sorted(t, col, desc));
        let limit = if show_all.get() {
            usize::MAX
        } else {
            ROWS_SHOWN
        };
        rows.into_iter()
            .take(limit)
            .map(|r| {
                let is_victim = Some(r.pid) == victim;
                let is_chosen = Some(r.pid) == chosen && !is_victim;
                let badge = if is_victim {
                    i18n.t("inc.tasks.victim")
                } else if is_chosen {
                    i18n.t("inc.tasks.table_choice")
                } else {
                    String::new()
                };
                view! {
                    <tr class:victim=is_victim class:chosen=is_chosen>
                        <td class="num">{r.pid}</td>
                        <td>{r.comm.clone()} {(!badge.is_empty()).then(|| view! { <span class="badge">{badge.clone()}</span> })}</td>
                        <td class="num">{r.rss_pages}</td>
                        <td class="num">{r.swapents}</td>
                        <td class="num">{r.pgtables_bytes.map(|b| b.to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td class="num">{r.oom_score_adj}</td>
                        <td class="num">{match (r.badness, r.oom_score_adj) {
                            (Some(b), _) => b.to_string(),
                            (None, -1000) => i18n.t("inc.tasks.unkillable"),
                            (None, _) => i18n.t("inc.tasks.badness_unknown"),
                        }}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let has_victim = event.victim.is_some();
    let choice = event.kernel_choice.clone().map(|c| {
        let key = match (has_victim, c.agrees_with_victim) {
            (false, _) => "inc.choice.no_victim",
            (true, true) => "inc.choice.agrees",
            (true, false) => "inc.choice.differs",
        };
        let cls = if c.agrees_with_victim || !has_victim {
            "choice agrees"
        } else {
            "choice differs"
        };
        view! {
            <p class=cls>
                {move || i18n.tf(key, &[("pid", c.pid.to_string()), ("why", super::text::choice_why(i18n.lang.get(), &c))])}
            </p>
        }
    });
    (total > 0).then(|| {
        view! {
            <div class="tasks">
                <h4>{move || i18n.tf("inc.tasks.title", &[("n", total.to_string())])}</h4>
                {choice}
                <div class="chart-box" tabindex="0" inner_html=chart></div>
                <div class="table-scroll">
                    <table class="task-table">
                        <thead>
                            <tr>
                                {header(Column::Pid, "inc.tasks.pid", true)}
                                {header(Column::Comm, "inc.tasks.comm", false)}
                                {header(Column::Rss, "inc.tasks.rss", true)}
                                {header(Column::Swap, "inc.tasks.swap", true)}
                                {header(Column::Pgtables, "inc.tasks.pgtables", true)}
                                {header(Column::Adj, "inc.tasks.adj", true)}
                                {header(Column::Badness, "inc.tasks.badness", true)}
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                {(total > ROWS_SHOWN).then(|| view! {
                    <button type="button" class="link" on:click=move |_| show_all.update(|s| *s = !*s)>
                        {move || if show_all.get() { i18n.t("inc.tasks.fewer") } else { i18n.tf("inc.tasks.all", &[("n", total.to_string())]) }}
                    </button>
                })}
            </div>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pid: i64, rss: i64, badness: Option<i64>) -> TaskRowView {
        TaskRowView {
            pid,
            comm: format!("p{pid}"),
            rss_pages: rss,
            badness,
            ..Default::default()
        }
    }

    #[test]
    fn sorts_by_badness_with_unknown_last_and_pid_ties() {
        let rows = vec![
            row(3, 5, Some(10)),
            row(1, 9, None),
            row(2, 1, Some(10)),
            row(4, 2, Some(20)),
        ];
        let pids: Vec<i64> = sorted(&rows, Column::Badness, true)
            .iter()
            .map(|r| r.pid)
            .collect();
        assert_eq!(pids, vec![4, 2, 3, 1]);
        let pids: Vec<i64> = sorted(&rows, Column::Rss, false)
            .iter()
            .map(|r| r.pid)
            .collect();
        assert_eq!(pids, vec![2, 4, 3, 1]);
    }
}
