//! Table kinds by meaning. Templates differ by province and level (Shanxi's
//! 13-table budget set, Shanghai's nine-table set with 部门/单位 prefixes, the
//! national 决算 template with 公开NN表 numbers), so the title is first
//! reduced to its meaning words — year, 表一/预算公开表1/公开01表 numbers,
//! 部门/单位 prefixes and （不含上年结转） removed — and then matched by the
//! words that tell kinds apart. Where the title is missing or says nothing
//! known, the header and the first column decide.

use crate::text::{norm, undouble};

/// Every kind of the contract's two tables, plus `unknown`.
pub const BUDGET_KINDS: &[&str] = &[
    "budget_overview",
    "budget_income",
    "budget_expenditure",
    "fiscal_overview",
    "general_budget_expenditure",
    "basic_expenditure_economic",
    "gov_fund_income",
    "gov_fund_expenditure",
    "state_capital",
    "three_public",
    "operating_costs",
    "project_expenditure",
    "project_expenditure_carryover",
];
pub const FINAL_KINDS: &[&str] = &[
    "final_overview",
    "final_income",
    "final_expenditure",
    "final_fiscal_overview",
    "final_general_budget_expenditure",
    "final_basic_expenditure_detail",
    "final_gov_fund",
    "final_state_capital",
    "final_three_public",
    "final_disclosure_stats",
];
pub const UNKNOWN: &str = "unknown";

/// Kinds printed as two sides, 收入 on the left and 支出 on the right.
pub fn is_two_sided(kind: &str) -> bool {
    matches!(
        kind,
        "budget_overview"
            | "fiscal_overview"
            | "state_capital"
            | "final_overview"
            | "final_fiscal_overview"
            | "final_state_capital"
            | "final_gov_fund"
    )
}

/// Is this title a performance sheet (绩效目标表, 绩效目标申报表, 绩效自评表)?
/// Those become [`crate::schema::PerformanceSheet`]s, not tables of a kind.
pub fn performance_kind(title: &str) -> Option<&'static str> {
    let t = norm(title);
    if !t.contains("绩效") {
        return None;
    }
    if t.contains("自评") {
        Some("performance_self_evaluation")
    } else if t.contains("目标") && !t.contains("整体") {
        Some("performance_target")
    } else {
        None
    }
}

/// A title reduced to its meaning words: NFKC, no spaces, doubled print
/// undone, table number and years read off (see [`gongkai_tables::titles`]),
/// （不含上年结转） removed.
pub fn core_title(title: &str) -> String {
    let t = undouble(&norm(title));
    let mut t = gongkai_tables::titles::parse(&t).body;
    for noise in ["(不含上年结转)", "(本年预算)", "不含上年结转"] {
        t = t.replace(noise, "");
    }
    // Years elsewhere in the title ("市级部门2026年…").
    let mut out = String::new();
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j - i == 4 && chars.get(j) == Some(&'年') {
                j += 1;
                if chars.get(j) == Some(&'度') {
                    j += 1;
                }
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out.trim_start_matches(['-', '—', ':', '.']).to_string()
}

/// The title as analysts compare it: NFKC, no whitespace, doubled print
/// undone, without the table number and its separators; the year and the
/// remarks kept.
pub fn normalized_title(title: &str) -> String {
    let t = undouble(&norm(title));
    let parts = gongkai_tables::titles::parse(&t);
    match parts.year {
        Some(y) if t.contains(&format!("{y}年度")) => format!("{y}年度{}", parts.body),
        Some(y) => format!("{y}年{}", parts.body),
        None => parts.body,
    }
}

/// The printed table number, from the title or the caption: `表三`,
/// `预算公开表1`, `公开01表`; an enumerator (`一、`) only where nothing
/// better is printed.
pub fn table_number<'a>(
    title: Option<&'a str>,
    caption: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut candidates: Vec<&str> = title.into_iter().collect();
    candidates.extend(caption);
    let mut enumerator = None;
    for raw in candidates {
        let c = undouble(&norm(raw));
        if let Some(n) = gongkai_tables::titles::parse(&c).number {
            if n.contains('表') {
                return Some(n);
            }
            enumerator.get_or_insert(n);
        }
        // 公开01表 after other words ("收入决算表 公开01表").
        if let Some(p) = c.find("公开") {
            if let Some(n) = gongkai_tables::titles::parse(&c[p..]).number {
                if n.contains('表') {
                    return Some(n);
                }
            }
        }
    }
    enumerator
}

/// The kind of a table from its title alone (the taxonomy's first entry the
/// title meets); `None` where the title says nothing known.
pub fn kind_from_title(title: &str) -> Option<&'static str> {
    let t = core_title(title);
    if t.is_empty() || performance_kind(&t).is_some() {
        return None;
    }
    crate::taxonomy::by_title(&t).map(|e| e.id)
}

