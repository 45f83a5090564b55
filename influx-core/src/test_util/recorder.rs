//! Recording a real server's answers, and the recording file format.

use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};
use tokio::io::BufReader;
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use super::http::{self, is_framing_header};
use super::server::{spawn_server, Exchange, Method};

/// What a recorded secret (an `Authorization` credential, a `p` or `token`
/// query value) is replaced with. A redacted value matches any value on replay.
pub(crate) const REDACTED: &str = "<redacted>";

/// Query parameters whose values are secrets.
const SECRET_PARAMS: &[&str] = &["p", "token", "password"];

/// One request and the answer it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedExchange {
    /// The method, upper case.
    pub method: String,
    /// The path and query as sent (secret values redacted).
    pub target: String,
    /// The request headers (credentials redacted; framing headers left out).
    pub request_headers: Vec<(String, String)>,
    /// The request body as sent (still compressed if it was).
    pub request_body: Vec<u8>,
    /// The response status.
    pub status: u16,
    /// The response headers, framing headers left out.
    pub response_headers: Vec<(String, String)>,
    /// The response body, byte for byte (de-chunked).
    pub response_body: Vec<u8>,
}

/// A sequence of recorded exchanges: what a [`Recorder`] writes and a
/// [`ReplayServer`](super::ReplayServer) replays.
///
/// The file is JSON lines, one exchange per line, in the order the requests
/// arrived:
///
/// ```text
/// {"method":"POST","target":"/write?db=d","request_headers":[["content-type","text/plain"]],
///  "request_body":"m v=1 1\n","status":204,"response_headers":[["X-Influxdb-Version","1.6.7"]],
///  "response_body":""}
/// ```
///
/// (one line in the file). A body that is valid UTF-8 is stored as text under
/// `request_body`/`response_body`, any other as standard base64 under
/// `request_body_base64`/`response_body_base64`. Both forms are exact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recording {
    exchanges: Vec<RecordedExchange>,
}

impl Recording {
    /// Reads a recording file.
    pub fn load(path: impl AsRef<Path>) -> io::Result<Recording> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot read recording {}: {e}", path.display())))?;
        Recording::parse(&text)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", path.display())))
    }

    /// Parses a recording from its text.
    pub fn parse(text: &str) -> Result<Recording, String> {
        let mut exchanges = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line).map_err(|e| format!("line {}: not JSON: {e}", i + 1))?;
            exchanges.push(from_json(&v).map_err(|e| format!("line {}: {e}", i + 1))?);
        }
        Ok(Recording { exchanges })
    }

    /// Writes the recording to `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> io::Result<()> {
        let mut out = String::new();
        for e in &self.exchanges {
            out.push_str(&to_json(e).to_string());
            out.push('\n');
        }
        std::fs::write(path, out)
    }

    /// The exchanges, in order.
    pub fn exchanges(&self) -> &[RecordedExchange] {
        &self.exchanges
    }

    /// One [`Exchange`] per recorded exchange: the same method, path, exact
    /// query and body, answered with the recorded status, headers and body.
    pub fn to_exchanges(&self) -> Vec<Exchange> {
        self.exchanges
            .iter()
            .map(|e| {
                let m = match e.method.as_str() {
                    "HEAD" => Method::Head,
                    "POST" => Method::Post,
                    "PUT" => Method::Put,
                    "PATCH" => Method::Patch,
                    "DELETE" => Method::Delete,
                    "OPTIONS" => Method::Options,
                    _ => Method::Get,
                };
                let body = super::server::decode_body(&e.request_headers, &e.request_body)
                    .unwrap_or_else(|_| e.request_body.clone());
                Exchange::new(m, &e.target)
                    .exact_query()
                    .body(body)
                    .respond(e.status, &e.response_body)
                    .with_response_headers(e.response_headers.clone())
            })
            .collect()
    }
}

fn put_body(obj: &mut Map<String, Value>, key: &str, body: &[u8]) {
    match std::str::from_utf8(body) {
        Ok(s) => obj.insert(key.to_owned(), Value::String(s.to_owned())),
        Err(_) => obj.insert(format!("{key}_base64"), Value::String(base64_encode(body))),
    };
}

fn get_body(v: &Value, key: &str) -> Result<Vec<u8>, String> {
    if let Some(s) = v.get(key).and_then(Value::as_str) {
        return Ok(s.as_bytes().to_vec());
    }
    match v.get(format!("{key}_base64")).and_then(Value::as_str) {
        Some(b) => base64_decode(b).ok_or_else(|| format!("`{key}_base64` is not valid base64")),
        None => Ok(Vec::new()),
    }
}

fn headers_json(h: &[(String, String)]) -> Value {
    Value::Array(h.iter().map(|(k, v)| json!([k, v])).collect())
}

