//! The JSON-Schema subset the InfluxDB OpenAPI contracts use: `$ref`, `type`,
//! `nullable`, `required`, `properties`, `additionalProperties`, `enum`,
//! `items`, `allOf`, `oneOf`, `anyOf`, `minimum`/`maximum`, `minLength`/
//! `maxLength`, `minItems`/`maxItems`, and `format` (loosely: `date-time`,
//! integer widths). `readOnly` properties are not required in requests and
//! `writeOnly` ones not in responses, as OpenAPI 3.0 says.

use serde_json::Value;

/// Which side of the exchange a value is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// Deeper nesting than this is a cycle in the contract, not a real body.
const MAX_DEPTH: usize = 64;

pub(crate) struct Validator<'a> {
    root: &'a Value,
    direction: Direction,
}

impl<'a> Validator<'a> {
    pub(crate) fn new(root: &'a Value, direction: Direction) -> Self {
        Validator { root, direction }
    }

    /// Follows `$ref` chains within the document.
    pub(crate) fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..MAX_DEPTH {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                    Some(target) => schema = target,
                    None => return &Value::Null,
                },
                None => return schema,
            }
        }
        schema
    }

    /// Checks `value` against `schema`; problems are pushed to `errors` with their JSON path under `path`.
    pub(crate) fn validate(&self, schema: &'a Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        self.check(schema, value, path, errors, 0);
    }

    fn check(&self, schema: &'a Value, value: &Value, path: &str, errors: &mut Vec<String>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            match r.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                Some(target) => return self.check(target, value, path, errors, depth + 1),
                None => {
                    errors.push(format!("{path}: the contract's $ref {r:?} does not resolve"));
                    return;
                }
            }
        }
        let Some(obj) = schema.as_object() else { return };
        let here = path;

        if value.is_null() && obj.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }
        if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check(s, value, path, errors, depth + 1);
            }
        }
        // `oneOf` is checked as "at least one", like `anyOf`: the contracts'
        // alternatives overlap (no `additionalProperties: false`), so a valid
        // body often matches several and "exactly one" would reject it.
        for key in ["oneOf", "anyOf"] {
            let Some(alts) = obj.get(key).and_then(Value::as_array) else { continue };
            let mut first_errors = None;
            let mut matches = 0;
            for s in alts {
                let mut e = Vec::new();
                self.check(s, value, path, &mut e, depth + 1);
                if e.is_empty() {
                    matches += 1;
                } else if first_errors.is_none() {
                    first_errors = Some(e);
                }
            }
            if matches == 0 && !alts.is_empty() {
                let detail = first_errors.map(|e| e.join("; ")).unwrap_or_default();
                errors.push(format!("{here}: matches none of the {} {key} alternatives (first: {detail})", alts.len()));
            }
        }

        if let Some(allowed) = obj.get("enum").and_then(Value::as_array) {
            if !allowed.iter().any(|a| json_eq(a, value)) {
                errors.push(format!(
                    "{here}: {} is not one of {}",
                    short(value),
                    short(&Value::Array(allowed.clone()))
                ));
                return;
            }
        }

        let ty = obj.get("type").and_then(Value::as_str);
        if let Some(ty) = ty {
            if !type_matches(ty, value) {
                let nullable = obj.get("nullable").and_then(Value::as_bool) == Some(true);
                let extra = if nullable { " or null" } else { "" };
                errors.push(format!("{here}: expected {ty}{extra}, found {}", kind(value)));
                return;
            }
        }

        match value {
            Value::Object(map) => {
                let props = obj.get("properties").and_then(Value::as_object);
                if let Some(required) = obj.get("required").and_then(Value::as_array) {
                    for name in required.iter().filter_map(Value::as_str) {
                        if map.contains_key(name) {
                            continue;
                        }
                        let prop = props.and_then(|p| p.get(name)).map(|p| self.resolve(p));
                        let skip = match self.direction {
                            Direction::Request => prop.and_then(|p| p.get("readOnly")).and_then(Value::as_bool),
                            Direction::Response => prop.and_then(|p| p.get("writeOnly")).and_then(Value::as_bool),
                        };
                        if skip != Some(true) {
                            errors.push(format!("{here}: missing required property {name:?}"));
                        }
                    }
                }
                for (k, v) in map {
                    let sub = format!("{path}.{k}");
                    if let Some(p) = props.and_then(|p| p.get(k)) {
                        self.check(p, v, &sub, errors, depth + 1);
                    } else {
                        match obj.get("additionalProperties") {
                            Some(Value::Bool(false)) => {
                                errors.push(format!("{here}: property {k:?} is not allowed here"));
                            }
                            Some(s @ Value::Object(_)) => self.check(s, v, &sub, errors, depth + 1),
                            _ => {}
                        }
                    }
                }
                if let Some(min) = obj.get("minProperties").and_then(Value::as_u64) {
                    if (map.len() as u64) < min {
                        errors.push(format!("{here}: fewer than {min} properties"));
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = obj.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        self.check(item_schema, v, &format!("{path}[{i}]"), errors, depth + 1);
                    }
                }
                if let Some(min) = obj.get("minItems").and_then(Value::as_u64) {
                    if (items.len() as u64) < min {
                        errors.push(format!("{here}: {} items, at least {min} required", items.len()));
                    }
                }
                if let Some(max) = obj.get("maxItems").and_then(Value::as_u64) {
                    if (items.len() as u64) > max {
                        errors.push(format!("{here}: {} items, at most {max} allowed", items.len()));
                    }
                }
            }
            Value::String(s) => {
                let n = s.chars().count() as u64;
                if let Some(min) = obj.get("minLength").and_then(Value::as_u64) {
                    if n < min {
                        errors.push(format!("{here}: string shorter than {min} characters"));
                    }
                }
                if let Some(max) = obj.get("maxLength").and_then(Value::as_u64) {
                    if n > max {
                        errors.push(format!("{here}: string longer than {max} characters"));
                    }
                }
                if obj.get("format").and_then(Value::as_str) == Some("date-time") && !is_rfc3339(s) {
                    errors.push(format!("{here}: {s:?} is not an RFC 3339 date-time"));
                }
            }
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if let Some(min) = obj.get("minimum").and_then(Value::as_f64) {
                    let exclusive = obj.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
                    if x < min || (exclusive && x == min) {
                        errors.push(format!("{here}: {n} is below the minimum {min}"));
                    }
                }
                if let Some(max) = obj.get("maximum").and_then(Value::as_f64) {
                    let exclusive = obj.get("exclusiveMaximum").and_then(Value::as_bool) == Some(true);
                    if x > max || (exclusive && x == max) {
                        errors.push(format!("{here}: {n} is above the maximum {max}"));
                    }
                }
                match obj.get("format").and_then(Value::as_str) {
                    Some("int32") if n.as_i64().is_none_or(|i| i32::try_from(i).is_err()) => {
                        errors.push(format!("{here}: {n} is not an int32"));
                    }
                    Some("int64") if n.as_i64().is_none() => errors.push(format!("{here}: {n} is not an int64")),
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

fn type_matches(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Numbers compare by value (`1` equals `1.0`); everything else structurally.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A value's JSON text, cut short for messages.
pub(crate) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, checked by shape and ranges.
pub(crate) fn is_rfc3339(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(root: &Value, schema: &Value, v: &Value, dir: Direction) -> Vec<String> {
        let mut e = Vec::new();
        Validator::new(root, dir).validate(schema, v, "body", &mut e);
        e
    }

    #[test]
    fn keywords() {
        let root = json!({"components": {"schemas": {
            "Rule": {"type": "object", "required": ["type", "everySeconds"], "properties": {
                "type": {"type": "string", "enum": ["expire"]},
                "everySeconds": {"type": "integer", "format": "int64", "minimum": 0}}},
            "Bucket": {"type": "object", "required": ["name", "id"], "additionalProperties": false, "properties": {
                "id": {"type": "string", "readOnly": true},
                "name": {"type": "string", "minLength": 1},
                "createdAt": {"type": "string", "format": "date-time"},
                "description": {"type": "string", "nullable": true},
                "rules": {"type": "array", "maxItems": 1, "items": {"$ref": "#/components/schemas/Rule"}}}},
            "Either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "Both": {"allOf": [{"$ref": "#/components/schemas/Rule"}, {"type": "object", "properties": {"x": {"type": "boolean"}}}]}
        }}});
        let s = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
        let ok = json!({"name": "b", "description": null, "createdAt": "2022-08-03T23:04:41.073704121Z",
            "rules": [{"type": "expire", "everySeconds": 0}]});
        assert_eq!(errors(&root, &s("Bucket"), &ok, Direction::Request), Vec::<String>::new());
        // `id` is read-only: required in a response, not in a request.
        assert_eq!(
            errors(&root, &s("Bucket"), &ok, Direction::Response),
            vec![r#"body: missing required property "id""#]
        );

        let bad = json!({"name": "", "extra": 1, "createdAt": "yesterday",
            "rules": [{"type": "forever", "everySeconds": -1}, {"type": "expire", "everySeconds": 1.5}]});
        let e = errors(&root, &s("Bucket"), &bad, Direction::Request);
        let want = [
            "body: property \"extra\" is not allowed here",
            "body.name: string shorter than 1 characters",
            "body.createdAt: \"yesterday\" is not an RFC 3339 date-time",
            "body.rules[0].type: \"forever\" is not one of [\"expire\"]",
            "body.rules[0].everySeconds: -1 is below the minimum 0",
            "body.rules[1].everySeconds: expected integer, found number",
            "body.rules: 2 items, at most 1 allowed",
        ];
        for w in want {
            assert!(e.iter().any(|x| x == w), "missing {w:?} in {e:#?}");
        }
        assert_eq!(e.len(), want.len(), "{e:#?}");

        assert!(errors(&root, &s("Either"), &json!(3), Direction::Request).is_empty());
        assert_eq!(errors(&root, &s("Either"), &json!(true), Direction::Request).len(), 1);
        assert!(errors(
            &root,
            &s("Both"),
            &json!({"type": "expire", "everySeconds": 1, "x": true}),
            Direction::Request
        )
        .is_empty());
        assert_eq!(
            errors(&root, &s("Both"), &json!({"type": "expire", "everySeconds": 1, "x": 1}), Direction::Request),
            vec!["body.x: expected boolean, found integer"]
        );
        assert_eq!(
            errors(&root, &json!({"$ref": "#/nope"}), &json!(1), Direction::Request),
            vec!["body: the contract's $ref \"#/nope\" does not resolve"]
        );
    }

    #[test]
    fn cyclic_schema_terminates() {
        let root = json!({"components": {"schemas": {"Node": {"type": "object", "properties": {
            "next": {"$ref": "#/components/schemas/Node"}}}}}});
        let mut v = json!({});
        for _ in 0..200 {
            v = json!({ "next": v });
        }
        let _ = errors(&root, &json!({"$ref": "#/components/schemas/Node"}), &v, Direction::Request);
        let loop_root = json!({"a": {"$ref": "#/a"}});
        assert!(errors(&loop_root, &json!({"$ref": "#/a"}), &json!(1), Direction::Request).is_empty());
    }
}
