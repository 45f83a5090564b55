//! Several servers behind one transport: the node set every API generation's
//! client sends through, with health state, failover and per-node statistics.
//!
//! A client built with [`ClientBuilder::urls`](super::ClientBuilder::urls)
//! holds one [`Node`] per URL. Every request (ping, write, query, management,
//! of every generation) goes through [`Shared::send`]: it picks a node by the
//! [`Balance`] policy, healthy nodes first, and moves on to the next node when
//! one fails with a connect error, a timeout, a dropped connection or a 5xx,
//! if the request may be sent twice (see `idempotent` below). A node that
//! fails is marked down; a background task pings it (`GET /ping`, no
//! credentials) with exponential backoff and marks it up as soon as it answers.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use super::http::transport;
use super::Shared;
use crate::{Error, ErrorKind, Result};

/// How a client with several server URLs picks the node of each request.
///
/// Either way a node marked down is skipped while another is up, and a
/// request that fails on one node goes on to the next when it may.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::Balance;
/// let client = influx::ClientBuilder::new()
///     .urls(["http://db1:8086", "http://db2:8086"])
///     .balance(Balance::LeastInFlight)
///     .build()
///     .unwrap();
/// assert_eq!(client.nodes().len(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Balance {
    /// Each request starts at the next node in turn (the default).
    #[default]
    RoundRobin,
    /// Each request goes to the healthy node with the fewest requests in
    /// flight from this client; ties go round robin.
    LeastInFlight,
}

/// One node's health and counters, as [`Client::nodes`](crate::Client::nodes) reports them.
///
/// Serializable, to be exported as it is (JSON, a metrics endpoint).
///
/// ```
/// # extern crate influx_core as influx;
/// let client = influx::ClientBuilder::new().urls(["http://db1:8086", "http://db2:8086"]).build().unwrap();
/// let nodes = client.nodes();
/// assert_eq!(nodes[1].url, "http://db2:8086");
/// assert!(nodes.iter().all(|n| n.up && n.requests == 0));
/// println!("{}", serde_json::to_string(&nodes).unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct NodeStats {
    /// The node's base URL.
    pub url: String,
    /// False from a failure until the node answers again (a probe or a request).
    pub up: bool,
    /// Requests sent to it and not yet answered.
    pub in_flight: u64,
    /// Requests sent to it (each attempt counts).
    pub requests: u64,
    /// Requests that failed there: no connection, a timeout, a dropped connection or a 5xx.
    pub failures: u64,
    /// Requests that failed there and were sent on to another node.
    pub failovers: u64,
    /// Times it was marked down.
    pub marked_down: u64,
    /// Health probes (`GET /ping`) sent to it while down.
    pub probes: u64,
    /// The last failure, if any (no URL, no credentials).
    pub last_error: Option<String>,
    /// How long it has been down, if it is.
    pub down_for: Option<Duration>,
}

/// One server of the set.
pub(crate) struct Node {
    pub(crate) base: String,
    down: AtomicBool,
    probing: AtomicBool,
    in_flight: AtomicU64,
    requests: AtomicU64,
    failures: AtomicU64,
    failovers: AtomicU64,
    downs: AtomicU64,
    probes: AtomicU64,
    last_error: Mutex<Option<String>>,
    down_since: Mutex<Option<Instant>>,
}

/// When a down node is probed: `initial` after it failed, doubling up to `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Probe {
    pub(crate) initial: Duration,
    pub(crate) max: Duration,
}

impl Default for Probe {
    fn default() -> Self {
        Self { initial: Duration::from_millis(250), max: Duration::from_secs(10) }
    }
}

/// The node set of one client (and its clones and writers).
pub(crate) struct Nodes {
    pub(crate) list: Box<[Node]>,
    balance: Balance,
    next: AtomicUsize,
    probe: Probe,
    /// For probes; the same pool as the client's requests.
    http: reqwest::Client,
    /// The limit on one probe.
    probe_timeout: Duration,
}

