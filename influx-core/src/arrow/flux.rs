//! 2.x annotated-CSV answers straight into Arrow builders: the Flux CSV reader of
//! `decode/flux` hands each table and record to the column builders of `read.rs`.

use std::cell::RefCell;

use arrow_array::RecordBatch;
use arrow_schema::DataType;
use futures::StreamExt;

use super::read::{tag_type, time_type, BatchBuilder, BatchStream, ReadOptions, Shape};
use crate::decode::{
    flux_handler_stream, DecodeContext, FluxCells, FluxCsvRecord, FluxDataType, FluxDecoder, FluxHandler, FluxTableCtx,
    RowSink, SeriesInfo,
};
use crate::flux::FluxQuery;
use crate::{Error, ErrorKind, Precision, Result};

/// Cells of type `dateTime` and `duration` reach the builders as nanoseconds.
const NS: DecodeContext = DecodeContext::new(Some(Precision::Nanoseconds));

/// Flux tables: group keys are data columns, cells are typed by `#datatype`.
const FLUX: Shape = Shape { tag_columns: false, one_measurement: false, strict: true };

/// The column holding each row's table id.
const TABLE: &str = "table";

/// The Arrow type of a Flux column.
fn arrow_type(t: FluxDataType, group: bool) -> DataType {
    match t {
        FluxDataType::String if group => tag_type(),
        FluxDataType::String => DataType::Utf8,
        FluxDataType::Double => DataType::Float64,
        FluxDataType::Long => DataType::Int64,
        FluxDataType::UnsignedLong => DataType::UInt64,
        FluxDataType::Boolean => DataType::Boolean,
        FluxDataType::DateTime => time_type(),
        FluxDataType::Duration => DataType::Duration(arrow_schema::TimeUnit::Nanosecond),
        FluxDataType::Base64Binary => DataType::Binary,
    }
}

/// The [`FluxHandler`] that builds one frame per result.
pub(crate) struct FluxBatches {
    builder: BatchBuilder,
    /// Streaming: a result's batch goes out when it holds this many rows.
    batch_rows: Option<usize>,
    /// Results whose batches went out (streaming).
    emitted: Vec<usize>,
    /// The open table: its result's index, rows so far, id and result name.
    open: Option<(usize, usize, i64, String)>,
    /// Result indexes in the order they appeared.
    results: Vec<usize>,
    failure: RefCell<Option<String>>,
}

impl FluxBatches {
    pub(crate) fn new(batch_rows: Option<usize>) -> Self {
        Self {
            builder: BatchBuilder::with_shape(ReadOptions::new(), FLUX),
            batch_rows: batch_rows.map(|n| n.max(1)),
            emitted: Vec::new(),
            open: None,
            results: Vec::new(),
            failure: RefCell::new(None),
        }
    }

    /// Ends the open table: fills its `table` column and the columns it lacks.
    fn close(&mut self) -> Result<()> {
        if let Some((result, rows, id, name)) = self.open.take() {
            self.builder
                .end(result, "", rows, Some((TABLE, id)))
                .map_err(|m| Error::new(ErrorKind::Decode, format!("result `{name}`, table {id}: {m}")))?;
        }
        Ok(())
    }

    /// Takes result `result`'s batch of the rows since its last one.
    fn emit<S: RowSink<RecordBatch>>(&mut self, result: usize, info: &SeriesInfo<'_>, sink: &mut S) -> Result<()> {
        for b in self.builder.take_batches(&[result])? {
            sink.push(b, info);
        }
        if !self.emitted.contains(&result) {
            self.emitted.push(result);
        }
        Ok(())
    }
}

impl FluxHandler for FluxBatches {
    type Item = RecordBatch;

    fn begin_table(&mut self, t: &FluxTableCtx<'_>) -> std::result::Result<(), String> {
        self.close().map_err(|e| e.to_string())?;
        let result = t.info.statement_id();
        if !self.results.contains(&result) {
            self.results.push(result);
        }
        self.builder.set_result(result, t.result);
        self.builder.constant_column(result, TABLE)?;
        let schema = t.schema;
        let start = |i: usize, _: &str| {
            let (c, ty) = schema.data_cells[i];
            Some(arrow_type(ty, schema.columns[c - 1].is_group()))
        };
        self.builder.begin(&t.info, &start)?;
        self.open = Some((result, 0, t.id, t.result.to_owned()));
        Ok(())
    }

    #[inline]
    fn row<S: RowSink<RecordBatch>>(
        &mut self,
        t: &FluxTableCtx<'_>,
        rec: FluxCsvRecord<'_>,
        sink: &mut S,
    ) -> std::result::Result<(), String> {
        let cells = FluxCells::new(rec, t.schema);
        let result = t.info.statement_id();
        if let Err(e) = self.builder.decode(cells, result, &NS, &self.failure) {
            return Err(self.failure.take().unwrap_or_else(|| e.to_string()));
        }
        if let Some(open) = &mut self.open {
            open.1 += 1;
        }
        if self.batch_rows.is_some_and(|n| self.builder.pending_rows(result) >= n) {
            // The table goes on in the next batch, with the same plan.
            self.close().map_err(|e| e.to_string())?;
            self.emit(result, &t.info, sink).map_err(|e| e.to_string())?;
            self.begin_table(t)?;
        }
        Ok(())
    }

