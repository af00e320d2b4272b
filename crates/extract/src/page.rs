//! The page model every later stage reads: one upright page of glyphs and
//! ruling lines (a PDF page) or of raw text lines (a page of a text dump).

use crate::glyph::Glyph;
use crate::ruling::Ruling;
use serde::{Deserialize, Serialize};

/// A repair made while extracting a page (e.g. overprinted glyphs collapsed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageRepair {
    /// `duplicate_glyphs_removed`, …
    pub kind: String,
    /// How many times it was applied on the page.
    pub count: usize,
}

/// One page, upright (its /Rotate applied), coordinates in points from the top left.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    /// The /Rotate that was applied to make the page upright (0, 90, 180, 270).
    pub rotation: u16,
    pub glyphs: Vec<Glyph>,
    pub rulings: Vec<Ruling>,
    /// For pages of a text dump only: the page's lines as in the file (tabs,
    /// pipes and HTML kept, for the table stage to read). Empty for PDF pages.
    pub dump_lines: Vec<String>,
    /// Number of images painted on the page (a page with images and no text is
    /// probably scanned).
    pub images: u32,
    pub repairs: Vec<PageRepair>,
}

/// The repair kinds that mark a page whose text came from OCR: the file's
/// own OCR layer, or tesseract (`--ocr`).
pub const OCR_REPAIRS: [&str; 2] = [OCR_LAYER_TEXT, OCR_TEXT];
/// The repair kind of a page whose invisible OCR layer became its text.
pub const OCR_LAYER_TEXT: &str = "ocr_layer_text";
/// The repair kind of a page whose text came from tesseract (`--ocr`).
pub const OCR_TEXT: &str = "ocr_text";

impl Page {
    /// Where the page's text came from when it was OCR'd: `ocr_layer_text`
    /// (the file's invisible OCR layer) or `ocr_text` (tesseract); `None` for
    /// a page's own text.
    pub fn ocr_source(&self) -> Option<&str> {
        self.repairs
            .iter()
            .map(|r| r.kind.as_str())
            .find(|k| OCR_REPAIRS.contains(k))
    }
}

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Text,
}

/// Severity of a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// Something a user should know about how a file was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub level: Level,
    pub stage: String,
    pub page: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(level: Level, page: Option<u32>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level,
            stage: "extract".into(),
            page,
            message: message.into(),
        }
    }
}

/// A whole extracted document: its pages (those that could be read) and what
/// went wrong on the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub format: Format,
    /// Number of pages the file declares (pages that failed included).
    pub page_count: u32,
    pub pages: Vec<Page>,
    pub diagnostics: Vec<Diagnostic>,
    /// The file is damaged or truncated (the diagnostics say where): what
    /// was read is what could be recovered, not all the file held.
    #[serde(default)]
    pub damaged: bool,
}
