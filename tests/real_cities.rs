//! Budgets of provinces outside the samples' templates (../shared/real/cities):
//! every standard table gets the kind its printed title names, titles come
//! out with their numbers parsed, and the records match the hand-checked
//! truth (../shared/real/truth) as `gongkai eval` scores them.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn convert_cities(tag: &str) -> TempDir {
    let out = TempDir::new(tag);
    let o = gongkai(&[
        "convert",
        &shared("real/cities").to_string_lossy(),
        "-o",
        &out.path().to_string_lossy(),
    ]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    out
}

fn doc(out: &Path, name: &str) -> Value {
    let text = std::fs::read_to_string(out.join(format!("{name}.pdf.json"))).expect(name);
    serde_json::from_str(&text).expect("json")
}

/// (number, kind) of each table, in printed order.
fn kinds(d: &Value) -> Vec<(String, String)> {
    d["tables"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["number"].as_str().unwrap_or("").to_string(),
                t["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_standard_table_has_the_kind_its_title_names() {
    if !shared_present() {
        eprintln!("skipped: no ../shared/real/cities");
        return;
    }
    let out = convert_cities("cities-kinds");
    // 杭州 numbers its tables "表N：" before the year; every one is kinded.
    let k = kinds(&doc(out.path(), "2026年杭州市公安局部门预算"));
    let want: Vec<(String, String)> = [
        ("表1", "budget_overview"),
        ("表2", "budget_income"),
        ("表3", "budget_expenditure"),
        ("表4", "fiscal_overview"),
        ("表5", "general_budget_expenditure"),
        ("表6", "basic_expenditure_economic"),
        ("表7", "three_public"),
        ("表8", "gov_fund_expenditure"),
        ("表9", "state_capital"),
        ("表10", "project_expenditure"),
        // Not one of the contract's kinds: a list of projects with their
        // targets (its `taxonomy` says so, checked below).
        ("表11", "unknown"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(k, want);
    let h = doc(out.path(), "2026年杭州市公安局部门预算");
    assert_eq!(h["tables"][10]["taxonomy"], "project_performance");
    assert_eq!(h["tables"][10]["kind_source"], "title");
    assert_eq!(
        h["tables"][0]["title_normalized"],
        "2026年市级部门收支预算总表"
    );
    // 西安: 基本支出 by function is the general-budget table's view, by
    // economic class the economic one; 专项业务经费 are its projects.
    let x = doc(out.path(), "2026年西安市信访局部门预算");
    let field = |needle: &str, key: &str| -> String {
        x["tables"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["title"].as_str().is_some_and(|s| s.contains(needle)))
            .and_then(|t| t[key].as_str())
            .unwrap_or("missing")
            .to_string()
    };
    let by_title = |needle: &str| field(needle, "kind");
    assert_eq!(
        by_title("基本支出明细表（按支出功能"),
        "general_budget_expenditure"
    );
    assert_eq!(
        by_title("基本支出明细表（按支出经济"),
        "basic_expenditure_economic"
    );
    assert_eq!(by_title("专项业务经费支出表"), "project_expenditure");
    assert_eq!(by_title("政府采购"), "unknown");
    assert_eq!(field("政府采购", "taxonomy"), "gov_procurement");
    assert_eq!(
        by_title("上年结转资金支出表"),
        "project_expenditure_carryover"
    );
    assert_eq!(x["document"]["entity"], "西安市信访局");
    // 广州: 表N above the title; a table continued on the next page is one.
    let g = doc(out.path(), "2026年广州市人民政府办公厅部门预算");
    let tables = g["tables"].as_array().cloned().unwrap_or_default();
    let find = |title: &str| tables.iter().find(|t| t["title"] == title).cloned();
    let fiscal = find("财政拨款收支总体情况表").expect("fiscal overview");
    assert_eq!(fiscal["kind"], "fiscal_overview");
    assert_eq!(fiscal["pages"], serde_json::json!([10, 11]));
    let general = find("一般公共预算支出情况表（按功能分类科目）").expect("表5");
    assert_eq!(general["kind"], "general_budget_expenditure");
    assert_eq!(general["number"], "表5");
    assert_eq!(general["pages"], serde_json::json!([12, 13]));
    assert_eq!(
        find("收入总体情况表").map(|t| t["kind"].clone()),
        Some(Value::from("budget_income"))
    );
}

#[test]
fn records_match_the_hand_checked_truth() {
    if !shared_present() {
        eprintln!("skipped: no ../shared/real/truth");
        return;
    }
    let out = convert_cities("cities-eval");
    let o = gongkai(&[
        "eval",
        &out.path().to_string_lossy(),
        &shared("real/truth").to_string_lossy(),
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).expect("eval json");
    let records = &report["overall"]["records"];
    let f1 = |c: &Value| {
        let (m, f, e) = (
            c["matched"].as_f64().unwrap_or(0.0),
            c["found"].as_f64().unwrap_or(0.0),
            c["expected"].as_f64().unwrap_or(0.0),
        );
        if f + e == 0.0 {
            0.0
        } else {
            2.0 * m / (f + e)
        }
    };
    let score = f1(records);
    eprintln!("record F1 on ../shared/real/truth: {score:.3}");
    // Where it stands (0.38 before the taxonomy and title parser, 0.961 before
    // tall cells, 0.982 now); a drop below this is a regression.
    assert!(score >= 0.975, "record F1 {score:.3}: {records}");
}

/// 广州's 收入总体情况表 prints its header with labels centred in cells of
/// different heights: a group band (财政拨款收入 / 财政专户拨款收入 /
/// 其他资金收入) and labels wrapped over up to three lines, on seven text
/// lines half a row apart. Every label is read whole, the band is kept, and
/// 合计 is checked against its components.
#[test]
fn a_header_of_centred_labels_on_half_rows_is_read_whole() {
    if !shared_present() {
        eprintln!("skipped: no ../shared/real/cities");
        return;
    }
    let out = convert_cities("cities-header");
    let d = doc(out.path(), "2026年广州市人民政府办公厅部门预算");
    let tables = d["tables"].as_array().expect("tables");
    let ti = tables
        .iter()
        .position(|t| t["title"] == "收入总体情况表")
        .expect("收入总体情况表");
    let t = &tables[ti];
    let columns: Vec<&str> = t["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for want in [
        "其他专户收入拨款",
        "附属单位上缴收入",
        "教育收费",
        "事业单位经营收入",
    ] {
        assert!(columns.contains(&want), "{want} in {columns:?}");
    }
    let band = t["header"][0].to_string();
    assert!(
        band.contains("财政拨款收入") && band.contains("财政专户拨款收入"),
        "{band}"
    );
    let sums = d["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["rule"] == "components_sum" && c["column"] == "合计" && c["ok"] == true)
        .filter(|c| c["table"].as_u64() == Some(ti as u64))
        .count();
    assert!(sums >= 4, "合计 checked against its components in each row");
}

/// 广州's 部门预算项目支出及其他支出预算表 wraps project names over three and
/// four lines, the amounts centred beside them and the 绩效目标 text printing
/// its own lines in between: each project is one record, named whole, with
/// its amounts.
#[test]
fn project_names_wrapped_over_several_lines_are_one_record() {
    if !shared_present() {
        eprintln!("skipped: no ../shared/real/cities");
        return;
    }
    let out = convert_cities("cities-tall");
    let d = doc(out.path(), "2026年广州市人民政府办公厅部门预算");
    let t = d["tables"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["title"] == "部门预算项目支出及其他支出预算表")
        .expect("部门预算项目支出及其他支出预算表");
    let records: Vec<(String, Option<f64>)> = t["records"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or("").to_string(),
                r["values"]["合计"].as_f64(),
            )
        })
        .collect();
    for (name, total) in [
        (
            "广州市人民政府办公厅2025-2026年度信息化整体运维服务项目",
            138.05,
        ),
        ("广州市人民政府办公厅2025年度政务信息化建设项目", 26.2),
        (
            "广州地区公文交换站(广州市人民政府公报编辑部)2025-2026年度信息化运维服务",
            3.18,
        ),
    ] {
        assert!(
            records.iter().any(|(n, v)| n == name && *v == Some(total)),
            "{name} {total} in {records:?}"
        );
    }
    // No fragment of a name is a record of its own.
    assert!(
        records
            .iter()
            .all(|(n, _)| !n.is_empty() && n != "目" && n != "维服务"),
        "{records:?}"
    );
}
