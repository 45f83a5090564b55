//! The exact quoting rules of the 1.x parser (`influxql/parser.go` `QuoteIdent`,
//! `QuoteString`; `scanner.go` `ScanString`, `ScanRegex`).

/// Appends `name` as a double-quoted identifier: `\` → `\\`, `"` → `\"`, newline → `\n`.
///
/// Always quotes, so a keyword or a name with spaces, dots or quotes stays one identifier.
///
/// ```
/// # extern crate influx_core as influx;
/// let mut q = String::from("DROP MEASUREMENT ");
/// influx::influxql::quote_ident_into(&mut q, "x\" ; DROP DATABASE \"y");
/// assert_eq!(q, r#"DROP MEASUREMENT "x\" ; DROP DATABASE \"y""#);
/// ```
pub fn quote_ident_into(out: &mut String, name: &str) {
    quoted_into(out, name, '"');
}

/// `name` as a double-quoted identifier (see [`quote_ident_into`]).
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(influx::influxql::quote_ident("cpu load"), r#""cpu load""#);
/// assert_eq!(influx::influxql::quote_ident("a\\b\nc"), r#""a\\b\nc""#);
/// ```
pub fn quote_ident(name: &str) -> String {
    let mut out = String::new();
    quote_ident_into(&mut out, name);
    out
}

/// Appends a qualified name, each segment quoted on its own and joined by `.`:
/// `"db"."rp"."m"`, or `"db".."m"` for the database's default retention policy.
///
/// ```
/// # extern crate influx_core as influx;
/// let mut q = String::new();
/// influx::influxql::quote_qualified_into(&mut q, Some("db"), None, "m.x");
/// assert_eq!(q, r#""db".."m.x""#);
/// ```
pub fn quote_qualified_into(out: &mut String, database: Option<&str>, retention_policy: Option<&str>, name: &str) {
    match (database, retention_policy) {
        (Some(db), Some(rp)) => {
            quote_ident_into(out, db);
            out.push('.');
            quote_ident_into(out, rp);
            out.push('.');
        }
        (Some(db), None) => {
            quote_ident_into(out, db);
            out.push_str("..");
        }
        (None, Some(rp)) => {
            quote_ident_into(out, rp);
            out.push('.');
        }
        (None, None) => {}
    }
    quote_ident_into(out, name);
}

/// Appends `value` as a single-quoted string literal: `\` → `\\`, `'` → `\'`, newline → `\n`.
///
/// ```
/// # extern crate influx_core as influx;
/// let mut q = String::from("WHERE host = ");
/// influx::influxql::quote_string_into(&mut q, "x'; DROP DATABASE x; --");
/// assert_eq!(q, r"WHERE host = 'x\'; DROP DATABASE x; --'");
/// ```
pub fn quote_string_into(out: &mut String, value: &str) {
    quoted_into(out, value, '\'');
}

/// `value` as a single-quoted string literal (see [`quote_string_into`]).
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(influx::influxql::quote_string("it's\\"), r"'it\'s\\'");
/// ```
pub fn quote_string(value: &str) -> String {
    let mut out = String::new();
    quote_string_into(&mut out, value);
    out
}

/// Appends `value` as a string literal, or refuses it when it holds a
/// carriage return or NUL: the 1.x scanner reads CR as a newline (which ends a
/// string with an error) and NUL as the end of the query, and has no escape for
/// either. Such values can still go to the server as bound parameters.
pub(crate) fn string_literal_into(out: &mut String, value: &str) -> crate::Result<()> {
    if let Some(i) = value.find(['\r', '\0']) {
        let what = if value.as_bytes()[i] == b'\r' { "a carriage return" } else { "a NUL character" };
        return Err(crate::Error::new(
            crate::ErrorKind::Argument,
            format!(
                "a string holding {what} (byte {i}) cannot be written in InfluxQL text, which has no escape \
                 for it: bind it as a parameter (`Query::bind`) instead"
            ),
        ));
    }
    quote_string_into(out, value);
    Ok(())
}

/// Appends `s` between `quote`s, escaping `\`, newline and `quote` as the 1.x scanner reads them.
fn quoted_into(out: &mut String, s: &str, quote: char) {
    out.reserve(s.len() + 2);
    out.push(quote);
    let mut rest = s;
    while let Some(i) = rest.find(['\\', '\n', quote]) {
        out.push_str(&rest[..i]);
        match rest.as_bytes()[i] {
            b'\n' => out.push_str("\\n"),
            b => {
                out.push('\\');
                out.push(b as char);
            }
        }
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push(quote);
}

/// Appends `/pattern/` so that the server's regex engine receives `pattern`
/// with the same meaning.
///
/// The scanner turns `\/` into `/`, passes every other backslash pair through,
/// refuses a raw newline, reads a carriage return as a newline and NUL as the
/// end of the query. So a bare `/` is written `\/`, pairs are copied, newline,
/// carriage return and NUL (bare or escaped) become RE2's `\n`, `\r` and
/// `\x00`, and a trailing lone backslash (which would escape the closing
/// delimiter) is refused with `false`, writing nothing.
pub(crate) fn regex_into(out: &mut String, pattern: &str) -> bool {
    let start = out.len();
    out.push('/');
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '/' => out.push_str("\\/"),
            '\n' | '\r' | '\0' => out.push_str(re2_escape(c)),
            '\\' => match chars.next() {
                Some(c @ ('\n' | '\r' | '\0')) => out.push_str(re2_escape(c)),
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

/// RE2's escape for a character the InfluxQL scanner cannot carry raw.
fn re2_escape(c: char) -> &'static str {
    match c {
        '\n' => "\\n",
        '\r' => "\\r",
        _ => "\\x00",
    }
}

/// Escapes every RE2 metacharacter of `text` so that the regex matches it literally.
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(influx::influxql::escape_regex("a.b*(c)"), r"a\.b\*\(c\)");
/// ```
pub fn escape_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_escape_exactly_three_characters() {
        assert_eq!(quote_ident("plain"), "\"plain\"");
        assert_eq!(quote_ident(""), "\"\"");
        assert_eq!(quote_ident("a\"b"), r#""a\"b""#);
        assert_eq!(quote_ident("a\\"), r#""a\\""#);
        assert_eq!(quote_ident("a\nb"), r#""a\nb""#);
        assert_eq!(quote_ident("tab\there 'single' é ✓"), "\"tab\there 'single' é ✓\"");
        assert_eq!(quote_ident("x\" ; DROP MEASUREMENT \"y"), r#""x\" ; DROP MEASUREMENT \"y""#);
    }

    #[test]
    fn qualified_names_quote_each_segment() {
        let q = |db, rp, m| {
            let mut s = String::new();
            quote_qualified_into(&mut s, db, rp, m);
            s
        };
        assert_eq!(q(Some("db"), Some("rp"), "m"), r#""db"."rp"."m""#);
        assert_eq!(q(Some("db"), None, "m"), r#""db".."m""#);
        assert_eq!(q(None, Some("rp"), "m"), r#""rp"."m""#);
        assert_eq!(q(None, None, "db.rp.m"), r#""db.rp.m""#);
    }

    #[test]
    fn strings_escape_exactly_three_characters() {
        assert_eq!(quote_string(""), "''");
        assert_eq!(quote_string("it's"), r"'it\'s'");
        assert_eq!(quote_string("trailing\\"), r"'trailing\\'");
        assert_eq!(quote_string("\\'"), r"'\\\''");
        assert_eq!(quote_string("a\nb\r\t\"c\""), "'a\\nb\r\t\"c\"'");
        assert_eq!(quote_string("x'; DROP DATABASE x; --"), r"'x\'; DROP DATABASE x; --'");
        assert_eq!(quote_string("\u{2019}\u{ff07}"), "'\u{2019}\u{ff07}'");
    }

    #[test]
    fn strings_with_cr_or_nul_are_refused() {
        let mut s = String::from("x");
        for v in ["a\rb", "a\0b"] {
            let e = string_literal_into(&mut s, v).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Argument);
            assert!(e.to_string().contains("byte 1") && e.to_string().contains("Query::bind"), "{e}");
        }
        assert_eq!(s, "x", "nothing written on error");
        string_literal_into(&mut s, "a\tb\n").unwrap();
        assert_eq!(s, "x'a\tb\\n'");
    }

    #[test]
    fn regex_literals() {
        let mut s = String::new();
        assert!(regex_into(&mut s, r"^a/b\/c\.d$"));
        assert_eq!(s, r"/^a\/b\/c\.d$/");
        let mut s = String::new();
        assert!(regex_into(&mut s, "a\nb"));
        assert_eq!(s, r"/a\nb/");
        assert!(!regex_into(&mut String::new(), r"a\"));
        let mut s = String::new();
        assert!(regex_into(&mut s, r"a\\/ OR 1"));
        assert_eq!(s, r"/a\\\/ OR 1/");
        // CR and NUL, bare or escaped, become RE2 escapes the scanner passes through.
        let mut s = String::new();
        assert!(regex_into(&mut s, "^a\rb\\\r\0$"));
        assert_eq!(s, r"/^a\rb\r\x00$/");
        // The worked example of reliability.md §5.3: the text `\/` matched literally.
        let mut s = String::new();
        assert!(regex_into(&mut s, &escape_regex(r"\/")));
        assert_eq!(s, r"/\\\//");
    }
}
