//! Which Rust types may stand in which position of a query.
//!
//! `query_pattern!` decides a placeholder's position from the InfluxQL grammar
//! and requires the matching trait of the parameter's type. Each trait renders
//! its value the one safe way for that position (reliability.md §5).

use super::{Duration, Ident, Measurement, Regex};
use crate::{Error, ErrorKind, Result};

fn arg_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Argument, message)
}

/// A literal in an expression: strings, integers, finite floats, booleans,
/// times and durations.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::QueryValue;
/// let mut q = String::new();
/// "it's".write_value(&mut q).unwrap();
/// q.push(' ');
/// 42u32.write_value(&mut q).unwrap();
/// assert_eq!(q, r"'it\'s' 42");
/// assert!(f64::NAN.write_value(&mut q).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a value in an InfluxQL query",
    label = "this parameter fills a value position",
    note = "values are strings, integers, finite floats, booleans, `chrono::DateTime<Utc>` and `influx::influxql::Duration`; names go in identifier positions"
)]
pub trait QueryValue {
    /// Appends the value as an InfluxQL literal.
    fn write_value(&self, out: &mut String) -> Result<()>;
}

/// A string literal only (a password, a `tz()` name).
///
/// A carriage return or NUL is refused (`ErrorKind::Argument`): InfluxQL
/// text cannot carry them (bind such values with `Query::bind`).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::QueryString;
/// let mut q = String::new();
/// "p'w".write_string(&mut q).unwrap();
/// assert_eq!(q, r"'p\'w'");
/// assert!("a\rb".write_string(&mut q).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a string literal in an InfluxQL query",
    label = "this parameter fills a string position",
    note = "use `&str` or `String`"
)]
pub trait QueryString {
    /// Appends the value as a single-quoted string.
    fn write_string(&self, out: &mut String) -> Result<()>;
}

/// One identifier (database, retention policy, field, tag key, user).
///
/// Implemented by [`Ident`], not by strings: a plain string can never land in
/// identifier position.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::{Ident, QueryIdent};
/// let mut q = String::new();
/// Ident::new("my db").write_ident(&mut q);
/// assert_eq!(q, r#""my db""#);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot stand where InfluxQL expects a name",
    label = "this parameter fills an identifier position",
    note = "wrap names in `influx::Ident` (`Ident::new(name)`): it is always double-quoted and escaped"
)]
pub trait QueryIdent {
    /// Appends the name double-quoted and escaped.
    fn write_ident(&self, out: &mut String);
}

/// A FROM source: an [`Ident`], a qualified [`Measurement`] or a [`Regex`].
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::{Measurement, QuerySource};
/// let mut q = String::new();
/// Measurement::new("cpu").database("db").write_source(&mut q).unwrap();
/// assert_eq!(q, r#""db".."cpu""#);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot stand where InfluxQL expects a measurement",
    label = "this parameter fills a FROM position",
    note = "use `influx::Ident`, `influx::influxql::Measurement` (for `\"db\".\"rp\".\"m\"`) or `influx::influxql::Regex`"
)]
pub trait QuerySource {
    /// Appends the source.
    fn write_source(&self, out: &mut String) -> Result<()>;
}

/// A non-negative integer: `LIMIT {n}`, `REPLICATION {n}`, or a count glued to a unit, `{days}d`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::QueryInteger;
/// let mut q = String::new();
/// 7u8.write_integer(&mut q).unwrap();
/// assert_eq!(q, "7");
/// assert!((-1i32).write_integer(&mut q).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a count in an InfluxQL query",
    label = "this parameter fills an integer position (LIMIT, REPLICATION, or a number glued to a duration unit like `{{days}}d`)",
    note = "use an integer type such as `u32` or `u64`"
)]
pub trait QueryInteger {
    /// Appends the integer; negative values and values beyond `i64::MAX` are errors.
    fn write_integer(&self, out: &mut String) -> Result<()>;
}

/// A duration literal: `DURATION {d}`, `GROUP BY time({interval})`, `RESAMPLE EVERY {d}`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::{Duration, QueryDuration};
/// let mut q = String::new();
/// Duration::from_mins(90).write_duration(&mut q);
/// assert_eq!(q, "90m");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a duration in an InfluxQL query",
    label = "this parameter fills a duration position",
    note = "use `influx::influxql::Duration` or `std::time::Duration`, or glue an integer to a unit in the template: `{{n}}h`"
)]
pub trait QueryDuration {
    /// Appends the duration literal.
    fn write_duration(&self, out: &mut String);
}

/// A regex literal after `=~` / `!~`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::{QueryRegex, Regex};
/// let mut q = String::new();
/// Regex::new("^a/b$").write_regex(&mut q).unwrap();
/// assert_eq!(q, r"/^a\/b$/");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a regex in an InfluxQL query",
    label = "this parameter follows `=~` or `!~`",
    note = "use `influx::influxql::Regex` (`Regex::new(pattern)`, or `Regex::exact(text)` to match text literally)"
)]
pub trait QueryRegex {
    /// Appends `/.../`.
    fn write_regex(&self, out: &mut String) -> Result<()>;
}

macro_rules! forward_ref {
    ($($tr:ident :: $m:ident -> $ret:ty),*) => {$(
        impl<T: $tr + ?Sized> $tr for &T {
            fn $m(&self, out: &mut String) -> $ret {
                (**self).$m(out)
            }
        }
    )*};
}
// Only value and string positions take references (`&str`); names, counts and
// durations are small `Copy` types, which keeps "expected `Ident`" errors about `&str` itself.
forward_ref!(QueryValue::write_value -> Result<()>, QueryString::write_string -> Result<()>);

