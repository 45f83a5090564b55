//! A compile-time Flux lexer and placeholder analysis (no dependencies).
//!
//! Not a Flux parser: it finds every placeholder, decides its position from
//! the tokens around it, and checks what a lexer can (literals, escapes,
//! balanced brackets, placeholders where they would not be substituted).

pub(crate) mod lexer;

use std::ops::Range;

use crate::influxql::lexer::QlError;
use lexer::{Lexer, Tok, Token};

/// What a placeholder stands for, which decides how its value is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// A literal in an expression.
    Value,
    /// After a unary `-`: a duration (`range(start: -{ago})`).
    Duration,
    /// After `=~` / `!~`: a regex.
    Regex,
    /// An integer glued to a unit in the template: `{days}d`.
    Count(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlaceholderUse {
    pub(crate) name: Option<String>,
    pub(crate) span: Range<usize>,
    pub(crate) role: Role,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Analysis {
    pub(crate) placeholders: Vec<PlaceholderUse>,
    /// The pipeline calls `pivot(` or `fieldsAsCols(`: rows carry one column per field.
    pub(crate) pivots: bool,
}

/// InfluxQL statements: a Flux template starting with one was pasted into the wrong trait.
const INFLUXQL_STATEMENTS: &[&str] =
    &["SELECT", "SHOW", "CREATE", "DROP", "DELETE", "ALTER", "GRANT", "REVOKE", "KILL", "EXPLAIN"];

pub(crate) fn analyze(src: &str) -> Result<Analysis, QlError> {
    let first = first_word(src);
    if INFLUXQL_STATEMENTS.iter().any(|k| k.eq_ignore_ascii_case(&src[first.clone()]))
        && src[first.end..].starts_with(char::is_whitespace)
    {
        return Err(QlError::new(
            first,
            "this template is InfluxQL, not Flux: remove `#[flux]` to make an InfluxQL pattern",
        ));
    }
    let mut lx = Lexer::new(src);
    // Each token with the innermost bracket open before it.
    let mut tokens: Vec<(Token, Option<char>)> = Vec::new();
    loop {
        let inside = lx.innermost();
        let t = lx.next_token()?;
        if t.tok == Tok::Eof {
            break;
        }
        tokens.push((t, inside));
    }
    if tokens.is_empty() {
        return Err(QlError::new(0..src.len(), "the Flux template is empty"));
    }
    let mut out = Analysis { placeholders: Vec::new(), pivots: false };
    for (i, (t, inside)) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &tokens[p].0);
        let next = tokens.get(i + 1).map(|(t, _)| &t.tok);
        match &t.tok {
            Tok::Ident(w) if (w == "pivot" || w == "fieldsAsCols") && next == Some(&Tok::Open('(')) => {
                out.pivots = true;
            }
            Tok::Placeholder { name, unit } => {
                let role = role(&tokens, i, unit.as_ref(), prev)?;
                check_not_a_name(t, next, *inside)?;
                out.placeholders.push(PlaceholderUse { name: name.clone(), span: t.span.clone(), role });
            }
            _ => {}
        }
    }
    Ok(out)
}

fn role(
    tokens: &[(Token, Option<char>)],
    i: usize,
    unit: Option<&String>,
    prev: Option<&Token>,
) -> Result<Role, QlError> {
    if let Some(unit) = unit {
        return Ok(Role::Count(unit.clone()));
    }
    Ok(match prev.map(|p| &p.tok) {
        Some(Tok::Op("=~" | "!~")) => Role::Regex,
        // A `-` is unary unless an operand ends just before it.
        Some(Tok::Op("-")) if i < 2 || !tokens[i - 2].0.ends_operand() => Role::Duration,
        Some(Tok::Op(".")) => {
            let t = &tokens[i].0;
            return Err(QlError::new(
                t.span.clone(),
                "a placeholder cannot name a member after `.`: write `r[{name}]`, which takes the name as a string"
                    .replace("{name}", &placeholder_text(&t.tok)),
            ));
        }
        _ => Role::Value,
    })
}

