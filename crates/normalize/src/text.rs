//! Enumerators of names (`一、`, `（一）`) as normalize reads them, beside the
//! cell vocabulary it shares with the table stage: NFKC with whitespace
//! removed (convention 10), radicals folded, text printed twice undone. Those
//! are defined once in [`gongkai_tables::cells`] and re-exported here for the
//! crate's modules.

pub use gongkai_tables::cells::{
    fold_radical, fold_radicals, is_grand_total_label, is_numeral_any_width, norm, squash_folded,
    undouble,
};

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
                if !inner.is_empty() && inner.chars().all(is_numeral_any_width) {
                    return rest[end + close.len_utf8()..].trim_start();
                }
            }
        }
    }
    // 一、 / 1. / 1、 / 1．
    let end = t
        .char_indices()
        .find(|(_, c)| !is_numeral_any_width(*c))
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

#[cfg(test)]
mod tests {
    use super::*;

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
