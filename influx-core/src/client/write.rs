//! Per-call write options.

use crate::Precision;

/// Where and how one write goes: database and retention policy (1.x), bucket
/// and org (2.x), precision, gzip.
///
/// Unset members fall back to the client's settings. A client refuses the
/// options of another API generation (a 1.x write with a bucket is an error).
///
/// ```
/// use influx_core::{Precision, WriteOptions};
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
    pub(crate) consistency: Option<Consistency>,
}

/// InfluxDB Enterprise's write consistency (1.x `/write?consistency=`): how
/// many replicas of a shard must acknowledge a write before the node that
/// received it answers success.
///
/// The server's default is `one`. Enterprise answers a write that missed its
/// consistency with a 5xx (`write failed: ...`, `timeout`, `partial write`
/// without a colon), which the writer retries: with client-side timestamps a
/// retry overwrites whatever replicas did store, and Enterprise's hinted
/// handoff may still store the rest later. InfluxDB OSS 1.x reads the
/// parameter, refuses an unknown value (400) and otherwise ignores it.
///
/// ```
/// use influx_core::{Consistency, WriteOptions};
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
    /// assert_eq!(influx_core::Consistency::All.as_str(), "all");
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
    /// assert_eq!(influx_core::WriteOptions::new(), influx_core::WriteOptions::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes to `db` instead of the client's database.
    ///
    /// ```
    /// # let _ = influx_core::WriteOptions::new().database("db");
    /// ```
    pub fn database(mut self, db: impl Into<String>) -> Self {
        self.database = Some(db.into());
        self
    }

    /// Writes into retention policy `rp`.
    ///
    /// ```
    /// # let _ = influx_core::WriteOptions::new().retention_policy("autogen");
    /// ```
    pub fn retention_policy(mut self, rp: impl Into<String>) -> Self {
        self.retention_policy = Some(rp.into());
        self
    }

    /// Writes to `bucket` (2.x) instead of the client's bucket.
    ///
    /// ```
    /// # let _ = influx_core::WriteOptions::new().bucket("metrics");
    /// ```
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// Writes to the bucket of `org` (2.x, a name or an ID) instead of the client's org.
    ///
    /// ```
    /// # let _ = influx_core::WriteOptions::new().org("acme");
    /// ```
    pub fn org(mut self, org: impl Into<String>) -> Self {
        self.org = Some(org.into());
        self
    }

    /// The precision of the timestamps in the body (sent as `precision=`).
    ///
    /// ```
    /// # let _ = influx_core::WriteOptions::new().precision(influx_core::Precision::Milliseconds);
    /// ```
    pub fn precision(mut self, precision: Precision) -> Self {
        self.precision = Some(precision);
        self
    }

    /// Compresses this body with gzip (or not), whatever the client's setting.
    ///
    /// ```
    /// # let _ = influx_core::WriteOptions::new().gzip(false);
    /// ```
    pub fn gzip(mut self, on: bool) -> Self {
        self.gzip = Some(on);
        self
    }

    /// InfluxDB Enterprise's write consistency, sent as `consistency=` (1.x
    /// writes only; a 2.x client refuses it). See [`Consistency`].
    ///
    /// ```
    /// # let _ = influx_core::WriteOptions::new().consistency(influx_core::Consistency::All);
    /// ```
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// The consistency set on these options.
    ///
    /// ```
    /// assert_eq!(influx_core::WriteOptions::new().get_consistency(), None);
    /// ```
    pub fn get_consistency(&self) -> Option<Consistency> {
        self.consistency
    }

    /// The database set on these options.
    ///
    /// ```
    /// assert_eq!(influx_core::WriteOptions::new().database("d").get_database(), Some("d"));
    /// ```
    pub fn get_database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The retention policy set on these options.
    ///
    /// ```
    /// assert_eq!(influx_core::WriteOptions::new().get_retention_policy(), None);
    /// ```
    pub fn get_retention_policy(&self) -> Option<&str> {
        self.retention_policy.as_deref()
    }

    /// The precision set on these options.
    ///
    /// ```
    /// assert_eq!(influx_core::WriteOptions::new().get_precision(), None);
    /// ```
    pub fn get_precision(&self) -> Option<Precision> {
        self.precision
    }

    /// The gzip choice set on these options.
    ///
    /// ```
    /// assert_eq!(influx_core::WriteOptions::new().gzip(true).get_gzip(), Some(true));
    /// ```
    pub fn get_gzip(&self) -> Option<bool> {
        self.gzip
    }
}
