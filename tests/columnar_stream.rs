//! Streaming 10,000,000 rows from a real influxd into Arrow record batches with bounded memory.
//!
//! A counting global allocator measures the heap held by this process while the batches
//! stream (one per chunk; the test keeps none); the test fails if it ever exceeds 64 MiB.
use crate::query_stream::{database_with_points, POINTS, QUERY};
use crate::support;

use futures::TryStreamExt;
use influx::arrow::array::{
    cast::AsArray,
    types::{Float64Type, Int32Type, Int64Type, TimestampNanosecondType},
    Array, RecordBatch,
};
use influx::arrow::ReadOptions;
use influx::Query;

const STATEMENTS: usize = 10;

/// CPU time of the calling thread, in seconds (printed only: where the test's time goes).
fn thread_cpu_s() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid, writable timespec; the clock id is a constant Linux knows.
    assert_eq!(unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) }, 0);
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

/// Checks every row of one chunk's batch (`time`, `v`, `f`, `s`, `b`, then the `host` tag) and
/// returns its row count and the sum of `v`.
fn check(batch: &RecordBatch) -> (usize, i64) {
    let names: Vec<&str> = batch.schema_ref().fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, ["time", "v", "f", "s", "b", "host"]);
    let time = batch.column(0).as_primitive::<TimestampNanosecondType>();
    let v = batch.column(1).as_primitive::<Int64Type>();
    let f = batch.column(2).as_primitive::<Float64Type>();
    let s = batch.column(3).as_string::<i32>();
    let b = batch.column(4).as_boolean();
    let host = batch.column(5).as_dictionary::<Int32Type>();
    let hosts = host.values().as_string::<i32>();
    assert_eq!(batch.columns().iter().map(|c| c.null_count()).sum::<usize>(), 0, "no nulls");
    let mut sum = 0i64;
    let mut text = String::new();
    for n in 0..batch.num_rows() {
        let val = v.value(n);
        assert_eq!(time.value(n), val, "row {n}: time");
        assert_eq!(f.value(n).to_bits(), (val as f64 + 0.5).to_bits(), "row {n}: f");
        text.clear();
        {
            use std::fmt::Write;
            let _ = write!(text, "r{val}");
        }
        assert_eq!(s.value(n), text, "row {n}: s");
        assert!(b.value(n), "row {n}: b");
        let key = host.keys().value(n) as usize;
        assert_eq!(hosts.value(key).as_bytes(), [b'h', b'0' + (val % 4) as u8], "row {n}: host");
        sum += val;
    }
    (batch.num_rows(), sum)
}

#[test]
fn ten_million_rows_stream_into_batches_in_bounded_memory() {
    let _alone = support::alloc::exclusive();
    let (rt, c) = database_with_points("arrowstream10m");
    // One query of ten statements: 10,000,000 rows in one chunked answer, one batch per chunk.
    let text = [QUERY; STATEMENTS].join("; ");
    let (started, cpu) = (std::time::Instant::now(), thread_cpu_s());
    let peak = support::alloc::Peak::start();
    let (rows, sum, batches) = rt.block_on(async {
        let q = Query::new(text).chunk_size(10_000);
        let mut stream = c.query_arrow_stream(q, &ReadOptions::new()).await.unwrap();
        let (mut rows, mut sum, mut batches) = (0usize, 0i64, 0usize);
        while let Some(batch) = stream.try_next().await.unwrap() {
            let (r, s) = check(&batch);
            rows += r;
            sum += s;
            batches += 1;
        }
        (rows, sum, batches)
    });
    let peak = peak.bytes();
    assert_eq!(rows, POINTS as usize * STATEMENTS);
    assert_eq!(sum, (POINTS * (POINTS - 1) / 2) * STATEMENTS as i64);
    eprintln!(
        "streamed {rows} rows in {batches} batches in {:.1} s ({:.1} s CPU decoding and checking, \
         the rest waiting for influxd); peak heap while streaming: {:.1} MiB",
        started.elapsed().as_secs_f64(),
        thread_cpu_s() - cpu,
        peak as f64 / (1 << 20) as f64
    );
    assert!(peak < 64 << 20, "peak heap {peak} bytes");
}
