//! Decoding a 5,000,000-row InfluxDB 2 answer (annotated CSV, pivoted: 3 tags and a field of
//! each type) piece by piece, with bounded memory.
//!
//! The answer is generated on the fly in 64 KiB pieces cut anywhere (mid-record too), as a
//! network would deliver it, and never exists whole. A counting global allocator measures the
//! heap this process holds while decoding; the test fails if it ever exceeds 64 MiB.

use crate::support;

#[path = "../benches/flux_body.rs"]
mod flux_body;

use influx::decode::FluxRowDecoder;
use influx::InfluxPoint;

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
    let _alone = support::alloc::exclusive();
    let peak = support::alloc::Peak::start();
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
    let peak = peak.bytes();
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
