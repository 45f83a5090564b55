//! Arrow record batches in and out: the lines a batch becomes (read back by the independent
//! `influxdb-line-protocol` parser), the errors, and round trips through a real InfluxDB 1.x,
//! cell by cell and type by type.
use crate::support;

use std::sync::Arc;

use futures::TryStreamExt;
use influx::arrow::array::{
    cast::AsArray, types::*, Array, ArrayRef, BooleanArray, DictionaryArray, Float16Array, Float32Array, Float64Array,
    Int16Array, Int32Array, Int64Array, Int8Array, LargeStringArray, RecordBatch, StringArray, StringViewArray,
    TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray, UInt16Array,
    UInt32Array, UInt64Array, UInt8Array,
};
use influx::arrow::datatypes::DataType;
use influx::arrow::{decode_answer, decode_batch, BatchRows, FrameOptions, ReadOptions};
use influx::decode::DecodeContext;
use influx::line_protocol::encode_batch;
use influx::{Client, EncodeOptions, ErrorKind, InfluxPoint, Precision, Query};
use influxdb_line_protocol::{parse_lines, FieldValue};
use proptest::prelude::*;

fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(cols).unwrap()
}

fn lines(batch: &RecordBatch, opts: &FrameOptions, enc: &EncodeOptions) -> influx::Result<String> {
    let rows = BatchRows::new(batch, opts)?;
    let mut buf = Vec::new();
    encode_batch(&rows, &mut buf, enc)?;
    Ok(String::from_utf8(buf).unwrap())
}

fn utc_ns(v: Vec<i64>) -> ArrayRef {
    Arc::new(TimestampNanosecondArray::from(v).with_timezone("UTC"))
}

#[test]
fn every_type_becomes_its_line_protocol_type() {
    let b = batch(vec![
        ("f16", Arc::new(Float16Array::from(vec![half::f16::from_f64(1.0 / 3.0)])) as _),
        ("f32", Arc::new(Float32Array::from(vec![1.1_f32])) as _),
        ("f64", Arc::new(Float64Array::from(vec![-0.0_f64])) as _),
        ("i8", Arc::new(Int8Array::from(vec![i8::MIN])) as _),
        ("i16", Arc::new(Int16Array::from(vec![i16::MIN])) as _),
        ("i32", Arc::new(Int32Array::from(vec![i32::MIN])) as _),
        ("i64", Arc::new(Int64Array::from(vec![i64::MIN])) as _),
        ("u8", Arc::new(UInt8Array::from(vec![u8::MAX])) as _),
        ("u16", Arc::new(UInt16Array::from(vec![u16::MAX])) as _),
        ("u32", Arc::new(UInt32Array::from(vec![u32::MAX])) as _),
        ("u64", Arc::new(UInt64Array::from(vec![i64::MAX as u64])) as _),
        ("b", Arc::new(BooleanArray::from(vec![true])) as _),
        ("s", Arc::new(StringArray::from(vec!["a\"b\\"])) as _),
        ("ls", Arc::new(LargeStringArray::from(vec!["large"])) as _),
        ("vs", Arc::new(StringViewArray::from(vec!["a view longer than twelve bytes"])) as _),
        ("time", utc_ns(vec![5])),
    ]);
    let got = lines(&b, &FrameOptions::measurement("m"), &EncodeOptions::default()).unwrap();
    assert_eq!(
        got,
        "m f16=0.333251953125,f32=1.1,f64=-0.0,i8=-128i,i16=-32768i,i32=-2147483648i,i64=-9223372036854775808i,\
         u8=255i,u16=65535i,u32=4294967295i,u64=9223372036854775807i,b=true,s=\"a\\\"b\\\\\",ls=\"large\",\
         vs=\"a view longer than twelve bytes\" 5"
    );
    // u64 follows the encoder: `u` where the server has unsigned integers.
    let unsigned = EncodeOptions { unsigned_suffix: true, ..EncodeOptions::default() };
    let b = batch(vec![("u64", Arc::new(UInt64Array::from(vec![u64::MAX])) as _)]);
    assert_eq!(lines(&b, &FrameOptions::measurement("m"), &unsigned).unwrap(), "m u64=18446744073709551615u");
    let err = lines(&b, &FrameOptions::measurement("m"), &EncodeOptions::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Encode);
    assert!(err.to_string().starts_with("point 0: field `u64` is 18446744073709551615, above i64::MAX"), "{err}");
}

