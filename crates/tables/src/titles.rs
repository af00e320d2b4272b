//! Table titles read as tokens, not stripped by pattern: the printed table
//! number (表5, 表一, 表1-1, 附表1, 公开01表, "公开 01 表：", 公开表一,
//! 预算公开表3, 一、, （一）, 五、), the year (2026年, 2026年度), the body and
//! the remarks (（按功能分类科目）). The table stage uses it to tell a title
//! line from prose or a caption; normalize uses the same reading for a
//! table's `number` and its normalized title, so the two never disagree.

use crate::cells::is_chinese_numeral;

/// Table numbers have one to three digits or numerals (表1 … 表999, （一）,
/// 十二、); more digits run into a year or are an amount.
const MAX_NUMBER_DIGITS: usize = 3;
/// A year is printed with four digits (2026年) ...
const YEAR_DIGITS: usize = 4;
/// ... and a disclosure's year lies in this range (a four-digit number
/// outside it before 年 is not a year).
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A title line split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TitleParts {
    /// The table number as printed, without separators: `表5`, `公开01表`.
    pub number: Option<String>,
    /// The year the title names (`2026年`, `2026年度`).
    pub year: Option<i32>,
    /// The title without number, year and separators, whitespace removed.
    pub body: String,
}

/// `s` from byte `i` on, or "" where `i` is not a boundary (checked, never
/// a panic on odd input).
fn from(s: &str, i: usize) -> &str {
    s.get(i..).unwrap_or("")
}

/// `s` up to byte `i`, or "" where `i` is not a boundary.
fn upto(s: &str, i: usize) -> &str {
    s.get(..i).unwrap_or("")
}

/// Separators printed between a table number and the title.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '：' | ':' | '、' | '.' | '．' | '-' | '—' | '－' | '–' | ' ' | '　' | '，' | ','
    )
}

/// Full-width digits to ASCII, whitespace removed: the title as compared.
fn squash_digits(s: &str) -> String {
    crate::cells::squash(s)
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The numeral after a number prefix: a run of Chinese numerals, or up to
/// three Arabic digits with an optional `-N` part (表1-1). Digits that run
/// into a year ("表12026年": 表1 then 2026年, the space lost) leave the year.
fn numeral_len(rest: &str) -> usize {
    let chars: Vec<char> = rest.chars().collect();
    let mut cn = chars.iter().take_while(|c| is_chinese_numeral(**c)).count();
    // "表一一般…": the last 一 starts the word 一般.
    if cn > 1 && chars.get(cn) == Some(&'般') && chars.get(cn - 1) == Some(&'一') {
        cn -= 1;
    }
    if cn > 0 {
        return chars.iter().take(cn).map(|c| c.len_utf8()).sum();
    }
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return 0;
    }
    let mut n = digits;
    // A year glued after the number: keep the last four digits for it.
    if chars.get(digits) == Some(&'年') && digits > YEAR_DIGITS {
        n = digits - YEAR_DIGITS;
    } else if digits > MAX_NUMBER_DIGITS {
        return 0;
    }
    // 表1-1: a sub-number.
    if n == digits && chars.get(n) == Some(&'-') {
        let sub = chars
            .iter()
            .skip(n + 1)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if (1..=2).contains(&sub) {
            n += 1 + sub;
        }
    }
    n // ASCII only from here on: chars and bytes agree
}

/// A leading table number: its printed form and the byte length it takes
/// (separators after it included).
pub fn leading_number(s: &str) -> Option<(String, usize)> {
    // 公开01表 / 公开 01 表 (squashed: 公开01表)
    if let Some(rest) = s.strip_prefix("公开") {
        let n = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if (1..=MAX_NUMBER_DIGITS).contains(&n) && from(rest, n).starts_with('表') {
            let end = "公开".len() + n + '表'.len_utf8();
            return Some((upto(s, end).to_string(), skip_separators(s, end)));
        }
    }
    for prefix in ["预算公开表", "决算公开表", "公开表", "附表", "表"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let n = numeral_len(rest);
            if n > 0 {
                let end = prefix.len() + n;
                return Some((upto(s, end).to_string(), skip_separators(s, end)));
            }
        }
    }
    // （一） / (一) / （1）
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = s.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                let inner = upto(rest, end);
                if !inner.is_empty()
                    && inner.chars().count() <= MAX_NUMBER_DIGITS
                    && inner
                        .chars()
                        .all(|c| is_chinese_numeral(c) || c.is_ascii_digit())
                {
                    let stop = open.len_utf8() + end + close.len_utf8();
                    return Some((upto(s, stop).to_string(), skip_separators(s, stop)));
                }
            }
        }
    }
    // 一、 / 五、 / 1、 (an enumerator needs its 、 or ．: "一般" is a word)
    let n: usize = s
        .chars()
        .take_while(|c| is_chinese_numeral(*c) || c.is_ascii_digit())
        .take(MAX_NUMBER_DIGITS)
        .map(char::len_utf8)
        .sum();
    if n > 0 && from(s, n).starts_with(['、', '．']) {
        return Some((upto(s, n).to_string(), skip_separators(s, n)));
    }
    None
}

