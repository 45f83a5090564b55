//! The batching writer against a real influxd: flush and close semantics,
//! triggers, partial writes, retries through a fault-injecting proxy.
use crate::support;

use std::time::{Duration, Instant};

use influx::writer::{WriteMode, WriterOptions};
use influx::{Client, Encoder, ErrorKind, WritePoint};
use support::proxy::{Fault, Proxy};
use support::{bounded, count_sum, traced};

fn opts() -> WriterOptions {
    WriterOptions::new().retry_interval(Duration::from_millis(50)).max_retry_delay(Duration::from_millis(500))
}

async fn wait_for(mut cond: impl FnMut() -> bool, within: Duration) -> bool {
    let until = Instant::now() + within;
    while Instant::now() < until {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    cond()
}

struct Cpu {
    host: &'static str,
    v: i64,
    time: Option<i64>,
}

impl WritePoint for Cpu {
    fn write_point(&self, enc: &mut Encoder<'_>) -> influx::Result<()> {
        enc.measurement("cpu")?;
        enc.tag("host", self.host)?;
        enc.field_i64("v", self.v)?;
        match self.time {
            Some(t) => enc.timestamp_nanos(t),
            None => Ok(()),
        }
    }
}

#[test]
fn flush_returns_once_the_server_has_the_points() {
    let url = support::url();
    let db = support::create_db(&url, "flush");
    bounded(30, async {
        let client = Client::new(&url, &db).unwrap();
        let w = client.untyped_writer(opts().flush_interval(Duration::from_secs(3600))).unwrap();
        for i in 0..10 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        // A typed point through the untyped writer.
        w.write(&Cpu { host: "h", v: 7, time: None }).await.unwrap();
        assert_eq!(w.stats().requests, 0, "nothing is sent before the batch is full or flushed");
        assert_eq!(w.stats().buffered, 11);
        w.flush().await.unwrap();
        assert_eq!(count_sum(&url, &db, "m"), (10, 45));
        assert_eq!(count_sum(&url, &db, "cpu"), (1, 7));
        assert_eq!(w.stats().buffered, 0);
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!((report.stats.accepted, report.stats.written, report.stats.requests), (11, 11, 1));
        assert!(report.stats.last_flush_latency.is_some());
    });
}

#[test]
fn size_and_interval_triggers_each_send_one_request() {
    let url = support::url();
    let db = support::create_db(&url, "triggers");
    bounded(30, async {
        let client = Client::new(&url, &db).unwrap();
        let interval = Duration::from_millis(400);
        let w = client.untyped_writer(opts().batch_size(100).flush_interval(interval)).unwrap();
        for i in 0..100 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        assert!(wait_for(|| w.stats().written == 100, Duration::from_secs(5)).await, "{:?}", w.stats());
        assert_eq!(w.stats().requests, 1);
        let t = Instant::now();
        w.write_line("m v=1000i").await.unwrap();
        assert!(wait_for(|| w.stats().written == 101, Duration::from_secs(5)).await, "{:?}", w.stats());
        assert!(t.elapsed() >= interval, "sent after {:?}, before the flush interval", t.elapsed());
        assert_eq!(w.stats().requests, 2);
        let report = w.close().await.unwrap();
        assert!(report.is_complete());
        assert_eq!(count_sum(&url, &db, "m"), (101, 4950 + 1000));
    });
}

#[test]
fn typed_writer_in_synchronous_mode_returns_after_the_write() {
    let url = support::url();
    let db = support::create_db(&url, "sync");
    bounded(30, async {
        let client = Client::new(&url, &db).unwrap();
        let w = client.writer::<Cpu>(opts().mode(WriteMode::Synchronous).default_tag("dc", "eu")).unwrap();
        w.write(&Cpu { host: "a", v: 1, time: Some(1) }).await.unwrap();
        let out = support::admin_query(&url, &format!("SELECT v FROM \"{db}\"..cpu WHERE dc = 'eu'"));
        assert!(out.contains("[\"1970-01-01T00:00:00.000000001Z\",1]"), "{out}");
        let points: Vec<Cpu> = (2..5).map(|v| Cpu { host: "b", v, time: None }).collect();
        w.write_all(&points).await.unwrap();
        let out = support::admin_query(&url, &format!("SELECT count(v), sum(v) FROM \"{db}\"..cpu"));
        assert!(out.contains(",4,10]"), "{out}");
        // A bad point: the error names it, nothing was written for it.
        let err = w.write_line("cpu").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encode);
        let report = w.close().await.unwrap();
        assert_eq!((report.stats.accepted, report.stats.written), (4, 4));
    });
}

