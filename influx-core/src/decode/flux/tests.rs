use super::*;
use crate::decode::SerdeRow;
use crate::ErrorKind;

const SINGLE: &str = include_str!("testdata/v2-annotated-csv-single-result.csv");
const MULTI: &str = include_str!("testdata/v2-annotated-csv-multiple-tables.csv");
const ERROR: &str = include_str!("testdata/v2-annotated-csv-error.csv");

fn crlf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Both line endings: the docs print `\n`, the server writes `\r\n`.
fn both(s: &str) -> [String; 2] {
    [s.replace("\r\n", "\n"), crlf(s)]
}

fn ns(rfc: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc).unwrap().timestamp_nanos_opt().unwrap()
}

/// Decodes `body` with every split into two chunks, and one byte at a time; all must agree.
fn records_at_every_split(body: &[u8]) -> Vec<FluxRecord> {
    // Debug text compares NaN equal to itself (FluxValue's PartialEq does not).
    let whole = decode_flux_records(body).unwrap();
    let want = format!("{whole:?}");
    for k in 0..=body.len() {
        let mut d = FluxRecordDecoder::new();
        let mut out = Vec::new();
        d.push(&body[..k], &mut out).unwrap();
        d.push(&body[k..], &mut out).unwrap();
        d.finish(&mut out).unwrap();
        assert_eq!(format!("{out:?}"), want, "split at {k}");
    }
    let mut d = FluxRecordDecoder::new();
    let mut out = Vec::new();
    for b in body.chunks(1) {
        d.push(b, &mut out).unwrap();
    }
    d.finish(&mut out).unwrap();
    assert_eq!(format!("{out:?}"), want);
    whole
}

#[test]
fn the_docs_single_result_example() {
    for body in both(SINGLE) {
        let recs = records_at_every_split(body.as_bytes());
        assert_eq!(recs.len(), 3);
        let r = &recs[1];
        assert_eq!((r.result(), r.table().id()), ("mean", 1));
        assert_eq!(r.start(), Some(chrono::DateTime::from_timestamp_nanos(ns("2022-12-31T05:41:24Z"))));
        assert_eq!(r.stop().unwrap().timestamp_nanos_opt(), Some(ns("2023-01-31T05:41:24.001Z")));
        assert_eq!(r.time_ns(), Some(ns("2023-01-01T00:52:00Z")));
        assert_eq!(r.value(), Some(&FluxValue::Double(59.25)));
        assert_eq!((r.field(), r.measurement()), (Some("mem"), Some("m")));
        assert_eq!(r.get("host"), Some(&FluxValue::String("B".into())));
        assert_eq!(r.get("result"), Some(&FluxValue::String("mean".into())));
        assert_eq!(r.get("table"), Some(&FluxValue::Long(1)));
        let names: Vec<_> = r.table().group_key().map(|c| c.name()).collect();
        assert_eq!(names, ["_start", "_stop", "_field", "_measurement", "host", "region"]);
        assert_eq!(r.table().columns()[0].default(), &FluxValue::String("mean".into()));

        // Typed: tuples see every column but `result` and `table`.
        type Row = (i64, i64, i64, f64, String, String, String, String);
        let rows: Vec<Row> = decode_flux_rows(body.as_bytes()).unwrap();
        assert_eq!(rows[2].3, 52.62);
        assert_eq!(rows[2].2, ns("2023-01-01T00:52:00Z"));
        assert_eq!((&*rows[2].4, &*rows[2].6), ("mem", "C"));
    }
}

#[test]
fn the_docs_multiple_tables_example_changes_schema() {
    for body in both(MULTI) {
        let recs = records_at_every_split(body.as_bytes());
        assert_eq!(recs.iter().map(|r| r.table().id()).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5]);
        assert_eq!(recs[0].value(), Some(&FluxValue::Double(15.43)));
        assert_eq!(recs[3].value(), Some(&FluxValue::String("ok".into())));
        assert_eq!(recs[3].table().columns()[2].name(), "_field");
        // A serde type sees columns by name across both schemas.
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct R {
            _field: String,
            host: String,
            _time: String,
            _value: serde_json::Value,
        }
        let rows: Vec<SerdeRow<R>> = decode_flux_rows(body.as_bytes()).unwrap();
        assert_eq!(rows.len(), 6);
        assert_eq!((&*rows[4].0._field, &*rows[4].0.host), ("mem_level", "B"));
        assert_eq!(rows[4].0._time, "2023-01-01T00:00:00Z");
        assert_eq!((&rows[0].0._value, &rows[4].0._value), (&serde_json::json!(15.43), &serde_json::json!("info")));
    }
}

