//! Answers of every API generation read into Arrow record batches: 2.x annotated CSV and 3.x
//! JSON lines against the replay server (requests checked against the OpenAPI contracts,
//! answers recorded or built to the documented formats; no 2.x or 3.x server runs here), and
//! 1.x per-series frames against a real InfluxDB 1.x.
use crate::support;

use influx::arrow::array::{cast::AsArray, types::*, Array, RecordBatch};
use influx::arrow::datatypes::{DataType, TimeUnit};
use influx::arrow::{decode_answer_series, ReadOptions, SeriesBatch};
use influx::decode::DecodeContext;
use influx::test_util::{recorded, Contract, Exchange, Method, ReplayServer};
use influx::{Client, ErrorKind, Precision, Query, WriteOptions};
use serde_json::json;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn utc() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

fn dict() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

fn names(b: &RecordBatch) -> Vec<String> {
    b.schema().fields().iter().map(|f| f.name().clone()).collect()
}

fn ty(b: &RecordBatch, name: &str) -> DataType {
    b.schema().field_with_name(name).unwrap().data_type().clone()
}

fn col<'a>(b: &'a RecordBatch, name: &str) -> &'a dyn Array {
    b.column(b.schema().index_of(name).unwrap()).as_ref()
}

/// The string values of a dictionary or string column (`None` for nulls).
fn strings(a: &dyn Array) -> Vec<Option<String>> {
    match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().iter().map(|v| v.map(str::to_owned)).collect(),
        DataType::Dictionary(..) => {
            let d = a.as_dictionary::<Int32Type>();
            let values = d.values().as_string::<i32>();
            d.keys().iter().map(|k| k.map(|k| values.value(k as usize).to_owned())).collect()
        }
        t => panic!("not a string column: {t}"),
    }
}

// ---- 2.x: annotated CSV ----------------------------------------------------------------

fn v2(server: &ReplayServer) -> influx::v2::Client {
    influx::v2::Client::builder(server.url()).org("acme").bucket("metrics").token("tok-secret-1").build().unwrap()
}

