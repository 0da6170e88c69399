//! "Who dies first": kubelet's eviction order and the kernel's whole-node OOM kill order side by
//! side, as a chart and as two lists with the reason for each position.

use super::results::{eval_signal, theme_of, ChartFigure, WhyButton};
use super::state::{use_calc, WhyTarget};
use crate::widgets::charts::kill_order::{container_adj, kill_order_chart, pod_of_container_key};
use leptos::prelude::*;
use oomlens_core::evaluation::Evaluation;

/// Where a kernel kill-order key (`ns/pod/container`) sits in the evaluation: (pod, container).
pub fn locate_container(eval: &Evaluation, key: &str) -> Option<(usize, usize)> {
    let pod_key = pod_of_container_key(key);
    let name = key.get(pod_key.len() + 1..)?;
    let p = eval.pods.iter().position(|p| format!("{}/{}", p.namespace, p.name) == pod_key)?;
    let c = eval.pods.get(p)?.containers.iter().position(|c| c.name == name)?;
    Some((p, c))
}

/// The section component.
#[component]
pub fn WhoDiesFirst() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ev = eval_signal(st);
    let svg = Memo::new(move |_| {
        let theme = theme_of(st);
        let tr = move |k: &'static str| i18n.t(k);
        ev.with(|e| e.as_ref().map(|e| kill_order_chart(e, &theme, &tr)))
    });
    // (pod index, rank, tied, reason) in eviction order, then pods never evicted.
    let eviction_rows = Memo::new(move |_| {
        ev.with(|e| {
            let Some(e) = e else { return (vec![], vec![]) };
            let ranked: Vec<(usize, String, bool, String)> = e
                .eviction_order
                .iter()
                .filter_map(|k| e.pods.iter().position(|p| format!("{}/{}", p.namespace, p.name) == *k))
                .filter_map(|i| e.pods.get(i).map(|p| (i, format!("{}/{}", p.namespace, p.name), p.eviction_tied, p.eviction_reason.clone())))
                .collect();
            let never: Vec<(usize, String, String)> = e
                .pods
                .iter()
                .enumerate()
                .filter(|(_, p)| p.eviction_rank.is_none())
                .map(|(i, p)| (i, format!("{}/{}", p.namespace, p.name), p.eviction_reason.clone()))
                .collect();
            (ranked, never)
        })
    });
    let kernel_rows = Memo::new(move |_| {
        ev.with(|e| {
            let Some(e) = e else { return vec![] };
            e.node_oom_kill_order.iter().map(|k| (k.clone(), container_adj(e, k), locate_container(e, k))).collect::<Vec<_>>()
        })
    });
    let png = Callback::new(move |_| {
        let _theme = crate::widgets::theme::Theme::for_dark(st.dark.get_untracked());
        if let Some(_e) = ev.get_untracked() {
            #[cfg(target_arch = "wasm32")]
            crate::widgets::export::download_png(
                crate::widgets::charts::kill_order::size(&_e),
                &crate::widgets::export::file_name("kill-order", "png"),
                |root| {
                    let tr = move |k: &'static str| i18n.t(k);
                    let _ = crate::widgets::charts::kill_order::draw_kill_order(root, &_e, &_theme, &tr);
                },
            );
        }
    });
    view! {
        <section class="card who-dies" aria-labelledby="who-title">
            <h2 id="who-title">{move || i18n.t("who.title")}</h2>
            <p class="hint">{move || i18n.t("who.lede")}</p>
            <ChartFigure name="kill-order" title_key="chart.kill.title" svg=svg png=png/>
            <div class="two-col">
                <div>
                    <h3>{move || i18n.t("chart.kill.eviction")}</h3>
                    <ol class="order-list" data-testid="eviction-order">
                        {move || eviction_rows.get().0.into_iter().map(|(i, key, tied, reason)| view! {
                            <li>
                                <strong>{key.clone()}</strong>
                                {tied.then(|| view! { <span class="flag">{format!(" = {}", i18n.t("res.tied"))}</span> })}
                                <WhyButton target=WhyTarget::Pod(i, "eviction_rank") what=Signal::derive(move || key.clone())/>
                                <div class="reason">{reason}</div>
                            </li>
                        }).collect_view()}
                    </ol>
                    <Show when=move || eviction_rows.with(|r| !r.1.is_empty())>
                        <h4>{move || i18n.t("who.never")}</h4>
                        <ul class="order-list">
                            {move || eviction_rows.get().1.into_iter().map(|(_, key, reason)| view! {
                                <li><strong>{key}</strong><div class="reason">{reason}</div></li>
                            }).collect_view()}
                        </ul>
                    </Show>
                </div>
                <div>
                    <h3>{move || i18n.t("chart.kill.kernel")}</h3>
                    <ol class="order-list" data-testid="kernel-order">
                        {move || kernel_rows.get().into_iter().map(|(key, adj, loc)| {
                            let k2 = key.clone();
                            view! {
                                <li>
                                    <strong>{key.clone()}</strong>
                                    " "
                                    <span class="adj-note">{adj.map(|a| i18n.tf("who.adj", &[("adj", a.to_string())])).unwrap_or_default()}</span>
                                    {loc.map(|(p, c)| view! { <WhyButton target=WhyTarget::Container(p, c, "oom_score_adj") what=Signal::derive(move || k2.clone())/> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <p class="hint">{move || i18n.t("who.kernel_note")}</p>
                </div>
            </div>
        </section>
    }
}