#[test]
fn nulls_nan_and_tags_follow_the_rules() {
    let host: DictionaryArray<Int32Type> = vec![Some("a b"), None, Some(""), Some("x,y=z")].into_iter().collect();
    let b = batch(vec![
        ("host", Arc::new(host) as _),
        ("region", Arc::new(StringArray::from(vec![None, Some("eu"), None, None])) as _),
        ("usage", Arc::new(Float64Array::from(vec![Some(f64::NAN), Some(1.5), None, Some(2.5)])) as _),
        ("n", Arc::new(Int64Array::from(vec![Some(1), None, Some(3), None])) as _),
        ("time", utc_ns(vec![1, 2, 3, 4])),
    ]);
    let opts = FrameOptions::measurement("cpu load").tag_columns(["region", "host"]).default_tag("dc", "fra");
    let got = lines(&b, &opts, &EncodeOptions::default()).unwrap();
    assert_eq!(
        got,
        "cpu\\ load,dc=fra,host=a\\ b n=1i 1\n\
         cpu\\ load,dc=fra,region=eu usage=1.5 2\n\
         cpu\\ load,dc=fra n=3i 3\n\
         cpu\\ load,dc=fra,host=x\\,y\\=z usage=2.5 4"
    );
    // A tag column wins over a default with the same key where it is not null.
    let opts = FrameOptions::measurement("m").tag_columns(["host"]).default_tag("host", "dflt").field_columns(["n"]);
    let got = lines(&b, &opts, &EncodeOptions::default()).unwrap_err();
    assert_eq!(got.to_string(), "point 1: every field of the row is null or NaN (a line needs a field)");
    let b2 = b.slice(0, 1);
    assert_eq!(lines(&b2, &opts, &EncodeOptions::default()).unwrap(), "m,host=a\\ b n=1i 1");
    let b3 = b.slice(2, 1);
    assert_eq!(lines(&b3, &opts, &EncodeOptions::default()).unwrap(), "m,host=dflt n=3i 3");
}

#[test]
fn errors_name_the_row_and_the_column() {
    let b = batch(vec![("v", Arc::new(Float64Array::from(vec![1.0, f64::NEG_INFINITY])) as _)]);
    let err = lines(&b, &FrameOptions::measurement("m"), &EncodeOptions::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Encode);
    assert_eq!(err.to_string(), "point 1: field `v` is -inf, which line protocol cannot carry");

    let b = batch(vec![("v", Arc::new(Float32Array::from(vec![f32::INFINITY])) as _)]);
    let err = lines(&b, &FrameOptions::measurement("m"), &EncodeOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "point 0: field `v` is inf, which line protocol cannot carry");

    // A naive time is never guessed.
    let b = batch(vec![
        ("v", Arc::new(Int64Array::from(vec![1])) as _),
        ("time", Arc::new(TimestampSecondArray::from(vec![1])) as _),
    ]);
    let err = BatchRows::new(&b, &FrameOptions::measurement("m")).unwrap_err();
    assert!(err.to_string().starts_with("time column `time` has no time zone"), "{err}");
    assert_eq!(
        lines(&b, &FrameOptions::measurement("m").naive_utc(true), &EncodeOptions::default()).unwrap(),
        "m v=1i 1000000000"
    );

    // A null time, a time outside the server's range.
    let b = batch(vec![
        ("v", Arc::new(Int64Array::from(vec![1, 2])) as _),
        ("time", Arc::new(TimestampNanosecondArray::from(vec![Some(1), None]).with_timezone("UTC")) as _),
    ]);
    let err = lines(&b, &FrameOptions::measurement("m"), &EncodeOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "point 1: time column `time` is null");
    let b = batch(vec![
        ("v", Arc::new(Int64Array::from(vec![1])) as _),
        ("time", Arc::new(TimestampSecondArray::from(vec![i64::MAX / 10]).with_timezone("UTC")) as _),
    ]);
    let err = lines(&b, &FrameOptions::measurement("m"), &EncodeOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("point 0: time column `time`: 922337203685477580 × 1000000000 ns"), "{err}");

    // Columns: missing, of a type that cannot be a tag or a field, an integer time without its unit.
    let b =
        batch(vec![("v", Arc::new(Int64Array::from(vec![1])) as _), ("t", Arc::new(Int64Array::from(vec![1])) as _)]);
    let err = BatchRows::new(&b, &FrameOptions::measurement("m").tag_columns(["nope"])).unwrap_err();
    assert_eq!(err.to_string(), "the batch has no column `nope`");
    let err = BatchRows::new(&b, &FrameOptions::measurement("m").tag_columns(["t"])).unwrap_err();
    assert!(err.to_string().starts_with("tag column `t` is Int64: tags are strings"), "{err}");
    let err = BatchRows::new(&b, &FrameOptions::measurement("m").time_column("t")).unwrap_err();
    assert_eq!(err.to_string(), "time column `t` is Int64: give its unit with FrameOptions::time_unit");
    let ms = FrameOptions::measurement("m").time_column("t").time_unit(Precision::Milliseconds);
    assert_eq!(lines(&b, &ms, &EncodeOptions::default()).unwrap(), "m v=1i 1000000");
    let err = BatchRows::new(&b, &FrameOptions::measurement("#m")).unwrap_err();
    assert!(err.to_string().starts_with("measurement `#m`"), "{err}");

    // A measurement column: per row, null is an error.
    let b = batch(vec![
        ("kind", Arc::new(StringArray::from(vec![Some("a"), None])) as _),
        ("v", Arc::new(Int64Array::from(vec![1, 2])) as _),
    ]);
    let err = lines(&b, &FrameOptions::measurement_column("kind"), &EncodeOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "point 1: measurement column `kind` is null");
    let b = b.slice(0, 1);
    assert_eq!(lines(&b, &FrameOptions::measurement_column("kind"), &EncodeOptions::default()).unwrap(), "a v=1i");
}

