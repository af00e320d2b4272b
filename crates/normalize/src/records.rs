//! Grid → records. Each column gets a role (code, 类/款/项 part, name, value,
//! 行次, other text) from its header label and its body cells; two-sided
//! tables are split into an income and an expenditure side at the second
//! label group; other tables that print the same label group two or more
//! times side by side (the 决算 基本支出 table: 人员经费 codes, names and
//! amounts on the left, 公用经费 on the right) are read group by group; then
//! every body row gives one record per side or group that has a code, a name
//! or a value (contract conventions 1–12).

use crate::codes;
use crate::numbers::{parse_cell, Cell};
use crate::schema::Record;
use crate::text::{enumerator_level, is_grand_total_label, norm, squash_folded};
use gongkai_tables::cells::is_column_number_row;
use std::collections::BTreeMap;

/// What a grid column is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A whole subject code (`2080505`), possibly with its name (`[208]社会…`).
    Code,
    /// One of separate 类 / 款 / 项 columns (convention 11): concatenated.
    CodePart,
    /// The item's name.
    Name,
    /// An amount.
    Value,
    /// A 行次 (line number) column: no value (convention 3).
    LineNo,
    /// A budget unit's name beside a project-name column: names the row
    /// only where no project is printed (the unit's own rows).
    UnitName,
    /// Other text (备注, a second classification's names …): no value.
    Text,
}

/// One grid column as normalisation reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub index: usize,
    pub role: Role,
    /// The label group the column belongs to: 0 for the left (or only)
    /// side, 1 for the right side of a two-sided table; in a table printing
    /// several like groups side by side, the group's index from the left.
    pub side: usize,
    /// The key its values get in `Record::values`.
    pub key: String,
    /// Header text covering this column in each header row (spans filled),
    /// down to the row holding its leaf label.
    pub path: Vec<String>,
}

/// A table read into records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// Header rows with column-number rows removed.
    pub header: Vec<Vec<String>>,
    /// Body rows with column-number rows removed.
    pub rows: Vec<Vec<String>>,
    /// Source page of each kept body row, where known.
    pub row_pages: Vec<Option<u32>>,
    pub columns: Vec<Column>,
    /// `true` where the table was split into income and expenditure sides.
    pub two_sided: bool,
    /// Number of sides or label groups read (1 for an ordinary table, 2 for
    /// a two-sided one, n for n like groups printed side by side).
    pub groups: usize,
    pub records: Vec<Record>,
    /// Body row (index into `rows`) of each record.
    pub record_rows: Vec<usize>,
    /// Side or group (`Column::side`) of each record.
    pub record_groups: Vec<usize>,
    /// Repairs made here (unlabelled columns merged), for the table's `repairs`.
    pub repairs: Vec<gongkai_tables::Repair>,
}

impl Parsed {
    /// Side or group of record `i` (0 where unknown).
    pub fn group_of(&self, i: usize) -> usize {
        self.record_groups.get(i).copied().unwrap_or(0)
    }

    /// `true` where the table prints two or more like label groups side by
    /// side that are not income and expenditure.
    pub fn multi_group(&self) -> bool {
        self.groups > 1 && !self.two_sided
    }

    /// Value columns of one side, in grid order.
    pub fn value_columns(&self, side: usize) -> impl Iterator<Item = &Column> {
        self.columns
            .iter()
            .filter(move |c| c.side == side && c.role == Role::Value)
    }
}

/// Is this row the printed column-number row (`1 2 3 …`, `栏次 1 2`)?
/// (convention 2) The table stage's rule, asked of NFKC-normalised cells.
fn is_normed_column_number_row(row: &[String]) -> bool {
    let cells: Vec<String> = row.iter().map(|s| norm(s)).collect();
    is_column_number_row(&cells)
}

/// A body row holding nothing but its line numbers, each under a 行次
/// header (`30 | 61` of a two-sided 收支总表 whose labels and amounts are
/// empty): a row of the table, not its column-number row, unless it counts
/// from 1 as column numbers do.
fn only_line_numbers(row: &[String], line_no_cols: &[bool]) -> bool {
    let mut cells = row
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.trim().is_empty())
        .peekable();
    let starts_at_one = cells.peek().is_some_and(|(_, s)| norm(s) == "1");
    let mut any = false;
    for (c, _) in cells {
        if !line_no_cols.get(c).copied().unwrap_or(false) {
            return false;
        }
        any = true;
    }
    any && !starts_at_one
}

/// Header text as a filled grid: a spanning cell's text is repeated over
/// every position it covers. `spans` are the table's spans (rows counted from
/// the first header row); where a header row has no spans recorded, an empty
/// cell takes the text to its left (a horizontal span), but only above the
/// lowest header row.
fn filled_header(
    header: &[Vec<String>],
    spans: &[gongkai_tables::Span],
    width: usize,
) -> Vec<Vec<String>> {
    let mut grid: Vec<Vec<String>> = header
        .iter()
        .map(|r| {
            (0..width)
                .map(|c| squash_folded(r.get(c).map(String::as_str).unwrap_or("")))
                .collect()
        })
        .collect();
    let rows = grid.len();
    let mut covered = vec![vec![false; width]; rows];
    for s in spans {
        let text = grid
            .get(s.row)
            .and_then(|r| r.get(s.col))
            .cloned()
            .unwrap_or_default();
        for r in s.row..(s.row + s.rows).min(rows) {
            for c in s.col..(s.col + s.cols).min(width) {
                if let Some(cell) = grid.get_mut(r).and_then(|row| row.get_mut(c)) {
                    if cell.is_empty() {
                        *cell = text.clone();
                    }
                }
                if let Some(f) = covered.get_mut(r).and_then(|row| row.get_mut(c)) {
                    *f = true;
                }
            }
        }
    }
    let have_spans = !spans.is_empty();
    for r in 0..rows.saturating_sub(1) {
        for c in 1..width {
            // Below the first row, a horizontal span never crosses its
            // parent's boundary: fill only under the same parent.
            let same_parent = r == 0 || grid[r - 1][c] == grid[r - 1][c - 1];
            if grid[r][c].is_empty()
                && !(have_spans && covered[r][c])
                && !has_text_below(&grid, r, c)
                && same_parent
            {
                grid[r][c] = grid[r][c - 1].clone();
            }
        }
    }
    grid
}

/// True for an empty cell with text only above it: the lower part of a
/// vertical span, which keeps its own column's label rather than its left
/// neighbour's.
fn has_text_below(grid: &[Vec<String>], r: usize, c: usize) -> bool {
    let below = grid
        .iter()
        .skip(r + 1)
        .any(|row| row.get(c).is_some_and(|s| !s.is_empty()));
    let above = grid
        .iter()
        .take(r)
        .any(|row| row.get(c).is_some_and(|s| !s.is_empty()));
    // An empty cell with text only above it is the lower part of a vertical span.
    !below && above
}

