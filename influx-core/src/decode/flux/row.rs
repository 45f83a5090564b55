//! Typed rows from annotated CSV: each record is handed to [`DecodeRow`] as a `SeqAccess`
//! of cell deserializers, the same contract the 1.x JSON decoder drives.

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};

use super::csv::Record;
use super::table::{FluxRecord, Handler, Schema, TableCtx};
use super::value::{
    invalid, parse_base64, parse_bool, parse_double, parse_duration, parse_long, parse_time, parse_unsigned, utf8,
    FluxDataType, FluxValue,
};
use crate::decode::body::RowSink;
use crate::decode::row::{DecodeRow, RowReader};
use crate::decode::DecodeContext;
use crate::Precision;

/// The error a cell deserializer returns (its text is what the user sees).
#[derive(Debug)]
pub(crate) struct CellError(String);

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

impl de::Error for CellError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        CellError(msg.to_string())
    }
}

/// One cell, with its column's `#default` already applied (an empty text is null).
///
/// `deserialize_any` calls the visitor method of the cell's type: `visit_bool`, `visit_i64`
/// (`long`; `dateTime` and `duration` as nanoseconds), `visit_u64`, `visit_f64`, `visit_str`
/// (`string`; `base64Binary` as its text), `visit_unit` (null). Asked for a string
/// (`deserialize_str`), `dateTime` and `duration` cells give their text; asked for bytes or
/// a sequence (`Vec<u8>`), `base64Binary` cells give the decoded bytes.
/// An empty `string` cell is `""` unless asked for an `Option` (`deserialize_option`):
/// the server writes null and `""` alike.
#[derive(Clone, Copy)]
pub(crate) struct Cell<'a> {
    pub(crate) text: &'a [u8],
    /// `text` as a `str`, when already validated.
    pub(crate) str: Option<&'a str>,
    pub(crate) ty: FluxDataType,
}

impl<'a> Cell<'a> {
    fn bad(&self) -> CellError {
        CellError(invalid(self.ty, self.text))
    }

    #[inline]
    fn as_str(&self) -> Result<&'a str, CellError> {
        match self.str {
            Some(s) => Ok(s),
            None => utf8(self.text).map_err(CellError),
        }
    }
}

impl<'de> Deserializer<'de> for Cell<'_> {
    type Error = CellError;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        let t = self.text;
        if t.is_empty() {
            return match self.ty {
                FluxDataType::String => v.visit_str(""),
                _ => v.visit_unit(),
            };
        }
        match self.ty {
            FluxDataType::Double => v.visit_f64(parse_double(t).ok_or_else(|| self.bad())?),
            FluxDataType::Long => v.visit_i64(parse_long(t).ok_or_else(|| self.bad())?),
            FluxDataType::String => v.visit_str(self.as_str()?),
            FluxDataType::DateTime => v.visit_i64(parse_time(t).map_err(CellError)?),
            FluxDataType::Boolean => v.visit_bool(parse_bool(t).ok_or_else(|| self.bad())?),
            FluxDataType::UnsignedLong => v.visit_u64(parse_unsigned(t).ok_or_else(|| self.bad())?),
            FluxDataType::Duration => v.visit_i64(parse_duration(t).map_err(CellError)?),
            // No `DecodeValue` type holds bytes: the text as sent (bytes on request, below).
            FluxDataType::Base64Binary => v.visit_str(self.as_str()?),
        }
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        if self.text.is_empty() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        match self.ty {
            FluxDataType::DateTime | FluxDataType::Duration | FluxDataType::Base64Binary if !self.text.is_empty() => {
                v.visit_str(self.as_str()?)
            }
            _ => self.deserialize_any(v),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        match self.ty {
            FluxDataType::Base64Binary if !self.text.is_empty() => {
                v.visit_byte_buf(parse_base64(self.text).map_err(CellError)?)
            }
            _ => self.deserialize_any(v),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        self.deserialize_bytes(v)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        match self.ty {
            // `Vec<u8>` asks for a sequence.
            FluxDataType::Base64Binary if !self.text.is_empty() => {
                let bytes = parse_base64(self.text).map_err(CellError)?;
                v.visit_seq(de::value::SeqDeserializer::new(bytes.into_iter()))
            }
            _ => self.deserialize_any(v),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, CellError> {
        match self.ty {
            // A C-like enum from a string cell.
            FluxDataType::String => v.visit_enum(de::value::StrDeserializer::<CellError>::new(self.as_str()?)),
            _ => self.deserialize_any(v),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, CellError> {
        v.visit_newtype_struct(self)
    }

    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CellError> {
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        unit unit_struct tuple tuple_struct map struct identifier
    }
}

/// The cells of one record that row decoding sees, in column order.
pub(crate) struct Cells<'a> {
    rec: Record<'a>,
    schema: &'a Schema,
    next: usize,
}

impl<'a> Cells<'a> {
    /// The data cells of `rec`, read with `schema`.
    #[cfg(feature = "arrow")]
    pub(crate) fn new(rec: Record<'a>, schema: &'a Schema) -> Self {
        Cells { rec, schema, next: 0 }
    }
}

impl<'de> SeqAccess<'de> for Cells<'_> {
    type Error = CellError;

    #[inline(always)]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, CellError> {
        let Some(&(c, ty)) = self.schema.data_cells.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        let raw = self.rec.cell(c);
        let cell = if raw.is_empty() {
            let d = &self.schema.defaults[c];
            Cell { text: d.as_bytes(), str: Some(d), ty }
        } else {
            let str = if ty == FluxDataType::String { self.rec.cell_str(c) } else { None };
            Cell { text: raw, str, ty }
        };
        seed.deserialize(cell).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.schema.data_cells.len() - self.next)
    }
}

