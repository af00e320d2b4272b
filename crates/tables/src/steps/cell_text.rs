//! Cell text repairs, in every row (step `cell_text`): rows padded to the
//! table's width, then each cell's doubled text, split numbers and wrapped
//! Han text repaired ([`crate::repair::repair_cell`]).

use crate::repair::{repair_cell, CellFix};
use crate::settings::Settings;
use crate::table::{RawTable, Repair, Row};

/// Pad the rows to one width and repair every cell's text.
pub fn cell_text(raw: &mut RawTable, settings: &Settings) -> Vec<Repair> {
    let width = raw.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    for row in raw.rows.iter_mut() {
        row.cells.resize(width, String::new());
    }
    repair_cells(
        raw,
        |_| true,
        |c| repair_cell(c, settings.wrap_join_max_chars),
    )
}

/// Repair each cell of the rows `wanted` picks with `fix`, recording each
/// fix as a repair of its row: the one loop of the cell-text steps.
pub fn repair_cells(
    raw: &mut RawTable,
    wanted: impl Fn(&Row) -> bool,
    fix: impl Fn(&str) -> (String, Vec<CellFix>),
) -> Vec<Repair> {
    let mut repairs = Vec::new();
    for (i, row) in raw.rows.iter_mut().enumerate() {
        if !wanted(row) {
            continue;
        }
        for cell in row.cells.iter_mut() {
            let (fixed, fixes) = fix(cell);
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
