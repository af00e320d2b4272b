//! The arithmetic a disclosure carries within itself, checked and written
//! down so an analyst knows which numbers to trust: children sum to their
//! parent (code hierarchy, ①② sub-items), the 合计 row sums the top-level
//! rows, component columns sum to their 合计/小计 column, enumerated items sum
//! to 本年收入合计/本年支出合计, and totals agree across tables. Tables that
//! print several like groups side by side (人员经费 | 公用经费) are checked
//! group by group, each group's own total (人员经费合计) against its own
//! top-level rows. Tolerance: 0.01 in the table's unit per summed item.

use crate::records::{Column, Parsed, Role};
use crate::schema::{Check, Record};
use crate::text::{enumerator_level, is_grand_total_label, norm, strip_enumerator};
use std::collections::{BTreeMap, BTreeSet};

/// Tolerance per summed item, in the table's unit.
pub const TOLERANCE_PER_ITEM: f64 = 0.01;

/// One table as the checks see it.
pub struct TableView<'a> {
    pub index: usize,
    pub kind: &'a str,
    pub unit: Option<&'a str>,
    pub parsed: &'a Parsed,
    /// Rounding step of the printed amounts: 0.01 where they print
    /// decimals, 1 where the table prints whole numbers only (元 tables whose
    /// cells were rounded one by one, so a parent may differ from the sum of
    /// its children by up to one 元 per item).
    pub step: f64,
    /// The title says the table leaves out last year's carry-over
    /// (（不含上年结转）), so its totals are this year's money only.
    pub excludes_carryover: bool,
}

impl TableView<'_> {
    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        rule: &str,
        row: &str,
        column: &str,
        expected: f64,
        found: f64,
        items: usize,
    ) -> Check {
        check(
            rule, self.index, row, column, expected, found, items, self.step,
        )
    }
}

/// The printed rounding step of a table's amounts.
pub fn printed_step(p: &Parsed) -> f64 {
    let value_cols: Vec<usize> = p
        .columns
        .iter()
        .filter(|c| c.role == Role::Value)
        .map(|c| c.index)
        .collect();
    let mut any = false;
    for row in &p.rows {
        for &c in &value_cols {
            let cell = row.get(c).map(String::as_str).unwrap_or("");
            if crate::numbers::amount(cell).is_some() {
                any = true;
                if cell.contains('.') || cell.contains('．') {
                    return TOLERANCE_PER_ITEM;
                }
            }
        }
    }
    if any {
        1.0
    } else {
        TOLERANCE_PER_ITEM
    }
}

#[allow(clippy::too_many_arguments)]
fn check(
    rule: &str,
    table: usize,
    row: &str,
    column: &str,
    expected: f64,
    found: f64,
    items: usize,
    step: f64,
) -> Check {
    let tol = step.max(TOLERANCE_PER_ITEM) * items.max(1) as f64 + 1e-9;
    Check {
        rule: rule.to_string(),
        table: Some(table),
        row: Some(row.to_string()),
        column: Some(column.to_string()),
        expected: round2(expected),
        found: round2(found),
        ok: (expected - found).abs() <= tol,
        source_inconsistent: false,
        ocr: false,
    }
}

/// Sums printed with two decimals are compared, not their float noise.
fn round2(v: f64) -> f64 {
    (v * 10000.0).round() / 10000.0
}

fn label(r: &Record) -> String {
    r.code
        .clone()
        .or_else(|| r.name.clone())
        .unwrap_or_default()
}

fn side_of(r: &Record) -> usize {
    usize::from(r.side.as_deref() == Some("expenditure"))
}

/// A check's sum as printed: rule, row, expected and found in cents.
type SumKey = (String, Option<String>, i64, i64);

