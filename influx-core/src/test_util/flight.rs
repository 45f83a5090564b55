//! An in-process Arrow Flight server that answers InfluxDB 3's `DoGet` tickets
//! with recorded record batches (cargo features `test-util` and `flight`).
//!
//! It checks what a real InfluxDB 3 server checks and answers as it does:
//! the `authorization: Bearer <token>` metadata (none: `Unauthenticated`; a
//! wrong token: `PermissionDenied`), the JSON ticket (`database`,
//! `sql_query`, `query_type` `sql`/`influxql`, optional `params`; anything
//! else: `InvalidArgument` "Invalid ticket"), the database (unknown:
//! `NotFound` "Database '…' not found"). A ticket no [`FlightExchange`]
//! expects gets `InvalidArgument` and is a problem [`FlightServer::verify`]
//! reports. Answers are scripted: batches, keep-alive empty batches, pauses,
//! a stall, an error before or in the middle of the stream.
//!
//! ```no_run
//! # extern crate influx_core as influx;
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use influx::test_util::flight::{FlightExchange, FlightServer};
//! use influx::v3::flight::arrow_array::{Float64Array, RecordBatch};
//! use influx::v3::flight::arrow_schema::{DataType, Field, Schema};
//!
//! let schema = Arc::new(Schema::new(vec![Field::new("temp", DataType::Float64, true)]));
//! let batch = RecordBatch::try_new(schema, vec![Arc::new(Float64Array::from(vec![21.5]))])?;
//! let server = FlightServer::start("my-token", &["sensors"])?;
//! server.expect(FlightExchange::sql("sensors", "SELECT temp FROM home").batch(batch.clone()));
//!
//! let client = influx::v3::Client::new(server.url(), "sensors", "my-token")?;
//! let batches = client.flight()?.query_batches("SELECT temp FROM home").await?;
//! assert_eq!(batches, vec![batch]);
//! server.verify()?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use arrow_array::RecordBatch;
use arrow_flight::flight_service_server::{FlightService, FlightServiceServer};
use arrow_flight::utils::batches_to_flight_data;
use arrow_flight::{
    Action, ActionType, Criteria, Empty, FlightData, FlightDescriptor, FlightInfo, HandshakeRequest, HandshakeResponse,
    PollInfo, PutResult, SchemaResult, Ticket,
};
use futures::stream::{self, BoxStream, StreamExt};
use serde_json::Value;
#[cfg(feature = "__rustls")]
use tonic::transport::ServerTlsConfig;
/// Without a TLS feature there is no TLS server to configure.
#[cfg(not(feature = "__rustls"))]
type ServerTlsConfig = std::convert::Infallible;
use tonic::{Request, Response, Status, Streaming};

pub use tonic::Code;

/// One step of a scripted answer.
#[derive(Clone)]
enum Step {
    Batch(RecordBatch),
    /// An empty batch, as InfluxDB sends every 5 s while a query computes.
    KeepAlive,
    Wait(Duration),
    /// Send nothing more, never end.
    Stall,
    /// End the stream with this status.
    Fail(Code, String),
}

/// An answer the [`FlightServer`] gives to one ticket: what it expects (the
/// database, the query text, its language, its `params`) and the scripted
/// answer.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::test_util::flight::{Code, FlightExchange};
/// let e = FlightExchange::influxql("sensors", "SELECT temp FROM home WHERE room = $room")
///     .param("room", "Kitchen")
///     .then_fail(Code::Internal, "query failed");
/// # let _ = e;
/// ```
#[derive(Clone)]
pub struct FlightExchange {
    database: String,
    query: String,
    query_type: &'static str,
    params: Option<serde_json::Map<String, Value>>,
    /// Fails the call before any message (as a trailers-only answer).
    refuse: Option<(Code, String)>,
    /// Waits this long before answering at all (`Duration::MAX`: never answers).
    delay: Option<Duration>,
    steps: Vec<Step>,
}

impl fmt::Debug for FlightExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlightExchange")
            .field("database", &self.database)
            .field("query", &self.query)
            .field("query_type", &self.query_type)
            .finish_non_exhaustive()
    }
}

impl FlightExchange {
    fn new(database: &str, query: &str, query_type: &'static str) -> Self {
        Self {
            database: database.into(),
            query: query.into(),
            query_type,
            params: None,
            refuse: None,
            delay: None,
            steps: Vec::new(),
        }
    }

