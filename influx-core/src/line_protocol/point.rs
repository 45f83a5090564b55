//! [`Point`], for points whose shape is known only at run time.

use super::{to_line_protocol, EncodeOptions, Encoder, TimeValue, WritePoint};
use crate::Result;

/// A field value of a [`Point`].
///
/// ```
/// use influx_core::line_protocol::Value;
/// assert_eq!(Value::from(1.5), Value::Float(1.5));
/// assert_eq!(Value::from("up"), Value::String("up".into()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A 64-bit float.
    Float(f64),
    /// A signed 64-bit integer.
    Integer(i64),
    /// An unsigned 64-bit integer (see [`EncodeOptions::unsigned_suffix`]).
    UInteger(u64),
    /// A string (at most 64 KiB).
    String(String),
    /// A boolean.
    Boolean(bool),
}

macro_rules! value_from {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$v(v.into())
            }
        }
    )*};
}
value_from!(
    f64 => Float, f32 => Float,
    i64 => Integer, i32 => Integer, i16 => Integer, i8 => Integer, u32 => Integer, u16 => Integer, u8 => Integer,
    u64 => UInteger,
    bool => Boolean,
    String => String, &str => String, &String => String, Box<str> => String,
);

/// A point built at run time, shaped like the official clients' builder.
///
/// Tags are kept sorted by key; setting a tag or field twice keeps the last
/// value. Nothing is checked until the point is encoded, so the builder never
/// fails: an invalid name or value is an [`Encode`](crate::ErrorKind::Encode)
/// error from [`to_line_protocol`](Self::to_line_protocol) or from the write.
///
/// ```
/// use influx_core::line_protocol::Point;
///
/// let p = Point::new("cpu")
///     .tag("host", "server 1")
///     .tag("dc", "fra")
///     .field("usage", 0.25)
///     .field("cores", 8_i64)
///     .field("model", "Xeon \"Gold\"")
///     .timestamp(1_700_000_000_000_000_000_i64);
/// assert_eq!(
///     p.to_line_protocol().unwrap(),
///     r#"cpu,dc=fra,host=server\ 1 usage=0.25,cores=8i,model="Xeon \"Gold\"" 1700000000000000000"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    measurement: String,
    tags: Vec<(String, String)>,
    fields: Vec<(String, Value)>,
    time: Option<i128>,
}

impl Point {
    /// A point of `measurement` with no tags, fields or timestamp yet.
    ///
    /// ```
    /// assert_eq!(influx_core::line_protocol::Point::new("m").measurement(), "m");
    /// ```
    pub fn new(measurement: impl Into<String>) -> Self {
        Point { measurement: measurement.into(), tags: Vec::new(), fields: Vec::new(), time: None }
    }

    /// Adds (or replaces) the tag `key=value`. An empty value omits the tag.
    ///
    /// ```
    /// let p = influx_core::line_protocol::Point::new("m").tag("b", "2").tag("a", "1").field("v", 1_i64);
    /// assert_eq!(p.to_line_protocol().unwrap(), "m,a=1,b=2 v=1i");
    /// ```
    #[must_use]
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let (key, value) = (key.into(), value.into());
        match self.tags.binary_search_by(|(k, _)| k.as_bytes().cmp(key.as_bytes())) {
            Ok(i) => self.tags[i].1 = value,
            Err(i) => self.tags.insert(i, (key, value)),
        }
        self
    }

    /// Adds (or replaces) the field `key=value`; fields keep the order they were first added in.
    ///
    /// ```
    /// let p = influx_core::line_protocol::Point::new("m").field("v", 1_i64).field("v", 2.5);
    /// assert_eq!(p.to_line_protocol().unwrap(), "m v=2.5");
    /// ```
    #[must_use]
    pub fn field(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        let (key, value) = (key.into(), value.into());
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((key, value)),
        }
        self
    }

    /// Sets the timestamp: `i64` nanoseconds since the epoch,
    /// `chrono::DateTime<Utc>`, `SystemTime`, or an `Option` of those (`None`
    /// lets the server stamp the point).
    ///
    /// ```
    /// let t = chrono::DateTime::from_timestamp(1, 0).unwrap();
    /// let p = influx_core::line_protocol::Point::new("m").field("v", true).timestamp(t);
    /// assert_eq!(p.to_line_protocol().unwrap(), "m v=true 1000000000");
    /// ```
    #[must_use]
    pub fn timestamp<T: TimeValue>(mut self, t: T) -> Self {
        self.time = t.unix_nanos();
        self
    }

    /// The measurement name.
    ///
    /// ```
    /// assert_eq!(influx_core::line_protocol::Point::new("disk io").measurement(), "disk io");
    /// ```
    pub fn measurement(&self) -> &str {
        &self.measurement
    }

    /// The tags, sorted by key.
    ///
    /// ```
    /// let p = influx_core::line_protocol::Point::new("m").tag("k", "v");
    /// assert_eq!(p.tags().collect::<Vec<_>>(), [("k", "v")]);
    /// ```
    pub fn tags(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The fields, in the order they were added.
    ///
    /// ```
    /// use influx_core::line_protocol::{Point, Value};
    /// let p = Point::new("m").field("n", 1_i64);
    /// assert_eq!(p.fields().collect::<Vec<_>>(), [("n", &Value::Integer(1))]);
    /// ```
    pub fn fields(&self) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The point as one line of line protocol at nanosecond precision.
    ///
    /// ```
    /// let err = influx_core::line_protocol::Point::new("m").to_line_protocol().unwrap_err();
    /// assert_eq!(err.to_string(), "point has no field (line protocol needs at least one)");
    /// ```
    pub fn to_line_protocol(&self) -> Result<String> {
        to_line_protocol(self, &EncodeOptions::default())
    }

    /// The point as one line of line protocol with `opts` (precision, default tags).
    ///
    /// ```
    /// use influx_core::line_protocol::{EncodeOptions, Point};
    /// let opts = EncodeOptions { precision: influx_core::Precision::Microseconds, ..Default::default() };
    /// let line = Point::new("m").field("v", 1_i64).timestamp(1_999_i64).to_line_protocol_with(&opts).unwrap();
    /// assert_eq!(line, "m v=1i 1");
    /// ```
    pub fn to_line_protocol_with(&self, opts: &EncodeOptions) -> Result<String> {
        to_line_protocol(self, opts)
    }
}

impl WritePoint for Point {
    fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()> {
        enc.measurement(&self.measurement)?;
        for (k, v) in &self.tags {
            enc.tag(k.as_str(), v)?;
        }
        for (k, v) in &self.fields {
            let k = k.as_str();
            match v {
                Value::Float(v) => enc.field_f64(k, *v)?,
                Value::Integer(v) => enc.field_i64(k, *v)?,
                Value::UInteger(v) => enc.field_u64(k, *v)?,
                Value::String(v) => enc.field_str(k, v)?,
                Value::Boolean(v) => enc.field_bool(k, *v)?,
            }
        }
        match self.time {
            Some(n) => enc.timestamp_wide(n),
            None => Ok(()),
        }
    }
}
