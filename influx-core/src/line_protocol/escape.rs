//! Escaping and validation of the four kinds of text line protocol carries.
//!
//! The rules were settled on a real InfluxDB 1.6.7 by `tests/byte_matrix.rs`,
//! which writes every byte 0x00-0x20 and 0x7F and backslash sequences at the
//! start, middle and end of every element and reads each back by every route.
//!
//! The server reads a `,`, `=` or space in a series key as escaped when the
//! byte *before* it is a backslash, and unescapes `\,`, `\=` and `\ ` in tags,
//! so backslashes are never doubled and a tag key or value may hold any text
//! but a newline or a trailing backslash (which would escape the separator
//! after it). Two elements are read differently:
//!
//! - measurements are unescaped once more when listed (`\,`, `\=`, `\ ` and
//!   `\"` lose their backslash), and a leading tab or NUL is stripped with the
//!   line's leading whitespace;
//! - field keys are scanned by skipping the byte after every backslash and
//!   unescape `\"` too, so a backslash before `"` is lost and an odd run of
//!   backslashes before `,`, `=` or a space ends the key early; a leading tab or
//!   NUL in the first field key is stripped as whitespace.
//!
//! Strings are the exception: there `\\` and `\"` are real escapes.

/// What a piece of text is, which decides how it is escaped and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Element {
    Measurement,
    TagKey,
    TagValue,
    FieldKey,
}

impl Element {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Element::Measurement => "measurement",
            Element::TagKey | Element::TagValue => "tag",
            Element::FieldKey => "field",
        }
    }
}

/// Escaped with a backslash in this element.
const ESC: u8 = 1;
/// A newline or a backslash: only these can make text unwritable, so text
/// holding one takes the careful path, byte by byte.
const CAREFUL: u8 = 2;

const fn flags(escaped: &[u8]) -> [u8; 256] {
    let mut t = [0; 256];
    let mut i = 0;
    while i < escaped.len() {
        t[escaped[i] as usize] = ESC;
        i += 1;
    }
    t[b'\n' as usize] = CAREFUL;
    t[b'\\' as usize] = CAREFUL;
    t
}

static MEASUREMENT: [u8; 256] = flags(b", ");
static TAG: [u8; 256] = flags(b",= ");

/// Why a name or tag value cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invalid {
    Empty,
    Newline,
    TrailingBackslash,
    Comment,
    Time,
    LeadingWhitespace,
    BackslashBeforeSpecial,
    BackslashBeforeQuote,
    OddBackslashes,
}

impl Invalid {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Invalid::Empty => "is empty",
            Invalid::Newline => "contains a newline, which line protocol cannot carry",
            Invalid::TrailingBackslash => "ends with a backslash, which line protocol cannot carry",
            Invalid::Comment => "starts with `#`, which the server reads as a comment line",
            Invalid::Time => "is `time`, which the server reserves for the timestamp",
            Invalid::LeadingWhitespace => "starts with a tab or a NUL byte, which the server strips",
            Invalid::BackslashBeforeSpecial => {
                "has a backslash before `,`, `=`, `\"` or a space, which the server drops when it lists measurements"
            }
            Invalid::BackslashBeforeQuote => "has a backslash before `\"`, which the server drops from field keys",
            Invalid::OddBackslashes => {
                "has an odd number of backslashes before `,`, `=` or a space, which ends a field key early on the server"
            }
        }
    }
}

/// Appends `s` escaped as `elem` to `buf`, or says why it cannot be written
/// (leaving `buf` possibly partly written: the caller truncates on error).
#[inline(always)]
pub(crate) fn escape_into(buf: &mut Vec<u8>, s: &str, elem: Element) -> Result<(), Invalid> {
    let bytes = s.as_bytes();
    check_start(bytes, elem, true)?;
    let table = if elem == Element::Measurement { &MEASUREMENT } else { &TAG };
    // One pass without a branch per byte tells which of three paths applies;
    // most text needs no escape at all and is copied in one go.
    let seen = bytes.iter().fold(0, |seen, &b| seen | table[b as usize]);
    if seen == 0 {
        super::copy::put(buf, bytes);
        Ok(())
    } else if seen == ESC {
        escape_with(buf, bytes, |b| table[b as usize] == ESC);
        Ok(())
    } else {
        check_carefully(bytes, elem)?;
        escape_with(buf, bytes, |b| table[b as usize] == ESC);
        Ok(())
    }
}

