//! Byte formatting: binary units for reading (`1.5 GiB`), the exact byte count on hover and in a
//! `data-bytes` attribute (tests and copy-paste use the exact number).

use oomlens_core::base::quantity::format_bytes;

/// Groups the digits of `n` in threes (`1,073,741,824`), for the exact count shown on hover.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `data-bytes` (the exact count) and `title` (the grouped count and `word`, the page language's
/// word for "bytes") of a size; both empty when there is none.
pub fn attrs(b: Option<i64>, word: &str) -> (String, String) {
    match b {
        Some(b) => (b.to_string(), format!("{} {word}", group_digits(b))),
        None => (String::new(), String::new()),
    }
}

/// A byte count in binary units, `—` for `None`.
pub fn human(bytes: Option<i64>) -> String {
    match bytes {
        Some(b) => format_bytes(b),
        None => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_in_threes() {
        let rows = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1073741824, "1,073,741,824"),
            (-1048576, "-1,048,576"),
        ];
        for (n, want) in rows {
            assert_eq!(group_digits(n), want);
        }
        assert_eq!(group_digits(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn attrs_give_the_exact_count_and_its_hover_text() {
        assert_eq!(
            attrs(Some(1 << 30), "bytes"),
            ("1073741824".to_string(), "1,073,741,824 bytes".to_string())
        );
        assert_eq!(attrs(None, "bytes"), (String::new(), String::new()));
    }

    #[test]
    fn human_uses_binary_units() {
        assert_eq!(human(Some(1 << 30)), "1 GiB");
        assert_eq!(human(None), "—");
    }
}
