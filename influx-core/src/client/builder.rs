//! [`ClientBuilder`]: every connection option, validated in `build()`.

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::auth::Auth;
use super::{gzip_missing, Balance, Client, Nodes, Probe, Shared};
use crate::api::{Api, V1, V2, V3};
use crate::line_protocol::{EncodeOptions, TagSource};
use crate::{Error, ErrorKind, Precision, Result};

/// Builds a [`Client`]. Setters never fail; `build()` reports the first invalid option.
///
/// Credentials go in an `Authorization` header (HTTP Basic, or `Token` for
/// servers that accept it), never in the URL, and never appear in `Debug`.
///
/// ```
/// # extern crate influx_core as influx;
/// use std::time::Duration;
/// let client = influx::Client::builder("https://influx.example.com:8086")
///     .database("metrics")
///     .retention_policy("autogen")
///     .credentials("writer", "s3cret")
///     .timeout(Duration::from_secs(10))
///     .gzip(true)
///     .header("X-Team", "ops")
///     .build()
///     .unwrap();
/// assert!(!format!("{client:?}").contains("s3cret"));
/// ```
///
/// The type parameter is the API generation: [`Client::builder`] gives a
/// `ClientBuilder<V1>` (the default) that builds a 1.x [`Client`],
/// [`crate::v2::Client::builder`] a `ClientBuilder<V2>` that builds a
/// [`crate::v2::Client`]. Every connection option is shared; `database` and
/// `retention_policy` exist for 1.x, `org` and `bucket` for 2.x.
#[must_use]
#[derive(Clone)]
pub struct ClientBuilder<A: Api = V1> {
    url: Option<String>,
    /// The URLs of the other nodes, after `url` (see `urls`).
    more_urls: Vec<String>,
    balance: Balance,
    probe: Probe,
    host: Option<String>,
    port: Option<u16>,
    path: Option<String>,
    https: bool,
    database: Option<String>,
    retention_policy: Option<String>,
    encode: EncodeOptions,
    /// Default tags in the order set, resolved into `encode` by `build()`.
    default_tags: Vec<(String, TagSource)>,
    auth: Auth,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    chunk_timeout: Option<Duration>,
    client_timestamps: bool,
    retry: super::RetryPolicy,
    pool_max_idle: Option<usize>,
    headers: Vec<(String, String)>,
    proxy: Option<String>,
    gzip: bool,
    ca_pem: Vec<Vec<u8>>,
    ca_only: bool,
    identity_pem: Option<Vec<u8>>,
    accept_invalid_certs: bool,
    unix_socket: Option<PathBuf>,
    udp: Option<Udp>,
    org: Option<String>,
    bucket: Option<String>,
    edition: crate::v3::Edition,
    accept_partial: bool,
    no_sync: bool,
    error: Option<String>,
    api: PhantomData<A>,
}

/// Where [`Client::write`] sends datagrams, when it uses UDP.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Udp {
    /// `host:port`.
    Addr(String),
    /// This port on the server's host (influxdb-python's `udp_port`).
    Port(u16),
}

/// influxdb-python's default `udp_port`.
pub(crate) const DEFAULT_UDP_PORT: u16 = 4444;

impl<A: Api> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("url", &self.url)
            .field("more_urls", &self.more_urls)
            .field("balance", &self.balance)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("retention_policy", &self.retention_policy)
            .field("org", &self.org)
            .field("bucket", &self.bucket)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("chunk_timeout", &self.chunk_timeout)
            .field("client_timestamps", &self.client_timestamps)
            .field("retry", &self.retry)
            .field("headers", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("gzip", &self.gzip)
            .field("unix_socket", &self.unix_socket)
            .field("udp", &self.udp)
            .finish_non_exhaustive()
    }
}

impl<A: Api> Default for ClientBuilder<A> {
    fn default() -> Self {
        Self {
            url: None,
            more_urls: Vec::new(),
            balance: Balance::default(),
            probe: Probe::default(),
            host: None,
            port: None,
            path: None,
            https: false,
            database: None,
            retention_policy: None,
            encode: EncodeOptions::default(),
            default_tags: Vec::new(),
            auth: Auth::None,
            timeout: Some(ClientBuilder::<V1>::DEFAULT_TIMEOUT),
            connect_timeout: Some(ClientBuilder::<V1>::DEFAULT_CONNECT_TIMEOUT),
            chunk_timeout: Some(ClientBuilder::<V1>::DEFAULT_CHUNK_TIMEOUT),
            client_timestamps: true,
            retry: super::RetryPolicy::NONE,
            pool_max_idle: None,
            headers: Vec::new(),
            proxy: None,
            gzip: false,
            ca_pem: Vec::new(),
            ca_only: false,
            identity_pem: None,
            accept_invalid_certs: false,
            unix_socket: None,
            udp: None,
            org: None,
            bucket: None,
            edition: crate::v3::Edition::Core,
            accept_partial: true,
            no_sync: false,
            error: None,
            api: PhantomData,
        }
    }
}