#[test]
fn time_units_convert_with_integer_arithmetic() {
    let t = 1_700_000_000_123_456_789_i64;
    let cases: Vec<(ArrayRef, i64)> = vec![
        (
            Arc::new(TimestampSecondArray::from(vec![t / 1_000_000_000]).with_timezone("UTC")),
            t / 1_000_000_000 * 1_000_000_000,
        ),
        (
            Arc::new(TimestampMillisecondArray::from(vec![t / 1_000_000]).with_timezone("+05:30")),
            t / 1_000_000 * 1_000_000,
        ),
        (Arc::new(TimestampMicrosecondArray::from(vec![t / 1_000]).with_timezone("Europe/Berlin")), t / 1_000 * 1_000),
        (Arc::new(TimestampNanosecondArray::from(vec![t]).with_timezone("UTC")), t),
        (Arc::new(TimestampNanosecondArray::from(vec![-1]).with_timezone("UTC")), -1),
    ];
    for (array, want) in cases {
        let b = batch(vec![("v", Arc::new(Int64Array::from(vec![1])) as _), ("time", array)]);
        let got = lines(&b, &FrameOptions::measurement("m"), &EncodeOptions::default()).unwrap();
        assert_eq!(got, format!("m v=1i {want}"));
    }
    // At a coarser precision: truncated toward negative infinity, as the encoder does.
    let b = batch(vec![("v", Arc::new(Int64Array::from(vec![1])) as _), ("time", utc_ns(vec![-1]))]);
    let s = EncodeOptions { precision: Precision::Seconds, ..EncodeOptions::default() };
    assert_eq!(lines(&b, &FrameOptions::measurement("m"), &s).unwrap(), "m v=1i -1");
}

#[derive(Debug, Clone)]
struct Frame {
    tags: Vec<Option<String>>,
    floats: Vec<Option<f64>>,
    ints: Vec<Option<i64>>,
    bools: Vec<Option<bool>>,
    strings: Vec<Option<String>>,
    times: Vec<i64>,
}

