//! Decoding a 5,000,000-row InfluxDB 2 answer (annotated CSV, pivoted: 3 tags and a field of
//! each type) piece by piece, with bounded memory.
//!
//! The answer is generated on the fly in 64 KiB pieces cut anywhere (mid-record too), as a
//! network would deliver it, and never exists whole. A counting global allocator measures the
//! heap this process holds while decoding; the test fails if it ever exceeds 64 MiB.

#[path = "../benches/flux_body.rs"]
mod flux_body;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use influx::decode::FluxRowDecoder;
use influx::InfluxPoint;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
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
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[derive(Debug, InfluxPoint)]
#[influx(measurement = "cpu")]
struct Cpu {
    #[time]
    time: i64,
    #[tag]
    host: String,
    #[tag]
    region: String,
    #[tag]
    zone: String,
    b: bool,
    f: f64,
    i: i64,
    s: String,
    u: u64,
}

const ROWS: usize = 5_000_000;

#[test]
fn five_million_rows_decode_in_bounded_memory() {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut decoder = FluxRowDecoder::<Cpu>::new();
    let mut rows = Vec::new();
    let (mut n, mut sum, mut bytes) = (0usize, 0i64, 0usize);
    let mut check = |rows: &mut Vec<Cpu>| {
        for r in rows.drain(..) {
            // Spot-check whole rows; sum one member of every row.
            if n % 99_991 == 0 {
                let (time, host, region, zone, b, f, i, s, u) = flux_body::cpu_values(n);
                assert_eq!((r.time, r.host, r.region, r.zone), (time, host, region, zone), "row {n}");
                assert_eq!((r.b, r.f.to_bits(), r.i, r.s, r.u), (b, f.to_bits(), i, s, u), "row {n}");
            }
            sum = sum.wrapping_add(r.i);
            n += 1;
        }
    };
    for piece in flux_body::CpuChunks::new(ROWS, 64 * 1024 + 17) {
        bytes += piece.len();
        decoder.push(&piece, &mut rows).unwrap();
        check(&mut rows);
    }
    decoder.finish(&mut rows).unwrap();
    check(&mut rows);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(n, ROWS);
    let want: i64 = (0..ROWS as i64).map(|n| n * 37 - 5_000_000).sum();
    assert_eq!(sum, want);
    eprintln!(
        "decoded {n} rows ({:.0} MiB of annotated CSV); peak heap while decoding: {:.2} MiB",
        bytes as f64 / (1 << 20) as f64,
        peak as f64 / (1 << 20) as f64
    );
    assert!(peak < 64 << 20, "peak heap {peak} bytes");
}
