//! Structured, translatable sentences: every sentence the model writes for people (eviction
//! reasons, timeline steps and outcome, evaluation notes) exists as a [`Message`] — a stable id
//! plus named arguments — and [`Message::english`] renders today's English text from the
//! [`CATALOGUE`] template of that id. A UI translates by keeping its own table keyed by the same
//! ids (and can test that it covers every id of [`catalogue`]).
//!
//! Templates use `{name}` placeholders, one per argument name (a name may appear more than once).
//! Arguments keep their type so a translation can format them its own way: sizes in bytes
//! ([`Arg::Bytes`] rendered with [`crate::base::quantity::format_bytes`], or [`Arg::ExactBytes`] printed as
//! the exact integer, as kubelet's own messages print sizes), plain integers, seconds, verbatim
//! text (ids of pods and containers, signal names, comparison symbols) and nested messages for
//! phrases that need translating themselves (a scope name, a mechanism name, a kernel rule).
//!
//! Building a message is cheap (a static id and up to four arguments inline); evaluations build
//! messages, and their English is rendered only when asked for (or serialised).

use crate::base::quantity::format_bytes;
use serde::Serialize;
use std::fmt::Write as _;

/// How the messages of an [`Arg::List`] are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Side by side (clauses that carry their own leading space or punctuation; a list of zero
    /// or one clause is an optional part of a sentence).
    Concat,
    /// Sentences, one after the other (a space in English).
    Sentences,
    /// Clauses of one sentence (`"; "` in English).
    Clauses,
}

impl Join {
    /// The English separator.
    pub fn english(self) -> &'static str {
        match self {
            Join::Concat => "",
            Join::Sentences => " ",
            Join::Clauses => "; ",
        }
    }
}

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A size in bytes, rendered in English with [`format_bytes`] (`1.50 GiB`).
    Bytes(i64),
    /// A size in bytes that the English sentence prints as the exact integer (`268435456`), as
    /// kubelet's messages and the oomlens reports do; a translation may format it as it likes.
    ExactBytes(i64),
    /// A plain integer (priority, points, counts).
    Int(i64),
    /// A number of seconds or another real number, rendered with Rust's shortest `Display` (`155`, `0.5`).
    Float(f64),
    /// Verbatim text that is not translated: ids (`ns/pod/container`), signal names, versions,
    /// comparison symbols (`>`, `≤`).
    Text(String),
    /// A phrase that is itself a message (translated on its own).
    Message(Box<Message>),
    /// A real number printed with a fixed number of decimals (`37`, `92.5`): percentages,
    /// pressure values.
    Decimal(f64, u8),
    /// Several phrases, each translated on its own, joined as [`Join`] says. An empty list
    /// prints nothing: how a sentence leaves out a fact the input does not give.
    List(Vec<Message>, Join),
}

impl Arg {
    /// The English rendering of the argument.
    pub fn english(&self) -> String {
        let mut s = String::new();
        self.write_english(&CATALOGUE, &mut s);
        s
    }

    fn write_english(&self, tables: &[Table], out: &mut String) {
        match self {
            Arg::Bytes(b) => out.push_str(&format_bytes(*b)),
            Arg::ExactBytes(v) | Arg::Int(v) => {
                let _ = write!(out, "{v}");
            }
            Arg::Float(f) => {
                let _ = write!(out, "{f}");
            }
            Arg::Decimal(f, places) => {
                let _ = write!(out, "{f:.*}", usize::from(*places));
            }
            Arg::Text(t) => out.push_str(t),
            Arg::Message(m) => m.write_english(tables, out),
            Arg::List(items, join) => {
                for (i, m) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(join.english());
                    }
                    m.write_english(tables, out);
                }
            }
        }
    }

    /// A nested phrase.
    pub fn message(m: Message) -> Arg {
        Arg::Message(Box::new(m))
    }

    /// An optional clause: the message when the fact is known, nothing otherwise.
    pub fn optional(m: Option<Message>) -> Arg {
        Arg::List(m.into_iter().collect(), Join::Concat)
    }

    /// Plain text (ids, names, paths, versions: not translated).
    pub fn text(t: impl Into<String>) -> Arg {
        Arg::Text(t.into())
    }
}

/// `{"id": …, "args": [[name, value], …]}`: numbers as JSON numbers, text as strings, nested
/// phrases as such objects and lists as arrays of them.
impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Message", 2)?;
        st.serialize_field("id", self.id)?;
        st.serialize_field("args", &self.args)?;
        st.end()
    }
}

