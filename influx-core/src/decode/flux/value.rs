//! Annotated CSV datatypes and their exact text forms.

use std::fmt;

use base64::Engine as _;
use chrono::{DateTime, Utc};

/// The `#datatype` of an annotated CSV column.
///
/// `dateTime` columns (`dateTime:RFC3339`, `dateTime:RFC3339Nano`, `dateTime:number`, bare
/// `dateTime`) all read as [`FluxDataType::DateTime`]; the cell text tells the form.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::FluxDataType;
/// assert_eq!(FluxDataType::parse("dateTime:RFC3339Nano"), Some(FluxDataType::DateTime));
/// assert_eq!(FluxDataType::parse("unsignedLong"), Some(FluxDataType::UnsignedLong));
/// assert_eq!(FluxDataType::parse("decimal"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FluxDataType {
    /// `boolean`: `true` / `false`.
    Boolean,
    /// `long`: a signed 64-bit integer.
    Long,
    /// `unsignedLong`: an unsigned 64-bit integer.
    UnsignedLong,
    /// `double`: an IEEE-754 binary64 number, also `NaN`, `+Inf`, `-Inf`.
    Double,
    /// `string`: UTF-8 text.
    String,
    /// `base64Binary`: bytes, base64 (RFC 4648, standard alphabet, padded).
    Base64Binary,
    /// `dateTime`: an instant, as RFC3339 text (up to nanoseconds) or integer nanoseconds.
    DateTime,
    /// `duration`: a length of time, as integer nanoseconds or a duration literal (`1h2m3s`).
    Duration,
}

impl FluxDataType {
    /// The datatype named by a `#datatype` cell, if known.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::decode::FluxDataType::parse("long").is_some());
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "boolean" => Self::Boolean,
            "long" => Self::Long,
            "unsignedLong" => Self::UnsignedLong,
            "double" => Self::Double,
            "string" => Self::String,
            "base64Binary" => Self::Base64Binary,
            "duration" => Self::Duration,
            _ if name == "dateTime" || name.starts_with("dateTime:") => Self::DateTime,
            _ => return None,
        })
    }

    /// The annotation name (`dateTime` without a format).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxDataType::UnsignedLong.name(), "unsignedLong");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Self::Boolean => "boolean",
            Self::Long => "long",
            Self::UnsignedLong => "unsignedLong",
            Self::Double => "double",
            Self::String => "string",
            Self::Base64Binary => "base64Binary",
            Self::DateTime => "dateTime",
            Self::Duration => "duration",
        }
    }
}

impl fmt::Display for FluxDataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One cell of a Flux answer, typed by its column's `#datatype`.
///
/// An empty cell is [`FluxValue::Null`] unless the column has a `#default`. For `string`
/// columns the server writes a null and an empty string the same way (an empty cell), so
/// both read as `Null` here.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{FluxDataType, FluxValue};
/// let v = FluxValue::parse(FluxDataType::DateTime, b"1970-01-01T00:00:01.5Z").unwrap();
/// assert_eq!(v, FluxValue::Time(1_500_000_000));
/// assert_eq!(FluxValue::parse(FluxDataType::Double, b"-Inf").unwrap().as_f64(), Some(f64::NEG_INFINITY));
/// assert_eq!(FluxValue::parse(FluxDataType::Long, b"").unwrap(), FluxValue::Null);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FluxValue {
    /// An empty cell without a `#default`.
    Null,
    /// `boolean`.
    Bool(bool),
    /// `long`.
    Long(i64),
    /// `unsignedLong`.
    UnsignedLong(u64),
    /// `double`.
    Double(f64),
    /// `string`.
    String(String),
    /// `dateTime`: nanoseconds since the Unix epoch (exact; the server's range is i64 ns).
    Time(i64),
    /// `duration`: nanoseconds (negative durations exist in Flux).
    Duration(i64),
    /// `base64Binary`, decoded.
    Base64Binary(Vec<u8>),
}

