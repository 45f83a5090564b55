//! OpenAPI contracts: which requests a server accepts, and what its answers look like.

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use super::http::header;
use super::schema::{short, Direction, Validator};

/// An OpenAPI contract that every request to a [`ReplayServer`](super::ReplayServer) is checked against.
///
/// A request is checked for: a path that matches one of the contract's
/// (templated) paths, resolved against its `servers` entries; a method the
/// path has; every required query and header parameter, and the type, enum
/// and range of every parameter sent; no query parameter the operation does
/// not declare; credentials when the operation's `security` asks for them; a
/// `Content-Type` the operation accepts (required for JSON bodies); and a JSON
/// body that validates against the operation's schema.
///
/// The built-in contracts are the official ones, kept in the crate's
/// `contracts/` folder and parsed once per process. Where the official text
/// contradicts the servers' documented behaviour, a short list of errata
/// applies (see `docs/testing.md`): for example the 2.x contract marks `org`
/// required on `/api/v2/write`, while the server takes `org` *or* `orgID`.
///
/// Cloning is cheap (the parsed contract is shared).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::test_util::Contract;
///
/// let v2 = Contract::influxdb2();
/// assert_eq!(v2.name(), "InfluxDB 2 OSS");
/// let violations = v2.check_request("POST", "/api/v2/write?org=o&bucket=b&precision=xs", &[], b"m v=1");
/// assert_eq!(violations.len(), 2, "{violations:?}"); // bad precision, no token
/// ```
#[derive(Clone)]
pub struct Contract {
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    docs: Vec<Document>,
}

struct Document {
    /// Which official contract this is, for errata; empty for user contracts.
    tag: &'static str,
    root: Value,
    ops: Vec<Operation>,
}

struct Operation {
    method: String,
    template: String,
    segments: Vec<Segment>,
    literals: usize,
    path_key: String,
    method_key: String,
    id: String,
}

enum Segment {
    Literal(String),
    Param,
}

/// A contract that cannot be loaded.
#[derive(Debug)]
pub struct ContractError(String);

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ContractError {}

/// One way a request (or a response) departs from its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The request, as `METHOD target`.
    pub request: String,
    /// What is wrong, naming the parameter, header or JSON path.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.request, self.message)
    }
}

macro_rules! builtin {
    ($cell:ident, $name:expr, $([$tag:expr, $file:expr]),+) => {{
        static $cell: OnceLock<Contract> = OnceLock::new();
        $cell
            .get_or_init(|| {
                let docs = vec![$(
                    Document::parse($tag, include_str!(concat!("../../contracts/", $file)))
                        .unwrap_or_else(|e| panic!("built-in contract {} does not load: {e}", $file)),
                )+];
                Contract { inner: Arc::new(Inner { name: $name.to_owned(), docs }) }
            })
            .clone()
    }};
}

impl Contract {
    /// InfluxDB 2.x OSS: the `/api/v2` contract plus the 1.x-compatibility
    /// `/write` and `/query` that a 2.x server also serves.
    pub fn influxdb2() -> Contract {
        builtin!(
            V2,
            "InfluxDB 2 OSS",
            ["influxdb2-oss", "influxdb2-oss.openapi.yml"],
            ["influxdb2-v1compat", "influxdb2-v1compat.openapi.yml"]
        )
    }

    /// InfluxDB 3 Core (`/api/v3`, `/api/v2/write`, `/write`, `/query`, `/health`, `/ping`).
    pub fn influxdb3_core() -> Contract {
        builtin!(V3_CORE, "InfluxDB 3 Core", ["influxdb3-core", "influxdb3-core.openapi.yaml"])
    }

    /// InfluxDB 3 Enterprise (Core plus the enterprise administration endpoints).
    pub fn influxdb3_enterprise() -> Contract {
        builtin!(V3_ENTERPRISE, "InfluxDB 3 Enterprise", ["influxdb3-enterprise", "influxdb3-enterprise.openapi.yaml"])
    }

    /// InfluxDB 3 Cloud Dedicated's data API (`/api/v2/write`, `/write`, `/query`, `/ping`).
    pub fn influxdb3_cloud_dedicated() -> Contract {
        builtin!(
            V3_DEDICATED,
            "InfluxDB 3 Cloud Dedicated",
            ["influxdb3-cloud-dedicated", "influxdb3-cloud-dedicated.openapi.yaml"]
        )
    }

