//! The InfluxDB 2.x client against the replay server: every request is checked
//! against the official 2.x OpenAPI contract (influx-core/contracts/) and
//! answered with recorded bodies (influx::test_util::recorded). No 2.x server
//! can run here; `tests/v2_victoria.rs` writes to a real `/api/v2/write`.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use influx::test_util::{recorded, Contract, Exchange, Method, ReplayServer};
use influx::v2::{DeleteRequest, Permission, PermissionResource, Predicate, RetentionRule, SetupRequest};
use influx::writer::WriterOptions;
use influx::{ErrorKind, InfluxPoint, WriteOptions};

const ORG_ID: &str = "bea7ea952287f70d";

#[derive(Debug, Clone, PartialEq, InfluxPoint)]
#[influx(measurement = "cpu")]
struct Cpu {
    #[tag]
    host: String,
    usage: f64,
    count: u64,
    note: String,
    #[time]
    time: chrono::DateTime<Utc>,
}

fn cpu(i: i64) -> Cpu {
    Cpu {
        host: "web 1".into(),
        usage: 0.1 + i as f64,
        count: u64::MAX - i as u64,
        note: "a \"quoted\" note".into(),
        time: Utc.timestamp_nanos(1_700_000_000_000_000_000 + i),
    }
}

fn line(i: i64) -> String {
    format!(
        "cpu,host=web\\ 1 usage={},count={}u,note=\"a \\\"quoted\\\" note\" {}",
        0.1 + i as f64,
        u64::MAX - i as u64,
        1_700_000_000_000_000_000 + i
    )
}

fn client(server: &ReplayServer) -> influx::v2::Client {
    influx::v2::Client::builder(server.url()).org("acme").bucket("metrics").token("tok-secret-1").build().unwrap()
}

#[tokio::test]
async fn derived_points_are_written_exactly_with_token_and_unsigned_suffix() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    let body = (0..3).map(line).collect::<Vec<_>>().join("\n");
    server.expect(
        Exchange::new(Method::Post, "/api/v2/write")
            .query("org", "acme")
            .query("bucket", "metrics")
            .query("precision", "ns")
            .header("authorization", "Token tok-secret-1")
            .header("content-type", "text/plain; charset=utf-8")
            .body(&body)
            .respond_recorded(&recorded::V2_WRITE_NO_CONTENT),
    );
    let points: Vec<Cpu> = (0..3).map(cpu).collect();
    client(&server).write(&points).await.unwrap();
    server.verify().unwrap();
}

#[tokio::test]
async fn per_call_options_gzip_and_org_ids() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(
        Exchange::new(Method::Post, "/api/v2/write")
            .query("orgID", ORG_ID)
            .query("bucket", "other")
            .query("precision", "us")
            .header("content-encoding", "gzip")
            .body("m v=1i 5\n")
            .respond(204, ""),
    );
    let c = client(&server);
    let opts = WriteOptions::new().org(ORG_ID).bucket("other").precision(influx::Precision::Microseconds).gzip(true);
    c.write_lp("m v=1i 5\n", &opts).await.unwrap();
    // 1.x options on a 2.x client are refused before anything is sent.
    let e = c.write_lp("m v=1i", &WriteOptions::new().database("db")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Builder);
    server.verify().unwrap();
}

#[tokio::test]
async fn write_errors_are_typed() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    let c = client(&server);
    for (r, kind) in [
        (&recorded::V2_WRITE_LINE_PROTOCOL_ERROR, ErrorKind::BadRequest),
        (&recorded::V2_WRITE_PARTIAL, ErrorKind::PartialWrite),
        (&recorded::V2_WRITE_TOO_LARGE, ErrorKind::PayloadTooLarge),
        (&recorded::V2_WRITE_RETRY_AFTER_429, ErrorKind::Throttled),
        (&recorded::V2_UNAUTHORIZED, ErrorKind::Unauthorized),
    ] {
        server.expect(Exchange::new(Method::Post, "/api/v2/write").respond_recorded(r));
        let e = c.write_lp("m v=1", &WriteOptions::new()).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{}: {e}", r.name);
        assert!(!format!("{e} {e:?}").contains("tok-secret"), "{e:?}");
    }
    server.expect(
        Exchange::new(Method::Post, "/api/v2/write")
            .respond(404, r#"{"code":"not found","message":"bucket \"metrics\" not found"}"#),
    );
    assert_eq!(c.write_lp("m v=1", &WriteOptions::new()).await.unwrap_err().kind(), ErrorKind::DatabaseNotFound);
    let e = c.write_lp("m v=1", &WriteOptions::new()).await;
    assert!(e.is_err(), "no expectation left: the server answers 404");
    let _ = server.requests();
    assert!(server.verify().is_err(), "the unexpected request is reported");
}

