//! The 3.x management API of Core and Enterprise: databases, tables, admin
//! tokens, last-value and distinct-value caches, `/health` and `/ping`.
//!
//! Each resource is a handle borrowed from the [`Client`] (`client.databases()`)
//! whose methods return typed values. The Cloud editions have no `/api/v3`
//! (their management API is a separate service): these calls fail there with
//! [`ErrorKind::Builder`] before anything is sent; [`Client::ping`] works on all.

use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::query::{quote_ident, quote_literal};
use super::{error, Client, Query};
use crate::client::http::transport;
use crate::{Error, ErrorKind, Result, SerdeRow};

/// The server's version, from `/ping` (its JSON body and the
/// `X-Influxdb-Version` / `X-Influxdb-Build` headers).
///
/// ```
/// # extern crate influx_core as influx;
/// let mut v = influx::v3::ServerVersion::default();
/// (v.version, v.build) = ("3.8.0".into(), "Core".into());
/// assert_eq!(v.to_string(), "3.8.0 (Core)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ServerVersion {
    /// The version (`3.8.0`).
    pub version: String,
    /// The build (`Core`, `Enterprise`, ...).
    pub build: String,
    /// The git revision, if the server said.
    pub revision: Option<String>,
    /// The server process's ID, if the server said.
    pub process_id: Option<String>,
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.version, self.build)
    }
}

/// An admin token as the server created it. The token never appears in `Debug`.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(t: &influx::v3::AdminToken) { let _secret: &str = t.token(); println!("{t:?}"); }
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AdminToken {
    /// The token's ID.
    #[serde(default)]
    pub id: Option<i64>,
    /// Its name (`_admin` for the operator token).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    token: String,
    /// The token's hash, as the server keeps it.
    #[serde(default)]
    pub hash: Option<String>,
    /// When it was created (RFC3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it expires (RFC3339), if it does.
    #[serde(default)]
    pub expiry: Option<String>,
}

impl AdminToken {
    /// The token (a secret: shown in full only when created).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(t: &influx::v3::AdminToken) -> bool { t.token().starts_with("apiv3_") }
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminToken")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("token", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("expiry", &self.expiry)
            .finish_non_exhaustive()
    }
}

/// The type of a field column of a table created ahead of writes.
///
/// ```
/// # extern crate influx_core as influx;
/// assert_eq!(serde_json::to_string(&influx::v3::FieldType::Float64).unwrap(), r#""float64""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FieldType {
    /// A string.
    Utf8,
    /// A signed integer.
    Int64,
    /// An unsigned integer.
    Uint64,
    /// A float.
    Float64,
    /// A boolean.
    Bool,
}

/// A field column of a table created ahead of writes.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::v3::{FieldSpec, FieldType};
/// let f = FieldSpec::new("temp", FieldType::Float64);
/// assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"name":"temp","type":"float64"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FieldSpec {
    /// The column name.
    pub name: String,
    /// The column type.
    #[serde(rename = "type")]
    pub kind: FieldType,
}

impl FieldSpec {
    /// A field named `name` of type `kind`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::FieldSpec::new("hum", influx::v3::FieldType::Float64);
    /// ```
    pub fn new(name: impl Into<String>, kind: FieldType) -> Self {
        Self { name: name.into(), kind }
    }
}

/// A last-value cache: the last `count` values of `value_columns` per series
/// of `key_columns` (server defaults where unset).
///
/// ```
/// # extern crate influx_core as influx;
/// use std::time::Duration;
/// let c = influx::v3::LastCache::new("home").name("room_temp").key_columns(["room"]).value_columns(["temp"]).count(5).ttl(Duration::from_secs(3600));
/// # let _ = c;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct LastCache {
    table: String,
    name: Option<String>,
    key_columns: Option<Vec<String>>,
    value_columns: Option<Vec<String>>,
    count: Option<u64>,
    ttl: Option<Duration>,
}