    /// No contract: every request is accepted as it is (for servers without
    /// one, such as InfluxDB 1.x, and for replaying recordings).
    pub fn none() -> Contract {
        static NONE: OnceLock<Contract> = OnceLock::new();
        NONE.get_or_init(|| Contract { inner: Arc::new(Inner { name: "none".to_owned(), docs: Vec::new() }) }).clone()
    }

    /// Loads an OpenAPI 3.0 contract from its YAML (or JSON) text.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// use influx::test_util::Contract;
    ///
    /// let c = Contract::from_yaml("mine", "openapi: 3.0.0\npaths:\n  /x:\n    get:\n      responses: {}\n").unwrap();
    /// assert!(c.check_request("GET", "/x", &[], b"").is_empty());
    /// assert_eq!(c.check_request("GET", "/y", &[], b"").len(), 1);
    /// ```
    pub fn from_yaml(name: &str, yaml: &str) -> Result<Contract, ContractError> {
        let doc = Document::parse("", yaml)?;
        Ok(Contract { inner: Arc::new(Inner { name: name.to_owned(), docs: vec![doc] }) })
    }

    #[cfg(test)]
    pub(crate) fn inner_for_tests(&self) -> Arc<impl Sized> {
        self.inner.clone()
    }

    /// The contract's name, as violations quote it.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Whether this is [`Contract::none`] (or another contract without paths).
    pub fn is_none(&self) -> bool {
        self.inner.docs.is_empty()
    }