    /// One batch per result for a whole answer; the rows not yet sent when streaming.
    fn end<S: RowSink<RecordBatch>>(&mut self, sink: &mut S) -> Result<()> {
        self.close()?;
        let info = SeriesInfo { statement_id: 0, name: "", tags: &[], columns: &[] };
        for result in std::mem::take(&mut self.results) {
            if !self.emitted.contains(&result) || self.builder.pending_rows(result) > 0 {
                self.emit(result, &info, sink)?;
            }
        }
        Ok(())
    }
}

/// Decodes a complete 2.x annotated-CSV answer (what `POST /api/v2/query`
/// sends for Flux) into one record batch per result.
///
/// The shape ([`v2::Client::query_arrow`](crate::v2::Client::query_arrow)):
/// one batch per result (`_result`, or each `yield(name:)`), in the order the
/// results appear, its name in the schema's metadata (`result`); the tables of
/// a result stacked, in order, with a `table` column (`Int64`) holding each
/// row's table id; then the answer's columns in the order they first appear.
/// Types follow `#datatype`: `long` `Int64`, `unsignedLong` `UInt64`,
/// `double` `Float64` (exact), `boolean` `Boolean`, `string` `Utf8` (and
/// `Dictionary(Int32, Utf8)` in the group key, as `_measurement`, `_field`
/// and tags usually are), `dateTime` `Timestamp(Nanosecond, "UTC")` (`_time`,
/// `_start`, `_stop`), `duration` `Duration(Nanosecond)`, `base64Binary`
/// `Binary` (decoded). An empty cell takes the column's `#default`, else it
/// is null (an empty `string` cell too: the server writes null and `""`
/// alike). A column missing from a table is null there. A column whose
/// `#datatype` changes between tables is widened where no value is lost
/// (`long` to `unsignedLong` while none is negative, integers to `double`
/// while a float holds each exactly), otherwise it is an
/// [`ErrorKind::Decode`] error naming the result, table and column. An error
/// table inside the answer is [`ErrorKind::Query`].
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::array::{cast::AsArray, types::{Float64Type, Int64Type}, Array};
/// use influx::arrow::decode_flux_answer;
/// let body = "#datatype,string,long,dateTime:RFC3339,double,string\r\n\
///             #group,false,false,false,false,true\r\n\
///             #default,_result,,,,\r\n\
///             ,result,table,_time,_value,host\r\n\
///             ,,0,2023-01-01T00:00:00Z,15.43,a\r\n\
///             ,,1,2023-01-01T00:00:01Z,,b\r\n";
/// let batches = decode_flux_answer(body.as_bytes()).unwrap();
/// let b = &batches[0];
/// assert_eq!(b.schema().metadata()["result"], "_result");
/// let names: Vec<_> = b.schema().fields().iter().map(|f| f.name().clone()).collect();
/// assert_eq!(names, ["table", "_time", "_value", "host"]);
/// assert_eq!(b.column(0).as_primitive::<Int64Type>().value(1), 1);
/// let value = b.column(2).as_primitive::<Float64Type>();
/// assert_eq!(value.value(0).to_bits(), 15.43f64.to_bits());
/// assert!(value.is_null(1));
/// ```
pub fn decode_flux_answer(body: &[u8]) -> Result<Vec<RecordBatch>> {
    let mut d = FluxDecoder::new(FluxBatches::new(None));
    let mut batches = Vec::new();
    d.push(body, &mut batches)?;
    d.finish(&mut batches)?;
    Ok(batches)
}

impl crate::v2::Client {
    /// Runs a Flux query and reads its annotated-CSV answer straight into
    /// Arrow: one `RecordBatch` per result, without building rows. The shape
    /// and types are [`decode_flux_answer`]'s; the answer is decoded as its
    /// bytes arrive.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let batches = client
    ///     .query_arrow(r#"from(bucket: "metrics") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "cpu")"#)
    ///     .await?;
    /// for b in &batches {
    ///     println!("result {}: {} rows", b.schema().metadata()["result"], b.num_rows());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_arrow(&self, q: impl Into<FluxQuery>) -> Result<Vec<RecordBatch>> {
        let mut body = self.send_flux(&q.into()).await?;
        let mut d = FluxDecoder::new(FluxBatches::new(None));
        let mut batches = Vec::new();
        while let Some(chunk) = body.next().await {
            d.push(&chunk?, &mut batches)?;
        }
        d.finish(&mut batches)?;
        Ok(batches)
    }

    /// Runs a Flux query and streams its answer as record batches of at most
    /// `batch_rows` rows each, decoded as the bytes arrive: memory holds one
    /// network read and one batch per result being read.
    ///
    /// The shape of [`Client::query_arrow`](crate::v2::Client::query_arrow),
    /// cut into pieces: each batch holds rows of one result (its name in the
    /// metadata, `result`), in the answer's order; a batch of a result has the
    /// columns of the result's batches before it (a column appears when a table
    /// first brings it), and a column's type is fixed once a batch has carried
    /// it, so a later table that needs it wider is an error naming the column.
    /// An error table is yielded as [`ErrorKind::Query`] after the batches
    /// before it; the stream ends after an error.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut batches = client.query_arrow_stream(r#"from(bucket: "metrics") |> range(start: -30d)"#, 50_000).await?;
    /// while let Some(batch) = batches.try_next().await? {
    ///     println!("{} rows", batch.num_rows());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_arrow_stream(&self, q: impl Into<FluxQuery>, batch_rows: usize) -> Result<BatchStream> {
        let body = self.send_flux(&q.into()).await?;
        let decoder = FluxDecoder::new(FluxBatches::new(Some(batch_rows)));
        Ok(BatchStream { inner: Box::pin(flux_handler_stream(body, decoder)) })
    }
}
