//! Line protocol against a real InfluxDB: what we write is what the server
//! stores, value by value and type by type, and what cannot be written is
//! rejected before anything is sent.
use crate::support;

use std::collections::BTreeMap;

use influx::line_protocol::{encode_batch, Point, MAX_STRING_LEN};
use influx::{Client, EncodeOptions, ErrorKind, InfluxPoint, Precision, Query};
use serde_json::Value as Json;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// A fresh database and a client writing to it.
fn setup(name: &str) -> (String, String, Client) {
    let url = support::url();
    let db = support::create_db(&url, name);
    let client = Client::new(url.clone(), db.clone()).unwrap();
    (url, db, client)
}

/// Runs `q` on `db` with integer nanosecond timestamps; returns the raw body.
fn query_raw(url: &str, db: &str, q: &str) -> String {
    let body = format!("db={}&epoch=ns&q={}", support::form_encode(db), support::form_encode(q));
    let (status, text) =
        support::http(url, "POST", "/query", None, "application/x-www-form-urlencoded", body.as_bytes());
    assert_eq!(status, 200, "{q}: {text}");
    assert!(!text.contains("\"error\""), "{q}: {text}");
    text
}

/// One series of a query answer.
#[derive(Debug)]
struct Series {
    name: String,
    tags: BTreeMap<String, String>,
    rows: Vec<BTreeMap<String, Json>>,
}

fn query(url: &str, db: &str, q: &str) -> Vec<Series> {
    let v: Json = serde_json::from_str(&query_raw(url, db, q)).unwrap();
    let mut out = Vec::new();
    for s in v["results"][0]["series"].as_array().cloned().unwrap_or_default() {
        let columns: Vec<String> = serde_json::from_value(s["columns"].clone()).unwrap();
        let rows = s["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| columns.iter().cloned().zip(row.as_array().unwrap().iter().cloned()).collect())
            .collect();
        let tags = serde_json::from_value(s.get("tags").cloned().unwrap_or(Json::Null)).unwrap_or_default();
        out.push(Series { name: s["name"].as_str().unwrap().to_owned(), tags, rows });
    }
    out
}

/// The first column of every row of every series (for SHOW queries).
fn show(url: &str, db: &str, q: &str) -> Vec<(String, Vec<Json>)> {
    query(url, db, q)
        .into_iter()
        .flat_map(|s| {
            let name = s.name.clone();
            s.rows.into_iter().map(move |r| (name.clone(), r.into_values().collect()))
        })
        .collect()
}

fn field_types(url: &str, db: &str) -> BTreeMap<(String, String), String> {
    let v: Json = serde_json::from_str(&query_raw(url, db, "SHOW FIELD KEYS")).unwrap();
    let mut out = BTreeMap::new();
    for s in v["results"][0]["series"].as_array().unwrap() {
        for row in s["values"].as_array().unwrap() {
            out.insert(
                (s["name"].as_str().unwrap().to_owned(), row[0].as_str().unwrap().to_owned()),
                row[1].as_str().unwrap().to_owned(),
            );
        }
    }
    out
}

fn count_points(url: &str, db: &str) -> usize {
    query(url, db, "SELECT * FROM /.*/").iter().map(|s| s.rows.len()).sum()
}

const HOSTILE: &[&str] = &[
    "plain",
    "with space",
    "comma,inside",
    "equals=sign",
    r#"double"quote"#,
    "single'quote",
    r"back\slash",
    r"back\slash\tletter",
    r"two\\backslashes",
    "tab\there",
    "cr\rhere",
    "unicode ünïcödé 中文",
    "emoji 🚀🔥",
    "#hash-not-first",
    "trailing space ",
    " leading space",
    "all , = \" \\' 🚀 mixed",
];

fn field_key(s: &str) -> String {
    format!("fk {s}")
}

#[test]
fn hostile_names_and_tag_values_round_trip_exactly() {
    let (url, db, client) = setup("hostile_names");
    let points: Vec<Point> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Point::new(format!("m {s}"))
                .tag(format!("tk {s}"), format!("tv {s}"))
                .tag("plain", *s)
                .field(field_key(s), i as i64)
                .timestamp(i as i64 + 1)
        })
        .collect();
    runtime().block_on(client.write(&points)).unwrap();

    let measurements: Vec<String> =
        show(&url, &db, "SHOW MEASUREMENTS").into_iter().map(|(_, r)| r[0].as_str().unwrap().to_owned()).collect();
    let mut want: Vec<String> = HOSTILE.iter().map(|s| format!("m {s}")).collect();
    want.sort();
    assert_eq!(measurements, want);

    let tag_keys: Vec<(String, String)> = show(&url, &db, "SHOW TAG KEYS")
        .into_iter()
        .map(|(m, r)| (m, r[0].as_str().unwrap().to_owned()))
        .filter(|(_, k)| k != "plain")
        .collect();
    for s in HOSTILE {
        assert!(tag_keys.contains(&(format!("m {s}"), format!("tk {s}"))), "tag key `tk {s}` missing: {tag_keys:?}");
    }

    let types = field_types(&url, &db);
    for (i, s) in HOSTILE.iter().enumerate() {
        assert_eq!(types.get(&(format!("m {s}"), field_key(s))).map(String::as_str), Some("integer"), "{s}");
        let series: Vec<Series> = query(&url, &db, "SELECT * FROM /.*/ GROUP BY *")
            .into_iter()
            .filter(|x| x.name == format!("m {s}"))
            .collect();
        assert_eq!(series.len(), 1, "{s}: {series:?}");
        let series = &series[0];
        assert_eq!(series.tags.get(&format!("tk {s}")).map(String::as_str), Some(format!("tv {s}").as_str()));
        assert_eq!(series.tags.get("plain").map(String::as_str), Some(*s));
        assert_eq!(series.rows.len(), 1);
        assert_eq!(series.rows[0]["time"], Json::from(i as i64 + 1));
        assert_eq!(series.rows[0][&field_key(s)], Json::from(i as i64), "{s}");
    }
}

