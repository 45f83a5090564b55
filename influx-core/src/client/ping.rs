//! [`Pong`]: what `/ping` says about the server.

use std::fmt;

/// The answer to [`Client::ping`](crate::Client::ping): the server's version
/// and build (`X-Influxdb-Version`, `X-Influxdb-Build`) and every header of
/// the answer (aioinflux's `ping()` returns the headers).
///
/// `Display` shows the version, so `println!("server {}", client.ping().await?)` prints it.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// let pong = client.ping().await?;
/// println!("InfluxDB {} ({:?} build)", pong.version(), pong.build());
/// println!("request id {:?}", pong.header("Request-Id"));
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Pong {
    pub(crate) version: String,
    pub(crate) build: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
}

impl Pong {
    pub(crate) fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
        let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Self {
            version: get("x-influxdb-version").unwrap_or_default(),
            build: get("x-influxdb-build"),
            headers: headers
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
        }
    }

    /// The server's version (`1.6.7`); empty if it did not say.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(p: influx::client::Pong) { assert!(p.version().starts_with("1.")); }
    /// ```
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The server's build (`OSS`, `ENT`), if it said.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(p: influx::client::Pong) { assert_eq!(p.build(), Some("OSS")); }
    /// ```
    pub fn build(&self) -> Option<&str> {
        self.build.as_deref()
    }

    /// The value of one header of the answer (names are case-insensitive).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(p: influx::client::Pong) { let id = p.header("request-id"); }
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every header of the answer, names in lower case, in the order received.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(p: influx::client::Pong) { for (k, v) in p.headers() { println!("{k}: {v}"); } }
    /// ```
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl fmt::Display for Pong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.version)
    }
}

impl fmt::Debug for Pong {
    // A proxy in front of the server may set cookies: values of such headers are left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HIDDEN: [&str; 3] = ["set-cookie", "authorization", "proxy-authenticate"];
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), if HIDDEN.contains(&k.as_str()) { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("Pong")
            .field("version", &self.version)
            .field("build", &self.build)
            .field("headers", &headers)
            .finish()
    }
}
