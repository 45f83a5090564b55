//! The engine behind the [`influx`](https://docs.rs/influx) crate: line
//! protocol, the HTTP client, row decoding and the batching writer.
//!
//! Use it through the `influx` facade; this crate's layout is not a stable API.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod api;
#[cfg(feature = "arrow")]
#[cfg_attr(docsrs, doc(cfg(feature = "arrow")))]
pub mod arrow;
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
pub mod client;
pub mod decode;
pub mod error;
pub mod flux;
pub mod influxql;
pub mod line_protocol;
pub mod pattern;
#[cfg(feature = "polars")]
#[cfg_attr(docsrs, doc(cfg(feature = "polars")))]
pub mod polars;
pub mod precision;
pub mod schema;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
pub mod v2;
pub mod v3;
pub mod writer;

pub use client::{
    Balance, ChunkStream, Client, ClientBuilder, Consistency, NodeStats, Query, QueryMethod, QueryResults, RowStream,
    UdpWriter, WriteOptions,
};
pub use decode::{DecodeRow, QueryResponse, SerdeRow, SeriesInfo};
pub use error::{Error, ErrorKind, RejectedLine, Result};
pub use line_protocol::{EncodeOptions, Encoder, FieldValue, Point, TagValue, TimeValue, Value, WritePoint};
pub use precision::Precision;
pub use schema::{Column, ColumnKind, FieldType, InfluxPoint};

// `RejectedLine` and these are at the root of the `influx` facade too: examples written for it
// (`influx::Render`, see scripts/doc-paths.py) then compile as this crate's doctests.
pub use pattern::{BoxFuture, QueryExecutor, QueryOutput, Render};
