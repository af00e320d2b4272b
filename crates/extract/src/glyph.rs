//! The glyph: one character (or ligature) drawn on a page, with its Unicode
//! text and where it sits. Everything later stages know about text comes from here.

use crate::geom::Rect;
use serde::{Deserialize, Serialize};

/// Writing direction of the font that drew a glyph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Horizontal,
    Vertical,
}

/// One drawn character.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Glyph {
    /// Unicode text of the glyph (usually one char; ligatures give several;
    /// empty when the font gives no way to know).
    pub text: String,
    /// The glyph's box on the upright page: advance width by font ascent..descent.
    pub bbox: Rect,
    /// The font's base name as written in the PDF (subset prefix removed), or
    /// the resource name when it has none.
    pub font: String,
    /// Effective font size in points (font size × text and CTM scale).
    pub size: f32,
    /// Text render mode (Tr, 0..=7); 3 is invisible (OCR layers).
    pub render_mode: u8,
    /// Fill colour as RGB in 0..=1.
    pub fill: [f32; 3],
    /// False when the glyph is not painted (render mode 3/7, clipped away,
    /// outside the page box, or white on white).
    pub visible: bool,
    pub direction: Direction,
}
