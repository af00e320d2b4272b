//! Embedded font programs as a source of Unicode: an Identity-H font
//! without ToUnicode usually still carries its own `cmap` table, so glyph →
//! Unicode is that table inverted. (Not encodings/issue3405r.pdf, whatever
//! ../shared/real/SOURCES.md says: its WenQuanYi subset has no `cmap`,
//! `post` or `name` table at all; `shape` recognises its glyphs by outline.) Simple TrueType fonts without a usable encoding are mapped
//! code → glyph through their (3,0)/(1,0) subtables, as pdf.js's `fonts.js`
//! does for symbolic TrueType fonts (idea, not code), and bare CFF programs
//! (FontFile3 /Type1C) through their built-in encoding and glyph names.
//! Parsing uses `ttf-parser`; everything needed is copied out at load, so
//! the font program is not kept.

use super::format4;
use super::glyph_names::glyph_name_to_unicode;
use std::collections::HashMap;
use ttf_parser::{GlyphId, PlatformId};

/// What we keep of an embedded font program.
#[derive(Debug, Clone, Default)]
pub(crate) struct EmbeddedFont {
    /// Code point of each glyph (0 = unknown), from the inverted Unicode
    /// cmap subtables, else from the glyph's name.
    gid_unicode: Vec<u32>,
    /// Code → glyph through the symbol (3,0) or Macintosh (1,0) subtable,
    /// or a bare CFF's encoding (0 = none).
    code_gid: Vec<u16>,
    /// Code → glyph through the Unicode subtable read as if codes were
    /// Unicode (0 = none), the last resort of pdf.js for such fonts.
    code_gid_unicode: Vec<u16>,
    /// Glyph name → glyph (simple fonts only; CID fonts rarely have names).
    by_name: HashMap<String, u16>,
    /// Horizontal advance of each glyph in text space units (simple fonts).
    advances: Vec<f32>,
    /// CID → glyph of a CID-keyed CFF program (its charset inverted).
    cff_cids: HashMap<u16, u16>,
}

pub(super) fn rank(cp: u32) -> (bool, bool, u32) {
    let pua = (0xE000..=0xF8FF).contains(&cp) || cp >= 0xF0000;
    let compat = (0x2E80..=0x2FDF).contains(&cp)
        || (0xF900..=0xFAFF).contains(&cp)
        || (0x2F800..=0x2FA1F).contains(&cp);
    (pua, compat, cp)
}

impl EmbeddedFont {
    /// Read a TrueType/OpenType (sfnt) program, or a bare CFF one.
    /// `simple` asks for the per-code tables of a simple font.
    pub(crate) fn parse(data: &[u8], simple: bool) -> Option<EmbeddedFont> {
        if let Ok(face) = ttf_parser::Face::parse(data, 0) {
            return Some(Self::from_face(&face, simple));
        }
        if let Some(cff) = ttf_parser::cff::Table::parse(data) {
            return Some(Self::from_cff(&cff, simple));
        }
        // A TrueType program missing a table ttf-parser insists on (hhea,
        // maxp) may still have a readable cmap.
        let raw = ttf_parser::RawFace::parse(data, 0).ok()?;
        let cmap_raw = raw.table(ttf_parser::Tag::from_bytes(b"cmap"))?;
        let cmap = ttf_parser::cmap::Table::parse(cmap_raw)?;
        let mut ef = EmbeddedFont::default();
        ef.fill_from_cmap(&cmap, Some(cmap_raw), u16::MAX, simple);
        Some(ef)
    }

    fn from_face(face: &ttf_parser::Face<'_>, simple: bool) -> EmbeddedFont {
        let n = face.number_of_glyphs();
        let mut ef = EmbeddedFont {
            gid_unicode: vec![0; n as usize],
            ..Default::default()
        };
        if let Some(cmap) = face.tables().cmap {
            let raw = face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
            ef.fill_from_cmap(&cmap, raw, n, simple);
        }
        if let Some(cff) = face.tables().cff {
            ef.cff_cids = cff_cids(&cff);
        }
        // Glyphs the cmap does not reach: their names.
        for gid in 0..n {
            let Some(slot) = ef.gid_unicode.get_mut(gid as usize) else {
                break;
            };
            let Some(name) = face.glyph_name(GlyphId(gid)) else {
                continue;
            };
            if *slot == 0 {
                if let Some(c) = glyph_name_to_unicode(name.as_bytes()).and_then(single_char) {
                    *slot = c as u32;
                }
            }
            if simple {
                ef.by_name.insert(name.to_string(), gid);
            }
        }
        if simple {
            let upem = face.units_per_em().max(1) as f32;
            ef.advances = (0..n)
                .map(|g| face.glyph_hor_advance(GlyphId(g)).unwrap_or(0) as f32 / upem)
                .collect();
        }
        ef
    }

