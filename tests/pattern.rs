//! `query_pattern!` end to end: rendering without a server, then against a real influxd.
use crate::support;

use influx::influxql::{Duration, Measurement, Regex};
use influx::{Client, Ident, Render};

influx::query_pattern! {
    /// Queries used by these tests.
    pub trait TestQueries {
        /// All rows of one host.
        fn by_host(host: &str) -> Vec<Tagged> = "SELECT * FROM m WHERE host = {host}";
        fn recent(host: &str, days: u32) = "SELECT mean(v) FROM m WHERE host = {host} AND time > now() - {days}d";
        fn positional(a: i64, b: f64, c: bool) = "SELECT * FROM m WHERE a = {} AND b > {} AND c = {}";
        fn from_source(m: Measurement<'_>, field: Ident<'_>, n: u64) = "SELECT {field} FROM {m} LIMIT {n}";
        fn regex(re: Regex<'_>) = "SHOW MEASUREMENTS WITH MEASUREMENT =~ {re}";
        fn drop_db(db: Ident<'_>) = "DROP DATABASE {db}";
        fn grouped(every: Duration) = "SELECT count(v) FROM m GROUP BY time({every})";
        fn idx_by_name(name: &str) -> Vec<(i64, i64)> = "SELECT idx FROM hostile WHERE label = {name}";
        fn idx_by_name_regex(re: Regex<'_>) -> Vec<(i64, i64)> = "SELECT idx FROM hostile WHERE label =~ {re}";
        fn idx_from(m: Measurement<'_>) -> Vec<(i64, i64)> = "SELECT idx FROM {m}";
        fn first_idx(name: &str) -> Option<(i64, i64)> = "SELECT idx FROM hostile WHERE label = {name}";
        fn idx_field(field: Ident<'_>) -> Vec<(i64, i64)> = "SELECT {field} FROM hostile WHERE idx = 0";
    }
}

/// One row of `SELECT *` over `m`: time, a, b, c, host, v.
pub(crate) type Tagged = influx::SerdeRow<std::collections::HashMap<String, serde_json::Value>>;

#[test]
fn renders_without_a_server() {
    let q = Render.by_host("a'b").unwrap();
    assert_eq!(q.text(), r"SELECT * FROM m WHERE host = 'a\'b'");
    assert_eq!(q.method(), influx::QueryMethod::Get);
    assert_eq!(Render.recent("x", 7).unwrap().text(), "SELECT mean(v) FROM m WHERE host = 'x' AND time > now() - 7d");
    assert_eq!(
        Render.positional(-1, 2.0, true).unwrap().text(),
        "SELECT * FROM m WHERE a = -1 AND b > 2.0 AND c = true"
    );
    assert_eq!(
        Render.from_source(Measurement::new("m\"x").database("db"), Ident::new("f"), 5).unwrap().text(),
        r#"SELECT "f" FROM "db".."m\"x" LIMIT 5"#
    );
    assert_eq!(Render.regex(Regex::new("^a/b")).unwrap().text(), r"SHOW MEASUREMENTS WITH MEASUREMENT =~ /^a\/b/");
    let d = Render.drop_db(Ident::new("x\" ; DROP MEASUREMENT \"y")).unwrap();
    assert_eq!(d.text(), r#"DROP DATABASE "x\" ; DROP MEASUREMENT \"y""#);
    assert_eq!(d.method(), influx::QueryMethod::Post);
    assert_eq!(Render.grouped(Duration::from_mins(5)).unwrap().text(), "SELECT count(v) FROM m GROUP BY time(5m)");
    let e = Render.positional(1, f64::NAN, false).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Argument);
    assert!(e.to_string().starts_with("placeholder `{b}`"), "{e}");
}

/// The injection corpus of reliability.md §4 item 33.
const HOSTILE: &[&str] = &[
    "'",
    "\"",
    "\\",
    "\\'",
    "line\nbreak",
    ";",
    "--",
    "/*",
    "x'; DROP DATABASE \"t\"; --",
    "'; DROP DATABASE x; --",
    "x\" ; DROP MEASUREMENT \"y",
    "\u{2019} \u{ff07} \u{201c} look-alike quotes",
    "trailing\\",
    "' OR 1=1 OR label = '",
    "tab\there é ✓ 🦀",
    "{host}",
    "a/b\\/c",
];

/// A line-protocol string field value.
fn lp_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A line-protocol measurement name.
fn lp_measurement(s: &str) -> String {
    s.replace(',', "\\,").replace(' ', "\\ ")
}

fn seed(url: &str, db: &str) {
    let mut body = String::new();
    for (i, v) in HOSTILE.iter().enumerate() {
        body += &format!("hostile idx={i}i,label={} {}\n", lp_string(v), i + 1);
    }
    body += "y v=1i 1\n";
    for (i, m) in ["x\" ; DROP MEASUREMENT \"y", "db.rp.m", "back\\slash, 'q'"].iter().enumerate() {
        body += &format!("{} idx={}i {}\n", lp_measurement(m), 100 + i, i + 1);
    }
    let (status, text) = support::http(url, "POST", &format!("/write?db={db}"), None, "", body.trim_end().as_bytes());
    assert_eq!(status, 204, "{text}");
}

fn assert_intact(url: &str, db: &str) {
    let dbs = support::admin_query(url, "SHOW DATABASES");
    assert!(dbs.contains(&format!("\"{db}\"")), "database dropped: {dbs}");
    let m = support::admin_query(url, &format!("SHOW MEASUREMENTS ON \"{db}\""));
    assert!(m.contains("[\"y\"]"), "measurement y dropped: {m}");
}

#[tokio::test]
async fn hostile_values_match_only_their_row() {
    let url = support::url();
    let db = support::create_db(&url, "pattern_hostile");
    seed(&url, &db);
    let client = Client::new(&url, &db).unwrap();
    for (i, v) in HOSTILE.iter().enumerate() {
        let i = i as i64;
        let rows = client.idx_by_name(v).await.unwrap_or_else(|e| panic!("{v:?}: {e}"));
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), vec![i], "value {v:?}");
        assert_eq!(client.first_idx(v).await.unwrap().map(|r| r.1), Some(i), "value {v:?}");
        let rows = client.idx_by_name_regex(Regex::exact(v)).await.unwrap_or_else(|e| panic!("{v:?}: {e}"));
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), vec![i], "regex {v:?}");
        // The same value as a server-side bound parameter selects the same row.
        let bound = influx::Query::new("SELECT idx FROM hostile WHERE label = $v").bind("v", *v);
        let rows: Vec<(i64, i64)> = client.query_as(bound).await.unwrap();
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), vec![i], "bound {v:?}");
        // One statement went to the server, and only one came back.
        let raw = client.query(Render.idx_by_name(v).unwrap()).await.unwrap();
        assert_eq!(raw.results.len(), 1, "{v:?}: {raw:?}");
        assert_eq!(raw.results[0].statement_id, 0);
    }
    assert_intact(&url, &db);
}

