//! Timestamp precision, as the server's `precision` / `epoch` parameters name it.

/// The unit of timestamps in line protocol and in query results.
///
/// InfluxDB 1.x silently reads an unknown `precision` as nanoseconds, so this
/// enum is the only way a precision is ever put on the wire.
///
/// ```
/// use influx_core::Precision;
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
}

impl Precision {
    /// The name InfluxDB 1.x understands for `precision=` and `epoch=`.
    ///
    /// ```
    /// assert_eq!(influx_core::Precision::Microseconds.as_str(), "u");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Precision::Nanoseconds => "ns",
            Precision::Microseconds => "u",
            Precision::Milliseconds => "ms",
            Precision::Seconds => "s",
        }
    }

    /// The name InfluxDB 2.x and 3.x's `/api/v2/write` understand (`us`, not `u`).
    ///
    /// ```
    /// assert_eq!(influx_core::Precision::Microseconds.as_v2_str(), "us");
    /// ```
    pub const fn as_v2_str(self) -> &'static str {
        match self {
            Precision::Microseconds => "us",
            p => p.as_str(),
        }
    }

    /// How many nanoseconds one unit of this precision holds.
    ///
    /// ```
    /// assert_eq!(influx_core::Precision::Seconds.nanos_per_unit(), 1_000_000_000);
    /// ```
    pub const fn nanos_per_unit(self) -> i64 {
        match self {
            Precision::Nanoseconds => 1,
            Precision::Microseconds => 1_000,
            Precision::Milliseconds => 1_000_000,
            Precision::Seconds => 1_000_000_000,
        }
    }
}
