//! The batching writer: points in, batches out, and every point accounted for.
//!
//! A [`Writer`] encodes each point once, on the calling task, into the batch
//! being filled. A full batch (by points or bytes), or one older than the
//! flush interval, is sealed and sent by a background task, up to
//! `max_in_flight` requests at a time. A sealed batch is never re-encoded: a
//! retry re-sends the same bytes and a 413 splits them into halves by slicing.
//!
//! **Bounded, and never stuck on failures.** Every point on its way to the
//! server (buffered, queued, in flight, being retried) holds one unit of
//! [`WriterOptions::capacity`]. At capacity [`Writer::write`] waits and
//! [`Writer::try_write`] fails with [`ErrorKind::BufferFull`]; there is no other
//! queue. A point gives its unit back the moment its fate is known (written,
//! refused or failed), so capacity frees up as soon as the server answers
//! again, whatever the caller does with failures: a producer never waits on
//! failures nobody takes. Those are kept apart, up to
//! [`WriterOptions::max_kept_failures`] points; beyond that the oldest kept
//! ones are discarded (logged at `error`, counted as `dropped`).
//!
//! **Every outcome is reported.** Points are written, or refused by the server
//! with its reason (a partial write), or failed (permanent error, retries
//! exhausted), or dropped (discarded, and counted and logged as such). Refused
//! and failed points come back as [`FailedBatch`]es with their lines, from
//! [`Writer::next_failure`] while running and in the [`WriteReport`] of
//! [`Writer::close`]. [`Writer::stats`] counts each class.
//!
//! **Dropping** a writer without `close` seals what is buffered and lets the
//! background task deliver it while the runtime lives, logging a warning; any
//! failure after that is logged at `error` level, since nobody can take it.
//!
//! ```no_run
//! # extern crate influx_core as influx;
//! use influx::{writer::WriterOptions, Client};
//! # struct Cpu;
//! # impl influx::WritePoint for Cpu {
//! #     fn write_point(&self, enc: &mut influx::Encoder<'_>) -> influx::Result<()> {
//! #         enc.buffer().extend_from_slice(b"cpu usage=1"); Ok(())
//! #     }
//! # }
//! # async fn run() -> influx::Result<()> {
//! let client = Client::new("http://127.0.0.1:8086", "telemetry")?;
//! let writer = client.writer::<Cpu>(WriterOptions::new().batch_size(5_000))?;
//! writer.write(&Cpu).await?;
//! let report = writer.close().await?;
//! assert!(report.is_complete(), "{:?}", report.failed);
//! # Ok(()) }
//! ```

mod batch;
mod deliver;
mod options;
mod replicate;
pub(crate) mod retry;
mod stats;
mod target;

pub use deliver::{FailedBatch, FailedLine};
pub use options::{OnFailure, Overflow, WriteMode, WriterOptions};
pub use replicate::NodeReport;
pub use stats::WriteStats;

pub(crate) use batch::scan_line;

use std::borrow::Borrow;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::{Notify, Semaphore};

use crate::line_protocol::{EncodeOptions, WritePoint};
use crate::{Client, Error, ErrorKind, Result};

use batch::{Batch, Filling, Prepared};
use deliver::{Abort, Delivery, Sender};
use replicate::{After, Fan, Lane};
use retry::Jitter;
use stats::Counters;
use target::WriteTarget;

/// A batching writer of points of type `P`; `Writer` alone writes any [`WritePoint`].
///
/// Cheap to clone: clones share one buffer and one background task. Closing
/// one closes all. Obtain one with [`Client::writer`] or [`Client::untyped_writer`].
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// let writer = client.untyped_writer(influx::writer::WriterOptions::new())?;
/// writer.write_line("cpu,host=a usage=0.5").await?;
/// writer.flush().await?; // stored (or reported) once this returns
/// let report = writer.close().await?;
/// println!("{:?}", report.stats);
/// # Ok(()) }
/// ```
#[must_use = "a writer must be closed with `close().await` to learn what was written"]
pub struct Writer<P: ?Sized = dyn WritePoint + Send + Sync> {
    handle: Arc<Handle>,
    _points: PhantomData<fn(&P)>,
}

impl<P: ?Sized> Clone for Writer<P> {
    fn clone(&self) -> Self {
        Self { handle: Arc::clone(&self.handle), _points: PhantomData }
    }
}

impl<P: ?Sized> std::fmt::Debug for Writer<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("destination", self.handle.0.target.destination())
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// What [`Writer::close`] hands back: the final counters and every batch that
/// was not (entirely) written and not yet taken with [`Writer::next_failure`].
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(w: influx::writer::Writer) -> influx::Result<()> {
/// let report = w.close().await?;
/// if !report.is_complete() {
///     for b in &report.failed { eprintln!("{}", b.error()); }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct WriteReport {
    /// The writer's final counters. In a replicated writer each point is
    /// counted once, by the node where it did best (`written`: stored on at
    /// least one node).
    pub stats: WriteStats,
    /// Batches (or parts of batches) that were not written, with their lines
    /// (and, in a replicated writer, their [node](FailedBatch::node)).
    pub failed: Vec<FailedBatch>,
    /// In a replicated writer, each node's own counters, in the order of the
    /// client's URLs; empty otherwise.
    pub nodes: Vec<NodeReport>,
}

