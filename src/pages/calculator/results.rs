//! The results: node summary (allocatable, reservations, thresholds, kubepods limit), the node
//! memory chart, and the pods table (QoS, request, limit, usage, over-request flag, eviction rank,
//! each container's oom_score_adj, memory.high and memory.min). Every number has a "why" button.

use super::state::{use_calc, CalcState, WhyTarget};
use crate::widgets::bytes::{group_digits, human};
use crate::widgets::charts::node_memory::node_memory_chart;
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

/// A byte value with its exact count on hover.
fn bytes_view(value: impl Fn() -> Option<i64> + Send + Sync + Copy + 'static) -> impl IntoView {
    let i18n = super::Lt::new();
    view! {
        <span class="bytes" data-bytes=move || value().map(|b| b.to_string()).unwrap_or_default()
            title=move || value().map(|b| format!("{} {}", group_digits(b), i18n.t("unit.bytes"))).unwrap_or_default()>
            {move || human(value())}
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
    let get = move || ev.with(|e| e.as_ref().and_then(|e| value(e)));
    view! {
        <div class="stat" data-testid=testid data-bytes=move || get().map(|b| b.to_string()).unwrap_or_default()>
            <dt>{move || i18n.t(label)}</dt>
            <dd>
                {bytes_view(get)}
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
                                            <td>{bytes_view(move || t().map(|t| t.bytes))}</td>
                                            <td>{move || t().map(|t| if t.kind == ThresholdKind::Hard { "—".to_string() } else { crate::widgets::charts::timeline::format_seconds(t.grace_period_seconds) }).unwrap_or_default()}</td>
                                            <td>{bytes_view(move || t().map(|t| t.min_reclaim_bytes))}</td>
                                            <td><WhyButton target=WhyTarget::Threshold(i) what=Signal::derive(move || t().map(|t| t.signal).unwrap_or_default())/></td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </Show>
                <Show when=move || ev.with(|e| e.as_ref().is_some_and(|e| !e.notes.is_empty()))>
                    <ul class="notes">
                        {move || ev.with(|e| e.as_ref().map(|e| e.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()))}
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
        ev.with(|e| e.as_ref().map(|e| node_memory_chart(e, &theme, &tr)))
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

#[component]
fn ContainerResultRow(p: usize, c: usize, pod: Memo<Option<PodReport>>) -> impl IntoView {
    let i18n = super::Lt::new();
    provide_context(i18n);
    let ctr =
        Memo::new(move |_| pod.with(|pr| pr.as_ref().and_then(|pr| pr.containers.get(c).cloned())));
    let g =
        move |f: fn(&ContainerReport) -> Option<i64>| move || ctr.with(|x| x.as_ref().and_then(f));
    let name = move || ctr.with(|x| x.as_ref().map(|x| x.name.clone()).unwrap_or_default());
    view! {
        <tr class="ctr-row" data-testid="result-container">
            <th scope="row" class="ctr-name">{name}</th>
            <td>{move || ctr.with(|x| x.as_ref().map(|x| i18n.t(kind_key(x.kind))).unwrap_or_default())}</td>
            <td></td>
            <td class="num">{bytes_view(g(|x| Some(x.memory_request_bytes)))} <WhyButton target=WhyTarget::Container(p, c, "memory_request_bytes") what=Signal::derive(move || format!("{} {}", name(), i18n.t("res.request")))/></td>
            <td class="num">{bytes_view(g(|x| x.memory_limit_bytes))}</td>
            <td class="num">{bytes_view(g(|x| x.usage_bytes))}</td>
            <td></td>
            <td></td>
            <td class="num" data-testid="oom-score-adj">
                <span class="adj">{move || ctr.with(|x| x.as_ref().map(|x| x.oom_score_adj.to_string()).unwrap_or_default())}</span>
                <WhyButton target=WhyTarget::Container(p, c, "oom_score_adj") what=Signal::derive(move || format!("{} oom_score_adj", name()))/>
            </td>
            <td class="num">
                {bytes_view(g(|x| x.memory_high_bytes))}
                <Show when=move || ctr.with(|x| x.as_ref().is_some_and(|x| x.memory_high_bytes.is_some()))>
                    <WhyButton target=WhyTarget::Container(p, c, "memory_high_bytes") what=Signal::derive(move || format!("{} memory.high", name()))/>
                </Show>
            </td>
            <td class="num">
                {bytes_view(g(|x| x.memory_min_bytes))}
                <Show when=move || ctr.with(|x| x.as_ref().is_some_and(|x| x.memory_min_bytes.is_some()))>
                    <WhyButton target=WhyTarget::Container(p, c, "memory_min_bytes") what=Signal::derive(move || format!("{} memory.min", name()))/>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn PodResultRows(p: usize) -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    provide_context(i18n);
    let pod = Memo::new(move |_| {
        st.view
            .with(|v| v.last_good.as_ref().and_then(|e| e.pods.get(p).cloned()))
    });
    let key = move || {
        pod.with(|x| {
            x.as_ref()
                .map(|x| format!("{}/{}", x.namespace, x.name))
                .unwrap_or_default()
        })
    };
    let n_ctr = move || pod.with(|x| x.as_ref().map(|x| x.containers.len()).unwrap_or(0));
    view! {
        <tr class="pod-row" data-testid="result-pod" data-pod=key>
            <th scope="row">{key}</th>
            <td data-testid="qos">
                <span class=move || format!("qos {}", pod.with(|x| x.as_ref().map(|x| x.qos_class.to_lowercase()).unwrap_or_default()))>
                    {move || pod.with(|x| x.as_ref().map(|x| i18n.t(qos_key(&x.qos_class))).unwrap_or_default())}
                </span>
                <WhyButton target=WhyTarget::Pod(p, "qos_class") what=Signal::derive(move || format!("{} QoS", key()))/>
            </td>
            <td class="num">{move || pod.with(|x| x.as_ref().map(|x| x.priority.to_string()).unwrap_or_default())}</td>
            <td class="num">{bytes_view(move || pod.with(|x| x.as_ref().map(|x| x.memory_request_bytes)))} <WhyButton target=WhyTarget::Pod(p, "memory_request_bytes") what=Signal::derive(move || format!("{} {}", key(), i18n.t("res.request")))/></td>
            <td></td>
            <td class="num">{bytes_view(move || pod.with(|x| x.as_ref().and_then(|x| x.usage_bytes)))}</td>
            <td>
                <Show when=move || pod.with(|x| x.as_ref().is_some_and(|x| x.exceeds_request))>
                    <span class="flag over" data-testid="over-request">{"▲ "}{move || i18n.t("res.over_request")}</span>
                </Show>
            </td>
            <td class="num" data-testid="eviction-rank">
                {move || pod.with(|x| match x.as_ref().map(|x| (x.eviction_rank, x.eviction_tied)) {
                    Some((Some(r), tied)) => format!("#{r}{}", if tied { format!(" ({})", i18n.t("res.tied")) } else { String::new() }),
                    Some((None, _)) => i18n.t("res.never"),
                    None => String::new(),
                })}
                <WhyButton target=WhyTarget::Pod(p, "eviction_rank") what=Signal::derive(move || format!("{} {}", key(), i18n.t("res.rank")))/>
            </td>
            <td></td>
            <td></td>
            <td></td>
        </tr>
        <For each=move || 0..n_ctr() key=|c| *c let:c>
            <ContainerResultRow p=p c=c pod=pod/>
        </For>
    }
}

/// The pods results table.
#[component]
pub fn PodsResults() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let n = Memo::new(move |_| {
        st.view
            .with(|v| v.last_good.as_ref().map(|e| e.pods.len()).unwrap_or(0))
    });
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
                        <For each=move || 0..n.get() key=|p| *p let:p>
                            <PodResultRows p=p/>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