/// A header label that names the code column.
fn is_code_label(l: &str) -> bool {
    (l.contains("编码") || l.contains("代码") || l == "科目") && !l.contains("名称")
}

fn is_code_part_label(l: &str) -> bool {
    matches!(l, "类" | "款" | "项")
}

fn is_name_label(l: &str) -> bool {
    l.contains("名称") || l == "项目" || l.ends_with("项目") || l == "科目"
}

/// A name column of projects (项目名称, 项目), not of 项目类别.
fn names_projects(key: &str) -> bool {
    let k = norm(key);
    k.contains("项目") && !k.contains("类别") && !k.contains("科目")
}

/// A name column of budget units (单位名称, 预算单位).
fn names_units(key: &str) -> bool {
    norm(key).contains("单位")
}

/// Read a table. `two_sided_kind` says whether the table's kind prints two
/// sides.
///
/// Records come in row order, one per row and side (income before
/// expenditure). A table that is not two-sided but prints two or more like
/// label groups side by side gives its records group by group instead: every
/// record of the first group in row order, then the second group's, and so
/// on, so each group's code hierarchy reads top-down. Such records keep
/// `side: null` (the contract names only income and expenditure sides); each
/// takes its code only from its own group's code columns and keys its values
/// by its own group's leaf labels.
pub fn parse(table: &gongkai_tables::Table, two_sided_kind: bool) -> Parsed {
    let mut width = table.width();
    // Column-number rows: out of header and body (convention 2).
    let mut header: Vec<Vec<String>> = Vec::new();
    let mut header_map: Vec<usize> = Vec::new();
    for (i, r) in table.header.iter().enumerate() {
        if !is_normed_column_number_row(r) {
            header.push(pad(r, width));
            header_map.push(i);
        }
    }
    let line_no_cols: Vec<bool> = (0..width)
        .map(|c| {
            table
                .header
                .iter()
                .any(|r| r.get(c).is_some_and(|s| norm(s).contains("行次")))
        })
        .collect();
    let mut rows = Vec::new();
    let mut row_pages = Vec::new();
    for (i, r) in table.rows.iter().enumerate() {
        if is_normed_column_number_row(r) && !only_line_numbers(r, &line_no_cols) {
            continue;
        }
        rows.push(pad(r, width));
        row_pages.push(table.row_pages.get(i).copied());
    }
    // A first body row that also carries the 类 | 款 | 项 labels of the code
    // columns is the lowest header row printed in the 合计 row's band.
    let mut repairs = split_code_labels_from_first_row(&mut header, &mut rows, &row_pages);
    // Leading label-only rows of the body are header rows the table stage
    // left in the body (a second header row, or a table without a header).
    let n = leading_header_rows(&rows, header.is_empty());
    header.extend(rows.drain(..n));
    row_pages.drain(..n);
    // And the other way round: trailing header rows holding only a row label
    // in the first column (`因公出国（境）费`) are body rows.
    while header.len() > 1 {
        let Some(last) = header.last() else { break };
        let cells: Vec<usize> = (0..last.len())
            .filter(|&c| !last[c].trim().is_empty())
            .collect();
        let label = last.first().map(|s| norm(s)).unwrap_or_default();
        let body_like = cells == [0]
            && !is_code_label(&label)
            && !is_name_label(&label)
            && !label.contains("项目")
            && !label.contains("科目");
        if !body_like {
            break;
        }
        if let Some(r) = header.pop() {
            rows.insert(0, r);
            row_pages.insert(0, table.row_pages.first().copied());
        }
    }
    // A grid read from text alignment may split one column in two: the
    // label over an empty column, the amounts in an unlabelled one beside it.
    // Spans are counted over the original header rows; keep those of kept rows.
    let mut spans: Vec<gongkai_tables::Span> = table
        .spans
        .iter()
        .filter_map(|s| {
            let r = header_map.iter().position(|&h| h == s.row)?;
            Some(gongkai_tables::Span { row: r, ..*s })
        })
        .filter(|s| s.row < header.len())
        .collect();
    let stream = table.method == gongkai_tables::Method::Stream;
    // Unlabelled columns first: a label wrapped over a split column spans
    // it only until the split is undone.
    repairs.extend(merge_unlabelled_columns(&mut header, &mut rows, &mut spans));
    repairs.extend(join_wrapped_labels(&mut header, &mut spans, stream));
    repairs.extend(split_merged_items(&mut rows, &mut row_pages));
    width = header
        .iter()
        .chain(rows.iter())
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let filled = filled_header(&header, &spans, width);

    let mut columns: Vec<Column> = (0..width)
        .map(|c| {
            let leaf_row = (0..header.len()).rev().find(|&r| {
                header
                    .get(r)
                    .and_then(|row| row.get(c))
                    .is_some_and(|s| !s.trim().is_empty())
            });
            let path: Vec<String> = match leaf_row {
                Some(lr) => (0..=lr).map(|r| filled[r][c].clone()).collect(),
                None => filled
                    .iter()
                    .map(|row| row[c].clone())
                    .filter(|s| !s.is_empty())
                    .collect(),
            };
            let key = leaf_row
                .and_then(|lr| header.get(lr).and_then(|row| row.get(c)))
                .map(|s| squash_folded(s))
                .or_else(|| path.last().cloned())
                .unwrap_or_default();
            Column {
                index: c,
                role: classify(c, &key, &rows),
                side: 0,
                key,
                path,
            }
        })
        .collect();

    // Sides: a new label group starts at a code/name column after a value column.
    let mut groups = vec![0usize];
    let mut seen_value = false;
    for (i, col) in columns.iter().enumerate() {
        match col.role {
            Role::Value | Role::LineNo => seen_value = true,
            Role::Code | Role::CodePart | Role::Name if seen_value => {
                // 类/款/项 and code+name of one group stay together.
                groups.push(i);
                seen_value = false;
            }
            _ => {}
        }
    }
    let header_text: String = header.iter().flatten().map(|s| norm(s)).collect();
    // Two-sided: income on the left; on the right one expenditure part, or
    // several side by side (by function and by economic classes), each its
    // own group with side "expenditure".
    let two_sided = (groups.len() == 2
        && (two_sided_kind || (header_text.contains("收入") && header_text.contains("支出"))))
        || (groups.len() > 2 && two_sided_kind && like_groups(&columns, &groups));
    let n_groups = if two_sided || !two_sided_kind && like_groups(&columns, &groups) {
        groups.len()
    } else {
        1
    };
    if n_groups > 1 {
        for (g, &start) in groups.iter().enumerate().skip(1) {
            for col in columns.iter_mut().skip(start) {
                col.side = g;
            }
        }
    }
    // One name column per side: the first, or where a unit and its projects
    // are named side by side (单位名称 | 项目名称) the project's, with the
    // unit's naming the unit rows. Other name columns are text.
    for side in 0..n_groups {
        let names: Vec<usize> = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.side == side && c.role == Role::Name)
            .map(|(i, _)| i)
            .collect();
        let project = names
            .iter()
            .copied()
            .find(|&i| columns.get(i).is_some_and(|c| names_projects(&c.key)));
        let primary = project.or(names.first().copied());
        for &i in &names {
            if Some(i) == primary {
                continue;
            }
            if let Some(c) = columns.get_mut(i) {
                let unit_beside_project =
                    project.is_some() && i < primary.unwrap_or(0) && names_units(&c.key);
                c.role = if unit_beside_project {
                    Role::UnitName
                } else {
                    Role::Text
                };
            }
        }
    }
    dedupe_keys(&mut columns);

    // Records per group, in row order; groups are concatenated left to right
    // (a two-sided table keeps row order across its two sides).
    let mut per_group: Vec<Vec<(usize, Record)>> = vec![Vec::new(); n_groups];
    let mut last_code: Vec<Option<String>> = vec![None; n_groups];
    for (ri, row) in rows.iter().enumerate() {
        let mut sides: Vec<Option<Record>> = (0..n_groups)
            .map(|side| read_side(row, &columns, side))
            .collect();
        // Convention 5: a side with values but no label takes the row's
        // other label (in a row of several groups, the nearest labelled one).
        if n_groups > 1 {
            let labels: Vec<Option<String>> = sides
                .iter()
                .map(|s| s.as_ref().and_then(|r| r.name.clone()))
                .collect();
            for (i, s) in sides.iter_mut().enumerate() {
                if let Some(r) = s {
                    if r.name.is_none() && r.code.is_none() {
                        r.name = (1..n_groups)
                            .flat_map(|d| [i.checked_sub(d), Some(i + d)])
                            .flatten()
                            .find_map(|j| labels.get(j).cloned().flatten());
                    }
                }
            }
        }
        for (side, rec) in sides.into_iter().enumerate() {
            let Some(mut rec) = rec else { continue };
            // A code left alone on its own line (seed 003: `2101102` under
            // `[2101102]事业单位医疗`) is a fragment of the row above.
            if rec.name.is_none() && rec.values.is_empty() {
                if let Some(code) = &rec.code {
                    if last_code[side].as_deref() == Some(code.as_str()) {
                        continue;
                    }
                }
            }
            if two_sided {
                rec.side = Some(if side == 0 { "income" } else { "expenditure" }.to_string());
            }
            last_code[side] = rec.code.clone();
            per_group[side].push((ri, rec));
        }
    }
    let mut ordered: Vec<(usize, usize, Record)> = per_group
        .into_iter()
        .enumerate()
        .flat_map(|(g, recs)| recs.into_iter().map(move |(ri, r)| (ri, g, r)))
        .collect();
    if two_sided && n_groups == 2 {
        // Stable: income before expenditure within a row.
        ordered.sort_by_key(|(ri, g, _)| (*ri, *g));
    }
    let mut records = Vec::with_capacity(ordered.len());
    let mut record_rows = Vec::with_capacity(ordered.len());
    let mut record_groups = Vec::with_capacity(ordered.len());
    for (ri, g, rec) in ordered {
        records.push(rec);
        record_rows.push(ri);
        record_groups.push(g);
    }
    Parsed {
        header,
        rows,
        row_pages,
        columns,
        two_sided,
        groups: n_groups,
        records,
        record_rows,
        record_groups,
        repairs,
    }
}

