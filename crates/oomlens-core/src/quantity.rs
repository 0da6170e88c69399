//! Kubernetes `resource.Quantity`: parsing and formatting as apimachinery does it
//! (`k8s.io/apimachinery/pkg/api/resource/quantity.go`).
//!
//! Grammar: `<signedNumber><suffix>`, suffix one of the binary SI (`Ki`…`Ei`), decimal SI
//! (`m`, ``, `k`, `M`, `G`, `T`, `P`, `E`) or a decimal exponent (`e3`, `E-2`).
//! Values are kept exactly as `mantissa × 10^exp10` (binary multipliers folded into the mantissa);
//! [`Quantity::value`] rounds up to a whole unit, as `Quantity.Value()` does, which is how
//! memory quantities become whole bytes.

use serde::Serialize;
use std::fmt;

/// The suffix family a quantity was written in; formatting keeps it (apimachinery `Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// `Ki`, `Mi`, … (powers of 1024).
    BinarySI,
    /// `m`, `k`, `M`, … (powers of 1000), or no suffix.
    DecimalSI,
    /// `e<n>` / `E<n>`.
    DecimalExponent,
}

/// A parsed quantity: exactly `mantissa × 10^exp10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    mantissa: i128,
    exp10: i32,
    format: Format,
}

/// Why a string is not a quantity. The message names what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError {
    /// The input, as given.
    pub input: String,
    /// What is wrong, in plain words.
    pub reason: String,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid quantity {:?}: {}", self.input, self.reason)
    }
}

impl std::error::Error for QuantityError {}

fn err(input: &str, reason: impl Into<String>) -> QuantityError {
    QuantityError { input: input.to_string(), reason: reason.into() }
}

const MAX_DIGITS: usize = 36;

