//! The worker → page message: an [`Analysis`] as compact positional bytes.
//!
//! Page and worker are the same wasm module (`src/worker.rs`), so both sides always agree on the
//! layout; a positional encoding needs no field names and no generic deserialiser (serde's JSON
//! reader, instantiated for every view type, was ~60 KB of the wasm). Integers are LEB128 varints
//! (signed ones zigzag), strings are length + UTF-8, `Option` a tag byte, sequences a length.
//! Decoding never panics and never trusts a length beyond the bytes that are left: a damaged
//! message is `None`, which the page reports as an error.
// Only the wasm build posts messages (the native build runs the tests).
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use super::analysis::{
    Analysis, ContainerStateView, DescribeNodeView, DescribePodView, DescribedContainerView,
    EvictionView, ExplanationView, FindingView, InputBlockView, KernelChoiceView, LineRange,
    MemoryStatView, NamedPodView, OffenderView, OomEventView, PrintedView, RepeatsView,
    TaskRowView, TimelinePoint, VictimView,
};
use oomlens_core::base::message::{Arg, Join, Message};
use std::collections::BTreeMap;

/// A value with a positional byte encoding.
pub trait Wire: Sized {
    /// Appends the encoding of `self`.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads one value; `None` when the bytes are short or malformed.
    fn take(r: &mut Reader<'_>) -> Option<Self>;
}

/// A cursor over received bytes.
pub struct Reader<'a> {
    buf: &'a [u8],
    /// Messages being read inside one another (bounded by [`MAX_MESSAGE_DEPTH`]).
    depth: u8,
}

/// How deep messages may nest in a received message (the catalogue nests three levels at most);
/// deeper bytes are damaged, and the bound keeps the decoder's recursion finite.
const MAX_MESSAGE_DEPTH: u8 = 8;

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, depth: 0 }
    }

    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.buf.split_first()?;
        self.buf = rest;
        Some(b)
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.buf.len() {
            return None;
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Some(head)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                // The 10th byte may carry only the top bit.
                return (shift < 63 || b <= 1).then_some(v);
            }
        }
        None
    }

    /// A length that cannot exceed what is left (each element takes at least one byte).
    fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.buf.len()).then_some(n)
    }
}

fn put_varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

impl Wire for u64 {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(*self, out);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        r.varint()
    }
}

impl Wire for i64 {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(((*self << 1) ^ (*self >> 63)) as u64, out);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let v = r.varint()?;
        Some((v >> 1) as i64 ^ -((v & 1) as i64))
    }
}

impl Wire for usize {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(*self as u64, out);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        usize::try_from(r.varint()?).ok()
    }
}

impl Wire for i32 {
    fn put(&self, out: &mut Vec<u8>) {
        i64::from(*self).put(out);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        i32::try_from(i64::take(r)?).ok()
    }
}

impl Wire for u8 {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        r.byte()
    }
}

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self, out);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.len()?;
        std::str::from_utf8(r.bytes(n)?).ok().map(str::to_string)
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(None),
            1 => T::take(r).map(Some),
            _ => None,
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for v in self {
            v.put(out);
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.len()?;
        // `n` is at most the bytes left, but an element can be hundreds of bytes in memory:
        // reserve only a bounded amount up front and let a genuine long list grow.
        let mut v = Vec::with_capacity(n.min(256));
        for _ in 0..n {
            v.push(T::take(r)?);
        }
        Some(v)
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        Some((A::take(r)?, B::take(r)?))
    }
}

impl<K: Wire + Ord, V: Wire> Wire for BTreeMap<K, V> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for (k, v) in self {
            k.put(out);
            v.put(out);
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.len()?;
        let mut m = BTreeMap::new();
        for _ in 0..n {
            let (k, v) = <(K, V)>::take(r)?;
            m.insert(k, v);
        }
        Some(m)
    }
}

impl Wire for f64 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let b: [u8; 8] = r.bytes(8)?.try_into().ok()?;
        Some(f64::from_le_bytes(b))
    }
}

