//! Subject codes (功能科目 such as `2080505`, 经济科目 such as `50101`) and
//! their hierarchy. A code comes from its own column, from a prefix on the
//! name (`[2080505]机关事业单位…`), or from separate 类/款/项 columns that are
//! concatenated as printed (convention 11). Codes are never corrected.

use crate::text::norm;
use gongkai_tables::cells::is_bare_code;

/// A short digit group as printed in a 款 or 项 column (`05`, `13`).
pub fn is_code_part(s: &str) -> bool {
    let n = norm(s);
    (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())
}

/// Split a code prefix off a name: `[2080505]机关…` / `【208】…` / `2010301 行政运行`
/// give `(Some(code), name)`; a cell that is only a code gives `(Some(code), "")`;
/// anything else `(None, text)`.
pub fn split_prefix(cell: &str) -> (Option<String>, String) {
    let t = cell.trim();
    for (open, close) in [('[', ']'), ('【', '】'), ('［', '］')] {
        if let Some(rest) = t.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                let inner = &rest[..end];
                if is_bare_code(inner) {
                    let name = rest[end + close.len_utf8()..].trim();
                    return (Some(norm(inner)), name.to_string());
                }
            }
        }
    }
    if is_bare_code(t) {
        return (Some(norm(t)), String::new());
    }
    // "2010301 行政运行": digits, whitespace, then a name that is not a number.
    let digits_end = t
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    if (3..=7).contains(&digits_end) {
        let rest = &t[digits_end..];
        if rest.starts_with(char::is_whitespace) {
            let name = rest.trim();
            if name
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii_digit() && !c.is_ascii_punctuation())
            {
                return (Some(t[..digits_end].to_string()), name.to_string());
            }
        }
    }
    (None, t.to_string())
}

/// Depth of a code (convention 8): 3 digits → 1, 5 → 2, 7 → 3.
pub fn level(code: &str) -> Option<u8> {
    match code.len() {
        3 => Some(1),
        5 => Some(2),
        7 => Some(3),
        _ => None,
    }
}

/// The parent of a code in the 3/5/7 hierarchy (`2080505` → `20805`).
pub fn parent(code: &str) -> Option<&str> {
    match code.len() {
        5 => code.get(..3),
        7 => code.get(..5),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(
            split_prefix("[2080505]机关事业单位基本养老保险缴费支出"),
            (
                Some("2080505".into()),
                "机关事业单位基本养老保险缴费支出".into()
            )
        );
        assert_eq!(
            split_prefix("【208】社会保障"),
            (Some("208".into()), "社会保障".into())
        );
        assert_eq!(split_prefix("201"), (Some("201".into()), "".into()));
        assert_eq!(
            split_prefix("2010301 行政运行"),
            (Some("2010301".into()), "行政运行".into())
        );
        assert_eq!(split_prefix("行政运行"), (None, "行政运行".into()));
        assert_eq!(split_prefix("合计"), (None, "合计".into()));
        assert_eq!(
            split_prefix("2025年党员教育"),
            (None, "2025年党员教育".into())
        );
        assert_eq!(split_prefix("12.50"), (None, "12.50".into()));
    }

    #[test]
    fn hierarchy() {
        assert_eq!(level("201"), Some(1));
        assert_eq!(level("20132"), Some(2));
        assert_eq!(level("2013299"), Some(3));
        assert_eq!(level("30101"), Some(2));
        assert_eq!(level("2010"), None);
        assert_eq!(parent("2080505"), Some("20805"));
        assert_eq!(parent("20805"), Some("208"));
        assert_eq!(parent("208"), None);
        assert!(is_bare_code("2080505"));
        assert!(!is_bare_code("20"));
        assert!(is_code_part("05"));
    }
}
