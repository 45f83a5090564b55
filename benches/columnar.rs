//! Columnar I/O against the row paths, on the same 1,000,000 rows (3 tags; a boolean, a
//! full-precision float, an integer and a string field; ns times):
//!
//! - writing: a `RecordBatch` encoded by `BatchRows` vs the same rows as `#[derive(InfluxPoint)]`
//!   structs, each into one reused buffer (the bench asserts both produce identical bytes);
//! - reading: the `/query` answer InfluxDB 1.6 sends for them (`benches/decode_body.rs`, the
//!   decode bench's body) into a `RecordBatch` (`decode_answer`, what `query_arrow` runs) vs into
//!   structs (`decode_rows`, what `query_as` runs); both checked cell by cell, floats by bits.
//!
//! Criterion measures each; then interleaved rounds (A, B, A, B, ...) keep each side's best
//! thread-CPU time, and the ratios printed at the end are those (the build machine is shared,
//! so wall time mostly measures the scheduler).
//!
//! Run: `cargo bench --features arrow --bench columnar`
//!
//! With `COLUMNAR_EXPORT=<dir>` the bench instead writes what the Python comparison
//! (`scripts/bench-python.sh`, `benches/python/`) needs into `<dir>`, and skips criterion:
//! `answer.json` (the `/query` answer above), `batch.lp` (the batch's line protocol) and
//! `rust.json`, the best of `COLUMNAR_ROUNDS` rounds (thread CPU and wall time, ns) of the two
//! calls the Python clients' DataFrame paths are compared with: encoding the batch into a new
//! body (`BatchRows::new` + `encode_batch`, what `client.write(&rows)` runs before sending) and
//! `decode_answer` over the answer's bytes (what `query_arrow` runs once the body is in).
//!
//! Instruction counts (load-independent; the machine the ratios were measured on is shared):
//! `COLUMNAR_PROFILE=1 valgrind --tool=callgrind --toggle-collect='*profile_*' <bench binary>`
//! encodes once with each writer and stops; `callgrind_annotate --inclusive=yes` then shows
//! `columnar::profile_record_batch` and `columnar::profile_derive`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput};
use influx::arrow::array::{
    cast::AsArray, types::Float64Type, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampNanosecondArray,
};
use influx::arrow::{decode_answer, BatchRows, FrameOptions, ReadOptions};
use influx::decode::{decode_rows, DecodeContext};
use influx::line_protocol::encode_batch;
use influx::{EncodeOptions, Precision};

#[path = "decode_body.rs"]
mod decode_body;
use decode_body::{thread_cpu_ns, Cpu};

const ROWS: usize = 1_000_000;

/// Best thread-CPU time of each of two closures over `rounds` interleaved rounds.
fn interleaved(rounds: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (u64, u64) {
    let (mut best_a, mut best_b) = (u64::MAX, u64::MAX);
    for _ in 0..rounds {
        let t = thread_cpu_ns();
        a();
        best_a = best_a.min(thread_cpu_ns() - t);
        let t = thread_cpu_ns();
        b();
        best_b = best_b.min(thread_cpu_ns() - t);
    }
    (best_a, best_b)
}

/// One encode of the batch, a function of its own for callgrind's `--toggle-collect`.
#[inline(never)]
fn profile_record_batch(buf: &mut Vec<u8>, encode: &impl Fn(&mut Vec<u8>)) {
    encode(buf);
}

/// One encode of the structs, a function of its own for callgrind's `--toggle-collect`.
#[inline(never)]
fn profile_derive(buf: &mut Vec<u8>, encode: &impl Fn(&mut Vec<u8>)) {
    encode(buf);
}

fn rows() -> Vec<Cpu> {
    (0..ROWS).map(|n| decode_body::row(n, decode_body::Floats::Full)).collect()
}

fn to_batch(rows: &[Cpu]) -> RecordBatch {
    RecordBatch::try_from_iter([
        (
            "time",
            Arc::new(TimestampNanosecondArray::from_iter_values(rows.iter().map(|r| r.time)).with_timezone("UTC")) as _,
        ),
        ("host", Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.host))) as _),
        ("region", Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.region))) as _),
        ("zone", Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.zone))) as _),
        ("b", Arc::new(BooleanArray::from(rows.iter().map(|r| r.b).collect::<Vec<_>>())) as _),
        ("f", Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.f))) as _),
        ("i", Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.i))) as _),
        ("s", Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.s))) as _),
    ])
    .unwrap()
}

/// Best (thread CPU, wall) time in ns of `f` over `rounds` rounds.
fn best_of(rounds: usize, mut f: impl FnMut()) -> (u64, u64) {
    let (mut cpu, mut wall) = (u64::MAX, u64::MAX);
    for _ in 0..rounds {
        let (t, w) = (thread_cpu_ns(), std::time::Instant::now());
        f();
        cpu = cpu.min(thread_cpu_ns() - t);
        wall = wall.min(w.elapsed().as_nanos() as u64);
    }
    (cpu, wall)
}

