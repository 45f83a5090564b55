//! The parsed model of a `#[derive(InfluxPoint)]` struct, shared by the
//! encoding (`expand.rs`) and decoding (`expand_decode.rs`) expansions.

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;

use crate::attr;
use crate::ctxt::Ctxt;
use crate::names;

/// The struct being derived.
pub(crate) struct Container<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) generics: &'a syn::Generics,
    /// The measurement name (unescaped): `#[influx(measurement)]`, else the struct name in snake_case.
    pub(crate) measurement: String,
    /// The `#[influx(measurement = "...")]` literal, or the struct ident.
    pub(crate) measurement_span: Span,
    /// Path of the facade crate, `::influx` unless `#[influx(crate = "...")]`.
    pub(crate) crate_path: syn::Path,
    /// Every field, skipped ones included, in declaration order.
    pub(crate) fields: Vec<Field<'a>>,
    #[allow(dead_code)] // for expand_decode and future checks
    pub(crate) original: &'a syn::DeriveInput,
}

/// What a struct field maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `#[tag]`.
    Tag,
    /// `#[field]`, or no attribute.
    Field,
    /// `#[time]`.
    Time,
    /// `#[influx(skip)]`: neither written nor read.
    Skip,
}

impl Kind {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::Tag => "a #[tag]",
            Kind::Field => "a #[field]",
            Kind::Time => "the #[time]",
            Kind::Skip => "#[influx(skip)]",
        }
    }
}

/// One named field of the struct.
pub(crate) struct Field<'a> {
    /// `self.#member`.
    pub(crate) member: syn::Member,
    pub(crate) ident: &'a syn::Ident,
    pub(crate) ty: &'a syn::Type,
    pub(crate) kind: Kind,
    /// The key as the server stores it (after rename, unescaped; `time` for the time field).
    pub(crate) key: String,
    /// The `rename` literal, or the field ident.
    pub(crate) key_span: Span,
    /// The `#[influx(rename = "...")]` literal's span, if renamed.
    pub(crate) rename_span: Option<Span>,
    /// The attribute that set the kind (for "duplicate #[time]" errors).
    pub(crate) kind_span: Option<Span>,
    /// `Some(T)` if the type is `Option<T>`.
    pub(crate) option_inner: Option<&'a syn::Type>,
    #[allow(dead_code)] // for expand_decode and future checks
    pub(crate) original: &'a syn::Field,
}

impl<'a> Container<'a> {
    /// Parses `input`, recording every problem in `cx`; `None` if the input is
    /// not a struct with named fields.
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Container<'a>> {
        let attrs = attr::container(cx, &input.attrs);
        let named = match &input.data {
            syn::Data::Struct(syn::DataStruct { fields: syn::Fields::Named(named), .. }) => Some(named),
            syn::Data::Struct(syn::DataStruct { fields, .. }) => {
                let what = if matches!(fields, syn::Fields::Unit) { "unit structs" } else { "tuple structs" };
                cx.error_at(
                    fields_span(fields).unwrap_or_else(|| input.ident.span()),
                    format!("`InfluxPoint` can only be derived for structs with named fields, not {what}"),
                );
                None
            }
            syn::Data::Enum(e) => {
                cx.error_spanned_by(e.enum_token, "`InfluxPoint` can only be derived for structs, not enums");
                None
            }
            syn::Data::Union(u) => {
                cx.error_spanned_by(u.union_token, "`InfluxPoint` can only be derived for structs, not unions");
                None
            }
        };
        let fields = named?.named.iter().map(|f| Field::from_ast(cx, f)).collect();
        let (measurement, measurement_span) = match &attrs.measurement {
            Some(lit) => (lit.value(), lit.span()),
            None => (names::snake_case(&unraw(&input.ident)), input.ident.span()),
        };
        let crate_path = attrs.crate_path.unwrap_or_else(|| syn::parse_quote!(::influx));
        Some(Container {
            ident: &input.ident,
            generics: &input.generics,
            measurement,
            measurement_span,
            crate_path,
            fields,
            original: input,
        })
    }

    /// The fields that are written, in declaration order.
    pub(crate) fn written(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields.iter().filter(|f| f.kind != Kind::Skip)
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, field: &'a syn::Field) -> Field<'a> {
        let attrs = attr::field(cx, field);
        let ident = field.ident.as_ref().expect("named field");
        let (key, key_span) = match (&attrs.rename, attrs.kind) {
            (_, Kind::Time) => ("time".to_owned(), ident.span()),
            (Some(lit), _) => (lit.value(), lit.span()),
            (None, _) => (unraw(ident), ident.span()),
        };
        Field {
            member: syn::Member::Named(ident.clone()),
            ident,
            ty: &field.ty,
            kind: attrs.kind,
            key,
            key_span,
            rename_span: attrs.rename.as_ref().map(syn::LitStr::span),
            kind_span: attrs.kind_span,
            option_inner: option_inner(&field.ty),
            original: field,
        }
    }
}

fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

fn fields_span(fields: &syn::Fields) -> Option<Span> {
    match fields {
        syn::Fields::Unit => None,
        f => Some(f.to_token_stream().span()),
    }
}

/// `Some(T)` for `Option<T>`, `std::option::Option<T>`, `core::option::Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(tp) = ty else { return None };
    if tp.qself.is_some() {
        return None;
    }
    let last = tp.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        syn::GenericArgument::Type(t) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}