impl FluxValue {
    /// Parses a cell's text as `ty`; an empty text is `Null`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::decode::{FluxDataType, FluxValue};
    /// assert_eq!(FluxValue::parse(FluxDataType::Duration, b"1m30s").unwrap(), FluxValue::Duration(90_000_000_000));
    /// assert_eq!(
    ///     FluxValue::parse(FluxDataType::Long, b"1.5").unwrap_err(),
    ///     "invalid long \"1.5\""
    /// );
    /// ```
    pub fn parse(ty: FluxDataType, text: &[u8]) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(Self::Null);
        }
        Ok(match ty {
            FluxDataType::Boolean => Self::Bool(parse_bool(text).ok_or_else(|| invalid(ty, text))?),
            FluxDataType::Long => Self::Long(parse_long(text).ok_or_else(|| invalid(ty, text))?),
            FluxDataType::UnsignedLong => Self::UnsignedLong(parse_unsigned(text).ok_or_else(|| invalid(ty, text))?),
            FluxDataType::Double => Self::Double(parse_double(text).ok_or_else(|| invalid(ty, text))?),
            FluxDataType::String => Self::String(utf8(text)?.to_owned()),
            FluxDataType::DateTime => Self::Time(parse_time(text)?),
            FluxDataType::Duration => Self::Duration(parse_duration(text)?),
            FluxDataType::Base64Binary => Self::Base64Binary(parse_base64(text)?),
        })
    }

    /// Whether the cell was empty (and had no default).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::decode::FluxValue::Null.is_null());
    /// ```
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value of a `boolean` cell.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxValue::Bool(true).as_bool(), Some(true));
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Self::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The value of a `long` cell.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxValue::Long(-3).as_i64(), Some(-3));
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Self::Long(v) => Some(v),
            _ => None,
        }
    }

    /// The value of an `unsignedLong` cell.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxValue::UnsignedLong(3).as_u64(), Some(3));
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Self::UnsignedLong(v) => Some(v),
            _ => None,
        }
    }

    /// The value of a `double` cell.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxValue::Double(0.5).as_f64(), Some(0.5));
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Self::Double(v) => Some(v),
            _ => None,
        }
    }

    /// The text of a `string` cell.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxValue::String("a".into()).as_str(), Some("a"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// A `dateTime` cell as nanoseconds since the Unix epoch.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxValue::Time(7).as_time_ns(), Some(7));
    /// ```
    pub fn as_time_ns(&self) -> Option<i64> {
        match *self {
            Self::Time(ns) => Some(ns),
            _ => None,
        }
    }

    /// A `dateTime` cell as a `DateTime<Utc>`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let t = influx::decode::FluxValue::Time(1_500_000_000).as_datetime().unwrap();
    /// assert_eq!(t.timestamp_subsec_millis(), 500);
    /// ```
    pub fn as_datetime(&self) -> Option<DateTime<Utc>> {
        self.as_time_ns().map(DateTime::from_timestamp_nanos)
    }

    /// A `duration` cell in nanoseconds.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxValue::Duration(-5).as_duration_ns(), Some(-5));
    /// ```
    pub fn as_duration_ns(&self) -> Option<i64> {
        match *self {
            Self::Duration(ns) => Some(ns),
            _ => None,
        }
    }

    /// The bytes of a `base64Binary` cell.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::decode::FluxValue::Base64Binary(vec![1]).as_bytes(), Some(&[1u8][..]));
    /// ```
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Self::Base64Binary(b) => Some(b),
            _ => None,
        }
    }
}

pub(crate) fn invalid(ty: FluxDataType, text: &[u8]) -> String {
    format!("invalid {ty} {:?}", Shown(text))
}

/// Cell text as shown in errors: quoted, cut after 40 characters.
pub(crate) struct Shown<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = String::from_utf8_lossy(self.0);
        match s.char_indices().nth(40) {
            Some((cut, _)) => write!(f, "{:?}...", &s[..cut]),
            None => write!(f, "{s:?}"),
        }
    }
}

pub(crate) fn utf8(text: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(text).map_err(|_| format!("invalid UTF-8 in {:?}", Shown(text)))
}

/// The forms Go's `strconv.ParseBool` (the server's own CSV reader) accepts.
pub(crate) fn parse_bool(text: &[u8]) -> Option<bool> {
    match text {
        b"true" | b"True" | b"TRUE" | b"t" | b"T" | b"1" => Some(true),
        b"false" | b"False" | b"FALSE" | b"f" | b"F" | b"0" => Some(false),
        _ => None,
    }
}

fn digits_u64(d: &[u8]) -> Option<u64> {
    if d.is_empty() {
        return None;
    }
    // Up to 19 digits cannot overflow: eight at a time, then one by one, unchecked.
    if d.len() <= 19 {
        let mut v: u64 = 0;
        let mut rest = d;
        while let Some((eight, tail)) = rest.split_first_chunk::<8>() {
            v = v * 100_000_000 + eight_digits(u64::from_le_bytes(*eight))?;
            rest = tail;
        }
        for &b in rest {
            let x = b.wrapping_sub(b'0');
            if x > 9 {
                return None;
            }
            v = v * 10 + u64::from(x);
        }
        return Some(v);
    }
    let mut v: u64 = 0;
    for &b in d {
        let x = b.wrapping_sub(b'0');
        if x > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(x))?;
    }
    Some(v)
}

