//! The replicated writer: every sealed batch goes to every node, through one
//! delivery lane per node (influxdb-relay's semantics).
//!
//! A batch is encoded once; each lane holds an `Arc` of it in its own bounded
//! queue and sends it with its own [`Sender`] (requests in flight, retries,
//! counters), so a slow or dead node only fills its own queue. When a lane's
//! queue would pass [`WriterOptions::node_queue`](super::WriterOptions::node_queue)
//! its oldest queued batches are dropped for that node alone.
//!
//! Capacity: a batch gives its points' capacity (and its bytes, for
//! `max_buffer_bytes`) back when its first lane is done with it (written,
//! refused, failed or dropped there), so the producer goes at the pace of the
//! fastest node, never the slowest; the lanes' queues bound the rest. When no
//! lane is done with the oldest batches and the writer is full,
//! [`Overflow::DropOldest`](super::Overflow::DropOldest) drops the oldest of
//! them from every lane's queue where it still waits. The writer's own
//! counters count each point once, by the lane where it did best, when every
//! lane is done with it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, Semaphore};

use super::batch::Batch;
use super::deliver::{self, Delivery, Sender};
use super::retry::Jitter;
use super::stats::{Counters, WriteStats};
use super::target::WriteTarget;
use super::{OnFailure, Shared, State};

/// What one node's lane did with the batches it was given.
///
/// `stats.accepted = written + rejected + failed + dropped + buffered` holds
/// for each node once the writer is closed; `dropped` counts the points its
/// full queue shed (and failures discarded as for any writer).
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(w: influx::writer::Writer) -> influx::Result<()> {
/// let report = w.close().await?;
/// for node in &report.nodes {
///     println!("{}: {} written, {} dropped, {} retries", node.url, node.stats.written, node.stats.dropped, node.stats.retries);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct NodeReport {
    /// The node's base URL.
    pub url: String,
    /// The writer's counters for this node alone.
    pub stats: WriteStats,
}

#[derive(Default)]
struct LaneQueue {
    batches: VecDeque<Arc<Batch>>,
    points: usize,
}

/// One node's delivery lane.
pub(super) struct Lane {
    pub(super) url: Arc<str>,
    target: Arc<dyn WriteTarget>,
    pub(super) counters: Counters,
    /// Points given to this lane and not yet done with (queued or in flight).
    buffered: AtomicU64,
    queue: Mutex<LaneQueue>,
    wake: Notify,
}