/// Placeholders stand for values; where Flux wants a name, a value is a
/// syntax error on the server, so say so here.
fn check_not_a_name(t: &Token, next: Option<&Tok>, inside: Option<char>) -> Result<(), QlError> {
    let what = match (next, inside) {
        (Some(Tok::Op("=")), _) => "a placeholder cannot be assigned to: it stands for a value, not a variable name",
        // `[k: v]` is a dictionary, whose keys are values; in `(...)` and `{...}` a name comes before `:`.
        (Some(Tok::Op(":")), Some('(' | '{')) => {
            "a placeholder cannot name an argument or a record property: it stands for a value"
        }
        _ => return Ok(()),
    };
    Err(QlError::new(t.span.clone(), what))
}

fn placeholder_text(tok: &Tok) -> String {
    match tok {
        Tok::Placeholder { name: Some(n), .. } => format!("{{{n}}}"),
        _ => "{}".to_owned(),
    }
}

/// The byte range of the first word of `src` (after whitespace), possibly empty.
fn first_word(src: &str) -> Range<usize> {
    let start = src.len() - src.trim_start().len();
    let len = src[start..].find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(src.len() - start);
    start..start + len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(src: &str) -> Vec<(Option<String>, Role)> {
        analyze(src).unwrap().placeholders.into_iter().map(|p| (p.name, p.role)).collect()
    }

    fn named(n: &str, role: Role) -> (Option<String>, Role) {
        (Some(n.to_owned()), role)
    }

    #[test]
    fn positions() {
        assert_eq!(
            roles(
                r#"from(bucket: {bucket}) |> range(start: -{start}, stop: {stop}) |> filter(fn: (r) => r.host =~ {re} and r._value - {x} > -{y}d and r.t !~ {re2})"#
            ),
            vec![
                named("bucket", Role::Value),
                named("start", Role::Duration),
                named("stop", Role::Value),
                named("re", Role::Regex),
                named("x", Role::Value),
                named("y", Role::Count("d".into())),
                named("re2", Role::Regex),
            ]
        );
        assert_eq!(roles("f(a: {}, b: {})"), vec![(None, Role::Value), (None, Role::Value)]);
        assert_eq!(roles("x = -{d}"), vec![named("d", Role::Duration)]);
        assert_eq!(roles("x = (1) - {d}"), vec![named("d", Role::Value)]);
        assert_eq!(roles("x = y and -{d}"), vec![named("d", Role::Duration)]);
        assert_eq!(roles(r#"s = "a ${ {v} } b""#), vec![named("v", Role::Value)]);
        assert_eq!(roles("d = [{k}: 1]"), vec![named("k", Role::Value)]);
        assert_eq!(roles("r[{field}]"), vec![named("field", Role::Value)]);
    }

    #[test]
    fn pivots() {
        assert!(!analyze("from(bucket: \"b\")").unwrap().pivots);
        assert!(
            analyze("x |> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \"_value\")")
                .unwrap()
                .pivots
        );
        assert!(analyze("import \"influxdata/influxdb/schema\"\nx |> schema.fieldsAsCols()").unwrap().pivots);
        assert!(!analyze("pivot = 1").unwrap().pivots);
    }

    #[test]
    fn names_are_not_values() {
        let msg = |src: &str| analyze(src).unwrap_err().message;
        assert!(msg("r.{field} == 1").contains("write `r[{field}]`"));
        assert!(msg("{x} = 1").contains("cannot be assigned"));
        assert!(msg("f({a}: 1)").contains("cannot name an argument"));
        assert!(msg("o = { {a}: 1 }").contains("record property"));
    }

    #[test]
    fn influxql_and_empty_templates() {
        let e = analyze("  SELECT * FROM cpu").unwrap_err();
        assert_eq!(e.span, 2..8);
        assert!(e.message.contains("remove `#[flux]`"));
        assert!(analyze("select * from cpu").is_err());
        assert!(analyze("selected = 1").is_ok());
        assert_eq!(analyze("  // only a comment\n").unwrap_err().message, "the Flux template is empty");
    }
}