#[tokio::test]
async fn the_batching_writer_writes_to_buckets_and_honours_retry_after() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    let body = (0..4).map(line).collect::<Vec<_>>().join("\n");
    let mut retry = recorded::V2_WRITE_RETRY_AFTER_503;
    // The recorded answer asks for 5 s; the writer caps waits at max_retry_delay.
    retry.headers = &[("Retry-After", "1")];
    server
        .expect(Exchange::new(Method::Post, "/api/v2/write").query("bucket", "metrics").respond_recorded(&retry))
        .expect(
            Exchange::new(Method::Post, "/api/v2/write")
                .query("bucket", "metrics")
                .header("authorization", "Token tok-secret-1")
                .body(&body)
                .respond(204, ""),
        );
    let writer = client(&server)
        .writer::<Cpu>(WriterOptions::new().batch_size(4).flush_interval(Duration::from_secs(60)))
        .unwrap();
    for i in 0..4 {
        writer.write(&cpu(i)).await.unwrap();
    }
    let report = writer.close().await.unwrap();
    assert!(report.is_complete(), "{:?}", report.stats);
    assert_eq!((report.stats.written, report.stats.retries), (4, 1));
    server.verify().unwrap();
}

#[tokio::test]
async fn a_partial_write_is_reported_with_its_counts() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(Exchange::new(Method::Post, "/api/v2/write").respond_recorded(&recorded::V2_WRITE_PARTIAL));
    let writer = client(&server).untyped_writer(WriterOptions::new().batch_size(6)).unwrap();
    for i in 0..6 {
        writer.write_line(&format!("m v={i}i {i}")).await.unwrap();
    }
    let report = writer.close().await.unwrap();
    // "partial write error (5 accepted): 1 out of 6 points rejected"
    assert_eq!((report.stats.written, report.stats.rejected), (5, 1), "{:?}", report.stats);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].error().kind(), ErrorKind::PartialWrite);
    server.verify().unwrap();
}

