//! The calculator page: a node and its pods in, allocatable, thresholds, QoS, scores and kill order
//! out, with charts. The page edits a [`oomlens_core::Scenario`] and renders slices of the
//! [`oomlens_core::Evaluation`] the core computes from it; it never applies a kubelet rule itself.
//!
//! Layout: toolbar (examples, share, import/export) · inputs (node form, pods editor, paste box) ·
//! outputs (summary, node memory chart, pods table, who dies first, what fires first) · the "why"
//! panel that explains any number from its `Derivation`.

pub(crate) use crate::share;

pub mod compare;
pub mod error_summary;
pub mod examples;
pub mod form;
pub mod node_form;
pub mod pod_paste;
pub mod pods_table;
pub mod results;
pub mod rows;
pub mod state;
pub mod summary_strip;
pub mod timeline;
pub mod toolbar;
pub mod who_dies;
pub mod why;

use crate::i18n::{format, lookup, use_i18n, Lang};
use leptos::prelude::*;
use state::CalcState;
use std::time::Duration;

/// A component-local view of the UI language. One memo per component instance subscribes to the
/// app's language signal, and the component's many texts subscribe to that memo: a 110-pod table
/// then does not put thousands of subscribers on one signal (Leptos removes subscribers in O(n),
/// which made every keystroke quadratic).
#[derive(Clone, Copy)]
pub struct Lt(Memo<Lang>);

impl Lt {
    /// The language of the app's i18n context, memoised for this component.
    pub fn new() -> Lt {
        let g = use_i18n();
        Lt(Memo::new(move |_| g.lang.get()))
    }

    /// The current language (reactive).
    pub fn lang(&self) -> Lang {
        self.0.get()
    }

    /// The text of `key` in the current language (reactive inside closures).
    pub fn t(&self, key: &'static str) -> String {
        lookup(self.0.get(), key).to_string()
    }

    /// The text of `key` with `{name}` placeholders filled.
    pub fn tf(&self, key: &'static str, args: &[(&str, String)]) -> String {
        format(lookup(self.0.get(), key), args)
    }
}

impl Default for Lt {
    fn default() -> Self {
        Lt::new()
    }
}

/// The calculator page component.
#[component]
pub fn CalculatorPage() -> impl IntoView {
    let initial = toolbar::initial_scenario();
    let st = CalcState::new(initial.scenario);
    provide_context(st);
    if let Some(status) = initial.status {
        st.status.set(Some(status));
    }
    toolbar::persist_and_watch_theme(st, initial.persist);
    let i18n = Lt::new();
    provide_context(i18n);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && st.why.get_untracked().is_some() {
            st.why.set(None);
        }
    };
    // The first paint shows what fits the first screen (the node form, the summary, allocatable);
    // the sections below it are built in the next task, after that paint, so the page answers
    // ~70 ms sooner (docs/performance.md, "First load").
    let below_fold = RwSignal::new(false);
    request_animation_frame(move || set_timeout(move || below_fold.set(true), Duration::ZERO));
    // On a phone the inputs and the results are two tabs (one column each on wide screens).
    let tab = RwSignal::new("inputs");
    let tab_button = move |id: &'static str, key: &'static str| {
        view! {
            <button type="button" role="tab" id=format!("tab-{id}") data-testid=format!("tab-{id}")
                aria-selected=move || if tab.get() == id { "true" } else { "false" }
                aria-controls=format!("calc-{id}")
                on:click=move |_| tab.set(id)>
                {move || i18n.t(key)}
            </button>
        }
    };
    view! {
        <section class="page calculator" aria-labelledby="calc-title" on:keydown=on_key>
            <div class="calc-head">
                <h1 id="calc-title">{move || i18n.t("calc.title")}</h1>
                <p class="calc-lede">{move || i18n.t("calc.lede")}</p>
            </div>
            <button type="button" class="skip-link" data-testid="skip-to-results"
                on:click=move |_| { tab.set("results"); crate::widgets::dom::focus_id("calc-results"); }>
                {move || i18n.t("calc.skip_results")}
            </button>
            <toolbar::Toolbar/>
            <div class="phone-tabs" role="tablist" aria-label=move || i18n.t("calc.tabs")>
                {tab_button("inputs", "calc.tab_inputs")}
                {tab_button("results", "calc.tab_results")}
            </div>
            <div class="calc-grid" class:show-results=move || tab.get() == "results">
                <div class="calc-inputs" id="calc-inputs">
                    <node_form::NodeForm/>
                    <Show when=move || below_fold.get()>
                        <pods_table::PodsEditor/>
                        <pod_paste::PodPaste/>
                    </Show>
                </div>
                <div class="calc-outputs" id="calc-results" tabindex="-1"
                    class:stale=move || st.errors.with(|e| !e.is_empty()) || st.view.with(|v| v.error.is_some())>
                    <summary_strip::SummaryStrip/>
                    <error_summary::ErrorSummary/>
                    <results::Summary/>
                    <Show when=move || below_fold.get()>
                        <results::NodeChart/>
                        <results::PodsResults/>
                        <who_dies::WhoDiesFirst/>
                        <timeline::WhatFiresFirst/>
                        <compare::Compare/>
                    </Show>
                </div>
            </div>
            <why::WhyPanel/>
        </section>
    }
}
