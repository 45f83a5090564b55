//! The InfluxDB 3 client against the replay server: every request is checked
//! against the 3.x Core, Enterprise or Cloud Dedicated OpenAPI contract and
//! answered with recorded bodies (no 3.x server can run here). Needs the
//! `test-util` feature.

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use influx::test_util::{recorded, Contract, Exchange, Method, ReplayServer};
use influx::v3::{Client, DistinctCache, Edition, FieldSpec, FieldType, Format, LastCache, Query};
use influx::writer::{WriteMode, WriterOptions};
use influx::{ErrorKind, InfluxPoint, Point, Precision, SerdeRow, WriteOptions};
use serde_json::json;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn core() -> ReplayServer {
    ReplayServer::start(Contract::influxdb3_core()).unwrap()
}

fn client(server: &ReplayServer) -> Client {
    Client::builder(server.url()).database("mydb").token("apiv3_tok").build().unwrap()
}

#[derive(InfluxPoint, Debug, Clone, PartialEq)]
#[influx(measurement = "home")]
struct Home {
    #[tag]
    room: String,
    temp: f64,
    #[time]
    time: i64,
}

fn homes() -> Vec<Home> {
    vec![
        Home { room: "Kitchen".into(), temp: 21.5, time: 1_735_549_200_000_000_000 },
        Home { room: "Sunroom".into(), temp: 0.1 + 0.2, time: 1_735_549_200_000_000_001 },
        Home { room: "Living".into(), temp: -0.0, time: 1_735_549_200_000_000_002 },
    ]
}

const LINES: &str = "home,room=Kitchen temp=21.5 1735549200000000000\n\
                     home,room=Sunroom temp=0.30000000000000004 1735549200000000001\n\
                     home,room=Living temp=-0.0 1735549200000000002";

// ---- writes ----

#[test]
fn core_writes_go_to_write_lp_with_explicit_precision_and_bearer_token() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/write_lp")
            .query("db", "mydb")
            .query("precision", "nanosecond")
            .query("accept_partial", "true")
            .query("no_sync", "false")
            .header("authorization", "Bearer apiv3_tok")
            .body(LINES)
            .respond_recorded(&recorded::V3_WRITE_LP_NO_CONTENT),
    );
    server.expect(
        Exchange::new(Method::Post, "/api/v3/write_lp")
            .query("db", "other")
            .query("precision", "second")
            .body("m u=5u 1700000000")
            .respond(204, ""),
    );
    server.expect(
        Exchange::new(Method::Post, "/api/v3/write_lp")
            .query("db", "mydb")
            .query("precision", "second")
            .body("m2,dc=fra u=5u 1700000000")
            .respond(204, ""),
    );
    let c = client(&server);
    rt().block_on(async {
        c.write(&homes()).await.unwrap();
        // Unsigned integers keep their `u` on 3.x; the precision is named as write_lp names it.
        let p = Point::new("m").field("u", 5_u64).timestamp(1_700_000_000_000_000_000_i64);
        c.write_with([p.clone()], &WriteOptions::new().database("other").precision(Precision::Seconds)).await.unwrap();
        // Extra tags and a measurement per write, as on 1.x and 2.x.
        let o = WriteOptions::new().precision(Precision::Seconds).tag("dc", "fra").measurement("m2");
        c.write_with([p], &o).await.unwrap();
    });
    server.verify().unwrap();
}

#[test]
fn gzip_no_sync_and_strict_writes_send_their_parameters() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/write_lp")
            .query("accept_partial", "false")
            .query("no_sync", "true")
            .header("content-encoding", "gzip")
            .body(LINES)
            .respond(204, ""),
    );
    let c = Client::builder(server.url())
        .database("mydb")
        .token("t")
        .gzip(true)
        .no_sync(true)
        .accept_partial(false)
        .build()
        .unwrap();
    rt().block_on(c.write_lp(LINES, &WriteOptions::new())).unwrap();
    server.verify().unwrap();
}

