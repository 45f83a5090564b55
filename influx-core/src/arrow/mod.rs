//! Arrow `RecordBatch`es in and out (cargo feature `arrow`).
//!
//! See the facade's `influx::arrow` module (docs/columnar.md) for the whole story.
//!
//! ```
//! # extern crate influx_core as influx;
//! use std::sync::Arc;
//! use influx::arrow::{array::{Int64Array, RecordBatch}, BatchRows, FrameOptions};
//! let batch = RecordBatch::try_from_iter([("n", Arc::new(Int64Array::from(vec![7])) as _)]).unwrap();
//! let rows = BatchRows::new(&batch, &FrameOptions::measurement("m")).unwrap();
//! assert_eq!(influx::line_protocol::to_line_protocol(&rows.iter().next().unwrap(), &Default::default()).unwrap(), "m n=7i");
//! ```

mod flux;
mod jsonl;
mod points;
mod read;
mod rows;
mod series;
mod write;

pub use flux::decode_flux_answer;
pub use jsonl::decode_jsonl_answer;
pub use points::{schema_of, to_batch};
pub use read::{decode_answer, BatchStream, ReadOptions};
pub use rows::decode_batch;
pub use series::{decode_answer_series, SeriesBatch};
#[cfg(feature = "polars")]
pub(crate) use write::StrColumn;
pub use write::{BatchRow, BatchRowIter, BatchRows, FrameOptions};

/// The arrow-rs types this module takes and returns (`arrow-array` and
/// `arrow-schema`, version 60), re-exported so that your code names the same
/// versions.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::array::{Array, Int64Array};
/// assert_eq!(Int64Array::from(vec![1, 2]).len(), 2);
/// ```
pub mod array {
    pub use arrow_array::*;
}

/// Arrow's schema types (`arrow-schema`, version 60).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::datatypes::DataType;
/// assert!(DataType::Float64.is_floating());
/// ```
pub mod datatypes {
    pub use arrow_schema::*;
}
