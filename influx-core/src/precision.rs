//! Timestamp precision, as the server's `precision` / `epoch` parameters name it.

/// The unit of timestamps in line protocol and in query results.
///
/// InfluxDB 1.x silently reads an unknown `precision` as nanoseconds, so this
/// enum is the only way a precision is ever put on the wire.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::Precision;
/// assert_eq!(Precision::Milliseconds.as_str(), "ms");
/// assert_eq!(Precision::default(), Precision::Nanoseconds);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Precision {
    /// Nanoseconds (`ns`), the server's default.
    #[default]
    Nanoseconds,
    /// Microseconds (`u`).
    Microseconds,
    /// Milliseconds (`ms`).
    Milliseconds,
    /// Seconds (`s`).
    Seconds,
    /// Minutes (`m`): InfluxDB 1.x writes and queries only.
    Minutes,
    /// Hours (`h`): InfluxDB 1.x writes and queries only.
    Hours,
}

impl Precision {
    /// The name InfluxDB 1.x understands for `precision=` and `epoch=`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Precision::Microseconds.as_str(), "u");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Precision::Nanoseconds => "ns",
            Precision::Microseconds => "u",
            Precision::Milliseconds => "ms",
            Precision::Seconds => "s",
            Precision::Minutes => "m",
            Precision::Hours => "h",
        }
    }

    /// The name InfluxDB 2.x and 3.x's `/api/v2/write` understand (`us`, not
    /// `u`); `None` for minutes and hours, which it does not take.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::Precision;
    /// assert_eq!(Precision::Microseconds.as_v2_str(), Some("us"));
    /// assert_eq!(Precision::Hours.as_v2_str(), None);
    /// ```
    pub const fn as_v2_str(self) -> Option<&'static str> {
        match self {
            Precision::Microseconds => Some("us"),
            Precision::Minutes | Precision::Hours => None,
            p => Some(p.as_str()),
        }
    }

    /// How many nanoseconds one unit of this precision holds.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Precision::Seconds.nanos_per_unit(), 1_000_000_000);
    /// ```
    pub const fn nanos_per_unit(self) -> i64 {
        match self {
            Precision::Nanoseconds => 1,
            Precision::Microseconds => 1_000,
            Precision::Milliseconds => 1_000_000,
            Precision::Seconds => 1_000_000_000,
            Precision::Minutes => 60_000_000_000,
            Precision::Hours => 3_600_000_000_000,
        }
    }
}

impl std::str::FromStr for Precision {
    type Err = crate::Error;

    /// The names the servers and the Python clients use: `ns` (or `n`), `u`
    /// (or `us`, `µ`), `ms`, `s`, `m`, `h`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::Precision;
    /// assert_eq!("h".parse::<Precision>().unwrap(), Precision::Hours);
    /// assert_eq!("us".parse::<Precision>().unwrap(), Precision::Microseconds);
    /// assert!("d".parse::<Precision>().is_err());
    /// ```
    fn from_str(s: &str) -> crate::Result<Self> {
        Ok(match s {
            "ns" | "n" => Precision::Nanoseconds,
            "u" | "us" | "µ" | "µs" => Precision::Microseconds,
            "ms" => Precision::Milliseconds,
            "s" => Precision::Seconds,
            "m" => Precision::Minutes,
            "h" => Precision::Hours,
            _ => {
                return Err(crate::Error::new(
                    crate::ErrorKind::Argument,
                    format!("unknown precision `{s}`: expected ns, u, ms, s, m or h"),
                ))
            }
        })
    }
}

/// Now, in units of `precision` since the epoch.
fn now_in(precision: Precision) -> i64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    i64::try_from(nanos / precision.nanos_per_unit() as u128).unwrap_or(i64::MAX)
}

/// Client-side timestamps for points written without one: the wall clock,
/// strictly increasing across every stamp one client (all its clones and
/// writers) hands out, whatever the precision. Two stamped points therefore
/// never overwrite each other, and a batch re-sent after a lost answer
/// overwrites itself instead of being stored twice.
#[derive(Debug, Default)]
pub(crate) struct StampClock {
    /// The last stamp handed out, in nanoseconds.
    last_ns: std::sync::atomic::AtomicI64,
}

impl StampClock {
    /// The next stamp, in units of `precision`.
    pub(crate) fn next(&self, precision: Precision) -> i64 {
        use std::sync::atomic::Ordering::Relaxed;
        let unit = precision.nanos_per_unit();
        let mut stamp = 0;
        let _ = self.last_ns.fetch_update(Relaxed, Relaxed, |last_ns| {
            // Strictly after the last stamp once both are in this unit.
            stamp = now_in(precision).max(last_ns.div_euclid(unit).saturating_add(1));
            Some(stamp.saturating_mul(unit))
        });
        stamp
    }

    /// Appends ` <stamp>` to a line that has no timestamp.
    pub(crate) fn push_stamp(&self, line: &mut Vec<u8>, precision: Precision) {
        line.push(b' ');
        line.extend_from_slice(itoa::Buffer::new().format(self.next(precision)).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_strictly_increase_across_precisions() {
        let clock = StampClock::default();
        let a = clock.next(Precision::Nanoseconds);
        let b = clock.next(Precision::Nanoseconds);
        assert!(b > a);
        let s = clock.next(Precision::Seconds);
        assert!(s * 1_000_000_000 > b);
        // A finer stamp after a coarse one still comes after it.
        let n = clock.next(Precision::Nanoseconds);
        assert!(n > s * 1_000_000_000);
        let ms: Vec<i64> = (0..1000).map(|_| clock.next(Precision::Milliseconds)).collect();
        assert!(ms.windows(2).all(|w| w[1] > w[0]));
        let h = clock.next(Precision::Hours);
        assert!(h * 3_600_000_000_000 > ms[999] * 1_000_000);
        assert!(clock.next(Precision::Minutes) > h * 60);
    }
}
