//! Tests of the encoder as a whole: ordering, default tags, timestamps, errors.

use super::*;
use crate::Precision;

fn opts_with_defaults(tags: &[(&str, &str)]) -> EncodeOptions {
    let mut opts = EncodeOptions::default();
    for (k, v) in tags {
        opts.default_tags.insert(*k, *v).unwrap();
    }
    opts
}

#[test]
fn point_sorts_tags_and_omits_empty_values() {
    let p = Point::new("m").tag("z", "1").tag("a", "").tag("m", "2").field("v", 1_i64);
    assert_eq!(p.to_line_protocol().unwrap(), "m,m=2,z=1 v=1i");
}

#[test]
fn tags_sort_by_bytes_not_by_locale() {
    let p = Point::new("m").tag("b", "1").tag("B", "2").tag("é", "3").tag("_", "4").field("v", 1_i64);
    assert_eq!(p.to_line_protocol().unwrap(), "m,B=2,_=4,b=1,é=3 v=1i");
}

#[test]
fn default_tags_merge_in_sorted_order() {
    let opts = opts_with_defaults(&[("a", "0"), ("n", "0"), ("zz", "0")]);
    let p = Point::new("m").tag("b", "1").tag("y", "2").field("v", 1_i64);
    assert_eq!(p.to_line_protocol_with(&opts).unwrap(), "m,a=0,b=1,n=0,y=2,zz=0 v=1i");
}

#[test]
fn own_tag_wins_over_default() {
    let opts = opts_with_defaults(&[("host", "default"), ("region", "eu")]);
    let p = Point::new("m").tag("host", "mine").field("v", 1_i64);
    assert_eq!(p.to_line_protocol_with(&opts).unwrap(), "m,host=mine,region=eu v=1i");
}

#[test]
fn default_applies_when_own_tag_is_empty() {
    let opts = opts_with_defaults(&[("host", "default")]);
    let p = Point::new("m").tag("host", "").field("v", 1_i64);
    assert_eq!(p.to_line_protocol_with(&opts).unwrap(), "m,host=default v=1i");
}

#[test]
fn default_tags_are_escaped_and_apply_to_every_point_of_a_batch() {
    let opts = opts_with_defaults(&[("data center", "a,b")]);
    let pts = [Point::new("m").field("v", 1_i64), Point::new("m").tag("x", "1").field("v", 2_i64)];
    let mut buf = Vec::new();
    encode_batch(&pts, &mut buf, &opts).unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), "m,data\\ center=a\\,b v=1i\nm,data\\ center=a\\,b,x=1 v=2i");
}

#[test]
fn invalid_default_tags_are_rejected_up_front() {
    let mut t = DefaultTags::new();
    assert_eq!(t.insert("", "x").unwrap_err().to_string(), "tag key `` is empty");
    assert_eq!(
        t.insert("time", "x").unwrap_err().to_string(),
        "tag key `time` is `time`, which the server reserves for the timestamp"
    );
    assert!(t.insert("k", "v\\").unwrap_err().to_string().starts_with("tag `k` value ends with a backslash"));
    assert!(t.is_empty());
}

fn env(key: &str, source: TagSource, lookup: Option<&[u8]>) -> Result<String> {
    use std::os::unix::ffi::OsStringExt;
    source.resolve_with(key, |_| lookup.map(|v| std::ffi::OsString::from_vec(v.to_vec())))
}

fn from_env(var: &str, fallback: Option<&str>) -> TagSource {
    TagSource::Env { var: var.into(), fallback: fallback.map(Into::into) }
}

