//! Tables in text dumps: tab-separated rows, Markdown pipe rows, HTML
//! `<table>` fragments, space-aligned columns (`pdftotext -layout`) and the
//! one-space-per-cell rows of raw `pdftotext` output (seed 002, where an empty
//! cell is an empty string between two spaces and a wrapped cell continues on
//! lines of its own). All become [`RawTable`]s for [`crate::finish::finish`],
//! with the title above, the caption lines (单位：万元, 部门名称：…) and the 注：
//! notes below kept apart from the grid.

use crate::captions::{is_caption_like, is_note_start, is_prose, is_title_like};
use crate::cells::{doubled_code, has_han, is_amount, is_code, squash};
use crate::repair::{collapse_doubling, dedouble_heading};
use crate::rows::join_text;
use crate::settings::Settings;
use crate::table::{Method, RawTable, Repair, Row, Span, SPLIT_ROW_MERGED};
use continued::stitch_dump_tables;
use gongkai_extract::Page;
pub use html::parse_html;
use tokens::{is_code_cell, single_cells};

mod continued;
mod forms;
mod fragments;
mod html;
mod tokens;

/// One line of a dump with the page it is on.
#[derive(Debug, Clone)]
struct Line<'a> {
    page: u32,
    text: &'a str,
}

/// The dialect of a table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Tab,
    Pipe,
    Spaced,
    Single,
}

/// What a line is, for block finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Furniture,
    Html,
    Row(Family),
    /// A line that may sit inside a one-space table (a wrapped cell, a code
    /// alone) but does not start one.
    Soft,
    Text,
}

/// Tables found in the dump pages, and the indices of lines they used
/// (global, over all pages in order).
pub fn dump_tables(pages: &[&Page], settings: &Settings) -> (Vec<RawTable>, Vec<bool>) {
    let lines: Vec<Line> = pages
        .iter()
        .flat_map(|p| {
            p.dump_lines.iter().map(move |t| Line {
                page: p.number,
                text: t.as_str(),
            })
        })
        .collect();
    let mode = space_mode(&lines);
    let mut kinds: Vec<Kind> = lines.iter().map(|l| classify(l.text, mode)).collect();
    let mut used = vec![false; lines.len()];
    let mut tables: Vec<(usize, RawTable)> = Vec::new();
    // Performance forms of one-space dumps: one table per form, read before
    // the line-by-line finder (which would cut them at every prose line).
    if mode == Family::Single {
        let texts: Vec<&str> = lines.iter().map(|l| l.text).collect();
        for form in forms::find_forms(&texts) {
            let page = |k: usize| lines.get(k).map_or(0, |l| l.page);
            let mut raw = RawTable::new(Method::Dump);
            raw.title = Some(form.title);
            raw.header_rows = Some(0);
            for (k, cells) in form.rows {
                push_row(&mut raw, cells, page(k));
            }
            for (from, to) in form.joined {
                raw.repairs.push(Repair {
                    kind: crate::repair::CELL_WRAP_JOINED.into(),
                    page: Some(page(form.start)),
                    row: None,
                    detail: format!("\"{from}\" -> \"{to}\""),
                });
            }
            for k in form.start..form.end {
                if let Some(x) = kinds.get_mut(k) {
                    *x = Kind::Text;
                }
                if let Some(u) = used.get_mut(k) {
                    *u = true;
                }
            }
            tables.push((form.start, raw));
        }
    }
    let mut prev_end = 0usize;
    let mut i = 0usize;
    while i < lines.len() {
        let family = match kinds.get(i) {
            Some(Kind::Row(f)) => *f,
            Some(Kind::Html) => Family::Tab,
            _ => {
                i += 1;
                continue;
            }
        };
        // Extend the block.
        let mut j = i + 1;
        let mut last = i;
        while j < lines.len() {
            let k = kinds.get(j).copied().unwrap_or(Kind::Text);
            let accept = match k {
                Kind::Blank | Kind::Furniture => None,
                Kind::Html => Some(family != Family::Single),
                Kind::Row(f) => Some(f == family),
                Kind::Soft => Some(family == Family::Single),
                Kind::Text => Some(false),
            };
            match accept {
                None => {}
                Some(true) => last = j,
                Some(false) => break,
            }
            j += 1;
        }
        // One-space tables: their header lines are the soft lines just above.
        let mut start = i;
        if family == Family::Single {
            let mut s = i;
            while s > prev_end {
                match kinds.get(s - 1) {
                    Some(Kind::Soft) | Some(Kind::Blank) | Some(Kind::Furniture) => s -= 1,
                    _ => break,
                }
            }
            while s < i && kinds.get(s) != Some(&Kind::Soft) {
                s += 1;
            }
            start = s;
        }
        let block: Vec<(usize, &Line)> = (start..=last)
            .filter_map(|x| lines.get(x).map(|l| (x, l)))
            .collect();
        let header_lines = i - start;
        let mut raw = match family {
            Family::Tab | Family::Pipe => parse_cells(&block, &kinds),
            Family::Spaced => parse_spaced(&block, &kinds),
            Family::Single => parse_single(&block, &kinds, header_lines),
        };
        if is_form_start(&raw) {
            raw.header_rows = Some(0);
        }
        if is_table_like(&raw) {
            let (title, caption) = title_and_caption(&lines, &kinds, prev_end, start, settings);
            raw.title = title;
            raw.caption = caption;
            raw.notes = notes(&lines, &kinds, last + 1, settings);
            for u in used.iter_mut().take(last + 1).skip(start) {
                *u = true;
            }
            let first_page = block.first().map(|(_, l)| l.page);
            let last_page = block.last().map(|(_, l)| l.page);
            if let (Some(a), Some(b)) = (first_page, last_page) {
                if a != b {
                    raw.repairs.push(Repair {
                        kind: "table_continued".into(),
                        page: Some(b),
                        row: None,
                        detail: format!("table runs from page {a} to page {b}"),
                    });
                }
            }
            tables.push((start, raw));
        }
        prev_end = last + 1;
        i = last + 1;
    }
    tables.sort_by_key(|(start, _)| *start);
    let tables = tables.into_iter().map(|(_, t)| t).collect();
    (stitch_dump_tables(tables), used)
}

