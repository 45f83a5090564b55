//! Parsing of `#[influx(...)]`, `#[tag]`, `#[field]` and `#[time]`.

use proc_macro2::Span;
use syn::spanned::Spanned;

use crate::ast::Kind;
use crate::ctxt::Ctxt;

pub(crate) const INFLUX: &str = "influx";
pub(crate) const TAG: &str = "tag";
pub(crate) const FIELD: &str = "field";
pub(crate) const TIME: &str = "time";
const MEASUREMENT: &str = "measurement";
const CRATE: &str = "crate";
const RENAME: &str = "rename";
const SKIP: &str = "skip";

/// `#[influx(measurement = "...", crate = "...")]` on the struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) measurement: Option<syn::LitStr>,
    pub(crate) crate_path: Option<syn::Path>,
}

pub(crate) fn container(cx: &Ctxt, attrs: &[syn::Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs {
        let path = attr.path();
        if path.is_ident(TAG) || path.is_ident(FIELD) || path.is_ident(TIME) {
            cx.error_spanned_by(attr, format!("#[{}] belongs on a field, not on the struct", path_name(path)));
            continue;
        }
        if !path.is_ident(INFLUX) {
            continue;
        }
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(MEASUREMENT) {
                let lit: syn::LitStr = meta.value()?.parse()?;
                if out.measurement.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate #[influx(measurement)]");
                }
                out.measurement = Some(lit);
            } else if meta.path.is_ident(CRATE) {
                let lit: syn::LitStr = meta.value()?.parse()?;
                if out.crate_path.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate #[influx(crate)]");
                }
                match lit.parse::<syn::Path>() {
                    Ok(p) => out.crate_path = Some(p),
                    Err(_) => cx.error_spanned_by(&lit, format!("invalid crate path `{}`", lit.value())),
                }
            } else {
                return Err(meta.error(format!(
                    "unknown struct attribute `{}`: expected `measurement` or `crate`",
                    path_name(&meta.path)
                )));
            }
            Ok(())
        });
        if let Err(e) = res {
            cx.syn_error(e);
        }
    }
    out
}

/// The attributes of one field.
pub(crate) struct FieldAttrs {
    pub(crate) kind: Kind,
    /// The attribute that set `kind` (`#[tag]`, `#[time]`, `skip`), for spans.
    pub(crate) kind_span: Option<Span>,
    pub(crate) rename: Option<syn::LitStr>,
}

pub(crate) fn field(cx: &Ctxt, field: &syn::Field) -> FieldAttrs {
    let mut out = FieldAttrs { kind: Kind::Field, kind_span: None, rename: None };
    let mut set_kind = |kind: Kind, span: Span, name: &str| match out.kind_span {
        Some(_) if out.kind == kind => cx.error_at(span, format!("duplicate {name}")),
        Some(_) => cx.error_at(span, format!("{} cannot also be {name}", out.kind.describe())),
        None => {
            out.kind = kind;
            out.kind_span = Some(span);
        }
    };
    for attr in &field.attrs {
        let path = attr.path();
        for (name, kind) in [(TAG, Kind::Tag), (FIELD, Kind::Field), (TIME, Kind::Time)] {
            if path.is_ident(name) {
                if let syn::Meta::Path(_) = attr.meta {
                    set_kind(kind, path.span(), &format!("#[{name}]"));
                } else {
                    cx.error_spanned_by(
                        &attr.meta,
                        format!("#[{name}] takes no arguments; rename with #[influx(rename = \"...\")]"),
                    );
                }
            }
        }
        if !path.is_ident(INFLUX) {
            continue;
        }
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(RENAME) {
                let lit: syn::LitStr = meta.value()?.parse()?;
                if out.rename.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate #[influx(rename)]");
                }
                out.rename = Some(lit);
            } else if meta.path.is_ident(SKIP) {
                set_kind(Kind::Skip, meta.path.span(), "#[influx(skip)]");
            } else if meta.path.is_ident(MEASUREMENT) || meta.path.is_ident(CRATE) {
                return Err(
                    meta.error(format!("#[influx({})] belongs on the struct, not on a field", path_name(&meta.path)))
                );
            } else {
                return Err(meta.error(format!(
                    "unknown field attribute `{}`: expected `rename` or `skip`",
                    path_name(&meta.path)
                )));
            }
            Ok(())
        });
        if let Err(e) = res {
            cx.syn_error(e);
        }
    }
    out
}

fn path_name(path: &syn::Path) -> String {
    path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::")
}
