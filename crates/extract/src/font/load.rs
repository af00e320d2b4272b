//! From a font dictionary to a [`Font`]: gather ToUnicode, the encoding
//! (a name, /Differences, or a CMap), the descriptor's metrics and the
//! embedded program, then hand them to `simple` or `cid`. Anything
//! unreadable is skipped with a warning; the font still loads with what is
//! left, and only a missing dictionary yields the Latin-1 fallback.

use super::cid::{self, CidInputs, CodeToCid};
use super::cmap::{predefined, CodeSpace, EmbeddedCMap};
use super::embedded::EmbeddedFont;
use super::loaded::{Font, Kind};
use super::shape;
use super::simple::{self, SimpleInputs};
use super::util::{get, get_array, get_dict, get_name, get_stream, numbers, stream_bytes, text_of};
use crate::Limits;
use lopdf::{Dictionary, Document, Object};

/// Simple fonts' programs larger than this (compressed) are only parsed when
/// nothing else can say what the glyphs are: a complete font is megabytes,
/// and its cmap only matters without ToUnicode or /Widths.
const PROGRAM_PARSE_ALWAYS_BYTES: usize = 256 << 10;

pub(crate) fn load(
    doc: &Document,
    dict: Option<&Dictionary>,
    resource_name: &[u8],
    limits: &Limits,
    shape_budget: &shape::Budget,
    warnings: &mut Vec<String>,
) -> Font {
    let Some(dict) = dict else {
        let name = text_of(resource_name);
        warnings.push(format!(
            "font {name}: no font dictionary; reading bytes as Latin-1"
        ));
        return Font::fallback(&name);
    };
    let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"Type1");
    let name = font_name(doc, dict, resource_name, subtype == b"Type0");
    let mut warn = |m: String| warnings.push(format!("font {name}: {m}"));
    let max = limits.max_stream_bytes;
    let to_unicode = read_to_unicode(doc, dict, max, &mut warn);

    if subtype == b"Type0" {
        load_type0(
            doc,
            dict,
            name.clone(),
            to_unicode,
            max,
            shape_budget,
            &mut warn,
        )
    } else {
        load_simple(doc, dict, subtype, name.clone(), to_unicode, max, &mut warn)
    }
}

fn load_simple(
    doc: &Document,
    dict: &Dictionary,
    subtype: &[u8],
    name: String,
    to_unicode: Option<EmbeddedCMap>,
    max: usize,
    warn: &mut dyn FnMut(String),
) -> Font {
    let is_type3 = subtype == b"Type3";
    let descriptor = simple::descriptor(doc, dict);
    let has_widths = get_array(doc, dict, b"Widths").is_some();
    let mut embedded = None;
    let mut builtin = None;
    if let Some(desc) = descriptor {
        if let Some(s) = get_stream(doc, desc, b"FontFile") {
            if to_unicode.is_none() || !has_widths {
                match stream_bytes(s, max) {
                    Ok(b) => builtin = simple::type1_builtin_encoding(&b),
                    Err(e) => warn(format!("Type 1 program unreadable ({e})")),
                }
            }
        } else {
            embedded = read_program(doc, desc, to_unicode.is_some() && has_widths, max, warn);
        }
    }
    let (scale, yscale) = if is_type3 {
        (
            simple::type3_scale(doc, dict),
            simple::type3_yscale(doc, dict),
        )
    } else {
        (0.001, 0.001)
    };
    let sf = simple::load(&SimpleInputs {
        doc,
        dict,
        descriptor,
        subtype,
        to_unicode: to_unicode.as_ref(),
        embedded: embedded.as_ref(),
        builtin: builtin.as_deref(),
        base_font: &name,
        scale,
    });
    let bbox_dict = if is_type3 { Some(dict) } else { descriptor };
    let (ascent, descent) = match (descriptor, is_type3) {
        // A standard 14 font without descriptor: its own metrics.
        (None, false) => simple::standard_font(&name, 0)
            .map(|s| s.ascent_descent())
            .unwrap_or((0.88, -0.12)),
        _ => metrics(doc, descriptor, bbox_dict, yscale, is_type3),
    };
    Font {
        name,
        vertical: false,
        ascent,
        descent,
        kind: Kind::Simple(Box::new(sf)),
    }
}

