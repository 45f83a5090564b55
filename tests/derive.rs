//! `#[derive(InfluxPoint)]` without a server: the exact lines and schema constants it produces.
use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use influx::line_protocol::{encode_batch, to_line_protocol};
use influx::{Column, ColumnKind, EncodeOptions, FieldType, InfluxPoint, Precision, TagValue};

fn line<P: influx::WritePoint>(p: &P) -> String {
    to_line_protocol(p, &EncodeOptions::default()).unwrap()
}

#[derive(InfluxPoint)]
#[influx(measurement = "cpu load")]
struct Cpu {
    #[tag]
    region: String,
    #[tag]
    host: &'static str,
    usage: f64,
    #[field]
    cores: u32,
    #[influx(rename = "model name")]
    model: String,
    up: bool,
    #[time]
    at: i64,
}

#[test]
fn measurement_and_keys_are_escaped_tags_sorted_fields_in_order() {
    let p = Cpu {
        region: "eu west".into(),
        host: "a,b",
        usage: 0.5,
        cores: 8,
        model: r#"Xeon "Gold" \ 6"#.into(),
        up: true,
        at: 1_700_000_000_000_000_001,
    };
    assert_eq!(
        line(&p),
        r#"cpu\ load,host=a\,b,region=eu\ west usage=0.5,cores=8i,model\ name="Xeon \"Gold\" \\ 6",up=true 1700000000000000001"#
    );
}

#[test]
fn schema_constants() {
    assert_eq!(Cpu::MEASUREMENT, "cpu load");
    assert_eq!(Cpu::TAG_KEYS, ["host", "region"]);
    assert_eq!(Cpu::FIELD_KEYS, ["usage", "cores", "model name", "up"]);
    assert_eq!(Cpu::TIME_KEY, Some("time"));
    let names: Vec<_> = Cpu::COLUMNS.iter().map(|c| (c.name, c.kind)).collect();
    assert_eq!(
        names,
        [
            ("region", ColumnKind::Tag),
            ("host", ColumnKind::Tag),
            ("usage", ColumnKind::Field),
            ("cores", ColumnKind::Field),
            ("model name", ColumnKind::Field),
            ("up", ColumnKind::Field),
            ("time", ColumnKind::Time),
        ]
    );
    assert_eq!(Cpu::COLUMNS[2], Column::field("usage", FieldType::Float, false));
    assert_eq!(Cpu::COLUMNS[3].field_type, Some(FieldType::Integer));
    assert_eq!(Cpu::COLUMNS[4].field_type, Some(FieldType::String));
    assert_eq!(Cpu::COLUMNS[5].field_type, Some(FieldType::Boolean));
}

/// Default measurement: the struct name in snake_case.
#[derive(InfluxPoint)]
struct DiskIO {
    reads: u64,
}

#[test]
fn default_measurement_is_snake_case() {
    assert_eq!(DiskIO::MEASUREMENT, "disk_io");
    assert_eq!(line(&DiskIO { reads: 1 }), "disk_io reads=1i");
    assert_eq!(DiskIO::TIME_KEY, None);
    assert!(DiskIO::TAG_KEYS.is_empty());
}

#[derive(Clone, Copy)]
enum Region {
    EuWest,
    UsEast,
}

impl TagValue for Region {
    fn tag_value(&self) -> Option<&str> {
        Some(match self {
            Region::EuWest => "eu-west",
            Region::UsEast => "us-east",
        })
    }
}

#[derive(InfluxPoint)]
#[influx(measurement = "cpu-load")]
struct Borrowed<'a, F> {
    #[tag]
    a: &'a str,
    #[tag]
    b: Cow<'a, str>,
    #[tag]
    c: Option<String>,
    #[tag]
    d: Option<&'a str>,
    #[tag]
    region: Region,
    value: F,
    maybe: Option<i32>,
    text: &'a str,
    #[influx(skip)]
    #[allow(dead_code)]
    ignored: Vec<u8>,
    #[time]
    at: Option<DateTime<Utc>>,
}

