//! Narrative sections: headings (第一部分 …, 一、…, （一）…, and the
//! unnumbered part and project titles printed centred above them) and the
//! text under them, from the non-table text of the layout. Table-of-contents
//! lines (dot leaders, trailing page numbers) and page furniture (page
//! numbers) are not headings and not text; every other line ends in exactly
//! one heading or text.
//!
//! The layout hands us each page's lines as strings, without boxes or font
//! sizes, so the layout cues are read from what the strings keep of them:
//! leading whitespace (a paragraph's first-line indent), the line's printed
//! width against the page's measure (a line that runs to the right margin
//! wraps on to the next), and where the line stands on its page.

use crate::schema::Section;
use crate::text::{enumerator_level, is_numeral_any_width, norm, squash_folded, undouble};
use gongkai_tables::Layout;

/// The thresholds of the section reader, in one place. Widths are in
/// display units: a CJK or full-width character is 2, an ASCII one 1 (the
/// strings carry no points; at one body size, units are proportional to
/// points).
#[derive(Debug, Clone, Copy)]
pub struct SectionSettings {
    /// Longest line (in characters) still read as a numbered heading; longer
    /// lines that start with an enumerator are paragraphs.
    pub max_heading_chars: usize,
    /// Longest unnumbered line (in characters) read as a part or project
    /// title (主要职能, 名词解释, 科技创新专项经费情况说明).
    pub max_title_chars: usize,
    /// A line at least this fraction of its page's measure runs to the right
    /// margin: its text goes on in the next line.
    pub full_line_ratio: f32,
    /// Leading whitespace of at least this many units is a paragraph's
    /// first-line indent (two full-width spaces print as 4; a centred or
    /// flush title has at most one stray space).
    pub min_indent: usize,
    /// ... and of at most this many: a line set further in is centred or
    /// right-aligned (金额单位：人民币元), not a paragraph's first line.
    pub max_indent: usize,
    /// Pages with at least this many lines give the document's measure.
    pub min_measure_lines: usize,
    /// A page's measure is the width of its `n / measure_rank`-th widest
    /// line (10: the widest tenth).
    pub measure_rank: usize,
    /// Longest (in characters) second line of a wrapped part heading
    /// (第三部分…决算情况 / 说明) joined to it on layout alone.
    pub max_heading_tail_chars: usize,
}

impl Default for SectionSettings {
    fn default() -> Self {
        SectionSettings {
            max_heading_chars: 40,
            max_title_chars: 30,
            full_line_ratio: 0.85,
            min_indent: 2,
            max_indent: 8,
            min_measure_lines: 5,
            measure_rank: 10,
            max_heading_tail_chars: 12,
        }
    }
}

/// Is this line a table-of-contents entry?
fn is_toc(line: &str) -> bool {
    let t = line.trim_end();
    // A leader is a run of dots; one ellipsis (……, two characters) is prose.
    if t.contains("....") || t.contains("………") || t.contains("···") || t.contains("．．．")
    {
        return true;
    }
    // "一、本单位职责\t1" / "第一部分 概况   12"
    let digits = t.chars().rev().take_while(|c| c.is_ascii_digit()).count();
    // A number alone ("　　1", placeholder text) is no entry: an entry has a title.
    let titled = t.chars().rev().skip(digits).any(|c| !c.is_whitespace());
    if digits > 0 && digits <= 3 && titled {
        // A page number after a gap or a dot leader, not a date's last digits.
        let before: String = t.chars().rev().skip(digits).take(2).collect();
        return before.starts_with(char::is_whitespace)
            || before == ".."
            || before.starts_with('…');
    }
    false
}