fn load_type0(
    doc: &Document,
    dict: &Dictionary,
    name: String,
    to_unicode: Option<EmbeddedCMap>,
    max: usize,
    shape_budget: &shape::Budget,
    warn: &mut dyn FnMut(String),
) -> Font {
    let (code_to_cid, codespace, vertical) = match get(doc, dict, b"Encoding") {
        // Identity: codes are CIDs, and with an embedded TrueType program
        // the CIDs are (through CIDToGIDMap) its glyphs, whatever the
        // CIDSystemInfo claims — so the program's cmap is asked first.
        Some(Object::Name(n)) if n == b"Identity-H" || n == b"Identity-V" => {
            (CodeToCid::Identity, CodeSpace::fixed(2), n == b"Identity-V")
        }
        Some(Object::Name(n)) => match predefined(n) {
            Some(p) => {
                let cs = p.codespace.clone();
                let v = p.vertical;
                (CodeToCid::Predefined(p), cs, v)
            }
            None => {
                warn(format!(
                    "unknown CMap {}; reading 2-byte identity codes",
                    String::from_utf8_lossy(n)
                ));
                (CodeToCid::Identity, CodeSpace::fixed(2), n.ends_with(b"-V"))
            }
        },
        Some(Object::Stream(s)) => match stream_bytes(s, max) {
            Ok(b) => {
                let cm = EmbeddedCMap::parse(&b);
                // The parent CMap: `usecmap` in the text, or /UseCMap in the
                // stream dictionary (a name; an embedded parent is not followed).
                let base = cm
                    .usecmap
                    .as_deref()
                    .or_else(|| get_name(doc, &s.dict, b"UseCMap"))
                    .and_then(predefined);
                let cs = if cm.declares_codespace() {
                    cm.codespace()
                } else {
                    base.as_ref()
                        .map_or_else(|| CodeSpace::fixed(2), |p| p.codespace.clone())
                };
                let v = cm.vertical || base.as_ref().is_some_and(|p| p.vertical);
                if !cm.has_cids() && base.is_none() {
                    warn("encoding CMap maps no CIDs; reading codes as CIDs".into());
                    (CodeToCid::Identity, cs, v)
                } else {
                    (CodeToCid::Embedded(Box::new(cm), base), cs, v)
                }
            }
            Err(e) => {
                warn(format!("encoding CMap unreadable ({e}); reading identity"));
                (CodeToCid::Identity, CodeSpace::fixed(2), false)
            }
        },
        _ => (CodeToCid::Identity, CodeSpace::fixed(2), false),
    };
    let codespace = if codespace.is_empty() {
        CodeSpace::fixed(2)
    } else {
        codespace
    };
    let descendant = get_array(doc, dict, b"DescendantFonts")
        .and_then(|a| a.first())
        .and_then(|o| super::util::resolve(doc, o))
        .and_then(|o| o.as_dict().ok());
    if descendant.is_none() {
        warn("no descendant font; default widths".into());
    }
    let descriptor = descendant.and_then(|d| get_dict(doc, d, b"FontDescriptor"));
    let embedded = match descriptor.and_then(|d| program_stream(doc, d)) {
        None => cid::Program::None,
        Some(s) if to_unicode.is_some() => cid::Program::Lazy(Box::new(cid::LazyProgram {
            stream: s.clone(),
            max_bytes: max,
            parsed: Default::default(),
        })),
        Some(s) => match parse_program(s, false, max, warn) {
            Some(ef) => cid::Program::Ready(ef),
            None => cid::Program::None,
        },
    };
    let cid_to_gid = match cid::descendant_subtype(doc, descendant) {
        Some(b"CIDFontType2") => cid::cid_to_gid(doc, descendant, max, warn),
        Some(b"CIDFontType0") => cid::CidToGid::Charset,
        _ => cid::CidToGid::Identity,
    };
    let (ascent, descent) = metrics(doc, descriptor, descriptor, 0.001, false);
    let mut cf = cid::build(CidInputs {
        doc,
        descendant,
        code_to_cid,
        codespace,
        to_unicode,
        embedded,
        cid_to_gid,
        vertical,
    });
    if !cf.has_unicode_source() {
        let program = descriptor.and_then(|d| program_stream(doc, d));
        let script = descendant.and_then(|d| ordering_script(doc, d));
        let why = recognise_shapes(&mut cf, program, &name, script, max, shape_budget, warn);
        if !cf.has_unicode_source() {
            warn(format!(
                "no source of Unicode (no ToUnicode, no cmap in the embedded program, \
                 no known character collection; {why}); its text is unknown"
            ));
        }
    }
    Font {
        name,
        vertical,
        ascent,
        descent,
        kind: Kind::Composite(Box::new(cf)),
    }
}

