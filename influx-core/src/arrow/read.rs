//! 1.x `/query` JSON straight into Arrow builders: the body walker of `decode/body.rs`
//! (exact numbers, the same errors) hands each cell to the builder of its column.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use arrow_array::builder::{
    BinaryBuilder, BooleanBuilder, DurationNanosecondBuilder, Float64Builder, Int64Builder, StringBuilder,
    StringDictionaryBuilder, TimestampNanosecondBuilder, UInt64Builder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, NullArray, RecordBatch, RecordBatchOptions};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};

use crate::client::stream::chunk_stream;
use crate::client::whole_body;
use crate::decode::body::{decode_body_rows, Rows};
use crate::decode::json::{JsonError, Parser};
use crate::decode::{check_outcome, DecodeContext, DecodeTime, SeriesInfo};
use crate::{Client, Error, ErrorKind, Query, Result};

/// How a query answer becomes record batches.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::ReadOptions;
/// use influx::arrow::datatypes::DataType;
/// let opts = ReadOptions::new().measurement_column("measurement").field_type("usage", DataType::Float64);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    measurement_column: Option<String>,
    field_types: Vec<(String, DataType)>,
}

impl ReadOptions {
    /// One batch per statement, no measurement column, field types from the answer.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::ReadOptions::new();
    /// # let _ = opts;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a dictionary-encoded column `name` holding each row's measurement.
    ///
    /// Without it, a statement whose series come from more than one
    /// measurement (`SELECT * FROM cpu, mem`) is an error: its rows could not
    /// be told apart. The measurement of a single-measurement batch is in the
    /// schema's metadata (`measurement`) either way.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::ReadOptions::new().measurement_column("_measurement");
    /// # let _ = opts;
    /// ```
    pub fn measurement_column(mut self, name: impl Into<String>) -> Self {
        self.measurement_column = Some(name.into());
        self
    }

    /// Fixes the type of a field column (`Float64`, `Int64`, `UInt64`,
    /// `Boolean` or `Utf8`) instead of inferring it from the values.
    ///
    /// 1.x's JSON writes a float with an integral value as an integer (`2`
    /// for 2.0), so a float column whose values are all integral is read as
    /// `Int64`, and one whose first values are integral beyond 2^53 cannot be
    /// widened to `Float64` without loss (an error). Naming the type settles both.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::arrow::{datatypes::DataType, ReadOptions};
    /// let opts = ReadOptions::new().field_type("temperature", DataType::Float64);
    /// # let _ = opts;
    /// ```
    pub fn field_type(mut self, column: impl Into<String>, data_type: DataType) -> Self {
        self.field_types.push((column.into(), data_type));
        self
    }

    /// The type named for `column` by [`ReadOptions::field_type`] (the last one wins).
    pub(crate) fn type_of(&self, column: &str) -> Option<DataType> {
        self.field_types.iter().rev().find(|(n, _)| n == column).map(|(_, t)| t.clone())
    }
}

/// `Timestamp(Nanosecond, "UTC")`, the type of every time column.
pub(crate) fn time_type() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

/// `Dictionary(Int32, Utf8)`, the type of tag and group-key columns.
pub(crate) fn tag_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// The builder of one column; `Null` until a value says what the column holds.
enum Builder {
    Null(usize),
    Time(TimestampNanosecondBuilder),
    Tag(StringDictionaryBuilder<Int32Type>),
    F64(Float64Builder),
    I64(Int64Builder),
    U64(UInt64Builder),
    Bool(BooleanBuilder),
    Str(StringBuilder),
    Dur(DurationNanosecondBuilder),
    Bin(BinaryBuilder),
}

impl Builder {
    fn of_type(t: &DataType) -> Option<Builder> {
        Some(match t {
            DataType::Timestamp(TimeUnit::Nanosecond, Some(z)) if &**z == "UTC" => {
                Builder::Time(TimestampNanosecondBuilder::new())
            }
            DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => tag_builder(),
            DataType::Duration(TimeUnit::Nanosecond) => Builder::Dur(DurationNanosecondBuilder::new()),
            DataType::Binary => Builder::Bin(BinaryBuilder::new()),
            DataType::Float64 => Builder::F64(Float64Builder::new()),
            DataType::Int64 => Builder::I64(Int64Builder::new()),
            DataType::UInt64 => Builder::U64(UInt64Builder::new()),
            DataType::Boolean => Builder::Bool(BooleanBuilder::new()),
            DataType::Utf8 => Builder::Str(StringBuilder::new()),
            _ => return None,
        })
    }

