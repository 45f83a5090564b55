//! Derived structs into record batches (`to_batch`, `schema_of`, `FrameOptions::of`): the
//! batch decodes back into the same structs, writes the same bytes as the derive, and round
//! trips through a real InfluxDB 1.x. Included by `columnar.rs` (run with `columnar::`).
use crate::support;

use chrono::{DateTime, Utc};
use influx::arrow::array::{cast::AsArray, types::*, Array, RecordBatch};
use influx::arrow::datatypes::{DataType, TimeUnit};
use influx::arrow::{decode_batch, schema_of, to_batch, BatchRows, FrameOptions, ReadOptions};
use influx::decode::{DecodeContext, DecodeTag, DecodeValue};
use influx::line_protocol::{encode_batch, Encoder, FieldValue, Key};
use influx::{Client, EncodeOptions, ErrorKind, FieldType, InfluxPoint, Precision, TagValue};
use proptest::prelude::*;

/// A field type that only implements `write_field` (what a user writes for a newtype).
#[derive(Debug, Clone, Copy)]
struct Celsius(f64);

impl FieldValue for Celsius {
    const FIELD_TYPE: FieldType = FieldType::Float;
    fn write_field(&self, enc: &mut Encoder<'_>, key: &Key<'_>) -> influx::Result<()> {
        enc.field_f64(key, self.0)
    }
}

impl DecodeValue for Celsius {
    const EXPECTED: &'static str = "Celsius";
    fn decode<'de, D: serde::Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        f64::decode(d, ctx).map(Celsius)
    }
}

/// A tag type of the user's own.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Web,
    Db,
}

impl TagValue for Kind {
    fn tag_value(&self) -> Option<&str> {
        Some(match self {
            Kind::Web => "web",
            Kind::Db => "db server",
        })
    }
}

impl DecodeTag for Kind {
    fn from_tag(s: &str) -> Result<Self, String> {
        match s {
            "web" => Ok(Kind::Web),
            "db server" => Ok(Kind::Db),
            _ => Err(format!("unknown kind `{s}`")),
        }
    }
}

/// Every member type the derive writes, renamed keys, a skipped member, a custom field and tag.
#[derive(InfluxPoint, Debug, Clone)]
#[influx(measurement = "every type")]
struct Every {
    #[tag]
    host: String,
    #[tag]
    #[influx(rename = "the region")]
    region: Option<String>,
    #[tag]
    kind: Kind,
    f: f64,
    g: Option<f32>,
    #[influx(rename = "i,8")]
    i8: i8,
    i16: i16,
    i32: Option<i32>,
    i: i64,
    u8: u8,
    u16: u16,
    u32: u32,
    u: Option<u64>,
    b: bool,
    s: String,
    c: Option<Celsius>,
    #[influx(skip)]
    cache: u32,
    #[time]
    time: DateTime<Utc>,
}

type Bits = (
    (String, Option<String>, Kind, u64, Option<u32>, i8, i16, Option<i32>),
    (i64, u8, u16, u32, Option<u64>, bool, String, Option<u64>),
    (u32, i64),
);

impl Every {
    /// Every member, floats as bits: what "equal" means here.
    fn bits(&self) -> Bits {
        (
            (
                self.host.clone(),
                self.region.clone(),
                self.kind,
                self.f.to_bits(),
                self.g.map(f32::to_bits),
                self.i8,
                self.i16,
                self.i32,
            ),
            (self.i, self.u8, self.u16, self.u32, self.u, self.b, self.s.clone(), self.c.map(|c| c.0.to_bits())),
            (self.cache, self.time.timestamp_nanos_opt().unwrap()),
        )
    }
}

fn bits(v: &[Every]) -> Vec<Bits> {
    v.iter().map(Every::bits).collect()
}

fn every(k: usize) -> Every {
    let hosts = ["a b", "x,y=z", "quote\"d", "back\\slash", "ünï 🚀", "tab\there"];
    Every {
        host: hosts[k % 6].to_owned(),
        region: [Some("eu"), None, Some("us west")][k % 3].map(str::to_owned),
        kind: if k % 2 == 0 { Kind::Web } else { Kind::Db },
        f: [0.1, -0.0, f64::MIN_POSITIVE / 3.0, f64::MAX, 1.0 / 3.0][k % 5],
        g: [Some(0.5), None, Some(-2.25)][k % 3],
        i8: i8::MIN + k as i8,
        i16: i16::MAX - k as i16,
        i32: if k % 4 == 1 { None } else { Some(i32::MIN + k as i32) },
        i: [i64::MIN, i64::MAX, 0, -7][k % 4],
        u8: u8::MAX,
        u16: k as u16,
        u32: u32::MAX - k as u32,
        u: if k % 3 == 2 { None } else { Some(i64::MAX as u64 - k as u64) },
        b: k % 2 == 1,
        s: format!("line\nbreak \"{k}\" \\ é"),
        c: if k % 2 == 0 { Some(Celsius(21.5 + k as f64)) } else { None },
        cache: 0,
        time: DateTime::from_timestamp_nanos(1_700_000_000_000_000_000 + k as i64 * 1_000_000_007),
    }
}

