//! Composite (Type0) fonts: a CMap splits the string into codes and maps
//! them to CIDs; the descendant CIDFont (CIDFontType0/2) gives widths per
//! CID (/W, /DW; /W2, /DW2 when vertical) and, with its CIDSystemInfo, a way
//! from CID to Unicode.
//!
//! Unicode of a code, first usable source wins: ToUnicode; for Uni*-UCS2/
//! UTF16 CMaps the code itself; for an Identity encoding with an embedded
//! TrueType program, CID → GID (/CIDToGIDMap) → the program's own cmap
//! inverted; the character collection's UCS2 table (Adobe-GB1-UCS2, …) on
//! the CID (pdf.js's `buildToUnicode` does the same for predefined CMaps);
//! the embedded program for the other encodings; and for the GB family of
//! byte encodings (GBK-EUC, GBKp-EUC, GBK2K, GB-EUC), the code's bytes as
//! GBK/GB18030 through encoding_rs.
//! The range form of /W (`c_first c_last w`) is honoured: misreading it as
//! the array form shifts every later glyph (pdf-extract's bug).

use super::cmap::{self, CodeSpace, EmbeddedCMap, Predefined};
use super::decoded::{DecodedChar, VerticalMetrics};
use super::embedded::EmbeddedFont;
use super::simple::usable;
use super::util::{get, get_array, get_name, get_number, number, numbers, resolve};
use hayro_cmap::CidFamily;
use lopdf::{Document, Object};
use std::sync::{Arc, OnceLock};

/// How codes become CIDs.
#[derive(Debug, Clone)]
pub(crate) enum CodeToCid {
    Identity,
    Predefined(Arc<Predefined>),
    /// An embedded CMap stream, possibly over a predefined one (`usecmap`).
    Embedded(Box<EmbeddedCMap>, Option<Arc<Predefined>>),
}

impl CodeToCid {
    fn cid(&self, code: u32, len: usize) -> Option<u32> {
        match self {
            CodeToCid::Identity => Some(code),
            CodeToCid::Predefined(p) => p.cid(code, len),
            CodeToCid::Embedded(cm, base) => cm.cid(code).or_else(|| base.as_ref()?.cid(code, len)),
        }
    }

    fn predefined(&self) -> Option<&Predefined> {
        match self {
            CodeToCid::Predefined(p) => Some(p),
            CodeToCid::Embedded(_, Some(p)) => Some(p),
            _ => None,
        }
    }
}

/// Widths by CID: sorted, non-expanded ranges `(first, last, width)`.
#[derive(Debug, Clone, Default)]
pub(crate) struct CidWidths {
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
}

impl CidWidths {
    pub(crate) fn get(&self, cid: u32) -> f32 {
        let i = self.ranges.partition_point(|r| r.0 <= cid);
        match i.checked_sub(1).and_then(|j| self.ranges.get(j)) {
            Some(r) if cid <= r.1 => r.2,
            _ => self.default,
        }
    }

    /// Parse /W: `c [w1 w2 …]` gives consecutive CIDs from c,
    /// `c_first c_last w` one width for a whole range.
    pub(crate) fn parse(doc: &Document, w: &[Object], default: f32) -> CidWidths {
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < w.len() {
            let Some(first) = number(doc, &w[i]).filter(|v| *v >= 0.0) else {
                i += 1;
                continue;
            };
            let first = first as u32;
            match w.get(i + 1).and_then(|o| resolve(doc, o)) {
                Some(Object::Array(list)) => {
                    for (k, o) in list.iter().enumerate() {
                        if let Some(v) = number(doc, o) {
                            let c = first.saturating_add(k as u32);
                            push_merged(&mut ranges, c, v / 1000.0);
                        }
                    }
                    i += 2;
                }
                Some(o) => {
                    let last = number(doc, o).filter(|v| *v >= 0.0);
                    let wv = w.get(i + 2).and_then(|o| number(doc, o));
                    if let (Some(last), Some(wv)) = (last, wv) {
                        let last = last as u32;
                        if last >= first {
                            ranges.push((first, last, wv / 1000.0));
                        }
                    }
                    i += 3;
                }
                None => break,
            }
        }
        ranges.sort_by_key(|r| r.0);
        CidWidths { ranges, default }
    }
}

