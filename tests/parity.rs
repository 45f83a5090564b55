//! Seed parity (issue 13 §3) against real influxd instances: precision in minutes and hours,
//! per-call tags and measurement, points from serde values and timestamps from text, the
//! client retry policy, ping's headers, extra parameters and `request()`, and the writer's
//! `max_close_wait`, presets, byte capacity, drop-oldest mode and typed failures.
use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;

use influx::client::{Request, RetryPolicy};
use influx::writer::{Overflow, WriteMode, WriterOptions};
use influx::{Client, ErrorKind, Point, Precision, Query, WriteOptions};
use support::proxy::{Fault, Proxy};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn client(name: &str) -> (Client, String) {
    let url = support::url();
    let db = support::create_db(&url, name);
    (Client::new(&url, &db).unwrap(), db)
}

#[test]
fn precision_in_minutes_and_hours_on_writes_and_queries() {
    let (c, _) = client("precision_mh");
    rt().block_on(async {
        // 3 min + 1 ns truncates to minute 3; -1 ns to minute -1 (toward negative infinity).
        let points = [
            Point::new("m").tag("p", "min").field("v", 1_i64).timestamp(180_000_000_001_i64),
            Point::new("m").tag("p", "min").field("v", 2_i64).timestamp(-1_i64),
        ];
        c.write_with(&points, &WriteOptions::new().precision(Precision::Minutes)).await.unwrap();
        let hour = [Point::new("m").tag("p", "h").field("v", 3_i64).timestamp(7_199_999_999_999_i64)];
        c.write_with(&hour, &WriteOptions::new().precision(Precision::Hours)).await.unwrap();
        c.write_lp("m,p=raw v=4i 2", &WriteOptions::new().precision(Precision::Hours)).await.unwrap();

        let ns: Vec<(i64, i64)> = c.query_as("SELECT v FROM m").await.unwrap();
        assert_eq!(ns, [(-60_000_000_000, 2), (180_000_000_000, 1), (3_600_000_000_000, 3), (7_200_000_000_000, 4)]);
        // epoch=m: an i64 column is the server's integer, a DateTime the instant it means.
        let m: Vec<(i64, i64)> = c.query_as(Query::new("SELECT v FROM m").epoch(Precision::Minutes)).await.unwrap();
        assert_eq!(m, [(-1, 2), (3, 1), (60, 3), (120, 4)]);
        let m: Vec<(chrono::DateTime<chrono::Utc>, i64)> =
            c.query_as(Query::new("SELECT v FROM m").epoch(Precision::Minutes)).await.unwrap();
        let m: Vec<(i64, i64)> = m.iter().map(|(t, v)| (t.timestamp_nanos_opt().unwrap(), *v)).collect();
        assert_eq!(m, ns);
        let raw = c.query(Query::new("SELECT v FROM m").epoch(Precision::Hours)).await.unwrap();
        let hours: Vec<i64> = raw.iter_points().map(|p| p.get("time").unwrap().as_i64().unwrap()).collect();
        assert_eq!(hours, [0, 0, 1, 2], "the server truncates -1 min and 3 min toward zero");
        let t: Vec<(chrono::DateTime<chrono::Utc>, i64)> =
            c.query_as(Query::new("SELECT v FROM m WHERE p = 'h'").epoch(Precision::Hours)).await.unwrap();
        assert_eq!(t[0].0.timestamp(), 3600);
    });
    // 2.x has no minute or hour precision: refused before sending.
    let v2 = influx::v2::Client::new("http://127.0.0.1:1", "o", "t").unwrap().with_bucket("b");
    let e = rt().block_on(v2.write_lp("m v=1 1", &WriteOptions::new().precision(Precision::Hours))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Builder);
    assert_eq!("m".parse::<Precision>().unwrap(), Precision::Minutes);
}