#[test]
fn partial_write_reports_each_bad_point_and_is_not_retried() {
    let url = support::url();
    let db = support::create_db(&url, "partial");
    support::http(&url, "POST", &format!("/write?db={db}"), None, "", b"cpu v=0.5 1");
    let proxy = Proxy::start(&url);
    bounded(30, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client.untyped_writer(opts()).unwrap();
        for line in ["cpu v=2.0 2", "cpu v=3i 3", "cpu v=tru 4", "cpu v=5.0 5"] {
            w.write_line(line).await.unwrap();
        }
        w.flush().await.unwrap();
        let s = w.stats();
        assert_eq!((s.written, s.rejected, s.failed), (2, 2, 0), "{s:?}");
        let report = w.close().await.unwrap();
        let lines: Vec<(String, String)> = report
            .failed
            .iter()
            .flat_map(|b| b.lines().map(|l| (l.line.into_owned(), l.reason.into_owned())))
            .collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().any(|(l, r)| l == "cpu v=3i 3" && r.contains("type conflict")), "{lines:?}");
        assert!(lines.iter().any(|(l, r)| l == "cpu v=tru 4" && r.contains("invalid boolean")), "{lines:?}");
        assert!(report.failed.iter().all(|b| b.error().kind() == ErrorKind::PartialWrite));
        // One request, plus one re-send of the good lines to surface the parse
        // error the server hides behind the type conflict. Never more.
        assert_eq!(proxy.requests(), 2);
    });
    let out = support::admin_query(&url, &format!("SELECT count(v), sum(v) FROM \"{db}\"..cpu"));
    assert!(out.contains(",3,7.5]"), "{out}");
}

#[test]
fn all_unparsable_lines_are_rejected_with_their_reasons() {
    let url = support::url();
    let db = support::create_db(&url, "unparsable");
    let proxy = Proxy::start(&url);
    bounded(30, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client.untyped_writer(opts()).unwrap();
        w.write_line("m v=tru").await.unwrap();
        w.write_line("m v=1i,v=x").await.unwrap();
        let report = w.close().await.unwrap();
        assert_eq!((report.stats.written, report.stats.rejected), (0, 2), "{report:?}");
        assert_eq!(report.failed.len(), 1);
        assert_eq!(report.failed[0].error().kind(), ErrorKind::BadRequest);
        assert!(report.failed[0].lines().all(|l| l.reason.contains("invalid") || l.reason.contains("unable")));
        assert_eq!(proxy.requests(), 1);
    });
}

#[test]
fn lost_answer_is_retried_without_duplicates() {
    let url = support::url();
    let db = support::create_db(&url, "lostanswer");
    let proxy = Proxy::start(&url);
    // The first request reaches the server, its answer never comes back; the
    // second has its connection reset before it is relayed.
    proxy.script([Fault::DropAnswer, Fault::Reset]);
    bounded(30, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client.untyped_writer(opts().max_in_flight(1)).unwrap();
        for i in 0..500 {
            w.write_line(&format!("m,t=x v={i}i")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.stats.retries, 2);
        assert_eq!(proxy.relayed(), 2);
    });
    assert_eq!(count_sum(&url, &db, "m"), (500, 499 * 500 / 2));
}

