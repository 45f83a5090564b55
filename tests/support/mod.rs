//! Test support: throwaway `influxd` instances on loopback.
//!
//! Every test binary that needs a server calls [`shared`] (one server for the
//! whole binary, or the one at `INFLUX_URL` if that is set) or [`Server::start`]
//! for a dedicated instance with a special configuration (auth, small body
//! limit, TLS, ...). A server that cannot be started makes the test fail with
//! the server's log, never skip.
//!
//! Each instance runs under a tiny `sh` watchdog that holds the read end of a
//! pipe whose write end lives in the test process: when the test process exits,
//! however it exits, the pipe closes and the watchdog stops `influxd`. No
//! instance outlives its test binary.
#![allow(dead_code, unreachable_pub)]
pub mod alloc;
pub mod proxy;
pub mod trace;
pub mod victoria;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Extra settings for a dedicated server.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// `[http] auth-enabled`.
    pub auth: bool,
    /// `[http] max-body-size` in bytes (server default 25e6).
    pub max_body_size: Option<u64>,
    /// `[http] max-row-limit` (server default 0 = unlimited).
    pub max_row_limit: Option<u64>,
    /// `[http] max-connection-limit`.
    pub max_connection_limit: Option<u64>,
    /// `[coordinator]`/`[http]` write throttling: (max-concurrent-write-limit, max-enqueued-write-limit, enqueued-write-timeout).
    pub write_throttle: Option<(u64, u64, &'static str)>,
    /// Enable the UDP listener writing into this database.
    pub udp_database: Option<String>,
    /// Enable the unix socket listener.
    pub unix_socket: bool,
    /// Serve HTTPS with this certificate and key (PEM file paths).
    pub https: Option<(PathBuf, PathBuf)>,
}

/// One running (or stopped) `influxd`.
pub struct Server {
    /// `http://127.0.0.1:PORT` (or `https://localhost:PORT` with TLS).
    pub url: String,
    /// The UDP listener's address, if enabled.
    pub udp_addr: Option<String>,
    /// The unix socket's path, if enabled.
    pub socket_path: Option<PathBuf>,
    /// The instance's temp dir (config, data, log).
    pub dir: PathBuf,
    http_port: u16,
    https: bool,
    proc: Mutex<Option<(Child, ChildStdin)>>,
}

static SHARED: OnceLock<Server> = OnceLock::new();

/// The URL of the binary's shared server: `INFLUX_URL` if set, else a throwaway
/// instance started on first use.
pub fn url() -> String {
    if let Ok(url) = std::env::var("INFLUX_URL") {
        if !url.is_empty() {
            return url;
        }
    }
    SHARED.get_or_init(|| Server::start(Config::default())).url.clone()
}

/// A database name unique to this test: `t_<name>_<pid>_<n>`, safe as an identifier.
pub fn unique_db(name: &str) -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("t_{clean}_{}_{n}", std::process::id())
}

/// Runs `q` against `url` by POST, panicking on any failure (set-up helper).
pub fn admin_query(url: &str, q: &str) -> String {
    admin_query_as(url, q, None)
}

/// [`admin_query`] with HTTP Basic credentials.
pub fn admin_query_as(url: &str, q: &str, auth: Option<(&str, &str)>) -> String {
    let body = format!("q={}", form_encode(q));
    // A server at its connection limit resets new connections until it has
    // seen the test's own ones close: retry those for a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    let (status, text) = loop {
        match try_http(url, "POST", "/query", auth, "application/x-www-form-urlencoded", body.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            other => break other.unwrap_or_else(|e| panic!("POST {url}/query: {e}")),
        }
    };
    assert_eq!(status, 200, "set-up query `{q}` failed: {text}");
    assert!(!text.contains("\"error\""), "set-up query `{q}` failed: {text}");
    text
}

/// Creates a fresh database on `url` and returns its name.
pub fn create_db(url: &str, name: &str) -> String {
    let db = unique_db(name);
    admin_query(url, &format!("CREATE DATABASE \"{db}\""));
    db
}

