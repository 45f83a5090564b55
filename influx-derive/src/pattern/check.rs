//! The compile-time rules: the template parses (InfluxQL) or lexes (Flux),
//! placeholders match parameters, the result type fits the statement.

use std::ops::Range;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{GenericArgument, LitStr, PathArguments, Type};

use super::ast::{Language, Pattern};
use crate::flux;
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
    let analysis = if p.sql {
        crate::sql::analyze(&template).map_err(|e| template_error(&p.template, e.span, &e.message))?
    } else {
        match influxql::analyze(&template) {
            Ok(a) => a,
            Err(e) => {
                // A Flux template in an InfluxQL trait fails on its first word: say what to do.
                let start = template.len() - template.trim_start().len();
                let first = template[start..].split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
                if FLUX_STARTS.contains(&first) {
                    let message = format!(
                    "`{first}` starts no InfluxQL statement: this template looks like Flux, mark the trait `#[flux]`"
                );
                    return Err(template_error(&p.template, start..start + first.len(), &message));
                }
                return Err(template_error(&p.template, e.span, &e.message));
            }
        }
    };
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };

    let mut binder = Binder::new(p, Language::InfluxQl);
    let mut bindings = Vec::new();
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
        if let Some(index) = binder.bind(ph.name.as_deref(), ph.span.clone(), &mut push) {
            bindings.push((ph.clone(), index));
        }
    }
    binder.finish(&mut push);

    let output = output(p, &mut push);
    if let (Output::Rows { .. }, Some(ty)) = (&output, &p.output) {
        if analysis.writes && analysis.kind != "SELECT" {
            push(syn::Error::new(
                ty.span(),
                format!("`{}` returns no rows: remove the return type of `{}`", analysis.kind, p.name),
            ));
        }
    }
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

/// A Flux pattern that passed every check.
pub(crate) struct FluxChecked<'a> {
    pub(crate) pattern: &'a Pattern,
    /// For each placeholder (in template order), the index of its parameter.
    pub(crate) bindings: Vec<(flux::PlaceholderUse, usize)>,
    pub(crate) output: Output<'a>,
    /// The pipeline pivots fields into columns (`pivot(` or `fieldsAsCols(`).
    pub(crate) pivots: bool,
}

pub(crate) fn check_flux(p: &Pattern) -> Result<FluxChecked<'_>, syn::Error> {
    let analysis = flux::analyze(&p.template.value()).map_err(|e| template_error(&p.template, e.span, &e.message))?;
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let mut binder = Binder::new(p, Language::Flux);
    let mut bindings = Vec::new();
    for ph in analysis.placeholders {
        if let Some(index) = binder.bind(ph.name.as_deref(), ph.span.clone(), &mut push) {
            bindings.push((ph, index));
        }
    }
    binder.finish(&mut push);
    let output = output(p, &mut push);
    match errors {
        Some(e) => Err(e),
        None => Ok(FluxChecked { pattern: p, bindings, output, pivots: analysis.pivots }),
    }
}

/// First words of Flux scripts, to tell a user who wrote Flux in an InfluxQL trait.
const FLUX_STARTS: &[&str] = &["from", "import", "option", "buckets", "union", "array", "data"];

/// Matches placeholders to parameters in template order: named ones by name
/// (with a suggestion for a near miss), the k-th `{}` to the k-th parameter.
struct Binder<'p> {
    pattern: &'p Pattern,
    language: Language,
    names: Vec<String>,
    used: Vec<bool>,
    positional: usize,
}

impl<'p> Binder<'p> {
    fn new(pattern: &'p Pattern, language: Language) -> Self {
        let names = pattern.params.iter().map(|a| a.name.to_string()).collect();
        Self { pattern, language, names, used: vec![false; pattern.params.len()], positional: 0 }
    }

    /// The index of the parameter the placeholder takes, or `None` after pushing why there is none.
    fn bind(&mut self, name: Option<&str>, span: Range<usize>, push: &mut impl FnMut(syn::Error)) -> Option<usize> {
        let p = self.pattern;
        let flux = self.language == Language::Flux;
        let index = match name {
            Some(name) => match self.names.iter().position(|n| n == name) {
                Some(i) => i,
                None => {
                    let candidates: Vec<&str> = self.names.iter().map(String::as_str).collect();
                    let mut hint = match suggest(name, &candidates) {
                        Some(s) => format!("; did you mean `{{{s}}}`?"),
                        None if self.names.is_empty() => format!("; add `{name}: <type>` to the parameters"),
                        None => format!("; the parameters are {}", quoted_list(&self.names)),
                    };
                    if flux && !hint.starts_with("; did") {
                        hint.push_str(&format!(" (a Flux record is written with spaces: `{{ {name} }}`)"));
                    }
                    push(template_error(
                        &p.template,
                        span,
                        &format!("placeholder `{{{name}}}` names no parameter of `{}`{hint}", p.name),
                    ));
                    return None;
                }
            },
            None => {
                self.positional += 1;
                if self.positional > p.params.len() {
                    let record = if flux { " (an empty Flux record is written `{ }`)" } else { "" };
                    push(template_error(
                        &p.template,
                        span,
                        &format!(
                            "positional placeholder #{} `{{}}` has no parameter: `{}` takes {}{record}",
                            self.positional,
                            p.name,
                            p.params.len()
                        ),
                    ));
                    return None;
                }
                self.positional - 1
            }
        };
        self.used[index] = true;
        Some(index)
    }

    /// Pushes an error for every parameter no placeholder took.
    fn finish(self, push: &mut impl FnMut(syn::Error)) {
        for (param, used) in self.pattern.params.iter().zip(&self.used) {
            if !used {
                push(syn::Error::new(
                    param.name.span(),
                    format!("parameter `{}` is not used in the template of `{}`", param.name, self.pattern.name),
                ));
            }
        }
    }
}

/// The return type: rows of `T`, or nothing.
fn output<'a>(p: &'a Pattern, push: &mut impl FnMut(syn::Error)) -> Output<'a> {
    match &p.output {
        None => Output::Unit,
        Some(ty) => match rows_type(ty) {
            Some(row) => Output::Rows { row },
            None if is_unit(ty) => Output::Unit,
            None => {
                push(syn::Error::new(
                    ty.span(),
                    "a pattern returns `Vec<T>`, `Option<T>` or `RowStream<T>` (rows of `T`), or nothing: write no return type",
                ));
                Output::Unit
            }
        },
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
