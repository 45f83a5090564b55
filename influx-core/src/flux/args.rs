//! Which Rust types may stand in which position of a Flux query.
//!
//! `query_pattern!` (with `#[flux]`) decides a placeholder's position from the
//! tokens around it and requires the matching trait of the parameter's type,
//! so a wrong type is a compile error at the parameter.

use super::literal::{float_into, int_into, quote_string_into, regex_into};
use super::{Duration, Regex};
use crate::{Error, ErrorKind, Result};

fn arg_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Argument, message)
}

/// A Flux literal in an expression: strings, integers, floats, booleans,
/// times, durations, regexes, [`Uint`]s and arrays of these.
///
/// | Rust | Flux |
/// |---|---|
/// | `&str`, `String` | `"a\"b"` (see [`quote_string`](super::quote_string)) |
/// | `i8`..`i64`, `u8`..`u64`, `isize`, `usize` | `42`, `-7` (an `int`; unsigned beyond `i64::MAX` is an error: use [`Uint`]) |
/// | `f64`, `f32` | `1.5`, `2.0`, `100000000000000000000.0`, `float(v: "+Inf")` (never an exponent; NaN is an error) |
/// | `bool` | `true` |
/// | `chrono::DateTime<Utc>` | `2026-01-02T03:04:05.000000006Z` |
/// | [`Duration`], `std::time::Duration` | `1h30m`, `-5m` |
/// | [`Regex`] | `/a\/b/` |
/// | `[T]`, `Vec<T>`, `[T; N]` | `["a", "b"]` |
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::FluxValue;
/// let mut q = String::new();
/// ["a\"b", "${x}"].write_flux(&mut q).unwrap();
/// q.push(' ');
/// 1e20f64.write_flux(&mut q).unwrap();
/// assert_eq!(q, r#"["a\"b", "\${x}"] 100000000000000000000.0"#);
/// assert!(f64::NAN.write_flux(&mut q).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a value in a Flux query",
    label = "this parameter fills a value position",
    note = "Flux values are strings, integers, floats, booleans, `chrono::DateTime<Utc>`, `influx::flux::Duration`, `std::time::Duration`, `influx::flux::Regex`, `influx::flux::Uint`, and slices or `Vec`s of these"
)]
pub trait FluxValue {
    /// Appends the value as a Flux literal; writes nothing on error.
    fn write_flux(&self, out: &mut String) -> Result<()>;
}

/// A duration after a unary minus in the template: `range(start: -{ago})`.
///
/// Negative durations are refused (they would render `--5m`); pass a
/// negative [`Duration`] to a plain `{start}` instead.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::{Duration, FluxDuration};
/// let mut q = String::from("-");
/// Duration::from_hours(2).write_flux_duration(&mut q).unwrap();
/// assert_eq!(q, "-2h");
/// assert!((-Duration::from_hours(2)).write_flux_duration(&mut q).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a duration in a Flux query",
    label = "this parameter follows a unary `-`, which makes it a duration",
    note = "use `influx::flux::Duration` or `std::time::Duration`; to negate a number, pass the negative number to a placeholder without the `-`"
)]
pub trait FluxDuration {
    /// Appends the duration literal; negative durations are errors.
    fn write_flux_duration(&self, out: &mut String) -> Result<()>;
}

/// A regex after `=~` or `!~`.
///
/// Rendered so that Flux compiles exactly the pattern given: `/` is escaped,
/// the empty pattern is `/(?:)/` (`//` would start a comment), and a pattern
/// ending in a lone backslash is an error.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::{FluxRegex, Regex};
/// let mut q = String::new();
/// Regex::exact("a/b.c").write_flux_regex(&mut q).unwrap();
/// assert_eq!(q, r"/^a\/b\.c$/");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a regex in a Flux query",
    label = "this parameter follows `=~` or `!~`",
    note = "use `influx::flux::Regex` (`Regex::new(pattern)`, or `Regex::exact(text)` to match text literally); to compare with a string, use `==`"
)]
pub trait FluxRegex {
    /// Appends `/.../`; writes nothing on error.
    fn write_flux_regex(&self, out: &mut String) -> Result<()>;
}

/// A non-negative integer glued to a duration unit in the template: `-{days}d`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::FluxCount;
/// let mut q = String::new();
/// 7u32.write_flux_count(&mut q).unwrap();
/// assert_eq!(q, "7");
/// assert!((-1i64).write_flux_count(&mut q).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a count in a Flux query",
    label = "this parameter is glued to a duration unit, like `{{days}}d`",
    note = "use an integer type such as `u32` or `i64`, or drop the unit and pass an `influx::flux::Duration`"
)]
pub trait FluxCount {
    /// Appends the count; negative values and values beyond `i64::MAX` are errors.
    fn write_flux_count(&self, out: &mut String) -> Result<()>;
}