impl ClientBuilder<V1> {
    /// The default connect timeout: 10 s.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default whole-request timeout: 60 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    /// The default longest wait for the next chunk of a chunked answer: 60 s.
    pub const DEFAULT_CHUNK_TIMEOUT: Duration = Duration::from_secs(60);

    /// A builder of a 1.x client for `http://localhost:8086`; set [`ClientBuilder::url`] or host and port.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let b = influx::ClientBuilder::new().host("db1").port(8087).path("/influx");
    /// # let _ = b;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

impl<A: Api> ClientBuilder<A> {
    /// The server's base URL (`http://` or `https://`, optionally with a path prefix).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let b = influx::ClientBuilder::new().url("http://127.0.0.1:8086");
    /// # let _ = b;
    /// ```
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self.more_urls.clear();
        self
    }

    /// Several servers of one cluster (or of a pair of OSS servers): every
    /// request of the client goes to one of them, picked by
    /// [`ClientBuilder::balance`], and moves on to the next when a node fails
    /// (see `docs/cluster.md`). Replaces [`ClientBuilder::url`]; each URL
    /// follows its rules. A replicated writer
    /// ([`WriterOptions::replicate`](crate::writer::WriterOptions::replicate))
    /// writes every batch to each of them instead.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::ClientBuilder::new()
    ///     .urls(["http://db1:8086", "http://db2:8086", "http://db3:8086"])
    ///     .database("metrics")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(client.nodes().len(), 3);
    /// assert!(influx::ClientBuilder::new().urls(Vec::<String>::new()).build().is_err());
    /// ```
    pub fn urls<I>(mut self, urls: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let mut urls = urls.into_iter().map(Into::into);
        self.url = urls.next();
        self.more_urls = urls.collect();
        if self.url.is_none() {
            self.fail("urls: no URL given".into());
        }
        self
    }

    /// How a client of several URLs picks the node of each request (default
    /// [`Balance::RoundRobin`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().balance(influx::Balance::LeastInFlight);
    /// ```
    pub fn balance(mut self, balance: Balance) -> Self {
        self.balance = balance;
        self
    }

    /// When a node marked down is pinged again (`GET /ping`): `initial` after
    /// it failed, then doubling up to `max` until it answers (defaults 250 ms
    /// and 10 s). Only clients of several URLs probe.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use std::time::Duration;
    /// # let _ = influx::ClientBuilder::new().health_check(Duration::from_millis(100), Duration::from_secs(5));
    /// ```
    pub fn health_check(mut self, initial: Duration, max: Duration) -> Self {
        if initial.is_zero() || max < initial {
            self.fail("health_check: initial must be above zero and at most max".into());
        }
        self.probe = Probe { initial, max };
        self
    }

    /// The server's host name (instead of a URL).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().host("localhost");
    /// ```
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The server's port (default 8086).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().port(8086);
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// A path prefix, for a server behind a reverse proxy (e.g. `/influx`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().path("/influx");
    /// ```
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Use HTTPS with host and port.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().host("db").https(true);
    /// ```
    pub fn https(mut self, on: bool) -> Self {
        self.https = on;
        self
    }

    /// The default precision of writes (nanoseconds unless set).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().precision(influx::Precision::Seconds);
    /// ```
    pub fn precision(mut self, precision: Precision) -> Self {
        self.encode.precision = precision;
        self
    }