/// The value of eight ASCII digits loaded little-endian (the first digit in the low byte),
/// or `None` if any byte is not a digit.
#[inline]
fn eight_digits(w: u64) -> Option<u64> {
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0xf0; 8]);
    const SIXES: u64 = u64::from_ne_bytes([0x06; 8]);
    // Every byte is 0x30..=0x39: its high nibble is 3, and adding 6 keeps it 3.
    if (w & HIGH) != ZEROS || ((w.wrapping_add(SIXES)) & HIGH) != ZEROS {
        return None;
    }
    let v = w - ZEROS;
    let v = (v * 10 + (v >> 8)) & 0x00ff_00ff_00ff_00ff;
    let v = (v * 100 + (v >> 16)) & 0x0000_ffff_0000_ffff;
    Some((v * 10_000 + (v >> 32)) & 0xffff_ffff)
}

pub(crate) fn parse_long(text: &[u8]) -> Option<i64> {
    match text.split_first() {
        Some((b'-', d)) => {
            let v = digits_u64(d)?;
            if v <= 1 << 63 {
                Some((v as i64).wrapping_neg())
            } else {
                None
            }
        }
        Some((b'+', d)) => i64::try_from(digits_u64(d)?).ok(),
        _ => i64::try_from(digits_u64(text)?).ok(),
    }
}

pub(crate) fn parse_unsigned(text: &[u8]) -> Option<u64> {
    match text.split_first() {
        Some((b'+', d)) => digits_u64(d),
        _ => digits_u64(text),
    }
}

/// Correctly rounded (std's parser), plus `NaN`, `+Inf`, `-Inf` as Go writes them.
pub(crate) fn parse_double(text: &[u8]) -> Option<f64> {
    std::str::from_utf8(text).ok()?.parse::<f64>().ok()
}

/// A `dateTime` cell: integer nanoseconds, or RFC3339 with up to 9 fraction digits (more
/// only when they are zeros) and a `Z` or `±hh:mm` offset; the instant must fit i64 ns.
pub(crate) fn parse_time(text: &[u8]) -> Result<i64, String> {
    if text.get(4) != Some(&b'-') {
        let digits = text.strip_prefix(b"-").unwrap_or(text);
        if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
            return parse_long(text).ok_or_else(|| format!("time {:?} is out of range", Shown(text)));
        }
    }
    rfc3339_ns(text).map_err(|why| format!("invalid dateTime {:?}: {why}", Shown(text)))
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn rfc3339_ns(t: &[u8]) -> Result<i64, &'static str> {
    const BAD: &str = "not RFC3339";
    let Some(head) = t.get(..19) else { return Err(BAD) };
    let Ok(p) = <&[u8; 19]>::try_from(head) else { return Err(BAD) };
    // `YYYY-MM-DDTHH:MM:SS`: digits where digits go, checked all at once.
    let mut bad = 0u8;
    for i in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] {
        bad |= u8::from(p[i].wrapping_sub(b'0') > 9);
    }
    if bad != 0 || p[4] != b'-' || p[7] != b'-' || (p[10] | 0x20) != b't' || p[13] != b':' || p[16] != b':' {
        return Err(BAD);
    }
    let n = |i: usize| i64::from(p[i] - b'0') * 10 + i64::from(p[i + 1] - b'0');
    let (y, mo, d, h, mi, s) = (n(0) * 100 + n(2), n(5), n(8), n(11), n(14), n(17));
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return Err("a date or time field is out of range");
    }
    let mut rest = &t[19..];
    let mut frac: i64 = 0;
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err("no digits after `.`");
        }
        let (ds, after) = tail.split_at(digits);
        if ds.len() > 9 && ds[9..].iter().any(|&c| c != b'0') {
            return Err("finer than nanoseconds");
        }
        for &c in ds.iter().take(9) {
            frac = frac * 10 + i64::from(c - b'0');
        }
        frac *=
            [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000][9 - digits.min(9)];
        rest = after;
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| match (a.wrapping_sub(b'0'), b.wrapping_sub(b'0')) {
                (a @ 0..=9, b @ 0..=9) => Ok(i64::from(a) * 10 + i64::from(b)),
                _ => Err(BAD),
            };
            let (oh, om) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if oh > 23 || om > 59 {
                return Err("the offset is out of range");
            }
            if *sign == b'-' {
                -(oh * 3600 + om * 60)
            } else {
                oh * 3600 + om * 60
            }
        }
        _ => return Err(BAD),
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset;
    // Near i64::MIN, `secs * 1e9` alone underflows while adding the fraction would fit.
    let (secs, frac) = if secs < 0 && frac > 0 { (secs + 1, frac - 1_000_000_000) } else { (secs, frac) };
    secs.checked_mul(1_000_000_000)
        .and_then(|ns| ns.checked_add(frac))
        .ok_or("outside the range of i64 nanoseconds (1677-09-21 to 2262-04-11)")
}

