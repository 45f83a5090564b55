//! The asynchronous InfluxDB 1.x client.
//!
//! [`Client`] writes points and line protocol, runs queries and decodes their
//! rows straight into Rust types, streams large results chunk by chunk, and
//! carries every connection option of influxdb-python and aioinflux (see
//! [`ClientBuilder`]). No type of its HTTP library appears in its API.

pub(crate) mod auth;
mod builder;
mod dsn;
pub(crate) mod http;
mod nodes;
mod ping;
mod query;
mod raw;
mod results;
mod retry;
pub(crate) mod stream;
#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
mod tls;
mod udp;
mod verify;
mod write;

pub use builder::ClientBuilder;
pub use nodes::{Balance, NodeStats};
pub use ping::Pong;
pub use query::{Query, QueryMethod};
pub use raw::{RawResponse, Request};
pub use results::QueryResults;
pub use retry::RetryPolicy;
pub use stream::{ChunkStream, RowStream};
pub use udp::UdpWriter;
pub use verify::{ConflictKind, SchemaConflict};
pub use write::{Consistency, WriteOptions};

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use serde::de::DeserializeOwned;
use tracing::{debug, trace};

use self::auth::Auth;
use self::http::{check_status, transport, Scrub};
pub(crate) use self::nodes::{Nodes, Probe};
use crate::decode::stream::{empty_answer, ByteStream, ChunkReader};
use crate::decode::{
    check_outcome, check_response, decode_body_rows, DecodeContext, DecodeRow, FnSink, QueryResponse, RowSink, Rows,
    SerdeRow, SeriesInfo, Typed,
};
use crate::line_protocol::{encode_one, EncodeOptions, WritePoint};
use crate::precision::StampClock;
use crate::{Error, ErrorKind, Precision, Result};

/// A handle to one InfluxDB 1.x server.
///
/// Cheap to clone: clones share one connection pool. The database, retention
/// policy and user belong to each handle, so [`Client::switch_database`] and
/// [`Client::switch_user`] change only the handle they are called on.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn run() -> influx::Result<()> {
/// use influx::{Client, Query};
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

