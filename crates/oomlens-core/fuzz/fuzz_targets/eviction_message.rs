//! kubelet eviction message reader.
#![no_main]
use oomlens_core::diag::{eviction_message, lines::numbered};
libfuzzer_sys::fuzz_target!(|text: &str| {
    let lines: Vec<_> = numbered(text).collect();
    for m in eviction_message::read_lines(&lines) {
        let _ = eviction_message::findings(&m, None);
    }
    let _ = eviction_message::parse_message(text, 1);
});
