//! Share links and local persistence for the calculator.
//!
//! A scenario travels as its scenario-file text (JSON, a format `oomlens calc` reads; older links
//! hold YAML), compressed with raw DEFLATE and encoded as unpadded base64url, inside the URL
//! *fragment* (`#/calculator?s=<data>`): the fragment is never sent to any server, and the form
//! fits the app's hash routing. Decoding is bounded (the inflated text may not exceed
//! [`MAX_SCENARIO_BYTES`]) and never panics on a damaged link.
//!
//! Two codecs write the same format: [`encode_text`]/[`decode_text`] (miniz_oxide: native tests,
//! and the incident module's "Open in calculator" links) and, in the calculator,
//! [`browser::encode_text`]/[`browser::decode_text`] through the browser's compression streams,
//! which keeps a compressor out of the first load.
// Parts used only by the browser build (links, storage, downloads) are dead code natively.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use oomlens_core::Scenario;

/// The largest scenario text a share link may inflate to (a guard against deflate bombs).
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;

/// The fragment route of the calculator page.
pub const CALCULATOR_ROUTE: &str = "#/calculator";

/// The query key that carries the compressed scenario in the fragment.
pub const SCENARIO_PARAM: &str = "s";

/// The local-storage key holding the last scenario the user worked on.
pub const STORAGE_KEY: &str = "oomlens.calculator.scenario";

/// Why a share link could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// A character outside the base64url alphabet, at this position.
    BadCharacter(usize),
    /// The base64 text has an impossible length (one character left over).
    BadLength,
    /// The compressed data is damaged or truncated.
    Corrupt,
    /// The data inflates beyond [`MAX_SCENARIO_BYTES`].
    TooLarge,
    /// The inflated bytes are not UTF-8 text.
    NotText,
    /// This browser has no (de)compression streams to read links with.
    Unsupported,
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::BadCharacter(i) => write!(f, "invalid character at position {i}"),
            ShareError::BadLength => write!(f, "truncated link"),
            ShareError::Corrupt => write!(f, "damaged compressed data"),
            ShareError::TooLarge => write!(f, "scenario larger than {MAX_SCENARIO_BYTES} bytes"),
            ShareError::NotText => write!(f, "not UTF-8 text"),
            ShareError::Unsupported => write!(
                f,
                "this browser cannot decompress share links (it has no DecompressionStream)"
            ),
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5) of `bytes`.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = ((n >> (18 - 6 * i)) & 63) as usize;
            out.push(char::from(ALPHABET[idx]));
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => u32::from(c - b'A'),
        b'a'..=b'z' => u32::from(c - b'a') + 26,
        b'0'..=b'9' => u32::from(c - b'0') + 52,
        b'-' | b'+' => 62,
        b'_' | b'/' => 63,
        _ => return None,
    })
}

/// Decodes unpadded (or padded) base64url; also accepts the standard alphabet's `+` and `/`.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let trimmed = text.trim().trim_end_matches('=');
    let bytes = trimmed.as_bytes();
    if bytes.len() % 4 == 1 {
        return Err(ShareError::BadLength);
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for (ci, chunk) in bytes.chunks(4).enumerate() {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = sextet(c).ok_or(ShareError::BadCharacter(ci * 4 + i))?;
            n |= v << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        for i in 0..produced {
            out.push(((n >> (16 - 8 * i)) & 0xff) as u8);
        }
    }
    Ok(out)
}

/// Compresses `text` and encodes it for a URL fragment.
pub fn encode_text(text: &str) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    base64url_encode(&compressed)
}

/// Reverses [`encode_text`], refusing damaged data and anything inflating past [`MAX_SCENARIO_BYTES`].
pub fn decode_text(data: &str) -> Result<String, ShareError> {
    let compressed = base64url_decode(data)?;
    let inflated =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_SCENARIO_BYTES)
            .map_err(|e| {
                if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
                    ShareError::TooLarge
                } else {
                    ShareError::Corrupt
                }
            })?;
    String::from_utf8(inflated).map_err(|_| ShareError::NotText)
}

/// The scenario as scenario-file text in JSON (a format `oomlens calc` reads, and the first load
/// reads without a YAML reader): share links and the stored scenario.
pub fn scenario_text(scenario: &Scenario) -> String {
    oomlens_core::scenario::scenario_to_json(scenario)
}

/// The fragment (starting with `#`) that opens `scenario` in the calculator.
pub fn calculator_fragment(scenario: &Scenario) -> String {
    fragment_with_data(&encode_text(&scenario_text(scenario)))
}

/// The calculator's fragment carrying `data` (an encoded scenario text).
pub fn fragment_with_data(data: &str) -> String {
    format!("{CALCULATOR_ROUTE}?{SCENARIO_PARAM}={data}")
}

