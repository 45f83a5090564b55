//! A synchronous client: the async [`crate::Client`] driven by a private runtime.
//!
//! Each [`Client`] owns (shared among its clones) a one-thread tokio runtime
//! on a background thread; every call is sent there and the calling thread
//! waits for the answer. The caller needs no runtime, and a call made from
//! inside a tokio runtime works too (it blocks that thread while waiting, as
//! any blocking call would: in async code, prefer the async client).
//!
//! It has every method of the async client, with the same arguments and
//! errors. Where the async client returns a stream, this one returns an
//! iterator ([`Client::query_iter`], [`Client::query_chunks`]); its batching
//! writer is [`Writer`], the async [`crate::writer::Writer`] with methods that
//! wait instead of returning futures, and the same reports.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use serde::de::DeserializeOwned;

use crate::decode::{DecodeRow, QueryResponse, SeriesInfo};
use crate::line_protocol::WritePoint;
use crate::writer::{FailedBatch, WriteReport, WriteStats, WriterOptions};
use crate::{ClientBuilder, Error, ErrorKind, Query, QueryResults, Result, WriteOptions};

/// The blocking twin of [`crate::Client`], with the same methods.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # fn main() -> influx::Result<()> {
/// let client = influx::blocking::Client::new("http://localhost:8086", "metrics")?;
/// println!("server {}", client.ping()?);
/// let rows: Vec<(i64, f64)> = client.query_as("SELECT usage FROM cpu LIMIT 10")?;
/// for row in client.query_iter::<(i64, f64)>("SELECT usage FROM cpu")? {
///     let (time, usage) = row?;
///     # let _ = (time, usage);
/// }
/// # let _ = rows; Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
    rt: Arc<Runtime>,
}

