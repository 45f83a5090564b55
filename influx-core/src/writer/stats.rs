//! Counters a user can read at any time: [`WriteStats`].

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// A snapshot of a writer's counters, all in points unless named otherwise.
/// Serializable, to be exported as it is.
///
/// `accepted = written + rejected + failed + dropped + buffered` holds once the
/// writer is closed (and at any quiet moment).
///
/// ```
/// # extern crate influx_core as influx;
/// let s = influx::writer::WriteStats::default();
/// assert_eq!(s.accepted, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct WriteStats {
    /// Points taken by `write` (encoded and buffered).
    pub accepted: u64,
    /// Points the server acknowledged as stored.
    pub written: u64,
    /// Points the server refused for good (bad line, field type conflict,
    /// outside the retention policy), reported with its reason.
    pub rejected: u64,
    /// Points of batches that could not be written (permanent error, retries
    /// exhausted, single point too large, `close_within`'s deadline), reported
    /// with their lines. A kept failure discarded before anyone took it moves
    /// its points from here to `dropped`.
    pub failed: u64,
    /// Points thrown away after being counted and logged at `error`
    /// ([`OnFailure::Discard`](super::OnFailure::Discard), failures beyond
    /// [`WriterOptions::max_kept_failures`](super::WriterOptions::max_kept_failures),
    /// failures of a writer dropped without `close`).
    pub dropped: u64,
    /// Points on their way right now: buffered, queued, in flight or being
    /// retried. These, and only these, hold capacity. (In a replicated
    /// writer: points some node is not yet done with; a point's capacity
    /// comes back when the first node is done with it.)
    pub buffered: u64,
    /// Requests sent, including retries and split halves.
    pub requests: u64,
    /// Requests that were retries.
    pub retries: u64,
    /// Time from sealing to acknowledgement of the last batch that completed.
    pub last_flush_latency: Option<Duration>,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) accepted: AtomicU64,
    pub(crate) written: AtomicU64,
    pub(crate) rejected: AtomicU64,
    pub(crate) failed: AtomicU64,
    pub(crate) dropped: AtomicU64,
    pub(crate) requests: AtomicU64,
    pub(crate) retries: AtomicU64,
    /// Microseconds plus one; 0 means none yet.
    last_latency: AtomicU64,
}

impl Counters {
    pub(crate) fn add(counter: &AtomicU64, n: usize) {
        counter.fetch_add(n as u64, Relaxed);
    }

    pub(crate) fn sub(counter: &AtomicU64, n: usize) {
        counter.fetch_sub(n as u64, Relaxed);
    }

    pub(crate) fn set_latency(&self, d: Duration) {
        self.last_latency.store(u64::try_from(d.as_micros()).unwrap_or(u64::MAX - 1) + 1, Relaxed);
    }

    pub(crate) fn snapshot(&self, buffered: u64) -> WriteStats {
        let lat = self.last_latency.load(Relaxed);
        WriteStats {
            accepted: self.accepted.load(Relaxed),
            written: self.written.load(Relaxed),
            rejected: self.rejected.load(Relaxed),
            failed: self.failed.load(Relaxed),
            dropped: self.dropped.load(Relaxed),
            buffered,
            requests: self.requests.load(Relaxed),
            retries: self.retries.load(Relaxed),
            last_flush_latency: (lat > 0).then(|| Duration::from_micros(lat - 1)),
        }
    }
}