/// A printed page number by its pattern alone (`- 3 -`, `第 3 页`, `3/20`):
/// furniture wherever it stands.
fn is_page_number_pattern(line: &str) -> bool {
    let n = norm(line);
    if n.starts_with('第') && n.ends_with('页') {
        let core = n.trim_matches(['第', '页', '共', '/']);
        return !core.is_empty() && core.chars().all(|c| c.is_ascii_digit() || c == '/');
    }
    let dashed = n.starts_with(['-', '—']) && n.ends_with(['-', '—']);
    let core = n.trim_matches(['-', '—']);
    let digits = !core.is_empty() && core.chars().all(|c| c.is_ascii_digit());
    if dashed && digits {
        return true;
    }
    match core.split_once('/') {
        Some((a, b)) => {
            !a.is_empty() && !b.is_empty() && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// A line of nothing but a number (`3`).
fn is_bare_number(line: &str) -> bool {
    let n = norm(line);
    !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
}

/// Page furniture: a page-number pattern anywhere, or a bare number standing
/// first or last on its page (the head or foot band). A bare number inside
/// the page's body (placeholder text "1" under 一、项目概述) is text.
/// So is a rule drawn with characters (`--------  -----`, a text table's
/// border).
fn is_furniture(line: &str, at_page_edge: bool) -> bool {
    let n = norm(line);
    let rule = !n.is_empty() && n.chars().all(|c| matches!(c, '-' | '—' | '=' | '_' | '|'));
    // A paragraph indent typed with full-width spaces ("　　1") is the
    // author's text: a page number is placed, never indented like a paragraph.
    let typed = line.starts_with('\u{3000}');
    rule || is_page_number_pattern(line) || (at_page_edge && !typed && is_bare_number(line))
}

/// Printed width of a string in display units (see [`SectionSettings`]).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '\t' => 4,
            c if c.is_ascii() => 1,
            _ => 2,
        })
        .sum()
}

/// Width of a line as it stands on the page: indent plus text, text that a
/// producer drew twice (收入决算表收入决算表) counted once.
fn printed_width(line: &str) -> usize {
    indent(line) + width(&undouble(line.trim()))
}

/// Width of the line's leading whitespace: its first-line indent.
fn indent(line: &str) -> usize {
    let lead: String = line.chars().take_while(|c| c.is_whitespace()).collect();
    width(&lead)
}

/// Does the (normalised) line read as a sentence or a sentence's middle
/// rather than a title: a full stop inside, or a clause mark at its end?
fn is_sentence(n: &str) -> bool {
    n.contains('。') || n.ends_with(['；', ';', '，', ',', '、', '：', ':'])
}

/// The heading level of a line, if it is one: 第X部分 → 0, 一、 → 1, （一） → 2.
pub fn heading_level(line: &str) -> Option<u8> {
    let n = undouble(&norm(line));
    if n.is_empty()
        || n.chars().count() > SectionSettings::default().max_heading_chars
        || is_toc(line)
    {
        return None;
    }
    // A sentence is not a heading; a numbered heading may end with a colon
    // (（二）独立董事履行职责情况：).
    if n.contains('。') || n.ends_with(['；', ';', '，', ',']) {
        return None;
    }
    if let Some(rest) = n.strip_prefix('第') {
        let k = rest
            .chars()
            .take_while(|c| is_numeral_any_width(*c))
            .count();
        let rest: String = rest.chars().skip(k).collect();
        if k > 0 && rest.starts_with("部分") {
            return Some(0);
        }
    }
    match enumerator_level(&n) {
        Some(1) => Some(1),
        Some(2) if !n.starts_with(|c: char| ('\u{2460}'..='\u{2473}').contains(&c)) => Some(2),
        _ => None,
    }
}

/// One body line with what the layout tells about it.
#[derive(Debug, Clone)]
struct Line {
    /// Page the line is printed on.
    page: u32,
    /// As printed, leading whitespace kept, trailing removed.
    raw: String,
    /// Printed width (indent included) against the page's measure, 0..≈1.
    fill: f32,
    /// Leading-whitespace width.
    indent: usize,
}

impl Line {
    fn norm(&self) -> String {
        undouble(&norm(&self.raw))
    }
}