    /// A tag added to every point this client writes, unless the point has its
    /// own value for that key (the official clients' `PointSettings.default_tags`).
    /// A later value for the same key replaces an earlier one; an empty value removes it.
    ///
    /// Checked and escaped once; an invalid key or value is reported by `build()`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::Client::builder("http://localhost:8086").default_tag("dc", "fra").build();
    /// assert!(client.is_ok());
    /// let bad = influx::Client::builder("http://localhost:8086").default_tag("time", "x").build();
    /// assert!(bad.is_err());
    /// ```
    pub fn default_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_tags.push((key.into(), TagSource::Value(value.into())));
        self
    }

    /// A default tag whose value is the environment variable `var`, read once
    /// by `build()` (the official Python client's `"${env.VAR}"` values).
    ///
    /// An unset or empty variable makes `build()` fail with an
    /// [`ErrorKind::Builder`](crate::ErrorKind::Builder) error naming the tag
    /// and the variable, rather than writing points without the tag as the
    /// Python client does; [`ClientBuilder::default_tag_env_or`] gives a
    /// fallback. The client never reads the variable again.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn main() -> influx::Result<()> {
    /// let client = influx::v2::Client::builder("http://localhost:8086")
    ///     .org("acme")
    ///     .token("my-token")
    ///     .default_tag_env("host", "HOSTNAME")   // PointSettings: add_default_tag("host", "${env.HOSTNAME}")
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let err = influx::Client::builder("http://localhost:8086")
    ///     .default_tag_env("dc", "SURELY_UNSET_VARIABLE_7F3A")
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), influx::ErrorKind::Builder);
    /// assert!(err.to_string().starts_with("default tag `dc`: environment variable `SURELY_UNSET_VARIABLE_7F3A` is not set"));
    /// ```
    pub fn default_tag_env(mut self, key: impl Into<String>, var: impl Into<String>) -> Self {
        self.default_tags.push((key.into(), TagSource::Env { var: var.into(), fallback: None }));
        self
    }

    /// Like [`ClientBuilder::default_tag_env`], but an unset or empty variable
    /// gives `fallback`; an empty fallback leaves the tag out.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::Client::builder("http://localhost:8086")
    ///     .default_tag_env_or("dc", "SURELY_UNSET_VARIABLE_7F3A", "fra")
    ///     .build();
    /// assert!(client.is_ok());
    /// ```
    pub fn default_tag_env_or(
        mut self,
        key: impl Into<String>,
        var: impl Into<String>,
        fallback: impl Into<String>,
    ) -> Self {
        self.default_tags.push((key.into(), TagSource::Env { var: var.into(), fallback: Some(fallback.into()) }));
        self
    }

    /// Writes unsigned integers with the `u` suffix, for servers that accept it
    /// (InfluxDB 2.x, 1.x built with unsigned support). Off by default: a stock
    /// 1.x refuses `5u`, so unsigned values are written as signed integers and a
    /// value above `i64::MAX` is an encode error.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().unsigned_suffix(true);
    /// ```
    pub fn unsigned_suffix(mut self, on: bool) -> Self {
        self.encode.unsigned_suffix = on;
        self
    }

    /// Authenticates with `Authorization: Token <token>` (InfluxDB 1.8+ and 2.x
    /// compatibility endpoints; 1.6 answers 401).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().token("user:password");
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::token(token.into());
        self
    }

    /// The whole-request timeout ([`ClientBuilder::DEFAULT_TIMEOUT`], 60 s,
    /// unless set; `None` waits forever).
    ///
    /// It bounds a ping, a write, and a non-chunked query from the start of
    /// the request to the last byte of the answer. A chunked query (the
    /// default) may stream for longer: the timeout bounds the wait until its
    /// answer starts, and [`ClientBuilder::chunk_timeout`] each wait for the
    /// next chunk. A request that runs out of time fails with
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use std::time::Duration;
    /// # let _ = influx::ClientBuilder::new().timeout(Duration::from_secs(5));
    /// # let _ = influx::ClientBuilder::new().timeout(None);
    /// ```
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// The connect timeout, TLS handshake included
    /// ([`ClientBuilder::DEFAULT_CONNECT_TIMEOUT`], 10 s, unless set; `None`
    /// leaves it to the whole-request timeout and the OS).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().connect_timeout(std::time::Duration::from_secs(1));
    /// ```
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The longest wait for the next chunk of a chunked answer
    /// ([`ClientBuilder::DEFAULT_CHUNK_TIMEOUT`], 60 s, unless set; `None`
    /// waits forever). The server sends a chunk as soon as it has computed
    /// it: raise this for queries that aggregate for longer before answering.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().chunk_timeout(std::time::Duration::from_secs(300));
    /// ```
    pub fn chunk_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.chunk_timeout = timeout.into();
        self
    }

    /// Whether [`Client::write`] stamps points that carry no timestamp with
    /// the client's clock (default on), as the batching writer does. Stamps
    /// are strictly increasing across the client, its clones and its
    /// writers, so no two stamped points overwrite each other, and a write
    /// retried after a lost answer overwrites itself instead of storing the
    /// points twice. Off: the server stamps each request on arrival, with
    /// one time for the whole request, so untimed points of one series in
    /// one request overwrite each other.
    ///
    /// [`Client::write_lp`] sends its body as it is either way.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().client_timestamps(false);
    /// ```
    pub fn client_timestamps(mut self, on: bool) -> Self {
        self.client_timestamps = on;
        self
    }

    /// Retries of plain writes and queries (influxdb-python's `retries`):
    /// off unless set. Only what is safe to repeat is retried; see
    /// [`RetryPolicy`](super::RetryPolicy).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().retry_policy(influx::client::RetryPolicy::attempts(3));
    /// ```
    pub fn retry_policy(mut self, policy: super::RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How many idle connections the pool keeps per host.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().pool_size(4);
    /// ```
    pub fn pool_size(mut self, idle_connections: usize) -> Self {
        self.pool_max_idle = Some(idle_connections);
        self
    }

    /// A header sent with every request.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().header("X-Request-Source", "batch");
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends every request through this HTTP(S) proxy (`http://proxy:3128`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().proxy("http://proxy.local:3128");
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Compresses write bodies with gzip and accepts gzip-compressed answers.
    ///
    /// Needs the `gzip` cargo feature (on by default): without it, `build()` refuses `true`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().gzip(true);
    /// ```
    pub fn gzip(mut self, on: bool) -> Self {
        self.gzip = on;
        self
    }

    /// Trusts this CA certificate (PEM, one or more) besides the system's roots.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().ca_certificate_pem(b"-----BEGIN CERTIFICATE-----".to_vec());
    /// ```
    pub fn ca_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem.push(pem.into());
        self
    }

    /// Trusts only the CA certificates given with [`ClientBuilder::ca_certificate_pem`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().ca_certificates_only(true);
    /// ```
    pub fn ca_certificates_only(mut self, on: bool) -> Self {
        self.ca_only = on;
        self
    }

    /// Presents this client certificate (mutual TLS): PEM holding the
    /// certificate chain and the private key (PKCS#8, PKCS#1 or SEC1).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().client_identity_pem(Vec::new());
    /// ```
    pub fn client_identity_pem(mut self, cert_and_key_pem: impl Into<Vec<u8>>) -> Self {
        self.identity_pem = Some(cert_and_key_pem.into());
        self
    }

    /// Accepts any server certificate. Dangerous: anyone on the path can read
    /// and change the traffic, credentials included. Off by default.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().danger_accept_invalid_certs(false);
    /// ```
    pub fn danger_accept_invalid_certs(mut self, on: bool) -> Self {
        self.accept_invalid_certs = on;
        self
    }

    /// Connects through the server's unix domain socket instead of TCP.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().unix_socket("/var/run/influxdb.sock");
    /// ```
    pub fn unix_socket(mut self, path: impl Into<PathBuf>) -> Self {
        self.unix_socket = Some(path.into());
        self
    }

    fn fail(&mut self, msg: String) {
        self.error.get_or_insert(msg);
    }

    /// Validates the connection options and builds the shared transport.
    fn transport(&mut self) -> Result<Shared> {
        let base = self.base_url();
        let base = match base {
            Ok(b) => b,
            Err(e) => {
                self.fail(e);
                String::new()
            }
        };
        if let Some(e) = self.error.take() {
            return Err(Error::new(ErrorKind::Builder, e));
        }
        // Default tags, environment variables included, are read here, once.
        let default_tags = std::mem::take(&mut self.default_tags);
        self.encode.default_tags.apply(&default_tags).map_err(|e| Error::new(ErrorKind::Builder, e.to_string()))?;
        let tls_options = !self.ca_pem.is_empty() || self.identity_pem.is_some() || self.accept_invalid_certs;
        let https = base.starts_with("https://");
        if tls_options && !https {
            return Err(Error::new(
                ErrorKind::Builder,
                "TLS options are set but the URL is not https://: use an https:// URL",
            ));
        }
        let https_proxy =
            self.proxy.as_deref().is_some_and(|p| p.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")));
        if !super::TLS && (https || https_proxy) {
            return Err(Error::new(
                ErrorKind::Builder,
                "https:// needs TLS, which this build of `influx` leaves out: \
                 enable its `rustls-ring` (or `rustls-aws-lc`) cargo feature",
            ));
        }
        if !cfg!(feature = "gzip") && self.gzip {
            return Err(gzip_missing());
        }
        let mut http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        #[cfg(feature = "gzip")]
        {
            http = http.gzip(self.gzip);
        }
        // The whole-request timeout is set per request: chunked answers must
        // not be cut at a total time, only at a silent gap.
        if let Some(t) = self.connect_timeout {
            http = http.connect_timeout(t);
        }
        if let Some(n) = self.pool_max_idle {
            http = http.pool_max_idle_per_host(n);
        }
        let mut headers = HeaderMap::new();
        for (k, v) in &self.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| Error::new(ErrorKind::Builder, format!("invalid header name `{k}`")))?;
            if name == reqwest::header::AUTHORIZATION {
                return Err(Error::new(
                    ErrorKind::Builder,
                    "set credentials with `credentials` or `token`, not a header",
                ));
            }
            let mut value = HeaderValue::from_str(v)
                .map_err(|_| Error::new(ErrorKind::Builder, format!("invalid value for header `{k}`")))?;
            value.set_sensitive(true);
            headers.append(name, value);
        }
        http = http.default_headers(headers);
        match &self.proxy {
            Some(p) => {
                let proxy =
                    reqwest::Proxy::all(p.as_str()).map_err(|_| Error::new(ErrorKind::Builder, "invalid proxy URL"))?;
                http = http.proxy(proxy);
            }
            None => http = http.no_proxy(),
        }
        #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
        {
            // Nothing speaks TLS without an https URL or proxy (redirects are not
            // followed): then no root is loaded.
            let tls = super::tls::client_config(&super::tls::TlsOptions {
                ca_pem: &self.ca_pem,
                ca_only: self.ca_only,
                identity_pem: self.identity_pem.as_deref(),
                accept_invalid_certs: self.accept_invalid_certs,
                needed: https || https_proxy,
            })?;
            http = http.tls_backend_preconfigured(tls);
        }
        if let Some(path) = &self.unix_socket {
            #[cfg(unix)]
            {
                http = http.unix_socket(path.clone());
            }
            #[cfg(not(unix))]
            {
                let _ = path;
                return Err(Error::new(ErrorKind::Builder, "unix sockets are not supported on this platform"));
            }
        }
        let http = http
            .build()
            .map_err(|e| Error::new(ErrorKind::Builder, "cannot build the HTTP client").with_source(e.without_url()))?;
        let clock = Arc::new(crate::precision::StampClock::default());
        let udp = match &self.udp {
            Some(Udp::Addr(addr)) => Some(Arc::new(super::udp::UdpWriter::bind_for(addr)?)),
            Some(Udp::Port(port)) => {
                let url =
                    url::Url::parse(&base).map_err(|e| Error::new(ErrorKind::Builder, format!("invalid URL: {e}")))?;
                let host = url.host_str().unwrap_or("localhost");
                Some(Arc::new(super::udp::UdpWriter::bind_for(&format!("{host}:{port}"))?))
            }
            None => None,
        };
        let header_values = self.headers.iter().map(|(_, v)| v.clone()).collect();
        let mut bases = vec![base.clone()];
        for u in &self.more_urls {
            let other = check_url(u).map_err(|e| Error::new(ErrorKind::Builder, format!("{e} (in urls)")))?;
            if other.starts_with("https://") != https {
                return Err(Error::new(ErrorKind::Builder, "urls: all nodes must be http:// or all https://"));
            }
            if bases.contains(&other) {
                return Err(Error::new(ErrorKind::Builder, format!("urls: `{other}` is given twice")));
            }
            bases.push(other);
        }
        let nodes = Arc::new(Nodes::new(bases, self.balance, self.probe, http.clone(), self.timeout));
        Ok(Shared {
            http,
            base,
            nodes,
            pin: None,
            gzip: self.gzip,
            udp,
            header_values,
            timeout: self.timeout,
            chunk_timeout: self.chunk_timeout,
            retry: self.retry,
            stamps: self.client_timestamps.then(|| Arc::clone(&clock)),
            clock,
        })
    }

    fn base_url(&self) -> std::result::Result<String, String> {
        if self.unix_socket.is_some() && self.url.is_none() && self.host.is_none() {
            // The host is not used to connect, only for the Host header.
            return Ok(format!("http://localhost{}", path_prefix(self.path.as_deref())?));
        }
        if !self.more_urls.is_empty() && (self.port.is_some() || self.unix_socket.is_some()) {
            return Err("with several urls, set each port in its URL; a unix socket is one server".into());
        }
        let raw = match (&self.url, &self.host) {
            (Some(_), Some(_)) => return Err("set either a URL or a host, not both".into()),
            (Some(u), None) => u.clone(),
            (None, host) => {
                let host = host.as_deref().unwrap_or("localhost");
                let host = if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.into() };
                let scheme = if self.https { "https" } else { "http" };
                format!("{scheme}://{host}:{}{}", self.port.unwrap_or(8086), path_prefix(self.path.as_deref())?)
            }
        };
        let s = check_url(&raw)?;
        if let (Some(_), Some(p)) = (&self.url, self.port) {
            let mut u = url::Url::parse(&s).map_err(|e| format!("invalid URL: {e}"))?;
            u.set_port(Some(p)).map_err(|()| "cannot set a port on this URL".to_owned())?;
            return Ok(u.to_string().trim_end_matches('/').to_owned());
        }
        Ok(s)
    }
}

