//! Several servers behind one client (docs/cluster.md), on three throwaway
//! influxd each: the load-balanced writer through a node killed with SIGKILL
//! and restarted, the replicated writer through an outage longer than a
//! node's queue, reads failing over and coming back, a slow node that does
//! not hold the others back, and Enterprise's `consistency` parameter on the
//! wire; then how the failover meets the client's `RetryPolicy`, and the
//! writer's `Overflow::DropOldest` and `max_buffer_bytes` over replicated lanes.
use crate::support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use influx::client::{Request, RetryPolicy};
use influx::writer::{Overflow, WriterOptions};
use influx::{Balance, Client, ClientBuilder, Consistency, ErrorKind, Point, Query, WriteOptions};
use support::proxy::{Fault, Proxy};
use support::{bounded, count_sum, traced, Config, Server};

const DB: &str = "c";

/// Three dedicated servers, each with database `c`.
fn three() -> Vec<Arc<Server>> {
    (0..3)
        .map(|_| {
            let s = Server::start(Config::default());
            support::admin_query(&s.url, &format!("CREATE DATABASE {DB}"));
            Arc::new(s)
        })
        .collect()
}

fn patient() -> WriterOptions {
    WriterOptions::new()
        .retry_interval(Duration::from_millis(100))
        .max_retry_delay(Duration::from_millis(500))
        .max_retries(100_000)
        .max_retry_time(Duration::from_secs(150))
        .request_timeout(Some(Duration::from_secs(10)))
        // Batches are sealed by size only, so batch k holds v = k·size .. (k+1)·size.
        .flush_interval(Duration::from_secs(120))
}

/// Every `v -> time (ns)` of measurement `m` on `url`, read without the client under test.
fn points(url: &str) -> BTreeMap<i64, i64> {
    let q = support::form_encode(&format!("SELECT v FROM \"{DB}\"..m"));
    let (status, out) = support::http(url, "GET", &format!("/query?epoch=ns&q={q}"), None, "", b"");
    assert_eq!(status, 200, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut by_v = BTreeMap::new();
    if let Some(rows) = v["results"][0]["series"][0]["values"].as_array() {
        for row in rows {
            let (t, v) = (row[0].as_i64().unwrap(), row[1].as_i64().unwrap());
            assert!(by_v.insert(v, t).is_none(), "v={v} stored twice on {url}");
        }
    }
    by_v
}

async fn blocking<F: FnOnce() + Send + 'static>(f: F) {
    tokio::task::spawn_blocking(f).await.unwrap();
}

