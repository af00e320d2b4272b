//! Rows cut by a page break: the first row of a page that only finishes the
//! last row of the page before is joined to it (step `page_split_rows`).

use crate::settings::Settings;
use crate::table::{RawTable, Repair, Row, SPLIT_ROW_MERGED};

/// Join each row that a page break cut to the row it finishes.
pub fn page_split_rows(raw: &mut RawTable, _settings: &Settings) -> Vec<Repair> {
    let k = raw.header_len();
    let body = raw.rows.split_off(k);
    let (body, repairs) = join_page_split_rows(body);
    raw.rows.extend(body);
    repairs
}

/// An amount cut short at the end of a page: digits with at most one
/// decimal after its point ("12,437.3" of 12,437.36).
fn is_cut_amount(s: &str) -> bool {
    let t = s.trim();
    match t.rsplit_once('.') {
        Some((int, dec)) => {
            dec.len() <= 1
                && dec.chars().all(|c| c.is_ascii_digit())
                && !int.is_empty()
                && int
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '-')
        }
        None => false,
    }
}

/// An amount printed with two decimals.
fn is_whole_amount(s: &str) -> bool {
    let t = s.trim();
    t.rsplit_once('.').is_some_and(|(int, dec)| {
        dec.len() == 2
            && dec.chars().all(|c| c.is_ascii_digit())
            && int
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '-')
    })
}

/// A row cut by a page break: the first row of a page that only finishes
/// the cells of the last row of the page before (the rest of a name, the
/// last decimal of an amount: "杭州市机动" + "车驾驶员考试服务中心",
/// "12,437.3" + "6"). Its cells are joined to that row's.
pub(crate) fn join_page_split_rows(rows: Vec<Row>) -> (Vec<Row>, Vec<Repair>) {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut repairs = Vec::new();
    for r in rows {
        let finishes = out.last().is_some_and(|prev: &Row| {
            if prev.page == r.page || !prev.cells.iter().any(|c| is_whole_amount(c)) {
                return false;
            }
            let filled: Vec<usize> = (0..r.cells.len())
                .filter(|&c| r.cells.get(c).is_some_and(|x| !x.trim().is_empty()))
                .collect();
            !filled.is_empty()
                && filled
                    .iter()
                    .any(|&c| prev.cells.get(c).is_some_and(|p| is_cut_amount(p)))
                && filled.iter().all(|&c| {
                    let (a, b) = (
                        prev.cells.get(c).map_or("", |s| s.trim()),
                        r.cells.get(c).map_or("", |x| x.trim()),
                    );
                    let digits = b.chars().all(|ch| ch.is_ascii_digit());
                    if digits {
                        is_cut_amount(a)
                    } else {
                        !a.is_empty() && !is_whole_amount(a) && !crate::cells::is_amount(b)
                    }
                })
        });
        match out.last_mut() {
            Some(prev) if finishes => {
                for (c, cell) in r.cells.iter().enumerate() {
                    if cell.trim().is_empty() {
                        continue;
                    }
                    if let Some(p) = prev.cells.get_mut(c) {
                        let joined = format!("{}{}", p.trim(), cell.trim());
                        *p = joined;
                    }
                }
                prev.origins.extend(r.origins.iter().copied());
                repairs.push(Repair {
                    kind: SPLIT_ROW_MERGED.into(),
                    page: Some(r.page),
                    row: None,
                    detail: format!(
                        "row cut by the page break before page {}: \"{}\" joined to the row above",
                        r.page,
                        r.cells.join(" ").trim()
                    ),
                });
            }
            _ => out.push(r),
        }
    }
    (out, repairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_cut_by_the_page_break_is_joined() {
        let row = |page: u32, cells: &[&str]| Row {
            cells: cells.iter().map(|s| s.to_string()).collect(),
            page,
            origins: vec![],
            y: None,
        };
        let rows = vec![
            row(21, &["杭州市机动", "14,549.64", "12,437.3"]),
            row(22, &["车驾驶员考试服务中心", "", "6"]),
            row(22, &["杭州市公安局地铁分局", "27,401.68", "7.20"]),
        ];
        let (out, reps) = join_page_split_rows(rows);
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[0].cells,
            ["杭州市机动车驾驶员考试服务中心", "14,549.64", "12,437.36"]
        );
        assert_eq!(reps.len(), 1);
        // A new row on the next page stays a row.
        let rows = vec![
            row(1, &["201", "一般公共服务支出", "1.00"]),
            row(2, &["", "人大事务", "2.00"]),
        ];
        assert_eq!(join_page_split_rows(rows).0.len(), 2);
    }
}