#[test]
fn cloud_dedicated_writes_go_to_api_v2_write() {
    let server = ReplayServer::start(Contract::influxdb3_cloud_dedicated()).unwrap();
    server.expect(
        Exchange::new(Method::Post, "/api/v2/write")
            .query("bucket", "mydb")
            .query("org", "default")
            .query("precision", "ns")
            .header("authorization", "Bearer apiv3_tok")
            .body(LINES)
            .respond_recorded(&recorded::V3_DEDICATED_WRITE_NO_CONTENT),
    );
    server.expect(Exchange::new(Method::Post, "/api/v2/write").respond_recorded(&recorded::V3_DEDICATED_UNAUTHORIZED));
    let c = Client::builder(server.url())
        .edition(Edition::CloudDedicated)
        .database("mydb")
        .token("apiv3_tok")
        .build()
        .unwrap();
    rt().block_on(async {
        c.write(&homes()).await.unwrap();
        assert_eq!(c.write(&homes()).await.unwrap_err().kind(), ErrorKind::Unauthorized);
        // No /api/v3 on Cloud Dedicated: refused before anything is sent.
        assert_eq!(c.query_as::<(i64,)>("SELECT 1").await.unwrap_err().kind(), ErrorKind::Builder);
    });
    server.verify().unwrap();
}

#[test]
fn enterprise_uses_write_lp_and_query_sql() {
    let server = ReplayServer::start(Contract::influxdb3_enterprise()).unwrap();
    server.expect(Exchange::new(Method::Post, "/api/v3/write_lp").query("db", "mydb").body(LINES).respond(204, ""));
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .json_body(json!({"db": "mydb", "q": "SHOW TABLES", "format": "json"}))
            .respond_recorded(&recorded::V3_QUERY_SQL_JSON),
    );
    let c = Client::builder(server.url()).edition(Edition::Enterprise).database("mydb").token("t").build().unwrap();
    rt().block_on(async {
        c.write_lp(LINES, &WriteOptions::new()).await.unwrap();
        let rows: Vec<(String, String, String, String)> = c.query_as("SHOW TABLES").await.unwrap();
        assert_eq!(rows.len(), 20);
    });
    server.verify().unwrap();
}

// ---- partial writes through the writer ----

fn writer_options() -> WriterOptions {
    WriterOptions::new().batch_size(100).max_retries(3)
}

#[test]
fn core_partial_write_maps_each_rejected_line_to_its_point() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/write_lp")
            .query("accept_partial", "true")
            .body(LINES)
            .respond_recorded(&recorded::V3_WRITE_LP_PARTIAL_ACCEPTED),
    );
    let c = client(&server);
    let points = homes();
    let report = rt().block_on(async {
        let w = c.writer::<Home>(writer_options()).unwrap();
        w.write_all(&points).await.unwrap();
        w.close().await.unwrap()
    });
    assert_eq!((report.stats.written, report.stats.rejected, report.stats.failed), (2, 1, 0));
    assert_eq!(report.failed.len(), 1);
    let failed = &report.failed[0];
    assert_eq!(failed.error().kind(), ErrorKind::PartialWrite);
    assert_eq!(failed.error().rejected_lines()[0].line, 2);
    let lines: Vec<_> = failed.lines().collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].index, Some(1));
    assert_eq!(lines[0].line, "home,room=Sunroom temp=0.30000000000000004 1735549200000000001");
    assert!(lines[0].reason.starts_with("invalid column type for column 'temp'"), "{}", lines[0].reason);
    // The point itself, by its index in the order written.
    assert_eq!(points[lines[0].index.unwrap() as usize], points[1]);
    server.verify().unwrap();
}

#[test]
fn strict_write_reports_the_whole_batch_and_does_not_retry_it() {
    let server = core();
    // One request only: a retry would be an unexpected request and fail verify().
    server.expect(
        Exchange::new(Method::Post, "/api/v3/write_lp")
            .query("accept_partial", "false")
            .body(LINES)
            .respond_recorded(&recorded::V3_WRITE_LP_PARTIAL_REJECTED),
    );
    let c = Client::builder(server.url()).database("mydb").token("t").accept_partial(false).build().unwrap();
    let report = rt().block_on(async {
        let w = c.writer::<Home>(writer_options()).unwrap();
        w.write_all(&homes()).await.unwrap();
        w.close().await.unwrap()
    });
    assert_eq!((report.stats.written, report.stats.rejected, report.stats.failed), (0, 1, 2));
    assert_eq!(report.stats.retries, 0);
    let failed = &report.failed[0];
    assert_eq!(failed.error().kind(), ErrorKind::BadRequest);
    let lines: Vec<_> = failed.lines().collect();
    assert_eq!(lines.iter().map(|l| l.index).collect::<Vec<_>>(), [Some(0), Some(1), Some(2)]);
    assert!(lines[1].reason.starts_with("invalid column type"), "{}", lines[1].reason);
    assert!(lines[0].reason.contains("parsing failed for write_lp endpoint"), "{}", lines[0].reason);
    assert_eq!(failed.to_line_protocol(), LINES.as_bytes());
    server.verify().unwrap();
}