    /// Checks one request; an empty result means it conforms. `target` is the
    /// path and query as sent (`/api/v2/write?bucket=b`), `body` the body after
    /// any `Content-Encoding` is undone.
    pub fn check_request(
        &self,
        method: &str,
        target: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Vec<Violation> {
        let request = format!("{method} {target}");
        self.request_problems(method, target, headers, body)
            .into_iter()
            .map(|message| Violation { request: request.clone(), message })
            .collect()
    }

    /// Checks one response to `method target` with `status`: the status must be
    /// declared (or covered by `default`), and a JSON body must validate against
    /// the declared schema. Other bodies (CSV, text) are not checked.
    pub fn check_response(
        &self,
        method: &str,
        target: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Vec<Violation> {
        let request = format!("{method} {target} -> {status}");
        self.response_problems(method, target, status, content_type, body)
            .into_iter()
            .map(|message| Violation { request: request.clone(), message })
            .collect()
    }

    fn find(&self, method: &str, path: &str) -> Result<(&Document, &Operation), String> {
        let segs = split_path(path);
        let mut best: Option<(usize, Vec<(&Document, &Operation)>)> = None;
        for doc in &self.inner.docs {
            for op in &doc.ops {
                if !op.matches(&segs) {
                    continue;
                }
                match &mut best {
                    Some((n, list)) if *n == op.literals => list.push((doc, op)),
                    Some((n, _)) if *n > op.literals => {}
                    _ => best = Some((op.literals, vec![(doc, op)])),
                }
            }
        }
        let Some((_, candidates)) = best else {
            return Err(format!("no path in the {} contract matches {path}", self.inner.name));
        };
        if let Some(hit) = candidates.iter().find(|(_, op)| op.method.eq_ignore_ascii_case(method)) {
            return Ok(*hit);
        }
        // Errata: 2.x serves `GET /query` like `POST /query` (docs: "GET|POST /query"),
        // but the 1.x-compatibility contract lists only POST.
        if method.eq_ignore_ascii_case("GET") {
            if let Some(hit) = candidates.iter().find(|(d, op)| d.tag == "influxdb2-v1compat" && op.id == "PostQueryV1")
            {
                return Ok(*hit);
            }
        }
        let mut allowed: Vec<&str> = candidates.iter().map(|(_, op)| op.method.as_str()).collect();
        allowed.dedup();
        Err(format!(
            "method {method} is not allowed on {} (the contract has {})",
            candidates[0].1.template,
            allowed.join(", ")
        ))
    }

    fn request_problems(&self, method: &str, target: &str, headers: &[(String, String)], body: &[u8]) -> Vec<String> {
        if self.is_none() {
            return Vec::new();
        }
        let (path, query) = super::http::split_target(target);
        let (doc, op) = match self.find(method, &path) {
            Ok(hit) => hit,
            Err(e) => return vec![e],
        };
        let mut problems = Vec::new();
        let v = Validator::new(&doc.root, Direction::Request);
        let errata = Errata::of(doc.tag, &op.id, method);
        let op_value = &doc.root["paths"][&op.path_key][&op.method_key];
        let path_value = &doc.root["paths"][&op.path_key];

        // Parameters: operation-level ones override path-level ones of the same name and place.
        let mut params: Vec<&Value> = Vec::new();
        for p in op_value["parameters"].as_array().into_iter().flatten() {
            params.push(v.resolve(p));
        }
        for p in path_value["parameters"].as_array().into_iter().flatten() {
            let p = v.resolve(p);
            if !params.iter().any(|q| q["name"] == p["name"] && q["in"] == p["in"]) {
                params.push(p);
            }
        }
        let security = op_value.get("security").or_else(|| doc.root.get("security"));
        let security_query = security_query_names(&doc.root, security);

        for p in &params {
            let (Some(name), Some(place)) = (p["name"].as_str(), p["in"].as_str()) else { continue };
            let required = p["required"].as_bool() == Some(true) && !errata.optional.contains(&name);
            let schema = v.resolve(&p["schema"]);
            match place {
                "query" => {
                    let values: Vec<&str> =
                        query.iter().filter(|(k, _)| k == name).map(|(_, val)| val.as_str()).collect();
                    if values.is_empty() {
                        if required {
                            problems.push(format!("missing required query parameter `{name}`"));
                        }
                        continue;
                    }
                    if values.len() > 1 && schema["type"] != "array" {
                        problems.push(format!("query parameter `{name}` is given {} times", values.len()));
                    }
                    for val in values {
                        if let Err(e) = check_scalar(&v, schema, val) {
                            problems.push(format!("query parameter `{name}`={val:?}: {e}"));
                        }
                    }
                }
                "header" => match header(headers, name) {
                    None if required => problems.push(format!("missing required header `{name}`")),
                    None => {}
                    Some(val) => {
                        if let Err(e) = check_header(&v, name, schema, val, &errata) {
                            problems.push(format!("header `{name}: {val}`: {e}"));
                        }
                    }
                },
                _ => {}
            }
        }
        for group in errata.one_of {
            if !group.iter().any(|n| query.iter().any(|(k, _)| k == n)) {
                let names: Vec<String> = group.iter().map(|n| format!("`{n}`")).collect();
                problems.push(format!("missing query parameter: one of {} is required", names.join(" or ")));
            }
        }
        for (k, _) in &query {
            let declared = params.iter().any(|p| p["in"] == "query" && p["name"] == k.as_str());
            if !declared && !security_query.iter().any(|s| s == k) && !errata.extra_query.contains(&k.as_str()) {
                problems.push(format!("query parameter `{k}` is not in the contract for {method} {}", op.template));
            }
        }

        if !errata.no_auth {
            if let Some(msg) = check_security(&doc.root, security, headers, &query) {
                problems.push(msg);
            }
        }
        check_body(&v, op_value, method, headers, body, &errata, &mut problems);
        problems
    }

    fn response_problems(
        &self,
        method: &str,
        target: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Vec<String> {
        if self.is_none() {
            return Vec::new();
        }
        let (path, _) = super::http::split_target(target);
        let (doc, op) = match self.find(method, &path) {
            Ok(hit) => hit,
            Err(e) => return vec![e],
        };
        let v = Validator::new(&doc.root, Direction::Response);
        let responses = &doc.root["paths"][&op.path_key][&op.method_key]["responses"];
        let code = status.to_string();
        let class = format!("{}XX", status / 100);
        let response =
            [code.as_str(), class.as_str(), &class.to_lowercase(), "default"].iter().find_map(|k| responses.get(*k));
        let Some(response) = response else {
            return vec![format!("status {status} is not declared for {method} {}", op.template)];
        };
        let response = v.resolve(response);
        let media = content_type.map(media_type);
        let is_json = media.as_deref().is_some_and(is_json_media);
        if body.is_empty() || !is_json {
            return Vec::new();
        }
        // No `content` leaves the body unspecified (the 3.x contracts describe error bodies only in prose).
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            return Vec::new();
        };
        let Some((_, media_obj)) = content.iter().find(|(k, _)| is_json_media(&media_type(k))) else {
            let declared: Vec<&str> = content.keys().map(String::as_str).collect();
            return vec![format!("status {status} declares {}, not JSON", declared.join(", "))];
        };
        let json: Value = match serde_json::from_slice(body) {
            Ok(j) => j,
            Err(e) => return vec![format!("body is not valid JSON: {e}")],
        };
        let mut problems = Vec::new();
        if let Some(schema) = media_obj.get("schema") {
            v.validate(schema, &json, "body", &mut problems);
        }
        problems
    }
}

impl fmt::Debug for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ops: usize = self.inner.docs.iter().map(|d| d.ops.len()).sum();
        f.debug_struct("Contract").field("name", &self.inner.name).field("operations", &ops).finish()
    }
}

