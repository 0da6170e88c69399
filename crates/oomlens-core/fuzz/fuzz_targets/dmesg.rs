//! Kernel OOM report reader: `diag::dmesg::read` and the findings of every event.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    let r = oomlens_core::diag::dmesg::read(text);
    for e in &r.events {
        let _ = oomlens_core::diag::dmesg::findings(e);
    }
});
