//! Compile-time checks of SQL templates (`query_pattern!` with `= sql "..."`),
//! for InfluxDB 3's `/api/v3/query_sql`.
//!
//! Not a SQL grammar (no dependency: the server's DataFusion parser judges the
//! statement when it runs). A lexer with DataFusion's default quoting rules
//! (`'...'` with `''`, `"..."` with `""`, no backslash escapes; `--` and nested
//! `/* */` comments), and the structure a pattern needs: one read statement,
//! balanced parentheses, what each placeholder stands for, and the names of
//! the projected columns. The result has the InfluxQL analyzer's shape, so the
//! placeholder, parameter and row-type checks are shared.

use std::ops::Range;

use crate::influxql::lexer::{Lexer, QlError};
use crate::influxql::names::suggest;
use crate::influxql::{Analysis, PlaceholderUse, Projection, Role};

#[derive(Debug, Clone, PartialEq)]
enum T {
    Word(String),
    Quoted(String),
    Str,
    Number,
    Placeholder(Option<String>),
    Columns,
    Sym(char),
}

#[derive(Debug, Clone)]
struct Tok {
    t: T,
    span: Range<usize>,
}

const READS: &[&str] = &["SELECT", "WITH", "SHOW", "EXPLAIN", "DESCRIBE"];
const WRITES: &[&str] =
    &["INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "COPY", "TRUNCATE", "MERGE", "SET", "GRANT", "REVOKE"];

fn lex(src: &str) -> Result<Vec<Tok>, QlError> {
    let lexer = Lexer::new(src);
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = src[i..].chars().next().unwrap_or(' ');
        let start = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if src[i..].starts_with("--") {
            let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
            lexer.reject_placeholder_in(i..end, "a comment")?;
            i = end;
            continue;
        }
        if src[i..].starts_with("/*") {
            let (mut depth, mut j) = (0usize, i);
            loop {
                if j >= b.len() {
                    return Err(QlError::new(start..start + 2, "unterminated comment: missing closing `*/`"));
                }
                if src[j..].starts_with("/*") {
                    depth += 1;
                    j += 2;
                } else if src[j..].starts_with("*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            lexer.reject_placeholder_in(i..j, "a comment")?;
            i = j;
            continue;
        }
        match c {
            '\'' | '"' => {
                let mut j = i + 1;
                loop {
                    match b.get(j) {
                        None => {
                            return Err(QlError::new(
                                start..b.len(),
                                format!(
                                    "unterminated {}: missing closing `{c}`",
                                    if c == '"' { "identifier" } else { "string" }
                                ),
                            ))
                        }
                        Some(&q) if q == c as u8 && b.get(j + 1) == Some(&(c as u8)) => j += 2,
                        Some(&q) if q == c as u8 => break,
                        Some(_) => j += 1,
                    }
                }
                let what = if c == '"' { "a quoted identifier" } else { "a quoted string" };
                lexer.reject_placeholder_in(start..j + 1, what)?;
                let t = if c == '"' { T::Quoted(src[i + 1..j].replace("\"\"", "\"")) } else { T::Str };
                i = j + 1;
                out.push(Tok { t, span: start..i });
            }
            '$' => {
                let end =
                    src[i + 1..].find(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(src.len(), |n| i + 1 + n);
                let name = &src[i + 1..end];
                let name = if name.is_empty() { "name" } else { name };
                return Err(QlError::new(
                    start..end.max(start + 1),
                    format!(
                        "write `{{{name}}}`, not `${name}`: a pattern binds its parameters as `$` parameters for you"
                    ),
                ));
            }
            '{' => {
                let close = src[i..].find('}').map(|n| i + n).ok_or_else(|| {
                    QlError::new(start..start + 1, "unterminated placeholder: expected `{name}`, `{}` or `{*}`")
                })?;
                let inner = &src[i + 1..close];
                let t = match inner {
                    "*" => T::Columns,
                    "" => T::Placeholder(None),
                    n if n.starts_with(|c: char| c.is_ascii_digit()) => {
                        return Err(QlError::new(
                            start..close + 1,
                            format!("numbered placeholder `{{{n}}}` is not supported: use `{{}}` or a parameter name"),
                        ))
                    }
                    n if n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => T::Placeholder(Some(n.to_owned())),
                    _ => {
                        return Err(QlError::new(
                            start..close + 1,
                            "unterminated placeholder: expected `{name}`, `{}` or `{*}`",
                        ))
                    }
                };
                i = close + 1;
                out.push(Tok { t, span: start..i });
            }
            c if c.is_ascii_digit() => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                    i += 1;
                }
                out.push(Tok { t: T::Number, span: start..i });
            }
            c if c.is_alphabetic() || c == '_' => {
                while let Some(c) =
                    src[i..].chars().next().filter(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '@' | '#'))
                {
                    i += c.len_utf8();
                }
                out.push(Tok { t: T::Word(src[start..i].to_owned()), span: start..i });
            }
            c => {
                i += c.len_utf8();
                out.push(Tok { t: T::Sym(c), span: start..i });
            }
        }
    }
    Ok(out)
}

