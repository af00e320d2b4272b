//! The repairs of cells read by OCR (step `ocr_cells`), before the ones
//! every cell gets: on the table's OCR'd pages only
//! ([`crate::table::RawTable::ocr_pages`]), each cell's border marks,
//! specks, spaced numbers, misread decimal points and spaces between Han
//! characters repaired ([`crate::repair::repair_ocr_cell`]).

use crate::repair::repair_ocr_cell;
use crate::settings::Settings;
use crate::steps::cell_text::repair_cells;
use crate::table::{RawTable, Repair};

/// Repair the cells of the rows on OCR'd pages.
pub fn ocr_cells(raw: &mut RawTable, _settings: &Settings) -> Vec<Repair> {
    if raw.ocr_pages.is_empty() {
        return Vec::new();
    }
    let pages = raw.ocr_pages.clone();
    repair_cells(raw, |row| pages.contains(&row.page), repair_ocr_cell)
}