fn skip_separators(s: &str, from: usize) -> usize {
    let rest = s.get(from..).unwrap_or("");
    from + rest.len() - rest.trim_start_matches(is_separator).len()
}

/// A leading year: `2026年`, `2026年度`, and the byte length it takes.
fn leading_year(s: &str) -> Option<(i32, usize)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits != YEAR_DIGITS || !from(s, YEAR_DIGITS).starts_with('年') {
        return None;
    }
    let year: i32 = upto(s, YEAR_DIGITS).parse().ok()?;
    if !YEARS.contains(&year) {
        return None;
    }
    let mut end = YEAR_DIGITS + '年'.len_utf8();
    if from(s, end).starts_with('度') {
        end += '度'.len_utf8();
    }
    Some((year, end))
}

/// Read a title line: number, year, body. Whitespace is removed first
/// ("公开 01 表：" and "2022 年" as printed by some producers).
pub fn parse(title: &str) -> TitleParts {
    let s = squash_digits(title);
    let mut rest: &str = &s;
    let mut number = None;
    if let Some((n, len)) = leading_number(rest) {
        number = Some(n);
        rest = rest.get(len..).unwrap_or("");
    }
    let mut year = None;
    if let Some((y, len)) = leading_year(rest) {
        year = Some(y);
        rest = rest.get(len..).unwrap_or("");
    }
    // A number after the year ("2026年表5…") is rare but seen.
    if number.is_none() {
        if let Some((n, len)) = leading_number(rest) {
            number = Some(n);
            rest = rest.get(len..).unwrap_or("");
        }
    }
    let body = rest.trim_start_matches(is_separator).to_string();
    TitleParts { number, year, body }
}

/// A line that is nothing but a table number ("表5", "公开01表", "附表1-1"):
/// printed above or beside the title.
pub fn is_number_only(line: &str) -> bool {
    let s = squash_digits(line);
    match leading_number(&s) {
        Some((n, len)) => len >= s.len() && !n.ends_with('、'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> (Option<String>, Option<i32>, String) {
        let x = parse(t);
        (x.number, x.year, x.body)
    }

    #[test]
    fn every_printed_number_form() {
        let cases = [
            ("表5", "表5", "一般公共预算支出情况表"),
            ("表一", "表一", "一般公共预算支出情况表"),
            ("表1-1", "表1-1", "一般公共预算支出情况表"),
            ("附表1", "附表1", "一般公共预算支出情况表"),
            ("公开01表", "公开01表", "一般公共预算支出情况表"),
            ("公开 01 表：", "公开01表", "一般公共预算支出情况表"),
            ("公开表一", "公开表一", "一般公共预算支出情况表"),
            ("预算公开表3", "预算公开表3", "一般公共预算支出情况表"),
            ("一、", "一", "一般公共预算支出情况表"),
            ("（一）", "（一）", "一般公共预算支出情况表"),
            ("表2：", "表2", "一般公共预算支出情况表"),
        ];
        for (prefix, number, body) in cases {
            let t = format!("{prefix}一般公共预算支出情况表");
            assert_eq!(
                p(&t),
                (Some(number.to_string()), None, body.to_string()),
                "{t}"
            );
        }
    }

    #[test]
    fn years_and_numbers_together() {
        assert_eq!(
            p("表2：2026年市级部门收入预算总表"),
            (
                Some("表2".into()),
                Some(2026),
                "市级部门收入预算总表".into()
            )
        );
        assert_eq!(
            p("五、2018年度部门财政拨款支出预算表"),
            (
                Some("五".into()),
                Some(2018),
                "部门财政拨款支出预算表".into()
            )
        );
        // The year is not read as part of a Chinese numeral: 表五 then 2026年.
        assert_eq!(
            p("表五2026年一般公共预算支出预算表"),
            (
                Some("表五".into()),
                Some(2026),
                "一般公共预算支出预算表".into()
            )
        );
        // A number glued to the year once the space is lost.
        assert_eq!(
            p("预算公开表1 2025年预算收支总表"),
            (
                Some("预算公开表1".into()),
                Some(2025),
                "预算收支总表".into()
            )
        );
        assert_eq!(
            p("2022 年预算支出总表"),
            (None, Some(2022), "预算支出总表".into())
        );
    }

    #[test]
    fn words_that_only_look_like_numbers() {
        // 一般 starts with a numeral character but is a word.
        assert_eq!(p("一般公共预算支出表").0, None);
        assert_eq!(p("表格说明").0, None);
        assert!(is_number_only("表5"));
        assert!(is_number_only("公开 01 表"));
        assert!(!is_number_only("表5 一般公共预算支出表"));
        assert!(!is_number_only("一般公共预算"));
    }
}
