//! Kubernetes `resource.Quantity`: parsing and formatting as apimachinery does it
//! (`k8s.io/apimachinery/pkg/api/resource/quantity.go`, `suffix.go`, `amount.go`, read at
//! kubernetes/apimachinery `eed236ce`, the v1.37 line).
//!
//! Grammar (`parseQuantityString`): `[+-]<digits>[.<digits>]<suffix>` where the suffix is a binary SI
//! suffix (`Ki`…`Ei`), a decimal SI suffix (`n`, `u`, `m`, ``, `k`, `M`, `G`, `T`, `P`, `E`) or a
//! decimal exponent (`e3`, `E-2`, `e+6`). No whitespace is allowed anywhere.
//!
//! Values are kept exactly as `mantissa × 10^exp10`. As `ParseQuantity` does, a value finer than
//! 1n (10⁻⁹) is rounded up (away from zero) to the next nano; a BinarySI value above 2⁶³−1 is capped
//! at 2⁶³−1; a BinarySI value strictly between 0 and 1 becomes DecimalSI.
//! [`Quantity::value`] rounds away from zero to a whole unit, as `Quantity.Value()` does for the
//! int64 representation, which is how memory quantities become whole bytes.
//!
//! Known, deliberate differences from apimachinery (all on inputs no real manifest contains):
//! - apimachinery keeps arbitrary precision (`inf.Dec`); we keep 38 significant decimal digits
//!   (20 with a binary suffix) and reject longer inputs with a clear error.
//! - apimachinery reuses the input string as `String()` when it is "already canonical" (so `+1Ki`
//!   and `1E3` print as typed); we always print the computed canonical form (`1Ki`, `1e3`).
//! - apimachinery prints a DecimalSI value ≥ 10²¹ without a suffix (a bug: `1000E` → `1`); we print
//!   `1000E`.
//! - `Value()` on a value beyond the int64 range wraps in apimachinery; we saturate.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

/// The suffix family a quantity was written in; formatting keeps it (apimachinery `Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// `Ki`, `Mi`, … (powers of 1024).
    BinarySI,
    /// `n`, `u`, `m`, `k`, `M`, … (powers of 1000), or no suffix.
    DecimalSI,
    /// `e<n>` / `E<n>`.
    DecimalExponent,
}

/// A [`Quantity`] kept by an evaluation record for its derivation text: 16 bytes when the mantissa
/// fits in 64 bits (every quantity a scenario realistically holds), the whole quantity otherwise.
/// [`QuantityRecord::get`] gives the quantity back exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityRecord(RecordRepr);

#[derive(Debug, Clone, PartialEq, Eq)]
enum RecordRepr {
    Compact {
        mantissa: i64,
        exp10: i32,
        format: Format,
    },
    Full(Box<Quantity>),
}

impl QuantityRecord {
    /// The record of `q`.
    pub fn of(q: &Quantity) -> QuantityRecord {
        QuantityRecord(match i64::try_from(q.mantissa) {
            Ok(mantissa) => RecordRepr::Compact {
                mantissa,
                exp10: q.exp10,
                format: q.format,
            },
            Err(_) => RecordRepr::Full(Box::new(*q)),
        })
    }

    /// The quantity.
    pub fn get(&self) -> Quantity {
        match &self.0 {
            RecordRepr::Compact {
                mantissa,
                exp10,
                format,
            } => Quantity {
                mantissa: i128::from(*mantissa),
                exp10: *exp10,
                format: *format,
            },
            RecordRepr::Full(q) => **q,
        }
    }
}

/// A parsed quantity: exactly `mantissa × 10^exp10` (mantissa without trailing zeros, `exp10 ≥ −9`).
///
/// Equality and ordering compare values, as apimachinery's `Cmp`/`Equal` do: `1Gi == 1024Mi ==
/// 1073741824`; the format only decides how it prints.
#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    mantissa: i128,
    exp10: i32,
    format: Format,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_value(other)
    }
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
    QuantityError {
        input: input.to_string(),
        reason: reason.into(),
    }
}

/// apimachinery `ErrFormatWrong`, in plain words.
const FORMAT_WRONG: &str =
    "expected a number with an optional suffix, such as 128Mi, 1Gi, 500M, 250m, 0.5 or 1e9 (no spaces)";
/// apimachinery `ErrSuffix`, in plain words.
const SUFFIX_WRONG: &str =
    "unknown suffix: expected one of Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or an exponent e<n>";