/// [`calculator_link`] carrying `data` (an encoded scenario text).
pub fn link_with_data(data: &str) -> String {
    format!("{}{}", page_base(), fragment_with_data(data))
}

/// A link that opens `scenario` in the calculator page of this app: the current page address
/// (without its fragment) followed by [`calculator_fragment`]. Natively (tests, no window) it is the
/// fragment alone.
pub fn calculator_link(scenario: &Scenario) -> String {
    format!("{}{}", page_base(), calculator_fragment(scenario))
}

/// The query parameter that says the scenario was built from an incident paste.
pub const FROM_INCIDENT: &str = "from=incident";

/// [`calculator_link`] for a scenario built from an incident paste: the calculator then says so
/// (and what the paste did not tell, such as the kubelet version).
pub fn incident_calculator_link(scenario: &Scenario) -> String {
    let fragment = calculator_fragment(scenario);
    let fragment = fragment.replacen('?', &format!("?{FROM_INCIDENT}&"), 1);
    format!("{}{fragment}", page_base())
}

/// Whether a fragment carries [`FROM_INCIDENT`].
pub fn is_from_incident(fragment: &str) -> bool {
    fragment
        .split_once('?')
        .is_some_and(|(_, q)| q.split('&').any(|kv| kv == FROM_INCIDENT))
}

#[cfg(target_arch = "wasm32")]
fn page_base() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    match href.find('#') {
        Some(i) => href.get(..i).unwrap_or_default().to_string(),
        None => href,
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn page_base() -> String {
    String::new()
}

/// The compressed scenario carried by a fragment such as `#/calculator?s=…`, if any. Only the
/// calculator's fragment carries one (another page's query is its own).
pub fn scenario_param(fragment: &str) -> Option<&str> {
    let (route, query) = fragment.split_once('?')?;
    if !matches!(
        route.trim_start_matches('#').trim_matches('/'),
        "" | "calculator"
    ) {
        return None;
    }
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == SCENARIO_PARAM).then_some(v)
    })
}

/// Reads the scenario text out of a fragment: `Ok(None)` when the fragment carries none.
pub fn text_from_fragment(fragment: &str) -> Result<Option<String>, ShareError> {
    match scenario_param(fragment) {
        Some(data) => decode_text(data).map(Some),
        None => Ok(None),
    }
}

