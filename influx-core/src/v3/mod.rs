//! The InfluxDB 3 client: writes to a database, SQL and InfluxQL queries
//! decoded into the same row types as 1.x and 2.x, and the management API.
//!
//! [`Client`] shares everything with the 1.x and 2.x clients but its
//! endpoints: the same [`ClientBuilder`] options and connection pool, the same
//! encoder (`#[derive(InfluxPoint)]`, [`crate::Point`]; unsigned integers keep
//! their `u` suffix), the same batching writer, the same
//! [`DecodeRow`](crate::DecodeRow) contract and error type. Which write path a
//! client uses depends on the [`Edition`].
//!
//! ```no_run
//! # extern crate influx_core as influx;
//! # async fn run() -> influx::Result<()> {
//! use influx::v3::{Client, Query};
//! let client = Client::builder("http://localhost:8181").database("sensors").token("apiv3_...").build()?;
//! client.write_lp("home,room=Kitchen temp=21.5", &influx::WriteOptions::new()).await?;
//! let rows: Vec<(String, f64)> = client.query_as(Query::sql("SELECT room, temp FROM home")).await?;
//! # let _ = rows; Ok(()) }
//! ```

mod error;
#[cfg(feature = "flight")]
#[cfg_attr(docsrs, doc(cfg(feature = "flight")))]
pub mod flight;
mod management;
mod pattern;
mod query;
mod write;

pub use management::{
    AdminToken, Caches, Databases, DistinctCache, FieldSpec, FieldType, LastCache, ServerVersion, Tables, Tokens,
};
#[doc(hidden)]
pub use pattern::{sql_query, write_sql_columns, SqlParam, SqlParams};
pub use pattern::{SqlExecutor, SqlIdent, SqlInteger, SqlString, SqlValue};
pub use query::{quote_ident, quote_literal, Format, Language, Query};

use std::fmt;
use std::sync::Arc;

use crate::api::V3;
use crate::client::auth::Auth;
use crate::client::Shared;
use crate::line_protocol::EncodeOptions;
use crate::{ClientBuilder, Error, ErrorKind, Precision, Result};

/// The InfluxDB 3 product a client talks to: it decides the write path and
/// which endpoints exist.
///
/// | edition | writes | queries over HTTP | management |
/// |---|---|---|---|
/// | `Core`, `Enterprise` | `/api/v3/write_lp` (`accept_partial`, `no_sync`) | `/api/v3/query_sql`, `/api/v3/query_influxql` | `/api/v3/configure/*`, `/health`, `/ping` |
/// | `CloudDedicated`, `CloudServerless`, `Clustered` | `/api/v2/write` (bucket = database) | none (Arrow Flight; InfluxQL over 1.x `/query` with [`crate::Client`]) | `/ping` only (the rest is a separate management API) |
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::v3::Edition;
/// assert!(Edition::Core.has_v3_api());
/// assert_eq!(Edition::CloudDedicated.write_path(), "/api/v2/write");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Edition {
    /// InfluxDB 3 Core (the default).
    #[default]
    Core,
    /// InfluxDB 3 Enterprise.
    Enterprise,
    /// InfluxDB Cloud Dedicated.
    CloudDedicated,
    /// InfluxDB Cloud Serverless.
    CloudServerless,
    /// InfluxDB Clustered.
    Clustered,
}

impl Edition {
    /// True for the editions that serve `/api/v3` (Core and Enterprise).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert!(!influx::v3::Edition::Clustered.has_v3_api());
    /// ```
    pub const fn has_v3_api(self) -> bool {
        matches!(self, Edition::Core | Edition::Enterprise)
    }

    /// The path writes go to: `/api/v3/write_lp` where the edition has it,
    /// else the 2.x-compatible `/api/v2/write`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::v3::Edition::Enterprise.write_path(), "/api/v3/write_lp");
    /// ```
    pub const fn write_path(self) -> &'static str {
        if self.has_v3_api() {
            "/api/v3/write_lp"
        } else {
            "/api/v2/write"
        }
    }
}

/// A handle to one InfluxDB 3 server (or cluster), for a default database.
///
/// Cheap to clone: clones share one connection pool. Authenticates with
/// `Authorization: Bearer <token>` (every 3.x endpoint takes it; `Token` only
/// the 1.x/2.x-compatible ones); the token never appears in `Debug` or errors.
///
/// ```
/// # extern crate influx_core as influx;
/// let client = influx::v3::Client::new("http://localhost:8181", "sensors", "s3cret-token").unwrap();
/// assert_eq!(client.database(), Some("sensors"));
/// assert!(!format!("{client:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) shared: Arc<Shared>,
    pub(crate) auth: Auth,
    database: Option<Arc<str>>,
    edition: Edition,
    accept_partial: bool,
    no_sync: bool,
    org: Option<Arc<str>>,
    pub(crate) encode: Arc<EncodeOptions>,
    #[cfg(feature = "flight")]
    pub(crate) flight: Arc<flight::FlightOptions>,
}

