//! "Who dies first": kubelet's eviction order and the kernel's whole-node OOM kill order side by
//! side, as a chart and as two lists with the reason for each position.

use super::results::{
    eval_signal, row_words, theme_of, why_static, ChartFigure, RowWords, WhyButton,
};
use super::rows::IndexRows;
use super::state::{use_calc, WhyTarget};
use crate::i18n::messages;
use crate::widgets::charts::kill_order::{
    container_adj, is_pod_key, kill_order_chart, pod_of_container_key,
};
use crate::widgets::message::pieces_view;
use crate::widgets::patch::{self, Val};
use leptos::prelude::*;
use oomlens_core::base::message::Message;
use oomlens_core::evaluation::Evaluation;

/// Where a kernel kill-order key (`ns/pod/container`) sits in the evaluation: (pod, container).
pub fn locate_container(eval: &Evaluation, key: &str) -> Option<(usize, usize)> {
    let pod_key = pod_of_container_key(key);
    let name = key.get(pod_key.len() + 1..)?;
    let p = eval
        .pods
        .iter()
        .position(|p| is_pod_key(&p.namespace, &p.name, pod_key))?;
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
    let words = row_words();
    // Long orders show their first LIST_ROWS entries until the user asks for all.
    let all_eviction = RwSignal::new(false);
    let all_kernel = RwSignal::new(false);
    let svg = Memo::new(move |_| {
        let theme = theme_of(st);
        let tr = move |k: &'static str| i18n.t(k);
        crate::widgets::perf::span("calc:chart-kill", || {
            ev.with(|e| e.as_ref().map(|e| kill_order_chart(e, &theme, &tr)))
        })
    });
    // (pod key, tied, reason clauses) in eviction order; pods never evicted.
    let eviction_rows = Memo::new(move |_| {
        ev.with(|e| {
            let Some(e) = e else { return (vec![], vec![]) };
            let by_key: std::collections::HashMap<String, &oomlens_core::evaluation::PodReport> = e
                .pods
                .iter()
                .map(|p| (format!("{}/{}", p.namespace, p.name), p))
                .collect();
            let ranked: Vec<(String, bool, Vec<Message>)> = e
                .eviction_order
                .iter()
                .map(|k| match by_key.get(k.as_str()) {
                    Some(p) => (k.to_string(), p.eviction_tied, p.eviction_messages()),
                    None => (k.to_string(), false, Vec::new()),
                })
                .collect();
            let never: Vec<(String, Vec<Message>)> = e
                .pods
                .iter()
                .filter(|p| p.eviction_rank.is_none())
                .map(|p| (format!("{}/{}", p.namespace, p.name), p.eviction_messages()))
                .collect();
            (ranked, never)
        })
    });
    let kernel_rows = Memo::new(move |_| {
        ev.with(|e| {
            let Some(e) = e else { return vec![] };
            // Each container's adj and whole-node badness by its kill-order key, found once (not
            // by a scan per row): the badness shows why the order is what it is.
            let mut adj = std::collections::HashMap::with_capacity(e.node_oom_kill_order.len());
            for p in e.pods.iter() {
                for c in p.containers.iter() {
                    adj.insert(
                        format!("{}/{}/{}", p.namespace, p.name, c.name),
                        (c.oom_score_adj, c.node_oom_badness),
                    );
                }
            }
            e.node_oom_kill_order
                .iter()
                .map(|k| match adj.get(&**k) {
                    Some((a, b)) => (k.to_string(), Some(*a), *b),
                    None => (k.to_string(), container_adj(e, k), None),
                })
                .collect::<Vec<_>>()
        })
    });
    // One signal per list row, set only when that row changes (see `rows`).
    let ranked = IndexRows::<(String, bool, Vec<Message>)>::new();
    let kernel = IndexRows::<(String, Option<i64>, Option<i64>)>::new();
    let sync = move || {
        eviction_rows.with(|r| ranked.sync(r.0.iter()));
        kernel_rows.with(|r| kernel.sync(r.iter()));
    };
    untrack(sync);
    Effect::new(move |_| sync());
    let png = Callback::new(move |_| {
        let _theme = crate::widgets::theme::Theme::for_dark(st.dark.get_untracked());
        if let Some(_e) = ev.get_untracked() {
            #[cfg(target_arch = "wasm32")]
            {
                use crate::widgets::charts::kill_order;
                let tr = move |k: &'static str| i18n.t(k);
                let name = crate::widgets::export::file_name("kill-order", "png");
                crate::widgets::export::download_png(kill_order::size(&_e), &name, |scene| {
                    kill_order::draw_kill_order(scene, &_e, &_theme, &tr)
                });
            }
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
                        <For each=move || 0..ranked.len().min(limit_of(all_eviction)) key=|i| *i let:i>
                            {
                                let src = ranked.row(i);
                                let row = Memo::new(move |_| src.and_then(|s| s.with(|r| Some(r.clone()))));
                                let key = Memo::new(move |_| row.with(|r| r.as_ref().map(|r| r.0.clone()).unwrap_or_default()));
                                view! {
                                    <li>
                                        <strong>{move || key.get()}</strong>
                                        <Show when=move || row.with(|r| r.as_ref().is_some_and(|r| r.1))>
                                            <span class="flag">{move || format!(" = {}", i18n.t("res.tied"))}</span>
                                        </Show>
                                        " "
                                        <WhyButton target=WhyTarget::EvictionAt(i) what=Signal::derive(move || key.get())/>
                                        <div class="reason" data-testid="eviction-reason">{move || {
                                            let lang = i18n.lang();
                                            let unit = i18n.t("unit.bytes");
                                            row.with(|r| pieces_view(r.as_ref().map(|r| messages::pieces_joined(lang, &r.2)).unwrap_or_default(), &unit))
                                        }}</div>
                                    </li>
                                }
                            }
                        </For>
                    </ol>
                    {more_button(all_eviction, move || ranked.len(), "eviction-more")}
                    <Show when=move || eviction_rows.with(|r| !r.1.is_empty())>
                        <h4>{move || i18n.t("who.never")}</h4>
                        <ul class="order-list">
                            {move || {
                                let lang = i18n.lang();
                                let unit = i18n.t("unit.bytes");
                                eviction_rows.with(|r| r.1.iter().map(|(key, reason)| {
                                    let body = pieces_view(messages::pieces_joined(lang, reason), &unit);
                                    view! { <li><strong>{key.clone()}</strong><div class="reason" data-testid="eviction-reason">{body}</div></li> }
                                }).collect_view())
                            }}
                        </ul>
                    </Show>
                </div>
                <div>
                    <h3>{move || i18n.t("chart.kill.kernel")}</h3>
                    <ol class="order-list" data-testid="kernel-order">
                        <For each=move || 0..kernel.len().min(limit_of(all_kernel)) key=|i| *i let:i>
                            {kernel_row(i, kernel, words)}
                        </For>
                    </ol>
                    {more_button(all_kernel, move || kernel.len(), "kernel-more")}
                    <p class="hint">{move || i18n.t("who.kernel_note")}</p>
                </div>
            </div>
        </section>
    }
}

/// How many entries an order list shows until the user asks for all of them: the top of an order
/// is what decides who dies; a 110-pod node's full kernel order has ~330 entries.
pub const LIST_ROWS: usize = 25;

fn limit_of(all: RwSignal<bool>) -> usize {
    if all.get() {
        usize::MAX
    } else {
        LIST_ROWS
    }
}

/// "Show all N" / "Show the first LIST_ROWS" under an order list longer than [`LIST_ROWS`].
fn more_button(
    all: RwSignal<bool>,
    len: impl Fn() -> usize + Send + Sync + Copy + 'static,
    testid: &'static str,
) -> impl IntoView {
    let i18n = super::Lt::new();
    view! {
        <Show when=move || { len() > LIST_ROWS }>
            <button type="button" class="more-btn" data-testid=testid aria-expanded=move || all.get().to_string()
                on:click=move |_| all.update(|a| *a = !*a)>
                {move || if all.get() {
                    i18n.tf("who.show_first", &[("n", LIST_ROWS.to_string())])
                } else {
                    i18n.tf("who.show_all", &[("n", len().to_string())])
                }}
            </button>
        </Show>
    }
}

patch::cells!(
    /// What a row of the kernel kill order shows (see [`patch::patch_row`]).
    KernelCells,
    KernelSlots { key, adj, why }
);

/// Row `i` of the kernel kill order: the container and its oom_score_adj, rendered once and patched
/// in place (see [`patch::patch_row`]).
fn kernel_row(
    i: usize,
    kernel: IndexRows<(String, Option<i64>, Option<i64>)>,
    words: Memo<RowWords>,
) -> impl IntoView {
    let src = kernel.row(i);
    let compute = move || {
        words.with(|w| {
            let (key, adj, badness) = src
                .map(|s| s.with(|(key, adj, b)| (key.clone(), *adj, *b)))
                .unwrap_or_default();
            let adj = adj.map(|a| format!("oom_score_adj {a}"));
            KernelCells {
                adj: Val::Text(match (badness, adj) {
                    (Some(b), Some(a)) => format!("{} {b} · {a}", w.badness),
                    (_, a) => a.unwrap_or_default(),
                }),
                why: Val::Why(w.why_label(&key), false),
                key: Val::Text(key),
            }
        })
    };
    let v = untrack(compute);
    let (key, adj, why) = (NodeRef::new(), NodeRef::new(), NodeRef::new());
    let row = view! {
        <li>
            <strong node_ref=key>{v.key.text()}</strong>
            " "
            <span class="adj-note" node_ref=adj>{v.adj.text()}</span>
            " "
            {why_static(WhyTarget::KernelAt(i), v.why.text(), false, why)}
        </li>
    };
    let slots = KernelSlots {
        key: patch::slot(key),
        adj: patch::slot(adj),
        why: patch::slot(why),
    };
    patch::patch_row(slots, v, compute);
    row
}
