//! SQL and InfluxQL over `/api/v3/query_sql` and `/api/v3/query_influxql`,
//! decoded into rows by the `jsonl`/`json` driver (`crate::decode::jsonl`).

use std::collections::VecDeque;
use std::fmt;

use bytes::Bytes;
use futures::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;
use tracing::{debug, trace};

use super::{error, Client};
use crate::client::http::transport;
use crate::client::stream::{piece_stream, BoxStream, Piece};
use crate::client::RowStream;
use crate::decode::jsonl::{decode_json_into, decode_jsonl_into, error_object, Rows, Typed};
use crate::decode::stream::ChunkReader;
use crate::decode::{DecodeRow, FnSink, RowSink, SerdeRow, SeriesInfo};
use crate::{Error, ErrorKind, Result};

/// The query language of a [`Query`].
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(influx::v3::Query::influxql("SHOW MEASUREMENTS").language(), influx::v3::Language::InfluxQl);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// SQL, on `/api/v3/query_sql`.
    Sql,
    /// InfluxQL, on `/api/v3/query_influxql`.
    InfluxQl,
}

/// The `format` of an answer.
///
/// Typed queries read `json` (the default of [`Client::query_as`]: a complete
/// answer is a closed array, so a cut-off or empty answer is detected) or
/// `jsonl` (the default of [`Client::query_stream`]: one row per line, decoded
/// as it arrives). The others are for [`Client::query_bytes`].
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(influx::v3::Format::Jsonl.as_str(), "jsonl");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// One JSON array of row objects.
    Json,
    /// One JSON row object per line.
    Jsonl,
    /// CSV with a header line.
    Csv,
    /// A Parquet file.
    Parquet,
    /// An ASCII table.
    Pretty,
}

impl Format {
    /// The name the server takes in `format`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::v3::Format::Parquet.as_str(), "parquet");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Pretty => "pretty",
        }
    }
}

/// One 3.x query: SQL or InfluxQL text, `$name` parameters, the database and
/// the answer format.
///
/// Values go in `$name` placeholders and [`Query::bind`], sent in the
/// request's `params` object, never by string formatting: the server
/// substitutes them as values, so a value cannot change the query.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::v3::Query;
/// let q = Query::sql("SELECT * FROM home WHERE room = $room AND temp > $min").bind("room", "Kitchen").bind("min", 20.5);
/// assert_eq!(q.params_json().unwrap(), r#"{"min":20.5,"room":"Kitchen"}"#);
/// ```
#[derive(Clone, PartialEq)]
pub struct Query {
    language: Language,
    // The 1.x query type holds the text, the bound values and the database.
    inner: crate::Query,
    format: Option<Format>,
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("v3::Query")
            .field("language", &self.language)
            .field("inner", &self.inner)
            .field("format", &self.format)
            .finish()
    }
}

impl Query {
    /// A SQL query.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::v3::Query::sql("SELECT * FROM home");
    /// assert_eq!(q.text(), "SELECT * FROM home");
    /// ```
    pub fn sql(text: impl Into<String>) -> Self {
        Self { language: Language::Sql, inner: crate::Query::new(text), format: None }
    }

    /// An InfluxQL query. Its answer has an `iox::measurement` column, which
    /// becomes the series name ([`SeriesInfo::name`]) and is not a column.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::v3::Query::influxql("SELECT temp FROM home WHERE room = $room").bind("room", "Kitchen");
    /// # let _ = q;
    /// ```
    pub fn influxql(text: impl Into<String>) -> Self {
        Self { language: Language::InfluxQl, inner: crate::Query::new(text), format: None }
    }

    /// Binds `$name` to `value` (a string, number, bool, or anything
    /// `Serialize` that becomes a JSON scalar).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::v3::Query::sql("SELECT * FROM t WHERE v > $min").bind("min", 1);
    /// assert_eq!(q.params_json().unwrap(), r#"{"min":1}"#);
    /// ```
    pub fn bind(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        self.inner = self.inner.bind(name, value);
        self
    }

