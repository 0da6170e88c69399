//! The "copy report" bar: Markdown of the analysis to the clipboard, optionally redacted, with a
//! preview to select by hand when the clipboard is not available.

use super::analysis::Analysis;
use super::report::markdown;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::sync::Arc;

/// Clipboard outcome shown beside the button.
#[derive(Clone, Copy, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
enum Copied {
    Not,
    Yes,
    Failed,
}

/// Copy-report controls.
#[component]
pub fn CopyReport(analysis: Arc<Analysis>) -> impl IntoView {
    let i18n = use_i18n();
    let redact = RwSignal::new(false);
    let copied = RwSignal::new(Copied::Not);
    let a = analysis.clone();
    let md = Memo::new(move |_| markdown(&a, i18n.lang.get(), redact.get()));
    // The report is written when it is shown or copied, not with the page: for a 50 MB journal it
    // is thousands of lines, and writing it held the first render (docs/performance.md).
    let preview_open = RwSignal::new(false);
    let copy = move |_| {
        let text = md.get_untracked();
        copy_to_clipboard(text, copied);
    };
    view! {
        <section class="report card">
            <h3>{move || i18n.t("inc.report.heading")}</h3>
            <div class="report-actions">
                <label>
                    <input type="checkbox" id="incident-redact" on:change=move |ev| redact.set(event_target_checked(&ev))/>
                    " " {move || i18n.t("inc.report.redact")}
                </label>
                <button type="button" id="incident-copy" class="primary" on:click=copy>{move || i18n.t("inc.report.copy")}</button>
                <span class="copied" role="status">{move || match copied.get() {
                    Copied::Not => String::new(),
                    Copied::Yes => i18n.t("inc.report.copied"),
                    Copied::Failed => i18n.t("inc.report.copy_failed"),
                }}</span>
            </div>
            <details on:toggle=move |ev| {
                let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                preview_open.set(open);
            }>
                <summary>{move || i18n.t("inc.report.preview")}</summary>
                <textarea class="report-preview" readonly=true rows="14" prop:value=move || if preview_open.get() { md.get() } else { String::new() }></textarea>
            </details>
        </section>
    }
}

#[cfg(target_arch = "wasm32")]
fn copy_to_clipboard(text: String, copied: RwSignal<Copied>) {
    let Some(window) = web_sys::window() else {
        copied.set(Copied::Failed);
        return;
    };
    let promise = window.navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        copied.set(if ok { Copied::Yes } else { Copied::Failed });
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn copy_to_clipboard(_text: String, copied: RwSignal<Copied>) {
    copied.set(Copied::Failed);
}