#[test]
fn generics_lifetimes_optional_tags_and_user_tag_types() {
    let p = Borrowed {
        a: "x",
        b: Cow::Owned("y z".into()),
        c: None,
        d: Some(""),
        region: Region::UsEast,
        value: 1.5_f32,
        maybe: None,
        text: "t",
        ignored: vec![1],
        at: None,
    };
    assert_eq!(line(&p), r#"cpu-load,a=x,b=y\ z,region=us-east value=1.5,text="t""#);
    let p = Borrowed {
        c: Some("c".into()),
        d: Some("d"),
        maybe: Some(-3),
        at: DateTime::from_timestamp(2, 5),
        region: Region::EuWest,
        ..p
    };
    assert_eq!(line(&p), r#"cpu-load,a=x,b=y\ z,c=c,d=d,region=eu-west value=1.5,maybe=-3i,text="t" 2000000005"#);
    assert_eq!(<Borrowed<'_, u8> as InfluxPoint>::COLUMNS[5], Column::field("value", FieldType::Integer, false));
    assert!(Borrowed::<f64>::COLUMNS[6].optional);
    assert!(Borrowed::<f64>::COLUMNS.iter().all(|c| c.name != "ignored"));
    assert!(Borrowed::<f64>::COLUMNS.last().unwrap().optional);
}

#[derive(InfluxPoint)]
struct Widths {
    a: i8,
    b: i16,
    c: i32,
    d: i64,
    e: u8,
    f: u16,
    g: u32,
    h: u64,
    i: isize,
    j: usize,
    k: f32,
    l: f64,
    m: i128,
    n: u128,
    #[time]
    t: SystemTime,
}

#[test]
fn every_numeric_width() {
    let p = Widths {
        a: i8::MIN,
        b: i16::MIN,
        c: i32::MIN,
        d: i64::MIN,
        e: u8::MAX,
        f: u16::MAX,
        g: u32::MAX,
        h: i64::MAX as u64,
        i: -1,
        j: 1,
        k: 0.1,
        l: 0.1,
        m: -5,
        n: 5,
        t: SystemTime::UNIX_EPOCH + Duration::from_secs(1),
    };
    assert_eq!(
        line(&p),
        "widths a=-128i,b=-32768i,c=-2147483648i,d=-9223372036854775808i,e=255i,f=65535i,g=4294967295i,\
         h=9223372036854775807i,i=-1i,j=1i,k=0.1,l=0.1,m=-5i,n=5i 1000000000"
    );
    assert_eq!(Widths::COLUMNS[7].field_type, Some(FieldType::UInteger));
    let big = Widths { h: u64::MAX, ..p };
    let err = to_line_protocol(&big, &EncodeOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("field `h` is 18446744073709551615, above i64::MAX"), "{err}");
}

#[derive(InfluxPoint)]
struct Sparse {
    #[tag]
    host: Option<String>,
    a: Option<f64>,
    b: Option<String>,
}

#[test]
fn all_none_fields_is_an_error_naming_the_point() {
    let pts = [Sparse { host: None, a: Some(1.0), b: None }, Sparse { host: Some("h".into()), a: None, b: None }];
    let mut buf = Vec::new();
    let err = encode_batch(&pts, &mut buf, &EncodeOptions::default()).unwrap_err();
    assert_eq!(err.kind(), influx::ErrorKind::Encode);
    assert_eq!(err.to_string(), "point 1: point has no field (line protocol needs at least one)");
    assert!(buf.is_empty());
}

#[test]
fn default_tags_merge_with_derived_tags() {
    let mut opts = EncodeOptions::default();
    opts.default_tags.insert("dc", "fra").unwrap();
    opts.default_tags.insert("host", "default").unwrap();
    opts.default_tags.insert("zone", "z1").unwrap();
    let line = |p: &Sparse| to_line_protocol(p, &opts).unwrap();
    assert_eq!(
        line(&Sparse { host: Some("mine".into()), a: Some(1.0), b: None }),
        "sparse,dc=fra,host=mine,zone=z1 a=1.0"
    );
    assert_eq!(line(&Sparse { host: None, a: Some(1.0), b: None }), "sparse,dc=fra,host=default,zone=z1 a=1.0");
}

#[test]
fn precision_applies_to_derived_time() {
    let opts = EncodeOptions { precision: Precision::Milliseconds, ..Default::default() };
    let p = Widths { h: 0, t: SystemTime::UNIX_EPOCH + Duration::from_nanos(1_234_567_891), ..widths() };
    assert!(to_line_protocol(&p, &opts).unwrap().ends_with(" 1234"));
}

fn widths() -> Widths {
    Widths {
        a: 0,
        b: 0,
        c: 0,
        d: 0,
        e: 0,
        f: 0,
        g: 0,
        h: 0,
        i: 0,
        j: 0,
        k: 0.0,
        l: 0.0,
        m: 0,
        n: 0,
        t: SystemTime::UNIX_EPOCH,
    }
}

mod renamed_crate {
    use influx as my_influx;

    #[derive(my_influx::InfluxPoint)]
    #[influx(crate = "my_influx", measurement = "r")]
    pub(super) struct R {
        pub(super) v: i64,
        #[allow(non_snake_case)]
        pub(super) r#type: bool,
    }
}

#[test]
fn crate_path_and_raw_identifiers() {
    assert_eq!(line(&renamed_crate::R { v: 1, r#type: true }), "r v=1i,type=true");
}
