//! Line protocol: escaping, validation and encoding into a caller-owned buffer.
//!
//! Every point becomes one line, `measurement[,tag=value...] field=value[,...] [timestamp]`,
//! written straight into one `Vec<u8>` with no allocation per point. What line
//! protocol cannot carry is rejected before anything is sent, with an
//! [`ErrorKind::Encode`](crate::ErrorKind) error that names the point
//! and the key; nothing is ever silently dropped, stripped or altered.
//!
//! The rules (InfluxDB 1.x, settled against a real 1.6.7 server byte by byte):
//!
//! | element | escaped | rejected |
//! |---|---|---|
//! | measurement | `,` and space | empty, newline, trailing `\`, leading `#` (a comment), leading tab or NUL (stripped), a `\` before `,` `=` `"` or space |
//! | tag key | `,`, `=` and space | empty, newline, trailing `\`, `time` |
//! | tag value | `,`, `=` and space | newline, trailing `\` (an empty value omits the tag) |
//! | field key | `,`, `=` and space | empty, newline, trailing `\`, `time`, leading tab or NUL (stripped), a `\` before `"`, an odd run of `\` before `,` `=` or space |
//! | string field value | `"` and `\` | more than 64 KiB |
//! | float | — | NaN, ±infinity |
//! | unsigned integer | — | above `i64::MAX` unless [`EncodeOptions::unsigned_suffix`] |
//! | timestamp | — | outside ±(2^63 − 2) ns, the server's range |
//!
//! Backslashes are not doubled in names: 1.x only unescapes `\,`, `\=` and
//! `\ ` (and `\"` in measurements and field keys), so `a\b` is written as is
//! and read back as `a\b`. Every other byte, control characters included, is
//! stored and read back unchanged.
//!
//! ```
//! # extern crate influx_core as influx;
//! use influx::line_protocol::{encode_batch, EncodeOptions, Point};
//!
//! let points = [Point::new("cpu load").tag("host", "a b").field("usage", 0.5).timestamp(1_i64)];
//! let mut buf = Vec::new();
//! encode_batch(&points, &mut buf, &EncodeOptions::default()).unwrap();
//! assert_eq!(buf, b"cpu\\ load,host=a\\ b usage=0.5 1");
//! ```

mod copy;
mod escape;
mod point;
mod value;

pub use point::{Point, Value};
pub use value::{FieldValue, TagValue, TimeValue};

use crate::{Error, ErrorKind, Precision, Result};
use copy::put;
#[cfg(feature = "arrow")]
pub(crate) use copy::Bytes32;
use escape::{escape_into, escape_string_into, Invalid};
pub(crate) use escape::{unescape, Element};

/// The longest string field value the encoder accepts, in bytes (64 KiB).
pub const MAX_STRING_LEN: usize = 64 * 1024;

/// The longest series key (measurement plus tag set, escaped) the server accepts, in bytes.
pub const MAX_KEY_LEN: usize = 65_535;

/// The earliest timestamp the server stores, in nanoseconds since the epoch (`-(2^63) + 2`).
pub const MIN_NANOS: i64 = i64::MIN + 2;

/// The latest timestamp the server stores, in nanoseconds since the epoch (`2^63 - 2`).
pub const MAX_NANOS: i64 = i64::MAX - 1;

/// Options that apply to every point of one encoded batch.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{EncodeOptions, Point};
/// use influx::Precision;
///
/// let mut opts = EncodeOptions { precision: Precision::Seconds, ..EncodeOptions::default() };
/// opts.default_tags.insert("region", "eu-west").unwrap();
/// let line = Point::new("cpu").field("usage", 1.5).timestamp(1_700_000_000_123_456_789_i64)
///     .to_line_protocol_with(&opts).unwrap();
/// assert_eq!(line, "cpu,region=eu-west usage=1.5 1700000000");
/// ```
#[derive(Debug, Clone, Default)]
pub struct EncodeOptions {
    /// The precision timestamps are written in (must match the request's `precision`).
    ///
    /// Timestamps are truncated to it toward negative infinity (the start of the
    /// second, millisecond or microsecond that holds the instant), as every
    /// InfluxDB client does, with exact integer arithmetic.
    pub precision: Precision,
    /// Write unsigned integers with the `u` suffix (InfluxDB 2.x, and 1.x servers
    /// built with unsigned support).
    ///
    /// Off by default: a stock InfluxDB 1.x answers `5u` with 400 `invalid
    /// number`. Unsigned values are then written as signed integers (`5i`), and
    /// a value above `i64::MAX` is an encode error rather than a silently
    /// wrapped number.
    pub unsigned_suffix: bool,
    /// Tags added to every point (like the official clients' `PointSettings`).
    /// A point's own tag wins over a default tag with the same key.
    pub default_tags: DefaultTags,
    /// A measurement written instead of each point's own (a per-call
    /// override: `WriteOptions::measurement`).
    pub measurement: Option<MeasurementName>,
}

/// A measurement name checked and escaped once, to replace the measurement of
/// every point of a write ([`EncodeOptions::measurement`]).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{EncodeOptions, MeasurementName, Point};
/// let opts = EncodeOptions { measurement: Some(MeasurementName::new("cpu load").unwrap()), ..Default::default() };
/// let line = Point::new("ignored").field("v", 1_i64).to_line_protocol_with(&opts).unwrap();
/// assert_eq!(line, "cpu\\ load v=1i");
/// assert!(MeasurementName::new("#comment").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasurementName {
    name: Box<str>,
    escaped: Box<[u8]>,
}

