//! What a line printed around a table is: its title, a caption line (unit,
//! entity, table number), the start of a 注 note, or running prose. Both the
//! text-dump finder and the PDF page reader classify lines this way.

use crate::cells::squash;
use crate::repair::dedouble_heading;

/// Running prose: sentence punctuation, or a long line that is not a row of
/// tab- or space-separated cells.
pub fn is_prose(t: &str) -> bool {
    crate::cells::has_prose_marks(&t.replace("其中:", "").replace(':', "："))
        || t.chars().count() > 60 && !t.contains('\t') && t.matches(' ').count() < 3
}

pub fn is_note_start(t: &str) -> bool {
    let s = t.trim_start();
    s.starts_with("注：")
        || s.starts_with("注:")
        || s.starts_with("说明：")
        || s.starts_with("说明:")
        || s.starts_with("备注：")
}

/// A table title: ends in 表 (maybe with a bracketed remark), short, no prose.
pub fn is_title_like(t: &str) -> bool {
    let whole = dedouble_heading(t);
    if whole.is_empty() || whole.chars().count() > 50 || is_caption_like(t) {
        return false;
    }
    // The number and year are read off first: "表2：2026年…表" has its colon
    // after the number, which prose and captions do not.
    let s = crate::titles::parse(&whole).body;
    if s.contains(['，', '。', '；', '：', ':']) {
        return false;
    }
    let core = match s.find(['（', '(']) {
        Some(p) if s.ends_with(['）', ')']) => s.get(..p).unwrap_or(&s),
        _ => s.as_str(),
    };
    core.ends_with('表') && core.chars().count() >= 3
}

/// Where a title left at the foot of a page begins, its table printed on
/// the next page: the page's leftover text ends with a title line and at
/// most `max_after` caption or page-number lines after it.
pub fn foot_title(lines: &[String], max_after: usize) -> Option<usize> {
    let k = lines
        .iter()
        .rposition(|l| !is_caption_like(l) && !crate::furniture::is_page_number(l))?;
    let after = lines.len() - k - 1;
    (after <= max_after && lines.get(k).is_some_and(|l| is_title_like(l))).then_some(k)
}

/// Lines printed between a title and its grid: unit, entity, table number.
pub fn is_caption_like(t: &str) -> bool {
    let s = squash(t);
    if s.is_empty() {
        return false;
    }
    let number_mark = (s.starts_with("预算公开表") || s.starts_with("决算公开表"))
        && s.chars().count() <= 9
        || s.starts_with("公开") && s.ends_with('表') && s.chars().count() <= 6
        || s.contains("公开表") && s.chars().count() <= 9
        || crate::titles::is_number_only(&s);
    let unit = s.contains("单位：")
        || s.contains("单位:")
        || s.starts_with("单位") && s.chars().count() <= 8;
    let entity = (s.starts_with("部门")
        || s.starts_with("单位名称")
        || s.starts_with("编制单位")
        || s.starts_with("编制部门")
        || s.starts_with("填报单位"))
        && (s.contains('：') || s.contains(':'));
    let year = s.starts_with(['（', '(']) && s.contains("年度") && s.chars().count() <= 14;
    number_mark || unit || entity || year
}

#[cfg(test)]
mod foot_tests {
    use super::*;

    #[test]
    fn a_title_and_its_caption_at_the_end_of_the_text_is_a_foot_title() {
        let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let s = lines(&[
            "收入合计 13,649.07",
            "财政拨款基本支出预算表",
            "部门： 江苏省人大常委会办公厅 单位：万元",
            "- 12 -",
        ]);
        assert_eq!(foot_title(&s, 3), Some(1));
        // Prose after it, or too many lines: no.
        let s = lines(&["财政拨款基本支出预算表", "以上是本部门的预算情况。"]);
        assert_eq!(foot_title(&s, 3), None);
        let s = lines(&[
            "财政拨款基本支出预算表",
            "单位：万元",
            "单位：万元",
            "单位：万元",
            "单位：万元",
        ]);
        assert_eq!(foot_title(&s, 3), None);
        assert_eq!(foot_title(&[], 3), None);
    }
}
