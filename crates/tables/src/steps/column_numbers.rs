//! The column-number row (栏次 1 2 3 …) at the foot of the header is
//! neither header nor body: dropped, and recorded (step
//! `column_number_row`). One printed again in the body is dropped by
//! `repeated_header_rows`.

use crate::cells::is_column_number_row;
use crate::settings::Settings;
use crate::table::{RawTable, Repair, COLUMN_NUMBER_ROW_DROPPED};

/// Drop the header rows that are column-number rows.
pub fn column_number_row(raw: &mut RawTable, _settings: &Settings) -> Vec<Repair> {
    let k = raw.header_len();
    let body = raw.rows.split_off(k);
    let mut repairs = Vec::new();
    raw.rows.retain(|r| {
        if is_column_number_row(&r.cells) && has_text(&r.cells) {
            repairs.push(Repair {
                kind: COLUMN_NUMBER_ROW_DROPPED.into(),
                page: Some(r.page),
                row: None,
                detail: r.detail(),
            });
            false
        } else {
            true
        }
    });
    raw.header_rows = Some(raw.rows.len());
    raw.rows.extend(body);
    repairs
}

/// A row with some text (a header row that is only a column-number row;
/// never drop a real label row).
fn has_text(cells: &[String]) -> bool {
    cells.iter().any(|c| !c.trim().is_empty())
}