/// A form rather than a list: the first row is a label and its value
/// (项目名称 | …), so no row of it is a column header.
fn is_form_start(raw: &RawTable) -> bool {
    const FORM_LABELS: &[&str] = &[
        "项目名称",
        "主管部门及代码",
        "主管部门",
        "实施单位",
        "预算单位",
        "项目属性",
    ];
    let Some(first) = raw.rows.first() else {
        return false;
    };
    let filled: Vec<String> = first
        .cells
        .iter()
        .map(|c| dedouble_heading(c))
        .filter(|c| !c.is_empty())
        .collect();
    let label = filled
        .first()
        .map(|c| c.trim_end_matches(['：', ':']).to_string());
    label.is_some_and(|l| FORM_LABELS.contains(&l.as_str()))
        && filled
            .get(1)
            .is_some_and(|v| !FORM_LABELS.contains(&v.trim_end_matches(['：', ':'])))
}

/// Whether a block of rows is a table: two rows of two cells at least, and
/// not a table of contents (text, then a page number, and no amounts).
fn is_table_like(raw: &RawTable) -> bool {
    // A contents page: its page numbers have at most three digits, and it
    // is one when 3 rows in 5 or more end in one after a name.
    const TOC_PAGE_DIGITS: usize = 3;
    const TOC_FIFTHS: usize = 3;
    let filled: Vec<Vec<&str>> = raw
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .filter(|r: &Vec<&str>| !r.is_empty())
        .collect();
    let two = filled.iter().filter(|r| r.len() >= 2).count();
    if two < 2 && !filled.iter().any(|r| r.len() >= 3) {
        return false;
    }
    let any_decimal = filled
        .iter()
        .flatten()
        .any(|c| crate::header::is_data_amount(c));
    let toc_rows = filled
        .iter()
        .filter(|r| {
            r.len() >= 2
                && r.last().is_some_and(|c| {
                    let n = c.trim_start_matches(['.', ' ', '…', '·']);
                    !n.is_empty()
                        && n.len() <= TOC_PAGE_DIGITS
                        && n.chars().all(|x| x.is_ascii_digit())
                })
                && r.first().is_some_and(|c| has_han(c))
        })
        .count();
    toc_rows * 5 < filled.len() * TOC_FIFTHS || any_decimal
}

// ---------------------------------------------------------------- classify

fn is_furniture(t: &str) -> bool {
    let s = squash(t);
    if s.is_empty() {
        return false;
    }
    // Page numbers: "- 5 -", "— 5 —", "第5页", "第5页共9页", "5/20": at most
    // four digits (no disclosure runs to 10,000 pages), a short line.
    const MAX_PAGE_DIGITS: usize = 4;
    const MAX_PAGE_LINE_CHARS: usize = 12;
    let inner = s.trim_matches(['-', '—', '－', '–']);
    if !inner.is_empty()
        && inner.len() <= MAX_PAGE_DIGITS
        && inner.chars().all(|c| c.is_ascii_digit())
        && inner != s
    {
        return true;
    }
    if s.starts_with('第')
        && s.contains('页')
        && s.chars().filter(|c| c.is_ascii_digit()).count() >= 1
        && s.chars().count() <= MAX_PAGE_LINE_CHARS
    {
        return true;
    }
    // Running heads of the part: "第二部分 …决算表" printed over a table.
    if s.starts_with('第') && s.chars().nth(2) == Some('部') && s.chars().nth(3) == Some('分') {
        return true;
    }
    // Markdown rules drawn with dashes (also tab-separated: "----\t----").
    if t.split('\t').all(|c| {
        let c = c.trim();
        c.is_empty() || c.chars().all(|x| matches!(x, '-' | ':' | '=' | '|' | ' '))
    }) && s.contains('-')
    {
        return true;
    }
    false
}

/// Whether a dump's untabbed rows put one space between cells (raw
/// pdftotext) or align columns with runs of spaces (`-layout`): decided once
/// for the whole dump by which kind of number pair occurs more often.
fn space_mode(lines: &[Line]) -> Family {
    let mut single = 0usize;
    let mut spaced = 0usize;
    for l in lines.iter().filter(|l| !l.text.contains('\t')) {
        let t = l.text.trim();
        if has_single_space_between_numbers(t) {
            single += 1;
        } else if has_wide_gap_between_numbers(t) {
            spaced += 1;
        }
    }
    if spaced > single {
        Family::Spaced
    } else {
        Family::Single
    }
}

fn has_wide_gap_between_numbers(t: &str) -> bool {
    // Two spaces or more part two columns of a layout dump; one space parts
    // the cells of a one-space dump.
    const WIDE_GAP: usize = 2;
    let segs = segments(t);
    segs.windows(2)
        .any(|w| matches!(w, [a, b] if is_amount(&a.2) && is_amount(&b.2) && b.0 >= a.1 + WIDE_GAP))
}

