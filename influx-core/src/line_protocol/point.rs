//! [`Point`], for points whose shape is known only at run time.

use std::fmt;

use super::{to_line_protocol, EncodeOptions, Encoder, TimeValue, WritePoint};
use crate::{Error, ErrorKind, Precision, Result};

/// A field value of a [`Point`].
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::Value;
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
/// Building is cheap: the measurement, keys and tag values are copied into one
/// buffer per point and the tags and fields share one list, so a point costs
/// two allocations (plus one per string field value) however many tags and
/// fields it has.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::Point;
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
#[derive(Clone)]
pub struct Point {
    /// The measurement (first), keys and tag values, back to back. A replaced
    /// tag value stays behind unused.
    text: String,
    measurement: usize,
    /// The tags (sorted by key), then the fields (in the order first added).
    entries: Vec<Entry>,
    tags: usize,
    time: Time,
}

/// Where a string of a point is in its [`Point::text`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Clone)]
struct Entry {
    key: Span,
    value: Slot,
}

#[derive(Clone)]
enum Slot {
    Tag(Span),
    Field(Value),
}

/// Room for a typical point's keys and tag values, so that building one
/// allocates its text once.
const TEXT_CAPACITY: usize = 96;
/// Room for a typical point's tags and fields.
const ENTRY_CAPACITY: usize = 8;

/// A point's timestamp, or why the one it was given cannot be one (reported
/// when the point is encoded: the builder never fails).
#[derive(Debug, Clone, PartialEq)]
enum Time {
    Unset,
    Nanos(i128),
    Invalid(String),
}

impl Point {
    /// A point of `measurement` with no tags, fields or timestamp yet.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::line_protocol::Point::new("m").measurement(), "m");
    /// ```
    pub fn new(measurement: impl AsRef<str>) -> Self {
        let measurement = measurement.as_ref();
        let mut text = String::with_capacity(measurement.len() + TEXT_CAPACITY);
        text.push_str(measurement);
        Point { text, measurement: measurement.len(), entries: Vec::new(), tags: 0, time: Time::Unset }
    }

    #[inline]
    fn push_text(&mut self, s: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(s);
        Span { start, end: self.text.len() }
    }