/// An unsigned Flux integer (`uint`), rendered `uint(v: "18446744073709551615")`.
///
/// Rust's unsigned integers render as Flux `int`s, which is what most
/// functions take (`limit(n:)`, comparisons with `int` fields); wrap a value
/// in `Uint` to compare with a `uint` field or to go beyond `i64::MAX`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::{FluxValue, Uint};
/// let mut q = String::new();
/// Uint(u64::MAX).write_flux(&mut q).unwrap();
/// assert_eq!(q, r#"uint(v: "18446744073709551615")"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Uint(pub u64);

impl<T: FluxValue + ?Sized> FluxValue for &T {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        (**self).write_flux(out)
    }
}

impl FluxValue for str {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        quote_string_into(out, self);
        Ok(())
    }
}

impl FluxValue for String {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        self.as_str().write_flux(out)
    }
}

impl FluxValue for std::borrow::Cow<'_, str> {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        (**self).write_flux(out)
    }
}

impl FluxValue for bool {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        out.push_str(if *self { "true" } else { "false" });
        Ok(())
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl FluxValue for $t {
            fn write_flux(&self, out: &mut String) -> Result<()> {
                let v = i64::try_from(*self).map_err(|_| {
                    arg_error(format!(
                        "integer {self} is beyond the range of Flux `int` (i64); wrap it in `influx::flux::Uint` for a `uint`"
                    ))
                })?;
                int_into(out, v);
                Ok(())
            }
        }

        impl FluxCount for $t {
            #[allow(unused_comparisons)]
            fn write_flux_count(&self, out: &mut String) -> Result<()> {
                if *self < 0 {
                    return Err(arg_error(format!("{self} is negative where a count is glued to a duration unit")));
                }
                self.write_flux(out)
            }
        }
    )*};
}
integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl FluxValue for Uint {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        out.push_str("uint(v: \"");
        out.push_str(itoa::Buffer::new().format(self.0));
        out.push_str("\")");
        Ok(())
    }
}

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl FluxValue for $t {
            fn write_flux(&self, out: &mut String) -> Result<()> {
                if self.is_nan() {
                    // Flux's `float(v: "NaN")` would not keep the payload bits, and NaN never compares equal.
                    return Err(arg_error("NaN has no exact Flux value; write `float(v: \"NaN\")` in the template if you mean it"));
                }
                if self.is_infinite() {
                    out.push_str(if *self > 0.0 { "float(v: \"+Inf\")" } else { "float(v: \"-Inf\")" });
                    return Ok(());
                }
                // `Display` is the shortest text that reads back to the same value, and never uses an exponent.
                float_into(out, self, self.fract() == 0.0);
                Ok(())
            }
        }
    )*};
}
floats!(f32, f64);

impl FluxValue for chrono::DateTime<chrono::Utc> {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        use chrono::Timelike;
        if self.timestamp_nanos_opt().is_none() {
            return Err(arg_error(format!(
                "time {self} is beyond Flux's range (1677-09-21 to 2262-04-11, i64 nanoseconds)"
            )));
        }
        if self.nanosecond() >= 1_000_000_000 {
            return Err(arg_error(format!("time {self} is a leap second, which Flux times cannot hold")));
        }
        out.push_str(&self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
        Ok(())
    }
}

impl FluxValue for Duration {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        self.write_literal(out)
    }
}

impl FluxValue for std::time::Duration {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        Duration::try_from(*self)?.write_literal(out)
    }
}

impl FluxValue for Regex<'_> {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        self.write_flux_regex(out)
    }
}

impl<T: FluxValue> FluxValue for [T] {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        let start = out.len();
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if let Err(e) = v.write_flux(out) {
                out.truncate(start);
                return Err(e.context(format_args!("element {i}")));
            }
        }
        out.push(']');
        Ok(())
    }
}

impl<T: FluxValue> FluxValue for Vec<T> {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        self.as_slice().write_flux(out)
    }
}

impl<T: FluxValue, const N: usize> FluxValue for [T; N] {
    fn write_flux(&self, out: &mut String) -> Result<()> {
        self.as_slice().write_flux(out)
    }
}

impl FluxDuration for Duration {
    fn write_flux_duration(&self, out: &mut String) -> Result<()> {
        if self.is_negative() {
            return Err(arg_error(format!(
                "duration {self} is negative after a unary `-` in the template (it would render `--`); pass a non-negative duration"
            )));
        }
        self.write_literal(out)
    }
}

impl FluxDuration for std::time::Duration {
    fn write_flux_duration(&self, out: &mut String) -> Result<()> {
        Duration::try_from(*self)?.write_literal(out)
    }
}

