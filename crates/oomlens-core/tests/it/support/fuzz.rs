//! The case count of the fuzz properties (`tests/*_robustness.rs`, included with `#[path]`; not a
//! test target of its own): each property's own default, or `OOMLENS_FUZZ_CASES` for a long run.

/// Cases per property: `default`, or `OOMLENS_FUZZ_CASES` when set to a number.
pub fn fuzz_cases(default: u32) -> u32 {
    std::env::var("OOMLENS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Text made of real `lines` as a property picks them: `(which, cut at, add junk)` per line, a
/// line kept whole when `cut` is a multiple of 3, else cut at that byte (on a char boundary).
pub fn cut_and_shuffled(lines: &[&str], picks: &[(usize, usize, bool)], junk: &str) -> String {
    let mut text = String::new();
    for &(i, cut, add_junk) in picks {
        let l = lines[i % lines.len()];
        let mut end = cut.min(l.len());
        while !l.is_char_boundary(end) {
            end -= 1;
        }
        text.push_str(if cut % 3 == 0 { l } else { &l[..end] });
        if add_junk {
            text.push_str(junk);
        }
        text.push('\n');
    }
    text
}
