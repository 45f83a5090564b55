//! The rendered Flux query: what `POST /api/v2/query` sends.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// A Flux query ready to send: the script, and optionally the `now` the
/// server should assume and the `params` record.
///
/// Flux patterns render their arguments into `text` as literals and never set
/// `params` (the `params` record of the v2 API is served by InfluxDB Cloud
/// only, not by InfluxDB OSS 2.x); set it yourself for a Cloud script that
/// reads `params.name`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::flux::FluxQuery;
/// let q = FluxQuery::new("buckets()")
///     .with_now("2026-01-01T00:00:00Z".parse().unwrap())
///     .with_param("bucket", "telemetry");
/// assert_eq!(q.text(), "buckets()");
/// assert_eq!(q.now().unwrap().to_rfc3339(), "2026-01-01T00:00:00+00:00");
/// assert_eq!(q.params().unwrap()["bucket"], "telemetry");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FluxQuery {
    text: String,
    params: Option<Map<String, Value>>,
    now: Option<DateTime<Utc>>,
}

impl FluxQuery {
    /// A query of `text`, without `now` or `params`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::flux::FluxQuery::new(r#"from(bucket: "b") |> range(start: -1h)"#);
    /// assert!(q.params().is_none() && q.now().is_none());
    /// ```
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into(), params: None, now: None }
    }

    /// The Flux script.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::FluxQuery::new("buckets()").text(), "buckets()");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The script, by value.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::flux::FluxQuery::new("buckets()").into_text(), "buckets()");
    /// ```
    pub fn into_text(self) -> String {
        self.text
    }

    /// The `params` record, if any was set (InfluxDB Cloud reads it as `params.name`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::flux::FluxQuery::new("buckets()").params().is_none());
    /// ```
    pub fn params(&self) -> Option<&Map<String, Value>> {
        self.params.as_ref()
    }

    /// The time the server takes as `now()`, if set (else the server's clock).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(influx::flux::FluxQuery::new("buckets()").now().is_none());
    /// ```
    pub fn now(&self) -> Option<DateTime<Utc>> {
        self.now
    }

    /// Sets the time the server takes as `now()`, which makes relative ranges
    /// (`range(start: -1h)`) reproducible.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let t = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    /// assert_eq!(influx::flux::FluxQuery::new("x").with_now(t).now(), Some(t));
    /// ```
    #[must_use]
    pub fn with_now(mut self, now: DateTime<Utc>) -> Self {
        self.now = Some(now);
        self
    }

    /// Adds one entry to the `params` record (served by InfluxDB Cloud only).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::flux::FluxQuery::new("from(bucket: params.b)").with_param("b", "telemetry");
    /// assert_eq!(q.params().unwrap().len(), 1);
    /// ```
    #[must_use]
    pub fn with_param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.params.get_or_insert_with(Map::new).insert(name.into(), value.into());
        self
    }
}

impl From<&str> for FluxQuery {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for FluxQuery {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}
