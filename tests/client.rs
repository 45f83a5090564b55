//! Connection options against real influxd instances: auth, HTTPS, gzip, unix socket, UDP, DSN,
//! switching, proxy and headers, timeouts, secrets.
use crate::support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use influx::writer::WriterOptions;
use influx::{Client, ErrorKind, Ident, Management as _, Query, WriteOptions};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn count(c: &Client, m: &str) -> i64 {
    let rows: Vec<(i64, i64)> = rt().block_on(c.query_as(format!("SELECT count(v) FROM {m}"))).unwrap();
    rows.first().map_or(0, |r| r.1)
}

const SECRET: &str = "pa:ss w0rd/é";

#[test]
fn auth_basic_switch_user_and_typed_errors() {
    let server = support::Server::start(support::Config { auth: true, ..Default::default() });
    // Auth on, no users yet: only creating an admin is allowed.
    let c = Client::builder(&server.url).database("d").credentials("admin", SECRET).build().unwrap();
    let err = rt().block_on(c.query_as::<(String,)>("SHOW DATABASES")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err:?}");
    support::http(
        &server.url,
        "POST",
        "/query",
        None,
        "application/x-www-form-urlencoded",
        format!(
            "q={}",
            support::form_encode(&format!(
                "CREATE USER admin WITH PASSWORD '{}' WITH ALL PRIVILEGES",
                SECRET.replace('\'', "\\'")
            ))
        )
        .as_bytes(),
    );
    rt().block_on(c.query("CREATE DATABASE d")).unwrap();
    rt().block_on(c.query(format!("CREATE USER reader WITH PASSWORD '{SECRET}'"))).unwrap();
    rt().block_on(c.query("GRANT READ ON d TO reader")).unwrap();
    rt().block_on(c.write_lp("m v=1i 1", &WriteOptions::new())).unwrap();
    assert_eq!(count(&c, "m"), 1);

    // No credentials, wrong password, read-only user.
    let anon = Client::new(&server.url, "d").unwrap();
    assert_eq!(
        rt().block_on(anon.query_as::<(i64, i64)>("SELECT v FROM m")).unwrap_err().kind(),
        ErrorKind::Unauthorized
    );
    let mut wrong = c.clone();
    wrong.switch_user("admin", "nope");
    let err = rt().block_on(wrong.write_lp("m v=2i 2", &WriteOptions::new())).unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Unauthorized, Some(401)));
    let mut reader = c.clone();
    reader.switch_user("reader", SECRET);
    assert_eq!(reader.username(), Some("reader"));
    assert_eq!(rt().block_on(reader.query_as::<(i64, i64)>("SELECT v FROM m")).unwrap(), vec![(1, 1)]);
    let err = rt().block_on(reader.write_lp("m v=2i 2", &WriteOptions::new())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    // The original handle is unaffected by switching its clones.
    assert_eq!(c.username(), Some("admin"));

    // DSN with percent-encoded credentials.
    let port = server.url.rsplit(':').next().unwrap();
    let dsn = format!("influxdb://admin:{}@127.0.0.1:{port}/d", "pa%3Ass%20w0rd%2F%C3%A9");
    let from_dsn = Client::from_dsn(&dsn).unwrap();
    assert_eq!(count(&from_dsn, "m"), 1);

    // The password never shows in Debug or in any error.
    for text in [
        format!("{c:?}"),
        format!("{reader:?}"),
        format!("{from_dsn:?}"),
        format!("{err:?} {err}"),
        format!("{:?}", Client::from_dsn("influxdb://admin:pa%3Ass%20w0rd%2F%C3%A9@127.0.0.1:1/d")),
    ] {
        assert!(!text.contains(SECRET) && !text.contains("pa%3Ass"), "{text}");
    }
    let refused = Client::builder("http://127.0.0.1:1").credentials("admin", SECRET).build().unwrap();
    let err = rt().block_on(refused.ping()).unwrap_err();
    assert!(err.is_connect());
    let mut chain = format!("{err:?}");
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&err);
    while let Some(s) = src {
        chain += &s.to_string();
        src = s.source();
    }
    assert!(!chain.contains(SECRET), "{chain}");

    // `Token` auth is 1.8+: 1.6 answers 401, surfaced as such.
    let tok = Client::builder(&server.url).database("d").token(format!("admin:{SECRET}")).build().unwrap();
    assert_eq!(
        rt().block_on(tok.query_as::<(i64, i64)>("SELECT v FROM m")).unwrap_err().kind(),
        ErrorKind::Unauthorized
    );
}

