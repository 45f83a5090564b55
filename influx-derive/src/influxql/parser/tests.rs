use super::*;

fn ok(q: &str) -> Analysis {
    analyze(q).unwrap_or_else(|e| panic!("`{q}`: {} at {:?}", e.message, e.span))
}

fn err(q: &str) -> QlError {
    match analyze(q) {
        Ok(a) => panic!("`{q}` parsed: {a:?}"),
        Err(e) => e,
    }
}

fn roles(q: &str) -> Vec<(Option<String>, Role)> {
    ok(q).placeholders.into_iter().map(|p| (p.name, p.role)).collect()
}

fn columns(q: &str) -> Vec<String> {
    match ok(q).projection {
        Some(Projection::Columns(c)) => c.into_iter().map(|(n, _)| n).collect(),
        other => panic!("`{q}`: {other:?}"),
    }
}

fn n(s: &str) -> Option<String> {
    Some(s.to_owned())
}

#[test]
fn accepts_the_statements_clients_send() {
    for q in [
        "SELECT * FROM cpu",
        "SELECT mean(load) AS load FROM cpu_stats WHERE host = 'a' AND time > now() - 7d",
        "SELECT max(load) FROM cpu_stats WHERE host = 'a' GROUP BY time(1d), host fill(none)",
        "SELECT \"value\"::float, b FROM \"db\".\"rp\".\"m\", db..m2, /re/ WHERE x =~ /a\\/b/ ORDER BY time DESC LIMIT 10 OFFSET 2 SLIMIT 1 SOFFSET 1 tz('Europe/Paris')",
        "SELECT count(*) FROM m GROUP BY *",
        "SELECT top(v, 3), percentile(v, 95.5) FROM m",
        "SELECT mean(v) INTO db.rp.:MEASUREMENT FROM /.*/ GROUP BY time(1m, -30s)",
        "SELECT a FROM (SELECT b AS a FROM m) WHERE a > -1.5",
        "SELECT v FROM m WHERE time >= '2026-01-01T00:00:00Z' AND (a = 1 OR b != true) AND c <> $p;",
        "SHOW DATABASES",
        "SHOW MEASUREMENTS ON db WITH MEASUREMENT =~ /cpu.*/ WHERE host = 'a' LIMIT 5",
        "SHOW SERIES ON db FROM m WHERE t = 'x'",
        "SHOW TAG KEYS ON db FROM m",
        "SHOW TAG VALUES ON db FROM m WITH KEY = host",
        "SHOW TAG VALUES FROM m WITH KEY IN (a, \"b\")",
        "SHOW FIELD KEYS ON db FROM m",
        "SHOW RETENTION POLICIES ON db",
        "SHOW CONTINUOUS QUERIES",
        "SHOW USERS",
        "SHOW GRANTS FOR bob",
        "SHOW SERIES EXACT CARDINALITY ON db",
        "CREATE DATABASE db WITH DURATION 1d REPLICATION 1 SHARD DURATION 1h NAME rp",
        "CREATE RETENTION POLICY rp ON db DURATION INF REPLICATION 1 SHARD DURATION 1w DEFAULT",
        "ALTER RETENTION POLICY rp ON db DURATION 2d DEFAULT",
        "CREATE USER bob WITH PASSWORD 'x\\'y' WITH ALL PRIVILEGES",
        "SET PASSWORD FOR bob = 'new'",
        "GRANT READ ON db TO bob",
        "GRANT ALL PRIVILEGES TO bob",
        "REVOKE ALL ON db FROM bob",
        "REVOKE ALL PRIVILEGES FROM bob",
        "CREATE CONTINUOUS QUERY cq ON db RESAMPLE EVERY 10s FOR 2m BEGIN SELECT mean(v) INTO m2 FROM m GROUP BY time(1m) END",
        "DROP CONTINUOUS QUERY cq ON db",
        "DROP SERIES FROM m WHERE host = 'a'",
        "DELETE FROM m WHERE time < now() - 1h",
        "DROP DATABASE db",
        "DROP RETENTION POLICY rp ON db",
        "KILL QUERY 12",
        "EXPLAIN ANALYZE SELECT * FROM m",
        "select * from cpu where host = 'a' -- comment\n",
    ] {
        ok(q);
    }
}

#[test]
fn http_method_follows_the_statement() {
    assert!(!ok("SELECT * FROM m").writes);
    assert!(!ok("SHOW DATABASES").writes);
    assert!(ok("SELECT * INTO m2 FROM m").writes);
    for q in ["CREATE DATABASE x", "DROP MEASUREMENT m", "DELETE FROM m", "GRANT READ ON d TO u", "KILL QUERY 1"] {
        assert!(ok(q).writes, "{q}");
    }
    assert_eq!(ok("SHOW TAG VALUES FROM m WITH KEY = k").kind, "SHOW TAG VALUES");
    assert_eq!(ok("GRANT ALL TO u").kind, "GRANT ADMIN");
}

