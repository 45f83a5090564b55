//! The traits that say how a Rust type becomes a tag value, a field value or a timestamp.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;
use std::time::SystemTime;

use super::{__PreKey, field_error, out_of_range, EncodeKey, EncodeOptions, Encoder, Key};
use crate::schema::{__Cell, __CellType, __ColumnSink, FieldType};
use crate::{Error, Result};

/// A type usable as a tag value: anything that gives a string.
///
/// Implemented for `str`, `String`, `Cow<str>`, `Box<str>`, `Rc<str>`,
/// `Arc<str>`, references to them and `Option`s of them (`None` omits the tag,
/// as does an empty string). Implement it for your own types, typically a
/// C-like enum:
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::TagValue;
///
/// enum Region { EuWest, UsEast }
///
/// impl TagValue for Region {
///     fn tag_value(&self) -> Option<&str> {
///         Some(match self {
///             Region::EuWest => "eu-west",
///             Region::UsEast => "us-east",
///         })
///     }
/// }
/// assert_eq!(Region::UsEast.tag_value(), Some("us-east"));
/// ```
///
/// Numbers are deliberately not tag values: tags are always strings on the
/// server, and a number written as a tag reads back as a string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a tag value",
    label = "tags are strings: use String, &str, Cow<str>, an Option of those, or implement `TagValue`",
    note = "to store a number, make it a #[field]"
)]
pub trait TagValue {
    /// The tag's value; `None` (or an empty string) omits the tag.
    fn tag_value(&self) -> Option<&str>;
}

impl TagValue for str {
    #[inline]
    fn tag_value(&self) -> Option<&str> {
        Some(self)
    }
}

macro_rules! tag_via_deref {
    ($($t:ty),*) => {$(
        impl TagValue for $t {
            #[inline]
            fn tag_value(&self) -> Option<&str> {
                Some(self)
            }
        }
    )*};
}
tag_via_deref!(String, Box<str>, Rc<str>, Arc<str>, Cow<'_, str>);

impl<T: TagValue + ?Sized> TagValue for &T {
    #[inline]
    fn tag_value(&self) -> Option<&str> {
        (**self).tag_value()
    }
}

impl<T: TagValue> TagValue for Option<T> {
    #[inline]
    fn tag_value(&self) -> Option<&str> {
        self.as_ref().and_then(T::tag_value)
    }
}

/// A type usable as a field value.
///
/// Implemented for `f64`, `f32`, every integer type, `bool`, `str`,
/// `String`, `Cow<str>`, `Box<str>`, `Rc<str>`, `Arc<str>`, references to
/// them and `Option`s of them (`None` omits the field). Implement it for a
/// newtype by forwarding to the inner value:
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{Encoder, FieldValue, Key};
/// use influx::schema::FieldType;
///
/// struct Celsius(f64);
///
/// impl FieldValue for Celsius {
///     const FIELD_TYPE: FieldType = FieldType::Float;
///     fn write_field(&self, enc: &mut Encoder<'_>, key: &Key<'_>) -> influx::Result<()> {
///         enc.field_f64(key, self.0)
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a field value",
    label = "fields are floats, integers, booleans or strings (or an Option of those); implement `FieldValue` for your own types"
)]
pub trait FieldValue {
    /// The InfluxDB type this field is stored as.
    const FIELD_TYPE: FieldType;
    /// True if the field may be absent (an `Option`).
    const OPTIONAL: bool = false;
    /// Writes `key=value` (or nothing, for an absent value).
    fn write_field(&self, enc: &mut Encoder<'_>, key: &Key<'_>) -> Result<()>;

    /// [`write_field`](Self::write_field) with a key escaped at compile time (used by the derive).
    #[doc(hidden)]
    #[inline]
    fn __write_field_pre<const N: usize>(&self, enc: &mut Encoder<'_>, key: &__PreKey<'_, N>) -> Result<()> {
        self.write_field(enc, &Key::__pre_escaped(key.name, key.escaped_str))
    }

    /// The exact type of the values (used by the derive for columnar conversion).
    #[doc(hidden)]
    const __CELL_TYPE: __CellType = __CellType::of(Self::FIELD_TYPE);

