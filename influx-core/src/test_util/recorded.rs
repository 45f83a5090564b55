//! Recorded response bodies, byte for byte, for the endpoints a client needs.
//!
//! No InfluxDB 2.x or 3.x server runs where this crate is tested, so these were
//! recorded from the official contracts' examples and schemas and the official
//! docs' examples, in the form a real server puts on the wire: compact JSON
//! where the server writes `json.Marshal`, tab-indented JSON where 2.x's API
//! layer writes `json.MarshalIndent(v, "", "\t")`, CSV rows ending in `\r\n`
//! with a blank line after each result as flux writes them. Each entry's
//! [`source`](Recorded::source) says where it comes from. Where the docs print
//! a body differently, the docs' form is kept too (the `_DOCS` entries), so a
//! parser can be tested on both. A test checks that every JSON body validates
//! against its contract's response schema.
//!
//! ```
//! # extern crate influx_core as influx;
//! use influx::test_util::recorded;
//!
//! assert!(recorded::V2_QUERY_SINGLE_RESULT.body.ends_with(b"\r\n\r\n"));
//! assert_eq!(recorded::V2_WRITE_RETRY_AFTER_429.status, 429);
//! ```

use super::contract::Contract;

/// One recorded response, and the request it answers.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Recorded {
    /// The constant's name.
    pub name: &'static str,
    /// The contract the response belongs to.
    pub contract: fn() -> Contract,
    /// The request method.
    pub method: &'static str,
    /// An example request target this answers.
    pub target: &'static str,
    /// The status.
    pub status: u16,
    /// The `Content-Type`, when there is a body.
    pub content_type: Option<&'static str>,
    /// Other response headers.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body, byte for byte.
    pub body: &'static [u8],
    /// Where the bytes come from.
    pub source: &'static str,
}

/// A successful write: `204`, no body.
pub const V2_WRITE_NO_CONTENT: Recorded = Recorded {
    name: "V2_WRITE_NO_CONTENT",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/write?org=my-org&bucket=my-bucket",
    status: 204,
    content_type: None,
    headers: &[],
    body: b"",
    source: "contract: PostWrite 204",
};

/// A write rejected for a malformed line (`400`, compact JSON).
pub const V2_WRITE_LINE_PROTOCOL_ERROR: Recorded = Recorded {
    name: "V2_WRITE_LINE_PROTOCOL_ERROR",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/write?org=my-org&bucket=my-bucket",
    status: 400,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[("X-Platform-Error-Code", "invalid")],
    body: include_bytes!("recorded/v2/write-line-protocol-error.json"),
    source: "2.x WriteErrorResponse (compact json.Marshal, X-Platform-Error-Code); message of the line-protocol parser",
};

/// A partial write (`400`): some points were written, the message says how many.
pub const V2_WRITE_PARTIAL: Recorded = Recorded {
    name: "V2_WRITE_PARTIAL",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/write?org=my-org&bucket=my-bucket",
    status: 400,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[("X-Platform-Error-Code", "invalid")],
    body: include_bytes!("recorded/v2/write-partial.json"),
    source: "docs example v2-write-partial-error.json, compact as the server sends it",
};

/// A batch over the server's size limit (`413`).
pub const V2_WRITE_TOO_LARGE: Recorded = Recorded {
    name: "V2_WRITE_TOO_LARGE",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/write?org=my-org&bucket=my-bucket",
    status: 413,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[("X-Platform-Error-Code", "request too large")],
    body: include_bytes!("recorded/v2/write-too-large.json"),
    source: "contract: PostWrite 413 example `dataExceedsSizeLimitOSS`, byte for byte",
};

/// Throttled (`429`) with `Retry-After: 30`.
pub const V2_WRITE_RETRY_AFTER_429: Recorded = Recorded {
    name: "V2_WRITE_RETRY_AFTER_429",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/write?org=my-org&bucket=my-bucket",
    status: 429,
    content_type: None,
    headers: &[("Retry-After", "30")],
    body: b"",
    source: "contract: PostWrite 429 (header Retry-After, no body)",
};

/// Unavailable (`503`) with `Retry-After: 5`.
pub const V2_WRITE_RETRY_AFTER_503: Recorded = Recorded {
    name: "V2_WRITE_RETRY_AFTER_503",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/write?org=my-org&bucket=my-bucket",
    status: 503,
    content_type: None,
    headers: &[("Retry-After", "5")],
    body: b"",
    source: "contract: PostWrite 503 (header Retry-After, no body)",
};