#[derive(Debug)]
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn run_here<F: Future>(&self, fut: F) -> Result<F::Output> {
        let rt = self.0.as_ref().ok_or_else(|| Error::new(ErrorKind::Runtime, "the runtime is gone"))?;
        let _context = rt.enter();
        Ok(futures::executor::block_on(fut))
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // Dropping a runtime inside another runtime panics; let it wind down on its own thread.
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl Client {
    /// A client of `url` using `database` (see [`crate::Client::new`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// assert_eq!(c.database(), Some("db"));
    /// ```
    pub fn new(url: impl Into<String>, database: impl Into<String>) -> Result<Self> {
        Self::from_builder(crate::Client::builder(url).database(database))
    }

    /// A client from a DSN (see [`crate::Client::from_dsn`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let c = influx::blocking::Client::from_dsn("influxdb://localhost/db").unwrap();
    /// assert_eq!(c.database(), Some("db"));
    /// ```
    pub fn from_dsn(dsn: &str) -> Result<Self> {
        Self::from_builder(dsn.parse()?)
    }

    /// A client with every option of [`ClientBuilder`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let b = influx::Client::builder("http://localhost:8086").database("db").gzip(true);
    /// let c = influx::blocking::Client::from_builder(b).unwrap();
    /// # let _ = c;
    /// ```
    pub fn from_builder(builder: ClientBuilder) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("influx-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::new(ErrorKind::Runtime, "cannot start the blocking client's runtime").with_source(e))?;
        // Build inside the runtime: the HTTP client may register with its reactor.
        let inner = {
            let _guard = rt.enter();
            builder.build()?
        };
        Ok(Self { inner, rt: Arc::new(Runtime(Some(rt))) })
    }

    /// The async client behind this one (same pool and settings).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// assert_eq!(c.as_async().database(), Some("db"));
    /// ```
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    fn run<F, T>(&self, fut: F) -> Result<T>
    where
        F: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let rt = self.rt.0.as_ref().ok_or_else(|| Error::new(ErrorKind::Runtime, "the runtime is gone"))?;
        let handle = rt.spawn(fut);
        // Waiting on another thread's runtime cannot deadlock this one, even inside an async task.
        match futures::executor::block_on(handle) {
            Ok(r) => r,
            Err(e) => Err(Error::new(ErrorKind::Runtime, "the blocking client's task failed").with_source(e)),
        }
    }

    /// Runs a future that borrows the caller's data (a closure, points) on
    /// this thread, inside the client's runtime: the runtime's thread drives
    /// its IO and timers while this thread waits.
    fn run_here<F: Future>(&self, fut: F) -> Result<F::Output> {
        self.rt.run_here(fut)
    }

    /// The default database.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// assert_eq!(c.database(), Some("db"));
    /// ```
    pub fn database(&self) -> Option<&str> {
        self.inner.database()
    }

    /// See [`crate::Client::nodes`]: each server's health and counters.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let b = influx::ClientBuilder::new().urls(["http://db1:8086", "http://db2:8086"]).database("db");
    /// let c = influx::blocking::Client::from_builder(b).unwrap();
    /// assert_eq!(c.nodes().len(), 2);
    /// ```
    pub fn nodes(&self) -> Vec<crate::NodeStats> {
        self.inner.nodes()
    }

    /// See [`crate::Client::switch_database`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let mut c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// c.switch_database("other");
    /// assert_eq!(c.database(), Some("other"));
    /// ```
    pub fn switch_database(&mut self, database: impl Into<String>) {
        self.inner.switch_database(database);
    }

    /// See [`crate::Client::switch_user`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let mut c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// c.switch_user("reader", "pw");
    /// assert_eq!(c.as_async().username(), Some("reader"));
    /// ```
    pub fn switch_user(&mut self, username: impl Into<String>, password: impl Into<String>) {
        self.inner.switch_user(username, password);
    }

    /// See [`crate::Client::ping`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let version = c.ping().unwrap().version().to_owned();
    /// ```
    pub fn ping(&self) -> Result<crate::client::Pong> {
        let c = self.inner.clone();
        self.run(async move { c.ping().await })
    }

    /// See [`crate::Client::write`]. Points are encoded on the calling thread;
    /// those without a timestamp are stamped with the client's clock.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f<P: influx::WritePoint>(c: influx::blocking::Client, points: Vec<P>) {
    /// c.write(&points).unwrap();
    /// # }
    /// ```
    pub fn write<I>(&self, points: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        self.write_with(points, &WriteOptions::new())
    }

    /// See [`crate::Client::write_with`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f<P: influx::WritePoint>(c: influx::blocking::Client, points: Vec<P>) {
    /// c.write_with(&points, &influx::WriteOptions::new().database("other")).unwrap();
    /// # }
    /// ```
    pub fn write_with<I>(&self, points: I, options: &WriteOptions) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let (body, precision, timed) = self.inner.encode_points(points, options)?;
        if body.is_empty() {
            return Ok(());
        }
        let c = self.inner.clone();
        let options = options.for_encoded_body(precision);
        self.run(async move { c.write_body(body, &options, Some(timed)).await })
    }

    /// See [`crate::Client::write_lp`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// c.write_lp("m v=1", &influx::WriteOptions::new()).unwrap();
    /// ```
    pub fn write_lp<B>(&self, body: B, options: &WriteOptions) -> Result<()>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        let c = self.inner.clone();
        let options = options.clone();
        self.run(async move { c.write_lp(body, &options).await })
    }

    /// See [`crate::Client::query`]: a failed statement is an error unless the
    /// query says [`Query::keep_statement_errors`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let resp = c.query("SHOW MEASUREMENTS").unwrap();
    /// let kept = c.query(influx::Query::new("SELECT * FROM nope..m").keep_statement_errors()).unwrap();
    /// assert!(kept.first_error().is_some());
    /// ```
    pub fn query(&self, q: impl Into<Query>) -> Result<QueryResponse> {
        let (c, q) = (self.inner.clone(), q.into());
        self.run(async move { c.query(q).await })
    }

    /// See [`crate::Client::query_as`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let rows: Vec<(i64, f64)> = c.query_as("SELECT v FROM m").unwrap();
    /// ```
    pub fn query_as<T>(&self, q: impl Into<Query>) -> Result<Vec<T>>
    where
        T: DecodeRow + Send + 'static,
    {
        let (c, q) = (self.inner.clone(), q.into());
        self.run(async move { c.query_as::<T>(q).await })
    }

    /// See [`crate::Client::query_serde`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let rows: Vec<std::collections::HashMap<String, serde_json::Value>> = c.query_serde("SELECT * FROM m").unwrap();
    /// ```
    pub fn query_serde<T>(&self, q: impl Into<Query>) -> Result<Vec<T>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let (c, q) = (self.inner.clone(), q.into());
        self.run(async move { c.query_serde::<T>(q).await })
    }

    /// See [`crate::Client::query_multi`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let r = c.query_multi("SHOW MEASUREMENTS; SHOW TAG KEYS").unwrap();
    /// ```
    pub fn query_multi(&self, q: impl Into<Query>) -> Result<QueryResults> {
        let (c, q) = (self.inner.clone(), q.into());
        self.run(async move { c.query_multi(q).await })
    }

    /// See [`crate::Client::request`]: any endpoint, with the client's
    /// credentials, headers and timeout.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let vars = c.request(influx::client::Request::get("/debug/vars")).unwrap();
    /// ```
    pub fn request(&self, request: crate::client::Request) -> Result<crate::client::RawResponse> {
        let c = self.inner.clone();
        self.run(async move { c.request(request).await })
    }

    /// See [`crate::Client::tag_info`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let info = c.tag_info(None).unwrap();
    /// ```
    pub fn tag_info(&self, measurement: Option<&str>) -> Result<BTreeMap<String, BTreeMap<String, Vec<String>>>> {
        let (c, m) = (self.inner.clone(), measurement.map(str::to_owned));
        self.run(async move { c.tag_info(m.as_deref()).await })
    }

    /// See [`crate::Client::verify`].
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f<Cpu: influx::InfluxPoint>(c: influx::blocking::Client) {
    /// for conflict in c.verify::<Cpu>().unwrap() {
    ///     eprintln!("{conflict}");
    /// }
    /// # }
    /// ```
    pub fn verify<T: crate::InfluxPoint>(&self) -> Result<Vec<crate::client::SchemaConflict>> {
        let c = self.inner.clone();
        self.run(async move { c.verify::<T>().await })
    }

    /// See [`crate::Client::query_each`]: calls `f` with each decoded row and
    /// its series (name, tags, columns, statement), on the calling thread.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// c.query_each("SELECT usage FROM cpu GROUP BY host", |(time, usage): (i64, f64), s| {
    ///     println!("{} {} {time} {usage}", s.name(), s.tags());
    /// })
    /// .unwrap();
    /// ```
    pub fn query_each<T, F>(&self, q: impl Into<Query>, f: F) -> Result<()>
    where
        T: DecodeRow,
        F: FnMut(T, &SeriesInfo<'_>),
    {
        self.run_here(self.inner.query_each(q, f))?
    }

    /// Streams the raw chunks of `q` like [`crate::Client::query_chunks`]
    /// (aioinflux's `iterchunks`), as an iterator. Dropping it stops the query.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// for chunk in c.query_chunks(influx::Query::new("SELECT * FROM cpu").chunk_size(1000)).unwrap() {
    ///     println!("{} points", chunk.unwrap().iter_points().count());
    /// }
    /// ```
    pub fn query_chunks(&self, q: impl Into<Query>) -> Result<ChunkIter> {
        let (c, q) = (self.inner.clone(), q.into());
        let stream = self.run(async move { c.query_chunks(q).await })?;
        Ok(ChunkIter(self.pump(stream)?))
    }

    /// A batching writer of `P` points, as [`crate::Client::writer`] makes
    /// one: the same options, batching, retries, statistics and reports, with
    /// methods that wait instead of returning futures. Its background task
    /// runs on this client's runtime.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # struct Cpu;
    /// # impl influx::WritePoint for Cpu {
    /// #     fn write_point(&self, e: &mut influx::Encoder<'_>) -> influx::Result<()> { e.measurement("cpu")?; e.field_f64("v", 1.0) }
    /// # }
    /// # fn f(c: influx::blocking::Client, points: Vec<Cpu>) -> influx::Result<()> {
    /// let writer = c.writer::<Cpu>(influx::writer::WriterOptions::new().batch_size(5_000))?;
    /// writer.write_all(&points)?;
    /// let report = writer.close()?;
    /// assert!(report.is_complete(), "{:?}", report.failed);
    /// # Ok(()) }
    /// ```
    pub fn writer<P: WritePoint + ?Sized>(&self, options: WriterOptions) -> Result<Writer<P>> {
        let rt = self.rt.0.as_ref().ok_or_else(|| Error::new(ErrorKind::Runtime, "the runtime is gone"))?;
        let _context = rt.enter();
        Ok(Writer { inner: self.inner.writer::<P>(options)?, rt: Arc::clone(&self.rt) })
    }

    /// A batching writer of any [`WritePoint`] and of raw lines (see [`Client::writer`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let writer = c.untyped_writer(influx::writer::WriterOptions::new()).unwrap();
    /// writer.write_line("cpu,host=a usage=0.5").unwrap();
    /// writer.close().unwrap();
    /// ```
    pub fn untyped_writer(&self, options: WriterOptions) -> Result<Writer> {
        self.writer(options)
    }

    /// Moves the items of `stream` to a bounded channel from a task on the
    /// runtime, so that an iterator can take them on the caller's thread.
    fn pump<T: Send + 'static>(
        &self,
        stream: impl futures::Stream<Item = Result<T>> + Send + 'static,
    ) -> Result<Pump<T>> {
        let (tx, rx) = futures::channel::mpsc::channel::<Result<T>>(16);
        let rt = self.rt.0.as_ref().ok_or_else(|| Error::new(ErrorKind::Runtime, "the runtime is gone"))?;
        rt.spawn(async move {
            let mut stream = std::pin::pin!(stream);
            let mut tx = tx;
            while let Some(item) = stream.next().await {
                if futures::SinkExt::send(&mut tx, item).await.is_err() {
                    break;
                }
            }
        });
        Ok(Pump { rx: futures::executor::block_on_stream(rx), _rt: self.rt.clone() })
    }

    /// Streams rows like [`crate::Client::query_stream`], as an iterator. At
    /// most `2 × chunk` rows are held; dropping the iterator stops the query.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # let c = influx::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let total: f64 = c.query_iter::<(i64, f64)>("SELECT v FROM m").unwrap().map(|r| r.unwrap().1).sum();
    /// ```
    pub fn query_iter<T>(&self, q: impl Into<Query>) -> Result<RowIter<T>>
    where
        T: DecodeRow + Send + 'static,
    {
        let (c, q) = (self.inner.clone(), q.into());
        let stream = self.run(async move { c.query_stream::<T>(q).await })?;
        Ok(RowIter(self.pump(stream)?))
    }
}

