//! The blocking client against a real influxd, from plain threads and from inside tokio runtimes.
use crate::support;

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
    assert!(c.ping().unwrap().version().starts_with("1."));
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

/// Blocking parity: the batching writer (with its reports), `query_each` and `query_chunks`.
#[test]
fn writer_query_each_and_query_chunks() {
    use influx::writer::WriterOptions;
    use influx::Point;
    let c = client("blocking_writer");
    let writer = c.writer::<Point>(WriterOptions::new().batch_size(100)).unwrap();
    let points: Vec<Point> = (0..1000_i64)
        .map(|i| Point::new("m").tag("h", if i % 2 == 0 { "a" } else { "b" }).field("v", i).timestamp(i))
        .collect();
    writer.write_all(&points).unwrap();
    writer.write(&Point::new("m").tag("h", "c").field("v", 1000_i64).timestamp(1000_i64)).unwrap();
    writer.flush().unwrap();
    assert_eq!(writer.stats().buffered, 0);
    let report = writer.close().unwrap();
    assert!(report.is_complete(), "{report:?}");
    assert_eq!((report.stats.accepted, report.stats.written), (1001, 1001));

    let mut seen = std::collections::BTreeMap::new();
    c.query_each("SELECT v FROM m GROUP BY h", |(_, v): (i64, i64), s| {
        *seen.entry(s.tags().to_string()).or_insert(0) += v;
    })
    .unwrap();
    let even: i64 = (0..1000).step_by(2).sum();
    let want = [("h=a".to_owned(), even), ("h=b".to_owned(), 499_500 - even), ("h=c".to_owned(), 1000)];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), want);

    let chunks: Vec<_> =
        c.query_chunks(Query::new("SELECT v FROM m WHERE time < 26").chunk_size(10)).unwrap().collect();
    let sizes: Vec<usize> = chunks.iter().map(|c| c.as_ref().unwrap().iter_points().count()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 26, "{sizes:?}");
    assert!(sizes.len() >= 3 && sizes.iter().all(|&n| n <= 10), "{sizes:?}");
    let err = c.query_chunks("SELECT * FROM nope..m").unwrap().next().unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Query);

    // Failures come back typed, from next_failure and in the report.
    let mut gone = c.clone();
    gone.switch_database("blocking_writer_no_such_db");
    let writer = gone.untyped_writer(WriterOptions::new().batch_size(2)).unwrap();
    for i in 0..4 {
        writer.write_line(&format!("m v={i}i {i}")).unwrap();
    }
    let failed = writer.next_failure().unwrap();
    assert_eq!(failed.error().kind(), ErrorKind::DatabaseNotFound);
    assert_eq!(failed.len(), 2);
    let report = writer.close().unwrap();
    assert_eq!(report.stats.failed, 4);
    assert_eq!(report.failed.iter().map(|b| b.len()).sum::<usize>(), 2, "the one not taken yet");
}

#[test]
fn blocking_writer_inside_a_current_thread_runtime() {
    let c = client("blocking_writer_rt");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let written = rt.block_on(async move {
        let w = c.untyped_writer(influx::writer::WriterOptions::new()).unwrap();
        w.write_line("m v=1i 1").unwrap();
        let sync = c.untyped_writer(influx::writer::WriterOptions::new().mode(influx::writer::WriteMode::Synchronous));
        sync.unwrap().write_line("m v=2i 2").unwrap();
        let report = w.close_within(std::time::Duration::from_secs(30)).unwrap();
        let mut n = 0;
        c.query_each("SELECT v FROM m", |_: (i64, i64), _| n += 1).unwrap();
        (report.stats.written, n)
    });
    assert_eq!(written, (1, 2));
}
