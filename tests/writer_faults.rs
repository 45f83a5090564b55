//! The batching writer against dedicated influxd instances with faults: a
//! server killed and restarted mid-stream, a small max-body-size, auth,
//! a connection limit, write throttling.
use crate::support;

use std::sync::Arc;
use std::time::Duration;

use influx::writer::WriterOptions;
use influx::{Client, ErrorKind, WriteOptions};
use support::proxy::{Fault, Proxy};
use support::{bounded, count_sum, traced, Config, Server};

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
        for i in 0..500 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        // No timing assert (the machine's load decides that): one request per batch below
        // proves there was no retry, and `bounded` fails the test if it ever hangs.
        let report = w.close().await.unwrap();
        assert_eq!(report.failed.len(), 5);
        for b in &report.failed {
            assert_eq!(b.error().kind(), ErrorKind::Unauthorized, "{:?}", b.error());
            assert!(!format!("{:?} {}", b.error(), b.error()).contains("-pw"));
        }
        assert_eq!(proxy.requests(), 5, "one request per batch, no retry");
        assert_eq!((report.stats.failed, report.stats.written), (500, 0));
    });
}

/// The kinds of the errors the writer retried, from its log.
fn retried_kinds(logs: &support::Logs) -> Vec<String> {
    logs.with_message("write failed, retrying").iter().map(|e| e.fields["kind"].clone()).collect()
}

#[test]
fn connection_limit_resets_are_retried_and_every_point_lands_once() {
    let server = Server::start(Config { max_connection_limit: Some(2), ..Config::default() });
    support::admin_query(&server.url, "CREATE DATABASE c");
    let url = server.url.clone();
    let logs = traced(120, async {
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
        assert!(report.stats.retries > 0, "no connection was refused: {:?}", report.stats);
    });
    // The server closes connections over its limit: every retry was for such a
    // transport failure, and there were some.
    let kinds = retried_kinds(&logs);
    assert!(!kinds.is_empty());
    assert!(kinds.iter().all(|k| k == "Transport" || k == "Connect"), "{kinds:?}");
    assert_eq!(count_sum(&server.url, "c", "m"), (40_000, 8 * (4_999 * 5_000 / 2)));
}

#[test]
fn throttled_large_bodies_are_retried_whether_answered_or_reset() {
    // influxd answers a throttled write before reading its body, then closes
    // the connection. It waits 500 ms between its FIN and the RST that the
    // unread body causes, and this client reads while it sends, so against
    // the real server it sees the 503; a client that reads only after
    // sending sees the reset instead, made here by the fault proxy. Both are
    // retried.
    let server = Server::start(Config { write_throttle: Some((1, 1, "1ms")), ..Config::default() });
    support::admin_query(&server.url, "CREATE DATABASE r");
    let proxy = Proxy::start(&server.url);
    const N: i64 = 800_000;
    let line = |i: i64| format!("m,k={} v={i}i {i}", i % 7);
    let logs = traced(180, async {
        // Four writers each fill one batch of 100,000 lines (2.2 MB), then all
        // four are sent at once against 1 running and 1 queued write.
        let client = Client::new(&server.url, "r").unwrap();
        let held = patient().batch_size(100_001).capacity(200_000).flush_interval(Duration::from_secs(3600));
        let writers: Vec<_> = (0..4).map(|_| client.untyped_writer(held.clone()).unwrap()).collect();
        for (n, w) in writers.iter().enumerate() {
            let start = n as i64 * (N / 8);
            for i in start..start + N / 8 {
                w.write_line(&line(i)).await.unwrap();
            }
        }
        let flushes = futures::future::join_all(writers.iter().map(|w| w.flush())).await;
        assert!(flushes.iter().all(Result::is_ok));
        for w in writers {
            let report = w.close().await.unwrap();
            assert!(report.is_complete(), "{report:?}");
        }
        // The reset, while a 4.4 MB body is still being sent.
        proxy.script([Fault::ResetMidBody, Fault::ResetMidBody]);
        let options = patient().batch_size(200_000).capacity(400_000).max_in_flight(2).max_batch_bytes(64 << 20);
        let w = Client::new(&proxy.url, "r").unwrap().untyped_writer(options).unwrap();
        for i in N / 2..N {
            w.write_line(&line(i)).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
    });
    let kinds = retried_kinds(&logs);
    assert!(kinds.iter().filter(|k| *k == "Throttled").count() > 0, "the server never throttled: {kinds:?}");
    assert!(kinds.iter().filter(|k| *k == "Transport").count() >= 2, "the resets were not retried: {kinds:?}");
    assert!(kinds.iter().all(|k| k == "Throttled" || k == "Transport"), "{kinds:?}");
    assert_eq!(count_sum(&server.url, "r", "m"), (N, (N - 1) * N / 2));
}

#[test]
fn gzip_bodies_count_by_their_compressed_size_and_a_corrupt_one_is_a_400() {
    // influxd's max-body-size limits the bytes on the wire: compressed, with gzip.
    let server = Server::start(Config { max_body_size: Some(2_000), ..Config::default() });
    support::admin_query(&server.url, "CREATE DATABASE g");
    let proxy = Proxy::start(&server.url);
    let body: String = (0..200).map(|i| format!("m v={i}i {i}\n")).collect();
    assert!(body.len() > 2_000);
    bounded(60, async {
        let client = Client::new(&proxy.url, "g").unwrap();
        client.write_lp(body.clone(), &WriteOptions::new().gzip(true)).await.unwrap();
        let sent = *proxy.body_sizes().last().unwrap();
        assert!(sent < 2_000 && sent < body.len() / 2, "{sent} bytes on the wire for {} bytes", body.len());
        let err = client.write_lp(body.clone(), &WriteOptions::new().gzip(false)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PayloadTooLarge, "{err:?}");
        // A corrupt gzip body: the server's 400 and its reason reach the caller.
        proxy.script([Fault::CorruptBody]);
        let err = client.write_lp("m v=1i 1000", &WriteOptions::new().gzip(true)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadRequest, "{err:?}");
        let why = err.server_message().unwrap();
        assert!(why.contains("gzip") || why.contains("flate"), "{why}");

        // The writer: 200-line gzip batches go whole, no split, no retry.
        let requests = proxy.requests();
        let w = client.untyped_writer(patient().gzip(true).batch_size(200)).unwrap();
        for i in 200..600 {
            w.write_line(&format!("m v={i}i {i}")).await.unwrap();
        }
        w.flush().await.unwrap();
        assert_eq!(proxy.requests() - requests, 2);
        // A corrupt body is a permanent failure, reported, not retried.
        proxy.script([Fault::CorruptBody]);
        for i in 600..610 {
            w.write_line(&format!("m v={i}i {i}")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert_eq!((report.stats.written, report.stats.failed, report.stats.retries), (400, 10, 0), "{report:?}");
        assert_eq!(report.failed[0].error().kind(), ErrorKind::BadRequest);
        assert_eq!(proxy.requests() - requests, 3);
    });
    assert_eq!(count_sum(&server.url, "g", "m"), (600, 599 * 600 / 2));
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
