//! The case count of the fuzz properties (`tests/*_robustness.rs`, included with `#[path]`; not a
//! test target of its own): each property's own default, or `OOMLENS_FUZZ_CASES` for a long run.

/// Cases per property: `default`, or `OOMLENS_FUZZ_CASES` when set to a number.
pub fn fuzz_cases(default: u32) -> u32 {
    std::env::var("OOMLENS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