/// The pages' lines, empty lines and furniture left out, each with its fill
/// of the page's measure. The measure of a page is the width its widest
/// lines reach, or the document's measure (the median of the pages'
/// measures, over pages with enough lines) where that is wider: a page of a few short lines does not
/// make them full.
fn body_lines(layout: &Layout, st: &SectionSettings) -> Vec<Line> {
    // The width reached by the widest tenth of the page's lines: one stray
    // long line (a glued table row in a text dump) does not set the measure.
    let widest = |lines: &[String]| {
        let mut w: Vec<usize> = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| printed_width(l))
            .collect();
        w.sort_unstable_by(|a, b| b.cmp(a));
        w.get(w.len() / st.measure_rank).copied().unwrap_or(0)
    };
    let mut measures: Vec<usize> = layout
        .text
        .iter()
        .filter(|b| b.lines.iter().filter(|l| !l.trim().is_empty()).count() >= st.min_measure_lines)
        .map(|b| widest(&b.lines))
        .collect();
    measures.sort_unstable();
    let doc_measure = measures.get(measures.len() / 2).copied().unwrap_or(0);
    let mut out = Vec::new();
    for block in &layout.text {
        let measure = widest(&block.lines).max(doc_measure).max(1);
        let kept: Vec<&String> = block
            .lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let last = kept.len().saturating_sub(1);
        for (k, l) in kept.iter().enumerate() {
            if is_furniture(l, k == 0 || k == last) {
                continue;
            }
            let raw = l.trim_end().to_string();
            out.push(Line {
                page: block.page,
                fill: printed_width(&raw) as f32 / measure as f32,
                indent: indent(&raw),
                raw,
            });
        }
    }
    out
}

/// A contents entry as compared with headings: no spaces, no leader, no
/// page number.
fn toc_entry(line: &str) -> String {
    let entry = squash_folded(line)
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '…' || c == '·')
        .to_string();
    undouble(&entry)
}

/// Does this line begin a paragraph of its own: indented, a sentence, or
/// long enough to be running text?
fn starts_paragraph(l: &Line, st: &SectionSettings) -> bool {
    let n = l.norm();
    l.indent >= st.min_indent || n.contains('。') || n.chars().count() > st.max_heading_chars
}

/// Skip the table of contents: entries from 目录 up to the body. The list
/// ends at a line that is running text (a sentence, a paragraph), at an
/// entry printed again as a real heading, or at an unnumbered title whose
/// next line is a paragraph (the body's first part title, 上海市…主要职能).
/// When running text ends it on a later page than 目录, the entries taken on
/// that page are the body's first headings (一、本单位职责), not entries.
/// Returns the body lines, the entries (for joining wrapped headings), the
/// index where the body proper begins (lines before it are the cover) and
/// the index of a title that opened the body, if one did.
fn skip_contents(lines: Vec<Line>, st: &SectionSettings) -> Contents {
    let mut c = Contents::default();
    let mut toc_page: Option<u32> = None;
    // Entries taken so far: (line, entry), to give back those of the body's page.
    let mut taken: Vec<(Line, String)> = Vec::new();
    let mut it = lines.into_iter().peekable();
    while let Some(l) = it.next() {
        let n = l.norm();
        let Some(start_page) = toc_page else {
            if n == "目录" && c.toc.is_empty() {
                toc_page = Some(l.page);
            } else if !is_toc(&l.raw) {
                c.body.push(l);
            }
            continue;
        };
        if is_toc(&l.raw) {
            c.toc.push(toc_entry(&l.raw));
            continue;
        }
        let level = heading_level(&l.raw);
        let entry = toc_entry(&l.raw);
        let repeated = level.is_some() && c.toc.contains(&entry);
        let numbered = level.is_some() || n.starts_with(|c: char| c.is_ascii_digit());
        let opens_body = !numbered
            && !is_sentence(&n)
            && n.chars().count() <= st.max_title_chars
            && it.peek().is_some_and(|next| starts_paragraph(next, st));
        let text = n.contains('。') || n.chars().count() > st.max_heading_chars;
        if !repeated && !opens_body && !text {
            c.toc.push(entry.clone());
            taken.push((l, entry));
            continue;
        }
        c.start = c.body.len();
        if text && !repeated && l.page > start_page {
            let k = taken
                .iter()
                .rposition(|(t, _)| t.page != l.page)
                .map_or(0, |k| k + 1);
            for (t, e) in taken.drain(k..) {
                if let Some(pos) = c.toc.iter().rposition(|x| *x == e) {
                    c.toc.remove(pos);
                }
                c.body.push(t);
            }
        }
        if opens_body {
            c.title = Some(c.body.len());
        }
        c.body.push(l);
        c.body.extend(it.by_ref().filter(|x| !is_toc(&x.raw)));
        break;
    }
    c
}

/// The document's lines with its contents list taken out.
#[derive(Debug, Default)]
struct Contents {
    body: Vec<Line>,
    toc: Vec<String>,
    /// Index in `body` where the body proper begins; before it, the cover.
    start: usize,
    /// Index in `body` of the unnumbered title that ended the contents.
    title: Option<usize>,
}

