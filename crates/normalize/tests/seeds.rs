//! The four seed disclosures (broken text dumps of real documents) through
//! the whole pipeline: every standard table kinded, a handful of records read
//! off the seed by hand, seed 000's own arithmetic all passing, and every
//! JSON written valid against the repo's JSON Schema.

mod common;
use common::*;
use gongkai_normalize::schema::{Document, Record};

fn seed(name: &str) -> Document {
    let d = convert(&shared(&format!("seeds/{name}")));
    to_valid_json(&d);
    d
}

fn kinds(d: &Document) -> Vec<&str> {
    d.tables
        .iter()
        .map(|t| t.kind.as_str())
        .filter(|k| *k != "unknown")
        .collect()
}

fn table<'a>(d: &'a Document, kind: &str) -> &'a gongkai_normalize::schema::Table {
    d.tables
        .iter()
        .find(|t| t.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} table\n{}", summary(d)))
}

/// The record of a table with this code, or this name (and side).
fn rec<'a>(d: &'a Document, kind: &str, side: Option<&str>, key: &str) -> &'a Record {
    let t = table(d, kind);
    t.records
        .iter()
        .find(|r| {
            r.side.as_deref() == side
                && (r.code.as_deref() == Some(key)
                    || (r.code.is_none() && r.name.as_deref() == Some(key)))
        })
        .unwrap_or_else(|| panic!("no record {key} in {kind}: {:#?}", t.records))
}

fn assert_values(r: &Record, expected: &[(&str, f64)]) {
    for (k, v) in expected {
        let got = r.values.get(*k).copied();
        assert!(
            got.is_some_and(|g| (g - v).abs() < 0.005),
            "{k}: expected {v}, got {got:?} in {r:?}"
        );
    }
}

/// The Shanxi 13-table budget set, in printed order: the contract's budget kinds.
const SHANXI_13: &[&str] = gongkai_normalize::kinds::BUDGET_KINDS;

