//! The 2.x management API users reach for: buckets, organizations,
//! authorizations (tokens), users, DBRP mappings, setup, health, ready and ping.
//!
//! Each resource is a handle borrowed from the [`Client`] (`client.buckets()`)
//! whose methods return typed values. Lists follow the server's pages until the
//! end, so a caller never sees a silently truncated list.

use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{error, Client};
use crate::client::http::transport;
use crate::{Error, ErrorKind, Result};

/// The server's version and build, from `/ping`'s `X-Influxdb-Version` and `X-Influxdb-Build` headers.
///
/// ```
/// # extern crate influx_core as influx;
/// let v = influx::v2::ServerVersion { version: "v2.7.11".into(), build: "OSS".into() };
/// assert_eq!(v.to_string(), "v2.7.11 (OSS)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerVersion {
    /// `X-Influxdb-Version`.
    pub version: String,
    /// `X-Influxdb-Build` (`OSS`, `cloud2`, ...).
    pub build: String,
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.version, self.build)
    }
}

/// `/health`: the server's overall status and its checks.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(h: influx::v2::Health) { if !h.is_pass() { eprintln!("{}: {:?}", h.name, h.message); } }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Health {
    /// The service name (`influxdb`).
    pub name: String,
    /// `pass` or `fail`.
    pub status: String,
    /// A human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// The server version.
    #[serde(default)]
    pub version: Option<String>,
    /// The server's commit.
    #[serde(default)]
    pub commit: Option<String>,
    /// Sub-checks.
    #[serde(default)]
    pub checks: Vec<HealthCheck>,
}

impl Health {
    /// True when the status is `pass`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(h: influx::v2::Health) -> bool { h.is_pass() }
    /// ```
    pub fn is_pass(&self) -> bool {
        self.status == "pass"
    }
}

/// One sub-check of [`Health`].
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(c: &influx::v2::HealthCheck) -> &str { &c.status }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct HealthCheck {
    /// The check's name.
    pub name: String,
    /// `pass` or `fail`.
    pub status: String,
    /// A human-readable message.
    #[serde(default)]
    pub message: Option<String>,
}

/// `/ready`: whether the server has started, and since when.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(r: influx::v2::Ready) -> bool { r.status == "ready" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Ready {
    /// `ready`.
    pub status: String,
    /// When the server started (RFC3339).
    #[serde(default)]
    pub started: Option<String>,
    /// Uptime as the server prints it (`14m45.9s`).
    #[serde(default)]
    pub up: Option<String>,
}

/// A retention rule: data older than `every_seconds` expires (0 = never).
///
/// ```
/// # extern crate influx_core as influx;
/// let r = influx::v2::RetentionRule::expire(std::time::Duration::from_secs(7 * 86_400));
/// assert_eq!(r.every_seconds, 604_800);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RetentionRule {
    /// Always `expire`.
    #[serde(rename = "type", default = "expire")]
    pub kind: String,
    /// Seconds to keep data; 0 keeps it forever.
    pub every_seconds: i64,
    /// The shard group duration, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_group_duration_seconds: Option<i64>,
}

fn expire() -> String {
    "expire".to_owned()
}

impl RetentionRule {
    /// Data older than `keep` expires; `Duration::ZERO` keeps it forever.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::v2::RetentionRule::expire(std::time::Duration::ZERO).every_seconds, 0);
    /// ```
    pub fn expire(keep: Duration) -> Self {
        Self {
            kind: expire(),
            every_seconds: i64::try_from(keep.as_secs()).unwrap_or(i64::MAX),
            shard_group_duration_seconds: None,
        }
    }
}

/// A bucket.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(b: &influx::v2::Bucket) { println!("{} {} {:?}", b.id, b.name, b.retention_rules); }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Bucket {
    /// The bucket's ID.
    #[serde(default)]
    pub id: String,
    /// The bucket's name.
    pub name: String,
    /// Its organization's ID.
    #[serde(rename = "orgID", default)]
    pub org_id: String,
    /// `user` or `system`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// The retention rules (empty or 0 seconds: kept forever).
    #[serde(default)]
    pub retention_rules: Vec<RetentionRule>,
    /// When it was created (RFC3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it was last changed (RFC3339).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// An organization.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(o: &influx::v2::Organization) -> &str { &o.id }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Organization {
    /// The organization's ID.
    #[serde(default)]
    pub id: String,
    /// The organization's name.
    pub name: String,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// `active` or `inactive`.
    #[serde(default)]
    pub status: Option<String>,
    /// When it was created (RFC3339).
    #[serde(default)]
    pub created_at: Option<String>,
}