/// Mark failed checks that are flaws of the printed document: a sum that
/// fails the same way (same rule, row, expected and found figures) in two or
/// more tables. Tables are laid out and read apart, so a reading error does
/// not repeat itself to the cent across them; printed figures that do not
/// add up do.
pub fn mark_source_inconsistent(checks: &mut [Check]) {
    let cents = |v: f64| (v * 100.0).round() as i64;
    let key = |c: &Check| {
        (
            c.rule.clone(),
            c.row.clone(),
            cents(c.expected),
            cents(c.found),
        )
    };
    let failed: Vec<(usize, SumKey, Option<usize>)> = checks
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.ok)
        .map(|(i, c)| (i, key(c), c.table))
        .collect();
    for (i, k, t) in &failed {
        let corroborated = failed
            .iter()
            .any(|(j, k2, t2)| j != i && k2 == k && t2 != t && t.is_some() && t2.is_some());
        if corroborated {
            if let Some(c) = checks.get_mut(*i) {
                c.source_inconsistent = true;
            }
        }
    }
}

/// All checks within one table.
pub fn within(t: &TableView) -> Vec<Check> {
    let mut out = Vec::new();
    children_sum(t, &mut out);
    total_sum(t, &mut out);
    sub_items_sum(t, &mut out);
    enumerated_sum(t, &mut out);
    components(t, &mut out);
    out
}

/// Keys present in any of the records.
fn keys<'a>(recs: impl IntoIterator<Item = &'a Record>) -> BTreeSet<String> {
    recs.into_iter()
        .flat_map(|r| r.values.keys().cloned())
        .collect()
}

/// Parent code = sum of its children codes (`20805` = Σ `20805xx`), per column.
fn children_sum(t: &TableView, out: &mut Vec<Check>) {
    let p = t.parsed;
    let recs = &p.records;
    for (pi, parent) in recs.iter().enumerate() {
        let Some(pc) = parent.code.as_deref() else {
            continue;
        };
        let child_len = match pc.len() {
            3 => 5,
            5 => 7,
            _ => continue,
        };
        // Children: the following rows of the same side until the parent's
        // subtree ends (codes printed in order); a code printed twice is counted once.
        let mut children: Vec<&Record> = Vec::new();
        let mut seen = BTreeSet::new();
        for (_, r) in recs
            .iter()
            .enumerate()
            .skip(pi + 1)
            .filter(|(j, _)| p.group_of(*j) == p.group_of(pi))
        {
            let Some(c) = r.code.as_deref() else {
                if r.name.as_deref().is_some_and(is_grand_total_label) {
                    break;
                }
                continue;
            };
            if !c.starts_with(pc) || c.len() <= pc.len() {
                break;
            }
            if c.len() == child_len && seen.insert(c.to_string()) {
                children.push(r);
            }
        }
        if children.is_empty() {
            continue;
        }
        for k in keys(std::iter::once(parent).chain(children.iter().copied())) {
            let expected = parent.values.get(&k).copied().unwrap_or(0.0);
            let found: f64 = children.iter().filter_map(|c| c.values.get(&k)).sum();
            out.push(t.check("children_sum", pc, &k, expected, found, children.len()));
        }
    }
}

