//! InfluxDB 3 answers (`format=jsonl` and `format=json`) decoded straight into
//! [`DecodeRow`] types.
//!
//! Each row is a JSON object whose keys are column names; a null cell is left
//! out of its row, so the column set can differ from row to row. The driver
//! keeps the columns seen so far (in the order the server writes them) and a
//! plan for them, and presents every row to [`DecodeRow::decode_row`] in that
//! column order, missing cells as null. A row whose keys follow the known
//! columns (the common case) is decoded in one pass over its bytes; a row
//! with a new column, or keys in another order, is read into cells first, the
//! columns are merged and the plan made again.
//!
//! Times are 3.x's `1970-01-01T00:00:00.000000123` (no zone: read as UTC,
//! exact to the nanosecond); the `time` column is handed to the row type as
//! integer nanoseconds, as 1.x typed queries' times are. InfluxQL answers carry the measurement in an
//! `iox::measurement` column: it becomes the series name, not a column.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, UnitDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::body::{CowStr, RowSink};
use super::row::{strip_position, DecodeRow, RowReader, SeriesInfo};
use super::value::{zoneless_ns, DecodeContext};
use crate::{Error, ErrorKind, Result};

/// The column InfluxQL answers name the measurement in.
const MEASUREMENT: &str = "iox::measurement";

/// The error text that tells the fast path to fall back; never shown.
const FALL_BACK: &str = "\u{0}columns changed";

/// What the rows of an answer become: typed rows pushed into a sink ([`Typed`]), or, with
/// the `arrow` feature, the column builders of a record batch (`arrow/jsonl.rs`).
pub(crate) trait Target {
    /// The per-columns plan, made again when the columns change.
    type Plan;
    /// What [`Target::decode`] gives back, kept by [`Target::keep`].
    type Row;
    /// A row may be decoded in one pass and dropped if its keys turn out not to follow the
    /// known columns (typed rows); `false` for a target that keeps each cell as it reads it.
    const ONE_PASS: bool;
    fn plan(&mut self, info: &SeriesInfo<'_>) -> std::result::Result<Self::Plan, String>;
    fn decode<'de, A: SeqAccess<'de>>(
        &mut self,
        seq: A,
        plan: &Self::Plan,
        info: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> std::result::Result<Self::Row, A::Error>;
    fn keep(&mut self, row: Self::Row, info: &SeriesInfo<'_>);
}

/// [`Target`] for a [`DecodeRow`] type and a sink.
pub(crate) struct Typed<'s, T, S>(pub(crate) &'s mut S, std::marker::PhantomData<fn() -> T>);

impl<'s, T: DecodeRow, S: RowSink<T>> Typed<'s, T, S> {
    pub(crate) fn new(sink: &'s mut S) -> Self {
        Typed(sink, std::marker::PhantomData)
    }
}

impl<T: DecodeRow, S: RowSink<T>> Target for Typed<'_, T, S> {
    type Plan = T::Plan;
    type Row = T;
    const ONE_PASS: bool = true;
    fn plan(&mut self, info: &SeriesInfo<'_>) -> std::result::Result<T::Plan, String> {
        T::plan(info)
    }
    #[inline]
    fn decode<'de, A: SeqAccess<'de>>(
        &mut self,
        seq: A,
        plan: &T::Plan,
        info: &SeriesInfo<'_>,
        ctx: &DecodeContext,
        failure: &RefCell<Option<String>>,
    ) -> std::result::Result<T, A::Error> {
        T::decode_row(&mut RowReader::new(seq, plan, info, ctx, failure))
    }
    #[inline]
    fn keep(&mut self, row: T, info: &SeriesInfo<'_>) {
        self.0.push(row, info);
    }
}

/// The state of one answer: columns seen so far, the series name and the plan.
pub(crate) struct Rows<P> {
    columns: Vec<Cow<'static, str>>,
    name: String,
    /// Which column is `time`.
    time_col: Option<usize>,
    plan: Option<P>,
    ctx: DecodeContext,
    /// Rows decoded so far (the index of the next row, for errors).
    row: usize,
    failure: RefCell<Option<String>>,
}

impl<P> Default for Rows<P> {
    fn default() -> Self {
        Self {
            columns: Vec::new(),
            name: String::new(),
            time_col: None,
            plan: None,
            ctx: DecodeContext::new(None).with_zoneless_utc(true),
            row: 0,
            failure: RefCell::new(None),
        }
    }
}

impl<P> Rows<P> {
    /// Decodes one row object (a jsonl line or a json array element) into `sink`.
    pub(crate) fn row<G: Target<Plan = P>>(&mut self, text: &[u8], sink: &mut G) -> Result<()> {
        if let (Some(plan), true) = (&self.plan, G::ONE_PASS) {
            let mut fall_back = false;
            let res = {
                let info = SeriesInfo { statement_id: 0, name: &self.name, tags: &[], columns: &self.columns };
                let mut de = serde_json::Deserializer::from_slice(text);
                let visitor = FastRow::<G> {
                    info: &info,
                    time_col: self.time_col,
                    plan,
                    ctx: &self.ctx,
                    failure: &self.failure,
                    sink: &mut *sink,
                    fall_back: &mut fall_back,
                };
                de.deserialize_map(visitor).and_then(|()| de.end())
            };
            match res {
                Ok(()) => {
                    self.row += 1;
                    return Ok(());
                }
                Err(_) if fall_back => *self.failure.borrow_mut() = None,
                Err(e) => return Err(self.error(e)),
            }
        }
        self.slow(text, sink)?;
        self.row += 1;
        Ok(())
    }

