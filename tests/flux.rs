//! InfluxDB 2 answers (annotated CSV) into derived structs, serde types and tuples: the
//! shapes the peers get wrong (pivoted answers, an empty `_value`, an error table after data,
//! null versus empty string) and the bench's 200,000-row answer shape.
//!
//! No InfluxDB 2 server runs on our machines: the bodies follow the server's encoder source
//! (see `benches/flux_body.rs`).

use crate::flux_body;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use influx::decode::{decode_flux_records, decode_flux_rows, flux_row_stream, FluxRowDecoder, SerdeRow};
use influx::{ErrorKind, InfluxPoint};

#[derive(Debug, Clone, PartialEq, InfluxPoint)]
#[influx(measurement = "cpu")]
struct Cpu {
    #[time]
    time: i64,
    #[tag]
    host: String,
    #[tag]
    region: String,
    #[tag]
    zone: String,
    b: bool,
    f: f64,
    i: i64,
    s: String,
    u: u64,
}

fn expected(n: usize) -> Cpu {
    let (time, host, region, zone, b, f, i, s, u) = flux_body::cpu_values(n);
    Cpu { time, host, region, zone, b, f, i, s, u }
}

#[test]
fn a_pivoted_answer_decodes_into_a_derived_struct() {
    let rows = 2 * flux_body::ROWS_PER_TABLE + 7;
    let body = flux_body::cpu_body(rows);
    let got: Vec<Cpu> = decode_flux_rows(&body).unwrap();
    assert_eq!(got.len(), rows);
    for (n, row) in got.iter().enumerate() {
        assert_eq!(row, &expected(n), "row {n}");
        assert_eq!(row.f.to_bits(), expected(n).f.to_bits());
    }
    // In odd-sized pieces, as a network gives them.
    let mut d = FluxRowDecoder::<Cpu>::new();
    let mut streamed = Vec::new();
    for piece in body.chunks(4093) {
        d.push(piece, &mut streamed).unwrap();
    }
    d.finish(&mut streamed).unwrap();
    assert_eq!(streamed, got);
    // The records view agrees.
    let recs = decode_flux_records(&body).unwrap();
    assert_eq!(recs[rows - 1].time_ns(), Some(got[rows - 1].time));
    assert_eq!(recs[rows - 1].table().id(), 2);
    assert_eq!(recs[rows - 1].get("s").unwrap().as_str(), Some(&*got[rows - 1].s));
}

#[test]
fn times_decode_into_every_time_type() {
    #[derive(Debug, PartialEq, InfluxPoint)]
    struct T {
        #[time]
        time: DateTime<Utc>,
        f: f64,
        /// Any `dateTime` column decodes as i64 nanoseconds.
        #[influx(rename = "_start")]
        start: i64,
    }
    #[derive(Debug, PartialEq, InfluxPoint)]
    struct S {
        #[time]
        time: std::time::SystemTime,
        f: f64,
    }
    let body = flux_body::cpu_body(3);
    let rows: Vec<T> = decode_flux_rows(&body).unwrap();
    assert_eq!(rows[2].time.timestamp_nanos_opt(), Some(expected(2).time));
    assert_eq!(rows[2].start, 1_699_920_000_000_000_000);
    let rows: Vec<S> = decode_flux_rows(&body).unwrap();
    let ns = expected(1).time as u64;
    assert_eq!(rows[1].time, std::time::UNIX_EPOCH + std::time::Duration::from_nanos(ns));
}

/// `from(bucket:"b") |> range(start: 0) |> filter(fn: (r) => r._measurement == "cpu")`:
/// one table per field, values in `_value` (flux `csv.ResultEncoder`, CRLF).
const UNPIVOTED: &str = "#group,false,false,true,true,false,false,true,true,true\r\n\
#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string\r\n\
#default,_result,,,,,,,,\r\n\
,result,table,_start,_stop,_time,_value,_field,_measurement,host\r\n\
,,0,1970-01-01T00:00:00Z,2023-01-01T00:00:00Z,2022-01-01T00:00:00Z,0.5,usage_idle,cpu,a\r\n\
,,0,1970-01-01T00:00:00Z,2023-01-01T00:00:00Z,2022-01-01T00:00:10Z,,usage_idle,cpu,a\r\n\
,,1,1970-01-01T00:00:00Z,2023-01-01T00:00:00Z,2022-01-01T00:00:00Z,1.5,usage_user,cpu,a\r\n";