#[tokio::test]
async fn hostile_identifiers_are_quoted_per_segment() {
    let url = support::url();
    let db = support::create_db(&url, "pattern_idents");
    seed(&url, &db);
    let client = Client::new(&url, &db).unwrap();
    for (i, m) in ["x\" ; DROP MEASUREMENT \"y", "db.rp.m", "back\\slash, 'q'"].iter().enumerate() {
        let rows = client.idx_from(Measurement::new(m)).await.unwrap_or_else(|e| panic!("{m:?}: {e}"));
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), vec![100 + i as i64], "{m:?}");
        let qualified = Measurement::new(m).database(&db).retention_policy("autogen");
        assert_eq!(client.idx_from(qualified).await.unwrap().len(), 1, "{m:?}");
        assert_eq!(client.idx_from(Measurement::new(m).database(&db)).await.unwrap().len(), 1, "{m:?}");
    }
    // A name with dots is one identifier, not db.rp.m.
    assert!(client.idx_from(Measurement::new("m").database("db").retention_policy("rp")).await.is_err());
    let rows = client.idx_field(Ident::new("idx")).await.unwrap();
    assert_eq!(rows, vec![(1, 0)]);
    assert_intact(&url, &db);
}

#[test]
fn the_same_trait_runs_on_the_blocking_client() {
    let url = support::url();
    let db = support::create_db(&url, "pattern_blocking");
    seed(&url, &db);
    let client = influx::blocking::Client::new(&url, &db).unwrap();
    for (i, v) in HOSTILE.iter().enumerate() {
        let rows = client.idx_by_name(v).unwrap();
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), vec![i as i64], "value {v:?}");
    }
    let e = client.positional(1, f64::INFINITY, true).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Argument);
    assert_intact(&url, &db);
}

