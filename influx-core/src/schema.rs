//! The schema of a derived point type: its measurement, tags, fields and time,
//! as constants that macros check queries against at compile time and that
//! `Client::verify` compares with the server's `SHOW FIELD KEYS` at run time.

use crate::line_protocol::WritePoint;
use crate::{Error, ErrorKind, Result};

/// A point type with a schema known at compile time; implemented by
/// `#[derive(InfluxPoint)]`.
///
/// All names are the keys as the server stores them (after `rename`,
/// unescaped).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{Encoder, WritePoint};
/// use influx::schema::{Column, FieldType, InfluxPoint};
///
/// struct Cpu { host: String, usage: f64 }
///
/// impl WritePoint for Cpu {
///     fn write_point(&self, enc: &mut Encoder<'_>) -> influx::Result<()> {
///         enc.measurement("cpu")?;
///         enc.tag("host", &self.host)?;
///         enc.field_f64("usage", self.usage)
///     }
/// }
///
/// impl InfluxPoint for Cpu {
///     const MEASUREMENT: &'static str = "cpu";
///     const TAG_KEYS: &'static [&'static str] = &["host"];
///     const FIELD_KEYS: &'static [&'static str] = &["usage"];
///     const TIME_KEY: Option<&'static str> = None;
///     const COLUMNS: &'static [Column] =
///         &[Column::tag("host", false), Column::field("usage", FieldType::Float, false)];
/// }
/// assert_eq!(Cpu::COLUMNS[1].name, "usage");
/// ```
pub trait InfluxPoint: WritePoint {
    /// The measurement name.
    const MEASUREMENT: &'static str;
    /// The tag keys, sorted (the order they are written in).
    const TAG_KEYS: &'static [&'static str];
    /// The field keys, in declaration order.
    const FIELD_KEYS: &'static [&'static str];
    /// `Some("time")` if the type carries a timestamp (a `#[time]` field), else `None`.
    const TIME_KEY: Option<&'static str>;
    /// Every column (tags, fields and time) in declaration order.
    const COLUMNS: &'static [Column];

    /// The exact value type of each of [`COLUMNS`](Self::COLUMNS) that is a field (`None` for
    /// tags and time), finer than [`FieldType`] (`f32` apart from `f64`, each integer width).
    /// Empty unless derived: the columnar conversions then use [`__CellType::of`].
    #[doc(hidden)]
    const __CELL_TYPES: &'static [Option<__CellType>] = &[];

    /// Hands each of [`COLUMNS`](Self::COLUMNS) of this point to `sink`, by index, with its
    /// typed value: what `influx::arrow::to_batch` builds columns from. Derived; not called
    /// on any write path. The default (a hand-written impl) is an error.
    #[doc(hidden)]
    fn __visit_columns(&self, sink: &mut dyn __ColumnSink) -> Result<()> {
        let _ = sink;
        Err(Error::new(
            ErrorKind::Encode,
            format!(
                "`{}` implements InfluxPoint by hand, so its values cannot be read column by column; \
                 derive it with #[derive(InfluxPoint)]",
                std::any::type_name::<Self>()
            ),
        ))
    }
}

/// The exact Rust type of a field's values, for columnar conversion (hidden: used by the
/// derive and `influx::arrow`, not a stable API).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum __CellType {
    F64,
    F32,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    Bool,
    Str,
}

impl __CellType {
    /// The widest type of a [`FieldType`]: what a field of a custom `FieldValue` type is.
    pub const fn of(t: FieldType) -> Self {
        match t {
            FieldType::Float => __CellType::F64,
            FieldType::Integer => __CellType::I64,
            FieldType::UInteger => __CellType::U64,
            FieldType::String => __CellType::Str,
            FieldType::Boolean => __CellType::Bool,
        }
    }
}

/// One field value handed to a [`__ColumnSink`] (hidden, not a stable API).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum __Cell<'a> {
    /// The field is absent (`None`, or a custom value that wrote nothing).
    Null,
    F64(f64),
    F32(f32),
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    Bool(bool),
    Str(&'a str),
}

impl __Cell<'_> {
    /// The type of the value (`None` for `Null`).
    pub fn cell_type(&self) -> Option<__CellType> {
        Some(match self {
            __Cell::Null => return None,
            __Cell::F64(_) => __CellType::F64,
            __Cell::F32(_) => __CellType::F32,
            __Cell::I8(_) => __CellType::I8,
            __Cell::I16(_) => __CellType::I16,
            __Cell::I32(_) => __CellType::I32,
            __Cell::I64(_) => __CellType::I64,
            __Cell::U8(_) => __CellType::U8,
            __Cell::U16(_) => __CellType::U16,
            __Cell::U32(_) => __CellType::U32,
            __Cell::U64(_) => __CellType::U64,
            __Cell::Bool(_) => __CellType::Bool,
            __Cell::Str(_) => __CellType::Str,
        })
    }
}

