//! "What fires first" if usage keeps growing: the growth rates (editable here per pod, per
//! container in the pods editor) and the model's simulated timeline as a chart and a step list,
//! with the outcome and the model's assumptions.

use super::node_form::error_text;
use super::results::{eval_signal, theme_of, ChartFigure, WhyButton};
use super::state::{use_calc, WhyTarget};
use crate::i18n::messages;
use crate::widgets::charts::timeline::{format_seconds, is_kill, timeline_chart};
use crate::widgets::message::pieces_view;
use leptos::prelude::*;
use oomlens_core::base::message::Message;
use oomlens_core::simulate::Mechanism;

/// The catalogue key of a mechanism's name.
pub fn mechanism_key(m: Mechanism) -> &'static str {
    match m {
        Mechanism::ContainerOom => "mech.container_oom",
        Mechanism::PodOom => "mech.pod_oom",
        Mechanism::SoftThresholdObserved => "mech.soft_threshold_observed",
        Mechanism::EvictionHard => "mech.eviction_hard",
        Mechanism::EvictionSoft => "mech.eviction_soft",
        Mechanism::NoEvictablePod => "mech.no_evictable_pod",
        Mechanism::PodTerminated => "mech.pod_terminated",
        Mechanism::KubepodsOom => "mech.kubepods_oom",
        Mechanism::NodeOom => "mech.node_oom",
    }
}