impl ClientBuilder<V1> {
    /// The default database of writes and queries.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().database("metrics");
    /// ```
    pub fn database(mut self, db: impl Into<String>) -> Self {
        self.database = Some(db.into());
        self
    }

    /// The default retention policy of writes and queries.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().retention_policy("autogen");
    /// ```
    pub fn retention_policy(mut self, rp: impl Into<String>) -> Self {
        self.retention_policy = Some(rp.into());
        self
    }

    /// Authenticates with HTTP Basic (works on every 1.x server).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().credentials("admin", "secret");
    /// ```
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth = Auth::basic(username.into(), password.into());
        self
    }

    /// Sends [`Client::write`] over UDP to this `host:port` (queries still use HTTP).
    ///
    /// UDP writes get no answer: errors on the server, a wrong port or a
    /// listener that is not there are not seen, and the write returns `Ok`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::ClientBuilder::new().udp("127.0.0.1:8089");
    /// ```
    pub fn udp(mut self, addr: impl Into<String>) -> Self {
        self.udp = Some(Udp::Addr(addr.into()));
        self
    }

    /// Sends [`Client::write`] over UDP to this port of the server's host,
    /// queries still going to its HTTP port (influxdb-python's `use_udp` and
    /// `udp_port`). A `udp+influxdb://` DSN turns this on with port 4444.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let c = influx::Client::from_dsn("udp+influxdb://127.0.0.1:8086/metrics").unwrap();
    /// assert!(format!("{c:?}").contains("127.0.0.1:4444"));
    /// let b: influx::ClientBuilder = "udp+influxdb://127.0.0.1:8086/metrics".parse().unwrap();
    /// let c = b.udp_port(8089).build().unwrap();
    /// assert!(format!("{c:?}").contains("127.0.0.1:8089") && format!("{c:?}").contains("127.0.0.1:8086"));
    /// ```
    pub fn udp_port(mut self, port: u16) -> Self {
        self.udp = Some(Udp::Port(port));
        self
    }

    /// Builds the 1.x client.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let err = influx::Client::builder("ftp://x").build().unwrap_err();
    /// assert_eq!(err.kind(), influx::ErrorKind::Builder);
    /// ```
    pub fn build(mut self) -> Result<Client> {
        let shared = self.transport()?;
        Ok(Client {
            shared: Arc::new(shared),
            database: self.database.map(Arc::from),
            retention_policy: self.retention_policy.map(Arc::from),
            encode: Arc::new(self.encode),
            auth: self.auth,
        })
    }
}

