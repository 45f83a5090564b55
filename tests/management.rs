//! The management API against real influxd instances (an auth-enabled one for users and privileges).
mod support;

use influx::influxql::{Duration, Measurement, Regex};
use influx::{Client, Ident, Management as _, ManagementExt as _, Privilege, Render, Resample, RetentionPolicyChange};

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
        client.create_database(Ident::new(&db)).await.unwrap();
        assert!(names(&client.show_databases().await.unwrap(), |d| &d.name).contains(&db));
        assert!(names(&client.get_list_database().await.unwrap(), |d| &d.name).contains(&db));

        let lp = "cpu,host=a,region=eu load=1,n=2i 1\ncpu,host=b load=2 2\nmem,host=a used=3i 3\n\"odd\\ m\",k=v f=1 4";
        client.write_lp(lp, &Default::default()).await.unwrap();

        let m = names(&client.show_measurements().await.unwrap(), |m| &m.name);
        assert_eq!(m, ["\"odd m\"", "cpu", "mem"]);
        assert_eq!(names(&client.get_list_measurements().await.unwrap(), |m| &m.name), m);
        assert_eq!(names(&client.show_measurements_on(Ident::new(&db)).await.unwrap(), |m| &m.name), m);
        assert_eq!(names(&client.show_measurements_matching(Regex::new("^c")).await.unwrap(), |m| &m.name), ["cpu"]);

        let series = names(&client.show_series().await.unwrap(), |s| &s.key);
        assert_eq!(series.len(), 4, "{series:?}");
        assert_eq!(
            names(&client.show_series_from(Measurement::new("cpu")).await.unwrap(), |s| &s.key),
            ["cpu,host=a,region=eu", "cpu,host=b"]
        );

        let tk = client.show_tag_keys_from(Measurement::new("cpu")).await.unwrap();
        assert_eq!(names(&tk, |t| &t.key), ["host", "region"]);
        assert!(tk.iter().all(|t| t.measurement == "cpu"));
        assert_eq!(client.show_tag_keys().await.unwrap().len(), 4);

        let tv = client.show_tag_values_from(Measurement::new("cpu"), Ident::new("host")).await.unwrap();
        assert_eq!(names(&tv, |t| &t.value), ["a", "b"]);
        assert!(tv.iter().all(|t| t.key == "host" && t.measurement == "cpu"));

        let fk = client.show_field_keys_from(Measurement::new("cpu")).await.unwrap();
        let mut fk: Vec<(String, String)> = fk.into_iter().map(|f| (f.key, f.field_type)).collect();
        fk.sort();
        assert_eq!(fk, [("load".to_owned(), "float".to_owned()), ("n".to_owned(), "integer".to_owned())]);
        assert_eq!(client.show_field_keys().await.unwrap().len(), 4);

        // Deleting series by tag, then by measurement.
        client.delete_series(Some(Ident::new("cpu")), &[(Ident::new("host"), "b")]).await.unwrap();
        assert_eq!(
            names(&client.get_list_series(Some(Ident::new("cpu")), &[]).await.unwrap(), |s| &s.key),
            ["cpu,host=a,region=eu"]
        );
        assert_eq!(
            client.get_list_series(None, &[(Ident::new("host"), "a")]).await.unwrap().len(),
            2,
            "cpu and mem of host a"
        );
        let e = client.delete_series(None, &[]).await.unwrap_err();
        assert_eq!(e.kind(), influx::ErrorKind::Argument);
        client.drop_series_from(Measurement::new("mem")).await.unwrap();
        assert_eq!(client.get_list_series(Some(Ident::new("mem")), &[]).await.unwrap().len(), 0);

        // Line protocol keeps the quotes: the measurement is literally `"odd m"`.
        client.drop_measurement(Ident::new("odd m")).await.unwrap();
        assert_eq!(client.show_measurements().await.unwrap().len(), 2, "nothing named `odd m`");
        client.drop_measurement(Ident::new("\"odd m\"")).await.unwrap();
        assert_eq!(names(&client.show_measurements().await.unwrap(), |m| &m.name), ["cpu"]);

        client.drop_database(Ident::new(&db)).await.unwrap();
        assert!(!names(&client.show_databases().await.unwrap(), |d| &d.name).contains(&db));
    });
}

