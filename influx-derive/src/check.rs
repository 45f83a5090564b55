//! Rules that span several fields or attributes, checked once after parsing.

use std::collections::BTreeMap;

use crate::ast::{Container, Kind};
use crate::ctxt::Ctxt;
use crate::names;

pub(crate) fn check(cx: &Ctxt, c: &Container<'_>) {
    check_measurement(cx, c);
    check_keys(cx, c);
    check_time(cx, c);
    check_has_field(cx, c);
}

// Caught here, the same mistakes would otherwise be a run-time error on every write.
fn check_measurement(cx: &Ctxt, c: &Container<'_>) {
    if let Some(why) = names::invalid(&c.measurement, names::Name::Measurement) {
        cx.error_at(c.measurement_span, format!("measurement `{}` {why}", c.measurement.escape_debug()));
    }
}

fn check_keys(cx: &Ctxt, c: &Container<'_>) {
    let mut seen: BTreeMap<&str, &syn::Ident> = BTreeMap::new();
    for f in c.written().filter(|f| f.kind != Kind::Time) {
        let noun = if f.kind == Kind::Tag { "tag" } else { "field" };
        if f.key == "time" {
            let hint = if f.rename_span.is_some() {
                "choose another name"
            } else {
                "mark the timestamp #[time], or rename it with #[influx(rename = \"...\")]"
            };
            cx.error_at(f.key_span, format!("`time` cannot be a {noun} key: the server reserves it; {hint}"));
        } else if let Some(why) =
            names::invalid(&f.key, if f.kind == Kind::Tag { names::Name::TagKey } else { names::Name::FieldKey })
        {
            cx.error_at(f.key_span, format!("{noun} key `{}` {why}", f.key.escape_debug()));
        }
        // Tags and fields share one namespace in query results.
        if let Some(first) = seen.insert(&f.key, f.ident) {
            cx.error_at(f.key_span, format!("duplicate key `{}`: `{first}` already uses it", f.key.escape_debug()));
        }
    }
}

fn check_time(cx: &Ctxt, c: &Container<'_>) {
    let mut first: Option<&syn::Ident> = None;
    for f in c.fields.iter().filter(|f| f.kind == Kind::Time) {
        if let Some(rename) = f.rename_span {
            cx.error_at(rename, "#[time] cannot be renamed: the server always calls the timestamp `time`");
        }
        match first {
            Some(first) => cx.error_at(
                f.kind_span.unwrap_or_else(|| f.ident.span()),
                format!("duplicate #[time]: a point has one timestamp and `{first}` is already #[time]"),
            ),
            None => first = Some(f.ident),
        }
    }
}

// Line protocol cannot carry a point without fields.
fn check_has_field(cx: &Ctxt, c: &Container<'_>) {
    if !c.fields.iter().any(|f| f.kind == Kind::Field) {
        cx.error_at(
            c.ident.span(),
            format!(
                "`{}` has no field: line protocol needs at least one #[field] (unannotated fields are fields)",
                c.ident
            ),
        );
    }
}