/// Most significant decimal digits kept (i128 holds 38).
const MAX_DIGITS: usize = 38;
/// Most significant digits accepted with a binary suffix (× 2⁶⁰ must still fit in i128).
const MAX_BINARY_DIGITS: usize = 20;
/// The cap of a BinarySI quantity (`maxAllowed` in quantity.go: 2⁶³−1).
const MAX_ALLOWED: i128 = i64::MAX as i128;

/// The pieces `parseQuantityString` splits a quantity into.
struct Split<'a> {
    positive: bool,
    /// Integer digits with leading zeros stripped (`"0"` when none).
    num: &'a str,
    /// Fraction digits (may be empty).
    denom: &'a str,
    suffix: &'a str,
}

/// Port of `parseQuantityString` (quantity.go): a scanner, not a validator of the suffix.
fn split(s: &str) -> Option<Split<'_>> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos = 1;
        }
        Some(b'+') => pos = 1,
        _ => {}
    }
    while pos < end && b.get(pos) == Some(&b'0') {
        pos += 1;
    }
    if pos >= end {
        return Some(Split {
            positive,
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let num_start = pos;
    while pos < end && b.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    let num = if pos == num_start {
        "0"
    } else {
        s.get(num_start..pos)?
    };
    let mut denom = "";
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let d_start = pos;
        while pos < end && b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        denom = s.get(d_start..pos)?;
    }
    let suffix_start = pos;
    while pos < end && b.get(pos).is_some_and(|c| b"eEinumkKMGTP".contains(c)) {
        pos += 1;
    }
    if pos < end && matches!(b.get(pos), Some(b'-') | Some(b'+')) {
        pos += 1;
    }
    while pos < end && b.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    if pos < end {
        return None;
    }
    Some(Split {
        positive,
        num,
        denom,
        suffix: s.get(suffix_start..)?,
    })
}

/// Port of `suffixHandler.interpret`: (base, exponent, format).
fn interpret(suffix: &str) -> Option<(u32, i64, Format)> {
    let r = match suffix {
        "" => (10, 0, Format::DecimalSI),
        "n" => (10, -9, Format::DecimalSI),
        "u" => (10, -6, Format::DecimalSI),
        "m" => (10, -3, Format::DecimalSI),
        "k" => (10, 3, Format::DecimalSI),
        "M" => (10, 6, Format::DecimalSI),
        "G" => (10, 9, Format::DecimalSI),
        "T" => (10, 12, Format::DecimalSI),
        "P" => (10, 15, Format::DecimalSI),
        "E" => (10, 18, Format::DecimalSI),
        "Ki" => (2, 10, Format::BinarySI),
        "Mi" => (2, 20, Format::BinarySI),
        "Gi" => (2, 30, Format::BinarySI),
        "Ti" => (2, 40, Format::BinarySI),
        "Pi" => (2, 50, Format::BinarySI),
        "Ei" => (2, 60, Format::BinarySI),
        other if other.len() > 1 && (other.starts_with('e') || other.starts_with('E')) => {
            let e: i64 = other.get(1..)?.parse().ok()?;
            (10, e, Format::DecimalExponent)
        }
        _ => return None,
    };
    Some(r)
}

/// `10^e` for every `e` whose power fits in i128 (0..=38), by index.
const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < t.len() {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `10^e`, `None` when it does not fit in i128 (`checked_pow`, by table).
#[inline]
fn pow10(e: u32) -> Option<i128> {
    POW10.get(e as usize).copied()
}

/// `10^e` as u128, `None` when it does not fit (`10^38` is the largest power below 2^128, as
/// below 2^127).
#[inline]
fn pow10_u128(e: u32) -> Option<u128> {
    pow10(e).map(i128::unsigned_abs)
}

/// `m / 10^d`, rounded away from zero; `m ≥ 0`.
fn div_pow10_up(m: i128, d: u32) -> i128 {
    match pow10(d) {
        Some(p) => {
            let q = m / p;
            if m % p != 0 {
                q + 1
            } else {
                q
            }
        }
        None => i128::from(m != 0),
    }
}

impl Quantity {
    /// Parses a quantity string as `resource.ParseQuantity` does (see the module doc for the
    /// rounding and capping rules). Malformed or unrepresentable input is an error, never a panic.
    pub fn parse(input: &str) -> Result<Quantity, QuantityError> {
        if input.is_empty() {
            return Err(err(input, "empty: ".to_string() + FORMAT_WRONG));
        }
        let sp = split(input).ok_or_else(|| err(input, FORMAT_WRONG))?;
        let (base, exponent, mut format) = match interpret(sp.suffix) {
            Some(x) => x,
            None => {
                return Err(err(input, format!("{SUFFIX_WRONG} (got {:?})", sp.suffix)));
            }
        };
        if i32::try_from(exponent).is_err() {
            return Err(err(input, "exponent out of range"));
        }
        // value = S × 2^k × 10^e, S = significant digits without leading/trailing zeros.
        let digits: String = [sp.num, sp.denom].concat();
        let sig = digits.trim_start_matches('0');
        let trimmed = sig.trim_end_matches('0');
        let trailing = (sig.len() - trimmed.len()) as i64;
        let n = sp.denom.len() as i64;
        let (k, mut e) = if base == 2 {
            (exponent, trailing - n)
        } else {
            (0, exponent + trailing - n)
        };
        let limit = if base == 2 {
            MAX_BINARY_DIGITS
        } else {
            MAX_DIGITS
        };
        if trimmed.len() > limit {
            return Err(err(
                input,
                format!("more than {limit} significant digits are not supported"),
            ));
        }
        let s: i128 = if trimmed.is_empty() {
            0
        } else {
            trimmed.parse().map_err(|_| err(input, FORMAT_WRONG))?
        };
        // k ≤ 60 and S < 10^20 for binary, so this cannot overflow.
        let mut m = s
            .checked_mul(1i128 << k)
            .ok_or_else(|| err(input, "too large"))?;
        if m == 0 {
            return Ok(Quantity {
                mantissa: 0,
                exp10: 0,
                format,
            });
        }
        // Round up (away from zero) to the nano scale, as ParseQuantity does.
        if e < -9 {
            let d = u32::try_from(-9 - e).unwrap_or(u32::MAX);
            m = div_pow10_up(m, d);
            e = -9;
        }
        if format == Format::BinarySI {
            let over = if e >= 0 {
                match pow10(e as u32).and_then(|p| m.checked_mul(p)) {
                    Some(v) => v > MAX_ALLOWED,
                    None => true,
                }
            } else {
                match pow10((-e) as u32).and_then(|p| MAX_ALLOWED.checked_mul(p)) {
                    Some(cap) => m > cap,
                    None => false,
                }
            };
            if over {
                m = MAX_ALLOWED;
                e = 0;
            } else if e < 0 && pow10((-e) as u32).is_some_and(|p| m < p) {
                // 0 < value < 1: "This avoids rounding and hopefully confusion, too."
                format = Format::DecimalSI;
            }
        }
        let exp10 = i32::try_from(e).map_err(|_| err(input, "exponent out of range"))?;
        let mantissa = if sp.positive { m } else { -m };
        Ok(Quantity {
            mantissa,
            exp10,
            format,
        }
        .normalised())
    }

    /// A quantity of exactly `bytes` (BinarySI format).
    pub fn from_bytes(bytes: i64) -> Quantity {
        Quantity {
            mantissa: i128::from(bytes),
            exp10: 0,
            format: Format::BinarySI,
        }
        .normalised()
    }

    /// A quantity of exactly `milli / 1000` (DecimalSI format), e.g. CPU millicores.
    pub fn from_milli(milli: i64) -> Quantity {
        Quantity {
            mantissa: i128::from(milli),
            exp10: -3,
            format: Format::DecimalSI,
        }
        .normalised()
    }

    /// Zero (DecimalSI).
    pub fn zero() -> Quantity {
        Quantity {
            mantissa: 0,
            exp10: 0,
            format: Format::DecimalSI,
        }
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

    /// True when the value is above zero.
    pub fn is_positive(&self) -> bool {
        self.mantissa > 0
    }

    /// The value rounded away from zero to a whole unit (`Quantity.Value()`), saturating at the
    /// i64 range. For memory this is whole bytes.
    #[inline]
    pub fn value(&self) -> i64 {
        // A whole number that fits (how memory quantities are stored): no call.
        if self.exp10 == 0 {
            if let Ok(v) = i64::try_from(self.mantissa) {
                return v;
            }
        }
        self.scaled_value(0)
    }

    /// The value in thousandths, rounded away from zero (`Quantity.MilliValue()`), saturating.
    pub fn milli_value(&self) -> i64 {
        self.scaled_value(3)
    }

    /// The value as `f64` (approximate; for charts and ratios only).
    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.exp10)
    }

    /// `self + other`, exactly, keeping `self`'s format (apimachinery `Quantity.Add`); `None` on
    /// overflow of the 38-digit mantissa.
    pub fn checked_add(&self, other: &Quantity) -> Option<Quantity> {
        if other.mantissa == 0 {
            return Some(*self);
        }
        if self.mantissa == 0 {
            return Some(Quantity {
                format: self.format,
                ..*other
            });
        }
        let e = self.exp10.min(other.exp10);
        let a = pow10(self.exp10.abs_diff(e)).and_then(|p| self.mantissa.checked_mul(p))?;
        let b = pow10(other.exp10.abs_diff(e)).and_then(|p| other.mantissa.checked_mul(p))?;
        Some(
            Quantity {
                mantissa: a.checked_add(b)?,
                exp10: e,
                format: self.format,
            }
            .normalised(),
        )
    }

    /// `self + other`; on overflow the larger-magnitude operand's sign decides ±(2⁶³−1) bytes.
    pub fn saturating_add(&self, other: &Quantity) -> Quantity {
        self.checked_add(other).unwrap_or_else(|| {
            let big = if self.mantissa.abs() >= other.mantissa.abs() {
                self
            } else {
                other
            };
            let v = if big.mantissa < 0 {
                -MAX_ALLOWED
            } else {
                MAX_ALLOWED
            };
            Quantity {
                mantissa: v,
                exp10: 0,
                format: self.format,
            }
            .normalised()
        })
    }

    /// `-self` (apimachinery `Quantity.Neg`).
    pub fn negated(&self) -> Quantity {
        Quantity {
            mantissa: -self.mantissa,
            ..*self
        }
    }

    /// The same value in another format (how it prints).
    pub fn with_format(&self, format: Format) -> Quantity {
        Quantity { format, ..*self }
    }

    /// Compares the values (not the formats): `1Gi` equals `1073741824`.
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        let (a, b) = (self.mantissa, other.mantissa);
        if a.signum() != b.signum() || a == 0 {
            return a.signum().cmp(&b.signum());
        }
        // Same sign, both non-zero: compare |a|·10^ea with |b|·10^eb.
        let mag = match self.exp10.cmp(&other.exp10) {
            Ordering::Equal => a.abs().cmp(&b.abs()),
            Ordering::Greater => {
                let d = self.exp10.abs_diff(other.exp10);
                match pow10(d).and_then(|p| a.abs().checked_mul(p)) {
                    Some(x) => x.cmp(&b.abs()),
                    None => Ordering::Greater,
                }
            }
            Ordering::Less => {
                let d = self.exp10.abs_diff(other.exp10);
                match pow10(d).and_then(|p| b.abs().checked_mul(p)) {
                    Some(y) => a.abs().cmp(&y),
                    None => Ordering::Less,
                }
            }
        };
        if a > 0 {
            mag
        } else {
            mag.reverse()
        }
    }

    /// round-away-from-zero(value × 10^scale), saturating to i64 (`AsScaledInt64` / `negativeScaleInt64`).
    fn scaled_value(&self, scale: i32) -> i64 {
        let e = i64::from(self.exp10) + i64::from(scale);
        // Fast path: a whole number already (how memory quantities are stored).
        if e == 0 {
            return i64::try_from(self.mantissa).unwrap_or(if self.mantissa < 0 {
                i64::MIN
            } else {
                i64::MAX
            });
        }
        let mag = self.mantissa.unsigned_abs();
        let v: Option<u128> = if e >= 0 {
            u32::try_from(e)
                .ok()
                .and_then(pow10_u128)
                .and_then(|p| mag.checked_mul(p))
        } else {
            match u32::try_from(-e).ok().and_then(pow10_u128) {
                Some(p) => Some(mag / p + u128::from(!mag.is_multiple_of(p))),
                None => Some(u128::from(mag != 0)),
            }
        };
        let neg = self.mantissa < 0;
        match v {
            Some(v) if !neg => i64::try_from(v).unwrap_or(i64::MAX),
            Some(v) => {
                if v > u128::from(i64::MAX as u64) + 1 {
                    i64::MIN
                } else {
                    (-(v as i128)) as i64
                }
            }
            None => {
                if neg {
                    i64::MIN
                } else {
                    i64::MAX
                }
            }
        }
    }

    fn normalised(mut self) -> Quantity {
        if self.mantissa == 0 {
            self.exp10 = 0;
            return self;
        }
        // Fast path: in i64 the division by the constant 10 is a multiplication; in i128 it is a
        // library call.
        if let Ok(mut m) = i64::try_from(self.mantissa) {
            while m % 10 == 0 {
                m /= 10;
                self.exp10 = self.exp10.saturating_add(1);
            }
            self.mantissa = i128::from(m);
            return self;
        }
        while self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.exp10 = self.exp10.saturating_add(1);
        }
        self
    }

    /// The exact value when it is a whole number that fits in i64 (then `value()` is that number
    /// and sums of such quantities can be done in i64).
    pub fn exact_i64(&self) -> Option<i64> {
        if self.exp10 == 0 {
            return i64::try_from(self.mantissa).ok();
        }
        self.as_integer().and_then(|v| i64::try_from(v).ok())
    }

    /// The exact integer value when it is whole and fits in i128.
    fn as_integer(&self) -> Option<i128> {
        if self.exp10 < 0 {
            return None;
        }
        pow10(self.exp10 as u32).and_then(|p| self.mantissa.checked_mul(p))
    }

    /// `CanonicalizeBytes`: the number and suffix of the canonical form.
    fn canonical(&self) -> (String, String) {
        if self.mantissa == 0 {
            return ("0".into(), String::new());
        }
        let mut format = self.format;
        let mut binary_value = None;
        if format == Format::BinarySI {
            let small = self.cmp_value(&Quantity::from_bytes(-1024)) == Ordering::Greater
                && self.cmp_value(&Quantity::from_bytes(1024)) == Ordering::Less;
            if small {
                format = Format::DecimalSI;
            } else {
                match self.as_integer() {
                    Some(v) => binary_value = Some(v),
                    None => format = Format::DecimalSI,
                }
            }
        }
        if let Some(mut v) = binary_value {
            // AsCanonicalBase1024Bytes: remove factors of 1024.
            let mut times = 0usize;
            while times < 6 && v != 0 && v % 1024 == 0 {
                v /= 1024;
                times += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .get(times)
                .copied()
                .unwrap_or("");
            return (v.to_string(), suffix.to_string());
        }
        // AsCanonicalBytes: exponent a multiple of 3.
        let mut digits = self.mantissa.unsigned_abs().to_string();
        let mut e = i64::from(self.exp10);
        let r = e.rem_euclid(3);
        for _ in 0..r {
            digits.push('0');
        }
        e -= r;
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let suffix = match format {
            Format::DecimalExponent => {
                if e == 0 {
                    String::new()
                } else {
                    format!("e{e}")
                }
            }
            _ => {
                let table = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
                if e > 18 {
                    for _ in 0..(e - 18) {
                        digits.push('0');
                    }
                    "E".to_string()
                } else if let Some(s) = usize::try_from((e + 9) / 3)
                    .ok()
                    .and_then(|i| table.get(i))
                    .filter(|_| e >= -9)
                {
                    s.to_string()
                } else {
                    format!("e{e}")
                }
            }
        };
        (format!("{sign}{digits}"), suffix)
    }
}