/// The last resort for a Type0 font whose embedded program says nothing
/// about Unicode: recognise its glyphs by shape against an installed font
/// of the same family (see `shape`), each when first drawn. Warns against
/// which file, since the text is then a guess; otherwise returns why not.
fn recognise_shapes(
    cf: &mut cid::CidFont,
    program: Option<&lopdf::Stream>,
    name: &str,
    script: Option<shape::Script>,
    max: usize,
    budget: &shape::Budget,
    warn: &mut dyn FnMut(String),
) -> &'static str {
    if !matches!(cf.embedded, cid::Program::Ready(_)) {
        return "no embedded program";
    }
    let Some(data) = program.and_then(|s| stream_bytes(s, max).ok()) else {
        return "embedded program unreadable";
    };
    let settings = shape::ShapeSettings::default();
    match shape::Shapes::new(data, name, script, settings, budget.clone()) {
        Err(shape::NoRecognition::NoOutlines) => "no glyph outlines to recognise",
        Err(shape::NoRecognition::NoReference) => {
            "no installed font of its family to recognise glyph shapes against"
        }
        Ok(s) => {
            let other = if s.fallback {
                " (no font of this family is installed; one of its script)"
            } else {
                ""
            };
            warn(format!(
                "glyphs recognised by shape against {}{other}: the file says \
                 nothing about Unicode, this text is a guess",
                s.reference.display()
            ));
            cf.shapes = Some(std::sync::Arc::new(s));
            ""
        }
    }
}

/// The script of a CIDFont's character collection (/CIDSystemInfo /Ordering).
fn ordering_script(doc: &Document, descendant: &Dictionary) -> Option<shape::Script> {
    let si = get_dict(doc, descendant, b"CIDSystemInfo")?;
    let ord = get(doc, si, b"Ordering")?;
    let ord = ord.as_str().ok().or_else(|| ord.as_name().ok())?;
    shape::Script::of_ordering(std::str::from_utf8(ord).ok()?)
}

/// The ToUnicode CMap, when present, readable and mapping something.
fn read_to_unicode(
    doc: &Document,
    dict: &Dictionary,
    max: usize,
    warn: &mut dyn FnMut(String),
) -> Option<EmbeddedCMap> {
    let s = get_stream(doc, dict, b"ToUnicode")?;
    match stream_bytes(s, max) {
        Ok(b) => {
            let cm = EmbeddedCMap::parse(&b);
            if cm.has_unicode() {
                Some(cm)
            } else {
                warn("ToUnicode maps nothing; ignored".into());
                None
            }
        }
        Err(e) => {
            warn(format!("ToUnicode unreadable ({e}); ignored"));
            None
        }
    }
}

/// The embedded TrueType/OpenType/CFF program stream of a descriptor.
fn program_stream<'a>(doc: &'a Document, desc: &'a Dictionary) -> Option<&'a lopdf::Stream> {
    get_stream(doc, desc, b"FontFile2").or_else(|| get_stream(doc, desc, b"FontFile3"))
}

