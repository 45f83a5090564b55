//! Property tests: arbitrary Flux answers (several results, schemas and tables; every
//! datatype; nulls, `#default`s, quoting, unicode) rendered as the server renders annotated
//! CSV, then decoded back, whole and in arbitrary chunks, to the same values (floats by bits).

use crate::flux_body;

use flux_body::{end_line, write_base64, write_cell, write_double, write_head, write_time, Column};
use influx::decode::{decode_flux_records, decode_flux_rows, FluxRecord, FluxRecordDecoder, FluxValue};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Bool,
    Long,
    ULong,
    Double,
    Str,
    Time,
    Nano,
    Dur,
    Bytes,
}

impl Ty {
    fn datatype(self) -> &'static str {
        match self {
            Ty::Bool => "boolean",
            Ty::Long => "long",
            Ty::ULong => "unsignedLong",
            Ty::Double => "double",
            Ty::Str => "string",
            Ty::Time => "dateTime:RFC3339",
            Ty::Nano => "dateTime:RFC3339Nano",
            Ty::Dur => "duration",
            Ty::Bytes => "base64Binary",
        }
    }
}

fn ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        Just(Ty::Bool),
        Just(Ty::Long),
        Just(Ty::ULong),
        Just(Ty::Double),
        Just(Ty::Str),
        Just(Ty::Time),
        Just(Ty::Nano),
        Just(Ty::Dur),
        Just(Ty::Bytes),
    ]
}

/// Text that stresses CSV: separators, quotes, line breaks, spaces, unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ,\"\r\n#\\\\.]{0,8}",
        any::<String>(),
        Just(r"\.".to_owned()),
        Just(" lead".to_owned()),
        Just("\u{a0}nbsp".to_owned()),
    ]
}

fn double() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(5e-324),
        Just(f64::MAX),
    ]
}

fn some_value(t: Ty) -> BoxedStrategy<FluxValue> {
    match t {
        Ty::Bool => any::<bool>().prop_map(FluxValue::Bool).boxed(),
        Ty::Long => any::<i64>().prop_map(FluxValue::Long).boxed(),
        Ty::ULong => any::<u64>().prop_map(FluxValue::UnsignedLong).boxed(),
        Ty::Double => double().prop_map(FluxValue::Double).boxed(),
        Ty::Str => text().prop_map(FluxValue::String).boxed(),
        Ty::Time | Ty::Nano => any::<i64>().prop_map(FluxValue::Time).boxed(),
        Ty::Dur => any::<i64>().prop_map(FluxValue::Duration).boxed(),
        Ty::Bytes => prop::collection::vec(any::<u8>(), 0..12).prop_map(FluxValue::Base64Binary).boxed(),
    }
}

fn value(t: Ty) -> BoxedStrategy<FluxValue> {
    prop_oneof![1 => Just(FluxValue::Null), 4 => some_value(t)].boxed()
}

/// A Go `time.Duration.String()`-like literal (`-1h2m3.000000004s`), for odd nanosecond counts.
fn duration_text(ns: i64) -> String {
    if ns % 2 == 0 {
        return ns.to_string();
    }
    let (sign, abs) = if ns < 0 { ("-", ns.unsigned_abs()) } else { ("", ns as u64) };
    let (h, rest) = (abs / 3_600_000_000_000, abs % 3_600_000_000_000);
    let (m, rest) = (rest / 60_000_000_000, rest % 60_000_000_000);
    let (s, frac) = (rest / 1_000_000_000, rest % 1_000_000_000);
    let frac = format!("{frac:09}");
    let frac = frac.trim_end_matches('0');
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{sign}{h}h{m}m{s}{dot}{frac}s")
}

fn render(out: &mut Vec<u8>, v: &FluxValue, crlf: bool) {
    match v {
        FluxValue::Null => {}
        FluxValue::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        FluxValue::Long(x) => out.extend_from_slice(x.to_string().as_bytes()),
        FluxValue::UnsignedLong(x) => out.extend_from_slice(x.to_string().as_bytes()),
        FluxValue::Double(f) => write_double(out, *f),
        FluxValue::String(s) => write_cell(out, s, crlf),
        FluxValue::Time(ns) => write_time(out, *ns),
        FluxValue::Duration(ns) => out.extend_from_slice(duration_text(*ns).as_bytes()),
        FluxValue::Base64Binary(b) => write_base64(out, b),
        _ => unreachable!("no other values are generated"),
    }
}