#[test]
fn env_default_tags_read_the_variable_or_fail_naming_tag_and_variable() {
    assert_eq!(env("dc", from_env("DC", None), Some(b"fra 1")).unwrap(), "fra 1");
    assert_eq!(env("dc", from_env("DC", Some("x")), Some(b"fra")).unwrap(), "fra");
    let unset = env("dc", from_env("DC", None), None).unwrap_err();
    assert_eq!(unset.kind(), ErrorKind::Builder);
    assert_eq!(
        unset.to_string(),
        "default tag `dc`: environment variable `DC` is not set (set it, or give a fallback with `default_tag_env_or`)"
    );
    let empty = env("dc", from_env("DC", None), Some(b"")).unwrap_err();
    assert_eq!(
        empty.to_string(),
        "default tag `dc`: environment variable `DC` is empty (set it, or give a fallback with `default_tag_env_or`)"
    );
    // A fallback covers unset and empty; an empty fallback means "leave the tag out".
    assert_eq!(env("dc", from_env("DC", Some("fra")), None).unwrap(), "fra");
    assert_eq!(env("dc", from_env("DC", Some("fra")), Some(b"")).unwrap(), "fra");
    assert_eq!(env("dc", from_env("DC", Some("")), None).unwrap(), "");
    // A set variable that is not Unicode is an error even with a fallback.
    let bad = env("dc", from_env("DC", Some("fra")), Some(b"\xff")).unwrap_err();
    assert_eq!(bad.to_string(), "default tag `dc`: environment variable `DC` is not valid Unicode");
    for name in ["", "A=B", "A\0B"] {
        let e = env("dc", from_env(name, None), Some(b"x")).unwrap_err();
        assert!(e.to_string().contains("is not a valid variable name"), "{e}");
    }
    assert_eq!(env("k", TagSource::Value("v".into()), None).unwrap(), "v");
}

#[test]
fn env_default_tags_are_checked_and_applied_in_order() {
    let mut t = DefaultTags::new();
    let unset = "INFLUX_TEST_SURELY_UNSET_7F3A";
    let sources = [
        ("dc".to_string(), TagSource::Value("a".into())),
        ("dc".to_string(), from_env(unset, Some("b c"))),
        ("host".to_string(), from_env(unset, Some("h"))),
        ("host".to_string(), from_env(unset, Some(""))),
    ];
    t.apply(&sources).unwrap();
    assert_eq!(t.iter().collect::<Vec<_>>(), [("dc", "b c")]);
    let opts = EncodeOptions { default_tags: t, ..EncodeOptions::default() };
    assert_eq!(Point::new("m").field("v", 1_i64).to_line_protocol_with(&opts).unwrap(), "m,dc=b\\ c v=1i");
    // A fallback that line protocol cannot carry is an encode error naming the tag.
    let e = DefaultTags::new().insert_env_or("k", unset, "v\\").unwrap_err();
    assert!(e.to_string().starts_with("tag `k` value ends with a backslash"), "{e}");
    let e = DefaultTags::new().insert_env("k", unset).unwrap_err();
    assert!(e.to_string().contains(&format!("`{unset}` is not set")), "{e}");
}

#[test]
fn precision_truncates_exactly_toward_negative_infinity() {
    let cases = [
        (Precision::Nanoseconds, 1_700_000_000_123_456_789, "1700000000123456789"),
        (Precision::Microseconds, 1_700_000_000_123_456_789, "1700000000123456"),
        (Precision::Milliseconds, 1_700_000_000_123_456_789, "1700000000123"),
        (Precision::Seconds, 1_700_000_000_123_456_789, "1700000000"),
        (Precision::Seconds, -1, "-1"),
        (Precision::Milliseconds, -1_000_001, "-2"),
        (Precision::Seconds, MAX_NANOS, "9223372036"),
        (Precision::Nanoseconds, MIN_NANOS, "-9223372036854775806"),
        (Precision::Minutes, 180_000_000_001, "3"),
        (Precision::Minutes, -1, "-1"),
        (Precision::Hours, 7_199_999_999_999, "1"),
        (Precision::Hours, -3_600_000_000_001, "-2"),
        (Precision::Hours, MAX_NANOS, "2562047"),
    ];
    for (precision, ns, want) in cases {
        let opts = EncodeOptions { precision, ..Default::default() };
        let line = Point::new("m").field("v", 1_i64).timestamp(ns).to_line_protocol_with(&opts).unwrap();
        assert_eq!(line, format!("m v=1i {want}"), "{precision:?} {ns}");
    }
}