impl Wire for Join {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(match self {
            Join::Concat => 0,
            Join::Sentences => 1,
            Join::Clauses => 2,
        });
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(Join::Concat),
            1 => Some(Join::Sentences),
            2 => Some(Join::Clauses),
            _ => None,
        }
    }
}

impl Wire for Arg {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Arg::Bytes(v) => {
                out.push(0);
                v.put(out);
            }
            Arg::ExactBytes(v) => {
                out.push(1);
                v.put(out);
            }
            Arg::Int(v) => {
                out.push(2);
                v.put(out);
            }
            Arg::Float(f) => {
                out.push(3);
                f.put(out);
            }
            Arg::Text(t) => {
                out.push(4);
                t.put(out);
            }
            Arg::Message(m) => {
                out.push(5);
                m.put(out);
            }
            Arg::Decimal(f, places) => {
                out.push(6);
                f.put(out);
                places.put(out);
            }
            Arg::List(items, join) => {
                out.push(7);
                items.put(out);
                join.put(out);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        Some(match r.byte()? {
            0 => Arg::Bytes(Wire::take(r)?),
            1 => Arg::ExactBytes(Wire::take(r)?),
            2 => Arg::Int(Wire::take(r)?),
            3 => Arg::Float(Wire::take(r)?),
            4 => Arg::Text(Wire::take(r)?),
            5 => Arg::message(Wire::take(r)?),
            6 => Arg::Decimal(Wire::take(r)?, Wire::take(r)?),
            7 => Arg::List(Wire::take(r)?, Wire::take(r)?),
            _ => return None,
        })
    }
}

/// A message travels as its id and named arguments; the receiver matches them to the catalogue
/// (an id or argument name the catalogue does not have makes the bytes damaged).
impl Wire for Message {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self.id, out);
        self.args.len().put(out);
        for (name, arg) in &self.args {
            put_str(name, out);
            arg.put(out);
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        if r.depth >= MAX_MESSAGE_DEPTH {
            return None;
        }
        r.depth += 1;
        let read = (|| {
            let id = String::take(r)?;
            let args: Vec<(String, Arg)> = Wire::take(r)?;
            Message::from_parts(
                &id,
                args.iter().map(|(n, a)| (n.as_str(), a.clone())).collect(),
            )
        })();
        r.depth -= 1;
        read
    }
}

fn put_str(s: &str, out: &mut Vec<u8>) {
    s.len().put(out);
    out.extend_from_slice(s.as_bytes());
}

/// Implements [`Wire`] for a struct, field by field in the order given. The destructuring in
/// `put` fails to compile if a field is missing, so a new view field cannot be forgotten.
macro_rules! wire_struct {
    ($($t:ident { $($f:ident),* $(,)? }),* $(,)?) => {$(
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                let $t { $($f),* } = self;
                $( $f.put(out); )*
            }
            fn take(r: &mut Reader<'_>) -> Option<Self> {
                Some($t { $( $f: Wire::take(r)?, )* })
            }
        }
    )*};
}