/// A missing or wrong token (`401`).
pub const V2_UNAUTHORIZED: Recorded = Recorded {
    name: "V2_UNAUTHORIZED",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/write?org=my-org&bucket=my-bucket",
    status: 401,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[("X-Platform-Error-Code", "unauthorized")],
    body: include_bytes!("recorded/v2/unauthorized.json"),
    source: "contract example `tokenNotAuthorized`, compact",
};

/// Annotated CSV, one result of three tables, as a server sends it (`\r\n`, trailing blank line).
pub const V2_QUERY_SINGLE_RESULT: Recorded = Recorded {
    name: "V2_QUERY_SINGLE_RESULT",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/query?org=my-org",
    status: 200,
    content_type: Some("text/csv; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/query-single-result.csv"),
    source: "docs annotated-CSV example, framed as flux's MultiResultEncoder writes it: `\\r\\n` rows, a blank line after the result",
};

/// [`V2_QUERY_SINGLE_RESULT`] as the docs print it (`\n` line ends, no trailing blank line).
pub const V2_QUERY_SINGLE_RESULT_DOCS: Recorded = Recorded {
    name: "V2_QUERY_SINGLE_RESULT_DOCS",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/query?org=my-org",
    status: 200,
    content_type: Some("text/csv; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/query-single-result.docs.csv"),
    source: "docs annotated-CSV example as printed (`\\n`)",
};

/// Annotated CSV, two schemas separated by a blank line, as a server sends it.
pub const V2_QUERY_MULTIPLE_TABLES: Recorded = Recorded {
    name: "V2_QUERY_MULTIPLE_TABLES",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/query?org=my-org",
    status: 200,
    content_type: Some("text/csv; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/query-multiple-tables.csv"),
    source: "docs example 'Multiple tables and results', framed as flux writes it",
};

/// [`V2_QUERY_MULTIPLE_TABLES`] as the docs print it.
pub const V2_QUERY_MULTIPLE_TABLES_DOCS: Recorded = Recorded {
    name: "V2_QUERY_MULTIPLE_TABLES_DOCS",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/query?org=my-org",
    status: 200,
    content_type: Some("text/csv; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/query-multiple-tables.docs.csv"),
    source: "docs example as printed",
};

/// An error that arrived after streaming began: a `200` holding an `error,reference` table, as flux writes it.
pub const V2_QUERY_ERROR_TABLE: Recorded = Recorded {
    name: "V2_QUERY_ERROR_TABLE",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/query?org=my-org",
    status: 200,
    content_type: Some("text/csv; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/query-error-table.csv"),
    source: "flux ResultEncoder.EncodeError (`string,string` datatypes, group and default rows, empty reference) with the docs' message",
};

/// [`V2_QUERY_ERROR_TABLE`] as the docs print it (`#datatype,string,long`, a reference of 897).
pub const V2_QUERY_ERROR_TABLE_DOCS: Recorded = Recorded {
    name: "V2_QUERY_ERROR_TABLE_DOCS",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/query?org=my-org",
    status: 200,
    content_type: Some("text/csv; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/query-error-table.docs.csv"),
    source: "docs example 'Errors' as printed",
};

/// A query rejected before streaming (`400`, JSON).
pub const V2_QUERY_INVALID: Recorded = Recorded {
    name: "V2_QUERY_INVALID",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/query?org=my-org",
    status: 400,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[("X-Platform-Error-Code", "invalid")],
    body: include_bytes!("recorded/v2/query-invalid.json"),
    source: "contract: PostQuery 400 example `orgNotFound`, compact",
};

/// A successful delete: `204`, no body.
pub const V2_DELETE_NO_CONTENT: Recorded = Recorded {
    name: "V2_DELETE_NO_CONTENT",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/delete?org=my-org&bucket=my-bucket",
    status: 204,
    content_type: None,
    headers: &[],
    body: b"",
    source: "contract: PostDelete 204",
};

/// The bucket list.
pub const V2_BUCKETS: Recorded = Recorded {
    name: "V2_BUCKETS",
    contract: Contract::influxdb2,
    method: "GET",
    target: "/api/v2/buckets?name=_monitoring",
    status: 200,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/buckets.json"),
    source: "contract: GetBuckets 200 example, encoded as 2.x API.Respond does (tab indent, Go's HTML escaping of `&`)",
};

/// A created bucket (`201`).
pub const V2_BUCKET_CREATED: Recorded = Recorded {
    name: "V2_BUCKET_CREATED",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/buckets",
    status: 201,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/bucket-created.json"),
    source: "contract: PostBuckets 201 example, API.Respond encoding",
};

