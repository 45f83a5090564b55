//! Code generation for `#[derive(InfluxPoint)]`: the `WritePoint` impl (keys
//! and measurement escaped here, tags pre-sorted) and the schema constants.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Container, Field, Kind};
use crate::check;
use crate::ctxt::Ctxt;
use crate::names;

/// The expansion, or every error found plus stub impls so that code using the
/// type as an `InfluxPoint` does not add a flood of follow-on errors.
pub(crate) fn derive_or_fallback(input: &syn::DeriveInput) -> TokenStream {
    derive(input).unwrap_or_else(|e| {
        let mut tokens = e.into_compile_error();
        tokens.extend(fallback(input));
        tokens
    })
}

fn fallback(input: &syn::DeriveInput) -> TokenStream {
    let syn::Data::Struct(_) = input.data else { return TokenStream::new() };
    let krate = crate::attr::container(&Ctxt::quiet(), &input.attrs).crate_path;
    let krate = krate.unwrap_or_else(|| syn::parse_quote!(::influx));
    let p = quote!(#krate::__private);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics #p::WritePoint for #ident #ty_generics #where_clause {
            fn write_point(&self, _: &mut #p::Encoder<'_>) -> #p::Result<()> {
                ::core::unimplemented!()
            }
        }
        impl #impl_generics #p::InfluxPoint for #ident #ty_generics #where_clause {
            const MEASUREMENT: &'static str = "";
            const TAG_KEYS: &'static [&'static str] = &[];
            const FIELD_KEYS: &'static [&'static str] = &[];
            const TIME_KEY: ::core::option::Option<&'static str> = ::core::option::Option::None;
            const COLUMNS: &'static [#p::Column] = &[];
        }
    }
}

/// The whole expansion of `#[derive(InfluxPoint)]`, or every error found.
pub(crate) fn derive(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let container = Container::from_ast(&cx, input);
    if let Some(c) = &container {
        check::check(&cx, c);
    }
    cx.check()?;
    let container = container.expect("a container whenever there is no error");
    let mut tokens = encode(&container);
    tokens.extend(crate::expand_decode::derive(&container)?);
    Ok(tokens)
}

