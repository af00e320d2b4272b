//! A note printed inside the grid (注：… in a row of its own) is a note of
//! the table, not a row (step `notes_in_grid`).

use crate::captions::is_note_start;
use crate::settings::Settings;
use crate::table::{RawTable, Repair};

/// Move the body rows that are a lone note into the table's notes.
pub fn notes_in_grid(raw: &mut RawTable, _settings: &Settings) -> Vec<Repair> {
    let k = raw.header_len();
    let body = raw.rows.split_off(k);
    for r in body {
        let mut filled = r.cells.iter().filter(|c| !c.trim().is_empty());
        let (first, more) = (filled.next(), filled.next().is_some());
        match first {
            Some(note) if !more && is_note_start(note) => raw.notes.push(note.trim().to_string()),
            _ => raw.rows.push(r),
        }
    }
    Vec::new()
}
