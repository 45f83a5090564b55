//! 3.x JSON lines (and JSON) answers straight into Arrow builders: the row reader of
//! `decode/jsonl.rs` hands each row's cells, in column order, to the column builders of
//! `read.rs`, which type them as they type 1.x answers.

use std::cell::RefCell;

use arrow_array::RecordBatch;
use serde::de::SeqAccess;

use super::read::{time_type, BatchBuilder, BatchStream, ReadOptions};
use crate::decode::jsonl::{decode_json_target, decode_jsonl_target, Rows, Target};
use crate::decode::{DecodeContext, SeriesInfo};
use crate::v3::{Format, Query};
use crate::{Error, ErrorKind, Result};

/// The [`Target`] that builds one frame from the rows of a 3.x answer.
pub(crate) struct JsonlBatches {
    builder: BatchBuilder,
    /// Rows since the columns (or the measurement) last changed, and that measurement.
    rows: usize,
    name: String,
}

impl JsonlBatches {
    pub(crate) fn new(opts: &ReadOptions) -> Self {
        Self { builder: BatchBuilder::new(opts.clone()), rows: 0, name: String::new() }
    }

    fn close(&mut self) -> std::result::Result<(), String> {
        let rows = std::mem::take(&mut self.rows);
        self.builder.end(0, &self.name, rows, None)
    }

    pub(crate) fn finish(mut self) -> Result<RecordBatch> {
        self.close().map_err(|m| Error::new(ErrorKind::Decode, m))?;
        self.take()
    }

    /// The batch of the rows since the last one.
    fn take(&mut self) -> Result<RecordBatch> {
        let mut batches = self.builder.take_batches(&[0])?;
        Ok(batches.pop().expect("one batch per statement asked for"))
    }

    /// Streaming: the batch of the rows read since the last one, once there are `batch_rows`
    /// of them, or at the end (`last`) if there are any; the columns' plan goes on.
    fn cut(&mut self, batch_rows: usize, last: bool) -> Result<Option<RecordBatch>> {
        let pending = self.builder.pending_rows(0);
        if pending < batch_rows && !(last && pending > 0) {
            return Ok(None);
        }
        let rows = std::mem::take(&mut self.rows);
        self.builder.split(0, &self.name, rows).map_err(|m| Error::new(ErrorKind::Decode, m))?;
        self.take().map(Some)
    }
}

impl Target for JsonlBatches {
    type Plan = ();
    type Row = ();
    /// Each cell goes into its builder as it is read: no row to drop.
    const ONE_PASS: bool = false;

    fn plan(&mut self, info: &SeriesInfo<'_>) -> std::result::Result<(), String> {
        self.close()?;
        let opts = self.builder.opts.clone();
        let start = |_: usize, name: &str| if name == "time" { Some(time_type()) } else { opts.type_of(name) };
        self.builder.begin(info, &start)?;
        self.name = info.name().to_owned();
        Ok(())
    }

