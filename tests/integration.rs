//! Every integration test in one binary.
//!
//! One binary links the HTTP stack once instead of once per file, which keeps CI's build time
//! and disk use down, and lets every module share one throwaway `influxd` (`support::url`).
//! Each module is still its own file under `tests/`; run one with
//! `cargo test --all-features --test integration writer::` (a name prefix filters).
//!
//! The bounded-memory streaming tests live in `tests/memory.rs` (they need a counting global
//! allocator and must run alone), the compile-fail tests in the `tests/ui` crate.

mod support;

// The annotated-CSV bodies the Flux bench decodes, shared by the flux and flux_prop modules.
#[path = "../benches/flux_body.rs"]
mod flux_body;

#[path = "byte_matrix.rs"]
mod byte_matrix;
#[path = "client.rs"]
mod client;
#[cfg(feature = "blocking")]
#[path = "client_blocking.rs"]
mod client_blocking;
#[path = "cluster.rs"]
mod cluster;
#[cfg(feature = "arrow")]
#[path = "columnar.rs"]
mod columnar;
#[path = "decode.rs"]
mod decode;
#[cfg(feature = "test-util")]
#[path = "default_tags_env.rs"]
mod default_tags_env;
#[path = "derive.rs"]
mod derive;
#[cfg(all(feature = "flight", feature = "test-util"))]
#[path = "flight.rs"]
mod flight;
#[path = "float_exact.rs"]
mod float_exact;
#[path = "flux.rs"]
mod flux;
#[path = "flux_pattern.rs"]
mod flux_pattern;
#[path = "flux_prop.rs"]
mod flux_prop;
#[cfg(all(feature = "arrow", feature = "test-util"))]
#[path = "frames.rs"]
mod frames;
#[path = "harness.rs"]
mod harness;
#[path = "line_protocol.rs"]
mod line_protocol;
#[path = "line_protocol_prop.rs"]
mod line_protocol_prop;
#[path = "management.rs"]
mod management;
#[path = "parity.rs"]
mod parity;
#[path = "pattern.rs"]
mod pattern;
#[path = "query.rs"]
mod query;
#[cfg(feature = "test-util")]
#[path = "replay.rs"]
mod replay;
#[cfg(feature = "test-util")]
#[path = "v2.rs"]
mod v2;
#[cfg(feature = "test-util")]
#[path = "v3.rs"]
mod v3;
#[path = "victoria.rs"]
mod victoria;
#[path = "writer.rs"]
mod writer;
#[path = "writer_faults.rs"]
mod writer_faults;
