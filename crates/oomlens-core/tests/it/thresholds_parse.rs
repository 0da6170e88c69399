//! Threshold parsing, ported from kubernetes/kubernetes pkg/kubelet/eviction/helpers_test.go
//! (TestParseThresholdConfig, TestAddAllocatableThresholds, TestParsePercentage; version with
//! map-typed evictionHard, kubelet ≥ 1.10) and GetThresholdQuantity vectors from
//! pkg/kubelet/cm/node_container_manager_linux_test.go; Go duration cases from Go's
//! src/time/time_test.go (parseDurationTests / parseDurationErrorTests).

use oomlens_core::base::go_duration::parse_go_duration;
use oomlens_core::kubelet::thresholds::*;
use oomlens_core::scenario::KubeletConfig;
use std::collections::BTreeMap;

fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// (signal, grace seconds, value, min reclaim) with values as "150Mi"-bytes or "p0.1".
type Exp = (&'static str, i64, &'static str, Option<&'static str>);

fn val(s: &str) -> ThresholdValue {
    if let Some(p) = s.strip_prefix('p') {
        ThresholdValue::Percentage(p.parse::<f32>().unwrap())
    } else {
        let q = oomlens_core::base::quantity::Quantity::parse(s).unwrap();
        ThresholdValue::Quantity {
            value: q.value(),
            quantity: q,
        }
    }
}

fn same_value(a: &ThresholdValue, b: &ThresholdValue) -> bool {
    match (a, b) {
        (ThresholdValue::Quantity { value: x, .. }, ThresholdValue::Quantity { value: y, .. }) => {
            x == y
        }
        (ThresholdValue::Percentage(x), ThresholdValue::Percentage(y)) => x == y,
        _ => false,
    }
}

fn matches(t: &Threshold, e: &Exp) -> bool {
    t.signal == e.0
        && t.grace_period_ns == e.1 * 1_000_000_000
        && same_value(&t.value, &val(e.2))
        && match (&t.min_reclaim, e.3) {
            (None, None) => true,
            (Some(a), Some(b)) => same_value(a, &val(b)),
            _ => false,
        }
}

#[test]
fn parse_threshold_config_table() {
    // (name, allocatableConfig, hard, soft, grace, minReclaim, expectErr, expected)
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        &str,
        Vec<&str>,
        Vec<(&str, &str)>,
        Vec<(&str, &str)>,
        Vec<(&str, &str)>,
        Vec<(&str, &str)>,
        bool,
        Vec<Exp>,
    )> = vec![
        (
            "no values",
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            false,
            vec![],
        ),
        (
            "all memory eviction values",
            vec!["pods"],
            vec![("memory.available", "150Mi")],
            vec![("memory.available", "300Mi")],
            vec![("memory.available", "30s")],
            vec![("memory.available", "0")],
            false,
            vec![
                ("allocatableMemory.available", 0, "150Mi", Some("0")),
                ("memory.available", 0, "150Mi", Some("0")),
                ("memory.available", 30, "300Mi", Some("0")),
            ],
        ),
        (
            "all memory eviction values in percentages",
            vec![],
            vec![("memory.available", "10%")],
            vec![("memory.available", "30%")],
            vec![("memory.available", "30s")],
            vec![("memory.available", "5%")],
            false,
            vec![
                ("memory.available", 0, "p0.1", Some("p0.05")),
                ("memory.available", 30, "p0.3", Some("p0.05")),
            ],
        ),
        (
            "disk eviction values",
            vec![],
            vec![
                ("imagefs.available", "150Mi"),
                ("nodefs.available", "100Mi"),
            ],
            vec![
                ("imagefs.available", "300Mi"),
                ("nodefs.available", "200Mi"),
            ],
            vec![("imagefs.available", "30s"), ("nodefs.available", "30s")],
            vec![("imagefs.available", "2Gi"), ("nodefs.available", "1Gi")],
            false,
            vec![
                ("imagefs.available", 0, "150Mi", Some("2Gi")),
                ("nodefs.available", 0, "100Mi", Some("1Gi")),
                ("imagefs.available", 30, "300Mi", Some("2Gi")),
                ("nodefs.available", 30, "200Mi", Some("1Gi")),
            ],
        ),
        (
            "disk eviction values in percentages",
            vec![],
            vec![("imagefs.available", "15%"), ("nodefs.available", "10.5%")],
            vec![("imagefs.available", "30%"), ("nodefs.available", "20.5%")],
            vec![("imagefs.available", "30s"), ("nodefs.available", "30s")],
            vec![("imagefs.available", "10%"), ("nodefs.available", "5%")],
            false,
            vec![
                ("imagefs.available", 0, "p0.15", Some("p0.1")),
                ("nodefs.available", 0, "p0.105", Some("p0.05")),
                ("imagefs.available", 30, "p0.3", Some("p0.1")),
                ("nodefs.available", 30, "p0.205", Some("p0.05")),
            ],
        ),
        (
            "inode eviction values",
            vec![],
            vec![
                ("imagefs.inodesFree", "150Mi"),
                ("nodefs.inodesFree", "100Mi"),
            ],
            vec![
                ("imagefs.inodesFree", "300Mi"),
                ("nodefs.inodesFree", "200Mi"),
            ],
            vec![("imagefs.inodesFree", "30s"), ("nodefs.inodesFree", "30s")],
            vec![("imagefs.inodesFree", "2Gi"), ("nodefs.inodesFree", "1Gi")],
            false,
            vec![
                ("imagefs.inodesFree", 0, "150Mi", Some("2Gi")),
                ("nodefs.inodesFree", 0, "100Mi", Some("1Gi")),
                ("imagefs.inodesFree", 30, "300Mi", Some("2Gi")),
                ("nodefs.inodesFree", 30, "200Mi", Some("1Gi")),
            ],
        ),
        (
            "disable via 0%",
            vec![],
            vec![("memory.available", "0%")],
            vec![("memory.available", "0%")],
            vec![],
            vec![],
            false,
            vec![],
        ),
        (
            "disable via 100%",
            vec![],
            vec![("memory.available", "100%")],
            vec![("memory.available", "100%")],
            vec![],
            vec![],
            false,
            vec![],
        ),
        (
            "invalid-signal",
            vec![],
            vec![("mem.available", "150Mi")],
            vec![],
            vec![],
            vec![],
            true,
            vec![],
        ),
        (
            "hard-signal-negative",
            vec![],
            vec![("memory.available", "-150Mi")],
            vec![],
            vec![],
            vec![],
            true,
            vec![],
        ),
        (
            "hard-signal-negative-percentage",
            vec![],
            vec![("memory.available", "-15%")],
            vec![],
            vec![],
            vec![],
            true,
            vec![],
        ),
        (
            "hard-signal-percentage-greater-than-100%",
            vec![],
            vec![("memory.available", "150%")],
            vec![],
            vec![],
            vec![],
            true,
            vec![],
        ),
        (
            "soft-signal-negative",
            vec![],
            vec![],
            vec![("memory.available", "-150Mi")],
            vec![],
            vec![],
            true,
            vec![],
        ),
        (
            "valid-and-invalid-signal",
            vec![],
            vec![("memory.available", "150Mi"), ("invalid.foo", "150Mi")],
            vec![],
            vec![],
            vec![],
            true,
            vec![],
        ),
        (
            "soft-no-grace-period",
            vec![],
            vec![],
            vec![("memory.available", "150Mi")],
            vec![],
            vec![],
            true,
            vec![],
        ),
        (
            "soft-negative-grace-period",
            vec![],
            vec![],
            vec![("memory.available", "150Mi")],
            vec![("memory.available", "-30s")],
            vec![],
            true,
            vec![],
        ),
        (
            "negative-reclaim",
            vec![],
            vec![],
            vec![],
            vec![],
            vec![("memory.available", "-300Mi")],
            true,
            vec![],
        ),
    ];
    assert_eq!(rows.len(), 17);
    for (name, alloc, hard, soft, grace, mr, expect_err, expected) in rows {
        let alloc: Vec<String> = alloc.iter().map(|s| s.to_string()).collect();
        let got = parse_threshold_maps(&alloc, &m(&hard), &m(&soft), &m(&grace), &m(&mr));
        assert_eq!(got.is_err(), expect_err, "{name}: {got:?}");
        let got = got.unwrap_or_default();
        assert_eq!(got.len(), expected.len(), "{name}: {got:?}");
        for e in &expected {
            assert!(
                got.iter().any(|t| matches(t, e)),
                "{name}: missing {e:?} in {got:?}"
            );
        }
    }
}