#[test]
fn extra_tags_and_measurement_per_write() {
    let url = support::url();
    let db = support::create_db(&url, "extra_tags");
    let c = Client::builder(&url).database(&db).default_tag("dc", "fra").build().unwrap();
    rt().block_on(async {
        let points = [
            Point::new("cpu").tag("host", "a").field("v", 1_i64).timestamp(1_i64),
            Point::new("cpu").tag("host", "b").tag("rack", "own").field("v", 2_i64).timestamp(2_i64),
        ];
        // influxdb-python's write_points(points, tags={"rack": "r1", "dc": "ams"}).
        let opts = WriteOptions::new().tag("rack", "r1").tag("dc", "ams");
        c.write_with(&points, &opts).await.unwrap();
        // aioinflux's write(data, measurement="cpu_copy"), plus extra tags, on the blocking client.
        let b = influx::blocking::Client::new(&url, &db).unwrap();
        b.write_with(&points, &WriteOptions::new().measurement("cpu copy").tag("src", "backfill")).unwrap();

        let rows: Vec<(i64, String, String, String, i64)> =
            c.query_as("SELECT dc, host, rack, v FROM cpu").await.unwrap();
        assert_eq!(
            rows,
            [(1, "ams".into(), "a".into(), "r1".into(), 1), (2, "ams".into(), "b".into(), "own".into(), 2)],
            "the call's tags replace the client's default, the point's own tag wins"
        );
        let copy: Vec<(i64, String, String, i64)> = c.query_as("SELECT host, src, v FROM \"cpu copy\"").await.unwrap();
        assert_eq!(copy, [(1, "a".into(), "backfill".into(), 1), (2, "b".into(), "backfill".into(), 2)]);

        let e = c.write_lp("m v=1", &WriteOptions::new().tag("a", "b")).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Argument);
        let e = c.write_with(&points, &WriteOptions::new().tag("time", "x")).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Encode);
        let e = c.write_with(&points, &WriteOptions::new().measurement("#m")).await.unwrap_err();
        assert!(e.to_string().contains("WriteOptions::measurement"), "{e}");
    });
}

#[test]
fn points_from_serde_values_and_timestamps_from_text_are_exact() {
    let (c, _) = client("from_serde");
    #[derive(serde::Serialize)]
    struct Reading<'a> {
        measurement: &'a str,
        tags: std::collections::BTreeMap<&'a str, &'a str>,
        fields: std::collections::BTreeMap<&'a str, serde_json::Value>,
        time: &'a str,
    }
    // Encoding is exact: the shortest text of each serialized float, integers as integers.
    let tricky: f64 = 0.1 + 0.2;
    let r = Reading {
        measurement: "sensor",
        tags: [("room", "lab 1")].into(),
        fields: [("t", 23.5.into()), ("n", (i64::MIN + 1).into()), ("s", "a\"b".into()), ("ok", true.into())].into(),
        time: "2023-01-01T13:00:00.000000001+01:00",
    };
    let line = Point::from_serde(
        &serde_json::json!({"measurement": "m", "fields": {"t": tricky, "u": u64::MAX}}),
        Precision::Nanoseconds,
    )
    .unwrap()
    .to_line_protocol_with(&influx::EncodeOptions { unsigned_suffix: true, ..Default::default() })
    .unwrap();
    assert_eq!(line, "m t=0.30000000000000004,u=18446744073709551615u");
    assert_eq!(line[4..23].parse::<f64>().unwrap().to_bits(), tricky.to_bits());

    let points = vec![
        Point::from_serde(&r, Precision::Nanoseconds).unwrap(),
        Point::from_serde(
            &serde_json::json!({"measurement": "sensor", "tags": {"room": "lab 2"}, "fields": {"t": 0.25}, "time": 1_672_574_400}),
            Precision::Seconds,
        )
        .unwrap(),
        Point::new("sensor").tag("room", "lab 3").field("t", 2.5).timestamp_in(1_672_574_400_000, Precision::Milliseconds),
        Point::new("sensor").tag("room", "lab 4").field("t", 1.5).timestamp_rfc3339("2023-01-01T12:00:00Z"),
    ];
    rt().block_on(c.write(&points)).unwrap();
    let rows: Vec<(i64, String, f64)> = rt().block_on(c.query_as("SELECT room, t FROM sensor")).unwrap();
    let noon = 1_672_574_400_000_000_000_i64;
    assert_eq!(
        rows,
        [
            (noon, "lab 2".to_owned(), 0.25),
            (noon, "lab 3".to_owned(), 2.5),
            (noon, "lab 4".to_owned(), 1.5),
            (noon + 1, "lab 1".to_owned(), 23.5),
        ]
    );
    let others: Vec<(i64, i64, String, bool)> =
        rt().block_on(c.query_as("SELECT n, s, ok FROM sensor WHERE room = 'lab 1'")).unwrap();
    assert_eq!(others, [(noon + 1, i64::MIN + 1, "a\"b".into(), true)]);

    // A naive time is never guessed; the error names it.
    let naive = Point::new("m").field("v", 1_i64).timestamp_rfc3339("2023-01-01 12:00:00");
    let e = rt().block_on(c.write([&naive])).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Encode);
    assert!(e.to_string().contains("`2023-01-01 12:00:00` is not RFC 3339"), "{e}");
    for bad in [
        serde_json::json!({"measurement": "m", "tags": {"k": 1}, "fields": {"v": 1}}),
        serde_json::json!({"measurement": "m", "fields": {"v": {"x": 1}}}),
        serde_json::json!({"measurement": "m", "fields": {"v": 1}, "time": 1.5}),
        serde_json::json!({"measurement": "m", "fields": {"v": 1}, "extra": 1}),
        serde_json::json!({"fields": {"v": 1}}),
    ] {
        let e = Point::from_serde(&bad, Precision::Nanoseconds).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Encode, "{bad}");
    }
}

