//! Amounts as printed. Disclosures print numbers with thousands separators
//! (`,` or `，`), in full-width digits, with spaces left inside by OCR or by
//! a text layer split across two runs (`5280. 60`), with `-`/`—`/blank for
//! "nothing", negatives in parentheses and percentages. Values are kept in the
//! unit the table prints (no conversion); the unit itself is read from the
//! caption or header.

use crate::text::norm;

/// What one body cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// Empty, `-`, `—` and friends: no value (convention 12).
    Empty,
    /// A number as printed (a percentage gives its number: `12.5%` → 12.5).
    Number(f64),
    /// Anything else.
    Text,
}

/// Dashes printed for "nothing".
fn is_dash_only(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| "-—–―－‐‑‒─━/／".contains(c))
}

/// Read one cell.
pub fn parse_cell(raw: &str) -> Cell {
    let s = norm(raw); // NFKC folds full-width digits, '，' and '（'; whitespace gone
    if s.is_empty() || is_dash_only(&s) {
        return Cell::Empty;
    }
    match parse_number(&s) {
        Some(v) => Cell::Number(v),
        None => Cell::Text,
    }
}

/// The number in a cell, if the cell is a number; `None` for empty or text.
pub fn amount(raw: &str) -> Option<f64> {
    match parse_cell(raw) {
        Cell::Number(v) => Some(v),
        _ => None,
    }
}

/// Does the cell hold a percentage (`85%`, `85.0％`)?
pub fn is_percent(raw: &str) -> bool {
    let s = norm(raw);
    s.ends_with('%') && parse_number(&s).is_some()
}

/// Parse an already normalised string (no whitespace, half-width).
fn parse_number(s: &str) -> Option<f64> {
    let mut t = s;
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        t = inner;
    }
    if let Some(r) = t.strip_suffix('%') {
        t = r;
    }
    if let Some(r) = t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        if negative {
            return None;
        }
        negative = true;
        t = r;
    } else if let Some(r) = t.strip_prefix('+') {
        t = r;
    }
    if t.is_empty() {
        return None;
    }
    // Digits, at most one '.', and ',' only as a thousands separator between digits.
    let bytes = t.as_bytes();
    let mut digits = String::with_capacity(t.len());
    let mut dots = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => digits.push(b as char),
            b'.' => {
                dots += 1;
                if dots > 1 {
                    return None;
                }
                digits.push('.');
            }
            b',' => {
                // A thousands separator: digits before, exactly three after.
                let before = i > 0 && bytes[i - 1].is_ascii_digit();
                let group = bytes
                    .get(i + 1..i + 4)
                    .is_some_and(|g| g.iter().all(u8::is_ascii_digit));
                let end = bytes.get(i + 4).is_none_or(|c| *c == b',' || *c == b'.');
                if !(before && group && end) || dots > 0 {
                    return None;
                }
            }
            _ => return None,
        }
    }
    if !digits.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: f64 = digits.parse().ok()?;
    if !v.is_finite() {
        return None;
    }
    Some(if negative { -v } else { v })
}

/// The unit printed for a table's amounts: `元`, `万元` or `千元`, read from
/// lines such as `单位：万元`, `金额单位：元`, `单位:万 元` (split by a wrap) or a
/// header cell `金额（万元）`.
pub fn detect_unit<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lines: Vec<String> = lines.into_iter().map(norm).collect();
    // A caption wrapped inside its cell (`单位:万` / `元`) is read joined too.
    let joined: Vec<String> = lines
        .windows(2)
        .map(|w| format!("{}{}", w[0], w[1]))
        .collect();
    let mut fallback = None;
    for n in lines.iter().chain(joined.iter()) {
        // Every `单位:` of the line: `编制单位:X 单位:元` names the body first.
        for (pos, _) in n.match_indices("单位:") {
            if let Some(u) = unit_at(&n[pos + "单位:".len()..]) {
                return Some(u.to_string());
            }
        }
        if fallback.is_none() {
            for open in ["(", "（"] {
                for unit in ["万元", "千元", "元"] {
                    if n.contains(&format!("{open}{unit}")) {
                        fallback = Some(unit.to_string());
                    }
                }
            }
        }
    }
    fallback
}

fn unit_at(s: &str) -> Option<&'static str> {
    ["万元", "千元", "亿元", "元"]
        .into_iter()
        .find(|&u| s.starts_with(u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_separated() {
        assert_eq!(amount("20656.65"), Some(20656.65));
        assert_eq!(amount("10,441.41"), Some(10441.41));
        assert_eq!(amount("371，514，655.00"), Some(371514655.0));
        assert_eq!(amount("１２３．４５"), Some(123.45));
        assert_eq!(amount("5280. 60"), Some(5280.60));
        assert_eq!(amount("10,441.4 1"), Some(10441.41));
        assert_eq!(amount("0"), Some(0.0));
        assert_eq!(amount("0.00"), Some(0.0));
    }

    #[test]
    fn empty_negative_percent_text() {
        assert_eq!(parse_cell(""), Cell::Empty);
        assert_eq!(parse_cell("  "), Cell::Empty);
        assert_eq!(parse_cell("-"), Cell::Empty);
        assert_eq!(parse_cell("—"), Cell::Empty);
        assert_eq!(parse_cell("——"), Cell::Empty);
        assert_eq!(amount("(1,234.50)"), Some(-1234.5));
        assert_eq!(amount("（12）"), Some(-12.0));
        assert_eq!(amount("-3.2"), Some(-3.2));
        assert_eq!(amount("85%"), Some(85.0));
        assert!(is_percent("85.5％"));
        assert!(!is_percent("85.5"));
        assert_eq!(parse_cell("行政运行"), Cell::Text);
        assert_eq!(parse_cell("44人"), Cell::Text);
        assert_eq!(parse_cell("1,2,3"), Cell::Text);
        assert_eq!(amount("1,234,567"), Some(1234567.0));
        assert_eq!(parse_cell(",12"), Cell::Text);
        assert_eq!(parse_cell("1.2.3"), Cell::Text);
    }

    #[test]
    fn units() {
        assert_eq!(detect_unit(["单位：万元"]).as_deref(), Some("万元"));
        assert_eq!(
            detect_unit(["部门名称：X 2023年度   金额单位：万元"]).as_deref(),
            Some("万元")
        );
        assert_eq!(
            detect_unit(["编制部门：上海市普陀区商务委员会      单位：元"]).as_deref(),
            Some("元")
        );
        assert_eq!(detect_unit(["单位:万", "元"]).as_deref(), Some("万元"));
        assert_eq!(detect_unit(["单位:万 元"]).as_deref(), Some("万元"));
        assert_eq!(detect_unit(["单位：千元"]).as_deref(), Some("千元"));
        assert_eq!(
            detect_unit(["编制单位：上海市财政局 单位：元"]).as_deref(),
            Some("元")
        );
        assert_eq!(
            detect_unit(["项目", "金额（万元）"]).as_deref(),
            Some("万元")
        );
        assert_eq!(detect_unit(["单位名称：长治市工业和信息化局"]), None);
    }
}
