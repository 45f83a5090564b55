//! `query_pattern!`: InfluxQL templates checked at compile time, rendered safely at run time.

mod ast;
mod check;
mod expand;

use proc_macro2::TokenStream;

pub(crate) use ast::Input;

pub(crate) fn expand(input: &Input) -> syn::Result<TokenStream> {
    let mut errors: Option<syn::Error> = None;
    let mut checked = Vec::new();
    for p in &input.patterns {
        match check::check(p) {
            Ok(c) => checked.push(c),
            Err(e) => match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            },
        }
    }
    let mut names = std::collections::HashSet::new();
    for p in &input.patterns {
        if !names.insert(p.name.to_string()) {
            let e = syn::Error::new(p.name.span(), format!("duplicate pattern `{}`", p.name));
            match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            }
        }
    }
    let expanded = expand::expand(input, &checked);
    match errors {
        // Keep the trait (with the patterns that passed) so that its uses do not add errors.
        Some(e) => {
            let stubs = expand::stubs(input, &checked);
            let e = e.into_compile_error();
            Ok(quote::quote!(#e #stubs))
        }
        None => Ok(expanded),
    }
}
