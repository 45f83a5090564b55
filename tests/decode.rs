//! The response shape the decode bench synthesizes is the one the real server sends, and
//! the server facts the decoder relies on (partial flags) hold.
use crate::support;

use influx::{Client, ErrorKind, Query, WriteOptions};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[path = "../benches/decode_body.rs"]
mod decode_body;

#[test]
fn bench_body_matches_the_servers_bytes() {
    use decode_body::Floats;
    let url = support::url();
    for floats in [Floats::Short, Floats::Full] {
        let db = support::create_db(&url, "shape");
        let c = Client::new(&url, &db).unwrap();
        let mut lp = String::new();
        for n in 0..6usize {
            lp += &format!(
                "cpu,host=host-{},region=region-{},zone=zone\\ {} b={},f={},i={}i,s=\"msg \\\"{n}\\\" ok\" {}\n",
                n % 100,
                n % 7,
                n % 3,
                n % 3 == 0,
                decode_body::float(n, floats),
                n as i64 * 37 - 5_000_000,
                1_700_000_000_000_000_000i64 + n as i64 * 1_000_000_000
            );
        }
        rt().block_on(c.write_lp(lp, &WriteOptions::new())).unwrap();
        let (status, body) = support::http(
            &url,
            "GET",
            &format!("/query?db={db}&epoch=ns&q={}", support::form_encode("SELECT * FROM cpu")),
            None,
            "",
            b"",
        );
        assert_eq!(status, 200);
        let expected = String::from_utf8(decode_body::body(6, false, floats)).unwrap();
        assert_eq!(body.trim_end(), expected, "{floats:?}");
    }
}

#[test]
fn complete_non_chunked_answers_over_10000_rows_are_marked_partial() {
    let url = support::url();
    let db = support::create_db(&url, "partial");
    let c = Client::new(&url, &db).unwrap();
    let lp: Vec<String> = (0..10_001).map(|i| format!("m v={i}i {i}")).collect();
    rt().block_on(c.write_lp(lp.join("\n"), &WriteOptions::new())).unwrap();
    // InfluxDB 1.6 leaves `"partial":true` on a merged series although nothing is missing:
    // a non-chunked answer cannot tell truncation from completeness, so we refuse it...
    let (_, body) = support::http(&url, "GET", &format!("/query?db={db}&q=SELECT+v+FROM+m"), None, "", b"");
    assert!(body.contains(r#""partial":true"#));
    let err = rt().block_on(c.query_as::<(i64, i64)>(Query::new("SELECT v FROM m").chunked(false))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Truncated);
    // ...and chunked answers (the default) are exact.
    assert_eq!(rt().block_on(c.query_as::<(i64, i64)>("SELECT v FROM m")).unwrap().len(), 10_001);
}
