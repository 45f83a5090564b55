//! Tokens of an InfluxQL template, with byte ranges into the template text.
//!
//! Follows `influxql/scanner.go`: the same escapes inside quotes, the same
//! number/duration shapes, comments, and regexes scanned only where the parser
//! asks for one. Adds one token of our own: the `{name}` placeholder.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A bare word: identifier or keyword (the parser decides).
    Word(String),
    /// `"..."`, unescaped.
    QuotedIdent(String),
    /// `'...'`, unescaped.
    Str(String),
    Integer,
    Number,
    Duration,
    /// `/.../`, only produced by [`Lexer::regex`].
    Regex,
    /// `{*}`: the columns of the pattern's row type.
    Columns,
    /// `$name`
    BoundParam,
    /// `{}` (positional) or `{name}`, optionally glued to a duration unit (`{days}d`).
    Placeholder {
        name: Option<String>,
        unit: Option<String>,
    },
    Op(&'static str),
    LParen,
    RParen,
    Comma,
    Semicolon,
    Dot,
    DoubleColon,
    /// A lone `:`, as in `INTO db..:MEASUREMENT`.
    Colon,
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) span: Range<usize>,
}

/// A syntax or usage error at a byte range of the template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QlError {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
}

impl QlError {
    pub(crate) fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Self { span, message: message.into() }
    }
}

pub(crate) const DURATION_UNITS: &[&str] = &["ns", "u", "µ", "ms", "s", "m", "h", "d", "w"];

const TWO_CHAR_OPS: [&str; 6] = ["=~", "!=", "!~", "<>", "<=", ">="];

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