struct Pki {
    ca: String,
    dir: std::path::PathBuf,
    client_identity: String,
}

fn make_pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server_cert =
        CertificateParams::new(vec!["localhost".to_owned()]).unwrap().signed_by(&server_key, &ca).unwrap();
    let client_key = KeyPair::generate().unwrap();
    let client_cert = CertificateParams::new(vec!["client".to_owned()]).unwrap().signed_by(&client_key, &ca).unwrap();
    let dir = std::env::temp_dir().join(format!("influx-tls-{}-{:?}", std::process::id(), std::thread::current().id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cert.pem"), server_cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), server_key.serialize_pem()).unwrap();
    Pki { ca: ca.pem(), dir, client_identity: format!("{}{}", client_cert.pem(), client_key.serialize_pem()) }
}

#[test]
fn https_verifies_by_default_and_trusts_a_custom_ca() {
    let pki = make_pki();
    let server = support::Server::start(support::Config {
        https: Some((pki.dir.join("cert.pem"), pki.dir.join("key.pem"))),
        ..Default::default()
    });
    assert!(server.url.starts_with("https://localhost:"));
    // Verification is on by default: a certificate from an unknown CA is refused, with its
    // own kind that names the problem and is never retried.
    let plain = Client::new(&server.url, "d").unwrap();
    let err = rt().block_on(plain.ping()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err:?}");
    assert_eq!(
        err.to_string(),
        "TLS certificate verification failed: the server's certificate is not signed by a trusted CA (unknown issuer)"
    );
    assert!(!err.is_retryable() && !err.is_connect());
    rt().block_on(async {
        let opts = WriterOptions::new().max_retries(5).retry_interval(Duration::from_millis(10));
        let w = plain.untyped_writer(opts).unwrap();
        w.write_line("m v=1i 1").await.unwrap();
        let report = w.close().await.unwrap();
        assert_eq!((report.stats.requests, report.stats.retries, report.stats.failed), (1, 0, 1), "{report:?}");
        assert_eq!(report.failed[0].error().kind(), ErrorKind::Tls);
    });
    // With the CA: works, including a query and a write.
    let c = Client::builder(&server.url).database("d").ca_certificate_pem(pki.ca.clone()).build().unwrap();
    assert!(rt().block_on(c.ping()).unwrap().version().starts_with("1."));
    rt().block_on(c.query("CREATE DATABASE d")).unwrap();
    rt().block_on(c.write_lp("m v=1i 1", &WriteOptions::new())).unwrap();
    assert_eq!(count(&c, "m"), 1);
    // Only our CA, plus a client certificate (influxd 1.x does not ask for one; the handshake still succeeds).
    let mtls = Client::builder(&server.url)
        .database("d")
        .ca_certificate_pem(pki.ca.clone())
        .ca_certificates_only(true)
        .client_identity_pem(pki.client_identity.clone())
        .build()
        .unwrap();
    assert_eq!(count(&mtls, "m"), 1);
    // The name must match: the certificate is for `localhost`, not 127.0.0.1.
    let by_ip = server.url.replace("localhost", "127.0.0.1");
    let c = Client::builder(by_ip).ca_certificate_pem(pki.ca.clone()).build().unwrap();
    let err = rt().block_on(c.ping()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls);
    assert!(err.to_string().contains("not valid for this host name"), "{err}");
    // The explicit opt-out accepts it.
    let c = Client::builder(&server.url).danger_accept_invalid_certs(true).build().unwrap();
    rt().block_on(c.ping()).unwrap();
    // https+influxdb DSN with the CA.
    let port = server.url.rsplit(':').next().unwrap();
    let b: influx::ClientBuilder = format!("https+influxdb://localhost:{port}/d").parse().unwrap();
    assert_eq!(count(&b.ca_certificate_pem(pki.ca.clone()).build().unwrap(), "m"), 1);
    // Bad PEM is a builder error, not a panic.
    assert_eq!(
        Client::builder(&server.url).client_identity_pem("junk").build().unwrap_err().kind(),
        ErrorKind::Builder
    );
    let _ = std::fs::remove_dir_all(&pki.dir);
}

#[test]
fn gzip_both_ways() {
    let url = support::url();
    let db = support::create_db(&url, "gzip");
    let c = Client::builder(&url).database(&db).gzip(true).build().unwrap();
    let lp: Vec<String> = (0..5000).map(|i| format!("m,host=h{} v={i}i {i}", i % 7)).collect();
    rt().block_on(c.write_lp(lp.join("\n"), &WriteOptions::new())).unwrap();
    assert_eq!(count(&c, "m"), 5000);
    let rows: Vec<(i64, i64)> = rt().block_on(c.query_as(Query::new("SELECT v FROM m").chunked(false))).unwrap();
    assert_eq!(rows.len(), 5000);
    // Per-call override on a gzip-off client, and the server really reads gzip: a raw gzip body
    // sent without the header would be unparsable.
    let plain = Client::new(&url, &db).unwrap();
    rt().block_on(plain.write_lp("n v=1i 1", &WriteOptions::new().gzip(true))).unwrap();
    assert_eq!(count(&plain, "n"), 1);
}

#[test]
fn unix_socket() {
    let server = support::Server::start(support::Config { unix_socket: true, ..Default::default() });
    let path = server.socket_path.clone().unwrap();
    let c = influx::ClientBuilder::new().unix_socket(&path).database("u").build().unwrap();
    assert!(rt().block_on(c.ping()).unwrap().version().starts_with("1."));
    rt().block_on(c.query("CREATE DATABASE u")).unwrap();
    rt().block_on(c.write_lp("m v=3i 1", &WriteOptions::new())).unwrap();
    assert_eq!(count(&c, "m"), 1);
    // It really went through the socket: the same data over TCP.
    assert_eq!(count(&Client::new(&server.url, "u").unwrap(), "m"), 1);
}

#[test]
fn udp_writes_are_packed_and_arrive() {
    let server = support::Server::start(support::Config { udp_database: Some("udp".into()), ..Default::default() });
    support::admin_query(&server.url, "CREATE DATABASE udp");
    let addr = server.udp_addr.clone().unwrap();
    let udp = influx::UdpWriter::connect(&addr).unwrap();
    let lp: Vec<String> = (0..300).map(|i| format!("m,host=h{} v={i}i {}", i % 3, 1_000_000_000 + i)).collect();
    let body = lp.join("\n");
    let datagrams = udp.write_lp(body.as_bytes()).unwrap();
    assert!(datagrams > 1 && datagrams < 300, "{datagrams}");
    // And through a udp+influxdb DSN client, as influxdb-python reads it: the DSN's port is
    // HTTP's (queries), the UDP port is given apart (`udp_port`, 4444 unless set).
    let udp_port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();
    let http_port = server.url.rsplit(':').next().unwrap();
    let dsn = format!("udp+influxdb://127.0.0.1:{http_port}/udp");
    let b: influx::ClientBuilder = dsn.parse().unwrap();
    let dsn_client = b.udp_port(udp_port).build().unwrap();
    let shown = format!("{dsn_client:?}");
    assert!(shown.contains(&format!("udp_writes_to: Some(127.0.0.1:{udp_port})")), "{shown}");
    assert!(shown.contains(&format!("127.0.0.1:{http_port}")), "{shown}");
    assert!(format!("{:?}", Client::from_dsn(&dsn).unwrap()).contains("udp_writes_to: Some(127.0.0.1:4444)"));
    assert!(format!("{:?}", Client::new(&server.url, "udp").unwrap()).contains("udp_writes_to: None"));
    rt().block_on(dsn_client.write_lp("n v=1i 5", &WriteOptions::new())).unwrap();
    // Queries of the same client go to the HTTP port.
    let c = Client::new(&server.url, "udp").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while (count(&c, "m") < 300 || count(&c, "n") < 1) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!((count(&c, "m"), count(&c, "n")), (300, 1));
    assert_eq!(count(&dsn_client, "n"), 1);
}

#[test]
fn switching_database_and_retention_policy() {
    let url = support::url();
    let a = support::create_db(&url, "sw_a");
    let b = support::create_db(&url, "sw_b");
    support::admin_query(&url, &format!("CREATE RETENTION POLICY short ON \"{b}\" DURATION 1h REPLICATION 1"));
    let mut c = Client::new(&url, &a).unwrap();
    let before = c.clone();
    rt().block_on(c.write_lp("m v=1i", &WriteOptions::new())).unwrap();
    c.switch_database(&b);
    rt().block_on(c.write_lp("m v=2i", &WriteOptions::new())).unwrap();
    c.switch_retention_policy("short");
    rt().block_on(c.write_lp("m v=3i", &WriteOptions::new())).unwrap();
    assert_eq!(count(&before, "m"), 1);
    let in_b: Vec<(i64, i64)> = rt().block_on(c.query_as(format!("SELECT v FROM \"{b}\".\"autogen\".m"))).unwrap();
    assert_eq!(in_b.iter().map(|r| r.1).collect::<Vec<_>>(), vec![2]);
    // Queries use the handle's retention policy too.
    assert_eq!(count(&c, "m"), 1);
    let rows: Vec<(i64, i64)> = rt().block_on(c.query_as("SELECT v FROM m")).unwrap();
    assert_eq!(rows[0].1, 3);
    // Per-call database override.
    rt().block_on(c.write_lp("x v=1i", &WriteOptions::new().database(&a).retention_policy("autogen"))).unwrap();
    assert_eq!(count(&before, "x"), 1);
    assert_eq!(
        rt().block_on(
            c.query_as::<(i64, i64)>(Query::new("SELECT count(v) FROM x").database(&a).retention_policy("autogen"))
        )
        .unwrap()[0]
            .1,
        1
    );
}

/// A minimal HTTP forward proxy that records request heads.
fn start_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut client) = conn else { return };
            let log = log.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                log.lock().unwrap().push(head.clone());
                let target = head.split_whitespace().nth(1).unwrap_or("").to_owned();
                let rest = target.strip_prefix("http://").unwrap_or(&target);
                let (host, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
                let Ok(mut upstream) = TcpStream::connect(host) else { return };
                // Forward in origin form and close after one exchange.
                let mut lines = head.split("\r\n");
                let first = lines.next().unwrap().replacen(&target, &path, 1);
                let mut out = format!("{first}\r\n");
                for l in lines.filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("connection:")) {
                    out += &format!("{l}\r\n");
                }
                out += "Connection: close\r\n\r\n";
                upstream.write_all(out.as_bytes()).unwrap();
                let len = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                let mut body = vec![0; len];
                client.read_exact(&mut body).unwrap();
                upstream.write_all(&body).unwrap();
                let mut resp = Vec::new();
                upstream.read_to_end(&mut resp).unwrap();
                let _ = client.write_all(&resp);
            });
        }
    });
    (format!("http://{addr}"), seen)
}

