//! The timeline of every OOM event in the paste, grouped by cgroup, so repeated kills of the same
//! container stand out: a dot chart in paste order and a table per cgroup.

use super::analysis::Analysis;
use super::charts::{group_by_cgroup, timeline_chart};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::sync::Arc;

/// Groups listed in the table.
const GROUPS_SHOWN: usize = 30;

/// The timeline (rendered when the paste holds two events or more).
#[component]
pub fn Timeline(analysis: Arc<Analysis>) -> impl IntoView {
    let i18n = use_i18n();
    let a = analysis.clone();
    let chart = move || {
        timeline_chart(
            &a.timeline,
            a.line_count,
            12,
            &i18n.t("inc.timeline.title"),
            &i18n.t("inc.timeline.global"),
        )
    };
    let groups = group_by_cgroup(&analysis.timeline);
    let n_groups = groups.len();
    let rows = groups
        .into_iter()
        .take(GROUPS_SHOWN)
        .map(|(cgroup, idx)| {
            let points: Vec<_> = idx.iter().filter_map(|i| analysis.timeline.get(*i)).collect();
            let mut victims: Vec<(String, usize)> = Vec::new();
            for p in &points {
                let name = p.victim_comm.clone().unwrap_or_else(|| "?".into());
                match victims.iter_mut().find(|(n, _)| *n == name) {
                    Some(v) => v.1 += 1,
                    None => victims.push((name, 1)),
                }
            }
            let victims = victims.iter().map(|(n, c)| format!("{n} ×{c}")).collect::<Vec<_>>().join(", ");
            let lines = points.iter().take(8).map(|p| p.line.to_string()).collect::<Vec<_>>().join(", ");
            let more = if points.len() > 8 { ", …" } else { "" };
            let repeated = points.len() > 1;
            let empty = cgroup.is_empty();
            view! {
                <tr class:repeated=repeated>
                    <td><code>{move || if empty { i18n.t("inc.timeline.global") } else { cgroup.clone() }}</code></td>
                    <td class="num">{points.len()}</td>
                    <td>{victims}</td>
                    <td>{format!("{lines}{more}")}</td>
                </tr>
            }
        })
        .collect_view();
    let total = analysis.events_total;
    view! {
        <section class="timeline card">
            <h3>{move || i18n.tf("inc.timeline.heading", &[("events", total.to_string()), ("groups", n_groups.to_string())])}</h3>
            <div class="chart-box" tabindex="0" inner_html=chart></div>
            <div class="table-scroll">
                <table>
                    <thead>
                        <tr>
                            <th>{move || i18n.t("inc.timeline.cgroup")}</th>
                            <th class="num">{move || i18n.t("inc.timeline.kills")}</th>
                            <th>{move || i18n.t("inc.timeline.victims")}</th>
                            <th>{move || i18n.t("inc.timeline.lines")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