impl Lane {
    pub(super) fn new(url: Arc<str>, target: Arc<dyn WriteTarget>) -> Self {
        Self {
            url,
            target,
            counters: Counters::default(),
            buffered: AtomicU64::new(0),
            queue: Mutex::default(),
            wake: Notify::new(),
        }
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, LaneQueue> {
        self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn pop(&self) -> Option<Arc<Batch>> {
        let mut q = self.queue();
        let b = q.batches.pop_front()?;
        q.points -= b.len();
        Some(b)
    }

    pub(super) fn report(&self) -> NodeReport {
        NodeReport { url: self.url.to_string(), stats: self.counters.snapshot(self.buffered.load(Relaxed)) }
    }
}

/// One batch's progress over the lanes.
pub(super) struct Fan {
    remaining: usize,
    released: bool,
    /// The best outcome so far: (written, rejected, failed, dropped).
    best: Option<[usize; 4]>,
}

/// What to do once the state lock is released.
#[derive(Default)]
pub(super) struct After {
    /// Points (and their bytes) whose capacity comes back.
    release: usize,
    release_bytes: usize,
    /// Points every lane is done with.
    finished: usize,
}

impl Shared {
    /// Hands a sealed batch to every lane (under the state lock, so a lane
    /// that sees the writer's queue empty knows it has every batch).
    pub(super) fn fan_out(&self, st: &mut State, batch: Batch, after: &mut After) {
        let n = batch.len();
        let seq = batch.seq;
        let batch = Arc::new(batch);
        st.fans.insert(seq, Fan { remaining: self.lanes.len(), released: false, best: None });
        let limit = self.opts.node_queue_limit();
        for (i, lane) in self.lanes.iter().enumerate() {
            Counters::add(&lane.counters.accepted, n);
            lane.buffered.fetch_add(n as u64, Relaxed);
            let mut dropped = Vec::new();
            {
                let mut q = lane.queue();
                while q.points + n > limit {
                    let Some(old) = q.batches.pop_front() else { break };
                    q.points -= old.len();
                    dropped.push(old);
                }
                q.points += n;
                q.batches.push_back(Arc::clone(&batch));
            }
            for old in dropped {
                self.shed(st, i, &old, "node queue full: its oldest batch is dropped for this node", after);
            }
            lane.wake.notify_one();
        }
    }

    /// Lane `i` drops a batch it had queued: counted as dropped there.
    fn shed(&self, st: &mut State, i: usize, batch: &Batch, why: &str, after: &mut After) {
        let lane = &self.lanes[i];
        let m = batch.len();
        tracing::warn!(node = %lane.url, points = m, "{why}");
        Counters::add(&lane.counters.dropped, m);
        lane.buffered.fetch_sub(m as u64, Relaxed);
        self.resolve(st, i, batch, [0, 0, 0, m], after);
    }

    /// [`Overflow::DropOldest`](super::Overflow::DropOldest) over the lanes:
    /// drops the oldest batch that no lane is done with (so it still holds
    /// capacity) from every lane's queue where it waits, not where it is in
    /// flight. False if there is none.
    pub(super) fn drop_oldest_queued(&self) -> bool {
        let mut after = After::default();
        {
            let mut st = self.lock();
            if st.closing {
                return false;
            }
            let holds_capacity = |seq: &u64| st.fans.get(seq).is_some_and(|f| !f.released);
            let oldest = self
                .lanes
                .iter()
                .filter_map(|lane| lane.queue().batches.iter().map(|b| b.seq).find(|s| holds_capacity(s)))
                .min();
            let Some(seq) = oldest else { return false };
            for (i, lane) in self.lanes.iter().enumerate() {
                let taken = {
                    let mut q = lane.queue();
                    let b = q.batches.iter().position(|b| b.seq == seq).and_then(|at| q.batches.remove(at));
                    if let Some(b) = &b {
                        q.points -= b.len();
                    }
                    b
                };
                if let Some(b) = taken {
                    let why = "writer full (Overflow::DropOldest): the oldest unsent batch is dropped for this node";
                    self.shed(&mut st, i, &b, why, &mut after);
                }
            }
        }
        self.after(after);
        true
    }

    /// Books lane `i`'s outcome for a batch: counters, failures, and the
    /// batch's progress over the lanes.
    fn complete_on(&self, i: usize, batch: &Batch, delivery: Delivery) {
        let lane = &self.lanes[i];
        let n = batch.len();
        let mut after = After::default();
        {
            let mut st = self.lock();
            let discard = self.opts.on_failure == OnFailure::Discard || st.abandoned;
            let failed = self.count(&lane.counters, batch, &delivery, discard);
            let outcome = if discard {
                [delivery.written, delivery.rejected, 0, failed]
            } else {
                [delivery.written, delivery.rejected, failed, 0]
            };
            for mut f in delivery.failed {
                f.node = Some((i, Arc::clone(&lane.url)));
                self.keep_failure(&mut st, f, discard);
            }
            lane.buffered.fetch_sub(n as u64, Relaxed);
            self.resolve(&mut st, i, batch, outcome, &mut after);
        }
        self.after(after);
    }

    /// One lane is done with `batch`: the first gives its capacity back, the
    /// last counts it in the writer's counters by the best lane's outcome.
    fn resolve(&self, st: &mut State, lane: usize, batch: &Batch, outcome: [usize; 4], after: &mut After) {
        let n = batch.len();
        let Some(fan) = st.fans.get_mut(&batch.seq) else {
            tracing::error!(node = %self.lanes[lane].url, "a replicated batch was resolved twice");
            return;
        };
        fan.remaining -= 1;
        // More written wins; then fewer failed or dropped.
        let key = |o: &[usize; 4]| (o[0], std::cmp::Reverse(o[2] + o[3]));
        if fan.best.as_ref().is_none_or(|b| key(&outcome) > key(b)) {
            fan.best = Some(outcome);
        }
        if !fan.released {
            fan.released = true;
            after.release += n;
            after.release_bytes += batch.body.len();
        }
        if fan.remaining == 0 {
            let best = st.fans.remove(&batch.seq).and_then(|f| f.best).unwrap_or([0, 0, 0, n]);
            st.pending.remove(&batch.seq);
            Counters::add(&self.counters.written, best[0]);
            Counters::add(&self.counters.rejected, best[1]);
            Counters::add(&self.counters.failed, best[2]);
            Counters::add(&self.counters.dropped, best[3]);
            self.counters.set_latency(batch.sealed_at.elapsed());
            after.finished += n;
        }
    }

    pub(super) fn after(&self, after: After) {
        if after.release > 0 {
            self.bytes.fetch_sub(after.release_bytes as u64, Relaxed);
            self.capacity.add_permits(after.release);
        }
        if after.finished > 0 {
            self.buffered.fetch_sub(after.finished as u64, Relaxed);
            self.wake.notify_one();
        }
        if after.release > 0 || after.finished > 0 {
            // Writers waiting for bytes, and flush/close waiting for outcomes.
            self.done.notify_waiters();
        }
    }

    /// Wakes every lane (a close, the end of the writer's task).
    pub(super) fn wake_lanes(&self) {
        for lane in &self.lanes {
            lane.wake.notify_one();
        }
    }

    /// Requests and retries of every lane.
    pub(super) fn lane_requests(&self) -> (u64, u64) {
        self.lanes
            .iter()
            .fold((0, 0), |(r, t), l| (r + l.counters.requests.load(Relaxed), t + l.counters.retries.load(Relaxed)))
    }
}

/// Lane `i`'s task: sends its queued batches, `max_in_flight` at a time, and
/// ends once the writer is closing and it has nothing left.
pub(super) async fn run_lane(shared: Arc<Shared>, i: usize) {
    let lane = &shared.lanes[i];
    let inflight = Arc::new(Semaphore::new(shared.opts.max_in_flight));
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        if shared.abort.is_set() {
            // Past close_within's deadline: what this lane never sent is reported.
            while let Some(batch) = lane.pop() {
                shared.complete_on(i, &batch, deliver::aborted(&batch));
            }
        }
        while let Ok(permit) = Arc::clone(&inflight).try_acquire_owned() {
            let Some(batch) = lane.pop() else { break };
            let shared = Arc::clone(&shared);
            tasks.spawn(async move {
                let lane = &shared.lanes[i];
                let sender = Sender {
                    target: &*lane.target,
                    opts: &shared.opts,
                    counters: &lane.counters,
                    abort: &shared.abort,
                };
                let delivery = sender.deliver(&batch, &mut Jitter::new()).await;
                shared.complete_on(i, &batch, delivery);
                drop(permit);
            });
        }
        let front_done = {
            let st = shared.lock();
            st.closing && st.queue.is_empty() && st.filling.len() == 0
        };
        if front_done && tasks.is_empty() && lane.queue().batches.is_empty() {
            return;
        }
        tokio::select! {
            () = lane.wake.notified() => {}
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
}