fn derive_lines(v: &[Every], enc: &EncodeOptions) -> Result<String, String> {
    let mut buf = Vec::new();
    encode_batch(v, &mut buf, enc).map_err(|e| e.to_string())?;
    Ok(String::from_utf8(buf).unwrap())
}

fn batch_lines(b: &RecordBatch, opts: &FrameOptions, enc: &EncodeOptions) -> Result<String, String> {
    let rows = BatchRows::new(b, opts).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    encode_batch(&rows, &mut buf, enc).map_err(|e| e.to_string())?;
    Ok(String::from_utf8(buf).unwrap())
}

#[test]
fn the_schema_comes_from_the_type() {
    let s = schema_of::<Every>();
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let got: Vec<(&str, DataType, bool)> =
        s.fields().iter().map(|f| (f.name().as_str(), f.data_type().clone(), f.is_nullable())).collect();
    assert_eq!(
        got,
        [
            ("time", DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())), false),
            ("host", dict.clone(), true),
            ("the region", dict.clone(), true),
            ("kind", dict, true),
            ("f", DataType::Float64, false),
            ("g", DataType::Float32, true),
            ("i,8", DataType::Int8, false),
            ("i16", DataType::Int16, false),
            ("i32", DataType::Int32, true),
            ("i", DataType::Int64, false),
            ("u8", DataType::UInt8, false),
            ("u16", DataType::UInt16, false),
            ("u32", DataType::UInt32, false),
            ("u", DataType::UInt64, true),
            ("b", DataType::Boolean, false),
            ("s", DataType::Utf8, false),
            ("c", DataType::Float64, true),
        ]
    );
    assert_eq!(s.metadata()["measurement"], "every type");
    let b = to_batch(&Vec::<Every>::new()).unwrap();
    assert_eq!((b.num_rows(), b.schema().as_ref()), (0, &s));
}

#[test]
fn nan_infinity_and_u64_stay_exact_in_the_batch() {
    let mut v = vec![every(0), every(1), every(2)];
    v[0].f = f64::NAN;
    v[1].f = f64::NEG_INFINITY;
    v[2].u = Some(u64::MAX);
    let b = to_batch(&v).unwrap();
    let f = b.column_by_name("f").unwrap().as_primitive::<Float64Type>();
    assert_eq!(f.value(0).to_bits(), f64::NAN.to_bits());
    assert_eq!(f.value(1), f64::NEG_INFINITY);
    assert_eq!(b.column_by_name("u").unwrap().as_primitive::<UInt64Type>().value(2), u64::MAX);
    assert_eq!(bits(&decode_batch::<Every>(&b).unwrap()), bits(&v));

    // Written, ±infinity and u64 above i64::MAX (on 1.x) fail as the derive fails; a NaN
    // field is left out of its line by the frame writer, where the derive refuses the point.
    let opts = FrameOptions::of::<Every>();
    let enc = EncodeOptions::default();
    let e = batch_lines(&b, &opts, &enc).unwrap_err();
    assert_eq!(e, "point 1: field `f` is -inf, which line protocol cannot carry");
    assert_eq!(derive_lines(&v[1..], &enc).unwrap_err(), e.replace("point 1", "point 0"));
    let e = batch_lines(&b.slice(2, 1), &opts, &enc).unwrap_err();
    assert!(e.starts_with("point 0: field `u` is 18446744073709551615, above i64::MAX"), "{e}");
    assert_eq!(derive_lines(&v[2..], &enc).unwrap_err(), e);
    assert_eq!(derive_lines(&v[..1], &enc).unwrap_err(), "point 0: field `f` is NaN, which line protocol cannot carry");
    let line = batch_lines(&b.slice(0, 1), &opts, &enc).unwrap();
    assert!(line.starts_with("every\\ type,host=a\\ b,kind=web,the\\ region=eu g=0.5,i\\,8=-128i,"), "{line}");
}