/// The kind of a table from its header rows and first columns, for tables
/// whose title is missing or garbled. `final_account` says which family.
/// Shapes first (two-sided, 因公出国, 人员/公用经费 …), then the taxonomy's
/// column signatures.
pub fn kind_from_content(
    header: &[Vec<String>],
    rows: &[Vec<String>],
    final_account: bool,
) -> Option<&'static str> {
    if let Some(k) = kind_from_shape(header, rows, final_account) {
        return Some(k);
    }
    let leaves: Vec<String> = header.iter().flatten().map(|s| norm(s)).collect();
    let family = if final_account {
        crate::taxonomy::Family::Final
    } else {
        crate::taxonomy::Family::Budget
    };
    crate::taxonomy::by_columns(&leaves, family).map(|e| e.id)
}

fn kind_from_shape(
    header: &[Vec<String>],
    rows: &[Vec<String>],
    final_account: bool,
) -> Option<&'static str> {
    let head: String = header
        .iter()
        .flatten()
        .map(|s| norm(s))
        .collect::<Vec<_>>()
        .join("|");
    let labels: String = rows
        .iter()
        .take(60)
        .flat_map(|r| r.iter().take(4))
        .map(|s| norm(s))
        .collect::<Vec<_>>()
        .join("|");
    let h = |w: &str| head.contains(w);
    let l = |w: &str| labels.contains(w);
    let two_sided = (h("收入") && h("支出") && head.matches("项目").count() >= 2)
        || (l("收入总计") && l("支出总计"))
        || (l("本年收入合计") && l("本年支出合计"));
    if two_sided {
        let fiscal =
            h("财政拨款收入") && h("财政拨款支出") || l("一般公共预算资金") && !l("事业收入");
        return Some(match (final_account, fiscal) {
            (true, true) => "final_fiscal_overview",
            (true, false) => "final_overview",
            (false, true) => "fiscal_overview",
            (false, false) => "budget_overview",
        });
    }
    if h("因公出国") || l("因公出国") {
        return Some(if final_account {
            "final_three_public"
        } else {
            "three_public"
        });
    }
    if h("人员经费") && h("公用经费") {
        return Some(if final_account {
            "final_basic_expenditure_detail"
        } else {
            "basic_expenditure_economic"
        });
    }
    if h("基本支出") && h("项目支出") {
        return Some(if final_account {
            "final_expenditure"
        } else {
            "budget_expenditure"
        });
    }
    if h("一般公共预算") && h("政府性基金") && (h("科目") || h("项目")) {
        return Some(if final_account {
            "final_income"
        } else {
            "budget_income"
        });
    }
    if final_account && h("财政拨款收入") && h("上级补助收入") {
        return Some("final_income");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(t: &str) -> &'static str {
        kind_from_title(t).unwrap_or(UNKNOWN)
    }

    #[test]
    fn shanxi_titles() {
        assert_eq!(k("2025年预算收支总表"), "budget_overview");
        assert_eq!(k("表一2025年预算收支总表"), "budget_overview");
        assert_eq!(k("2025年预算收入总表"), "budget_income");
        assert_eq!(k("2022 年预算支出总表"), "budget_expenditure");
        assert_eq!(k("表四2025年财政拨款收支总表"), "fiscal_overview");
        assert_eq!(
            k("2025年一般公共预算支出预算表（不含上年结转）"),
            "general_budget_expenditure"
        );
        assert_eq!(
            k("2025年一般公共预算安排基本支出分经济科目表(不含上年结转)"),
            "basic_expenditure_economic"
        );
        assert_eq!(
            k("一般公共预算安排基本支出分经济科目表"),
            "basic_expenditure_economic"
        );
        assert_eq!(
            k("2025年政府性基金预算收入表（不含上年结转）"),
            "gov_fund_income"
        );
        assert_eq!(
            k("2025年政府性基金预算支出表（不含上年结转）"),
            "gov_fund_expenditure"
        );
        assert_eq!(
            k("2025年国有资本经营预算收支预算表（不含上年结转）"),
            "state_capital"
        );
        assert_eq!(k("2025年财政拨款安排“三公”经费支出预算表"), "three_public");
        assert_eq!(
            k("2025年财政拨款安排\"三公\"经费支出预算表"),
            "three_public"
        );
        assert_eq!(
            k("2022 年一般公共预算“三公”经费支出情况统计表"),
            "three_public"
        );
        assert_eq!(k("2025年财政拨款安排机关运行经费预算表"), "operating_costs");
        assert_eq!(
            k("2022 年机关运行经费预算财政拨款情况统计表"),
            "operating_costs"
        );
        assert_eq!(k("2025年项目支出预算表（本年预算）"), "project_expenditure");
        assert_eq!(k("项目支出预算表"), "project_expenditure");
        assert_eq!(
            k("表十三2025年项目支出预算表（上年结转）"),
            "project_expenditure_carryover"
        );
        assert_eq!(k("预算公开表1 2025年预算收支总表"), "budget_overview");
    }

    #[test]
    fn shanghai_titles() {
        assert_eq!(k("2025年部门财务收支预算总表"), "budget_overview");
        assert_eq!(k("2025年单位财务收支预算总表"), "budget_overview");
        assert_eq!(k("2025年预算单位财务收支预算总表"), "budget_overview");
        assert_eq!(k("2025年部门收入预算总表"), "budget_income");
        assert_eq!(k("2025年部门支出预算总表"), "budget_expenditure");
        assert_eq!(k("2025年部门财政拨款收支预算总表"), "fiscal_overview");
        assert_eq!(
            k("2025年部门一般公共预算支出功能分类预算表"),
            "general_budget_expenditure"
        );
        assert_eq!(
            k("2025年部门政府性基金预算支出功能分类预算表"),
            "gov_fund_expenditure"
        );
        assert_eq!(
            k("2025年部门国有资本经营预算支出功能分类预算表"),
            "state_capital"
        );
        assert_eq!(
            k("2025年部门一般公共预算基本支出部门预算经济分类预算表"),
            "basic_expenditure_economic"
        );
        assert_eq!(
            k("2025年部门“三公”经费和机关运行经费预算表"),
            "three_public"
        );
    }

    #[test]
    fn final_titles() {
        assert_eq!(k("收入支出决算总表"), "final_overview");
        assert_eq!(k("收入支出决算总表收入支出决算总表"), "final_overview");
        assert_eq!(k("一、收入支出决算总表"), "final_overview");
        assert_eq!(k("收入决算表"), "final_income");
        assert_eq!(k("支出决算表"), "final_expenditure");
        assert_eq!(k("财政拨款收入支出决算总表"), "final_fiscal_overview");
        assert_eq!(
            k("一般公共预算财政拨款支出决算表"),
            "final_general_budget_expenditure"
        );
        assert_eq!(
            k("一般公共预算财政拨款基本支出决算明细表"),
            "final_basic_expenditure_detail"
        );
        assert_eq!(
            k("一般公共预算财政拨款基本支出决算表"),
            "final_basic_expenditure_detail"
        );
        assert_eq!(k("政府性基金预算财政拨款收入支出决算表"), "final_gov_fund");
        assert_eq!(
            k("国有资本经营预算财政拨款支出决算表"),
            "final_state_capital"
        );
        assert_eq!(
            k("国有资本经营预算财政拨款收入支出决算表"),
            "final_state_capital"
        );
        assert_eq!(k("财政拨款“三公”经费支出决算表"), "final_three_public");
        assert_eq!(k("部门决算公开相关信息统计表"), "final_disclosure_stats");
        assert_eq!(k("2024年度部门收入支出决算总表"), "final_overview");
    }

    #[test]
    fn not_tables_of_a_kind() {
        assert_eq!(k("项目支出绩效目标申报表"), UNKNOWN);
        assert_eq!(k("目 录"), UNKNOWN);
        assert_eq!(
            performance_kind("忻州市市级预算部门（单位）项目支出绩效目标申报表"),
            Some("performance_target")
        );
        assert_eq!(
            performance_kind("项目支出绩效自评表（2023年度）"),
            Some("performance_self_evaluation")
        );
        assert_eq!(
            performance_kind("预算部门(单位)整体支出绩效目标申报表"),
            None
        );
    }

    #[test]
    fn normalized_titles() {
        assert_eq!(
            normalized_title("表2：2026年市级部门收入预算总表"),
            "2026年市级部门收入预算总表"
        );
        assert_eq!(normalized_title("公开 01 表：收支预算总表"), "收支预算总表");
        assert_eq!(
            normalized_title("五、2018年度部门财政拨款支出预算表"),
            "2018年度部门财政拨款支出预算表"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            table_number(Some("表三2025年预算支出总表"), []).as_deref(),
            Some("表三")
        );
        assert_eq!(
            table_number(None, ["预算公开表1"]).as_deref(),
            Some("预算公开表1")
        );
        assert_eq!(
            table_number(Some("预算公开表1 2025年预算收支总表"), []).as_deref(),
            Some("预算公开表1")
        );
        assert_eq!(
            table_number(Some("表十三2025年项目支出预算表"), []).as_deref(),
            Some("表十三")
        );
        assert_eq!(
            table_number(Some("收入决算表"), ["公开02表"]).as_deref(),
            Some("公开02表")
        );
        assert_eq!(
            table_number(Some("2025年预算收入总表"), ["单位：万元"]),
            None
        );
    }

    #[test]
    fn by_content() {
        let header = vec![
            vec!["收入".into(), "".into(), "支出".into(), "".into()],
            vec![
                "项目".into(),
                "2025年".into(),
                "项目".into(),
                "2025年".into(),
            ],
        ];
        assert_eq!(
            kind_from_content(&header, &[], false),
            Some("budget_overview")
        );
        let header = vec![vec![
            "科目编码".into(),
            "科目名称".into(),
            "合计".into(),
            "基本支出".into(),
            "项目支出".into(),
        ]];
        assert_eq!(
            kind_from_content(&header, &[], false),
            Some("budget_expenditure")
        );
        assert_eq!(
            kind_from_content(&header, &[], true),
            Some("final_expenditure")
        );
        let header = vec![vec!["合计".into(), "因公出国（境）费".into()]];
        assert_eq!(kind_from_content(&header, &[], false), Some("three_public"));
    }
}
