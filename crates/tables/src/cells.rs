//! The one vocabulary of cell text: what a cell's text looks like (an amount,
//! a subject code, a total label, an enumerated item, a column-number row, Han
//! text) and the forms text is compared in (whitespace squashed, radicals
//! folded, NFKC, text printed twice undone). Every heuristic of the table
//! stage and of normalize asks these questions, so each is answered here once;
//! where two stages need different answers the variants carry names that say
//! how they differ.

use unicode_normalization::UnicodeNormalization;

/// Folding of a radical or compatibility ideograph to the unified ideograph.
/// Extraction applies it to every decoded glyph, so it is defined there (the
/// lowest crate); re-exported here so later stages take all of their text
/// vocabulary from this one module.
pub use gongkai_extract::font::normalize::normalize_char;

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

/// The shape of a budget subject code: 3 to 7 ASCII digits (类 201, 款
/// 20101, 项 2010101; economic 501, 50101).
fn is_code_digits(s: &str) -> bool {
    (3..=7).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// A budget subject code as printed in the code column of a raw grid:
/// [`is_code_digits`] after trimming, maybe bracketed (`[208]`).
pub fn is_code(s: &str) -> bool {
    let s = s.trim();
    let s = s
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(s);
    is_code_digits(s)
}

/// A string that is a whole code and nothing else, in any width: the
/// [`norm`] form (full-width digits and inner spaces allowed) is
/// [`is_code_digits`]. No brackets: normalize splits those off a name itself
/// (`[208]社会保障…`) and asks this of what is inside.
pub fn is_bare_code(s: &str) -> bool {
    is_code_digits(&norm(s))
}

/// "301301" → "301": a subject code (3, 5 or 7 digits) printed twice by an
/// overprinting dump.
pub fn doubled_code(c: &str) -> Option<&str> {
    doubled_half(c.trim())
        .filter(|h| matches!(h.len(), 3 | 5 | 7) && h.bytes().all(|b| b.is_ascii_digit()))
}

/// A total or subtotal label as the table stage reads rows (合计, 总计, 小计,
/// 共计, 本年收入合计 …, and their spaced forms).
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

/// A Chinese numeral as enumerators and table numbers print them
/// (一 … 十, 百, 零, 〇).
pub fn is_chinese_numeral(c: char) -> bool {
    "一二三四五六七八九十百零〇".contains(c)
}

/// An ASCII digit or a Chinese numeral, as enumeration markers in a raw grid
/// cell use them.
pub fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || is_chinese_numeral(c)
}

/// [`is_numeral`] or a full-width digit: for text read before NFKC (names
/// whose enumerator normalize strips, `（１）`).
pub fn is_numeral_any_width(c: char) -> bool {
    is_numeral(c) || ('０'..='９').contains(&c)
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

/// [`squash`] with radicals folded ([`fold_radical`]): for keys and names
/// written to the output, which are written as printed but never keep the
/// spaces a wrapped cell left behind.
pub fn squash_folded(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_radical)
        .collect()
}

/// The first half of a string printed twice in a row by a PDF producer that
/// draws text twice (`收入决算表收入决算表`): at least four characters, the
/// two halves equal. `None` for anything else.
pub fn doubled_half(s: &str) -> Option<&str> {
    let n = s.chars().count();
    if n < 4 || !n.is_multiple_of(2) {
        return None;
    }
    let mid = s.char_indices().nth(n / 2).map(|(i, _)| i)?;
    let (a, b) = s.split_at(mid);
    (a == b).then_some(a)
}

/// A whole string printed twice in a row gives its first half
/// ([`doubled_half`]); anything else is returned as is. (Text doubled segment
/// by segment is [`crate::repair::collapse_doubling`].)
pub fn undouble(s: &str) -> String {
    doubled_half(s).unwrap_or(s).to_string()
}

/// NFKC, whitespace removed: the form the contract compares names and labels
/// in (convention 10), so that full-width and half-width spellings (（一） /
/// (一), ： / :) are one. Curly quotes are folded to plain ones because
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
/// ideographs, folded as extraction folds them ([`normalize_char`]); here for
/// text that did not come through a font, such as text dumps. Plus one
/// traditional form some simplified fonts map for 户 (财政专戶), which
/// extraction leaves alone as a traditional document means it.
pub fn fold_radical(c: char) -> char {
    match c {
        '戶' => '户',
        c => normalize_char(c),
    }
}

/// Radicals folded (see [`fold_radical`]), nothing else changed: for text
/// written to the output (entity, title, names).
pub fn fold_radicals(s: &str) -> String {
    s.chars().map(fold_radical).collect()
}