#[test]
fn throttling_and_server_errors_are_retried_with_backoff() {
    let url = support::url();
    let db = support::create_db(&url, "throttle");
    let proxy = Proxy::start(&url);
    // Plain-text 503 as influxd's throttle sends it, then a 500 timeout, then a 502.
    proxy.script([
        Fault::Respond(503, "", "request throttled, queue full"),
        Fault::Respond(500, "", "{\"error\":\"timeout\"}"),
        Fault::Respond(502, "", "bad gateway"),
    ]);
    bounded(30, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client.untyped_writer(opts()).unwrap();
        for i in 0..10 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!((report.stats.requests, report.stats.retries), (4, 3));
    });
    assert_eq!(count_sum(&url, &db, "m"), (10, 45));
}

#[test]
fn retry_after_is_honoured_capped_and_jittered() {
    let url = support::url();
    let db = support::create_db(&url, "retryafter");
    let proxy = Proxy::start(&url);
    proxy.script([
        Fault::Respond(429, "Retry-After: 1\r\n", "slow down"),
        // A date in the past means "now".
        Fault::Respond(503, "Retry-After: Sun, 06 Nov 1994 08:49:37 GMT\r\n", "slow down"),
        // Unreadable: the ordinary backoff applies.
        Fault::Respond(503, "Retry-After: soon\r\n", "slow down"),
        // Huge: capped at max_retry_delay.
        Fault::Respond(503, "Retry-After: 100000\r\n", "slow down"),
        Fault::Respond(503, "Retry-After: 100000\r\n", "slow down"),
        Fault::Respond(503, "Retry-After: 100000\r\n", "slow down"),
    ]);
    let (cap, jitter) = (Duration::from_millis(1_200), Duration::from_millis(200));
    let logs = traced(60, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client
            .untyped_writer(
                opts()
                    .retry_interval(Duration::from_millis(5))
                    .max_retry_delay(cap)
                    .jitter_interval(jitter)
                    .max_retries(10)
                    .max_retry_time(Duration::from_secs(30)),
            )
            .unwrap();
        w.write_line("m v=1i").await.unwrap();
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.stats.retries, 6);
    });
    let retries = logs.with_message("write failed, retrying");
    let waits: Vec<(Option<u64>, u64)> =
        retries.iter().map(|e| (e.u64("retry_after_ms"), e.u64("delay_ms").unwrap())).collect();
    assert_eq!(waits.len(), 6, "{retries:?}");
    let (j, cap_ms) = (jitter.as_millis() as u64, cap.as_millis() as u64);
    // Seconds: waited as asked, plus jitter.
    assert_eq!(waits[0].0, Some(1_000));
    assert!((1_000..=1_000 + j).contains(&waits[0].1), "{waits:?}");
    // An HTTP-date in the past: no wait beyond the jitter.
    assert_eq!(waits[1].0, Some(0));
    assert!(waits[1].1 <= j, "{waits:?}");
    // Unreadable: the third retry's backoff, 5 ms · 2² to 5 ms · 2³.
    assert_eq!(waits[2].0, None);
    assert!((19..=40).contains(&waits[2].1), "{waits:?}");
    // Huge: capped, and jitter added on top of the cap.
    for &(asked, waited) in &waits[3..] {
        assert_eq!(asked, Some(100_000_000));
        assert!((cap_ms..=cap_ms + j).contains(&waited), "{waits:?}");
    }
    assert!(waits[3..].iter().any(|&(_, w)| w > cap_ms), "no jitter was added: {waits:?}");
    assert!(retries.iter().all(|e| e.fields["kind"] == "Throttled"), "{retries:?}");
}