impl WriteReport {
    /// True if every accepted point was written (to every node, in a replicated writer).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: influx::writer::WriteReport) { let _ = r.is_complete(); }
    /// ```
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
            && self.stats.written == self.stats.accepted
            && self.nodes.iter().all(|n| n.stats.written == n.stats.accepted)
    }
}

impl Client {
    /// A batching writer of `P` points (see [`crate::writer`]).
    ///
    /// Fails if the options are invalid, no database is set (neither in the
    /// options nor on the client), or, in batching mode, when called outside a
    /// tokio runtime.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # struct Cpu;
    /// # impl influx::WritePoint for Cpu {
    /// #     fn write_point(&self, e: &mut influx::Encoder<'_>) -> influx::Result<()> { Ok(()) }
    /// # }
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let writer = client.writer::<Cpu>(influx::writer::WriterOptions::new())?;
    /// # writer.close().await?; Ok(()) }
    /// ```
    pub fn writer<P: WritePoint + ?Sized>(&self, options: WriterOptions) -> Result<Writer<P>> {
        let target = target::V1::new(self.clone(), &options)?;
        let lanes = lanes(&options, &self.nodes(), |i| Ok(Arc::new(target::V1::new(self.pinned(i), &options)?)))?;
        Writer::start(Arc::new(target), lanes, &self.encode_options(None), self.stamp_clock(), options)
    }

    /// A batching writer of any [`WritePoint`] and of raw lines.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let writer = client.untyped_writer(influx::writer::WriterOptions::new())?;
    /// writer.write_line("m v=1i").await?;
    /// # writer.close().await?; Ok(()) }
    /// ```
    pub fn untyped_writer(&self, options: WriterOptions) -> Result<Writer> {
        self.writer(options)
    }
}

impl crate::v2::Client {
    /// A batching writer of `P` points to a 2.x bucket (see [`crate::writer`]):
    /// the same writer as 1.x's, writing to `/api/v2/write`.
    ///
    /// The bucket is [`WriterOptions::bucket`] or the client's. Fails if the
    /// options are invalid, no bucket or org is set, or, in batching mode,
    /// outside a tokio runtime.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # struct Cpu;
    /// # impl influx::WritePoint for Cpu {
    /// #     fn write_point(&self, e: &mut influx::Encoder<'_>) -> influx::Result<()> { Ok(()) }
    /// # }
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let writer = client.writer::<Cpu>(influx::writer::WriterOptions::new().bucket("metrics"))?;
    /// # writer.close().await?; Ok(()) }
    /// ```
    pub fn writer<P: WritePoint + ?Sized>(&self, options: WriterOptions) -> Result<Writer<P>> {
        let target = target::V2::new(self.clone(), &options)?;
        let lanes = lanes(&options, &self.nodes(), |i| Ok(Arc::new(target::V2::new(self.pinned(i), &options)?)))?;
        Writer::start(Arc::new(target), lanes, &self.encode, &self.shared.clock, options)
    }

    /// A batching writer of any [`WritePoint`] and of raw lines, to a 2.x bucket.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let writer = client.untyped_writer(influx::writer::WriterOptions::new())?;
    /// writer.write_line("m v=1i").await?;
    /// # writer.close().await?; Ok(()) }
    /// ```
    pub fn untyped_writer(&self, options: WriterOptions) -> Result<Writer> {
        self.writer(options)
    }
}

/// A replicated writer's lanes: one target pinned to each node (none otherwise).
fn lanes(
    opts: &WriterOptions,
    nodes: &[crate::NodeStats],
    target: impl Fn(usize) -> Result<Arc<dyn WriteTarget>>,
) -> Result<Vec<Lane>> {
    if !opts.replicate {
        return Ok(Vec::new());
    }
    nodes.iter().enumerate().map(|(i, n)| Ok(Lane::new(Arc::from(n.url.as_str()), target(i)?))).collect()
}

