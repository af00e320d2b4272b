//! Unicode clean-up of decoded text, as pdf.js does for text content
//! (`normalizeUnicode` in its `unicode.js`, idea only): CJK fonts often map
//! glyphs to Kangxi radicals or CJK compatibility ideographs ('⼀' U+2F00
//! for '一' U+4E00), which look the same but do not compare equal, so those
//! become the unified ideographs, and so do the radicals of the CJK Radicals
//! Supplement that stand for a whole character (Chromium maps 长 to '⻓').
//! Ligatures and full-width punctuation stay as they are (the full-width
//! colon of '股票代码：' is meant). The normalize crate applies the same
//! folding to text that did not come through a font (text dumps).

use super::tables::CJK_COMPAT;

/// CJK Radicals Supplement characters that stand for a whole (simplified)
/// ideograph and that fonts map where the ideograph is meant: Chromium's
/// ToUnicode gives `⻓` for 长, `⻔` for 门, `⻝` for 食, `⻋` for 车. Unicode
/// gives them no decomposition (only U+2E9F and U+2EF3 have one, in
/// [`CJK_COMPAT`]), so this list is ours: each radical whose shape is the
/// whole character it names. Sorted by radical.
const RADICAL_IDEOGRAPHS: &[(char, char)] = &[
    ('\u{2EA0}', '民'),
    ('\u{2EC4}', '西'),
    ('\u{2EC5}', '见'),
    ('\u{2EC6}', '角'),
    ('\u{2EC8}', '讠'),
    ('\u{2EC9}', '贝'),
    ('\u{2ECB}', '车'),
    ('\u{2ED0}', '钅'),
    ('\u{2ED1}', '長'),
    ('\u{2ED3}', '长'),
    ('\u{2ED4}', '门'),
    ('\u{2ED7}', '雨'),
    ('\u{2ED8}', '青'),
    ('\u{2ED9}', '韦'),
    ('\u{2EDA}', '页'),
    ('\u{2EDB}', '风'),
    ('\u{2EDC}', '飞'),
    ('\u{2EDD}', '食'),
    ('\u{2EE0}', '饣'),
    ('\u{2EE2}', '马'),
    ('\u{2EE3}', '骨'),
    ('\u{2EE4}', '鬼'),
    ('\u{2EE5}', '鱼'),
    ('\u{2EE6}', '鸟'),
    ('\u{2EE7}', '卤'),
    ('\u{2EE8}', '麦'),
    ('\u{2EE9}', '黄'),
    ('\u{2EEA}', '黾'),
    ('\u{2EEC}', '齐'),
    ('\u{2EEE}', '齿'),
    ('\u{2EF0}', '龙'),
];

/// The unified ideograph for a compatibility character or a radical that
/// stands for one, else the character.
pub fn normalize_char(c: char) -> char {
    let cp = c as u32;
    let candidate = (0x2E80..=0x2FDF).contains(&cp)
        || (0xF900..=0xFAFF).contains(&cp)
        || (0x2F800..=0x2FA1F).contains(&cp);
    if !candidate {
        return c;
    }
    let table = if cp <= 0x2EFF && c != '\u{2E9F}' && c != '\u{2EF3}' {
        RADICAL_IDEOGRAPHS
    } else {
        CJK_COMPAT
    };
    match table.binary_search_by(|(a, _)| a.cmp(&c)) {
        Ok(i) => table.get(i).map_or(c, |p| p.1),
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
        let mut s = String::from("⻓治市伙⻝补助费⻋辆⺟");
        normalize_in_place(&mut s);
        assert_eq!(s, "长治市伙食补助费车辆母");
        // Component-only radicals stay (⻖ is not a character of its own).
        assert_eq!(normalize_char('\u{2ED6}'), '\u{2ED6}');
        assert!(RADICAL_IDEOGRAPHS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