fn classify(t: &str, mode: Family) -> Kind {
    if t.trim().is_empty() {
        return Kind::Blank;
    }
    if is_furniture(t) {
        return Kind::Furniture;
    }
    if t.to_ascii_lowercase().contains("<table") {
        return Kind::Html;
    }
    if t.contains('\t') {
        let cells = t.split('\t').filter(|c| !c.trim().is_empty()).count();
        return if cells >= 1 && t.split('\t').count() >= 2 {
            Kind::Row(Family::Tab)
        } else {
            Kind::Text
        };
    }
    let tt = t.trim();
    if tt.starts_with('|') && tt.ends_with('|') && tt.matches('|').count() >= 3 {
        return Kind::Row(Family::Pipe);
    }
    if is_title_like(t) || is_caption_like(t) || is_note_start(t) {
        return Kind::Text;
    }
    if is_prose(tt) {
        return Kind::Text;
    }
    let toks = single_tokens(t);
    let amounts = toks.iter().filter(|x| is_amount(x)).count();
    if amounts >= 1 && (toks.iter().filter(|x| !x.is_empty()).count() >= 2 || t.ends_with(' ')) {
        // Columns aligned with runs of spaces and no single-space numbers:
        // a layout dump; else one space per cell.
        if mode == Family::Spaced && segments(t).len() >= 2 {
            return Kind::Row(Family::Spaced);
        }
        if mode == Family::Single {
            return Kind::Row(Family::Single);
        }
    }
    if mode == Family::Spaced {
        return if segments(t).len() >= 3 {
            Kind::Row(Family::Spaced)
        } else {
            Kind::Text
        };
    }
    // A code alone, or short pieces of text with no numbers: soft. A
    // wrapped cell or a header piece is short (a line of up to 24
    // characters, or pieces of up to 16); longer is a sentence.
    const SOFT_MAX_CHARS: usize = 24;
    const SOFT_MAX_PIECE_CHARS: usize = 16;
    let no_digits = !tt.chars().any(|c| c.is_ascii_digit());
    let short_tokens = tt
        .split(' ')
        .all(|w| w.chars().count() <= SOFT_MAX_PIECE_CHARS);
    if is_code(tt)
        || (no_digits && has_han(tt) && (tt.chars().count() <= SOFT_MAX_CHARS || short_tokens))
    {
        return Kind::Soft;
    }
    Kind::Text
}

fn has_single_space_between_numbers(t: &str) -> bool {
    let toks: Vec<&str> = t.split(' ').collect();
    toks.windows(2).any(|w| is_amount(w[0]) && is_amount(w[1]))
}

// ------------------------------------------------------------ title, notes

fn title_and_caption(
    lines: &[Line],
    kinds: &[Kind],
    from: usize,
    start: usize,
    settings: &Settings,
) -> (Option<String>, Vec<String>) {
    let mut title = None;
    let mut caption: Vec<String> = Vec::new();
    let mut seen = 0;
    let mut idx = start;
    // Walk up over the lines since the previous table, nearest first.
    let mut group: Vec<&str> = Vec::new(); // lines of one paragraph (no blank between)
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    while idx > from && seen < settings.dump_title_lookback_lines {
        idx -= 1;
        let Some(l) = lines.get(idx) else { break };
        match kinds.get(idx) {
            Some(Kind::Blank) => {
                if !group.is_empty() {
                    group.reverse();
                    paragraphs.push(std::mem::take(&mut group));
                }
            }
            Some(Kind::Furniture) => {}
            _ => {
                seen += 1;
                group.push(l.text);
            }
        }
    }
    if !group.is_empty() {
        group.reverse();
        paragraphs.push(group);
    }
    // paragraphs: nearest first. A paragraph that starts with a caption line
    // is a caption (its other lines are its wrapped continuation).
    for (pi, para) in paragraphs.iter().enumerate() {
        let Some(first) = para.first() else { continue };
        if title.is_some() {
            // Above the title only a table-number line ("预算公开表1") belongs.
            if para.len() == 1 && is_caption_like(first) {
                caption.insert(0, first.trim().to_string());
                continue;
            }
            break;
        }
        if is_caption_like(first) {
            let joined = para
                .iter()
                .fold(String::new(), |acc, l| join_text(&acc, l.trim()));
            caption.insert(0, joined);
            continue;
        }
        // Within a paragraph the title is the last title-like line.
        if let Some(p) = para.iter().rposition(|l| is_title_like(l)) {
            let t = para.get(p).copied().unwrap_or_default();
            // A title wrapped over two lines: "…项目支出绩" / "效目标申报表";
            // its first line is a title's length, not a paragraph's.
            const MAX_TITLE_LINE_CHARS: usize = 40;
            let before = match p.checked_sub(1) {
                Some(q) => para.get(q),
                // The line above may sit across a blank line.
                None => {
                    paragraphs
                        .get(pi + 1)
                        .and_then(|up| if up.len() == 1 { up.last() } else { None })
                }
            };
            let joined = match before {
                Some(b)
                    if !is_caption_like(b)
                        && !b.contains('表')
                        && !b.trim_start().starts_with('#')
                        && !crate::cells::is_enumerated(b)
                        && !is_prose(b.trim())
                        && b.trim().chars().count() <= MAX_TITLE_LINE_CHARS
                        && has_han(b) =>
                {
                    format!("{}{}", squash(b), squash(t))
                }
                _ => t.to_string(),
            };
            title = Some(dedouble_heading(&joined));
            // Caption lines may share the title's paragraph.
            for l in para.iter().filter(|l| is_caption_like(l)) {
                caption.insert(0, l.trim().to_string());
            }
            continue;
        }
        // A title split over lines ("…绩" / "效目标申报表").
        let joined: String = para.iter().map(|l| squash(l)).collect();
        if para.len() > 1 && is_title_like(&joined) {
            title = Some(dedouble_heading(&joined));
            continue;
        }
        if para.iter().any(|l| is_prose(l.trim())) {
            break;
        }
    }
    (title, caption)
}