impl crate::v3::Client {
    /// A batching writer of `P` points to a 3.x database (see [`crate::writer`]):
    /// the same writer as 1.x's and 2.x's, writing to the edition's write path.
    ///
    /// The database is [`WriterOptions::database`] or the client's. A partial
    /// write's refused lines come back in [`FailedBatch`]es, each mapped to
    /// its point ([`FailedLine::index`]); with `accept_partial(false)` a batch
    /// with a bad line is reported whole and not retried.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # struct Cpu;
    /// # impl influx::WritePoint for Cpu {
    /// #     fn write_point(&self, e: &mut influx::Encoder<'_>) -> influx::Result<()> { Ok(()) }
    /// # }
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let writer = client.writer::<Cpu>(influx::writer::WriterOptions::new().database("sensors"))?;
    /// # writer.close().await?; Ok(()) }
    /// ```
    pub fn writer<P: WritePoint + ?Sized>(&self, options: WriterOptions) -> Result<Writer<P>> {
        let target = target::V3::new(self.clone(), &options)?;
        let lanes = lanes(&options, &self.nodes(), |i| Ok(Arc::new(target::V3::new(self.pinned(i), &options)?)))?;
        Writer::start(Arc::new(target), lanes, &self.encode, &self.shared.clock, options)
    }

    /// A batching writer of any [`WritePoint`] and of raw lines, to a 3.x database.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let writer = client.untyped_writer(influx::writer::WriterOptions::new())?;
    /// writer.write_line("m v=1i").await?;
    /// # writer.close().await?; Ok(()) }
    /// ```
    pub fn untyped_writer(&self, options: WriterOptions) -> Result<Writer> {
        self.writer(options)
    }
}

struct Handle(Arc<Shared>);

impl Drop for Handle {
    fn drop(&mut self) {
        self.0.abandon();
    }
}

struct Shared {
    target: Arc<dyn WriteTarget>,
    opts: WriterOptions,
    prep: Prepared,
    state: Mutex<State>,
    capacity: Arc<Semaphore>,
    /// Wakes the background task: a sealed batch, a flush, a close.
    wake: Notify,
    /// Wakes waiters: a batch completed, or the task ended.
    done: Notify,
    counters: Counters,
    buffered: AtomicU64,
    /// Bytes of the points that hold capacity (for `max_buffer_bytes`).
    bytes: AtomicU64,
    /// Fired when `close_within` runs out of time.
    abort: Abort,
    /// A replicated writer's delivery lanes, one per node; empty otherwise.
    lanes: Vec<Lane>,
}

#[derive(Default)]
struct State {
    filling: Filling,
    queue: VecDeque<Batch>,
    /// Sealed batches not yet completed, by sequence number.
    pending: BTreeSet<u64>,
    next_seq: u64,
    failures: VecDeque<FailedBatch>,
    /// Lines held by `failures`.
    kept: usize,
    closing: bool,
    abandoned: bool,
    task_done: bool,
    spare: Vec<Vec<u8>>,
    /// A replicated writer's batches on their way over the lanes, by sequence number.
    fans: HashMap<u64, Fan>,
}

fn closed() -> Error {
    Error::new(ErrorKind::WriterClosed, "the writer is closed")
}

impl<P: WritePoint + ?Sized> Writer<P> {
    fn start(
        target: Arc<dyn WriteTarget>,
        lanes: Vec<Lane>,
        encode: &EncodeOptions,
        clock: &Arc<crate::precision::StampClock>,
        opts: WriterOptions,
    ) -> Result<Self> {
        opts.validate()?;
        let prep = Prepared::new(&opts, encode, clock)?;
        let runtime = match opts.mode {
            WriteMode::Batching => Some(tokio::runtime::Handle::try_current().map_err(|_| {
                Error::new(ErrorKind::Runtime, "the batching writer must be created inside a tokio runtime")
            })?),
            WriteMode::Synchronous => None,
        };
        let shared = Arc::new(Shared {
            target,
            prep,
            capacity: Arc::new(Semaphore::new(opts.capacity)),
            state: Mutex::new(State { task_done: runtime.is_none(), ..State::default() }),
            opts,
            wake: Notify::new(),
            done: Notify::new(),
            counters: Counters::default(),
            buffered: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            abort: Abort::default(),
            lanes,
        });
        if let Some(rt) = runtime {
            for i in 0..shared.lanes.len() {
                rt.spawn(replicate::run_lane(Arc::clone(&shared), i));
            }
            rt.spawn(run(Arc::clone(&shared)));
        }
        Ok(Self { handle: Arc::new(Handle(shared)), _points: PhantomData })
    }