    /// Queries `database` instead of the client's.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::Query::sql("SELECT 1").database("other");
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.inner = self.inner.database(database);
        self
    }

    /// Asks for the answer in `format`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::v3::{Format, Query};
    /// assert_eq!(Query::sql("SELECT 1").format(Format::Csv).get_format(), Some(Format::Csv));
    /// ```
    pub fn format(mut self, format: Format) -> Self {
        self.format = Some(format);
        self
    }

    /// The format set on this query, if any.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::v3::Query::sql("SELECT 1").get_format(), None);
    /// ```
    pub fn get_format(&self) -> Option<Format> {
        self.format
    }

    /// The query text.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::v3::Query::influxql("SHOW DATABASES").text(), "SHOW DATABASES");
    /// ```
    pub fn text(&self) -> &str {
        self.inner.text()
    }

    /// The language.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::v3::Query::sql("SELECT 1").language(), influx::v3::Language::Sql);
    /// ```
    pub fn language(&self) -> Language {
        self.language
    }

    /// The `params` object as JSON (empty when nothing is bound); an error if
    /// a bound value is not a scalar.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::v3::Query::sql("SELECT 1").params_json().unwrap(), "");
    /// ```
    pub fn params_json(&self) -> Result<String> {
        self.inner.params_json()
    }

    /// A rendered SQL pattern (text and bound values) as a 3.x query.
    pub(crate) fn from_sql_pattern(q: crate::Query) -> Self {
        Self { language: Language::Sql, inner: q, format: None }
    }

    /// A rendered InfluxQL pattern (text, database) as a 3.x query.
    pub(crate) fn from_influxql_pattern(q: crate::Query) -> Self {
        Self { language: Language::InfluxQl, inner: q, format: None }
    }

    /// The database set on this query, if any.
    pub(crate) fn database_param(&self) -> Option<&str> {
        self.inner.database_param()
    }

    /// The `params` object as sent (`None` when nothing is bound): over HTTP in
    /// the request body, over Flight in the ticket.
    pub(crate) fn params_raw(&self) -> Result<Option<Box<RawValue>>> {
        match self.params_json()? {
            p if p.is_empty() => Ok(None),
            // Sent as bound: the text is the JSON the values serialized to.
            p => RawValue::from_string(p)
                .map(Some)
                .map_err(|e| Error::new(ErrorKind::Encode, "bad params").with_source(e)),
        }
    }

    fn path(&self) -> &'static str {
        match self.language {
            Language::Sql => "/api/v3/query_sql",
            Language::InfluxQl => "/api/v3/query_influxql",
        }
    }
}