impl LastCache {
    /// A last-value cache of `table`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::LastCache::new("home");
    /// ```
    pub fn new(table: impl Into<String>) -> Self {
        Self { table: table.into(), name: None, key_columns: None, value_columns: None, count: None, ttl: None }
    }

    /// The cache's name (the server makes one up otherwise).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::LastCache::new("home").name("c");
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The columns that identify a series (the table's tags unless set).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::LastCache::new("home").key_columns(["room"]);
    /// ```
    pub fn key_columns<I: IntoIterator<Item = S>, S: Into<String>>(mut self, columns: I) -> Self {
        self.key_columns = Some(columns.into_iter().map(Into::into).collect());
        self
    }

    /// The columns whose values are cached (every other column unless set).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::LastCache::new("home").value_columns(["temp"]);
    /// ```
    pub fn value_columns<I: IntoIterator<Item = S>, S: Into<String>>(mut self, columns: I) -> Self {
        self.value_columns = Some(columns.into_iter().map(Into::into).collect());
        self
    }

    /// How many values per series to keep.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::LastCache::new("home").count(10);
    /// ```
    pub fn count(mut self, n: u64) -> Self {
        self.count = Some(n);
        self
    }

    /// How long a value stays (whole seconds).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::LastCache::new("home").ttl(std::time::Duration::from_secs(600));
    /// ```
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }
}

/// A distinct-value cache: the distinct values (combinations) of `columns`.
///
/// ```
/// # extern crate influx_core as influx;
/// use std::time::Duration;
/// let c = influx::v3::DistinctCache::new("home", ["room"]).name("rooms").max_cardinality(1000).max_age(Duration::from_secs(86_400));
/// # let _ = c;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DistinctCache {
    table: String,
    columns: Vec<String>,
    name: Option<String>,
    max_cardinality: Option<u64>,
    max_age: Option<Duration>,
}

impl DistinctCache {
    /// A distinct-value cache of `columns` of `table`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::DistinctCache::new("home", ["room", "floor"]);
    /// ```
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(table: impl Into<String>, columns: I) -> Self {
        Self {
            table: table.into(),
            columns: columns.into_iter().map(Into::into).collect(),
            name: None,
            max_cardinality: None,
            max_age: None,
        }
    }

    /// The cache's name (the server makes one up otherwise).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::DistinctCache::new("home", ["room"]).name("rooms");
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The most distinct combinations to keep.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::DistinctCache::new("home", ["room"]).max_cardinality(100);
    /// ```
    pub fn max_cardinality(mut self, n: u64) -> Self {
        self.max_cardinality = Some(n);
        self
    }

    /// How long a value stays (whole seconds).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v3::DistinctCache::new("home", ["room"]).max_age(std::time::Duration::from_secs(60));
    /// ```
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = Some(age);
        self
    }
}

/// Databases: `client.databases()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
/// client.databases().create("sensors", Some(std::time::Duration::from_secs(30 * 86_400))).await?;
/// assert!(client.databases().list().await?.iter().any(|d| d == "sensors"));
/// client.databases().delete("sensors").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Databases<'a>(&'a Client);

/// Tables of the client's database: `client.tables()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
/// use influx::v3::{FieldSpec, FieldType};
/// client.tables().create("home", &["room"], &[FieldSpec::new("temp", FieldType::Float64)]).await?;
/// assert!(client.tables().list().await?.iter().any(|t| t == "home"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Tables<'a>(&'a Client);

/// Admin tokens: `client.tokens()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f() -> influx::Result<()> {
/// // A fresh server: the first admin token needs no token.
/// let fresh = influx::v3::Client::builder("http://localhost:8181").build()?;
/// let admin = fresh.tokens().create_admin().await?;
/// let client = influx::v3::Client::new("http://localhost:8181", "sensors", admin.token())?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Tokens<'a>(&'a Client);

/// Last-value and distinct-value caches of the client's database: `client.caches()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
/// use influx::v3::{LastCache, Query};
/// client.caches().create_last(&LastCache::new("home").name("last_temp").key_columns(["room"]).value_columns(["temp"])).await?;
/// let last: Vec<(String, f64)> = client.query_as(Query::last_cache("home", Some("last_temp"), &["room", "temp"])).await?;
/// # let _ = last; Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Caches<'a>(&'a Client);

