//! A loaded font, ready to decode strings: what the interpreter holds for
//! each font resource, whatever its kind (simple, composite, or a stand-in
//! for one that could not be read).

use super::decoded::DecodedChar;
use super::{cid, simple};

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
    pub(super) kind: Kind,
}

/// What kind of font it is, with its decoding tables.
#[derive(Debug, Clone)]
pub(super) enum Kind {
    /// Unreadable font: bytes as Latin-1, half an em each.
    Fallback,
    /// A font the (damaged) file lost: its object is referenced but absent.
    /// Nothing can say what its codes are, so its text is left out.
    Missing,
    Simple(Box<simple::SimpleFont>),
    Composite(Box<cid::CidFont>),
}

impl Font {
    /// Decode a shown string into characters, appending to `out`.
    pub fn decode_into(&self, bytes: &[u8], out: &mut Vec<DecodedChar>) {
        match &self.kind {
            Kind::Missing => {}
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

    /// For a font whose glyphs are recognised by shape (nothing in the file
    /// says what they are): how many were so far, and against which file.
    pub fn recognised_by_shape(&self) -> Option<(usize, &std::path::Path)> {
        match &self.kind {
            Kind::Composite(f) => {
                let s = f.shapes.as_ref()?;
                Some((s.recognised(), s.reference.as_path()))
            }
            _ => None,
        }
    }

    /// The stand-in for a font whose object a damaged file lost: it shows
    /// nothing.
    pub fn missing(name: &str) -> Font {
        Font {
            kind: Kind::Missing,
            ..Font::fallback(name)
        }
    }

    /// Whether this is the Latin-1 fallback (the font could not be read).
    pub fn is_fallback(&self) -> bool {
        matches!(self.kind, Kind::Fallback)
    }
}