#[tokio::test]
async fn deletes_send_a_quoted_predicate() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(
        Exchange::new(Method::Post, "/api/v2/delete")
            .query("org", "acme")
            .query("bucket", "metrics")
            .json_body(serde_json::json!({
                "start": "1970-01-01T00:00:00Z",
                "stop": "2023-11-14T22:13:20Z",
                "predicate": r#""_measurement"="cpu" AND "host"="a\" OR \"x\"=\"x""#,
            }))
            .respond_recorded(&recorded::V2_DELETE_NO_CONTENT),
    );
    let req = DeleteRequest::new(Utc.timestamp_opt(0, 0).unwrap(), Utc.timestamp_opt(1_700_000_000, 0).unwrap())
        .predicate(Predicate::measurement("cpu").and_eq("host", r#"a" OR "x"="x"#));
    client(&server).delete(&req).await.unwrap();
    server.verify().unwrap();
}

#[tokio::test]
async fn management_calls_are_typed_and_contract_shaped() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    let c = influx::v2::Client::builder(server.url()).org(ORG_ID).token("tok-secret-1").build().unwrap();
    server
        .expect(
            Exchange::new(Method::Get, "/api/v2/buckets")
                .query("orgID", ORG_ID)
                .query("name", "_monitoring")
                .respond_recorded(&recorded::V2_BUCKETS),
        )
        .expect(Exchange::new(Method::Post, "/api/v2/buckets").respond_recorded(&recorded::V2_BUCKET_CREATED))
        .expect(Exchange::new(Method::Post, "/api/v2/buckets").respond_recorded(&recorded::V2_BUCKET_CONFLICT))
        .expect(
            Exchange::new(Method::Delete, "/api/v2/buckets/37407e232b3911d8")
                .respond_recorded(&recorded::V2_BUCKET_DELETED),
        )
        .expect(Exchange::new(Method::Get, "/api/v2/orgs").respond_recorded(&recorded::V2_ORGS))
        .expect(
            Exchange::new(Method::Get, "/api/v2/authorizations")
                .query("orgID", ORG_ID)
                .respond_recorded(&recorded::V2_AUTHORIZATIONS),
        )
        .expect(
            Exchange::new(Method::Post, "/api/v2/authorizations").respond_recorded(&recorded::V2_AUTHORIZATION_CREATED),
        )
        .expect(
            Exchange::new(Method::Get, "/api/v2/dbrps").query("orgID", ORG_ID).respond_recorded(&recorded::V2_DBRPS),
        )
        .expect(Exchange::new(Method::Get, "/health").respond_recorded(&recorded::V2_HEALTH))
        .expect(Exchange::new(Method::Get, "/ready").respond_recorded(&recorded::V2_READY))
        .expect(Exchange::new(Method::Get, "/ping").respond_recorded(&recorded::V2_PING));

    let monitoring = c.buckets().find("_monitoring").await.unwrap().expect("found");
    assert_eq!((monitoring.id.as_str(), monitoring.retention_rules[0].every_seconds), ("77ca9dace40a9bfc", 604_800));
    let created =
        c.buckets().create("example-bucket", Some(RetentionRule::expire(Duration::from_secs(3600)))).await.unwrap();
    assert!(!created.id.is_empty());
    let dup = c.buckets().create("example-bucket", None).await.unwrap_err();
    assert_eq!(dup.status(), Some(422));
    c.buckets().delete("37407e232b3911d8").await.unwrap();
    assert!(!c.organizations().list().await.unwrap().is_empty());
    let auths = c.authorizations().list().await.unwrap();
    assert!(!auths.is_empty());
    let new = c
        .authorizations()
        .create("writer", vec![Permission::write(PermissionResource::bucket("37407e232b3911d8", ORG_ID))])
        .await
        .unwrap();
    assert!(!new.token().is_empty());
    assert!(!format!("{new:?}").contains(new.token()));
    let dbrps = c.dbrps().list().await.unwrap();
    assert_eq!(dbrps.len(), 2);
    assert!(dbrps[0].default);
    assert!(c.health().await.unwrap().is_pass());
    assert_eq!(c.ready().await.unwrap().status, "ready");
    let v = c.ping().await.unwrap();
    assert_eq!((v.version.as_str(), v.build.as_str()), ("v2.7.11", "OSS"));
    // Path injection is refused before sending.
    assert_eq!(c.buckets().delete("../orgs").await.unwrap_err().kind(), ErrorKind::Argument);
    server.verify().unwrap();
}

#[tokio::test]
async fn onboarding_a_fresh_server() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(Exchange::new(Method::Get, "/api/v2/setup").respond_recorded(&recorded::V2_SETUP_ALLOWED)).expect(
        Exchange::new(Method::Post, "/api/v2/setup")
            .body_contains("\"password\"")
            .respond_recorded(&recorded::V2_SETUP_CREATED),
    );
    let fresh = influx::v2::Client::builder(server.url()).build().unwrap();
    assert!(fresh.setup_allowed().await.unwrap());
    let done = fresh.setup(&SetupRequest::new("admin", "a long password", "acme", "metrics")).await.unwrap();
    assert!(!done.auth.token().is_empty());
    assert!(!done.org.id.is_empty());
    server.verify().unwrap();
}

#[tokio::test]
async fn influxql_on_2x_goes_through_the_v1_compatibility_api() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(
        Exchange::new(Method::Get, "/query")
            .query("db", "mydb")
            .header("authorization", "Token tok-secret-1")
            .respond_recorded(&recorded::V2_V1_QUERY),
    );
    let v1 = influx::Client::builder(server.url()).database("mydb").token("tok-secret-1").build().unwrap();
    let rows: Vec<(chrono::DateTime<Utc>, f64)> =
        v1.query_as(influx::Query::new("SELECT v FROM cpu").chunked(false)).await.unwrap();
    assert_eq!(rows, vec![(Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap(), 1.5)]);
    server.verify().unwrap();
}

