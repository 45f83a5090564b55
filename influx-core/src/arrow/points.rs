//! Derived point types as record batches: [`to_batch`] (structs into a batch, the reverse of
//! [`decode_batch`](super::decode_batch)) and [`schema_of`] (the batch's schema, from the type alone).
//!
//! The derive hands each column's typed value to a sink ([`InfluxPoint::__visit_columns`], a
//! hidden method that is not on any write path); here the sink is a set of Arrow builders.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float32Builder, Float64Builder, Int16Builder, Int32Builder, Int64Builder, Int8Builder,
    PrimitiveBuilder, StringBuilder, StringDictionaryBuilder, TimestampNanosecondBuilder, UInt16Builder, UInt32Builder,
    UInt64Builder, UInt8Builder,
};
use arrow_array::types::{ArrowPrimitiveType, Int32Type};
use arrow_array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{DataType, Field, Schema, TimeUnit};

use super::FrameOptions;
use crate::schema::{__Cell, __CellType, __ColumnSink, ColumnKind, InfluxPoint};
use crate::{Error, ErrorKind, Result};

/// The Arrow schema of the batches [`to_batch`] builds from `T`, known from the type alone.
///
/// - `time` first (if `T` has a `#[time]`), as `Timestamp(Nanosecond, "UTC")`, the type
///   [`Client::query_arrow`](crate::Client::query_arrow) reads times into;
/// - then every other column in declaration order, under its key (after `rename`);
///   `#[influx(skip)]` members are not columns;
/// - tags as `Dictionary(Int32, Utf8)`, as `query_arrow` reads `GROUP BY` tags, always
///   nullable (a tag value may omit itself: `None`, or a custom `TagValue` that gives none);
/// - fields typed exactly by their Rust type: `f64` → `Float64`, `f32` → `Float32`,
///   `i8`..`i64` and `u8`..`u32` → the Arrow integer of the same width, `u64` → `UInt64`,
///   `isize`/`i128` → `Int64` and `usize`/`u128` → `UInt64` (a value outside is an error),
///   `bool` → `Boolean`, strings → `Utf8`; a custom `FieldValue` type by its
///   `FIELD_TYPE` (`Float64`, `Int64`, `UInt64`, `Utf8`, `Boolean`);
/// - a field or time is nullable exactly when its Rust type is an `Option`;
/// - the measurement in the schema's metadata under `measurement`, as `query_arrow` sets it.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::{datatypes::DataType, schema_of};
/// use influx::line_protocol::{Encoder, WritePoint};
/// use influx::schema::{Column, FieldType, InfluxPoint};
///
/// // What `#[derive(InfluxPoint)]` writes for
/// // `struct Cpu { #[tag] host: String, usage: Option<f64>, #[time] time: i64 }`:
/// struct Cpu { host: String, usage: Option<f64>, time: i64 }
/// # impl WritePoint for Cpu {
/// #     fn write_point(&self, _: &mut Encoder<'_>) -> influx::Result<()> { unreachable!() }
/// # }
/// impl InfluxPoint for Cpu {
///     const MEASUREMENT: &'static str = "cpu";
///     const TAG_KEYS: &'static [&'static str] = &["host"];
///     const FIELD_KEYS: &'static [&'static str] = &["usage"];
///     const TIME_KEY: Option<&'static str> = Some("time");
///     const COLUMNS: &'static [Column] =
///         &[Column::tag("host", false), Column::field("usage", FieldType::Float, true), Column::time(false)];
/// }
///
/// let schema = schema_of::<Cpu>();
/// let names: Vec<_> = schema.fields().iter().map(|f| f.name().as_str()).collect();
/// assert_eq!(names, ["time", "host", "usage"]);
/// assert_eq!(schema.field(1).data_type(), &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)));
/// assert_eq!((schema.field(2).data_type(), schema.field(2).is_nullable()), (&DataType::Float64, true));
/// assert!(!schema.field(0).is_nullable());
/// assert_eq!(schema.metadata()["measurement"], "cpu");
/// ```
pub fn schema_of<T: InfluxPoint + ?Sized>() -> Schema {
    let fields: Vec<Field> = order::<T>().map(|i| arrow_field::<T>(i)).collect();
    let meta = HashMap::from([("measurement".to_owned(), T::MEASUREMENT.to_owned())]);
    Schema::new_with_metadata(fields, meta)
}

