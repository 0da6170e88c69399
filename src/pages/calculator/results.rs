//! The results: node summary (allocatable, reservations, thresholds, kubepods limit), the node
//! memory chart, and the pods table (QoS, request, limit, usage, over-request flag, eviction rank,
//! each container's oom_score_adj, memory.high and memory.min). Every number has a "why" button.

use super::rows::IndexRows;
use super::state::{use_calc, CalcState, WhyTarget};
use crate::i18n::messages;
use crate::widgets::bytes::{group_digits, human};
use crate::widgets::charts::node_memory::node_memory_chart;
use crate::widgets::message::pieces_view;
use crate::widgets::theme::Theme;
use leptos::prelude::*;
use oomlens_core::evaluation::{ContainerReport, Evaluation, PodReport, ThresholdKind};
use oomlens_core::pod::ContainerKind;
use std::sync::Arc;

/// The last good evaluation, reactive.
pub fn eval_signal(st: CalcState) -> Memo<Option<Arc<Evaluation>>> {
    Memo::new(move |_| st.view.with(|v| v.last_good.clone()))
}

/// A "why?" button opening the derivation of `target`.
#[component]
pub fn WhyButton(target: WhyTarget, #[prop(into)] what: Signal<String>) -> impl IntoView {
    let st = use_calc();
    let i18n = use_context::<super::Lt>().unwrap_or_default();
    view! {
        <button type="button" class="why-btn" data-testid="why"
            aria-label=move || i18n.tf("why.button_label", &[("what", what.get())])
            aria-haspopup="dialog"
            on:click=move |_| st.why.set(Some(target.clone()))>
            "?"
        </button>
    }
}

/// A byte value with its exact count on hover. It subscribes to `value` only, so it re-renders only
/// when that number changes.
fn bytes_view(value: Signal<Option<i64>>) -> impl IntoView {
    let i18n = use_context::<super::Lt>().unwrap_or_default();
    view! {
        <span class="bytes" data-bytes=move || value.get().map(|b| b.to_string()).unwrap_or_default()
            title=move || value.get().map(|b| format!("{} {}", group_digits(b), i18n.t("unit.bytes"))).unwrap_or_default()>
            {move || human(value.get())}
        </span>
    }
}

fn node_item(
    label: &'static str,
    field: &'static str,
    testid: &'static str,
    value: impl Fn(&Evaluation) -> Option<i64> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ev = eval_signal(st);
    let get = Memo::new(move |_| ev.with(|e| e.as_ref().and_then(|e| value(e))));
    view! {
        <div class="stat" data-testid=testid data-bytes=move || get.get().map(|b| b.to_string()).unwrap_or_default()>
            <dt>{move || i18n.t(label)}</dt>
            <dd>
                {bytes_view(get.into())}
                <WhyButton target=WhyTarget::Node(field) what=Signal::derive(move || i18n.t(label))/>
            </dd>
        </div>
    }
}

