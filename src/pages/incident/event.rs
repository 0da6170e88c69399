//! One kernel OOM event: verdict first, then the decoded cgroup, the evidence and the reasoning
//! (task table, badness chart, agreement with the kernel's choice).

use super::analysis::{Analysis, OomEventView};
use super::evidence::{event_tokens, Evidence};
use super::task_table::TaskTable;
use super::text::{bytes, short_id};
use super::verdict::{mechanism_key, qos_text, verdict_sentence};
use super::verdicts::repeats_text;
use crate::i18n::use_i18n;
use crate::widgets::term::TermHelp;
use leptos::prelude::*;
use std::sync::Arc;

/// Cards shown with evidence and task table from the start.
const EXPANDED_CARDS: usize = 8;

/// The card of event number `index` (0-based).
#[component]
pub fn EventCard(analysis: Arc<Analysis>, event: OomEventView, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let mech = mechanism_key(&event);
    let sentence = {
        let e = event.clone();
        move || verdict_sentence(i18n.lang.get(), &e)
    };
    let line = event.line;
    let facts: Vec<(&'static str, Option<String>, bool)> = vec![
        ("inc.cg.oom_memcg", event.oom_memcg.clone(), true),
        ("inc.cg.task_memcg", event.task_memcg.clone(), true),
        ("inc.cg.pod_uid", event.pod_uid.clone(), true),
        ("inc.cg.container_id", event.container_id.clone(), true),
        ("inc.cg.runtime", event.runtime.clone(), false),
        ("inc.cg.driver", event.cgroup_driver.clone(), false),
        (
            "inc.cg.version",
            event.cgroup_version.map(|v| format!("v{v}")),
            false,
        ),
        ("inc.cg.constraint", event.constraint.clone(), false),
        ("inc.cg.trigger", event.trigger_comm.clone(), true),
    ];
    let qos = event.qos_class.clone();
    let facts_view = facts
        .into_iter()
        .filter_map(|(k, v, code)| v.map(|v| (k, v, code)))
        .map(|(k, v, code)| {
            let title = v.clone();
            let shown = if k == "inc.cg.container_id" { short_id(&v) } else { v };
            let term = match k {
                "inc.cg.constraint" => Some("oom_constraint"),
                "inc.cg.oom_memcg" | "inc.cg.task_memcg" => Some("oom_memcg_task_memcg"),
                _ => None,
            };
            view! {
                <dt>{move || i18n.t(k)}{term.map(|id| view! { <TermHelp id=id/> })}</dt>
                <dd title=title>{if code { view! { <code>{shown}</code> }.into_any() } else { view! { <span>{shown}</span> }.into_any() }}</dd>
            }
        })
        .collect_view();
    let usage = event.usage_bytes;
    let limit = event.limit_bytes;
    let victim = event.victim.clone();
    let victim_view = victim.map(|v| {
        view! {
            <dt>{move || i18n.t("inc.victim")}<TermHelp id="anon_file_shmem_rss"/></dt>
            <dd>
                <code class="victim-comm">{v.comm.clone()}</code>" "
                <span>{move || i18n.tf("inc.pid_n", &[("pid", v.pid.to_string())])}</span>
                {v.anon_rss_bytes.map(|b| view! { <span class="muted">{move || format!(" · anon-rss {}", bytes(i18n.lang.get(), Some(b)))}</span> })}
                {v.oom_score_adj.map(|a| view! { <span class="muted">{format!(" · oom_score_adj {a}")}</span> })}
            </dd>
        }
    });
    let mut key_lines = vec![event.line];
    key_lines.extend(event.lines.first().copied());
    let group_kill = event.group_kill;
    let repeats = event.repeats.clone();
    let n_evidence = event.lines.len();
    // Only the first cards render their evidence and task table at once (a paste with dozens of
    // reports must not build thousands of rows in one task); the others on demand.
    let expanded = RwSignal::new(index < EXPANDED_CARDS);
    let details = {
        let analysis = analysis.clone();
        let event = event.clone();
        move || {
            expanded.get().then(|| {
                let evidence = view! {
                    <Evidence analysis=analysis.clone() lines=event.lines.clone() tokens=event_tokens(&event) key_lines=key_lines.clone()/>
                };
                view! {
                    <details class="evidence-box" open=true>
                        <summary>{move || i18n.tf("inc.evidence_n", &[("n", n_evidence.to_string())])}</summary>
                        {evidence}
                    </details>
                    <TaskTable event=event.clone()/>
                }
            })
        }
    };
    view! {
        <article class="event card" id=format!("event-{index}") tabindex="-1" data-mechanism=mech data-index=index>
            <header class="verdict">
                <span class=format!("mech {}", mech.replace('.', "-"))>{move || i18n.t(mech)}</span>
                <span class="muted">{move || i18n.tf("inc.event_n_line", &[("n", (index + 1).to_string()), ("line", line.to_string())])}</span>
                <p class="sentence">{sentence}</p>
            </header>
            <dl class="facts">
                <dt>{move || i18n.t("inc.cg.qos")}<TermHelp id="qos_class"/></dt>
                <dd class="qos">{move || qos_text(i18n.lang.get(), qos.as_deref())}</dd>
                {(usage.is_some() || limit.is_some()).then(|| view! {
                    <dt>{move || i18n.t("inc.usage_limit")}</dt>
                    <dd>{move || format!("{} / {}", bytes(i18n.lang.get(), usage), bytes(i18n.lang.get(), limit))}</dd>
                })}
                {victim_view}
                {group_kill.then(|| view! { <dt>{move || i18n.t("inc.group_kill")}<TermHelp id="memory_oom_group"/></dt><dd>{move || i18n.t("inc.yes")}</dd> })}
                {repeats.map(|r| {
                    let lists = [
                        ("inc.repeats.pids", r.victim_pids.clone(), r.victim_pids_total),
                        ("inc.repeats.selected_pids", r.selected_pids.clone(), r.selected_pids_total),
                    ];
                    view! {
                        <dt>{move || i18n.t("inc.repeats")}</dt>
                        <dd data-testid="event-repeats">
                            <span>{move || repeats_text(i18n.lang.get(), line, &r)}</span>
                            {lists.into_iter().filter(|(_, _, total)| *total > 0).map(|(key, pids, total)| {
                                let more = total.saturating_sub(pids.len());
                                let pids = pids.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
                                view! {
                                    <details class="repeat-pids">
                                        <summary>{move || i18n.tf(key, &[("n", total.to_string())])}</summary>
                                        <p class="pid-list">{pids}</p>
                                        {(more > 0).then(|| view! { <p class="muted">{move || i18n.tf("inc.repeats.pids_more", &[("n", more.to_string())])}</p> })}
                                    </details>
                                }
                            }).collect_view()}
                        </dd>
                    }
                })}
                {facts_view}
            </dl>
            {details}
            {move || (!expanded.get()).then(|| view! {
                <button type="button" class="link expand" on:click=move |_| expanded.set(true)>
                    {move || i18n.t("inc.event.expand")}
                </button>
            })}
        </article>
    }
}