/// A user.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(u: &influx::v2::User) -> &str { &u.name }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// The user's ID.
    #[serde(default)]
    pub id: String,
    /// The user's name.
    pub name: String,
    /// `active` or `inactive`.
    #[serde(default)]
    pub status: Option<String>,
}

/// What a permission applies to: a resource type (`buckets`, `orgs`, ...),
/// optionally one resource by ID, in one organization.
///
/// ```
/// # extern crate influx_core as influx;
/// let r = influx::v2::PermissionResource::bucket("0123456789abcdef", "fedcba9876543210");
/// assert_eq!(r.kind, "buckets");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PermissionResource {
    /// The resource type: `buckets`, `orgs`, `users`, `authorizations`, `dbrp`, `tasks`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// One resource's ID; all of this type when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The organization's ID.
    #[serde(rename = "orgID", default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The resource's name (set by the server in answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl PermissionResource {
    /// One bucket of one organization.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::PermissionResource::bucket("0123456789abcdef", "fedcba9876543210");
    /// ```
    pub fn bucket(bucket_id: impl Into<String>, org_id: impl Into<String>) -> Self {
        Self { kind: "buckets".into(), id: Some(bucket_id.into()), org_id: Some(org_id.into()), name: None }
    }

    /// Every resource of `kind` in one organization.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::PermissionResource::all("buckets", "0123456789abcdef");
    /// ```
    pub fn all(kind: impl Into<String>, org_id: impl Into<String>) -> Self {
        Self { kind: kind.into(), id: None, org_id: Some(org_id.into()), name: None }
    }
}

/// One permission of an [`Authorization`]: `read` or `write` on a resource.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::v2::{Permission, PermissionResource};
/// let p = Permission::write(PermissionResource::bucket("0123456789abcdef", "fedcba9876543210"));
/// assert_eq!(p.action, "write");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Permission {
    /// `read` or `write`.
    pub action: String,
    /// What it applies to.
    pub resource: PermissionResource,
}

impl Permission {
    /// Read access to `resource`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::Permission::read(influx::v2::PermissionResource::all("buckets", "0123456789abcdef"));
    /// ```
    pub fn read(resource: PermissionResource) -> Self {
        Self { action: "read".into(), resource }
    }

    /// Write access to `resource`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::Permission::write(influx::v2::PermissionResource::all("buckets", "0123456789abcdef"));
    /// ```
    pub fn write(resource: PermissionResource) -> Self {
        Self { action: "write".into(), resource }
    }
}

/// An authorization: a token and its permissions. The token never appears in `Debug`.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(a: &influx::v2::Authorization) { let _secret: &str = a.token(); println!("{a:?}"); }
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Authorization {
    /// The authorization's ID.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    token: String,
    /// `active` or `inactive`.
    #[serde(default)]
    pub status: Option<String>,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// The organization's ID.
    #[serde(rename = "orgID", default)]
    pub org_id: String,
    /// The user's ID.
    #[serde(rename = "userID", default)]
    pub user_id: Option<String>,
    /// What the token may do.
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

impl Authorization {
    /// The token (a secret: the server shows it in full only when it is created, or to an operator).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(a: &influx::v2::Authorization) -> usize { a.token().len() }
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("id", &self.id)
            .field("token", &"<redacted>")
            .field("status", &self.status)
            .field("description", &self.description)
            .field("org_id", &self.org_id)
            .field("user_id", &self.user_id)
            .field("permissions", &self.permissions)
            .finish()
    }
}

