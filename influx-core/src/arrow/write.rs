//! Writing a `RecordBatch`: each row is one point, encoded by the shared [`Encoder`]
//! from columns downcast once per batch.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type,
    UInt8Type,
};
use arrow_array::{Array, BooleanArray, LargeStringArray, PrimitiveArray, RecordBatch, StringArray, StringViewArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};

use crate::line_protocol::{Encoder, Key, MeasurementName, WritePoint};
use crate::writer::Writer;
use crate::{Error, ErrorKind, Precision, Result};

/// How the columns of a record batch (or polars DataFrame) become points: the
/// measurement, the tag columns, the field columns, the time column and default tags.
///
/// The names follow the Python clients' DataFrame writes (`data_frame_measurement_name`,
/// `data_frame_tag_columns`, `data_frame_timestamp_column`; `tag_columns`, `field_columns`).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::FrameOptions;
/// let opts = FrameOptions::measurement("cpu")
///     .tag_columns(["host", "region"])
///     .time_column("ts")
///     .default_tag("dc", "fra");
/// # let _ = opts;
/// ```
#[derive(Debug, Clone)]
pub struct FrameOptions {
    measurement: Measurement,
    tag_columns: Vec<String>,
    field_columns: Option<Vec<String>>,
    time_column: Option<String>,
    time_unit: Option<Precision>,
    naive_utc: bool,
    default_tags: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
enum Measurement {
    Fixed(String),
    Column(String),
}

impl FrameOptions {
    /// Every row is a point of the measurement `name`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::FrameOptions::measurement("weather");
    /// # let _ = opts;
    /// ```
    pub fn measurement(name: impl Into<String>) -> Self {
        Self::with(Measurement::Fixed(name.into()))
    }

    /// Each row's measurement is its value in the string column `column`
    /// (which is then neither a tag nor a field). A null is an error naming the row.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::FrameOptions::measurement_column("kind");
    /// # let _ = opts;
    /// ```
    pub fn measurement_column(column: impl Into<String>) -> Self {
        Self::with(Measurement::Column(column.into()))
    }

    fn with(measurement: Measurement) -> Self {
        Self {
            measurement,
            tag_columns: Vec::new(),
            field_columns: None,
            time_column: None,
            time_unit: None,
            naive_utc: false,
            default_tags: Vec::new(),
        }
    }

    /// The columns written as tags (strings: Utf8, LargeUtf8, Utf8View or a
    /// dictionary of those). A null or empty cell omits the tag.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::FrameOptions::measurement("cpu").tag_columns(["host"]);
    /// # let _ = opts;
    /// ```
    pub fn tag_columns<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.tag_columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// The columns written as fields. By default every column that is not the
    /// measurement, a tag or the time.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::FrameOptions::measurement("cpu").field_columns(["usage", "idle"]);
    /// # let _ = opts;
    /// ```
    pub fn field_columns<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.field_columns = Some(columns.into_iter().map(Into::into).collect());
        self
    }

    /// The column holding each row's time (default: the column named `time`,
    /// if there is one; without a time column the server stamps the points).
    ///
    /// A `Timestamp` column with a time zone names instants and is taken as
    /// it is, whatever the zone; one without a zone (naive) is refused unless
    /// [`naive_utc`](Self::naive_utc) says it is UTC. An integer column needs
    /// its unit from [`time_unit`](Self::time_unit). A null time is an error naming the row.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::FrameOptions::measurement("cpu").time_column("ts");
    /// # let _ = opts;
    /// ```
    pub fn time_column(mut self, column: impl Into<String>) -> Self {
        self.time_column = Some(column.into());
        self
    }

    /// The unit of an integer (`Int64`) time column since the Unix epoch.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::{arrow::FrameOptions, Precision};
    /// let opts = FrameOptions::measurement("cpu").time_column("epoch_ms").time_unit(Precision::Milliseconds);
    /// # let _ = opts;
    /// ```
    pub fn time_unit(mut self, unit: Precision) -> Self {
        self.time_unit = Some(unit);
        self
    }

