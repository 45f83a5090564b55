//! The one error type of the crate.
//!
//! [`Error`] is opaque and pointer-sized: match on [`Error::kind`], ask the
//! predicates ([`Error::is_retryable`], [`Error::is_timeout`], ...) or read the
//! server's own words with [`Error::server_message`]. Its `Display` is one short
//! lowercase clause that says what went wrong and where (which point, which
//! field, which row); the underlying cause, if any, is returned by
//! [`std::error::Error::source`] and never repeated in `Display`.
//!
//! No error ever contains a password or token: URLs are stripped from
//! transport errors before they are stored, the server's answer is bounded
//! (see [`Error::server_message`]) and scrubbed of the request's credentials,
//! header echoes and payload lines, and password clauses of statements are redacted.

use std::fmt;

/// A `Result` whose error defaults to [`Error`].
///
/// ```
/// # extern crate influx_core as influx;
/// fn parse_port(s: &str) -> influx::Result<u16> {
///     s.parse().map_err(|_| influx::Error::new(influx::ErrorKind::Builder, format!("invalid port `{s}`")))
/// }
/// assert!(parse_port("x").is_err());
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure an [`Error`] is.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::{Error, ErrorKind};
/// let err = Error::new(ErrorKind::Encode, "point 3: field `usage` is NaN");
/// assert_eq!(err.kind(), ErrorKind::Encode);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A point or value that line protocol cannot carry; found before anything was sent.
    Encode,
    /// An invalid client configuration, URL or DSN.
    Builder,
    /// A query argument InfluxQL or Flux cannot carry (NaN, an out-of-range integer or time, a regex ending in a lone backslash, a carriage return or NUL in an InfluxQL string); found before anything was sent.
    Argument,
    /// The connection could not be established (refused, DNS, reset during the handshake).
    Connect,
    /// The TLS handshake failed: the server's certificate is not trusted (unknown
    /// issuer, wrong name, expired, ...) or the two sides share no TLS setup.
    /// Never retryable: the same certificate is refused again.
    Tls,
    /// The request did not complete within the configured timeout.
    Timeout,
    /// Any other transport failure (connection reset, broken body, ...).
    Transport,
    /// 401: missing or wrong credentials.
    Unauthorized,
    /// 403: authenticated, but not allowed to do this.
    Forbidden,
    /// 404 on write: the database does not exist.
    DatabaseNotFound,
    /// Some points were stored, the others were rejected: 1.x and 2.x's 400
    /// `partial write`, 3.x's 400 `partial write of line protocol occurred`
    /// and the Cloud editions' 201. [`Error::rejected_lines`] names the
    /// rejected lines where the server did.
    PartialWrite,
    /// 400 for any other reason (unparsable line protocol, bad query, ...).
    BadRequest,
    /// 413: the request body exceeds the server's `max-body-size`.
    PayloadTooLarge,
    /// 429 or 503: the server asked us to slow down.
    Throttled,
    /// Any other 5xx answer.
    Server,
    /// Any other unexpected HTTP status.
    Status,
    /// A statement of a query failed (the server answered 200 with an `error`).
    Query,
    /// A response could not be decoded into the requested Rust type.
    Decode,
    /// The answer is incomplete: marked `"partial": true` (non-chunked), empty (a blank 200, a
    /// 204), or a chunked answer whose last chunk says more was to come.
    Truncated,
    /// The batching writer was closed or its background task is gone.
    WriterClosed,
    /// The writer's buffer is full (returned by non-blocking `try_write`).
    BufferFull,
    /// A blocking call was made where it would deadlock (inside an async runtime).
    Runtime,
}

/// The error type of every fallible operation in this crate.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::{Error, ErrorKind};
/// let err = Error::new(ErrorKind::Throttled, "request throttled, queue full").with_status(503);
/// assert!(err.is_retryable());
/// assert_eq!(err.status(), Some(503));
/// assert_eq!(err.to_string(), "request throttled, queue full");
/// ```
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    server_message: Option<String>,
    retry_after: Option<std::time::Duration>,
    /// The server's whole message (secrets scrubbed, not bounded), for the
    /// writer to map refused lines; never shown.
    full_answer: Option<String>,
    rejected: Vec<RejectedLine>,
    /// Requests made before giving up (writer and client retries).
    attempts: Option<u32>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// One line of a write that the server refused, as its answer names it: by