#[test]
fn cloud_rejections_name_lines_whether_all_or_some_were_written() {
    let four = "a v=1 1\nb v=2 2\nc v=3 3\nd v=4 4";
    let server = ReplayServer::start(Contract::influxdb3_cloud_dedicated()).unwrap();
    // 400: nothing written; lines 2 and 4 named.
    server.expect(
        Exchange::new(Method::Post, "/api/v2/write")
            .body(four)
            .respond_recorded(&recorded::V3_DEDICATED_REJECTED_POINTS),
    );
    // 201 (partial writes configured on the cluster): the same lines refused, the others written.
    server.expect(
        Exchange::new(Method::Post, "/api/v2/write")
            .body(four)
            .respond(201, recorded::V3_DEDICATED_REJECTED_POINTS.body)
            .respond_header("content-type", "application/json"),
    );
    let c = Client::builder(server.url()).edition(Edition::CloudDedicated).database("mydb").token("t").build().unwrap();
    let opts = WriterOptions::new().batch_size(100).mode(WriteMode::Batching).client_timestamps(false);
    rt().block_on(async {
        for (written, rejected, failed) in [(0, 2, 2), (2, 2, 0)] {
            let w = c.untyped_writer(opts.clone()).unwrap();
            for l in four.lines() {
                w.write_line(l).await.unwrap();
            }
            let report = w.close().await.unwrap();
            assert_eq!((report.stats.written, report.stats.rejected, report.stats.failed), (written, rejected, failed));
            let named: Vec<(Option<u64>, String)> = report.failed[0]
                .lines()
                .filter(|l| !l.reason.contains("failed to parse"))
                .map(|l| (l.index, l.reason.into_owned()))
                .collect();
            assert_eq!(
                named,
                [
                    (Some(1), "Invalid measurement was provided".to_owned()),
                    (Some(3), "Unable to parse timestamp value '123461000000000000000000000000'".to_owned())
                ]
            );
        }
    });
    server.verify().unwrap();
}

// ---- queries ----

#[derive(InfluxPoint, Debug, PartialEq)]
#[influx(measurement = "home")]
struct Reading {
    #[tag]
    room: String,
    temp: f64,
    hum: Option<f64>,
    #[time]
    time: DateTime<Utc>,
}

#[test]
fn influxql_json_rows_decode_into_derived_structs_with_the_measurement_as_series() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_influxql")
            .header("content-type", "application/json")
            .json_body(json!({"db": "mydb", "q": "SELECT * FROM home", "format": "json"}))
            .respond_recorded(&recorded::V3_QUERY_INFLUXQL_JSON),
    );
    let c = client(&server);
    let mut names = Vec::new();
    let mut rows = Vec::new();
    rt().block_on(c.query_each(Query::influxql("SELECT * FROM home"), |r: Reading, s| {
        names.push(s.name().to_owned());
        rows.push(r);
    }))
    .unwrap();
    assert_eq!(names, ["home", "home"]);
    assert_eq!(
        rows[0],
        Reading { room: "Kitchen".into(), temp: 21.5, hum: None, time: "2025-01-01T00:00:00Z".parse().unwrap() }
    );
    assert_eq!(rows[1].time, "2025-01-01T01:00:00Z".parse::<DateTime<Utc>>().unwrap());
    server.verify().unwrap();
}