/// Builds one record batch from points of a derived type (`#[derive(InfluxPoint)]`), with the
/// schema [`schema_of::<T>()`](schema_of): the reverse of [`decode_batch`](super::decode_batch).
///
/// Takes anything that yields `&T`: `&Vec<T>`, `&[T]`, `v.iter().filter(...)`.
///
/// Every value is kept exactly as the struct holds it: floats bit for bit (NaN and ±infinity
/// included: a batch can hold them), `u64` above `i64::MAX` as itself, strings and tags as
/// they are (an empty tag stays an empty string). So `decode_batch::<T>(&to_batch(&v)?)`
/// gives `v` back (`#[influx(skip)]` members come back as their `Default`), and writing the
/// batch with `BatchRows::new(&batch, &FrameOptions::of::<T>())` sends the bytes the derive
/// sends for `v`, with two documented exceptions, both the frame writer's rules: a NaN field
/// is left out of its line (the derive refuses the point) and a `None` time is an error (the
/// derive lets the server stamp the point).
///
/// Errors ([`ErrorKind::Encode`], naming the row and the key), rather than a lossy value:
/// an `isize`/`i128`/`usize`/`u128` field outside 64 bits; a time outside what a nanosecond
/// timestamp holds (years 1677 to 2262); a custom `FieldValue` that writes a value of
/// another type than its `FIELD_TYPE`, or none though it is not an `Option`; a type that
/// implements `InfluxPoint` by hand rather than by the derive (which alone can hand over
/// its values column by column).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::arrow::array::RecordBatch;
/// use influx::schema::InfluxPoint;
///
/// // For any `#[derive(InfluxPoint)]` type (the module's docs show one end to end):
/// fn frame<T: InfluxPoint>(points: &[T]) -> influx::Result<RecordBatch> {
///     influx::arrow::to_batch(points)
/// }
/// ```
pub fn to_batch<'a, T, I>(points: I) -> Result<RecordBatch>
where
    T: InfluxPoint + ?Sized + 'a,
    I: IntoIterator<Item = &'a T>,
{
    let points = points.into_iter();
    let capacity = points.size_hint().0;
    let mut sink = Columns {
        columns: T::COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| Column {
                name: c.name,
                nullable: nullable(c.kind, c.optional),
                builder: Builder::new(c.kind, cell_type::<T>(i), capacity),
            })
            .collect(),
    };
    let mut rows = 0;
    for (row, p) in points.enumerate() {
        p.__visit_columns(&mut sink).map_err(|e| e.context(format_args!("row {row}")))?;
        rows += 1;
    }
    let mut arrays: Vec<Option<ArrayRef>> = sink.columns.iter_mut().map(|c| Some(c.builder.finish())).collect();
    let arrays = order::<T>().map(|i| arrays[i].take().expect("each column once")).collect();
    RecordBatch::try_new_with_options(
        Arc::new(schema_of::<T>()),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| Error::new(ErrorKind::Encode, format!("`{}` as a record batch: {e}", std::any::type_name::<T>())))
}

impl FrameOptions {
    /// The options that write a batch of `T` ([`to_batch`], or any batch with `T`'s
    /// columns) as the derive writes `T`: `T`'s measurement, its tags as tag columns, its
    /// fields (in declaration order) as the field columns, and `time` as the time column if
    /// the batch has one.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::arrow::FrameOptions;
    /// use influx::schema::InfluxPoint;
    ///
    /// fn options_for<T: InfluxPoint>() -> FrameOptions {
    ///     FrameOptions::of::<T>()
    /// }
    /// ```
    pub fn of<T: InfluxPoint + ?Sized>() -> Self {
        FrameOptions::measurement(T::MEASUREMENT)
            .tag_columns(T::TAG_KEYS.iter().copied())
            .field_columns(T::FIELD_KEYS.iter().copied())
    }
}

/// The indices into `T::COLUMNS` in schema order: `time` first, then declaration order.
fn order<T: InfluxPoint + ?Sized>() -> impl Iterator<Item = usize> {
    let cols = T::COLUMNS;
    let time = cols.iter().position(|c| c.kind == ColumnKind::Time);
    time.into_iter().chain((0..cols.len()).filter(move |&i| Some(i) != time))
}