fn push_merged(ranges: &mut Vec<(u32, u32, f32)>, c: u32, w: f32) {
    if let Some(last) = ranges.last_mut() {
        if last.1.checked_add(1) == Some(c) && last.2 == w {
            last.1 = c;
            return;
        }
    }
    ranges.push((c, c, w));
}

/// Vertical metrics by CID (/W2, /DW2), in text space units.
#[derive(Debug, Clone)]
pub(crate) struct CidVertical {
    /// (first, last, w1y, vx, vy)
    ranges: Vec<(u32, u32, [f32; 3])>,
    /// DW2: (vy, w1y)
    default_vy: f32,
    default_w1y: f32,
}

impl CidVertical {
    pub(crate) fn parse(
        doc: &Document,
        w2: Option<&Vec<Object>>,
        dw2: Option<Vec<f32>>,
    ) -> CidVertical {
        let (default_vy, default_w1y) = match dw2.as_deref() {
            Some([vy, w1y, ..]) => (vy / 1000.0, w1y / 1000.0),
            _ => (0.88, -1.0),
        };
        let mut ranges = Vec::new();
        let w2: &[Object] = w2.map_or(&[], |v| v.as_slice());
        let mut i = 0;
        while i < w2.len() {
            let Some(first) = number(doc, &w2[i]).filter(|v| *v >= 0.0) else {
                i += 1;
                continue;
            };
            let first = first as u32;
            match w2.get(i + 1).and_then(|o| resolve(doc, o)) {
                Some(Object::Array(list)) => {
                    let vals = numbers(doc, list).unwrap_or_default();
                    for (k, t) in vals.chunks_exact(3).enumerate() {
                        let c = first.saturating_add(k as u32);
                        ranges.push((c, c, [t[0] / 1000.0, t[1] / 1000.0, t[2] / 1000.0]));
                    }
                    i += 2;
                }
                Some(o) => {
                    let last = number(doc, o).filter(|v| *v >= 0.0).map(|v| v as u32);
                    let t: Option<Vec<f32>> = w2
                        .get(i + 2..i + 5)
                        .and_then(|s| s.iter().map(|o| number(doc, o)).collect());
                    if let (Some(last), Some(t)) = (last, t) {
                        if last >= first {
                            ranges.push((
                                first,
                                last,
                                [t[0] / 1000.0, t[1] / 1000.0, t[2] / 1000.0],
                            ));
                        }
                    }
                    i += 5;
                }
                None => break,
            }
        }
        ranges.sort_by_key(|r| r.0);
        CidVertical {
            ranges,
            default_vy,
            default_w1y,
        }
    }

    fn get(&self, cid: u32, width: f32) -> VerticalMetrics {
        let i = self.ranges.partition_point(|r| r.0 <= cid);
        match i.checked_sub(1).and_then(|j| self.ranges.get(j)) {
            Some(r) if cid <= r.1 => VerticalMetrics {
                advance: r.2[0],
                vx: r.2[1],
                vy: r.2[2],
            },
            _ => VerticalMetrics {
                advance: self.default_w1y,
                vx: width / 2.0,
                vy: self.default_vy,
            },
        }
    }
}

/// CID → glyph index of the embedded program.
#[derive(Debug, Clone)]
pub(crate) enum CidToGid {
    Identity,
    /// /CIDToGIDMap stream of a CIDFontType2.
    Map(Vec<u16>),
    /// CIDFontType0: the CID-keyed CFF program's own charset.
    Charset,
}

impl CidToGid {
    fn gid(&self, cid: u32, ef: &EmbeddedFont) -> Option<u16> {
        match self {
            CidToGid::Identity => u16::try_from(cid).ok(),
            CidToGid::Map(m) => m.get(cid as usize).copied(),
            CidToGid::Charset => ef.gid_of_cid(cid),
        }
    }
}

