//! The Simplified Chinese of the shell, the calculator and every sentence of the core's catalogue
//! (`oomlens_core::base::message::CATALOGUE`), kept in one text file, `zh.txt`, so the first load
//! carries no Chinese: the calculator's module fetches it only when Chinese is chosen (`boot.js`
//! starts that fetch beside the wasm when the stored or browser language is Chinese); the incident
//! module compiles it in.
//!
//! Format: UTF-8 lines `key<TAB>text` under a `[ui]` (shell and calculator keys) or `[messages]`
//! (message ids, same `{placeholders}` as the English template) header. Texts have no tab or line
//! break and no escapes. kubelet/kernel terms (memory.available, oom_score_adj, kubepods,
//! OOMKilled, memory.oom.group, badness, request, limit as "上限") stay as Kubernetes and the kernel
//! spell them.

use super::registry::{self, Table};
use super::Lang;

/// The file's text, for the modules and tests that compile it in.
pub const BUILTIN: &str = include_str!("zh.txt");

/// The parsed file, borrowing from its text.
#[derive(Debug, Default)]
pub struct Bundle {
    /// Shell and calculator texts, in file order.
    pub ui: Vec<(&'static str, &'static str)>,
    /// Message templates, sorted by id.
    pub messages: Vec<(&'static str, &'static str)>,
}

/// Reads the file; an error names the first bad line (1-based).
pub fn parse(text: &'static str) -> Result<Bundle, String> {
    let mut bundle = Bundle::default();
    let mut section: Option<bool> = None; // Some(true) = messages
    for (n, line) in text.lines().enumerate() {
        match line {
            "" => continue,
            "[ui]" => section = Some(false),
            "[messages]" => section = Some(true),
            _ => {
                let (Some(messages), Some((key, value))) = (section, line.split_once('\t')) else {
                    return Err(format!(
                        "zh.txt line {}: not `key<TAB>text` in a section",
                        n + 1
                    ));
                };
                let table = if messages {
                    &mut bundle.messages
                } else {
                    &mut bundle.ui
                };
                table.push((key, value));
            }
        }
    }
    bundle.messages.sort_unstable_by(|a, b| a.0.cmp(b.0));
    Ok(bundle)
}

/// Parses `text` and registers it (once; a second call is a no-op).
pub fn install(text: &'static str) -> Result<(), String> {
    if registry::has_zh() {
        return Ok(());
    }
    let bundle = parse(text)?;
    let ui: Table = bundle.ui.leak();
    registry::register(Lang::Zh, ui);
    registry::register_messages_zh(bundle.messages.leak());
    Ok(())
}

/// Fetches the file and installs it: the request `boot.js` started for a Chinese visitor (which
/// gives up after 3 s), else, when `fetch` is set (the user chose Chinese), a new one to the URL
/// in the `<meta name="oomlens-wasm" data-zh>` marker. The text is kept for the life of the page.
#[cfg(target_arch = "wasm32")]
pub async fn fetch_and_install(fetch: bool) -> Result<(), String> {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    if registry::has_zh() {
        return Ok(());
    }
    let global = js_sys::global();
    let key = JsValue::from_str("oomlensZhText");
    let started = js_sys::Reflect::get(&global, &key).unwrap_or(JsValue::UNDEFINED);
    let _ = js_sys::Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &key);
    let text = match started.dyn_into::<js_sys::Promise>() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let text = match text {
        Some(t) => t,
        None if !fetch => return Err("zh.txt did not arrive in time".into()),
        None => {
            let url = crate::widgets::dom::build_marker("data-zh").ok_or("no zh.txt URL")?;
            let window = web_sys::window().ok_or("no window")?;
            let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
                .await
                .map_err(|_| "zh.txt could not be fetched")?
                .unchecked_into();
            if !resp.ok() {
                return Err(format!("zh.txt: HTTP {}", resp.status()));
            }
            let text = resp.text().map_err(|_| "zh.txt: no body")?;
            JsFuture::from(text)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .ok_or("zh.txt: not text")?
        }
    };
    install(Box::leak(text.into_boxed_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_parses_with_both_sections_and_no_duplicate_key() {
        let b = parse(BUILTIN).unwrap();
        assert!(
            b.ui.len() > 100 && b.messages.len() > 200,
            "{} {}",
            b.ui.len(),
            b.messages.len()
        );
        for table in [&b.ui, &b.messages] {
            let mut keys: Vec<_> = table.iter().map(|(k, _)| *k).collect();
            keys.sort_unstable();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "duplicate key");
        }
        assert!(b.messages.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn a_bad_line_is_named() {
        assert_eq!(
            parse("[ui]\na\tb\nno tab here\n").unwrap_err(),
            "zh.txt line 3: not `key<TAB>text` in a section"
        );
        assert!(parse("a\tb\n").is_err(), "a line before any section");
        assert_eq!(
            parse("[messages]\nz\t1\na\t2\n").unwrap().messages[0].0,
            "a"
        );
    }
}
