//! Stable sorting for the wasm build through one non-generic routine.
//!
//! `slice::sort_by` is instantiated once per element type and comparison: ~3–5 KB of wasm each,
//! ~75 KB in all for the app's few dozen sorts. On `wasm32` [`sort_by`] sorts a list of indices
//! with a `dyn` comparison (one instance for the whole program) and then moves the elements into
//! place by following the permutation's cycles (a few dozen bytes per type). Natively it is
//! `slice::sort_by` itself, which is faster. Both are stable, so both give the same order; the
//! tests check the index path against `slice::sort_by` on every platform.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A map from `(key, value)` pairs, later pairs winning: the same as collecting them into a
/// `BTreeMap`. `BTreeMap::from_iter` sorts the pairs with a stable sort instantiated once per
/// *iterator type* (~5 KB of wasm per call site); building from a `Vec` here shares one.
#[inline(never)]
pub fn string_map(pairs: Vec<(String, String)>) -> BTreeMap<String, String> {
    pairs.into_iter().collect()
}

/// [`string_map`] of borrowed pairs (a table of constants: preset settings, kubelet defaults).
pub fn str_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    string_map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// Sorts `v` stably by `cmp`: the same result as `v.sort_by(cmp)`.
#[inline]
pub fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    by_indices(v, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
}

/// Sorts `v` stably by the key `f` returns: the same result as `v.sort_by_key(f)`.
#[inline]
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// The index path (used on wasm32, tested everywhere).
pub fn by_indices<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let swaps = {
        let items: &[T] = v;
        order(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    for (a, b) in swaps {
        v.swap(a, b);
    }
}

/// The swaps that put `n` items into the stable order of `cmp` (on their indices).
#[inline(never)]
fn order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<(usize, usize)> {
    // src[i]: the index of the item that belongs at position i.
    let mut src: Vec<usize> = (0..n).collect();
    src.sort_by(|&a, &b| cmp(a, b));
    // Follow each cycle of the permutation: position j receives the item at src[j]; the item
    // first at the cycle's start travels along until the position that wants it.
    let mut swaps = Vec::with_capacity(n);
    let mut done = vec![false; n];
    for start in 0..n {
        if done[start] {
            continue;
        }
        let mut j = start;
        loop {
            done[j] = true;
            let k = src[j];
            if k == start {
                break;
            }
            swaps.push((j, k));
            j = k;
        }
    }
    swaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The index path gives exactly `slice::sort_by`'s stable order (keys with many ties;
        /// the payload tells equal keys apart).
        #[test]
        fn index_sort_equals_std_stable_sort(keys in proptest::collection::vec(0u8..6, 0..200)) {
            let items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut a = items.clone();
            let mut b = items.clone();
            a.sort_by_key(|x| x.0);
            by_indices(&mut b, |x, y| x.0.cmp(&y.0));
            prop_assert_eq!(&a, &b);
            let mut c = items;
            sort_by_key(&mut c, |x| std::cmp::Reverse(x.0));
            let mut d = a.clone();
            d.sort_by_key(|x| std::cmp::Reverse(x.0));
            prop_assert_eq!(c, d);
        }
    }

    #[test]
    fn string_map_keeps_the_last_value_of_a_key() {
        let m = string_map(vec![
            ("b".into(), "1".into()),
            ("a".into(), "2".into()),
            ("b".into(), "3".into()),
        ]);
        assert_eq!(
            m.into_iter().collect::<Vec<_>>(),
            [("a".into(), "2".into()), ("b".into(), "3".into())]
        );
    }

    #[test]
    fn strings_sort_by_length_then_text() {
        let mut v: Vec<String> = ["ccc", "a", "bb", "aa", "b", ""].map(String::from).to_vec();
        by_indices(&mut v, |a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        assert_eq!(v, ["", "a", "b", "aa", "bb", "ccc"]);
    }
}