/// A grand-total label as normalize reads records: the [`norm`] form is 合计,
/// 总计, 合计数 or 总计数. Narrower than [`is_total_label`] (no 小计, no
/// 本年收入合计): the accounting checks look for the one row that totals a
/// whole table.
pub fn is_grand_total_label(s: &str) -> bool {
    let n = norm(s);
    matches!(n.as_str(), "合计" | "总计" | "合计数" | "总计数")
}

/// Placeholders printed in the label columns of a column-number row: 栏次 /
/// 行次 (maybe doubled by fake bold), the 甲 乙 丙 丁 of text columns, and
/// the asterisks some templates print there ("** 1 2 3 …").
fn is_column_number_label(t: &str) -> bool {
    let s = squash(t);
    matches!(
        s.as_str(),
        "栏次" | "行次" | "栏次栏次" | "行次行次" | "甲" | "乙" | "丙" | "丁" | "栏"
    ) || (!s.is_empty() && s.chars().all(|c| c == '*' || c == '＊'))
}

/// The column-number row printed under some headers (`栏次 1 2 3 …`,
/// `** 1 2 3 …`): placeholders and small integers, either with a 栏次-like
/// label or at least two integers that increase and start at 0 or 1 (a run
/// of years or amounts is not one). The one rule for every stage (normalize
/// asks it of [`norm`]ed cells).
pub fn is_column_number_row(cells: &[String]) -> bool {
    let texts: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if texts.is_empty() {
        return false;
    }
    let mut labels = 0;
    let mut nums = Vec::new();
    for t in &texts {
        if is_column_number_label(t) {
            labels += 1;
            continue;
        }
        let s = squash(t);
        // "01" is a code part (款 05), not a column number.
        if s.len() > 1 && s.starts_with('0') {
            return false;
        }
        match s.parse::<u32>() {
            Ok(n) if n <= 300 => nums.push(n),
            _ => return false,
        }
    }
    let increasing = nums.windows(2).all(|w| matches!(w, [a, b] if b > a));
    if labels > 0 {
        // A lone 甲 is a cell, not a column-number row; 栏次 alone is.
        return !nums.is_empty() || texts.iter().any(|t| squash(t).contains('次'));
    }
    nums.len() >= 2 && nums.first().is_some_and(|&n| n <= 1) && increasing
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
        assert_eq!(squash_folded("部⻔ 决算"), "部门决算");
    }

    #[test]
    fn undouble_titles() {
        assert_eq!(undouble("收入决算表收入决算表"), "收入决算表");
        assert_eq!(undouble("收入决算表"), "收入决算表");
    }

    #[test]
    fn column_number_rows() {
        let r = |s: &str| s.split('\t').map(String::from).collect::<Vec<_>>();
        assert!(is_column_number_row(&r("栏次\t\t1\t2\t3")));
        assert!(is_column_number_row(&r("栏次\t\t11\t栏次\t\t22")));
        assert!(is_column_number_row(&r("1\t2\t3\t4")));
        assert!(!is_column_number_row(&r("2024\t2025")));
        assert!(!is_column_number_row(&r("项目\t1")));
        assert!(is_column_number_row(&r("**\t1\t2\t3")));
        assert!(is_column_number_row(&r("甲\t乙\t1\t2")));
        assert!(is_column_number_row(&r("栏次栏次\t1\t2")));
        assert!(!is_column_number_row(&r("201\t05\t01")));
        assert!(!is_column_number_row(&r("甲")));
    }

    #[test]
    fn variants_differ_where_their_callers_need_it() {
        // Raw grid cells: brackets allowed, full-width digits not.
        assert!(is_code("[208]") && !is_code("２０８"));
        // Whole codes in any width, no brackets.
        assert!(is_bare_code("２０８") && is_bare_code("208") && !is_bare_code("[208]"));
        assert_eq!(doubled_code("301301"), Some("301"));
        assert_eq!(doubled_code(" 2010101 2010101"), None);
        assert_eq!(doubled_code("20101012010101"), Some("2010101"));
        assert_eq!(doubled_code("301302"), None);
        assert_eq!(doubled_code("3030"), None);
        assert!(is_total_label("小计") && !is_grand_total_label("小计"));
        assert!(is_grand_total_label("合 计") && is_grand_total_label("合计数"));
        assert!(!is_numeral('１') && is_numeral_any_width('１') && is_numeral('十'));
        assert_eq!(squash("部⻔ 决算"), "部⻔决算");
        assert_eq!(squash_folded("部⻔ 决算"), "部门决算");
        assert_eq!(undouble("abab"), "ab");
        assert_eq!(undouble("aa"), "aa");
        assert_eq!(doubled_half("合计合计"), Some("合计"));
    }
}