/// Do the label groups (`starts`: first column of each) repeat one another,
/// as the 人员经费 | 公用经费 halves of the 决算 基本支出 table do? Every
/// group must have the same roles in the same order, with at least one
/// code/name column and one value column. A single group followed by a text
/// column (`名称 | 合计 | 人员经费 | 备注`) does not repeat, so it is never split.
fn like_groups(columns: &[Column], starts: &[usize]) -> bool {
    if starts.len() < 2 {
        return false;
    }
    let roles = |g: usize| -> Vec<Role> {
        let start = starts.get(g).copied().unwrap_or(columns.len());
        let end = starts.get(g + 1).copied().unwrap_or(columns.len());
        columns
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .map(|c| c.role)
            .collect()
    };
    let first = roles(0);
    let labelled = first
        .iter()
        .any(|r| matches!(r, Role::Code | Role::CodePart | Role::Name));
    let valued = first.contains(&Role::Value);
    labelled && valued && (1..starts.len()).all(|g| roles(g) == first)
}

/// The item rows every “三公” table prints, one per row. Two of them in one
/// cell are two rows merged by the table stage as if one were a wrapped line
/// of the other (an item row without amounts looks like a wrap).
const THREE_PUBLIC_ITEMS: &[&str] = &[
    "因公出国(境)费",
    "公务接待费",
    "公务用车购置及运行费",
    "公务用车购置及运行维护费",
    "①公务用车购置费",
    "②公务用车运行费",
    "②公务用车运行维护费",
];

/// Split a first-column cell made of two or more whole 三公 item names back
/// into rows: the amounts stay with the first item (the merged row was the
/// one without amounts).
fn split_merged_items(
    rows: &mut Vec<Vec<String>>,
    row_pages: &mut Vec<Option<u32>>,
) -> Vec<gongkai_tables::Repair> {
    let mut repairs = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let cell = rows[i].first().map(|s| norm(s)).unwrap_or_default();
        let mut parts: Vec<&str> = Vec::new();
        let mut rest = cell.as_str();
        while !rest.is_empty() {
            let Some(item) = THREE_PUBLIC_ITEMS
                .iter()
                .copied()
                .filter(|it| rest.starts_with(norm(it).as_str()))
                .max_by_key(|it| it.len())
            else {
                break;
            };
            // `rest` starts with the item's normal form, so this is a char
            // boundary; split_at_checked says so without a panic path.
            let Some((part, tail)) = rest.split_at_checked(norm(item).len()) else {
                break;
            };
            parts.push(part);
            rest = tail;
        }
        if parts.len() < 2 || !rest.is_empty() {
            i += 1;
            continue;
        }
        let printed = rows[i].first().cloned().unwrap_or_default();
        let width = rows[i].len();
        let page = row_pages.get(i).copied().flatten();
        // Keep the printed spelling: cut the printed cell at the same characters.
        let printed_chars: Vec<char> = printed.chars().filter(|c| !c.is_whitespace()).collect();
        let mut pos = 0;
        let mut names = Vec::new();
        for p in &parts {
            let len = p.chars().count();
            names.push(
                printed_chars
                    .get(pos..pos + len)
                    .map(|c| c.iter().collect::<String>())
                    .unwrap_or_else(|| p.to_string()),
            );
            pos += len;
        }
        if let (Some(first), Some(name)) = (rows[i].first_mut(), names.first()) {
            *first = name.clone();
        }
        for (k, name) in names.iter().enumerate().skip(1) {
            let mut row = vec![String::new(); width];
            if let Some(c) = row.first_mut() {
                *c = name.clone();
            }
            rows.insert(i + k, row);
            row_pages.insert(i + k, page);
        }
        repairs.push(gongkai_tables::Repair {
            kind: "merged_row_split".into(),
            page,
            row: Some(i),
            detail: format!("{printed} -> {}", names.join(" | ")),
        });
        i += names.len();
    }
    repairs
}