/// Quotes `s` as a SQL string literal (`'it''s'`), for places where a `$name`
/// parameter cannot go (function arguments such as `last_cache('table')`).
/// InfluxDB 3's SQL reads backslashes in literals as themselves, so only `'`
/// is doubled.
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(influx::v3::quote_literal(r"it's a\b"), r"'it''s a\b'");
/// ```
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Quotes `s` as a SQL identifier (`"Room ""A"""`): quoted names keep their
/// case and may hold any character.
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(influx::v3::quote_ident(r#"Room "A""#), r#""Room ""A""""#);
/// ```
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Plain text is SQL.
impl From<&str> for Query {
    fn from(text: &str) -> Self {
        Query::sql(text)
    }
}

impl From<String> for Query {
    fn from(text: String) -> Self {
        Query::sql(text)
    }
}

impl From<&Query> for Query {
    fn from(q: &Query) -> Self {
        q.clone()
    }
}

impl Client {
    /// Sends `q` (POST, JSON body) asking for `format`; the answer's status is checked.
    /// `bounded`: the whole request is bounded by the client's timeout (the
    /// answer is read at once); a stream's answer is bounded by `chunk_timeout` per read.
    async fn send_query(&self, q: &Query, format: Format, bounded: bool) -> Result<reqwest::Response> {
        self.require_v3_api(if q.language == Language::Sql { "query_sql" } else { "query_influxql" })?;
        #[derive(Serialize)]
        struct Body<'a> {
            db: &'a str,
            q: &'a str,
            format: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            params: Option<Box<RawValue>>,
        }
        let db = self.database_or(q.database_param())?;
        let params = q.params_raw()?;
        let body = serde_json::to_vec(&Body { db, q: q.text(), format: format.as_str(), params })
            .map_err(|e| Error::new(ErrorKind::Encode, "cannot encode the query").with_source(e))?;
        debug!(language = ?q.language, db, format = format.as_str(), "query");
        trace!(text = q.text(), "query text");
        let req = if bounded {
            self.request(reqwest::Method::POST, q.path())
        } else {
            self.shared.http.post(self.url(q.path()))
        };
        let req = req.header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
        // Queries read: any node may answer one.
        let resp = self.send(req, true).await?;
        error::check(self, resp).await
    }

    /// Runs `q` and returns the answer's body as the server sent it, in the
    /// query's format (`json` unless set): for CSV, Parquet or a pretty table.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use influx::v3::{Format, Query};
    /// let csv = client.query_bytes(Query::sql("SELECT * FROM home").format(Format::Csv)).await?;
    /// # let _ = csv; Ok(()) }
    /// ```
    pub async fn query_bytes(&self, q: impl Into<Query>) -> Result<Bytes> {
        let q = q.into();
        let resp = self.send_query(&q, q.format.unwrap_or(Format::Json), true).await?;
        resp.bytes().await.map_err(transport)
    }

    /// Runs `q` and decodes every row into `T`: a `#[derive(InfluxPoint)]`
    /// struct (members by column name, the time from `time`, tags from their
    /// nullable string columns), a tuple (one element per column, in the
    /// server's column order) or [`SerdeRow`].
    ///
    /// The answer is read as `json` unless the query asks for `jsonl`: an
    /// empty body or an array cut off is [`ErrorKind::Truncated`], an error
    /// object instead of rows [`ErrorKind::Query`], a row that does not fit
    /// `T` [`ErrorKind::Decode`] naming the row and column.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use influx::v3::Query;
    /// let rows: Vec<(chrono::DateTime<chrono::Utc>, String, f64)> =
    ///     client.query_as(Query::sql("SELECT time, room, temp FROM home WHERE temp > $min").bind("min", 21.0)).await?;
    /// # let _ = rows; Ok(()) }
    /// ```
    pub async fn query_as<T: DecodeRow>(&self, q: impl Into<Query>) -> Result<Vec<T>> {
        let mut rows = Vec::new();
        self.query_into(q.into(), &mut rows).await?;
        Ok(rows)
    }

    /// [`Client::query_as`] for any `serde::Deserialize` row type: each row
    /// is a map of column name to value (a null cell is absent from the
    /// answer and arrives as null). The `time` column arrives as integer
    /// nanoseconds since the epoch (UTC), as 1.x typed times do: read it as
    /// `i64` or with `chrono::serde::ts_nanoseconds`.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// #[derive(serde::Deserialize)]
    /// struct Home { time: i64, room: String, temp: Option<f64> }
    /// let rows: Vec<Home> = client.query_serde("SELECT time, room, temp FROM home").await?;
    /// # let _ = rows; Ok(()) }
    /// ```
    pub async fn query_serde<T: DeserializeOwned>(&self, q: impl Into<Query>) -> Result<Vec<T>> {
        let mut rows = Vec::new();
        self.query_into(q.into(), &mut FnSink(|r: SerdeRow<T>, _: &SeriesInfo<'_>| rows.push(r.0))).await?;
        Ok(rows)
    }

    /// Runs `q` and calls `f` with each decoded row and its series (for
    /// InfluxQL the measurement is [`SeriesInfo::name`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use influx::v3::Query;
    /// client
    ///     .query_each(Query::influxql("SELECT temp FROM home, garage"), |(time, temp): (i64, f64), s| {
    ///         println!("{} {time} {temp}", s.name());
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn query_each<T, F>(&self, q: impl Into<Query>, f: F) -> Result<()>
    where
        T: DecodeRow,
        F: FnMut(T, &SeriesInfo<'_>),
    {
        self.query_into(q.into(), &mut FnSink(f)).await
    }

    /// The typed query path: sending and reading the answer are not generic ([`Client::typed_body`]),
    /// so that each row type adds only its decoding to a build.
    async fn query_into<T: DecodeRow, S: RowSink<T>>(&self, q: Query, sink: &mut S) -> Result<()> {
        let (format, body) = self.typed_body(q).await?;
        match format {
            Format::Jsonl => decode_jsonl_into::<T, S>(&body, sink),
            _ => decode_json_into::<T, S>(&body, sink),
        }
    }

    /// Sends a typed query (`json` or `jsonl`) and reads its whole answer; a jsonl answer that
    /// is an error object is the error.
    pub(crate) async fn typed_body(&self, q: Query) -> Result<(Format, Bytes)> {
        let format = q.format.unwrap_or(Format::Json);
        if !matches!(format, Format::Json | Format::Jsonl) {
            return Err(Error::new(
                ErrorKind::Builder,
                format!("rows decode from json or jsonl, not {}: use query_bytes", format.as_str()),
            ));
        }
        let resp = self.send_query(&q, format, true).await?;
        let says_json = is_json(&resp);
        let body = resp.bytes().await.map_err(transport)?;
        if format == Format::Jsonl {
            if let Some(e) = says_json.then(|| error_object(&body)).flatten() {
                return Err(e);
            }
        }
        Ok((format, body))
    }

    /// Streams the rows of `q` as they arrive (`format=jsonl`), one line at
    /// a time: memory stays bounded by one row (plus one network read)
    /// whatever the result size.
    ///
    /// A last line without its newline (the answer was cut off) ends the
    /// stream with [`ErrorKind::Truncated`]; a connection the server aborts
    /// (a query failing while streaming) with [`ErrorKind::Transport`]. An
    /// empty answer is an empty stream: the server sends nothing for an empty
    /// jsonl result, so use [`Client::query_as`] (`json`) where a failure
    /// before the first row must be told apart from no rows.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut rows = client.query_stream::<(i64, String, f64)>("SELECT time, room, temp FROM home").await?;
    /// while let Some((time, room, temp)) = rows.try_next().await? {
    ///     # let _ = (time, room, temp);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_stream<T>(&self, q: impl Into<Query>) -> Result<RowStream<T>>
    where
        T: DecodeRow + Send + 'static,
        T::Plan: Send,
    {
        let inner = self
            .jsonl_stream(q.into(), "query_stream", |rows: &mut Rows<T::Plan>, line, pending| match line {
                Some(line) => rows.row(line, &mut Typed::<T, _>::new(pending)),
                None => Ok(()),
            })
            .await?;
        Ok(RowStream::from_stream(inner))
    }

    /// Sends `q` for a `jsonl` answer and reads it one line at a time as it arrives (`what`:
    /// the method, for the error if `q` asks for another format). `each` gets the answer's row
    /// reader and each complete line, then `None` when the answer ends, and puts what it makes
    /// in the queue the stream yields from. An error object instead of rows is
    /// [`ErrorKind::Query`], a last line without its newline [`ErrorKind::Truncated`].
    pub(crate) async fn jsonl_stream<P, T, F>(&self, q: Query, what: &str, mut each: F) -> Result<BoxStream<T>>
    where
        P: Send + 'static,
        T: Send + 'static,
        F: FnMut(&mut Rows<P>, Option<&[u8]>, &mut VecDeque<T>) -> Result<()> + Send + 'static,
    {
        match q.format {
            None | Some(Format::Jsonl) => {}
            Some(f) => {
                return Err(Error::new(
                    ErrorKind::Builder,
                    format!("{what} reads jsonl, not {}: use query_as or query_bytes", f.as_str()),
                ))
            }
        }
        let resp = self.send_query(&q, Format::Jsonl, false).await?;
        // The answer says `application/json`: its first line may be an error object.
        let mut says_json = is_json(&resp);
        let body = Box::pin(resp.bytes_stream().map(|r| r.map_err(transport)));
        let reader = ChunkReader::lines(body, self.shared.chunk_timeout);
        let mut rows = Rows::<P>::default();
        Ok(piece_stream(reader, move |piece, pending| {
            let (line, cut) = match piece {
                Piece::Chunk(line) => (line, false),
                Piece::Unterminated(line) => (line, true),
                Piece::End => return each(&mut rows, None, pending),
            };
            if let Some(e) = says_json.then(|| error_object(line)).flatten() {
                return Err(e);
            }
            if cut {
                return Err(rows.cut_off());
            }
            says_json = false;
            each(&mut rows, Some(line), pending)
        }))
    }
}

/// True if the answer's type is plain JSON (an error object), not JSON lines.
fn is_json(resp: &reqwest::Response) -> bool {
    resp.headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_carry_language_params_and_format() {
        let q =
            Query::influxql("SELECT v FROM m WHERE host = $h").bind("$h", "a'b").database("db").format(Format::Jsonl);
        assert_eq!(q.path(), "/api/v3/query_influxql");
        assert_eq!(q.params_json().unwrap(), r#"{"h":"a'b"}"#);
        assert_eq!(q.inner.database_param(), Some("db"));
        assert_eq!(Query::from("SELECT 1").path(), "/api/v3/query_sql");
        assert_eq!(Query::sql("x").bind("bad", vec![1]).params_json().unwrap_err().kind(), ErrorKind::Encode);
        assert!(!format!("{:?}", Query::sql("x").bind("secret", "hunter2")).contains("hunter2"));
    }
}
