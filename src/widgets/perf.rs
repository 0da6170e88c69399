//! Performance marks for the browser benchmark (`scripts/bench-browser.mjs`): [`span`] runs a closure
//! and, when the page was opened with `window.oomlensPerf = true` set before the app started, records
//! a `performance.measure(name)` around it. Otherwise (normal use, native tests) it only runs the
//! closure, so the timeline never fills up with entries.

/// Runs `f`, measured as `name` when benchmarking.
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_variables))]
pub fn span<T>(name: &str, f: impl FnOnce() -> T) -> T {
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(perf) = enabled() {
            let start = format!("{name}:s");
            let _ = perf.mark(&start);
            let out = f();
            let _ = perf.measure_with_start_mark(name, &start);
            return out;
        }
    }
    f()
}

#[cfg(target_arch = "wasm32")]
fn enabled() -> Option<web_sys::Performance> {
    use std::cell::OnceCell;
    thread_local! {
        static ON: OnceCell<bool> = const { OnceCell::new() };
    }
    let window = web_sys::window()?;
    let on = ON.with(|c| {
        *c.get_or_init(|| {
            js_sys::Reflect::get(&window, &"oomlensPerf".into())
                .map(|v| v.is_truthy())
                .unwrap_or(false)
        })
    });
    if on {
        window.performance()
    } else {
        None
    }
}

/// Milliseconds from `performance.now()` (0 natively, where nothing is timed).
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or(0.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}
