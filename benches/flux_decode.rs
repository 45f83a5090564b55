//! Decoding a 200,000-row InfluxDB 2 answer (annotated CSV of a pivoted query: 3 tags, a
//! boolean, double, long, string and unsignedLong field) into structs, side by side:
//!
//! * `influx`: `#[derive(InfluxPoint)]` through `decode_flux_rows` (the `DecodeRow` contract);
//! * `csv baseline`: hand-written, the `csv` crate's `ByteRecord`s parsed straight into the
//!   struct (chrono for the RFC3339 time);
//! * `influxdb2`: the `influxdb2` crate (0.5). It decodes only from an HTTP response, so a
//!   tiny loopback HTTP server inside this bench serves the body. Its `query::<T>` panics on a
//!   pivoted answer (it pivots client-side and unwraps `_field`), so the path measured is
//!   `query_raw` (its `FluxRecord`s) plus `FromDataPoint::from_genericmap` per record, which is
//!   what `query::<T>` does after its pivot;
//! * `influx over loopback`: the same server, read with a raw TCP socket and decoded with
//!   `FluxRowDecoder` chunk by chunk as it arrives, to compare with `influxdb2` end to end.
//!
//! The body follows the server's encoder (see `flux_body.rs`). Every path's rows are checked
//! equal before timing.
//!
//! Run: `cargo bench --bench flux_decode -- --warm-up-time 2 --measurement-time 6`.
//! Instruction counts: `FLUX_DECODE_ONLY=influx valgrind --tool=callgrind <bench binary>`
//! (see `profile_only`).

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use influx::decode::{decode_flux_rows, FluxRowDecoder};
use influx::InfluxPoint;
use influxdb2_structmap::FromMap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "flux_body.rs"]
mod flux_body;

const ROWS: usize = 200_000;

/// One row as `influx` and the baseline decode it.
#[derive(Debug, Clone, PartialEq, InfluxPoint)]
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

/// The hand-written baseline: `csv` records straight into `Cpu`, columns found by name once
/// per header.
mod baseline {
    use super::Cpu;

    fn text(rec: &csv::ByteRecord, i: usize) -> &str {
        std::str::from_utf8(&rec[i]).expect("UTF-8")
    }

    pub(super) fn decode(body: &[u8]) -> Vec<Cpu> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
        let mut rec = csv::ByteRecord::new();
        let mut cols: Option<[usize; 9]> = None;
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut rec).expect("valid CSV") {
            if rec[0].first() == Some(&b'#') {
                cols = None;
                continue;
            }
            let Some(c) = cols else {
                let pos = |name: &str| rec.iter().position(|h| h == name.as_bytes()).expect("column");
                cols = Some([
                    pos("_time"),
                    pos("host"),
                    pos("region"),
                    pos("zone"),
                    pos("b"),
                    pos("f"),
                    pos("i"),
                    pos("s"),
                    pos("u"),
                ]);
                continue;
            };
            out.push(Cpu {
                time: chrono::DateTime::parse_from_rfc3339(text(&rec, c[0]))
                    .expect("time")
                    .timestamp_nanos_opt()
                    .expect("in range"),
                host: text(&rec, c[1]).to_owned(),
                region: text(&rec, c[2]).to_owned(),
                zone: text(&rec, c[3]).to_owned(),
                b: &rec[c[4]] == b"true",
                f: text(&rec, c[5]).parse().expect("double"),
                i: text(&rec, c[6]).parse().expect("long"),
                s: text(&rec, c[7]).to_owned(),
                u: text(&rec, c[8]).parse().expect("unsignedLong"),
            });
        }
        out
    }
}

/// The `influxdb2` crate's row type (its derive needs `Default` and names `_time` `time`).
#[derive(Debug, Default, influxdb2::FromDataPoint)]
struct Cpu2 {
    time: DateTime<FixedOffset>,
    host: String,
    region: String,
    zone: String,
    b: bool,
    f: f64,
    i: i64,
    s: String,
    u: u64,
}

impl From<Cpu2> for Cpu {
    fn from(r: Cpu2) -> Cpu {
        Cpu {
            time: r.time.timestamp_nanos_opt().expect("in range"),
            host: r.host,
            region: r.region,
            zone: r.zone,
            b: r.b,
            f: r.f,
            i: r.i,
            s: r.s,
            u: r.u,
        }
    }
}