    /// Reads the row into cells, merges its columns, plans again if they changed, decodes.
    fn slow<G: Target<Plan = P>>(&mut self, text: &[u8], sink: &mut G) -> Result<()> {
        let mut de = serde_json::Deserializer::from_slice(text);
        let entries = <Entries<'_> as serde::Deserialize>::deserialize(&mut de)
            .and_then(|e| de.end().map(|()| e))
            .map_err(|e| self.error(e))?
            .0;
        let mut name = None;
        let mut cells: Vec<(Cow<'_, str>, &RawValue)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            if k.0 == MEASUREMENT {
                name = Some(
                    serde_json::from_str::<String>(v.get())
                        .map_err(|_| self.fail(format_args!("`{MEASUREMENT}` is {}, not a string", v.get())))?,
                );
            } else if cells.iter().any(|(c, _)| *c == k.0) {
                return Err(self.fail(format_args!("column `{}` appears twice", k.0)));
            } else {
                cells.push((k.0, v));
            }
        }
        let keys: Vec<&str> = cells.iter().map(|(k, _)| &**k).collect();
        let columns = merge(&self.columns, &keys);
        let renamed = name.as_deref().is_some_and(|n| n != self.name);
        if columns != self.columns || renamed || self.plan.is_none() {
            self.columns = columns;
            self.time_col = self.columns.iter().position(|c| c == "time");
            if let Some(n) = name {
                self.name = n;
            }
            let info = SeriesInfo { statement_id: 0, name: &self.name, tags: &[], columns: &self.columns };
            self.plan = Some(sink.plan(&info).map_err(|m| self.fail(m))?);
        }
        let by_column: Vec<Option<&RawValue>> =
            self.columns.iter().map(|c| cells.iter().find(|(k, _)| k == c).map(|(_, v)| *v)).collect();
        let info = SeriesInfo { statement_id: 0, name: &self.name, tags: &[], columns: &self.columns };
        let plan = self.plan.as_ref().expect("planned above");
        let cells = Cells { cells: &by_column, next: 0, time_col: self.time_col };
        match sink.decode(cells, plan, &info, &self.ctx, &self.failure) {
            Ok(row) => {
                sink.keep(row, &info);
                Ok(())
            }
            Err(e) => Err(self.error(e)),
        }
    }

    /// A decode error that says which row (and measurement) it is in.
    fn fail(&self, msg: impl fmt::Display) -> Error {
        let place = match self.name.as_str() {
            "" => format!("row {}", self.row),
            m => format!("row {} (measurement `{m}`)", self.row),
        };
        Error::new(ErrorKind::Decode, format!("{place}: {msg}"))
    }