fn notes(lines: &[Line], kinds: &[Kind], from: usize, settings: &Settings) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = from;
    let mut blanks = 0;
    while let Some(l) = lines.get(i) {
        match kinds.get(i) {
            Some(Kind::Blank) | Some(Kind::Furniture) => {
                blanks += 1;
                if blanks > settings.dump_note_max_blank_lines && !out.is_empty() {
                    break;
                }
            }
            _ if is_note_start(l.text) => {
                out.push(l.text.trim().to_string());
                blanks = 0;
            }
            Some(Kind::Text) | Some(Kind::Soft)
                if !out.is_empty()
                    && blanks == 0
                    && !is_title_like(l.text)
                    && !is_enumerated_heading(l.text) =>
            {
                if let Some(last) = out.last_mut() {
                    *last = join_text(last, l.text.trim());
                }
            }
            _ => break,
        }
        i += 1;
        if out.len() >= settings.dump_max_notes {
            break;
        }
    }
    out
}

fn is_enumerated_heading(t: &str) -> bool {
    crate::cells::is_enumerated(t)
}

// ------------------------------------------------------- tab, pipe, html

fn split_pipe(t: &str) -> Vec<String> {
    let tt = t.trim();
    let inner = tt.strip_prefix('|').unwrap_or(tt);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_pipe_rule(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|x| matches!(x, '-' | ':' | ' ')))
}

fn parse_cells(block: &[(usize, &Line)], kinds: &[Kind]) -> RawTable {
    let mut raw = RawTable::new(Method::Dump);
    for (idx, line) in block {
        match kinds.get(*idx) {
            Some(Kind::Html) => {
                let lower = line.text.to_ascii_lowercase();
                let end = lower.rfind("</table>").map(|p| p + "</table>".len());
                let (html, rest) = match end {
                    Some(e) => (
                        line.text.get(..e).unwrap_or(line.text),
                        line.text.get(e..).unwrap_or(""),
                    ),
                    None => (line.text, ""),
                };
                let (rows, spans, thead) = parse_html(html);
                let offset = raw.rows.len();
                if offset == 0 && thead > 0 {
                    raw.header_rows = Some(thead);
                }
                for r in rows {
                    let origin = raw.rows.len();
                    raw.rows.push(Row {
                        cells: r,
                        page: line.page,
                        origins: vec![origin],
                        y: None,
                    });
                }
                raw.spans.extend(spans.into_iter().map(|s| Span {
                    row: s.row + offset,
                    ..s
                }));
                let rest = rest.trim_start_matches([' ']);
                if rest.contains('\t') {
                    push_row(
                        &mut raw,
                        rest.split('\t').map(|c| c.trim().to_string()).collect(),
                        line.page,
                    );
                }
            }
            Some(Kind::Row(Family::Tab)) => {
                push_row(
                    &mut raw,
                    line.text
                        .split('\t')
                        .map(|c| c.trim().to_string())
                        .collect(),
                    line.page,
                );
            }
            Some(Kind::Row(Family::Pipe)) => {
                let cells = split_pipe(line.text);
                if is_pipe_rule(&cells) {
                    // The rule under a Markdown header row: rows above are header.
                    if raw.header_rows.is_none() {
                        raw.header_rows = Some(raw.rows.len());
                    }
                    continue;
                }
                push_row(&mut raw, cells, line.page);
            }
            _ => {}
        }
    }
    realign_short_rows(&mut raw);
    raw
}

/// OCR'd dumps drop empty cells, so a row comes out short with its amounts
/// shifted left under other columns ("214 交通运输支出 2.45" with 7 cells in
/// a 9-column table). The 合计 row, printed in full width, says which
/// columns carry amounts: a short row whose amounts stand where the total
/// has none, and would all stand under the total's amounts right-aligned,
/// is right-aligned.
fn realign_short_rows(raw: &mut RawTable) {
    let width = raw_width(raw);
    // Amounts with decimals: a bare integer may be the row's code.
    let amount = |c: &str| crate::header::is_data_amount(&squash(c));
    // A total's label is in one of the first columns (code, name, or a
    // third for a second code).
    const LABEL_COLUMNS: usize = 3;
    let Some(total) = raw.rows.iter().find(|r| {
        r.cells.len() == width
            && r.cells
                .iter()
                .take(LABEL_COLUMNS)
                .any(|c| crate::cells::is_total_label(c))
            && r.cells.iter().any(|c| amount(c))
    }) else {
        return;
    };
    let valued: Vec<bool> = total.cells.iter().map(|c| amount(c)).collect();
    let mut repairs = Vec::new();
    for (i, r) in raw.rows.iter_mut().enumerate() {
        let n = r.cells.len();
        if n == 0 || n >= width {
            continue;
        }
        let shift = width - n;
        let pos: Vec<usize> = (0..n)
            .filter(|&c| r.cells.get(c).is_some_and(|x| amount(x)))
            .collect();
        let Some(&first) = pos.first() else { continue };
        let misplaced = pos
            .iter()
            .any(|&c| !valued.get(c).copied().unwrap_or(false));
        let fits = pos
            .iter()
            .all(|&c| valued.get(c + shift).copied().unwrap_or(false));
        if !(misplaced && fits) {
            continue;
        }
        let before = r.cells.join(" ");
        let tail: Vec<String> = r.cells.split_off(first);
        r.cells.resize(first + shift, String::new());
        r.cells.extend(tail);
        repairs.push(Repair {
            kind: "short_row_realigned".into(),
            page: Some(r.page),
            row: Some(i),
            detail: format!(
                "\"{}\": amounts moved {shift} column(s) right, under the total row's",
                before.trim()
            ),
        });
    }
    raw.repairs.extend(repairs);
}

