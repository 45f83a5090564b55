//! Code generation: one trait with a default method per pattern, and a blanket
//! impl for every `QueryExecutor` (InfluxQL) or `FluxExecutor` (Flux).

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::{Input, Language, Param, Pattern};
use super::check::{Checked, FluxChecked, Output};
use crate::flux::Role as FluxRole;
use crate::influxql::{Projection, Role};

/// What differs between an InfluxQL and a Flux pattern trait.
struct Lang {
    /// The template language, for the generated docs.
    name: &'static str,
    /// The executor trait (`QueryExecutor`), its method (`execute`) and the
    /// rendered query type (`Query`), all under `__private`.
    executor: Ident,
    execute: Ident,
    query: Ident,
}

impl Lang {
    fn of(language: Language) -> Self {
        let (name, executor, execute, query) = match language {
            Language::InfluxQl => ("InfluxQL", "QueryExecutor", "execute", "Query"),
            Language::Flux => ("Flux", "FluxExecutor", "execute_flux", "FluxQuery"),
        };
        let ident = |s: &str| Ident::new(s, Span::call_site());
        Self { name, executor: ident(executor), execute: ident(execute), query: ident(query) }
    }
}

/// The executor trait a pattern trait needs: SQL patterns run only where SQL does.
fn executor(input: &Input) -> Ident {
    if input.patterns.iter().any(|p| p.sql) {
        Ident::new("SqlExecutor", Span::call_site())
    } else {
        Lang::of(input.language).executor
    }
}

/// One piece of a rendered template.
enum Piece<'a> {
    Text(&'a str),
    /// `{*}`: the row type's columns.
    Columns(&'a syn::Type),
    /// A parameter rendered by `bound::call` (e.g. `QueryValue::write_value(__v, __out)?`);
    /// `what` names the position in the checker's name (`host_must_be_a_value`).
    Arg {
        param: &'a Param,
        what: &'static str,
        bound: TokenStream,
        call: TokenStream,
    },
}

/// The pattern trait, its blanket impl over the executor, and `extra` items.
pub(crate) fn pattern_trait(input: &Input, methods: &[TokenStream], extra: TokenStream) -> TokenStream {
    let krate = &input.krate;
    let (attrs, vis, ident) = (&input.attrs, &input.vis, &input.ident);
    let executor = executor(input);
    quote! {
        #(#attrs)*
        #vis trait #ident: #krate::__private::#executor {
            #(#methods)*
        }

        #[automatically_derived]
        impl<__E: #krate::__private::#executor + ?::core::marker::Sized> #ident for __E {}

        #extra
    }
}