    fn error(&self, e: serde_json::Error) -> Error {
        match self.failure.borrow_mut().take() {
            Some(msg) => self.fail(msg),
            None => self.fail(format_args!("invalid JSON row: {}", strip_position(&e.to_string()))),
        }
    }

    /// The answer stopped in the middle of a row.
    pub(crate) fn cut_off(&self) -> Error {
        Error::new(
            ErrorKind::Truncated,
            format!(
                "the answer ends in the middle of row {}: it was cut off (the query failed while streaming?)",
                self.row
            ),
        )
    }
}

/// The known columns, merged with a row's keys: a new key goes where the row
/// has it; known columns the row lacks (null there) keep their place.
fn merge(old: &[Cow<'static, str>], keys: &[&str]) -> Vec<Cow<'static, str>> {
    if old.len() == keys.len() && old.iter().zip(keys).all(|(a, b)| a == b) {
        return old.to_vec();
    }
    let mut out: Vec<Cow<'static, str>> = Vec::with_capacity(old.len().max(keys.len()));
    let mut next = 0;
    for &k in keys {
        if let Some(p) = old[next..].iter().position(|c| c == k) {
            for c in &old[next..next + p] {
                if !keys.contains(&&**c) && !out.contains(c) {
                    out.push(c.clone());
                }
            }
            next += p + 1;
        }
        if !out.iter().any(|c| c == k) {
            out.push(Cow::Owned(k.to_owned()));
        }
    }
    for c in &old[next..] {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// One pass over a row whose keys follow the known columns.
struct FastRow<'a, 'i, G: Target> {
    info: &'a SeriesInfo<'i>,
    time_col: Option<usize>,
    plan: &'a G::Plan,
    ctx: &'a DecodeContext,
    failure: &'a RefCell<Option<String>>,
    sink: &'a mut G,
    fall_back: &'a mut bool,
}

impl<'de, G: Target> Visitor<'de> for FastRow<'_, '_, G> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a row object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut peeked = map.next_key::<CowStr<'de>>()?;
        if peeked.as_ref().is_some_and(|k| k.0 == MEASUREMENT) {
            let name = map.next_value::<CowStr<'de>>()?;
            if name.0 != self.info.name {
                *self.fall_back = true;
                return Err(de::Error::custom(FALL_BACK));
            }
            peeked = map.next_key()?;
        }
        let mut cursor = Cursor { peeked, col: 0, fall_back: false, nulled: false };
        let result = {
            let seq = Keyed { map: &mut map, columns: self.info.columns, time_col: self.time_col, cursor: &mut cursor };
            self.sink.decode(seq, self.plan, self.info, self.ctx, self.failure)
        };
        // A null made up for a key that only came out of order would be a false
        // error: let the cell-by-cell path judge any failure after one.
        if cursor.fall_back || (result.is_err() && cursor.nulled) {
            *self.fall_back = true;
            return Err(de::Error::custom(FALL_BACK));
        }
        let row = result?;
        // A key left over is a column the plan does not know.
        if cursor.peeked.is_some() || map.next_key::<IgnoredAny>()?.is_some() {
            *self.fall_back = true;
            return Err(de::Error::custom(FALL_BACK));
        }
        self.sink.keep(row, self.info);
        Ok(())
    }
}

struct Cursor<'de> {
    /// A key read but not yet reached: its column comes later in the row.
    peeked: Option<CowStr<'de>>,
    col: usize,
    fall_back: bool,
    /// A cell was given as null because a later column's key came first.
    nulled: bool,
}

/// The row's cells in column order, straight from the object: a key that is
/// a later column makes the cells before it null.
struct Keyed<'a, 'c, 'de, M> {
    map: &'a mut M,
    columns: &'a [Cow<'c, str>],
    time_col: Option<usize>,
    cursor: &'a mut Cursor<'de>,
}

impl<'de, M: MapAccess<'de>> SeqAccess<'de> for Keyed<'_, '_, 'de, M> {
    type Error = M::Error;

