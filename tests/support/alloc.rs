//! A counting global allocator for the bounded-memory tests (`tests/memory.rs` installs it).
//!
//! It tracks the bytes this process holds and the peak since the last [`Peak::start`]. Tests
//! that measure run one at a time ([`Peak::start`] takes a process-wide lock), so one test's
//! allocations never count in another's peak.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The allocator: `System`, counting.
pub struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALONE: Mutex<()> = Mutex::new(());

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

/// Holds the measuring lock for one test.
pub struct Exclusive(#[allow(dead_code)] MutexGuard<'static, ()>);

/// Runs the calling test alone among the measuring tests; hold the result for the whole test.
pub fn exclusive() -> Exclusive {
    Exclusive(ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// A measurement window: the peak heap above what was held when it started.
pub struct Peak {
    before: usize,
}

impl Peak {
    /// Starts measuring from the bytes held now.
    pub fn start() -> Peak {
        let before = CURRENT.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        Peak { before }
    }

    /// The most bytes held above the start since [`Peak::start`].
    pub fn bytes(&self) -> usize {
        PEAK.load(Ordering::Relaxed).saturating_sub(self.before)
    }
}
