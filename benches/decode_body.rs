//! The `/query` bodies the decode bench decodes. `tests/decode.rs` includes this file too and
//! checks that the real server sends exactly these bytes for the same points.
#![allow(dead_code)]

use std::io::Write;

/// What the float field of the bench's rows looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Floats {
    /// Few digits (`0.5`, `0.75`, ... `12` as an integer): hand-entered or sensor values.
    Short,
    /// Every bit of the mantissa used (16-17 significant digits), as aggregates and derived
    /// values come out: the case where an approximate parser is off by one ULP.
    Full,
}

/// The float field of row `n`.
pub(crate) fn float(n: usize, floats: Floats) -> f64 {
    match floats {
        Floats::Short => n as f64 * 0.25 + 0.5,
        Floats::Full => {
            // splitmix64, so the values are the same on every run; in [0, 1e6): plain decimal text.
            let mut z = (n as u64).wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            (z >> 11) as f64 / (1u64 << 53) as f64 * 1e6
        }
    }
}

/// One row of the answer, as the benches decode it (and the columnar bench writes it).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, influx::InfluxPoint)]
#[influx(measurement = "cpu")]
pub(crate) struct Cpu {
    #[time]
    pub(crate) time: i64,
    pub(crate) b: bool,
    pub(crate) f: f64,
    #[tag]
    pub(crate) host: String,
    pub(crate) i: i64,
    #[tag]
    pub(crate) region: String,
    pub(crate) s: String,
    #[tag]
    pub(crate) zone: String,
}

/// Row `n`.
pub(crate) fn row(n: usize, floats: Floats) -> Cpu {
    Cpu {
        time: 1_700_000_000_000_000_000 + n as i64 * 1_000_000_000,
        b: n % 3 == 0,
        f: float(n, floats),
        host: format!("host-{}", n % 100),
        i: n as i64 * 37 - 5_000_000,
        region: format!("region-{}", n % 7),
        s: format!("msg \"{n}\" ok"),
        zone: format!("zone {}", n % 3),
    }
}

/// Row `n`, as InfluxDB 1.6 writes it in a `SELECT * FROM cpu` answer with `epoch=ns`.
pub(crate) fn write_row(out: &mut Vec<u8>, n: usize, floats: Floats) {
    let r = row(n, floats);
    write!(
        out,
        r#"[{},{},{},"{}",{},"{}",{},"{}"]"#,
        r.time,
        r.b,
        ryu::Buffer::new().format_finite(r.f).trim_end_matches(".0"),
        r.host,
        r.i,
        r.region,
        serde_json::to_string(&r.s).expect("a string serialises"),
        r.zone
    )
    .expect("writing to a Vec cannot fail");
}

/// The CPU time of the calling thread, in nanoseconds (the benches time with it: on a shared
/// machine, wall time mostly measures the scheduler).
pub(crate) fn thread_cpu_ns() -> u64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid, writable timespec; the clock id is a constant Linux knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}

/// The whole answer over `rows` rows; `partial` as the server marks a non-chunked series
/// of more than 10,000 rows.
pub(crate) fn body(rows: usize, partial: bool, floats: Floats) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 100 + 200);
    out.extend_from_slice(
        br#"{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","b","f","host","i","region","s","zone"],"values":["#,
    );
    for n in 0..rows {
        if n > 0 {
            out.push(b',');
        }
        write_row(&mut out, n, floats);
    }
    out.extend_from_slice(if partial { br#"],"partial":true}]}]}"# } else { br#"]}]}]}"# });
    out
}
