//! Header rows printed again on a later page (or the title, or the
//! column-number row) are not data: dropped from the body and recorded
//! (step `repeated_header_rows`).

use crate::cells::{is_amount, is_column_number_row, squash};
use crate::settings::Settings;
use crate::table::{RawTable, Repair, COLUMN_NUMBER_ROW_DROPPED, REPEATED_HEADER_DROPPED};

/// Drop the body rows that repeat a header row, the title or the
/// column-number row.
pub fn repeated_header_rows(raw: &mut RawTable, _settings: &Settings) -> Vec<Repair> {
    let k = raw.header_len();
    let body = raw.rows.split_off(k);
    let header_keys: Vec<String> = raw
        .rows
        .iter()
        .map(|r| squash(&r.cells.concat()))
        .filter(|k| !k.is_empty())
        .collect();
    let header_text: String = header_keys.concat();
    let title_key = raw.title.as_deref().map(squash).unwrap_or_default();
    let mut repairs = Vec::new();
    for r in body {
        let key = squash(&r.cells.concat());
        let repeated = !key.is_empty() && header_keys.contains(&key);
        let repeated_title = !key.is_empty() && key == title_key;
        let repeated_colnum = is_column_number_row(&r.cells);
        // A later page's header gridded otherwise (its labels' lines
        // grouped differently): several cells, no amount, each a piece of
        // the header's text.
        let cells: Vec<String> = r
            .cells
            .iter()
            .map(|c| squash(c))
            .filter(|c| !c.is_empty())
            .collect();
        let regridded = cells.len() >= 2
            && cells
                .iter()
                .all(|c| !is_amount(c) && header_text.contains(c.as_str()));
        if repeated || repeated_title || repeated_colnum || regridded {
            repairs.push(Repair {
                kind: if repeated_colnum {
                    COLUMN_NUMBER_ROW_DROPPED.into()
                } else {
                    REPEATED_HEADER_DROPPED.into()
                },
                page: Some(r.page),
                row: None,
                detail: r.detail(),
            });
            continue;
        }
        raw.rows.push(r);
    }
    repairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Method, Row};

    fn row(cells: &[&str], page: u32, origin: usize) -> Row {
        Row {
            cells: cells.iter().map(|c| c.to_string()).collect(),
            page,
            origins: vec![origin],
            y: None,
        }
    }

    /// A later page's header read as rows grouped otherwise than the
    /// first page's goes; a body row of labels found in the header (a lone
    /// 合计, a row with an amount) stays.
    #[test]
    fn a_later_pages_header_gridded_otherwise_is_dropped() {
        let mut raw = RawTable::new(Method::Stream);
        raw.rows = vec![
            row(
                &[
                    "支出项目类别（资金使用单",
                    "财政拨款",
                    "",
                    "财政专",
                    "其他资",
                ],
                1,
                0,
            ),
            row(&["位）", "合计", "一般公共预算", "户拨款", "金"], 1, 1),
            row(&["工作经费", "226.48", "226.48", "0.00", "0.00"], 1, 2),
            row(
                &["支出项目类别（资金使用单", "", "", "财政专", "其他资"],
                2,
                3,
            ),
            row(&["位）", "合计", "", "户拨款", "金"], 2, 4),
            row(&["合计", "", "", "", ""], 2, 5),
            row(&["合计", "1.00", "", "", ""], 2, 6),
        ];
        raw.header_rows = Some(2);
        let repairs = repeated_header_rows(&mut raw, &Settings::default());
        let firsts: Vec<&str> = raw.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(
            firsts,
            [
                "支出项目类别（资金使用单",
                "位）",
                "工作经费",
                "合计",
                "合计"
            ]
        );
        assert_eq!(repairs.len(), 2);
        assert!(repairs.iter().all(|r| r.kind == REPEATED_HEADER_DROPPED));
    }
}