#[test]
fn timestamps_outside_the_server_range_are_errors() {
    for ns in [i64::MIN, i64::MIN + 1, i64::MAX] {
        let e = Point::new("m").field("v", 1_i64).timestamp(ns).to_line_protocol().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Encode);
        assert!(e.to_string().starts_with(&format!("timestamp {ns} ns is outside")), "{e}");
    }
    // In range as nanoseconds, but the start of its second is not.
    let opts = EncodeOptions { precision: Precision::Seconds, ..Default::default() };
    assert!(Point::new("m").field("v", 1_i64).timestamp(MIN_NANOS).to_line_protocol_with(&opts).is_err());
    let far = chrono::DateTime::from_timestamp(300 * 365 * 86_400, 0).unwrap();
    assert!(Point::new("m").field("v", 1_i64).timestamp(far).to_line_protocol().is_err());
}

#[test]
fn chrono_and_system_time_give_the_same_line() {
    let dt = chrono::DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap();
    let st = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 123_456_789);
    let a = Point::new("m").field("v", 1_i64).timestamp(dt).to_line_protocol().unwrap();
    let b = Point::new("m").field("v", 1_i64).timestamp(st).to_line_protocol().unwrap();
    let c = Point::new("m").field("v", 1_i64).timestamp(1_700_000_000_123_456_789_i64).to_line_protocol().unwrap();
    assert_eq!((a.as_str(), b.as_str()), (c.as_str(), c.as_str()));
}

#[test]
fn no_field_is_an_error() {
    let e = Point::new("m").tag("t", "1").to_line_protocol().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Encode);
}

