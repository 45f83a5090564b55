//! One `/query` body (or one chunk of a chunked answer) decoded straight into rows.
//!
//! A walker over [`Parser`] (whose numbers are exact) reads `results[].series[].values[]`
//! and hands each row, as a `SeqAccess` over its values, to [`DecodeRow::decode_row`]. No
//! `serde_json::Value` is built; names and tags are borrowed where unescaped. The walker is
//! not generic: the row type enters only through `dyn Rows` (one virtual call per series and
//! per row), so each row type a program decodes adds only its own row code to the build.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::json::{JsonError, Parser, RawJson};
use super::row::{strip_position, DecodeRow, RowReader, SeriesInfo};
use super::value::DecodeContext;
use crate::{Error, ErrorKind, Result};

/// Receives decoded rows.
pub(crate) trait RowSink<T> {
    fn push(&mut self, row: T, series: &SeriesInfo<'_>);
}

impl<T> RowSink<T> for std::collections::VecDeque<T> {
    #[inline]
    fn push(&mut self, row: T, _: &SeriesInfo<'_>) {
        self.push_back(row);
    }
}

impl<T> RowSink<T> for Vec<T> {
    #[inline]
    fn push(&mut self, row: T, _: &SeriesInfo<'_>) {
        Vec::push(self, row);
    }
}

/// A closure sink, for iteration with series metadata.
pub(crate) struct FnSink<F>(pub(crate) F);

impl<T, F: FnMut(T, &SeriesInfo<'_>)> RowSink<T> for FnSink<F> {
    #[inline]
    fn push(&mut self, row: T, series: &SeriesInfo<'_>) {
        (self.0)(row, series);
    }
}

/// A server message attached to a statement (e.g. a deprecation warning).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Message {
    /// `warning`, `info`, ...
    pub level: String,
    /// The message text.
    pub text: String,
}

/// What a body said besides its rows.
#[derive(Debug, Default)]
pub(crate) struct BodyOutcome {
    /// A request-level `error`.
    pub(crate) error: Option<String>,
    pub(crate) statements: Vec<StatementOutcome>,
}

#[derive(Debug, Default)]
pub(crate) struct StatementOutcome {
    pub(crate) id: usize,
    pub(crate) error: Option<String>,
    pub(crate) partial: bool,
    /// Some series of the statement had `"partial": true`.
    pub(crate) series_partial: bool,
    pub(crate) messages: Vec<Message>,
    pub(crate) rows: usize,
}

/// The part of decoding that depends on what the rows become: planning a series and decoding
/// one row into typed values ([`Typed`]) or, with the `arrow` feature, into the column builders
/// of a record batch (`arrow/read.rs`), so both read the same bytes with the same errors.
///
/// The body walker below takes it as `&mut dyn Rows`, so that the walk (statements, series,
/// tags, columns, errors) is compiled once in this crate; only [`Typed`] (a row seed and a
/// push) is compiled again for each row type a program decodes.
pub(crate) trait Rows {
    /// A series begins: plan its columns.
    fn plan(&mut self, info: &SeriesInfo<'_>) -> Result<(), String>;

    /// Decodes the row the parser is at and keeps it.
    fn row(
        &mut self,
        p: &mut Parser<'_>,
        info: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> Result<(), JsonError>;

    /// A series ended after `rows` rows (the Arrow reader fills its tag columns here).
    fn series_end(&mut self, info: &SeriesInfo<'_>, rows: usize) -> Result<(), String> {
        let _ = (info, rows);
        Ok(())
    }
}

/// [`Rows`] for a row type and a sink.
pub(crate) struct Typed<'s, T: DecodeRow, S> {
    plan: Option<T::Plan>,
    sink: &'s mut S,
}

impl<'s, T: DecodeRow, S: RowSink<T>> Typed<'s, T, S> {
    pub(crate) fn new(sink: &'s mut S) -> Self {
        Typed { plan: None, sink }
    }
}

impl<T: DecodeRow, S: RowSink<T>> Rows for Typed<'_, T, S> {
    fn plan(&mut self, info: &SeriesInfo<'_>) -> Result<(), String> {
        self.plan = Some(T::plan(info)?);
        Ok(())
    }

