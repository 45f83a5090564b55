//! A small fault-injecting HTTP/1.1 proxy on loopback, for writer tests.
//!
//! It relays one request at a time per connection (Content-Length bodies, as
//! `/write` uses) to the upstream server, and applies a scripted [`Fault`] to
//! each request: the next scripted fault, else the default. It counts requests.
//! Everything is bounded: every socket has a 30 s timeout, a stall lasts at
//! most 60 s, and the proxy stops when dropped.

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
        let proxy = Proxy { url, state, requests, relayed, stop };
        let (state, requests, relayed, stop) =
            (proxy.state.clone(), proxy.requests.clone(), proxy.relayed.clone(), proxy.stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let (state, requests, relayed, stop, upstream) =
                            (state.clone(), requests.clone(), relayed.clone(), stop.clone(), upstream.clone());
                        std::thread::spawn(move || {
                            let _ = serve(client, &upstream, &state, &requests, &relayed, &stop);
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
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads one HTTP message head and its Content-Length body.
fn read_message(r: &mut BufReader<TcpStream>) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    Ok(Some((head, body)))
}

fn serve(
    client: TcpStream,
    upstream: &str,
    state: &Mutex<State>,
    requests: &AtomicUsize,
    relayed: &AtomicUsize,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    client.set_nonblocking(false)?;
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut out = client.try_clone()?;
    let mut reader = BufReader::new(client);
    let mut server: Option<(TcpStream, BufReader<TcpStream>)> = None;
    while !stop.load(Ordering::Relaxed) {
        let Some((head, body)) = read_message(&mut reader)? else { return Ok(()) };
        requests.fetch_add(1, Ordering::SeqCst);
        let fault = {
            let mut st = state.lock().unwrap();
            st.script.pop_front().unwrap_or_else(|| st.default.clone())
        };
        match fault {
            Fault::Pass | Fault::DropAnswer => {}
            Fault::Delay(d) => std::thread::sleep(d),
            Fault::Stall => {
                let until = Instant::now() + Duration::from_secs(60);
                let mut buf = [0u8; 1024];
                reader.get_ref().set_read_timeout(Some(Duration::from_millis(100)))?;
                while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                    match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(_) => {}
                        Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                        }
                        Err(_) => break,
                    }
                }
                return Ok(());
            }
            Fault::Reset => {
                let _ = out.shutdown(Shutdown::Both);
                return Ok(());
            }
            Fault::Respond(status, headers, text) => {
                let resp = format!(
                    "HTTP/1.1 {status} Fault\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n{headers}\r\n{text}",
                    text.len()
                );
                out.write_all(resp.as_bytes())?;
                continue;
            }
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
        relayed.fetch_add(1, Ordering::SeqCst);
        let Some((rhead, rbody)) = read_message(r)? else { return Ok(()) };
        if matches!(fault, Fault::DropAnswer) {
            let _ = out.shutdown(Shutdown::Both);
            return Ok(());
        }
        out.write_all(rhead.as_bytes())?;
        out.write_all(&rbody)?;
    }
    Ok(())
}
