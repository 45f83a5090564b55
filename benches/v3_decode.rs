//! Decoding a 200,000-row InfluxDB 3 `format=jsonl` answer (3 tags; float, integer, string
//! and boolean fields; 3.x's zoneless nanosecond times) into structs.
//!
//! - `v3_decode_200k_rows`: influx's `DecodeRow` (`influx::decode::decode_jsonl`, the driver
//!   `query_as`/`query_stream` use) against a hand-written serde_json baseline into the same
//!   struct (`serde_json::from_slice` per line, the time parsed by chrono), both offline.
//! - `v3_query_200k_rows_loopback`: the whole typed query over loopback HTTP (a replay server
//!   answering with the same body): influx's `v3::Client::query_as` against the `influxdb3`
//!   crate's `query_typed` (which cannot decode a body without a request).
//!
//! Run: `cargo bench --features test-util --bench v3_decode -- --warm-up-time 1 --measurement-time 3`
//!
//! Instruction counts: `V3_DECODE_ONLY=influx valgrind --tool=callgrind <bench binary>` (also
//! `baseline`, and `none` to subtract).

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use influx::test_util::{Contract, Exchange, Method, ReplayServer};
use influx::v3::{Format, Query};

const ROWS: usize = 200_000;

/// One row as the bench decodes it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, influx::InfluxPoint)]
#[influx(measurement = "cpu")]
struct Cpu {
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
    #[time]
    #[serde(deserialize_with = "zoneless_ns")]
    time: i64,
}

/// The baseline's time: 3.x's `2025-01-01T00:00:00.000000001` (no zone) as UTC nanoseconds.
fn zoneless_ns<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let s = <&str as serde::Deserialize>::deserialize(d)?;
    let t: chrono::NaiveDateTime = s.parse().map_err(serde::de::Error::custom)?;
    t.and_utc().timestamp_nanos_opt().ok_or_else(|| serde::de::Error::custom("time out of range"))
}

/// The body 3.x Core sends for `SELECT * FROM cpu` with `format=jsonl`: tags, fields, then
/// `time`, one object per line, each line ending in `\n`.
fn body() -> Vec<u8> {
    let mut s = String::with_capacity(ROWS * 150);
    for n in 0..ROWS {
        let ns = 1_735_689_600_000_000_000_i64 + n as i64 * 1_000_003;
        let t = chrono::DateTime::from_timestamp_nanos(ns).naive_utc().format("%Y-%m-%dT%H:%M:%S%.9f");
        let f = (n as f64) * 0.1 + 1e-7;
        let _ = writeln!(
            s,
            r#"{{"host":"host-{}","region":"eu-west-{}","zone":"z{}","b":{},"f":{f:?},"i":{},"s":"value {n}","time":"{t}"}}"#,
            n % 100,
            n % 3,
            n % 7,
            n % 2 == 0,
            n as i64 * 1_000_003 - 50_000_000,
        );
    }
    s.into_bytes()
}

fn baseline(body: &[u8]) -> Vec<Cpu> {
    body.split(|&b| b == b'\n').filter(|l| !l.is_empty()).map(|l| serde_json::from_slice(l).unwrap()).collect()
}

/// `V3_DECODE_ONLY=influx|baseline|none` (for `valgrind --tool=callgrind`): builds the body,
/// decodes it once with that decoder, and exits (subtract the `none` run, which only builds it).
fn profile_only(body: &[u8]) {
    let Ok(who) = std::env::var("V3_DECODE_ONLY") else { return };
    let n = match who.as_str() {
        "influx" => black_box(influx::decode::decode_jsonl::<Cpu>(black_box(body)).unwrap()).len(),
        "baseline" => black_box(baseline(black_box(body))).len(),
        "none" => ROWS,
        other => panic!("V3_DECODE_ONLY={other}: expected influx, baseline or none"),
    };
    assert_eq!(n, ROWS);
    std::process::exit(0);
}

fn bench(c: &mut Criterion) {
    let body = body();
    profile_only(&body);
    let expected = baseline(&body);
    assert_eq!(expected.len(), ROWS);
    assert_eq!(influx::decode::decode_jsonl::<Cpu>(&body).unwrap(), expected);

    // The machine is shared and noisy: besides criterion's samples, time the two
    // decoders interleaved and keep each one's best round.
    let (mut ours, mut base) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..15 {
        let t = std::time::Instant::now();
        black_box(influx::decode::decode_jsonl::<Cpu>(black_box(&body)).unwrap());
        ours = ours.min(t.elapsed());
        let t = std::time::Instant::now();
        black_box(baseline(black_box(&body)));
        base = base.min(t.elapsed());
    }
    eprintln!(
        "interleaved, best of 15: influx_derive {ours:?}, serde_json_baseline {base:?}: {:.2}x the baseline",
        ours.as_secs_f64() / base.as_secs_f64()
    );

    let mut g = c.benchmark_group("v3_decode_200k_rows");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.sample_size(10);
    g.bench_function("influx_derive", |b| {
        b.iter(|| black_box(influx::decode::decode_jsonl::<Cpu>(black_box(&body)).unwrap()))
    });
    g.bench_function("serde_json_baseline", |b| b.iter(|| black_box(baseline(black_box(&body)))));
    g.finish();

    let server = ReplayServer::start(Contract::none()).unwrap();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .respond(200, &body)
            .respond_header("content-type", "application/jsonl")
            .any_times(),
    );
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let ours = influx::v3::Client::builder(server.url()).database("bench").token("t").build().unwrap();
    let theirs = influxdb3::InfluxDbClientBuilder::new()
        .server_endpoint(&server.url())
        .token("t")
        .database("bench")
        .build()
        .unwrap();
    let q = || Query::sql("SELECT * FROM cpu").format(Format::Jsonl);
    assert_eq!(rt.block_on(ours.query_as::<Cpu>(q())).unwrap(), expected);
    assert_eq!(rt.block_on(theirs.query_typed::<Cpu>("SELECT * FROM cpu")).unwrap(), expected);

    let (mut a, mut b) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..10 {
        let t = std::time::Instant::now();
        black_box(rt.block_on(ours.query_as::<Cpu>(q())).unwrap());
        a = a.min(t.elapsed());
        let t = std::time::Instant::now();
        black_box(rt.block_on(theirs.query_typed::<Cpu>("SELECT * FROM cpu")).unwrap());
        b = b.min(t.elapsed());
    }
    eprintln!(
        "interleaved, best of 10: influx_query_as {a:?}, influxdb3_query_typed {b:?}: {:.2}x influxdb3",
        a.as_secs_f64() / b.as_secs_f64()
    );

    let mut g = c.benchmark_group("v3_query_200k_rows_loopback");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.sample_size(10);
    g.bench_function("influx_query_as", |b| b.iter(|| black_box(rt.block_on(ours.query_as::<Cpu>(q())).unwrap())));
    g.bench_function("influxdb3_query_typed", |b| {
        b.iter(|| black_box(rt.block_on(theirs.query_typed::<Cpu>("SELECT * FROM cpu")).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
