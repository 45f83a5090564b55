//! Tables, columns and records of a Flux answer, and the state machine that reads
//! annotation blocks, headers, data records and error tables.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::csv::{Fail, Record, Splitter};
use super::value::{parse_long, utf8, FluxDataType, FluxValue, Shown};
use crate::decode::body::RowSink;
use crate::decode::SeriesInfo;
use crate::{Error, ErrorKind, Result};

/// One column of a Flux table: its name and annotations.
///
/// ```
/// # extern crate influx_core as influx;
/// # fn f(c: &influx::decode::FluxColumn) {
/// println!("{} {} group={} default={:?}", c.name(), c.datatype(), c.is_group(), c.default());
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FluxColumn {
    name: String,
    datatype: FluxDataType,
    group: bool,
    default: FluxValue,
}

impl FluxColumn {
    /// The column's label (`_time`, `_value`, `host`, ...).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(c: &influx::decode::FluxColumn) -> &str { c.name() }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The `#datatype` annotation.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(c: &influx::decode::FluxColumn) -> influx::decode::FluxDataType { c.datatype() }
    /// ```
    pub fn datatype(&self) -> FluxDataType {
        self.datatype
    }

    /// Whether the column is part of the table's group key (`#group` is `true`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(c: &influx::decode::FluxColumn) -> bool { c.is_group() }
    /// ```
    pub fn is_group(&self) -> bool {
        self.group
    }

    /// The `#default` annotation: the value of an empty cell (`Null` when there is none).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(c: &influx::decode::FluxColumn) -> bool { c.default().is_null() }
    /// ```
    pub fn default(&self) -> &FluxValue {
        &self.default
    }
}

/// One table of a Flux answer: the result it belongs to, its id and its columns.
///
/// The columns are every column of the header, `result` and `table` included, in order.
///
/// ```
/// # extern crate influx_core as influx;
/// let body = b"#datatype,string,long,double\n#group,false,false,false\n#default,_result,,\n,result,table,_value\n,,0,1.5\n";
/// let recs = influx::decode::decode_flux_records(body).unwrap();
/// let table = recs[0].table();
/// assert_eq!((table.result(), table.id()), ("_result", 0));
/// assert_eq!(table.columns().iter().map(|c| c.name()).collect::<Vec<_>>(), ["result", "table", "_value"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FluxTable {
    result: String,
    id: i64,
    columns: Arc<[FluxColumn]>,
}

impl FluxTable {
    pub(crate) fn new(result: String, id: i64, columns: Arc<[FluxColumn]>) -> Self {
        Self { result, id, columns }
    }

    /// The name of the result (`_result`, or the `yield(name:)`).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(t: &influx::decode::FluxTable) -> &str { t.result() }
    /// ```
    pub fn result(&self) -> &str {
        &self.result
    }

    /// The table's id (the `table` column), unique within its result.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(t: &influx::decode::FluxTable) -> i64 { t.id() }
    /// ```
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The columns, in order.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(t: &influx::decode::FluxTable) -> usize { t.columns().len() }
    /// ```
    pub fn columns(&self) -> &[FluxColumn] {
        &self.columns
    }

    /// The position of a column.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(t: &influx::decode::FluxTable) -> Option<usize> { t.column_index("_value") }
    /// ```
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The columns of the group key.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(t: &influx::decode::FluxTable) { for c in t.group_key() { println!("{}", c.name()); } }
    /// ```
    pub fn group_key(&self) -> impl Iterator<Item = &FluxColumn> + '_ {
        self.columns.iter().filter(|c| c.group)
    }
}

/// One record (data row) of a Flux answer, with its table's metadata.
///
/// ```
/// # extern crate influx_core as influx;
/// let body = b"#datatype,string,long,dateTime:RFC3339,double,string,string,string\n\
/// #group,false,false,false,false,true,true,true\n\
/// #default,_result,,,,,,\n\
/// ,result,table,_time,_value,_field,_measurement,host\n\
/// ,,0,2023-01-01T00:00:00Z,15.43,mem,m,A\n";
/// let recs = influx::decode::decode_flux_records(body).unwrap();
/// let r = &recs[0];
/// assert_eq!(r.time_ns(), Some(1_672_531_200_000_000_000));
/// assert_eq!(r.value().and_then(|v| v.as_f64()), Some(15.43));
/// assert_eq!((r.field(), r.measurement()), (Some("mem"), Some("m")));
/// assert_eq!(r.get("host").and_then(|v| v.as_str()), Some("A"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FluxRecord {
    table: Arc<FluxTable>,
    values: Vec<FluxValue>,
}