#[test]
fn proxy_headers_and_credentials_in_a_header_only() {
    let url = support::url();
    let db = support::create_db(&url, "proxy");
    let (proxy, seen) = start_proxy();
    let c = Client::builder(&url)
        .database(&db)
        .proxy(&proxy)
        .header("X-Team", "ops")
        .credentials("someone", SECRET)
        .pool_size(0)
        .build()
        .unwrap();
    rt().block_on(c.write_lp("m v=1i 1", &WriteOptions::new())).unwrap();
    let rows: Vec<(i64, i64)> = rt().block_on(c.query_as("SELECT v FROM m")).unwrap();
    assert_eq!(rows, vec![(1, 1)]);
    let heads = seen.lock().unwrap().clone();
    assert_eq!(heads.len(), 2, "{heads:?}");
    for h in &heads {
        assert!(h.contains("x-team: ops"), "{h}");
        assert!(h.to_ascii_lowercase().contains("authorization: basic "), "{h}");
        let request_line = h.lines().next().unwrap();
        assert!(
            !request_line.contains("someone") && !request_line.contains("p=") && !request_line.contains("u="),
            "{h}"
        );
    }
    assert!(heads[0].starts_with("POST ") && heads[0].contains("/write?"));
    assert!(heads[1].starts_with("GET ") && heads[1].contains("/query?") && heads[1].contains("epoch=ns"));
}