/// `COLUMNAR_EXPORT`: the files and timings the Python comparison reads (see the module docs).
fn export(dir: &std::path::Path, rounds: usize, rows: &[Cpu]) {
    let batch = to_batch(rows);
    let frame = FrameOptions::measurement("cpu").tag_columns(["host", "region", "zone"]);
    let opts = EncodeOptions::default();
    let encode = || {
        let mut body = Vec::new();
        encode_batch(&BatchRows::new(black_box(&batch), &frame).unwrap(), &mut body, &opts).unwrap();
        body
    };
    let body = decode_body::body(ROWS, false, decode_body::Floats::Full);
    let ctx = DecodeContext::new(Some(Precision::Nanoseconds));
    let read = ReadOptions::new();
    assert!(
        influx::arrow::decode_batch::<Cpu>(&decode_answer(&body, &ctx, &read).unwrap()[0]).unwrap() == rows,
        "the batch read holds the rows written"
    );
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("batch.lp"), encode()).unwrap();
    std::fs::write(dir.join("answer.json"), &body).unwrap();
    let (write_cpu, write_wall) = best_of(rounds, || drop(black_box(encode())));
    let (read_cpu, read_wall) =
        best_of(rounds, || drop(black_box(decode_answer(black_box(&body), &ctx, &read).unwrap())));
    let json = format!(
        r#"{{"rows":{ROWS},"rounds":{rounds},"write_cpu_ns":{write_cpu},"write_wall_ns":{write_wall},"read_cpu_ns":{read_cpu},"read_wall_ns":{read_wall}}}"#
    );
    std::fs::write(dir.join("rust.json"), &json).unwrap();
    println!("{json}");
}

fn main() {
    let rows = rows();
    let rounds = std::env::var("COLUMNAR_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    if let Some(dir) = std::env::var_os("COLUMNAR_EXPORT") {
        return export(std::path::Path::new(&dir), rounds, &rows);
    }
    let mut c = Criterion::default().configure_from_args();
    let batch = to_batch(&rows);
    let opts = EncodeOptions::default();
    let frame = FrameOptions::measurement("cpu").tag_columns(["host", "region", "zone"]);

    // Writing: identical bytes first.
    let (mut a, mut b) = (Vec::with_capacity(ROWS * 120), Vec::with_capacity(ROWS * 120));
    encode_batch(&BatchRows::new(&batch, &frame).unwrap(), &mut a, &opts).unwrap();
    encode_batch(&rows, &mut b, &opts).unwrap();
    assert!(a == b, "the batch and the derive must write the same bytes");
    let encode_frame = |buf: &mut Vec<u8>| {
        buf.clear();
        let rows = BatchRows::new(black_box(&batch), &frame).unwrap();
        encode_batch(&rows, buf, &opts).unwrap();
    };
    let encode_derive = |buf: &mut Vec<u8>| {
        buf.clear();
        encode_batch(black_box(&rows), buf, &opts).unwrap();
    };
    if std::env::var_os("COLUMNAR_PROFILE").is_some() {
        profile_record_batch(&mut a, &encode_frame);
        profile_derive(&mut b, &encode_derive);
        assert!(a == b, "the batch and the derive must write the same bytes");
        return;
    }
    let mut g = c.benchmark_group("write_1m_rows");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.sample_size(10);
    g.bench_function("record_batch", |bch| bch.iter(|| encode_frame(&mut a)));
    g.bench_function("derive", |bch| bch.iter(|| encode_derive(&mut b)));
    g.finish();

    // Reading: the same rows as the server's answer.
    let body = decode_body::body(ROWS, false, decode_body::Floats::Full);
    let ctx = DecodeContext::new(Some(Precision::Nanoseconds));
    let read = ReadOptions::new();
    let batches = decode_answer(&body, &ctx, &read).unwrap();
    let got = batches[0].column(batches[0].schema().index_of("f").unwrap()).as_primitive::<Float64Type>().clone();
    assert_eq!(got.len(), ROWS);
    for (n, r) in rows.iter().enumerate() {
        assert_eq!(got.value(n).to_bits(), r.f.to_bits(), "row {n}");
    }
    let structs: Vec<Cpu> = decode_rows(&body, &ctx).unwrap();
    assert!(structs == rows, "structs decode to the rows written");
    assert!(influx::arrow::decode_batch::<Cpu>(&batches[0]).unwrap() == rows, "the batch holds the rows written");
    let mut g = c.benchmark_group("read_1m_rows");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.sample_size(10);
    g.bench_function("record_batch", |bch| {
        bch.iter(|| black_box(decode_answer(black_box(&body), &ctx, &read).unwrap()))
    });
    g.bench_function("query_as_structs", |bch| {
        bch.iter(|| black_box(decode_rows::<Cpu>(black_box(&body), &ctx).unwrap()))
    });
    g.finish();
    c.final_summary();

    let (w_frame, w_derive) = interleaved(rounds, || encode_frame(&mut a), || encode_derive(&mut b));
    let (r_frame, r_rows) = interleaved(
        rounds,
        || drop(black_box(decode_answer(&body, &ctx, &read).unwrap())),
        || drop(black_box(decode_rows::<Cpu>(&body, &ctx).unwrap())),
    );
    let ms = |ns: u64| ns as f64 / 1e6;
    println!("interleaved best of {rounds} (thread CPU time, 1,000,000 rows):");
    println!(
        "  write: record batch {:.1} ms, derive {:.1} ms: batch/derive = {:.2}x",
        ms(w_frame),
        ms(w_derive),
        w_frame as f64 / w_derive as f64
    );
    println!(
        "  read:  record batch {:.1} ms, structs {:.1} ms: batch/structs = {:.2}x",
        ms(r_frame),
        ms(r_rows),
        r_frame as f64 / r_rows as f64
    );
}
