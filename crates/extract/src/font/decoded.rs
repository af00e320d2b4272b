//! What decoding a shown string gives: a character code's text, advance
//! and vertical metrics. Its own module so every font kind produces it
//! without importing the module that holds them all.

/// Vertical-writing metrics of one character, in text space units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerticalMetrics {
    /// Vertical advance (w1y of /W2, usually negative: pen moves down).
    pub advance: f32,
    /// Position vector (vx, vy) from the horizontal origin to the vertical one.
    pub vx: f32,
    pub vy: f32,
}

/// One character code of a shown string, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedChar {
    /// The character code as read from the string (1 to 4 bytes).
    pub code: u32,
    /// Unicode text; empty when nothing says what the glyph is.
    pub unicode: String,
    /// Horizontal advance in text space units (the glyph width × FontMatrix,
    /// i.e. width/1000 for all but Type 3 fonts).
    pub width: f32,
    /// True for a single-byte code 32, the only code word spacing (Tw) applies to.
    pub is_word_space: bool,
    /// Set for fonts in vertical writing mode.
    pub vertical: Option<VerticalMetrics>,
}
