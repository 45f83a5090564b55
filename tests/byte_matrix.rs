//! The encoder refuses exactly what the server would alter, and nothing else.
//!
//! Every byte 0x00-0x20 and 0x7F, the characters line protocol gives a meaning
//! to, and runs of backslashes before them, each at the start, middle and end
//! of every element (measurement, tag key, tag value, first and later field
//! key, string value), are written raw to a real InfluxDB and read back by
//! every route it offers: `SHOW MEASUREMENTS`, `SHOW TAG KEYS`, `SHOW TAG
//! VALUES`, `SHOW FIELD KEYS`, `SELECT *` with and without `GROUP BY *`, and
//! by name: `FROM` the measurement, `SELECT` the field, `WITH KEY =` the tag
//! key, `WHERE` the tag and the string value.
//!
//! Then, case by case:
//! - the encoder accepts it exactly when it came back unchanged by every route
//!   (a field key by every route in both positions: the encoder cannot know
//!   which field comes first), and its line is byte for byte the line that did;
//! - a refused case gives the usual error naming the point and the key;
//! - the writer's raw-line check refuses nothing that comes back unchanged, and
//!   every raw line it lets through either comes back unchanged or is refused
//!   by the server and reported as failed: nothing is altered silently.
//!
//! InfluxQL cannot spell a carriage return or a NUL inside a quoted name or
//! string (its reader turns CR into a newline and stops at NUL), so names
//! holding one are reached by an exact regex where InfluxQL takes one, and a
//! `WHERE` on a tag whose key holds one cannot be written at all.
use crate::support;

use std::collections::{BTreeMap, BTreeSet};

use influx::influxql::{escape_regex, quote_ident, quote_string};
use influx::line_protocol::{encode_batch, EncodeOptions, Point};
use influx::writer::WriterOptions;
use influx::{Client, ErrorKind};
use serde_json::Value as Json;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Measurement,
    TagKey,
    TagValue,
    /// The only field of its point.
    FieldKey,
    /// The second field of its point.
    LaterFieldKey,
    StringValue,
}

const KINDS: [Kind; 6] =
    [Kind::Measurement, Kind::TagKey, Kind::TagValue, Kind::FieldKey, Kind::LaterFieldKey, Kind::StringValue];

/// What is tried at each position.
fn sequences() -> Vec<String> {
    let mut out: Vec<String> = (0_u8..=0x20)
        .chain([0x7f, b',', b'=', b'"', b'\'', b'#', b'\\'])
        .map(|b| char::from(b).to_string())
        .chain(["\u{85}", "\u{a0}", "\u{2028}", "\u{feff}"].map(String::from))
        .collect();
    for run in 1..=4 {
        for c in [",", "=", " ", "\"", "\n"] {
            out.push(format!("{}{c}", "\\".repeat(run)));
        }
    }
    for c in ["'", "#", "\t", "\0", "\r", "x"] {
        out.push(format!("\\{c}"));
    }
    out
}

/// One text: `seq` at the start, middle or end of a name unique to the case.
struct Case {
    n: i64,
    pos: &'static str,
    seq: String,
    text: String,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for seq in sequences() {
        for pos in ["start", "middle", "end"] {
            let n = out.len() as i64;
            let text = match pos {
                "start" => format!("{seq}k{n}"),
                "middle" => format!("k{n}{seq}k"),
                _ => format!("k{n}{seq}"),
            };
            out.push(Case { n, pos, seq: seq.clone(), text });
        }
    }
    out
}

/// The point of one case: one element is the case's text, the others plain.
#[derive(Debug, Clone)]
struct Shape {
    m: String,
    tk: String,
    tv: String,
    /// Integer fields, each with the value `n`.
    ints: Vec<String>,
    /// A string field `s`.
    s: Option<String>,
    n: i64,
}

fn shape(kind: Kind, c: &Case) -> Shape {
    let (t, n) = (c.text.clone(), c.n);
    Shape {
        m: if kind == Kind::Measurement { t.clone() } else { format!("m{n}") },
        tk: if kind == Kind::TagKey { t.clone() } else { "t".into() },
        tv: if kind == Kind::TagValue { t.clone() } else { format!("v{n}") },
        ints: match kind {
            Kind::FieldKey => vec![t.clone()],
            Kind::LaterFieldKey => vec!["a".into(), t.clone()],
            _ => vec!["f".into()],
        },
        s: (kind == Kind::StringValue).then_some(t),
        n,
    }
}