/// A numbered line that runs to the right margin and goes on in the next
/// line (not indented, not numbered itself) is the first line of a
/// paragraph — （一）贯彻执行…政策；研 / 究拟订… — not a heading cut at
/// the line end: a heading is short and its next line starts anew.
fn is_enumerated_paragraph(l: &Line, next: Option<&Line>, st: &SectionSettings) -> bool {
    l.fill >= st.full_line_ratio
        && next.is_some_and(|n| n.indent < st.min_indent && enumerator_level(&n.norm()).is_none())
}

/// Does `next` carry on the heading `head` (a heading wrapped at its
/// line end)? When the contents list the two as one entry; when the heading
/// leaves a bracket open that the next line closes (…（仅有一个单位的部门，
/// 本部分内容 / 为"机构设置"）); or, for a part heading (第X部分, centred
/// and alone), when the next line is a short fragment that is no sentence
/// and is followed by a heading.
fn continues_heading(
    head: &str,
    level: u8,
    next: &Line,
    after: Option<&Line>,
    toc: &[String],
    st: &SectionSettings,
) -> bool {
    let nn = next.norm();
    if enumerator_level(&nn).is_some() || heading_level(&next.raw) == Some(0) {
        return false;
    }
    let joined = undouble(&squash_folded(&format!("{head}{}", next.raw)));
    if toc.contains(&joined) {
        return true;
    }
    let hn = norm(head);
    let open = open_brackets;
    if open(&hn) > 0
        && open(&hn) + open(&nn) <= 0
        && nn.chars().count() <= st.max_heading_tail_chars
        && !is_sentence(&nn)
    {
        return true;
    }
    level == 0
        && nn.chars().count() <= st.max_heading_tail_chars
        && !is_sentence(&nn)
        && next.indent < st.min_indent
        && after.is_some_and(|a| heading_level(&a.raw).is_some())
}

/// Does the (normalised) line open a numbered list: 一、 / （一） / (一)?
fn is_first_item(n: &str) -> bool {
    n.starts_with("一、") || n.starts_with("（一）") || n.starts_with("(一)")
}

/// Brackets opened minus brackets closed.
fn open_brackets(n: &str) -> i64 {
    n.matches(['(', '（']).count() as i64 - n.matches([')', '）']).count() as i64
}

/// An unnumbered title (a part title 名词解释 / 上海市财政局（单位）主要职能,
/// a project title 科技创新专项经费情况说明): a short line, flush or
/// centred (not indented as a paragraph), no sentence and no label (no
/// colon, brackets balanced, begins with a character or a year — not with a
/// code, a bracket or a markup sign), standing after a finished line (not
/// the wrapped tail of a full one) and before a new start: an indented
/// paragraph, or a numbered list opening at its first item (一、项目概述).
/// A caption between two items of one list (一般公共预算支出结构图 before
/// 六、) opens nothing and stays text.
fn is_title(prev: Option<&Line>, l: &Line, next: Option<&Line>, st: &SectionSettings) -> bool {
    let n = l.norm();
    // A digit may open a title only as a year (2025年单位预算编制说明), not
    // as a list number (36.财务费用).
    let year =
        n.chars().take_while(|c| c.is_ascii_digit()).count() == 4 && n.chars().nth(4) == Some('年');
    let begins_well = year
        || n.chars()
            .next()
            .is_some_and(|c| !c.is_ascii() && c.is_alphanumeric());
    if n.chars().count() > st.max_title_chars
        || n.chars().count() < 2
        || !begins_well
        || is_sentence(&n)
        || n.contains([':', '：'])
        || open_brackets(&n) != 0
        || l.indent >= st.min_indent
        || enumerator_level(&n).is_some()
    {
        return false;
    }
    let after_finished = prev.is_none_or(|p| {
        p.fill < st.full_line_ratio || p.norm().ends_with(['。', '；', ';', '：', ':', '！', '？'])
    });
    let before_new = next.is_some_and(|x| {
        let xn = x.norm();
        let paragraph = (st.min_indent..=st.max_indent).contains(&x.indent)
            && x.indent > l.indent
            && (xn.contains('。') || x.fill >= st.full_line_ratio || xn.ends_with(['：', ':']));
        paragraph || is_first_item(&xn)
    });
    after_finished && before_new
}

