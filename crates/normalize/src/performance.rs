//! Performance sheets: 项目支出绩效目标表 / 绩效目标申报表 (`performance_target`)
//! and 项目支出绩效自评表 (`performance_self_evaluation`). These are forms, not
//! lists: labelled cells (项目名称, 主管部门及代码, 实施单位, 项目属性 …), a funds
//! block (实施期 / 年度 columns), goal texts and an indicator tree (一级 /
//! 二级 / 三级指标 with targets, and for self-evaluations actual values,
//! weights and scores). A sheet split over a page break arrives as several
//! tables; tables without a 项目名称 continue the sheet before them.

use crate::numbers::{amount, detect_unit};
use crate::schema::{Indicator, PerformanceSheet};
use crate::text::{norm, squash_folded, undouble};
use gongkai_tables::Table;
use std::collections::BTreeMap;

/// Labels whose value is the next cell, kept in `fields`.
const FIELD_LABELS: &[&str] = &[
    "项目属性",
    "项目期",
    "项目概况",
    "立项依据",
    "项目设立必要性",
    "保证项目实施的制度、措施",
    "项目实施计划",
    "项目类型",
    "预算执行率",
    "项目实施内容",
];
const DEPARTMENT_LABELS: &[&str] = &["主管部门及代码", "主管部门", "预算部门", "部门名称"];
const IMPLEMENTER_LABELS: &[&str] = &["实施单位", "预算单位", "项目实施单位", "单位名称"];
const GOAL_LABELS: &[&str] = &[
    "实施期目标",
    "年度目标",
    "实际完成情况",
    "中期目标",
    "年度绩效目标",
];

fn cell_norm(s: &str) -> String {
    undouble(&norm(s)).trim_end_matches(':').to_string()
}

fn is_label(s: &str, list: &[&str]) -> bool {
    let n = cell_norm(s);
    list.iter().any(|l| norm(l) == n)
}

/// A table that is a performance sheet although its title was not found.
pub fn looks_like_sheet(t: &Table) -> Option<&'static str> {
    let cells: Vec<String> = t
        .header
        .iter()
        .chain(t.rows.iter())
        .flatten()
        .map(|s| cell_norm(s))
        .collect();
    let has = |w: &str| cells.iter().any(|c| c == w);
    let indicators = has("三级指标") || (has("一级指标") && has("二级指标"));
    if !indicators {
        return None;
    }
    if has("得分") || has("实际完成值") || has("分值") {
        Some("performance_self_evaluation")
    } else {
        Some("performance_target")
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Level1,
    Level2,
    Name,
    Target,
    Actual,
    Weight,
    Score,
}

/// The indicator columns of one goal column group.
#[derive(Debug, Clone, Default)]
struct Group {
    period: Option<String>,
    slots: Vec<(usize, Slot)>,
    /// The 二级指标 in force: a vertically merged cell prints it once.
    level2: Option<String>,
    /// Indicators read so far, written group after group (实施期 before 年度).
    found: Vec<Indicator>,
}

fn slot_of(label: &str) -> Option<Slot> {
    let l = cell_norm(label);
    Some(match l.as_str() {
        "一级指标" => Slot::Level1,
        "二级指标" => Slot::Level2,
        "三级指标" | "指标名称" => Slot::Name,
        "指标值" | "年初指标值" | "目标值" | "年度指标值" | "指标值(包含数字及文字描述)" => {
            Slot::Target
        }
        "实际完成值" | "全年实际值" | "实际值" => Slot::Actual,
        "分值" | "权重" | "权重(%)" => Slot::Weight,
        "得分" => Slot::Score,
        _ => return None,
    })
}