#[derive(InfluxPoint)]
#[influx(measurement = r#"disk io, "quoted" \x 🚀"#)]
struct HostileDerived {
    #[tag]
    #[influx(rename = r"host name,=\x")]
    host: String,
    #[influx(rename = "used %, = \"\\x")]
    used: f64,
    #[time]
    at: i64,
}

#[test]
fn derive_pre_escaped_names_round_trip_exactly() {
    let (url, db, client) = setup("hostile_derive");
    let p = HostileDerived { host: r"a\b, c=d".into(), used: 0.5, at: 7 };
    runtime().block_on(client.write([&p])).unwrap();
    let series = query(&url, &db, "SELECT * FROM /.*/ GROUP BY *");
    assert_eq!(series.len(), 1, "{series:?}");
    assert_eq!(series[0].name, HostileDerived::MEASUREMENT);
    assert_eq!(series[0].tags.get(HostileDerived::TAG_KEYS[0]).map(String::as_str), Some(r"a\b, c=d"));
    assert_eq!(series[0].rows[0][HostileDerived::FIELD_KEYS[0]], Json::from(0.5));
    assert_eq!(series[0].rows[0]["time"], Json::from(7));
}

#[test]
fn string_fields_round_trip_exactly() {
    let (url, db, client) = setup("strings");
    let long = "x".repeat(MAX_STRING_LEN);
    let values: Vec<String> = [
        "",
        "plain",
        r#"double "quotes""#,
        r"back\slash",
        r"trailing backslash\",
        r"\\double\\",
        r#"\""#,
        "new\nline",
        "crlf\r\n",
        "tab\t",
        r"literal \n is not a newline",
        "comma, equals= space",
        "unicode ünïcödé 中文 🚀",
        long.as_str(),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let points: Vec<Point> =
        values.iter().enumerate().map(|(i, v)| Point::new("s").field("v", v.as_str()).timestamp(i as i64)).collect();
    runtime().block_on(client.write(&points)).unwrap();
    let series = query(&url, &db, "SELECT v FROM s");
    let got: Vec<&str> = series[0].rows.iter().map(|r| r["v"].as_str().unwrap()).collect();
    assert_eq!(got, values);
    assert_eq!(field_types(&url, &db)[&("s".into(), "v".into())], "string");
}

/// `(time, raw JSON text of the value)` for a single-column numeric query.
fn raw_numbers(body: &str) -> Vec<(i64, String)> {
    let values = body.split("\"values\":[[").nth(1).unwrap().split("]]").next().unwrap();
    values
        .split("],[")
        .map(|pair| {
            let (t, v) = pair.split_once(',').unwrap();
            (t.parse().unwrap(), v.to_owned())
        })
        .collect()
}

#[test]
fn floats_round_trip_bit_for_bit() {
    let (url, db, client) = setup("floats");
    let values = [
        0.0,
        -0.0,
        0.1,
        -0.1,
        1.0 / 3.0,
        1e300,
        -1e-300,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::from_bits(1),                     // smallest subnormal
        f64::from_bits(0x000F_FFFF_FFFF_FFFF), // largest subnormal
        f64::EPSILON,
        123_456_789.123_456_78,
        9_007_199_254_740_993.0,
        1_152_921_504_606_846_976.0,  // 2^60, which the server prints as 1152921504606847000
        18_446_744_073_709_551_616.0, // 2^64, printed as 18446744073709552000
        1e21,
        1e-7,
    ];
    let points: Vec<Point> =
        values.iter().enumerate().map(|(i, v)| Point::new("f").field("v", *v).timestamp(i as i64)).collect();
    let rt = runtime();
    rt.block_on(client.write(&points)).unwrap();
    // Read back as values, through the client's typed and raw decoders (`-0` included).
    let typed: Vec<(i64, f64)> = rt.block_on(client.query_as("SELECT v FROM f")).unwrap();
    let raw = rt.block_on(client.query(Query::new("SELECT v FROM f").epoch(Precision::Nanoseconds))).unwrap();
    let raw: Vec<(i64, f64)> =
        raw.iter_points().map(|p| (p.values[0].as_i64().unwrap(), p.values[1].as_f64().unwrap())).collect();
    for got in [typed, raw] {
        assert_eq!(got.len(), values.len());
        for ((t, v), want) in got.iter().zip(values) {
            assert_eq!(v.to_bits(), want.to_bits(), "point {t}: wrote {want:e}, read {v:e}");
        }
    }
    assert_eq!(field_types(&url, &db)[&("f".into(), "v".into())], "float");
}

#[derive(InfluxPoint)]
#[influx(measurement = "types")]
struct AllTypes {
    #[tag]
    case: &'static str,
    i: i64,
    u: u64,
    small: u8,
    f32: f32,
    b: bool,
    s: String,
    maybe: Option<i32>,
    #[time]
    at: i64,
}

#[test]
fn every_field_type_round_trips_with_its_server_type() {
    let (url, db, client) = setup("types");
    let rows = [
        AllTypes {
            case: "max",
            i: i64::MAX,
            u: i64::MAX as u64,
            small: u8::MAX,
            f32: f32::MAX,
            b: true,
            s: "s".into(),
            maybe: Some(i32::MAX),
            at: 1,
        },
        AllTypes { case: "min", i: i64::MIN, u: 0, small: 0, f32: -1.1, b: false, s: "".into(), maybe: None, at: 2 },
    ];
    runtime().block_on(client.write(&rows)).unwrap();
    let types = field_types(&url, &db);
    let t = |k: &str| types[&("types".to_owned(), k.to_owned())].as_str();
    assert_eq!(
        [t("i"), t("u"), t("small"), t("f32"), t("b"), t("s"), t("maybe")],
        ["integer", "integer", "integer", "float", "boolean", "string", "integer"]
    );
    let series = query(&url, &db, "SELECT * FROM types");
    let r = &series[0].rows;
    assert_eq!(r[0]["i"].as_i64(), Some(i64::MAX));
    assert_eq!(r[1]["i"].as_i64(), Some(i64::MIN));
    assert_eq!(r[0]["u"].as_i64(), Some(i64::MAX));
    assert_eq!(r[0]["small"].as_i64(), Some(255));
    assert_eq!(r[0]["f32"].as_f64().map(|v| v as f32), Some(f32::MAX));
    assert_eq!(r[1]["f32"].as_f64().map(|v| v as f32), Some(-1.1));
    assert_eq!((r[0]["b"].as_bool(), r[1]["b"].as_bool()), (Some(true), Some(false)));
    assert_eq!((r[0]["s"].as_str(), r[1]["s"].as_str()), (Some("s"), Some("")));
    assert_eq!((r[0]["maybe"].as_i64(), &r[1]["maybe"]), (Some(i64::from(i32::MAX)), &Json::Null));
    assert_eq!((r[0]["case"].as_str(), r[1]["case"].as_str()), (Some("max"), Some("min")));
}

#[test]
fn every_precision_stores_the_same_instant() {
    let (url, db, client) = setup("precision");
    let instant = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let rt = runtime();
    for (i, precision) in [Precision::Seconds, Precision::Milliseconds, Precision::Microseconds, Precision::Nanoseconds]
        .into_iter()
        .enumerate()
    {
        let opts = EncodeOptions { precision, ..Default::default() };
        let mut body = Vec::new();
        let p = Point::new("p").tag("precision", precision.as_str()).field("v", i as i64).timestamp(instant);
        encode_batch([&p], &mut body, &opts).unwrap();
        rt.block_on(client.write_lp(body, &influx::WriteOptions::new().precision(precision))).unwrap();
    }
    let series = query(&url, &db, "SELECT * FROM p GROUP BY precision");
    assert_eq!(series.len(), 4);
    for s in &series {
        assert_eq!(s.rows[0]["time"].as_i64(), Some(1_700_000_000_000_000_000), "{:?}", s.tags);
    }
}

#[test]
fn sub_unit_timestamps_are_truncated_toward_negative_infinity() {
    let (url, db, client) = setup("truncate");
    let rt = runtime();
    let cases = [
        (Precision::Milliseconds, 1_700_000_000_123_456_789_i64, 1_700_000_000_123_000_000_i64),
        (Precision::Microseconds, 1_700_000_000_123_456_789, 1_700_000_000_123_456_000),
        (Precision::Seconds, -1, -1_000_000_000),
        (Precision::Milliseconds, -1_500_000, -2_000_000),
    ];
    for (i, (precision, nanos, _)) in cases.iter().enumerate() {
        let opts = EncodeOptions { precision: *precision, ..Default::default() };
        let mut body = Vec::new();
        let p = Point::new("t").tag("case", i.to_string()).field("v", 1_i64).timestamp(*nanos);
        encode_batch([&p], &mut body, &opts).unwrap();
        rt.block_on(client.write_lp(body, &influx::WriteOptions::new().precision(*precision))).unwrap();
    }
    let series = query(&url, &db, "SELECT * FROM t GROUP BY \"case\"");
    for s in series {
        let i: usize = s.tags["case"].parse().unwrap();
        assert_eq!(s.rows[0]["time"].as_i64(), Some(cases[i].2), "case {i}");
    }
}

#[test]
fn timestamps_at_the_edges_of_the_server_range_are_stored() {
    let (url, db, client) = setup("edges");
    let pts = [
        Point::new("e").field("v", 1_i64).timestamp(influx::line_protocol::MIN_NANOS),
        Point::new("e").field("v", 2_i64).timestamp(influx::line_protocol::MAX_NANOS),
    ];
    runtime().block_on(client.write(&pts)).unwrap();
    let body =
        query_raw(&url, &db, "SELECT v FROM e WHERE time >= -9223372036854775806 AND time <= 9223372036854775806");
    let got = raw_numbers(&body);
    assert_eq!(got, [(i64::MIN + 2, "1".to_owned()), (i64::MAX - 1, "2".to_owned())]);
}

#[test]
fn default_tags_are_stored_and_a_points_own_tag_wins() {
    let (url, db, client) = setup("default_tags");
    let mut opts = EncodeOptions::default();
    opts.default_tags.insert("host", "default-host").unwrap();
    opts.default_tags.insert("region", "eu west").unwrap();
    let pts = [
        Point::new("d").field("v", 1_i64).timestamp(1_i64),
        Point::new("d").tag("host", "own").field("v", 2_i64).timestamp(2_i64),
    ];
    let mut body = Vec::new();
    encode_batch(&pts, &mut body, &opts).unwrap();
    runtime().block_on(client.write_lp(body, &influx::WriteOptions::new())).unwrap();
    let series = query(&url, &db, "SELECT * FROM d GROUP BY *");
    let tags: Vec<_> = series.iter().map(|s| (s.tags["host"].as_str(), s.tags["region"].as_str())).collect();
    assert_eq!(tags, [("default-host", "eu west"), ("own", "eu west")]);
}

#[test]
fn empty_tag_values_and_none_fields_are_omitted() {
    let (url, db, client) = setup("omitted");
    let pts = [Point::new("o").tag("empty", "").tag("t", "x").field("v", 1_i64).timestamp(1_i64)];
    runtime().block_on(client.write(&pts)).unwrap();
    let keys: Vec<_> = show(&url, &db, "SHOW TAG KEYS").into_iter().map(|(_, r)| r[0].clone()).collect();
    assert_eq!(keys, [Json::from("t")]);
}

/// Each bad point, placed second in a batch after a good one, gives a typed
/// encode error naming the point and the key, and nothing reaches the server.
#[test]
fn unwritable_points_are_rejected_before_sending() {
    let (url, db, client) = setup("rejected");
    let rt = runtime();
    let long = "x".repeat(MAX_STRING_LEN + 1);
    let cases: Vec<(Point, &str)> = vec![
        (Point::new("#comment").field("v", 1_i64), "point 1: measurement `#comment` starts with `#`"),
        (Point::new("").field("v", 1_i64), "point 1: measurement `` is empty"),
        (Point::new("m").tag("", "v").field("v", 1_i64), "point 1: tag key `` is empty"),
        (Point::new("m").field("", 1_i64), "point 1: field key `` is empty"),
        (Point::new("m").field("v", f64::NAN), "point 1: field `v` is NaN"),
        (Point::new("m").field("v", f64::INFINITY), "point 1: field `v` is inf"),
        (Point::new("m").field("v", f64::NEG_INFINITY), "point 1: field `v` is -inf"),
        (Point::new("m").tag("time", "x").field("v", 1_i64), "point 1: tag key `time` is `time`"),
        (Point::new("m").field("time", 1_i64), "point 1: field key `time` is `time`"),
        (Point::new("a\nb").field("v", 1_i64), "point 1: measurement `a\\nb` contains a newline"),
        (Point::new("m").tag("k\n", "v").field("v", 1_i64), "point 1: tag key `k\\n` contains a newline"),
        (Point::new("m").tag("k", "a\nb").field("v", 1_i64), "point 1: tag `k` value contains a newline"),
        (Point::new("m").field("k\n", 1_i64), "point 1: field key `k\\n` contains a newline"),
        (Point::new("m").tag("k", "v\\").field("v", 1_i64), "point 1: tag `k` value ends with a backslash"),
        (Point::new("m").field("a\\,b", 1_i64), "point 1: field key `a\\\\,b` has an odd number of backslashes"),
        (Point::new("m").field("a\\\"b", 1_i64), "point 1: field key `a\\\\\\\"b` has a backslash before"),
        (Point::new("m\\ x").field("v", 1_i64), "point 1: measurement `m\\\\ x` has a backslash before"),
        (Point::new("\tm").field("v", 1_i64), "point 1: measurement `\\tm` starts with a tab or a NUL byte"),
        (Point::new("m").field("\0v", 1_i64), "point 1: field key `\\0v` starts with a tab or a NUL byte"),
        (Point::new("m\\").field("v", 1_i64), "point 1: measurement `m\\\\` ends with a backslash"),
        (Point::new("m").tag("k", "v"), "point 1: point has no field"),
        (Point::new("m").field("v", 1_i64).timestamp(i64::MAX), "point 1: timestamp 9223372036854775807 ns is outside"),
        (
            Point::new("m").field("v", 1_i64).timestamp(i64::MIN),
            "point 1: timestamp -9223372036854775808 ns is outside",
        ),
        (Point::new("m").field("v", u64::MAX), "point 1: field `v` is 18446744073709551615, above i64::MAX"),
        (Point::new("m").field("v", long.as_str()), "point 1: field `v` is a string of 65537 bytes"),
    ];
    for (bad, want) in cases {
        let batch = [Point::new("good").field("v", 1_i64), bad];
        let err = rt.block_on(client.write(&batch)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encode, "{err}");
        assert!(err.to_string().starts_with(want), "got `{err}`, want `{want}`");
        assert_eq!(err.status(), None);
    }
    assert_eq!(count_points(&url, &db), 0, "nothing was sent");
}

/// Why those rejections matter: the server itself would accept some of them
/// silently (a `#` line is a comment and is dropped with 204).
#[test]
fn the_server_silently_drops_a_measurement_starting_with_hash() {
    let (url, db, _) = setup("hash");
    let (status, _) = support::http(&url, "POST", &format!("/write?db={db}"), None, "", b"#m v=1i 1");
    assert_eq!(status, 204);
    assert_eq!(count_points(&url, &db), 0);
}

/// InfluxDB 1.x (stock builds) has no unsigned integers: the opt-in `u` suffix
/// is refused with 400, which is why it is off by default.
#[test]
fn unsigned_suffix_is_refused_by_a_stock_1x_server() {
    let (url, db, client) = setup("unsigned");
    let opts = EncodeOptions { unsigned_suffix: true, ..Default::default() };
    let mut body = Vec::new();
    encode_batch([Point::new("u").field("v", 5_u64)], &mut body, &opts).unwrap();
    assert_eq!(body, b"u v=5u");
    let err = runtime().block_on(client.write_lp(body, &influx::WriteOptions::new())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest, "{err:?}");
    assert!(err.server_message().unwrap_or_default().contains("invalid number"), "{err:?}");
    assert_eq!(count_points(&url, &db), 0);
}