impl Document {
    fn parse(tag: &'static str, text: &str) -> Result<Document, ContractError> {
        let root: Value =
            serde_norway::from_str(text).map_err(|e| ContractError(format!("the contract is not valid YAML: {e}")))?;
        let paths = root
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| ContractError("the contract has no `paths`".to_owned()))?;
        let top_prefix = server_prefix(root.get("servers"));
        let mut ops = Vec::new();
        for (path_key, item) in paths {
            let Some(item_obj) = item.as_object() else { continue };
            let path_prefix = server_prefix(item.get("servers"));
            for (method_key, op) in item_obj {
                if !["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&method_key.as_str())
                {
                    continue;
                }
                let prefix = server_prefix(op.get("servers")).or(path_prefix.clone()).or(top_prefix.clone());
                let template = full_path(prefix.as_deref().unwrap_or(""), path_key);
                let segments: Vec<Segment> = split_path(&template)
                    .into_iter()
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Param
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                let literals = segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
                ops.push(Operation {
                    method: method_key.to_ascii_uppercase(),
                    template,
                    segments,
                    literals,
                    path_key: path_key.clone(),
                    method_key: method_key.clone(),
                    id: op.get("operationId").and_then(Value::as_str).unwrap_or("").to_owned(),
                });
            }
        }
        Ok(Document { tag, root, ops })
    }
}

impl Operation {
    fn matches(&self, segs: &[&str]) -> bool {
        self.segments.len() == segs.len()
            && self.segments.iter().zip(segs).all(|(t, s)| match t {
                Segment::Literal(l) => l == s,
                Segment::Param => !s.is_empty(),
            })
    }
}

/// The path part of the first `servers` URL (`/api/v2`, or `` for `https://{baseurl}`).
fn server_prefix(servers: Option<&Value>) -> Option<String> {
    let url = servers?.as_array()?.first()?.get("url")?.as_str()?;
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    Some(path.trim_end_matches('/').to_owned())
}

fn full_path(prefix: &str, path: &str) -> String {
    if path == "/" && !prefix.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}{path}")
    }
}

fn split_path(path: &str) -> Vec<&str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

/// Corrections where an official contract contradicts the server's documented
/// behaviour (each one cites its source in `docs/testing.md`).
#[derive(Default)]
struct Errata {
    /// Parameters marked required that the server does not require.
    optional: &'static [&'static str],
    /// At least one of each group must be present.
    one_of: &'static [&'static [&'static str]],
    /// The operation needs no credentials.
    no_auth: bool,
    /// Query parameters the server takes that the contract omits.
    extra_query: &'static [&'static str],
    /// Request media types the server takes that the contract omits.
    extra_media: &'static [&'static str],
}

