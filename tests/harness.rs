//! The test harness itself: a throwaway server starts, answers and stores.
use crate::support;

#[test]
fn throwaway_server_starts_and_answers() {
    let url = support::url();
    let db = support::create_db(&url, "harness");
    let (status, body) = support::http(&url, "POST", &format!("/write?db={db}"), None, "", b"m v=1i 1");
    assert_eq!(status, 204, "{body}");
    let out = support::admin_query(&url, &format!("SELECT * FROM \"{db}\"..m"));
    assert!(out.contains("[1,1]") || out.contains("\"1970-01-01T00:00:00.000000001Z\",1"), "{out}");
}

#[test]
fn dedicated_server_restarts_with_its_data() {
    let server = support::Server::start(support::Config::default());
    support::admin_query(&server.url, "CREATE DATABASE r");
    support::http(&server.url, "POST", "/write?db=r", None, "", b"m v=2i 2");
    server.kill();
    assert!(std::net::TcpStream::connect(server.url.trim_start_matches("http://")).is_err());
    server.restart();
    let out = support::admin_query(&server.url, "SELECT count(v) FROM r..m");
    assert!(out.contains(",1]"), "{out}");
}
