//! `influx::test_util` end to end: record a real influxd's answers through the
//! `Recorder`, replay them with the `ReplayServer`, and check the client sees the
//! same thing byte for byte. Needs the `test-util` feature.
use crate::support;

use influx::test_util::{send, Contract, Exchange, Method, Recorder, Recording, ReplayServer};
use influx::{Client, WriteOptions};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// What the client under test does: write, read back typed rows, ping.
fn scenario(url: &str, db: &str) -> (Vec<(i64, String, i64, f64)>, String) {
    let c = Client::new(url, db).unwrap();
    rt().block_on(async {
        c.write_lp("m,host=a v=1i,f=0.1 1000000000\nm,host=b v=2i,f=2.5 2000000000\n", &WriteOptions::new())
            .await
            .unwrap();
        let rows: Vec<(i64, String, i64, f64)> = c.query_as("SELECT host, v, f FROM m").await.unwrap();
        let version = c.ping().await.unwrap().version().to_owned();
        (rows, version)
    })
}

#[test]
fn record_against_real_influxd_then_replay_without_it() {
    let url = support::url();
    let db = support::create_db(&url, "replay");
    let dir = tempdir();
    let file = dir.join("session.jsonl");

    let recorder = Recorder::start(&url, &file).unwrap();
    let live = scenario(&recorder.url(), &db);
    let recording = recorder.finish().unwrap();
    assert_eq!(live.0.len(), 2, "{live:?}");
    let exchanges = recording.exchanges();
    let summary: Vec<(&str, u16)> = exchanges.iter().map(|e| (e.method.as_str(), e.status)).collect();
    assert_eq!(summary, [("POST", 204), ("GET", 200), ("GET", 204)], "{exchanges:#?}");
    // The file on disk is what `finish` returned.
    assert_eq!(Recording::load(&file).unwrap(), recording);

    // The recorded query answer is the server's exact bytes: ask it again directly.
    let q = &exchanges[1];
    let (status, body) = send(&url, &q.method, &q.target, &header_refs(&q.request_headers), &q.request_body).unwrap();
    assert_eq!((status, body.as_slice()), (q.status, q.response_body.as_slice()));

    // Replay: same answers without the server (a database name the server never saw proves it).
    let replay = ReplayServer::from_recording(&file).unwrap();
    let replayed = scenario(&replay.url(), &db);
    assert_eq!(replayed, live);
    replay.verify().unwrap();
    let bits = |rows: &[(i64, String, i64, f64)]| rows.iter().map(|r| r.3.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&replayed.0), bits(&live.0));

    // A client that changes what it sends is caught: a different write body is unexpected.
    let replay = ReplayServer::from_recording(&file).unwrap();
    let c = Client::new(replay.url(), &db).unwrap();
    assert!(rt().block_on(c.write_lp("m,host=a v=9i 1000000000\n", &WriteOptions::new())).is_err());
    let err = replay.verify().unwrap_err().to_string();
    assert!(err.contains("unexpected request") && err.contains("expected GET /query"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn recordings_redact_credentials() {
    let server = support::Server::start(support::Config { auth: true, ..Default::default() });
    support::http(
        &server.url,
        "POST",
        "/query",
        None,
        "application/x-www-form-urlencoded",
        b"q=CREATE+USER+admin+WITH+PASSWORD+%27s3cret%27+WITH+ALL+PRIVILEGES",
    );
    let dir = tempdir();
    let file = dir.join("auth.jsonl");
    let recorder = Recorder::start(&server.url, &file).unwrap();
    let c = Client::builder(recorder.url()).database("d").credentials("admin", "s3cret").build().unwrap();
    rt().block_on(c.query("CREATE DATABASE d")).unwrap();
    let (status, _) = send(&recorder.url(), "GET", "/query?u=admin&p=s3cret&q=SHOW+DATABASES", &[], b"").unwrap();
    assert_eq!(status, 200);
    recorder.finish().unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("s3cret") && !text.contains(&base64_of("admin:s3cret")), "{text}");
    assert!(text.contains("Basic <redacted>") && text.contains("p=<redacted>"), "{text}");
    // A redacted value matches any value on replay.
    let replay = ReplayServer::from_recording(&file).unwrap();
    let c = Client::builder(replay.url()).database("d").credentials("admin", "other").build().unwrap();
    rt().block_on(c.query("CREATE DATABASE d")).unwrap();
    let (status, _) = send(&replay.url(), "GET", "/query?u=admin&p=x&q=SHOW+DATABASES", &[], b"").unwrap();
    assert_eq!(status, 200);
    replay.verify().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn replay_server_checks_a_v3_client_conversation() {
    use influx::test_util::recorded;
    let s = ReplayServer::start(Contract::influxdb3_core()).unwrap();
    s.expect(
        Exchange::new(Method::Post, "/api/v3/write_lp")
            .query("db", "mydb")
            .query("accept_partial", "true")
            .respond_recorded(&recorded::V3_WRITE_LP_PARTIAL_ACCEPTED),
    );
    s.expect(
        Exchange::new(Method::Get, "/api/v3/query_sql")
            .query("format", "jsonl")
            .respond_recorded(&recorded::V3_QUERY_SQL_JSONL),
    );
    let auth = [("Authorization", "Bearer apiv3_t")];
    let (st, body) =
        send(&s.url(), "POST", "/api/v3/write_lp?db=mydb&accept_partial=true", &auth, b"home temp=hi 1\n").unwrap();
    assert_eq!((st, body.as_slice()), (400, recorded::V3_WRITE_LP_PARTIAL_ACCEPTED.body));
    let (st, body) =
        send(&s.url(), "GET", "/api/v3/query_sql?db=mydb&q=SHOW%20TABLES&format=jsonl", &auth, b"").unwrap();
    assert_eq!((st, body.as_slice()), (200, recorded::V3_QUERY_SQL_JSONL.body));
    s.verify().unwrap();
}

fn header_refs(h: &[(String, String)]) -> Vec<(&str, &str)> {
    h.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn tempdir() -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("influx-test-{}-replay{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn base64_of(s: &str) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for c in b.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() { A[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
        }
    }
    out
}