#[test]
fn an_unpivoted_answer_fills_the_one_field_named_like_field() {
    #[derive(Debug, PartialEq, InfluxPoint)]
    struct Idle {
        #[time]
        time: i64,
        #[tag]
        host: String,
        usage_idle: Option<f64>,
    }
    // The first table holds `usage_idle`: its `_value` fills the member (an empty one is None).
    let first = &UNPIVOTED[..UNPIVOTED.find(",,1,").unwrap()];
    let rows: Vec<Idle> = decode_flux_rows(first.as_bytes()).unwrap();
    assert_eq!(
        rows,
        [
            Idle { time: 1_640_995_200_000_000_000, host: "a".into(), usage_idle: Some(0.5) },
            Idle { time: 1_640_995_210_000_000_000, host: "a".into(), usage_idle: None },
        ]
    );
    // The second table holds another field: an error that says what to do, not a silent None.
    let err = decode_flux_rows::<Idle>(UNPIVOTED.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(
        err.to_string(),
        "result `_result`, table 1: the table holds field `usage_user` (in `_value`), not `usage_idle`: filter the \
         query on `_field`, or pivot it with `|> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \
         \"_value\")`"
    );
}

#[test]
fn an_unpivoted_answer_into_a_multi_field_struct_says_to_pivot() {
    #[derive(Debug, InfluxPoint)]
    #[allow(dead_code)]
    struct Both {
        #[time]
        time: i64,
        usage_idle: Option<f64>,
        usage_user: Option<f64>,
    }
    let err = decode_flux_rows::<Both>(UNPIVOTED.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "result `_result`, table 0: the table is not pivoted (it holds one field, `usage_idle`, in `_value`) and has \
         no column `usage_user`: pivot the query with `|> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], \
         valueColumn: \"_value\")` to get one column per field"
    );
}

#[test]
fn an_unpivoted_answer_in_long_form() {
    #[derive(Debug, PartialEq, InfluxPoint)]
    struct Long {
        #[time]
        time: i64,
        #[tag]
        #[influx(rename = "_field")]
        field: String,
        #[influx(rename = "_value")]
        value: Option<f64>,
    }
    let rows: Vec<Long> = decode_flux_rows(UNPIVOTED.as_bytes()).unwrap();
    assert_eq!(
        rows.iter().map(|r| (&*r.field, r.value)).collect::<Vec<_>>(),
        [("usage_idle", Some(0.5)), ("usage_idle", None), ("usage_user", Some(1.5))]
    );
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct S {
        _field: String,
        _value: Option<f64>,
        host: String,
    }
    let rows: Vec<SerdeRow<S>> = decode_flux_rows(UNPIVOTED.as_bytes()).unwrap();
    assert_eq!(rows[2].0, S { _field: "usage_user".into(), _value: Some(1.5), host: "a".into() });
}

#[test]
fn an_empty_value_into_a_required_member_is_an_error_that_says_where() {
    #[derive(Debug, InfluxPoint)]
    #[allow(dead_code)]
    struct Idle {
        #[time]
        time: i64,
        usage_idle: f64,
    }
    let first = &UNPIVOTED[..UNPIVOTED.find(",,1,").unwrap()];
    let err = decode_flux_rows::<Idle>(first.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "result `_result`, table 0, row 1 (line 6): column `_value`: found null, expected f64");
}

#[test]
fn null_and_empty_string_read_as_documented() {
    #[derive(Debug, PartialEq, InfluxPoint)]
    struct R {
        #[time]
        time: i64,
        #[tag]
        host: Option<String>,
        note: String,
        opt: Option<String>,
    }
    let body = "#datatype,string,long,dateTime:RFC3339,string,string,string\r\n#group,false,false,false,true,false,false\r\n\
#default,_result,,,,,\r\n,result,table,_time,host,note,opt\r\n,,0,1970-01-01T00:00:00Z,,,\r\n,,0,1970-01-01T00:00:00Z,h,x,y\r\n";
    let rows: Vec<R> = decode_flux_rows(body.as_bytes()).unwrap();
    assert_eq!(rows[0], R { time: 0, host: None, note: String::new(), opt: None });
    assert_eq!(rows[1], R { time: 0, host: Some("h".into()), note: "x".into(), opt: Some("y".into()) });
}

#[tokio::test]
async fn an_error_table_after_data_arrives_after_those_rows() {
    let mut body = flux_body::cpu_body(10);
    body.extend_from_slice(
        b"\r\n#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n,\"query terminated: memory allocation limit reached\",\r\n",
    );
    let pieces: Vec<influx::Result<Vec<u8>>> = body.chunks(100).map(|c| Ok(c.to_vec())).collect();
    let items: Vec<influx::Result<Cpu>> = flux_row_stream(futures::stream::iter(pieces)).collect().await;
    assert_eq!(items.len(), 11);
    for (n, item) in items[..10].iter().enumerate() {
        assert_eq!(item.as_ref().unwrap(), &expected(n));
    }
    let err = items[10].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Query);
    assert_eq!(err.server_message(), Some("query terminated: memory allocation limit reached"));
}

