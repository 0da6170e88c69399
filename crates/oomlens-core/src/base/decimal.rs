//! Decimal text (`[+-]digits[.digits][(e|E)[+-]digits]`, or `inf`, `infinity`, `nan` in any case)
//! read into `f64` or `f32`, correctly rounded — the value `str::parse` (and Go's
//! `strconv.ParseFloat`) gives — or `None` when the text is not such a number or when rounding it
//! exactly would take big-number arithmetic (more than 19 significant digits, or a fraction whose
//! exact rounding the paths below cannot decide). Callers report `None` as an invalid field, so
//! the answer is never a different number.
//!
//! Why not `str::parse`: its general algorithm brings ~16 KB gzip of tables and code into the web
//! app's first load (`docs/performance.md`), for precision no scenario needs. The paths used:
//! integers (`w × 10^e`, `e ≥ 0`) are converted with Rust's `as`, which rounds to nearest, ties to
//! even; fractions take Clinger's fast path (`w ≤ 2^53`, `10^k ≤ 10^22`: one correctly rounded
//! division of two exact values). A property test compares every answer with `str::parse`
//! (`tests/it/properties.rs`, `decimal_parse_agrees_with_std`).

/// A decimal `±w × 10^e` with `w < 10^19`, or a special value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Decimal {
    Finite { negative: bool, w: u64, e: i32 },
    Infinite { negative: bool },
    NaN,
}

/// Exact powers of ten as `f64` (every one up to 1e22 is exactly representable).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

const MAX_W: u64 = 1_000_000_000_000_000_000; // 10^18: one more digit still fits below 10^19

/// Why [`scan`] gives no decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reject {
    /// Not in the syntax above.
    Malformed,
    /// In the syntax, with more than 19 significant digits.
    TooPrecise,
}

fn scan(text: &str) -> Result<Decimal, Reject> {
    use Reject::Malformed;
    let (negative, body) = match text.as_bytes().first() {
        Some(b'+') => (false, &text[1..]),
        Some(b'-') => (true, &text[1..]),
        _ => (false, text),
    };
    if ["inf", "infinity"]
        .iter()
        .any(|w| body.eq_ignore_ascii_case(w))
    {
        return Ok(Decimal::Infinite { negative });
    }
    if body.eq_ignore_ascii_case("nan") {
        return Ok(Decimal::NaN);
    }
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut w: u64 = 0;
    let mut e: i64 = 0;
    let mut digits = 0;
    // Set at the first significant digit past 19; the syntax is still checked to the end.
    let mut too_precise = false;
    let mut push = |d: u8, fraction: bool, w: &mut u64, e: &mut i64| {
        if *w < MAX_W {
            *w = *w * 10 + u64::from(d);
            if fraction {
                *e -= 1;
            }
        } else if d != 0 {
            too_precise = true;
        } else if !fraction {
            *e += 1; // a trailing zero of the integer part
        }
    };
    while let Some(&c) = bytes.get(i).filter(|c| c.is_ascii_digit()) {
        push(c - b'0', false, &mut w, &mut e);
        digits += 1;
        i += 1;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = bytes.get(i).filter(|c| c.is_ascii_digit()) {
            push(c - b'0', true, &mut w, &mut e);
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return Err(Malformed);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let sign: i64 = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut x: i64 = 0;
        while let Some(&c) = bytes.get(i).filter(|c| c.is_ascii_digit()) {
            x = (x * 10 + i64::from(c - b'0')).min(1_000_000);
            i += 1;
        }
        if i == start {
            return Err(Malformed);
        }
        e += sign * x;
    }
    if i != bytes.len() {
        return Err(Malformed);
    }
    if too_precise {
        return Err(Reject::TooPrecise);
    }
    Ok(Decimal::Finite {
        negative,
        w,
        e: e.clamp(-1_000_000, 1_000_000) as i32,
    })
}

/// Whether `text` is a decimal in the syntax above, however many digits it has.
pub fn is_well_formed(text: &str) -> bool {
    scan(text) != Err(Reject::Malformed)
}

fn signed<F: std::ops::Neg<Output = F>>(negative: bool, v: F) -> F {
    if negative {
        -v
    } else {
        v
    }
}

/// The finite decimal `text` names, as (negative, w, e), or the value it names outright: an
/// infinity, NaN or a zero (of `F`, with its sign).
fn parts<F: Copy + std::ops::Neg<Output = F>>(
    text: &str,
    infinity: F,
    nan: F,
    zero: F,
) -> Option<Result<(bool, u64, i32), F>> {
    Some(match scan(text).ok()? {
        Decimal::NaN => Err(nan),
        Decimal::Infinite { negative } => Err(signed(negative, infinity)),
        Decimal::Finite { negative, w: 0, .. } => Err(signed(negative, zero)),
        Decimal::Finite { negative, w, e } => Ok((negative, w, e)),
    })
}

/// `w × 10^e` (`e ≥ 0`) as an integer, when it fits in a `u128`.
fn integer(w: u64, e: i32) -> Option<u128> {
    10u128
        .checked_pow(e as u32)
        .and_then(|p| p.checked_mul(u128::from(w)))
}

/// `text` as the nearest `f64`, or `None` (see the module doc).
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, w, e) = match parts(text, f64::INFINITY, f64::NAN, 0.0)? {
        Ok(p) => p,
        Err(v) => return Some(v),
    };
    let v = if e >= 0 {
        match integer(w, e) {
            Some(n) => n as f64,
            // At least 10^38 and more than any u128: infinite only past f64's range.
            None if e > 310 => f64::INFINITY,
            None => return None,
        }
    } else if w <= 1 << 53 && -e <= 22 {
        w as f64 / POW10[(-e) as usize]
    } else if e < -400 {
        0.0 // below half the smallest subnormal (w < 10^19)
    } else {
        return None;
    };
    Some(signed(negative, v))
}

