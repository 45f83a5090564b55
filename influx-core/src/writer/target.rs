//! Where a writer's batches go: one implementation per API generation, so the
//! batching, retries, splitting and accounting above it exist once.

use std::fmt;

use bytes::Bytes;

use super::options::WriterOptions;
use crate::pattern::BoxFuture;
use crate::{Client, Error, ErrorKind, Result, WriteOptions};

/// One API generation's write endpoint, with the batch's destination fixed.
pub(crate) trait WriteTarget: Send + Sync + 'static {
    /// Sends one body of line protocol; errors are the crate's typed errors.
    /// `idempotent`: every line has a timestamp, so the transport may send the
    /// body on to another node after any failure.
    fn write(&self, body: Bytes, idempotent: bool) -> BoxFuture<'_, Result<()>>;

    /// Where the points go, for `Debug` (`database "telemetry"`, `bucket "metrics"`).
    fn destination(&self) -> &dyn fmt::Debug;
}

/// 1.x: `/write?db=&rp=`.
pub(crate) struct V1 {
    client: Client,
    options: WriteOptions,
}

impl V1 {
    pub(crate) fn new(client: Client, opts: &WriterOptions) -> Result<Self> {
        let database = opts.database.clone().or_else(|| client.database().map(str::to_owned)).ok_or_else(|| {
            Error::new(
                ErrorKind::Builder,
                "no database to write to: set WriterOptions::database or the client's database",
            )
        })?;
        let mut options = WriteOptions::new().database(database).precision(opts.precision);
        if let Some(rp) = &opts.retention_policy {
            options = options.retention_policy(rp.clone());
        }
        if let Some(gzip) = opts.gzip {
            options = options.gzip(gzip);
        }
        if let Some(c) = opts.consistency {
            options = options.consistency(c);
        }
        Ok(Self { client, options })
    }
}

impl WriteTarget for V1 {
    fn write(&self, body: Bytes, idempotent: bool) -> BoxFuture<'_, Result<()>> {
        Box::pin(self.client.send_lp(body, &self.options, idempotent))
    }

    fn destination(&self) -> &dyn fmt::Debug {
        &self.options.database
    }
}

/// 2.x: `/api/v2/write?org=&bucket=`.
pub(crate) struct V2 {
    client: crate::v2::Client,
    options: WriteOptions,
}

impl V2 {
    pub(crate) fn new(client: crate::v2::Client, opts: &WriterOptions) -> Result<Self> {
        if opts.database.is_some() || opts.retention_policy.is_some() {
            return Err(Error::new(
                ErrorKind::Builder,
                "database and retention policy are 1.x writer options: use WriterOptions::bucket for 2.x",
            ));
        }
        let bucket = opts.bucket.clone().or_else(|| client.bucket().map(str::to_owned)).ok_or_else(|| {
            Error::new(ErrorKind::Builder, "no bucket to write to: set WriterOptions::bucket or the client's bucket")
        })?;
        if opts.consistency.is_some() {
            return Err(Error::new(
                ErrorKind::Builder,
                "consistency is an InfluxDB Enterprise 1.x writer option: 2.x has none",
            ));
        }
        client.org_param(None)?;
        crate::v2::write::v2_precision(opts.precision)?;
        let mut options = WriteOptions::new().bucket(bucket).precision(opts.precision);
        if let Some(gzip) = opts.gzip {
            options = options.gzip(gzip);
        }
        Ok(Self { client, options })
    }
}

impl WriteTarget for V2 {
    fn write(&self, body: Bytes, idempotent: bool) -> BoxFuture<'_, Result<()>> {
        Box::pin(self.client.send_lp(body, &self.options, idempotent))
    }

    fn destination(&self) -> &dyn fmt::Debug {
        &self.options.bucket
    }
}

/// 3.x: `/api/v3/write_lp?db=` (Core, Enterprise) or `/api/v2/write?bucket=`
/// (the Cloud editions), as the client's edition says.
pub(crate) struct V3 {
    client: crate::v3::Client,
    options: WriteOptions,
}

impl V3 {
    pub(crate) fn new(client: crate::v3::Client, opts: &WriterOptions) -> Result<Self> {
        if opts.bucket.is_some() || opts.retention_policy.is_some() {
            return Err(Error::new(
                ErrorKind::Builder,
                "bucket and retention policy are not 3.x writer options: use WriterOptions::database",
            ));
        }
        let database = opts.database.clone().or_else(|| client.database().map(str::to_owned)).ok_or_else(|| {
            Error::new(
                ErrorKind::Builder,
                "no database to write to: set WriterOptions::database or the client's database",
            )
        })?;
        let mut options = WriteOptions::new().database(database).precision(opts.precision);
        if let Some(gzip) = opts.gzip {
            options = options.gzip(gzip);
        }
        Ok(Self { client, options })
    }
}

impl WriteTarget for V3 {
    fn write(&self, body: Bytes, idempotent: bool) -> BoxFuture<'_, Result<()>> {
        Box::pin(self.client.send_lp(body, &self.options, idempotent))
    }

    fn destination(&self) -> &dyn fmt::Debug {
        &self.options.database
    }
}
