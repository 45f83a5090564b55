//! Decoding one row: the [`DecodeRow`] trait, its reader, and impls for tuples and serde types.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, SeqAccess};

use super::value::{DecodeContext, DecodeTag, DecodeTime, DecodeValue, TagVisitor};

/// What every row of one series shares: statement, measurement, tags, columns.
///
/// ```
/// # extern crate influx_core as influx;
/// # use influx::decode::SeriesInfo;
/// fn show(s: &SeriesInfo<'_>) -> String {
///     format!("{} {:?} {:?}", s.name(), s.tag("host"), s.columns().collect::<Vec<_>>())
/// }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SeriesInfo<'a> {
    pub(crate) statement_id: usize,
    pub(crate) name: &'a str,
    pub(crate) tags: &'a [(Cow<'a, str>, Cow<'a, str>)],
    pub(crate) columns: &'a [Cow<'a, str>],
}

impl<'a> SeriesInfo<'a> {
    /// The position of the statement in the query (0 for the first).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(s: influx::decode::SeriesInfo<'_>) -> usize { s.statement_id() }
    /// ```
    pub fn statement_id(&self) -> usize {
        self.statement_id
    }

    /// The measurement name.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f<'a>(s: influx::decode::SeriesInfo<'a>) -> &'a str { s.name() }
    /// ```
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The series' tags (from `GROUP BY`), in key order: an iterator of
    /// `(key, value)` that also prints, `{:?}` as a map and `{}` as
    /// `host=a,region=eu`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(s: influx::decode::SeriesInfo<'_>) {
    /// for (k, v) in s.tags() {
    ///     println!("{k}={v}");
    /// }
    /// println!("{} {:?}", s.tags(), s.tags());
    /// # }
    /// ```
    pub fn tags(&self) -> Tags<'a> {
        Tags(self.tags.iter())
    }

    /// The value of one tag of the series.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f<'a>(s: influx::decode::SeriesInfo<'a>) -> Option<&'a str> { s.tag("host") }
    /// ```
    pub fn tag(&self, key: &str) -> Option<&'a str> {
        self.tags.iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }

    /// The column names, in row order.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(s: influx::decode::SeriesInfo<'_>) -> usize { s.columns().count() }
    /// ```
    pub fn columns(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        self.columns.iter().map(|c| &**c)
    }

    /// The index of a column.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(s: influx::decode::SeriesInfo<'_>) -> Option<usize> { s.column_index("time") }
    /// ```
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// The tags of a series ([`SeriesInfo::tags`]): `(key, value)` pairs in key
/// order, printable as a map (`{:?}`) or as `key=value,...` (`{}`).
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(s: influx::decode::SeriesInfo<'_>) {
/// let tags: std::collections::BTreeMap<&str, &str> = s.tags().collect();
/// # }
/// ```
#[derive(Clone)]
pub struct Tags<'a>(std::slice::Iter<'a, (Cow<'a, str>, Cow<'a, str>)>);

impl<'a> Iterator for Tags<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&**k, &**v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for Tags<'_> {}

impl fmt::Debug for Tags<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.clone()).finish()
    }
}

impl fmt::Display for Tags<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.clone().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { "" } else { "," })?;
        }
        Ok(())
    }
}

