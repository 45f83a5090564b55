//! `query_pattern!` with `#[flux]`: rendering without a server, the injection
//! corpus re-lexed the way the Flux scanner reads it, and the executor
//! plumbing through a client double.
//!
//! No InfluxDB 2 server runs on this machine: what Flux does with the rendered
//! text is settled against its scanner grammar (`scanner.rl`) and unescaping
//! (`strconv.rs`), which `lex` below mirrors.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use influx::flux::{Duration, FluxClient, FluxQuery, FluxRender, Regex, Uint};
use influx::{DecodeRow, ErrorKind, InfluxPoint};

/// Two fields: a pattern returning it must pivot.
#[derive(Debug, Clone, PartialEq, InfluxPoint)]
#[influx(measurement = "cpu")]
pub(crate) struct Cpu {
    #[tag]
    host: String,
    user: f64,
    system: f64,
    #[time]
    time: i64,
}

/// One field: unpivoted rows are accepted at compile time.
#[derive(Debug, Clone, PartialEq, InfluxPoint)]
pub(crate) struct Temperature {
    celsius: f64,
    #[time]
    time: i64,
}

influx::query_pattern! {
    /// Flux queries used by these tests.
    #[flux]
    pub trait TestFlux {
        /// The example of the docs.
        fn usage(bucket: &str, host: &str, start: Duration) -> Vec<Cpu> = r#"from(bucket: {bucket})
  |> range(start: -{start})
  |> filter(fn: (r) => r._measurement == "cpu" and r.host == {host})
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")"#;
        fn temperatures(bucket: &str) -> Vec<Temperature> = "from(bucket: {bucket}) |> range(start: -1h)";
        fn first_temperature(bucket: &str) -> Option<Temperature> = "from(bucket: {bucket}) |> range(start: -1h) |> first()";
        fn stream(bucket: &str) -> influx::RowStream<(i64, f64)> = "from(bucket: {bucket}) |> range(start: -1h)";
        fn window(start: DateTime<Utc>, stop: Duration, every: std::time::Duration) =
            "from(bucket: \"b\") |> range(start: {start}, stop: {stop}) |> aggregateWindow(every: {every}, fn: mean)";
        fn days(n: u32) = "from(bucket: \"b\") |> range(start: -{n}d)";
        fn host_regex(re: Regex<'_>) = "from(bucket: \"b\") |> filter(fn: (r) => r.host =~ {re} and r.other =~ /x\\/y/)";
        fn not_regex(re: Regex<'_>) = "from(bucket: \"b\") |> filter(fn: (r) => r.host !~ {re})";
        fn positional(a: i64, b: f64, c: bool) = "f(a: {}, b: {}, c: {})";
        fn in_set(hosts: &[&str]) = "from(bucket: \"b\") |> filter(fn: (r) => contains(value: r.host, set: {hosts}))";
        fn interpolated(suffix: &str) = r#"name = "cpu-${ {suffix} }""#;
        fn field(name: &str, limit: u64, min: Uint) =
            "from(bucket: \"b\") |> filter(fn: (r) => r[{name}] >= {min}) |> limit(n: {limit})";
        fn equals(v: &str) = r#"from(bucket: "b") |> filter(fn: (r) => r.host == {v}) |> yield(name: "x") // end"#;
        fn matches(re: Regex<'_>) = r#"from(bucket: "b") |> filter(fn: (r) => r.host =~ {re} and r.x =~ /y/) |> yield(name: "x") // end"#;
        fn number(v: f64) = "x = 2.0 ^ {v} / 2.0";
    }
}

fn t(secs: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, nanos).unwrap()
}

#[test]
fn renders_every_position() {
    let q = FluxRender.usage("telemetry", "server\"01", Duration::from_mins(90)).unwrap();
    assert_eq!(
        q.text(),
        r#"from(bucket: "telemetry")
  |> range(start: -1h30m)
  |> filter(fn: (r) => r._measurement == "cpu" and r.host == "server\"01")
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")"#
    );
    assert!(q.params().is_none() && q.now().is_none());
    assert_eq!(
        FluxRender
            .window(t(1_700_000_000, 5), -Duration::from_secs(30), std::time::Duration::from_millis(1500))
            .unwrap()
            .text(),
        r#"from(bucket: "b") |> range(start: 2023-11-14T22:13:20.000000005Z, stop: -30s) |> aggregateWindow(every: 1s500ms, fn: mean)"#
    );
    assert_eq!(FluxRender.days(7).unwrap().text(), r#"from(bucket: "b") |> range(start: -7d)"#);
    assert_eq!(
        FluxRender.host_regex(Regex::new("^a/b$")).unwrap().text(),
        r#"from(bucket: "b") |> filter(fn: (r) => r.host =~ /^a\/b$/ and r.other =~ /x\/y/)"#
    );
    assert_eq!(
        FluxRender.not_regex(Regex::exact("web.01")).unwrap().text(),
        r#"from(bucket: "b") |> filter(fn: (r) => r.host !~ /^web\.01$/)"#
    );
    assert_eq!(FluxRender.positional(-1, 2.0, true).unwrap().text(), "f(a: -1, b: 2.0, c: true)");
    assert_eq!(
        FluxRender.in_set(&["a", "b\"c"]).unwrap().text(),
        r#"from(bucket: "b") |> filter(fn: (r) => contains(value: r.host, set: ["a", "b\"c"]))"#
    );
    assert_eq!(FluxRender.interpolated("${x}").unwrap().text(), r#"name = "cpu-${ "\${x}" }""#);
    assert_eq!(
        FluxRender.field("usage_user", 10, Uint(u64::MAX)).unwrap().text(),
        r#"from(bucket: "b") |> filter(fn: (r) => r["usage_user"] >= uint(v: "18446744073709551615")) |> limit(n: 10)"#
    );
    assert_eq!(FluxRender.number(-0.5).unwrap().text(), "x = 2.0 ^ -0.5 / 2.0");
}

#[test]
fn values_flux_cannot_carry_are_argument_errors_naming_the_placeholder() {
    let cases = [
        (FluxRender.positional(1, f64::NAN, true).unwrap_err(), "placeholder `{b}`: NaN"),
        (
            FluxRender.window(t(10_000_000_000, 0), Duration::ZERO, std::time::Duration::ZERO).unwrap_err(),
            "placeholder `{start}`: time",
        ),
        (
            FluxRender.window(t(0, 0), Duration::from_nanos(i64::MIN), std::time::Duration::ZERO).unwrap_err(),
            "placeholder `{stop}`: duration",
        ),
        (
            FluxRender.window(t(0, 0), Duration::ZERO, std::time::Duration::MAX).unwrap_err(),
            "placeholder `{every}`: duration",
        ),
        (
            FluxRender.usage("b", "h", -Duration::from_secs(1)).unwrap_err(),
            "placeholder `{start}`: duration -1s is negative",
        ),
        (FluxRender.host_regex(Regex::new("a\\")).unwrap_err(), "placeholder `{re}`: a regex cannot end"),
        (FluxRender.field("f", u64::MAX, Uint(0)).unwrap_err(), "placeholder `{limit}`: integer"),
    ];
    for (e, prefix) in cases {
        assert_eq!(e.kind(), ErrorKind::Argument, "{e}");
        assert!(e.to_string().starts_with(prefix), "{e}");
    }
}

/// Strings that try to end the literal, start an interpolation, or hide an escape.
const HOSTILE: &[&str] = &[
    "",
    "\"",
    "\\",
    "\\\"",
    "\") |> drop(columns: [\"x\"]) //",
    "x\" or true or r.x == \"",
    "${r.host}",
    "${",
    "\\${",
    "$",
    "$\"",
    "$\\",
    "$\\\"",
    "$\") |> yield() //",
    "$$",
    "$${",
    "$\n",
    "$x$",
    "a\nb",
    "\r\t",
    "\0 \x07 \x1b \x7f",
    "\\x41",
    "//",
    "/*",
    "/",
    "\\/",
    "}",
    "{host}",
    "|>",
    ")",
    "\u{2019} \u{ff07} \u{201c} look-alike quotes",
    "\u{2028}\u{85}\u{feff}",
    "trailing\\",
    "tab\there é ✓ 🦀",
    "a/b\\/c",
];

#[test]
fn hostile_strings_stay_one_literal() {
    let shape = lex(FluxRender.equals("x").unwrap().text()).unwrap();
    for v in HOSTILE {
        let text = FluxRender.equals(v).unwrap().into_text();
        let tokens = lex(&text).unwrap_or_else(|e| panic!("{v:?} renders {text}: {e}"));
        assert_eq!(kinds(&tokens), kinds(&shape), "{v:?} renders {text}");
        let strings: Vec<&str> =
            tokens.iter().filter_map(|t| if let T::Str(s) = t { Some(s.as_str()) } else { None }).collect();
        assert_eq!(strings, ["b", v, "x"], "{v:?} renders {text}");
    }
}

#[test]
fn hostile_regexes_stay_one_literal() {
    let shape = lex(FluxRender.matches(Regex::new("x")).unwrap().text()).unwrap();
    let mut patterns: Vec<Regex<'static>> = HOSTILE.iter().map(|v| Regex::exact(v)).collect();
    for p in ["a/b", "a\\/b", "\\\\", "a\\\\", "\\\\/", "/ and r.x =~ /", "", "x\\x2f", "[/]", "\\d+\\.\\d*"] {
        patterns.push(Regex::new(p));
    }
    for re in &patterns {
        let text = FluxRender.matches(re.clone()).unwrap().into_text();
        let tokens = lex(&text).unwrap_or_else(|e| panic!("{re:?} renders {text}: {e}"));
        assert_eq!(kinds(&tokens), kinds(&shape), "{re:?} renders {text}");
        let compiled: Vec<&str> =
            tokens.iter().filter_map(|t| if let T::Regex(s) = t { Some(s.as_str()) } else { None }).collect();
        assert_eq!(compiled, [same_meaning(re.as_str()).as_str(), "y"], "{re:?} renders {text}");
    }
}

/// The pattern Flux should compile for `pattern`: the same text, except for
/// the spellings the renderer changes without changing the meaning to RE2 (a
/// raw newline is `\n`, an escaped `\/` is `/`, a final `\\` is `\x5c`,
/// the empty pattern is `(?:)`).
fn same_meaning(pattern: &str) -> String {
    if pattern.is_empty() {
        return "(?:)".to_owned();
    }
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.next_if(|_| c == '\\')) {
            ('\n', _) => out.push_str("\\n"),
            ('\\', Some('/')) => out.push('/'),
            ('\\', Some('\\')) if chars.peek().is_none() => out.push_str("\\x5c"),
            ('\\', Some(next)) => {
                out.push('\\');
                out.push(next);
            }
            (c, _) => out.push(c),
        }
    }
    out
}

#[test]
fn values_read_back_exactly() {
    for v in [0.1 + 0.2, -0.0, 1e300, 5e-324, f64::MAX, -1.0 / 3.0] {
        let text = FluxRender.number(v).unwrap().into_text();
        let lit = text.trim_start_matches("x = 2.0 ^ ").trim_end_matches(" / 2.0");
        assert!(!lit.contains(['e', 'E']), "{lit}");
        assert_eq!(lit.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{lit}");
        assert!(lex(&text).is_ok());
    }
    assert_eq!(
        FluxRender.positional(i64::MIN, 1.0, false).unwrap().text(),
        "f(a: (-9223372036854775807 - 1), b: 1.0, c: false)"
    );
}

// --- the executor plumbing, through a double of the client side ---

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Records the queries it is sent and answers with canned rows (decoded by
/// the 1.x decoder: only the plumbing is under test here).
#[derive(Default)]
struct Canned {
    sent: Mutex<Vec<String>>,
}

const BODY: &[u8] = br#"{"results":[{"statement_id":0,"series":[{"name":"temperature","columns":["time","celsius"],"values":[[1,20.5],[2,21.0]]}]}]}"#;

impl FluxClient for Canned {
    fn flux_rows<'a, T: DecodeRow + Send + 'static>(
        &'a self,
        query: FluxQuery,
    ) -> BoxFuture<'a, influx::Result<Vec<T>>> {
        self.sent.lock().unwrap().push(query.into_text());
        let rows = influx::decode::decode_rows(BODY, &influx::decode::DecodeContext::default());
        Box::pin(async move { rows })
    }
}

#[tokio::test]
async fn a_flux_client_runs_the_same_trait() {
    let client = Canned::default();
    let rows = client.temperatures("b\"1").await.unwrap();
    assert_eq!(rows, vec![Temperature { celsius: 20.5, time: 1 }, Temperature { celsius: 21.0, time: 2 }]);
    assert_eq!(client.first_temperature("b").await.unwrap(), Some(Temperature { celsius: 20.5, time: 1 }));
    client.days(3).await.unwrap();
    assert_eq!(client.stream("b").await.unwrap_err().kind(), ErrorKind::Runtime);
    let e = client.positional(1, f64::NAN, true).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Argument);
    assert_eq!(
        *client.sent.lock().unwrap(),
        [
            r#"from(bucket: "b\"1") |> range(start: -1h)"#,
            r#"from(bucket: "b") |> range(start: -1h) |> first()"#,
            r#"from(bucket: "b") |> range(start: -3d)"#,
        ],
        "nothing is sent for a value that cannot be rendered, or by a client that cannot stream"
    );
}

// --- a test-only Flux tokenizer that reads text the way `scanner.rl` does ---

#[derive(Debug, Clone, PartialEq)]
enum T {
    Word(String),
    Number,
    /// A string literal, decoded as `strconv::parse_text` decodes it.
    Str(String),
    /// A regex literal, as `strconv::parse_regex` passes it to the regex engine.
    Regex(String),
    Op(String),
}

fn kinds(tokens: &[T]) -> Vec<String> {
    tokens
        .iter()
        .map(|t| match t {
            T::Word(w) => w.clone(),
            T::Op(o) => o.clone(),
            T::Number => "number".into(),
            T::Str(_) => "string".into(),
            T::Regex(_) => "regex".into(),
        })
        .collect()
}

fn ends_operand(t: Option<&T>) -> bool {
    match t {
        Some(T::Word(w)) => !["and", "or", "not", "return"].contains(&w.as_str()),
        Some(T::Number | T::Str(_) | T::Regex(_)) => true,
        Some(T::Op(o)) => [")", "]", "}"].contains(&o.as_str()),
        None => false,
    }
}

fn lex(src: &str) -> Result<Vec<T>, String> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && !ends_operand(out.last()) {
            let end = regex_end(&b, i).ok_or_else(|| format!("no regex at {i}"))?;
            let body: String = b[i + 1..end - 1].iter().collect();
            out.push(T::Regex(body.replace("\\/", "/")));
            i = end;
        } else if c == '"' {
            let (end, body) = string_lit(&b, i)?;
            out.push(T::Str(parse_text(&body)?));
            i = end;
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '.') {
                i += 1;
            }
            out.push(T::Number);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(T::Word(b[start..i].iter().collect()));
        } else {
            let two: String = b[i..(i + 2).min(b.len())].iter().collect();
            let op = if ["==", "!=", "<=", ">=", "=~", "!~", "=>", "<-", "|>"].contains(&two.as_str()) {
                two
            } else if "+-*/%^<>=(){}[]:,.?".contains(c) {
                c.to_string()
            } else {
                return Err(format!("unexpected {c:?} at {i}"));
            };
            i += op.chars().count();
            out.push(T::Op(op));
        }
    }
    Ok(out)
}