    /// Expects a SQL ticket for `database` with exactly this text.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightExchange::sql("db", "SELECT 1");
    /// ```
    pub fn sql(database: &str, query: &str) -> Self {
        Self::new(database, query, "sql")
    }

    /// Expects an InfluxQL ticket for `database` with exactly this text.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightExchange::influxql("db", "SHOW MEASUREMENTS");
    /// ```
    pub fn influxql(database: &str, query: &str) -> Self {
        Self::new(database, query, "influxql")
    }

    /// Expects `params` to hold `name` with this value (compared as JSON
    /// values); without any `param`, the ticket must have no `params`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightExchange::sql("db", "SELECT $x").param("x", 1.5);
    /// ```
    pub fn param(mut self, name: &str, value: impl serde::Serialize) -> Self {
        let v = serde_json::to_value(value).unwrap_or(Value::Null);
        self.params.get_or_insert_with(Default::default).insert(name.into(), v);
        self
    }

    /// Sends this batch next.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(b: influx::v3::flight::RecordBatch) {
    /// # let _ = influx::test_util::flight::FlightExchange::sql("db", "SELECT 1").batch(b);
    /// # }
    /// ```
    pub fn batch(mut self, batch: RecordBatch) -> Self {
        self.steps.push(Step::Batch(batch));
        self
    }

    /// Sends these batches next, one message each.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightExchange::sql("db", "SELECT 1").batches(Vec::new());
    /// ```
    pub fn batches(mut self, batches: impl IntoIterator<Item = RecordBatch>) -> Self {
        self.steps.extend(batches.into_iter().map(Step::Batch));
        self
    }

    /// Sends an empty batch of the answer's schema next, as InfluxDB does to
    /// keep a slow stream alive (needs a batch before it, for the schema).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightExchange::sql("db", "SELECT 1").keep_alive();
    /// ```
    pub fn keep_alive(mut self) -> Self {
        self.steps.push(Step::KeepAlive);
        self
    }

    /// Pauses this long before the next step.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightExchange::sql("db", "SELECT 1").wait(std::time::Duration::from_millis(10));
    /// ```
    pub fn wait(mut self, pause: Duration) -> Self {
        self.steps.push(Step::Wait(pause));
        self
    }

    /// After the steps so far, sends nothing more and never ends the stream.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightExchange::sql("db", "SELECT 1").then_stall();
    /// ```
    pub fn then_stall(mut self) -> Self {
        self.steps.push(Step::Stall);
        self
    }

    /// After the steps so far, ends the stream with this status (an error in
    /// the middle of an answer).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::test_util::flight::{Code, FlightExchange};
    /// # let _ = FlightExchange::sql("db", "SELECT 1").then_fail(Code::Internal, "out of memory");
    /// ```
    pub fn then_fail(mut self, code: Code, message: &str) -> Self {
        self.steps.push(Step::Fail(code, message.into()));
        self
    }

    /// Refuses the call with this status before sending anything (a planning
    /// error, for one).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::test_util::flight::{Code, FlightExchange};
    /// # let _ = FlightExchange::sql("db", "SELEC 1").refuse(Code::InvalidArgument, "sql parser error");
    /// ```
    pub fn refuse(mut self, code: Code, message: &str) -> Self {
        self.refuse = Some((code, message.into()));
        self
    }

    /// Waits this long before answering the call at all (`Duration::MAX`:
    /// never answers).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightExchange::sql("db", "SELECT 1").delay(std::time::Duration::MAX);
    /// ```
    pub fn delay(mut self, wait: Duration) -> Self {
        self.delay = Some(wait);
        self
    }

    fn matches(&self, t: &ParsedTicket) -> bool {
        self.database == t.database
            && self.query == t.query
            && self.query_type == t.query_type
            && self.params.as_ref() == t.params.as_ref()
    }
}

/// A `DoGet` call the server received.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct FlightRequest {
    /// The ticket's bytes as text.
    pub ticket: String,
    /// The call's metadata (lowercase names; `authorization` included).
    pub metadata: BTreeMap<String, String>,
}

struct ParsedTicket {
    database: String,
    query: String,
    query_type: String,
    params: Option<serde_json::Map<String, Value>>,
}