#[test]
fn add_allocatable_thresholds_table() {
    let t = |signal: &str, q: &str, grace: i64, mr: &str| Threshold {
        signal: signal.into(),
        kind: if grace == 0 {
            ThresholdKind::Hard
        } else {
            ThresholdKind::Soft
        },
        value: val(q),
        grace_period_ns: grace,
        min_reclaim: Some(val(mr)),
        derived_from_memory_available: false,
    };
    // non-memory-signal
    let out = add_allocatable_thresholds(vec![t("imagefs.available", "150Mi", 0, "0")]);
    assert_eq!(out.len(), 1);
    // memory-signal-with-grace
    let out = add_allocatable_thresholds(vec![t("memory.available", "150Mi", 10, "0")]);
    assert_eq!(out.len(), 1);
    // memory-signal-without-grace
    let out = add_allocatable_thresholds(vec![t("memory.available", "150Mi", 0, "0")]);
    assert_eq!(out.len(), 2);
    assert!(matches(
        &out[1],
        &("allocatableMemory.available", 0, "150Mi", Some("0"))
    ));
    // memory-signal-without-grace-two-thresholds
    let out = add_allocatable_thresholds(vec![
        t("memory.available", "150Mi", 0, "0"),
        t("memory.available", "200Mi", 0, "1Gi"),
    ]);
    assert_eq!(out.len(), 4);
    assert!(out
        .iter()
        .any(|x| matches(x, &("allocatableMemory.available", 0, "200Mi", Some("1Gi")))));
    assert!(out
        .iter()
        .any(|x| matches(x, &("allocatableMemory.available", 0, "150Mi", Some("0")))));
}