impl fmt::Display for SeriesInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "series `{}`", self.name)?;
        for (i, (k, v)) in self.tags.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { " (" } else { "," })?;
        }
        if !self.tags.is_empty() {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A Rust type that one row of a query result decodes into.
///
/// `#[derive(InfluxPoint)]` implements it (members matched by name, tags from
/// the series' tags or a column, the time from `time`); tuples implement it
/// positionally (one element per column, `time` first: `GROUP BY` tags are
/// not columns, so a tuple does not see them; wrap it in [`Tagged`](super::Tagged)
/// to keep them); [`SerdeRow`] wraps any `serde::Deserialize` type (the row is
/// a map of column name to value, plus the series' tags).
///
/// The decoder calls [`DecodeRow::plan`] once per series, then
/// [`DecodeRow::decode_row`] for each of its rows, straight from the JSON bytes.
/// Implementing it by hand means using the generated-code support
/// ([`RowReader`], [`SlotPlan`]), which is not a stable API: derive it instead.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{decode_rows, DecodeContext};
/// let body = br#"{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v"],"values":[[1,0.5],[2,1]]}]}]}"#;
/// let rows: Vec<(i64, f64)> = decode_rows(body, &DecodeContext::default()).unwrap();
/// assert_eq!(rows, vec![(1, 0.5), (2, 1.0)]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be decoded from query rows",
    label = "`{Self}` does not implement `DecodeRow`",
    note = "add `#[derive(InfluxPoint)]` to the struct, decode into a tuple (one element per column, `time` first), or use `query_serde` for a `serde::Deserialize` type"
)]
pub trait DecodeRow: Sized {
    /// What is worked out once per series (which column fills which member);
    /// `Send`, so that a stream decoding rows can move between threads.
    type Plan: Send;

    /// Maps the series' columns and tags to this type's members.
    fn plan(series: &SeriesInfo<'_>) -> Result<Self::Plan, String>;

    /// Decodes one row, reading its values in column order from `row`.
    fn decode_row<'de, A: SeqAccess<'de>>(row: &mut RowReader<'_, 'de, A, Self::Plan>) -> Result<Self, A::Error>;
}

/// Reads the values of one row, in column order, for [`DecodeRow::decode_row`].
///
/// Records where a failure happened (the column), so that errors say it.
/// Support for generated code (`#[derive(InfluxPoint)]`): not a stable API.
pub struct RowReader<'r, 'de, A: SeqAccess<'de>, P> {
    seq: A,
    plan: &'r P,
    series: &'r SeriesInfo<'r>,
    ctx: &'r DecodeContext,
    col: usize,
    failure: &'r RefCell<Option<String>>,
    _de: PhantomData<&'de ()>,
}

impl<'r, 'de, A: SeqAccess<'de>, P> RowReader<'r, 'de, A, P> {
    pub(crate) fn new(
        seq: A,
        plan: &'r P,
        series: &'r SeriesInfo<'r>,
        ctx: &'r DecodeContext,
        failure: &'r RefCell<Option<String>>,
    ) -> Self {
        Self { seq, plan, series, ctx, col: 0, failure, _de: PhantomData }
    }

    /// The plan made by [`DecodeRow::plan`] for this series.
    pub fn plan(&self) -> &'r P {
        self.plan
    }

    /// The series this row belongs to.
    pub fn series(&self) -> &'r SeriesInfo<'r> {
        self.series
    }

    /// The query's decoding context (its `epoch`).
    pub fn context(&self) -> &'r DecodeContext {
        self.ctx
    }

    /// The index of the next column to read.
    pub fn column(&self) -> usize {
        self.col
    }

    fn column_name(&self, i: usize) -> &str {
        self.series.columns.get(i).map_or("?", |c| &**c)
    }

    /// Records `msg` (with the current column) as the reason of the failure and returns it as an error.
    pub fn fail<E: de::Error>(&self, msg: impl fmt::Display) -> E {
        let col = self.col.saturating_sub(1);
        let text = format!("column `{}`: {}", self.column_name(col), strip_position(&msg.to_string()));
        let e = E::custom(&text);
        self.failure.borrow_mut().get_or_insert(text);
        e
    }

    /// Records a failure that is not tied to one column.
    pub fn fail_row<E: de::Error>(&self, msg: impl fmt::Display) -> E {
        let text = strip_position(&msg.to_string()).to_owned();
        let e = E::custom(&text);
        self.failure.borrow_mut().get_or_insert(text);
        e
    }

    #[inline(always)]
    fn next_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.col += 1;
        match self.seq.next_element_seed(seed) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(self.fail_row(format_args!(
                "the row has {} values, the series {} columns",
                self.col - 1,
                self.series.columns.len()
            ))),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Reads the next value as a field.
    #[inline]
    pub fn value<T: DecodeValue>(&mut self) -> Result<T, A::Error> {
        let ctx = self.ctx;
        self.next_seed(ValueSeed::<T>(ctx, PhantomData))
    }

    /// Reads the next value as a time.
    #[inline]
    pub fn time<T: DecodeTime>(&mut self) -> Result<T, A::Error> {
        let ctx = self.ctx;
        self.next_seed(TimeSeed::<T>(ctx, PhantomData))
    }

    /// Reads the next value as a tag.
    #[inline]
    pub fn tag<T: DecodeTag>(&mut self) -> Result<T, A::Error> {
        self.next_seed(TagSeed::<T>(PhantomData))
    }

    /// Skips the next value.
    #[inline]
    pub fn skip(&mut self) -> Result<(), A::Error> {
        self.next_seed(PhantomData::<IgnoredAny>).map(drop)
    }

    /// Skips every remaining value; fails if the row is longer than the columns.
    pub fn finish(&mut self) -> Result<(), A::Error> {
        while self.col < self.series.columns.len() {
            self.skip()?;
        }
        match self.seq.next_element::<IgnoredAny>() {
            Ok(None) => Ok(()),
            Ok(Some(_)) => Err(self.fail_row(format_args!(
                "the row has more values than the series' {} columns",
                self.series.columns.len()
            ))),
            Err(e) => Err(self.fail(e)),
        }
    }
}