#[test]
fn projected_column_names() {
    assert_eq!(columns("SELECT mean(load) AS load, host FROM m"), ["load", "host"]);
    assert_eq!(columns("SELECT mean(load), MAX(x) FROM m"), ["mean", "max"]);
    assert_eq!(columns("SELECT a + b * 2, mean(a) / max(b), (c) FROM m"), ["a_b", "mean_max", "c"]);
    assert_eq!(columns("SELECT \"my field\"::float FROM m"), ["my field"]);
    assert_eq!(columns("SELECT -x FROM m"), ["x"]);
    assert_eq!(ok("SELECT *, a FROM m").projection, Some(Projection::Open));
    assert_eq!(ok("SELECT {f} FROM m").projection, Some(Projection::Open));
    assert_eq!(columns("SELECT {f} AS v FROM m"), ["v"]);
    assert_eq!(ok("SHOW DATABASES").projection, None);
    let a = ok("SELECT mean(v) FROM m GROUP BY time(1m), host, \"region\"");
    assert_eq!((a.group_by, a.group_by_all), (vec!["host".to_owned(), "region".to_owned()], false));
    assert!(ok("SELECT mean(v) FROM m GROUP BY *").group_by_all);
    assert!(ok("SELECT mean(v) FROM m GROUP BY {t}").group_by_all);
    let m: Vec<_> = ok("SELECT * FROM a, db.rp.b, db..c, /r/").measurements.into_iter().map(|(m, _)| m).collect();
    assert_eq!(m, ["a", "b", "c"]);
}

#[test]
fn placeholder_roles() {
    assert_eq!(
        roles("SELECT mean({f}) FROM {m} WHERE host = {host} AND time > now() - {days}d GROUP BY {tag}, time({i}) LIMIT {n}"),
        vec![
            (n("f"), Role::Ident),
            (n("m"), Role::Source),
            (n("host"), Role::Value),
            (n("days"), Role::DurationCount("d".into())),
            (n("tag"), Role::Ident),
            (n("i"), Role::Duration),
            (n("n"), Role::Integer),
        ]
    );
    assert_eq!(
        roles("SELECT top(v, {}) FROM m WHERE a =~ {} AND b > -{}"),
        vec![(None, Role::Value), (None, Role::Regex), (None, Role::Value)]
    );
    assert_eq!(roles("CREATE USER {u} WITH PASSWORD {p}"), vec![(n("u"), Role::Ident), (n("p"), Role::Str)]);
    assert_eq!(
        roles("CREATE RETENTION POLICY {rp} ON {db} DURATION {d} REPLICATION {r} SHARD DURATION {s}h"),
        vec![
            (n("rp"), Role::Ident),
            (n("db"), Role::Ident),
            (n("d"), Role::Duration),
            (n("r"), Role::Integer),
            (n("s"), Role::DurationCount("h".into()))
        ]
    );
    assert_eq!(
        roles("SHOW TAG VALUES ON {db} FROM {m} WITH KEY = {k}"),
        vec![(n("db"), Role::Ident), (n("m"), Role::Source), (n("k"), Role::Ident)]
    );
    assert!(err("DROP DATABASE {d}d").message.contains("where an identifier is expected"));
    assert_eq!(roles("SELECT {*} FROM m WHERE a = {}"), vec![(None, Role::Columns), (None, Role::Value)]);
    assert_eq!(ok("SELECT {*}, x FROM m").projection, Some(Projection::Open));
    assert!(err("SELECT * FROM m WHERE a = {*}").message.contains("expected an expression, found `{*}`"));
}

#[test]
fn misspelled_keywords_get_suggestions() {
    let e = err("SELEC * FROM m");
    assert_eq!(e.span, 0..5);
    assert_eq!(e.message, "unknown statement `SELEC`; did you mean `SELECT`?");
    let e = err("SELECT x FORM m");
    assert_eq!(e.span, 9..13);
    assert_eq!(e.message, "expected one of `FROM`, `INTO`, `AS`, found `FORM`; did you mean `FROM`?");
    assert!(err("SELECT x FROM m WHERE a = 1 GRUOP BY b").message.ends_with("did you mean `GROUP`?"));
    assert!(err("SHOW DATABASE").message.contains("did you mean `DATABASES`?"));
    assert!(err("CREATE DATABSE x").message.contains("did you mean `DATABASE`?"));
}

#[test]
fn structural_errors() {
    assert_eq!(err("SELECT mean(x").message, "unclosed `(`: missing `)`");
    assert_eq!(err("SELECT mean(x FROM m").message, "expected `)`, found `FROM`");
    assert_eq!(err("SELECT x FROM m WHERE (a = 1").span, 22..23);
    assert_eq!(err("SELECT x").message, "SELECT needs a FROM clause");
    assert_eq!(err("SELECT x FROM m WHERE a = 'b").message, "unterminated string: missing closing `'`");
    let e = err("SELECT x FROM m LIMIT 1 WHERE a = 1");
    assert!(e.message.starts_with("`WHERE` is out of order"), "{}", e.message);
    assert!(err("SELECT x FROM m LIMIT 1 LIMIT 2").message.starts_with("`LIMIT` appears twice"));
    assert_eq!(err("SELECT mena(x) FROM m").message, "unknown function `mena()`; did you mean `mean()`?");
    assert_eq!(err("SELECT avg(x) FROM m").message, "unknown function `avg()`");
    assert_eq!(
        err("SELECT x FROM m; DROP DATABASE d").message,
        "expected the end of the SELECT statement, found `DROP`: a pattern holds exactly one statement"
    );
    assert!(err("SELECT duration FROM m").message.contains("double-quote it"));
    assert!(err("").message.starts_with("empty query"));
    assert!(err("SELECT x FROM m WHERE host = '{host}'").message.contains("inside a quoted string"));
    assert_eq!(
        err("SELECT x FROM m WHERE a = 1 2").message,
        "expected the end of the SELECT statement, found an integer"
    );
}
