//! What the paste was recognised as: each block's kind and line range, and the lines that were not
//! recognised (as ranges), so the user knows what the verdict rests on.

use super::analysis::Analysis;
use super::text::kind_key;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::sync::Arc;

/// The "recognised / not recognised" summary.
#[component]
pub fn Detected(analysis: Arc<Analysis>) -> impl IntoView {
    let i18n = use_i18n();
    let inputs = Arc::new(analysis.explanation.inputs.clone());
    let blocks = crate::widgets::batched::batched(
        inputs.len(),
        40,
        Arc::new(move |i: usize| {
            let b = &inputs[i];
            let key = kind_key(&b.kind);
            let (f, l) = (b.first_line, b.last_line);
            view! {
                <li data-kind=b.kind.clone()>
                    <span class="kind">{move || i18n.t(key)}</span>" "
                    <span class="muted">{move || if f == l { i18n.tf("inc.line_n", &[("n", f.to_string())]) } else { i18n.tf("inc.lines_range", &[("first", f.to_string()), ("last", l.to_string())]) }}</span>
                </li>
            }
            .into_any()
        }),
    );
    let none = analysis.explanation.inputs.is_empty();
    let unrec = analysis.unrecognised_lines;
    let ranges = analysis
        .unrecognised
        .iter()
        .map(|r| {
            if r.first == r.last {
                r.first.to_string()
            } else {
                format!("{}–{}", r.first, r.last)
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let more = if analysis.unrecognised.len() >= super::analysis::MAX_UNRECOGNISED_RANGES {
        ", …"
    } else {
        ""
    };
    view! {
        <section class="detected card">
            <h3>{move || i18n.t("inc.detected.title")}</h3>
            {if none {
                view! { <p class="nothing">{move || i18n.t("inc.detected.nothing")}</p> }.into_any()
            } else {
                view! { <ul class="kinds">{blocks}</ul> }.into_any()
            }}
            {(unrec > 0).then(|| view! {
                <p class="unrecognised muted">
                    {move || i18n.tf("inc.detected.unrecognised", &[("n", unrec.to_string())])}
                    " " <span class="ranges">{format!("{ranges}{more}")}</span>
                </p>
            })}
        </section>
    }
}
