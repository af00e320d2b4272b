//! What a caller asks the extractor to read: the limits in force and which
//! pages. Its own module so that the readers (`pdf`, `text_dump`) and the
//! crate's entry points share it without importing each other.

use crate::limits::Limits;

/// What to read and within which bounds.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
    /// 1-based page numbers to read; `None` reads all.
    pub pages: Option<Vec<u32>>,
    /// Which pages are OCR'd (PDF pages only).
    pub ocr: crate::ocr::Mode,
}

impl Options {
    /// Whether page `n` (1-based) is wanted.
    pub fn wants(&self, n: u32) -> bool {
        self.pages.as_ref().is_none_or(|p| p.contains(&n))
    }
}