#[test]
fn timeouts_and_connect_errors_are_typed() {
    // A server that accepts and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let _held: Vec<_> = listener.incoming().take(4).collect();
        std::thread::sleep(Duration::from_secs(30));
    });
    let c =
        Client::builder(format!("http://{addr}")).database("d").timeout(Duration::from_millis(300)).build().unwrap();
    let err = rt().block_on(c.ping()).unwrap_err();
    assert!(err.is_timeout() && err.is_retryable(), "{err:?}");
    let c = Client::new("http://127.0.0.1:1", "d").unwrap();
    let err = rt().block_on(c.write_lp("m v=1", &WriteOptions::new())).unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(Client::from_dsn("influxdb://h:notaport/d").is_err());
    assert_eq!(Client::builder("not a url").build().unwrap_err().kind(), ErrorKind::Builder);
    assert_eq!(Client::builder("http://h").header("bad header", "x").build().unwrap_err().kind(), ErrorKind::Builder);
}

#[test]
fn host_port_path_builder_and_dsn_reach_the_server() {
    let url = support::url();
    let db = support::create_db(&url, "parts");
    let hostport = url.trim_start_matches("http://");
    let (host, port) = hostport.rsplit_once(':').unwrap();
    let c =
        influx::ClientBuilder::new().host(host).port(port.parse().unwrap()).path("/").database(&db).build().unwrap();
    rt().block_on(c.write_lp("m v=1i 1", &WriteOptions::new())).unwrap();
    let d = Client::from_dsn(&format!("influxdb://{hostport}/{db}")).unwrap();
    assert_eq!(count(&d, "m"), 1);
}