#[component]
fn GrowthEditor() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ids = Memo::new(move |_| {
        st.form
            .with(|f| f.pods.iter().map(|p| p.id).collect::<Vec<_>>())
    });
    view! {
        // Open whenever a growth rate is set: the rates that drive the timeline stay in view.
        <details class="growth-editor" open=move || st.form.with(|f| f.pods.iter().any(|p| !p.growth.trim().is_empty() || p.containers.iter().any(|c| !c.growth.trim().is_empty())))>
            <summary>{move || i18n.t("tl.growth_title")}</summary>
            <p class="hint">{move || i18n.t("tl.growth_hint")}</p>
            <div class="table-scroll">
                <table>
                    <thead><tr>
                        <th scope="col">{move || i18n.t("res.name")}</th>
                        <th scope="col">{move || i18n.t("tl.growth")}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || ids.get() key=|id| *id let:id>
                            {
                                let err = st.error_of(format!("pod.{id}.growth"));
                                // Memos, so an edit elsewhere in the form does not touch this row.
                                let src = st.pod_form(id);
                                let label = Memo::new(move |_| src.with(|p| p.as_ref().map(|p| format!("{}/{}", p.namespace, p.name)).unwrap_or_default()));
                                let growth = Memo::new(move |_| src.with(|p| p.as_ref().map(|p| p.growth.clone()).unwrap_or_default()));
                                view! {
                                    <tr>
                                        <th scope="row">{move || label.get()}</th>
                                        <td class:invalid=move || err.with(Option::is_some)>
                                            <input type="text" data-testid="pod-growth" autocomplete="off"
                                                aria-label=move || i18n.tf("tl.growth_of", &[("pod", label.get())])
                                                placeholder="0"
                                                prop:value=move || growth.get()
                                                on:input=move |ev| { let v = event_target_value(&ev); st.edit(|f| if let Some(p) = f.pod_mut(id) { p.growth = v }) }/>
                                            <Show when=move || err.with(Option::is_some)>
                                                <span class="field-error" role="alert">{move || err.get().map(|e| error_text(i18n, &e)).unwrap_or_default()}</span>
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// The section component.
#[component]
pub fn WhatFiresFirst() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ev = eval_signal(st);
    let timeline = Memo::new(move |_| ev.with(|e| e.as_ref().map(|e| e.timeline.clone())));
    let svg = Memo::new(move |_| {
        let theme = theme_of(st);
        let tr = move |k: &'static str| i18n.t(k);
        crate::widgets::perf::span("calc:chart-timeline", || {
            timeline.with(|t| t.as_ref().map(|t| timeline_chart(t, &theme, &tr)))
        })
    });
    let png = Callback::new(move |_| {
        let _theme = crate::widgets::theme::Theme::for_dark(st.dark.get_untracked());
        if let Some(_t) = timeline.get_untracked() {
            #[cfg(target_arch = "wasm32")]
            {
                use crate::widgets::charts::timeline;
                let tr = move |k: &'static str| i18n.t(k);
                let name = crate::widgets::export::file_name("timeline", "png");
                crate::widgets::export::download_png(timeline::size(&_t), &name, |scene| {
                    timeline::draw_timeline(scene, &_t, &_theme, &tr)
                });
            }
        }
    });
    view! {
        <section class="card what-fires" aria-labelledby="fires-title">
            <h2 id="fires-title">{move || i18n.t("tl.title")}</h2>
            <p class="hint">{move || i18n.t("tl.lede")}</p>
            <GrowthEditor/>
            <Show when=move || timeline.with(Option::is_some)>
                <p class="timeline-outcome" data-testid="timeline-outcome">
                    {move || timeline.with(|t| t.as_ref().map(|t| {
                        let first = t.first_mechanism.map(|m| i18n.t(mechanism_key(m)));
                        match first {
                            Some(m) => i18n.tf("tl.first", &[("m", m)]),
                            None => i18n.t("tl.nothing"),
                        }
                    }).unwrap_or_default())}
                </p>
                <p class="hint" data-testid="timeline-outcome-detail">{move || {
                    let lang = i18n.lang();
                    let unit = i18n.t("unit.bytes");
                    timeline.with(|t| pieces_view(t.as_ref().map(|t| messages::pieces(lang, &t.outcome_message)).unwrap_or_default(), &unit))
                }}</p>
                <ChartFigure name="timeline" title_key="chart.tl.title" svg=svg png=png/>
                <Show when=move || timeline.with(|t| t.as_ref().is_some_and(|t| t.truncated))>
                    <p class="banner warn">{move || i18n.t("tl.truncated")}</p>
                </Show>
                <h3>{move || i18n.t("tl.steps")}</h3>
                <ol class="timeline-steps" data-testid="timeline-steps">
                    {move || { let lang = i18n.lang(); let unit = i18n.t("unit.bytes"); timeline.with(|t| t.as_ref().map(|t| t.steps.iter().enumerate().map(|(i, s)| {
                        let who = s.victim.clone().unwrap_or_default();
                        let tied = (!s.tied_with.is_empty()).then(|| i18n.tf("tl.tied", &[("who", s.tied_with.join(", "))]));
                        let mech = i18n.t(mechanism_key(s.mechanism));
                        let what = format!("{} {}", format_seconds(s.time_seconds), mech);
                        view! {
                            <li>
                                <span class="when">{format_seconds(s.time_seconds)}</span>" · "
                                <span class:kill=is_kill(s.mechanism)>{mech}</span>
                                {(!who.is_empty()).then(|| view! { " · " <strong><code>{who.clone()}</code></strong> })}
                                {tied.map(|t| view! { " (" {t} ")" })}
                                " "
                                <WhyButton target=WhyTarget::Step(i) what=Signal::derive(move || what.clone())/>
                                <div class="reason" data-testid="step-reason">{pieces_view(messages::pieces(lang, &s.message), &unit)}</div>
                            </li>
                        }
                    }).collect_view())) }}
                </ol>
                <details class="assumptions">
                    <summary>{move || i18n.t("tl.assumptions")}</summary>
                    <ul>{move || { let lang = i18n.lang(); timeline.with(|t| t.as_ref().map(|t| t.assumptions.iter().map(|id| view! { <li>{messages::render(lang, &Message::plain(id))}</li> }).collect_view())) }}</ul>
                </details>
            </Show>
        </section>
    }
}
