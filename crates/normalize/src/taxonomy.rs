//! The national taxonomy of disclosure tables, as data. The Ministry of
//! Finance's 部门预算 and 部门决算 templates are national; each province
//! renames and renumbers them and adds a few of its own. So a kind is one
//! entry here: its id, canonical name, family, the words a title must (and
//! must not) hold to be it, the title variants seen in print, and the header
//! leaves that identify it when the title is missing. Adding a province's
//! variant is one entry or one more word; no code changes.
//!
//! Entries are tried in order, most specific first: "一般公共预算基本支出…"
//! is tried as basic expenditure before it can be read as the general-budget
//! table. Each entry's `seen` titles are checked by a test to classify as
//! that entry, so the list documents itself and cannot drift.

/// Budget (预算) or final account (决算).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Budget,
    Final,
}

/// What records a kind yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// 收入 on the left, 支出 on the right: records per side.
    TwoSided,
    /// One record per subject code (功能 or 经济 classification).
    BySubject,
    /// One record per budget unit or project row.
    ByUnit,
}

/// One kind of table.
#[derive(Debug)]
pub struct Entry {
    /// The contract's kind id (`budget_income`).
    pub id: &'static str,
    /// The canonical Chinese name of the national template.
    pub name: &'static str,
    pub family: Family,
    pub shape: Shape,
    /// Every group must be met by the core title: a group is met when the
    /// title holds any one of its words.
    pub all: &'static [&'static [&'static str]],
    /// Words that rule the entry out.
    pub none: &'static [&'static str],
    /// Printed titles seen (each is tested to classify as this entry).
    pub seen: &'static [&'static str],
    /// Header leaves that identify the kind when the title is missing: every
    /// group must be met by some header cell.
    pub columns: &'static [&'static [&'static str]],
}

const FINAL: &[&str] = &["决算"];