#[test]
fn client_default_tags_reach_written_points_and_writers() {
    let url = support::url();
    let db = support::create_db(&url, "default_tags");
    let c =
        Client::builder(&url).database(&db).default_tag("dc", "fra 1").default_tag("host", "fallback").build().unwrap();
    let own = influx::Point::new("m").tag("host", "own").field("v", 1_i64).timestamp(1_i64);
    let bare = influx::Point::new("m").field("v", 2_i64).timestamp(2_i64);
    rt().block_on(c.write(&[own, bare])).unwrap();
    let rt2 = rt();
    let rows: Vec<(i64, String, String, i64)> = rt2.block_on(c.query_as("SELECT dc, host, v FROM m")).unwrap();
    // A point's own tag wins; a point without it gets the default.
    assert_eq!(rows, vec![(1, "fra 1".into(), "own".into(), 1), (2, "fra 1".into(), "fallback".into(), 2)]);
    // Writers start from the client's encoding options.
    rt2.block_on(async {
        let w = c.untyped_writer(influx::writer::WriterOptions::new()).unwrap();
        w.write(&influx::Point::new("w").field("v", 3_i64).timestamp(3_i64)).await.unwrap();
        assert!(w.close().await.unwrap().failed.is_empty());
    });
    let rows: Vec<(i64, String, i64)> = rt2.block_on(c.query_as("SELECT dc, v FROM w")).unwrap();
    assert_eq!(rows, vec![(3, "fra 1".into(), 3)]);
}