async fn influxdb2_rows(client: &influxdb2::Client) -> Vec<Cpu2> {
    let q = influxdb2::models::Query::new("from(bucket: \"b\") |> range(start: 0) |> pivot(...)".into());
    let records = client.query_raw(Some(q)).await.expect("influxdb2 query_raw");
    records.into_iter().map(|r| Cpu2::from_genericmap(r.values)).collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Answers every request on a loopback port with `body` (`Connection: close`).
async fn serve(body: Arc<Vec<u8>>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let body = body.clone();
            tokio::spawn(async move {
                let mut req = Vec::new();
                let mut buf = [0u8; 4096];
                let head = loop {
                    let Ok(n) = sock.read(&mut buf).await else { return };
                    if n == 0 {
                        return;
                    }
                    req.extend_from_slice(&buf[..n]);
                    if let Some(p) = find(&req, b"\r\n\r\n") {
                        break p + 4;
                    }
                };
                let head_text = String::from_utf8_lossy(&req[..head]).to_ascii_lowercase();
                let len: usize = head_text
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while req.len() < head + len {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let status = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(status.as_bytes()).await;
                let _ = sock.write_all(&body).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    addr
}

/// `influx` end to end on the same server: a raw socket, rows decoded as the bytes arrive.
async fn influx_over_loopback(addr: SocketAddr) -> Vec<Cpu> {
    let mut sock = tokio::net::TcpStream::connect(addr).await.expect("connect");
    sock.write_all(b"POST /api/v2/query HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n").await.expect("send");
    let mut d = FluxRowDecoder::<Cpu>::new();
    let mut rows = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    let mut in_body = false;
    loop {
        let n = sock.read(&mut buf).await.expect("read");
        if n == 0 {
            break;
        }
        if in_body {
            d.push(&buf[..n], &mut rows).expect("decode");
        } else {
            head.extend_from_slice(&buf[..n]);
            if let Some(p) = find(&head, b"\r\n\r\n") {
                in_body = true;
                d.push(&head[p + 4..], &mut rows).expect("decode");
            }
        }
    }
    d.finish(&mut rows).expect("decode");
    rows
}

/// `FLUX_DECODE_ONLY=influx|baseline|none` (for `valgrind --tool=callgrind`): builds the body,
/// decodes it once with that path, and exits, so that instruction counts of the two decoders
/// can be compared (subtract the `none` run, which only builds the body).
fn profile_only() {
    let Ok(path) = std::env::var("FLUX_DECODE_ONLY") else { return };
    let rows = std::env::var("FLUX_DECODE_ROWS").ok().and_then(|n| n.parse().ok()).unwrap_or(ROWS);
    let body = flux_body::cpu_body(rows);
    let n = match path.as_str() {
        "influx" => black_box(decode_flux_rows::<Cpu>(black_box(&body)).expect("decode")).len(),
        "baseline" => black_box(baseline::decode(black_box(&body))).len(),
        "none" => rows,
        other => panic!("FLUX_DECODE_ONLY={other}: expected influx, baseline or none"),
    };
    assert_eq!(n, rows);
    std::process::exit(0);
}

fn bench(c: &mut Criterion) {
    profile_only();
    let body = flux_body::cpu_body(ROWS);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let addr = rt.block_on(serve(Arc::new(body.clone())));
    let client = influxdb2::Client::new(format!("http://{addr}"), "org", "token");

    // Every path gives the same rows.
    let ours: Vec<Cpu> = decode_flux_rows(&body).expect("influx decodes");
    assert_eq!(ours.len(), ROWS);
    assert_eq!(ours[ROWS - 1].s, format!("msg \"{}\" ok", ROWS - 1));
    assert!(baseline::decode(&body) == ours, "baseline rows differ");
    let theirs: Vec<Cpu> = rt.block_on(influxdb2_rows(&client)).into_iter().map(Cpu::from).collect();
    assert!(theirs == ours, "influxdb2 rows differ");
    assert!(rt.block_on(influx_over_loopback(addr)) == ours, "loopback rows differ");

    // What the peer does with this (pivoted) answer, and with a null `_value`.
    let empty_value =
        b"#group,false,false,false,false,true\r\n#datatype,string,long,dateTime:RFC3339,double,string\r\n\
#default,_result,,,,\r\n,result,table,_time,_value,_field\r\n,,0,2023-01-01T00:00:00Z,,f\r\n";
    let empty_addr = rt.block_on(serve(Arc::new(empty_value.to_vec())));
    let empty_client = influxdb2::Client::new(format!("http://{empty_addr}"), "org", "token");
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = |r: std::thread::Result<Result<usize, influxdb2::RequestError>>| match r {
        Err(_) => "panics".to_owned(),
        Ok(r) => format!("{r:?}"),
    };
    let query = || Some(influxdb2::models::Query::new("q".into()));
    let typed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(client.query::<Cpu2>(query())).map(|v| v.len())
    }));
    let null = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(empty_client.query_raw(query())).map(|v| v.len())
    }));
    std::panic::set_hook(hook);
    eprintln!("influxdb2 query::<T> on this pivoted answer: {}", outcome(typed));
    eprintln!("influxdb2 query_raw on an answer with an empty _value: {}", outcome(null));
    let ours_null: Vec<(i64, Option<f64>, String)> = decode_flux_rows(empty_value).expect("influx decodes");
    eprintln!("influx on the same answer: {ours_null:?}");
    eprintln!("body: {} rows, {:.1} MiB", ROWS, body.len() as f64 / (1 << 20) as f64);

    let mut g = c.benchmark_group("flux_decode_200k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("influx derive (in memory)", |b| {
        b.iter(|| black_box(decode_flux_rows::<Cpu>(black_box(&body)).expect("decode")))
    });
    g.bench_function("csv baseline (in memory)", |b| b.iter(|| black_box(baseline::decode(black_box(&body)))));
    g.bench_function("influx derive (loopback HTTP)", |b| {
        b.iter(|| black_box(rt.block_on(influx_over_loopback(addr))))
    });
    g.bench_function("influxdb2 query_raw + from_genericmap (loopback HTTP)", |b| {
        b.iter(|| black_box(rt.block_on(influxdb2_rows(&client))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