#[test]
fn sql_params_are_sent_as_the_params_object() {
    let server = core();
    let body = b"{\"time\":\"1970-01-01T00:00:00.000000123\",\"room\":\"Kitchen\",\"temp\":0.30000000000000004}\n\
                 {\"time\":\"1970-01-01T00:00:00.000000124\",\"room\":\"it's\",\"temp\":-1e-310,\"hum\":55}\n";
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .json_body(json!({
                "db": "mydb",
                "q": "SELECT * FROM home WHERE room = $room AND temp > $min",
                "format": "jsonl",
                "params": {"room": "it's", "min": -0.5}
            }))
            .respond(200, &body[..])
            .respond_header("content-type", "application/jsonl"),
    );
    let c = client(&server);
    let q = Query::sql("SELECT * FROM home WHERE room = $room AND temp > $min")
        .bind("room", "it's")
        .bind("min", -0.5)
        .format(Format::Jsonl);
    let rows: Vec<Reading> = rt().block_on(c.query_as(q)).unwrap();
    assert_eq!(rows[0].time.timestamp_nanos_opt(), Some(123));
    assert_eq!(rows[0].temp.to_bits(), (0.1_f64 + 0.2).to_bits());
    assert_eq!(rows[1].temp.to_bits(), (-1e-310_f64).to_bits());
    assert_eq!((rows[0].hum, rows[1].hum), (None, Some(55.0)));
    assert_eq!(rows[1].room, "it's");
    server.verify().unwrap();
}

#[test]
fn jsonl_streams_into_tuples_and_serde_types() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .json_body(json!({"db": "mydb", "q": "SHOW TABLES", "format": "jsonl"}))
            .respond_recorded(&recorded::V3_QUERY_SQL_JSONL)
            .times(2),
    );
    #[derive(serde::Deserialize)]
    struct Table {
        table_schema: String,
        table_name: String,
    }
    let c = client(&server);
    rt().block_on(async {
        let stream = c.query_stream::<(String, String, String, String)>("SHOW TABLES").await.unwrap();
        let rows: Vec<_> = stream.try_collect().await.unwrap();
        assert_eq!(rows.len(), 20);
        assert_eq!(rows[0].2, "system_cpu");
        let stream = c.query_stream::<SerdeRow<Table>>("SHOW TABLES").await.unwrap();
        let tables: Vec<_> = stream.try_collect().await.unwrap();
        assert_eq!(tables.iter().filter(|t| t.0.table_schema == "iox").count(), 9);
        assert_eq!(tables[19].0.table_name, "schemata");
    });
    server.verify().unwrap();
}

#[test]
fn trap_a_200_with_an_empty_body_is_a_failed_query() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .respond(200, "")
            .respond_header("content-type", "application/json"),
    );
    let c = client(&server);
    let e = rt().block_on(c.query_as::<(i64,)>("SELECT 1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Truncated);
    assert!(e.to_string().contains("empty body"), "{e}");
    server.verify().unwrap();
}

#[test]
fn trap_an_answer_cut_off_mid_stream() {
    let server = core();
    let jsonl = recorded::V3_QUERY_SQL_JSONL.body;
    let cut = &jsonl[..jsonl.len() / 2];
    let json = recorded::V3_QUERY_SQL_JSON.body;
    server.expect(Exchange::new(Method::Post, "/api/v3/query_sql").respond(200, cut).times(2));
    server.expect(Exchange::new(Method::Post, "/api/v3/query_sql").respond(200, &json[..json.len() - 1]));
    let c = client(&server);
    rt().block_on(async {
        let q = Query::sql("SHOW TABLES");
        let mut s = c.query_stream::<(String, String, String, String)>(q.clone()).await.unwrap();
        let mut n = 0;
        let e = loop {
            match s.try_next().await {
                Ok(Some(_)) => n += 1,
                Ok(None) => panic!("a cut-off answer ended cleanly after {n} rows"),
                Err(e) => break e,
            }
        };
        assert_eq!(e.kind(), ErrorKind::Truncated, "{e}");
        assert_eq!(n, 10, "the complete rows before the cut are delivered");
        let e = c.query_as::<SerdeRow<serde_json::Value>>(q.clone().format(Format::Jsonl)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Truncated);
        let e = c.query_as::<SerdeRow<serde_json::Value>>(q).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Truncated, "json without its closing bracket: {e}");
    });
    server.verify().unwrap();
}

