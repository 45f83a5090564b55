//! Queries against a real influxd: typed decoding, multi-statement, errors, truncation, streaming.
use crate::support;

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use influx::decode::SeriesInfo;
use influx::{Client, ErrorKind, Precision, Query, QueryMethod, WriteOptions};
use support::proxy::{Fault, Proxy};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[derive(Debug, Clone, PartialEq, influx::InfluxPoint)]
#[influx(measurement = "cpu")]
struct Cpu {
    #[time]
    time: i64,
    #[tag]
    host: String,
    #[tag]
    region: Option<String>,
    usage: f64,
    count: Option<i64>,
    label: Option<String>,
    ok: Option<bool>,
}

/// Renamed keys, skipped members, `DateTime` time, and a hand-implemented tag type.
#[derive(Debug, Clone, PartialEq, influx::InfluxPoint)]
#[influx(measurement = "cpu")]
struct Renamed {
    #[time]
    at: Option<DateTime<Utc>>,
    #[tag]
    #[influx(rename = "host")]
    machine: Region,
    #[influx(rename = "usage")]
    load: f32,
    #[influx(skip)]
    note: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Region {
    A,
    B,
}

impl influx::TagValue for Region {
    fn tag_value(&self) -> Option<&str> {
        Some(match self {
            Region::A => "a",
            Region::B => "b",
        })
    }
}

impl influx::decode::DecodeTag for Region {
    fn from_tag(s: &str) -> Result<Self, String> {
        match s {
            "a" => Ok(Region::A),
            "b" => Ok(Region::B),
            _ => Err("expected a or b".into()),
        }
    }
}

/// Borrowed members: encodes, and simply does not decode (no `DecodeRow` impl).
#[derive(influx::InfluxPoint)]
#[allow(dead_code)]
struct WriteOnly<'a> {
    #[tag]
    host: &'a str,
    v: i64,
}

fn seed(client: &Client) {
    let lp = "cpu,host=a,region=eu usage=0.5,count=3i,label=\"x \\\"q\\\"\",ok=true 1000\n\
              cpu,host=b usage=1,count=-9223372036854775808i 2000\n\
              cpu,host=a,region=eu usage=2.25 3000\n\
              mem,host=a used=7i 1000";
    rt().block_on(client.write_lp(lp, &WriteOptions::new())).unwrap();
}

fn client(name: &str) -> Client {
    let url = support::url();
    let db = support::create_db(&url, name);
    Client::new(url, db).unwrap()
}

#[test]
fn every_field_type_and_nulls_decode_by_name() {
    let c = client("types");
    seed(&c);
    let rows: Vec<Cpu> = rt().block_on(c.query_as("SELECT * FROM cpu")).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0],
        Cpu {
            time: 1000,
            host: "a".into(),
            region: Some("eu".into()),
            usage: 0.5,
            count: Some(3),
            label: Some("x \"q\"".into()),
            ok: Some(true)
        }
    );
    // Float 1.0 arrives as `1`; the i64 minimum survives; missing fields and tags are None.
    assert_eq!(
        rows[1],
        Cpu { time: 2000, host: "b".into(), region: None, usage: 1.0, count: Some(i64::MIN), label: None, ok: None }
    );
    assert_eq!(rows[2].count, None);
}

#[test]
fn group_by_tags_fill_from_the_series() {
    let c = client("groupby");
    seed(&c);
    let rows: Vec<Cpu> = rt().block_on(c.query_as("SELECT usage FROM cpu GROUP BY host, region")).unwrap();
    let hosts: Vec<(&str, Option<&str>, f64)> =
        rows.iter().map(|r| (r.host.as_str(), r.region.as_deref(), r.usage)).collect();
    assert_eq!(hosts, vec![("a", Some("eu"), 0.5), ("a", Some("eu"), 2.25), ("b", None, 1.0)]);
    // Series metadata reaches the closure.
    let mut seen = Vec::new();
    rt().block_on(c.query_each("SELECT usage FROM cpu GROUP BY host", |(t, u): (i64, f64), s: &SeriesInfo<'_>| {
        seen.push((s.statement_id(), s.name().to_owned(), s.tag("host").unwrap().to_owned(), t, u));
    }))
    .unwrap();
    assert_eq!(seen[2], (0, "cpu".to_owned(), "b".to_owned(), 2000, 1.0));
}

