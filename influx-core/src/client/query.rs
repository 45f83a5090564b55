//! A query request: text, bound parameters and how to send it.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::{Error, ErrorKind, Precision, Result};

/// The HTTP method of a query.
///
/// InfluxDB 1.x wants reads by GET and statements that change the server
/// (`CREATE`, `DROP`, `ALTER`, `DELETE`, `GRANT`, `REVOKE`, `SET`, `KILL`,
/// `SELECT ... INTO`) by POST. [`Query::new`] picks the method from the text.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::{Query, QueryMethod};
/// assert_eq!(Query::new("SELECT * FROM cpu").method(), QueryMethod::Get);
/// assert_eq!(Query::new("DROP MEASUREMENT cpu").method(), QueryMethod::Post);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryMethod {
    /// `GET /query`: reads.
    Get,
    /// `POST /query`: statements that change the server.
    Post,
}

/// How times come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Epoch {
    /// Typed queries: nanoseconds; raw queries: RFC3339.
    Default,
    Integer(Precision),
    Rfc3339,
}

/// One `/query` request: InfluxQL text (one or more statements separated by
/// `;`), bound parameters, and options.
///
/// Values go in `$name` placeholders and [`Query::bind`], never by string
/// formatting: the server substitutes them token by token, so a value cannot
/// break out of its place (influxdb-python's `bind_params`).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::{Precision, Query};
/// let q = Query::new("SELECT usage FROM cpu WHERE host = $host AND time > now() - $window")
///     .bind("host", "a'b")
///     .bind("window", 3_600_000_000_000_i64)
///     .epoch(Precision::Milliseconds)
///     .database("metrics");
/// assert_eq!(q.text(), "SELECT usage FROM cpu WHERE host = $host AND time > now() - $window");
/// assert_eq!(q.params_json().unwrap(), r#"{"host":"a'b","window":3600000000000}"#);
/// ```
#[derive(Clone, PartialEq)]
pub struct Query {
    text: String,
    params: serde_json::Map<String, serde_json::Value>,
    bind_error: Option<String>,
    method: Option<QueryMethod>,
    epoch: Epoch,
    chunked: Option<bool>,
    chunk_size: Option<usize>,
    database: Option<String>,
    retention_policy: Option<String>,
    keep_statement_errors: bool,
    extra_params: Vec<(String, String)>,
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bound values may be sensitive: show only their names. Passwords in the text are redacted.
        f.debug_struct("Query")
            .field("text", &self.redacted_text())
            .field("params", &self.params.keys().collect::<Vec<_>>())
            .field("method", &self.method())
            .field("epoch", &self.epoch)
            .field("chunked", &self.chunked)
            .field("database", &self.database)
            .field("extra_params", &self.extra_params.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Query {
    /// A query of `text`, sent by the method its statements need.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::Query::new("SHOW DATABASES");
    /// assert_eq!(q.text(), "SHOW DATABASES");
    /// ```
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            params: serde_json::Map::new(),
            bind_error: None,
            method: None,
            epoch: Epoch::Default,
            chunked: None,
            chunk_size: None,
            database: None,
            retention_policy: None,
            keep_statement_errors: false,
            extra_params: Vec::new(),
        }
    }

    /// Binds `$name` to `value` (a string, number, bool, or anything `Serialize`
    /// that becomes a JSON scalar), sent in the `params` JSON object.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::Query::new("SELECT * FROM m WHERE v > $min").bind("min", 1.5);
    /// assert_eq!(q.params_json().unwrap(), r#"{"min":1.5}"#);
    /// ```
    pub fn bind(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        let name = name.into();
        let name = name.strip_prefix('$').map(str::to_owned).unwrap_or(name);
        match serde_json::to_value(value) {
            Ok(v) if v.is_object() || v.is_array() => {
                self.bind_error.get_or_insert_with(|| format!("parameter `{name}`: not a scalar value"));
            }
            Ok(v) => {
                self.params.insert(name, v);
            }
            Err(e) => {
                self.bind_error.get_or_insert_with(|| format!("parameter `{name}`: {e}"));
            }
        }
        self
    }

