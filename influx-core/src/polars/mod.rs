//! polars `DataFrame`s in and out (cargo feature `polars`), through the Arrow work:
//! a frame is handed to [`crate::arrow`] as a `RecordBatch`, and a batch read from the
//! server is handed to polars, column by column over Arrow's C data interface.
//!
//! polars carries its own Arrow implementation (`polars-arrow`), whose arrays are not
//! arrow-rs arrays. Both speak the Arrow C data interface, which hands over the buffers
//! themselves: a column crosses without its values being copied, so a frame is encoded from
//! polars' own memory, and a batch becomes a frame without a second copy. (Building polars
//! `Series` directly from the JSON would have meant a second decoder for the same answer.)
//! The one copy: polars (without its `dtype-categorical` feature, which this crate does not
//! turn on) has no dictionary type, so a dictionary-encoded tag column becomes a string column.

use std::sync::Arc;

use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{make_array, Array, ArrayRef, RecordBatch, StringViewArray};
use arrow_schema::{DataType, Field, Schema};
use polars_arrow::ffi::{export_array_to_c, export_field_to_c, import_array_from_c, import_field_from_c};
pub use polars_core::prelude::DataFrame;
use polars_core::prelude::{Column, CompatLevel, Series};

use crate::arrow::ReadOptions;

use crate::{Client, Error, ErrorKind, Query, Result};

fn ffi_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Argument, format!("{what}: {e}"))
}

// The two libraries' C data interface structs are the same `#[repr(C)]` layout, the
// ABI's (checked at compile time by `transmute`, which refuses types of different sizes).
fn array_to_rs(a: polars_arrow::ffi::ArrowArray) -> FFI_ArrowArray {
    // SAFETY: both are the C data interface's `struct ArrowArray`, `#[repr(C)]`, with the
    // release callback owning the buffers; moving it moves that ownership.
    unsafe { std::mem::transmute::<polars_arrow::ffi::ArrowArray, FFI_ArrowArray>(a) }
}

fn schema_to_rs(s: polars_arrow::ffi::ArrowSchema) -> FFI_ArrowSchema {
    // SAFETY: both are the C data interface's `struct ArrowSchema`, `#[repr(C)]`.
    unsafe { std::mem::transmute::<polars_arrow::ffi::ArrowSchema, FFI_ArrowSchema>(s) }
}

fn array_to_polars(a: FFI_ArrowArray) -> polars_arrow::ffi::ArrowArray {
    // SAFETY: as in `array_to_rs`, the other way.
    unsafe { std::mem::transmute::<FFI_ArrowArray, polars_arrow::ffi::ArrowArray>(a) }
}

fn schema_to_polars(s: FFI_ArrowSchema) -> polars_arrow::ffi::ArrowSchema {
    // SAFETY: as in `schema_to_rs`, the other way.
    unsafe { std::mem::transmute::<FFI_ArrowSchema, polars_arrow::ffi::ArrowSchema>(s) }
}

/// The columns of a polars `DataFrame` as an Arrow `RecordBatch`, without copying their values
/// (each column is rechunked into one piece first if it has several).
///
/// Strings arrive as `Utf8View`, datetimes as `Timestamp(unit, zone)` (a datetime without a
/// zone is naive: write it with [`FrameOptions::naive_utc`](crate::arrow::FrameOptions::naive_utc)).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::{BatchRows, FrameOptions};
/// use polars_core::prelude::*;
///
/// let df = df!("host" => ["a", "b"], "usage" => [Some(0.5), None], "n" => [1i64, 2]).unwrap();
/// let batch = influx::polars::to_record_batch(&df).unwrap();
/// let rows = BatchRows::new(&batch, &FrameOptions::measurement("cpu").tag_columns(["host"])).unwrap();
/// let mut body = Vec::new();
/// influx::line_protocol::encode_batch(&rows, &mut body, &Default::default()).unwrap();
/// assert_eq!(body, b"cpu,host=a usage=0.5,n=1i\ncpu,host=b n=2i");
/// ```
pub fn to_record_batch(df: &DataFrame) -> Result<RecordBatch> {
    let mut fields = Vec::with_capacity(df.width());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(df.width());
    for c in df.columns() {
        let s = c.as_materialized_series().rechunk();
        let field = s.field().to_arrow(CompatLevel::newest());
        let c_schema = schema_to_rs(export_field_to_c(&field));
        let array = match s.n_chunks() {
            0 => arrow_array::new_empty_array(&DataType::try_from(&c_schema).map_err(|e| ffi_error(s.name(), e))?),
            _ => {
                let c_array = array_to_rs(export_array_to_c(s.to_arrow(0, CompatLevel::newest())));
                // SAFETY: `c_array` and `c_schema` were just exported together by polars.
                let data = unsafe { from_ffi(c_array, &c_schema) }.map_err(|e| ffi_error(s.name(), e))?;
                make_array(data)
            }
        };
        let f = Field::try_from(&c_schema).map_err(|e| ffi_error(s.name(), e))?;
        fields.push(f.with_nullable(true));
        arrays.push(array);
    }
    RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        arrays,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(df.height())),
    )
    .map_err(|e| ffi_error("DataFrame", e))
}

