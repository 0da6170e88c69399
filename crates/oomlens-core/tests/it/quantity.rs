//! Quantity parsing and formatting, ported from kubernetes/apimachinery
//! `pkg/api/resource/quantity_test.go` (read at apimachinery `eed236ce`, the v1.37 line).
//! Each table keeps the upstream test's name and one row per upstream case.

use oomlens_core::base::quantity::{Format, Quantity};
use proptest::prelude::*;
use std::cmp::Ordering;

/// Upstream `decQuantity(mantissa, exponent, format)` as the canonical string it denotes, so the
/// rows below read like upstream's: we compare values exactly via `cmp_value`.
fn dec(mantissa: i64, exponent: i32, format: Format) -> (Quantity, Format) {
    let text = format!("{mantissa}e{exponent}");
    (Quantity::parse(&text).unwrap(), format)
}

use Format::{BinarySI as B, DecimalExponent as X, DecimalSI as D};

/// `TestQuantityParse`: input → expected value and format (every row of the upstream table).
fn parse_table() -> Vec<(&'static str, (Quantity, Format))> {
    vec![
        ("0", dec(0, 0, D)),
        ("0n", dec(0, 0, D)),
        ("0u", dec(0, 0, D)),
        ("0m", dec(0, 0, D)),
        ("0Ki", dec(0, 0, B)),
        ("0k", dec(0, 0, D)),
        ("0Mi", dec(0, 0, B)),
        ("0M", dec(0, 0, D)),
        ("0Gi", dec(0, 0, B)),
        ("0G", dec(0, 0, D)),
        ("0Ti", dec(0, 0, B)),
        ("0T", dec(0, 0, D)),
        // Quantity less numbers are allowed
        ("1", dec(1, 0, D)),
        // Binary suffixes
        ("1Ki", dec(1024, 0, B)),
        ("8Ki", dec(8 * 1024, 0, B)),
        ("7Mi", dec(7 * 1024 * 1024, 0, B)),
        ("6Gi", dec(6 * 1024 * 1024 * 1024, 0, B)),
        ("5Ti", dec(5 * 1024 * 1024 * 1024 * 1024, 0, B)),
        ("4Pi", dec(4 * 1024 * 1024 * 1024 * 1024 * 1024, 0, B)),
        (
            "3Ei",
            dec(3 * 1024 * 1024 * 1024 * 1024 * 1024 * 1024, 0, B),
        ),
        ("10Ti", dec(10 * 1024 * 1024 * 1024 * 1024, 0, B)),
        ("100Ti", dec(100 * 1024 * 1024 * 1024 * 1024, 0, B)),
        // Decimal suffixes
        ("5n", dec(5, -9, D)),
        ("4u", dec(4, -6, D)),
        ("3m", dec(3, -3, D)),
        ("9", dec(9, 0, D)),
        ("8k", dec(8, 3, D)),
        ("50k", dec(5, 4, D)),
        ("7M", dec(7, 6, D)),
        ("6G", dec(6, 9, D)),
        ("5T", dec(5, 12, D)),
        ("40T", dec(4, 13, D)),
        ("300T", dec(3, 14, D)),
        ("2P", dec(2, 15, D)),
        ("1E", dec(1, 18, D)),
        // Decimal exponents
        ("1E-3", dec(1, -3, X)),
        ("1e3", dec(1, 3, X)),
        ("1E6", dec(1, 6, X)),
        ("1e9", dec(1, 9, X)),
        ("1E12", dec(1, 12, X)),
        ("1e15", dec(1, 15, X)),
        ("1E18", dec(1, 18, X)),
        // Nonstandard but still parsable
        ("1e14", dec(1, 14, X)),
        ("1e13", dec(1, 13, X)),
        ("1e3", dec(1, 3, X)),
        ("100.035k", dec(100035, 0, D)),
        // Things that look like floating point
        ("0.001", dec(1, -3, D)),
        ("0.0005k", dec(5, -1, D)),
        ("0.005", dec(5, -3, D)),
        ("0.05", dec(5, -2, D)),
        ("0.5", dec(5, -1, D)),
        ("0.00050k", dec(5, -1, D)),
        ("0.00500", dec(5, -3, D)),
        ("0.05000", dec(5, -2, D)),
        ("0.50000", dec(5, -1, D)),
        ("0.5e0", dec(5, -1, X)),
        ("0.5e-1", dec(5, -2, X)),
        ("0.5e-2", dec(5, -3, X)),
        ("0.5e0", dec(5, -1, X)),
        ("10.035M", dec(10035, 3, D)),
        ("1.2e3", dec(12, 2, X)),
        ("1.3E+6", dec(13, 5, X)),
        ("1.40e9", dec(14, 8, X)),
        ("1.53E12", dec(153, 10, X)),
        ("1.6e15", dec(16, 14, X)),
        ("1.7E18", dec(17, 17, X)),
        ("9.01", dec(901, -2, D)),
        ("8.1k", dec(81, 2, D)),
        ("7.123456M", dec(7123456, 0, D)),
        ("6.987654321G", dec(6987654321, 0, D)),
        ("5.444T", dec(5444, 9, D)),
        ("40.1T", dec(401, 11, D)),
        ("300.2T", dec(3002, 11, D)),
        ("2.5P", dec(25, 14, D)),
        ("1.01E", dec(101, 16, D)),
        // Things that saturate/round
        ("3.001n", dec(4, -9, D)),
        ("1.1E-9", dec(2, -9, X)),
        ("0.0000000001", dec(1, -9, D)),
        ("0.0000000005", dec(1, -9, D)),
        ("0.00000000050", dec(1, -9, D)),
        ("0.5e-9", dec(1, -9, X)),
        ("0.9n", dec(1, -9, D)),
        ("0.00000012345", dec(124, -9, D)),
        ("0.00000012354", dec(124, -9, D)),
        ("9Ei", dec(i64::MAX, 0, B)),
        ("9223372036854775807Ki", dec(i64::MAX, 0, B)),
        ("12E", dec(12, 18, D)),
        // We'll accept fractional binary stuff, too.
        ("100.035Ki", dec(10243584, -2, B)),
        ("0.5Mi", dec(512 * 1024, 0, B)),
        ("0.05Gi", dec(536870912, -1, B)),
        ("0.025Ti", dec(274877906944, -1, B)),
        // Things written by trolls
        ("0.000000000001Ki", dec(2, -9, D)), // rounds up, changes format
        (".001", dec(1, -3, D)),
        (".0001k", dec(100, -3, D)),
        ("1.", dec(1, 0, D)),
        ("1.G", dec(1, 9, D)),
    ]
}