impl Errata {
    fn of(tag: &str, op: &str, method: &str) -> Errata {
        match (tag, op) {
            // The parameter's own description: "Requires either the org parameter or the orgID parameter".
            ("influxdb2-oss", "PostWrite") => {
                Errata { optional: &["org"], one_of: &[&["org", "orgID"]], ..Default::default() }
            }
            // Docs (GetHealth, GetReady, GetPing, PostSetup): no token on OSS; setup runs before any token exists.
            ("influxdb2-oss", "GetHealth" | "GetReady" | "GetPing" | "HeadPing" | "GetSetup" | "PostSetup") => {
                Errata { no_auth: true, ..Default::default() }
            }
            // 1.x clients POST `q` as a form, and pass `epoch`/`chunked` (docs: InfluxDB 1.x compatibility API).
            ("influxdb2-v1compat", "PostQueryV1") => Errata {
                extra_query: &["epoch", "chunked", "chunk_size"],
                extra_media: if method.eq_ignore_ascii_case("POST") {
                    &["application/x-www-form-urlencoded"]
                } else {
                    &[]
                },
                ..Default::default()
            },
            // The parameter's own description: "InfluxDB Cloud: doesn't use the org parameter or orgID parameter".
            ("influxdb3-cloud-dedicated", "PostWrite") => Errata { optional: &["org"], ..Default::default() },
            // The contract's own Quick start creates the first admin token with no token (the server
            // routes `/api/v3/configure/token/admin` around authentication).
            ("influxdb3-core" | "influxdb3-enterprise", "PostCreateAdminToken") => {
                Errata { no_auth: true, ..Default::default() }
            }
            _ => Errata::default(),
        }
    }
}

/// Checks a query parameter's text against its schema.
fn check_scalar(v: &Validator<'_>, schema: &Value, val: &str) -> Result<(), String> {
    let schema = v.resolve(schema);
    let ty = schema["type"].as_str().unwrap_or("string");
    let json = match ty {
        "integer" => Value::from(val.parse::<i64>().map_err(|_| "not an integer".to_owned())?),
        "number" => {
            let x: f64 = val.parse().map_err(|_| "not a number".to_owned())?;
            serde_json::Number::from_f64(x).map(Value::Number).ok_or("not a finite number")?
        }
        "boolean" => match val {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err("not `true` or `false`".to_owned()),
        },
        "array" => {
            let items = &schema["items"];
            for part in val.split(',') {
                check_scalar(v, items, part)?;
            }
            return Ok(());
        }
        _ => Value::String(val.to_owned()),
    };
    let mut errors = Vec::new();
    v.validate(schema, &json, "value", &mut errors);
    match errors.first() {
        None => Ok(()),
        Some(e) => Err(e.strip_prefix("value: ").unwrap_or(e).to_owned()),
    }
}

fn check_header(v: &Validator<'_>, name: &str, schema: &Value, val: &str, errata: &Errata) -> Result<(), String> {
    let schema = v.resolve(schema);
    let Some(allowed) = schema["enum"].as_array() else { return Ok(()) };
    let allowed: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
    let lower = name.to_ascii_lowercase();
    let ok = match lower.as_str() {
        // Content negotiation: one acceptable item (or a wildcard) is enough.
        "accept" | "accept-encoding" => {
            val.split(',').map(media_type).any(|t| t == "*" || t == "*/*" || allowed.iter().any(|a| media_type(a) == t))
        }
        "content-type" => {
            let got = normalize_content_type(val);
            allowed.iter().any(|a| normalize_content_type(a) == got)
                || errata.extra_media.contains(&media_type(val).as_str())
        }
        _ => allowed.contains(&val),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("not one of {}", short(&Value::from(allowed))))
    }
}

/// Query parameter names that carry credentials (`apiKey` schemes `in: query`).
fn security_query_names(root: &Value, security: Option<&Value>) -> Vec<String> {
    let mut names = Vec::new();
    for alt in security.and_then(Value::as_array).into_iter().flatten() {
        for scheme in alt.as_object().into_iter().flat_map(|o| o.keys()) {
            let s = &root["components"]["securitySchemes"][scheme];
            if s["type"] == "apiKey" && s["in"] == "query" {
                names.extend(query_key_names(s["name"].as_str().unwrap_or("")));
            }
        }
    }
    names
}

/// `u=&p=` (the 3.x and v1-compatibility contracts' notation) is `u` and `p`.
fn query_key_names(name: &str) -> Vec<String> {
    name.split('&').map(|n| n.trim_end_matches('=').to_owned()).filter(|n| !n.is_empty()).collect()
}