    /// Buffers one point, waiting while the writer is at capacity. In
    /// synchronous mode, returns once the point is stored.
    ///
    /// Fails with [`ErrorKind::Encode`] if the point cannot be written as line
    /// protocol (nothing is buffered then) and [`ErrorKind::WriterClosed`]
    /// after `close`.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # struct Cpu;
    /// # impl influx::WritePoint for Cpu { fn write_point(&self, e: &mut influx::Encoder<'_>) -> influx::Result<()> { Ok(()) } }
    /// # async fn f(w: influx::writer::Writer<Cpu>) -> influx::Result<()> {
    /// w.write(&Cpu).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write(&self, point: &P) -> Result<()> {
        self.write_all(std::iter::once(point)).await
    }

    /// Buffers one point if there is room, else fails with [`ErrorKind::BufferFull`]
    /// at once. In synchronous mode, where every write waits for the server, it
    /// fails with [`ErrorKind::Runtime`]: use [`Writer::write`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # struct Cpu;
    /// # impl influx::WritePoint for Cpu { fn write_point(&self, e: &mut influx::Encoder<'_>) -> influx::Result<()> { Ok(()) } }
    /// # fn f(w: &influx::writer::Writer) {
    /// // The untyped writer takes any point.
    /// match w.try_write(&Cpu) {
    ///     Err(e) if e.kind() == influx::ErrorKind::BufferFull => { /* shed load */ }
    ///     other => other.unwrap(),
    /// }
    /// # }
    /// ```
    pub fn try_write(&self, point: &P) -> Result<()> {
        self.try_push(|f, prep| f.push_point(point, prep))
    }

    /// Buffers many points, waiting for room as needed. In synchronous mode,
    /// returns once all are stored.
    ///
    /// On an encoding error at point `i` the error names `point i`; the points
    /// before it were accepted (and will be written), the rest were not.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(w: influx::writer::Writer<Cpu>, points: Vec<Cpu>) -> influx::Result<()> {
    /// w.write_all(&points).await?;
    /// # Ok(()) }
    /// # struct Cpu;
    /// # impl influx::WritePoint for Cpu { fn write_point(&self, e: &mut influx::Encoder<'_>) -> influx::Result<()> { Ok(()) } }
    /// ```
    pub async fn write_all<I>(&self, points: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Borrow<P>,
    {
        self.write_points::<I, P>(points).await
    }
}

