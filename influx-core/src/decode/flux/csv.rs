//! Splitting annotated CSV into records and cells, incrementally over byte chunks.
//!
//! RFC 4180 as the server's Go `encoding/csv` writer produces it: a cell is quoted when it
//! holds `,` `"` CR or LF (or starts with a space), `""` is a quote inside a quoted cell, and
//! with CRLF line endings every LF inside a quoted cell is written as CRLF, so a CRLF inside
//! quotes reads back as LF (as Go's reader does). A quote inside an unquoted cell is kept
//! literally (the server's own reader runs with `LazyQuotes`).
//!
//! Records that are complete inside a chunk are split straight from the chunk; only the
//! unfinished last record is copied and carried to the next chunk, with the scanning state
//! that finds its end, so a huge quoted cell spread over many chunks is scanned once.

use memchr::{memchr, memchr2};

/// Where one cell's bytes are: in the record, or unescaped in [`Cells::scratch`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    scratch: bool,
}

/// The cells of one record.
#[derive(Debug, Default)]
pub(crate) struct Cells {
    spans: Vec<Span>,
    /// Quoted cells, unescaped.
    scratch: Vec<u8>,
    /// Line feeds inside quoted cells (for line numbers in errors).
    pub(crate) newlines: usize,
}

impl Cells {
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Cell `i` of `record` (the bytes the cells were split from).
    #[inline]
    pub(crate) fn get<'a>(&'a self, record: &'a [u8], i: usize) -> &'a [u8] {
        match self.spans.get(i) {
            Some(s) if s.scratch => &self.scratch[s.start..s.end],
            Some(s) => &record[s.start..s.end],
            None => b"",
        }
    }

    fn clear(&mut self) {
        self.spans.clear();
        self.scratch.clear();
        self.newlines = 0;
    }
}

/// One complete record: its bytes and its cells.
#[derive(Clone, Copy)]
pub(crate) struct Record<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) cells: &'a Cells,
    /// The record and the unescaped quoted cells, when valid UTF-8: validated once per
    /// record, cheaper than once per string cell.
    text: Option<&'a str>,
    scratch: Option<&'a str>,
}

impl<'a> Record<'a> {
    fn new(bytes: &'a [u8], cells: &'a Cells) -> Self {
        let scratch = if cells.scratch.is_empty() { Some("") } else { std::str::from_utf8(&cells.scratch).ok() };
        Self { bytes, cells, text: std::str::from_utf8(bytes).ok(), scratch }
    }

    #[inline]
    pub(crate) fn cell(&self, i: usize) -> &'a [u8] {
        self.cells.get(self.bytes, i)
    }

    /// Cell `i` as text, when the record is known to be valid UTF-8 there.
    #[inline]
    pub(crate) fn cell_str(&self, i: usize) -> Option<&'a str> {
        let s = self.cells.spans.get(i)?;
        let text = if s.scratch { self.scratch? } else { self.text? };
        text.get(s.start..s.end)
    }

    pub(crate) fn len(&self) -> usize {
        self.cells.len()
    }
}