/// A record batch as a polars `DataFrame`, column by column without copying values, except
/// dictionary-encoded columns (the `GROUP BY` tags), which become string columns.
///
/// ```
/// # extern crate influx_core as influx;
/// use std::sync::Arc;
/// use influx::arrow::array::{Float64Array, RecordBatch};
/// let batch = RecordBatch::try_from_iter([("v", Arc::new(Float64Array::from(vec![0.1, 0.2])) as _)]).unwrap();
/// let df = influx::polars::to_data_frame(&batch).unwrap();
/// assert_eq!(df.column("v").unwrap().f64().unwrap().get(1), Some(0.2));
/// ```
pub fn to_data_frame(batch: &RecordBatch) -> Result<DataFrame> {
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (field, array) in batch.schema_ref().fields().iter().zip(batch.columns()) {
        let array: ArrayRef = match array.data_type() {
            DataType::Dictionary(..) => Arc::new(
                undictionary(array.as_ref())
                    .ok_or_else(|| ffi_error(field.name(), format_args!("{} has no polars type", array.data_type())))?,
            ),
            _ => Arc::clone(array),
        };
        let (c_array, c_schema) = to_ffi(&array.to_data()).map_err(|e| ffi_error(field.name(), e))?;
        let (c_array, c_schema) = (array_to_polars(c_array), schema_to_polars(c_schema));
        // SAFETY: `c_array` and `c_schema` were just exported together by arrow-rs.
        let pfield = unsafe { import_field_from_c(&c_schema) }.map_err(|e| ffi_error(field.name(), e))?;
        // SAFETY: as above; the array's type is the field's.
        let parray =
            unsafe { import_array_from_c(c_array, pfield.dtype().clone()) }.map_err(|e| ffi_error(field.name(), e))?;
        let s = Series::from_arrow(field.name().as_str().into(), parray).map_err(|e| ffi_error(field.name(), e))?;
        columns.push(Column::from(s));
    }
    DataFrame::new(batch.num_rows(), columns).map_err(|e| ffi_error("DataFrame", e))
}

/// A dictionary of strings as a plain string column.
fn undictionary(array: &dyn Array) -> Option<StringViewArray> {
    let s = crate::arrow::StrColumn::new(array)?;
    Some((0..array.len()).map(|i| s.get(i)).collect())
}

impl Client {
    /// [`Client::query_arrow`], each statement's batch handed to polars as a `DataFrame`
    /// (`time` is `Datetime(ns, "UTC")`, tags are strings).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let frames = client.query_polars("SELECT * FROM cpu GROUP BY host", &influx::arrow::ReadOptions::new()).await?;
    /// println!("{}", frames[0]);
    /// # Ok(()) }
    /// ```
    pub async fn query_polars(&self, q: impl Into<Query>, opts: &ReadOptions) -> Result<Vec<DataFrame>> {
        self.query_arrow(q, opts).await?.iter().map(to_data_frame).collect()
    }
}

impl crate::v2::Client {
    /// [`v2::Client::query_arrow`](crate::v2::Client::query_arrow), each Flux result's batch
    /// handed to polars as a `DataFrame` (one frame per result, always a `Vec`; `_time`,
    /// `_start`, `_stop` are `Datetime(ns, "UTC")`, group-key strings are strings).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let frames = client.query_polars(r#"from(bucket: "metrics") |> range(start: -1h)"#).await?;
    /// println!("{}", frames[0]);
    /// # Ok(()) }
    /// ```
    pub async fn query_polars(&self, q: impl Into<crate::flux::FluxQuery>) -> Result<Vec<DataFrame>> {
        self.query_arrow(q).await?.iter().map(to_data_frame).collect()
    }
}

impl crate::v3::Client {
    /// [`v3::Client::query_arrow`](crate::v3::Client::query_arrow), its batch handed to
    /// polars as a `DataFrame` (`time` is `Datetime(ns, "UTC")`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let df = client.query_polars("SELECT time, room, temp FROM home", &influx::arrow::ReadOptions::new()).await?;
    /// println!("{df}");
    /// # Ok(()) }
    /// ```
    pub async fn query_polars(&self, q: impl Into<crate::v3::Query>, opts: &ReadOptions) -> Result<DataFrame> {
        to_data_frame(&self.query_arrow(q, opts).await?)
    }
}
