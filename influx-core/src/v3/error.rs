//! InfluxDB 3 error answers: Core and Enterprise's `{"error", "data"}`, the
//! Cloud editions' `{"code", "message", "line"}`, or plain text, mapped onto
//! the crate's one set of error kinds, with every rejected line of a write.

use std::time::Duration;

use serde::Deserialize;

use super::Client;
use crate::client::http::{check_status_scrubbed, status_error};
use crate::error::RejectedLine;
use crate::{Error, ErrorKind, Result};

/// Passes 2xx answers through; turns any other into a typed error, scrubbed
/// of the client's credentials and header values.
pub(crate) async fn check(client: &Client, resp: reqwest::Response) -> Result<reqwest::Response> {
    check_status_scrubbed(resp, from_answer, &client.shared.scrub(&client.auth)).await
}

/// Core/Enterprise (`error`, `data`) and Cloud (`code`, `message`, `line`) in one
/// shape: keys are matched by name, in any order, and any may be missing.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Body {
    error: Option<String>,
    data: Option<Data>,
    code: Option<String>,
    message: Option<String>,
    line: Option<u64>,
}

/// `data` is an array of rejected lines (accept_partial), one object
/// (accept_partial=false), or anything else for other errors.
#[derive(Deserialize)]
#[serde(untagged)]
enum Data {
    Many(Vec<LineError>),
    One(LineError),
    #[allow(dead_code)]
    Other(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct LineError {
    #[serde(alias = "line")]
    line_number: Option<u64>,
    #[serde(alias = "message")]
    error_message: Option<String>,
    original_line: Option<String>,
}

/// An error answer to anything but a write with `accept_partial=false`.
pub(crate) fn from_answer(status: u16, body: &str, header_msg: String, retry_after: Option<Duration>) -> Error {
    parse(status, body, header_msg, retry_after, false)
}

/// An error answer to a write sent with `accept_partial=false`: nothing of it was written.
pub(crate) fn from_strict_write(status: u16, body: &str, header_msg: String, retry_after: Option<Duration>) -> Error {
    parse(status, body, header_msg, retry_after, true)
}

fn parse(status: u16, body: &str, header_msg: String, retry_after: Option<Duration>, strict: bool) -> Error {
    let Ok(b) = serde_json::from_str::<Body>(body) else {
        // Planning errors and some proxies answer in plain text.
        return status_error(status, body, header_msg, retry_after);
    };
    let (message, mut lines) = match (b.error, b.message) {
        (Some(error), _) => {
            let lines = match b.data {
                Some(Data::Many(v)) => v.into_iter().filter_map(LineError::rejected).collect(),
                Some(Data::One(l)) => l.rejected().into_iter().collect(),
                _ => Vec::new(),
            };
            (error, lines)
        }
        (None, Some(message)) => {
            let mut lines = cloud_lines(&message);
            if lines.is_empty() {
                if let Some(n) = b.line.and_then(|n| usize::try_from(n).ok()) {
                    lines.push(RejectedLine::new(n, message.clone()));
                }
            }
            (message, lines)
        }
        (None, None) => (b.code.unwrap_or_default(), Vec::new()),
    };
    // A successful status with a body is a Cloud edition's partial write (201).
    let success = (200..300).contains(&status);
    if lines.is_empty() && !success {
        let text = if message.is_empty() { body.trim() } else { &message };
        return status_error(status, text, header_msg, retry_after);
    }
    lines.sort_by_key(|l| l.line);
    lines.dedup_by_key(|l| l.line);
    let partial = !strict && (success || message.to_ascii_lowercase().contains("partial write"));
    let first = lines.first().map(|l| format!(": line {}: {}", l.line, short(&l.message))).unwrap_or_default();
    let (kind, text) = if partial {
        (ErrorKind::PartialWrite, format!("partial write: the server refused {} line(s){first}", lines.len()))
    } else {
        let kind = match status {
            413 => ErrorKind::PayloadTooLarge,
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::BadRequest,
        };
        (kind, format!("write refused, nothing written: the server refused {} line(s){first}", lines.len()))
    };
    let mut server = message;
    for l in &lines {
        server.push_str(&format!("\nline {}: {}", l.line, l.message));
    }
    let mut err = Error::new(kind, text).with_status(status).with_server_message(server).with_rejected_lines(lines);
    if let Some(d) = retry_after {
        err = err.with_retry_after(d);
    }
    err
}

impl LineError {
    fn rejected(self) -> Option<RejectedLine> {
        let n = usize::try_from(self.line_number?).ok()?;
        let l = RejectedLine::new(n, self.error_message.unwrap_or_default());
        Some(match self.original_line {
            Some(o) => l.with_original(o),
            None => l,
        })
    }
}

/// The lines named in a Cloud edition's message:
/// `error parsing line 2 (1-based): Invalid measurement was provided`, one per line.
fn cloud_lines(message: &str) -> Vec<RejectedLine> {
    const MARK: &str = "error parsing line ";
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        rest = &rest[at + MARK.len()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(n) = rest[..digits].parse::<usize>() else { continue };
        let mut text = &rest[digits..];
        text = text.strip_prefix(" (1-based)").unwrap_or(text);
        text = text.strip_prefix(':').unwrap_or(text);
        let end =
            [text.find('\n'), text.find(MARK), text.find("</n>")].into_iter().flatten().min().unwrap_or(text.len());
        out.push(RejectedLine::new(n, text[..end].trim()));
        rest = &text[end..];
    }
    out
}

fn short(s: &str) -> &str {
    if s.len() <= 200 {
        return s;
    }
    let cut = (0..=200).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
    &s[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORE_PARTIAL: &str = include_str!("examples/v3-core-write-lp-accept-partial.json");
    const CORE_STRICT: &str = include_str!("examples/v3-core-write-lp-reject-partial.json");
    const CLOUD: &str = include_str!("examples/v3-cloud-dedicated-rejected-points.json");

    fn compact(pretty: &str) -> String {
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(pretty).unwrap()).unwrap()
    }

    #[test]
    fn core_partial_write_in_pretty_and_compact_form() {
        for body in [CORE_PARTIAL.to_owned(), compact(CORE_PARTIAL)] {
            let e = from_answer(400, &body, String::new(), None);
            assert_eq!(e.kind(), ErrorKind::PartialWrite, "{body}");
            let l = &e.rejected_lines()[0];
            assert_eq!(e.rejected_lines().len(), 1);
            assert_eq!(l.line, 2);
            assert_eq!(l.original.as_deref(), Some("home,room=Sunroom temp=hi 1735549200"));
            assert!(l.message.starts_with("invalid column type for column 'temp'"), "{}", l.message);
            assert!(e.to_string().starts_with("partial write: the server refused 1 line(s): line 2: invalid column"));
        }
    }

    #[test]
    fn core_strict_write_refuses_everything() {
        for body in [CORE_STRICT.to_owned(), compact(CORE_STRICT)] {
            // Whatever the request said, this wording and a single `data` object mean nothing was written.
            for e in [from_answer(400, &body, String::new(), None), from_strict_write(400, &body, String::new(), None)]
            {
                assert_eq!(e.kind(), ErrorKind::BadRequest);
                assert_eq!(e.rejected_lines()[0].line, 2);
                assert!(e.to_string().starts_with("write refused, nothing written"), "{e}");
            }
        }
        // Newer servers word it differently; accept_partial=false decides, not the wording.
        let newer = r#"{"data":{"line_number":1,"error_message":"No fields were provided","original_line":"m"},"error":"line protocol parsing error"}"#;
        let e = from_strict_write(400, newer, String::new(), None);
        assert_eq!((e.kind(), e.rejected_lines()[0].line), (ErrorKind::BadRequest, 1));
        // A partial-write wording with accept_partial=false is still "nothing written".
        let e = from_strict_write(400, &compact(CORE_PARTIAL), String::new(), None);
        assert_eq!(e.kind(), ErrorKind::BadRequest);
    }

    #[test]
    fn core_key_order_and_extra_keys_do_not_matter() {
        let body = r#"{"data":[{"error_message":"bad b","line_number":5,"original_line":"b"},{"line_number":3,"error_message":"bad a","extra":1}],"error":"partial write of line protocol occurred"}"#;
        let e = from_answer(400, body, String::new(), None);
        assert_eq!(e.kind(), ErrorKind::PartialWrite);
        let got: Vec<(usize, &str)> = e.rejected_lines().iter().map(|l| (l.line, l.message.as_str())).collect();
        assert_eq!(got, vec![(3, "bad a"), (5, "bad b")]);
        // All lines rejected by 1.x-compatible /write: same body shape, another wording.
        let all = r#"{"error":"write of line protocol failed","data":[{"original_line":"home,room=Kitchen temp=hi","line_number":2,"error_message":"No fields were provided"}]}"#;
        assert_eq!(from_answer(400, all, String::new(), None).kind(), ErrorKind::BadRequest);
    }

    #[test]
    fn cloud_rejections_name_every_line() {
        for body in [CLOUD.to_owned(), compact(CLOUD)] {
            let e = from_answer(400, &body, String::new(), None);
            assert_eq!(e.kind(), ErrorKind::BadRequest, "400 from a Cloud edition: nothing written");
            let got: Vec<(usize, &str)> = e.rejected_lines().iter().map(|l| (l.line, l.message.as_str())).collect();
            assert_eq!(
                got,
                vec![
                    (2, "Invalid measurement was provided"),
                    (4, "Unable to parse timestamp value '123461000000000000000000000000'")
                ]
            );
            // 201: partial writes are configured on the cluster; the rest was written.
            assert_eq!(from_answer(201, &body, String::new(), None).kind(), ErrorKind::PartialWrite);
        }
        // Only `line`: the first rejected line, with the whole message.
        let e = from_answer(400, r#"{"line":7,"message":"invalid field","code":"invalid"}"#, String::new(), None);
        assert_eq!((e.rejected_lines().len(), e.rejected_lines()[0].line), (1, 7));
        // The contract's example separates entries with `</n>`.
        let m = r#"{"code":"invalid","line":2,"message":"failed to parse line protocol: errors encountered on line(s): error parsing line 2 (1-based): a</n> error parsing line 3 (1-based): b"}"#;
        let e = from_answer(201, m, String::new(), None);
        let got: Vec<(usize, &str)> = e.rejected_lines().iter().map(|l| (l.line, l.message.as_str())).collect();
        assert_eq!(got, vec![(2, "a"), (3, "b")]);
    }

    #[test]
    fn other_errors_keep_their_kinds() {
        assert_eq!(from_answer(401, "", String::new(), None).kind(), ErrorKind::Unauthorized);
        assert_eq!(
            from_answer(401, r#"{"error":"the request was not authorized","data":null}"#, String::new(), None).kind(),
            ErrorKind::Unauthorized
        );
        let e = from_answer(404, r#"{"error":"database not found: nope"}"#, String::new(), None);
        assert_eq!(e.kind(), ErrorKind::DatabaseNotFound);
        let e = from_answer(500, "Error during planning: table 'x' not found", String::new(), None);
        assert_eq!(e.kind(), ErrorKind::Server);
        assert!(e.to_string().contains("table 'x' not found"), "{e}");
        let e = from_answer(429, "", String::new(), Some(Duration::from_secs(2)));
        assert_eq!((e.kind(), e.retry_after()), (ErrorKind::Throttled, Some(Duration::from_secs(2))));
        let e = from_answer(
            413,
            r#"{"code":"request too large","message":"points batch is too large"}"#,
            String::new(),
            None,
        );
        assert_eq!(e.kind(), ErrorKind::PayloadTooLarge);
    }
}
