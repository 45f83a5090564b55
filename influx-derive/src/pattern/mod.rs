//! `query_pattern!`: InfluxQL or Flux templates checked at compile time, rendered safely at run time.

mod ast;
mod check;
mod expand;

use proc_macro2::TokenStream;

pub(crate) use ast::Input;
use ast::Language;

pub(crate) fn expand(input: &Input) -> syn::Result<TokenStream> {
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let ((methods, extra), passed) = match input.language {
        Language::InfluxQl => {
            let checked: Vec<_> =
                input.patterns.iter().filter_map(|p| check::check(p).map_err(&mut push).ok()).collect();
            (expand::influxql(input, &checked), checked.iter().map(|c| &c.pattern.name).collect::<Vec<_>>())
        }
        Language::Flux => {
            let checked: Vec<_> =
                input.patterns.iter().filter_map(|p| check::check_flux(p).map_err(&mut push).ok()).collect();
            (expand::flux(input, &checked), checked.iter().map(|c| &c.pattern.name).collect::<Vec<_>>())
        }
    };
    let mut names = std::collections::HashSet::new();
    for p in &input.patterns {
        if !names.insert(p.name.to_string()) {
            push(syn::Error::new(p.name.span(), format!("duplicate pattern `{}`", p.name)));
        }
    }
    match errors {
        // Keep the trait (with the patterns that passed) so that its uses do not add errors.
        Some(e) => {
            let stubs = expand::stubs(input, methods, &passed);
            let e = e.into_compile_error();
            Ok(quote::quote!(#e #stubs))
        }
        None => Ok(expand::pattern_trait(input, &methods, extra)),
    }
}
