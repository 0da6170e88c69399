//! The app's pages, organised by what the user does.

pub mod calculator;
pub mod incident;
pub mod learn;

/// Mounts a page of the second module into the shell's placeholder `#<slug>-root` (once; `boot.js`
/// calls the module's `mount_<slug>` when the page is first shown), following the shell's
/// language through `<html lang>`, and removes the placeholder's `#<slug>-loading` notice.
#[cfg(target_arch = "wasm32")]
pub fn mount_later_page<V: leptos::prelude::IntoView + 'static>(
    slug: &str,
    page: impl FnOnce() -> V + 'static,
) {
    use crate::i18n::{self, Lang};
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    let Some(root) = document().get_element_by_id(&format!("{slug}-root")) else {
        return;
    };
    let root_lang = || {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .map(|tag| Lang::from_tag(&tag))
            .unwrap_or(Lang::En)
    };
    leptos::mount::mount_to(root.unchecked_into(), move || {
        let i18n = i18n::provide_i18n(root_lang());
        crate::widgets::dom::watch_root_attributes(
            move || {
                let lang = root_lang();
                if i18n.lang.get_untracked() != lang {
                    i18n.lang.set(lang);
                }
            },
            false,
        );
        page()
    })
    .forget();
    if let Some(notice) = document().get_element_by_id(&format!("{slug}-loading")) {
        notice.remove();
    }
}