/// All sections of the document, in reading order.
pub fn sections(layout: &Layout) -> Vec<Section> {
    let st = SectionSettings::default();
    let Contents {
        body: lines,
        toc,
        start,
        title,
    } = skip_contents(body_lines(layout, &st), &st);
    let mut out: Vec<Section> = Vec::new();
    let mut i = 0;
    while let Some(l) = lines.get(i) {
        let prev = i.checked_sub(1).and_then(|k| lines.get(k));
        let next = lines.get(i + 1);
        i += 1;
        let joins = |lv: u8| {
            next.filter(|nx| continues_heading(&l.raw, lv, nx, lines.get(i + 1), &toc, &st))
        };
        let level = heading_level(&l.raw).filter(|&lv| {
            lv == 0
                || toc.contains(&toc_entry(&l.raw))
                || joins(lv).is_some()
                || !is_enumerated_paragraph(l, next, &st)
        });
        if let Some(lv) = level {
            let mut heading = l.raw.clone();
            if let Some(nx) = joins(lv) {
                heading.push_str(&nx.raw);
                i += 1;
            }
            out.push(Section {
                heading: undouble(&squash_folded(&heading)),
                text: String::new(),
            });
            continue;
        }
        if title == Some(i - 1) || (i > start && is_title(prev, l, next, &st)) {
            out.push(Section {
                heading: undouble(&squash_folded(&l.raw)),
                text: String::new(),
            });
            continue;
        }
        if let Some(s) = out.last_mut() {
            if !s.text.is_empty() {
                s.text.push('\n');
            }
            s.text.push_str(l.raw.trim());
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

    fn block(page: u32, lines: &[&str]) -> TextBlock {
        TextBlock {
            page,
            lines: lines.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn heads(s: &[Section]) -> Vec<&str> {
        s.iter().map(|s| s.heading.as_str()).collect()
    }

    #[test]
    fn titles_paragraphs_and_wrapped_headings() {
        let body = "这是一行排满版心的正文段落文字内容用于确定页面的版心宽度。";
        let l = Layout {
            text: vec![
                block(1, &["目 录", "一、单位主要职能", "二、名词解释"]),
                block(
                    2,
                    &[
                        "上海市某局（单位）主要职能",
                        "　　上海市某局是主管全市工作的部门。",
                        "（一）贯彻执行有关工作的法律、法规、规章和方针、政策；研",
                        "究拟订相关政策并组织实施。",
                        body,
                        body,
                        "名词解释",
                        "　　（一）财政拨款收入：是取得的财政拨款。",
                    ],
                ),
                block(
                    3,
                    &[
                        "科技创新专项经费情况说明",
                        "一、项目概述",
                        "　　1",
                        "二、立项依据",
                        "　　1",
                        "- 3 -",
                    ],
                ),
            ],
            ..Layout::default()
        };
        let s = sections(&l);
        assert_eq!(
            heads(&s),
            [
                "上海市某局（单位）主要职能",
                "名词解释",
                "科技创新专项经费情况说明",
                "一、项目概述",
                "二、立项依据"
            ]
        );
        assert!(s[0]
            .text
            .starts_with("上海市某局是主管全市工作的部门。\n（一）贯彻执行"));
        assert_eq!(s[3].text, "1", "{s:?}");
        assert_eq!(s[4].text, "1", "{s:?}");

        // A part heading wrapped at its line end joins its tail; a bracket
        // left open joins the line that closes it.
        let l = Layout {
            text: vec![block(
                1,
                &[
                    "第三部分 某局2024年度部门决算情况",
                    "说明",
                    "二、部门决算单位构成（仅有一个单位的部门，本部分",
                    "为“机构设置”）",
                    "从预算单位构成看。",
                    "一、收入支出决算总体情况说明",
                ],
            )],
            ..Layout::default()
        };
        let s = sections(&l);
        assert_eq!(
            heads(&s),
            [
                "第三部分某局2024年度部门决算情况说明",
                "二、部门决算单位构成（仅有一个单位的部门，本部分为“机构设置”）",
                "一、收入支出决算总体情况说明"
            ]
        );
        assert!(is_furniture("- 3 -", false) && is_furniture("3", true));
        assert!(!is_furniture("1", false) && !is_furniture("　　1", true));
    }
}