fn cell_type<T: InfluxPoint + ?Sized>(i: usize) -> Option<__CellType> {
    match T::__CELL_TYPES.get(i) {
        Some(t) => *t,
        None => T::COLUMNS[i].field_type.map(__CellType::of),
    }
}

fn nullable(kind: ColumnKind, optional: bool) -> bool {
    kind == ColumnKind::Tag || optional
}

fn arrow_field<T: InfluxPoint + ?Sized>(i: usize) -> Field {
    let c = &T::COLUMNS[i];
    let data_type = match (c.kind, cell_type::<T>(i)) {
        (ColumnKind::Tag, _) => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        (ColumnKind::Time, _) => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
        (ColumnKind::Field, t) => cell_data_type(t.unwrap_or(__CellType::Str)),
    };
    Field::new(c.name, data_type, nullable(c.kind, c.optional))
}

/// One column being built.
struct Column {
    name: &'static str,
    nullable: bool,
    builder: Builder,
}

/// The columns of the batch being built, indexed as `T::COLUMNS`.
struct Columns {
    columns: Vec<Column>,
}

impl Columns {
    fn column(&mut self, col: usize) -> Result<&mut Column> {
        self.columns.get_mut(col).ok_or_else(|| encode(format!("column {col} is not one of the type's columns")))
    }
}

fn encode(msg: String) -> Error {
    Error::new(ErrorKind::Encode, msg)
}

impl __ColumnSink for Columns {
    fn tag(&mut self, col: usize, value: Option<&str>) -> Result<()> {
        let c = self.column(col)?;
        match (&mut c.builder, value) {
            (Builder::Tag(b), Some(v)) => {
                b.append(v).map(drop).map_err(|e| encode(format!("tag `{}`: {e}", c.name.escape_debug())))
            }
            (Builder::Tag(b), None) => {
                b.append_null();
                Ok(())
            }
            _ => Err(encode(format!("column `{}` is not a tag", c.name.escape_debug()))),
        }
    }

    fn field(&mut self, col: usize, value: __Cell<'_>) -> Result<()> {
        let c = self.column(col)?;
        if value == __Cell::Null {
            if !c.nullable {
                return Err(encode(format!(
                    "field `{}` has no value, but its type is not an Option",
                    c.name.escape_debug()
                )));
            }
            c.builder.append_null();
            return Ok(());
        }
        if c.builder.append(value) {
            return Ok(());
        }
        Err(encode(format!(
            "field `{}` gave a value of type {:?}, but its column is {}",
            c.name.escape_debug(),
            value.cell_type().expect("not null"),
            c.builder.data_type()
        )))
    }

    fn time(&mut self, col: usize, nanos: Option<i128>) -> Result<()> {
        let c = self.column(col)?;
        let Builder::Time(b) = &mut c.builder else {
            return Err(encode(format!("column `{}` is not the time", c.name.escape_debug())));
        };
        match nanos {
            Some(n) => match i64::try_from(n) {
                Ok(n) => b.append_value(n),
                Err(_) => {
                    return Err(encode(format!(
                        "time {n} ns is outside what a nanosecond timestamp holds (±2^63 ns, years 1677 to 2262)"
                    )))
                }
            },
            None if c.nullable => b.append_null(),
            None => return Err(encode("the time has no value, but its type is not an Option".to_owned())),
        }
        Ok(())
    }
}

/// A builder with room for `n` values.
trait WithRows {
    fn with_rows(n: usize) -> Self;
}

impl<T: ArrowPrimitiveType> WithRows for PrimitiveBuilder<T> {
    fn with_rows(n: usize) -> Self {
        Self::with_capacity(n)
    }
}

impl WithRows for BooleanBuilder {
    fn with_rows(n: usize) -> Self {
        Self::with_capacity(n)
    }
}

impl WithRows for StringBuilder {
    fn with_rows(n: usize) -> Self {
        // The bytes are unknown; they grow as needed.
        Self::with_capacity(n, 0)
    }
}