/// A loopback HTTP server answering every request with `respond(head, body)`,
/// recording each request's head. Closes the connection after each answer.
fn serve(respond: fn(&str, &[u8]) -> String) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if conn.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let len = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
                .unwrap_or(0);
            let mut body = vec![0; len];
            let _ = conn.read_exact(&mut body);
            log.lock().unwrap().push(head.clone());
            let _ = conn.write_all(respond(&head, &body).as_bytes());
        }
    });
    (format!("http://{addr}"), seen)
}

/// A misbehaving proxy's error page: the whole request, headers and body, echoed.
fn echo_502(head: &str, body: &[u8]) -> String {
    let page = format!("<h1>502 Bad Gateway</h1>\n<pre>\n{head}{}\n</pre>", String::from_utf8_lossy(body));
    format!(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
        page.len()
    )
}

/// Issue 9 scenario 35: tracing output (TRACE, every field) captured while requests with
/// basic and token credentials fail, through the server and through a proxy that echoes the
/// request into its error page, holds no secret and no payload; neither do the errors.
#[test]
fn secrets_stay_out_of_traces_errors_and_logs() {
    const WRONG: &str = "wr0ng-Secret-xyz";
    const TOKEN: &str = "admin:t0ken-Secret-xyz";
    const API_KEY: &str = "k3y-Secret-xyz";
    const NEW_PW: &str = "n3w-Secret-xyz";
    const PAYLOAD_MARK: &str = "payload-marker-0123";
    let server = support::Server::start(support::Config { auth: true, ..Default::default() });
    support::http(
        &server.url,
        "POST",
        "/query",
        None,
        "application/x-www-form-urlencoded",
        format!(
            "q={}",
            support::form_encode(&format!(
                "CREATE USER admin WITH PASSWORD '{}' WITH ALL PRIVILEGES",
                SECRET.replace('\'', "\\'")
            ))
        )
        .as_bytes(),
    );
    let (echo, echo_seen) = serve(echo_502);
    let payload = format!("cpu,host={PAYLOAD_MARK} v=1i 1\ncpu,host={PAYLOAD_MARK}-b v=2i 2");
    let capture = support::trace::Capture::default();
    let mut shown = String::new();
    capture.run(|| {
        rt().block_on(async {
            let mut errors = Vec::new();
            // Basic auth with a wrong password: 401 on query and write.
            let wrong = Client::builder(&server.url).database("d").credentials("admin", WRONG).build().unwrap();
            errors.push(wrong.query("SHOW DATABASES").await.unwrap_err());
            errors.push(wrong.write_lp(payload.clone(), &WriteOptions::new()).await.unwrap_err());
            // Token auth (1.8+ only, so 1.6 answers 401).
            let tok = Client::builder(&server.url).database("d").token(TOKEN).build().unwrap();
            errors.push(tok.query_as::<(i64, i64)>("SELECT v FROM m").await.unwrap_err());
            errors.push(tok.write_lp(payload.clone(), &WriteOptions::new()).await.unwrap_err());
            assert!(errors.iter().all(|e| e.kind() == ErrorKind::Unauthorized), "{errors:?}");
            // A malformed password statement: the server's parse error quotes the password.
            let admin = Client::builder(&server.url).database("d").credentials("admin", SECRET).build().unwrap();
            let e = admin.query(format!("SET PASSWORD FOR admin '{NEW_PW}'")).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadRequest);
            assert!(e.to_string().contains("found <redacted>, expected ="), "{e}");
            errors.push(e);
            // A proxy echoing the request (Authorization, the custom header, the body) into a 502.
            let via = Client::builder(&echo)
                .database("d")
                .credentials("admin", SECRET)
                .header("X-Api-Key", API_KEY)
                .build()
                .unwrap();
            let e = via.write_lp(payload.clone(), &WriteOptions::new()).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Server);
            assert!(e.server_message().unwrap().contains("502 Bad Gateway"), "{e:?}");
            errors.push(e);
            errors.push(via.query("SHOW DATABASES").await.unwrap_err());
            let via_tok = Client::builder(&echo).database("d").token(TOKEN).build().unwrap();
            errors.push(via_tok.query("SHOW DATABASES").await.unwrap_err());
            // The writer retries the 502, logging each retry at WARN, then gives up.
            let opts = WriterOptions::new().max_retries(2).retry_interval(Duration::from_millis(5));
            let w = via.untyped_writer(opts).unwrap();
            for line in payload.lines() {
                w.write_line(line).await.unwrap();
            }
            let report = w.close().await.unwrap();
            assert_eq!((report.stats.retries, report.failed.len()), (2, 1), "{report:?}");
            shown += &format!("{report:?} {:?}", report.failed[0].error());
            for e in &errors {
                shown += &format!("{e} {e:?} {:?}\n", e.server_message());
                let mut src = std::error::Error::source(e);
                while let Some(s) = src {
                    shown += &format!("{s} {s:?}\n");
                    src = s.source();
                }
            }
        });
    });
    // The proxy did see the secrets: what it echoed really held them.
    let heads = echo_seen.lock().unwrap().join("");
    assert!(heads.contains(API_KEY) && heads.to_ascii_lowercase().contains("authorization: token"), "{heads}");
    let logs = capture.text();
    // The capture works: the client's own events are there, password redacted.
    assert!(logs.contains("write failed, retrying") && logs.contains("write answered"), "{logs}");
    assert!(logs.contains("SET PASSWORD FOR admin [REDACTED]"), "{logs}");
    let basic = |user: &str, pw: &str| support::base64(format!("{user}:{pw}").as_bytes());
    for leak in [
        SECRET,
        WRONG,
        TOKEN,
        "t0ken-Secret",
        API_KEY,
        NEW_PW,
        PAYLOAD_MARK,
        &basic("admin", SECRET),
        &basic("admin", WRONG),
    ] {
        assert!(!logs.contains(leak), "`{leak}` in the logs:\n{logs}");
        assert!(!shown.contains(leak), "`{leak}` in an error:\n{shown}");
    }
}

