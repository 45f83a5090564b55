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

use crate::line_protocol::{Bytes32, Encoder, KeyLine, MeasurementName, TagValueLine, WritePoint};
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
    naive: Naive,
    default_tags: Vec<(String, String)>,
}

/// How a `Timestamp` column without a time zone (wall-clock times) is read.
#[derive(Debug, Clone)]
enum Naive {
    /// Refused: a time without a zone is never guessed.
    Refused,
    Utc,
    /// An IANA name or a fixed offset, parsed when the batch is read.
    Zone(String),
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
            naive: Naive::Refused,
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
    /// [`naive_utc`](Self::naive_utc) says it is UTC or
    /// [`naive_time_zone`](Self::naive_time_zone) names its zone. An integer column needs
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
    /// a time without a zone is never guessed). The last of this and
    /// [`naive_time_zone`](Self::naive_time_zone) wins.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::arrow::FrameOptions::measurement("cpu").naive_utc(true);
    /// # let _ = opts;
    /// ```
    pub fn naive_utc(mut self, utc: bool) -> Self {
        self.naive = if utc { Naive::Utc } else { Naive::Refused };
        self
    }

    /// Takes a `Timestamp` column without a time zone as wall-clock times in
    /// `zone`: an IANA name (`"Europe/Berlin"`, `"America/New_York"`, `"UTC"`) or a
    /// fixed offset (`"+02:00"`, `"-05:30"`), as pandas' `tz_localize` does.
    ///
    /// Strict where pandas guesses: a wall time that does not exist in the zone (skipped
    /// when the clocks spring forward) or that it passes twice (when they fall back) is an
    /// error naming the row and the column, never a guess; give such a column its zone or
    /// offset (`Timestamp(unit, Some(zone))` names instants). A name that is neither a zone
    /// nor an offset is an error from [`BatchRows::new`]. The last of this and
    /// [`naive_utc`](Self::naive_utc) wins; a column with a zone of its own ignores both.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use std::sync::Arc;
    /// use influx::arrow::{array::{Int64Array, RecordBatch, TimestampSecondArray}, BatchRows, FrameOptions};
    /// // 2024-07-01 12:00:00 and 2024-03-31 02:30:00, Berlin wall-clock time (no zone on the column).
    /// let batch = RecordBatch::try_from_iter([
    ///     ("v", Arc::new(Int64Array::from(vec![1, 2])) as _),
    ///     ("time", Arc::new(TimestampSecondArray::from(vec![1_719_835_200, 1_711_852_200])) as _),
    /// ]).unwrap();
    /// let rows = BatchRows::new(&batch, &FrameOptions::measurement("m").naive_time_zone("Europe/Berlin")).unwrap();
    /// let mut body = Vec::new();
    /// let err = influx::line_protocol::encode_batch(&rows, &mut body, &Default::default()).unwrap_err();
    /// // Noon in Berlin in summer is 10:00 UTC; 02:30 on 31 March 2024 never happened there.
    /// assert!(err.to_string().starts_with("point 1: time column `time`: 2024-03-31 02:30:00 does not exist in Europe/Berlin"));
    /// let first = influx::line_protocol::to_line_protocol(&rows.iter().next().unwrap(), &Default::default()).unwrap();
    /// assert_eq!(first, "m v=1i 1719828000000000000");
    /// ```
    pub fn naive_time_zone(mut self, zone: impl Into<String>) -> Self {
        self.naive = Naive::Zone(zone.into());
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
    /// A dictionary (boxed, so that the enum's tag is a plain number, matched with one jump).
    Dict(Box<DictStr<'a>>),
    /// A dictionary without values: every key is null.
    Empty,
}

/// A dictionary-encoded string column: per row the index into `values` (nulls from the keys).
#[derive(Debug)]
pub(crate) struct DictStr<'a> {
    keys: Vec<usize>,
    nulls: Option<NullBuffer>,
    values: StrColumn<'a>,
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
                let values = StrColumn::new(dict.values().as_ref())?;
                StrColumn::Dict(Box::new(DictStr {
                    keys: dict.normalized_keys(),
                    nulls: dict.keys().nulls().cloned(),
                    values,
                }))
            }
            _ => return None,
        })
    }

    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            StrColumn::Dict(d) => {
                let DictStr { keys, nulls, values } = &**d;
                if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                    return None;
                }
                values.get_flat(keys[i])
            }
            _ => self.get_flat(i),
        }
    }

    /// [`get`](Self::get) for a column that is not a dictionary (a dictionary's values
    /// never are), not recursive so that it inlines.
    #[inline(always)]
    fn get_flat(&self, i: usize) -> Option<&'a str> {
        match self {
            StrColumn::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::Large(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::View(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::Dict(_) | StrColumn::Empty => None,
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
            /// Boxed, so that the enum's tag is a plain number (matched with one jump)
            /// rather than packed into the string column's own variants.
            Str(Box<StrColumn<'a>>),
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
            _ => FieldColumn::Str(Box::new(StrColumn::new(array)?)),
        })
    }

    /// Writes the cell of row `i`; a null (or a NaN) writes nothing.
    #[inline(always)]
    fn write(&self, key: &KeyLine, i: usize, enc: &mut Encoder<'_>) -> Result<()> {
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
            // The bit straight from the buffer (`BooleanArray::value` is not inlined).
            FieldColumn::Bool(a) => enc.field_bool(key, {
                if a.is_null(i) {
                    return Ok(());
                }
                a.values().value(i)
            }),
            FieldColumn::Str(s) => match s.get(i) {
                Some(v) => enc.field_str(key, v),
                None => Ok(()),
            },
        }
    }
}