#[test]
fn trap_an_error_object_instead_of_rows() {
    let server = core();
    let error = br#"{"error":"query execution failed: resources exhausted","data":null}"#;
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .respond(200, &error[..])
            .respond_header("content-type", "application/json")
            .times(3),
    );
    let c = client(&server);
    rt().block_on(async {
        for q in [Query::sql("SELECT 1"), Query::sql("SELECT 1").format(Format::Jsonl)] {
            let e = c.query_as::<(i64,)>(q).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Query, "{e}");
            assert_eq!(e.server_message(), Some("query execution failed: resources exhausted"));
        }
        let mut s = c.query_stream::<(i64,)>("SELECT 1").await.unwrap();
        assert_eq!(s.try_next().await.unwrap_err().kind(), ErrorKind::Query);
    });
    server.verify().unwrap();
}

#[test]
fn query_errors_are_typed() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql").respond_recorded(&recorded::V3_QUERY_DATABASE_NOT_FOUND),
    );
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .respond(500, "Error during planning: table 'nope' not found")
            .respond_header("content-type", "text/plain"),
    );
    let c = client(&server);
    rt().block_on(async {
        assert_eq!(c.query_as::<(i64,)>("SELECT 1").await.unwrap_err().kind(), ErrorKind::DatabaseNotFound);
        let e = c.query_as::<(i64,)>("SELECT * FROM nope").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server);
        assert!(e.to_string().contains("table 'nope' not found"), "{e}");
        let e = c.query_as::<(i64,)>(Query::sql("SELECT 1").format(Format::Csv)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Builder, "csv is for query_bytes");
    });
    server.verify().unwrap();
}

#[test]
fn query_bytes_returns_other_formats_as_sent() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .json_body(json!({"db": "mydb", "q": "SELECT room FROM home", "format": "csv"}))
            .respond(200, "room\nKitchen\n")
            .respond_header("content-type", "text/csv"),
    );
    let c = client(&server);
    let csv = rt().block_on(c.query_bytes(Query::sql("SELECT room FROM home").format(Format::Csv))).unwrap();
    assert_eq!(&csv[..], b"room\nKitchen\n");
    server.verify().unwrap();
}

// ---- management ----

