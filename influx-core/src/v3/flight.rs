//! SQL and InfluxQL over Arrow Flight (cargo feature `flight`): InfluxDB 3's
//! fastest query path, answered as a stream of Arrow [`RecordBatch`]es.
//!
//! [`Client::flight`] gives a [`FlightClient`] on the same server, built from
//! the same [`ClientBuilder`](crate::ClientBuilder) options: base URL (gRPC
//! runs on the same host and port as HTTP: 8181 for Core and Enterprise, 443
//! for the Cloud editions' `https://` URLs), token (sent as
//! `authorization: Bearer <token>` metadata), custom headers (sent as
//! metadata), CA certificates and client identity, and the three timeouts.
//!
//! A query is one `DoGet` call whose ticket is InfluxDB's JSON ticket, the
//! format the official 3.x clients send:
//! `{"database": "...", "sql_query": "...", "query_type": "sql" | "influxql", "params": {...}}`
//! (`params` only when something is bound; `sql_query` carries InfluxQL too).
//! Every edition serves it.
//!
//! ```no_run
//! # extern crate influx_core as influx;
//! # async fn run() -> influx::Result<()> {
//! use futures::TryStreamExt;
//! use influx::v3::{Client, Query};
//!
//! let client = Client::builder("http://localhost:8181").database("sensors").token("apiv3_...").build()?;
//! let flight = client.flight()?;
//! let mut batches = flight.query(Query::sql("SELECT * FROM home WHERE room = $room").bind("room", "Kitchen")).await?;
//! while let Some(batch) = batches.try_next().await? {
//!     println!("{} rows, columns {:?}", batch.num_rows(), batch.schema().fields());
//! }
//! # Ok(()) }
//! ```
//!
//! Timeouts: the client's `timeout` bounds the wait until the answer starts
//! (and the whole of [`FlightClient::query_batches`]), `chunk_timeout` each
//! wait for the next message of a stream (InfluxDB sends an empty batch every
//! 5 s while a query computes, so a live query never goes quiet that long),
//! `connect_timeout` the connection and TLS handshake.
//!
//! Not supported over Flight (a [`ErrorKind::Builder`] error from
//! [`Client::flight`], never a silent fallback): a proxy, a unix socket, a
//! URL path prefix, and `danger_accept_invalid_certs`.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

pub use arrow_array;
pub use arrow_array::RecordBatch;
pub use arrow_schema;

use arrow_flight::decode::FlightRecordBatchStream;
use arrow_flight::error::FlightError;
use arrow_flight::flight_service_client::FlightServiceClient;
use arrow_flight::{FlightData, Ticket};
use futures::{Stream, StreamExt};
use serde::Serialize;
use serde_json::value::RawValue;
use tokio::time::Instant;
use tonic::metadata::{AsciiMetadataKey, AsciiMetadataValue, MetadataMap};
#[cfg(feature = "__rustls")]
use tonic::transport::{Certificate, ClientTlsConfig, Identity};
use tonic::transport::{Channel, Endpoint};
use tracing::{debug, trace};

use super::query::{Language, Query};
use super::Client;
#[cfg(feature = "__rustls")]
use crate::client::http::{tls_failure, tls_message};
use crate::{Error, ErrorKind, Result};

/// The largest Flight message accepted: InfluxDB sends batches of at most a
/// few MiB; gRPC's usual 4 MiB limit would refuse a wide batch.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// The connection options of a [`ClientBuilder`](crate::ClientBuilder) that
/// Flight needs besides what the HTTP transport keeps.
// The TLS options are read only by builds with a TLS feature.
#[cfg_attr(not(feature = "__rustls"), allow(dead_code))]
pub(crate) struct FlightOptions {
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) ca_pem: Vec<Vec<u8>>,
    pub(crate) ca_only: bool,
    /// Certificate chain and private key: never shown.
    pub(crate) identity_pem: Option<Vec<u8>>,
    pub(crate) accept_invalid_certs: bool,
    pub(crate) proxy: bool,
    pub(crate) unix_socket: bool,
}

