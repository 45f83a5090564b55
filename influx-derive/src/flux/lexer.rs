//! Tokens of a Flux template, with byte ranges into the template text.
//!
//! Follows the Flux scanner (`libflux/flux-core/src/scanner/scanner.rl`): the
//! same string escapes and `${...}` interpolation, regexes where an operand
//! is due (else `/` divides), durations, date-times, `//` comments. Tracks
//! brackets so that an unbalanced one is reported where it is. Adds one token
//! of our own: the `{name}` placeholder, optionally glued to a duration unit.

use std::ops::Range;

use crate::influxql::lexer::QlError;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// An identifier or keyword.
    Ident(String),
    /// A number, duration, date-time, string or regex literal.
    Literal,
    Op(&'static str),
    Open(char),
    Close(char),
    /// `${` inside a string: an expression follows, up to the matching `}`.
    InterpOpen,
    /// The `}` that ends an interpolation; the string goes on.
    InterpClose,
    /// `{}` (positional) or `{name}`, optionally glued to a duration unit (`{days}d`).
    Placeholder {
        name: Option<String>,
        unit: Option<String>,
    },
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) span: Range<usize>,
}

impl Token {
    /// True if an operand ends with this token, so that a `/` after it divides
    /// and a `-` after it subtracts.
    pub(crate) fn ends_operand(&self) -> bool {
        match &self.tok {
            Tok::Ident(w) => !KEYWORDS.contains(&w.as_str()),
            Tok::Literal | Tok::Close(_) | Tok::Placeholder { .. } => true,
            _ => false,
        }
    }
}

/// Words after which an operand is due (`and /re/`, `return -1h`).
const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "empty", "exists", "if", "then", "else", "return", "import", "package", "option",
    "builtin", "test", "testcase",
];

pub(crate) const DURATION_UNITS: &[&str] = &["ns", "us", "µs", "ms", "s", "m", "h", "d", "w", "mo", "y"];

