//! Cell text repairs, in every row (step `cell_text`): rows padded to the
//! table's width, then each cell's doubled text, split numbers and wrapped
//! Han text repaired ([`crate::repair::repair_cell`]).

use crate::repair::repair_cell;
use crate::settings::Settings;
use crate::table::{RawTable, Repair};

/// Pad the rows to one width and repair every cell's text.
pub fn cell_text(raw: &mut RawTable, settings: &Settings) -> Vec<Repair> {
    let width = raw.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut repairs = Vec::new();
    for (i, row) in raw.rows.iter_mut().enumerate() {
        row.cells.resize(width, String::new());
        for cell in row.cells.iter_mut() {
            let (fixed, fixes) = repair_cell(cell, settings.wrap_join_max_chars);
            for f in fixes {
                repairs.push(Repair {
                    kind: f.kind.to_string(),
                    page: Some(row.page),
                    row: Some(i),
                    detail: format!("\"{}\" -> \"{}\"", f.before, f.after),
                });
            }
            *cell = fixed;
        }
    }
    repairs
}
