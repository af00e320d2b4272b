//! Simple fonts (Type1, MMType1, TrueType, Type3): one byte per code, a
//! 256-entry table of Unicode text and advances built once at load.
//!
//! Where the text of a code comes from, first usable source wins (the order
//! pdf.js's `evaluator.js` `extractDataStructures`/`buildToUnicode` uses):
//! the ToUnicode CMap; the glyph name the encoding gives (base encoding —
//! the font's own, StandardEncoding, WinAnsi or MacRoman — overridden by
//! /Differences) through the Adobe Glyph List or a `uniXXXX`/`uXXXX[XX]`
//! name; the embedded TrueType program's own cmap and post tables; and for a
//! printable ASCII byte with nothing else known, the byte itself.
//! Widths: /Widths from /FirstChar, else /MissingWidth, else the embedded
//! program's advances; Type 3 widths go through /FontMatrix.

use super::cmap::EmbeddedCMap;
use super::embedded::EmbeddedFont;
use super::glyph_names::glyph_name_to_unicode;
use super::tables;
use super::util::{get, get_array, get_dict, get_name, get_number, numbers, resolve};
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;

/// The decoding tables of a simple font.
#[derive(Debug, Clone)]
pub(crate) struct SimpleFont {
    /// Unicode text of each code ("" when nothing says).
    pub(crate) unicode: Vec<Box<str>>,
    /// Advance of each code in text space units.
    pub(crate) widths: Vec<f32>,
}

/// A base encoding by its PDF name.
fn base_encoding(name: &[u8]) -> Option<&'static [&'static str; 256]> {
    match name {
        b"WinAnsiEncoding" => Some(&tables::WIN_ANSI),
        b"MacRomanEncoding" => Some(&tables::MAC_ROMAN),
        b"StandardEncoding" => Some(&tables::STANDARD),
        // MacExpert and PDFDoc are not used by fonts in practice; their
        // printable ASCII agrees with Standard closely enough.
        b"MacExpertEncoding" | b"PDFDocEncoding" => Some(&tables::STANDARD),
        _ => None,
    }
}

/// Font descriptor flags (PDF 32000 table 123).
const FLAG_SYMBOLIC: i64 = 1 << 2;

/// Inputs of a simple font gathered by the loader.
pub(crate) struct SimpleInputs<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) dict: &'a Dictionary,
    pub(crate) descriptor: Option<&'a Dictionary>,
    pub(crate) subtype: &'a [u8],
    pub(crate) to_unicode: Option<&'a EmbeddedCMap>,
    pub(crate) embedded: Option<&'a EmbeddedFont>,
    /// Code → glyph name of an embedded Type 1 program's own encoding.
    pub(crate) builtin: Option<&'a [Option<String>]>,
    /// BaseFont without subset prefix (to recognise the standard 14 fonts).
    pub(crate) base_font: &'a str,
    /// Scale from glyph space to text space (0.001, or FontMatrix a for Type 3).
    pub(crate) scale: f32,
}