/// Browser-side persistence (local storage and the address bar).
#[cfg(target_arch = "wasm32")]
pub mod browser {
    use super::*;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// Saves the scenario text for the next visit; silently does nothing when storage is unavailable.
    pub fn save(text: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, text);
        }
    }

    /// The scenario text saved by [`save`], if any.
    pub fn load() -> Option<String> {
        storage()?.get_item(STORAGE_KEY).ok()?
    }

    /// The current `window.location.hash`.
    pub fn current_fragment() -> String {
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default()
    }

    /// Calls `boot.js`'s `name(bytes, …)`, which resolves to bytes.
    async fn stream(name: &str, bytes: &[u8], max: Option<usize>) -> Result<Vec<u8>, String> {
        use wasm_bindgen::{JsCast, JsValue};
        let f: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &name.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or("unsupported")?;
        let input = js_sys::Uint8Array::from(bytes);
        let max = max.map_or(JsValue::UNDEFINED, |m| JsValue::from_f64(m as f64));
        let promise: js_sys::Promise = f
            .call2(&JsValue::NULL, &input, &max)
            .map_err(|_| "unsupported")?
            .dyn_into()
            .map_err(|_| "unsupported")?;
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(v) => Ok(js_sys::Uint8Array::new(&v).to_vec()),
            Err(e) => Err(crate::bridge::client::error_message(&e, "")),
        }
    }

    /// [`super::encode_text`] with the browser's compressor.
    pub async fn encode_text(text: &str) -> Result<String, String> {
        stream("oomlensDeflate", text.as_bytes(), None)
            .await
            .map(|bytes| base64url_encode(&bytes))
    }

    /// [`super::decode_text`] with the browser's decompressor, with the same errors and bound.
    pub async fn decode_text(data: &str) -> Result<String, ShareError> {
        let compressed = base64url_decode(data)?;
        let inflated = stream("oomlensInflate", &compressed, Some(MAX_SCENARIO_BYTES))
            .await
            .map_err(|e| match e.as_str() {
                "too-large" => ShareError::TooLarge,
                "unsupported" => ShareError::Unsupported,
                _ => ShareError::Corrupt,
            })?;
        String::from_utf8(inflated).map_err(|_| ShareError::NotText)
    }

    /// The share link of `scenario` (as [`super::calculator_link`]).
    pub async fn calculator_link(scenario: &Scenario) -> Result<String, String> {
        let data = encode_text(&scenario_text(scenario)).await?;
        Ok(link_with_data(&data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc4648_test_vectors() {
        // RFC 4648 §10 vectors, without padding.
        let rows: &[(&str, &str)] = &[
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, enc) in rows {
            assert_eq!(base64url_encode(plain.as_bytes()), *enc, "encode {plain:?}");
            assert_eq!(
                base64url_decode(enc).unwrap(),
                plain.as_bytes(),
                "decode {enc:?}"
            );
        }
        // The URL-safe alphabet uses - and _ where standard base64 has + and /.
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64url_decode("+/8=").unwrap(), vec![0xfb, 0xff]);
    }

    #[test]
    fn damaged_links_are_errors_not_panics() {
        assert_eq!(base64url_decode("Zm9v!A"), Err(ShareError::BadCharacter(4)));
        assert_eq!(base64url_decode("Z"), Err(ShareError::BadLength));
        assert_eq!(decode_text("AAAA"), Err(ShareError::Corrupt));
        let good = encode_text("node:\n  memory: 16Gi\n");
        let cut = &good[..good.len() / 2];
        assert!(decode_text(cut).is_err());
    }

    #[test]
    fn text_round_trips_and_compresses() {
        let text =
            "pods:\n".to_string() + &"  - metadata: {name: web, namespace: default}\n".repeat(200);
        let enc = encode_text(&text);
        assert!(
            enc.len() < text.len() / 10,
            "{} vs {}",
            enc.len(),
            text.len()
        );
        assert!(enc
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(decode_text(&enc).unwrap(), text);
        // Non-ASCII text (a Chinese pod name) survives.
        assert_eq!(
            decode_text(&encode_text("名称: 测试")).unwrap(),
            "名称: 测试"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, failure_persistence: None, ..Default::default() })]

        /// Any fragment a user can paste or a link can carry decodes to text or to an error;
        /// base64url text round-trips through decode and encode.
        #[test]
        fn any_fragment_is_text_or_an_error(frag in "[#/a-z?&=A-Za-z0-9_+\\-.%\\PC]{0,300}") {
            let _ = text_from_fragment(&frag);
            let _ = decode_text(&frag);
            if let Ok(bytes) = base64url_decode(&frag) {
                proptest::prop_assert_eq!(base64url_decode(&base64url_encode(&bytes)).ok(), Some(bytes));
            }
        }

        /// A real link with bytes changed, cut or doubled: decodes to some text or to an error.
        #[test]
        fn damaged_real_links_are_text_or_an_error(
            edits in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 1..6),
            cut in proptest::prelude::any::<usize>(),
        ) {
            let good = encode_text(crate::pages::calculator::examples::DEFAULT_TEXT);
            let mut bytes = good.into_bytes();
            for (at, b) in edits {
                let n = bytes.len();
                // Keep to the base64url alphabet half the time (reaches the inflater).
                const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                bytes[at % n] = if b & 1 == 0 { ALPHABET[usize::from(b) % ALPHABET.len()] } else { b };
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let _ = decode_text(&text);
            let mut end = cut % (text.len() + 1);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let _ = decode_text(&text[..end]);
            let _ = decode_text(&format!("{text}{text}"));
        }
    }

    #[test]
    fn deflate_bombs_are_refused() {
        let huge = vec![b'a'; MAX_SCENARIO_BYTES + 1];
        let data = base64url_encode(&miniz_oxide::deflate::compress_to_vec(&huge, 9));
        assert_eq!(decode_text(&data), Err(ShareError::TooLarge));
    }

    #[test]
    fn the_fragment_parameter_is_found_among_others() {
        assert_eq!(scenario_param("#/calculator?s=abc"), Some("abc"));
        assert!(is_from_incident("#/calculator?from=incident&s=abc"));
        assert!(!is_from_incident("#/calculator?s=abc"));
        assert_eq!(
            scenario_param("#/calculator?from=incident&s=abc"),
            Some("abc")
        );
        assert_eq!(
            scenario_param("#/calculator?lang=zh&s=abc&x=1"),
            Some("abc")
        );
        assert_eq!(scenario_param("#/calculator"), None);
        assert_eq!(scenario_param("#/incident?x=1"), None);
        // Another page's query is its own, whatever its keys.
        assert_eq!(scenario_param("#/learn?s=abc"), None);
        assert_eq!(scenario_param("#/incident?s=abc"), None);
        assert_eq!(scenario_param("#?s=abc"), Some("abc"));
        let frag = format!(
            "#/calculator?s={}",
            encode_text("kubeletVersion: \"1.34\"\n")
        );
        assert_eq!(
            text_from_fragment(&frag).unwrap().as_deref(),
            Some("kubeletVersion: \"1.34\"\n")
        );
        assert_eq!(text_from_fragment("#/calculator").unwrap(), None);
    }
}