/// A `duration` cell: integer nanoseconds, or a Flux/Go duration literal of fixed-length units
/// (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`, `d`, `w`), optionally negative, with decimal
/// fractions only where they come out as whole nanoseconds (`1.5s`).
pub(crate) fn parse_duration(text: &[u8]) -> Result<i64, String> {
    let bad = |why: &str| format!("invalid duration {:?}: {why}", Shown(text));
    if let Some(v) = parse_long(text) {
        return Ok(v);
    }
    let (neg, mut rest) = match text.split_first() {
        Some((b'-', r)) => (true, r),
        Some((b'+', r)) => (false, r),
        _ => (false, text),
    };
    if rest.is_empty() {
        return Err(bad("no value"));
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (int, after) = rest.split_at(int_len);
        let (frac, after) = match after.split_first() {
            Some((b'.', f)) => {
                let n = f.iter().take_while(|b| b.is_ascii_digit()).count();
                f.split_at(n)
            }
            _ => (&b""[..], after),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(bad("a number is missing"));
        }
        let unit_len = after.iter().take_while(|b| !b.is_ascii_digit() && **b != b'.').count();
        let (unit, after) = after.split_at(unit_len);
        let per: i128 = match unit {
            b"ns" => 1,
            // `µs` (micro sign) and `μs` (Greek mu) in UTF-8.
            b"us" | [0xC2, 0xB5, b's'] | [0xCE, 0xBC, b's'] => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            b"d" => 86_400_000_000_000,
            b"w" => 604_800_000_000_000,
            b"mo" | b"y" => return Err(bad("months and years have no fixed length in nanoseconds")),
            b"" => return Err(bad("a unit is missing")),
            _ => return Err(bad("unknown unit")),
        };
        let mut v: i128 = 0;
        for &b in int {
            v = v.checked_mul(10).and_then(|v| v.checked_add(i128::from(b - b'0'))).ok_or_else(|| bad("too long"))?;
        }
        v = v.checked_mul(per).ok_or_else(|| bad("too long"))?;
        if !frac.is_empty() {
            let frac = frac.iter().rposition(|&b| b != b'0').map_or(&frac[..0], |p| &frac[..=p]);
            let mut num: i128 = 0;
            let mut den: i128 = 1;
            for &b in frac {
                num = num * 10 + i128::from(b - b'0');
                den = den.checked_mul(10).ok_or_else(|| bad("finer than nanoseconds"))?;
            }
            let scaled = num * per;
            if scaled % den != 0 {
                return Err(bad("finer than nanoseconds"));
            }
            v += scaled / den;
        }
        total = total.checked_add(v).ok_or_else(|| bad("too long"))?;
        if total > i128::from(i64::MAX) + 1 {
            return Err(bad("outside the range of i64 nanoseconds"));
        }
        rest = after;
    }
    let total = if neg { -total } else { total };
    i64::try_from(total).map_err(|_| bad("outside the range of i64 nanoseconds"))
}