    fn data_type(&self) -> DataType {
        match self {
            Builder::Null(_) => DataType::Null,
            Builder::Time(_) => time_type(),
            Builder::Tag(_) => tag_type(),
            Builder::Dur(_) => DataType::Duration(TimeUnit::Nanosecond),
            Builder::Bin(_) => DataType::Binary,
            Builder::F64(_) => DataType::Float64,
            Builder::I64(_) => DataType::Int64,
            Builder::U64(_) => DataType::UInt64,
            Builder::Bool(_) => DataType::Boolean,
            Builder::Str(_) => DataType::Utf8,
        }
    }

    fn append_nulls(&mut self, n: usize) {
        match self {
            Builder::Null(k) => *k += n,
            Builder::Time(b) => b.append_nulls(n),
            Builder::Tag(b) => b.append_nulls(n),
            Builder::F64(b) => b.append_nulls(n),
            Builder::I64(b) => b.append_nulls(n),
            Builder::U64(b) => b.append_nulls(n),
            Builder::Bool(b) => b.append_nulls(n),
            Builder::Str(b) => b.append_nulls(n),
            Builder::Dur(b) => b.append_nulls(n),
            Builder::Bin(b) => b.append_nulls(n),
        }
    }

    /// The array built so far; the builder is left empty, of the same type.
    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Null(k) => Arc::new(NullArray::new(std::mem::take(k))),
            Builder::Time(b) => Arc::new(b.finish().with_timezone("UTC")),
            Builder::Tag(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            Builder::I64(b) => Arc::new(b.finish()),
            Builder::U64(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::Dur(b) => Arc::new(b.finish()),
            Builder::Bin(b) => Arc::new(b.finish()),
        }
    }
}

/// A value of a field cell, as the answer's JSON gave it.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    I64(i64),
    U64(u64),
    F64(f64),
    Bool(bool),
    Str(&'a str),
    Bytes(&'a [u8]),
}

impl Cell<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Cell::I64(_) | Cell::U64(_) => "integers",
            Cell::F64(_) => "floats",
            Cell::Bool(_) => "booleans",
            Cell::Str(_) => "strings",
            Cell::Bytes(_) => "bytes",
        }
    }
}

/// An integer that an f64 holds exactly.
fn exact_f64(v: i128) -> Option<f64> {
    let f = v as f64;
    (f as i128 == v && f.abs() < 2f64.powi(64)).then_some(f)
}

struct Column {
    name: String,
    builder: Builder,
    /// Rows emitted in earlier batches (a chunked stream): the type can no longer widen.
    emitted: bool,
    /// The answer types its cells (annotated CSV): an integer is an integer, so it joins a
    /// float column only if a float holds it exactly, and an empty cell is null.
    strict: bool,
}

impl Column {
    fn fail(&self, what: impl fmt::Display) -> String {
        format!("column `{}`: {what}", self.name.escape_debug())
    }

    /// Appends a field value, widening the column where no value is lost.
    fn push(&mut self, cell: Cell<'_>) -> std::result::Result<(), String> {
        loop {
            match (&mut self.builder, cell) {
                (Builder::F64(b), Cell::F64(v)) => b.append_value(v),
                (Builder::F64(b), Cell::I64(v)) if self.strict => match exact_f64(v.into()) {
                    Some(x) => b.append_value(x),
                    None => {
                        return Err(
                            self.fail(format_args!("the integer {v} joins floats, which cannot hold it exactly"))
                        )
                    }
                },
                (Builder::F64(b), Cell::U64(v)) if self.strict => match exact_f64(v.into()) {
                    Some(x) => b.append_value(x),
                    None => {
                        return Err(
                            self.fail(format_args!("the integer {v} joins floats, which cannot hold it exactly"))
                        )
                    }
                },
                // The server writes an integral float as an integer; the text is the float's.
                (Builder::F64(b), Cell::I64(v)) => b.append_value(v as f64),
                (Builder::F64(b), Cell::U64(v)) => b.append_value(v as f64),
                (Builder::I64(b), Cell::I64(v)) => b.append_value(v),
                (Builder::I64(b), Cell::U64(v)) if i64::try_from(v).is_ok() => b.append_value(v as i64),
                (Builder::U64(b), Cell::U64(v)) => b.append_value(v),
                (Builder::U64(b), Cell::I64(v)) if v >= 0 => b.append_value(v as u64),
                (Builder::Bool(b), Cell::Bool(v)) => b.append_value(v),
                (Builder::Str(b), Cell::Str(v)) => b.append_value(v),
                (Builder::Tag(b), Cell::Str(v)) => {
                    b.append(v).map_err(|e| self.fail(e))?;
                }
                (Builder::Dur(b), Cell::I64(v)) => b.append_value(v),
                (Builder::Bin(b), Cell::Bytes(v)) => b.append_value(v),
                (Builder::Null(n), _) => {
                    let mut b = match cell {
                        Cell::I64(_) => Builder::I64(Int64Builder::new()),
                        Cell::U64(v) if i64::try_from(v).is_ok() => Builder::I64(Int64Builder::new()),
                        Cell::U64(_) => Builder::U64(UInt64Builder::new()),
                        Cell::F64(_) => Builder::F64(Float64Builder::new()),
                        Cell::Bool(_) => Builder::Bool(BooleanBuilder::new()),
                        Cell::Str(_) => Builder::Str(StringBuilder::new()),
                        Cell::Bytes(_) => Builder::Bin(BinaryBuilder::new()),
                    };
                    b.append_nulls(*n);
                    self.builder = b;
                    continue;
                }
                _ => {
                    self.widen(cell)?;
                    continue;
                }
            }
            return Ok(());
        }
    }