#[test]
fn seed_000_changzhi_budget() {
    gongkai_extract::require_shared!();
    let d = seed("000_aa7262f6cdff37ed.txt");
    assert_eq!(kinds(&d), SHANXI_13, "{}", summary(&d));
    assert_eq!(d.document.entity.as_deref(), Some("长治市工业和信息化局"));
    assert_eq!(d.document.year, Some(2025));
    assert_eq!(d.document.kind.as_deref(), Some("budget"));
    assert_eq!(
        d.document.title.as_deref(),
        Some("长治市工业和信息化局2025年度单位预算公开")
    );
    assert!(
        d.tables.iter().all(|t| t.unit.as_deref() == Some("万元")),
        "{}",
        summary(&d)
    );

    // Two-sided overview: income and expenditure records of one printed row.
    let r = rec(&d, "budget_overview", Some("income"), "一、一般公共预算");
    assert_values(r, &[("2025年", 14519.86)]);
    assert_eq!(r.level, Some(1));
    let r = rec(&d, "budget_overview", Some("expenditure"), "本年支出合计");
    assert_values(r, &[("2025年合计", 20656.65), ("当年预算安排", 20656.65)]);
    assert!(!r.values.contains_key("上年结转安排"));
    let r = rec(&d, "budget_overview", Some("income"), "收入总计");
    assert_values(r, &[("2025年", 20656.65)]);

    // Income table: 合计 row and a 7-digit code row.
    let r = rec(&d, "budget_income", None, "合计");
    assert_values(
        r,
        &[
            ("合计", 20656.65),
            ("一般公共预算", 14519.86),
            ("国有资本经营预算", 6136.79),
        ],
    );
    let r = rec(&d, "budget_income", None, "2080505");
    assert_eq!(r.name.as_deref(), Some("机关事业单位基本养老保险缴费支出"));
    assert_eq!(r.level, Some(3));
    assert_values(r, &[("合计", 70.99), ("一般公共预算", 70.99)]);

    let r = rec(&d, "budget_expenditure", None, "合计");
    assert_values(
        r,
        &[
            ("合计", 20656.65),
            ("基本支出", 1046.03),
            ("项目支出", 19610.61),
        ],
    );
    let r = rec(&d, "budget_expenditure", None, "208");
    assert_eq!(r.level, Some(1));
    assert_values(
        r,
        &[
            ("合计", 1364.30),
            ("基本支出", 261.82),
            ("项目支出", 1102.49),
        ],
    );

    let r = rec(&d, "fiscal_overview", Some("expenditure"), "本年支出合计");
    assert_values(
        r,
        &[
            ("小计", 20656.65),
            ("一般公共预算", 14519.86),
            ("国有资本经营预算", 6136.79),
        ],
    );
    let r = rec(
        &d,
        "fiscal_overview",
        Some("income"),
        "三、国有资本经营预算",
    );
    assert_values(r, &[("金额", 6136.79)]);

    let r = rec(&d, "general_budget_expenditure", None, "合计");
    assert_values(
        r,
        &[
            ("合计", 14519.86),
            ("基本支出", 1046.03),
            ("项目支出", 13473.82),
        ],
    );
    let r = rec(&d, "general_budget_expenditure", None, "2150501");
    assert_values(r, &[("合计", 631.70), ("基本支出", 631.70)]);

    let r = rec(&d, "basic_expenditure_economic", None, "合计");
    assert_values(
        r,
        &[
            ("合计", 1046.03),
            ("人员经费", 860.28),
            ("公用经费", 185.75),
        ],
    );

    // The state-capital table prints codes on both sides.
    let r = rec(&d, "state_capital", Some("expenditure"), "2230107");
    assert_values(r, &[("合计", 143.00), ("项目支出", 143.00)]);
    assert!(table(&d, "state_capital")
        .records
        .iter()
        .any(|r| r.side.as_deref() == Some("income")));

    // 三公: rows without values still give records (convention 5), none with values.
    let t = table(&d, "three_public");
    assert_eq!(t.records.len(), 6, "{:#?}", t.records);
    assert!(t.records.iter().all(|r| r.values.is_empty()));
    let r = rec(&d, "operating_costs", None, "长治市工业和信息化局");
    assert_values(r, &[("合计", 185.75), ("一般公共预算", 185.75)]);
    let r = rec(&d, "project_expenditure", None, "长治市工业和信息化局");
    assert_values(
        r,
        &[
            ("合计", 19610.61),
            ("一般公共预算", 13473.82),
            ("国有资本经营预算", 6136.79),
        ],
    );

    // The column-number row (1 2 3 …) is neither header nor body.
    let t = table(&d, "project_expenditure");
    assert!(!t
        .rows
        .iter()
        .chain(t.header.iter())
        .any(|r| r.first().map(String::as_str) == Some("1")));

    // Seed 000 is internally consistent: every check passes.
    let failed: Vec<_> = d.checks.iter().filter(|c| !c.ok).collect();
    assert!(d.checks.len() > 300, "only {} checks", d.checks.len());
    assert!(failed.is_empty(), "{failed:#?}");
    for rule in [
        "children_sum",
        "total_sum",
        "components_sum",
        "items_sum",
        "overview_vs_table",
        "overview_balance",
        "fiscal_vs_general_budget",
    ] {
        assert!(d.checks.iter().any(|c| c.rule == rule), "no {rule} check");
    }

    // Performance sheets and narrative sections.
    assert!(d.performance.len() >= 30, "{}", d.performance.len());
    let p = d
        .performance
        .iter()
        .find(|p| p.project.as_deref() == Some("专项业务费(本级)"))
        .expect("sheet");
    assert_eq!(p.funds["实施期"]["资金总额"], 452000.0);
    assert_eq!(p.funds_unit.as_deref(), Some("元"));
    assert_eq!(p.implementer.as_deref(), Some("长治市工业和信息化局"));
    let i = &p.indicators[0];
    assert_eq!(
        (i.level1.as_deref(), i.level2.as_deref()),
        (Some("产出指标"), Some("数量指标"))
    );
    assert_eq!(
        (i.name.as_str(), i.target.as_deref()),
        ("服务保障机关在职人员人数", Some("44人"))
    );
    assert!(d
        .sections
        .iter()
        .any(|s| s.heading == "一、本单位职责" && s.text.contains("全市工业经济")));
    assert!(d
        .sections
        .iter()
        .any(|s| s.heading.starts_with("七、") && s.heading.contains("三公")));
}

