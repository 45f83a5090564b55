//! The management API against real influxd instances (an auth-enabled one for users and privileges).
use crate::support;

use influx::influxql::{Duration, Measurement, Regex};
use influx::prelude::*;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn names<T>(rows: &[T], f: impl Fn(&T) -> &str) -> Vec<String> {
    let mut v: Vec<String> = rows.iter().map(|r| f(r).to_owned()).collect();
    v.sort();
    v
}

#[test]
fn databases_measurements_series_tags_and_fields() {
    let url = support::url();
    let db = support::unique_db("mgmt \"db\"");
    let client = Client::new(&url, &db).unwrap();
    rt().block_on(async {
        client.create_database(&db).await.unwrap();
        assert!(names(&client.show_databases().await.unwrap(), |d| &d.name).contains(&db));
        assert!(names(&client.get_list_database().await.unwrap(), |d| &d.name).contains(&db));

        let lp = "cpu,host=a,region=eu load=1,n=2i 1\ncpu,host=b load=2 2\nmem,host=a used=3i 3\n\"odd\\ m\",k=v f=1 4";
        client.write_lp(lp, &Default::default()).await.unwrap();

        let m = names(&client.show_measurements().await.unwrap(), |m| &m.name);
        assert_eq!(m, ["\"odd m\"", "cpu", "mem"]);
        assert_eq!(names(&client.get_list_measurements().await.unwrap(), |m| &m.name), m);
        assert_eq!(names(&client.show_measurements_on(&db).await.unwrap(), |m| &m.name), m);
        assert_eq!(names(&client.show_measurements_matching("^c").await.unwrap(), |m| &m.name), ["cpu"]);

        let series = names(&client.show_series().await.unwrap(), |s| &s.key);
        assert_eq!(series.len(), 4, "{series:?}");
        assert_eq!(
            names(&client.show_series_from(Measurement::new("cpu")).await.unwrap(), |s| &s.key),
            ["cpu,host=a,region=eu", "cpu,host=b"]
        );

        let tk = client.show_tag_keys_from("cpu").await.unwrap();
        assert_eq!(names(&tk, |t| &t.key), ["host", "region"]);
        assert!(tk.iter().all(|t| t.measurement == "cpu"));
        assert_eq!(client.show_tag_keys().await.unwrap().len(), 4);

        let tv = client.show_tag_values_from("cpu", "host").await.unwrap();
        assert_eq!(names(&tv, |t| &t.value), ["a", "b"]);
        assert!(tv.iter().all(|t| t.key == "host" && t.measurement == "cpu"));

        let fk = client.show_field_keys_from(Measurement::new("cpu")).await.unwrap();
        let mut fk: Vec<(String, String)> = fk.into_iter().map(|f| (f.key, f.field_type)).collect();
        fk.sort();
        assert_eq!(fk, [("load".to_owned(), "float".to_owned()), ("n".to_owned(), "integer".to_owned())]);
        assert_eq!(client.show_field_keys().await.unwrap().len(), 4);

        // Deleting series by tag, then by measurement.
        client.delete_series(None, "cpu", &[("host", "b")]).await.unwrap();
        assert_eq!(
            names(&client.get_list_series(None, "cpu", &[]).await.unwrap(), |s| &s.key),
            ["cpu,host=a,region=eu"]
        );
        assert_eq!(
            client.get_list_series(None, None, &[("host", "a")]).await.unwrap().len(),
            2,
            "cpu and mem of host a"
        );
        let e = client.delete_series(None, None, &[]).await.unwrap_err();
        assert_eq!(e.kind(), influx::ErrorKind::Argument);
        client.drop_series_from("mem").await.unwrap();
        assert_eq!(client.get_list_series(None, "mem", &[]).await.unwrap().len(), 0);

        // Line protocol keeps the quotes: the measurement is literally `"odd m"`.
        client.drop_measurement("odd m").await.unwrap();
        assert_eq!(client.show_measurements().await.unwrap().len(), 2, "nothing named `odd m`");
        client.drop_measurement("\"odd m\"").await.unwrap();
        assert_eq!(names(&client.show_measurements().await.unwrap(), |m| &m.name), ["cpu"]);

        client.drop_database(&db).await.unwrap();
        assert!(!names(&client.show_databases().await.unwrap(), |d| &d.name).contains(&db));
    });
}