    /// Hands the value of field `key` (column `col`) to `sink`, typed (used by the derive for
    /// columnar conversion; not on any write path). The default, for a type that only
    /// implements [`write_field`](Self::write_field), encodes the value and reads the text
    /// back (exact: floats are written with the digits that read back as the same value).
    #[doc(hidden)]
    fn __visit_field(&self, key: &str, col: usize, sink: &mut dyn __ColumnSink) -> Result<()> {
        visit_encoded(key, col, sink, |enc, k| self.write_field(enc, k))
    }
}

/// What a custom [`FieldValue`] wrote, read back into a typed cell.
fn visit_encoded(
    key: &str,
    col: usize,
    sink: &mut dyn __ColumnSink,
    write: impl FnOnce(&mut Encoder<'_>, &Key<'_>) -> Result<()>,
) -> Result<()> {
    // `u` for every unsigned value, so none above i64::MAX is refused here.
    let opts = EncodeOptions { unsigned_suffix: true, ..EncodeOptions::default() };
    let k = Key::new(key)?;
    let mut buf = Vec::new();
    let mut enc = Encoder::new(&mut buf, &opts);
    // NaN and ±infinity are refused here, as on every write of the type.
    write(&mut enc, &k)?;
    let n = enc.fields_written();
    let bad = |what: &str| {
        field_error(
            key,
            format_args!("{what} (its FieldValue impl wrote `{}`)", String::from_utf8_lossy(&buf).trim_start()),
        )
    };
    if n == 0 {
        return sink.field(col, __Cell::Null);
    }
    let prefix = format!(" {}=", k.escaped());
    let Some(text) = buf.strip_prefix(prefix.as_bytes()).filter(|_| n == 1) else {
        return Err(bad("is not one value under its own key"));
    };
    let text = std::str::from_utf8(text).map_err(|_| bad("is not UTF-8"))?;
    let cell = if let Some(quoted) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        let mut s = String::with_capacity(quoted.len());
        let mut chars = quoted.chars();
        while let Some(c) = chars.next() {
            s.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
        }
        return sink.field(col, __Cell::Str(&s));
    } else if text == "true" || text == "false" {
        __Cell::Bool(text == "true")
    } else if let Some(i) = text.strip_suffix('i') {
        __Cell::I64(i.parse().map_err(|_| bad("is not a value"))?)
    } else if let Some(u) = text.strip_suffix('u') {
        __Cell::U64(u.parse().map_err(|_| bad("is not a value"))?)
    } else {
        __Cell::F64(text.parse().map_err(|_| bad("is not a value"))?)
    };
    sink.field(col, cell)
}

/// One body for both key kinds of a `FieldValue` impl.
macro_rules! both_keys {
    (|$this:ident, $enc:ident, $key:ident| $body:expr) => {
        #[inline]
        fn write_field(&self, $enc: &mut Encoder<'_>, $key: &Key<'_>) -> Result<()> {
            let $this = self;
            $body
        }
        #[inline]
        fn __write_field_pre<const N: usize>(&self, $enc: &mut Encoder<'_>, $key: &__PreKey<'_, N>) -> Result<()> {
            let $this = self;
            $body
        }
    };
}

macro_rules! field_as {
    ($method:ident, $as:ty, $ft:ident: $($t:ty => $cell:ident),*) => {$(
        impl FieldValue for $t {
            const FIELD_TYPE: FieldType = FieldType::$ft;
            const __CELL_TYPE: __CellType = __CellType::$cell;
            both_keys!(|this, enc, key| enc.$method(key, <$as>::from(*this)));
            #[inline]
            fn __visit_field(&self, _: &str, col: usize, sink: &mut dyn __ColumnSink) -> Result<()> {
                sink.field(col, __Cell::$cell(*self))
            }
        }
    )*};
}
field_as!(field_f64, f64, Float: f64 => F64);
field_as!(field_f32, f32, Float: f32 => F32);
field_as!(field_i64, i64, Integer: i8 => I8, i16 => I16, i32 => I32, i64 => I64, u8 => U8, u16 => U16, u32 => U32);
field_as!(field_u64, u64, UInteger: u64 => U64);
field_as!(field_bool, bool, Boolean: bool => Bool);

