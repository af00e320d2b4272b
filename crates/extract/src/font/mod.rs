//! Fonts: from a PDF font dictionary to "these bytes of a text string are these
//! characters, with these advances". One module per concern:
//! `cmap` (ToUnicode and predefined CMaps), `simple` (Type1/TrueType/Type3
//! encodings and glyph names), `cid` (Type0 descendants, /W and /W2 widths),
//! `embedded` (cmap tables of embedded TrueType/OpenType programs), `cache`
//! (one parse per font object per document).
//!
//! The interpreter sees only [`Font`] and [`FontCache`].
//!
//! (Interface fixed here; the decoding behind it is being written. The
//! fallback below reads single bytes as Latin-1 with a 0.5 em advance.)

use crate::Limits;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::sync::Arc;

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
}

impl Font {
    /// Decode a shown string into characters, appending to `out`.
    pub fn decode_into(&self, bytes: &[u8], out: &mut Vec<DecodedChar>) {
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

    /// A font used when a font resource is missing or unreadable.
    pub fn fallback(name: &str) -> Font {
        Font {
            name: name.to_string(),
            vertical: false,
            ascent: 0.88,
            descent: -0.12,
        }
    }
}

/// Fonts of one document, each parsed once, keyed by object id.
#[derive(Default)]
pub struct FontCache {
    by_id: HashMap<ObjectId, Arc<Font>>,
    /// Warnings met while loading fonts (a font that could not be read, …).
    pub warnings: Vec<String>,
}

impl FontCache {
    pub fn new() -> FontCache {
        FontCache::default()
    }

    /// The font for a value of a /Font resource dictionary (a reference or an
    /// inline dictionary). Never fails: an unreadable font gives a fallback and
    /// a warning.
    pub fn get(
        &mut self,
        doc: &Document,
        font: &Object,
        resource_name: &[u8],
        limits: &Limits,
    ) -> Arc<Font> {
        let _ = limits;
        if let Object::Reference(id) = font {
            if let Some(f) = self.by_id.get(id) {
                return f.clone();
            }
            let loaded = Arc::new(load(doc, doc.get_dictionary(*id).ok(), resource_name));
            self.by_id.insert(*id, loaded.clone());
            return loaded;
        }
        Arc::new(load(doc, font.as_dict().ok(), resource_name))
    }
}

fn load(_doc: &Document, dict: Option<&Dictionary>, resource_name: &[u8]) -> Font {
    let name = dict
        .and_then(|d| d.get(b"BaseFont").ok())
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_else(|| String::from_utf8_lossy(resource_name).into_owned());
    let name = match name.split_once('+') {
        Some((prefix, rest)) if prefix.len() == 6 => rest.to_string(),
        _ => name,
    };
    Font::fallback(&name)
}
