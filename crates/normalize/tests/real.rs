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
    gongkai_extract::require_shared!();
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
    gongkai_extract::require_shared!();
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
    gongkai_extract::require_shared!();
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
    gongkai_extract::require_shared!();
    let d = run(
        "real/final/上海市普陀区财政局2024年度部门决算.pdf",
        FINAL_9,
        &[],
    );
    assert_eq!(d.document.entity.as_deref(), Some("上海市普陀区财政局"));
    assert_eq!(d.document.year, Some(2024));
    assert_eq!(d.document.kind.as_deref(), Some("final_account"));
    assert!(d.checks.len() > 80, "{}", d.checks.len());
    // 收入决算表 and 支出决算表 print 类 | 款 | 项 in the 合计 row's band (p8,
    // p10): codes are joined from the three columns, 合计 is the total, and
    // no 类/款/项 number is read as an amount.
    for (kind, column, v) in [
        ("final_income", "本年收入合计", 1511.90),
        ("final_expenditure", "本年支出合计", 1511.89),
    ] {
        let t = d.tables.iter().find(|t| t.kind == kind).unwrap();
        let r = t
            .records
            .iter()
            .find(|r| r.code.as_deref() == Some("2010601"))
            .unwrap_or_else(|| panic!("{kind}: no 2010601 in {:#?}", t.records));
        assert_eq!(r.name.as_deref(), Some("行政运行"));
        assert_eq!(r.level, Some(3));
        assert_eq!(r.values.get(column), Some(&v), "{r:?}");
        assert!(t.records.iter().all(|r| r.side.is_none()), "{kind}");
        assert!(
            t.records
                .iter()
                .all(|r| r.values.keys().all(|k| !k.contains("科目编码"))),
            "{kind}"
        );
        assert_eq!(t.records.iter().filter(|r| r.code.is_some()).count(), 19);
        assert!(t
            .repairs
            .iter()
            .any(|x| x.kind == "code_labels_split_from_row"));
    }
    assert_eq!(
        value(&d, "final_income", "合计", "本年收入合计"),
        Some(2946.25)
    );
    assert_eq!(
        value(&d, "final_expenditure", "合计", "项目支出"),
        Some(603.14)
    );
    // The tables' children are checked too (20 + 20 more than before).
    assert!(d.checks.len() >= 140, "{}", d.checks.len());
    // The 基本支出 table prints 人员经费 (类 款 科目名称 决算数) beside 公用经费
    // (the same four columns): each group gives its own records.
    let (i, t) = basic_expenditure_groups(&d);
    let rec = |key: &str| {
        t.records
            .iter()
            .find(|r| {
                r.code.as_deref() == Some(key)
                    || (r.code.is_none() && r.name.as_deref() == Some(key))
            })
            .unwrap_or_else(|| panic!("{key} not in {:#?}", t.records))
    };
    // Amounts as printed on pages 16–17.
    for (key, name, v) in [
        ("301", "工资福利支出", 2082.85),
        ("30101", "基本工资", 262.33),
        ("303", "对个人和家庭的补助", 69.41),
        ("302", "商品和服务支出", 171.07),
        ("30201", "办公费", 21.21),
        ("30239", "其他交通费用", 48.49),
        ("310", "资本性支出", 13.58),
        ("31002", "办公设备购置", 13.58),
    ] {
        let r = rec(key);
        assert_eq!(r.name.as_deref(), Some(name), "{r:?}");
        assert_eq!(r.values.get("决算数"), Some(&v), "{r:?}");
        assert_eq!(r.values.len(), 1, "{r:?}");
    }
    assert!(rec("30301").values.is_empty());
    assert_eq!(rec("人员经费合计").values.get("决算数"), Some(&2152.26));
    assert_eq!(rec("公用经费合计").values.get("决算数"), Some(&184.65));
    // Each group total is checked against its own top-level rows.
    let totals: Vec<(&str, f64, bool)> = d
        .checks
        .iter()
        .filter(|c| c.table == Some(i) && c.rule == "total_sum")
        .map(|c| (c.row.as_deref().unwrap_or(""), c.found, c.ok))
        .collect();
    assert_eq!(
        totals,
        [
            ("人员经费合计", 2152.26, true),
            ("公用经费合计", 184.65, true)
        ]
    );
}

/// The final account's 基本支出 table read as side-by-side groups: codes of
/// 3 or 5 digits only (never two groups' codes run together), values keyed by
/// the group's own leaf label, no side, the 人员经费 group first (ending with
/// its total), then the 公用经费 group. Returns the table and its index.
fn basic_expenditure_groups(d: &Document) -> (usize, &gongkai_normalize::schema::Table) {
    let (i, t) = d
        .tables
        .iter()
        .enumerate()
        .find(|(_, t)| t.kind == "final_basic_expenditure_detail")
        .expect("basic expenditure table");
    for r in &t.records {
        assert!(r.side.is_none(), "{r:?}");
        if let Some(c) = r.code.as_deref() {
            assert!(
                matches!(c.len(), 3 | 5) && c.bytes().all(|b| b.is_ascii_digit()),
                "{r:?}"
            );
            assert_eq!(r.level, Some(if c.len() == 3 { 1 } else { 2 }), "{r:?}");
        }
        assert!(r.values.keys().all(|k| k == "决算数"), "{r:?}");
    }
    let pos = |f: &dyn Fn(&gongkai_normalize::schema::Record) -> bool| {
        t.records
            .iter()
            .position(f)
            .unwrap_or_else(|| panic!("{:#?}", t.records))
    };
    let code =
        |c: &'static str| move |r: &gongkai_normalize::schema::Record| r.code.as_deref() == Some(c);
    let name =
        |n: &'static str| move |r: &gongkai_normalize::schema::Record| r.name.as_deref() == Some(n);
    let order = [
        pos(&code("301")),
        pos(&code("303")),
        pos(&name("人员经费合计")),
        pos(&code("302")),
        pos(&code("310")),
        pos(&name("公用经费合计")),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(order[5], t.records.len() - 1);
    (i, t)
}

#[test]
fn final_account_template() {
    gongkai_extract::require_shared!();
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
    // Its 基本支出 table: 人员经费 and 公用经费 groups, 30101 and 30201 apart.
    let (_, t) = basic_expenditure_groups(&d);
    for (code, name) in [
        ("30101", "基本工资"),
        ("30201", "办公费"),
        ("30399", "其他对个人和家庭的补助"),
        ("31099", "其他资本性支出"),
    ] {
        assert!(
            t.records
                .iter()
                .any(|r| r.code.as_deref() == Some(code) && r.name.as_deref() == Some(name)),
            "{code} {name}"
        );
    }
}