impl Server {
    /// Starts a dedicated instance; it stops when dropped.
    pub fn start(config: Config) -> Server {
        cleanup_stale_dirs();
        let dir = std::env::temp_dir().join(format!("influx-test-{}-{}", std::process::id(), unique_suffix()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let http_port = free_tcp_port();
        let rpc_port = free_tcp_port();
        let udp_port = config.udp_database.as_ref().map(|_| free_udp_port());
        let socket_path = config.unix_socket.then(|| dir.join("influxd.sock"));
        let conf = render_config(&dir, http_port, rpc_port, udp_port, socket_path.as_deref(), &config);
        std::fs::write(dir.join("influxd.conf"), conf).expect("write config");
        let https = config.https.is_some();
        let url =
            if https { format!("https://localhost:{http_port}") } else { format!("http://127.0.0.1:{http_port}") };
        let server = Server {
            url,
            udp_addr: udp_port.map(|p| format!("127.0.0.1:{p}")),
            socket_path,
            dir,
            http_port,
            https,
            proc: Mutex::new(None),
        };
        server.spawn();
        server
    }

    /// Stops the server abruptly (SIGKILL), keeping its data for [`Server::restart`].
    pub fn kill(&self) {
        self.stop_with("kill9");
    }

    /// Stops the server gracefully (SIGTERM), keeping its data.
    pub fn stop(&self) {
        self.stop_with("term");
    }

    /// Starts the server again on the same port with the same data.
    pub fn restart(&self) {
        self.spawn();
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("influxd.log")).unwrap_or_default()
    }

    fn stop_with(&self, how: &str) {
        if let Some((mut child, mut stdin)) = self.proc.lock().unwrap().take() {
            let _ = writeln!(stdin, "{how}");
            drop(stdin);
            let _ = child.wait();
        }
    }

    fn spawn(&self) {
        let influxd = influxd_path();
        let args = ["-config".into(), self.dir.join("influxd.conf").into_os_string()];
        *self.proc.lock().unwrap() = Some(spawn_watched(&influxd, &args, &self.dir.join("influxd.log")));
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = if self.https {
                TcpStream::connect(("127.0.0.1", self.http_port)).is_ok()
            } else {
                matches!(try_http(&self.url, "GET", "/ping", None, "", b""), Ok((204, _)))
            };
            if ready {
                return;
            }
            if let Some((child, _)) = self.proc.lock().unwrap().as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("influxd exited with {status} before answering /ping; its log:\n{}", self.log());
                }
            }
            assert!(Instant::now() < deadline, "influxd did not answer /ping within 60 s; its log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn render_config(
    dir: &Path,
    http_port: u16,
    rpc_port: u16,
    udp_port: Option<u16>,
    socket: Option<&Path>,
    c: &Config,
) -> String {
    let d = dir.display();
    let mut http = format!(
        "[http]\n  enabled = true\n  bind-address = \"127.0.0.1:{http_port}\"\n  auth-enabled = {}\n  log-enabled = false\n",
        c.auth
    );
    if let Some(n) = c.max_body_size {
        http += &format!("  max-body-size = {n}\n");
    }
    if let Some(n) = c.max_row_limit {
        http += &format!("  max-row-limit = {n}\n");
    }
    if let Some(n) = c.max_connection_limit {
        http += &format!("  max-connection-limit = {n}\n");
    }
    if let Some((conc, enq, timeout)) = c.write_throttle {
        http += &format!(
            "  max-concurrent-write-limit = {conc}\n  max-enqueued-write-limit = {enq}\n  enqueued-write-timeout = \"{timeout}\"\n"
        );
    }
    if let Some(sock) = socket {
        http += &format!("  unix-socket-enabled = true\n  bind-socket = \"{}\"\n", sock.display());
    }
    if let Some((cert, key)) = &c.https {
        http += &format!(
            "  https-enabled = true\n  https-certificate = \"{}\"\n  https-private-key = \"{}\"\n",
            cert.display(),
            key.display()
        );
    }
    let udp = match (udp_port, &c.udp_database) {
        (Some(p), Some(db)) => format!(
            "[[udp]]\n  enabled = true\n  bind-address = \"127.0.0.1:{p}\"\n  database = \"{db}\"\n  batch-size = 1\n  batch-timeout = \"10ms\"\n"
        ),
        _ => String::new(),
    };
    format!(
        "reporting-disabled = true\nbind-address = \"127.0.0.1:{rpc_port}\"\n\n\
         [meta]\n  dir = \"{d}/meta\"\n  logging-enabled = false\n\n\
         [data]\n  dir = \"{d}/data\"\n  wal-dir = \"{d}/wal\"\n  query-log-enabled = false\n  wal-fsync-delay = \"0s\"\n\n\
         [monitor]\n  store-enabled = false\n\n\
         [logging]\n  level = \"warn\"\n\n\
         {http}\n{udp}"
    )
}

/// Starts `program args` under a tiny `sh` watchdog, output appended to `log`. A line on the
/// returned stdin (or EOF, when the test process dies) stops it: `kill9` with SIGKILL, else SIGTERM.
pub fn spawn_watched(program: &Path, args: &[std::ffi::OsString], log: &Path) -> (Child, ChildStdin) {
    let script = r#"
        log="$1"; shift
        "$@" >>"$log" 2>&1 </dev/null &
        p=$!
        read -r how
        if [ "$how" = kill9 ]; then kill -9 "$p"; else kill "$p"; fi
        wait "$p"
    "#;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("watchdog")
        .arg(log)
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run sh to start {}: {e}", program.display()));
    let stdin = child.stdin.take().unwrap();
    (child, stdin)
}

fn influxd_path() -> PathBuf {
    if let Ok(p) = std::env::var("INFLUXD") {
        return PathBuf::from(p);
    }
    for p in ["/usr/bin/influxd", "/usr/local/bin/influxd"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!("influxd not found: install it with `apt-get install -y influxdb` (or run scripts/install-influxdb.sh), or set INFLUXD")
}

fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn unique_suffix() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Removes temp dirs of test processes that are gone.
fn cleanup_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("influx-test-") else { continue };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Runs `f` on a 2-thread runtime, failing the test if it takes longer than `secs`.
pub fn bounded<F: std::future::Future<Output = ()>>(secs: u64, f: F) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async { tokio::time::timeout(Duration::from_secs(secs), f).await.expect("test timed out") });
}