/// InfluxDB's JSON ticket, checked as the server reads it, strictly: only its
/// known keys, each of its type.
fn parse_ticket(bytes: &[u8]) -> std::result::Result<ParsedTicket, String> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| format!("JSON parse error: {e}"))?;
    let Value::Object(mut m) = v else { return Err("the ticket is not a JSON object".into()) };
    if let Some(k) = m.keys().find(|k| !matches!(k.as_str(), "database" | "sql_query" | "query_type" | "params")) {
        return Err(format!("unknown key `{k}`"));
    }
    let mut string = |k: &str| match m.remove(k) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("`{k}` is not a string")),
        None => Err(format!("missing `{k}`")),
    };
    let database = string("database")?;
    let query = string("sql_query")?;
    let query_type = string("query_type")?;
    if !matches!(query_type.as_str(), "sql" | "influxql") {
        return Err(format!("Unknown query type. Expected 'sql' or 'influxql', got {query_type}"));
    }
    let params = match m.remove("params") {
        None => None,
        Some(Value::Object(p)) => {
            if let Some((k, _)) = p.iter().find(|(_, v)| v.is_array() || v.is_object()) {
                return Err(format!("Invalid params: `{k}` is not a scalar"));
            }
            Some(p)
        }
        Some(_) => return Err("Invalid params: not an object".into()),
    };
    Ok(ParsedTicket { database, query, query_type, params })
}

struct State {
    token: String,
    databases: Vec<String>,
    exchanges: Mutex<Vec<FlightExchange>>,
    requests: Mutex<Vec<FlightRequest>>,
    problems: Mutex<Vec<String>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// An Arrow Flight server on a free loopback port, on its own thread and
/// runtime, serving InfluxDB 3's `DoGet` as described in the [module docs](self).
/// Stops when dropped (streams still open are cut).
///
/// ```
/// # extern crate influx_core as influx;
/// let server = influx::test_util::flight::FlightServer::start("token", &["sensors"]).unwrap();
/// assert!(server.url().starts_with("http://127.0.0.1:"));
/// ```
pub struct FlightServer {
    addr: SocketAddr,
    https: bool,
    state: Arc<State>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for FlightServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlightServer").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl FlightServer {
    /// Starts a server that accepts `Bearer <token>` and knows `databases`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::test_util::flight::FlightServer::start("token", &["sensors"]).unwrap();
    /// ```
    pub fn start(token: &str, databases: &[&str]) -> std::io::Result<Self> {
        Self::serve(token, databases, None)
    }

    /// [`FlightServer::start`] over TLS: `cert_pem` and `key_pem` are the
    /// server's certificate chain and key (issued for `localhost`, the URL's
    /// host); with `client_ca_pem`, clients must present a certificate it signed.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(cert: &str, key: &str) {
    /// let s = influx::test_util::flight::FlightServer::start_tls("t", &["db"], cert, key, None).unwrap();
    /// assert!(s.url().starts_with("https://localhost:"));
    /// # }
    /// ```
    #[cfg(feature = "__rustls")]
    pub fn start_tls(
        token: &str,
        databases: &[&str],
        cert_pem: &str,
        key_pem: &str,
        client_ca_pem: Option<&str>,
    ) -> std::io::Result<Self> {
        let mut tls = ServerTlsConfig::new().identity(tonic::transport::Identity::from_pem(cert_pem, key_pem));
        if let Some(ca) = client_ca_pem {
            tls = tls.client_ca_root(tonic::transport::Certificate::from_pem(ca));
        }
        Self::serve(token, databases, Some(tls))
    }

