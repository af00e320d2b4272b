//! Text repairs inside one cell, each reported so the caller can record it:
//! doubled text from overprinted dumps ("合计合计" → "合计", "支出支出科目代码科目代码"
//! → "支出科目代码"), numbers split by a stray space ("10,441.4 1", OCR's
//! "5280. 60"), and a space left between two Han characters where a cell's
//! text wrapped ("本年收入合 计").

use crate::cells::{has_han, is_han, squash};

/// Kind names recorded in [`crate::Repair::kind`].
pub const DUPLICATE_GLYPHS_REMOVED: &str = "duplicate_glyphs_removed";
pub const SPLIT_NUMBER_JOINED: &str = "split_number_joined";
pub const CELL_WRAP_JOINED: &str = "cell_wrap_joined";
pub const OCR_SPACES_REMOVED: &str = "ocr_spaces_removed";
pub const OCR_RULE_MARKS_REMOVED: &str = "ocr_rule_marks_removed";
pub const OCR_DECIMAL_POINT_FIXED: &str = "ocr_decimal_point_fixed";

/// Reduplicated two-character words that are real words, not doublings.
const REAL_REDUPLICATIONS: &[&str] = &[
    "人人", "常常", "天天", "年年", "个个", "刚刚", "渐渐", "仅仅", "往往", "看看", "谢谢", "星星",
    "匆匆", "处处", "事事", "家家", "户户", "层层", "步步", "时时", "多多", "稍稍", "默默", "纷纷",
];

/// Collapse text that is entirely made of doubled segments (each segment
/// printed twice in a row, as overprinting dumps do). Returns `None` when the
/// text is not such a doubling (including real reduplicated words).
pub fn collapse_doubling(s: &str) -> Option<String> {
    let chars: Vec<char> = s.trim().chars().collect();
    if chars.len() < 2 || !chars.len().is_multiple_of(2) || !has_han(s) {
        return None;
    }
    if chars.len() == 2 && REAL_REDUPLICATIONS.contains(&s.trim()) {
        return None;
    }
    if chars.len() > MAX_DOUBLING_CHARS {
        return None;
    }
    let mut failed = vec![false; chars.len() + 1];
    let out = decompose(&chars, 0, &mut failed)?;
    // A lone two-character doubling inside a longer text ("出出" in
    // "支出出") would be ambiguous; only whole-text decompositions reach here.
    Some(out.into_iter().collect())
}

/// Text as compared for titles and form names: whitespace squashed, then a
/// doubling collapsed ([`collapse_doubling`]).
pub fn dedouble(t: &str) -> String {
    let s = squash(t);
    collapse_doubling(&s).unwrap_or(s)
}

/// [`dedouble`] of a title line, without the `#` marks a Markdown dump puts
/// before a heading.
pub fn dedouble_heading(t: &str) -> String {
    dedouble(t.trim().trim_start_matches('#'))
}

/// Longest text checked for doubling (cells, titles); longer text is prose.
const MAX_DOUBLING_CHARS: usize = 120;

/// Split `chars[i..]` into segments each written twice; longest segment first.
/// Positions known to fail are remembered, so the work is quadratic at most.
fn decompose(chars: &[char], i: usize, failed: &mut [bool]) -> Option<Vec<char>> {
    if failed.get(i).copied().unwrap_or(true) {
        return None;
    }
    let rest = chars.len() - i;
    if rest == 0 {
        return Some(Vec::new());
    }
    let mut len = rest / 2;
    while len >= 1 {
        let a = chars.get(i..i + len)?;
        let b = chars.get(i + len..i + 2 * len)?;
        // Single characters may only double when the whole text is one pair
        // or the character is Han (wrap remnants like "入入", "费费").
        if a == b && (len >= 2 || a.iter().all(|&c| is_han(c))) {
            if let Some(mut tail) = decompose(chars, i + 2 * len, failed) {
                let mut seg = a.to_vec();
                seg.append(&mut tail);
                return Some(seg);
            }
        }
        len -= 1;
    }
    if let Some(f) = failed.get_mut(i) {
        *f = true;
    }
    None
}