    #[inline]
    fn next_element_seed<D: DeserializeSeed<'de>>(&mut self, seed: D) -> Result<Option<D::Value>, M::Error> {
        let c = self.cursor.col;
        if c >= self.columns.len() {
            if self.cursor.peeked.is_some() || self.map.next_key::<IgnoredAny>()?.is_some() {
                self.cursor.fall_back = true;
                return Err(de::Error::custom(FALL_BACK));
            }
            return Ok(None);
        }
        self.cursor.col += 1;
        let key = match self.cursor.peeked.take() {
            Some(k) => Some(k),
            None => self.map.next_key::<CowStr<'de>>()?,
        };
        match key {
            Some(k) if k.0 == self.columns[c] => {
                if self.time_col == Some(c) {
                    self.map.next_value_seed(TimeCell(seed)).map(Some)
                } else {
                    self.map.next_value_seed(seed).map(Some)
                }
            }
            Some(k) if self.columns[c + 1..].iter().map(|x| &**x).any(|x| x == k.0) => {
                self.cursor.peeked = Some(k);
                self.cursor.nulled = true;
                seed.deserialize(UnitDeserializer::new()).map(Some)
            }
            Some(_) => {
                self.cursor.fall_back = true;
                Err(de::Error::custom(FALL_BACK))
            }
            None => seed.deserialize(UnitDeserializer::new()).map(Some),
        }
    }
}

/// The cells of a row read by [`Entries`], in column order (`None` is null).
struct Cells<'a, 'r> {
    cells: &'a [Option<&'r RawValue>],
    next: usize,
    time_col: Option<usize>,
}

impl<'r> SeqAccess<'r> for Cells<'_, 'r> {
    type Error = serde_json::Error;

    fn next_element_seed<D: DeserializeSeed<'r>>(&mut self, seed: D) -> serde_json::Result<Option<D::Value>> {
        let Some(cell) = self.cells.get(self.next) else { return Ok(None) };
        let is_time = self.time_col == Some(self.next);
        self.next += 1;
        match cell {
            Some(raw) if is_time => {
                TimeCell(seed).deserialize(&mut serde_json::Deserializer::from_str(raw.get())).map(Some)
            }
            Some(raw) => seed.deserialize(&mut serde_json::Deserializer::from_str(raw.get())).map(Some),
            None => seed.deserialize(UnitDeserializer::new()).map(Some),
        }
    }
}