#[test]
fn times_decode_in_every_epoch_and_rfc3339() {
    let c = client("epochs");
    rt().block_on(c.write_lp("m v=1i 1700000000123456789", &WriteOptions::new())).unwrap();
    for p in [Precision::Nanoseconds, Precision::Microseconds, Precision::Milliseconds, Precision::Seconds] {
        let rows: Vec<(DateTime<Utc>, i64)> =
            rt().block_on(c.query_as(Query::new("SELECT v FROM m").epoch(p))).unwrap();
        let ns = rows[0].0.timestamp_nanos_opt().unwrap();
        let unit = p.nanos_per_unit();
        assert_eq!(ns, 1700000000123456789 / unit * unit, "{p:?}");
    }
    let rows: Vec<(DateTime<Utc>, i64)> = rt().block_on(c.query_as(Query::new("SELECT v FROM m").rfc3339())).unwrap();
    assert_eq!(rows[0].0.timestamp_nanos_opt(), Some(1700000000123456789));
    // Raw mode without epoch returns the server's RFC3339 string.
    let raw = rt().block_on(c.query("SELECT v FROM m")).unwrap();
    assert_eq!(raw.iter_points().next().unwrap().values[0], "2023-11-14T22:13:20.123456789Z");
}

#[test]
fn decode_errors_say_where() {
    let c = client("errors");
    seed(&c);
    let err = rt().block_on(c.query_as::<(i64, bool)>("SELECT usage FROM cpu")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.to_string(), "statement 0: series `cpu`: row 0: column `usage`: found float 0.5, expected bool");
    let err = rt().block_on(c.query_as::<(i64, i64)>("SELECT usage FROM cpu GROUP BY host")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "statement 0: series `cpu` (host=a): row 0: column `usage`: found float 0.5, expected i64"
    );
    let err = rt().block_on(c.query_as::<Cpu>("SELECT count FROM cpu")).unwrap_err();
    // A `String` tag the point lacks reads as "", as the server treats it; a missing field is an error.
    assert_eq!(
        err.to_string(),
        "statement 0: series `cpu`: row 0: `usage` is not a column of the series (expected f64)"
    );
}

