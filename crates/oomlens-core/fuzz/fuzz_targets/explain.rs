//! The whole `explain` operation, and its JSON rendering.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    let e = oomlens_core::explain(text);
    let _ = serde_json::to_string(&e);
});
