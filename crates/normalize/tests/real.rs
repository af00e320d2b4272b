//! The real PDFs in ../shared/real/budget and final through the whole
//! pipeline: every standard table kinded, at least 98% of the checks each
//! document carries passing, known failures listed and explained, every JSON
//! valid against the repo's JSON Schema.

mod common;
use common::*;
use gongkai_normalize::schema::Document;

const SHANGHAI_9: &[&str] = &[
    "budget_overview",
    "budget_income",
    "budget_expenditure",
    "fiscal_overview",
    "general_budget_expenditure",
    "gov_fund_expenditure",
    "state_capital",
    "basic_expenditure_economic",
    "three_public",
];

const FINAL_9: &[&str] = &[
    "final_overview",
    "final_income",
    "final_expenditure",
    "final_fiscal_overview",
    "final_general_budget_expenditure",
    "final_basic_expenditure_detail",
    "final_three_public",
    "final_gov_fund",
    "final_state_capital",
];

fn run(rel: &str, kinds: &[&str], known_failures: &[(&str, &str)]) -> Document {
    let d = convert(&shared(rel));
    to_valid_json(&d);
    let found: Vec<&str> = d
        .tables
        .iter()
        .map(|t| t.kind.as_str())
        .filter(|k| *k != "unknown")
        .collect();
    assert_eq!(found, kinds, "{rel}\n{}", summary(&d));
    let failed: Vec<_> = d.checks.iter().filter(|c| !c.ok).collect();
    let rate = gongkai_normalize::checks::pass_rate(&d.checks);
    assert!(
        rate >= 0.98,
        "{rel}: {rate:.3} of {} checks pass; failed: {failed:#?}",
        d.checks.len()
    );
    // Every failure must be a known one (rule, row), explained where listed.
    for c in &failed {
        let row = c.row.as_deref().unwrap_or("");
        assert!(
            known_failures
                .iter()
                .any(|(rule, r)| *rule == c.rule && *r == row),
            "{rel}: unexpected failure {c:?}"
        );
    }
    d
}

fn value(d: &Document, kind: &str, key: &str, column: &str) -> Option<f64> {
    let t = d.tables.iter().find(|t| t.kind == kind)?;
    let r = t.records.iter().find(|r| {
        r.code.as_deref() == Some(key) || (r.code.is_none() && r.name.as_deref() == Some(key))
    })?;
    r.values.get(column).copied()
}

#[test]
fn putuo_commerce_budget_2025() {
    let d = run(
        "real/budget/上海市普陀区商务委员会2025年部门预算.pdf",
        SHANGHAI_9,
        &[],
    );
    assert_eq!(d.document.entity.as_deref(), Some("上海市普陀区商务委员会"));
    assert_eq!(d.document.year, Some(2025));
    assert_eq!(d.document.kind.as_deref(), Some("budget"));
    assert!(d.checks.len() > 150, "{}", d.checks.len());
    // 类/款/项 concatenated; 元 with separators; the 三公 table in 万元.
    assert_eq!(
        value(&d, "budget_income", "2011301", "合计"),
        Some(9389913.0)
    );
    assert_eq!(
        value(&d, "budget_income", "合计", "合计"),
        Some(371514655.0)
    );
    assert_eq!(
        value(&d, "budget_expenditure", "215", "项目支出"),
        Some(293810000.0)
    );
    assert_eq!(
        value(&d, "basic_expenditure_economic", "30101", "人员经费"),
        Some(1952616.0)
    );
    let units: Vec<Option<&str>> = d.tables.iter().map(|t| t.unit.as_deref()).collect();
    assert_eq!(units.last(), Some(&Some("万元")));
    assert!(units[..8].iter().all(|u| *u == Some("元")), "{units:?}");
    let t = d.tables.iter().find(|t| t.kind == "three_public").unwrap();
    assert_eq!(t.records[0].values.get("公务接待费"), Some(&1.0));
    assert_eq!(t.records[0].values.get("机关运行经费预算数"), Some(&171.01));
}

#[test]
fn shanghai_finance_bureau_budget_2025() {
    let d = run(
        "real/budget/上海市财政局2025年单位预算.pdf",
        SHANGHAI_9,
        &[],
    );
    assert_eq!(d.document.entity.as_deref(), Some("上海市财政局"));
    assert!(
        d.tables[..8]
            .iter()
            .all(|t| t.unit.as_deref() == Some("元")),
        "{}",
        summary(&d)
    );
}

#[test]
fn wanli_budget_2025_retypeset() {
    // Whole-元 tables: a parent may differ from its children's sum by the
    // rounding of each printed item (212 / 21201 differ by one 元), within
    // the printed-precision tolerance.
    let d = run(
        "real/budget/万里街道2025年部门预算-Calc重排版.pdf",
        SHANGHAI_9,
        &[],
    );
    assert_eq!(
        d.document.entity.as_deref(),
        Some("上海市普陀区人民政府万里街道办事处")
    );
    assert!(d
        .checks
        .iter()
        .any(|c| c.row.as_deref() == Some("21201") && (c.expected - c.found).abs() >= 1.0 && c.ok));
}

#[test]
fn putuo_finance_bureau_final_2024() {
    let d = run(
        "real/final/上海市普陀区财政局2024年度部门决算.pdf",
        FINAL_9,
        &[],
    );
    assert_eq!(d.document.entity.as_deref(), Some("上海市普陀区财政局"));
    assert_eq!(d.document.year, Some(2024));
    assert_eq!(d.document.kind.as_deref(), Some("final_account"));
    assert!(d.checks.len() > 80, "{}", d.checks.len());
}

#[test]
fn final_account_template() {
    // The official template: every table, headers and row labels, no numbers.
    let d = run("real/final/部门决算公开模板.pdf", FINAL_9, &[]);
    assert_eq!(d.document.kind.as_deref(), Some("final_account"));
    let with_values: Vec<_> = d
        .tables
        .iter()
        .filter(|t| t.kind != "unknown")
        .flat_map(|t| &t.records)
        .filter(|r| !r.values.is_empty())
        .collect();
    assert!(with_values.is_empty(), "{with_values:#?}");
}