/// The node summary.
#[component]
pub fn Summary() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ev = eval_signal(st);
    let n_errors = move || st.errors.with(|e| e.len());
    let threshold_count =
        move || ev.with(|e| e.as_ref().map(|e| e.node.thresholds.len()).unwrap_or(0));
    view! {
        <section class="card summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{move || i18n.t("sum.title")}</h2>
            <Show when=move || { n_errors() > 0 }>
                <p class="banner warn" role="alert" data-testid="form-errors">{move || i18n.tf("sum.form_errors", &[("n", n_errors().to_string())])}</p>
            </Show>
            <Show when=move || st.view.with(|v| v.error.is_some())>
                <p class="banner error" role="alert" data-testid="eval-error">
                    {move || i18n.t("sum.eval_error")} " "
                    <code>{move || st.view.with(|v| v.error.as_ref().map(|e| e.to_string()).unwrap_or_default())}</code>
                    {move || if ev.with(Option::is_some) { format!(" {}", i18n.t("sum.showing_last")) } else { String::new() }}
                </p>
            </Show>
            <Show when=move || ev.with(Option::is_some)>
                <p class="version-line">
                    {move || i18n.tf("sum.version", &[("v", ev.with(|e| e.as_ref().map(|e| e.kubelet_version.clone()).unwrap_or_default()))])}
                </p>
                <dl class="stats">
                    {node_item("sum.capacity", "capacity_bytes", "capacity", |e| Some(e.node.capacity_bytes))}
                    {node_item("sum.system_reserved", "system_reserved_bytes", "system-reserved", |e| Some(e.node.system_reserved_bytes))}
                    {node_item("sum.kube_reserved", "kube_reserved_bytes", "kube-reserved", |e| Some(e.node.kube_reserved_bytes))}
                    {node_item("sum.hard_eviction", "hard_eviction_bytes", "hard-eviction", |e| Some(e.node.hard_eviction_bytes))}
                    {node_item("sum.allocatable", "allocatable_bytes", "allocatable", |e| Some(e.node.allocatable_bytes))}
                    {node_item("sum.kubepods", "kubepods_limit_bytes", "kubepods-limit", |e| e.node.kubepods_limit_bytes)}
                </dl>
                <Show when=move || { threshold_count() > 0 }>
                    <table class="thresholds" data-testid="thresholds">
                        <caption>{move || i18n.t("sum.thresholds")}</caption>
                        <thead><tr>
                            <th scope="col">{move || i18n.t("thr.signal")}</th>
                            <th scope="col">{move || i18n.t("thr.kind")}</th>
                            <th scope="col">{move || i18n.t("thr.value")}</th>
                            <th scope="col">{move || i18n.t("thr.grace")}</th>
                            <th scope="col">{move || i18n.t("thr.min_reclaim")}</th>
                            <th scope="col"><span class="sr-only">{move || i18n.t("why.title")}</span></th>
                        </tr></thead>
                        <tbody>
                            <For each=move || 0..threshold_count() key=|i| *i let:i>
                                {
                                    let t = move || ev.with(|e| e.as_ref().and_then(|e| e.node.thresholds.get(i).cloned()));
                                    view! {
                                        <tr>
                                            <td><code>{move || t().map(|t| t.signal).unwrap_or_default()}</code></td>
                                            <td>{move || t().map(|t| i18n.t(if t.kind == ThresholdKind::Hard { "thr.hard" } else { "thr.soft" })).unwrap_or_default()}</td>
                                            <td>{bytes_view(Memo::new(move |_| t().map(|t| t.bytes)).into())}</td>
                                            <td>{move || t().map(|t| if t.kind == ThresholdKind::Hard { "—".to_string() } else { crate::widgets::charts::timeline::format_seconds(t.grace_period_seconds) }).unwrap_or_default()}</td>
                                            <td>{bytes_view(Memo::new(move |_| t().map(|t| t.min_reclaim_bytes)).into())}</td>
                                            <td><WhyButton target=WhyTarget::Threshold(i) what=Signal::derive(move || t().map(|t| t.signal).unwrap_or_default())/></td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </Show>
                <Show when=move || ev.with(|e| e.as_ref().is_some_and(|e| !e.note_messages.is_empty()))>
                    <ul class="notes" data-testid="notes">
                        {move || {
                            let lang = i18n.lang();
                            let unit = i18n.t("unit.bytes");
                            ev.with(|e| e.as_ref().map(|e| e.note_messages.iter().map(|n| {
                                let body = pieces_view(messages::pieces(lang, n), &unit);
                                view! { <li>{body}</li> }
                            }).collect_view()))
                        }}
                    </ul>
                </Show>
            </Show>
            <Show when=move || ev.with(Option::is_none) && st.view.with(|v| v.error.is_none())>
                <p>{move || i18n.t("sum.nothing")}</p>
            </Show>
        </section>
    }
}

/// A chart with its title and SVG/PNG export buttons. `svg` is the chart's SVG text.
#[component]
pub fn ChartFigure(
    name: &'static str,
    title_key: &'static str,
    svg: Memo<Option<String>>,
    /// Draws the same chart as PNG (on an off-screen canvas) and downloads it.
    png: Callback<()>,
) -> impl IntoView {
    let i18n = super::Lt::new();
    let export_svg = move |_| {
        if let Some(_s) = svg.get_untracked() {
            #[cfg(target_arch = "wasm32")]
            crate::widgets::export::download_text(
                &_s,
                "image/svg+xml",
                &crate::widgets::export::file_name(name, "svg"),
            );
        }
    };
    let export_png = move |_| png.run(());
    view! {
        <figure class="chart" data-testid=format!("chart-{name}")>
            <div class="chart-svg" inner_html=move || svg.get().unwrap_or_default()></div>
            <figcaption>
                <span>{move || i18n.t(title_key)}</span>
                <span class="chart-actions">
                    <button type="button" data-testid=format!("export-svg-{name}") on:click=export_svg
                        aria-label=move || i18n.tf("chart.export_svg_label", &[("chart", i18n.t(title_key))])>"SVG"</button>
                    <button type="button" data-testid=format!("export-png-{name}") on:click=export_png
                        aria-label=move || i18n.tf("chart.export_png_label", &[("chart", i18n.t(title_key))])>"PNG"</button>
                </span>
            </figcaption>
        </figure>
    }
}

/// The chart theme, reactive.
pub fn theme_of(st: CalcState) -> Theme {
    Theme::for_dark(st.dark.get())
}

/// The node memory chart.
#[component]
pub fn NodeChart() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ev = eval_signal(st);
    let svg = Memo::new(move |_| {
        let theme = theme_of(st);
        let tr = move |k: &'static str| i18n.t(k);
        crate::widgets::perf::span("calc:chart-node", || {
            ev.with(|e| e.as_ref().map(|e| node_memory_chart(e, &theme, &tr)))
        })
    });
    let png = Callback::new(move |_| {
        let _theme = Theme::for_dark(st.dark.get_untracked());
        if let Some(_e) = ev.get_untracked() {
            #[cfg(target_arch = "wasm32")]
            crate::widgets::export::download_png(
                crate::widgets::charts::node_memory::size(&_e),
                &crate::widgets::export::file_name("node-memory", "png"),
                |root| {
                    let tr = move |k: &'static str| i18n.t(k);
                    let _ = crate::widgets::charts::node_memory::draw_node_memory(
                        root, &_e, &_theme, &tr,
                    );
                },
            );
        }
    });
    view! {
        <section class="card" aria-labelledby="node-chart-title">
            <h2 id="node-chart-title">{move || i18n.t("chart.node.title")}</h2>
            <ChartFigure name="node-memory" title_key="chart.node.title" svg=svg png=png/>
        </section>
    }
}