macro_rules! builders {
    ($($cell:ident($builder:ident, $data_type:ident)),* $(,)?) => {
        /// The Arrow builder of one column.
        enum Builder {
            Tag(StringDictionaryBuilder<Int32Type>),
            Time(TimestampNanosecondBuilder),
            $($cell($builder),)*
        }

        impl Builder {
            fn new(kind: ColumnKind, cell: Option<__CellType>, capacity: usize) -> Self {
                match (kind, cell.unwrap_or(__CellType::Str)) {
                    (ColumnKind::Tag, _) => Builder::Tag(StringDictionaryBuilder::new()),
                    (ColumnKind::Time, _) => Builder::Time(TimestampNanosecondBuilder::with_capacity(capacity)),
                    $((ColumnKind::Field, __CellType::$cell) => Builder::$cell(WithRows::with_rows(capacity)),)*
                }
            }

            fn append_null(&mut self) {
                match self {
                    Builder::Tag(b) => b.append_null(),
                    Builder::Time(b) => b.append_null(),
                    $(Builder::$cell(b) => b.append_null(),)*
                }
            }

            /// Appends `value`; false if it is not of the column's type.
            #[inline]
            fn append(&mut self, value: __Cell<'_>) -> bool {
                match (self, value) {
                    $((Builder::$cell(b), __Cell::$cell(v)) => b.append_value(v),)*
                    _ => return false,
                }
                true
            }

            fn data_type(&self) -> DataType {
                match self {
                    Builder::Tag(_) => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                    Builder::Time(_) => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
                    $(Builder::$cell(_) => DataType::$data_type,)*
                }
            }

            fn finish(&mut self) -> ArrayRef {
                match self {
                    Builder::Tag(b) => Arc::new(b.finish()),
                    Builder::Time(b) => Arc::new(b.finish().with_timezone("UTC")),
                    $(Builder::$cell(b) => Arc::new(b.finish()),)*
                }
            }
        }

        fn cell_data_type(cell: __CellType) -> DataType {
            match cell {
                $(__CellType::$cell => DataType::$data_type,)*
            }
        }
    };
}

