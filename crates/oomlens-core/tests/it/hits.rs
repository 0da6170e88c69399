//! `diag::lines::Hits`: both ways of searching (a finder per needle, chunk by chunk; one automaton
//! from `AUTOMATON_AT` needles on) hand out exactly the hits of a naive search, in order: every
//! occurrence of every needle (overlapping ones too), ties by needle order, with `pos` jumping
//! ahead as the readers make it (the kernel reader skips report bodies).

use oomlens_core::diag::lines::{Hits, AUTOMATON_AT};
use proptest::prelude::*;

/// Every hit in order, handed out once each as `Hits` does: the first not yet handed out at or
/// after `pos`.
fn naive(text: &[u8], needles: &[&[u8]], steps: &[usize]) -> Vec<(usize, usize)> {
    let needles: Vec<&[u8]> = needles.iter().copied().filter(|n| !n.is_empty()).collect();
    let mut all: Vec<(usize, usize)> = Vec::new();
    for at in 0..text.len() {
        for (k, n) in needles.iter().enumerate() {
            if text[at..].starts_with(n) {
                all.push((at, k));
            }
        }
    }
    let mut cursor = 0usize;
    walk(steps, |pos| {
        while all.get(cursor).is_some_and(|h| h.0 < pos) {
            cursor += 1;
        }
        cursor += 1;
        all.get(cursor - 1).copied()
    })
}

/// Asks for the next hit at or after `pos`, then moves `pos` to the hit plus the next step (0:
/// ties at one place come out one by one; more: a jump ahead, as a reader skipping a report).
fn walk(
    steps: &[usize],
    mut next: impl FnMut(usize) -> Option<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let (mut out, mut pos) = (Vec::new(), 0usize);
    for i in 0.. {
        let Some(h) = next(pos) else { break };
        out.push(h);
        pos = h.0 + steps.get(i % steps.len().max(1)).copied().unwrap_or(1);
    }
    out
}

fn hits(text: &[u8], needles: &[&[u8]], steps: &[usize]) -> Vec<(usize, usize)> {
    let mut h = Hits::new(text, needles);
    walk(steps, |pos| h.next_at_or_after(pos))
}

const WORDS: [&str; 14] = [
    "oom",
    "oomd",
    "oom-kill",
    "kill",
    "Kill",
    "ill",
    "memory.",
    "emory",
    "--",
    "-",
    "=3D",
    "aa",
    "a",
    "The node ",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::support::fuzz::fuzz_cases(400), .. ProptestConfig::default() })]

    #[test]
    fn hits_agree_with_a_naive_search(
        text in "(oom|oomd|-kill|Kill|ill|memory.|emory|--|=3D|aa|a|The node |x|\n| ){0,60}",
        picks in proptest::collection::vec(0usize..WORDS.len(), 1..12),
        steps in proptest::collection::vec(0usize..40, 1..6),
    ) {
        let needles: Vec<&[u8]> = picks.iter().map(|&i| WORDS[i].as_bytes()).collect();
        // Needles repeat in `picks`: dedup them, as a reader's needles are distinct.
        let mut distinct: Vec<&[u8]> = Vec::new();
        for n in needles {
            if !distinct.contains(&n) {
                distinct.push(n);
            }
        }
        let bytes = text.as_bytes();
        let want = naive(bytes, &distinct, &steps);
        let got = hits(bytes, &distinct, &steps);
        prop_assert_eq!(&got, &want, "needles {:?}", distinct.iter().map(|n| String::from_utf8_lossy(n)).collect::<Vec<_>>());
        // The same needles with fillers past the automaton's threshold: the same hits of theirs.
        let mut padded = distinct.clone();
        let fillers: [&[u8]; AUTOMATON_AT] = [b"#0", b"#1", b"#2", b"#3", b"#4", b"#5", b"#6", b"#7"];
        padded.extend(fillers.iter().copied());
        prop_assert_eq!(&hits(bytes, &padded, &steps), &want);
    }
}

#[test]
fn chunk_boundaries() {
    // A needle across the 16 KiB chunk boundary, overlapping ones across it, one at the very end.
    let mut text = vec![b'x'; 16 * 1024 - 2];
    text.extend_from_slice(b"oom-kill---");
    text.extend(std::iter::repeat_n(b'y', 100));
    text.extend_from_slice(b"emory");
    let needles: [&[u8]; 3] = [b"oom-kill", b"emory", b"--"];
    let at = 16 * 1024 - 2;
    let want = vec![(at, 0), (at + 8, 2), (at + 9, 2), (at + 11 + 100, 1)];
    assert_eq!(hits(&text, &needles, &[1]), want);
    // Jumping past hits skips them.
    assert_eq!(hits(&text, &needles, &[200]), want[..1].to_vec());
    // The automaton finds the same.
    let mut many: Vec<&[u8]> = needles.to_vec();
    many.extend([
        b"#0" as &[u8],
        b"#1",
        b"#2",
        b"#3",
        b"#4",
        b"#5",
        b"#6",
        b"#7",
    ]);
    assert_eq!(hits(&text, &many, &[1]), want);
}
