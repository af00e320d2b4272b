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
    if page_count > opts.limits.max_pages {
        return Err(ExtractError::Limit(format!(
            "{page_count} pages (limit {})",
            opts.limits.max_pages
        )));
    }
    let mut pages = Vec::new();
    for (i, chunk) in chunks.iter().take(count).enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if !opts.wants(number) {
            continue;
        }
        let dump_lines = chunk
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect();
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