/// `None` when some alternative of the security requirement is met.
fn check_security(
    root: &Value,
    security: Option<&Value>,
    headers: &[(String, String)],
    query: &[(String, String)],
) -> Option<String> {
    let alts = security.and_then(Value::as_array)?;
    if alts.is_empty() {
        return None;
    }
    let mut wanted = Vec::new();
    for alt in alts {
        let Some(schemes) = alt.as_object() else { continue };
        let mut met = true;
        for name in schemes.keys() {
            let s = &root["components"]["securitySchemes"][name];
            let auth = header(headers, "authorization").unwrap_or("");
            let scheme_met = match (s["type"].as_str(), s["in"].as_str()) {
                (Some("apiKey"), Some("header")) => header(headers, s["name"].as_str().unwrap_or("")).is_some(),
                (Some("apiKey"), Some("query")) => {
                    let names = query_key_names(s["name"].as_str().unwrap_or(""));
                    names.iter().any(|n| query.iter().any(|(k, _)| k == n))
                }
                (Some("http"), _) => {
                    let want = s["scheme"].as_str().unwrap_or("");
                    auth.split_once(' ').is_some_and(|(sch, _)| sch.eq_ignore_ascii_case(want))
                }
                _ => true,
            };
            met &= scheme_met;
            wanted.push(name.clone());
        }
        if met {
            return None;
        }
    }
    wanted.dedup();
    Some(format!("no credentials: the operation requires one of {} (send an Authorization header)", wanted.join(", ")))
}

fn check_body(
    v: &Validator<'_>,
    op: &Value,
    method: &str,
    headers: &[(String, String)],
    body: &[u8],
    errata: &Errata,
    problems: &mut Vec<String>,
) {
    let Some(rb) = op.get("requestBody").map(|b| v.resolve(b)) else {
        if !body.is_empty() {
            problems.push(format!("the operation takes no request body, but {} bytes were sent", body.len()));
        }
        return;
    };
    let content = rb["content"].as_object();
    // A GET carries its input in the query; some contracts still mark a body required for it.
    let required = rb["required"].as_bool() == Some(true) && !method.eq_ignore_ascii_case("GET");
    if body.is_empty() {
        if required {
            problems.push("the request body is required, but it is empty".to_owned());
        }
        return;
    }
    let Some(content) = content else { return };
    let declared: Vec<String> = content.keys().map(|k| media_type(k)).collect();
    let Some(ctype) = header(headers, "content-type") else {
        // Servers read a body without Content-Type as line protocol / text; JSON needs the header.
        if !declared.iter().any(|d| d == "text/plain" || d == "*/*") {
            problems.push(format!(
                "missing `Content-Type` header for a request body; the contract accepts {}",
                declared.join(", ")
            ));
        }
        return;
    };
    let media = media_type(ctype);
    let schema = match content.iter().find(|(k, _)| media_type(k) == media || media_type(k) == "*/*") {
        Some((_, m)) => m.get("schema"),
        None if errata.extra_media.contains(&media.as_str()) => None,
        // Some contracts list the media type as a `Content-Type` header enum rather than in
        // `content`; a value outside that enum was already reported with the header.
        None if content_type_enum(v, op).is_some() => {
            let allowed = content_type_enum(v, op).into_iter().flatten().filter_map(Value::as_str);
            if !allowed.map(media_type).any(|a| a == media) {
                return;
            }
            None
        }
        None => {
            problems
                .push(format!("Content-Type `{ctype}` is not accepted; the contract accepts {}", declared.join(", ")));
            return;
        }
    };
    if !is_json_media(&media) {
        return;
    }
    let json: Value = match serde_json::from_slice(body) {
        Ok(j) => j,
        Err(e) => {
            problems.push(format!("the body is not valid JSON: {e}"));
            return;
        }
    };
    if let Some(schema) = schema {
        v.validate(schema, &json, "body", problems);
    }
}

/// The operation's `Content-Type` header parameter's enum, if it has one.
fn content_type_enum<'a>(v: &Validator<'a>, op: &'a Value) -> Option<&'a Vec<Value>> {
    op["parameters"].as_array().into_iter().flatten().map(|p| v.resolve(p)).find_map(|p| {
        let is_ct = p["in"] == "header" && p["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case("content-type"));
        if is_ct {
            v.resolve(&p["schema"])["enum"].as_array()
        } else {
            None
        }
    })
}

/// `Text/Plain; charset=UTF-8` -> `text/plain`.
pub(crate) fn media_type(ct: &str) -> String {
    ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

fn normalize_content_type(ct: &str) -> String {
    ct.split(';').map(|p| p.trim().to_ascii_lowercase()).collect::<Vec<_>>().join("; ")
}

pub(crate) fn is_json_media(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}