fn word(t: &Tok) -> Option<String> {
    match &t.t {
        T::Word(w) => Some(w.to_ascii_uppercase()),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Clause {
    Select,
    From,
    By,
    Other,
}

/// Checks one SQL statement and records what `query_pattern!` needs.
pub(crate) fn analyze(src: &str) -> Result<Analysis, QlError> {
    let toks = lex(src)?;
    let Some(first) = toks.first() else {
        return Err(QlError::new(0..src.len(), "the template is empty: write a SELECT statement"));
    };
    let kind = match word(first) {
        Some(w) if READS.contains(&w.as_str()) => w,
        Some(w) if WRITES.contains(&w.as_str()) => {
            return Err(QlError::new(
                first.span.clone(),
                format!("`{w}` is not a query: InfluxDB 3's SQL endpoint only reads (write points with the client, manage tables with `client.tables()`)"),
            ))
        }
        Some(w) => {
            let hint = match suggest(&w, READS) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => ": a SQL pattern is a SELECT (or WITH, SHOW, EXPLAIN, DESCRIBE)".to_owned(),
            };
            return Err(QlError::new(first.span.clone(), format!("unknown statement `{w}`{hint}")));
        }
        None => return Err(QlError::new(first.span.clone(), "expected a statement such as SELECT")),
    };

    let mut placeholders = Vec::new();
    // Per parenthesis depth: the clause we are in, and the function the parenthesis calls.
    let mut clauses = vec![Clause::Other];
    let mut calls: Vec<(Option<String>, Range<usize>)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &toks[p]);
        match &t.t {
            T::Sym(';') if calls.is_empty() => {
                if let Some(next) = toks.get(i + 1) {
                    return Err(QlError::new(
                        next.span.clone(),
                        format!("expected the end of the {kind} statement, found `{}`: a pattern holds exactly one statement", &src[next.span.clone()]),
                    ));
                }
            }
            T::Sym('(') => {
                calls.push((
                    prev.and_then(|p| match &p.t {
                        T::Word(w) => Some(w.to_ascii_lowercase()),
                        _ => None,
                    }),
                    t.span.clone(),
                ));
                clauses.push(Clause::Other);
            }
            T::Sym(')') => {
                if calls.pop().is_none() {
                    return Err(QlError::new(t.span.clone(), "unmatched `)`"));
                }
                clauses.pop();
            }
            T::Word(_) => {
                let top = clauses.last_mut().expect("one per depth");
                match word(t).as_deref() {
                    Some("SELECT") => *top = Clause::Select,
                    Some("FROM" | "JOIN" | "USING") => *top = Clause::From,
                    Some("BY") => *top = Clause::By,
                    Some("WHERE" | "HAVING" | "LIMIT" | "OFFSET" | "ON" | "UNION" | "WINDOW" | "QUALIFY") => {
                        *top = Clause::Other
                    }
                    _ => {}
                }
            }
            T::Columns => {
                let next = toks.get(i + 1);
                let alone = prev
                    .is_some_and(|p| matches!(word(p).as_deref(), Some("SELECT" | "DISTINCT")) || p.t == T::Sym(','))
                    && next.is_none_or(|n| n.t == T::Sym(',') || word(n).as_deref() == Some("FROM"));
                if calls.is_empty() && *clauses.last().expect("one per depth") == Clause::Select && alone {
                    placeholders.push(PlaceholderUse { name: None, span: t.span.clone(), role: Role::Columns });
                } else {
                    return Err(QlError::new(
                        t.span.clone(),
                        "`{*}` stands for the row type's columns: it can only be an item of the outer SELECT list",
                    ));
                }
            }
            T::Placeholder(name) => {
                let next = toks.get(i + 1);
                let clause = *clauses.last().expect("one per depth");
                let prev_word = prev.and_then(word);
                let item_alone = |p: Option<&Tok>| {
                    p.is_some_and(|p| {
                        p.t == T::Sym(',') || matches!(word(p).as_deref(), Some("SELECT" | "DISTINCT" | "BY"))
                    }) && next.is_none_or(|n| {
                        n.t == T::Sym(',')
                            || n.t == T::Sym(')')
                            || matches!(
                                word(n).as_deref(),
                                Some("FROM" | "AS" | "ASC" | "DESC" | "NULLS" | "LIMIT" | "HAVING" | "ORDER")
                            )
                    })
                };
                let role = match prev_word.as_deref() {
                    Some("FROM" | "JOIN" | "AS" | "INTO") => Role::Ident,
                    Some("LIMIT" | "OFFSET") => Role::Integer,
                    _ if calls
                        .last()
                        .is_some_and(|(f, _)| matches!(f.as_deref(), Some("last_cache" | "distinct_cache"))) =>
                    {
                        Role::Str
                    }
                    _ if matches!(clause, Clause::Select | Clause::By) && item_alone(prev) => Role::Ident,
                    _ if clause == Clause::From && prev.is_some_and(|p| p.t == T::Sym(',')) => Role::Ident,
                    _ => Role::Value,
                };
                placeholders.push(PlaceholderUse { name: name.clone(), span: t.span.clone(), role });
            }
            _ => {}
        }
    }
    if let Some((_, open)) = calls.last() {
        return Err(QlError::new(open.clone(), "expected `)`: this `(` is never closed"));
    }
    let projection = if kind == "SELECT" { Some(projection(src, &toks)) } else { None };
    Ok(Analysis {
        kind,
        writes: false,
        projection,
        measurements: Vec::new(),
        placeholders,
        group_by: Vec::new(),
        group_by_all: false,
    })
}