    /// Rebuilds the column in a wider type that holds every value so far and `cell`.
    fn widen(&mut self, cell: Cell<'_>) -> std::result::Result<(), String> {
        let was = self.builder.data_type();
        let conflict = self.fail(format_args!("holds {} after values of type {was}", cell.kind()));
        if self.emitted {
            return Err(format!(
                "{conflict} (in an earlier batch of the stream: name its type with ReadOptions::field_type)"
            ));
        }
        let widened = match (&mut self.builder, cell) {
            (Builder::I64(b), Cell::F64(_)) => {
                let old = b.finish();
                let mut f = Float64Builder::with_capacity(old.len() + 1);
                for v in old.iter() {
                    match v {
                        None => f.append_null(),
                        Some(v) => match exact_f64(v.into()) {
                            Some(x) => f.append_value(x),
                            None => {
                                return Err(self.fail(format_args!(
                                    "holds floats after the integer {v}, which a float cannot hold exactly \
                                     (name the type with ReadOptions::field_type)"
                                )))
                            }
                        },
                    }
                }
                Builder::F64(f)
            }
            (Builder::I64(b), Cell::U64(_)) => {
                let old = b.finish();
                if old.iter().flatten().any(|v| v < 0) {
                    return Err(self.fail("holds integers above i64::MAX and negative integers"));
                }
                let mut u = UInt64Builder::with_capacity(old.len() + 1);
                old.iter().for_each(|v| u.append_option(v.map(|v| v as u64)));
                Builder::U64(u)
            }
            (Builder::U64(b), Cell::F64(_)) => {
                let old = b.finish();
                let mut f = Float64Builder::with_capacity(old.len() + 1);
                for v in old.iter() {
                    match v.map(|v| exact_f64(v.into())) {
                        None => f.append_null(),
                        Some(Some(x)) => f.append_value(x),
                        Some(None) => {
                            return Err(self.fail("holds floats after an integer a float cannot hold exactly"))
                        }
                    }
                }
                Builder::F64(f)
            }
            _ => return Err(conflict),
        };
        self.builder = widened;
        Ok(())
    }

    /// Makes the column ready for values of type `t` (a table's annotated type): a column of
    /// nulls takes the type, a narrower numeric column is widened where no value is lost
    /// (as values would widen it), anything else is an error naming the column.
    fn reconcile(&mut self, t: &DataType) -> std::result::Result<(), String> {
        let was = self.builder.data_type();
        let probe = match (&self.builder, t) {
            _ if was == *t => return Ok(()),
            (Builder::Null(n), _) => {
                let Some(mut b) = Builder::of_type(t) else {
                    return Err(self.fail(format_args!("has the unsupported type {t}")));
                };
                b.append_nulls(*n);
                self.builder = b;
                return Ok(());
            }
            (Builder::Tag(_), DataType::Utf8) | (Builder::Str(_), DataType::Dictionary(..)) => return Ok(()),
            // Integers join a float column one by one, each checked.
            (Builder::F64(_), DataType::Int64 | DataType::UInt64) | (Builder::U64(_), DataType::Int64) => return Ok(()),
            (Builder::I64(_) | Builder::U64(_), DataType::Float64) => Cell::F64(0.0),
            (Builder::I64(_), DataType::UInt64) => Cell::U64(u64::MAX),
            _ => return Err(self.fail(format_args!("is {t} in this table after values of type {was}"))),
        };
        self.widen(probe)
    }
}