    /// Takes a `Timestamp` column without a time zone as UTC (refused otherwise:
    /// a time without a zone is never guessed).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::FrameOptions::measurement("cpu").naive_utc(true);
    /// # let _ = opts;
    /// ```
    pub fn naive_utc(mut self, utc: bool) -> Self {
        self.naive_utc = utc;
        self
    }

    /// A tag added to every row; a tag column with the same key wins where it is not null.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::FrameOptions::measurement("cpu").default_tag("dc", "fra");
    /// # let _ = opts;
    /// ```
    pub fn default_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_tags.push((key.into(), value.into()));
        self
    }
}

/// A string column: a tag, a string field or the measurement.
#[derive(Debug)]
pub(crate) enum StrColumn<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
    /// A dictionary: per row the index into `values` (nulls from the keys).
    Dict {
        keys: Vec<usize>,
        nulls: Option<NullBuffer>,
        values: Box<StrColumn<'a>>,
    },
    /// A dictionary without values: every key is null.
    Empty,
}

impl<'a> StrColumn<'a> {
    pub(crate) fn new(array: &'a dyn Array) -> Option<Self> {
        Some(match array.data_type() {
            DataType::Utf8 => StrColumn::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => StrColumn::Large(array.as_string::<i64>()),
            DataType::Utf8View => StrColumn::View(array.as_string_view()),
            DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
                let dict = array.as_any_dictionary();
                if dict.values().is_empty() {
                    return Some(StrColumn::Empty);
                }
                let values = Box::new(StrColumn::new(dict.values().as_ref())?);
                StrColumn::Dict { keys: dict.normalized_keys(), nulls: dict.keys().nulls().cloned(), values }
            }
            _ => return None,
        })
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            StrColumn::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::Large(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::View(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::Dict { keys, nulls, values } => {
                if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                    return None;
                }
                values.get(keys[i])
            }
            StrColumn::Empty => None,
        }
    }
}

