//! The asynchronous InfluxDB 1.x client.
//!
//! [`Client`] writes points and line protocol, runs queries and decodes their
//! rows straight into Rust types, streams large results chunk by chunk, and
//! carries every connection option of influxdb-python and aioinflux (see
//! [`ClientBuilder`]). No type of its HTTP library appears in its API.

mod auth;
mod builder;
mod dsn;
mod http;
mod query;
mod results;
mod stream;
mod udp;
mod verify;
mod write;

pub use builder::ClientBuilder;
pub use query::{Query, QueryMethod};
pub use results::QueryResults;
pub use stream::{ChunkStream, RowStream};
pub use udp::UdpWriter;
pub use verify::{ConflictKind, SchemaConflict};
pub use write::WriteOptions;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures::StreamExt;
use serde::de::DeserializeOwned;
use tracing::{debug, trace};

use self::auth::Auth;
use self::http::{check_status, transport};
use crate::decode::stream::{ByteStream, ChunkReader};
use crate::decode::{
    check_outcome, decode_body, DecodeContext, DecodeRow, FnSink, QueryResponse, RowSink, SerdeRow, SeriesInfo,
};
use crate::line_protocol::{encode_batch, EncodeOptions, WritePoint};
use crate::{Error, ErrorKind, Precision, Result};

/// A handle to one InfluxDB 1.x server.
///
/// Cheap to clone: clones share one connection pool. The database, retention
/// policy and user belong to each handle, so [`Client::switch_database`] and
/// [`Client::switch_user`] change only the handle they are called on.
///
/// ```no_run
/// # async fn run() -> influx_core::Result<()> {
/// use influx_core::{Client, Query};
/// let client = Client::new("http://localhost:8086", "metrics")?;
/// println!("server {}", client.ping().await?);
/// let rows: Vec<(i64, f64)> = client.query_as("SELECT usage FROM cpu LIMIT 10").await?;
/// let busy: Vec<(i64, f64)> =
///     client.query_as(Query::new("SELECT usage FROM cpu WHERE usage > $min").bind("min", 0.9)).await?;
/// # let _ = (rows, busy); Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    database: Option<Arc<str>>,
    retention_policy: Option<Arc<str>>,
    encode: Arc<EncodeOptions>,
    auth: Auth,
}