#[test]
fn retention_policies() {
    let url = support::url();
    let db = support::create_db(&url, "mgmt_rp");
    let client = influx::blocking::Client::new(&url, &db).unwrap();
    // influxdb-python's order and defaults: database None is the client's, shard duration None the server's.
    client.create_retention_policy("week", "1w", 1, None, false, "1h").unwrap();
    client.create_retention_policy("forever", "INF", 1, db.as_str(), true, None).unwrap();
    client.create_retention_policy("short", "2h", 1, &db, false, None).unwrap();
    let mut rps = client.show_retention_policies(None).unwrap();
    rps.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(names(&rps, |r| &r.name), ["autogen", "forever", "short", "week"]);
    let week = &rps[3];
    assert_eq!(
        (week.duration, week.shard_group_duration, week.replication, week.default),
        (Duration::from_weeks(1), Duration::from_hours(1), 1, false)
    );
    assert!(rps[1].default && rps[1].duration.is_zero(), "{:?}", rps[1]);
    // The server chose the shard duration of a 2 h policy: 1 h.
    assert_eq!((rps[2].duration, rps[2].shard_group_duration), (Duration::from_hours(2), Duration::from_hours(1)));

    client
        .alter_retention_policy(
            "week",
            None,
            RetentionPolicyChange::new().duration("14d").shard_duration("1d").make_default(),
        )
        .unwrap();
    let rps = client.get_list_retention_policies(&db).unwrap();
    let week = rps.iter().find(|r| r.name == "week").unwrap();
    assert_eq!(
        (week.duration, week.shard_group_duration, week.default),
        (Duration::from_weeks(2), Duration::from_days(1), true)
    );
    assert_eq!(
        client.alter_retention_policy("week", None, RetentionPolicyChange::new()).unwrap_err().kind(),
        influx::ErrorKind::Argument
    );
    let e =
        client.alter_retention_policy("week", None, RetentionPolicyChange::new().duration("two weeks")).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Argument);
    assert!(e.to_string().contains("`two weeks` is not a duration"), "{e}");
    client.set_default_retention_policy("autogen", None).unwrap();
    client.drop_retention_policy("week", None).unwrap();
    client.drop_retention_policy("short", &db).unwrap();
    let rps = client.show_retention_policies(None).unwrap();
    assert_eq!(names(&rps, |r| &r.name), ["autogen", "forever"]);
    assert!(rps.iter().find(|r| r.name == "autogen").unwrap().default);
    // 1.6 drops a retention policy of a missing database without complaint...
    client.drop_retention_policy("nope", "no such db").unwrap();
    // ...but a statement error is a typed error.
    let e = client.create_retention_policy("x", "1d", 1, "no such db", false, None).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Query, "{e}");
    // A bad duration is refused before anything is sent.
    let e = client.create_retention_policy("x", "1 day", 1, None, false, None).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Argument, "{e}");
    // Without a database anywhere, the error says so.
    let no_db = influx::blocking::Client::from_builder(Client::builder(&url)).unwrap();
    let e = no_db.show_retention_policies(None).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Argument);
    assert!(e.to_string().contains("no database"), "{e}");
    assert_eq!(names(&no_db.get_list_retention_policies(&db).unwrap(), |r| &r.name), ["autogen", "forever"]);
}

/// The call a user wrote in Python, `client.create_retention_policy('short', '2h', 1, database='j5')`,
/// reads the same in Rust with one import, on both clients.
#[test]
fn seed_calls_read_the_same() {
    let url = support::url();
    let db = support::unique_db("j5");
    let other = support::create_db(&url, "j5_other");
    let client = Client::new(&url, &other).unwrap();
    rt().block_on(async {
        client.create_database(&db).await.unwrap();
        client.create_retention_policy("short", "2h", 1, db.as_str(), false, None).await.unwrap();
        let rps = client.get_list_retention_policies(db.as_str()).await.unwrap();
        assert!(rps.iter().any(|r| r.name == "short" && r.duration == Duration::from_hours(2)), "{rps:?}");
        assert!(client.get_list_retention_policies(None).await.unwrap().iter().all(|r| r.name != "short"));

        // delete_series and get_list_series take a database (not the client's here).
        let on_db = Client::new(&url, &db).unwrap();
        on_db.write_lp("cpu,host=a v=1 1\ncpu,host=b v=2 2\nmem,host=a v=3 3", &Default::default()).await.unwrap();
        client.write_lp("cpu,host=a v=1 1", &Default::default()).await.unwrap();
        assert_eq!(client.get_list_series(db.as_str(), None, &[]).await.unwrap().len(), 3);
        client.delete_series(db.as_str(), None, &[("host", "a")]).await.unwrap();
        let left = names(&client.get_list_series(db.as_str(), None, &[]).await.unwrap(), |s| &s.key);
        assert_eq!(left, ["cpu,host=b"]);
        assert_eq!(names(&client.get_list_series(None, None, &[]).await.unwrap(), |s| &s.key), ["cpu,host=a"]);
        client.drop_database(&db).await.unwrap();
    });
}

