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
        Some(p) if s.ends_with(['）', ')']) => &s[..p],
        _ => s.as_str(),
    };
    core.ends_with('表') && core.chars().count() >= 3
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
