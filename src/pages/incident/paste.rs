//! The paste area: type or paste text (analysed as you paste, debounced while typing), drop or
//! open a file, or load a built-in sample. Large inputs (over [`INLINE_LIMIT`]) never enter the
//! text area or the app's memory: the clipboard string or the `File` goes straight to the worker.

use super::analysis::MAX_INPUT_BYTES;
use super::runner::{self, PageState, Status};
use super::samples::SAMPLES;
use super::text::bytes;
use crate::i18n::use_i18n;
use leptos::html::Textarea;
use leptos::prelude::*;
use std::time::Duration;

/// Pastes larger than this (UTF-16 units) are kept out of the text area.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub const INLINE_LIMIT: usize = 256 * 1024;
/// Typing pause before the analysis runs.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The paste area with its actions and progress line.
#[component]
pub fn PasteArea(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let area: NodeRef<Textarea> = NodeRef::new();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let dragging = RwSignal::new(false);
    // After an analysis the paste folds to a summary line so the verdicts are on the first
    // screen; a paste, file or sample (not typing) also moves focus to them.
    let collapsed = RwSignal::new(false);
    let focus_verdicts = StoredValue::new(false);
    Effect::new(move |_| {
        if matches!(state.status.get(), Status::Done) {
            collapsed.set(true);
            if focus_verdicts.get_value() {
                focus_verdicts.set_value(false);
                crate::widgets::dom::focus_id_soon("verdicts".into());
            }
        }
    });
    // The analyser starts once the paste area is on screen, not with the first paste.
    Effect::new(move |_| runner::warm_up());
    let tick = RwSignal::new(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if matches!(state.status.get_untracked(), Status::Analysing { .. }) {
                tick.update(|t| *t = t.wrapping_add(1));
            }
        },
        Duration::from_millis(100),
    ) {
        on_cleanup(move || handle.clear());
    }

    let cancel_pending = move || {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        pending.set_value(None);
    };
    let analyse_now = move |text: String| {
        cancel_pending();
        if text.trim().is_empty() {
            state.clear();
        } else {
            runner::submit_text(state, &text);
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        state.large_input.set(None);
        cancel_pending();
        if let Ok(h) = set_timeout_with_handle(move || analyse_now(text), DEBOUNCE) {
            pending.set_value(Some(h));
        }
    };

    #[cfg(target_arch = "wasm32")]
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        use wasm_bindgen::JsCast;
        let Some(dt) = ev.clipboard_data() else {
            return;
        };
        // getData without converting the string into wasm memory.
        let Ok(get) = js_sys::Reflect::get(&dt, &"getData".into()) else {
            return;
        };
        let Ok(get) = get.dyn_into::<js_sys::Function>() else {
            return;
        };
        let Ok(text) = get.call1(&dt, &"text/plain".into()) else {
            return;
        };
        let units = text
            .dyn_ref::<js_sys::JsString>()
            .map(|s| s.length() as usize)
            .unwrap_or(0);
        if units > INLINE_LIMIT {
            ev.prevent_default();
            focus_verdicts.set_value(true);
            cancel_pending();
            if let Some(a) = area.get_untracked() {
                a.set_value("");
            }
            state
                .large_input
                .set(Some((i18n.t("inc.paste.clipboard"), units)));
            runner::submit_js_text(state, text);
        } else if units > 0 {
            // Let the browser insert it, then analyse at once (no typing debounce).
            ev.prevent_default();
            focus_verdicts.set_value(true);
            if let Some(a) = area.get_untracked() {
                let _ = a.set_range_text(&text.as_string().unwrap_or_default());
                state.large_input.set(None);
                analyse_now(a.value());
            }
        }
    };
    #[cfg(not(target_arch = "wasm32"))]
    let on_paste = move |_ev: leptos::ev::ClipboardEvent| {};

    #[cfg(target_arch = "wasm32")]
    let take_file = move |file: web_sys::File| {
        cancel_pending();
        focus_verdicts.set_value(true);
        if let Some(a) = area.get_untracked() {
            a.set_value("");
        }
        state
            .large_input
            .set(Some((file.name(), file.size() as usize)));
        runner::submit_file(state, file);
    };
    #[cfg(target_arch = "wasm32")]
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            take_file(file);
        }
    };
    #[cfg(not(target_arch = "wasm32"))]
    let on_drop = move |_ev: leptos::ev::DragEvent| dragging.set(false);
    #[cfg(target_arch = "wasm32")]
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                take_file(file);
            }
            input.set_value("");
        }
    };
    #[cfg(not(target_arch = "wasm32"))]
    let on_file = move |_ev: leptos::ev::Event| {};

    let load_sample = move |text: &'static str| {
        state.large_input.set(None);
        focus_verdicts.set_value(true);
        if let Some(a) = area.get_untracked() {
            a.set_value(text);
        }
        analyse_now(text.to_string());
    };
    let clear = move |_| {
        cancel_pending();
        state.large_input.set(None);
        if let Some(a) = area.get_untracked() {
            a.set_value("");
        }
        state.clear();
    };
    let samples = SAMPLES
        .iter()
        .map(|s| {
            let text = s.text;
            let key = s.label_key;
            view! {
                <button type="button" class="sample" data-sample=s.id on:click=move |_| load_sample(text)>
                    {move || i18n.t(key)}
                </button>
            }
        })
        .collect_view();

    let status = move || {
        let lang = i18n.lang.get();
        match state.status.get() {
            Status::Idle => view! { <p class="status idle muted">{i18n.t("inc.status.idle")}</p> }.into_any(),
            Status::Analysing { bytes: b, started_ms } => {
                tick.track();
                let secs = ((runner::now_ms() - started_ms) / 1000.0).max(0.0);
                view! {
                    <p class="status busy" role="status" aria-live="polite">
                        <progress></progress>" "
                        {i18n.tf("inc.status.analysing", &[("size", bytes(lang, Some(b as i64))), ("secs", format!("{secs:.1}"))])}
                    </p>
                }
                .into_any()
            }
            Status::Done => {
                let (total, worker) = state.timing.get().unwrap_or((0.0, 0.0));
                let size = state.analysis.with(|a| a.as_ref().map(|a| a.bytes).unwrap_or(0));
                // The live region announces the verdicts, not the timing.
                let said = state
                    .analysis
                    .with(|a| a.as_ref().map(|a| super::verdicts::announcement(lang, a)))
                    .unwrap_or_default();
                view! {
                    <p class="status done muted" data-ms=format!("{total:.0}") data-worker-ms=format!("{worker:.0}")>
                        {i18n.tf("inc.status.done", &[
                            ("size", bytes(lang, Some(size as i64))),
                            ("ms", format!("{total:.0}")),
                            ("worker_ms", format!("{worker:.0}")),
                        ])}
                    </p>
                    <p class="visually-hidden" role="status" aria-live="polite" data-testid="verdict-announcement">{said}</p>
                }
                .into_any()
            }
            Status::TooLarge { bytes: b } => view! {
                <p class="status error" role="alert">
                    {i18n.tf("inc.status.too_large", &[
                        ("size", if b > 0 { bytes(lang, Some(b as i64)) } else { i18n.t("inc.status.over") }),
                        ("limit", bytes(lang, Some(MAX_INPUT_BYTES as i64))),
                    ])}
                </p>
            }
            .into_any(),
            Status::Failed(detail) => {
                let key = if detail == "worker_unavailable" { "inc.status.no_worker" } else { "inc.status.failed" };
                view! { <p class="status error" role="alert" title=detail>{i18n.t(key)}</p> }.into_any()
            }
        }
    };

    let summary = move || {
        let lang = i18n.lang.get();
        state.analysis.with(|a| {
            a.as_ref().map(|a| {
                i18n.tf(
                    "inc.paste.summary",
                    &[
                        ("size", bytes(lang, Some(a.bytes as i64))),
                        ("lines", a.line_count.to_string()),
                    ],
                )
            })
        })
    };
    let expand = move |_| {
        collapsed.set(false);
        crate::widgets::dom::focus_id_soon("incident-input".into());
    };
    view! {
        <section class="paste card" class:dragging=move || dragging.get() class:collapsed=move || collapsed.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for="incident-input" class="paste-label">{move || i18n.t("inc.paste.label")}</label>
            <p class="paste-summary" data-testid="paste-summary">
                <span>{summary}</span>" "
                <button type="button" data-testid="paste-edit" on:click=expand>{move || i18n.t("inc.paste.edit")}</button>
            </p>
            {move || state.large_input.get().map(|(name, size)| view! {
                <p class="large-input" role="note">
                    {i18n.tf("inc.paste.large", &[("name", name.clone()), ("size", bytes(i18n.lang.get(), Some(size as i64)))])}
                </p>
            })}
            <textarea
                id="incident-input"
                node_ref=area
                spellcheck="false"
                autocomplete="off"
                wrap="off"
                rows="12"
                placeholder=move || i18n.t("inc.paste.placeholder")
                on:input=on_input
                on:paste=on_paste
            ></textarea>
            <div class="paste-actions">
                <label class="button file">
                    {move || i18n.t("inc.paste.open")}
                    <input type="file" class="visually-hidden" accept=".txt,.log,.yaml,.yml,.json,text/*" on:change=on_file/>
                </label>
                <button type="button" on:click=move |ev| { collapsed.set(false); clear(ev) }>{move || i18n.t("inc.paste.clear")}</button>
                <span class="samples-label muted">{move || i18n.t("inc.samples")}</span>
                {samples}
            </div>
            <p class="muted small">{move || i18n.tf("inc.paste.privacy", &[("limit", bytes(i18n.lang.get(), Some(MAX_INPUT_BYTES as i64)))])}</p>
            {status}
        </section>
    }
}
