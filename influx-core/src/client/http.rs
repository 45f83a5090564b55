//! Sending requests and turning answers into typed errors.
//!
//! What an error keeps of a server's answer is bounded and scrubbed (see
//! [`Scrub`]): a proxy may echo the request's headers or body into its error
//! page, and InfluxDB echoes unparsable lines.

use std::borrow::Cow;
use std::collections::HashSet;
use std::time::Duration;

use crate::{Error, ErrorKind, Result};

/// At most this many bytes of a server's message are kept in an [`Error`].
pub(crate) const MAX_SERVER_MESSAGE: usize = 1024;
/// What replaces a secret, an echoed header value or an echoed payload line.
const REDACTED: &str = "<redacted>";
/// Secrets shorter than this are not searched for: scrubbing every `ab` of a
/// message would garble it and hides nothing worth hiding.
const MIN_SECRET: usize = 3;
/// Header names whose echoed values are redacted from non-InfluxDB answers.
const SENSITIVE_HEADERS: [&str; 4] = ["authorization", "cookie", "x-api-key", "x-auth-token"];

/// A transport failure, with the URL stripped (it never holds credentials, but
/// it may hold a query's text). A refused certificate is [`ErrorKind::Tls`].
pub(crate) fn transport(e: reqwest::Error) -> Error {
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
    if let Some(tls) = tls_failure(&e) {
        return Error::new(ErrorKind::Tls, tls_message(tls)).with_source(e.without_url());
    }
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

#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
/// The rustls error somewhere in `e`'s chain. `io::Error::source` skips the
/// error it wraps, so wrapped errors are looked into with `get_ref`.
pub(crate) fn tls_failure<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<rustls::Error>() {
            return Some(t);
        }
        cur = match err.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}

#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
pub(crate) fn tls_message(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let why: Cow<'_, str> = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => "the server's certificate is not signed by a trusted CA (unknown issuer)".into(),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "the server's certificate is not valid for this host name".into()
            }
            C::Expired | C::ExpiredContext { .. } => "the server's certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => "the server's certificate is not valid yet".into(),
            C::Revoked => "the server's certificate is revoked".into(),
            C::BadSignature => "the server's certificate has a bad signature".into(),
            other => format!("the server's certificate is refused ({other:?})").into(),
        },
        other => return format!("TLS handshake failed: {other}"),
    };
    format!("TLS certificate verification failed: {why}")
}

/// What an error built from a server's answer must not show: the request's
/// secrets (credentials, custom header values, passwords in the statement)
/// and, for a write, its payload.
#[derive(Default)]
pub(crate) struct Scrub<'a> {
    secrets: Vec<Cow<'a, str>>,
    payload: Option<&'a [u8]>,
}

impl<'a> Scrub<'a> {
    /// `s`, and `s` form-encoded as a query or form body carries it (an echoed
    /// `q=SET+PASSWORD+...`).
    pub(crate) fn secret(mut self, s: &'a str) -> Self {
        if s.len() >= MIN_SECRET {
            let encoded: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            if encoded != s {
                self.secrets.push(Cow::Owned(encoded));
            }
            self.secrets.push(Cow::Borrowed(s));
        }
        self
    }

    pub(crate) fn secrets(mut self, all: impl IntoIterator<Item = &'a str>) -> Self {
        for s in all {
            self = self.secret(s);
        }
        self
    }

    pub(crate) fn payload(mut self, body: &'a [u8]) -> Self {
        self.payload = Some(body);
        self
    }

    /// A server's own text as an error may show it: free of the secrets and
    /// bounded to [`MAX_SERVER_MESSAGE`] (for answers that are not HTTP bodies,
    /// such as a gRPC status message).
    #[cfg(feature = "flight")]
    pub(crate) fn clean(&self, text: &str) -> String {
        bounded(&self.secrets_in(text), MAX_SERVER_MESSAGE)
    }

    /// Replaces every secret in `text`.
    fn secrets_in<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        // Longest first, so a secret containing another is replaced whole.
        let mut secrets = self.secrets.clone();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for s in secrets {
            if out.contains(&*s) {
                out = Cow::Owned(out.replace(&*s, REDACTED));
            }
        }
        out
    }

    /// Replaces text of the payload echoed in `text`: any payload line of 8
    /// bytes or more found in it. Indexed by 8-byte windows of `text` (which
    /// is short), so a large payload costs one pass.
    fn payload_in(&self, text: &str) -> String {
        const W: usize = 8;
        let Some(payload) = self.payload else { return text.to_owned() };
        let windows: HashSet<&[u8]> = text.as_bytes().windows(W).collect();
        let mut out = text.to_owned();
        if windows.is_empty() {
            return out;
        }
        for line in payload.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() < W || !windows.contains(&line[..W]) {
                continue;
            }
            if let Ok(line) = std::str::from_utf8(line) {
                if out.contains(line) {
                    out = out.replace(line, REDACTED);
                }
            }
        }
        out
    }
}