impl Client {
    async fn call<T: DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T> {
        let resp = self.send_by_method(req).await?;
        let bytes = error::check(self, resp).await?.bytes().await.map_err(transport)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::new(ErrorKind::Decode, "unexpected answer from the server").with_source(e))
    }

    async fn call_empty(&self, req: reqwest::RequestBuilder) -> Result<()> {
        let resp = self.send_by_method(req).await?;
        error::check(self, resp).await.map(drop)
    }

    fn json<B: Serialize + ?Sized>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &B,
    ) -> Result<reqwest::RequestBuilder> {
        let body = serde_json::to_vec(body)
            .map_err(|e| Error::new(ErrorKind::Encode, "cannot encode the request").with_source(e))?;
        Ok(self.request(method, path).header(reqwest::header::CONTENT_TYPE, "application/json").body(body))
    }

    /// Pings the server (`GET /ping`): its version and build. Works on every
    /// edition (the Cloud editions answer 204 with the headers only).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// println!("{}", client.ping().await?);
    /// # Ok(()) }
    /// ```
    pub async fn ping(&self) -> Result<ServerVersion> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Body {
            version: Option<String>,
            revision: Option<String>,
            process_id: Option<String>,
        }
        let resp = self.send_by_method(self.request(reqwest::Method::GET, "/ping")).await?;
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let (version, build) = (header("x-influxdb-version"), header("x-influxdb-build"));
        let bytes = error::check(self, resp).await?.bytes().await.map_err(transport)?;
        let body: Body = if bytes.iter().all(u8::is_ascii_whitespace) {
            Body::default()
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|e| Error::new(ErrorKind::Decode, "unexpected /ping answer").with_source(e))?
        };
        Ok(ServerVersion {
            version: if version.is_empty() { body.version.unwrap_or_default() } else { version },
            build,
            revision: body.revision,
            process_id: body.process_id,
        })
    }

    /// The server's health (`GET /health`): `Ok` with its text (`OK`) when
    /// it answers 200; an error otherwise (`500` when unavailable).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.health().await?;
    /// # Ok(()) }
    /// ```
    pub async fn health(&self) -> Result<String> {
        self.require_v3_api("/health")?;
        let resp = self.send_by_method(self.request(reqwest::Method::GET, "/health")).await?;
        let text = error::check(self, resp).await?.text().await.map_err(transport)?;
        Ok(text.trim().to_owned())
    }

    /// Databases.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// for db in client.databases().list().await? { println!("{db}"); }
    /// # Ok(()) }
    /// ```
    pub fn databases(&self) -> Databases<'_> {
        Databases(self)
    }

    /// Tables of the client's database.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let tables = client.tables().list().await?;
    /// # let _ = tables; Ok(()) }
    /// ```
    pub fn tables(&self) -> Tables<'_> {
        Tables(self)
    }

    /// Admin tokens.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let t = client.tokens().create_named_admin("ci", Some(std::time::Duration::from_secs(86_400))).await?;
    /// # let _ = t; Ok(()) }
    /// ```
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens(self)
    }

    /// Last-value and distinct-value caches of the client's database.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.caches().delete_last("home", "last_temp").await?;
    /// # Ok(()) }
    /// ```
    pub fn caches(&self) -> Caches<'_> {
        Caches(self)
    }
}