impl MeasurementName {
    /// Checks and escapes `name` by the measurement rules (see the [module](self) table).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::line_protocol::MeasurementName::new("m").unwrap().name(), "m");
    /// ```
    pub fn new(name: &str) -> Result<Self> {
        let mut escaped = Vec::with_capacity(name.len());
        escape_into(&mut escaped, name, Element::Measurement).map_err(|e| invalid(Element::Measurement, name, e))?;
        Ok(Self { name: name.into(), escaped: escaped.into() })
    }

    /// The name as given.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::line_protocol::MeasurementName::new("a b").unwrap().name(), "a b");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name as a line carries it, ready to be written many times.
    #[cfg(feature = "arrow")]
    pub(crate) fn escaped_bytes(&self) -> Bytes32 {
        Bytes32::new(&self.escaped)
    }
}

/// Tags merged into every point at encode time, kept sorted and pre-escaped so
/// merging costs no allocation per point.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::DefaultTags;
///
/// let mut tags = DefaultTags::new();
/// tags.insert("host", "web-1").unwrap();
/// tags.insert("dc", "fra").unwrap();
/// assert_eq!(tags.iter().collect::<Vec<_>>(), [("dc", "fra"), ("host", "web-1")]);
/// assert!(tags.insert("bad\nkey", "x").is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct DefaultTags {
    tags: Vec<DefaultTag>,
}

#[derive(Debug, Clone)]
struct DefaultTag {
    key: Box<str>,
    value: Box<str>,
    /// `,key=value`, escaped.
    line: Box<[u8]>,
}

impl DefaultTags {
    /// No default tags.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::line_protocol::DefaultTags::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the default tag `key=value`. An empty value removes it.
    ///
    /// Fails with [`ErrorKind::Encode`] if the key or value cannot be written
    /// (see the [module](self) table).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut t = influx::line_protocol::DefaultTags::new();
    /// t.insert("env", "prod").unwrap();
    /// t.insert("env", "").unwrap();
    /// assert!(t.is_empty());
    /// ```
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) -> Result<()> {
        let (key, value) = (key.into(), value.into());
        let pos = self.tags.binary_search_by(|t| t.key.as_bytes().cmp(key.as_bytes()));
        if value.is_empty() {
            if let Ok(i) = pos {
                self.tags.remove(i);
            }
            return Ok(());
        }
        let (_, line) = tag_line(&key, &value)?;
        let tag = DefaultTag { key: key.into(), value: value.into(), line: line.into() };
        match pos {
            Ok(i) => self.tags[i] = tag,
            Err(i) => self.tags.insert(i, tag),
        }
        Ok(())
    }

    /// Adds (or replaces) the default tag `key` with the value of the
    /// environment variable `var`, read now, once (the official Python
    /// client's `"${env.VAR}"` default tag values).
    ///
    /// Unlike the Python client, which leaves the tag out when the variable is
    /// unset, an unset or empty variable is an [`ErrorKind::Builder`] error
    /// naming the tag and the variable: a tag that silently goes missing splits
    /// a series. Give a fallback with [`DefaultTags::insert_env_or`]. A value
    /// that is not valid Unicode is an error too; a value line protocol cannot
    /// carry is an [`ErrorKind::Encode`] error, as with [`DefaultTags::insert`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut t = influx::line_protocol::DefaultTags::new();
    /// let err = t.insert_env("host", "SURELY_UNSET_VARIABLE_7F3A").unwrap_err();
    /// assert_eq!(err.kind(), influx::ErrorKind::Builder);
    /// assert!(err.to_string().contains("`SURELY_UNSET_VARIABLE_7F3A` is not set"));
    /// ```
    pub fn insert_env(&mut self, key: impl Into<String>, var: impl Into<String>) -> Result<()> {
        let key = key.into();
        let value = TagSource::Env { var: var.into(), fallback: None }.resolve(&key)?;
        self.insert(key, value)
    }

    /// Like [`DefaultTags::insert_env`], but an unset or empty variable gives
    /// `fallback`; an empty fallback leaves the tag out (as the Python client
    /// does with an unset variable, here by choice).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut t = influx::line_protocol::DefaultTags::new();
    /// t.insert_env_or("dc", "SURELY_UNSET_VARIABLE_7F3A", "fra").unwrap();
    /// assert_eq!(t.iter().collect::<Vec<_>>(), [("dc", "fra")]);
    /// t.insert_env_or("dc", "SURELY_UNSET_VARIABLE_7F3A", "").unwrap();
    /// assert!(t.is_empty());
    /// ```
    pub fn insert_env_or(
        &mut self,
        key: impl Into<String>,
        var: impl Into<String>,
        fallback: impl Into<String>,
    ) -> Result<()> {
        let key = key.into();
        let value = TagSource::Env { var: var.into(), fallback: Some(fallback.into()) }.resolve(&key)?;
        self.insert(key, value)
    }

    /// The tags, sorted by key.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let mut t = influx::line_protocol::DefaultTags::new();
    /// t.insert("a", "1").unwrap();
    /// assert_eq!(t.iter().next(), Some(("a", "1")));
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.tags.iter().map(|t| (&*t.key, &*t.value))
    }

    /// How many default tags there are.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::line_protocol::DefaultTags::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    /// True if there are none.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::line_protocol::DefaultTags::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }
}

