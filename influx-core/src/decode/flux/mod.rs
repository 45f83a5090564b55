//! InfluxDB 2 query answers (annotated CSV, as `POST /api/v2/query` sends for Flux) decoded
//! into typed rows ([`DecodeRow`]: derived structs, tuples, [`SerdeRow`](super::SerdeRow)) or
//! raw [`FluxRecord`]s, incrementally over byte chunks.
//!
//! How a table reaches [`DecodeRow`] (the same contract the 1.x JSON decoder drives):
//!
//! * **columns**: every column of the table except the `result` and `table` bookkeeping
//!   columns, in the answer's order (`_start`, `_stop`, `_time`, `_value`, `_field`,
//!   `_measurement`, tags, pivoted fields...). Tuples are positional over exactly these:
//!   select them with `keep(columns: [...])`.
//! * **time**: a derived struct's `#[time]` member reads `_time` (a column named `time` wins
//!   if there is one). `dateTime` and `duration` cells decode as nanosecond integers.
//! * **series name and tags** ([`SeriesInfo`](super::SeriesInfo)): the name is the
//!   table's `_measurement` when it is in the group key; the tags are the other group-key
//!   columns except `result`, `table`, `_start`, `_stop` (so `_field` is one). They are
//!   also columns, so derived `#[tag]` members read them from the cells.
//! * **unpivoted answers** (one `_field` per table, the value in `_value`): a derived struct
//!   with exactly one field member named like the table's `_field` gets `_value`; any other
//!   field member it cannot find fails with an error that says to pivot.
//! * **nulls**: an empty cell takes the column's `#default`, else it is null: `Option`
//!   members get `None`, others fail with "found null". An empty `string` cell reads as `""`
//!   into a `String` (the server writes `""` and null alike) and as `None` into an `Option`.
//! * **errors inside a 200**: an `error,reference` table fails with [`ErrorKind::Query`]
//!   after the rows before it were delivered.
//!
//! See `docs/flux.md` for the full rules and what is tested how.

mod csv;
mod row;
mod table;
mod value;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;

use futures::{Stream, StreamExt};

#[cfg(feature = "arrow")]
pub(crate) use self::{
    csv::Record,
    row::{CellError, Cells},
    stream as handler_stream,
    table::TableCtx,
};
pub use table::{FluxColumn, FluxRecord, FluxTable};
pub use value::{FluxDataType, FluxValue};

use self::row::{Records, Typed};
pub(crate) use self::table::{Decoder, Handler};
use super::DecodeRow;
use crate::{Error, Result};

/// Decodes a complete annotated-CSV answer into rows of `T`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::decode_flux_rows;
/// let body = "#datatype,string,long,dateTime:RFC3339,double\r\n\
///             #group,false,false,false,false\r\n\
///             #default,_result,,,\r\n\
///             ,result,table,_time,_value\r\n\
///             ,,0,2023-01-01T00:00:00Z,15.43\r\n\
///             ,,0,2023-01-01T00:00:01Z,\r\n";
/// let rows: Vec<(i64, Option<f64>)> = decode_flux_rows(body.as_bytes()).unwrap();
/// assert_eq!(rows, [(1_672_531_200_000_000_000, Some(15.43)), (1_672_531_201_000_000_000, None)]);
/// ```
pub fn decode_flux_rows<T: DecodeRow>(body: &[u8]) -> Result<Vec<T>> {
    let mut d = FluxRowDecoder::new();
    let mut rows = Vec::new();
    d.push(body, &mut rows)?;
    d.finish(&mut rows)?;
    Ok(rows)
}

/// Decodes a complete annotated-CSV answer into raw records.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{decode_flux_records, FluxValue};
/// let body = b"#datatype,string,long,string,long\n#group,false,false,true,false\n#default,_result,,,\n\
/// ,result,table,host,_value\n,,0,a,1\n,,1,b,\n";
/// let recs = decode_flux_records(body).unwrap();
/// assert_eq!(recs[1].table().id(), 1);
/// assert_eq!(recs[1].get("host"), Some(&FluxValue::String("b".into())));
/// assert_eq!(recs[1].value(), Some(&FluxValue::Null));
/// ```
pub fn decode_flux_records(body: &[u8]) -> Result<Vec<FluxRecord>> {
    let mut d = FluxRecordDecoder::new();
    let mut recs = Vec::new();
    d.push(body, &mut recs)?;
    d.finish(&mut recs)?;
    Ok(recs)
}

