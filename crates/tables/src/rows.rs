//! Wrapped-row merging: a logical row printed over several lines comes back as
//! one row. Three shapes occur in disclosures:
//! - a subject code that landed on a line of its own (seed 003's `2101102`),
//!   moved into the neighbouring row whose code cell is empty;
//! - a name that wrapped: a line with text only in one text column, no code
//!   and no amount, appended to the row it belongs to (above, or below when
//!   geometry says the line sits closer to the row below);
//! - amounts on the line after their code and name, joined up.
//!
//! Every merge is reported so it can be recorded as `split_row_merged`.

use crate::cells::{is_amount, is_code, is_enumerated, is_han, is_total_label};
use crate::header::is_data_amount;
use crate::table::Row;

/// What a column mostly holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Code,
    Amount,
    Text,
}

/// Each column's role from its non-empty body cells (a majority vote).
pub fn column_roles(rows: &[Row], width: usize) -> Vec<Role> {
    (0..width)
        .map(|c| {
            let cells: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.cells.get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            let n = cells.len();
            if n == 0 {
                return Role::Amount;
            }
            let codes = cells.iter().filter(|s| is_code(s)).count();
            let amounts = cells.iter().filter(|s| is_amount(s)).count();
            // A code column holds subject codes: 类, 款 and 项 codes have 3,
            // 5 and 7 digits, and a cell longer than 9 characters is a name.
            const MAX_CODE_CHARS: usize = 9;
            if codes * 2 > n
                && codes >= 2
                && cells.iter().all(|s| s.chars().count() <= MAX_CODE_CHARS)
            {
                Role::Code
            } else if amounts * 2 > n {
                Role::Amount
            } else {
                Role::Text
            }
        })
        .collect()
}

/// A merge that was made: the row it went into (index in the output) and a
/// description.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    pub into: usize,
    pub page: u32,
    pub detail: String,
}

fn non_empty(r: &Row) -> Vec<usize> {
    r.cells
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.trim().is_empty())
        .map(|(i, _)| i)
        .collect()
}

fn cell(r: &Row, c: usize) -> &str {
    r.cells.get(c).map(|s| s.trim()).unwrap_or("")
}

/// Join two pieces of one cell's text: no space between CJK, one between Latin.
pub fn join_text(a: &str, b: &str) -> String {
    let a = a.trim_end();
    let b = b.trim_start();
    if a.is_empty() {
        return b.to_string();
    }
    if b.is_empty() {
        return a.to_string();
    }
    let last = a.chars().last().unwrap_or(' ');
    let first = b.chars().next().unwrap_or(' ');
    if last.is_ascii_alphanumeric() && first.is_ascii_alphanumeric()
        || (last.is_ascii_punctuation() && !is_han(first) && first.is_ascii_alphanumeric())
    {
        format!("{a} {b}")
    } else {
        format!("{a}{b}")
    }
}

fn set_cell(r: &mut Row, c: usize, text: String) {
    if r.cells.len() <= c {
        r.cells.resize(c + 1, String::new());
    }
    if let Some(x) = r.cells.get_mut(c) {
        *x = text;
    }
}

fn absorb(target: &mut Row, src: Row, append: bool) {
    for (c, s) in src.cells.iter().enumerate() {
        if s.trim().is_empty() {
            continue;
        }
        let old = cell(target, c).to_string();
        let new = if append {
            join_text(&old, s)
        } else {
            join_text(s, &old)
        };
        set_cell(target, c, new);
    }
    target.origins.extend(src.origins);
    target.origins.sort_unstable();
    if let (Some((t0, t1)), Some((s0, s1))) = (target.y, src.y) {
        target.y = Some((t0.min(s0), t1.max(s1)));
    }
}

