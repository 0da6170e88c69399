//! "What fires first" if usage keeps growing: the growth rates (editable here per pod, per
//! container in the pods editor) and the model's simulated timeline as a chart and a step list.

use super::node_form::error_text;
use super::state::use_calc;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The section component.
#[component]
pub fn WhatFiresFirst() -> impl IntoView {
    let st = use_calc();
    let i18n = use_i18n();
    let ids = Memo::new(move |_| st.form.with(|f| f.pods.iter().map(|p| p.id).collect::<Vec<_>>()));
    view! {
        <section class="card what-fires" aria-labelledby="fires-title">
            <h2 id="fires-title">{move || i18n.t("tl.title")}</h2>
            <p class="hint">{move || i18n.t("tl.lede")}</p>
            <details class="growth-editor">
                <summary>{move || i18n.t("tl.growth_title")}</summary>
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
                                    let label = move || st.form.with(|f| f.pod(id).map(|p| format!("{}/{}", p.namespace, p.name)).unwrap_or_default());
                                    view! {
                                        <tr>
                                            <th scope="row">{label}</th>
                                            <td class:invalid=move || err.with(Option::is_some)>
                                                <input type="text" data-testid="pod-growth" autocomplete="off"
                                                    aria-label=move || i18n.tf("tl.growth_of", &[("pod", label())])
                                                    placeholder="0"
                                                    prop:value=move || st.form.with(|f| f.pod(id).map(|p| p.growth.clone()).unwrap_or_default())
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
            <p class="hint" data-testid="timeline-pending">{move || i18n.t("tl.pending")}</p>
        </section>
    }
}