/// Removes serde_json's ` at line L column C`, which means nothing to a user of a chunked body.
pub(crate) fn strip_position(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) if msg[i + 9..].split_once(" column ").is_some_and(|(l, c)| is_digits(l) && is_digits(c)) => &msg[..i],
        _ => msg,
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

struct ValueSeed<'c, T>(&'c DecodeContext, PhantomData<T>);
impl<'de, T: DecodeValue> DeserializeSeed<'de> for ValueSeed<'_, T> {
    type Value = T;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::decode(d, self.0)
    }
}

struct TimeSeed<'c, T>(&'c DecodeContext, PhantomData<T>);
impl<'de, T: DecodeTime> DeserializeSeed<'de> for TimeSeed<'_, T> {
    type Value = T;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::decode_time(d, self.0)
    }
}

struct TagSeed<T>(PhantomData<T>);
impl<'de, T: DecodeTag> DeserializeSeed<'de> for TagSeed<T> {
    type Value = T;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(TagVisitor::<T>(PhantomData))
    }
}

/// Where a member of a derived type comes from. Support for generated code: not a stable API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// A tag: the series' `tags` (GROUP BY) or a column of the same name.
    Tag,
    /// A field column.
    Field,
    /// The `time` column.
    Time,
}

/// One member of a derived type, as the decoder sees it. Support for generated code: not a stable API.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// The column (or tag key) name, after renaming.
    pub name: &'static str,
    /// Where the value comes from.
    pub kind: SlotKind,
}

/// The per-series plan of a derived type: which column fills which member.
/// Support for generated code: not a stable API.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{Slot, SlotKind, SlotPlan};
/// const SLOTS: &[Slot] = &[Slot { name: "time", kind: SlotKind::Time }, Slot { name: "v", kind: SlotKind::Field }];
/// # let _ = SLOTS;
/// ```
#[derive(Debug)]
pub struct SlotPlan {
    slots: &'static [Slot],
    cols: Vec<u32>,
    series_tags: Vec<(usize, String)>,
}

const NO_SLOT: u32 = u32::MAX;

