//! A small HTTP/1.1 implementation for the replay server and the recorder:
//! request and response heads, `Content-Length` and chunked bodies,
//! keep-alive. Only what a test server needs; every read is bounded.

use std::io;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest request or response head accepted (request line plus headers).
const MAX_HEAD: usize = 64 * 1024;
/// The largest body accepted, so a broken peer cannot exhaust memory.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// One request as it arrived, its body de-chunked but not decompressed.
#[derive(Debug, Clone)]
pub(crate) struct WireRequest {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) version: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl WireRequest {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Whether the connection stays open after the answer.
    pub(crate) fn keep_alive(&self) -> bool {
        let conn = self.header("connection").map(str::to_ascii_lowercase);
        match conn.as_deref() {
            Some(c) if c.split(',').any(|t| t.trim() == "close") => false,
            Some(c) if c.split(',').any(|t| t.trim() == "keep-alive") => true,
            _ => self.version == "HTTP/1.1",
        }
    }
}

/// One response as read from an upstream server, de-chunked.
#[derive(Debug, Clone)]
pub(crate) struct WireResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// The first header `name` (case-insensitive).
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// Reads one line ending in `\n` (the `\r` is optional, as RFC 9112 allows), within `budget` bytes.
async fn read_line<R: AsyncBufRead + Unpin>(r: &mut R, budget: &mut usize) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    let n = (&mut *r).take(*budget as u64 + 1).read_until(b'\n', &mut line).await?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget {
        return Err(bad("HTTP head too large"));
    }
    *budget -= n;
    if line.last() != Some(&b'\n') {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed inside an HTTP head"));
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line).map(Some).map_err(|_| bad("HTTP head is not UTF-8"))
}

/// Reads header lines up to the blank line.
async fn read_headers<R: AsyncBufRead + Unpin>(r: &mut R, budget: &mut usize) -> io::Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let line = read_line(r, budget).await?.ok_or_else(|| bad("connection closed inside HTTP headers"))?;
        if line.is_empty() {
            return Ok(headers);
        }
        let (k, v) = line.split_once(':').ok_or_else(|| bad(format!("malformed header line {line:?}")))?;
        if k.is_empty() || k.bytes().any(|b| b.is_ascii_whitespace()) {
            return Err(bad(format!("malformed header name {k:?}")));
        }
        headers.push((k.to_owned(), v.trim().to_owned()));
    }
}

/// How a message body is delimited.
enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
    None,
}

fn framing(headers: &[(String, String)], default: Framing) -> io::Result<Framing> {
    if let Some(te) = header(headers, "transfer-encoding") {
        if te.split(',').next_back().map(str::trim).is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
            return Ok(Framing::Chunked);
        }
        return Err(bad(format!("unsupported Transfer-Encoding {te:?}")));
    }
    let mut lengths = headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("content-length"));
    if let Some((_, v)) = lengths.next() {
        let n: usize = v.parse().map_err(|_| bad(format!("invalid Content-Length {v:?}")))?;
        if lengths.any(|(_, w)| w != v) {
            return Err(bad("conflicting Content-Length headers"));
        }
        if n > MAX_BODY {
            return Err(bad(format!("body of {n} bytes is larger than the {MAX_BODY} bytes accepted")));
        }
        return Ok(Framing::Length(n));
    }
    Ok(default)
}

async fn read_body<R: AsyncBufRead + Unpin>(r: &mut R, framing: Framing) -> io::Result<Vec<u8>> {
    match framing {
        Framing::None => Ok(Vec::new()),
        Framing::Length(n) => {
            let mut body = vec![0; n];
            r.read_exact(&mut body).await?;
            Ok(body)
        }
        Framing::UntilClose => {
            let mut body = Vec::new();
            (&mut *r).take(MAX_BODY as u64 + 1).read_to_end(&mut body).await?;
            if body.len() > MAX_BODY {
                return Err(bad("body too large"));
            }
            Ok(body)
        }
        Framing::Chunked => {
            let mut body = Vec::new();
            loop {
                let mut budget = MAX_HEAD;
                let line = read_line(r, &mut budget).await?.ok_or_else(|| bad("connection closed inside a chunk"))?;
                let size = line.split(';').next().unwrap_or("").trim();
                let size = usize::from_str_radix(size, 16).map_err(|_| bad(format!("invalid chunk size {line:?}")))?;
                if size == 0 {
                    // Trailers, then the blank line.
                    read_headers(r, &mut budget).await?;
                    return Ok(body);
                }
                if body.len() + size > MAX_BODY {
                    return Err(bad("chunked body too large"));
                }
                let start = body.len();
                body.resize(start + size, 0);
                r.read_exact(&mut body[start..]).await?;
                let mut crlf = [0u8; 2];
                r.read_exact(&mut crlf).await?;
                if &crlf != b"\r\n" {
                    return Err(bad("chunk not followed by CRLF"));
                }
            }
        }
    }
}

