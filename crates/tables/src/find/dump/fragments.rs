//! Header labels of one-space-per-cell dumps (raw `pdftotext`, seed 002)
//! rejoined from their line fragments.
//!
//! In such a dump a header cell whose label wraps inside its box comes out as
//! one line per visual line ("上级补" / "助收入"), in reading order, and labels
//! that share a baseline come out on one line, one space apart. Overprinted
//! dumps also double every run ("支出支出科目代码科目代码" is the two runs
//! 支出 and 科目代码, glued). Read line by line, such a header is a stack of
//! fragments no column can use. Rebuilt here: the body says how many columns
//! carry amounts (or the `栏次 1 2 …` row does) and how many lead with codes and
//! names; the lead columns take the code/name labels, and the remaining
//! fragments are cut, in order, into exactly as many labels as there are
//! amount columns, preferring cuts after a fragment that ends a label
//! (…收入, …支出, 合计, …数) and never joining two labels printed side by side.

use crate::cells::{has_han, is_amount, is_column_number_row, squash};
use crate::repair::{collapse_doubling, CELL_WRAP_JOINED, DUPLICATE_GLYPHS_REMOVED};
use crate::rows::join_text;

/// Most fragments a header is rebuilt from (a longer run is not a header).
const MAX_FRAGMENTS: usize = 120;

/// A header rebuilt from fragments: its rows (as wide as the body) and the
/// repairs made on the way (kind, detail).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Rebuilt {
    pub rows: Vec<Vec<String>>,
    pub repairs: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone)]
struct Item {
    text: String,
    line: usize,
}

/// Rebuild the header of a one-space table from its header `lines`, given the
/// assembled body rows and the table width `w`. `None` when the header does
/// not need it (a line already names every column) or the fragments do not
/// fit the body's columns; the caller then keeps one row per line.
pub(super) fn rebuild(lines: &[&str], body: &[Vec<String>], w: usize) -> Option<Rebuilt> {
    if lines.len() < 2 || w < 2 {
        return None;
    }
    let mut repairs: Vec<(&'static str, String)> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        let toks: Vec<&str> = line.split(' ').filter(|t| !t.trim().is_empty()).collect();
        let cells: Vec<String> = toks.iter().map(|t| t.to_string()).collect();
        if is_column_number_row(&dedoubled_cells(&cells)) {
            continue;
        }
        for tok in toks {
            match doubled_units(tok) {
                Some(units) => {
                    repairs.push((
                        DUPLICATE_GLYPHS_REMOVED,
                        format!("\"{tok}\" -> \"{}\"", units.join(" ")),
                    ));
                    items.extend(units.into_iter().map(|text| Item { text, line: li }));
                }
                None => items.push(Item {
                    text: tok.to_string(),
                    line: li,
                }),
            }
        }
    }
    if items.len() > MAX_FRAGMENTS || items.is_empty() {
        return None;
    }
    // A line already naming every column: the plain reading is right.
    let per_line = |li: usize| items.iter().filter(|x| x.line == li).count();
    if (0..lines.len()).any(|li| per_line(li) >= w) {
        return None;
    }
    let body: Vec<Vec<String>> = body
        .iter()
        .filter(|r| !is_column_number_row(&dedoubled_cells(r)))
        .cloned()
        .collect();
    // An empty table (本表无数据) says nothing about its columns.
    if !body
        .iter()
        .any(|r| r.iter().any(|c| crate::header::is_data_amount(c)))
    {
        return None;
    }
    let lead = lead_columns(&body, w)?;
    let amounts = w - lead;
    if amounts == 0 {
        return None;
    }
    // The lead columns' leaf labels: the last line ending in `lead` code/name
    // labels side by side.
    let mut leaves: Vec<String> = Vec::new();
    if lead > 0 {
        let li = (0..lines.len()).rev().find(|&li| {
            let on: Vec<&Item> = items.iter().filter(|x| x.line == li).collect();
            on.len() >= lead
                && on
                    .iter()
                    .skip(on.len() - lead)
                    .all(|x| is_lead_label(&x.text))
        })?;
        let idx: Vec<usize> = items
            .iter()
            .enumerate()
            .filter(|(_, x)| x.line == li)
            .map(|(i, _)| i)
            .collect();
        let cut = idx.get(idx.len().checked_sub(lead)?).copied()?;
        if cut + lead > items.len() {
            return None;
        }
        leaves = items
            .drain(cut..cut + lead)
            .map(|x| x.text)
            .collect::<Vec<_>>();
    }
    // Labels over the lead columns printed first (项目 over 科目代码 | 科目名称).
    let mut top: Vec<String> = Vec::new();
    while lead > 0 && items.first().is_some_and(|x| is_lead_label(&x.text)) {
        let x = items.remove(0);
        top.push(x.text);
    }
    if top.len() > lead || items.len() < amounts {
        return None;
    }
    let groups = segment(&items, amounts)?;
    let mut labels = Vec::with_capacity(amounts);
    for g in groups {
        let parts: Vec<&str> = g.iter().map(|x| x.text.as_str()).collect();
        let label = parts
            .iter()
            .fold(String::new(), |acc, p| join_text(&acc, p));
        if parts.len() > 1 {
            repairs.push((
                CELL_WRAP_JOINED,
                format!("\"{}\" -> \"{label}\"", parts.join(" / ")),
            ));
        }
        labels.push(label);
    }
    let mut rows = Vec::new();
    if top.is_empty() {
        let mut row = leaves;
        row.resize(lead, String::new());
        row.extend(labels);
        rows.push(row);
    } else {
        let mut row0 = top;
        row0.resize(lead, String::new());
        row0.extend(labels);
        let mut row1 = leaves;
        row1.resize(w, String::new());
        rows.push(row0);
        rows.push(row1);
    }
    Some(Rebuilt { rows, repairs })
}