fn qos_key(q: &str) -> &'static str {
    match q {
        "Guaranteed" => "qos.guaranteed",
        "Burstable" => "qos.burstable",
        "BestEffort" => "qos.besteffort",
        _ => "qos.unknown",
    }
}

fn kind_key(k: ContainerKind) -> &'static str {
    match k {
        ContainerKind::Container => "kind.container",
        ContainerKind::Init => "kind.init",
        ContainerKind::Sidecar => "kind.sidecar",
    }
}

/// One value of an optional report as a signal of its own, written only when the value changes.
/// Unlike a memo (whose readers are all woken whenever its source changes), an unchanged cell wakes
/// nothing, so an edit that changes one number of a row costs one cell update.
fn field<S, T>(
    src: Memo<Option<S>>,
    f: impl Fn(&S) -> Option<T> + Send + Sync + 'static,
) -> Signal<Option<T>>
where
    S: Send + Sync + 'static,
    T: PartialEq + Send + Sync + 'static,
{
    cell(move || src.with(|s| s.as_ref().and_then(&f)))
}

/// A text cell of an optional report (empty when absent); see [`field`].
fn text<S>(src: Memo<Option<S>>, f: impl Fn(&S) -> String + Send + Sync + 'static) -> Signal<String>
where
    S: Send + Sync + 'static,
{
    cell(move || src.with(|s| s.as_ref().map(&f).unwrap_or_default()))
}

/// A signal holding `compute()`, recomputed by an effect and set only when the value differs.
pub fn cell<T: PartialEq + Send + Sync + 'static>(
    compute: impl Fn() -> T + Send + Sync + 'static,
) -> Signal<T> {
    let sig = RwSignal::new(untrack(&compute));
    Effect::new(move |_| {
        let v = compute();
        if sig.with_untracked(|old| *old != v) {
            sig.set(v);
        }
    });
    sig.into()
}