#[test]
fn databases_tables_and_caches() {
    let server = core();
    server
        .expect(
            Exchange::new(Method::Get, "/api/v3/configure/database")
                .query("format", "json")
                .respond(200, r#"[{"iox::database":"_internal"},{"iox::database":"mydb"}]"#)
                .respond_header("content-type", "application/json"),
        )
        .expect(
            Exchange::new(Method::Get, "/api/v3/configure/database")
                .respond(200, r#"{"databases":["mydb"]}"#)
                .respond_header("content-type", "application/json"),
        )
        .expect(
            Exchange::new(Method::Post, "/api/v3/configure/database")
                .json_body(json!({"db": "sensors", "retention_period": "30d"}))
                .respond(200, ""),
        )
        .expect(Exchange::new(Method::Delete, "/api/v3/configure/database").query("db", "sensors").respond(200, ""))
        .expect(
            Exchange::new(Method::Post, "/api/v3/configure/table")
                .json_body(json!({"db": "mydb", "table": "home", "tags": ["room"], "fields": [{"name": "temp", "type": "float64"}]}))
                .respond(200, ""),
        )
        .expect(
            Exchange::new(Method::Post, "/api/v3/query_sql")
                .json_body(json!({"db": "mydb", "q": "SHOW TABLES", "format": "json"}))
                .respond_recorded(&recorded::V3_QUERY_SQL_JSON),
        )
        .expect(
            Exchange::new(Method::Delete, "/api/v3/configure/table")
                .query("db", "mydb")
                .query("table", "home")
                .respond(200, ""),
        )
        .expect(
            Exchange::new(Method::Post, "/api/v3/configure/last_cache")
                .json_body(json!({"db": "mydb", "table": "home", "name": "last_temp", "key_columns": ["room"], "value_columns": ["temp"], "count": 5, "ttl": 3600}))
                .respond(201, ""),
        )
        .expect(
            Exchange::new(Method::Delete, "/api/v3/configure/last_cache")
                .query("db", "mydb")
                .query("table", "home")
                .query("name", "last_temp")
                .respond(200, ""),
        )
        .expect(
            Exchange::new(Method::Post, "/api/v3/configure/distinct_cache")
                .json_body(json!({"db": "mydb", "table": "home", "columns": ["room"], "name": "rooms", "max_cardinality": 100, "max_age": 86400}))
                .respond(201, ""),
        )
        .expect(
            Exchange::new(Method::Delete, "/api/v3/configure/distinct_cache")
                .query("name", "rooms")
                .respond(200, ""),
        )
        .expect(
            Exchange::new(Method::Post, "/api/v3/query_sql")
                .json_body(json!({"db": "mydb", "q": "SELECT \"room\", \"temp\" FROM last_cache('home', 'last_temp')", "format": "json"}))
                .respond(200, r#"[{"room":"Kitchen","temp":21.5}]"#)
                .respond_header("content-type", "application/json"),
        );
    let c = client(&server);
    rt().block_on(async {
        assert_eq!(c.databases().list().await.unwrap(), ["_internal", "mydb"]);
        assert_eq!(c.databases().list().await.unwrap(), ["mydb"]);
        c.databases().create("sensors", Some(std::time::Duration::from_secs(30 * 86_400))).await.unwrap();
        c.databases().delete("sensors").await.unwrap();
        c.tables().create("home", &["room"], &[FieldSpec::new("temp", FieldType::Float64)]).await.unwrap();
        assert_eq!(c.tables().list().await.unwrap().len(), 9);
        c.tables().delete("home").await.unwrap();
        let last = LastCache::new("home")
            .name("last_temp")
            .key_columns(["room"])
            .value_columns(["temp"])
            .count(5)
            .ttl(std::time::Duration::from_secs(3600));
        c.caches().create_last(&last).await.unwrap();
        c.caches().delete_last("home", "last_temp").await.unwrap();
        let distinct = DistinctCache::new("home", ["room"])
            .name("rooms")
            .max_cardinality(100)
            .max_age(std::time::Duration::from_secs(86_400));
        c.caches().create_distinct(&distinct).await.unwrap();
        c.caches().delete_distinct("home", "rooms").await.unwrap();
        let rows: Vec<(String, f64)> =
            c.query_as(Query::last_cache("home", Some("last_temp"), &["room", "temp"])).await.unwrap();
        assert_eq!(rows, [("Kitchen".to_owned(), 21.5)]);
    });
    server.verify().unwrap();
}

#[test]
fn tokens_health_and_ping() {
    let server = core();
    let token = r#"{"id":0,"name":"_admin","token":"apiv3_00xx0Xx0xx00XX0x0","hash":"00xx0Xx0xx00XX0x0","created_at":"2025-04-18T14:02:45.331Z","expiry":null}"#;
    server
        .expect(
            Exchange::new(Method::Post, "/api/v3/configure/token/admin")
                .respond(201, token)
                .respond_header("content-type", "application/json"),
        )
        .expect(
            Exchange::new(Method::Post, "/api/v3/configure/token/admin/regenerate")
                .respond(201, token)
                .respond_header("content-type", "application/json"),
        )
        .expect(
            Exchange::new(Method::Post, "/api/v3/configure/token/named_admin")
                .json_body(json!({"token_name": "ci", "expiry_secs": 3600}))
                .respond(201, token)
                .respond_header("content-type", "application/json"),
        )
        .expect(Exchange::new(Method::Delete, "/api/v3/configure/token").query("token_name", "ci").respond(200, ""))
        .expect(Exchange::new(Method::Get, "/health").respond_recorded(&recorded::V3_HEALTH))
        .expect(Exchange::new(Method::Get, "/ping").respond_recorded(&recorded::V3_PING));
    // The first admin token is made by a client with no token at all.
    let fresh = Client::builder(server.url()).build().unwrap();
    let c = client(&server);
    rt().block_on(async {
        let admin = fresh.tokens().create_admin().await.unwrap();
        assert_eq!(admin.token(), "apiv3_00xx0Xx0xx00XX0x0");
        assert!(!format!("{admin:?}").contains("apiv3_00xx"));
        assert_eq!(c.tokens().regenerate_admin().await.unwrap().name, "_admin");
        c.tokens().create_named_admin("ci", Some(std::time::Duration::from_secs(3600))).await.unwrap();
        c.tokens().delete("ci").await.unwrap();
        assert_eq!(c.health().await.unwrap(), "OK");
        let v = c.ping().await.unwrap();
        assert_eq!(
            (v.version.as_str(), v.build.as_str(), v.revision.as_deref()),
            ("3.8.0", "Core", Some("83b589b883"))
        );
    });
    server.verify().unwrap();
}

#[test]
fn cloud_dedicated_ping_has_only_headers() {
    let server = ReplayServer::start(Contract::influxdb3_cloud_dedicated()).unwrap();
    server.expect(
        Exchange::new(Method::Get, "/ping")
            .respond(204, "")
            .respond_header("x-influxdb-version", "3.0")
            .respond_header("x-influxdb-build", "cloud-dedicated"),
    );
    let c = Client::builder(server.url()).edition(Edition::CloudDedicated).build().unwrap();
    let v = rt().block_on(c.ping()).unwrap();
    assert_eq!((v.version.as_str(), v.build.as_str()), ("3.0", "cloud-dedicated"));
    server.verify().unwrap();
}

#[test]
fn a_request_off_the_contract_is_caught() {
    // The replay server is strict: this is what makes the tests above mean something.
    let server = core();
    server.expect(Exchange::new(Method::Post, "/api/v3/write_lp").respond(204, "").any_times());
    let auth = [("authorization", "Bearer t")];
    let (status, body) =
        influx::test_util::send(&server.url(), "POST", "/api/v3/write_lp?precision=second", &auth, b"m v=1").unwrap();
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    let problems = server.verify().unwrap_err().to_string();
    assert!(problems.contains("db"), "{problems}");
}

// ---- query_pattern! on 3.x ----

influx::query_pattern! {
    trait HomeQueries {
        /// InfluxQL templates keep their compile-time grammar and run over /api/v3/query_influxql.
        fn warm_rooms(room: &str, min: f64) -> Vec<Reading> =
            "SELECT room, temp, hum FROM home WHERE room = {room} AND temp > {min}";
    }
}

#[test]
fn influxql_patterns_run_on_a_3x_client() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_influxql")
            .json_body(json!({
                "db": "mydb",
                "q": r"SELECT room, temp, hum FROM home WHERE room = 'it\'s' AND temp > 20.5",
                "format": "json"
            }))
            .respond_recorded(&recorded::V3_QUERY_INFLUXQL_JSON),
    );
    let c = client(&server);
    let rows = rt().block_on(c.warm_rooms("it's", 20.5)).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[1].room.as_str(), rows[1].temp, rows[1].hum), ("Kitchen", 22.0, None));
    server.verify().unwrap();
}