#[test]
fn retry_policy_retries_reads_and_timed_writes_only() {
    let url = support::url();
    let db = support::create_db(&url, "retry_policy");
    let proxy = Proxy::start(&url);
    let policy = RetryPolicy::attempts(3).interval(Duration::from_millis(10));
    let c = Client::builder(&proxy.url).database(&db).retry_policy(policy).build().unwrap();
    let busy = Fault::Respond(503, "", "busy");
    rt().block_on(async {
        // A timed write: retried through a 503 and a reset, stored once.
        proxy.script([busy.clone(), Fault::Reset]);
        c.write(&[Point::new("m").field("v", 1_i64)]).await.unwrap();
        assert_eq!(proxy.requests(), 3);
        // A read: retried.
        proxy.script([busy.clone()]);
        let rows: Vec<(i64, i64)> = c.query_as("SELECT v FROM m").await.unwrap();
        assert_eq!((rows.len(), proxy.requests()), (1, 5));
        // Three failures in a row: the last error, with the attempts.
        proxy.script([busy.clone(), busy.clone(), busy.clone()]);
        let e = c.query_as::<(i64, i64)>("SELECT v FROM m").await.unwrap_err();
        assert_eq!((e.kind(), e.attempts(), e.status()), (ErrorKind::Throttled, Some(3), Some(503)));
        assert_eq!(proxy.requests(), 8);
        // An untimed raw body (the server would stamp it twice) and a statement sent by POST: once.
        proxy.script([busy.clone()]);
        assert_eq!(c.write_lp("m v=2", &WriteOptions::new()).await.unwrap_err().kind(), ErrorKind::Throttled);
        proxy.script([busy.clone()]);
        assert_eq!(c.query("CREATE DATABASE x").await.unwrap_err().kind(), ErrorKind::Throttled);
        assert_eq!(proxy.requests(), 10);
        // A 400 is final.
        let e = c.write_lp("m v=oops 1", &WriteOptions::new()).await.unwrap_err();
        assert_eq!((e.kind(), proxy.requests()), (ErrorKind::BadRequest, 11));
        // Without a policy: one attempt.
        let once = Client::builder(&proxy.url).database(&db).build().unwrap();
        proxy.script([busy.clone()]);
        assert!(once.write(&[Point::new("m").field("v", 3_i64)]).await.is_err());
        assert_eq!(proxy.requests(), 12);
        let count: Vec<(i64, i64)> = c.query_as("SELECT count(v) FROM m").await.unwrap();
        assert_eq!(count[0].1, 1, "only the first write was stored");
    });
}