fn push_row(raw: &mut RawTable, mut cells: Vec<String>, page: u32) {
    while cells.len() > 1
        && cells.last().is_some_and(|c| c.is_empty())
        && cells.len() > raw_width(raw)
    {
        cells.pop();
    }
    let origin = raw.rows.len();
    raw.rows.push(Row {
        cells,
        page,
        origins: vec![origin],
        y: None,
    });
}

fn raw_width(raw: &RawTable) -> usize {
    raw.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
}

// ------------------------------------------------------------ spaced layout

/// A piece of a layout line: start and end character columns, text.
type Segment = (usize, usize, String);

/// Segments of a layout line separated by runs of two or more spaces, with
/// their start and end character columns.
fn segments(t: &str) -> Vec<Segment> {
    let chars: Vec<char> = t.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < chars.len() {
            if chars[i] == ' ' && chars.get(i + 1).is_none_or(|&c| c == ' ') {
                break;
            }
            i += 1;
            end = i;
        }
        let text: String = chars.get(start..end).unwrap_or_default().iter().collect();
        out.push((start, end, text));
    }
    out
}

fn parse_spaced(block: &[(usize, &Line)], kinds: &[Kind]) -> RawTable {
    let mut raw = RawTable::new(Method::Dump);
    let rows: Vec<(&Line, Vec<Segment>)> = block
        .iter()
        .filter(|(i, _)| matches!(kinds.get(*i), Some(Kind::Row(Family::Spaced))))
        .map(|(_, l)| (*l, segments(l.text)))
        .collect();
    // Column gaps: character positions blank in every line with an amount.
    let width = rows
        .iter()
        .map(|(_, s)| s.last().map_or(0, |x| x.1))
        .max()
        .unwrap_or(0);
    let mut busy = vec![false; width + 1];
    for (_, segs) in rows
        .iter()
        .filter(|(_, s)| s.iter().any(|x| is_amount(&x.2)))
    {
        for (a, b, _) in segs {
            for x in busy.iter_mut().take(*b).skip(*a) {
                *x = true;
            }
        }
    }
    let mut cols: Vec<(usize, usize)> = Vec::new();
    let mut x = 0;
    while x < busy.len() {
        if busy[x] {
            let s = x;
            while x < busy.len() && busy[x] {
                x += 1;
            }
            cols.push((s, x));
        } else {
            x += 1;
        }
    }
    if cols.is_empty() {
        return raw;
    }
    for (line, segs) in rows {
        let mut cells = vec![String::new(); cols.len()];
        for (a, b, text) in segs {
            // The column this segment overlaps most, else the nearest.
            let best = cols
                .iter()
                .enumerate()
                .map(|(i, &(c0, c1))| {
                    let ov = b.min(c1) as i64 - a.max(c0) as i64;
                    let dist = if ov > 0 {
                        0
                    } else {
                        (a as i64 - c1 as i64)
                            .abs()
                            .min((c0 as i64 - b as i64).abs())
                    };
                    (i, ov, dist)
                })
                .max_by(|p, q| p.1.cmp(&q.1).then(q.2.cmp(&p.2)))
                .map(|(i, ..)| i)
                .unwrap_or(0);
            if let Some(c) = cells.get_mut(best) {
                *c = join_text(c, &text);
            }
        }
        push_row(&mut raw, cells, line.page);
    }
    raw
}

// ------------------------------------------------------- one space per cell

fn single_tokens(t: &str) -> Vec<String> {
    single_cells(t).0
}