// ---- SQL patterns ----

influx::query_pattern! {
    trait HomeSql {
        /// Values become `$` parameters; the count is written as digits.
        fn readings(room: &str, min: f64, limit: u32) -> Vec<Reading> =
            sql "SELECT room, temp, hum, time FROM home WHERE room = {room} AND temp > {min} ORDER BY time LIMIT {limit}";
        /// A table name is a quoted identifier; a time a parameter.
        fn rooms_since(table: influx::Ident<'_>, since: DateTime<Utc>) -> Vec<(i64, String)> =
            sql "SELECT time, room FROM {table} WHERE time >= {since}";
        /// Where a parameter cannot go, the name is quoted as a string literal.
        fn last_temps(table: &str) -> Vec<(String, f64)> = sql "SELECT room, temp FROM last_cache({table})";
        /// `{*}`: the row type's columns, time included.
        fn everything(table: influx::Ident<'_>) -> Vec<Reading> = sql "SELECT {*} FROM {table}";
    }
}

#[test]
fn sql_patterns_render_values_as_params_and_names_quoted() {
    use influx::Render;
    let q = Render.readings("it's", 20.5, 10).unwrap();
    assert_eq!(
        q.text(),
        "SELECT room, temp, hum, time FROM home WHERE room = $room AND temp > $min ORDER BY time LIMIT 10"
    );
    assert_eq!(q.params_json().unwrap(), r#"{"min":20.5,"room":"it's"}"#);
    let since = DateTime::from_timestamp_nanos(1_735_689_600_000_000_001);
    let q = Render.rooms_since(influx::Ident::new(r#"my "home""#), since).unwrap();
    assert_eq!(q.text(), r#"SELECT time, room FROM "my ""home""" WHERE time >= $since"#);
    assert_eq!(q.params_json().unwrap(), r#"{"since":"2025-01-01T00:00:00.000000001Z"}"#);
    assert_eq!(Render.last_temps("it's").unwrap().text(), "SELECT room, temp FROM last_cache('it''s')");
    assert_eq!(
        Render.everything(influx::Ident::new("home")).unwrap().text(),
        r#"SELECT "room", "temp", "hum", "time" FROM "home""#
    );
    // Values SQL cannot carry fail before anything is sent, naming the placeholder.
    let e = Render.readings("a", f64::NAN, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Argument);
    assert!(e.to_string().starts_with("placeholder `{min}`"), "{e}");
}

#[test]
fn sql_patterns_run_on_a_3x_client() {
    let server = core();
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .json_body(json!({
                "db": "mydb",
                "q": "SELECT room, temp, hum, time FROM home WHERE room = $room AND temp > $min ORDER BY time LIMIT 5",
                "format": "json",
                "params": {"room": "Kitchen", "min": 21.0}
            }))
            .respond(200, r#"[{"room":"Kitchen","temp":21.5,"time":"2025-01-01T00:00:00"},{"room":"Kitchen","temp":22.0,"hum":40.5,"time":"2025-01-01T01:00:00"}]"#)
            .respond_header("content-type", "application/json"),
    );
    let c = client(&server);
    let rows = rt().block_on(c.readings("Kitchen", 21.0, 5)).unwrap();
    assert_eq!(
        rows[1],
        Reading { room: "Kitchen".into(), temp: 22.0, hum: Some(40.5), time: "2025-01-01T01:00:00Z".parse().unwrap() }
    );
    server.verify().unwrap();
}

// ---- decoding rules, offline ----

#[test]
fn derived_structs_see_missing_keys_as_nulls_with_errors_that_say_where() {
    #[derive(InfluxPoint, Debug, PartialEq)]
    #[influx(measurement = "home")]
    struct Row {
        #[tag]
        room: String,
        #[tag]
        floor: Option<String>,
        temp: f64,
        hum: Option<f64>,
        #[time]
        time: i64,
    }
    // Row 1 has no `room` and no `floor` (null tags) and no `hum`.
    let body =
        b"{\"room\":\"Kitchen\",\"floor\":\"1\",\"temp\":21.5,\"hum\":40,\"time\":\"2025-01-01T00:00:00.000000001\"}\n\
                 {\"temp\":-0.0,\"time\":\"1677-09-21T00:12:43.145224192\"}\n";
    let rows: Vec<Row> = influx::decode::decode_jsonl(body).unwrap();
    assert_eq!(
        rows[0],
        Row {
            room: "Kitchen".into(),
            floor: Some("1".into()),
            temp: 21.5,
            hum: Some(40.0),
            time: 1_735_689_600_000_000_001
        }
    );
    assert_eq!(rows[1], Row { room: String::new(), floor: None, temp: -0.0, hum: None, time: i64::MIN });
    assert!(rows[1].temp.is_sign_negative());
    // A required field that is null in a row: the row and column are named.
    let body = b"{\"room\":\"a\",\"temp\":1.5,\"time\":\"1970-01-01T00:00:00\"}\n{\"room\":\"b\",\"time\":\"1970-01-01T00:00:01\"}\n";
    let e = influx::decode::decode_jsonl::<Row>(body).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.to_string(), "row 1: column `temp`: found null, expected f64");
    // A required field the answer never had.
    let e = influx::decode::decode_jsonl::<Row>(b"{\"room\":\"a\",\"time\":\"1970-01-01T00:00:00\"}\n").unwrap_err();
    assert_eq!(e.to_string(), "row 0: `temp` is not a column of the series (expected f64)");
}