/// A value's text before CSV quoting (`write_head` quotes the `#default` cells).
fn unquoted(v: &FluxValue, crlf: bool) -> String {
    if let FluxValue::String(s) = v {
        return s.clone();
    }
    let mut out = Vec::new();
    render(&mut out, v, crlf);
    String::from_utf8(out).unwrap()
}

/// What decoding gives back for `v`: the server writes null, `""` and no bytes as an empty
/// cell (which then takes the column's default), and with CRLF line endings drops CR inside
/// strings (Go's `csv.Writer`); a quoted CRLF reads back as LF.
fn expected(v: &FluxValue, default: &FluxValue, crlf: bool) -> FluxValue {
    match v {
        FluxValue::String(s) => {
            let s = if crlf { s.replace('\r', "") } else { s.replace("\r\n", "\n") };
            if s.is_empty() {
                default.clone()
            } else {
                FluxValue::String(s)
            }
        }
        FluxValue::Null => default.clone(),
        FluxValue::Base64Binary(b) if b.is_empty() => default.clone(),
        v => v.clone(),
    }
}

fn same(a: &FluxValue, b: &FluxValue) -> bool {
    match (a, b) {
        (FluxValue::Double(x), FluxValue::Double(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        _ => a == b,
    }
}

#[derive(Debug, Clone)]
struct Block {
    /// (name, type, group, default).
    columns: Vec<(String, Ty, bool, FluxValue)>,
    tables: Vec<Vec<Vec<FluxValue>>>,
    order: [usize; 3],
}

fn column_name() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z_][a-z0-9_]{0,6}", "[^\r\n]{1,6}", Just("a,b".to_owned()), Just("q\"uote".to_owned())]
        .prop_filter("result and table are the bookkeeping columns", |n| n != "result" && n != "table")
}

fn block() -> impl Strategy<Value = Block> {
    prop::collection::vec((ty(), any::<bool>(), any::<bool>()), 1..7).prop_flat_map(|cols| {
        let n = cols.len();
        let names = prop::collection::hash_set(column_name(), n..=n);
        let defaults: Vec<BoxedStrategy<FluxValue>> =
            cols.iter().map(|&(t, _, has)| if has { some_value(t) } else { Just(FluxValue::Null).boxed() }).collect();
        let row: Vec<BoxedStrategy<FluxValue>> = cols.iter().map(|&(t, _, _)| value(t)).collect();
        let tables = prop::collection::vec(prop::collection::vec(row, 0..5), 1..4);
        let order = Just([0usize, 1, 2]).prop_shuffle();
        (Just(cols), names, defaults, tables, order).prop_map(|(cols, names, defaults, tables, order)| {
            let columns = names
                .into_iter()
                .zip(cols)
                .zip(defaults)
                .map(|((name, (t, group, _)), d)| (name, t, group, d))
                .collect();
            Block { columns, tables, order: [order[0], order[1], order[2]] }
        })
    })
}

/// Results: (name, blocks).
fn answer() -> impl Strategy<Value = Vec<(String, Vec<Block>)>> {
    prop::collection::vec(("[^\r\n]{1,8}", prop::collection::vec(block(), 1..4)), 1..4)
}