/// Join a number split by one space inside a cell: "10,441.4 1" → "10,441.41",
/// "5280. 60" → "5280.60". Only a decimal number whose digits after the point
/// stay at most four once joined, and only when the cell holds nothing else.
pub fn join_split_number(s: &str) -> Option<String> {
    let t = s.trim();
    let (left, right) = t.split_once(' ')?;
    let right = right.trim_start();
    if right.is_empty() || !right.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (int, frac) = left.split_once('.')?;
    let int_ok = {
        let i = int.strip_prefix('-').unwrap_or(int);
        !i.is_empty()
            && i.starts_with(|c: char| c.is_ascii_digit())
            && i.chars().all(|c| c.is_ascii_digit() || c == ',')
    };
    if !int_ok || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Amounts carry two decimals, rates and shares up to four: a longer
    // fraction is two numbers, not one split.
    const DECIMALS: std::ops::RangeInclusive<usize> = 1..=4;
    let decimals = frac.len() + right.len();
    if !DECIMALS.contains(&decimals) {
        return None;
    }
    Some(format!("{left}{right}"))
}

/// Remove single spaces between two Han characters (a cell's text that wrapped
/// inside its box and was joined with a space). Only for short cells: long
/// narrative cells keep their spacing.
pub fn join_cjk_wrap(s: &str, max_chars: usize) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() > max_chars || s.matches(' ').count() != 1 {
        return None;
    }
    // Two long pieces are two cells run together, not one wrapped cell.
    let (a, b) = s.split_once(' ')?;
    if a.chars().count().min(b.chars().count()) > MAX_WRAP_TAIL {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 {
            let prev = chars.get(i - 1).copied().unwrap_or(' ');
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if is_han(prev) && (is_han(next) || is_cjk_punct(next)) {
                changed = true;
                continue;
            }
        }
        out.push(c);
    }
    changed.then_some(out)
}

/// The shorter piece of a wrapped cell is at most this many characters (a
/// cell wraps near its end: "本年收入合 计", "国有资本经 营预算").
const MAX_WRAP_TAIL: usize = 3;

fn is_cjk_punct(c: char) -> bool {
    matches!(c, '（' | '）' | '、' | '：' | '，')
}

/// One repair applied to a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CellFix {
    pub kind: &'static str,
    pub before: String,
    pub after: String,
}

/// Apply every cell repair in turn; returns the repaired text and what was done.
pub fn repair_cell(s: &str, wrap_max_chars: usize) -> (String, Vec<CellFix>) {
    let mut cur = s.trim().to_string();
    let mut fixes = Vec::new();
    if let Some(n) = join_split_number(&cur) {
        fixes.push(CellFix {
            kind: SPLIT_NUMBER_JOINED,
            before: cur.clone(),
            after: n.clone(),
        });
        cur = n;
    }
    if let Some(j) = join_cjk_wrap(&cur, wrap_max_chars) {
        fixes.push(CellFix {
            kind: CELL_WRAP_JOINED,
            before: cur.clone(),
            after: j.clone(),
        });
        cur = j;
    }
    if let Some(d) = collapse_doubling(&cur) {
        fixes.push(CellFix {
            kind: DUPLICATE_GLYPHS_REMOVED,
            before: cur.clone(),
            after: d.clone(),
        });
        cur = d;
    }
    (cur, fixes)
}

/// Marks a recogniser reads from a table's borders and from specks at a
/// cell's edge: removed from the ends of an OCR'd cell (from a number's ends
/// also the punctuation specks become: `“16,410.71`, `.0.00`, `0.00，`).
const RULE_MARKS: &[char] = &[
    '|', '丨', '〈', '〉', '[', ']', '【', '】', '/', '\\', '!', '_',
];
const SPECKS: &[char] = &[
    '“', '”', '"', '\'', '‘', '’', '`', '，', ',', '.', '。', ':', '：', ';', '；', '、', '·', '~',
];