/// One statement's columns while its rows are read.
struct Frame {
    statement_id: usize,
    /// The Flux result's name (schema metadata `result`).
    result: Option<String>,
    columns: Vec<Column>,
    by_name: HashMap<String, usize>,
    rows: usize,
    measurement: Option<String>,
    many_measurements: bool,
    /// New columns are [`Column::strict`].
    strict: bool,
}

/// The per-series plan: the column of each series column, the tag columns and their values.
pub(crate) struct Plan {
    cols: Vec<usize>,
    tags: Vec<(usize, String)>,
    measurement: Option<usize>,
    /// A column holding one value for every row of the series (the Flux table id).
    constant: Option<(usize, i64)>,
}

/// How an answer format maps onto frames.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// A series' tags become dictionary columns (1.x `GROUP BY`); otherwise they are data
    /// columns (Flux group keys) or kept out of the batch (per-series frames).
    pub(crate) tag_columns: bool,
    /// A batch holds one measurement (in its metadata) unless a measurement column is asked
    /// for; Flux tables carry theirs in `_measurement`.
    pub(crate) one_measurement: bool,
    /// Cells are typed by the answer (see [`Column::strict`]).
    pub(crate) strict: bool,
}

impl Shape {
    /// 1.x `/query` JSON, and 3.x JSON lines.
    pub(crate) const JSON: Shape = Shape { tag_columns: true, one_measurement: true, strict: false };
}

/// The [`Rows`] that build record batches: one frame per statement.
pub(crate) struct BatchBuilder {
    pub(crate) opts: ReadOptions,
    shape: Shape,
    frames: Vec<Frame>,
    /// The plan of the series being read.
    plan: Option<Plan>,
}

impl BatchBuilder {
    pub(crate) fn new(opts: ReadOptions) -> Self {
        Self::with_shape(opts, Shape::JSON)
    }

    pub(crate) fn with_shape(opts: ReadOptions, shape: Shape) -> Self {
        Self { opts, shape, frames: Vec::new(), plan: None }
    }

    fn frame(&mut self, statement_id: usize) -> &mut Frame {
        frame_of(&mut self.frames, statement_id)
    }

    /// Rows read into statement `statement_id`'s frame since its last batch.
    pub(crate) fn pending_rows(&mut self, statement_id: usize) -> usize {
        self.frame(statement_id).rows
    }

    /// Names the result a frame holds (Flux).
    pub(crate) fn set_result(&mut self, statement_id: usize, name: &str) {
        let f = self.frame(statement_id);
        if f.result.is_none() {
            f.result = Some(name.to_owned());
        }
    }