    /// Sends the query by `method` instead of the one chosen from the text.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::{Query, QueryMethod};
    /// assert_eq!(Query::new("SELECT 1").with_method(QueryMethod::Post).method(), QueryMethod::Post);
    /// ```
    pub fn with_method(mut self, method: QueryMethod) -> Self {
        self.method = Some(method);
        self
    }

    /// Times come back as integers in `precision` (typed queries default to
    /// nanoseconds, so times decode without loss).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::{Precision, Query};
    /// assert_eq!(Query::new("SELECT 1").epoch(Precision::Seconds).epoch_param(true), Some(Precision::Seconds));
    /// ```
    pub fn epoch(mut self, precision: Precision) -> Self {
        self.epoch = Epoch::Integer(precision);
        self
    }

    /// Times come back as RFC3339 strings (the server's default).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Query::new("SELECT 1").rfc3339().epoch_param(true), None);
    /// ```
    pub fn rfc3339(mut self) -> Self {
        self.epoch = Epoch::Rfc3339;
        self
    }

    /// Whether the server streams the answer in chunks (`chunked=true`).
    ///
    /// Typed and raw queries are chunked unless told otherwise: a chunked answer
    /// is never cut by the server's `max-row-limit`, and its `partial` flags are
    /// exact. A non-chunked answer marked `partial` fails with
    /// [`ErrorKind::Truncated`]; InfluxDB 1.6 also marks complete non-chunked
    /// answers of over 10,000 rows that way.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::Query::new("SELECT * FROM m").chunked(false);
    /// assert_eq!(q.is_chunked(), false);
    /// ```
    pub fn chunked(mut self, chunked: bool) -> Self {
        self.chunked = Some(chunked);
        self
    }

    /// Rows per chunk (the server's default is 10,000). Implies chunked.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::Query::new("SELECT * FROM m").chunk_size(500).is_chunked());
    /// ```
    pub fn chunk_size(mut self, rows: usize) -> Self {
        self.chunk_size = Some(rows.max(1));
        self.chunked = Some(true);
        self
    }