#[test]
fn a_none_time_is_null_and_the_frame_writer_refuses_it() {
    #[derive(InfluxPoint, Debug, PartialEq)]
    struct Stamped {
        v: i64,
        #[time]
        t: Option<i64>,
    }
    let v = [Stamped { v: 1, t: Some(-5) }, Stamped { v: 2, t: None }];
    let b = to_batch(&v).unwrap();
    assert!(b.schema().field(0).is_nullable());
    assert!(b.column(0).is_null(1));
    assert_eq!(decode_batch::<Stamped>(&b).unwrap(), v);
    let e = batch_lines(&b, &FrameOptions::of::<Stamped>(), &EncodeOptions::default()).unwrap_err();
    assert_eq!(e, "point 1: time column `time` is null");
    assert_eq!(derive_lines_of(&v), "stamped v=1i -5\nstamped v=2i");
}

fn derive_lines_of<P: influx::WritePoint>(v: &[P]) -> String {
    let mut buf = Vec::new();
    encode_batch(v, &mut buf, &EncodeOptions::default()).unwrap();
    String::from_utf8(buf).unwrap()
}

#[test]
fn borrowed_and_generic_types_and_out_of_range_values() {
    #[derive(InfluxPoint)]
    struct Borrowed<'a, T> {
        #[tag]
        host: &'a str,
        name: std::borrow::Cow<'a, str>,
        big: i128,
        n: T,
        #[time]
        at: std::time::SystemTime,
    }
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(7);
    let v = [Borrowed { host: "h", name: "x\"y".into(), big: -3, n: 1.5_f32, at }];
    let b = to_batch(&v).unwrap();
    assert_eq!(b.schema().field_with_name("n").unwrap().data_type(), &DataType::Float32);
    assert_eq!(b.schema().field_with_name("big").unwrap().data_type(), &DataType::Int64);
    let enc = EncodeOptions::default();
    assert_eq!(batch_lines(&b, &FrameOptions::of::<Borrowed<'_, f32>>(), &enc).unwrap(), derive_lines_of(&v));

    let v = [Borrowed { host: "h", name: "".into(), big: i128::MIN, n: 1_u8, at }];
    let e = to_batch(&v).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Encode);
    assert_eq!(
        e.to_string(),
        "row 0: field `big` is -170141183460469231731687303715884105728, outside the 64-bit range line protocol carries"
    );
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1 << 40);
    let e = to_batch([&Borrowed { host: "h", name: "".into(), big: 0, n: 1_u8, at }]).unwrap_err();
    assert!(e.to_string().starts_with("row 0: time 1099511627776000000000 ns is outside"), "{e}");
}

fn every_strategy(finite: bool) -> impl Strategy<Value = Every> {
    let text = "[a-zA-Z0-9 ,=\"'#_.\\\\\n\t-ü中🚀]{0,8}";
    // The derive refuses a NaN field and the frame writer leaves it out: the bytes property
    // needs values without NaN (`nan_infinity_and_u64_stay_exact_in_the_batch` covers NaN).
    let (f, g) = if finite {
        (
            prop_oneof![4 => any::<f64>().prop_filter("not NaN", |x| !x.is_nan()), 1 => Just(f64::INFINITY)].boxed(),
            proptest::option::of(any::<f32>().prop_filter("not NaN", |x| !x.is_nan())).boxed(),
        )
    } else {
        (any::<f64>().boxed(), any::<Option<f32>>().boxed())
    };
    (
        (text, proptest::option::of("[a-z ,=\\\\ü]{1,6}"), any::<bool>(), f, g),
        (any::<i8>(), any::<i16>(), any::<Option<i32>>(), any::<i64>(), any::<u8>(), any::<u16>(), any::<u32>()),
        (any::<Option<u64>>(), any::<bool>(), ".{0,12}", proptest::option::of(-1e300..1e300f64), any::<i64>()),
    )
        .prop_map(|((host, region, web, f, g), (i8, i16, i32, i, u8, u16, u32), (u, b, s, c, t))| Every {
            host,
            region,
            kind: if web { Kind::Web } else { Kind::Db },
            f,
            g,
            i8,
            i16,
            i32,
            i,
            u8,
            u16,
            u32,
            u,
            b,
            s,
            c: c.map(Celsius),
            cache: 0,
            time: DateTime::from_timestamp_nanos(t),
        })
}

