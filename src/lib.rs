//! A typed InfluxDB client. See the README.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Lets this crate use its own macros, whose generated code names `::influx`.
#[allow(unused_extern_crates)]
extern crate self as influx;

pub use influx_core::writer;
pub use influx_core::{Client, ClientBuilder, EncodeOptions, Encoder, Error, ErrorKind, Precision, Result, WritePoint};
pub use influx_derive::InfluxPoint;

#[doc(hidden)]
pub mod __private {
    pub use influx_core;
}