/// Passes 2xx answers through; turns any other into an error with the server's
/// message, bounded and scrubbed of `scrub`'s secrets.
pub(crate) async fn check_status(resp: reqwest::Response, scrub: &Scrub<'_>) -> Result<reqwest::Response> {
    check_status_scrubbed(resp, status_error, scrub).await
}

/// Reads an error answer (status, body, `X-Influxdb-Error`, `Retry-After`) and
/// lets the API generation's `parse` turn it into an error, bounded, free of
/// echoed headers and scrubbed of `scrub`'s secrets and payload.
pub(crate) async fn check_status_scrubbed(
    mut resp: reqwest::Response,
    parse: ErrorParser,
    scrub: &Scrub<'_>,
) -> Result<reqwest::Response> {
    let status = resp.status().as_u16();
    if resp.status().is_success() {
        return Ok(resp);
    }
    let retry_after = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
    let header_msg =
        resp.headers().get("x-influxdb-error").and_then(|v| v.to_str().ok()).map(str::to_owned).unwrap_or_default();
    // InfluxDB's message names each unparsable line, so it can be as long as the
    // payload; any other body is read only as far as it could be shown.
    let limit = scrub.payload.map_or(0, |p| p.len().saturating_mul(2)) + 64 * 1024;
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() >= limit {
            break;
        }
    }
    let body = String::from_utf8_lossy(&body);
    Err(scrubbed(parse(status, &body, header_msg, retry_after), &body, scrub))
}

/// [`check_status_scrubbed`] for a write: 3.x Cloud editions answer a partial
/// write with 201 and the refused lines, which `parse` reads as an error; a
/// 201 with an empty body (or `{}`) is a plain success.
pub(crate) async fn check_write_scrubbed(resp: reqwest::Response, parse: ErrorParser, scrub: &Scrub<'_>) -> Result<()> {
    if resp.status().as_u16() == 201 {
        let body = resp.text().await.map_err(transport)?;
        return match body.trim() {
            "" | "{}" => Ok(()),
            text => Err(scrubbed(parse(201, text, String::new(), None), text, scrub)),
        };
    }
    check_status_scrubbed(resp, parse, scrub).await.map(drop)
}

/// `err` as the caller may see it: its text and server message free of
/// `scrub`'s secrets, and the server message bounded to [`MAX_SERVER_MESSAGE`].
/// A body that is not a JSON object comes from something between us and
/// InfluxDB (a proxy's error page) and may echo the request: echoed sensitive
/// headers and payload lines are redacted from it too. InfluxDB's whole
/// message, free of secrets only, stays in the error for the writer
/// (`Error::full_answer`), which maps the refused lines it names.
fn scrubbed(err: Error, body: &str, scrub: &Scrub<'_>) -> Error {
    let body = body.trim();
    let foreign = !body.is_empty() && serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(body).is_err();
    let clean = |text: &str, max: usize| {
        let text = scrub.secrets_in(text);
        if foreign {
            let clean = scrub.payload_in(&header_echoes(prefix(&text, 4 * max)));
            bounded_of(&clean, max, text.len() > 4 * max, text.len())
        } else {
            bounded(&text, max)
        }
    };
    let message = clean(&err.to_string(), MAX_SERVER_MESSAGE);
    let full = err.server_message().map(|m| scrub.secrets_in(m).into_owned());
    let mut err = err.with_message(message);
    if let Some(full) = full {
        err = err.with_server_message(clean(&full, MAX_SERVER_MESSAGE));
        // Only InfluxDB's own message is worth keeping whole (it names refused lines).
        if !foreign {
            err = err.with_full_answer(full);
        }
    }
    err
}

/// Turns an error answer into an [`Error`]: `(status, body, X-Influxdb-Error, Retry-After)`.
pub(crate) type ErrorParser = fn(u16, &str, String, Option<Duration>) -> Error;

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

/// `s` cut to at most `max` bytes (at a character boundary) and marked if cut.
pub(crate) fn bounded(s: &str, max: usize) -> String {
    bounded_of(s, max, false, s.len())
}

/// [`bounded`] for `s` taken (and maybe already cut) from a text of `total` bytes.
fn bounded_of(s: &str, max: usize, cut_before: bool, total: usize) -> String {
    let kept = prefix(s, max);
    if kept.len() == s.len() && !cut_before {
        return s.to_owned();
    }
    format!("{kept}…[cut, {total} bytes in all]")
}

fn prefix(s: &str, max: usize) -> &str {
    let cut = (0..=max.min(s.len())).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
    &s[..cut]
}

