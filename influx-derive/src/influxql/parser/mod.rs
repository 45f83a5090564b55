//! A validating parser for one InfluxQL statement.
//!
//! It does not build a full AST: it checks the grammar of `influxql/parser.go`
//! (for the statements a client sends) and records what `query_pattern!` needs:
//! the role of every placeholder, the statement kind, the projected column
//! names and the measurements read.

use std::ops::Range;

use super::lexer::{Lexer, QlError, Tok, Token};
use super::names::{is_function, is_keyword, suggest, FUNCTIONS};

/// What a placeholder stands for, which decides how its value is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// A literal in an expression: string, number, bool, time.
    Value,
    /// A string literal only (a password, a `tz()` name).
    Str,
    /// One identifier (database, field, tag key, user, ...).
    Ident,
    /// A FROM source: identifier, qualified `"db"."rp"."m"` or regex.
    Source,
    /// A non-negative integer (LIMIT, REPLICATION, ...).
    Integer,
    /// An integer glued to a unit in the template: `{days}d`.
    DurationCount(String),
    /// A whole duration literal (`DURATION {d}`, `time({interval})`).
    Duration,
    /// A regex literal after `=~` / `!~`.
    Regex,
    /// `{*}` in the select list: the row type's columns.
    Columns,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlaceholderUse {
    pub(crate) name: Option<String>,
    pub(crate) span: Range<usize>,
    pub(crate) role: Role,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Projection {
    /// `SELECT *` (or a regex / placeholder field): any row type may match.
    Open,
    /// The column names the statement returns (besides `time`).
    Columns(Vec<(String, Range<usize>)>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Analysis {
    /// `SELECT`, `SHOW MEASUREMENTS`, `CREATE DATABASE`, ...
    pub(crate) kind: String,
    /// True if the statement changes the server (sent by POST).
    pub(crate) writes: bool,
    pub(crate) projection: Option<Projection>,
    /// Plain measurement names after FROM (placeholders and regexes excluded).
    pub(crate) measurements: Vec<(String, Range<usize>)>,
    pub(crate) placeholders: Vec<PlaceholderUse>,
    /// Tag keys of `GROUP BY`: they come back as series tags.
    pub(crate) group_by: Vec<String>,
    /// `GROUP BY *` (or a regex / placeholder dimension): any tag may come back.
    pub(crate) group_by_all: bool,
}

/// Parses exactly one statement (a trailing `;` is allowed).
pub(crate) fn analyze(src: &str) -> Result<Analysis, QlError> {
    let mut p = Parser {
        lx: Lexer::new(src),
        peeked: None,
        out: Analysis {
            kind: String::new(),
            writes: false,
            projection: None,
            measurements: Vec::new(),
            placeholders: Vec::new(),
            group_by: Vec::new(),
            group_by_all: false,
        },
    };
    p.statement()?;
    let semicolon = p.peek()?.tok == Tok::Semicolon;
    if semicolon {
        p.next()?;
    }
    let t = p.next()?;
    if t.tok != Tok::Eof {
        let msg = if semicolon || p.out.kind != "SELECT" && !p.out.kind.starts_with("SHOW") {
            format!(
                "expected the end of the {} statement, found {}: a pattern holds exactly one statement",
                p.out.kind,
                describe(&t.tok)
            )
        } else {
            format!("expected the end of the {} statement, found {}", p.out.kind, describe(&t.tok))
        };
        return Err(QlError::new(t.span, with_clause_hint(msg, &t.tok)));
    }
    Ok(p.out)
}

const STATEMENTS: &[&str] =
    &["SELECT", "SHOW", "CREATE", "DROP", "DELETE", "ALTER", "GRANT", "REVOKE", "SET", "KILL", "EXPLAIN"];

const SELECT_CLAUSES: &[&str] = &["WHERE", "GROUP", "ORDER", "LIMIT", "OFFSET", "SLIMIT", "SOFFSET", "TZ"];

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) => format!("`{w}`"),
        Tok::QuotedIdent(_) => "a quoted identifier".into(),
        Tok::Str(_) => "a string".into(),
        Tok::Integer => "an integer".into(),
        Tok::Number => "a number".into(),
        Tok::Duration => "a duration".into(),
        Tok::Regex => "a regex".into(),
        Tok::BoundParam => "a bound parameter".into(),
        Tok::Placeholder { .. } => "a placeholder".into(),
        Tok::Columns => "`{*}`".into(),
        Tok::Op(op) => format!("`{op}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Semicolon => "`;`".into(),
        Tok::Dot => "`.`".into(),
        Tok::DoubleColon => "`::`".into(),
        Tok::Colon => "`:`".into(),
        Tok::Eof => "end of query".into(),
    }
}

fn with_clause_hint(msg: String, tok: &Tok) -> String {
    if let Tok::Word(w) = tok {
        if STATEMENTS.iter().any(|k| k.eq_ignore_ascii_case(w)) {
            return msg;
        }
        let all: Vec<&str> = SELECT_CLAUSES.iter().chain(["FROM", "BY", "AND", "OR"].iter()).copied().collect();
        if let Some(s) = suggest(w, &all) {
            return format!("{msg}; did you mean `{s}`?");
        }
    }
    msg
}

struct Parser<'a> {
    lx: Lexer<'a>,
    peeked: Option<Token>,
    out: Analysis,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Select list: bare placeholders are field names.
    Fields,
    /// Conditions: bare placeholders are values.
    Condition,
}