fn is_ident_first(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Self { src, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn reset(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_char_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_trivia(&mut self) -> Result<(), QlError> {
        loop {
            match (self.peek_char(), self.peek_char_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('-'), Some('-')) => {
                    let start = self.pos;
                    while let Some(c) = self.peek_char() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                    self.reject_placeholder_in(start..self.pos, "a comment")?;
                }
                (Some('/'), Some('*')) => {
                    let start = self.pos;
                    self.pos += 2;
                    match self.src[self.pos..].find("*/") {
                        Some(end) => self.pos += end + 2,
                        None => return Err(QlError::new(start..self.src.len(), "unterminated comment `/* ...`")),
                    }
                    self.reject_placeholder_in(start..self.pos, "a comment")?;
                }
                _ => return Ok(()),
            }
        }
    }

    /// A placeholder where it would not be substituted (inside quotes or a comment)
    /// is almost always a mistake copied from string-formatting habits.
    pub(crate) fn reject_placeholder_in(&self, range: Range<usize>, what: &str) -> Result<(), QlError> {
        let text = &self.src[range.clone()];
        let mut from = 0;
        while let Some(open) = text[from..].find('{') {
            let open = from + open;
            if let Some(close) = text[open..].find('}') {
                let inner = &text[open + 1..open + close];
                if inner.chars().all(is_ident_char) {
                    let at = range.start + open..range.start + open + close + 1;
                    let shown = &self.src[at.clone()];
                    let hint = if what == "a comment" {
                        String::new()
                    } else {
                        "; placeholders are quoted for you: remove the quotes around it".to_owned()
                    };
                    return Err(QlError::new(
                        at,
                        format!("placeholder `{shown}` inside {what} is never substituted{hint}"),
                    ));
                }
            }
            from = open + 1;
        }
        Ok(())
    }

    pub(crate) fn next_token(&mut self) -> Result<Token, QlError> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok(Token { tok: Tok::Eof, span: start..start });
        };
        // Two-character operators before their one-character prefixes.
        if let Some(&op) = TWO_CHAR_OPS.iter().find(|op| self.src[start..].starts_with(**op)) {
            self.bump();
            return Ok(Token { tok: Tok::Op(op), span: start..self.pos });
        }
        let tok = match c {
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            ';' => Tok::Semicolon,
            '.' if !self.peek_char().is_some_and(|c| c.is_ascii_digit()) => Tok::Dot,
            ':' if self.peek_char() == Some(':') => {
                self.bump();
                Tok::DoubleColon
            }
            ':' => Tok::Colon,
            '=' => Tok::Op("="),
            '<' => Tok::Op("<"),
            '>' => Tok::Op(">"),
            '+' => Tok::Op("+"),
            '-' => Tok::Op("-"),
            '*' => Tok::Op("*"),
            '/' => Tok::Op("/"),
            '%' => Tok::Op("%"),
            '&' => Tok::Op("&"),
            '|' => Tok::Op("|"),
            '^' => Tok::Op("^"),
            '"' => Tok::QuotedIdent(self.quoted('"', start)?),
            '\'' => Tok::Str(self.quoted('\'', start)?),
            '$' => {
                let name_start = self.pos;
                while self.peek_char().is_some_and(is_ident_char) {
                    self.bump();
                }
                if self.pos == name_start {
                    return Err(QlError::new(start..self.pos, "expected a parameter name after `$`"));
                }
                Tok::BoundParam
            }
            '{' => self.placeholder(start)?,
            c if c.is_ascii_digit() || c == '.' => self.number(start)?,
            c if is_ident_first(c) => {
                while self.peek_char().is_some_and(is_ident_char) {
                    self.bump();
                }
                Tok::Word(self.src[start..self.pos].to_owned())
            }
            c => return Err(QlError::new(start..self.pos, format!("unexpected character `{c}`"))),
        };
        Ok(Token { tok, span: start..self.pos })
    }

    fn quoted(&mut self, quote: char, start: usize) -> Result<String, QlError> {
        let mut out = String::new();
        let what = if quote == '\'' { "string" } else { "quoted identifier" };
        loop {
            match self.bump() {
                None => {
                    return Err(QlError::new(
                        start..self.pos,
                        format!("unterminated {what}: missing closing `{quote}`"),
                    ))
                }
                Some('\n') => {
                    return Err(QlError::new(
                        start..self.pos,
                        format!("unterminated {what}: a raw newline is not allowed inside quotes (write `\\n`)"),
                    ))
                }
                Some('\\') => {
                    let esc_start = self.pos - 1;
                    match self.bump() {
                        Some('n') => out.push('\n'),
                        Some('\\') => out.push('\\'),
                        Some('"') => out.push('"'),
                        Some('\'') => out.push('\''),
                        other => {
                            let shown = other.map(String::from).unwrap_or_default();
                            return Err(QlError::new(
                                esc_start..self.pos,
                                format!("bad escape `\\{shown}` in {what}: only \\n, \\\\, \\\" and \\' are allowed"),
                            ));
                        }
                    }
                }
                Some(c) if c == quote => break,
                Some(c) => out.push(c),
            }
        }
        let kind = if quote == '\'' { "a quoted string" } else { "a quoted identifier" };
        self.reject_placeholder_in(start..self.pos, kind)?;
        Ok(out)
    }

    fn placeholder(&mut self, start: usize) -> Result<Tok, QlError> {
        if self.src[self.pos..].starts_with("*}") {
            self.pos += 2;
            return Ok(Tok::Columns);
        }
        let name_start = self.pos;
        while self.peek_char().is_some_and(is_ident_char) {
            self.bump();
        }
        let name = &self.src[name_start..self.pos];
        if self.peek_char() != Some('}') {
            return Err(QlError::new(
                start..self.pos.max(start + 1),
                "unterminated placeholder: expected `{name}` or `{}`",
            ));
        }
        self.bump();
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(QlError::new(
                start..self.pos,
                format!("numbered placeholder `{{{name}}}` is not supported: use `{{}}` or a parameter name"),
            ));
        }
        let name = (!name.is_empty()).then(|| name.to_owned());
        let glued_start = self.pos;
        while self.peek_char().is_some_and(|c| is_ident_char(c) || c == 'µ') {
            self.bump();
        }
        let glued = &self.src[glued_start..self.pos];
        let unit = if glued.is_empty() {
            None
        } else if DURATION_UNITS.contains(&glued) {
            Some(glued.to_owned())
        } else {
            return Err(QlError::new(
                start..self.pos,
                format!(
                    "placeholder glued to `{glued}`: only a duration unit (ns, u, µ, ms, s, m, h, d, w) may follow it"
                ),
            ));
        };
        Ok(Tok::Placeholder { name, unit })
    }

    fn number(&mut self, start: usize) -> Result<Tok, QlError> {
        while self.peek_char().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        let mut is_float = self.src[start..self.pos].contains('.');
        if !is_float && self.peek_char() == Some('.') && self.peek_char_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
            while self.peek_char().is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
            }
            is_float = true;
        }
        let digits_end = self.pos;
        let unit_start = self.pos;
        while self.peek_char().is_some_and(|c| c.is_ascii_alphabetic() || c == 'µ') {
            self.bump();
        }
        let unit = &self.src[unit_start..self.pos];
        if unit.is_empty() && !self.peek_char().is_some_and(is_ident_char) {
            return Ok(if is_float { Tok::Number } else { Tok::Integer });
        }
        if !is_float && DURATION_UNITS.contains(&unit) {
            // A duration may chain segments: `1h30m`.
            while self.peek_char().is_some_and(|c| c.is_ascii_digit()) {
                let seg = self.pos;
                while self.peek_char().is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
                let u = self.pos;
                while self.peek_char().is_some_and(|c| c.is_ascii_alphabetic() || c == 'µ') {
                    self.bump();
                }
                if !DURATION_UNITS.contains(&&self.src[u..self.pos]) {
                    return Err(QlError::new(seg..self.pos, "invalid duration"));
                }
            }
            return Ok(Tok::Duration);
        }
        Err(QlError::new(
            start..self.pos,
            format!(
                "invalid number `{}`: `{unit}` is not a duration unit (ns, u, µ, ms, s, m, h, d, w)",
                &self.src[start..digits_end.max(self.pos)]
            ),
        ))
    }

    /// Scans `/.../` at the current position (the parser knows a regex is due).
    pub(crate) fn regex(&mut self) -> Result<Token, QlError> {
        self.skip_trivia()?;
        let start = self.pos;
        if self.bump() != Some('/') {
            self.pos = start;
            return Err(QlError::new(start..start + 1, "expected a regular expression `/.../`"));
        }
        loop {
            match self.bump() {
                None | Some('\n') => {
                    return Err(QlError::new(start..self.pos, "unterminated regex: missing closing `/`"))
                }
                Some('\\') => {
                    self.bump();
                }
                Some('/') => break,
                Some(_) => {}
            }
        }
        Ok(Token { tok: Tok::Regex, span: start..self.pos })
    }
}