#[test]
fn tuples_see_the_columns_keep_selects() {
    // `|> keep(columns: ["_time", "_value"])`
    let body = "#group,false,false,false,false\r\n#datatype,string,long,dateTime:RFC3339Nano,long\r\n\
#default,_result,,,\r\n,result,table,_time,_value\r\n,,0,2023-01-01T00:00:00.123456789Z,-4\r\n";
    let rows: Vec<(DateTime<Utc>, i64)> = decode_flux_rows(body.as_bytes()).unwrap();
    assert_eq!(rows[0].0.timestamp_subsec_nanos(), 123_456_789);
    assert_eq!(rows[0].1, -4);
}

#[test]
fn the_bench_rows_are_rendered_as_the_encoder_renders_them() {
    // `write_cpu_row` writes without allocating; it must give the bytes of the general encoder.
    for n in [0, 1, 49, 999, 1000, 1999, 2000, 123_456, 4_999_999] {
        let (time, host, region, zone, b, f, i, s, u) = flux_body::cpu_values(n);
        let mut want =
            format!(",,{},2023-11-14T00:00:00Z,2023-11-24T00:00:00Z,", n / flux_body::ROWS_PER_TABLE).into_bytes();
        flux_body::write_time(&mut want, time);
        want.extend_from_slice(format!(",cpu,{host},{region},{zone},{b},").as_bytes());
        flux_body::write_double(&mut want, f);
        want.extend_from_slice(format!(",{i},").as_bytes());
        flux_body::write_cell(&mut want, &s, true);
        want.extend_from_slice(format!(",{u}\r\n").as_bytes());
        let mut got = Vec::new();
        flux_body::write_cpu_row(&mut got, n);
        assert_eq!(String::from_utf8(got).unwrap(), String::from_utf8(want).unwrap(), "row {n}");
    }
}

#[test]
fn a_table_without_time_says_so() {
    #[derive(Debug, InfluxPoint)]
    #[allow(dead_code)]
    struct T {
        #[time]
        time: i64,
        v: f64,
    }
    // `|> keep(columns: ["v"])`
    let body = "#group,false,false,false\r\n#datatype,string,long,double\r\n#default,_result,,\r\n,result,table,v\r\n,,0,1\r\n";
    let err = decode_flux_rows::<T>(body.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "result `_result`, table 0, row 0 (line 5): neither `time` nor `_time` is a column of the series (expected a time)"
    );
}

#[test]
fn decoders_and_records_are_send() {
    fn send<T: Send>() {}
    send::<FluxRowDecoder<Cpu>>();
    send::<influx::decode::FluxRecordDecoder>();
    send::<influx::decode::FluxRecord>();
}
