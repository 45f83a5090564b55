//! Code generation: one trait with a default method per pattern, and a blanket
//! impl for every `QueryExecutor`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::Input;
use super::check::{Checked, Output};
use crate::influxql::{Projection, Role};

/// The executor trait a pattern trait needs: SQL patterns run only where SQL does.
fn executor(input: &Input) -> TokenStream {
    if input.patterns.iter().any(|p| p.sql) {
        quote!(SqlExecutor)
    } else {
        quote!(QueryExecutor)
    }
}

pub(crate) fn expand(input: &Input, checked: &[Checked<'_>]) -> TokenStream {
    let krate = &input.krate;
    let attrs = &input.attrs;
    let vis = &input.vis;
    let ident = &input.ident;
    let executor = executor(input);
    let methods = checked.iter().map(|c| method(krate, c));
    let column_checks = checked.iter().map(|c| column_check(krate, c));
    quote! {
        #(#attrs)*
        #vis trait #ident: #krate::__private::#executor {
            #(#methods)*
        }

        #[automatically_derived]
        impl<__E: #krate::__private::#executor + ?::core::marker::Sized> #ident for __E {}

        #(#column_checks)*
    }
}

/// The trait with every pattern that passed, and stubs for those that did not.
pub(crate) fn stubs(input: &Input, checked: &[Checked<'_>]) -> TokenStream {
    let krate = &input.krate;
    let (attrs, vis, ident) = (&input.attrs, &input.vis, &input.ident);
    let executor = executor(input);
    let methods = checked.iter().map(|c| method(krate, c));
    let failed = input.patterns.iter().filter(|p| !checked.iter().any(|c| c.pattern.name == p.name)).map(|p| {
        let name = &p.name;
        let params = p.params.iter().map(|a| {
            let (n, t) = (&a.name, &a.ty);
            quote!(#n: #t)
        });
        quote! {
            #[allow(unused_variables)]
            fn #name<'__a>(&'__a self, #(#params),*) -> <Self as #krate::__private::QueryExecutor>::Output<'__a, ()> {
                ::core::unreachable!()
            }
        }
    });
    quote! {
        #(#attrs)*
        #vis trait #ident: #krate::__private::#executor {
            #(#methods)*
            #(#failed)*
        }
        impl<__E: #krate::__private::#executor + ?::core::marker::Sized> #ident for __E {}
    }
}

