//! Proc macros of the `influx` crate. Use them through `influx`, which re-exports them.

use proc_macro::TokenStream;

mod influxql;

/// `#[derive(InfluxPoint)]`: see the `influx` crate's documentation.
#[proc_macro_derive(InfluxPoint, attributes(influx, tag, field, time))]
pub fn derive_influx_point(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}