fn frame() -> impl Strategy<Value = Frame> {
    (0usize..12).prop_flat_map(|n| {
        let float = prop_oneof![
            4 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Some),
            1 => Just(Some(f64::NAN)),
            1 => Just(None),
        ];
        (
            proptest::collection::vec(proptest::option::of("[a-zA-Z0-9 ,=\"'#_.\\-ü中🚀]{0,10}"), n),
            proptest::collection::vec(float, n),
            proptest::collection::vec(proptest::option::of(any::<i64>()), n),
            proptest::collection::vec(proptest::option::of(any::<bool>()), n),
            proptest::collection::vec(proptest::option::of(".{0,20}"), n),
            proptest::collection::vec(influx::line_protocol::MIN_NANOS..=influx::line_protocol::MAX_NANOS, n),
        )
            .prop_map(|(tags, floats, ints, bools, strings, times)| Frame {
                tags,
                floats,
                ints,
                bools,
                strings,
                times,
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Arbitrary frames -> line protocol -> the independent parser -> the same cells.
    #[test]
    fn the_independent_parser_reads_back_every_cell(f in frame()) {
        let tags: DictionaryArray<Int32Type> = f.tags.iter().map(|t| t.as_deref()).collect();
        let b = batch(vec![
            ("tag key", Arc::new(tags) as _),
            ("float", Arc::new(Float64Array::from(f.floats.clone())) as _),
            ("int", Arc::new(Int64Array::from(f.ints.clone())) as _),
            ("bool", Arc::new(BooleanArray::from(f.bools.clone())) as _),
            ("str,ing", Arc::new(StringViewArray::from(f.strings.iter().map(|s| s.as_deref()).collect::<Vec<_>>())) as _),
            ("time", utc_ns(f.times.clone())),
        ]);
        let opts = FrameOptions::measurement("m m").tag_columns(["tag key"]);
        let has_field = |i: usize| {
            f.floats[i].is_some_and(|x| !x.is_nan()) || f.ints[i].is_some() || f.bools[i].is_some() || f.strings[i].is_some()
        };
        let text = match lines(&b, &opts, &EncodeOptions::default()) {
            Ok(t) => t,
            Err(e) => {
                let first_empty = (0..f.times.len()).find(|&i| !has_field(i)).expect("only an all-null row fails");
                prop_assert_eq!(e.to_string(), format!("point {first_empty}: every field of the row is null or NaN (a line needs a field)"));
                return Ok(());
            }
        };
        let parsed: Vec<_> = parse_lines(&text).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(parsed.len(), f.times.len());
        for (i, line) in parsed.iter().enumerate() {
            prop_assert_eq!(line.series.measurement.to_string(), "m m");
            let got_tags: Vec<(String, String)> =
                line.series.tag_set.iter().flatten().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let want_tags: Vec<(String, String)> =
                f.tags[i].iter().filter(|t| !t.is_empty()).map(|t| ("tag key".to_owned(), t.clone())).collect();
            prop_assert_eq!(got_tags, want_tags);
            let field = |k: &str| line.field_set.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
            match (field("float"), f.floats[i]) {
                (Some(FieldValue::F64(a)), Some(b)) => prop_assert_eq!(a.to_bits(), b.to_bits()),
                (None, None) => {}
                (None, Some(b)) => prop_assert!(b.is_nan()),
                (got, want) => prop_assert!(false, "float: {:?} vs {:?}", got, want),
            }
            match (field("int"), f.ints[i]) {
                (Some(FieldValue::I64(a)), Some(b)) => prop_assert_eq!(a, b),
                (None, None) => {}
                (got, want) => prop_assert!(false, "int: {:?} vs {:?}", got, want),
            }
            match (field("bool"), f.bools[i]) {
                (Some(FieldValue::Boolean(a)), Some(b)) => prop_assert_eq!(a, b),
                (None, None) => {}
                (got, want) => prop_assert!(false, "bool: {:?} vs {:?}", got, want),
            }
            match (field("str,ing"), &f.strings[i]) {
                (Some(FieldValue::String(a)), Some(b)) => prop_assert_eq!(a.as_str(), b.as_str()),
                (None, None) => {}
                (got, want) => prop_assert!(false, "string: {:?} vs {:?}", got, want),
            }
            prop_assert_eq!(line.timestamp, Some(f.times[i]));
        }
    }
}

#[test]
fn answers_become_batches_with_widening_only_where_lossless() {
    let ctx = DecodeContext::new(Some(Precision::Nanoseconds));
    // An integral float printed as an integer, then a float: widened exactly.
    let body = br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v","s"],"values":[[1,2,"a"],[2,0.1,null],[3,null,"c"]]}]}]}"#;
    let b = &decode_answer(body, &ctx, &ReadOptions::new()).unwrap()[0];
    assert_eq!(
        b.schema().field(0).data_type(),
        &DataType::Timestamp(influx::arrow::datatypes::TimeUnit::Nanosecond, Some("UTC".into()))
    );
    let v = b.column(1).as_primitive::<Float64Type>();
    assert_eq!((v.value(0), v.value(1).to_bits(), v.is_null(2)), (2.0, 0.1f64.to_bits(), true));
    assert_eq!(b.column(2).as_string::<i32>().iter().collect::<Vec<_>>(), [Some("a"), None, Some("c")]);

    // An integer a float cannot hold, then a float: an error naming the column.
    let body = br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,9007199254740993],[2,0.5]]}]}]}"#;
    let err = decode_answer(body, &ctx, &ReadOptions::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("column `v`: holds floats after the integer 9007199254740993"), "{err}");
    // Named as a float, it is read as one.
    let opts = ReadOptions::new().field_type("v", DataType::Float64);
    let b = &decode_answer(body, &ctx, &opts).unwrap()[0];
    assert_eq!(b.column(1).as_primitive::<Float64Type>().value(0), 9007199254740993_u64 as f64);

    // Strings after numbers: an error naming statement, series, row and column.
    let body =
        br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,1],[2,"x"]]}]}]}"#;
    let err = decode_answer(body, &ctx, &ReadOptions::new()).unwrap_err();
    assert_eq!(err.to_string(), "statement 0: series `m`: row 1: column `v`: holds strings after values of type Int64");

    // Integers above i64::MAX: UInt64; with a negative integer: an error.
    let body = br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,1],[2,18446744073709551615]]}]}]}"#;
    let b = &decode_answer(body, &ctx, &ReadOptions::new()).unwrap()[0];
    assert_eq!(b.column(1).as_primitive::<UInt64Type>().values().to_vec(), [1, u64::MAX]);
    let body = br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,-1],[2,18446744073709551615]]}]}]}"#;
    assert!(decode_answer(body, &ctx, &ReadOptions::new()).is_err());

    // Several measurements in one statement need a measurement column.
    let body = br#"{"results":[{"statement_id":0,"series":[{"name":"a","columns":["time","v"],"values":[[1,1]]},{"name":"b","columns":["time","w"],"values":[[1,true]]}]},{"statement_id":1}]}"#;
    let err = decode_answer(body, &ctx, &ReadOptions::new()).unwrap_err();
    assert!(err.to_string().contains("ReadOptions::measurement_column"), "{err}");
    let batches = decode_answer(body, &ctx, &ReadOptions::new().measurement_column("_m")).unwrap();
    assert_eq!(batches.len(), 2, "one batch per statement, the empty one too");
    assert_eq!(batches[1].num_rows(), 0);
    let b = &batches[0];
    let names: Vec<_> = b.schema().fields().iter().map(|f| f.name().clone()).collect();
    assert_eq!(names, ["time", "v", "_m", "w"]);
    let m = b.column(2).as_dictionary::<Int32Type>().downcast_dict::<StringArray>().unwrap();
    assert_eq!(m.into_iter().collect::<Vec<_>>(), [Some("a"), Some("b")]);
    assert_eq!(b.column(1).as_primitive::<Int64Type>().iter().collect::<Vec<_>>(), [Some(1), None]);
    assert_eq!(b.column(3).as_boolean().iter().collect::<Vec<_>>(), [None, Some(true)]);

    // A statement error is a query error.
    let body = br#"{"results":[{"statement_id":0,"error":"database not found: x"}]}"#;
    assert_eq!(decode_answer(body, &ctx, &ReadOptions::new()).unwrap_err().kind(), ErrorKind::Query);
}

