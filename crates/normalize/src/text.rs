//! Text normalisation shared by every module: the contract compares names and
//! labels after NFKC with whitespace removed (convention 10), and the
//! classifiers here read titles and labels in that same form so that
//! full-width and half-width spellings (（一） / (一), ： / :) are one.

use unicode_normalization::UnicodeNormalization;

/// NFKC, whitespace removed. Curly quotes are folded to plain ones because
/// disclosures print “三公” with any of four quote styles.
pub fn norm(s: &str) -> String {
    // NFKC only where it can change something: the text is nearly all ASCII
    // and CJK ideographs, which it leaves alone (see `nfkc_stable`).
    if s.chars().all(nfkc_stable) {
        fold_norm(s.chars())
    } else {
        fold_norm(s.nfkc())
    }
}

/// The part of [`norm`] after NFKC.
fn fold_norm(chars: impl Iterator<Item = char>) -> String {
    chars
        .filter(|c| !c.is_whitespace())
        .map(fold_radical)
        .map(|c| match c {
            '“' | '”' | '「' | '」' | '『' | '』' | '〝' | '〞' => '"',
            '‘' | '’' => '\'',
            _ => c,
        })
        .collect()
}

/// Characters NFKC maps to themselves in any context: NFKC_Quick_Check=Yes
/// and canonical combining class 0, so a string made only of them is already
/// NFKC (the quick-check rule of UAX #15). ASCII, CJK punctuation 、。〈〉《》
/// etc. (U+3001..U+3011, none of them compatibility characters) and the CJK
/// Unified Ideographs with extension A; verified for every one against
/// unicode_normalization in the tests below.
fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || ('\u{3001}'..='\u{3011}').contains(&c)
        || ('\u{3400}'..='\u{4DBF}').contains(&c)
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Radicals that fonts map where the ideograph is meant (`⻓` for `长`,
/// `⻔` for `门`: Chromium's PDFs carry them in ToUnicode) and compatibility
/// ideographs, folded as extraction folds them
/// ([`gongkai_extract::font::normalize::normalize_char`]); here for text
/// that did not come through a font, such as text dumps. Plus one
/// traditional form some simplified fonts map for 户 (财政专戶), which
/// extraction leaves alone as a traditional document means it.
pub fn fold_radical(c: char) -> char {
    match c {
        '戶' => '户',
        c => gongkai_extract::font::normalize::normalize_char(c),
    }
}

/// Radicals folded (see [`fold_radical`]), nothing else changed: for text
/// written to the output (entity, title, names).
pub fn fold_radicals(s: &str) -> String {
    s.chars().map(fold_radical).collect()
}

/// Whitespace removed, nothing else changed: for keys and names, which are
/// written as printed but never keep the spaces a wrapped cell left behind.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_radical)
        .collect()
}

/// A string printed twice in a row by a PDF producer that draws text twice
/// (`收入决算表收入决算表`) gives its first half; anything else is returned as is.
pub fn undouble(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n >= 4 && n.is_multiple_of(2) {
        let (a, b) = chars.split_at(n / 2);
        if a == b {
            return a.iter().collect();
        }
    }
    s.to_string()
}

/// Strip a printed enumerator from the front of a name: `一、`, `（一）`,
/// `(一)`, `1.`, `1、`, `①`. Used only for comparisons (convention 7).
pub fn strip_enumerator(s: &str) -> &str {
    let t = s.trim_start();
    // Circled numbers ① … ⑳.
    if let Some(c) = t.chars().next() {
        if ('\u{2460}'..='\u{2473}').contains(&c) {
            return t[c.len_utf8()..].trim_start();
        }
    }
    // （一） / (一) / （1）
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                let inner = &rest[..end];
                if !inner.is_empty() && inner.chars().all(is_numeral) {
                    return rest[end + close.len_utf8()..].trim_start();
                }
            }
        }
    }
    // 一、 / 1. / 1、 / 1．
    let end = t
        .char_indices()
        .find(|(_, c)| !is_numeral(*c))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    if end > 0 {
        let rest = &t[end..];
        for sep in ['、', '.', '．', '，'] {
            if let Some(r) = rest.strip_prefix(sep) {
                // "1.5" is a number, not an enumerator.
                if !r.starts_with(|c: char| c.is_ascii_digit()) {
                    return r.trim_start();
                }
            }
        }
    }
    t
}