/// The taxonomy, most specific entries first within each family.
pub const ENTRIES: &[Entry] = &[
    // ------------------------------------------------------------ 决算
    Entry {
        id: "final_disclosure_stats",
        name: "部门决算公开相关信息统计表",
        family: Family::Final,
        shape: Shape::ByUnit,
        all: &[FINAL, &["公开相关信息", "相关信息统计"]],
        none: &[],
        seen: &["部门决算公开相关信息统计表"],
        columns: &[],
    },
    Entry {
        id: "final_three_public",
        name: "财政拨款“三公”经费支出决算表",
        family: Family::Final,
        shape: Shape::ByUnit,
        all: &[FINAL, &["三公"]],
        none: &[],
        seen: &["财政拨款“三公”经费支出决算表"],
        columns: &[&["因公出国"], &["公务接待"]],
    },
    Entry {
        id: "final_state_capital",
        name: "国有资本经营预算财政拨款支出决算表",
        family: Family::Final,
        shape: Shape::BySubject,
        all: &[FINAL, &["国有资本经营"]],
        none: &[],
        seen: &[
            "国有资本经营预算财政拨款支出决算表",
            "国有资本经营预算财政拨款收入支出决算表",
        ],
        columns: &[],
    },
    Entry {
        id: "final_gov_fund",
        name: "政府性基金预算财政拨款收入支出决算表",
        family: Family::Final,
        shape: Shape::TwoSided,
        all: &[FINAL, &["政府性基金"]],
        none: &[],
        seen: &["政府性基金预算财政拨款收入支出决算表"],
        columns: &[],
    },
    Entry {
        id: "final_basic_expenditure_detail",
        name: "一般公共预算财政拨款基本支出决算明细表",
        family: Family::Final,
        shape: Shape::BySubject,
        all: &[FINAL, &["一般公共预算"], &["基本支出"]],
        none: &[],
        seen: &[
            "一般公共预算财政拨款基本支出决算明细表",
            "一般公共预算财政拨款基本支出决算表",
        ],
        columns: &[],
    },
    Entry {
        id: "final_general_budget_expenditure",
        name: "一般公共预算财政拨款支出决算表",
        family: Family::Final,
        shape: Shape::BySubject,
        all: &[FINAL, &["一般公共预算"]],
        none: &[],
        seen: &["一般公共预算财政拨款支出决算表"],
        columns: &[],
    },
    Entry {
        id: "final_fiscal_overview",
        name: "财政拨款收入支出决算总表",
        family: Family::Final,
        shape: Shape::TwoSided,
        all: &[FINAL, &["财政拨款收入支出决算总表", "财政拨款收支决算总表"]],
        none: &[],
        seen: &["财政拨款收入支出决算总表"],
        columns: &[],
    },
    Entry {
        id: "final_overview",
        name: "收入支出决算总表",
        family: Family::Final,
        shape: Shape::TwoSided,
        all: &[FINAL, &["收入支出决算总表", "收支决算总表"]],
        none: &[],
        seen: &["收入支出决算总表", "2024年度部门收入支出决算总表"],
        columns: &[],
    },
    Entry {
        id: "final_income",
        name: "收入决算表",
        family: Family::Final,
        shape: Shape::BySubject,
        all: &[&["收入决算"]],
        none: &[],
        seen: &["收入决算表"],
        columns: &[],
    },
    Entry {
        id: "final_expenditure",
        name: "支出决算表",
        family: Family::Final,
        shape: Shape::BySubject,
        all: &[&["支出决算"]],
        none: &[],
        seen: &["支出决算表"],
        columns: &[],
    },
    // ------------------------------------------------------------ 预算
    Entry {
        id: "three_public",
        name: "“三公”经费支出预算表",
        family: Family::Budget,
        shape: Shape::ByUnit,
        all: &[&["三公"]],
        none: &[],
        seen: &[
            "财政拨款安排“三公”经费支出预算表",
            "一般公共预算“三公”经费支出情况统计表",
            "部门“三公”经费和机关运行经费预算表",
            "财政拨款安排的行政经费及“三公”经费预算表",
            "一般公共预算拨款“三公”经费及会议费、培训费支出预算表",
        ],
        columns: &[&["因公出国"], &["公务接待"]],
    },
    Entry {
        id: "operating_costs",
        name: "机关运行经费预算表",
        family: Family::Budget,
        shape: Shape::ByUnit,
        all: &[&["机关运行经费"]],
        none: &[],
        seen: &[
            "财政拨款安排机关运行经费预算表",
            "机关运行经费预算财政拨款情况统计表",
        ],
        columns: &[],
    },
    Entry {
        id: "gov_procurement",
        name: "政府采购预算表",
        family: Family::Budget,
        shape: Shape::ByUnit,
        all: &[&["政府采购"]],
        none: &[],
        seen: &[
            "政府采购预算表",
            "政府采购预算明细表",
            "政府采购（支出）预算表",
            "部门综合预算政府采购（资产配置、购买服务）预算表",
        ],
        columns: &[&["采购"], &["采购目录", "采购项目", "采购品目"]],
    },
    Entry {
        // A list of projects with their amount and performance target text
        // (not a 绩效目标表 sheet, which becomes a performance sheet).
        id: "project_performance",
        name: "项目支出绩效表",
        family: Family::Budget,
        shape: Shape::ByUnit,
        all: &[&["项目"], &["绩效"]],
        none: &[],
        seen: &["市级部门项目支出绩效表", "项目支出绩效情况表"],
        columns: &[&["项目名称"], &["绩效目标"]],
    },
    Entry {
        id: "overall_performance",
        name: "部门整体绩效目标表",
        family: Family::Budget,
        shape: Shape::ByUnit,
        all: &[&["整体"], &["绩效"]],
        none: &[],
        seen: &["部门整体绩效目标表", "部门整体支出绩效目标申报表"],
        columns: &[],
    },
    Entry {
        id: "project_expenditure_carryover",
        name: "项目支出预算表（上年结转）",
        family: Family::Budget,
        shape: Shape::ByUnit,
        all: &[&["上年结转"], &["项目支出", "结转资金支出", "结转项目"]],
        none: &["收支", "总表", "收入"],
        seen: &[
            "项目支出预算表（上年结转）",
            "部门综合预算财政拨款上年结转资金支出表",
            "上年结转资金支出表",
        ],
        columns: &[],
    },
    Entry {
        id: "project_expenditure",
        name: "项目支出预算表",
        family: Family::Budget,
        shape: Shape::ByUnit,
        all: &[&["项目支出", "专项业务经费", "专项资金支出", "专项支出"]],
        none: &["总表", "总体", "收支", "绩效"],
        seen: &[
            "项目支出预算表（本年预算）",
            "项目支出预算表",
            "市级部门项目支出预算表",
            "一般公共预算项目支出情况表（按经济分类科目）",
            "部门预算项目支出及其他支出预算表",
            "部门综合预算专项业务经费支出表",
        ],
        columns: &[&["项目名称"], &["项目金额", "金额", "合计", "总计"]],
    },
    Entry {
        id: "state_capital",
        name: "国有资本经营预算支出表",
        family: Family::Budget,
        shape: Shape::BySubject,
        all: &[&["国有资本经营预算"]],
        none: &[],
        seen: &[
            "国有资本经营预算收支预算表（不含上年结转）",
            "部门国有资本经营预算支出功能分类预算表",
            "国有资本经营预算支出情况表",
            "市级部门国有资本经营预算支出预算表",
        ],
        columns: &[],
    },
    Entry {
        id: "gov_fund_income",
        name: "政府性基金预算收入表",
        family: Family::Budget,
        shape: Shape::BySubject,
        all: &[&["政府性基金"], &["收入"]],
        none: &["收支", "支出"],
        seen: &["政府性基金预算收入表（不含上年结转）"],
        columns: &[],
    },
    Entry {
        id: "gov_fund_expenditure",
        name: "政府性基金预算支出表",
        family: Family::Budget,
        shape: Shape::BySubject,
        all: &[&["政府性基金"]],
        none: &[],
        seen: &[
            "政府性基金预算支出表（不含上年结转）",
            "部门政府性基金预算支出功能分类预算表",
            "政府性基金预算支出情况表",
            "部门综合预算政府性基金收支表",
        ],
        columns: &[],
    },
    Entry {
        // The economic-classification table: 基本支出 by 经济科目, or the
        // general budget by economic class. A 基本支出 table by 功能科目 is
        // the general-budget table's other view (below).
        id: "basic_expenditure_economic",
        name: "一般公共预算基本支出表（按经济分类科目）",
        family: Family::Budget,
        shape: Shape::BySubject,
        all: &[&["基本支出", "经济分类", "经济科目"]],
        none: &["功能", "收支", "收入", "总表"],
        seen: &[
            "一般公共预算安排基本支出分经济科目表(不含上年结转)",
            "部门一般公共预算基本支出部门预算经济分类预算表",
            "一般公共预算基本支出情况表（按经济分类科目）",
            "市级部门一般公共预算基本支出预算表",
            "一般公共预算基本支出预算表",
            "部门预算基本支出预算表",
            "基本支出预算情况表",
            "财政拨款基本支出预算表（经济科目）",
            "部门综合预算一般公共预算支出明细表（按支出经济分类科目）",
            "一般公共预算支出表（按经济分类）",
        ],
        columns: &[&["人员经费"], &["公用经费"]],
    },
    Entry {
        id: "general_budget_expenditure",
        name: "一般公共预算支出表",
        family: Family::Budget,
        shape: Shape::BySubject,
        all: &[&["一般公共预算", "财政拨款支出"], &["支出"]],
        none: &["收支", "收入", "总表"],
        seen: &[
            "一般公共预算支出预算表（不含上年结转）",
            "部门一般公共预算支出功能分类预算表",
            "一般公共预算支出情况表（按功能分类科目）",
            "部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）",
            "财政拨款支出预算表（功能科目）",
            "五、2018年度财政拨款支出预算表",
            "表五2026年一般公共预算支出预算表",
        ],
        columns: &[],
    },
    Entry {
        id: "fiscal_overview",
        name: "财政拨款收支总表",
        family: Family::Budget,
        shape: Shape::TwoSided,
        all: &[&["财政拨款收支", "财政拨款收入支出"]],
        none: &[],
        seen: &[
            "财政拨款收支总表",
            "部门财政拨款收支预算总表",
            "财政拨款收支总体情况表",
            "部门综合预算财政拨款收支总表",
        ],
        columns: &[],
    },
    Entry {
        id: "budget_overview",
        name: "收支总表",
        family: Family::Budget,
        shape: Shape::TwoSided,
        all: &[&[
            "收支总表",
            "收支预算总表",
            "收入支出预算总表",
            "收支总体情况",
            "收入支出总表",
            "收支预算表",
        ]],
        none: &[],
        seen: &[
            "预算收支总表",
            "部门财务收支预算总表",
            "收支总体情况表",
            "市级部门收支预算总表",
            "部门综合预算收支总表",
            "公开 01 表：收支预算总表",
        ],
        columns: &[],
    },
    Entry {
        id: "budget_income",
        name: "收入总表",
        family: Family::Budget,
        shape: Shape::ByUnit,
        all: &[&["收入"], &["总表", "总体情况", "收入预算表", "收入表"]],
        none: &["支出"],
        seen: &[
            "预算收入总表",
            "部门收入预算总表",
            "收入总体情况表",
            "部门综合预算收入总表",
            "部门收入预算表",
        ],
        columns: &[],
    },
    Entry {
        id: "budget_expenditure",
        name: "支出总表",
        family: Family::Budget,
        shape: Shape::BySubject,
        all: &[&["支出"], &["总表", "总体情况", "支出预算表", "支出表"]],
        none: &[],
        seen: &[
            "预算支出总表",
            "部门支出预算总表",
            "本年支出总体情况表",
            "部门综合预算支出总表",
        ],
        columns: &[],
    },
];

