#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Lets this crate use its own macros, whose generated code names `::influx`.
#[allow(unused_extern_crates)]
extern crate self as influx;

// Points: the derive, the dynamic builder, line protocol and the schema constants.
pub use influx_core::error::RejectedLine;
pub use influx_core::line_protocol::{self, DefaultTags, FieldValue, Point, TagValue, TimeValue, Value};
pub use influx_core::schema::{self, Column, ColumnKind, FieldType, InfluxPoint};
pub use influx_core::{EncodeOptions, Encoder, Error, ErrorKind, Precision, Result, WritePoint};
#[doc = include_str!("../docs/derive.md")]
pub use influx_derive::InfluxPoint;

// The client, queries and typed reads.
pub use influx_core::{
    Balance, ChunkStream, Client, ClientBuilder, Consistency, DecodeRow, NodeStats, Query, QueryMethod, QueryResponse,
    QueryResults, RowStream, SerdeRow, SeriesInfo, UdpWriter, WriteOptions,
};

/// What the 1.x client returns and takes besides rows: [`client::Pong`] from
/// `ping`, [`client::RetryPolicy`] for the builder, [`client::Request`] and
/// [`client::RawResponse`] for endpoints the client does not wrap, and the
/// schema check's [`client::SchemaConflict`].
///
/// ```no_run
/// use influx::client::{Request, RetryPolicy};
/// # async fn run() -> influx::Result<()> {
/// let client = influx::Client::builder("http://localhost:8086").retry_policy(RetryPolicy::attempts(3)).build()?;
/// let pong = client.ping().await?;
/// println!("InfluxDB {} {:?}", pong.version(), pong.build());
/// let vars = client.request(Request::get("/debug/vars")).await?;
/// # let _ = vars; Ok(()) }
/// ```
pub mod client {
    pub use influx_core::client::{ConflictKind, Pong, RawResponse, Request, RetryPolicy, SchemaConflict};
}

/// The API generations a [`ClientBuilder`] builds a client for ([`api::V1`], [`api::V2`], [`api::V3`]).
///
#[doc = include_str!("../docs/architecture.md")]
pub mod api {
    pub use influx_core::api::*;
}

/// InfluxDB 2.x: buckets and orgs, Flux queries, deletes and management ([`v2::Client`]).
///
#[doc = include_str!("../docs/v2.md")]
///
/// ```no_run
/// # async fn run() -> influx::Result<()> {
/// let client = influx::v2::Client::new("http://localhost:8086", "acme", "my-token")?.with_bucket("metrics");
/// client.write_lp("cpu,host=a usage=0.5", &influx::WriteOptions::new()).await?;
/// # Ok(()) }
/// ```
pub mod v2 {
    pub use influx_core::v2::*;
}

/// InfluxDB 3 (Core, Enterprise and the Cloud editions): databases, SQL and
/// InfluxQL queries decoded into typed rows, partial writes mapped to their
/// points, and management ([`v3::Client`]).
///
#[doc = include_str!("../docs/v3.md")]
pub mod v3 {
    pub use influx_core::v3::*;
}

/// Query results: raw JSON structures, row decoding traits and series metadata.
pub mod decode {
    pub use influx_core::decode::*;
    /// Support for the code `#[derive(InfluxPoint)]` and `query_pattern!`
    /// generate: reachable, not a stable API, not documented here.
    #[doc(hidden)]
    pub use influx_core::decode::{RowReader, SeqAccess, Slot, SlotKind, SlotPlan};
}

/// The synchronous client (cargo feature `blocking`, on by default).
#[cfg(feature = "blocking")]
pub mod blocking {
    pub use influx_core::blocking::*;
}

// The batching writer.
pub use influx_core::writer;

/// Arrow `RecordBatch`es in and out (cargo feature `arrow`).
///
#[doc = include_str!("../docs/columnar.md")]
#[cfg(feature = "arrow")]
#[cfg_attr(docsrs, doc(cfg(feature = "arrow")))]
pub mod arrow {
    pub use influx_core::arrow::*;
}

/// polars `DataFrame`s in and out (cargo feature `polars`, which implies `arrow`).
///
/// A frame is written as a record batch (its columns handed over through Arrow's C data
/// interface, values not copied), with the same [`FrameOptions`](crate::arrow::FrameOptions)
/// and rules (see [`arrow`]); an answer is read into record batches and each
/// handed to polars the same way. `DataFrame` is polars' own type (polars 0.55), re-exported
/// here so that the versions match.
///
/// ```
/// use std::sync::Arc;
/// use influx::arrow::array::{Float64Array, RecordBatch, StringArray};
/// use influx::arrow::{BatchRows, FrameOptions};
///
/// // A frame, as `query_polars` returns one (here from a batch).
/// let batch = RecordBatch::try_from_iter([
///     ("host", Arc::new(StringArray::from(vec!["a", "b"])) as _),
///     ("usage", Arc::new(Float64Array::from(vec![0.5, 2.0])) as _),
/// ]).unwrap();
/// let df: influx::polars::DataFrame = influx::polars::to_data_frame(&batch).unwrap();
/// assert_eq!(df.height(), 2);
///
/// // Writing a frame: `client.write(&rows)` sends these lines.
/// let batch = influx::polars::to_record_batch(&df).unwrap();
/// let rows = BatchRows::new(&batch, &FrameOptions::measurement("cpu").tag_columns(["host"])).unwrap();
/// let mut body = Vec::new();
/// influx::line_protocol::encode_batch(&rows, &mut body, &Default::default()).unwrap();
/// assert_eq!(body, b"cpu,host=a usage=0.5\ncpu,host=b usage=2.0");
/// ```
#[cfg(feature = "polars")]
#[cfg_attr(docsrs, doc(cfg(feature = "polars")))]
pub mod polars {
    pub use influx_core::polars::*;
}

