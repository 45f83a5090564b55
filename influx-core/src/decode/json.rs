//! The JSON reader behind every `/query` decode path: a serde `Deserializer` over the body's
//! bytes whose numbers are the exact values their text denotes.
//!
//! serde_json's default float parsing is off by one ULP on about a third of full-precision
//! floats; its exact mode (`float_roundtrip`) is a build-wide feature that would also slow down
//! every other user of serde_json in the program. Here a float with at most 19 significant digits
//! and a power of ten within ±22 is found exactly without big numbers (Clinger's fast path, or
//! `u128` arithmetic for wider mantissas), and std's `f64::from_str` (Eisel-Lemire, with a
//! big-decimal fallback) reads the rest. Integer text is `u64`/`i64` when it fits, and the
//! nearest f64 beyond (the server prints floats of 2^53 and more as integers: 2^60 arrives as
//! `1152921504606847000`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};

/// serde_json's nesting limit: deeper input is refused rather than overflowing the stack.
const MAX_DEPTH: u16 = 128;

/// Powers of ten that f64 holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// A JSON syntax error, or a value a visitor refused.
#[derive(Debug)]
pub(crate) struct JsonError(Box<str>);

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

impl de::Error for JsonError {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        JsonError(msg.to_string().into_boxed_str())
    }
}

type Result<T, E = JsonError> = std::result::Result<T, E>;

/// A number as its text denotes it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Number {
    U64(u64),
    I64(i64),
    F64(f64),
}

impl Number {
    #[inline]
    fn visit<'de, V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self {
            Number::U64(x) => v.visit_u64(x),
            Number::I64(x) => v.visit_i64(x),
            Number::F64(x) => v.visit_f64(x),
        }
    }
}

/// What a number's text was scanned into, before conversion.
struct Scanned {
    /// The significant digits, exact when `digits <= 19`.
    mantissa: u64,
    /// How many significant digits (leading zeros excluded).
    digits: u32,
    /// The power of ten the mantissa is scaled by (fraction digits and exponent).
    exp10: i64,
    negative: bool,
    /// A `.` or an exponent was present.
    float: bool,
}

/// A string borrowed from the input, or unescaped into the scratch buffer.
enum Str<'de, 's> {
    Borrowed(&'de str),
    Copied(&'s str),
}

/// 10^0 to 10^19, all that u64 holds.
const POW10_INT: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// 5^0 to 5^22.
const POW5: [u64; 23] = {
    let mut t = [1u64; 23];
    let mut i = 1;
    while i < 23 {
        t[i] = t[i - 1] * 5;
        i += 1;
    }
    t
};

/// The nearest f64 to `mantissa * 10^exp10` when it is found exactly without big numbers.
#[inline]
fn small_float(mantissa: u64, exp10: i64) -> Option<f64> {
    // Clinger's fast path: both operands exact, so the one rounding gives the nearest f64.
    if mantissa <= 1 << 53 && (-22..=22).contains(&exp10) {
        let m = mantissa as f64;
        return Some(if exp10 < 0 { m / POW10[(-exp10) as usize] } else { m * POW10[exp10 as usize] });
    }
    // Wider mantissas (the 17 digits of a full-precision float). `u128 as f64` rounds to
    // nearest, ties to even.
    match exp10 {
        // The product is exact in u128 (below 2^64 * 10^19 < 2^128).
        0..=19 => Some((u128::from(mantissa) * u128::from(POW10_INT[exp10 as usize])) as f64),
        // m / 10^k = (m * 2^64 / 5^k) * 2^-(64+k). The quotient has more than 64 significant
        // bits, so a nonzero remainder only has to be kept as a sticky low bit for the rounding
        // to 53 bits to be right; scaling by a power of two is then exact (the value is far
        // above the subnormals).
        -22..=-1 => {
            let k = (-exp10) as u32;
            let five = u128::from(POW5[k as usize]);
            let num = u128::from(mantissa) << 64;
            let q = num / five;
            let f = (q | u128::from(num != q * five)) as f64;
            Some(f * f64::from_bits(((1023 - 64 - i64::from(k)) as u64) << 52))
        }
        _ => None,
    }
}

/// Byte classes inside a string: plain (UTF-8 was checked up front), `"`, `\`, control character.
const PLAIN: u8 = 0;
const QUOTE: u8 = 1;
const ESCAPE: u8 = 2;
const CONTROL: u8 = 3;

static CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if i < 0x20 {
            CONTROL
        } else if i == b'"' as usize {
            QUOTE
        } else if i == b'\\' as usize {
            ESCAPE
        } else {
            PLAIN
        };
        i += 1;
    }
    t
};