#[test]
fn seed_001_jincheng_budget() {
    gongkai_extract::require_shared!();
    let d = seed("001_88f08c0df65a9dbb.txt");
    assert_eq!(kinds(&d), SHANXI_13, "{}", summary(&d));
    assert_eq!(d.document.entity.as_deref(), Some("晋城市工业和信息化局"));
    assert_eq!(d.document.year, Some(2025));
    assert_eq!(d.document.kind.as_deref(), Some("budget"));
    let r = rec(&d, "budget_expenditure", None, "合计");
    assert_values(
        r,
        &[
            ("合计", 5283.05),
            ("基本支出", 1471.63),
            ("项目支出", 3811.41),
        ],
    );
    // OCR spaces inside numbers ("5280. 60") are read.
    let r = rec(&d, "general_budget_expenditure", None, "合计");
    assert_values(
        r,
        &[
            ("合计", 5280.6),
            ("基本支出", 1471.63),
            ("项目支出", 3808.97),
        ],
    );
    // Known failures, each a real property of this seed, not ours to fix:
    // - fiscal_vs_general_budget: the fiscal overview's 一般公共预算 column
    //   (5283.05) includes the 2.45 上年结转 that 表五 (不含上年结转, 5280.60) excludes;
    // - total_sum of the income table: the dump put the 2.45 上年结转 of the
    //   208 rows into the 财政专户管理资金 column (a tab lost in the dump).
    let failed: Vec<_> = d.checks.iter().filter(|c| !c.ok).collect();
    assert!(failed.len() <= 3, "{failed:#?}");
    assert!(
        failed.iter().all(|c| c.rule == "fiscal_vs_general_budget"
            || (c.rule == "total_sum" && c.table == Some(1))),
        "{failed:#?}"
    );
    let r = rec(&d, "budget_expenditure", None, "2010301");
    assert_eq!(r.name.as_deref(), Some("行政运行"));
    assert_values(r, &[("合计", 577.55), ("基本支出", 577.55)]);
    let r = rec(&d, "budget_overview", Some("expenditure"), "本年支出合计");
    assert!(!r.values.is_empty(), "{r:?}");
}

#[test]
fn seed_002_tunliu_final_account() {
    gongkai_extract::require_shared!();
    let d = seed("002_9ab8174854570465.txt");
    let k = kinds(&d);
    // The 决算 公开01–10表: every final-account kind of the contract.
    for &want in gongkai_normalize::kinds::FINAL_KINDS {
        assert!(k.contains(&want), "{want} missing\n{}", summary(&d));
    }
    assert_eq!(
        d.document.entity.as_deref(),
        Some("长治市屯留区工业和信息化局")
    );
    assert_eq!(d.document.year, Some(2023));
    assert_eq!(d.document.kind.as_deref(), Some("final_account"));
    assert_eq!(
        table(&d, "final_overview").number.as_deref(),
        Some("公开01表")
    );
    // 行次 gives no value (convention 3).
    let r = rec(
        &d,
        "final_overview",
        Some("income"),
        "一、一般公共预算财政拨款收入",
    );
    assert_eq!(r.values.len(), 1, "{r:?}");
    assert_values(r, &[("金额", 144826.18)]);
    let r = rec(
        &d,
        "final_overview",
        Some("expenditure"),
        "一、一般公共服务支出",
    );
    assert_values(r, &[("金额", 1420.45)]);
    let r = rec(&d, "final_general_budget_expenditure", None, "2010301");
    assert_values(r, &[("基本支出", 85.06), ("小计", 85.06)]);
    let r = rec(&d, "final_state_capital", None, "223");
    assert_values(r, &[("合计", 773.07), ("项目支出", 773.07)]);
    // Header labels wrapped over lines in the dump (上级补 / 助收入) are
    // rejoined, so values are keyed by the printed column labels.
    assert_eq!(
        table(&d, "final_income").columns[2..],
        [
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入"
        ]
    );
    let r = rec(&d, "final_income", None, "201");
    assert_values(
        r,
        &[
            ("本年收入合计", 1436.56),
            ("财政拨款收入", 1419.06),
            ("其他收入", 17.50),
        ],
    );
    let r = rec(&d, "final_expenditure", None, "215");
    assert_values(
        r,
        &[
            ("本年支出合计", 141487.68),
            ("基本支出", 0.64),
            ("项目支出", 141487.04),
        ],
    );
    let r = rec(&d, "final_expenditure", None, "2010302");
    assert_values(r, &[("本年支出合计", 85.14), ("项目支出", 85.14)]);
    // 公开06 prints four (科目代码 科目名称 决算数) groups side by side: each
    // gives its own records, keyed 决算数, codes never run together.
    let t = table(&d, "final_basic_expenditure_detail");
    assert!(t.records.iter().all(
        |r| r.code.as_deref().is_none_or(|c| matches!(c.len(), 3 | 5))
            && r.values.keys().all(|k| k == "决算数")
    ));
    for (code, v) in [
        ("301", 171.20),
        ("30101", 67.20),
        ("302", 9.87),
        ("30201", 1.99),
    ] {
        assert_values(
            rec(&d, "final_basic_expenditure_detail", None, code),
            &[("决算数", v)],
        );
    }
    for (code, name) in [("30701", "国内债务付息"), ("31011", "地上附着物和青苗补偿")]
    {
        assert_eq!(
            rec(&d, "final_basic_expenditure_detail", None, code)
                .name
                .as_deref(),
            Some(name)
        );
    }
    // The 绩效自评表 forms of the dump's annex: one sheet per project, with
    // its funds and indicator tree (values as printed, glued ones split).
    let evals: Vec<_> = d
        .performance
        .iter()
        .filter(|p| p.kind == "performance_self_evaluation")
        .collect();
    assert!(evals.len() >= 16, "{} self-evaluation sheets", evals.len());
    let s = evals[0];
    assert_eq!(
        s.project.as_deref(),
        Some("2021-2022年“以电代煤”冬季清洁取暖运行补贴资金")
    );
    assert_eq!(
        s.department.as_deref(),
        Some("031-长治市屯留区工业和信息化局")
    );
    assert_eq!(s.indicators.len(), 6, "{:#?}", s.indicators);
    let first = &s.indicators[0];
    assert_eq!(first.level1.as_deref(), Some("产出指标"));
    assert_eq!(first.level2.as_deref(), Some("数量指标"));
    assert_eq!(first.target.as_deref(), Some("＝6971户"));
    assert_eq!((first.weight, first.score), (Some(20.0), Some(20.0)));
    let timely = s
        .indicators
        .iter()
        .find(|i| i.level2.as_deref() == Some("时效指标"))
        .unwrap();
    assert_eq!(timely.actual.as_deref(), Some("达成预期指标"));
    assert_eq!(timely.score, Some(10.0));
}