/// The transport every API generation's client shares: one connection pool,
/// the node set (one node per URL, see [`nodes`]), the gzip choice (and, for
/// 1.x, the UDP socket). Requests are built for `base` (the first node's URL,
/// or the pinned node's) and sent with [`Shared::send`], which points them at
/// the node it picks.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) nodes: Arc<Nodes>,
    /// Every request goes to this node (a replicated writer's per-node lane).
    pub(crate) pin: Option<usize>,
    pub(crate) gzip: bool,
    pub(crate) udp: Option<Arc<UdpWriter>>,
    /// Values of the custom headers: kept out of error messages like credentials.
    pub(crate) header_values: Vec<String>,
    /// Whole-request limit; for chunked answers, until the answer starts.
    pub(crate) timeout: Option<Duration>,
    /// The longest wait for the next chunk of a chunked answer.
    pub(crate) chunk_timeout: Option<Duration>,
    /// Retries of plain writes and queries (not of the batching writer's).
    pub(crate) retry: RetryPolicy,
    /// Stamps untimed points of `write` and of writers (`None`: the server stamps them).
    pub(crate) stamps: Option<Arc<StampClock>>,
    /// The clock writers use when they stamp, even if `write` does not.
    pub(crate) clock: Arc<StampClock>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.shared.base)
            .field("nodes", &self.shared.nodes)
            .field("database", &self.database)
            .field("retention_policy", &self.retention_policy)
            .field("auth", &self.auth)
            .field("gzip", &self.shared.gzip)
            .field("udp_writes_to", &self.shared.udp.as_ref().map(|u| u.target()))
            .field("timeout", &self.shared.timeout)
            .field("chunk_timeout", &self.shared.chunk_timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of the server at `url` (`http://host:8086`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::Client::builder("http://localhost:8086").database("metrics").build().unwrap();
    /// assert_eq!(client.database(), Some("metrics"));
    /// ```
    pub fn builder(url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new().url(url)
    }

    /// A client of the server at `url` writing to and querying `database`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::Client::new("http://localhost:8086", "metrics").unwrap();
    /// # let _ = client;
    /// ```
    pub fn new(url: impl Into<String>, database: impl Into<String>) -> Result<Self> {
        Self::builder(url).database(database).build()
    }

    /// A client from a DSN, as influxdb-python reads them:
    /// `influxdb://[user[:password]@]host[:port][/database]`, with
    /// `https+influxdb://` for HTTPS and `udp+influxdb://` for writes over UDP.
    ///
    /// The port is the HTTP port (8086 unless given) in every scheme; with
    /// `udp+influxdb://` writes go over UDP to port 4444 of the same host unless
    /// [`ClientBuilder::udp_port`] says otherwise. `/ \ ? # @` in the user name
    /// or password must be percent-encoded; a DSN where one is left raw is refused.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let c = influx::Client::from_dsn("influxdb://admin:p%40ss@localhost:8086/metrics").unwrap();
    /// assert_eq!((c.database(), c.username()), (Some("metrics"), Some("admin")));
    /// assert!(influx::Client::from_dsn("mysql://x").is_err());
    /// let e = influx::Client::from_dsn("influxdb://admin:pa/ss@localhost/metrics").unwrap_err();
    /// assert!(e.to_string().contains("percent-encode"));
    /// let udp: influx::ClientBuilder = "udp+influxdb://localhost:8086/metrics".parse().unwrap();
    /// let c = udp.udp_port(8089).build().unwrap();
    /// # let _ = c;
    /// ```
    pub fn from_dsn(dsn: &str) -> Result<Self> {
        dsn.parse::<ClientBuilder>()?.build()
    }

    /// The default database.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Client::builder("http://h").build().unwrap().database(), None);
    /// ```
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The default retention policy.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Client::builder("http://h").build().unwrap().retention_policy(), None);
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
    /// # extern crate influx_core as influx;
    /// let c = influx::Client::builder("http://h").credentials("bob", "pw").build().unwrap();
    /// assert_eq!(c.username(), Some("bob"));
    /// ```
    pub fn username(&self) -> Option<&str> {
        self.auth.username()
    }

    /// Makes `database` the default of this handle (influxdb-python's `switch_database`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut c = influx::Client::new("http://h", "a").unwrap();
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
    /// # extern crate influx_core as influx;
    /// let mut c = influx::Client::new("http://h", "a").unwrap();
    /// c.switch_retention_policy("week");
    /// assert_eq!(c.retention_policy(), Some("week"));
    /// ```
    pub fn switch_retention_policy(&mut self, rp: impl Into<String>) {
        self.retention_policy = Some(Arc::from(rp.into()));
    }

    /// Authenticates this handle as another user (influxdb-python's `switch_user`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut c = influx::Client::new("http://h", "a").unwrap();
    /// c.switch_user("reader", "pw");
    /// assert_eq!(c.username(), Some("reader"));
    /// ```
    pub fn switch_user(&mut self, username: impl Into<String>, password: impl Into<String>) {
        self.auth = Auth::basic(username.into(), password.into());
    }

    /// A new handle on the same pool with `database` as its default.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let c = influx::Client::new("http://h", "a").unwrap();
    /// assert_eq!(c.with_database("b").database(), Some("b"));
    /// ```
    pub fn with_database(&self, database: impl Into<String>) -> Client {
        let mut c = self.clone();
        c.switch_database(database);
        c
    }

    /// Health and counters of each server this client sends to, in the order
    /// of [`ClientBuilder::urls`] (one entry for a client of one URL).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::ClientBuilder::new().urls(["http://db1:8086", "http://db2:8086"]).build().unwrap();
    /// for node in client.nodes() {
    ///     println!("{} up={} requests={} failures={}", node.url, node.up, node.requests, node.failures);
    /// }
    /// ```
    pub fn nodes(&self) -> Vec<NodeStats> {
        self.shared.nodes.stats()
    }

    /// A handle whose every request goes to node `i` (no balancing, no failover).
    pub(crate) fn pinned(&self, i: usize) -> Client {
        Client { shared: Arc::new(self.shared.pinned(i)), ..self.clone() }
    }

    /// The clock client-side timestamps come from (shared by clones and writers).
    pub(crate) fn stamp_clock(&self) -> &Arc<StampClock> {
        &self.shared.clock
    }

    /// Encodes points with a write's options (precision, extra tags,
    /// measurement), stamping those without a timestamp when the client
    /// stamps. Returns the body, its precision, and whether every line has a
    /// timestamp (then sending the body twice stores nothing twice).
    pub(crate) fn encode_points<I>(&self, points: I, options: &WriteOptions) -> Result<(Vec<u8>, Precision, bool)>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let opts = options.encode_options(&self.encode)?;
        let (body, all_timed) = self.shared.encode_points(points, &opts)?;
        Ok((body, opts.precision, all_timed))
    }

    /// The whole-request timeout on a request whose answer is read whole.
    fn bounded(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        self.shared.bounded(req)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.shared.base)
    }

    /// What no error of this handle may show: its credentials and header values.
    fn scrub(&self) -> Scrub<'_> {
        self.shared.scrub(&self.auth)
    }

    fn authorize(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        self.auth.apply(req)
    }

    /// Pings the server: its version and build, and the answer's headers
    /// (see [`Pong`]; `Display` shows the version).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let pong = client.ping().await?;
    /// println!("InfluxDB {pong}, build {:?}", pong.build());
    /// # Ok(()) }
    /// ```
    pub async fn ping(&self) -> Result<Pong> {
        let req = self.bounded(self.shared.http.get(self.url("/ping")));
        let resp = self.shared.send(self.authorize(req), true).await?;
        let pong = Pong::from_headers(resp.headers());
        check_status(resp, &self.scrub()).await?;
        Ok(pong)
    }

    /// Writes points to the client's database at its precision.
    ///
    /// Points without a timestamp are stamped here, with the client's clock
    /// (see [`ClientBuilder::client_timestamps`]), exactly as the batching
    /// writer stamps them: 1,000 untimed points of one series are 1,000 points.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f<P: influx::WritePoint>(client: influx::Client, points: Vec<P>) -> influx::Result<()> {
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

    /// Writes points with per-call options (database, retention policy,
    /// precision, gzip, extra tags, measurement).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f<P: influx::WritePoint>(client: influx::Client, points: Vec<P>) -> influx::Result<()> {
    /// use influx::{Precision, WriteOptions};
    /// client.write_with(&points, &WriteOptions::new().database("other").precision(Precision::Seconds)).await?;
    /// // influxdb-python's write_points(points, tags={"dc": "fra"}):
    /// client.write_with(&points, &WriteOptions::new().tag("dc", "fra")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write_with<I>(&self, points: I, options: &WriteOptions) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let (body, precision, timed) = self.encode_points(points, options)?;
        if body.is_empty() {
            return Ok(());
        }
        self.write_body(body, &options.for_encoded_body(precision), Some(timed)).await
    }

    /// Writes a body of line protocol as it is (lines joined by `\n`).
    ///
    /// Nothing is added: a line without a timestamp is stamped by the server
    /// when the request arrives, so untimed lines of one series in one body
    /// overwrite each other. Use [`Client::write`] or a writer for client stamps.
    ///
    /// The body is not copied (a `Vec<u8>`, `String`, `Arc<[u8]>`, `Bytes`,
    /// `&'static [u8]`, ...), so a retrying caller can keep a cheap clone.
    /// It is sent twice (again by a [`RetryPolicy`], or on to another node of
    /// [`ClientBuilder::urls`] after a failure other than a refused
    /// connection) only if every line has a timestamp. Errors are typed: [`ErrorKind::PartialWrite`] (some points stored; the
    /// server's message via [`Error::server_message`]), `Unauthorized`,
    /// `Forbidden`, `DatabaseNotFound`, `PayloadTooLarge`, `Throttled`,
    /// `Server`, `BadRequest`, `Timeout`, `Connect`, `Transport`.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// use influx::{Precision, WriteOptions};
    /// client.write_lp("cpu,host=a usage=0.5 1700000000", &WriteOptions::new().precision(Precision::Seconds)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write_lp<B>(&self, body: B, options: &WriteOptions) -> Result<()>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        self.write_body(body, options, None).await
    }

    /// [`Client::write_lp`] of a body known to have a timestamp on every line
    /// (`Some(true)`), known not to (`Some(false)`), or not known (`None`: the
    /// body is looked at when it matters). Only a body whose every line has a
    /// timestamp is sent twice: retried by the client's [`RetryPolicy`], or
    /// sent on to another node after a failure other than a refused connection.
    pub(crate) async fn write_body<B>(&self, body: B, options: &WriteOptions, timed: Option<bool>) -> Result<()>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        let fails_over = self.shared.fails_over();
        if self.shared.retry.max_attempts() <= 1 && !fails_over {
            return self.send_lp(body, options, false).await;
        }
        let body = Bytes::from_owner(body);
        // Failover decides at the first failure, without waiting: look now.
        let timed = timed.or_else(|| fails_over.then(|| retry::all_lines_timed(&body)));
        let idempotent = || timed.unwrap_or_else(|| retry::all_lines_timed(&body));
        let failover = timed.unwrap_or(false);
        self.shared.retry.run("write", idempotent, || self.send_lp(body.clone(), options, failover)).await
    }

    /// [`Client::write_lp`] once, without the client's retries (the batching
    /// writer has its own); `idempotent`: every line has a timestamp, so the
    /// body may be sent on to another node after any failure.
    pub(crate) async fn send_lp<B>(&self, body: B, options: &WriteOptions, idempotent: bool) -> Result<()>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        if options.bucket.is_some() || options.org.is_some() {
            return Err(Error::new(
                ErrorKind::Builder,
                "bucket and org are InfluxDB 2.x write options: use influx::v2::Client, or database for 1.x",
            ));
        }
        options.check_raw_body()?;
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
        // `param("consistency", ..)` works too, but not beside `consistency(..)`.
        let reserved: &[&str] = match options.consistency {
            Some(c) => {
                params.push(("consistency", c.as_str()));
                &["db", "precision", "rp", "consistency"]
            }
            None => &["db", "precision", "rp"],
        };
        options.push_extra_params(&mut params, reserved)?;
        let gzip = options.gzip.unwrap_or(self.shared.gzip);
        let url = self.url("/write");
        self.shared.post_lp(url, &params, &self.auth, body, gzip, db, http::status_error, idempotent).await
    }

    pub(crate) async fn send_query(&self, q: &Query, typed: bool) -> Result<(reqwest::Response, DecodeContext)> {
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
        for (k, v) in q.extra_params() {
            raw::check_param(k)?;
            if ["q", "db", "rp", "epoch", "chunked", "chunk_size", "params"].contains(&k) {
                return Err(Error::new(
                    ErrorKind::Argument,
                    format!("parameter `{k}` is set by the client: use the Query method for it"),
                ));
            }
            if k == "pretty" {
                // Measured on 1.6: a pretty chunk spans many lines, and chunks are read line by line.
                return Err(Error::new(ErrorKind::Argument, "parameter `pretty` would break the answer into lines"));
            }
            params.push((k, v.to_owned()));
        }
        let method = q.method();
        // Reads may run on any node and run again; a statement that changes
        // the server runs once (by its statements, whatever method is forced).
        let idempotent = q.is_read_only();
        debug!(?method, chunked = q.is_chunked(), db = q.database_param().or(self.database.as_deref()), "query");
        trace!(text = %q.redacted_text(), "query text");
        let passwords = q.passwords();
        let scrub = self.scrub().secrets(passwords.iter().map(String::as_str));
        let (params, scrub) = (&params, &scrub);
        let attempt = move || async move {
            let url = self.url("/query");
            let req = match method {
                QueryMethod::Get => self.shared.http.get(url).query(params),
                QueryMethod::Post => self.shared.http.post(url).form(params),
            };
            // A non-chunked answer is read whole under the request timeout. A
            // chunked one may stream for as long as chunks keep coming: the
            // timeout bounds the wait for it to start, `chunk_timeout` each gap.
            let req = if q.is_chunked() { req } else { self.bounded(req) };
            // `send` bounds each node's wait for the answer to start by the timeout.
            let resp = self.shared.send(self.authorize(req), idempotent).await?;
            match self.shared.timeout.filter(|_| q.is_chunked()) {
                Some(t) => tokio::time::timeout(t, check_status(resp, scrub)).await.map_err(|_| {
                    Error::new(ErrorKind::Timeout, format!("the server did not send its error within {t:?} (timeout)"))
                })?,
                None => check_status(resp, scrub).await,
            }
        };
        // A retry goes through `send` again: to the next healthy node.
        let resp = self.shared.retry.run("query", || idempotent, attempt).await?;
        Ok((resp, DecodeContext::new(epoch)))
    }

    /// The chunks of a chunked answer, each wait bounded by `chunk_timeout`.
    pub(crate) fn chunks(&self, resp: reqwest::Response) -> ChunkReader {
        let body: ByteStream = Box::pin(resp.bytes_stream().map(|r| r.map_err(transport)));
        ChunkReader::new(body, self.shared.chunk_timeout)
    }

    /// Runs `q` and returns the server's answer as JSON structures ("raw" mode).
    ///
    /// Like influxdb-python's `query`, a statement that failed (or a
    /// request-level error inside the 200) is returned as an error,
    /// [`ErrorKind::Query`] with the server's message. To get the answer with
    /// per-statement errors left inside it, ask with
    /// [`Query::keep_statement_errors`] and read [`QueryResponse::first_error`]
    /// or each [`StatementResult::error`](crate::decode::StatementResult::error).
    /// An answer that is empty or cut short is [`ErrorKind::Truncated`].
    /// Chunked answers (the default) are merged into one response.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// use influx::Query;
    /// let resp = client.query("SHOW MEASUREMENTS").await?;
    /// for p in resp.iter_points() {
    ///     println!("{}", p.values[0]);
    /// }
    /// let both = client.query(Query::new("SHOW MEASUREMENTS; SELECT * FROM nope..m").keep_statement_errors()).await?;
    /// assert_eq!(both.results[1].error.as_deref(), Some("database not found: nope"));
    /// # Ok(()) }
    /// ```
    pub async fn query(&self, q: impl Into<Query>) -> Result<QueryResponse> {
        let q = q.into();
        let (resp, _) = self.send_query(&q, false).await?;
        let merged = if q.is_chunked() {
            let mut reader = self.chunks(resp);
            let mut merged = QueryResponse::default();
            while let Some(chunk) = reader.next_chunk().await? {
                results::merge_chunk(&mut merged, parse_raw(&chunk)?);
            }
            merged
        } else {
            let r: QueryResponse = parse_raw(&whole_body(resp).await?)?;
            if let Some(s) = r.results.iter().find(|s| s.partial || s.series.iter().any(|x| x.partial)) {
                return Err(crate::decode::truncated(s.statement_id));
            }
            r
        };
        if !q.keeps_statement_errors() {
            check_response(&merged)?;
        }
        Ok(merged)
    }

    /// Runs `q` and decodes the rows of every series of every statement into `T`.
    ///
    /// `T` is a `#[derive(InfluxPoint)]` struct, a tuple (one element per
    /// column), or [`SerdeRow`]. Times are asked in nanoseconds unless
    /// [`Query::epoch`] says otherwise. A failed statement is
    /// [`ErrorKind::Query`]; a row that does not fit `T` is
    /// [`ErrorKind::Decode`] naming the statement, series, row and column; an
    /// answer that is empty or cut short is [`ErrorKind::Truncated`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
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
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
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
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
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

    /// The typed query path. Only this small loop is compiled per row type: sending, reading
    /// and walking the answer are not generic ([`TypedAnswer`], `decode_body_rows`).
    async fn query_into<T: DecodeRow, S: RowSink<T>>(&self, q: Query, sink: &mut S) -> Result<()> {
        let mut rows = Typed::<T, S>::new(sink);
        let mut answer = self.typed_answer(q).await?;
        while let Some(chunk) = answer.next().await? {
            answer.decode(&chunk, &mut rows)?;
        }
        Ok(())
    }

    /// Sends a typed query and returns its answer, read whole unless the query is chunked.
    async fn typed_answer(&self, q: Query) -> Result<TypedAnswer> {
        let (resp, ctx) = self.send_query(&q, true).await?;
        let chunked = q.is_chunked();
        let (whole, chunks) =
            if chunked { (None, Some(self.chunks(resp))) } else { (Some(whole_body(resp).await?), None) };
        Ok(TypedAnswer { whole, chunks, ctx, chunked })
    }

    /// Runs a query of several statements and keeps the answer, so that each
    /// statement's rows decode into their own type, and each statement's error
    /// can be read with [`QueryResults::error`]. An answer that is empty or cut
    /// short is [`ErrorKind::Truncated`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
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
            let mut reader = self.chunks(resp);
            let mut chunks = Vec::new();
            while let Some(c) = reader.next_chunk().await? {
                chunks.push(c);
            }
            chunks
        } else {
            vec![whole_body(resp).await?]
        };
        QueryResults::new(chunks, ctx, chunked)
    }

    /// Streams the rows of `q` as they arrive (`chunked=true`), decoding one
    /// chunk at a time: memory stays bounded by the chunk size whatever the
    /// result size. The stream ends with an error, never early: a failed
    /// statement is [`ErrorKind::Query`], an answer cut short
    /// [`ErrorKind::Truncated`], a server silent for longer than the client's
    /// `chunk_timeout` [`ErrorKind::Timeout`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut rows = client.query_stream::<(i64, f64)>(influx::Query::new("SELECT usage FROM cpu").chunk_size(5000)).await?;
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
        Ok(RowStream::new(self.chunks(resp), ctx))
    }

    /// Streams the chunks of `q` as raw JSON structures (aioinflux's `iterchunks`).
    ///
    /// A chunk holding a statement error is an [`ErrorKind::Query`] error,
    /// unless the query says [`Query::keep_statement_errors`]; the stream ends
    /// like [`Client::query_stream`]'s.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut chunks = client.query_chunks(influx::Query::new("SELECT * FROM cpu").chunk_size(1000)).await?;
    /// while let Some(chunk) = chunks.try_next().await? {
    ///     println!("{} points", chunk.iter_points().count());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_chunks(&self, q: impl Into<Query>) -> Result<ChunkStream> {
        let q = q.into().chunked(true);
        let (resp, _) = self.send_query(&q, false).await?;
        Ok(ChunkStream::new(self.chunks(resp), q.keeps_statement_errors()))
    }

    /// Tag keys and values per measurement (aioinflux's `get_tag_info`), from
    /// `SHOW TAG VALUES WITH KEY =~ /.*/`, optionally for one measurement.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
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