    #[inline]
    fn row(
        &mut self,
        p: &mut Parser<'_>,
        info: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> Result<(), JsonError> {
        let Some(plan) = &self.plan else {
            return Err(de::Error::custom("a row before its series was planned"));
        };
        let row = RowSeed::<T> { plan, info, ctx, failure }.deserialize(&mut *p)?;
        self.sink.push(row, info);
        Ok(())
    }
}

struct State<'s> {
    ctx: &'s DecodeContext,
    only: Option<usize>,
    rows: &'s mut dyn Rows,
    failure: RefCell<Option<String>>,
    out: BodyOutcome,
}

impl State<'_> {
    /// Records a failure that already says where (a plan or a series end) and stops the walk.
    fn fail(&self, message: String) -> JsonError {
        *self.failure.borrow_mut() = Some(message.clone());
        de::Error::custom(message)
    }

    /// Prefixes the recorded failure (or `e`'s text) with where it happened.
    fn wrap(&self, e: JsonError, place: impl fmt::Display) -> JsonError {
        let mut f = self.failure.borrow_mut();
        let inner = f.take().unwrap_or_else(|| strip_position(&e.to_string()).to_owned());
        let text = format!("{place}: {inner}");
        let out = de::Error::custom(&text);
        *f = Some(text);
        out
    }
}

/// Decodes one body, pushing rows of statement `only` (or of every statement) into `sink`.
pub(crate) fn decode_body<T: DecodeRow, S: RowSink<T>>(
    bytes: &[u8],
    ctx: &DecodeContext,
    only: Option<usize>,
    sink: &mut S,
) -> Result<BodyOutcome> {
    decode_body_rows(bytes, ctx, only, &mut Typed::<T, S>::new(sink))
}

/// [`decode_body`] for any [`Rows`]: not generic, compiled once.
pub(crate) fn decode_body_rows(
    bytes: &[u8],
    ctx: &DecodeContext,
    only: Option<usize>,
    rows: &mut dyn Rows,
) -> Result<BodyOutcome> {
    let mut st = State { ctx, only, rows, failure: RefCell::new(None), out: BodyOutcome::default() };
    let res = Parser::new(bytes).and_then(|mut p| body(&mut st, &mut p).and_then(|()| p.end()));
    match res {
        Ok(()) => Ok(st.out),
        Err(e) => Err(match st.failure.into_inner() {
            Some(msg) => Error::new(ErrorKind::Decode, msg),
            None => Error::new(ErrorKind::Decode, "invalid query response").with_source(e),
        }),
    }
}

fn body(st: &mut State<'_>, p: &mut Parser<'_>) -> Result<(), JsonError> {
    p.object("a query response object", |p, key| match key {
        "results" => {
            let mut pos = 0;
            p.array("a list of statement results", |p| {
                statement(st, p, pos)?;
                pos += 1;
                Ok(())
            })
        }
        "error" => {
            st.out.error = Some(String::deserialize(&mut *p)?);
            Ok(())
        }
        _ => p.skip(),
    })
}

fn statement(st: &mut State<'_>, p: &mut Parser<'_>, pos: usize) -> Result<(), JsonError> {
    // The server writes `statement_id` first; without it, the position stands in.
    let mut out = StatementOutcome { id: pos, ..StatementOutcome::default() };
    p.object("a statement result", |p, key| {
        match key {
            "statement_id" => out.id = usize::deserialize(&mut *p)?,
            "series" if st.only.is_some_and(|o| o != out.id) => p.skip()?,
            "series" => {
                let id = out.id;
                p.array("a list of series", |p| series(st, p, &mut out))
                    .map_err(|e| st.wrap(e, format_args!("statement {id}")))?;
            }
            "error" => out.error = Some(String::deserialize(&mut *p)?),
            "partial" => out.partial = bool::deserialize(&mut *p)?,
            "messages" => out.messages = Vec::<Message>::deserialize(&mut *p)?,
            _ => p.skip()?,
        }
        Ok(())
    })?;
    st.out.statements.push(out);
    Ok(())
}

