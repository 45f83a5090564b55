//! The InfluxDB 2.x client: writes to buckets, Flux queries decoded into the
//! same row types as 1.x, deletes, and the management API.
//!
//! [`Client`] shares everything with the 1.x [`crate::Client`] but its
//! endpoints: the same [`ClientBuilder`] options and connection pool, the same
//! encoder (`#[derive(InfluxPoint)]`, [`crate::Point`]), the same batching
//! writer, the same [`DecodeRow`](crate::DecodeRow) contract and error type.
//! InfluxQL through 2.x's 1.x-compatibility `/query` and `/write` needs no new
//! client: build a 1.x [`crate::Client`] with [`ClientBuilder::token`] and a
//! database mapped by a [DBRP mapping](Client::dbrps).
//!
//! ```no_run
//! # extern crate influx_core as influx;
//! # async fn run() -> influx::Result<()> {
//! use influx::v2::Client;
//! let client = Client::new("http://localhost:8086", "acme", "my-token")?.with_bucket("metrics");
//! client.write_lp("cpu,host=a usage=0.5", &influx::WriteOptions::new()).await?;
//! # Ok(()) }
//! ```

mod delete;
mod error;
mod management;
mod query;
pub(crate) mod write;

pub use delete::{DeleteRequest, Predicate};
pub use management::{
    Authorization, Authorizations, Bucket, Buckets, Dbrp, Dbrps, Health, HealthCheck, Organization, Organizations,
    Permission, PermissionResource, Ready, RetentionRule, ServerVersion, SetupRequest, SetupResponse, User, Users,
};

use std::fmt;
use std::sync::Arc;

use crate::api::V2;
use crate::client::auth::Auth;
use crate::client::Shared;
use crate::line_protocol::EncodeOptions;
use crate::{ClientBuilder, Error, ErrorKind, Precision, Result};

