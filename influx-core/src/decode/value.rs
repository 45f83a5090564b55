//! Decoding one JSON value of a row into a Rust value, losslessly.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, Visitor};

use crate::Precision;

/// What a decoder knows about the query: the `epoch` the times were asked in.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::DecodeContext;
/// use influx::Precision;
/// let ctx = DecodeContext::new(Some(Precision::Milliseconds));
/// assert_eq!(ctx.epoch(), Some(Precision::Milliseconds));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeContext {
    epoch: Option<Precision>,
    zoneless_utc: bool,
}

impl DecodeContext {
    /// A context for times sent as integers in `epoch` (or RFC3339 strings when `None`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let ctx = influx::decode::DecodeContext::new(None);
    /// assert_eq!(ctx.epoch(), None);
    /// ```
    pub const fn new(epoch: Option<Precision>) -> Self {
        Self { epoch, zoneless_utc: false }
    }

    /// Also reads times without a zone (`1970-01-01T00:00:00.000000123`, as
    /// InfluxDB 3 prints them) as UTC, exact to the nanosecond.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::decode::{DecodeContext, DecodeTime};
    /// let ctx = DecodeContext::new(None).with_zoneless_utc(true);
    /// let mut de = serde_json::Deserializer::from_str("\"1970-01-01T00:00:01.000000123\"");
    /// assert_eq!(<i64 as DecodeTime>::decode_time(&mut de, &ctx).unwrap(), 1_000_000_123);
    /// ```
    #[must_use]
    pub const fn with_zoneless_utc(mut self, on: bool) -> Self {
        self.zoneless_utc = on;
        self
    }

    /// Whether times without a zone are read as UTC.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(!influx::decode::DecodeContext::default().zoneless_utc());
    /// ```
    pub const fn zoneless_utc(&self) -> bool {
        self.zoneless_utc
    }

    /// The precision of integer times.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::DecodeContext::default().epoch(), None);
    /// ```
    pub const fn epoch(&self) -> Option<Precision> {
        self.epoch
    }
}

/// A type that one column value of a query result decodes into.
///
/// Implemented for `bool`, every integer width, `f32`, `f64`, `String` (and
/// `Box<str>`, `Arc<str>`, `Cow<'static, str>`), `DateTime<Utc>`,
/// `SystemTime`, `serde_json::Value` and `Option` of any of these. Integers
/// convert only when no value is lost: `1.5` never into `i64`, `300` never into
/// `u8`, `0.1` never into `f32`. A number read into `f64` is the nearest f64 to
/// its text, integer text included: the server writes float `1.0` as `1` and
/// 2^60 as `1152921504606847000`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{DecodeContext, DecodeValue};
/// let mut de = serde_json::Deserializer::from_str("42");
/// let v = <f64 as DecodeValue>::decode(&mut de, &DecodeContext::default()).unwrap();
/// assert_eq!(v, 42.0);
/// ```
pub trait DecodeValue: Sized {
    /// Decodes one JSON value.
    fn decode<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error>;

    /// The value of a missing column, if this type has one (`Option` gives `None`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::decode::DecodeValue;
    /// assert_eq!(<Option<f64> as DecodeValue>::absent(), Some(None));
    /// assert_eq!(<f64 as DecodeValue>::absent(), None);
    /// ```
    fn absent() -> Option<Self> {
        None
    }

    /// The Rust type named in errors.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::decode::DecodeValue;
    /// assert_eq!(<Option<i64> as DecodeValue>::EXPECTED, "i64");
    /// ```
    const EXPECTED: &'static str;
}

/// A type a tag value decodes into, from the series' `tags` or from a column.
///
/// A point without the tag reads as the empty string, as the server treats it:
/// `String` gets `""`, `Option<String>` gets `None` (for `""` too, mirroring
/// the encoder, which omits empty tags). Implement it for your own tag types
/// (e.g. a C-like enum).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::DecodeTag;
/// #[derive(Debug, PartialEq)]
/// enum Region { Eu, Us }
/// impl DecodeTag for Region {
///     fn from_tag(s: &str) -> Result<Self, String> {
///         match s { "eu" => Ok(Region::Eu), "us" => Ok(Region::Us), _ => Err(format!("unknown region `{s}`")) }
///     }
/// }
/// assert_eq!(Region::from_tag("eu"), Ok(Region::Eu));
/// assert_eq!(<Option<String> as DecodeTag>::from_tag(""), Ok(None));
/// ```
pub trait DecodeTag: Sized {
    /// Parses a tag value.
    fn from_tag(s: &str) -> Result<Self, String>;