/// One row of the recorded answer: an unpivoted table per host, decoded into a struct
/// whose only field is named like the table's `_field`.
#[derive(Debug, PartialEq, InfluxPoint)]
#[influx(measurement = "m")]
struct Mem {
    #[tag]
    host: String,
    #[tag]
    region: String,
    mem: f64,
    #[time]
    time: chrono::DateTime<Utc>,
}

#[tokio::test]
async fn flux_answers_decode_into_derived_structs_tuples_and_records() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    for _ in 0..3 {
        server.expect(
            Exchange::new(Method::Post, "/api/v2/query")
                .query("org", "acme")
                .header("authorization", "Token tok-secret-1")
                .header("content-type", "application/json")
                .body_contains(r#""annotations":["datatype","group","default"]"#)
                .respond_recorded(&recorded::V2_QUERY_SINGLE_RESULT),
        );
    }
    let c = client(&server);
    let flux = r#"from(bucket: "metrics") |> range(start: -30d) |> filter(fn: (r) => r._field == "mem") |> mean()"#;
    let rows: Vec<Mem> = c.query_as(flux).await.unwrap();
    let t = Utc.with_ymd_and_hms(2023, 1, 1, 0, 52, 0).unwrap();
    assert_eq!(
        rows,
        vec![
            Mem { host: "A".into(), region: "east".into(), mem: 15.43, time: t },
            Mem { host: "B".into(), region: "east".into(), mem: 59.25, time: t },
            Mem { host: "C".into(), region: "east".into(), mem: 52.62, time: t },
        ]
    );
    let records = c.query_records(flux).await.unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!((records[2].table().id(), records[2].field(), records[2].measurement()), (2, Some("mem"), Some("m")));
    use futures::TryStreamExt;
    let values: Vec<SerdeMean> =
        c.query_stream::<influx::SerdeRow<SerdeMean>>(flux).await.unwrap().map_ok(|r| r.0).try_collect().await.unwrap();
    assert_eq!(
        values.iter().map(|v| v._value.to_bits()).collect::<Vec<_>>(),
        [15.43f64.to_bits(), 59.25f64.to_bits(), 52.62f64.to_bits()]
    );
    server.verify().unwrap();
}

#[derive(Debug, serde::Deserialize)]
struct SerdeMean {
    _value: f64,
}

#[tokio::test]
async fn an_error_table_inside_a_200_is_a_query_error_and_a_400_is_typed() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server
        .expect(Exchange::new(Method::Post, "/api/v2/query").respond_recorded(&recorded::V2_QUERY_ERROR_TABLE))
        .expect(Exchange::new(Method::Post, "/api/v2/query").respond_recorded(&recorded::V2_QUERY_INVALID));
    let c = client(&server);
    let e = c.query_as::<(i64, f64)>("from(bucket: \"metrics\")").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Query, "{e}");
    let e = c.query_as::<(i64, f64)>("from(bucket:").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest, "{e}");
    server.verify().unwrap();
}

influx::query_pattern! {
    #[flux]
    trait MemQueries {
        fn mean_mem(bucket: &str, host: &str) -> Vec<Mem> =
            r#"from(bucket: {bucket}) |> range(start: -30d) |> filter(fn: (r) => r._field == "mem" and r.host == {host}) |> mean()"#;
    }
}

#[tokio::test]
async fn flux_patterns_run_on_the_2x_client_with_quoted_values() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(
        Exchange::new(Method::Post, "/api/v2/query")
            .body_contains(r#"r.host == \"a\\\" or true or \\\"\""#)
            .respond_recorded(&recorded::V2_QUERY_SINGLE_RESULT),
    );
    let rows = client(&server).mean_mem("metrics", r#"a" or true or ""#).await.unwrap();
    assert_eq!(rows.len(), 3);
    server.verify().unwrap();
}