impl Parser<'_> {
    fn peek(&mut self) -> Result<&Token, QlError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lx.next_token()?);
        }
        Ok(self.peeked.as_ref().expect("just filled"))
    }

    fn next(&mut self) -> Result<Token, QlError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lx.next_token(),
        }
    }

    fn regex(&mut self) -> Result<Token, QlError> {
        if let Some(t) = self.peeked.take() {
            self.lx.reset(t.span.start);
        }
        self.lx.regex()
    }

    /// A regex literal, or a placeholder standing for one.
    fn regex_or_placeholder(&mut self) -> Result<(), QlError> {
        let t = self.peek()?.clone();
        if let Tok::Placeholder { .. } = t.tok {
            self.next()?;
            return self.placeholder(&t, Role::Regex);
        }
        self.regex().map(drop)
    }

    fn peek_kw(&mut self, kw: &str) -> Result<bool, QlError> {
        Ok(matches!(&self.peek()?.tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw)))
    }

    fn eat_kw(&mut self, kw: &str) -> Result<bool, QlError> {
        let yes = self.peek_kw(kw)?;
        if yes {
            self.next()?;
        }
        Ok(yes)
    }

    fn unexpected(&self, t: &Token, expected: &[&str]) -> QlError {
        let list = match expected {
            [one] => format!("`{one}`"),
            many => {
                let quoted: Vec<String> = many.iter().map(|e| format!("`{e}`")).collect();
                format!("one of {}", quoted.join(", "))
            }
        };
        let mut msg = format!("expected {list}, found {}", describe(&t.tok));
        if let Tok::Word(w) = &t.tok {
            if let Some(s) = suggest(w, expected) {
                msg = format!("{msg}; did you mean `{s}`?");
            }
        }
        QlError::new(t.span.clone(), msg)
    }

    fn expect_kw(&mut self, kw: &'static str) -> Result<(), QlError> {
        self.expect_one_of(&[kw]).map(|_| ())
    }

    fn expect_one_of(&mut self, kws: &[&'static str]) -> Result<&'static str, QlError> {
        let t = self.next()?;
        if let Tok::Word(w) = &t.tok {
            if let Some(k) = kws.iter().find(|k| k.eq_ignore_ascii_case(w)) {
                return Ok(k);
            }
        }
        Err(self.unexpected(&t, kws))
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<Token, QlError> {
        let t = self.next()?;
        if t.tok == tok {
            Ok(t)
        } else {
            Err(QlError::new(t.span.clone(), format!("expected {what}, found {}", describe(&t.tok))))
        }
    }

    fn placeholder(&mut self, t: &Token, role: Role) -> Result<(), QlError> {
        let Tok::Placeholder { name, unit } = &t.tok else { unreachable!("called on a placeholder") };
        let role = match (unit, role) {
            (Some(u), Role::Value | Role::Duration) => Role::DurationCount(u.clone()),
            (Some(u), other) => {
                return Err(QlError::new(
                    t.span.clone(),
                    format!("placeholder glued to the duration unit `{u}` where {} is expected", role_noun(&other)),
                ))
            }
            (None, role) => role,
        };
        self.out.placeholders.push(PlaceholderUse { name: name.clone(), span: t.span.clone(), role });
        Ok(())
    }

    fn statement(&mut self) -> Result<(), QlError> {
        let t = self.next()?;
        let Tok::Word(w) = &t.tok else {
            let msg = if matches!(t.tok, Tok::Eof) {
                "empty query: expected a statement such as `SELECT`".to_owned()
            } else {
                format!("expected a statement such as `SELECT`, found {}", describe(&t.tok))
            };
            return Err(QlError::new(t.span, msg));
        };
        match w.to_ascii_uppercase().as_str() {
            "SELECT" => self.select(),
            "SHOW" => self.show(),
            "CREATE" => self.create(),
            "DROP" => self.drop_stmt(),
            "DELETE" => {
                self.out.kind = "DELETE".into();
                self.out.writes = true;
                if self.eat_kw("FROM")? {
                    self.sources()?;
                }
                if self.eat_kw("WHERE")? {
                    self.expr(Ctx::Condition)?;
                }
                Ok(())
            }
            "ALTER" => {
                self.expect_kw("RETENTION")?;
                self.expect_kw("POLICY")?;
                self.out.kind = "ALTER RETENTION POLICY".into();
                self.out.writes = true;
                self.ident()?;
                self.expect_kw("ON")?;
                self.ident()?;
                if !self.rp_options()? {
                    let t = self.next()?;
                    return Err(self.unexpected(&t, &["DURATION", "REPLICATION", "SHARD", "DEFAULT"]));
                }
                Ok(())
            }
            "GRANT" | "REVOKE" => self.grant(w.eq_ignore_ascii_case("GRANT")),
            "SET" => {
                self.expect_kw("PASSWORD")?;
                self.expect_kw("FOR")?;
                self.out.kind = "SET PASSWORD".into();
                self.out.writes = true;
                self.ident()?;
                self.expect(Tok::Op("="), "`=`")?;
                self.string()
            }
            "KILL" => {
                self.expect_kw("QUERY")?;
                self.out.kind = "KILL QUERY".into();
                self.out.writes = true;
                self.integer()?;
                if self.eat_kw("ON")? {
                    self.string()?;
                }
                Ok(())
            }
            "EXPLAIN" => {
                self.eat_kw("ANALYZE")?;
                self.expect_kw("SELECT")?;
                self.select()?;
                self.out.kind = "EXPLAIN".into();
                self.out.projection = None;
                Ok(())
            }
            _ => {
                let mut msg = format!("expected a statement such as `SELECT`, found `{w}`");
                if let Some(s) = suggest(w, STATEMENTS) {
                    msg = format!("unknown statement `{w}`; did you mean `{s}`?");
                }
                Err(QlError::new(t.span, msg))
            }
        }
    }

    fn select(&mut self) -> Result<(), QlError> {
        self.out.kind = "SELECT".into();
        let mut columns = Vec::new();
        let mut open = false;
        self.eat_kw("DISTINCT")?;
        loop {
            let start = self.peek()?.span.start;
            let field = self.field()?;
            let end = self.lx_last_end(start);
            let alias = if self.eat_kw("AS")? { Some(self.ident()?) } else { None };
            match (alias, field) {
                (Some(Some(a)), _) => columns.push((a, start..end)),
                (Some(None), _) | (None, FieldName::Open) => open = true,
                (None, FieldName::Named(n)) => columns.push((n, start..end)),
                (None, FieldName::Unnamed) => {}
            }
            if self.peek()?.tok == Tok::Comma {
                self.next()?;
            } else {
                break;
            }
        }
        self.out.projection = Some(if open { Projection::Open } else { Projection::Columns(columns) });
        if self.eat_kw("INTO")? {
            self.out.writes = true;
            self.select_into_target()?;
        }
        let t = self.peek()?.clone();
        match &t.tok {
            Tok::Word(w) if w.eq_ignore_ascii_case("FROM") => {
                self.next()?;
            }
            Tok::Eof | Tok::Semicolon => {
                return Err(QlError::new(t.span, "SELECT needs a FROM clause"));
            }
            _ => return Err(self.unexpected(&t, &["FROM", "INTO", "AS"])),
        }
        self.sources()?;
        self.select_clauses()
    }

    fn lx_last_end(&self, start: usize) -> usize {
        self.peeked.as_ref().map_or(self.lx.pos(), |t| t.span.start).max(start)
    }

    fn select_into_target(&mut self) -> Result<(), QlError> {
        for i in 0..3 {
            if self.peek()?.tok == Tok::Colon {
                self.next()?;
                self.expect_kw("MEASUREMENT")?;
                return Ok(());
            }
            if !(i > 0 && self.peek()?.tok == Tok::Dot) {
                self.ident_or(Role::Ident)?;
            }
            if self.peek()?.tok != Tok::Dot {
                return Ok(());
            }
            self.next()?;
        }
        Ok(())
    }

    fn select_clauses(&mut self) -> Result<(), QlError> {
        let mut done: Option<usize> = None;
        loop {
            let t = self.peek()?.clone();
            let Tok::Word(w) = &t.tok else { return Ok(()) };
            let Some(i) = SELECT_CLAUSES.iter().position(|c| c.eq_ignore_ascii_case(w)) else { return Ok(()) };
            if let Some(d) = done {
                if i <= d {
                    let what = if i == d { "appears twice" } else { "is out of order" };
                    return Err(QlError::new(
                        t.span,
                        format!(
                            "`{}` {what}: clauses go WHERE, GROUP BY, ORDER BY, LIMIT, OFFSET, SLIMIT, SOFFSET, tz(); `{}` came before it",
                            SELECT_CLAUSES[i], SELECT_CLAUSES[d]
                        ),
                    ));
                }
            }
            self.next()?;
            match SELECT_CLAUSES[i] {
                "WHERE" => {
                    self.expr(Ctx::Condition)?;
                }
                "GROUP" => {
                    self.expect_kw("BY")?;
                    self.dimensions()?;
                    if self.peek_kw("FILL")? {
                        self.next()?;
                        self.expect(Tok::LParen, "`(`")?;
                        let t = self.next()?;
                        match &t.tok {
                            Tok::Word(w)
                                if ["null", "none", "previous", "linear"].iter().any(|k| k.eq_ignore_ascii_case(w)) => {
                            }
                            Tok::Integer | Tok::Number => {}
                            Tok::Op("-") => {
                                let n = self.next()?;
                                if !matches!(n.tok, Tok::Integer | Tok::Number) {
                                    return Err(QlError::new(n.span, "expected a number in fill()"));
                                }
                            }
                            Tok::Placeholder { .. } => self.placeholder(&t, Role::Value)?,
                            _ => {
                                return Err(QlError::new(
                                    t.span,
                                    format!(
                                        "expected null, none, previous, linear or a number in fill(), found {}",
                                        describe(&t.tok)
                                    ),
                                ))
                            }
                        }
                        self.expect(Tok::RParen, "`)`")?;
                    }
                }
                "ORDER" => {
                    self.expect_kw("BY")?;
                    loop {
                        self.ident()?;
                        if !self.eat_kw("ASC")? {
                            self.eat_kw("DESC")?;
                        }
                        if self.peek()?.tok != Tok::Comma {
                            break;
                        }
                        self.next()?;
                    }
                }
                "LIMIT" | "OFFSET" | "SLIMIT" | "SOFFSET" => self.integer()?,
                "TZ" => {
                    self.expect(Tok::LParen, "`(`")?;
                    self.string()?;
                    self.expect(Tok::RParen, "`)`")?;
                }
                _ => unreachable!(),
            }
            done = Some(i);
        }
    }

    fn dimensions(&mut self) -> Result<(), QlError> {
        loop {
            let t = self.next()?;
            match &t.tok {
                Tok::Op("*") => self.out.group_by_all = true,
                Tok::Op("/") => {
                    self.lx.reset(t.span.start);
                    self.regex()?;
                    self.out.group_by_all = true;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("time") && self.peek()?.tok == Tok::LParen => {
                    self.next()?;
                    self.duration()?;
                    if self.peek()?.tok == Tok::Comma {
                        self.next()?;
                        let neg = self.peek()?.tok == Tok::Op("-");
                        if neg {
                            self.next()?;
                        }
                        let t = self.next()?;
                        match &t.tok {
                            Tok::Duration => {}
                            Tok::Word(w) if w.eq_ignore_ascii_case("now") => {
                                self.expect(Tok::LParen, "`(`")?;
                                self.expect(Tok::RParen, "`)`")?;
                            }
                            Tok::Placeholder { .. } => self.placeholder(&t, Role::Duration)?,
                            _ => return Err(QlError::new(t.span, "expected a duration offset in time()")),
                        }
                    }
                    self.expect(Tok::RParen, "`)`")?;
                }
                _ => {
                    match self.ident_token(t, Role::Ident)? {
                        Some(tag) => self.out.group_by.push(tag),
                        None => self.out.group_by_all = true,
                    }
                    if self.peek()?.tok == Tok::DoubleColon {
                        self.next()?;
                        self.expect_one_of(&["tag"])?;
                    }
                }
            }
            if self.peek()?.tok != Tok::Comma {
                return Ok(());
            }
            self.next()?;
        }
    }

    fn sources(&mut self) -> Result<(), QlError> {
        loop {
            let t = self.peek()?.clone();
            match &t.tok {
                Tok::Op("/") => {
                    self.regex()?;
                }
                Tok::LParen => {
                    self.next()?;
                    self.expect_kw("SELECT")?;
                    let outer = self.out.projection.take();
                    let outer_kind = std::mem::take(&mut self.out.kind);
                    let outer_writes = self.out.writes;
                    self.select()?;
                    self.out.projection = outer;
                    self.out.kind = outer_kind;
                    self.out.writes = outer_writes;
                    self.expect(Tok::RParen, "`)`")?;
                }
                Tok::Placeholder { .. } => {
                    self.next()?;
                    self.placeholder(&t, Role::Source)?;
                }
                _ => {
                    let mut last = None;
                    for i in 0..3 {
                        if i > 0 && self.peek()?.tok == Tok::Dot {
                            last = None;
                        } else {
                            let t = self.next()?;
                            let span = t.span.clone();
                            last = self.ident_token(t, Role::Ident)?.map(|n| (n, span));
                        }
                        if self.peek()?.tok != Tok::Dot {
                            break;
                        }
                        self.next()?;
                    }
                    if let Some(m) = last {
                        self.out.measurements.push(m);
                    }
                }
            }
            if self.peek()?.tok != Tok::Comma {
                return Ok(());
            }
            self.next()?;
        }
    }

    /// One select field; returns the column name it produces, if known.
    fn field(&mut self) -> Result<FieldName, QlError> {
        let t = self.peek()?.clone();
        if t.tok == Tok::Columns {
            self.next()?;
            self.out.placeholders.push(PlaceholderUse { name: None, span: t.span, role: Role::Columns });
            return Ok(FieldName::Open);
        }
        if t.tok == Tok::Op("*") {
            self.next()?;
            if self.peek()?.tok == Tok::DoubleColon {
                self.next()?;
                self.expect_one_of(&["field", "tag"])?;
            }
            return Ok(FieldName::Open);
        }
        if t.tok == Tok::Op("/") {
            self.regex()?;
            return Ok(FieldName::Open);
        }
        if let Tok::Placeholder { unit: None, .. } = t.tok {
            self.next()?;
            self.placeholder(&t, Role::Ident)?;
            let follows = self.peek()?.tok.clone();
            if matches!(follows, Tok::Comma | Tok::Eof) || matches!(&follows, Tok::Word(w) if is_keyword(w)) {
                return Ok(FieldName::Open);
            }
            self.binary_rest(Ctx::Fields, 0)?;
            return Ok(FieldName::Open);
        }
        let e = self.expr(Ctx::Fields)?;
        Ok(e)
    }

    fn expr(&mut self, ctx: Ctx) -> Result<FieldName, QlError> {
        self.binary(ctx, 0)
    }

    fn binary(&mut self, ctx: Ctx, min_prec: u8) -> Result<FieldName, QlError> {
        let lhs = self.unary(ctx)?;
        let rhs = self.binary_rest(ctx, min_prec)?;
        Ok(match rhs {
            None => lhs,
            Some(names) => join_names(std::iter::once(lhs).chain(names)),
        })
    }

    fn binary_rest(&mut self, ctx: Ctx, min_prec: u8) -> Result<Option<Vec<FieldName>>, QlError> {
        let mut names = Vec::new();
        loop {
            let t = self.peek()?.clone();
            let (op, prec) = match &t.tok {
                Tok::Word(w) if w.eq_ignore_ascii_case("OR") => ("OR", 1),
                Tok::Word(w) if w.eq_ignore_ascii_case("AND") => ("AND", 2),
                Tok::Op(op @ ("=" | "!=" | "<>" | "<" | "<=" | ">" | ">=" | "=~" | "!~")) => (*op, 4),
                Tok::Op(op @ ("+" | "-" | "|" | "^")) => (*op, 5),
                Tok::Op(op @ ("*" | "/" | "%" | "&")) => (*op, 6),
                _ => break,
            };
            if prec < min_prec {
                break;
            }
            self.next()?;
            if op == "=~" || op == "!~" {
                if self.peek()?.tok == Tok::BoundParam {
                    self.next()?;
                } else {
                    self.regex_or_placeholder()?;
                }
                names.push(FieldName::Unnamed);
                continue;
            }
            names.push(self.binary(ctx, prec + 1)?);
        }
        Ok((!names.is_empty()).then_some(names))
    }

    fn unary(&mut self, ctx: Ctx) -> Result<FieldName, QlError> {
        let t = self.next()?;
        match &t.tok {
            Tok::Op("-" | "+") => {
                let n = self.peek()?.clone();
                match n.tok {
                    Tok::Integer | Tok::Number | Tok::Duration | Tok::LParen | Tok::Word(_) | Tok::QuotedIdent(_) => {
                        self.unary(ctx)
                    }
                    Tok::Placeholder { .. } => {
                        self.next()?;
                        self.placeholder(&n, Role::Value)?;
                        Ok(FieldName::Unnamed)
                    }
                    _ => Err(QlError::new(n.span, format!("expected a number after `-`, found {}", describe(&n.tok)))),
                }
            }
            Tok::LParen => {
                let inner = self.expr(ctx)?;
                self.expect_close(&t)?;
                Ok(inner)
            }
            Tok::Str(_) | Tok::Integer | Tok::Number | Tok::Duration | Tok::BoundParam => Ok(FieldName::Unnamed),
            Tok::Placeholder { .. } => {
                let role = if ctx == Ctx::Fields { Role::Ident } else { Role::Value };
                self.placeholder(&t, role)?;
                Ok(if ctx == Ctx::Fields { FieldName::Open } else { FieldName::Unnamed })
            }
            Tok::QuotedIdent(name) => {
                let name = name.clone();
                self.cast()?;
                Ok(FieldName::Named(name))
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("true") || w.eq_ignore_ascii_case("false") => Ok(FieldName::Unnamed),
            Tok::Word(w) if self.peek()?.tok == Tok::LParen => {
                let name = w.to_ascii_lowercase();
                if !is_function(w) {
                    let mut msg = format!("unknown function `{w}()`");
                    if let Some(s) = suggest(w, FUNCTIONS) {
                        msg = format!("{msg}; did you mean `{s}()`?");
                    }
                    return Err(QlError::new(t.span.clone(), msg));
                }
                let open = self.next()?;
                self.call_args(&open)?;
                Ok(FieldName::Named(name))
            }
            Tok::Word(w) if is_keyword(w) => {
                let msg = format!(
                    "expected an expression, found the keyword `{w}`; double-quote it (`\"{w}\"`) to use it as an identifier"
                );
                Err(QlError::new(t.span.clone(), msg))
            }
            Tok::Word(w) => {
                let name = w.clone();
                self.cast()?;
                Ok(FieldName::Named(name))
            }
            Tok::Eof => Err(QlError::new(t.span, "unexpected end of query: expected an expression")),
            _ => Err(QlError::new(t.span.clone(), format!("expected an expression, found {}", describe(&t.tok)))),
        }
    }

    fn expect_close(&mut self, open: &Token) -> Result<(), QlError> {
        let t = self.next()?;
        match t.tok {
            Tok::RParen => Ok(()),
            Tok::Eof | Tok::Semicolon => Err(QlError::new(open.span.clone(), "unclosed `(`: missing `)`")),
            _ => Err(QlError::new(t.span.clone(), format!("expected `)`, found {}", describe(&t.tok)))),
        }
    }

    fn call_args(&mut self, open: &Token) -> Result<(), QlError> {
        if self.peek()?.tok == Tok::RParen {
            self.next()?;
            return Ok(());
        }
        let mut first = true;
        loop {
            let t = self.peek()?.clone();
            match &t.tok {
                Tok::Op("*") => {
                    self.next()?;
                }
                Tok::Op("/") => {
                    self.regex()?;
                }
                Tok::Placeholder { unit: None, .. } => {
                    self.next()?;
                    self.placeholder(&t, if first { Role::Ident } else { Role::Value })?;
                }
                _ => {
                    self.expr(Ctx::Fields)?;
                }
            }
            first = false;
            let t = self.peek()?.clone();
            match t.tok {
                Tok::Comma => {
                    self.next()?;
                }
                _ => return self.expect_close(open),
            }
        }
    }

    fn cast(&mut self) -> Result<(), QlError> {
        if self.peek()?.tok == Tok::DoubleColon {
            self.next()?;
            self.expect_one_of(&["float", "integer", "string", "boolean", "field", "tag"])?;
        }
        Ok(())
    }

    fn ident(&mut self) -> Result<Option<String>, QlError> {
        self.ident_or(Role::Ident)
    }

    fn ident_or(&mut self, role: Role) -> Result<Option<String>, QlError> {
        let t = self.next()?;
        self.ident_token(t, role)
    }

    fn ident_token(&mut self, t: Token, role: Role) -> Result<Option<String>, QlError> {
        match &t.tok {
            Tok::QuotedIdent(s) => Ok(Some(s.clone())),
            Tok::Word(w) if !is_keyword(w) => Ok(Some(w.clone())),
            Tok::Word(w) => Err(QlError::new(
                t.span.clone(),
                format!(
                    "expected an identifier, found the keyword `{w}`; double-quote it (`\"{w}\"`) to use it as a name"
                ),
            )),
            Tok::Placeholder { .. } => {
                self.placeholder(&t, role)?;
                Ok(None)
            }
            _ => Err(QlError::new(t.span.clone(), format!("expected an identifier, found {}", describe(&t.tok)))),
        }
    }

    fn string(&mut self) -> Result<(), QlError> {
        self.literal(|t| matches!(t, Tok::Str(_)), Role::Str, "a string")
    }

    fn integer(&mut self) -> Result<(), QlError> {
        self.literal(|t| matches!(t, Tok::Integer), Role::Integer, "an integer")
    }

    fn duration(&mut self) -> Result<(), QlError> {
        self.literal(|t| matches!(t, Tok::Duration), Role::Duration, "a duration such as `1h`")
    }

    /// One literal token accepted by `is`, or a placeholder standing in that role.
    fn literal(&mut self, is: fn(&Tok) -> bool, role: Role, what: &str) -> Result<(), QlError> {
        let t = self.next()?;
        match &t.tok {
            tok if is(tok) => Ok(()),
            Tok::Placeholder { .. } => self.placeholder(&t, role),
            _ => Err(QlError::new(t.span.clone(), format!("expected {what}, found {}", describe(&t.tok)))),
        }
    }

    fn on_db(&mut self) -> Result<(), QlError> {
        if self.eat_kw("ON")? {
            self.ident()?;
        }
        Ok(())
    }

    /// `[ON db] [FROM sources]`, the head of the SHOW statements that take a source.
    fn on_db_from(&mut self) -> Result<(), QlError> {
        self.on_db()?;
        if self.eat_kw("FROM")? {
            self.sources()?;
        }
        Ok(())
    }

    /// `[EXACT] CARDINALITY`.
    fn cardinality(&mut self) -> Result<(), QlError> {
        self.eat_kw("EXACT")?;
        self.expect_kw("CARDINALITY")
    }

    fn where_limit_offset(&mut self) -> Result<(), QlError> {
        if self.eat_kw("WHERE")? {
            self.expr(Ctx::Condition)?;
        }
        if self.eat_kw("LIMIT")? {
            self.integer()?;
        }
        if self.eat_kw("OFFSET")? {
            self.integer()?;
        }
        Ok(())
    }

    fn show(&mut self) -> Result<(), QlError> {
        let what = self.expect_one_of(&[
            "DATABASES",
            "MEASUREMENTS",
            "MEASUREMENT",
            "SERIES",
            "TAG",
            "FIELD",
            "RETENTION",
            "CONTINUOUS",
            "USERS",
            "GRANTS",
            "STATS",
            "DIAGNOSTICS",
            "SHARDS",
            "SHARD",
            "SUBSCRIPTIONS",
            "QUERIES",
        ])?;
        let mut kind = format!("SHOW {what}");
        match what {
            "MEASUREMENTS" => {
                self.on_db()?;
                if self.eat_kw("WITH")? {
                    self.expect_kw("MEASUREMENT")?;
                    let t = self.next()?;
                    match t.tok {
                        Tok::Op("=~" | "!~") => self.regex_or_placeholder()?,
                        Tok::Op("=" | "!=" | "<>") => {
                            self.ident()?;
                        }
                        _ => return Err(QlError::new(t.span, "expected `=` or `=~` after WITH MEASUREMENT")),
                    }
                }
                self.where_limit_offset()?;
            }
            "SERIES" | "MEASUREMENT" => {
                if what == "MEASUREMENT" || self.peek_kw("EXACT")? || self.peek_kw("CARDINALITY")? {
                    if what == "SERIES" {
                        kind = "SHOW SERIES CARDINALITY".into();
                    } else {
                        kind = "SHOW MEASUREMENT CARDINALITY".into();
                    }
                    self.cardinality()?;
                }
                self.on_db_from()?;
                self.where_limit_offset()?;
            }
            "TAG" => {
                let sub = self.expect_one_of(&["KEYS", "VALUES", "KEY"])?;
                kind = format!("SHOW TAG {sub}");
                if sub == "KEY" || (sub == "VALUES" && self.peek_kw("EXACT")? || self.peek_kw("CARDINALITY")?) {
                    self.cardinality()?;
                }
                self.on_db_from()?;
                if sub == "VALUES" {
                    self.expect_kw("WITH")?;
                    self.expect_kw("KEY")?;
                    let t = self.next()?;
                    match t.tok {
                        Tok::Op("=~" | "!~") => self.regex_or_placeholder()?,
                        Tok::Op("=" | "!=" | "<>") => {
                            self.ident()?;
                        }
                        Tok::Word(ref w) if w.eq_ignore_ascii_case("IN") => {
                            let open = self.expect(Tok::LParen, "`(`")?;
                            loop {
                                self.ident()?;
                                if self.peek()?.tok != Tok::Comma {
                                    break;
                                }
                                self.next()?;
                            }
                            self.expect_close(&open)?;
                        }
                        _ => return Err(QlError::new(t.span, "expected `=`, `!=`, `=~`, `!~` or IN after WITH KEY")),
                    }
                }
                self.where_limit_offset()?;
            }
            "FIELD" => {
                let sub = self.expect_one_of(&["KEYS", "KEY"])?;
                kind = format!("SHOW FIELD {sub}");
                if sub == "KEY" {
                    self.cardinality()?;
                }
                self.on_db_from()?;
                self.where_limit_offset()?;
            }
            "RETENTION" => {
                self.expect_kw("POLICIES")?;
                kind = "SHOW RETENTION POLICIES".into();
                self.on_db()?;
            }
            "CONTINUOUS" => {
                self.expect_kw("QUERIES")?;
                kind = "SHOW CONTINUOUS QUERIES".into();
            }
            "GRANTS" => {
                self.expect_kw("FOR")?;
                self.ident()?;
            }
            "STATS" | "DIAGNOSTICS" if self.eat_kw("FOR")? => self.string()?,
            "SHARD" => {
                self.expect_kw("GROUPS")?;
                kind = "SHOW SHARD GROUPS".into();
            }
            _ => {}
        }
        self.out.kind = kind;
        Ok(())
    }

    /// `[DURATION d] [REPLICATION n] [SHARD DURATION d] [DEFAULT]`, in any order; true if any.
    fn rp_options(&mut self) -> Result<bool, QlError> {
        let mut any = false;
        loop {
            if self.eat_kw("DURATION")? {
                self.rp_duration()?;
            } else if self.eat_kw("REPLICATION")? {
                self.integer()?;
            } else if self.eat_kw("SHARD")? {
                self.expect_kw("DURATION")?;
                self.duration()?;
            } else if self.eat_kw("DEFAULT")? {
            } else {
                return Ok(any);
            }
            any = true;
        }
    }

    fn rp_duration(&mut self) -> Result<(), QlError> {
        if self.eat_kw("INF")? {
            return Ok(());
        }
        self.duration()
    }

    fn create(&mut self) -> Result<(), QlError> {
        self.out.writes = true;
        let what = self.expect_one_of(&["DATABASE", "RETENTION", "USER", "CONTINUOUS", "SUBSCRIPTION"])?;
        match what {
            "DATABASE" => {
                self.out.kind = "CREATE DATABASE".into();
                self.ident()?;
                if self.eat_kw("WITH")? {
                    loop {
                        if self.eat_kw("DURATION")? {
                            self.rp_duration()?;
                        } else if self.eat_kw("REPLICATION")? {
                            self.integer()?;
                        } else if self.eat_kw("SHARD")? {
                            self.expect_kw("DURATION")?;
                            self.duration()?;
                        } else if self.eat_kw("NAME")? {
                            self.ident()?;
                        } else {
                            break;
                        }
                    }
                }
            }
            "RETENTION" => {
                self.expect_kw("POLICY")?;
                self.out.kind = "CREATE RETENTION POLICY".into();
                self.ident()?;
                self.expect_kw("ON")?;
                self.ident()?;
                self.expect_kw("DURATION")?;
                self.rp_duration()?;
                self.expect_kw("REPLICATION")?;
                self.integer()?;
                if self.eat_kw("SHARD")? {
                    self.expect_kw("DURATION")?;
                    self.duration()?;
                }
                self.eat_kw("DEFAULT")?;
            }
            "USER" => {
                self.out.kind = "CREATE USER".into();
                self.ident()?;
                self.expect_kw("WITH")?;
                self.expect_kw("PASSWORD")?;
                self.string()?;
                if self.eat_kw("WITH")? {
                    self.expect_kw("ALL")?;
                    self.expect_kw("PRIVILEGES")?;
                }
            }
            "CONTINUOUS" => {
                self.expect_kw("QUERY")?;
                self.out.kind = "CREATE CONTINUOUS QUERY".into();
                self.ident()?;
                self.expect_kw("ON")?;
                self.ident()?;
                if self.eat_kw("RESAMPLE")? {
                    let mut any = false;
                    if self.eat_kw("EVERY")? {
                        self.duration()?;
                        any = true;
                    }
                    if self.eat_kw("FOR")? {
                        self.duration()?;
                        any = true;
                    }
                    if !any {
                        let t = self.next()?;
                        return Err(self.unexpected(&t, &["EVERY", "FOR"]));
                    }
                }
                self.expect_kw("BEGIN")?;
                self.expect_kw("SELECT")?;
                let placeholders = std::mem::take(&mut self.out.placeholders);
                self.select()?;
                let mut inner = std::mem::replace(&mut self.out.placeholders, placeholders);
                self.out.placeholders.append(&mut inner);
                self.out.kind = "CREATE CONTINUOUS QUERY".into();
                self.out.projection = None;
                self.out.measurements.clear();
                self.out.writes = true;
                self.expect_kw("END")?;
            }
            _ => {
                self.out.kind = "CREATE SUBSCRIPTION".into();
                self.ident()?;
                self.expect_kw("ON")?;
                self.ident()?;
                self.expect(Tok::Dot, "`.`")?;
                self.ident()?;
                self.expect_kw("DESTINATIONS")?;
                self.expect_one_of(&["ALL", "ANY"])?;
                loop {
                    self.string()?;
                    if self.peek()?.tok != Tok::Comma {
                        break;
                    }
                    self.next()?;
                }
            }
        }
        Ok(())
    }

    fn drop_stmt(&mut self) -> Result<(), QlError> {
        self.out.writes = true;
        let what = self.expect_one_of(&[
            "DATABASE",
            "MEASUREMENT",
            "SERIES",
            "RETENTION",
            "USER",
            "CONTINUOUS",
            "SHARD",
            "SUBSCRIPTION",
        ])?;
        self.out.kind = format!("DROP {what}");
        match what {
            "DATABASE" | "MEASUREMENT" | "USER" => {
                self.ident()?;
            }
            "SERIES" => {
                if self.eat_kw("FROM")? {
                    self.sources()?;
                }
                if self.eat_kw("WHERE")? {
                    self.expr(Ctx::Condition)?;
                }
            }
            "RETENTION" | "CONTINUOUS" => {
                self.expect_kw(if what == "RETENTION" { "POLICY" } else { "QUERY" })?;
                self.out.kind =
                    if what == "RETENTION" { "DROP RETENTION POLICY" } else { "DROP CONTINUOUS QUERY" }.into();
                self.ident()?;
                self.expect_kw("ON")?;
                self.ident()?;
            }
            "SHARD" => self.integer()?,
            _ => {
                self.ident()?;
                self.expect_kw("ON")?;
                self.ident()?;
                self.expect(Tok::Dot, "`.`")?;
                self.ident()?;
            }
        }
        Ok(())
    }

    fn grant(&mut self, grant: bool) -> Result<(), QlError> {
        self.out.writes = true;
        let verb = if grant { "GRANT" } else { "REVOKE" };
        let privilege = self.expect_one_of(&["READ", "WRITE", "ALL"])?;
        if privilege == "ALL" {
            self.eat_kw("PRIVILEGES")?;
        }
        let on = self.eat_kw("ON")?;
        if on {
            self.ident()?;
        } else if privilege != "ALL" {
            let t = self.next()?;
            return Err(self.unexpected(&t, &["ON"]));
        }
        self.out.kind = if on { format!("{verb} PRIVILEGE") } else { format!("{verb} ADMIN") };
        self.expect_kw(if grant { "TO" } else { "FROM" })?;
        self.ident()?;
        Ok(())
    }
}

#[derive(Debug)]
enum FieldName {
    Named(String),
    /// Literals and regexes: contribute no name.
    Unnamed,
    /// Wildcards and placeholders: the columns are not known statically.
    Open,
}

/// The server's name for a binary expression: its operand names joined by `_`
/// (`influxql.BinaryExprName`).
fn join_names(names: impl Iterator<Item = FieldName>) -> FieldName {
    let mut parts = Vec::new();
    for n in names {
        match n {
            FieldName::Named(s) => parts.push(s),
            FieldName::Unnamed => {}
            FieldName::Open => return FieldName::Open,
        }
    }
    if parts.is_empty() {
        FieldName::Unnamed
    } else {
        FieldName::Named(parts.join("_"))
    }
}

fn role_noun(role: &Role) -> &'static str {
    match role {
        Role::Value => "a value",
        Role::Str => "a string",
        Role::Ident => "an identifier",
        Role::Source => "a measurement",
        Role::Integer => "an integer",
        Role::DurationCount(_) | Role::Duration => "a duration",
        Role::Regex => "a regex",
        Role::Columns => "the row's columns",
    }
}

#[cfg(test)]
mod tests;
