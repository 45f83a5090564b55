//! Encoding 200,000 points to line protocol: the derive, `Point`, the
//! `influxdb` crate's derive, `influxdb-line-protocol`'s builder and a
//! hand-tuned baseline (one reused buffer, itoa/ryu, escaping only where needed).
//!
//! Each point: 3 tags (one value with a space), a float, an integer, a string
//! with a quote and a space, a boolean and a nanosecond timestamp.
//!
//! Two more cases time building as well as encoding, from borrowed source data, one point
//! at a time (built, encoded, dropped): the derive's struct (its `String` members cloned)
//! and the dynamic `Point` builder.
//!
//! `cargo bench --bench encode -- --warm-up-time 1 --measurement-time 3`; instruction counts:
//! `ENCODE_ONLY=derive valgrind --tool=callgrind <bench binary>` (see `profile_only` for the cases).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use influx::line_protocol::{encode_batch, Point};
use influx::{EncodeOptions, InfluxPoint};
use std::hint::black_box;

const N: usize = 200_000;

#[derive(InfluxPoint, Clone)]
#[influx(measurement = "cpu")]
struct Cpu {
    #[tag]
    host: String,
    #[tag]
    region: String,
    #[tag]
    dc: String,
    usage: f64,
    count: i64,
    msg: String,
    ok: bool,
    #[time]
    time: i64,
}

#[derive(influxdb::InfluxDbWriteable, Clone)]
struct IxCpu {
    time: influxdb::Timestamp,
    #[influxdb(tag)]
    host: String,
    #[influxdb(tag)]
    region: String,
    #[influxdb(tag)]
    dc: String,
    usage: f64,
    count: i64,
    msg: String,
    ok: bool,
}

fn rows() -> Vec<Cpu> {
    (0..N)
        .map(|i| Cpu {
            host: format!("server-{:04}", i % 1000),
            region: if i % 2 == 0 { "us west".into() } else { "eu central".into() },
            dc: format!("dc{}", i % 7),
            usage: (i as f64) * 0.013 + 0.5,
            count: i as i64 * 37 - 1_000_000,
            msg: format!("say \"hi\" {i}"),
            ok: i % 3 == 0,
            time: 1_700_000_000_000_000_000 + i as i64 * 1_000_123,
        })
        .collect()
}

// ---- hand-tuned baseline -------------------------------------------------------

#[inline]
fn push_escaped(buf: &mut Vec<u8>, s: &str, special: impl Fn(u8) -> bool) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if special(b) {
            buf.extend_from_slice(&bytes[start..i]);
            buf.push(b'\\');
            start = i;
        }
    }
    buf.extend_from_slice(&bytes[start..]);
}

fn hand_tuned(rows: &[Cpu], buf: &mut Vec<u8>) {
    let tag = |b: u8| b == b',' || b == b'=' || b == b' ';
    let mut ryu = ryu::Buffer::new();
    let mut itoa = itoa::Buffer::new();
    for r in rows {
        buf.extend_from_slice(b"cpu,dc=");
        push_escaped(buf, &r.dc, tag);
        buf.extend_from_slice(b",host=");
        push_escaped(buf, &r.host, tag);
        buf.extend_from_slice(b",region=");
        push_escaped(buf, &r.region, tag);
        buf.extend_from_slice(b" usage=");
        buf.extend_from_slice(ryu.format(r.usage).as_bytes());
        buf.extend_from_slice(b",count=");
        buf.extend_from_slice(itoa.format(r.count).as_bytes());
        buf.extend_from_slice(b"i,msg=\"");
        push_escaped(buf, &r.msg, |b| b == b'"' || b == b'\\');
        buf.extend_from_slice(b"\",ok=");
        buf.extend_from_slice(if r.ok { b"true" } else { b"false" });
        buf.push(b' ');
        buf.extend_from_slice(itoa.format(r.time).as_bytes());
        buf.push(b'\n');
    }
}

// ---- peers -----------------------------------------------------------------------

fn influxdb_crate(rows: &[IxCpu], buf: &mut Vec<u8>) {
    use influxdb::{InfluxDbWriteable, Query};
    for r in rows {
        // The crate's derive consumes the value, so a user who keeps their data clones it.
        let q = r.clone().try_into_query("cpu").unwrap();
        buf.extend_from_slice(q.build().unwrap().get().as_bytes());
        buf.push(b'\n');
    }
}

fn line_protocol_builder(rows: &[Cpu], buf: Vec<u8>) -> Vec<u8> {
    let mut b = influxdb_line_protocol::LineProtocolBuilder::new_with(buf);
    for r in rows {
        b = b
            .measurement("cpu")
            .tag("dc", &r.dc)
            .tag("host", &r.host)
            .tag("region", &r.region)
            .field("usage", r.usage)
            .field("count", r.count)
            .field("msg", r.msg.as_str())
            .field("ok", r.ok)
            .timestamp(r.time)
            .close_line();
    }
    b.build()
}

/// Each row's derived struct built (its strings cloned) and encoded, one at a time.
fn build_derive(rows: &[Cpu], buf: &mut Vec<u8>, opts: &EncodeOptions) {
    let built = rows.iter().map(|r| Cpu {
        host: r.host.clone(),
        region: r.region.clone(),
        dc: r.dc.clone(),
        usage: r.usage,
        count: r.count,
        msg: r.msg.clone(),
        ok: r.ok,
        time: r.time,
    });
    encode_batch(built, buf, opts).unwrap();
}