    /// Runs against `database` instead of the client's.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::Query::new("SELECT * FROM m").database("other");
    /// # let _ = q;
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }

    /// Uses `rp` as the default retention policy (`rp=`) instead of the client's.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::Query::new("SELECT * FROM m").retention_policy("week");
    /// # let _ = q;
    /// ```
    pub fn retention_policy(mut self, rp: impl Into<String>) -> Self {
        self.retention_policy = Some(rp.into());
        self
    }

    /// Keeps per-statement errors inside the answer of the raw APIs
    /// ([`Client::query`](crate::Client::query),
    /// [`Client::query_chunks`](crate::Client::query_chunks)) instead of
    /// returning the first as an error, for callers that inspect each
    /// statement (influxdb-python's `raise_errors=False`). HTTP errors and
    /// truncated answers are errors all the same. Typed queries decode rows,
    /// which a failed statement has none of: they always fail on it, and
    /// [`Client::query_multi`](crate::Client::query_multi) gives each
    /// statement's rows or error.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::Query::new("SHOW DATABASES; SHOW USERS").keep_statement_errors();
    /// assert!(q.keeps_statement_errors());
    /// ```
    pub fn keep_statement_errors(mut self) -> Self {
        self.keep_statement_errors = true;
        self
    }

    /// Adds a query parameter of the `/query` request that the client does
    /// not set itself (influxdb-python's `query(params={...})`), e.g. 1.x
    /// Enterprise's `node_id`. The ones the client sets (`q`, `db`, `rp`,
    /// `epoch`, `chunked`, `chunk_size`, `params`) have their own methods;
    /// `u`/`p` (credentials in the URL) and `pretty` (it splits each JSON
    /// document over many lines, and chunked answers are read line by line)
    /// are refused: all are an [`ErrorKind::Argument`] error when the query is sent.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::Query::new("SHOW DATABASES").param("node_id", "7");
    /// assert_eq!(q.extra_params().collect::<Vec<_>>(), [("node_id", "7")]);
    /// ```
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_params.push((name.into(), value.into()));
        self
    }

    /// The parameters added with [`Query::param`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Query::new("SHOW USERS").extra_params().count(), 0);
    /// ```
    pub fn extra_params(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.extra_params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// True if a raw answer keeps per-statement errors inside it (see
    /// [`Query::keep_statement_errors`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(!influx::Query::new("SHOW USERS").keeps_statement_errors());
    /// ```
    pub fn keeps_statement_errors(&self) -> bool {
        self.keep_statement_errors
    }

    /// The InfluxQL text.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Query::new("SHOW USERS").text(), "SHOW USERS");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The method the query is sent by.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::{Query, QueryMethod};
    /// assert_eq!(Query::new("SELECT a INTO b FROM c").method(), QueryMethod::Post);
    /// ```
    pub fn method(&self) -> QueryMethod {
        self.method.unwrap_or_else(|| method_for(&self.text))
    }

    /// True if no statement changes the server (by the statements, whatever
    /// method is forced): such a query may be sent on to another node.
    pub(crate) fn is_read_only(&self) -> bool {
        method_for(&self.text) == QueryMethod::Get
    }

    /// True if the answer is requested in chunks.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::Query::new("SELECT 1").is_chunked());
    /// ```
    pub fn is_chunked(&self) -> bool {
        self.chunked.unwrap_or(true)
    }

    /// The `params` object as JSON, or `None` when nothing is bound.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Query::new("SELECT 1").params_json().unwrap(), None::<String>.unwrap_or_default());
    /// ```
    pub fn params_json(&self) -> Result<String> {
        if let Some(e) = &self.bind_error {
            return Err(Error::new(ErrorKind::Encode, e.clone()));
        }
        if self.params.is_empty() {
            return Ok(String::new());
        }
        serde_json::to_string(&self.params)
            .map_err(|e| Error::new(ErrorKind::Encode, "cannot encode params").with_source(e))
    }

    /// The `epoch` sent: `typed` says whether rows decode into Rust types (which default to ns).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::{Precision, Query};
    /// assert_eq!(Query::new("SELECT 1").epoch_param(true), Some(Precision::Nanoseconds));
    /// assert_eq!(Query::new("SELECT 1").epoch_param(false), None);
    /// ```
    pub fn epoch_param(&self, typed: bool) -> Option<Precision> {
        match self.epoch {
            Epoch::Default if typed => Some(Precision::Nanoseconds),
            Epoch::Default | Epoch::Rfc3339 => None,
            Epoch::Integer(p) => Some(p),
        }
    }

    /// The text with every password clause replaced by `[REDACTED]`, as
    /// `influxd` logs it: what `Debug` and the client's logs show.
    pub(crate) fn redacted_text(&self) -> Cow<'_, str> {
        redact_passwords(&self.text).0
    }

    /// The passwords of the text, to scrub from the server's error messages
    /// (a parse error echoes the token it stopped at).
    pub(crate) fn passwords(&self) -> Vec<String> {
        redact_passwords(&self.text).1
    }

    /// The database set on this query (`None`: the client's).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Query::new("SHOW SERIES").database("db").get_database(), Some("db"));
    /// ```
    pub fn get_database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    pub(crate) fn database_param(&self) -> Option<&str> {
        self.database.as_deref()
    }

    pub(crate) fn rp_param(&self) -> Option<&str> {
        self.retention_policy.as_deref()
    }

    pub(crate) fn chunk_size_param(&self) -> Option<usize> {
        self.chunk_size
    }
}

impl From<&str> for Query {
    fn from(text: &str) -> Self {
        Query::new(text)
    }
}

impl From<String> for Query {
    fn from(text: String) -> Self {
        Query::new(text)
    }
}

impl From<&String> for Query {
    fn from(text: &String) -> Self {
        Query::new(text.as_str())
    }
}

impl From<&Query> for Query {
    fn from(q: &Query) -> Self {
        q.clone()
    }
}

