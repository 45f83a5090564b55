//! The batching writer against dedicated influxd instances with faults: a
//! server killed and restarted mid-stream, a small max-body-size, auth,
//! a connection limit, write throttling.
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use influx::writer::WriterOptions;
use influx::{Client, ErrorKind};
use support::proxy::Proxy;
use support::{bounded, count_sum, Config, Server};

fn patient() -> WriterOptions {
    WriterOptions::new()
        .retry_interval(Duration::from_millis(100))
        .max_retry_delay(Duration::from_secs(1))
        .max_retries(1_000)
        .max_retry_time(Duration::from_secs(90))
        .request_timeout(Some(Duration::from_secs(10)))
}

#[test]
fn server_killed_and_restarted_mid_stream_every_point_lands_exactly_once() {
    const N: i64 = 200_000;
    let server = Arc::new(Server::start(Config::default()));
    support::admin_query(&server.url, "CREATE DATABASE k");
    let url = server.url.clone();
    bounded(180, async {
        let client = Client::new(&url, "k").unwrap();
        let w = client.untyped_writer(patient().batch_size(5_000).capacity(50_000)).unwrap();
        let producer = {
            let w = w.clone();
            tokio::spawn(async move {
                let mut line = String::new();
                for i in 0..N {
                    line.clear();
                    // No timestamp: the writer stamps each point, so a re-sent batch overwrites itself.
                    std::fmt::Write::write_fmt(&mut line, format_args!("m,s=k v={i}i")).unwrap();
                    w.write_line(&line).await.unwrap();
                }
            })
        };
        while w.stats().written < 40_000 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let s = Arc::clone(&server);
        tokio::task::spawn_blocking(move || s.kill()).await.unwrap();
        let at_kill = w.stats();
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(w.stats().buffered > 0, "nothing was buffered while the server was down");
        let s = Arc::clone(&server);
        tokio::task::spawn_blocking(move || s.restart()).await.unwrap();
        producer.await.unwrap();
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert!(at_kill.written < N as u64, "the server was killed after the stream ended");
        assert!(report.stats.retries > 0, "no retry happened: {:?}", report.stats);
        assert_eq!(report.stats.written, N as u64);
    });
    assert_eq!(count_sum(&server.url, "k", "m"), (N, (N - 1) * N / 2), "count and checksum");
}

#[test]
fn small_max_body_size_splits_batches_and_reports_a_single_oversize_point() {
    let server = Server::start(Config { max_body_size: Some(2_000), ..Config::default() });
    support::admin_query(&server.url, "CREATE DATABASE b");
    let proxy = Proxy::start(&server.url);
    bounded(60, async {
        let client = Client::new(&proxy.url, "b").unwrap();
        let w = client.untyped_writer(patient().batch_size(1_000)).unwrap();
        for i in 0..3_000 {
            w.write_line(&format!("m,host=server-{:03} v={i}i", i % 100)).await.unwrap();
        }
        let big = format!("big s=\"{}\",v=1i", "x".repeat(3_000));
        w.write_line(&big).await.unwrap();
        w.write_line("m,host=after v=3000i").await.unwrap();
        let report = w.close().await.unwrap();
        assert_eq!(report.stats.written, 3_001, "{report:?}");
        assert_eq!(report.failed.len(), 1);
        let failed = &report.failed[0];
        assert_eq!(failed.error().kind(), ErrorKind::PayloadTooLarge);
        assert_eq!(failed.len(), 1);
        assert!(failed.lines().next().unwrap().line.starts_with("big s=\"xxx"));
        assert!(proxy.requests() > 4, "batches were not split: {} requests", proxy.requests());
        assert_eq!(report.stats.retries, 0, "a 413 is split, never retried as is");
    });
    assert_eq!(count_sum(&server.url, "b", "m"), (3_001, 3_000 * 3_001 / 2));
}

#[test]
fn wrong_credentials_fail_fast_without_a_retry_storm() {
    let server = Server::start(Config { auth: true, ..Config::default() });
    support::admin_query(&server.url, "CREATE USER admin WITH PASSWORD 'secret-pw' WITH ALL PRIVILEGES");
    support::admin_query_as(&server.url, "CREATE DATABASE a", Some(("admin", "secret-pw")));
    let proxy = Proxy::start(&server.url);
    bounded(30, async {
        let client = Client::builder(&proxy.url).database("a").credentials("admin", "wrong-pw").build().unwrap();
        let w = client.untyped_writer(patient().batch_size(100)).unwrap();
        assert!(!format!("{w:?}").contains("wrong-pw"));
        let t = Instant::now();
        for i in 0..500 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
        assert_eq!(report.failed.len(), 5);
        for b in &report.failed {
            assert_eq!(b.error().kind(), ErrorKind::Unauthorized, "{:?}", b.error());
            assert!(!format!("{:?} {}", b.error(), b.error()).contains("-pw"));
        }
        assert_eq!(proxy.requests(), 5, "one request per batch, no retry");
        assert_eq!((report.stats.failed, report.stats.written), (500, 0));
    });
}

#[test]
fn connection_limit_resets_are_retried_and_every_point_lands_once() {
    let server = Server::start(Config { max_connection_limit: Some(2), ..Config::default() });
    support::admin_query(&server.url, "CREATE DATABASE c");
    let url = server.url.clone();
    bounded(120, async {
        let client = Client::new(&url, "c").unwrap();
        let w = client.untyped_writer(patient().batch_size(500).max_in_flight(8)).unwrap();
        let mut tasks = Vec::new();
        for t in 0..8 {
            let w = w.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..5_000 {
                    w.write_line(&format!("m,task={t} v={i}i")).await.unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
    });
    assert_eq!(count_sum(&server.url, "c", "m"), (40_000, 8 * (4_999 * 5_000 / 2)));
}

#[test]
fn real_write_throttling_is_retried_until_everything_lands() {
    let server = Server::start(Config { write_throttle: Some((1, 1, "1ms")), ..Config::default() });
    support::admin_query(&server.url, "CREATE DATABASE t");
    let url = server.url.clone();
    bounded(120, async {
        let client = Client::new(&url, "t").unwrap();
        let w = client
            .untyped_writer(patient().batch_size(2_000).max_in_flight(4).retry_interval(Duration::from_millis(20)))
            .unwrap();
        for i in 0..40_000 {
            w.write_line(&format!("m,k={} v={i}i", i % 7)).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        // 4 requests in flight against 1 running + 1 queued: some are throttled.
        assert!(report.stats.retries > 0, "the server never throttled: {:?}", report.stats);
    });
    assert_eq!(count_sum(&server.url, "t", "m"), (40_000, 39_999 * 40_000 / 2));
}