/// Arrow Flight queries on an InfluxDB 3 server, from [`Client::flight`].
///
/// Cheap to clone; clones share one HTTP/2 connection, opened by the first
/// query and reopened when lost. The connection belongs to the async runtime
/// of that first query: use one handle per runtime.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn main() -> influx::Result<()> {
/// let client = influx::v3::Client::new("https://cluster.example.com", "sensors", "s3cret-token")?;
/// let flight = client.flight()?;
/// assert!(!format!("{flight:?}").contains("s3cret"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct FlightClient {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    endpoint: Endpoint,
    /// `authorization` and the custom headers, values marked sensitive.
    metadata: MetadataMap,
    channel: OnceLock<Channel>,
}

impl fmt::Debug for FlightClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlightClient")
            .field("url", &self.inner.client.shared.base)
            .field("database", &self.inner.client.database())
            .field("auth", &self.inner.client.auth)
            .field("metadata", &self.inner.metadata.keys().map(|k| format!("{k:?}")).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// An Arrow Flight handle on this server (cargo feature `flight`), with
    /// this client's URL, token, headers, TLS options, timeouts and database.
    ///
    /// Nothing is sent yet. Fails with [`ErrorKind::Builder`] for options
    /// Flight cannot honour: a proxy, a unix socket, a path prefix in the
    /// URL, or `danger_accept_invalid_certs`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::v3::Client::new("http://localhost:8181", "sensors", "t").unwrap();
    /// let flight = client.flight().unwrap();
    /// # let _ = flight;
    /// let behind_prefix = influx::v3::Client::new("http://h:8181/influx", "sensors", "t").unwrap();
    /// assert_eq!(behind_prefix.flight().unwrap_err().kind(), influx::ErrorKind::Builder);
    /// ```
    pub fn flight(&self) -> Result<FlightClient> {
        let o = &*self.flight;
        let refuse = |what: &str| Err(Error::new(ErrorKind::Builder, format!("Arrow Flight cannot go through {what}")));
        if o.proxy {
            return refuse("a proxy (gRPC is sent directly to the server)");
        }
        if o.unix_socket {
            return refuse("a unix socket");
        }
        if o.accept_invalid_certs {
            return refuse("`danger_accept_invalid_certs` (add the server's CA with `ca_certificate_pem`)");
        }
        let base = &self.shared.base;
        let url = url::Url::parse(base).map_err(|e| Error::new(ErrorKind::Builder, format!("invalid URL: {e}")))?;
        if !matches!(url.path(), "" | "/") {
            return refuse("a URL path prefix (gRPC paths are fixed: use the server's own host and port)");
        }
        let mut endpoint = Endpoint::from_shared(base.clone())
            .map_err(|e| Error::new(ErrorKind::Builder, "invalid URL for Arrow Flight").with_source(e))?
            .tcp_nodelay(true);
        if let Some(t) = o.connect_timeout {
            endpoint = endpoint.connect_timeout(t);
        }
        // Without a TLS feature the client refused an https:// URL when it was built.
        #[cfg(feature = "__rustls")]
        if url.scheme() == "https" {
            ensure_crypto_provider();
            let with_roots = endpoint.clone().tls_config(tls_config(o, !o.ca_only));
            endpoint = match with_roots {
                Ok(e) => e,
                // No CA store on this machine: the CAs given are all there is to trust.
                Err(_) if !o.ca_pem.is_empty() => endpoint.tls_config(tls_config(o, false)).map_err(tls_error)?,
                Err(e) => return Err(tls_error(e)),
            };
        }
        let mut metadata = MetadataMap::new();
        if let Some(h) = self.auth.header() {
            let mut v = AsciiMetadataValue::try_from(h.as_bytes())
                .map_err(|_| Error::new(ErrorKind::Builder, "the token cannot be sent as gRPC metadata"))?;
            v.set_sensitive(true);
            metadata.insert("authorization", v);
        }
        for (k, v) in &o.headers {
            let key = AsciiMetadataKey::from_bytes(k.to_ascii_lowercase().as_bytes())
                .map_err(|_| Error::new(ErrorKind::Builder, format!("header `{k}` cannot be sent as gRPC metadata")))?;
            let mut value = AsciiMetadataValue::try_from(v.as_str())
                .map_err(|_| Error::new(ErrorKind::Builder, format!("invalid value for header `{k}`")))?;
            value.set_sensitive(true);
            metadata.append(key, value);
        }
        Ok(FlightClient {
            inner: Arc::new(Inner { client: self.clone(), endpoint, metadata, channel: OnceLock::new() }),
        })
    }
}

