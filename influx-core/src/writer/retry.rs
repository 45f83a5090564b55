//! Retry rules: which answers are worth another attempt, how long to wait,
//! and what the server's 400 bodies say. Pure functions, unit-tested here.

use std::time::{Duration, SystemTime};

use crate::ErrorKind;

/// What the writer does with the answer to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Try the same body again after a delay.
    Retry,
    /// The body is too large: split it in halves.
    Split,
    /// Some points were stored, the others refused for good.
    Partial,
    /// Never retry: the answer will not change.
    Permanent,
}

/// Classifies an HTTP status and the server's error text (see reliability.md §3).
pub(crate) fn classify_status(status: u16, message: &str) -> Verdict {
    match status {
        400 if message.starts_with("partial write") => Verdict::Partial,
        400..=412 | 414..=428 => Verdict::Permanent,
        413 => Verdict::Split,
        // influxdb#9183: a 500 that no retry can fix.
        500 if message.contains("retention policy not found") => Verdict::Permanent,
        429 | 500..=599 => Verdict::Retry,
        _ => Verdict::Permanent,
    }
}

/// Classifies a failed request: a partial write (whatever its status: 3.x
/// Cloud editions send 201), else by status or by transport failure.
pub(crate) fn classify(error: &crate::Error) -> Verdict {
    if error.kind() == ErrorKind::PartialWrite {
        return Verdict::Partial;
    }
    match error.status() {
        // InfluxDB's whole message where the error kept it (the shown one is bounded).
        Some(status) => classify_status(status, error.full_answer().or(error.server_message()).unwrap_or_default()),
        None => classify_transport(error.kind()),
    }
}

/// Transport failures (connect, reset, timeout) are always worth retrying; a
/// refused certificate ([`ErrorKind::Tls`]) never is.
pub(crate) fn classify_transport(kind: ErrorKind) -> Verdict {
    match kind {
        ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::Transport => Verdict::Retry,
        ErrorKind::Tls => Verdict::Permanent,
        _ => Verdict::Permanent,
    }
}

/// Exponential backoff with the official client's semantics: the `n`th retry
/// (1-based) waits a random time in `[interval·base^(n-1), interval·base^n]`,
/// capped at `max_delay`. `unit` in `[0, 1)` is the random draw.
pub(crate) fn backoff(n: u32, interval: Duration, base: u32, max_delay: Duration, unit: f64) -> Duration {
    let base = f64::from(base.max(1));
    let interval = interval.as_secs_f64();
    let exp = i32::try_from(n.saturating_sub(1)).unwrap_or(i32::MAX).min(1000);
    let lo = interval * base.powi(exp);
    let hi = lo * base;
    let secs = lo + (hi - lo) * unit.clamp(0.0, 1.0);
    if !secs.is_finite() || secs >= max_delay.as_secs_f64() {
        return max_delay;
    }
    Duration::from_secs_f64(secs)
}

/// A tiny xorshift generator for jitter: no dependency, no global state.
#[derive(Debug, Clone)]
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) fn new() -> Self {
        let t = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        let local = 0u8;
        Self((t ^ (std::ptr::addr_of!(local) as u64).rotate_left(32)) | 1)
    }

    /// A draw in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A random duration in `[0, max]`.
    pub(crate) fn up_to(&mut self, max: Duration) -> Duration {
        max.mul_f64(self.unit())
    }
}

/// How many points a partial write refused: `dropped=N` at the end of 1.x's
/// `partial write:` message, or 2.x's `N out of M points rejected`.
pub(crate) fn partial_write_dropped(message: &str) -> Option<u64> {
    let digits_at = |at: usize| message[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok();
    if let Some(at) = message.rfind("dropped=") {
        return digits_at(at + 8);
    }
    let of = message.find(" out of ")?;
    let start = message[..of].rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    digits_at(start)
}

/// The lines the server echoed in `unable to parse '<line>': <reason>` errors,
/// each with its reason. Several errors are joined by `\n`.
pub(crate) fn unparsable_lines(message: &str) -> Vec<(&str, &str)> {
    const MARK: &str = "unable to parse '";
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        let after = &rest[at + MARK.len()..];
        // The line itself may contain `':`, so take the last `': ` before the next error.
        let end_of_error = after.find(MARK).unwrap_or(after.len());
        let this = &after[..end_of_error];
        let Some(sep) = this.rfind("': ") else { break };
        let reason = this[sep + 3..].trim_end();
        let reason = reason.strip_suffix(|c: char| c == '\n').unwrap_or(reason);
        let reason = match reason.find(" dropped=") {
            Some(d) => &reason[..d],
            None => reason,
        };
        out.push((&this[..sep], reason));
        rest = &after[end_of_error..];
    }
    out
}

