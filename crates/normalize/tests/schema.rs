//! The JSON Schema in the repo against JSON written elsewhere: the samples'
//! truth files (written by the samples generator from the contract) must all
//! be valid, and documents that break the contract must not be.

use gongkai_normalize::validate::{validate_document, SCHEMA_JSON};
use serde_json::{json, Value};
use std::path::Path;

#[test]
fn schema_parses_and_names_every_contract_field() {
    let s: Value = serde_json::from_str(SCHEMA_JSON).unwrap();
    let req = |v: &Value| -> Vec<String> {
        v["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        req(&s),
        [
            "schema",
            "source",
            "document",
            "tables",
            "performance",
            "sections",
            "checks",
            "diagnostics"
        ]
    );
    assert_eq!(
        req(&s["$defs"]["record"]),
        ["side", "code", "name", "level", "values"]
    );
    assert_eq!(
        req(&s["$defs"]["check"]),
        ["rule", "table", "row", "column", "expected", "found", "ok"]
    );
    assert!(req(&s["$defs"]["table"]).contains(&"repairs".to_string()));
    assert!(req(&s["$defs"]["performance_sheet"]).contains(&"indicators".to_string()));
}

#[test]
fn samples_truth_is_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/truth");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("samples/truth") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let errors = validate_document(&v);
            assert!(
                errors.is_empty(),
                "{}: {:?}",
                path.display(),
                &errors[..errors.len().min(5)]
            );
            n += 1;
        }
    }
    assert!(n >= 20, "only {n} truth files");
}

#[test]
fn contract_breaks_are_caught() {
    let good = json!({
        "schema": "gongkai/1",
        "source": {"file": "a.pdf", "sha256": "", "format": "pdf", "pages": 1},
        "document": {"entity": null, "year": 2025, "kind": "budget", "title": null},
        "tables": [{"kind": "budget_income", "title": null, "number": null, "pages": [1], "unit": "万元",
                    "header": [["合计"]], "columns": ["合计"], "rows": [["1.00"]],
                    "records": [{"side": null, "code": "201", "name": "x", "level": 1, "values": {"合计": 1.0}}],
                    "repairs": []}],
        "performance": [], "sections": [], "checks": [], "diagnostics": []
    });
    assert!(
        validate_document(&good).is_empty(),
        "{:?}",
        validate_document(&good)
    );
    let mut bad = good.clone();
    bad["tables"][0]["kind"] = json!("budget_incomes");
    bad["tables"][0]["records"][0]["values"]["合计"] = json!("1.00");
    bad["document"]["year"] = json!("2025");
    bad["source"]["format"] = json!("docx");
    assert_eq!(
        validate_document(&bad).len(),
        4,
        "{:?}",
        validate_document(&bad)
    );
    let mut missing = good;
    missing["tables"][0]
        .as_object_mut()
        .unwrap()
        .remove("records");
    assert_eq!(validate_document(&missing).len(), 1);
}