fn dedoubled_cells(cells: &[String]) -> Vec<String> {
    cells
        .iter()
        .map(|c| collapse_doubling(c).unwrap_or_else(|| c.clone()))
        .collect()
}

/// A token made of doubled runs, as the runs ("支出支出科目代码科目代码" →
/// 支出, 科目代码); `None` when it is not a doubling.
fn doubled_units(tok: &str) -> Option<Vec<String>> {
    // Doubled header text is a label or two repeated: beyond 80 characters a
    // token is not a header cell (and the search stays bounded).
    const MAX_CHARS: usize = 80;
    let chars: Vec<char> = tok.chars().collect();
    if chars.len() < 2 || chars.len() > MAX_CHARS || !has_han(tok) {
        return None;
    }
    collapse_doubling(tok)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // Longest run first that is doubled here and lets the rest decompose.
        let rest = chars.len() - i;
        let mut found = None;
        for len in (1..=rest / 2).rev() {
            let a = chars.get(i..i + len)?;
            let b = chars.get(i + len..i + 2 * len)?;
            if a == b {
                let tail: String = chars.get(i + 2 * len..)?.iter().collect();
                if tail.is_empty() || collapse_doubling(&tail).is_some() {
                    found = Some(len);
                    break;
                }
            }
        }
        let len = found?;
        out.push(chars.get(i..i + len)?.iter().collect());
        i += 2 * len;
    }
    Some(out)
}

/// Leading columns that hold codes and names (the rest must hold amounts or
/// nothing): `None` for other shapes (two-sided tables, forms).
fn lead_columns(body: &[Vec<String>], w: usize) -> Option<usize> {
    let text_col = |c: usize| {
        let (mut text, mut num) = (0usize, 0usize);
        for r in body {
            match r.get(c).map(|s| s.trim()) {
                None | Some("") => {}
                Some(s) if is_amount(s) => num += 1,
                Some(_) => text += 1,
            }
        }
        (text, num)
    };
    let mut lead = 0;
    while lead < w {
        let (text, num) = text_col(lead);
        // A code column counts as lead: codes parse as amounts.
        let codes = body
            .iter()
            .filter(|r| r.get(lead).is_some_and(|s| crate::cells::is_code(s)))
            .count();
        if text > num || (codes * 2 > num && num > 0) {
            lead += 1;
        } else {
            break;
        }
    }
    // Label columns lead a table: code, name and at most one more (a
    // second code); the amount columns after them hold text in at most one
    // cell in four (a dash, a note).
    const MAX_LEAD: usize = 3;
    const TEXT_PER_AMOUNTS: usize = 4;
    if lead > MAX_LEAD {
        return None;
    }
    (lead..w)
        .all(|c| {
            let (text, num) = text_col(c);
            text * TEXT_PER_AMOUNTS <= num.max(1)
        })
        .then_some(lead)
}

/// Labels of code and name columns.
fn is_lead_label(s: &str) -> bool {
    let s = squash(s);
    ["科目", "代码", "编码", "名称", "项目", "分类", "单位"]
        .iter()
        .any(|k| s.contains(k))
        && !s.ends_with("支出")
        && !s.ends_with("收入")
        && s.chars().count() <= 10
}

/// Whether a label can end here (the last character of a column label).
fn ends_label(s: &str) -> bool {
    s.chars()
        .last()
        .is_some_and(|c| "入出计数额款费金余转率值量资产标况".contains(c))
}