/// The `time` cell: 3.x's zoneless time string is handed on as integer
/// nanoseconds since the epoch (UTC), as 1.x typed queries' times are, so
/// `i64`, `DateTime<Utc>`, `SystemTime` and serde's `ts_nanoseconds` all read
/// it; anything else passes through unchanged.
struct TimeCell<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for TimeCell<S> {
    type Value = S::Value;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for TimeCell<S> {
    type Value = S::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a time")
    }
    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<S::Value, E> {
        match zoneless_ns(v) {
            Some(ns) => self.0.deserialize(NotNull(IntoDeserializer::<E>::into_deserializer(ns))),
            None => self.0.deserialize(NotNull(BorrowedStrDeserializer::<E>::new(v))),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<S::Value, E> {
        match zoneless_ns(v) {
            Some(ns) => self.0.deserialize(NotNull(IntoDeserializer::<E>::into_deserializer(ns))),
            None => self.0.deserialize(NotNull(IntoDeserializer::<E>::into_deserializer(v))),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Value, E> {
        self.0.deserialize(NotNull(IntoDeserializer::<E>::into_deserializer(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Value, E> {
        self.0.deserialize(NotNull(IntoDeserializer::<E>::into_deserializer(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Value, E> {
        self.0.deserialize(NotNull(IntoDeserializer::<E>::into_deserializer(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S::Value, E> {
        self.0.deserialize(NotNull(IntoDeserializer::<E>::into_deserializer(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<S::Value, E> {
        self.0.deserialize(UnitDeserializer::new())
    }
}

/// A present value: `Option` sees `Some` (serde's value deserializers would
/// pass it to `visit_i64` and the like instead).
struct NotNull<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for NotNull<D> {
    type Error = D::Error;
    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(v)
    }
    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        v.visit_some(self.0)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A row object as (key, raw value) pairs, in the server's order.
struct Entries<'de>(Vec<(CowStr<'de>, &'de RawValue)>);

impl<'de> serde::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a row object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Entries<'de>, M::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(k) = map.next_key::<CowStr<'de>>()? {
                    v.push((k, map.next_value::<&'de RawValue>()?));
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// Decodes a whole `format=jsonl` body: one row object per line, each line
/// ending with `\n`. A last line without its `\n` is an answer cut off
/// ([`ErrorKind::Truncated`]); an empty body is an empty result.
pub(crate) fn decode_jsonl_into<T: DecodeRow, S: RowSink<T>>(body: &[u8], sink: &mut S) -> Result<()> {
    decode_jsonl_target(body, &mut Typed::<T, S>::new(sink))
}

/// [`decode_jsonl_into`] for any [`Target`].
pub(crate) fn decode_jsonl_target<G: Target>(body: &[u8], sink: &mut G) -> Result<()> {
    let mut rows = Rows::<G::Plan>::default();
    let mut rest = body;
    while !rest.is_empty() {
        let Some(end) = newline(rest) else {
            if rest.iter().all(u8::is_ascii_whitespace) {
                break;
            }
            return Err(rows.cut_off());
        };
        let line = &rest[..end];
        rest = &rest[end + 1..];
        if !line.iter().all(u8::is_ascii_whitespace) {
            rows.row(line, sink)?;
        }
    }
    Ok(())
}

/// The first `\n` in `s`, eight bytes at a time (a row is ~100 bytes long).
fn newline(s: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut i = 0;
    while let Some(chunk) = s.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes")) ^ NL;
        // The lowest set bit marks the first zero byte (bytes above it may be false hits).
        let zero = w.wrapping_sub(ONES) & !w & HIGHS;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    s[i..].iter().position(|&b| b == b'\n').map(|p| i + p)
}

/// Decodes a whole `format=json` body: one array of row objects. An empty body
/// (a complete answer is at least `[]`) and an array cut off are
/// [`ErrorKind::Truncated`]; an error object is [`ErrorKind::Query`].
pub(crate) fn decode_json_into<T: DecodeRow, S: RowSink<T>>(body: &[u8], sink: &mut S) -> Result<()> {
    decode_json_target(body, &mut Typed::<T, S>::new(sink))
}

/// [`decode_json_into`] for any [`Target`].
pub(crate) fn decode_json_target<G: Target>(body: &[u8], sink: &mut G) -> Result<()> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => {
            return Err(Error::new(
                ErrorKind::Truncated,
                "the server answered with an empty body: the query failed inside the server \
                 (a complete json answer is at least `[]`)",
            ))
        }
        Some(b'{') => {
            return Err(error_object(body)
                .unwrap_or_else(|| Error::new(ErrorKind::Decode, "the answer is an object, not an array of rows")))
        }
        Some(b'[') => {}
        Some(_) => return Err(Error::new(ErrorKind::Decode, "the answer is not a JSON array of rows")),
    }
    let mut rows = Rows::<G::Plan>::default();
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_slice(body);
    let res = de.deserialize_seq(Elements { rows: &mut rows, sink, failed: &mut failed }).and_then(|()| de.end());
    match (res, failed) {
        (_, Some(e)) => Err(e),
        (Ok(()), None) => Ok(()),
        (Err(e), None) if e.is_eof() => Err(rows.cut_off()),
        (Err(e), None) => Err(rows.error(e)),
    }
}

struct Elements<'a, G: Target> {
    rows: &'a mut Rows<G::Plan>,
    sink: &'a mut G,
    failed: &'a mut Option<Error>,
}

impl<'de, G: Target> Visitor<'de> for Elements<'_, G> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            if let Err(e) = self.rows.row(raw.get().as_bytes(), self.sink) {
                *self.failed = Some(e);
                return Err(de::Error::custom("row failed"));
            }
        }
        Ok(())
    }
}

/// A 200 answer that holds an error object (`{"error": "...", "data": ...}`)
/// instead of rows, as [`ErrorKind::Query`].
pub(crate) fn error_object(body: &[u8]) -> Option<Error> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Object {
        error: String,
        #[serde(default)]
        #[allow(dead_code)]
        data: IgnoredAny,
    }
    let first = body.split(|&b| b == b'\n').find(|l| !l.iter().all(u8::is_ascii_whitespace))?;
    let o: Object = serde_json::from_slice(first).ok()?;
    Some(Error::new(ErrorKind::Query, format!("query failed: {}", o.error)).with_server_message(o.error))
}

/// Decodes a complete `format=jsonl` answer of InfluxDB 3 into rows.
///
/// Rows are JSON objects, one per line, whose null cells are left out: they
/// decode into [`DecodeRow`] types as 1.x rows do (derived structs by column
/// name, tuples by position, [`SerdeRow`](super::SerdeRow) as maps). The
/// `time` column (3.x prints it without a zone, read as UTC) arrives as
/// integer nanoseconds since the epoch, as 1.x typed times do; other time
/// strings decode into `DateTime<Utc>` members as UTC. A body cut off in the middle of a row is
/// [`ErrorKind::Truncated`]; a row that does not fit `T` is
/// [`ErrorKind::Decode`] naming the row and column.
///
/// ```
/// # extern crate influx_core as influx;
/// let body = b"{\"host\":\"a\",\"time\":\"1970-01-01T00:00:00.000000123\",\"usage\":0.5}\n{\"host\":\"b\",\"time\":\"1970-01-01T00:00:01\"}\n";
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Row { host: String, time: i64, usage: Option<f64> }
/// let rows: Vec<influx::SerdeRow<Row>> = influx::decode::decode_jsonl(body).unwrap();
/// assert_eq!(rows[1].0.usage, None);
/// let cut = influx::decode::decode_jsonl::<(String, i64)>(b"{\"host\":\"a\",\"time\":\"19");
/// assert_eq!(cut.unwrap_err().kind(), influx::ErrorKind::Truncated);
/// ```
pub fn decode_jsonl<T: DecodeRow>(body: &[u8]) -> Result<Vec<T>> {
    let mut rows = Vec::new();
    decode_jsonl_into::<T, _>(body, &mut rows)?;
    Ok(rows)
}

/// Decodes a complete `format=json` answer of InfluxDB 3 (one array of row
/// objects) into rows, as [`decode_jsonl`] does.
///
/// An empty body is [`ErrorKind::Truncated`] (the server's answer to a query
/// that failed after the status was sent; an empty result is `[]`), and so is
/// an array cut off; an error object instead of rows is [`ErrorKind::Query`].
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::{decode::decode_json, ErrorKind};
/// let rows: Vec<(i64, String)> = decode_json(br#"[{"time":"1970-01-01T00:00:00.5","room":"Kitchen"}]"#).unwrap();
/// assert_eq!(rows, vec![(500_000_000, "Kitchen".to_owned())]);
/// assert!(decode_json::<(i64, String)>(b"[]").unwrap().is_empty());
/// assert_eq!(decode_json::<(i64, String)>(b"").unwrap_err().kind(), ErrorKind::Truncated);
/// assert_eq!(decode_json::<(i64, String)>(br#"{"error":"boom"}"#).unwrap_err().kind(), ErrorKind::Query);
/// ```
pub fn decode_json<T: DecodeRow>(body: &[u8]) -> Result<Vec<T>> {
    let mut rows = Vec::new();
    decode_json_into::<T, _>(body, &mut rows)?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{FnSink, SerdeRow};

    #[test]
    fn tuples_decode_in_column_order_with_times_exact() {
        let body = b"{\"time\":\"1970-01-01T00:00:00.000000123\",\"host\":\"a\",\"v\":0.5}\n\
                     {\"time\":\"2025-02-25T20:19:34.984098\",\"host\":\"b\",\"v\":1}\n";
        let rows: Vec<(i64, String, f64)> = decode_jsonl(body).unwrap();
        assert_eq!(rows[0], (123, "a".to_owned(), 0.5));
        assert_eq!(rows[1], (1_740_514_774_984_098_000, "b".to_owned(), 1.0));
    }

    #[test]
    fn missing_keys_are_nulls_and_new_columns_are_merged() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct R {
            time: i64,
            host: Option<String>,
            a: Option<i64>,
            b: Option<i64>,
        }
        // Row 0 lacks `a`; row 1 brings it in the middle; row 2 lacks `host`; row 3 has everything.
        let body = b"{\"time\":\"1970-01-01T00:00:00\",\"host\":\"x\",\"b\":2}\n\
                     {\"time\":\"1970-01-01T00:00:01\",\"host\":\"x\",\"a\":1,\"b\":2}\n\
                     {\"time\":\"1970-01-01T00:00:02\",\"a\":1}\n\
                     {\"time\":\"1970-01-01T00:00:03\",\"host\":\"y\",\"a\":3,\"b\":4}\n";
        let mut columns = Vec::new();
        let mut rows = Vec::new();
        decode_jsonl_into::<SerdeRow<R>, _>(
            body,
            &mut FnSink(|r: SerdeRow<R>, s: &SeriesInfo<'_>| {
                columns = s.columns().map(str::to_owned).collect();
                rows.push(r.0);
            }),
        )
        .unwrap();
        assert_eq!(columns, ["time", "host", "a", "b"]);
        assert_eq!(rows[0], R { time: 0, host: Some("x".into()), a: None, b: Some(2) });
        assert_eq!(rows[2], R { time: 2_000_000_000, host: None, a: Some(1), b: None });
        assert_eq!(rows[3].b, Some(4));
    }

    #[test]
    fn keys_in_another_order_still_decode() {
        let body = b"{\"a\":1,\"b\":2}\n{\"b\":4,\"a\":3}\n{\"a\":5,\"b\":6}\n";
        let rows: Vec<(i64, i64)> = decode_jsonl(body).unwrap();
        // Positional types follow each row's own key order.
        assert_eq!(rows, vec![(1, 2), (4, 3), (5, 6)]);
    }

    #[test]
    fn errors_say_which_row_and_column() {
        let body = b"{\"time\":\"1970-01-01T00:00:00\",\"v\":1.5}\n{\"time\":\"1970-01-01T00:00:01\",\"v\":\"x\"}\n";
        let e = decode_jsonl::<(i64, f64)>(body).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(e.to_string(), "row 1: column `v`: found string \"x\", expected f64");
        let e = decode_jsonl::<(i64, f64)>(b"{\"time\":\"1970-01-01\",\"v\":1}\n").unwrap_err();
        assert!(e.to_string().starts_with("row 0: column `time`: found string \"1970-01-01\""), "{e}");
        let e = decode_jsonl::<(i64, f64)>(b"{\"v\":1}\n").unwrap_err();
        assert_eq!(e.to_string(), "row 0: the series has 1 columns, the tuple 2 elements");
        let e = decode_jsonl::<(i64,)>(b"{\"v\":1,\"v\":2}\n").unwrap_err();
        assert_eq!(e.to_string(), "row 0: column `v` appears twice");
        let e = decode_jsonl::<(i64,)>(b"[1]\n").unwrap_err();
        assert!(e.to_string().starts_with("row 0: invalid JSON row"), "{e}");
        let e = decode_jsonl::<(i64,)>(b"{\"v\":1}\n{\"v\":1}x\n").unwrap_err();
        assert!(e.to_string().starts_with("row 1: invalid JSON row: trailing characters"), "{e}");
    }

    #[test]
    fn influxql_measurements_are_series_names() {
        let body = b"{\"iox::measurement\":\"cpu\",\"time\":\"1970-01-01T00:00:00\",\"v\":1}\n\
                     {\"iox::measurement\":\"cpu\",\"time\":\"1970-01-01T00:00:01\",\"v\":2}\n\
                     {\"iox::measurement\":\"mem\",\"time\":\"1970-01-01T00:00:00\",\"v\":3}\n";
        let mut seen = Vec::new();
        decode_jsonl_into::<(i64, i64), _>(
            body,
            &mut FnSink(|(t, v): (i64, i64), s: &SeriesInfo<'_>| seen.push((s.name().to_owned(), t, v))),
        )
        .unwrap();
        assert_eq!(seen, vec![("cpu".into(), 0, 1), ("cpu".into(), 1_000_000_000, 2), ("mem".into(), 0, 3)]);
        let e = decode_jsonl::<(i64, bool)>(body).unwrap_err();
        assert_eq!(e.to_string(), "row 0 (measurement `cpu`): column `v`: found integer 1, expected bool");
    }

    #[test]
    fn cut_off_answers_are_truncated() {
        let whole = b"{\"v\":1}\n{\"v\":2}\n";
        assert_eq!(decode_jsonl::<(i64,)>(whole).unwrap(), vec![(1,), (2,)]);
        assert!(decode_jsonl::<(i64,)>(b"").unwrap().is_empty(), "an empty jsonl answer is an empty result");
        for cut in [&whole[..12], &whole[..15]] {
            let e = decode_jsonl::<(i64,)>(cut).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Truncated, "{}", String::from_utf8_lossy(cut));
            assert!(e.to_string().contains("row 1"), "{e}");
        }
        let e = decode_json::<(i64,)>(b"[{\"v\":1},{\"v\"").unwrap_err();
        assert_eq!((e.kind(), e.to_string().contains("row 1")), (ErrorKind::Truncated, true), "{e}");
        assert_eq!(decode_json::<(i64,)>(b"[{\"v\":1}").unwrap_err().kind(), ErrorKind::Truncated);
        assert_eq!(decode_json::<(i64,)>(b" \n").unwrap_err().kind(), ErrorKind::Truncated);
    }

    #[test]
    fn error_objects_are_query_errors() {
        let e = decode_json::<(i64,)>(br#"{"error":"Error during planning: table 'x' not found","data":null}"#)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Query);
        assert_eq!(e.server_message(), Some("Error during planning: table 'x' not found"));
        assert!(error_object(b"{\"error\":\"boom\"}\n").is_some());
        // A row with an `error` column is a row.
        assert!(error_object(b"{\"error\":\"disk full\",\"time\":\"1970-01-01T00:00:00\"}\n").is_none());
        assert_eq!(decode_json::<(i64,)>(br#"{"v":1}"#).unwrap_err().kind(), ErrorKind::Decode);
    }

    #[test]
    fn the_documented_show_tables_answer_decodes() {
        #[derive(serde::Deserialize)]
        struct Table {
            table_schema: String,
            table_name: String,
        }
        let body = include_bytes!("../v3/examples/v3-query-sql-show-tables.jsonl");
        let rows: Vec<SerdeRow<Table>> = decode_jsonl(body).unwrap();
        assert_eq!(rows.len(), 20);
        let iox: Vec<&str> =
            rows.iter().filter(|r| r.0.table_schema == "iox").map(|r| r.0.table_name.as_str()).collect();
        assert_eq!(iox.len(), 9);
        assert_eq!(iox[0], "system_cpu");
        let tuples: Vec<(String, String, String, String)> = decode_jsonl(body).unwrap();
        assert_eq!(tuples[19].3, "VIEW");
    }

    #[test]
    fn newlines_are_found_wherever_they_are() {
        for len in 0..40 {
            for at in 0..len {
                let mut s = vec![b'x'; len];
                s[at] = b'\n';
                if at + 1 < len {
                    s[at + 1] = b'\n';
                }
                assert_eq!(newline(&s), Some(at), "{len} {at}");
            }
            assert_eq!(newline(&vec![0x8a; len]), None);
            assert_eq!(newline(&vec![b'x'; len]), None);
        }
    }

    #[test]
    fn merge_keeps_known_columns_in_place() {
        let old: Vec<Cow<'static, str>> = ["a", "c"].into_iter().map(Cow::Borrowed).collect();
        assert_eq!(merge(&old, &["a", "b", "c"]), ["a", "b", "c"]);
        assert_eq!(merge(&old, &["b"]), ["b", "a", "c"]);
        assert_eq!(merge(&old, &["c", "a"]), ["c", "a"]);
        assert_eq!(merge(&old, &["a"]), ["a", "c"]);
        assert_eq!(merge(&[], &["x", "y"]), ["x", "y"]);
    }
}