fn parse_single(block: &[(usize, &Line)], kinds: &[Kind], header_lines: usize) -> RawTable {
    let mut raw = RawTable::new(Method::Dump);
    let content: Vec<(usize, &Line)> = block
        .iter()
        .filter(|(i, _)| matches!(kinds.get(*i), Some(Kind::Row(_)) | Some(Kind::Soft)))
        .map(|(i, l)| (*i, *l))
        .collect();
    let first_body_idx = block
        .get(header_lines)
        .map(|(i, _)| *i)
        .unwrap_or(usize::MAX);
    // Width: the most common cell count of lines that carry amounts.
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for (i, l) in &content {
        if *i < first_body_idx || !matches!(kinds.get(*i), Some(Kind::Row(_))) {
            continue;
        }
        let (cells, _) = single_cells(l.text);
        if cells.iter().filter(|c| is_amount(c)).count() >= 1 {
            match counts.iter_mut().find(|(n, _)| *n == cells.len()) {
                Some((_, k)) => *k += 1,
                None => counts.push((cells.len(), 1)),
            }
        }
    }
    let w = counts
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(n, _)| *n)
        .unwrap_or(2)
        .max(2);
    // Header lines: kept until the body is known (their fragments are cut to
    // the body's columns).
    let header_lines: Vec<&Line> = content
        .iter()
        .take_while(|(i, _)| *i < first_body_idx)
        .map(|(_, l)| *l)
        .collect();
    // Body: lines assembled into logical rows.
    struct Acc {
        cells: Vec<String>,
        open: bool,
        page: u32,
        lines: usize,
    }
    let mut cur: Option<Acc> = None;
    let mut finished: Vec<(Vec<String>, u32, usize)> = Vec::new();
    let finish = |acc: Acc, out: &mut Vec<(Vec<String>, u32, usize)>| {
        let mut cells = acc.cells;
        // A stray leading space gives an empty first cell too many; a run
        // of trailing spaces, empty cells past the last column.
        while cells.len() > w && cells.first().is_some_and(|c| c.is_empty()) {
            cells.remove(0);
        }
        while cells.len() > w && cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        if cells.len() < w {
            let missing = w - cells.len();
            let label_then_amount = cells
                .first()
                .is_some_and(|c| !c.is_empty() && !is_amount(c) && !is_code(c))
                && cells.get(1).is_some_and(|c| is_amount(c));
            if label_then_amount {
                for _ in 0..missing {
                    cells.insert(1, String::new());
                }
            } else {
                cells.resize(w, String::new());
            }
        }
        out.push((cells, acc.page, acc.lines));
    };
    // A new logical row starts: the one before it is finished.
    let restart = |cur: &mut Option<Acc>,
                   out: &mut Vec<(Vec<String>, u32, usize)>,
                   cells: Vec<String>,
                   open: bool,
                   page: u32| {
        let next = Acc {
            cells,
            open,
            page,
            lines: 1,
        };
        if let Some(acc) = cur.replace(next) {
            finish(acc, out);
        }
    };
    for (i, l) in &content {
        if *i < first_body_idx {
            continue;
        }
        let t = l.text;
        let tt = t.trim();
        let text_only = matches!(kinds.get(*i), Some(Kind::Soft)) && !is_code(tt);
        let code_only = is_code(tt);
        if text_only {
            if let Some(acc) = cur.as_mut() {
                let last_is_text = acc
                    .cells
                    .last()
                    .is_some_and(|c| !c.is_empty() && !is_amount(c) && !is_code(c));
                // A code with its name still to come (alone, or ending a
                // row of several code/name/amount groups).
                let just_code = acc.cells.last().is_some_and(|c| is_code_cell(c))
                    && (acc.cells.len() == 1 || acc.cells.len() + 2 <= w);
                if acc.cells.len() < w && (acc.open || last_is_text || just_code) {
                    if acc.open {
                        acc.cells.push(tt.to_string());
                        acc.open = false;
                    } else if last_is_text {
                        if let Some(c) = acc.cells.last_mut() {
                            *c = join_text(c, tt);
                        }
                    } else {
                        acc.cells.push(tt.to_string());
                    }
                    acc.lines += 1;
                    continue;
                }
            }
            restart(&mut cur, &mut finished, vec![tt.to_string()], false, l.page);
            continue;
        }
        if code_only {
            // " 30907" after "30212 / 因公出国（境）费 / 用": the leading space
            // is the empty amount of the group above; the code starts the
            // next group of the same row.
            if let Some(acc) = cur.as_mut() {
                let last_is_text = acc
                    .cells
                    .last()
                    .is_some_and(|c| has_han(c) && !is_amount(c) && !is_code(c));
                if t.starts_with(' ')
                    && last_is_text
                    && acc.cells.len() >= 3
                    && acc.cells.len() + 2 <= w
                {
                    acc.cells.push(String::new());
                    acc.cells.push(tt.to_string());
                    acc.open = false;
                    acc.lines += 1;
                    continue;
                }
            }
            restart(&mut cur, &mut finished, vec![tt.to_string()], false, l.page);
            continue;
        }
        let (cells, open) = single_cells(t);
        if let Some(acc) = cur.as_mut() {
            let last_is_text = acc
                .cells
                .last()
                .is_some_and(|c| !c.is_empty() && !is_amount(c) && !is_code(c));
            let just_code = acc.cells.len() == 1 && acc.cells.first().is_some_and(|c| is_code(c));
            let extra = usize::from(acc.open);
            if acc.cells.len() + extra + cells.len() <= w && (acc.open || last_is_text || just_code)
            {
                if acc.open {
                    acc.cells.push(String::new());
                }
                acc.cells.extend(cells);
                acc.open = open;
                acc.lines += 1;
                continue;
            }
        }
        restart(&mut cur, &mut finished, cells, open, l.page);
    }
    if let Some(acc) = cur.take() {
        finish(acc, &mut finished);
    }
    let texts: Vec<&str> = header_lines.iter().map(|l| l.text.trim()).collect();
    let body_cells: Vec<Vec<String>> = finished.iter().map(|(c, _, _)| c.clone()).collect();
    let header_page = header_lines.first().map_or(0, |l| l.page);
    match fragments::rebuild(&texts, &body_cells, w) {
        Some(rebuilt) => {
            for (kind, detail) in rebuilt.repairs {
                raw.repairs.push(Repair {
                    kind: kind.into(),
                    page: Some(header_page),
                    row: None,
                    detail,
                });
            }
            for cells in rebuilt.rows {
                push_row(&mut raw, cells, header_page);
            }
        }
        None => {
            for l in &header_lines {
                let (cells, _) = single_cells(l.text.trim());
                push_row(&mut raw, cells, l.page);
            }
        }
    }
    raw.header_rows = Some(raw.rows.len());
    for (mut cells, page, lines) in finished {
        let origin = raw.rows.len();
        // A doubled code beside a doubled name: the code is doubled too.
        for k in 0..cells.len() {
            let name_doubled = cells
                .get(k + 1)
                .is_some_and(|n| has_han(n) && collapse_doubling(n).is_some());
            let half = cells
                .get(k)
                .and_then(|c| doubled_code(c))
                .map(str::to_string);
            if let (true, Some(half)) = (name_doubled, half) {
                raw.repairs.push(Repair {
                    kind: crate::repair::DUPLICATE_GLYPHS_REMOVED.into(),
                    page: Some(page),
                    row: Some(origin),
                    detail: format!("\"{half}{half}\" -> \"{half}\""),
                });
                if let Some(c) = cells.get_mut(k) {
                    *c = half;
                }
            }
        }
        if lines > 1 {
            raw.repairs.push(Repair {
                kind: SPLIT_ROW_MERGED.into(),
                page: Some(page),
                row: Some(origin),
                detail: format!("{lines} lines joined into one row"),
            });
        }
        raw.rows.push(Row {
            cells,
            page,
            origins: vec![origin],
            y: None,
        });
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finish::finish;
    use crate::settings::Settings;

    fn page(text: &str) -> Page {
        Page {
            number: 1,
            dump_lines: text.split('\n').map(str::to_string).collect(),
            ..Page::default()
        }
    }

    fn tables(text: &str) -> Vec<crate::Table> {
        let (raws, _) = dump_tables(&[&page(text)], &Settings::default());
        raws.into_iter()
            .map(|r| finish(r, &Settings::default()))
            .collect()
    }

    #[test]
    fn tab_table_with_title_caption_notes() {
        let t = tables("第二部分\n\n预算公开表1\n\n2025年预算支出总表\n\n单位：万元\n\n项目\t\t2025年预算数\t\t\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n合计\t\t20.00\t10.00\t10.00\n201\t一般公共服务支出\t20.00\t10.00\t10.00\n\n注：本表无上年结转。\n\n下一段文字。");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].title.as_deref(), Some("2025年预算支出总表"));
        assert_eq!(t[0].caption, vec!["预算公开表1", "单位：万元"]);
        assert_eq!(t[0].notes, vec!["注：本表无上年结转。"]);
        assert_eq!(t[0].header.len(), 2);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].columns()[4], "项目支出");
    }

    #[test]
    fn markdown_pipe_table() {
        let t = tables("# 2025年预算收入总表\n\n| 科目编码 | 科目名称 | 合计 |\n|---|---|---:|\n| 201 | 一般公共服务支出 | 1.09 |\n| 205 | 教育支出 | 1.96 |\n");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].title.as_deref(), Some("2025年预算收入总表"));
        assert_eq!(t[0].header, vec![vec!["科目编码", "科目名称", "合计"]]);
        assert_eq!(t[0].rows[1], vec!["205", "教育支出", "1.96"]);
    }

    #[test]
    fn html_fragment_with_spans() {
        let (rows, spans, thead) = parse_html("<table><thead><tr><th colspan=\"2\">项目</th><th rowspan=2>金额</th></tr><tr><th>编码</th><th>名称</th></tr></thead><tbody><tr><td>201</td><td>一般<br>公共服务</td><td>1.09</td></tr></tbody></table>");
        assert_eq!(thead, 2);
        assert_eq!(rows[0], vec!["项目", "", "金额"]);
        assert_eq!(rows[1], vec!["编码", "名称", ""]);
        assert_eq!(rows[2], vec!["201", "一般公共服务", "1.09"]);
        assert!(spans.contains(&Span {
            row: 0,
            col: 0,
            rows: 1,
            cols: 2
        }));
        assert!(spans.contains(&Span {
            row: 0,
            col: 2,
            rows: 2,
            cols: 1
        }));
    }

    #[test]
    fn space_aligned_layout_dump() {
        let t = tables("2025年一般公共预算支出表\n\n科目编码   科目名称                 合计        基本支出\n201        一般公共服务支出       1,051.79      909.30\n20103      政府办公厅(室)事务     1,051.79      909.30\n2010301    行政运行                 577.55      577.55\n");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows.len(), 3);
        assert_eq!(
            t[0].rows[2],
            vec!["2010301", "行政运行", "577.55", "577.55"]
        );
        assert_eq!(
            t[0].header[0],
            vec!["科目编码", "科目名称", "合计", "基本支出"]
        );
    }

    #[test]
    fn one_space_cells_with_wrapped_rows() {
        let text = "收入决算表收入决算表\n\n金额单位：万元\n\n项目项目\n\n科目代码科目代码 科目名称科目名称 合计合计 财政拨款财政拨款 其他其他\n\n合计合计 1436.56 1419.06 17.50\n\n20103\n政府办公厅（室）\n及相关机构事务\n\n1436.06 1418.56 17.50\n\n2010301 行政运行 85.06 85.06  \n\n注：本表反映收入。";
        let t = tables(text);
        assert_eq!(t.len(), 1, "{t:#?}");
        let tb = &t[0];
        assert_eq!(tb.title.as_deref(), Some("收入决算表"));
        assert_eq!(tb.rows[0], vec!["合计", "", "1436.56", "1419.06", "17.50"]);
        assert_eq!(
            tb.rows[1],
            vec![
                "20103",
                "政府办公厅（室）及相关机构事务",
                "1436.06",
                "1418.56",
                "17.50"
            ]
        );
        assert_eq!(
            tb.rows[2],
            vec!["2010301", "行政运行", "85.06", "85.06", ""]
        );
        assert!(tb
            .repairs
            .iter()
            .any(|r| r.kind == "split_row_merged" && r.row == Some(1)));
        assert!(tb
            .repairs
            .iter()
            .any(|r| r.kind == "duplicate_glyphs_removed"));
        assert_eq!(tb.notes, vec!["注：本表反映收入。"]);
    }

    #[test]
    fn table_continued_after_a_form_feed_is_one_table() {
        let pages = [
            Page {
                number: 1,
                dump_lines: "2025年预算支出总表\n\n单位：万元\n\n科目编码\t科目名称\t合计\n201\t一般公共服务支出\t1.00\n2010301\t行政运行\t1.00"
                    .split('\n')
                    .map(str::to_string)
                    .collect(),
                ..Page::default()
            },
            Page {
                number: 2,
                dump_lines: "续表\n\n科目编码\t科目名称\t合计\n205\t教育支出\t2.00\n\n注：无。"
                    .split('\n')
                    .map(str::to_string)
                    .collect(),
                ..Page::default()
            },
        ];
        let (raws, _) = dump_tables(&pages.iter().collect::<Vec<_>>(), &Settings::default());
        assert_eq!(raws.len(), 1);
        let t = finish(raws.into_iter().next().unwrap(), &Settings::default());
        assert_eq!(t.pages, vec![1, 2]);
        assert_eq!(t.header.len(), 1);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.row_pages, vec![1, 1, 2]);
        assert!(t.repairs.iter().any(|r| r.kind == "table_continued"));
        assert!(t
            .repairs
            .iter()
            .any(|r| r.kind == "repeated_header_dropped"));
        assert_eq!(t.notes, vec!["注：无。"]);
    }

    #[test]
    fn name_indented_under_its_code_is_one_gap() {
        assert_eq!(
            single_cells("30101   基本工资 67.20 30201   办公费  ").0,
            vec!["30101", "基本工资", "67.20", "30201", "办公费", ""]
        );
        // Two spaces after an amount stay an empty cell.
        assert_eq!(single_cells("水费  309309").0, vec!["水费", "", "309309"]);
    }

    #[test]
    fn label_value_form_has_no_header() {
        let t = tables("项目支出绩效目标表\n\n项目名称\t专项业务费\t\t\n主管部门及代码\t201-某局\t实施单位\t某局\n项目资金\t年度资金总额:\t452,000\t\n");
        assert_eq!(t.len(), 1);
        assert!(t[0].header.is_empty(), "{:?}", t[0].header);
        assert_eq!(t[0].rows[0][..2], ["项目名称", "专项业务费"]);
    }

    #[test]
    fn glued_amount_and_text_split() {
        assert_eq!(
            single_cells("3 773.07三、国防支出 34  "),
            (
                vec![
                    "3".into(),
                    "773.07".into(),
                    "三、国防支出".into(),
                    "34".into(),
                    "".into()
                ],
                true
            )
        );
    }
}