fn flux_answer(server: &ReplayServer, body: &str) {
    server.expect(
        Exchange::new(Method::Post, "/api/v2/query")
            .query("org", "acme")
            .header("authorization", "Token tok-secret-1")
            .body_contains(r#""annotations":["datatype","group","default"]"#)
            .respond(200, body)
            .respond_header("content-type", "text/csv; charset=utf-8"),
    );
}

/// Two results; the first has two tables whose schemas differ (a column only in the second,
/// `_value` long then double), every annotated type, defaults and empty cells.
const TWO_RESULTS: &str = "\
#group,false,false,true,true,false,false,true,true,false,false,false,false,false\r
#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339Nano,long,string,string,unsignedLong,boolean,duration,base64Binary,string\r
#default,_result,,,,,,,,,,,,fallback\r
,result,table,_start,_stop,_time,_value,_field,host,big,ok,took,blob,note\r
,,0,2023-01-01T00:00:00Z,2023-01-02T00:00:00Z,2023-01-01T00:00:00.000000001Z,-9007199254740992,n,a,18446744073709551615,true,1h2m3ns,aGk=,x\r
,,0,2023-01-01T00:00:00Z,2023-01-02T00:00:00Z,2023-01-01T00:00:01Z,,n,a,,,,,\r
\r
#group,false,false,true,true,false,false,true,true,false\r
#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,double\r
#default,_result,,,,,,,,\r
,result,table,_start,_stop,_time,_value,_field,host,extra\r
,,1,2023-01-01T00:00:00Z,2023-01-02T00:00:00Z,2023-01-01T00:00:02Z,0.30000000000000004,n,b,-1e-310\r
\r
#group,false,false,false,false\r
#datatype,string,long,string,long\r
#default,other,,,\r
,result,table,k,v\r
,,0,\"a,\"\"b\"\"\",7\r
";

#[test]
fn flux_results_become_one_batch_each_typed_by_the_annotations() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    flux_answer(&server, TWO_RESULTS);
    let batches = rt().block_on(v2(&server).query_arrow(r#"from(bucket: "metrics") |> range(start: -1d)"#)).unwrap();
    server.verify().unwrap();
    assert_eq!(batches.len(), 2);
    let b = &batches[0];
    assert_eq!(b.schema().metadata()["result"], "_result");
    assert_eq!(
        names(b),
        ["table", "_start", "_stop", "_time", "_value", "_field", "host", "big", "ok", "took", "blob", "note", "extra"]
    );
    assert_eq!(b.num_rows(), 3);
    for (name, t) in [
        ("table", DataType::Int64),
        ("_start", utc()),
        ("_stop", utc()),
        ("_time", utc()),
        // long in table 0, double in table 1: every long is exact as a float, so Float64.
        ("_value", DataType::Float64),
        ("_field", dict()),
        ("host", dict()),
        ("big", DataType::UInt64),
        ("ok", DataType::Boolean),
        ("took", DataType::Duration(TimeUnit::Nanosecond)),
        ("blob", DataType::Binary),
        ("note", DataType::Utf8),
        ("extra", DataType::Float64),
    ] {
        assert_eq!(ty(b, name), t, "{name}");
    }
    assert_eq!(col(b, "table").as_primitive::<Int64Type>().values().to_vec(), [0, 0, 1]);
    let time = col(b, "_time").as_primitive::<TimestampNanosecondType>();
    assert_eq!(
        time.values().to_vec(),
        [1_672_531_200_000_000_001, 1_672_531_201_000_000_000, 1_672_531_202_000_000_000]
    );
    let value = col(b, "_value").as_primitive::<Float64Type>();
    assert_eq!(value.value(0), -9_007_199_254_740_992.0);
    assert!(value.is_null(1));
    assert_eq!(value.value(2).to_bits(), (0.1f64 + 0.2).to_bits());
    assert_eq!(strings(col(b, "host")), [Some("a".into()), Some("a".into()), Some("b".into())]);
    let big = col(b, "big").as_primitive::<UInt64Type>();
    assert_eq!(big.value(0), u64::MAX);
    assert!(big.is_null(1) && big.is_null(2), "null in table 0, missing from table 1");
    let ok = col(b, "ok").as_boolean();
    assert!(ok.value(0) && ok.is_null(1));
    let took = col(b, "took").as_primitive::<DurationNanosecondType>();
    assert_eq!(took.value(0), 3_720_000_000_003);
    assert_eq!(col(b, "blob").as_binary::<i32>().value(0), b"hi");
    // An empty cell takes `#default`; a column missing from a table is null there.
    assert_eq!(strings(col(b, "note")), [Some("x".into()), Some("fallback".into()), None]);
    let extra = col(b, "extra").as_primitive::<Float64Type>();
    assert!(extra.is_null(0) && extra.is_null(1));
    assert_eq!(extra.value(2).to_bits(), (-1e-310f64).to_bits());

    let o = &batches[1];
    assert_eq!(o.schema().metadata()["result"], "other");
    assert_eq!(names(o), ["table", "k", "v"]);
    assert_eq!(strings(col(o, "k")), [Some("a,\"b\"".into())]);
    assert_eq!(col(o, "v").as_primitive::<Int64Type>().value(0), 7);
}

#[test]
fn flux_answers_stream_as_batches_of_at_most_n_rows_with_types_fixed_once_sent() {
    use futures::TryStreamExt;
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(
        Exchange::new(Method::Post, "/api/v2/query").respond_recorded(&recorded::V2_QUERY_SINGLE_RESULT).times(2),
    );
    flux_answer(&server, TWO_RESULTS);
    flux_answer(&server, TWO_RESULTS);
    let c = v2(&server);
    rt().block_on(async {
        let whole = c.query_arrow("x").await.unwrap();
        let parts: Vec<RecordBatch> = c.query_arrow_stream("x", 2).await.unwrap().try_collect().await.unwrap();
        assert_eq!(parts.iter().map(RecordBatch::num_rows).collect::<Vec<_>>(), [2, 1]);
        for (i, f) in whole[0].schema().fields().iter().enumerate() {
            let streamed: Vec<String> = parts.iter().flat_map(|p| cells(p.column(i).as_ref())).collect();
            assert_eq!(streamed, cells(whole[0].column(i).as_ref()), "{}", f.name());
        }

        // Large enough batches: the whole answer's batches.
        let parts: Vec<RecordBatch> = c.query_arrow_stream("x", 1000).await.unwrap().try_collect().await.unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].schema().metadata()["result"], "other");
        // One row a batch: `_value` went out as Int64 before table 1 made it double.
        let mut s = c.query_arrow_stream("x", 1).await.unwrap();
        let first = s.try_next().await.unwrap().unwrap();
        assert_eq!((first.num_rows(), ty(&first, "_value")), (1, DataType::Int64));
        assert_eq!(s.try_next().await.unwrap().unwrap().num_rows(), 1);
        let e = s.try_next().await.unwrap_err();
        assert!(e.to_string().contains("table 1") && e.to_string().contains("`_value`"), "{e}");
        assert!(s.try_next().await.unwrap().is_none());
    });
    server.verify().unwrap();
}

