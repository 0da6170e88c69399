//! "Compare": the scenario as it stands beside another evaluation of it — the same inputs under
//! another kubelet release (an upgrade), or the evaluation before the last edit (a fix). Lists
//! what moved: the numbers, the eviction and kill orders, what fires first
//! (`oomlens_core::evaluation::compare`, rendered by `widgets::compare`).

use super::results::eval_signal;
use super::state::use_calc;
use leptos::prelude::*;
use oomlens_core::evaluation::compare::compare;
use oomlens_core::evaluation::Evaluation;
use oomlens_core::kubelet::rules::KubeletVersion;
use std::sync::Arc;

/// What the scenario is compared with: `""` (the last edit) or a release such as `1.31`.
const LAST_EDIT: &str = "";

/// Evaluations closer together than this belong to one edit (keystrokes of one value).
const SETTLE_MS: f64 = 1000.0;

/// The comparison card.
#[component]
pub fn Compare() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let ev = eval_signal(st);
    let with = RwSignal::new(LAST_EDIT.to_string());
    // The evaluation before the last change, kept as edits come (the newest is `ev`). Typing
    // re-evaluates on every key, so evaluations less than `SETTLE_MS` apart are one change:
    // typing "4Gi" over "2Gi" compares with 2Gi, not with "4G".
    let previous = RwSignal::new(None::<Arc<Evaluation>>);
    let last_seen = StoredValue::new(None::<Arc<Evaluation>>);
    let last_at = StoredValue::new(f64::NEG_INFINITY);
    Effect::new(move |_| {
        let cur = ev.get();
        let seen = last_seen.get_value();
        let changed = match (&seen, &cur) {
            (Some(a), Some(b)) => !Arc::ptr_eq(a, b),
            (None, Some(_)) => true,
            _ => false,
        };
        if changed {
            let now = crate::widgets::perf::now_ms();
            let first = previous.with_untracked(Option::is_none);
            if seen.is_some() && (first || now - last_at.get_value() >= SETTLE_MS) {
                previous.set(seen);
            }
            last_at.set_value(now);
            last_seen.set_value(cur);
        }
    });
    let lines = move || {
        let lang = i18n.lang();
        let cur = ev.get()?;
        let other = with.with(|w| {
            if w.is_empty() {
                previous.get()
            } else {
                let mut sc = st.scenario.get();
                sc.kubelet_version = Some(w.clone());
                oomlens_core::evaluate(&sc).ok().map(Arc::new)
            }
        })?;
        Some(crate::widgets::compare::lines(
            &compare(&other, &cur),
            lang,
            |_| true,
            true,
        ))
    };
    let releases = (KubeletVersion::OLDEST.minor..=KubeletVersion::NEWEST.minor)
        .rev()
        .map(|m| {
            let (v, label) = (format!("1.{m}"), format!("1.{m}"));
            view! { <option value=v>{move || i18n.tf("cmp.release", &[("release", label.clone())])}</option> }
        })
        .collect_view();
    view! {
        <section class="card compare" aria-labelledby="compare-title" data-testid="compare">
            <h2 id="compare-title">{move || i18n.t("cmp.title")}</h2>
            <label class="compare-with">
                <span>{move || i18n.t("cmp.with")}</span>
                <select data-testid="compare-with" on:change=move |e| with.set(event_target_value(&e))>
                    <option value=LAST_EDIT selected=true>{move || i18n.t("cmp.last_edit")}</option>
                    {releases}
                </select>
            </label>
            {move || match lines() {
                None => view! { <p class="hint">{i18n.t("cmp.no_last_edit")}</p> }.into_any(),
                Some(l) if l.is_empty() => view! { <p class="hint" data-testid="compare-same">{i18n.t("cmp.same")}</p> }.into_any(),
                Some(l) => view! {
                    <ul class="compare-lines" data-testid="compare-lines">
                        {l.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}
