//! [`WriterOptions`]: batching, retry and target settings of a [`Writer`](super::Writer).

use std::time::Duration;

use crate::line_protocol::TagSource;
use crate::{Consistency, Error, ErrorKind, Precision, Result};

/// When a `write` call returns.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::writer::{WriteMode, WriterOptions};
/// let opts = WriterOptions::new().mode(WriteMode::Synchronous);
/// assert_eq!(opts.write_mode(), WriteMode::Synchronous);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteMode {
    /// `write` buffers and returns; a background task sends batches by size
    /// and by time. Failures are reported by [`Writer::next_failure`](super::Writer::next_failure)
    /// and [`Writer::close`](super::Writer::close).
    #[default]
    Batching,
    /// `write` returns once the server has stored the points (or with the
    /// error that kept them from being stored). Retries happen inside the call.
    Synchronous,
}

/// What happens to a batch the writer could not write.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::writer::{OnFailure, WriterOptions};
/// let opts = WriterOptions::new().on_failure(OnFailure::Discard);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnFailure {
    /// Keep it, with its points, for [`Writer::next_failure`](super::Writer::next_failure)
    /// or [`Writer::close`](super::Writer::close). Kept failures hold no
    /// capacity (a producer never waits because nobody takes them); they are
    /// bounded by [`WriterOptions::max_kept_failures`], beyond which the oldest
    /// are discarded and counted as dropped.
    #[default]
    Keep,
    /// Log it at `error` level and count its points as `dropped`.
    Discard,
}

/// What a batching writer does when it is full (at `capacity` points or
/// `max_buffer_bytes`).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::writer::{Overflow, WriterOptions};
/// let opts = WriterOptions::new().capacity(50_000).overflow(Overflow::DropOldest);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overflow {
    /// `write` waits for room and `try_write` fails with `BufferFull`
    /// (backpressure: nothing is lost).
    #[default]
    Wait,
    /// The oldest points not yet sent (whole batches, oldest first) are
    /// dropped to make room, counted in `WriteStats::dropped` and logged at
    /// `warn`: Telegraf's `metric_buffer_limit`, for producers that prefer
    /// fresh data to waiting. Points already in flight or being retried are
    /// never dropped; when only those fill the writer, `write` waits.
    DropOldest,
}

/// Settings of a batching writer. Durations and counts follow the official
/// Python client's `WriterOptions`; the defaults are the same where it has one.
///
/// ```
/// # extern crate influx_core as influx;
/// use std::time::Duration;
/// use influx::writer::WriterOptions;
/// let opts = WriterOptions::new()
///     .batch_size(5_000)
///     .flush_interval(Duration::from_millis(500))
///     .max_retries(3)
///     .default_tag("region", "eu-west");
/// assert_eq!(opts.get_batch_size(), 5_000);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct WriterOptions {
    pub(crate) mode: WriteMode,
    pub(crate) batch_size: usize,
    pub(crate) max_batch_bytes: usize,
    pub(crate) flush_interval: Duration,
    pub(crate) jitter_interval: Duration,
    pub(crate) retry_interval: Duration,
    pub(crate) max_retries: u32,
    pub(crate) max_retry_delay: Duration,
    pub(crate) max_retry_time: Duration,
    pub(crate) exponential_base: u32,
    pub(crate) capacity: usize,
    pub(crate) max_buffer_bytes: Option<usize>,
    pub(crate) overflow: Overflow,
    pub(crate) max_close_wait: Option<Duration>,
    pub(crate) max_kept_failures: Option<usize>,
    pub(crate) max_in_flight: usize,
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) precision: Precision,
    pub(crate) database: Option<String>,
    pub(crate) retention_policy: Option<String>,
    pub(crate) bucket: Option<String>,
    pub(crate) default_tags: Vec<(String, TagSource)>,
    pub(crate) gzip: Option<bool>,
    pub(crate) client_timestamps: bool,
    pub(crate) on_failure: OnFailure,
    pub(crate) consistency: Option<Consistency>,
    pub(crate) replicate: bool,
    pub(crate) node_queue: Option<usize>,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self::BATCHING
    }
}

macro_rules! setter {
    ($(#[$doc:meta])* $name:ident: $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = value;
            self
        }
    };
}

impl WriterOptions {
    /// The defaults (also [`WriterOptions::new`]): batching, 5,000 points or
    /// 8 MiB per batch, 1 s flush interval, retries every 5 s doubling up to
    /// 125 s, 5 retries within 180 s, capacity 100,000 points, 2 requests in
    /// flight, client-side timestamps, `close` waiting at most 300 s. The
    /// official client's `ASYNCHRONOUS` and batching `WriteOptions()`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::writer::{WriteMode, WriterOptions};
    /// assert_eq!(WriterOptions::BATCHING.write_mode(), WriteMode::Batching);
    /// ```
    pub const BATCHING: WriterOptions = Self::preset(WriteMode::Batching);

