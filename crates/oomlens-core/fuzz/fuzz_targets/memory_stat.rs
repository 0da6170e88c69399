//! memory.stat reader (`diag::memory_stat::read`) and its findings.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Some(r) = oomlens_core::diag::memory_stat::read(text) {
        let _ = oomlens_core::diag::memory_stat::findings(&r);
    }
});
