//! A small JSON Schema validator for the subset the project's own schema
//! (`schema/gongkai-1.schema.json`) uses: `type` (one or a list), `properties`,
//! `required`, `additionalProperties` (bool or schema), `items`, `enum`,
//! `const`, `minimum`, `$ref` into `#/$defs/…`, `anyOf`. Enough to prove every
//! JSON the tests write has the contract's shape, without a heavy dependency.

use serde_json::Value;

/// The project's JSON Schema of the output contract (`schema/gongkai-1.schema.json`).
pub const SCHEMA_JSON: &str = include_str!("../../../schema/gongkai-1.schema.json");

/// Validate one output document (as JSON) against [`SCHEMA_JSON`].
pub fn validate_document(doc: &Value) -> Vec<String> {
    match serde_json::from_str::<Value>(SCHEMA_JSON) {
        Ok(schema) => validate(&schema, doc),
        Err(e) => vec![format!("schema does not parse: {e}")],
    }
}

/// Validate `value` against `schema`; every violation as "path: message".
pub fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, value, "$", &mut errors, 0);
    errors
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some(),
        _ => false,
    }
}

fn check(
    root: &Value,
    schema: &Value,
    v: &Value,
    path: &str,
    errors: &mut Vec<String>,
    depth: usize,
) {
    if depth > 64 {
        errors.push(format!("{path}: schema nesting too deep"));
        return;
    }
    let Some(s) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{path}: not allowed"));
        }
        return;
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        match r
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs").and_then(|d| d.get(name)))
        {
            Some(target) => check(root, target, v, path, errors, depth + 1),
            None => errors.push(format!("{path}: unresolved $ref {r}")),
        }
    }
    if let Some(t) = s.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| type_ok(t, v)),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected type {t}, found {v}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{path}: {v} not in {}", Value::Array(e.clone())));
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            errors.push(format!("{path}: expected {c}, found {v}"));
        }
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            errors.push(format!("{path}: {n} below minimum {min}"));
        }
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        let ok = any.iter().any(|sub| {
            let mut e = Vec::new();
            check(root, sub, v, path, &mut e, depth + 1);
            e.is_empty()
        });
        if !ok {
            errors.push(format!("{path}: matches none of anyOf"));
        }
    }
    if let Some(obj) = v.as_object() {
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            for k in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(k) {
                    errors.push(format!("{path}: missing required field {k}"));
                }
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            let sub_path = format!("{path}.{k}");
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(root, ps, val, &sub_path, errors, depth + 1),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{sub_path}: unexpected field"))
                    }
                    Some(ap @ Value::Object(_)) => {
                        check(root, ap, val, &sub_path, errors, depth + 1)
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            check(
                root,
                items,
                item,
                &format!("{path}[{i}]"),
                errors,
                depth + 1,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn catches_shape_errors() {
        let schema = json!({
            "type": "object",
            "required": ["a", "b"],
            "properties": {
                "a": {"type": "string", "enum": ["x", "y"]},
                "b": {"type": "array", "items": {"$ref": "#/$defs/n"}},
                "c": {"type": ["integer", "null"], "minimum": 1}
            },
            "additionalProperties": false,
            "$defs": {"n": {"type": "number"}}
        });
        assert!(validate(&schema, &json!({"a": "x", "b": [1, 2.5], "c": null})).is_empty());
        let e = validate(&schema, &json!({"a": "z", "b": [1, "2"], "c": 0, "d": 1}));
        assert_eq!(e.len(), 4, "{e:?}");
        assert_eq!(validate(&schema, &json!({"a": "x"})).len(), 1);
    }
}
