//! Ruling lines: the horizontal and vertical segments that draw table borders.
//! Producers draw them three ways (stroked paths, rectangle edges, thin filled
//! rectangles); all come out here as one kind of segment.

use serde::{Deserialize, Serialize};

/// How a ruling was drawn in the content stream (kept so a user can see why a
/// border was or was not found).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RulingSource {
    /// A stroked line segment (ONLYOFFICE, LibreOffice, Excel).
    Stroke,
    /// An edge of a stroked or filled rectangle.
    RectEdge,
    /// A thin filled rectangle standing for a line (WPS, Word).
    FilledRect,
    /// A long dark run in a scanned page image (OCR).
    Bitmap,
}

/// A horizontal or vertical segment in points on the upright page (origin top
/// left). For a horizontal ruling `y0 == y1`; for a vertical one `x0 == x1`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ruling {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Line width (or thickness of the filled rectangle) in points.
    pub width: f32,
    pub source: RulingSource,
}

impl Ruling {
    pub fn is_horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() <= (self.x1 - self.x0).abs()
    }
    pub fn is_vertical(&self) -> bool {
        !self.is_horizontal()
    }
    pub fn length(&self) -> f32 {
        (self.x1 - self.x0).abs().max((self.y1 - self.y0).abs())
    }
}