/// Where a configured default tag's value comes from: given, or read from the
/// environment when the client or writer is built. Builders keep these in
/// order and resolve them once, so a later setting of a key wins whatever
/// its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TagSource {
    /// The value itself (empty: remove the tag).
    Value(String),
    /// The environment variable `var`; `fallback` when it is unset or empty,
    /// an error when there is no fallback.
    Env { var: String, fallback: Option<String> },
}

impl TagSource {
    /// The value of the default tag `key` (empty: leave the tag out).
    pub(crate) fn resolve(&self, key: &str) -> Result<String> {
        self.resolve_with(key, |var| std::env::var_os(var))
    }

    /// [`TagSource::resolve`] with the environment given as `lookup`.
    pub(crate) fn resolve_with(
        &self,
        key: &str,
        lookup: impl FnOnce(&str) -> Option<std::ffi::OsString>,
    ) -> Result<String> {
        let (var, fallback) = match self {
            TagSource::Value(v) => return Ok(v.clone()),
            TagSource::Env { var, fallback } => (var, fallback),
        };
        let fail = |why: &str| {
            let hint = if fallback.is_none() { " (set it, or give a fallback with `default_tag_env_or`)" } else { "" };
            Err(Error::new(
                ErrorKind::Builder,
                format!(
                    "default tag `{}`: environment variable `{}` {why}{hint}",
                    key.escape_debug(),
                    var.escape_debug()
                ),
            ))
        };
        // `std::env::var_os` cannot look these up (and older Rust panics).
        if var.is_empty() || var.contains(['=', '\0']) {
            return fail("is not a valid variable name");
        }
        match lookup(var) {
            Some(v) if !v.is_empty() => match v.into_string() {
                Ok(v) => Ok(v),
                Err(_) => fail("is not valid Unicode"),
            },
            unset_or_empty => match fallback {
                Some(f) => Ok(f.clone()),
                None if unset_or_empty.is_some() => fail("is empty"),
                None => fail("is not set"),
            },
        }
    }
}

impl DefaultTags {
    /// Applies `sources` in order (a later setting of a key wins), reading
    /// environment variables now. The error names the tag.
    pub(crate) fn apply(&mut self, sources: &[(String, TagSource)]) -> Result<()> {
        for (key, source) in sources {
            let value = source.resolve(key)?;
            self.insert(key.as_str(), value)?;
        }
        Ok(())
    }
}

/// `,key=value` escaped and checked, ready to insert into a line's tag set,
/// and the length of its escaped key (which starts at byte 1).
pub(crate) fn tag_line(key: &str, value: &str) -> Result<(usize, Vec<u8>)> {
    let mut line = Vec::with_capacity(key.len() + value.len() + 2);
    line.push(b',');
    escape_into(&mut line, key, Element::TagKey).map_err(|e| invalid(Element::TagKey, key, e))?;
    let key_len = line.len() - 1;
    line.push(b'=');
    escape_into(&mut line, value, Element::TagValue).map_err(|e| invalid(Element::TagValue, key, e))?;
    Ok((key_len, line))
}

/// Writes one point as one line into an [`Encoder`].
///
/// Implemented by `#[derive(InfluxPoint)]`, by [`Point`], and by hand for
/// special cases: write the measurement, then the tags in ascending key order,
/// then the fields, then (optionally) the timestamp.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{encode_batch, EncodeOptions, Encoder, WritePoint};
///
/// struct Temp { room: &'static str, celsius: f64 }
///
/// impl WritePoint for Temp {
///     fn write_point(&self, enc: &mut Encoder<'_>) -> influx::Result<()> {
///         enc.measurement("temp")?;
///         enc.tag("room", self.room)?;
///         enc.field_f64("celsius", self.celsius)
///     }
/// }
///
/// let mut buf = Vec::new();
/// encode_batch([Temp { room: "lab", celsius: 21.5 }], &mut buf, &EncodeOptions::default()).unwrap();
/// assert_eq!(buf, b"temp,room=lab celsius=21.5");
/// ```
pub trait WritePoint {
    /// Appends this point's line (without the trailing newline) to `enc`.
    fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()>;
}

impl<T: WritePoint + ?Sized> WritePoint for &T {
    fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()> {
        (**self).write_point(enc)
    }
}

/// A tag or field key escaped ahead of time (by `#[derive(InfluxPoint)]` at
/// compile time), so only values are escaped per point.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::Key;
/// let key = Key::new("disk io").unwrap();
/// assert_eq!(key.name(), "disk io");
/// assert_eq!(key.escaped(), "disk\\ io");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'k> {
    name: std::borrow::Cow<'k, str>,
    escaped: std::borrow::Cow<'k, str>,
    /// Why the key cannot name a field, if it can only name a tag.
    not_a_field: Option<Invalid>,
}

impl<'k> Key<'k> {
    /// Validates and escapes `name` as a tag or field key.
    ///
    /// Fails if `name` can be neither. A name only a tag key may hold (field
    /// keys are stricter, see the [module](self) table) fails when it is
    /// written as a field.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::line_protocol::{EncodeOptions, Encoder, Key};
    /// assert!(Key::new("time").is_err());
    ///
    /// let only_a_tag = Key::new("a\\,b").unwrap();
    /// let opts = EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.tag(&only_a_tag, "x").unwrap();
    /// assert!(enc.field_i64(&only_a_tag, 1).is_err());
    /// ```
    pub fn new(name: &'k str) -> Result<Key<'k>> {
        let escaped = escape::escape(name, Element::TagKey).map_err(|e| invalid(Element::TagKey, name, e))?;
        let escaped = if escaped == name { std::borrow::Cow::Borrowed(name) } else { escaped.into() };
        let not_a_field = escape::check(name.as_bytes(), Element::FieldKey, true).err();
        Ok(Key { name: name.into(), escaped, not_a_field })
    }

    /// A key whose escaping was done at compile time by the derive. Not checked.
    #[doc(hidden)]
    pub const fn __pre_escaped(name: &'k str, escaped: &'k str) -> Key<'k> {
        Key { name: std::borrow::Cow::Borrowed(name), escaped: std::borrow::Cow::Borrowed(escaped), not_a_field: None }
    }