impl ClientBuilder<V2> {
    /// A builder of a 2.x client; the `u` suffix for unsigned integers is on (2.x reads it).
    pub(crate) fn new_v2() -> Self {
        let mut b = Self::default();
        b.encode.unsigned_suffix = true;
        b
    }

    /// The organization (name or ID) of writes, queries and deletes.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::Client::builder("http://localhost:8086").org("acme");
    /// ```
    pub fn org(mut self, org: impl Into<String>) -> Self {
        self.org = Some(org.into());
        self
    }

    /// The default bucket (name) of writes and deletes.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::Client::builder("http://localhost:8086").bucket("metrics");
    /// ```
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// Builds the 2.x client.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::v2::Client::builder("http://localhost:8086").org("acme").token("t").build().unwrap();
    /// assert_eq!(client.org(), Some("acme"));
    /// ```
    pub fn build(mut self) -> Result<crate::v2::Client> {
        let shared = self.transport()?;
        Ok(crate::v2::Client::from_parts(
            Arc::new(shared),
            self.auth,
            self.org.map(Arc::from),
            self.bucket.map(Arc::from),
            Arc::new(self.encode),
        ))
    }
}

/// A server's base URL, checked: http(s), no credentials, no query or
/// fragment; returned without a trailing `/`.
fn check_url(raw: &str) -> std::result::Result<String, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("invalid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("invalid URL scheme `{}`: expected http or https", url.scheme()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials in the URL are not accepted: use `credentials` (or a DSN)".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("the URL must not have a query or fragment".into());
    }
    Ok(url.to_string().trim_end_matches('/').to_owned())
}