    #[inline]
    fn str(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    #[inline]
    fn reserve_entry(&mut self) {
        if self.entries.capacity() == 0 {
            self.entries.reserve_exact(ENTRY_CAPACITY);
        }
    }

    /// Adds (or replaces) the tag `key=value`. An empty value omits the tag.
    ///
    /// Takes anything that is a `&str` (`&str`, `String`, `&String`, `Cow<str>`, ...) and
    /// copies it: pass borrowed text rather than building a `String` for it.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let p = influx::line_protocol::Point::new("m").tag("b", "2").tag("a", "1").field("v", 1_i64);
    /// assert_eq!(p.to_line_protocol().unwrap(), "m,a=1,b=2 v=1i");
    /// ```
    #[must_use]
    #[inline]
    pub fn tag(mut self, key: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let (key, value) = (key.as_ref(), value.as_ref());
        let found = self.entries[..self.tags].binary_search_by(|e| self.str(e.key).as_bytes().cmp(key.as_bytes()));
        match found {
            Ok(i) => {
                let value = self.push_text(value);
                self.entries[i].value = Slot::Tag(value);
            }
            Err(i) => {
                self.reserve_entry();
                let (key, value) = (self.push_text(key), self.push_text(value));
                self.entries.insert(i, Entry { key, value: Slot::Tag(value) });
                self.tags += 1;
            }
        }
        self
    }

    /// Adds (or replaces) the field `key=value`; fields keep the order they were first added in.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let p = influx::line_protocol::Point::new("m").field("v", 1_i64).field("v", 2.5);
    /// assert_eq!(p.to_line_protocol().unwrap(), "m v=2.5");
    /// ```
    #[must_use]
    #[inline]
    pub fn field(mut self, key: impl AsRef<str>, value: impl Into<Value>) -> Self {
        let (key, value) = (key.as_ref(), value.into());
        let found = self.entries[self.tags..].iter().position(|e| self.str(e.key) == key);
        match found {
            Some(i) => self.entries[self.tags + i].value = Slot::Field(value),
            None => {
                self.reserve_entry();
                let key = self.push_text(key);
                self.entries.push(Entry { key, value: Slot::Field(value) });
            }
        }
        self
    }

    /// Sets the timestamp: `i64` nanoseconds since the epoch,
    /// `chrono::DateTime<Utc>`, `SystemTime`, or an `Option` of those (`None`
    /// lets the server stamp the point).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let t = chrono::DateTime::from_timestamp(1, 0).unwrap();
    /// let p = influx::line_protocol::Point::new("m").field("v", true).timestamp(t);
    /// assert_eq!(p.to_line_protocol().unwrap(), "m v=true 1000000000");
    /// ```
    ///
    /// A `chrono::DateTime` in any time zone is taken as the instant it names;
    /// a naive date-time is refused at compile time (give it a zone with
    /// `.and_utc()` or `tz.from_local_datetime(..)`).
    #[must_use]
    pub fn timestamp<T: TimeValue>(mut self, t: T) -> Self {
        self.time = match t.unix_nanos() {
            Some(n) => Time::Nanos(n),
            None => Time::Unset,
        };
        self
    }

    /// Sets the timestamp from an integer in `precision` (the official
    /// client's `Point.time(1640995200, WritePrecision.S)`); converted to
    /// nanoseconds exactly, and out of range is an encode error.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::{line_protocol::Point, Precision};
    /// let p = Point::new("m").field("v", 1_i64).timestamp_in(1_640_995_200, Precision::Seconds);
    /// assert_eq!(p.to_line_protocol().unwrap(), "m v=1i 1640995200000000000");
    /// assert!(Point::new("m").field("v", 1_i64).timestamp_in(i64::MAX, Precision::Hours).to_line_protocol().is_err());
    /// ```
    #[must_use]
    pub fn timestamp_in(mut self, t: i64, precision: Precision) -> Self {
        self.time = Time::Nanos(i128::from(t) * i128::from(precision.nanos_per_unit()));
        self
    }

    /// Sets the timestamp from RFC 3339 text with an explicit offset
    /// (`2023-01-01T12:00:00Z`, `2023-01-01T13:00:00.5+01:00`). Text without an
    /// offset, or that is not RFC 3339, is an encode error naming it: a time
    /// without a zone is never guessed.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::line_protocol::Point;
    /// let p = Point::new("m").field("v", 1_i64).timestamp_rfc3339("1970-01-01T01:00:00.000000001+01:00");
    /// assert_eq!(p.to_line_protocol().unwrap(), "m v=1i 1");
    /// let naive = Point::new("m").field("v", 1_i64).timestamp_rfc3339("2023-01-01T12:00:00");
    /// assert!(naive.to_line_protocol().unwrap_err().to_string().contains("RFC 3339"));
    /// ```
    #[must_use]
    pub fn timestamp_rfc3339(mut self, text: &str) -> Self {
        self.time = match rfc3339_nanos(text) {
            Ok(n) => Time::Nanos(n),
            Err(e) => Time::Invalid(e),
        };
        self
    }

    /// A point from any `serde::Serialize` value shaped like the Python
    /// clients' dict points (influxdb-client's `Point.from_dict`, aioinflux's
    /// dict input):
    ///
    /// `{"measurement": "cpu", "tags": {"host": "a"}, "fields": {"usage": 0.5}, "time": ...}`
    ///
    /// `tags` and `time` may be left out. Tag values must be strings; field
    /// values are floats, integers (signed, or unsigned above `i64::MAX`),
    /// strings or booleans, taken exactly as serialized (a `1.0` stays a
    /// float, a `1` an integer; an `f32` is widened to `f64`), and a `null`
    /// field is left out; fields come out in key order. `time` is an integer in `precision`, RFC 3339 text
    /// with an offset, or `null`. Anything else is an [`ErrorKind::Encode`]
    /// error naming the key.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::{line_protocol::Point, Precision};
    /// let p = Point::from_serde(
    ///     &serde_json::json!({
    ///         "measurement": "sensor",
    ///         "tags": {"location": "warehouse"},
    ///         "fields": {"temperature": 23.5, "battery": 87, "ok": true, "note": null},
    ///         "time": 1_700_000_000_000_i64,
    ///     }),
    ///     Precision::Milliseconds,
    /// )
    /// .unwrap();
    /// assert_eq!(p.to_line_protocol().unwrap(), "sensor,location=warehouse battery=87i,ok=true,temperature=23.5 1700000000000000000");
    /// assert!(Point::from_serde(&serde_json::json!({"measurement": "m", "fields": {"v": [1]}}), Precision::Nanoseconds).is_err());
    /// ```
    pub fn from_serde<T: serde::Serialize + ?Sized>(value: &T, precision: Precision) -> Result<Point> {
        let bad = |what: String| Error::new(ErrorKind::Encode, what);
        let value = serde_json::to_value(value).map_err(|e| bad(format!("cannot serialize the point: {e}")))?;
        let serde_json::Value::Object(mut map) = value else {
            return Err(bad("a point is a map with `measurement`, `tags`, `fields` and `time`".into()));
        };
        let measurement = match map.remove("measurement") {
            Some(serde_json::Value::String(m)) => m,
            Some(other) => return Err(bad(format!("`measurement` is {}, not a string", kind(&other)))),
            None => return Err(bad("the point has no `measurement`".into())),
        };
        let mut point = Point::new(measurement);
        match map.remove("tags") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(tags)) => {
                for (k, v) in tags {
                    match v {
                        serde_json::Value::String(v) => point = point.tag(k, v),
                        other => {
                            return Err(bad(format!(
                                "tag `{}` is {}: tag values are strings",
                                k.escape_debug(),
                                kind(&other)
                            )))
                        }
                    }
                }
            }
            Some(other) => return Err(bad(format!("`tags` is {}, not a map", kind(&other)))),
        }
        match map.remove("fields") {
            Some(serde_json::Value::Object(fields)) => {
                for (k, v) in fields {
                    let value = match v {
                        serde_json::Value::Null => continue,
                        serde_json::Value::Bool(b) => Value::Boolean(b),
                        serde_json::Value::String(s) => Value::String(s),
                        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                            (Some(i), _, _) => Value::Integer(i),
                            (None, Some(u), _) => Value::UInteger(u),
                            (None, None, Some(f)) => Value::Float(f),
                            _ => {
                                return Err(bad(format!(
                                    "field `{}` is not a number line protocol carries",
                                    k.escape_debug()
                                )))
                            }
                        },
                        other => {
                            return Err(bad(format!(
                                "field `{}` is {}: fields are numbers, strings or booleans",
                                k.escape_debug(),
                                kind(&other)
                            )))
                        }
                    };
                    point = point.field(k, value);
                }
            }
            Some(other) => return Err(bad(format!("`fields` is {}, not a map", kind(&other)))),
            None => return Err(bad("the point has no `fields`".into())),
        }
        match map.remove("time") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(t)) => point = point.timestamp_rfc3339(&t),
            Some(serde_json::Value::Number(n)) => match n.as_i64() {
                Some(t) => point = point.timestamp_in(t, precision),
                None => return Err(bad(format!("`time` is {n}, not an integer in {}", precision.as_str()))),
            },
            Some(other) => return Err(bad(format!("`time` is {}, not an integer or RFC 3339 text", kind(&other)))),
        }
        if let Some(key) = map.keys().next() {
            return Err(bad(format!(
                "unknown key `{}` (a point has `measurement`, `tags`, `fields` and `time`)",
                key.escape_debug()
            )));
        }
        Ok(point)
    }

    /// The measurement name.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::line_protocol::Point::new("disk io").measurement(), "disk io");
    /// ```
    pub fn measurement(&self) -> &str {
        &self.text[..self.measurement]
    }

    /// The tags, sorted by key.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let p = influx::line_protocol::Point::new("m").tag("k", "v");
    /// assert_eq!(p.tags().collect::<Vec<_>>(), [("k", "v")]);
    /// ```
    pub fn tags(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.entries[..self.tags].iter().map(|e| match &e.value {
            Slot::Tag(v) => (self.str(e.key), self.str(*v)),
            Slot::Field(_) => unreachable!("tags come first"),
        })
    }

    /// The fields, in the order they were added.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::line_protocol::{Point, Value};
    /// let p = Point::new("m").field("n", 1_i64);
    /// assert_eq!(p.fields().collect::<Vec<_>>(), [("n", &Value::Integer(1))]);
    /// ```
    pub fn fields(&self) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.entries[self.tags..].iter().map(|e| match &e.value {
            Slot::Field(v) => (self.str(e.key), v),
            Slot::Tag(_) => unreachable!("fields come after the tags"),
        })
    }

    /// The point as one line of line protocol at nanosecond precision.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let err = influx::line_protocol::Point::new("m").to_line_protocol().unwrap_err();
    /// assert_eq!(err.to_string(), "point has no field (line protocol needs at least one)");
    /// ```
    pub fn to_line_protocol(&self) -> Result<String> {
        to_line_protocol(self, &EncodeOptions::default())
    }

    /// The point as one line of line protocol with `opts` (precision, default tags).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::line_protocol::{EncodeOptions, Point};
    /// let opts = EncodeOptions { precision: influx::Precision::Microseconds, ..Default::default() };
    /// let line = Point::new("m").field("v", 1_i64).timestamp(1_999_i64).to_line_protocol_with(&opts).unwrap();
    /// assert_eq!(line, "m v=1i 1");
    /// ```
    pub fn to_line_protocol_with(&self, opts: &EncodeOptions) -> Result<String> {
        to_line_protocol(self, opts)
    }
}

