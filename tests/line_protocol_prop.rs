//! Property tests: arbitrary names and values encode to lines that parsers read
//! back unchanged.
//!
//! Two oracles:
//! - the independent `influxdb-line-protocol` parser (InfluxDB 3's), for every
//!   string it shares semantics with 1.x on: it treats `\\` in names as an
//!   escaped backslash and a tab as a separator, where 1.x keeps both literally,
//!   so names drawn for it contain neither (string field values may hold anything);
//! - a model of the InfluxDB 1.x reader (`models/points.go`: a separator is
//!   escaped when the byte before it is a backslash; unescaping replaces `\,`,
//!   `\=`, `\ ` in turn), for names with backslashes, tabs and everything else.
use influx::line_protocol::{Point, Value};
use influxdb_line_protocol::{parse_lines, FieldValue};
use proptest::prelude::*;

/// Names without newline, backslash or tab, non-empty, no leading `#`, not `time`.
fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,=\"'#_.\\-ü中🚀]{1,12}".prop_filter("not encodable", |s| !s.starts_with('#') && s != "time")
}

/// Anything 1.x can carry in a name: backslashes and tabs included, but no
/// backslash at the end or before `,`, `=`, `"` or a space (rejected by the encoder).
fn name_1x() -> impl Strategy<Value = String> {
    "[a-z ,=\"\\\\\t🚀]{1,12}".prop_filter("not encodable", |s| {
        let backslash_before_special = [",", "=", " ", "\""].iter().any(|c| s.contains(&format!("\\{c}")));
        !s.starts_with('#') && !s.ends_with('\\') && s != "time" && !backslash_before_special
    })
}

fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::Float),
        any::<i64>().prop_map(Value::Integer),
        any::<bool>().prop_map(Value::Boolean),
        ".{0,40}".prop_map(Value::String),
        "[\"\\\\\n\t ,=a]{0,20}".prop_map(Value::String),
    ]
}

fn same(parsed: &FieldValue<'_>, want: &Value) -> bool {
    match (parsed, want) {
        (FieldValue::F64(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
        (FieldValue::I64(a), Value::Integer(b)) => a == b,
        (FieldValue::Boolean(a), Value::Boolean(b)) => a == b,
        (FieldValue::String(a), Value::String(b)) => a.to_string() == *b,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn independent_parser_reads_back_what_we_wrote(
        measurement in name(),
        tags in proptest::collection::btree_map(name(), name(), 0..4),
        fields in proptest::collection::btree_map(name(), field_value(), 1..5),
        ts in proptest::option::of(influx::line_protocol::MIN_NANOS..=influx::line_protocol::MAX_NANOS),
    ) {
        let mut p = Point::new(measurement.as_str());
        for (k, v) in &tags { p = p.tag(k.as_str(), v.as_str()); }
        for (k, v) in &fields { p = p.field(k.as_str(), v.clone()); }
        if let Some(ts) = ts { p = p.timestamp(ts); }
        let line = p.to_line_protocol().unwrap();
        let parsed: Vec<_> = parse_lines(&line).collect();
        prop_assert_eq!(parsed.len(), 1, "{}", line);
        let parsed = parsed.into_iter().next().unwrap().unwrap();
        prop_assert_eq!(parsed.series.measurement.to_string(), measurement);
        let got_tags: Vec<(String, String)> = parsed.series.tag_set.iter().flatten()
            .map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut want_tags: Vec<(String, String)> = tags.clone().into_iter().collect();
        want_tags.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        prop_assert_eq!(got_tags, want_tags);
        prop_assert_eq!(parsed.field_set.len(), fields.len());
        for (k, v) in &parsed.field_set {
            let want = &fields[&k.to_string()];
            prop_assert!(same(v, want), "{}: {:?} vs {:?} in {}", k, v, want, line);
        }
        prop_assert_eq!(parsed.timestamp, ts);
    }

    #[test]
    fn names_the_encoder_accepts_are_exactly_the_filtered_ones(s in "[a ,=\"\\\\#\n]{0,8}") {
        let ok = Point::new("m").tag("t", s.as_str()).field("v", 1_i64).to_line_protocol().is_ok();
        let backslash_before_special = [",", "=", " ", "\""].iter().any(|c| s.contains(&format!("\\{c}")));
        let expected = s.is_empty() || !(s.ends_with('\\') || s.contains('\n') || backslash_before_special);
        prop_assert_eq!(ok, expected, "{:?}", s);
    }

    #[test]
    fn influxdb_1x_reader_model_reads_back_what_we_wrote(
        measurement in name_1x(),
        tag_key in name_1x(),
        tag_value in name_1x(),
        field_key in name_1x(),
    ) {
        let p = Point::new(measurement.as_str()).tag(tag_key.as_str(), tag_value.as_str()).field(field_key.as_str(), 1_i64);
        let line = p.to_line_protocol().unwrap();
        let (m, t, f) = read_1x(&line).unwrap_or_else(|| panic!("unparsable: {line:?}"));
        prop_assert_eq!(m, measurement);
        prop_assert_eq!(t, vec![(tag_key, tag_value)]);
        prop_assert_eq!(f, field_key);
    }
}

/// Splits `s` at the first `sep` whose previous byte is not a backslash (1.x's scanner rule).
fn split_unescaped<'a>(s: &'a str, seps: &[u8]) -> (&'a str, Option<(u8, &'a str)>) {
    let b = s.as_bytes();
    for i in 0..b.len() {
        if seps.contains(&b[i]) && (i == 0 || b[i - 1] != b'\\') {
            return (&s[..i], Some((b[i], &s[i + 1..])));
        }
    }
    (s, None)
}

fn unescape(s: &str, codes: &[char]) -> String {
    let mut out = s.to_owned();
    for c in codes {
        out = out.replace(&format!("\\{c}"), &c.to_string());
    }
    out
}

/// Measurement, tags and the first field key of a 1.x line, read as `models/points.go` does.
fn read_1x(line: &str) -> Option<(String, Vec<(String, String)>, String)> {
    let (m, rest) = split_unescaped(line, b", ");
    let (mut sep, mut rest) = rest?;
    let mut tags = Vec::new();
    while sep == b',' {
        let (k, r) = split_unescaped(rest, b"=");
        let (_, r) = r?;
        let (v, r) = split_unescaped(r, b", ");
        let (s, r) = r?;
        tags.push((unescape(k, &[',', ' ', '=']), unescape(v, &[',', ' ', '='])));
        sep = s;
        rest = r;
    }
    let (fk, _) = split_unescaped(rest, b"=");
    Some((unescape(m, &[',', ' ']), tags, unescape(fk, &[',', ' ', '='])))
}
