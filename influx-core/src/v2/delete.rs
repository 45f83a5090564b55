//! `/api/v2/delete`: a time range and a predicate whose values are quoted, so
//! that no input can widen what is deleted.

use std::fmt::{self, Write as _};

use chrono::{DateTime, SecondsFormat, Utc};

use super::{error, Client};
use crate::{Error, ErrorKind, Result};

/// A delete predicate: `key = "value"` / `key != "value"` terms joined by `AND`
/// (the only operators 2.x deletes understand).
///
/// Keys and values are double-quoted with `\` and `"` escaped, so a value such
/// as `a" OR "x"="x` stays one value. Control characters cannot be quoted and
/// are refused. Deletes cannot filter on `_time`, `_field` or `_value`
/// (the server refuses them; so does this builder).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::v2::Predicate;
/// let p = Predicate::measurement("cpu").and_eq("host", r#"a" OR "x"="x"#);
/// assert_eq!(p.to_string(), r#""_measurement"="cpu" AND "host"="a\" OR \"x\"=\"x""#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct Predicate {
    text: String,
    error: Option<String>,
}

impl Predicate {
    /// A predicate that matches everything in the time range (no `predicate` is sent).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::v2::Predicate::all().to_string(), "");
    /// ```
    pub fn all() -> Self {
        Self::default()
    }

    /// `_measurement = "name"`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::Predicate::measurement("cpu");
    /// ```
    pub fn measurement(name: &str) -> Self {
        Self::all().and_eq("_measurement", name)
    }

    /// Adds `AND key = "value"`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::Predicate::all().and_eq("host", "a");
    /// ```
    pub fn and_eq(self, key: &str, value: &str) -> Self {
        self.term(key, "=", value)
    }

    /// Adds `AND key != "value"`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::Predicate::measurement("cpu").and_ne("host", "a");
    /// ```
    pub fn and_ne(self, key: &str, value: &str) -> Self {
        self.term(key, "!=", value)
    }

    fn term(mut self, key: &str, op: &str, value: &str) -> Self {
        if matches!(key, "_time" | "_field" | "_value") {
            self.error.get_or_insert(format!("deletes cannot filter on `{key}`"));
            return self;
        }
        if !self.text.is_empty() {
            self.text.push_str(" AND ");
        }
        for (i, s) in [key, value].into_iter().enumerate() {
            if let Some(c) = s.chars().find(|c| c.is_control()) {
                self.error.get_or_insert(format!(
                    "delete predicate {} `{}` holds the control character {c:?}, which cannot be quoted",
                    if i == 0 { "key" } else { "value" },
                    s.escape_debug()
                ));
            }
            self.text.push('"');
            for c in s.chars() {
                if matches!(c, '"' | '\\') {
                    self.text.push('\\');
                }
                self.text.push(c);
            }
            self.text.push('"');
            if i == 0 {
                self.text.push_str(op);
            }
        }
        self
    }

    /// The predicate text, or the first error found while building it.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::v2::Predicate::all().and_eq("_field", "v").check().is_err());
    /// ```
    pub fn check(&self) -> Result<&str> {
        match &self.error {
            Some(e) => Err(Error::new(ErrorKind::Argument, e.clone())),
            None => Ok(&self.text),
        }
    }
}

impl fmt::Display for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What to delete: a bucket, a time range `[start, stop]` and a [`Predicate`].
///
/// ```
/// # extern crate influx_core as influx;
/// use chrono::{TimeZone, Utc};
/// use influx::v2::{DeleteRequest, Predicate};
/// let req = DeleteRequest::new(Utc.timestamp_opt(0, 0).unwrap(), Utc::now())
///     .predicate(Predicate::measurement("cpu").and_eq("host", "a"))
///     .bucket("metrics");
/// # let _ = req;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DeleteRequest {
    start: DateTime<Utc>,
    stop: DateTime<Utc>,
    predicate: Predicate,
    bucket: Option<String>,
    org: Option<String>,
}

impl DeleteRequest {
    /// Deletes every point from `start` to `stop` (both inclusive, as the server reads them).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::DeleteRequest::new(chrono::Utc::now(), chrono::Utc::now());
    /// ```
    pub fn new(start: DateTime<Utc>, stop: DateTime<Utc>) -> Self {
        Self { start, stop, predicate: Predicate::all(), bucket: None, org: None }
    }