#[test]
fn quantity_parse_table() {
    assert!(
        Quantity::parse("").is_err(),
        "expected empty string to return error"
    );
    for (input, (want, want_format)) in parse_table() {
        let got = Quantity::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            got.cmp_value(&want),
            Ordering::Equal,
            "{input}: expected {want}, got {got}"
        );
        assert_eq!(got.format(), want_format, "{input}");
        // "Try the negative version of everything" and "everything with an explicit +".
        let neg = Quantity::parse(&format!("-{input}")).unwrap();
        assert_eq!(
            neg.cmp_value(&Quantity::parse(&format!("-{want}")).unwrap_or(want)),
            Ordering::Equal,
            "-{input}"
        );
        assert_eq!(neg.format(), want_format, "-{input}");
        let pos = Quantity::parse(&format!("+{input}")).unwrap();
        assert_eq!(pos.cmp_value(&want), Ordering::Equal, "+{input}");
        assert_eq!(pos.format(), want_format, "+{input}");
    }
}

/// `TestQuantityParse` invalid list.
#[test]
fn quantity_parse_invalid() {
    for input in [
        "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ",
    ] {
        let e = Quantity::parse(input).expect_err(input);
        assert_eq!(e.input, input);
        assert!(!e.reason.is_empty());
    }
}

/// `TestParseQuantityString` rows that reach ParseQuantity: `.` and `-.` are zero.
#[test]
fn parse_quantity_string_dots() {
    assert!(Quantity::parse(".").unwrap().is_zero());
    assert!(Quantity::parse("-.").unwrap().is_zero());
    assert_eq!(Quantity::parse("1E-3").unwrap().milli_value(), 1);
}