impl fmt::Debug for Nodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.list.iter().map(|n| &n.base)).finish()
    }
}

impl Nodes {
    pub(crate) fn new(
        bases: Vec<String>,
        balance: Balance,
        probe: Probe,
        http: reqwest::Client,
        timeout: Option<Duration>,
    ) -> Self {
        let list = bases
            .into_iter()
            .map(|base| Node {
                base,
                down: AtomicBool::new(false),
                probing: AtomicBool::new(false),
                in_flight: AtomicU64::new(0),
                requests: AtomicU64::new(0),
                failures: AtomicU64::new(0),
                failovers: AtomicU64::new(0),
                downs: AtomicU64::new(0),
                probes: AtomicU64::new(0),
                last_error: Mutex::new(None),
                down_since: Mutex::new(None),
            })
            .collect();
        let probe_timeout = timeout.unwrap_or(Duration::from_secs(5)).min(Duration::from_secs(5));
        Self { list, balance, next: AtomicUsize::new(0), probe, http, probe_timeout }
    }

    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    pub(crate) fn stats(&self) -> Vec<NodeStats> {
        self.list
            .iter()
            .map(|n| {
                let down_since = *lock(&n.down_since);
                let up = !n.down.load(Relaxed);
                NodeStats {
                    url: n.base.clone(),
                    up,
                    in_flight: n.in_flight.load(Relaxed),
                    requests: n.requests.load(Relaxed),
                    failures: n.failures.load(Relaxed),
                    failovers: n.failovers.load(Relaxed),
                    marked_down: n.downs.load(Relaxed),
                    probes: n.probes.load(Relaxed),
                    last_error: lock(&n.last_error).clone(),
                    down_for: down_since.filter(|_| !up).map(|t| t.elapsed()),
                }
            })
            .collect()
    }

    /// The nodes to try, in order: healthy ones by the policy, then down ones
    /// (a request is still tried when every node is down).
    fn order(&self) -> Vec<usize> {
        let (mut up, down): (Vec<usize>, Vec<usize>) =
            (0..self.list.len()).partition(|&i| !self.list[i].down.load(Relaxed));
        // The turn goes round the healthy nodes only, so a down node's share
        // spreads evenly over the others.
        if !up.is_empty() {
            let start = self.next.fetch_add(1, Relaxed) % up.len();
            up.rotate_left(start);
            if self.balance == Balance::LeastInFlight {
                up.sort_by_key(|&i| self.list[i].in_flight.load(Relaxed));
            }
        }
        up.extend(down);
        up
    }

    fn succeeded(&self, i: usize) {
        let node = &self.list[i];
        if node.down.swap(false, Relaxed) {
            tracing::info!(node = %node.base, "node back up: it answered a request");
        }
    }

    /// Counts a failure and marks the node down (probing it in the background).
    fn failed(self: &Arc<Self>, i: usize, error: &str) {
        let node = &self.list[i];
        node.failures.fetch_add(1, Relaxed);
        *lock(&node.last_error) = Some(error.to_owned());
        if node.down.swap(true, Relaxed) {
            return;
        }
        node.downs.fetch_add(1, Relaxed);
        *lock(&node.down_since) = Some(Instant::now());
        tracing::warn!(node = %node.base, error, "node marked down");
        // One node alone has nothing to fail over to: its next request is its probe.
        if self.list.len() > 1 && !node.probing.swap(true, Relaxed) {
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(probe(Arc::downgrade(self), i));
            } else {
                node.probing.store(false, Relaxed);
            }
        }
    }
}

