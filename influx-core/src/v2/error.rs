//! InfluxDB 2.x error answers: JSON `{"code", "message", "line"?}` mapped onto
//! the crate's one set of error kinds.

use crate::client::http::{parse_retry_after, status_error, transport};
use crate::{Error, ErrorKind, Result};

#[derive(serde::Deserialize)]
struct Body {
    code: Option<String>,
    message: Option<String>,
    line: Option<u64>,
}

/// Passes 2xx answers through; turns any other into a typed error.
pub(crate) async fn check(resp: reqwest::Response) -> Result<reqwest::Response> {
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status().as_u16();
    let retry_after = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
    let body = resp.bytes().await.map_err(transport)?;
    Err(from_answer(status, &body, retry_after))
}

pub(crate) fn from_answer(status: u16, body: &[u8], retry_after: Option<std::time::Duration>) -> Error {
    let parsed = serde_json::from_slice::<Body>(body).ok();
    let (code, message, line) = match parsed {
        Some(b) => (b.code, b.message.unwrap_or_default(), b.line),
        None => (None, String::from_utf8_lossy(body).trim().to_owned(), None),
    };
    let mut text = message.clone();
    if let Some(l) = line {
        text = format!("{text} (line {l})");
    }
    let err = status_error(status, &text, String::new(), retry_after);
    // 2.x names a missing bucket with a 404 `not found`; 1.x's `database not found` test misses it.
    if status == 404 && code.as_deref() == Some("not found") && message.starts_with("bucket") {
        return Error::new(ErrorKind::DatabaseNotFound, format!("bucket not found: {message}"))
            .with_status(404)
            .with_server_message(message);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_bodies_map_to_kinds() {
        let e = from_answer(
            400,
            br#"{"code":"invalid","message":"partial write error (5 accepted): 1 out of 6 points rejected (check rejected_points in your _monitoring bucket for further information)"}"#,
            None,
        );
        assert_eq!(e.kind(), ErrorKind::PartialWrite);
        let e =
            from_answer(400, br#"{"code":"invalid","message":"unable to parse 'x': missing fields","line":3}"#, None);
        assert_eq!(e.kind(), ErrorKind::BadRequest);
        assert!(e.to_string().contains("(line 3)"), "{e}");
        let e = from_answer(404, br#"{"code":"not found","message":"bucket \"nope\" not found"}"#, None);
        assert_eq!(e.kind(), ErrorKind::DatabaseNotFound);
        assert_eq!(
            from_answer(401, br#"{"code":"unauthorized","message":"unauthorized access"}"#, None).kind(),
            ErrorKind::Unauthorized
        );
        let e = from_answer(429, b"", Some(std::time::Duration::from_secs(3)));
        assert_eq!((e.kind(), e.retry_after()), (ErrorKind::Throttled, Some(std::time::Duration::from_secs(3))));
        assert_eq!(
            from_answer(
                413,
                br#"{"code":"request too large","message":"unable to read data: points batch is too large"}"#,
                None
            )
            .kind(),
            ErrorKind::PayloadTooLarge
        );
    }
}
