//! Text dumps of disclosures (what other extractors or OCR produced) opened into
//! the page model: the bytes are decoded (BOM, else UTF-8, else GB18030, which
//! is a superset of GBK), split into pages at form feeds, and each page's lines
//! kept verbatim in [`Page::dump_lines`] for the table stage to read. Glyphs and
//! rulings stay empty: a dump has no geometry.

use crate::{Diagnostic, Document, ExtractError, Format, Level, Options, Page};
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// Share of control bytes (other than tab, CR, LF, FF, ESC) above which the
/// bytes are taken for binary garbage rather than text.
const MAX_CONTROL_SHARE: f64 = 0.01;
/// Share of U+FFFD replacement characters after GB18030 decoding above which
/// the text is not GB18030 either.
const MAX_REPLACEMENT_SHARE: f64 = 0.01;

/// Which encoding a dump was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl DumpEncoding {
    fn name(self) -> &'static str {
        match self {
            DumpEncoding::Utf8 => "UTF-8",
            DumpEncoding::Utf16Le => "UTF-16LE",
            DumpEncoding::Utf16Be => "UTF-16BE",
            DumpEncoding::Gb18030 => "GB18030",
        }
    }
}

/// Decode a dump's bytes: a BOM decides; else valid UTF-8; else GB18030.
/// Binary garbage (NUL bytes, many control bytes, undecodable runs) is an error.
pub fn decode(bytes: &[u8]) -> Result<(String, DumpEncoding), ExtractError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let kind = if enc == UTF_8 {
            DumpEncoding::Utf8
        } else if enc == UTF_16LE {
            DumpEncoding::Utf16Le
        } else if enc == UTF_16BE {
            DumpEncoding::Utf16Be
        } else {
            return Err(ExtractError::Encoding(format!(
                "unsupported BOM {}",
                enc.name()
            )));
        };
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors && replacement_share(&text) > MAX_REPLACEMENT_SHARE {
            return Err(ExtractError::Encoding(format!(
                "bytes are not valid {}",
                kind.name()
            )));
        }
        check_text(&text)?;
        return Ok((text.into_owned(), kind));
    }
    if bytes.contains(&0) {
        if let Some(decoded) = utf16_without_bom(bytes) {
            return decoded;
        }
        return Err(ExtractError::Encoding(
            "binary data (NUL bytes) is not a text dump".into(),
        ));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        check_text(text)?;
        return Ok((text.to_string(), DumpEncoding::Utf8));
    }
    let (text, _) = GB18030.decode_without_bom_handling(bytes);
    if replacement_share(&text) > MAX_REPLACEMENT_SHARE {
        return Err(ExtractError::Encoding(
            "neither UTF-8 nor GB18030 text".into(),
        ));
    }
    check_text(&text)?;
    Ok((text.into_owned(), DumpEncoding::Gb18030))
}

