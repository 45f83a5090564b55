//! Per-series frames: each series of a 1.x answer as its own record batch, keyed by its
//! measurement and tags (the aioinflux / influxdb-python `DataFrameClient` shape). The
//! series' rows go through the same body walker and column builders as
//! [`decode_answer`](super::decode_answer); only the frame changes at each series.

use std::cell::RefCell;

use arrow_array::RecordBatch;

use super::read::{BatchBuilder, ReadOptions, Shape};
use crate::client::whole_body;
use crate::decode::json::{JsonError, Parser};
use crate::decode::{check_outcome, decode_body_rows, DecodeContext, Rows, SeriesInfo};
use crate::{Client, Query, Result};

/// One series of a query answer as a record batch: the shape of
/// influxdb-python's `DataFrameClient.query` and aioinflux's dataframe output
/// (one frame per series, keyed by measurement and tags).
///
/// `batch` holds the series' columns (`time` first, as
/// `Timestamp(Nanosecond, "UTC")`, then its fields, typed as
/// [`decode_answer`](super::decode_answer) types them); the tags are not
/// columns, they are in `tags`, sorted by key. The measurement is also in the
/// schema's metadata (`measurement`); [`ReadOptions::measurement_column`] is
/// not used here (the measurement is part of the key).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::{decode_answer_series, ReadOptions};
/// use influx::decode::DecodeContext;
/// let body = br#"{"results":[{"statement_id":0,"series":[
///     {"name":"cpu","tags":{"host":"a"},"columns":["time","usage"],"values":[[1,0.5]]},
///     {"name":"cpu","tags":{"host":"b"},"columns":["time","usage"],"values":[[1,0.25],[2,0.75]]}]}]}"#;
/// let ctx = DecodeContext::new(Some(influx::Precision::Nanoseconds));
/// let statements = decode_answer_series(body, &ctx, &ReadOptions::new()).unwrap();
/// let series = &statements[0];
/// assert_eq!(series.len(), 2);
/// assert_eq!((series[1].measurement.as_str(), &series[1].tags[..]), ("cpu", &[("host".to_owned(), "b".to_owned())][..]));
/// assert_eq!(series[1].batch.num_rows(), 2);
/// ```
#[derive(Debug, Clone)]
pub struct SeriesBatch {
    /// The series' measurement (`name` in the answer).
    pub measurement: String,
    /// The series' `GROUP BY` tags, sorted by key (empty without `GROUP BY`).
    pub tags: Vec<(String, String)>,
    /// The series' rows.
    pub batch: RecordBatch,
}

/// The series being read: its statement, measurement, tags and builder.
struct Open {
    statement: usize,
    measurement: String,
    tags: Vec<(String, String)>,
    builder: BatchBuilder,
}

/// The [`Rows`] that build one batch per series. Consecutive series with the
/// same statement, measurement and tags (a series split across the chunks of
/// a chunked answer) are one batch.
pub(crate) struct SeriesBuilder {
    opts: ReadOptions,
    open: Option<Open>,
    done: Vec<(usize, SeriesBatch)>,
}

/// Per-series frames: tags are the key, not columns.
const SERIES: Shape = Shape { tag_columns: false, one_measurement: true, strict: false };

impl SeriesBuilder {
    pub(crate) fn new(opts: &ReadOptions) -> Self {
        Self { opts: opts.clone(), open: None, done: Vec::new() }
    }

    /// Ends the open series: its batch joins the finished ones.
    fn flush(&mut self) -> Result<()> {
        if let Some(mut o) = self.open.take() {
            let batch = o.builder.take_batches(&[o.statement])?.pop().expect("one batch asked for");
            self.done.push((o.statement, SeriesBatch { measurement: o.measurement, tags: o.tags, batch }));
        }
        Ok(())
    }

    /// The series of each statement in `statements`, in the order of the answer.
    pub(crate) fn finish(mut self, statements: &[usize]) -> Result<Vec<Vec<SeriesBatch>>> {
        self.flush()?;
        let mut out: Vec<Vec<SeriesBatch>> = statements.iter().map(|_| Vec::new()).collect();
        for (id, s) in self.done {
            if let Some(i) = statements.iter().position(|&x| x == id) {
                out[i].push(s);
            }
        }
        Ok(out)
    }

    fn builder(&mut self) -> std::result::Result<&mut BatchBuilder, String> {
        self.open.as_mut().map(|o| &mut o.builder).ok_or_else(|| "a row before its series was planned".to_owned())
    }
}

impl Rows for SeriesBuilder {
    fn plan(&mut self, info: &SeriesInfo<'_>) -> std::result::Result<(), String> {
        let mut tags: Vec<(String, String)> = info.tags().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        tags.sort();
        let same = self
            .open
            .as_ref()
            .is_some_and(|o| o.statement == info.statement_id() && o.measurement == info.name() && o.tags == tags);
        if !same {
            self.flush().map_err(|e| e.to_string())?;
            self.open = Some(Open {
                statement: info.statement_id(),
                measurement: info.name().to_owned(),
                tags,
                builder: BatchBuilder::with_shape(self.opts.clone(), SERIES),
            });
        }
        Rows::plan(self.builder()?, info)
    }