#[test]
fn seed_003_xinzhou_budget() {
    gongkai_extract::require_shared!();
    let d = seed("003_1c2d5dad9a5832d7.txt");
    assert_eq!(kinds(&d), &SHANXI_13[..11], "{}", summary(&d));
    assert_eq!(d.document.entity.as_deref(), Some("忻州市工业和信息化局"));
    assert_eq!(d.document.year, Some(2022));
    // `[2080505]` prefixes give the code; thousands separators are read.
    let r = rec(&d, "budget_income", None, "2080699");
    assert_eq!(r.name.as_deref(), Some("其他企业改革发展补助"));
    assert_values(r, &[("本年收入合计", 9000.0), ("一般公共预算", 9000.0)]);
    // The code column holds the neighbour's code (208 beside [20805]): the prefix wins.
    let r = rec(&d, "budget_expenditure", None, "20805");
    assert_eq!(r.name.as_deref(), Some("行政事业单位养老支出"));
    assert_eq!(r.level, Some(2));
    // The name slipped into the code column: `[208]社会保障和就业支出` gives both.
    let r = rec(&d, "general_budget_expenditure", None, "208");
    assert_eq!(r.name.as_deref(), Some("社会保障和就业支出"));
    assert_values(
        r,
        &[("合计", 9292.71), ("基本支出", 90.71), ("项目支出", 9202.0)],
    );
    // A caption wrapped as `单位:万` / `元` still gives the unit.
    assert_eq!(
        table(&d, "general_budget_expenditure").unit.as_deref(),
        Some("万元")
    );
    // The code left alone on its own line is not a second record.
    let n = table(&d, "budget_income")
        .records
        .iter()
        .filter(|r| r.code.as_deref() == Some("2101102"))
        .count();
    assert_eq!(n, 1);
    // Economic codes: 3 digits → level 1, 5 → level 2.
    let r = rec(&d, "basic_expenditure_economic", None, "50101");
    assert_eq!(r.level, Some(2));
    assert_values(r, &[("预算数", 573.48)]);
    // Performance target sheets, one per project.
    assert!(d.performance.len() >= 8, "{}", d.performance.len());
    let p = d
        .performance
        .iter()
        .find(|p| p.project.as_deref() == Some("工业项目建设领导小组办公室工作经费"))
        .expect("sheet");
    assert_eq!(p.funds["年度"]["资金总额"], 300000.0);
    assert!(p
        .indicators
        .iter()
        .any(|i| i.name == "企业满意度" && i.target.as_deref() == Some("≥85%")));
}