#[test]
fn the_docs_error_example_is_a_query_error() {
    for body in both(ERROR) {
        let err = decode_flux_records(body.as_bytes()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Query);
        assert_eq!(err.to_string(), "query failed: Failed to parse query (reference 897)");
        assert_eq!(err.server_message(), Some("Failed to parse query"));
        assert_eq!(decode_flux_rows::<(i64,)>(body.as_bytes()).unwrap_err().kind(), ErrorKind::Query);
    }
}

/// What the server writes when a query fails after rows went out (flux `csv.ResultEncoder`).
const DATA_THEN_ERROR: &str = "#datatype,string,long,dateTime:RFC3339,double\r\n\
#group,false,false,false,false\r\n\
#default,_result,,,\r\n\
,result,table,_time,_value\r\n\
,,0,2023-01-01T00:00:00Z,1\r\n\
,,0,2023-01-01T00:00:01Z,2\r\n\
\r\n\
#datatype,string,string\r\n\
#group,true,true\r\n\
#default,,\r\n\
,error,reference\r\n\
,\"panic: runtime error, index out of range\",\r\n";

#[test]
fn an_error_table_after_data_fails_after_the_rows_before_it() {
    let mut d = FluxRowDecoder::<(i64, f64)>::new();
    let mut rows = Vec::new();
    let err = d.push(DATA_THEN_ERROR.as_bytes(), &mut rows).unwrap_err();
    assert_eq!(rows, [(ns("2023-01-01T00:00:00Z"), 1.0), (ns("2023-01-01T00:00:01Z"), 2.0)]);
    assert_eq!(err.kind(), ErrorKind::Query);
    assert_eq!(err.to_string(), "query failed: panic: runtime error, index out of range");
    assert_eq!(err.server_message(), Some("panic: runtime error, index out of range"));
    // The decoder stays failed.
    assert_eq!(d.push(b"", &mut rows).unwrap_err().kind(), ErrorKind::Decode);
    // Whole-body decoding reports the error (the rows are not returned).
    assert_eq!(decode_flux_rows::<(i64, f64)>(DATA_THEN_ERROR.as_bytes()).unwrap_err().kind(), ErrorKind::Query);
    // An error header cut off before its message is still the server's error.
    let cut = &DATA_THEN_ERROR[..DATA_THEN_ERROR.find(",\"panic").unwrap()];
    let err = decode_flux_records(cut.as_bytes()).unwrap_err();
    assert_eq!(
        (err.kind(), err.to_string().as_str()),
        (ErrorKind::Query, "query failed: the server sent an error table without a message")
    );
}

#[tokio::test]
async fn the_stream_yields_rows_then_the_error_then_ends() {
    use futures::StreamExt;
    let pieces: Vec<Result<&[u8]>> = DATA_THEN_ERROR.as_bytes().chunks(7).map(Ok).collect();
    let items: Vec<Result<(i64, f64)>> = flux_row_stream(futures::stream::iter(pieces)).collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].as_ref().unwrap().1, 2.0);
    assert_eq!(items[2].as_ref().unwrap_err().kind(), ErrorKind::Query);
    // A transport error mid-body ends the stream the same way.
    let pieces: Vec<Result<&[u8]>> = vec![
        Ok(&DATA_THEN_ERROR.as_bytes()[..DATA_THEN_ERROR.find("01T00:00:01").unwrap()]),
        Err(crate::Error::new(ErrorKind::Transport, "connection reset")),
    ];
    let items: Vec<Result<FluxRecord>> = flux_record_stream(futures::stream::iter(pieces)).collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().value(), Some(&FluxValue::Double(1.0)));
    assert_eq!(items[1].as_ref().unwrap_err().kind(), ErrorKind::Transport);
}

const EVERY_TYPE: &str = "#datatype,string,long,boolean,long,unsignedLong,double,string,dateTime:RFC3339Nano,duration,base64Binary\r\n\
#group,false,false,false,false,false,false,false,false,false,false\r\n\
#default,_result,,,,,,,,,\r\n\
,result,table,b,l,u,d,s,t,dur,bin\r\n\
,,0,true,-9223372036854775808,18446744073709551615,NaN,\"a,\"\"b\"\"\r\nc\",2262-04-11T23:47:16.854775807Z,1h2m3s,aGk=\r\n\
,,0,false,9223372036854775807,0,+Inf,\" lead\",1677-09-21T00:12:43.145224192Z,-5,\r\n\
,,0,,,,-Inf,,,,\r\n\
,,0,t,0,1,-0,ü,1970-01-01T00:00:00.000000001+00:00,1.5s,AA==\r\n";