/// The cells of a column as text, floats by their bits (the few types these tests stream).
fn cells(a: &dyn Array) -> Vec<String> {
    let show = |v: Option<String>| v.unwrap_or_else(|| "null".into());
    match a.data_type() {
        DataType::Int64 => a.as_primitive::<Int64Type>().iter().map(|v| show(v.map(|v| v.to_string()))).collect(),
        DataType::UInt64 => a.as_primitive::<UInt64Type>().iter().map(|v| show(v.map(|v| v.to_string()))).collect(),
        DataType::Float64 => {
            a.as_primitive::<Float64Type>().iter().map(|v| show(v.map(|v| v.to_bits().to_string()))).collect()
        }
        DataType::Timestamp(..) => {
            a.as_primitive::<TimestampNanosecondType>().iter().map(|v| show(v.map(|v| v.to_string()))).collect()
        }
        _ => strings(a).into_iter().map(show).collect(),
    }
}

#[test]
fn recorded_flux_answers_decode_and_a_type_change_without_a_lossless_widening_is_an_error() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(Exchange::new(Method::Post, "/api/v2/query").respond_recorded(&recorded::V2_QUERY_SINGLE_RESULT));
    server.expect(Exchange::new(Method::Post, "/api/v2/query").respond_recorded(&recorded::V2_QUERY_MULTIPLE_TABLES));
    server.expect(Exchange::new(Method::Post, "/api/v2/query").respond_recorded(&recorded::V2_QUERY_ERROR_TABLE));
    let c = v2(&server);
    let q = r#"from(bucket: "metrics") |> range(start: -30d) |> mean()"#;
    rt().block_on(async {
        let batches = c.query_arrow(q).await.unwrap();
        assert_eq!(batches.len(), 1);
        let b = &batches[0];
        assert_eq!(b.schema().metadata()["result"], "mean");
        assert_eq!(b.num_rows(), 3);
        let v: Vec<u64> = col(b, "_value").as_primitive::<Float64Type>().values().iter().map(|v| v.to_bits()).collect();
        assert_eq!(v, [15.43f64.to_bits(), 59.25f64.to_bits(), 52.62f64.to_bits()]);
        assert_eq!(ty(b, "_measurement"), dict());
        assert_eq!(strings(col(b, "host")), [Some("A".into()), Some("B".into()), Some("C".into())]);

        // The docs' "multiple tables" answer: `_value` is double, then string in later tables.
        let e = c.query_arrow(q).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.to_string().contains("table 3") && e.to_string().contains("`_value`"), "{e}");

        let e = c.query_arrow(q).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Query, "{e}");
    });
    server.verify().unwrap();
}

#[test]
fn an_integer_a_float_cannot_hold_is_an_error_naming_the_column() {
    let body = "\
#group,false,false,false\r
#datatype,string,long,long\r
#default,_result,,\r
,result,table,_value\r
,,0,9007199254740993\r
\r
#group,false,false,false\r
#datatype,string,long,double\r
#default,_result,,\r
,result,table,_value\r
,,1,0.5\r
";
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    flux_answer(&server, body);
    let e = rt().block_on(v2(&server).query_arrow("x")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("column `_value`") && e.to_string().contains("9007199254740993"), "{e}");
    // A double column then a long one: each integer is checked as it joins.
    let body = "\
#group,false,false,false\r
#datatype,string,long,double\r
#default,_result,,\r
,result,table,_value\r
,,0,0.5\r
\r
#group,false,false,false\r
#datatype,string,long,long\r
#default,_result,,\r
,result,table,_value\r
,,1,7\r
,,1,9007199254740993\r
";
    let e = influx::arrow::decode_flux_answer(body.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("result `_result`, table 1, row 1") && e.to_string().contains("`_value`"), "{e}");
}