/// A bucket name that already exists (`422`).
pub const V2_BUCKET_CONFLICT: Recorded = Recorded {
    name: "V2_BUCKET_CONFLICT",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/buckets",
    status: 422,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[("X-Platform-Error-Code", "conflict")],
    body: include_bytes!("recorded/v2/bucket-conflict.json"),
    source: "API.Err encoding of a `conflict` error (422); message constructed",
};

/// A deleted bucket: `204`.
pub const V2_BUCKET_DELETED: Recorded = Recorded {
    name: "V2_BUCKET_DELETED",
    contract: Contract::influxdb2,
    method: "DELETE",
    target: "/api/v2/buckets/37407e232b3911d8",
    status: 204,
    content_type: None,
    headers: &[],
    body: b"",
    source: "contract: DeleteBucketsID 204",
};

/// The organization list.
pub const V2_ORGS: Recorded = Recorded {
    name: "V2_ORGS",
    contract: Contract::influxdb2,
    method: "GET",
    target: "/api/v2/orgs",
    status: 200,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/orgs.json"),
    source: "contract: GetOrgs 200 example, API.Respond encoding",
};

/// The authorization (token) list.
pub const V2_AUTHORIZATIONS: Recorded = Recorded {
    name: "V2_AUTHORIZATIONS",
    contract: Contract::influxdb2,
    method: "GET",
    target: "/api/v2/authorizations",
    status: 200,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/authorizations.json"),
    source: "constructed from the Authorizations schema, API.Respond encoding",
};

/// A created authorization (`201`); its `token` is a placeholder.
pub const V2_AUTHORIZATION_CREATED: Recorded = Recorded {
    name: "V2_AUTHORIZATION_CREATED",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/authorizations",
    status: 201,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/authorization-created.json"),
    source: "constructed from the Authorization schema, API.Respond encoding; the token is a made-up value in the form 2.x prints (shown in full when created)",
};

/// The DBRP mappings.
pub const V2_DBRPS: Recorded = Recorded {
    name: "V2_DBRPS",
    contract: Contract::influxdb2,
    method: "GET",
    target: "/api/v2/dbrps?orgID=bea7ea952287f70d",
    status: 200,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/dbrps.json"),
    source: "contract: GetDBRPs 200 example, API.Respond encoding",
};

/// A healthy server.
pub const V2_HEALTH: Recorded = Recorded {
    name: "V2_HEALTH",
    contract: Contract::influxdb2,
    method: "GET",
    target: "/health",
    status: 200,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/health.json"),
    source: "2.x http/health.go: a fixed format string written with Fprintln",
};

/// A ready server.
pub const V2_READY: Recorded = Recorded {
    name: "V2_READY",
    contract: Contract::influxdb2,
    method: "GET",
    target: "/ready",
    status: 200,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/ready.json"),
    source: "contract: Ready schema examples, API.Respond encoding (assumed)",
};

/// `/ping`: `204` with the build and version headers.
pub const V2_PING: Recorded = Recorded {
    name: "V2_PING",
    contract: Contract::influxdb2,
    method: "GET",
    target: "/ping",
    status: 204,
    content_type: None,
    headers: &[("X-Influxdb-Build", "OSS"), ("X-Influxdb-Version", "v2.7.11")],
    body: b"",
    source: "contract: GetPing 204 with X-Influxdb-Build and X-Influxdb-Version",
};

/// `GET /api/v2/setup` on a server not yet set up.
pub const V2_SETUP_ALLOWED: Recorded = Recorded {
    name: "V2_SETUP_ALLOWED",
    contract: Contract::influxdb2,
    method: "GET",
    target: "/api/v2/setup",
    status: 200,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/setup-allowed.json"),
    source: "contract: IsOnboarding schema, API.Respond encoding",
};

/// `POST /api/v2/setup`: the created user, org, bucket and operator authorization (`201`).
pub const V2_SETUP_CREATED: Recorded = Recorded {
    name: "V2_SETUP_CREATED",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/api/v2/setup",
    status: 201,
    content_type: Some("application/json; charset=utf-8"),
    headers: &[],
    body: include_bytes!("recorded/v2/setup-created.json"),
    source: "constructed from the OnboardingResponse schema and the contract's bucket and org examples",
};

/// A 1.x-compatibility `/query` answer on 2.x.
pub const V2_V1_QUERY: Recorded = Recorded {
    name: "V2_V1_QUERY",
    contract: Contract::influxdb2,
    method: "POST",
    target: "/query?db=mydb",
    status: 200,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v2/v1-query.json"),
    source: "the 1.x JSON shape (InfluxQLResponse), constructed",
};