#[test]
fn every_datatype_decodes_exactly() {
    let recs = records_at_every_split(EVERY_TYPE.as_bytes());
    let v = |r: usize, c: &str| recs[r].get(c).unwrap().clone();
    assert_eq!(v(0, "b"), FluxValue::Bool(true));
    assert_eq!(v(0, "l"), FluxValue::Long(i64::MIN));
    assert_eq!(v(0, "u"), FluxValue::UnsignedLong(u64::MAX));
    assert!(v(0, "d").as_f64().unwrap().is_nan());
    assert_eq!(v(0, "s"), FluxValue::String("a,\"b\"\nc".into()));
    assert_eq!(v(0, "t"), FluxValue::Time(i64::MAX));
    assert_eq!(v(0, "dur"), FluxValue::Duration(3_723_000_000_000));
    assert_eq!(v(0, "bin"), FluxValue::Base64Binary(b"hi".to_vec()));
    assert_eq!(v(1, "l"), FluxValue::Long(i64::MAX));
    assert_eq!(v(1, "d"), FluxValue::Double(f64::INFINITY));
    assert_eq!(v(1, "s"), FluxValue::String(" lead".into()));
    assert_eq!(v(1, "t"), FluxValue::Time(i64::MIN));
    assert_eq!(v(1, "dur"), FluxValue::Duration(-5));
    assert_eq!(v(1, "bin"), FluxValue::Null);
    assert_eq!(v(2, "d"), FluxValue::Double(f64::NEG_INFINITY));
    for c in ["b", "l", "u", "s", "t", "dur", "bin"] {
        assert_eq!(v(2, c), FluxValue::Null, "{c}");
    }
    assert_eq!(v(3, "d").as_f64().map(f64::to_bits), Some((-0.0f64).to_bits()));
    assert_eq!(v(3, "s"), FluxValue::String("ü".into()));
    assert_eq!(v(3, "t"), FluxValue::Time(1));
    assert_eq!(v(3, "bin"), FluxValue::Base64Binary(vec![0]));

    // The same cells into typed rows.
    type Row = (Option<bool>, Option<i64>, Option<u64>, f64, String, Option<i64>, Option<i64>, Option<String>);
    let rows: Vec<Row> = decode_flux_rows(EVERY_TYPE.as_bytes()).unwrap();
    assert_eq!(rows[0].0, Some(true));
    assert_eq!(rows[0].4, "a,\"b\"\nc");
    assert_eq!(rows[0].7.as_deref(), Some("aGk="), "a base64Binary cell asked for a string gives its text");
    assert_eq!(rows[2], (None, None, None, f64::NEG_INFINITY, String::new(), None, None, None));
    assert_eq!(rows[3].1, Some(0));
    // serde: bytes, times as text, durations as ns.
    #[derive(serde::Deserialize)]
    struct S {
        bin: Option<Vec<u8>>,
        t: Option<String>,
        dur: Option<i64>,
        s: Option<String>,
    }
    let rows: Vec<SerdeRow<S>> = decode_flux_rows(EVERY_TYPE.as_bytes()).unwrap();
    assert_eq!(rows[0].0.bin.as_deref(), Some(&b"hi"[..]));
    assert_eq!(rows[0].0.t.as_deref(), Some("2262-04-11T23:47:16.854775807Z"));
    assert_eq!(rows[0].0.dur, Some(3_723_000_000_000));
    assert_eq!((rows[2].0.s.as_deref(), rows[2].0.t.as_deref()), (None, None));
}

