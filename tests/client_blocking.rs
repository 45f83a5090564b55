//! The blocking client against a real influxd, from plain threads and from inside tokio runtimes.
mod support;

use influx::blocking::Client;
use influx::{ErrorKind, Query, WriteOptions};

fn client(name: &str) -> Client {
    let url = support::url();
    let db = support::create_db(&url, name);
    Client::new(url, db).unwrap()
}

#[test]
fn same_methods_without_a_runtime() {
    let c = client("blocking");
    assert!(c.ping().unwrap().starts_with("1."));
    c.write_lp("m,h=a v=1i 1\nm,h=b v=2i 2", &WriteOptions::new()).unwrap();
    let rows: Vec<(i64, i64)> = c.query_as("SELECT v FROM m").unwrap();
    assert_eq!(rows, vec![(1, 1), (2, 2)]);
    let raw = c.query("SELECT v FROM m GROUP BY h").unwrap();
    assert_eq!(raw.results[0].series.len(), 2);
    let multi = c.query_multi("SELECT v FROM m; SHOW TAG KEYS").unwrap();
    assert_eq!(multi.rows::<(String,)>(1).unwrap(), vec![("h".to_owned(),)]);
    let iter: Vec<(i64, i64)> =
        c.query_iter::<(i64, i64)>(Query::new("SELECT v FROM m").chunk_size(1)).unwrap().map(Result::unwrap).collect();
    assert_eq!(iter.len(), 2);
    assert_eq!(c.tag_info(Some("m")).unwrap()["m"]["h"], vec!["a", "b"]);
    let err = c.query_as::<(i64,)>("SELECT * FROM nope..m").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Query);
    let mut other = c.clone();
    other.switch_database("nope_db");
    assert_eq!(other.write_lp("m v=1i", &WriteOptions::new()).unwrap_err().kind(), ErrorKind::DatabaseNotFound);
    assert_eq!(c.query_as::<(i64, i64)>("SELECT v FROM m").unwrap().len(), 2);
}

#[test]
fn works_inside_a_current_thread_runtime() {
    let c = client("in_current_thread");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // Inside an async task on the only runtime thread: must not deadlock.
    let n = rt.block_on(async move {
        c.write_lp("m v=1i 1", &WriteOptions::new()).unwrap();
        let rows: Vec<(i64, i64)> = c.query_as("SELECT v FROM m").unwrap();
        // Dropping the blocking client inside the runtime must not panic either.
        drop(c);
        rows.len()
    });
    assert_eq!(n, 1);
}

#[test]
fn works_inside_a_multi_thread_runtime_and_when_created_there() {
    let url = support::url();
    let db = support::create_db(&url, "in_multi_thread");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let rows = rt.block_on(async move {
        let c = Client::new(url, db).unwrap();
        c.write_lp("m v=1i 1\nm v=2i 2", &WriteOptions::new()).unwrap();
        let it = c.query_iter::<(i64, i64)>("SELECT v FROM m").unwrap();
        it.map(Result::unwrap).collect::<Vec<_>>()
    });
    assert_eq!(rows, vec![(1, 1), (2, 2)]);
}

#[test]
fn blocking_errors_are_typed_and_immediate() {
    let c = Client::new("http://127.0.0.1:1", "d").unwrap();
    assert!(c.ping().unwrap_err().is_connect());
    assert_eq!(Client::from_dsn("bogus").unwrap_err().kind(), ErrorKind::Builder);
}