#[test]
fn parse_percentage_table() {
    assert!(parse_percentage("blah").is_err());
    assert_eq!(parse_percentage("25.5%"), Ok(0.255f32));
    assert!(parse_percentage("foo%").is_err());
    assert!(parse_percentage("12%345").is_err());
    assert_eq!(
        parse_percentage("1e39%").unwrap_err(),
        "strconv.ParseFloat: parsing \"1e39\": value out of range"
    );
}

#[test]
fn get_threshold_quantity_float32() {
    // node_container_manager_linux_test.go: 150Mi + 5% of 10Gi = 694157320 → 5% = 536870920.
    assert_eq!(
        ThresholdValue::Percentage(0.05).quantity_for(10 << 30),
        536_870_920
    );
    assert_eq!(
        ThresholdValue::Percentage(0.1).quantity_for(8 << 30),
        858_993_472
    );
    let ten = parse_percentage("10%").unwrap();
    assert_eq!(
        ThresholdValue::Percentage(ten).quantity_for(8 << 30),
        858_993_472
    );
}

#[test]
fn errors_name_field_and_use_kubelet_words() {
    let cfg = KubeletConfig {
        eviction_hard: Some(m(&[("memory.available", "0")])),
        ..Default::default()
    };
    let e = parse_threshold_config(&cfg).unwrap_err();
    assert_eq!(
        e.path,
        "node.kubeletConfig.evictionHard[\"memory.available\"]"
    );
    assert_eq!(
        e.message,
        "eviction threshold memory.available must be positive: 0"
    );
    let cfg = KubeletConfig {
        eviction_hard: Some(m(&[("mem.available", "1Gi")])),
        ..Default::default()
    };
    assert_eq!(
        parse_threshold_config(&cfg).unwrap_err().message,
        "unsupported eviction signal mem.available"
    );
    let cfg = KubeletConfig {
        eviction_soft: m(&[("memory.available", "1Gi")]),
        ..Default::default()
    };
    let e = parse_threshold_config(&cfg).unwrap_err();
    assert_eq!(
        e.message,
        "grace period must be specified for the soft eviction threshold memory.available"
    );
    let cfg = KubeletConfig {
        eviction_soft: m(&[("memory.available", "1Gi")]),
        eviction_soft_grace_period: m(&[("memory.available", "90")]),
        ..Default::default()
    };
    assert_eq!(
        parse_threshold_config(&cfg).unwrap_err().message,
        "time: missing unit in duration \"90\""
    );
    let cfg = KubeletConfig {
        eviction_hard: Some(m(&[("memory.available", "150%")])),
        ..Default::default()
    };
    assert_eq!(
        parse_threshold_config(&cfg).unwrap_err().message,
        "eviction percentage threshold memory.available must be <= 100%: 150%"
    );
}