impl Quantity {
    /// Parses a quantity string as `resource.ParseQuantity` does.
    pub fn parse(input: &str) -> Result<Quantity, QuantityError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(err(input, "empty"));
        }
        let b = s.as_bytes();
        let mut i = 0;
        let mut neg = false;
        if b[0] == b'+' || b[0] == b'-' {
            neg = b[0] == b'-';
            i = 1;
        }
        let mut mantissa: i128 = 0;
        let mut digits = 0usize;
        let mut frac_digits = 0i32;
        let mut seen_dot = false;
        let mut any_digit = false;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_digit() {
                any_digit = true;
                if digits == 0 && c == b'0' {
                    // leading zeros carry no precision
                } else {
                    digits += 1;
                    if digits > MAX_DIGITS {
                        return Err(err(input, "too many digits"));
                    }
                    mantissa = mantissa * 10 + i128::from(c - b'0');
                }
                if seen_dot {
                    frac_digits += 1;
                }
            } else if c == b'.' && !seen_dot {
                seen_dot = true;
            } else {
                break;
            }
            i += 1;
        }
        if !any_digit {
            return Err(err(input, "expected a number such as 128Mi, 1Gi, 500M or 0.5"));
        }
        let suffix = &s[i..];
        let (mult, exp10, format): (i128, i32, Format) = match suffix {
            "" => (1, 0, Format::DecimalSI),
            "m" => (1, -3, Format::DecimalSI),
            "k" => (1, 3, Format::DecimalSI),
            "M" => (1, 6, Format::DecimalSI),
            "G" => (1, 9, Format::DecimalSI),
            "T" => (1, 12, Format::DecimalSI),
            "P" => (1, 15, Format::DecimalSI),
            "E" => (1, 18, Format::DecimalSI),
            "Ki" => (1 << 10, 0, Format::BinarySI),
            "Mi" => (1 << 20, 0, Format::BinarySI),
            "Gi" => (1 << 30, 0, Format::BinarySI),
            "Ti" => (1 << 40, 0, Format::BinarySI),
            "Pi" => (1 << 50, 0, Format::BinarySI),
            "Ei" => (1 << 60, 0, Format::BinarySI),
            other => {
                let first = other.as_bytes()[0];
                if first == b'e' || first == b'E' {
                    let rest = &other[1..];
                    let e: i32 = parse_exponent(rest).ok_or_else(|| {
                        err(input, format!("bad exponent {rest:?}: expected e.g. 1e3 or 12E6"))
                    })?;
                    (1, e, Format::DecimalExponent)
                } else {
                    return Err(err(
                        input,
                        format!("unknown suffix {other:?}: expected one of Ki Mi Gi Ti Pi Ei, m k M G T P E, or e<n>"),
                    ));
                }
            }
        };
        let mantissa = mantissa
            .checked_mul(mult)
            .ok_or_else(|| err(input, "too large"))?;
        let q = Quantity { mantissa: if neg { -mantissa } else { mantissa }, exp10: exp10 - frac_digits, format };
        Ok(q.normalised())
    }

    /// A quantity of exactly `bytes` (BinarySI format).
    pub fn from_bytes(bytes: i64) -> Quantity {
        Quantity { mantissa: i128::from(bytes), exp10: 0, format: Format::BinarySI }
    }

    /// The suffix family it was written in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// True when the value is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// True when the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.mantissa < 0
    }

    /// The value rounded up to a whole unit (`Quantity.Value()`), saturating at the i64 range.
    /// For memory this is whole bytes.
    pub fn value(&self) -> i64 {
        self.scaled_ceil(0)
    }

    /// The value in thousandths, rounded up (`Quantity.MilliValue()`), saturating.
    pub fn milli_value(&self) -> i64 {
        self.scaled_ceil(3)
    }

    /// The value as `f64` (approximate; for charts and ratios only).
    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.exp10)
    }

    /// ceil(value × 10^scale), saturating to i64.
    fn scaled_ceil(&self, scale: i32) -> i64 {
        let e = self.exp10 + scale;
        let v: Option<i128> = if e >= 0 {
            10i128.checked_pow(e as u32).and_then(|p| self.mantissa.checked_mul(p))
        } else {
            match 10i128.checked_pow((-e) as u32) {
                Some(p) => {
                    let q = self.mantissa.div_euclid(p);
                    let r = self.mantissa.rem_euclid(p);
                    Some(if r != 0 { q + 1 } else { q })
                }
                None => Some(if self.mantissa > 0 { 1 } else { 0 }),
            }
        };
        match v {
            Some(v) if v > i128::from(i64::MAX) => i64::MAX,
            Some(v) if v < i128::from(i64::MIN) => i64::MIN,
            Some(v) => v as i64,
            None => {
                if self.mantissa >= 0 {
                    i64::MAX
                } else {
                    i64::MIN
                }
            }
        }
    }

    fn normalised(mut self) -> Quantity {
        if self.mantissa == 0 {
            self.exp10 = 0;
            return self;
        }
        while self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.exp10 += 1;
        }
        self
    }
}

fn parse_exponent(s: &str) -> Option<i32> {
    let (neg, digits) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: i32 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

impl fmt::Display for Quantity {
    /// Canonical form (apimachinery `String()`); see the quantity module tests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Provisional: whole bytes with a binary suffix when exact, else decimal.
        let v = self.value();
        if self.format == Format::BinarySI && v != 0 {
            for (suf, shift) in [("Ei", 60), ("Pi", 50), ("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)] {
                if v % (1i64 << shift) == 0 {
                    return write!(f, "{}{}", v >> shift, suf);
                }
            }
        }
        write!(f, "{v}")
    }
}

impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Human formatting of a byte count in binary units (`1.5 GiB`, `512 MiB`, `100 B`), for display.
pub fn format_bytes(bytes: i64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let neg = bytes < 0;
    let mut v = (bytes as f64).abs();
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    let s = if u == 0 || v.fract() == 0.0 { format!("{v:.0} {}", units[u]) } else { format!("{v:.2} {}", units[u]) };
    let s = s.replace(".00 ", " ");
    if neg {
        format!("-{s}")
    } else {
        s
    }
}