#[test]
fn defaults_fill_empty_cells() {
    let body = "#datatype,string,long,double,string,boolean\n#group,false,false,false,true,false\n\
#default,res,7,2.5,x,true\n,result,table,v,tag,b\n,,,,,\n,other,,1,y,false\n";
    let recs = decode_flux_records(body.as_bytes()).unwrap();
    assert_eq!((recs[0].result(), recs[0].table().id()), ("res", 7));
    assert_eq!(recs[0].values()[2..], [FluxValue::Double(2.5), FluxValue::String("x".into()), FluxValue::Bool(true)]);
    assert_eq!((recs[1].result(), recs[1].get("v")), ("other", Some(&FluxValue::Double(1.0))));
    let rows: Vec<(f64, String, bool)> = decode_flux_rows(body.as_bytes()).unwrap();
    assert_eq!(rows, [(2.5, "x".into(), true), (1.0, "y".into(), false)]);
    let bad = "#datatype,string,long,double\n#group,false,false,false\n#default,r,,abc\n,result,table,v\n";
    assert_eq!(
        decode_flux_records(bad.as_bytes()).unwrap_err().to_string(),
        "line 4: column `v`: #default: invalid double \"abc\""
    );
}

#[test]
fn several_results_and_tables_and_series_info() {
    let body = "#datatype,string,long,string,string,double\r\n#group,false,false,true,true,false\r\n\
#default,first,,,,\r\n,result,table,_measurement,host,v\r\n,,0,cpu,a,1\r\n,,0,cpu,a,2\r\n,,1,cpu,b,3\r\n\r\n\
#datatype,string,long,string,string,long\r\n#group,false,false,false,false,false\r\n#default,second,,,,\r\n\
,result,table,_measurement,host,v\r\n,,0,mem,c,4\r\n";
    let mut seen = Vec::new();
    let mut sink = crate::decode::body::FnSink(|row: (String, String, f64), s: &crate::decode::SeriesInfo<'_>| {
        seen.push((
            row,
            s.statement_id(),
            s.name().to_owned(),
            s.tags().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(),
        ));
    });
    let mut d = FluxRowDecoder::new();
    d.inner.push(body.as_bytes(), &mut sink).unwrap();
    d.inner.finish(&mut sink).unwrap();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[0], (("cpu".into(), "a".into(), 1.0), 0, "cpu".into(), vec!["host=a".to_owned()]));
    assert_eq!(seen[2].3, ["host=b"]);
    assert_eq!((seen[3].0 .2, seen[3].1, seen[3].2.as_str()), (4.0, 1, ""));
    let recs = decode_flux_records(body.as_bytes()).unwrap();
    assert_eq!(
        recs.iter().map(|r| (r.result().to_owned(), r.table().id())).collect::<Vec<_>>(),
        [("first".into(), 0), ("first".into(), 0), ("first".into(), 1), ("second".into(), 0)]
    );
}

/// A table whose `_value` is empty (null), as aggregates over empty windows produce.
const EMPTY_VALUE: &str = "#datatype,string,long,dateTime:RFC3339,double,string\r\n\
#group,false,false,false,false,true\r\n#default,_result,,,,\r\n,result,table,_time,_value,_field\r\n\
,,3,2023-01-01T00:00:00Z,1.5,usage\r\n,,3,2023-01-01T00:01:00Z,,usage\r\n";

#[test]
fn an_empty_value_is_null_never_a_panic() {
    let rows: Vec<(i64, Option<f64>, String)> = decode_flux_rows(EMPTY_VALUE.as_bytes()).unwrap();
    assert_eq!(rows[1].1, None);
    let err = decode_flux_rows::<(i64, f64, String)>(EMPTY_VALUE.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.to_string(), "result `_result`, table 3, row 1 (line 6): column `_value`: found null, expected f64");
    assert_eq!(decode_flux_records(EMPTY_VALUE.as_bytes()).unwrap()[1].value(), Some(&FluxValue::Null));
}

