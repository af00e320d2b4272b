//! Document fields: entity, year, kind (budget / final account) and title,
//! read from the cover text, the 单位名称/部门名称/编制部门 caption lines of the
//! tables and the table titles — each a vote, the most frequent wins.

use crate::schema::DocumentInfo;
use crate::text::{norm, squash_folded};
use gongkai_tables::Layout;
use std::collections::BTreeMap;

/// Caption and cover labels that introduce the disclosing body.
const ENTITY_LABELS: &[&str] = &[
    "预算主管部门",
    "预算单位",
    "单位名称",
    "部门名称",
    "编制部门",
    "编制单位",
    "填报单位",
    "部门",
    "单位",
];

/// An entity without a trailing scope mark: （汇总）, （本级）, （部门汇总）.
fn strip_scope(e: &str) -> String {
    let t = e.trim();
    for mark in ["汇总", "本级", "部门汇总", "单位汇总", "合并"] {
        for (open, close) in [("(", ")"), ("（", "）")] {
            if let Some(rest) = t.strip_suffix(&format!("{open}{mark}{close}")) {
                if rest.chars().count() >= 2 {
                    return rest.to_string();
                }
            }
        }
    }
    t.to_string()
}

/// The entity named after a label such as `单位名称：`, or `None`.
pub fn entity_from_line(line: &str) -> Option<String> {
    let t = line.trim();
    let tn = norm(t);
    for label in ENTITY_LABELS {
        let Some(rest) = tn.strip_prefix(label) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        // Where the printed line has wide gaps (`编制部门：X      单位：元`), cut there.
        let printed_rest = t
            .find(['：', ':'])
            .map(|i| &t[i + t[i..].chars().next().map(char::len_utf8).unwrap_or(1)..])
            .unwrap_or(t);
        let first_field = printed_rest
            .trim()
            .split("  ")
            .next()
            .unwrap_or("")
            .to_string();
        let mut e = norm(&first_field);
        if e.is_empty() {
            e = rest.to_string();
        }
        // Cut what follows the name on the same line.
        for stop in ["金额单位", "单位:", "单位：", "(单位"] {
            if let Some(i) = e.find(stop) {
                e.truncate(i);
            }
        }
        if let Some(i) = find_year(&e).map(|(i, _)| i) {
            e.truncate(i);
        }
        // The first of a list `[402001]A，[402002]B`, without its code.
        let e = e
            .split([',', '，', '、', ';', '；'])
            .next()
            .unwrap_or("")
            .to_string();
        let (_, name) = crate::codes::split_prefix(&e);
        let name = name.trim_end_matches(['。', '.']).to_string();
        let n = name.chars().count();
        if (2..=40).contains(&n) && !is_currency_unit(&name) {
            return Some(name);
        }
    }
    None
}

/// A unit of money, not a body: `单位：元`, `单位：万元`, `单位：人民币元`
/// (a company report's tables), `单位：千元`.
fn is_currency_unit(name: &str) -> bool {
    let n = name.trim_start_matches("人民币");
    matches!(n, "元" | "万元" | "千元" | "亿元" | "百万元") || name.contains("万元")
}

/// A 4-digit year (19xx/20xx) followed by 年, as (byte offset, year).
pub fn find_year(s: &str) -> Option<(usize, i32)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i..i + 4].iter().all(u8::is_ascii_digit) && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let y: i32 = s[i..i + 4].parse().ok()?;
            let after = s[i + 4..].trim_start();
            if (1990..=2100).contains(&y) && after.starts_with('年') {
                return Some((i, y));
            }
        }
        i += 1;
    }
    None
}

fn vote<T: Ord + Clone>(votes: &[T]) -> Option<T> {
    let mut m: BTreeMap<&T, usize> = BTreeMap::new();
    for v in votes {
        *m.entry(v).or_insert(0) += 1;
    }
    // Highest count; ties go to the first seen.
    let best = m.values().copied().max()?;
    votes.iter().find(|v| m.get(v) == Some(&best)).cloned()
}

/// The cover title: the first line of the first page that names a year and
/// 预算/决算, joined to the line above it when that line is the body's name.
pub fn cover_title(layout: &Layout) -> Option<String> {
    let lines: Vec<&str> = layout
        .text
        .iter()
        .take(2)
        .flat_map(|b| b.lines.iter().map(String::as_str))
        .filter(|l| !l.trim().is_empty())
        .take(12)
        .collect();
    for (i, l) in lines.iter().enumerate() {
        let n = norm(l);
        if n.contains("目录") {
            break;
        }
        if find_year(&n).is_some()
            && (n.contains("预算") || n.contains("决算"))
            && n.chars().count() <= 60
        {
            let mut title = squash_folded(l);
            if i > 0 {
                let prev = norm(lines[i - 1]);
                let ok = find_year(&prev).is_none()
                    && !prev.contains(':')
                    && (2..=30).contains(&prev.chars().count())
                    && !title.starts_with(&prev);
                if ok {
                    title = format!("{prev}{title}");
                }
            }
            return Some(title);
        }
    }
    None
}