    /// Decodes one row, given as a sequence of cells in the plan's column order.
    pub(crate) fn decode<'de, A: SeqAccess<'de>>(
        &mut self,
        seq: A,
        statement_id: usize,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> std::result::Result<(), A::Error> {
        let Some(plan) = &self.plan else {
            return Err(de::Error::custom("a row before its series was planned"));
        };
        let f = frame_of(&mut self.frames, statement_id);
        RowVisitor { frame: f, plan, ctx, failure }.visit_seq(seq)?;
        f.rows += 1;
        Ok(())
    }

    /// Plans a series (a 1.x series, a Flux table, the columns of 3.x rows so far); `start`
    /// names the type a new column starts with (`None`: from its values).
    pub(crate) fn begin(
        &mut self,
        info: &SeriesInfo<'_>,
        start: &dyn Fn(usize, &str) -> Option<DataType>,
    ) -> std::result::Result<(), String> {
        self.plan = None;
        self.plan = Some(self.plan_series(info, start)?);
        Ok(())
    }

    /// Adds an `Int64` column `name` (if new) that [`BatchBuilder::end`] fills with one value.
    pub(crate) fn constant_column(&mut self, statement_id: usize, name: &str) -> std::result::Result<(), String> {
        let f = self.frame(statement_id);
        let c = f.column(name, || Builder::I64(Int64Builder::new()));
        f.columns[c].reconcile(&DataType::Int64)
    }

    /// Ends the planned series after `rows` rows; `constant` fills a column with one value.
    pub(crate) fn end(
        &mut self,
        statement_id: usize,
        name: &str,
        rows: usize,
        constant: Option<(&str, i64)>,
    ) -> std::result::Result<(), String> {
        let Some(mut plan) = self.plan.take() else { return Ok(()) };
        if let Some((col, v)) = constant {
            let f = self.frame(statement_id);
            let c = f.column(col, || Builder::I64(Int64Builder::new()));
            f.columns[c].reconcile(&DataType::Int64)?;
            plan.constant = Some((c, v));
        }
        self.end_series(&plan, statement_id, name, rows)
    }

    /// Ends the planned series' `rows` rows so far but keeps its plan: after a batch is
    /// taken, the series goes on in the next one.
    pub(crate) fn split(&mut self, statement_id: usize, name: &str, rows: usize) -> std::result::Result<(), String> {
        let Some(plan) = self.plan.take() else { return Ok(()) };
        let ended = self.end_series(&plan, statement_id, name, rows);
        self.plan = Some(plan);
        ended
    }

    /// The batches of the statements read so far (in statement order), each
    /// holding the rows since the last call; their columns (and types) carry
    /// over to the next batches of the same statement.
    pub(crate) fn take_batches(&mut self, statements: &[usize]) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        for &id in statements {
            let measurement_column = self.opts.measurement_column.clone();
            let one_measurement = self.shape.one_measurement;
            let f = self.frame(id);
            if f.many_measurements && measurement_column.is_none() && one_measurement {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!(
                        "statement {id}: series of more than one measurement in one batch: \
                         add a measurement column with ReadOptions::measurement_column"
                    ),
                ));
            }
            let mut fields = Vec::with_capacity(f.columns.len());
            let mut arrays = Vec::with_capacity(f.columns.len());
            for c in &mut f.columns {
                let array = c.builder.finish();
                fields.push(Field::new(&c.name, c.builder.data_type(), true));
                arrays.push(array);
                c.emitted = true;
            }
            let mut meta = HashMap::new();
            match (&f.measurement, f.many_measurements) {
                (Some(m), false) if one_measurement && !m.is_empty() => {
                    meta.insert("measurement".to_owned(), m.clone());
                }
                _ => {}
            }
            if let Some(r) = &f.result {
                meta.insert("result".to_owned(), r.clone());
            }
            let schema = Arc::new(Schema::new_with_metadata(fields, meta));
            let rows = std::mem::take(&mut f.rows);
            let batch = RecordBatch::try_new_with_options(
                schema,
                arrays,
                &RecordBatchOptions::new().with_row_count(Some(rows)),
            )
            .map_err(|e| Error::new(ErrorKind::Decode, format!("statement {id}: {e}")))?;
            out.push(batch);
        }
        Ok(out)
    }
}

impl Frame {
    /// The index of column `name`, added (with nulls for the rows so far) if new.
    fn column(&mut self, name: &str, make: impl FnOnce() -> Builder) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        let mut builder = make();
        builder.append_nulls(self.rows);
        self.columns.push(Column { name: name.to_owned(), builder, emitted: false, strict: self.strict });
        self.by_name.insert(name.to_owned(), self.columns.len() - 1);
        self.columns.len() - 1
    }
}

/// The frame of statement `statement_id`, added if new.
fn frame_of(frames: &mut Vec<Frame>, statement_id: usize) -> &mut Frame {
    match frames.iter().position(|f| f.statement_id == statement_id) {
        Some(i) => &mut frames[i],
        None => {
            frames.push(Frame {
                statement_id,
                result: None,
                strict: false,
                columns: Vec::new(),
                by_name: HashMap::new(),
                rows: 0,
                measurement: None,
                many_measurements: false,
            });
            frames.last_mut().expect("just pushed")
        }
    }
}

fn tag_builder() -> Builder {
    Builder::Tag(StringDictionaryBuilder::new())
}

impl Rows for BatchBuilder {
    fn plan(&mut self, info: &SeriesInfo<'_>) -> std::result::Result<(), String> {
        let opts = self.opts.clone();
        // `time` first is the series' time; other columns are typed by their values or the options.
        let start =
            |i: usize, name: &str| if i == 0 && name == "time" { Some(time_type()) } else { opts.type_of(name) };
        self.begin(info, &start)
    }