#[test]
fn retention_policies() {
    let url = support::url();
    let db = support::create_db(&url, "mgmt_rp");
    let client = influx::blocking::Client::new(&url, &db).unwrap();
    let d = Ident::new(&db);
    client.create_retention_policy(Ident::new("week"), d, Duration::from_weeks(1), 1, Duration::from_hours(1)).unwrap();
    client.create_default_retention_policy(Ident::new("forever"), d, Duration::INFINITE, 1, Duration::ZERO).unwrap();
    let mut rps = client.show_retention_policies(d).unwrap();
    rps.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(names(&rps, |r| &r.name), ["autogen", "forever", "week"]);
    let week = &rps[2];
    assert_eq!(
        (week.duration, week.shard_group_duration, week.replication, week.default),
        (Duration::from_weeks(1), Duration::from_hours(1), 1, false)
    );
    assert!(rps[1].default && rps[1].duration.is_zero(), "{:?}", rps[1]);

    client
        .alter_retention_policy(
            Ident::new("week"),
            d,
            RetentionPolicyChange::default()
                .duration(Duration::from_days(14))
                .shard_duration(Duration::from_days(1))
                .make_default(),
        )
        .unwrap();
    let rps = client.get_list_retention_policies(d).unwrap();
    let week = rps.iter().find(|r| r.name == "week").unwrap();
    assert_eq!(
        (week.duration, week.shard_group_duration, week.default),
        (Duration::from_weeks(2), Duration::from_days(1), true)
    );
    assert_eq!(
        client.alter_retention_policy(Ident::new("week"), d, RetentionPolicyChange::default()).unwrap_err().kind(),
        influx::ErrorKind::Argument
    );
    client.set_default_retention_policy(Ident::new("autogen"), d).unwrap();
    client.drop_retention_policy(Ident::new("week"), d).unwrap();
    let rps = client.show_retention_policies(d).unwrap();
    assert_eq!(names(&rps, |r| &r.name), ["autogen", "forever"]);
    assert!(rps.iter().find(|r| r.name == "autogen").unwrap().default);
    // 1.6 drops a retention policy of a missing database without complaint...
    client.drop_retention_policy(Ident::new("nope"), Ident::new("no such db")).unwrap();
    // ...but a statement error is a typed error.
    let e = client
        .create_retention_policy(Ident::new("x"), Ident::new("no such db"), Duration::from_days(1), 1, Duration::ZERO)
        .unwrap_err();
    assert_eq!(e.kind(), influx::ErrorKind::Query, "{e}");
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
    let every = Resample { every: Some(Duration::from_secs(10)), for_: Some(Duration::from_mins(2)) };
    client.create_continuous_query(Ident::new("cq \"one\""), d, &select, Some(every)).unwrap();
    client.create_continuous_query(Ident::new("plain"), d, &select, None).unwrap();
    client.create_hourly(Ident::new("hourly"), d).unwrap();
    let cqs: Vec<_> = client.show_continuous_queries().unwrap().into_iter().filter(|c| c.database == db).collect();
    assert_eq!(names(&cqs, |c| &c.name), ["cq \"one\"", "hourly", "plain"]);
    let one = cqs.iter().find(|c| c.name == "cq \"one\"").unwrap();
    assert!(one.query.contains("RESAMPLE EVERY 10s FOR 2m"), "{}", one.query);
    assert!(one.query.contains("mean(v) AS v INTO"), "{}", one.query);
    let bad = influx::Query::new("DROP DATABASE x");
    assert_eq!(
        client.create_continuous_query(Ident::new("x"), d, &bad, None).unwrap_err().kind(),
        influx::ErrorKind::Argument
    );
    for name in ["cq \"one\"", "plain", "hourly"] {
        client.drop_continuous_query(Ident::new(name), d).unwrap();
    }
    assert!(client.get_list_continuous_queries().unwrap().iter().all(|c| c.database != db));
}

#[test]
fn users_and_privileges_on_an_auth_server() {
    let server = support::Server::start(support::Config { auth: true, ..Default::default() });
    let anon = influx::blocking::Client::new(&server.url, "db1").unwrap();
    // With auth on and no users, only creating an admin is allowed.
    anon.create_admin_user(Ident::new("root"), "r00t'\\pw").unwrap();
    let admin = influx::blocking::Client::from_builder(
        influx::Client::builder(&server.url).database("db1").credentials("root", "r00t'\\pw"),
    )
    .unwrap();
    admin.create_database(Ident::new("db1")).unwrap();
    let hostile_pw = "p'; DROP DATABASE db1; --\n\"x\\";
    admin.create_user(Ident::new("bob"), hostile_pw).unwrap();
    admin.create_user(Ident::new("eve \"the\" user"), "pw").unwrap();
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

    admin.grant_privilege(Privilege::Read, Ident::new("db1"), Ident::new("bob")).unwrap();
    assert_eq!(bob.show_measurements().unwrap(), vec![]);
    let grants = admin.get_list_privileges(Ident::new("bob")).unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!((grants[0].database.as_str(), grants[0].privilege), ("db1", Some(Privilege::Read)));
    admin.grant_privilege(Privilege::All, Ident::new("db1"), Ident::new("bob")).unwrap();
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
            anon.create_admin_user(Ident::new("root"), ROOT_PW).await.unwrap();
            let root = Client::builder(&server.url).credentials("root", ROOT_PW).build().unwrap();
            root.create_user(Ident::new("bob"), BOB_PW).await.unwrap();
            root.set_user_password(Ident::new("bob"), NEW_PW).await.unwrap();
            let errors = [
                // The server refuses: an existing user with another password, a missing user.
                root.create_user(Ident::new("bob"), OTHER_PW).await.unwrap_err(),
                root.set_user_password(Ident::new("nobody"), OTHER_PW).await.unwrap_err(),
                // Not authenticated, wrong password.
                anon.set_user_password(Ident::new("bob"), OTHER_PW).await.unwrap_err(),
                Client::builder(&server.url)
                    .credentials("bob", BOB_PW)
                    .build()
                    .unwrap()
                    .create_user(Ident::new("eve"), OTHER_PW)
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