/// The time column: i64 values, how many nanoseconds one of them is, and for
/// wall-clock times the zone they are read in.
#[derive(Debug)]
pub(crate) struct TimeColumn<'a> {
    name: &'a str,
    values: &'a [i64],
    nulls: Option<&'a NullBuffer>,
    nanos_per_unit: i64,
    zone: Option<WallClock>,
}

/// The zone naive (wall-clock) times are in.
#[derive(Debug)]
struct WallClock {
    name: Box<str>,
    zone: Zone,
}

#[derive(Debug)]
enum Zone {
    /// Seconds east of UTC.
    Fixed(i64),
    Named(chrono_tz::Tz),
}

const NANOS_PER_SEC: i64 = 1_000_000_000;

impl WallClock {
    fn parse(name: &str) -> Result<Self> {
        let zone = if name.starts_with(['+', '-']) {
            name.parse::<chrono::FixedOffset>().ok().map(|o| Zone::Fixed(o.local_minus_utc().into()))
        } else {
            name.parse::<chrono_tz::Tz>().ok().map(Zone::Named)
        };
        match zone {
            Some(zone) => Ok(Self { name: name.into(), zone }),
            None => Err(config(format!(
                "FrameOptions::naive_time_zone: `{}` is neither an IANA time zone name (like Europe/Berlin) \
                 nor an offset (like +02:00)",
                name.escape_debug()
            ))),
        }
    }

    /// The instant (ns since the epoch) of the wall-clock time `local` (ns since
    /// 1970-01-01 00:00 on the same wall clock), with integer arithmetic only.
    fn instant(&self, column: &str, local: i64) -> Result<i64> {
        use chrono::{Offset, TimeZone};
        let offset_secs = match &self.zone {
            Zone::Fixed(secs) => *secs,
            Zone::Named(tz) => {
                let secs = local.div_euclid(NANOS_PER_SEC);
                let wall = chrono::DateTime::from_timestamp(secs, 0)
                    .expect("every i64 of nanoseconds is within chrono's range")
                    .naive_utc();
                match tz.offset_from_local_datetime(&wall) {
                    chrono::LocalResult::Single(o) => o.fix().local_minus_utc().into(),
                    chrono::LocalResult::None => {
                        return Err(self.wall_error(column, local, "does not exist", "the clocks skip it"))
                    }
                    chrono::LocalResult::Ambiguous(a, b) => {
                        let why = format!("the clocks pass it twice, at {} and at {}", a.fix(), b.fix());
                        return Err(self.wall_error(column, local, "is ambiguous", &why));
                    }
                }
            }
        };
        local.checked_sub(offset_secs * NANOS_PER_SEC).ok_or_else(|| {
            config(format!(
                "time column `{}`: {local} ns in {} is outside the server's range",
                column.escape_debug(),
                self.name
            ))
        })
    }

    #[cold]
    fn wall_error(&self, column: &str, local: i64, what: &str, why: &str) -> Error {
        let wall =
            chrono::DateTime::from_timestamp(local.div_euclid(NANOS_PER_SEC), local.rem_euclid(NANOS_PER_SEC) as u32)
                .expect("every i64 of nanoseconds is within chrono's range")
                .naive_utc();
        config(format!(
            "time column `{}`: {wall} {what} in {} ({why}); give the column a time zone or an offset to say which instant it is",
            column.escape_debug(),
            self.name
        ))
    }
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
        let nanos = v.checked_mul(self.nanos_per_unit).ok_or_else(|| {
            Error::new(
                ErrorKind::Encode,
                format!(
                    "time column `{}`: {v} × {} ns is outside the server's range",
                    self.name.escape_debug(),
                    self.nanos_per_unit
                ),
            )
        })?;
        match &self.zone {
            None => Ok(nanos),
            Some(z) => z.instant(self.name, nanos),
        }
    }
}