    /// Deletes only the points whose series match `predicate`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::DeleteRequest::new(chrono::Utc::now(), chrono::Utc::now()).predicate(influx::v2::Predicate::measurement("m"));
    /// ```
    pub fn predicate(mut self, predicate: Predicate) -> Self {
        self.predicate = predicate;
        self
    }

    /// Deletes from `bucket` (a name or an ID) instead of the client's bucket.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::DeleteRequest::new(chrono::Utc::now(), chrono::Utc::now()).bucket("b");
    /// ```
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// Deletes in `org` instead of the client's organization.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::DeleteRequest::new(chrono::Utc::now(), chrono::Utc::now()).org("acme");
    /// ```
    pub fn org(mut self, org: impl Into<String>) -> Self {
        self.org = Some(org.into());
        self
    }

    pub(crate) fn body(&self) -> Result<String> {
        if self.start > self.stop {
            return Err(Error::new(ErrorKind::Argument, "delete: start is after stop"));
        }
        let predicate = self.predicate.check()?;
        let mut body = String::from("{");
        let _ = write!(
            body,
            r#""start":"{}","stop":"{}""#,
            self.start.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            self.stop.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        );
        if !predicate.is_empty() {
            body.push_str(r#","predicate":"#);
            body.push_str(&serde_json::to_string(predicate).map_err(|e| Error::new(ErrorKind::Encode, e.to_string()))?);
        }
        body.push('}');
        Ok(body)
    }
}

impl Client {
    /// Deletes points (`POST /api/v2/delete`): everything in the time range
    /// whose series match the predicate, from the request's or the client's bucket.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// use chrono::{Duration, Utc};
    /// use influx::v2::{DeleteRequest, Predicate};
    /// let now = Utc::now();
    /// client.delete(&DeleteRequest::new(now - Duration::hours(1), now).predicate(Predicate::measurement("cpu"))).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, request: &DeleteRequest) -> Result<()> {
        let body = request.body()?;
        let bucket = request.bucket.as_deref().or(self.bucket()).ok_or_else(|| {
            Error::new(ErrorKind::Builder, "no bucket: set one on the client (`bucket`) or on the delete")
        })?;
        let (org_key, org) = self.org_param(request.org.as_deref())?;
        let bucket_key = if super::is_id(bucket) { "bucketID" } else { "bucket" };
        let req = self
            .request(reqwest::Method::POST, "/api/v2/delete")
            .query(&[(org_key, org), (bucket_key, bucket)])
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        let resp = self.send(req).await?;
        error::check(self, resp).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn hostile_values_stay_one_value() {
        for v in [r#"a" OR "x"="x"#, r"a\", r#"\""#, "a AND b", "ü\u{2019}"] {
            let p = Predicate::measurement("m").and_eq("host", v);
            let text = p.check().unwrap();
            // Exactly four quoted strings: unescaped `"` appear 8 times.
            let mut quotes = 0;
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => quotes += 1,
                    _ => {}
                }
            }
            assert_eq!(quotes, 8, "{text}");
        }
        assert!(Predicate::measurement("m\n").check().is_err());
        assert!(Predicate::all().and_ne("_value", "1").check().is_err());
    }

    #[test]
    fn bodies() {
        let t0 = Utc.timestamp_opt(0, 0).unwrap();
        let t1 = Utc.timestamp_opt(1, 5).unwrap();
        let r = DeleteRequest::new(t0, t1).predicate(Predicate::measurement("cpu"));
        assert_eq!(
            r.body().unwrap(),
            r#"{"start":"1970-01-01T00:00:00Z","stop":"1970-01-01T00:00:01.000000005Z","predicate":"\"_measurement\"=\"cpu\""}"#
        );
        assert_eq!(
            DeleteRequest::new(t0, t1).body().unwrap(),
            r#"{"start":"1970-01-01T00:00:00Z","stop":"1970-01-01T00:00:01.000000005Z"}"#
        );
        assert_eq!(DeleteRequest::new(t1, t0).body().unwrap_err().kind(), ErrorKind::Argument);
    }
}