/// POST if any statement changes the server, else GET.
fn method_for(text: &str) -> QueryMethod {
    const WRITES: [&str; 8] = ["CREATE", "DROP", "ALTER", "DELETE", "GRANT", "REVOKE", "SET", "KILL"];
    let mut first = true;
    let mut post = false;
    for t in tokens(text) {
        match t.kind {
            Tok::Semicolon => first = true,
            Tok::Word => {
                let word = &text[t.span.clone()];
                if first {
                    first = false;
                    if WRITES.iter().any(|w| w.eq_ignore_ascii_case(word)) {
                        post = true;
                    }
                } else if word.eq_ignore_ascii_case("INTO") {
                    post = true;
                }
            }
            _ => {}
        }
    }
    if post {
        QueryMethod::Post
    } else {
        QueryMethod::Get
    }
}

/// What the scanner saw; whitespace and comments are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A bare word (`[A-Za-z_][A-Za-z0-9_]*`).
    Word,
    /// A run of digits and letters starting with a digit.
    Number,
    /// `'...'`.
    Str,
    /// `"..."`.
    QuotedIdent,
    Semicolon,
    /// Any other character.
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Tok,
    span: std::ops::Range<usize>,
}

/// The tokens of `text` outside comments, enough to find statement heads,
/// keywords and literals (not a full InfluxQL lexer: `/regex/` is not one token).
fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || loop {
        let start = i;
        let c = *b.get(i)?;
        let kind = match c {
            b'\'' | b'"' => {
                i += 1;
                while i < b.len() && b[i] != c {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                if c == b'\'' {
                    Tok::Str
                } else {
                    Tok::QuotedIdent
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(b.len());
                continue;
            }
            b';' => {
                i += 1;
                Tok::Semicolon
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                if c.is_ascii_digit() {
                    Tok::Number
                } else {
                    Tok::Word
                }
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Tok::Other
            }
        };
        return Some(Token { kind, span: start..i });
    })
}

/// `text` with the password of each `CREATE USER ... WITH PASSWORD <p>` and
/// `SET PASSWORD FOR <u> = <p>` replaced by `[REDACTED]` (and, in statements
/// starting `CREATE USER` or `SET`, every string literal), plus the passwords found:
/// a string's value as the server reads it, or a bare token as written.
fn redact_passwords(text: &str) -> (Cow<'_, str>, Vec<String>) {
    const MARK: &str = "[REDACTED]";
    // Cheap test first: every statement this redacts has `USER` or `PASS` in it.
    let has = |w: &[u8]| text.as_bytes().windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    if !has(b"USER") && !has(b"PASS") {
        return (Cow::Borrowed(text), Vec::new());
    }
    let all: Vec<Token> = tokens(text).collect();
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    for statement in all.split(|t| t.kind == Tok::Semicolon) {
        let word = |j: usize, w: &str| {
            statement.get(j).is_some_and(|t| t.kind == Tok::Word && text[t.span.clone()].eq_ignore_ascii_case(w))
        };
        if !(word(0, "SET") || (word(0, "CREATE") && word(1, "USER"))) {
            continue;
        }
        let mut j = (0..statement.len()).find(|&j| word(j, "PASSWORD")).map_or(usize::MAX, |k| k + 1);
        if word(j, "FOR") {
            j += 2;
            if statement.get(j).is_some_and(|t| &text[t.span.clone()] == "=") {
                j += 1;
            }
        }
        if let Some(first) = statement.get(j) {
            // A bare password runs to the next gap: `abc-def` is one secret.
            let mut end = first.span.end;
            if first.kind != Tok::Str {
                for t in &statement[j + 1..] {
                    if t.span.start != end || t.kind == Tok::Str {
                        break;
                    }
                    end = t.span.end;
                }
            }
            spans.push(first.span.start..end);
        }
        spans.extend(statement.iter().filter(|t| t.kind == Tok::Str).map(|t| t.span.clone()));
    }
    if spans.is_empty() {
        return (Cow::Borrowed(text), Vec::new());
    }
    spans.sort_by_key(|r| r.start);
    spans.dedup_by(|b, a| b.start < a.end);
    let mut out = String::with_capacity(text.len());
    let mut secrets = Vec::new();
    let mut at = 0;
    for r in spans {
        out.push_str(&text[at..r.start]);
        out.push_str(MARK);
        let raw = &text[r.clone()];
        match raw.strip_prefix('\'') {
            Some(inner) => {
                let inner = inner.strip_suffix('\'').unwrap_or(inner);
                secrets.push(unescape_string(inner));
                secrets.push(inner.to_owned());
            }
            None => secrets.push(raw.to_owned()),
        }
        at = r.end;
    }
    out.push_str(&text[at..]);
    (Cow::Owned(out), secrets)
}

