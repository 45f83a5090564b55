//! The input of `query_pattern!`: a trait whose methods are `fn name(args) -> Out = "template";`,
//! InfluxQL unless the trait is marked `#[flux]`.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, parenthesized, Attribute, Ident, LitStr, Token, Type, Visibility};

pub(crate) struct Input {
    pub(crate) krate: TokenStream,
    pub(crate) language: Language,
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) patterns: Vec<Pattern>,
}

/// The query language of a pattern trait: InfluxQL unless the trait is marked `#[flux]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    InfluxQl,
    Flux,
}

/// The marker attribute of a Flux pattern trait.
const FLUX: &str = "flux";

pub(crate) struct Pattern {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) name: Ident,
    pub(crate) params: Vec<Param>,
    pub(crate) output: Option<Type>,
    pub(crate) template: LitStr,
    /// `= sql "..."`: a SQL template for InfluxDB 3 (else InfluxQL).
    pub(crate) sql: bool,
}

pub(crate) struct Param {
    pub(crate) name: Ident,
    pub(crate) ty: Type,
}

impl Parse for Param {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        Ok(Param { name, ty: input.parse()? })
    }
}

impl Parse for Pattern {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        if let Some(flux) = attrs.iter().find(|a| a.path().is_ident(FLUX)) {
            return Err(syn::Error::new_spanned(flux, "`#[flux]` goes on the trait, not on one pattern"));
        }
        input.parse::<Token![fn]>()?;
        let name: Ident = input.parse()?;
        let content;
        parenthesized!(content in input);
        let params: Punctuated<Param, Token![,]> = content.parse_terminated(Param::parse, Token![,])?;
        let output = if input.peek(Token![->]) {
            input.parse::<Token![->]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        if !input.peek(Token![=]) {
            return Err(
                input.error("expected `= \"<InfluxQL template>\";` or `= sql \"<SQL template>\";` after the signature")
            );
        }
        input.parse::<Token![=]>()?;
        let sql = if input.peek(Ident) {
            let word: Ident = input.parse()?;
            if word != "sql" {
                return Err(syn::Error::new(word.span(), format!("unknown template language `{word}`: write `sql \"...\"` for SQL, or just the string for InfluxQL")));
            }
            true
        } else {
            false
        };
        let template: LitStr =
            input.parse().map_err(|e| syn::Error::new(e.span(), "expected the template as a string literal"))?;
        input.parse::<Token![;]>()?;
        Ok(Pattern { attrs, name, params: params.into_iter().collect(), output, template, sql })
    }
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        // The private key = value header written by the facade's `macro_rules!` front door.
        let mut krate: Option<TokenStream> = None;
        while input.peek(Ident) && input.peek2(Token![=]) || input.peek(Token![crate]) && input.peek2(Token![=]) {
            let key: proc_macro2::TokenTree = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "crate" => {
                    let mut path = TokenStream::new();
                    while !input.peek(Token![;]) {
                        path.extend([input.parse::<proc_macro2::TokenTree>()?]);
                    }
                    krate = Some(path);
                }
                other => return Err(syn::Error::new(key.span(), format!("unknown key `{other}`"))),
            }
            input.parse::<Token![;]>()?;
        }
        let mut attrs = input.call(Attribute::parse_outer)?;
        let mut language = Language::InfluxQl;
        let mut markers = attrs.iter().filter(|a| a.path().is_ident(FLUX));
        if let Some(flux) = markers.next() {
            if !matches!(flux.meta, syn::Meta::Path(_)) {
                return Err(syn::Error::new_spanned(flux, "`#[flux]` takes no arguments"));
            }
            if let Some(again) = markers.next() {
                return Err(syn::Error::new_spanned(again, "duplicate `#[flux]`"));
            }
            language = Language::Flux;
            attrs.retain(|a| !a.path().is_ident(FLUX));
        }
        let vis: Visibility = input.parse()?;
        input.parse::<Token![trait]>()?;
        let ident: Ident = input.parse()?;
        let content;
        braced!(content in input);
        let mut patterns = Vec::new();
        while !content.is_empty() {
            patterns.push(content.parse()?);
        }
        let krate = krate.unwrap_or_else(|| quote::quote!(::influx));
        Ok(Input { krate, language, attrs, vis, ident, patterns })
    }
}