/// Pings a down node with backoff until it answers or the client is gone.
async fn probe(nodes: Weak<Nodes>, i: usize) {
    let mut delay = match nodes.upgrade() {
        Some(n) => n.probe.initial,
        None => return,
    };
    loop {
        tokio::time::sleep(delay).await;
        let Some(nodes) = nodes.upgrade() else { return };
        let node = &nodes.list[i];
        if !node.down.load(Relaxed) {
            node.probing.store(false, Relaxed);
            return;
        }
        node.probes.fetch_add(1, Relaxed);
        let answer = nodes.http.get(format!("{}/ping", node.base)).timeout(nodes.probe_timeout).send().await;
        match answer {
            // Any answer but a 5xx is a server at work (401: it wants credentials, still alive).
            Ok(resp) if !resp.status().is_server_error() => {
                node.probing.store(false, Relaxed);
                if node.down.swap(false, Relaxed) {
                    tracing::info!(node = %node.base, probes = node.probes.load(Relaxed), "node back up: it answered a probe");
                }
                return;
            }
            Ok(resp) => {
                tracing::debug!(node = %node.base, status = resp.status().as_u16(), "probe: node still down");
            }
            Err(e) => {
                tracing::debug!(node = %node.base, error = %transport(e), "probe: node still down");
            }
        }
        delay = (delay * 2).min(nodes.probe.max);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Decrements a node's in-flight count however the attempt ends.
struct InFlight<'a>(&'a AtomicU64);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Relaxed);
    }
}

impl Shared {
    /// True if a request may reach more than one node (several URLs, not
    /// pinned to one): only then does a request's idempotence matter here.
    pub(crate) fn fails_over(&self) -> bool {
        self.pin.is_none() && self.nodes.len() > 1
    }

    /// Whether a raw line-protocol body may be sent on to another node after
    /// any failure: every line has a timestamp. Looked at only when the
    /// request may reach another node.
    pub(crate) fn lp_fails_over(&self, body: &[u8]) -> bool {
        self.fails_over() && super::retry::all_lines_timed(body)
    }

    /// Sends `req` (built for this transport's base URL) to a node and returns
    /// the answer, whatever its status, for the caller to check.
    ///
    /// `idempotent`: the request may reach two nodes without harm (reads,
    /// writes whose every line has a timestamp). Such a request goes on to the
    /// next node after any failure; any other only after a failure to
    /// connect, where nothing was sent. The wait for the answer to start is
    /// bounded by the client's timeout on each node.
    pub(crate) async fn send(&self, req: reqwest::RequestBuilder, idempotent: bool) -> Result<reqwest::Response> {
        self.send_request(req.build().map_err(transport)?, idempotent).await
    }

    /// [`Shared::send`] where the method decides: a GET or HEAD may go on to
    /// another node after any failure, any other method only after a refused
    /// connection.
    pub(crate) async fn send_by_method(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        let req = req.build().map_err(transport)?;
        let idempotent = matches!(*req.method(), reqwest::Method::GET | reqwest::Method::HEAD);
        self.send_request(req, idempotent).await
    }

    /// [`Shared::send`] for a request already built.
    pub(crate) async fn send_request(&self, req: reqwest::Request, idempotent: bool) -> Result<reqwest::Response> {
        let nodes = &self.nodes;
        let order = match self.pin {
            Some(i) => vec![i],
            None if nodes.len() == 1 => vec![0],
            None => nodes.order(),
        };
        let mut req = Some(req);
        for (k, &i) in order.iter().enumerate() {
            let Some(current) = req.as_ref() else { break };
            let last = k + 1 == order.len();
            // Bytes and form bodies clone cheaply; a body that cannot be cloned is sent once.
            let copy = if last { None } else { current.try_clone() };
            let this = match copy {
                Some(copy) => copy,
                None => req.take().expect("checked above"),
            };
            let can_go_on = !last && req.is_some();
            let node = &nodes.list[i];
            let this = self.rebase(this, &node.base)?;
            node.requests.fetch_add(1, Relaxed);
            node.in_flight.fetch_add(1, Relaxed);
            let guard = InFlight(&node.in_flight);
            let result = self.attempt(this).await;
            drop(guard);
            match result {
                Ok(resp) if resp.status().is_server_error() => {
                    let status = resp.status().as_u16();
                    nodes.failed(i, &format!("answered {status}"));
                    if idempotent && can_go_on {
                        node.failovers.fetch_add(1, Relaxed);
                        tracing::debug!(node = %node.base, status, "failing over to the next node");
                        continue;
                    }
                    return Ok(resp);
                }
                Ok(resp) => {
                    nodes.succeeded(i);
                    return Ok(resp);
                }
                Err((e, connected)) => {
                    nodes.failed(i, &e.to_string());
                    if (idempotent || !connected) && can_go_on {
                        node.failovers.fetch_add(1, Relaxed);
                        tracing::debug!(node = %node.base, error = %e, "failing over to the next node");
                        continue;
                    }
                    return Err(e);
                }
            }
        }
        Err(Error::new(ErrorKind::Transport, "no node to send the request to"))
    }

