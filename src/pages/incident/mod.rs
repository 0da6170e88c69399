//! The incident page: paste anything (dmesg, journal, `kubectl describe`, memory.stat, eviction
//! messages, kubelet config), get what happened and why. The page renders the core's
//! `Explanation` (computed in a web worker, see [`runner`]); it decides no kernel or kubelet rule.
//!
//! Layout: paste area (collapsed to a summary line after an analysis) → the verdicts (one banner
//! per event: mechanism, victim, QoS, what to do first) → what was recognised → timeline (several events) → one card per OOM event
//! (verdict, decoded cgroup, evidence, task table + badness chart) → memory.stat cards →
//! findings with "what to do" → copy report (Markdown, optional redaction).

pub mod analysis;
mod calculator_link;
mod charts;
mod copy_report;
mod detected;
mod event;
mod eviction;
mod evidence;
mod findings;
#[cfg(test)]
mod fixtures;
mod memory_stat_view;
mod paste;
pub mod report;
mod runner;
mod samples;
mod task_table;
mod text;
mod timeline;
mod verdict;
mod verdicts;
pub mod view_from;
pub mod wire;

use crate::i18n::use_i18n;
use leptos::prelude::*;
use runner::PageState;

/// Starts the incident module in the page: registers the text it carries (English and Chinese,
/// compiled in), follows the shell's language through `<html lang>`, and mounts the page into the
/// shell's `#incident-root`, replacing its loading notice.
pub fn mount() {
    crate::i18n::register_module(&crate::i18n::INCIDENT_TABLES, crate::i18n::incident::ZH);
    #[cfg(target_arch = "wasm32")]
    super::mount_later_page("incident", || view! { <IncidentPage/> });
}

/// The incident page component.
#[component]
pub fn IncidentPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = PageState::new();
    let results = move || {
        state.analysis.get().map(|a| {
            let for_cards = a.clone();
            let events = crate::widgets::batched::batched(
                a.explanation.oom_events.len(),
                3,
                std::sync::Arc::new(move |i: usize| {
                    let e = for_cards.explanation.oom_events[i].clone();
                    view! { <event::EventCard analysis=for_cards.clone() event=e index=i/> }.into_any()
                }),
            );
            let stats = a
                .explanation
                .memory_stats
                .iter()
                .map(|m| view! { <memory_stat_view::MemoryStatCard analysis=a.clone() stat=m.clone()/> })
                .collect_view();
            let more = (a.events_total > a.explanation.oom_events.len()).then(|| {
                let (shown, total) = (a.explanation.oom_events.len(), a.events_total);
                view! { <p class="more muted">{move || i18n.tf("inc.events.more", &[("shown", shown.to_string()), ("total", total.to_string())])}</p> }
            });
            let evictions = a
                .explanation
                .evictions
                .iter()
                .enumerate()
                .map(|(i, e)| view! { <eviction::EvictionCard analysis=a.clone() eviction=e.clone() index=i/> })
                .collect_view();
            let pods = a
                .explanation
                .describe_pods
                .iter()
                .map(|p| view! { <eviction::DescribePodCard analysis=a.clone() pod=p.clone()/> })
                .collect_view();
            let has_findings = !a.explanation.findings.is_empty();
            view! {
                <div class="results">
                    <verdicts::Verdicts analysis=a.clone()/>
                    <detected::Detected analysis=a.clone()/>
                    {(a.events_total > 1).then(|| view! { <timeline::Timeline analysis=a.clone()/> })}
                    {events}
                    {more}
                    {evictions}
                    {pods}
                    {stats}
                    <calculator_link::OpenInCalculator analysis=a.clone()/>
                    {has_findings.then(|| view! { <findings::Findings analysis=a.clone()/> })}
                    <copy_report::CopyReport analysis=a.clone()/>
                    <crate::widgets::term::Glossary/>
                </div>
            }
        })
    };
    view! {
        <section class="page incident" aria-labelledby="incident-title">
            <h1 id="incident-title">{move || i18n.t("inc.title")}</h1>
            <p class="lede">{move || i18n.t("inc.lede")}</p>
            <paste::PasteArea state=state/>
            {results}
        </section>
    }
}
