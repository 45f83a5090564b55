//! A synchronous client: the async [`crate::Client`] driven by a private runtime.
//!
//! Each [`Client`] owns (shared among its clones) a one-thread tokio runtime
//! on a background thread; every call is sent there and the calling thread
//! waits for the answer. The caller needs no runtime, and a call made from
//! inside a tokio runtime works too (it blocks that thread while waiting, as
//! any blocking call would: in async code, prefer the async client).

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use serde::de::DeserializeOwned;

use crate::decode::{DecodeRow, QueryResponse};
use crate::line_protocol::WritePoint;
use crate::{ClientBuilder, Error, ErrorKind, Query, QueryResults, Result, WriteOptions};

/// The blocking twin of [`crate::Client`], with the same methods.
///
/// ```no_run
/// # fn main() -> influx_core::Result<()> {
/// let client = influx_core::blocking::Client::new("http://localhost:8086", "metrics")?;
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
    /// let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// assert_eq!(c.database(), Some("db"));
    /// ```
    pub fn new(url: impl Into<String>, database: impl Into<String>) -> Result<Self> {
        Self::from_builder(crate::Client::builder(url).database(database))
    }

    /// A client from a DSN (see [`crate::Client::from_dsn`]).
    ///
    /// ```
    /// let c = influx_core::blocking::Client::from_dsn("influxdb://localhost/db").unwrap();
    /// assert_eq!(c.database(), Some("db"));
    /// ```
    pub fn from_dsn(dsn: &str) -> Result<Self> {
        Self::from_builder(dsn.parse()?)
    }

    /// A client with every option of [`ClientBuilder`].
    ///
    /// ```
    /// let b = influx_core::Client::builder("http://localhost:8086").database("db").gzip(true);
    /// let c = influx_core::blocking::Client::from_builder(b).unwrap();
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
    /// let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
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

    /// The default database.
    ///
    /// ```
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// assert_eq!(c.database(), Some("db"));
    /// ```
    pub fn database(&self) -> Option<&str> {
        self.inner.database()
    }

    /// See [`crate::Client::switch_database`].
    ///
    /// ```
    /// # let mut c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// c.switch_database("other");
    /// assert_eq!(c.database(), Some("other"));
    /// ```
    pub fn switch_database(&mut self, database: impl Into<String>) {
        self.inner.switch_database(database);
    }

    /// See [`crate::Client::switch_user`].
    ///
    /// ```
    /// # let mut c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// c.switch_user("reader", "pw");
    /// assert_eq!(c.as_async().username(), Some("reader"));
    /// ```
    pub fn switch_user(&mut self, username: impl Into<String>, password: impl Into<String>) {
        self.inner.switch_user(username, password);
    }

    /// See [`crate::Client::ping`].
    ///
    /// ```no_run
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let version = c.ping().unwrap();
    /// ```
    pub fn ping(&self) -> Result<String> {
        let c = self.inner.clone();
        self.run(async move { c.ping().await })
    }

    /// See [`crate::Client::write`]. Points are encoded on the calling thread;
    /// those without a timestamp are stamped with the client's clock.
    ///
    /// ```no_run
    /// # fn f<P: influx_core::WritePoint>(c: influx_core::blocking::Client, points: Vec<P>) {
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
    /// # fn f<P: influx_core::WritePoint>(c: influx_core::blocking::Client, points: Vec<P>) {
    /// c.write_with(&points, &influx_core::WriteOptions::new().database("other")).unwrap();
    /// # }
    /// ```
    pub fn write_with<I>(&self, points: I, options: &WriteOptions) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let (body, precision) = self.inner.encode_points(points, options.precision)?;
        if body.is_empty() {
            return Ok(());
        }
        self.write_lp(body, &WriteOptions { precision: Some(precision), ..options.clone() })
    }

    /// See [`crate::Client::write_lp`].
    ///
    /// ```no_run
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// c.write_lp("m v=1", &influx_core::WriteOptions::new()).unwrap();
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
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let resp = c.query("SHOW MEASUREMENTS").unwrap();
    /// let kept = c.query(influx_core::Query::new("SELECT * FROM nope..m").keep_statement_errors()).unwrap();
    /// assert!(kept.first_error().is_some());
    /// ```
    pub fn query(&self, q: impl Into<Query>) -> Result<QueryResponse> {
        let (c, q) = (self.inner.clone(), q.into());
        self.run(async move { c.query(q).await })
    }

    /// See [`crate::Client::query_as`].
    ///
    /// ```no_run
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
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
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
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
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let r = c.query_multi("SHOW MEASUREMENTS; SHOW TAG KEYS").unwrap();
    /// ```
    pub fn query_multi(&self, q: impl Into<Query>) -> Result<QueryResults> {
        let (c, q) = (self.inner.clone(), q.into());
        self.run(async move { c.query_multi(q).await })
    }

    /// See [`crate::Client::tag_info`].
    ///
    /// ```no_run
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let info = c.tag_info(None).unwrap();
    /// ```
    pub fn tag_info(&self, measurement: Option<&str>) -> Result<BTreeMap<String, BTreeMap<String, Vec<String>>>> {
        let (c, m) = (self.inner.clone(), measurement.map(str::to_owned));
        self.run(async move { c.tag_info(m.as_deref()).await })
    }

    /// See [`crate::Client::verify`].
    ///
    /// ```no_run
    /// # fn f<Cpu: influx_core::InfluxPoint>(c: influx_core::blocking::Client) {
    /// for conflict in c.verify::<Cpu>().unwrap() {
    ///     eprintln!("{conflict}");
    /// }
    /// # }
    /// ```
    pub fn verify<T: crate::InfluxPoint>(&self) -> Result<Vec<crate::client::SchemaConflict>> {
        let c = self.inner.clone();
        self.run(async move { c.verify::<T>().await })
    }

    /// Streams rows like [`crate::Client::query_stream`], as an iterator. At
    /// most `2 × chunk` rows are held; dropping the iterator stops the query.
    ///
    /// ```no_run
    /// # let c = influx_core::blocking::Client::new("http://localhost:8086", "db").unwrap();
    /// let total: f64 = c.query_iter::<(i64, f64)>("SELECT v FROM m").unwrap().map(|r| r.unwrap().1).sum();
    /// ```
    pub fn query_iter<T>(&self, q: impl Into<Query>) -> Result<RowIter<T>>
    where
        T: DecodeRow + Send + 'static,
    {
        let (c, q) = (self.inner.clone(), q.into());
        let stream = self.run(async move { c.query_stream::<T>(q).await })?;
        let (tx, rx) = futures::channel::mpsc::channel::<Result<T>>(1024);
        let rt = self.rt.0.as_ref().ok_or_else(|| Error::new(ErrorKind::Runtime, "the runtime is gone"))?;
        rt.spawn(async move {
            let mut stream = stream;
            let mut tx = tx;
            while let Some(item) = stream.next().await {
                if futures::SinkExt::send(&mut tx, item).await.is_err() {
                    break;
                }
            }
        });
        Ok(RowIter { rx: futures::executor::block_on_stream(rx), _rt: self.rt.clone() })
    }
}

/// Rows of a streamed query, for the blocking client.
pub struct RowIter<T> {
    rx: futures::executor::BlockingStream<futures::channel::mpsc::Receiver<Result<T>>>,
    _rt: Arc<Runtime>,
}

impl<T> std::fmt::Debug for RowIter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RowIter")
    }
}

impl<T> Iterator for RowIter<T> {
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        self.rx.next()
    }
}