    #[inline]
    fn row(
        &mut self,
        p: &mut Parser<'_>,
        info: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> std::result::Result<(), JsonError> {
        let Some(plan) = &self.plan else {
            return Err(de::Error::custom("a row before its series was planned"));
        };
        let f = frame_of(&mut self.frames, info.statement_id());
        (&mut *p).deserialize_seq(RowVisitor { frame: f, plan, ctx, failure })?;
        f.rows += 1;
        Ok(())
    }

    fn series_end(&mut self, info: &SeriesInfo<'_>, rows: usize) -> std::result::Result<(), String> {
        self.end(info.statement_id(), info.name(), rows, None)
    }
}

impl BatchBuilder {
    fn plan_series(
        &mut self,
        info: &SeriesInfo<'_>,
        start: &dyn Fn(usize, &str) -> Option<DataType>,
    ) -> std::result::Result<Plan, String> {
        let measurement_column = self.opts.measurement_column.clone();
        let shape = self.shape;
        let f = self.frame(info.statement_id());
        f.strict = shape.strict;
        match &f.measurement {
            None => f.measurement = Some(info.name().to_owned()),
            Some(m) if m != info.name() => f.many_measurements = true,
            Some(_) => {}
        }
        let mut cols = Vec::with_capacity(info.columns().len());
        for (i, name) in info.columns().enumerate() {
            let t = start(i, name);
            let c = f.column(name, || t.as_ref().and_then(Builder::of_type).unwrap_or(Builder::Null(0)));
            if let Some(t) = &t {
                f.columns[c].reconcile(t)?;
            }
            let col = &f.columns[c];
            if shape.tag_columns && matches!(col.builder, Builder::Tag(_)) {
                return Err(format!(
                    "column `{}` is a tag of another series and a column of this one",
                    name.escape_debug()
                ));
            }
            if cols.contains(&c) {
                return Err(format!("column `{}` appears twice", name.escape_debug()));
            }
            cols.push(c);
        }
        let mut tags = Vec::with_capacity(info.tags().len());
        if shape.tag_columns {
            for (k, v) in info.tags() {
                let c = f.column(k, tag_builder);
                if !matches!(f.columns[c].builder, Builder::Tag(_)) || cols.contains(&c) {
                    return Err(format!("tag `{}` is also a column of another type", k.escape_debug()));
                }
                tags.push((c, v.to_owned()));
            }
        }
        let measurement = match &measurement_column {
            Some(m) if shape.one_measurement && shape.tag_columns => {
                let c = f.column(m, tag_builder);
                if !matches!(f.columns[c].builder, Builder::Tag(_)) || cols.contains(&c) {
                    return Err(format!(
                        "the measurement column `{}` is also a column of the answer",
                        m.escape_debug()
                    ));
                }
                Some(c)
            }
            _ => None,
        };
        Ok(Plan { cols, tags, measurement, constant: None })
    }

    fn end_series(
        &mut self,
        plan: &Plan,
        statement_id: usize,
        name: &str,
        rows: usize,
    ) -> std::result::Result<(), String> {
        let f = self.frame(statement_id);
        let mut filled = vec![false; f.columns.len()];
        if let Some((c, v)) = plan.constant {
            if let Builder::I64(b) = &mut f.columns[c].builder {
                b.append_value_n(v, rows);
                filled[c] = true;
            }
        }
        for &c in &plan.cols {
            filled[c] = true;
        }
        for (c, v) in &plan.tags {
            if let Builder::Tag(b) = &mut f.columns[*c].builder {
                b.append_values(v, rows);
            }
            filled[*c] = true;
        }
        if let Some(c) = plan.measurement {
            if let Builder::Tag(b) = &mut f.columns[c].builder {
                b.append_values(name, rows);
            }
            filled[c] = true;
        }
        for (c, done) in f.columns.iter_mut().zip(filled) {
            if !done {
                c.builder.append_nulls(rows);
            }
        }
        Ok(())
    }
}

struct RowVisitor<'a> {
    frame: &'a mut Frame,
    plan: &'a Plan,
    ctx: &'a DecodeContext,
    failure: &'a RefCell<Option<String>>,
}

impl<'de> Visitor<'de> for RowVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a row (a list of values)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let n = self.plan.cols.len();
        for (i, &c) in self.plan.cols.iter().enumerate() {
            let col = &mut self.frame.columns[c];
            let got = if matches!(col.builder, Builder::Time(_)) {
                seq.next_element_seed(TimeSeed { col, ctx: self.ctx, failure: self.failure })?
            } else {
                seq.next_element_seed(CellSeed { col, failure: self.failure })?
            };
            if got.is_none() {
                return Err(fail(self.failure, format_args!("the row has {i} values, the series {n} columns")));
            }
        }
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(fail(self.failure, format_args!("the row has more values than the series' {n} columns")));
        }
        Ok(())
    }
}