#[derive(InfluxPoint, Debug, Clone, PartialEq)]
#[influx(measurement = "columnar")]
struct Row {
    #[tag]
    host: String,
    #[tag]
    region: Option<String>,
    f: Option<f64>,
    i: Option<i64>,
    b: Option<bool>,
    s: Option<String>,
    #[time]
    time: i64,
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The batch every server test writes: hostile tags, every null pattern, NaN, exact floats.
fn hostile() -> (RecordBatch, Vec<Row>) {
    let hosts = ["a b", "x,y=z", "quote\"d", "back\\slash", "ünï 🚀", "tab\there"];
    let floats = [0.1, -0.0, f64::MIN_POSITIVE / 3.0, f64::MAX, 1.0 / 3.0, f64::NAN];
    let mut rows = Vec::new();
    let mut tag = Vec::new();
    let mut region = Vec::new();
    let (mut fs, mut is, mut bs, mut ss, mut ts) = (vec![], vec![], vec![], vec![], vec![]);
    for k in 0..36usize {
        let f = if k % 5 == 4 { None } else { Some(floats[k % 6]) };
        let i = if k % 4 == 3 { None } else { Some([i64::MIN, i64::MAX, 0, -7][k % 4]) };
        let b = if k % 3 == 2 { None } else { Some(k % 2 == 0) };
        let s = if k % 7 == 6 { None } else { Some(format!("line\nbreak \"{k}\" \\ é")) };
        let r = if k % 2 == 0 { Some(if k % 4 == 0 { "eu" } else { "us" }) } else { None };
        tag.push(hosts[k % 6]);
        region.push(r);
        fs.push(f);
        is.push(i);
        bs.push(b);
        ss.push(s.clone());
        ts.push(1_700_000_000_000_000_000 + k as i64 * 1_000_000_007);
        rows.push(Row {
            host: hosts[k % 6].to_owned(),
            region: r.map(str::to_owned),
            f: f.filter(|x| !x.is_nan()),
            i,
            b,
            s,
            time: *ts.last().unwrap(),
        });
    }
    let host: DictionaryArray<Int8Type> = tag.into_iter().map(Some).collect();
    let batch = batch(vec![
        ("host", Arc::new(host) as _),
        ("region", Arc::new(LargeStringArray::from(region)) as _),
        ("f", Arc::new(Float64Array::from(fs)) as _),
        ("i", Arc::new(Int64Array::from(is)) as _),
        ("b", Arc::new(BooleanArray::from(bs)) as _),
        ("s", Arc::new(StringArray::from(ss)) as _),
        ("time", utc_ns(ts)),
    ]);
    // No row of the fixture is all null: every row has `f` or `i`.
    (batch, rows)
}

fn rows_sorted(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(|a, b| (a.time, &a.host).cmp(&(b.time, &b.host)));
    rows
}

fn assert_rows_eq(got: Vec<Row>, want: &[Row]) {
    let got = rows_sorted(got);
    let want = rows_sorted(want.to_vec());
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.f.map(f64::to_bits), w.f.map(f64::to_bits), "{g:?} vs {w:?}");
        assert_eq!(g, w);
    }
}

