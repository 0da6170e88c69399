//! Moving the user's attention: focus an element by its id and bring it into view (the error
//! summary's links, the pod just added, the incident verdict). Outside the browser (native unit
//! tests) these do nothing.

/// Focuses the element with DOM id `id` and scrolls it into view; false when there is none.
pub fn focus_id(id: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        use leptos::wasm_bindgen::JsCast;
        let Some(el) = leptos::prelude::document().get_element_by_id(id) else {
            return false;
        };
        // Scroll only when the element's top is off screen (a tall section whose top is in
        // view stays where it is).
        let height = leptos::prelude::window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        let top = el.get_bounding_client_rect().top();
        let in_view = top >= 0.0 && top < height;
        if !in_view {
            el.scroll_into_view_with_bool(true);
        }
        if let Ok(h) = el.dyn_into::<leptos::web_sys::HtmlElement>() {
            let options = leptos::web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = h.focus_with_options(&options);
        }
        true
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = id;
        false
    }
}

/// [`focus_id`] after the next render (for an element the current update creates).
pub fn focus_id_soon(id: String) {
    #[cfg(target_arch = "wasm32")]
    leptos::prelude::request_animation_frame(move || {
        focus_id(&id);
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// An attribute of the build marker `<meta name="oomlens-wasm">` that trunk and
/// `scripts/postbuild.mjs` write into index.html: the site's base URL (`data-base`) and the
/// hashed URLs of the build's files (`data-js`, `data-wasm`, `data-incident-js`,
/// `data-incident-wasm`, `data-incident-css`, `data-worker`, `data-zh`), already prefixed with
/// the base; `public/boot.js` lists them all.
#[cfg(target_arch = "wasm32")]
pub fn build_marker(attr: &str) -> Option<String> {
    leptos::prelude::document()
        .query_selector("meta[name=\"oomlens-wasm\"]")
        .ok()??
        .get_attribute(attr)
        .filter(|v| !v.is_empty())
}

/// Calls `on_change` whenever an attribute of `<html>` changes (the shell writes `lang` and
/// `data-theme` there, which is how the incident module follows the shell's switches) and, when
/// `with_scheme` is set, when the system colour scheme changes. Lives as long as the page.
#[cfg(target_arch = "wasm32")]
pub fn watch_root_attributes(on_change: impl FnMut() + 'static, with_scheme: bool) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(w) = web_sys::window() else { return };
    let cb = Closure::<dyn FnMut()>::new(on_change);
    if let Some(root) = w.document().and_then(|d| d.document_element()) {
        if let Ok(obs) = web_sys::MutationObserver::new(cb.as_ref().unchecked_ref()) {
            let init = web_sys::MutationObserverInit::new();
            init.set_attributes(true);
            let _ = obs.observe_with_options(&root, &init);
        }
    }
    if with_scheme {
        if let Ok(Some(mq)) = w.match_media("(prefers-color-scheme: dark)") {
            let _ = mq.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
        }
    }
    cb.forget();
}