impl ClientBuilder<V3> {
    /// A builder of a 3.x client: `u` suffix for unsigned integers (3.x reads
    /// it), the token sent as `Authorization: Bearer`.
    pub(crate) fn new_v3() -> Self {
        let mut b = Self::default();
        b.encode.unsigned_suffix = true;
        b
    }

    /// The database of writes and queries (on the Cloud editions, the database
    /// or bucket written through `/api/v2/write`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::Client::builder("http://localhost:8181").database("sensors");
    /// ```
    pub fn database(mut self, db: impl Into<String>) -> Self {
        self.database = Some(db.into());
        self
    }

    /// Which InfluxDB 3 product the server is (Core unless set): it decides
    /// the write path and which management endpoints exist (see [`crate::v3::Edition`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::v3::Edition;
    /// let c = influx::v3::Client::builder("https://cluster-id.a.influxdb.io")
    ///     .edition(Edition::CloudDedicated)
    ///     .database("sensors")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(c.edition(), Edition::CloudDedicated);
    /// ```
    pub fn edition(mut self, edition: crate::v3::Edition) -> Self {
        self.edition = edition;
        self
    }

    /// `accept_partial` of `/api/v3/write_lp` (Core and Enterprise; on by
    /// default, as on the server). Off: a batch with one bad line writes
    /// nothing, and the whole batch is reported. The Cloud editions decide
    /// this on the cluster, so turning it off for them is a `build()` error.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::Client::builder("http://localhost:8181").accept_partial(false);
    /// ```
    pub fn accept_partial(mut self, on: bool) -> Self {
        self.accept_partial = on;
        self
    }

