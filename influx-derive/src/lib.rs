//! Proc macros of the `influx` crate. Use them through `influx`, which re-exports them.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod expand_decode;
mod names;

use proc_macro::TokenStream;

mod flux;
mod influxql;
mod pattern;
mod sql;

/// `#[derive(InfluxPoint)]`: see the `influx` crate's documentation.
#[proc_macro_derive(InfluxPoint, attributes(influx, tag, field, time))]
pub fn derive_influx_point(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive_or_fallback(&input).into()
}

/// The engine of `influx::query_pattern!`; use that macro, which documents the syntax.
#[proc_macro]
pub fn query_pattern(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as pattern::Input);
    pattern::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}
