//! KubeletConfiguration YAML / configz JSON / flags reader.
#![no_main]
use oomlens_core::diag::{kubelet_config, lines::numbered};
libfuzzer_sys::fuzz_target!(|text: &str| {
    let lines: Vec<_> = numbered(text).collect();
    if let Some(r) = kubelet_config::read_document(&lines) {
        let _ = kubelet_config::findings(&r);
    }
    if let Some(r) = kubelet_config::read_flags(&lines) {
        let _ = kubelet_config::findings(&r);
    }
});