    /// The key as stored by the server.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::line_protocol::Key::new("a=b").unwrap().name(), "a=b");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key as written in line protocol.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::line_protocol::Key::new("a=b").unwrap().escaped(), "a\\=b");
    /// ```
    pub fn escaped(&self) -> &str {
        &self.escaped
    }
}

/// A key escaped at compile time by the derive, as a fixed-size array so the
/// copy is inlined. Not part of the stable API.
#[doc(hidden)]
#[derive(Debug)]
pub struct __PreKey<'a, const N: usize> {
    /// The unescaped key.
    pub name: &'a str,
    /// The escaped key.
    pub escaped_str: &'a str,
    /// `,key=` with the key escaped: a field's whole prefix in one copy.
    pub line: &'a [u8; N],
}

impl<const N: usize> EncodeKey for __PreKey<'_, N> {
    fn key_name(&self) -> &str {
        self.name
    }
    #[inline]
    fn write_key(&self, buf: &mut Vec<u8>, _: KeyElement) -> Result<()> {
        buf.extend_from_slice(self.escaped_str.as_bytes());
        Ok(())
    }
    #[inline(always)]
    fn write_field_prefix(&self, buf: &mut Vec<u8>, first: bool) -> Result<()> {
        let mut line = *self.line;
        if first {
            line[0] = b' ';
        }
        buf.extend_from_slice(&line);
        Ok(())
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for str {}
    impl Sealed for super::Key<'_> {}
    impl<const N: usize> Sealed for super::__PreKey<'_, N> {}
    #[cfg(feature = "arrow")]
    impl Sealed for super::KeyLine {}
    impl<T: Sealed + ?Sized> Sealed for &T {}
}

/// A tag or field key argument: a `&str` (checked and escaped on every write)
/// or a [`Key`] (escaped once). Sealed.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{EncodeOptions, Encoder, Key};
/// let opts = EncodeOptions::default();
/// let mut buf = Vec::new();
/// let mut enc = Encoder::new(&mut buf, &opts);
/// enc.measurement("m").unwrap();
/// enc.field_i64("a b", 1).unwrap();
/// enc.field_i64(&Key::new("c").unwrap(), 2).unwrap();
/// assert_eq!(buf, b"m a\\ b=1i,c=2i");
/// ```
pub trait EncodeKey: sealed::Sealed {
    /// The unescaped key.
    fn key_name(&self) -> &str;
    /// Appends the escaped key to `buf`.
    #[doc(hidden)]
    fn write_key(&self, buf: &mut Vec<u8>, elem: KeyElement) -> Result<()>;
    /// Appends ` key=` (the first field) or `,key=`.
    #[doc(hidden)]
    #[inline(always)]
    fn write_field_prefix(&self, buf: &mut Vec<u8>, first: bool) -> Result<()> {
        buf.push(if first { b' ' } else { b',' });
        self.write_key(buf, KeyElement::Field)?;
        buf.push(b'=');
        Ok(())
    }
    /// Appends `,key=` before a tag value.
    #[doc(hidden)]
    #[inline(always)]
    fn write_tag_prefix(&self, buf: &mut Vec<u8>) -> Result<()> {
        buf.push(b',');
        self.write_key(buf, KeyElement::Tag)?;
        buf.push(b'=');
        Ok(())
    }
}

/// Whether a key names a tag or a field (for error messages). Not part of the stable API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum KeyElement {
    /// A tag key.
    Tag,
    /// A field key.
    Field,
}

impl EncodeKey for str {
    fn key_name(&self) -> &str {
        self
    }
    #[inline]
    fn write_key(&self, buf: &mut Vec<u8>, elem: KeyElement) -> Result<()> {
        let elem = match elem {
            KeyElement::Tag => Element::TagKey,
            KeyElement::Field => Element::FieldKey,
        };
        escape_into(buf, self, elem).map_err(|e| invalid(elem, self, e))
    }
}

impl EncodeKey for Key<'_> {
    fn key_name(&self) -> &str {
        &self.name
    }
    #[inline]
    fn write_key(&self, buf: &mut Vec<u8>, elem: KeyElement) -> Result<()> {
        if let (KeyElement::Field, Some(why)) = (elem, self.not_a_field) {
            return Err(invalid(Element::FieldKey, &self.name, why));
        }
        buf.extend_from_slice(self.escaped.as_bytes());
        Ok(())
    }
}

impl<T: EncodeKey + ?Sized> EncodeKey for &T {
    fn key_name(&self) -> &str {
        (**self).key_name()
    }
    #[inline]
    fn write_key(&self, buf: &mut Vec<u8>, elem: KeyElement) -> Result<()> {
        (**self).write_key(buf, elem)
    }
    #[inline(always)]
    fn write_field_prefix(&self, buf: &mut Vec<u8>, first: bool) -> Result<()> {
        (**self).write_field_prefix(buf, first)
    }
    #[inline(always)]
    fn write_tag_prefix(&self, buf: &mut Vec<u8>) -> Result<()> {
        (**self).write_tag_prefix(buf)
    }
}