/// One expected record: result, table id, column (name, datatype, group), values.
type Want = (String, i64, Vec<(String, &'static str, bool)>, Vec<FluxValue>);

fn render_answer(answer: &[(String, Vec<Block>)], crlf: bool) -> (Vec<u8>, Vec<Want>) {
    let mut out = Vec::new();
    let mut want = Vec::new();
    let mut table_id = 0i64;
    for (result, blocks) in answer {
        for block in blocks {
            let columns: Vec<Column> = block
                .columns
                .iter()
                .map(|(name, t, group, d)| Column {
                    name: name.clone(),
                    datatype: t.datatype(),
                    group: *group,
                    default: unquoted(d, crlf),
                })
                .collect();
            let meta: Vec<(String, &'static str, bool)> = std::iter::once(("result".to_owned(), "string", false))
                .chain(std::iter::once(("table".to_owned(), "long", false)))
                .chain(block.columns.iter().map(|(n, t, g, _)| (n.clone(), t.datatype(), *g)))
                .collect();
            let mut head_written = false;
            for rows in &block.tables {
                // The server starts a new annotation block for an empty table and after one.
                if !head_written || rows.is_empty() {
                    if !out.is_empty() {
                        end_line(&mut out, crlf);
                    }
                    write_head(&mut out, result, &columns, block.order, crlf);
                    head_written = !rows.is_empty();
                }
                for row in rows {
                    out.extend_from_slice(format!(",,{table_id}").as_bytes());
                    let mut values = vec![FluxValue::String(result.clone()), FluxValue::Long(table_id)];
                    for (v, (_, _, _, d)) in row.iter().zip(&block.columns) {
                        out.push(b',');
                        render(&mut out, v, crlf);
                        values.push(expected(v, &expected(d, &FluxValue::Null, crlf), crlf));
                    }
                    end_line(&mut out, crlf);
                    want.push((result.clone(), table_id, meta.clone(), values));
                }
                table_id += 1;
            }
        }
    }
    (out, want)
}

fn check(got: &[FluxRecord], want: &[Want]) -> Result<(), TestCaseError> {
    prop_assert_eq!(got.len(), want.len());
    for (i, (r, (result, id, meta, values))) in got.iter().zip(want).enumerate() {
        prop_assert_eq!(r.result(), result.as_str(), "record {}", i);
        prop_assert_eq!(r.table().id(), *id, "record {}", i);
        let cols: Vec<(String, &'static str, bool)> =
            r.table().columns().iter().map(|c| (c.name().to_owned(), c.datatype().name(), c.is_group())).collect();
        let meta: Vec<(String, &'static str, bool)> =
            meta.iter().map(|(n, t, g)| (n.clone(), t.split(':').next().unwrap(), *g)).collect();
        prop_assert_eq!(cols, meta, "record {}", i);
        prop_assert_eq!(r.values().len(), values.len());
        for (j, (a, b)) in r.values().iter().zip(values).enumerate() {
            prop_assert!(same(a, b), "record {} value {}: got {:?}, want {:?}", i, j, a, b);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_answers_decode_back(answer in answer(), crlf in any::<bool>(), cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        let (body, want) = render_answer(&answer, crlf);
        let whole = decode_flux_records(&body).map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&body))))?;
        check(&whole, &want)?;
        // The same bytes cut anywhere.
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(body.len() + 1)).collect();
        at.push(0);
        at.push(body.len());
        at.sort_unstable();
        let mut d = FluxRecordDecoder::new();
        let mut got = Vec::new();
        for w in at.windows(2) {
            d.push(&body[w[0]..w[1]], &mut got).unwrap();
        }
        d.finish(&mut got).unwrap();
        check(&got, &want)?;
    }

    #[test]
    fn typed_rows_decode_back(rows in prop::collection::vec((any::<i64>(), prop::option::of(double()), prop::option::of(any::<i64>()),
        prop::option::of(any::<u64>()), prop::option::of(any::<bool>()), "[^\r]{0,6}"), 0..20)) {
        let c = |name: &str, datatype: &'static str| Column { name: name.into(), datatype, group: false, default: String::new() };
        let columns = [c("_time", "dateTime:RFC3339"), c("f", "double"), c("i", "long"), c("u", "unsignedLong"), c("b", "boolean"), c("s", "string")];
        let mut body = Vec::new();
        write_head(&mut body, "_result", &columns, [0, 1, 2], true);
        for (t, f, i, u, b, s) in &rows {
            body.extend_from_slice(b",,0,");
            write_time(&mut body, *t);
            body.push(b',');
            if let Some(f) = f { write_double(&mut body, *f) }
            body.extend_from_slice(format!(",{},{},{},", i.map(|x| x.to_string()).unwrap_or_default(),
                u.map(|x| x.to_string()).unwrap_or_default(), b.map(|x| x.to_string()).unwrap_or_default()).as_bytes());
            write_cell(&mut body, s, true);
            body.extend_from_slice(b"\r\n");
        }
        type Row = (i64, Option<f64>, Option<i64>, Option<u64>, Option<bool>, String);
        let got: Vec<Row> = decode_flux_rows(&body).unwrap();
        prop_assert_eq!(got.len(), rows.len());
        for (g, w) in got.iter().zip(&rows) {
            prop_assert_eq!(g.0, w.0);
            prop_assert_eq!(g.1.map(f64::to_bits).map(|b| if f64::from_bits(b).is_nan() { 0 } else { b }),
                w.1.map(f64::to_bits).map(|b| if f64::from_bits(b).is_nan() { 0 } else { b }));
            prop_assert_eq!((g.2, g.3, g.4), (w.2, w.3, w.4));
            prop_assert_eq!(&g.5, &w.5.replace('\r', ""));
        }
    }
}
