//! The second module. In the page it does nothing until `public/boot.js` calls an export: it
//! mounts the incident page or training mode into the shell's placeholders ([`mount_incident`],
//! [`mount_learn`]), reads YAML for the
//! calculator and gives it the examples ([`scenario_from_text`], [`pods_from_text`],
//! [`example_text`]; see `oomlens_web::bridge`). In the incident page's web worker (no `window`)
//! it runs the analyser (see `src/lib.rs`).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;

fn main() {
    #[cfg(target_arch = "wasm32")]
    if oomlens_web::worker::in_worker() {
        oomlens_web::worker::start();
    }
}

/// Mounts the incident page (once; `boot.js` calls it when the page is first shown).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn mount_incident() {
    oomlens_web::pages::incident::mount();
}

/// Mounts training mode (once; `boot.js` calls it when `#/learn` is first shown).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn mount_learn() {
    oomlens_web::pages::learn::mount();
}

/// A scenario read from YAML or JSON, as `oomlens_web::bridge::ScenarioReply` JSON.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn scenario_from_text(text: &str) -> String {
    oomlens_web::bridge::service::scenario_from_text(text)
}

/// Pasted pods read from YAML or JSON, as `oomlens_web::bridge::PodsReply` JSON.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn pods_from_text(text: &str) -> String {
    oomlens_web::bridge::service::pods_from_text(text)
}

/// The JSON text of example `id` (the calculator carries only the default's); throws for an
/// unknown id.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn example_text(id: &str) -> Result<String, JsError> {
    oomlens_web::pages::calculator::examples::example_text(id)
        .map(str::to_string)
        .ok_or_else(|| JsError::new(&format!("no example {id}")))
}
