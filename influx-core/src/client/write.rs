//! Per-call write options.

use std::borrow::Cow;

use crate::line_protocol::{EncodeOptions, MeasurementName};
use crate::{Error, ErrorKind, Precision, Result};

/// Where and how one write goes: database and retention policy (1.x), bucket
/// and org (2.x), precision, gzip; for points, extra tags and a measurement.
///
/// Unset members fall back to the client's settings. A client refuses the
/// options of another API generation (a 1.x write with a bucket is an error).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::{Precision, WriteOptions};
/// let opts = WriteOptions::new().database("metrics").retention_policy("week").precision(Precision::Seconds).gzip(true);
/// assert_eq!(opts.get_precision(), Some(Precision::Seconds));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct WriteOptions {
    pub(crate) database: Option<String>,
    pub(crate) retention_policy: Option<String>,
    pub(crate) precision: Option<Precision>,
    pub(crate) gzip: Option<bool>,
    pub(crate) bucket: Option<String>,
    pub(crate) org: Option<String>,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) measurement: Option<String>,
    pub(crate) extra_params: Vec<(String, String)>,
    pub(crate) consistency: Option<Consistency>,
}

/// InfluxDB Enterprise's write consistency (1.x `/write?consistency=`): how
/// many replicas of a shard must acknowledge a write before the node that
/// received it answers success.
///
/// The server's default is `one`. Enterprise answers a write that missed its
/// consistency with a 5xx (`write failed: ...`, `timeout`, `partial write`
/// without a colon), which the writer retries (and a client's
/// [`RetryPolicy`](super::RetryPolicy), for a timed body): with client-side timestamps a
/// retry overwrites whatever replicas did store, and Enterprise's hinted
/// handoff may still store the rest later. InfluxDB OSS 1.x reads the
/// parameter, refuses an unknown value (400) and otherwise ignores it.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::{Consistency, WriteOptions};
/// let opts = WriteOptions::new().consistency(Consistency::Quorum);
/// assert_eq!(opts.get_consistency(), Some(Consistency::Quorum));
/// assert_eq!(Consistency::Quorum.as_str(), "quorum");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Consistency {
    /// A replica acknowledged it, or the receiving node queued it for hinted handoff.
    Any,
    /// A replica acknowledged it (hinted handoff alone does not count).
    One,
    /// A majority of the replicas acknowledged it.
    Quorum,
    /// Every replica acknowledged it.
    All,
}

impl Consistency {
    /// The parameter's value: `any`, `one`, `quorum`, `all`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::Consistency::All.as_str(), "all");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Consistency::Any => "any",
            Consistency::One => "one",
            Consistency::Quorum => "quorum",
            Consistency::All => "all",
        }
    }
}

impl WriteOptions {
    /// Options that take everything from the client.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::WriteOptions::new(), influx::WriteOptions::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes to `db` instead of the client's database.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().database("db");
    /// ```
    pub fn database(mut self, db: impl Into<String>) -> Self {
        self.database = Some(db.into());
        self
    }

    /// Writes into retention policy `rp`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().retention_policy("autogen");
    /// ```
    pub fn retention_policy(mut self, rp: impl Into<String>) -> Self {
        self.retention_policy = Some(rp.into());
        self
    }

    /// Writes to `bucket` (2.x) instead of the client's bucket.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().bucket("metrics");
    /// ```
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// Writes to the bucket of `org` (2.x, a name or an ID) instead of the client's org.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().org("acme");
    /// ```
    pub fn org(mut self, org: impl Into<String>) -> Self {
        self.org = Some(org.into());
        self
    }

    /// The precision of the timestamps in the body (sent as `precision=`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().precision(influx::Precision::Milliseconds);
    /// ```
    pub fn precision(mut self, precision: Precision) -> Self {
        self.precision = Some(precision);
        self
    }

    /// Compresses this body with gzip (or not), whatever the client's setting.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().gzip(false);
    /// ```
    pub fn gzip(mut self, on: bool) -> Self {
        self.gzip = Some(on);
        self
    }

