//! Header rows printed again on a later page (or the title, or the
//! column-number row) are not data: dropped from the body and recorded
//! (step `repeated_header_rows`).

use crate::cells::{is_column_number_row, squash};
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
    let title_key = raw.title.as_deref().map(squash).unwrap_or_default();
    let mut repairs = Vec::new();
    for r in body {
        let key = squash(&r.cells.concat());
        let repeated = !key.is_empty() && header_keys.contains(&key);
        let repeated_title = !key.is_empty() && key == title_key;
        let repeated_colnum = is_column_number_row(&r.cells);
        if repeated || repeated_title || repeated_colnum {
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