fn fail<E: de::Error>(failure: &RefCell<Option<String>>, msg: impl fmt::Display) -> E {
    let text = msg.to_string();
    let e = E::custom(&text);
    failure.borrow_mut().get_or_insert(text);
    e
}

struct TimeSeed<'a> {
    col: &'a mut Column,
    ctx: &'a DecodeContext,
    failure: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for TimeSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        // The time decoder of typed rows: integers in the query's epoch or RFC 3339 text, to ns.
        let t = <Option<i64> as DecodeTime>::decode_time(d, self.ctx)
            .map_err(|e| fail::<D::Error>(self.failure, self.col.fail(e)))?;
        if let Builder::Time(b) = &mut self.col.builder {
            b.append_option(t);
        }
        Ok(())
    }
}

struct CellSeed<'a> {
    col: &'a mut Column,
    failure: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for CellSeed<'_> {
    type Value = ();
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        if matches!(self.col.builder, Builder::Bin(_)) {
            d.deserialize_bytes(self)
        } else if self.col.strict {
            // An empty annotated-CSV cell is null whatever its type.
            d.deserialize_option(self)
        } else {
            d.deserialize_any(self)
        }
    }
}

impl CellSeed<'_> {
    #[inline]
    fn push<E: de::Error>(self, cell: Cell<'_>) -> std::result::Result<(), E> {
        self.col.push(cell).map_err(|m| fail(self.failure, m))
    }
}

