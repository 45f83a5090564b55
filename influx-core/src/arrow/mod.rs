//! Arrow `RecordBatch`es in and out (cargo feature `arrow`).
//!
//! See the facade's `influx::arrow` module (docs/columnar.md) for the whole story.

mod read;
mod rows;
mod write;

pub use read::{decode_answer, BatchStream, ReadOptions};
pub use rows::decode_batch;
pub(crate) use write::StrColumn;
pub use write::{BatchRow, BatchRowIter, BatchRows, FrameOptions};

/// The arrow-rs types this module takes and returns (`arrow-array` and
/// `arrow-schema`, version 60), re-exported so that your code names the same
/// versions.
pub mod array {
    pub use arrow_array::*;
}

/// Arrow's schema types (`arrow-schema`, version 60).
pub mod datatypes {
    pub use arrow_schema::*;
}