/// A tag or field key checked and escaped once and kept as `,key=`, so that a line takes
/// it in one short copy: the record batch writer's column names (the derive does the same
/// at compile time with [`__PreKey`]). A field key is checked by the field key rules too.
#[cfg(feature = "arrow")]
#[derive(Debug, Clone)]
pub(crate) struct KeyLine {
    name: Box<str>,
    line: Bytes32,
}

#[cfg(feature = "arrow")]
impl KeyLine {
    /// `name` checked and escaped as a tag key.
    pub(crate) fn tag(name: &str) -> Result<Self> {
        Self::new(name, KeyElement::Tag)
    }

    /// `name` checked and escaped as a field key.
    pub(crate) fn field(name: &str) -> Result<Self> {
        Self::new(name, KeyElement::Field)
    }

    fn new(name: &str, elem: KeyElement) -> Result<Self> {
        let key = Key::new(name)?;
        let mut line = Vec::with_capacity(key.escaped.len() + 2);
        match elem {
            KeyElement::Tag => key.write_tag_prefix(&mut line)?,
            KeyElement::Field => key.write_field_prefix(&mut line, false)?,
        }
        Ok(Self { name: name.into(), line: Bytes32::new(&line) })
    }

    /// The key as stored by the server.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}

#[cfg(feature = "arrow")]
impl EncodeKey for KeyLine {
    fn key_name(&self) -> &str {
        &self.name
    }
    #[inline]
    fn write_key(&self, buf: &mut Vec<u8>, _: KeyElement) -> Result<()> {
        let line = self.line.as_bytes();
        buf.extend_from_slice(&line[1..line.len() - 1]);
        Ok(())
    }
    #[inline(always)]
    fn write_field_prefix(&self, buf: &mut Vec<u8>, first: bool) -> Result<()> {
        let at = buf.len();
        self.line.put(buf);
        if first {
            buf[at] = b' ';
        }
        Ok(())
    }
    #[inline(always)]
    fn write_tag_prefix(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.line.put(buf);
        Ok(())
    }
}

/// A tag value checked and escaped once, for a value many lines share (a default tag
/// of a record batch, a value of a dictionary-encoded tag column), or why it cannot be
/// written (reported, naming the tag, by the first line that writes it).
#[cfg(feature = "arrow")]
#[derive(Debug, Clone)]
pub(crate) struct TagValueLine(std::result::Result<Box<[u8]>, Invalid>);

#[cfg(feature = "arrow")]
impl TagValueLine {
    pub(crate) fn new(value: &str) -> Self {
        let mut escaped = Vec::with_capacity(value.len());
        Self(escape_into(&mut escaped, value, Element::TagValue).map(|()| escaped.into()))
    }

    /// An empty value, which omits the tag.
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self.0, Err(Invalid::Empty))
    }
}

/// Checks a name read from a raw line, still escaped as the line carries it,
/// by the rules the encoder applies to names it writes. `tag` is the tag's
/// (escaped) key when `elem` is a tag value, for the error message; `first`
/// is false for a field key after the first, where leading whitespace is kept.
pub(crate) fn check_raw(raw: &[u8], elem: Element, tag: &[u8], first: bool) -> Result<()> {
    let name = escape::unescape(raw, elem);
    escape::check(&name, elem, first).map_err(|why| {
        let named = if elem == Element::TagValue { escape::unescape(tag, Element::TagKey) } else { name };
        invalid(elem, &String::from_utf8_lossy(&named), why)
    })
}

#[cold]
fn invalid(elem: Element, name: &str, why: Invalid) -> Error {
    let what = match elem {
        Element::Measurement => format!("measurement `{}`", name.escape_debug()),
        Element::TagKey | Element::FieldKey => format!("{} key `{}`", elem.noun(), name.escape_debug()),
        Element::TagValue => format!("tag `{}` value", name.escape_debug()),
    };
    Error::new(ErrorKind::Encode, format!("{what} {}", why.describe()))
}

#[cold]
fn field_error(key: &str, what: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Encode, format!("field `{}` {what}", key.escape_debug()))
}

/// Appends one line of line protocol to a caller-owned buffer.
///
/// Call, in order: [`measurement`](Self::measurement) once, [`tag`](Self::tag)
/// for each tag in ascending key order (so default tags merge in place), the
/// `field_*` methods, then optionally [`timestamp_nanos`](Self::timestamp_nanos).
/// [`encode_batch`] checks that at least one field was written.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{EncodeOptions, Encoder};
/// let opts = EncodeOptions::default();
/// let mut buf = Vec::new();
/// let mut enc = Encoder::new(&mut buf, &opts);
/// enc.measurement("weather").unwrap();
/// enc.tag("city", "New York").unwrap();
/// enc.field_f64("temp", 21.5).unwrap();
/// enc.field_str("sky", "\"clear\"").unwrap();
/// enc.timestamp_nanos(1).unwrap();
/// assert_eq!(buf, b"weather,city=New\\ York temp=21.5,sky=\"\\\"clear\\\"\" 1");
/// ```
pub struct Encoder<'a> {
    buf: &'a mut Vec<u8>,
    opts: &'a EncodeOptions,
    line_start: usize,
    next_default: usize,
    fields: u32,
    timestamped: bool,
}

