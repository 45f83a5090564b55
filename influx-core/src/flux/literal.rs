//! Flux literal text, exactly as the Flux scanner (`scanner.rl`) delimits it and
//! `strconv.rs` decodes it.

use std::fmt::Write;

/// Appends `value` as a Flux string literal that the server reads back as exactly `value`.
///
/// Escapes `\` → `\\`, `"` → `\"`, newline → `\n`, carriage return → `\r`,
/// tab → `\t`, other ASCII control characters → `\xHH`, and `${` → `\${` (so
/// no interpolation can start). A `$` before a character that is itself
/// escaped (or before another `$`) is written `\x24`: the Flux scanner reads
/// `$` and the character after it as one pair, so a raw `$` before `\"`
/// would hide the escape and end the string early. Everything else, all of
/// Unicode included, is copied as is.
///
/// ```
/// # extern crate influx_core as influx;
/// let mut q = String::from("r.host == ");
/// influx::flux::quote_string_into(&mut q, r#"a"b\c ${x} $5"#);
/// assert_eq!(q, r#"r.host == "a\"b\\c \${x} $5""#);
/// ```
pub fn quote_string_into(out: &mut String, value: &str) {
    out.reserve(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' => match chars.peek() {
                Some('{') => {
                    chars.next();
                    out.push_str("\\${");
                }
                None => out.push('$'),
                Some(&next) if is_plain(next) => out.push('$'),
                Some(_) => out.push_str("\\x24"),
            },
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// True for a character [`quote_string_into`] copies unchanged and the scanner
/// may pair with a preceding `$` (`{` would open an interpolation).
fn is_plain(c: char) -> bool {
    !matches!(c, '"' | '\\' | '$' | '{') && !c.is_ascii_control()
}

/// `value` as a Flux string literal (see [`quote_string_into`]).
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(influx::flux::quote_string("tab\there"), r#""tab\there""#);
/// assert_eq!(influx::flux::quote_string("cost: $\"5\""), r#""cost: \x24\"5\"""#);
/// ```
pub fn quote_string(value: &str) -> String {
    let mut out = String::new();
    quote_string_into(&mut out, value);
    out
}

/// Appends `/pattern/` so that Flux compiles exactly `pattern`'s meaning; false
/// (nothing written) for a pattern ending in a lone backslash.
///
/// The scanner reads `\/` as `/` and otherwise passes backslash pairs through;
/// a regex ends at the first `/` that no backslash escapes, and the longest
/// such token wins. So: a bare `/` is written `\/`; pairs are copied; a
/// newline becomes RE2's `\n`; a final `\\` becomes `\x5c` (the same literal
/// backslash to RE2), because `\\/` could also be read as `\` plus an escaped
/// `/` and run on to a later `/` in the query; and the empty pattern is
/// `(?:)`, because `//` starts a comment.
pub(crate) fn regex_into(out: &mut String, pattern: &str) -> bool {
    let start = out.len();
    out.push('/');
    if pattern.is_empty() {
        out.push_str("(?:)");
    }
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\\' => match chars.next() {
                Some('\n') => out.push_str("\\n"),
                Some('\\') if chars.peek().is_none() => out.push_str("\\x5c"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => {
                    out.truncate(start);
                    return false;
                }
            },
            c => out.push(c),
        }
    }
    out.push('/');
    true
}

/// Appends a finite float as a Flux float literal: Flux has no exponent
/// notation, and an integral value needs its `.0` to stay a float.
pub(crate) fn float_into(out: &mut String, v: impl std::fmt::Display, integral: bool) {
    let _ = write!(out, "{v}");
    if integral {
        out.push_str(".0");
    }
}

/// Appends an integer; `i64::MIN` is `(-9223372036854775807 - 1)`, because the
/// literal `9223372036854775808` under a unary minus is out of range for the parser.
pub(crate) fn int_into(out: &mut String, v: i64) {
    if v == i64::MIN {
        out.push_str("(-9223372036854775807 - 1)");
    } else {
        out.push_str(itoa::Buffer::new().format(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_quote_backslash_controls_and_interpolation() {
        assert_eq!(quote_string(""), r#""""#);
        assert_eq!(quote_string("plain é ✓ 🦀 日本"), "\"plain é ✓ 🦀 日本\"");
        assert_eq!(quote_string(r#"a"b"#), r#""a\"b""#);
        assert_eq!(quote_string(r"a\b"), r#""a\\b""#);
        assert_eq!(quote_string("trailing\\"), r#""trailing\\""#);
        assert_eq!(quote_string("l1\nl2\r\tx"), r#""l1\nl2\r\tx""#);
        assert_eq!(quote_string("nul\0 bell\x07 esc\x1b del\x7f"), r#""nul\x00 bell\x07 esc\x1b del\x7f""#);
        assert_eq!(quote_string("${r.host}"), r#""\${r.host}""#);
        assert_eq!(quote_string("$"), r#""$""#);
        assert_eq!(quote_string("a$b $ $1"), r#""a$b $ $1""#);
        // A `$` before anything escaped, or before another `$`, is a byte escape.
        assert_eq!(quote_string(r#"$""#), r#""\x24\"""#);
        assert_eq!(quote_string(r"$\"), r#""\x24\\""#);
        assert_eq!(quote_string("$\n"), r#""\x24\n""#);
        assert_eq!(quote_string("$$"), r#""\x24$""#);
        assert_eq!(quote_string("$${"), r#""\x24\${""#);
        assert_eq!(quote_string("\u{2028}\u{85}\u{feff}"), "\"\u{2028}\u{85}\u{feff}\"");
    }

    #[test]
    fn regexes() {
        let re = |p: &str| {
            let mut s = String::new();
            regex_into(&mut s, p).then_some(s)
        };
        assert_eq!(re("^cpu[0-9]+$").unwrap(), "/^cpu[0-9]+$/");
        assert_eq!(re("a/b").unwrap(), r"/a\/b/");
        assert_eq!(re(r"a\/b").unwrap(), r"/a\/b/");
        assert_eq!(re(r"\d+\.\d").unwrap(), r"/\d+\.\d/");
        assert_eq!(re("").unwrap(), "/(?:)/");
        assert_eq!(re("a\nb").unwrap(), r"/a\nb/");
        assert_eq!(re(r"a\\").unwrap(), r"/a\x5c/");
        assert_eq!(re(r"a\\b").unwrap(), r"/a\\b/");
        assert_eq!(re(r"\\/").unwrap(), r"/\\\//");
        assert_eq!(re(r"a\"), None);
        let mut s = String::from("x");
        assert!(!regex_into(&mut s, r"\\\"));
        assert_eq!(s, "x", "nothing written on error");
    }

    #[test]
    fn numbers() {
        let mut s = String::new();
        int_into(&mut s, i64::MIN);
        s.push(' ');
        int_into(&mut s, i64::MAX);
        s.push(' ');
        float_into(&mut s, 2.0f64, true);
        assert_eq!(s, "(-9223372036854775807 - 1) 9223372036854775807 2.0");
    }
}