/// The repairs of a cell read by OCR (a scan's own layer or tesseract),
/// before the ones every cell gets ([`repair_cell`]): the same breakage a
/// text layer has, only more of it. A recogniser puts a space at every gap
/// it sees, so spaces between Han characters go whatever their number; a
/// number split at its separators ("16, 410. 71") is joined; the border
/// marks and specks at a cell's ends are dropped; a decimal point read as
/// `:` or doubled (`0:00`, `0..00`) is one point again.
pub fn repair_ocr_cell(s: &str) -> (String, Vec<CellFix>) {
    let mut cur = s.trim().to_string();
    let mut fixes = Vec::new();
    let mut step = |cur: &mut String, kind: &'static str, f: &dyn Fn(&str) -> Option<String>| {
        if let Some(n) = f(cur).filter(|n| n != cur) {
            fixes.push(CellFix {
                kind,
                before: cur.clone(),
                after: n.clone(),
            });
            *cur = n;
        }
    };
    step(&mut cur, OCR_RULE_MARKS_REMOVED, &strip_marks);
    step(&mut cur, SPLIT_NUMBER_JOINED, &join_spaced_number);
    step(&mut cur, OCR_DECIMAL_POINT_FIXED, &fix_decimal_point);
    step(&mut cur, OCR_SPACES_REMOVED, &drop_han_spaces);
    (cur, fixes)
}

/// Is `s` (no spaces) an amount: digits with optional thousands commas and
/// decimals, optional sign.
fn is_plain_number(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let int_ok = !int.is_empty()
        && int.starts_with(|c: char| c.is_ascii_digit())
        && int.ends_with(|c: char| c.is_ascii_digit())
        && int.chars().all(|c| c.is_ascii_digit() || c == ',');
    int_ok && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

fn strip_marks(s: &str) -> Option<String> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || RULE_MARKS.contains(&c));
    let bare = t.trim_matches(|c: char| {
        c.is_whitespace() || RULE_MARKS.contains(&c) || SPECKS.contains(&c)
    });
    let squashed: String = bare.chars().filter(|c| !c.is_whitespace()).collect();
    if bare != t && is_plain_number(&squashed) {
        return Some(bare.to_string());
    }
    Some(t.to_string())
}

fn join_spaced_number(s: &str) -> Option<String> {
    if !s.contains(char::is_whitespace) {
        return None;
    }
    let squashed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    is_plain_number(&squashed).then_some(squashed)
}

fn fix_decimal_point(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.replace("..", ".");
    let (head, tail) = t.rsplit_once([':', '：', '.'])?;
    // Before the decimal point only thousands separators: a point among
    // them is a comma misread ("514.844.00", "1.074,613.00").
    // With spaces in the cell, a point before the last one could as well
    // end another number ("1.09 2.00"): left alone.
    if head.contains('.') && s.trim().contains(char::is_whitespace) {
        return None;
    }
    let head = if head.contains(',') || head.contains('.') {
        let groups: Vec<&str> = head.split([',', '.']).collect();
        let ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups.iter().skip(1).all(|g| g.len() == 3);
        if !ok {
            return None;
        }
        groups.join(",")
    } else {
        head.to_string()
    };
    let fixed = format!("{head}.{tail}");
    (tail.len() == 2 && is_plain_number(&fixed)).then_some(fixed)
}