/// its 1-based number in the request body, with the server's reason.
///
/// The batching writer maps these numbers back to the points of the batch
/// (see [`crate::writer::FailedLine`]); a direct write's caller can do the
/// same with its own body.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::RejectedLine;
/// let l = RejectedLine::new(2, "invalid column type for column 'temp'");
/// assert_eq!((l.line, l.message.as_str(), l.original.as_deref()), (2, "invalid column type for column 'temp'", None));
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RejectedLine {
    /// The line's number in the request body, counting from 1.
    pub line: usize,
    /// Why the server refused it.
    pub message: String,
    /// The line as the server echoed it, if it did.
    pub original: Option<String>,
}

impl RejectedLine {
    /// A rejected line by its 1-based number and the server's reason.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let l = influx::RejectedLine::new(1, "bad").with_original("m v=x");
    /// assert_eq!(l.original.as_deref(), Some("m v=x"));
    /// ```
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        Self { line, message: message.into(), original: None }
    }

    /// Adds the line as the server echoed it.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::RejectedLine::new(1, "bad").with_original("m v=x");
    /// ```
    #[must_use]
    pub fn with_original(mut self, line: impl Into<String>) -> Self {
        self.original = Some(line.into());
        self
    }
}

impl fmt::Debug for RejectedLine {
    // The echoed line is data: leave it out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RejectedLine").field("line", &self.line).field("message", &self.message).finish_non_exhaustive()
    }
}