#[test]
fn a_batch_round_trips_through_the_server_cell_by_cell() {
    let url = support::url();
    let db = support::create_db(&url, "columnar_rt");
    let client = Client::new(url.clone(), db.clone()).unwrap();
    let (batch, want) = hostile();
    rt().block_on(async {
        let opts = FrameOptions::measurement("columnar").tag_columns(["host", "region"]);
        client.write(&BatchRows::new(&batch, &opts).unwrap()).await.unwrap();

        // Read back as typed rows: the same cells.
        let typed: Vec<Row> = client.query_as("SELECT * FROM columnar GROUP BY *").await.unwrap();
        assert_rows_eq(typed, &want);

        // Read back as a batch: GROUP BY tags are dictionary columns, times UTC ns, types the server's.
        let opts = ReadOptions::new().field_type("f", DataType::Float64);
        let batches = client.query_arrow("SELECT * FROM columnar GROUP BY *", &opts).await.unwrap();
        assert_eq!(batches.len(), 1);
        let b = &batches[0];
        assert_eq!(b.num_rows(), want.len());
        let schema = b.schema();
        let ty = |n: &str| schema.field_with_name(n).unwrap().data_type().clone();
        assert_eq!(ty("f"), DataType::Float64);
        assert_eq!(ty("i"), DataType::Int64);
        assert_eq!(ty("b"), DataType::Boolean);
        assert_eq!(ty("s"), DataType::Utf8);
        assert_eq!(ty("host"), DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)));
        // And the batch decodes into the same rows through the row-decoding contract.
        assert_rows_eq(decode_batch::<Row>(b).unwrap(), &want);

        // Without GROUP BY the tags are plain string columns; a chunked read stacks the chunks.
        let q = Query::new("SELECT * FROM columnar").chunked(true).chunk_size(5);
        let batches = client.query_arrow(q, &ReadOptions::new().field_type("f", DataType::Float64)).await.unwrap();
        assert_eq!(batches[0].num_rows(), want.len());
        assert_rows_eq(decode_batch::<Row>(&batches[0]).unwrap(), &want);

        // Streaming: one batch per chunk, columns fixed once emitted.
        let q = Query::new("SELECT * FROM columnar GROUP BY *").chunk_size(5);
        let stream =
            client.query_arrow_stream(q, &ReadOptions::new().field_type("f", DataType::Float64)).await.unwrap();
        let parts: Vec<RecordBatch> = stream.try_collect().await.unwrap();
        assert!(parts.len() > 1, "{} batches", parts.len());
        let mut all = Vec::new();
        for p in &parts {
            assert!(p.num_rows() <= 5);
            all.extend(decode_batch::<Row>(p).unwrap());
        }
        assert_rows_eq(all, &want);

        // Multi-statement: one batch per statement.
        let batches = client
            .query_arrow(
                "SELECT f FROM columnar WHERE host = 'a b'; SELECT count(i) FROM columnar",
                &ReadOptions::new(),
            )
            .await
            .unwrap();
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].num_rows(), want.iter().filter(|r| r.host == "a b" && r.f.is_some()).count());
        let count = batches[1].column(1).as_primitive::<Int64Type>().value(0);
        assert_eq!(count as usize, want.iter().filter(|r| r.i.is_some()).count());
    });
}