/// The 合计 row = Σ top-level (3-digit) code rows, per column, per side.
/// Where like groups stand side by side, each total is named for its group
/// (人员经费合计, 公用经费合计) and sums the top-level rows of its own group
/// and of the groups to its right that print no total of their own (公用经费
/// may run over two groups with its total under the first).
fn total_sum(t: &TableView, out: &mut Vec<Check>) {
    let p = t.parsed;
    let n = p.groups.max(2);
    let group_recs = |g: usize| -> Vec<&Record> {
        p.records
            .iter()
            .enumerate()
            .filter(|(i, _)| p.group_of(*i) == g)
            .map(|(_, r)| r)
            .collect()
    };
    let totals: Vec<Option<&Record>> = (0..n)
        .map(|g| {
            let recs = group_recs(g);
            let plain = recs
                .iter()
                .find(|r| r.code.is_none() && r.name.as_deref().is_some_and(is_grand_total_label));
            let named = || {
                recs.iter().find(|r| {
                    p.multi_group()
                        && r.code.is_none()
                        && r.name.as_deref().is_some_and(|n| norm(n).ends_with("合计"))
                })
            };
            plain.or_else(named).copied()
        })
        .collect();
    for (g, total) in totals.iter().enumerate() {
        let Some(total) = *total else { continue };
        let mut covered = vec![g];
        if p.multi_group() {
            covered.extend((g + 1..n).take_while(|&h| totals.get(h).is_some_and(Option::is_none)));
        }
        let recs: Vec<&Record> = covered.into_iter().flat_map(group_recs).collect();
        let min_len = recs
            .iter()
            .filter_map(|r| r.code.as_ref().map(String::len))
            .min();
        let Some(min_len) = min_len.filter(|&l| l == 3) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        let tops: Vec<&Record> = recs
            .iter()
            .copied()
            .filter(|r| {
                r.code
                    .as_ref()
                    .is_some_and(|c| c.len() == min_len && seen.insert(c.clone()))
            })
            .collect();
        let row = if p.multi_group() {
            label(total)
        } else {
            "合计".to_string()
        };
        for k in keys(std::iter::once(total).chain(tops.iter().copied())) {
            let expected = total.values.get(&k).copied().unwrap_or(0.0);
            let found: f64 = tops.iter().filter_map(|r| r.values.get(&k)).sum();
            out.push(t.check("total_sum", &row, &k, expected, found, tops.len()));
        }
    }
}

