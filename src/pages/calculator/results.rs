//! The results: node summary (allocatable, reservations, thresholds, kubepods limit), the node
//! memory chart, and the pods table (QoS, request, limit, usage, over-request flag, eviction rank,
//! each container's oom_score_adj, memory.high and memory.min). Every number has a "why" button.

use super::rows::IndexRows;
use super::state::{use_calc, CalcState, WhyTarget};
use crate::i18n::messages;
use crate::widgets::bytes::{self, human};
use crate::widgets::charts::node_memory::node_memory_chart;
use crate::widgets::message::pieces_view;
use crate::widgets::patch::{self, Val};
use crate::widgets::theme::Theme;
use leptos::prelude::*;
use oomlens_core::api::pod::ContainerKind;
use oomlens_core::evaluation::{ContainerReport, Evaluation, PodReport};
use oomlens_core::kubelet::thresholds::ThresholdKind;
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
            title=move || bytes::attrs(value.get(), &i18n.t("unit.bytes")).1>
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
    let threshold_count =
        move || ev.with(|e| e.as_ref().map(|e| e.node.thresholds.len()).unwrap_or(0));
    view! {
        <section class="card summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{move || i18n.t("sum.title")}</h2>
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
                    {move || {
                        // What the node itself reported, beside the computed value (from an incident paste).
                        let reported = ev.with(|e| e.as_ref().and_then(|e| e.node.reported_allocatable_bytes.map(|r| (r, e.node.allocatable_bytes))));
                        reported.map(|(r, computed)| view! {
                            <div class="stat reported" data-testid="reported-allocatable" data-bytes=r.to_string() class:differs=r != computed>
                                <dt>{move || i18n.t("sum.reported_allocatable")}</dt>
                                <dd>{bytes_view(Signal::derive(move || Some(r)))}</dd>
                            </div>
                        })
                    }}
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
            <div class="chart-svg" tabindex="0" inner_html=move || svg.get().unwrap_or_default()></div>
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
            {
                use crate::widgets::charts::node_memory;
                let tr = move |k: &'static str| i18n.t(k);
                let name = crate::widgets::export::file_name("node-memory", "png");
                crate::widgets::export::download_png(node_memory::size(&_e), &name, |scene| {
                    node_memory::draw_node_memory(scene, &_e, &_theme, &tr)
                });
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="node-chart-title">
            <h2 id="node-chart-title">{move || i18n.t("chart.node.title")}</h2>
            <ChartFigure name="node-memory" title_key="chart.node.title" svg=svg png=png/>
        </section>
    }
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

/// The page-language words the result rows use, looked up once per language (not per row).
#[derive(Clone, Copy, PartialEq)]
pub struct RowWords {
    /// "bytes" (hover text of sizes).
    pub bytes: &'static str,
    /// The "why" button's label template (`{what}`).
    why: &'static str,
    request: &'static str,
    rank: &'static str,
    tied: &'static str,
    never: &'static str,
    over_request: &'static str,
    /// "badness" (the kernel kill order's points).
    pub badness: &'static str,
    qos: [&'static str; 4],
    kind: [&'static str; 3],
}

impl RowWords {
    /// The words of `lang`.
    pub fn of(lang: crate::i18n::Lang) -> RowWords {
        let t = |k| crate::i18n::lookup(lang, k);
        RowWords {
            bytes: t("unit.bytes"),
            why: t("why.button_label"),
            request: t("res.request"),
            rank: t("res.rank"),
            tied: t("res.tied"),
            never: t("res.never"),
            over_request: t("res.over_request"),
            badness: t("res.badness"),
            qos: [
                t("qos.guaranteed"),
                t("qos.burstable"),
                t("qos.besteffort"),
                t("qos.unknown"),
            ],
            kind: [t("kind.container"), t("kind.init"), t("kind.sidecar")],
        }
    }

    /// The "why" button's accessible label for `what`.
    pub fn why_label(&self, what: &str) -> String {
        self.why.replace("{what}", what)
    }

    fn qos(&self, q: &str) -> &'static str {
        match q {
            "Guaranteed" => self.qos[0],
            "Burstable" => self.qos[1],
            "BestEffort" => self.qos[2],
            "" => "",
            _ => self.qos[3],
        }
    }

    fn kind(&self, k: ContainerKind) -> &'static str {
        match k {
            ContainerKind::Container => self.kind[0],
            ContainerKind::Init => self.kind[1],
            ContainerKind::Sidecar => self.kind[2],
        }
    }
}

/// The words of the page language, as a memo the rows share.
pub fn row_words() -> Memo<RowWords> {
    let i18n = super::Lt::new();
    Memo::new(move |_| RowWords::of(i18n.lang()))
}

/// A "why" button rendered once; its label and visibility are patched with the row.
pub fn why_static(
    target: WhyTarget,
    label: String,
    hidden: bool,
    r: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    let st = use_calc();
    view! {
        <button type="button" class="why-btn" data-testid="why" node_ref=r
            aria-label=label aria-haspopup="dialog" hidden=hidden
            on:click=move |_| st.why.set(Some(target.clone()))>
            "?"
        </button>
    }
}

/// A size rendered once (see [`bytes_view`]); patched with the row through `r`.
fn bytes_static(b: Option<i64>, word: &str, r: NodeRef<leptos::html::Span>) -> impl IntoView {
    let (data, title) = bytes::attrs(b, word);
    view! { <span class="bytes" data-bytes=data title=title node_ref=r>{human(b)}</span> }
}

patch::cells!(
    /// What a container row shows (see [`patch::patch_row`]).
    ContainerCells,
    ContainerSlots {
        name,
        kind,
        request,
        why_request,
        limit,
        usage,
        adj,
        why_adj,
        high,
        why_high,
        min,
        why_min,
    }
);

fn container_cells(c: Option<&ContainerReport>, w: &RowWords) -> ContainerCells {
    let name = c.map(|c| c.name.to_string()).unwrap_or_default();
    let high = c.and_then(|c| c.memory_high_bytes);
    let min = c.and_then(|c| c.memory_min_bytes);
    ContainerCells {
        kind: Val::Text(c.map(|c| w.kind(c.kind)).unwrap_or_default().to_string()),
        request: Val::Bytes(c.map(|c| c.memory_request_bytes), w.bytes),
        why_request: Val::Why(w.why_label(&format!("{name} {}", w.request)), false),
        limit: Val::Bytes(c.and_then(|c| c.memory_limit_bytes), w.bytes),
        usage: Val::Bytes(c.and_then(|c| c.usage_bytes), w.bytes),
        adj: Val::Text(c.map(|c| c.oom_score_adj.to_string()).unwrap_or_default()),
        why_adj: Val::Why(w.why_label(&format!("{name} oom_score_adj")), false),
        high: Val::Bytes(high, w.bytes),
        why_high: Val::Why(w.why_label(&format!("{name} memory.high")), high.is_none()),
        min: Val::Bytes(min, w.bytes),
        why_min: Val::Why(w.why_label(&format!("{name} memory.min")), min.is_none()),
        name: Val::Text(name),
    }
}

#[component]
fn ContainerResultRow(
    p: usize,
    c: usize,
    pod: RwSignal<PodReport>,
    words: Memo<RowWords>,
) -> impl IntoView {
    let compute = move || words.with(|w| pod.with(|pr| container_cells(pr.containers.get(c), w)));
    let v = untrack(compute);
    let word = words.get_untracked().bytes;
    let (name, kind, request, why_request) = (
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
    );
    let (limit, usage, adj, why_adj) = (
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
    );
    let (high, why_high, min, why_min) = (
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
    );
    let row = view! {
        <tr class="ctr-row" data-testid="result-container">
            <th scope="row" class="ctr-name"><span node_ref=name>{v.name.text()}</span></th>
            <td><span node_ref=kind>{v.kind.text()}</span></td>
            <td></td>
            <td class="num">{bytes_static(v.request.bytes(), word, request)} {why_static(WhyTarget::Container(p, c, "memory_request_bytes"), v.why_request.text(), false, why_request)}</td>
            <td class="num">{bytes_static(v.limit.bytes(), word, limit)}</td>
            <td class="num">{bytes_static(v.usage.bytes(), word, usage)}</td>
            <td></td>
            <td></td>
            <td class="num" data-testid="oom-score-adj">
                <span class="adj" node_ref=adj>{v.adj.text()}</span>
                {why_static(WhyTarget::Container(p, c, "oom_score_adj"), v.why_adj.text(), false, why_adj)}
            </td>
            <td class="num">
                {bytes_static(v.high.bytes(), word, high)}
                {why_static(WhyTarget::Container(p, c, "memory_high_bytes"), v.why_high.text(), v.why_high.hidden(), why_high)}
            </td>
            <td class="num">
                {bytes_static(v.min.bytes(), word, min)}
                {why_static(WhyTarget::Container(p, c, "memory_min_bytes"), v.why_min.text(), v.why_min.hidden(), why_min)}
            </td>
        </tr>
    };
    let slots = ContainerSlots {
        name: patch::slot(name),
        kind: patch::slot(kind),
        request: patch::slot(request),
        why_request: patch::slot(why_request),
        limit: patch::slot(limit),
        usage: patch::slot(usage),
        adj: patch::slot(adj),
        why_adj: patch::slot(why_adj),
        high: patch::slot(high),
        why_high: patch::slot(why_high),
        min: patch::slot(min),
        why_min: patch::slot(why_min),
    };
    patch::patch_row(slots, v, compute);
    row
}

patch::cells!(
    /// What a pod row shows (see [`patch::patch_row`]).
    PodCells,
    PodSlots {
        row,
        key,
        qos,
        qos_text,
        why_qos,
        priority,
        request,
        why_request,
        usage,
        over,
        rank,
        why_rank,
    }
);

fn pod_cells(x: &PodReport, w: &RowWords) -> PodCells {
    let key = format!("{}/{}", x.namespace, x.name);
    let qos = x.qos_class;
    let rank = match x.eviction_rank {
        Some(r) if x.eviction_tied => format!("#{r} ({})", w.tied),
        Some(r) => format!("#{r}"),
        // Never admitted (its request does not fit): not ranked, unlike a critical pod.
        None if !x.schedulable => "Pending".to_string(),
        None => w.never.to_string(),
    };
    PodCells {
        row: Val::Attr("data-pod", key.clone()),
        qos: Val::Attr("class", format!("qos {}", qos.to_ascii_lowercase())),
        qos_text: Val::Text(w.qos(qos).to_string()),
        why_qos: Val::Why(w.why_label(&format!("{key} QoS")), false),
        priority: Val::Text(x.priority.to_string()),
        request: Val::Bytes(Some(x.memory_request_bytes), w.bytes),
        why_request: Val::Why(w.why_label(&format!("{key} {}", w.request)), false),
        usage: Val::Bytes(x.usage_bytes, w.bytes),
        over: Val::Flag(format!("▲ {}", w.over_request), !x.exceeds_request),
        rank: Val::Text(rank),
        why_rank: Val::Why(w.why_label(&format!("{key} {}", w.rank)), false),
        key: Val::Text(key),
    }
}

#[component]
fn PodResultRows(p: usize, rows: IndexRows<PodReport>) -> impl IntoView {
    let words = row_words();
    let Some(pod) = rows.row(p) else {
        return ().into_any();
    };
    let compute = move || words.with(|w| pod.with(|x| pod_cells(x, w)));
    let v = untrack(compute);
    let word = words.get_untracked().bytes;
    let (tr, key, qos, qos_text, why_qos) = (
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
    );
    let (priority, request, why_request, usage) = (
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
    );
    let (over, rank, why_rank) = (NodeRef::new(), NodeRef::new(), NodeRef::new());
    let n_ctr = cell(move || pod.with(|x| x.containers.len()));
    let row = view! {
        <tr class="pod-row" data-testid="result-pod" data-pod=v.row.text() node_ref=tr>
            <th scope="row"><span node_ref=key>{v.key.text()}</span></th>
            <td data-testid="qos">
                <span class=v.qos.text() node_ref=qos><span node_ref=qos_text>{v.qos_text.text()}</span></span>
                {why_static(WhyTarget::Pod(p, "qos_class"), v.why_qos.text(), false, why_qos)}
            </td>
            <td class="num"><span node_ref=priority>{v.priority.text()}</span></td>
            <td class="num">{bytes_static(v.request.bytes(), word, request)} {why_static(WhyTarget::Pod(p, "memory_request_bytes"), v.why_request.text(), false, why_request)}</td>
            <td></td>
            <td class="num">{bytes_static(v.usage.bytes(), word, usage)}</td>
            <td>
                <span class="flag over" data-testid="over-request" hidden=v.over.hidden() node_ref=over>{v.over.text()}</span>
            </td>
            <td class="num" data-testid="eviction-rank">
                <span node_ref=rank>{v.rank.text()}</span>
                {why_static(WhyTarget::Pod(p, "eviction_rank"), v.why_rank.text(), false, why_rank)}
            </td>
            <td></td>
            <td></td>
            <td></td>
        </tr>
        <For each=move || 0..n_ctr.get() key=|c| *c let:c>
            <ContainerResultRow p=p c=c pod=pod words=words/>
        </For>
    };
    let slots = PodSlots {
        row: patch::slot(tr),
        key: patch::slot(key),
        qos: patch::slot(qos),
        qos_text: patch::slot(qos_text),
        why_qos: patch::slot(why_qos),
        priority: patch::slot(priority),
        request: patch::slot(request),
        why_request: patch::slot(why_request),
        usage: patch::slot(usage),
        over: patch::slot(over),
        rank: patch::slot(rank),
        why_rank: patch::slot(why_rank),
    };
    patch::patch_row(slots, v, compute);
    row.into_any()
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
                    // Fixed layout (a 330-row table lays out once per edit, not per cell); the
                    // column widths fit each column's widest value (style/calculator.css).
                    <colgroup>
                        <col class="c-name"/><col class="c-qos"/><col class="c-prio"/><col class="c-req"/>
                        <col class="c-lim"/><col class="c-use"/><col class="c-over"/><col class="c-rank"/>
                        <col class="c-adj"/><col class="c-high"/><col class="c-min"/>
                    </colgroup>
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