/// `input field "F" on measurement "M" is type T, already exists as type U`:
/// returns (measurement, field, type written).
pub(crate) fn type_conflict(message: &str) -> Option<(&str, &str, &str)> {
    let rest = &message[message.find("field type conflict: input field \"")? + 34..];
    let field_end = rest.find('"')?;
    let field = &rest[..field_end];
    let rest = &rest[field_end..];
    let rest = &rest[rest.find("on measurement \"")? + 16..];
    let m_end = rest.find('"')?;
    let measurement = &rest[..m_end];
    let rest = &rest[m_end..];
    let rest = &rest[rest.find("is type ")? + 8..];
    let ty = &rest[..rest.find(',').unwrap_or(rest.len())];
    Some((measurement, field, ty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified_as_reliability_md_says() {
        assert_eq!(classify_status(400, "partial write: x dropped=1"), Verdict::Partial);
        assert_eq!(classify_status(400, "unable to parse 'x': bad"), Verdict::Permanent);
        for s in [401, 403, 404] {
            assert_eq!(classify_status(s, ""), Verdict::Permanent, "{s}");
        }
        assert_eq!(classify_status(413, ""), Verdict::Split);
        for s in [429, 500, 502, 503, 504] {
            assert_eq!(classify_status(s, "timeout"), Verdict::Retry, "{s}");
        }
        assert_eq!(classify_status(500, "retention policy not found: nope"), Verdict::Permanent);
        assert_eq!(classify_status(301, ""), Verdict::Permanent);
        assert_eq!(classify_transport(ErrorKind::Timeout), Verdict::Retry);
        assert_eq!(classify_transport(ErrorKind::Connect), Verdict::Retry);
        assert_eq!(classify_transport(ErrorKind::Transport), Verdict::Retry);
        assert_eq!(classify_transport(ErrorKind::Builder), Verdict::Permanent);
        assert_eq!(classify_transport(ErrorKind::Tls), Verdict::Permanent);
    }

    #[test]
    fn partial_writes_are_classified_by_kind() {
        use crate::{Error, ErrorKind};
        let cloud = Error::new(ErrorKind::PartialWrite, "partial write").with_status(201);
        assert_eq!(classify(&cloud), Verdict::Partial);
        let v3_strict = Error::new(ErrorKind::BadRequest, "write refused, nothing written").with_status(400);
        assert_eq!(classify(&v3_strict), Verdict::Permanent);
        assert_eq!(classify(&Error::new(ErrorKind::Throttled, "slow").with_status(429)), Verdict::Retry);
        assert_eq!(classify(&Error::new(ErrorKind::Connect, "refused")), Verdict::Retry);
    }

    #[test]
    fn backoff_grows_within_bounds_and_is_capped() {
        let i = Duration::from_secs(5);
        let max = Duration::from_secs(125);
        assert_eq!(backoff(1, i, 2, max, 0.0), Duration::from_secs(5));
        assert_eq!(backoff(1, i, 2, max, 1.0), Duration::from_secs(10));
        assert_eq!(backoff(3, i, 2, max, 0.0), Duration::from_secs(20));
        assert_eq!(backoff(3, i, 2, max, 0.5), Duration::from_secs(30));
        assert_eq!(backoff(10, i, 2, max, 0.0), max);
        assert_eq!(backoff(u32::MAX, i, 2, max, 0.9), max);
        // Base 1 is a constant delay.
        assert_eq!(backoff(7, i, 1, max, 0.3), i);
    }

    #[test]
    fn jitter_stays_in_range() {
        let mut j = Jitter::new();
        for _ in 0..1000 {
            let u = j.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(j.up_to(Duration::from_millis(10)) <= Duration::from_millis(10));
        }
    }

    #[test]
    fn server_400_bodies_are_parsed() {
        let m = "partial write: field type conflict: input field \"value\" on measurement \"cpu\" is type integer, already exists as type float dropped=1";
        assert_eq!(partial_write_dropped(m), Some(1));
        assert_eq!(type_conflict(m), Some(("cpu", "value", "integer")));
        let p = "partial write: unable to parse 'cpu v=tru': invalid boolean\nunable to parse 'x y': invalid field format dropped=0";
        assert_eq!(partial_write_dropped(p), Some(0));
        assert_eq!(unparsable_lines(p), vec![("cpu v=tru", "invalid boolean"), ("x y", "invalid field format")]);
        let q = "unable to parse 'a b=\"it': s\"': bad timestamp";
        assert_eq!(unparsable_lines(q), vec![("a b=\"it': s\"", "bad timestamp")]);
        assert_eq!(partial_write_dropped("nothing"), None);
    }

    #[test]
    fn partial_counts_in_both_generations() {
        assert_eq!(partial_write_dropped("partial write: points beyond retention policy dropped=3"), Some(3));
        assert_eq!(
            partial_write_dropped(
                "partial write error (5 accepted): 1 out of 6 points rejected (check rejected_points in your _monitoring bucket for further information)"
            ),
            Some(1)
        );
        assert_eq!(partial_write_dropped("partial write"), None);
    }
}
