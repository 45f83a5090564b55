//! Writes to `/api/v2/write`: the shared encoder, the 2.x endpoint.

use super::{error, Client};
use crate::line_protocol::{encode_batch, WritePoint};
use crate::{Error, ErrorKind, Precision, Result, WriteOptions};

impl Client {
    /// Writes points to the client's bucket at its precision.
    ///
    /// The points are encoded exactly as for 1.x (same derive, same checks),
    /// with unsigned integers as `5u`.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f<P: influx::WritePoint>(client: influx::v2::Client, points: Vec<P>) -> influx::Result<()> {
    /// client.write(&points).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write<I>(&self, points: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        self.write_with(points, &WriteOptions::new()).await
    }

    /// Writes points with per-call options: bucket, org, precision, gzip.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f<P: influx::WritePoint>(client: influx::v2::Client, points: Vec<P>) -> influx::Result<()> {
    /// use influx::{Precision, WriteOptions};
    /// client.write_with(&points, &WriteOptions::new().bucket("other").precision(Precision::Seconds)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write_with<I>(&self, points: I, options: &WriteOptions) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let opts = options.encode_options(&self.encode)?;
        let mut body = Vec::new();
        encode_batch(points, &mut body, &opts)?;
        if body.is_empty() {
            return Ok(());
        }
        self.write_lp(body, &options.for_encoded_body(opts.precision)).await
    }

    /// Writes a body of line protocol as it is to `/api/v2/write`.
    ///
    /// The body is not copied. Errors are typed as for 1.x:
    /// [`ErrorKind::PartialWrite`] (some points stored), `BadRequest` (the
    /// server's message names the first bad line), `DatabaseNotFound` (no
    /// such bucket), `Unauthorized`, `Forbidden`, `PayloadTooLarge`,
    /// `Throttled` (with [`Error::retry_after`]), `Server`, `Timeout`, `Connect`.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// use influx::{Precision, WriteOptions};
    /// client.write_lp("cpu,host=a usage=0.5 1700000000", &WriteOptions::new().precision(Precision::Seconds)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write_lp<B>(&self, body: B, options: &WriteOptions) -> Result<()>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        // A line without a timestamp would be stored twice: such a body goes
        // on to another node only when its connection was refused.
        let idempotent = self.shared.lp_fails_over(body.as_ref());
        self.send_lp(body, options, idempotent).await
    }

    /// [`Client::write_lp`]; `idempotent`: every line has a timestamp, so
    /// the body may be sent on to another node after any failure.
    pub(crate) async fn send_lp<B>(&self, body: B, options: &WriteOptions, idempotent: bool) -> Result<()>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        if options.database.is_some() || options.retention_policy.is_some() {
            return Err(Error::new(
                ErrorKind::Builder,
                "database and retention policy are InfluxDB 1.x write options: use bucket for 2.x",
            ));
        }
        options.check_raw_body()?;
        if options.consistency.is_some() {
            return Err(Error::new(
                ErrorKind::Builder,
                "consistency is an InfluxDB Enterprise 1.x write option: 2.x has none",
            ));
        }
        let bucket = options.bucket.as_deref().or(self.bucket()).ok_or_else(|| {
            Error::new(ErrorKind::Builder, "no bucket: set one on the client (`bucket`) or on the write")
        })?;
        let (org_key, org) = self.org_param(options.org.as_deref())?;
        let precision = options.precision.unwrap_or(self.precision());
        let mut params = vec![(org_key, org), ("bucket", bucket), ("precision", v2_precision(precision)?)];
        options.push_extra_params(&mut params, &["org", "orgID", "bucket", "precision"])?;
        let gzip = options.gzip.unwrap_or(self.shared.gzip);
        self.shared
            .post_lp(self.url("/api/v2/write"), &params, &self.auth, body, gzip, bucket, error::from_answer, idempotent)
            .await
    }
}

/// 2.x reads `ns`, `us`, `ms` and `s`.
pub(crate) fn v2_precision(p: Precision) -> Result<&'static str> {
    p.as_v2_str().ok_or_else(|| {
        crate::Error::new(
            crate::ErrorKind::Builder,
            format!("InfluxDB 2.x writes take ns, us, ms or s, not `{}`: use Precision::Seconds", p.as_str()),
        )
    })
}