impl Error {
    /// A new error of `kind` whose `Display` is `message`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let e = influx::Error::new(influx::ErrorKind::Decode, "row 2: column `usage` is a string");
    /// assert_eq!(e.to_string(), "row 2: column `usage` is a string");
    /// ```
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self(Box::new(Inner {
            kind,
            message: message.into(),
            status: None,
            server_message: None,
            retry_after: None,
            full_answer: None,
            rejected: Vec::new(),
            attempts: None,
            source: None,
        }))
    }

    /// Replaces the `Display` text.
    pub(crate) fn with_message(mut self, message: String) -> Self {
        self.0.message = message;
        self
    }

    pub(crate) fn with_full_answer(mut self, answer: String) -> Self {
        self.0.full_answer = Some(answer);
        self
    }

    /// The server's whole message, or the bounded one if that is all there is.
    pub(crate) fn full_answer(&self) -> Option<&str> {
        self.0.full_answer.as_deref().or(self.server_message())
    }

    /// Drops the whole message: what is kept of an answer stays bounded.
    pub(crate) fn without_full_answer(mut self) -> Self {
        self.0.full_answer = None;
        self
    }

    /// Attaches the HTTP status the server answered with.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let e = influx::Error::new(influx::ErrorKind::Server, "timeout").with_status(500);
    /// assert_eq!(e.status(), Some(500));
    /// ```
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }

    /// Attaches the server's own error text (from the `error` JSON member or the body).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let e = influx::Error::new(influx::ErrorKind::BadRequest, "bad request")
    ///     .with_server_message("unable to parse 'x': missing fields");
    /// assert_eq!(e.server_message(), Some("unable to parse 'x': missing fields"));
    /// ```
    #[must_use]
    pub fn with_server_message(mut self, message: impl Into<String>) -> Self {
        self.0.server_message = Some(message.into());
        self
    }

    /// Attaches how long the server asked us to wait (`Retry-After`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use std::time::Duration;
    /// let e = influx::Error::new(influx::ErrorKind::Throttled, "slow down").with_retry_after(Duration::from_secs(2));
    /// assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
    /// ```
    #[must_use]
    pub fn with_retry_after(mut self, wait: std::time::Duration) -> Self {
        self.0.retry_after = Some(wait);
        self
    }

    /// Attaches the lines the server named as refused.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::RejectedLine;
    /// let e = influx::Error::new(influx::ErrorKind::PartialWrite, "partial write")
    ///     .with_rejected_lines(vec![RejectedLine::new(3, "bad timestamp")]);
    /// assert_eq!(e.rejected_lines()[0].line, 3);
    /// ```
    #[must_use]
    pub fn with_rejected_lines(mut self, lines: Vec<RejectedLine>) -> Self {
        self.0.rejected = lines;
        self
    }

    /// The lines of a write the server named as refused, by 1-based line
    /// number (3.x; empty when the answer named none).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::Error::new(influx::ErrorKind::BadRequest, "x").rejected_lines().is_empty());
    /// ```
    pub fn rejected_lines(&self) -> &[RejectedLine] {
        &self.0.rejected
    }

    /// How long the server asked us to wait before retrying, if it said.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Error::new(influx::ErrorKind::Throttled, "t").retry_after(), None);
    /// ```
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.0.retry_after
    }

    /// Attaches how many requests were made before this error was final.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let e = influx::Error::new(influx::ErrorKind::Server, "503").with_attempts(6);
    /// assert_eq!(e.attempts(), Some(6));
    /// ```
    #[must_use]
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.0.attempts = Some(attempts);
        self
    }

    /// How many requests were made before this error was final, when it
    /// came from retries (the batching writer's, or a client
    /// [`RetryPolicy`](crate::client::RetryPolicy)'s); the last answer's
    /// status is [`Error::status`]. The official client's `WriteApiError`
    /// carries the same.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Error::new(influx::ErrorKind::Server, "x").attempts(), None);
    /// ```
    pub fn attempts(&self) -> Option<u32> {
        self.0.attempts
    }

    /// Attaches the underlying cause, returned by [`std::error::Error::source`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let io = std::io::Error::other("reset");
    /// let e = influx::Error::new(influx::ErrorKind::Transport, "connection lost").with_source(io);
    /// assert!(std::error::Error::source(&e).is_some());
    /// ```
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    /// Prefixes the message with where the error happened, e.g. `point 3`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let e = influx::Error::new(influx::ErrorKind::Encode, "field `x` is NaN").context("point 3");
    /// assert_eq!(e.to_string(), "point 3: field `x` is NaN");
    /// ```
    #[must_use]
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.0.message = format!("{context}: {}", self.0.message);
        self
    }

    /// What kind of failure this is.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let e = influx::Error::new(influx::ErrorKind::Timeout, "timed out");
    /// assert_eq!(e.kind(), influx::ErrorKind::Timeout);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status of the answer, if the server answered.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Error::new(influx::ErrorKind::Encode, "x").status(), None);
    /// ```
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// The server's own error text, if it gave one: at most 1 KiB of it (longer
    /// text is cut and marked `…[cut, N bytes in all]`), with the request's credentials,
    /// anything that looks like an echoed `Authorization`/`Cookie` header and,
    /// for a non-InfluxDB answer to a write, echoed lines of the payload replaced
    /// by `<redacted>`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Error::new(influx::ErrorKind::Encode, "x").server_message(), None);
    /// ```
    pub fn server_message(&self) -> Option<&str> {
        self.0.server_message.as_deref()
    }

    /// True for failures that may succeed when tried again unchanged:
    /// connection failures, timeouts, transport errors, 429, 503 and most 5xx.
    /// TLS failures ([`ErrorKind::Tls`]) are not: the certificate stays the same.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::{Error, ErrorKind};
    /// assert!(Error::new(ErrorKind::Timeout, "t").is_retryable());
    /// assert!(!Error::new(ErrorKind::PartialWrite, "p").is_retryable());
    /// assert!(!Error::new(ErrorKind::Tls, "unknown issuer").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::Transport | ErrorKind::Throttled | ErrorKind::Server
        )
    }

    /// True if the request timed out.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::Error::new(influx::ErrorKind::Timeout, "t").is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        self.0.kind == ErrorKind::Timeout
    }

    /// True if no connection could be made.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::Error::new(influx::ErrorKind::Connect, "refused").is_connect());
    /// ```
    pub fn is_connect(&self) -> bool {
        self.0.kind == ErrorKind::Connect
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.0.kind).field("message", &self.0.message);
        if let Some(status) = self.0.status {
            d.field("status", &status);
        }
        if let Some(server) = &self.0.server_message {
            d.field("server_message", server);
        }
        if !self.0.rejected.is_empty() {
            d.field("rejected_lines", &self.0.rejected.len());
        }
        if let Some(source) = &self.0.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_ref().map(|s| &**s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_pointer_sized_and_thread_safe() {
        fn assert_traits<T: std::error::Error + Send + Sync + 'static>() {}
        assert_traits::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn display_does_not_repeat_source() {
        let e = Error::new(ErrorKind::Transport, "connection lost").with_source(std::io::Error::other("reset by peer"));
        assert_eq!(e.to_string(), "connection lost");
        assert_eq!(std::error::Error::source(&e).unwrap().to_string(), "reset by peer");
    }
}
