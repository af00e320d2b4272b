//! Project performance forms (项目支出绩效自评表 / 绩效目标表) in one-space
//! dumps (raw `pdftotext`, seed 002), read as one table per form.
//!
//! A form is not a grid of rows: labelled cells (项目名称 …, 主管部门及代码 …),
//! a funds block, goal texts, then the indicator tree. The line-by-line table
//! finder cuts such a form at every prose line and every wrapped label, so
//! the performance reader gets a dozen scraps. Here a form runs from its
//! title to the next form title or part heading; its lines become rows of
//! their cells; the indicator header, wrapped over lines ("一级指" / "标",
//! "年初指" / "标值"), is rejoined from the standard indicator vocabulary; and
//! each indicator line is placed under that header: the trailing numbers
//! under 分值 / 得分, a leading 二级指标 under its column, the name next, then
//! the values, with the 一级 / 二级 labels printed on lines of their own
//! carried onto the row they head. Values glued by the dump ("达成预期指标10",
//! "≥25785元≥25785元") are split at comparison signs and trailing numbers.

use crate::cells::{has_han, is_amount, is_han};
use crate::repair::dedouble;

/// Labels of the indicator header of a performance form.
const INDICATOR_LABELS: &[&str] = &[
    "一级指标",
    "二级指标",
    "三级指标",
    "指标名称",
    "年初指标值",
    "调整后指标值",
    "年度指标值",
    "指标值",
    "目标值",
    "实际完成值",
    "全年实际值",
    "实际值",
    "分值",
    "权重",
    "得分",
    "偏差原因分析及改进措施",
    "未完成原因分析",
];

/// Longest line taken as (part of) a form title.
const MAX_TITLE_CHARS: usize = 60;

/// A performance form found in the dump lines: lines `start..end`, its title
/// and its rows (as many cells as the indicator header, or fewer).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Form {
    pub start: usize,
    pub end: usize,
    pub title: String,
    /// Rows with the index of the line each starts on.
    pub rows: Vec<(usize, Vec<String>)>,
    /// Indicator header labels rejoined from fragments: (fragments, label).
    pub joined: Vec<(String, String)>,
}

fn is_form_title(t: &str) -> bool {
    let s = dedouble(t);
    if s.chars().count() > MAX_TITLE_CHARS || s.contains(['。', '；']) || s.starts_with(['(', '（'])
    {
        return false;
    }
    // The title ends at the form's name, maybe with its year after it.
    let tail = ["绩效自评表", "绩效目标表"]
        .iter()
        .find_map(|k| s.find(k).map(|p| &s[p + k.len()..]));
    // What may follow the form's name: its year ("（2025年度）"), no more.
    const MAX_TAIL_CHARS: usize = 10;
    tail.is_some_and(|t| t.is_empty() || t.contains("年度") && t.chars().count() <= MAX_TAIL_CHARS)
}

/// Whether a line is the first part of a title wrapped onto the next line.
fn is_title_head(t: &str) -> bool {
    // The first line of a wrapped title is a title's length, not prose's.
    const MAX_HEAD_CHARS: usize = 30;
    let s = dedouble(t);
    !s.is_empty()
        && s.chars().count() <= MAX_HEAD_CHARS
        && !s.contains(['。', '，', '；', '：', ':'])
        && !s.ends_with('表')
        && has_han(&s)
}

fn is_part_heading(t: &str) -> bool {
    let s = dedouble(t);
    s.starts_with('第') && s.chars().nth(2) == Some('部') && s.chars().nth(3) == Some('分')
}

/// The performance forms among `lines` (all dump lines, in order).
pub(super) fn find_forms(lines: &[&str]) -> Vec<Form> {
    let titles: Vec<usize> = (0..lines.len())
        .filter(|&i| lines.get(i).is_some_and(|t| is_form_title(t)))
        .collect();
    let mut out = Vec::new();
    for (n, &ti) in titles.iter().enumerate() {
        let Some(&tline) = lines.get(ti) else {
            continue;
        };
        let mut start = ti;
        let mut title = dedouble(tline);
        if let Some(prev) = ti.checked_sub(1).and_then(|p| lines.get(p)) {
            if is_title_head(prev) && !is_form_title(prev) {
                title = format!("{}{title}", dedouble(prev));
                start = ti - 1;
            }
        }
        let limit = titles.get(n + 1).map_or(lines.len(), |&x| {
            // The next form's title may begin on the line above it.
            match x.checked_sub(1).and_then(|p| lines.get(p)) {
                Some(prev) if x > ti + 1 && is_title_head(prev) => x - 1,
                _ => x,
            }
        });
        let end = (ti + 1..limit)
            .find(|&k| lines.get(k).is_some_and(|t| is_part_heading(t)))
            .unwrap_or(limit);
        let body: Vec<(usize, &str)> = (ti + 1..end)
            .filter_map(|k| lines.get(k).map(|t| (k, *t)))
            .collect();
        let (rows, joined) = form_rows(&body);
        if rows.iter().any(|(_, r)| r.iter().any(|c| c == "项目名称")) {
            out.push(Form {
                start,
                end,
                title,
                rows,
                joined,
            });
        }
    }
    out
}

