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
//!   `\=`, `\ ` in turn, and `\"` too in measurements and field keys), for
//!   names with backslashes, tabs, NULs and newlines; which names the encoder
//!   accepts is settled on a real server by `tests/byte_matrix.rs`.
use influx::line_protocol::{Point, Value};
use influxdb_line_protocol::{parse_lines, FieldValue};
use proptest::prelude::*;

/// Names without newline, backslash or tab, non-empty, no leading `#`, not `time`.
fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,=\"'#_.\\-ü中🚀]{1,12}".prop_filter("not encodable", |s| !s.starts_with('#') && s != "time")
}

/// Names drawn from what 1.x treats specially (separators, quotes,
/// backslashes, tab, NUL, newline), kept when `ok` (the encoder's rule for
/// the element) allows them.
fn name_1x(ok: fn(&str) -> bool) -> impl Strategy<Value = String> {
    "[a-z ,=\"\\\\\t\n\u{0}🚀]{1,12}".prop_filter("not encodable", move |s| s != "time" && ok(s))
}

/// How many backslashes come right before byte `i` of `s`.
fn run_before(s: &str, i: usize) -> usize {
    s.as_bytes()[..i].iter().rev().take_while(|&&b| b == b'\\').count()
}

/// Whether `s` has a byte from `set` right after a run of backslashes that `odd` (or any run) picks.
fn after_backslashes(s: &str, set: &[u8], odd: bool) -> bool {
    s.bytes().enumerate().any(|(i, b)| set.contains(&b) && run_before(s, i) > 0 && (!odd || run_before(s, i) % 2 == 1))
}

/// The rules of `influx_core::line_protocol`, as settled by `tests/byte_matrix.rs`.
/// Tags: no trailing backslash, no newline but right after an odd run of backslashes.
fn ok_tag(s: &str) -> bool {
    let bare_newline = s.bytes().enumerate().any(|(i, b)| b == b'\n' && run_before(s, i) % 2 == 0);
    !s.ends_with('\\') && !bare_newline
}

/// Measurements: also no leading `#`, tab or NUL, no backslash before `,` `=` `"` or space.
fn ok_measurement(s: &str) -> bool {
    ok_tag(s) && !s.starts_with(['#', '\t', '\0']) && !after_backslashes(s, b",= \"", false)
}

/// Field keys: also no leading tab or NUL, no backslash before `"`, no odd run before `,` `=` or space.
fn ok_field_key(s: &str) -> bool {
    ok_tag(s)
        && !s.starts_with(['\t', '\0'])
        && !after_backslashes(s, b"\"", false)
        && !after_backslashes(s, b",= ", true)
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
        (FieldValue::String(a), Value::String(b)) => a.as_str() == b.as_str(),
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
    fn names_the_encoder_accepts_are_exactly_the_filtered_ones(s in "[a ,=\"\\\\#\t\n\u{0}]{0,8}") {
        let accepts = |p: Point| p.to_line_protocol().is_ok();
        prop_assert_eq!(accepts(Point::new("m").tag("t", s.as_str()).field("v", 1_i64)), s.is_empty() || ok_tag(&s), "tag value {:?}", s);
        let named = !s.is_empty() && s != "time";
        prop_assert_eq!(accepts(Point::new("m").tag(s.as_str(), "v").field("v", 1_i64)), named && ok_tag(&s), "tag key {:?}", s);
        prop_assert_eq!(accepts(Point::new(s.as_str()).field("v", 1_i64)), !s.is_empty() && ok_measurement(&s), "measurement {:?}", s);
        prop_assert_eq!(accepts(Point::new("m").field(s.as_str(), 1_i64)), named && ok_field_key(&s), "field key {:?}", s);
    }

    #[test]
    fn influxdb_1x_reader_model_reads_back_what_we_wrote(
        measurement in name_1x(ok_measurement),
        tag_key in name_1x(ok_tag),
        tag_value in name_1x(ok_tag),
        field_key in name_1x(ok_field_key),
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

/// Measurement, tags and the first field key of a line.
type Read1x = (String, Vec<(String, String)>, String);

/// Measurement, tags and the first field key of a 1.x line, read as `models/points.go` does.
fn read_1x(line: &str) -> Option<Read1x> {
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
    Some((unescape(m, &[',', ' ', '=', '"']), tags, unescape(fk, &[',', ' ', '=', '"'])))
}
