//! Kernel reports pasted from a mail archive's raw message are often quoted-printable (RFC 2045
//! §6.7, https://www.rfc-editor.org/rfc/rfc2045#section-6.7): every `=` is written `=3D`, and
//! lines longer than 76 characters are cut by a soft line break, a `=` at the end of the line.
//! A task-table row, a kill line or a `memory:` line then arrives in two pieces.
//!
//! A paste is read as quoted-printable only when it holds `=3D`: a kernel OOM report always
//! holds `=` (`gfp_mask=`, `order=`), which the encoding writes `=3D`, while plain text ending a
//! line with `=` (a value cut by a pager) has no `=3D`. Only then is a trailing `=` a soft break,
//! so joining the next line is never a guess.

use std::borrow::Cow;

/// True when `text` reads as quoted-printable (see the module doc).
pub fn is_encoded(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_some()
}

/// The text whose presence makes a paste quoted-printable (an encoded `=`).
pub const MARKER: &str = "=3D";

/// One logical line of quoted-printable text starting at byte `start` (a line start), decoded:
/// soft breaks joined and `=XX` escapes replaced. Returns the text, the byte where the last
/// physical line ends (its `\n`, or the text's end) and how many physical lines follow the
/// first one. Linear in what it reads; a line without `=` is returned borrowed.
pub fn logical_line(text: &str, start: usize) -> (Cow<'_, str>, usize, usize) {
    let bytes = text.as_bytes();
    let line_end = |from: usize| {
        memchr::memchr(b'\n', bytes.get(from..).unwrap_or(&[])).map_or(bytes.len(), |i| from + i)
    };
    let mut end = line_end(start);
    let first = text.get(start..end).unwrap_or("");
    let first = first.strip_suffix('\r').unwrap_or(first);
    if !first.contains('=') {
        return (Cow::Borrowed(first), end, 0);
    }
    let mut raw = String::new();
    let mut piece = first;
    let mut more = 0usize;
    while let Some(cut) = piece.strip_suffix('=') {
        raw.push_str(cut);
        if end >= bytes.len() {
            piece = "";
            break;
        }
        let next_start = end + 1;
        end = line_end(next_start);
        more += 1;
        let p = text.get(next_start..end).unwrap_or("");
        piece = p.strip_suffix('\r').unwrap_or(p);
    }
    raw.push_str(piece);
    (Cow::Owned(decode(&raw)), end, more)
}

/// Replaces each `=XX` (two hexadecimal digits) by its byte; other text stays as written. A
/// decoded byte sequence that is not UTF-8 is kept escaped.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_breaks_join_and_escapes_decode() {
        let t = "[1] a invoked oom-killer: gfp_mask=3D0x14000c0(GFP_=\nKERNEL), order=3D0\nnext\n";
        assert!(is_encoded(t));
        let (l, end, more) = logical_line(t, 0);
        assert_eq!(
            l,
            "[1] a invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), order=0"
        );
        assert_eq!(more, 1);
        assert_eq!(&t[end + 1..], "next\n");
    }

    #[test]
    fn a_line_without_equals_is_borrowed_and_a_final_soft_break_ends() {
        let (l, _, more) = logical_line("plain\n", 0);
        assert!(matches!(l, Cow::Borrowed("plain")));
        assert_eq!(more, 0);
        let (l, end, more) = logical_line("cut=", 0);
        assert_eq!((l.as_ref(), end, more), ("cut", 4, 0));
    }

    #[test]
    fn decode_keeps_what_is_not_an_escape() {
        assert_eq!(decode("a=3Db =ZZ =4"), "a=b =ZZ =4");
        assert_eq!(decode("=E4=B8=AD"), "中");
        assert_eq!(decode("=FF"), "=FF", "not UTF-8: kept as written");
    }
}