/// tonic builds its rustls configurations from the process-wide crypto provider. When only one
/// provider is compiled in, rustls picks it itself; when both are (`rustls-aws-lc` next to the
/// `ring` that tonic's TLS brings), it cannot, so install the one the features chose, the same
/// the HTTP client uses, unless the application installed its own.
#[cfg(feature = "__rustls")]
pub(crate) fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        #[cfg(feature = "rustls-aws-lc")]
        let p = rustls::crypto::aws_lc_rs::default_provider();
        #[cfg(not(feature = "rustls-aws-lc"))]
        let p = rustls::crypto::ring::default_provider();
        // Another thread may have installed one meanwhile: theirs stands.
        let _ = p.install_default();
    }
}

/// The same roots as the HTTP client (`client/tls.rs`): the features' root stores unless
/// `ca_certificates_only`, plus every `ca_certificate_pem`.
#[cfg(feature = "__rustls")]
fn tls_config(o: &FlightOptions, system_roots: bool) -> ClientTlsConfig {
    let mut tls = ClientTlsConfig::new();
    if system_roots {
        #[cfg(feature = "native-roots")]
        {
            tls = tls.with_native_roots();
        }
        #[cfg(feature = "webpki-roots")]
        {
            tls = tls.with_webpki_roots();
        }
    }
    for pem in &o.ca_pem {
        tls = tls.ca_certificate(Certificate::from_pem(pem));
    }
    if let Some(pem) = &o.identity_pem {
        // One PEM holds the chain and the key: each side reads its own sections.
        tls = tls.identity(Identity::from_pem(pem, pem));
    }
    tls
}

#[cfg(feature = "__rustls")]
fn tls_error(e: tonic::transport::Error) -> Error {
    Error::new(
        ErrorKind::Builder,
        "invalid TLS options for Arrow Flight (or no CA certificates on this system: add the server's CA with `ca_certificate_pem`)",
    )
    .with_source(e)
}

/// InfluxDB's JSON ticket (`service_grpc_flight` `IoxGetRequest`).
#[derive(Serialize)]
struct TicketJson<'a> {
    database: &'a str,
    sql_query: &'a str,
    query_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<Box<RawValue>>,
}

/// Where a failure happened: before the answer started, or while it streamed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Call,
    Stream,
}

impl FlightClient {
    /// The ticket of `q` as sent: InfluxDB's JSON ticket.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::v3::Query;
    /// let flight = influx::v3::Client::new("http://localhost:8181", "sensors", "t").unwrap().flight().unwrap();
    /// let ticket = flight.ticket(&Query::influxql("SELECT temp FROM home WHERE room = $room").bind("room", "Kitchen")).unwrap();
    /// assert_eq!(
    ///     ticket,
    ///     r#"{"database":"sensors","sql_query":"SELECT temp FROM home WHERE room = $room","query_type":"influxql","params":{"room":"Kitchen"}}"#
    /// );
    /// ```
    pub fn ticket(&self, q: &Query) -> Result<String> {
        let database = self.inner.client.database_or(q.database_param())?;
        let query_type = match q.language() {
            Language::Sql => "sql",
            Language::InfluxQl => "influxql",
        };
        let ticket = TicketJson { database, sql_query: q.text(), query_type, params: q.params_raw()? };
        serde_json::to_string(&ticket)
            .map_err(|e| Error::new(ErrorKind::Encode, "cannot encode the ticket").with_source(e))
    }