    /// The value when the point has no such tag, if this type has one.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::decode::DecodeTag;
    /// assert_eq!(<String as DecodeTag>::absent(), Some(String::new()));
    /// ```
    fn absent() -> Option<Self> {
        None
    }
}

/// A type the `time` column decodes into: epoch integers in the query's
/// precision or RFC3339 strings, converted exactly.
///
/// `i64` is nanoseconds since the Unix epoch whatever `epoch` the query used.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{DecodeContext, DecodeTime};
/// use influx::Precision;
/// let mut de = serde_json::Deserializer::from_str("3");
/// let ns = <i64 as DecodeTime>::decode_time(&mut de, &DecodeContext::new(Some(Precision::Seconds))).unwrap();
/// assert_eq!(ns, 3_000_000_000);
/// let mut de = serde_json::Deserializer::from_str("\"1970-01-01T00:00:01.5Z\"");
/// assert_eq!(<i64 as DecodeTime>::decode_time(&mut de, &DecodeContext::new(None)).unwrap(), 1_500_000_000);
/// ```
pub trait DecodeTime: Sized {
    /// Decodes one time value.
    fn decode_time<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error>;

    /// The value of a missing time, if this type has one.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::decode::DecodeTime;
    /// assert!(<Option<i64> as DecodeTime>::absent().is_some());
    /// ```
    fn absent() -> Option<Self> {
        None
    }
}

/// "found string `x`, expected f64", the body of every value error.
pub(crate) fn mismatch<E: de::Error>(found: Found<'_>, expected: &str) -> E {
    E::custom(format_args!("found {found}, expected {expected}"))
}

/// A JSON value as named in errors (short: long strings are cut).
#[derive(Clone, Copy)]
pub(crate) enum Found<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
    Array,
    Object,
}

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Found::Null => f.write_str("null"),
            Found::Bool(b) => write!(f, "boolean {b}"),
            Found::Int(i) => write!(f, "integer {i}"),
            Found::Float(x) => write!(f, "float {x}"),
            Found::Str(s) if s.len() > 40 => {
                let cut = (0..=40).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                write!(f, "string {:?}...", &s[..cut])
            }
            Found::Str(s) => write!(f, "string {s:?}"),
            Found::Array => f.write_str("array"),
            Found::Object => f.write_str("object"),
        }
    }
}

/// Rejecting `visit_*` methods for the JSON kinds a visitor does not take.
macro_rules! rejects {
    ($exp:expr; $($kind:ident)*) => { $( rejects!(@ $kind $exp); )* };
    (@ bool $exp:expr) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> { Err(mismatch(Found::Bool(v), $exp)) }
    };
    (@ i64 $exp:expr) => {
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> { Err(mismatch(Found::Int(v.into()), $exp)) }
    };
    (@ u64 $exp:expr) => {
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> { Err(mismatch(Found::Int(v.into()), $exp)) }
    };
    (@ f64 $exp:expr) => {
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> { Err(mismatch(Found::Float(v), $exp)) }
    };
    (@ str $exp:expr) => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> { Err(mismatch(Found::Str(v), $exp)) }
    };
    (@ unit $exp:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> { Err(mismatch(Found::Null, $exp)) }
    };
    (@ seq $exp:expr) => {
        fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> { Err(mismatch(Found::Array, $exp)) }
    };
    (@ map $exp:expr) => {
        fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> { Err(mismatch(Found::Object, $exp)) }
    };
}

struct IntVisitor<T>(PhantomData<T>);

macro_rules! int_value {
    ($($t:ty)*) => {$(
        impl<'de> Visitor<'de> for IntVisitor<$t> {
            type Value = $t;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(stringify!($t))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| mismatch(Found::Int(v.into()), stringify!($t)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| mismatch(Found::Int(v.into()), stringify!($t)))
            }
            #[allow(irrefutable_let_patterns)]
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
                // Only integral floats in range (e.g. `1e3`) convert; `as` saturates, so check both ways.
                let i = v as i128;
                if v.fract() == 0.0 && (i as f64) == v {
                    if let Ok(x) = <$t>::try_from(i) {
                        return Ok(x);
                    }
                }
                Err(mismatch(Found::Float(v), stringify!($t)))
            }
            rejects!(stringify!($t); bool str unit seq map);
        }
        impl DecodeValue for $t {
            const EXPECTED: &'static str = stringify!($t);
            #[inline]
            fn decode<'de, D: Deserializer<'de>>(d: D, _: &DecodeContext) -> Result<Self, D::Error> {
                d.deserialize_any(IntVisitor::<$t>(PhantomData))
            }
        }
    )*};
}
int_value!(i8 i16 i32 i64 u8 u16 u32 u64 i128 u128 isize usize);

