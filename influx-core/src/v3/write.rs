//! Writes: the shared encoder and `Shared::post_lp`, to `/api/v3/write_lp` or,
//! on the Cloud editions, `/api/v2/write`.

use super::{error, Client};
use crate::line_protocol::WritePoint;
use crate::{Error, ErrorKind, Precision, Result, WriteOptions};

impl Client {
    /// Writes points to the client's database at its precision.
    ///
    /// The points are encoded exactly as for 1.x and 2.x (same derive, same
    /// checks), with unsigned integers as `5u`. Points without a timestamp are
    /// stamped here with the client's clock, as 1.x's `write` and the writer
    /// stamp them (see `ClientBuilder::client_timestamps`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f<P: influx::WritePoint>(client: influx::v3::Client, points: Vec<P>) -> influx::Result<()> {
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

    /// Writes points with per-call options: database, precision, gzip, extra
    /// tags, measurement, query parameters.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f<P: influx::WritePoint>(client: influx::v3::Client, points: Vec<P>) -> influx::Result<()> {
    /// use influx::{Precision, WriteOptions};
    /// client.write_with(&points, &WriteOptions::new().database("other").precision(Precision::Seconds)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn write_with<I>(&self, points: I, options: &WriteOptions) -> Result<()>
    where
        I: IntoIterator,
        I::Item: WritePoint,
    {
        let opts = options.encode_options(&self.encode)?;
        let (body, timed) = self.shared.encode_points(points, &opts)?;
        if body.is_empty() {
            return Ok(());
        }
        self.send_lp(body, &options.for_encoded_body(opts.precision), timed).await
    }

    /// Writes a body of line protocol as it is, to the edition's write path
    /// ([`Edition::write_path`](super::Edition::write_path)).
    ///
    /// The precision is always sent explicitly (never 3.x's `auto`, which
    /// guesses the unit from each timestamp's size and would misread, say, a
    /// nanosecond time from 1970). The body is not copied.
    ///
    /// Errors: [`ErrorKind::PartialWrite`] when some lines were written and
    /// others refused, [`ErrorKind::BadRequest`] when the server wrote nothing
    /// (`accept_partial=false`, or a Cloud edition's 400); both carry every
    /// refused line in [`Error::rejected_lines`]. Also `Unauthorized`,
    /// `Forbidden`, `PayloadTooLarge`, `Throttled` (with [`Error::retry_after`]),
    /// `Server`, `Timeout`, `Connect`.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use influx::{ErrorKind, Precision, WriteOptions};
    /// let body = "home,room=Kitchen temp=21.5 1735549200\nhome,room=Sunroom temp=hi 1735549200";
    /// match client.write_lp(body, &WriteOptions::new().precision(Precision::Seconds)).await {
    ///     Err(e) if e.kind() == ErrorKind::PartialWrite => {
    ///         for l in e.rejected_lines() { eprintln!("line {}: {}", l.line, l.message); }
    ///     }
    ///     other => other?,
    /// }
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
        if options.consistency.is_some() {
            return Err(Error::new(
                ErrorKind::Builder,
                "consistency is an InfluxDB Enterprise 1.x write option: 3.x has none",
            ));
        }
        if options.bucket.is_some() || options.org.is_some() || options.retention_policy.is_some() {
            return Err(Error::new(
                ErrorKind::Builder,
                "bucket, org and retention policy are not 3.x write options: use database",
            ));
        }
        options.check_raw_body()?;
        let db = self.database_or(options.database.as_deref())?;
        let precision = options.precision.unwrap_or(self.precision());
        let gzip = options.gzip.unwrap_or(self.shared.gzip);
        let url = self.url(self.edition().write_path());
        if self.edition().has_v3_api() {
            let mut params = vec![
                ("db", db),
                ("precision", v3_precision(precision)?),
                ("accept_partial", if self.accept_partial { "true" } else { "false" }),
                ("no_sync", if self.no_sync { "true" } else { "false" }),
            ];
            options.push_extra_params(&mut params, &["db", "precision", "accept_partial", "no_sync"])?;
            let parse = if self.accept_partial { error::from_answer } else { error::from_strict_write };
            self.shared.post_lp(url, &params, &self.auth, body, gzip, db, parse, idempotent).await
        } else {
            let org = self.org.as_deref().unwrap_or("default");
            let mut params =
                vec![("org", org), ("bucket", db), ("precision", crate::v2::write::v2_precision(precision)?)];
            options.push_extra_params(&mut params, &["org", "orgID", "bucket", "precision"])?;
            self.shared.post_lp(url, &params, &self.auth, body, gzip, db, error::from_answer, idempotent).await
        }
    }
}

/// `/api/v3/write_lp`'s names for the precisions (it has no minutes or hours).
pub(crate) fn v3_precision(p: Precision) -> crate::Result<&'static str> {
    Ok(match p {
        Precision::Nanoseconds => "nanosecond",
        Precision::Microseconds => "microsecond",
        Precision::Milliseconds => "millisecond",
        Precision::Seconds => "second",
        Precision::Minutes | Precision::Hours => {
            return Err(crate::Error::new(
                crate::ErrorKind::Builder,
                format!("InfluxDB 3 writes take ns, us, ms or s, not `{}`: use Precision::Seconds", p.as_str()),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precisions_have_3x_names() {
        assert_eq!(v3_precision(Precision::Nanoseconds).unwrap(), "nanosecond");
        assert_eq!(v3_precision(Precision::Microseconds).unwrap(), "microsecond");
        assert_eq!(v3_precision(Precision::Milliseconds).unwrap(), "millisecond");
        assert_eq!(v3_precision(Precision::Seconds).unwrap(), "second");
    }

    #[tokio::test]
    async fn other_generations_options_are_refused() {
        let c = Client::new("http://127.0.0.1:1", "db", "t").unwrap();
        for o in
            [WriteOptions::new().bucket("b"), WriteOptions::new().org("o"), WriteOptions::new().retention_policy("r")]
        {
            assert_eq!(c.write_lp("m v=1", &o).await.unwrap_err().kind(), ErrorKind::Builder);
        }
        // A raw body is sent as it is; the client's own parameters are its own.
        for o in [WriteOptions::new().tag("k", "v"), WriteOptions::new().measurement("m2")] {
            assert_eq!(c.write_lp("m v=1", &o).await.unwrap_err().kind(), ErrorKind::Argument);
        }
        for p in ["db", "precision", "no_sync", "u"] {
            let o = WriteOptions::new().param(p, "x");
            assert_eq!(c.write_lp("m v=1", &o).await.unwrap_err().kind(), ErrorKind::Argument, "{p}");
        }
        let no_db = Client::builder("http://127.0.0.1:1").build().unwrap();
        assert_eq!(no_db.write_lp("m v=1", &WriteOptions::new()).await.unwrap_err().kind(), ErrorKind::Builder);
    }
}