/// Redacts what follows a sensitive header name and `:`/`=` (an echoed
/// `Authorization: Basic ...`, `"cookie": "..."`) up to the end of its line.
fn header_echoes(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while pos < text.len() {
        let hit = SENSITIVE_HEADERS
            .iter()
            .filter_map(|h| lower[pos..].find(h).map(|i| (pos + i, pos + i + h.len())))
            .min_by_key(|&(start, _)| start);
        let Some((_, name_end)) = hit else { break };
        let rest = &text[name_end..];
        let skip = rest.len() - rest.trim_start_matches(['"', '\'', ' ', '\t']).len();
        if matches!(rest.as_bytes().get(skip), Some(b':' | b'=')) {
            let line_end = text[name_end..].find('\n').map_or(text.len(), |i| name_end + i);
            out.push_str(&text[pos..name_end + skip + 1]);
            out.push(' ');
            out.push_str(REDACTED);
            pos = line_end;
        } else {
            out.push_str(&text[pos..name_end]);
            pos = name_end;
        }
    }
    out.push_str(&text[pos..]);
    out
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
        // InfluxDB Enterprise's missed write consistency is a 500, never a partial write.
        for body in [r#"{"error":"partial write"}"#, r#"{"error":"write failed: hinted handoff queue not empty"}"#] {
            let e = status_error(500, body, String::new(), None);
            assert!(e.kind() == ErrorKind::Server && e.is_retryable(), "{e:?}");
        }
        assert_eq!(status_error(404, "", String::new(), None).kind(), ErrorKind::Status);
    }

    fn answer(status: u16, body: &str, scrub: &Scrub<'_>) -> Error {
        scrubbed(status_error(status, body, String::new(), None), body, scrub)
    }

    #[test]
    fn influx_messages_are_bounded_but_kept_whole_for_the_writer() {
        let lines: Vec<String> =
            (0..100).map(|i| format!("unable to parse 'bad line {i:03}': invalid field format")).collect();
        let message = format!("partial write: {} dropped=0", lines.join("\n"));
        let body = serde_json::json!({ "error": message }).to_string();
        let e = answer(400, &body, &Scrub::default());
        assert_eq!(e.kind(), ErrorKind::PartialWrite);
        assert_eq!(e.full_answer(), Some(message.as_str()));
        let shown = e.server_message().unwrap();
        assert!(shown.len() < MAX_SERVER_MESSAGE + 40, "{}", shown.len());
        assert!(shown.starts_with("partial write: unable to parse 'bad line 000'"), "{shown}");
        assert!(shown.ends_with(&format!("…[cut, {} bytes in all]", message.len())), "{shown}");
        assert!(!format!("{e:?}").contains("bad line 099"));
        // Short messages are kept as they are.
        assert_eq!(bounded("é".repeat(10).as_str(), 100), "é".repeat(10));
        assert_eq!(bounded("éé", 3), "é…[cut, 4 bytes in all]");
    }

    #[test]
    fn secrets_header_echoes_and_payload_are_scrubbed() {
        let payload = b"cpu,host=server-01 usage=0.5 1\ncpu,host=server-02 usage=0.7 2\nm v=1";
        let echo = "502 Bad Gateway\nupstream said no to: POST /write?db=x\nAuthorization: Basic dXNlcjpodW50ZXIy\n\
                    Cookie: session=abc123\n{\"x-api-key\": \"k-999\"}\ncpu,host=server-02 usage=0.7 2\nproxy-authorization=zzz\nthe end\n\
                    q=SET+PASSWORD+FOR+u+%3D+%27pw%3A1+x%27";
        let scrub = Scrub::default()
            .secret("hunter2")
            .secret("dXNlcjpodW50ZXIy")
            .secret("ab")
            .secret("pw:1 x")
            .payload(payload);
        let e = answer(502, echo, &scrub);
        let shown = format!("{e} {e:?} {}", e.server_message().unwrap());
        for leak in ["dXNlcjpodW50ZXIy", "abc123", "k-999", "server-02", "zzz", "pw%3A1+x"] {
            assert!(!shown.contains(leak), "{leak} in {shown}");
        }
        assert!(
            shown.contains("502 Bad Gateway") && shown.contains("the end") && shown.contains("<redacted>"),
            "{shown}"
        );
        // Nothing more of a foreign answer is kept than what is shown.
        assert_eq!(e.full_answer(), e.server_message());
        // An InfluxDB message is the server naming lines: only secrets go.
        let body = r#"{"error":"unable to parse 'm,authorization=hunter2 v=1': bad"}"#;
        let e = answer(400, body, &scrub);
        assert_eq!(e.full_answer(), Some("unable to parse 'm,authorization=<redacted> v=1': bad"));
        assert_eq!(e.server_message(), e.full_answer());
        assert_eq!(e.to_string(), "server answered 400: unable to parse 'm,authorization=<redacted> v=1': bad");
    }

    #[test]
    fn retry_after_both_forms() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
