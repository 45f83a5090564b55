//! Bounded-memory streaming: 5,000,000 rows through each answer format (10,000,000 1.x rows and
//! 2,000,000 3.x `jsonl` rows into Arrow batches) with the heap measured.
//!
//! These tests need a counting global allocator (`support::alloc`), so they have a binary of
//! their own; each runs alone so that one test's allocations never count in another's peak.

mod support;

#[global_allocator]
static ALLOC: support::alloc::Counting = support::alloc::Counting;

#[cfg(feature = "arrow")]
#[path = "columnar_stream.rs"]
mod columnar_stream;
#[path = "flux_stream.rs"]
mod flux_stream;
#[path = "query_stream.rs"]
mod query_stream;
#[path = "v3_stream.rs"]
mod v3_stream;