    /// A tag added to every point of this write that lacks it: influxdb-python's
    /// `write_points(tags={...})`, aioinflux's `write(..., **extra_tags)`. It
    /// replaces a client default tag of the same key (an empty value removes
    /// that one); a point's own tag wins over both. Checked when the points
    /// are encoded; [`Client::write_lp`](crate::Client::write_lp) refuses it,
    /// since a raw body is sent as it is.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().tag("dc", "fra").tag("rack", "r1");
    /// ```
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }

    /// Writes every point of this write into `measurement` instead of its own
    /// (aioinflux's `write(data, measurement=...)`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().measurement("cpu_backfill");
    /// ```
    pub fn measurement(mut self, measurement: impl Into<String>) -> Self {
        self.measurement = Some(measurement.into());
        self
    }

    /// Adds a query parameter of the write request that the client does not
    /// set itself (influxdb-python's `write(data, params={...})`), e.g. 1.x
    /// Enterprise's `consistency` (also [`WriteOptions::consistency`]). The
    /// ones the client sets (`db`, `rp`, `precision`, and `consistency` when
    /// set with its method; `org`, `bucket` on 2.x) and `u`/`p` (credentials
    /// in the URL) are refused when the write is sent.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().param("consistency", "all");
    /// ```
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_params.push((name.into(), value.into()));
        self
    }

    /// Appends the extra parameters to `params`, refusing those in `reserved`.
    pub(crate) fn push_extra_params<'a>(
        &'a self,
        params: &mut Vec<(&'a str, &'a str)>,
        reserved: &[&str],
    ) -> Result<()> {
        for (k, v) in &self.extra_params {
            super::raw::check_param(k)?;
            if reserved.contains(&k.as_str()) {
                return Err(Error::new(
                    ErrorKind::Argument,
                    format!("parameter `{k}` is set by the client: use the WriteOptions method for it"),
                ));
            }
            params.push((k, v));
        }
        Ok(())
    }

    /// The encoding options of a write of points with these options, from
    /// the client's: precision, extra tags, measurement.
    pub(crate) fn encode_options<'a>(&self, base: &'a EncodeOptions) -> Result<Cow<'a, EncodeOptions>> {
        let precision = self.precision.unwrap_or(base.precision);
        if precision == base.precision && self.tags.is_empty() && self.measurement.is_none() {
            return Ok(Cow::Borrowed(base));
        }
        let mut opts = EncodeOptions { precision, ..base.clone() };
        for (k, v) in &self.tags {
            opts.default_tags.insert(k.as_str(), v.as_str()).map_err(|e| e.context("WriteOptions::tag"))?;
        }
        if let Some(m) = &self.measurement {
            opts.measurement = Some(MeasurementName::new(m).map_err(|e| e.context("WriteOptions::measurement"))?);
        }
        Ok(Cow::Owned(opts))
    }

    /// These options for the body of points encoded with them: the point
    /// options are spent.
    pub(crate) fn for_encoded_body(&self, precision: Precision) -> Self {
        Self { precision: Some(precision), tags: Vec::new(), measurement: None, ..self.clone() }
    }

    /// Refuses the point options on a raw body.
    pub(crate) fn check_raw_body(&self) -> Result<()> {
        if self.tags.is_empty() && self.measurement.is_none() {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Argument,
            "extra tags and a measurement apply to points: write_lp sends its body as it is",
        ))
    }

    /// InfluxDB Enterprise's write consistency, sent as `consistency=` (1.x
    /// writes only; a 2.x client refuses it). See [`Consistency`].
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::WriteOptions::new().consistency(influx::Consistency::All);
    /// ```
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// The consistency set on these options.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::WriteOptions::new().get_consistency(), None);
    /// ```
    pub fn get_consistency(&self) -> Option<Consistency> {
        self.consistency
    }

    /// The database set on these options.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::WriteOptions::new().database("d").get_database(), Some("d"));
    /// ```
    pub fn get_database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The retention policy set on these options.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::WriteOptions::new().get_retention_policy(), None);
    /// ```
    pub fn get_retention_policy(&self) -> Option<&str> {
        self.retention_policy.as_deref()
    }

    /// The precision set on these options.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::WriteOptions::new().get_precision(), None);
    /// ```
    pub fn get_precision(&self) -> Option<Precision> {
        self.precision
    }

    /// The gzip choice set on these options.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::WriteOptions::new().gzip(true).get_gzip(), Some(true));
    /// ```
    pub fn get_gzip(&self) -> Option<bool> {
        self.gzip
    }
}