/// A DBRP mapping: which bucket a 1.x database and retention policy name
/// (InfluxQL's `db`/`rp`) reads and writes.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(m: &influx::v2::Dbrp) { println!("{}.{} -> {}", m.database, m.retention_policy, m.bucket_id); }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Dbrp {
    /// The mapping's ID.
    pub id: String,
    /// The organization's ID.
    #[serde(rename = "orgID")]
    pub org_id: String,
    /// The bucket's ID.
    #[serde(rename = "bucketID")]
    pub bucket_id: String,
    /// The 1.x database name.
    pub database: String,
    /// The 1.x retention policy name.
    pub retention_policy: String,
    /// Whether this is the database's default retention policy.
    #[serde(default)]
    pub default: bool,
    /// Whether the server made the mapping itself.
    #[serde(default)]
    pub r#virtual: bool,
}

/// The first user, organization, bucket and operator token of a fresh server (`/api/v2/setup`).
/// The password and token never appear in `Debug`.
///
/// ```
/// # extern crate influx_core as influx;
/// let req = influx::v2::SetupRequest::new("admin", "s3cret-pass", "acme", "metrics");
/// assert!(!format!("{req:?}").contains("s3cret"));
/// ```
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct SetupRequest {
    username: String,
    password: String,
    org: String,
    bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    retention_period_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

impl SetupRequest {
    /// The operator user, its password, the first organization and bucket.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::SetupRequest::new("admin", "password", "acme", "metrics");
    /// ```
    pub fn new(
        username: impl Into<String>,
        password: impl Into<String>,
        org: impl Into<String>,
        bucket: impl Into<String>,
    ) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            org: org.into(),
            bucket: bucket.into(),
            retention_period_seconds: None,
            token: None,
        }
    }

    /// The first bucket's retention (forever by default).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::SetupRequest::new("a", "p", "o", "b").retention(std::time::Duration::from_secs(86_400));
    /// ```
    pub fn retention(mut self, keep: Duration) -> Self {
        self.retention_period_seconds = Some(i64::try_from(keep.as_secs()).unwrap_or(i64::MAX));
        self
    }

    /// The operator token to create (the server makes one up otherwise).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let _ = influx::v2::SetupRequest::new("a", "p", "o", "b").token("my-operator-token");
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }
}

impl fmt::Debug for SetupRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetupRequest")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("org", &self.org)
            .field("bucket", &self.bucket)
            .field("retention_period_seconds", &self.retention_period_seconds)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// What `/api/v2/setup` created.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(s: influx::v2::SetupResponse) -> String { s.auth.token().to_owned() }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SetupResponse {
    /// The operator user.
    pub user: User,
    /// The first organization.
    pub org: Organization,
    /// The first bucket.
    pub bucket: Bucket,
    /// The operator authorization (its token is [`Authorization::token`]).
    pub auth: Authorization,
}

// ---- the handles ----

/// Buckets of the client's organization: `client.buckets()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
/// use std::time::Duration;
/// use influx::v2::RetentionRule;
/// let b = client.buckets().create("metrics", Some(RetentionRule::expire(Duration::from_secs(30 * 86_400)))).await?;
/// assert!(client.buckets().find("metrics").await?.is_some());
/// client.buckets().delete(&b.id).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Buckets<'a>(&'a Client);
/// Organizations: `client.organizations()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
/// for org in client.organizations().list().await? { println!("{} {}", org.id, org.name); }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Organizations<'a>(&'a Client);
/// Authorizations (API tokens): `client.authorizations()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
/// use influx::v2::{Permission, PermissionResource};
/// let org_id = client.org_id().await?;
/// let bucket = client.buckets().find("metrics").await?.expect("bucket");
/// let auth = client
///     .authorizations()
///     .create("telegraf", vec![Permission::write(PermissionResource::bucket(&bucket.id, &org_id))])
///     .await?;
/// println!("new token: {}", auth.token());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Authorizations<'a>(&'a Client);
/// Users: `client.users()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
/// let u = client.users().create("reader").await?;
/// client.users().set_password(&u.id, "a long password").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Users<'a>(&'a Client);
/// DBRP mappings (what makes InfluxQL work on 2.x): `client.dbrps()`.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
/// let bucket = client.buckets().find("metrics").await?.expect("bucket");
/// client.dbrps().create(&bucket.id, "metrics", "autogen", true).await?;
/// // Now a 1.x client with a token runs InfluxQL on the bucket:
/// let v1 = influx::Client::builder("http://localhost:8086").token("my-token").database("metrics").build()?;
/// # let _ = v1; Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Dbrps<'a>(&'a Client);