/// Document fields from the layout and the kinds already given to tables.
pub fn document_info(layout: &Layout, kinds: &[&str]) -> DocumentInfo {
    let title = cover_title(layout);
    // Entity: caption lines of the tables first, then labelled cover lines.
    let mut entities: Vec<String> = layout
        .tables
        .iter()
        .flat_map(|t| t.caption.iter())
        .filter_map(|l| entity_from_line(l))
        .collect();
    if entities.is_empty() {
        entities = layout
            .text
            .iter()
            .take(3)
            .flat_map(|b| b.lines.iter())
            .filter_map(|l| entity_from_line(l))
            .collect();
    }
    let mut entity = vote(&entities);
    if entity.is_none() {
        // The cover title's part before the year: `长治市工业和信息化局2025年度…`.
        if let Some(t) = &title {
            if let Some((i, _)) = find_year(t) {
                let e = t[..i].to_string();
                if e.chars().count() >= 4
                    && !e.ends_with('市')
                    && !e.ends_with('区')
                    && !e.ends_with('县')
                {
                    entity = Some(e);
                }
            }
        }
    }
    // Year: the cover title's, else the most frequent in table titles and captions.
    let mut year = title.as_deref().and_then(find_year).map(|(_, y)| y);
    if year.is_none() {
        let years: Vec<i32> = layout
            .tables
            .iter()
            .flat_map(|t| t.title.iter().chain(t.caption.iter()))
            .filter_map(|l| find_year(&norm(l)).map(|(_, y)| y))
            .collect();
        year = vote(&years);
    }
    if year.is_none() {
        let years: Vec<i32> = layout
            .text
            .iter()
            .take(3)
            .flat_map(|b| b.lines.iter())
            .filter(|l| l.contains("预算") || l.contains("决算"))
            .filter_map(|l| find_year(&norm(l)).map(|(_, y)| y))
            .collect();
        year = vote(&years);
    }
    let finals = kinds.iter().filter(|k| k.starts_with("final_")).count();
    let budgets = kinds
        .iter()
        .filter(|k| !k.starts_with("final_") && **k != "unknown")
        .count();
    let kind = match title.as_deref().map(norm) {
        Some(t) if t.contains("决算") => Some("final_account"),
        Some(t) if t.contains("预算") => Some("budget"),
        _ if finals > budgets => Some("final_account"),
        _ if budgets > 0 => Some("budget"),
        _ => None,
    };
    // The body, not the scope of the figures: `X（汇总）` and `X（本级）` are
    // X's consolidated and own-level disclosures.
    let entity = entity.map(|e| strip_scope(&e));
    DocumentInfo {
        entity,
        year,
        kind: kind.map(str::to_string),
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_tables::TextBlock;

    #[test]
    fn entity_lines() {
        assert_eq!(
            entity_from_line("单位名称：长治市工业和信息化局").as_deref(),
            Some("长治市工业和信息化局")
        );
        assert_eq!(
            entity_from_line("部门名称：长治市屯留区工业和信息化局 2023年度   金额单位：万元")
                .as_deref(),
            Some("长治市屯留区工业和信息化局")
        );
        assert_eq!(
            entity_from_line("编制部门：上海市普陀区商务委员会                    单位：元")
                .as_deref(),
            Some("上海市普陀区商务委员会")
        );
        assert_eq!(
            entity_from_line("编制单位：上海市财政局      单位：元").as_deref(),
            Some("上海市财政局")
        );
        assert_eq!(
            entity_from_line("部门:[402001]忻州市工业和信息化局，").as_deref(),
            Some("忻州市工业和信息化局")
        );
        assert_eq!(
            entity_from_line("   预算主管部门：上海市普陀区人民政府万里街道办事处").as_deref(),
            Some("上海市普陀区人民政府万里街道办事处")
        );
        assert_eq!(entity_from_line("单位：万元"), None);
        assert_eq!(strip_scope("西安市信访局(汇总)"), "西安市信访局");
        assert_eq!(strip_scope("某某局（本级）"), "某某局");
        assert_eq!(strip_scope("某某局"), "某某局");
        assert_eq!(entity_from_line("单位：人民币元"), None);
        assert_eq!(entity_from_line("单位：人民币千元"), None);
        assert_eq!(entity_from_line("收入预算情况说明"), None);
    }

    fn layout(lines: &[&str]) -> Layout {
        Layout {
            text: vec![TextBlock {
                page: 1,
                lines: lines.iter().map(|s| s.to_string()).collect(),
            }],
            ..Layout::default()
        }
    }

    #[test]
    fn covers() {
        let l = layout(&[
            "",
            "长治市工业和信息化局",
            "2025年度单位预算公开",
            "",
            "目 录",
        ]);
        let d = document_info(&l, &[]);
        assert_eq!(
            d.title.as_deref(),
            Some("长治市工业和信息化局2025年度单位预算公开")
        );
        assert_eq!(d.entity.as_deref(), Some("长治市工业和信息化局"));
        assert_eq!(d.year, Some(2025));
        assert_eq!(d.kind.as_deref(), Some("budget"));

        let l = layout(&[
            "上海市普陀区2025年区级部门预算",
            "   预算主管部门：上海市普陀区商务委员会",
            "  目   录",
        ]);
        let d = document_info(&l, &[]);
        assert_eq!(d.title.as_deref(), Some("上海市普陀区2025年区级部门预算"));
        assert_eq!(d.entity.as_deref(), Some("上海市普陀区商务委员会"));

        let l = layout(&["上海市普陀区财政局", "2024年度部门决算", "目 录"]);
        let d = document_info(&l, &[]);
        assert_eq!(
            d.title.as_deref(),
            Some("上海市普陀区财政局2024年度部门决算")
        );
        assert_eq!(d.kind.as_deref(), Some("final_account"));
        assert_eq!(d.year, Some(2024));
        assert_eq!(d.entity.as_deref(), Some("上海市普陀区财政局"));
    }
}