/// A derived row type: the column check runs against its schema at compile time.
#[derive(Debug, Clone, PartialEq, influx::InfluxPoint)]
#[influx(measurement = "cpu_stats")]
pub(crate) struct HostLoad {
    #[tag]
    host: String,
    load: f64,
    #[time]
    time: i64,
}

influx::query_pattern! {
    trait LoadQueries {
        fn host_load(host: &str, since: chrono::DateTime<chrono::Utc>) -> Vec<HostLoad> =
            "SELECT mean(load) AS load FROM cpu_stats WHERE host = {host} AND time >= {since} GROUP BY host";
        fn raw_loads(hosts: Regex<'_>) -> Vec<HostLoad> = "SELECT host, load FROM cpu_stats WHERE host =~ {hosts}";
        fn stream_all() -> influx::RowStream<HostLoad> = "SELECT * FROM cpu_stats";
        /// `{*}`: exactly the row type's columns.
        fn columns_of(host: &str) -> Vec<HostLoad> = "SELECT {*} FROM cpu_stats WHERE host = {host}";
    }
}

#[tokio::test]
async fn derived_rows_through_patterns() {
    use futures::TryStreamExt;
    let url = support::url();
    let db = support::create_db(&url, "pattern_derive");
    let client = Client::new(&url, &db).unwrap();
    let points = [
        HostLoad { host: "a'1".into(), load: 1.0, time: 1_000_000_000 },
        HostLoad { host: "a'1".into(), load: 3.0, time: 2_000_000_000 },
        HostLoad { host: "b".into(), load: 5.0, time: 3_000_000_000 },
    ];
    client.write(&points).await.unwrap();
    let since = chrono::DateTime::from_timestamp(1, 0).unwrap();
    let rows = client.host_load("a'1", since).await.unwrap();
    assert_eq!(rows, vec![HostLoad { host: "a'1".into(), load: 2.0, time: 1_000_000_000 }]);
    let later = chrono::DateTime::from_timestamp(2, 1).unwrap();
    assert_eq!(client.host_load("a'1", later).await.unwrap(), vec![]);
    let rows = client.raw_loads(Regex::exact("a'1")).await.unwrap();
    assert_eq!(rows, points[..2].to_vec());
    let streamed: Vec<HostLoad> = client.stream_all().await.unwrap().try_collect().await.unwrap();
    assert_eq!(streamed, points.to_vec());
    assert_eq!(Render.columns_of("b").unwrap().text(), r#"SELECT "host", "load" FROM cpu_stats WHERE host = 'b'"#);
    assert_eq!(client.columns_of("b").await.unwrap(), points[2..].to_vec());
    assert_eq!(
        Render.host_load("x", since).unwrap().text(),
        "SELECT mean(load) AS load FROM cpu_stats WHERE host = 'x' AND time >= '1970-01-01T00:00:01Z' GROUP BY host"
    );
}