/// Sheets from the tables that were recognised as performance sheets.
pub fn sheets(tables: &[(&'static str, &Table)]) -> Vec<PerformanceSheet> {
    let mut out: Vec<SheetBuilder> = Vec::new();
    for (kind, t) in tables {
        let rows: Vec<(u32, &Vec<String>)> = t
            .header
            .iter()
            .map(|r| (t.pages.first().copied().unwrap_or(0), r))
            .chain(t.rows.iter().enumerate().map(|(i, r)| {
                (
                    t.row_pages
                        .get(i)
                        .copied()
                        .or(t.pages.first().copied())
                        .unwrap_or(0),
                    r,
                )
            }))
            .collect();
        let title_unit = detect_unit(t.caption.iter().chain(t.title.iter()).map(String::as_str));
        for (page, row) in rows {
            let starts = row.iter().any(|c| is_label(c, &["项目名称"]));
            let begin = starts
                || out.is_empty()
                || out
                    .last()
                    .is_some_and(|b| b.kind != *kind && b.seen_project);
            // A sheet opened without its 项目名称 yet takes the name when it comes.
            let fresh = starts
                && out
                    .last()
                    .is_some_and(|b| !b.seen_project && b.kind == *kind);
            if begin && !fresh {
                out.push(SheetBuilder::new(kind));
            }
            if let Some(b) = out.last_mut() {
                if b.funds_unit.is_none() {
                    b.funds_unit = title_unit.clone();
                }
                b.row(page, row);
            }
        }
    }
    out.into_iter()
        .filter(|b| b.seen_project || !b.sheet.indicators.is_empty())
        .map(|b| b.finish())
        .collect()
}

struct SheetBuilder {
    kind: &'static str,
    sheet: PerformanceSheet,
    funds_unit: Option<String>,
    seen_project: bool,
    in_funds: bool,
    goal_cols: Vec<(usize, String)>,
    last_goal: Option<String>,
    groups: Vec<Group>,
    level1: Option<String>,
    done: bool,
}

impl SheetBuilder {
    fn new(kind: &'static str) -> SheetBuilder {
        SheetBuilder {
            kind,
            sheet: PerformanceSheet {
                kind: kind.to_string(),
                pages: Vec::new(),
                project: None,
                department: None,
                implementer: None,
                funds: BTreeMap::new(),
                funds_unit: None,
                fields: BTreeMap::new(),
                goals: BTreeMap::new(),
                indicators: Vec::new(),
            },
            funds_unit: None,
            seen_project: false,
            in_funds: false,
            goal_cols: Vec::new(),
            last_goal: None,
            groups: Vec::new(),
            level1: None,
            done: false,
        }
    }

    /// Write the indicators of the current groups, group after group.
    fn flush_groups(&mut self) {
        for g in std::mem::take(&mut self.groups) {
            self.sheet.indicators.extend(g.found);
        }
    }

    fn finish(mut self) -> PerformanceSheet {
        self.flush_groups();
        self.sheet.funds_unit = self.funds_unit;
        self.sheet
    }

    fn row(&mut self, page: u32, row: &[String]) {
        if page > 0 && !self.sheet.pages.contains(&page) {
            self.sheet.pages.push(page);
        }
        let cells: Vec<String> = row.iter().map(|c| squash_folded(c)).collect();
        let normed: Vec<String> = row.iter().map(|c| cell_norm(c)).collect();
        let nonempty: Vec<usize> = (0..cells.len()).filter(|&i| !cells[i].is_empty()).collect();
        let Some(&first) = nonempty.first() else {
            return;
        };
        let first_label = normed[first].as_str();

        // Footer lines end the sheet's body.
        if ["负责人", "填报日期", "备注", "总分"]
            .iter()
            .any(|w| first_label.starts_with(w))
        {
            self.flush_groups();
            self.done = true;
            return;
        }
        // The indicator header.
        if normed.iter().any(|c| c == "三级指标" || c == "指标名称")
            && normed.iter().any(|c| c == "二级指标" || c == "一级指标")
        {
            self.indicator_header(&normed);
            self.in_funds = false;
            return;
        }
        if !self.groups.is_empty() {
            self.indicator_row(&cells);
            return;
        }
        if self.done {
            return;
        }
        // Goal column headers: 实施期目标 | 年度目标.
        let goals: Vec<(usize, String)> = normed
            .iter()
            .enumerate()
            .filter(|(_, c)| GOAL_LABELS.iter().any(|g| norm(g) == **c))
            .map(|(i, c)| (i, c.clone()))
            .collect();
        if !goals.is_empty() && goals.len() * 2 >= nonempty.len().max(1) {
            self.goal_cols = goals;
            self.in_funds = false;
            return;
        }
        // Labelled cells.
        let mut i = 0;
        let mut consumed_any = false;
        while i < cells.len() {
            let l = normed[i].as_str();
            let next = || (i + 1..cells.len()).find(|&j| !cells[j].is_empty());
            if l == "项目名称" {
                if let Some(j) = next() {
                    self.sheet.project = Some(cells[j].clone());
                    self.seen_project = true;
                    i = j + 1;
                    consumed_any = true;
                    continue;
                }
            } else if is_label(l, DEPARTMENT_LABELS) {
                if let Some(j) = next() {
                    self.sheet.department = Some(cells[j].clone());
                    i = j + 1;
                    consumed_any = true;
                    continue;
                }
            } else if is_label(l, IMPLEMENTER_LABELS) {
                if let Some(j) = next() {
                    self.sheet.implementer = Some(cells[j].clone());
                    i = j + 1;
                    consumed_any = true;
                    continue;
                }
            } else if is_label(l, FIELD_LABELS) {
                if let Some(j) = next() {
                    let key = squash_folded(&undouble(cells.get(i).map_or("", String::as_str)))
                        .trim_end_matches(['：', ':'])
                        .to_string();
                    let mut v = cells[j].clone();
                    let mut end = j + 1;
                    // A long text continued in a later cell of the same row.
                    for (k, cell) in cells.iter().enumerate().skip(j + 1) {
                        if cell.is_empty() {
                            continue;
                        }
                        if is_label(cell, FIELD_LABELS)
                            || is_label(cell, IMPLEMENTER_LABELS)
                            || *cell == v
                            || cell.chars().count() <= 20
                        {
                            break;
                        }
                        v.push_str(cell);
                        end = k + 1;
                    }
                    self.sheet.fields.insert(key, v);
                    self.in_funds = false;
                    consumed_any = true;
                    i = end;
                    continue;
                }
            } else if l.starts_with("项目资金")
                || l.starts_with("资金总额") && self.kind == "performance_self_evaluation"
            {
                self.in_funds = true;
                if let Some(u) = detect_unit([l]) {
                    self.funds_unit = Some(u);
                }
                if l.starts_with("项目资金") {
                    i += 1;
                    continue;
                }
            }
            i += 1;
        }
        if self.in_funds {
            self.funds_row(&cells, &normed);
            return;
        }
        // Goal texts under the goal columns (总体目标 | text | | text).
        if !self.goal_cols.is_empty() && !consumed_any {
            let texts: Vec<usize> = nonempty
                .iter()
                .copied()
                .filter(|&j| !matches!(normed[j].as_str(), "总体目标" | "年度总体目标"))
                .filter(|&j| !(j == first && normed[j].chars().count() <= 6))
                .collect();
            for j in texts {
                let goal = self
                    .goal_cols
                    .iter()
                    .rev()
                    .find(|(c, _)| *c <= j)
                    .or(self.goal_cols.first())
                    .map(|(_, g)| g.clone());
                if let Some(g) = goal {
                    let e = self.sheet.goals.entry(g.clone()).or_default();
                    if !e.contains(&cells[j]) {
                        e.push_str(&cells[j]);
                    }
                    self.last_goal = Some(g);
                }
            }
        }
    }

    /// A funds line: label / amount pairs, the first pair under 实施期, the
    /// second under 年度 (or as the label itself says).
    fn funds_row(&mut self, cells: &[String], normed: &[String]) {
        let mut pair = 0;
        let mut i = 0;
        while i < cells.len() {
            let l = normed[i]
                .trim_start_matches("其中")
                .trim_start_matches(':')
                .to_string();
            if l.is_empty() || amount(&cells[i]).is_some() || l.starts_with("项目资金") {
                i += 1;
                continue;
            }
            let value_at = (i + 1..cells.len()).find(|&j| !cells[j].is_empty() || j == i + 1);
            let v = value_at.and_then(|j| amount(&cells[j]));
            let (period, key) = if let Some(k) = l.strip_prefix("实施期") {
                ("实施期", k.to_string())
            } else if let Some(k) = l.strip_prefix("年度") {
                ("年度", k.to_string())
            } else if pair == 0 {
                ("实施期", l.clone())
            } else {
                ("年度", l.clone())
            };
            if let Some(v) = v {
                self.sheet
                    .funds
                    .entry(period.to_string())
                    .or_default()
                    .insert(key, v);
            }
            pair += 1;
            i = value_at.map_or(i + 1, |j| j + 1);
        }
    }

    fn indicator_header(&mut self, normed: &[String]) {
        let mut groups: Vec<Group> = Vec::new();
        for (i, c) in normed.iter().enumerate() {
            let Some(slot) = slot_of(c) else { continue };
            let new_group = match groups.last() {
                None => true,
                Some(g) => {
                    g.slots
                        .iter()
                        .any(|(_, s)| *s == slot && slot != Slot::Level1)
                        || (slot == Slot::Level2 && g.slots.iter().any(|(_, s)| *s == Slot::Name))
                }
            };
            if new_group {
                groups.push(Group::default());
            }
            if let Some(g) = groups.last_mut() {
                g.slots.push((i, slot));
            }
        }
        let goal_names: Vec<String> = self
            .goal_cols
            .iter()
            .map(|(_, g)| g.clone())
            .filter(|g| g != "实际完成情况")
            .collect();
        let n = groups.len();
        for (gi, g) in groups.iter_mut().enumerate() {
            g.period = if self.kind == "performance_self_evaluation" {
                None
            } else if n > 1 {
                goal_names.get(gi).cloned().or_else(|| {
                    Some(
                        if gi == 0 {
                            "实施期目标"
                        } else {
                            "年度目标"
                        }
                        .to_string(),
                    )
                })
            } else {
                goal_names.first().cloned()
            };
        }
        self.flush_groups();
        self.groups = groups;
        self.level1 = None;
    }

    fn indicator_row(&mut self, cells: &[String]) {
        let get = |i: usize| cells.get(i).filter(|s| !s.is_empty()).cloned();
        // A new 一级指标 on this row ends the 二级指标 of every group.
        let new_level1 = self
            .groups
            .iter()
            .flat_map(|g| g.slots.iter())
            .find(|(_, s)| *s == Slot::Level1)
            .and_then(|&(i, _)| get(i));
        if let Some(l1) = new_level1 {
            self.level1 = Some(undouble(&l1));
            for g in &mut self.groups {
                g.level2 = None;
            }
        }
        for g in &mut self.groups {
            let mut ind = Indicator {
                period: g.period.clone(),
                level1: None,
                level2: None,
                name: String::new(),
                target: None,
                actual: None,
                score: None,
                weight: None,
            };
            for &(i, slot) in &g.slots {
                match slot {
                    Slot::Level1 => {}
                    Slot::Level2 => {
                        if let Some(v) = get(i) {
                            g.level2 = Some(undouble(&v));
                        }
                        ind.level2 = g.level2.clone();
                    }
                    Slot::Name => ind.name = get(i).unwrap_or_default(),
                    Slot::Target => ind.target = get(i),
                    Slot::Actual => ind.actual = get(i),
                    Slot::Weight => ind.weight = get(i).and_then(|v| amount(&v)),
                    Slot::Score => ind.score = get(i).and_then(|v| amount(&v)),
                }
            }
            ind.level1 = self.level1.clone();
            // Convention 9: neither name nor target → not an indicator.
            if ind.name.is_empty() && ind.target.is_none() {
                continue;
            }
            g.found.push(ind);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_tables::Method;

    fn table(rows: &[&str]) -> Table {
        Table {
            title: Some("忻州市市级预算部门（单位）项目支出绩效目标申报表".into()),
            caption: vec!["（2022 年度）".into()],
            notes: vec![],
            pages: vec![23, 24],
            method: Method::Dump,
            header: vec![],
            rows: rows
                .iter()
                .map(|r| r.split('\t').map(str::to_string).collect())
                .collect(),
            row_pages: vec![],
            spans: vec![],
            repairs: vec![],
            regions: vec![],
            ocr: false,
        }
    }

    /// Seed 003's first sheet, as the text dump prints it.
    #[test]
    fn target_sheet_from_seed_003() {
        let t = table(&[
            "项目名称\t工业项目建设领导小组办公室工作经费\t\t\t",
            "主管部门及代码\t402-忻州市工业和信息化局\t实施单位\t忻州市工业和信息化局\t",
            "项目属性\t一次性项目（1 年结束）\t项目期\t1 年\t",
            "项目资金 (元)\t实施期资金总额:\t300,000\t年度资金总额:\t300,000",
            "\t其中: 中央财政资金\t0\t其中: 中央财政资金\t0",
            "\t省级财政资金\t0\t省级财政资金\t0",
            "\t市县(区)财政资金\t300,000\t市县(区)财政资金\t300,000",
            "\t单位自筹\t0\t单位自筹\t0",
            "\t其他资金\t\t其他资金\t",
            "项目概况\t根据通知精神，全市工业项目建设领导小组办公室设在市工信局投资科\t\t\t",
            "立项依据\t《忻州市人民政府办公室关于进一步加强工业项目建设推动工业高质量发展的通知》\t\t\t",
            "实施期目标\t\t年度目标\t\t",
            "总体目标\t目标 1: 统筹建立工作机制\t\t目标 1: 统筹建立工作机制（年度）\t",
            "绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值",
            "\t产出指标\t数量指标\t调度的工业重点项目数量\t>500 个\t数量指标\t调度的工业重点项目数量\t>500 个",
            "\t\t质量指标\t工业技改投资占全部工业投资比重\t>15%\t质量指标\t工业技改投资占全部工业投资比重\t>15%",
            "\t效益指标\t经济效益指标\t全市工业固定资产投资和工业技改投资增长率\t>5%\t经济效益指标\t全市工业固定资产投资和工业技改投资增长率\t>5%",
            "\t\t社会效益指标\t\t\t社会效益指标\t\t",
            "\t满意度指标\t服务对象满意度指标\t企业满意度\t≥85%\t服务对象满意度指标\t企业满意度\t≥85%",
            "负责人:\t\t经办人:\t李志发\t联系电话:\t15903506688\t填报日期:\t20211207104157",
        ]);
        let s = sheets(&[("performance_target", &t)]);
        assert_eq!(s.len(), 1);
        let s = &s[0];
        assert_eq!(
            s.project.as_deref(),
            Some("工业项目建设领导小组办公室工作经费")
        );
        assert_eq!(s.department.as_deref(), Some("402-忻州市工业和信息化局"));
        assert_eq!(s.implementer.as_deref(), Some("忻州市工业和信息化局"));
        assert_eq!(s.funds_unit.as_deref(), Some("元"));
        assert_eq!(s.funds["实施期"]["资金总额"], 300000.0);
        assert_eq!(s.funds["年度"]["资金总额"], 300000.0);
        assert_eq!(s.funds["年度"]["中央财政资金"], 0.0);
        assert_eq!(s.funds["实施期"]["市县(区)财政资金"], 300000.0);
        assert_eq!(s.fields["项目属性"], "一次性项目（1年结束）");
        assert_eq!(s.fields["项目期"], "1年");
        assert!(s.fields["立项依据"].contains("忻州市人民政府办公室"));
        assert_eq!(s.goals["实施期目标"], "目标1:统筹建立工作机制");
        assert_eq!(s.goals["年度目标"], "目标1:统筹建立工作机制（年度）");
        assert_eq!(s.indicators.len(), 8);
        let i0 = &s.indicators[0];
        assert_eq!(i0.period.as_deref(), Some("实施期目标"));
        assert_eq!(i0.level1.as_deref(), Some("产出指标"));
        assert_eq!(i0.level2.as_deref(), Some("数量指标"));
        assert_eq!(i0.name, "调度的工业重点项目数量");
        assert_eq!(i0.target.as_deref(), Some(">500个"));
        let i4 = &s.indicators[4];
        assert_eq!(i4.period.as_deref(), Some("年度目标"));
        assert_eq!(s.indicators[3].period.as_deref(), Some("实施期目标"));
        // 质量指标 row printed without its 一级指标 keeps 产出指标.
        assert_eq!(s.indicators[1].level1.as_deref(), Some("产出指标"));
        let last = s.indicators.last().unwrap();
        assert_eq!(last.level1.as_deref(), Some("满意度指标"));
        assert_eq!(last.target.as_deref(), Some("≥85%"));
        assert_eq!(s.pages, vec![23]);
    }

    #[test]
    fn sheet_over_a_page_break_and_self_evaluation() {
        let a = table(&[
            "项目名称\t甲项目\t\t",
            "绩效指标\t一级指标\t二级指标\t三级指标\t指标值",
            "\t产出指标\t数量指标\t人数\t44人",
        ]);
        let mut b = table(&[
            "\t效益指标\t社会效益指标\t覆盖率\t100%",
            "项目名称\t乙项目\t\t",
        ]);
        b.title = None;
        b.pages = vec![24];
        let s = sheets(&[("performance_target", &a), ("performance_target", &b)]);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].indicators.len(), 2);
        assert_eq!(s[0].pages, vec![23, 24]);
        assert_eq!(s[0].indicators[1].level1.as_deref(), Some("效益指标"));
        assert_eq!(s[1].project.as_deref(), Some("乙项目"));

        let e = table(&[
            "项目名称\t以电代煤\t\t\t\t\t\t",
            "一级指标\t二级指标\t三级指标\t年初指标值\t调整后指标值\t实际完成值\t分值\t得分",
            "产出指标\t数量指标\t运行用户\t＝6971户\t＝6971户\t＝6971户\t20\t20",
            "总分\t\t\t\t\t\t100\t优",
        ]);
        let s = sheets(&[("performance_self_evaluation", &e)]);
        let i = &s[0].indicators[0];
        assert_eq!(i.period, None);
        assert_eq!(i.target.as_deref(), Some("＝6971户"));
        assert_eq!(i.actual.as_deref(), Some("＝6971户"));
        assert_eq!(i.weight, Some(20.0));
        assert_eq!(i.score, Some(20.0));
        assert_eq!(s[0].indicators.len(), 1);
    }
}
