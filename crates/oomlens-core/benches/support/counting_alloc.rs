//! A counting global allocator (live and peak heap bytes, allocation calls), shared by
//! `benches/{journal,evaluate}.rs` and `examples/explain_profile.rs` (included with `#[path]`; not a
//! target of its own): the memory bound of issue 4 ("memory use no more than 2× the input") is read
//! from `PEAK`, the allocation count of one evaluation from `CALLS`.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live and peak heap bytes.
pub struct Counting;
/// Bytes currently allocated.
pub static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most bytes allocated at once since the last reset.
pub static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Allocation calls (a `realloc` counts as one, through the default `realloc`'s `alloc`).
pub static CALLS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        CALLS.fetch_add(1, Ordering::Relaxed);
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}