    fn fill_from_cmap(
        &mut self,
        cmap: &ttf_parser::cmap::Table<'_>,
        raw: Option<&[u8]>,
        n: u16,
        simple: bool,
    ) {
        let mut best: HashMap<u16, u32> = HashMap::new();
        let mut symbol_best: HashMap<u16, u32> = HashMap::new();
        if simple {
            self.code_gid = vec![0; 256];
            self.code_gid_unicode = vec![0; 256];
        }
        // Formats 12 and 13 can declare the whole code space in one group;
        // walking their code points would let a hostile font spin for
        // minutes, so they are inverted group by group from the raw table.
        if let Some(raw) = raw {
            segmented_groups(raw, n, &mut |unicode, cp, gid| {
                if unicode {
                    let e = best.entry(gid).or_insert(cp);
                    if rank(cp) < rank(*e) {
                        *e = cp;
                    }
                }
            });
        }
        for sub in cmap.subtables {
            let segmented = matches!(
                sub.format,
                ttf_parser::cmap::Format::SegmentedCoverage(_)
                    | ttf_parser::cmap::Format::ManyToOneRangeMappings(_)
            );
            if sub.is_unicode() {
                if segmented {
                    // Inverted above; still usable for code lookups below.
                } else {
                    each_codepoint(&sub, raw, &mut |cp| {
                        let Some(g) = sub.glyph_index(cp) else { return };
                        if g.0 == 0 || g.0 >= n {
                            return;
                        }
                        let e = best.entry(g.0).or_insert(cp);
                        if rank(cp) < rank(*e) {
                            *e = cp;
                        }
                    });
                }
                if simple {
                    for (code, slot) in self.code_gid_unicode.iter_mut().enumerate() {
                        if *slot == 0 {
                            *slot = sub.glyph_index(code as u32).map_or(0, |g| g.0);
                        }
                    }
                }
            } else {
                let symbol = sub.platform_id == PlatformId::Windows && sub.encoding_id == 0;
                if symbol && !segmented {
                    // A symbol font's codes (0xF020.. or bare bytes) stand
                    // for the bytes of its symbol set; poppler reports those.
                    each_codepoint(&sub, raw, &mut |cp| {
                        let Some(g) = sub.glyph_index(cp) else { return };
                        let byte = if (0xF020..=0xF0FF).contains(&cp) {
                            cp - 0xF000
                        } else {
                            cp
                        };
                        if g.0 != 0 && g.0 < n && (0x20..=0xFF).contains(&byte) {
                            symbol_best.entry(g.0).or_insert(byte);
                        }
                    });
                }
                if !simple {
                    continue;
                }
                let mac = sub.platform_id == PlatformId::Macintosh && sub.encoding_id == 0;
                if !(symbol || mac) {
                    continue;
                }
                for (code, slot) in self.code_gid.iter_mut().enumerate() {
                    if *slot != 0 {
                        continue;
                    }
                    let c = code as u32;
                    let tries: &[u32] = if symbol {
                        &[c, 0xF000 | c, 0xF100 | c, 0xF200 | c]
                    } else {
                        &[c]
                    };
                    *slot = tries
                        .iter()
                        .find_map(|&t| sub.glyph_index(t).filter(|g| g.0 != 0))
                        .map_or(0, |g| g.0);
                }
            }
        }
        for (g, cp) in symbol_best {
            best.entry(g).or_insert(cp);
        }
        if self.gid_unicode.is_empty() {
            let max = best.keys().copied().max().unwrap_or(0) as usize;
            self.gid_unicode = vec![0; max + 1];
        }
        for (g, cp) in best {
            if let Some(slot) = self.gid_unicode.get_mut(g as usize) {
                *slot = cp;
            }
        }
    }