pub(crate) fn load(inp: &SimpleInputs<'_>) -> SimpleFont {
    let doc = inp.doc;
    let flags = inp
        .descriptor
        .and_then(|d| get(doc, d, b"Flags"))
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0);
    let symbolic = flags & FLAG_SYMBOLIC != 0;
    let is_type3 = inp.subtype == b"Type3";
    let is_truetype = inp.subtype == b"TrueType";

    // Encoding: a name, or a dictionary with BaseEncoding and Differences.
    let enc_obj = get(doc, inp.dict, b"Encoding");
    let (enc_name, differences) = match enc_obj {
        Some(Object::Name(n)) => (Some(n.as_slice()), None),
        Some(Object::Dictionary(d)) => (
            get_name(doc, d, b"BaseEncoding"),
            get_array(doc, d, b"Differences"),
        ),
        _ => (None, None),
    };
    let explicit_base = enc_name.and_then(base_encoding);
    let has_encoding = explicit_base.is_some() || differences.is_some();

    let std14 = standard_font(inp.base_font, flags);
    let std_builtin: Option<&[&str; 256]> = match std14.map(|s| s.0) {
        Some("Symbol") if inp.embedded.is_none() => Some(&tables::SYMBOL),
        Some("ZapfDingbats") if inp.embedded.is_none() => Some(&tables::ZAPF_DINGBATS),
        _ => None,
    };
    let mut names: Vec<Option<String>> = vec![None; 256];
    let base: Option<&[&str; 256]> = match explicit_base {
        Some(b) => Some(b),
        None if std_builtin.is_some() => std_builtin,
        None if is_type3 => None,
        None if inp.builtin.is_some() => None,
        None if symbolic && inp.embedded.is_some() => None,
        None if is_truetype && !symbolic => Some(&tables::WIN_ANSI),
        None if symbolic => None,
        None => Some(&tables::STANDARD),
    };
    if let Some(base) = base {
        for (slot, n) in names.iter_mut().zip(base.iter()) {
            if !n.is_empty() {
                *slot = Some(n.to_string());
            }
        }
    } else if let Some(builtin) = inp.builtin {
        for (slot, n) in names.iter_mut().zip(builtin.iter()) {
            slot.clone_from(n);
        }
    }
    if let Some(diffs) = differences {
        apply_differences(doc, diffs, &mut names);
    }

    let mut unicode: Vec<Box<str>> = Vec::with_capacity(256);
    let mut buf = String::new();
    // Names repeat within a font (Chromium's Type 3 fonts name every unused
    // code /g0, and a document has a hundred such fonts): look each up once.
    let mut by_name: HashMap<&str, Option<String>> = HashMap::new();
    for (code, name) in names.iter().enumerate() {
        buf.clear();
        let code32 = code as u32;
        let from_tu = inp
            .to_unicode
            .is_some_and(|tu| tu.unicode_into(code32, &mut buf) && usable(&buf));
        if !from_tu {
            buf.clear();
            let mut found = false;
            if let Some(text) = name.as_deref().and_then(|n| {
                by_name
                    .entry(n)
                    .or_insert_with(|| glyph_name_to_unicode(n.as_bytes()))
                    .as_deref()
            }) {
                buf.push_str(text);
                found = true;
            }
            if !found {
                if let Some(ef) = inp.embedded {
                    // Without a usable name: the program's own cmap, looked up
                    // by glyph name or by code.
                    let gid = name
                        .as_deref()
                        .and_then(|n| ef.gid_by_name(n))
                        .or_else(|| ef.simple_gid(code as u8, has_encoding && !symbolic));
                    if let Some(text) = gid.and_then(|g| ef.unicode_of_gid(g)) {
                        buf.push_str(&text);
                        found = true;
                    }
                }
            }
            if !found && (0x20..0x7F).contains(&code) && name.is_none() {
                buf.push(code as u8 as char);
            }
        }
        super::normalize::normalize_in_place(&mut buf);
        unicode.push(buf.as_str().into());
    }

    SimpleFont {
        unicode,
        widths: widths(inp, &names, std14),
    }
}

/// A ToUnicode result worth trusting: not empty and not only control
/// characters or U+FFFD (pdf.js-style sanity: such maps exist to defeat
/// copying and are better replaced by the other sources).
pub(crate) fn usable(s: &str) -> bool {
    s.chars()
        .any(|c| !(c.is_control() || c == '\u{FFFD}' || c == '\u{FEFF}'))
}

fn apply_differences(doc: &Document, diffs: &[Object], names: &mut [Option<String>]) {
    let mut code: Option<usize> = None;
    for item in diffs {
        let Some(item) = resolve(doc, item) else {
            continue;
        };
        match item {
            Object::Integer(i) => code = usize::try_from(*i).ok(),
            Object::Real(r) if *r >= 0.0 => code = Some(*r as usize),
            Object::Name(n) => {
                if let Some(c) = code {
                    if let Some(slot) = names.get_mut(c) {
                        *slot = Some(String::from_utf8_lossy(n).into_owned());
                    }
                    code = Some(c + 1);
                }
            }
            _ => {}
        }
    }
}

fn widths(inp: &SimpleInputs<'_>, names: &[Option<String>], std14: Option<Std14>) -> Vec<f32> {
    let doc = inp.doc;
    let missing = inp
        .descriptor
        .and_then(|d| get_number(doc, d, b"MissingWidth"))
        .unwrap_or(0.0);
    let first = get_number(doc, inp.dict, b"FirstChar").unwrap_or(0.0);
    let list = get_array(doc, inp.dict, b"Widths").and_then(|a| numbers(doc, a));
    let mut out = vec![missing * inp.scale; 256];
    match list {
        Some(ws) if !ws.is_empty() => {
            let first = first.max(0.0) as usize;
            for (i, w) in ws.iter().enumerate() {
                if let Some(slot) = out.get_mut(first + i) {
                    *slot = w * inp.scale;
                }
            }
        }
        _ => {
            // No /Widths (older files with standard or embedded fonts): the
            // program's advances when embedded, else the standard 14
            // metrics of the font (or of its look-alike), else half an em.
            for (code, slot) in out.iter_mut().enumerate() {
                let name = names.get(code).and_then(|n| n.as_deref());
                let adv = inp
                    .embedded
                    .and_then(|ef| {
                        let gid = name
                            .and_then(|n| ef.gid_by_name(n))
                            .or_else(|| ef.simple_gid(code as u8, true))?;
                        ef.advance(gid)
                    })
                    .or_else(|| Some(std14?.width(name?)? * 0.001));
                *slot = adv.unwrap_or(if code == 32 { 0.25 } else { 0.5 });
            }
        }
    }
    out
}