const PAGE: usize = 100;

#[derive(Deserialize)]
struct Links {
    #[serde(default)]
    next: Option<String>,
}

impl Client {
    async fn call<T: DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T> {
        let resp = self.send(req).await?;
        let bytes = error::check(self, resp).await?.bytes().await.map_err(transport)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::new(ErrorKind::Decode, "unexpected answer from the server").with_source(e))
    }

    async fn call_empty(&self, req: reqwest::RequestBuilder) -> Result<()> {
        let resp = self.send(req).await?;
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

    /// Every page of a list endpoint (`offset`/`limit` paging, until a short page or no `next` link).
    async fn list_all<T: DeserializeOwned>(
        &self,
        path: &str,
        key: &'static str,
        query: &[(&str, &str)],
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        loop {
            let offset = out.len().to_string();
            let limit = PAGE.to_string();
            let mut q: Vec<(&str, &str)> = query.to_vec();
            q.extend([("offset", offset.as_str()), ("limit", limit.as_str())]);
            let mut page: serde_json::Map<String, serde_json::Value> =
                self.call(self.request(reqwest::Method::GET, path).query(&q)).await?;
            let items: Vec<T> = match page.remove(key) {
                Some(v) => serde_json::from_value(v).map_err(|e| {
                    Error::new(ErrorKind::Decode, format!("unexpected `{key}` in the answer")).with_source(e)
                })?,
                None => Vec::new(),
            };
            let next = page.remove("links").and_then(|l| serde_json::from_value::<Links>(l).ok()).and_then(|l| l.next);
            let n = items.len();
            out.extend(items);
            if n < PAGE || next.is_none() {
                return Ok(out);
            }
        }
    }

    /// Pings the server (`/ping`, no token needed): its version and build.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// println!("{}", client.ping().await?);
    /// # Ok(()) }
    /// ```
    pub async fn ping(&self) -> Result<ServerVersion> {
        let resp = self.send(self.request(reqwest::Method::GET, "/ping")).await?;
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let v = ServerVersion { version: header("x-influxdb-version"), build: header("x-influxdb-build") };
        error::check(self, resp).await?;
        Ok(v)
    }

    /// The server's health (`/health`). A failing server answers 503 with the
    /// same body: that is returned as a [`Health`] whose status is `fail`, not an error.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// assert!(client.health().await?.is_pass());
    /// # Ok(()) }
    /// ```
    pub async fn health(&self) -> Result<Health> {
        let resp = self.send(self.request(reqwest::Method::GET, "/health")).await?;
        if resp.status().as_u16() == 503 {
            let body = resp.text().await.map_err(transport)?;
            if let Ok(h) = serde_json::from_str::<Health>(&body) {
                return Ok(h);
            }
            return Err(error::from_answer(503, &body, String::new(), None));
        }
        let bytes = error::check(self, resp).await?.bytes().await.map_err(transport)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::new(ErrorKind::Decode, "unexpected /health answer").with_source(e))
    }

    /// Whether the server has started (`/ready`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// println!("up for {:?}", client.ready().await?.up);
    /// # Ok(()) }
    /// ```
    pub async fn ready(&self) -> Result<Ready> {
        self.call(self.request(reqwest::Method::GET, "/ready")).await
    }

    /// Whether the server still needs [`Client::setup`] (`GET /api/v2/setup`).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// if client.setup_allowed().await? { /* a fresh server */ }
    /// # Ok(()) }
    /// ```
    pub async fn setup_allowed(&self) -> Result<bool> {
        #[derive(Deserialize)]
        struct Allowed {
            allowed: bool,
        }
        Ok(self.call::<Allowed>(self.request(reqwest::Method::GET, "/api/v2/setup")).await?.allowed)
    }

    /// Onboards a fresh server (`POST /api/v2/setup`, no token needed): the
    /// first user, organization, bucket and operator token.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f() -> influx::Result<()> {
    /// use influx::v2::{Client, SetupRequest};
    /// let fresh = Client::builder("http://localhost:8086").build()?;
    /// let done = fresh.setup(&SetupRequest::new("admin", "a long password", "acme", "metrics")).await?;
    /// let client = Client::new("http://localhost:8086", "acme", done.auth.token())?.with_bucket("metrics");
    /// # let _ = client; Ok(()) }
    /// ```
    pub async fn setup(&self, request: &SetupRequest) -> Result<SetupResponse> {
        self.call(self.json(reqwest::Method::POST, "/api/v2/setup", request)?).await
    }

    /// The ID of the client's organization (looked up by name unless the client was given an ID).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let id = client.org_id().await?;
    /// # let _ = id; Ok(()) }
    /// ```
    pub async fn org_id(&self) -> Result<String> {
        match self.org_param(None)? {
            ("orgID", id) => Ok(id.to_owned()),
            (_, name) => self
                .organizations()
                .find(name)
                .await?
                .map(|o| o.id)
                .ok_or_else(|| Error::new(ErrorKind::Status, format!("organization `{name}` not found"))),
        }
    }

    /// Buckets of the client's organization.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// for b in client.buckets().list().await? { println!("{}", b.name); }
    /// # Ok(()) }
    /// ```
    pub fn buckets(&self) -> Buckets<'_> {
        Buckets(self)
    }

    /// Organizations.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let acme = client.organizations().find("acme").await?;
    /// # let _ = acme; Ok(()) }
    /// ```
    pub fn organizations(&self) -> Organizations<'_> {
        Organizations(self)
    }

    /// Authorizations (API tokens) of the client's organization.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let n = client.authorizations().list().await?.len();
    /// # let _ = n; Ok(()) }
    /// ```
    pub fn authorizations(&self) -> Authorizations<'_> {
        Authorizations(self)
    }

    /// Users.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let users = client.users().list().await?;
    /// # let _ = users; Ok(()) }
    /// ```
    pub fn users(&self) -> Users<'_> {
        Users(self)
    }

    /// DBRP mappings of the client's organization.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// for m in client.dbrps().list().await? { println!("{}/{} -> {}", m.database, m.retention_policy, m.bucket_id); }
    /// # Ok(()) }
    /// ```
    pub fn dbrps(&self) -> Dbrps<'_> {
        Dbrps(self)
    }
}