const TWO_CHAR_OPS: [&str; 9] = ["==", "!=", "<=", ">=", "=~", "!~", "=>", "<-", "|>"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Frame {
    Bracket(char),
    /// `${` of the string whose opening quote is at this offset.
    Interp(usize),
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    frames: Vec<(Frame, Range<usize>)>,
    /// After an interpolation's `}`: the string (opened at this offset) goes on.
    resume_string: Option<usize>,
    prev_ends_operand: bool,
}

fn is_ident_first(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_placeholder_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Self { src, pos: 0, frames: Vec::new(), resume_string: None, prev_ends_operand: false }
    }

    /// The innermost open bracket (`(`, `[` or `{`), if any; an interpolation counts as `{`.
    pub(crate) fn innermost(&self) -> Option<char> {
        self.frames.last().map(|(f, _)| match f {
            Frame::Bracket(c) => *c,
            Frame::Interp(_) => '{',
        })
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_char_at(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat_while(&mut self, f: impl Fn(char) -> bool) {
        while self.peek_char().is_some_and(&f) {
            self.bump();
        }
    }

    fn skip_trivia(&mut self) -> Result<(), QlError> {
        loop {
            match self.peek_char() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('/') if self.peek_char_at(1) == Some('/') => {
                    let start = self.pos;
                    self.eat_while(|c| c != '\n');
                    reject_placeholder_in(self.src, start..self.pos, "a comment", "")?;
                }
                _ => return Ok(()),
            }
        }
    }

    pub(crate) fn next_token(&mut self) -> Result<Token, QlError> {
        let t = self.scan()?;
        self.prev_ends_operand = t.ends_operand();
        Ok(t)
    }

    fn scan(&mut self) -> Result<Token, QlError> {
        if let Some(open) = self.resume_string.take() {
            return self.string(open);
        }
        self.skip_trivia()?;
        let start = self.pos;
        let Some(c) = self.bump() else {
            return match self.frames.last() {
                None => Ok(Token { tok: Tok::Eof, span: start..start }),
                Some((Frame::Interp(_), at)) => {
                    Err(QlError::new(at.clone(), "unterminated interpolation: `${` is missing its `}`"))
                }
                Some((Frame::Bracket(open), at)) => {
                    Err(QlError::new(at.clone(), format!("unclosed `{open}`: missing `{}`", closer(*open))))
                }
            };
        };
        if let Some(&op) = TWO_CHAR_OPS.iter().find(|op| self.src[start..].starts_with(**op)) {
            self.bump();
            return Ok(Token { tok: Tok::Op(op), span: start..self.pos });
        }
        let tok = match c {
            '"' => return self.string(start),
            '/' if !self.prev_ends_operand => return self.regex(start),
            '{' => return self.brace(start),
            '(' | '[' => {
                self.frames.push((Frame::Bracket(c), start..self.pos));
                Tok::Open(c)
            }
            ')' | ']' | '}' => return self.close(c, start),
            '.' if self.peek_char().is_some_and(|c| c.is_ascii_digit()) => {
                self.eat_while(|c| c.is_ascii_digit());
                Tok::Literal
            }
            c if c.is_ascii_digit() => self.number(start)?,
            c if is_ident_first(c) => {
                self.eat_while(is_ident_char);
                Tok::Ident(self.src[start..self.pos].to_owned())
            }
            '+' => Tok::Op("+"),
            '-' => Tok::Op("-"),
            '*' => Tok::Op("*"),
            '/' => Tok::Op("/"),
            '%' => Tok::Op("%"),
            '^' => Tok::Op("^"),
            '<' => Tok::Op("<"),
            '>' => Tok::Op(">"),
            '=' => Tok::Op("="),
            ':' => Tok::Op(":"),
            ',' => Tok::Op(","),
            '.' => Tok::Op("."),
            '?' => Tok::Op("?"),
            '@' => Tok::Op("@"),
            '\'' => {
                return Err(QlError::new(start..self.pos, "unexpected `'`: Flux strings are double-quoted (`\"...\"`)"))
            }
            c => return Err(QlError::new(start..self.pos, format!("unexpected character `{c}`"))),
        };
        Ok(Token { tok, span: start..self.pos })
    }

    fn close(&mut self, c: char, start: usize) -> Result<Token, QlError> {
        let span = start..self.pos;
        match self.frames.pop() {
            None => Err(QlError::new(span, format!("unmatched `{c}`: no bracket is open"))),
            Some((Frame::Interp(open), _)) if c == '}' => {
                self.resume_string = Some(open);
                Ok(Token { tok: Tok::InterpClose, span })
            }
            Some((Frame::Bracket(open), _)) if closer(open) == c => Ok(Token { tok: Tok::Close(c), span }),
            Some((frame, at)) => {
                let (open, close) = match frame {
                    Frame::Bracket(open) => (open.to_string(), closer(open)),
                    Frame::Interp(_) => ("${".to_owned(), '}'),
                };
                let line = self.src[..at.start].matches('\n').count() + 1;
                Err(QlError::new(
                    span,
                    format!("expected `{close}` to close the `{open}` on template line {line}, found `{c}`"),
                ))
            }
        }
    }

    /// `{`: a placeholder (`{}`, `{name}`, `{name}unit`) or a record/block brace.
    fn brace(&mut self, start: usize) -> Result<Token, QlError> {
        let inner_len = self.rest().find(|c: char| !is_placeholder_char(c)).unwrap_or(self.rest().len());
        if self.rest()[inner_len..].starts_with('}') {
            let name = &self.src[self.pos..self.pos + inner_len];
            self.pos += inner_len + 1;
            if name.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(QlError::new(
                    start..self.pos,
                    format!("numbered placeholder `{{{name}}}` is not supported: use `{{}}` or a parameter name"),
                ));
            }
            let name = (!name.is_empty()).then(|| name.to_owned());
            let glued_start = self.pos;
            self.eat_while(|c| is_ident_char(c) || c == 'µ');
            let glued = &self.src[glued_start..self.pos];
            let unit = if glued.is_empty() {
                None
            } else if DURATION_UNITS.contains(&glued) {
                Some(glued.to_owned())
            } else {
                return Err(QlError::new(
                    start..self.pos,
                    format!(
                        "placeholder glued to `{glued}`: only a duration unit ({}) may follow it",
                        DURATION_UNITS.join(", ")
                    ),
                ));
            };
            return Ok(Token { tok: Tok::Placeholder { name, unit }, span: start..self.pos });
        }
        if self.rest().starts_with("*}") {
            return Err(QlError::new(
                start..self.pos + 2,
                "`{*}` (the row type's columns) is InfluxQL only: Flux rows carry every column they have",
            ));
        }
        self.frames.push((Frame::Bracket('{'), start..self.pos));
        Ok(Token { tok: Tok::Open('{'), span: start..self.pos })
    }

    /// A string from its opening quote at `open` (or from after an
    /// interpolation), up to its closing quote or the next `${`.
    fn string(&mut self, open: usize) -> Result<Token, QlError> {
        let start = self.pos;
        loop {
            let at = self.pos;
            match self.bump() {
                None => {
                    return Err(QlError::new(open..self.src.len(), "unterminated string: missing closing `\"`"));
                }
                Some('"') => {
                    reject_placeholder_in(self.src, start..self.pos, "a string literal", STRING_HINT)?;
                    return Ok(Token { tok: Tok::Literal, span: open..self.pos });
                }
                Some('\\') => match self.bump() {
                    Some('n' | 'r' | 't' | '\\' | '"') => {}
                    Some('$') if self.peek_char() == Some('{') => {
                        self.bump();
                    }
                    Some('x')
                        if self.peek_char().is_some_and(|c| c.is_ascii_hexdigit())
                            && self.peek_char_at(1).is_some_and(|c| c.is_ascii_hexdigit()) =>
                    {
                        self.pos += 2;
                    }
                    other => {
                        let shown = other.map(String::from).unwrap_or_default();
                        return Err(QlError::new(
                            at..self.pos,
                            format!(
                                "bad escape `\\{shown}` in a string: Flux allows \\n, \\r, \\t, \\\\, \\\", \\${{ and \\xHH"
                            ),
                        ));
                    }
                },
                Some('$') => match self.peek_char() {
                    Some('{') => {
                        reject_placeholder_in(self.src, start..at, "a string literal", STRING_HINT)?;
                        self.bump();
                        self.frames.push((Frame::Interp(open), at..self.pos));
                        return Ok(Token { tok: Tok::InterpOpen, span: at..self.pos });
                    }
                    // The scanner pairs `$` with the next character, so `$\` hides an escape.
                    Some('\\') => {
                        return Err(QlError::new(
                            at..self.pos + 1,
                            "`$` before `\\` in a string: the Flux scanner reads `$\\` as a pair and misses the escape; write the `$` as `\\x24`",
                        ));
                    }
                    Some('"') | None => {}
                    Some(_) => {
                        self.bump();
                    }
                },
                Some(_) => {}
            }
        }
    }

    /// `/.../` where an operand is due.
    fn regex(&mut self, start: usize) -> Result<Token, QlError> {
        loop {
            match self.bump() {
                None => {
                    return Err(QlError::new(
                        start..self.src.len(),
                        "unterminated regex: missing closing `/` (write `/` inside a regex as `\\/`)",
                    ))
                }
                Some('\\') => {
                    self.bump();
                }
                Some('/') => break,
                Some(_) => {}
            }
        }
        reject_placeholder_in(self.src, start..self.pos, "a regex literal", REGEX_HINT)?;
        Ok(Token { tok: Tok::Literal, span: start..self.pos })
    }

    /// An integer, float, duration (`1h30m`) or date-time (`2026-01-02T03:04:05Z`).
    fn number(&mut self, start: usize) -> Result<Tok, QlError> {
        self.eat_while(|c| c.is_ascii_digit());
        if self.pos - start == 4 && self.date_time() {
            return Ok(Tok::Literal);
        }
        if self.peek_char() == Some('.') && !self.peek_char_at(1).is_some_and(is_ident_first) {
            self.bump();
            self.eat_while(|c| c.is_ascii_digit());
            return self.number_end(start);
        }
        let digits = &self.src[start..self.pos];
        if digits.len() > 1 && digits.starts_with('0') {
            return Err(QlError::new(
                start..self.pos,
                format!("invalid integer `{digits}`: a Flux integer cannot start with 0"),
            ));
        }
        while self.peek_char().is_some_and(|c| c.is_alphabetic() || c == 'µ') {
            let unit_start = self.pos;
            self.eat_while(|c| c.is_alphabetic() || c == 'µ');
            let unit = &self.src[unit_start..self.pos];
            if unit.starts_with(['e', 'E']) && self.peek_char().is_some_and(|c| c.is_ascii_digit()) {
                self.eat_while(is_ident_char);
                return Err(QlError::new(
                    start..self.pos,
                    format!(
                        "invalid number `{}`: Flux numbers have no exponent, write the number out",
                        &self.src[start..self.pos]
                    ),
                ));
            }
            if !DURATION_UNITS.contains(&unit) {
                return Err(QlError::new(
                    start..self.pos,
                    format!(
                        "invalid duration `{}`: `{unit}` is not a Flux duration unit ({})",
                        &self.src[start..self.pos],
                        DURATION_UNITS.join(", ")
                    ),
                ));
            }
            self.eat_while(|c| c.is_ascii_digit());
        }
        self.number_end(start)
    }

    /// A number must not run into a word: `1_000`, `1.5e3`.
    fn number_end(&mut self, start: usize) -> Result<Tok, QlError> {
        if !self.peek_char().is_some_and(is_ident_char) {
            return Ok(Tok::Literal);
        }
        let exponent = self.peek_char().is_some_and(|c| c == 'e' || c == 'E');
        self.eat_while(is_ident_char);
        let number = &self.src[start..self.pos];
        Err(QlError::new(
            start..self.pos,
            if exponent {
                format!("invalid number `{number}`: Flux numbers have no exponent, write the number out")
            } else {
                format!("invalid number `{number}`")
            },
        ))
    }

    /// After four digits: the rest of `YYYY-MM-DD[THH:MM:SS[.fff][Z|±HH:MM]]`, if it is one.
    fn date_time(&mut self) -> bool {
        let shape = |s: &str, pattern: &str| {
            s.len() >= pattern.len()
                && s.bytes().zip(pattern.bytes()).all(|(b, p)| if p == b'9' { b.is_ascii_digit() } else { b == p })
        };
        if !shape(self.rest(), "-99-99") {
            return false;
        }
        self.pos += 6;
        if shape(self.rest(), "T99:99:99") {
            self.pos += 9;
            if self.peek_char() == Some('.') {
                self.bump();
                self.eat_while(|c| c.is_ascii_digit());
            }
            if self.peek_char() == Some('Z') {
                self.bump();
            } else if shape(self.rest(), "+99:99") || shape(self.rest(), "-99:99") {
                self.pos += 6;
            }
        }
        true
    }
}