/// What [`ClientBuilder::build`] hands over.
pub(crate) struct Parts {
    pub(crate) shared: Arc<Shared>,
    pub(crate) auth: Auth,
    pub(crate) database: Option<Arc<str>>,
    pub(crate) edition: Edition,
    pub(crate) accept_partial: bool,
    pub(crate) no_sync: bool,
    pub(crate) org: Option<Arc<str>>,
    pub(crate) encode: Arc<EncodeOptions>,
    #[cfg(feature = "flight")]
    pub(crate) flight: Arc<flight::FlightOptions>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("v3::Client")
            .field("url", &self.shared.base)
            .field("edition", &self.edition)
            .field("database", &self.database)
            .field("auth", &self.auth)
            .field("accept_partial", &self.accept_partial)
            .field("no_sync", &self.no_sync)
            .field("gzip", &self.shared.gzip)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with every connection option of [`ClientBuilder`], plus
    /// [`database`](ClientBuilder::database), [`edition`](ClientBuilder::edition),
    /// [`accept_partial`](ClientBuilder::accept_partial) and [`no_sync`](ClientBuilder::no_sync).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use std::time::Duration;
    /// let client = influx::v3::Client::builder("http://localhost:8181")
    ///     .database("sensors")
    ///     .token("apiv3_token")
    ///     .timeout(Duration::from_secs(10))
    ///     .gzip(true)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(client.edition(), influx::v3::Edition::Core);
    /// ```
    pub fn builder(url: impl Into<String>) -> ClientBuilder<V3> {
        ClientBuilder::new_v3().url(url)
    }

    /// A client of the (Core) server at `url` for `database`, authenticated by `token`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let client = influx::v3::Client::new("http://localhost:8181", "sensors", "t").unwrap();
    /// # let _ = client;
    /// ```
    pub fn new(url: impl Into<String>, database: impl Into<String>, token: impl Into<String>) -> Result<Self> {
        Self::builder(url).database(database).token(token).build()
    }

    pub(crate) fn from_parts(p: Parts) -> Self {
        Self {
            shared: p.shared,
            auth: p.auth,
            database: p.database,
            edition: p.edition,
            accept_partial: p.accept_partial,
            no_sync: p.no_sync,
            org: p.org,
            encode: p.encode,
            #[cfg(feature = "flight")]
            flight: p.flight,
        }
    }

    /// The default database of writes and queries.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let c = influx::v3::Client::new("http://h", "sensors", "t").unwrap();
    /// assert_eq!(c.database(), Some("sensors"));
    /// ```
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The edition the client was built for.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let c = influx::v3::Client::new("http://h", "sensors", "t").unwrap();
    /// assert_eq!(c.edition(), influx::v3::Edition::Core);
    /// ```
    pub fn edition(&self) -> Edition {
        self.edition
    }

    /// A handle on the same pool whose default database is `database`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let c = influx::v3::Client::new("http://h", "sensors", "t").unwrap();
    /// assert_eq!(c.with_database("other").database(), Some("other"));
    /// ```
    pub fn with_database(&self, database: impl Into<String>) -> Client {
        Client { database: Some(Arc::from(database.into())), ..self.clone() }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.shared.base)
    }

    pub(crate) fn authorize(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        self.auth.apply(req)
    }

    /// Sends `req` with the client's credentials through the node set:
    /// `idempotent` requests may go on to another node after any failure,
    /// others only after a failed connection.
    pub(crate) async fn send(&self, req: reqwest::RequestBuilder, idempotent: bool) -> Result<reqwest::Response> {
        self.shared.send(self.authorize(req), idempotent).await
    }

    /// [`Client::send`] where the method decides (only a GET or HEAD fails over after any failure).
    pub(crate) async fn send_by_method(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        self.shared.send_by_method(self.authorize(req)).await
    }

    /// Health and counters of each server this client sends to (see
    /// [`crate::Client::nodes`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let c = influx::v3::Client::builder("http://a:8181").urls(["http://a:8181", "http://b:8181"]).build().unwrap();
    /// assert_eq!(c.nodes().len(), 2);
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

    /// The database of a call: the call's, else the client's.
    pub(crate) fn database_or<'a>(&'a self, db: Option<&'a str>) -> Result<&'a str> {
        db.or(self.database.as_deref()).ok_or_else(|| {
            Error::new(ErrorKind::Builder, "no database: set one on the client (`database`) or on the call")
        })
    }

    /// Fails unless the edition serves `/api/v3` (`what` names the call in the error).
    pub(crate) fn require_v3_api(&self, what: &str) -> Result<()> {
        if self.edition.has_v3_api() {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Builder,
                format!("{what} needs /api/v3, which {:?} does not serve", self.edition),
            ))
        }
    }

    /// The default precision of writes.
    pub(crate) fn precision(&self) -> Precision {
        self.encode.precision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_defaults_for_3x() {
        let c = Client::new("http://h:8181", "db", "tok").unwrap();
        assert!(c.encode.unsigned_suffix, "3.x reads the u suffix");
        assert!(c.accept_partial && !c.no_sync);
        assert_eq!(c.auth.header().unwrap().as_bytes(), b"Bearer tok");
        assert!(!format!("{c:?}").contains("tok"));
        let no_db = Client::builder("http://h").build().unwrap();
        assert_eq!(no_db.database_or(None).unwrap_err().kind(), ErrorKind::Builder);
        assert_eq!(no_db.database_or(Some("x")).unwrap(), "x");
    }

    #[test]
    fn cloud_editions_refuse_write_lp_options() {
        for e in [Edition::CloudDedicated, Edition::CloudServerless, Edition::Clustered] {
            assert!(Client::builder("http://h").edition(e).accept_partial(false).build().is_err());
            assert!(Client::builder("http://h").edition(e).no_sync(true).build().is_err());
            let c = Client::builder("http://h").edition(e).build().unwrap();
            assert_eq!(c.require_v3_api("query_sql").unwrap_err().kind(), ErrorKind::Builder);
        }
        assert!(Client::builder("http://h").edition(Edition::Enterprise).no_sync(true).build().is_ok());
    }
}
