//! Header rows apart from the body (step `header_rows`): the label rows at
//! the top of the grid, as the finder knew them (HTML `<thead>`, a dump's
//! header lines) or as [`crate::header::header_count`] reads them.

use crate::header::header_count;
use crate::settings::Settings;
use crate::table::{RawTable, Repair};

/// Count the header rows; the count is kept in `RawTable::header_rows`.
pub fn header_rows(raw: &mut RawTable, settings: &Settings) -> Vec<Repair> {
    let k = match raw.header_rows {
        Some(k) => k,
        None => {
            let grid: Vec<Vec<String>> = raw.rows.iter().map(|r| r.cells.clone()).collect();
            header_count(&grid, settings.max_header_rows)
        }
    };
    raw.header_rows = Some(k.min(raw.rows.len()));
    Vec::new()
}