impl Buckets<'_> {
    /// Every bucket of the organization (all pages).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let all = client.buckets().list().await?;
    /// # let _ = all; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<Bucket>> {
        let (k, org) = self.0.org_param(None)?;
        self.0.list_all("/api/v2/buckets", "buckets", &[(k, org)]).await
    }

    /// The bucket named `name`, if any.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let b = client.buckets().find("metrics").await?;
    /// # let _ = b; Ok(()) }
    /// ```
    pub async fn find(&self, name: &str) -> Result<Option<Bucket>> {
        let (k, org) = self.0.org_param(None)?;
        let found: Vec<Bucket> = self.0.list_all("/api/v2/buckets", "buckets", &[(k, org), ("name", name)]).await?;
        Ok(found.into_iter().find(|b| b.name == name))
    }

    /// Creates a bucket; `retention` `None` keeps data forever.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let b = client.buckets().create("scratch", None).await?;
    /// # let _ = b; Ok(()) }
    /// ```
    pub async fn create(&self, name: &str, retention: Option<RetentionRule>) -> Result<Bucket> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Post<'a> {
            #[serde(rename = "orgID")]
            org_id: String,
            name: &'a str,
            retention_rules: Vec<RetentionRule>,
        }
        let body = Post { org_id: self.0.org_id().await?, name, retention_rules: retention.into_iter().collect() };
        self.0.call(self.0.json(reqwest::Method::POST, "/api/v2/buckets", &body)?).await
    }

    /// Changes a bucket's name, description or retention (`None` leaves it as is).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client, id: &str) -> influx::Result<()> {
    /// use influx::v2::RetentionRule;
    /// client.buckets().update(id, None, None, Some(RetentionRule::expire(std::time::Duration::from_secs(3600)))).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        bucket_id: &str,
        name: Option<&str>,
        description: Option<&str>,
        retention: Option<RetentionRule>,
    ) -> Result<Bucket> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Patch<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            retention_rules: Option<Vec<RetentionRule>>,
        }
        let body = Patch { name, description, retention_rules: retention.map(|r| vec![r]) };
        let path = format!("/api/v2/buckets/{}", path_segment(bucket_id)?);
        self.0.call(self.0.json(reqwest::Method::PATCH, &path, &body)?).await
    }

    /// Deletes a bucket and all its data.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client, id: &str) -> influx::Result<()> {
    /// client.buckets().delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, bucket_id: &str) -> Result<()> {
        let path = format!("/api/v2/buckets/{}", path_segment(bucket_id)?);
        self.0.call_empty(self.0.request(reqwest::Method::DELETE, &path)).await
    }
}