// ---- 3.x: JSON lines ---------------------------------------------------------------------

fn v3(server: &ReplayServer) -> influx::v3::Client {
    influx::v3::Client::builder(server.url()).database("mydb").token("apiv3_tok").build().unwrap()
}

fn jsonl_answer(server: &ReplayServer, path: &str, q: &str, body: &[u8]) {
    server.expect(
        Exchange::new(Method::Post, path)
            .json_body(json!({"db": "mydb", "q": q, "format": "jsonl"}))
            .respond(200, body)
            .respond_header("content-type", "application/jsonl"),
    );
}

#[test]
fn jsonl_answers_become_one_batch_typed_as_1x_answers_are() {
    let server = ReplayServer::start(Contract::influxdb3_core()).unwrap();
    let q = "SELECT * FROM home";
    let body = b"{\"room\":\"Kitchen\",\"temp\":0.30000000000000004,\"n\":3,\"on\":true,\"time\":\"2025-01-01T00:00:00.000000001\"}\n\
                 {\"room\":\"Den\",\"temp\":-1e-310,\"n\":18446744073709551615,\"time\":\"2025-01-01T00:00:01\",\"hum\":40}\n\
                 {\"room\":\"Attic\",\"n\":4,\"on\":false,\"time\":\"2025-01-01T00:00:02\",\"hum\":41.5}\n";
    jsonl_answer(&server, "/api/v3/query_sql", q, body);
    jsonl_answer(&server, "/api/v3/query_sql", q, body);
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .json_body(json!({"db": "mydb", "q": "SHOW TABLES", "format": "jsonl"}))
            .respond_recorded(&recorded::V3_QUERY_SQL_JSONL),
    );
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_influxql")
            .json_body(json!({"db": "mydb", "q": "SELECT * FROM home", "format": "json"}))
            .respond_recorded(&recorded::V3_QUERY_INFLUXQL_JSON),
    );
    let c = v3(&server);
    rt().block_on(async {
        // A `json` answer (asked for by the query) reads the same way; 3.x writes the float
        // 22 as `22.0`, so the column is Float64 without naming its type.
        let json = influx::v3::Query::influxql("SELECT * FROM home").format(influx::v3::Format::Json);
        let b = c.query_arrow(json, &ReadOptions::new()).await.unwrap();
        assert_eq!(names(&b), ["time", "room", "temp"]);
        assert_eq!(b.schema().metadata()["measurement"], "home");
        assert_eq!(col(&b, "temp").as_primitive::<Float64Type>().values().to_vec(), [21.5, 22.0]);

        let b = c.query_arrow(q, &ReadOptions::new()).await.unwrap();
        assert_eq!(names(&b), ["room", "temp", "n", "on", "time", "hum"]);
        assert_eq!(b.num_rows(), 3);
        assert_eq!(ty(&b, "time"), utc());
        assert_eq!(ty(&b, "room"), DataType::Utf8);
        assert_eq!(ty(&b, "on"), DataType::Boolean);
        // 3 then u64::MAX: Int64 widened to UInt64 (none negative).
        assert_eq!(ty(&b, "n"), DataType::UInt64);
        assert_eq!(col(&b, "n").as_primitive::<UInt64Type>().values().to_vec(), [3, u64::MAX, 4]);
        // 40 then 41.5: widened to Float64 (40 is exact), null where the row left it out.
        let hum = col(&b, "hum").as_primitive::<Float64Type>();
        assert!(hum.is_null(0));
        assert_eq!((hum.value(1), hum.value(2)), (40.0, 41.5));
        let temp = col(&b, "temp").as_primitive::<Float64Type>();
        assert_eq!(temp.value(0).to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(temp.value(1).to_bits(), (-1e-310f64).to_bits());
        assert!(temp.is_null(2));
        let time = col(&b, "time").as_primitive::<TimestampNanosecondType>();
        assert_eq!(
            time.values().to_vec(),
            [1_735_689_600_000_000_001, 1_735_689_601_000_000_000, 1_735_689_602_000_000_000]
        );
        assert!(col(&b, "on").as_boolean().is_null(1));

        // `ReadOptions::field_type` names a column's type.
        let opts = ReadOptions::new().field_type("hum", DataType::Float64).field_type("n", DataType::UInt64);
        let b = c.query_arrow(q, &opts).await.unwrap();
        assert_eq!(ty(&b, "hum"), DataType::Float64);

        // The recorded SHOW TABLES answer.
        let b = c.query_arrow("SHOW TABLES", &ReadOptions::new()).await.unwrap();
        assert_eq!(names(&b), ["table_catalog", "table_schema", "table_name", "table_type"]);
        assert_eq!(b.num_rows(), 20);
        assert_eq!(strings(col(&b, "table_name"))[0].as_deref(), Some("system_cpu"));
    });
    server.verify().unwrap();
}

