//! One `/query` body (or one chunk of a chunked answer) decoded straight into rows.
//!
//! A stack of `DeserializeSeed`s walks `results[].series[].values[]` (read by
//! [`Parser`], whose numbers are exact) and hands each row, as a `SeqAccess` over
//! its values, to [`DecodeRow::decode_row`]. No `serde_json::Value` is built;
//! names and tags are borrowed where unescaped.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::json::{Parser, RawJson};
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

struct State<'s, R: RowTarget> {
    ctx: &'s DecodeContext,
    only: Option<usize>,
    target: &'s mut R,
    failure: RefCell<Option<String>>,
    out: BodyOutcome,
}

impl<R: RowTarget> State<'_, R> {
    /// Prefixes the recorded failure (or `e`'s text) with where it happened.
    fn wrap<E: de::Error>(&self, e: E, place: impl fmt::Display) -> E {
        let mut f = self.failure.borrow_mut();
        let inner = f.take().unwrap_or_else(|| strip_position(&e.to_string()).to_owned());
        let text = format!("{place}: {inner}");
        let out = E::custom(&text);
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
    decode_body_into(bytes, ctx, only, &mut TypedRows { sink, _t: std::marker::PhantomData })
}

/// Where the rows of a body go: [`DecodeRow`] values into a [`RowSink`], or
/// the columns of a record batch (the `arrow` feature). The walk over the
/// body, its errors and its outcome are the same for both.
pub(crate) trait RowTarget {
    /// What is worked out once per series.
    type Plan;
    /// Called at the start of each series' values.
    fn plan(&mut self, info: &SeriesInfo<'_>) -> std::result::Result<Self::Plan, String>;
    /// Reads one row (a JSON array of values) from `d`.
    fn row<'de, D: Deserializer<'de>>(
        &mut self,
        d: D,
        plan: &Self::Plan,
        info: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> std::result::Result<(), D::Error>;
    /// Called after the series' last row, with how many rows it had.
    fn series_end(&mut self, plan: Self::Plan, info: &SeriesInfo<'_>, rows: usize) -> std::result::Result<(), String> {
        let _ = (plan, info, rows);
        Ok(())
    }
}

/// [`DecodeRow`] rows pushed into a [`RowSink`].
struct TypedRows<'s, T, S> {
    sink: &'s mut S,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T: DecodeRow, S: RowSink<T>> RowTarget for TypedRows<'_, T, S> {
    type Plan = T::Plan;

    fn plan(&mut self, info: &SeriesInfo<'_>) -> std::result::Result<T::Plan, String> {
        T::plan(info)
    }

    #[inline]
    fn row<'de, D: Deserializer<'de>>(
        &mut self,
        d: D,
        plan: &T::Plan,
        info: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> std::result::Result<(), D::Error> {
        let row = d.deserialize_seq(RowSeed::<T> { plan, info, ctx, failure })?;
        self.sink.push(row, info);
        Ok(())
    }
}

/// Decodes one body, handing the rows of statement `only` (or of every statement) to `target`.
pub(crate) fn decode_body_into<R: RowTarget>(
    bytes: &[u8],
    ctx: &DecodeContext,
    only: Option<usize>,
    target: &mut R,
) -> Result<BodyOutcome> {
    let mut st = State::<R> { ctx, only, target, failure: RefCell::new(None), out: BodyOutcome::default() };
    let res = Parser::new(bytes).and_then(|mut p| BodySeed { st: &mut st }.deserialize(&mut p).and_then(|()| p.end()));
    match res {
        Ok(()) => Ok(st.out),
        Err(e) => Err(match st.failure.into_inner() {
            Some(msg) => Error::new(ErrorKind::Decode, msg),
            None => Error::new(ErrorKind::Decode, "invalid query response").with_source(e),
        }),
    }
}

struct BodySeed<'a, 's, R: RowTarget> {
    st: &'a mut State<'s, R>,
}

impl<'de, R: RowTarget> DeserializeSeed<'de> for BodySeed<'_, '_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, R: RowTarget> Visitor<'de> for BodySeed<'_, '_, R> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a query response object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<CowStr<'de>>()? {
            match &*key.0 {
                "results" => map.next_value_seed(ResultsSeed { st: &mut *self.st })?,
                "error" => self.st.out.error = Some(map.next_value::<String>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct ResultsSeed<'a, 's, R: RowTarget> {
    st: &'a mut State<'s, R>,
}

impl<'de, R: RowTarget> DeserializeSeed<'de> for ResultsSeed<'_, '_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, R: RowTarget> Visitor<'de> for ResultsSeed<'_, '_, R> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of statement results")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut pos = 0;
        while seq.next_element_seed(StatementSeed { st: &mut *self.st, pos })?.is_some() {
            pos += 1;
        }
        Ok(())
    }
}

struct StatementSeed<'a, 's, R: RowTarget> {
    st: &'a mut State<'s, R>,
    pos: usize,
}

impl<'de, R: RowTarget> DeserializeSeed<'de> for StatementSeed<'_, '_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, R: RowTarget> Visitor<'de> for StatementSeed<'_, '_, R> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a statement result")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        // The server writes `statement_id` first; without it, the position stands in.
        let mut out = StatementOutcome { id: self.pos, ..StatementOutcome::default() };
        while let Some(key) = map.next_key::<CowStr<'de>>()? {
            match &*key.0 {
                "statement_id" => out.id = map.next_value()?,
                "series" if self.st.only.is_some_and(|o| o != out.id) => {
                    map.next_value::<IgnoredAny>()?;
                }
                "series" => {
                    let id = out.id;
                    let seed = SeriesListSeed { st: &mut *self.st, out: &mut out };
                    map.next_value_seed(seed).map_err(|e| self.st.wrap(e, format_args!("statement {id}")))?;
                }
                "error" => out.error = Some(map.next_value()?),
                "partial" => out.partial = map.next_value()?,
                "messages" => out.messages = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.st.out.statements.push(out);
        Ok(())
    }
}

struct SeriesListSeed<'a, 's, R: RowTarget> {
    st: &'a mut State<'s, R>,
    out: &'a mut StatementOutcome,
}

impl<'de, R: RowTarget> DeserializeSeed<'de> for SeriesListSeed<'_, '_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, R: RowTarget> Visitor<'de> for SeriesListSeed<'_, '_, R> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of series")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(SeriesSeed { st: &mut *self.st, out: &mut *self.out })?.is_some() {}
        Ok(())
    }
}

struct SeriesSeed<'a, 's, R: RowTarget> {
    st: &'a mut State<'s, R>,
    out: &'a mut StatementOutcome,
}

impl<'de, R: RowTarget> DeserializeSeed<'de> for SeriesSeed<'_, '_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, R: RowTarget> Visitor<'de> for SeriesSeed<'_, '_, R> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a series")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut name: Cow<'de, str> = Cow::Borrowed("");
        let mut tags: Vec<(Cow<'de, str>, Cow<'de, str>)> = Vec::new();
        let mut columns: Option<Vec<Cow<'de, str>>> = None;
        // Values that came before `columns` (never from the server itself) wait here.
        let mut early: Option<RawJson<'de>> = None;
        while let Some(key) = map.next_key::<CowStr<'de>>()? {
            match &*key.0 {
                "name" => name = map.next_value::<CowStr<'de>>()?.0,
                "tags" => tags = map.next_value::<Tags<'de>>()?.0,
                "columns" => columns = Some(map.next_value::<Vec<CowStr<'de>>>()?.into_iter().map(|c| c.0).collect()),
                "values" => match &columns {
                    Some(cols) => {
                        let info = SeriesInfo { statement_id: self.out.id, name: &name, tags: &tags, columns: cols };
                        let seed = ValuesSeed { st: &mut *self.st, info: &info, rows: &mut self.out.rows };
                        map.next_value_seed(seed).map_err(|e| self.st.wrap(e, info))?;
                    }
                    None => early = Some(map.next_value()?),
                },
                "partial" => self.out.series_partial |= map.next_value::<bool>()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(raw) = early {
            let cols = columns.unwrap_or_default();
            let info = SeriesInfo { statement_id: self.out.id, name: &name, tags: &tags, columns: &cols };
            let seed = ValuesSeed { st: &mut *self.st, info: &info, rows: &mut self.out.rows };
            Parser::new(raw.0)
                .and_then(|mut p| seed.deserialize(&mut p))
                .map_err(|e| de::Error::custom(self.st.wrap(e, info)))?;
        }
        Ok(())
    }
}

struct ValuesSeed<'a, 's, 'i, R: RowTarget> {
    st: &'a mut State<'s, R>,
    info: &'a SeriesInfo<'i>,
    rows: &'a mut usize,
}

