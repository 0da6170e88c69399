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