#[test]
fn defaults_and_allocatable_copy() {
    let p = parse_threshold_config(&KubeletConfig::default()).unwrap();
    assert!(p.hard_defaulted);
    let hard = p.hard_memory_available().unwrap();
    assert_eq!(hard.quantity(16 << 30), 100 << 20);
    // enforceNodeAllocatable default ["pods"] → allocatableMemory.available copy exists.
    assert!(p
        .all
        .iter()
        .any(|t| t.signal == "allocatableMemory.available" && t.derived_from_memory_available));
    assert_eq!(p.memory().count(), 2);
    // enforceNodeAllocatable: [] → no copy.
    let cfg = KubeletConfig {
        enforce_node_allocatable: Some(vec![]),
        ..Default::default()
    };
    assert_eq!(parse_threshold_config(&cfg).unwrap().memory().count(), 1);
    // A user evictionHard replaces the defaults (no memory.available left).
    let cfg = KubeletConfig {
        eviction_hard: Some(m(&[("nodefs.available", "0%")])),
        ..Default::default()
    };
    assert!(parse_threshold_config(&cfg)
        .unwrap()
        .hard_memory_available()
        .is_none());
}

#[test]
fn eviction_flag_form() {
    let f = parse_eviction_flag("memory.available<100Mi,nodefs.available<10%").unwrap();
    assert_eq!(
        f,
        m(&[("memory.available", "100Mi"), ("nodefs.available", "10%")])
    );
    let g = parse_eviction_flag("memory.available=1m30s").unwrap();
    assert_eq!(
        parse_grace_period("memory.available", &g["memory.available"]),
        Ok(90_000_000_000)
    );
    assert!(parse_eviction_flag("memory.available<1Gi,memory.available<2Gi").is_err());
    assert!(parse_eviction_flag("memory.available").is_err());
    assert!(parse_eviction_flag("").unwrap().is_empty());
}

