//! A small fault-injecting HTTP/1.1 proxy on loopback, for writer and query tests.
//!
//! It relays one request at a time per connection (Content-Length bodies, as
//! the client sends them) to the upstream server, and applies a scripted
//! [`Fault`] to each request: the next scripted fault, else the default. It
//! counts requests and records their body sizes. Answers are passed on with a
//! Content-Length (a chunked answer is de-chunked first), so faults can cut
//! them where they like. Everything is bounded: every socket has a 30 s
//! timeout, a stall lasts at most 60 s, and the proxy stops when dropped.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the proxy does with one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Relay it.
    Pass,
    /// Wait, then relay it.
    Delay(Duration),
    /// Read it and never answer (until the client gives up, at most 60 s).
    Stall,
    /// Read it, then close the connection without relaying it.
    Reset,
    /// Relay it, read the server's answer, then close without passing it on.
    DropAnswer,
    /// Answer it without relaying: status, extra header lines, body.
    Respond(u16, &'static str, &'static str),
    /// Relay it (the server stores what it stores), then answer with this
    /// instead of the server's answer: status, extra header lines, body.
    RelayThenRespond(u16, &'static str, &'static str),
    /// Flip bytes in the middle of the request body, then relay it.
    CorruptBody,
    /// Relay it, but pass on only the first line of the server's answer
    /// (the first chunk of a chunked query), as if that were all of it.
    CutAfterFirstLine,
    /// Relay it, pass on the answer's head and its first line, then stall
    /// (at most 60 s) without closing.
    StallAfterFirstLine,
    /// Read the head and the first 64 KiB of the body, then reset the
    /// connection (RST) while the client is still sending: what a server that
    /// answers before reading a large body and then closes looks like to a
    /// client that does not read the answer first.
    ResetMidBody,
}

struct State {
    script: VecDeque<Fault>,
    default: Fault,
}

/// A running proxy in front of `upstream`.
pub struct Proxy {
    /// `http://127.0.0.1:PORT` of the proxy.
    pub url: String,
    state: Arc<Mutex<State>>,
    requests: Arc<AtomicUsize>,
    relayed: Arc<AtomicUsize>,
    sizes: Arc<Mutex<Vec<usize>>>,
    lines: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    /// Starts a proxy relaying to `upstream` (an `http://host:port` URL).
    pub fn start(upstream: &str) -> Proxy {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State { script: VecDeque::new(), default: Fault::Pass }));
        let (requests, relayed, stop) = (Arc::default(), Arc::default(), Arc::new(AtomicBool::new(false)));
        let proxy = Proxy { url, state, requests, relayed, sizes: Arc::default(), lines: Arc::default(), stop };
        let counters = Counters {
            state: proxy.state.clone(),
            requests: proxy.requests.clone(),
            relayed: proxy.relayed.clone(),
            sizes: proxy.sizes.clone(),
            lines: proxy.lines.clone(),
            stop: proxy.stop.clone(),
        };
        std::thread::spawn(move || {
            while !counters.stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let (counters, upstream) = (counters.clone(), upstream.clone());
                        std::thread::spawn(move || {
                            let _ = serve(client, &upstream, &counters);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        proxy
    }

    /// Applies `faults` to the next requests, in order.
    pub fn script(&self, faults: impl IntoIterator<Item = Fault>) {
        self.state.lock().unwrap().script.extend(faults);
    }

    /// The fault for requests once the script is used up.
    pub fn set_default(&self, fault: Fault) {
        self.state.lock().unwrap().default = fault;
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Requests relayed to the server so far.
    pub fn relayed(&self) -> usize {
        self.relayed.load(Ordering::SeqCst)
    }

    /// The request line (`POST /write?db=x HTTP/1.1`) of every request received so far.
    pub fn request_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// The body size (bytes on the wire) of every request received so far.
    pub fn body_sizes(&self) -> Vec<usize> {
        self.sizes.lock().unwrap().clone()
    }
}

#[derive(Clone)]
struct Counters {
    state: Arc<Mutex<State>>,
    requests: Arc<AtomicUsize>,
    relayed: Arc<AtomicUsize>,
    sizes: Arc<Mutex<Vec<usize>>>,
    lines: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads one HTTP message head and its Content-Length body.
fn read_message(r: &mut BufReader<TcpStream>) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let Some(head) = read_head(r)? else { return Ok(None) };
    let body = read_body(r, &head)?;
    // A chunked message is passed on whole, with its length.
    if header(&head, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let head: String = head
            .split_inclusive("\r\n")
            .filter(|l| !l.to_ascii_lowercase().starts_with("transfer-encoding:"))
            .collect();
        return Ok(Some((with_length(&head, body.len()), body)));
    }
    Ok(Some((head, body)))
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
    })
}

/// One message head, up to and including its blank line.
fn read_head(r: &mut BufReader<TcpStream>) -> std::io::Result<Option<String>> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        head.push_str(&line);
        if line == "\r\n" {
            return Ok(Some(head));
        }
    }
}