/// Seed 002 (raw pdftotext, doubled text, one space per cell): the dump
/// tables this module rebuilds, checked against values read off the seed.
#[cfg(test)]
mod seed_002_tests {
    use crate::{find_tables, Layout, Settings, Table};
    use gongkai_extract::{open_path, Options};

    fn layout() -> Layout {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/seeds/002_9ab8174854570465.txt"
        );
        let doc = open_path(std::path::Path::new(path), &Options::default()).unwrap();
        find_tables(&doc, &Settings::default())
    }

    fn numbered<'a>(l: &'a Layout, number: &str) -> &'a Table {
        l.tables
            .iter()
            .find(|t| t.caption.iter().any(|c| c.trim() == number))
            .unwrap_or_else(|| panic!("no table {number}"))
    }

    #[test]
    fn wrapped_header_labels_rejoined() {
        gongkai_extract::require_shared!();
        let l = layout();
        let income = numbered(&l, "公开02表");
        assert_eq!(income.header.len(), 2);
        assert_eq!(
            income.columns(),
            [
                "科目代码",
                "科目名称",
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "经营收入",
                "附属单位上缴收入",
                "其他收入"
            ]
        );
        assert_eq!(income.header[0][0], "项目");
        assert!(income
            .repairs
            .iter()
            .any(|r| r.kind == "cell_wrap_joined" && r.detail.contains("上级补助收入")));
        let spending = numbered(&l, "公开03表");
        assert_eq!(
            spending.columns()[2..],
            [
                "本年支出合计",
                "基本支出",
                "项目支出",
                "上缴上级支出",
                "经营支出",
                "对附属单位补助支出"
            ]
        );
        let detail = numbered(&l, "公开06表");
        assert_eq!(detail.width(), 12);
        let row = |code: &str| {
            detail
                .rows
                .iter()
                .find(|r| r[0] == code)
                .unwrap_or_else(|| panic!("no row {code}"))
        };
        // Doubled class codes beside doubled names ("301301 工资福利支出工资福利支出").
        assert_eq!(
            row("301")[..6],
            [
                "301",
                "工资福利支出",
                "171.20",
                "302",
                "商品和服务支出",
                "9.87"
            ]
        );
        // Names indented under their codes, a name wrapped over lines, and a
        // group's empty amount left as the leading space of the next code.
        assert_eq!(
            row("30113")[..],
            [
                "30113",
                "住房公积金",
                "12.66",
                "30212",
                "因公出国（境）费用",
                "",
                "30907",
                "信息网络及软件购置更新",
                "────",
                "31201",
                "资本金注入",
                ""
            ]
        );
        assert_eq!(
            row("30108")[..5],
            [
                "30108",
                "机关事业单位基本养老保险缴费",
                "17.72",
                "30206",
                "电费"
            ]
        );
        let r = spending.rows.iter().find(|r| r[0] == "2010399").unwrap();
        assert_eq!(
            r[..5],
            [
                "2010399",
                "其他政府办公厅（室）及相关机构事务支出",
                "1192.18",
                "",
                "1192.18"
            ]
        );
    }
}