#[test]
fn errors_name_the_point_and_the_key() {
    let cases: Vec<(Point, &str)> = vec![
        (Point::new("").field("v", 1_i64), "point 1: measurement `` is empty"),
        (Point::new("#m").field("v", 1_i64), "point 1: measurement `#m` starts with `#`"),
        (Point::new("a\nb").field("v", 1_i64), "point 1: measurement `a\\nb` contains a newline"),
        (Point::new("m\\").field("v", 1_i64), "point 1: measurement `m\\\\` ends with a backslash"),
        (Point::new("m").tag("", "x").field("v", 1_i64), "point 1: tag key `` is empty"),
        (Point::new("m").tag("time", "x").field("v", 1_i64), "point 1: tag key `time` is `time`"),
        (Point::new("m").tag("k", "a\nb").field("v", 1_i64), "point 1: tag `k` value contains a newline"),
        (Point::new("m").tag("k", "x\\").field("v", 1_i64), "point 1: tag `k` value ends with a backslash"),
        (Point::new("m").tag("k\n", "x").field("v", 1_i64), "point 1: tag key `k\\n` contains a newline"),
        (Point::new("m").field("", 1_i64), "point 1: field key `` is empty"),
        (Point::new("m").field("time", 1_i64), "point 1: field key `time` is `time`"),
        (Point::new("m").field("v\\", 1_i64), "point 1: field key `v\\\\` ends with a backslash"),
        (Point::new("\tm").field("v", 1_i64), "point 1: measurement `\\tm` starts with a tab or a NUL byte"),
        (Point::new("m").field("\0v", 1_i64), "point 1: field key `\\0v` starts with a tab or a NUL byte"),
        (Point::new("m\\=x").field("v", 1_i64), "point 1: measurement `m\\\\=x` has a backslash before"),
        (Point::new("m").field("a\\\"b", 1_i64), r#"point 1: field key `a\\\"b` has a backslash before `"`"#),
        (Point::new("m").field("a\\,b", 1_i64), "point 1: field key `a\\\\,b` has an odd number of backslashes"),
        (Point::new("m").field("v", f64::INFINITY), "point 1: field `v` is inf"),
        (Point::new("m").field("v", u64::MAX), "point 1: field `v` is 18446744073709551615, above i64::MAX"),
        (Point::new("m").field("v", "x".repeat(MAX_STRING_LEN + 1)), "point 1: field `v` is a string of 65537 bytes"),
        (Point::new("m"), "point 1: point has no field"),
        (Point::new("m").field("v", 1_i64).timestamp(i64::MAX), "point 1: timestamp 9223372036854775807 ns is outside"),
    ];
    for (bad, want) in cases {
        let mut buf = b"keep".to_vec();
        let pts = [Point::new("ok").field("v", 1_i64), bad];
        let e = encode_batch(&pts, &mut buf, &EncodeOptions::default()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Encode);
        assert!(e.to_string().starts_with(want), "got `{e}`, want `{want}`");
        assert_eq!(buf, b"keep", "the buffer is restored on error");
    }
}

#[test]
fn series_key_over_the_server_limit_is_an_error() {
    let p = Point::new("m").tag("k", "v".repeat(MAX_KEY_LEN)).field("v", 1_i64);
    let e = p.to_line_protocol().unwrap_err();
    assert!(e.to_string().starts_with("series key is 65539 bytes"), "{e}");
}

#[test]
fn batch_lines_are_joined_by_lf_only_and_appended() {
    let mut buf = b"x y=1i".to_vec();
    let pts = [Point::new("a").field("v", 1_i64), Point::new("b").field("v", 2_i64)];
    assert_eq!(encode_batch(&pts, &mut buf, &EncodeOptions::default()).unwrap(), 2);
    assert_eq!(buf, b"x y=1i\na v=1i\nb v=2i");
    assert!(!buf.contains(&b'\r'));
}

#[test]
fn empty_batch_writes_nothing() {
    let mut buf = Vec::new();
    assert_eq!(encode_batch(Vec::<Point>::new(), &mut buf, &EncodeOptions::default()).unwrap(), 0);
    assert!(buf.is_empty());
}

#[test]
fn pre_escaped_keys_write_as_given() {
    const HOST: Key<'static> = Key::__pre_escaped("a b", "a\\ b");
    let opts = opts_with_defaults(&[("a", "0")]);
    let mut buf = Vec::new();
    let mut enc = Encoder::new(&mut buf, &opts);
    enc.__measurement_escaped(b"m\\ x");
    enc.tag(&HOST, "v").unwrap();
    enc.__tag_escaped("b", b",b=", "w x").unwrap();
    enc.field_i64(&HOST, 1).unwrap();
    assert_eq!(buf, b"m\\ x,a=0,a\\ b=v,b=w\\ x a\\ b=1i");
}

#[test]
fn tags_keep_what_measurements_and_field_keys_refuse() {
    let p = Point::new("m").tag("\tk\\,", "\0v\\ \\\"").field("f", 1_i64);
    assert_eq!(p.to_line_protocol().unwrap(), "m,\tk\\\\,=\0v\\\\ \\\" f=1i");
}

#[test]
fn a_key_that_only_a_tag_may_hold_fails_as_a_field() {
    let key = Key::new("\tk").unwrap();
    let opts = EncodeOptions::default();
    let mut buf = Vec::new();
    let mut enc = Encoder::new(&mut buf, &opts);
    enc.measurement("m").unwrap();
    enc.tag(&key, "v").unwrap();
    let e = enc.field_i64(&key, 1).unwrap_err();
    assert_eq!(e.to_string(), "field key `\\tk` starts with a tab or a NUL byte, which the server strips");
    assert!(Key::new("a\nb").is_err());
}

#[test]
fn replacing_tags_and_fields_keeps_the_last_value_and_equality_ignores_what_was_replaced() {
    let replaced = Point::new("m").tag("b", "old").tag("a", "1").tag("b", "2").field("v", 1_i64).field("v", "s");
    let direct = Point::new("m").tag("a", "1").tag("b", "2").field("v", "s");
    assert_eq!(replaced, direct);
    assert_ne!(replaced, direct.clone().tag("a", "x"));
    assert_eq!(replaced.to_line_protocol().unwrap(), "m,a=1,b=2 v=\"s\"");
    assert_eq!(replaced.tags().collect::<Vec<_>>(), [("a", "1"), ("b", "2")]);
    assert_eq!(
        format!("{replaced:?}"),
        r#"Point { measurement: "m", tags: [("a", "1"), ("b", "2")], fields: [("v", String("s"))], time: Unset }"#
    );
    // Borrowed and owned text are taken alike.
    let (k, v) = (String::from("host"), std::borrow::Cow::Borrowed("a b"));
    let p = Point::new(String::from("m")).tag(&k, v).field(k.as_str(), 2.5);
    assert_eq!(p.to_line_protocol().unwrap(), "m,host=a\\ b host=2.5");
}
