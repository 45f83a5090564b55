//! Code generation for the decoding half of `#[derive(InfluxPoint)]`: a `DecodeRow` impl that
//! maps a series' columns to members once (a `SlotPlan`), then reads each row positionally.
//!
//! The impl's bounds sit under `for<'__x>` so that a type whose members cannot be decoded
//! (a borrowed `&str` tag, a tag enum without `DecodeTag`) still derives its encoding: it
//! just does not implement `DecodeRow`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Container, Kind};

pub(crate) fn derive(c: &Container<'_>) -> syn::Result<TokenStream> {
    let krate = &c.crate_path;
    let p = quote!(#krate::__private);
    let ident = c.ident;
    let mut generics = c.generics.clone();
    let (_, ty_generics, _) = c.generics.split_for_impl();
    let written: Vec<_> = c.written().collect();

    {
        let where_clause = generics.make_where_clause();
        for f in &c.fields {
            let ty = f.ty;
            let bound = match f.kind {
                Kind::Tag => quote!(#p::DecodeTag),
                Kind::Field => quote!(#p::DecodeValue),
                Kind::Time => quote!(#p::DecodeTime),
                Kind::Skip => quote!(::core::default::Default),
            };
            where_clause.predicates.push(syn::parse_quote_spanned!(ty.span()=> for<'__x> #ty: #bound));
        }
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();

    let slots = written.iter().map(|f| {
        let key = &f.key;
        let kind = match f.kind {
            Kind::Tag => quote!(#p::SlotKind::Tag),
            Kind::Time => quote!(#p::SlotKind::Time),
            _ => quote!(#p::SlotKind::Field),
        };
        quote!(#p::Slot { name: #key, kind: #kind })
    });
    let vars: Vec<_> = (0..written.len()).map(|i| format_ident!("__v{}", i)).collect();
    let decls = written.iter().zip(&vars).map(|(f, v)| {
        let ty = f.ty;
        quote!(let mut #v: ::core::option::Option<#ty> = ::core::option::Option::None;)
    });
    let arms = written.iter().zip(&vars).enumerate().map(|(i, (f, v))| {
        let ty = f.ty;
        let read = match f.kind {
            Kind::Tag => quote_spanned!(ty.span()=> __r.tag::<#ty>()?),
            Kind::Time => quote_spanned!(ty.span()=> __r.time::<#ty>()?),
            _ => quote_spanned!(ty.span()=> __r.value::<#ty>()?),
        };
        quote!(#i => #v = ::core::option::Option::Some(#read),)
    });
    let tag_arms =
        written.iter().zip(&vars).enumerate().filter(|(_, (f, _))| f.kind == Kind::Tag).map(|(i, (f, v))| {
            let ty = f.ty;
            quote! {
                #i if #v.is_none() => #v = ::core::option::Option::Some(__r.series_tag::<#ty>(#i, __value)?),
            }
        });
    let mut written_i = 0usize;
    let members = c.fields.iter().map(|f| {
        let member = &f.member;
        if f.kind == Kind::Skip {
            return quote!(#member: ::core::default::Default::default(),);
        }
        let (i, v) = (written_i, &vars[written_i]);
        written_i += 1;
        let ty = f.ty;
        let absent = match f.kind {
            Kind::Tag => quote!(__r.absent_tag::<#ty>(#i)?),
            Kind::Time => quote!(__r.absent_time::<#ty>(#i)?),
            _ => quote!(__r.absent_value::<#ty>(#i)?),
        };
        quote! {
            #member: match #v {
                ::core::option::Option::Some(__x) => __x,
                ::core::option::Option::None => #absent,
            },
        }
    });

    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics #p::DecodeRow for #ident #ty_generics #where_clause {
            type Plan = #p::SlotPlan;

            fn plan(__series: &#p::SeriesInfo<'_>) -> ::core::result::Result<#p::SlotPlan, ::std::string::String> {
                const __SLOTS: &[#p::Slot] = &[#(#slots),*];
                #p::SlotPlan::new(__series, __SLOTS)
            }

            #[inline]
            fn decode_row<'__de, __A: #p::SeqAccess<'__de>>(
                __r: &mut #p::RowReader<'_, '__de, __A, #p::SlotPlan>,
            ) -> ::core::result::Result<Self, __A::Error> {
                #(#decls)*
                while let ::core::option::Option::Some(__slot) = __r.next_slot()? {
                    match __slot {
                        #(#arms)*
                        _ => __r.skip()?,
                    }
                }
                for (__slot, __value) in __r.plan().series_tags() {
                    match *__slot {
                        #(#tag_arms)*
                        _ => {}
                    }
                }
                ::core::result::Result::Ok(#ident { #(#members)* })
            }
        }
    })
}
