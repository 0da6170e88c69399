//! Scenario parsing and evaluation.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Ok(s) = oomlens_core::scenario::parse_scenario(text) {
        let _ = oomlens_core::evaluate(&s);
    }
});