impl Databases<'_> {
    /// Every database (`GET /api/v3/configure/database?format=json`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let all = client.databases().list().await?;
    /// # let _ = all; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<String>> {
        self.0.require_v3_api("listing databases")?;
        // The contract says `{"databases": [...]}`; servers answer the rows of
        // SHOW DATABASES (`[{"iox::database": "..."}]`). Read both.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Answer {
            Object { databases: Vec<String> },
            Rows(Vec<serde_json::Map<String, serde_json::Value>>),
        }
        let req = self.0.request(reqwest::Method::GET, "/api/v3/configure/database").query(&[("format", "json")]);
        Ok(match self.0.call::<Answer>(req).await? {
            Answer::Object { databases } => databases,
            Answer::Rows(rows) => rows
                .into_iter()
                .filter_map(|mut r| match r.remove("iox::database") {
                    Some(serde_json::Value::String(s)) => Some(s),
                    _ => None,
                })
                .collect(),
        })
    }

    /// Creates a database; `retention` `None` keeps data forever.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.databases().create("sensors", None).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, name: &str, retention: Option<Duration>) -> Result<()> {
        self.0.require_v3_api("creating a database")?;
        #[derive(Serialize)]
        struct Post<'a> {
            db: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            retention_period: Option<String>,
        }
        let body = Post { db: name, retention_period: retention.map(duration_text).transpose()? };
        self.0.call_empty(self.0.json(reqwest::Method::POST, "/api/v3/configure/database", &body)?).await
    }

    /// Deletes a database (soft: the server schedules the hard deletion).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.databases().delete("scratch").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.0.require_v3_api("deleting a database")?;
        let req = self.0.request(reqwest::Method::DELETE, "/api/v3/configure/database").query(&[("db", name)]);
        self.0.call_empty(req).await
    }
}

impl Tables<'_> {
    /// The tables of the database (`SHOW TABLES`, schema `iox`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let tables = client.tables().list().await?;
    /// # let _ = tables; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            table_schema: String,
            table_name: String,
        }
        let rows: Vec<SerdeRow<Row>> = self.0.query_as(Query::sql("SHOW TABLES")).await?;
        Ok(rows.into_iter().filter(|r| r.0.table_schema == "iox").map(|r| r.0.table_name).collect())
    }

    /// Creates a table with these tag and field columns ahead of writes.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// use influx::v3::{FieldSpec, FieldType};
    /// client.tables().create("home", &["room"], &[FieldSpec::new("temp", FieldType::Float64)]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, table: &str, tags: &[&str], fields: &[FieldSpec]) -> Result<()> {
        self.0.require_v3_api("creating a table")?;
        #[derive(Serialize)]
        struct Post<'a> {
            db: &'a str,
            table: &'a str,
            tags: &'a [&'a str],
            fields: &'a [FieldSpec],
        }
        let body = Post { db: self.0.database_or(None)?, table, tags, fields };
        self.0.call_empty(self.0.json(reqwest::Method::POST, "/api/v3/configure/table", &body)?).await
    }

    /// Deletes a table (soft: the server schedules the hard deletion).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.tables().delete("home").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, table: &str) -> Result<()> {
        self.0.require_v3_api("deleting a table")?;
        let db = self.0.database_or(None)?;
        let req =
            self.0.request(reqwest::Method::DELETE, "/api/v3/configure/table").query(&[("db", db), ("table", table)]);
        self.0.call_empty(req).await
    }
}

impl Tokens<'_> {
    /// Creates the operator admin token (a fresh server takes this without a token).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let admin = client.tokens().create_admin().await?;
    /// println!("{}", admin.token());
    /// # Ok(()) }
    /// ```
    pub async fn create_admin(&self) -> Result<AdminToken> {
        self.0.require_v3_api("creating an admin token")?;
        self.0.call(self.0.request(reqwest::Method::POST, "/api/v3/configure/token/admin")).await
    }

    /// Regenerates the operator admin token; the old one stops working.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let fresh = client.tokens().regenerate_admin().await?;
    /// # let _ = fresh; Ok(()) }
    /// ```
    pub async fn regenerate_admin(&self) -> Result<AdminToken> {
        self.0.require_v3_api("regenerating the admin token")?;
        self.0.call(self.0.request(reqwest::Method::POST, "/api/v3/configure/token/admin/regenerate")).await
    }

    /// Creates a named admin token, expiring after `expiry` (never if `None`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// let t = client.tokens().create_named_admin("ci", None).await?;
    /// # let _ = t; Ok(()) }
    /// ```
    pub async fn create_named_admin(&self, name: &str, expiry: Option<Duration>) -> Result<AdminToken> {
        self.0.require_v3_api("creating an admin token")?;
        #[derive(Serialize)]
        struct Post<'a> {
            token_name: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            expiry_secs: Option<u64>,
        }
        let body = Post { token_name: name, expiry_secs: expiry.map(|d| d.as_secs()) };
        self.0.call(self.0.json(reqwest::Method::POST, "/api/v3/configure/token/named_admin", &body)?).await
    }

    /// Deletes a token by name.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.tokens().delete("ci").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.0.require_v3_api("deleting a token")?;
        let req = self.0.request(reqwest::Method::DELETE, "/api/v3/configure/token").query(&[("token_name", name)]);
        self.0.call_empty(req).await
    }
}