/// Go `src/time/time_test.go` `parseDurationTests` (every row, in order), from the Go ≥ 1.17 table
/// that includes the row for https://github.com/golang/go/issues/48629 (golang/go; release tag
/// not pinned).
#[test]
fn go_parse_duration_table() {
    const NS: i64 = 1;
    const US: i64 = 1_000;
    const MS: i64 = 1_000_000;
    const S: i64 = 1_000_000_000;
    const MIN: i64 = 60 * S;
    const H: i64 = 60 * MIN;
    let ok: &[(&str, i64)] = &[
        // simple
        ("0", 0),
        ("5s", 5 * S),
        ("30s", 30 * S),
        ("1478s", 1478 * S),
        // sign
        ("-5s", -5 * S),
        ("+5s", 5 * S),
        ("-0", 0),
        ("+0", 0),
        // decimal
        ("5.0s", 5 * S),
        ("5.6s", 5 * S + 600 * MS),
        ("5.s", 5 * S),
        (".5s", 500 * MS),
        ("1.0s", S),
        ("1.00s", S),
        ("1.004s", S + 4 * MS),
        ("1.0040s", S + 4 * MS),
        ("100.00100s", 100 * S + MS),
        // different units
        ("10ns", 10 * NS),
        ("11us", 11 * US),
        ("12\u{b5}s", 12 * US),
        ("12\u{3bc}s", 12 * US),
        ("13ms", 13 * MS),
        ("14s", 14 * S),
        ("15m", 15 * MIN),
        ("16h", 16 * H),
        // composite durations
        ("3h30m", 3 * H + 30 * MIN),
        ("10.5s4m", 4 * MIN + 10 * S + 500 * MS),
        ("-2m3.4s", -(2 * MIN + 3 * S + 400 * MS)),
        (
            "1h2m3s4ms5us6ns",
            H + 2 * MIN + 3 * S + 4 * MS + 5 * US + 6 * NS,
        ),
        ("39h9m14.425s", 39 * H + 9 * MIN + 14 * S + 425 * MS),
        // large value
        ("52763797000ns", 52763797000 * NS),
        // more than 9 digits after decimal point, golang/go#6617
        ("0.3333333333333333333h", 20 * MIN),
        // 9007199254740993 = 1<<53+1 cannot be stored precisely in a float64
        ("9007199254740993ns", (1 << 53) + 1),
        // largest duration that can be represented by int64 in nanoseconds
        ("9223372036854775807ns", i64::MAX),
        ("9223372036854775.807us", i64::MAX),
        ("9223372036s854ms775us807ns", i64::MAX),
        ("-9223372036854775808ns", i64::MIN),
        ("-9223372036854775.808us", i64::MIN),
        ("-9223372036s854ms775us808ns", i64::MIN),
        // largest negative value
        ("-9223372036854775808ns", i64::MIN),
        // largest negative round trip value, golang/go#48629
        ("-2562047h47m16.854775808s", i64::MIN),
        // huge string; golang/go#15011
        ("0.100000000000000000000h", 6 * MIN),
        // first overflow check in leadingFraction
        (
            "0.830103483285477580700h",
            49 * MIN + 48 * S + 372539827 * NS,
        ),
    ];
    for (s, want) in ok {
        assert_eq!(parse_go_duration(s), Ok(*want), "{s}");
    }
}

/// Go `src/time/time_test.go` `parseDurationErrorTests` (same file): Go checks the error
/// *contains* the quoted input. The three rows with invalid UTF-8 (`"\x85\x85"`, `"\xffff"`,
/// `"hello \xffff world"`) cannot be a Rust `&str` (scenario input is always UTF-8) and are left
/// out; every other row is here, plus the full message for the kinds kubelet users meet.
#[test]
fn go_parse_duration_error_table() {
    let rows: &[(&str, &str)] = &[
        // invalid
        ("", "\"\""),
        ("3", "\"3\""),
        ("-", "\"-\""),
        ("s", "\"s\""),
        (".", "\".\""),
        ("-.", "\"-.\""),
        (".s", "\".s\""),
        ("+.s", "\"+.s\""),
        ("1d", "\"1d\""),
        ("\u{FFFD}", "\"\\xef\\xbf\\xbd\""),
        (
            "\u{FFFD} hello \u{FFFD} world",
            "\"\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world\"",
        ),
        // overflow
        ("9223372036854775810ns", "\"9223372036854775810ns\""),
        ("9223372036854775808ns", "\"9223372036854775808ns\""),
        ("-9223372036854775809ns", "\"-9223372036854775809ns\""),
        ("9223372036854776us", "\"9223372036854776us\""),
        ("3000000h", "\"3000000h\""),
        ("9223372036854775.808us", "\"9223372036854775.808us\""),
        ("9223372036854ms775us808ns", "\"9223372036854ms775us808ns\""),
    ];
    for (s, want) in rows {
        let err = parse_go_duration(s).expect_err(s);
        assert!(err.contains(want), "{s:?}: {err} does not contain {want}");
    }
    // Full messages (src/time/format.go ParseDuration).
    for (s, want) in [
        ("", "time: invalid duration \"\""),
        ("3", "time: missing unit in duration \"3\""),
        ("1d", "time: unknown unit \"d\" in duration \"1d\""),
        (
            "1\u{b5}x",
            "time: unknown unit \"\\xc2\\xb5x\" in duration \"1\\xc2\\xb5x\"",
        ),
        ("3000000h", "time: invalid duration \"3000000h\""),
    ] {
        assert_eq!(parse_go_duration(s).unwrap_err(), want, "{s:?}");
    }
}