/// The answer to a typed query: the whole body, or its chunks as they arrive.
struct TypedAnswer {
    whole: Option<Bytes>,
    chunks: Option<ChunkReader>,
    ctx: DecodeContext,
    chunked: bool,
}

impl TypedAnswer {
    async fn next(&mut self) -> Result<Option<Bytes>> {
        match &mut self.chunks {
            Some(reader) => reader.next_chunk().await,
            None => Ok(self.whole.take()),
        }
    }

    /// Decodes one body or chunk into `rows`, failing on a statement's error.
    fn decode(&self, chunk: &[u8], rows: &mut dyn Rows) -> Result<()> {
        let out = decode_body_rows(chunk, &self.ctx, None, rows)?;
        check_outcome(&out, self.chunked)
    }
}

/// A non-chunked answer, read whole; an empty or blank one is an error.
pub(crate) async fn whole_body(resp: reqwest::Response) -> Result<Bytes> {
    let bytes = resp.bytes().await.map_err(transport)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(empty_answer());
    }
    Ok(bytes)
}

fn parse_raw(bytes: &[u8]) -> Result<QueryResponse> {
    QueryResponse::from_json(bytes)
}

impl Shared {
    /// This transport with every request sent to node `i`, sharing the pool,
    /// the clock and the node's health state.
    pub(crate) fn pinned(&self, i: usize) -> Shared {
        Shared { base: self.nodes.list[i].base.clone(), pin: Some(i), ..self.clone() }
    }

