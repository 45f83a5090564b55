//! [`RetryPolicy`]: influxdb-python's `retries` for plain writes and queries.

use std::future::Future;
use std::time::Duration;

use tracing::warn;

use crate::writer::retry::{backoff, classify_status, classify_transport, Jitter, Verdict};
use crate::{Error, Result};

/// How often a plain write or query is tried before its error is returned
/// (influxdb-python's `InfluxDBClient(retries=3)`); off by default.
///
/// Only what is safe to repeat is retried: a query that only reads (`SELECT`,
/// `SHOW`: decided from its statements, as the GET/POST choice is, whatever
/// method is forced), and a write whose every line carries a timestamp (a
/// repeat overwrites the same points; with client timestamps, the default,
/// `Client::write` always qualifies). Statements that change the server
/// (`CREATE`, `DROP`, `SELECT ... INTO`, ...) and raw bodies with untimed
/// lines are tried once. With several URLs
/// ([`ClientBuilder::urls`](super::ClientBuilder::urls)) one attempt is one
/// pass over the nodes, which fails over by the same rule, so a retry comes
/// only after every node failed. A failure is retried
/// when the batching writer would retry it: a connect error, a reset, a
/// timeout, 429, 5xx (not `retention policy not found`). A query is retried
/// only until its answer starts. Waits back off exponentially with jitter
/// (the `n`th retry waits a random time in `[interval·base^(n-1),
/// interval·base^n]`, capped at `max_delay`), or as long as the server's
/// `Retry-After` says, capped the same way.
///
/// The batching writer has its own retries and ignores this policy.
///
/// ```
/// # extern crate influx_core as influx;
/// use std::time::Duration;
/// use influx::client::RetryPolicy;
/// let client = influx::Client::builder("http://localhost:8086")
///     .retry_policy(RetryPolicy::attempts(3).interval(Duration::from_millis(100)))
///     .build()
///     .unwrap();
/// # let _ = client;
/// assert_eq!(RetryPolicy::default(), RetryPolicy::NONE);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    attempts: u32,
    interval: Duration,
    exponential_base: u32,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::NONE
    }
}

impl RetryPolicy {
    /// One attempt, no retry (the default): errors surface at once.
    pub const NONE: RetryPolicy = RetryPolicy {
        attempts: 1,
        interval: Duration::from_millis(200),
        exponential_base: 2,
        max_delay: Duration::from_secs(10),
    };

    /// At most `attempts` tries in all, the first included (influxdb-python's
    /// `retries`: 3 means up to three tries). 0 counts as 1; influxdb-python's
    /// "0 = until success" is not offered (use the batching writer, whose
    /// retries are bounded by time).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let p = influx::client::RetryPolicy::attempts(3);
    /// assert_eq!(p.max_attempts(), 3);
    /// ```
    pub const fn attempts(attempts: u32) -> Self {
        Self { attempts: if attempts == 0 { 1 } else { attempts }, ..Self::NONE }
    }

    /// The first retry's delay (default 200 ms).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let p = influx::client::RetryPolicy::attempts(2).interval(std::time::Duration::from_secs(1));
    /// # let _ = p;
    /// ```
    pub const fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The growth factor of the delay (default 2).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let p = influx::client::RetryPolicy::attempts(4).exponential_base(3);
    /// # let _ = p;
    /// ```
    pub const fn exponential_base(mut self, base: u32) -> Self {
        self.exponential_base = base;
        self
    }

    /// The longest single delay, `Retry-After` included (default 10 s).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let p = influx::client::RetryPolicy::attempts(5).max_delay(std::time::Duration::from_secs(2));
    /// # let _ = p;
    /// ```
    pub const fn max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// The most tries in all.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::client::RetryPolicy::NONE.max_attempts(), 1);
    /// ```
    pub const fn max_attempts(&self) -> u32 {
        self.attempts
    }

    /// Runs `attempt` until it succeeds, fails for good, or the attempts are
    /// spent. `idempotent` is asked once, at the first failure worth a retry.
    pub(crate) async fn run<T, F, Fut>(
        &self,
        what: &str,
        idempotent: impl FnOnce() -> bool,
        mut attempt: F,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut idempotent = Some(idempotent);
        let mut safe = false;
        let mut jitter = None;
        let mut n = 1;
        loop {
            let error = match attempt().await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            if n >= self.attempts || !worth_a_retry(&error) {
                return Err(if n > 1 {
                    error.context(format_args!("{what} failed {n} times")).with_attempts(n)
                } else {
                    error
                });
            }
            if let Some(ask) = idempotent.take() {
                safe = ask();
            }
            if !safe {
                return Err(error);
            }
            let jitter = jitter.get_or_insert_with(Jitter::new);
            let delay = match error.retry_after() {
                Some(asked) => asked.min(self.max_delay),
                None => backoff(n, self.interval, self.exponential_base, self.max_delay, jitter.unit()),
            };
            warn!(
                attempt = n,
                kind = ?error.kind(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "{what} failed; retrying"
            );
            tokio::time::sleep(delay).await;
            n += 1;
        }
    }
}

/// The batching writer's rule: what another attempt may fix.
fn worth_a_retry(e: &Error) -> bool {
    let verdict = match e.status() {
        Some(status) => classify_status(status, e.server_message().unwrap_or_default()),
        None => classify_transport(e.kind()),
    };
    verdict == Verdict::Retry
}

/// True if every line of a line-protocol body carries a timestamp, so that
/// sending it again overwrites instead of adding points.
pub(crate) fn all_lines_timed(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .all(|l| crate::writer::scan_line(l.strip_suffix(b"\r").unwrap_or(l)).is_ok_and(|s| s.has_timestamp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timed_bodies_are_found() {
        assert!(all_lines_timed(b"m v=1 1\nm,t=a v=\"x y\" 2\n"));
        assert!(!all_lines_timed(b"m v=1 1\nm v=2"));
        assert!(!all_lines_timed(b"m v=\"a 1\""));
        assert!(all_lines_timed(b""));
    }

    #[test]
    fn only_transient_failures_are_retried() {
        use crate::ErrorKind;
        assert!(worth_a_retry(&Error::new(ErrorKind::Server, "x").with_status(503)));
        assert!(worth_a_retry(&Error::new(ErrorKind::Connect, "x")));
        assert!(!worth_a_retry(&Error::new(ErrorKind::BadRequest, "x").with_status(400)));
        assert!(!worth_a_retry(&Error::new(ErrorKind::Tls, "x")));
        assert!(!worth_a_retry(&Error::new(ErrorKind::Query, "statement 0: x")));
    }
}