impl<P: ?Sized> Writer<P> {
    /// [`Writer::write_all`] for points of any type `Q` (the rows of a record
    /// batch go through a writer of any point type this way).
    pub(crate) async fn write_points<I, Q>(&self, points: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Borrow<Q>,
        Q: WritePoint + ?Sized,
    {
        let shared = self.shared_any();
        if shared.opts.mode == WriteMode::Synchronous {
            return shared
                .write_sync(
                    points
                        .into_iter()
                        .map(|p| move |f: &mut Filling, prep: &Prepared| f.push_point::<Q>(p.borrow(), prep)),
                )
                .await;
        }
        let chunk = shared.opts.batch_size.min(1024);
        let mut items: Vec<I::Item> = Vec::new();
        let mut iter = points.into_iter();
        let mut index = 0;
        loop {
            items.clear();
            items.extend(iter.by_ref().take(chunk));
            if items.is_empty() {
                return Ok(());
            }
            let n = u32::try_from(items.len()).unwrap_or(u32::MAX);
            shared.make_room(n).await?;
            shared.push_many(
                items.iter().map(|p| move |f: &mut Filling, prep: &Prepared| f.push_point::<Q>(p.borrow(), prep)),
                index,
            )?;
            index += items.len();
        }
    }

    fn shared_any(&self) -> &Shared {
        &self.handle.0
    }

    fn try_push(&self, push: impl FnOnce(&mut Filling, &Prepared) -> Result<()>) -> Result<()> {
        let shared = self.shared_any();
        if shared.opts.mode == WriteMode::Synchronous {
            return Err(Error::new(ErrorKind::Runtime, "try_write cannot wait for a synchronous write: use write"));
        }
        if !shared.try_make_room(1)? {
            return Err(Error::new(ErrorKind::BufferFull, "the writer is at capacity"));
        }
        shared.push_many(std::iter::once(push), 0)
    }

    /// Buffers one line of line protocol as it is, waiting for room.
    ///
    /// The line is read as the server reads it, and refused with
    /// [`ErrorKind::Encode`] when the server would silently strip or mangle
    /// part of it: a name the encoder would refuse (see
    /// [`line_protocol`](crate::line_protocol)), whitespace at the start of the
    /// line or before the first field, a `#` comment, text after a string's
    /// closing quote, a line break outside a string. What the server refuses
    /// loudly (a bad number, say) is left to it and reported as failed.
    /// Default tags and a client-side timestamp are added as for points.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(w: influx::writer::Writer) -> influx::Result<()> {
    /// w.write_line("cpu,host=a usage=0.5 1700000000000000000").await?;
    /// // A tab before the `#`: the server would strip it and skip a comment.
    /// assert!(w.write_line("\t#cpu usage=0.5").await.is_err());
    /// # Ok(()) }
    /// ```
    pub async fn write_line(&self, line: &str) -> Result<()> {
        let shared = self.shared_any();
        if shared.opts.mode == WriteMode::Synchronous {
            return shared
                .write_sync(std::iter::once(|f: &mut Filling, prep: &Prepared| f.push_line(line, prep)))
                .await;
        }
        shared.make_room(1).await?;
        shared.push_many(std::iter::once(|f: &mut Filling, prep: &Prepared| f.push_line(line, prep)), 0)
    }

    /// [`Writer::write_line`] without waiting: fails with [`ErrorKind::BufferFull`] at capacity.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::writer::Writer) -> influx::Result<()> {
    /// w.try_write_line("m v=1i")?;
    /// # Ok(()) }
    /// ```
    pub fn try_write_line(&self, line: &str) -> Result<()> {
        self.try_push(|f, prep| f.push_line(line, prep))
    }

    /// Sends everything buffered now and returns once the server has
    /// acknowledged it, or it has been reported as failed (retries included).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(w: influx::writer::Writer) -> influx::Result<()> {
    /// w.write_line("m v=1i").await?;
    /// w.flush().await?;
    /// assert_eq!(w.stats().buffered, 0);
    /// # Ok(()) }
    /// ```
    pub async fn flush(&self) -> Result<()> {
        let shared = self.shared_any();
        let target = {
            let mut st = shared.lock();
            if st.task_done {
                return if shared.opts.mode == WriteMode::Synchronous { Ok(()) } else { Err(closed()) };
            }
            shared.seal(&mut st);
            st.next_seq
        };
        shared.wake.notify_one();
        shared.wait_until(|st| st.pending.first().is_none_or(|&s| s >= target) || st.task_done).await;
        Ok(())
    }

    /// The counters right now.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::writer::Writer) { let s = w.stats(); println!("{} written", s.written); }
    /// ```
    pub fn stats(&self) -> WriteStats {
        let shared = self.shared_any();
        let mut stats = shared.counters.snapshot(shared.buffered.load(Relaxed));
        if !shared.lanes.is_empty() {
            (stats.requests, stats.retries) = shared.lane_requests();
        }
        stats
    }

    /// In a replicated writer ([`WriterOptions::replicate`]), each node's
    /// counters right now, in the order of the client's URLs; empty
    /// otherwise (a balanced writer's nodes are the client's:
    /// [`Client::nodes`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::writer::Writer) {
    /// for node in w.nodes() {
    ///     println!("{}: {} written, {} queued, {} dropped", node.url, node.stats.written, node.stats.buffered, node.stats.dropped);
    /// }
    /// # }
    /// ```
    pub fn nodes(&self) -> Vec<NodeReport> {
        self.shared_any().lanes.iter().map(Lane::report).collect()
    }

    /// Waits for the next batch that could not be (entirely) written. `None`
    /// once the writer is closed and nothing more can fail. Failures hold no
    /// capacity: taking them, or not, never makes `write` wait.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(w: influx::writer::Writer) {
    /// let errors = w.clone();
    /// tokio::spawn(async move {
    ///     while let Some(failed) = errors.next_failure().await {
    ///         eprintln!("{} points not written: {}", failed.len(), failed.error());
    ///     }
    /// });
    /// # }
    /// ```
    pub async fn next_failure(&self) -> Option<FailedBatch> {
        let shared = self.shared_any();
        let mut out = None;
        shared
            .wait_until(|st| {
                out = st.take_failure();
                out.is_some() || st.task_done
            })
            .await;
        out
    }

    /// Takes the failures reported so far, without waiting.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::writer::Writer) { for b in w.take_failures() { eprintln!("{}", b.error()); } }
    /// ```
    pub fn take_failures(&self) -> Vec<FailedBatch> {
        self.shared_any().lock().take_failures()
    }

    /// Stops taking points, sends everything buffered, waits until every
    /// batch is written or has failed for good (retries included), and
    /// returns the final counters and the failures not yet taken.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(w: influx::writer::Writer) -> influx::Result<()> {
    /// let report = w.close().await?;
    /// assert!(report.is_complete());
    /// # Ok(()) }
    /// ```
    ///
    /// It waits at most [`WriterOptions::max_close_wait`] (300 s unless set),
    /// then reports what was not written as failed, like
    /// [`Writer::close_within`].
    pub async fn close(self) -> Result<WriteReport> {
        if let Some(limit) = self.shared_any().opts.max_close_wait {
            return self.close_within(limit).await;
        }
        let shared = self.shared_any();
        shared.begin_close();
        shared.wait_until(|st| st.task_done).await;
        Ok(self.report())
    }

    /// [`Writer::close`] with a deadline: waits at most `limit` for the
    /// buffered points to be written. What is still queued, in flight or
    /// being retried then is not sent (or not waited for) and is reported as
    /// failed with [`ErrorKind::Timeout`] and its lines, so that nothing goes
    /// unaccounted; a request that was in flight may have been stored (with
    /// client-side timestamps, writing those lines again is harmless).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(w: influx::writer::Writer) -> influx::Result<()> {
    /// let report = w.close_within(std::time::Duration::from_secs(5)).await?;
    /// for b in &report.failed { eprintln!("{} points not written: {}", b.len(), b.error()); }
    /// # Ok(()) }
    /// ```
    pub async fn close_within(self, limit: Duration) -> Result<WriteReport> {
        let shared = self.shared_any();
        shared.begin_close();
        if tokio::time::timeout(limit, shared.wait_until(|st| st.task_done)).await.is_err() {
            tracing::warn!(
                limit_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
                points = shared.buffered.load(Relaxed),
                "close deadline reached: reporting unsent points as failed"
            );
            shared.abort.fire();
            shared.wake.notify_one();
            shared.wait_until(|st| st.task_done).await;
        }
        Ok(self.report())
    }

    fn report(&self) -> WriteReport {
        let failed = self.shared_any().lock().take_failures();
        WriteReport { stats: self.stats(), failed, nodes: self.nodes() }
    }
}

impl State {
    fn take_failure(&mut self) -> Option<FailedBatch> {
        let f = self.failures.pop_front()?;
        self.kept -= f.len();
        Some(f)
    }

