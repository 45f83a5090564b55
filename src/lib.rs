//! A typed InfluxDB client. See the README.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub use influx_core::{Client, ClientBuilder, EncodeOptions, Encoder, Error, ErrorKind, Precision, Result, WritePoint};
pub use influx_derive::InfluxPoint;

#[doc(hidden)]
pub mod __private {
    pub use influx_core;
}