/// Cut `items` in order into exactly `n` groups, cheapest first: a group not
/// ending like a label costs 1, two items printed side by side on one line in
/// one group cost 2 each. `None` if the cheapest cut still costs more than a
/// third of the groups (the fragments do not fit these columns).
fn segment(items: &[Item], n: usize) -> Option<Vec<Vec<Item>>> {
    // Two labels printed side by side are worse than one label ending
    // oddly; a cut costing more than one in three groups is not a fit.
    const SIDE_COST: usize = 2;
    const GROUPS_PER_COST: usize = 3;
    let m = items.len();
    if n == 0 || m < n {
        return None;
    }
    let group_cost = |a: usize, b: usize| -> usize {
        let g = &items[a..b];
        let joined: String = g.iter().map(|x| x.text.as_str()).collect();
        let side = g.windows(2).filter(|p| p[0].line == p[1].line).count();
        usize::from(!ends_label(&joined)) + SIDE_COST * side
    };
    const INF: usize = usize::MAX / 4;
    // dp[g][i]: cost of the first i items in g groups; from[g][i]: cut.
    let mut dp = vec![vec![INF; m + 1]; n + 1];
    let mut from = vec![vec![0usize; m + 1]; n + 1];
    dp[0][0] = 0;
    for g in 1..=n {
        for i in g..=m {
            for j in (g - 1)..i {
                let prev = dp[g - 1][j];
                if prev >= INF {
                    continue;
                }
                let c = prev + group_cost(j, i);
                if c < dp[g][i] {
                    dp[g][i] = c;
                    from[g][i] = j;
                }
            }
        }
    }
    if dp
        .get(n)
        .and_then(|r| r.get(m))
        .is_none_or(|&d| d * GROUPS_PER_COST > n)
    {
        return None;
    }
    let mut cuts = Vec::with_capacity(n + 1);
    let mut i = m;
    for g in (1..=n).rev() {
        cuts.push(i);
        i = from[g][i];
    }
    cuts.push(0);
    cuts.reverse();
    Some(
        cuts.windows(2)
            .map(|w| items[w[0]..w[1]].to_vec())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(body: &[&[&str]]) -> Vec<Vec<String>> {
        body.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn doubled_runs_split() {
        assert_eq!(
            doubled_units("支出支出科目代码科目代码"),
            Some(vec!["支出".to_string(), "科目代码".to_string()])
        );
        assert_eq!(doubled_units("合计合计"), Some(vec!["合计".to_string()]));
        assert_eq!(doubled_units("合计"), None);
    }

    #[test]
    fn wrapped_labels_rejoined_to_the_amount_columns() {
        let lines = [
            "项目项目",
            "本年收入合计本年收入合计 财政拨款收入财政拨款收入",
            "上级补上级补",
            "助收入助收入",
            "事业收事业收",
            "入入",
            "经营收入经营收入",
            "附属单附属单",
            "位位",
            "上缴收上缴收",
            "入入",
            "其他收入其他收入",
            "科目代码科目代码 科目名称科目名称",
        ];
        let body = rows(&[
            &["栏次栏次", "1", "2", "3", "4", "5", "6", "7"],
            &[
                "合计",
                "",
                "145616.75",
                "145599.25",
                "",
                "",
                "",
                "",
                "17.50",
            ],
            &[
                "201",
                "一般公共服务支出",
                "1436.56",
                "1419.06",
                "",
                "",
                "",
                "",
                "17.50",
            ],
            &["2010301", "行政运行", "85.06", "85.06", "", "", "", "", ""],
        ]);
        let r = rebuild(&lines, &body, 9).unwrap();
        assert_eq!(
            r.rows[0],
            vec![
                "项目",
                "",
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "经营收入",
                "附属单位上缴收入",
                "其他收入"
            ]
        );
        assert_eq!(r.rows[1][..2], ["科目代码", "科目名称"]);
        assert!(r
            .repairs
            .iter()
            .any(|(k, d)| *k == CELL_WRAP_JOINED && d.contains("附属单位上缴收入")));
    }

    #[test]
    fn glued_runs_and_side_by_side_labels() {
        let lines = [
            "项目项目",
            "本年支出合计本年支出合计 基本支出基本支出 项目支出项目支出",
            "上缴上缴",
            "上级上级",
            "支出支出",
            "经营支出经营支出",
            "对附属单对附属单",
            "位补助位补助",
            "支出支出科目代码科目代码 科目名称科目名称",
        ];
        let body = rows(&[
            &["合计", "", "145600.64", "193.60", "145407.04", "", "", ""],
            &[
                "201",
                "一般公共服务支出",
                "1420.45",
                "143.14",
                "1277.32",
                "",
                "",
                "",
            ],
        ]);
        let r = rebuild(&lines, &body, 8).unwrap();
        assert_eq!(
            r.rows[0][2..],
            [
                "本年支出合计",
                "基本支出",
                "项目支出",
                "上缴上级支出",
                "经营支出",
                "对附属单位补助支出"
            ]
        );
        assert_eq!(r.rows[1][..2], ["科目代码", "科目名称"]);
    }

    #[test]
    fn a_line_naming_every_column_is_left_alone() {
        let lines = ["项目", "科目代码 科目名称 合计 基本支出"];
        let body = rows(&[&["201", "一般公共服务支出", "1.00", "1.00"]]);
        assert_eq!(rebuild(&lines, &body, 4), None);
    }
}