fn parse_program(
    s: &lopdf::Stream,
    simple: bool,
    max: usize,
    warn: &mut dyn FnMut(String),
) -> Option<EmbeddedFont> {
    let data = match stream_bytes(s, max) {
        Ok(d) => d,
        Err(e) => {
            warn(format!("font program unreadable ({e})"));
            return None;
        }
    };
    let ef = EmbeddedFont::parse(&data, simple);
    if ef.is_none() {
        warn("font program not parseable as TrueType/OpenType/CFF".into());
    }
    ef
}

/// The program of a simple font's descriptor. With `only_if_small`, a large
/// program is skipped (ToUnicode and /Widths will do).
fn read_program(
    doc: &Document,
    desc: &Dictionary,
    only_if_small: bool,
    max: usize,
    warn: &mut dyn FnMut(String),
) -> Option<EmbeddedFont> {
    let s = program_stream(doc, desc)?;
    if only_if_small && s.content.len() > PROGRAM_PARSE_ALWAYS_BYTES {
        return None;
    }
    parse_program(s, true, max, warn)
}

/// Ascent and descent in text space units: the descriptor's, else the
/// font bounding box's, else typical values.
fn metrics(
    doc: &Document,
    descriptor: Option<&Dictionary>,
    bbox_dict: Option<&Dictionary>,
    yscale: f32,
    is_type3: bool,
) -> (f32, f32) {
    let num = |d: Option<&Dictionary>, k: &[u8]| d.and_then(|d| super::util::get_number(doc, d, k));
    let bbox = bbox_dict
        .and_then(|d| get_array(doc, d, b"FontBBox"))
        .and_then(|a| numbers(doc, a))
        .filter(|b| b.len() == 4);
    let yscale = yscale.abs();
    let mut ascent = if is_type3 {
        None
    } else {
        num(descriptor, b"Ascent")
    }
    .map(|a| a * yscale)
    .filter(|a| *a > 0.0);
    let mut descent = if is_type3 {
        None
    } else {
        num(descriptor, b"Descent")
    }
    .map(|d| d * yscale)
    .filter(|d| *d < 0.0);
    if let Some(b) = &bbox {
        ascent = ascent.or(Some(b[3] * yscale).filter(|a| *a > 0.0));
        descent = descent.or(Some(b[1] * yscale).filter(|d| *d < 0.0));
    }
    let a = ascent.filter(|a| *a < 3.0).unwrap_or(DEFAULT_ASCENT);
    let d = descent.filter(|d| *d > -2.0).unwrap_or(DEFAULT_DESCENT);
    // ONLYOFFICE writes FangSong with Ascent 220, Descent -36 (a quarter of
    // the real values): boxes a quarter of the glyph's height would stop
    // lines from overlapping. Implausible totals give the typical values.
    if !(MIN_EM_HEIGHT..=MAX_EM_HEIGHT).contains(&(a - d)) {
        return (DEFAULT_ASCENT, DEFAULT_DESCENT);
    }
    (a, d)
}

/// Typical ascent and descent (em) when a font does not say.
const DEFAULT_ASCENT: f32 = 0.88;
const DEFAULT_DESCENT: f32 = -0.12;
/// Plausible range of ascent − descent in em; outside it the metrics are broken.
const MIN_EM_HEIGHT: f32 = 0.5;
const MAX_EM_HEIGHT: f32 = 2.5;

