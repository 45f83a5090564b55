//! Arrow Flight queries (`influx::v3::flight`) against an in-process Flight
//! server (`influx::test_util::flight::FlightServer`, built on arrow-flight's
//! server side): it checks the ticket JSON and the `authorization` metadata as
//! InfluxDB 3 does and serves record batches built here from fixed values, with
//! the column types and metadata a 3.x server sends. No 3.x server runs here.
//! Needs the `flight` and `test-util` features.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use influx::test_util::flight::{Code, FlightExchange, FlightServer};
use influx::v3::flight::arrow_array::{Array, ArrayRef, Float64Array, StringArray, TimestampNanosecondArray};
use influx::v3::flight::arrow_schema::{DataType, Field, Schema, TimeUnit};
use influx::v3::flight::RecordBatch;
use influx::v3::{Client, Query};
use influx::ErrorKind;

const TOKEN: &str = "apiv3_flight-secret";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn server() -> FlightServer {
    FlightServer::start(TOKEN, &["sensors", "other"]).unwrap()
}

fn client(server: &FlightServer) -> Client {
    Client::builder(server.url()).database("sensors").token(TOKEN).build().unwrap()
}

/// A column as a 3.x server describes it (`iox::column::type`).
fn column(name: &str, ty: DataType, nullable: bool, iox: &str) -> Field {
    let meta = [("iox::column::type".to_owned(), format!("iox::column_type::{iox}"))];
    Field::new(name, ty, nullable).with_metadata(std::collections::HashMap::from(meta))
}

fn home_schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        column("room", DataType::Utf8, true, "tag"),
        column("temp", DataType::Float64, true, "field::float"),
        column("time", DataType::Timestamp(TimeUnit::Nanosecond, None), false, "timestamp"),
    ]))
}

/// Recorded values: floats that do not survive a round trip through text
/// carelessly (0.1 + 0.2, -0.0, the smallest subnormal), a null, a zoneless
/// nanosecond time.
fn home_batch(first: i64) -> RecordBatch {
    let rooms: ArrayRef = Arc::new(StringArray::from(vec![Some("Kitchen"), None, Some("it's \"q\"")]));
    let temps: ArrayRef = Arc::new(Float64Array::from(vec![Some(0.1 + 0.2), Some(-0.0), Some(f64::from_bits(1))]));
    let times: ArrayRef = Arc::new(TimestampNanosecondArray::from(vec![first, first + 1, first + 2]));
    RecordBatch::try_new(home_schema(), vec![rooms, temps, times]).unwrap()
}

fn float_bits(b: &RecordBatch, column: &str) -> Vec<Option<u64>> {
    let a = b.column_by_name(column).unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
    (0..a.len()).map(|i| a.is_valid(i).then(|| a.value(i).to_bits())).collect()
}

