//! Flux: the rendered query, its literals, and the executors a Flux pattern
//! trait runs on.
//!
//! `query_pattern!` with `#[flux]` turns Flux templates into methods; every
//! placeholder is rendered here as one Flux literal, by a trait per position
//! (the same design as [`crate::influxql`]):
//!
//! | position | trait | Rust types |
//! |---|---|---|
//! | value (`r.host == {host}`, `range(start: {t})`) | [`FluxValue`] | `&str`, `String`, integers, floats, `bool`, `chrono::DateTime<Utc>`, [`Duration`], `std::time::Duration`, [`Regex`], [`Uint`], arrays of these |
//! | after a unary minus (`range(start: -{ago})`) | [`FluxDuration`] | [`Duration`] (not negative), `std::time::Duration` |
//! | after `=~` / `!~` | [`FluxRegex`] | [`Regex`] |
//! | glued to a unit (`-{days}d`) | [`FluxCount`] | integers (not negative) |
//!
//! The rules are those of the Flux scanner (`libflux/flux-core/src/scanner/scanner.rl`)
//! and its unescaping (`parser/strconv.rs`): see [`quote_string`] for strings,
//! [`FluxRegex`] for regexes, [`Duration`] for durations.
//!
//! ```
//! # extern crate influx_core as influx;
//! use influx::flux::{FluxValue, Duration};
//! let mut q = String::from("from(bucket: ");
//! "telemetry".write_flux(&mut q).unwrap();
//! q.push_str(") |> range(start: ");
//! (-Duration::from_mins(90)).write_flux(&mut q).unwrap();
//! q.push(')');
//! assert_eq!(q, r#"from(bucket: "telemetry") |> range(start: -1h30m)"#);
//! ```

mod args;
mod duration;
mod executor;
mod literal;
mod query;

pub use args::{FluxCount, FluxDuration, FluxRegex, FluxValue, Uint};
pub use duration::Duration;
pub use executor::{BlockingFluxClient, FluxClient, FluxExecutor, FluxOutput, FluxRender};
pub use literal::{quote_string, quote_string_into};
pub use query::FluxQuery;

/// A regular expression (RE2 syntax), the same type InfluxQL patterns take:
/// [`Regex::new`](crate::influxql::Regex::new) for a pattern,
/// [`Regex::exact`](crate::influxql::Regex::exact) to match a text literally.
pub use crate::influxql::Regex;

#[doc(hidden)]
pub use executor::{field_count, flux_query};