/// Whether `bytes` (unescaped) can be written as `elem`, by the same rules as
/// [`escape_into`]. `first` says whether the name may be the first thing of
/// its part of the line (the measurement, or the first field key), where the
/// server strips a leading tab or NUL; the encoder cannot know, so it assumes so.
pub(crate) fn check(bytes: &[u8], elem: Element, first: bool) -> Result<(), Invalid> {
    check_start(bytes, elem, first)?;
    if bytes.iter().any(|&b| b == b'\n' || b == b'\\') {
        check_carefully(bytes, elem)?;
    }
    Ok(())
}

/// The rules about a whole name or its first byte.
#[inline(always)]
fn check_start(bytes: &[u8], elem: Element, stripped: bool) -> Result<(), Invalid> {
    let Some(&first) = bytes.first() else { return Err(Invalid::Empty) };
    match elem {
        Element::Measurement if first == b'#' => Err(Invalid::Comment),
        // Skipped as whitespace before the measurement and before the first field.
        Element::Measurement | Element::FieldKey if stripped && (first == b'\t' || first == 0) => {
            Err(Invalid::LeadingWhitespace)
        }
        Element::TagKey | Element::FieldKey if bytes == b"time" => Err(Invalid::Time),
        _ => Ok(()),
    }
}

/// The rules about newlines and backslashes, for text holding either.
#[inline(never)]
fn check_carefully(bytes: &[u8], elem: Element) -> Result<(), Invalid> {
    // How many backslashes come right before the current byte.
    let mut run = 0_usize;
    for &b in bytes {
        match b {
            // The server's line splitter skips the byte after each backslash.
            b'\n' if run % 2 == 0 => return Err(Invalid::Newline),
            b'\\' => {
                run += 1;
                continue;
            }
            _ if run == 0 => continue,
            _ => {}
        }
        match (elem, b) {
            (Element::Measurement, b',' | b'=' | b' ' | b'"') => return Err(Invalid::BackslashBeforeSpecial),
            (Element::FieldKey, b'"') => return Err(Invalid::BackslashBeforeQuote),
            (Element::FieldKey, b',' | b'=' | b' ') if run % 2 == 1 => return Err(Invalid::OddBackslashes),
            _ => {}
        }
        run = 0;
    }
    if run > 0 {
        return Err(Invalid::TrailingBackslash);
    }
    Ok(())
}