/// Test tools: a contract-checking replay server and recorded responses (cargo feature `test-util`).
///
/// See `docs/testing.md` for the whole story. In short:
///
/// ```
/// use influx::test_util::{recorded, Contract, Exchange, Method, ReplayServer};
///
/// let server = ReplayServer::start(Contract::influxdb2()).unwrap();
/// server.expect(Exchange::new(Method::Get, "/ping").respond_recorded(&recorded::V2_PING));
/// // ... point the code under test at `server.url()` ...
/// # let (status, _) = influx::test_util::send(&server.url(), "GET", "/ping", &[], b"").unwrap();
/// # assert_eq!(status, 204);
/// server.verify().unwrap();
/// ```
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub use influx_core::test_util;

// Compile-checked queries and the management API built with them.
pub use influx_core::influxql::{self, Ident};
// `BoxFuture` is in the signatures of `FluxClient` and of the executors' `Output` types.
pub use influx_core::pattern::{BoxFuture, QueryExecutor, QueryOutput, Render};

/// Flux (InfluxDB 2): the rendered [`FluxQuery`](flux::FluxQuery), its typed
/// literals, and the executors of `query_pattern!` traits marked `#[flux]`.
///
/// ```
/// use influx::flux::{Duration, FluxRender};
///
/// influx::query_pattern! {
///     #[flux]
///     trait Recent {
///         fn recent(bucket: &str, ago: Duration) -> Vec<(i64, f64)> =
///             "from(bucket: {bucket}) |> range(start: -{ago})";
///     }
/// }
/// let q = FluxRender.recent("telemetry", Duration::from_mins(90)).unwrap();
/// assert_eq!(q.text(), r#"from(bucket: "telemetry") |> range(start: -1h30m)"#);
/// ```
pub mod flux {
    pub use influx_core::flux::{
        quote_string, quote_string_into, BlockingFluxClient, Duration, FluxClient, FluxCount, FluxDuration,
        FluxExecutor, FluxOutput, FluxQuery, FluxRegex, FluxRender, FluxValue, Regex, Uint,
    };
}

mod management;
pub use management::{
    ContinuousQueryInfo, DatabaseInfo, FieldKey, Grant, Management, MeasurementInfo, OptionalName, Privilege, Resample,
    RetentionPolicyChange, RetentionPolicyInfo, SeriesKey, TagKey, TagKeyValue, UserInfo,
};

/// The names most programs need, in one import: `use influx::prelude::*;`.
///
/// Brings the clients, the derive, [`Point`], [`Query`], the option types and
/// the [`Management`] trait (whose methods are then callable on any client).
///
/// ```no_run
/// use influx::prelude::*;
///
/// # async fn run() -> influx::Result<()> {
/// let client = Client::new("http://localhost:8086", "metrics")?;
/// client.create_database("metrics").await?;
/// client.create_retention_policy("short", "2h", 1, None, false, None).await?;
/// client.write(&[Point::new("cpu").tag("host", "a").field("usage", 0.5)]).await?;
/// let rows: Vec<(i64, f64)> = client.query_as(Query::new("SELECT usage FROM cpu")).await?;
/// # let _ = rows; Ok(()) }
/// ```
pub mod prelude {
    pub use crate::writer::{WriteMode, WriterOptions};
    pub use crate::{
        Client, Ident, InfluxPoint, Management, Point, Precision, Privilege, Query, Render, Resample,
        RetentionPolicyChange, WriteOptions,
    };
}

/// Compile-checked InfluxQL and Flux: a trait of query methods from templates.
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
    pub use influx_core::decode::{
        DecodeRow, DecodeTag, DecodeTime, DecodeValue, RowReader, SeqAccess, SeriesInfo, Slot, SlotKind, SlotPlan,
    };
    pub use influx_core::flux::{
        field_count, flux_query, FluxCount, FluxDuration, FluxExecutor, FluxQuery, FluxRegex, FluxValue,
    };
    pub use influx_core::influxql::{
        QueryDuration, QueryIdent, QueryInteger, QueryRegex, QuerySource, QueryString, QueryValue,
    };
    pub use influx_core::line_protocol::{__PreKey, Encoder, FieldValue, Key, TagValue, TimeValue, WritePoint};
    pub use influx_core::pattern::{
        missing_column_message, missing_sql_column_message, pattern_query, write_columns, ColumnMessage, QueryExecutor,
    };
    pub use influx_core::schema::{__CellType, __ColumnSink, Column, InfluxPoint};
    pub use influx_core::v3::{
        sql_query, write_sql_columns, SqlExecutor, SqlIdent, SqlInteger, SqlParams, SqlString, SqlValue,
    };
    pub use influx_core::Query;
    pub use influx_core::Result;
    pub use influx_derive::query_pattern;
}