macro_rules! field_checked {
    ($method:ident, $as:ty, $ft:ident, $cell:ident: $($t:ty),*) => {$(
        impl FieldValue for $t {
            const FIELD_TYPE: FieldType = FieldType::$ft;
            both_keys!(|this, enc, key| match <$as>::try_from(*this) {
                Ok(v) => enc.$method(key, v),
                Err(_) => Err(outside_64_bits(key.key_name(), this)),
            });
            fn __visit_field(&self, key: &str, col: usize, sink: &mut dyn __ColumnSink) -> Result<()> {
                match <$as>::try_from(*self) {
                    Ok(v) => sink.field(col, __Cell::$cell(v)),
                    Err(_) => Err(outside_64_bits(key, self)),
                }
            }
        }
    )*};
}
field_checked!(field_i64, i64, Integer, I64: isize, i128);
field_checked!(field_u64, u64, UInteger, U64: usize, u128);

#[cold]
fn outside_64_bits(key: &str, v: &dyn std::fmt::Display) -> Error {
    field_error(key, format_args!("is {v}, outside the 64-bit range line protocol carries"))
}

impl FieldValue for str {
    const FIELD_TYPE: FieldType = FieldType::String;
    both_keys!(|this, enc, key| enc.field_str(key, this));
    #[inline]
    fn __visit_field(&self, _: &str, col: usize, sink: &mut dyn __ColumnSink) -> Result<()> {
        sink.field(col, __Cell::Str(self))
    }
}

macro_rules! field_str_via_deref {
    ($($t:ty),*) => {$(
        impl FieldValue for $t {
            const FIELD_TYPE: FieldType = FieldType::String;
            both_keys!(|this, enc, key| enc.field_str(key, this));
            #[inline]
            fn __visit_field(&self, _: &str, col: usize, sink: &mut dyn __ColumnSink) -> Result<()> {
                sink.field(col, __Cell::Str(self))
            }
        }
    )*};
}
field_str_via_deref!(String, Box<str>, Rc<str>, Arc<str>, Cow<'_, str>);

impl<T: FieldValue + ?Sized> FieldValue for &T {
    const FIELD_TYPE: FieldType = T::FIELD_TYPE;
    const OPTIONAL: bool = T::OPTIONAL;
    const __CELL_TYPE: __CellType = T::__CELL_TYPE;
    #[inline]
    fn __visit_field(&self, key: &str, col: usize, sink: &mut dyn __ColumnSink) -> Result<()> {
        (**self).__visit_field(key, col, sink)
    }
    #[inline]
    fn write_field(&self, enc: &mut Encoder<'_>, key: &Key<'_>) -> Result<()> {
        (**self).write_field(enc, key)
    }
    #[inline]
    fn __write_field_pre<const N: usize>(&self, enc: &mut Encoder<'_>, key: &__PreKey<'_, N>) -> Result<()> {
        (**self).__write_field_pre(enc, key)
    }
}

impl<T: FieldValue> FieldValue for Option<T> {
    const FIELD_TYPE: FieldType = T::FIELD_TYPE;
    const OPTIONAL: bool = true;
    const __CELL_TYPE: __CellType = T::__CELL_TYPE;
    #[inline]
    fn __visit_field(&self, key: &str, col: usize, sink: &mut dyn __ColumnSink) -> Result<()> {
        match self {
            Some(v) => v.__visit_field(key, col, sink),
            None => sink.field(col, __Cell::Null),
        }
    }
    #[inline]
    fn write_field(&self, enc: &mut Encoder<'_>, key: &Key<'_>) -> Result<()> {
        match self {
            Some(v) => v.write_field(enc, key),
            None => Ok(()),
        }
    }
    #[inline]
    fn __write_field_pre<const N: usize>(&self, enc: &mut Encoder<'_>, key: &__PreKey<'_, N>) -> Result<()> {
        match self {
            Some(v) => v.__write_field_pre(enc, key),
            None => Ok(()),
        }
    }
}

/// A type usable as a point's timestamp.
///
/// Implemented for `i64` (nanoseconds since the Unix epoch),
/// `chrono::DateTime` in any time zone (the instant it names),
/// `std::time::SystemTime`, references to them and
/// `Option`s of them (`None` lets the server stamp the point on arrival).
/// The encoder converts to the batch's [`Precision`](crate::Precision) with
/// exact integer arithmetic.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::TimeValue;
/// let t = chrono::DateTime::from_timestamp(1, 5).unwrap();
/// assert_eq!(t.unix_nanos(), Some(1_000_000_005));
/// assert_eq!(None::<i64>.unix_nanos(), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a timestamp",
    label = "use chrono::DateTime (any time zone), std::time::SystemTime, i64 nanoseconds, or an Option of those",
    note = "a naive date-time has no time zone: give it one with `.and_utc()` or `tz.from_local_datetime(&naive)`"
)]
pub trait TimeValue {
    /// True if the timestamp may be absent (an `Option`).
    const OPTIONAL: bool = false;
    /// Nanoseconds since the Unix epoch, or `None` to let the server stamp it.
    /// Wide enough for every instant the type can hold; the encoder checks the
    /// server's range.
    fn unix_nanos(&self) -> Option<i128>;
}