struct Shared {
    http: reqwest::Client,
    base: String,
    gzip: bool,
    udp: Option<Arc<UdpWriter>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.shared.base)
            .field("database", &self.database)
            .field("retention_policy", &self.retention_policy)
            .field("auth", &self.auth)
            .field("gzip", &self.shared.gzip)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of the server at `url` (`http://host:8086`).
    ///
    /// ```
    /// let client = influx_core::Client::builder("http://localhost:8086").database("metrics").build().unwrap();
    /// assert_eq!(client.database(), Some("metrics"));
    /// ```
    pub fn builder(url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new().url(url)
    }

    /// A client of the server at `url` writing to and querying `database`.
    ///
    /// ```
    /// let client = influx_core::Client::new("http://localhost:8086", "metrics").unwrap();
    /// # let _ = client;
    /// ```
    pub fn new(url: impl Into<String>, database: impl Into<String>) -> Result<Self> {
        Self::builder(url).database(database).build()
    }

    /// A client from a DSN, as influxdb-python reads them:
    /// `influxdb://[user[:password]@]host[:port][/database]`, with
    /// `https+influxdb://` for HTTPS and `udp+influxdb://host[:udp_port]/db`
    /// for writes over UDP (port 4444 unless given; queries go to HTTP port 8086).
    ///
    /// ```
    /// let c = influx_core::Client::from_dsn("influxdb://admin:p%40ss@localhost:8086/metrics").unwrap();
    /// assert_eq!((c.database(), c.username()), (Some("metrics"), Some("admin")));
    /// assert!(influx_core::Client::from_dsn("mysql://x").is_err());
    /// ```
    pub fn from_dsn(dsn: &str) -> Result<Self> {
        dsn.parse::<ClientBuilder>()?.build()
    }

    /// The default database.
    ///
    /// ```
    /// assert_eq!(influx_core::Client::builder("http://h").build().unwrap().database(), None);
    /// ```
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The default retention policy.
    ///
    /// ```
    /// assert_eq!(influx_core::Client::builder("http://h").build().unwrap().retention_policy(), None);
    /// ```
    pub fn retention_policy(&self) -> Option<&str> {
        self.retention_policy.as_deref()
    }

    /// The client's encoding options (default tags, unsigned suffix) at `precision`,
    /// or at the client's precision. Borrowed unless the precision differs.
    pub(crate) fn encode_options(&self, precision: Option<Precision>) -> std::borrow::Cow<'_, EncodeOptions> {
        match precision {
            Some(p) if p != self.encode.precision => {
                std::borrow::Cow::Owned(EncodeOptions { precision: p, ..(*self.encode).clone() })
            }
            _ => std::borrow::Cow::Borrowed(&self.encode),
        }
    }

    /// The user this handle authenticates as (HTTP Basic), if any.
    ///
    /// ```
    /// let c = influx_core::Client::builder("http://h").credentials("bob", "pw").build().unwrap();
    /// assert_eq!(c.username(), Some("bob"));
    /// ```
    pub fn username(&self) -> Option<&str> {
        self.auth.username()
    }

    /// Makes `database` the default of this handle (influxdb-python's `switch_database`).
    ///
    /// ```
    /// let mut c = influx_core::Client::new("http://h", "a").unwrap();
    /// let other = c.clone();
    /// c.switch_database("b");
    /// assert_eq!((c.database(), other.database()), (Some("b"), Some("a")));
    /// ```
    pub fn switch_database(&mut self, database: impl Into<String>) {
        self.database = Some(Arc::from(database.into()));
    }

    /// Makes `rp` the default retention policy of this handle.
    ///
    /// ```
    /// let mut c = influx_core::Client::new("http://h", "a").unwrap();
    /// c.switch_retention_policy("week");
    /// assert_eq!(c.retention_policy(), Some("week"));
    /// ```
    pub fn switch_retention_policy(&mut self, rp: impl Into<String>) {
        self.retention_policy = Some(Arc::from(rp.into()));
    }

    /// Authenticates this handle as another user (influxdb-python's `switch_user`).
    ///
    /// ```
    /// let mut c = influx_core::Client::new("http://h", "a").unwrap();
    /// c.switch_user("reader", "pw");
    /// assert_eq!(c.username(), Some("reader"));
    /// ```
    pub fn switch_user(&mut self, username: impl Into<String>, password: impl Into<String>) {
        self.auth = Auth::basic(username.into(), password.into());
    }

    /// A new handle on the same pool with `database` as its default.
    ///
    /// ```
    /// let c = influx_core::Client::new("http://h", "a").unwrap();
    /// assert_eq!(c.with_database("b").database(), Some("b"));
    /// ```
    pub fn with_database(&self, database: impl Into<String>) -> Client {
        let mut c = self.clone();
        c.switch_database(database);
        c
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.shared.base)
    }

    fn authorize(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.auth.header() {
            Some(h) => req.header(reqwest::header::AUTHORIZATION, h.clone()),
            None => req,
        }
    }

    /// Pings the server and returns its version (`X-Influxdb-Version`).
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// let version = client.ping().await?;
    /// # let _ = version; Ok(()) }
    /// ```
    pub async fn ping(&self) -> Result<String> {
        let resp = self.authorize(self.shared.http.get(self.url("/ping"))).send().await.map_err(transport)?;
        let version =
            resp.headers().get("x-influxdb-version").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        check_status(resp).await?;
        Ok(version)
    }

    /// Writes points to the client's database at its precision.
    ///
    /// ```no_run
    /// # async fn f<P: influx_core::WritePoint>(client: influx_core::Client, points: Vec<P>) -> influx_core::Result<()> {
    /// client.write(&points).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write<I>(&self, points: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        self.write_with(points, &WriteOptions::new()).await
    }

    /// Writes points with per-call options (database, retention policy, precision, gzip).
    ///
    /// ```no_run
    /// # async fn f<P: influx_core::WritePoint>(client: influx_core::Client, points: Vec<P>) -> influx_core::Result<()> {
    /// use influx_core::{Precision, WriteOptions};
    /// client.write_with(&points, &WriteOptions::new().database("other").precision(Precision::Seconds)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write_with<I>(&self, points: I, options: &WriteOptions) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let opts = self.encode_options(options.precision);
        let mut body = Vec::new();
        encode_batch(points, &mut body, &opts)?;
        if body.is_empty() {
            return Ok(());
        }
        let options = WriteOptions { precision: Some(opts.precision), ..options.clone() };
        self.write_lp(body, &options).await
    }

    /// Writes a body of line protocol as it is (lines joined by `\n`).
    ///
    /// The body is not copied (a `Vec<u8>`, `String`, `Arc<[u8]>`, `Bytes`,
    /// `&'static [u8]`, ...), so a retrying caller can keep a cheap clone.
    /// Errors are typed: [`ErrorKind::PartialWrite`] (some points stored; the
    /// server's message via [`Error::server_message`]), `Unauthorized`,
    /// `Forbidden`, `DatabaseNotFound`, `PayloadTooLarge`, `Throttled`,
    /// `Server`, `BadRequest`, `Timeout`, `Connect`, `Transport`.
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// use influx_core::{Precision, WriteOptions};
    /// client.write_lp("cpu,host=a usage=0.5 1700000000", &WriteOptions::new().precision(Precision::Seconds)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write_lp<B>(&self, body: B, options: &WriteOptions) -> Result<()>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        if let Some(udp) = &self.shared.udp {
            udp.write_lp(body.as_ref())?;
            return Ok(());
        }
        let db = options
            .database
            .as_deref()
            .or(self.database.as_deref())
            .ok_or_else(|| Error::new(ErrorKind::Builder, "no database: set one on the client or the write"))?;
        let precision = options.precision.unwrap_or(self.encode.precision);
        let mut params: Vec<(&str, &str)> = vec![("db", db), ("precision", precision.as_str())];
        if let Some(rp) = options.retention_policy.as_deref().or(self.retention_policy.as_deref()) {
            params.push(("rp", rp));
        }
        let gzip = options.gzip.unwrap_or(self.shared.gzip);
        let raw_len = body.as_ref().len();
        let mut req = self.shared.http.post(self.url("/write")).query(&params);
        req = if gzip {
            let compressed = gzip_bytes(body.as_ref())?;
            req.header(reqwest::header::CONTENT_ENCODING, "gzip").body(compressed)
        } else {
            req.body(Bytes::from_owner(body))
        };
        let started = Instant::now();
        debug!(db, bytes = raw_len, gzip, "write");
        let resp = self.authorize(req).send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let res = check_status(resp).await;
        debug!(status, elapsed_ms = started.elapsed().as_millis() as u64, ok = res.is_ok(), "write answered");
        res.map(drop)
    }

    async fn send_query(&self, q: &Query, typed: bool) -> Result<(reqwest::Response, DecodeContext)> {
        let epoch = q.epoch_param(typed);
        let params_json = q.params_json()?;
        let mut params: Vec<(&str, String)> = vec![("q", q.text().to_owned())];
        if let Some(db) = q.database_param().or(self.database.as_deref()) {
            params.push(("db", db.to_owned()));
        }
        if let Some(rp) = q.rp_param().or(self.retention_policy.as_deref()) {
            params.push(("rp", rp.to_owned()));
        }
        if let Some(p) = epoch {
            params.push(("epoch", p.as_str().to_owned()));
        }
        if q.is_chunked() {
            params.push(("chunked", "true".to_owned()));
            if let Some(n) = q.chunk_size_param() {
                params.push(("chunk_size", n.to_string()));
            }
        }
        if !params_json.is_empty() {
            params.push(("params", params_json));
        }
        let url = self.url("/query");
        let method = q.method();
        let req = match method {
            QueryMethod::Get => self.shared.http.get(url).query(&params),
            QueryMethod::Post => self.shared.http.post(url).form(&params),
        };
        debug!(?method, chunked = q.is_chunked(), db = q.database_param().or(self.database.as_deref()), "query");
        trace!(text = q.text(), "query text");
        let resp = self.authorize(req).send().await.map_err(transport)?;
        let resp = check_status(resp).await?;
        Ok((resp, DecodeContext::new(epoch)))
    }

    fn body_stream(resp: reqwest::Response) -> ByteStream {
        Box::pin(resp.bytes_stream().map(|r| r.map_err(transport)))
    }

    /// Runs `q` and returns the server's answer as JSON structures ("raw" mode).
    ///
    /// Per-statement errors stay inside the answer (see
    /// [`QueryResponse::first_error`]); HTTP errors are returned as errors.
    /// Chunked answers (the default) are merged into one response.
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// let resp = client.query("SHOW MEASUREMENTS").await?;
    /// for p in resp.iter_points() {
    ///     println!("{}", p.values[0]);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query(&self, q: impl Into<Query>) -> Result<QueryResponse> {
        let q = q.into();
        let (resp, _) = self.send_query(&q, false).await?;
        if !q.is_chunked() {
            let bytes = resp.bytes().await.map_err(transport)?;
            let r: QueryResponse = parse_raw(&bytes)?;
            if let Some(s) = r.results.iter().find(|s| s.partial || s.series.iter().any(|x| x.partial)) {
                return Err(crate::decode::truncated(s.statement_id));
            }
            return Ok(r);
        }
        let mut reader = ChunkReader::new(Self::body_stream(resp));
        let mut merged = QueryResponse::default();
        while let Some(chunk) = reader.next_chunk().await? {
            results::merge_chunk(&mut merged, parse_raw(&chunk)?);
        }
        Ok(merged)
    }

    /// Runs `q` and decodes the rows of every series of every statement into `T`.
    ///
    /// `T` is a `#[derive(InfluxPoint)]` struct, a tuple (one element per
    /// column), or [`SerdeRow`]. Times are asked in nanoseconds unless
    /// [`Query::epoch`] says otherwise. A failed statement is
    /// [`ErrorKind::Query`]; a row that does not fit `T` is
    /// [`ErrorKind::Decode`] naming the statement, series, row and column.
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// let rows: Vec<(chrono::DateTime<chrono::Utc>, Option<f64>)> =
    ///     client.query_as("SELECT usage FROM cpu WHERE time > now() - 1h").await?;
    /// # let _ = rows; Ok(()) }
    /// ```
    pub async fn query_as<T: DecodeRow>(&self, q: impl Into<Query>) -> Result<Vec<T>> {
        let mut rows = Vec::new();
        self.query_into(q.into(), &mut rows).await?;
        Ok(rows)
    }

    /// [`Client::query_as`] for any `serde::Deserialize` row type (see [`SerdeRow`]).
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// #[derive(serde::Deserialize)]
    /// struct Cpu { time: i64, host: String, usage: Option<f64> }
    /// let rows: Vec<Cpu> = client.query_serde("SELECT usage FROM cpu GROUP BY host").await?;
    /// # let _ = rows; Ok(()) }
    /// ```
    pub async fn query_serde<T: DeserializeOwned>(&self, q: impl Into<Query>) -> Result<Vec<T>> {
        let mut rows = Vec::new();
        self.query_into(q.into(), &mut FnSink(|r: SerdeRow<T>, _: &SeriesInfo<'_>| rows.push(r.0))).await?;
        Ok(rows)
    }

    /// Runs `q` and calls `f` with each decoded row and its series (name, tags,
    /// columns, statement): aioinflux's `iterpoints` with a parser.
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// client
    ///     .query_each("SELECT usage FROM cpu GROUP BY host", |(time, usage): (i64, f64), s| {
    ///         println!("{} {:?} {time} {usage}", s.name(), s.tag("host"));
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

    async fn query_into<T: DecodeRow, S: RowSink<T>>(&self, q: Query, sink: &mut S) -> Result<()> {
        let (resp, ctx) = self.send_query(&q, true).await?;
        if !q.is_chunked() {
            let bytes = resp.bytes().await.map_err(transport)?;
            let out = decode_body::<T, S>(&bytes, &ctx, None, sink)?;
            return check_outcome(&out, false);
        }
        let mut reader = ChunkReader::new(Self::body_stream(resp));
        while let Some(chunk) = reader.next_chunk().await? {
            let out = decode_body::<T, S>(&chunk, &ctx, None, sink)?;
            check_outcome(&out, true)?;
        }
        Ok(())
    }

    /// Runs a query of several statements and keeps the answer, so that each
    /// statement's rows decode into their own type.
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// let res = client.query_multi("SELECT usage FROM cpu; SELECT used FROM mem").await?;
    /// let cpu: Vec<(i64, f64)> = res.rows(0)?;
    /// let mem: Vec<(i64, i64)> = res.rows(1)?;
    /// # let _ = (cpu, mem); Ok(()) }
    /// ```
    pub async fn query_multi(&self, q: impl Into<Query>) -> Result<QueryResults> {
        let q = q.into();
        let (resp, ctx) = self.send_query(&q, true).await?;
        let chunked = q.is_chunked();
        let chunks = if chunked {
            let mut reader = ChunkReader::new(Self::body_stream(resp));
            let mut chunks = Vec::new();
            while let Some(c) = reader.next_chunk().await? {
                chunks.push(c);
            }
            chunks
        } else {
            vec![resp.bytes().await.map_err(transport)?]
        };
        QueryResults::new(chunks, ctx, chunked)
    }

    /// Streams the rows of `q` as they arrive (`chunked=true`), decoding one
    /// chunk at a time: memory stays bounded by the chunk size whatever the
    /// result size.
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut rows = client.query_stream::<(i64, f64)>(influx_core::Query::new("SELECT usage FROM cpu").chunk_size(5000)).await?;
    /// while let Some((time, usage)) = rows.try_next().await? {
    ///     # let _ = (time, usage);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_stream<T>(&self, q: impl Into<Query>) -> Result<RowStream<T>>
    where
        T: DecodeRow + Send + 'static,
    {
        let q = q.into().chunked(true);
        let (resp, ctx) = self.send_query(&q, true).await?;
        Ok(RowStream::new(ChunkReader::new(Self::body_stream(resp)), ctx))
    }

    /// Streams the chunks of `q` as raw JSON structures (aioinflux's `iterchunks`).
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut chunks = client.query_chunks(influx_core::Query::new("SELECT * FROM cpu").chunk_size(1000)).await?;
    /// while let Some(chunk) = chunks.try_next().await? {
    ///     println!("{} points", chunk.iter_points().count());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_chunks(&self, q: impl Into<Query>) -> Result<ChunkStream> {
        let q = q.into().chunked(true);
        let (resp, _) = self.send_query(&q, false).await?;
        Ok(ChunkStream::new(ChunkReader::new(Self::body_stream(resp))))
    }

    /// Tag keys and values per measurement (aioinflux's `get_tag_info`), from
    /// `SHOW TAG VALUES WITH KEY =~ /.*/`, optionally for one measurement.
    ///
    /// ```no_run
    /// # async fn f(client: influx_core::Client) -> influx_core::Result<()> {
    /// let info = client.tag_info(Some("cpu")).await?;
    /// for (key, values) in &info["cpu"] {
    ///     println!("{key}: {values:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn tag_info(&self, measurement: Option<&str>) -> Result<BTreeMap<String, BTreeMap<String, Vec<String>>>> {
        let text = match measurement {
            Some(m) => format!("SHOW TAG VALUES FROM {} WITH KEY =~ /.*/", crate::influxql::quote_ident(m)),
            None => "SHOW TAG VALUES WITH KEY =~ /.*/".to_owned(),
        };
        let mut info: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        self.query_each(Query::new(text), |(key, value): (String, String), s| {
            info.entry(s.name().to_owned()).or_default().entry(key).or_default().push(value);
        })
        .await?;
        Ok(info)
    }
}

fn parse_raw(bytes: &[u8]) -> Result<QueryResponse> {
    QueryResponse::from_json(bytes)
}

fn gzip_bytes(body: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4 + 64), flate2::Compression::fast());
    enc.write_all(body)
        .and_then(|()| enc.finish())
        .map_err(|e| Error::new(ErrorKind::Encode, "gzip compression failed").with_source(e))
}