#[test]
fn errors_say_where() {
    let body = "#datatype,string,long,string,double\n#group,false,false,false,false\n#default,_result,,,\n\
,result,table,s,_value\n,,0,a,1\n,,0,b,x\n";
    let err = decode_flux_rows::<(String, f64)>(body.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "result `_result`, table 0, row 1 (line 6): column `_value`: invalid double \"x\"");
    let err = decode_flux_records(body.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "result `_result`, table 0, row 1 (line 6): column `_value`: invalid double \"x\"");
    let err = decode_flux_rows::<(f64, f64)>(body.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "result `_result`, table 0, row 0 (line 5): column `s`: found string \"a\", expected f64"
    );
    let err = decode_flux_rows::<(String,)>(body.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "result `_result`, table 0: the series has 2 columns, the tuple 1 elements");
    let err = decode_flux_rows::<(i64,)>(b"#datatype,string,long,long\n#group,false,false,false\n#default,r,,\n,result,table,v\n,,0,9223372036854775808\n")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "result `r`, table 0, row 0 (line 5): column `v`: invalid long \"9223372036854775808\""
    );

    for (body, msg) in [
        (
            ",result,table\n,,0\n",
            "line 1: a header without a #datatype annotation (ask for the annotations datatype, group and default)",
        ),
        (
            "#datatype,string,long,what\n#group,false,false,false\n,result,table,v\n",
            "line 3: column `v` has the unknown datatype `what`",
        ),
        ("#datatype,string,long,long\n,result,table\n", "line 2: the header has 3 cells, the annotations 4"),
        (
            "#datatype,string,long,long\n#group,false,false\n",
            "line 2: annotation `#group` has 3 cells, the one before 4",
        ),
        ("#datatype,string,long,long\n,result,table,v\n,,0,1,2\n", "line 3: the record has 5 cells, the header 4"),
        ("#datatype,string,long,long\n,result,table,v\n,,0,\"1\n", "line 3: a quoted cell is not closed"),
        ("#datatype,string,long,long\n,result,table,v\n,,x,1\n", "line 3: column `table`: invalid table id \"x\""),
        (
            "#datatype,string,long,string\n,result,table,\"v\r\n\"\n,,0,\"a\"b\n",
            "line 4: a quoted cell is followed by more text before the next `,`",
        ),
        ("x,y\n", "line 1: the first cell \"x\" is neither empty nor an annotation"),
    ] {
        let err = decode_flux_records(body.as_bytes()).unwrap_err();
        assert_eq!((err.kind(), err.to_string()), (ErrorKind::Decode, msg.to_owned()), "{body:?}");
    }
    let err = decode_flux_records(b"#datatype,string,long,string\n,result,table,v\n,,0,\"\xff\"\n").unwrap_err();
    assert_eq!(err.to_string(), "result ``, table 0, row 0 (line 3): column `v`: invalid UTF-8 in \"\u{fffd}\"");
}

#[test]
fn empty_answers_and_empty_tables() {
    assert!(decode_flux_records(b"").unwrap().is_empty());
    assert!(decode_flux_records(b"\r\n").unwrap().is_empty());
    // An empty table: annotations (with its group key in #default) and a header, no rows.
    let body = "#datatype,string,long,string,double\r\n#group,false,false,true,false\r\n#default,_result,0,a,\r\n\
,result,table,host,_value\r\n\r\n";
    assert!(decode_flux_rows::<(String, f64)>(body.as_bytes()).unwrap().is_empty());
}

#[test]
fn unknown_annotations_are_skipped_and_annotation_order_is_free() {
    let body = "#default,_result,,\n#group,false,false,true\n#foo,1,2,3\n#datatype,string,long,string\n,result,table,host\n,,0,a\n";
    let recs = decode_flux_records(body.as_bytes()).unwrap();
    assert!(recs[0].table().columns()[2].is_group());
    assert_eq!(recs[0].get("host").unwrap().as_str(), Some("a"));
}

#[test]
fn string_cells_null_versus_empty() {
    let body = "#datatype,string,long,string,string\n#group,false,false,false,false\n#default,_result,,,\n\
,result,table,a,b\n,,0,,x\n";
    // Records follow the spec: an empty cell is null.
    assert_eq!(decode_flux_records(body.as_bytes()).unwrap()[0].get("a"), Some(&FluxValue::Null));
    // A `String` gets "", an `Option<String>` gets None: the server writes both the same way.
    let rows: Vec<(String, String)> = decode_flux_rows(body.as_bytes()).unwrap();
    assert_eq!(rows[0].0, "");
    let rows: Vec<(Option<String>, Option<String>)> = decode_flux_rows(body.as_bytes()).unwrap();
    assert_eq!(rows[0], (None, Some("x".into())));
}

#[test]
fn buffered_bytes_are_only_the_unfinished_record() {
    let mut d = FluxRowDecoder::<(i64,)>::new();
    let mut rows = Vec::new();
    d.push(
        b"#datatype,string,long,long\n#group,false,false,false\n#default,r,,\n,result,table,v\n,,0,1\n,,0,",
        &mut rows,
    )
    .unwrap();
    assert_eq!((rows.len(), d.buffered()), (1, 4));
    d.push(b"2\n", &mut rows).unwrap();
    assert_eq!((rows.len(), d.buffered()), (2, 0));
}