/// `text` as the nearest `f32` (rounded once, from the exact value), or `None`.
pub fn parse_f32(text: &str) -> Option<f32> {
    let (negative, w, e) = match parts(text, f32::INFINITY, f32::NAN, 0.0)? {
        Ok(p) => p,
        Err(v) => return Some(v),
    };
    let v = if e >= 0 {
        match integer(w, e) {
            Some(n) => n as f32,
            None => f32::INFINITY, // at least 10^38 × 3.4: past f32's range
        }
    } else if w <= 1 << 24 && -e <= 10 {
        // Clinger's fast path in f32: both operands exact, one rounding.
        w as f32 / POW10[(-e) as usize] as f32
    } else if w <= 1 << 53 && -e <= 22 {
        // The f64 quotient is the exact value rounded once; rounding it again to f32 is exact
        // unless it fell exactly halfway between two f32 values, which only the exact value
        // could settle.
        let d = w as f64 / POW10[(-e) as usize];
        let f = d as f32;
        let other = if (f as f64) < d {
            next_up(f)
        } else {
            next_down(f)
        };
        if f as f64 != d && (f as f64 + other as f64) / 2.0 == d {
            return None;
        }
        f
    } else if e < -80 {
        0.0 // below half the smallest f32 subnormal (w < 10^19)
    } else {
        return None;
    };
    Some(signed(negative, v))
}

fn next_up(f: f32) -> f32 {
    f32::from_bits(if f >= 0.0 {
        f.to_bits() + 1
    } else {
        f.to_bits() - 1
    })
}

fn next_down(f: f32) -> f32 {
    f32::from_bits(if f > 0.0 {
        f.to_bits() - 1
    } else {
        f.to_bits() + 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_numbers_equal_std() {
        for s in [
            "0",
            "0.9",
            "1",
            "1.5",
            "-2.25",
            "+3",
            ".5",
            "5.",
            "10",
            "7.5",
            "33.33",
            "100",
            "1e3",
            "1E-3",
            "2.5e+2",
            "0.1",
            "0.2",
            "0.3",
            "123456789",
            "0.000001",
            "1e22",
            "9007199254740993",
            "12345678901234567890e-1",
            "1e30",
            "1e-30",
            "3.4028235e38",
            "1e39",
            "-0",
            "0e5",
            "1e400",
            "1e-400",
            "1000000000000000000000000",
            "inf",
            "-Infinity",
            "NaN",
        ] {
            if let Some(v) = parse_f64(s) {
                let std: f64 = s.parse().unwrap();
                assert!(
                    v.to_bits() == std.to_bits() || (v.is_nan() && std.is_nan()),
                    "f64 {s}: {v} vs {std}"
                );
            }
            if let Some(v) = parse_f32(s) {
                let std: f32 = s.parse().unwrap();
                assert!(
                    v.to_bits() == std.to_bits() || (v.is_nan() && std.is_nan()),
                    "f32 {s}: {v} vs {std}"
                );
            }
        }
        for s in [
            "0.9", "7.5", "33.33", "1e3", "0.1", "-2.25", "inf", "nan", "1e400",
        ] {
            assert!(parse_f64(s).is_some() && parse_f32(s).is_some(), "{s}");
        }
    }

    #[test]
    fn not_numbers_are_none() {
        for s in [
            "", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "1_0", "0x10", "infx",
            "--1", "1..2",
        ] {
            assert_eq!(parse_f64(s), None, "{s}");
            assert_eq!(parse_f32(s), None, "{s}");
            assert!(s.parse::<f64>().is_err(), "std accepts {s}");
        }
    }

    #[test]
    fn too_precise_is_none_not_another_number() {
        // 20 significant digits: not decided here, though well formed.
        for s in ["1.2345678901234567891", "0.12345678901234567891e5"] {
            assert_eq!(parse_f64(s), None);
            assert!(is_well_formed(s));
        }
        for s in ["", ".", "e5", "1e", "1.2.3", "1_0", "+", "0x1"] {
            assert!(!is_well_formed(s), "{s}");
        }
        for s in ["1", ".5", "5.", "-1e-3", "+Inf", "nan", "1E+5"] {
            assert!(is_well_formed(s), "{s}");
        }
    }
}
