//! The table model this stage hands to normalisation: one logical table (maybe
//! stitched from several pages) as a repaired grid of strings, with its header
//! rows apart from its body and a record of every repair.

use gongkai_extract::Rect;
use serde::{Deserialize, Serialize};

/// How a table was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// From ruling lines.
    Lattice,
    /// From the alignment of text.
    Stream,
    /// From a text dump (tabs, aligned spaces, Markdown pipes, HTML).
    Dump,
}

/// A cell covering more than one grid position. Positions are in the table's
/// own grid (header rows first, then body rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
}

/// A repair made while building a table, so a user can ask "why".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repair {
    /// `repeated_header_dropped`, `split_row_merged`, `duplicate_glyphs_removed`,
    /// `split_number_joined`, `table_continued`, or one of the project's own.
    pub kind: String,
    /// 1-based page where it happened.
    pub page: Option<u32>,
    /// Body row (0-based) it touched, where it is one.
    pub row: Option<usize>,
    /// What exactly: e.g. `"10,441.4 1" -> "10,441.41"`.
    pub detail: String,
}

/// Where one page's part of a table sits (for pictures and for stitching).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub page: u32,
    pub bbox: Rect,
    /// x positions of the column boundaries on that page, left to right.
    pub col_edges: Vec<f32>,
    /// y positions of the row boundaries on that page, top to bottom.
    pub row_edges: Vec<f32>,
}

/// One logical table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The title printed above the table (e.g. `2025年预算支出总表`), if found.
    pub title: Option<String>,
    /// Text lines printed between the title and the grid (单位：万元, 单位名称：…,
    /// 表三 …), kept verbatim for normalisation to read the unit and entity.
    pub caption: Vec<String>,
    /// Notes printed under the table (注：…).
    pub notes: Vec<String>,
    /// 1-based pages the table covers.
    pub pages: Vec<u32>,
    pub method: Method,
    /// Header rows as printed, repaired; one string per column. A spanning
    /// cell's text stands in its first position, the rest hold "".
    pub header: Vec<Vec<String>>,
    /// Body rows, repaired, one string per column.
    pub rows: Vec<Vec<String>>,
    /// Page of each body row (parallel to `rows`).
    pub row_pages: Vec<u32>,
    /// Spanning cells, positions counted over header rows then body rows.
    pub spans: Vec<Span>,
    pub repairs: Vec<Repair>,
    /// Where the table sits on each page it covers.
    pub regions: Vec<Region>,
    /// Some of its pages were read by OCR (an OCR layer or tesseract): its
    /// text and amounts are a recogniser's reading, worth a second look.
    #[serde(default)]
    pub ocr: bool,
}

impl Table {
    /// Number of grid columns.
    pub fn width(&self) -> usize {
        self.header
            .iter()
            .chain(self.rows.iter())
            .map(|r| r.len())
            .max()
            .unwrap_or(0)
    }

    /// One label per column: the lowest non-empty header text of that column.
    pub fn columns(&self) -> Vec<String> {
        (0..self.width())
            .map(|c| {
                self.header
                    .iter()
                    .rev()
                    .filter_map(|r| r.get(c))
                    .find(|s| !s.trim().is_empty())
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// Text outside tables, in reading order (for narrative sections and metadata).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextBlock {
    pub page: u32,
    /// One entry per text line, furniture (page numbers, running heads) removed.
    pub lines: Vec<String>,
}

/// Everything the table stage found in a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub tables: Vec<Table>,
    pub text: Vec<TextBlock>,
    pub diagnostics: Vec<gongkai_extract::Diagnostic>,
    /// Pages whose text came from OCR (an OCR layer or tesseract).
    #[serde(default)]
    pub ocr_pages: Vec<u32>,
}

impl Table {
    /// The table as plain text for `inspect`: title, pages, method, caption,
    /// repairs, then the grid as tab-separated rows, header rows marked `H`,
    /// body rows `B` with their page, notes last.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let pages: Vec<String> = self.pages.iter().map(|p| p.to_string()).collect();
        out.push_str(&format!(
            "# {}\n# pages {} · {:?} · {} header rows · {} body rows · {} columns\n",
            self.title.as_deref().unwrap_or("(untitled)"),
            pages.join(","),
            self.method,
            self.header.len(),
            self.rows.len(),
            self.width()
        ));
        for c in &self.caption {
            out.push_str(&format!("# caption: {c}\n"));
        }
        for r in &self.repairs {
            let row = r.row.map(|x| format!(" row {x}")).unwrap_or_default();
            let page = r.page.map(|x| format!(" p{x}")).unwrap_or_default();
            out.push_str(&format!("# repair {}{page}{row}: {}\n", r.kind, r.detail));
        }
        for s in &self.spans {
            out.push_str(&format!(
                "# span r{} c{} {}x{}\n",
                s.row, s.col, s.rows, s.cols
            ));
        }
        for h in &self.header {
            out.push_str("H\t\t");
            out.push_str(&h.join("\t"));
            out.push('\n');
        }
        for (i, r) in self.rows.iter().enumerate() {
            let page = self.row_pages.get(i).copied().unwrap_or(0);
            out.push_str(&format!("B{i}\tp{page}\t"));
            out.push_str(&r.join("\t"));
            out.push('\n');
        }
        for n in &self.notes {
            out.push_str(&format!("# note: {n}\n"));
        }
        out
    }
}
