//! The repairs of cells read by OCR (step `ocr_cells`), before the ones
//! every cell gets: on the table's OCR'd pages only
//! ([`crate::table::RawTable::ocr_pages`]), each cell's border marks,
//! specks, spaced numbers, misread decimal points and spaces between Han
//! characters repaired ([`crate::repair::repair_ocr_cell`]).

use crate::repair::repair_ocr_cell;
use crate::settings::Settings;
use crate::table::{RawTable, Repair};

/// Repair the cells of the rows on OCR'd pages.
pub fn ocr_cells(raw: &mut RawTable, _settings: &Settings) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if raw.ocr_pages.is_empty() {
        return repairs;
    }
    for (i, row) in raw.rows.iter_mut().enumerate() {
        if !raw.ocr_pages.contains(&row.page) {
            continue;
        }
        for cell in row.cells.iter_mut() {
            let (fixed, fixes) = repair_ocr_cell(cell);
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