    /// Runs `q` (SQL or InfluxQL, with its `$name` parameters) and streams
    /// the answer's record batches as they arrive.
    ///
    /// The wait until the answer starts is bounded by the client's `timeout`,
    /// each wait for the next message by its `chunk_timeout`
    /// ([`ErrorKind::Timeout`]). Batches without rows (InfluxDB's keep-alive
    /// messages) are skipped. The stream ends after its first error. A
    /// [`Query::format`](super::Query::format) is ignored: Flight answers in Arrow.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// use influx::v3::Query;
    /// let flight = client.flight()?;
    /// let mut batches = flight.query(Query::influxql("SELECT temp FROM home WHERE time > now() - 1h")).await?;
    /// while let Some(batch) = batches.try_next().await? {
    ///     # let _ = batch;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query(&self, q: impl Into<Query>) -> Result<BatchStream> {
        let timeout = self.inner.client.shared.timeout;
        self.start(&q.into(), timeout.map(|t| Instant::now() + t)).await
    }

    /// Runs `q` and collects every record batch of the answer; the whole
    /// call is bounded by the client's `timeout` (and each gap between
    /// messages by its `chunk_timeout`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use influx::v3::Query;
    /// let batches = client.flight()?.query_batches(Query::sql("SELECT * FROM home")).await?;
    /// let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    /// # let _ = rows; Ok(()) }
    /// ```
    pub async fn query_batches(&self, q: impl Into<Query>) -> Result<Vec<RecordBatch>> {
        let deadline = self.inner.client.shared.timeout.map(|t| Instant::now() + t);
        let q = q.into();
        let collect = async {
            let mut stream = self.start(&q, deadline).await?;
            let mut out = Vec::new();
            while let Some(batch) = stream.next().await {
                out.push(batch?);
            }
            Ok(out)
        };
        match deadline {
            Some(d) => tokio::time::timeout_at(d, collect).await.unwrap_or_else(|_| {
                Err(Error::new(ErrorKind::Timeout, "the Flight query did not finish within the timeout"))
            }),
            None => collect.await,
        }
    }

    /// Runs `q` and decodes every row of the answer into a `T`
    /// (`#[derive(InfluxPoint)]` structs, tuples, `SerdeRow`), batch by batch,
    /// through the same row-decoding contract as the HTTP answers
    /// ([`crate::arrow::decode_batch`]: members by column name, tags from
    /// string or dictionary columns, zoneless nanosecond times exact, floats
    /// bit for bit). Bounded like [`FlightClient::query_batches`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// // Derived structs work the same way (`#[derive(influx::InfluxPoint)]`).
    /// let rows: Vec<(i64, f64)> = client.flight()?.query_as("SELECT time, temp FROM home").await?;
    /// # let _ = rows; Ok(()) }
    /// ```
    pub async fn query_as<T: crate::DecodeRow>(&self, q: impl Into<Query>) -> Result<Vec<T>> {
        let mut rows = Vec::new();
        for batch in self.query_batches(q).await? {
            rows.extend(crate::arrow::decode_batch::<T>(&batch)?);
        }
        Ok(rows)
    }

    async fn start(&self, q: &Query, deadline: Option<Instant>) -> Result<BatchStream> {
        let ticket = self.ticket(q)?;
        debug!(language = ?q.language(), "flight query");
        trace!(text = q.text(), "flight query text");
        let channel = self.inner.channel.get_or_init(|| self.inner.endpoint.connect_lazy()).clone();
        let mut client = FlightServiceClient::new(channel).max_decoding_message_size(MAX_MESSAGE_BYTES);
        let mut req = tonic::Request::new(Ticket { ticket: ticket.into() });
        *req.metadata_mut() = self.inner.metadata.clone();
        let call = client.do_get(req);
        let answer = match deadline {
            Some(d) => tokio::time::timeout_at(d, call).await.map_err(|_| {
                Error::new(ErrorKind::Timeout, "the Flight query's answer did not start within the timeout")
            })?,
            None => call.await,
        };
        let data = answer.map_err(|s| self.status_error(s, Phase::Call))?.into_inner();
        let gap = self.inner.client.shared.chunk_timeout;
        // One message at a time, each wait bounded by the gap timeout.
        let messages = futures::stream::unfold(Some(data), move |data| async move {
            let mut data = data?;
            let next = match gap {
                Some(g) => match tokio::time::timeout(g, data.message()).await {
                    Ok(r) => r,
                    Err(_) => {
                        let e = Error::new(
                            ErrorKind::Timeout,
                            format!("no Flight message for {} ms (chunk_timeout)", g.as_millis()),
                        );
                        return Some((Err(FlightError::ExternalError(Box::new(e))), None));
                    }
                },
                None => data.message().await,
            };
            match next {
                Ok(Some(m)) => Some((Ok::<FlightData, FlightError>(m), Some(data))),
                Ok(None) => None,
                Err(status) => Some((Err(FlightError::Tonic(Box::new(status))), None)),
            }
        });
        let this = self.clone();
        let batches = FlightRecordBatchStream::new_from_flight_data(messages).filter_map(move |r| {
            let out = match r {
                Ok(b) if b.num_rows() == 0 => None,
                Ok(b) => Some(Ok(b)),
                Err(e) => Some(Err(this.flight_error(e))),
            };
            std::future::ready(out)
        });
        Ok(BatchStream { inner: Box::pin(batches), done: false })
    }

    fn flight_error(&self, e: FlightError) -> Error {
        match e {
            FlightError::Tonic(status) => self.status_error(*status, Phase::Stream),
            FlightError::ExternalError(e) => match e.downcast::<Error>() {
                Ok(ours) => *ours,
                Err(other) => Error::new(ErrorKind::Transport, "reading the Flight answer failed").with_source(other),
            },
            FlightError::Arrow(a) => {
                Error::new(ErrorKind::Decode, "the Flight answer is not valid Arrow IPC").with_source(a)
            }
            other => Error::new(ErrorKind::Decode, format!("the Flight answer is not valid Arrow IPC: {other}")),
        }
    }

    /// A gRPC status as the crate's error: a status tonic made from a
    /// transport failure carries its cause (connect, TLS, reset); one the
    /// server sent is typed by its code, with its message scrubbed and bounded.
    fn status_error(&self, s: tonic::Status, phase: Phase) -> Error {
        use tonic::Code as C;
        let client = &self.inner.client;
        let code = s.code();
        if std::error::Error::source(&s).is_some() {
            #[cfg(feature = "__rustls")]
            if let Some(tls) = tls_failure(&s as &(dyn std::error::Error + 'static)) {
                let msg = tls_message(tls);
                return Error::new(ErrorKind::Tls, msg).with_source(s);
            }
            let timed_out = chain_says_timed_out(&s);
            let (kind, what) = match (phase, timed_out) {
                (_, true) => (ErrorKind::Timeout, "connecting to the Flight server timed out (connect_timeout)"),
                (Phase::Call, false) if matches!(code, C::Unavailable | C::Unknown) => {
                    (ErrorKind::Connect, "cannot connect to the Flight server")
                }
                (Phase::Call, false) => (ErrorKind::Transport, "the Flight call failed"),
                (Phase::Stream, false) => (ErrorKind::Transport, "the Flight answer broke off"),
            };
            return Error::new(kind, what).with_source(s);
        }
        let (kind, what) = match code {
            C::Unauthenticated => (ErrorKind::Unauthorized, "missing or wrong credentials"),
            C::PermissionDenied => (ErrorKind::Forbidden, "the token is not allowed to do this (or is not valid)"),
            C::NotFound => (ErrorKind::DatabaseNotFound, "database not found"),
            C::InvalidArgument | C::FailedPrecondition | C::OutOfRange | C::AlreadyExists => {
                (ErrorKind::BadRequest, "the server refused the query")
            }
            C::DeadlineExceeded => (ErrorKind::Timeout, "the server's deadline passed"),
            C::ResourceExhausted | C::Unavailable => (ErrorKind::Throttled, "the server is busy"),
            C::Unimplemented => (ErrorKind::Status, "the server does not implement this Flight call"),
            C::Cancelled => (ErrorKind::Transport, "the Flight call was cancelled"),
            _ => (ErrorKind::Server, "the query failed on the server"),
        };
        let server = client.shared.scrub(&client.auth).clean(s.message());
        let when = if phase == Phase::Stream { " while streaming" } else { "" };
        let message = if server.is_empty() {
            format!("Flight query: {what}{when} (gRPC {code:?})")
        } else {
            format!("Flight query: {what}{when} (gRPC {code:?}): {server}")
        };
        Error::new(kind, message).with_server_message(server)
    }
}