    /// `req` pointed at the node whose base URL is `base`.
    fn rebase(&self, mut req: reqwest::Request, base: &str) -> Result<reqwest::Request> {
        if base == self.base {
            return Ok(req);
        }
        let url = req.url().as_str();
        let rest = url.strip_prefix(self.base.as_str()).unwrap_or(url);
        *req.url_mut() = url::Url::parse(&format!("{base}{rest}"))
            .map_err(|e| Error::new(ErrorKind::Builder, format!("invalid node URL: {e}")))?;
        Ok(req)
    }

    /// One attempt on one node. The error says whether a connection was made
    /// (so the request may have reached the server).
    async fn attempt(&self, req: reqwest::Request) -> std::result::Result<reqwest::Response, (Error, bool)> {
        // A request without its own limit (a chunked query) is bounded here
        // until its answer starts; the rest streams under chunk_timeout.
        let limit = if req.timeout().is_none() { self.timeout } else { None };
        let sent = self.http.execute(req);
        let result = match limit {
            Some(t) => match tokio::time::timeout(t, sent).await {
                Ok(r) => r,
                Err(_) => {
                    return Err((
                        Error::new(
                            ErrorKind::Timeout,
                            format!("the server did not start answering within {t:?} (timeout)"),
                        ),
                        true,
                    ))
                }
            },
            None => sent.await,
        };
        result.map_err(|e| {
            let connected = !e.is_connect();
            (transport(e), connected)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(balance: Balance) -> Arc<Nodes> {
        let c = crate::ClientBuilder::new().urls(["http://a:1", "http://b:1", "http://c:1"]).balance(balance).build();
        Arc::clone(&c.unwrap().shared.nodes)
    }

    #[test]
    fn round_robin_turns_over_healthy_nodes_and_tries_down_ones_last() {
        let n = nodes(Balance::RoundRobin);
        let firsts: Vec<usize> = (0..6).map(|_| n.order()[0]).collect();
        assert_eq!(firsts, [0, 1, 2, 0, 1, 2]);
        n.list[1].down.store(true, Relaxed);
        let mut count = [0; 3];
        for _ in 0..100 {
            let order = n.order();
            assert_eq!(order.len(), 3);
            assert_eq!(order[2], 1, "{order:?}");
            count[order[0]] += 1;
        }
        // A down node's share spreads evenly.
        assert_eq!(count, [50, 0, 50]);
    }

    #[test]
    fn least_in_flight_picks_the_idlest_healthy_node() {
        let n = nodes(Balance::LeastInFlight);
        n.list[0].in_flight.store(5, Relaxed);
        n.list[1].in_flight.store(1, Relaxed);
        assert_eq!(n.order(), [2, 1, 0]);
        n.list[2].down.store(true, Relaxed);
        assert_eq!(n.order(), [1, 0, 2]);
        let stats = n.stats();
        assert!(!stats[2].up && stats[0].in_flight == 5, "{stats:?}");
    }

    #[test]
    fn requests_are_pointed_at_the_node() {
        let c = crate::ClientBuilder::new().urls(["http://a:1/influx", "http://b:2"]).build().unwrap();
        let req = c.shared.http.get(format!("{}/query?q=x", c.shared.base)).build().unwrap();
        let moved = c.shared.rebase(req, "http://b:2").unwrap();
        assert_eq!(moved.url().as_str(), "http://b:2/query?q=x");
    }
}