/// The body after `head`: by its Content-Length, or de-chunked.
fn read_body(r: &mut BufReader<TcpStream>, head: &str) -> std::io::Result<Vec<u8>> {
    if header(head, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        return read_chunked(r);
    }
    let len = header(head, "content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    Ok(body)
}

/// A `Transfer-Encoding: chunked` body, de-chunked (trailers skipped).
fn read_chunked(r: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line)?;
        let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
            .map_err(|_| std::io::Error::other(format!("bad chunk size line {line:?}")))?;
        if size == 0 {
            loop {
                let mut trailer = String::new();
                if r.read_line(&mut trailer)? == 0 || trailer == "\r\n" {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..])?;
        let mut crlf = [0u8; 2];
        r.read_exact(&mut crlf)?;
    }
}

/// `head` (ending in the blank line) with its Content-Length set to `len`.
fn with_length(head: &str, len: usize) -> String {
    let mut out: String = head
        .split_inclusive("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("content-length:") && *l != "\r\n")
        .collect();
    out.push_str(&format!("Content-Length: {len}\r\n\r\n"));
    out
}

/// Waits (at most 60 s, or until the proxy stops) without answering.
fn stall(reader: &mut BufReader<TcpStream>, stop: &AtomicBool) -> std::io::Result<()> {
    let until = Instant::now() + Duration::from_secs(60);
    let mut buf = [0u8; 1024];
    reader.get_ref().set_read_timeout(Some(Duration::from_millis(100)))?;
    while Instant::now() < until && !stop.load(Ordering::Relaxed) {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

fn serve(client: TcpStream, upstream: &str, c: &Counters) -> std::io::Result<()> {
    client.set_nonblocking(false)?;
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut out = client.try_clone()?;
    let mut reader = BufReader::new(client);
    let mut server: Option<(TcpStream, BufReader<TcpStream>)> = None;
    while !c.stop.load(Ordering::Relaxed) {
        let Some(head) = read_head(&mut reader)? else { return Ok(()) };
        c.requests.fetch_add(1, Ordering::SeqCst);
        c.lines.lock().unwrap().push(head.lines().next().unwrap_or_default().to_owned());
        let fault = {
            let mut st = c.state.lock().unwrap();
            st.script.pop_front().unwrap_or_else(|| st.default.clone())
        };
        if let Fault::ResetMidBody = fault {
            let mut part = vec![0u8; 64 << 10];
            let _ = reader.read_exact(&mut part);
            reset(reader.get_ref());
            return Ok(());
        }
        let mut body = read_body(&mut reader, &head)?;
        c.sizes.lock().unwrap().push(body.len());
        match fault {
            Fault::Delay(d) => std::thread::sleep(d),
            Fault::Stall => return stall(&mut reader, &c.stop),
            Fault::Reset => {
                let _ = out.shutdown(Shutdown::Both);
                return Ok(());
            }
            Fault::Respond(status, headers, text) => {
                out.write_all(canned(status, headers, text).as_bytes())?;
                continue;
            }
            Fault::CorruptBody => {
                let mid = body.len() / 2;
                for b in body.iter_mut().skip(mid).take(4) {
                    *b ^= 0xff;
                }
            }
            _ => {}
        }
        if server.is_none() {
            let s = TcpStream::connect(upstream)?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            let r = BufReader::new(s.try_clone()?);
            server = Some((s, r));
        }
        let (s, r) = server.as_mut().unwrap();
        s.write_all(head.as_bytes())?;
        s.write_all(&body)?;
        c.relayed.fetch_add(1, Ordering::SeqCst);
        let Some((rhead, rbody)) = read_message(r)? else { return Ok(()) };
        let first_line = |b: &[u8]| b.iter().position(|&x| x == b'\n').map_or(b.len(), |i| i + 1);
        match fault {
            Fault::DropAnswer => {
                let _ = out.shutdown(Shutdown::Both);
                return Ok(());
            }
            Fault::RelayThenRespond(status, headers, text) => {
                out.write_all(canned(status, headers, text).as_bytes())?;
            }
            Fault::CutAfterFirstLine => {
                let cut = &rbody[..first_line(&rbody)];
                out.write_all(with_length(&rhead, cut.len()).as_bytes())?;
                out.write_all(cut)?;
            }
            Fault::StallAfterFirstLine => {
                out.write_all(rhead.as_bytes())?;
                out.write_all(&rbody[..first_line(&rbody)])?;
                out.flush()?;
                return stall(&mut reader, &c.stop);
            }
            _ => {
                out.write_all(rhead.as_bytes())?;
                out.write_all(&rbody)?;
            }
        }
    }
    Ok(())
}

/// Makes the coming close (when the connection's streams drop) a RST, not a FIN.
fn reset(s: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger { l_onoff: 1, l_linger: 0 };
    // SAFETY: a valid socket and a correctly sized option value.
    unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::addr_of!(linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

fn canned(status: u16, headers: &str, text: &str) -> String {
    format!(
        "HTTP/1.1 {status} Fault\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n{headers}\r\n{text}",
        text.len()
    )
}