/// Items moved from a stream on the runtime to the caller's thread.
struct Pump<T> {
    rx: futures::executor::BlockingStream<futures::channel::mpsc::Receiver<Result<T>>>,
    _rt: Arc<Runtime>,
}

/// Rows of a streamed query, for the blocking client ([`Client::query_iter`]).
pub struct RowIter<T>(Pump<T>);

impl<T> std::fmt::Debug for RowIter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RowIter")
    }
}

impl<T> Iterator for RowIter<T> {
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        self.0.rx.next()
    }
}

/// Raw chunks of a chunked query, for the blocking client ([`Client::query_chunks`]).
pub struct ChunkIter(Pump<QueryResponse>);

impl std::fmt::Debug for ChunkIter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChunkIter")
    }
}

impl Iterator for ChunkIter {
    type Item = Result<QueryResponse>;
    fn next(&mut self) -> Option<Result<QueryResponse>> {
        self.0.rx.next()
    }
}

/// The blocking twin of [`crate::writer::Writer`]: the same writer (batches,
/// retries, capacity, statistics, reports), with methods that wait on the
/// calling thread instead of returning futures. Points are encoded on the
/// calling thread; the background task runs on the client's runtime.
///
/// Cheap to clone; clones share one buffer. Call [`Writer::close`] to learn
/// what was written: a writer dropped without it keeps delivering while its
/// client's runtime lives (the client and every writer share it).
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # fn f(c: influx::blocking::Client) -> influx::Result<()> {
/// let writer = c.untyped_writer(influx::writer::WriterOptions::new())?;
/// writer.write_line("cpu,host=a usage=0.5")?;
/// writer.flush()?; // stored (or reported) once this returns
/// let report = writer.close()?;
/// for failed in &report.failed {
///     eprintln!("{} points not written: {}", failed.len(), failed.error());
/// }
/// # Ok(()) }
/// ```
#[must_use = "a writer must be closed with `close()` to learn what was written"]
pub struct Writer<P: ?Sized = dyn WritePoint + Send + Sync> {
    inner: crate::writer::Writer<P>,
    rt: Arc<Runtime>,
}