impl Caches<'_> {
    /// Creates a last-value cache in the client's database.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.caches().create_last(&influx::v3::LastCache::new("home").key_columns(["room"])).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_last(&self, cache: &LastCache) -> Result<()> {
        self.0.require_v3_api("creating a last-value cache")?;
        #[derive(Serialize)]
        struct Post<'a> {
            db: &'a str,
            table: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            key_columns: Option<&'a [String]>,
            #[serde(skip_serializing_if = "Option::is_none")]
            value_columns: Option<&'a [String]>,
            #[serde(skip_serializing_if = "Option::is_none")]
            count: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            ttl: Option<u64>,
        }
        let body = Post {
            db: self.0.database_or(None)?,
            table: &cache.table,
            name: cache.name.as_deref(),
            key_columns: cache.key_columns.as_deref(),
            value_columns: cache.value_columns.as_deref(),
            count: cache.count,
            ttl: cache.ttl.map(|d| d.as_secs()),
        };
        self.0.call_empty(self.0.json(reqwest::Method::POST, "/api/v3/configure/last_cache", &body)?).await
    }

    /// Deletes a last-value cache.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.caches().delete_last("home", "last_temp").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_last(&self, table: &str, name: &str) -> Result<()> {
        self.delete("/api/v3/configure/last_cache", table, name).await
    }

    /// Creates a distinct-value cache in the client's database.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.caches().create_distinct(&influx::v3::DistinctCache::new("home", ["room"]).name("rooms")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_distinct(&self, cache: &DistinctCache) -> Result<()> {
        self.0.require_v3_api("creating a distinct-value cache")?;
        #[derive(Serialize)]
        struct Post<'a> {
            db: &'a str,
            table: &'a str,
            columns: &'a [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            max_cardinality: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            max_age: Option<u64>,
        }
        let body = Post {
            db: self.0.database_or(None)?,
            table: &cache.table,
            columns: &cache.columns,
            name: cache.name.as_deref(),
            max_cardinality: cache.max_cardinality,
            max_age: cache.max_age.map(|d| d.as_secs()),
        };
        self.0.call_empty(self.0.json(reqwest::Method::POST, "/api/v3/configure/distinct_cache", &body)?).await
    }

    /// Deletes a distinct-value cache.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v3::Client) -> influx::Result<()> {
    /// client.caches().delete_distinct("home", "rooms").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_distinct(&self, table: &str, name: &str) -> Result<()> {
        self.delete("/api/v3/configure/distinct_cache", table, name).await
    }

    async fn delete(&self, path: &str, table: &str, name: &str) -> Result<()> {
        self.0.require_v3_api("deleting a cache")?;
        let db = self.0.database_or(None)?;
        // The contract names the cache in the query and requires a JSON body too.
        let body = serde_json::json!({ "db": db, "table": table, "name": name });
        let req =
            self.0.json(reqwest::Method::DELETE, path, &body)?.query(&[("db", db), ("table", table), ("name", name)]);
        self.0.call_empty(req).await
    }
}