impl WritePoint for Point {
    fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()> {
        enc.measurement(self.measurement())?;
        for e in &self.entries {
            let k = self.str(e.key);
            match &e.value {
                Slot::Tag(v) => enc.tag(k, self.str(*v))?,
                Slot::Field(Value::Float(v)) => enc.field_f64(k, *v)?,
                Slot::Field(Value::Integer(v)) => enc.field_i64(k, *v)?,
                Slot::Field(Value::UInteger(v)) => enc.field_u64(k, *v)?,
                Slot::Field(Value::String(v)) => enc.field_str(k, v)?,
                Slot::Field(Value::Boolean(v)) => enc.field_bool(k, *v)?,
            }
        }
        match &self.time {
            Time::Nanos(n) => enc.timestamp_wide(*n),
            Time::Unset => Ok(()),
            Time::Invalid(why) => Err(Error::new(ErrorKind::Encode, why.clone())),
        }
    }
}

/// Two points are equal when their measurement, tags, fields and timestamp are.
impl PartialEq for Point {
    fn eq(&self, other: &Self) -> bool {
        self.measurement() == other.measurement()
            && self.tags().eq(other.tags())
            && self.fields().eq(other.fields())
            && self.time == other.time
    }
}

impl fmt::Debug for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Point")
            .field("measurement", &self.measurement())
            .field("tags", &self.tags().collect::<Vec<_>>())
            .field("fields", &self.fields().collect::<Vec<_>>())
            .field("time", &self.time)
            .finish()
    }
}

/// What a serialized value is, for error messages.
fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "a map",
    }
}

/// Nanoseconds since the epoch of RFC 3339 text with an offset.
fn rfc3339_nanos(text: &str) -> std::result::Result<i128, String> {
    let t = chrono::DateTime::parse_from_rfc3339(text).map_err(|e| {
        format!(
            "timestamp `{}` is not RFC 3339 text with an offset (like 2023-01-01T12:00:00Z): {e}",
            text.escape_debug()
        )
    })?;
    t.unix_nanos().ok_or_else(|| format!("timestamp `{}` has no time", text.escape_debug()))
}
