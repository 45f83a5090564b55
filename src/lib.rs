//! A typed InfluxDB client. See the README.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Lets this crate use its own macros, whose generated code names `::influx`.
#[allow(unused_extern_crates)]
extern crate self as influx;

pub use influx_core::{Client, ClientBuilder, EncodeOptions, Encoder, Error, ErrorKind, Precision, Result, WritePoint};
pub use influx_derive::InfluxPoint;

pub use influx_core::influxql::{self, Ident};
pub use influx_core::pattern::{PatternQuery, QueryExecutor, Render};

mod management;
pub use management::*;

/// Compile-checked InfluxQL: a trait of query methods from templates.
#[doc = include_str!("../docs/query_pattern.md")]
#[macro_export]
macro_rules! query_pattern {
    ($($input:tt)*) => {
        $crate::__private::query_pattern! { crate = $crate; $($input)* }
    };
}

#[doc(hidden)]
pub mod __private {
    pub use influx_core;
    pub use influx_core::influxql::{
        QueryDuration, QueryIdent, QueryInteger, QueryRegex, QuerySource, QueryString, QueryValue,
    };
    pub use influx_core::pattern::{
        missing_column_message, ColumnMessage, PatternQuery, PatternRow, QueryExecutor,
    };
    pub use influx_core::Result;
    pub use influx_derive::query_pattern;
}