/// The embedded program of a Type0 font: parsed at load when nothing else
/// gives Unicode, else only on the first code ToUnicode misses (ONLYOFFICE
/// embeds complete multi-megabyte CJK fonts next to a complete ToUnicode).
#[derive(Debug, Clone)]
pub(crate) enum Program {
    None,
    Ready(EmbeddedFont),
    Lazy(Box<LazyProgram>),
}

#[derive(Debug, Clone)]
pub(crate) struct LazyProgram {
    pub(crate) stream: lopdf::Stream,
    pub(crate) max_bytes: usize,
    pub(crate) parsed: OnceLock<Option<EmbeddedFont>>,
}

impl Program {
    fn get(&self) -> Option<&EmbeddedFont> {
        match self {
            Program::None => None,
            Program::Ready(e) => Some(e),
            Program::Lazy(l) => l
                .parsed
                .get_or_init(|| {
                    let data = super::util::stream_bytes(&l.stream, l.max_bytes).ok()?;
                    EmbeddedFont::parse(&data, false)
                })
                .as_ref(),
        }
    }
}

/// A loaded Type0 font.
#[derive(Debug, Clone)]
pub(crate) struct CidFont {
    pub(crate) codespace: CodeSpace,
    pub(crate) code_to_cid: CodeToCid,
    pub(crate) to_unicode: Option<EmbeddedCMap>,
    pub(crate) ucs2: Option<Arc<cmap::Ucs2>>,
    pub(crate) embedded: Program,
    /// Glyph recognition by shape, when nothing else gives Unicode.
    pub(crate) shapes: Option<Arc<super::shape::Shapes>>,
    pub(crate) cid_to_gid: CidToGid,
    pub(crate) widths: CidWidths,
    pub(crate) vertical: Option<CidVertical>,
}

impl CidFont {
    pub(crate) fn decode_into(&self, bytes: &[u8], out: &mut Vec<DecodedChar>) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let (code, n) = self.codespace.next_code(rest);
            let code_bytes = &rest[..n];
            rest = &rest[n..];
            let cid = self.code_to_cid.cid(code, n);
            let mut text = String::new();
            self.unicode_into(code, code_bytes, cid, &mut text);
            super::normalize::normalize_in_place(&mut text);
            let cid = cid.unwrap_or(0);
            let width = self.widths.get(cid);
            out.push(DecodedChar {
                code,
                unicode: text,
                width,
                is_word_space: n == 1 && code == 32,
                vertical: self.vertical.as_ref().map(|v| v.get(cid, width)),
            });
        }
    }

    fn unicode_into(&self, code: u32, code_bytes: &[u8], cid: Option<u32>, out: &mut String) {
        if let Some(tu) = &self.to_unicode {
            if tu.unicode_into(code, out) && usable(out) {
                return;
            }
            out.clear();
        }
        let pre = self.code_to_cid.predefined();
        if pre.is_some_and(|p| p.codes_are_unicode) {
            if let Some(s) = unicode_code(code, code_bytes.len()) {
                out.push_str(&s);
                return;
            }
        }
        let identity = matches!(self.code_to_cid, CodeToCid::Identity);
        if identity && self.via_embedded(cid, out) {
            return;
        }
        if let (Some(ucs2), Some(cid)) = (&self.ucs2, cid) {
            if ucs2.push_unicode(cid, out) {
                if out == "\u{2002}" {
                    // Adobe-GB1 maps its half-width space (the CID of byte
                    // 0x20 in the EUC CMaps) to EN SPACE; it is a plain space.
                    out.clear();
                    out.push(' ');
                }
                if usable(out) {
                    return;
                }
                out.clear();
            }
        }
        if !identity && self.via_embedded(cid, out) {
            return;
        }
        if pre.is_some_and(|p| p.codes_are_gbk) {
            let (s, errors) = encoding_rs::GB18030.decode_without_bom_handling(code_bytes);
            if !errors && usable(&s) {
                out.push_str(&s);
            }
        }
    }

    /// Whether any source of Unicode exists for this font.
    pub(crate) fn has_unicode_source(&self) -> bool {
        let pre = self.code_to_cid.predefined();
        self.to_unicode.is_some()
            || self.ucs2.is_some()
            || pre.is_some_and(|p| p.codes_are_unicode || p.codes_are_gbk)
            || matches!(self.embedded, Program::Lazy(_))
            || self.embedded.get().is_some_and(|e| e.has_unicode())
            || self.shapes.is_some()
    }

    fn via_embedded(&self, cid: Option<u32>, out: &mut String) -> bool {
        let (Some(ef), Some(cid)) = (self.embedded.get(), cid) else {
            return false;
        };
        match self.cid_to_gid.gid(cid, ef) {
            Some(gid) if ef.push_unicode_of_gid(gid, out) => true,
            Some(gid) => match self.shapes.as_ref().and_then(|s| s.char_of(gid)) {
                Some(c) => {
                    out.push(c);
                    true
                }
                None => false,
            },
            None => false,
        }
    }
}

