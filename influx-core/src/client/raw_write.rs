//! The writer's hook into the transport: one `/write` request with a body that
//! is already encoded (and never copied), answering with what the retry rules
//! need, including `Retry-After`. Owned by the writer (issue 5).

use std::time::Duration;

use bytes::Bytes;

use super::Client;
use crate::{Error, ErrorKind, Precision};

/// The target of one write request.
#[derive(Debug, Clone)]
pub(crate) struct RawWrite {
    pub(crate) database: String,
    pub(crate) retention_policy: Option<String>,
    pub(crate) precision: Precision,
    pub(crate) gzip: bool,
    pub(crate) timeout: Option<Duration>,
}

/// A failed write request.
#[derive(Debug)]
pub(crate) enum RawFailure {
    /// No answer: connect error, reset, timeout.
    Transport(Error),
    /// The server answered with a non-2xx status.
    Status { status: u16, message: String, retry_after: Option<String> },
}

impl Client {
    /// The client's default database, if it has one.
    pub(crate) fn default_database(&self) -> Option<&str> {
        self.inner.database.as_deref()
    }

    /// Posts `body` (plain line protocol, or gzip when `target.gzip`) to `/write`.
    pub(crate) async fn post_write(&self, body: Bytes, target: &RawWrite) -> Result<(), RawFailure> {
        let mut query: Vec<(&str, &str)> = vec![("db", &target.database), ("precision", target.precision.as_str())];
        if let Some(rp) = &target.retention_policy {
            query.push(("rp", rp));
        }
        let mut req = self.inner.http.post(format!("{}/write", self.inner.base)).query(&query).body(body);
        if target.gzip {
            req = req.header("content-encoding", "gzip");
        }
        if let Some(t) = target.timeout {
            req = req.timeout(t);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return Err(RawFailure::Transport(transport_error(e))),
        };
        if resp.status().is_success() {
            return Ok(());
        }
        let status = resp.status().as_u16();
        let retry_after = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
        // The status arrived even if the body broke off: still an answer.
        let text = resp.text().await.unwrap_or_default();
        // JSON `{"error": ...}` normally; the throttle 503s are plain text.
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
            .unwrap_or_else(|| text.trim_end().to_owned());
        Err(RawFailure::Status { status, message, retry_after })
    }
}

fn transport_error(e: reqwest::Error) -> Error {
    let (kind, what) = if e.is_timeout() {
        (ErrorKind::Timeout, "write request timed out")
    } else if e.is_connect() {
        (ErrorKind::Connect, "cannot connect to the server")
    } else {
        (ErrorKind::Transport, "write request failed")
    };
    Error::new(kind, what).with_source(e.without_url())
}
