//! Pod manifests: until a dedicated pod reader exists, through `explain`, which detects and reads
//! manifests (as the brief asks: "for readers not written yet call `oomlens_core::explain`").
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    let e = oomlens_core::explain(text);
    let _ = serde_json::to_string(&e);
});