impl fmt::Display for Quantity {
    /// Canonical form (apimachinery `Quantity.String()`), e.g. `1Gi`, `500m`, `1e9`, `1080n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, s) = self.canonical();
        write!(f, "{n}{s}")
    }
}

impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Quantity {
    /// Reads a quantity from a string (`"1Gi"`) or a number (`1073741824`, `0.5`), as the API
    /// server accepts both.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            I(i64),
            U(u64),
            F(f64),
            S(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::I(i) => i.to_string(),
            Raw::U(u) => u.to_string(),
            Raw::F(x) => x.to_string(),
            Raw::S(s) => s,
        };
        Quantity::parse(&text).map_err(serde::de::Error::custom)
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
    let unit = units.get(u).copied().unwrap_or("B");
    let s = if u == 0 || v.fract() == 0.0 {
        format!("{v:.0} {unit}")
    } else {
        format!("{v:.2} {unit}")
    };
    let s = s.replace(".00 ", " ");
    if neg {
        format!("-{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow10_table_is_checked_pow() {
        for e in 0..=45u32 {
            assert_eq!(pow10(e), 10i128.checked_pow(e), "10^{e} as i128");
            assert_eq!(pow10_u128(e), 10u128.checked_pow(e), "10^{e} as u128");
        }
    }

    #[test]
    fn split_matches_parse_quantity_string() {
        // TestParseQuantityString (quantity_test.go)
        let s = split("1.025Ti").unwrap();
        assert_eq!(
            (s.positive, s.num, s.denom, s.suffix),
            (true, "1", "025", "Ti")
        );
        let s = split("-.").unwrap();
        assert_eq!((s.positive, s.num, s.denom, s.suffix), (false, "0", "", ""));
        let s = split("1E-3").unwrap();
        assert_eq!((s.num, s.denom, s.suffix), ("1", "", "E-3"));
    }
}