fn headers_from(v: &Value, key: &str) -> Result<Vec<(String, String)>, String> {
    let Some(list) = v.get(key) else { return Ok(Vec::new()) };
    let list = list.as_array().ok_or_else(|| format!("`{key}` is not an array"))?;
    list.iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
            _ => Err(format!("`{key}` holds {pair}, not a [name, value] pair")),
        })
        .collect()
}

fn to_json(e: &RecordedExchange) -> Value {
    let mut obj = Map::new();
    obj.insert("method".into(), Value::String(e.method.clone()));
    obj.insert("target".into(), Value::String(e.target.clone()));
    obj.insert("request_headers".into(), headers_json(&e.request_headers));
    put_body(&mut obj, "request_body", &e.request_body);
    obj.insert("status".into(), Value::from(e.status));
    obj.insert("response_headers".into(), headers_json(&e.response_headers));
    put_body(&mut obj, "response_body", &e.response_body);
    Value::Object(obj)
}

fn from_json(v: &Value) -> Result<RecordedExchange, String> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned).ok_or_else(|| format!("missing `{k}`"));
    let status = v.get("status").and_then(Value::as_u64).ok_or("missing `status`")?;
    Ok(RecordedExchange {
        method: s("method")?.to_ascii_uppercase(),
        target: s("target")?,
        request_headers: headers_from(v, "request_headers")?,
        request_body: get_body(v, "request_body")?,
        status: u16::try_from(status).map_err(|_| format!("status {status} out of range"))?,
        response_headers: headers_from(v, "response_headers")?,
        response_body: get_body(v, "response_body")?,
    })
}

