//! Flux durations, nanosecond-exact: `1h30m`, `-5m`, `500ns`.

use std::fmt;

use crate::{Error, ErrorKind, Result};

/// A signed, nanosecond-exact span of time, rendered as a Flux duration
/// literal: `1h30m`, `-5m`, `1s500ms`, `0s`.
///
/// Only the units `h`, `m`, `s`, `ms`, `us` and `ns` are written. Flux reads
/// `d`, `w`, `mo` and `y` as calendar units (a day is not always 24 hours in
/// a time zone with daylight saving), so a week renders as `168h`. To mean
/// calendar days, write the unit in the template: `-{days}d`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::Duration;
/// assert_eq!(Duration::from_mins(90).to_string(), "1h30m");
/// assert_eq!((-Duration::from_mins(5)).to_string(), "-5m");
/// assert_eq!(Duration::from_hours(24 * 7).to_string(), "168h");
/// assert_eq!(Duration::from_nanos(1_500_000_001).to_string(), "1s500ms1ns");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Duration {
    nanos: i64,
}

const UNITS: [(&str, u64); 6] = [
    ("h", 3_600_000_000_000),
    ("m", 60_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("ns", 1),
];

impl Duration {
    /// Zero (`0s`).
    pub const ZERO: Duration = Duration { nanos: 0 };

    /// From nanoseconds.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::Duration::from_nanos(-500).to_string(), "-500ns");
    /// ```
    pub const fn from_nanos(nanos: i64) -> Self {
        Self { nanos }
    }

    /// From microseconds (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::Duration::from_micros(1500).to_string(), "1ms500us");
    /// ```
    pub const fn from_micros(us: i64) -> Self {
        Self { nanos: us.saturating_mul(1_000) }
    }

    /// From milliseconds (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::Duration::from_millis(250).to_string(), "250ms");
    /// ```
    pub const fn from_millis(ms: i64) -> Self {
        Self { nanos: ms.saturating_mul(1_000_000) }
    }

    /// From seconds (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::Duration::from_secs(-30).to_string(), "-30s");
    /// ```
    pub const fn from_secs(secs: i64) -> Self {
        Self { nanos: secs.saturating_mul(1_000_000_000) }
    }

    /// From minutes (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::Duration::from_mins(61).to_string(), "1h1m");
    /// ```
    pub const fn from_mins(mins: i64) -> Self {
        Self::from_secs(mins.saturating_mul(60))
    }

    /// From hours (saturating).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::Duration::from_hours(48).to_string(), "48h");
    /// ```
    pub const fn from_hours(hours: i64) -> Self {
        Self::from_secs(hours.saturating_mul(3600))
    }

    /// The length in nanoseconds (negative for a negative duration).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::Duration::from_secs(-1).as_nanos(), -1_000_000_000);
    /// ```
    pub const fn as_nanos(&self) -> i64 {
        self.nanos
    }

    /// True below zero.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!((-influx::flux::Duration::from_secs(1)).is_negative());
    /// ```
    pub const fn is_negative(&self) -> bool {
        self.nanos < 0
    }

    /// Appends the literal; `i64::MIN` nanoseconds has none (its magnitude
    /// overflows Flux's 64-bit nanoseconds).
    pub(crate) fn write_literal(&self, out: &mut String) -> Result<()> {
        if self.nanos == i64::MIN {
            return Err(Error::new(
                ErrorKind::Argument,
                "duration of -2^63 ns has no Flux literal: its magnitude overflows 64-bit nanoseconds",
            ));
        }
        self.write_unchecked(out);
        Ok(())
    }

    fn write_unchecked(&self, out: &mut String) {
        if self.nanos == 0 {
            out.push_str("0s");
            return;
        }
        if self.nanos < 0 {
            out.push('-');
        }
        let mut rest = self.nanos.unsigned_abs();
        let mut buf = itoa::Buffer::new();
        for (unit, size) in UNITS {
            if rest >= size {
                out.push_str(buf.format(rest / size));
                out.push_str(unit);
                rest %= size;
            }
        }
    }
}

impl std::ops::Neg for Duration {
    type Output = Duration;

    /// The opposite duration (`-Duration::from_mins(5)` is `-5m`); saturates at `i64::MAX` nanoseconds.
    fn neg(self) -> Duration {
        Duration { nanos: self.nanos.saturating_neg() }
    }
}

impl TryFrom<std::time::Duration> for Duration {
    type Error = Error;

    /// Fails beyond `i64::MAX` nanoseconds (about 292 years).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::flux::Duration;
    /// let d = Duration::try_from(std::time::Duration::from_millis(1500)).unwrap();
    /// assert_eq!(d.to_string(), "1s500ms");
    /// assert!(Duration::try_from(std::time::Duration::MAX).is_err());
    /// ```
    fn try_from(d: std::time::Duration) -> Result<Self> {
        i64::try_from(d.as_nanos()).map(Duration::from_nanos).map_err(|_| {
            Error::new(ErrorKind::Argument, format!("duration {d:?} is beyond Flux's range (i64 nanoseconds)"))
        })
    }
}

impl fmt::Display for Duration {
    /// The Flux literal (`i64::MIN` nanoseconds, which no literal can carry, is shown all the same).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_unchecked(&mut s);
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_mixed_units_largest_first() {
        assert_eq!(Duration::ZERO.to_string(), "0s");
        assert_eq!(Duration::from_nanos(1).to_string(), "1ns");
        assert_eq!(Duration::from_nanos(500).to_string(), "500ns");
        assert_eq!(Duration::from_secs(3601).to_string(), "1h1s");
        assert_eq!(Duration::from_hours(24).to_string(), "24h");
        assert_eq!((-Duration::from_mins(90)).to_string(), "-1h30m");
        assert_eq!(Duration::from_nanos(i64::MAX).to_string(), "2562047h47m16s854ms775us807ns");
        assert_eq!(Duration::from_nanos(-i64::MAX).to_string(), "-2562047h47m16s854ms775us807ns");
    }

    #[test]
    fn min_is_refused() {
        let mut s = String::new();
        let e = Duration::from_nanos(i64::MIN).write_literal(&mut s).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Argument);
        assert!(s.is_empty());
        assert_eq!(-Duration::from_nanos(i64::MIN), Duration::from_nanos(i64::MAX));
        assert_eq!(Duration::from_secs(i64::MAX).as_nanos(), i64::MAX);
        assert_eq!(Duration::from_secs(i64::MIN).as_nanos(), i64::MIN);
    }
}