impl std::fmt::Debug for Encoder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder").field("line", &String::from_utf8_lossy(&self.buf[self.line_start..])).finish()
    }
}

impl<'a> Encoder<'a> {
    /// An encoder appending one line to `buf`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = b"already here".to_vec();
    /// let enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// assert_eq!(enc.fields_written(), 0);
    /// ```
    pub fn new(buf: &'a mut Vec<u8>, opts: &'a EncodeOptions) -> Self {
        let line_start = buf.len();
        Self { buf, opts, line_start, next_default: 0, fields: 0, timestamped: false }
    }

    /// The options in force.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// assert_eq!(enc.options().precision, influx::Precision::Nanoseconds);
    /// ```
    pub fn options(&self) -> &EncodeOptions {
        self.opts
    }

    /// The buffer written so far (this line and whatever preceded it).
    ///
    /// Bytes appended here directly are neither checked nor counted: a point
    /// must still write at least one field through the `field_*` methods, and
    /// its timestamp through the `timestamp*` methods (the batching writer
    /// relies on them to know which lines carry a timestamp).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// assert_eq!(enc.buffer(), b"m");
    /// ```
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        self.buf
    }

    /// How many fields this line holds so far.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_bool("up", true).unwrap();
    /// assert_eq!(enc.fields_written(), 1);
    /// ```
    pub fn fields_written(&self) -> u32 {
        self.fields
    }

    /// Writes the measurement name, checked and escaped.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// assert!(enc.measurement("#not-a-comment").is_err());
    /// ```
    ///
    /// [`EncodeOptions::measurement`], when set, is written instead.
    #[inline]
    pub fn measurement(&mut self, name: &str) -> Result<()> {
        if let Some(m) = &self.opts.measurement {
            self.buf.extend_from_slice(&m.escaped);
            return Ok(());
        }
        escape_into(self.buf, name, Element::Measurement).map_err(|e| invalid(Element::Measurement, name, e))
    }

    /// Writes a measurement checked and escaped once (the record batch writer's fixed
    /// measurement, from [`MeasurementName::escaped_bytes`]).
    #[cfg(feature = "arrow")]
    #[inline]
    pub(crate) fn measurement_escaped(&mut self, escaped: &Bytes32) {
        match &self.opts.measurement {
            None => escaped.put(self.buf),
            Some(m) => self.buf.extend_from_slice(&m.escaped),
        }
    }

    /// Writes a measurement name escaped at compile time by the derive. Not checked.
    /// (A fixed-size array, so the copy is inlined.)
    #[doc(hidden)]
    #[inline]
    pub fn __measurement_escaped<const N: usize>(&mut self, escaped: &[u8; N]) {
        match &self.opts.measurement {
            None => self.buf.extend_from_slice(escaped),
            Some(m) => self.buf.extend_from_slice(&m.escaped),
        }
    }

    /// Writes a tag whose `,key=` prefix was escaped at compile time by the derive. Not checked.
    #[doc(hidden)]
    #[inline]
    pub fn __tag_escaped<const N: usize>(&mut self, name: &str, prefix: &[u8; N], value: &str) -> Result<()> {
        self.tag_with(
            name,
            |buf| {
                buf.extend_from_slice(prefix);
                Ok(())
            },
            value,
        )
    }

    /// Writes a tag whose value was checked and escaped once (the record batch writer's
    /// default tags and dictionary values); an empty value omits the tag.
    #[cfg(feature = "arrow")]
    #[inline]
    pub(crate) fn tag_escaped_value(&mut self, key: &KeyLine, value: &TagValueLine) -> Result<()> {
        match &value.0 {
            Ok(escaped) => {
                self.merge_defaults_for(&key.name);
                key.write_tag_prefix(self.buf)?;
                put(self.buf, escaped);
                Ok(())
            }
            Err(Invalid::Empty) => Ok(()),
            Err(why) => Err(invalid(Element::TagValue, &key.name, *why)),
        }
    }

    /// The one way a tag is written: default tags merged before it, then `,key=` (from
    /// `prefix`), then the value escaped; an empty value omits the tag.
    #[inline(always)]
    fn tag_with(&mut self, name: &str, prefix: impl FnOnce(&mut Vec<u8>) -> Result<()>, value: &str) -> Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        self.merge_defaults_for(name);
        prefix(self.buf)?;
        escape_into(self.buf, value, Element::TagValue).map_err(|e| invalid(Element::TagValue, name, e))
    }

    /// Before the tag `name`: writes the default tags sorting before it, and skips the
    /// default with the same key (the point's own tag wins).
    #[inline(always)]
    fn merge_defaults_for(&mut self, name: &str) {
        if !self.opts.default_tags.is_empty() && self.merge_defaults_before(name) {
            self.next_default += 1;
        }
    }

    /// Writes the tag `key=value`; an empty value omits the tag. Tags must come
    /// in ascending byte order of key for default tags to merge correctly.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.tag("empty", "").unwrap();
    /// enc.tag("host", "a,b").unwrap();
    /// assert_eq!(enc.buffer(), b"m,host=a\\,b");
    /// assert!(enc.tag("path", "C:\\").is_err());
    /// ```
    #[inline]
    pub fn tag<K: EncodeKey + ?Sized>(&mut self, key: &K, value: &str) -> Result<()> {
        self.tag_with(key.key_name(), |buf| key.write_tag_prefix(buf), value)
    }

    /// Writes the default tags sorting before `key`; true if the next one has exactly `key`.
    fn merge_defaults_before(&mut self, key: &str) -> bool {
        let defaults = &self.opts.default_tags.tags;
        while let Some(d) = defaults.get(self.next_default) {
            match d.key.as_bytes().cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => {
                    self.buf.extend_from_slice(&d.line);
                    self.next_default += 1;
                }
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Greater => return false,
            }
        }
        false
    }

    #[inline(always)]
    fn begin_field<K: EncodeKey + ?Sized>(&mut self, key: &K) -> Result<()> {
        let first = self.fields == 0;
        if first {
            self.end_series_key()?;
        }
        self.fields += 1;
        key.write_field_prefix(self.buf, first)
    }

    /// Before the first field: the remaining default tags and the key length check.
    #[inline]
    fn end_series_key(&mut self) -> Result<()> {
        if self.next_default < self.opts.default_tags.tags.len() {
            for d in &self.opts.default_tags.tags[self.next_default..] {
                self.buf.extend_from_slice(&d.line);
            }
            self.next_default = self.opts.default_tags.tags.len();
        }
        let key_len = self.buf.len() - self.line_start;
        if key_len > MAX_KEY_LEN {
            return Err(series_key_too_long(key_len));
        }
        Ok(())
    }

    /// Writes a float field with the shortest text that reads back as the same
    /// `f64`. NaN and ±infinity are errors: line protocol cannot carry them.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_f64("x", 0.1).unwrap();
    /// assert!(enc.field_f64("y", f64::NAN).is_err());
    /// ```
    #[inline(always)]
    pub fn field_f64<K: EncodeKey + ?Sized>(&mut self, key: &K, value: f64) -> Result<()> {
        self.field_float(key, value, value.is_finite())
    }

    /// Writes an `f32` field with the shortest text that reads back as the same `f32`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_f32("x", 1.1).unwrap();
    /// assert_eq!(enc.buffer(), b"m x=1.1");
    /// ```
    #[inline]
    pub fn field_f32<K: EncodeKey + ?Sized>(&mut self, key: &K, value: f32) -> Result<()> {
        self.field_float(key, value, value.is_finite())
    }

    #[inline(always)]
    fn field_float<K, F>(&mut self, key: &K, value: F, finite: bool) -> Result<()>
    where
        K: EncodeKey + ?Sized,
        F: zmij::Float + std::fmt::Display,
    {
        if !finite {
            return Err(field_error(key.key_name(), format_args!("is {value}, which line protocol cannot carry")));
        }
        self.begin_field(key)?;
        // Żmij: the same shortest round-trip digits as ryu, about twice as fast;
        // exponents are written `1e+21`, which the server reads like `1e21`.
        put(self.buf, zmij::Buffer::new().format_finite(value).as_bytes());
        Ok(())
    }

    /// Writes a signed integer field (`42i`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_i64("n", i64::MIN).unwrap();
    /// assert_eq!(enc.buffer(), b"m n=-9223372036854775808i");
    /// ```
    #[inline(always)]
    pub fn field_i64<K: EncodeKey + ?Sized>(&mut self, key: &K, value: i64) -> Result<()> {
        self.begin_field(key)?;
        put(self.buf, itoa::Buffer::new().format(value).as_bytes());
        self.buf.push(b'i');
        Ok(())
    }

    /// Writes an unsigned integer field: `42i` by default (InfluxDB 1.x has no
    /// unsigned type; above `i64::MAX` is an error), `42u` with
    /// [`EncodeOptions::unsigned_suffix`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_u64("n", 5).unwrap();
    /// assert_eq!(enc.buffer(), b"m n=5i");
    /// assert!(enc.field_u64("big", u64::MAX).is_err());
    /// ```
    #[inline]
    pub fn field_u64<K: EncodeKey + ?Sized>(&mut self, key: &K, value: u64) -> Result<()> {
        let suffix = if self.opts.unsigned_suffix {
            b'u'
        } else if value > i64::MAX as u64 {
            return Err(field_error(
                key.key_name(),
                format_args!(
                    "is {value}, above i64::MAX; InfluxDB 1.x has no unsigned integers (see EncodeOptions::unsigned_suffix)"
                ),
            ));
        } else {
            b'i'
        };
        self.begin_field(key)?;
        put(self.buf, itoa::Buffer::new().format(value).as_bytes());
        self.buf.push(suffix);
        Ok(())
    }

    /// Writes a boolean field (`true` / `false`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_bool("ok", false).unwrap();
    /// assert_eq!(enc.buffer(), b"m ok=false");
    /// ```
    #[inline]
    pub fn field_bool<K: EncodeKey + ?Sized>(&mut self, key: &K, value: bool) -> Result<()> {
        self.begin_field(key)?;
        self.buf.extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }

    /// Writes a string field, quoted, with `"` and `\` escaped. Newlines are
    /// kept (the server stores them). More than [`MAX_STRING_LEN`] bytes is an error.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let opts = influx::line_protocol::EncodeOptions::default();
    /// let mut buf = Vec::new();
    /// let mut enc = influx::line_protocol::Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_str("path", r"C:\tmp").unwrap();
    /// assert_eq!(enc.buffer(), br#"m path="C:\\tmp""#);
    /// ```
    #[inline]
    pub fn field_str<K: EncodeKey + ?Sized>(&mut self, key: &K, value: &str) -> Result<()> {
        if value.len() > MAX_STRING_LEN {
            return Err(field_error(
                key.key_name(),
                format_args!("is a string of {} bytes, more than {MAX_STRING_LEN}", value.len()),
            ));
        }
        self.begin_field(key)?;
        escape_string_into(self.buf, value);
        Ok(())
    }

    /// Writes the timestamp, given in nanoseconds since the Unix epoch,
    /// converted to [`EncodeOptions::precision`] (truncated toward negative
    /// infinity). Outside the server's range ([`MIN_NANOS`]..=[`MAX_NANOS`])
    /// is an error.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::line_protocol::{EncodeOptions, Encoder};
    /// let opts = EncodeOptions { precision: influx::Precision::Milliseconds, ..Default::default() };
    /// let mut buf = Vec::new();
    /// let mut enc = Encoder::new(&mut buf, &opts);
    /// enc.measurement("m").unwrap();
    /// enc.field_bool("b", true).unwrap();
    /// enc.timestamp_nanos(-1).unwrap();
    /// assert_eq!(buf, b"m b=true -1");
    /// ```
    #[inline]
    pub fn timestamp_nanos(&mut self, nanos: i64) -> Result<()> {
        let per_unit = self.opts.precision.nanos_per_unit();
        // Constant divisors, so each arm compiles to a multiplication.
        let units = match self.opts.precision {
            Precision::Nanoseconds => nanos,
            Precision::Microseconds => nanos.div_euclid(1_000),
            Precision::Milliseconds => nanos.div_euclid(1_000_000),
            Precision::Seconds => nanos.div_euclid(1_000_000_000),
            Precision::Minutes => nanos.div_euclid(60_000_000_000),
            Precision::Hours => nanos.div_euclid(3_600_000_000_000),
        };
        if !(MIN_NANOS..=MAX_NANOS).contains(&nanos) || units.checked_mul(per_unit).is_none_or(|n| n < MIN_NANOS) {
            return Err(out_of_range(format_args!("{nanos} ns")));
        }
        self.buf.push(b' ');
        put(self.buf, itoa::Buffer::new().format(units).as_bytes());
        self.timestamped = true;
        Ok(())
    }
}