/// The point as the encoder sees it.
fn point(p: &Shape) -> Point {
    let mut pt = Point::new(p.m.as_str()).tag(p.tk.as_str(), p.tv.as_str());
    for k in &p.ints {
        pt = pt.field(k.as_str(), p.n);
    }
    if let Some(s) = &p.s {
        pt = pt.field("s", s.as_str());
    }
    pt.timestamp(p.n + 1)
}

/// The test's own reading of the line protocol reference: a backslash before
/// each of `specials`, nothing else. Used to write what the encoder refuses.
fn esc(s: &str, specials: &[char]) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if specials.contains(&ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn raw_line(p: &Shape) -> String {
    let key = |s: &str| esc(s, &[',', '=', ' ']);
    let mut fields: Vec<String> = p.ints.iter().map(|k| format!("{}={}i", key(k), p.n)).collect();
    if let Some(s) = &p.s {
        fields.push(format!("s=\"{}\"", esc(s, &['"', '\\'])));
    }
    format!("{},{}={} {} {}", esc(&p.m, &[',', ' ']), key(&p.tk), key(&p.tv), fields.join(","), p.n + 1)
}

/// The tested element as the 1.x parser reads it from `line` (a model of
/// the parse only, not of what the server alters later), or `None` if the
/// line splits before it. A raw line carries its case when this gives back
/// the case's text; only then can the writer be held to it.
fn parsed_as(kind: Kind, line: &str) -> Option<String> {
    let b = line.as_bytes();
    // The line splitter skips the byte after each backslash; separators in the
    // series key and before a field's `=` count unless a backslash precedes them.
    let mut skip = false;
    for &c in b {
        if c == b'\n' && !skip && kind != Kind::StringValue {
            return None;
        }
        skip = !skip && c == b'\\';
    }
    let sep = |from: usize, set: &[u8]| (from..b.len()).find(|&i| set.contains(&b[i]) && b[i - 1] != b'\\');
    let unescape = |raw: &str, codes: &[char]| {
        let mut out = String::new();
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match chars.peek() {
                Some(n) if c == '\\' && codes.contains(n) => out.push(chars.next().unwrap()),
                _ => out.push(c),
            }
        }
        out
    };
    let m_end = sep(1, b",")?;
    let tk_end = sep(m_end + 1, b"=")?;
    let tv_end = sep(tk_end + 1, b", ")?;
    let fields = match kind {
        Kind::LaterFieldKey => line[tv_end + 1..].find(',')? + tv_end + 2,
        _ => tv_end + 1,
    };
    Some(match kind {
        Kind::Measurement => unescape(&line[..m_end], &[',', '=', ' ', '"']),
        Kind::TagKey => unescape(&line[m_end + 1..tk_end], &[',', '=', ' ']),
        Kind::TagValue => unescape(&line[tk_end + 1..tv_end], &[',', '=', ' ']),
        Kind::FieldKey | Kind::LaterFieldKey => unescape(&line[fields..sep(fields + 1, b"=")?], &[',', '=', ' ', '"']),
        Kind::StringValue => {
            unescape(line[fields..].strip_prefix("f=")?.split_once(",s=\"")?.1.rsplit_once("\" ")?.0, &['"', '\\'])
        }
    })
}

/// InfluxQL cannot hold these in a quoted identifier or string.
fn unspellable(s: &str) -> bool {
    s.contains(['\r', '\0'])
}

/// `/^s$/`, with what InfluxQL cannot carry raw written as RE2 escapes.
fn exact_regex(s: &str) -> String {
    let body = escape_regex(s).replace('/', "\\/").replace('\r', "\\r").replace('\0', "\\x00").replace('\n', "\\n");
    format!("/^{body}$/")
}

/// An identifier by name: quoted, or an exact regex where quoting cannot spell it.
fn ident(s: &str) -> String {
    if unspellable(s) {
        exact_regex(s)
    } else {
        quote_ident(s)
    }
}