/// `TestQuantityString`: value → canonical string, and the alternate spelling → the same string.
#[test]
fn quantity_string_table() {
    let table: Vec<((Quantity, Format), &str, &str)> = vec![
        (dec(1024 * 1024 * 1024, 0, B), "1Gi", "1024Mi"),
        (dec(300 * 1024 * 1024, 0, B), "300Mi", "307200Ki"),
        (dec(6 * 1024, 0, B), "6Ki", ""),
        (dec(1001 * 1024 * 1024 * 1024, 0, B), "1001Gi", "1025024Mi"),
        (dec(1024 * 1024 * 1024 * 1024, 0, B), "1Ti", "1024Gi"),
        (dec(5, 0, B), "5", "5000m"),
        (dec(500, -3, B), "500m", "0.5"),
        (dec(1, 9, D), "1G", "1000M"),
        (dec(1000, 6, D), "1G", "0.001T"),
        (dec(1000000, 3, D), "1G", ""),
        (dec(1000000000, 0, D), "1G", ""),
        (dec(1, -3, D), "1m", "1000u"),
        (dec(80, -3, D), "80m", ""),
        (dec(1080, -3, D), "1080m", "1.08"),
        (dec(108, -2, D), "1080m", "1080000000n"),
        (dec(10800, -4, D), "1080m", ""),
        (dec(300, 6, D), "300M", ""),
        (dec(1, 12, D), "1T", ""),
        (dec(1234567, 6, D), "1234567M", ""),
        (dec(1234567, -3, B), "1234567m", ""),
        (dec(3, 3, D), "3k", ""),
        (dec(1025, 0, B), "1025", ""),
        (dec(0, 0, D), "0", ""),
        (dec(0, 0, B), "0", ""),
        (dec(1, 9, X), "1e9", ".001e12"),
        (dec(1, -3, X), "1e-3", "0.001e0"),
        (dec(1, -9, X), "1e-9", "1000e-12"),
        (dec(80, -3, X), "80e-3", ""),
        (dec(300, 6, X), "300e6", ""),
        (dec(1, 12, X), "1e12", ""),
        (dec(1, 3, X), "1e3", ""),
        (dec(3, 3, X), "3e3", ""),
        (dec(3, 3, D), "3k", ""),
        (dec(0, 0, X), "0", "00"),
        (dec(1, -9, D), "1n", ""),
        (dec(80, -9, D), "80n", ""),
        (dec(1080, -9, D), "1080n", ""),
        (dec(108, -8, D), "1080n", ""),
        (dec(10800, -10, D), "1080n", ""),
        (dec(1, -6, D), "1u", ""),
        (dec(80, -6, D), "80u", ""),
        (dec(1080, -6, D), "1080u", ""),
    ];
    for ((value, format), expect, alternate) in table {
        // Rebuild the value in the row's format by parsing the expected canonical text.
        let q = Quantity::parse(expect).unwrap();
        assert_eq!(q.cmp_value(&value), Ordering::Equal, "{expect}");
        if !value.is_zero() {
            assert_eq!(q.format(), canonical_format(format, expect), "{expect}");
        }
        assert_eq!(q.to_string(), expect);
        if !alternate.is_empty() {
            assert_eq!(
                Quantity::parse(alternate).unwrap().to_string(),
                expect,
                "alternate {alternate}"
            );
        }
        if !q.is_zero() {
            assert_eq!(
                Quantity::parse(&format!("-{expect}")).unwrap().to_string(),
                format!("-{expect}")
            );
        }
    }
}

/// A BinarySI row whose canonical text has no binary suffix parses back as DecimalSI.
fn canonical_format(row: Format, expect: &str) -> Format {
    if row == Format::BinarySI && !expect.ends_with('i') {
        Format::DecimalSI
    } else {
        row
    }
}