/// `s` without the spaces between two Han characters (or CJK punctuation):
/// a recogniser puts one at every gap it sees. Used on OCR'd cells and on
/// the running text of OCR'd pages.
pub fn drop_han_spaces(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let cjk = |c: char| is_han(c) || is_cjk_punct(c) || "。；！？“”《》【】".contains(c);
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = chars.iter().take(i).rev().find(|c| !c.is_whitespace());
            let next = chars.iter().skip(i + 1).find(|c| !c.is_whitespace());
            if prev.is_some_and(|&p| cjk(p)) && next.is_some_and(|&n| cjk(n)) {
                continue;
            }
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_cells_lose_their_spaces_marks_and_misread_points() {
        let r = |s: &str| repair_ocr_cell(s).0;
        assert_eq!(r("一 、 一 般 公共服务 支出"), "一、一般公共服务支出");
        assert_eq!(r("16, 410. 71"), "16,410.71");
        assert_eq!(r("“16, 410.71"), "16,410.71");
        assert_eq!(r(", .0.00"), "0.00");
        assert_eq!(r("0.00.，"), "0.00");
        assert_eq!(r("0:00"), "0.00");
        assert_eq!(r("0..00"), "0.00");
        assert_eq!(r("16, 410: 71"), "16,410.71");
        assert_eq!(r("514.844.00"), "514,844.00");
        assert_eq!(r("1.074,613.00"), "1,074,613.00");
        assert_eq!(r("11165,550.00"), "11165,550.00");
        assert_eq!(r("|"), "");
        assert_eq!(r("| 三十七、债务付息支出"), "三十七、债务付息支出");
        // Latin words and amounts beside text keep their spaces; a code stays.
        assert_eq!(r("2026 年 预算"), "2026 年预算");
        assert_eq!(r("201 01"), "20101");
        assert_eq!(r("1.09 2.00"), "1.09 2.00");
        let (_, fixes) = repair_ocr_cell("“16, 410. 71");
        let kinds: Vec<&str> = fixes.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [OCR_RULE_MARKS_REMOVED, SPLIT_NUMBER_JOINED]);
    }

    #[test]
    fn doublings_collapse_and_real_words_stay() {
        assert_eq!(collapse_doubling("合计合计").as_deref(), Some("合计"));
        assert_eq!(collapse_doubling("项目项目").as_deref(), Some("项目"));
        assert_eq!(collapse_doubling("附属单附属单").as_deref(), Some("附属单"));
        assert_eq!(collapse_doubling("位位").as_deref(), Some("位"));
        assert_eq!(
            collapse_doubling("支出支出科目代码科目代码").as_deref(),
            Some("支出科目代码")
        );
        assert_eq!(
            collapse_doubling("收入支出决算总表收入支出决算总表").as_deref(),
            Some("收入支出决算总表")
        );
        assert_eq!(collapse_doubling("人人"), None);
        assert_eq!(collapse_doubling("科目编码"), None);
        assert_eq!(collapse_doubling("11"), None);
        assert_eq!(collapse_doubling("合计"), None);
        assert_eq!(collapse_doubling("abab"), None);
    }

    #[test]
    fn split_numbers_join_only_when_unambiguous() {
        assert_eq!(
            join_split_number("10,441.4 1").as_deref(),
            Some("10,441.41")
        );
        assert_eq!(join_split_number("9,202.0 0").as_deref(), Some("9,202.00"));
        assert_eq!(join_split_number("5280. 60").as_deref(), Some("5280.60"));
        assert_eq!(join_split_number("1303700 5025"), None);
        assert_eq!(join_split_number("1.09 2.00"), None);
        assert_eq!(join_split_number("12.34 567"), None);
        assert_eq!(join_split_number("第 1"), None);
    }

    #[test]
    fn cjk_wrap_spaces_removed_in_short_cells() {
        assert_eq!(
            join_cjk_wrap("本年收入合 计", 30).as_deref(),
            Some("本年收入合计")
        );
        assert_eq!(join_cjk_wrap("2022 年", 30), None);
        assert_eq!(join_cjk_wrap("功能科目 编码", 3), None);
        assert_eq!(join_cjk_wrap("实施期目标 年度目标", 30), None);
        assert_eq!(
            join_cjk_wrap("国有资本经 营预算", 30).as_deref(),
            Some("国有资本经营预算")
        );
        let (out, fixes) = repair_cell(" 10,441.4 1 ", 30);
        assert_eq!(out, "10,441.41");
        assert_eq!(fixes[0].kind, SPLIT_NUMBER_JOINED);
    }
}
