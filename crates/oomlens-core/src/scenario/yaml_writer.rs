//! A block-style YAML writer for the scenario file (`scenario::scenario_to_yaml`).
//!
//! It writes what libyaml's emitter wrote for a scenario (block mappings, sequences not indented
//! under their key, plain scalars where they read back as the same string, double quotes
//! otherwise) without linking libyaml's emitter into the wasm app (~30 KB). Whether a string may
//! stay plain is decided by the same YAML reader that reads scenarios back, so
//! `parse(write(v)) == v` holds by construction for strings; the tests check it on every example,
//! on generated scenarios (`tests/it/properties.rs`) and on arbitrary strings, and check that the
//! value read back equals the one serde_yaml_ng's own emitter produces.

use serde_yaml_ng::{Mapping, Value};
use std::fmt::Write as _;

/// `v` as a YAML document (block style, two-space indent, a trailing newline).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Mapping(m) if !m.is_empty() => mapping(m, 0, &mut out),
        Value::Sequence(s) if !s.is_empty() => sequence(s, 0, false, &mut out),
        other => {
            inline(other, &mut out);
            out.push('\n');
        }
    }
    out
}

fn pad(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn mapping(m: &Mapping, indent: usize, out: &mut String) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            pad(indent, out);
        }
        entry(k, v, indent, out);
    }
}

/// `key: value` at the current position (indentation already written).
fn entry(k: &Value, v: &Value, indent: usize, out: &mut String) {
    inline(k, out);
    out.push(':');
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            out.push('\n');
            pad(indent + 2, out);
            mapping(m, indent + 2, out);
        }
        Value::Sequence(s) if !s.is_empty() => {
            out.push('\n');
            sequence(s, indent, false, out);
        }
        other => {
            out.push(' ');
            inline(other, out);
            out.push('\n');
        }
    }
}

/// A block sequence at `indent`; with `inline_first` the first `-` goes where the cursor is (an
/// item of an outer sequence: `- - a`).
fn sequence(s: &[Value], indent: usize, inline_first: bool, out: &mut String) {
    for (i, v) in s.iter().enumerate() {
        if i > 0 || !inline_first {
            pad(indent, out);
        }
        out.push('-');
        match v {
            Value::Mapping(m) if !m.is_empty() => {
                out.push(' ');
                mapping(m, indent + 2, out);
            }
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push(' ');
                sequence(inner, indent + 2, true, out);
            }
            other => {
                out.push(' ');
                inline(other, out);
                out.push('\n');
            }
        }
    }
}

/// A value on one line: scalars, empty collections, and (only under a tag) flow collections.
fn inline(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => string(s, out),
        Value::Sequence(s) => {
            out.push('[');
            for (i, v) in s.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inline(v, out);
            }
            out.push(']');
        }
        Value::Mapping(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inline(k, out);
                out.push_str(": ");
                inline(v, out);
            }
            out.push('}');
        }
        Value::Tagged(t) => {
            let _ = write!(out, "{} ", t.tag);
            inline(&t.value, out);
        }
    }
}

/// Words YAML 1.1 (Kubernetes' reader, go-yaml) or 1.2 would read as a boolean, null or float.
const WORDS: [&str; 12] = [
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".inf", ".nan",
];

/// True when `s` written plain reads back as the string `s`, in YAML 1.2 (this crate's reader)
/// and in YAML 1.1 (go-yaml, what `kubectl` reads manifests with).
pub fn plain_ok(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return false;
    };
    // Printable ASCII without any indicator that could start or break a plain scalar.
    let simple = s.bytes().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'/' | b'+' | b'@' | b'=')
    });
    if !simple || !(first.is_ascii_alphanumeric() || matches!(first, b'.' | b'_' | b'/')) {
        return false;
    }
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return false;
    }
    // Anything number-like (ints, floats, hex/octal/binary, `1_000`, dates) stays quoted unless it
    // holds a letter no YAML number uses (`16Gi`, `500m`, `1m30s` are plain).
    if (first.is_ascii_digit() || first == b'.')
        && !s
            .bytes()
            .any(|b| b.is_ascii_alphabetic() && !b"abcdefABCDEFxXoO".contains(&b))
    {
        return false;
    }
    // What is left reads back as itself: a property test feeds the reader every string these
    // rules admit (`tests/it/properties.rs`, `plain_scalars_read_back`). The writer does not ask
    // the reader itself, so the web app's first load writes YAML without carrying the reader.
    true
}