/// `string_lit = '"' ( unicode_value | byte_value | dollar_value )* "$"? :> '"'`,
/// where `dollar_value = "$" (any - [{"])`: the end of the literal and its raw
/// body. An unescaped `${` would make it an interpolation, not a literal.
fn string_lit(b: &[char], start: usize) -> Result<(usize, String), String> {
    let mut i = start + 1;
    loop {
        match b.get(i) {
            None => return Err("unterminated string".into()),
            Some('"') => return Ok((i + 1, b[start + 1..i].iter().collect())),
            Some('\\') => match (b.get(i + 1), b.get(i + 2), b.get(i + 3)) {
                (Some('n' | 'r' | 't' | '\\' | '"'), _, _) => i += 2,
                (Some('$'), Some('{'), _) => i += 3,
                (Some('x'), Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => i += 4,
                _ => return Err(format!("scanner error: bad escape at {i}")),
            },
            Some('$') => match b.get(i + 1) {
                Some('{') => return Err("an interpolation started".into()),
                Some('"') => i += 1,
                None => return Err("unterminated string".into()),
                Some(_) => i += 2,
            },
            Some(_) => i += 1,
        }
    }
}

/// `strconv::parse_text`: left to right, `\` escapes the next character.
fn parse_text(body: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            bytes.extend_from_slice(c.to_string().as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => bytes.push(b'\n'),
            Some('r') => bytes.push(b'\r'),
            Some('t') => bytes.push(b'\t'),
            Some('\\') => bytes.push(b'\\'),
            Some('"') => bytes.push(b'"'),
            Some('$') => bytes.push(b'$'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                bytes.push(u8::from_str_radix(&hex, 16).map_err(|e| e.to_string())?);
            }
            other => return Err(format!("invalid escape {other:?}")),
        }
    }
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// The end of the longest `regex_lit = "/" ( (any - "/") | "\/" | "\\" | byte_value )+ "/"`
/// starting at `start`, as the scanner's longest match picks it.
fn regex_end(b: &[char], start: usize) -> Option<usize> {
    // reachable[i]: some reading of b[start+1..i] is a sequence of regex characters.
    let mut reachable = vec![false; b.len() + 1];
    reachable[start + 1] = true;
    let mut end = None;
    for i in start + 1..b.len() {
        if !reachable[i] {
            continue;
        }
        if b[i] == '/' {
            if i > start + 1 {
                end = Some(i + 1);
            }
            continue;
        }
        reachable[i + 1] = true;
        if b[i] == '\\' && matches!(b.get(i + 1), Some('/' | '\\')) {
            reachable[i + 2] = true;
        }
    }
    end
}

#[test]
fn the_test_tokenizer_sees_what_the_flux_scanner_sees() {
    // A raw `$` before `\"` pairs with the backslash, so the quote ends the string.
    assert_eq!(string_lit(&"\"$\\\") |> x".chars().collect::<Vec<_>>(), 0).unwrap().0, 4);
    assert!(string_lit(&"\"${x}\"".chars().collect::<Vec<_>>(), 0).is_err());
    // The longest regex runs on through `\\/` to the next `/`.
    let b: Vec<char> = r"/a\\/ and /b/".chars().collect();
    assert_eq!(regex_end(&b, 0), Some(11));
    assert_eq!(parse_text(r"a\x24\${\n").unwrap(), "a$${\n");
}