/// Rows of type `T`: planned once per table, decoded per record.
pub(crate) struct Typed<T: DecodeRow> {
    plan: Option<T::Plan>,
    failure: RefCell<Option<String>>,
    _t: PhantomData<fn() -> T>,
}

impl<T: DecodeRow> Default for Typed<T> {
    fn default() -> Self {
        Self { plan: None, failure: RefCell::new(None), _t: PhantomData }
    }
}

/// Times and durations reach `DecodeTime`/`DecodeValue` as nanosecond integers.
const NS: DecodeContext = DecodeContext::new(Some(Precision::Nanoseconds));

impl<T: DecodeRow> Handler for Typed<T> {
    type Item = T;

    fn begin_table(&mut self, t: &TableCtx<'_>) -> Result<(), String> {
        self.plan = None;
        self.plan = Some(T::plan(&t.info)?);
        Ok(())
    }

    #[inline]
    fn row<S: RowSink<T>>(&mut self, t: &TableCtx<'_>, rec: Record<'_>, sink: &mut S) -> Result<(), String> {
        let Some(plan) = &self.plan else { return Err("the table has no plan".to_owned()) };
        let cells = Cells { rec, schema: t.schema, next: 0 };
        let mut reader = RowReader::new(cells, plan, &t.info, &NS, &self.failure);
        match T::decode_row(&mut reader) {
            Ok(v) => {
                sink.push(v, &t.info);
                Ok(())
            }
            Err(e) => Err(self.failure.take().unwrap_or(e.0)),
        }
    }
}

/// Raw records: every cell parsed into a [`FluxValue`].
#[derive(Default)]
pub(crate) struct Records {
    table: Option<std::sync::Arc<super::table::FluxTable>>,
}

impl Handler for Records {
    type Item = FluxRecord;

    fn begin_table(&mut self, t: &TableCtx<'_>) -> Result<(), String> {
        self.table = Some(std::sync::Arc::new(super::table::FluxTable::new(
            t.result.to_owned(),
            t.id,
            t.schema.columns.clone(),
        )));
        Ok(())
    }

    fn row<S: RowSink<FluxRecord>>(&mut self, t: &TableCtx<'_>, rec: Record<'_>, sink: &mut S) -> Result<(), String> {
        let Some(table) = &self.table else { return Err("the table has no metadata".to_owned()) };
        let n = t.schema.columns.len();
        let mut values = Vec::with_capacity(n);
        for c in 1..=n {
            let v = FluxValue::parse(t.schema.types[c], t.schema.cell(&rec, c))
                .map_err(|m| format!("column `{}`: {m}", t.schema.name(c)))?;
            values.push(v);
        }
        sink.push(FluxRecord::new(table.clone(), values), &t.info);
        Ok(())
    }
}