    fn from_cff(cff: &ttf_parser::cff::Table<'_>, simple: bool) -> EmbeddedFont {
        let n = cff.number_of_glyphs();
        let mut ef = EmbeddedFont {
            gid_unicode: vec![0; n as usize],
            cff_cids: cff_cids(cff),
            ..Default::default()
        };
        for gid in 0..n {
            let Some(name) = cff.glyph_name(GlyphId(gid)) else {
                continue;
            };
            if let Some(c) = glyph_name_to_unicode(name.as_bytes()).and_then(single_char) {
                if let Some(slot) = ef.gid_unicode.get_mut(gid as usize) {
                    *slot = c as u32;
                }
            }
            if simple {
                ef.by_name.insert(name.to_string(), gid);
            }
        }
        if simple {
            ef.code_gid = (0..=255u8)
                .map(|c| cff.glyph_index(c).map_or(0, |g| g.0))
                .collect();
            let scale = cff.matrix().sx;
            ef.advances = (0..n)
                .map(|g| cff.glyph_width(GlyphId(g)).unwrap_or(0) as f32 * scale)
                .collect();
        }
        ef
    }

    /// The Unicode text of a glyph, if the program says.
    pub(crate) fn unicode_of_gid(&self, gid: u16) -> Option<String> {
        let cp = *self.gid_unicode.get(gid as usize)?;
        if cp == 0 {
            return None;
        }
        char::from_u32(cp).map(|c| c.to_string())
    }

    /// Same, pushed onto `out`; false when unknown.
    pub(crate) fn push_unicode_of_gid(&self, gid: u16, out: &mut String) -> bool {
        match self
            .gid_unicode
            .get(gid as usize)
            .copied()
            .and_then(char::from_u32)
        {
            Some(c) if c != '\0' => {
                out.push(c);
                true
            }
            _ => false,
        }
    }

    /// The glyph of a simple font's code. `unicode_first`: the code is
    /// meant as a character of a standard encoding (try the Unicode subtable
    /// before the symbol one).
    pub(crate) fn simple_gid(&self, code: u8, unicode_first: bool) -> Option<u16> {
        let sym = self
            .code_gid
            .get(code as usize)
            .copied()
            .filter(|&g| g != 0);
        let uni = self
            .code_gid_unicode
            .get(code as usize)
            .copied()
            .filter(|&g| g != 0);
        if unicode_first {
            uni.or(sym)
        } else {
            sym.or(uni)
        }
    }

    /// The glyph of a CID in a CID-keyed CFF program (CID = GID when the
    /// program is not CID-keyed).
    pub(crate) fn gid_of_cid(&self, cid: u32) -> Option<u16> {
        let cid = u16::try_from(cid).ok()?;
        if self.cff_cids.is_empty() {
            return Some(cid);
        }
        self.cff_cids.get(&cid).copied()
    }

    pub(crate) fn gid_by_name(&self, name: &str) -> Option<u16> {
        self.by_name.get(name).copied()
    }

    /// Whether the program says anything about Unicode.
    pub(crate) fn has_unicode(&self) -> bool {
        self.gid_unicode.iter().any(|&c| c != 0)
    }

    pub(crate) fn advance(&self, gid: u16) -> Option<f32> {
        self.advances
            .get(gid as usize)
            .copied()
            .filter(|a| *a > 0.0)
    }
}

/// Every code point a subtable maps, visiting each at most once. Format 4
/// is walked over the union of its segments (read from the raw table): its
/// own iterator visits overlapping segments again and again, which a hostile
/// font can make billions of calls.
pub(super) fn each_codepoint(
    sub: &ttf_parser::cmap::Subtable<'_>,
    raw: Option<&[u8]>,
    f: &mut dyn FnMut(u32),
) {
    if let ttf_parser::cmap::Format::SegmentMappingToDeltaValues(_) = sub.format {
        let platform = format4::platform_number(sub.platform_id);
        let union = raw.and_then(|r| {
            format4::offset(r, platform, sub.encoding_id).and_then(|at| format4::union(r, at))
        });
        match union {
            Some(ranges) => {
                for (a, b) in ranges {
                    (a..=b).for_each(&mut *f);
                }
            }
            None => (0..=0xFFFF).for_each(f),
        }
        return;
    }
    sub.codepoints(f);
}

/// Most (code point, glyph) pairs taken from format 12/13 subtables of one
/// font: a bound on the work a hostile cmap can cause.
const MAX_SEGMENTED_PAIRS: usize = 1 << 21;

