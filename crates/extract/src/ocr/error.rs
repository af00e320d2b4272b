//! Why a page could not be OCR'd, shared by the recogniser's parts.

use thiserror::Error;

/// Why a page could not be OCR'd.
#[derive(Debug, Error)]
pub enum OcrError {
    #[error("OCR needs the `{program}` command, which is not installed: install {packages} (apt-get install {packages})")]
    Missing {
        program: &'static str,
        packages: &'static str,
    },
    #[error("OCR needs tesseract's `{lang}` language data, which is not installed: install tesseract-ocr-chi-sim (apt-get install tesseract-ocr-chi-sim)")]
    NoLanguage { lang: String },
    #[error("OCR of the page stopped: {0}")]
    Timeout(String),
    #[error("OCR failed: {0}")]
    Failed(String),
    #[error("OCR: cannot read the page image: {0}")]
    Image(String),
    #[error("OCR: {0}")]
    Io(#[from] std::io::Error),
}