/// `TestQuantityParseEmit`.
#[test]
fn quantity_parse_emit() {
    let table = [
        ("1Ki", "1Ki"),
        ("1Mi", "1Mi"),
        ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"),
        ("1000M", "1G"),
        (".001Ki", "1024m"),
        (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"),
        (".000000000001Ki", "2n"),
    ];
    for (input, expect) in table {
        assert_eq!(
            Quantity::parse(input).unwrap().to_string(),
            expect,
            "{input}"
        );
        assert_eq!(
            Quantity::parse(&format!("-{input}")).unwrap().to_string(),
            format!("-{expect}"),
            "-{input}"
        );
    }
}

/// `TestParseQuantity` (the min/max 18/19/20-digit and int64-boundary table): input → exact
/// value (as a decimal string) → canonical string ("" = the input itself).
#[test]
fn parse_quantity_boundaries() {
    let table: &[(&str, &str, &str)] = &[
        ("-999999999999999999", "-999999999999999999", ""),
        ("999999999999999999", "999999999999999999", ""),
        (
            "-999999999999999999.0",
            "-999999999999999999",
            "-999999999999999999",
        ),
        (
            "999999999999999999.0",
            "999999999999999999",
            "999999999999999999",
        ),
        (
            "-999999999999999999.1",
            "-999999999999999999.1",
            "-999999999999999999100m",
        ),
        (
            "999999999999999999.1",
            "999999999999999999.1",
            "999999999999999999100m",
        ),
        ("-9999999999999999999", "-9999999999999999999", ""),
        ("9999999999999999999", "9999999999999999999", ""),
        ("-1E", "-1000000000000000000", ""),
        ("1E", "1000000000000000000", ""),
        ("-1000000000000000000", "-1000000000000000000", "-1E"),
        ("1000000000000000000", "1000000000000000000", "1E"),
        (
            "-9999999999999999999.0",
            "-9999999999999999999",
            "-9999999999999999999",
        ),
        (
            "9999999999999999999.0",
            "9999999999999999999",
            "9999999999999999999",
        ),
        ("-1.0E", "-1000000000000000000", "-1E"),
        ("1.0E", "1000000000000000000", "1E"),
        ("-1000000000000000000.0", "-1000000000000000000", "-1E"),
        ("1000000000000000000.0", "1000000000000000000", "1E"),
        (
            "-9999999999999999999000m",
            "-9999999999999999999",
            "-9999999999999999999",
        ),
        (
            "9999999999999999999000m",
            "9999999999999999999",
            "9999999999999999999",
        ),
        (
            "-9999999999999999999.1",
            "-9999999999999999999.1",
            "-9999999999999999999100m",
        ),
        (
            "9999999999999999999.1",
            "9999999999999999999.1",
            "9999999999999999999100m",
        ),
        (
            "-1.0000000000000000001E",
            "-1000000000000000000.1",
            "-1000000000000000000100m",
        ),
        (
            "1.0000000000000000001E",
            "1000000000000000000.1",
            "1000000000000000000100m",
        ),
        (
            "-1000000000000000000.1",
            "-1000000000000000000.1",
            "-1000000000000000000100m",
        ),
        (
            "1000000000000000000.1",
            "1000000000000000000.1",
            "1000000000000000000100m",
        ),
        (
            "-1.000000000000000001E",
            "-1000000000000000001",
            "-1000000000000000001",
        ),
        (
            "1.000000000000000001E",
            "1000000000000000001",
            "1000000000000000001",
        ),
        ("-1000000000000000001", "-1000000000000000001", ""),
        ("1000000000000000001", "1000000000000000001", ""),
        ("-10E", "-10000000000000000000", ""),
        ("10E", "10000000000000000000", ""),
        ("-10000000000000000000", "-10000000000000000000", "-10E"),
        ("10000000000000000000", "10000000000000000000", "10E"),
        ("-10.0E", "-10000000000000000000", "-10E"),
        ("10.0E", "10000000000000000000", "10E"),
        ("-10000000000000000000.0", "-10000000000000000000", "-10E"),
        ("10000000000000000000.0", "10000000000000000000", "10E"),
        ("-10000000000000000000000m", "-10000000000000000000", "-10E"),
        ("10000000000000000000000m", "10000000000000000000", "10E"),
        (
            "-10.0000000000000000001E",
            "-10000000000000000000.1",
            "-10000000000000000000100m",
        ),
        (
            "10.0000000000000000001E",
            "10000000000000000000.1",
            "10000000000000000000100m",
        ),
        (
            "-10000000000000000000.1",
            "-10000000000000000000.1",
            "-10000000000000000000100m",
        ),
        (
            "10000000000000000000.1",
            "10000000000000000000.1",
            "10000000000000000000100m",
        ),
        (
            "-10.000000000000000001E",
            "-10000000000000000001",
            "-10000000000000000001",
        ),
        (
            "10.000000000000000001E",
            "10000000000000000001",
            "10000000000000000001",
        ),
        ("-10000000000000000001", "-10000000000000000001", ""),
        ("10000000000000000001", "10000000000000000001", ""),
        ("-9223372036854775809", "-9223372036854775809", ""),
        ("9223372036854775806", "9223372036854775806", ""),
        (
            "-9223372036854775809.0",
            "-9223372036854775809",
            "-9223372036854775809",
        ),
        (
            "9223372036854775806.0",
            "9223372036854775806",
            "9223372036854775806",
        ),
        (
            "-9223372036854775809000m",
            "-9223372036854775809",
            "-9223372036854775809",
        ),
        (
            "9223372036854775806000m",
            "9223372036854775806",
            "9223372036854775806",
        ),
        (
            "-9223372036854775809.1",
            "-9223372036854775809.1",
            "-9223372036854775809100m",
        ),
        (
            "9223372036854775806.1",
            "9223372036854775806.1",
            "9223372036854775806100m",
        ),
        ("-9223372036854775808", "-9223372036854775808", ""),
        ("9223372036854775807", "9223372036854775807", ""),
        (
            "-9223372036854775808.0",
            "-9223372036854775808",
            "-9223372036854775808",
        ),
        (
            "9223372036854775807.0",
            "9223372036854775807",
            "9223372036854775807",
        ),
        (
            "-9223372036854775808000m",
            "-9223372036854775808",
            "-9223372036854775808",
        ),
        (
            "9223372036854775807000m",
            "9223372036854775807",
            "9223372036854775807",
        ),
        (
            "-9223372036854775808.1",
            "-9223372036854775808.1",
            "-9223372036854775808100m",
        ),
        (
            "9223372036854775807.1",
            "9223372036854775807.1",
            "9223372036854775807100m",
        ),
        ("-9223372036854775807", "-9223372036854775807", ""),
        ("9223372036854775808", "9223372036854775808", ""),
        (
            "-9223372036854775807.0",
            "-9223372036854775807",
            "-9223372036854775807",
        ),
        (
            "9223372036854775808.0",
            "9223372036854775808",
            "9223372036854775808",
        ),
        (
            "-9223372036854775807000m",
            "-9223372036854775807",
            "-9223372036854775807",
        ),
        (
            "9223372036854775808000m",
            "9223372036854775808",
            "9223372036854775808",
        ),
        (
            "-9223372036854775807.1",
            "-9223372036854775807.1",
            "-9223372036854775807100m",
        ),
        (
            "9223372036854775808.1",
            "9223372036854775808.1",
            "9223372036854775808100m",
        ),
    ];
    for &(input, exact, canonical) in table {
        let q = Quantity::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        let want = Quantity::parse(exact).unwrap();
        assert_eq!(q.cmp_value(&want), Ordering::Equal, "{input} = {exact}");
        let expect = if canonical.is_empty() {
            input
        } else {
            canonical
        };
        assert_eq!(q.to_string(), expect, "{input}");
    }
}

/// `TestQuantityRoundUp` at scale 0 (what `Value()` does): round away from zero.
#[test]
fn value_rounds_away_from_zero() {
    assert_eq!(Quantity::parse("9.01").unwrap().value(), 10);
    assert_eq!(Quantity::parse("-9.01").unwrap().value(), -10);
    assert_eq!(Quantity::parse("9.01").unwrap().milli_value(), 9010);
    // TestScaledValue rows at scale 0 / milli: 1n, 1u, 1m → 1 unit; 1 → 1000m.
    for s in ["1n", "1u", "1m", "1"] {
        assert_eq!(Quantity::parse(s).unwrap().value(), 1, "{s}");
    }
    assert_eq!(Quantity::parse("1n").unwrap().milli_value(), 1);
    assert_eq!(Quantity::parse("1").unwrap().milli_value(), 1000);
    // memory: 1.5Gi = 1610612736 bytes; 0.1Ki = 102.4 → 103 bytes.
    assert_eq!(Quantity::parse("1.5Gi").unwrap().value(), 1_610_612_736);
    assert_eq!(Quantity::parse("0.1Ki").unwrap().value(), 103);
    assert_eq!(Quantity::parse("129e6").unwrap().value(), 129_000_000);
    assert_eq!(Quantity::parse("128974848").unwrap().value(), 128_974_848);
    assert_eq!(Quantity::parse("123Mi").unwrap().value(), 128_974_848);
}

#[test]
fn overflow_and_malformed_are_errors_or_saturate() {
    // Beyond int64: value saturates instead of wrapping.
    assert_eq!(Quantity::parse("100E").unwrap().value(), i64::MAX);
    assert_eq!(Quantity::parse("-100E").unwrap().value(), i64::MIN);
    assert_eq!(Quantity::parse("1e100").unwrap().value(), i64::MAX);
    // Exponents are canonicalised to multiples of 3, as AsCanonicalBytes does.
    assert_eq!(Quantity::parse("1e100").unwrap().to_string(), "10e99");
    // Huge exponents and digit strings are clear errors, not panics.
    assert!(Quantity::parse("1e99999999999").is_err());
    assert!(Quantity::parse(&"9".repeat(60)).is_err());
    assert!(Quantity::parse(&format!("{}Ki", "9".repeat(25))).is_err());
    // Tiny exponents round up to 1n.
    assert_eq!(
        Quantity::parse("1e-2000000000").unwrap().to_string(),
        "1e-9"
    );
    assert_eq!(
        Quantity::parse("1e-2000000000").unwrap().format(),
        Format::DecimalExponent
    );
    // parseQuantityString treats a missing number as 0: upstream accepts "Gi" and "-" as zero.
    assert!(Quantity::parse("Gi").unwrap().is_zero());
    assert!(Quantity::parse("-").unwrap().is_zero());
    for bad in [
        "12XB", "1KB", "1kb", "1Gi ", "1_000", "--1", "1e", "1e3.5", "0x10", "1GiB",
    ] {
        let e = Quantity::parse(bad).expect_err(bad);
        assert!(e.to_string().contains(bad), "{e}");
    }
}

#[test]
fn deserialize_accepts_strings_and_numbers() {
    let q: Quantity = serde_json::from_str("\"1Gi\"").unwrap();
    assert_eq!(q.value(), 1 << 30);
    let q: Quantity = serde_json::from_str("1073741824").unwrap();
    assert_eq!(q.value(), 1 << 30);
    let q: Quantity = serde_json::from_str("0.5").unwrap();
    assert_eq!(q.milli_value(), 500);
    assert!(serde_json::from_str::<Quantity>("\"12XB\"").is_err());
}

proptest! {
    /// Invariant: formatting a parsed quantity and parsing it again gives the same value and
    /// the same canonical text (parse ∘ format is the identity on values).
    #[test]
    fn parse_format_round_trip(m in -1_000_000_000_000i64..1_000_000_000_000i64,
                               suffix in prop::sample::select(vec!["", "n", "u", "m", "k", "M", "G", "T", "P", "E",
                                                                   "Ki", "Mi", "Gi", "Ti", "e3", "e-7", "E12"]),
                               frac in 0u32..4) {
        let text = if frac == 0 { format!("{m}{suffix}") } else {
            let p = 10i64.pow(frac);
            format!("{}{}.{:0w$}{suffix}", if m < 0 { "-" } else { "" }, (m / p).abs(), (m % p).abs(), w = frac as usize)
        };
        let q = Quantity::parse(&text).unwrap();
        let s = q.to_string();
        let back = Quantity::parse(&s).unwrap();
        prop_assert_eq!(back.cmp_value(&q), Ordering::Equal, "{} -> {} -> {}", text, s, back);
        prop_assert_eq!(back.value(), q.value());
        // Upstream's one exception (quantity.go CanonicalizeBytes): a BinarySI value no binary
        // suffix divides is printed as a plain number (`94893074687.5Ki` → `97170508480000`),
        // which parses back as DecimalSI and may then take a decimal suffix (`97170508480k`, as
        // `1000` prints `1k`). The text of that second round is stable.
        if back.to_string() != s {
            prop_assert_eq!(q.format(), B, "{} -> {} -> {}", text, s, back);
            prop_assert!(s.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit()), "{}", s);
            prop_assert_eq!(Quantity::parse(&back.to_string()).unwrap().to_string(), back.to_string());
        }
    }

    /// Invariant: from_bytes(n).value() == n and its text parses back to n bytes.
    #[test]
    fn bytes_round_trip(n in any::<i64>()) {
        let q = Quantity::from_bytes(n);
        prop_assert_eq!(q.value(), n);
        prop_assert_eq!(Quantity::parse(&q.to_string()).unwrap().value(), n);
    }

    /// Invariant: no input string makes the parser panic.
    #[test]
    fn parse_never_panics(s in "[-+0-9.eEinumkKMGTP ]{0,24}") {
        let _ = Quantity::parse(&s);
    }
}