impl SlotPlan {
    /// Maps the series' columns (and tags) to `slots`.
    pub fn new(series: &SeriesInfo<'_>, slots: &'static [Slot]) -> Result<Self, String> {
        let mut cols = vec![NO_SLOT; series.columns.len()];
        for (i, s) in slots.iter().enumerate() {
            let col = match s.kind {
                // InfluxDB 1.x names the time column `time`, Flux (InfluxDB 2) `_time`.
                SlotKind::Time => series.column_index("time").or_else(|| series.column_index("_time")),
                _ => series.column_index(s.name),
            };
            if let Some(c) = col {
                cols[c] = i as u32;
            }
        }
        unpivoted_value(series, slots, &mut cols)?;
        let series_tags = slots
            .iter()
            .enumerate()
            .filter(|(i, s)| s.kind == SlotKind::Tag && !cols.contains(&(*i as u32)))
            .filter_map(|(i, s)| series.tag(s.name).map(|v| (i, v.to_owned())))
            .collect();
        Ok(Self { slots, cols, series_tags })
    }

    /// Tags of the series that fill members not found among the columns.
    pub fn series_tags(&self) -> &[(usize, String)] {
        &self.series_tags
    }
}

impl<'de, A: SeqAccess<'de>> RowReader<'_, 'de, A, SlotPlan> {
    /// The member the next column fills, skipping columns that fill none; `None` at the row's end.
    #[inline]
    pub fn next_slot(&mut self) -> Result<Option<usize>, A::Error> {
        loop {
            match self.plan.cols.get(self.col) {
                None => {
                    self.finish()?;
                    return Ok(None);
                }
                Some(&NO_SLOT) => self.skip()?,
                Some(&s) => return Ok(Some(s as usize)),
            }
        }
    }

    /// Parses a tag of the series for member `slot`.
    pub fn series_tag<T: DecodeTag>(&self, slot: usize, value: &str) -> Result<T, A::Error> {
        T::from_tag(value)
            .map_err(|m| self.fail_row(format_args!("tag `{}`: value {value:?}: {m}", self.plan.slots[slot].name)))
    }

    /// The value of member `slot` when neither a column nor a tag gave one.
    pub fn absent_value<T: DecodeValue>(&self, slot: usize) -> Result<T, A::Error> {
        T::absent().ok_or_else(|| self.missing(slot, T::EXPECTED))
    }

    /// [`RowReader::absent_value`] for a tag member.
    pub fn absent_tag<T: DecodeTag>(&self, slot: usize) -> Result<T, A::Error> {
        T::absent().ok_or_else(|| self.missing(slot, "a tag value"))
    }

    /// [`RowReader::absent_value`] for the time member.
    pub fn absent_time<T: DecodeTime>(&self, slot: usize) -> Result<T, A::Error> {
        T::absent().ok_or_else(|| self.missing(slot, "a time"))
    }

    fn missing<E: de::Error>(&self, slot: usize, expected: &str) -> E {
        let s = &self.plan.slots[slot];
        let what = match s.kind {
            SlotKind::Tag => "neither a column nor a tag of the series",
            SlotKind::Field => "not a column of the series",
            SlotKind::Time => "not a column of the series",
        };
        if s.kind == SlotKind::Time {
            return self
                .fail_row(format_args!("neither `time` nor `_time` is a column of the series (expected {expected})"));
        }
        self.fail_row(format_args!("`{}` is {what} (expected {expected})", s.name))
    }
}

/// How to pivot a Flux query, for errors about unpivoted tables.
const PIVOT: &str = "`|> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \"_value\")`";