/// BaseFont without subset prefix, GBK names decoded, and for Type0 fonts
/// without a trailing `-<CMap name>` (`黑体-GBKp-EUC-H` → `黑体`).
fn font_name(doc: &Document, dict: &Dictionary, resource_name: &[u8], type0: bool) -> String {
    let raw = get_name(doc, dict, b"BaseFont").unwrap_or(resource_name);
    let mut name = text_of(raw);
    if let Some((prefix, rest)) = name.split_once('+') {
        if prefix.len() == 6 && prefix.bytes().all(|b| b.is_ascii_uppercase()) {
            name = rest.to_string();
        }
    }
    if type0 {
        // Word writes `黑体-WinCharSetFFFF-H` for Identity-H fonts.
        let mut suffixes = vec![
            "-WinCharSetFFFF-H".to_string(),
            "-WinCharSetFFFF-V".to_string(),
        ];
        if let Some(enc) = get_name(doc, dict, b"Encoding") {
            suffixes.push(format!("-{}", String::from_utf8_lossy(enc)));
        }
        for suffix in suffixes {
            if let Some(stripped) = name.strip_suffix(&suffix) {
                if !stripped.is_empty() {
                    name = stripped.to_string();
                }
            }
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::super::FontCache;
    use crate::Limits;
    use lopdf::{dictionary, Document, Object, Stream};

    fn decode_all(doc: &Document, font: &Object, limits: &Limits) -> (String, Vec<String>) {
        let mut cache = FontCache::new();
        let f = cache.get(doc, font, b"F1", limits);
        let mut out = Vec::new();
        f.decode_into(&[0x00, 0x41, 0xC7, 0xB3, 0xFF, 0xFF, 0x20], &mut out);
        assert!(out.iter().all(|c| c.width.is_finite()));
        (out.into_iter().map(|c| c.unicode).collect(), cache.warnings)
    }

    /// Malformed font dictionaries load (with warnings) and decode without
    /// panicking: wrong types everywhere, reference cycles, garbage
    /// programs, a ToUnicode decompression bomb.
    #[test]
    fn hostile_fonts_never_panic() {
        let mut doc = Document::with_version("1.5");
        let limits = Limits {
            max_stream_bytes: 1 << 20,
            ..Limits::default()
        };
        // A reference cycle: 1 0 R -> 2 0 R -> 1 0 R.
        doc.objects.insert((1, 0), Object::Reference((2, 0)));
        doc.objects.insert((2, 0), Object::Reference((1, 0)));
        let (_, w) = decode_all(&doc, &Object::Reference((1, 0)), &limits);
        assert!(!w.is_empty());

        let bomb = {
            let mut s = Stream::new(dictionary! {}, vec![b'0'; 4 << 20]);
            s.compress().unwrap();
            s
        };
        let bomb_id = doc.add_object(bomb);
        let garbage_id = doc.add_object(Stream::new(
            dictionary! {},
            b"\x00\x01\x00\x00garbage".to_vec(),
        ));
        let odd_map = doc.add_object(Stream::new(dictionary! {}, vec![1, 2, 3]));
        let desc = doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontFile2" => garbage_id, "Ascent" => "x",
            "Descent" => 1e30, "FontBBox" => vec![Object::Null],
        });
        // The descendant refers back to the Type0 font itself.
        let type0_id = doc.new_object_id();
        let descendant = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "FontDescriptor" => desc,
            "W" => vec![1.into(), "x".into(), Object::Array(vec![]), 5.into(), 3.into(), 7.into(), (-4).into()],
            "W2" => vec![1.into(), 2.into()],
            "DW" => Object::Real(f32::NAN),
            "CIDToGIDMap" => odd_map,
            "CIDSystemInfo" => dictionary! { "Registry" => 5, "Ordering" => Object::Null },
            "Parent" => type0_id,
        });
        doc.objects.insert(
            type0_id,
            Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Bad",
                "Encoding" => 12, "ToUnicode" => bomb_id,
                "DescendantFonts" => vec![Object::Reference(descendant), Object::Reference(type0_id)],
            }),
        );
        let (_, w) = decode_all(&doc, &Object::Reference(type0_id), &limits);
        assert!(
            w.iter().any(|w| w.contains("ToUnicode unreadable")),
            "{w:?}"
        );
        assert!(w.iter().any(|w| w.contains("not parseable")), "{w:?}");

        // Unknown CMap name, encoding stream that is garbage, vertical name.
        for enc in [
            Object::Name(b"No-Such-CMap-V".to_vec()),
            Object::Reference(garbage_id),
            Object::Reference(bomb_id),
        ] {
            let f = Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "Encoding" => enc,
                "DescendantFonts" => vec![Object::Reference(descendant)],
            });
            let (_, w) = decode_all(&doc, &f, &limits);
            assert!(!w.is_empty());
        }

        // Simple fonts with nonsense entries.
        for f in [
            dictionary! {
                "Type" => "Font", "Subtype" => "TrueType", "FirstChar" => -5,
                "Widths" => vec![1e38.into(), "w".into()], "FontDescriptor" => desc,
                "Encoding" => dictionary! { "Differences" => vec![Object::Real(3.5), "a".into(), (-1).into(), Object::Name(b"b".to_vec()), 300.into(), Object::Name(b"c".to_vec())] },
            },
            dictionary! {
                "Type" => "Font", "Subtype" => "Type3", "FontMatrix" => vec![0.into(); 6],
                "FirstChar" => 4_000_000_000i64, "Widths" => vec![1.into()], "ToUnicode" => garbage_id,
            },
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "Encoding" => Object::Reference(bomb_id), "FontDescriptor" => dictionary! { "FontFile" => bomb_id } },
        ] {
            let (_, _) = decode_all(&doc, &Object::Dictionary(f), &limits);
        }
    }

    /// Type 3: widths and ascent through /FontMatrix, names through /Differences.
    #[test]
    fn type3_font_matrix_and_differences() {
        let doc = Document::with_version("1.5");
        let f = Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "Type3",
            "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
            "FontBBox" => vec![0.into(), (-20).into(), 100.into(), 80.into()],
            "FirstChar" => 1, "Widths" => vec![50.into(), 100.into()],
            "Encoding" => dictionary! { "Differences" => vec![1.into(), Object::Name(b"uni5143".to_vec()), Object::Name(b"yen".to_vec())] },
        });
        let mut cache = FontCache::new();
        let font = cache.get(&doc, &f, b"T3", &Limits::default());
        let mut out = Vec::new();
        font.decode_into(&[1, 2], &mut out);
        assert_eq!(out[0].unicode, "元");
        assert_eq!(out[1].unicode, "¥");
        assert!((out[0].width - 0.5).abs() < 1e-6 && (out[1].width - 1.0).abs() < 1e-6);
        assert!((font.ascent - 0.8).abs() < 1e-6 && (font.descent + 0.2).abs() < 1e-6);
    }

    fn type0(encoding: &str, ordering: &str) -> Object {
        Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => format!("SimSun-{encoding}"),
            "Encoding" => Object::Name(encoding.as_bytes().to_vec()),
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "SimSun",
                "CIDSystemInfo" => dictionary! {
                    "Registry" => Object::string_literal("Adobe"),
                    "Ordering" => Object::string_literal(ordering),
                    "Supplement" => 2,
                },
                "DW" => 1000,
            })],
        })
    }

    /// Non-embedded fonts with predefined CMaps: code → CID → Unicode for
    /// the four CJK collections, Unicode CMaps directly, 1-, 2- and 4-byte codes.
    #[test]
    fn predefined_cmaps_decode() {
        let doc = Document::with_version("1.5");
        let cases: &[(&str, &str, &[u8], &str)] = &[
            ("GB-EUC-H", "GB1", &[0xD6, 0xD0, 0xCE, 0xC4], "中文"),
            (
                "GBK-EUC-H",
                "GB1",
                &[0x41, 0xC7, 0xB3, 0x20, 0xCC, 0xB8],
                "A浅 谈",
            ),
            ("GBKp-EUC-H", "GB1", &[0xCE, 0xD2, 0xC3, 0xC7], "我们"),
            (
                "GBK2K-H",
                "GB1",
                &[0x81, 0x39, 0xEE, 0x39, 0xD6, 0xD0],
                "\u{3400}中",
            ),
            ("UniGB-UCS2-H", "GB1", &[0x4E, 0x2D, 0x65, 0x87], "中文"),
            (
                "UniGB-UTF16-H",
                "GB1",
                &[0xD8, 0x40, 0xDC, 0x00, 0x76, 0xEE],
                "\u{20000}目",
            ),
            ("ETen-B5-H", "CNS1", &[0xA4, 0xA4, 0xA4, 0xE5], "中文"),
            ("90ms-RKSJ-H", "Japan1", &[0x93, 0xFA, 0x96, 0x7B], "日本"),
            ("KSCms-UHC-H", "Korea1", &[0xC7, 0xD1, 0xB1, 0xDB], "한글"),
        ];
        for (enc, ord, bytes, want) in cases {
            let mut cache = FontCache::new();
            let font = cache.get(&doc, &type0(enc, ord), b"F1", &Limits::default());
            assert_eq!(font.name, "SimSun", "{enc}");
            assert_eq!(&font.decode_text(bytes), want, "{enc}");
            assert!(cache.warnings.is_empty(), "{enc}: {:?}", cache.warnings);
        }
        // A single-byte space is a word space; a two-byte code never is.
        let mut cache = FontCache::new();
        let font = cache.get(&doc, &type0("GBK-EUC-H", "GB1"), b"F1", &Limits::default());
        let mut out = Vec::new();
        font.decode_into(&[0x20, 0xC7, 0xB3], &mut out);
        assert!(out[0].is_word_space && !out[1].is_word_space);
        assert_eq!(out[1].width, 1.0);
    }

    /// -V CMaps: vertical writing with DW2 defaults.
    #[test]
    fn vertical_cmap() {
        let doc = Document::with_version("1.5");
        let mut cache = FontCache::new();
        let font = cache.get(&doc, &type0("GBK-EUC-V", "GB1"), b"F1", &Limits::default());
        assert!(font.vertical);
        let mut out = Vec::new();
        font.decode_into(&[0xC7, 0xB3], &mut out);
        assert_eq!(out[0].unicode, "浅");
        let v = out[0].vertical.unwrap();
        assert_eq!((v.advance, v.vx, v.vy), (-1.0, 0.5, 0.88));
    }

    /// A Type0 /Encoding stream: its own codespace and cidrange, or
    /// `usecmap` of a predefined CMap with overrides.
    #[test]
    fn embedded_encoding_cmaps() {
        let mut doc = Document::with_version("1.5");
        let one_byte = doc.add_object(Stream::new(
            dictionary! {},
            b"/CMapName /OneByte def 1 begincodespacerange <00> <FF> endcodespacerange\n\
              1 begincidrange <20> <7E> 1 endcidrange"
                .to_vec(),
        ));
        let over_gbk = doc.add_object(Stream::new(
            dictionary! {},
            b"/GBK-EUC-H usecmap\n1 begincidchar <C7B3> 34 endcidchar".to_vec(),
        ));
        let dict_parent = doc.add_object(Stream::new(
            dictionary! { "UseCMap" => "GBK-EUC-H" },
            b"1 begincidchar <CCB8> 34 endcidchar".to_vec(),
        ));
        for (enc, bytes, want) in [
            (one_byte, &b"Hi!"[..], "Hi!"),
            (over_gbk, &[0xC7, 0xB3, 0xCC, 0xB8][..], "A谈"),
            (dict_parent, &[0xC7, 0xB3, 0xCC, 0xB8][..], "浅A"),
        ] {
            let Object::Dictionary(mut f) = type0("Identity-H", "GB1") else {
                unreachable!()
            };
            f.set("Encoding", enc);
            let mut cache = FontCache::new();
            let font = cache.get(&doc, &Object::Dictionary(f), b"F1", &Limits::default());
            assert_eq!(font.decode_text(bytes), want);
            assert!(cache.warnings.is_empty(), "{:?}", cache.warnings);
        }
    }
}