/// Polls `ready` every 50 ms for at most `secs` (a wait for a server, not a timing assert).
async fn wait_for(secs: u64, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ready() {
        assert!(Instant::now() < deadline, "waited {secs} s for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn balanced_writer_through_a_killed_and_restarted_node_stores_every_point_once() {
    const N: i64 = 300_000;
    const BATCH: i64 = 1_000;
    const IN_FLIGHT: usize = 2;
    let servers = three();
    let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
    let victim = Arc::clone(&servers[1]);
    let request_timeout = Duration::from_secs(10);
    let connect_timeout = Duration::from_secs(2);
    let (report, nodes, longest_wait) = {
        let mut out = None;
        bounded(300, async {
            let client = ClientBuilder::new()
                .urls(&urls)
                .database(DB)
                .connect_timeout(connect_timeout)
                .health_check(Duration::from_millis(100), Duration::from_millis(500))
                .build()
                .unwrap();
            let w = client
                .untyped_writer(
                    patient()
                        .batch_size(BATCH as usize)
                        .capacity(20_000)
                        .max_in_flight(IN_FLIGHT)
                        .request_timeout(Some(request_timeout)),
                )
                .unwrap();
            let back = Arc::new(tokio::sync::Notify::new());
            let producer = {
                let (w, back) = (w.clone(), Arc::clone(&back));
                tokio::spawn(async move {
                    let mut longest = Duration::ZERO;
                    let mut line = String::new();
                    for i in 0..N {
                        if i == 2 * N / 3 {
                            // The last third goes out once the node is back.
                            back.notified().await;
                        }
                        line.clear();
                        // No timestamp: the writer stamps each point (client timestamps).
                        std::fmt::Write::write_fmt(&mut line, format_args!("m,s=k v={i}i")).unwrap();
                        let t = Instant::now();
                        w.write_line(&line).await.unwrap();
                        longest = longest.max(t.elapsed());
                    }
                    longest
                })
            };
            wait_for(120, "60,000 points written", || w.stats().written >= 60_000).await;
            let v = Arc::clone(&victim);
            blocking(move || v.kill()).await;
            let at_kill = w.stats();
            assert!(at_kill.written < N as u64 / 2, "the node was killed too late: {at_kill:?}");
            wait_for(60, "the dead node to be marked down", || !client.nodes()[1].up).await;
            wait_for(120, "the stream to pass the dead node's share", || {
                w.stats().written >= 2 * N as u64 / 3 - 20_000
            })
            .await;
            let down = client.nodes()[1].clone();
            assert!(!down.up && down.marked_down >= 1, "{down:?}");
            let v = Arc::clone(&victim);
            blocking(move || v.restart()).await;
            wait_for(60, "the restarted node to be probed back up", || client.nodes()[1].up).await;
            let before = client.nodes()[1].requests;
            back.notify_one();
            let longest = producer.await.unwrap();
            let report = w.close().await.unwrap();
            let nodes = client.nodes();
            assert!(nodes[1].requests > before, "the node that came back got no request: {nodes:?}");
            out = Some((report, nodes, longest));
        });
        out.unwrap()
    };
    println!("longest write() wait {longest_wait:?}; nodes {nodes:#?}");
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.stats.written, N as u64);
    // Every failure was absorbed inside the request by another node: no batch
    // waited a retry delay, so no write waited on the dead node.
    assert_eq!(report.stats.retries, 0, "{:?}", report.stats);
    assert!(nodes[1].failures >= 1 && nodes[1].probes >= 1, "{:?}", nodes[1]);
    assert!(
        longest_wait < request_timeout + connect_timeout,
        "write() blocked {longest_wait:?}, past its configured bound"
    );

    // Across the nodes: every point exactly once, same time wherever stored,
    // except whole batches the dead node stored without answering (retried
    // on another node), at most one per request it had in flight.
    let stored: Vec<BTreeMap<i64, i64>> = urls.iter().map(|u| points(u)).collect();
    let mut union: BTreeMap<i64, (i64, Vec<usize>)> = BTreeMap::new();
    for (n, pts) in stored.iter().enumerate() {
        assert!(!pts.is_empty(), "node {n} got nothing: the load was not spread");
        for (&v, &t) in pts {
            let e = union.entry(v).or_insert((t, Vec::new()));
            assert_eq!(e.0, t, "v={v} stored with two different times");
            e.1.push(n);
        }
    }
    assert_eq!(union.len() as i64, N, "points missing across the nodes");
    assert_eq!(union.keys().sum::<i64>(), (N - 1) * N / 2, "checksum across the nodes");
    let twice: Vec<i64> = union.iter().filter(|(_, (_, at))| at.len() > 1).map(|(&v, _)| v).collect();
    let mut batches: BTreeMap<i64, i64> = BTreeMap::new();
    for &v in &twice {
        assert_eq!(union[&v].1.len(), 2, "v={v} on more than two nodes");
        assert!(union[&v].1.contains(&1), "v={v} twice but not on the killed node");
        *batches.entry(v / BATCH).or_default() += 1;
    }
    assert!(batches.values().all(|&n| n == BATCH), "duplicates are not whole batches: {batches:?}");
    assert!(batches.len() <= IN_FLIGHT, "more duplicate batches than requests in flight: {batches:?}");
    let total: usize = stored.iter().map(BTreeMap::len).sum();
    assert_eq!(total as i64, N + twice.len() as i64);
    println!(
        "per node {:?}, stored twice (in flight at the kill) {}",
        stored.iter().map(BTreeMap::len).collect::<Vec<_>>(),
        twice.len()
    );
}

#[test]
fn replicated_writer_through_an_outage_longer_than_the_queue_reports_exactly_what_the_dead_node_lost() {
    const N: i64 = 300_000;
    const QUEUE: usize = 50_000;
    let servers = three();
    let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
    let victim = Arc::clone(&servers[2]);
    let mut out = None;
    let logs = traced(300, async {
        let client = ClientBuilder::new().urls(&urls).database(DB).build().unwrap();
        let w = client
            .untyped_writer(patient().replicate(true).node_queue(QUEUE).batch_size(1_000).capacity(20_000))
            .unwrap();
        let back = Arc::new(tokio::sync::Notify::new());
        let producer = {
            let (w, back) = (w.clone(), Arc::clone(&back));
            tokio::spawn(async move {
                let mut line = String::new();
                for i in 0..N {
                    if i == 4 * N / 5 {
                        back.notified().await;
                    }
                    if i % 5_000 == 0 {
                        // Paced by the slower live node (on a loaded machine one
                        // influxd may lag the other by more than a queue): only
                        // the dead node may fall a queue behind.
                        let lagging = || w.nodes()[..2].iter().any(|n| n.stats.buffered > QUEUE as u64 / 2);
                        while lagging() {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                    line.clear();
                    std::fmt::Write::write_fmt(&mut line, format_args!("m,s=k v={i}i")).unwrap();
                    w.write_line(&line).await.unwrap();
                }
            })
        };
        wait_for(120, "30,000 points on node 2", || w.nodes()[2].stats.written >= 30_000).await;
        let v = Arc::clone(&victim);
        blocking(move || v.kill()).await;
        // Longer than its queue lasts: the producer goes on at the live nodes' pace.
        wait_for(120, "node 2's queue to overflow", || w.nodes()[2].stats.dropped > 0).await;
        wait_for(120, "the producer to reach the restart point", || w.stats().accepted >= 4 * N as u64 / 5).await;
        let live = w.nodes();
        assert!(live[0].stats.dropped == 0 && live[1].stats.dropped == 0, "{live:?}");
        let v = Arc::clone(&victim);
        blocking(move || v.restart()).await;
        // Everything its queue kept reaches it before the stream goes on.
        wait_for(120, "node 2 to catch up", || w.nodes()[2].stats.buffered == 0).await;
        let caught_up = w.nodes()[2].stats;
        assert_eq!(caught_up.written + caught_up.dropped, caught_up.accepted, "{caught_up:?}");
        back.notify_one();
        producer.await.unwrap();
        out = Some(w.close().await.unwrap());
    });
    let report = out.unwrap();
    println!("{:#?}", report.nodes);
    let n = N as u64;
    // The live nodes: every point, nothing dropped, nothing failed.
    for (node, url) in report.nodes.iter().zip(&urls).take(2) {
        let s = &node.stats;
        assert_eq!((s.accepted, s.written, s.dropped, s.failed, s.buffered), (n, n, 0, 0, 0), "{url}");
        assert_eq!(count_sum(url, DB, "m"), (N, (N - 1) * N / 2), "{url}");
    }
    // The dead node: what it holds is exactly its report's `written`; what it
    // lacks is exactly its `dropped`, as logged batch by batch.
    let dead = report.nodes[2].stats;
    assert!(dead.dropped > 0 && dead.retries > 0, "{dead:?}");
    assert_eq!((dead.accepted, dead.failed, dead.buffered), (n, 0, 0), "{dead:?}");
    assert_eq!(dead.written + dead.dropped, n, "{dead:?}");
    let on_dead = points(&urls[2]);
    assert_eq!(on_dead.len() as u64, dead.written, "stored on node 2 vs its report");
    let logged: u64 = logs
        .with_message("node queue full: its oldest batch is dropped for this node")
        .iter()
        .map(|e| {
            assert_eq!(e.fields["node"], urls[2], "a drop logged for a live node");
            e.u64("points").unwrap()
        })
        .sum();
    assert_eq!(logged, dead.dropped, "drops logged vs reported");
    // What its queue kept while it was down arrived after the restart: the
    // missing points are one run (the oldest ones queued during the outage),
    // and every point after them is there.
    let missing: Vec<i64> = (0..N).filter(|v| !on_dead.contains_key(v)).collect();
    assert_eq!(missing.len() as u64, dead.dropped);
    let (first, last) = (missing[0], *missing.last().unwrap());
    assert_eq!(last - first + 1, missing.len() as i64, "the lost points are not one run of the oldest queued");
    assert!(
        on_dead.range(last + 1..).count() as u64 >= QUEUE as u64,
        "the queue's points did not arrive after the restart"
    );
    // Counted once, at its best node: every point written somewhere.
    assert_eq!(report.stats.written, n, "{:?}", report.stats);
    assert_eq!(report.failed.len(), 0);
    assert!(!report.is_complete(), "node 2 lost points: the report must not say complete");
}

#[test]
fn reads_fail_over_within_the_timeout_and_a_node_that_comes_back_is_used_again() {
    let servers = three();
    for s in &servers {
        let body: String = (0..100).map(|i| format!("m v={i}i {i}\n")).collect();
        let (status, _) =
            support::http(&s.url, "POST", &format!("/write?db={DB}&precision=s"), None, "", body.as_bytes());
        assert_eq!(status, 204);
    }
    let stall = Proxy::start(&servers[2].url);
    let urls = vec![servers[0].url.clone(), servers[1].url.clone(), stall.url.clone()];
    let victim = Arc::clone(&servers[1]);
    let timeout = Duration::from_secs(2);
    bounded(120, async {
        let client = ClientBuilder::new()
            .urls(&urls)
            .database(DB)
            .timeout(timeout)
            .health_check(Duration::from_millis(100), Duration::from_millis(300))
            .build()
            .unwrap();
        let read = || async {
            let rows: Vec<(i64, i64)> = client.query_as("SELECT v FROM m").await.unwrap();
            assert_eq!(rows.len(), 100);
            let whole = client.query(Query::new("SELECT count(v) FROM m").chunked(false)).await.unwrap();
            assert_eq!(whole.results[0].series[0].values[0][1], serde_json::json!(100));
        };
        for _ in 0..3 {
            read().await;
        }
        assert!(client.nodes().iter().all(|n| n.requests > 0), "{:?}", client.nodes());

        // A dead node (connection refused) and a stalled one (answers nothing):
        // every read still succeeds, from a live node.
        let v = Arc::clone(&victim);
        blocking(move || v.kill()).await;
        stall.set_default(Fault::Stall);
        for _ in 0..6 {
            read().await;
        }
        let nodes = client.nodes();
        assert!(!nodes[1].up && !nodes[2].up && nodes[0].up, "{nodes:?}");
        // Refused, or reset on a connection kept from before the kill.
        assert!(nodes[1].failures >= 1 && nodes[1].last_error.is_some(), "{:?}", nodes[1]);
        // The stalled node was given up on at the configured timeout, not later.
        let stalled = nodes[2].last_error.as_deref().unwrap();
        assert!(stalled.contains("timed out") || stalled.contains(&format!("{timeout:?}")), "{stalled}");
        assert!(nodes[1].failovers + nodes[2].failovers >= 1, "{nodes:?}");

        // A statement that changes the server is never sent to a second node
        // once one may have run it: the stalled node got it, it times out.
        let one_way = ClientBuilder::new().urls([&stall.url, &servers[0].url]).timeout(timeout).build().unwrap();
        let e = one_way.query("CREATE DATABASE never_twice").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
        assert!(!support::admin_query(&servers[0].url, "SHOW DATABASES").contains("never_twice"));
        // Refused connections send it on: nothing was sent.
        let dead_first = ClientBuilder::new().urls([&servers[1].url, &servers[0].url]).build().unwrap();
        dead_first.query("CREATE DATABASE sent_on").await.unwrap();
        assert!(support::admin_query(&servers[0].url, "SHOW DATABASES").contains("sent_on"));

        // Both come back: the health probes see it, and reads go to them again.
        let v = Arc::clone(&victim);
        blocking(move || v.restart()).await;
        stall.set_default(Fault::Pass);
        wait_for(30, "both nodes to be probed back up", || client.nodes().iter().all(|n| n.up)).await;
        let before: Vec<u64> = client.nodes().iter().map(|n| n.requests).collect();
        for _ in 0..6 {
            read().await;
        }
        let after = client.nodes();
        for (node, before) in after.iter().zip(before) {
            assert!(node.requests > before, "{} not used again: {after:?}", node.url);
        }
    });
}

#[test]
fn a_slow_node_does_not_slow_the_replicated_writers_other_nodes() {
    const N: i64 = 20_000;
    let servers = three();
    let slow = Proxy::start(&servers[2].url);
    slow.set_default(Fault::Delay(Duration::from_millis(500)));
    let urls = vec![servers[0].url.clone(), servers[1].url.clone(), slow.url.clone()];
    bounded(180, async {
        let client = ClientBuilder::new().urls(&urls).database(DB).balance(Balance::LeastInFlight).build().unwrap();
        let w = client
            .untyped_writer(patient().replicate(true).batch_size(500).capacity(5_000).node_queue(N as usize))
            .unwrap();
        for i in 0..N {
            w.write_line(&format!("m,s=k v={i}i")).await.unwrap();
        }
        // The producer is through while the slow node still has most to do:
        // capacity came back as soon as the fast nodes had each batch.
        wait_for(120, "the fast nodes to have everything", || {
            let n = w.nodes();
            n[0].stats.written == N as u64 && n[1].stats.written == N as u64
        })
        .await;
        let nodes = w.nodes();
        assert!(nodes[2].stats.written < N as u64 / 2, "the slow node kept up: {nodes:?}");
        assert!(nodes[2].stats.buffered > 0 && nodes[2].stats.dropped == 0, "{nodes:?}");
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
    });
    for s in &servers {
        assert_eq!(count_sum(&s.url, DB, "m"), (N, (N - 1) * N / 2), "{}", s.url);
    }
    assert!(slow.requests() >= (N / 500) as usize);
}

#[test]
fn consistency_is_sent_as_given_and_enterprise_failures_are_retried() {
    let server = Server::start(Config::default());
    support::admin_query(&server.url, &format!("CREATE DATABASE {DB}"));
    // influxd 1.x reads the parameter: an unknown level is refused.
    let (status, body) =
        support::http(&server.url, "POST", &format!("/write?db={DB}&consistency=most"), None, "", b"m v=1i 1");
    assert_eq!(status, 400, "{body}");
    let proxy = Proxy::start(&server.url);
    bounded(60, async {
        let client = Client::new(&proxy.url, DB).unwrap();
        let levels = [Consistency::Any, Consistency::One, Consistency::Quorum, Consistency::All];
        for (i, c) in levels.into_iter().enumerate() {
            client.write_lp(format!("m v={i}i {i}"), &WriteOptions::new().consistency(c)).await.unwrap();
        }
        client.write_lp("m v=4i 4", &WriteOptions::new()).await.unwrap();
        let lines = proxy.request_lines();
        for (i, name) in ["any", "one", "quorum", "all"].iter().enumerate() {
            assert!(lines[i].contains(&format!("consistency={name}")), "{}", lines[i]);
        }
        assert!(!lines[4].contains("consistency"), "{}", lines[4]);

        // The writer sends it on every batch; Enterprise's consistency failures
        // (5xx, even one saying `partial write`) are retried, not taken as a 400 partial write.
        proxy.script([
            Fault::Respond(500, "", r#"{"error":"write failed: hinted handoff queue not empty"}"#),
            Fault::Respond(500, "", r#"{"error":"partial write"}"#),
            Fault::Respond(500, "", r#"{"error":"timeout"}"#),
        ]);
        let w = client
            .untyped_writer(
                patient().consistency(Consistency::Quorum).batch_size(10).retry_interval(Duration::from_millis(10)),
            )
            .unwrap();
        for i in 100..110 {
            w.write_line(&format!("m v={i}i {i}")).await.unwrap();
        }
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.stats.retries, 3);
        let lines = proxy.request_lines();
        assert_eq!(lines.len(), 9);
        assert!(lines[5..].iter().all(|l| l.contains("consistency=quorum")), "{lines:?}");

        // 2.x has no such parameter: refused before sending.
        let v2 = influx::v2::Client::builder(&proxy.url).org("o").bucket("b").token("t").build().unwrap();
        let e = v2.write_lp("m v=1i", &WriteOptions::new().consistency(Consistency::All)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Builder);
        assert!(v2.writer::<influx::Point>(WriterOptions::new().consistency(Consistency::All)).is_err());
        assert_eq!(proxy.requests(), 9);
    });
    assert_eq!(count_sum(&server.url, DB, "m").0, 15);
}

#[test]
fn retry_policy_goes_over_the_nodes_again_and_only_for_what_may_be_sent_twice() {
    let url = support::url();
    let db = support::create_db(&url, "retry_nodes");
    let (a, b) = (Proxy::start(&url), Proxy::start(&url));
    let busy = Fault::Respond(503, "", "busy");
    let sent = || a.requests() + b.requests();
    bounded(60, async {
        let c = ClientBuilder::new()
            .urls([&a.url, &b.url])
            .database(&db)
            .retry_policy(RetryPolicy::attempts(2).interval(Duration::from_millis(10)))
            // No probe during the test: every request counted is the client's.
            .health_check(Duration::from_secs(60), Duration::from_secs(60))
            .build()
            .unwrap();
        a.set_default(busy.clone());
        b.set_default(busy.clone());
        // A write with client timestamps: each attempt goes over both nodes.
        let e = c.write(&[Point::new("m").field("v", 1_i64)]).await.unwrap_err();
        assert_eq!((e.kind(), e.attempts(), sent()), (ErrorKind::Throttled, Some(2), 4), "{e}");
        // A read: the same.
        let e = c.query_as::<(i64, i64)>("SELECT v FROM m").await.unwrap_err();
        assert_eq!((e.attempts(), sent()), (Some(2), 8), "{e}");
        // An untimed raw body and a statement that changes the server: one node, once.
        assert_eq!(c.write_lp("m v=2", &WriteOptions::new()).await.unwrap_err().kind(), ErrorKind::Throttled);
        assert_eq!(c.query("CREATE DATABASE never").await.unwrap_err().kind(), ErrorKind::Throttled);
        assert_eq!(sent(), 10);
        // A raw GET goes on to the node that answers.
        a.set_default(Fault::Pass);
        for _ in 0..2 {
            assert_eq!(c.request(Request::get("/ping")).await.unwrap().status(), 204);
        }
        assert!(c.nodes()[0].up, "{:?}", c.nodes());
        // Both ways of sending `consistency` at once: refused before sending.
        let both = WriteOptions::new().consistency(Consistency::All).param("consistency", "one");
        assert_eq!(c.write_lp("m v=3 3", &both).await.unwrap_err().kind(), ErrorKind::Argument);
        let sent_before = sent();
        c.write_lp("m v=4 4", &WriteOptions::new().param("consistency", "one")).await.unwrap();
        let last = if a.requests() > 0 { a.request_lines() } else { b.request_lines() };
        assert!(sent() > sent_before && last.last().unwrap().contains("consistency=one"), "{last:?}");
    });
    assert_eq!(count_sum(&url, &db, "m"), (1, 4), "only the last write reached the server");
}

#[test]
fn replicated_writer_drops_the_oldest_queued_batches_of_stalled_nodes_and_never_waits() {
    const N: u32 = 1_000;
    let servers: Vec<Server> = (0..2)
        .map(|_| {
            let s = Server::start(Config::default());
            support::admin_query(&s.url, &format!("CREATE DATABASE {DB}"));
            s
        })
        .collect();
    let proxies: Vec<Proxy> = servers.iter().map(|s| Proxy::start(&s.url)).collect();
    // Lines of 19 bytes: a batch of 10 holds 199.
    let line = |i: u32| format!("m v={i:06}i {:07}", 1_000_000 + i);
    let mut out = None;
    let logs = traced(120, async {
        for p in &proxies {
            p.set_default(Fault::Stall);
        }
        let client = ClientBuilder::new().urls(proxies.iter().map(|p| p.url.clone())).database(DB).build().unwrap();
        let opts = WriterOptions::new()
            .replicate(true)
            .batch_size(10)
            .max_in_flight(1)
            .capacity(100_000)
            // The byte limit fills first: about five batches.
            .max_buffer_bytes(1_000)
            .overflow(Overflow::DropOldest)
            .request_timeout(Duration::from_millis(300))
            .retry_interval(Duration::from_millis(50))
            .max_retries(1_000)
            .max_close_wait(Duration::from_secs(60));
        let w = client.untyped_writer(opts).unwrap();
        for i in 0..N {
            // Never waits: the oldest queued batches make room.
            w.try_write_line(&line(i)).unwrap();
            // Lets the writer hand sealed batches to the lanes.
            tokio::task::yield_now().await;
        }
        let stats = w.stats();
        assert!(stats.dropped >= 800, "{stats:?}");
        for p in &proxies {
            p.set_default(Fault::Pass);
        }
        out = Some(w.close().await.unwrap());
    });
    let report = out.unwrap();
    let n = u64::from(N);
    let mut union = std::collections::BTreeSet::new();
    for (i, node) in report.nodes.iter().enumerate() {
        let s = node.stats;
        assert_eq!((s.accepted, s.failed, s.rejected, s.buffered), (n, 0, 0, 0), "{s:?}");
        assert_eq!(s.written + s.dropped, n, "{s:?}");
        let stored = points(&servers[i].url);
        assert_eq!(stored.len() as u64, s.written, "stored on node {i} vs its report");
        // Dropped where they waited in the lane's queue, logged for each node.
        let logged: u64 = logs
            .with_message("writer full (Overflow::DropOldest): the oldest unsent batch is dropped for this node")
            .iter()
            .filter(|e| e.fields["node"] == proxies[i].url)
            .map(|e| e.u64("points").unwrap())
            .sum();
        assert!(logged > 0 && logged <= s.dropped, "node {i}: {logged} logged, {s:?}");
        assert!(stored.contains_key(&i64::from(N - 1)), "node {i} lacks the newest point");
        union.extend(stored.into_keys());
    }
    // Each point counted once by the writer: written where some node has it.
    let s = report.stats;
    assert_eq!((s.accepted, s.written + s.dropped), (n, n), "{s:?}");
    assert_eq!(union.len() as u64, s.written, "{s:?}");
    assert!(!report.is_complete());
}