/// A Uni*-UCS2/UTF16 code as text (2 bytes: one unit; 4: a surrogate pair).
fn unicode_code(code: u32, len: usize) -> Option<String> {
    let units: Vec<u16> = match len {
        1 => vec![code as u16],
        2 => vec![code as u16],
        4 => vec![(code >> 16) as u16, code as u16],
        _ => return None,
    };
    let s: String = char::decode_utf16(units).collect::<Result<_, _>>().ok()?;
    usable(&s).then_some(s)
}

/// What the loader found for a Type0 font.
pub(crate) struct CidInputs<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) descendant: Option<&'a lopdf::Dictionary>,
    pub(crate) code_to_cid: CodeToCid,
    pub(crate) codespace: CodeSpace,
    pub(crate) to_unicode: Option<EmbeddedCMap>,
    pub(crate) embedded: Program,
    pub(crate) cid_to_gid: CidToGid,
    pub(crate) vertical: bool,
}

pub(crate) fn build(inp: CidInputs<'_>) -> CidFont {
    let doc = inp.doc;
    let desc = inp.descendant;
    let dw = desc
        .and_then(|d| get_number(doc, d, b"DW"))
        .map_or(1.0, |v| v / 1000.0);
    let widths = match desc.and_then(|d| get_array(doc, d, b"W")) {
        Some(w) => CidWidths::parse(doc, w, dw),
        None => CidWidths {
            ranges: Vec::new(),
            default: dw,
        },
    };
    let vertical = inp.vertical.then(|| {
        let w2 = desc.and_then(|d| get_array(doc, d, b"W2"));
        let dw2 = desc
            .and_then(|d| get_array(doc, d, b"DW2"))
            .and_then(|a| numbers(doc, a));
        CidVertical::parse(doc, w2, dw2)
    });
    // Character collection: the descendant's CIDSystemInfo, else the CMap's.
    let family = desc
        .and_then(|d| get(doc, d, b"CIDSystemInfo"))
        .and_then(|o| match o {
            Object::Dictionary(si) => {
                let reg = get(doc, si, b"Registry")?;
                let ord = get(doc, si, b"Ordering")?;
                let reg = reg.as_str().ok().or_else(|| reg.as_name().ok())?;
                let ord = ord.as_str().ok().or_else(|| ord.as_name().ok())?;
                Some(CidFamily::from_registry_ordering(reg, ord))
            }
            _ => None,
        })
        .filter(|f| f.ucs2_cmap().is_some())
        .or_else(|| inp.code_to_cid.predefined().and_then(|p| p.family.clone()));
    let ucs2 = family.as_ref().and_then(cmap::ucs2_for);
    CidFont {
        codespace: inp.codespace,
        code_to_cid: inp.code_to_cid,
        to_unicode: inp.to_unicode,
        ucs2,
        embedded: inp.embedded,
        shapes: None,
        cid_to_gid: inp.cid_to_gid,
        widths,
        vertical,
    }
}