/// `delete_points`: `DELETE ... WHERE tag AND time` on the real server removes exactly the range.
///
/// On its own server: a `DELETE` without `FROM` looks at the shards of every database, and
/// failed once with `engine is closed` while another test dropped a retention policy.
#[test]
fn delete_points_by_tag_and_time_range() {
    use chrono::{TimeZone, Utc};
    let server = support::Server::start(support::Config::default());
    let url = server.url.clone();
    let db = support::create_db(&url, "mgmt_delete");
    let client = influx::blocking::Client::new(&url, &db).unwrap();
    let lp: Vec<String> = (0..10)
        .flat_map(|s| ["a", "b"].map(move |h| format!("cpu,host={h} v={s}i {}", s * 1_000_000_000_i64)))
        .chain(std::iter::once("mem,host=a v=1i 5000000000".to_owned()))
        .collect();
    client.write_lp(lp.join("\n"), &Default::default()).unwrap();
    let at = |s: i64| Utc.timestamp_opt(s, 0).unwrap();
    let count = |q: &str| -> i64 { client.query_as::<(i64, i64)>(q).unwrap().first().map_or(0, |r| r.1) };

    // host a of cpu in [2 s, 5 s): 3 points.
    client.delete_points(None, "cpu", &[("host", "a")], at(2)..at(5)).unwrap();
    assert_eq!(count("SELECT count(v) FROM cpu WHERE host = 'a'"), 7);
    assert_eq!(count("SELECT count(v) FROM cpu WHERE host = 'b'"), 10);
    assert_eq!(count("SELECT count(v) FROM mem"), 1);
    // Everything of cpu up to and including 1 s.
    client.delete_points(&db, "cpu", &[], ..=at(1)).unwrap();
    assert_eq!(count("SELECT count(v) FROM cpu WHERE host = 'a'"), 5);
    assert_eq!(count("SELECT count(v) FROM cpu WHERE host = 'b'"), 8);
    // Every measurement after 7 s.
    client.delete_points(None, None, &[], at(7)..).unwrap();
    assert_eq!(count("SELECT count(v) FROM cpu WHERE host = 'a'"), 2, "5 and 6 are left");
    assert_eq!(count("SELECT count(v) FROM mem"), 1);
    let e = client.delete_points(None, None, &[], ..).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Argument);
}

influx::query_pattern! {
    trait Rollups {
        fn mean_rollup(source: Ident<'_>, target: Ident<'_>) =
            "SELECT mean(v) AS v INTO {target} FROM {source} GROUP BY time(1m)";
        fn create_hourly(name: Ident<'_>, db: Ident<'_>) =
            "CREATE CONTINUOUS QUERY {name} ON {db} RESAMPLE EVERY 1m FOR 2h BEGIN SELECT max(v) INTO hourly FROM m GROUP BY time(1h) END";
    }
}

#[test]
fn continuous_queries() {
    let url = support::url();
    let db = support::create_db(&url, "mgmt_cq");
    let client = influx::blocking::Client::new(&url, &db).unwrap();
    let d = Ident::new(&db);
    let select = Render.mean_rollup(Ident::new("m"), Ident::new("m_1m")).unwrap();
    assert_eq!(select.method(), influx::QueryMethod::Post, "SELECT INTO changes the server");
    let every = Resample::new().every(Duration::from_secs(10)).for_("2m");
    client.create_continuous_query("cq \"one\"", &select, None, every).unwrap();
    client.create_continuous_query("plain", &select, db.as_str(), None).unwrap();
    client.create_hourly(Ident::new("hourly"), d).unwrap();
    let cqs: Vec<_> = client.show_continuous_queries().unwrap().into_iter().filter(|c| c.database == db).collect();
    assert_eq!(names(&cqs, |c| &c.name), ["cq \"one\"", "hourly", "plain"]);
    let one = cqs.iter().find(|c| c.name == "cq \"one\"").unwrap();
    assert!(one.query.contains("RESAMPLE EVERY 10s FOR 2m"), "{}", one.query);
    assert!(one.query.contains("mean(v) AS v INTO"), "{}", one.query);
    assert_eq!(
        client.create_continuous_query("x", "DROP DATABASE x", None, None).unwrap_err().kind(),
        influx::ErrorKind::Argument
    );
    let e = client.create_continuous_query("x", &select, None, Resample::new().every("often")).unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Argument, "{e}");
    for name in ["cq \"one\"", "plain", "hourly"] {
        client.drop_continuous_query(name, None).unwrap();
    }
    assert!(client.get_list_continuous_queries().unwrap().iter().all(|c| c.database != db));
}