/// Cells of a form line: one space between cells, doubled runs collapsed.
fn plain_cells(t: &str) -> Vec<String> {
    let (cells, _) = super::tokens::single_cells(t.trim());
    cells
        .into_iter()
        .map(|c| if has_han(&c) { dedouble(&c) } else { c })
        .collect()
}

fn is_label_prefix(s: &str) -> bool {
    INDICATOR_LABELS.iter().any(|l| l.starts_with(s))
}

/// Fragments joined into one label: ("一级指 / 标", "一级指标").
type Joined = Vec<(String, String)>;

/// Indicator header lines from `body[i..]` rejoined into labels: the labels,
/// the fragments joined, and the index after the header.
fn indicator_header(body: &[(usize, &str)], i: usize) -> Option<(Vec<String>, Joined, usize)> {
    let mut labels: Vec<String> = Vec::new();
    let mut joined = Vec::new();
    let mut acc: Vec<String> = Vec::new();
    let mut k = i;
    while let Some((_, t)) = body.get(k) {
        let toks: Vec<String> = t
            .split(' ')
            .filter(|x| !x.trim().is_empty())
            .map(dedouble)
            .collect();
        if toks.is_empty() {
            k += 1;
            continue;
        }
        // The header ends at the first line not made of its labels.
        let fits = {
            let mut a: String = acc.concat();
            toks.iter().all(|x| {
                let with = format!("{a}{x}");
                if is_label_prefix(&with) {
                    a = if INDICATOR_LABELS.contains(&with.as_str()) {
                        String::new()
                    } else {
                        with
                    };
                    true
                } else if is_label_prefix(x) {
                    a = if INDICATOR_LABELS.contains(&x.as_str()) {
                        String::new()
                    } else {
                        x.clone()
                    };
                    true
                } else {
                    false
                }
            })
        };
        if !fits {
            break;
        }
        for x in toks {
            let with = format!("{}{x}", acc.concat());
            if !is_label_prefix(&with) && !acc.is_empty() {
                labels.push(acc.concat());
                acc.clear();
            }
            acc.push(x);
            let now = acc.concat();
            if INDICATOR_LABELS.contains(&now.as_str()) {
                if acc.len() > 1 {
                    joined.push((acc.join(" / "), now.clone()));
                }
                labels.push(now);
                acc.clear();
            }
        }
        k += 1;
    }
    if !acc.is_empty() {
        labels.push(acc.concat());
    }
    let has = |w: &str| labels.iter().any(|l| l == w);
    // An indicator header has a label per level at least (一级, 二级, 三级
    // 指标 or 指标名称).
    const MIN_LABELS: usize = 3;
    (labels.len() >= MIN_LABELS && (has("三级指标") || has("指标名称")))
        .then_some((labels, joined, k))
}