/// Receives the values of one point, column by column ([`InfluxPoint::__visit_columns`]);
/// `col` indexes [`InfluxPoint::COLUMNS`]. Hidden: implemented by `influx::arrow`.
#[doc(hidden)]
pub trait __ColumnSink {
    /// A tag's value (`None` omits the tag).
    fn tag(&mut self, col: usize, value: Option<&str>) -> Result<()>;
    /// A field's value.
    fn field(&mut self, col: usize, value: __Cell<'_>) -> Result<()>;
    /// The time, in nanoseconds since the Unix epoch (`None`: none given).
    fn time(&mut self, col: usize, nanos: Option<i128>) -> Result<()>;
}

/// One column of an [`InfluxPoint`]'s schema.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::schema::{Column, ColumnKind, FieldType};
/// const C: Column = Column::field("usage", FieldType::Float, true);
/// assert_eq!((C.name, C.kind, C.field_type, C.optional), ("usage", ColumnKind::Field, Some(FieldType::Float), true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Column {
    /// The key as the server stores it (`time` for the timestamp).
    pub name: &'static str,
    /// Tag, field or time.
    pub kind: ColumnKind,
    /// The field's type; `None` for tags and time.
    pub field_type: Option<FieldType>,
    /// True if the Rust type is an `Option` (the column may be absent from a point).
    pub optional: bool,
}

impl Column {
    /// A tag column.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::schema::Column::tag("host", false).field_type, None);
    /// ```
    pub const fn tag(name: &'static str, optional: bool) -> Column {
        Column { name, kind: ColumnKind::Tag, field_type: None, optional }
    }

    /// A field column.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::schema::{Column, FieldType};
    /// assert_eq!(Column::field("n", FieldType::Integer, false).field_type, Some(FieldType::Integer));
    /// ```
    pub const fn field(name: &'static str, field_type: FieldType, optional: bool) -> Column {
        Column { name, kind: ColumnKind::Field, field_type: Some(field_type), optional }
    }

    /// The time column (always named `time`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::schema::Column::time(false).name, "time");
    /// ```
    pub const fn time(optional: bool) -> Column {
        Column { name: "time", kind: ColumnKind::Time, field_type: None, optional }
    }
}

/// What a [`Column`] is.
///
/// ```
/// # extern crate influx_core as influx;
/// assert_ne!(influx::schema::ColumnKind::Tag, influx::schema::ColumnKind::Field);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// A tag (always a string on the server).
    Tag,
    /// A field.
    Field,
    /// The timestamp.
    Time,
}

/// The type of a field, as `SHOW FIELD KEYS` names it.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::schema::FieldType;
/// assert_eq!(FieldType::Float.as_str(), "float");
/// assert!(FieldType::UInteger.matches_server("integer"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// `float` (f64, f32).
    Float,
    /// `integer` (i8 to i64, isize, i128 within range, u8 to u32).
    Integer,
    /// `unsigned` (u64, usize, u128 within range). InfluxDB 1.x has no unsigned
    /// type: these are written and stored as `integer` unless
    /// [`EncodeOptions::unsigned_suffix`](crate::line_protocol::EncodeOptions::unsigned_suffix) is set.
    UInteger,
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
}

impl FieldType {
    /// The name `SHOW FIELD KEYS` uses for this type.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::schema::FieldType::UInteger.as_str(), "unsigned");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            FieldType::Float => "float",
            FieldType::Integer => "integer",
            FieldType::UInteger => "unsigned",
            FieldType::String => "string",
            FieldType::Boolean => "boolean",
        }
    }

    /// True if a field the server reports as `server_type` (from `SHOW FIELD
    /// KEYS`) can hold this type's values: exact matches, plus `UInteger`
    /// stored as `integer` (the 1.x default).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::schema::FieldType;
    /// assert!(FieldType::Float.matches_server("float"));
    /// assert!(!FieldType::Float.matches_server("integer"));
    /// ```
    pub fn matches_server(self, server_type: &str) -> bool {
        server_type == self.as_str() || (self == FieldType::UInteger && server_type == "integer")
    }
}
