//! Unicode clean-up of decoded text, as pdf.js does for text content
//! (`normalizeUnicode` in its `unicode.js`, idea only): CJK fonts often map
//! glyphs to Kangxi radicals or CJK compatibility ideographs ('⼀' U+2F00
//! for '一' U+4E00), which look the same but do not compare equal, so those
//! become the unified ideographs. Ligatures and full-width punctuation stay
//! as they are (the full-width colon of '股票代码：' is meant).

use super::tables::CJK_COMPAT;

/// The unified ideograph for a compatibility character, else the character.
pub(crate) fn normalize_char(c: char) -> char {
    let cp = c as u32;
    let candidate = (0x2E80..=0x2FDF).contains(&cp)
        || (0xF900..=0xFAFF).contains(&cp)
        || (0x2F800..=0x2FA1F).contains(&cp);
    if !candidate {
        return c;
    }
    match CJK_COMPAT.binary_search_by(|(a, _)| a.cmp(&c)) {
        Ok(i) => CJK_COMPAT.get(i).map_or(c, |p| p.1),
        Err(_) => c,
    }
}

/// Normalise a decoded string in place (allocates only when something changes).
pub(crate) fn normalize_in_place(s: &mut String) {
    if s.chars().all(|c| normalize_char(c) == c) {
        return;
    }
    *s = s.chars().map(normalize_char).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kangxi_and_compat_become_unified() {
        assert_eq!(normalize_char('⼀'), '一');
        assert_eq!(normalize_char('\u{2F08}'), '人');
        assert_eq!(normalize_char('\u{F900}'), '豈');
        assert_eq!(normalize_char('：'), '：');
        assert_eq!(normalize_char('ﬁ'), 'ﬁ');
        let mut s = String::from("⼈民⼤会");
        normalize_in_place(&mut s);
        assert_eq!(s, "人民大会");
    }
}