#[test]
fn ping_returns_version_build_and_headers() {
    let url = support::url();
    let c = Client::new(&url, "x").unwrap();
    let pong = rt().block_on(c.ping()).unwrap();
    assert!(pong.version().starts_with("1.6"), "{pong:?}");
    assert_eq!(pong.build(), Some("OSS"));
    assert!(pong.header("Request-Id").is_some_and(|v| !v.is_empty()), "{pong:?}");
    assert_eq!(pong.header("x-influxdb-version"), Some(pong.version()));
    assert_eq!(pong.to_string(), pong.version());
    let b = influx::blocking::Client::new(&url, "x").unwrap();
    assert_eq!(b.ping().unwrap().version(), pong.version());
}

/// A loopback server that records the request head of each connection and answers `answer`.
fn recorder(answer: &'static str) -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { return };
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut len = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
                head.push_str(&line);
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            head.push_str(&String::from_utf8_lossy(&body));
            let _ = tx.send(head);
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (url, rx)
}

#[test]
fn extra_parameters_reach_the_server_and_reserved_ones_are_refused() {
    let ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 32\r\nConnection: close\r\n\r\n{\"results\":[{\"statement_id\":0}]}";
    let (url, heads) = recorder(ok);
    let c = Client::new(&url, "db").unwrap();
    rt().block_on(c.query(Query::new("SHOW DATABASES").param("node_id", "7"))).unwrap();
    let head = heads.recv().unwrap();
    assert!(head.starts_with("GET /query?") && head.contains("&node_id=7"), "{head}");
    let (url, heads) = recorder("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    let c = Client::new(&url, "db").unwrap();
    rt().block_on(c.write_lp("m v=1 1", &WriteOptions::new().param("consistency", "all"))).unwrap();
    assert!(heads.recv().unwrap().starts_with("POST /write?db=db&precision=ns&consistency=all "));

    // `pretty` spreads each chunk over many lines: the client reads one JSON document per line.
    for q in [
        Query::new("SHOW USERS").param("u", "root"),
        Query::new("SHOW USERS").param("db", "other"),
        Query::new("SHOW USERS").param("pretty", "true"),
    ] {
        assert_eq!(rt().block_on(c.query(q)).unwrap_err().kind(), ErrorKind::Argument);
    }
    let e = rt().block_on(c.write_lp("m v=1 1", &WriteOptions::new().param("p", "secret"))).unwrap_err();
    assert!(e.to_string().contains("credentials in the URL") && !e.to_string().contains("secret"), "{e}");

    // The real server takes a parameter it does not know.
    let (real, _) = client("extra_params");
    let rows: Vec<(String,)> =
        rt().block_on(real.query_as(Query::new("SHOW DATABASES").param("node_id", "7"))).unwrap();
    assert!(!rows.is_empty());
}

#[test]
fn raw_requests_reach_any_endpoint_with_the_clients_settings() {
    let server = support::Server::start(support::Config { auth: true, ..Default::default() });
    support::admin_query(&server.url, "CREATE USER admin WITH PASSWORD 'pw-Secret-1' WITH ALL PRIVILEGES");
    let c = Client::builder(&server.url).credentials("admin", "pw-Secret-1").build().unwrap();
    rt().block_on(async {
        let vars = c.request(Request::get("/debug/vars")).await.unwrap();
        assert_eq!(vars.status(), 200);
        let json: serde_json::Value = vars.json().unwrap();
        assert!(json.get("memstats").is_some());
        let answer = c.request(Request::post("/query").param("q", "SHOW USERS")).await.unwrap();
        assert!(answer.text().unwrap().contains("\"admin\""), "{:?}", answer.text());
        let write = Request::post("/write").param("db", "nope").body("m v=1");
        let e = c.request(write).await.unwrap_err();
        assert_eq!((e.kind(), e.status()), (ErrorKind::DatabaseNotFound, Some(404)));
        let anon = Client::builder(&server.url).build().unwrap();
        let e = anon.request(Request::post("/query").param("q", "SHOW USERS")).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        assert!(!format!("{e} {e:?}").contains("pw-Secret-1"));
        let e = c.request(Request::get("/query?q=x")).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Argument);
        let e = c.request(Request::get("/query").param("p", "x")).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Argument);
    });
    let b = influx::blocking::Client::from_builder(Client::builder(&server.url).credentials("admin", "pw-Secret-1"));
    assert_eq!(b.unwrap().request(Request::get("/ping")).unwrap().status(), 204);
}

