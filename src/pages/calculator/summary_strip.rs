//! The summary strip: the five answers a user watches while editing (allocatable, the kubepods
//! limit, the first pod kubelet evicts, the first container a whole-node OOM kills, what fires
//! first as usage grows), kept in view at the top of the results. A value the last edit changed
//! is marked (visibly and for screen readers) until the next edit, so a class sees the effect.

use super::results::eval_signal;
use super::state::use_calc;
use super::timeline::mechanism_key;
use crate::widgets::bytes::{self, human};
use crate::widgets::charts::timeline::is_kill;
use leptos::prelude::*;
use oomlens_core::evaluation::Evaluation;

/// One strip value: its text, the exact bytes for the hover title (byte values), and a key that
/// says whether it changed.
#[derive(Clone, PartialEq, Default)]
struct Cell {
    text: String,
    title: String,
    /// The value without language, compared to mark changes.
    key: String,
}

fn bytes_cell(b: Option<i64>, unit: &str) -> Cell {
    Cell {
        text: human(b),
        title: bytes::attrs(b, unit).1,
        key: format!("{b:?}"),
    }
}

fn cells(e: &Evaluation, i18n: super::Lt) -> [Cell; 5] {
    let unit = i18n.t("unit.bytes");
    let name = |n: Option<String>| Cell {
        text: n.clone().unwrap_or_else(|| i18n.t("strip.none")),
        key: format!("{n:?}"),
        title: n.unwrap_or_default(),
    };
    let first_kill = e.timeline.steps.iter().find(|s| is_kill(s.mechanism));
    let fires = match first_kill {
        Some(s) => Cell {
            text: format!(
                "{}{}",
                i18n.t(mechanism_key(s.mechanism)),
                s.victim
                    .as_ref()
                    .map(|v| format!(" · {v}"))
                    .unwrap_or_default()
            ),
            title: crate::widgets::charts::timeline::format_seconds(s.time_seconds),
            key: format!("{:?} {:?}", s.mechanism, s.victim),
        },
        None => Cell {
            text: i18n.t("strip.nothing_fires"),
            title: String::new(),
            key: String::new(),
        },
    };
    [
        bytes_cell(Some(e.node.allocatable_bytes), &unit),
        bytes_cell(e.node.kubepods_limit_bytes, &unit),
        name(e.eviction_order.first().map(|n| n.to_string())),
        name(e.node_oom_kill_order.first().map(|n| n.to_string())),
        fires,
    ]
}

const LABELS: [&str; 5] = [
    "sum.allocatable",
    "sum.kubepods",
    "strip.first_evicted",
    "strip.first_killed",
    "strip.fires_first",
];
const TESTIDS: [&str; 5] = [
    "strip-allocatable",
    "strip-kubepods",
    "strip-evicted",
    "strip-killed",
    "strip-fires",
];

/// The strip component.
#[component]
pub fn SummaryStrip() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ev = eval_signal(st);
    let values = Memo::new(move |_| ev.with(|e| e.as_ref().map(|e| cells(e, i18n))));
    // The previous values, to mark what the last change moved (not on the first render, nor on a
    // language switch: the language-free keys are compared).
    let previous = StoredValue::new(None::<[Cell; 5]>);
    let changed = Memo::new(move |_| {
        // Every committed edit recomputes the marks, so they always describe the last edit.
        st.generation.track();
        let cur = values.get();
        let old = previous.get_value();
        previous.set_value(cur.clone());
        match (old, cur) {
            (Some(o), Some(c)) => std::array::from_fn::<bool, 5, _>(|i| o[i].key != c[i].key),
            _ => [false; 5],
        }
    });
    view! {
        <section class="summary-strip" aria-label=move || i18n.t("strip.label") data-testid="summary-strip"
            class:stale=move || st.errors.with(|e| !e.is_empty()) || st.view.with(|v| v.error.is_some())>
            <dl>
                {(0..5).map(|i| view! {
                    <div class="strip-item" data-testid=TESTIDS[i] class:wide=i == 4 class:changed=move || changed.with(|c| c[i])>
                        <dt>{move || i18n.t(LABELS[i])}</dt>
                        <dd title=move || values.with(|v| v.as_ref().map(|v| v[i].title.clone()).unwrap_or_default())>
                            {move || values.with(|v| v.as_ref().map(|v| v[i].text.clone()).unwrap_or_default())}
                            <Show when=move || changed.with(|c| c[i])>
                                <span class="changed-mark" title=move || i18n.t("strip.changed")>
                                    "●"<span class="sr-only">{move || i18n.t("strip.changed")}</span>
                                </span>
                            </Show>
                        </dd>
                    </div>
                }).collect_view()}
            </dl>
            <Show when=move || st.errors.with(|e| !e.is_empty()) || st.view.with(|v| v.error.is_some())>
                <p class="stale-badge" data-testid="stale-badge">
                    {move || i18n.t("calc.stale_badge")} " · "
                    <button type="button" class="link" on:click=move |_| { crate::widgets::dom::focus_id("error-summary"); }>
                        {move || i18n.t("calc.show_errors")}
                    </button>
                </p>
            </Show>
        </section>
    }
}
