//! Runs the analysis off the main thread: posts the paste (a JS string, never copied into the
//! app's memory) or the dropped `File` to the web worker (`public/worker.js` running this same wasm
//! module, see `src/worker.rs`), and publishes the result into the page's signals. Stale results (an
//! older paste) are dropped. There is no main-thread fallback on purpose: a 50 MB paste would freeze
//! the page; when the worker cannot start the page says so.

use super::analysis::{self, Analysis};
use leptos::prelude::*;
use std::sync::Arc;

/// Where the current paste is in its journey.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Nothing pasted yet.
    Idle,
    /// Being analysed (bytes, start time in ms from `performance.now()`).
    Analysing { bytes: usize, started_ms: f64 },
    /// Finished.
    Done,
    /// Over [`analysis::MAX_INPUT_BYTES`].
    TooLarge { bytes: usize },
    /// The analysis failed (English detail for the log; the page shows a localised sentence).
    Failed(String),
}

/// The page's state shared by its components (all `Copy` handles).
#[derive(Clone, Copy)]
pub struct PageState {
    /// Journey of the current paste.
    pub status: RwSignal<Status>,
    /// The last finished analysis.
    pub analysis: RwSignal<Option<Arc<Analysis>>>,
    /// Paste-to-result time of the last analysis (ms) and the worker's own time (ms).
    pub timing: RwSignal<Option<(f64, f64)>>,
    /// A large input kept out of the text area: its name (file name or "clipboard") and size.
    pub large_input: RwSignal<Option<(String, usize)>>,
    /// Sequence number of the newest submission.
    pub seq: RwSignal<u64>,
}

impl PageState {
    /// Fresh state.
    pub fn new() -> Self {
        PageState {
            status: RwSignal::new(Status::Idle),
            analysis: RwSignal::new(None),
            timing: RwSignal::new(None),
            large_input: RwSignal::new(None),
            seq: RwSignal::new(0),
        }
    }

    /// Clears the result (empty paste).
    pub fn clear(&self) {
        self.seq.update(|s| *s = s.wrapping_add(1));
        self.status.set(Status::Idle);
        self.analysis.set(None);
        self.timing.set(None);
    }

    fn finish(&self, id: u64, result: Result<Analysis, String>, worker_ms: f64) {
        if self.seq.get_untracked() != id {
            return;
        }
        let started = match self.status.get_untracked() {
            Status::Analysing { started_ms, .. } => started_ms,
            _ => now_ms(),
        };
        match result {
            Ok(a) => {
                self.timing.set(Some((now_ms() - started, worker_ms)));
                self.analysis.set(Some(Arc::new(a)));
                self.status.set(Status::Done);
            }
            Err(e) if e == "too_large" => self.status.set(Status::TooLarge { bytes: 0 }),
            Err(e) => self.status.set(Status::Failed(e)),
        }
    }

    fn begin(&self, bytes: usize) -> Option<u64> {
        self.seq.update(|s| *s = s.wrapping_add(1));
        if bytes > analysis::MAX_INPUT_BYTES {
            self.status.set(Status::TooLarge { bytes });
            self.analysis.set(None);
            return None;
        }
        self.status.set(Status::Analysing {
            bytes,
            started_ms: now_ms(),
        });
        Some(self.seq.get_untracked())
    }
}

impl Default for PageState {
    fn default() -> Self {
        Self::new()
    }
}

pub use crate::widgets::perf::now_ms;

#[cfg(target_arch = "wasm32")]
pub use web::{submit_file, submit_js_text, submit_text, warm_up};

/// Starts the analyser (native builds have none).
#[cfg(not(target_arch = "wasm32"))]
pub fn warm_up() {}

#[cfg(not(target_arch = "wasm32"))]
/// Analyses `text` synchronously (native builds have no worker).
pub fn submit_text(state: PageState, text: &str) {
    if let Some(id) = state.begin(text.len()) {
        state.finish(id, Ok(analysis::analyze(text)), 0.0);
    }
}

#[cfg(target_arch = "wasm32")]
mod web {
    use super::*;
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{File, MessageEvent, Worker, WorkerOptions, WorkerType};

    enum WorkerSlot {
        NotStarted,
        Starting(Worker, Vec<js_sys::Object>),
        Ready(Worker),
        Broken,
    }

    thread_local! {
        static WORKER: RefCell<WorkerSlot> = const { RefCell::new(WorkerSlot::NotStarted) };
        static STATE: RefCell<Option<PageState>> = const { RefCell::new(None) };
    }

