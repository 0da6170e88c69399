//! The calculator's side of the calls into the second module. `public/boot.js` starts the module
//! on idle after the first paint (or when [`load`] asks) and exposes its exports as
//! `globalThis.oomlensDeferred`; a call is then synchronous.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

/// The message of a JavaScript error (its `message`, or the value itself when it is a string).
#[cfg(target_arch = "wasm32")]
pub fn error_message(e: &wasm_bindgen::JsValue, otherwise: &str) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| otherwise.to_string())
}

#[cfg(target_arch = "wasm32")]
fn exports() -> Option<wasm_bindgen::JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &"oomlensDeferred".into())
        .ok()
        .filter(|v| v.is_object())
}

/// Whether the module has started.
pub fn started() -> bool {
    #[cfg(target_arch = "wasm32")]
    return exports().is_some();
    #[cfg(not(target_arch = "wasm32"))]
    false
}

/// Calls the module's export `name` with `arg`: its reply, or the error it threw (or that it has
/// not started).
pub fn call(name: &str, arg: &str) -> Result<String, String> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let module = exports().ok_or("the module has not started")?;
        let f: js_sys::Function = js_sys::Reflect::get(&module, &name.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| format!("the module has no {name}"))?;
        f.call1(&module, &arg.into())
            .map(|v| v.as_string().unwrap_or_default())
            .map_err(|e| error_message(&e, "unknown error"))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (name, arg);
        Err("the module has not started".into())
    }
}

/// Starts the module if needed and waits for it, giving up after `ms` milliseconds (0: no limit;
/// the module keeps loading).
pub async fn load_within(ms: u32) -> Result<(), String> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if started() {
            return Ok(());
        }
        let f: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &"oomlensLoadDeferred".into())
                .ok()
                .and_then(|f| f.dyn_into().ok())
                .ok_or("the page has no module loader")?;
        let promise: js_sys::Promise = f
            .call1(&wasm_bindgen::JsValue::NULL, &ms.into())
            .ok()
            .and_then(|p| p.dyn_into().ok())
            .ok_or("the module loader failed")?;
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|_| ())
            .map_err(|e| error_message(&e, "the module did not load"))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = ms;
        Err("the module has not started".into())
    }
}

/// Starts the module if needed, then calls its export `name` with `arg`.
pub async fn call_when_loaded(name: &str, arg: &str) -> Result<String, String> {
    call_when_loaded_within(name, arg, 0).await
}

/// [`call_when_loaded`], giving up on the module after `ms` milliseconds (0: no limit).
pub async fn call_when_loaded_within(name: &str, arg: &str, ms: u32) -> Result<String, String> {
    load_within(ms).await?;
    call(name, arg)
}
