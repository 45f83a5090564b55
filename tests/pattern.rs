//! `query_pattern!` end to end: rendering without a server, then against a real influxd.
mod support;

use influx::influxql::{Duration, Measurement, Regex};
use influx::{Ident, Render};

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
    }
}

#[derive(Debug, PartialEq)]
pub struct Tagged {
    host: String,
}

impl influx::__private::influx_core::pattern::FromRow for Tagged {
    fn from_row(row: &influx::__private::influx_core::pattern::Row<'_>) -> influx::Result<Self> {
        Ok(Tagged { host: row.string("host")? })
    }
}

impl influx::__private::PatternRow for Tagged {
    const REQUIRED_COLUMNS: &'static [&'static str] = &["host"];
}

#[test]
fn renders_without_a_server() {
    let q = Render.by_host("a'b").unwrap();
    assert_eq!(q.text(), r"SELECT * FROM m WHERE host = 'a\'b'");
    assert_eq!(q.method(), "GET");
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
    assert_eq!(d.method(), "POST");
    assert_eq!(Render.grouped(Duration::from_mins(5)).unwrap().text(), "SELECT count(v) FROM m GROUP BY time(5m)");
    let e = Render.positional(1, f64::NAN, false).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Argument);
    assert!(e.to_string().starts_with("placeholder `{b}`"), "{e}");
}
