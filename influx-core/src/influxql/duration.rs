//! InfluxQL durations: `90m`, `7d`, `1h30m`.

use std::fmt;
use std::str::FromStr;

use crate::{Error, ErrorKind};

/// A non-negative span of time, rendered as an InfluxQL duration literal in
/// the largest unit that is exact (`Duration::from_mins(90)` is `90m`,
/// `Duration::from_hours(48)` is `2d`).
///
/// For retention policies, [`Duration::ZERO`] (`0s`) means "keep forever"
/// (the server's `INF`).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::Duration;
/// assert_eq!(Duration::from_hours(48).to_string(), "2d");
/// assert_eq!(Duration::from_millis(1500).to_string(), "1500ms");
/// assert_eq!("168h0m0s".parse::<Duration>().unwrap(), Duration::from_weeks(1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Duration {
    nanos: u64,
}

const UNITS: &[(&str, u64)] = &[
    ("w", 7 * 24 * 3600 * 1_000_000_000),
    ("d", 24 * 3600 * 1_000_000_000),
    ("h", 3600 * 1_000_000_000),
    ("m", 60 * 1_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("u", 1_000),
    ("ns", 1),
];

impl Duration {
    /// Zero; for a retention policy, "infinite".
    pub const ZERO: Duration = Duration { nanos: 0 };
    /// The retention-policy duration that keeps data forever (the same as [`Duration::ZERO`]).
    pub const INFINITE: Duration = Duration::ZERO;

    /// From nanoseconds.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Duration::from_nanos(5).to_string(), "5ns");
    /// ```
    pub const fn from_nanos(nanos: u64) -> Self {
        Self { nanos }
    }

    /// From milliseconds (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Duration::from_millis(5).to_string(), "5ms");
    /// ```
    pub const fn from_millis(ms: u64) -> Self {
        Self { nanos: ms.saturating_mul(1_000_000) }
    }

    /// From seconds (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Duration::from_secs(120).to_string(), "2m");
    /// ```
    pub const fn from_secs(secs: u64) -> Self {
        Self { nanos: secs.saturating_mul(1_000_000_000) }
    }

    /// From minutes (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Duration::from_mins(90).to_string(), "90m");
    /// ```
    pub const fn from_mins(mins: u64) -> Self {
        Self::from_secs(mins.saturating_mul(60))
    }

    /// From hours (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Duration::from_hours(1).to_string(), "1h");
    /// ```
    pub const fn from_hours(hours: u64) -> Self {
        Self::from_secs(hours.saturating_mul(3600))
    }

    /// From days (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Duration::from_days(3).to_string(), "3d");
    /// ```
    pub const fn from_days(days: u64) -> Self {
        Self::from_secs(days.saturating_mul(86_400))
    }

    /// From weeks (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Duration::from_weeks(2).to_string(), "2w");
    /// ```
    pub const fn from_weeks(weeks: u64) -> Self {
        Self::from_secs(weeks.saturating_mul(7 * 86_400))
    }

    /// The length in nanoseconds.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Duration::from_secs(1).as_nanos(), 1_000_000_000);
    /// ```
    pub const fn as_nanos(&self) -> u64 {
        self.nanos
    }

    /// True for zero (an infinite retention policy).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::influxql::Duration::INFINITE.is_zero());
    /// ```
    pub const fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    pub(crate) fn write_literal(&self, out: &mut String) {
        let (unit, size) = UNITS.iter().find(|(_, size)| self.nanos % size == 0).copied().unwrap_or(("ns", 1));
        let mut buf = itoa::Buffer::new();
        if self.nanos == 0 {
            out.push_str("0s");
            return;
        }
        out.push_str(buf.format(self.nanos / size));
        out.push_str(unit);
    }
}

impl From<std::time::Duration> for Duration {
    /// Saturates at `u64::MAX` nanoseconds (about 584 years).
    fn from(d: std::time::Duration) -> Self {
        Self { nanos: u64::try_from(d.as_nanos()).unwrap_or(u64::MAX) }
    }
}

impl From<Duration> for std::time::Duration {
    fn from(d: Duration) -> Self {
        std::time::Duration::from_nanos(d.nanos)
    }
}

/// A duration argument in any form users write: `"2h"`, `"1h30m"`, `"7d"`,
/// `"INF"` (text is parsed as InfluxQL or Go duration text),
/// [`Duration`], [`std::time::Duration`], or `None` for zero (for a retention
/// policy: keep forever; for a shard duration: the server chooses).
///
/// Text that is not a duration is an [`ErrorKind::Argument`] error when the
/// statement is built, before anything is sent.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::{Duration, IntoDuration};
/// assert_eq!("2h".into_duration().unwrap(), Duration::from_hours(2));
/// assert_eq!(std::time::Duration::from_secs(90).into_duration().unwrap(), Duration::from_secs(90));
/// assert_eq!(None.into_duration().unwrap(), Duration::ZERO);
/// assert!("2 hours".into_duration().is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a duration",
    label = "expected a duration",
    note = "write it as text (`\"2h\"`, `\"7d\"`, `\"INF\"`), or use `std::time::Duration` or `influx::influxql::Duration`"
)]
pub trait IntoDuration {
    /// The duration, or an [`ErrorKind::Argument`] error for text that is not one.
    fn into_duration(self) -> Result<Duration, Error>;
}

