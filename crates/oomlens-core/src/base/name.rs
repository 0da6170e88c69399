//! Names and ids of an evaluation: `namespace`, `name`, `ns/pod`, `ns/pod/container`,
//! `ns/pod (sandbox)`. An evaluation writes every id it reports once into one buffer
//! ([`NameBuf`]); kill orders and the simulation refer to ids by index into it
//! ([`crate::kernel::kill_order::ProcIds`]), and the pod and container reports hold [`Name`]s — short text
//! inline, longer text a shared range of that buffer — instead of a fresh `String` in each place.
//! Not a kubelet concept: it models nothing and follows no upstream file; it only keeps
//! [`crate::evaluation::Evaluation`] small and fast to build.
//!
//! A `Name` behaves like a `&str` (it dereferences to one, compares with `str`/`String`, prints and
//! serialises as its text), so JSON output is the same as with `String` fields.

use serde::Serialize;
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::sync::Arc;

/// Longest text kept inline in a [`Name`].
const INLINE: usize = 22;

/// An immutable piece of text that is cheap to clone: up to 22 bytes inline (no allocation, no
/// reference count — most Kubernetes names), longer text as a range of a shared buffer.
#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Shared { buf: Arc<str>, start: u32, end: u32 },
}

impl Name {
    /// A name of `s` (inline when short, else with its own buffer).
    pub fn new(s: &str) -> Name {
        Name::inline(s).unwrap_or_else(|| Name::whole(Arc::from(s)))
    }

    fn inline(s: &str) -> Option<Name> {
        if s.len() > INLINE {
            return None;
        }
        let mut bytes = [0u8; INLINE];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(Name(Repr::Inline {
            len: s.len() as u8,
            bytes,
        }))
    }

    fn whole(buf: Arc<str>) -> Name {
        match u32::try_from(buf.len()) {
            Ok(end) => Name(Repr::Shared { buf, start: 0, end }),
            // Longer than 4 GiB: keep the first 4 GiB worth of whole characters (never reached by
            // a scenario that parses; kept so that no input can panic).
            Err(_) => {
                let mut cut = u32::MAX as usize;
                while !buf.is_char_boundary(cut) {
                    cut -= 1;
                }
                Name::new(buf.get(..cut).unwrap_or(""))
            }
        }
    }

    /// `range` of `buf` as a name (inline when short); the empty name when the range is not a
    /// valid range of `buf`.
    #[inline(always)]
    fn slice(buf: &Arc<str>, range: Range<usize>) -> Name {
        let Some(text) = buf.get(range.clone()) else {
            return Name::default();
        };
        // Short text with a whole inline window after it in the buffer: one fixed-size copy (the
        // bytes past `len` are never read).
        if text.len() <= INLINE {
            if let Some(window) = buf
                .as_bytes()
                .get(range.start..range.start + INLINE)
                .and_then(|w| <[u8; INLINE]>::try_from(w).ok())
            {
                return Name(Repr::Inline {
                    len: text.len() as u8,
                    bytes: window,
                });
            }
        }
        if let Some(n) = Name::inline(text) {
            return n;
        }
        match (u32::try_from(range.start), u32::try_from(range.end)) {
            (Ok(start), Ok(end)) => Name(Repr::Shared {
                buf: Arc::clone(buf),
                start,
                end,
            }),
            _ => Name::new(text),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => bytes
                .get(..*len as usize)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or(""),
            Repr::Shared { buf, start, end } => {
                buf.get(*start as usize..*end as usize).unwrap_or("")
            }
        }
    }
}

impl Default for Name {
    fn default() -> Self {
        Name(Repr::Inline {
            len: 0,
            bytes: [0; INLINE],
        })
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name::new(s)
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name::inline(&s).unwrap_or_else(|| Name::whole(Arc::from(s)))
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Name {
        Name::new(s)
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.as_str().to_string()
    }
}

impl From<&Name> for String {
    fn from(n: &Name) -> String {
        n.as_str().to_string()
    }
}

impl Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Builds the one buffer of an evaluation: pieces are appended and their byte ranges returned;
/// [`NameBuf::finish`] freezes the buffer, after which [`Names::get`] turns a range into a [`Name`].
#[derive(Debug, Default)]
pub struct NameBuf {
    text: String,
}

impl NameBuf {
    /// A buffer with room for `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> NameBuf {
        NameBuf {
            text: String::with_capacity(bytes),
        }
    }

