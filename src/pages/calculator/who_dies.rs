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
    let p = eval
        .pods
        .iter()
        .position(|p| format!("{}/{}", p.namespace, p.name) == pod_key)?;
    let c = eval
        .pods
        .get(p)?
        .containers
        .iter()
        .position(|c| c.name == name)?;
    Some((p, c))
}

/// The section component.
#[component]
pub fn WhoDiesFirst() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    provide_context(i18n);
    let ev = eval_signal(st);
    let svg = Memo::new(move |_| {
        let theme = theme_of(st);
        let tr = move |k: &'static str| i18n.t(k);
        ev.with(|e| e.as_ref().map(|e| kill_order_chart(e, &theme, &tr)))
    });
    // (pod key, tied, reason) in eviction order; pods never evicted.
    let eviction_rows = Memo::new(move |_| {
        ev.with(|e| {
            let Some(e) = e else { return (vec![], vec![]) };
            let by_key: std::collections::HashMap<String, &oomlens_core::evaluation::PodReport> = e
                .pods
                .iter()
                .map(|p| (format!("{}/{}", p.namespace, p.name), p))
                .collect();
            let ranked: Vec<(String, bool, String)> = e
                .eviction_order
                .iter()
                .map(|k| match by_key.get(k) {
                    Some(p) => (k.clone(), p.eviction_tied, p.eviction_reason.clone()),
                    None => (k.clone(), false, String::new()),
                })
                .collect();
            let never: Vec<(String, String)> = e
                .pods
                .iter()
                .filter(|p| p.eviction_rank.is_none())
                .map(|p| {
                    (
                        format!("{}/{}", p.namespace, p.name),
                        p.eviction_reason.clone(),
                    )
                })
                .collect();
            (ranked, never)
        })
    });
    let kernel_rows = Memo::new(move |_| {
        ev.with(|e| {
            let Some(e) = e else { return vec![] };
            e.node_oom_kill_order
                .iter()
                .map(|k| (k.clone(), container_adj(e, k)))
                .collect::<Vec<_>>()
        })
    });
    let n_ranked = Memo::new(move |_| eviction_rows.with(|r| r.0.len()));
    let n_kernel = Memo::new(move |_| kernel_rows.with(Vec::len));
    let png = Callback::new(move |_| {
        let _theme = crate::widgets::theme::Theme::for_dark(st.dark.get_untracked());
        if let Some(_e) = ev.get_untracked() {
            #[cfg(target_arch = "wasm32")]
            crate::widgets::export::download_png(
                crate::widgets::charts::kill_order::size(&_e),
                &crate::widgets::export::file_name("kill-order", "png"),
                |root| {
                    let tr = move |k: &'static str| i18n.t(k);
                    let _ = crate::widgets::charts::kill_order::draw_kill_order(
                        root, &_e, &_theme, &tr,
                    );
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
                        <For each=move || 0..n_ranked.get() key=|i| *i let:i>
                            {
                                let row = Memo::new(move |_| eviction_rows.with(|r| r.0.get(i).cloned()));
                                let key = move || row.with(|r| r.as_ref().map(|r| r.0.clone()).unwrap_or_default());
                                view! {
                                    <li>
                                        <strong>{key}</strong>
                                        <Show when=move || row.with(|r| r.as_ref().is_some_and(|r| r.1))>
                                            <span class="flag">{move || format!(" = {}", i18n.t("res.tied"))}</span>
                                        </Show>
                                        " "
                                        <WhyButton target=WhyTarget::EvictionAt(i) what=Signal::derive(key)/>
                                        <div class="reason">{move || row.with(|r| r.as_ref().map(|r| r.2.clone()).unwrap_or_default())}</div>
                                    </li>
                                }
                            }
                        </For>
                    </ol>
                    <Show when=move || eviction_rows.with(|r| !r.1.is_empty())>
                        <h4>{move || i18n.t("who.never")}</h4>
                        <ul class="order-list">
                            {move || eviction_rows.get().1.into_iter().map(|(key, reason)| view! {
                                <li><strong>{key}</strong><div class="reason">{reason}</div></li>
                            }).collect_view()}
                        </ul>
                    </Show>
                </div>
                <div>
                    <h3>{move || i18n.t("chart.kill.kernel")}</h3>
                    <ol class="order-list" data-testid="kernel-order">
                        <For each=move || 0..n_kernel.get() key=|i| *i let:i>
                            {
                                let row = Memo::new(move |_| kernel_rows.with(|r| r.get(i).cloned()));
                                let key = move || row.with(|r| r.as_ref().map(|r| r.0.clone()).unwrap_or_default());
                                view! {
                                    <li>
                                        <strong>{key}</strong>
                                        " "
                                        <span class="adj-note">{move || row.with(|r| r.as_ref().and_then(|r| r.1).map(|a| format!("oom_score_adj {a}")).unwrap_or_default())}</span>
                                        " "
                                        <WhyButton target=WhyTarget::KernelAt(i) what=Signal::derive(key)/>
                                    </li>
                                }
                            }
                        </For>
                    </ol>
                    <p class="hint">{move || i18n.t("who.kernel_note")}</p>
                </div>
            </div>
        </section>
    }
}