/// Split a token the dump glued: before a comparison sign inside it, and a
/// trailing number after a Han character ("达成预期指标10").
fn split_glued_values(tok: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in tok.chars() {
        if matches!(c, '＝' | '=' | '≥' | '≤' | '＞' | '＜' | '>' | '<')
            && !cur.is_empty()
            && !cur.ends_with(['＝', '=', '≥', '≤', '＞', '＜', '>', '<'])
        {
            parts.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    let mut out = Vec::new();
    for p in parts {
        let digits = p
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
            .last()
            .map(|(i, _)| i);
        match digits {
            Some(i) if i > 0 && p[..i].chars().last().is_some_and(is_han) => {
                out.push(p[..i].to_string());
                out.push(p[i..].to_string());
            }
            _ => out.push(p),
        }
    }
    out
}

/// The level labels printed on lines of their own above an indicator row,
/// joined until each ends in 指标.
fn level_labels(frags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for f in frags {
        cur.push_str(f);
        if cur.ends_with("指标") {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// One indicator line placed under the header labels.
fn indicator_row(labels: &[String], toks: &[String], pending: &mut Vec<String>) -> Vec<String> {
    let col = |w: &str| labels.iter().position(|l| l == w);
    let mut row = vec![String::new(); labels.len()];
    let num_cols: Vec<usize> = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l.as_str(), "分值" | "权重" | "得分"))
        .map(|(i, _)| i)
        .collect();
    let last_num = toks.iter().rposition(|t| is_amount(t)).unwrap_or(0);
    // Text after the last number: the remark.
    let remark: String = toks.get(last_num + 1..).unwrap_or_default().concat();
    if let Some(&c) = num_cols.last() {
        if let Some(cell) = row.get_mut(c + 1) {
            *cell = remark;
        }
    }
    let mut left: Vec<String> = toks.get(..=last_num).unwrap_or_default().to_vec();
    let mut nums: Vec<String> = Vec::new();
    while nums.len() < num_cols.len() && left.last().is_some_and(|t| is_amount(t)) && left.len() > 1
    {
        if let Some(t) = left.pop() {
            nums.insert(0, t);
        }
    }
    for (c, v) in num_cols.iter().zip(nums) {
        if let Some(cell) = row.get_mut(*c) {
            *cell = v;
        }
    }
    // A continuation of the last level label ("社会效益" / "指标 …").
    if left.first().is_some_and(|t| t == "指标")
        && pending.last().is_some_and(|p| !p.ends_with("指标"))
    {
        left.remove(0);
        if let Some(p) = pending.last_mut() {
            p.push_str("指标");
        }
    }
    // A level-2 indicator's name is short (产出指标, 满意度指标).
    const MAX_LEVEL2_CHARS: usize = 8;
    let own_level2 = left
        .first()
        .is_some_and(|t| t.ends_with("指标") && t.chars().count() <= MAX_LEVEL2_CHARS)
        && left.len() >= 2;
    if own_level2 {
        if let Some(c) = col("二级指标") {
            row[c] = left.remove(0);
        }
    }
    let levels = level_labels(&std::mem::take(pending));
    match (levels.len(), own_level2) {
        (0, _) => {}
        (1, true) => set(&mut row, col("一级指标"), &levels[0]),
        (1, false) => set(&mut row, col("二级指标"), &levels[0]),
        _ => {
            set(
                &mut row,
                col("一级指标"),
                &levels[..levels.len() - 1].concat(),
            );
            if !own_level2 {
                set(&mut row, col("二级指标"), &levels[levels.len() - 1]);
            }
        }
    }
    let name_col = col("三级指标").or_else(|| col("指标名称"));
    let first_num = num_cols.first().copied().unwrap_or(labels.len());
    let value_cols: Vec<usize> = match name_col {
        Some(n) => (n + 1..first_num).collect(),
        None => Vec::new(),
    };
    if let Some(n) = name_col {
        let extra = left.len().saturating_sub(value_cols.len() + 1);
        let name: String = left.drain(..(extra + 1).min(left.len())).collect();
        set(&mut row, Some(n), &name);
        // Values left to right; the last one is the actual value.
        if left.len() < value_cols.len() {
            if let Some(last) = left.pop() {
                set(&mut row, value_cols.last().copied(), &last);
            }
        }
        for (c, v) in value_cols.iter().zip(left) {
            set(&mut row, Some(*c), &v);
        }
    }
    row
}

fn set(row: &mut [String], c: Option<usize>, v: &str) {
    if let Some(cell) = c.and_then(|c| row.get_mut(c)) {
        *cell = v.to_string();
    }
}

/// The rows of a form's lines.
fn form_rows(body: &[(usize, &str)]) -> (Vec<(usize, Vec<String>)>, Joined) {
    let mut rows = Vec::new();
    let mut joined = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut pending: Vec<String> = Vec::new();
    let mut done = false;
    let mut i = 0;
    while let Some(&(li, t)) = body.get(i) {
        let tt = t.trim();
        if tt.is_empty() {
            i += 1;
            continue;
        }
        let s = dedouble(tt);
        if header.is_none() && (s.starts_with("一级指") || s.starts_with("二级指标")) {
            if let Some((labels, j, next)) = indicator_header(body, i) {
                joined.extend(j);
                rows.push((li, labels.clone()));
                header = Some(labels);
                i = next;
                continue;
            }
        }
        if let (Some(labels), false) = (&header, done) {
            if s.starts_with("总分") {
                done = true;
                // "总 分 100 优": the label spaced out over two cells.
                let mut cells = plain_cells(tt);
                if cells.first().is_some_and(|c| c == "总")
                    && cells.get(1).is_some_and(|c| c == "分")
                {
                    cells.splice(0..2, ["总分".to_string()]);
                }
                rows.push((li, cells));
                i += 1;
                continue;
            }
            let toks: Vec<String> = tt
                .split(' ')
                .filter(|x| !x.trim().is_empty())
                .flat_map(split_glued_values)
                .collect();
            // A piece of a wrapped indicator name: one short token of text.
            const MAX_FRAGMENT_CHARS: usize = 12;
            let fragment = toks.len() == 1
                && !tt.chars().any(|c| c.is_ascii_digit())
                && has_han(tt)
                && tt.chars().count() <= MAX_FRAGMENT_CHARS;
            if fragment {
                pending.extend(toks);
                i += 1;
                continue;
            }
            // An indicator row: its levels' names and a value at least.
            const MIN_ROW_TOKENS: usize = 3;
            if toks.len() >= MIN_ROW_TOKENS && toks.iter().any(|x| is_amount(x)) {
                rows.push((li, indicator_row(labels, &toks, &mut pending)));
                i += 1;
                continue;
            }
        }
        rows.push((li, plain_cells(tt)));
        i += 1;
    }
    (rows, joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn glued_values_split() {
        assert_eq!(
            split_glued_values("达成预期指标10"),
            strs(&["达成预期指标", "10"])
        );
        assert_eq!(
            split_glued_values("合计≥25785元≥25785元"),
            strs(&["合计", "≥25785元", "≥25785元"])
        );
        assert_eq!(split_glued_values("≥90%"), strs(&["≥90%"]));
    }

    #[test]
    fn form_with_wrapped_indicator_header() {
        let text = "某某项目\n支出绩效自评表（2023年度）\n\n项目名称 某某项目\n\n主管部门及代码 031-某局 预算单位 031001-某局\n\n一级指\n标\n\n二级指标 三级指标 年初指\n标值\n\n调整后\n指标值\n\n实际完成值 分值 得分 偏差原因分析及改进措施\n\n产出指\n标\n\n数量指标 补贴户数＝6971户 ＝6971户 ＝6971户 20 20\n\n时效指标 运行及时 及时 达成预期指标10 10\n\n满意度\n指标\n\n服务对象\n满意度指标\n\n用户满意度 ≥90% ≥90% ≥90% 10 10\n\n总 分 100 优\n\n第六部分 其他";
        let lines: Vec<&str> = text.split('\n').collect();
        let forms = find_forms(&lines);
        assert_eq!(forms.len(), 1);
        let f = &forms[0];
        assert_eq!(f.title, "某某项目支出绩效自评表（2023年度）");
        assert_eq!(f.start, 0);
        let header = &f
            .rows
            .iter()
            .find(|(_, r)| r.first().map(String::as_str) == Some("一级指标"))
            .unwrap()
            .1;
        assert_eq!(
            header,
            &strs(&[
                "一级指标",
                "二级指标",
                "三级指标",
                "年初指标值",
                "调整后指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施"
            ])
        );
        let row = |name: &str| {
            f.rows
                .iter()
                .find(|(_, r)| r.get(2).map(String::as_str) == Some(name))
                .unwrap_or_else(|| panic!("no {name}: {:#?}", f.rows))
                .1
                .clone()
        };
        assert_eq!(
            row("补贴户数"),
            strs(&[
                "产出指标",
                "数量指标",
                "补贴户数",
                "＝6971户",
                "＝6971户",
                "＝6971户",
                "20",
                "20",
                ""
            ])
        );
        assert_eq!(
            row("运行及时"),
            strs(&[
                "",
                "时效指标",
                "运行及时",
                "及时",
                "",
                "达成预期指标",
                "10",
                "10",
                ""
            ])
        );
        assert_eq!(
            row("用户满意度"),
            strs(&[
                "满意度指标",
                "服务对象满意度指标",
                "用户满意度",
                "≥90%",
                "≥90%",
                "≥90%",
                "10",
                "10",
                ""
            ])
        );
        assert!(!f.rows.iter().any(|(_, r)| r.concat().contains("第六部分")));
        assert!(f
            .rows
            .iter()
            .any(|(_, r)| r.first().map(String::as_str) == Some("总分")));
    }
}