#[test]
fn jsonl_columns_widen_only_where_lossless_and_influxql_measurements_follow_the_1x_rule() {
    let server = ReplayServer::start(Contract::influxdb3_core()).unwrap();
    let lossy =
        b"{\"v\":9007199254740993,\"time\":\"2025-01-01T00:00:00\"}\n{\"v\":0.5,\"time\":\"2025-01-01T00:00:01\"}\n";
    let strings_after_ints = b"{\"v\":1}\n{\"v\":\"x\"}\n";
    jsonl_answer(&server, "/api/v3/query_sql", "SELECT v FROM m", lossy);
    jsonl_answer(&server, "/api/v3/query_sql", "SELECT v FROM m", strings_after_ints);
    let two = b"{\"iox::measurement\":\"cpu\",\"time\":\"2025-01-01T00:00:00\",\"usage\":0.5}\n\
                {\"iox::measurement\":\"mem\",\"time\":\"2025-01-01T00:00:00\",\"free\":7}\n";
    jsonl_answer(&server, "/api/v3/query_influxql", "SELECT * FROM cpu, mem", two);
    jsonl_answer(&server, "/api/v3/query_influxql", "SELECT * FROM cpu, mem", two);
    let c = v3(&server);
    rt().block_on(async {
        let e = c.query_arrow("SELECT v FROM m", &ReadOptions::new()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.to_string().contains("row 1") && e.to_string().contains("column `v`"), "{e}");
        let e = c.query_arrow("SELECT v FROM m", &ReadOptions::new()).await.unwrap_err();
        assert!(e.to_string().contains("column `v`: holds strings after values of type Int64"), "{e}");

        let q = || influx::v3::Query::influxql("SELECT * FROM cpu, mem");
        let e = c.query_arrow(q(), &ReadOptions::new()).await.unwrap_err();
        assert!(e.to_string().contains("measurement_column"), "{e}");
        let b = c.query_arrow(q(), &ReadOptions::new().measurement_column("measurement")).await.unwrap();
        assert_eq!(names(&b), ["time", "usage", "measurement", "free"]);
        assert_eq!(ty(&b, "measurement"), dict());
        assert_eq!(strings(col(&b, "measurement")), [Some("cpu".into()), Some("mem".into())]);
        assert!(col(&b, "usage").is_null(1) && col(&b, "free").is_null(0));
    });
    server.verify().unwrap();
}