impl<'de, R: RowTarget> DeserializeSeed<'de> for ValuesSeed<'_, '_, '_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, R: RowTarget> Visitor<'de> for ValuesSeed<'_, '_, '_, R> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let plan = self.st.target.plan(self.info).map_err(|m| {
            *self.st.failure.borrow_mut() = Some(m.clone());
            de::Error::custom(m)
        })?;
        let mut i = 0usize;
        loop {
            let st = &mut *self.st;
            let seed =
                RowElement { target: &mut *st.target, plan: &plan, info: self.info, ctx: st.ctx, failure: &st.failure };
            match seq.next_element_seed(seed) {
                Ok(Some(())) => {}
                Ok(None) => break,
                Err(e) => return Err(self.st.wrap(e, format_args!("row {i}"))),
            }
            i += 1;
        }
        *self.rows += i;
        self.st.target.series_end(plan, self.info, i).map_err(|m| {
            *self.st.failure.borrow_mut() = Some(m.clone());
            de::Error::custom(m)
        })
    }
}

/// One row of a series, handed to the target.
struct RowElement<'a, 'i, R: RowTarget> {
    target: &'a mut R,
    plan: &'a R::Plan,
    info: &'a SeriesInfo<'i>,
    ctx: &'a DecodeContext,
    failure: &'a RefCell<Option<String>>,
}

impl<'de, R: RowTarget> DeserializeSeed<'de> for RowElement<'_, '_, R> {
    type Value = ();
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.target.row(d, self.plan, self.info, self.ctx, self.failure)
    }
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
