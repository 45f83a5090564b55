//! Decoding a 200,000-row `/query` answer (epoch=ns; 3 tags; float, integer, string and boolean
//! fields) into structs: influx's `DecodeRow`, a hand-written serde_json `DeserializeSeed`
//! baseline, and the `influxdb` crate's serde path.
//!
//! The body has exactly the shape InfluxDB 1.6 produces for `SELECT * FROM cpu` with
//! `epoch=ns` (tags as columns, sorted with the fields; `"partial":true` on a non-chunked
//! series of more than 10,000 rows), checked against the real server in `tests/decode.rs`.
//! Two bodies: short floats (`12.75`) and full-precision floats (17 significant digits).
//!
//! Every decoder here must return the exact f64 the text denotes, so the baseline runs
//! serde_json with `float_roundtrip` (enabled in the workspace's dev-dependencies); without it
//! serde_json is off by one ULP on about a third of full-precision floats. Each decoder's rows
//! are asserted equal, bit for bit, to the exact values before timing.
//!
//! Times are the bench thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), not wall time: both
//! decoders are single-threaded and CPU-bound, so on an idle machine the two agree, and on a
//! shared one (the 2-core build machine runs at a load of 10) wall time mostly measures the
//! scheduler. `DECODE_BENCH_WALL=1` times wall clock instead.
//!
//! Run: `cargo bench --bench decode -- --warm-up-time 2 --measurement-time 6`
//!
//! Instruction counts: `DECODE_ONLY=influx valgrind --tool=callgrind <bench binary>` (also
//! `baseline`, `influxdb`, and `none` to subtract; `DECODE_FLOATS=full` for the full-precision body).

use std::fmt;
use std::hint::black_box;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput};
use influx::decode::{decode_rows, DecodeContext};
use influx::Precision;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

#[path = "decode_body.rs"]
mod decode_body;
use decode_body::{thread_cpu_ns, Cpu, Floats};

const ROWS: usize = 200_000;

/// The body InfluxDB 1.6 sends for `SELECT * FROM cpu` (epoch=ns), `partial` as it marks it.
fn body(partial: bool, floats: Floats) -> Vec<u8> {
    decode_body::body(ROWS, partial, floats)
}

/// Fails unless every row's float has exactly the bits that were written.
fn assert_exact(rows: &[Cpu], floats: Floats, who: &str) {
    assert_eq!(rows.len(), ROWS, "{who}");
    for (n, r) in rows.iter().enumerate() {
        let want = decode_body::float(n, floats);
        assert_eq!(r.f.to_bits(), want.to_bits(), "{who}: row {n}: got {:e}, want {want:e}", r.f);
    }
}

/// The hand-written baseline: serde_json straight into `Cpu`, a `DeserializeSeed` over
/// `columns` (mapped to members once per series) and `values` (decoded positionally).
mod baseline {
    use super::*;

    pub(super) fn decode(body: &[u8]) -> Vec<Cpu> {
        let mut out = Vec::new();
        let mut de = serde_json::Deserializer::from_slice(body);
        Top(&mut out).deserialize(&mut de).unwrap();
        out
    }

    struct Top<'a>(&'a mut Vec<Cpu>);
    impl<'de> DeserializeSeed<'de> for Top<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Top<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("response")
        }
        fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<(), M::Error> {
            while let Some(k) = m.next_key::<&str>()? {
                if k == "results" {
                    m.next_value_seed(List(&mut *self.0, Level::Results))?;
                } else {
                    m.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }

    #[derive(Clone, Copy)]
    enum Level {
        Results,
        Series,
    }
    struct List<'a>(&'a mut Vec<Cpu>, Level);
    impl<'de> DeserializeSeed<'de> for List<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for List<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("list")
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<(), S::Error> {
            match self.1 {
                Level::Results => while s.next_element_seed(Statement(&mut *self.0))?.is_some() {},
                Level::Series => while s.next_element_seed(SeriesSeed(&mut *self.0))?.is_some() {},
            }
            Ok(())
        }
    }
    struct Statement<'a>(&'a mut Vec<Cpu>);
    impl<'de> DeserializeSeed<'de> for Statement<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Statement<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("statement")
        }
        fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<(), M::Error> {
            while let Some(k) = m.next_key::<&str>()? {
                if k == "series" {
                    m.next_value_seed(List(&mut *self.0, Level::Series))?;
                } else {
                    m.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }
    struct SeriesSeed<'a>(&'a mut Vec<Cpu>);
    impl<'de> DeserializeSeed<'de> for SeriesSeed<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for SeriesSeed<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("series")
        }
        fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<(), M::Error> {
            let mut map = [u8::MAX; 16];
            while let Some(k) = m.next_key::<&str>()? {
                match k {
                    "columns" => {
                        let cols: Vec<&str> = m.next_value()?;
                        for (i, c) in cols.iter().enumerate() {
                            map[i] = match *c {
                                "time" => 0,
                                "b" => 1,
                                "f" => 2,
                                "host" => 3,
                                "i" => 4,
                                "region" => 5,
                                "s" => 6,
                                "zone" => 7,
                                _ => u8::MAX,
                            };
                        }
                    }
                    "values" => m.next_value_seed(Values(&mut *self.0, &map))?,
                    _ => {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(())
        }
    }
    struct Values<'a>(&'a mut Vec<Cpu>, &'a [u8; 16]);
    impl<'de> DeserializeSeed<'de> for Values<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Values<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("values")
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<(), S::Error> {
            while let Some(row) = s.next_element_seed(RowSeed(self.1))? {
                self.0.push(row);
            }
            Ok(())
        }
    }
    struct RowSeed<'a>(&'a [u8; 16]);
    impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
        type Value = Cpu;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cpu, D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for RowSeed<'_> {
        type Value = Cpu;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("row")
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Cpu, S::Error> {
            let (mut time, mut b, mut f, mut host, mut i, mut region, mut st, mut zone) =
                (None, None, None, None, None, None, None, None);
            let mut col = 0;
            loop {
                let done = match self.0[col.min(15)] {
                    0 => s.next_element()?.map(|v| time = Some(v)).is_none(),
                    1 => s.next_element()?.map(|v| b = Some(v)).is_none(),
                    2 => s.next_element()?.map(|v| f = Some(v)).is_none(),
                    3 => s.next_element()?.map(|v| host = Some(v)).is_none(),
                    4 => s.next_element()?.map(|v| i = Some(v)).is_none(),
                    5 => s.next_element()?.map(|v| region = Some(v)).is_none(),
                    6 => s.next_element()?.map(|v| st = Some(v)).is_none(),
                    7 => s.next_element()?.map(|v| zone = Some(v)).is_none(),
                    _ => s.next_element::<IgnoredAny>()?.is_none(),
                };
                if done {
                    break;
                }
                col += 1;
            }
            let miss = |n| de::Error::missing_field(n);
            Ok(Cpu {
                time: time.ok_or_else(|| miss("time"))?,
                b: b.ok_or_else(|| miss("b"))?,
                f: f.ok_or_else(|| miss("f"))?,
                host: host.ok_or_else(|| miss("host"))?,
                i: i.ok_or_else(|| miss("i"))?,
                region: region.ok_or_else(|| miss("region"))?,
                s: st.ok_or_else(|| miss("s"))?,
                zone: zone.ok_or_else(|| miss("zone"))?,
            })
        }
    }
}

