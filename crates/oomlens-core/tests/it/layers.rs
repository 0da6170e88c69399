//! The core's layer rule (ARCHITECTURE.md): every module under `src/<layer>/` refers through
//! `crate::` only to its own layer and the layers it may use. Comments and string literals are
//! skipped; every other `crate::<layer>` path counts, `use` or not.

use std::path::{Path, PathBuf};

/// Each layer and the layers below it that it may use.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &[]),
    ("api", &["base"]),
    ("kernel", &["base", "api"]),
    ("kubelet", &["base", "api"]),
    ("scenario", &["base", "api", "kernel", "kubelet"]),
    ("simulate", &["base", "api", "kernel", "kubelet"]),
    (
        "evaluation",
        &["base", "api", "kernel", "kubelet", "scenario", "simulate"],
    ),
    ("diag", &["base", "api", "kernel", "kubelet"]),
    (
        "lesson",
        &[
            "base",
            "api",
            "kernel",
            "kubelet",
            "scenario",
            "simulate",
            "evaluation",
        ],
    ),
    (
        "explanation",
        &["base", "api", "kernel", "kubelet", "scenario", "diag"],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a Rust file with comments and the contents of string and character literals
/// replaced by spaces (line structure kept).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'/' && next == Some(b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && next == Some(b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if c == b'r' && (next == Some(b'"') || next == Some(b'#')) && {
            let mut j = i + 1;
            while b.get(j) == Some(&b'#') {
                j += 1;
            }
            b.get(j) == Some(&b'"') && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
        } {
            let mut hashes = 0;
            i += 1;
            while b[i] == b'#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            out.extend(std::iter::repeat_n(b' ', hashes + 2));
            loop {
                if i >= b.len() {
                    break;
                }
                if b[i] == b'"'
                    && b[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == b'#')
                        .count()
                        == hashes
                {
                    out.extend(std::iter::repeat_n(b' ', hashes + 1));
                    i += 1 + hashes;
                    break;
                }
                blank(&mut out, b[i]);
                i += 1;
            }
        } else if c == b'"' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    blank(&mut out, b[i]);
                    i += 1;
                }
                if i < b.len() {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
            out.push(b' ');
            i += 1;
        } else if c == b'\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a): literals close soon.
            let close = b[i + 1..]
                .iter()
                .take(12)
                .position(|&x| x == b'\'')
                .map(|k| i + 1 + k);
            let is_char = match close {
                Some(j) => j == i + 2 || b.get(i + 1) == Some(&b'\\'),
                None => false,
            };
            if let (true, Some(j)) = (is_char, close) {
                out.extend(std::iter::repeat_n(b' ', j + 1 - i));
                i = j + 1;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn imports_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut seen_layers = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        if rel.components().count() == 1 {
            assert_eq!(
                first,
                "lib.rs",
                "a module outside every layer: {}",
                rel.display()
            );
            continue;
        }
        let Some((layer, allowed)) = LAYERS.iter().find(|(l, _)| *l == first) else {
            problems.push(format!("{}: not in a known layer", rel.display()));
            continue;
        };
        seen_layers += 1;
        let code = code_only(&std::fs::read_to_string(f).unwrap());
        for (n, line) in code.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                let before = rest[..at].chars().last();
                let after = &rest[at + "crate::".len()..];
                rest = after;
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue; // `oomlens_core::…` or another crate's path
                }
                let target: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !LAYERS.iter().any(|(l, _)| *l == target) {
                    continue; // crate-root items (`crate::evaluate`) are checked by their own module
                }
                if target != *layer && !allowed.contains(&target.as_str()) {
                    problems.push(format!(
                        "{}:{}: layer {layer} refers to crate::{target} (allowed: {allowed:?})",
                        rel.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        seen_layers > 40,
        "only {seen_layers} files found under src/<layer>/"
    );
    assert!(
        problems.is_empty(),
        "upward references:\n{}",
        problems.join("\n")
    );
}

#[test]
fn code_only_skips_comments_and_literals() {
    let src = "use crate::base::x; // crate::evaluation\nlet s = \"crate::diag\"; let r = r#\"crate::kernel \"# ; let c = '\"'; fn f<'a>() {}\n/* crate::api */ let t = crate::kubelet::y;";
    let code = code_only(src);
    assert!(code.contains("crate::base::x"));
    assert!(code.contains("crate::kubelet::y"));
    assert!(code.contains("fn f<'a>()"));
    for hidden in ["evaluation", "diag", "kernel", "api"] {
        assert!(!code.contains(hidden), "{hidden} in {code:?}");
    }
    assert_eq!(code.lines().count(), src.lines().count());
}