/// Seed 003 prints subject 215 as 1,014.42 in three tables, but its only
/// children add up to 997.82 in each of them, as printed:
///
/// ```text
/// 215      [215]资源勘探工业信息等支出          1,014.42  1,014.42
/// 21505    [21505]工业和信息产业监管              751.54    751.54
/// 21508    [21508]支持中小企业发展和管理支出      246.28    246.28
/// ```
///
/// (751.54 + 246.28 = 997.82; the 16.60 is not printed anywhere under 215,
/// and the 合计 rows miss the same 86.35 in every table.) The failing checks
/// are the document's, and say so.
#[test]
fn seed_003_inconsistent_totals_are_marked_as_the_documents() {
    gongkai_extract::require_shared!();
    let text = std::fs::read_to_string(shared("seeds/003_1c2d5dad9a5832d7.txt")).unwrap();
    for printed in [
        "215\t[215]资源勘探工业信息等支出\t1,014.42\t1,014.42",
        "21505\t[21505]工业和信息产业监管\t751.54\t751.54",
        "21508\t[21508]支持中小企业发展和管理支出\t246.28\t246.28",
    ] {
        assert!(text.contains(printed), "{printed}");
    }
    let d = seed("003_1c2d5dad9a5832d7.txt");
    let failed_215: Vec<_> = d
        .checks
        .iter()
        .filter(|c| !c.ok && c.row.as_deref() == Some("215"))
        .collect();
    assert!(failed_215.len() >= 3, "{failed_215:?}");
    for c in &failed_215 {
        assert!(c.source_inconsistent, "{c:?}");
        assert!((c.expected - 1014.42).abs() < 0.005 || (c.expected - 62.32).abs() < 0.005);
    }
    // Our own reading errors are not excused: a failure in one table only
    // stays a plain failure.
    let lone: Vec<_> = d
        .checks
        .iter()
        .filter(|c| !c.ok && !c.source_inconsistent)
        .collect();
    for c in &lone {
        let twins = d
            .checks
            .iter()
            .filter(|o| !o.ok && o.rule == c.rule && o.row == c.row && o.table != c.table)
            .filter(|o| {
                (o.expected - c.expected).abs() < 0.005 && (o.found - c.found).abs() < 0.005
            })
            .count();
        assert_eq!(twins, 0, "{c:?}");
    }
}

/// Seed 001's OCR dropped the empty cells of the income table's 上年结转
/// rows, printed as `214\t交通运输支出\t\t\t\t\t2. 45` (7 cells under 9
/// columns): the amount belongs under 上年结转, where the full-width 合计
/// row prints its 2.45, not under 财政专户管理资金.
#[test]
fn seed_001_short_ocr_rows_are_right_aligned() {
    gongkai_extract::require_shared!();
    let text = std::fs::read_to_string(shared("seeds/001_88f08c0df65a9dbb.txt")).unwrap();
    assert!(text.contains("214\t交通运输支出\t\t\t\t\t2. 45"));
    let d = seed("001_88f08c0df65a9dbb.txt");
    for code in ["214", "21402", "2140206"] {
        let r = rec(&d, "budget_income", None, code);
        assert_values(r, &[("上年结转", 2.45)]);
        assert!(!r.values.contains_key("财政专户管理资金"), "{r:?}");
    }
    assert!(!d
        .checks
        .iter()
        .any(|c| !c.ok && c.table == Some(1) && c.column.as_deref() == Some("上年结转")));
    // The general-budget table is printed （不含上年结转）: it matches the
    // fiscal overview's 本年支出合计 5283.05 less its 上年财政拨款结转 2.45.
    let failed: Vec<_> = d.checks.iter().filter(|c| !c.ok).collect();
    assert!(failed.is_empty(), "{failed:?}");
}