impl Organizations<'_> {
    /// Every organization the token can see.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let orgs = client.organizations().list().await?;
    /// # let _ = orgs; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<Organization>> {
        self.0.list_all("/api/v2/orgs", "orgs", &[]).await
    }

    /// The organization named `name`, if any.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let o = client.organizations().find("acme").await?;
    /// # let _ = o; Ok(()) }
    /// ```
    pub async fn find(&self, name: &str) -> Result<Option<Organization>> {
        match self.0.list_all::<Organization>("/api/v2/orgs", "orgs", &[("org", name)]).await {
            Ok(found) => Ok(found.into_iter().find(|o| o.name == name)),
            // 2.x answers a lookup of an unknown name with 404.
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates an organization.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let o = client.organizations().create("team-b").await?;
    /// # let _ = o; Ok(()) }
    /// ```
    pub async fn create(&self, name: &str) -> Result<Organization> {
        self.0.call(self.0.json(reqwest::Method::POST, "/api/v2/orgs", &serde_json::json!({ "name": name }))?).await
    }

    /// Deletes an organization and everything in it.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client, id: &str) -> influx::Result<()> {
    /// client.organizations().delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, org_id: &str) -> Result<()> {
        let path = format!("/api/v2/orgs/{}", path_segment(org_id)?);
        self.0.call_empty(self.0.request(reqwest::Method::DELETE, &path)).await
    }
}

impl Authorizations<'_> {
    /// Every authorization of the organization.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let all = client.authorizations().list().await?;
    /// # let _ = all; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<Authorization>> {
        let (k, org) = self.0.org_param(None)?;
        // The list endpoint is not paged.
        let mut page: serde_json::Map<String, serde_json::Value> =
            self.0.call(self.0.request(reqwest::Method::GET, "/api/v2/authorizations").query(&[(k, org)])).await?;
        serde_json::from_value(page.remove("authorizations").unwrap_or_default())
            .map_err(|e| Error::new(ErrorKind::Decode, "unexpected `authorizations` in the answer").with_source(e))
    }

    /// Creates a token with these permissions in the client's organization.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// use influx::v2::{Permission, PermissionResource};
    /// let org_id = client.org_id().await?;
    /// let a = client.authorizations().create("read all", vec![Permission::read(PermissionResource::all("buckets", &org_id))]).await?;
    /// # let _ = a; Ok(()) }
    /// ```
    pub async fn create(&self, description: &str, permissions: Vec<Permission>) -> Result<Authorization> {
        let body = serde_json::json!({
            "orgID": self.0.org_id().await?,
            "description": description,
            "status": "active",
            "permissions": permissions,
        });
        self.0.call(self.0.json(reqwest::Method::POST, "/api/v2/authorizations", &body)?).await
    }

    /// Deletes (revokes) an authorization.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client, id: &str) -> influx::Result<()> {
    /// client.authorizations().delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, authorization_id: &str) -> Result<()> {
        let path = format!("/api/v2/authorizations/{}", path_segment(authorization_id)?);
        self.0.call_empty(self.0.request(reqwest::Method::DELETE, &path)).await
    }
}