#[test]
fn users_and_privileges_on_an_auth_server() {
    let server = support::Server::start(support::Config { auth: true, ..Default::default() });
    let anon = influx::blocking::Client::new(&server.url, "db1").unwrap();
    // With auth on and no users, only creating an admin is allowed.
    anon.create_user("root", "r00t'\\pw", true).unwrap();
    let admin = influx::blocking::Client::from_builder(
        influx::Client::builder(&server.url).database("db1").credentials("root", "r00t'\\pw"),
    )
    .unwrap();
    admin.create_database("db1").unwrap();
    let hostile_pw = "p'; DROP DATABASE db1; --\n\"x\\";
    admin.create_user("bob", hostile_pw, false).unwrap();
    admin.create_user(Ident::new("eve \"the\" user"), "pw", false).unwrap();
    let users = admin.show_users().unwrap();
    assert_eq!(names(&users, |u| &u.user), ["bob", "eve \"the\" user", "root"]);
    assert!(users.iter().find(|u| u.user == "root").unwrap().admin);
    assert!(!users.iter().find(|u| u.user == "bob").unwrap().admin);
    assert!(names(&admin.show_databases().unwrap(), |d| &d.name).contains(&"db1".to_owned()));

    // The hostile password works as a password, verbatim.
    let bob = influx::blocking::Client::from_builder(
        influx::Client::builder(&server.url).database("db1").credentials("bob", hostile_pw),
    )
    .unwrap();
    assert_eq!(bob.show_measurements().unwrap_err().kind(), influx::ErrorKind::Forbidden);

    admin.grant_privilege(Privilege::Read, "db1", "bob").unwrap();
    assert_eq!(bob.show_measurements().unwrap(), vec![]);
    let grants = admin.get_list_privileges(Ident::new("bob")).unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!((grants[0].database.as_str(), grants[0].privilege), ("db1", Some(Privilege::Read)));
    admin.grant_privilege("all".parse().unwrap(), "db1", "bob").unwrap();
    assert_eq!(admin.get_list_privileges(Ident::new("bob")).unwrap()[0].privilege, Some(Privilege::All));
    admin.revoke_privilege(Privilege::Write, Ident::new("db1"), Ident::new("bob")).unwrap();
    assert_eq!(admin.get_list_privileges(Ident::new("bob")).unwrap()[0].privilege, Some(Privilege::Read));
    admin.revoke_privilege(Privilege::Read, Ident::new("db1"), Ident::new("bob")).unwrap();
    assert_eq!(admin.get_list_privileges(Ident::new("bob")).unwrap()[0].privilege, None);

    admin.grant_admin_privileges(Ident::new("bob")).unwrap();
    assert!(bob.get_list_users().unwrap().iter().find(|u| u.user == "bob").unwrap().admin);
    admin.revoke_admin_privileges(Ident::new("bob")).unwrap();
    assert!(!admin.get_list_users().unwrap().iter().find(|u| u.user == "bob").unwrap().admin);

    admin.set_user_password(Ident::new("bob"), "new\\pw'").unwrap();
    assert_eq!(bob.show_users().unwrap_err().kind(), influx::ErrorKind::Unauthorized);
    let bob2 = influx::blocking::Client::from_builder(
        influx::Client::builder(&server.url).database("db1").credentials("bob", "new\\pw'"),
    )
    .unwrap();
    assert_eq!(bob2.show_users().unwrap_err().kind(), influx::ErrorKind::Forbidden, "authenticated, not admin");

    admin.drop_user(Ident::new("eve \"the\" user")).unwrap();
    admin.drop_user(Ident::new("bob")).unwrap();
    assert_eq!(names(&admin.show_users().unwrap(), |u| &u.user), ["root"]);
    assert!(names(&admin.show_databases().unwrap(), |d| &d.name).contains(&"db1".to_owned()));
}

