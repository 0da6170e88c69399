//! Eviction messages and `kubectl describe pod` readings: the threshold, what was available, each
//! container's usage against its request (as the core read them), and the pod's status. Why the
//! pod ranked first is the core's finding, shown with the other findings.

use super::analysis::{block_lines, Analysis, DescribePodView, EvictionView};
use super::evidence::Evidence;
use super::text::bytes;
use super::verdict::qos_text;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::sync::Arc;

/// The card of one eviction message.
#[component]
pub fn EvictionCard(
    analysis: Arc<Analysis>,
    eviction: EvictionView,
    index: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    let e = eviction.clone();
    let threshold = e.threshold.clone().map(|p| p.text).unwrap_or_default();
    let available = e.available.clone().map(|p| p.text).unwrap_or_default();
    let resource = e.resource.clone();
    let has_numbers = e.threshold.is_some() || e.available.is_some();
    let rows = e
        .offenders
        .iter()
        .map(|o| {
            let name = o.name.clone();
            let usage = o.usage.text.clone();
            let request = o.request.text.clone();
            let excess = o.excess_bytes;
            let over = excess.is_some_and(|x| x > 0);
            let is_pod = o.is_pod;
            view! {
                <tr class:over=over>
                    <td><code>{name}</code>{is_pod.then(|| view! { <span class="muted">{move || format!(" ({})", i18n.t("inc.evict.pod"))}</span> })}</td>
                    <td class="num">{usage}</td>
                    <td class="num">{request}</td>
                    <td class="num">{move || excess.map(|x| bytes(i18n.lang.get(), Some(x))).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let has_rows = !e.offenders.is_empty();
    let (first, last) = (e.line, e.last_line);
    view! {
        <article class="eviction card" id=format!("eviction-{index}") tabindex="-1">
            <header class="verdict">
                <span class="mech inc-mech-eviction">{move || i18n.t("inc.mech.eviction")}</span>
                <crate::widgets::term::TermHelp id="eviction_threshold"/>
                <span class="muted">{move || i18n.tf("inc.line_n", &[("n", first.to_string())])}</span>
                <p class="sentence">
                    {move || if has_numbers {
                        i18n.tf("inc.evict.sentence", &[("resource", resource.clone()), ("threshold", threshold.clone()), ("available", available.clone())])
                    } else {
                        i18n.tf("inc.evict.sentence_plain", &[("resource", resource.clone())])
                    }}
                </p>
            </header>
            {has_rows.then(|| view! {
                <div class="table-scroll">
                    <table>
                        <thead><tr>
                            <th>{move || i18n.t("inc.evict.container")}</th>
                            <th class="num">{move || i18n.t("inc.evict.usage")}</th>
                            <th class="num">{move || i18n.t("inc.evict.request")}</th>
                            <th class="num">{move || i18n.t("inc.evict.excess")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            })}
            <details class="evidence-box" open=true>
                <summary>{move || i18n.t("inc.evidence")}</summary>
                <Evidence analysis=analysis.clone() lines=block_lines(first, last) tokens=vec![] key_lines=vec![first]/>
            </details>
        </article>
    }
}

/// The card of one `kubectl describe pod` reading.
#[component]
pub fn DescribePodCard(analysis: Arc<Analysis>, pod: DescribePodView) -> impl IntoView {
    let i18n = use_i18n();
    let name = pod.name.clone().unwrap_or_default();
    let ns = pod.namespace.clone();
    let qos = pod.qos_class.clone();
    let facts: Vec<(&'static str, Option<String>)> = vec![
        ("inc.pod.status", pod.status.clone()),
        ("inc.pod.reason", pod.reason.clone()),
        ("inc.pod.message", pod.message.clone()),
        ("inc.cg.pod_uid", pod.uid.clone()),
        ("inc.pod.node", pod.node.clone()),
        ("inc.pod.priority", pod.priority.map(|p| p.to_string())),
    ];
    let facts = facts
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| view! { <dt>{move || i18n.t(k)}</dt><dd>{v}</dd> }))
        .collect_view();
    let containers = pod
        .containers
        .iter()
        .map(|c| {
            let last = c.last_state.clone().or_else(|| c.state.clone());
            let state = last
                .map(|s| {
                    let mut t = s.state.clone();
                    if let Some(r) = s.reason {
                        t.push_str(&format!(" ({r})"));
                    }
                    if let Some(code) = s.exit_code {
                        t.push_str(&format!(" exit {code}"));
                    }
                    t
                })
                .unwrap_or_default();
            let oom = state.contains("OOMKilled");
            view! {
                <tr class:repeated=oom>
                    <td><code>{c.name.clone()}</code></td>
                    <td class="num">{c.requests.get("memory").cloned().unwrap_or_else(|| "—".into())}</td>
                    <td class="num">{c.limits.get("memory").cloned().unwrap_or_else(|| "—".into())}</td>
                    <td>{state}</td>
                    <td class="num">{c.restart_count.map(|r| r.to_string()).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let (first, last) = (pod.first_line, pod.last_line);
    view! {
        <article class="describe card">
            <h3>
                {move || i18n.t("inc.pod.title")}" "<code>{ns.clone().map(|n| format!("{n}/")).unwrap_or_default()}{name.clone()}</code>
                <span class="muted">{move || format!(" · {}", qos_text(i18n.lang.get(), qos.as_deref()))}</span>
            </h3>
            <dl class="facts">{facts}</dl>
            <div class="table-scroll">
                <table>
                    <thead><tr>
                        <th>{move || i18n.t("inc.evict.container")}</th>
                        <th class="num">{move || i18n.t("inc.evict.request")}</th>
                        <th class="num">{move || i18n.t("inc.pod.limit")}</th>
                        <th>{move || i18n.t("inc.pod.last_state")}</th>
                        <th class="num">{move || i18n.t("inc.pod.restarts")}</th>
                    </tr></thead>
                    <tbody>{containers}</tbody>
                </table>
            </div>
            <details class="evidence-box">
                <summary>{move || i18n.t("inc.evidence")}</summary>
                <Evidence analysis=analysis.clone() lines=block_lines(first, last) tokens=vec![] key_lines=vec![]/>
            </details>
        </article>
    }
}