    fn take_failures(&mut self) -> Vec<FailedBatch> {
        self.kept = 0;
        self.failures.drain(..).collect()
    }
}

impl Shared {
    fn begin_close(&self) {
        {
            let mut st = self.lock();
            st.closing = true;
            self.seal(&mut st);
        }
        self.capacity.close();
        self.wake.notify_one();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-updated
        // in a way that loses points, so carry on.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Pushes points whose capacity was already acquired; on error gives back
    /// the capacity of the points not taken.
    fn push_many<F>(&self, pushes: impl ExactSizeIterator<Item = F>, first_index: usize) -> Result<()>
    where
        F: FnOnce(&mut Filling, &Prepared) -> Result<()>,
    {
        let total = pushes.len();
        let mut taken = 0;
        let mut wake;
        let result = {
            let mut st = self.lock();
            let mut result = Ok(());
            // The first point of a batch starts the flush-interval clock.
            wake = st.filling.len() == 0;
            if st.closing {
                result = Err(closed());
            } else {
                for push in pushes {
                    let before = st.filling.body.len();
                    if let Err(e) = push(&mut st.filling, &self.prep) {
                        result = Err(e.context(format_args!("point {}", first_index + taken)));
                        break;
                    }
                    self.bytes.fetch_add((st.filling.body.len() - before) as u64, Relaxed);
                    taken += 1;
                    if st.filling.len() >= self.opts.batch_size || st.filling.body.len() >= self.opts.max_batch_bytes {
                        wake |= self.seal(&mut st);
                    }
                }
            }
            result
        };
        Counters::add(&self.counters.accepted, taken);
        self.buffered.fetch_add(taken as u64, Relaxed);
        if taken < total {
            self.capacity.add_permits(total - taken);
        }
        if wake && taken > 0 {
            self.wake.notify_one();
        }
        result
    }

    fn seal(&self, st: &mut State) -> bool {
        if st.filling.len() == 0 {
            return false;
        }
        let spare = st.spare.pop();
        let (body, ends, untimed, first) = st.filling.take(spare);
        let seq = st.next_seq;
        st.next_seq += 1;
        st.pending.insert(seq);
        let batch =
            Batch { seq, body: Bytes::from(body), ends, sealed_at: Instant::now(), idempotent: !untimed, first };
        st.queue.push_back(batch);
        true
    }

    async fn wait_until(&self, mut ready: impl FnMut(&mut State) -> bool) {
        loop {
            let notified = self.done.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if ready(&mut self.lock()) {
                return;
            }
            notified.await;
        }
    }

    fn sender(&self) -> Sender<'_> {
        Sender { target: &*self.target, opts: &self.opts, counters: &self.counters, abort: &self.abort }
    }

    /// Synchronous mode: encode, then send inline, batch by batch.
    async fn write_sync<F>(&self, pushes: impl Iterator<Item = F>) -> Result<()>
    where
        F: FnOnce(&mut Filling, &Prepared) -> Result<()>,
    {
        let mut pushes = pushes.peekable();
        let mut index = 0;
        let mut jitter = Jitter::new();
        while pushes.peek().is_some() {
            let (batch, encode_error) = {
                let mut st = self.lock();
                if st.closing {
                    return Err(closed());
                }
                let mut encode_error = None;
                for push in pushes.by_ref() {
                    if let Err(e) = push(&mut st.filling, &self.prep) {
                        encode_error = Some(e.context(format_args!("point {index}")));
                        break;
                    }
                    index += 1;
                    if st.filling.len() >= self.opts.batch_size || st.filling.body.len() >= self.opts.max_batch_bytes {
                        break;
                    }
                }
                let (body, ends, untimed, first) = st.filling.take(None);
                let batch = Batch {
                    seq: 0,
                    body: Bytes::from(body),
                    ends,
                    sealed_at: Instant::now(),
                    idempotent: !untimed,
                    first,
                };
                (batch, encode_error)
            };
            if batch.len() > 0 {
                Counters::add(&self.counters.accepted, batch.len());
                let delivery = self.sender().deliver(&batch, &mut jitter).await;
                self.count(&self.counters, &batch, &delivery, self.opts.on_failure == OnFailure::Discard);
                if let Some(first) = delivery.failed.into_iter().next() {
                    return Err(first.error);
                }
            }
            if let Some(e) = encode_error {
                return Err(e);
            }
        }
        Ok(())
    }