struct F64Visitor;
impl<'de> Visitor<'de> for F64Visitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("f64")
    }
    #[inline]
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    // The server prints a float with an integral value as integer text (`1`, and 2^60 as
    // `1152921504606847000`), so integer text is read as the decimal it denotes: the nearest
    // f64, which `as` gives (round to nearest, ties to even). An integer column read into f64
    // rounds the same way above 2^53; read it into i64 to keep it exact.
    #[inline]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    #[inline]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    rejects!("f64"; bool str unit seq map);
}

impl DecodeValue for f64 {
    const EXPECTED: &'static str = "f64";
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, _: &DecodeContext) -> Result<Self, D::Error> {
        d.deserialize_any(F64Visitor)
    }
}

impl DecodeValue for f32 {
    const EXPECTED: &'static str = "f32";
    fn decode<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        let v = f64::decode(d, ctx)?;
        let x = v as f32;
        if f64::from(x) == v || v.is_nan() {
            Ok(x)
        } else {
            Err(mismatch(Found::Float(v), "f32"))
        }
    }
}

struct BoolVisitor;
impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bool")
    }
    #[inline]
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    rejects!("bool"; i64 u64 f64 str unit seq map);
}

impl DecodeValue for bool {
    const EXPECTED: &'static str = "bool";
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, _: &DecodeContext) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

struct StrVisitor<T>(PhantomData<T>);
/// Owned string types built from a borrowed `&str`.
trait OwnedStr {
    fn owned(s: &str) -> Self;
}
impl OwnedStr for String {
    fn owned(s: &str) -> Self {
        s.to_owned()
    }
}
impl OwnedStr for Box<str> {
    fn owned(s: &str) -> Self {
        Box::from(s)
    }
}
impl OwnedStr for Arc<str> {
    fn owned(s: &str) -> Self {
        Arc::from(s)
    }
}
impl OwnedStr for Cow<'static, str> {
    fn owned(s: &str) -> Self {
        Cow::Owned(s.to_owned())
    }
}

impl<'de, T: OwnedStr> Visitor<'de> for StrVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::owned(v))
    }
    rejects!("string"; bool i64 u64 f64 unit seq map);
}

macro_rules! str_value {
    ($($t:ty => $absent:expr),*) => {$(
        impl DecodeValue for $t {
            const EXPECTED: &'static str = "string";
            #[inline]
            fn decode<'de, D: Deserializer<'de>>(d: D, _: &DecodeContext) -> Result<Self, D::Error> {
                d.deserialize_any(StrVisitor::<$t>(PhantomData))
            }
        }
        impl DecodeTag for $t {
            #[inline]
            fn from_tag(s: &str) -> Result<Self, String> {
                Ok(<$t as OwnedStr>::owned(s))
            }
            fn absent() -> Option<Self> {
                Some($absent)
            }
        }
    )*};
}
str_value!(String => String::new(), Box<str> => Box::from(""), Arc<str> => Arc::from(""), Cow<'static, str> => Cow::Borrowed(""));

impl<T: DecodeValue> DecodeValue for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(ctx, PhantomData::<T>))
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

impl<T: DecodeTime> DecodeTime for Option<T> {
    fn decode_time<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(ctx, PhantomData::<TimeOf<T>>))
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

impl<T: DecodeTag> DecodeTag for Option<T> {
    fn from_tag(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            Ok(None)
        } else {
            T::from_tag(s).map(Some)
        }
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// Decodes the value inside `Some` with `T`'s inner decoder.
struct OptionVisitor<'c, T>(&'c DecodeContext, PhantomData<T>);

/// Marks an `Option` of a time.
struct TimeOf<T>(T);

/// The inner decode of [`OptionVisitor`].
trait OptionInner: Sized {
    type Out;
    fn decode_inner<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self::Out, D::Error>;
}

impl<T: DecodeValue> OptionInner for T {
    type Out = T;
    fn decode_inner<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<T, D::Error> {
        T::decode(d, ctx)
    }
}