/// `count(v)` and `sum(v)` of measurement `m` in `db`, by query: `(0, 0)` when it holds nothing.
pub fn count_sum(url: &str, db: &str, m: &str) -> (i64, i64) {
    let out = admin_query(url, &format!("SELECT count(v), sum(v) FROM \"{db}\"..\"{m}\""));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    match v["results"][0]["series"][0]["values"][0].as_array() {
        // Mid-write the server can answer a row of nulls (no values yet): that is (0, 0).
        Some(row) => {
            let int = |x: &serde_json::Value| match x {
                serde_json::Value::Null => 0,
                x => x.as_i64().unwrap_or_else(|| panic!("count/sum not an integer: {out}")),
            };
            (int(&row[1]), int(&row[2]))
        }
        None => (0, 0),
    }
}

/// Percent-encodes a form value.
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A minimal blocking HTTP/1.0 request to a plain-http `url`, for set-up and
/// assertions that must not depend on the client under test. Panics on failure.
pub fn http(
    url: &str,
    method: &str,
    path: &str,
    auth: Option<(&str, &str)>,
    ctype: &str,
    body: &[u8],
) -> (u16, String) {
    try_http(url, method, path, auth, ctype, body).unwrap_or_else(|e| panic!("{method} {url}{path}: {e}"))
}

fn try_http(
    url: &str,
    method: &str,
    path: &str,
    auth: Option<(&str, &str)>,
    ctype: &str,
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut headers = Vec::new();
    if !ctype.is_empty() {
        headers.push(("Content-Type".to_owned(), ctype.to_owned()));
    }
    if let Some((u, p)) = auth {
        headers.push(("Authorization".to_owned(), format!("Basic {}", base64(format!("{u}:{p}").as_bytes()))));
    }
    try_http_headers(url, method, path, &headers, body)
}

/// [`http`] with any request headers.
pub fn http_headers(url: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    let headers: Vec<(String, String)> = headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    try_http_headers(url, method, path, &headers, body).unwrap_or_else(|e| panic!("{method} {url}{path}: {e}"))
}

