//! What a cell's text looks like: an amount, a subject code, a total label, an
//! enumerated item, Han text. Every later heuristic (header rows, wrapped rows,
//! repairs) asks these questions, so they live in one place.

/// Whether `c` is a Han (CJK ideograph) character.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether the text holds at least one Han character.
pub fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
}

/// An amount as printed in disclosures: optional sign, digits with optional
/// thousands commas, optional decimals, optional trailing `%`; also a lone
/// dash standing for zero. Full-width digits are not amounts (they are text).
pub fn is_amount(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() {
        return false;
    }
    if matches!(s, "-" | "—" | "－") {
        return true;
    }
    let s = s.strip_suffix('%').unwrap_or(s);
    let s = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('+'))
        .unwrap_or(s);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int.is_empty() || !int.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    if !int.chars().all(|c| c.is_ascii_digit() || c == ',') || int.ends_with(',') {
        return false;
    }
    match frac {
        Some(f) => !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()),
        None => true,
    }
}

/// An amount with a decimal point (the kind of number a row of money carries;
/// line numbers 行次 and column numbers 栏次 have none).
pub fn is_decimal_amount(s: &str) -> bool {
    is_amount(s) && s.contains('.')
}

/// A budget subject code as printed in the code column: 3 to 7 ASCII digits
/// (类 201, 款 20101, 项 2010101; economic 501, 50101), maybe bracketed.
pub fn is_code(s: &str) -> bool {
    let s = s.trim();
    let s = s
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(s);
    // 类 codes have 3 digits, 款 5 and 项 7 (economic codes 3 or 5).
    const DIGITS: std::ops::RangeInclusive<usize> = 3..=7;
    DIGITS.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
}

/// A total or subtotal label (合计, 总计, 小计, and their spaced forms).
pub fn is_total_label(s: &str) -> bool {
    // A qualified total (本年收入合计, 支出总计) is short; a longer label
    // ending in 合计 is an item's name, not a total.
    const MAX_CHARS: usize = 8;
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(t.as_str(), "合计" | "总计" | "小计" | "共计")
        || t.ends_with("合计") && t.chars().count() <= MAX_CHARS
        || t.ends_with("总计") && t.chars().count() <= MAX_CHARS
}

/// Text starting with an enumeration marker: `一、`, `（一）`, `(二)`, `1.`, `1、`,
/// `①`. Such a line starts an item; it is never the tail of a wrapped one.
pub fn is_enumerated(s: &str) -> bool {
    let s = s.trim_start();
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if ('①'..='⑳').contains(&first) {
        return true;
    }
    // Enumerators count sections and items: up to three numerals in
    // brackets (（二十一）), four bare (二十一、, 1001、); longer runs of
    // numerals are numbers in the text.
    const MAX_BRACKETED: usize = 3;
    const MAX_BARE: usize = 4;
    if matches!(first, '（' | '(') {
        let inner: String = chars.take_while(|&c| c != '）' && c != ')').collect();
        return !inner.is_empty()
            && inner.chars().count() <= MAX_BRACKETED
            && inner.chars().all(is_numeral);
    }
    let head: String = s.chars().take_while(|&c| is_numeral(c)).collect();
    if head.is_empty() || head.chars().count() > MAX_BARE {
        return false;
    }
    let rest = &s[head.len()..];
    rest.starts_with('、') || rest.starts_with('.') || rest.starts_with('．')
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十百零〇".contains(c)
}

/// Punctuation that marks running text (a sentence), not a table row or
/// label. The colon of a label prefix ("其中：基本支出", a header cell) is
/// not prose.
pub fn has_prose_marks(t: &str) -> bool {
    let t = t.replace("其中：", "").replace("其中:", "");
    t.contains(['。', '，', '；', '：'])
}

/// Text with no whitespace (for comparing header rows printed twice).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        for s in ["1.09", "10,441.41", "-3.5", "0", "12%", "145616.75", "-"] {
            assert!(is_amount(s), "{s}");
        }
        for s in ["", "1.", "a1", "1,", "[208]", "5280. 60", "２０"] {
            assert!(!is_amount(s), "{s}");
        }
        assert!(is_decimal_amount("1.09") && !is_decimal_amount("38"));
    }

    #[test]
    fn codes_labels_enumerations() {
        assert!(is_code("2101102") && is_code("201") && is_code("[208]"));
        assert!(!is_code("20") && !is_code("21011021") && !is_code("2.01"));
        assert!(is_total_label("合计") && is_total_label("本年收入合计"));
        assert!(!is_total_label("工资福利支出"));
        for s in [
            "一、一般公共预算",
            "（一）行政单位",
            "(2)x",
            "1.副部级",
            "二十一、粮油",
        ] {
            assert!(is_enumerated(s), "{s}");
        }
        for s in ["支出", "款收入", "2101102", "一般公共服务"] {
            assert!(!is_enumerated(s), "{s}");
        }
    }
}
