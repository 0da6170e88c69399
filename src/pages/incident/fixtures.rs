//! The real incident texts the page's tests run on: the core's test fixtures and the built-in
//! samples (tests only).

/// The kernel-log fixtures of the core.
pub const KERNEL: &str = "crates/oomlens-core/tests/fixtures/kernel";
/// The built-in samples (`examples/incidents`).
pub const SAMPLES: &str = "examples/incidents";
/// Every directory of real incident text.
pub const ALL: [&str; 4] = [
    KERNEL,
    "crates/oomlens-core/tests/fixtures/k8s",
    "crates/oomlens-core/tests/fixtures/pods",
    SAMPLES,
];

/// `(path, text)` of every readable file in `dirs` (relative to the workspace root); a missing
/// directory fails the test.
pub fn texts(dirs: &[&str]) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in dirs {
        for e in std::fs::read_dir(root.join(dir)).expect(dir).flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                out.push((e.path().display().to_string(), text));
            }
        }
    }
    out
}