impl FluxRecord {
    pub(crate) fn new(table: Arc<FluxTable>, values: Vec<FluxValue>) -> Self {
        Self { table, values }
    }

    /// The table this record belongs to.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> i64 { r.table().id() }
    /// ```
    pub fn table(&self) -> &FluxTable {
        &self.table
    }

    /// The name of the result.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> &str { r.result() }
    /// ```
    pub fn result(&self) -> &str {
        &self.table.result
    }

    /// The value of a column, by name (`None` if the table has no such column).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> Option<&str> { r.get("host")?.as_str() }
    /// ```
    pub fn get(&self, column: &str) -> Option<&FluxValue> {
        self.table.column_index(column).map(|i| &self.values[i])
    }

    /// The values, in column order.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> usize { r.values().len() }
    /// ```
    pub fn values(&self) -> &[FluxValue] {
        &self.values
    }

    /// Column names with their values, in column order.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) { for (k, v) in r.iter() { println!("{k}={v:?}"); } }
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FluxValue)> + '_ {
        self.table.columns.iter().map(|c| c.name.as_str()).zip(&self.values)
    }

    /// Takes the values out, in column order.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: influx::decode::FluxRecord) -> Vec<influx::decode::FluxValue> { r.into_values() }
    /// ```
    pub fn into_values(self) -> Vec<FluxValue> {
        self.values
    }

    /// `_time` in nanoseconds since the epoch.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> Option<i64> { r.time_ns() }
    /// ```
    pub fn time_ns(&self) -> Option<i64> {
        self.get("_time")?.as_time_ns()
    }

    /// `_time`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> Option<chrono::DateTime<chrono::Utc>> { r.time() }
    /// ```
    pub fn time(&self) -> Option<DateTime<Utc>> {
        self.get("_time")?.as_datetime()
    }

    /// `_start`, the start of the queried range.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> Option<chrono::DateTime<chrono::Utc>> { r.start() }
    /// ```
    pub fn start(&self) -> Option<DateTime<Utc>> {
        self.get("_start")?.as_datetime()
    }

    /// `_stop`, the end of the queried range.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> Option<chrono::DateTime<chrono::Utc>> { r.stop() }
    /// ```
    pub fn stop(&self) -> Option<DateTime<Utc>> {
        self.get("_stop")?.as_datetime()
    }

    /// `_value` (unpivoted answers).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> Option<f64> { r.value()?.as_f64() }
    /// ```
    pub fn value(&self) -> Option<&FluxValue> {
        self.get("_value")
    }

    /// `_field` (unpivoted answers).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> Option<&str> { r.field() }
    /// ```
    pub fn field(&self) -> Option<&str> {
        self.get("_field")?.as_str()
    }

    /// `_measurement`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(r: &influx::decode::FluxRecord) -> Option<&str> { r.measurement() }
    /// ```
    pub fn measurement(&self) -> Option<&str> {
        self.get("_measurement")?.as_str()
    }
}

/// Columns that are Flux bookkeeping, not tags, even when in the group key.
const NOT_TAGS: [&str; 5] = ["result", "table", "_start", "_stop", "_measurement"];

/// One annotation block plus its header: how to read the records that follow.
#[derive(Debug)]
pub(crate) struct Schema {
    /// Cell `i` of a record is column `i - 1` (cell 0 is the annotation column).
    pub(crate) columns: Arc<[FluxColumn]>,
    /// Empty-cell replacement text per cell (empty: none).
    pub(crate) defaults: Vec<Box<str>>,
    pub(crate) types: Vec<FluxDataType>,
    result_cell: Option<usize>,
    table_cell: Option<usize>,
    /// The cells row decoding sees (all but the annotation, `result` and `table` columns),
    /// with their types.
    pub(crate) data_cells: Vec<(usize, FluxDataType)>,
    /// Their names, for [`SeriesInfo::columns`].
    pub(crate) data_names: Vec<Cow<'static, str>>,
    measurement_cell: Option<usize>,
    tag_cells: Vec<usize>,
}

impl Schema {
    /// The text of cell `i` with the column's `#default` applied (empty: null).
    #[inline]
    pub(crate) fn cell<'a>(&'a self, rec: &Record<'a>, i: usize) -> &'a [u8] {
        let t = rec.cell(i);
        if t.is_empty() {
            self.defaults[i].as_bytes()
        } else {
            t
        }
    }