/// Issue 9 scenario 35 for users: the tracing output (TRACE, every field) of
/// `create_user`/`set_user_password`, succeeding and failing, and their errors hold
/// no password; the statements are logged with `[REDACTED]` as influxd logs them.
#[test]
fn passwords_stay_out_of_traces_and_errors() {
    const ROOT_PW: &str = "r00t-Secret-xyz";
    const BOB_PW: &str = "b0b-Secret-xyz";
    const NEW_PW: &str = "n3w-Secret-xyz";
    const OTHER_PW: &str = "0ther-Secret-xyz";
    let server = support::Server::start(support::Config { auth: true, ..Default::default() });
    let capture = support::trace::Capture::default();
    let mut shown = String::new();
    capture.run(|| {
        rt().block_on(async {
            let anon = Client::new(&server.url, "db1").unwrap();
            anon.create_user("root", ROOT_PW, true).await.unwrap();
            let root = Client::builder(&server.url).credentials("root", ROOT_PW).build().unwrap();
            root.create_user("bob", BOB_PW, false).await.unwrap();
            root.set_user_password(Ident::new("bob"), NEW_PW).await.unwrap();
            let errors = [
                // The server refuses: an existing user with another password, a missing user.
                root.create_user("bob", OTHER_PW, false).await.unwrap_err(),
                root.set_user_password(Ident::new("nobody"), OTHER_PW).await.unwrap_err(),
                // Not authenticated, wrong password.
                anon.set_user_password(Ident::new("bob"), OTHER_PW).await.unwrap_err(),
                Client::builder(&server.url)
                    .credentials("bob", BOB_PW)
                    .build()
                    .unwrap()
                    .create_user("eve", OTHER_PW, false)
                    .await
                    .unwrap_err(),
            ];
            let kinds: Vec<_> = errors.iter().map(|e| e.kind()).collect();
            use influx::ErrorKind::{Query, Unauthorized};
            assert_eq!(kinds, [Query, Query, Unauthorized, Unauthorized], "{errors:?}");
            // A carriage return cannot be written in InfluxQL: refused before sending.
            let e = root.set_user_password(Ident::new("bob"), "a\rb").await.unwrap_err();
            assert_eq!(e.kind(), influx::ErrorKind::Argument);
            assert!(e.to_string().contains("carriage return") && e.to_string().contains("Query::bind"), "{e}");
            for e in &errors {
                shown += &format!("{e} {e:?}\n");
            }
            // The rendered statement holds the password (it is what is sent), its Debug does not.
            let q = Render.set_user_password(Ident::new("bob"), NEW_PW).unwrap();
            assert!(q.text().contains(NEW_PW));
            shown += &format!("{q:?}");
        });
    });
    let logs = capture.text();
    assert!(logs.contains(r#"CREATE USER "bob" WITH PASSWORD [REDACTED]"#), "{logs}");
    assert!(logs.contains(r#"SET PASSWORD FOR "bob" = [REDACTED]"#), "{logs}");
    assert!(logs.contains(r#"CREATE USER "root" WITH PASSWORD [REDACTED] WITH ALL PRIVILEGES"#), "{logs}");
    assert!(shown.contains(r#"SET PASSWORD FOR \"bob\" = [REDACTED]"#), "{shown}");
    let basic = support::base64(format!("root:{ROOT_PW}").as_bytes());
    for leak in [ROOT_PW, BOB_PW, NEW_PW, OTHER_PW, basic.as_str()] {
        assert!(!logs.contains(leak), "`{leak}` in the logs:\n{logs}");
        assert!(!shown.contains(leak), "`{leak}` in an error:\n{shown}");
    }
    // The statements really ran: bob's password is the new one.
    let bob = influx::blocking::Client::from_builder(Client::builder(&server.url).credentials("bob", NEW_PW)).unwrap();
    assert_eq!(bob.show_users().unwrap_err().kind(), influx::ErrorKind::Forbidden, "authenticated, not admin");
}

/// Regex values holding a carriage return or NUL (which the InfluxQL scanner reads as a
/// newline and as the end of the query) reach the server as RE2 escapes and match; a
/// string holding one is refused before sending.
#[test]
fn regexes_carry_cr_and_nul_strings_refuse_them() {
    let url = support::url();
    let db = support::create_db(&url, "cr_nul");
    let client = Client::new(&url, &db).unwrap();
    rt().block_on(async {
        client.write_lp("cr\rm v=1 1\nnul\0m v=2 2\nplain v=3 3", &Default::default()).await.unwrap();
        for (re, want) in
            [("^cr\rm$", "cr\rm"), ("^cr\\\rm$", "cr\rm"), ("^nul\0m$", "nul\0m"), ("^nul\\\0m$", "nul\0m")]
        {
            let found = client.show_measurements_matching(Regex::new(re)).await.unwrap();
            assert_eq!(names(&found, |m| &m.name), [want], "{re:?}");
        }
        let e = client.set_user_password(Ident::new("u"), "nul\0").await.unwrap_err();
        assert_eq!(e.kind(), influx::ErrorKind::Argument);
        assert!(
            e.to_string().starts_with("placeholder `{password}`: a string holding a NUL character (byte 3)"),
            "{e}"
        );
    });
}