impl<P: ?Sized> Clone for Writer<P> {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone(), rt: Arc::clone(&self.rt) }
    }
}

impl<P: ?Sized> std::fmt::Debug for Writer<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<P: WritePoint + ?Sized> Writer<P> {
    /// Buffers one point, waiting while the writer is at capacity (see
    /// [`crate::writer::Writer::write`]). In synchronous mode, returns once it is stored.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer<influx::Point>) -> influx::Result<()> {
    /// w.write(&influx::Point::new("cpu").field("usage", 0.5))?;
    /// # Ok(()) }
    /// ```
    pub fn write(&self, point: &P) -> Result<()> {
        self.rt.run_here(self.inner.write(point))?
    }

    /// Buffers one point if there is room, else fails with
    /// [`ErrorKind::BufferFull`] at once (see [`crate::writer::Writer::try_write`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer<influx::Point>) {
    /// match w.try_write(&influx::Point::new("cpu").field("usage", 0.5)) {
    ///     Err(e) if e.kind() == influx::ErrorKind::BufferFull => { /* shed load */ }
    ///     other => other.unwrap(),
    /// }
    /// # }
    /// ```
    pub fn try_write(&self, point: &P) -> Result<()> {
        self.inner.try_write(point)
    }

    /// Buffers many points, waiting for room as needed (see
    /// [`crate::writer::Writer::write_all`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer<influx::Point>, points: Vec<influx::Point>) -> influx::Result<()> {
    /// w.write_all(&points)?;
    /// # Ok(()) }
    /// ```
    pub fn write_all<I>(&self, points: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: std::borrow::Borrow<P>,
    {
        self.rt.run_here(self.inner.write_all(points))?
    }
}

impl<P: ?Sized> Writer<P> {
    /// Buffers one line of line protocol (see [`crate::writer::Writer::write_line`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) -> influx::Result<()> {
    /// w.write_line("cpu,host=a usage=0.5 1700000000000000000")?;
    /// # Ok(()) }
    /// ```
    pub fn write_line(&self, line: &str) -> Result<()> {
        self.rt.run_here(self.inner.write_line(line))?
    }