/// Chinese or Arabic numeral characters as used in enumerators.
pub fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十百零〇".contains(c) || ('０'..='９').contains(&c)
}

/// The printed enumerator of a name, as a level (convention 8): `一、` → 1,
/// `（一）`/`(一)`/`①` → 2.
pub fn enumerator_level(s: &str) -> Option<u8> {
    let t = s.trim_start();
    let first = t.chars().next()?;
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        return Some(2);
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                let inner = &rest[..end];
                if !inner.is_empty() && inner.chars().all(|c| "一二三四五六七八九十".contains(c))
                {
                    return Some(2);
                }
            }
        }
    }
    let end = t
        .char_indices()
        .find(|(_, c)| !"一二三四五六七八九十".contains(*c))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    if end > 0 && t[end..].starts_with('、') {
        return Some(1);
    }
    None
}

/// Is this (normalised) name a grand-total label: 合计, 总计, 收入总计 …?
pub fn is_total_label(s: &str) -> bool {
    let n = norm(s);
    matches!(n.as_str(), "合计" | "总计" | "合计数" | "总计数")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_fast_set_is_left_alone_by_nfkc() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfkc_quick, IsNormalized};
        let mut n = 0;
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| nfkc_stable(c))
        {
            let alone: String = std::iter::once(c).nfkc().collect();
            assert_eq!(alone, c.to_string(), "NFKC changes U+{:04X}", c as u32);
            assert_eq!(
                canonical_combining_class(c),
                0,
                "U+{:04X} combines",
                c as u32
            );
            assert!(
                is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes,
                "U+{:04X} is not NFKC_QC=Yes (may compose with a neighbour)",
                c as u32
            );
            n += 1;
        }
        assert_eq!(n, 128 + 17 + 6592 + 20992);
        // The fast path and NFKC agree on mixed text, including a string that
        // leaves the fast set only in its last character.
        for s in [
            "2025年 一般公共预算（一）",
            "a\u{301}",
            "合计：",
            "e\u{301}",
            "《预算法》、",
        ] {
            assert_eq!(norm(s), fold_norm(s.nfkc()), "{s}");
        }
    }

    #[test]
    fn norm_folds_width_and_space() {
        assert_eq!(norm("（一） 一般 公共"), "(一)一般公共");
        assert_eq!(norm("“三公”经费"), "\"三公\"经费");
        assert_eq!(norm("１２３，４"), "123,4");
        assert_eq!(norm("⻓治市⼯业"), "长治市工业");
        assert_eq!(squash("部⻔ 决算"), "部门决算");
    }

    #[test]
    fn undouble_titles() {
        assert_eq!(undouble("收入决算表收入决算表"), "收入决算表");
        assert_eq!(undouble("收入决算表"), "收入决算表");
    }

    #[test]
    fn enumerators() {
        assert_eq!(strip_enumerator("一、一般公共预算"), "一般公共预算");
        assert_eq!(strip_enumerator("（二）其他"), "其他");
        assert_eq!(strip_enumerator("(3)其他"), "其他");
        assert_eq!(strip_enumerator("①公务用车购置费"), "公务用车购置费");
        assert_eq!(strip_enumerator("1. 一般公共预算资金"), "一般公共预算资金");
        assert_eq!(strip_enumerator("十五、资源勘探"), "资源勘探");
        assert_eq!(strip_enumerator("行政运行"), "行政运行");
        assert_eq!(enumerator_level("二十二、国有资本经营预算支出"), Some(1));
        assert_eq!(enumerator_level("（一）政府购买"), Some(2));
        assert_eq!(enumerator_level("②公务用车运行维护费"), Some(2));
        assert_eq!(enumerator_level("1. 一般公共预算资金"), None);
        assert_eq!(enumerator_level("合计"), None);
    }
}