    /// What no error of a request with `auth` may show.
    /// Applies the whole-request timeout to a request whose answer is read at once.
    pub(crate) fn bounded(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.timeout {
            Some(t) => req.timeout(t),
            None => req,
        }
    }

    /// Encodes points with `opts`, stamping those without a timestamp when the
    /// client stamps (every generation's `write` does this the same way).
    /// Also says whether every line has a timestamp (then sending the body
    /// twice, or to two nodes, stores nothing twice).
    pub(crate) fn encode_points<I>(&self, points: I, opts: &EncodeOptions) -> Result<(Vec<u8>, bool)>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let mut body = Vec::new();
        let mut all_timed = true;
        for (i, p) in points.into_iter().enumerate() {
            if i > 0 {
                body.push(b'\n');
            }
            let timed = encode_one(&p, &mut body, opts).map_err(|e| e.context(format_args!("point {i}")))?;
            match (timed, &self.stamps) {
                (false, Some(clock)) => clock.push_stamp(&mut body, opts.precision),
                (false, None) => all_timed = false,
                (true, _) => {}
            }
        }
        Ok((body, all_timed))
    }

    pub(crate) fn scrub<'a>(&'a self, auth: &'a Auth) -> Scrub<'a> {
        Scrub::default().secrets(auth.secrets()).secrets(self.header_values.iter().map(String::as_str))
    }

    /// Posts a line-protocol body (gzip-compressed if asked) to an API's write
    /// endpoint: the same for every generation but the error parser.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn post_lp<B>(
        &self,
        url: String,
        params: &[(&str, &str)],
        auth: &Auth,
        body: B,
        gzip: bool,
        destination: &str,
        parse: http::ErrorParser,
        idempotent: bool,
    ) -> Result<()>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        let body = Bytes::from_owner(body);
        let raw_len = body.len();
        let mut req = self
            .bounded(self.http.post(url))
            .query(params)
            .header(reqwest::header::CONTENT_TYPE, "text/plain; charset=utf-8");
        req = if gzip {
            let compressed = gzip_bytes(&body)?;
            req.header(reqwest::header::CONTENT_ENCODING, "gzip").body(compressed)
        } else {
            // `Bytes` is reference-counted: the request shares the caller's buffer,
            // which stays here to be scrubbed from an error answer.
            req.body(body.clone())
        };
        let started = Instant::now();
        debug!(destination, bytes = raw_len, gzip, "write");
        let resp = self.send(auth.apply(req), idempotent).await?;
        let status = resp.status().as_u16();
        let res = http::check_write_scrubbed(resp, parse, &self.scrub(auth).payload(&body)).await;
        debug!(status, elapsed_ms = started.elapsed().as_millis() as u64, ok = res.is_ok(), "write answered");
        res
    }
}

#[cfg(feature = "gzip")]
fn gzip_bytes(body: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4 + 64), flate2::Compression::fast());
    enc.write_all(body)
        .and_then(|()| enc.finish())
        .map_err(|e| Error::new(ErrorKind::Encode, "gzip compression failed").with_source(e))
}

#[cfg(not(feature = "gzip"))]
fn gzip_bytes(_: &[u8]) -> Result<Vec<u8>> {
    Err(gzip_missing())
}

/// gzip asked for (on the builder or per write) in a build without the `gzip` feature.
pub(crate) fn gzip_missing() -> Error {
    Error::new(ErrorKind::Builder, "gzip needs the `gzip` cargo feature of `influx`, which this build leaves out")
}

/// Whether this build speaks TLS (the `rustls-ring` or `rustls-aws-lc` feature).
pub(crate) const TLS: bool = cfg!(any(feature = "rustls-ring", feature = "rustls-aws-lc"));