/// `= 'value'`, or `=~ /^value$/` where quoting cannot spell it.
fn equals(s: &str) -> String {
    if unspellable(s) {
        format!("=~ {}", exact_regex(s))
    } else {
        format!("= {}", quote_string(s))
    }
}

/// The by-name routes of one case, as (route, statement).
fn by_name(p: &Shape) -> Vec<(&'static str, String)> {
    let m = ident(&p.m);
    let fk = p.ints.last().unwrap();
    let key_op = if unspellable(&p.tk) { "=~" } else { "=" };
    let mut v = vec![
        ("FROM measurement", format!("SELECT * FROM {m}")),
        ("SELECT field", format!("SELECT {} FROM {m}", ident(fk))),
        ("SHOW TAG VALUES WITH KEY", format!("SHOW TAG VALUES FROM {m} WITH KEY {key_op} {}", ident(&p.tk))),
    ];
    if !unspellable(&p.tk) {
        v.push(("WHERE tag", format!("SELECT * FROM {m} WHERE {} {}", quote_ident(&p.tk), equals(&p.tv))));
    }
    if let Some(s) = &p.s {
        v.push(("WHERE string", format!("SELECT \"s\" FROM {m} WHERE \"s\" {}", equals(s))));
    }
    v
}

fn post_query(url: &str, db: &str, q: &str) -> Json {
    let body = format!("db={}&epoch=ns&q={}", support::form_encode(db), support::form_encode(q));
    let (_, text) = support::http(url, "POST", "/query", None, "application/x-www-form-urlencoded", body.as_bytes());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{q}: {e}: {text}"))
}

