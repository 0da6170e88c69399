//! Kubernetes quantity parsing and its arithmetic accessors.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Ok(q) = oomlens_core::base::quantity::Quantity::parse(text) {
        let _ = q.value();
        let _ = q.milli_value();
        let _ = oomlens_core::base::quantity::format_bytes(q.value());
    }
});