wire_struct! {
    InputBlockView { kind, first_line, last_line },
    VictimView { pid, comm, anon_rss_bytes, file_rss_bytes, shmem_rss_bytes, oom_score_adj },
    TaskRowView { pid, comm, rss_pages, swapents, pgtables_bytes, oom_score_adj, badness },
    KernelChoiceView { pid, agrees_with_victim, why_parts },
    OomEventView { line, trigger_comm, constraint, cgroup_version, oom_memcg, task_memcg, scope,
        pod_uid, qos_class, container_id, runtime, cgroup_driver, limit_bytes, usage_bytes, victim,
        tasks, kernel_choice, group_kill, lines, repeats, named },
    RepeatsView { count, last_line, first_time, last_time, victim_pids, victim_pids_total,
        selected_pids, selected_pids_total },
    NamedPodView { namespace, name, container, linked_by, line },
    MemoryStatView { cgroup_version, usage_bytes, working_set_bytes, anon_bytes, file_bytes,
        active_file_bytes, inactive_file_bytes, shmem_bytes, swap_bytes, limit_bytes, kernel_bytes,
        slab_bytes, sock_bytes, slab_reclaimable_bytes, mapped_file_bytes, unevictable_bytes,
        reclaimable_bytes, peak_bytes, first_line, last_line },
    FindingView { severity, message, advice, lines },
    PrintedView { text, bytes },
    OffenderView { name, is_pod, usage, request, excess_bytes },
    EvictionView { line, last_line, resource, threshold, available, offenders, named },
    ContainerStateView { state, reason, exit_code, finished, line },
    DescribedContainerView { name, kind, line, state, last_state, restart_count, limits, requests },
    DescribePodView { first_line, last_line, name, namespace, uid, node, status, reason, message,
        qos_class, priority, containers },
    DescribeNodeView { first_line, last_line, name, capacity, allocatable, kubelet_version },
    ExplanationView { inputs, oom_events, memory_stats, findings, evictions, describe_pods,
        describe_nodes },
    TimelinePoint { line, cgroup, scope, victim_comm, victim_pid, pod_uid },
    LineRange { first, last },
    Analysis { bytes, line_count, explanation, events_total, timeline, unrecognised,
        unrecognised_lines, lines, scenario_yaml },
}

/// The message bytes of `a`.
pub fn encode(a: &Analysis) -> Vec<u8> {
    let mut out = Vec::new();
    a.put(&mut out);
    out
}