/// Merge wrapped rows; returns the merged rows and the merges made.
pub fn merge_wrapped(rows: Vec<Row>, roles: &[Role]) -> (Vec<Row>, Vec<Merge>) {
    let role = |c: usize| roles.get(c).copied().unwrap_or(Role::Text);
    let has_code_col = roles.contains(&Role::Code);
    let text_only = rows
        .iter()
        .filter(|r| {
            let ne = non_empty(r);
            !ne.is_empty()
                && ne
                    .iter()
                    .all(|&c| role(c) == Role::Text && !is_amount(cell(r, c)))
        })
        .count();
    // Tables whose rows are often text-only (items with no amount, forms) do
    // not wrap names into rows of their own often enough to guess safely.
    // Such a table is one where more than 2 rows in 5 are text-only.
    const TEXT_ONLY_FIFTHS: usize = 2;
    let fragments_allowed = has_code_col || text_only * 5 <= rows.len() * TEXT_ONLY_FIFTHS;

    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut merges = Vec::new();
    let mut pending: Option<Row> = None; // a fragment waiting for the row below
    let mut last_took_from_above = false;
    let mut iter = rows.into_iter().peekable();
    while let Some(row) = iter.next() {
        let ne = non_empty(&row);
        let prev = out.last();
        // (1) A code alone on its line.
        if ne.len() == 1 && role(ne[0]) == Role::Code && is_code(cell(&row, ne[0])) {
            let c = ne[0];
            let code = cell(&row, c).to_string();
            let prev_takes =
                prev.is_some_and(|p| cell(p, c).is_empty() && !non_empty(p).is_empty());
            let next_takes = iter
                .peek()
                .is_some_and(|n| cell(n, c).is_empty() && !non_empty(n).is_empty());
            if prev_takes {
                let i = out.len() - 1;
                if let Some(p) = out.last_mut() {
                    absorb(p, row.clone(), true);
                    merges.push(Merge {
                        into: i,
                        page: row.page,
                        detail: format!("code {code} on its own line joined to the row above"),
                    });
                }
                continue;
            }
            if next_takes {
                if let Some(mut n) = iter.next() {
                    let page = row.page;
                    absorb(&mut n, row, false);
                    merges.push(Merge {
                        into: out.len(),
                        page,
                        detail: format!("code {code} on its own line joined to the row below"),
                    });
                    out.push(n);
                }
                continue;
            }
        }
        // (2) A wrapped piece of a name: one text column, no code, no amount.
        let fragment = fragments_allowed && ne.len() == 1 && role(ne[0]) == Role::Text && {
            let t = cell(&row, ne[0]);
            !is_amount(t) && !is_code(t) && !is_enumerated(t) && !is_total_label(t)
        };
        if fragment {
            let c = ne[0];
            let text = cell(&row, c).to_string();
            let prev_ok = prev.is_some_and(|p| !cell(p, c).is_empty() && is_main_row(p));
            let next_ok = iter
                .peek()
                .is_some_and(|n| !cell(n, c).is_empty() && is_main_row(n));
            // A row whose code and amounts sit on a line with an empty name
            // cell is waiting for its (vertically centred, wrapped) name.
            let next_waits = iter
                .peek()
                .is_some_and(|n| cell(n, c).is_empty() && is_main_row(n));
            let prev_waits = prev.is_some_and(|p| cell(p, c).is_empty() && is_main_row(p));
            // The row above took the first part of its name from above: the
            // rest of the name follows it.
            let prev_centred = last_took_from_above && prev.is_some();
            let below = if next_waits && !prev_waits && !prev_centred {
                true
            } else if prev_waits || prev_centred {
                false
            } else {
                match (
                    prev_ok,
                    next_ok,
                    prev.and_then(|p| p.y),
                    row.y,
                    iter.peek().and_then(|n| n.y),
                ) {
                    (true, true, Some((_, p1)), Some((r0, r1)), Some((n0, _))) => n0 - r1 < r0 - p1,
                    (false, true, ..) => true,
                    _ => false,
                }
            };
            let prev_ok = prev_ok || prev_waits || prev_centred;
            if below {
                pending = Some(match pending.take() {
                    Some(mut p) => {
                        absorb(&mut p, row, true);
                        p
                    }
                    None => row,
                });
                continue;
            }
            if prev_ok {
                let i = out.len() - 1;
                if let Some(p) = out.last_mut() {
                    let page = row.page;
                    absorb(p, row, true);
                    merges.push(Merge {
                        into: i,
                        page,
                        detail: format!("wrapped text \"{text}\" joined to the row above"),
                    });
                }
                last_took_from_above = false;
                continue;
            }
        }
        // (3) Amounts alone, after a row with a code or name but no amount.
        let amounts_only = !ne.is_empty() && ne.iter().all(|&c| is_amount(cell(&row, c)));
        if amounts_only && pending.is_none() {
            if let Some(p) = out.last() {
                let p_has_amount = p.cells.iter().any(|s| is_data_amount(s));
                let fits = ne.iter().all(|&c| cell(p, c).is_empty());
                if !p_has_amount && fits && !non_empty(p).is_empty() {
                    let i = out.len() - 1;
                    if let Some(p) = out.last_mut() {
                        let page = row.page;
                        absorb(p, row, true);
                        merges.push(Merge {
                            into: i,
                            page,
                            detail: "amounts on the next line joined to their row".into(),
                        });
                    }
                    continue;
                }
            }
        }
        let mut row = row;
        last_took_from_above = pending.is_some();
        if let Some(p) = pending.take() {
            let text: Vec<String> = p
                .cells
                .iter()
                .filter(|s| !s.trim().is_empty())
                .cloned()
                .collect();
            absorb(&mut row, p, false);
            merges.push(Merge {
                into: out.len(),
                page: row.page,
                detail: format!("wrapped text \"{}\" joined to the row below", text.join("")),
            });
        }
        out.push(row);
    }
    if let Some(p) = pending {
        out.push(p);
    }
    (out, merges)
}

