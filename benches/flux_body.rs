//! Annotated CSV as InfluxDB 2 writes it, for the flux_decode bench and the tests that
//! include this file (`tests/flux*.rs`).
//!
//! No InfluxDB 2 server runs here, so the bytes follow the server's encoder source (flux
//! `csv/result.go`, `ResultEncoder`): Go's `encoding/csv` writer with `UseCRLF` (a cell is
//! quoted when it holds `,` `"` CR or LF, starts with a space, or is `\.`; inside quotes CR is
//! dropped and LF written as CRLF), `dateTime:RFC3339` annotations with RFC3339Nano text
//! (trailing fraction zeros trimmed, `Z`), floats as Go's `FormatFloat(f, 'f', -1, 64)`
//! (shortest round-trip digits, no exponent; `NaN`, `+Inf`, `-Inf`), `#default` holding the
//! result name and data rows leaving the `result` cell empty.
#![allow(dead_code)]

use std::io::Write;

/// Appends one cell as Go's `csv.Writer` does (`crlf`: `UseCRLF`, as the server sets it).
pub(crate) fn write_cell(out: &mut Vec<u8>, s: &str, crlf: bool) {
    let quote = !s.is_empty()
        && (s == r"\." || s.contains([',', '"', '\r', '\n']) || s.chars().next().is_some_and(char::is_whitespace));
    if !quote {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    out.push(b'"');
    for b in s.bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\"\""),
            b'\r' if crlf => {}
            b'\n' if crlf => out.extend_from_slice(b"\r\n"),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

pub(crate) fn end_line(out: &mut Vec<u8>, crlf: bool) {
    out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`: Rust's `Display` prints the same digits.
pub(crate) fn write_double(out: &mut Vec<u8>, f: f64) {
    if f.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if f.is_infinite() {
        out.extend_from_slice(if f > 0.0 { b"+Inf" } else { b"-Inf" });
    } else {
        write!(out, "{f}").expect("writing to a Vec cannot fail");
    }
}

/// Go's `time.RFC3339Nano` in UTC.
pub(crate) fn write_time(out: &mut Vec<u8>, ns: i64) {
    let t = chrono::DateTime::from_timestamp_nanos(ns);
    write!(out, "{}", t.format("%Y-%m-%dT%H:%M:%S")).expect("writing to a Vec cannot fail");
    let frac = t.timestamp_subsec_nanos();
    if frac != 0 {
        let digits = format!("{frac:09}");
        out.push(b'.');
        out.extend_from_slice(digits.trim_end_matches('0').as_bytes());
    }
    out.push(b'Z');
}

/// Standard base64 with padding (Go's `base64.StdEncoding`).
pub(crate) fn write_base64(out: &mut Vec<u8>, bytes: &[u8]) {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        out.push(A[(n >> 18) as usize & 63]);
        out.push(A[(n >> 12) as usize & 63]);
        out.push(if c.len() > 1 { A[(n >> 6) as usize & 63] } else { b'=' });
        out.push(if c.len() > 2 { A[n as usize & 63] } else { b'=' });
    }
}

/// A column of a rendered table (besides `result` and `table`, which every table has first).
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) datatype: &'static str,
    pub(crate) group: bool,
    pub(crate) default: String,
}

/// The annotation rows (in `order`: 0 datatype, 1 group, 2 default) and the header.
pub(crate) fn write_head(out: &mut Vec<u8>, result: &str, columns: &[Column], order: [usize; 3], crlf: bool) {
    for a in order {
        match a {
            0 => {
                out.extend_from_slice(b"#datatype,string,long");
                for c in columns {
                    out.push(b',');
                    write_cell(out, c.datatype, crlf);
                }
            }
            1 => {
                out.extend_from_slice(b"#group,false,false");
                for c in columns {
                    out.extend_from_slice(if c.group { b",true" } else { b",false" });
                }
            }
            _ => {
                out.extend_from_slice(b"#default,");
                write_cell(out, result, crlf);
                out.push(b',');
                for c in columns {
                    out.push(b',');
                    write_cell(out, &c.default, crlf);
                }
            }
        }
        end_line(out, crlf);
    }
    out.extend_from_slice(b",result,table");
    for c in columns {
        out.push(b',');
        write_cell(out, &c.name, crlf);
    }
    end_line(out, crlf);
}

// ---- The bench answer: `from(bucket) |> range(...) |> filter(m == "cpu") |> pivot(...)` ----

/// Rows per table (one table per host/region/zone series).
pub(crate) const ROWS_PER_TABLE: usize = 2_000;
const START: &str = "2023-11-14T00:00:00Z";
const STOP: &str = "2023-11-24T00:00:00Z";
const T0: i64 = 1_700_000_000_000_000_000;

/// The pivoted schema: three tags, one field of each type the server stores.
pub(crate) fn cpu_columns() -> Vec<Column> {
    let c = |name: &str, datatype, group| Column { name: name.into(), datatype, group, default: String::new() };
    vec![
        c("_start", "dateTime:RFC3339", true),
        c("_stop", "dateTime:RFC3339", true),
        c("_time", "dateTime:RFC3339", false),
        c("_measurement", "string", true),
        c("host", "string", true),
        c("region", "string", true),
        c("zone", "string", true),
        c("b", "boolean", false),
        c("f", "double", false),
        c("i", "long", false),
        c("s", "string", false),
        c("u", "unsignedLong", false),
    ]
}

/// The values of row `n` (global): (time ns, host, region, zone, b, f, i, s, u).
pub(crate) fn cpu_values(n: usize) -> (i64, String, String, String, bool, f64, i64, String, u64) {
    let k = n / ROWS_PER_TABLE;
    (
        T0 + n as i64 * 1_000_000_000 + (n % 1000) as i64 * 1_000_001,
        format!("host-{k}"),
        format!("region-{}", k % 7),
        format!("zone {}", k % 3),
        n % 3 == 0,
        n as f64 * 0.37 + 0.5,
        n as i64 * 37 - 5_000_000,
        format!("msg \"{n}\" ok"),
        n as u64 * 1_000_003,
    )
}

/// Appends data row `n` (CRLF, as the server writes it): the cells `cpu_values(n)` renders
/// with `write_time`, `write_double` and `write_cell`, written without allocating (the
/// 5,000,000-row test generates 800 MiB of it).
pub(crate) fn write_cpu_row(out: &mut Vec<u8>, n: usize) {
    let k = n / ROWS_PER_TABLE;
    let mut b = itoa::Buffer::new();
    out.extend_from_slice(b",,");
    out.extend_from_slice(b.format(k).as_bytes());
    out.push(b',');
    out.extend_from_slice(START.as_bytes());
    out.push(b',');
    out.extend_from_slice(STOP.as_bytes());
    out.push(b',');
    write_time_fast(out, T0 + n as i64 * 1_000_000_000 + (n % 1000) as i64 * 1_000_001);
    out.extend_from_slice(b",cpu,host-");
    out.extend_from_slice(b.format(k).as_bytes());
    out.extend_from_slice(b",region-");
    out.extend_from_slice(b.format(k % 7).as_bytes());
    out.extend_from_slice(b",zone ");
    out.extend_from_slice(b.format(k % 3).as_bytes());
    out.extend_from_slice(if n % 3 == 0 { b",true," } else { b",false," });
    write_double(out, n as f64 * 0.37 + 0.5);
    out.push(b',');
    out.extend_from_slice(b.format(n as i64 * 37 - 5_000_000).as_bytes());
    // `msg "n" ok`, quoted as Go quotes it.
    out.extend_from_slice(b",\"msg \"\"");
    out.extend_from_slice(b.format(n).as_bytes());
    out.extend_from_slice(b"\"\" ok\",");
    out.extend_from_slice(b.format(n as u64 * 1_000_003).as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// `write_time` without chrono, for times after 1970 (the bench's).
fn write_time_fast(out: &mut Vec<u8>, ns: i64) {
    let (secs, frac) = (ns.div_euclid(1_000_000_000), ns.rem_euclid(1_000_000_000));
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let two = |out: &mut Vec<u8>, v: i64| out.extend_from_slice(&[b'0' + (v / 10) as u8, b'0' + (v % 10) as u8]);
    two(out, y / 100);
    two(out, y % 100);
    out.push(b'-');
    two(out, m);
    out.push(b'-');
    two(out, d);
    out.push(b'T');
    two(out, sod / 3600);
    out.push(b':');
    two(out, sod / 60 % 60);
    out.push(b':');
    two(out, sod % 60);
    if frac != 0 {
        let mut digits = [0u8; 9];
        let mut f = frac;
        for slot in digits.iter_mut().rev() {
            *slot = b'0' + (f % 10) as u8;
            f /= 10;
        }
        let len = 9 - digits.iter().rev().take_while(|&&c| c == b'0').count();
        out.push(b'.');
        out.extend_from_slice(&digits[..len]);
    }
    out.push(b'Z');
}

pub(crate) fn write_cpu_head(out: &mut Vec<u8>) {
    write_head(out, "_result", &cpu_columns(), [0, 1, 2], true);
}

/// The whole answer over `rows` rows.
pub(crate) fn cpu_body(rows: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 160 + 500);
    write_cpu_head(&mut out);
    for n in 0..rows {
        write_cpu_row(&mut out, n);
    }
    out
}

/// The same answer produced piece by piece, `chunk` bytes each (cut anywhere, mid-record
/// too, as a network read would be), never whole.
pub(crate) struct CpuChunks {
    next: usize,
    rows: usize,
    chunk: usize,
    buf: Vec<u8>,
}

impl CpuChunks {
    pub(crate) fn new(rows: usize, chunk: usize) -> Self {
        let mut buf = Vec::with_capacity(chunk + 400);
        write_cpu_head(&mut buf);
        Self { next: 0, rows, chunk, buf }
    }
}

impl Iterator for CpuChunks {
    type Item = Vec<u8>;
    fn next(&mut self) -> Option<Vec<u8>> {
        while self.buf.len() < self.chunk && self.next < self.rows {
            write_cpu_row(&mut self.buf, self.next);
            self.next += 1;
        }
        if self.buf.is_empty() {
            return None;
        }
        let rest = self.buf.split_off(self.chunk.min(self.buf.len()));
        Some(std::mem::replace(&mut self.buf, rest))
    }
}