#[cold]
fn series_key_too_long(key_len: usize) -> Error {
    Error::new(ErrorKind::Encode, format!("series key is {key_len} bytes, more than the server's {MAX_KEY_LEN}"))
}

#[cold]
fn out_of_range(t: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Encode,
        format!("timestamp {t} is outside the server's range ({MIN_NANOS} to {MAX_NANOS} ns since the epoch)"),
    )
}

/// Encodes every point of `points` into `buf`, one line each, joined by `\n`
/// (no trailing newline; a `\n` is added first if `buf` holds a line that lacks one).
/// Returns how many points were written.
///
/// On error the buffer is truncated back to its length before the call and
/// the error names the index of the offending point; a point with no field
/// (for example all its `Option` fields are `None`) is an error.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{encode_batch, EncodeOptions, Point};
/// let mut buf = Vec::new();
/// let ok = [Point::new("m").field("v", 1_i64), Point::new("m").field("v", 2_i64)];
/// assert_eq!(encode_batch(&ok, &mut buf, &EncodeOptions::default()).unwrap(), 2);
/// assert_eq!(buf, b"m v=1i\nm v=2i");
///
/// let bad = [Point::new("m").field("v", 1_i64), Point::new("m").field("v", f64::NAN)];
/// let err = encode_batch(&bad, &mut buf, &EncodeOptions::default()).unwrap_err();
/// assert_eq!(err.to_string(), "point 1: field `v` is NaN, which line protocol cannot carry");
/// assert_eq!(buf, b"m v=1i\nm v=2i");
/// ```
pub fn encode_batch<I>(points: I, buf: &mut Vec<u8>, opts: &EncodeOptions) -> Result<usize>
where
    I: IntoIterator,
    I::Item: WritePoint,
{
    let start = buf.len();
    let mut n = 0;
    let mut need_newline = buf.last().is_some_and(|&b| b != b'\n');
    for (i, p) in points.into_iter().enumerate() {
        if need_newline {
            buf.push(b'\n');
        }
        // Every line ends without one (it is never empty: it holds a field).
        need_newline = true;
        if let Err(e) = encode_one(&p, buf, opts) {
            buf.truncate(start);
            return Err(e.context(format_args!("point {i}")));
        }
        n += 1;
    }
    Ok(n)
}

/// Encodes one point at the end of `buf`; a point that wrote no field is an error.
/// Returns whether the line carries a timestamp.
#[inline]
pub(crate) fn encode_one<P: WritePoint + ?Sized>(p: &P, buf: &mut Vec<u8>, opts: &EncodeOptions) -> Result<bool> {
    let mut enc = Encoder::new(buf, opts);
    p.write_point(&mut enc)?;
    if enc.fields == 0 {
        return Err(Error::new(ErrorKind::Encode, "point has no field (line protocol needs at least one)"));
    }
    Ok(enc.timestamped)
}

/// Encodes one point into a new `String` (no trailing newline).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::line_protocol::{to_line_protocol, EncodeOptions, Point};
/// let line = to_line_protocol(&Point::new("m").field("v", true), &EncodeOptions::default()).unwrap();
/// assert_eq!(line, "m v=true");
/// ```
pub fn to_line_protocol<P: WritePoint + ?Sized>(point: &P, opts: &EncodeOptions) -> Result<String> {
    let mut buf = Vec::new();
    encode_one(point, &mut buf, opts)?;
    // Everything written is either UTF-8 input or ASCII.
    Ok(String::from_utf8(buf).expect("line protocol is UTF-8"))
}

#[cfg(test)]
mod tests;
