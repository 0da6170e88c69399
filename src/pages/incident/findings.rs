//! The core's findings — what happened, the warnings, and "what to do" for each — in the page
//! language (catalogue messages), each with the lines that prove it.

use super::analysis::{Analysis, FindingView};
use super::evidence::Evidence;
use super::text::{advice_pieces, finding_pieces, severity_key, severity_rank};
use crate::i18n::use_i18n;
use crate::widgets::message::pieces_view;
use leptos::prelude::*;
use std::sync::Arc;

/// Findings, most severe first.
#[component]
pub fn Findings(analysis: Arc<Analysis>) -> impl IntoView {
    let i18n = use_i18n();
    let mut findings: Vec<FindingView> = analysis.explanation.findings.clone();
    oomlens_core::base::sort::sort_by_key(&mut findings, |f| severity_rank(&f.severity));
    let findings = Arc::new(findings);
    let count = findings.len();
    let items = crate::widgets::batched::batched(
        count,
        40,
        Arc::new(move |i: usize| {
            let f: FindingView = findings[i].clone();
            let sev = severity_key(&f.severity);
            let f2 = f.clone();
            let f3 = f.clone();
            let has_advice = f.advice.is_some();
            let lines = f.lines.clone();
            let n_lines = lines.len();
            let a = analysis.clone();
            view! {
            <li class=format!("finding {}", f.severity) data-id=f.message.id>
                <span class="sev">{move || i18n.t(sev)}</span>
                <p class="msg">{move || pieces_view(finding_pieces(i18n.lang.get(), &f2), &i18n.t("unit.bytes"))}</p>
                {has_advice.then(|| view! {
                    <p class="todo"><strong>{move || i18n.t("inc.todo")}": "</strong>{move || pieces_view(advice_pieces(i18n.lang.get(), &f3), &i18n.t("unit.bytes"))}</p>
                })}
                {(!lines.is_empty()).then(|| view! {
                    <details class="evidence-box">
                        <summary>{move || i18n.tf("inc.evidence_n", &[("n", n_lines.to_string())])}</summary>
                        <Evidence analysis=a.clone() lines=lines.clone() tokens=vec![] key_lines=vec![]/>
                    </details>
                })}
            </li>
        }
        .into_any()
        }),
    );
    view! {
        <section class="findings card">
            <h3>{move || i18n.t("inc.findings.title")}</h3>
            <ul>{items}</ul>
        </section>
    }
}
