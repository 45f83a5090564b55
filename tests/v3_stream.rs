//! Streaming 5,000,000 InfluxDB 3 `jsonl` rows with bounded memory.
//!
//! No 3.x server runs here, and the replay server holds whole bodies in
//! memory, so a loopback thread plays the server's side of `query_sql`: it
//! writes the answer as 3.x Core does (`Transfer-Encoding: chunked`, one row
//! per line), generating the rows as it goes. A counting global allocator
//! measures the heap held by this process (the generator's buffer included)
//! while the rows stream; the test fails if it ever exceeds 64 MiB.

use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use futures::StreamExt;
use influx::v3::Client;

const ROWS: u64 = 5_000_000;
const PER_CHUNK: u64 = 10_000;

/// Answers one `POST /api/v3/query_sql` with `rows` rows, chunk by chunk.
fn serve_one(listener: TcpListener, rows: u64) {
    let (stream, _) = listener.accept().unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut length = 0;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap();
            }
        }
    }
    let mut request = vec![0; length];
    reader.read_exact(&mut request).unwrap();
    let request: serde_json::Value = serde_json::from_slice(&request).unwrap();
    assert_eq!(request["format"], "jsonl", "{request}");
    let mut out = std::io::BufWriter::new(stream);
    out.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/jsonl\r\ntransfer-encoding: chunked\r\n\r\n").unwrap();
    let mut chunk = String::new();
    for start in (0..rows).step_by(PER_CHUNK as usize) {
        chunk.clear();
        for i in start..start + PER_CHUNK {
            use std::fmt::Write as _;
            let (secs, ns) = (i / 1_000_000_000, i % 1_000_000_000);
            // Every fifth row has no `f` (a null), as 3.x leaves null cells out.
            let f = if i % 5 == 0 { String::new() } else { format!(",\"f\":{i}.5") };
            let _ = writeln!(
                chunk,
                "{{\"host\":\"h{}\",\"v\":{i}{f},\"s\":\"r{i}\",\"b\":true,\"time\":\"1970-01-01T00:00:{secs:02}.{ns:09}\"}}",
                i % 4
            );
        }
        write!(out, "{:x}\r\n", chunk.len()).unwrap();
        out.write_all(chunk.as_bytes()).unwrap();
        out.write_all(b"\r\n").unwrap();
    }
    out.write_all(b"0\r\n\r\n").unwrap();
    out.flush().unwrap();
}

#[derive(Debug, influx::InfluxPoint)]
#[influx(measurement = "m")]
struct Row {
    #[tag]
    host: String,
    v: i64,
    f: Option<f64>,
    s: String,
    b: bool,
    #[time]
    time: i64,
}

/// The loopback server answering `rows` rows, a runtime and a client of it.
fn start(rows: u64) -> (std::thread::JoinHandle<()>, tokio::runtime::Runtime, Client) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || serve_one(listener, rows));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    (server, rt, Client::builder(url).database("d").token("t").build().unwrap())
}

#[test]
fn five_million_jsonl_rows_stream_in_bounded_memory() {
    let _alone = support::alloc::exclusive();
    let (server, rt, c) = start(ROWS);
    let peak = support::alloc::Peak::start();
    let (rows, sum, nulls) = rt.block_on(async {
        let mut s = c.query_stream::<Row>("SELECT host, v, f, s, b, time FROM m").await.unwrap();
        let (mut rows, mut sum, mut nulls) = (0u64, 0i64, 0u64);
        while let Some(r) = s.next().await {
            let r = r.unwrap();
            assert_eq!(r.time, r.v, "time is exact to the nanosecond");
            match r.f {
                Some(f) => assert_eq!(f, r.v as f64 + 0.5),
                None => nulls += 1,
            }
            assert!(r.b && r.s.len() > 1 && r.host.starts_with('h'));
            rows += 1;
            sum = sum.wrapping_add(r.v);
        }
        (rows, sum, nulls)
    });
    let peak = peak.bytes();
    server.join().unwrap();
    assert_eq!(rows, ROWS);
    assert_eq!(sum, (ROWS * (ROWS - 1) / 2) as i64);
    assert_eq!(nulls, ROWS / 5);
    eprintln!("streamed {rows} rows; peak heap while streaming: {:.1} MiB", peak as f64 / (1 << 20) as f64);
    assert!(peak < 64 << 20, "peak heap {peak} bytes");
}

/// The same answer read into Arrow batches (`query_arrow_stream`), 10,000 rows a batch,
/// 2,000,000 rows (the debug build decodes them in about a minute on a loaded machine).
#[cfg(feature = "arrow")]
#[test]
fn two_million_jsonl_rows_stream_into_batches_in_bounded_memory() {
    use influx::arrow::array::{cast::AsArray, types::*, Array};
    use influx::arrow::ReadOptions;
    const ARROW_ROWS: u64 = 2_000_000;
    let _alone = support::alloc::exclusive();
    let (server, rt, c) = start(ARROW_ROWS);
    let peak = support::alloc::Peak::start();
    let (rows, batches, nulls) = rt.block_on(async {
        let q = "SELECT host, v, f, s, b, time FROM m";
        let mut s = c.query_arrow_stream(q, &ReadOptions::new(), 10_000).await.unwrap();
        let (mut rows, mut batches, mut nulls) = (0u64, 0u64, 0u64);
        while let Some(b) = s.next().await {
            let b = b.unwrap();
            assert_eq!(b.num_columns(), 6);
            let col = |name: &str| b.column(b.schema().index_of(name).unwrap()).clone();
            let (v, f, time) = (col("v"), col("f"), col("time"));
            let v = v.as_primitive::<Int64Type>();
            let f = f.as_primitive::<Float64Type>();
            let time = time.as_primitive::<TimestampNanosecondType>();
            for i in 0..b.num_rows() {
                let n = rows as i64;
                assert_eq!((v.value(i), time.value(i)), (n, n), "row {rows}: exact to the nanosecond");
                match f.is_null(i) {
                    true => nulls += 1,
                    false => assert_eq!(f.value(i), n as f64 + 0.5),
                }
                rows += 1;
            }
            assert!(b.num_rows() <= 10_000);
            batches += 1;
        }
        (rows, batches, nulls)
    });
    let peak = peak.bytes();
    server.join().unwrap();
    assert_eq!((rows, batches, nulls), (ARROW_ROWS, ARROW_ROWS / 10_000, ARROW_ROWS / 5));
    eprintln!(
        "streamed {rows} rows in {batches} batches; peak heap while streaming: {:.1} MiB",
        peak as f64 / (1 << 20) as f64
    );
    assert!(peak < 64 << 20, "peak heap {peak} bytes");
}