/// UTF-16 written without a byte-order mark, told by where its NUL bytes
/// fall: text with ASCII in it (digits, tabs, newlines) has a NUL in the
/// high byte of each such unit, so nearly all NULs sit at odd offsets
/// (little-endian) or at even ones (big-endian). Binary data scatters them.
fn utf16_without_bom(bytes: &[u8]) -> Option<Result<(String, DumpEncoding), ExtractError>> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, b) in bytes.iter().enumerate() {
        if *b == 0 {
            if i.is_multiple_of(2) {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let units = bytes.len() / 2;
    // One side (nearly) NUL-free, the other with NULs in at least a tenth of
    // its units.
    let (enc, kind) = if even * 8 <= odd && odd * 10 >= units {
        (UTF_16LE, DumpEncoding::Utf16Le)
    } else if odd * 8 <= even && even * 10 >= units {
        (UTF_16BE, DumpEncoding::Utf16Be)
    } else {
        return None;
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors && replacement_share(&text) > MAX_REPLACEMENT_SHARE {
        return None;
    }
    Some(check_text(&text).map(|()| (text.into_owned(), kind)))
}

fn replacement_share(text: &str) -> f64 {
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    bad as f64 / total as f64
}

/// Reject decoded text that is mostly control characters (binary data that
/// happened to decode).
fn check_text(text: &str) -> Result<(), ExtractError> {
    let total = text.chars().count().max(1);
    let control = text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b'))
        .count();
    if control as f64 / total as f64 > MAX_CONTROL_SHARE {
        return Err(ExtractError::Encoding(format!(
            "binary data ({control} control characters) is not a text dump"
        )));
    }
    Ok(())
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char
/// boundary.
fn cut_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

/// Open a text dump: one page per form feed, lines kept as in the file.
pub fn open(bytes: &[u8], opts: &Options) -> Result<Document, ExtractError> {
    let (text, encoding) = decode(bytes)?;
    let mut diagnostics = Vec::new();
    if encoding != DumpEncoding::Utf8 {
        diagnostics.push(Diagnostic::new(
            Level::Info,
            None,
            format!("text dump decoded as {}", encoding.name()),
        ));
    }
    let chunks: Vec<&str> = text.split('\x0c').collect();
    // A trailing form feed ends the last page; it does not start an empty one.
    let count = if chunks.len() > 1 && chunks.last().is_some_and(|c| c.trim().is_empty()) {
        chunks.len() - 1
    } else {
        chunks.len()
    };
    let page_count = u32::try_from(count).unwrap_or(u32::MAX);
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let max_pages = opts.limits.max_pages;
    if page_count > max_pages {
        diagnostics.push(Diagnostic::new(
            Level::Warning,
            None,
            crate::limits::pages_cut(max_pages, u64::from(page_count)),
        ));
    }
    let max_line = opts.limits.max_line_bytes;
    let mut pages = Vec::new();
    for (i, chunk) in chunks
        .iter()
        .take(count.min(max_pages as usize))
        .enumerate()
    {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if !opts.wants(number) {
            continue;
        }
        let mut dump_lines = Vec::new();
        for (n, line) in chunk.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.len() > max_line {
                diagnostics.push(Diagnostic::new(
                    Level::Warning,
                    Some(number),
                    format!(
                        "line {} is {} bytes; only its first {max_line} were read: {}",
                        n + 1,
                        line.len(),
                        crate::limits::hit("max_line_bytes", max_line)
                    ),
                ));
            }
            dump_lines.push(cut_at_char(line, max_line).to_string());
        }
        pages.push(Page {
            number,
            dump_lines,
            ..Page::default()
        });
    }
    Ok(Document {
        format: Format::Text,
        page_count,
        pages,
        diagnostics,
        damaged: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(name: &str) -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/");
        std::fs::read(format!("{path}{name}")).unwrap()
    }

    #[test]
    fn gbk_reencoding_of_a_seed_decodes_to_the_utf8_original() {
        crate::require_shared!();
        let bytes = seed("000_aa7262f6cdff37ed.txt");
        let original = String::from_utf8(bytes).unwrap();
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&original);
        assert!(!unmappable, "seed has characters GBK cannot hold");
        assert!(std::str::from_utf8(&gbk).is_err());
        let (text, enc) = decode(&gbk).unwrap();
        assert_eq!(enc, DumpEncoding::Gb18030);
        assert_eq!(text, original);
    }

    #[test]
    fn utf16_without_bom_is_told_by_its_nuls() {
        let s = "项目\t金额\n合计\t1.00\n一般公共服务支出\t1.00\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le).unwrap(), (s.to_string(), DumpEncoding::Utf16Le));
        assert_eq!(decode(&be).unwrap(), (s.to_string(), DumpEncoding::Utf16Be));
        // Scattered NULs are still binary.
        assert!(decode(&[0u8, 1, 0, 2, 3, 0, 0, 0]).is_err());
    }

    #[test]
    fn an_overlong_line_is_cut_with_a_diagnostic_and_an_empty_dump_is_an_error() {
        let mut opts = Options::default();
        opts.limits.max_line_bytes = 10;
        let d = open("合计\t1234567890\nok\n".as_bytes(), &opts).unwrap();
        assert_eq!(d.pages[0].dump_lines[0], "合计\t123");
        assert_eq!(d.pages[0].dump_lines[1], "ok");
        assert!(d.diagnostics[0].message.contains("max_line_bytes"));
        assert!(matches!(open(b" \n\n", &opts), Err(ExtractError::Empty)));
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let s = "项目\t金额\n合计\t1.00\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, DumpEncoding::Utf16Le);
        assert_eq!(text, s);
    }

    #[test]
    fn binary_garbage_is_a_typed_error() {
        let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(decode(&bytes), Err(ExtractError::Encoding(_))));
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert!(matches!(decode(png), Err(ExtractError::Encoding(_))));
    }

    #[test]
    fn form_feeds_split_pages_and_lines_are_kept() {
        let doc = open(
            "第一页\r\n项目\t金额\x0c第二页\n\x0c".as_bytes(),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(doc.page_count, 2);
        assert_eq!(doc.pages[0].dump_lines, vec!["第一页", "项目\t金额"]);
        assert_eq!(doc.pages[1].number, 2);
        assert_eq!(doc.pages[1].dump_lines[0], "第二页");
        assert!(doc.pages[0].glyphs.is_empty());
    }

    #[test]
    fn page_selection_is_honoured() {
        let opts = Options {
            pages: Some(vec![2]),
            ..Options::default()
        };
        let doc = open("a\x0cb\x0cc".as_bytes(), &opts).unwrap();
        assert_eq!(doc.page_count, 3);
        assert_eq!(doc.pages.len(), 1);
        assert_eq!(doc.pages[0].dump_lines, vec!["b"]);
    }
}