/// Rows without codes: a row followed by ①②/（一）(二) sub-items equals their
/// sum (`公务用车购置及运行费` = ① + ②); in a three-public table the 合计
/// row equals the sum of the items that are not sub-items.
fn sub_items_sum(t: &TableView, out: &mut Vec<Check>) {
    let p = t.parsed;
    let recs = &p.records;
    if recs.iter().any(|r| r.code.is_some()) {
        return;
    }
    let mut i = 0;
    while i < recs.len() {
        let parent = &recs[i];
        let is_sub = |r: &Record| r.name.as_deref().and_then(enumerator_level) == Some(2);
        let mut j = i + 1;
        while j < recs.len() && is_sub(&recs[j]) && p.group_of(j) == p.group_of(i) {
            j += 1;
        }
        if j > i + 1 && !is_sub(parent) && !parent.values.is_empty() {
            let kids: Vec<&Record> = recs[i + 1..j].iter().collect();
            for k in keys(std::iter::once(parent).chain(kids.iter().copied())) {
                let expected = parent.values.get(&k).copied().unwrap_or(0.0);
                let found: f64 = kids.iter().filter_map(|c| c.values.get(&k)).sum();
                out.push(t.check(
                    "children_sum",
                    &label(parent),
                    &k,
                    expected,
                    found,
                    kids.len(),
                ));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if t.kind == "three_public" || t.kind == "final_three_public" {
        let Some(total) = recs
            .iter()
            .find(|r| r.name.as_deref().is_some_and(is_grand_total_label))
        else {
            return;
        };
        let items: Vec<&Record> = recs
            .iter()
            .filter(|r| {
                !r.name.as_deref().is_some_and(is_grand_total_label)
                    && r.name.as_deref().and_then(enumerator_level) != Some(2)
                    && r.name.is_some()
            })
            .collect();
        if items.len() < 2 {
            return;
        }
        for k in keys(std::iter::once(total).chain(items.iter().copied())) {
            let expected = total.values.get(&k).copied().unwrap_or(0.0);
            let found: f64 = items.iter().filter_map(|r| r.values.get(&k)).sum();
            out.push(t.check("total_sum", "合计", &k, expected, found, items.len()));
        }
    }
}

/// Does this name read as one of the given totals, enumerator and spaces aside?
fn named(r: &Record, names: &[&str]) -> bool {
    r.name
        .as_deref()
        .map(|n| norm(strip_enumerator(n)))
        .is_some_and(|n| names.contains(&n.as_str()))
}

const INCOME_YEAR_TOTALS: &[&str] = &["本年收入合计", "收入合计", "本年收入小计"];
const EXPENDITURE_YEAR_TOTALS: &[&str] = &["本年支出合计", "支出合计", "本年支出小计"];
const INCOME_GRAND_TOTALS: &[&str] = &["收入总计", "总计"];
const EXPENDITURE_GRAND_TOTALS: &[&str] = &["支出总计", "总计"];

/// Two-sided tables: the 一、二、… items of a side sum to its 本年收入合计 /
/// 本年支出合计 (or to the 总计 where no year total is printed).
fn enumerated_sum(t: &TableView, out: &mut Vec<Check>) {
    if !t.parsed.two_sided {
        return;
    }
    // Group 0 is income; each later group is an expenditure part (西安
    // prints three: by function and by two economic classifications).
    for group in 0..t.parsed.groups.max(2) {
        let recs: Vec<&Record> = t
            .parsed
            .records
            .iter()
            .enumerate()
            .filter(|(i, _)| t.parsed.group_of(*i) == group)
            .map(|(_, r)| r)
            .collect();
        let (year, grand) = if group == 0 {
            (INCOME_YEAR_TOTALS, INCOME_GRAND_TOTALS)
        } else {
            (EXPENDITURE_YEAR_TOTALS, EXPENDITURE_GRAND_TOTALS)
        };
        let pos = recs
            .iter()
            .position(|r| named(r, year))
            .or_else(|| recs.iter().position(|r| named(r, grand)));
        let Some(pos) = pos else { continue };
        let total = recs[pos];
        let items: Vec<&Record> = recs[..pos]
            .iter()
            .copied()
            .filter(|r| r.name.as_deref().and_then(enumerator_level) == Some(1))
            .collect();
        if items.len() < 2 {
            continue;
        }
        for k in keys(std::iter::once(total)) {
            let expected = total.values.get(&k).copied().unwrap_or(0.0);
            let found: f64 = items.iter().filter_map(|r| r.values.get(&k)).sum();
            out.push(t.check("items_sum", &label(total), &k, expected, found, items.len()));
        }
    }
}

fn is_total_column(key: &str) -> bool {
    let n = norm(key);
    let leaf = n.rsplit('/').next().unwrap_or(&n);
    leaf == "合计" || leaf == "小计" || leaf == "总计" || leaf.ends_with("合计")
}

/// The columns a 合计/小计 column sums: the following value columns under the
/// same parent header, one per sub-header (a sub-header over several columns
/// counts through its own 小计, else through all its columns).
pub fn component_columns<'a>(parsed: &'a Parsed, total: &Column) -> Vec<Vec<&'a Column>> {
    let total_levels = levels(&total.path);
    let depth = total_levels.len();
    let Some(prefix) = depth.checked_sub(1).and_then(|d| total_levels.get(..d)) else {
        return Vec::new();
    };
    let cols: Vec<(&Column, Vec<&String>)> = parsed
        .columns
        .iter()
        .filter(|c| c.side == total.side && c.index > total.index)
        .take_while(|c| c.role == Role::Value)
        .map(|c| (c, levels(&c.path)))
        .take_while(|(_, l)| l.len() >= depth && l.get(..depth - 1) == Some(prefix))
        .collect();
    let mut groups: Vec<Vec<&Column>> = Vec::new();
    let mut last: Option<&String> = None;
    for (c, l) in cols {
        let Some(&head) = l.get(depth - 1) else {
            continue;
        };
        if l.len() == depth && is_total_column(&c.key) {
            // A second total at the same depth closes this one's components.
            break;
        }
        match (last, groups.last_mut()) {
            (Some(prev), Some(g)) if prev == head && l.len() > depth && !head.is_empty() => {
                g.push(c)
            }
            _ => groups.push(vec![c]),
        }
        last = Some(head);
    }
    // A sub-header group with its own 小计 counts through that column.
    groups
        .into_iter()
        .map(|g| match g.iter().find(|c| is_total_column(&c.key)) {
            Some(sub) if g.len() > 1 => vec![*sub],
            _ => g,
        })
        .collect()
}

/// The levels of a header path: its labels without the empty cells above a
/// label that spans down from a lower row, and without the repeats of a
/// label spanning several rows (neither is a level of the hierarchy).
fn levels(path: &[String]) -> Vec<&String> {
    let mut out: Vec<&String> = Vec::new();
    for p in path.iter().filter(|p| !p.is_empty()) {
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

/// 合计/小计 column = Σ its component columns, in every row.
fn components(t: &TableView, out: &mut Vec<Check>) {
    let p = t.parsed;
    for total in p
        .columns
        .iter()
        .filter(|c| c.role == Role::Value && is_total_column(&c.key))
    {
        let groups = component_columns(p, total);
        let parts: Vec<&Column> = groups.into_iter().flatten().collect();
        if parts.len() < 2 {
            continue;
        }
        for (_, rec) in p
            .records
            .iter()
            .enumerate()
            .filter(|(i, _)| p.group_of(*i) == total.side)
        {
            let expected = rec.values.get(&total.key).copied();
            let found: Vec<f64> = parts
                .iter()
                .filter_map(|c| rec.values.get(&c.key).copied())
                .collect();
            if expected.is_none() && found.is_empty() {
                continue;
            }
            out.push(t.check(
                "components_sum",
                &label(rec),
                &total.key,
                expected.unwrap_or(0.0),
                found.iter().sum(),
                parts.len(),
            ));
        }
    }
}

/// The first value of a record, in the grid order of its side's value columns.
fn first_value(p: &Parsed, r: &Record) -> Option<(String, f64)> {
    p.value_columns(side_of(r))
        .find_map(|c| r.values.get(&c.key).map(|v| (c.key.clone(), *v)))
}

/// The total row of a side (of a two-sided table: of its first part on that
/// side, as groups count).
fn total_row<'a>(p: &'a Parsed, side: usize, names: &[&str]) -> Option<&'a Record> {
    let on_side = |i: usize, r: &Record| {
        if p.two_sided {
            p.group_of(i) == side
        } else {
            side_of(r) == side
        }
    };
    p.records
        .iter()
        .enumerate()
        .filter(|(i, r)| on_side(*i, r))
        .map(|(_, r)| r)
        .find(|r| {
            named(r, names)
                || (names.contains(&"合计")
                    && r.code.is_none()
                    && r.name.as_deref().is_some_and(is_grand_total_label))
        })
}

/// A total row's value in the column of this year's money: the first value
/// column under a 本年 header (本年收入 / 本年支出) whose leaf is a total.
fn year_column_value(p: &Parsed, r: &Record) -> Option<(String, f64)> {
    let col = p
        .value_columns(0)
        .find(|c| c.path.iter().any(|h| norm(h).starts_with("本年")) && is_total_column(&c.key))?;
    r.values.get(&col.key).map(|v| (col.key.clone(), *v))
}

/// Totals that must agree across tables.
pub fn across(tables: &[TableView]) -> Vec<Check> {
    let mut out = Vec::new();
    let find = |kinds: &[&str]| tables.iter().find(|t| kinds.contains(&t.kind));
    let same_unit =
        |a: &TableView, b: &TableView| a.unit.is_none() || b.unit.is_none() || a.unit == b.unit;
    let pairs: [(&[&str], &[&str], &[&str]); 2] = [
        (
            &["budget_overview"],
            &["budget_income"],
            &["budget_expenditure"],
        ),
        (
            &["final_overview"],
            &["final_income"],
            &["final_expenditure"],
        ),
    ];
    for (ov, inc, exp) in pairs {
        let Some(o) = find(ov) else { continue };
        // Overview balance: 收入总计 = 支出总计.
        if o.parsed.two_sided {
            if let (Some(i), Some(e)) = (
                total_row(o.parsed, 0, INCOME_GRAND_TOTALS),
                total_row(o.parsed, 1, EXPENDITURE_GRAND_TOTALS),
            ) {
                if let (Some((_, iv)), Some((k, ev))) =
                    (first_value(o.parsed, i), first_value(o.parsed, e))
                {
                    out.push(o.check("overview_balance", &label(e), &k, iv, ev, 1));
                }
            }
        }
        let year_income = total_row(o.parsed, 0, INCOME_YEAR_TOTALS);
        let year_exp = total_row(o.parsed, 1, EXPENDITURE_YEAR_TOTALS);
        let o_income = year_income.or_else(|| total_row(o.parsed, 0, INCOME_GRAND_TOTALS));
        let o_exp = year_exp.or_else(|| total_row(o.parsed, 1, EXPENDITURE_GRAND_TOTALS));
        for (mine, kinds, year) in [
            (o_income, inc, year_income.is_some()),
            (o_exp, exp, year_exp.is_some()),
        ] {
            let (Some(mine), Some(other)) = (mine, find(kinds)) else {
                continue;
            };
            if !same_unit(o, other) {
                continue;
            }
            let Some(ot) = total_row(
                other.parsed,
                0,
                &["合计", "总计", "本年收入合计", "本年支出合计"],
            ) else {
                continue;
            };
            // The overview's year total (本年收入合计) is the table's 本年
            // column where it prints one beside its 总计 (which adds the
            // carry-over), else its first amount.
            let table_value = if year {
                year_column_value(other.parsed, ot).or_else(|| first_value(other.parsed, ot))
            } else {
                first_value(other.parsed, ot)
            };
            if let (Some((_, ov)), Some((k, tv))) = (first_value(o.parsed, mine), table_value) {
                out.push(other.check("overview_vs_table", "合计", &k, ov, tv, 1));
            }
        }
    }
    // Fiscal overview: the 一般公共预算 column of 本年支出合计 = the general budget table's 合计.
    for (fk, gk) in [
        ("fiscal_overview", "general_budget_expenditure"),
        ("final_fiscal_overview", "final_general_budget_expenditure"),
    ] {
        let (Some(f), Some(g)) = (find(&[fk]), find(&[gk])) else {
            continue;
        };
        if !same_unit(f, g) {
            continue;
        }
        let Some(gt) = total_row(g.parsed, 0, &["合计", "总计"]) else {
            continue;
        };
        let Some((gkey, gv)) = first_value(g.parsed, gt) else {
            continue;
        };
        let side = usize::from(f.parsed.two_sided);
        let ft = total_row(f.parsed, side, EXPENDITURE_YEAR_TOTALS)
            .or_else(|| total_row(f.parsed, side, EXPENDITURE_GRAND_TOTALS));
        let col = f
            .parsed
            .value_columns(side)
            .find(|c| norm(&c.key).contains("一般公共预算"));
        if let (Some(ft), Some(col)) = (ft, col) {
            let mut fv = ft.values.get(&col.key).copied().unwrap_or(0.0);
            // A general-budget table without the carry-over matches this
            // year's spending: the overview's spending less the carry-over
            // it lists on its income side (上年财政拨款结转).
            if g.excludes_carryover {
                let carry = f
                    .parsed
                    .records
                    .iter()
                    .filter(|r| side_of(r) == 0)
                    .find(|r| {
                        r.name
                            .as_deref()
                            .is_some_and(|n| n.contains("上年") && n.contains("结转"))
                    })
                    .and_then(|r| r.values.values().next().copied())
                    .unwrap_or(0.0);
                fv -= carry;
            }
            out.push(g.check("fiscal_vs_general_budget", "合计", &gkey, fv, gv, 1));
        }
    }
    out
}

/// Ratio of checks that pass, for reports.
pub fn pass_rate(checks: &[Check]) -> f64 {
    if checks.is_empty() {
        return 1.0;
    }
    checks.iter().filter(|c| c.ok).count() as f64 / checks.len() as f64
}

/// Failed checks grouped by rule (for diagnostics and test messages).
pub fn failures_by_rule(checks: &[Check]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for c in checks.iter().filter(|c| !c.ok) {
        *m.entry(c.rule.clone()).or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::parse;
    use gongkai_tables::{Method, Table};

    fn table(header: &[&str], rows: &[&str]) -> Table {
        let g = |s: &[&str]| -> Vec<Vec<String>> {
            s.iter()
                .map(|r| r.split('|').map(str::to_string).collect())
                .collect()
        };
        Table {
            title: None,
            caption: vec![],
            notes: vec![],
            pages: vec![1],
            method: Method::Lattice,
            header: g(header),
            rows: g(rows),
            row_pages: vec![],
            spans: vec![],
            repairs: vec![],
            regions: vec![],
            ocr: false,
        }
    }

    fn view<'a>(p: &'a Parsed, kind: &'a str) -> TableView<'a> {
        TableView {
            index: 0,
            kind,
            unit: Some("万元"),
            parsed: p,
            step: printed_step(p),
            excludes_carryover: false,
        }
    }

    #[test]
    fn hierarchy_totals_and_components() {
        let t = table(
            &[
                "项目||2025年预算数||",
                "科目编码|科目名称|合计|基本支出|项目支出",
            ],
            &[
                "合计||10.00|4.00|6.00",
                "208|社会保障和就业支出|10.00|4.00|6.00",
                "20805|行政事业单位养老支出|10.00|4.00|6.00",
                "2080501|行政单位离退休|3.00|3.00|",
                "2080505|机关事业单位基本养老保险缴费支出|7.00|1.00|5.00",
            ],
        );
        let p = parse(&t, false);
        let checks = within(&view(&p, "budget_expenditure"));
        // 20805 = 2080501 + 2080505 fails in 项目支出 (6 vs 5): found, named, not hidden.
        let bad: Vec<&Check> = checks.iter().filter(|c| !c.ok).collect();
        assert_eq!(bad.len(), 2, "{bad:#?}");
        let c = bad.iter().find(|c| c.rule == "children_sum").unwrap();
        assert_eq!(
            (c.row.as_deref(), c.column.as_deref()),
            (Some("20805"), Some("项目支出"))
        );
        assert_eq!((c.expected, c.found), (6.0, 5.0));
        // 2080505: 合计 7 ≠ 基本支出 1 + 项目支出 5.
        let c = bad.iter().find(|c| c.rule == "components_sum").unwrap();
        assert_eq!(c.row.as_deref(), Some("2080505"));
        // The 合计 row = Σ 3-digit rows, in every column, passes.
        assert_eq!(
            checks
                .iter()
                .filter(|c| c.rule == "total_sum" && c.ok)
                .count(),
            3
        );
    }

    #[test]
    fn subtotal_groups_and_tolerance() {
        // Shanghai's 三公 header: 合计 = 因公出国 + 公务接待 + the 小计 of 公务用车.
        let t = table(
            &[
                "“三公”经费预算数||||||机关运行经费预算数",
                "合计|因公出国(境)费|公务接待费|公务用车购置及运行费|||",
                "|||小计|购置费|运行费|",
            ],
            &["10.01|1.00|2.00|7.00|3.00|4.00|171.01"],
        );
        let p = parse(&t, false);
        let checks = within(&view(&p, "three_public"));
        let total = checks
            .iter()
            .find(|c| c.column.as_deref() == Some("合计"))
            .unwrap();
        // 1 + 2 + 7 = 10 against 10.01: within 0.01 × 3 items.
        assert!(total.ok, "{total:?}");
        assert_eq!(total.found, 10.0);
        let sub = checks
            .iter()
            .find(|c| c.column.as_deref() == Some("小计"))
            .unwrap();
        assert!(sub.ok && sub.expected == 7.0 && sub.found == 7.0, "{sub:?}");
        assert_eq!(checks.len(), 2, "{checks:#?}");

        // Whole-number tables (元) round each cell: one 元 per item is tolerated.
        let t = table(
            &["科目编码|科目名称|合计"],
            &[
                "212|城乡社区支出|154,369,326",
                "21201|城乡社区管理事务|154,369,325",
            ],
        );
        let p = parse(&t, false);
        let v = view(&p, "budget_income");
        assert_eq!(v.step, 1.0);
        assert!(within(&v).iter().all(|c| c.ok));
    }

    #[test]
    fn group_totals() {
        // 人员经费 in the first group; 公用经费 over the second and third,
        // its total printed under the second only.
        let t = table(
            &["科目编码|科目名称|决算数|科目编码|科目名称|决算数|科目编码|科目名称|决算数"],
            &[
                "301|工资福利支出|7.00|302|商品和服务支出|2.00|310|资本性支出|0.50",
                "30101|基本工资|7.00|30201|办公费|2.00|31002|办公设备购置|0.50",
                "303|对个人和家庭的补助|1.00||||||",
                "人员经费合计||8.00|公用经费合计||2.60|||",
            ],
        );
        let p = parse(&t, false);
        let checks = within(&view(&p, "final_basic_expenditure_detail"));
        let totals: Vec<(&str, f64, f64, bool)> = checks
            .iter()
            .filter(|c| c.rule == "total_sum")
            .map(|c| (c.row.as_deref().unwrap_or(""), c.expected, c.found, c.ok))
            .collect();
        // 2.60 printed against 2.00 + 0.50: the wrong total is found.
        assert_eq!(
            totals,
            [
                ("人员经费合计", 8.0, 8.0, true),
                ("公用经费合计", 2.6, 2.5, false)
            ]
        );
        // Children are summed within their own group only.
        assert_eq!(
            checks
                .iter()
                .filter(|c| c.rule == "children_sum" && c.ok)
                .count(),
            3
        );
        assert_eq!(checks.len(), 5, "{checks:#?}");
    }

    #[test]
    fn across_tables() {
        let ov = table(
            &["收入||支出|", "项目|2025年|项目|2025年合计"],
            &[
                "一、一般公共预算|10.00|一、一般公共服务支出|10.00",
                "收入总计|10.00|支出总计|10.00",
            ],
        );
        let inc = table(
            &["科目编码|科目名称|合计"],
            &["合计||10.00", "201|一般公共服务支出|10.00"],
        );
        let exp = table(
            &["科目编码|科目名称|合计"],
            &["合计||9.00", "201|一般公共服务支出|9.00"],
        );
        let (po, pi, pe) = (parse(&ov, true), parse(&inc, false), parse(&exp, false));
        let views = [
            TableView {
                index: 0,
                kind: "budget_overview",
                unit: Some("万元"),
                parsed: &po,
                step: 0.01,
                excludes_carryover: false,
            },
            TableView {
                index: 1,
                kind: "budget_income",
                unit: Some("万元"),
                parsed: &pi,
                step: 0.01,
                excludes_carryover: false,
            },
            TableView {
                index: 2,
                kind: "budget_expenditure",
                unit: Some("万元"),
                parsed: &pe,
                step: 0.01,
                excludes_carryover: false,
            },
        ];
        let c = across(&views);
        assert!(c.iter().any(|c| c.rule == "overview_balance" && c.ok));
        assert!(c
            .iter()
            .any(|c| c.rule == "overview_vs_table" && c.table == Some(1) && c.ok));
        let bad = c
            .iter()
            .find(|c| c.rule == "overview_vs_table" && c.table == Some(2))
            .unwrap();
        assert!(!bad.ok && bad.expected == 10.0 && bad.found == 9.0);
        // Tables in different units are not compared.
        let views2 = [
            TableView {
                index: 0,
                kind: "budget_overview",
                unit: Some("元"),
                parsed: &po,
                step: 0.01,
                excludes_carryover: false,
            },
            TableView {
                index: 2,
                kind: "budget_expenditure",
                unit: Some("万元"),
                parsed: &pe,
                step: 0.01,
                excludes_carryover: false,
            },
        ];
        assert!(!across(&views2)
            .iter()
            .any(|c| c.rule == "overview_vs_table"));
    }
}
