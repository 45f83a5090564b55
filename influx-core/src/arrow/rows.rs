//! A `RecordBatch` as another answer format that drives [`DecodeRow`]: the
//! batch's columns are the series' columns, each cell a serde `Deserializer`
//! that calls the visitor method of the cell's Arrow type.

use std::borrow::Cow;
use std::cell::RefCell;

use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};

use super::write::{time_column, FieldColumn, FrameOptions, TimeColumn};
use crate::decode::{CellError, DecodeContext, DecodeRow, RowReader, SeriesInfo};
use crate::{Error, ErrorKind, Precision, Result};

/// A column of the batch as the row decoder reads it.
enum Cells<'a> {
    Field(FieldColumn<'a>),
    Time(TimeColumn<'a>),
    Null,
}

/// Decodes every row of `batch` into a `T` (`#[derive(InfluxPoint)]` structs,
/// tuples, `SerdeRow`): the batch is an answer whose columns are the batch's
/// columns, decoded through the same [`DecodeRow`] plan as a query's rows.
///
/// Members are matched by column name (tags from string or dictionary
/// columns, fields from float, integer, boolean and string columns, the time
/// from a `Timestamp` column of any unit (an instant: a naive one is taken as
/// UTC) or an `Int64` column of nanoseconds named `time`). A null is `None`
/// for an `Option` member and an error otherwise. The measurement is the
/// schema's `measurement` metadata, if any (as [`Client::query_arrow`](crate::Client::query_arrow) sets it).
/// An error names the row and column.
///
/// ```
/// # extern crate influx_core as influx;
/// use std::sync::Arc;
/// use influx::arrow::array::{Float64Array, RecordBatch, StringArray, TimestampNanosecondArray};
///
/// let batch = RecordBatch::try_from_iter([
///     ("time", Arc::new(TimestampNanosecondArray::from(vec![1, 2]).with_timezone("UTC")) as _),
///     ("host", Arc::new(StringArray::from(vec!["a", "b"])) as _),
///     ("usage", Arc::new(Float64Array::from(vec![Some(0.5), None])) as _),
/// ])
/// .unwrap();
/// // `#[derive(InfluxPoint)]` structs match columns by name; tuples by position.
/// let rows: Vec<(i64, String, Option<f64>)> = influx::arrow::decode_batch(&batch).unwrap();
/// assert_eq!(rows, [(1, "a".to_owned(), Some(0.5)), (2, "b".to_owned(), None)]);
/// ```
pub fn decode_batch<T: DecodeRow>(batch: &RecordBatch) -> Result<Vec<T>> {
    let schema = batch.schema_ref();
    let time_opts = FrameOptions::measurement("").naive_utc(true).time_unit(Precision::Nanoseconds);
    let mut cells = Vec::with_capacity(batch.num_columns());
    for (f, array) in schema.fields().iter().zip(batch.columns()) {
        let array: &dyn Array = array.as_ref();
        let c = match array.data_type() {
            DataType::Timestamp(..) => Cells::Time(time_column(f.name(), array, &time_opts)?),
            DataType::Int64 if f.name() == "time" => Cells::Time(time_column(f.name(), array, &time_opts)?),
            DataType::Null => Cells::Null,
            t => Cells::Field(FieldColumn::new(array).ok_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    format!("column `{}` is {t}, which no row member reads", f.name().escape_debug()),
                )
            })?),
        };
        cells.push(c);
    }
    let columns: Vec<Cow<'_, str>> = schema.fields().iter().map(|f| Cow::Borrowed(f.name().as_str())).collect();
    let name = schema.metadata().get("measurement").map_or("", String::as_str);
    let info = SeriesInfo { statement_id: 0, name, tags: &[], columns: &columns };
    let plan = T::plan(&info).map_err(|m| Error::new(ErrorKind::Decode, m))?;
    let ctx = DecodeContext::new(Some(Precision::Nanoseconds));
    let failure = RefCell::new(None);
    let mut out = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let mut reader = RowReader::new(RowCells { cells: &cells, row, next: 0 }, &plan, &info, &ctx, &failure);
        match T::decode_row(&mut reader) {
            Ok(v) => out.push(v),
            Err(e) => {
                let msg = failure.borrow_mut().take().unwrap_or_else(|| e.to_string());
                return Err(Error::new(ErrorKind::Decode, format!("row {row}: {msg}")));
            }
        }
    }
    Ok(out)
}

