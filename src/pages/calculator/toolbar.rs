//! The toolbar: load a named example, make a share link, export or import the scenario file, reset;
//! plus where the first scenario comes from (share link → local storage → built-in default) and the
//! debounced persistence of every change.

use super::examples::{default_scenario, parse_example, EXAMPLES};
use super::share;
use super::state::{use_calc, CalcState};
use crate::bridge::ReadError;
use leptos::prelude::*;
use oomlens_core::Scenario;

/// The first scenario of a visit and an optional status message about where it came from.
pub struct Initial {
    /// The scenario.
    pub scenario: Scenario,
    /// A status (i18n key, detail) to show, e.g. a broken share link.
    pub status: Option<(&'static str, String)>,
    /// Whether to save the scenario (storage, and the `?s=` link) as it changes: not in a visit
    /// whose share link or stored scenario may be good but could not be read because the YAML
    /// reader did not load, so that neither is overwritten (the status says changes are not saved
    /// until a reload reads it).
    pub persist: bool,
}

std::thread_local! {
    /// The texts a visit starts from (the share link, the stored scenario), as read before the
    /// first render: YAML ones (written before the app wrote JSON) by the second module.
    static STARTUP_READS: std::cell::RefCell<Vec<(String, Result<Scenario, ReadError>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads a text a visit starts from: as [`read_startup`] read it, or else JSON here (YAML it did
/// not read counts as unreadable for now).
fn startup_read(text: &str) -> Result<Scenario, ReadError> {
    let read = STARTUP_READS.with(|c| {
        c.borrow()
            .iter()
            .find(|(t, _)| t == text)
            .map(|(_, r)| r.clone())
    });
    read.unwrap_or_else(|| {
        if oomlens_core::scenario::is_json(text) {
            oomlens_core::scenario::parse_scenario_json(text).map_err(ReadError::Invalid)
        } else {
            Err(ReadError::ReaderUnavailable(
                "not read before the first render".into(),
            ))
        }
    })
}

std::thread_local! {
    /// The share link's text, decompressed before the first render (`Ok(None)`: no link).
    static STARTUP_LINK: std::cell::RefCell<Result<Option<String>, share::ShareError>> =
        const { std::cell::RefCell::new(Ok(None)) };
}

/// The share link's text, as [`read_startup`] decompressed it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn startup_link() -> Result<Option<String>, share::ShareError> {
    STARTUP_LINK.with(|c| c.borrow().clone())
}

/// Whether the first render must wait for [`read_startup`]: the address holds a share link (the
/// browser decompresses it), or the stored scenario is YAML (only the second module reads it).
pub fn needs_startup_read() -> bool {
    #[cfg(target_arch = "wasm32")]
    return share::scenario_param(&share::browser::current_fragment()).is_some()
        || share::browser::load().is_some_and(|t| !oomlens_core::scenario::is_json(&t));
    #[cfg(not(target_arch = "wasm32"))]
    false
}

/// Decompresses the share link, then reads the YAML a visit starts from (an older share link or
/// stored scenario) in the second module. The first render waits for this, so no default number
/// is shown in place of the user's scenario.
pub async fn read_startup() {
    #[cfg(target_arch = "wasm32")]
    {
        let fragment = share::browser::current_fragment();
        if let Some(data) = share::scenario_param(&fragment) {
            let text = share::browser::decode_text(data).await.map(Some);
            STARTUP_LINK.with(|c| *c.borrow_mut() = text);
        }
        // The link first; the stored scenario only when the link gives none (it would be unused).
        if let Ok(Some(text)) = startup_link() {
            if read_at_startup(text).await {
                return;
            }
        }
        if let Some(text) = share::browser::load() {
            read_at_startup(text).await;
        }
    }
}

/// How long the first render waits for the second module to read a YAML scenario before it shows
/// what it has (with the "not read, kept" status); the module keeps loading.
#[cfg(target_arch = "wasm32")]
const STARTUP_READER_WAIT_MS: u32 = 10_000;

/// Reads `text` for [`startup_read`]; whether it gives a scenario.
#[cfg(target_arch = "wasm32")]
async fn read_at_startup(text: String) -> bool {
    let read = crate::bridge::read_scenario_within(&text, STARTUP_READER_WAIT_MS).await;
    let ok = read.is_ok();
    STARTUP_READS.with(|c| c.borrow_mut().push((text, read)));
    ok
}

/// Share link in the address bar → the last scenario in local storage → the built-in default.
pub fn initial_scenario() -> Initial {
    #[cfg(target_arch = "wasm32")]
    {
        let mut status = None;
        let mut persist = true;
        let fragment = share::browser::current_fragment();
        match startup_link() {
            Ok(Some(text)) => match startup_read(&text) {
                Ok(s) => {
                    let status = if !share::is_from_incident(&fragment) {
                        ("status.link_loaded", String::new())
                    } else if s.kubelet_version.is_none() {
                        // The paste did not name the release: say which rules apply and where to
                        // change them, rather than silently using the newest.
                        (
                            "status.incident_loaded_no_version",
                            oomlens_core::kubelet::rules::KubeletVersion::NEWEST.to_string(),
                        )
                    } else {
                        (
                            "status.incident_loaded",
                            s.kubelet_version.clone().unwrap_or_default(),
                        )
                    };
                    return Initial {
                        scenario: s,
                        status: Some(status),
                        persist,
                    };
                }
                Err(ReadError::ReaderUnavailable(reason)) => {
                    // The link may be good: keep it (and the stored scenario) untouched.
                    persist = false;
                    status = Some(("status.link_yaml_unavailable", reason));
                }
                Err(ReadError::Invalid(e)) => status = Some(("status.link_bad", e.to_string())),
            },
            Ok(None) => {}
            Err(e) => status = Some(("status.link_bad", e.to_string())),
        }
        if let Some(text) = share::browser::load() {
            match startup_read(&text) {
                Ok(s) => {
                    return Initial {
                        scenario: s,
                        status,
                        persist,
                    }
                }
                Err(ReadError::ReaderUnavailable(reason)) => {
                    persist = false;
                    status = status.or(Some(("status.stored_yaml_unavailable", reason)));
                }
                Err(ReadError::Invalid(_)) => {}
            }
        }
        Initial {
            scenario: default_scenario(),
            status,
            persist,
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = startup_read;
        Initial {
            scenario: default_scenario(),
            status: None,
            persist: true,
        }
    }
}

/// Saves every committed change to local storage (debounced), keeps a share link in the address bar
/// current, and follows the page's light/dark theme for the charts.
pub fn persist_and_watch_theme(st: CalcState, persist: bool) {
    #[cfg(target_arch = "wasm32")]
    {
        use std::time::Duration;
        Effect::new(move |_| {
            let g = st.generation.get();
            set_timeout(
                move || {
                    if st.generation.get_untracked() != g {
                        return;
                    }
                    let text = st.scenario.with_untracked(share::scenario_text);
                    if persist {
                        share::browser::save(&text);
                    }
                    // The link's data for this generation, ready for the Share button.
                    leptos::task::spawn_local(async move {
                        let Ok(data) = share::browser::encode_text(&text).await else {
                            return;
                        };
                        if st.generation.get_untracked() != g {
                            return;
                        }
                        if persist
                            && share::scenario_param(&share::browser::current_fragment()).is_some()
                        {
                            replace_fragment(&share::fragment_with_data(&data));
                        }
                        LATEST_LINK.with(|c| *c.borrow_mut() = Some((g, data)));
                    });
                },
                Duration::from_millis(400),
            );
        });
        st.dark.set(crate::widgets::theme::page_is_dark());
        watch_theme(st);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (st, persist);
}

std::thread_local! {
    /// The share link's data of the scenario at a generation, made after each change settles: the
    /// Share button uses it at once when it is current (browsers that want the clipboard written
    /// within the click), and makes the link otherwise.
    static LATEST_LINK: std::cell::RefCell<Option<(u64, String)>> = const { std::cell::RefCell::new(None) };
}

#[cfg(target_arch = "wasm32")]
fn replace_fragment(frag: &str) {
    if let Some(w) = web_sys::window() {
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(frag));
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn watch_theme(st: CalcState) {
    crate::widgets::dom::watch_root_attributes(
        move || {
            let dark = crate::widgets::theme::page_is_dark();
            if st.dark.get_untracked() != dark {
                st.dark.set(dark);
            }
        },
        true,
    );
}

/// The toolbar component.
#[component]
pub fn Toolbar() -> impl IntoView {
    let st = use_calc();
    let i18n = super::Lt::new();
    let link = RwSignal::new(String::new());
    // Examples other than the default come from the second module; the last one picked wins.
    let picks = RwSignal::new(0u64);
    let on_example = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let Some(ex) = EXAMPLES.iter().find(|e| e.id == id).copied() else {
            return;
        };
        picks.update(|n| *n += 1);
        let pick = picks.get_untracked();
        // Anything done while it loads (an edit, an import, a reset) wins over the example.
        let at = st.generation.get_untracked();
        leptos::task::spawn_local(async move {
            let text = crate::bridge::example_text(ex.id).await;
            if picks.get_untracked() != pick || st.generation.get_untracked() != at {
                return;
            }
            match text.map(|t| parse_example(&t)) {
                Ok(Some(s)) => {
                    st.load(s);
                    st.status
                        .set(Some(("status.example_loaded", i18n.t(ex.title_key))));
                }
                Ok(None) => st.status.set(Some(("status.example_bad", ex.id.into()))),
                Err(reason) => st.status.set(Some(("status.example_bad", reason))),
            }
        });
    };
    let on_share = move |_| {
        #[cfg(target_arch = "wasm32")]
        {
            let publish = move |l: String| {
                link.set(l.clone());
                if let Some(frag) = l.find('#').and_then(|i| l.get(i..)) {
                    replace_fragment(frag);
                }
                let Some(w) = web_sys::window() else {
                    return;
                };
                // The status follows the clipboard's answer (a browser may refuse a write that is
                // not within the click, or without permission); the link is shown either way.
                let promise = w.navigator().clipboard().write_text(&l);
                leptos::task::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(promise).await {
                        Ok(_) => st.status.set(Some(("status.link_copied", String::new()))),
                        Err(e) => {
                            let reason = crate::bridge::client::error_message(&e, "");
                            st.status.set(Some(("status.link_not_copied", reason)));
                        }
                    }
                });
            };
            let g = st.generation.get_untracked();
            let cached = LATEST_LINK
                .with(|c| c.borrow().clone())
                .filter(|(at, _)| *at == g);
            match cached {
                Some((_, data)) => publish(share::link_with_data(&data)),
                None => leptos::task::spawn_local(async move {
                    let scenario = st.scenario.get_untracked();
                    match share::browser::calculator_link(&scenario).await {
                        Ok(l) => publish(l),
                        Err(e) => st.status.set(Some(("status.share_failed", e))),
                    }
                }),
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            link.set(st.scenario.with_untracked(share::calculator_link));
            st.status.set(Some(("status.link_copied", String::new())));
        }
    };
    let on_export = move |_| {
        let _text = st
            .scenario
            .with_untracked(oomlens_core::scenario::scenario_to_yaml);
        #[cfg(target_arch = "wasm32")]
        crate::widgets::export::download_text(&_text, "application/yaml", "oomlens-scenario.yaml");
    };
    let on_import = move |ev: leptos::ev::Event| {
        #[cfg(target_arch = "wasm32")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let at = st.generation.get_untracked();
            leptos::task::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                let read = crate::bridge::read_scenario(&text).await;
                if st.generation.get_untracked() != at {
                    return; // changed meanwhile: what the user did since wins
                }
                match read {
                    Ok(s) => {
                        st.load(s);
                        st.status.set(Some(("status.imported", file.name())));
                    }
                    Err(e) => st.status.set(Some(("status.import_bad", e.to_string()))),
                }
            });
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = ev;
    };
    let on_reset = move |_| {
        st.load(default_scenario());
        st.status.set(Some(("status.reset", String::new())));
    };
    view! {
        <div class="calc-toolbar" role="toolbar" aria-label=move || i18n.t("toolbar.label")>
            <label class="inline">
                <span>{move || i18n.t("toolbar.examples")}</span>
                <select data-testid="examples" on:change=on_example>
                    <option value="">{move || i18n.t("toolbar.choose")}</option>
                    {EXAMPLES
                        .iter()
                        .map(|ex| {
                            let key = ex.title_key;
                            view! { <option value=ex.id>{move || i18n.t(key)}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <button type="button" data-testid="share" on:click=on_share>{move || i18n.t("toolbar.share")}</button>
            <button type="button" data-testid="export-scenario" on:click=on_export>{move || i18n.t("toolbar.export")}</button>
            <label class="file-button">
                <span>{move || i18n.t("toolbar.import")}</span>
                <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml" data-testid="import" on:change=on_import/>
            </label>
            <button type="button" on:click=on_reset>{move || i18n.t("toolbar.reset")}</button>
            <Show when=move || !link.with(String::is_empty)>
                <label class="share-out">
                    <span>{move || i18n.t("toolbar.link")}</span>
                    <input type="text" readonly data-testid="share-link" prop:value=move || link.get() on:focus=|ev| {
                        #[cfg(target_arch = "wasm32")]
                        {
                            use wasm_bindgen::JsCast;
                            if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                i.select();
                            }
                        }
                        #[cfg(not(target_arch = "wasm32"))]
                        let _ = ev;
                    }/>
                </label>
            </Show>
            <p class="status" role="status" aria-live="polite" data-testid="status">
                {move || st.status.get().map(|(k, d)| i18n.tf(k, &[("detail", d)])).unwrap_or_default()}
            </p>
        </div>
    }
}