#[test]
fn a_504_from_a_proxy_and_a_500_timeout_are_retried_without_duplicates() {
    let url = support::url();
    let db = support::create_db(&url, "gateway");
    let proxy = Proxy::start(&url);
    // A gateway timeout before the server saw anything, then a 500 `timeout`
    // after the server stored the points (influxd answers so when its own
    // write times out although the points may be in): the retry re-sends them.
    proxy.script([
        Fault::Respond(504, "", "gateway timeout"),
        Fault::RelayThenRespond(500, "Content-Type: application/json\r\n", "{\"error\":\"timeout\"}"),
    ]);
    let logs = traced(30, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client.untyped_writer(opts().max_in_flight(1)).unwrap();
        for i in 0..500 {
            // Explicit timestamps: a re-sent point overwrites itself.
            w.write_line(&format!("m,t=x v={i}i {}", 1_000 + i)).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!((report.stats.requests, report.stats.retries, report.stats.written), (3, 2, 500));
        assert_eq!(proxy.relayed(), 2, "the 500 came after the server had the points");
    });
    let kinds: Vec<String> =
        logs.with_message("write failed, retrying").iter().map(|e| e.fields["kind"].clone()).collect();
    assert_eq!(kinds, ["Server", "Server"]);
    assert_eq!(count_sum(&url, &db, "m"), (500, 499 * 500 / 2), "no duplicates after the retried 500");
}

#[test]
fn max_retry_time_expires_then_later_batches_still_go_through() {
    let url = support::url();
    let db = support::create_db(&url, "retrytime");
    let proxy = Proxy::start(&url);
    proxy.set_default(Fault::Respond(503, "", "request throttled, queue full"));
    bounded(30, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client
            .untyped_writer(
                opts()
                    .max_retries(1000)
                    .retry_interval(Duration::from_millis(100))
                    .max_retry_time(Duration::from_millis(700)),
            )
            .unwrap();
        w.write_line("m v=1i").await.unwrap();
        w.write_line("m v=2i").await.unwrap();
        // Without max_retry_time, 1000 retries 100 ms apart would outlast `bounded`'s 30 s.
        w.flush().await.unwrap();
        let failed = w.next_failure().await.expect("the expired batch is reported");
        assert_eq!(failed.error().kind(), ErrorKind::Throttled);
        assert!(failed.error().to_string().contains("max_retry_time"), "{}", failed.error());
        assert_eq!(failed.to_line_protocol().len(), failed.lines().map(|l| l.line.len() + 1).sum::<usize>() - 1);
        assert_eq!(failed.len(), 2);
        proxy.set_default(Fault::Pass);
        w.write_line("m v=3i").await.unwrap();
        let report = w.close().await.unwrap();
        assert!(report.failed.is_empty(), "the failure was already taken");
        assert_eq!((report.stats.written, report.stats.failed), (1, 2));
    });
    assert_eq!(count_sum(&url, &db, "m"), (1, 3));
}

#[test]
fn missing_database_and_retention_policy_fail_fast() {
    let url = support::url();
    let db = support::create_db(&url, "missing");
    let proxy = Proxy::start(&url);
    bounded(30, async {
        let client = Client::new(&proxy.url, "no_such_db").unwrap();
        let w = client.untyped_writer(opts().batch_size(10)).unwrap();
        for i in 0..30 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert_eq!(report.failed.len(), 3);
        assert!(report.failed.iter().all(|b| b.error().kind() == ErrorKind::DatabaseNotFound && b.len() == 10));
        assert_eq!(proxy.requests(), 3, "one request per batch, no retry");

        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client.untyped_writer(opts().retention_policy("nope")).unwrap();
        w.write_line("m v=1i").await.unwrap();
        let report = w.close().await.unwrap();
        assert_eq!(report.failed.len(), 1);
        assert!(!report.failed[0].error().is_retryable(), "{:?}", report.failed[0].error());
        assert_eq!(report.failed[0].error().status(), Some(500));
        assert_eq!(proxy.requests(), 4, "a 500 `retention policy not found` is not retried");
    });
}

