//! Glyph names to text: the Adobe Glyph List (and the ITC Zapf Dingbats
//! list), `uniXXXX[XXXX…]` and `uXXXX[XX]` names, and the AGL
//! specification's rules for suffixes (`.sc`) and ligatures (`f_f_i`). A
//! module of its own because three readers ask it — simple-font encodings,
//! ToUnicode CMaps that give names, and embedded programs' `post` tables —
//! and it depends on none of them.

use super::tables;

/// The text a glyph name stands for: Adobe Glyph List, `uniXXXX[XXXX…]`,
/// `uXXXX[XX]`, and the AGL specification's rule for suffixes (`.sc`) and
/// ligature components joined by `_`.
pub(crate) fn glyph_name_to_unicode(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or("");
    if base.is_empty() {
        return None;
    }
    if base.contains('_') {
        let mut out = String::new();
        for part in base.split('_') {
            out.push_str(&component_to_unicode(part)?);
        }
        return (!out.is_empty()).then_some(out);
    }
    component_to_unicode(base)
}

fn component_to_unicode(name: &str) -> Option<String> {
    if let Ok(i) = tables::GLYPH_LIST.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes())) {
        return tables::GLYPH_LIST.get(i).map(|(_, u)| u.to_string());
    }
    if let Ok(i) = tables::ZAPF_GLYPHS.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()))
    {
        return tables::ZAPF_GLYPHS.get(i).map(|(_, u)| u.to_string());
    }
    if let Some(hex) = name.strip_prefix("uni") {
        if !hex.is_empty() && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut out = String::new();
            for i in (0..hex.len()).step_by(4) {
                let v = u32::from_str_radix(hex.get(i..i + 4)?, 16).ok()?;
                // Surrogates are not characters.
                out.push(char::from_u32(v)?);
            }
            return Some(out);
        }
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return char::from_u32(v).map(|c| c.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_to_unicode(b"A").as_deref(), Some("A"));
        assert_eq!(
            glyph_name_to_unicode(b"quotedblleft").as_deref(),
            Some("\u{201C}")
        );
        assert_eq!(glyph_name_to_unicode(b"uni4E00").as_deref(), Some("一"));
        assert_eq!(
            glyph_name_to_unicode(b"uni4E0D4E09").as_deref(),
            Some("不三")
        );
        assert_eq!(glyph_name_to_unicode(b"u4E00").as_deref(), Some("一"));
        assert_eq!(
            glyph_name_to_unicode(b"u20000").as_deref(),
            Some("\u{20000}")
        );
        assert_eq!(glyph_name_to_unicode(b"a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_name_to_unicode(b"f_f_i").as_deref(), Some("ffi"));
        assert_eq!(glyph_name_to_unicode(b"uniD800"), None);
        assert_eq!(glyph_name_to_unicode(b"g123"), None);
        assert_eq!(glyph_name_to_unicode(b".notdef"), None);
    }
}