macro_rules! field_columns {
    ($($variant:ident($t:ty)),* $(,)?) => {
        /// A field column, downcast once per batch.
        #[derive(Debug)]
        pub(crate) enum FieldColumn<'a> {
            $($variant(&'a PrimitiveArray<$t>),)*
            Bool(&'a BooleanArray),
            Str(StrColumn<'a>),
        }
    };
}
field_columns!(
    F16(Float16Type),
    F32(Float32Type),
    F64(Float64Type),
    I8(Int8Type),
    I16(Int16Type),
    I32(Int32Type),
    I64(Int64Type),
    U8(UInt8Type),
    U16(UInt16Type),
    U32(UInt32Type),
    U64(UInt64Type),
);

impl<'a> FieldColumn<'a> {
    pub(crate) fn new(array: &'a dyn Array) -> Option<Self> {
        Some(match array.data_type() {
            DataType::Float16 => FieldColumn::F16(array.as_primitive()),
            DataType::Float32 => FieldColumn::F32(array.as_primitive()),
            DataType::Float64 => FieldColumn::F64(array.as_primitive()),
            DataType::Int8 => FieldColumn::I8(array.as_primitive()),
            DataType::Int16 => FieldColumn::I16(array.as_primitive()),
            DataType::Int32 => FieldColumn::I32(array.as_primitive()),
            DataType::Int64 => FieldColumn::I64(array.as_primitive()),
            DataType::UInt8 => FieldColumn::U8(array.as_primitive()),
            DataType::UInt16 => FieldColumn::U16(array.as_primitive()),
            DataType::UInt32 => FieldColumn::U32(array.as_primitive()),
            DataType::UInt64 => FieldColumn::U64(array.as_primitive()),
            DataType::Boolean => FieldColumn::Bool(array.as_boolean()),
            _ => FieldColumn::Str(StrColumn::new(array)?),
        })
    }

    /// Writes the cell of row `i`; a null (or a NaN) writes nothing.
    #[inline]
    fn write(&self, key: &Key<'_>, i: usize, enc: &mut Encoder<'_>) -> Result<()> {
        macro_rules! cell {
            ($a:expr) => {{
                if $a.is_null(i) {
                    return Ok(());
                }
                $a.value(i)
            }};
        }
        match self {
            FieldColumn::F16(a) => {
                // f16 -> f64 is exact; the f64 text reads back as the same value.
                let v = f64::from(cell!(a));
                if v.is_nan() {
                    return Ok(());
                }
                enc.field_f64(key, v)
            }
            FieldColumn::F32(a) => {
                let v = cell!(a);
                if v.is_nan() {
                    return Ok(());
                }
                enc.field_f32(key, v)
            }
            FieldColumn::F64(a) => {
                let v = cell!(a);
                if v.is_nan() {
                    return Ok(());
                }
                enc.field_f64(key, v)
            }
            FieldColumn::I8(a) => enc.field_i64(key, cell!(a).into()),
            FieldColumn::I16(a) => enc.field_i64(key, cell!(a).into()),
            FieldColumn::I32(a) => enc.field_i64(key, cell!(a).into()),
            FieldColumn::I64(a) => enc.field_i64(key, cell!(a)),
            FieldColumn::U8(a) => enc.field_i64(key, cell!(a).into()),
            FieldColumn::U16(a) => enc.field_i64(key, cell!(a).into()),
            FieldColumn::U32(a) => enc.field_i64(key, cell!(a).into()),
            // `u` on 2.x and 3.x; on 1.x `i`, and above i64::MAX an error (the encoder's rule).
            FieldColumn::U64(a) => enc.field_u64(key, cell!(a)),
            FieldColumn::Bool(a) => enc.field_bool(key, cell!(a)),
            FieldColumn::Str(s) => match s.get(i) {
                Some(v) => enc.field_str(key, v),
                None => Ok(()),
            },
        }
    }
}

/// The time column: i64 values and how many nanoseconds one of them is.
#[derive(Debug)]
pub(crate) struct TimeColumn<'a> {
    name: &'a str,
    values: &'a [i64],
    nulls: Option<&'a NullBuffer>,
    nanos_per_unit: i64,
}

impl TimeColumn<'_> {
    #[inline]
    pub(crate) fn is_null(&self, i: usize) -> bool {
        self.nulls.is_some_and(|n| n.is_null(i))
    }

    #[inline]
    pub(crate) fn nanos(&self, i: usize) -> Result<i64> {
        if self.nulls.is_some_and(|n| n.is_null(i)) {
            return Err(Error::new(ErrorKind::Encode, format!("time column `{}` is null", self.name.escape_debug())));
        }
        let v = self.values[i];
        v.checked_mul(self.nanos_per_unit).ok_or_else(|| {
            Error::new(
                ErrorKind::Encode,
                format!(
                    "time column `{}`: {v} × {} ns is outside the server's range",
                    self.name.escape_debug(),
                    self.nanos_per_unit
                ),
            )
        })
    }
}

/// One tag of every row: a column, or a default value, or a column that
/// falls back to a default where it is null.
#[derive(Debug)]
struct TagSource<'a> {
    key: Key<'a>,
    column: Option<StrColumn<'a>>,
    default: Option<Box<str>>,
}