/// The /CIDToGIDMap of a descendant (a stream of big-endian u16, or Identity).
pub(crate) fn cid_to_gid(
    doc: &Document,
    desc: Option<&lopdf::Dictionary>,
    max_bytes: usize,
    warn: &mut dyn FnMut(String),
) -> CidToGid {
    let Some(obj) = desc.and_then(|d| get(doc, d, b"CIDToGIDMap")) else {
        return CidToGid::Identity;
    };
    match obj {
        Object::Stream(s) => match super::util::stream_bytes(s, max_bytes) {
            Ok(b) => CidToGid::Map(
                b.chunks_exact(2)
                    .map(|p| u16::from_be_bytes([p[0], p[1]]))
                    .collect(),
            ),
            Err(e) => {
                warn(format!("CIDToGIDMap unreadable ({e}); using identity"));
                CidToGid::Identity
            }
        },
        _ => CidToGid::Identity,
    }
}

/// The name of the descendant's subtype, for choosing the program reader.
pub(crate) fn descendant_subtype<'a>(
    doc: &'a Document,
    desc: Option<&'a lopdf::Dictionary>,
) -> Option<&'a [u8]> {
    get_name(doc, desc?, b"Subtype")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w_array_and_range_forms() {
        let doc = Document::with_version("1.5");
        // 1 [500 600] 10 20 250 30 [700]: CIDs 1,2 then 10..=20 at 250, then 30.
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(500), Object::Integer(600)]),
            Object::Integer(10),
            Object::Integer(20),
            Object::Integer(250),
            Object::Integer(30),
            Object::Array(vec![Object::Real(700.0)]),
        ];
        let ws = CidWidths::parse(&doc, &w, 1.0);
        assert_eq!(ws.get(1), 0.5);
        assert_eq!(ws.get(2), 0.6);
        assert_eq!(ws.get(3), 1.0);
        assert_eq!(ws.get(10), 0.25);
        assert_eq!(ws.get(15), 0.25);
        assert_eq!(ws.get(20), 0.25);
        assert_eq!(ws.get(21), 1.0);
        assert_eq!(ws.get(30), 0.7);
        assert_eq!(ws.get(31), 1.0);
    }

    #[test]
    fn w2_and_dw2() {
        let doc = Document::with_version("1.5");
        let w2 = vec![
            Object::Integer(5),
            Object::Array(vec![
                Object::Integer(-500),
                Object::Integer(250),
                Object::Integer(800),
            ]),
            Object::Integer(8),
            Object::Integer(9),
            Object::Integer(-900),
            Object::Integer(500),
            Object::Integer(880),
        ];
        let v = CidVertical::parse(&doc, Some(&w2), Some(vec![900.0, -1000.0]));
        assert_eq!(v.get(5, 1.0).advance, -0.5);
        assert_eq!(v.get(9, 1.0).vy, 0.88);
        let d = v.get(100, 1.0);
        assert_eq!((d.advance, d.vx, d.vy), (-1.0, 0.5, 0.9));
    }

    /// With no CID → Unicode table at hand, GB family codes are read as
    /// GBK/GB18030 bytes (2-byte and 4-byte codes).
    #[test]
    fn gbk_bytes_fallback() {
        let p = cmap::predefined(b"GBK2K-H").unwrap();
        let font = CidFont {
            codespace: p.codespace.clone(),
            code_to_cid: CodeToCid::Predefined(p),
            to_unicode: None,
            ucs2: None,
            embedded: Program::None,
            shapes: None,
            cid_to_gid: CidToGid::Identity,
            widths: CidWidths::default(),
            vertical: None,
        };
        let mut out = Vec::new();
        font.decode_into(&[0xC7, 0xB3, 0x81, 0x39, 0xEE, 0x39, 0x41], &mut out);
        let text: String = out.iter().map(|c| c.unicode.as_str()).collect();
        assert_eq!(text, "浅\u{3400}A");
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn utf16_codes() {
        assert_eq!(unicode_code(0x76EE, 2).as_deref(), Some("目"));
        assert_eq!(unicode_code(0xD840_DC00, 4).as_deref(), Some("\u{20000}"));
        assert_eq!(unicode_code(0xD840, 2), None);
    }
}
