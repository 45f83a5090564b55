//! The asynchronous InfluxDB 1.x HTTP client.
//!
//! (Minimal first version: ping, write and raw query. The full client, with
//! every connection option, lands with the client issue.)

pub(crate) mod raw_write;
mod response;

pub use response::{QueryResponse, Series, StatementResult};

use std::sync::Arc;

use crate::line_protocol::{encode_batch, EncodeOptions, WritePoint};
use crate::{Error, ErrorKind, Precision, Result};

/// A handle to one InfluxDB server. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    database: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("url", &self.inner.base).field("database", &self.inner.database).finish()
    }
}

/// Builds a [`Client`].
#[must_use]
#[derive(Debug, Default)]
pub struct ClientBuilder {
    url: String,
    database: Option<String>,
}

impl ClientBuilder {
    /// The default database for writes and queries.
    pub fn database(mut self, db: impl Into<String>) -> Self {
        self.database = Some(db.into());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| Error::new(ErrorKind::Builder, "cannot build the HTTP client").with_source(e.without_url()))?;
        let base = self.url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::new(ErrorKind::Builder, format!("invalid url `{base}`: expected http:// or https://")));
        }
        Ok(Client { inner: Arc::new(Inner { http, base, database: self.database }) })
    }
}

impl Client {
    /// A builder for a client of the server at `url`.
    pub fn builder(url: impl Into<String>) -> ClientBuilder {
        ClientBuilder { url: url.into(), database: None }
    }

    /// A client of the server at `url` writing to and querying `database`.
    pub fn new(url: impl Into<String>, database: impl Into<String>) -> Result<Self> {
        Self::builder(url).database(database).build()
    }

    /// Pings the server and returns its version (`X-Influxdb-Version`).
    pub async fn ping(&self) -> Result<String> {
        let resp = self.send(self.inner.http.get(format!("{}/ping", self.inner.base))).await?;
        let version =
            resp.headers().get("x-influxdb-version").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        check_status(resp).await?;
        Ok(version)
    }

    /// Writes points to the default database at nanosecond precision.
    pub async fn write<I>(&self, points: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let opts = EncodeOptions::default();
        let mut body = Vec::new();
        encode_batch(points, &mut body, &opts)?;
        self.write_lp(body, opts.precision).await
    }

    /// Writes a body of line protocol as it is.
    pub async fn write_lp(&self, body: impl Into<Vec<u8>>, precision: Precision) -> Result<()> {
        let db = self.database()?;
        let req = self
            .inner
            .http
            .post(format!("{}/write", self.inner.base))
            .query(&[("db", db), ("precision", precision.as_str())])
            .body(body.into());
        let resp = self.send(req).await?;
        check_status(resp).await?;
        Ok(())
    }

    /// Runs `q` and returns the server's answer as typed JSON structures.
    pub async fn query(&self, q: &str) -> Result<QueryResponse> {
        let mut params = vec![("q", q)];
        if let Some(db) = &self.inner.database {
            params.push(("db", db));
        }
        let req = self.inner.http.post(format!("{}/query", self.inner.base)).form(&params);
        let resp = check_status(self.send(req).await?).await?;
        let bytes = resp.bytes().await.map_err(transport)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::new(ErrorKind::Decode, "invalid query response").with_source(e))
    }

    fn database(&self) -> Result<&str> {
        self.inner.database.as_deref().ok_or_else(|| Error::new(ErrorKind::Builder, "no database configured"))
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        req.send().await.map_err(transport)
    }
}

fn transport(e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else if e.is_connect() {
        ErrorKind::Connect
    } else {
        ErrorKind::Transport
    };
    Error::new(kind, "request failed").with_source(e.without_url())
}

async fn check_status(resp: reqwest::Response) -> Result<reqwest::Response> {
    let status = resp.status().as_u16();
    if resp.status().is_success() {
        return Ok(resp);
    }
    let body = resp.text().await.unwrap_or_default();
    let message = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or(body);
    let kind = match status {
        400 if message.starts_with("partial write") => ErrorKind::PartialWrite,
        400 => ErrorKind::BadRequest,
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::DatabaseNotFound,
        413 => ErrorKind::PayloadTooLarge,
        429 | 503 => ErrorKind::Throttled,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Status,
    };
    Err(Error::new(kind, format!("server answered {status}: {message}"))
        .with_status(status)
        .with_server_message(message))
}