impl<T: DecodeTime> OptionInner for TimeOf<T> {
    type Out = T;
    fn decode_inner<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<T, D::Error> {
        T::decode_time(d, ctx)
    }
}

impl<'de, T: OptionInner> Visitor<'de> for OptionVisitor<'_, T> {
    type Value = Option<T::Out>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::decode_inner(d, self.0).map(Some)
    }
}

/// Nanoseconds since the epoch from an epoch integer or an RFC3339 string.
struct TimeVisitor<'c>(&'c DecodeContext);

impl TimeVisitor<'_> {
    fn ns_from_int<E: de::Error>(&self, v: i128) -> Result<i64, E> {
        let Some(p) = self.0.epoch else {
            // The server answers with integers only when `epoch` was set; without it, read ns.
            return i64::try_from(v).map_err(|_| mismatch(Found::Int(v), "a time in range"));
        };
        v.checked_mul(i128::from(p.nanos_per_unit()))
            .and_then(|ns| i64::try_from(ns).ok())
            .ok_or_else(|| mismatch(Found::Int(v), "a time in range"))
    }
}

impl<'de> Visitor<'de> for TimeVisitor<'_> {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a time")
    }
    #[inline]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        match self.0.epoch {
            None | Some(Precision::Nanoseconds) => Ok(v),
            _ => self.ns_from_int(v.into()),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        self.ns_from_int(v.into())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        if self.0.zoneless_utc {
            if let Some(ns) = zoneless_ns(v) {
                return Ok(ns);
            }
        }
        DateTime::parse_from_rfc3339(v)
            .ok()
            .and_then(|t| t.timestamp_nanos_opt())
            .ok_or_else(|| mismatch(Found::Str(v), "an RFC3339 time in range"))
    }
    rejects!("a time"; bool f64 unit seq map);
}

/// Nanoseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.f{1,9}]` read as UTC
/// (InfluxDB 3's time format); `None` if malformed or outside `i64` nanoseconds.
pub(crate) fn zoneless_ns(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        b[from..to].iter().try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day < 1 || day > month_days[(month - 1) as usize] {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let frac = match &b[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            num(20, b.len())? * 10i64.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second;
    i64::try_from(i128::from(secs) * 1_000_000_000 + i128::from(frac)).ok()
}

fn decode_ns<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<i64, D::Error> {
    d.deserialize_any(TimeVisitor(ctx))
}

impl DecodeTime for i64 {
    #[inline]
    fn decode_time<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        decode_ns(d, ctx)
    }
}

impl DecodeTime for DateTime<Utc> {
    #[inline]
    fn decode_time<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        decode_ns(d, ctx).map(DateTime::from_timestamp_nanos)
    }
}

impl DecodeTime for SystemTime {
    fn decode_time<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        let ns = decode_ns(d, ctx)?;
        let abs = Duration::from_nanos(ns.unsigned_abs());
        Ok(if ns >= 0 { UNIX_EPOCH + abs } else { UNIX_EPOCH - abs })
    }
}

impl DecodeValue for DateTime<Utc> {
    const EXPECTED: &'static str = "DateTime<Utc>";
    fn decode<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        Self::decode_time(d, ctx)
    }
}

impl DecodeValue for SystemTime {
    const EXPECTED: &'static str = "SystemTime";
    fn decode<'de, D: Deserializer<'de>>(d: D, ctx: &DecodeContext) -> Result<Self, D::Error> {
        Self::decode_time(d, ctx)
    }
}

impl DecodeValue for serde_json::Value {
    const EXPECTED: &'static str = "any JSON value";
    fn decode<'de, D: Deserializer<'de>>(d: D, _: &DecodeContext) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn absent() -> Option<Self> {
        Some(serde_json::Value::Null)
    }
}

/// Decodes a tag value that arrives as a column (a JSON string, or null when the point lacks it).
pub(crate) struct TagVisitor<T>(pub(crate) PhantomData<T>);