    const fn preset(mode: WriteMode) -> WriterOptions {
        WriterOptions {
            mode,
            batch_size: 5_000,
            max_batch_bytes: 8 << 20,
            flush_interval: Duration::from_secs(1),
            jitter_interval: Duration::ZERO,
            retry_interval: Duration::from_secs(5),
            max_retries: 5,
            max_retry_delay: Duration::from_secs(125),
            max_retry_time: Duration::from_secs(180),
            exponential_base: 2,
            capacity: 100_000,
            max_buffer_bytes: None,
            overflow: Overflow::Wait,
            max_close_wait: Some(Duration::from_secs(300)),
            max_kept_failures: None,
            max_in_flight: 2,
            request_timeout: Some(Duration::from_secs(30)),
            precision: Precision::Nanoseconds,
            database: None,
            retention_policy: None,
            bucket: None,
            default_tags: Vec::new(),
            gzip: None,
            client_timestamps: true,
            on_failure: OnFailure::Keep,
            consistency: None,
            replicate: false,
            node_queue: None,
        }
    }

    /// The official client's `ASYNCHRONOUS`: `write` returns at once and the
    /// points go in the background, batched ([`WriterOptions::BATCHING`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::writer::{WriteMode, WriterOptions};
    /// assert_eq!(WriterOptions::ASYNCHRONOUS.write_mode(), WriteMode::Batching);
    /// ```
    pub const ASYNCHRONOUS: WriterOptions = Self::BATCHING;

    /// The official client's `SYNCHRONOUS`: `write` returns once the server
    /// stored the points (retries inside the call), or with the error.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::writer::{WriteMode, WriterOptions};
    /// assert_eq!(WriterOptions::SYNCHRONOUS.write_mode(), WriteMode::Synchronous);
    /// ```
    pub const SYNCHRONOUS: WriterOptions = Self::preset(WriteMode::Synchronous);