/// Decodes an annotated-CSV answer into rows of `T` as its bytes arrive, in chunks of any size.
///
/// Between chunks it holds only the unfinished last record (and the current table's plan).
/// Rows before an error are delivered; after an error every call fails.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::FluxRowDecoder;
/// let body = b"#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n,result,table,v\n,,0,1\n,,0,2\n";
/// let mut d = FluxRowDecoder::<(i64,)>::new();
/// let mut rows = Vec::new();
/// for chunk in body.chunks(5) {
///     d.push(chunk, &mut rows).unwrap();
/// }
/// d.finish(&mut rows).unwrap();
/// assert_eq!(rows, [(1,), (2,)]);
/// ```
pub struct FluxRowDecoder<T: DecodeRow> {
    inner: Decoder<Typed<T>>,
}

impl<T: DecodeRow> FluxRowDecoder<T> {
    /// A decoder at the start of an answer.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _d = influx::decode::FluxRowDecoder::<(i64, f64)>::new();
    /// ```
    pub fn new() -> Self {
        Self { inner: Decoder::new(Typed::default()) }
    }

    /// Decodes the rows `chunk` completes into `out`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut d = influx::decode::FluxRowDecoder::<(i64,)>::new();
    /// let mut rows = Vec::new();
    /// d.push(b"#datatype,string,long,long\n", &mut rows).unwrap();
    /// assert!(rows.is_empty());
    /// ```
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<T>) -> Result<()> {
        self.inner.push(chunk, out)
    }

    /// Ends the answer: decodes a last record without a line ending.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut d = influx::decode::FluxRowDecoder::<(i64,)>::new();
    /// let mut rows = Vec::new();
    /// d.push(b"#datatype,string,long,long\n#group,false,false,false\n#default,r,,\n,result,table,v\n,,0,7", &mut rows).unwrap();
    /// d.finish(&mut rows).unwrap();
    /// assert_eq!(rows, [(7,)]);
    /// ```
    pub fn finish(&mut self, out: &mut Vec<T>) -> Result<()> {
        self.inner.finish(out)
    }

    /// Bytes held for an unfinished record.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut d = influx::decode::FluxRowDecoder::<(i64,)>::new();
    /// d.push(b"#datatype,str", &mut Vec::new()).unwrap();
    /// assert_eq!(d.buffered(), 13);
    /// ```
    pub fn buffered(&self) -> usize {
        self.inner.carried()
    }
}

impl<T: DecodeRow> Default for FluxRowDecoder<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: DecodeRow> std::fmt::Debug for FluxRowDecoder<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FluxRowDecoder").field("buffered", &self.buffered()).finish_non_exhaustive()
    }
}

/// Decodes an annotated-CSV answer into [`FluxRecord`]s as its bytes arrive.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::FluxRecordDecoder;
/// let body = b"#datatype,string,long,string\n#group,false,false,false\n#default,_result,,\n,result,table,s\n,,0,\"a,b\"\n";
/// let mut d = FluxRecordDecoder::new();
/// let mut recs = Vec::new();
/// for chunk in body.chunks(3) {
///     d.push(chunk, &mut recs).unwrap();
/// }
/// d.finish(&mut recs).unwrap();
/// assert_eq!(recs[0].get("s").and_then(|v| v.as_str()), Some("a,b"));
/// ```
#[derive(Default)]
pub struct FluxRecordDecoder {
    inner: Decoder<Records>,
}

impl FluxRecordDecoder {
    /// A decoder at the start of an answer.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let _d = influx::decode::FluxRecordDecoder::new();
    /// ```
    pub fn new() -> Self {
        Self { inner: Decoder::new(Records::default()) }
    }

    /// Decodes the records `chunk` completes into `out`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut d = influx::decode::FluxRecordDecoder::new();
    /// d.push(b"#datatype,string\n", &mut Vec::new()).unwrap();
    /// ```
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<FluxRecord>) -> Result<()> {
        self.inner.push(chunk, out)
    }

    /// Ends the answer: decodes a last record without a line ending.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut d = influx::decode::FluxRecordDecoder::new();
    /// d.finish(&mut Vec::new()).unwrap();
    /// ```
    pub fn finish(&mut self, out: &mut Vec<FluxRecord>) -> Result<()> {
        self.inner.finish(out)
    }

    /// Bytes held for an unfinished record.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxRecordDecoder::new().buffered(), 0);
    /// ```
    pub fn buffered(&self) -> usize {
        self.inner.carried()
    }
}