    /// Counts a delivered batch in `counters` (the writer's, or a node's);
    /// `discard`: its failed points are dropped, not kept.
    fn count(&self, counters: &Counters, batch: &Batch, d: &Delivery, discard: bool) -> usize {
        Counters::add(&counters.written, d.written);
        Counters::add(&counters.rejected, d.rejected);
        let failed = batch.len() - d.written - d.rejected;
        if discard {
            Counters::add(&counters.dropped, failed);
        } else {
            Counters::add(&counters.failed, failed);
        }
        counters.set_latency(batch.sealed_at.elapsed());
        failed
    }

    /// A kept failure nobody took is thrown away: its failed points become
    /// dropped (in its node's counters, in a replicated writer).
    fn discard_kept(&self, failed: &FailedBatch, why: &str) {
        let counters = match &failed.node {
            Some((i, _)) => &self.lanes[*i].counters,
            None => &self.counters,
        };
        Counters::sub(&counters.failed, failed.failed_points);
        Counters::add(&counters.dropped, failed.failed_points);
        tracing::error!(points = failed.len(), node = failed.node(), error = %failed.error, "{why}: a kept failure is discarded");
    }

    /// Keeps a failure for the caller (or logs and drops it), within `max_kept_failures`.
    fn keep_failure(&self, st: &mut State, failed: FailedBatch, discard: bool) {
        if discard {
            tracing::error!(points = failed.len(), node = failed.node(), error = %failed.error, "points not written; discarded");
        } else {
            tracing::warn!(points = failed.len(), node = failed.node(), error = %failed.error, "points not written; kept for the caller");
            st.kept += failed.len();
            st.failures.push_back(failed);
        }
        // Kept failures are bounded apart from the capacity: the oldest go first.
        while st.kept > self.opts.kept_failures_limit() {
            let Some(oldest) = st.take_failure() else { break };
            self.discard_kept(&oldest, "more than max_kept_failures points of failures kept");
        }
    }

    /// Books a delivered batch: counters, failures, capacity, waiters.
    fn complete(&self, batch: Batch, delivery: Delivery) {
        let (n, body_len) = (batch.len(), batch.body.len());
        let mut st = self.lock();
        let discard = self.opts.on_failure == OnFailure::Discard || st.abandoned;
        self.count(&self.counters, &batch, &delivery, discard);
        for failed in delivery.failed {
            self.keep_failure(&mut st, failed, discard);
        }
        st.pending.remove(&batch.seq);
        if let Ok(body) = batch.body.try_into_mut() {
            if st.spare.len() <= self.opts.max_in_flight {
                let mut v: Vec<u8> = body.into();
                v.clear();
                st.spare.push(v);
            }
        }
        drop(st);
        self.release(n, body_len);
    }

    /// Gives back the capacity (points and bytes) of `n` points whose outcome is known.
    fn release(&self, n: usize, bytes: usize) {
        self.buffered.fetch_sub(n as u64, Relaxed);
        self.bytes.fetch_sub(bytes as u64, Relaxed);
        // Every point of the batch has its outcome: all its capacity comes back.
        self.capacity.add_permits(n);
        self.done.notify_waiters();
    }

    fn over_bytes(&self) -> bool {
        self.opts.max_buffer_bytes.is_some_and(|max| self.bytes.load(Relaxed) >= max as u64)
    }

    /// Takes `n` units of capacity for points about to be pushed, waiting for
    /// room, or with [`Overflow::DropOldest`] dropping the oldest unsent batches.
    async fn make_room(&self, n: u32) -> Result<()> {
        loop {
            if self.try_make_room(n)? {
                return Ok(());
            }
            // Nothing to drop (or waiting is the policy): wait for a batch to complete.
            let notified = self.done.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if !self.over_bytes() {
                self.capacity.acquire_many(n).await.map_err(|_| closed())?.forget();
                return Ok(());
            }
            if self.lock().closing {
                return Err(closed());
            }
            notified.await;
        }
    }

    /// Takes `n` units of capacity if there is room (making it with
    /// `DropOldest`); false if the caller must wait.
    fn try_make_room(&self, n: u32) -> Result<bool> {
        loop {
            if !self.over_bytes() {
                match self.capacity.try_acquire_many(n) {
                    Ok(p) => {
                        p.forget();
                        return Ok(true);
                    }
                    Err(tokio::sync::TryAcquireError::Closed) => return Err(closed()),
                    Err(tokio::sync::TryAcquireError::NoPermits) => {}
                }
            }
            if self.opts.overflow != Overflow::DropOldest || !self.drop_oldest() {
                return Ok(false);
            }
        }
    }