/// The FontMatrix scale of a Type 3 font (glyph space x → text space x).
pub(crate) fn type3_scale(doc: &Document, dict: &Dictionary) -> f32 {
    get_array(doc, dict, b"FontMatrix")
        .and_then(|a| numbers(doc, a))
        .and_then(|m| m.first().copied())
        .filter(|a| a.is_finite() && *a != 0.0)
        .unwrap_or(0.001)
}

/// The FontMatrix vertical scale of a Type 3 font (for ascent/descent).
pub(crate) fn type3_yscale(doc: &Document, dict: &Dictionary) -> f32 {
    get_array(doc, dict, b"FontMatrix")
        .and_then(|a| numbers(doc, a))
        .and_then(|m| m.get(3).copied())
        .filter(|d| d.is_finite() && *d != 0.0)
        .unwrap_or(0.001)
}

/// The encoding of an embedded Type 1 program (`dup 65 /A put` lines of its
/// clear-text part), used when the PDF gives no /Encoding.
pub(crate) fn type1_builtin_encoding(program: &[u8]) -> Option<Vec<Option<String>>> {
    // Only the clear-text part (before `eexec`) holds the encoding.
    let end = program
        .windows(5)
        .position(|w| w == b"eexec")
        .unwrap_or(program.len());
    let text = &program[..end];
    let start = text.windows(9).position(|w| w == b"/Encoding")?;
    let text = &text[start..];
    if text
        .get(9..)
        .is_some_and(|t| t.trim_ascii_start().starts_with(b"StandardEncoding"))
    {
        return Some(
            tables::STANDARD
                .iter()
                .map(|n| (!n.is_empty()).then(|| n.to_string()))
                .collect(),
        );
    }
    let mut names: Vec<Option<String>> = vec![None; 256];
    let mut any = false;
    let words: Vec<&[u8]> = text
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if *w == b"readonly" || *w == b"def" {
            if any {
                break;
            }
            continue;
        }
        if *w != b"dup" {
            continue;
        }
        let (Some(code), Some(name), Some(put)) =
            (words.get(i + 1), words.get(i + 2), words.get(i + 3))
        else {
            continue;
        };
        if *put != b"put" {
            continue;
        }
        let Some(code) = std::str::from_utf8(code)
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            continue;
        };
        let Some(name) = name.strip_prefix(b"/") else {
            continue;
        };
        if let Some(slot) = names.get_mut(code) {
            *slot = Some(String::from_utf8_lossy(name).into_owned());
            any = true;
        }
    }
    any.then_some(names)
}

/// Metrics of one of the standard 14 fonts: (name, ascent, descent, widths).
#[derive(Clone, Copy)]
pub(crate) struct Std14(
    pub(crate) &'static str,
    i16,
    i16,
    &'static [(&'static str, u16)],
);

impl Std14 {
    fn width(&self, glyph: &str) -> Option<f32> {
        let i = self
            .3
            .binary_search_by(|(n, _)| n.as_bytes().cmp(glyph.as_bytes()))
            .ok()?;
        self.3.get(i).map(|(_, w)| *w as f32)
    }

    /// Ascent and descent in text space units.
    pub(crate) fn ascent_descent(&self) -> (f32, f32) {
        (self.1 as f32 / 1000.0, self.2 as f32 / 1000.0)
    }
}