/// A handle to one InfluxDB 2.x server (or a 3.x Cloud edition's 2.x-compatible
/// write path), for one organization and, optionally, a default bucket.
///
/// Cheap to clone: clones share one connection pool. Authenticates with
/// `Authorization: Token <token>`, which never appears in `Debug` or errors.
/// Unsigned integers are written with the `u` suffix (2.x reads it).
///
/// ```
/// # extern crate influx_core as influx;
/// let client = influx::v2::Client::new("http://localhost:8086", "acme", "s3cret-token").unwrap();
/// assert_eq!(client.org(), Some("acme"));
/// assert!(!format!("{client:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) shared: Arc<Shared>,
    pub(crate) auth: Auth,
    org: Option<Arc<str>>,
    bucket: Option<Arc<str>>,
    pub(crate) encode: Arc<EncodeOptions>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("v2::Client")
            .field("url", &self.shared.base)
            .field("nodes", &self.shared.nodes)
            .field("org", &self.org)
            .field("bucket", &self.bucket)
            .field("auth", &self.auth)
            .field("gzip", &self.shared.gzip)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with every connection option of [`ClientBuilder`], plus
    /// [`org`](ClientBuilder::org) and [`bucket`](ClientBuilder::bucket).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use std::time::Duration;
    /// let client = influx::v2::Client::builder("https://eu-central-1-1.aws.cloud2.influxdata.com")
    ///     .org("acme")
    ///     .bucket("metrics")
    ///     .token("my-token")
    ///     .timeout(Duration::from_secs(10))
    ///     .gzip(true)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(client.bucket(), Some("metrics"));
    /// ```
    pub fn builder(url: impl Into<String>) -> ClientBuilder<V2> {
        ClientBuilder::new_v2().url(url)
    }

    /// A client of the server at `url` for `org` (a name or an ID), authenticated by `token`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::v2::Client::new("http://localhost:8086", "acme", "my-token").unwrap();
    /// assert_eq!(client.bucket(), None);
    /// ```
    pub fn new(url: impl Into<String>, org: impl Into<String>, token: impl Into<String>) -> Result<Self> {
        Self::builder(url).org(org).token(token).build()
    }

    pub(crate) fn from_parts(
        shared: Arc<Shared>,
        auth: Auth,
        org: Option<Arc<str>>,
        bucket: Option<Arc<str>>,
        encode: Arc<EncodeOptions>,
    ) -> Self {
        Self { shared, auth, org, bucket, encode }
    }

    /// The organization (name or ID) of writes, queries and deletes.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let c = influx::v2::Client::new("http://h", "acme", "t").unwrap();
    /// assert_eq!(c.org(), Some("acme"));
    /// ```
    pub fn org(&self) -> Option<&str> {
        self.org.as_deref()
    }

    /// The default bucket of writes and deletes.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let c = influx::v2::Client::new("http://h", "acme", "t").unwrap();
    /// assert_eq!(c.with_bucket("b").bucket(), Some("b"));
    /// ```
    pub fn bucket(&self) -> Option<&str> {
        self.bucket.as_deref()
    }

    /// A handle on the same pool whose default bucket is `bucket`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let c = influx::v2::Client::new("http://h", "acme", "t").unwrap();
    /// let metrics = c.with_bucket("metrics");
    /// assert_eq!((c.bucket(), metrics.bucket()), (None, Some("metrics")));
    /// ```
    pub fn with_bucket(&self, bucket: impl Into<String>) -> Client {
        Client { bucket: Some(Arc::from(bucket.into())), ..self.clone() }
    }

    /// A handle on the same pool for another organization.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let c = influx::v2::Client::new("http://h", "acme", "t").unwrap();
    /// assert_eq!(c.with_org("other").org(), Some("other"));
    /// ```
    pub fn with_org(&self, org: impl Into<String>) -> Client {
        Client { org: Some(Arc::from(org.into())), ..self.clone() }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.shared.base)
    }

    pub(crate) fn authorize(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        self.auth.apply(req)
    }

    /// Sends `req` with the client's credentials through the node set (see
    /// `Shared::send_by_method`: only a GET or HEAD fails over after any failure).
    pub(crate) async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        self.shared.send_by_method(self.authorize(req)).await
    }

    /// Health and counters of each server this client sends to (see
    /// [`crate::Client::nodes`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::v2::Client::builder("http://db1:8086").urls(["http://db1:8086", "http://db2:8086"]).build().unwrap();
    /// assert_eq!(client.nodes().len(), 2);
    /// ```
    pub fn nodes(&self) -> Vec<crate::NodeStats> {
        self.shared.nodes.stats()
    }

    /// A handle whose every request goes to node `i` (no balancing, no failover).
    pub(crate) fn pinned(&self, i: usize) -> Client {
        Client { shared: Arc::new(self.shared.pinned(i)), ..self.clone() }
    }

    /// A request to `path` whose answer is read at once: bounded by the client's timeout.
    pub(crate) fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.shared.bounded(self.shared.http.request(method, self.url(path)))
    }

    /// `org` or `orgID` for a request, from the call or the client: an ID is 16 hex digits.
    pub(crate) fn org_param<'a>(&'a self, org: Option<&'a str>) -> Result<(&'static str, &'a str)> {
        let org = org.or(self.org.as_deref()).ok_or_else(|| {
            Error::new(ErrorKind::Builder, "no organization: set one on the client (`org`) or on the call")
        })?;
        Ok((if is_id(org) { "orgID" } else { "org" }, org))
    }

    /// The default precision of writes.
    pub(crate) fn precision(&self) -> Precision {
        self.encode.precision
    }
}

/// InfluxDB 2.x IDs are 16 lowercase hex digits; anything else is a name.
pub(crate) fn is_id(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names() {
        assert!(is_id("0123456789abcdef"));
        assert!(!is_id("0123456789ABCDEF"));
        assert!(!is_id("acme"));
        let c = Client::new("http://h", "0123456789abcdef", "t").unwrap();
        assert_eq!(c.org_param(None).unwrap(), ("orgID", "0123456789abcdef"));
        assert_eq!(c.org_param(Some("acme")).unwrap(), ("org", "acme"));
        let no_org = Client::builder("http://h").build().unwrap();
        assert_eq!(no_org.org_param(None).unwrap_err().kind(), ErrorKind::Builder);
    }

    #[test]
    fn unsigned_suffix_is_on_for_2x() {
        let c = Client::new("http://h", "o", "t").unwrap();
        assert!(c.encode.unsigned_suffix);
        let off = Client::builder("http://h").unsigned_suffix(false).build().unwrap();
        assert!(!off.encode.unsigned_suffix);
    }
}