/// Walk the format 12 and 13 subtables of a raw `cmap` table with Unicode
/// platform/encoding, calling `f(unicode, code point, glyph)` for each glyph
/// below `n` (format 13: once per group, with its first code point).
pub(super) fn segmented_groups(raw: &[u8], n: u16, f: &mut dyn FnMut(bool, u32, u16)) {
    let u16_at = |o: usize| raw.get(o..o + 2)?.try_into().ok().map(u16::from_be_bytes);
    let u32_at = |o: usize| {
        raw.get(o..o + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_be_bytes)
    };
    let Some(count) = u16_at(2) else { return };
    let mut budget = MAX_SEGMENTED_PAIRS;
    for i in 0..count as usize {
        let rec = 4 + i * 8;
        let (Some(platform), Some(encoding), Some(offset)) =
            (u16_at(rec), u16_at(rec + 2), u32_at(rec + 4))
        else {
            return;
        };
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if !unicode {
            continue;
        }
        let off = offset as usize;
        let format = u16_at(off);
        if format != Some(12) && format != Some(13) {
            continue;
        }
        let Some(groups) = u32_at(off + 12) else {
            continue;
        };
        for g in 0..groups as usize {
            let base = off + 16 + g * 12;
            let (Some(start), Some(end), Some(gid)) =
                (u32_at(base), u32_at(base + 4), u32_at(base + 8))
            else {
                break;
            };
            if end < start || gid >= n as u32 {
                continue;
            }
            if format == Some(13) {
                if gid != 0 && budget > 0 {
                    budget -= 1;
                    f(true, start, gid as u16);
                }
                continue;
            }
            // Format 12: glyphs gid.. for code points start..=end, only
            // those below n matter.
            let span = (end - start).min(n as u32 - 1 - gid);
            for k in 0..=span {
                if budget == 0 {
                    return;
                }
                budget -= 1;
                let g = gid + k;
                if g != 0 {
                    f(true, start + k, g as u16);
                }
            }
        }
    }
}

/// The charset of a CID-keyed CFF program, inverted (empty otherwise).
fn cff_cids(cff: &ttf_parser::cff::Table<'_>) -> HashMap<u16, u16> {
    (0..cff.number_of_glyphs())
        .filter_map(|g| cff.glyph_cid(GlyphId(g)).map(|c| (c, g)))
        .collect()
}

fn single_char(s: String) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    it.next().is_none().then_some(c)
}

#[cfg(test)]
mod tests {
    use super::super::FontCache;
    use crate::Limits;
    use lopdf::{dictionary, Document, Object, Stream};

    const MINI_CJK: &[u8] = include_bytes!("testdata/mini-cjk.ttf");
    const MINI_SYMBOL: &[u8] = include_bytes!("testdata/mini-symbol.ttf");