    /// `no_sync` of `/api/v3/write_lp` (Core and Enterprise; off by default):
    /// the server answers before the write-ahead log is persisted, so a crash
    /// can lose acknowledged points. A `build()` error on the Cloud editions.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::Client::builder("http://localhost:8181").no_sync(true);
    /// ```
    pub fn no_sync(mut self, on: bool) -> Self {
        self.no_sync = on;
        self
    }

    /// The `org` sent to the Cloud editions' `/api/v2/write`, which requires
    /// the parameter and ignores its value (`default` unless set, as the
    /// official 3.x clients send). Not sent to Core or Enterprise.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::Client::builder("https://x.influxdb.io").org("acme");
    /// ```
    pub fn org(mut self, org: impl Into<String>) -> Self {
        self.org = Some(org.into());
        self
    }

    /// Builds the 3.x client.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::v3::Client::builder("http://localhost:8181").database("sensors").token("t").build().unwrap();
    /// assert_eq!(client.database(), Some("sensors"));
    /// let err = influx::v3::Client::builder("http://h")
    ///     .edition(influx::v3::Edition::CloudServerless)
    ///     .no_sync(true)
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), influx::ErrorKind::Builder);
    /// ```
    pub fn build(mut self) -> Result<crate::v3::Client> {
        if !self.edition.has_v3_api() && (self.no_sync || !self.accept_partial) {
            return Err(Error::new(
                ErrorKind::Builder,
                format!(
                    "{:?} has no /api/v3/write_lp: no_sync and accept_partial are set on the cluster, not per write",
                    self.edition
                ),
            ));
        }
        let shared = self.transport()?;
        Ok(crate::v3::Client::from_parts(crate::v3::Parts {
            shared: Arc::new(shared),
            auth: std::mem::replace(&mut self.auth, Auth::None).into_bearer(),
            database: self.database.map(Arc::from),
            edition: self.edition,
            accept_partial: self.accept_partial,
            no_sync: self.no_sync,
            org: self.org.map(Arc::from),
            encode: Arc::new(self.encode),
            #[cfg(feature = "flight")]
            flight: Arc::new(crate::v3::flight::FlightOptions {
                connect_timeout: self.connect_timeout,
                headers: self.headers,
                ca_pem: self.ca_pem,
                ca_only: self.ca_only,
                identity_pem: self.identity_pem,
                accept_invalid_certs: self.accept_invalid_certs,
                proxy: self.proxy.is_some(),
                unix_socket: self.unix_socket.is_some(),
            }),
        }))
    }
}

fn path_prefix(path: Option<&str>) -> std::result::Result<String, String> {
    match path {
        None | Some("") | Some("/") => Ok(String::new()),
        Some(p) if p.contains(['?', '#']) => Err(format!("invalid path `{p}`")),
        Some(p) => Ok(format!("/{}", p.trim_matches('/'))),
    }
}

impl FromStr for ClientBuilder {
    type Err = Error;

