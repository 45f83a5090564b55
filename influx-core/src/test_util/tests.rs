use std::io::{Read, Write};
use std::time::Instant;

use super::*;

const TOKEN: (&str, &str) = ("Authorization", "Token secret");
const LP: (&str, &str) = ("Content-Type", "text/plain; charset=utf-8");
const JSON: (&str, &str) = ("Content-Type", "application/json");

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// The violation messages for one request.
fn check(c: &Contract, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<String> {
    c.check_request(method, target, &h(headers), body).into_iter().map(|v| v.message).collect()
}

/// Asserts exactly one violation, containing `part`.
#[track_caller]
fn one(v: Vec<String>, part: &str) {
    assert!(v.len() == 1 && v[0].contains(part), "want one violation containing {part:?}, got {v:#?}");
}

#[test]
fn builtin_contracts_parse_once_and_report_their_parse_time() {
    for (name, f) in [
        ("influxdb2", Contract::influxdb2 as fn() -> Contract),
        ("influxdb3_core", Contract::influxdb3_core),
        ("influxdb3_enterprise", Contract::influxdb3_enterprise),
        ("influxdb3_cloud_dedicated", Contract::influxdb3_cloud_dedicated),
    ] {
        let t = Instant::now();
        let c = f();
        let first = t.elapsed();
        let t = Instant::now();
        let again = f();
        eprintln!("contract {name}: first load {first:?}, cached {:?} ({c:?})", t.elapsed());
        assert!(Arc::ptr_eq(&c.inner_for_tests(), &again.inner_for_tests()), "{name} is parsed once");
        assert!(!c.is_none());
    }
    assert!(Contract::none().is_none());
}

use std::sync::Arc;

#[test]
fn v2_write_parameters_headers_and_auth() {
    let c = Contract::influxdb2();
    let w = |target: &str, headers: &[(&str, &str)], body: &[u8]| check(&c, "POST", target, headers, body);
    assert_eq!(w("/api/v2/write?org=o&bucket=b&precision=ns", &[TOKEN, LP], b"m v=1 1\n"), Vec::<String>::new());
    // Errata: orgID instead of org; no Content-Type (read as line protocol); gzip.
    assert!(w("/api/v2/write?orgID=0123456789abcdef&bucket=b", &[TOKEN], b"m v=1").is_empty());
    assert!(w("/api/v2/write?org=o&bucket=b", &[TOKEN, LP, ("Content-Encoding", "gzip")], b"m v=1").is_empty());

    one(w("/api/v2/write?bucket=b", &[TOKEN, LP], b"m v=1"), "one of `org` or `orgID` is required");
    one(w("/api/v2/write?org=o", &[TOKEN, LP], b"m v=1"), "missing required query parameter `bucket`");
    one(w("/api/v2/write?org=o&bucket=b&precision=xs", &[TOKEN, LP], b"m v=1"), "query parameter `precision`=\"xs\"");
    one(w("/api/v2/write?org=o&bucket=b&bucket=c", &[TOKEN, LP], b"m v=1"), "`bucket` is given 2 times");
    one(w("/api/v2/write?org=o&bucket=b&db=x", &[TOKEN, LP], b"m v=1"), "query parameter `db` is not in the contract");
    one(w("/api/v2/write?org=o&bucket=b", &[LP], b"m v=1"), "no credentials");
    one(w("/api/v2/write?org=o&bucket=b", &[TOKEN, JSON], b"m v=1"), "header `Content-Type: application/json`");
    one(w("/api/v2/write?org=o&bucket=b", &[TOKEN, LP, ("Content-Encoding", "br")], b"m v=1"), "Content-Encoding");
    one(w("/api/v2/write?org=o&bucket=b", &[TOKEN, LP], b""), "request body is required");
    one(check(&c, "GET", "/api/v2/write?org=o&bucket=b", &[TOKEN], b""), "method GET is not allowed on /api/v2/write");
    one(
        check(&c, "POST", "/api/v2/writes", &[TOKEN], b""),
        "no path in the InfluxDB 2 OSS contract matches /api/v2/writes",
    );
}

#[test]
fn v2_paths_resolve_against_servers_and_templates() {
    let c = Contract::influxdb2();
    // `/health`, `/ready` and `/ping` override the `/api/v2` server URL; no token needed (errata).
    for (m, p) in [("GET", "/health"), ("GET", "/ready"), ("GET", "/ping"), ("HEAD", "/ping"), ("GET", "/api/v2/setup")]
    {
        assert!(check(&c, m, p, &[], b"").is_empty(), "{m} {p}");
    }
    one(check(&c, "GET", "/api/v2/ping", &[], b""), "no path");
    one(check(&c, "GET", "/api/v2/buckets", &[], b""), "no credentials");
    // `/api/v2` itself (the `/` path under the server URL).
    assert!(check(&c, "GET", "/api/v2", &[TOKEN], b"").is_empty());
    assert!(check(&c, "DELETE", "/api/v2/buckets/37407e232b3911d8", &[TOKEN], b"").is_empty());
    one(check(&c, "PUT", "/api/v2/buckets/37407e232b3911d8", &[TOKEN], b""), "(the contract has DELETE, GET, PATCH)");
    // A literal segment wins over a template: `/orgs/{orgID}/secrets/delete` is POST only.
    one(
        check(&c, "GET", "/api/v2/orgs/1/secrets/delete", &[TOKEN], b""),
        "not allowed on /api/v2/orgs/{orgID}/secrets/delete",
    );
    // Typed query parameters.
    assert!(check(&c, "GET", "/api/v2/buckets?limit=100&offset=0&name=b", &[TOKEN], b"").is_empty());
    one(check(&c, "GET", "/api/v2/buckets?limit=101", &[TOKEN], b""), "101 is above the maximum 100");
    one(check(&c, "GET", "/api/v2/buckets?limit=x", &[TOKEN], b""), "not an integer");
    one(check(&c, "GET", "/api/v2/orgs?descending=yes", &[TOKEN], b""), "not `true` or `false`");
}

#[test]
fn v2_json_bodies_against_schemas() {
    let c = Contract::influxdb2();
    let q = |body: &str, headers: &[(&str, &str)]| check(&c, "POST", "/api/v2/query?org=o", headers, body.as_bytes());
    let good = r##"{"query":"from(bucket:\"b\")","type":"flux","dialect":{"header":true,"delimiter":",","annotations":["datatype","group","default"],"commentPrefix":"#","dateTimeFormat":"RFC3339Nano"}}"##;
    assert_eq!(q(good, &[TOKEN, JSON]), Vec::<String>::new());
    assert!(q("from(bucket:\"b\")", &[TOKEN, ("Content-Type", "application/vnd.flux")]).is_empty());
    one(q(r#"{"type":"flux"}"#, &[TOKEN, JSON]), r#"body: missing required property "query""#);
    one(q(r#"{"query":"x","type":"sql"}"#, &[TOKEN, JSON]), r#"body.type: "sql" is not one of ["flux"]"#);
    one(q(r#"{"query":"x","dialect":{"annotations":["bogus"]}}"#, &[TOKEN, JSON]), "body.dialect.annotations[0]");
    one(q(r#"{"query":"x","dialect":{"delimiter":",,"}}"#, &[TOKEN, JSON]), "longer than 1 characters");
    one(q(r#"{"query":"x","now":"yesterday"}"#, &[TOKEN, JSON]), "is not an RFC 3339 date-time");
    one(q(good, &[TOKEN]), "missing `Content-Type` header");
    one(q(good, &[TOKEN, ("Content-Type", "text/plain")]), "`Content-Type: text/plain`");
    one(q("{not json", &[TOKEN, JSON]), "the body is not valid JSON");

    let d = |body: &str| check(&c, "POST", "/api/v2/delete?org=o&bucket=b", &[TOKEN, JSON], body.as_bytes());
    assert!(d(r#"{"start":"2020-01-01T00:00:00Z","stop":"2020-01-02T00:00:00Z","predicate":"_measurement=\"m\""}"#)
        .is_empty());
    one(d(r#"{"start":"2020-01-01","stop":"2020-01-02T00:00:00Z"}"#), "body.start");
    one(d(r#"{"start":"2020-01-01T00:00:00Z"}"#), r#"missing required property "stop""#);

    let b = |body: &str| check(&c, "POST", "/api/v2/buckets", &[TOKEN, JSON], body.as_bytes());
    assert!(b(r#"{"orgID":"0123456789abcdef","name":"b","retentionRules":[{"type":"expire","everySeconds":3600}]}"#)
        .is_empty());
    one(
        b(r#"{"orgID":"0123456789abcdef","name":"b","retentionRules":[{"everySeconds":"1h"}]}"#),
        "everySeconds: expected integer, found string",
    );
    one(b(r#"{"name":"b"}"#), r#"missing required property "orgID""#);

    let a = |body: &str| check(&c, "POST", "/api/v2/authorizations", &[TOKEN, JSON], body.as_bytes());
    assert!(a(r#"{"orgID":"0123456789abcdef","permissions":[{"action":"write","resource":{"type":"buckets","id":"0123456789abcdef"}}]}"#).is_empty());
    let e = a(r#"{"orgID":"0123456789abcdef","permissions":[{"action":"delete","resource":{"type":"buckets"}}]}"#);
    one(e, r#"body.permissions[0].action: "delete" is not one of ["read","write"]"#);

    let s = check(&c, "POST", "/api/v2/setup", &[JSON], br#"{"username":"u","password":"p","org":"o","bucket":"b"}"#);
    assert!(s.is_empty(), "{s:?}");
    one(
        check(&c, "POST", "/api/v2/setup", &[JSON], br#"{"username":"u","org":"o"}"#),
        r#"missing required property "bucket""#,
    );
}

#[test]
fn v2_v1_compatibility_paths() {
    let c = Contract::influxdb2();
    assert!(check(&c, "POST", "/write?db=d&rp=autogen&precision=s", &[TOKEN], b"m v=1 1").is_empty());
    assert!(check(&c, "POST", "/write?db=d&u=user&p=pass", &[], b"m v=1 1").is_empty());
    assert!(check(&c, "POST", "/write?db=d", &[("Authorization", "Basic dTpw")], b"m v=1 1").is_empty());
    one(check(&c, "POST", "/write", &[TOKEN], b"m v=1 1"), "missing required query parameter `db`");
    // Errata: 1.x clients send the query as a form, by GET too, with `epoch`.
    let form = [TOKEN, ("Content-Type", "application/x-www-form-urlencoded")];
    assert!(check(&c, "POST", "/query?db=d&epoch=ms", &form, b"q=SELECT+1").is_empty());
    assert!(check(&c, "POST", "/query?db=d", &[TOKEN, ("Content-Type", "application/vnd.influxql")], b"SELECT 1")
        .is_empty());
    assert!(check(&c, "GET", "/query?db=d&q=SELECT+1&chunked=true", &[TOKEN], b"").is_empty());
    one(check(&c, "POST", "/query?db=d", &[TOKEN, JSON], b"{}"), "`Content-Type: application/json`");
}

#[test]
fn v3_core_and_enterprise() {
    for c in [Contract::influxdb3_core(), Contract::influxdb3_enterprise()] {
        let bearer = ("Authorization", "Bearer apiv3_x");
        let w = |target: &str, headers: &[(&str, &str)]| check(&c, "POST", target, headers, b"m v=1 1\n");
        assert!(w("/api/v3/write_lp?db=d&precision=auto&accept_partial=false&no_sync=true", &[bearer]).is_empty());
        assert!(w("/api/v3/write_lp?db=d", &[TOKEN, LP]).is_empty());
        one(w("/api/v3/write_lp?db=d&accept_partial=maybe", &[bearer]), "not `true` or `false`");
        one(w("/api/v3/write_lp", &[bearer]), "missing required query parameter `db`");
        one(w("/api/v3/write_lp?db=d", &[]), "no credentials");
        one(
            w("/api/v3/write_lp?db=d", &[("Authorization", "Basic dTpw"), ("Content-Type", "text/csv")]),
            "Content-Type",
        );
        assert!(w("/api/v2/write?bucket=d&precision=ms&accept_partial=true", &[bearer, LP]).is_empty());
        one(w("/api/v2/write?bucket=d&precision=xs", &[bearer]), "query parameter `precision`");
        assert!(w("/write?db=d&precision=n&u=x&p=token", &[]).is_empty());

        let q = |body: &str| check(&c, "POST", "/api/v3/query_sql", &[bearer, JSON], body.as_bytes());
        assert!(q(r#"{"db":"d","q":"SELECT 1","format":"jsonl","params":{"x":1}}"#).is_empty());
        one(q(r#"{"db":"d","q":"SELECT 1","format":"xml"}"#), "body.format");
        one(q(r#"{"db":"d"}"#), r#"missing required property "q""#);
        // A GET carries its query in the query string; the contract's "required" body does not apply.
        assert!(check(&c, "GET", "/api/v3/query_sql?db=d&q=SELECT%201&format=jsonl", &[bearer], b"").is_empty());
        one(check(&c, "GET", "/api/v3/query_sql?db=d&q=x&format=xml", &[bearer], b""), "query parameter `format`");
        assert!(
            check(&c, "GET", "/query?db=d&q=SELECT+1&epoch=ms&chunked=true&chunk_size=10", &[bearer], b"").is_empty()
        );
        one(check(&c, "GET", "/query?db=d&q=x&epoch=days", &[bearer], b""), "query parameter `epoch`");
    }
}

#[test]
fn v3_cloud_dedicated() {
    let c = Contract::influxdb3_cloud_dedicated();
    let bearer = ("Authorization", "Bearer t");
    // Errata: Cloud Dedicated does not use `org`.
    assert!(check(&c, "POST", "/api/v2/write?bucket=d&precision=ns", &[bearer, LP], b"m v=1 1").is_empty());
    one(check(&c, "POST", "/api/v3/write_lp?db=d", &[bearer], b"m v=1 1"), "no path");
    // `security: [{}]` makes credentials optional on /ping.
    assert!(check(&c, "GET", "/ping", &[], b"").is_empty());
    assert!(check(&c, "GET", "/query?db=d&q=SELECT+1", &[bearer], b"").is_empty());
}

#[test]
fn user_contracts_and_none() {
    let yaml = "openapi: 3.0.0\nservers:\n  - url: http://localhost:9999/base\npaths:\n  /items/{id}:\n    get:\n      parameters:\n        - {in: query, name: n, required: true, schema: {type: integer, minimum: 1}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [id], properties: {id: {type: string}}}\n";
    let c = Contract::from_yaml("mine", yaml).unwrap();
    assert!(check(&c, "GET", "/base/items/7?n=1", &[], b"").is_empty());
    one(check(&c, "GET", "/base/items/7?n=0", &[], b""), "below the minimum 1");
    one(check(&c, "GET", "/items/7?n=1", &[], b""), "no path in the mine contract");
    assert!(c.check_response("GET", "/base/items/7", 200, Some("application/json"), br#"{"id":"7"}"#).is_empty());
    let v = c.check_response("GET", "/base/items/7", 200, Some("application/json; charset=utf-8"), br#"{"id":7}"#);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].to_string(), "GET /base/items/7 -> 200: body.id: expected string, found integer");
    assert_eq!(c.check_response("GET", "/base/items/7", 404, None, b"").len(), 1);
    assert!(Contract::from_yaml("bad", "paths: [").is_err());
    assert!(Contract::from_yaml("bad", "openapi: 3.0.0").unwrap_err().to_string().contains("no `paths`"));
    assert!(check(&Contract::none(), "BREW", "/anything?x=1", &[], b"x").is_empty());
}

/// Recorded bodies the official contract's own schema rejects, each for a
/// documented reason; the test fails if one starts to validate (then move it out).
const CONTRACT_CONTRADICTIONS: &[(&str, &str)] = &[
    // The contract's own 413 example has code "request too large"; its schema allows only "invalid".
    ("V2_WRITE_TOO_LARGE", r#"body.code: "request too large" is not one of ["invalid"]"#),
    // 3.x returns `format=json` rows as an array (docs, server source); the contract says an object.
    ("V3_QUERY_SQL_JSON", "body: expected object, found array"),
    ("V3_QUERY_INFLUXQL_JSON", "body: expected object, found array"),
];

#[test]
fn every_recorded_json_body_validates_against_its_response_schema() {
    let mut checked = 0;
    for r in recorded::ALL {
        let c = (r.contract)();
        let violations: Vec<String> = c
            .check_response(r.method, r.target, r.status, r.content_type, r.body)
            .into_iter()
            .map(|v| v.message)
            .collect();
        match CONTRACT_CONTRADICTIONS.iter().find(|(n, _)| *n == r.name) {
            Some((_, why)) => one(violations, why),
            None => assert!(violations.is_empty(), "{}: {violations:#?}", r.name),
        }
        let media = r.content_type.map(contract::media_type);
        if media.as_deref().is_some_and(contract::is_json_media) {
            serde_json::from_slice::<serde_json::Value>(r.body).unwrap_or_else(|e| panic!("{}: {e}", r.name));
            checked += 1;
        }
        if media.as_deref() == Some("application/jsonl") {
            for line in r.body.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                serde_json::from_slice::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{}: {e}", r.name));
            }
        }
        // The request each entry answers is itself valid (bodiless requests: the query and path).
        if r.method == "GET" || r.method == "DELETE" {
            let v = c.check_request(r.method, r.target, &h(&[("Authorization", "Token t")]), b"");
            assert!(v.is_empty(), "{}: {v:?}", r.name);
        }
        assert!(r.body.is_empty() == r.content_type.is_none(), "{}: a body needs a Content-Type", r.name);
    }
    assert!(checked >= 25, "only {checked} JSON bodies");
    for (n, _) in CONTRACT_CONTRADICTIONS {
        assert!(recorded::ALL.iter().any(|r| r.name == *n), "{n} is not recorded");
    }
}

#[test]
fn recorded_real_forms_against_the_docs_forms() {
    use recorded::*;
    // Annotated CSV: the server ends rows with \r\n and each result with one more \r\n.
    for (real, docs) in [
        (V2_QUERY_SINGLE_RESULT, V2_QUERY_SINGLE_RESULT_DOCS),
        (V2_QUERY_MULTIPLE_TABLES, V2_QUERY_MULTIPLE_TABLES_DOCS),
    ] {
        let docs = std::str::from_utf8(docs.body).unwrap();
        assert!(!docs.contains('\r'));
        assert_eq!(std::str::from_utf8(real.body).unwrap(), docs.replace('\n', "\r\n") + "\r\n", "{}", real.name);
    }
    let table = std::str::from_utf8(V2_QUERY_ERROR_TABLE.body).unwrap();
    assert!(table.split_inclusive('\n').all(|l| l.ends_with("\r\n")));
    assert!(table.ends_with(",error,reference\r\n,Failed to parse query,\r\n"));
    assert!(std::str::from_utf8(V2_QUERY_ERROR_TABLE_DOCS.body).unwrap().contains(",Failed to parse query,897\n"));
    // JSON errors the server writes with json.Marshal are one compact line; the docs pretty-print them.
    for r in [
        V2_WRITE_PARTIAL,
        V2_WRITE_LINE_PROTOCOL_ERROR,
        V3_WRITE_LP_PARTIAL_ACCEPTED,
        V3_WRITE_LP_PARTIAL_REJECTED,
        V3_DEDICATED_REJECTED_POINTS,
    ] {
        let text = std::str::from_utf8(r.body).unwrap();
        assert!(!text.contains('\n') && !text.contains("{ ") && !text.contains("\", \""), "{}: {text}", r.name);
    }
    let partial: serde_json::Value = serde_json::from_slice(V2_WRITE_PARTIAL.body).unwrap();
    assert_eq!(partial["message"], "partial write error (5 accepted): 1 out of 6 points rejected (check rejected_points in your _monitoring bucket for further information)");
    let accepted: serde_json::Value = serde_json::from_slice(V3_WRITE_LP_PARTIAL_ACCEPTED.body).unwrap();
    assert_eq!(accepted["data"][0]["line_number"], 2);
    let rejected: serde_json::Value = serde_json::from_slice(V3_WRITE_LP_PARTIAL_REJECTED.body).unwrap();
    assert!(rejected["data"].is_object());
    // 2.x's API layer indents with tabs and escapes `&` as Go does.
    assert!(std::str::from_utf8(V2_BUCKETS.body)
        .unwrap()
        .starts_with("{\n\t\"links\": {\n\t\t\"self\": \"/api/v2/buckets?descending=false\\u0026limit=20"));
    // format=json holds the same rows as format=jsonl.
    let rows: Vec<serde_json::Value> = serde_json::from_slice(V3_QUERY_SQL_JSON.body).unwrap();
    let lines: Vec<serde_json::Value> = V3_QUERY_SQL_JSONL
        .body
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(rows, lines);
    assert!(V3_QUERY_SQL_JSONL.body.ends_with(b"\n"));
}

// ---- the server ----

fn start(c: Contract) -> ReplayServer {
    ReplayServer::start(c).unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn answers_with_exact_recorded_bytes_in_order() {
    let s = start(Contract::influxdb2());
    let target = "/api/v2/write?org=o&bucket=b";
    s.expect(Exchange::new(Method::Post, target).respond_recorded(&recorded::V2_WRITE_RETRY_AFTER_503))
        .expect(Exchange::new(Method::Post, target).body("m v=1 1\n").respond_recorded(&recorded::V2_WRITE_PARTIAL));
    let (st, body) = send(&s.url(), "POST", target, &[TOKEN, LP], b"m v=1 1\n").unwrap();
    assert_eq!((st, body.as_slice()), (503, &b""[..]));
    let (st, body) = send(&s.url(), "POST", target, &[TOKEN, LP], b"m v=1 1\n").unwrap();
    assert_eq!((st, body.as_slice()), (400, recorded::V2_WRITE_PARTIAL.body));
    s.verify().unwrap();
    assert_eq!(s.requests().iter().map(|r| r.status).collect::<Vec<_>>(), [503, 400]);
}

#[test]
fn keep_alive_chunked_and_gzip_request_bodies() {
    let s = start(Contract::influxdb2());
    let target = "/api/v2/write?org=o&bucket=b";
    s.expect(Exchange::new(Method::Post, target).body("m v=1 1\n").respond(204, "").times(2));
    s.expect(Exchange::new(Method::Get, "/health").respond_recorded(&recorded::V2_HEALTH));
    let gz = gzip(b"m v=1 1\n");
    let mut raw = format!(
        "POST {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Token t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nm v\r\n5\r\n=1 1\n\r\n0\r\n\r\n\
         POST {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Token t\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        gz.len()
    )
    .into_bytes();
    raw.extend_from_slice(&gz);
    raw.extend_from_slice(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut conn = std::net::TcpStream::connect(s.addr()).unwrap();
    conn.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    conn.write_all(&raw).unwrap();
    let mut out = Vec::new();
    conn.read_to_end(&mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let mut want = "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n".to_owned();
    want += &format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        recorded::V2_HEALTH.body.len(),
        std::str::from_utf8(recorded::V2_HEALTH.body).unwrap()
    );
    assert_eq!(out, want);
    s.verify().unwrap();
    let reqs = s.requests();
    assert_eq!(reqs[1].raw_body, gz);
    assert_eq!(reqs[1].body, b"m v=1 1\n");
}

#[test]
fn violations_get_a_400_and_fail_verify() {
    let s = start(Contract::influxdb2());
    s.expect(Exchange::new(Method::Post, "/api/v2/write").respond(204, "").any_times());
    // Violates the contract: no bucket, no credentials.
    let (st, body) = send(&s.url(), "POST", "/api/v2/write?org=o", &[LP], b"m v=1").unwrap();
    let body = String::from_utf8(body).unwrap();
    assert_eq!(st, 400);
    assert!(body.contains("violates the InfluxDB 2 OSS contract"), "{body}");
    assert!(body.contains("missing required query parameter `bucket`") && body.contains("no credentials"), "{body}");
    // Not gzip although it says so.
    let (st, _) =
        send(&s.url(), "POST", "/api/v2/write?org=o&bucket=b", &[TOKEN, ("Content-Encoding", "gzip")], b"m v=1")
            .unwrap();
    assert_eq!(st, 400);
    let err = s.verify().unwrap_err();
    assert_eq!(err.problems().len(), 3, "{err}");
    assert!(err.to_string().contains("not valid gzip"), "{err}");
    assert_eq!(s.violations()[0].request, "POST /api/v2/write?org=o");
}

#[test]
fn unexpected_and_unmet_fail_verify() {
    let s = start(Contract::none());
    s.expect(Exchange::new(Method::Get, "/ping").respond(204, "").times(2));
    s.expect(Exchange::new(Method::Post, "/query").query("db", "d").json_body(serde_json::json!({"a": [1, 2]})));
    let (st, _) = send(&s.url(), "GET", "/ping", &[], b"").unwrap();
    assert_eq!(st, 204);
    // Same JSON value, other spacing and key order: matches.
    let (st, _) = send(&s.url(), "POST", "/query?x=1&db=d", &[], b"{ \"a\" : [1,2] }").unwrap();
    assert_eq!(st, 200);
    let (st, body) = send(&s.url(), "GET", "/nope", &[], b"").unwrap();
    assert_eq!(
        (st, String::from_utf8(body).unwrap()),
        (404, "replay server: no expectation matches GET /nope\n".to_owned())
    );
    let err = s.verify().unwrap_err().to_string();
    assert!(err.contains("unexpected request (no expectation matches): GET /nope"), "{err}");
    assert!(err.contains("expected GET /ping 2 time(s), received 1"), "{err}");
}

#[test]
fn head_requests_get_headers_without_a_body() {
    let s = start(Contract::influxdb2());
    s.expect(Exchange::new(Method::Head, "/ping").respond_recorded(&recorded::V2_PING));
    let mut conn = std::net::TcpStream::connect(s.addr()).unwrap();
    conn.write_all(b"HEAD /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    conn.read_to_string(&mut out).unwrap();
    assert_eq!(
        out,
        "HTTP/1.1 204 No Content\r\nX-Influxdb-Build: OSS\r\nX-Influxdb-Version: v2.7.11\r\nConnection: close\r\n\r\n"
    );
    s.verify().unwrap();
}

#[test]
fn malformed_http_is_a_violation() {
    let s = start(Contract::none());
    let mut conn = std::net::TcpStream::connect(s.addr()).unwrap();
    conn.write_all(b"POST /w HTTP/1.1\r\nContent-Length: nope\r\n\r\n").unwrap();
    let mut out = String::new();
    conn.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n") && out.contains("invalid Content-Length"), "{out}");
    assert!(s.verify().unwrap_err().to_string().contains("malformed HTTP request"));
}

#[test]
fn dropping_unverified_problems_panics() {
    let caught = std::panic::catch_unwind(|| {
        let s = start(Contract::none());
        let _ = send(&s.url(), "GET", "/x", &[], b"").unwrap();
    });
    let msg = caught.unwrap_err();
    let msg = msg.downcast_ref::<String>().unwrap();
    assert!(msg.contains("unexpected request") && msg.contains("dropped without verify()"), "{msg}");
    // Verified (even with problems): dropping is quiet.
    let s = start(Contract::none());
    let _ = send(&s.url(), "GET", "/x", &[], b"").unwrap();
    assert!(s.verify().is_err());
}