impl<'de> Visitor<'de> for CellSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<(), E> {
        self.push(Cell::I64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<(), E> {
        self.push(Cell::U64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<(), E> {
        self.push(Cell::F64(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<(), E> {
        self.push(Cell::Bool(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<(), E> {
        self.push(Cell::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        self.col.builder.append_nulls(1);
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<(), E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<(), E> {
        self.push(Cell::Bytes(v))
    }
}

/// Decodes one complete (not chunked) `/query` answer into one batch per statement.
///
/// The answer must carry times as integers (`epoch`) or RFC 3339 text; a
/// request-level or statement error is [`ErrorKind::Query`], a cut-short
/// answer [`ErrorKind::Truncated`], a value that does not fit its column
/// [`ErrorKind::Decode`] naming the statement, series, row and column.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::{decode_answer, ReadOptions};
/// use influx::decode::DecodeContext;
/// let body = br#"{"results":[{"statement_id":0,"series":[
///     {"name":"cpu","tags":{"host":"a"},"columns":["time","usage"],"values":[[1,0.5],[2,null]]},
///     {"name":"cpu","tags":{"host":"b"},"columns":["time","usage"],"values":[[1,2]]}]}]}"#;
/// let ctx = DecodeContext::new(Some(influx::Precision::Nanoseconds));
/// let batches = decode_answer(body, &ctx, &ReadOptions::new()).unwrap();
/// assert_eq!(batches.len(), 1);
/// assert_eq!(batches[0].num_rows(), 3);
/// assert_eq!(batches[0].schema().field(2).name(), "host");
/// ```
pub fn decode_answer(body: &[u8], ctx: &DecodeContext, opts: &ReadOptions) -> Result<Vec<RecordBatch>> {
    let mut target = BatchBuilder::new(opts.clone());
    let out = decode_body_rows(body, ctx, None, &mut target)?;
    check_outcome(&out, false)?;
    let ids: Vec<usize> = out.statements.iter().map(|s| s.id).collect();
    target.take_batches(&ids)
}

/// Decodes one chunk of a chunked answer into `target`, returning its batches.
pub(crate) fn decode_chunk(target: &mut BatchBuilder, chunk: &[u8], ctx: &DecodeContext) -> Result<Vec<RecordBatch>> {
    let out = decode_body_rows(chunk, ctx, None, target)?;
    check_outcome(&out, true)?;
    let mut ids: Vec<usize> = Vec::new();
    for s in &out.statements {
        if !ids.contains(&s.id) {
            ids.push(s.id);
        }
    }
    target.take_batches(&ids)
}

/// Record batches of a chunked query, one per chunk and statement, decoded
/// as the chunks arrive ([`Client::query_arrow_stream`]).
///
/// Every batch of a statement has the columns of the batches before it (a
/// column appears when a series first brings it); a column's type is fixed
/// once a batch has carried it, so a later chunk that needs a wider type is
/// an error naming the column (name the type with [`ReadOptions::field_type`]).
/// The stream ends after an error.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// use futures::TryStreamExt;
/// use influx::arrow::ReadOptions;
/// let q = influx::Query::new("SELECT * FROM cpu GROUP BY host").chunk_size(10_000);
/// let mut batches = client.query_arrow_stream(q, &ReadOptions::new()).await?;
/// while let Some(batch) = batches.try_next().await? {
///     println!("{} rows", batch.num_rows());
/// }
/// # Ok(()) }
/// ```
pub struct BatchStream {
    pub(crate) inner: crate::client::stream::BoxStream<RecordBatch>,
}

impl fmt::Debug for BatchStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BatchStream")
    }
}

impl futures::Stream for BatchStream {
    type Item = Result<RecordBatch>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<RecordBatch>>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl Client {
    /// Runs an InfluxQL query and reads its answer straight into Arrow: one
    /// `RecordBatch` per statement, without building rows.
    ///
    /// The shape: `time` first, as `Timestamp(Nanosecond, "UTC")` (times are
    /// asked in nanoseconds unless the query says otherwise); then the
    /// columns of the answer as they appear, typed from the answer's values
    /// (`Float64`, `Int64`, `UInt64` for integers above `i64::MAX`, `Boolean`,
    /// `Utf8`; `Null` while a column has held only nulls), with nulls; the
    /// `GROUP BY` tags as dictionary-encoded string columns. Series of one
    /// statement are stacked; a column missing from a series is null there.
    /// A column whose values change type is widened where no value is lost
    /// (integers to floats while a float holds them exactly, `Int64` to
    /// `UInt64` while none is negative), otherwise it is an
    /// [`ErrorKind::Decode`] error naming the column. Floats are exact (the
    /// same number reader as typed rows).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// use influx::arrow::ReadOptions;
    /// let batches = client.query_arrow("SELECT usage, idle FROM cpu GROUP BY host", &ReadOptions::new()).await?;
    /// let cpu = &batches[0];
    /// println!("{} rows, columns {:?}", cpu.num_rows(), cpu.schema().fields());
    /// # Ok(()) }
    /// ```
    pub async fn query_arrow(&self, q: impl Into<Query>, opts: &ReadOptions) -> Result<Vec<RecordBatch>> {
        let q = q.into();
        let (resp, ctx) = self.send_query(&q, true).await?;
        if !q.is_chunked() {
            let bytes = whole_body(resp).await?;
            return decode_answer(&bytes, &ctx, opts);
        }
        // Chunked: the chunks of each statement are stacked into one batch.
        let mut target = BatchBuilder::new(opts.clone());
        let ids = self.read_chunks(resp, &ctx, &mut target).await?;
        target.take_batches(&ids)
    }

    /// Decodes every chunk of a chunked answer into `target`; the ids of its statements, in order.
    pub(crate) async fn read_chunks(
        &self,
        resp: reqwest::Response,
        ctx: &DecodeContext,
        target: &mut (dyn Rows + Send),
    ) -> Result<Vec<usize>> {
        let mut reader = self.chunks(resp);
        let mut ids: Vec<usize> = Vec::new();
        while let Some(chunk) = reader.next_chunk().await? {
            let out = decode_body_rows(&chunk, ctx, None, target)?;
            check_outcome(&out, true)?;
            for s in &out.statements {
                if !ids.contains(&s.id) {
                    ids.push(s.id);
                }
            }
        }
        Ok(ids)
    }

    /// Runs an InfluxQL query chunked and streams its answer as record
    /// batches, one per chunk and statement (the shape of [`Client::query_arrow`]).
    /// Memory holds one chunk's bytes and one batch at a time.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// use futures::TryStreamExt;
    /// let q = influx::Query::new("SELECT * FROM cpu").chunk_size(50_000);
    /// let batches: Vec<_> = client.query_arrow_stream(q, &influx::arrow::ReadOptions::new()).await?.try_collect().await?;
    /// # let _ = batches; Ok(()) }
    /// ```
    pub async fn query_arrow_stream(&self, q: impl Into<Query>, opts: &ReadOptions) -> Result<BatchStream> {
        let q = q.into().chunked(true);
        let (resp, ctx) = self.send_query(&q, true).await?;
        let mut target = BatchBuilder::new(opts.clone());
        let decode = move |chunk: &[u8], pending: &mut std::collections::VecDeque<RecordBatch>| {
            pending.extend(decode_chunk(&mut target, chunk, &ctx)?);
            Ok(())
        };
        Ok(BatchStream { inner: chunk_stream(self.chunks(resp), decode) })
    }
}