    /// Parses a DSN (see [`Client::from_dsn`]).
    fn from_str(dsn: &str) -> Result<Self> {
        super::dsn::parse(dsn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_from_parts() {
        let b = ClientBuilder::new().host("db").port(9000).path("influx/");
        assert_eq!(b.base_url().unwrap(), "http://db:9000/influx");
        let b = ClientBuilder::new().host("::1").https(true);
        assert_eq!(b.base_url().unwrap(), "https://[::1]:8086");
        assert!(ClientBuilder::new().url("http://u:p@h").base_url().unwrap_err().contains("credentials"));
        assert!(ClientBuilder::new().url("ftp://h").base_url().is_err());
    }

    #[test]
    fn several_urls_are_checked_each() {
        let c = ClientBuilder::new().urls(["http://a:1/", "http://b:2/influx"]).build().unwrap();
        let urls: Vec<String> = c.nodes().into_iter().map(|n| n.url).collect();
        assert_eq!(urls, ["http://a:1", "http://b:2/influx"]);
        let e = ClientBuilder::new().urls(["http://a:1", "ftp://b"]).build().unwrap_err();
        assert!(e.to_string().contains("scheme") && e.to_string().contains("urls"), "{e}");
        let e = ClientBuilder::new().urls(["http://a:1", "http://u:p@b"]).build().unwrap_err();
        assert!(e.to_string().contains("credentials"), "{e}");
        assert!(ClientBuilder::new().urls(["http://a:1", "http://a:1/"]).build().is_err());
        assert!(ClientBuilder::new().urls(["http://a:1", "https://b:1"]).build().is_err());
        assert!(ClientBuilder::new().urls(["http://a:1", "http://b:1"]).port(5).build().is_err());
        // `url` after `urls` is one server again.
        assert_eq!(
            ClientBuilder::new().urls(["http://a:1", "http://b:1"]).url("http://c:1").build().unwrap().nodes().len(),
            1
        );
    }

    #[test]
    fn tls_options_need_https() {
        let e = Client::builder("http://h").danger_accept_invalid_certs(true).build().unwrap_err();
        assert!(e.to_string().contains("https://"), "{e}");
    }

    /// Without TLS (no `rustls-*` feature) an https URL or proxy is refused, naming the feature.
    #[test]
    #[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
    fn https_without_tls_names_the_feature() {
        let https = [
            Client::builder("https://h"),
            Client::builder("http://h").proxy("https://proxy:3128"),
            ClientBuilder::new().host("h").https(true),
        ];
        for b in https {
            let e = b.build().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Builder);
            assert!(e.to_string().contains("`rustls-ring`"), "{e}");
        }
        Client::builder("http://h").proxy("http://proxy:3128").build().unwrap();
    }

    /// Without the `gzip` feature, asking for gzip on the builder or per write is an error.
    #[test]
    #[cfg(not(feature = "gzip"))]
    fn gzip_without_the_feature_is_refused() {
        let e = Client::builder("http://h").gzip(true).build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Builder);
        assert!(e.to_string().contains("`gzip` cargo feature"), "{e}");
        // Per write: refused before anything is sent (nothing listens on port 1).
        let c = Client::builder("http://127.0.0.1:1").database("d").build().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let e = rt.block_on(c.write_lp("m v=1", &crate::WriteOptions::new().gzip(true))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Builder);
        assert!(e.to_string().contains("`gzip` cargo feature"), "{e}");
    }

    /// With TLS: trusting only our CAs needs one, and no root at all is a clear error.
    #[test]
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
    fn tls_roots_are_checked_at_build() {
        let e = Client::builder("https://h").ca_certificates_only(true).build().unwrap_err();
        assert!(e.to_string().contains("needs a CA certificate"), "{e}");
        let e = Client::builder("https://h").ca_certificate_pem(b"not a certificate".to_vec()).build().unwrap_err();
        assert!(e.to_string().contains("invalid CA certificate PEM"), "{e}");
        // Plain http loads no roots and needs none.
        Client::builder("http://h").ca_certificates_only(true).build().unwrap();
        if !cfg!(any(feature = "native-roots", feature = "webpki-roots")) {
            let e = Client::builder("https://h").build().unwrap_err();
            assert!(e.to_string().contains("no trusted root certificate"), "{e}");
        }
    }

    #[test]
    fn timeouts_have_defaults_and_can_be_lifted() {
        let c = Client::builder("http://h").build().unwrap();
        assert_eq!(c.shared.timeout, Some(ClientBuilder::DEFAULT_TIMEOUT));
        assert_eq!(c.shared.chunk_timeout, Some(ClientBuilder::DEFAULT_CHUNK_TIMEOUT));
        assert!(c.shared.stamps.is_some());
        let b = ClientBuilder::new();
        assert_eq!(b.connect_timeout, Some(ClientBuilder::DEFAULT_CONNECT_TIMEOUT));
        let c = Client::builder("http://h").timeout(None).chunk_timeout(None).client_timestamps(false).build().unwrap();
        assert_eq!((c.shared.timeout, c.shared.chunk_timeout, c.shared.stamps.is_some()), (None, None, false));
    }

    #[test]
    fn debug_hides_secrets() {
        let b = ClientBuilder::new().credentials("u", "pw-123").header("X-Api-Key", "key-456");
        let d = format!("{b:?}");
        assert!(!d.contains("pw-123") && !d.contains("key-456"), "{d}");
        let c = b.clone().build().unwrap();
        assert!(!format!("{c:?}").contains("pw-123"));
        let t = ClientBuilder::new().token("tok-789").build().unwrap();
        assert!(!format!("{t:?}").contains("tok-789"));
    }
}