/// A row that stands on its own: it has a code, an amount, or an enumerated or
/// total label.
fn is_main_row(r: &Row) -> bool {
    r.cells.iter().any(|s| {
        let t = s.trim();
        is_code(t) || is_amount(t) || is_enumerated(t) || is_total_label(t)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(s: &str) -> Vec<Row> {
        s.lines()
            .enumerate()
            .map(|(i, l)| Row {
                cells: l.split('\t').map(str::to_string).collect(),
                page: 1,
                origins: vec![i],
                y: None,
            })
            .collect()
    }

    #[test]
    fn code_on_its_own_line_joins_the_row_above() {
        let r = rows("2101101\t[2101101]行政单位医疗\t37.82\n\t[2101102]事业单位医疗\t1.86\n2101102\t\t\n213\t[213]农林水支出\t8.25");
        let roles = column_roles(&r, 3);
        assert_eq!(roles, vec![Role::Code, Role::Text, Role::Amount]);
        let (out, merges) = merge_wrapped(r, &roles);
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[1].cells,
            vec!["2101102", "[2101102]事业单位医疗", "1.86"]
        );
        assert_eq!(out[1].origins, vec![1, 2]);
        assert_eq!(merges.len(), 1);
        assert_eq!(merges[0].into, 1);
    }

    #[test]
    fn wrapped_name_joins_above_and_enumerated_rows_stay() {
        let r = rows("2010399\t其他政府办公厅（室）\t1192.18\n\t及相关机构事务支出\t\n20104\t发展与改革事务\t0.50\n\t六、科学技术支出\t");
        let roles = column_roles(&r, 3);
        let (out, merges) = merge_wrapped(r, &roles);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].cells[1], "其他政府办公厅（室）及相关机构事务支出");
        assert_eq!(out[2].cells[1], "六、科学技术支出");
        assert_eq!(merges.len(), 1);
    }

    #[test]
    fn geometry_sends_a_fragment_to_the_closer_row() {
        let mut r = rows(
            "201\t一般公共服务\t1.00\n\t其他政府办公厅\t\n2010399\t（室）事务\t2.00\n\t支出\t",
        );
        let ys = [(0.0, 10.0), (14.0, 22.0), (23.0, 31.0), (32.0, 40.0)];
        for (row, y) in r.iter_mut().zip(ys) {
            row.y = Some(y);
        }
        let roles = column_roles(&r, 3);
        let (out, _) = merge_wrapped(r, &roles);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].cells[1], "其他政府办公厅（室）事务支出");
    }

    #[test]
    fn centred_codes_take_the_name_lines_above_and_below() {
        // Code and amounts vertically centred on a two-line name.
        let r = rows("201\t一般公共服务支出\t1.00\n\t政府办公厅（室）及相关\t\n20103\t\t2.00\n\t机构事务\t\n\t其他政府办公厅\t\n2010399\t\t3.00\n\t事务支出\t");
        let roles = column_roles(&r, 3);
        let (out, merges) = merge_wrapped(r, &roles);
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[1].cells,
            vec!["20103", "政府办公厅（室）及相关机构事务", "2.00"]
        );
        assert_eq!(
            out[2].cells,
            vec!["2010399", "其他政府办公厅事务支出", "3.00"]
        );
        assert_eq!(merges.len(), 4);
    }

    #[test]
    fn amounts_on_the_next_line_join_their_row() {
        let r = rows("20103\t政府办公厅（室）及相关机构事务\t\t\n\t\t1436.06\t1418.56\n2010301\t行政运行\t85.06\t85.06");
        let roles = column_roles(&r, 4);
        let (out, merges) = merge_wrapped(r, &roles);
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[0].cells,
            vec![
                "20103",
                "政府办公厅（室）及相关机构事务",
                "1436.06",
                "1418.56"
            ]
        );
        assert_eq!(merges.len(), 1);
    }

    #[test]
    fn latin_pieces_get_one_space() {
        assert_eq!(join_text("Total", "amount"), "Total amount");
        assert_eq!(join_text("行政", "运行"), "行政运行");
    }
}
