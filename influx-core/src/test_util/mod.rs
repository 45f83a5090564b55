//! Test tools for code that talks to InfluxDB (cargo feature `test-util`).
//!
//! - [`ReplayServer`]: an HTTP server on a free loopback port that checks every
//!   request against an official InfluxDB OpenAPI [`Contract`] (2.x OSS, 3.x Core,
//!   Enterprise, Cloud Dedicated) and answers the requests you expect with exact
//!   recorded bytes. A request that breaks the contract gets a `400` naming the
//!   problem and makes [`ReplayServer::verify`] fail, even if your code swallowed
//!   the `400`.
//! - [`recorded`]: byte-exact responses for the endpoints a client needs (writes,
//!   partial writes, throttling with `Retry-After`, annotated CSV, 3.x JSON and
//!   JSON lines, errors), each checked against its contract.
//! - [`flight::FlightServer`] (with the `flight` feature): an in-process Arrow
//!   Flight server that checks InfluxDB 3's tickets and token and answers with
//!   scripted record batches, stalls and errors.
//! - [`Recorder`]: a proxy that records a real server's answers to a file, and
//!   [`ReplayServer::from_recording`] to replay them in tests without the server.
//!
//! ```
//! # extern crate influx_core as influx;
//! use influx::test_util::{recorded, send, Contract, Exchange, Method, ReplayServer};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = ReplayServer::start(Contract::influxdb2())?;
//! server.expect(
//!     Exchange::new(Method::Post, "/api/v2/write")
//!         .query("bucket", "b")
//!         .respond_recorded(&recorded::V2_WRITE_RETRY_AFTER_503),
//! );
//!
//! // Your client goes here; `send` is a bare HTTP client for the example.
//! let auth = [("Authorization", "Token secret"), ("Content-Type", "text/plain; charset=utf-8")];
//! let (status, _) = send(&server.url(), "POST", "/api/v2/write?org=o&bucket=b", &auth, b"m v=1 1\n")?;
//! assert_eq!(status, 503);
//!
//! // `bucket` is required by the contract: a 400 and a recorded violation.
//! let (status, body) = send(&server.url(), "POST", "/api/v2/write?org=o", &auth, b"m v=1 1\n")?;
//! assert_eq!(status, 400);
//! assert!(String::from_utf8_lossy(&body).contains("missing required query parameter `bucket`"));
//!
//! let err = server.verify().unwrap_err();
//! assert_eq!(err.problems().len(), 1, "{err}");
//! # Ok(())
//! # }
//! ```

mod contract;
#[cfg(feature = "flight")]
#[cfg_attr(docsrs, doc(cfg(feature = "flight")))]
pub mod flight;
mod http;
pub mod recorded;
mod recorder;
mod schema;
mod server;
#[cfg(test)]
mod tests;

pub use contract::{Contract, ContractError, Violation};
pub use recorded::Recorded;
pub use recorder::{RecordedExchange, Recorder, Recording};
pub use server::{Exchange, Method, ReceivedRequest, ReplayError, ReplayServer};

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A bare blocking HTTP/1.1 request to an `http://host:port` URL, for tests:
/// sends `body` with `Content-Length` and `Connection: close`, and returns the
/// status and the (de-chunked) body. Times out after 30 s.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// let (status, body) = influx::test_util::send("http://127.0.0.1:8086", "GET", "/ping", &[], b"")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn send(
    url: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<(u16, Vec<u8>)> {
    let host = url
        .strip_prefix("http://")
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "only http:// URLs are supported"))?
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let headers: Vec<(String, String)> = headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let mut request = Vec::new();
    futures::executor::block_on(http::write_request(&mut request, method, target, host, &headers, body))?;
    stream.write_all(&request)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let mut reader = tokio::io::BufReader::new(&response[..]);
    let resp = futures::executor::block_on(http::read_response(&mut reader, method))?;
    Ok((resp.status, resp.body))
}