#[test]
fn sql_ticket_token_headers_and_batches() {
    let server = server();
    let sent = home_batch(1_735_549_200_000_000_000);
    server.expect(FlightExchange::sql("sensors", "SELECT room, temp, time FROM home").batch(sent.clone()));
    let client =
        Client::builder(server.url()).database("sensors").token(TOKEN).header("X-Team", "ops").build().unwrap();
    let got = rt().block_on(client.flight().unwrap().query_batches("SELECT room, temp, time FROM home")).unwrap();

    assert_eq!(got.len(), 1);
    assert_eq!(got[0], sent);
    assert_eq!(float_bits(&got[0], "temp"), float_bits(&sent, "temp"));
    assert_eq!(got[0].schema(), home_schema(), "field types and iox metadata arrive unchanged");
    let req = &server.requests()[0];
    assert_eq!(
        req.ticket,
        r#"{"database":"sensors","sql_query":"SELECT room, temp, time FROM home","query_type":"sql"}"#
    );
    assert_eq!(req.metadata["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(req.metadata["x-team"], "ops");
    server.verify().unwrap();
}

/// A row of `home` as the derive decodes it from Flight's record batches.
#[derive(Debug, PartialEq, influx::InfluxPoint)]
#[influx(measurement = "home")]
struct Home {
    #[tag]
    room: Option<String>,
    temp: f64,
    #[time]
    time: i64,
}

#[test]
fn typed_rows_from_the_batches_exact() {
    let server = server();
    let first = 1_735_549_200_000_000_000;
    server.expect(FlightExchange::sql("sensors", "SELECT room, temp, time FROM home").batch(home_batch(first)));
    let client = Client::builder(server.url()).database("sensors").token(TOKEN).build().unwrap();
    let rows: Vec<Home> =
        rt().block_on(client.flight().unwrap().query_as("SELECT room, temp, time FROM home")).unwrap();
    let want = [(Some("Kitchen"), 0.1 + 0.2), (None, -0.0), (Some("it's \"q\""), f64::from_bits(1))];
    assert_eq!(rows.len(), want.len());
    for (i, (row, (room, temp))) in rows.iter().zip(want).enumerate() {
        assert_eq!(row.room.as_deref(), room, "row {i}");
        assert_eq!(row.temp.to_bits(), temp.to_bits(), "row {i}: floats by bits");
        assert_eq!(row.time, first + i as i64, "row {i}");
    }
    server.verify().unwrap();
}

#[test]
fn influxql_ticket_with_params() {
    let server = server();
    let schema = Arc::new(Schema::new(vec![
        column("iox::measurement", DataType::Utf8, false, "tag"),
        column("time", DataType::Timestamp(TimeUnit::Nanosecond, None), false, "timestamp"),
        column("temp", DataType::Float64, true, "field::float"),
    ]));
    let batch = RecordBatch::try_new(
        schema,
        vec![
            Arc::new(StringArray::from(vec!["home", "home"])),
            Arc::new(TimestampNanosecondArray::from(vec![1, 2])),
            Arc::new(Float64Array::from(vec![Some(21.5), None])),
        ],
    )
    .unwrap();
    let text = "SELECT temp FROM home WHERE room = $room AND temp > $min";
    server.expect(
        FlightExchange::influxql("sensors", text).param("room", "Kitchen").param("min", 20.5).batch(batch.clone()),
    );
    let q = Query::influxql(text).bind("room", "Kitchen").bind("min", 20.5);
    let got = rt().block_on(client(&server).flight().unwrap().query_batches(q)).unwrap();
    assert_eq!(got, vec![batch]);
    assert_eq!(
        server.requests()[0].ticket,
        r#"{"database":"sensors","sql_query":"SELECT temp FROM home WHERE room = $room AND temp > $min","query_type":"influxql","params":{"min":20.5,"room":"Kitchen"}}"#
    );
    server.verify().unwrap();
}

#[test]
fn sql_params_and_a_database_per_query() {
    let server = server();
    let text = "SELECT * FROM home WHERE room = $room AND time > $since";
    let batch = home_batch(7);
    server.expect(FlightExchange::sql("other", text).param("room", "it's").param("since", 5).batch(batch.clone()));
    let q = Query::sql(text).bind("room", "it's").bind("since", 5).database("other");
    let got = rt().block_on(client(&server).flight().unwrap().query_batches(q)).unwrap();
    assert_eq!(got, vec![batch]);
    server.verify().unwrap();
}

#[test]
fn streams_batches_in_order_and_skips_keep_alives() {
    let server = server();
    let batches: Vec<RecordBatch> = (0..3).map(|i| home_batch(i * 10)).collect();
    server.expect(
        FlightExchange::sql("sensors", "SELECT * FROM home")
            .batch(batches[0].clone())
            .keep_alive()
            .wait(Duration::from_millis(20))
            .keep_alive()
            .batches(batches[1..].to_vec()),
    );
    let flight = client(&server).flight().unwrap();
    rt().block_on(async {
        let mut stream = flight.query("SELECT * FROM home").await.unwrap();
        let mut got = Vec::new();
        while let Some(b) = stream.next().await {
            got.push(b.unwrap());
        }
        assert_eq!(got, batches, "three batches, no empty keep-alive batch");
        // The handle keeps its connection: a second query on it works too.
        assert_eq!(flight.query_batches("SELECT * FROM home").await.unwrap().len(), 3);
    });
    server.verify().unwrap();
}

#[test]
fn keep_alives_reset_the_gap_timer() {
    let server = server();
    let gap = Duration::from_millis(400);
    let mut exchange = FlightExchange::sql("sensors", "SELECT * FROM home").batch(home_batch(0));
    // Silent for 4 x 150 ms in all, never for a whole gap.
    for _ in 0..4 {
        exchange = exchange.wait(Duration::from_millis(150)).keep_alive();
    }
    server.expect(exchange.batch(home_batch(1)));
    let client = Client::builder(server.url()).database("sensors").token(TOKEN).chunk_timeout(gap).build().unwrap();
    let got = rt().block_on(client.flight().unwrap().query_batches("SELECT * FROM home")).unwrap();
    assert_eq!(got, vec![home_batch(0), home_batch(1)]);
}

#[test]
fn missing_or_wrong_tokens_are_typed_and_not_shown() {
    let server = server();
    server.expect(FlightExchange::sql("sensors", "SELECT 1").batch(home_batch(0)));
    let rt = rt();

    let anonymous = Client::builder(server.url()).database("sensors").build().unwrap();
    let e = rt.block_on(anonymous.flight().unwrap().query_batches("SELECT 1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");

    let wrong = Client::builder(server.url()).database("sensors").token("apiv3_wrong-secret").build().unwrap();
    let e = rt.block_on(wrong.flight().unwrap().query("SELECT 1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    assert_eq!(e.server_message(), Some("Permission denied"));
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("wrong-secret"), "{shown}");
    assert!(server.verify().is_ok(), "refused credentials are answers, not problems");
}

#[test]
fn unknown_database_is_database_not_found() {
    let server = server();
    let q = Query::sql("SELECT 1").database("nope");
    let e = rt().block_on(client(&server).flight().unwrap().query_batches(q)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DatabaseNotFound, "{e}");
    assert_eq!(e.server_message(), Some("Database 'nope' not found"));
}

#[test]
fn a_refused_query_is_a_bad_request_with_the_servers_words() {
    let server = server();
    let msg = "Error while planning query: SQL error: ParserError(\"Expected: an SQL statement, found: SELEC\")";
    server.expect(FlightExchange::sql("sensors", "SELEC 1").refuse(Code::InvalidArgument, msg));
    let e = rt().block_on(client(&server).flight().unwrap().query_batches("SELEC 1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest, "{e}");
    assert_eq!(e.server_message(), Some(msg));
    assert!(e.to_string().contains("ParserError"), "{e}");
}

#[test]
fn a_stall_mid_stream_is_a_timeout_not_a_hang() {
    let server = server();
    server.expect(FlightExchange::sql("sensors", "SELECT * FROM home").batch(home_batch(0)).then_stall());
    let client = Client::builder(server.url())
        .database("sensors")
        .token(TOKEN)
        .chunk_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    rt().block_on(async {
        let guard = tokio::time::timeout(Duration::from_secs(20), async {
            let mut stream = client.flight().unwrap().query("SELECT * FROM home").await.unwrap();
            assert_eq!(stream.next().await.unwrap().unwrap(), home_batch(0), "the batch before the stall arrives");
            let e = stream.next().await.unwrap().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
            assert!(e.to_string().contains("chunk_timeout"), "{e}");
            assert!(stream.next().await.is_none(), "the stream ends after its error");
            let e = client.flight().unwrap().query_batches("SELECT * FROM home").await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
        });
        guard.await.expect("the client hung on a stalled stream");
    });
}

#[test]
fn an_answer_that_never_starts_is_bounded_by_the_timeout() {
    let server = server();
    server.expect(FlightExchange::sql("sensors", "SELECT 1").delay(Duration::MAX));
    // Each message comes within the gap, but the whole answer takes longer than `timeout`.
    let mut slow = FlightExchange::sql("sensors", "SELECT 2");
    for i in 0..20 {
        slow = slow.batch(home_batch(i)).wait(Duration::from_millis(100));
    }
    server.expect(slow);
    let client = Client::builder(server.url())
        .database("sensors")
        .token(TOKEN)
        .timeout(Duration::from_millis(500))
        .chunk_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let flight = client.flight().unwrap();
    rt().block_on(async {
        let guard = tokio::time::timeout(Duration::from_secs(20), async {
            let e = flight.query("SELECT 1").await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
            let e = flight.query_batches("SELECT 2").await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
            assert!(e.to_string().contains("did not finish"), "{e}");
        });
        guard.await.expect("the client hung");
    });
}

#[test]
fn an_error_mid_stream_ends_the_stream_with_the_servers_error() {
    let server = server();
    let msg = "Resources exhausted: Failed to allocate additional 1.2 GB";
    server.expect(
        FlightExchange::sql("sensors", "SELECT * FROM home")
            .batches([home_batch(0), home_batch(3)])
            .then_fail(Code::Internal, msg),
    );
    rt().block_on(async {
        let mut stream = client(&server).flight().unwrap().query("SELECT * FROM home").await.unwrap();
        assert_eq!(stream.next().await.unwrap().unwrap(), home_batch(0));
        assert_eq!(stream.next().await.unwrap().unwrap(), home_batch(3));
        let e = stream.next().await.unwrap().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server, "{e}");
        assert_eq!(e.server_message(), Some(msg));
        assert!(e.to_string().contains("while streaming"), "{e}");
        assert!(stream.next().await.is_none());
    });
    let e = rt().block_on(client(&server).flight().unwrap().query_batches("SELECT * FROM home")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server, "query_batches gives the error, not the batches before it");
}

#[test]
fn a_ticket_nobody_expected_is_refused_and_reported() {
    let server = server();
    server.expect(FlightExchange::sql("sensors", "SELECT 1"));
    let e = rt().block_on(client(&server).flight().unwrap().query_batches("SELECT 2")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest, "{e}");
    let problems = server.verify().unwrap_err();
    assert!(problems.contains("SELECT 2"), "{problems}");
}

#[test]
fn no_server_is_a_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::new(format!("http://127.0.0.1:{port}"), "sensors", TOKEN).unwrap();
    let e = rt().block_on(client.flight().unwrap().query_batches("SELECT 1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(!format!("{e:?}").contains("flight-secret"));
}

/// A CA, a server certificate for `localhost` and a client identity (chain and key in one PEM).
struct Pki {
    ca: String,
    server_cert: String,
    server_key: String,
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
    Pki {
        ca: ca.pem(),
        server_cert: server_cert.pem(),
        server_key: server_key.serialize_pem(),
        client_identity: format!("{}{}", client_cert.pem(), client_key.serialize_pem()),
    }
}

#[test]
fn tls_with_the_builders_ca_and_client_identity() {
    let pki = make_pki();
    let server =
        FlightServer::start_tls(TOKEN, &["sensors"], &pki.server_cert, &pki.server_key, Some(&pki.ca)).unwrap();
    server.expect(FlightExchange::sql("sensors", "SELECT * FROM home").batch(home_batch(0)));
    assert!(server.url().starts_with("https://localhost:"));
    let rt = rt();

    // Mutual TLS with only our CA trusted: works.
    let mtls = Client::builder(server.url())
        .database("sensors")
        .token(TOKEN)
        .ca_certificate_pem(pki.ca.clone())
        .ca_certificates_only(true)
        .client_identity_pem(pki.client_identity.clone())
        .build()
        .unwrap();
    assert_eq!(rt.block_on(mtls.flight().unwrap().query_batches("SELECT * FROM home")).unwrap(), vec![home_batch(0)]);

    // The system's roots do not know our CA: refused, as a TLS error that says why.
    let unknown_ca = Client::builder(server.url())
        .database("sensors")
        .token(TOKEN)
        .client_identity_pem(pki.client_identity.clone())
        .build()
        .unwrap();
    let e = rt.block_on(unknown_ca.flight().unwrap().query_batches("SELECT * FROM home")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e:?}");
    assert!(e.to_string().contains("unknown issuer"), "{e}");

    // No client certificate where the server asks for one: no answer.
    let no_identity =
        Client::builder(server.url()).database("sensors").token(TOKEN).ca_certificate_pem(pki.ca).build().unwrap();
    let e = rt.block_on(no_identity.flight().unwrap().query_batches("SELECT * FROM home")).unwrap_err();
    assert!(!format!("{e} {e:?}").contains("flight-secret"));
    assert_eq!(server.requests().len(), 1, "only the mutual-TLS client got through: {e}");
}

#[test]
fn handles_and_futures_can_move_across_threads() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let client = Client::new("http://127.0.0.1:1", "sensors", TOKEN).unwrap();
    let flight = client.flight().unwrap();
    send_sync(&flight);
    send(&flight.query("SELECT 1"));
    send(&flight.query_batches("SELECT 1"));
}