/// An unpivoted Flux table (one field per table: `_field` in the group key, the values in
/// `_value`) gives `_value` to the struct's only field member when it is named like the field;
/// any other field member it lacks is an error that says to pivot, not a silent `None`.
fn unpivoted_value(series: &SeriesInfo<'_>, slots: &[Slot], cols: &mut [u32]) -> Result<(), String> {
    let (Some(field), Some(value_col)) = (series.tag("_field"), series.column_index("_value")) else {
        return Ok(());
    };
    if cols[value_col] != NO_SLOT {
        // A member reads `_value` itself (long format: `_field` and `_value` as members).
        return Ok(());
    }
    let fields = slots.iter().filter(|s| s.kind == SlotKind::Field).count();
    let mut missing =
        slots.iter().enumerate().filter(|(i, s)| s.kind == SlotKind::Field && !cols.contains(&(*i as u32)));
    let first = missing.next();
    // Name a member other than the table's own field, if one is missing.
    let other = first.into_iter().chain(missing).find(|(_, s)| s.name != field);
    match first {
        None => Ok(()),
        Some((i, s)) if fields == 1 && s.name == field => {
            cols[value_col] = i as u32;
            Ok(())
        }
        Some((_, s)) if fields == 1 => Err(format!(
            "the table holds field `{field}` (in `_value`), not `{}`: filter the query on `_field`, or pivot it with {PIVOT}",
            s.name
        )),
        Some((_, s)) => Err(format!(
            "the table is not pivoted (it holds one field, `{field}`, in `_value`) and has no column `{}`: \
             pivot the query with {PIVOT} to get one column per field",
            other.map_or(s.name, |(_, o)| o.name)
        )),
    }
}

macro_rules! tuple_row {
    ($n:literal: $($t:ident)*) => {
        impl<$($t: DecodeValue),*> DecodeRow for ($($t,)*) {
            type Plan = ();
            fn plan(series: &SeriesInfo<'_>) -> Result<(), String> {
                if series.columns.len() == $n {
                    Ok(())
                } else {
                    Err(format!("the series has {} columns, the tuple {} elements", series.columns.len(), $n))
                }
            }
            #[inline]
            fn decode_row<'de, Sq: SeqAccess<'de>>(row: &mut RowReader<'_, 'de, Sq, ()>) -> Result<Self, Sq::Error> {
                let v = ($(row.value::<$t>()?,)*);
                row.finish()?;
                Ok(v)
            }
        }
    };
}
tuple_row!(1: A);
tuple_row!(2: A B);
tuple_row!(3: A B C);
tuple_row!(4: A B C D);
tuple_row!(5: A B C D E);
tuple_row!(6: A B C D E F);
tuple_row!(7: A B C D E F G);
tuple_row!(8: A B C D E F G H);
tuple_row!(9: A B C D E F G H I);
tuple_row!(10: A B C D E F G H I J);
tuple_row!(11: A B C D E F G H I J K);
tuple_row!(12: A B C D E F G H I J K L);

/// Decodes a row into any `serde::Deserialize` type.
///
/// Structs and maps see the row as a map from column name to value, followed
/// by the series' tags; tuples and sequences see the values in column order.
/// Times arrive as the server sent them: integers under `epoch` (use e.g.
/// `chrono::serde::ts_nanoseconds`), RFC3339 strings without.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{decode_rows, DecodeContext, SerdeRow};
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Row { time: i64, v: f64, host: String }
/// let body = br#"{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","v"],"values":[[1,0.5]]}]}]}"#;
/// let rows: Vec<SerdeRow<Row>> = decode_rows(body, &DecodeContext::default()).unwrap();
/// assert_eq!(rows[0].0, Row { time: 1, v: 0.5, host: "a".into() });
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SerdeRow<T>(pub T);

impl<T: DeserializeOwned> DecodeRow for SerdeRow<T> {
    type Plan = ();
    fn plan(_: &SeriesInfo<'_>) -> Result<(), String> {
        Ok(())
    }
    fn decode_row<'de, A: SeqAccess<'de>>(row: &mut RowReader<'_, 'de, A, ()>) -> Result<Self, A::Error> {
        match T::deserialize(RowDeserializer { row: &mut *row }) {
            Ok(v) => Ok(SerdeRow(v)),
            Err(Wrapped(e)) => Err(e),
        }
    }
}