fn method(krate: &TokenStream, c: &Checked<'_>) -> TokenStream {
    if c.pattern.sql {
        return sql_method(krate, c);
    }
    let p = c.pattern;
    let name = &p.name;
    let attrs = &p.attrs;
    let template = p.template.value();
    let doc = format!(" InfluxQL: `{}`", template.replace('`', "'").replace('\n', " "));
    let params = p.params.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let out_ty = match (&c.output, &p.output) {
        (Output::Rows { .. }, Some(ty)) => quote!(#ty),
        _ => quote!(()),
    };
    let mut body = Vec::new();
    let mut cursor = 0;
    for (ph, index) in &c.bindings {
        let piece = &template[cursor..ph.span.start];
        if !piece.is_empty() {
            body.push(quote!(__q.push_str(#piece);));
        }
        cursor = ph.span.end;
        if ph.role == Role::Columns {
            if let (Output::Rows { row }, true) = (&c.output, *index == usize::MAX) {
                let span = proc_macro2::Span::call_site().located_at(row.span());
                body.push(quote_spanned! {span=>
                    #krate::__private::write_columns(&mut __q, <#row as #krate::__private::InfluxPoint>::COLUMNS);
                });
            }
            continue;
        }
        let param = &p.params[*index];
        let arg = &param.name;
        let ty_span = proc_macro2::Span::call_site().located_at(param.ty.span());
        let (what, bound, call) = match &ph.role {
            Role::Value => ("value", quote!(QueryValue), quote!(write_value(__v, __out)?)),
            Role::Str => ("string", quote!(QueryString), quote!(write_string(__v, __out)?)),
            Role::Ident => ("identifier", quote!(QueryIdent), quote!(write_ident(__v, __out))),
            Role::Source => ("measurement", quote!(QuerySource), quote!(write_source(__v, __out)?)),
            Role::Integer | Role::DurationCount(_) => {
                ("count", quote!(QueryInteger), quote!(write_integer(__v, __out)?))
            }
            Role::Duration => ("duration", quote!(QueryDuration), quote!(write_duration(__v, __out))),
            Role::Regex => ("regex", quote!(QueryRegex), quote!(write_regex(__v, __out)?)),
            Role::Columns => unreachable!("handled above"),
        };
        let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        let checker = format_ident!("{}_must_be_{}_{}", arg, article, what);
        let context = format!("placeholder `{{{arg}}}`");
        body.push(quote_spanned! {ty_span=>
            {
                #[allow(non_snake_case)]
                fn #checker<__T: ?::core::marker::Sized + #krate::__private::#bound>(
                    __v: &__T,
                    __out: &mut ::std::string::String,
                ) -> #krate::__private::Result<()> {
                    #[allow(unused_imports)]
                    use #krate::__private::#bound as _;
                    #krate::__private::#bound::#call;
                    ::core::result::Result::Ok(())
                }
                #checker(&#arg, &mut __q).map_err(|__e| __e.context(#context))?;
            }
        });
        if let Role::DurationCount(unit) = &ph.role {
            body.push(quote!(__q.push_str(#unit);));
        }
    }
    let tail = &template[cursor..];
    if !tail.is_empty() {
        body.push(quote!(__q.push_str(#tail);));
    }
    let writes = c.analysis.writes;
    let capacity = template.len() + 16 * c.bindings.len();
    let lifetime = syn::Lifetime::new("'__a", proc_macro2::Span::call_site());
    quote! {
        #(#attrs)*
        #[doc = ""]
        #[doc = #doc]
        fn #name<#lifetime>(&#lifetime self, #(#params),*)
            -> <Self as #krate::__private::QueryExecutor>::Output<#lifetime, #out_ty>
        {
            let __query = (|| -> #krate::__private::Result<#krate::__private::Query> {
                let mut __q = ::std::string::String::with_capacity(#capacity);
                #(#body)*
                ::core::result::Result::Ok(#krate::__private::pattern_query(__q, #writes))
            })();
            #krate::__private::QueryExecutor::execute::<#out_ty>(self, __query)
        }
    }
}

/// For `Vec<T>` / `Option<T>` of a SELECT: a const assertion that the projected
/// columns cover every required column of `T` (the macro cannot see `T`).
fn column_check(krate: &TokenStream, c: &Checked<'_>) -> TokenStream {
    let (Output::Rows { row }, Some(Projection::Columns(cols))) = (&c.output, &c.analysis.projection) else {
        return TokenStream::new();
    };
    // Tuples decode by position and `SerdeRow` by serde's rules: only
    // `InfluxPoint` types carry a schema to check against.
    if matches!(row, syn::Type::Tuple(_)) || is_serde_row(row) {
        return TokenStream::new();
    }
    let names = cols.iter().map(|(n, _)| n.as_str()).chain(c.analysis.group_by.iter().map(String::as_str));
    let all_tags = c.analysis.group_by_all;
    let prefix = format!("`{}` does not select column `", c.pattern.name);
    let returned: Vec<String> =
        cols.iter().map(|(n, _)| n).chain(&c.analysis.group_by).map(|n| format!("`{n}`")).collect();
    let row_name = quote!(#row).to_string().replace(' ', "");
    let returns = if c.pattern.sql { returned.join(", ") } else { format!("time, {}", returned.join(", ")) };
    let suffix = format!(
        "` that `{row_name}` requires (it returns {returns}): add it to the SELECT list or alias a column `AS` it"
    );
    let span = proc_macro2::Span::call_site().located_at(row.span());
    let message = if c.pattern.sql {
        quote!(#krate::__private::missing_sql_column_message(
            <#row as #krate::__private::InfluxPoint>::COLUMNS,
            &[#(#names),*],
            #prefix,
            #suffix,
        ))
    } else {
        quote!(#krate::__private::missing_column_message(
            <#row as #krate::__private::InfluxPoint>::COLUMNS,
            &[#(#names),*],
            #all_tags,
            #prefix,
            #suffix,
        ))
    };
    quote_spanned! {span=>
        const _: () = {
            const __M: #krate::__private::ColumnMessage = #message;
            if __M.len > 0 {
                ::core::panic!("{}", __M.as_str());
            }
        };
    }
}

/// A SQL pattern's method: values become `$name` parameters, names quoted
/// identifiers, cache-function arguments quoted literals, counts digits.
fn sql_method(krate: &TokenStream, c: &Checked<'_>) -> TokenStream {
    let p = c.pattern;
    let name = &p.name;
    let attrs = &p.attrs;
    let template = p.template.value();
    let doc = format!(" SQL: `{}`", template.replace('`', "'").replace('\n', " "));
    let params = p.params.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let out_ty = match (&c.output, &p.output) {
        (Output::Rows { .. }, Some(ty)) => quote!(#ty),
        _ => quote!(()),
    };
    let mut body = Vec::new();
    let mut cursor = 0;
    for (ph, index) in &c.bindings {
        let piece = &template[cursor..ph.span.start];
        if !piece.is_empty() {
            body.push(quote!(__q.push_str(#piece);));
        }
        cursor = ph.span.end;
        if ph.role == Role::Columns {
            if let (Output::Rows { row }, true) = (&c.output, *index == usize::MAX) {
                let span = proc_macro2::Span::call_site().located_at(row.span());
                body.push(quote_spanned! {span=>
                    #krate::__private::write_sql_columns(&mut __q, <#row as #krate::__private::InfluxPoint>::COLUMNS);
                });
            }
            continue;
        }
        let param = &p.params[*index];
        let arg = &param.name;
        let pname = arg.to_string().trim_start_matches("r#").to_owned();
        let ty_span = proc_macro2::Span::call_site().located_at(param.ty.span());
        let context = format!("placeholder `{{{pname}}}`");
        let (what, bound) = match &ph.role {
            Role::Value => ("value", quote!(SqlValue)),
            Role::Ident => ("identifier", quote!(SqlIdent)),
            Role::Str => ("string", quote!(SqlString)),
            Role::Integer => ("count", quote!(SqlInteger)),
            other => unreachable!("the SQL analyzer gives no {other:?} placeholder"),
        };
        let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        let checker = format_ident!("{}_must_be_{}_{}", arg, article, what);
        let write = match &ph.role {
            Role::Value => quote! {
                __params.push((#pname, #krate::__private::SqlValue::sql_value(__v)?));
                __out.push('$');
                __out.push_str(#pname);
            },
            Role::Ident => quote!(#krate::__private::SqlIdent::write_sql_ident(__v, __out);),
            Role::Str => quote!(#krate::__private::SqlString::write_sql_string(__v, __out);),
            _ => quote!(#krate::__private::SqlInteger::write_sql_integer(__v, __out)?;),
        };
        body.push(quote_spanned! {ty_span=>
            {
                #[allow(non_snake_case, unused_variables)]
                fn #checker<__T: ?::core::marker::Sized + #krate::__private::#bound>(
                    __v: &__T,
                    __out: &mut ::std::string::String,
                    __params: &mut #krate::__private::SqlParams,
                ) -> #krate::__private::Result<()> {
                    #write
                    ::core::result::Result::Ok(())
                }
                #checker(&#arg, &mut __q, &mut __params).map_err(|__e| __e.context(#context))?;
            }
        });
    }
    let tail = &template[cursor..];
    if !tail.is_empty() {
        body.push(quote!(__q.push_str(#tail);));
    }
    let capacity = template.len() + 16 * c.bindings.len();
    let lifetime = syn::Lifetime::new("'__a", proc_macro2::Span::call_site());
    quote! {
        #(#attrs)*
        #[doc = ""]
        #[doc = #doc]
        fn #name<#lifetime>(&#lifetime self, #(#params),*)
            -> <Self as #krate::__private::QueryExecutor>::Output<#lifetime, #out_ty>
        {
            let __query = (|| -> #krate::__private::Result<#krate::__private::Query> {
                let mut __q = ::std::string::String::with_capacity(#capacity);
                #[allow(unused_mut)]
                let mut __params: #krate::__private::SqlParams = ::std::vec::Vec::new();
                #(#body)*
                #krate::__private::sql_query(__q, __params)
            })();
            #krate::__private::SqlExecutor::execute_sql::<#out_ty>(self, __query)
        }
    }
}

fn is_serde_row(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "SerdeRow"))
}
