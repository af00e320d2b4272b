//! Which pages are OCR'd and how: the mode a caller asks for and the
//! recogniser's settings. Its own module so the recogniser's parts share it
//! without importing the module that imports them.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Which pages are OCR'd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// No page (the default): a page without a text layer is reported, not read.
    #[default]
    Never,
    /// Pages that have no text of their own and no OCR layer (`--ocr`).
    Missing,
    /// Every page, its own text replaced by the OCR'd text (`--ocr=always`).
    Always,
}

/// How pages are OCR'd; lengths in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// tesseract's language model.
    pub lang: &'static str,
    /// tesseract's page segmentation mode: 6 = one uniform block, which
    /// keeps the cells of a table row on one line.
    pub psm: u8,
    /// Resolution a page is rasterised at when its image cannot be taken
    /// from the file as it is.
    pub render_dpi: f32,
    /// A dark run at least this long is a ruling line (longer than any
    /// stroke of a character in body text).
    pub rule_min_length: f32,
    /// A run of lines thicker than this is a filled area, not a ruling.
    pub rule_max_thickness: f32,
    /// Largest page image decoded (pixels), so a hostile image header cannot
    /// make us allocate gigabytes.
    pub max_pixels: usize,
    /// Longest one page may take in tesseract (the file's budget, if
    /// sooner, wins).
    pub page_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            lang: "chi_sim",
            psm: 6,
            render_dpi: 200.0,
            rule_min_length: 24.0,
            rule_max_thickness: 4.0,
            max_pixels: 60_000_000,
            page_timeout: Duration::from_secs(300),
        }
    }
}
