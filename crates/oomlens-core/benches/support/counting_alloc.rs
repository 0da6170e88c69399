//! A counting global allocator (live and peak heap bytes), shared by `benches/journal.rs` and
//! `examples/explain_profile.rs` (included with `#[path]`; not a target of its own): the memory
//! bound of issue 4 ("memory use no more than 2× the input") is read from `PEAK`.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live and peak heap bytes.
pub struct Counting;
/// Bytes currently allocated.
pub static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most bytes allocated at once since the last reset.
pub static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
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