    /// Appends the concatenation of `parts`; returns its range.
    pub fn push(&mut self, parts: &[&str]) -> Range<usize> {
        let start = self.text.len();
        self.push_parts(parts);
        start..self.text.len()
    }

    /// Appends a copy of the earlier piece `earlier` (a range of this buffer) followed by `parts`
    /// (`ns/pod/container` after `ns/pod`); returns its range. An invalid `earlier` copies nothing.
    pub fn push_after(&mut self, earlier: Range<usize>, parts: &[&str]) -> Range<usize> {
        let start = self.text.len();
        if self.text.get(earlier.clone()).is_some() {
            self.text.extend_from_within(earlier);
        }
        self.push_parts(parts);
        start..self.text.len()
    }

    fn push_parts(&mut self, parts: &[&str]) {
        for p in parts {
            match p.as_bytes() {
                // A one-byte piece (a separator) is ASCII: no copy call for it.
                &[b] => self.text.push(char::from(b)),
                _ => self.text.push_str(p),
            }
        }
    }

    /// How many times byte `b` occurs in the buffer.
    pub fn count_byte(&self, b: u8) -> usize {
        // Byte-wide counters over chunks of 255 (which the compiler turns into vector code).
        self.text
            .as_bytes()
            .chunks(255)
            .map(|chunk| {
                usize::from(
                    chunk
                        .iter()
                        .fold(0u8, |n, &x| n.wrapping_add(u8::from(x == b))),
                )
            })
            .sum()
    }

    /// Freezes the buffer.
    pub fn finish(self) -> Names {
        Names {
            buf: Arc::from(self.text),
        }
    }
}

/// A frozen [`NameBuf`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    buf: Arc<str>,
}

impl Names {
    /// The name at `range` (the empty name for a range that is not in the buffer).
    #[inline]
    pub fn get(&self, range: Range<usize>) -> Name {
        Name::slice(&self.buf, range)
    }

    /// The text at `range`, borrowed (empty for a range that is not in the buffer).
    pub fn str(&self, range: Range<usize>) -> &str {
        self.buf.get(range).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_share_one_buffer_and_behave_like_str() {
        let mut b = NameBuf::with_capacity(32);
        let sandbox = b.push(&["shop", "/", "web", " (sandbox)"]);
        let ctr = b.push(&["shop/web", "/", "app"]);
        let names = b.finish();
        let key = names.get(sandbox.start..sandbox.start + 8);
        let ns = names.get(sandbox.start..sandbox.start + 4);
        let app = names.get(ctr.end - 3..ctr.end);
        assert_eq!(key, "shop/web");
        assert_eq!(ns.as_str(), "shop");
        assert_eq!(app, "app".to_string());
        assert_eq!(names.get(sandbox), "shop/web (sandbox)");
        assert_eq!(format!("{key}/{app}"), "shop/web/app");
        assert_eq!(format!("{app:?}"), "\"app\"");
        assert_eq!(serde_json::to_string(&app).unwrap(), "\"app\"");
        assert_eq!(names.get(100..200), "");
        let (a, b) = (Name::new("a"), Name::from("b".to_string()));
        assert!(b > a, "ordered by text");
        assert_eq!(Name::default(), "");
        let long = "a-namespace-with-a-long-name/and-a-long-pod-name";
        let mut b = NameBuf::default();
        let r = b.push(&[long]);
        let names = b.finish();
        let n = names.get(r.clone());
        assert_eq!(n, long);
        assert_eq!(n.clone(), Name::from(long.to_string()));
        assert_eq!(names.get(r.start..r.start + 11), "a-namespace");
        assert_eq!(Name::from("naïve"), "naïve");
    }
}