/// Longest header fragment (in characters) read as the wrapped tail of the
/// label above it (`拨款` under `一般公共预算财政`).
const MAX_WRAPPED_TAIL_CHARS: usize = 6;

/// Header rows found by text alignment cut a label wrapped inside its cell
/// into two rows (`对附属单位补助支` … `出`). A header row whose every label is
/// short and sits under a label of its own column (the rows between empty
/// in that column) is such a tail: each label is joined to the one above.
///
/// In a stream grid (no rules) a label wraps cell by cell, so each short
/// label under a single-column label of its own column is joined to it, row
/// by row from the bottom ("事业单" / "位经营" / "收入"), whatever the rest of
/// its row holds; a label under a group label (one spanning several columns)
/// is a child, never a tail.
fn join_wrapped_labels(
    header: &mut Vec<Vec<String>>,
    spans: &mut Vec<gongkai_tables::Span>,
    stream: bool,
) -> Vec<gongkai_tables::Repair> {
    let mut repairs = Vec::new();
    let mut r = header.len();
    while r > 1 {
        r -= 1;
        let mut cells: Vec<usize> = (0..header.get(r).map_or(0, Vec::len))
            .filter(|&c| !header[r][c].trim().is_empty())
            .collect();
        if stream {
            // Only cells under a single-column label of their own column.
            cells.retain(|&c| {
                let above = (0..r).rev().find(|&u| {
                    header
                        .get(u)
                        .and_then(|row| row.get(c))
                        .is_some_and(|s| !s.trim().is_empty())
                });
                above.is_some_and(|u| {
                    !spans
                        .iter()
                        .any(|s| s.row == u && s.col <= c && c < s.col + s.cols && s.cols > 1)
                        && !spans
                            .iter()
                            .any(|s| s.row == u && s.col < c && c < s.col + s.cols)
                })
            });
        }
        if cells.is_empty() || (!stream && cells.len() > 3) {
            continue;
        }
        let above: Vec<Option<usize>> = cells
            .iter()
            .map(|&c| {
                (0..r)
                    .rev()
                    .find(|&u| header[u].get(c).is_some_and(|s| !s.trim().is_empty()))
            })
            .collect();
        let tails = cells.iter().zip(&above).all(|(&c, a)| {
            let tail = squash_folded(
                header
                    .get(r)
                    .and_then(|h| h.get(c))
                    .map_or("", String::as_str),
            );
            // 类 / 款 / 项 and whole labels are never the tail of a wrap.
            let whole = is_code_part_label(&tail)
                || matches!(
                    tail.as_str(),
                    "合计"
                        | "小计"
                        | "金额"
                        | "行次"
                        | "栏次"
                        | "预算数"
                        | "决算数"
                        | "购置费"
                        | "运行费"
                );
            tail.chars().count() <= MAX_WRAPPED_TAIL_CHARS && a.is_some() && !whole
        });
        if !tails {
            continue;
        }
        for (&c, a) in cells.iter().zip(&above) {
            if let Some(u) = *a {
                let tail = std::mem::take(&mut header[r][c]);
                let joined = format!("{}{}", header[u][c].trim(), tail.trim());
                repairs.push(gongkai_tables::Repair {
                    kind: "wrapped_label_joined".into(),
                    page: None,
                    row: None,
                    detail: format!("{} + {} -> {joined}", header[u][c].trim(), tail.trim()),
                });
                header[u][c] = joined;
            }
        }
        if header[r].iter().all(|s| s.trim().is_empty()) {
            header.remove(r);
            spans.retain(|s| s.row != r);
            for s in spans.iter_mut().filter(|s| s.row > r) {
                s.row -= 1;
            }
        }
    }
    repairs
}

/// Merge every column without any header text into a labelled neighbour
/// whose body is empty where it has text (left neighbour first), and drop
/// unlabelled columns with an empty body. Only where at least two columns
/// are labelled: a headerless grid is left as it is.
fn merge_unlabelled_columns(
    header: &mut [Vec<String>],
    rows: &mut [Vec<String>],
    spans: &mut Vec<gongkai_tables::Span>,
) -> Vec<gongkai_tables::Repair> {
    let width = header
        .iter()
        .chain(rows.iter())
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let labelled = |c: usize, header: &[Vec<String>]| {
        header
            .iter()
            .any(|r| r.get(c).is_some_and(|s| !s.trim().is_empty()))
    };
    if (0..width).filter(|&c| labelled(c, header)).count() < 2 {
        return Vec::new();
    }
    let cell = |rows: &[Vec<String>], r: usize, c: usize| {
        rows[r].get(c).is_some_and(|s| !s.trim().is_empty())
    };
    let mut drop = vec![false; width];
    let mut repairs = Vec::new();
    for c in 0..width {
        if labelled(c, header) {
            continue;
        }
        let used: Vec<usize> = (0..rows.len()).filter(|&r| cell(rows, r, c)).collect();
        if used.is_empty() {
            drop[c] = true;
            continue;
        }
        let fits =
            |t: usize| labelled(t, header) && !drop[t] && used.iter().all(|&r| !cell(rows, r, t));
        let target = [c.checked_sub(1), Some(c + 1).filter(|&t| t < width)]
            .into_iter()
            .flatten()
            .find(|&t| fits(t));
        if let Some(t) = target {
            for &r in &used {
                let v = std::mem::take(&mut rows[r][c]);
                if let Some(dst) = rows[r].get_mut(t) {
                    *dst = v;
                }
            }
            drop[c] = true;
            repairs.push(gongkai_tables::Repair {
                kind: "unlabelled_column_merged".into(),
                page: None,
                row: None,
                detail: format!("column {c} into column {t}"),
            });
        }
    }
    if drop.iter().any(|d| *d) {
        // Spans: renumber their columns over the kept ones.
        let kept_before: Vec<usize> = (0..=width)
            .map(|c| (0..c).filter(|&k| !drop[k]).count())
            .collect();
        spans.retain(|s| s.col < width && !drop[s.col]);
        for s in spans.iter_mut() {
            let end = (s.col + s.cols).min(width);
            s.cols = (kept_before[end] - kept_before[s.col]).max(1);
            s.col = kept_before[s.col];
        }
        for r in header.iter_mut().chain(rows.iter_mut()) {
            let kept: Vec<String> = std::mem::take(r)
                .into_iter()
                .enumerate()
                .filter(|(c, _)| !drop.get(*c).copied().unwrap_or(false))
                .map(|(_, v)| v)
                .collect();
            *r = kept;
        }
    }
    repairs
}

