//! Fonts: from a PDF font dictionary to "these bytes of a text string are these
//! characters, with these advances". One module per concern:
//! `cmap` (ToUnicode and predefined CMaps, codespace ranges), `simple`
//! (Type1/TrueType/Type3 encodings and glyph names), `cid` (Type0
//! descendants, /W and /W2 widths, CID → Unicode), `embedded` (cmap tables of
//! embedded TrueType/OpenType/CFF programs), `normalize` (compatibility
//! ideographs → unified), `load` (the font dictionary → [`Font`]), `cache`
//! (one parse per font object per document), `tables` (generated: Adobe Glyph
//! List and base encodings, see `gen_tables.py`).
//!
//! The interpreter sees only [`Font`] and [`FontCache`].
//!
//! References (ideas, never code): pdf.js `src/core/fonts.js`, `cmap.js` and
//! `evaluator.js` (`translateFont`, `extractDataStructures`,
//! `buildToUnicode`) for the order of Unicode sources and the leniency
//! towards broken CMaps; hayro (the `hayro-cmap` crate, used directly) for
//! predefined CMaps and CID → Unicode tables; pdf-extract as a list of what
//! goes wrong (range form of /W, predefined CJK CMaps, Identity-H without
//! ToUnicode). Every font is decoded into lookup tables once at load, so
//! decoding a string is table lookups only.

mod cache;
mod cid;
mod cmap;
mod embedded;
mod load;
mod normalize;
mod simple;
#[allow(clippy::all)]
mod tables;
mod util;

#[cfg(test)]
mod real_tests;

pub use cache::FontCache;

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

/// A loaded font, ready to decode strings.
#[derive(Debug, Clone)]
pub struct Font {
    /// BaseFont without a subset prefix (`ABCDEF+SimSun` → `SimSun`).
    pub name: String,
    /// Vertical writing mode (an -V CMap).
    pub vertical: bool,
    /// Ascent and descent in text space units (e.g. 0.88 and -0.12), for glyph boxes.
    pub ascent: f32,
    pub descent: f32,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// Unreadable font: bytes as Latin-1, half an em each.
    Fallback,
    Simple(Box<simple::SimpleFont>),
    Composite(Box<cid::CidFont>),
}

impl Font {
    /// Decode a shown string into characters, appending to `out`.
    pub fn decode_into(&self, bytes: &[u8], out: &mut Vec<DecodedChar>) {
        match &self.kind {
            Kind::Fallback => {
                for &b in bytes {
                    out.push(DecodedChar {
                        code: b as u32,
                        unicode: char::from(b).to_string(),
                        width: 0.5,
                        is_word_space: b == b' ',
                        vertical: None,
                    });
                }
            }
            Kind::Simple(f) => {
                out.reserve(bytes.len());
                for &b in bytes {
                    let i = b as usize;
                    out.push(DecodedChar {
                        code: b as u32,
                        unicode: f.unicode.get(i).map_or_else(String::new, |s| s.to_string()),
                        width: f.widths.get(i).copied().unwrap_or(0.0),
                        is_word_space: b == b' ',
                        vertical: None,
                    });
                }
            }
            Kind::Composite(f) => f.decode_into(bytes, out),
        }
    }

    /// Decode a whole string to its text (convenience for tests and tools).
    pub fn decode_text(&self, bytes: &[u8]) -> String {
        let mut chars = Vec::new();
        self.decode_into(bytes, &mut chars);
        chars.into_iter().map(|c| c.unicode).collect()
    }

    /// A font used when a font resource is missing or unreadable.
    pub fn fallback(name: &str) -> Font {
        Font {
            name: name.to_string(),
            vertical: false,
            ascent: 0.88,
            descent: -0.12,
            kind: Kind::Fallback,
        }
    }

    /// Whether this is the Latin-1 fallback (the font could not be read).
    pub fn is_fallback(&self) -> bool {
        matches!(self.kind, Kind::Fallback)
    }
}