impl QueryValue for str {
    fn write_value(&self, out: &mut String) -> Result<()> {
        super::quote::string_literal_into(out, self)
    }
}

impl QueryValue for String {
    fn write_value(&self, out: &mut String) -> Result<()> {
        self.as_str().write_value(out)
    }
}

impl QueryValue for std::borrow::Cow<'_, str> {
    fn write_value(&self, out: &mut String) -> Result<()> {
        (**self).write_value(out)
    }
}

impl QueryString for str {
    fn write_string(&self, out: &mut String) -> Result<()> {
        super::quote::string_literal_into(out, self)
    }
}

impl QueryString for String {
    fn write_string(&self, out: &mut String) -> Result<()> {
        self.as_str().write_string(out)
    }
}

impl QueryValue for bool {
    fn write_value(&self, out: &mut String) -> Result<()> {
        out.push_str(if *self { "true" } else { "false" });
        Ok(())
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn write_value(&self, out: &mut String) -> Result<()> {
                let v = i64::try_from(*self)
                    .map_err(|_| arg_error(format!("integer {self} is beyond the range of InfluxQL integers (i64)")))?;
                out.push_str(itoa::Buffer::new().format(v));
                Ok(())
            }
        }

        impl QueryInteger for $t {
            #[allow(unused_comparisons)]
            fn write_integer(&self, out: &mut String) -> Result<()> {
                if *self < 0 {
                    return Err(arg_error(format!("{self} is negative where a count is expected")));
                }
                self.write_value(out)
            }
        }
    )*};
}
integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn write_value(&self, out: &mut String) -> Result<()> {
                if !self.is_finite() {
                    return Err(arg_error(format!("{self} has no InfluxQL literal: only finite numbers do")));
                }
                // `Display` never uses an exponent (InfluxQL has none); `.0` keeps integral values floats.
                use std::fmt::Write;
                let _ = write!(out, "{self}");
                if self.fract() == 0.0 {
                    out.push_str(".0");
                }
                Ok(())
            }
        }
    )*};
}
floats!(f32, f64);

impl QueryValue for chrono::DateTime<chrono::Utc> {
    fn write_value(&self, out: &mut String) -> Result<()> {
        let s = self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        super::quote_string_into(out, &s);
        Ok(())
    }
}

impl QueryValue for Duration {
    fn write_value(&self, out: &mut String) -> Result<()> {
        self.write_literal(out);
        Ok(())
    }
}

impl QueryDuration for Duration {
    fn write_duration(&self, out: &mut String) {
        self.write_literal(out);
    }
}

impl QueryDuration for std::time::Duration {
    fn write_duration(&self, out: &mut String) {
        Duration::from(*self).write_literal(out);
    }
}

impl QueryIdent for Ident<'_> {
    fn write_ident(&self, out: &mut String) {
        super::quote_ident_into(out, self.as_str());
    }
}

impl QuerySource for Ident<'_> {
    fn write_source(&self, out: &mut String) -> Result<()> {
        self.write_ident(out);
        Ok(())
    }
}

impl QuerySource for Measurement<'_> {
    fn write_source(&self, out: &mut String) -> Result<()> {
        use std::fmt::Write;
        let _ = write!(out, "{self}");
        Ok(())
    }
}

impl QuerySource for Regex<'_> {
    fn write_source(&self, out: &mut String) -> Result<()> {
        self.write_regex(out)
    }
}

impl QueryRegex for Regex<'_> {
    fn write_regex(&self, out: &mut String) -> Result<()> {
        if super::quote::regex_into(out, self.as_str()) {
            Ok(())
        } else {
            Err(arg_error("a regex cannot end in a lone backslash"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: &dyn QueryValue) -> String {
        let mut s = String::new();
        v.write_value(&mut s).unwrap();
        s
    }

    #[test]
    fn values_render_as_literals() {
        assert_eq!(value(&"a'b\\"), r"'a\'b\\'");
        assert_eq!(value(&String::from("x")), "'x'");
        assert_eq!(value(&true), "true");
        assert_eq!(value(&-5i64), "-5");
        assert_eq!(value(&u64::try_from(i64::MAX).unwrap()), "9223372036854775807");
        assert_eq!(value(&1.5f64), "1.5");
        assert_eq!(value(&2.0f64), "2.0");
        assert_eq!(value(&-0.25f32), "-0.25");
        assert_eq!(value(&1e20f64), "100000000000000000000.0");
        assert_eq!(value(&Duration::from_hours(2)), "2h");
        let t = chrono::DateTime::from_timestamp(1_700_000_000, 5).unwrap();
        assert_eq!(value(&t), "'2023-11-14T22:13:20.000000005Z'");
    }

    #[test]
    fn out_of_range_values_are_errors() {
        let mut s = String::new();
        let e = u64::MAX.write_value(&mut s).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Argument);
        assert!(f64::INFINITY.write_value(&mut s).is_err());
        assert!(f32::NAN.write_value(&mut s).is_err());
        assert!((-3i64).write_integer(&mut s).is_err());
        assert!(Regex::new("a\\").write_regex(&mut s).is_err());
        assert!("a\rb".write_value(&mut s).is_err() && "a\0b".write_string(&mut s).is_err());
        assert!(s.is_empty(), "nothing written on error: {s}");
    }

    #[test]
    fn names_and_sources() {
        let mut s = String::new();
        Ident::new("a\"b").write_ident(&mut s);
        s.push(' ');
        Measurement::new("m").database("d").retention_policy("r").write_source(&mut s).unwrap();
        s.push(' ');
        Regex::exact("c.d").write_source(&mut s).unwrap();
        assert_eq!(s, r#""a\"b" "d"."r"."m" /^c\.d$/"#);
    }
}
