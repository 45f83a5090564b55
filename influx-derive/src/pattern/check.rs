//! The compile-time rules: the template parses, placeholders match parameters,
//! the result type fits the statement.

use std::ops::Range;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{GenericArgument, LitStr, PathArguments, Type};

use super::ast::Pattern;
use crate::influxql::{self, names::suggest, Analysis, PlaceholderUse, Projection};

/// A pattern that passed every check.
pub(crate) struct Checked<'a> {
    pub(crate) pattern: &'a Pattern,
    pub(crate) analysis: Analysis,
    /// For each placeholder (in template order), the index of its parameter.
    pub(crate) bindings: Vec<(PlaceholderUse, usize)>,
    pub(crate) output: Output<'a>,
}

pub(crate) enum Output<'a> {
    /// No return type: the statement's rows, if any, are ignored.
    Unit,
    /// `Vec<T>`, `Option<T>` or `RowStream<T>`: rows of `T`.
    Rows { row: &'a Type },
}

/// An error at a byte range of the template: the exact sub-span where the
/// compiler can give one (nightly), else the literal with the range drawn under
/// the template text.
pub(crate) fn template_error(lit: &LitStr, range: Range<usize>, message: &str) -> syn::Error {
    if let Some(span) = template_subspan(lit, range.clone()) {
        return syn::Error::new(span, message);
    }
    let value = lit.value();
    let line_start = value[..range.start.min(value.len())].rfind('\n').map_or(0, |i| i + 1);
    let line_end = value[line_start..].find('\n').map_or(value.len(), |i| line_start + i);
    let line = &value[line_start..line_end];
    let col = value[line_start..range.start.min(value.len())].chars().count();
    let width = value[range.start.min(value.len())..range.end.min(line_end).max(range.start.min(value.len()))]
        .chars()
        .count()
        .max(1);
    syn::Error::new(lit.span(), format!("{message}\n  | {line}\n  | {}{}", " ".repeat(col), "^".repeat(width)))
}

fn template_subspan(lit: &LitStr, range: Range<usize>) -> Option<Span> {
    let token = lit.token();
    let repr = token.to_string();
    let value = lit.value();
    let open = repr.find('"')? + 1;
    if repr.get(open..open + value.len())? != value {
        return None;
    }
    token.subspan(open + range.start..open + range.end)
}

pub(crate) fn check(p: &Pattern) -> Result<Checked<'_>, syn::Error> {
    let template = p.template.value();
    let analysis = if p.sql { crate::sql::analyze(&template) } else { influxql::analyze(&template) }
        .map_err(|e| template_error(&p.template, e.span, &e.message))?;
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };

    let mut used = vec![false; p.params.len()];
    let mut bindings = Vec::new();
    let mut positional = 0;
    let names: Vec<String> = p.params.iter().map(|a| a.name.to_string()).collect();
    for ph in &analysis.placeholders {
        if ph.role == influxql::Role::Columns {
            if p.output.as_ref().and_then(rows_type).is_none_or(|t| matches!(t, Type::Tuple(_))) {
                push(template_error(
                    &p.template,
                    ph.span.clone(),
                    &format!("`{{*}}` selects the columns of the row type: `{}` needs a return type `Vec<T>` with `T: InfluxPoint`", p.name),
                ));
            }
            bindings.push((ph.clone(), usize::MAX));
            continue;
        }
        let index = match &ph.name {
            Some(name) => match names.iter().position(|n| n == name) {
                Some(i) => i,
                None => {
                    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
                    let hint = match suggest(name, &candidates) {
                        Some(s) => format!("; did you mean `{{{s}}}`?"),
                        None if names.is_empty() => format!("; add `{name}: <type>` to the parameters"),
                        None => format!("; the parameters are {}", quoted_list(&names)),
                    };
                    push(template_error(
                        &p.template,
                        ph.span.clone(),
                        &format!("placeholder `{{{name}}}` names no parameter of `{}`{hint}", p.name),
                    ));
                    continue;
                }
            },
            None => {
                positional += 1;
                if positional > p.params.len() {
                    push(template_error(
                        &p.template,
                        ph.span.clone(),
                        &format!(
                            "positional placeholder #{positional} `{{}}` has no parameter: `{}` takes {}",
                            p.name,
                            p.params.len()
                        ),
                    ));
                    continue;
                }
                positional - 1
            }
        };
        used[index] = true;
        bindings.push((ph.clone(), index));
    }
    for (param, used) in p.params.iter().zip(&used) {
        if !used {
            push(syn::Error::new(
                param.name.span(),
                format!("parameter `{}` is not used in the template of `{}`", param.name, p.name),
            ));
        }
    }

    let output = match &p.output {
        None => Output::Unit,
        Some(ty) => match rows_type(ty) {
            Some(row) => {
                if analysis.writes && analysis.kind != "SELECT" {
                    push(syn::Error::new(
                        ty.span(),
                        format!("`{}` returns no rows: remove the return type of `{}`", analysis.kind, p.name),
                    ));
                }
                Output::Rows { row }
            }
            None if is_unit(ty) => Output::Unit,
            None => {
                push(syn::Error::new(
                    ty.span(),
                    "a pattern returns `Vec<T>`, `Option<T>` or `RowStream<T>` (rows of `T`), or nothing: write no return type",
                ));
                Output::Unit
            }
        },
    };
    if let (Output::Rows { .. }, Some(Projection::Columns(cols))) = (&output, &analysis.projection) {
        if cols.is_empty() {
            push(template_error(&p.template, 0..template.len(), "the SELECT projects no named column"));
        }
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(Checked { pattern: p, analysis, bindings, output }),
    }
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

/// `T` of `Vec<T>` / `Option<T>`.
fn rows_type(ty: &Type) -> Option<&Type> {
    let Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if last.ident != "Vec" && last.ident != "Option" && last.ident != "RowStream" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        GenericArgument::Type(t) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}