/// A row's error, passed through the user's `Deserialize` unchanged.
struct Wrapped<E>(E);

impl<E: de::Error> fmt::Debug for Wrapped<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}
impl<E: de::Error> fmt::Display for Wrapped<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
impl<E: de::Error> std::error::Error for Wrapped<E> {}
impl<E: de::Error> de::Error for Wrapped<E> {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Wrapped(E::custom(msg))
    }
}

struct RowDeserializer<'a, 'r, 'de, A: SeqAccess<'de>> {
    row: &'a mut RowReader<'r, 'de, A, ()>,
}

impl<'de, A: SeqAccess<'de>> Deserializer<'de> for RowDeserializer<'_, '_, 'de, A> {
    type Error = Wrapped<A::Error>;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let r = visitor.visit_map(RowMap { row: &mut *self.row, tag: 0, value_is_tag: false });
        r.map_err(|e| if self.row.failure.borrow().is_none() { Wrapped(self.row.fail_row(&e.0)) } else { e })
    }

    fn deserialize_seq<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let v = visitor.visit_seq(RowSeq { row: &mut *self.row })?;
        self.row.finish().map_err(Wrapped)?;
        Ok(v)
    }

    fn deserialize_tuple<V: de::Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: de::Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct map struct enum identifier ignored_any
    }
}

struct RowSeq<'a, 'r, 'de, A: SeqAccess<'de>> {
    row: &'a mut RowReader<'r, 'de, A, ()>,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for RowSeq<'_, '_, 'de, A> {
    type Error = Wrapped<A::Error>;
    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, Self::Error> {
        if self.row.col >= self.row.series.columns.len() {
            return Ok(None);
        }
        self.row.next_seed(seed).map(Some).map_err(Wrapped)
    }
}

struct RowMap<'a, 'r, 'de, A: SeqAccess<'de>> {
    row: &'a mut RowReader<'r, 'de, A, ()>,
    tag: usize,
    value_is_tag: bool,
}

impl<'de, A: SeqAccess<'de>> de::MapAccess<'de> for RowMap<'_, '_, 'de, A> {
    type Error = Wrapped<A::Error>;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        let series = self.row.series;
        if let Some(name) = series.columns.get(self.row.col) {
            self.value_is_tag = false;
            return seed.deserialize(IntoDeserializer::<Wrapped<A::Error>>::into_deserializer(&**name)).map(Some);
        }
        while let Some((k, _)) = series.tags.get(self.tag) {
            if series.column_index(k).is_none() {
                self.value_is_tag = true;
                return seed.deserialize(IntoDeserializer::<Wrapped<A::Error>>::into_deserializer(&**k)).map(Some);
            }
            self.tag += 1;
        }
        self.row.finish().map_err(Wrapped)?;
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        if self.value_is_tag {
            let (_, v) = &self.row.series.tags[self.tag];
            self.tag += 1;
            seed.deserialize(IntoDeserializer::<Wrapped<A::Error>>::into_deserializer(&**v))
        } else {
            self.row.next_seed(seed).map_err(Wrapped)
        }
    }
}

#[cfg(test)]
mod tags_tests {
    use super::*;

    #[test]
    fn series_tags_print() {
        let tags = [(Cow::Borrowed("host"), Cow::Borrowed("a b")), (Cow::Borrowed("region"), Cow::Borrowed("eu"))];
        let s = SeriesInfo { statement_id: 0, name: "cpu", tags: &tags, columns: &[] };
        assert_eq!(format!("{:?}", s.tags()), r#"{"host": "a b", "region": "eu"}"#);
        assert_eq!(s.tags().to_string(), "host=a b,region=eu");
        assert_eq!(s.tags().len(), 2);
        assert_eq!(s.tags().collect::<Vec<_>>(), [("host", "a b"), ("region", "eu")]);
    }
}