fn meets(t: &str, e: &Entry) -> bool {
    e.all.iter().all(|g| g.iter().any(|w| t.contains(w))) && !e.none.iter().any(|w| t.contains(w))
}

/// The entry a core title (see [`crate::kinds::core_title`]) names. A 决算
/// title is matched only against final-account entries, any other title only
/// against budget ones.
pub fn by_title(core: &str) -> Option<&'static Entry> {
    let family = if core.contains("决算") {
        Family::Final
    } else {
        Family::Budget
    };
    ENTRIES
        .iter()
        .filter(|e| e.family == family)
        .find(|e| meets(core, e))
}

/// The entry whose column signature the header leaves meet (first in order).
pub fn by_columns(leaves: &[String], family: Family) -> Option<&'static Entry> {
    ENTRIES
        .iter()
        .filter(|e| e.family == family && !e.columns.is_empty())
        .find(|e| {
            e.columns
                .iter()
                .all(|g| leaves.iter().any(|l| g.iter().any(|w| l.contains(w))))
        })
}

/// The entry of a kind id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.id == id)
}

/// The measure a kind is the one place for, by kind id. A document prints
/// the same amount in several tables: code 201's total is in 收入总表 (as
/// income), in 支出总表 (as expenditure), again in 一般公共预算支出表 and the
/// 收支总表 overviews. Each amount has one table whose role names its measure;
/// the overviews and the per-fund tables restate (parts of) those amounts and
/// have no role, so summing over one role counts each amount once.
pub const ROLES: &[(&str, &str)] = &[
    ("budget_income", "income"),
    ("final_income", "income"),
    ("budget_expenditure", "expenditure"),
    ("final_expenditure", "expenditure"),
    ("basic_expenditure_economic", "basic_expenditure_economic"),
    (
        "final_basic_expenditure_detail",
        "basic_expenditure_economic",
    ),
    ("three_public", "three_public"),
    ("final_three_public", "three_public"),
    ("operating_costs", "operating_costs"),
    ("gov_procurement", "gov_procurement"),
    ("project_expenditure", "project_expenditure"),
    (
        "project_expenditure_carryover",
        "project_expenditure_carryover",
    ),
    ("final_disclosure_stats", "disclosure_stats"),
];