const STRING_HINT: &str =
    "; values are quoted for you: remove the quotes around it, or interpolate it: `\"...${{NAME}}...\"`";
const REGEX_HINT: &str =
    "; pass the whole regex as an `influx::flux::Regex` parameter (`Regex::exact(text)` matches text literally)";

/// A placeholder where it would not be substituted (in a string, a regex or a
/// comment) is almost always a mistake copied from string-formatting habits.
fn reject_placeholder_in(src: &str, range: Range<usize>, what: &str, hint: &str) -> Result<(), QlError> {
    let text = &src[range.clone()];
    let mut from = 0;
    while let Some(open) = text[from..].find('{') {
        let open = from + open;
        if let Some(close) = text[open..].find('}') {
            let inner = &text[open + 1..open + close];
            if inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && inner.chars().all(is_placeholder_char)
            {
                let at = range.start + open..range.start + open + close + 1;
                let hint = hint.replace("NAME", inner);
                return Err(QlError::new(
                    at.clone(),
                    format!("placeholder `{}` inside {what} is never substituted{hint}", &src[at]),
                ));
            }
        }
        from = open + 1;
    }
    Ok(())
}

/// Every token of `src`, for tests.
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

    fn ident(s: &str) -> Tok {
        Tok::Ident(s.to_owned())
    }

    fn ph(name: &str) -> Tok {
        Tok::Placeholder { name: Some(name.to_owned()), unit: None }
    }

    fn err(src: &str) -> QlError {
        tokenize(src).unwrap_err()
    }

    #[test]
    fn a_pipeline() {
        assert_eq!(
            tokenize(r#"from(bucket: "b") |> range(start: -1h30m) |> filter(fn: (r) => r.x == 1.5)"#).unwrap(),
            vec![
                ident("from"),
                Tok::Open('('),
                ident("bucket"),
                Tok::Op(":"),
                Tok::Literal,
                Tok::Close(')'),
                Tok::Op("|>"),
                ident("range"),
                Tok::Open('('),
                ident("start"),
                Tok::Op(":"),
                Tok::Op("-"),
                Tok::Literal,
                Tok::Close(')'),
                Tok::Op("|>"),
                ident("filter"),
                Tok::Open('('),
                ident("fn"),
                Tok::Op(":"),
                Tok::Open('('),
                ident("r"),
                Tok::Close(')'),
                Tok::Op("=>"),
                ident("r"),
                Tok::Op("."),
                ident("x"),
                Tok::Op("=="),
                Tok::Literal,
                Tok::Close(')'),
            ]
        );
    }

    #[test]
    fn literals() {
        for lit in ["0", "42", "1.5", "1.", ".5", "1h30m", "5mo", "1y2mo", "3µs", "2026-01-02", "2026-01-02T03:04:05Z"]
        {
            assert_eq!(tokenize(lit).unwrap(), vec![Tok::Literal], "{lit}");
        }
        assert_eq!(tokenize("2026-01-02T03:04:05.123+01:00").unwrap(), vec![Tok::Literal]);
        assert_eq!(tokenize("1.x").unwrap(), vec![Tok::Literal, Tok::Op("."), ident("x")]);
        assert!(err("5min").message.contains("`min` is not a Flux duration unit"));
        assert!(err("007").message.contains("cannot start with 0"));
        assert!(err("1_000").message.contains("invalid number"));
        assert!(err("1e3").message.contains("no exponent"), "{}", err("1e3").message);
        assert!(err("1.5e3").message.contains("no exponent"));
        assert!(err("'a'").message.contains("double-quoted"));
        assert!(err("a # b").message.contains("unexpected character `#`"));
        assert_eq!(tokenize("αβ _x").unwrap(), vec![ident("αβ"), ident("_x")]);
    }

    #[test]
    fn strings_escapes_and_interpolation() {
        assert_eq!(tokenize(r#""a\"b\\c\n\r\t\${\x41 $5 $""#).unwrap(), vec![Tok::Literal]);
        assert_eq!(tokenize("\"multi\nline\"").unwrap(), vec![Tok::Literal]);
        assert_eq!(
            tokenize(r#""host: ${r.host}!""#).unwrap(),
            vec![Tok::InterpOpen, ident("r"), Tok::Op("."), ident("host"), Tok::InterpClose, Tok::Literal]
        );
        // Braces and strings nest inside an interpolation.
        assert_eq!(
            tokenize(r#""${ {a: "}"}.a }""#).unwrap(),
            vec![
                Tok::InterpOpen,
                Tok::Open('{'),
                ident("a"),
                Tok::Op(":"),
                Tok::Literal,
                Tok::Close('}'),
                Tok::Op("."),
                ident("a"),
                Tok::InterpClose,
                Tok::Literal
            ]
        );
        assert_eq!(
            tokenize(r#""${{host}}""#).unwrap(),
            vec![Tok::InterpOpen, ph("host"), Tok::InterpClose, Tok::Literal]
        );
        let e = err(r#"x == "abc"#);
        assert_eq!(e.span, 5..9);
        assert!(e.message.starts_with("unterminated string"), "{}", e.message);
        assert!(err(r#""a\qb""#).message.starts_with("bad escape `\\q`"));
        assert!(err(r#""a\$b""#).message.starts_with("bad escape `\\$`"));
        assert!(err(r#""a\x4""#).message.starts_with("bad escape `\\x`"));
        assert!(err(r#""$\n""#).message.contains("`\\x24`"));
        assert!(err(r#""${r.a"#).message.starts_with("unterminated interpolation"));
        // A quote inside an interpolation opens a nested string.
        assert!(err(r#""${r.a""#).message.starts_with("unterminated string"));
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            tokenize("{host} {} {days}d {n}mo").unwrap(),
            vec![
                ph("host"),
                Tok::Placeholder { name: None, unit: None },
                Tok::Placeholder { name: Some("days".into()), unit: Some("d".into()) },
                Tok::Placeholder { name: Some("n".into()), unit: Some("mo".into()) },
            ]
        );
        let e = err(r#"r.host == "{host}""#);
        assert_eq!(e.span, 11..17);
        assert!(e.message.contains("inside a string literal is never substituted"), "{}", e.message);
        assert!(e.message.contains("`\"...${{host}}...\"`"), "{}", e.message);
        assert!(err(r#""pre-{host} ${x}""#).message.contains("inside a string literal"));
        assert!(err(r#""${x} {host}""#).message.contains("inside a string literal"));
        assert!(err("r.h =~ /^{host}$/").message.contains("inside a regex literal"));
        assert!(err("// {x}\n1").message.contains("inside a comment"));
        assert!(err("{x}abc").message.contains("glued to `abc`"));
        assert!(err("{0}").message.contains("numbered placeholder"));
        assert!(err("{*}").message.contains("InfluxQL only"));
        // Strings and regexes may hold braces that are not placeholder-shaped.
        assert_eq!(tokenize(r#""{}" "{1}" "{ a }""#).unwrap(), vec![Tok::Literal; 3]);
        assert_eq!(tokenize(r"x =~ /a{2,3}/").unwrap(), vec![ident("x"), Tok::Op("=~"), Tok::Literal]);
        // A record or a block is not a placeholder.
        assert_eq!(tokenize("{ a }").unwrap(), vec![Tok::Open('{'), ident("a"), Tok::Close('}')]);
    }

    #[test]
    fn regex_or_division() {
        assert_eq!(
            tokenize(r"a =~ /x\/y/ and b / 2 / c").unwrap(),
            vec![
                ident("a"),
                Tok::Op("=~"),
                Tok::Literal,
                ident("and"),
                ident("b"),
                Tok::Op("/"),
                Tok::Literal,
                Tok::Op("/"),
                ident("c")
            ]
        );
        assert_eq!(tokenize("f(r: /a/)").unwrap()[4], Tok::Literal);
        assert!(err("x =~ /abc").message.starts_with("unterminated regex"));
        // `//` is a comment, never an empty regex.
        assert_eq!(tokenize("x // =~ /a/\n").unwrap(), vec![ident("x")]);
    }

    #[test]
    fn brackets() {
        let e = err("f(a: [1, 2)");
        assert_eq!(e.span, 10..11);
        assert_eq!(e.message, "expected `]` to close the `[` on template line 1, found `)`");
        let e = err("f(a: 1");
        assert_eq!(e.span, 1..2);
        assert_eq!(e.message, "unclosed `(`: missing `)`");
        assert_eq!(err("a)").message, "unmatched `)`: no bracket is open");
        assert!(err("{ a: 1").message.starts_with("unclosed `{`"));
    }

    #[test]
    fn operators() {
        let ops = ["==", "!=", "<=", ">=", "=~", "!~", "=>", "<-", "|>", "+", "*", "%", "^", "<", ">", "=", ",", "?"];
        let src = ops.iter().map(|o| format!("a {o} ")).collect::<String>() + "a";
        let toks = tokenize(&src).unwrap();
        let got: Vec<&Tok> = toks.iter().skip(1).step_by(2).collect();
        assert_eq!(got, ops.iter().map(|o| Tok::Op(o)).collect::<Vec<_>>().iter().collect::<Vec<_>>());
        assert!(err("a | b").message.contains("unexpected character `|`"));
    }
}