/// The names of the outer SELECT's columns: aliases, plain column names
/// (unquoted ones folded to lowercase, as DataFusion does), or the expression's
/// text for an unnamed expression (which no struct member matches: alias it).
fn projection(src: &str, toks: &[Tok]) -> Projection {
    let mut depth = 0usize;
    let mut start = 1;
    if toks.get(1).and_then(word).is_some_and(|w| w == "DISTINCT" || w == "ALL") {
        start = 2;
    }
    let mut items: Vec<&[Tok]> = Vec::new();
    let mut from = start;
    let mut end = toks.len();
    for (i, t) in toks.iter().enumerate().skip(start) {
        match &t.t {
            T::Sym('(') => depth += 1,
            T::Sym(')') => depth = depth.saturating_sub(1),
            T::Sym(',') if depth == 0 => {
                items.push(&toks[from..i]);
                from = i + 1;
            }
            T::Word(_) if depth == 0 && word(t).as_deref() == Some("FROM") => {
                end = i;
                break;
            }
            T::Sym(';') if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    items.push(&toks[from..end.max(from)]);
    let mut names = Vec::new();
    for item in items {
        let (Some(first), Some(last)) = (item.first(), item.last()) else { continue };
        let span = first.span.start..last.span.end;
        let open = item.iter().any(|t| matches!(t.t, T::Columns | T::Placeholder(_)))
            || matches!(
                item,
                [Tok { t: T::Sym('*'), .. }] | [.., Tok { t: T::Sym('.'), .. }, Tok { t: T::Sym('*'), .. }]
            );
        if open {
            return Projection::Open;
        }
        let named = |t: &Tok| match &t.t {
            T::Word(w) => Some(w.to_lowercase()),
            T::Quoted(q) => Some(q.clone()),
            _ => None,
        };
        let n = item.len();
        let name = if n == 1 {
            named(&item[0])
        } else if word(&item[n - 2]).as_deref() == Some("AS") {
            named(&item[n - 1])
        } else if n == 3 && item[1].t == T::Sym('.') {
            named(&item[2])
        } else if matches!(item[n - 2].t, T::Word(_) | T::Quoted(_) | T::Number | T::Str | T::Sym(')')) {
            // An alias without AS: `count(*) c`.
            named(&item[n - 1])
        } else {
            None
        };
        names.push((name.unwrap_or_else(|| src[span.clone()].to_owned()), span));
    }
    Projection::Columns(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(src: &str) -> Vec<(Option<String>, Role)> {
        analyze(src).unwrap().placeholders.into_iter().map(|p| (p.name, p.role)).collect()
    }

    fn columns(src: &str) -> Vec<String> {
        match analyze(src).unwrap().projection {
            Some(Projection::Columns(c)) => c.into_iter().map(|(n, _)| n).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn placeholders_get_roles_from_where_they_stand() {
        let r = roles("SELECT {col}, temp FROM {table} WHERE room = {room} AND temp > {} ORDER BY {o} DESC LIMIT {n}");
        assert_eq!(
            r,
            [
                (Some("col".into()), Role::Ident),
                (Some("table".into()), Role::Ident),
                (Some("room".into()), Role::Value),
                (None, Role::Value),
                (Some("o".into()), Role::Ident),
                (Some("n".into()), Role::Integer),
            ]
        );
        assert_eq!(
            roles("SELECT * FROM last_cache({t}, {name}) WHERE x IN ({a}, {b})")[..2],
            [(Some("t".into()), Role::Str), (Some("name".into()), Role::Str)]
        );
        assert_eq!(roles("SELECT avg(temp) AS {alias} FROM home")[0].1, Role::Ident);
        assert_eq!(roles("SELECT {a} + 1 FROM home")[0].1, Role::Value);
        assert_eq!(roles("SELECT date_bin({every}, time) AS t FROM home")[0].1, Role::Value);
        assert_eq!(roles("SELECT {*} FROM home")[0].1, Role::Columns);
    }

    #[test]
    fn projected_names() {
        assert_eq!(
            columns("SELECT time, Room, \"Temp C\", avg(x) AS mean, h.hum, count(*) c FROM home h"),
            ["time", "room", "Temp C", "mean", "hum", "c"]
        );
        assert_eq!(columns("SELECT count(*) FROM home"), ["count(*)"]);
        assert_eq!(analyze("SELECT * FROM home").unwrap().projection, Some(Projection::Open));
        assert_eq!(analyze("SELECT h.* FROM home h").unwrap().projection, Some(Projection::Open));
        assert_eq!(analyze("SHOW TABLES").unwrap().projection, None);
    }

    #[test]
    fn mistakes_say_what_and_where() {
        let err = |src: &str| analyze(src).unwrap_err();
        let e = err("SELEC * FROM home");
        assert_eq!((e.span, e.message.as_str()), (0..5, "unknown statement `SELEC`; did you mean `SELECT`?"));
        assert!(err("DELETE FROM home").message.starts_with("`DELETE` is not a query"));
        assert_eq!(err("SELECT * FROM home WHERE room = 'a").message, "unterminated string: missing closing `'`");
        assert_eq!(err("SELECT \"a FROM home").message, "unterminated identifier: missing closing `\"`");
        let e = err("SELECT * FROM home WHERE room = '{room}'");
        assert!(
            e.message.starts_with("placeholder `{room}` inside a quoted string is never substituted"),
            "{}",
            e.message
        );
        assert!(err("SELECT * FROM home WHERE room = $room").message.starts_with("write `{room}`, not `$room`"));
        assert_eq!(err("SELECT avg(temp FROM home").message, "expected `)`: this `(` is never closed");
        assert_eq!(err("SELECT temp) FROM home").message, "unmatched `)`");
        let e = err("SELECT 1; DROP TABLE home");
        assert_eq!(
            e.message,
            "expected the end of the SELECT statement, found `DROP`: a pattern holds exactly one statement"
        );
        assert_eq!(err("SELECT {*} + 1 FROM home").span, 7..10);
        assert!(err("SELECT 1 /* {x} */").message.contains("inside a comment"));
        assert!(err("SELECT 1 /* open").message.starts_with("unterminated comment"));
        assert!(err("").message.starts_with("the template is empty"));
        // Quotes are doubled, not backslash-escaped; a trailing `;` is fine.
        assert!(analyze("SELECT 'it''s', \"a\"\"b\" FROM home;").is_ok());
        assert!(analyze(r"SELECT 'a\' FROM home").is_ok());
    }
}