/// Each row's `Point` built with the builder and encoded, one at a time.
fn build_point(rows: &[Cpu], buf: &mut Vec<u8>, opts: &EncodeOptions) {
    let built = rows.iter().map(|r| {
        Point::new("cpu")
            .tag("host", &r.host)
            .tag("region", &r.region)
            .tag("dc", &r.dc)
            .field("usage", r.usage)
            .field("count", r.count)
            .field("msg", r.msg.as_str())
            .field("ok", r.ok)
            .timestamp(r.time)
    });
    encode_batch(built, buf, opts).unwrap();
}

/// `ENCODE_ONLY=derive|hand_tuned|build_derive|build_point|none` (for `valgrind --tool=callgrind`):
/// makes the rows, runs that case once, and exits, so that instruction counts compare (subtract
/// `none`).
fn profile_only(rows: &[Cpu]) {
    let Ok(case) = std::env::var("ENCODE_ONLY") else { return };
    let (opts, mut buf) = (EncodeOptions::default(), Vec::new());
    match case.as_str() {
        "derive" => {
            encode_batch(black_box(rows), &mut buf, &opts).unwrap();
        }
        "hand_tuned" => hand_tuned(black_box(rows), &mut buf),
        "build_derive" => build_derive(black_box(rows), &mut buf, &opts),
        "build_point" => build_point(black_box(rows), &mut buf, &opts),
        "none" => {}
        other => panic!("ENCODE_ONLY={other}: expected derive, hand_tuned, build_derive, build_point or none"),
    }
    black_box(buf);
    std::process::exit(0);
}

fn bench(c: &mut Criterion) {
    let rows = rows();
    profile_only(&rows);
    let points: Vec<Point> = rows
        .iter()
        .map(|r| {
            Point::new("cpu")
                .tag("host", r.host.as_str())
                .tag("region", r.region.as_str())
                .tag("dc", r.dc.as_str())
                .field("usage", r.usage)
                .field("count", r.count)
                .field("msg", r.msg.as_str())
                .field("ok", r.ok)
                .timestamp(r.time)
        })
        .collect();
    let ix: Vec<IxCpu> = rows
        .iter()
        .map(|r| IxCpu {
            time: influxdb::Timestamp::Nanoseconds(r.time as u128),
            host: r.host.clone(),
            region: r.region.clone(),
            dc: r.dc.clone(),
            usage: r.usage,
            count: r.count,
            msg: r.msg.clone(),
            ok: r.ok,
        })
        .collect();
    let opts = EncodeOptions::default();

    // Same bytes from every encoder of ours (ours joins with `\n` and has no trailing one).
    let mut ours = Vec::new();
    encode_batch(&rows, &mut ours, &opts).unwrap();
    let mut hand = Vec::new();
    hand_tuned(&rows, &mut hand);
    assert_eq!(ours, hand[..hand.len() - 1], "derive and hand-tuned baseline disagree");
    let mut via_point = Vec::new();
    encode_batch(&points, &mut via_point, &opts).unwrap();
    assert_eq!(ours, via_point, "derive and Point disagree");
    assert_eq!(Cpu::TAG_KEYS, ["dc", "host", "region"]);
    let mut built = Vec::new();
    build_derive(&rows, &mut built, &opts);
    assert_eq!(ours, built, "derive built per point differs");
    built.clear();
    build_point(&rows, &mut built, &opts);
    assert_eq!(ours, built, "Point built per point differs");

    let mut g = c.benchmark_group("encode_200k");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    let mut buf = Vec::with_capacity(hand.len() * 2);
    g.bench_function("hand_tuned", |b| {
        b.iter(|| {
            buf.clear();
            hand_tuned(black_box(&rows), &mut buf);
            black_box(buf.len())
        })
    });
    g.bench_function("derive", |b| {
        b.iter(|| {
            buf.clear();
            encode_batch(black_box(&rows), &mut buf, &opts).unwrap();
            black_box(buf.len())
        })
    });
    g.bench_function("point", |b| {
        b.iter(|| {
            buf.clear();
            encode_batch(black_box(&points), &mut buf, &opts).unwrap();
            black_box(buf.len())
        })
    });
    g.bench_function("build+encode derive", |b| {
        b.iter(|| {
            buf.clear();
            build_derive(black_box(&rows), &mut buf, &opts);
            black_box(buf.len())
        })
    });
    g.bench_function("build+encode Point", |b| {
        b.iter(|| {
            buf.clear();
            build_point(black_box(&rows), &mut buf, &opts);
            black_box(buf.len())
        })
    });
    g.bench_function("influxdb_crate", |b| {
        b.iter(|| {
            buf.clear();
            influxdb_crate(black_box(&ix), &mut buf);
            black_box(buf.len())
        })
    });
    g.bench_function("influxdb_line_protocol", |b| {
        b.iter_batched(
            || Vec::with_capacity(hand.len() * 2),
            |out| black_box(line_protocol_builder(black_box(&rows), out).len()),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
