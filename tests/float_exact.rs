//! Floats read back from a real influxd are the exact f64 that was written, bit for bit, through
//! every read path: derived structs, tuples, `Option`, `serde_json::Value` members, serde rows,
//! raw `QueryResponse` (chunked and not), raw chunks, streams, `query_each` and `query_multi`.
//!
//! Thousands of random values per run, from a seed printed in every failure (set
//! `FLOAT_EXACT_SEED` to replay one): full-precision non-integral floats, integral floats from
//! 2^53 to 2^1023 (which the server prints as integer text), subnormals, ±0 and the extremes.
use crate::support;

use futures::TryStreamExt;
use influx::line_protocol::Point;
use influx::{Client, Precision, Query};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[derive(Debug, Clone, PartialEq, influx::InfluxPoint)]
#[influx(measurement = "f")]
struct Derived {
    #[time]
    time: i64,
    v: f64,
}

#[derive(Debug, serde::Deserialize)]
struct Serde {
    time: i64,
    v: f64,
}

/// splitmix64: small, and the same sequence for the same seed everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn signed(&mut self, x: f64) -> f64 {
        if self.next() & 1 == 0 {
            x
        } else {
            -x
        }
    }
}

/// The values written: fixed edge cases, then `random` values from each family in turn.
fn values(seed: u64, random: usize) -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        f64::from_bits(1),
        -f64::from_bits(1),
        f64::from_bits(0x000F_FFFF_FFFF_FFFF),
        f64::EPSILON,
        0.1 + 0.2,
        1.0 / 3.0,
        1e21,
        1e-7,
        9_007_199_254_740_994.0,
        u64::MAX as f64,
        i64::MAX as f64,
        i64::MIN as f64,
    ];
    for k in 53..=1023 {
        v.push(2f64.powi(k));
        v.push(-(2f64.powi(k) * (1.0 + f64::EPSILON)));
    }
    let mut r = Rng(seed);
    for i in 0..random {
        let x = match i % 5 {
            // Non-integral, every mantissa bit used, everyday magnitudes.
            0 => {
                let x = (r.next() >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi(r.below(14) as i32 - 6);
                r.signed(x)
            }
            // Non-integral, any exponent below 2^52.
            1 => f64::from_bits(r.next() & 0x800F_FFFF_FFFF_FFFF | (r.below(1075) << 52)),
            // Integral, 2^53 to 2^1023: printed as integer text by the server.
            2 => {
                let x = ((r.next() >> 11) | 1 << 52) as f64 * 2f64.powi(r.below(971) as i32 + 1);
                r.signed(x)
            }
            // Subnormal.
            3 => f64::from_bits(r.next() & 0x800F_FFFF_FFFF_FFFF),
            // Any finite bit pattern.
            _ => f64::from_bits(r.next() & !(0x7FF << 52) | (r.below(2047) << 52)),
        };
        v.push(x);
    }
    assert!(v.iter().all(|x| x.is_finite()));
    v
}

/// Compares what one read path returned with what was written, bit for bit.
struct Expect<'a> {
    want: &'a [f64],
    seed: u64,
}

impl Expect<'_> {
    fn check(&self, path: &str, got: impl IntoIterator<Item = (i64, f64)>) {
        let got: Vec<(i64, f64)> = got.into_iter().collect();
        assert_eq!(got.len(), self.want.len(), "{path}: row count (seed {})", self.seed);
        for (i, ((t, g), w)) in got.iter().zip(self.want).enumerate() {
            assert_eq!(*t, i as i64, "{path}: row order (seed {})", self.seed);
            assert_eq!(
                g.to_bits(),
                w.to_bits(),
                "{path}: point {i}: wrote {w:e} ({:#018x}), read {g:e} ({:#018x}) (seed {})",
                w.to_bits(),
                g.to_bits(),
                self.seed
            );
        }
    }
}

fn time_and_value(values: &[serde_json::Value]) -> (i64, f64) {
    (values[0].as_i64().expect("epoch time"), values[1].as_f64().expect("a number"))
}

