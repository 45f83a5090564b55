//! The replay server: expected exchanges in, recorded answers out, every request checked.

use std::fmt;
use std::io::{self, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::io::BufReader;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::contract::{Contract, Violation};
use super::http::{self, header, WireRequest};
use super::recorded::Recorded;
use super::recorder::Recording;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
}

impl Method {
    /// The method's name, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
        }
    }

    fn parse(s: &str) -> Option<Method> {
        [Method::Get, Method::Head, Method::Post, Method::Put, Method::Patch, Method::Delete, Method::Options]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
enum BodyMatch {
    Exact(Vec<u8>),
    Json(Value),
    Contains(Vec<u8>),
}

/// One expected request and the answer to give it.
///
/// A request matches when its method and path are equal, every query
/// parameter and header named here is present with that value (others may be
/// present too, unless built by a recording, which matches the query exactly),
/// and its body (after `Content-Encoding: gzip` is undone) matches.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::test_util::{Exchange, Method};
///
/// let e = Exchange::new(Method::Post, "/api/v2/write?bucket=b")
///     .query("org", "o")
///     .body("m v=1i 1\n")
///     .respond(204, "")
///     .times(2);
/// # let _ = e;
/// ```
#[derive(Debug, Clone)]
pub struct Exchange {
    method: Method,
    path: String,
    query: Vec<(String, Option<String>)>,
    exact_query: bool,
    headers: Vec<(String, String)>,
    body: Option<BodyMatch>,
    status: u16,
    response_headers: Vec<(String, String)>,
    response_body: Vec<u8>,
    times: Option<usize>,
}

impl Exchange {
    /// Expects `method` on `path`; a `?query` in `path` adds required query parameters.
    /// The default answer is `200` with an empty body, once.
    pub fn new(method: Method, path: &str) -> Exchange {
        let (p, query) = http::split_target(path);
        Exchange {
            method,
            path: p,
            query: query.into_iter().map(|(k, v)| (k, Some(v))).collect(),
            exact_query: false,
            headers: Vec::new(),
            body: None,
            status: 200,
            response_headers: Vec::new(),
            response_body: Vec::new(),
            times: Some(1),
        }
    }

    /// Requires query parameter `name` with `value`.
    pub fn query(mut self, name: &str, value: &str) -> Exchange {
        self.query.push((name.to_owned(), Some(value.to_owned())));
        self
    }

    /// Requires query parameter `name`, with any value.
    pub fn query_present(mut self, name: &str) -> Exchange {
        self.query.push((name.to_owned(), None));
        self
    }

    /// Requires header `name` (case-insensitive) with exactly `value`.
    pub fn header(mut self, name: &str, value: &str) -> Exchange {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Requires exactly this body (compared after gzip is undone).
    pub fn body(mut self, body: impl AsRef<[u8]>) -> Exchange {
        self.body = Some(BodyMatch::Exact(body.as_ref().to_vec()));
        self
    }

    /// Requires a JSON body equal to `json` as a value (key order and spacing aside).
    pub fn json_body(mut self, json: Value) -> Exchange {
        self.body = Some(BodyMatch::Json(json));
        self
    }

    /// Requires a body that contains `part`.
    pub fn body_contains(mut self, part: impl AsRef<[u8]>) -> Exchange {
        self.body = Some(BodyMatch::Contains(part.as_ref().to_vec()));
        self
    }

    /// Answers with `status` and exactly these body bytes.
    pub fn respond(mut self, status: u16, body: impl AsRef<[u8]>) -> Exchange {
        self.status = status;
        self.response_body = body.as_ref().to_vec();
        self
    }

    /// Answers with `status` and the bytes of the file at `path`.
    ///
    /// # Panics
    ///
    /// If the file cannot be read (the message names it): a test set-up error.
    pub fn respond_file(self, status: u16, path: impl AsRef<Path>) -> Exchange {
        let path = path.as_ref();
        let body = std::fs::read(path).unwrap_or_else(|e| panic!("respond_file: cannot read {}: {e}", path.display()));
        self.respond(status, body)
    }

    /// Answers with a recorded response: its status, headers and exact body.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::test_util::{recorded, Exchange, Method};
    ///
    /// let e = Exchange::new(Method::Post, "/api/v2/write").respond_recorded(&recorded::V2_WRITE_RETRY_AFTER_503);
    /// # let _ = e;
    /// ```
    pub fn respond_recorded(mut self, r: &Recorded) -> Exchange {
        self.status = r.status;
        self.response_body = r.body.to_vec();
        if let Some(ct) = r.content_type {
            self.response_headers.push(("Content-Type".to_owned(), ct.to_owned()));
        }
        for (k, v) in r.headers {
            self.response_headers.push(((*k).to_owned(), (*v).to_owned()));
        }
        self
    }

    /// Adds a response header.
    pub fn respond_header(mut self, name: &str, value: &str) -> Exchange {
        self.response_headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Expects this exchange `n` times (default 1).
    pub fn times(mut self, n: usize) -> Exchange {
        self.times = Some(n);
        self
    }

    /// Answers any number of matching requests, none required.
    pub fn any_times(mut self) -> Exchange {
        self.times = None;
        self
    }

    pub(crate) fn exact_query(mut self) -> Exchange {
        self.exact_query = true;
        self
    }

    pub(crate) fn with_response_headers(mut self, headers: Vec<(String, String)>) -> Exchange {
        self.response_headers = headers;
        self
    }

    fn describe(&self) -> String {
        let mut s = format!("{} {}", self.method, self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            s.push(if i == 0 { '?' } else { '&' });
            s.push_str(k);
            s.push('=');
            s.push_str(v.as_deref().unwrap_or("*"));
        }
        s
    }

    fn matches(&self, req: &ReceivedRequest) -> bool {
        if req.method != self.method.as_str() || req.path != self.path {
            return false;
        }
        let query_ok = self.query.iter().all(|(k, v)| {
            req.query
                .iter()
                .any(|(rk, rv)| rk == k && v.as_ref().is_none_or(|v| v == rv || v == super::recorder::REDACTED))
        });
        if !query_ok || (self.exact_query && req.query.len() != self.query.len()) {
            return false;
        }
        if !self.headers.iter().all(|(k, v)| req.header(k) == Some(v.as_str())) {
            return false;
        }
        match &self.body {
            None => true,
            Some(BodyMatch::Exact(b)) => &req.body == b,
            Some(BodyMatch::Contains(part)) => part.is_empty() || req.body.windows(part.len()).any(|w| w == part),
            Some(BodyMatch::Json(j)) => serde_json::from_slice::<Value>(&req.body).is_ok_and(|v| &v == j),
        }
    }
}

/// A request the server received, as the client sent it.
#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    /// The method, upper case.
    pub method: String,
    /// The path and query as sent.
    pub target: String,
    /// The decoded path.
    pub path: String,
    /// The decoded query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body after `Content-Encoding: gzip` is undone.
    pub body: Vec<u8>,
    /// The body as it came over the wire (de-chunked, still compressed).
    pub raw_body: Vec<u8>,
    /// The status the server answered with.
    pub status: u16,
}

impl ReceivedRequest {
    /// The first header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The first query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What [`ReplayServer::verify`] found wrong.
pub struct ReplayError {
    problems: Vec<String>,
}

impl ReplayError {
    /// One line per problem.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "replay server: {} problem(s)", self.problems.len())?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

// Debug is what `verify().unwrap()` prints: the readable list.
impl fmt::Debug for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ReplayError {}

struct Expectation {
    exchange: Exchange,
    used: usize,
}

struct State {
    contract: Contract,
    expectations: Vec<Expectation>,
    received: Vec<ReceivedRequest>,
    violations: Vec<Violation>,
    unexpected: Vec<String>,
    verified: bool,
}

/// A test HTTP server on a free loopback port that checks every request
/// against a [`Contract`] and answers expected requests with exact recorded
/// bytes.
///
/// A request that violates the contract is answered `400` with a text body
/// naming each violation, *and* kept, so that [`verify`](ReplayServer::verify)
/// fails even when the client under test swallowed the `400`. A request that
/// matches no expectation is answered `404` and kept as unexpected.
///
/// The server runs on its own thread, so it serves async and blocking clients
/// alike. It stops when dropped; dropping it with problems that no
/// `verify()` call has seen panics (unless the thread is already panicking).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::test_util::{recorded, Contract, Exchange, Method, ReplayServer};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = ReplayServer::start(Contract::influxdb2())?;
/// server.expect(
///     Exchange::new(Method::Post, "/api/v2/write")
///         .query("bucket", "b")
///         .body("m v=1i 1\n")
///         .respond_recorded(&recorded::V2_WRITE_NO_CONTENT),
/// );
/// // ... point the client under test at server.url() and write ...
/// # let (status, _) = influx::test_util::send(&server.url(), "POST",
/// #     "/api/v2/write?org=o&bucket=b", &[("Authorization", "Token t")], b"m v=1i 1\n")?;
/// # assert_eq!(status, 204);
/// server.verify()?;
/// # Ok(())
/// # }
/// ```
pub struct ReplayServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ReplayServer {
    /// Starts a server on `127.0.0.1` (a free port) that checks requests against `contract`.
    pub fn start(contract: Contract) -> io::Result<ReplayServer> {
        let state = Arc::new(Mutex::new(State {
            contract,
            expectations: Vec::new(),
            received: Vec::new(),
            violations: Vec::new(),
            unexpected: Vec::new(),
            verified: false,
        }));
        let (addr, shutdown, thread) = spawn_server("influx-replay", {
            let state = state.clone();
            move |stream| {
                let state = state.clone();
                async move { serve_connection(stream, &state).await }
            }
        })?;
        Ok(ReplayServer { addr, state, shutdown: Some(shutdown), thread: Some(thread) })
    }

    /// Starts a server without a contract that replays the exchanges recorded
    /// at `path` by a [`Recorder`](super::Recorder).
    pub fn from_recording(path: impl AsRef<Path>) -> io::Result<ReplayServer> {
        let recording = Recording::load(path)?;
        let server = ReplayServer::start(Contract::none())?;
        server.expect_recording(&recording);
        Ok(server)
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The contract requests are checked against.
    pub fn contract(&self) -> Contract {
        self.lock().contract.clone()
    }

    /// Adds an expected exchange. Requests are matched against expectations in
    /// the order they were added; the first one with uses left wins.
    pub fn expect(&self, exchange: Exchange) -> &Self {
        self.lock().expectations.push(Expectation { exchange, used: 0 });
        self
    }

    /// Expects every exchange of `recording`, in order, each once and with its exact query.
    pub fn expect_recording(&self, recording: &Recording) -> &Self {
        for e in recording.to_exchanges() {
            self.expect(e);
        }
        self
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.lock().received.clone()
    }

    /// The contract violations found so far.
    pub fn violations(&self) -> Vec<Violation> {
        self.lock().violations.clone()
    }

    /// `Ok` when every expectation was met as often as required, no request
    /// violated the contract, and no request went unmatched.
    pub fn verify(&self) -> Result<(), ReplayError> {
        let mut st = self.lock();
        st.verified = true;
        let problems = problems(&st);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ReplayError { problems })
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while holding the lock cannot leave State inconsistent: keep serving.
    state.lock().unwrap_or_else(|p| p.into_inner())
}

fn problems(st: &State) -> Vec<String> {
    let mut problems = Vec::new();
    for v in &st.violations {
        problems.push(format!("contract violation ({}): {v}", st.contract.name()));
    }
    for u in &st.unexpected {
        problems.push(format!("unexpected request (no expectation matches): {u}"));
    }
    for e in &st.expectations {
        if let Some(n) = e.exchange.times {
            if e.used < n {
                problems.push(format!("expected {} {n} time(s), received {}", e.exchange.describe(), e.used));
            }
        }
    }
    problems
}

impl fmt::Debug for ReplayServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.lock();
        f.debug_struct("ReplayServer")
            .field("url", &self.url())
            .field("contract", &st.contract.name())
            .field("expectations", &st.expectations.len())
            .field("received", &st.received.len())
            .finish()
    }
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let st = lock(&self.state);
        if !st.verified && !std::thread::panicking() {
            let problems = problems(&st);
            if !problems.is_empty() {
                drop(st);
                panic!("{}\n(the ReplayServer was dropped without verify())", ReplayError { problems });
            }
        }
    }
}

/// Binds a loopback listener and serves each connection with `handler` on a dedicated thread.
pub(crate) fn spawn_server<F, Fut>(
    name: &str,
    handler: F,
) -> io::Result<(SocketAddr, oneshot::Sender<()>, std::thread::JoinHandle<()>)>
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    let std_listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (tx, mut rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new().name(name.to_owned()).spawn(move || {
        let local = tokio::task::LocalSet::new();
        local.block_on(&rt, async move {
            let listener = match TcpListener::from_std(std_listener) {
                Ok(l) => l,
                Err(_) => return,
            };
            loop {
                tokio::select! {
                    _ = &mut rx => break,
                    accepted = listener.accept() => {
                        if let Ok((stream, _)) = accepted {
                            tokio::task::spawn_local(handler(stream));
                        }
                    }
                }
            }
        });
    })?;
    Ok((addr, tx, thread))
}

/// How long an idle keep-alive connection is kept.
const IDLE: Duration = Duration::from_secs(120);

async fn serve_connection(stream: TcpStream, state: &Mutex<State>) {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    loop {
        let req = match tokio::time::timeout(IDLE, http::read_request(&mut r, &mut w)).await {
            Err(_) | Ok(Ok(None)) => return,
            Ok(Ok(Some(req))) => req,
            Ok(Err(e)) => {
                if e.kind() == io::ErrorKind::InvalidData {
                    let msg = format!("malformed HTTP request: {e}");
                    lock(state)
                        .violations
                        .push(Violation { request: "(unparsed request)".to_owned(), message: msg.clone() });
                    let body = format!("replay server: {msg}\n");
                    let _ = http::write_response(&mut w, 400, &text_plain(), body.as_bytes(), false, false).await;
                }
                return;
            }
        };
        let keep_alive = req.keep_alive();
        let head = req.method.eq_ignore_ascii_case("HEAD");
        let (status, headers, body) = answer(req, state);
        if http::write_response(&mut w, status, &headers, &body, head, keep_alive).await.is_err() || !keep_alive {
            return;
        }
    }
}

fn text_plain() -> Vec<(String, String)> {
    vec![("Content-Type".to_owned(), "text/plain; charset=utf-8".to_owned())]
}

/// Undoes `Content-Encoding: gzip` (several members allowed, as servers accept).
pub(crate) fn decode_body(headers: &[(String, String)], raw: &[u8]) -> Result<Vec<u8>, String> {
    match header(headers, "content-encoding").map(|e| e.trim().to_ascii_lowercase()) {
        None => Ok(raw.to_vec()),
        Some(e) if e == "identity" || e.is_empty() => Ok(raw.to_vec()),
        Some(e) if e == "gzip" => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(raw)
                .read_to_end(&mut out)
                .map(|_| out)
                .map_err(|err| format!("`Content-Encoding: gzip` but the body is not valid gzip: {err}"))
        }
        Some(e) => Err(format!("unsupported `Content-Encoding: {e}`")),
    }
}

fn answer(req: WireRequest, state: &Mutex<State>) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut st = lock(state);
    let (path, query) = http::split_target(&req.target);
    let (body, decode_error) = match decode_body(&req.headers, &req.body) {
        Ok(b) => (b, None),
        Err(e) => (req.body.clone(), Some(e)),
    };
    let mut received = ReceivedRequest {
        method: req.method.to_ascii_uppercase(),
        target: req.target.clone(),
        path,
        query,
        headers: req.headers.clone(),
        body,
        raw_body: req.body,
        status: 0,
    };
    let mut violations =
        st.contract.check_request(&received.method, &received.target, &received.headers, &received.body);
    if let Some(e) = decode_error {
        violations.push(Violation { request: format!("{} {}", received.method, received.target), message: e });
    }
    if Method::parse(&received.method).is_none() {
        violations.push(Violation {
            request: format!("{} {}", received.method, received.target),
            message: "unknown HTTP method".to_owned(),
        });
    }
    let response = if !violations.is_empty() {
        let mut text = format!("replay server: the request violates the {} contract:\n", st.contract.name());
        for v in &violations {
            text.push_str(&format!("- {}\n", v.message));
        }
        st.violations.extend(violations);
        (400, text_plain(), text.into_bytes())
    } else if let Some(e) = st
        .expectations
        .iter_mut()
        .find(|e| e.exchange.times.is_none_or(|n| e.used < n) && e.exchange.matches(&received))
    {
        e.used += 1;
        (e.exchange.status, e.exchange.response_headers.clone(), e.exchange.response_body.clone())
    } else {
        let line = format!("{} {}", received.method, received.target);
        st.unexpected.push(line.clone());
        let text = format!("replay server: no expectation matches {line}\n");
        (404, text_plain(), text.into_bytes())
    };
    received.status = response.0;
    st.received.push(received);
    response
}