#[test]
fn jsonl_answers_stream_as_batches_of_at_most_n_rows_with_late_columns_and_nulls() {
    use futures::TryStreamExt;
    let server = ReplayServer::start(Contract::influxdb3_core()).unwrap();
    let q = "SELECT * FROM home";
    // `hum` first appears in row 2 (the second batch of two rows), `temp` is missing from rows
    // 1 and 4 (nulls), `n` is 3 then u64::MAX inside one batch (widened to UInt64 there).
    let body = b"{\"room\":\"Kitchen\",\"temp\":0.30000000000000004,\"time\":\"2025-01-01T00:00:00.000000001\"}\n\
                 {\"room\":\"Den\",\"time\":\"2025-01-01T00:00:01\"}\n\
                 {\"room\":\"Attic\",\"temp\":-1e-310,\"time\":\"2025-01-01T00:00:02\",\"hum\":40,\"n\":3}\n\
                 {\"room\":\"Hall\",\"temp\":21.5,\"time\":\"2025-01-01T00:00:03\",\"n\":18446744073709551615}\n\
                 {\"room\":\"Loft\",\"time\":\"2025-01-01T00:00:04\",\"hum\":41}\n";
    for _ in 0..3 {
        jsonl_answer(&server, "/api/v3/query_sql", q, body);
    }
    let c = v3(&server);
    let opts = ReadOptions::new().field_type("hum", DataType::Float64);
    rt().block_on(async {
        let whole = c.query_arrow(q, &opts).await.unwrap();
        let parts: Vec<RecordBatch> = c.query_arrow_stream(q, &opts, 2).await.unwrap().try_collect().await.unwrap();
        assert_eq!(parts.iter().map(RecordBatch::num_rows).collect::<Vec<_>>(), [2, 2, 1]);
        // Each batch's schema begins with the one before: a late column is added after them.
        assert_eq!(names(&parts[0]), ["room", "temp", "time"]);
        assert_eq!(names(&parts[1]), ["room", "temp", "time", "hum", "n"]);
        assert_eq!(parts[1].schema(), parts[2].schema(), "types stay as the earlier batch sent them");
        assert_eq!(names(&whole), names(&parts[2]));
        for (i, f) in whole.schema().fields().iter().enumerate() {
            assert_eq!(parts[2].schema().field(i), f.as_ref(), "the streamed type of {}", f.name());
            let streamed: Vec<String> = parts
                .iter()
                .flat_map(|p| match p.schema().index_of(f.name()) {
                    Ok(j) => cells(p.column(j).as_ref()),
                    Err(_) => vec!["null".into(); p.num_rows()],
                })
                .collect();
            assert_eq!(streamed, cells(whole.column(i).as_ref()), "{}", f.name());
        }
        let temp = col(&parts[0], "temp").as_primitive::<Float64Type>();
        assert_eq!(temp.value(0).to_bits(), (0.1f64 + 0.2).to_bits());
        assert!(temp.is_null(1));
        assert_eq!(col(&parts[1], "n").as_primitive::<UInt64Type>().values().to_vec(), [3, u64::MAX]);
        assert_eq!(
            col(&parts[2], "time").as_primitive::<TimestampNanosecondType>().value(0),
            1_735_689_604_000_000_000
        );
        assert!(col(&parts[2], "temp").is_null(0) && col(&parts[2], "n").is_null(0));

        // Batches larger than the answer: the whole answer's one batch.
        let parts: Vec<RecordBatch> = c.query_arrow_stream(q, &opts, 1000).await.unwrap().try_collect().await.unwrap();
        assert_eq!(parts, [whole]);
    });
    server.verify().unwrap();
    // Only jsonl streams: another format is refused before anything is sent.
    let e = rt()
        .block_on(c.query_arrow_stream(influx::v3::Query::sql(q).format(influx::v3::Format::Csv), &opts, 2))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Builder);
    assert!(e.to_string().contains("query_arrow_stream reads jsonl, not csv"), "{e}");
}

