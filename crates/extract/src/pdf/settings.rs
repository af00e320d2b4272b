//! The heuristic thresholds of PDF extraction, in one place, in points (or
//! fractions where said).

/// Thresholds for turning drawn paths into rulings and for collapsing
/// overprinted glyphs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// A segment whose ends differ by at most this across its direction counts
    /// as horizontal (or vertical); anything more slanted is ignored.
    pub axis_tolerance: f32,
    /// Shortest segment kept as a ruling.
    pub min_ruling_length: f32,
    /// A filled rectangle no thicker than this is a line (WPS and Word draw
    /// cell borders that way).
    pub thin_rect_max: f32,
    /// A colour whose RGB components are all at least this is white: white
    /// filled rectangles are backgrounds, not borders.
    pub white_level: f32,
    /// A filled (non-thin) rectangle covering at least this fraction of the
    /// page in both directions is a page background: its edges are no rulings.
    pub page_cover: f32,
    /// Two glyphs with the same text whose origins are closer than this
    /// fraction of the glyph's width (in x) and of the font size (in y) are
    /// one glyph drawn twice (fake bold). Genuine repeats sit a whole advance apart.
    pub overprint_fraction: f32,
    /// A page whose largest image covers at least this fraction of its area is
    /// a scan: invisible text over that image is its OCR layer.
    pub ocr_image_cover: f32,
    /// How pages are OCR'd (with `--ocr`).
    pub ocr: crate::ocr::Settings,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            axis_tolerance: 0.5,
            min_ruling_length: 1.0,
            thin_rect_max: 2.5,
            white_level: 0.95,
            page_cover: 0.9,
            overprint_fraction: 0.3,
            ocr_image_cover: 0.5,
            ocr: crate::ocr::Settings::default(),
        }
    }
}