/// A CSV syntax error, said about the record being split.
#[derive(Debug)]
pub(crate) struct Syntax(pub(crate) &'static str);

/// Splits `data` (starting at a record's start) into `cells`, up to the end of the first record.
///
/// `Ok(Some(n))`: the record took `n` bytes (with its line ending). `Ok(None)`: `data` ends
/// inside the record and `eof` is false. At `eof` the end of `data` ends the record.
fn split_record(data: &[u8], eof: bool, cells: &mut Cells) -> Result<Option<usize>, Syntax> {
    cells.clear();
    let len = data.len();
    let mut i = 0;
    loop {
        match unquoted_cells(data, i, cells) {
            Run::End(n) => return Ok(Some(n)),
            Run::More(start) if eof => {
                let end = if len > start && data[len - 1] == b'\r' { len - 1 } else { len };
                cells.spans.push(Span { start, end, scratch: false });
                return Ok(Some(len));
            }
            Run::More(_) => return Ok(None),
            Run::Quote(q) => i = q,
        }
        match quoted_cell(data, i, eof, cells)? {
            Quoted::Next(n) => i = n,
            Quoted::End(n) => return Ok(Some(n)),
            Quoted::More => return Ok(None),
        }
    }
}

/// Where splitting goes after a quoted cell.
enum Quoted {
    /// The next cell starts here.
    Next(usize),
    /// The record ended; it took this many bytes.
    End(usize),
    /// The data ends inside the cell (not at `eof`).
    More,
}

/// Unescapes the quoted cell whose opening quote is at `q` into the scratch buffer.
#[inline(never)]
fn quoted_cell(data: &[u8], q: usize, eof: bool, cells: &mut Cells) -> Result<Quoted, Syntax> {
    let len = data.len();
    let start = cells.scratch.len();
    let mut i = q + 1;
    loop {
        let Some(k) = find_either(&data[i..], b'"', b'\n') else {
            return if eof { Err(Syntax("a quoted cell is not closed")) } else { Ok(Quoted::More) };
        };
        let at = i + k;
        if data[at] == b'\n' {
            // A line break inside the cell; CRLF reads as LF.
            cells.newlines += 1;
            let end = if at > i && data[at - 1] == b'\r' { at - 1 } else { at };
            cells.scratch.extend_from_slice(&data[i..end]);
            cells.scratch.push(b'\n');
            i = at + 1;
            continue;
        }
        cells.scratch.extend_from_slice(&data[i..at]);
        i = at + 1;
        match data.get(i) {
            Some(b'"') => {
                cells.scratch.push(b'"');
                i += 1;
            }
            None if !eof => return Ok(Quoted::More),
            _ => break,
        }
    }
    cells.spans.push(Span { start, end: cells.scratch.len(), scratch: true });
    match data.get(i) {
        Some(b',') => Ok(Quoted::Next(i + 1)),
        Some(b'\n') => Ok(Quoted::End(i + 1)),
        Some(b'\r') if data.get(i + 1) == Some(&b'\n') => Ok(Quoted::End(i + 2)),
        Some(b'\r') if i + 1 == len => Ok(if eof { Quoted::End(len) } else { Quoted::More }),
        None => Ok(Quoted::End(len)),
        Some(_) => Err(Syntax("a quoted cell is followed by more text before the next `,`")),
    }
}

/// How a run of unquoted cells ended.
enum Run {
    /// The record ended; it took this many bytes.
    End(usize),
    /// A quoted cell starts here.
    Quote(usize),
    /// The data ended inside the unquoted cell that starts here.
    More(usize),
}

/// Splits unquoted cells from `start` until the record ends or a cell starts with a quote.
///
/// Scans eight bytes at a time and takes every separator of a word from one mask: cells are
/// short, so a search call per cell (memchr's) costs more in setup than it saves.
#[inline]
fn unquoted_cells(data: &[u8], mut start: usize, cells: &mut Cells) -> Run {
    const COMMA: u64 = u64::from_ne_bytes([b','; 8]);
    const LF: u64 = u64::from_ne_bytes([b'\n'; 8]);
    if data.get(start) == Some(&b'"') {
        return Run::Quote(start);
    }
    let mut base = start;
    loop {
        // `m`: separators; `lf`: which of them end the record.
        let (mut m, lf) = match data.get(base..base + 8) {
            Some(w) => {
                let w = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
                let lf = zeros(w ^ LF);
                (zeros(w ^ COMMA) | lf, lf)
            }
            None => match tail_masks(data.get(base..).unwrap_or(&[])) {
                (0, _) => return Run::More(start),
                masks => masks,
            },
        };
        while m != 0 {
            let bit = m & m.wrapping_neg();
            let pos = base + (m.trailing_zeros() / 8) as usize;
            m &= m - 1;
            if lf & bit != 0 {
                let end = if pos > start && data[pos - 1] == b'\r' { pos - 1 } else { pos };
                cells.spans.push(Span { start, end, scratch: false });
                return Run::End(pos + 1);
            }
            cells.spans.push(Span { start, end: pos, scratch: false });
            start = pos + 1;
            if data.get(start) == Some(&b'"') {
                return Run::Quote(start);
            }
        }
        base += 8;
    }
}

const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);