fn try_http_headers(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let host = url.strip_prefix("http://").ok_or_else(|| std::io::Error::other("only http:// is supported"))?;
    let host = host.trim_end_matches('/');
    let mut s = TcpStream::connect(host)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.0\r\nHost: {host}\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req += &format!("{k}: {v}\r\n");
    }
    req += "\r\n";
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp)?;
    let text = String::from_utf8_lossy(&resp).into_owned();
    let status =
        text.get(9..12).and_then(|c| c.parse().ok()).ok_or_else(|| std::io::Error::other("bad status line"))?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Ok((status, body))
}

pub fn base64(input: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A loopback server that accepts connections, reads whatever comes, and never
/// answers: the client's timeouts are all that can end a request. It stops
/// when dropped (and gives up by itself after 60 s).
pub struct Stalled {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Stalled {
    /// Starts one.
    pub fn start() -> Stalled {
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let done = stop.clone();
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(60);
            let mut held = Vec::new();
            while !done.load(Ordering::Relaxed) && Instant::now() < until {
                if let Ok((s, _)) = listener.accept() {
                    let _ = s.set_nonblocking(true);
                    held.push(s);
                }
                let mut buf = [0u8; 4096];
                for s in &mut held {
                    while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        Stalled { url, stop }
    }
}

impl Drop for Stalled {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A loopback address whose accept queue is full: a TCP connect to it gets
/// no answer at all (the kernel drops the SYN), as with a host that is down.
pub struct Unconnectable {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    _listener: TcpListener,
    _queued: Vec<TcpStream>,
}

impl Unconnectable {
    /// Binds one and fills its accept queue.
    pub fn start() -> Unconnectable {
        use std::os::fd::AsRawFd;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        // Shrink the backlog to its minimum, then fill it.
        assert_eq!(unsafe { libc::listen(listener.as_raw_fd(), 0) }, 0);
        let addr = listener.local_addr().unwrap();
        let mut queued = Vec::new();
        while let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            queued.push(s);
            assert!(queued.len() < 64, "the accept queue never filled");
        }
        Unconnectable { url: format!("http://{addr}"), _listener: listener, _queued: queued }
    }
}

/// One event the client logged: level, message and fields (as text).
#[derive(Debug, Clone)]
pub struct LogEvent {
    pub level: tracing::Level,
    pub message: String,
    pub fields: std::collections::BTreeMap<String, String>,
}

impl LogEvent {
    /// A field parsed as an integer.
    pub fn u64(&self, name: &str) -> Option<u64> {
        self.fields.get(name)?.parse().ok()
    }
}

/// Records the client's (`influx_core`) log events.
#[derive(Clone, Default)]
pub struct Logs(std::sync::Arc<Mutex<Vec<LogEvent>>>);

impl Logs {
    /// Every event recorded so far.
    pub fn events(&self) -> Vec<LogEvent> {
        self.0.lock().unwrap().clone()
    }

    /// The events whose message is `message`.
    pub fn with_message(&self, message: &str) -> Vec<LogEvent> {
        self.events().into_iter().filter(|e| e.message == message).collect()
    }
}

impl tracing::Subscriber for Logs {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, meta: &tracing::Metadata<'_>) -> bool {
        meta.target().starts_with("influx_core")
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields(std::collections::BTreeMap<String, String>);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
                self.0.insert(f.name().to_owned(), format!("{v:?}"));
            }
            fn record_str(&mut self, f: &tracing::field::Field, v: &str) {
                self.0.insert(f.name().to_owned(), v.to_owned());
            }
        }
        let mut fields = Fields(Default::default());
        event.record(&mut fields);
        let message = fields.0.remove("message").unwrap_or_default();
        let level = *event.metadata().level();
        self.0.lock().unwrap().push(LogEvent { level, message, fields: fields.0 });
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// [`bounded`] on a current-thread runtime, recording the client's log
/// events (the writer's tasks run on this thread too, so none is missed).
pub fn traced<F: std::future::Future<Output = ()>>(secs: u64, f: F) -> Logs {
    let logs = Logs::default();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tracing::subscriber::with_default(logs.clone(), || {
        rt.block_on(async { tokio::time::timeout(Duration::from_secs(secs), f).await.expect("test timed out") });
        drop(rt);
    });
    logs
}