/// Issue 9 scenario 36: a redirect to another origin does not carry `Authorization` there.
/// Redirects are not followed at all (a 3xx is an error naming the status), so nothing
/// reaches the other origin; the test would see the header if that changed.
#[test]
fn a_redirect_to_another_origin_does_not_forward_credentials() {
    let (other, other_seen) =
        serve(|_, _| "HTTP/1.1 204 No Content\r\nX-Influxdb-Version: 1.6.7\r\nConnection: close\r\n\r\n".to_owned());
    static OTHER: OnceLock<String> = OnceLock::new();
    OTHER.set(other.clone()).unwrap();
    let (first, first_seen) = serve(|head, _| {
        let path = head.split_whitespace().nth(1).unwrap_or("/");
        let to = format!("{}{path}", OTHER.get().unwrap());
        format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    });
    rt().block_on(async {
        for c in [
            Client::builder(&first).database("d").credentials("admin", SECRET).build().unwrap(),
            Client::builder(&first).database("d").token(format!("admin:{SECRET}")).build().unwrap(),
        ] {
            let e = c.ping().await.unwrap_err();
            assert_eq!((e.kind(), e.status()), (ErrorKind::Status, Some(307)), "{e:?}");
            let e = c.write_lp("m v=1i 1", &WriteOptions::new()).await.unwrap_err();
            assert_eq!(e.status(), Some(307));
            let e = c.query("SHOW DATABASES").await.unwrap_err();
            assert_eq!(e.status(), Some(307));
        }
    });
    // The first origin got the credentials (6 requests), the other one nothing at all.
    let first_heads = first_seen.lock().unwrap();
    assert_eq!(first_heads.len(), 6);
    assert!(first_heads.iter().all(|h| h.to_ascii_lowercase().contains("authorization: ")), "{first_heads:?}");
    let other_heads = other_seen.lock().unwrap();
    assert!(other_heads.iter().all(|h| !h.to_ascii_lowercase().contains("authorization")), "{other_heads:?}");
    assert!(other_heads.is_empty(), "redirects are not followed: {other_heads:?}");
}