impl Users<'_> {
    /// Every user.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let users = client.users().list().await?;
    /// # let _ = users; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<User>> {
        self.0.list_all("/api/v2/users", "users", &[]).await
    }

    /// Creates a user (without a password: see [`Users::set_password`]).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let u = client.users().create("reader").await?;
    /// # let _ = u; Ok(()) }
    /// ```
    pub async fn create(&self, name: &str) -> Result<User> {
        self.0
            .call(self.0.json(
                reqwest::Method::POST,
                "/api/v2/users",
                &serde_json::json!({ "name": name, "status": "active" }),
            )?)
            .await
    }

    /// Sets a user's password. The password is sent in the body only, never logged.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client, id: &str) -> influx::Result<()> {
    /// client.users().set_password(id, "a long password").await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_password(&self, user_id: &str, password: &str) -> Result<()> {
        let path = format!("/api/v2/users/{}/password", path_segment(user_id)?);
        self.0
            .call_empty(self.0.json(reqwest::Method::POST, &path, &serde_json::json!({ "password": password }))?)
            .await
    }

    /// Deletes a user.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client, id: &str) -> influx::Result<()> {
    /// client.users().delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, user_id: &str) -> Result<()> {
        let path = format!("/api/v2/users/{}", path_segment(user_id)?);
        self.0.call_empty(self.0.request(reqwest::Method::DELETE, &path)).await
    }
}

impl Dbrps<'_> {
    /// Every mapping of the organization.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client) -> influx::Result<()> {
    /// let all = client.dbrps().list().await?;
    /// # let _ = all; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<Dbrp>> {
        let (k, org) = self.0.org_param(None)?;
        let mut page: serde_json::Map<String, serde_json::Value> =
            self.0.call(self.0.request(reqwest::Method::GET, "/api/v2/dbrps").query(&[(k, org)])).await?;
        serde_json::from_value(page.remove("content").unwrap_or_default())
            .map_err(|e| Error::new(ErrorKind::Decode, "unexpected `content` in the answer").with_source(e))
    }

    /// Maps the 1.x `database`/`retention_policy` to a bucket (by ID).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client, bucket_id: &str) -> influx::Result<()> {
    /// client.dbrps().create(bucket_id, "telegraf", "autogen", true).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, bucket_id: &str, database: &str, retention_policy: &str, default: bool) -> Result<Dbrp> {
        let (k, org) = self.0.org_param(None)?;
        let body = serde_json::json!({
            k: org,
            "bucketID": bucket_id,
            "database": database,
            "retention_policy": retention_policy,
            "default": default,
        });
        self.0.call(self.0.json(reqwest::Method::POST, "/api/v2/dbrps", &body)?).await
    }

    /// Deletes a mapping.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f(client: influx::v2::Client, id: &str) -> influx::Result<()> {
    /// client.dbrps().delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, dbrp_id: &str) -> Result<()> {
        let (k, org) = self.0.org_param(None)?;
        let path = format!("/api/v2/dbrps/{}", path_segment(dbrp_id)?);
        self.0.call_empty(self.0.request(reqwest::Method::DELETE, &path).query(&[(k, org)])).await
    }
}

/// An ID put in a URL path: IDs are hex digits; anything that could change the path is refused.
fn path_segment(id: &str) -> Result<&str> {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(id)
    } else {
        Err(Error::new(ErrorKind::Argument, format!("`{}` is not a valid ID", id.escape_debug())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug() {
        let a: Authorization = serde_json::from_str(
            r#"{"id":"1","token":"tok-secret-123","orgID":"o","permissions":[{"action":"read","resource":{"type":"buckets"}}]}"#,
        )
        .unwrap();
        assert_eq!(a.token(), "tok-secret-123");
        assert!(!format!("{a:?}").contains("tok-secret"));
        let s = SetupRequest::new("u", "pw-secret", "o", "b").token("tok-secret");
        assert!(!format!("{s:?}").contains("secret"));
    }

    #[test]
    fn ids_cannot_change_paths() {
        assert!(path_segment("0123456789abcdef").is_ok());
        for bad in ["", "../orgs", "a/b", "a?x=1", "a%2f"] {
            assert_eq!(path_segment(bad).unwrap_err().kind(), ErrorKind::Argument, "{bad}");
        }
    }

    #[test]
    fn retention_rules_serialize_as_the_contract_says() {
        let r = RetentionRule::expire(Duration::from_secs(3600));
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"type":"expire","everySeconds":3600}"#);
    }
}