fn series(st: &mut State<'_>, p: &mut Parser<'_>, out: &mut StatementOutcome) -> Result<(), JsonError> {
    let mut name: Cow<'_, str> = Cow::Borrowed("");
    let mut tags: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    let mut columns: Option<Vec<Cow<'_, str>>> = None;
    // Values that came before `columns` (never from the server itself) wait here.
    let mut early: Option<RawJson<'_>> = None;
    p.object("a series", |p, key| {
        match key {
            "name" => name = CowStr::deserialize(&mut *p)?.0,
            "tags" => tags = Tags::deserialize(&mut *p)?.0,
            "columns" => columns = Some(Vec::<CowStr<'_>>::deserialize(&mut *p)?.into_iter().map(|c| c.0).collect()),
            "values" => match &columns {
                Some(cols) => {
                    let info = SeriesInfo { statement_id: out.id, name: &name, tags: &tags, columns: cols };
                    values(st, p, &info, &mut out.rows).map_err(|e| st.wrap(e, info))?;
                }
                None => early = Some(RawJson::deserialize(&mut *p)?),
            },
            "partial" => out.series_partial |= bool::deserialize(&mut *p)?,
            _ => p.skip()?,
        }
        Ok(())
    })?;
    if let Some(raw) = early {
        let cols = columns.unwrap_or_default();
        let info = SeriesInfo { statement_id: out.id, name: &name, tags: &tags, columns: &cols };
        Parser::new(raw.0).and_then(|mut p| values(st, &mut p, &info, &mut out.rows)).map_err(|e| st.wrap(e, info))?;
    }
    Ok(())
}

fn values(st: &mut State<'_>, p: &mut Parser<'_>, info: &SeriesInfo<'_>, rows: &mut usize) -> Result<(), JsonError> {
    st.rows.plan(info).map_err(|m| st.fail(m))?;
    let mut i = 0usize;
    let res = p.array("a list of rows", |p| {
        st.rows.row(p, info, st.ctx, &st.failure)?;
        i += 1;
        Ok(())
    });
    if let Err(e) = res {
        return Err(st.wrap(e, format_args!("row {i}")));
    }
    st.rows.series_end(info, i).map_err(|m| st.fail(m))?;
    *rows += i;
    Ok(())
}

struct RowSeed<'a, 'i, T: DecodeRow> {
    plan: &'a T::Plan,
    info: &'a SeriesInfo<'i>,
    ctx: &'a DecodeContext,
    failure: &'a RefCell<Option<String>>,
}

impl<'de, T: DecodeRow> DeserializeSeed<'de> for RowSeed<'_, '_, T> {
    type Value = T;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DecodeRow> Visitor<'de> for RowSeed<'_, '_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a row (a list of values)")
    }
    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        // Shorten the series lifetime to the reader's: `SeriesInfo` is covariant.
        let info: &SeriesInfo<'_> = self.info;
        let mut reader = RowReader::new(seq, self.plan, info, self.ctx, self.failure);
        T::decode_row(&mut reader)
    }
}

/// A string borrowed from the body when it has no escapes.
pub(crate) struct CowStr<'de>(pub(crate) Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A series' tags, in the order the server wrote them (sorted by key).
struct Tags<'de>(Vec<(Cow<'de, str>, Cow<'de, str>)>);

impl<'de> serde::Deserialize<'de> for Tags<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tags<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of tags")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Tags<'de>, E> {
                Ok(Tags(Vec::new()))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Tags<'de>, M::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = map.next_entry::<CowStr<'de>, CowStr<'de>>()? {
                    v.push((k.0, val.0));
                }
                Ok(Tags(v))
            }
        }
        d.deserialize_any(V)
    }
}