/// The cells of one row, in column order.
struct RowCells<'c, 'a> {
    cells: &'c [Cells<'a>],
    row: usize,
    next: usize,
}

impl<'de> SeqAccess<'de> for RowCells<'_, '_> {
    type Error = CellError;

    #[inline]
    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, CellError> {
        let Some(c) = self.cells.get(self.next) else { return Ok(None) };
        self.next += 1;
        seed.deserialize(Cell { cells: c, row: self.row }).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.cells.len() - self.next)
    }
}

/// One cell: a `Deserializer` that calls the visitor method of its type.
struct Cell<'c, 'a> {
    cells: &'c Cells<'a>,
    row: usize,
}

impl Cell<'_, '_> {
    fn is_null(&self) -> bool {
        let i = self.row;
        match self.cells {
            Cells::Null => true,
            Cells::Time(t) => t.is_null(i),
            Cells::Field(f) => f.is_null(i),
        }
    }
}

impl<'de> Deserializer<'de> for Cell<'_, '_> {
    type Error = CellError;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        let i = self.row;
        match self.cells {
            Cells::Null => v.visit_unit(),
            Cells::Time(t) if t.is_null(i) => v.visit_unit(),
            Cells::Time(t) => v.visit_i64(t.nanos(i).map_err(de::Error::custom)?),
            Cells::Field(f) => f.visit(i, v),
        }
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        if self.is_null() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl FieldColumn<'_> {
    /// Whether row `i` is null.
    pub(crate) fn is_null(&self, i: usize) -> bool {
        match self {
            FieldColumn::F16(a) => a.is_null(i),
            FieldColumn::F32(a) => a.is_null(i),
            FieldColumn::F64(a) => a.is_null(i),
            FieldColumn::I8(a) => a.is_null(i),
            FieldColumn::I16(a) => a.is_null(i),
            FieldColumn::I32(a) => a.is_null(i),
            FieldColumn::I64(a) => a.is_null(i),
            FieldColumn::U8(a) => a.is_null(i),
            FieldColumn::U16(a) => a.is_null(i),
            FieldColumn::U32(a) => a.is_null(i),
            FieldColumn::U64(a) => a.is_null(i),
            FieldColumn::Bool(a) => a.is_null(i),
            FieldColumn::Str(s) => s.get(i).is_none(),
        }
    }

    /// Calls the visitor method of the cell's type (`visit_unit` for null).
    #[inline]
    fn visit<'de, V: Visitor<'de>>(&self, i: usize, v: V) -> Result<V::Value, CellError> {
        if self.is_null(i) {
            return v.visit_unit();
        }
        match self {
            FieldColumn::F16(a) => v.visit_f64(a.value(i).into()),
            FieldColumn::F32(a) => v.visit_f64(a.value(i).into()),
            FieldColumn::F64(a) => v.visit_f64(a.value(i)),
            FieldColumn::I8(a) => v.visit_i64(a.value(i).into()),
            FieldColumn::I16(a) => v.visit_i64(a.value(i).into()),
            FieldColumn::I32(a) => v.visit_i64(a.value(i).into()),
            FieldColumn::I64(a) => v.visit_i64(a.value(i)),
            FieldColumn::U8(a) => v.visit_u64(a.value(i).into()),
            FieldColumn::U16(a) => v.visit_u64(a.value(i).into()),
            FieldColumn::U32(a) => v.visit_u64(a.value(i).into()),
            FieldColumn::U64(a) => v.visit_u64(a.value(i)),
            FieldColumn::Bool(a) => v.visit_bool(a.value(i)),
            FieldColumn::Str(s) => match s.get(i) {
                Some(text) => v.visit_str(text),
                None => v.visit_unit(),
            },
        }
    }
}