/// The standard 14 font a BaseFont names or imitates (Arial → Helvetica,
/// Times New Roman → Times, Courier New → Courier; the descriptor's
/// FixedPitch and Serif flags for the rest), the way viewers substitute.
pub(crate) fn standard_font(base_font: &str, flags: i64) -> Option<Std14> {
    let compact: String = base_font
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | ',' | '_'))
        .collect::<String>()
        .to_ascii_lowercase();
    let bold = compact.contains("bold") || compact.contains("black") || compact.contains("heavy");
    let italic = compact.contains("italic") || compact.contains("oblique");
    let family = if compact.starts_with("symbol") {
        return find_std14("Symbol");
    } else if compact.starts_with("zapfdingbats") || compact.starts_with("dingbats") {
        return find_std14("ZapfDingbats");
    } else if compact.starts_with("courier") || flags & 1 != 0 {
        "Courier"
    } else if compact.starts_with("times") || flags & 2 != 0 {
        "Times"
    } else if base_font.is_ascii() {
        // Helvetica, Arial and any other Latin font: the sans-serif metrics.
        "Helvetica"
    } else {
        return None;
    };
    let name = match (family, bold, italic) {
        ("Times", false, false) => "Times-Roman".to_string(),
        ("Times", true, false) => "Times-Bold".to_string(),
        ("Times", false, true) => "Times-Italic".to_string(),
        ("Times", true, true) => "Times-BoldItalic".to_string(),
        (f, false, false) => f.to_string(),
        (f, true, false) => format!("{f}-Bold"),
        (f, false, true) => format!("{f}-Oblique"),
        (f, true, true) => format!("{f}-BoldOblique"),
    };
    find_std14(&name)
}

fn find_std14(name: &str) -> Option<Std14> {
    tables::STD14
        .iter()
        .find(|f| f.0 == name)
        .map(|f| Std14(f.0, f.1, f.2, f.3))
}

/// The descriptor of a simple font.
pub(crate) fn descriptor<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    get_dict(doc, dict, b"FontDescriptor")
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Object};

    #[test]
    fn differences_over_base_encoding() {
        let doc = Document::with_version("1.5");
        let dict = dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Times-Roman",
            "FirstChar" => 65,
            "Widths" => vec![Object::Integer(722), Object::Integer(667)],
            "Encoding" => dictionary! {
                "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![
                    Object::Integer(66), Object::Name(b"uni4E2D".to_vec()), Object::Name(b"Euro".to_vec()),
                    Object::Integer(128), Object::Name(b"bullet".to_vec()),
                ],
            },
        };
        let f = load(&SimpleInputs {
            doc: &doc,
            dict: &dict,
            descriptor: None,
            subtype: b"Type1",
            to_unicode: None,
            embedded: None,
            builtin: None,
            base_font: "Times-Roman",
            scale: 0.001,
        });
        assert_eq!(&*f.unicode[65], "A");
        assert_eq!(&*f.unicode[66], "中");
        assert_eq!(&*f.unicode[67], "€");
        assert_eq!(&*f.unicode[128], "•");
        assert_eq!(&*f.unicode[0x93], "\u{201C}");
        assert!((f.widths[65] - 0.722).abs() < 1e-6);
        assert!((f.widths[66] - 0.667).abs() < 1e-6);
        assert_eq!(f.widths[67], 0.0);
    }

    #[test]
    fn standard_14_widths_without_widths_array() {
        let doc = Document::with_version("1.5");
        let load_named = |base: &str| {
            let dict = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base.to_string() };
            load(&SimpleInputs {
                doc: &doc,
                dict: &dict,
                descriptor: None,
                subtype: b"Type1",
                to_unicode: None,
                embedded: None,
                builtin: None,
                base_font: base,
                scale: 0.001,
            })
        };
        let times = load_named("Times-Roman");
        assert!((times.widths[b'A' as usize] - 0.722).abs() < 1e-6);
        assert!((times.widths[b' ' as usize] - 0.25).abs() < 1e-6);
        let arial_bold = load_named("Arial,Bold");
        assert!((arial_bold.widths[b'A' as usize] - 0.722).abs() < 1e-6);
        assert!((arial_bold.widths[b'i' as usize] - 0.278).abs() < 1e-6);
        let courier = load_named("CourierNewPSMT");
        assert!((courier.widths[b'i' as usize] - 0.6).abs() < 1e-6);
        let symbol = load_named("Symbol");
        assert_eq!(&*symbol.unicode[b'a' as usize], "\u{3B1}");
        let zapf = load_named("ZapfDingbats");
        assert_eq!(&*zapf.unicode[0x34], "\u{2714}");
    }

    #[test]
    fn type1_program_encoding() {
        let prog = b"%!PS-AdobeFont-1.0: X\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
                     dup 32 /space put\ndup 65 /uni80A1 put\nreadonly def\ncurrentfile eexec\x80\x81";
        let enc = type1_builtin_encoding(prog).unwrap();
        assert_eq!(enc[32].as_deref(), Some("space"));
        assert_eq!(enc[65].as_deref(), Some("uni80A1"));
        assert_eq!(enc[66], None);
    }
}