#[test]
fn every_write_path_takes_a_batch() {
    let url = support::url();
    let db = support::create_db(&url, "columnar_paths");
    let client = Client::new(url.clone(), db.clone()).unwrap();
    let (hostile_batch, want) = hostile();
    rt().block_on(async {
        // The batching writer.
        let writer = client.untyped_writer(influx::writer::WriterOptions::new().batch_size(7)).unwrap();
        let opts = FrameOptions::measurement("columnar").tag_columns(["host", "region"]);
        writer.write_batch(&BatchRows::new(&hostile_batch, &opts).unwrap()).await.unwrap();
        let report = writer.close().await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        let typed: Vec<Row> = client.query_as("SELECT * FROM columnar GROUP BY *").await.unwrap();
        assert_rows_eq(typed, &want);

        // Unsigned integers on 1.x: written as integers; above i64::MAX refused before sending.
        let b = batch_u64(vec![1, i64::MAX as u64]);
        let opts = FrameOptions::measurement("unsigned");
        client.write(&BatchRows::new(&b, &opts).unwrap()).await.unwrap();
        let got: Vec<(i64, i64)> = client.query_as("SELECT u FROM unsigned").await.unwrap();
        assert_eq!(got.iter().map(|r| r.1).collect::<Vec<_>>(), [1, i64::MAX]);
        let b = batch_u64(vec![u64::MAX]);
        let err = client.write(&BatchRows::new(&b, &opts).unwrap()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encode);

        // Every scalar type the server stores, read back with its server type.
        let b = batch(vec![
            ("f16", Arc::new(Float16Array::from(vec![half::f16::from_f64(0.1)])) as _),
            ("f32", Arc::new(Float32Array::from(vec![0.1_f32])) as _),
            ("i8", Arc::new(Int8Array::from(vec![-8])) as _),
            ("u32", Arc::new(UInt32Array::from(vec![u32::MAX])) as _),
            ("v", Arc::new(StringViewArray::from(vec!["view"])) as _),
            ("time", utc_ns(vec![10])),
        ]);
        client.write(&BatchRows::new(&b, &FrameOptions::measurement("types")).unwrap()).await.unwrap();
        let got = client.query_arrow("SELECT * FROM types", &ReadOptions::new()).await.unwrap();
        let g = &got[0];
        let col = |n: &str| g.column(g.schema().index_of(n).unwrap()).clone();
        assert_eq!(
            col("f16").as_primitive::<Float64Type>().value(0).to_bits(),
            f64::from(half::f16::from_f64(0.1)).to_bits()
        );
        // f32 as the derive writes it: the shortest text of the f32, read back as the f64 it names.
        assert_eq!(col("f32").as_primitive::<Float64Type>().value(0), 0.1);
        assert_eq!(col("i8").as_primitive::<Int64Type>().value(0), -8);
        assert_eq!(col("u32").as_primitive::<Int64Type>().value(0), i64::from(u32::MAX));
        assert_eq!(col("v").as_string::<i32>().value(0), "view");
        assert_eq!(col("time").as_primitive::<TimestampNanosecondType>().value(0), 10);
    });
}

fn batch_u64(v: Vec<u64>) -> RecordBatch {
    let n = v.len() as i64;
    batch(vec![("u", Arc::new(UInt64Array::from(v)) as _), ("time", utc_ns((1..=n).collect()))])
}