#[test]
fn stalled_server_timeouts_are_retried_and_write_waits_within_capacity() {
    let url = support::url();
    let db = support::create_db(&url, "stall");
    let proxy = Proxy::start(&url);
    proxy.set_default(Fault::Stall);
    bounded(60, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let capacity = 1_000;
        let w = client
            .untyped_writer(
                opts()
                    .batch_size(100)
                    .capacity(capacity)
                    .max_retries(100)
                    .request_timeout(Some(Duration::from_millis(200))),
            )
            .unwrap();
        let mut full = 0;
        let mut i = 0;
        // Fill to capacity: try_write must say so rather than grow.
        while full == 0 {
            match w.try_write_line(&format!("m v={i}i")) {
                Ok(()) => i += 1,
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::BufferFull);
                    full = i;
                }
            }
            assert!(w.stats().buffered <= capacity as u64);
        }
        assert_eq!(full, capacity);
        // write() waits while the server stalls.
        let blocked = tokio::time::timeout(Duration::from_millis(500), w.write_line("m v=-1i")).await;
        assert!(blocked.is_err(), "write did not wait at capacity");
        assert!(
            wait_for(|| w.stats().retries > 0, Duration::from_secs(5)).await,
            "timeouts were not retried: {:?}",
            w.stats()
        );
        proxy.set_default(Fault::Pass);
        let writer = w.clone();
        let more = tokio::spawn(async move {
            for j in 0..2_000 {
                writer.write_line(&format!("n v={j}i")).await.unwrap();
                assert!(writer.stats().buffered <= 1_000);
            }
        });
        more.await.unwrap();
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.stats.written, 3_000);
    });
    assert_eq!(count_sum(&url, &db, "m").0, 1_000);
    assert_eq!(count_sum(&url, &db, "n").0, 2_000);
}

#[test]
fn close_under_load_returns_after_everything_is_written() {
    let url = support::url();
    let db = support::create_db(&url, "closeload");
    let proxy = Proxy::start(&url);
    proxy.set_default(Fault::Delay(Duration::from_millis(20)));
    bounded(60, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client.untyped_writer(opts().batch_size(500).capacity(5_000)).unwrap();
        let mut tasks = Vec::new();
        for t in 0..4 {
            let w = w.clone();
            tasks.push(tokio::spawn(async move {
                let mut accepted = 0u64;
                for i in 0..20_000 {
                    match w.write_line(&format!("m,task={t} v={i}i")).await {
                        Ok(()) => accepted += 1,
                        Err(e) => {
                            assert_eq!(e.kind(), ErrorKind::WriterClosed);
                            break;
                        }
                    }
                }
                accepted
            }));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let report = w.close().await.unwrap();
        let mut accepted = 0;
        for t in tasks {
            accepted += t.await.unwrap();
        }
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.stats.accepted, accepted);
        assert_eq!(report.stats.buffered, 0);
        assert_eq!(count_sum(&url, &db, "m").0, accepted as i64);
    });
}

#[test]
fn dropping_an_unclosed_writer_still_delivers_and_says_so() {
    let url = support::url();
    let db = support::create_db(&url, "dropped");
    let logs = traced(30, async {
        let client = Client::new(&url, &db).unwrap();
        let w = client.untyped_writer(opts().flush_interval(Duration::from_secs(3600))).unwrap();
        for i in 0..7 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        drop(w);
        let db2 = db.clone();
        let url2 = url.clone();
        assert!(wait_for(move || count_sum(&url2, &db2, "m") == (7, 21), Duration::from_secs(10)).await);
    });
    let warned = logs.with_message("writer dropped without close(): delivering buffered points in the background");
    assert_eq!(warned.len(), 1, "{:?}", logs.events());
    assert_eq!((warned[0].level, warned[0].u64("points")), (tracing::Level::WARN, Some(7)));
}