    #[inline]
    fn decode<'de, A: SeqAccess<'de>>(
        &mut self,
        seq: A,
        _: &(),
        _: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> std::result::Result<(), A::Error> {
        self.builder.decode(seq, 0, ctx, failure)?;
        self.rows += 1;
        Ok(())
    }

    fn keep(&mut self, _: (), _: &SeriesInfo<'_>) {}
}

/// Decodes a complete 3.x `format=jsonl` answer (one JSON object per line)
/// into one record batch.
///
/// The shape ([`v3::Client::query_arrow`](crate::v3::Client::query_arrow)):
/// the columns in the order they first appear (a row leaves its null cells
/// out, so a column may first appear late: it is null in the rows before),
/// `time` as `Timestamp(Nanosecond, "UTC")`; the other columns typed from
/// their values as 1.x answers are ([`decode_answer`](super::decode_answer):
/// `Float64`, `Int64`, `UInt64`, `Boolean`, `Utf8`, `Null` while only nulls
/// came, widened only where no value is lost, otherwise an
/// [`ErrorKind::Decode`] error naming the row and column), or by
/// [`ReadOptions::field_type`]. A float with an integral value is written as
/// `1.0` by 3.x, so its column is `Float64`; a column of whole numbers is
/// `Int64` unless its type is named. An InfluxQL answer names each row's
/// measurement (`iox::measurement`): one measurement goes to the schema's
/// metadata (`measurement`), several need
/// [`ReadOptions::measurement_column`]. An empty answer is a batch with no
/// columns and no rows.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::array::{cast::AsArray, types::{Float64Type, TimestampNanosecondType}, Array};
/// use influx::arrow::{decode_jsonl_answer, ReadOptions};
/// let body = b"{\"room\":\"Kitchen\",\"temp\":21.5,\"time\":\"2024-01-01T00:00:00.000000001\"}\n\
///              {\"room\":\"Den\",\"time\":\"2024-01-01T00:00:01\"}\n";
/// let batch = decode_jsonl_answer(body, &ReadOptions::new()).unwrap();
/// assert_eq!(batch.num_rows(), 2);
/// let temp = batch.column(1).as_primitive::<Float64Type>();
/// assert_eq!(temp.value(0), 21.5);
/// assert!(temp.is_null(1));
/// assert_eq!(batch.column(2).as_primitive::<TimestampNanosecondType>().value(0), 1_704_067_200_000_000_001);
/// ```
pub fn decode_jsonl_answer(body: &[u8], opts: &ReadOptions) -> Result<RecordBatch> {
    let mut target = JsonlBatches::new(opts);
    decode_jsonl_target(body, &mut target)?;
    target.finish()
}

impl crate::v3::Client {
    /// Runs a SQL or InfluxQL query and reads its answer straight into one
    /// Arrow `RecordBatch`, without building rows: asks for `format=jsonl`
    /// (or reads `json` if the query asks for it); the shape and types are
    /// [`decode_jsonl_answer`]'s. Arrow Flight answers are record batches
    /// already: [`v3::flight`](crate::v3::flight) (feature `flight`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use influx::arrow::{datatypes::DataType, ReadOptions};
    /// let opts = ReadOptions::new().field_type("temp", DataType::Float64);
    /// let batch = client.query_arrow("SELECT time, room, temp FROM home", &opts).await?;
    /// println!("{} rows, columns {:?}", batch.num_rows(), batch.schema().fields());
    /// # Ok(()) }
    /// ```
    pub async fn query_arrow(&self, q: impl Into<Query>, opts: &ReadOptions) -> Result<RecordBatch> {
        let mut q = q.into();
        if q.get_format().is_none() {
            q = q.format(Format::Jsonl);
        }
        let (format, body) = self.typed_body(q).await?;
        let mut target = JsonlBatches::new(opts);
        match format {
            Format::Jsonl => decode_jsonl_target(&body, &mut target)?,
            _ => decode_json_target(&body, &mut target)?,
        }
        target.finish()
    }

    /// Runs a SQL or InfluxQL query and streams its `jsonl` answer as record
    /// batches of at most `batch_rows` rows each, decoded as the bytes arrive:
    /// memory holds one network read, one row and one batch, whatever the
    /// answer's size.
    ///
    /// The shape of [`Client::query_arrow`](crate::v3::Client::query_arrow),
    /// cut into pieces, with what streaming cannot know in advance: a batch has
    /// the columns of the batches before it, in the same places, and a column
    /// that first appears later is added after them (so each batch's schema
    /// begins with the one before); a column's type is fixed once a batch has
    /// carried it, so a later value that needs it wider (a float in an `Int64`
    /// column, a string in a `Float64` one) is an [`ErrorKind::Decode`] error
    /// naming the row and column, as in 1.x and 2.x streams: name the type with
    /// [`ReadOptions::field_type`] where values may change type. The batches
    /// before an error are yielded, then the error (an error object instead of
    /// rows is [`ErrorKind::Query`], an answer cut off [`ErrorKind::Truncated`],
    /// a connection the server aborts [`ErrorKind::Transport`]); the stream
    /// ends after it. An empty answer is an empty stream (the server sends
    /// nothing for no rows). The query must not ask for another format than
    /// `jsonl`.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// use influx::arrow::ReadOptions;
    /// let mut batches = client.query_arrow_stream("SELECT time, room, temp FROM home", &ReadOptions::new(), 50_000).await?;
    /// while let Some(batch) = batches.try_next().await? {
    ///     println!("{} rows", batch.num_rows());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn query_arrow_stream(
        &self,
        q: impl Into<Query>,
        opts: &ReadOptions,
        batch_rows: usize,
    ) -> Result<BatchStream> {
        let batch_rows = batch_rows.max(1);
        let mut target = JsonlBatches::new(opts);
        let inner = self
            .jsonl_stream(q.into(), "query_arrow_stream", move |rows: &mut Rows<()>, line, pending| {
                if let Some(line) = line {
                    rows.row(line, &mut target)?;
                }
                pending.extend(target.cut(batch_rows, line.is_none())?);
                Ok(())
            })
            .await?;
        Ok(BatchStream { inner })
    }
}