impl Query {
    /// The values a last-value cache holds: `SELECT <columns> FROM
    /// last_cache('table', 'name')` (`*` when `columns` is empty; the table's
    /// only cache when `name` is `None`). Names are quoted as SQL string
    /// literals, columns as SQL identifiers, so tuples see a known order.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::v3::Query;
    /// assert_eq!(Query::last_cache("home", Some("it's"), &[]).text(), "SELECT * FROM last_cache('home', 'it''s')");
    /// assert_eq!(Query::last_cache("home", None, &["room", "temp"]).text(), r#"SELECT "room", "temp" FROM last_cache('home')"#);
    /// ```
    pub fn last_cache(table: &str, name: Option<&str>, columns: &[&str]) -> Query {
        Query::sql(cache_query("last_cache", table, name, columns))
    }

    /// The values a distinct-value cache holds: `SELECT <columns> FROM
    /// distinct_cache('table', 'name')`, quoted as [`Query::last_cache`] does.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let q = influx::v3::Query::distinct_cache("home", None, &[]);
    /// assert_eq!(q.text(), "SELECT * FROM distinct_cache('home')");
    /// ```
    pub fn distinct_cache(table: &str, name: Option<&str>, columns: &[&str]) -> Query {
        Query::sql(cache_query("distinct_cache", table, name, columns))
    }
}

fn cache_query(function: &str, table: &str, name: Option<&str>, columns: &[&str]) -> String {
    let select = if columns.is_empty() {
        "*".to_owned()
    } else {
        columns.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ")
    };
    match name {
        Some(n) => format!("SELECT {select} FROM {function}({}, {})", quote_literal(table), quote_literal(n)),
        None => format!("SELECT {select} FROM {function}({})", quote_literal(table)),
    }
}

/// A retention period as the server reads it: the largest whole unit (`7d`, `90m`, `45s`).
fn duration_text(d: Duration) -> Result<String> {
    if d.subsec_nanos() != 0 || d.is_zero() {
        return Err(Error::new(
            ErrorKind::Argument,
            format!("retention period {d:?}: must be a positive whole number of seconds"),
        ));
    }
    let s = d.as_secs();
    Ok(match s {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_periods_are_written_in_whole_units() {
        assert_eq!(duration_text(Duration::from_secs(7 * 86_400)).unwrap(), "7d");
        assert_eq!(duration_text(Duration::from_secs(7_200)).unwrap(), "2h");
        assert_eq!(duration_text(Duration::from_secs(90 * 60)).unwrap(), "90m");
        assert_eq!(duration_text(Duration::from_secs(61)).unwrap(), "61s");
        assert_eq!(duration_text(Duration::from_millis(1500)).unwrap_err().kind(), ErrorKind::Argument);
        assert_eq!(duration_text(Duration::ZERO).unwrap_err().kind(), ErrorKind::Argument);
    }

    #[test]
    fn admin_tokens_hide_the_secret() {
        let t: AdminToken = serde_json::from_str(
            r#"{"id":0,"name":"_admin","token":"apiv3_secret","hash":"00xx","created_at":"2025-04-18T14:02:45.331Z","expiry":null}"#,
        )
        .unwrap();
        assert_eq!(t.token(), "apiv3_secret");
        assert!(!format!("{t:?}").contains("apiv3_secret"));
    }

    #[tokio::test]
    async fn cloud_editions_have_no_v3_management() {
        let c = Client::builder("http://127.0.0.1:1")
            .edition(super::super::Edition::CloudDedicated)
            .database("d")
            .build()
            .unwrap();
        assert_eq!(c.databases().list().await.unwrap_err().kind(), ErrorKind::Builder);
        assert_eq!(c.tables().create("t", &[], &[]).await.unwrap_err().kind(), ErrorKind::Builder);
        assert_eq!(c.tokens().create_admin().await.unwrap_err().kind(), ErrorKind::Builder);
        assert_eq!(c.caches().delete_last("t", "c").await.unwrap_err().kind(), ErrorKind::Builder);
        assert_eq!(c.health().await.unwrap_err().kind(), ErrorKind::Builder);
        assert_eq!(c.query_as::<(i64,)>("SELECT 1").await.unwrap_err().kind(), ErrorKind::Builder);
    }
}