impl std::fmt::Debug for FluxRecordDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FluxRecordDecoder").field("buffered", &self.buffered()).finish_non_exhaustive()
    }
}

impl<H: Handler> Default for Decoder<H>
where
    H: Default,
{
    fn default() -> Self {
        Decoder::new(H::default())
    }
}

/// Typed rows from a stream of body chunks (an HTTP body, a file read in pieces).
///
/// Holds one chunk's rows at a time. Rows decoded before an error (an error table the server
/// sent inside its 200, a cell that does not fit `T`, a broken body) are yielded first, then
/// the error; then the stream ends.
///
/// ```
/// # extern crate influx_core as influx;
/// use futures::StreamExt;
/// # futures::executor::block_on(async {
/// let chunks = ["#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n,result,table,v\n,,0,1\n",
///               "\n#datatype,string,string\n#group,true,true\n#default,,\n,error,reference\n,boom,\n"];
/// let body = futures::stream::iter(chunks.map(Ok::<_, influx::Error>));
/// let mut rows = Box::pin(influx::decode::flux_row_stream::<(i64,), _, _>(body));
/// assert_eq!(rows.next().await.unwrap().unwrap(), (1,));
/// let err = rows.next().await.unwrap().unwrap_err();
/// assert_eq!(err.kind(), influx::ErrorKind::Query);
/// assert_eq!(err.server_message(), Some("boom"));
/// assert!(rows.next().await.is_none());
/// # });
/// ```
pub fn flux_row_stream<T, S, C>(body: S) -> impl Stream<Item = Result<T>> + Send + 'static
where
    T: DecodeRow + Send + 'static,
    T::Plan: Send,
    S: Stream<Item = Result<C>> + Send + 'static,
    C: AsRef<[u8]>,
{
    stream(body, Decoder::new(Typed::<T>::default()))
}

/// Raw records from a stream of body chunks; errors as in [`flux_row_stream`].
///
/// ```
/// # extern crate influx_core as influx;
/// use futures::StreamExt;
/// # futures::executor::block_on(async {
/// let body = futures::stream::iter([Ok::<_, influx::Error>(
///     &b"#datatype,string,long,long\n#group,false,false,false\n#default,_result,,\n,result,table,v\n,,0,1\n"[..],
/// )]);
/// let recs: Vec<_> = influx::decode::flux_record_stream(body).collect().await;
/// assert_eq!(recs[0].as_ref().unwrap().get("v").unwrap().as_i64(), Some(1));
/// # });
/// ```
pub fn flux_record_stream<S, C>(body: S) -> impl Stream<Item = Result<FluxRecord>> + Send + 'static
where
    S: Stream<Item = Result<C>> + Send + 'static,
    C: AsRef<[u8]>,
{
    stream(body, Decoder::new(Records::default()))
}

pub(crate) fn stream<H, S, C>(body: S, decoder: Decoder<H>) -> impl Stream<Item = Result<H::Item>> + Send + 'static
where
    H: Handler + Send + 'static,
    H::Item: Send + 'static,
    S: Stream<Item = Result<C>> + Send + 'static,
    C: AsRef<[u8]>,
{
    struct State<H: Handler, S> {
        body: std::pin::Pin<Box<S>>,
        decoder: Decoder<H>,
        pending: VecDeque<H::Item>,
        error: Option<Error>,
        done: bool,
    }
    let st = State { body: Box::pin(body), decoder, pending: VecDeque::new(), error: None, done: false };
    futures::stream::unfold(st, |mut st| async move {
        loop {
            if let Some(row) = st.pending.pop_front() {
                return Some((Ok(row), st));
            }
            if let Some(e) = st.error.take() {
                st.done = true;
                return Some((Err(e), st));
            }
            if st.done {
                return None;
            }
            let step = match st.body.next().await {
                Some(Ok(chunk)) => st.decoder.push(chunk.as_ref(), &mut st.pending),
                Some(Err(e)) => Err(e),
                None => {
                    st.done = true;
                    st.decoder.finish(&mut st.pending)
                }
            };
            if let Err(e) = step {
                st.error = Some(e);
            }
        }
    })
}