/// One result per statement, many statements per request; a request the
/// server cannot parse is asked again one statement at a time.
fn run(url: &str, db: &str, statements: &[String]) -> Vec<Json> {
    let mut out = Vec::new();
    for chunk in statements.chunks(100) {
        let got = post_query(url, db, &chunk.join(";\n"));
        match got["results"].as_array() {
            Some(r) if r.len() == chunk.len() => out.extend(r.iter().cloned()),
            _ => {
                for s in chunk {
                    let one = post_query(url, db, s);
                    out.push(one["results"].get(0).cloned().unwrap_or(one));
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Series {
    name: String,
    tags: BTreeMap<String, String>,
    rows: Vec<BTreeMap<String, Json>>,
}

fn series(result: &Json) -> Result<Vec<Series>, String> {
    if let Some(e) = result.get("error") {
        return Err(e.to_string());
    }
    let mut out = Vec::new();
    for s in result["series"].as_array().cloned().unwrap_or_default() {
        let columns: Vec<String> = serde_json::from_value(s["columns"].clone()).unwrap();
        let rows = s["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| columns.iter().cloned().zip(row.as_array().unwrap().iter().cloned()).collect())
            .collect();
        // GROUP BY * over many measurements gives every series every tag key, most empty.
        let tags: BTreeMap<String, String> =
            serde_json::from_value(s.get("tags").cloned().unwrap_or(Json::Null)).unwrap_or_default();
        let tags = tags.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        out.push(Series { name: s["name"].as_str().unwrap().to_owned(), tags, rows });
    }
    Ok(out)
}

/// The answers to the routes that list everything, once per database.
struct Listed {
    measurements: BTreeSet<String>,
    grouped: Vec<Series>,
    tag_keys: Vec<Series>,
    tag_values: Vec<Series>,
    field_keys: Vec<Series>,
    selected: Vec<Series>,
}

fn listed(url: &str, db: &str) -> Listed {
    let q = [
        "SHOW MEASUREMENTS",
        "SELECT * FROM /.*/ GROUP BY *",
        "SHOW TAG KEYS",
        "SHOW TAG VALUES WITH KEY =~ /.*/",
        "SHOW FIELD KEYS",
        "SELECT * FROM /.*/",
    ]
    .map(String::from);
    let r = run(url, db, &q);
    let s = |i: usize| series(&r[i]).unwrap_or_else(|e| panic!("{}: {e}", q[i]));
    Listed {
        measurements: s(0).into_iter().flat_map(|s| s.rows).map(|r| r["name"].as_str().unwrap().to_owned()).collect(),
        grouped: s(1),
        tag_keys: s(2),
        tag_values: s(3),
        field_keys: s(4),
        selected: s(5),
    }
}

fn fields_match(p: &Shape, row: &BTreeMap<String, Json>) -> bool {
    p.ints.iter().all(|k| row.get(k) == Some(&Json::from(p.n)))
        && p.s.as_ref().is_none_or(|s| row.get("s") == Some(&Json::from(s.as_str())))
}

fn has(s: &Series, column: &str, value: &str) -> bool {
    s.rows.iter().any(|r| r.get(column) == Some(&Json::from(value)))
}

/// `Ok` if the point came back unchanged by every route, else the routes where it did not.
fn read_back(p: &Shape, all: &Listed, named: &[(&'static str, Json)]) -> Result<(), Vec<&'static str>> {
    let mut bad = Vec::new();
    let mut route = |name: &'static str, ok: bool| {
        if !ok {
            bad.push(name);
        }
    };
    let (tk, tv) = (p.tk.as_str(), p.tv.as_str());
    let want_tags: BTreeMap<String, String> = [(p.tk.clone(), p.tv.clone())].into();
    let time = Json::from(p.n + 1);
    route("SHOW MEASUREMENTS", all.measurements.contains(&p.m));
    route(
        "GROUP BY *",
        all.grouped.iter().any(|s| {
            s.name == p.m
                && s.tags == want_tags
                && s.rows.len() == 1
                && s.rows[0]["time"] == time
                && fields_match(p, &s.rows[0])
        }),
    );
    route("SHOW TAG KEYS", all.tag_keys.iter().any(|s| s.name == p.m && has(s, "tagKey", tk)));
    route(
        "SHOW TAG VALUES",
        all.tag_values.iter().any(|s| s.name == p.m && s.rows.iter().any(|r| r["key"] == tk && r["value"] == tv)),
    );
    let mut field_keys: Vec<(&str, &str)> = p.ints.iter().map(|k| (k.as_str(), "integer")).collect();
    if p.s.is_some() {
        field_keys.push(("s", "string"));
    }
    route(
        "SHOW FIELD KEYS",
        field_keys.iter().all(|(k, t)| {
            all.field_keys
                .iter()
                .any(|s| s.name == p.m && s.rows.iter().any(|r| r["fieldKey"] == *k && r["fieldType"] == *t))
        }),
    );
    route(
        "SELECT *",
        all.selected.iter().any(|s| {
            s.name == p.m
                && s.rows.iter().any(|r| r["time"] == time && r.get(tk) == Some(&Json::from(tv)) && fields_match(p, r))
        }),
    );
    for (name, answer) in named {
        let one_row = |s: &[Series]| s.len() == 1 && s[0].name == p.m && s[0].rows.len() == 1;
        let ok = match (*name, series(answer)) {
            (_, Err(_)) => false,
            ("SHOW TAG VALUES WITH KEY", Ok(s)) => {
                one_row(&s) && s[0].rows[0]["key"] == tk && s[0].rows[0]["value"] == tv
            }
            ("SELECT field", Ok(s)) => {
                one_row(&s) && s[0].rows[0].get(p.ints.last().unwrap()) == Some(&Json::from(p.n))
            }
            ("WHERE string", Ok(s)) => one_row(&s) && s[0].rows[0]["s"] == Json::from(p.s.as_deref()),
            (_, Ok(s)) => {
                one_row(&s) && s[0].rows[0].get(tk) == Some(&Json::from(tv)) && fields_match(p, &s[0].rows[0])
            }
        };
        route(name, ok);
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad)
    }
}

/// What the writer made of a case's raw line.
#[derive(Debug, Clone, PartialEq)]
enum Writer {
    Refused(String),
    Sent,
}

struct Outcome {
    read_back: Result<(), Vec<&'static str>>,
    writer: Writer,
    reported_failed: bool,
}

/// Writes every case of `kind` raw into a fresh database and reads each back.
fn try_kind(url: &str, kind: Kind, cases: &[Case]) -> Vec<Outcome> {
    let db = support::create_db(url, &format!("matrix_{kind:?}"));
    let shapes: Vec<Shape> = cases.iter().map(|c| shape(kind, c)).collect();
    let lines: Vec<String> = shapes.iter().map(raw_line).collect();
    // Through the writer's raw-line check; what it refuses goes straight to the server.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (verdicts, failed) = rt.block_on(async {
        let client = Client::new(url, &db).unwrap();
        let w = client.untyped_writer(WriterOptions::new()).unwrap();
        let mut verdicts = Vec::new();
        for line in &lines {
            verdicts.push(match w.write_line(line).await {
                Ok(()) => Writer::Sent,
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Encode, "{e}");
                    Writer::Refused(e.to_string())
                }
            });
        }
        let report = w.close().await.unwrap();
        let failed: BTreeSet<String> =
            report.failed.iter().flat_map(|b| b.lines().map(|l| l.line.into_owned()).collect::<Vec<_>>()).collect();
        (verdicts, failed)
    });
    let refused: Vec<&str> =
        lines.iter().zip(&verdicts).filter(|(_, v)| **v != Writer::Sent).map(|(l, _)| l.as_str()).collect();
    support::http(url, "POST", &format!("/write?db={db}"), None, "", refused.join("\n").as_bytes());

    let all = listed(url, &db);
    let named: Vec<Vec<(&'static str, String)>> = shapes.iter().map(by_name).collect();
    let statements: Vec<String> = named.iter().flatten().map(|(_, q)| q.clone()).collect();
    let mut answers = run(url, &db, &statements).into_iter();
    shapes
        .iter()
        .zip(named)
        .zip(verdicts)
        .zip(&lines)
        .map(|(((p, named), writer), line)| {
            let named: Vec<(&'static str, Json)> =
                named.into_iter().map(|(r, _)| (r, answers.next().unwrap())).collect();
            Outcome { read_back: read_back(p, &all, &named), writer, reported_failed: failed.contains(line) }
        })
        .collect()
}

/// How an encode error names the element of `kind` in `p`.
fn names_the_key(kind: Kind, p: &Shape) -> String {
    let q = |s: &str| s.escape_debug().to_string();
    match kind {
        Kind::Measurement => format!("point 1: measurement `{}` ", q(&p.m)),
        Kind::TagKey => format!("point 1: tag key `{}` ", q(&p.tk)),
        Kind::TagValue => format!("point 1: tag `{}` value ", q(&p.tk)),
        Kind::FieldKey | Kind::LaterFieldKey => format!("point 1: field key `{}` ", q(p.ints.last().unwrap())),
        Kind::StringValue => "point 1: field `s` ".into(),
    }
}

#[test]
fn the_encoder_refuses_exactly_what_the_server_would_alter() {
    let url = support::url();
    let cases = cases();
    let outcomes: BTreeMap<Kind, Vec<Outcome>> = KINDS.iter().map(|&k| (k, try_kind(&url, k, &cases))).collect();

    let mut wrong = Vec::new();
    let mut counts: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    for kind in KINDS {
        for (i, c) in cases.iter().enumerate() {
            let p = shape(kind, c);
            let o = &outcomes[&kind][i];
            let what = format!("{kind:?} {:?} at the {}", c.seq, c.pos);
            // A field key's verdict cannot depend on where it lands.
            let unchanged = match kind {
                Kind::FieldKey | Kind::LaterFieldKey => {
                    outcomes[&Kind::FieldKey][i].read_back.is_ok()
                        && outcomes[&Kind::LaterFieldKey][i].read_back.is_ok()
                }
                _ => o.read_back.is_ok(),
            };
            let encoded = point(&p).to_line_protocol();
            let count = counts.entry(kind).or_default();
            match &encoded {
                Ok(line) => {
                    count.0 += 1;
                    if !unchanged {
                        wrong.push(format!("{what}: accepted, but the server altered it: {:?}", o.read_back));
                    }
                    if *line != raw_line(&p) {
                        wrong.push(format!("{what}: the encoder wrote {line:?}, not {:?}", raw_line(&p)));
                    }
                }
                Err(e) => {
                    count.1 += 1;
                    if unchanged {
                        wrong.push(format!("{what}: refused ({e}), but the server keeps it unchanged"));
                    }
                    let batch = [Point::new("ok").field("v", 1_i64), point(&p)];
                    let e = encode_batch(&batch, &mut Vec::new(), &EncodeOptions::default()).unwrap_err();
                    let want = names_the_key(kind, &p);
                    if e.kind() != ErrorKind::Encode || !e.to_string().starts_with(&want) {
                        wrong.push(format!("{what}: error `{e}` does not start with `{want}`"));
                    }
                }
            }
            let carried = parsed_as(kind, &raw_line(&p)).as_deref() == Some(c.text.as_str());
            match &o.writer {
                Writer::Refused(why) if o.read_back.is_ok() => {
                    wrong.push(format!("{what}: the writer refused the raw line ({why}), but it comes back unchanged"))
                }
                Writer::Sent if carried && o.read_back.is_err() && !o.reported_failed => wrong.push(format!(
                    "{what}: the writer sent the raw line and reported success, but it came back altered: {:?}",
                    o.read_back
                )),
                _ => {}
            }
        }
    }
    eprintln!("{} cases per element; (accepted, refused): {counts:?}", cases.len());
    assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
    // The matrix exercises both verdicts for every element but string values (all of which are kept).
    for (kind, (accepted, refused)) in &counts {
        assert!(*accepted > 100, "{kind:?}: {accepted} accepted");
        assert!(*refused > 0 || *kind == Kind::StringValue, "{kind:?}: nothing refused");
    }
}

/// Raw lines the server takes (204) but stores other than written: the writer
/// refuses each before sending, with an encode error that says why.
#[test]
fn the_writer_refuses_raw_lines_the_server_would_alter() {
    let url = support::url();
    let db = support::create_db(&url, "raw_altered");
    // (line, what the server keeps of it, the writer's reason)
    let cases: [(&str, &str, &str); 7] = [
        ("\t#x v=1i 5", "nothing: a comment after the stripped tab", "line starts with a tab"),
        ("\0m0 v=1i 5", "measurement m0", "line starts with a NUL byte"),
        ("m1 \tv=1i 5", "field key v", "line has a tab before its first field"),
        ("m2,t=a \0v=1i 5", "field key v", "line has a NUL byte before its first field"),
        ("m3 s=\"x\"\r 5", "the string x\"", "line has text after the closing quote"),
        ("m4 s=\"x\"y 5", "the string x\"", "line has text after the closing quote"),
        ("m5\\\\,x v=1i 5", "a measurement listed as m5,x", "line: measurement `m5\\\\,x` has a backslash before"),
    ];
    for (line, _, _) in &cases {
        let (status, body) = support::http(&url, "POST", &format!("/write?db={db}"), None, "", line.as_bytes());
        assert_eq!(status, 204, "{line:?}: {body}");
    }
    let kept = post_query(&url, &db, "SELECT * FROM /.*/ GROUP BY *");
    let kept = series(&kept["results"][0]).unwrap();
    let names: BTreeSet<String> = kept.iter().map(|s| s.name.clone()).collect();
    assert!(!names.iter().any(|n| n.contains('#')), "{names:?}");
    assert!(names.contains("m0") && !names.iter().any(|n| n.contains('\0')), "{names:?}");
    let row = |m: &str| kept.iter().find(|s| s.name == m).map(|s| s.rows[0].clone()).unwrap();
    assert_eq!((row("m1").get("v"), row("m2").get("v")), (Some(&Json::from(1)), Some(&Json::from(1))));
    assert_eq!((row("m3")["s"].as_str(), row("m4")["s"].as_str()), (Some("x\""), Some("x\"")));
    let listed = post_query(&url, &db, "SHOW MEASUREMENTS").to_string();
    assert!(!listed.contains("\"m5\\\\,x\"") && listed.contains("\"m5,x\""), "{listed}");

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let other = support::create_db(&url, "raw_refused");
        let w = Client::new(&url, &other).unwrap().untyped_writer(WriterOptions::new()).unwrap();
        for (line, kept, why) in &cases {
            let e = w.write_line(line).await.expect_err(&format!("{line:?} (the server keeps {kept})"));
            assert_eq!(e.kind(), ErrorKind::Encode);
            assert!(e.to_string().contains(why), "{line:?}: `{e}` does not say `{why}`");
        }
        assert_eq!(w.close().await.unwrap().stats.requests, 0, "nothing was sent");
    });
}