/// Every token of `src`, for tests and simple scans.
#[cfg(test)]
pub(crate) fn tokenize(src: &str) -> Result<Vec<Tok>, QlError> {
    let mut lx = Lexer::new(src);
    let mut out = Vec::new();
    loop {
        let t = lx.next_token()?;
        if t.tok == Tok::Eof {
            return Ok(out);
        }
        out.push(t.tok);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &str) -> Tok {
        Tok::Word(s.to_owned())
    }

    #[test]
    fn words_numbers_and_durations() {
        assert_eq!(
            tokenize("SELECT x FROM m WHERE a >= 1.5 AND time > now() - 7d").unwrap(),
            vec![
                word("SELECT"),
                word("x"),
                word("FROM"),
                word("m"),
                word("WHERE"),
                word("a"),
                Tok::Op(">="),
                Tok::Number,
                word("AND"),
                word("time"),
                Tok::Op(">"),
                word("now"),
                Tok::LParen,
                Tok::RParen,
                Tok::Op("-"),
                Tok::Duration
            ]
        );
        assert_eq!(tokenize("1h30m 10 .5").unwrap(), vec![Tok::Duration, Tok::Integer, Tok::Number]);
        assert!(tokenize("10x").unwrap_err().message.contains("`x` is not a duration unit"));
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            tokenize(r#"'it\'s' "a \"b\"""#).unwrap(),
            vec![Tok::Str("it's".into()), Tok::QuotedIdent("a \"b\"".into())]
        );
        let e = tokenize("'abc").unwrap_err();
        assert_eq!(e.span, 0..4);
        assert!(e.message.starts_with("unterminated string"), "{}", e.message);
        assert!(tokenize("\"abc").unwrap_err().message.starts_with("unterminated quoted identifier"));
        assert!(tokenize(r"'a\x'").unwrap_err().message.starts_with("bad escape `\\x`"));
        assert!(tokenize("'a\nb'").unwrap_err().message.contains("raw newline"));
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            tokenize("{host} {} {days}d {n}ms").unwrap(),
            vec![
                Tok::Placeholder { name: Some("host".into()), unit: None },
                Tok::Placeholder { name: None, unit: None },
                Tok::Placeholder { name: Some("days".into()), unit: Some("d".into()) },
                Tok::Placeholder { name: Some("n".into()), unit: Some("ms".into()) },
            ]
        );
        let e = tokenize("host = '{host}'").unwrap_err();
        assert_eq!(e.span, 8..14);
        assert!(e.message.contains("inside a quoted string"), "{}", e.message);
        assert!(tokenize("\"{m}\"").unwrap_err().message.contains("inside a quoted identifier"));
        assert!(tokenize("-- {x}\n").unwrap_err().message.contains("inside a comment"));
        assert!(tokenize("{x}abc").unwrap_err().message.contains("glued to `abc`"));
        assert!(tokenize("{x").unwrap_err().message.contains("unterminated placeholder"));
        assert!(tokenize("{0}").unwrap_err().message.contains("numbered placeholder"));
        // Braces that are not placeholder-shaped may appear in strings.
        assert_eq!(tokenize("'{a b}'").unwrap(), vec![Tok::Str("{a b}".into())]);
    }

    #[test]
    fn comments_and_operators() {
        assert_eq!(
            tokenize("a /* c */ =~ b -- end\n!= <> :: ;").unwrap(),
            vec![word("a"), Tok::Op("=~"), word("b"), Tok::Op("!="), Tok::Op("<>"), Tok::DoubleColon, Tok::Semicolon]
        );
        let ops = ["<=", ">=", "!~", "<", ">", "=", "<>", "=~", "!="];
        assert_eq!(tokenize(&ops.join(" ")).unwrap(), ops.map(Tok::Op).to_vec());
        assert_eq!(tokenize("a<=b").unwrap(), vec![word("a"), Tok::Op("<="), word("b")]);
        assert!(tokenize("/* open").unwrap_err().message.contains("unterminated comment"));
        assert!(tokenize("a # b").unwrap_err().message.contains("unexpected character `#`"));
    }

    #[test]
    fn regex_on_demand() {
        let mut lx = Lexer::new(r" /a\/b{2}/ x");
        assert_eq!(lx.regex().unwrap().span, 1..10);
        assert_eq!(lx.next_token().unwrap().tok, word("x"));
        assert!(Lexer::new("/abc").regex().unwrap_err().message.contains("unterminated regex"));
    }
}