/// A recording proxy: forwards every request to a real server, passes its
/// answer back unchanged, and appends the exchange to a [`Recording`] file
/// (flushed after each exchange). Credentials are redacted in the file.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// use influx::test_util::{Recorder, ReplayServer};
///
/// # fn main() -> std::io::Result<()> {
/// // Once, against a real server:
/// let rec = Recorder::start("http://127.0.0.1:8086", "tests/recorded/ping.jsonl")?;
/// // ... run the client against rec.url() ...
/// rec.finish()?;
/// // In every test run after that, without the server:
/// let server = ReplayServer::from_recording("tests/recorded/ping.jsonl")?;
/// // ... run the same client against server.url(), then:
/// server.verify().unwrap();
/// # Ok(())
/// # }
/// ```
pub struct Recorder {
    addr: SocketAddr,
    path: PathBuf,
    errors: Arc<Mutex<Vec<String>>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Recorder {
    /// Starts recording requests to `upstream` (an `http://host:port` URL) into
    /// the file at `path`, which is created or truncated.
    pub fn start(upstream: &str, path: impl AsRef<Path>) -> io::Result<Recorder> {
        let host = upstream
            .strip_prefix("http://")
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the recorder forwards to http:// URLs only"))?
            .trim_end_matches('/')
            .to_owned();
        if host.contains('/') {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "the upstream URL must not have a path"));
        }
        let path = path.as_ref().to_path_buf();
        let file = Arc::new(Mutex::new(File::create(&path)?));
        let errors = Arc::new(Mutex::new(Vec::new()));
        let (addr, shutdown, thread) = spawn_server("influx-recorder", {
            let errors = errors.clone();
            move |stream| {
                let (file, errors, host) = (file.clone(), errors.clone(), host.clone());
                async move { record_connection(stream, &host, &file, &errors).await }
            }
        })?;
        Ok(Recorder { addr, path, errors, shutdown: Some(shutdown), thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT`: point the client at this instead of the server.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops recording and returns what was recorded; an error if any request
    /// could not be forwarded or written down.
    pub fn finish(mut self) -> io::Result<Recording> {
        self.stop();
        let errors = self.errors.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if !errors.is_empty() {
            return Err(io::Error::other(format!("recording failed: {}", errors.join("; "))));
        }
        Recording::load(&self.path)
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder").field("url", &self.url()).field("path", &self.path).finish()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop();
    }
}

fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(k, _)| !is_framing_header(k) && !k.eq_ignore_ascii_case("host"))
        .map(|(k, v)| {
            if k.eq_ignore_ascii_case("authorization") || k.eq_ignore_ascii_case("proxy-authorization") {
                let scheme = v.split_once(' ').map_or("", |(s, _)| s);
                (k.clone(), if scheme.is_empty() { REDACTED.to_owned() } else { format!("{scheme} {REDACTED}") })
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect()
}

fn redact_target(target: &str) -> String {
    let Some((path, query)) = target.split_once('?') else { return target.to_owned() };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.contains(&http::percent_decode(k).as_str()) => format!("{k}={REDACTED}"),
            _ => p.to_owned(),
        })
        .collect();
    format!("{path}?{}", parts.join("&"))
}

async fn record_connection(stream: TcpStream, host: &str, file: &Mutex<File>, errors: &Mutex<Vec<String>>) {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    let fail = |msg: String| errors.lock().unwrap_or_else(|p| p.into_inner()).push(msg);
    loop {
        let req = match http::read_request(&mut r, &mut w).await {
            Ok(Some(req)) => req,
            Ok(None) => return,
            Err(e) => {
                fail(format!("malformed request from the client: {e}"));
                return;
            }
        };
        let keep_alive = req.keep_alive();
        let head = req.method.eq_ignore_ascii_case("HEAD");
        let upstream = async {
            let s = TcpStream::connect(host).await?;
            let (ur, mut uw) = s.into_split();
            let headers: Vec<(String, String)> =
                req.headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("expect")).cloned().collect();
            http::write_request(&mut uw, &req.method, &req.target, host, &headers, &req.body).await?;
            http::read_response(&mut BufReader::new(ur), &req.method).await
        };
        let resp = match upstream.await {
            Ok(resp) => resp,
            Err(e) => {
                fail(format!("{} {}: forwarding to {host} failed: {e}", req.method, req.target));
                let body = format!("recorder: forwarding to {host} failed: {e}\n");
                let _ = http::write_response(&mut w, 502, &[], body.as_bytes(), head, false).await;
                return;
            }
        };
        let exchange = RecordedExchange {
            method: req.method.to_ascii_uppercase(),
            target: redact_target(&req.target),
            request_headers: redact_headers(&req.headers),
            request_body: req.body.clone(),
            status: resp.status,
            response_headers: resp.headers.iter().filter(|(k, _)| !is_framing_header(k)).cloned().collect(),
            response_body: resp.body.clone(),
        };
        let line = to_json(&exchange).to_string() + "\n";
        let written = {
            let mut f = file.lock().unwrap_or_else(|p| p.into_inner());
            f.write_all(line.as_bytes()).and_then(|()| f.flush())
        };
        if let Err(e) = written {
            fail(format!("cannot write the recording: {e}"));
        }
        let sent = http::write_response(&mut w, resp.status, &exchange.response_headers, &resp.body, head, keep_alive);
        if sent.await.is_err() || !keep_alive {
            return;
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let bytes: Vec<u8> = input.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || chunk[..4 - pad].contains(&b'=') {
            return None;
        }
        let mut n = 0u32;
        for &c in chunk {
            let v = if c == b'=' { 0 } else { B64.iter().position(|&a| a == c)? as u32 };
            n = (n << 6) | v;
        }
        let b = n.to_be_bytes();
        out.extend_from_slice(&b[1..4 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        for n in 0..70u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37) ^ 0xA5).collect();
            assert_eq!(base64_decode(&base64_encode(&data)).as_deref(), Some(&data[..]));
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode("Zm9=v"), None);
        assert_eq!(base64_decode("Z=9v"), None);
    }

    #[test]
    fn recording_round_trips_text_and_binary_bodies() {
        let rec = Recording {
            exchanges: vec![RecordedExchange {
                method: "POST".into(),
                target: "/write?db=x".into(),
                request_headers: vec![("Content-Encoding".into(), "gzip".into())],
                request_body: vec![0x1f, 0x8b, 0xff, 0x00],
                status: 200,
                response_headers: vec![("Content-Type".into(), "text/csv".into())],
                response_body: b"a,b\r\n\r\n".to_vec(),
            }],
        };
        let text = to_json(&rec.exchanges[0]).to_string();
        assert!(text.contains("\"request_body_base64\":\"H4v/AA==\""), "{text}");
        assert!(text.contains("\"response_body\":\"a,b\\r\\n\\r\\n\""), "{text}");
        assert_eq!(Recording::parse(&text).unwrap(), rec);
        assert!(Recording::parse("{\"method\":\"GET\"}").unwrap_err().contains("line 1: missing `"));
        assert!(Recording::parse("nope").unwrap_err().starts_with("line 1: not JSON"));
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(redact_target("/query?u=admin&p=s3cret&q=SHOW"), "/query?u=admin&p=<redacted>&q=SHOW");
        assert_eq!(redact_target("/ping"), "/ping");
        let h = redact_headers(&[
            ("Authorization".into(), "Token abc".into()),
            ("Host".into(), "x".into()),
            ("Content-Length".into(), "3".into()),
            ("Accept".into(), "*/*".into()),
        ]);
        assert_eq!(h, vec![("Authorization".into(), "Token <redacted>".into()), ("Accept".into(), "*/*".into())]);
    }
}
