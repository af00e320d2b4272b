//! Narrative sections: headings (第一部分 …, 一、…, （一）…) and the text
//! under them, from the non-table text of the layout. Table-of-contents
//! lines (dot leaders, trailing page numbers) and page furniture (bare page
//! numbers) are not headings and not text.

use crate::schema::Section;
use crate::text::{is_numeral, norm, squash, undouble};
use gongkai_tables::Layout;

/// Longest line (in characters) still read as a heading; longer lines that
/// start with an enumerator are paragraphs.
const MAX_HEADING_CHARS: usize = 40;

/// Is this line a table-of-contents entry?
fn is_toc(line: &str) -> bool {
    let t = line.trim_end();
    if t.contains("....") || t.contains("……") || t.contains("···") || t.contains("．．．")
    {
        return true;
    }
    // "一、本单位职责\t1" / "第一部分 概况   12"
    let digits = t.chars().rev().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 3 {
        // A page number after a gap or a dot leader, not a date's last digits.
        let before: String = t.chars().rev().skip(digits).take(2).collect();
        return before.starts_with(char::is_whitespace)
            || before == ".."
            || before.starts_with('…');
    }
    false
}

/// Page furniture: a bare page number (`3`, `- 3 -`, `第 3 页`).
fn is_furniture(line: &str) -> bool {
    let n = norm(line);
    let core = n.trim_matches(['-', '—', '第', '页', '共', '/']);
    !n.is_empty()
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == '-')
}

/// The heading level of a line, if it is one: 第X部分 → 0, 一、 → 1, （一） → 2.
pub fn heading_level(line: &str) -> Option<u8> {
    let n = undouble(&norm(line));
    if n.is_empty() || n.chars().count() > MAX_HEADING_CHARS || is_toc(line) {
        return None;
    }
    // A sentence is not a heading.
    if n.contains('。')
        || n.ends_with('；')
        || n.ends_with(';')
        || n.ends_with('，')
        || n.ends_with(',')
    {
        return None;
    }
    if let Some(rest) = n.strip_prefix('第') {
        let k = rest.chars().take_while(|c| is_numeral(*c)).count();
        let rest: String = rest.chars().skip(k).collect();
        if k > 0 && rest.starts_with("部分") {
            return Some(0);
        }
    }
    match crate::text::enumerator_level(&n) {
        Some(1) => Some(1),
        Some(2) if !n.starts_with(|c: char| ('\u{2460}'..='\u{2473}').contains(&c)) => Some(2),
        _ => None,
    }
}

/// All sections of the document, in reading order.
pub fn sections(layout: &Layout) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    // Between 目录 and the body: entries are skipped. The list ends at the
    // first paragraph (a line too long for an entry) or at an entry printed
    // again as a real heading.
    let mut in_toc = false;
    let mut toc: Vec<String> = Vec::new();
    let mut last_skipped: Option<String> = None;
    for block in &layout.text {
        for line in &block.lines {
            let n = norm(line);
            if n.is_empty() || is_furniture(line) {
                continue;
            }
            if n == "目录" {
                in_toc = true;
                continue;
            }
            if is_toc(line) {
                if in_toc {
                    // Remember the entry without its leader and page number.
                    let entry = squash(line)
                        .trim_end_matches(|c: char| {
                            c.is_ascii_digit() || c == '.' || c == '…' || c == '·'
                        })
                        .to_string();
                    toc.push(undouble(&entry));
                }
                continue;
            }
            let level = heading_level(line);
            if in_toc {
                let entry = undouble(&squash(line));
                let repeated = level.is_some() && toc.contains(&entry);
                if !repeated && n.chars().count() <= MAX_HEADING_CHARS {
                    toc.push(entry.clone());
                    last_skipped = Some(entry);
                    continue;
                }
                in_toc = false;
                if !repeated {
                    // The body begins with an unnumbered title (上海市…主要职能)
                    // and its first paragraph: that title heads the text.
                    if let Some(h) = last_skipped.take().filter(|h| heading_level(h).is_none()) {
                        out.push(Section {
                            heading: h,
                            text: String::new(),
                        });
                    }
                }
            }
            if level.is_some() {
                out.push(Section {
                    heading: undouble(&squash(line)),
                    text: String::new(),
                });
                continue;
            }
            if let Some(s) = out.last_mut() {
                if !s.text.is_empty() {
                    s.text.push('\n');
                }
                s.text.push_str(line.trim());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_tables::TextBlock;

    #[test]
    fn headings_and_text() {
        let lines = [
            "长治市工业和信息化局",
            "目 录",
            "第一部分 概况\t1",
            "一、本单位职责.....\t1",
            "第一部分 概况",
            "一、本单位职责",
            "长治市工业和信息化局是全市工业经济和国有资产综合监管部门。",
            "（一）贯彻执行国家和省有关工业和信息化工作、中小企业和非公有制经济的法律、法规、规章和方针、政策；研究起草规章草案。",
            "- 3 -",
            "二、机构设置情况",
            "（一）政府购买服务指导性目录",
            "内容",
            "五、实施周期",
            "2025.1.1-2025.12.31",
        ];
        let l = Layout {
            text: vec![TextBlock {
                page: 1,
                lines: lines.iter().map(|s| s.to_string()).collect(),
            }],
            ..Layout::default()
        };
        let s = sections(&l);
        let heads: Vec<&str> = s.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            heads,
            [
                "第一部分概况",
                "一、本单位职责",
                "二、机构设置情况",
                "（一）政府购买服务指导性目录",
                "五、实施周期"
            ]
        );
        assert!(s[1].text.starts_with("长治市工业和信息化局是"));
        assert!(s[1].text.contains("（一）贯彻执行"));
        assert!(!s[1].text.contains("- 3 -"));
        assert_eq!(s[3].text, "内容");
        assert_eq!(s[4].text, "2025.1.1-2025.12.31");

        // A contents list without page numbers, then an unnumbered title.
        let lines = ["目 录", "一、部门主要职能", "二、部门机构设置", "上海市普陀区商务委员会主要职能",
            "上海市普陀区商务委员会是主管全区产业经济的区政府工作部门，为正处级，加挂上海市普陀区经济委员会牌子。",
            "二、部门机构设置", "内设机构"];
        let l = Layout {
            text: vec![TextBlock {
                page: 1,
                lines: lines.iter().map(|s| s.to_string()).collect(),
            }],
            ..Layout::default()
        };
        let s = sections(&l);
        let heads: Vec<&str> = s.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            heads,
            ["上海市普陀区商务委员会主要职能", "二、部门机构设置"]
        );
        assert!(s[0].text.starts_with("上海市普陀区商务委员会是"));
        assert_eq!(heading_level("第一部分 概况第一部分 概况"), Some(0));
        assert_eq!(heading_level("1"), None);
    }
}