/// `raw` (a name as a line carries it) unescaped as the server reads `elem`:
/// `\,`, `\=` and `\ `, and also `\"` in measurements and field keys.
pub(crate) fn unescape(raw: &[u8], elem: Element) -> std::borrow::Cow<'_, [u8]> {
    if !raw.contains(&b'\\') {
        return std::borrow::Cow::Borrowed(raw);
    }
    let quote = matches!(elem, Element::Measurement | Element::FieldKey);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match (raw[i], raw.get(i + 1)) {
            (b'\\', Some(&c)) if matches!(c, b',' | b'=' | b' ') || (quote && c == b'"') => {
                out.push(c);
                i += 2;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Appends `bytes` with a backslash before each byte `escaped` picks.
#[inline(never)]
fn escape_with(buf: &mut Vec<u8>, bytes: &[u8], escaped: impl Fn(u8) -> bool) {
    // Byte by byte into reserved room: for short text, cheaper than a copy call per unescaped run.
    buf.reserve(bytes.len() * 2);
    for &b in bytes {
        if escaped(b) {
            buf.push(b'\\');
        }
        buf.push(b);
    }
}

/// Appends `s` as a quoted string field value, escaping `"` and `\`.
#[inline(always)]
pub(crate) fn escape_string_into(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    // Compares folded without a branch per byte (vectorized for long strings).
    if bytes.iter().fold(false, |seen, &b| seen | (b == b'"') | (b == b'\\')) {
        escape_with(buf, bytes, |b| b == b'"' || b == b'\\');
    } else {
        super::copy::put(buf, bytes);
    }
    buf.push(b'"');
}

/// `s` escaped as `elem`, for keys escaped once and written many times.
pub(crate) fn escape(s: &str, elem: Element) -> Result<String, Invalid> {
    let mut buf = Vec::with_capacity(s.len());
    escape_into(&mut buf, s, elem)?;
    // Escaping only inserts ASCII backslashes before ASCII bytes.
    Ok(String::from_utf8(buf).expect("escaping keeps UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str, e: Element) -> Result<String, Invalid> {
        escape(s, e)
    }

    fn string(s: &str) -> String {
        let mut b = Vec::new();
        escape_string_into(&mut b, s);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn measurement_escapes_comma_and_space_only() {
        assert_eq!(esc("cpu load,x", Element::Measurement).unwrap(), r"cpu\ load\,x");
        assert_eq!(esc("a=b", Element::Measurement).unwrap(), "a=b");
        assert_eq!(esc(r#"q"uote"#, Element::Measurement).unwrap(), r#"q"uote"#);
    }

    #[test]
    fn tags_and_field_keys_escape_comma_equals_space() {
        for e in [Element::TagKey, Element::TagValue, Element::FieldKey] {
            assert_eq!(esc("a b,c=d", e).unwrap(), r"a\ b\,c\=d");
            assert_eq!(esc(r#"say "hi""#, e).unwrap(), r#"say\ "hi""#);
        }
    }

    #[test]
    fn backslashes_are_never_doubled_in_names() {
        // 1.x unescapes only `\,` `\=` `\ `, so `a\b` is written and read back as is.
        assert_eq!(esc(r"a\b", Element::TagValue).unwrap(), r"a\b");
        assert_eq!(esc(r"a\\b", Element::FieldKey).unwrap(), r"a\\b");
        assert_eq!(esc(r"a\b c", Element::Measurement).unwrap(), r"a\b\ c");
    }

    #[test]
    fn tags_hold_a_backslash_before_anything() {
        // The server unescapes `\,` `\=` `\ ` once and lists tags as stored.
        for e in [Element::TagKey, Element::TagValue] {
            assert_eq!(esc(r"a\,b", e).unwrap(), r"a\\,b");
            assert_eq!(esc(r"a\ b", e).unwrap(), r"a\\ b");
            assert_eq!(esc(r"a\=b", e).unwrap(), r"a\\=b");
            assert_eq!(esc(r#"a\"b"#, e).unwrap(), r#"a\"b"#);
            assert_eq!(esc(r"a\\,b", e).unwrap(), r"a\\\,b");
        }
    }

    #[test]
    fn measurements_refuse_a_backslash_before_a_special_character() {
        // Listed measurements are unescaped a second time.
        for bad in [r"a\,b", r"a\ b", r"a\=b", r#"a\"b"#, r"a\\,b", r"\,a"] {
            assert_eq!(esc(bad, Element::Measurement), Err(Invalid::BackslashBeforeSpecial), "{bad}");
        }
        assert_eq!(esc(r"a\#b\'c\\d", Element::Measurement).unwrap(), r"a\#b\'c\\d");
    }

    #[test]
    fn field_keys_refuse_a_backslash_before_a_quote_and_odd_runs_before_a_separator() {
        for bad in [r#"a\"b"#, r#"a\\"b"#, r#"a\\\"b"#] {
            assert_eq!(esc(bad, Element::FieldKey), Err(Invalid::BackslashBeforeQuote), "{bad}");
        }
        for bad in [r"a\,b", r"a\=b", r"a\ b", r"a\\\,b", r"\ a"] {
            assert_eq!(esc(bad, Element::FieldKey), Err(Invalid::OddBackslashes), "{bad}");
        }
        // The server skips the byte after each backslash: an even run leaves the separator escaped.
        assert_eq!(esc(r"a\\,b", Element::FieldKey).unwrap(), r"a\\\,b");
        assert_eq!(esc(r"a\\\\ b", Element::FieldKey).unwrap(), r"a\\\\\ b");
        assert_eq!(esc(r"a\'b", Element::FieldKey).unwrap(), r"a\'b");
    }

    #[test]
    fn a_leading_tab_or_nul_is_refused_where_the_server_strips_it() {
        for s in ["\tm", "\0m"] {
            assert_eq!(esc(s, Element::Measurement), Err(Invalid::LeadingWhitespace));
            assert_eq!(esc(s, Element::FieldKey), Err(Invalid::LeadingWhitespace));
            assert_eq!(check(s.as_bytes(), Element::FieldKey, false), Ok(()), "kept after the first field");
            assert_eq!(esc(s, Element::TagKey).unwrap(), s);
            assert_eq!(esc(s, Element::TagValue).unwrap(), s);
        }
        // A leading space is escaped, and other bytes are kept.
        assert_eq!(esc(" m", Element::Measurement).unwrap(), r"\ m");
        assert_eq!(esc(" k", Element::FieldKey).unwrap(), r"\ k");
        assert_eq!(esc("\rm\x0b\x7f", Element::Measurement).unwrap(), "\rm\x0b\x7f");
        assert_eq!(esc("m\t\0", Element::Measurement).unwrap(), "m\t\0");
    }

    #[test]
    fn a_newline_is_carried_only_after_an_odd_run_of_backslashes() {
        // The server's line splitter skips the byte after each backslash.
        for e in [Element::Measurement, Element::TagKey, Element::TagValue, Element::FieldKey] {
            assert_eq!(esc("a\\\nb", e).unwrap(), "a\\\nb", "{e:?}");
            assert_eq!(esc("a\\\\\\\n", e).unwrap(), "a\\\\\\\n", "{e:?}");
            assert_eq!(esc("a\\\\\nb", e), Err(Invalid::Newline), "{e:?}");
            assert_eq!(esc("\na", e), Err(Invalid::Newline), "{e:?}");
        }
    }

    #[test]
    fn unescape_reads_names_as_the_server_does() {
        let u = |s: &str, e| String::from_utf8(unescape(s.as_bytes(), e).into_owned()).unwrap();
        assert_eq!(u(r#"a\,b\=c\ d\"e\\f"#, Element::TagKey), r#"a,b=c d\"e\\f"#);
        assert_eq!(u(r#"a\,b\=c\ d\"e\\f"#, Element::FieldKey), r#"a,b=c d"e\\f"#);
        assert_eq!(u(r#"a\"b"#, Element::Measurement), r#"a"b"#);
        assert_eq!(u(r"a\\\,b", Element::TagValue), r"a\\,b");
        assert_eq!(u("plain", Element::TagValue), "plain");
    }

    #[test]
    fn unicode_and_emoji_pass_through() {
        assert_eq!(esc("héllo wörld 🚀", Element::TagValue).unwrap(), r"héllo\ wörld\ 🚀");
    }

    #[test]
    fn tab_and_carriage_return_pass_through() {
        assert_eq!(esc("a\tb\rc", Element::TagValue).unwrap(), "a\tb\rc");
    }

    #[test]
    fn rejects_what_line_protocol_cannot_carry() {
        assert_eq!(esc("", Element::TagKey), Err(Invalid::Empty));
        assert_eq!(esc("a\nb", Element::TagValue), Err(Invalid::Newline));
        assert_eq!(esc("a\nb", Element::Measurement), Err(Invalid::Newline));
        assert_eq!(esc(r"a\", Element::TagValue), Err(Invalid::TrailingBackslash));
        assert_eq!(esc(r"a\", Element::Measurement), Err(Invalid::TrailingBackslash));
        assert_eq!(esc(r"a\", Element::FieldKey), Err(Invalid::TrailingBackslash));
        assert_eq!(esc("#cpu", Element::Measurement), Err(Invalid::Comment));
        assert_eq!(esc("time", Element::TagKey), Err(Invalid::Time));
        assert_eq!(esc("time", Element::FieldKey), Err(Invalid::Time));
        // Only keys are reserved: a measurement or tag value may be `time`, and `#` is fine inside.
        assert_eq!(esc("time", Element::Measurement).unwrap(), "time");
        assert_eq!(esc("time", Element::TagValue).unwrap(), "time");
        assert_eq!(esc("a#b", Element::Measurement).unwrap(), "a#b");
        assert_eq!(esc("#", Element::TagValue).unwrap(), "#");
    }

    #[test]
    fn strings_escape_quote_and_backslash_and_keep_newlines() {
        assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string("line1\nline2"), "\"line1\nline2\"");
        assert_eq!(string(""), r#""""#);
        assert_eq!(string(r"trailing\"), r#""trailing\\""#);
        assert_eq!(string("a, b=c"), r#""a, b=c""#);
    }
}