#[test]
fn writer_presets_and_typed_failures() {
    let url = support::url();
    let db = support::create_db(&url, "writer_presets");
    let proxy = Proxy::start(&url);
    let c = Client::new(&proxy.url, &db).unwrap();
    rt().block_on(async {
        let sync = c.untyped_writer(WriterOptions::SYNCHRONOUS).unwrap();
        sync.write_line("m v=1i 1").await.unwrap();
        let rows: Vec<(i64, i64)> = c.query_as("SELECT v FROM m").await.unwrap();
        assert_eq!(rows, [(1, 1)], "stored when write returned");
        assert!(sync.close().await.unwrap().is_complete());

        // Retries spent: the attempts and the last status, typed.
        proxy.set_default(Fault::Respond(503, "", "busy"));
        let opts = WriterOptions::ASYNCHRONOUS.batch_size(2).max_retries(2).retry_interval(Duration::from_millis(5));
        let w = c.untyped_writer(opts).unwrap();
        w.write_line("m v=2i 2").await.unwrap();
        w.write_line("m v=3i 3").await.unwrap();
        let failed = w.next_failure().await.unwrap();
        assert_eq!((failed.attempts(), failed.last_status(), failed.len()), (Some(3), Some(503), 2));
        assert_eq!(failed.error().kind(), ErrorKind::Throttled);
        w.close().await.unwrap();
        // A permanent answer: one attempt.
        proxy.set_default(Fault::Pass);
        let gone = c.with_database("writer_presets_missing_db");
        let w = gone.untyped_writer(WriterOptions::new().batch_size(1)).unwrap();
        w.write_line("m v=1i 1").await.unwrap();
        let failed = w.next_failure().await.unwrap();
        assert_eq!((failed.attempts(), failed.last_status()), (Some(1), Some(404)));
        w.close().await.unwrap();
    });
}

#[test]
fn writer_close_waits_at_most_max_close_wait() {
    let url = support::url();
    let db = support::create_db(&url, "max_close_wait");
    let proxy = Proxy::start(&url);
    proxy.set_default(Fault::Stall);
    let c = Client::new(&proxy.url, &db).unwrap();
    let report = rt().block_on(async {
        let opts = WriterOptions::new().batch_size(5).max_close_wait(Duration::from_millis(300));
        let w = c.untyped_writer(opts).unwrap();
        for i in 0..10 {
            w.write_line(&format!("m v={i}i {i}")).await.unwrap();
        }
        w.close().await.unwrap()
    });
    assert_eq!(report.stats.failed, 10, "{report:?}");
    assert!(report.failed.iter().all(|b| b.error().kind() == ErrorKind::Timeout));
    assert!(report.failed[0].error().to_string().contains("close deadline"), "{report:?}");
}

