//! What a file that is not what it claims looks like, from its first
//! bytes, so "not a PDF" can say what it is instead (an HTML error page
//! saved as .pdf, a Word or Excel file, an image, a text dump).

/// Leading magic bytes and what they mean.
const MAGIC: &[(&[u8], &str)] = &[
    (
        b"PK\x03\x04",
        "a ZIP archive (a .docx, .xlsx or .ofd file?)",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an old Office file (.doc, .xls or .wps?)",
    ),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (b"\x1F\x8B", "a gzip file"),
    (b"%!PS", "a PostScript file"),
];

/// A phrase naming what `bytes` looks like, e.g. "it looks like an HTML page".
pub fn looks_like(bytes: &[u8]) -> String {
    let what = guess(bytes);
    format!("it looks like {what}")
}

/// Whether at least nine bytes in ten are printable or whitespace (bytes
/// of multi-byte characters count as printable).
pub fn mostly_text(sample: &[u8]) -> bool {
    let printable = sample
        .iter()
        .filter(|&&b| b.is_ascii_graphic() || b.is_ascii_whitespace() || b >= 0x80)
        .count();
    !sample.is_empty() && printable * 10 >= sample.len() * 9
}

fn guess(bytes: &[u8]) -> &'static str {
    if bytes.is_empty() {
        return "an empty file";
    }
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return what;
        }
    }
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<!doctype html") || text.starts_with("<html") || text.contains("<head") {
        return "an HTML page (a web page saved under this name?)";
    }
    if text.starts_with("<?xml") || text.starts_with('<') {
        return "an XML or markup file";
    }
    if text.starts_with('{') || text.starts_with('[') {
        return "JSON or other structured text";
    }
    if mostly_text(head) {
        return "plain text";
    }
    "binary data of an unknown kind"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_impostors_are_named() {
        assert!(looks_like(b"<!DOCTYPE html><html><head>").contains("HTML"));
        assert!(looks_like(b"\r\n  <html lang=zh>").contains("HTML"));
        assert!(looks_like(b"PK\x03\x04\x14\x00").contains(".docx"));
        assert!(looks_like(b"\xFF\xD8\xFF\xE0\x00\x10JFIF").contains("JPEG"));
        assert!(looks_like("预算 合计 100".as_bytes()).contains("plain text"));
        assert!(looks_like(&[0u8, 1, 2, 3, 200, 7, 8, 9]).contains("unknown"));
    }
}
