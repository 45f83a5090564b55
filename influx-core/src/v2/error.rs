//! InfluxDB 2.x error answers: JSON `{"code", "message", "line"?}` mapped onto
//! the crate's one set of error kinds.

use std::time::Duration;

use super::Client;
use crate::client::http::{check_status_scrubbed, status_error};
use crate::{Error, ErrorKind, Result};

#[derive(serde::Deserialize)]
struct Body {
    code: Option<String>,
    message: Option<String>,
    line: Option<u64>,
}

/// Passes 2xx answers through; turns any other into a typed error, scrubbed
/// of the client's credentials and header values.
pub(crate) async fn check(client: &Client, resp: reqwest::Response) -> Result<reqwest::Response> {
    check_status_scrubbed(resp, from_answer, &client.shared.scrub(&client.auth)).await
}

pub(crate) fn from_answer(status: u16, body: &str, header_msg: String, retry_after: Option<Duration>) -> Error {
    let (code, message, line) = match serde_json::from_str::<Body>(body) {
        Ok(b) => (b.code, b.message.unwrap_or_default(), b.line),
        Err(_) => (None, body.trim().to_owned(), None),
    };
    let mut text = if message.is_empty() { header_msg } else { message.clone() };
    if let Some(l) = line {
        text = format!("{text} (line {l})");
    }
    // 2.x names a missing bucket with a 404 `not found`; 1.x's `database not found` test misses it.
    if status == 404 && code.as_deref() == Some("not found") && message.starts_with("bucket") {
        return Error::new(ErrorKind::DatabaseNotFound, format!("bucket not found: {message}"))
            .with_status(404)
            .with_server_message(message);
    }
    status_error(status, &text, String::new(), retry_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_bodies_map_to_kinds() {
        let e = from_answer(
            400,
            r#"{"code":"invalid","message":"partial write error (5 accepted): 1 out of 6 points rejected (check rejected_points in your _monitoring bucket for further information)"}"#,
            String::new(),
            None,
        );
        assert_eq!(e.kind(), ErrorKind::PartialWrite);
        let e = from_answer(
            400,
            r#"{"code":"invalid","message":"unable to parse 'x': missing fields","line":3}"#,
            String::new(),
            None,
        );
        assert_eq!(e.kind(), ErrorKind::BadRequest);
        assert!(e.to_string().contains("(line 3)"), "{e}");
        let e = from_answer(404, r#"{"code":"not found","message":"bucket \"nope\" not found"}"#, String::new(), None);
        assert_eq!(e.kind(), ErrorKind::DatabaseNotFound);
        assert_eq!(
            from_answer(401, r#"{"code":"unauthorized","message":"unauthorized access"}"#, String::new(), None).kind(),
            ErrorKind::Unauthorized
        );
        let e = from_answer(429, "", String::new(), Some(Duration::from_secs(3)));
        assert_eq!((e.kind(), e.retry_after()), (ErrorKind::Throttled, Some(Duration::from_secs(3))));
        assert_eq!(
            from_answer(
                413,
                r#"{"code":"request too large","message":"unable to read data: points batch is too large"}"#,
                String::new(),
                None
            )
            .kind(),
            ErrorKind::PayloadTooLarge
        );
    }
}
