//! End-to-end test of `gongkai export`: the long table's shape (BOM, header,
//! RFC 4180 quoting, one row per value, deterministic order) and the failed
//! checks beside it.

mod common;

use common::*;
use serde_json::{json, Value};

/// A converted document with the awkward text a CSV writer must survive.
fn tricky_document() -> Value {
    json!({
        "schema": "gongkai/1",
        "source": {"file": "z/手工.pdf", "sha256": "00", "format": "pdf", "pages": 2},
        "document": {"entity": "某局, \"机关\"", "year": 2025, "kind": "budget", "title": "t"},
        "tables": [{
            "kind": "budget_expenditure", "title": "支出总表\n（续）", "number": "表三",
            "pages": [10, 11], "unit": "万元",
            "header": [["科目编码", "科目名称", "合计", "基本支出"]],
            "columns": ["科目编码", "科目名称", "合计", "基本支出"],
            "rows": [["201", "一般公共服务支出", "1.09", ""]],
            "records": [
                {"side": null, "code": "201", "name": "一般公共服务支出", "level": 1,
                 "values": {"基本支出": 0.5, "合计": 1.09}},
                {"side": "income", "code": null, "name": "合计", "level": null, "values": {}}
            ],
            "repairs": []
        }],
        "performance": [], "sections": [],
        "checks": [
            {"rule": "children_sum", "table": 0, "row": "201", "column": "合计",
             "expected": 2.5, "found": 1.09, "ok": false},
            {"rule": "children_sum", "table": 0, "row": "2", "column": "合计",
             "expected": 1.0, "found": 1.0, "ok": true}
        ],
        "diagnostics": [],
        "tool": {"name": "gongkai", "version": "0"}
    })
}

#[test]
fn export_writes_one_long_table_and_failed_checks() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("export");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    let files = corpus();
    write_corpus(&input, &files);
    let run = gongkai(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    std::fs::create_dir_all(out.join("z")).unwrap();
    std::fs::write(
        out.join("z/手工.pdf.json"),
        serde_json::to_vec_pretty(&tricky_document()).unwrap(),
    )
    .unwrap();
    // Converted records (from whichever stages are real) plus the hand-made ones.
    let converted_records: usize = index_lines(&out.join("index.jsonl"))
        .iter()
        .map(|e| e["records"].as_u64().unwrap() as usize)
        .sum();

    std::fs::create_dir_all(tmp.path().join("exp")).unwrap();
    let csv = tmp.path().join("exp/records.csv");
    let jsonl = tmp.path().join("exp/records.jsonl");
    let run = gongkai(&[
        "export",
        out.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
        "--jsonl",
        jsonl.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));

    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "UTF-8 BOM for Excel"
    );
    let text = String::from_utf8(bytes).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    assert!(text.starts_with(
        "file,entity,year,document_kind,table,table_kind,table_title,side,code,name,level,column,value,unit,pages,role\r\n"
    ));
    // The hand-made document's rows: values in printed column order, then
    // one row for the record without values; quoted where needed.
    let ours: Vec<&str> = text
        .split("\r\n")
        .filter(|l| l.starts_with("z/手工.pdf,"))
        .collect();
    assert_eq!(
        ours,
        [
            "z/手工.pdf,\"某局, \"\"机关\"\"\",2025,budget,0,budget_expenditure,\"支出总表\n（续）\",,201,一般公共服务支出,1,合计,1.09,万元,10;11,expenditure",
            "z/手工.pdf,\"某局, \"\"机关\"\"\",2025,budget,0,budget_expenditure,\"支出总表\n（续）\",,201,一般公共服务支出,1,基本支出,0.5,万元,10;11,expenditure",
            "z/手工.pdf,\"某局, \"\"机关\"\"\",2025,budget,0,budget_expenditure,\"支出总表\n（续）\",income,,合计,,,,万元,10;11,expenditure",
        ]
    );

    // JSON Lines: the same rows, typed.
    let rows: Vec<Value> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows.len() >= 3 && rows.len() >= converted_records);
    let mine: Vec<&Value> = rows.iter().filter(|r| r["file"] == "z/手工.pdf").collect();
    assert_eq!(mine.len(), 3);
    assert_eq!(mine[0]["value"], 1.09);
    assert_eq!(mine[0]["year"], 2025);
    assert_eq!(mine[0]["pages"], json!([10, 11]));
    // Files in path order: the hand-made document (z/…) comes last.
    assert_eq!(rows.last().unwrap()["file"], "z/手工.pdf");

    // Failed checks beside the records, only the failed ones.
    let checks = std::fs::read_to_string(tmp.path().join("exp/records.checks.csv")).unwrap();
    let lines: Vec<&str> = checks
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .collect();
    assert_eq!(
        lines[0],
        "file,entity,year,document_kind,rule,table,table_kind,table_title,row,column,expected,found"
    );
    let failed: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("z/手工.pdf,"))
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0]
            .ends_with(",children_sum,0,budget_expenditure,\"支出总表\n（续）\",201,合计,2.5,1.09"),
        "{}",
        failed[0]
    );
    assert!(tmp.path().join("exp/records.checks.jsonl").exists());

    // Same input, same bytes.
    let again = tmp.path().join("exp/again.csv");
    let run = gongkai(&[
        "export",
        out.to_str().unwrap(),
        "--csv",
        again.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0);
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&csv).unwrap());
}
