//! # gongkai-extract — "what is on the page"
//!
//! Turns a PDF (or a text dump of one) into [`Document`]: upright pages of
//! positioned [`Glyph`]s and [`Ruling`] lines, coordinates in points from the
//! top left. It knows nothing of tables or budgets; its one job is to read
//! every character and every border the way a viewer would draw them.
//!
//! Text dumps (UTF-8, GBK/GB18030, UTF-16 with BOM) open into the same model:
//! one page per form feed, the raw lines kept in [`Page::dump_lines`].

pub mod error;
pub mod font;
pub mod geom;
pub mod glyph;
pub mod limits;
pub mod page;
pub mod pdf;
pub mod ruling;
#[doc(hidden)]
pub mod testdata;
pub mod text_dump;

pub use error::ExtractError;
pub use geom::Rect;
pub use glyph::{Direction, Glyph};
pub use limits::Limits;
pub use page::{Diagnostic, Document, Format, Level, Page, PageRepair};
pub use ruling::{Ruling, RulingSource};

use std::path::Path;

/// What to read and within which bounds.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
    /// 1-based page numbers to read; `None` reads all.
    pub pages: Option<Vec<u32>>,
}

impl Options {
    /// Whether page `n` (1-based) is wanted.
    pub fn wants(&self, n: u32) -> bool {
        self.pages.as_ref().is_none_or(|p| p.contains(&n))
    }
}

/// Guess the input format from the bytes (a PDF header anywhere in the first
/// KiB, as viewers accept), else from the extension.
pub fn sniff_format(bytes: &[u8], path: Option<&Path>) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    let ext = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("pdf") => Format::Pdf,
        _ => Format::Text,
    }
}

/// Read a file from disk (PDF or text dump, by content).
pub fn open_path(path: &Path, opts: &Options) -> Result<Document, ExtractError> {
    let size = std::fs::metadata(path)?.len();
    if size > opts.limits.max_file_bytes {
        return Err(ExtractError::TooLarge {
            size,
            limit: opts.limits.max_file_bytes,
        });
    }
    let bytes = std::fs::read(path)?;
    open_bytes(&bytes, Some(path), opts)
}

/// Read a document from memory.
pub fn open_bytes(
    bytes: &[u8],
    path: Option<&Path>,
    opts: &Options,
) -> Result<Document, ExtractError> {
    match sniff_format(bytes, path) {
        Format::Pdf => pdf::open(bytes, opts),
        Format::Text => text_dump::open(bytes, opts),
    }
}