/// The separator and LF masks of the last (under eight) bytes of a chunk, as
/// `unquoted_cells` computes them for whole words. Out of line: rare, and kept out of the
/// hot loop's code.
#[cold]
#[inline(never)]
fn tail_masks(tail: &[u8]) -> (u64, u64) {
    let (mut m, mut lf) = (0u64, 0u64);
    for (k, &b) in tail.iter().enumerate().take(8) {
        let bit = 0x80u64 << (8 * k);
        if b == b'\n' {
            lf |= bit;
        }
        if b == b',' || b == b'\n' {
            m |= bit;
        }
    }
    (m, lf)
}

/// The high bit of every zero byte of `x`, exactly (no carries cross bytes).
#[inline]
fn zeros(x: u64) -> u64 {
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The first `a` or `b` in `data`, eight bytes at a time.
#[inline]
fn find_either(data: &[u8], a: u8, b: u8) -> Option<usize> {
    let (wa, wb) = (u64::from_ne_bytes([a; 8]), u64::from_ne_bytes([b; 8]));
    let mut i = 0;
    while let Some(w) = data.get(i..i + 8) {
        let w = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
        let m = zeros(w ^ wa) | zeros(w ^ wb);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    data[i..].iter().position(|&c| c == a || c == b).map(|k| i + k)
}

/// Where the scan for the end of a carried (unfinished) record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    CellStart,
    Unquoted,
    Quoted,
    /// Just after a quote inside a quoted cell: an escaped quote or the cell's end.
    QuotedQuote,
}

impl Scan {
    /// Feeds `data`; returns the index just past the record's line feed, if it is in `data`.
    fn feed(&mut self, data: &[u8]) -> Option<usize> {
        let mut i = 0;
        while i < data.len() {
            match *self {
                Scan::Quoted => match memchr(b'"', &data[i..]) {
                    Some(k) => {
                        *self = Scan::QuotedQuote;
                        i += k + 1;
                    }
                    None => return None,
                },
                Scan::Unquoted => match memchr2(b',', b'\n', &data[i..]) {
                    Some(k) if data[i + k] == b',' => {
                        *self = Scan::CellStart;
                        i += k + 1;
                    }
                    Some(k) => return Some(i + k + 1),
                    None => return None,
                },
                // After a quote inside a quoted cell, `"` is an escaped quote and `,` or LF
                // ends the cell; anything else is malformed, which the splitter reports.
                Scan::CellStart | Scan::QuotedQuote => {
                    match data[i] {
                        b'"' => *self = Scan::Quoted,
                        b',' => *self = Scan::CellStart,
                        b'\n' => return Some(i + 1),
                        _ => *self = Scan::Unquoted,
                    }
                    i += 1;
                }
            }
        }
        None
    }
}

/// Turns byte chunks into complete records, keeping only the unfinished last one.
#[derive(Debug)]
pub(crate) struct Splitter {
    carry: Vec<u8>,
    scan: Scan,
    cells: Cells,
}

impl Default for Splitter {
    fn default() -> Self {
        Self { carry: Vec::new(), scan: Scan::CellStart, cells: Cells::default() }
    }
}

impl Splitter {
    /// Bytes held for an unfinished record.
    pub(crate) fn carried(&self) -> usize {
        self.carry.len()
    }

    /// Calls `each` for every record completed by `chunk`.
    pub(crate) fn feed<E>(
        &mut self,
        chunk: &[u8],
        mut each: impl FnMut(Record<'_>) -> Result<(), E>,
    ) -> Result<(), Fail<E>> {
        let mut pos = 0;
        if !self.carry.is_empty() {
            match self.scan.feed(chunk) {
                Some(n) => {
                    self.carry.extend_from_slice(&chunk[..n]);
                    pos = n;
                    self.flush_carry(true, &mut each)?;
                }
                None => {
                    self.carry.extend_from_slice(chunk);
                    return Ok(());
                }
            }
        }
        while pos < chunk.len() {
            let data = &chunk[pos..];
            match split_record(data, false, &mut self.cells).map_err(Fail::Syntax)? {
                Some(n) => {
                    each(Record::new(&data[..n], &self.cells)).map_err(Fail::Inner)?;
                    pos += n;
                }
                None => {
                    self.carry.extend_from_slice(data);
                    self.scan = Scan::CellStart;
                    // The carried bytes hold no record end: scanning them cannot finish.
                    let _ = self.scan.feed(&self.carry);
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Ends the input: the carried bytes, if any, are the last record.
    pub(crate) fn finish<E>(&mut self, mut each: impl FnMut(Record<'_>) -> Result<(), E>) -> Result<(), Fail<E>> {
        if self.carry.is_empty() {
            return Ok(());
        }
        self.flush_carry(false, &mut each)
    }

    /// Splits the carried record; `complete`: it ends with its line feed.
    fn flush_carry<E>(
        &mut self,
        complete: bool,
        each: &mut impl FnMut(Record<'_>) -> Result<(), E>,
    ) -> Result<(), Fail<E>> {
        let carry = std::mem::take(&mut self.carry);
        self.scan = Scan::CellStart;
        let res = match split_record(&carry, true, &mut self.cells) {
            Ok(Some(n)) if n == carry.len() => each(Record::new(&carry, &self.cells)).map_err(Fail::Inner),
            // The scan and the splitter agree on record ends; anything else is malformed text.
            Ok(_) if complete => {
                Err(Fail::Syntax(Syntax("a quoted cell is followed by more text before the next `,`")))
            }
            Ok(_) => Err(Fail::Syntax(Syntax("a quoted cell is not closed"))),
            Err(e) => Err(Fail::Syntax(e)),
        };
        // Keep the allocation for the next carried record.
        self.carry = carry;
        self.carry.clear();
        res
    }
}

/// Why feeding stopped: malformed CSV, or the record callback's error.
#[derive(Debug)]
pub(crate) enum Fail<E> {
    Syntax(Syntax),
    Inner(E),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(chunks: &[&[u8]]) -> Result<Vec<Vec<String>>, &'static str> {
        let mut s = Splitter::default();
        let mut out = Vec::new();
        let mut each = |r: Record<'_>| {
            out.push((0..r.len()).map(|i| String::from_utf8(r.cell(i).to_vec()).unwrap()).collect::<Vec<_>>());
            Ok::<(), ()>(())
        };
        let msg = |f: Fail<()>| match f {
            Fail::Syntax(e) => e.0,
            Fail::Inner(()) => "inner",
        };
        for c in chunks {
            s.feed(c, &mut each).map_err(msg)?;
        }
        s.finish(&mut each).map_err(msg)?;
        Ok(out)
    }

    #[test]
    fn quoted_cells_hold_commas_quotes_and_newlines() {
        let body = b",a,\"b,c\",\"d\"\"e\",\"f\r\ng\"\r\n,,x\n\r\n\"\",last";
        let want: Vec<Vec<String>> = vec![
            vec!["".into(), "a".into(), "b,c".into(), "d\"e".into(), "f\ng".into()],
            vec!["".into(), "".into(), "x".into()],
            vec!["".into()],
            vec!["".into(), "last".into()],
        ];
        assert_eq!(split_all(&[body]).unwrap(), want);
        for i in 0..=body.len() {
            for j in i..=body.len() {
                let got = split_all(&[&body[..i], &body[i..j], &body[j..]]).unwrap();
                assert_eq!(got, want, "split at {i} and {j}");
            }
        }
    }

    #[test]
    fn lone_cr_inside_quotes_is_kept_and_bare_quotes_are_literal() {
        assert_eq!(split_all(&[b"\"a\rb\",c\"d\n"]).unwrap(), vec![vec!["a\rb".to_string(), "c\"d".into()]]);
    }

    #[test]
    fn malformed_quotes_are_errors() {
        assert_eq!(split_all(&[b"\"abc"]).unwrap_err(), "a quoted cell is not closed");
        assert_eq!(
            split_all(&[b"\"ab\"c,d\n"]).unwrap_err(),
            "a quoted cell is followed by more text before the next `,`"
        );
        assert_eq!(
            split_all(&[b"\"ab", b"\"c,d\n"]).unwrap_err(),
            "a quoted cell is followed by more text before the next `,`"
        );
    }

    #[test]
    fn a_long_quoted_cell_over_many_chunks_is_scanned_once() {
        let mut body = b",\"".to_vec();
        body.extend(std::iter::repeat_n(b'x', 100_000));
        body.extend_from_slice(b"\",1\r\n");
        let chunks: Vec<&[u8]> = body.chunks(7).collect();
        let got = split_all(&chunks).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0][1].len(), 100_000);
    }
}
