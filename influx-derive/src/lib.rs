//! Proc macros of the `influx` crate. Use them through `influx`, which re-exports them.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod names;

use proc_macro::TokenStream;

/// `#[derive(InfluxPoint)]`: see the `influx` crate's documentation.
#[proc_macro_derive(InfluxPoint, attributes(influx, tag, field, time))]
pub fn derive_influx_point(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive_or_fallback(&input).into()
}
