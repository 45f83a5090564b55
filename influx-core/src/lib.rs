//! The engine behind the [`influx`](https://docs.rs/influx) crate: line
//! protocol, the HTTP client, row decoding and the batching writer.
//!
//! Use it through the `influx` facade; this crate's layout is not a stable API.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod client;
pub mod error;
pub mod influxql;
pub mod line_protocol;
pub mod pattern;
pub mod precision;

pub use client::{Client, ClientBuilder};
pub use error::{Error, ErrorKind, Result};
pub use line_protocol::{EncodeOptions, Encoder, WritePoint};
pub use precision::Precision;
