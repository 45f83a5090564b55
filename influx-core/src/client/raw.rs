//! [`Request`]: an escape hatch for endpoints the client does not wrap
//! (influxdb-python's `request()`), with the client's connection, credentials,
//! timeout and error scrubbing.

use bytes::Bytes;

use super::http::{check_status, transport};
use super::Client;
use crate::{Error, ErrorKind, Result};

/// One HTTP request to any endpoint of the server, sent by [`Client::request`].
///
/// The path is relative to the client's URL (its path prefix included).
/// Query parameters go in [`Request::param`]; `u` and `p` (credentials in the
/// URL) are refused: the client sends its credentials in a header.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// use influx::client::Request;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// let vars = client.request(Request::get("/debug/vars")).await?;
/// println!("{} bytes of stats", vars.body().len());
/// let answer = client.request(Request::post("/query").param("q", "SHOW DATABASES")).await?;
/// let json: serde_json::Value = answer.json()?;
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct Request {
    method: String,
    path: String,
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl std::fmt::Debug for Request {
    // Parameter and header values may be secrets: only their names are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("params", &self.params.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("headers", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

impl Request {
    /// A request of `method` (`GET`, `POST`, `PUT`, `DELETE`, ...) to `path`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r = influx::client::Request::new("DELETE", "/api/v2/buckets/0123");
    /// # let _ = r;
    /// ```
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        Self { method: method.into(), path: path.into(), params: Vec::new(), headers: Vec::new(), body: Bytes::new() }
    }

    /// A `GET` of `path`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r = influx::client::Request::get("/debug/vars");
    /// # let _ = r;
    /// ```
    pub fn get(path: impl Into<String>) -> Self {
        Self::new("GET", path)
    }

    /// A `POST` to `path`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r = influx::client::Request::post("/query").param("q", "SHOW USERS");
    /// # let _ = r;
    /// ```
    pub fn post(path: impl Into<String>) -> Self {
        Self::new("POST", path)
    }

    /// Adds a query parameter (encoded for the URL).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r = influx::client::Request::get("/query").param("q", "SHOW DATABASES").param("pretty", "true");
    /// # let _ = r;
    /// ```
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Adds a header (besides the client's own headers and credentials).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r = influx::client::Request::post("/write").header("Content-Type", "text/plain");
    /// # let _ = r;
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The request body (not copied when it is a `Vec<u8>`, `String` or `Bytes`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r = influx::client::Request::post("/write").param("db", "metrics").body("cpu v=1");
    /// # let _ = r;
    /// ```
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }
}

/// The answer to a [`Request`]: status, headers and the whole body.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// let r = client.request(influx::client::Request::get("/ping")).await?;
/// assert_eq!(r.status(), 204);
/// println!("{:?}", r.header("X-Influxdb-Version"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl RawResponse {
    /// The HTTP status (2xx: other statuses are errors).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: influx::client::RawResponse) { assert!((200..300).contains(&r.status())); }
    /// ```
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The value of one header (names are case-insensitive).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: influx::client::RawResponse) { let _ = r.header("content-type"); }
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every header, names in lower case.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: influx::client::RawResponse) { for (k, v) in r.headers() { println!("{k}: {v}"); } }
    /// ```
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The body.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: influx::client::RawResponse) { let _ = r.body().len(); }
    /// ```
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 is an [`ErrorKind::Decode`] error).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: influx::client::RawResponse) -> influx::Result<()> { println!("{}", r.text()?); Ok(()) }
    /// ```
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.body)
            .map_err(|e| Error::new(ErrorKind::Decode, "the answer is not UTF-8 text").with_source(e))
    }

    /// The body decoded from JSON.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: influx::client::RawResponse) -> influx::Result<()> { let v: serde_json::Value = r.json()?; Ok(()) }
    /// ```
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| Error::new(ErrorKind::Decode, "the answer is not the JSON expected").with_source(e))
    }
}

/// Query parameters the client never sends from a caller: credentials in the URL.
pub(crate) fn check_param(name: &str) -> Result<()> {
    if name == "u" || name == "p" {
        return Err(Error::new(
            ErrorKind::Argument,
            format!("parameter `{name}` would put credentials in the URL: set them on the client"),
        ));
    }
    Ok(())
}

impl Client {
    /// Sends a [`Request`] to an endpoint the client does not wrap
    /// (influxdb-python's `request()`), with the client's credentials (in
    /// a header), headers, timeout and TLS settings. A status other than 2xx
    /// is an error typed like every other ([`Error::status`], the server's
    /// message scrubbed of secrets); the body is read whole. With several
    /// URLs ([`ClientBuilder::urls`](super::ClientBuilder::urls)) it goes to
    /// one node like every request; a `GET` or `HEAD` fails over to the next
    /// node after any failure, other methods only when the connection was
    /// refused (nothing was sent).
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// use influx::client::Request;
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let stats = client.request(Request::get("/debug/vars")).await?.json::<serde_json::Value>()?;
    /// # Ok(()) }
    /// ```
    pub async fn request(&self, request: Request) -> Result<RawResponse> {
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|_| Error::new(ErrorKind::Argument, format!("invalid HTTP method `{}`", request.method)))?;
        if !request.path.starts_with('/') || request.path.contains(['?', '#']) {
            return Err(Error::new(
                ErrorKind::Argument,
                format!("path `{}` must start with `/` and hold no `?` or `#` (use Request::param)", request.path),
            ));
        }
        for (k, _) in &request.params {
            check_param(k)?;
        }
        let mut req = self.bounded(self.shared.http.request(method, self.url(&request.path)));
        if !request.params.is_empty() {
            req = req.query(&request.params);
        }
        for (k, v) in &request.headers {
            if k.eq_ignore_ascii_case("authorization") {
                return Err(Error::new(ErrorKind::Argument, "set credentials on the client, not in a request header"));
            }
            req = req.header(k.as_str(), v.as_str());
        }
        let secrets: Vec<&str> = request.headers.iter().map(|(_, v)| v.as_str()).collect();
        let scrub = self.scrub().secrets(secrets).payload(&request.body);
        let resp = self.shared.send_by_method(self.authorize(req.body(request.body.clone()))).await?;
        let resp = check_status(resp, &scrub).await?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body = resp.bytes().await.map_err(transport)?;
        Ok(RawResponse { status, headers, body })
    }
}