    /// The defaults: batching, 5,000 points or 8 MiB per batch, 1 s flush
    /// interval, retries every 5 s doubling up to 125 s, 5 retries within 180 s,
    /// capacity 100,000 points, 2 requests in flight, client-side timestamps.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::writer::WriterOptions::new();
    /// assert_eq!(opts.get_batch_size(), 5_000);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    setter!(
        /// Synchronous or batching (default).
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// # use influx::writer::*;
        /// let _ = WriterOptions::new().mode(WriteMode::Synchronous);
        /// ```
        mode: WriteMode
    );
    setter!(
        /// Points per request (default 5,000). A batch is sent as soon as it holds this many.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().batch_size(1_000);
        /// ```
        batch_size: usize
    );
    setter!(
        /// Bytes of line protocol per request (default 8 MiB, a third of the
        /// server's default `max-body-size`). A soft limit: a batch is sealed
        /// once it reaches it, so one point may go past it.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().max_batch_bytes(1 << 20);
        /// ```
        max_batch_bytes: usize
    );
    setter!(
        /// A non-empty batch older than this is sent even if not full (default 1 s).
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().flush_interval(std::time::Duration::from_millis(100));
        /// ```
        flush_interval: std::time::Duration
    );
    setter!(
        /// A random delay in `[0, jitter]` added to each timed flush and each
        /// `Retry-After` wait (default 0), so many writers do not send in step.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().jitter_interval(std::time::Duration::from_millis(50));
        /// ```
        jitter_interval: std::time::Duration
    );
    setter!(
        /// The first retry delay (default 5 s); retry `n` waits a random time in
        /// `[retry_interval·base^(n-1), retry_interval·base^n]`.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().retry_interval(std::time::Duration::from_secs(1));
        /// ```
        retry_interval: std::time::Duration
    );
    setter!(
        /// Retries per batch after the first attempt (default 5; 0 disables retries).
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().max_retries(10);
        /// ```
        max_retries: u32
    );
    setter!(
        /// The cap on one retry delay, including a server's `Retry-After` (default 125 s).
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().max_retry_delay(std::time::Duration::from_secs(30));
        /// ```
        max_retry_delay: std::time::Duration
    );
    setter!(
        /// The total time a batch may spend being retried, counted from its
        /// first attempt (default 180 s). A retry that would start later is not made.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().max_retry_time(std::time::Duration::from_secs(60));
        /// ```
        max_retry_time: std::time::Duration
    );
    setter!(
        /// The growth factor of the retry delay (default 2).
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().exponential_base(3);
        /// ```
        exponential_base: u32
    );
    setter!(
        /// The most points on their way to the server at once: buffered,
        /// queued, in flight or being retried (default 100,000). When it is
        /// reached `write` waits and `try_write` fails with `BufferFull`. A
        /// point leaves as soon as its outcome is known, failures included.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().capacity(1_000_000);
        /// ```
        capacity: usize
    );

    /// The most bytes of line protocol on their way at once, besides the
    /// `capacity` in points (default: no byte limit). A soft limit: a write
    /// that finds the writer at or over it waits (or, with
    /// [`Overflow::DropOldest`], drops the oldest unsent batches), so the
    /// bytes held stay below this plus one call's points (at most 1,024).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().max_buffer_bytes(64 << 20);
    /// ```
    pub fn max_buffer_bytes(mut self, bytes: usize) -> Self {
        self.max_buffer_bytes = Some(bytes);
        self
    }

    setter!(
        /// What to do when the writer is full: wait (default) or drop the oldest
        /// unsent points, counted as `dropped`.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().overflow(influx::writer::Overflow::DropOldest);
        /// ```
        overflow: Overflow
    );

    /// The longest [`Writer::close`](super::Writer::close) waits for the
    /// buffered points (the official client's `max_close_wait`; default
    /// 300 s, `None`: as long as retries allow). What is not written by then
    /// is reported as failed, as by [`Writer::close_within`](super::Writer::close_within).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().max_close_wait(std::time::Duration::from_secs(30));
    /// let _ = influx::writer::WriterOptions::new().max_close_wait(None);
    /// ```
    pub fn max_close_wait(mut self, limit: impl Into<Option<Duration>>) -> Self {
        self.max_close_wait = limit.into();
        self
    }

    /// The most points of failures ([`FailedBatch`](super::FailedBatch)es)
    /// kept for the caller while nobody takes them (default: `capacity`).
    /// Past it the oldest kept failures are discarded, logged at `error` and
    /// counted as `dropped`, so memory stays bounded (by about
    /// `capacity + max_kept_failures` lines) and `write` never waits on them.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().max_kept_failures(10_000);
    /// ```
    pub fn max_kept_failures(mut self, points: usize) -> Self {
        self.max_kept_failures = Some(points);
        self
    }

    pub(crate) fn kept_failures_limit(&self) -> usize {
        self.max_kept_failures.unwrap_or(self.capacity)
    }
    setter!(
        /// Requests sent concurrently (default 2). With explicit or client-side
        /// timestamps, order between batches does not matter to the server.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().max_in_flight(4);
        /// ```
        max_in_flight: usize
    );
    /// Timeout of one write request (default 30 s; `None`: the client's own).
    /// A timeout counts as retryable.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().request_timeout(std::time::Duration::from_secs(5));
    /// let _ = influx::writer::WriterOptions::new().request_timeout(None);
    /// ```
    pub fn request_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.request_timeout = timeout.into();
        self
    }
    setter!(
        /// The precision of timestamps on the wire (default nanoseconds).
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().precision(influx::Precision::Milliseconds);
        /// ```
        precision: Precision
    );
    setter!(
        /// Stamp points that carry no timestamp with the writer's clock when
        /// `write` is called (default on). Stamps are strictly increasing in units
        /// of the precision, so two stamped points never overwrite each other, and
        /// a batch re-sent after a lost answer overwrites itself instead of adding
        /// duplicates. Off: the server stamps each request on arrival, and a retry
        /// after a lost answer may store the points twice.
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().client_timestamps(false);
        /// ```
        client_timestamps: bool
    );
    setter!(
        /// What to do with batches that cannot be written (default: keep them for the caller).
        ///
        /// ```
        /// # extern crate influx_core as influx;
        /// let _ = influx::writer::WriterOptions::new().on_failure(influx::writer::OnFailure::Keep);
        /// ```
        on_failure: OnFailure
    );

    /// The database to write to (default: the client's).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().database("telemetry");
    /// ```
    pub fn database(mut self, db: impl Into<String>) -> Self {
        self.database = Some(db.into());
        self
    }

    /// The 2.x bucket to write to (default: the client's).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().bucket("metrics");
    /// ```
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// Compress request bodies with gzip (default: the client's setting). On
    /// loopback this costs more CPU than it saves.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().gzip(true);
    /// ```
    pub fn gzip(mut self, on: bool) -> Self {
        self.gzip = Some(on);
        self
    }

    /// The retention policy to write to (default: the database's default).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().retention_policy("one_week");
    /// ```
    pub fn retention_policy(mut self, rp: impl Into<String>) -> Self {
        self.retention_policy = Some(rp.into());
        self
    }

    /// A tag added to every point that does not carry a tag of that key
    /// (the official client's `PointSettings.default_tags`). A later value for
    /// the same key replaces an earlier one; an empty value removes it.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().default_tag("host", "web-1");
    /// ```
    pub fn default_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_tags.push((key.into(), TagSource::Value(value.into())));
        self
    }

    /// A default tag whose value is the environment variable `var`, read once
    /// when the writer is created (the official Python client's `"${env.VAR}"`
    /// values); as [`ClientBuilder::default_tag_env`](crate::ClientBuilder::default_tag_env),
    /// an unset or empty variable makes creating the writer fail with an
    /// [`ErrorKind::Builder`] error naming the tag and the variable.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::writer::WriterOptions;
    /// let client = influx::Client::builder("http://localhost:8086").build().unwrap();
    /// let err = client.untyped_writer(WriterOptions::new().default_tag_env("host", "SURELY_UNSET_VARIABLE_7F3A"));
    /// assert_eq!(err.unwrap_err().kind(), influx::ErrorKind::Builder);
    /// ```
    pub fn default_tag_env(mut self, key: impl Into<String>, var: impl Into<String>) -> Self {
        self.default_tags.push((key.into(), TagSource::Env { var: var.into(), fallback: None }));
        self
    }

    /// Like [`WriterOptions::default_tag_env`], but an unset or empty variable
    /// gives `fallback`; an empty fallback leaves the tag out.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().default_tag_env_or("host", "HOSTNAME", "unknown");
    /// ```
    pub fn default_tag_env_or(
        mut self,
        key: impl Into<String>,
        var: impl Into<String>,
        fallback: impl Into<String>,
    ) -> Self {
        self.default_tags.push((key.into(), TagSource::Env { var: var.into(), fallback: Some(fallback.into()) }));
        self
    }

    /// InfluxDB Enterprise's write consistency of every batch (1.x only),
    /// sent as `consistency=`; see [`Consistency`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().consistency(influx::Consistency::Quorum);
    /// ```
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// Writes every batch to every server of the client
    /// ([`ClientBuilder::urls`](crate::ClientBuilder::urls)) instead of
    /// balancing batches over them: influxdb-relay's semantics, for OSS
    /// servers run in pairs. Each batch is encoded once and handed to one
    /// delivery lane per node, each with its own queue
    /// ([`WriterOptions::node_queue`]), requests in flight, retries, counters
    /// and failures, so a slow or dead node never holds the others back.
    /// Batching mode only. See `docs/cluster.md`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().replicate(true).node_queue(500_000);
    /// ```
    pub fn replicate(mut self, on: bool) -> Self {
        self.replicate = on;
        self
    }

    /// In a replicated writer, the most points queued for one node and not
    /// yet sent (default: `capacity`). When a new batch does not fit, the
    /// node's oldest queued batches are dropped for that node alone, counted
    /// in its `dropped` and logged at `warn` (influxdb-relay's buffer): a node
    /// that is down longer than its queue lasts loses its oldest points, the
    /// others lose nothing. At least `batch_size`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _ = influx::writer::WriterOptions::new().replicate(true).node_queue(200_000);
    /// ```
    pub fn node_queue(mut self, points: usize) -> Self {
        self.node_queue = Some(points);
        self
    }

    pub(crate) fn node_queue_limit(&self) -> usize {
        self.node_queue.unwrap_or(self.capacity)
    }

    /// The configured write mode.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::writer::WriterOptions::new().write_mode(), influx::writer::WriteMode::Batching);
    /// ```
    pub fn write_mode(&self) -> WriteMode {
        self.mode
    }

    /// The configured batch size.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::writer::WriterOptions::new().get_batch_size(), 5_000);
    /// ```
    pub fn get_batch_size(&self) -> usize {
        self.batch_size
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let bad = |what: &str| Err(Error::new(ErrorKind::Builder, format!("invalid write options: {what}")));
        if self.batch_size == 0 {
            return bad("batch_size must be at least 1");
        }
        if self.capacity < self.batch_size {
            return bad("capacity must be at least batch_size");
        }
        if self.capacity > u32::MAX as usize / 2 {
            return bad("capacity is too large");
        }
        if self.max_in_flight == 0 {
            return bad("max_in_flight must be at least 1");
        }
        if self.max_batch_bytes == 0 || self.max_batch_bytes > u32::MAX as usize / 2 {
            return bad("max_batch_bytes must be between 1 and 2 GiB");
        }
        if self.max_buffer_bytes == Some(0) {
            return bad("max_buffer_bytes must be at least 1");
        }
        if self.replicate && self.mode == WriteMode::Synchronous {
            return bad("a replicated writer works in batching mode only");
        }
        if self.node_queue_limit() < self.batch_size {
            return bad("node_queue must be at least batch_size");
        }
        Ok(())
    }
}