/// The rows of one record batch as points, ready for `client.write(&rows)`
/// (every API generation) or [`Writer::write_batch`].
///
/// Columns are checked and downcast once, here; encoding then writes each
/// row straight into the request body with no allocation per row. Each row
/// is one point, and an error names it by its index in the batch (`point 3:
/// field `usage` is inf, ...`).
///
/// - a null cell, or a NaN float, omits that field; ±infinity is an error;
///   a row whose fields are all null (or NaN) is an error naming the row;
/// - a null (or empty) tag omits the tag;
/// - `u64` is written as `5u` where the server has unsigned integers (2.x,
///   3.x, or 1.x with `unsigned_suffix`) and `5i` on 1.x, where a value above
///   `i64::MAX` is an error; smaller unsigned widths are written as `i`;
/// - `f16` and `f64` round-trip bit for bit, `f32` as the derive writes it
///   (the shortest text that reads back as the same `f32`).
///
/// ```
/// # extern crate influx_core as influx;
/// use std::sync::Arc;
/// use influx::arrow::{BatchRows, FrameOptions};
/// use influx::arrow::array::{Float64Array, RecordBatch, StringArray, TimestampNanosecondArray};
///
/// let batch = RecordBatch::try_from_iter([
///     ("host", Arc::new(StringArray::from(vec![Some("a b"), None])) as _),
///     ("usage", Arc::new(Float64Array::from(vec![Some(0.5), Some(f64::NAN)])) as _),
///     ("idle", Arc::new(Float64Array::from(vec![Some(1.5), Some(2.0)])) as _),
///     ("time", Arc::new(TimestampNanosecondArray::from(vec![1, 2]).with_timezone("UTC")) as _),
/// ])
/// .unwrap();
/// let rows = BatchRows::new(&batch, &FrameOptions::measurement("cpu").tag_columns(["host"])).unwrap();
/// let mut body = Vec::new();
/// influx::line_protocol::encode_batch(&rows, &mut body, &Default::default()).unwrap();
/// assert_eq!(body, b"cpu,host=a\\ b usage=0.5,idle=1.5 1\ncpu idle=2.0 2");
/// ```
#[derive(Debug)]
pub struct BatchRows<'a> {
    len: usize,
    measurement: MeasurementSource<'a>,
    tags: Vec<TagSource<'a>>,
    fields: Vec<(Key<'a>, FieldColumn<'a>)>,
    time: Option<TimeColumn<'a>>,
}

#[derive(Debug)]
enum MeasurementSource<'a> {
    Fixed(MeasurementName),
    Column(&'a str, StrColumn<'a>),
}

fn config(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Encode, msg)
}

impl<'a> BatchRows<'a> {
    /// Checks the options against the batch's schema and downcasts the columns.
    ///
    /// Fails with [`ErrorKind::Encode`] naming the column when a named column is
    /// missing or has a type line protocol cannot carry as what it is used for,
    /// when a name cannot be written (see [`line_protocol`](crate::line_protocol)),
    /// or when the time column is naive and [`FrameOptions::naive_utc`] was not given.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use std::sync::Arc;
    /// use influx::arrow::{array::{RecordBatch, TimestampSecondArray, Int64Array}, BatchRows, FrameOptions};
    /// let batch = RecordBatch::try_from_iter([
    ///     ("v", Arc::new(Int64Array::from(vec![1])) as _),
    ///     ("time", Arc::new(TimestampSecondArray::from(vec![1])) as _),
    /// ]).unwrap();
    /// let err = BatchRows::new(&batch, &FrameOptions::measurement("m")).unwrap_err();
    /// assert!(err.to_string().contains("has no time zone"));
    /// assert!(BatchRows::new(&batch, &FrameOptions::measurement("m").naive_utc(true)).is_ok());
    /// ```
    pub fn new(batch: &'a RecordBatch, opts: &FrameOptions) -> Result<Self> {
        let schema = batch.schema_ref();
        let column = |name: &str| -> Result<(&'a str, &'a dyn Array)> {
            let i = schema
                .index_of(name)
                .map_err(|_| config(format!("the batch has no column `{}`", name.escape_debug())))?;
            let name: &'a str = batch.schema_ref().field(i).name();
            Ok((name, batch.column(i).as_ref()))
        };
        // `batch.schema_ref()` borrows `batch`, so names borrowed from it live for 'a.
        let measurement = match &opts.measurement {
            Measurement::Fixed(m) => MeasurementSource::Fixed(MeasurementName::new(m)?),
            Measurement::Column(c) => {
                let (name, array) = column(c)?;
                let col = StrColumn::new(array).ok_or_else(|| {
                    config(format!(
                        "measurement column `{}` is {}, not a string",
                        name.escape_debug(),
                        array.data_type()
                    ))
                })?;
                MeasurementSource::Column(name, col)
            }
        };

        let mut tags: Vec<TagSource<'a>> = Vec::with_capacity(opts.tag_columns.len() + opts.default_tags.len());
        for t in &opts.tag_columns {
            let (name, array) = column(t)?;
            let col = StrColumn::new(array).ok_or_else(|| {
                config(format!(
                    "tag column `{}` is {}: tags are strings (Utf8, LargeUtf8, Utf8View or a dictionary of them)",
                    name.escape_debug(),
                    array.data_type()
                ))
            })?;
            tags.push(TagSource { key: Key::new(name)?, column: Some(col), default: None });
        }
        for (k, v) in &opts.default_tags {
            match tags.iter_mut().find(|t| t.key.name() == k) {
                Some(t) => t.default = Some(v.as_str().into()),
                None => tags.push(TagSource {
                    key: Key::new(k)?.into_owned(),
                    column: None,
                    default: Some(v.as_str().into()),
                }),
            }
        }
        // Written in key order, as the encoder expects (and the server prefers).
        tags.sort_by(|a, b| a.key.name().as_bytes().cmp(b.key.name().as_bytes()));

        let time_name = match &opts.time_column {
            Some(t) => Some(t.as_str()),
            None => schema.column_with_name("time").map(|_| "time"),
        };
        let time = match time_name {
            None => None,
            Some(t) => {
                let (name, array) = column(t)?;
                Some(time_column(name, array, opts)?)
            }
        };

        let taken = |n: &str| {
            opts.tag_columns.iter().any(|t| t == n)
                || time_name == Some(n)
                || matches!(&opts.measurement, Measurement::Column(c) if c == n)
        };
        let field_names: Vec<&str> = match &opts.field_columns {
            Some(f) => f.iter().map(String::as_str).collect(),
            None => schema.fields().iter().map(|f| f.name().as_str()).filter(|n| !taken(n)).collect(),
        };
        let mut fields = Vec::with_capacity(field_names.len());
        for f in field_names {
            let (name, array) = column(f)?;
            let col = FieldColumn::new(array).ok_or_else(|| {
                config(format!(
                    "field column `{}` is {}, which line protocol cannot carry (floats, integers, booleans and strings can)",
                    name.escape_debug(),
                    array.data_type()
                ))
            })?;
            fields.push((Key::new(name)?, col));
        }
        if fields.is_empty() {
            return Err(config("no field column: line protocol needs at least one field"));
        }
        Ok(Self { len: batch.num_rows(), measurement, tags, fields, time })
    }

