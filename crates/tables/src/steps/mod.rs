//! The repairs that turn a found grid into a table, one module per repair,
//! each a named step `fn(&mut RawTable, &Settings) -> Vec<Repair>` run in the
//! order of [`STEPS`] by [`crate::finish`]. Every finder's table goes through
//! the same steps, so a table means the same whatever found it.
//!
//! While the steps run, a repair's `row` is a raw row index (an origin of a
//! [`crate::table::Row`]); `finish` maps it to the body row that holds it.
//! The header rows are the first `RawTable::header_rows` rows once the
//! `header_rows` step has counted them.
//!
//! Cross-page stitching runs before these, on the whole document
//! ([`crate::stitch::stitch`]): it makes one `RawTable` of a table's
//! fragments.

pub mod cell_text;
pub mod column_numbers;
pub mod header_rows;
pub mod notes;
pub mod ocr_cells;
pub mod page_split;
pub mod repeated_header;
pub mod wrapped_rows;

use crate::settings::Settings;
use crate::table::{RawTable, Repair};

/// One repair of the table stage, by name.
pub struct Step {
    /// The name `gongkai inspect --steps` prints.
    pub name: &'static str,
    pub run: fn(&mut RawTable, &Settings) -> Vec<Repair>,
}

/// The steps, in the order they run.
pub const STEPS: &[Step] = &[
    Step {
        name: "ocr_cells",
        run: ocr_cells::ocr_cells,
    },
    Step {
        name: "cell_text",
        run: cell_text::cell_text,
    },
    Step {
        name: "header_rows",
        run: header_rows::header_rows,
    },
    Step {
        name: "column_number_row",
        run: column_numbers::column_number_row,
    },
    Step {
        name: "notes_in_grid",
        run: notes::notes_in_grid,
    },
    Step {
        name: "repeated_header_rows",
        run: repeated_header::repeated_header_rows,
    },
    Step {
        name: "page_split_rows",
        run: page_split::page_split_rows,
    },
    Step {
        name: "wrapped_rows",
        run: wrapped_rows::wrapped_rows,
    },
];