    fn get(obj: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn on_message(ev: MessageEvent) {
        let data = ev.data();
        if get(&data, "ready").is_truthy() {
            WORKER.with(|w| {
                let slot = std::mem::replace(&mut *w.borrow_mut(), WorkerSlot::Broken);
                *w.borrow_mut() = match slot {
                    WorkerSlot::Starting(worker, queue) => {
                        for msg in queue {
                            let _ = worker.post_message(&msg);
                        }
                        WorkerSlot::Ready(worker)
                    }
                    other => other,
                };
            });
            return;
        }
        let Some(state) = STATE.with(|s| *s.borrow()) else {
            return;
        };
        let id = get(&data, "id").as_f64().unwrap_or(-1.0) as u64;
        let ms = get(&data, "ms").as_f64().unwrap_or(0.0);
        let result = match get(&data, "bin").dyn_into::<js_sys::Uint8Array>() {
            Ok(bin) => crate::pages::incident::wire::decode(&bin.to_vec())
                .ok_or_else(|| "the worker's result could not be read".to_string()),
            Err(_) => Err(get(&data, "error")
                .as_string()
                .unwrap_or_else(|| "no result".into())),
        };
        state.finish(id, result, ms);
    }

    fn on_error() {
        // Start afresh on the next paste (a worker that crashed on one input is not reused).
        let old = WORKER.with(|w| std::mem::replace(&mut *w.borrow_mut(), WorkerSlot::NotStarted));
        let Some(state) = STATE.with(|s| *s.borrow()) else {
            return;
        };
        match old {
            WorkerSlot::Starting(_, q) if !q.is_empty() => state.finish(
                state.seq.get_untracked(),
                Err("worker_unavailable".into()),
                0.0,
            ),
            WorkerSlot::Ready(w) => {
                w.terminate();
                if matches!(state.status.get_untracked(), Status::Analysing { .. }) {
                    state.finish(state.seq.get_untracked(), Err("worker_crashed".into()), 0.0);
                }
            }
            _ => {}
        }
    }

    /// The worker script's URL and the worker's name, `<js URL>\n<wasm URL>`: the worker loads
    /// this incident module. All three URLs are hashed and already prefixed with the public URL
    /// (`<meta name="oomlens-wasm">`), so deep links (`/oomlens/incident/`, answered by 404.html)
    /// work and a tab of an older build keeps its own worker. The module URLs travel in the name,
    /// not a query string: a worker served by the service worker sees the cached response's URL.
    fn worker_url() -> Option<(String, String)> {
        use crate::widgets::dom::build_marker;
        let worker = build_marker("data-worker")?;
        let js = build_marker("data-incident-js")?;
        let wasm = build_marker("data-incident-wasm")?;
        Some((worker, format!("{js}\n{wasm}")))
    }

    fn start_worker() -> WorkerSlot {
        let Some((url, name)) = worker_url() else {
            return WorkerSlot::Broken;
        };
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        opts.set_name(&name);
        let Ok(worker) = Worker::new_with_options(&url, &opts) else {
            return WorkerSlot::Broken;
        };
        let msg = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
        worker.set_onmessage(Some(msg.as_ref().unchecked_ref()));
        msg.forget();
        let err = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| on_error());
        worker.set_onerror(Some(err.as_ref().unchecked_ref()));
        err.forget();
        WorkerSlot::Starting(worker, Vec::new())
    }

    /// Starts the worker, if it is not running, while the page waits for a paste. What this
    /// buys: the first analysis no longer waits for the worker to load and compile its module
    /// (choosing the 50 MB journal to the worker's start: 170–260 ms before, 140–150 ms after,
    /// docs/performance.md).
    pub fn warm_up() {
        WORKER.with(|w| {
            let mut slot = w.borrow_mut();
            if matches!(*slot, WorkerSlot::NotStarted) {
                *slot = start_worker();
            }
        });
    }

    /// Sends a message to the worker; false when no worker can run.
    fn post(msg: js_sys::Object) -> bool {
        warm_up();
        WORKER.with(|w| {
            let mut slot = w.borrow_mut();
            match &mut *slot {
                WorkerSlot::Ready(worker) => worker.post_message(&msg).is_ok(),
                WorkerSlot::Starting(_, queue) => {
                    queue.clear();
                    queue.push(msg);
                    true
                }
                _ => false,
            }
        })
    }

    fn message(id: u64, key: &str, value: &JsValue) -> js_sys::Object {
        let obj = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &obj,
            &JsValue::from_str("id"),
            &JsValue::from_f64(id as f64),
        );
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(key), value);
        obj
    }

    fn remember(state: PageState) {
        STATE.with(|s| *s.borrow_mut() = Some(state));
    }

    /// Analyses a JS string (from the clipboard) without copying it into wasm memory.
    pub fn submit_js_text(state: PageState, text: JsValue) {
        remember(state);
        let units = text
            .dyn_ref::<js_sys::JsString>()
            .map(|s| s.length() as usize)
            .unwrap_or(0);
        let Some(id) = state.begin(units) else { return };
        if !post(message(id, "text", &text)) {
            state.finish(id, Err("worker_unavailable".into()), 0.0);
        }
    }

    /// Analyses text typed into the text area.
    pub fn submit_text(state: PageState, text: &str) {
        remember(state);
        let Some(id) = state.begin(text.len()) else {
            return;
        };
        if !post(message(id, "text", &JsValue::from_str(text))) {
            state.finish(id, Err("worker_unavailable".into()), 0.0);
        }
    }

    /// Analyses a dropped or opened file; the worker reads it, so the page never holds it.
    pub fn submit_file(state: PageState, file: File) {
        remember(state);
        let bytes = file.size() as usize;
        let Some(id) = state.begin(bytes) else { return };
        if !post(message(id, "file", &file)) {
            state.finish(id, Err("worker_unavailable".into()), 0.0);
        }
    }
}
