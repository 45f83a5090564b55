//! The `/query` body the decode bench decodes. `tests/decode.rs` includes this file too and
//! checks that the real server sends exactly these bytes for the same points.
#![allow(dead_code)]

use std::io::Write;

/// Row `n`, as InfluxDB 1.6 writes it in a `SELECT * FROM cpu` answer with `epoch=ns`.
pub(crate) fn write_row(out: &mut Vec<u8>, n: usize) {
    let f = n as f64 * 0.25 + 0.5;
    write!(
        out,
        r#"[{},{},{},"host-{}",{},"region-{}","msg \"{}\" ok","zone {}"]"#,
        1_700_000_000_000_000_000i64 + n as i64 * 1_000_000_000,
        n % 3 == 0,
        ryu::Buffer::new().format_finite(f).trim_end_matches(".0"),
        n % 100,
        n as i64 * 37 - 5_000_000,
        n % 7,
        n,
        n % 3
    )
    .expect("writing to a Vec cannot fail");
}

/// The whole answer over `rows` rows; `partial` as the server marks a non-chunked series
/// of more than 10,000 rows.
pub(crate) fn body(rows: usize, partial: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 100 + 200);
    out.extend_from_slice(
        br#"{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","b","f","host","i","region","s","zone"],"values":["#,
    );
    for n in 0..rows {
        if n > 0 {
            out.push(b',');
        }
        write_row(&mut out, n);
    }
    out.extend_from_slice(if partial { br#"],"partial":true}]}]}"# } else { br#"]}]}]}"# });
    out
}