#[test]
fn close_within_a_deadline_reports_what_it_cut_off() {
    let url = support::url();
    let db = support::create_db(&url, "closedeadline");
    let proxy = Proxy::start(&url);
    // The first batch is written; the second stalls in flight; the third waits behind it.
    proxy.script([Fault::Pass, Fault::Stall]);
    let logs = traced(30, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client
            .untyped_writer(opts().batch_size(5).max_in_flight(1).request_timeout(Some(Duration::from_secs(20))))
            .unwrap();
        for i in 0..5 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        w.flush().await.unwrap();
        for i in 5..15 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
        }
        assert!(wait_for(|| proxy.requests() == 2, Duration::from_secs(5)).await);
        let report = w.close_within(Duration::from_millis(300)).await.unwrap();
        let s = report.stats;
        assert_eq!((s.accepted, s.written, s.failed, s.buffered), (15, 5, 10, 0), "{report:?}");
        let lines: usize = report.failed.iter().map(|b| b.len()).sum();
        assert_eq!(lines, 10);
        for b in &report.failed {
            assert_eq!(b.error().kind(), ErrorKind::Timeout, "{:?}", b.error());
            assert!(b.error().to_string().contains("close deadline"), "{}", b.error());
        }
        assert_eq!(proxy.requests(), 2, "the batch behind the stalled one was never sent");
    });
    assert_eq!(logs.with_message("close deadline reached: reporting unsent points as failed").len(), 1);
    assert_eq!(count_sum(&url, &db, "m"), (5, 10));
}