#[test]
fn random_floats_read_back_bit_for_bit_through_every_path() {
    let seed = std::env::var("FLOAT_EXACT_SEED").ok().map_or_else(
        || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64,
        |s| s.parse().expect("FLOAT_EXACT_SEED is a u64"),
    );
    eprintln!("FLOAT_EXACT_SEED={seed}");
    // Under 10,000 points, so a non-chunked answer is complete (not marked partial).
    let want = values(seed, 6000);
    let url = support::url();
    let db = support::create_db(&url, "float_exact");
    let c = Client::new(&url, &db).unwrap();
    let points: Vec<Point> =
        want.iter().enumerate().map(|(i, v)| Point::new("f").field("v", *v).timestamp(i as i64)).collect();
    let rt = rt();
    rt.block_on(c.write(&points)).unwrap();
    let e = Expect { want: &want, seed };
    let q = "SELECT v FROM f";

    // The server does print large floats as integer text, 2^64 and more included.
    let (status, body) =
        support::http(&url, "GET", &format!("/query?db={db}&epoch=ns&q={}", support::form_encode(q)), None, "", b"");
    assert_eq!(status, 200);
    for text in [",1152921504606847000]", ",18446744073709552000]", ",-0]"] {
        assert!(body.contains(text), "the server's answer lacks {text}");
    }

    e.check("query_as derive", rt.block_on(c.query_as::<Derived>(q)).unwrap().into_iter().map(|r| (r.time, r.v)));
    e.check("query_as tuple", rt.block_on(c.query_as::<(i64, f64)>(q)).unwrap());
    e.check(
        "query_as tuple, not chunked",
        rt.block_on(c.query_as::<(i64, f64)>(Query::new(q).chunked(false))).unwrap(),
    );
    e.check(
        "query_as Option<f64>",
        rt.block_on(c.query_as::<(i64, Option<f64>)>(q)).unwrap().into_iter().map(|(t, v)| (t, v.unwrap())),
    );
    e.check(
        "query_as serde_json::Value",
        rt.block_on(c.query_as::<(i64, serde_json::Value)>(q))
            .unwrap()
            .into_iter()
            .map(|(t, v)| (t, v.as_f64().unwrap())),
    );
    e.check("query_serde", rt.block_on(c.query_serde::<Serde>(q)).unwrap().into_iter().map(|r| (r.time, r.v)));
    let raw = Query::new(q).epoch(Precision::Nanoseconds);
    e.check("query (raw)", rt.block_on(c.query(raw.clone())).unwrap().iter_points().map(|p| time_and_value(p.values)));
    e.check(
        "query (raw), not chunked",
        rt.block_on(c.query(raw.clone().chunked(false))).unwrap().iter_points().map(|p| time_and_value(p.values)),
    );
    let chunks: Vec<_> = rt.block_on(async { c.query_chunks(raw.chunk_size(700)).await?.try_collect().await }).unwrap();
    assert!(chunks.len() > 1, "several chunks");
    e.check("query_chunks", chunks.iter().flat_map(|r| r.iter_points().map(|p| time_and_value(p.values))));
    let streamed: Vec<(i64, f64)> = rt
        .block_on(async { c.query_stream::<(i64, f64)>(Query::new(q).chunk_size(700)).await?.try_collect().await })
        .unwrap();
    e.check("query_stream", streamed);
    let mut each = Vec::new();
    rt.block_on(c.query_each(q, |row: (i64, f64), _| each.push(row))).unwrap();
    e.check("query_each", each);
    let multi = rt.block_on(c.query_multi("SELECT v FROM f; SELECT v FROM f")).unwrap();
    e.check("query_multi statement 0", multi.rows::<(i64, f64)>(0).unwrap());
    e.check("query_multi statement 1", multi.rows::<Derived>(1).unwrap().into_iter().map(|r| (r.time, r.v)));
}