    /// [`Writer::write_line`] without waiting: fails with [`ErrorKind::BufferFull`] at capacity.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) -> influx::Result<()> {
    /// w.try_write_line("m v=1i")?;
    /// # Ok(()) }
    /// ```
    pub fn try_write_line(&self, line: &str) -> Result<()> {
        self.inner.try_write_line(line)
    }

    /// Sends everything buffered and returns once the server acknowledged it
    /// or it was reported as failed (see [`crate::writer::Writer::flush`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) -> influx::Result<()> {
    /// w.flush()?;
    /// assert_eq!(w.stats().buffered, 0);
    /// # Ok(()) }
    /// ```
    pub fn flush(&self) -> Result<()> {
        self.rt.run_here(self.inner.flush())?
    }

    /// The counters right now.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) { println!("{} written", w.stats().written); }
    /// ```
    pub fn stats(&self) -> WriteStats {
        self.inner.stats()
    }

    /// See [`crate::writer::Writer::nodes`]: each node's counters in a replicated writer.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) { for n in w.nodes() { println!("{}: {} dropped", n.url, n.stats.dropped); } }
    /// ```
    pub fn nodes(&self) -> Vec<crate::writer::NodeReport> {
        self.inner.nodes()
    }

    /// Waits for the next batch that could not be (entirely) written; `None`
    /// once the writer is closed and nothing more can fail.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) {
    /// let errors = w.clone();
    /// std::thread::spawn(move || {
    ///     while let Some(failed) = errors.next_failure() {
    ///         eprintln!("{} points not written: {}", failed.len(), failed.error());
    ///     }
    /// });
    /// # }
    /// ```
    pub fn next_failure(&self) -> Option<FailedBatch> {
        self.rt.run_here(self.inner.next_failure()).ok().flatten()
    }

    /// Takes the failures reported so far, without waiting.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) { for b in w.take_failures() { eprintln!("{}", b.error()); } }
    /// ```
    pub fn take_failures(&self) -> Vec<FailedBatch> {
        self.inner.take_failures()
    }

    /// Stops taking points, sends everything buffered, waits for every batch
    /// (see [`crate::writer::Writer::close`]) and returns the report.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) -> influx::Result<()> {
    /// let report = w.close()?;
    /// println!("{:?}", report.stats);
    /// # Ok(()) }
    /// ```
    pub fn close(self) -> Result<WriteReport> {
        let rt = Arc::clone(&self.rt);
        rt.run_here(self.inner.close())?
    }

    /// [`Writer::close`] waiting at most `limit`; what was not written by
    /// then is reported as failed (see [`crate::writer::Writer::close_within`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # fn f(w: influx::blocking::Writer) -> influx::Result<()> {
    /// let report = w.close_within(std::time::Duration::from_secs(5))?;
    /// # Ok(()) }
    /// ```
    pub fn close_within(self, limit: std::time::Duration) -> Result<WriteReport> {
        let rt = Arc::clone(&self.rt);
        rt.run_here(self.inner.close_within(limit))?
    }
}