#[cfg(feature = "polars")]
#[test]
fn a_polars_frame_round_trips_through_the_server() {
    let url = support::url();
    let db = support::create_db(&url, "columnar_polars");
    let client = Client::new(url.clone(), db.clone()).unwrap();
    let (hostile_batch, want) = hostile();
    // A frame holding the hostile rows (polars has no dictionary type: the tag becomes a string column).
    let df = influx::polars::to_data_frame(&hostile_batch).unwrap();
    assert_eq!(df.height(), want.len());
    rt().block_on(async {
        // Written from polars' own memory: the frame's columns as a batch.
        let batch = influx::polars::to_record_batch(&df).unwrap();
        let opts = FrameOptions::measurement("columnar").tag_columns(["host", "region"]);
        client.write(&BatchRows::new(&batch, &opts).unwrap()).await.unwrap();
        let typed: Vec<Row> = client.query_as("SELECT * FROM columnar GROUP BY *").await.unwrap();
        assert_rows_eq(typed, &want);

        // Read into frames: one per statement, cell by cell through the batch it came from.
        let frames = client
            .query_polars("SELECT * FROM columnar GROUP BY *", &ReadOptions::new().field_type("f", DataType::Float64))
            .await
            .unwrap();
        assert_eq!(frames.len(), 1);
        let back = influx::polars::to_record_batch(&frames[0]).unwrap();
        assert_rows_eq(decode_batch::<Row>(&back).unwrap(), &want);
        let f = frames[0].column("f").unwrap().f64().unwrap();
        let mut got: Vec<u64> = (0..f.len()).filter_map(|i| f.get(i)).map(f64::to_bits).collect();
        let mut bits: Vec<u64> = want.iter().filter_map(|r| r.f).map(f64::to_bits).collect();
        got.sort_unstable();
        bits.sort_unstable();
        assert_eq!(got, bits, "the float column of the frame, bit for bit");
    });
}

#[test]
fn naive_times_written_with_a_zone_read_back_as_their_instants() {
    let url = support::url();
    let db = support::create_db(&url, "columnar_wall");
    let client = Client::new(url.clone(), db.clone()).unwrap();
    // Microseconds since 1970-01-01 00:00 on a Berlin wall clock (the column has no zone).
    let wall = |s: &str| {
        let t = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap().and_utc();
        t.timestamp() * 1_000_000 + i64::from(t.timestamp_subsec_micros())
    };
    const HOUR_US: i64 = 3_600_000_000;
    // Winter is UTC+1, summer UTC+2; the last instants before each change of 2024.
    let cases = [
        ("2024-01-15 12:00:00.123456", HOUR_US),
        ("2024-07-01 12:00:00.000001", 2 * HOUR_US),
        ("2024-03-31 01:59:59.999999", HOUR_US),
        ("2024-03-31 03:00:00", 2 * HOUR_US),
        ("2024-10-27 01:59:59.5", 2 * HOUR_US),
        ("2024-10-27 03:00:00", HOUR_US),
    ];
    let times: Vec<i64> = cases.iter().map(|(s, _)| wall(s)).collect();
    let mut want: Vec<(i64, i64)> =
        cases.iter().enumerate().map(|(i, (s, off))| ((wall(s) - off) * 1_000, i as i64)).collect();
    want.sort(); // the server answers in time order
    let b = batch(vec![
        ("v", Arc::new(Int64Array::from((0..cases.len() as i64).collect::<Vec<_>>())) as _),
        ("time", Arc::new(TimestampMicrosecondArray::from(times)) as _),
    ]);
    let opts = FrameOptions::measurement("wall").naive_time_zone("Europe/Berlin");
    rt().block_on(async {
        client.write(&BatchRows::new(&b, &opts).unwrap()).await.unwrap();
        let got: Vec<(i64, i64)> = client.query_as("SELECT v FROM wall").await.unwrap();
        assert_eq!(got, want);

        // A wall time the clocks skip: refused before anything is sent, naming row and column.
        let gap = batch(vec![
            ("v", Arc::new(Int64Array::from(vec![100, 101])) as _),
            ("time", Arc::new(TimestampMicrosecondArray::from(vec![0, wall("2024-03-31 02:30:00")])) as _),
        ]);
        let err = client.write(&BatchRows::new(&gap, &opts).unwrap()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encode);
        assert!(err.to_string().contains("point 1: time column `time`: 2024-03-31 02:30:00 does not exist"), "{err}");
        let got: Vec<(i64, i64)> = client.query_as("SELECT v FROM wall").await.unwrap();
        assert_eq!(got, want, "nothing of the refused batch was written");
    });
}

// Derived structs into batches (`to_batch`, `schema_of`): a file of its own, run as `columnar::points::`.
#[path = "columnar_points.rs"]
mod points;