#[test]
fn writer_byte_capacity_and_drop_oldest() {
    let url = support::url();
    let db = support::create_db(&url, "drop_oldest");
    let proxy = Proxy::start(&url);
    let c = Client::new(&proxy.url, &db).unwrap();
    // Lines of 19 bytes ("m v=NNNNNNi NNNNNNN"), plus a newline between lines of a batch.
    let line = |i: u32| format!("m v={i:06}i {:07}", 1_000_000 + i);
    assert_eq!(line(7).len(), 19);
    rt().block_on(async {
        // Bytes: with the server stalled, try_write says BufferFull once 1,000 bytes are held.
        proxy.set_default(Fault::Stall);
        let opts = WriterOptions::new()
            .batch_size(10)
            .max_in_flight(1)
            .capacity(100_000)
            .max_buffer_bytes(1_000)
            .request_timeout(Duration::from_millis(200))
            .retry_interval(Duration::from_millis(50))
            .max_close_wait(Duration::from_secs(60));
        let w = c.untyped_writer(opts).unwrap();
        let mut taken = 0;
        while w.try_write_line(&line(taken)).is_ok() {
            taken += 1;
            assert!(taken < 1_000, "never full");
        }
        assert!((49..=53).contains(&taken), "full after {taken} lines of 20 bytes");
        let e = w.try_write_line(&line(taken)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BufferFull);
        proxy.set_default(Fault::Pass);
        w.write_line(&line(taken)).await.unwrap(); // waits until the server answers again
        let report = w.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.stats.written, u64::from(taken) + 1);

        // Drop-oldest: the server stalls, 1,000 points go into a writer of 100; the producer never
        // waits, the oldest unsent ones are dropped and counted, the newest arrive.
        proxy.set_default(Fault::Stall);
        let opts = WriterOptions::new()
            .batch_size(10)
            .max_in_flight(1)
            .capacity(100)
            .overflow(Overflow::DropOldest)
            .request_timeout(Duration::from_millis(300))
            .retry_interval(Duration::from_millis(50))
            .max_retries(1000)
            .max_close_wait(Duration::from_secs(60));
        let w = c.untyped_writer(opts).unwrap();
        for i in 0..1_000 {
            w.try_write_line(&line(10_000 + i)).unwrap();
        }
        let stats = w.stats();
        assert!(stats.buffered <= 100, "{stats:?}");
        assert!(stats.dropped >= 890, "{stats:?}");
        proxy.set_default(Fault::Pass);
        let report = w.close().await.unwrap();
        let s = report.stats;
        assert_eq!(s.accepted, 1_000);
        assert_eq!(s.written + s.dropped + s.failed + s.rejected, 1_000, "{s:?}");
        assert_eq!((s.failed, s.rejected), (0, 0), "{report:?}");
        let newest: Vec<(i64, i64)> =
            c.query_as("SELECT v FROM m WHERE v >= 10000 ORDER BY time DESC LIMIT 1").await.unwrap();
        assert_eq!(newest[0].1, 10_999, "the newest point was kept");
        let count: Vec<(i64, i64)> = c.query_as("SELECT count(v) FROM m WHERE v >= 10000").await.unwrap();
        assert_eq!(count[0].1 as u64, s.written);
    });
    assert!(matches!(WriterOptions::SYNCHRONOUS.write_mode(), WriteMode::Synchronous));
}

#[test]
fn result_set_conveniences_on_a_real_answer() {
    let (c, _) = client("result_set");
    rt().block_on(async {
        c.write_lp("cpu,host=a,dc=x v=1 1\ncpu,host=b,dc=x v=2 2\nmem,host=a v=3 3", &WriteOptions::new())
            .await
            .unwrap();
        let r = c.query("SELECT * FROM cpu GROUP BY host; SELECT * FROM mem").await.unwrap();
        let keys: Vec<String> = r.keys().map(|(n, t)| format!("{n} {t:?}")).collect();
        assert_eq!(keys, [r#"cpu {"host": "a"}"#, r#"cpu {"host": "b"}"#, "mem {}"]);
        // Tags from GROUP BY and from columns alike (influxdb-python's get_points).
        assert_eq!(r.get_points(Some("cpu"), &[("host", "b")]).count(), 1);
        assert_eq!(r.get_points(None, &[("host", "a")]).count(), 2);
        assert_eq!(r.get_points(Some("cpu"), &[("dc", "x")]).count(), 2);
        let p = r.get_points(Some("mem"), &[]).next().unwrap();
        assert_eq!(p.get("v").and_then(serde_json::Value::as_f64), Some(3.0));
        assert!(format!("{p:?}").starts_with(r#"PointRef { statement_id: 1, series: "mem""#), "{p:?}");
    });
}