/// One tag of every row: a column, or a default value, or a column that
/// falls back to a default where it is null. Key and default are checked and
/// escaped once per batch.
#[derive(Debug)]
struct TagSource<'a> {
    key: KeyLine,
    column: TagColumn<'a>,
    default: Option<TagValueLine>,
}

/// A tag column, its kind matched once per cell (no nested matches). A dictionary's
/// values are checked and escaped once per batch, not once per row (a value that
/// cannot be written fails the first row using it).
#[derive(Debug)]
enum TagColumn<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
    /// Boxed, so that the enum's tag is a plain number (matched with one jump).
    Dict(Box<DictTag>),
    /// No column (a default tag), or a dictionary whose keys are all null.
    None,
}

/// A dictionary-encoded tag column: per row the index into `values` (nulls from the keys).
#[derive(Debug)]
struct DictTag {
    keys: Vec<usize>,
    nulls: Option<NullBuffer>,
    values: Vec<TagValueLine>,
}

impl<'a> TagColumn<'a> {
    fn new(array: &'a dyn Array) -> Option<Self> {
        Some(match StrColumn::new(array)? {
            StrColumn::Utf8(a) => TagColumn::Utf8(a),
            StrColumn::Large(a) => TagColumn::Large(a),
            StrColumn::View(a) => TagColumn::View(a),
            StrColumn::Dict(d) => {
                let DictStr { keys, nulls, values } = *d;
                let n = array.as_any_dictionary().values().len();
                let values = (0..n).map(|j| TagValueLine::new(values.get(j).unwrap_or(""))).collect();
                TagColumn::Dict(Box::new(DictTag { keys, nulls, values }))
            }
            StrColumn::Empty => TagColumn::None,
        })
    }
}

impl TagSource<'_> {
    /// Writes the tag of row `i`: its cell, or where that is null or empty the default (if any).
    #[inline(always)]
    fn write(&self, i: usize, enc: &mut Encoder<'_>) -> Result<()> {
        let v = match &self.column {
            TagColumn::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            TagColumn::Large(a) => a.is_valid(i).then(|| a.value(i)),
            TagColumn::View(a) => a.is_valid(i).then(|| a.value(i)),
            TagColumn::Dict(d) => {
                let DictTag { keys, nulls, values } = &**d;
                if !nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                    let v = &values[keys[i]];
                    if !v.is_empty() {
                        return enc.tag_escaped_value(&self.key, v);
                    }
                }
                None
            }
            TagColumn::None => None,
        };
        match (v, &self.default) {
            (Some(v), _) if !v.is_empty() => enc.tag(&self.key, v),
            (_, Some(d)) => enc.tag_escaped_value(&self.key, d),
            _ => Ok(()),
        }
    }
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
    fields: Vec<(KeyLine, FieldColumn<'a>)>,
    time: Option<TimeColumn<'a>>,
}

