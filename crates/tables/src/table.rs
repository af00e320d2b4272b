//! The exchange types of the table stage. Finders (lattice, stream, text
//! dumps) produce a [`RawTable`] of [`Row`]s; the steps of
//! [`crate::finish`] repair it in place; `finish` turns it into the [`Table`]
//! this stage hands to normalisation: one logical table (maybe stitched from
//! several pages) as a repaired grid of strings, with its header rows apart
//! from its body and a record of every repair.

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

/// A body row while a table is being assembled.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    pub page: u32,
    /// Indices of the raw rows this row was made of (for mapping repairs and spans).
    pub origins: Vec<usize>,
    /// Top and bottom of the row on its page, when known (PDF tables).
    pub y: Option<(f32, f32)>,
}

/// A table as found, before repairs.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub method: Method,
    pub title: Option<String>,
    pub caption: Vec<String>,
    pub notes: Vec<String>,
    /// Rows top to bottom (all pages), cells left to right.
    pub rows: Vec<Row>,
    /// Spans known from geometry, in raw-row positions.
    pub spans: Vec<Span>,
    pub regions: Vec<Region>,
    /// Repairs made while finding the table (row = raw row index).
    pub repairs: Vec<Repair>,
    /// Header rows known from the source (HTML `<thead>`, a dump's header
    /// lines); `None` lets the header detector decide.
    pub header_rows: Option<usize>,
    /// The table's pages whose text was read by OCR: their cells get the
    /// OCR repairs (step `ocr_cells`) and the table is marked `ocr`.
    pub ocr_pages: Vec<u32>,
}

impl RawTable {
    /// Header rows counted so far (0 before the `header_rows` step has
    /// counted them), at most the number of rows.
    pub fn header_len(&self) -> usize {
        self.header_rows.unwrap_or(0).min(self.rows.len())
    }

    pub fn new(method: Method) -> RawTable {
        RawTable {
            method,
            title: None,
            caption: Vec::new(),
            notes: Vec::new(),
            rows: Vec::new(),
            spans: Vec::new(),
            regions: Vec::new(),
            repairs: Vec::new(),
            header_rows: None,
            ocr_pages: Vec::new(),
        }
    }
}

impl RawTable {
    /// The grid as text, as `gongkai inspect --steps` prints it: the
    /// header-row count once known, the `repairs` given (a repair's row is a
    /// raw row index here), rows marked `H` (header), `B` (body) or `R`
    /// (not yet told apart) with their raw row indices and page, then notes.
    pub fn to_text(&self, repairs: &[Repair]) -> String {
        let mut out = String::new();
        let header = match self.header_rows {
            Some(k) => format!("{k} header rows"),
            None => "header rows not yet counted".to_string(),
        };
        out.push_str(&format!(
            "# {} · {:?} · {} rows · {header}\n",
            self.title.as_deref().unwrap_or("(untitled)"),
            self.method,
            self.rows.len()
        ));
        for r in repairs {
            let row = r.row.map(|x| format!(" raw row {x}")).unwrap_or_default();
            let page = r.page.map(|x| format!(" p{x}")).unwrap_or_default();
            out.push_str(&format!("# repair {}{page}{row}: {}\n", r.kind, r.detail));
        }
        let k = self.header_len();
        for (i, r) in self.rows.iter().enumerate() {
            let mark = match self.header_rows {
                None => "R",
                Some(_) if i < k => "H",
                Some(_) => "B",
            };
            let origins: Vec<String> = r.origins.iter().map(|o| o.to_string()).collect();
            out.push_str(&format!("{mark}[{}]\tp{}\t", origins.join(","), r.page));
            out.push_str(&r.cells.join("\t"));
            out.push('\n');
        }
        for n in &self.notes {
            out.push_str(&format!("# note: {n}\n"));
        }
        out
    }
}

impl Row {
    /// The row's text as a repair's detail: its cells joined by spaces, quoted.
    pub fn detail(&self) -> String {
        format!("\"{}\"", self.cells.join(" ").trim())
    }
}

/// Kind names recorded in [`Repair::kind`] by the row steps.
pub const COLUMN_NUMBER_ROW_DROPPED: &str = "column_number_row_dropped";

pub const REPEATED_HEADER_DROPPED: &str = "repeated_header_dropped";

pub const SPLIT_ROW_MERGED: &str = "split_row_merged";