impl<'de, T: DecodeTag> Visitor<'de> for TagVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tag value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_tag(v).map_err(|m| E::custom(format_args!("tag value {v:?}: {m}")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        T::absent().ok_or_else(|| mismatch(Found::Null, "a tag value"))
    }
    rejects!("a tag value"; bool i64 u64 f64 seq map);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `json` as the client does (with its exact JSON reader).
    fn val<T: DecodeValue>(json: &str) -> Result<T, String> {
        let mut p = crate::decode::json::Parser::new(json.as_bytes()).map_err(|e| e.to_string())?;
        let v = T::decode(&mut p, &DecodeContext::new(Some(Precision::Nanoseconds))).map_err(|e| e.to_string())?;
        p.end().map_err(|e| e.to_string())?;
        Ok(v)
    }

    fn bits(json: &str) -> u64 {
        val::<f64>(json).unwrap_or_else(|e| panic!("{json}: {e}")).to_bits()
    }

    #[test]
    fn integer_text_reads_as_the_nearest_f64() {
        // The server prints floats of 2^53 and more as integer text: 2^60 as its shortest digits.
        assert_eq!(bits("1152921504606847000"), 2f64.powi(60).to_bits());
        assert_eq!(bits("-1152921504606847000"), (-2f64.powi(60)).to_bits());
        assert_eq!(bits("9007199254740993"), 9007199254740992f64.to_bits()); // tie: to even
        assert_eq!(bits("9007199254740995"), 9007199254740996f64.to_bits()); // tie: to even
        assert_eq!(bits("9223372036854775807"), 2f64.powi(63).to_bits());
        assert_eq!(bits("-9223372036854775808"), (-2f64.powi(63)).to_bits());
        assert_eq!(bits("-9223372036854775809"), (-2f64.powi(63)).to_bits());
        assert_eq!(bits("18446744073709551615"), 2f64.powi(64).to_bits());
        // 2^64 and more: beyond u64, still the nearest f64.
        assert_eq!(bits("18446744073709551616"), 2f64.powi(64).to_bits());
        assert_eq!(bits("18446744073709552000"), 2f64.powi(64).to_bits());
        assert_eq!(bits("36893488147419103000"), 2f64.powi(65).to_bits());
        assert_eq!(bits("1e+21"), 1e21f64.to_bits());
        let max = format!("{}", f64::MAX);
        assert_eq!(max.len(), 309);
        assert_eq!(bits(&max), f64::MAX.to_bits());
        assert_eq!(bits(&format!("-{max}")), f64::MIN.to_bits());
        for k in 53..=1023 {
            for m in [1u64, 3, (1 << 53) - 1, 0x1F_2345_6789_ABCD] {
                let x = m as f64 * 2f64.powi(k - 52);
                if x.is_finite() {
                    assert_eq!(bits(&format!("{x}")), x.to_bits(), "2^{k} * {m}");
                    assert_eq!(val::<Option<f64>>(&format!("{x}")).unwrap().map(f64::to_bits), Some(x.to_bits()));
                }
            }
        }
        // Integer columns stay exact integers.
        assert_eq!(val::<i64>("9007199254740993").unwrap(), 9_007_199_254_740_993);
        assert_eq!(val::<u64>("18446744073709551615").unwrap(), u64::MAX);
        assert!(val::<u64>("18446744073709551616").unwrap_err().starts_with("found float 18446744073709552000"));
    }

    #[test]
    fn floats_keep_every_bit() {
        assert_eq!(bits("-0"), (-0.0f64).to_bits());
        assert_eq!(bits("-0.0"), (-0.0f64).to_bits());
        assert_eq!(bits("0"), 0f64.to_bits());
        assert_eq!(bits("5e-324"), 1);
        assert_eq!(bits("-5e-324"), (-f64::from_bits(1)).to_bits());
        assert_eq!(bits("2.225073858507201e-308"), 0x000F_FFFF_FFFF_FFFF); // largest subnormal
        assert_eq!(bits("2.2250738585072014e-308"), f64::MIN_POSITIVE.to_bits());
        assert_eq!(bits("1.7976931348623157e308"), f64::MAX.to_bits());
        assert_eq!(bits("2.220446049250313e-16"), f64::EPSILON.to_bits());
        assert_eq!(bits("0.30000000000000004"), (0.1f64 + 0.2).to_bits());
        // 17 digits where a mantissa-times-power-of-ten parser rounds twice.
        assert_eq!(bits("9007199254740993.5"), 9007199254740994f64.to_bits());
        assert!(val::<f64>("1e309").unwrap_err().starts_with("number out of range"));
        assert_eq!(val::<f32>("0.10000000149011612").unwrap(), 0.1f32);
        assert!(val::<f32>("0.1").is_err());
    }

    #[test]
    fn numbers_convert_only_without_loss() {
        assert_eq!(val::<f64>("1").unwrap(), 1.0);
        assert_eq!(val::<f64>("1.5").unwrap(), 1.5);
        assert_eq!(val::<i64>("-9223372036854775808").unwrap(), i64::MIN);
        assert!(val::<i64>("1.5").unwrap_err().starts_with("found float 1.5, expected i64"));
        assert!(val::<u8>("300").unwrap_err().starts_with("found integer 300, expected u8"));
        assert!(val::<u64>("-1").is_err());
        assert_eq!(val::<i32>("1e3").unwrap(), 1000);
        assert_eq!(val::<f32>("0.5").unwrap(), 0.5);
        assert!(val::<f32>("0.1").is_err());
    }

    #[test]
    fn null_and_types() {
        assert!(val::<f64>("null").unwrap_err().starts_with("found null, expected f64"));
        assert_eq!(val::<Option<f64>>("null").unwrap(), None);
        assert_eq!(val::<Option<bool>>("true").unwrap(), Some(true));
        assert!(val::<bool>("\"true\"").unwrap_err().starts_with("found string \"true\", expected bool"));
        assert_eq!(val::<String>("\"a\\\"b\"").unwrap(), "a\"b");
        assert!(val::<String>("1").unwrap_err().starts_with("found integer 1, expected string"));
        assert_eq!(val::<Option<String>>("null").unwrap(), None);
    }

    #[test]
    fn zoneless_times_are_utc_and_exact() {
        use chrono::NaiveDateTime;
        for t in [
            "1970-01-01T00:00:00.000000123",
            "1970-01-01T00:00:00",
            "1969-12-31T23:59:59.999999999",
            "2025-02-25T20:19:34.984098",
            "2000-02-29T12:00:00.5",
            "1677-09-21T00:12:43.145224192",
            "2262-04-11T23:47:16.854775807",
            "1900-03-01T00:00:00.1",
        ] {
            let want =
                NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").unwrap().and_utc().timestamp_nanos_opt();
            assert_eq!(zoneless_ns(t), want, "{t}");
        }
        for bad in [
            "2262-04-11T23:47:16.854775808",
            "2023-02-29T00:00:00",
            "2023-13-01T00:00:00",
            "2023-01-01T24:00:00",
            "2023-01-01T00:00:00.",
            "2023-01-01T00:00:00.1234567890",
            "2023-01-01",
            "2023-01-01T00:00:0x",
        ] {
            assert_eq!(zoneless_ns(bad), None, "{bad}");
        }
        let ctx = DecodeContext::new(None).with_zoneless_utc(true);
        let mut de = serde_json::Deserializer::from_str("\"1970-01-01T00:00:00.000000123\"");
        assert_eq!(DateTime::<Utc>::decode_time(&mut de, &ctx).unwrap().timestamp_nanos_opt(), Some(123));
        // RFC3339 with a zone still works; without the flag a zoneless time is an error.
        let mut de = serde_json::Deserializer::from_str("\"1970-01-01T01:00:00+01:00\"");
        assert_eq!(i64::decode_time(&mut de, &ctx).unwrap(), 0);
        let mut de = serde_json::Deserializer::from_str("\"1970-01-01T00:00:00.000000123\"");
        assert!(i64::decode_time(&mut de, &DecodeContext::new(None)).is_err());
    }

    #[test]
    fn times_in_every_precision() {
        for (p, raw, ns) in [
            (Precision::Nanoseconds, "5", 5),
            (Precision::Microseconds, "5", 5_000),
            (Precision::Milliseconds, "5", 5_000_000),
            (Precision::Seconds, "-5", -5_000_000_000),
        ] {
            let mut de = serde_json::Deserializer::from_str(raw);
            assert_eq!(i64::decode_time(&mut de, &DecodeContext::new(Some(p))).unwrap(), ns);
        }
        let mut de = serde_json::Deserializer::from_str("9223372037");
        assert!(i64::decode_time(&mut de, &DecodeContext::new(Some(Precision::Seconds))).is_err());
        let mut de = serde_json::Deserializer::from_str("\"2026-01-02T03:04:05.123456789Z\"");
        let t = DateTime::<Utc>::decode_time(&mut de, &DecodeContext::new(None)).unwrap();
        assert_eq!(t.timestamp_subsec_nanos(), 123_456_789);
        let mut de = serde_json::Deserializer::from_str("null");
        assert_eq!(Option::<i64>::decode_time(&mut de, &DecodeContext::new(None)).unwrap(), None);
    }
}
