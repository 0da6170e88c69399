//! A memory.stat reading: the breakdown chart against the limit, usage vs working set vs what the
//! kernel counts, the figures as a list and the block's lines. The warnings come from the core's
//! findings (shown with the other findings).

use super::analysis::{block_lines, Analysis, MemoryStatView};
use super::charts::{memory_stat_chart, MemLabels};
use super::evidence::Evidence;
use super::text::{bytes, finding_pieces};
use crate::i18n::{lookup, use_i18n};
use crate::widgets::message::pieces_view;
use leptos::prelude::*;
use std::sync::Arc;

/// The card of one memory.stat reading.
#[component]
pub fn MemoryStatCard(analysis: Arc<Analysis>, stat: MemoryStatView) -> impl IntoView {
    let i18n = use_i18n();
    let chart = {
        let m = stat.clone();
        move || {
            let lang = i18n.lang.get();
            let t = |k| lookup(lang, k);
            memory_stat_chart(
                &m,
                &MemLabels {
                    title: t("inc.memstat.title"),
                    breakdown: t("inc.memstat.breakdown"),
                    usage: t("inc.memstat.usage"),
                    working_set: t("inc.memstat.working_set"),
                    limit: t("inc.memstat.limit"),
                    peak: t("inc.memstat.peak"),
                    of_limit: t("inc.memstat.of_limit"),
                    parts: [
                        t("inc.memstat.anon"),
                        t("inc.memstat.shmem"),
                        t("inc.memstat.active_file"),
                        t("inc.memstat.inactive_file"),
                        t("inc.memstat.file"),
                        t("inc.memstat.slab_reclaimable"),
                        t("inc.memstat.slab_unreclaimable"),
                        t("inc.memstat.kernel_other"),
                        t("inc.memstat.sock"),
                        t("inc.memstat.swap"),
                    ],
                },
            )
        }
    };
    let figures: Vec<(&'static str, Option<i64>)> = vec![
        ("inc.memstat.usage", stat.usage_bytes),
        ("inc.memstat.working_set", stat.working_set_bytes),
        ("inc.memstat.peak", stat.peak_bytes),
        ("inc.memstat.limit", stat.limit_bytes),
        ("inc.memstat.anon", stat.anon_bytes),
        ("inc.memstat.file", stat.file_bytes),
        ("inc.memstat.active_file", stat.active_file_bytes),
        ("inc.memstat.inactive_file", stat.inactive_file_bytes),
        ("inc.memstat.shmem", stat.shmem_bytes),
        ("inc.memstat.mapped_file", stat.mapped_file_bytes),
        ("inc.memstat.kernel", stat.kernel_bytes),
        ("inc.memstat.slab", stat.slab_bytes),
        ("inc.memstat.slab_reclaimable", stat.slab_reclaimable_bytes),
        ("inc.memstat.sock", stat.sock_bytes),
        ("inc.memstat.unevictable", stat.unevictable_bytes),
        ("inc.memstat.reclaimable", stat.reclaimable_bytes),
        ("inc.memstat.swap", stat.swap_bytes),
    ];
    // The core's warnings about this block, next to its chart (also listed with all findings).
    let warnings = analysis
        .explanation
        .findings
        .iter()
        .filter(|f| {
            f.message.id.starts_with("memory_stat.")
                && f.severity != "info"
                && f.lines.iter().any(|l| (stat.first_line..=stat.last_line).contains(l))
        })
        .cloned()
        .map(|f| {
            let sev = f.severity.clone();
            let id = f.message.id;
            view! { <li class=format!("memstat-warning {sev}") data-id=id>{move || pieces_view(finding_pieces(i18n.lang.get(), &f), &i18n.t("unit.bytes"))}</li> }
        })
        .collect_view();
    let list = figures
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, v)| {
            let term = (k == "inc.memstat.working_set").then_some("working_set");
            view! { <dt>{move || i18n.t(k)}{term.map(|id| view! { <crate::widgets::term::TermHelp id=id/> })}</dt><dd>{move || bytes(i18n.lang.get(), v)}</dd> }
        })
        .collect_view();
    let (first, last) = (stat.first_line, stat.last_line);
    let version = stat.cgroup_version;
    view! {
        <article class="memstat card">
            <h3>
                {move || i18n.t("inc.memstat.title")}
                <span class="muted">
                    {move || i18n.tf("inc.lines_range", &[("first", first.to_string()), ("last", last.to_string())])}
                    {version.map(|v| format!(" · cgroup v{v}"))}
                </span>
            </h3>
            <div class="chart-box" tabindex="0" inner_html=chart></div>
            <ul class="memstat-warnings" aria-label=move || i18n.t("inc.memstat.warnings")>{warnings}</ul>
            <p class="muted small">{move || i18n.t("inc.memstat.note")}</p>
            <dl class="facts">{list}</dl>
            <details class="evidence-box">
                <summary>{move || i18n.t("inc.evidence")}</summary>
                <Evidence analysis=analysis.clone() lines=block_lines(first, last) tokens=vec![] key_lines=vec![]/>
            </details>
        </article>
    }
}