/// Reads the next request on a connection; `None` when the peer closed it cleanly between requests.
/// Answers `Expect: 100-continue` before reading the body.
pub(crate) async fn read_request<R, W>(r: &mut R, w: &mut W) -> io::Result<Option<WireRequest>>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut budget = MAX_HEAD;
    // RFC 9112 §2.2: ignore empty lines before a request line.
    let line = loop {
        match read_line(r, &mut budget).await? {
            None => return Ok(None),
            Some(l) if l.is_empty() => continue,
            Some(l) => break l,
        }
    };
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad(format!("malformed request line {line:?}")));
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || !target.starts_with('/') {
        return Err(bad(format!("malformed request line {line:?}")));
    }
    let headers = read_headers(r, &mut budget).await?;
    let framing = framing(&headers, Framing::None)?;
    if header(&headers, "expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
        w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        w.flush().await?;
    }
    let body = read_body(r, framing).await?;
    Ok(Some(WireRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        version: version.to_owned(),
        headers,
        body,
    }))
}

/// Reads a response to a request made with `method`.
pub(crate) async fn read_response<R: AsyncBufRead + Unpin>(r: &mut R, method: &str) -> io::Result<WireResponse> {
    loop {
        let mut budget = MAX_HEAD;
        let line = read_line(r, &mut budget).await?.ok_or_else(|| bad("connection closed before a response"))?;
        let mut parts = line.splitn(3, ' ');
        let (Some(version), Some(status)) = (parts.next(), parts.next()) else {
            return Err(bad(format!("malformed status line {line:?}")));
        };
        if !version.starts_with("HTTP/1.") {
            return Err(bad(format!("malformed status line {line:?}")));
        }
        let status: u16 = status.parse().map_err(|_| bad(format!("malformed status line {line:?}")))?;
        let headers = read_headers(r, &mut budget).await?;
        if (100..200).contains(&status) {
            continue;
        }
        let framing = if method.eq_ignore_ascii_case("HEAD") || status == 204 || status == 304 {
            Framing::None
        } else {
            framing(&headers, Framing::UntilClose)?
        };
        let body = read_body(r, framing).await?;
        return Ok(WireResponse { status, headers, body });
    }
}