fn decode_influx(body: &[u8]) -> Vec<Cpu> {
    decode_rows::<Cpu>(body, &DecodeContext::new(Some(Precision::Nanoseconds))).unwrap()
}

fn decode_influxdb_crate(body: &[u8]) -> Result<Vec<Cpu>, String> {
    let mut r: influxdb::integrations::serde_integration::DatabaseQueryResult =
        serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let ret = r.deserialize_next::<Cpu>().map_err(|e| e.to_string())?;
    Ok(ret.series.into_iter().flat_map(|s| s.values).collect())
}

/// The CPU time of the calling thread, in nanoseconds.
struct ThreadCpuTime {
    wall: WallTime,
}

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, like wall time: the same units and throughput display.
        self.wall.formatter()
    }
}

/// `DECODE_ONLY=influx|baseline|influxdb|none` (for `valgrind --tool=callgrind`): builds the body
/// (`DECODE_FLOATS=short|full`), decodes it once with that decoder, and exits, so that instruction
/// counts compare (subtract the `none` run, which only builds the body).
fn profile_only() {
    let Ok(who) = std::env::var("DECODE_ONLY") else { return };
    let floats = match std::env::var("DECODE_FLOATS").as_deref() {
        Ok("full") => Floats::Full,
        Ok("short") | Err(_) => Floats::Short,
        Ok(other) => panic!("DECODE_FLOATS={other}: expected short or full"),
    };
    let clean = body(false, floats);
    let n = match who.as_str() {
        "influx" => black_box(decode_influx(black_box(&clean))).len(),
        "baseline" => black_box(baseline::decode(black_box(&clean))).len(),
        "influxdb" => black_box(decode_influxdb_crate(black_box(&clean)).expect("decode")).len(),
        "none" => ROWS,
        other => panic!("DECODE_ONLY={other}: expected influx, baseline, influxdb or none"),
    };
    assert_eq!(n, ROWS);
    std::process::exit(0);
}

fn main() {
    profile_only();
    if std::env::var_os("DECODE_BENCH_WALL").is_some() {
        let mut c = Criterion::default().configure_from_args();
        bench(&mut c);
        c.final_summary();
    } else {
        let mut c = Criterion::default().with_measurement(ThreadCpuTime { wall: WallTime }).configure_from_args();
        bench(&mut c);
        c.final_summary();
    }
}

fn bench<M: Measurement>(c: &mut Criterion<M>) {
    for (group, floats) in [("decode_200k_rows", Floats::Short), ("decode_200k_rows_full_precision", Floats::Full)] {
        let clean = body(false, floats);
        let expected = baseline::decode(&clean);
        assert_exact(&expected, floats, "serde_json baseline");
        let ours = decode_influx(&clean);
        assert_exact(&ours, floats, "influx");
        assert_eq!(ours, expected);
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(ROWS as u64));
        g.sample_size(10);
        g.bench_function("influx_derive", |b| b.iter(|| black_box(decode_influx(black_box(&clean)))));
        g.bench_function("serde_json_seed_baseline", |b| b.iter(|| black_box(baseline::decode(black_box(&clean)))));
        if floats == Floats::Short {
            // The real answer is marked partial, which the influxdb crate cannot read.
            match decode_influxdb_crate(&body(true, floats)) {
                Ok(_) => eprintln!("influxdb crate: decoded the real (partial) body"),
                Err(e) => eprintln!("influxdb crate fails on the real body: {e}"),
            }
            assert_eq!(decode_influxdb_crate(&clean).unwrap(), expected);
            g.bench_function("influxdb_crate_serde", |b| {
                b.iter(|| black_box(decode_influxdb_crate(black_box(&clean)).unwrap()))
            });
        }
        g.finish();
    }
}
