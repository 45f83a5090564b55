//! Streaming 5,000,000 rows from a real influxd with bounded memory.
//!
//! A counting global allocator measures the heap held by this process while
//! the rows stream; the test fails if it ever exceeds 64 MiB.
use crate::support;

use futures::StreamExt;
use influx::{Client, Query, WriteOptions};

/// Points [`database_with_points`] writes.
pub(crate) const POINTS: i64 = 1_000_000;
const STATEMENTS: usize = 5;

#[test]
fn five_million_rows_stream_in_bounded_memory() {
    let _alone = support::alloc::exclusive();
    let (rt, c) = database_with_points("stream5m");
    // One query of five statements: 5,000,000 rows in one chunked answer.
    let text = [QUERY; STATEMENTS].join("; ");
    let peak = support::alloc::Peak::start();
    let (rows, sum) = rt.block_on(async {
        let mut s = c.query_stream::<(i64, i64, f64, String, bool)>(Query::new(text).chunk_size(10_000)).await.unwrap();
        let (mut rows, mut sum) = (0usize, 0i64);
        while let Some(r) = s.next().await {
            let (t, v, f, st, b) = r.unwrap();
            assert!(t == v && f == v as f64 + 0.5 && b && st.len() > 1);
            rows += 1;
            sum = sum.wrapping_add(v);
        }
        (rows, sum)
    });
    let peak = peak.bytes();
    assert_eq!(rows, POINTS as usize * STATEMENTS);
    assert_eq!(sum, (POINTS * (POINTS - 1) / 2) * STATEMENTS as i64);
    eprintln!("streamed {rows} rows; peak heap while streaming: {:.1} MiB", peak as f64 / (1 << 20) as f64);
    assert!(peak < 64 << 20, "peak heap {peak} bytes");
}

/// One statement over all the points [`database_with_points`] writes: `POINTS` rows.
pub(crate) const QUERY: &str = "SELECT v, f, s, b FROM m GROUP BY host";

/// A new database named after `name` on the shared influxd, holding point `i` of `0..POINTS` as
/// `m,host=h{i % 4} v={i}i,f={i}.5,s="r{i}",b=true {i}` (4 series, times in ns), written in
/// batches of 100,000; with a current-thread runtime and a client of that database.
pub(crate) fn database_with_points(name: &str) -> (tokio::runtime::Runtime, Client) {
    let url = support::url();
    let db = support::create_db(&url, name);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let c = Client::new(&url, &db).unwrap();
    rt.block_on(async {
        let mut body = String::new();
        for start in (0..POINTS).step_by(100_000) {
            body.clear();
            for i in start..start + 100_000 {
                use std::fmt::Write;
                let _ = writeln!(body, "m,host=h{} v={i}i,f={i}.5,s=\"r{i}\",b=true {i}", i % 4);
            }
            c.write_lp(std::mem::take(&mut body), &WriteOptions::new()).await.unwrap();
        }
    });
    (rt, c)
}
