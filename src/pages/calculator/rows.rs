//! Row stores for the calculator's long lists (pods editor, results table, kill orders): one
//! reference-counted signal per row, written only when that row's value changed.
//!
//! Why: in Leptos every memo and effect downstream of a changed signal is visited and polled, even
//! when its own inputs turn out unchanged. With 110 pods, rows that read the whole form or the whole
//! evaluation made every keystroke poll ~10 000 effects. A store breaks that chain: one effect
//! compares the new rows with the stored ones and sets only the signals of rows that differ, so a
//! keystroke costs in proportion to what it changed.

use leptos::prelude::*;
use std::collections::HashMap;
use std::hash::Hash;

/// Rows by position (a table in the order of the evaluation).
pub struct IndexRows<T: Send + Sync + 'static> {
    rows: StoredValue<Vec<ArcRwSignal<T>>>,
    len: RwSignal<usize>,
}

impl<T: Send + Sync + 'static> Clone for IndexRows<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for IndexRows<T> {}

impl<T: PartialEq + Clone + Send + Sync + 'static> IndexRows<T> {
    /// An empty store.
    pub fn new() -> Self {
        IndexRows {
            rows: StoredValue::new(Vec::new()),
            len: RwSignal::new(0),
        }
    }

    /// Replaces the rows with `values`, setting only the rows whose value differs (then the length).
    pub fn sync<'a>(&self, values: impl Iterator<Item = &'a T>)
    where
        T: 'a,
    {
        let mut n = 0;
        self.rows.update_value(|rows| {
            for v in values {
                match rows.get(n) {
                    Some(s) => {
                        if s.with_untracked(|old| old != v) {
                            s.set(v.clone());
                        }
                    }
                    None => rows.push(ArcRwSignal::new(v.clone())),
                }
                n += 1;
            }
            rows.truncate(n);
        });
        if self.len.get_untracked() != n {
            self.len.set(n);
        }
    }

    /// The number of rows (reactive).
    pub fn len(&self) -> usize {
        self.len.get()
    }

    /// Whether there is no row (reactive).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`'s signal, as an arena signal owned by the caller's component.
    pub fn row(&self, i: usize) -> Option<RwSignal<T>> {
        self.rows
            .with_value(|r| r.get(i).cloned())
            .map(RwSignal::from)
    }
}

impl<T: PartialEq + Clone + Send + Sync + 'static> Default for IndexRows<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Rows by stable key (the pods editor, whose rows are keyed by the form's pod id). A key that is
/// gone holds `None`.
pub struct KeyedRows<K: Send + Sync + 'static, T: Send + Sync + 'static> {
    rows: StoredValue<HashMap<K, ArcRwSignal<Option<T>>>>,
}

impl<K: Send + Sync + 'static, T: Send + Sync + 'static> Clone for KeyedRows<K, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K: Send + Sync + 'static, T: Send + Sync + 'static> Copy for KeyedRows<K, T> {}

impl<K, T> KeyedRows<K, T>
where
    K: Eq + Hash + Copy + Send + Sync + 'static,
    T: PartialEq + Clone + Send + Sync + 'static,
{
    /// An empty store.
    pub fn new() -> Self {
        KeyedRows {
            rows: StoredValue::new(HashMap::new()),
        }
    }

    /// Updates the rows from `(key, value)` pairs: changed rows are set, rows whose key is gone
    /// become `None` and are dropped from the store.
    pub fn sync<'a>(&self, values: impl Iterator<Item = (K, &'a T)>)
    where
        T: 'a,
    {
        self.rows.update_value(|rows| {
            let mut seen = Vec::new();
            for (k, v) in values {
                seen.push(k);
                match rows.get(&k) {
                    Some(s) => {
                        if s.with_untracked(|old| old.as_ref() != Some(v)) {
                            s.set(Some(v.clone()));
                        }
                    }
                    None => {
                        rows.insert(k, ArcRwSignal::new(Some(v.clone())));
                    }
                }
            }
            rows.retain(|k, s| {
                let keep = seen.contains(k);
                if !keep {
                    s.set(None);
                }
                keep
            });
        });
    }

    /// The row of `key` (inserted from `init` if the store has not seen it yet), as an arena
    /// signal owned by the caller's component.
    pub fn row(&self, key: K, init: impl FnOnce() -> Option<T>) -> RwSignal<Option<T>> {
        let arc = self.rows.try_update_value(|rows| {
            rows.entry(key)
                .or_insert_with(|| ArcRwSignal::new(init()))
                .clone()
        });
        RwSignal::from(arc.unwrap_or_else(|| ArcRwSignal::new(None)))
    }
}

impl<K, T> Default for KeyedRows<K, T>
where
    K: Eq + Hash + Copy + Send + Sync + 'static,
    T: PartialEq + Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}