/// The role of a kind id (see [`ROLES`]); `None` for a kind that restates
/// amounts held by another, and for unknown kinds.
pub fn role(id: &str) -> Option<&'static str> {
    ROLES.iter().find(|(k, _)| *k == id).map(|(_, r)| *r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::core_title;

    #[test]
    fn roles_name_known_kinds_once_per_family() {
        let mut seen = std::collections::HashSet::new();
        for (id, role) in ROLES {
            let e = entry(id).unwrap_or_else(|| panic!("{id} is not a kind"));
            assert!(
                seen.insert((e.family, *role)),
                "{role} twice in {:?}",
                e.family
            );
        }
        assert_eq!(role("budget_expenditure"), Some("expenditure"));
        assert_eq!(role("general_budget_expenditure"), None);
        assert_eq!(role("unknown"), None);
    }

    #[test]
    fn every_seen_title_classifies_as_its_entry() {
        for e in ENTRIES {
            for t in e.seen {
                let got = by_title(&core_title(t)).map(|x| x.id);
                assert_eq!(got, Some(e.id), "{t}");
            }
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = ENTRIES.iter().map(|e| e.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn column_signatures() {
        let leaves = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            by_columns(
                &leaves(&["合计", "因公出国（境）费", "公务接待费"]),
                Family::Budget
            )
            .map(|e| e.id),
            Some("three_public")
        );
        assert_eq!(
            by_columns(&leaves(&["采购项目", "采购目录", "金额"]), Family::Budget).map(|e| e.id),
            Some("gov_procurement")
        );
        assert!(by_columns(&leaves(&["项目", "金额"]), Family::Budget).is_none());
    }
}