#[derive(Debug)]
enum MeasurementSource<'a> {
    /// Escaped once.
    Fixed(Bytes32),
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
    /// or when the time column is naive and neither [`FrameOptions::naive_utc`] nor
    /// [`FrameOptions::naive_time_zone`] (with a zone it knows) was given.
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
            Measurement::Fixed(m) => MeasurementSource::Fixed(MeasurementName::new(m)?.escaped_bytes()),
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
            let col = TagColumn::new(array).ok_or_else(|| {
                config(format!(
                    "tag column `{}` is {}: tags are strings (Utf8, LargeUtf8, Utf8View or a dictionary of them)",
                    name.escape_debug(),
                    array.data_type()
                ))
            })?;
            tags.push(TagSource { key: KeyLine::tag(name)?, column: col, default: None });
        }
        for (k, v) in &opts.default_tags {
            match tags.iter_mut().find(|t| t.key.name() == k) {
                Some(t) => t.default = Some(TagValueLine::new(v)),
                None => tags.push(TagSource {
                    key: KeyLine::tag(k)?,
                    column: TagColumn::None,
                    default: Some(TagValueLine::new(v)),
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
            fields.push((KeyLine::field(name)?, col));
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
    // A zone on the column names instants (whatever the zone); without one, the options say.
    let naive = |tz: &Option<std::sync::Arc<str>>| -> Result<Option<WallClock>> {
        match (tz, &opts.naive) {
            (Some(_), _) | (None, Naive::Utc) => Ok(None),
            (None, Naive::Zone(z)) => WallClock::parse(z).map(Some),
            (None, Naive::Refused) => Err(config(format!(
                "time column `{}` has no time zone: say it is UTC with FrameOptions::naive_utc(true), \
                 name its zone with FrameOptions::naive_time_zone, or give the column a zone \
                 (a time without a zone is never guessed)",
                name.escape_debug()
            ))),
        }
    };
    let mut zone = None;
    let (values, nulls, nanos_per_unit): (&[i64], _, i64) = match array.data_type() {
        DataType::Timestamp(unit, tz) => {
            zone = naive(tz)?;
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
    Ok(TimeColumn { name, values, nulls, nanos_per_unit, zone })
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
            MeasurementSource::Fixed(m) => enc.measurement_escaped(m),
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
            t.write(i, enc)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, TimestampMillisecondArray, TimestampSecondArray};
    use std::sync::Arc;

    /// Seconds since 1970-01-01 00:00 of a wall-clock time (the naive column's value).
    fn wall(s: &str) -> i64 {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp()
    }

    fn encode(times: Vec<i64>, opts: &FrameOptions) -> Result<String> {
        let n = times.len() as i64;
        let batch = RecordBatch::try_from_iter([
            ("v", Arc::new(Int64Array::from((0..n).collect::<Vec<_>>())) as _),
            ("ts", Arc::new(TimestampSecondArray::from(times)) as _),
        ])
        .unwrap();
        let rows = BatchRows::new(&batch, &opts.clone().time_column("ts"))?;
        let mut buf = Vec::new();
        crate::line_protocol::encode_batch(&rows, &mut buf, &Default::default())?;
        Ok(String::from_utf8(buf).unwrap())
    }

    fn berlin() -> FrameOptions {
        FrameOptions::measurement("m").naive_time_zone("Europe/Berlin")
    }

    #[test]
    fn naive_times_in_a_named_zone_become_their_instants() {
        // Winter (+01:00), summer (+02:00), and the last second before each change.
        let got = encode(
            vec![
                wall("2024-01-15 12:00:00"),
                wall("2024-07-01 12:00:00"),
                wall("2024-03-31 01:59:59"),
                wall("2024-03-31 03:00:00"),
                wall("2024-10-27 01:59:59"),
                wall("2024-10-27 03:00:00"),
            ],
            &berlin(),
        )
        .unwrap();
        let want = [
            wall("2024-01-15 11:00:00"),
            wall("2024-07-01 10:00:00"),
            wall("2024-03-31 00:59:59"),
            wall("2024-03-31 01:00:00"),
            wall("2024-10-26 23:59:59"),
            wall("2024-10-27 02:00:00"),
        ];
        let want: Vec<String> =
            want.iter().enumerate().map(|(i, t)| format!("m v={i}i {}", i128::from(*t) * 1_000_000_000)).collect();
        assert_eq!(got, want.join("\n"));
    }

    #[test]
    fn a_wall_time_the_clocks_skip_is_an_error_naming_row_and_column() {
        let err = encode(vec![wall("2024-03-31 01:00:00"), wall("2024-03-31 02:30:00")], &berlin()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encode);
        assert_eq!(
            err.to_string(),
            "point 1: time column `ts`: 2024-03-31 02:30:00 does not exist in Europe/Berlin (the clocks skip it); \
             give the column a time zone or an offset to say which instant it is"
        );
        // New York springs forward at 02:00 on 10 March 2024.
        let ny = FrameOptions::measurement("m").naive_time_zone("America/New_York");
        assert!(encode(vec![wall("2024-03-10 02:00:00")], &ny).unwrap_err().to_string().contains("does not exist"));
    }

    #[test]
    fn a_wall_time_the_clocks_pass_twice_is_an_error_not_a_guess() {
        let err = encode(vec![wall("2024-10-27 02:30:00")], &berlin()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "point 0: time column `ts`: 2024-10-27 02:30:00 is ambiguous in Europe/Berlin \
             (the clocks pass it twice, at +02:00 and at +01:00); \
             give the column a time zone or an offset to say which instant it is"
        );
    }

    #[test]
    fn fixed_offsets_utc_and_units_convert_with_integer_arithmetic() {
        let t = wall("2024-03-31 02:30:00");
        let at = |o: &str| encode(vec![t], &FrameOptions::measurement("m").naive_time_zone(o)).unwrap();
        assert_eq!(at("+02:00"), format!("m v=0i {}", (t - 7_200) * 1_000_000_000));
        assert_eq!(at("-05:30"), format!("m v=0i {}", (t + 19_800) * 1_000_000_000));
        assert_eq!(at("UTC"), format!("m v=0i {}", t * 1_000_000_000));
        // Sub-second digits survive the zone: milliseconds, before 1970 too.
        let ms = [wall("1969-07-20 20:17:40") * 1_000 + 999, wall("2024-07-01 12:00:00") * 1_000 + 1];
        let batch = RecordBatch::try_from_iter([
            ("v", Arc::new(Int64Array::from(vec![1, 2])) as _),
            ("time", Arc::new(TimestampMillisecondArray::from(ms.to_vec())) as _),
        ])
        .unwrap();
        let rows = BatchRows::new(&batch, &berlin()).unwrap();
        let mut buf = Vec::new();
        crate::line_protocol::encode_batch(&rows, &mut buf, &Default::default()).unwrap();
        let want = format!("m v=1i {}\nm v=2i {}", (ms[0] - 3_600_000) * 1_000_000, (ms[1] - 7_200_000) * 1_000_000);
        assert_eq!(String::from_utf8(buf).unwrap(), want);
    }

    #[test]
    fn dictionary_tag_values_are_checked_once_but_fail_only_the_rows_using_them() {
        use arrow_array::{types::Int32Type, DictionaryArray, Int32Array, StringArray};
        // Values: a hostile but valid one, an empty one, one line protocol cannot carry.
        let values = StringArray::from(vec!["a b,c=d", "", "bad\n"]);
        let dict = |keys: Vec<Option<i32>>| {
            DictionaryArray::<Int32Type>::try_new(Int32Array::from(keys), Arc::new(values.clone())).unwrap()
        };
        let lines = |keys: Vec<Option<i32>>| {
            let n = keys.len() as i64;
            let batch = RecordBatch::try_from_iter([
                ("host", Arc::new(dict(keys)) as _),
                ("v", Arc::new(Int64Array::from((0..n).collect::<Vec<_>>())) as _),
            ])
            .unwrap();
            let opts = FrameOptions::measurement("m").tag_columns(["host"]).default_tag("host", "dflt");
            let rows = BatchRows::new(&batch, &opts)?;
            let mut buf = Vec::new();
            crate::line_protocol::encode_batch(&rows, &mut buf, &Default::default())?;
            Ok::<_, Error>(String::from_utf8(buf).unwrap())
        };
        // The unwritable value is never used: no error. Empty and null fall back to the default.
        assert_eq!(
            lines(vec![Some(0), Some(1), None, Some(0)]).unwrap(),
            "m,host=a\\ b\\,c\\=d v=0i\nm,host=dflt v=1i\nm,host=dflt v=2i\nm,host=a\\ b\\,c\\=d v=3i"
        );
        let err = lines(vec![Some(0), Some(2)]).unwrap_err();
        assert_eq!(err.to_string(), "point 1: tag `host` value contains a newline, which line protocol cannot carry");
    }

    #[test]
    fn a_column_with_its_own_zone_keeps_its_instant_and_unknown_zones_are_refused() {
        let batch = RecordBatch::try_from_iter([
            ("v", Arc::new(Int64Array::from(vec![1])) as _),
            ("time", Arc::new(TimestampSecondArray::from(vec![5]).with_timezone("America/New_York")) as _),
        ])
        .unwrap();
        let line = |opts: &FrameOptions| {
            let rows = BatchRows::new(&batch, opts).unwrap();
            crate::line_protocol::to_line_protocol(&rows.iter().next().unwrap(), &Default::default()).unwrap()
        };
        assert_eq!(line(&FrameOptions::measurement("m")), "m v=1i 5000000000");
        assert_eq!(line(&berlin()), "m v=1i 5000000000");

        let err = encode(vec![0], &FrameOptions::measurement("m").naive_time_zone("Europe/Berln")).unwrap_err();
        assert!(err.to_string().contains("`Europe/Berln` is neither an IANA time zone name"), "{err}");
        assert!(encode(vec![0], &FrameOptions::measurement("m").naive_time_zone("+25:00")).is_err());
        // The last of naive_utc and naive_time_zone wins.
        let opts = berlin().naive_utc(true);
        assert_eq!(encode(vec![7], &opts).unwrap(), "m v=0i 7000000000");
        assert!(encode(vec![7], &berlin().naive_utc(false)).is_err());
    }
}
