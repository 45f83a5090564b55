//! Sending requests and turning answers into typed errors.

use std::time::Duration;

use crate::{Error, ErrorKind, Result};

/// A transport failure, with the URL stripped (it never holds credentials, but
/// it may hold a query's text).
pub(crate) fn transport(e: reqwest::Error) -> Error {
    let (kind, what) = if e.is_timeout() && e.is_connect() {
        (ErrorKind::Timeout, "connecting to the server timed out (connect_timeout)")
    } else if e.is_timeout() {
        (ErrorKind::Timeout, "request timed out")
    } else if e.is_connect() {
        (ErrorKind::Connect, "cannot connect to the server")
    } else if e.is_decode() || e.is_body() {
        (ErrorKind::Transport, "reading the answer failed")
    } else {
        (ErrorKind::Transport, "request failed")
    };
    Error::new(kind, what).with_source(e.without_url())
}

/// Passes 2xx answers through; turns any other into an error with the server's message.
pub(crate) async fn check_status(resp: reqwest::Response) -> Result<reqwest::Response> {
    let status = resp.status().as_u16();
    if resp.status().is_success() {
        return Ok(resp);
    }
    let retry_after = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
    let header_msg =
        resp.headers().get("x-influxdb-error").and_then(|v| v.to_str().ok()).map(str::to_owned).unwrap_or_default();
    let body = resp.text().await.unwrap_or_default();
    Err(status_error(status, &body, header_msg, retry_after))
}

pub(crate) fn status_error(status: u16, body: &str, header_msg: String, retry_after: Option<Duration>) -> Error {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        error: String,
    }
    let message = match serde_json::from_str::<ErrorBody>(body) {
        Ok(b) => b.error,
        Err(_) if !body.trim().is_empty() => body.trim().to_owned(),
        Err(_) => header_msg,
    };
    let kind = match status {
        400 if message.starts_with("partial write") => ErrorKind::PartialWrite,
        400 => ErrorKind::BadRequest,
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 if message.starts_with("database not found") => ErrorKind::DatabaseNotFound,
        413 => ErrorKind::PayloadTooLarge,
        429 | 503 => ErrorKind::Throttled,
        // "retention policy not found" is a 500 but never succeeds when retried (influxdb#9183).
        500 if message.starts_with("retention policy not found") => ErrorKind::BadRequest,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Status,
    };
    let what = match kind {
        ErrorKind::PartialWrite => "partial write".to_owned(),
        ErrorKind::Unauthorized => "unauthorized".to_owned(),
        ErrorKind::Forbidden => "forbidden".to_owned(),
        ErrorKind::DatabaseNotFound => "database not found".to_owned(),
        ErrorKind::PayloadTooLarge => "request body too large".to_owned(),
        ErrorKind::Throttled => "server throttled the request".to_owned(),
        _ => format!("server answered {status}"),
    };
    let text = if message.is_empty() {
        what
    } else if message.starts_with(&what) {
        short(&message).to_owned()
    } else {
        format!("{what}: {}", short(&message))
    };
    let mut err = Error::new(kind, text).with_status(status).with_server_message(message);
    if let Some(d) = retry_after {
        err = err.with_retry_after(d);
    }
    err
}

/// Keeps an error line short: the server echoes whole rejected lines.
fn short(s: &str) -> &str {
    let line = s.lines().next().unwrap_or("");
    if line.len() <= 300 {
        return line;
    }
    let cut = (0..=300).rev().find(|&i| line.is_char_boundary(i)).unwrap_or(0);
    &line[..cut]
}

/// `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        let e = status_error(400, r#"{"error":"partial write: field type conflict dropped=1"}"#, String::new(), None);
        assert_eq!(e.kind(), ErrorKind::PartialWrite);
        assert_eq!(e.to_string(), "partial write: field type conflict dropped=1");
        assert_eq!(e.server_message(), Some("partial write: field type conflict dropped=1"));
        assert_eq!(
            status_error(503, "request throttled, queue full\n", String::new(), None).kind(),
            ErrorKind::Throttled
        );
        let e = status_error(500, r#"{"error":"retention policy not found: x"}"#, String::new(), None);
        assert!(!e.is_retryable());
        assert_eq!(status_error(502, "", "bad gateway".into(), None).kind(), ErrorKind::Server);
        assert_eq!(status_error(404, "", String::new(), None).kind(), ErrorKind::Status);
    }

    #[test]
    fn retry_after_both_forms() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