    /// Drops the oldest batch not yet sent (sealing the one being filled if
    /// nothing else waits); false if every point on its way is in flight. A
    /// replicated writer first drops from its lanes' queues, where its oldest
    /// batches wait.
    fn drop_oldest(&self) -> bool {
        if !self.lanes.is_empty() && self.drop_oldest_queued() {
            return true;
        }
        let mut st = self.lock();
        if st.closing {
            return false;
        }
        if st.queue.is_empty() {
            self.seal(&mut st);
        }
        let Some(batch) = st.queue.pop_front() else { return false };
        st.pending.remove(&batch.seq);
        drop(st);
        let (n, bytes) = (batch.len(), batch.body.len());
        Counters::add(&self.counters.dropped, n);
        tracing::warn!(points = n, "writer full (Overflow::DropOldest): the oldest unsent points are dropped");
        self.release(n, bytes);
        true
    }

    /// The last handle is gone without `close`: deliver in the background, say so.
    fn abandon(&self) {
        let mut st = self.lock();
        if st.closing {
            return;
        }
        st.closing = true;
        st.abandoned = true;
        self.seal(&mut st);
        let buffered = self.buffered.load(Relaxed);
        for failed in st.take_failures() {
            self.discard_kept(&failed, "writer dropped without close()");
        }
        if buffered > 0 {
            if st.task_done {
                tracing::error!(points = buffered, "writer dropped without close() and its task is gone: points lost");
            } else {
                tracing::warn!(
                    points = buffered,
                    "writer dropped without close(): delivering buffered points in the background"
                );
            }
        }
        drop(st);
        self.capacity.close();
        self.wake.notify_one();
    }
}

/// Marks the task as ended even if it is cancelled (runtime shutdown).
struct TaskDone<'a>(&'a Shared);

impl Drop for TaskDone<'_> {
    fn drop(&mut self) {
        let lost = {
            let mut st = self.0.lock();
            st.task_done = true;
            st.pending.len()
        };
        if lost > 0 {
            tracing::error!(batches = lost, "the writer's task stopped (runtime shut down?) with batches undelivered");
        }
        self.0.done.notify_waiters();
    }
}

/// The background task: seals by age, dispatches batches, ends after close.
async fn run(shared: Arc<Shared>) {
    let _done = TaskDone(&shared);
    let mut jitter = Jitter::new();
    let inflight = Arc::new(Semaphore::new(shared.opts.max_in_flight));
    let mut tasks = tokio::task::JoinSet::new();
    let mut flush_jitter = jitter.up_to(shared.opts.jitter_interval);
    loop {
        let deadline = {
            let mut st = shared.lock();
            let age = shared.opts.flush_interval + flush_jitter;
            if let Some(waited) = st.filling.since.map(|t| t.elapsed()).filter(|&w| w >= age) {
                tracing::debug!(
                    points = st.filling.len(),
                    age_us = u64::try_from(waited.as_micros()).unwrap_or(u64::MAX),
                    jitter_us = u64::try_from(flush_jitter.as_micros()).unwrap_or(u64::MAX),
                    "batch sealed by age"
                );
                shared.seal(&mut st);
                flush_jitter = jitter.up_to(shared.opts.jitter_interval);
            }
            st.filling.since.map(|t| t + shared.opts.flush_interval + flush_jitter)
        };
        if shared.abort.is_set() {
            // Past close_within's deadline: what was never sent is reported, not sent.
            let queued: Vec<Batch> = shared.lock().queue.drain(..).collect();
            for batch in queued {
                let delivery = deliver::aborted(&batch);
                shared.complete(batch, delivery);
            }
        }
        if shared.lanes.is_empty() {
            while let Ok(permit) = Arc::clone(&inflight).try_acquire_owned() {
                let Some(batch) = shared.lock().queue.pop_front() else { break };
                let shared = Arc::clone(&shared);
                let mut jitter = Jitter::new();
                tasks.spawn(async move {
                    let delivery = shared.sender().deliver(&batch, &mut jitter).await;
                    shared.complete(batch, delivery);
                    drop(permit);
                });
            }
        } else {
            // Replicated: every sealed batch goes to every lane's queue at once.
            let mut after = After::default();
            {
                let mut st = shared.lock();
                while let Some(batch) = st.queue.pop_front() {
                    shared.fan_out(&mut st, batch, &mut after);
                }
            }
            shared.after(after);
        }
        {
            let st = shared.lock();
            if st.closing {
                shared.wake_lanes();
            }
            if st.closing && st.queue.is_empty() && st.filling.len() == 0 && tasks.is_empty() && st.pending.is_empty() {
                return;
            }
        }
        let sleep = tokio::time::sleep_until(deadline.map_or_else(far_future, tokio::time::Instant::from_std));
        tokio::select! {
            () = shared.wake.notified() => {}
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            () = sleep, if deadline.is_some() => {}
        }
    }
}

fn far_future() -> tokio::time::Instant {
    tokio::time::Instant::now() + Duration::from_secs(86_400)
}
