//! The schema of a derived point type: its measurement, tags, fields and time,
//! as constants that macros check queries against at compile time and that
//! `Client::verify` compares with the server's `SHOW FIELD KEYS` at run time.

use crate::line_protocol::WritePoint;

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