impl FluxRegex for Regex<'_> {
    fn write_flux_regex(&self, out: &mut String) -> Result<()> {
        if regex_into(out, self.as_str()) {
            Ok(())
        } else {
            Err(arg_error("a regex cannot end in a lone backslash"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: &dyn FluxValue) -> String {
        let mut s = String::new();
        v.write_flux(&mut s).unwrap();
        s
    }

    fn refused(v: &dyn FluxValue) -> String {
        let mut s = String::new();
        let e = v.write_flux(&mut s).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Argument);
        assert!(s.is_empty(), "nothing written on error: {s}");
        e.to_string()
    }

    #[test]
    fn strings_and_booleans() {
        assert_eq!(value(&"a\"b"), r#""a\"b""#);
        assert_eq!(value(&String::from("x")), r#""x""#);
        assert_eq!(value(&std::borrow::Cow::Borrowed("c")), r#""c""#);
        assert_eq!(value(&true), "true");
        assert_eq!(value(&false), "false");
    }

    #[test]
    fn integers() {
        assert_eq!(value(&0u8), "0");
        assert_eq!(value(&-5i32), "-5");
        assert_eq!(value(&i64::MAX), "9223372036854775807");
        assert_eq!(value(&i64::MIN), "(-9223372036854775807 - 1)");
        assert_eq!(value(&u64::try_from(i64::MAX).unwrap()), "9223372036854775807");
        assert!(refused(&(u64::try_from(i64::MAX).unwrap() + 1)).contains("influx::flux::Uint"));
        assert_eq!(value(&Uint(0)), r#"uint(v: "0")"#);
        assert_eq!(value(&Uint(u64::MAX)), r#"uint(v: "18446744073709551615")"#);
    }

    #[test]
    fn floats_never_use_an_exponent() {
        assert_eq!(value(&1.5f64), "1.5");
        assert_eq!(value(&2.0f64), "2.0");
        assert_eq!(value(&-0.25f32), "-0.25");
        assert_eq!(value(&1.1f32), "1.1");
        assert_eq!(value(&-0.0f64), "-0.0");
        assert_eq!(value(&1e20f64), "100000000000000000000.0");
        assert_eq!(value(&1e-7f64), "0.0000001");
        assert_eq!(value(&f64::INFINITY), r#"float(v: "+Inf")"#);
        assert_eq!(value(&f32::NEG_INFINITY), r#"float(v: "-Inf")"#);
        assert!(refused(&f64::NAN).starts_with("NaN"));
        for v in [f64::MAX, f64::MIN_POSITIVE, 5e-324, 0.1 + 0.2, -123_456.789e-30] {
            let s = value(&v);
            assert!(!s.contains(['e', 'E']) && s.contains('.'), "{s}");
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{s}");
        }
    }

    #[test]
    fn times() {
        let t = chrono::DateTime::from_timestamp(1_700_000_000, 5).unwrap();
        assert_eq!(value(&t), "2023-11-14T22:13:20.000000005Z");
        let t = chrono::DateTime::from_timestamp(1_700_000_000, 120_000_000).unwrap();
        assert_eq!(value(&t), "2023-11-14T22:13:20.120Z");
        assert_eq!(value(&chrono::DateTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let before = chrono::DateTime::from_timestamp(-1, 999_999_999).unwrap();
        assert_eq!(value(&before), "1969-12-31T23:59:59.999999999Z");
        let far = chrono::DateTime::from_timestamp(10_000_000_000, 0).unwrap();
        assert!(refused(&far).contains("beyond Flux's range"));
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        assert!(refused(&leap).contains("leap second"));
    }

    #[test]
    fn durations_regexes_and_arrays() {
        assert_eq!(value(&Duration::from_mins(90)), "1h30m");
        assert_eq!(value(&-Duration::from_secs(5)), "-5s");
        assert_eq!(value(&std::time::Duration::from_micros(1)), "1us");
        assert!(refused(&std::time::Duration::MAX).contains("beyond Flux's range"));
        assert!(refused(&Duration::from_nanos(i64::MIN)).contains("overflows"));
        assert_eq!(value(&Regex::new("^a/b$")), r"/^a\/b$/");
        assert_eq!(value(&["a", "b"]), r#"["a", "b"]"#);
        assert_eq!(value(&Vec::<i64>::new()), "[]");
        assert_eq!(value(&vec![1.5f64, 2.0]), "[1.5, 2.0]");
        assert_eq!(value(&[[1u8], [2]].as_slice()), "[[1], [2]]");
        assert_eq!(
            refused(&[1.0, f64::NAN]),
            "element 1: NaN has no exact Flux value; write `float(v: \"NaN\")` in the template if you mean it"
        );
    }

    #[test]
    fn durations_after_a_minus_and_counts() {
        let mut s = String::new();
        Duration::from_hours(2).write_flux_duration(&mut s).unwrap();
        std::time::Duration::from_millis(1).write_flux_duration(&mut s).unwrap();
        7u64.write_flux_count(&mut s).unwrap();
        assert_eq!(s, "2h1ms7");
        assert!((-Duration::from_secs(1)).write_flux_duration(&mut s).is_err());
        assert!((-1i8).write_flux_count(&mut s).is_err());
        assert!(u64::MAX.write_flux_count(&mut s).is_err());
        assert!(Regex::new("a\\").write_flux_regex(&mut s).is_err());
        assert_eq!(s, "2h1ms7", "nothing written on error");
    }
}
