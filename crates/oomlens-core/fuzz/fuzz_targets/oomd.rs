//! systemd-oomd reader: `diag::oomd::read` and findings.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    for k in oomlens_core::diag::oomd::read(text).kills {
        let _ = oomlens_core::diag::oomd::findings(&k);
    }
});