pub(crate) fn parse_base64(text: &[u8]) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("invalid base64Binary {:?}: {e}", Shown(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_as_std_does_at_every_length_and_bad_byte() {
        let mut texts: Vec<String> =
            ["0", "+0", "-0", "18446744073709551615", "18446744073709551616", "-9223372036854775808"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        for len in 1..=21 {
            let all9 = "9".repeat(len);
            let mixed: String = (0..len).map(|i| char::from(b'0' + ((i * 7 + 3) % 10) as u8)).collect();
            for t in [all9, mixed] {
                texts.push(format!("-{t}"));
                texts.push(format!("+{t}"));
                // A non-digit at every position, including ones SWAR adding 6 could confuse.
                for pos in 0..t.len() {
                    for bad in [b'/', b':', b'?', b'@', b' ', 0xc3] {
                        let mut b = t.clone().into_bytes();
                        b[pos] = bad;
                        texts.push(String::from_utf8_lossy(&b).into_owned());
                    }
                }
                texts.push(t);
            }
        }
        for t in &texts {
            let std_u = t.strip_prefix('+').unwrap_or(t).parse::<u64>().ok().filter(|_| !t.starts_with("+-"));
            assert_eq!(parse_unsigned(t.as_bytes()), std_u, "{t:?}");
            let std_i = t.parse::<i64>().ok();
            assert_eq!(parse_long(t.as_bytes()), std_i, "{t:?}");
        }
    }

    #[test]
    fn times_are_exact_and_checked() {
        for (text, ns) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2023-01-01T00:52:00Z", 1_672_534_320_000_000_000),
            ("2023-01-31T05:41:24.001Z", 1_675_143_684_001_000_000),
            ("2020-02-18T10:34:08.135814545Z", 1_582_022_048_135_814_545),
            ("1969-12-31T23:59:59.999999999Z", -1),
            ("1970-01-01T01:00:00+01:00", 0),
            ("1970-01-01T00:00:00.5-00:30", 1_800_500_000_000),
            ("1677-09-21T00:12:43.145224192Z", i64::MIN),
            ("2262-04-11T23:47:16.854775807Z", i64::MAX),
            ("2000-02-29T00:00:00.123456789000Z", 951_782_400_123_456_789),
            ("12", 12),
            ("-12", -12),
        ] {
            assert_eq!(parse_time(text.as_bytes()), Ok(ns), "{text}");
            let v = FluxValue::parse(FluxDataType::DateTime, text.as_bytes()).unwrap();
            assert_eq!(v.as_datetime().map(|d| d.timestamp_nanos_opt()), Some(Some(ns)));
        }
        for text in [
            "2262-04-11T23:47:16.854775808Z",
            "1677-09-21T00:12:43.145224191Z",
            "2023-02-29T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T00:00:00",
            "2023-01-01T00:00:00.Z",
            "2023-01-01T00:00:00.0000000001Z",
            "2023-01-01 00:00:00Z",
            "2023-01-01T00:00:00+0100",
            "99999999999999999999",
            "",
        ] {
            assert!(parse_time(text.as_bytes()).is_err(), "{text}");
        }
        // chrono agrees on every accepted form.
        for text in ["2020-02-18T10:34:08.135814545Z", "1999-12-31T23:59:59.5+05:30", "2024-02-29T12:00:00-08:00"] {
            let c = DateTime::parse_from_rfc3339(text).unwrap().timestamp_nanos_opt().unwrap();
            assert_eq!(parse_time(text.as_bytes()).unwrap(), c);
        }
    }

    #[test]
    fn numbers_are_exact() {
        assert_eq!(parse_long(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_long(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_long(b"9223372036854775808"), None);
        assert_eq!(parse_long(b"-"), None);
        assert_eq!(parse_long(b"1.0"), None);
        assert_eq!(parse_unsigned(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_unsigned(b"18446744073709551616"), None);
        assert_eq!(parse_unsigned(b"-1"), None);
        assert!(parse_double(b"NaN").unwrap().is_nan());
        assert_eq!(parse_double(b"+Inf"), Some(f64::INFINITY));
        assert_eq!(parse_double(b"-Inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_double(b"-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(parse_double(b"0.1"), Some(0.1));
        assert_eq!(parse_double(b"abc"), None);
        assert_eq!(parse_bool(b"true"), Some(true));
        assert_eq!(parse_bool(b"yes"), None);
    }

    #[test]
    fn durations() {
        for (text, ns) in [
            ("0", 0),
            ("-5", -5),
            ("1ms", 1_000_000),
            ("2us", 2_000),
            ("3µs", 3_000),
            ("1h2m3s", 3_723_000_000_000),
            ("1.5s", 1_500_000_000),
            ("-1w2d", -(9 * 86_400_000_000_000)),
            ("1.000000001s", 1_000_000_001),
        ] {
            assert_eq!(parse_duration(text.as_bytes()), Ok(ns), "{text}");
        }
        for text in ["1mo", "1y", "1.5ns", "h", "1x", "", "-", "9999999999999999999h"] {
            assert!(parse_duration(text.as_bytes()).is_err(), "{text}");
        }
    }

    #[test]
    fn base64_is_strict() {
        assert_eq!(parse_base64(b"aGk="), Ok(b"hi".to_vec()));
        assert!(parse_base64(b"aGk").is_err());
        assert!(parse_base64(b"aGl=").is_err());
        assert!(parse_base64(b"a*k=").is_err());
    }
}