impl TimeValue for i64 {
    #[inline]
    fn unix_nanos(&self) -> Option<i128> {
        Some(i128::from(*self))
    }
}

impl<Tz: chrono::TimeZone> TimeValue for chrono::DateTime<Tz> {
    #[inline]
    fn unix_nanos(&self) -> Option<i128> {
        Some(i128::from(self.timestamp()) * 1_000_000_000 + i128::from(self.timestamp_subsec_nanos()))
    }
}

impl TimeValue for SystemTime {
    #[inline]
    fn unix_nanos(&self) -> Option<i128> {
        Some(match self.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        })
    }
}

impl<T: TimeValue + ?Sized> TimeValue for &T {
    const OPTIONAL: bool = T::OPTIONAL;
    #[inline]
    fn unix_nanos(&self) -> Option<i128> {
        (**self).unix_nanos()
    }
}

impl<T: TimeValue> TimeValue for Option<T> {
    const OPTIONAL: bool = true;
    #[inline]
    fn unix_nanos(&self) -> Option<i128> {
        self.as_ref().and_then(T::unix_nanos)
    }
}

impl Encoder<'_> {
    /// Writes the timestamp of any [`TimeValue`] (nothing for `None`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::line_protocol::{EncodeOptions, Encoder};
    /// let opts = EncodeOptions { precision: influx::Precision::Seconds, ..Default::default() };
    /// let mut buf = Vec::new();
    /// let mut enc = Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_i64("v", 1).unwrap();
    /// enc.timestamp(&std::time::SystemTime::UNIX_EPOCH).unwrap();
    /// assert_eq!(buf, b"m v=1i 0");
    /// ```
    #[inline]
    pub fn timestamp<T: TimeValue + ?Sized>(&mut self, t: &T) -> Result<()> {
        match t.unix_nanos() {
            None => Ok(()),
            Some(n) => self.timestamp_wide(n),
        }
    }

    /// Writes a timestamp from [`TimeValue::unix_nanos`]; used by the derive.
    #[doc(hidden)]
    #[inline(always)]
    pub fn __timestamp_wide(&mut self, nanos: Option<i128>) -> Result<()> {
        match nanos {
            Some(n) => self.timestamp_wide(n),
            None => Ok(()),
        }
    }

    #[inline(always)]
    pub(super) fn timestamp_wide(&mut self, n: i128) -> Result<()> {
        match i64::try_from(n) {
            Ok(n) => self.timestamp_nanos(n),
            Err(_) => Err(out_of_range(format_args!("{n} ns"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line_protocol::{to_line_protocol, EncodeOptions, WritePoint};

    struct One<'a, F: FieldValue + ?Sized>(&'a F);

    impl<F: FieldValue + ?Sized> WritePoint for One<'_, F> {
        fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()> {
            enc.measurement("m")?;
            self.0.write_field(enc, &Key::new("f")?)
        }
    }

    fn line<F: FieldValue + ?Sized>(v: &F) -> Result<String> {
        to_line_protocol(&One(v), &EncodeOptions::default())
    }

    #[test]
    fn every_integer_width() {
        assert_eq!(line(&-8_i8).unwrap(), "m f=-8i");
        assert_eq!(line(&i16::MIN).unwrap(), "m f=-32768i");
        assert_eq!(line(&i32::MAX).unwrap(), "m f=2147483647i");
        assert_eq!(line(&i64::MAX).unwrap(), "m f=9223372036854775807i");
        assert_eq!(line(&255_u8).unwrap(), "m f=255i");
        assert_eq!(line(&u16::MAX).unwrap(), "m f=65535i");
        assert_eq!(line(&u32::MAX).unwrap(), "m f=4294967295i");
        assert_eq!(line(&(i64::MAX as u64)).unwrap(), "m f=9223372036854775807i");
        assert_eq!(line(&-3_isize).unwrap(), "m f=-3i");
        assert_eq!(line(&7_usize).unwrap(), "m f=7i");
        assert_eq!(line(&(i64::MIN as i128)).unwrap(), "m f=-9223372036854775808i");
        assert!(line(&(i64::MAX as i128 + 1)).is_err());
        assert!(line(&(u64::MAX as u128 + 1)).is_err());
    }

    #[test]
    fn unsigned_above_i64_max_is_an_error_unless_opted_in() {
        let err = line(&u64::MAX).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Encode);
        assert!(err.to_string().starts_with("field `f` is 18446744073709551615, above i64::MAX"), "{err}");
        let opts = EncodeOptions { unsigned_suffix: true, ..Default::default() };
        assert_eq!(to_line_protocol(&One(&u64::MAX), &opts).unwrap(), "m f=18446744073709551615u");
        assert_eq!(to_line_protocol(&One(&5_u8), &opts).unwrap(), "m f=5i");
    }

    #[test]
    fn floats_shortest_round_trip() {
        assert_eq!(line(&0.1_f64).unwrap(), "m f=0.1");
        assert_eq!(line(&1.0_f64).unwrap(), "m f=1.0");
        assert_eq!(line(&-0.0_f64).unwrap(), "m f=-0.0");
        assert_eq!(line(&5e-324_f64).unwrap(), "m f=5e-324");
        assert_eq!(line(&f64::MAX).unwrap(), "m f=1.7976931348623157e+308");
        assert_eq!(line(&1.1_f32).unwrap(), "m f=1.1");
        for v in [0.1, 1.0 / 3.0, f64::MIN_POSITIVE, f64::from_bits(1), 123_456_789.123_456_78, -1e-7] {
            let l = line(&v).unwrap();
            assert_eq!(l[4..].parse::<f64>().unwrap().to_bits(), v.to_bits(), "{l}");
        }
    }

    #[test]
    fn non_finite_floats_are_errors() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let e = line(&v).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Encode);
            assert!(e.to_string().starts_with("field `f` is "), "{e}");
        }
        assert!(line(&f32::NAN).is_err());
    }

    #[test]
    fn bools_and_strings() {
        assert_eq!(line(&true).unwrap(), "m f=true");
        assert_eq!(line("a \"b\" \\c").unwrap(), r#"m f="a \"b\" \\c""#);
        assert_eq!(line(&String::from("x")).unwrap(), r#"m f="x""#);
        assert_eq!(line(&Cow::Borrowed("y")).unwrap(), r#"m f="y""#);
    }

    #[test]
    fn strings_over_64_kib_are_errors() {
        let ok = "a".repeat(crate::line_protocol::MAX_STRING_LEN);
        assert!(line(ok.as_str()).is_ok());
        let long = "a".repeat(crate::line_protocol::MAX_STRING_LEN + 1);
        let e = line(long.as_str()).unwrap_err();
        assert!(e.to_string().contains("65537 bytes"), "{e}");
    }

    #[test]
    fn option_none_writes_nothing() {
        assert!(line(&None::<f64>).unwrap_err().to_string().contains("no field"));
        assert_eq!(line(&Some(2_i64)).unwrap(), "m f=2i");
        const { assert!(<Option<f64> as FieldValue>::OPTIONAL) };
        const { assert!(!<f64 as FieldValue>::OPTIONAL) };
    }

    #[test]
    fn tag_values() {
        assert_eq!("a".tag_value(), Some("a"));
        assert_eq!(Some(String::from("b")).tag_value(), Some("b"));
        assert_eq!(None::<&str>.tag_value(), None);
        assert_eq!(Arc::<str>::from("c").tag_value(), Some("c"));
    }

    #[test]
    fn time_values() {
        let dt = chrono::DateTime::from_timestamp(-1, 999_999_999).unwrap();
        assert_eq!(dt.unix_nanos(), Some(-1));
        let paris = chrono::FixedOffset::east_opt(3600).unwrap();
        let local = chrono::DateTime::parse_from_rfc3339("1970-01-01T01:00:00.000000007+01:00").unwrap();
        assert_eq!((local.unix_nanos(), local.with_timezone(&paris).unix_nanos()), (Some(7), Some(7)));
        let st = SystemTime::UNIX_EPOCH - std::time::Duration::from_nanos(5);
        assert_eq!(st.unix_nanos(), Some(-5));
        assert_eq!(Some(7_i64).unix_nanos(), Some(7));
    }
}
