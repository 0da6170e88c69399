//! `kubectl describe pod/node` readers.
#![no_main]
use oomlens_core::diag::{describe, lines::numbered};
libfuzzer_sys::fuzz_target!(|text: &str| {
    let lines: Vec<_> = numbered(text).collect();
    let _ = describe::read_pod(&lines);
    let _ = describe::read_node(&lines);
    let _ = describe::read_fragment(&lines);
});