/// The [`Analysis`] in `bytes`; `None` when they are damaged or have bytes left over.
pub fn decode(bytes: &[u8]) -> Option<Analysis> {
    let mut r = Reader::new(bytes);
    let a = Analysis::take(&mut r)?;
    r.buf.is_empty().then_some(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every fixture's analysis survives the trip, and so does the JSON the page used to receive.
    #[test]
    fn every_fixture_analysis_round_trips() {
        let all = super::super::fixtures::texts(&super::super::fixtures::ALL);
        assert!(all.len() >= 20);
        for (name, text) in all {
            let a = super::super::analysis::analyze(&text);
            let bytes = encode(&a);
            assert_eq!(decode(&bytes).as_ref(), Some(&a), "{name}");
            // Every strict prefix is rejected (no panic, no partial result).
            for cut in [0, 1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
                assert_eq!(decode(&bytes[..cut]), None, "{name} cut at {cut}");
            }
            // Trailing garbage is rejected.
            let mut longer = bytes.clone();
            longer.push(0);
            assert_eq!(decode(&longer), None, "{name}");
        }
    }

    #[test]
    fn a_repeated_kill_round_trips_with_its_repeats() {
        let text: String = (0..3)
            .map(|i| format!("[{i}.5] Memory cgroup out of memory: Killed process {} (java) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n", 10 + i))
            .collect();
        let a = super::super::analysis::analyze(&text);
        let r = a.explanation.oom_events[0].repeats.clone();
        assert_eq!(
            r.as_ref().map(|r| (r.count, r.victim_pids.clone())),
            Some((3, vec![10, 11, 12]))
        );
        assert_eq!(decode(&encode(&a)).as_ref(), Some(&a));
    }

    #[test]
    fn integers_round_trip_at_their_edges() {
        for v in [
            0i64,
            1,
            -1,
            63,
            -64,
            64,
            i64::MAX,
            i64::MIN,
            i32::MIN as i64,
        ] {
            let mut out = Vec::new();
            v.put(&mut out);
            assert_eq!(i64::take(&mut Reader::new(&out)), Some(v));
        }
        for v in [0u64, 127, 128, 300, u64::MAX] {
            let mut out = Vec::new();
            v.put(&mut out);
            assert_eq!(u64::take(&mut Reader::new(&out)), Some(v));
        }
        // An 11-byte varint and a 10th byte above 1 overflow 64 bits: rejected.
        assert_eq!(u64::take(&mut Reader::new(&[0xff; 11])), None);
        let mut over = vec![0xff; 9];
        over.push(0x02);
        assert_eq!(u64::take(&mut Reader::new(&over)), None);
        // A length longer than the message is rejected before any allocation.
        let mut huge = Vec::new();
        u64::MAX.put(&mut huge);
        assert_eq!(String::take(&mut Reader::new(&huge)), None);
        assert_eq!(Vec::<u8>::take(&mut Reader::new(&huge)), None);
        // Invalid UTF-8 and bad tags are rejected.
        assert_eq!(String::take(&mut Reader::new(&[2, 0xc3, 0x28])), None);
        assert_eq!(<Option<u8> as Wire>::take(&mut Reader::new(&[2])), None);
        assert_eq!(bool::take(&mut Reader::new(&[7])), None);
    }

    fn one_message(m: &Message) -> Option<Message> {
        let mut out = Vec::new();
        m.put(&mut out);
        let mut r = Reader::new(&out);
        let back = Message::take(&mut r)?;
        r.buf.is_empty().then_some(back)
    }

    /// Every kind of argument survives the trip, nested phrases and lists included.
    #[test]
    fn messages_round_trip_with_typed_arguments() {
        let clause = |v: i64| Message::with("oom.clause.limit", [("limit", Arg::Bytes(v))]);
        let m = Message::new(
            "oom.container_limit",
            vec![
                (
                    "container",
                    Arg::List(vec![clause(1), clause(-2)], Join::Clauses),
                ),
                ("pod", Arg::optional(None)),
                ("limits", Arg::message(clause(i64::MAX))),
                ("victim", Arg::text("java {x}")),
                ("anon", Arg::List(vec![], Join::Sentences)),
                ("failcnt", Arg::Decimal(92.5, 1)),
            ],
        );
        assert_eq!(one_message(&m), Some(m));
        for a in [Arg::ExactBytes(7), Arg::Int(-3), Arg::Float(0.5)] {
            let m = Message::with("oom.clause.limit", [("limit", a)]);
            assert_eq!(one_message(&m), Some(m));
        }
    }

    /// An id or argument name the catalogue does not know, and nesting deeper than any catalogue
    /// sentence, are damage: rejected, without deep recursion.
    #[test]
    fn uncatalogued_or_too_deep_messages_are_rejected() {
        let mut out = Vec::new();
        put_str("no.such.id", &mut out);
        0usize.put(&mut out);
        assert_eq!(Message::take(&mut Reader::new(&out)), None);
        let mut out = Vec::new();
        put_str("oom.clause.limit", &mut out);
        1usize.put(&mut out);
        put_str("nope", &mut out);
        Arg::Int(1).put(&mut out);
        assert_eq!(Message::take(&mut Reader::new(&out)), None);
        let mut m = Message::with("oom.clause.limit", [("limit", Arg::Int(1))]);
        for _ in 0..MAX_MESSAGE_DEPTH {
            m = Message::with("oom.clause.limit", [("limit", Arg::message(m))]);
        }
        assert_eq!(one_message(&m), None);
        // A long chain of nesting tags in raw bytes ends at the bound too.
        let mut deep = Vec::new();
        for _ in 0..100_000 {
            put_str("oom.clause.limit", &mut deep);
            1usize.put(&mut deep);
            put_str("limit", &mut deep);
            deep.push(5);
        }
        assert_eq!(Message::take(&mut Reader::new(&deep)), None);
    }

    proptest! {
        /// Arbitrary bytes never panic the decoder.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode(&bytes);
        }

        /// Random single-byte corruptions of a real message never panic the decoder.
        #[test]
        fn corrupted_messages_never_panic(pos in 0usize..4096, byte in any::<u8>()) {
            let a = super::super::analysis::analyze(include_str!("../../../examples/incidents/node-and-pods.txt"));
            let mut bytes = encode(&a);
            let i = pos % bytes.len();
            bytes[i] = byte;
            let _ = decode(&bytes);
        }
    }
}