builders!(
    F64(Float64Builder, Float64),
    F32(Float32Builder, Float32),
    I8(Int8Builder, Int8),
    I16(Int16Builder, Int16),
    I32(Int32Builder, Int32),
    I64(Int64Builder, Int64),
    U8(UInt8Builder, UInt8),
    U16(UInt16Builder, UInt16),
    U32(UInt32Builder, UInt32),
    U64(UInt64Builder, UInt64),
    Bool(BooleanBuilder, Boolean),
    Str(StringBuilder, Utf8),
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arrow::{decode_batch, BatchRows};
    use crate::line_protocol::{encode_batch, EncodeOptions, Encoder, FieldValue, Key, WritePoint};
    use crate::schema::FieldType;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float32Type, Int8Type, UInt64Type};
    use arrow_array::Array;

    /// A custom field type that only implements `write_field` (read back through its text).
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct Celsius(f64);

    impl FieldValue for Celsius {
        const FIELD_TYPE: FieldType = FieldType::Float;
        fn write_field(&self, enc: &mut Encoder<'_>, key: &Key<'_>) -> Result<()> {
            enc.field_f64(key, self.0)
        }
    }

    /// A custom field type whose values disagree with its `FIELD_TYPE`.
    struct Liar;

    impl FieldValue for Liar {
        const FIELD_TYPE: FieldType = FieldType::Float;
        fn write_field(&self, enc: &mut Encoder<'_>, key: &Key<'_>) -> Result<()> {
            enc.field_i64(key, 5)
        }
    }

    /// What the derive generates for
    /// `struct P { #[tag] host: Option<String>, t: Celsius, s: String, n: i8, f: f32,
    /// u: u64, w: i128, #[time] time: Option<i64> }`, written out (influx-core cannot use the derive).
    struct P {
        host: Option<String>,
        t: Celsius,
        s: String,
        n: i8,
        f: f32,
        u: u64,
        w: i128,
        time: Option<i64>,
    }

    impl WritePoint for P {
        fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()> {
            enc.measurement("p")?;
            if let Some(h) = &self.host {
                enc.tag("host", h)?;
            }
            self.t.write_field(enc, &Key::new("t")?)?;
            self.s.write_field(enc, &Key::new("s")?)?;
            self.n.write_field(enc, &Key::new("n")?)?;
            self.f.write_field(enc, &Key::new("f")?)?;
            self.u.write_field(enc, &Key::new("u")?)?;
            self.w.write_field(enc, &Key::new("w")?)?;
            enc.timestamp(&self.time)
        }
    }

    impl InfluxPoint for P {
        const MEASUREMENT: &'static str = "p";
        const TAG_KEYS: &'static [&'static str] = &["host"];
        const FIELD_KEYS: &'static [&'static str] = &["t", "s", "n", "f", "u", "w"];
        const TIME_KEY: Option<&'static str> = Some("time");
        const COLUMNS: &'static [crate::schema::Column] = &[
            crate::schema::Column::tag("host", true),
            crate::schema::Column::field("t", FieldType::Float, false),
            crate::schema::Column::field("s", FieldType::String, false),
            crate::schema::Column::field("n", FieldType::Integer, false),
            crate::schema::Column::field("f", FieldType::Float, false),
            crate::schema::Column::field("u", FieldType::UInteger, false),
            crate::schema::Column::field("w", FieldType::Integer, false),
            crate::schema::Column::time(true),
        ];
        const __CELL_TYPES: &'static [Option<__CellType>] = &[
            None,
            Some(<Celsius as FieldValue>::__CELL_TYPE),
            Some(<String as FieldValue>::__CELL_TYPE),
            Some(<i8 as FieldValue>::__CELL_TYPE),
            Some(<f32 as FieldValue>::__CELL_TYPE),
            Some(<u64 as FieldValue>::__CELL_TYPE),
            Some(<i128 as FieldValue>::__CELL_TYPE),
            None,
        ];
        fn __visit_columns(&self, sink: &mut dyn __ColumnSink) -> Result<()> {
            sink.tag(0, crate::line_protocol::TagValue::tag_value(&self.host))?;
            self.t.__visit_field("t", 1, sink)?;
            self.s.__visit_field("s", 2, sink)?;
            self.n.__visit_field("n", 3, sink)?;
            self.f.__visit_field("f", 4, sink)?;
            self.u.__visit_field("u", 5, sink)?;
            self.w.__visit_field("w", 6, sink)?;
            sink.time(7, crate::line_protocol::TimeValue::unix_nanos(&self.time))
        }
    }

    fn p(host: Option<&str>, t: f64, s: &str, w: i128, time: Option<i64>) -> P {
        P { host: host.map(str::to_owned), t: Celsius(t), s: s.to_owned(), n: -8, f: 1.1, u: u64::MAX, w, time }
    }

    #[test]
    fn arrow_schema_and_cells_are_exact() {
        let v = [p(Some("a b"), 0.1, "x \"y\" \\z", 7, Some(5)), p(None, 2.0, "", -1, None)];
        let b = to_batch(&v).unwrap();
        let names: Vec<_> = b.schema().fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(names, ["time", "host", "t", "s", "n", "f", "u", "w"]);
        assert_eq!(b.schema().as_ref(), &schema_of::<P>());
        let ty = |i: usize| b.schema().field(i).data_type().clone();
        assert_eq!(
            [ty(2), ty(4), ty(5), ty(6), ty(7)],
            [DataType::Float64, DataType::Int8, DataType::Float32, DataType::UInt64, DataType::Int64]
        );
        assert_eq!(b.column(0).as_primitive::<arrow_array::types::TimestampNanosecondType>().value(0), 5);
        assert!(b.column(0).is_null(1));
        assert!(b.column(1).is_null(1));
        // The custom type's value, read back from its text, is the same f64.
        let t = b.column(2).as_primitive::<arrow_array::types::Float64Type>();
        assert_eq!(t.value(0).to_bits(), 0.1f64.to_bits());
        assert_eq!(t.value(1), 2.0);
        // A custom type's NaN is refused, as on every write of it.
        let e = to_batch(&[p(None, f64::NAN, "", -1, None)]).unwrap_err();
        assert_eq!(e.to_string(), "row 0: field `t` is NaN, which line protocol cannot carry");
        assert_eq!(b.column(3).as_string::<i32>().value(0), "x \"y\" \\z");
        assert_eq!(b.column(4).as_primitive::<Int8Type>().value(0), -8);
        assert_eq!(b.column(5).as_primitive::<Float32Type>().value(0).to_bits(), 1.1f32.to_bits());
        assert_eq!(b.column(6).as_primitive::<UInt64Type>().value(0), u64::MAX);

        // And back into rows through the row-decoding contract.
        type Row = (Option<i64>, Option<String>, f64, String, i8, f32, u64, i64);
        let back: Vec<Row> = decode_batch(&b).unwrap();
        assert_eq!(back[0], (Some(5), Some("a b".into()), 0.1, "x \"y\" \\z".into(), -8, 1.1, u64::MAX, 7));
        assert_eq!(back[1].1, None);
    }

    #[test]
    fn the_batch_writes_the_derives_bytes() {
        let v = [p(Some("a,b"), 1e300, "s", i128::from(i64::MIN), Some(-1)), p(Some(""), -0.0, "\n", 0, Some(1))];
        let opts = EncodeOptions { unsigned_suffix: true, ..EncodeOptions::default() };
        let mut want = Vec::new();
        encode_batch(&v, &mut want, &opts).unwrap();
        let b = to_batch(&v).unwrap();
        let mut got = Vec::new();
        encode_batch(&BatchRows::new(&b, &FrameOptions::of::<P>()).unwrap(), &mut got, &opts).unwrap();
        assert_eq!(String::from_utf8(got).unwrap(), String::from_utf8(want).unwrap());
    }

    #[test]
    fn what_a_batch_cannot_hold_is_an_error_naming_row_and_key() {
        let v = [p(None, 1.0, "", 0, None), p(None, 1.0, "", i128::MAX, None)];
        let e = to_batch(&v).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Encode);
        assert_eq!(
            e.to_string(),
            "row 1: field `w` is 170141183460469231731687303715884105727, outside the 64-bit range line protocol carries"
        );
        let mut sink = Columns {
            columns: vec![Column { name: "time", nullable: false, builder: Builder::new(ColumnKind::Time, None, 0) }],
        };
        let e = sink.time(0, Some(i128::from(i64::MAX) + 1)).unwrap_err();
        assert!(e.to_string().starts_with("time 9223372036854775808 ns is outside"), "{e}");
        let e = sink.time(0, None).unwrap_err();
        assert_eq!(e.to_string(), "the time has no value, but its type is not an Option");
        sink.time(0, Some(i128::from(i64::MIN))).unwrap();
    }

    #[test]
    fn custom_values_of_another_type_and_hand_written_impls_are_refused() {
        let mut sink = Columns {
            columns: vec![Column {
                name: "x",
                nullable: false,
                builder: Builder::new(ColumnKind::Field, Some(__CellType::F64), 0),
            }],
        };
        let e = Liar.__visit_field("x", 0, &mut sink).unwrap_err();
        assert_eq!(e.to_string(), "field `x` gave a value of type I64, but its column is Float64");
        let e = None::<f64>.__visit_field("x", 0, &mut sink).unwrap_err();
        assert_eq!(e.to_string(), "field `x` has no value, but its type is not an Option");
        Celsius(2.5).__visit_field("x", 0, &mut sink).unwrap();
        assert_eq!(sink.columns[0].builder.finish().as_primitive::<arrow_array::types::Float64Type>().value(0), 2.5);

        struct Hand;
        impl WritePoint for Hand {
            fn write_point(&self, enc: &mut Encoder<'_>) -> Result<()> {
                enc.measurement("m")?;
                enc.field_i64("v", 1)
            }
        }
        impl InfluxPoint for Hand {
            const MEASUREMENT: &'static str = "m";
            const TAG_KEYS: &'static [&'static str] = &[];
            const FIELD_KEYS: &'static [&'static str] = &["v"];
            const TIME_KEY: Option<&'static str> = None;
            const COLUMNS: &'static [crate::schema::Column] =
                &[crate::schema::Column::field("v", FieldType::Integer, false)];
        }
        assert_eq!(schema_of::<Hand>().field(0).data_type(), &DataType::Int64);
        let e = to_batch(&[Hand]).unwrap_err();
        assert!(e.to_string().contains("implements InfluxPoint by hand"), "{e}");
    }
}
