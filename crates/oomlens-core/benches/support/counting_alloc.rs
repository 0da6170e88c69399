//! A counting global allocator (live and peak heap bytes, allocation calls), shared by
//! `benches/{journal,evaluate}.rs` and `examples/explain_profile.rs` (included with `#[path]`; not a
//! target of its own): the memory bound of issue 4 ("memory use no more than 2× the input") is read
//! from `PEAK`, the allocation count of one evaluation from `CALLS`. Bookkeeping costs three
//! atomic read-modify-writes per allocation and one per free; a benchmark that only needs counts
//! before its timed runs turns it off with `TRACK` so the timings measure the code, not the
//! counter (while off, `LIVE`/`PEAK`/`CALLS` are not updated).
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Counts live and peak heap bytes.
pub struct Counting;
/// Bytes currently allocated.
pub static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most bytes allocated at once since the last reset.
pub static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Allocation calls (a `realloc` counts as one).
pub static CALLS: AtomicUsize = AtomicUsize::new(0);
/// Whether the counters are kept (on by default).
pub static TRACK: AtomicBool = AtomicBool::new(true);

/// Records one allocation call that returned `p` for `size` bytes (when tracking) and returns `p`.
fn counted(p: *mut u8, size: usize) -> *mut u8 {
    if TRACK.load(Ordering::Relaxed) {
        CALLS.fetch_add(1, Ordering::Relaxed);
        if !p.is_null() {
            grow(size);
        }
    }
    p
}

/// Adds `by` live bytes and raises the peak.
fn grow(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        counted(unsafe { System.alloc(l) }, l.size())
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        if TRACK.load(Ordering::Relaxed) {
            LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        }
    }
    /// The system's `realloc` (growing in place when it can, as without this wrapper), counted as
    /// one allocation call.
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new_size) };
        if TRACK.load(Ordering::Relaxed) {
            CALLS.fetch_add(1, Ordering::Relaxed);
            if !q.is_null() {
                if new_size >= l.size() {
                    grow(new_size - l.size());
                } else {
                    LIVE.fetch_sub(l.size() - new_size, Ordering::Relaxed);
                }
            }
        }
        q
    }
    /// The system's zeroed allocation (`calloc`), counted like `alloc`.
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        counted(unsafe { System.alloc_zeroed(l) }, l.size())
    }
}
