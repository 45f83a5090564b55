//! The InfluxDB API generations a client speaks, as marker types.
//!
//! One [`ClientBuilder`](crate::ClientBuilder) carries every connection option
//! (URL, TLS, proxy, timeouts, gzip, headers, unix socket, pool) for every
//! generation; its type parameter says which client `build()` returns and which
//! generation-specific options exist (`database` for 1.x, `org`/`bucket` for
//! 2.x, `database`/`edition` for 3.x). The transport, the encoder, the batching writer and the row decoding
//! are shared; each generation adds only its endpoints and answer formats.
//!
//! ```
//! # extern crate influx_core as influx;
//! let v1: influx::Client = influx::Client::builder("http://localhost:8086").database("db").build().unwrap();
//! let v2: influx::v2::Client =
//!     influx::v2::Client::builder("http://localhost:8086").org("acme").bucket("metrics").token("t").build().unwrap();
//! let v3: influx::v3::Client =
//!     influx::v3::Client::builder("http://localhost:8181").database("sensors").token("t").build().unwrap();
//! # let _ = (v1, v2, v3);
//! ```

/// InfluxDB 1.x: `/write` with database and retention policy, InfluxQL over `/query`.
///
/// ```
/// # extern crate influx_core as influx;
/// let b: influx::ClientBuilder<influx::api::V1> = influx::ClientBuilder::new();
/// # let _ = b;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct V1;

/// InfluxDB 2.x: `/api/v2/write` with org and bucket, Flux over `/api/v2/query`.
///
/// ```
/// # extern crate influx_core as influx;
/// let b: influx::ClientBuilder<influx::api::V2> = influx::v2::Client::builder("http://h:8086");
/// # let _ = b;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct V2;

/// InfluxDB 3 (Core, Enterprise, and the Cloud editions): `/api/v3/write_lp`
/// (or the 2.x-compatible `/api/v2/write` where the edition has no `/api/v3`),
/// SQL and InfluxQL over `/api/v3/query_sql` and `/api/v3/query_influxql`.
///
/// ```
/// # extern crate influx_core as influx;
/// let b: influx::ClientBuilder<influx::api::V3> = influx::v3::Client::builder("http://h:8181");
/// # let _ = b;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct V3;

/// An API generation (sealed: implemented by [`V1`], [`V2`] and [`V3`]).
pub trait Api: sealed::Sealed + Clone + Default + Send + Sync + 'static {}
impl Api for V1 {}
impl Api for V2 {}
impl Api for V3 {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::V1 {}
    impl Sealed for super::V2 {}
    impl Sealed for super::V3 {}
}