    fn type0(doc: &mut Document, extra: lopdf::Dictionary, to_unicode: Option<&[u8]>) -> Object {
        let file = doc.add_object(Stream::new(dictionary! {}, MINI_CJK.to_vec()));
        let desc = doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontName" => "Mini", "Flags" => 4, "FontFile2" => file,
            "Ascent" => 880, "Descent" => -120,
        });
        let mut cid = dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Mini", "FontDescriptor" => desc,
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("GB1"),
                "Supplement" => 5,
            },
        };
        cid.extend(&extra);
        let mut font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Mini", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Dictionary(cid)],
        };
        if let Some(tu) = to_unicode {
            font.set(
                "ToUnicode",
                doc.add_object(Stream::new(dictionary! {}, tu.to_vec())),
            );
        }
        Object::Reference(doc.add_object(font))
    }

    /// Identity-H, no ToUnicode: the program's cmap inverted, preferred over
    /// the (wrong, since CIDs are glyph ids) GB1 collection; a glyph reached
    /// by a Kangxi radical and its unified ideograph reads as the latter.
    #[test]
    fn identity_without_to_unicode_reads_program_cmap() {
        let mut doc = Document::with_version("1.5");
        let f = type0(&mut doc, dictionary! {}, None);
        let mut cache = FontCache::new();
        let font = cache.get(&doc, &f, b"F1", &Limits::default());
        assert_eq!(font.decode_text(&[0, 1, 0, 2, 0, 3]), "中文一");
        assert!(cache.warnings.is_empty(), "{:?}", cache.warnings);

        // CIDToGIDMap stream: CID 3 is glyph 1.
        let map = doc.add_object(Stream::new(dictionary! {}, vec![0, 0, 0, 0, 0, 0, 0, 1]));
        let f = type0(&mut doc, dictionary! { "CIDToGIDMap" => map }, None);
        let font = FontCache::new().get(&doc, &f, b"F1", &Limits::default());
        assert_eq!(font.decode_text(&[0, 3]), "中");
    }

    /// A ToUnicode that misses a code: the program (loaded on demand) fills in.
    #[test]
    fn partial_to_unicode_falls_back_to_program() {
        let mut doc = Document::with_version("1.5");
        let tu = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                   1 beginbfchar <0001> <0058> endbfchar\n1 beginbfchar <0003> <0001> endbfchar";
        let f = type0(&mut doc, dictionary! {}, Some(tu));
        let font = FontCache::new().get(&doc, &f, b"F1", &Limits::default());
        // 1: ToUnicode; 2: not in ToUnicode; 3: ToUnicode maps to a control
        // character, not trusted.
        assert_eq!(font.decode_text(&[0, 1, 0, 2, 0, 3]), "X文一");
    }

    /// Format 12/13 subtables are inverted group by group, bounded by the
    /// glyph count even when a group claims every code point.
    #[test]
    fn segmented_cmap_groups_are_bounded() {
        let mut raw = vec![0, 0, 0, 2];
        for (enc, off) in [(10u16, 20u32), (10, 72)] {
            raw.extend_from_slice(&3u16.to_be_bytes());
            raw.extend_from_slice(&enc.to_be_bytes());
            raw.extend_from_slice(&off.to_be_bytes());
        }
        for (format, groups) in [
            (
                12u16,
                vec![
                    (0x20000u32, 0x20001u32, 1u32),
                    (0, u32::MAX, 5),
                    (7, 9, 70_000),
                ],
            ),
            (13, vec![(0x4E00, 0x4E05, 3), (0, u32::MAX, 4)]),
        ] {
            raw.extend_from_slice(&format.to_be_bytes());
            raw.extend_from_slice(&[0, 0]);
            raw.extend_from_slice(&(16 + 12 * groups.len() as u32).to_be_bytes());
            raw.extend_from_slice(&[0, 0, 0, 0]);
            raw.extend_from_slice(&(groups.len() as u32).to_be_bytes());
            for (a, b, g) in groups {
                for v in [a, b, g] {
                    raw.extend_from_slice(&v.to_be_bytes());
                }
            }
        }
        let mut seen = vec![];
        super::segmented_groups(&raw, 10, &mut |_, cp, g| seen.push((cp, g)));
        assert_eq!(
            seen,
            vec![
                (0x20000, 1),
                (0x20001, 2),
                (0, 5),
                (1, 6),
                (2, 7),
                (3, 8),
                (4, 9),
                (0x4E00, 3),
                (0, 4),
            ]
        );
        // Truncated tables end the walk quietly.
        for cut in 0..raw.len() {
            super::segmented_groups(&raw[..cut], 10, &mut |_, _, _| {});
        }
    }

    /// Corrupted programs (bytes flipped, truncated) parse or are refused,
    /// never panic; a deterministic generator keeps the test reproducible.
    #[test]
    fn corrupted_programs_never_panic() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for base in [MINI_CJK, MINI_SYMBOL] {
            for round in 0..400 {
                let mut data = base.to_vec();
                for _ in 0..(1 + round % 8) {
                    let i = (next() as usize) % data.len();
                    data[i] = next() as u8;
                }
                if round % 5 == 0 {
                    data.truncate((next() as usize) % base.len());
                }
                for simple in [false, true] {
                    if let Some(ef) = super::EmbeddedFont::parse(&data, simple) {
                        for g in 0..8 {
                            let _ = ef.unicode_of_gid(g);
                            let _ = ef.advance(g);
                        }
                        for c in 0..=255u8 {
                            let _ = ef.simple_gid(c, simple);
                        }
                    }
                }
            }
        }
    }

    /// A symbolic simple TrueType without /Encoding: code → (3,0) glyph →
    /// Unicode through the program's Unicode subtable; widths from /Widths.
    #[test]
    fn symbolic_simple_truetype() {
        let mut doc = Document::with_version("1.5");
        let file = doc.add_object(Stream::new(dictionary! {}, MINI_SYMBOL.to_vec()));
        let desc = doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontName" => "ABCDEF+Mini", "Flags" => 4, "FontFile2" => file,
        });
        let f = Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "ABCDEF+Mini",
            "FirstChar" => 65, "Widths" => vec![1000.into(), 500.into()], "FontDescriptor" => desc,
        });
        let font = FontCache::new().get(&doc, &f, b"F1", &Limits::default());
        assert_eq!(font.name, "Mini");
        let mut out = Vec::new();
        font.decode_into(b"AB", &mut out);
        assert_eq!(out[0].unicode, "中");
        assert_eq!(out[1].unicode, "文");
        assert_eq!((out[0].width, out[1].width), (1.0, 0.5));
    }
}