/// A successful `/api/v3/write_lp`: `204`.
pub const V3_WRITE_LP_NO_CONTENT: Recorded = Recorded {
    name: "V3_WRITE_LP_NO_CONTENT",
    contract: Contract::influxdb3_core,
    method: "POST",
    target: "/api/v3/write_lp?db=mydb",
    status: 204,
    content_type: None,
    headers: &[],
    body: b"",
    source: "contract: PostWriteLP 204",
};

/// A partial write with `accept_partial=true` (`400`): the good lines were written; `data` is an array.
pub const V3_WRITE_LP_PARTIAL_ACCEPTED: Recorded = Recorded {
    name: "V3_WRITE_LP_PARTIAL_ACCEPTED",
    contract: Contract::influxdb3_core,
    method: "POST",
    target: "/api/v3/write_lp?db=mydb&accept_partial=true",
    status: 400,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v3/write-lp-accept-partial.json"),
    source: "docs example (accept_partial=true), compact as the server sends it",
};

/// A rejected write with `accept_partial=false` (`400`): nothing was written; `data` is one object.
pub const V3_WRITE_LP_PARTIAL_REJECTED: Recorded = Recorded {
    name: "V3_WRITE_LP_PARTIAL_REJECTED",
    contract: Contract::influxdb3_core,
    method: "POST",
    target: "/api/v3/write_lp?db=mydb&accept_partial=false",
    status: 400,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v3/write-lp-reject-partial.json"),
    source: "docs example (accept_partial=false), compact",
};

/// `/api/v3/query_sql` with `format=jsonl`: one object per line.
pub const V3_QUERY_SQL_JSONL: Recorded = Recorded {
    name: "V3_QUERY_SQL_JSONL",
    contract: Contract::influxdb3_core,
    method: "GET",
    target: "/api/v3/query_sql?db=mydb&q=SHOW%20TABLES&format=jsonl",
    status: 200,
    content_type: Some("application/jsonl"),
    headers: &[],
    body: include_bytes!("recorded/v3/query-sql-show-tables.jsonl"),
    source: "docs example (SHOW TABLES, format=jsonl), byte for byte",
};

/// `/api/v3/query_sql` with `format=json`: one array of row objects.
pub const V3_QUERY_SQL_JSON: Recorded = Recorded {
    name: "V3_QUERY_SQL_JSON",
    contract: Contract::influxdb3_core,
    method: "GET",
    target: "/api/v3/query_sql?db=mydb&q=SHOW%20TABLES&format=json",
    status: 200,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v3/query-sql-show-tables.json"),
    source: "the jsonl example's rows as one JSON array (the Arrow JSON array writer's form)",
};

/// `/api/v3/query_influxql` with `format=json`.
pub const V3_QUERY_INFLUXQL_JSON: Recorded = Recorded {
    name: "V3_QUERY_INFLUXQL_JSON",
    contract: Contract::influxdb3_core,
    method: "GET",
    target: "/api/v3/query_influxql?db=mydb&q=SELECT%20*%20FROM%20home&format=json",
    status: 200,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v3/query-influxql.json"),
    source: "constructed: InfluxQL rows carry `iox::measurement` first; timestamps without `Z`",
};

/// A query on a database that does not exist (`404`).
pub const V3_QUERY_DATABASE_NOT_FOUND: Recorded = Recorded {
    name: "V3_QUERY_DATABASE_NOT_FOUND",
    contract: Contract::influxdb3_core,
    method: "GET",
    target: "/api/v3/query_sql?db=mydb&q=SELECT%201",
    status: 404,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v3/query-database-not-found.json"),
    source: "ErrorMessage schema; message constructed",
};

/// `/health` on 3.x: `200` with the text `OK`.
pub const V3_HEALTH: Recorded = Recorded {
    name: "V3_HEALTH",
    contract: Contract::influxdb3_core,
    method: "GET",
    target: "/health",
    status: 200,
    content_type: Some("text/plain; charset=utf-8"),
    headers: &[],
    body: b"OK",
    source: "contract: GetHealth 200 `OK`",
};

/// `/ping` on 3.x: `200` with version, revision and process id.
pub const V3_PING: Recorded = Recorded {
    name: "V3_PING",
    contract: Contract::influxdb3_core,
    method: "GET",
    target: "/ping",
    status: 200,
    content_type: Some("application/json"),
    headers: &[("x-influxdb-version", "3.8.0"), ("x-influxdb-build", "Core")],
    body: include_bytes!("recorded/v3/ping.json"),
    source: "contract: GetPing 200 schema and its examples",
};