/// True if an error in `e`'s chain says it timed out (tonic's connect timeout).
fn chain_says_timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            || err.to_string().contains("timed out")
        {
            return true;
        }
        cur = err.source();
    }
    false
}

/// The record batches of a Flight answer, as they arrive
/// ([`FlightClient::query`]). Ends after its first error.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(flight: influx::v3::flight::FlightClient) -> influx::Result<()> {
/// use futures::StreamExt;
/// let mut batches = flight.query("SELECT * FROM home").await?;
/// while let Some(batch) = batches.next().await {
///     let batch = batch?;
///     # let _ = batch;
/// }
/// # Ok(()) }
/// ```
pub struct BatchStream {
    inner: Pin<Box<dyn Stream<Item = Result<RecordBatch>> + Send>>,
    done: bool,
}

impl fmt::Debug for BatchStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchStream").field("done", &self.done).finish_non_exhaustive()
    }
}

impl Stream for BatchStream {
    type Item = Result<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let next = self.inner.as_mut().poll_next(cx);
        if let Poll::Ready(None | Some(Err(_))) = &next {
            self.done = true;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_influxdbs_json() {
        let flight = Client::new("http://h:8181", "db", "tok").unwrap().flight().unwrap();
        assert_eq!(
            flight.ticket(&Query::sql("SELECT 1")).unwrap(),
            r#"{"database":"db","sql_query":"SELECT 1","query_type":"sql"}"#
        );
        let q =
            Query::sql("SELECT * FROM t WHERE a = $a AND b > $b").bind("b", 2.5).bind("a", "x\"y").database("other");
        assert_eq!(
            flight.ticket(&q).unwrap(),
            r#"{"database":"other","sql_query":"SELECT * FROM t WHERE a = $a AND b > $b","query_type":"sql","params":{"a":"x\"y","b":2.5}}"#
        );
        let no_db = Client::builder("http://h").build().unwrap().flight().unwrap();
        assert_eq!(no_db.ticket(&Query::sql("SELECT 1")).unwrap_err().kind(), ErrorKind::Builder);
    }

    #[test]
    fn options_flight_cannot_honour_are_builder_errors() {
        let b = || Client::builder("https://h:8181");
        for c in [
            b().proxy("http://proxy:3128").build().unwrap(),
            b().unix_socket("/tmp/x.sock").build().unwrap(),
            b().danger_accept_invalid_certs(true).build().unwrap(),
            Client::builder("https://h:8181/influx").build().unwrap(),
        ] {
            assert_eq!(c.flight().unwrap_err().kind(), ErrorKind::Builder);
        }
        let bad_header = b().header("x-data-bin", "v").build().unwrap();
        assert!(bad_header.flight().is_err());
        assert!(b().header("X-Team", "ops").build().unwrap().flight().is_ok());
    }

    #[test]
    fn statuses_map_to_kinds_without_secrets() {
        let flight =
            Client::builder("http://h:8181").token("s3cret-token").header("X-Key", "hdr-secret").build().unwrap();
        let flight = flight.flight().unwrap();
        let cases = [
            (tonic::Code::Unauthenticated, ErrorKind::Unauthorized),
            (tonic::Code::PermissionDenied, ErrorKind::Forbidden),
            (tonic::Code::NotFound, ErrorKind::DatabaseNotFound),
            (tonic::Code::InvalidArgument, ErrorKind::BadRequest),
            (tonic::Code::DeadlineExceeded, ErrorKind::Timeout),
            (tonic::Code::Unavailable, ErrorKind::Throttled),
            (tonic::Code::Internal, ErrorKind::Server),
        ];
        for (code, kind) in cases {
            let e = flight.status_error(tonic::Status::new(code, "echo s3cret-token and hdr-secret"), Phase::Call);
            assert_eq!(e.kind(), kind, "{code:?}");
            let shown = format!("{e} {e:?} {:?}", e.server_message());
            assert!(!shown.contains("s3cret") && !shown.contains("hdr-secret"), "{shown}");
        }
        let long = "x".repeat(10_000);
        let e = flight.status_error(tonic::Status::internal(long), Phase::Stream);
        assert!(e.server_message().unwrap().len() < 1100 && e.to_string().contains("while streaming"));
        assert!(!format!("{flight:?}").contains("s3cret") && !format!("{flight:?}").contains("hdr-secret"));
    }
}