fn encode(c: &Container<'_>) -> TokenStream {
    let krate = &c.crate_path;
    let p = quote!(#krate::__private);
    let ident = c.ident;
    let generics = bounded_generics(c, &p);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    let mut tags: Vec<&Field<'_>> = c.written().filter(|f| f.kind == Kind::Tag).collect();
    tags.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
    let fields: Vec<&Field<'_>> = c.written().filter(|f| f.kind == Kind::Field).collect();
    let time = c.written().find(|f| f.kind == Kind::Time);

    let write_tags = tags.iter().map(|f| {
        let (key, member, ty) = (&f.key, &f.member, f.ty);
        let prefix = syn::LitByteStr::new(format!(",{}=", names::escape(key, false)).as_bytes(), f.key_span);
        let value = quote_spanned!(ty.span()=> <#ty as #p::TagValue>::tag_value(&self.#member));
        quote! {
            if let ::core::option::Option::Some(__value) = #value {
                __enc.__tag_escaped(#key, #prefix, __value)?;
            }
        }
    });
    let write_fields = fields.iter().map(|f| {
        let (key, member, ty) = (&f.key, &f.member, f.ty);
        let escaped = names::escape(key, false);
        let line = syn::LitByteStr::new(format!(",{escaped}=").as_bytes(), f.key_span);
        let write = quote_spanned!(ty.span()=> <#ty as #p::FieldValue>::__write_field_pre);
        quote! {
            #write(&self.#member, __enc, &#p::__PreKey { name: #key, escaped_str: #escaped, line: #line })?;
        }
    });
    let write_time = time.map(|f| {
        let (member, ty) = (&f.member, f.ty);
        let nanos = quote_spanned!(ty.span()=> <#ty as #p::TimeValue>::unix_nanos(&self.#member));
        quote!(__enc.__timestamp_wide(#nanos)?;)
    });

    let measurement = &c.measurement;
    let measurement_escaped = syn::LitByteStr::new(names::escape(measurement, true).as_bytes(), c.measurement_span);
    let tag_keys = tags.iter().map(|f| &f.key);
    let field_keys = fields.iter().map(|f| &f.key);
    let time_key = if time.is_some() {
        quote!(::core::option::Option::Some("time"))
    } else {
        quote!(::core::option::Option::None)
    };
    let columns = c.written().map(|f| {
        let (key, ty, optional) = (&f.key, f.ty, f.option_inner.is_some());
        match f.kind {
            Kind::Tag => quote!(#p::Column::tag(#key, #optional)),
            Kind::Time => quote!(#p::Column::time(#optional)),
            _ => quote_spanned!(ty.span()=>
                #p::Column::field(#key, <#ty as #p::FieldValue>::FIELD_TYPE, <#ty as #p::FieldValue>::OPTIONAL)
            ),
        }
    });
    // Columnar conversion (`influx::arrow::to_batch`): the exact value types and a visitor
    // handing each column's typed value to a sink, by index into COLUMNS. Not on the write path.
    let cell_types = c.written().map(|f| {
        let ty = f.ty;
        match f.kind {
            Kind::Field => quote_spanned!(ty.span()=>
                ::core::option::Option::Some(<#ty as #p::FieldValue>::__CELL_TYPE)
            ),
            _ => quote!(::core::option::Option::None),
        }
    });
    let visit = c.written().enumerate().map(|(i, f)| {
        let (key, member, ty) = (&f.key, &f.member, f.ty);
        match f.kind {
            Kind::Tag => quote_spanned!(ty.span()=>
                __sink.tag(#i, <#ty as #p::TagValue>::tag_value(&self.#member))?;
            ),
            Kind::Time => quote_spanned!(ty.span()=>
                __sink.time(#i, <#ty as #p::TimeValue>::unix_nanos(&self.#member))?;
            ),
            _ => quote_spanned!(ty.span()=>
                <#ty as #p::FieldValue>::__visit_field(&self.#member, #key, #i, __sink)?;
            ),
        }
    });

    quote! {
        #[automatically_derived]
        impl #impl_generics #p::WritePoint for #ident #ty_generics #where_clause {
            fn write_point(&self, __enc: &mut #p::Encoder<'_>) -> #p::Result<()> {
                __enc.__measurement_escaped(#measurement_escaped);
                #(#write_tags)*
                #(#write_fields)*
                #write_time
                ::core::result::Result::Ok(())
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::InfluxPoint for #ident #ty_generics #where_clause {
            const MEASUREMENT: &'static str = #measurement;
            const TAG_KEYS: &'static [&'static str] = &[#(#tag_keys),*];
            const FIELD_KEYS: &'static [&'static str] = &[#(#field_keys),*];
            const TIME_KEY: ::core::option::Option<&'static str> = #time_key;
            const COLUMNS: &'static [#p::Column] = &[#(#columns),*];
            const __CELL_TYPES: &'static [::core::option::Option<#p::__CellType>] = &[#(#cell_types),*];
            fn __visit_columns(&self, __sink: &mut dyn #p::__ColumnSink) -> #p::Result<()> {
                #(#visit)*
                ::core::result::Result::Ok(())
            }
        }
    }
}

/// The struct's generics plus `T: TagValue` (etc.) for each written field whose
/// type mentions a type parameter, as serde does.
fn bounded_generics(c: &Container<'_>, p: &TokenStream) -> syn::Generics {
    let params: Vec<&syn::Ident> = c.generics.type_params().map(|t| &t.ident).collect();
    let mut generics = c.generics.clone();
    if params.is_empty() {
        return generics;
    }
    let where_clause = generics.make_where_clause();
    for f in c.written() {
        if !mentions_any(f.ty, &params) {
            continue;
        }
        let ty = f.ty;
        let bound = match f.kind {
            Kind::Tag => quote!(#p::TagValue),
            Kind::Field => quote!(#p::FieldValue),
            Kind::Time => quote!(#p::TimeValue),
            Kind::Skip => continue,
        };
        where_clause.predicates.push(syn::parse_quote_spanned!(ty.span()=> #ty: #bound));
    }
    generics
}

fn mentions_any(ty: &syn::Type, params: &[&syn::Ident]) -> bool {
    fn walk(tokens: TokenStream, params: &[&syn::Ident]) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => params.iter().any(|p| **p == i),
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), params),
            _ => false,
        })
    }
    walk(quote!(#ty), params)
}