/// Needs the double-quoted style (escapes): line breaks, control and other non-printable chars.
fn needs_escapes(c: char) -> bool {
    c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

fn string(s: &str, out: &mut String) {
    if plain_ok(s) {
        out.push_str(s);
    } else if !s.chars().any(needs_escapes) {
        // Single quotes, as libyaml writes them: only `'` is escaped (doubled).
        out.push('\'');
        for c in s.chars() {
            if c == '\'' {
                out.push('\'');
            }
            out.push(c);
        }
        out.push('\'');
    } else {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if needs_escapes(c) => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str) -> Value {
        serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn strings_that_would_change_meaning_are_quoted() {
        for s in [
            "1.34",
            "110",
            "0x1f",
            "true",
            "False",
            "null",
            "~",
            "yes",
            "no",
            "on",
            "1e3",
            ".inf",
            "-1",
            "",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "#c",
            "- x",
            "[x]",
            "{x}",
            "*a",
            "&a",
            "!t",
            "|",
            ">",
            "'q'",
            "\"q\"",
            "%p",
            "@a",
            "`b`",
            "line\nbreak",
            "tab\there",
            "quote\"back\\slash",
            "\u{1}ctl",
            "中文",
        ] {
            let v = Value::String(s.into());
            let text = to_yaml(&v);
            assert_eq!(read(&text), v, "{s:?} written as {text:?}");
        }
        assert_eq!(to_yaml(&Value::String("1.34".into())), "'1.34'\n");
        assert_eq!(to_yaml(&Value::String("it's".into())), "'it''s'\n");
        assert_eq!(to_yaml(&Value::String("a\nb".into())), "\"a\\nb\"\n");
        assert_eq!(to_yaml(&Value::String("16Gi".into())), "16Gi\n");
        assert_eq!(
            to_yaml(&Value::String("memory.available".into())),
            "memory.available\n"
        );
    }

    #[test]
    fn nested_documents_read_back_and_match_libyaml() {
        let text = "kubeletVersion: '1.34'\nnode:\n  memory: 16Gi\n  maxPods: 110\n  kubeletConfig:\n    enforceNodeAllocatable:\n    - pods\n    - kube-reserved\n    evictionHard: {}\n    memoryThrottlingFactor: 0.9\npods:\n- metadata:\n    name: web\n    annotations: {}\n  spec:\n    containers:\n    - name: app\n      resources:\n        limits:\n          memory: 1Gi\n    - name: b\n  list: []\n- []\n- - nested\n  - 2\n- null\nusage:\n  default/web/app: 900Mi\n";
        let v = read(text);
        let ours = to_yaml(&v);
        assert_eq!(read(&ours), v, "{ours}");
        let theirs = serde_yaml_ng::to_string(&v).unwrap();
        assert_eq!(read(&ours), read(&theirs));
        // Same layout as libyaml for the scenario's shapes.
        assert_eq!(ours, theirs);
    }

    /// Every example scenario is written exactly as libyaml's emitter (serde_yaml_ng) wrote it
    /// before this writer existed; every pod fixture reads back as the same value (this writer
    /// quotes a few strings libyaml left plain, e.g. `'7d9c8b5f4'`, `'nginx:1.27'`).
    #[test]
    fn examples_are_written_as_libyaml_wrote_them() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let mut n = 0;
        for dir in [
            "examples/scenarios",
            "crates/oomlens-core/tests/fixtures/pods",
        ] {
            for e in std::fs::read_dir(format!("{root}/{dir}"))
                .expect(dir)
                .flatten()
            {
                let p = e.path();
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let v = match crate::scenario::parse_scenario(&text) {
                    Ok(s) => crate::scenario::scenario_to_value(&s),
                    Err(_) => match serde_yaml_ng::from_str::<Value>(&text) {
                        Ok(v) => v,
                        Err(_) => continue,
                    },
                };
                let theirs = serde_yaml_ng::to_string(&v).expect("libyaml writes it");
                let ours = to_yaml(&v);
                assert_eq!(read(&ours), v, "{}", p.display());
                if dir == "examples/scenarios" {
                    assert_eq!(ours, theirs, "{}", p.display());
                }
                n += 1;
            }
        }
        assert!(n >= 9, "{n} files");
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| Value::Number(n.into())),
            (-1e6f64..1e6).prop_map(|f| Value::Number(f.into())),
            ".{0,12}".prop_map(Value::String),
            "[a-z0-9.:/ -]{0,10}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Sequence),
                proptest::collection::vec(("[a-zA-Z0-9 :.-]{0,8}", inner), 0..5).prop_map(|kv| {
                    let mut m = Mapping::new();
                    for (k, v) in kv {
                        m.insert(Value::String(k), v);
                    }
                    Value::Mapping(m)
                }),
            ]
        })
    }

    proptest! {
        /// Any value (without tags) reads back unchanged, and as the value libyaml's output reads.
        #[test]
        fn arbitrary_values_round_trip(v in value()) {
            let ours = to_yaml(&v);
            let back: Value = serde_yaml_ng::from_str(&ours)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{ours}")))?;
            prop_assert_eq!(&back, &v, "{}", ours);
        }
    }
}
