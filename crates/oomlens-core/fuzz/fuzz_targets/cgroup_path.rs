//! cgroup path decoding.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    let _ = oomlens_core::kubelet::cgroup_path::decode(text);
    let _ = oomlens_core::kubelet::cgroup_path::container_of(text);
});