    /// How many rows (points) there are.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(rows: influx::arrow::BatchRows<'_>) -> usize {
    /// rows.len()
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if the batch has no rows.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(rows: influx::arrow::BatchRows<'_>) -> bool {
    /// rows.is_empty()
    /// # }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The rows, each a [`WritePoint`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(rows: influx::arrow::BatchRows<'_>) {
    /// let first = rows.iter().next();
    /// # }
    /// ```
    pub fn iter(&self) -> BatchRowIter<'_, 'a> {
        BatchRowIter { rows: self, range: 0..self.len }
    }
}

pub(crate) fn time_column<'a>(name: &'a str, array: &'a dyn Array, opts: &FrameOptions) -> Result<TimeColumn<'a>> {
    let naive = |tz: &Option<std::sync::Arc<str>>| -> Result<()> {
        if tz.is_none() && !opts.naive_utc {
            return Err(config(format!(
                "time column `{}` has no time zone: say it is UTC with FrameOptions::naive_utc(true), \
                 or give the column a zone (a time without a zone is never guessed)",
                name.escape_debug()
            )));
        }
        Ok(())
    };
    let (values, nulls, nanos_per_unit): (&[i64], _, i64) = match array.data_type() {
        DataType::Timestamp(unit, tz) => {
            naive(tz)?;
            match unit {
                TimeUnit::Second => {
                    let a = array.as_primitive::<TimestampSecondType>();
                    (a.values(), a.nulls(), 1_000_000_000)
                }
                TimeUnit::Millisecond => {
                    let a = array.as_primitive::<TimestampMillisecondType>();
                    (a.values(), a.nulls(), 1_000_000)
                }
                TimeUnit::Microsecond => {
                    let a = array.as_primitive::<TimestampMicrosecondType>();
                    (a.values(), a.nulls(), 1_000)
                }
                TimeUnit::Nanosecond => {
                    let a = array.as_primitive::<TimestampNanosecondType>();
                    (a.values(), a.nulls(), 1)
                }
            }
        }
        DataType::Int64 => {
            let unit = opts.time_unit.ok_or_else(|| {
                config(format!(
                    "time column `{}` is Int64: give its unit with FrameOptions::time_unit",
                    name.escape_debug()
                ))
            })?;
            let a = array.as_primitive::<Int64Type>();
            (a.values(), a.nulls(), unit.nanos_per_unit())
        }
        other => {
            return Err(config(format!(
                "time column `{}` is {other}, not a Timestamp or Int64 column",
                name.escape_debug()
            )))
        }
    };
    Ok(TimeColumn { name, values, nulls, nanos_per_unit })
}

impl<'r, 'a> IntoIterator for &'r BatchRows<'a> {
    type Item = BatchRow<'r, 'a>;
    type IntoIter = BatchRowIter<'r, 'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The rows of a [`BatchRows`], in order ([`BatchRows::iter`]).
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(rows: influx::arrow::BatchRows<'_>) {
/// let n = rows.iter().len();
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct BatchRowIter<'r, 'a> {
    rows: &'r BatchRows<'a>,
    range: std::ops::Range<usize>,
}

impl<'r, 'a> Iterator for BatchRowIter<'r, 'a> {
    type Item = BatchRow<'r, 'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.range.next().map(|index| BatchRow { rows: self.rows, index })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl ExactSizeIterator for BatchRowIter<'_, '_> {}

/// One row of a [`BatchRows`]: a point.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(rows: influx::arrow::BatchRows<'_>) {
/// for row in &rows {
///     assert!(row.index() < rows.len());
/// }
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct BatchRow<'r, 'a> {
    rows: &'r BatchRows<'a>,
    index: usize,
}

impl BatchRow<'_, '_> {
    /// The row's index in its batch.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(row: influx::arrow::BatchRow<'_, '_>) -> usize {
    /// row.index()
    /// # }
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }
}

impl WritePoint for BatchRow<'_, '_> {
    #[inline]
    fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()> {
        let (rows, i) = (self.rows, self.index);
        match &rows.measurement {
            MeasurementSource::Fixed(m) => enc.measurement_name(m),
            MeasurementSource::Column(name, col) => match col.get(i) {
                Some(m) => enc.measurement(m)?,
                None => {
                    return Err(Error::new(
                        ErrorKind::Encode,
                        format!("measurement column `{}` is null", name.escape_debug()),
                    ))
                }
            },
        }
        for t in &rows.tags {
            if let Some(v) = t.column.as_ref().and_then(|c| c.get(i)).filter(|v| !v.is_empty()).or(t.default.as_deref())
            {
                enc.tag(&t.key, v)?;
            }
        }
        for (key, col) in &rows.fields {
            col.write(key, i, enc)?;
        }
        if enc.fields_written() == 0 {
            return Err(Error::new(ErrorKind::Encode, "every field of the row is null or NaN (a line needs a field)"));
        }
        if let Some(t) = &rows.time {
            enc.timestamp_nanos(t.nanos(i)?)?;
        }
        Ok(())
    }
}

impl<P: ?Sized> Writer<P> {
    /// Buffers every row of a record batch as a point, waiting for room as
    /// needed (in synchronous mode, returns once all are stored). An encoding
    /// error names the row (`point 3: ...`); the rows before it were accepted.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::Client, batch: influx::arrow::array::RecordBatch) -> influx::Result<()> {
    /// use influx::arrow::{BatchRows, FrameOptions};
    /// let writer = client.untyped_writer(influx::writer::WriterOptions::new())?;
    /// let opts = FrameOptions::measurement("cpu").tag_columns(["host"]);
    /// writer.write_batch(&BatchRows::new(&batch, &opts)?).await?;
    /// writer.close().await?;
    /// # Ok(()) }
    /// ```
    pub async fn write_batch(&self, rows: &BatchRows<'_>) -> Result<()> {
        self.write_points::<_, BatchRow<'_, '_>>(rows.iter()).await
    }
}