/// The reason phrase for common status codes.
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Whether a header is about one connection's framing rather than the message.
pub(crate) fn is_framing_header(name: &str) -> bool {
    ["content-length", "transfer-encoding", "connection", "keep-alive"].iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// Writes a response: the given headers (framing headers are replaced by this
/// server's own), then `Content-Length` and the body; no body for HEAD, 1xx, 204 and 304.
pub(crate) async fn write_response<W: AsyncWrite + Unpin>(
    w: &mut W,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    head_request: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status)).into_bytes();
    for (k, v) in headers.iter().filter(|(k, _)| !is_framing_header(k)) {
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let bodyless = status == 204 || status == 304 || (100..200).contains(&status);
    if !bodyless {
        out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    if !keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !bodyless && !head_request {
        out.extend_from_slice(body);
    }
    w.write_all(&out).await?;
    w.flush().await
}

/// Writes a request with a `Content-Length` body and `Connection: close`.
pub(crate) async fn write_request<W: AsyncWrite + Unpin>(
    w: &mut W,
    method: &str,
    target: &str,
    host: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> io::Result<()> {
    let mut out = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\n").into_bytes();
    for (k, v) in headers.iter().filter(|(k, _)| !is_framing_header(k) && !k.eq_ignore_ascii_case("host")) {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    if !body.is_empty() || !matches!(method, "GET" | "HEAD" | "DELETE" | "OPTIONS") {
        out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"Connection: close\r\n\r\n");
    out.extend_from_slice(body);
    w.write_all(&out).await?;
    w.flush().await
}

/// Percent-decodes a URL component (`+` is a space, as in forms and query strings).
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Splits `a=1&b=2` into decoded pairs, in order.
pub(crate) fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Splits a request target into its decoded path and query pairs.
pub(crate) fn split_target(target: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    (percent_decode_path(path), parse_query(query))
}

/// Like [`percent_decode`] but keeps `+` (it is literal in a path).
fn percent_decode_path(s: &str) -> String {
    percent_decode(&s.replace('+', "%2B"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_path_decoding() {
        assert_eq!(
            parse_query("db=my%20db&q=SELECT+1&empty=&flag"),
            vec![
                ("db".into(), "my db".into()),
                ("q".into(), "SELECT 1".into()),
                ("empty".into(), "".into()),
                ("flag".into(), "".into())
            ]
        );
        assert_eq!(split_target("/a+b/%7Bx%7D?x=%"), ("/a+b/{x}".into(), vec![("x".into(), "%".into())]));
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[tokio::test]
    async fn chunked_request_with_trailers_and_keep_alive() {
        let raw = b"\r\nPOST /w?db=x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\nGET /ping HTTP/1.0\r\n\r\n";
        let mut r = tokio::io::BufReader::new(&raw[..]);
        let mut sink = Vec::new();
        let a = read_request(&mut r, &mut sink).await.unwrap().unwrap();
        assert_eq!((a.method.as_str(), a.target.as_str(), a.body.as_slice()), ("POST", "/w?db=x", &b"abcde"[..]));
        assert!(a.keep_alive());
        let b = read_request(&mut r, &mut sink).await.unwrap().unwrap();
        assert_eq!((b.method.as_str(), b.body.len()), ("GET", 0));
        assert!(!b.keep_alive());
        assert!(read_request(&mut r, &mut sink).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn expect_continue_is_answered() {
        let raw = b"POST /w HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nok";
        let mut r = tokio::io::BufReader::new(&raw[..]);
        let mut sink = Vec::new();
        let a = read_request(&mut r, &mut sink).await.unwrap().unwrap();
        assert_eq!(a.body, b"ok");
        assert_eq!(sink, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[tokio::test]
    async fn malformed_requests_are_errors_not_panics() {
        for raw in [
            &b"GARBAGE\r\n\r\n"[..],
            b"POST /w HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            b"POST /w HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            b"POST /w HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"POST /w HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
            b"POST /w HTTP/1.1\r\nbad header\r\n\r\n",
            b"POST /w HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        ] {
            let mut r = tokio::io::BufReader::new(raw);
            let mut sink = Vec::new();
            assert!(read_request(&mut r, &mut sink).await.is_err(), "{:?}", String::from_utf8_lossy(raw));
        }
    }

    #[tokio::test]
    async fn responses_by_length_chunked_and_close() {
        let raw =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n";
        let resp = read_response(&mut tokio::io::BufReader::new(&raw[..]), "GET").await.unwrap();
        assert_eq!((resp.status, resp.body.as_slice()), (200, &b"abcd"[..]));
        let raw = b"HTTP/1.0 200 OK\r\n\r\nuntil close";
        let resp = read_response(&mut tokio::io::BufReader::new(&raw[..]), "GET").await.unwrap();
        assert_eq!(resp.body, b"until close");
        let raw = b"HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n";
        let resp = read_response(&mut tokio::io::BufReader::new(&raw[..]), "POST").await.unwrap();
        assert_eq!((resp.status, header(&resp.headers, "x-a")), (204, Some("1")));
    }

    #[tokio::test]
    async fn written_response_is_exact() {
        let mut out = Vec::new();
        let headers = vec![("Content-Type".to_owned(), "text/csv".to_owned()), ("Content-Length".into(), "99".into())];
        write_response(&mut out, 200, &headers, b"a,b\r\n", false, true).await.unwrap();
        assert_eq!(out, b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 5\r\n\r\na,b\r\n");
        let mut out = Vec::new();
        write_response(&mut out, 204, &[], b"", false, false).await.unwrap();
        assert_eq!(out, b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    }
}