/// A plain-HTTP client loads no CA roots: it builds and works with the system's
/// certificate paths pointed at an empty directory (run in a child process, since the
/// variables are process-wide), where an HTTPS client cannot be built at all.
#[test]
fn plain_http_needs_no_ca_certificates() {
    let url = support::url();
    let empty = std::env::temp_dir().join(format!("influx-no-ca-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    // The child's full test name: this module's path without the binary's crate name.
    let child = format!("{}::no_ca_child", module_path!().split_once("::").map_or("", |(_, m)| m));
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", child.as_str(), "--ignored", "--nocapture", "--test-threads=1"])
        .env("INFLUX_URL", &url)
        .env("INFLUX_NO_CA_CHILD", "1")
        .env("SSL_CERT_FILE", empty.join("none.pem"))
        .env("SSL_CERT_DIR", &empty)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&empty);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&format!("{child} ... ok")) && text.contains("1 passed"), "{text}");
}

/// Run only by [`plain_http_needs_no_ca_certificates`], in a child process without CA certificates.
#[test]
#[ignore = "run by plain_http_needs_no_ca_certificates in a child process"]
fn no_ca_child() {
    assert_eq!(std::env::var("INFLUX_NO_CA_CHILD").as_deref(), Ok("1"), "run by plain_http_needs_no_ca_certificates");
    // The environment really leaves no system roots: an HTTPS client cannot be built, unless
    // Mozilla's roots are compiled in (`webpki-roots`).
    let https = Client::new("https://localhost:8086", "d");
    if cfg!(feature = "webpki-roots") {
        https.unwrap();
    } else {
        let e = https.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Builder);
        assert!(e.to_string().contains("no trusted root certificate for https"), "{e}");
    }
    // Plain HTTP builds and works: write, query, management.
    let url = std::env::var("INFLUX_URL").unwrap();
    let db = support::unique_db("no_ca");
    let c = Client::new(&url, &db).unwrap();
    rt().block_on(async {
        c.create_database(Ident::new(&db)).await.unwrap();
        c.write_lp("m v=7i 1", &WriteOptions::new()).await.unwrap();
    });
    assert_eq!(count(&c, "m"), 1);
    // As does a client through an HTTP proxy or a unix socket path.
    assert!(Client::builder(&url).proxy("http://127.0.0.1:1").build().is_ok());
    assert!(influx::ClientBuilder::new().unix_socket("/nonexistent.sock").build().is_ok());
}

/// reliability.md scenario 20: connection mistakes give clear errors, never a panic.
#[tokio::test]
async fn connection_mistakes_give_clear_errors() {
    // Refused: nothing listens on the port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let refused = influx::Client::new(format!("http://127.0.0.1:{port}"), "db").unwrap();
    let e = refused.ping().await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    assert_eq!(e.to_string(), "cannot connect to the server");
    // A host name that does not resolve (`.invalid` never does, RFC 6761).
    let typo = influx::Client::builder("http://influx-no-such-host.invalid:8086")
        .database("db")
        .connect_timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    let e = typo.ping().await.unwrap_err();
    assert!(e.is_connect() || e.is_timeout(), "{e:?}");
    // URL typos are builder errors.
    for bad in ["htp://localhost:8086", "http//localhost:8086", "localhost:8086", "http://localhost:80860"] {
        let e = influx::Client::new(bad, "db").unwrap_err();
        assert_eq!(e.kind(), influx::ErrorKind::Builder, "{bad}: {e}");
    }
}