#[test]
fn jsonl_streams_fix_a_type_once_a_batch_carried_it_and_end_with_the_servers_error() {
    use futures::TryStreamExt;
    let server = ReplayServer::start(Contract::influxdb3_core()).unwrap();
    let q = "SELECT v FROM m";
    let body = b"{\"v\":1,\"time\":\"2025-01-01T00:00:00\"}\n{\"v\":2,\"time\":\"2025-01-01T00:00:01\"}\n\
                 {\"v\":0.5,\"time\":\"2025-01-01T00:00:02\"}\n";
    for _ in 0..3 {
        jsonl_answer(&server, "/api/v3/query_sql", q, body);
    }
    // Cut off in the middle of its 11th row, and an error object instead of rows.
    let jsonl = recorded::V3_QUERY_SQL_JSONL.body;
    server.expect(Exchange::new(Method::Post, "/api/v3/query_sql").respond(200, &jsonl[..jsonl.len() / 2]));
    let error = br#"{"error":"query execution failed: resources exhausted","data":null}"#;
    server.expect(
        Exchange::new(Method::Post, "/api/v3/query_sql")
            .respond(200, &error[..])
            .respond_header("content-type", "application/json"),
    );
    let c = v3(&server);
    rt().block_on(async {
        // Two rows a batch: `v` went out as Int64 before row 2 brought a float.
        let mut s = c.query_arrow_stream(q, &ReadOptions::new(), 2).await.unwrap();
        let first = s.try_next().await.unwrap().unwrap();
        assert_eq!((first.num_rows(), ty(&first, "v")), (2, DataType::Int64));
        let e = s.try_next().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.to_string().contains("row 2") && e.to_string().contains("column `v`"), "{e}");
        assert!(e.to_string().contains("earlier batch"), "{e}");
        assert!(s.try_next().await.unwrap().is_none(), "the stream ends after an error");
        // In one batch the column widens; with its type named it streams as Float64.
        let parts: Vec<RecordBatch> =
            c.query_arrow_stream(q, &ReadOptions::new(), 3).await.unwrap().try_collect().await.unwrap();
        assert_eq!(col(&parts[0], "v").as_primitive::<Float64Type>().values().to_vec(), [1.0, 2.0, 0.5]);
        let opts = ReadOptions::new().field_type("v", DataType::Float64);
        let parts: Vec<RecordBatch> = c.query_arrow_stream(q, &opts, 2).await.unwrap().try_collect().await.unwrap();
        assert_eq!(parts.iter().map(|p| ty(p, "v")).collect::<Vec<_>>(), [DataType::Float64, DataType::Float64]);
        assert_eq!(col(&parts[1], "v").as_primitive::<Float64Type>().value(0), 0.5);

        // The batches before a cut are delivered, then the cut.
        let mut s = c.query_arrow_stream("SHOW TABLES", &ReadOptions::new(), 4).await.unwrap();
        let mut rows = Vec::new();
        let e = loop {
            match s.try_next().await {
                Ok(Some(b)) => rows.push(b.num_rows()),
                Ok(None) => panic!("a cut-off answer ended cleanly after {rows:?}"),
                Err(e) => break e,
            }
        };
        assert_eq!(e.kind(), ErrorKind::Truncated, "{e}");
        assert_eq!(rows, [4, 4]);
        let e = c.query_arrow_stream("SHOW TABLES", &ReadOptions::new(), 4).await.unwrap().try_next().await;
        let e = e.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Query, "{e}");
        assert_eq!(e.server_message(), Some("query execution failed: resources exhausted"));
    });
    server.verify().unwrap();
}

#[cfg(feature = "polars")]
#[test]
fn flux_and_jsonl_answers_read_into_polars_frames() {
    let server = ReplayServer::start(Contract::influxdb2()).unwrap();
    server.expect(Exchange::new(Method::Post, "/api/v2/query").respond_recorded(&recorded::V2_QUERY_SINGLE_RESULT));
    flux_answer(&server, TWO_RESULTS);
    let c = v2(&server);
    let frames = rt().block_on(c.query_polars("x")).unwrap();
    assert_eq!(frames.len(), 1, "one frame per result");
    let f = &frames[0];
    assert_eq!(f.height(), 3);
    let value = f.column("_value").unwrap().f64().unwrap();
    let bits: Vec<u64> = (0..3).map(|i| value.get(i).unwrap().to_bits()).collect();
    assert_eq!(bits, [15.43f64.to_bits(), 59.25f64.to_bits(), 52.62f64.to_bits()]);
    assert_eq!(f.column("host").unwrap().str().unwrap().get(2), Some("C"), "a group key is a string");
    assert_eq!(f.column("_time").unwrap().dtype().to_string(), "datetime[ns, UTC]");
    // Every annotated type crosses, a `duration` as polars' duration in ns.
    let f = &rt().block_on(c.query_polars("x")).unwrap()[0];
    let took = f.column("took").unwrap();
    assert_eq!(took.dtype().to_string(), "duration[ns]");
    assert_eq!(took.duration().unwrap().phys.get(0), Some(3_720_000_000_003));
    assert_eq!(took.duration().unwrap().phys.get(1), None);
    server.verify().unwrap();

    let server = ReplayServer::start(Contract::influxdb3_core()).unwrap();
    let body = b"{\"room\":\"Kitchen\",\"temp\":0.30000000000000004,\"time\":\"2025-01-01T00:00:00.000000001\"}\n\
                 {\"room\":\"Den\",\"time\":\"2025-01-01T00:00:01\"}\n";
    jsonl_answer(&server, "/api/v3/query_sql", "SELECT * FROM home", body);
    let df = rt().block_on(v3(&server).query_polars("SELECT * FROM home", &ReadOptions::new())).unwrap();
    server.verify().unwrap();
    let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
    assert_eq!(names, ["room", "temp", "time"]);
    let temp = df.column("temp").unwrap().f64().unwrap();
    assert_eq!((temp.get(0).map(f64::to_bits), temp.get(1)), (Some((0.1f64 + 0.2).to_bits()), None));
    let time = df.column("time").unwrap();
    assert_eq!(time.dtype().to_string(), "datetime[ns, UTC]");
    assert_eq!(time.datetime().unwrap().phys.get(0), Some(1_735_689_600_000_000_001));
}