/// Reads one JSON text from a byte slice.
pub(crate) struct Parser<'de> {
    /// The whole input, checked to be UTF-8 once so that strings are sliced without a check.
    text: &'de str,
    input: &'de [u8],
    pos: usize,
    scratch: String,
    depth: u16,
}

impl<'de> Parser<'de> {
    /// Fails if `input` is not UTF-8 (the server always sends UTF-8).
    pub(crate) fn new(input: &'de [u8]) -> Result<Self> {
        match std::str::from_utf8(input) {
            Ok(text) => Ok(Parser { text, input, pos: 0, scratch: String::new(), depth: 0 }),
            Err(e) => {
                let p = Parser { text: "", input, pos: e.valid_up_to(), scratch: String::new(), depth: 0 };
                Err(p.error("invalid UTF-8"))
            }
        }
    }

    /// Fails unless only whitespace is left.
    pub(crate) fn end(&mut self) -> Result<()> {
        match self.peek_ws() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    /// A syntax error at the current position, in serde_json's words and format.
    #[cold]
    #[inline(never)]
    fn error(&self, what: &str) -> JsonError {
        let before = &self.input[..self.pos.min(self.input.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = before.len() - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        JsonError(format!("{what} at line {line} column {column}").into_boxed_str())
    }

    /// The next byte that is not whitespace, not consumed.
    #[inline]
    fn peek_ws(&mut self) -> Option<u8> {
        loop {
            match self.input.get(self.pos) {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.pos += 1,
                Some(&b) => return Some(b),
                None => return None,
            }
        }
    }

    /// The next byte that is not whitespace, or an EOF error.
    #[inline]
    fn peek_value(&mut self) -> Result<u8> {
        match self.peek_ws() {
            Some(b) => Ok(b),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    fn expect_ident(&mut self, ident: &[u8]) -> Result<()> {
        if self.input[self.pos..].starts_with(ident) {
            self.pos += ident.len();
            Ok(())
        } else {
            Err(self.error("expected value"))
        }
    }

    fn enter(&mut self) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// Consumes the closing bracket of an array or object the visitor has read.
    fn leave(&mut self, close: u8) -> Result<()> {
        self.depth -= 1;
        match self.peek_ws() {
            Some(b) if b == close => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.error(if close == b']' { "trailing characters in array" } else { "expected `}`" })),
            None => {
                Err(self.error(if close == b']' { "EOF while parsing a list" } else { "EOF while parsing an object" }))
            }
        }
    }

    // ---- numbers ----

    /// Checks a number's syntax (RFC 8259) and collects its parts; `pos` ends after it.
    #[inline]
    fn scan_number(&mut self) -> Result<Scanned> {
        let s = self.input;
        let mut i = self.pos;
        let negative = s.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let mut mantissa = 0u64;
        let mut digits = 0u32;
        match s.get(i) {
            Some(b'0') => {
                i += 1;
                if let Some(b'0'..=b'9') = s.get(i) {
                    self.pos = i;
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(&d @ b'0'..=b'9') = s.get(i) {
                    mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                    digits += 1;
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
        }
        let mut exp10 = 0i64;
        let mut float = false;
        if s.get(i) == Some(&b'.') {
            float = true;
            i += 1;
            let start = i;
            while let Some(&d @ b'0'..=b'9') = s.get(i) {
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                // Leading zeros of `0.000123` are not significant.
                if digits > 0 || d != b'0' {
                    digits += 1;
                }
                exp10 -= 1;
                i += 1;
            }
            if i == start {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = s.get(i) {
            float = true;
            i += 1;
            let negative_exp = match s.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let start = i;
            let mut e = 0i64;
            while let Some(&d @ b'0'..=b'9') = s.get(i) {
                // Saturates far beyond any exponent an f64 has; the fallback parser does the same.
                e = (e * 10 + i64::from(d - b'0')).min(1 << 40);
                i += 1;
            }
            if i == start {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
            exp10 += if negative_exp { -e } else { e };
        }
        self.pos = i;
        Ok(Scanned { mantissa, digits, exp10, negative, float })
    }

    /// Reads a number: integers stay integers while they fit, everything else is the nearest f64.
    #[inline]
    fn parse_number(&mut self) -> Result<Number> {
        let start = self.pos;
        let n = self.scan_number()?;
        if n.digits <= 19 {
            if !n.float {
                return Ok(match (n.negative, n.mantissa) {
                    (false, m) => Number::U64(m),
                    // `-0` is a float: the server prints float -0 so.
                    (true, 0) => Number::F64(-0.0),
                    (true, m) if m <= 1 << 63 => Number::I64((m as i64).wrapping_neg()),
                    // Below i64::MIN: `as` rounds to nearest, ties to even, so this is the nearest f64.
                    (true, m) => Number::F64(-(m as f64)),
                });
            }
            if let Some(f) = small_float(n.mantissa, n.exp10) {
                return Ok(Number::F64(if n.negative { -f } else { f }));
            }
        }
        self.parse_number_slow(start, &n)
    }

    #[cold]
    #[inline(never)]
    fn parse_number_slow(&self, start: usize, n: &Scanned) -> Result<Number> {
        let text = self.text.get(start..self.pos).ok_or_else(|| self.error("invalid number"))?;
        if !n.float {
            if n.negative {
                if let Ok(v) = text.parse::<i64>() {
                    return Ok(Number::I64(v));
                }
            } else if let Ok(v) = text.parse::<u64>() {
                return Ok(Number::U64(v));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::F64(f)),
            _ => Err(self.error("number out of range")),
        }
    }

    // ---- strings ----

    /// Reads a string; `pos` is at its opening quote.
    #[inline]
    fn parse_str<'s>(&'s mut self) -> Result<Str<'de, 's>> {
        self.pos += 1;
        let start = self.pos;
        let s = self.input;
        loop {
            let Some(&b) = s.get(self.pos) else {
                return Err(self.error("EOF while parsing a string"));
            };
            match CLASS[b as usize] {
                PLAIN => self.pos += 1,
                QUOTE => {
                    let text: &'de str = self.text;
                    let v = text.get(start..self.pos).ok_or_else(|| self.error("invalid string"))?;
                    self.pos += 1;
                    return Ok(Str::Borrowed(v));
                }
                ESCAPE => return self.parse_str_escaped(start),
                _ => return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string")),
            }
        }
    }

    /// The rest of a string that has escapes, unescaped into the scratch buffer.
    #[cold]
    #[inline(never)]
    fn parse_str_escaped<'s>(&'s mut self, start: usize) -> Result<Str<'de, 's>> {
        let s = self.input;
        let text: &'de str = self.text;
        self.scratch.clear();
        let mut plain = start;
        loop {
            let Some(&b) = s.get(self.pos) else {
                return Err(self.error("EOF while parsing a string"));
            };
            match CLASS[b as usize] {
                PLAIN => self.pos += 1,
                QUOTE => {
                    self.scratch.push_str(text.get(plain..self.pos).ok_or_else(|| self.error("invalid string"))?);
                    self.pos += 1;
                    return Ok(Str::Copied(&self.scratch));
                }
                ESCAPE => {
                    self.scratch.push_str(text.get(plain..self.pos).ok_or_else(|| self.error("invalid string"))?);
                    self.pos += 1;
                    let Some(&e) = s.get(self.pos) else {
                        return Err(self.error("EOF while parsing a string"));
                    };
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\x08',
                        b'f' => '\x0c',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.parse_unicode_escape()?,
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("invalid escape"));
                        }
                    };
                    self.scratch.push(c);
                    plain = self.pos;
                }
                _ => return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u16> {
        let Some(h) = self.input.get(self.pos..self.pos + 4) else {
            self.pos = self.input.len();
            return Err(self.error("EOF while parsing a string"));
        };
        let mut v = 0u16;
        for &c in h {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(self.error("invalid escape")),
            };
            v = v * 16 + u16::from(d);
        }
        self.pos += 4;
        Ok(v)
    }

    /// `\uXXXX` (after the `u`), joining a surrogate pair.
    fn parse_unicode_escape(&mut self) -> Result<char> {
        let hi = self.hex4()?;
        let code = match hi {
            0xDC00..=0xDFFF => return Err(self.error("lone leading surrogate in hex escape")),
            0xD800..=0xDBFF => {
                if self.input.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error("unexpected end of hex escape"));
                }
                self.pos += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(lo) - 0xDC00)
            }
            _ => u32::from(hi),
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    // ---- skipping ----

    /// Checks and skips one value without converting it.
    fn skip_value(&mut self) -> Result<()> {
        match self.peek_value()? {
            b'n' => self.expect_ident(b"null"),
            b't' => self.expect_ident(b"true"),
            b'f' => self.expect_ident(b"false"),
            b'"' => self.parse_str().map(drop),
            b'-' | b'0'..=b'9' => self.scan_number().map(drop),
            b'[' => {
                self.enter()?;
                let mut first = true;
                while self.next_item(b']', &mut first)? {
                    self.skip_value()?;
                }
                self.leave(b']')
            }
            b'{' => {
                self.enter()?;
                let mut first = true;
                while self.next_item(b'}', &mut first)? {
                    self.skip_key()?;
                    self.skip_value()?;
                }
                self.leave(b'}')
            }
            _ => Err(self.error("expected value")),
        }
    }

    /// Before an element of an array or a key of an object: `false` at the closing bracket.
    #[inline]
    fn next_item(&mut self, close: u8, first: &mut bool) -> Result<bool> {
        match self.peek_ws() {
            Some(b) if b == close => Ok(false),
            Some(b',') if !*first => {
                self.pos += 1;
                match self.peek_ws() {
                    Some(b) if b == close => Err(self.error("trailing comma")),
                    _ => Ok(true),
                }
            }
            Some(_) if *first => {
                *first = false;
                Ok(true)
            }
            Some(_) => Err(self.error(if close == b']' { "expected `,` or `]`" } else { "expected `,` or `}`" })),
            None => {
                Err(self.error(if close == b']' { "EOF while parsing a list" } else { "EOF while parsing an object" }))
            }
        }
    }

    /// Skips an object key and its colon.
    fn skip_key(&mut self) -> Result<()> {
        if self.peek_ws() != Some(b'"') {
            return Err(self.error("key must be a string"));
        }
        self.parse_str()?;
        if self.peek_ws() != Some(b':') {
            return Err(self.error("expected `:`"));
        }
        self.pos += 1;
        Ok(())
    }
}

/// Walking objects and arrays without serde's generic visitors: what the `/query` body walker
/// (`body.rs`) uses, so that it is compiled once, not once per row type.
impl<'de> Parser<'de> {
    /// Reads an object: `f` gets each key with the parser at its value, and reads or skips it.
    pub(crate) fn object(&mut self, what: &str, mut f: impl FnMut(&mut Self, &str) -> Result<()>) -> Result<()> {
        if self.peek_value()? != b'{' {
            return Err(self.unexpected(what));
        }
        self.enter()?;
        let mut first = true;
        while self.next_item(b'}', &mut first)? {
            if self.peek_ws() != Some(b'"') {
                return Err(self.error("key must be a string"));
            }
            let key: Cow<'de, str> = match self.parse_str()? {
                Str::Borrowed(k) => Cow::Borrowed(k),
                Str::Copied(k) => Cow::Owned(k.to_owned()),
            };
            if self.peek_ws() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.pos += 1;
            f(self, &key)?;
        }
        self.leave(b'}')
    }

    /// Reads an array: `f` reads each element, with the parser at it.
    pub(crate) fn array(&mut self, what: &str, mut f: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        if self.peek_value()? != b'[' {
            return Err(self.unexpected(what));
        }
        self.enter()?;
        let mut first = true;
        while self.next_item(b']', &mut first)? {
            f(self)?;
        }
        self.leave(b']')
    }

    /// Skips one value.
    pub(crate) fn skip(&mut self) -> Result<()> {
        self.skip_value()
    }

    /// A value of the wrong type where `what` was expected, in serde's words.
    #[cold]
    fn unexpected(&mut self, what: &str) -> JsonError {
        let found = match self.peek_ws() {
            Some(b'"') => "a string",
            Some(b'-' | b'0'..=b'9') => "a number",
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            Some(b'[') => "a sequence",
            Some(b'{') => "a map",
            _ => "something else",
        };
        self.error(&format!("invalid type: {found}, expected {what}"))
    }
}

/// The token `RawJson` deserializes with: [`Parser`] answers it with the value's text.
const RAW_TOKEN: &str = "$influx::private::RawJson";

/// The text of one JSON value, kept to be parsed later.
pub(crate) struct RawJson<'de>(pub(crate) &'de [u8]);

impl<'de> de::Deserialize<'de> for RawJson<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawJson<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value read by influx's parser")
            }
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<RawJson<'de>, E> {
                Ok(RawJson(v))
            }
        }
        d.deserialize_newtype_struct(RAW_TOKEN, V)
    }
}