/// The methods of InfluxQL patterns, and the column checks of their row types.
pub(crate) fn influxql(input: &Input, checked: &[Checked<'_>]) -> (Vec<TokenStream>, TokenStream) {
    let methods = checked.iter().map(|c| influxql_method(&input.krate, c)).collect();
    let column_checks = checked.iter().map(|c| column_check(&input.krate, c));
    (methods, quote!(#(#column_checks)*))
}

/// The methods of Flux patterns, and the pivot checks of their row types.
pub(crate) fn flux(input: &Input, checked: &[FluxChecked<'_>]) -> (Vec<TokenStream>, TokenStream) {
    let methods = checked.iter().map(|c| flux_method(&input.krate, c)).collect();
    let pivot_checks = checked.iter().map(|c| pivot_check(&input.krate, c));
    (methods, quote!(#(#pivot_checks)*))
}

/// The trait with the `methods` of the patterns that passed, and stubs for
/// the others, so that uses of the trait do not add errors of their own.
pub(crate) fn stubs(input: &Input, mut methods: Vec<TokenStream>, passed: &[&Ident]) -> TokenStream {
    let krate = &input.krate;
    // `Output` belongs to `QueryExecutor`, which `SqlExecutor` extends.
    let executor = if input.patterns.iter().any(|p| p.sql) {
        Ident::new("QueryExecutor", Span::call_site())
    } else {
        executor(input)
    };
    for p in input.patterns.iter().filter(|p| !passed.contains(&&p.name)) {
        let name = &p.name;
        let params = p.params.iter().map(|a| {
            let (n, t) = (&a.name, &a.ty);
            quote!(#n: #t)
        });
        methods.push(quote! {
            #[allow(unused_variables)]
            fn #name<'__a>(&'__a self, #(#params),*) -> <Self as #krate::__private::#executor>::Output<'__a, ()> {
                ::core::unreachable!()
            }
        });
    }
    pattern_trait(input, &methods, TokenStream::new())
}

fn influxql_method(krate: &TokenStream, c: &Checked<'_>) -> TokenStream {
    if c.pattern.sql {
        return sql_method(krate, c);
    }
    let p = c.pattern;
    let template = p.template.value();
    let mut pieces = Vec::new();
    let mut cursor = 0;
    for (ph, index) in &c.bindings {
        pieces.push(Piece::Text(&template[cursor..ph.span.start]));
        cursor = ph.span.end;
        if ph.role == Role::Columns {
            if let (Output::Rows { row }, true) = (&c.output, *index == usize::MAX) {
                pieces.push(Piece::Columns(row));
            }
            continue;
        }
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
        pieces.push(Piece::Arg { param: &p.params[*index], what, bound, call });
        if let Role::DurationCount(unit) = &ph.role {
            pieces.push(Piece::Text(unit));
        }
    }
    pieces.push(Piece::Text(&template[cursor..]));
    let writes = c.analysis.writes;
    let finish = quote!(#krate::__private::pattern_query(__q, #writes));
    method(krate, &Lang::of(Language::InfluxQl), p, &c.output, &pieces, &finish)
}

fn flux_method(krate: &TokenStream, c: &FluxChecked<'_>) -> TokenStream {
    let p = c.pattern;
    let template = p.template.value();
    let mut pieces = Vec::new();
    let mut cursor = 0;
    for (ph, index) in &c.bindings {
        pieces.push(Piece::Text(&template[cursor..ph.span.start]));
        cursor = ph.span.end;
        let (what, bound, call) = match &ph.role {
            FluxRole::Value => ("value", quote!(FluxValue), quote!(write_flux(__v, __out)?)),
            FluxRole::Duration => ("duration", quote!(FluxDuration), quote!(write_flux_duration(__v, __out)?)),
            FluxRole::Regex => ("regex", quote!(FluxRegex), quote!(write_flux_regex(__v, __out)?)),
            FluxRole::Count(_) => ("count", quote!(FluxCount), quote!(write_flux_count(__v, __out)?)),
        };
        pieces.push(Piece::Arg { param: &p.params[*index], what, bound, call });
        if let FluxRole::Count(unit) = &ph.role {
            pieces.push(Piece::Text(unit));
        }
    }
    pieces.push(Piece::Text(&template[cursor..]));
    let finish = quote!(#krate::__private::flux_query(__q));
    method(krate, &Lang::of(Language::Flux), p, &c.output, &pieces, &finish)
}

/// A default method that renders the template piece by piece (each argument
/// through its position's trait, so a wrong type is an error at the
/// parameter) and hands the query, or the first rendering error, to the executor.
fn method(
    krate: &TokenStream,
    lang: &Lang,
    p: &Pattern,
    output: &Output<'_>,
    pieces: &[Piece<'_>],
    finish: &TokenStream,
) -> TokenStream {
    let Lang { name: lang_name, executor, execute, query } = lang;
    let name = &p.name;
    let attrs = &p.attrs;
    let template = p.template.value();
    let doc = format!(" {lang_name}: `{}`", template.replace('`', "'").replace('\n', " "));
    let params = p.params.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let out_ty = match (output, &p.output) {
        (Output::Rows { .. }, Some(ty)) => quote!(#ty),
        _ => quote!(()),
    };
    let mut args = 0;
    let body = pieces.iter().filter_map(|piece| match piece {
        Piece::Text("") => None,
        Piece::Text(text) => Some(quote!(__q.push_str(#text);)),
        Piece::Columns(row) => {
            let span = Span::call_site().located_at(row.span());
            Some(quote_spanned! {span=>
                #krate::__private::write_columns(&mut __q, <#row as #krate::__private::InfluxPoint>::COLUMNS);
            })
        }
        Piece::Arg { param, what, bound, call } => {
            args += 1;
            let arg = &param.name;
            let ty_span = Span::call_site().located_at(param.ty.span());
            let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            let checker = format_ident!("{}_must_be_{}_{}", arg, article, what);
            let context = format!("placeholder `{{{arg}}}`");
            Some(quote_spanned! {ty_span=>
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
            })
        }
    });
    let body: Vec<TokenStream> = body.collect();
    let capacity = template.len() + 16 * args;
    let lifetime = syn::Lifetime::new("'__a", Span::call_site());
    quote! {
        #(#attrs)*
        #[doc = ""]
        #[doc = #doc]
        fn #name<#lifetime>(&#lifetime self, #(#params),*)
            -> <Self as #krate::__private::#executor>::Output<#lifetime, #out_ty>
        {
            let __query = (|| -> #krate::__private::Result<#krate::__private::#query> {
                let mut __q = ::std::string::String::with_capacity(#capacity);
                #(#body)*
                ::core::result::Result::Ok(#finish)
            })();
            #krate::__private::#executor::#execute::<#out_ty>(self, __query)
        }
    }
}

/// For rows of an `InfluxPoint` type with more than one field, a const
/// assertion that the Flux pipeline pivots: unpivoted Flux rows carry one
/// field each (`_field`, `_value`), so they could not fill such a type.
fn pivot_check(krate: &TokenStream, c: &FluxChecked<'_>) -> TokenStream {
    let Output::Rows { row } = &c.output else { return TokenStream::new() };
    if c.pivots || matches!(row, syn::Type::Tuple(_)) || is_serde_row(row) {
        return TokenStream::new();
    }
    let row_name = quote!(#row).to_string().replace(' ', "");
    let message = format!(
        "`{}` returns rows of `{row_name}`, which has more than one field, but its Flux does not pivot: \
         Flux rows carry one field each (`_field`, `_value`); add \
         `|> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \"_value\")` \
         (or `schema.fieldsAsCols()`)",
        c.pattern.name
    );
    let span = Span::call_site().located_at(row.span());
    quote_spanned! {span=>
        const _: () = {
            if #krate::__private::field_count(<#row as #krate::__private::InfluxPoint>::COLUMNS) > 1 {
                ::core::panic!(#message);
            }
        };
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