impl IntoDuration for Duration {
    fn into_duration(self) -> Result<Duration, Error> {
        Ok(self)
    }
}

impl IntoDuration for std::time::Duration {
    fn into_duration(self) -> Result<Duration, Error> {
        Ok(self.into())
    }
}

impl IntoDuration for &str {
    fn into_duration(self) -> Result<Duration, Error> {
        self.trim().parse::<Duration>().map_err(|_| {
            Error::new(
                ErrorKind::Argument,
                format!("`{self}` is not a duration (write it like `90m`, `2h`, `7d`, `1h30m` or `INF`)"),
            )
        })
    }
}

impl IntoDuration for &String {
    fn into_duration(self) -> Result<Duration, Error> {
        self.as_str().into_duration()
    }
}

impl IntoDuration for String {
    fn into_duration(self) -> Result<Duration, Error> {
        self.as_str().into_duration()
    }
}

/// `None` is zero; the only `Option` accepted, so that a bare `None` needs no annotation.
impl IntoDuration for Option<Duration> {
    fn into_duration(self) -> Result<Duration, Error> {
        Ok(self.unwrap_or(Duration::ZERO))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_literal(&mut s);
        f.write_str(&s)
    }
}

impl FromStr for Duration {
    type Err = Error;

    /// Parses an InfluxQL duration (`1h30m`, `7d`, `INF`) or the Go form the
    /// server reports in `SHOW RETENTION POLICIES` (`168h0m0s`, `1.5s`, `0s`).
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || Error::new(ErrorKind::Decode, format!("invalid duration `{s}`"));
        if s.eq_ignore_ascii_case("INF") || s == "0" {
            return Ok(Duration::ZERO);
        }
        let mut total: u64 = 0;
        let mut rest = s;
        if rest.is_empty() {
            return Err(bad());
        }
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).ok_or_else(bad)?;
            let (num, tail) = rest.split_at(digits);
            let unit_len = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(tail.len());
            let (unit, tail) = tail.split_at(unit_len);
            let size: u64 = match unit {
                "ns" => 1,
                "u" | "us" | "µ" | "µs" => 1_000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                "h" => 3_600_000_000_000,
                "d" => 86_400_000_000_000,
                "w" => 604_800_000_000_000,
                _ => return Err(bad()),
            };
            let nanos = match num.split_once('.') {
                None => num.parse::<u64>().map_err(|_| bad())?.checked_mul(size).ok_or_else(bad)?,
                Some((int, frac)) => {
                    let int = if int.is_empty() { 0 } else { int.parse::<u64>().map_err(|_| bad())? };
                    let mut frac_nanos = 0u64;
                    let mut scale = size;
                    for c in frac.chars() {
                        scale /= 10;
                        frac_nanos += u64::from(c.to_digit(10).ok_or_else(bad)?) * scale;
                    }
                    int.checked_mul(size).and_then(|n| n.checked_add(frac_nanos)).ok_or_else(bad)?
                }
            };
            total = total.checked_add(nanos).ok_or_else(bad)?;
            rest = tail;
        }
        Ok(Duration { nanos: total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_the_largest_exact_unit() {
        assert_eq!(Duration::ZERO.to_string(), "0s");
        assert_eq!(Duration::from_days(14).to_string(), "2w");
        assert_eq!(Duration::from_days(8).to_string(), "8d");
        assert_eq!(Duration::from_secs(3601).to_string(), "3601s");
        assert_eq!(Duration::from_nanos(1500).to_string(), "1500ns");
        assert_eq!(Duration::from_nanos(2000).to_string(), "2u");
        assert_eq!(Duration::from(std::time::Duration::from_millis(250)).to_string(), "250ms");
    }

    #[test]
    fn parses_influxql_and_go_forms() {
        for (s, d) in [
            ("0s", Duration::ZERO),
            ("INF", Duration::ZERO),
            ("1h30m", Duration::from_mins(90)),
            ("168h0m0s", Duration::from_weeks(1)),
            ("1.5s", Duration::from_millis(1500)),
            ("2µs", Duration::from_nanos(2000)),
            ("7d", Duration::from_days(7)),
        ] {
            assert_eq!(s.parse::<Duration>().unwrap(), d, "{s}");
        }
        for s in ["", "h", "1x", "1h x", "99999999999999999999w"] {
            assert!(s.parse::<Duration>().is_err(), "{s}");
        }
        assert_eq!(" 4w ".into_duration().unwrap(), Duration::from_weeks(4));
        assert_eq!("inf".into_duration().unwrap(), Duration::ZERO);
        let e = "2 hours".into_duration().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Argument);
        assert!(e.to_string().starts_with("`2 hours` is not a duration"), "{e}");
    }
}