fn encode_options() -> impl Strategy<Value = EncodeOptions> {
    (
        any::<bool>(),
        prop_oneof![Just(Precision::Nanoseconds), Just(Precision::Milliseconds), Just(Precision::Seconds)],
        0..3,
    )
        .prop_map(|(unsigned_suffix, precision, defaults)| {
            let mut opts = EncodeOptions { unsigned_suffix, precision, ..EncodeOptions::default() };
            if defaults > 0 {
                opts.default_tags.insert("dc", "fra").unwrap();
            }
            if defaults > 1 {
                opts.default_tags.insert("host", "default").unwrap();
            }
            opts
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// `decode_batch::<T>(&to_batch(&v)?) == v`, floats by bits (NaN included).
    #[test]
    fn structs_round_trip_through_a_batch(v in proptest::collection::vec(every_strategy(false), 0..8)) {
        let b = to_batch(&v).unwrap();
        prop_assert_eq!(b.num_rows(), v.len());
        prop_assert_eq!(b.schema_ref().as_ref(), &schema_of::<Every>());
        prop_assert_eq!(bits(&decode_batch::<Every>(&b).unwrap()), bits(&v));
    }

    /// The batch, written with `FrameOptions::of::<T>()`, is the bytes the derive writes for
    /// the structs (or the same error, naming the same point), whatever the encode options.
    #[test]
    fn the_batch_writes_the_derives_bytes(v in proptest::collection::vec(every_strategy(true), 0..8), enc in encode_options()) {
        let b = to_batch(&v).unwrap();
        prop_assert_eq!(batch_lines(&b, &FrameOptions::of::<Every>(), &enc), derive_lines(&v, &enc));
    }
}

#[test]
fn derived_structs_round_trip_through_the_server_as_a_batch() {
    let url = support::url();
    let db = support::create_db(&url, "columnar_points");
    let client = Client::new(url.clone(), db.clone()).unwrap();
    let want: Vec<Every> = (0..30).map(every).collect();
    let batch = to_batch(&want).unwrap();
    let sorted = |mut v: Vec<Every>| {
        v.sort_by_key(|e| e.time);
        bits(&v)
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        client.write(&BatchRows::new(&batch, &FrameOptions::of::<Every>()).unwrap()).await.unwrap();

        let typed: Vec<Every> = client.query_as("SELECT * FROM \"every type\" GROUP BY *").await.unwrap();
        assert_eq!(sorted(typed), sorted(want.clone()));

        // Every float column named (1.x's JSON writes an integral float as an integer).
        let opts = ["f", "g", "c"].into_iter().fold(ReadOptions::new(), |o, c| o.field_type(c, DataType::Float64));
        let batches = client.query_arrow("SELECT * FROM \"every type\" GROUP BY *", &opts).await.unwrap();
        assert_eq!(batches.len(), 1);
        let got = &batches[0];
        assert_eq!(got.schema().metadata()["measurement"], "every type");
        assert_eq!(got.schema().field_with_name("host").unwrap().data_type(), batch.schema().field(1).data_type());
        assert_eq!(sorted(decode_batch::<Every>(got).unwrap()), sorted(want.clone()));
        // Cell by cell, as the server types them: the f64 column bit for bit, in time order.
        let times = got.column_by_name("time").unwrap().as_primitive::<TimestampNanosecondType>();
        let f = got.column_by_name("f").unwrap().as_primitive::<Float64Type>();
        let mut cells: Vec<(i64, u64)> = (0..got.num_rows()).map(|i| (times.value(i), f.value(i).to_bits())).collect();
        cells.sort_unstable();
        let mut expected: Vec<(i64, u64)> =
            want.iter().map(|e| (e.time.timestamp_nanos_opt().unwrap(), e.f.to_bits())).collect();
        expected.sort_unstable();
        assert_eq!(cells, expected);
        let u = got.column_by_name("u").unwrap();
        assert_eq!(u.null_count(), want.iter().filter(|e| e.u.is_none()).count());
    });
}

#[cfg(feature = "polars")]
#[test]
fn a_batch_of_structs_is_a_polars_frame() {
    let want: Vec<Every> = (0..5).map(every).collect();
    let df = influx::polars::to_data_frame(&to_batch(&want).unwrap()).unwrap();
    assert_eq!(df.height(), 5);
    let f = df.column("f").unwrap().f64().unwrap();
    let got: Vec<u64> = (0..5).map(|i| f.get(i).unwrap().to_bits()).collect();
    assert_eq!(got, want.iter().map(|e| e.f.to_bits()).collect::<Vec<_>>());
    let back = influx::polars::to_record_batch(&df).unwrap();
    assert_eq!(bits(&decode_batch::<Every>(&back).unwrap()), bits(&want));
}