    pub(crate) fn name(&self, cell: usize) -> &str {
        cell.checked_sub(1).and_then(|c| self.columns.get(c)).map_or("?", |c| &c.name)
    }
}

/// What a table looks like to the code that turns its records into values.
pub(crate) struct TableCtx<'a> {
    pub(crate) schema: &'a Arc<Schema>,
    pub(crate) result: &'a str,
    pub(crate) id: i64,
    pub(crate) info: SeriesInfo<'a>,
}

/// Turns the records of a table into values.
pub(crate) trait Handler {
    type Item;
    /// A new table starts (its first record is next).
    fn begin_table(&mut self, t: &TableCtx<'_>) -> std::result::Result<(), String>;
    /// One data record.
    fn row<S: RowSink<Self::Item>>(
        &mut self,
        t: &TableCtx<'_>,
        rec: Record<'_>,
        sink: &mut S,
    ) -> std::result::Result<(), String>;
    /// The answer ended without an error: items held back go out now.
    fn end<S: RowSink<Self::Item>>(&mut self, sink: &mut S) -> Result<()> {
        let _ = sink;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Before a header: annotations may come.
    Head,
    /// After a header: data records.
    Data,
    /// After an `error,reference` header: the error record is next.
    ErrorHeader,
}

#[derive(Default)]
struct Annotations {
    datatype: Option<Vec<String>>,
    group: Option<Vec<String>>,
    default: Option<Vec<Vec<u8>>>,
    cells: Option<usize>,
}

/// The state between records: annotations, the current schema and table.
struct Reader {
    mode: Mode,
    ann: Annotations,
    schema: Option<Arc<Schema>>,
    /// The current table's raw `result` and `table` cells (after defaults).
    key: Option<(Vec<u8>, Vec<u8>)>,
    result: String,
    result_index: usize,
    table_id: i64,
    results: Vec<String>,
    name: String,
    tags: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    row: usize,
    /// The line the next record starts on (1-based).
    line: u64,
}

impl Reader {
    fn new() -> Self {
        Self {
            mode: Mode::Head,
            ann: Annotations::default(),
            schema: None,
            key: None,
            result: String::new(),
            result_index: 0,
            table_id: 0,
            results: Vec::new(),
            name: String::new(),
            tags: Vec::new(),
            row: 0,
            line: 1,
        }
    }

    fn record<H: Handler, S: RowSink<H::Item>>(&mut self, rec: Record<'_>, h: &mut H, sink: &mut S) -> Result<()> {
        let line = self.line;
        self.line += 1 + rec.cells.newlines as u64;
        let first = rec.cell(0);
        if self.mode == Mode::Data && first.is_empty() && rec.len() > 1 {
            return self.data(rec, line, h, sink);
        }
        if self.mode == Mode::ErrorHeader {
            return Err(server_error(rec));
        }
        if rec.len() == 1 && first.is_empty() {
            // A blank line: a new annotation block (new schema or result) follows.
            self.mode = Mode::Head;
            self.ann = Annotations::default();
            return Ok(());
        }
        if first.first() == Some(&b'#') {
            if self.mode != Mode::Head {
                self.mode = Mode::Head;
                self.ann = Annotations::default();
            }
            return self.annotation(rec).map_err(|m| at_line(line, m));
        }
        if !first.is_empty() {
            return Err(at_line(line, format!("the first cell {:?} is neither empty nor an annotation", Shown(first))));
        }
        match self.mode {
            Mode::Head => self.header(rec).map_err(|m| at_line(line, m)),
            // A data record with a single cell: the header has at least the annotation column and one more.
            _ => Err(at_line(line, "a record with one cell".to_owned())),
        }
    }

    #[cold]
    #[inline(never)]
    fn annotation(&mut self, rec: Record<'_>) -> std::result::Result<(), String> {
        let name = utf8(&rec.cell(0)[1..])?;
        match self.ann.cells {
            Some(n) if n != rec.len() => {
                return Err(format!("annotation `#{name}` has {} cells, the one before {n}", rec.len()));
            }
            _ => self.ann.cells = Some(rec.len()),
        }
        let text =
            || (1..rec.len()).map(|i| utf8(rec.cell(i)).map(str::to_owned)).collect::<std::result::Result<Vec<_>, _>>();
        match name {
            "datatype" => self.ann.datatype = Some(text()?),
            "group" => self.ann.group = Some(text()?),
            "default" => self.ann.default = Some((1..rec.len()).map(|i| rec.cell(i).to_vec()).collect()),
            // Unknown annotations are skipped, as the server's own reader does.
            _ => {}
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn header(&mut self, rec: Record<'_>) -> std::result::Result<(), String> {
        if rec.len() > 1 && rec.cell(1) == b"error" {
            self.mode = Mode::ErrorHeader;
            return Ok(());
        }
        let ann = std::mem::take(&mut self.ann);
        let Some(datatypes) = ann.datatype else {
            return Err(
                "a header without a #datatype annotation (ask for the annotations datatype, group and default)"
                    .to_owned(),
            );
        };
        let n = rec.len();
        if datatypes.len() + 1 != n {
            return Err(format!("the header has {n} cells, the annotations {}", datatypes.len() + 1));
        }
        let mut columns = Vec::with_capacity(n - 1);
        let mut defaults: Vec<Box<str>> = vec![Box::default()];
        let mut types = vec![FluxDataType::String];
        for i in 1..n {
            let name = utf8(rec.cell(i))?.to_owned();
            let dt = &datatypes[i - 1];
            let datatype =
                FluxDataType::parse(dt).ok_or_else(|| format!("column `{name}` has the unknown datatype `{dt}`"))?;
            let group = ann.group.as_ref().is_some_and(|g| g[i - 1] == "true");
            let default_text = ann.default.as_ref().map_or(&[][..], |d| &d[i - 1][..]);
            let default =
                FluxValue::parse(datatype, default_text).map_err(|m| format!("column `{name}`: #default: {m}"))?;
            defaults.push(utf8(default_text).map_err(|m| format!("column `{name}`: #default: {m}"))?.into());
            types.push(datatype);
            columns.push(FluxColumn { name, datatype, group, default });
        }
        let cell_of = |name: &str| columns.iter().position(|c| c.name == name).map(|i| i + 1);
        let (result_cell, table_cell) = (cell_of("result"), cell_of("table"));
        let data_cells: Vec<(usize, FluxDataType)> = (1..n)
            .filter(|&c| Some(c) != result_cell && Some(c) != table_cell)
            .map(|c| (c, columns[c - 1].datatype))
            .collect();
        let data_names = data_cells.iter().map(|&(c, _)| Cow::Owned(columns[c - 1].name.clone())).collect();
        let measurement_cell = cell_of("_measurement").filter(|&c| columns[c - 1].group);
        let tag_cells =
            (1..n).filter(|&c| columns[c - 1].group && !NOT_TAGS.contains(&columns[c - 1].name.as_str())).collect();
        self.schema = Some(Arc::new(Schema {
            columns: columns.into(),
            defaults,
            types,
            result_cell,
            table_cell,
            data_cells,
            data_names,
            measurement_cell,
            tag_cells,
        }));
        self.mode = Mode::Data;
        self.key = None;
        Ok(())
    }

    #[inline]
    fn data<H: Handler, S: RowSink<H::Item>>(
        &mut self,
        rec: Record<'_>,
        line: u64,
        h: &mut H,
        sink: &mut S,
    ) -> Result<()> {
        let Some(schema) = &self.schema else { unreachable_mode() };
        if rec.len() != schema.columns.len() + 1 {
            return Err(at_line(
                line,
                format!("the record has {} cells, the header {}", rec.len(), schema.columns.len() + 1),
            ));
        }
        let result = schema.result_cell.map_or(&b""[..], |c| schema.cell(&rec, c));
        let table = schema.table_cell.map_or(&b"0"[..], |c| schema.cell(&rec, c));
        let same = self.key.as_ref().is_some_and(|(r, t)| r[..] == *result && t[..] == *table);
        if !same {
            let (result, table) = (result.to_vec(), table.to_vec());
            self.begin_table(rec, &result, &table, line, h)?;
        }
        let Some(schema) = &self.schema else { unreachable_mode() };
        let t = TableCtx {
            schema,
            result: &self.result,
            id: self.table_id,
            info: SeriesInfo {
                statement_id: self.result_index,
                name: &self.name,
                tags: &self.tags,
                columns: &schema.data_names,
            },
        };
        let row = self.row;
        h.row(&t, rec, sink).map_err(|m| {
            Error::new(
                ErrorKind::Decode,
                format!("result `{}`, table {}, row {row} (line {line}): {m}", t.result, t.id),
            )
        })?;
        self.row += 1;
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn begin_table<H: Handler>(
        &mut self,
        rec: Record<'_>,
        result: &[u8],
        table: &[u8],
        line: u64,
        h: &mut H,
    ) -> Result<()> {
        let Some(schema) = &self.schema else { unreachable_mode() };
        let result_name = utf8(result).map_err(|m| at_line(line, format!("column `result`: {m}")))?;
        self.table_id = parse_long(table)
            .ok_or_else(|| at_line(line, format!("column `table`: invalid table id {:?}", Shown(table))))?;
        self.result_index = match self.results.iter().position(|r| r == result_name) {
            Some(i) => i,
            None => {
                self.results.push(result_name.to_owned());
                self.results.len() - 1
            }
        };
        self.result.clear();
        self.result.push_str(result_name);
        self.key = Some((result.to_vec(), table.to_vec()));
        let text = |c: usize| {
            utf8(schema.cell(&rec, c)).map_err(|m| at_line(line, format!("column `{}`: {m}", schema.name(c))))
        };
        self.name = match schema.measurement_cell {
            Some(c) => text(c)?.to_owned(),
            None => String::new(),
        };
        self.tags.clear();
        for &c in &schema.tag_cells {
            self.tags.push((Cow::Owned(schema.name(c).to_owned()), Cow::Owned(text(c)?.to_owned())));
        }
        self.row = 0;
        let t = TableCtx {
            schema,
            result: &self.result,
            id: self.table_id,
            info: SeriesInfo {
                statement_id: self.result_index,
                name: &self.name,
                tags: &self.tags,
                columns: &schema.data_names,
            },
        };
        h.begin_table(&t)
            .map_err(|m| Error::new(ErrorKind::Decode, format!("result `{}`, table {}: {m}", t.result, t.id)))
    }
}

#[cold]
fn unreachable_mode() -> ! {
    unreachable!("data mode always has a schema")
}

#[cold]
#[inline(never)]
fn at_line(line: u64, msg: String) -> Error {
    Error::new(ErrorKind::Decode, format!("line {line}: {msg}"))
}

/// The error table the server writes when a query fails after the answer started.
#[cold]
#[inline(never)]
fn server_error(rec: Record<'_>) -> Error {
    let msg = String::from_utf8_lossy(rec.cell(1)).into_owned();
    let reference = String::from_utf8_lossy(rec.cell(2));
    let mut text = if msg.is_empty() {
        "query failed: the server sent an error table without a message".to_owned()
    } else {
        format!("query failed: {msg}")
    };
    if !reference.is_empty() {
        text += &format!(" (reference {reference})");
    }
    Error::new(ErrorKind::Query, text).with_server_message(msg)
}

/// An incremental annotated-CSV decoder driving a [`Handler`].
pub(crate) struct Decoder<H> {
    split: Splitter,
    reader: Reader,
    pub(crate) handler: H,
    failed: bool,
}

impl<H: Handler> Decoder<H> {
    pub(crate) fn new(handler: H) -> Self {
        Self { split: Splitter::default(), reader: Reader::new(), handler, failed: false }
    }

    /// Decodes the records `chunk` completes; the unfinished last one waits for the next chunk.
    pub(crate) fn push<S: RowSink<H::Item>>(&mut self, chunk: &[u8], sink: &mut S) -> Result<()> {
        self.check()?;
        let Self { split, reader, handler, .. } = self;
        let res = split.feed(chunk, |rec| reader.record(rec, handler, sink));
        self.settle(res)
    }

    /// Ends the answer: decodes a last record without a line ending. Later calls fail.
    pub(crate) fn finish<S: RowSink<H::Item>>(&mut self, sink: &mut S) -> Result<()> {
        self.check()?;
        let Self { split, reader, handler, .. } = self;
        let res = split.finish(|rec| reader.record(rec, handler, sink));
        self.settle(res)?;
        self.failed = true;
        if self.reader.mode == Mode::ErrorHeader {
            return Err(Error::new(ErrorKind::Query, "query failed: the server sent an error table without a message"));
        }
        self.handler.end(sink)
    }

    /// Bytes held for an unfinished record.
    pub(crate) fn carried(&self) -> usize {
        self.split.carried()
    }

    fn settle(&mut self, res: std::result::Result<(), Fail<Error>>) -> Result<()> {
        match res {
            Ok(()) => Ok(()),
            Err(f) => {
                self.failed = true;
                Err(match f {
                    Fail::Inner(e) => e,
                    Fail::Syntax(s) => at_line(self.reader.line, s.0.to_owned()),
                })
            }
        }
    }

    fn check(&self) -> Result<()> {
        if self.failed {
            return Err(Error::new(ErrorKind::Decode, "the answer already failed to decode, or was finished"));
        }
        Ok(())
    }
}