#[test]
fn an_outage_longer_than_the_retry_window_never_blocks_the_producer() {
    let url = support::url();
    let db = support::create_db(&url, "outage");
    let proxy = Proxy::start(&url);
    proxy.set_default(Fault::Respond(503, "", "request throttled, queue full"));
    let capacity = 1_000;
    bounded(60, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client
            .untyped_writer(
                opts()
                    .batch_size(100)
                    .capacity(capacity)
                    .max_in_flight(4)
                    .retry_interval(Duration::from_millis(20))
                    .max_retry_time(Duration::from_millis(150)),
            )
            .unwrap();
        // Three times the capacity during the outage; nobody reads failures.
        for i in 0..3 * capacity {
            w.write_line(&format!("down v={i}i")).await.unwrap();
        }
        w.flush().await.unwrap();
        let s = w.stats();
        assert_eq!((s.written, s.buffered), (0, 0), "{s:?}");
        // Failures beyond max_kept_failures (= capacity) were discarded and counted.
        assert_eq!(s.failed + s.dropped, 3 * capacity as u64, "{s:?}");
        assert_eq!(s.failed, capacity as u64, "{s:?}");
        // Taken failures held by the caller hold no capacity either.
        let taken = w.take_failures();
        assert_eq!(taken.iter().map(|b| b.len()).sum::<usize>(), capacity);
        assert!(taken.iter().all(|b| b.error().kind() == ErrorKind::Throttled));
        proxy.set_default(Fault::Pass);
        for i in 0..2 * capacity {
            w.write_line(&format!("up v={i}i")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        drop(taken);
        let s = report.stats;
        assert!(report.failed.is_empty(), "{report:?}");
        assert_eq!(s.written, 2 * capacity as u64);
        assert_eq!(s.accepted, s.written + s.rejected + s.failed + s.dropped, "{s:?}");
    });
    assert_eq!(count_sum(&url, &db, "up"), (2_000, 1_999 * 2_000 / 2));
    assert_eq!(count_sum(&url, &db, "down"), (0, 0));
}

#[test]
fn timed_flushes_wait_the_interval_plus_a_jitter_within_bounds() {
    let url = support::url();
    let db = support::create_db(&url, "jitter");
    let (interval, jitter) = (Duration::from_millis(50), Duration::from_millis(100));
    let logs = traced(30, async {
        let client = Client::new(&url, &db).unwrap();
        let w = client.untyped_writer(opts().flush_interval(interval).jitter_interval(jitter)).unwrap();
        for i in 0..6u64 {
            w.write_line(&format!("m v={i}i")).await.unwrap();
            assert!(wait_for(|| w.stats().written == i + 1, Duration::from_secs(5)).await, "{:?}", w.stats());
        }
        let report = w.close().await.unwrap();
        assert_eq!((report.stats.written, report.stats.requests), (6, 6));
    });
    let seals = logs.with_message("batch sealed by age");
    assert_eq!(seals.len(), 6, "{:?}", logs.events());
    let (i, j) = (interval.as_micros() as u64, jitter.as_micros() as u64);
    let drawn: Vec<u64> = seals.iter().map(|e| e.u64("jitter_us").unwrap()).collect();
    for e in &seals {
        let (age, jit) = (e.u64("age_us").unwrap(), e.u64("jitter_us").unwrap());
        assert!(jit <= j, "jitter {jit} µs over {j} µs");
        assert!(age >= i + jit, "sealed at {age} µs, before interval + jitter ({} µs)", i + jit);
    }
    assert!(drawn.iter().any(|&d| d != drawn[0]), "the jitter never changed: {drawn:?}");
    assert_eq!(count_sum(&url, &db, "m"), (6, 15));
}

#[test]
fn every_accepted_point_is_written_rejected_failed_or_dropped() {
    let url = support::url();
    let db = support::create_db(&url, "outcomes");
    // `cpu.v` is a float: an integer `v` conflicts.
    support::http(&url, "POST", &format!("/write?db={db}"), None, "", b"cpu v=0.5 1");
    let proxy = Proxy::start(&url);
    let logs = traced(60, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client
            .untyped_writer(
                opts()
                    .batch_size(1_000)
                    .max_kept_failures(6)
                    .retry_interval(Duration::from_millis(20))
                    .max_retry_time(Duration::from_millis(100)),
            )
            .unwrap();
        proxy.set_default(Fault::Respond(503, "", "request throttled, queue full"));
        // 10 points fail; more than max_kept_failures, so they are dropped.
        for i in 0..10 {
            w.write_line(&format!("lost v={i}i")).await.unwrap();
        }
        w.flush().await.unwrap();
        // 4 points fail and are kept.
        for i in 0..4 {
            w.write_line(&format!("kept v={i}i")).await.unwrap();
        }
        w.flush().await.unwrap();
        proxy.set_default(Fault::Pass);
        // 2 of 4 points are refused by the server.
        for line in ["cpu v=2.0 2", "cpu v=3i 3", "cpu v=tru 4", "cpu v=5.0 5"] {
            w.write_line(line).await.unwrap();
        }
        w.flush().await.unwrap();
        for i in 0..100 {
            w.write_line(&format!("ok v={i}i")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        let s = report.stats;
        assert_eq!(
            (s.accepted, s.written, s.rejected, s.failed, s.dropped, s.buffered),
            (118, 102, 2, 4, 10, 0),
            "{report:?}"
        );
        assert_eq!(s.accepted, s.written + s.rejected + s.failed + s.dropped);
        // Each class is visible where the docs say: failed and rejected lines in the report...
        let lines = |kind: ErrorKind| -> usize {
            report.failed.iter().filter(|b| b.error().kind() == kind).map(|b| b.len()).sum()
        };
        assert_eq!(lines(ErrorKind::Throttled) as u64, s.failed);
        assert_eq!(lines(ErrorKind::PartialWrite) as u64, s.rejected);
    });
    // ...dropped ones in the log, at error level...
    let discarded =
        logs.with_message("more than max_kept_failures points of failures kept: a kept failure is discarded");
    assert_eq!(discarded.iter().map(|e| e.u64("points").unwrap()).sum::<u64>(), 10, "{:?}", logs.events());
    assert!(discarded.iter().all(|e| e.level == tracing::Level::ERROR));
    // ...and written ones in the database.
    assert_eq!(count_sum(&url, &db, "ok").0, 100);
    let out = support::admin_query(&url, &format!("SELECT count(v) FROM \"{db}\"..cpu"));
    assert!(out.contains(",3]"), "the seed point and 2 written: {out}");
    assert_eq!(count_sum(&url, &db, "lost").0 + count_sum(&url, &db, "kept").0, 0);
}

#[test]
fn untimed_points_are_stamped_by_the_client_on_every_write_path() {
    let url = support::url();
    let db = support::create_db(&url, "stamps");
    let points = |m: &str| -> Vec<influx::Point> {
        (0..1_000_i64).map(|i| influx::Point::new(m).tag("s", "one").field("v", i)).collect()
    };
    let expected = (1_000, 999 * 1_000 / 2);
    bounded(60, async {
        let client = Client::new(&url, &db).unwrap();
        client.write(&points("direct")).await.unwrap();
        let w = client.untyped_writer(WriterOptions::new()).unwrap();
        for p in points("batched") {
            w.write(&p).await.unwrap();
        }
        assert!(w.close().await.unwrap().is_complete());
        // Without client stamps the server gives the whole request one time:
        // 1,000 points of one series become one.
        let server_stamped = Client::builder(&url).database(&db).client_timestamps(false).build().unwrap();
        server_stamped.write(&points("server")).await.unwrap();
    });
    let blocking = influx::blocking::Client::new(&url, &db).unwrap();
    blocking.write(points("blocking")).unwrap();
    for m in ["direct", "batched", "blocking"] {
        assert_eq!(count_sum(&url, &db, m), expected, "{m}");
    }
    assert_eq!(count_sum(&url, &db, "server").0, 1);
}
#[test]
fn invalid_options_and_missing_runtime_are_clear_errors() {
    let client = Client::builder("http://127.0.0.1:9").build().unwrap();
    let err = client.untyped_writer(WriterOptions::new().database("d")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Runtime);
    let err = client.untyped_writer(WriterOptions::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Builder);
    assert!(err.to_string().contains("no database"), "{err}");
    let err = client.untyped_writer(WriterOptions::new().database("d").batch_size(0)).unwrap_err();
    assert_eq!(err.to_string(), "invalid write options: batch_size must be at least 1");
}

#[test]
fn gzip_bodies_are_written() {
    let url = support::url();
    let db = support::create_db(&url, "gzip");
    bounded(30, async {
        let client = Client::new(&url, &db).unwrap();
        let w = client.untyped_writer(opts().gzip(true).batch_size(50)).unwrap();
        for i in 0..120 {
            w.write_line(&format!("m,host=a\\ b v={i}i")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.stats.requests, 3);
    });
    assert_eq!(count_sum(&url, &db, "m"), (120, 119 * 120 / 2));
}

#[test]
fn points_beyond_the_retention_policy_are_rejected_not_retried() {
    let url = support::url();
    let db = support::create_db(&url, "beyondrp");
    support::admin_query(&url, &format!("CREATE RETENTION POLICY short ON \"{db}\" DURATION 1h REPLICATION 1 DEFAULT"));
    let proxy = Proxy::start(&url);
    bounded(30, async {
        let client = Client::new(&proxy.url, &db).unwrap();
        let w = client.untyped_writer(opts()).unwrap();
        w.write_line("m v=1i 1").await.unwrap(); // 1970: outside a 1 h policy
        w.write_line("m v=2i").await.unwrap(); // stamped now
        let report = w.close().await.unwrap();
        assert_eq!((report.stats.written, report.stats.rejected), (1, 1), "{report:?}");
        assert_eq!(report.failed.len(), 1);
        let err = report.failed[0].error();
        assert_eq!(err.kind(), ErrorKind::PartialWrite);
        assert!(err.server_message().unwrap().contains("retention policy"), "{err:?}");
        assert_eq!(proxy.requests(), 1);
    });
    assert_eq!(count_sum(&url, &db, "m"), (1, 2));
}
