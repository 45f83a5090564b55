//! Escaping and validation of the four kinds of text line protocol carries.
//!
//! InfluxDB 1.x reads a `,`, `=` or space as escaped when the byte *before* it
//! is a backslash, and unescapes by replacing `\,`, `\=` and `\ ` (tags, keys)
//! or `\,` and `\ ` (measurements); a backslash before anything else is kept
//! as it is. So backslashes are never doubled in names, and the only
//! unrepresentable shapes are a newline (it ends the line) and a trailing
//! backslash (it would escape the separator that follows).
//!
//! A backslash right before `,`, `=`, `"` or a space is rejected too: the
//! server's readers disagree about it (field keys are scanned by skipping the
//! byte after every backslash, measurements are unescaped twice on the way to
//! `SHOW MEASUREMENTS`), so such a name is refused or read back altered.
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
    BackslashBeforeSpecial,
}

impl Invalid {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Invalid::Empty => "is empty",
            Invalid::Newline => "contains a newline, which line protocol cannot carry",
            Invalid::TrailingBackslash => "ends with a backslash, which line protocol cannot carry",
            Invalid::Comment => "starts with `#`, which the server reads as a comment line",
            Invalid::Time => "is `time`, which the server reserves for the timestamp",
            Invalid::BackslashBeforeSpecial => {
                "has a backslash before `,`, `=`, `\"` or a space, which InfluxDB 1.x does not read back unchanged"
            }
        }
    }
}

/// Appends `s` escaped as `elem` to `buf`, or says why it cannot be written
/// (leaving `buf` possibly partly written: the caller truncates on error).
#[inline(always)]
pub(crate) fn escape_into(buf: &mut Vec<u8>, s: &str, elem: Element) -> Result<(), Invalid> {
    let bytes = s.as_bytes();
    match elem {
        Element::Measurement if bytes.first() == Some(&b'#') => return Err(Invalid::Comment),
        Element::TagKey | Element::FieldKey if s == "time" => return Err(Invalid::Time),
        _ if bytes.is_empty() => return Err(Invalid::Empty),
        _ => {}
    }
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
        escape_carefully(buf, bytes, table)
    }
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

/// [`escape_into`] for text holding a newline or a backslash.
#[inline(never)]
fn escape_carefully(buf: &mut Vec<u8>, bytes: &[u8], table: &[u8; 256]) -> Result<(), Invalid> {
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' => return Err(Invalid::Newline),
            b'\\' => match bytes.get(i + 1) {
                None => return Err(Invalid::TrailingBackslash),
                Some(b',' | b'=' | b' ' | b'"') => return Err(Invalid::BackslashBeforeSpecial),
                Some(_) => {}
            },
            _ => {}
        }
    }
    escape_with(buf, bytes, |b| table[b as usize] == ESC);
    Ok(())
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
    fn a_backslash_before_a_special_character_is_rejected_in_every_name() {
        for e in [Element::Measurement, Element::TagKey, Element::TagValue, Element::FieldKey] {
            for bad in [r"a\,b", r"a\ b", r"a\=b", r#"a\"b"#, r"a\\,b"] {
                assert_eq!(esc(bad, e), Err(Invalid::BackslashBeforeSpecial), "{e:?} {bad}");
            }
        }
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