#[test]
fn server_errors_are_typed() {
    let c = client("server_errors");
    let err = rt().block_on(c.query_as::<(i64,)>("SELEC x")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest);
    assert_eq!(err.status(), Some(400));
    assert!(err.server_message().unwrap().starts_with("error parsing query: found SELEC"), "{err:?}");
    let err = rt().block_on(c.query_as::<(i64,)>("SELECT * FROM nope..m")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Query);
    assert_eq!(err.to_string(), "statement 0: database not found: nope");
    let err = rt().block_on(c.query_as::<(i64,)>(Query::new("SELECT * FROM m WHERE a = $x"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest);
    assert!(err.to_string().contains("missing parameter: x"), "{err}");
    let err = rt().block_on(c.write_lp("m v=1i\nm v=bad", &WriteOptions::new())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PartialWrite);
    let err = rt().block_on(c.write_lp("m v=1i", &WriteOptions::new().database("no_such_db"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DatabaseNotFound);
    let err = rt().block_on(c.write_lp("m v=1i", &WriteOptions::new().retention_policy("nope"))).unwrap_err();
    assert_eq!((err.kind(), err.is_retryable()), (ErrorKind::BadRequest, false));
}

#[test]
fn multi_statement_results_are_typed_separately() {
    let c = client("multi");
    seed(&c);
    let res =
        rt().block_on(c.query_multi("SELECT usage FROM cpu; SELECT used FROM mem; SHOW TAG KEYS FROM cpu")).unwrap();
    assert_eq!(res.len(), 3);
    let cpu: Vec<(i64, f64)> = res.rows(0).unwrap();
    let mem: Vec<(i64, i64)> = res.rows(1).unwrap();
    let keys: Vec<(String,)> = res.rows(2).unwrap();
    assert_eq!((cpu.len(), mem, keys.len()), (3, vec![(1000, 7)], 2));
    // The server stops at the first failure and we keep its real error.
    let res =
        rt().block_on(c.query_multi("SELECT used FROM mem; SELECT * FROM nope..x; SELECT used FROM mem")).unwrap();
    assert_eq!(res.rows::<(i64, i64)>(0).unwrap().len(), 1);
    assert_eq!(res.error(1), Some("database not found: nope"));
    assert_eq!(res.rows::<(i64, i64)>(1).unwrap_err().kind(), ErrorKind::Query);
    assert!(res.rows::<(i64, i64)>(2).is_err());
    // query_as over several statements concatenates and fails on any failure.
    let both: Vec<(i64, f64)> = rt().block_on(c.query_as("SELECT usage FROM cpu; SELECT usage FROM cpu")).unwrap();
    assert_eq!(both.len(), 6);
}

#[test]
fn bind_params_cannot_inject() {
    let c = client("bind");
    seed(&c);
    let q = Query::new("SELECT usage FROM cpu WHERE host = $h").bind("h", "a' OR 1=1 --");
    assert!(rt().block_on(c.query_as::<(i64, f64)>(q)).unwrap().is_empty());
    let q = Query::new("SELECT usage FROM cpu WHERE host = $h AND usage > $min").bind("h", "a").bind("min", 1);
    assert_eq!(rt().block_on(c.query_as::<(i64, f64)>(q)).unwrap(), vec![(3000, 2.25)]);
}

#[test]
fn write_statements_go_by_post_reads_by_get() {
    let c = client("methods");
    seed(&c);
    // A write statement sent by GET draws a warning; ours goes by POST and draws none.
    let forced = rt()
        .block_on(
            c.query(
                Query::new(
                    "CREATE RETENTION POLICY w1 ON \"".to_owned()
                        + c.database().unwrap()
                        + "\" DURATION 1d REPLICATION 1",
                )
                .with_method(QueryMethod::Get),
            ),
        )
        .unwrap();
    assert!(forced.results[0].messages.iter().any(|m| m.text.contains("POST")), "{forced:?}");
    let auto = rt()
        .block_on(
            c.query(format!("CREATE RETENTION POLICY w2 ON \"{}\" DURATION 1d REPLICATION 1", c.database().unwrap())),
        )
        .unwrap();
    assert!(auto.results[0].messages.is_empty(), "{auto:?}");
    assert!(auto.first_error().is_none());
}

#[test]
fn max_row_limit_is_truncated_not_silently_short() {
    let server = support::Server::start(support::Config { max_row_limit: Some(5), ..Default::default() });
    support::admin_query(&server.url, "CREATE DATABASE lim");
    let c = Client::new(server.url.clone(), "lim").unwrap();
    let lp: Vec<String> = (0..12).map(|i| format!("m v={i}i {i}")).collect();
    rt().block_on(c.write_lp(lp.join("\n"), &WriteOptions::new())).unwrap();
    let q = Query::new("SELECT v FROM m").chunked(false);
    let err = rt().block_on(c.query_as::<(i64, i64)>(q.clone())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Truncated);
    assert_eq!(rt().block_on(c.query(q)).unwrap_err().kind(), ErrorKind::Truncated);
    // Chunked (the default) is not subject to the limit: every row arrives.
    assert_eq!(rt().block_on(c.query_as::<(i64, i64)>("SELECT v FROM m")).unwrap().len(), 12);
    assert_eq!(rt().block_on(c.query("SELECT v FROM m")).unwrap().results[0].series[0].values.len(), 12);
}

#[test]
fn chunked_streams_rows_and_raw_chunks() {
    let c = client("chunks");
    let lp: Vec<String> = (0..2500).map(|i| format!("m,h=h{} v={i}i {i}", i % 2)).collect();
    rt().block_on(c.write_lp(lp.join("\n"), &WriteOptions::new())).unwrap();
    let rows: Vec<(i64, i64)> = rt()
        .block_on(async {
            c.query_stream::<(i64, i64)>(Query::new("SELECT v FROM m").chunk_size(100)).await?.try_collect().await
        })
        .unwrap();
    assert_eq!(rows.len(), 2500);
    assert!(rows.iter().enumerate().all(|(i, r)| r.0 == i as i64 && r.1 == i as i64));
    let chunks: Vec<_> = rt()
        .block_on(async {
            c.query_chunks(Query::new("SELECT v FROM m GROUP BY h").chunk_size(300))
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .unwrap();
    assert!(chunks.len() >= 9, "{}", chunks.len());
    let n: usize = chunks.iter().map(|c| c.iter_points().count()).sum();
    assert_eq!(n, 2500);
    // Raw query merges chunks back into whole series with exact partial flags.
    let merged = rt().block_on(c.query(Query::new("SELECT v FROM m GROUP BY h").chunk_size(300))).unwrap();
    let s = &merged.results[0].series;
    assert_eq!((s.len(), s[0].values.len(), s[0].partial), (2, 1250, false));
    // An error in a later statement arrives inside the 200 and ends the stream with it.
    let res: Result<Vec<(i64, i64)>, _> = rt().block_on(async {
        c.query_stream::<(i64, i64)>(Query::new("SELECT v FROM m; SELECT * FROM nope..x").chunk_size(1000))
            .await?
            .try_collect()
            .await
    });
    assert_eq!(res.unwrap_err().kind(), ErrorKind::Query);
}

#[test]
fn serde_rows_and_tag_info() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Row {
        time: i64,
        host: String,
        usage: f64,
        count: Option<i64>,
    }
    let c = client("serde");
    seed(&c);
    let rows: Vec<Row> = rt().block_on(c.query_serde("SELECT usage, count FROM cpu GROUP BY host")).unwrap();
    assert_eq!(rows[0], Row { time: 1000, host: "a".into(), usage: 0.5, count: Some(3) });
    assert_eq!(rows[2].count, Some(i64::MIN));
    let info = rt().block_on(c.tag_info(None)).unwrap();
    assert_eq!(info["cpu"]["host"], vec!["a", "b"]);
    assert_eq!(info["cpu"]["region"], vec!["eu"]);
    assert_eq!(info["mem"]["host"], vec!["a"]);
    let only = rt().block_on(c.tag_info(Some("mem"))).unwrap();
    assert_eq!(only.keys().collect::<Vec<_>>(), vec!["mem"]);
}

#[test]
fn derived_renames_skip_custom_tags_and_datetime() {
    let c = client("renamed");
    seed(&c);
    let rows: Vec<Renamed> = rt().block_on(c.query_as("SELECT usage FROM cpu GROUP BY host")).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[2],
        Renamed { at: DateTime::from_timestamp_nanos(2000).into(), machine: Region::B, load: 1.0, note: String::new() }
    );
    // Round trip: write derived points, read them back equal.
    let points = vec![
        Renamed { at: Some(DateTime::from_timestamp_nanos(5_000)), machine: Region::A, load: 0.25, note: "x".into() },
        Renamed { at: Some(DateTime::from_timestamp_nanos(6_000)), machine: Region::B, load: 4.5, note: "y".into() },
    ];
    let c2 = client("renamed_rt");
    rt().block_on(c2.write(&points)).unwrap();
    rt().block_on(c2.write([WriteOnly { host: "a", v: 1 }])).unwrap();
    let back: Vec<Renamed> = rt().block_on(c2.query_as("SELECT usage, host FROM cpu")).unwrap();
    let expected: Vec<Renamed> = points.into_iter().map(|p| Renamed { note: String::new(), ..p }).collect();
    assert_eq!(back, expected);
    // A tag value the type rejects is an error that says where.
    rt().block_on(c2.write_lp("cpu,host=zz usage=1 7000", &WriteOptions::new())).unwrap();
    let err = rt().block_on(c2.query_as::<Renamed>("SELECT usage FROM cpu GROUP BY host")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "statement 0: series `cpu` (host=zz): row 0: tag `host`: value \"zz\": expected a or b"
    );
    // f32 refuses a value it cannot hold exactly.
    rt().block_on(c2.write_lp("cpu,host=a usage=0.1 8000", &WriteOptions::new())).unwrap();
    let err = rt().block_on(c2.query_as::<Renamed>("SELECT usage, host FROM cpu WHERE time = 8000")).unwrap_err();
    assert!(err.to_string().ends_with("column `usage`: found float 0.1, expected f32"), "{err}");
}

#[test]
fn derived_types_stream_and_verify_their_schema() {
    let c = client("verify");
    seed(&c);
    let rows: Vec<Cpu> = rt()
        .block_on(async {
            c.query_stream::<Cpu>(Query::new("SELECT * FROM cpu").chunk_size(1)).await?.try_collect().await
        })
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rt().block_on(c.verify::<Cpu>()).unwrap().is_empty());
    #[derive(influx::InfluxPoint)]
    #[influx(measurement = "cpu")]
    #[allow(dead_code)]
    struct Drifted {
        #[tag]
        label: String,
        count: f64,
        #[influx(rename = "host")]
        host_field: String,
    }
    let conflicts = rt().block_on(c.verify::<Drifted>()).unwrap();
    let text: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        vec![
            "cpu: `label` is a tag in the type but a string field on the server",
            "cpu: field `count` is float in the type but integer on the server",
            "cpu: `host` is a field in the type but a tag on the server",
        ]
    );
}

/// Runs `q` through every query API of the async client and returns each
/// API's result: the error, or how many rows/points it gave.
async fn every_api(c: &Client, q: &Query) -> Vec<(&'static str, Result<usize, influx::Error>)> {
    let mut out = Vec::new();
    out.push(("query", c.query(q).await.map(|r| r.iter_points().count())));
    out.push(("query_as", c.query_as::<(i64, i64)>(q).await.map(|r| r.len())));
    out.push(("query_serde", c.query_serde::<serde_json::Value>(q).await.map(|r| r.len())));
    let mut n = 0;
    out.push(("query_each", c.query_each(q, |_: (i64, i64), _| n += 1).await.map(|()| n)));
    out.push(("query_multi", c.query_multi(q).await.and_then(|r| r.rows::<(i64, i64)>(0)).map(|r| r.len())));
    if q.is_chunked() {
        let rows = async { c.query_stream::<(i64, i64)>(q).await?.try_collect::<Vec<_>>().await };
        out.push(("query_stream", rows.await.map(|r| r.len())));
        let chunks = async { c.query_chunks(q).await?.try_collect::<Vec<_>>().await };
        out.push(("query_chunks", chunks.await.map(|r| r.iter().map(|c| c.iter_points().count()).sum())));
    }
    out
}

/// The same through the blocking client.
fn every_blocking_api(c: &influx::blocking::Client, q: &Query) -> Vec<(&'static str, Result<usize, influx::Error>)> {
    let mut out = Vec::new();
    out.push(("blocking query", c.query(q).map(|r| r.iter_points().count())));
    out.push(("blocking query_as", c.query_as::<(i64, i64)>(q).map(|r| r.len())));
    out.push(("blocking query_multi", c.query_multi(q).and_then(|r| r.rows::<(i64, i64)>(0)).map(|r| r.len())));
    if q.is_chunked() {
        let rows = c.query_iter::<(i64, i64)>(q).and_then(|it| it.collect::<Result<Vec<_>, _>>());
        out.push(("blocking query_iter", rows.map(|r| r.len())));
    }
    out
}

fn assert_all_fail(results: &[(&str, Result<usize, influx::Error>)], kind: ErrorKind, case: &str) {
    for (api, r) in results {
        match r {
            Err(e) => assert_eq!(e.kind(), kind, "{case}: {api}: {e:?}"),
            Ok(n) => panic!("{case}: {api} returned Ok with {n} rows instead of {kind:?}"),
        }
    }
}

#[test]
fn every_api_times_out_on_a_server_that_never_answers() {
    let stalled = support::Stalled::start();
    let builder = Client::builder(&stalled.url).database("d").timeout(Duration::from_millis(300));
    let c = builder.clone().build().unwrap();
    support::bounded(60, async {
        for q in [Query::new("SELECT v FROM m"), Query::new("SELECT v FROM m").chunked(false)] {
            assert_all_fail(&every_api(&c, &q).await, ErrorKind::Timeout, "stalled server");
        }
        let e = c.tag_info(None).await.unwrap_err();
        assert!(e.is_timeout() && e.is_retryable(), "{e:?}");
        assert!(c.ping().await.unwrap_err().is_timeout());
        assert!(c.write_lp("m v=1", &WriteOptions::new()).await.unwrap_err().is_timeout());
    });
    let b = influx::blocking::Client::from_builder(builder).unwrap();
    for q in [Query::new("SELECT v FROM m"), Query::new("SELECT v FROM m").chunked(false)] {
        assert_all_fail(&every_blocking_api(&b, &q), ErrorKind::Timeout, "stalled server, blocking");
    }
    assert!(b.ping().unwrap_err().is_timeout());
    assert!(b.write_lp("m v=1", &WriteOptions::new()).unwrap_err().is_timeout());
}

#[test]
fn connect_times_out_on_a_host_that_never_accepts() {
    let down = support::Unconnectable::start();
    let c = Client::builder(&down.url)
        .database("d")
        .connect_timeout(Duration::from_millis(200))
        .timeout(None)
        .build()
        .unwrap();
    support::bounded(60, async {
        assert_all_fail(&every_api(&c, &Query::new("SELECT v FROM m")).await, ErrorKind::Timeout, "connect");
        let e = c.write_lp("m v=1", &WriteOptions::new()).await.unwrap_err();
        assert!(e.is_timeout() && e.is_retryable(), "{e:?}");
        assert!(e.to_string().contains("connect"), "{e}");
    });
}

#[test]
fn a_chunked_answer_that_stops_midway_times_out_between_chunks() {
    let c = client("gap");
    let lp: Vec<String> = (0..300).map(|i| format!("m v={i}i {i}")).collect();
    rt().block_on(c.write_lp(lp.join("\n"), &WriteOptions::new())).unwrap();
    let proxy = Proxy::start(&support::url());
    // The whole-request timeout is lifted: only the gap between chunks can end these.
    let builder = Client::builder(&proxy.url)
        .database(c.database().unwrap())
        .timeout(None)
        .chunk_timeout(Duration::from_millis(300));
    let pc = builder.clone().build().unwrap();
    let q = Query::new("SELECT v FROM m").chunk_size(100);
    proxy.set_default(Fault::StallAfterFirstLine);
    support::bounded(60, async {
        assert_all_fail(&every_api(&pc, &q).await, ErrorKind::Timeout, "stall after the first chunk");
        // The stream gave the first chunk's rows before the gap ended it.
        let mut s = pc.query_stream::<(i64, i64)>(q.clone()).await.unwrap();
        let mut rows = 0;
        let err = loop {
            match s.next().await.expect("the stream ended without an error") {
                Ok(_) => rows += 1,
                Err(e) => break e,
            }
        };
        assert_eq!((rows, err.kind()), (100, ErrorKind::Timeout), "{err}");
        assert!(err.to_string().contains("chunk_timeout"), "{err}");
    });
    let b = influx::blocking::Client::from_builder(builder).unwrap();
    assert_all_fail(&every_blocking_api(&b, &q), ErrorKind::Timeout, "stall after the first chunk, blocking");
    proxy.set_default(Fault::Pass);
    assert_eq!(rt().block_on(pc.query_as::<(i64, i64)>(q)).unwrap().len(), 300);
}

#[test]
fn empty_blank_204_and_cut_answers_are_truncated_on_every_api() {
    let c = client("truncated");
    let lp: Vec<String> = (0..300).map(|i| format!("m v={i}i {i}")).collect();
    rt().block_on(c.write_lp(lp.join("\n"), &WriteOptions::new())).unwrap();
    let proxy = Proxy::start(&support::url());
    let builder = Client::builder(&proxy.url).database(c.database().unwrap());
    let pc = builder.clone().build().unwrap();
    let b = influx::blocking::Client::from_builder(builder).unwrap();
    let chunked = Query::new("SELECT v FROM m").chunk_size(100);
    let whole = Query::new("SELECT v FROM m").chunked(false);
    let empty = [
        ("empty 200", Fault::Respond(200, "Content-Type: application/json\r\n", "")),
        ("204", Fault::Respond(204, "", "")),
        ("blank 200", Fault::Respond(200, "Content-Type: application/json\r\n", " \n\n  \n")),
    ];
    for (case, fault) in empty {
        for q in [&chunked, &whole] {
            proxy.set_default(fault.clone());
            let results = rt().block_on(every_api(&pc, q));
            assert_all_fail(&results, ErrorKind::Truncated, case);
            assert_all_fail(&every_blocking_api(&b, q), ErrorKind::Truncated, case);
        }
    }
    // The real answer, cut after its first chunk: that chunk says `"partial": true`.
    proxy.set_default(Fault::CutAfterFirstLine);
    assert_all_fail(&rt().block_on(every_api(&pc, &chunked)), ErrorKind::Truncated, "cut after one chunk");
    assert_all_fail(&every_blocking_api(&b, &chunked), ErrorKind::Truncated, "cut after one chunk, blocking");
    // Whole, every API gives every row.
    proxy.set_default(Fault::Pass);
    for (api, r) in rt().block_on(every_api(&pc, &chunked)).into_iter().chain(every_blocking_api(&b, &chunked)) {
        assert_eq!(r.unwrap_or_else(|e| panic!("{api}: {e:?}")), 300, "{api}");
    }
}

#[test]
fn raw_query_fails_on_a_statement_error_unless_asked_to_keep_it() {
    let c = client("rawerrors");
    seed(&c);
    let text = "SELECT usage FROM cpu; SELECT * FROM nope..x";
    for q in [Query::new(text), Query::new(text).chunked(false)] {
        let err = rt().block_on(c.query(q.clone())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Query, "{err:?}");
        assert!(err.to_string().starts_with("statement 1: "), "{err}");
        // The typed API on the same text fails the same way.
        assert_eq!(rt().block_on(c.query_as::<(i64, f64)>(q.clone())).unwrap_err().kind(), ErrorKind::Query);
        let kept = rt().block_on(c.query(q.keep_statement_errors())).unwrap();
        assert_eq!(kept.results.len(), 2, "{kept:?}");
        assert_eq!(kept.results[0].series[0].values.len(), 3);
        assert!(kept.results[1].error.is_some(), "{kept:?}");
        assert!(kept.first_error().is_some());
    }
    // Chunked, the server names the real error.
    let kept = rt().block_on(c.query(Query::new(text).keep_statement_errors())).unwrap();
    assert_eq!(kept.first_error(), Some("database not found: nope"));
    // A single statement that fails (no database given) is an error too.
    let nodb = Client::builder(support::url()).build().unwrap();
    let err = rt().block_on(nodb.query("SELECT * FROM m")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Query, "{err:?}");
    assert_eq!(err.server_message(), Some("database name required"));
    // Raw chunks: an error, unless kept.
    let chunks = rt().block_on(async { c.query_chunks(text).await?.try_collect::<Vec<_>>().await });
    assert_eq!(chunks.unwrap_err().kind(), ErrorKind::Query);
    let chunks = rt()
        .block_on(async {
            c.query_chunks(Query::new(text).keep_statement_errors()).await?.try_collect::<Vec<_>>().await
        })
        .unwrap();
    assert!(chunks.iter().any(|c| c.first_error() == Some("database not found: nope")), "{chunks:?}");
    // The blocking client does the same.
    let b = influx::blocking::Client::new(support::url(), c.database().unwrap()).unwrap();
    assert_eq!(b.query(text).unwrap_err().kind(), ErrorKind::Query);
    assert!(b.query(Query::new(text).keep_statement_errors()).unwrap().first_error().is_some());
    // A statement that succeeds with a warning is not an error.
    let warned = rt()
        .block_on(
            c.query(
                Query::new(format!(
                    "CREATE RETENTION POLICY w3 ON \"{}\" DURATION 1d REPLICATION 1",
                    c.database().unwrap()
                ))
                .with_method(QueryMethod::Get),
            ),
        )
        .unwrap();
    assert!(!warned.results[0].messages.is_empty(), "{warned:?}");
}