#[component]
fn ContainerResultRow(p: usize, c: usize, pod: Memo<Option<PodReport>>) -> impl IntoView {
    let i18n = use_context::<super::Lt>().unwrap_or_default();
    let ctr =
        Memo::new(move |_| pod.with(|pr| pr.as_ref().and_then(|pr| pr.containers.get(c).cloned())));
    let g = |f: fn(&ContainerReport) -> Option<i64>| field(ctr, f);
    let name = text(ctr, |x| x.name.to_string());
    let kind = field(ctr, |x| Some(x.kind));
    let adj = field(ctr, |x| Some(x.oom_score_adj));
    let high = g(|x| x.memory_high_bytes);
    let min = g(|x| x.memory_min_bytes);
    view! {
        <tr class="ctr-row" data-testid="result-container">
            <th scope="row" class="ctr-name">{move || name.get()}</th>
            <td>{move || kind.get().map(|k| i18n.t(kind_key(k))).unwrap_or_default()}</td>
            <td></td>
            <td class="num">{bytes_view(g(|x| Some(x.memory_request_bytes)))} <WhyButton target=WhyTarget::Container(p, c, "memory_request_bytes") what=Signal::derive(move || format!("{} {}", name.get(), i18n.t("res.request")))/></td>
            <td class="num">{bytes_view(g(|x| x.memory_limit_bytes))}</td>
            <td class="num">{bytes_view(g(|x| x.usage_bytes))}</td>
            <td></td>
            <td></td>
            <td class="num" data-testid="oom-score-adj">
                <span class="adj">{move || adj.get().map(|a| a.to_string()).unwrap_or_default()}</span>
                <WhyButton target=WhyTarget::Container(p, c, "oom_score_adj") what=Signal::derive(move || format!("{} oom_score_adj", name.get()))/>
            </td>
            <td class="num">
                {bytes_view(high)}
                <Show when=move || high.with(Option::is_some)>
                    <WhyButton target=WhyTarget::Container(p, c, "memory_high_bytes") what=Signal::derive(move || format!("{} memory.high", name.get()))/>
                </Show>
            </td>
            <td class="num">
                {bytes_view(min)}
                <Show when=move || min.with(Option::is_some)>
                    <WhyButton target=WhyTarget::Container(p, c, "memory_min_bytes") what=Signal::derive(move || format!("{} memory.min", name.get()))/>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn PodResultRows(p: usize, rows: IndexRows<PodReport>) -> impl IntoView {
    let i18n = super::Lt::new();
    provide_context(i18n);
    let src = rows.row(p);
    let pod = Memo::new(move |_| src.and_then(|s| s.with(|x| Some(x.clone()))));
    let key = text(pod, |x| format!("{}/{}", x.namespace, x.name));
    let qos = text(pod, |x| x.qos_class.to_string());
    let priority = field(pod, |x| Some(x.priority));
    let exceeds = field(pod, |x| Some(x.exceeds_request));
    let rank = field(pod, |x| Some((x.eviction_rank, x.eviction_tied)));
    let n_ctr = field(pod, |x| Some(x.containers.len()));
    view! {
        <tr class="pod-row" data-testid="result-pod" data-pod=move || key.get()>
            <th scope="row">{move || key.get()}</th>
            <td data-testid="qos">
                <span class=move || format!("qos {}", qos.with(|q| q.to_lowercase()))>
                    {move || qos.with(|q| if q.is_empty() { String::new() } else { i18n.t(qos_key(q)) })}
                </span>
                <WhyButton target=WhyTarget::Pod(p, "qos_class") what=Signal::derive(move || format!("{} QoS", key.get()))/>
            </td>
            <td class="num">{move || priority.get().map(|x| x.to_string()).unwrap_or_default()}</td>
            <td class="num">{bytes_view(field(pod, |x| Some(x.memory_request_bytes)))} <WhyButton target=WhyTarget::Pod(p, "memory_request_bytes") what=Signal::derive(move || format!("{} {}", key.get(), i18n.t("res.request")))/></td>
            <td></td>
            <td class="num">{bytes_view(field(pod, |x| x.usage_bytes))}</td>
            <td>
                <Show when=move || exceeds.get() == Some(true)>
                    <span class="flag over" data-testid="over-request">{"▲ "}{move || i18n.t("res.over_request")}</span>
                </Show>
            </td>
            <td class="num" data-testid="eviction-rank">
                {move || match rank.get() {
                    Some((Some(r), tied)) => format!("#{r}{}", if tied { format!(" ({})", i18n.t("res.tied")) } else { String::new() }),
                    Some((None, _)) => i18n.t("res.never"),
                    None => String::new(),
                }}
                <WhyButton target=WhyTarget::Pod(p, "eviction_rank") what=Signal::derive(move || format!("{} {}", key.get(), i18n.t("res.rank")))/>
            </td>
            <td></td>
            <td></td>
            <td></td>
        </tr>
        <For each=move || 0..n_ctr.get().unwrap_or(0) key=|c| *c let:c>
            <ContainerResultRow p=p c=c pod=pod/>
        </For>
    }
}

/// The pods results table.
#[component]
pub fn PodsResults() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    // One signal per row, set only when that pod's results change (see `rows`).
    let rows = IndexRows::<PodReport>::new();
    let sync = move || {
        st.view.with(|v| {
            if let Some(e) = &v.last_good {
                rows.sync(e.pods.iter());
            }
        })
    };
    untrack(sync);
    Effect::new(move |_| sync());
    view! {
        <section class="card pods-results" aria-labelledby="pods-results-title">
            <h2 id="pods-results-title">{move || i18n.t("res.title")}</h2>
            <div class="table-scroll">
                <table class="results" data-testid="pods-results">
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t("res.name")}</th>
                            <th scope="col">{move || i18n.t("res.qos_kind")}</th>
                            <th scope="col">{move || i18n.t("res.priority")}</th>
                            <th scope="col">{move || i18n.t("res.request")}</th>
                            <th scope="col">{move || i18n.t("res.limit")}</th>
                            <th scope="col">{move || i18n.t("res.usage")}</th>
                            <th scope="col">{move || i18n.t("res.flags")}</th>
                            <th scope="col">{move || i18n.t("res.rank")}</th>
                            <th scope="col">"oom_score_adj"</th>
                            <th scope="col">"memory.high"</th>
                            <th scope="col">"memory.min"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || 0..rows.len() key=|p| *p let:p>
                            <PodResultRows p=p rows=rows/>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
