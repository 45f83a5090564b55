//! A typed InfluxDB client. See the README.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Lets this crate use its own macros, whose generated code names `::influx`.
#[allow(unused_extern_crates)]
extern crate self as influx;

pub use influx_core::{
    ChunkStream, DecodeRow, Query, QueryMethod, QueryResponse, QueryResults, RowStream, SerdeRow, SeriesInfo,
    UdpWriter, WriteOptions,
};
pub use influx_core::{Client, ClientBuilder, EncodeOptions, Encoder, Error, ErrorKind, Precision, Result, WritePoint};

/// Query results: raw JSON structures, row decoding traits and series metadata.
pub mod decode {
    pub use influx_core::decode::*;
}

/// The synchronous client (cargo feature `blocking`, on by default).
#[cfg(feature = "blocking")]
pub mod blocking {
    pub use influx_core::blocking::*;
}
pub use influx_derive::InfluxPoint;

#[doc(hidden)]
pub mod __private {
    pub use influx_core;
}