fn pad(r: &[String], width: usize) -> Vec<String> {
    (0..width)
        .map(|c| r.get(c).cloned().unwrap_or_default())
        .collect()
}

/// Leading body rows that hold labels only (no number, no code, no
/// enumerated item, no 合计 in the label column, at least two labels — or
/// one where the table has no header at all): they are header rows the
/// table stage left in the body.
/// Shanghai's 决算 tables print the 类 | 款 | 项 labels of the code columns
/// in the same band as the 合计 row (`类 款 项 合计 2,946.25 …`), and the
/// lattice gives them one row. Left so, 合计 loses its place as a total and
/// the code columns lose their labels (so 类/款/项 are not joined into one
/// code, and their numbers are read as amounts). The labels go to a header
/// row of their own, the rest stays the first body row. Only when at least
/// two such labels lead the row, nothing else sits left of them, and the row
/// has something besides them.
fn split_code_labels_from_first_row(
    header: &mut Vec<Vec<String>>,
    rows: &mut [Vec<String>],
    row_pages: &[Option<u32>],
) -> Vec<gongkai_tables::Repair> {
    let Some(first) = rows.first_mut() else {
        return Vec::new();
    };
    let filled: Vec<usize> = (0..first.len())
        .filter(|&c| !first[c].trim().is_empty())
        .collect();
    let labels: Vec<usize> = filled
        .iter()
        .copied()
        .take_while(|&c| is_code_part_label(&norm(&first[c])))
        .collect();
    if labels.len() < 2 || labels.len() == filled.len() {
        return Vec::new();
    }
    let mut label_row = vec![String::new(); first.len()];
    for &c in &labels {
        label_row[c] = std::mem::take(&mut first[c]);
    }
    let detail = format!(
        "{} moved from the first body row to the header",
        labels
            .iter()
            .map(|&c| label_row[c].trim().to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    header.push(label_row);
    vec![gongkai_tables::Repair {
        kind: "code_labels_split_from_row".into(),
        page: row_pages.first().copied().flatten(),
        row: Some(0),
        detail,
    }]
}

fn leading_header_rows(rows: &[Vec<String>], headerless: bool) -> usize {
    let mut n = 0;
    for r in rows.iter().take(4) {
        let any_value = r.iter().any(|c| matches!(parse_cell(c), Cell::Number(_)));
        let item = r.iter().any(|c| {
            !c.trim().is_empty()
                && (enumerator_level(c).is_some() || codes::split_prefix(c).0.is_some())
        });
        let total_first = r.first().is_some_and(|c| is_grand_total_label(c));
        let labels = r.iter().filter(|c| !c.trim().is_empty()).count();
        if any_value || item || total_first || labels == 0 || (labels < 2 && !headerless) {
            break;
        }
        n += 1;
    }
    // A table of label rows only is more likely all body than all header.
    if n == rows.len() {
        0
    } else {
        n
    }
}

/// The role of column `c` from its label and its body cells.
fn classify(c: usize, key: &str, rows: &[Vec<String>]) -> Role {
    let label = norm(key);
    // 行次 / 栏次 / 序号 number the lines; they are not amounts.
    if label == "行次" || label == "栏次" || label == "序号" {
        return Role::LineNo;
    }
    if is_code_part_label(&label) {
        return Role::CodePart;
    }
    let (mut codes_n, mut nums, mut texts, mut total) = (0, 0, 0, 0);
    let mut lengths = std::collections::BTreeSet::new();
    for r in rows {
        let cell = r.get(c).map(String::as_str).unwrap_or("");
        if cell.trim().is_empty() {
            continue;
        }
        total += 1;
        let (code, rest) = codes::split_prefix(cell);
        if let Some(code) = code.filter(|_| rest.is_empty() || !norm(cell).contains('.')) {
            codes_n += 1;
            lengths.insert(code.len());
            if !rest.is_empty() {
                texts += 1;
            }
            continue;
        }
        match parse_cell(cell) {
            Cell::Number(_) => nums += 1,
            Cell::Empty => total -= 1,
            Cell::Text => texts += 1,
        }
    }
    if total == 0 {
        return if is_code_label(&label) {
            Role::Code
        } else if is_name_label(&label) {
            Role::Name
        } else {
            Role::Value
        };
    }
    if is_code_label(&label) && codes_n * 2 >= total {
        return Role::Code;
    }
    if is_code_label(&label) && texts * 2 >= total {
        // Seed 003: the name slipped into the code column.
        return Role::Code;
    }
    if texts * 2 > total {
        return Role::Name;
    }
    // An unlabelled code column: codes of several hierarchy lengths (3/5/7),
    // which integer amounts do not give.
    let hierarchy = lengths.iter().filter(|l| matches!(l, 3 | 5 | 7)).count() >= 2
        && lengths.iter().all(|l| matches!(l, 3 | 5 | 7));
    if hierarchy
        && codes_n * 2 > total
        && nums * 4 < total
        && !label.contains("金额")
        && !label.contains("数")
    {
        return Role::Code;
    }
    if nums + codes_n > 0 {
        return Role::Value;
    }
    Role::Text
}

/// Value keys: the leaf label; where two value columns of one side share it,
/// both take their header path joined with `/` (convention 4).
fn dedupe_keys(columns: &mut [Column]) {
    let n = columns.len();
    // Decide every clash on the leaf labels before any key is renamed.
    let clashes: Vec<bool> = (0..n)
        .map(|i| {
            columns[i].role == Role::Value
                && (0..n).any(|j| {
                    j != i
                        && columns[j].role == Role::Value
                        && columns[j].side == columns[i].side
                        && norm(&columns[j].key) == norm(&columns[i].key)
                })
        })
        .collect();
    for i in 0..n {
        if clashes[i] {
            let mut parts: Vec<String> = Vec::new();
            for p in &columns[i].path {
                if !p.is_empty() && parts.last() != Some(p) {
                    parts.push(p.clone());
                }
            }
            if !parts.is_empty() {
                columns[i].key = parts.join("/");
            }
        }
    }
    // Paths may still clash (identical headers): number the later ones.
    for i in 0..n {
        if columns[i].role != Role::Value {
            continue;
        }
        let same = (0..i)
            .filter(|&j| {
                columns[j].role == Role::Value
                    && columns[j].side == columns[i].side
                    && columns[j].key == columns[i].key
            })
            .count();
        if same > 0 {
            columns[i].key = format!("{}#{}", columns[i].key, same + 1);
        }
    }
}

/// One side of one row as a record, or `None` where it holds nothing.
fn read_side(row: &[String], columns: &[Column], side: usize) -> Option<Record> {
    let mut code: Option<String> = None;
    let mut name: Option<String> = None;
    let mut parts: Vec<String> = Vec::new();
    let mut values = BTreeMap::new();
    let mut total_in_code = false;
    let mut unit_name: Option<String> = None;
    for col in columns.iter().filter(|c| c.side == side) {
        let cell = row.get(col.index).map(|s| s.trim()).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        match col.role {
            Role::Code => {
                if is_grand_total_label(cell) {
                    total_in_code = true;
                    continue;
                }
                let (c, rest) = split_code_cell(cell);
                if code.is_none() {
                    code = c;
                }
                if !rest.is_empty() && name.is_none() {
                    name = Some(rest);
                }
            }
            Role::CodePart => {
                let n = norm(cell);
                if n.bytes().all(|b| b.is_ascii_digit()) {
                    parts.push(n);
                } else if name.is_none() {
                    // 合计 printed across the 类/款/项 columns.
                    name = Some(squash_folded(cell));
                }
            }
            Role::Name => {
                let (c, rest) = codes::split_prefix(cell);
                // A code printed on the name wins over the code column,
                // which may belong to the row's neighbour (seed 003).
                if let Some(c) = c {
                    code = Some(c);
                }
                if !rest.is_empty() {
                    name = Some(squash_folded(&rest));
                }
            }
            Role::Value => {
                if let Cell::Number(v) = parse_cell(cell) {
                    values.insert(col.key.clone(), v);
                }
            }
            Role::UnitName => {
                if unit_name.is_none() && !cell.trim().is_empty() {
                    unit_name = Some(squash_folded(cell));
                }
            }
            Role::LineNo | Role::Text => {}
        }
    }
    if name.is_none() && code.is_none() {
        name = unit_name;
    }
    if code.is_none() && !parts.is_empty() && parts[0].len() >= 3 {
        code = Some(parts.concat());
    }
    if total_in_code && name.is_none() {
        name = Some("合计".to_string());
    }
    if let Some(n) = &name {
        if is_grand_total_label(n) {
            code = None;
        }
    }
    if code.is_none() && name.is_none() && values.is_empty() {
        return None;
    }
    let level = match &code {
        Some(c) => codes::level(c),
        None => name.as_deref().and_then(enumerator_level),
    };
    Some(Record {
        side: None,
        code,
        name,
        level,
        values,
    })
}

/// A code-column cell: a code, a code with its name, or `201 13 01` printed
/// in one cell.
fn split_code_cell(cell: &str) -> (Option<String>, String) {
    let groups: Vec<&str> = cell.split_whitespace().collect();
    if groups.len() > 1
        && groups[0].len() == 3
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 2)
    {
        return (Some(groups.concat()), String::new());
    }
    let (c, rest) = codes::split_prefix(cell);
    (c, squash_folded(&rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_tables::{Method, Table};

    fn grid(s: &[&str]) -> Vec<Vec<String>> {
        s.iter()
            .map(|r| r.split('|').map(str::to_string).collect())
            .collect()
    }

    fn table(header: &[&str], rows: &[&str]) -> Table {
        Table {
            title: None,
            caption: vec![],
            notes: vec![],
            pages: vec![1],
            method: Method::Lattice,
            header: grid(header),
            rows: grid(rows),
            row_pages: vec![],
            spans: vec![],
            repairs: vec![],
            regions: vec![],
            ocr: false,
        }
    }

    fn find<'a>(p: &'a Parsed, side: Option<&str>, key: &str) -> &'a Record {
        p.records
            .iter()
            .find(|r| {
                r.side.as_deref() == side
                    && (r.code.as_deref() == Some(key) || r.name.as_deref() == Some(key))
            })
            .unwrap_or_else(|| panic!("{key} not in {:#?}", p.records))
    }

    #[test]
    fn two_sided_overview() {
        // Seed 000's 表一, with its two header rows.
        let t = table(
            &[
                "收入||支出|||",
                "项目|2025年|项目|2025年合计|当年预算安排|上年结转安排",
            ],
            &[
                "一、一般公共预算|14519.86|一、一般公共服务支出|1.09|1.09|",
                "二、政府性基金预算||二、外交支出|||",
                "||三、国防支出|—|-|",
                "本年收入合计|20656.65|本年支出合计|20656.65|20656.65|",
                "合计|20656.65||20656.65||",
            ],
        );
        let p = parse(&t, true);
        assert!(p.two_sided);
        let r = find(&p, Some("income"), "一、一般公共预算");
        assert_eq!(r.values.get("2025年"), Some(&14519.86));
        assert_eq!(r.level, Some(1));
        let r = find(&p, Some("expenditure"), "一、一般公共服务支出");
        assert_eq!(r.values.len(), 2);
        assert!(!r.values.contains_key("上年结转安排"));
        // A side with a name and no values is still a record; dashes are empty.
        assert!(find(&p, Some("income"), "二、政府性基金预算")
            .values
            .is_empty());
        assert!(find(&p, Some("expenditure"), "三、国防支出")
            .values
            .is_empty());
        assert!(!p
            .records
            .iter()
            .any(|r| r.side.as_deref() == Some("income") && r.name.is_none()));
        // 合计 printed once: the expenditure side takes the row's other label (convention 5).
        let totals: Vec<_> = p
            .records
            .iter()
            .filter(|r| r.name.as_deref() == Some("合计"))
            .collect();
        assert_eq!(totals.len(), 2);
        assert_eq!(totals[1].side.as_deref(), Some("expenditure"));
        assert_eq!(totals[1].values.get("2025年合计"), Some(&20656.65));
    }

    #[test]
    fn code_labels_in_the_total_row_band_go_to_the_header() {
        let t = table(
            &[
                "项目||||本年收入合计|财政拨款收入",
                "支出功能分类科目编码|||科目名称||",
            ],
            &[
                "类|款|项|合计|2,946.25|2,940.05",
                "201|||一般公共服务支出|2,112.86|2,106.66",
                "201|06|01|行政运行|1,511.90|1,511.89",
            ],
        );
        let p = parse(&t, false);
        assert!(!p.two_sided);
        assert_eq!(p.header.len(), 3);
        let r = find(&p, None, "2010601");
        assert_eq!(r.level, Some(3));
        assert_eq!(r.values.get("本年收入合计"), Some(&1511.9));
        assert_eq!(r.values.len(), 2);
        let total = find(&p, None, "合计");
        assert_eq!(total.values.get("本年收入合计"), Some(&2946.25));
        assert!(p
            .repairs
            .iter()
            .any(|x| x.kind == "code_labels_split_from_row"));
        // A row of the labels alone is a header row already (not split).
        let t = table(
            &["科目编码|||科目名称|合计"],
            &["类|款|项||", "201|||一般公共服务支出|5.00"],
        );
        let p = parse(&t, false);
        assert!(!p
            .repairs
            .iter()
            .any(|x| x.kind == "code_labels_split_from_row"));
        assert_eq!(find(&p, None, "201").values.get("合计"), Some(&5.0));
    }

    #[test]
    fn rows_of_line_numbers_stay_rows() {
        let r = |s: &str| s.split('|').map(str::to_string).collect::<Vec<_>>();
        let line_no = [false, true, false, false, true, false];
        // 行次 30 and 61 of a two-sided 收支总表 whose labels are empty.
        assert!(only_line_numbers(&r("|30|||61|"), &line_no));
        // Column numbers count from 1; numbers in label columns are not
        // line numbers (a shifted grid).
        assert!(!only_line_numbers(&r("|1|||2|"), &line_no));
        assert!(!only_line_numbers(&r("29|||61||"), &line_no));
        let t = table(
            &["收入|||支出||", "项目|行次|金额|项目|行次|金额"],
            &[
                "八、其他收入|8|12.54|八、社会保障和就业支出|39|18409.67",
                "|30|||61|",
                "总计|31|44922.84|总计|62|44922.84",
            ],
        );
        let p = parse(&t, true);
        assert_eq!(p.rows.len(), 3);
        assert_eq!(p.records.len(), 4);
    }

    #[test]
    fn shanghai_code_parts_and_column_numbers() {
        let t = table(
            &[
                "项目||||收入预算||",
                "功能分类科目编码|||功能分类科目名称|合计|财政拨款收入|事业收入",
                "类|款|项||||",
            ],
            &[
                "201|||一般公共服务支出|21,601,733.00|21,601,733.00|",
                "201|13||商贸事务|21,601,733.00|21,601,733.00|",
                "201|13|01|行政运行|9,389,913.00|9,389,913.00|0",
                "|||合计|371,514,655.00|371,514,655.00|",
            ],
        );
        let p = parse(&t, false);
        assert!(!p.two_sided);
        let r = find(&p, None, "2011301");
        assert_eq!(r.name.as_deref(), Some("行政运行"));
        assert_eq!(r.level, Some(3));
        // 类/款/项 give no values; a printed 0 is a value (convention 12).
        assert_eq!(r.values.len(), 3);
        assert_eq!(r.values.get("事业收入"), Some(&0.0));
        assert_eq!(find(&p, None, "20113").level, Some(2));
        let total = find(&p, None, "合计");
        assert_eq!(total.code, None);
        assert_eq!(total.values.get("合计"), Some(&371514655.0));

        // The column-number row is dropped from header and body (convention 2);
        // 合计 in the code column gives code null, name 合计 (convention 6).
        let t = table(
            &["科目编码|科目名称|合计|基本支出|项目支出"],
            &[
                "栏次||1|2|3",
                "合计||10.00|4.00|6.00",
                "2010301|行政运行|4.00|4.00|",
            ],
        );
        let p = parse(&t, false);
        assert_eq!(p.rows.len(), 2);
        let r = &p.records[0];
        assert_eq!((r.code.as_deref(), r.name.as_deref()), (None, Some("合计")));
    }

    #[test]
    fn duplicate_labels_take_header_paths() {
        // The 决算 三公 table: 预算数/决算数 under every item.
        let t = table(
            &[
                "合计||因公出国（境）费||公务用车购置及运行维护费||||||公务接待费|",
                "||||小计||公务用车购置费||公务用车运行维护费|||",
                "预算数|决算数|预算数|决算数|预算数|决算数|预算数|决算数|预算数|决算数|预算数|决算数",
            ],
            &["36.85|30.59|1.48|1.18|32.11|26.9|25|21.5|7.11|5.4|3.26|2.51"],
        );
        let p = parse(&t, false);
        let v = &p.records[0].values;
        assert_eq!(v.get("合计/预算数"), Some(&36.85), "{v:?}");
        assert_eq!(v.get("因公出国（境）费/决算数"), Some(&1.18));
        assert_eq!(v.get("公务用车购置及运行维护费/小计/预算数"), Some(&32.11));
        assert_eq!(
            v.get("公务用车购置及运行维护费/公务用车运行维护费/决算数"),
            Some(&5.4)
        );
        assert_eq!(v.get("公务接待费/预算数"), Some(&3.26), "{v:?}");
        assert_eq!(v.get("公务接待费/决算数"), Some(&2.51));
        assert_eq!(v.len(), 12);
    }

    #[test]
    fn wrapped_header_labels_are_joined() {
        let mut t = table(
            &[
                "收入|||||支出|||",
                "||||||一般公共预算财政|政府性基金预算财|国有资本经营预算",
                "项目|行次|金额|项目|行次|合计|||",
                "||||||拨款|政拨款|财政拨款",
            ],
            &["一、一般公共预算财政拨款收入|1|19167.11|一、一般公共服务支出|32|1261.48|1261.48||"],
        );
        t.method = Method::Stream;
        let p = parse(&t, true);
        let keys: Vec<&str> = p.value_columns(1).map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "合计",
                "一般公共预算财政拨款",
                "政府性基金预算财政拨款",
                "国有资本经营预算财政拨款"
            ]
        );
        assert_eq!(p.header.len(), 3);
        // A genuine child row (several labels, not all under a label) stays.
        let t = table(
            &["项目||本年收入|", "科目编码|科目名称|合计|一般公共预算"],
            &["201|一般公共服务支出|1.00|1.00"],
        );
        assert_eq!(parse(&t, false).header.len(), 2);
    }

    #[test]
    fn merged_three_public_items_are_split() {
        let t = table(
            &["项目|合计|一般公共预算"],
            &[
                "因公出国（境）费公务接待费|5.04|5.04",
                "公务用车购置及运行费|4.44|4.44",
                "合计|9.48|9.48",
            ],
        );
        let p = parse(&t, false);
        let names: Vec<&str> = p.records.iter().filter_map(|r| r.name.as_deref()).collect();
        assert_eq!(
            names,
            [
                "因公出国（境）费",
                "公务接待费",
                "公务用车购置及运行费",
                "合计"
            ]
        );
        assert_eq!(p.records[0].values.get("合计"), Some(&5.04));
        assert!(p.records[1].values.is_empty());
        assert_eq!(p.repairs.len(), 1);
    }

    /// Codes and names of the records, in order.
    fn labels(p: &Parsed) -> Vec<String> {
        p.records
            .iter()
            .map(|r| {
                r.code
                    .clone()
                    .or_else(|| r.name.clone())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn two_like_groups_side_by_side() {
        // The 决算 基本支出 table: 人员经费 on the left, 公用经费 on the right,
        // codes printed across 类/款 columns in each group.
        let t = table(
            &[
                "经济分类科目编码||科目名称|决算数|经济分类科目编码||科目名称|决算数",
                "类|款|||类|款||",
            ],
            &[
                "301||工资福利支出|2,082.85|302||商品和服务支出|171.07",
                "301|01|基本工资|262.33|302|01|办公费|21.21",
                "301|02|津贴补贴||302|02|印刷费|7.61",
                "303||对个人和家庭的补助|69.41|302|99|其他商品和服务支出|142.25",
                "303|02|退休费|69.41|310||资本性支出|13.58",
                "||||310|02|办公设备购置|13.58",
                "人员经费合计|||2,152.26|公用经费合计|||184.65",
            ],
        );
        let p = parse(&t, false);
        assert!(!p.two_sided);
        assert_eq!(p.groups, 2);
        // Group by group, each in row order, each ending with its own total.
        assert_eq!(
            labels(&p),
            [
                "301",
                "30101",
                "30102",
                "303",
                "30302",
                "人员经费合计",
                "302",
                "30201",
                "30202",
                "30299",
                "310",
                "31002",
                "公用经费合计"
            ]
        );
        assert_eq!(p.record_groups, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(p.record_rows, [0, 1, 2, 3, 4, 6, 0, 1, 2, 3, 4, 5, 6]);
        let r = find(&p, None, "302");
        assert_eq!(r.name.as_deref(), Some("商品和服务支出"));
        assert_eq!(r.level, Some(1));
        // Values keyed by the group's own leaf label, never 决算数#2.
        assert_eq!(r.values, BTreeMap::from([("决算数".to_string(), 171.07)]));
        assert_eq!(find(&p, None, "301").values.get("决算数"), Some(&2082.85));
        assert!(find(&p, None, "30102").values.is_empty());
        assert_eq!(find(&p, None, "30201").level, Some(2));
        let total = find(&p, None, "公用经费合计");
        assert_eq!((total.code.as_deref(), total.level), (None, None));
        assert_eq!(total.values.get("决算数"), Some(&184.65));
        assert!(p.records.iter().all(|r| r.side.is_none()));
    }

    #[test]
    fn three_like_groups_side_by_side() {
        let t = table(
            &["科目编码|科目名称|决算数|科目编码|科目名称|决算数|科目编码|科目名称|决算数"],
            &[
                "301|工资福利支出|7.00|302|商品和服务支出|2.00|307|债务利息及费用支出|",
                "30101|基本工资|7.00|30201|办公费|2.00|30701|国内债务付息|",
                "303|对个人和家庭的补助|1.00||||310|资本性支出|0.50",
                "30302|退休费|1.00||||31002|办公设备购置|0.50",
                "人员经费合计||8.00|公用经费合计||2.50|||",
            ],
        );
        let p = parse(&t, false);
        assert_eq!(p.groups, 3);
        assert_eq!(
            labels(&p),
            [
                "301",
                "30101",
                "303",
                "30302",
                "人员经费合计",
                "302",
                "30201",
                "公用经费合计",
                "307",
                "30701",
                "310",
                "31002"
            ]
        );
        let r = find(&p, None, "31002");
        assert_eq!(r.name.as_deref(), Some("办公设备购置"));
        assert_eq!(r.values.get("决算数"), Some(&0.5));
        assert!(find(&p, None, "307").values.is_empty());
        assert!(p
            .records
            .iter()
            .all(|r| r.values.keys().all(|k| k == "决算数")));
    }

    #[test]
    fn unlike_groups_are_not_split() {
        // A single group whose amounts are followed by a text column.
        let t = table(
            &["项目名称|合计|人员经费|备注"],
            &["办公楼维修|10.00|4.00|分两年实施", "合计|10.00|4.00|"],
        );
        let p = parse(&t, false);
        assert_eq!(p.groups, 1);
        assert_eq!(labels(&p), ["办公楼维修", "合计"]);
        assert_eq!(p.records[0].values.len(), 2);
        // The budget samples' 基本支出 table: one group, three amounts.
        let t = table(
            &["科目编码||科目名称|合计|人员经费|公用经费", "类|款||||"],
            &[
                "301||工资福利支出|5.00|5.00|",
                "302|01|办公费|1.00||1.00",
                "||合计|6.00|5.00|1.00",
            ],
        );
        let p = parse(&t, false);
        assert_eq!(p.groups, 1);
        assert_eq!(find(&p, None, "30201").values.get("公用经费"), Some(&1.0));
        assert_eq!(find(&p, None, "合计").values.len(), 3);
        // A two-sided kind with like groups stays income | expenditure.
        let t = table(
            &["项目|金额|项目|金额"],
            &["一、一般公共预算|5.00|一、一般公共服务支出|5.00"],
        );
        let p = parse(&t, true);
        assert!(p.two_sided);
        assert_eq!(p.records[1].side.as_deref(), Some("expenditure"));
    }

    #[test]
    fn line_number_columns_give_no_value() {
        let t = table(
            &["收入|||支出||", "项目|行次|金额|项目|行次|金额"],
            &[
                "栏次||1|栏次||2",
                "一、一般公共预算财政拨款收入|1|19167.11|一、一般公共服务支出|32|2184.99",
            ],
        );
        let p = parse(&t, true);
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[0].values.len(), 1);
        assert_eq!(p.records[0].values.get("金额"), Some(&19167.11));
        assert_eq!(p.records[1].values.get("金额"), Some(&2184.99));
    }
}