    #[inline]
    fn row(
        &mut self,
        p: &mut Parser<'_>,
        info: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> std::result::Result<(), JsonError> {
        let b = self.builder().map_err(serde::de::Error::custom)?;
        b.row(p, info, ctx, failure)
    }

    fn series_end(&mut self, info: &SeriesInfo<'_>, rows: usize) -> std::result::Result<(), String> {
        self.builder()?.series_end(info, rows)
    }
}

/// Decodes one complete (not chunked) `/query` answer into one batch per
/// series, grouped by statement: `result[i]` holds statement `i`'s series in
/// the order of the answer (empty for a statement without series).
///
/// Errors are [`decode_answer`](super::decode_answer)'s. This is the explicit
/// per-series option; [`decode_answer`](super::decode_answer) (one batch per
/// statement, tags as columns) is the default shape.
///
/// How the Python clients' shapes map:
///
/// | Python | here |
/// |---|---|
/// | influxdb-python `DataFrameClient.query(q)` → `{measurement: df}` | `result[0]`, each `SeriesBatch` with empty `tags` |
/// | `DataFrameClient.query(q ... GROUP BY host)` → `{(measurement, (("host", "a"),)): df}` | `(s.measurement, s.tags)` is the key, `s.batch` the frame |
/// | a multi-statement query → a list of those dicts | `result`, one `Vec` per statement |
/// | aioinflux `output="dataframe"`: one frame, or a dict keyed `"cpu,host=a"` per series | `s.measurement` and `s.tags` (join them as `cpu,host=a` for aioinflux's key); always a `Vec`, never one frame in one case and a dict in another |
///
/// The time is a column (`time`), not the frame's index: Arrow has no index.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::{decode_answer_series, ReadOptions};
/// use influx::decode::DecodeContext;
/// let body = br#"{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v"],"values":[[1,2]]}]},
///                            {"statement_id":1}]}"#;
/// let ctx = DecodeContext::new(Some(influx::Precision::Nanoseconds));
/// let statements = decode_answer_series(body, &ctx, &ReadOptions::new()).unwrap();
/// assert_eq!(statements.len(), 2);
/// assert_eq!(statements[0][0].measurement, "cpu");
/// assert!(statements[0][0].tags.is_empty());
/// assert!(statements[1].is_empty());
/// ```
pub fn decode_answer_series(body: &[u8], ctx: &DecodeContext, opts: &ReadOptions) -> Result<Vec<Vec<SeriesBatch>>> {
    let mut target = SeriesBuilder::new(opts);
    let out = decode_body_rows(body, ctx, None, &mut target)?;
    check_outcome(&out, false)?;
    let ids: Vec<usize> = out.statements.iter().map(|s| s.id).collect();
    target.finish(&ids)
}

impl Client {
    /// Runs an InfluxQL query and reads each series of its answer into its
    /// own `RecordBatch`, keyed by measurement and tags: the explicit
    /// per-series option ([`decode_answer_series`] says how it maps to
    /// influxdb-python's and aioinflux's dataframe shapes). The return type
    /// is the same whatever the answer holds: one `Vec` per statement.
    ///
    /// A chunked query is read chunk by chunk; a series split across chunks
    /// is one batch.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// use influx::arrow::ReadOptions;
    /// let statements = client.query_arrow_series("SELECT * FROM cpu GROUP BY host", &ReadOptions::new()).await?;
    /// for s in &statements[0] {
    ///     println!("{} {:?}: {} rows", s.measurement, s.tags, s.batch.num_rows());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_arrow_series(&self, q: impl Into<Query>, opts: &ReadOptions) -> Result<Vec<Vec<SeriesBatch>>> {
        let q = q.into();
        let (resp, ctx) = self.send_query(&q, true).await?;
        if !q.is_chunked() {
            let bytes = whole_body(resp).await?;
            return decode_answer_series(&bytes, &ctx, opts);
        }
        let mut target = SeriesBuilder::new(opts);
        let ids = self.read_chunks(resp, &ctx, &mut target).await?;
        target.finish(&ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query futures stay `Send`, so that they can be spawned.
    #[test]
    fn query_futures_are_send() {
        fn send<T: Send>(_: T) {}
        let client = Client::new("http://localhost:1", "db").unwrap();
        let opts = ReadOptions::new();
        send(client.query_arrow_series("SELECT 1", &opts));
        send(client.query_arrow("SELECT 1", &opts));
        let v2 = crate::v2::Client::builder("http://localhost:1").org("o").token("t").build().unwrap();
        send(v2.query_arrow("x"));
        let v3 = crate::v3::Client::builder("http://localhost:1").database("d").build().unwrap();
        send(v3.query_arrow("SELECT 1", &opts));
    }
}
