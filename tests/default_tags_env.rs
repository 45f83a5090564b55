//! Default tags whose values come from environment variables (the official
//! Python client's `"${env.VAR}"` default tag values), on every API generation:
//! written to a real influxd (1.x), to the 2.x replay server (checked against
//! the contract), and refused at build time when the variable is unset.
//!
//! Setting variables inside a test process races with the other test threads,
//! so the tests that need them set re-run this binary as a child process with
//! the variables in its environment.
use crate::support;

use std::process::Command;

use influx::test_util::{recorded, Contract, Exchange, Method, ReplayServer};
use influx::writer::{WriteMode, WriterOptions};
use influx::{Client, ErrorKind, Point};

/// Set only in the child process.
const CHILD: &str = "INFLUX_TEST_ENV_TAGS_CHILD";
/// A value with every byte a tag value escapes.
const DC: &str = "fra 1,a=b";
const UNSET: &str = "INFLUX_TEST_SURELY_UNSET_7F3A";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// In the parent: runs the test named `name` in a child process of this binary
/// with the variables set (and the parent's influxd at `INFLUX_URL`), and fails
/// with the child's output if it fails. Returns false in the child.
fn rerun_with_env(name: &str, url: Option<&str>) -> bool {
    if std::env::var_os(CHILD).is_some() {
        return false;
    }
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([name, "--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .env("INFLUX_TEST_DC", DC)
        .env("INFLUX_TEST_EMPTY", "")
        .env_remove(UNSET);
    if let Some(url) = url {
        cmd.env("INFLUX_URL", url);
    }
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    // The filter matched this test (and it ran), not nothing.
    assert!(stdout.contains("1 passed"), "child ran no test:\n{stdout}");
    true
}

#[test]
fn env_default_tags_are_stored_by_influxd_for_clients_and_writers() {
    if rerun_with_env("env_default_tags_are_stored_by_influxd", Some(&support::url())) {
        return;
    }
    let url = support::url();
    let db = support::create_db(&url, "env_tags");
    let c = Client::builder(&url)
        .database(&db)
        .default_tag_env("dc", "INFLUX_TEST_DC")
        .default_tag_env_or("host", "INFLUX_TEST_EMPTY", "fallback")
        .default_tag_env_or("zone", UNSET, "")
        .build()
        .unwrap();
    let rt = rt();
    rt.block_on(async {
        let own = Point::new("m").tag("host", "own").field("v", 1_i64).timestamp(1_i64);
        let bare = Point::new("m").field("v", 2_i64).timestamp(2_i64);
        c.write(&[own, bare]).await.unwrap();
        // A writer starts from the client's tags and adds its own, also read from the environment.
        let w = c
            .untyped_writer(WriterOptions::new().mode(WriteMode::Synchronous).default_tag_env("rack", "INFLUX_TEST_DC"))
            .unwrap();
        w.write(&Point::new("w").field("v", 3_i64).timestamp(3_i64)).await.unwrap();
        w.write_line("w v=4i 4").await.unwrap();
        assert!(w.close().await.unwrap().failed.is_empty());

        let rows: Vec<(i64, String, String, i64)> = c.query_as("SELECT dc, host, v FROM m").await.unwrap();
        assert_eq!(rows, [(1, DC.into(), "own".into(), 1), (2, DC.into(), "fallback".into(), 2)]);
        // A line written as it is gets the writer's default tags, not the client's (docs/writer.md).
        let rows: Vec<(i64, Option<String>, String, i64)> = c.query_as("SELECT dc, rack, v FROM w").await.unwrap();
        assert_eq!(rows, [(3, Some(DC.into()), DC.into(), 3), (4, None, DC.into(), 4)]);
        // The empty fallback left `zone` out: no such tag key exists.
        let keys: Vec<(String,)> = c.query_as("SHOW TAG KEYS FROM m").await.unwrap();
        assert_eq!(keys, [("dc".to_string(),), ("host".to_string(),)]);
    });
}

#[test]
fn env_default_tags_reach_the_v2_replay_server() {
    if rerun_with_env("env_default_tags_reach_the_v2_replay", None) {
        return;
    }
    rt().block_on(async {
        let server = ReplayServer::start(Contract::influxdb2()).unwrap();
        server.expect(
            Exchange::new(Method::Post, "/api/v2/write")
                .query("org", "acme")
                .query("bucket", "metrics")
                .body("m,dc=fra\\ 1\\,a\\=b,host=h v=1i 5")
                .respond_recorded(&recorded::V2_WRITE_NO_CONTENT),
        );
        let c = influx::v2::Client::builder(server.url())
            .org("acme")
            .bucket("metrics")
            .token("t")
            .default_tag_env("dc", "INFLUX_TEST_DC")
            .default_tag_env_or("host", UNSET, "h")
            .build()
            .unwrap();
        c.write(&[Point::new("m").field("v", 1_i64).timestamp(5_i64)]).await.unwrap();
        server.verify().unwrap();
    });
}

#[test]
fn an_unset_or_empty_variable_fails_the_build_of_every_api_generation() {
    let expect = |r: influx::Result<()>, var: &str, what: &str| {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Builder);
        assert_eq!(
            e.to_string(),
            format!(
                "default tag `dc`: environment variable `{var}` {what} (set it, or give a fallback with `default_tag_env_or`)"
            )
        );
    };
    let url = "http://127.0.0.1:1";
    expect(Client::builder(url).default_tag_env("dc", UNSET).build().map(drop), UNSET, "is not set");
    expect(influx::v2::Client::builder(url).default_tag_env("dc", UNSET).build().map(drop), UNSET, "is not set");
    expect(influx::v3::Client::builder(url).default_tag_env("dc", UNSET).build().map(drop), UNSET, "is not set");
    // A later literal value for the key does not hide the unset variable: every source is read.
    let later = Client::builder(url).default_tag_env("dc", UNSET).default_tag("dc", "x").build();
    expect(later.map(drop), UNSET, "is not set");
    // The writer reads its own at creation, with the same error.
    let c = Client::builder(url).database("db").build().unwrap();
    let w = c.untyped_writer(WriterOptions::new().mode(WriteMode::Synchronous).default_tag_env("dc", UNSET));
    expect(w.map(drop), UNSET, "is not set");
    // Empty counts as unset (a tag cannot be empty); checked in the child, where it is set.
    if std::env::var_os(CHILD).is_some() {
        let r = Client::builder(url).default_tag_env("dc", "INFLUX_TEST_EMPTY").build().map(drop);
        expect(r, "INFLUX_TEST_EMPTY", "is empty");
    } else {
        rerun_with_env("an_unset_or_empty_variable_fails_the_build", None);
    }
}