/// A 1.x-compatibility `/query` answer on 3.x.
pub const V3_V1_QUERY: Recorded = Recorded {
    name: "V3_V1_QUERY",
    contract: Contract::influxdb3_core,
    method: "GET",
    target: "/query?db=mydb&q=SELECT%20*%20FROM%20home",
    status: 200,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v3/v1-query.json"),
    source: "the 1.x JSON shape on 3.x, constructed",
};

/// A 1.x-compatibility query error on 3.x: `200` with a statement `error`.
pub const V3_V1_QUERY_ERROR: Recorded = Recorded {
    name: "V3_V1_QUERY_ERROR",
    contract: Contract::influxdb3_core,
    method: "GET",
    target: "/query?db=mydb&q=SELECT%20*%20FROM%20home",
    status: 200,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v3/v1-query-error.json"),
    source: "docs: query errors come back as 200 with a statement error; message constructed",
};

/// A successful write to Cloud Dedicated: `204`.
pub const V3_DEDICATED_WRITE_NO_CONTENT: Recorded = Recorded {
    name: "V3_DEDICATED_WRITE_NO_CONTENT",
    contract: Contract::influxdb3_cloud_dedicated,
    method: "POST",
    target: "/api/v2/write?bucket=mydb",
    status: 204,
    content_type: None,
    headers: &[],
    body: b"",
    source: "contract: PostWrite 204",
};

/// A write with rejected points on Cloud Dedicated (`400`, `code`/`line`/`message`).
pub const V3_DEDICATED_REJECTED_POINTS: Recorded = Recorded {
    name: "V3_DEDICATED_REJECTED_POINTS",
    contract: Contract::influxdb3_cloud_dedicated,
    method: "POST",
    target: "/api/v2/write?bucket=mydb",
    status: 400,
    content_type: Some("application/json"),
    headers: &[],
    body: include_bytes!("recorded/v3/dedicated-rejected-points.json"),
    source: "docs example, compact",
};

/// A missing or wrong token on Cloud Dedicated: `401`, empty body.
pub const V3_DEDICATED_UNAUTHORIZED: Recorded = Recorded {
    name: "V3_DEDICATED_UNAUTHORIZED",
    contract: Contract::influxdb3_cloud_dedicated,
    method: "POST",
    target: "/api/v2/write?bucket=mydb",
    status: 401,
    content_type: None,
    headers: &[],
    body: b"",
    source: "docs: 401 has an empty body",
};

/// Every recorded response above.
pub const ALL: &[Recorded] = &[
    V2_WRITE_NO_CONTENT,
    V2_WRITE_LINE_PROTOCOL_ERROR,
    V2_WRITE_PARTIAL,
    V2_WRITE_TOO_LARGE,
    V2_WRITE_RETRY_AFTER_429,
    V2_WRITE_RETRY_AFTER_503,
    V2_UNAUTHORIZED,
    V2_QUERY_SINGLE_RESULT,
    V2_QUERY_SINGLE_RESULT_DOCS,
    V2_QUERY_MULTIPLE_TABLES,
    V2_QUERY_MULTIPLE_TABLES_DOCS,
    V2_QUERY_ERROR_TABLE,
    V2_QUERY_ERROR_TABLE_DOCS,
    V2_QUERY_INVALID,
    V2_DELETE_NO_CONTENT,
    V2_BUCKETS,
    V2_BUCKET_CREATED,
    V2_BUCKET_CONFLICT,
    V2_BUCKET_DELETED,
    V2_ORGS,
    V2_AUTHORIZATIONS,
    V2_AUTHORIZATION_CREATED,
    V2_DBRPS,
    V2_HEALTH,
    V2_READY,
    V2_PING,
    V2_SETUP_ALLOWED,
    V2_SETUP_CREATED,
    V2_V1_QUERY,
    V3_WRITE_LP_NO_CONTENT,
    V3_WRITE_LP_PARTIAL_ACCEPTED,
    V3_WRITE_LP_PARTIAL_REJECTED,
    V3_QUERY_SQL_JSONL,
    V3_QUERY_SQL_JSON,
    V3_QUERY_INFLUXQL_JSON,
    V3_QUERY_DATABASE_NOT_FOUND,
    V3_HEALTH,
    V3_PING,
    V3_V1_QUERY,
    V3_V1_QUERY_ERROR,
    V3_DEDICATED_WRITE_NO_CONTENT,
    V3_DEDICATED_REJECTED_POINTS,
    V3_DEDICATED_UNAUTHORIZED,
];