macro_rules! visit_str {
    ($s:expr, $v:expr) => {
        match $s {
            Str::Borrowed(s) => $v.visit_borrowed_str(s),
            Str::Copied(s) => $v.visit_str(s),
        }
    };
}

impl<'de> Deserializer<'de> for &mut Parser<'de> {
    type Error = JsonError;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_value()? {
            b'"' => visit_str!(self.parse_str()?, visitor),
            b'-' | b'0'..=b'9' => self.parse_number()?.visit(visitor),
            b'n' => {
                self.expect_ident(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.expect_ident(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.expect_ident(b"false")?;
                visitor.visit_bool(false)
            }
            b'[' => {
                self.enter()?;
                let v = visitor.visit_seq(Seq { p: &mut *self, first: true });
                // The visitor's error comes first; the bracket is checked only after a success.
                let v = v?;
                self.leave(b']')?;
                Ok(v)
            }
            b'{' => {
                self.enter()?;
                let v = visitor.visit_map(Map { p: &mut *self, first: true })?;
                self.leave(b'}')?;
                Ok(v)
            }
            _ => Err(self.error("expected value")),
        }
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.peek_value()? == b'n' {
            self.expect_ident(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        if name == RAW_TOKEN {
            self.peek_value()?;
            let start = self.pos;
            self.skip_value()?;
            return visitor.visit_borrowed_bytes(&self.input[start..self.pos]);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.peek_value()? {
            b'"' => match self.parse_str()? {
                Str::Borrowed(s) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s)),
                Str::Copied(s) => visitor.visit_enum(IntoDeserializer::<JsonError>::into_deserializer(s)),
            },
            b'{' => {
                self.enter()?;
                let v = visitor.visit_enum(Enum { p: &mut *self })?;
                self.leave(b'}')?;
                Ok(v)
            }
            _ => Err(self.error("expected a string or an object for an enum")),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.peek_value()? == b'"' {
            return match self.parse_str()? {
                Str::Borrowed(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
                Str::Copied(s) => visitor.visit_bytes(s.as_bytes()),
            };
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_value()?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct Seq<'a, 'de> {
    p: &'a mut Parser<'de>,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, 'de> {
    type Error = JsonError;
    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.p.next_item(b']', &mut self.first)? {
            seed.deserialize(&mut *self.p).map(Some)
        } else {
            Ok(None)
        }
    }
}

struct Map<'a, 'de> {
    p: &'a mut Parser<'de>,
    first: bool,
}

impl<'de> de::MapAccess<'de> for Map<'_, 'de> {
    type Error = JsonError;
    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.p.next_item(b'}', &mut self.first)? {
            return Ok(None);
        }
        if self.p.peek_ws() != Some(b'"') {
            return Err(self.p.error("key must be a string"));
        }
        seed.deserialize(Key { p: &mut *self.p }).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        if self.p.peek_ws() != Some(b':') {
            return Err(self.p.error("expected `:`"));
        }
        self.p.pos += 1;
        seed.deserialize(&mut *self.p)
    }
}

/// An object key (always a string); `pos` is at its opening quote.
struct Key<'a, 'de> {
    p: &'a mut Parser<'de>,
}

impl<'de> Deserializer<'de> for Key<'_, 'de> {
    type Error = JsonError;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visit_str!(self.p.parse_str()?, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.p.parse_str()? {
            Str::Borrowed(s) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s)),
            Str::Copied(s) => visitor.visit_enum(IntoDeserializer::<JsonError>::into_deserializer(s)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.p.parse_str()?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// An enum written as `{"Variant": value}`.
struct Enum<'a, 'de> {
    p: &'a mut Parser<'de>,
}

impl<'de> de::EnumAccess<'de> for Enum<'_, 'de> {
    type Error = JsonError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        if self.p.peek_ws() != Some(b'"') {
            return Err(self.p.error("key must be a string"));
        }
        let v = seed.deserialize(Key { p: &mut *self.p })?;
        if self.p.peek_ws() != Some(b':') {
            return Err(self.p.error("expected `:`"));
        }
        self.p.pos += 1;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for Enum<'_, 'de> {
    type Error = JsonError;
    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(&mut *self.p)
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut *self.p)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.p.deserialize_any(visitor)
    }
    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value> {
        self.p.deserialize_any(visitor)
    }
}

/// Parses one complete JSON text into `T` with [`Parser`].
pub(crate) fn from_slice<'de, T: de::Deserialize<'de>>(input: &'de [u8]) -> Result<T> {
    let mut p = Parser::new(input)?;
    let v = T::deserialize(&mut p)?;
    p.end()?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (splitmix64), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn number(text: &str) -> Result<Number> {
        let mut p = Parser::new(text.as_bytes())?;
        let n = p.parse_number()?;
        p.end()?;
        Ok(n)
    }

    fn f64_bits(text: &str) -> u64 {
        match number(text) {
            Ok(Number::F64(f)) => f.to_bits(),
            Ok(Number::U64(u)) => (u as f64).to_bits(),
            Ok(Number::I64(i)) => (i as f64).to_bits(),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    /// `x` as the server's JSON encoder (Go's) prints it: shortest digits, plain decimal in
    /// [1e-6, 1e21), else an exponent with a sign (`1e+21`, `1e-7`).
    fn go_json(x: f64) -> String {
        let a = x.abs();
        if a != 0.0 && !(1e-6..1e21).contains(&a) {
            let s = format!("{x:e}");
            let (m, e) = s.split_once('e').unwrap();
            if e.starts_with('-') {
                format!("{m}e{e}")
            } else {
                format!("{m}e+{e}")
            }
        } else {
            format!("{x}")
        }
    }

    fn random_finite(r: &mut Rng) -> f64 {
        loop {
            let x = f64::from_bits(r.next());
            if x.is_finite() {
                return x;
            }
        }
    }

    #[test]
    fn shortest_text_of_random_floats_reads_back_bit_for_bit() {
        let mut r = Rng(0x5EED);
        for i in 0..200_000 {
            let x = match i % 4 {
                0 => random_finite(&mut r),
                // Full-precision values of everyday magnitude.
                1 => (r.next() >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi(r.below(12) as i32 - 4),
                // Integral floats from 2^53 to 2^1023 (the server prints them as integer text).
                2 => ((r.next() >> 11) | 1 << 52) as f64 * 2f64.powi(r.below(972) as i32 + 1),
                // Subnormals.
                _ => f64::from_bits(r.next() & 0x800F_FFFF_FFFF_FFFF),
            };
            if !x.is_finite() {
                continue;
            }
            for text in [go_json(x), format!("{x}"), format!("{x:e}"), format!("{x:?}"), format!("{x:.25e}")] {
                assert_eq!(f64_bits(&text), x.to_bits(), "{text} should read as {x:e}");
            }
        }
    }

    #[test]
    fn random_decimal_text_reads_as_the_nearest_f64() {
        // std's parser is exact (Eisel-Lemire with a big-decimal fallback): the reference.
        let mut r = Rng(42);
        for _ in 0..200_000 {
            let mut text = String::new();
            if r.below(2) == 0 {
                text.push('-');
            }
            let int_digits = r.below(25) as usize;
            if int_digits == 0 {
                text.push('0');
            } else {
                text.push(char::from(b'1' + r.below(9) as u8));
                (1..int_digits).for_each(|_| text.push(char::from(b'0' + r.below(10) as u8)));
            }
            let frac_digits = r.below(25) as usize;
            if frac_digits > 0 {
                text.push('.');
                (0..frac_digits).for_each(|_| text.push(char::from(b'0' + r.below(10) as u8)));
            }
            if r.below(2) == 0 {
                text += &format!("e{}", r.below(660) as i64 - 340);
            }
            let want: f64 = text.parse().unwrap();
            match number(&text) {
                Ok(n) => {
                    let got = match n {
                        Number::F64(f) => f,
                        Number::U64(u) => u as f64,
                        Number::I64(i) => i as f64,
                    };
                    assert_eq!(got.to_bits(), want.to_bits(), "{text}");
                    if let Number::U64(u) = n {
                        assert_eq!(u.to_string(), text);
                    }
                    if let Number::I64(i) = n {
                        assert_eq!(i.to_string(), text);
                    }
                }
                Err(e) => {
                    assert!(want.is_infinite() && e.to_string().starts_with("number out of range"), "{text}: {e}")
                }
            }
        }
    }

    #[test]
    fn wide_mantissas_with_small_exponents_round_exactly() {
        let mut r = Rng(99);
        let mut cases: Vec<(u64, i64)> =
            (0..300_000).map(|_| (r.next() >> r.below(11), r.below(42) as i64 - 22)).collect();
        // Halfway cases: a 54-bit odd value times 2^j lies exactly between two f64s.
        for j in 0..6 {
            let m = ((r.next() >> 10) | 1 << 53 | 1) << j;
            cases.extend([(m, 0), (m - 1, 0), (m + 1, 0), (m * 5, -1), (m * 25, -2)]);
        }
        for (m, e) in cases {
            let text = format!("{m}e{e}");
            let want: f64 = text.parse().unwrap();
            if let Some(got) = small_float(m, e) {
                assert_eq!(got.to_bits(), want.to_bits(), "{text}");
            }
            assert_eq!(f64_bits(&text), want.to_bits(), "{text}");
        }
    }

    /// The client's read paths all go through this parser: `cargo test -p influx-core` builds
    /// serde_json without `float_roundtrip`, so a path that fell back to serde_json's own float
    /// parsing would fail here.
    #[test]
    fn every_decode_entry_reads_floats_exactly() {
        use crate::decode::{decode_rows, DecodeContext, QueryResponse, SerdeRow};
        let mut r = Rng(2024);
        let want: Vec<f64> = (0..20_000)
            .map(|i| match i % 3 {
                0 => random_finite(&mut r),
                1 => (r.next() >> 11) as f64 / (1u64 << 53) as f64 * 1e3,
                _ => ((r.next() >> 11) | 1 << 52) as f64 * 2f64.powi(r.below(971) as i32 + 1),
            })
            .collect();
        let rows: Vec<String> = want.iter().enumerate().map(|(i, x)| format!("[{i},{}]", go_json(*x))).collect();
        let values = rows.join(",");
        let body = format!(
            r#"{{"results":[{{"statement_id":0,"series":[{{"name":"f","columns":["time","v"],"values":[{values}]}}]}}]}}"#
        );
        let early =
            format!(r#"{{"results":[{{"series":[{{"values":[{values}],"columns":["time","v"],"name":"f"}}]}}]}}"#);
        let check = |path: &str, got: Vec<f64>| {
            assert_eq!(got.len(), want.len(), "{path}");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g.to_bits(), w.to_bits(), "{path}: {} read as {g:e}", go_json(*w));
            }
        };
        let ctx = DecodeContext::default();
        let b = body.as_bytes();
        check("tuple", decode_rows::<(i64, f64)>(b, &ctx).unwrap().into_iter().map(|r| r.1).collect());
        check(
            "values first",
            decode_rows::<(i64, f64)>(early.as_bytes(), &ctx).unwrap().into_iter().map(|r| r.1).collect(),
        );
        check(
            "option",
            decode_rows::<(i64, Option<f64>)>(b, &ctx).unwrap().into_iter().map(|r| r.1.unwrap()).collect(),
        );
        let v = decode_rows::<(i64, serde_json::Value)>(b, &ctx).unwrap();
        check("serde_json::Value", v.into_iter().map(|r| r.1.as_f64().unwrap()).collect());
        #[derive(serde::Deserialize)]
        struct Row {
            v: f64,
        }
        check("serde row", decode_rows::<SerdeRow<Row>>(b, &ctx).unwrap().into_iter().map(|r| r.0.v).collect());
        let raw = QueryResponse::from_json(b).unwrap();
        check("QueryResponse", raw.iter_points().map(|p| p.get("v").unwrap().as_f64().unwrap()).collect());
    }

    #[test]
    fn integers_stay_integers_while_they_fit() {
        assert_eq!(number("0").unwrap(), Number::U64(0));
        assert_eq!(number("18446744073709551615").unwrap(), Number::U64(u64::MAX));
        assert_eq!(number("-9223372036854775808").unwrap(), Number::I64(i64::MIN));
        assert_eq!(number("-1").unwrap(), Number::I64(-1));
        assert_eq!(number("18446744073709551616").unwrap(), Number::F64(2f64.powi(64)));
        assert_eq!(number("-9223372036854775809").unwrap(), Number::F64(-2f64.powi(63)));
        assert_eq!(number("-18446744073709551615").unwrap(), Number::F64(-2f64.powi(64)));
        assert_eq!(number("1e3").unwrap(), Number::F64(1000.0));
        let Ok(Number::F64(z)) = number("-0") else { panic!("-0 is a float") };
        assert_eq!(z.to_bits(), (-0.0f64).to_bits());
        let mut r = Rng(7);
        for _ in 0..10_000 {
            let u = r.next();
            assert_eq!(number(&u.to_string()).unwrap(), Number::U64(u));
            let i = -((u >> 1) as i64) - 1;
            assert_eq!(number(&i.to_string()).unwrap(), Number::I64(i));
            let big = u128::from(u) << r.below(64) | 1 << 64;
            assert_eq!(f64_bits(&big.to_string()), (big as f64).to_bits(), "{big}");
        }
        assert_eq!(f64_bits("0e999999999999999999"), 0);
        assert_eq!(f64_bits("1e-999999999999999999"), 0);
        assert!(number("1e999999999999999999").is_err());
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        for (text, msg) in [
            ("01", "invalid number at line 1 column 2"),
            ("1.", "invalid number at line 1 column 3"),
            ("-", "invalid number at line 1 column 2"),
            ("1e", "invalid number at line 1 column 3"),
            ("1e+", "invalid number at line 1 column 4"),
            (".5", "expected value at line 1 column 1"),
            ("+1", "expected value at line 1 column 1"),
            ("NaN", "expected value at line 1 column 1"),
            ("nul", "expected value at line 1 column 1"),
            ("[1,]", "trailing comma at line 1 column 4"),
            ("[1 2]", "expected `,` or `]` at line 1 column 4"),
            ("[1", "EOF while parsing a list at line 1 column 3"),
            ("{\"a\" 1}", "expected `:` at line 1 column 6"),
            ("{1:2}", "key must be a string at line 1 column 2"),
            ("\"a\\x\"", "invalid escape at line 1 column 4"),
            ("\"ab", "EOF while parsing a string at line 1 column 4"),
            ("\"a\nb\"", "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"),
            ("\"\\ud800\"", "unexpected end of hex escape at line 1 column 8"),
            ("\"\\udc00\"", "lone leading surrogate in hex escape at line 1 column 8"),
            ("[]\n x", "trailing characters at line 2 column 2"),
            ("", "EOF while parsing a value at line 1 column 1"),
        ] {
            let err = from_slice::<serde_json::Value>(text.as_bytes()).unwrap_err();
            assert_eq!(err.to_string(), msg, "{text:?}");
        }
        let err = from_slice::<serde_json::Value>(b"[\"\xff\"]").unwrap_err();
        assert_eq!(err.to_string(), "invalid UTF-8 at line 1 column 3");
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(from_slice::<serde_json::Value>(deep.as_bytes())
            .unwrap_err()
            .to_string()
            .starts_with("recursion limit"));
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(from_slice::<serde_json::Value>(deep.as_bytes()).is_ok());
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = r#" {"a": [1, -2, 0.5, -0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude80ü"],
            "b": {"c": {}, "d": []}, "e": 18446744073709551616, "f": "plain ünïcödé"} "#;
        let ours: serde_json::Value = from_slice(text.as_bytes()).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours["a"][7], "x\"\\/\u{8}\u{c}\n\r\té🚀ü");
        assert_eq!(ours["a"][3].as_f64().map(f64::to_bits), Some((-0.0f64).to_bits()));
    }

    #[test]
    fn serde_types_read_through_every_deserializer_method() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        enum Level {
            Info,
            Warn(u8),
            Err { code: i32 },
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct S {
            levels: Vec<Level>,
            opt: Option<u8>,
            none: Option<u8>,
            tuple: (i8, String, char),
            bytes: serde_bytes_like::Bytes,
            unit: (),
            #[serde(default)]
            missing: u8,
            small: f32,
        }
        mod serde_bytes_like {
            #[derive(Debug, PartialEq)]
            pub(super) struct Bytes(pub(super) Vec<u8>);
            impl<'de> serde::Deserialize<'de> for Bytes {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    struct V;
                    impl serde::de::Visitor<'_> for V {
                        type Value = Bytes;
                        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.write_str("bytes")
                        }
                        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                            Ok(Bytes(v.to_vec()))
                        }
                    }
                    d.deserialize_bytes(V)
                }
            }
        }
        let text = br#"{"levels":["Info",{"Warn":3},{"Err":{"code":-1}}],"opt":7,"none":null,
            "tuple":[-1,"t","c"],"bytes":"ab\n","unit":null,"ignored":[{"x":[1,"\u0041"]}],"small":0.5}"#;
        let s: S = from_slice(text).unwrap();
        assert_eq!(
            s,
            S {
                levels: vec![Level::Info, Level::Warn(3), Level::Err { code: -1 }],
                opt: Some(7),
                none: None,
                tuple: (-1, "t".into(), 'c'),
                bytes: serde_bytes_like::Bytes(b"ab\n".to_vec()),
                unit: (),
                missing: 0,
                small: 0.5,
            }
        );
        let err = from_slice::<(u8,)>(b"[1,2]").unwrap_err();
        assert_eq!(err.to_string(), "trailing characters in array at line 1 column 3");
        let err = from_slice::<u8>(b"\"x\"").unwrap_err();
        assert_eq!(err.to_string(), "invalid type: string \"x\", expected u8");
    }
}
