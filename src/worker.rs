//! The incident page's background analyser: the SAME wasm module as the page, started in a module
//! web worker (`public/worker.js`), runs the core's `explain` off the main thread so a 50 MB paste
//! never freezes the page. One module for page and worker means the core, std and the
//! allocator are downloaded once (the page and the worker share the browser's compiled-module cache).
//!
//! Protocol (structured-clone messages):
//! - worker → page `{ready: true}` once loaded;
//! - page → worker `{id, text}` (a string) or `{id, file}` (a `File`, read here with `FileReaderSync`);
//! - worker → page `{id, bin, ms}` (the [`Analysis`](crate::pages::incident::analysis::Analysis) in
//!   the positional encoding of [`wire`](crate::pages::incident::wire), a `Uint8Array`; worker time
//!   in ms) or `{id, error}`.

/// True when this instance runs in a worker (no `window`): `main` then starts [`start`] instead of
/// mounting the app.
#[cfg(target_arch = "wasm32")]
pub fn in_worker() -> bool {
    web_sys::window().is_none()
}

#[cfg(target_arch = "wasm32")]
pub use web::start;

#[cfg(target_arch = "wasm32")]
mod web {
    use crate::pages::incident::analysis;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

    fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
        let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
    }

    fn read_text(data: &JsValue) -> Result<String, String> {
        let text =
            js_sys::Reflect::get(data, &JsValue::from_str("text")).unwrap_or(JsValue::UNDEFINED);
        if let Some(s) = text.as_string() {
            return Ok(s);
        }
        let file =
            js_sys::Reflect::get(data, &JsValue::from_str("file")).unwrap_or(JsValue::UNDEFINED);
        let blob: Blob = file
            .dyn_into()
            .map_err(|_| "message carries no text and no file".to_string())?;
        if blob.size() > analysis::MAX_INPUT_BYTES as f64 {
            return Err(format!("input of {} bytes is over the limit", blob.size()));
        }
        let reader = FileReaderSync::new().map_err(|_| "FileReaderSync unavailable".to_string())?;
        // The bytes, decoded here: one copy into the module instead of a JS string built and
        // encoded again (what `readAsText` costs on a 50 MB file: docs/performance.md). Decoded
        // as `readAsText` does: UTF-8, a leading byte-order mark dropped, invalid bytes replaced.
        let buf = reader
            .read_as_array_buffer(&blob)
            .map_err(|_| "the file could not be read".to_string())?;
        let mut bytes = js_sys::Uint8Array::new(&buf).to_vec();
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            bytes.drain(..3);
        }
        Ok(String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Installs the worker's message handler and announces readiness to the page.
    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let reply_scope = scope.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            let id = js_sys::Reflect::get(&data, &JsValue::from_str("id")).unwrap_or(JsValue::NULL);
            let out = js_sys::Object::new();
            set(&out, "id", &id);
            let started = js_sys::Date::now();
            match read_text(&data) {
                Ok(text) if text.len() > analysis::MAX_INPUT_BYTES => {
                    set(&out, "error", &JsValue::from_str("too_large"));
                }
                Ok(text) => {
                    let result = analysis::analyze(&text);
                    drop(text);
                    let bytes = crate::pages::incident::wire::encode(&result);
                    drop(result);
                    set(&out, "bin", &js_sys::Uint8Array::from(&bytes[..]));
                }
                Err(e) => set(&out, "error", &JsValue::from_str(&e)),
            }
            set(
                &out,
                "ms",
                &JsValue::from_f64(js_sys::Date::now() - started),
            );
            let _ = reply_scope.post_message(&out);
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let ready = js_sys::Object::new();
        set(&ready, "ready", &JsValue::TRUE);
        let _ = scope.post_message(&ready);
    }
}