impl Serialize for Arg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Bytes(v) | Arg::ExactBytes(v) | Arg::Int(v) => s.serialize_i64(*v),
            Arg::Float(f) | Arg::Decimal(f, _) => s.serialize_f64(*f),
            Arg::Text(t) => s.serialize_str(t),
            Arg::Message(m) => m.serialize(s),
            Arg::List(items, _) => items.serialize(s),
        }
    }
}

/// How many arguments a [`Message`] keeps inline (without a heap allocation).
const INLINE_ARGS: usize = 4;

/// The named arguments of a [`Message`], in template order: up to four are kept inline (no
/// allocation; an eviction reason has four), more on the heap. Dereferences to the slice of
/// `(name, argument)` pairs; prints and serialises as that list.
#[derive(Clone)]
pub struct Args(ArgsRepr);

#[derive(Clone)]
enum ArgsRepr {
    Inline {
        len: u8,
        items: [(&'static str, Arg); INLINE_ARGS],
    },
    Heap(Vec<(&'static str, Arg)>),
}

impl Args {
    /// No arguments.
    pub const fn none() -> Args {
        Args(ArgsRepr::Inline {
            len: 0,
            items: [
                ("", Arg::Int(0)),
                ("", Arg::Int(0)),
                ("", Arg::Int(0)),
                ("", Arg::Int(0)),
            ],
        })
    }

    /// The arguments of an array (inline when it has at most four).
    pub fn of<const N: usize>(args: [(&'static str, Arg); N]) -> Args {
        if N > INLINE_ARGS {
            return Args(ArgsRepr::Heap(Vec::from(args)));
        }
        let mut it = args.into_iter();
        Args(ArgsRepr::Inline {
            len: N as u8,
            items: std::array::from_fn(|_| it.next().unwrap_or(("", Arg::Int(0)))),
        })
    }

    /// The pairs.
    pub fn as_slice(&self) -> &[(&'static str, Arg)] {
        match &self.0 {
            ArgsRepr::Inline { len, items } => items.get(..*len as usize).unwrap_or(&[]),
            ArgsRepr::Heap(v) => v,
        }
    }
}

impl From<Vec<(&'static str, Arg)>> for Args {
    fn from(v: Vec<(&'static str, Arg)>) -> Args {
        if v.len() > INLINE_ARGS {
            return Args(ArgsRepr::Heap(v));
        }
        let mut out = Args::none();
        if let ArgsRepr::Inline { len, items } = &mut out.0 {
            *len = v.len() as u8;
            for (slot, a) in items.iter_mut().zip(v) {
                *slot = a;
            }
        }
        out
    }
}

impl std::ops::Deref for Args {
    type Target = [(&'static str, Arg)];
    fn deref(&self) -> &[(&'static str, Arg)] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a Args {
    type Item = &'a (&'static str, Arg);
    type IntoIter = std::slice::Iter<'a, (&'static str, Arg)>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl PartialEq for Args {
    fn eq(&self, other: &Args) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for Args {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

/// A sentence (or phrase) by stable id with named arguments; see the [`CATALOGUE`] for every id,
/// its English template and therefore its argument names.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Stable id, e.g. `eviction.rank.over_request` (a key of [`CATALOGUE`]).
    pub id: &'static str,
    /// Named arguments, in template order.
    pub args: Args,
}

impl Message {
    /// A message without arguments.
    pub fn plain(id: &'static str) -> Message {
        debug_assert!(template(id).is_some(), "uncatalogued message id {id}");
        Message {
            id,
            args: Args::none(),
        }
    }

    /// A message with arguments.
    pub fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Message {
        debug_assert!(template(id).is_some(), "uncatalogued message id {id}");
        Message {
            id,
            args: Args::from(args),
        }
    }

    /// A message with the arguments of an array (no allocation for up to four).
    pub fn with<const N: usize>(id: &'static str, args: [(&'static str, Arg); N]) -> Message {
        debug_assert!(template(id).is_some(), "uncatalogued message id {id}");
        Message {
            id,
            args: Args::of(args),
        }
    }

    /// The message of catalogue id `id` with `args`, the id and each argument name matched to the
    /// catalogue's own strings (a message that crossed a boundary as text, e.g. from the web
    /// worker). `None` when the id is not catalogued or an argument is not one of its placeholders.
    pub fn from_parts(id: &str, args: Vec<(&str, Arg)>) -> Option<Message> {
        let (static_id, template) = entry(id)?;
        let names = placeholders(template);
        let mut out = Vec::with_capacity(args.len());
        for (name, arg) in args {
            let n = names.iter().find(|n| **n == name)?;
            out.push((*n, arg));
        }
        Some(Message {
            id: static_id,
            args: Args::from(out),
        })
    }

    /// The argument named `name`, if present.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }

    /// The English sentence: the [`CATALOGUE`] template of `id` with every `{name}` replaced by the
    /// English rendering of that argument. An unknown id renders as the id itself; a placeholder
    /// without an argument stays as written.
    pub fn english(&self) -> String {
        let mut s = String::new();
        self.write_english(&CATALOGUE, &mut s);
        s
    }

    /// [`Message::english`] for a message of the model's (its ids and those of its arguments are
    /// all in [`MODEL`]): the model's layers render through this, so a build with only the model
    /// does not carry the incident reader's sentences.
    pub fn english_model(&self) -> String {
        let mut s = String::new();
        self.write_english(&[MODEL], &mut s);
        s
    }

    fn write_english(&self, tables: &[Table], out: &mut String) {
        let Some((_, template)) = tables.iter().find_map(|t| find_in(t, self.id)) else {
            out.push_str(self.id);
            return;
        };
        fill_template(template, out, |name, out| match self.arg(name) {
            Some(a) => {
                a.write_english(tables, out);
                true
            }
            None => false,
        });
    }
}

/// Writes `template` to `out` in one pass, replacing each `{name}` by what `arg` writes for it;
/// when `arg` returns false (no such argument) the placeholder stays as written. Argument values
/// are never re-scanned, so a value containing braces is copied verbatim.
pub fn fill_template(
    template: &str,
    out: &mut String,
    mut arg: impl FnMut(&str, &mut String) -> bool,
) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        match after.find('}') {
            Some(close) => {
                let name = after.get(..close).unwrap_or("");
                if !arg(name, out) {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
                rest = after.get(close + 1..).unwrap_or("");
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// English of several clauses of one sentence, joined by `"; "` (how a pod's eviction reason is
/// built from its ranking clause and its critical / tie remarks).
pub fn join_english(clauses: &[Message]) -> String {
    join_in(&CATALOGUE, clauses)
}

/// [`join_english`] for the model's messages (see [`Message::english_model`]).
pub fn join_english_model(clauses: &[Message]) -> String {
    join_in(&[MODEL], clauses)
}

fn join_in(tables: &[Table], clauses: &[Message]) -> String {
    let mut s = String::new();
    for (i, m) in clauses.iter().enumerate() {
        if i > 0 {
            s.push_str("; ");
        }
        m.write_english(tables, &mut s);
    }
    s
}

pub use super::catalogue::{DIAG, MODEL};

/// The whole catalogue: the model's sentences ([`MODEL`]), then the incident reader's ([`DIAG`]).
/// Two tables so that a build with only the model (the web app's calculator module) carries only
/// the model's English.
pub const CATALOGUE: [Table; 2] = [MODEL, DIAG];

/// A table of (id, English template), sorted by id.
pub type Table = &'static [(&'static str, &'static str)];

/// Every (id, English template) of the catalogue.
pub fn catalogue() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    MODEL.iter().chain(DIAG)
}

/// The (id, template) entry of `id` in `table` (binary search: each table is sorted by id).
pub fn find_in(
    table: &'static [(&'static str, &'static str)],
    id: &str,
) -> Option<(&'static str, &'static str)> {
    table
        .binary_search_by(|(k, _)| (*k).cmp(id))
        .ok()
        .and_then(|i| table.get(i))
        .copied()
}

fn entry(id: &str) -> Option<(&'static str, &'static str)> {
    find_in(MODEL, id).or_else(|| find_in(DIAG, id))
}

/// The English template of `id`.
pub fn template(id: &str) -> Option<&'static str> {
    entry(id).map(|(_, t)| t)
}

/// The argument names of a template, in order of first appearance.
pub fn placeholders(template: &'static str) -> Vec<&'static str> {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else { break };
        let name = after.get(..close).unwrap_or("");
        if !out.contains(&name) {
            out.push(name);
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
}