// ---- 1.x: per-series frames (real server) -------------------------------------------------

fn key(s: &SeriesBatch) -> (String, Vec<(String, String)>) {
    (s.measurement.clone(), s.tags.clone())
}

#[test]
fn per_series_frames_are_keyed_by_measurement_and_sorted_tags() {
    let url = support::url();
    let db = support::create_db(&url, "frames_series");
    let client = Client::new(url.clone(), db.clone()).unwrap();
    let lines = "cpu,host=b,dc=x usage=0.1,n=1i 1000000001\n\
                 cpu,host=a,dc=x usage=0.30000000000000004,n=2i 1000000002\n\
                 cpu,host=a,dc=x usage=-1e-310 1000000003\n\
                 cpu,host=a,dc=y n=4i 1000000004\n\
                 mem,host=a free=7i 1000000005";
    rt().block_on(async {
        client.write_lp(lines, &WriteOptions::new().precision(Precision::Nanoseconds)).await.unwrap();
        let q = "SELECT usage, n FROM cpu GROUP BY host, dc; SELECT * FROM mem; SELECT * FROM nothing";
        let stmts =
            client.query_arrow_series(q, &ReadOptions::new().field_type("usage", DataType::Float64)).await.unwrap();
        assert_eq!(stmts.len(), 3);
        let cpu = &stmts[0];
        let keys: Vec<_> = cpu.iter().map(key).collect();
        let k = |h: &str, d: &str| {
            ("cpu".to_owned(), vec![("dc".to_owned(), d.to_owned()), ("host".to_owned(), h.to_owned())])
        };
        // In the server's order (series sorted by their tag set).
        assert_eq!(keys, [k("a", "x"), k("b", "x"), k("a", "y")]);
        let ax = &cpu[0].batch;
        assert_eq!(names(ax), ["time", "usage", "n"], "tags are the key, not columns");
        assert_eq!(ax.schema().metadata()["measurement"], "cpu");
        assert_eq!(ty(ax, "time"), utc());
        assert_eq!(
            col(ax, "time").as_primitive::<TimestampNanosecondType>().values().to_vec(),
            [1_000_000_002, 1_000_000_003]
        );
        let usage = col(ax, "usage").as_primitive::<Float64Type>();
        assert_eq!(usage.value(0).to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(usage.value(1).to_bits(), (-1e-310f64).to_bits());
        let n = col(ax, "n").as_primitive::<Int64Type>();
        assert_eq!(n.value(0), 2);
        assert!(n.is_null(1));
        let ay = &cpu[2].batch;
        assert_eq!(ay.num_rows(), 1);
        assert!(col(ay, "usage").is_null(0));
        assert_eq!(stmts[1].len(), 1);
        assert_eq!(key(&stmts[1][0]), ("mem".to_owned(), vec![]));
        assert_eq!(names(&stmts[1][0].batch), ["time", "free", "host"], "without GROUP BY a tag is a column");
        assert!(stmts[2].is_empty());

        // Chunked (a series split across chunks is still one batch): the same frames.
        let q = Query::new("SELECT usage, n FROM cpu GROUP BY host, dc").chunked(true).chunk_size(1);
        let chunked =
            client.query_arrow_series(q, &ReadOptions::new().field_type("usage", DataType::Float64)).await.unwrap();
        assert_eq!(chunked[0].iter().map(key).collect::<Vec<_>>(), keys);
        for (a, b) in chunked[0].iter().zip(cpu) {
            assert_eq!(a.batch, b.batch);
        }
    });

    // The same walker's errors: a statement error is a query error.
    let body = br#"{"results":[{"statement_id":0,"error":"database not found: nope"}]}"#;
    let ctx = DecodeContext::new(Some(Precision::Nanoseconds));
    assert_eq!(decode_answer_series(body, &ctx, &ReadOptions::new()).unwrap_err().kind(), ErrorKind::Query);
}