    fn serve(token: &str, databases: &[&str], tls: Option<ServerTlsConfig>) -> std::io::Result<Self> {
        let https = tls.is_some();
        let mut builder = tonic::transport::Server::builder();
        #[cfg(feature = "__rustls")]
        if let Some(tls) = tls {
            crate::v3::flight::ensure_crypto_provider();
            builder = builder.tls_config(tls).map_err(std::io::Error::other)?;
        }
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            token: token.into(),
            databases: databases.iter().map(|d| (*d).to_owned()).collect(),
            exchanges: Mutex::default(),
            requests: Mutex::default(),
            problems: Mutex::default(),
        });
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let service = FlightServiceServer::new(Service { state: Arc::clone(&state) });
        let thread = std::thread::Builder::new().name("flight-test-server".into()).spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
                let incoming = tonic::transport::server::TcpIncoming::from(listener);
                let serve = builder.add_service(service).serve_with_incoming(incoming);
                // Dropping the server (and then the runtime) cuts open streams:
                // a stalled answer must not keep the test waiting.
                tokio::select! {
                    _ = serve => {}
                    _ = stopped => {}
                }
            });
        })?;
        Ok(Self { addr, https, state, stop: Some(stop), thread: Some(thread) })
    }

    /// The server's URL (`http://127.0.0.1:<port>`, or `https://localhost:<port>`
    /// over TLS), for a 3.x client's builder.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let s = influx::test_util::flight::FlightServer::start("t", &[]).unwrap();
    /// assert!(s.url().starts_with("http://"));
    /// ```
    pub fn url(&self) -> String {
        if self.https {
            format!("https://localhost:{}", self.addr.port())
        } else {
            format!("http://{}", self.addr)
        }
    }

    /// Adds an answer; tickets are matched against expected exchanges in the
    /// order they were added, and each exchange answers any number of calls.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::test_util::flight::{FlightExchange, FlightServer};
    /// let s = FlightServer::start("t", &["db"]).unwrap();
    /// s.expect(FlightExchange::sql("db", "SELECT 1"));
    /// ```
    pub fn expect(&self, exchange: FlightExchange) {
        lock(&self.state.exchanges).push(exchange);
    }

    /// Every `DoGet` received so far, in order.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let s = influx::test_util::flight::FlightServer::start("t", &[]).unwrap();
    /// assert!(s.requests().is_empty());
    /// ```
    pub fn requests(&self) -> Vec<FlightRequest> {
        lock(&self.state.requests).clone()
    }

    /// Fails with every problem seen: invalid tickets, and tickets no
    /// exchange expected. Refused credentials and unknown databases are
    /// answered as the server would and are not problems.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let s = influx::test_util::flight::FlightServer::start("t", &[]).unwrap();
    /// assert!(s.verify().is_ok());
    /// ```
    pub fn verify(&self) -> std::result::Result<(), String> {
        let problems = lock(&self.state.problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

impl Drop for FlightServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Service {
    state: Arc<State>,
}

type Answer<T> = std::result::Result<Response<BoxStream<'static, std::result::Result<T, Status>>>, Status>;

impl Service {
    fn problem(&self, p: String) -> Status {
        lock(&self.state.problems).push(p.clone());
        Status::invalid_argument(p)
    }
}

/// The answer's messages: the schema first, then each step.
fn script(
    steps: Vec<Step>,
) -> std::result::Result<BoxStream<'static, std::result::Result<FlightData, Status>>, Status> {
    let Some(schema) = steps.iter().find_map(|s| match s {
        Step::Batch(b) => Some(b.schema()),
        _ => None,
    }) else {
        // No batch: no schema to send; only waits and the end.
        let tail = stream::iter(steps).then(|s| async move {
            match s {
                Step::Wait(d) => {
                    tokio::time::sleep(d).await;
                    None
                }
                Step::Stall => std::future::pending().await,
                Step::Fail(code, msg) => Some(Err(Status::new(code, msg))),
                Step::Batch(_) | Step::KeepAlive => None,
            }
        });
        return Ok(tail.filter_map(std::future::ready).boxed());
    };
    let encode = |batch: &RecordBatch| {
        batches_to_flight_data(&schema, [batch]).map_err(|e| Status::internal(format!("cannot encode: {e}")))
    };
    // `batches_to_flight_data` puts the schema first: keep it once.
    let empty = RecordBatch::new_empty(schema.clone());
    let mut first = encode(&empty)?;
    first.truncate(1);
    let mut messages: Vec<Step> = Vec::with_capacity(steps.len());
    let mut encoded: Vec<Vec<FlightData>> = Vec::with_capacity(steps.len());
    for s in steps {
        let data = match &s {
            Step::Batch(b) => encode(b)?.split_off(1),
            Step::KeepAlive => encode(&empty)?.split_off(1),
            _ => Vec::new(),
        };
        encoded.push(data);
        messages.push(s);
    }
    let body = stream::iter(messages.into_iter().zip(encoded)).then(|(s, data)| async move {
        match s {
            Step::Wait(d) => {
                tokio::time::sleep(d).await;
                Vec::new()
            }
            Step::Stall => std::future::pending().await,
            Step::Fail(code, msg) => vec![Err(Status::new(code, msg))],
            Step::Batch(_) | Step::KeepAlive => data.into_iter().map(Ok).collect(),
        }
    });
    let body = body.flat_map(stream::iter);
    Ok(stream::iter(first.into_iter().map(Ok)).chain(body).boxed())
}

#[tonic::async_trait]
impl FlightService for Service {
    type HandshakeStream = BoxStream<'static, std::result::Result<HandshakeResponse, Status>>;
    type ListFlightsStream = BoxStream<'static, std::result::Result<FlightInfo, Status>>;
    type DoGetStream = BoxStream<'static, std::result::Result<FlightData, Status>>;
    type DoPutStream = BoxStream<'static, std::result::Result<PutResult, Status>>;
    type DoActionStream = BoxStream<'static, std::result::Result<arrow_flight::Result, Status>>;
    type ListActionsStream = BoxStream<'static, std::result::Result<ActionType, Status>>;
    type DoExchangeStream = BoxStream<'static, std::result::Result<FlightData, Status>>;

    async fn do_get(&self, request: Request<Ticket>) -> Answer<FlightData> {
        let metadata: BTreeMap<String, String> = request
            .metadata()
            .clone()
            .into_headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let ticket = request.into_inner().ticket;
        lock(&self.state.requests)
            .push(FlightRequest { ticket: String::from_utf8_lossy(&ticket).into_owned(), metadata: metadata.clone() });
        match metadata.get("authorization") {
            None => return Err(Status::unauthenticated("Unauthenticated")),
            Some(a) if *a != format!("Bearer {}", self.state.token) => {
                return Err(Status::permission_denied("Permission denied"))
            }
            Some(_) => {}
        }
        let parsed = parse_ticket(&ticket).map_err(|e| self.problem(format!("Invalid ticket. Error: {e}")))?;
        if !self.state.databases.contains(&parsed.database) {
            return Err(Status::not_found(format!("Database '{}' not found", parsed.database)));
        }
        let exchange = lock(&self.state.exchanges).iter().find(|e| e.matches(&parsed)).cloned();
        let Some(exchange) = exchange else {
            return Err(self.problem(format!("no answer expected for ticket {}", String::from_utf8_lossy(&ticket))));
        };
        match exchange.delay {
            Some(Duration::MAX) => std::future::pending::<()>().await,
            Some(d) => tokio::time::sleep(d).await,
            None => {}
        }
        if let Some((code, msg)) = exchange.refuse {
            return Err(Status::new(code, msg));
        }
        Ok(Response::new(script(exchange.steps)?))
    }

    async fn handshake(&self, _: Request<Streaming<HandshakeRequest>>) -> Answer<HandshakeResponse> {
        Err(Status::unimplemented("handshake"))
    }

    async fn list_flights(&self, _: Request<Criteria>) -> Answer<FlightInfo> {
        Err(Status::unimplemented("list_flights"))
    }

    async fn get_flight_info(&self, _: Request<FlightDescriptor>) -> std::result::Result<Response<FlightInfo>, Status> {
        Err(Status::unimplemented("get_flight_info"))
    }

    async fn poll_flight_info(&self, _: Request<FlightDescriptor>) -> std::result::Result<Response<PollInfo>, Status> {
        Err(Status::unimplemented("poll_flight_info"))
    }

    async fn get_schema(&self, _: Request<FlightDescriptor>) -> std::result::Result<Response<SchemaResult>, Status> {
        Err(Status::unimplemented("get_schema"))
    }

    async fn do_put(&self, _: Request<Streaming<FlightData>>) -> Answer<PutResult> {
        Err(Status::unimplemented("do_put"))
    }

    async fn do_action(&self, _: Request<Action>) -> Answer<arrow_flight::Result> {
        Err(Status::unimplemented("do_action"))
    }

    async fn list_actions(&self, _: Request<Empty>) -> Answer<ActionType> {
        Err(Status::unimplemented("list_actions"))
    }

    async fn do_exchange(&self, _: Request<Streaming<FlightData>>) -> Answer<FlightData> {
        Err(Status::unimplemented("do_exchange"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_checked_strictly() {
        let ok = parse_ticket(br#"{"database":"db","sql_query":"SELECT 1","query_type":"sql","params":{"a":1}}"#);
        let ok = ok.unwrap();
        assert_eq!((ok.database.as_str(), ok.query_type.as_str()), ("db", "sql"));
        for bad in [
            &br#"{"database":"db","sql_query":"SELECT 1","query_type":"SQL"}"#[..],
            br#"{"database":"db","sql_query":"SELECT 1"}"#,
            br#"{"db":"db","sql_query":"SELECT 1","query_type":"sql"}"#,
            br#"{"database":"db","q":"SELECT 1","query_type":"sql"}"#,
            br#"{"database":"db","sql_query":"SELECT 1","query_type":"sql","params":{"a":[1]}}"#,
            br#"{"database":"db","sql_query":"SELECT 1","query_type":"sql","params":[1]}"#,
            b"not json",
        ] {
            assert!(parse_ticket(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