/// A string literal's contents as the 1.x scanner reads them (`\n`, `\\`, `\'`, `\"`).
fn unescape_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(e) => out.push(e),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_follows_statements() {
        for (q, m) in [
            ("SELECT * FROM cpu", QueryMethod::Get),
            ("  show databases", QueryMethod::Get),
            ("select * from \"DROP\" where a = 'CREATE'", QueryMethod::Get),
            ("SELECT mean(v) INTO m2 FROM m GROUP BY time(1h)", QueryMethod::Post),
            ("SELECT * FROM m; DROP MEASUREMENT m", QueryMethod::Post),
            ("-- DROP\nSELECT 1", QueryMethod::Get),
            ("/* x */ create database d", QueryMethod::Post),
            ("SELECT * FROM m WHERE t = 'a;DROP'", QueryMethod::Get),
            ("SET PASSWORD FOR u = 'p'", QueryMethod::Post),
            ("KILL QUERY 1", QueryMethod::Post),
            ("DELETE FROM m", QueryMethod::Post),
        ] {
            assert_eq!(Query::new(q).method(), m, "{q}");
        }
    }

    #[test]
    fn bind_rejects_non_scalars() {
        assert!(Query::new("x").bind("a", [1, 2]).params_json().is_err());
        assert_eq!(Query::new("x").bind("$a", true).params_json().unwrap(), r#"{"a":true}"#);
    }

    #[test]
    fn password_clauses_are_redacted() {
        for (text, shown, secrets) in [
            (
                r"CREATE USER u WITH PASSWORD 'p\'w' WITH ALL PRIVILEGES",
                "CREATE USER u WITH PASSWORD [REDACTED] WITH ALL PRIVILEGES",
                vec!["p'w", r"p\'w"],
            ),
            (
                r#"set password for "u;x" = 's3c;ret'"#,
                r#"set password for "u;x" = [REDACTED]"#,
                vec!["s3c;ret", "s3c;ret"],
            ),
            ("SET PASSWORD FOR u 'oops'", "SET PASSWORD FOR u [REDACTED]", vec!["oops", "oops"]),
            (
                "CREATE USER u WITH PASSWORD bare-pw2; SHOW USERS",
                "CREATE USER u WITH PASSWORD [REDACTED]; SHOW USERS",
                vec!["bare-pw2"],
            ),
            (
                "SELECT * FROM m WHERE t = 'x'; create user a with password 'b'",
                "SELECT * FROM m WHERE t = 'x'; create user a with password [REDACTED]",
                vec!["b", "b"],
            ),
        ] {
            let q = Query::new(text);
            assert_eq!(q.redacted_text(), shown, "{text}");
            assert_eq!(q.passwords(), secrets, "{text}");
            assert!(format!("{q:?}").contains(&format!("{shown:?}")), "{q:?}");
        }
        for plain in ["SELECT password FROM m WHERE x = 'y'", "SHOW USERS", "SELECT * FROM \"PASSWORD\""] {
            assert_eq!(Query::new(plain).redacted_text(), plain);
        }
        // A malformed password statement still shows no string literal.
        assert_eq!(
            Query::new("CREATE USER u WITH PASSWD 'x1'").redacted_text(),
            "CREATE USER u WITH PASSWD [REDACTED]"
        );
    }

    #[test]
    fn debug_hides_bound_values() {
        let q = Query::new("SELECT * FROM m WHERE p = $p").bind("p", "s3cret");
        assert!(!format!("{q:?}").contains("s3cret"));
    }
}
