//! From a raw grid (cells as found by lattice, stream or a dump parser) to a
//! [`Table`]: cell repairs, header rows apart from the body, the column-number
//! row and repeated headers dropped, wrapped rows merged, header spans kept.
//! All methods share this one path, so a table means the same whatever it
//! came from.

use crate::cells::squash;
use crate::header::{header_count, infer_header_spans, is_column_number_row};
use crate::repair::{repair_cell, repair_ocr_cell};
use crate::rows::{column_roles, merge_wrapped, Row};
use crate::settings::Settings;
use crate::table::{Method, Region, Repair, Span, Table};

/// A table as found, before repairs.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub method: Method,
    pub title: Option<String>,
    pub caption: Vec<String>,
    pub notes: Vec<String>,
    /// Rows top to bottom (all pages), cells left to right.
    pub rows: Vec<Row>,
    /// Spans known from geometry, in raw-row positions.
    pub spans: Vec<Span>,
    pub regions: Vec<Region>,
    /// Repairs made while finding the table (row = raw row index).
    pub repairs: Vec<Repair>,
    /// Header rows known from the source (HTML `<thead>`, a dump's header
    /// lines); `None` lets the header detector decide.
    pub header_rows: Option<usize>,
}

impl RawTable {
    pub fn new(method: Method) -> RawTable {
        RawTable {
            method,
            title: None,
            caption: Vec::new(),
            notes: Vec::new(),
            rows: Vec::new(),
            spans: Vec::new(),
            regions: Vec::new(),
            repairs: Vec::new(),
            header_rows: None,
        }
    }
}

pub const COLUMN_NUMBER_ROW_DROPPED: &str = "column_number_row_dropped";
pub const REPEATED_HEADER_DROPPED: &str = "repeated_header_dropped";
pub const SPLIT_ROW_MERGED: &str = "split_row_merged";

/// Repair and structure a raw table.
pub fn finish(raw: RawTable, settings: &Settings) -> Table {
    finish_ocr(raw, settings, &[])
}

/// [`finish`] for a table some of whose pages (`ocr_pages`) were read by
/// OCR: their cells get the OCR repairs first, and the table is marked.
pub fn finish_ocr(raw: RawTable, settings: &Settings, ocr_pages: &[u32]) -> Table {
    let width = raw.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut repairs: Vec<(Option<usize>, Repair)> = Vec::new(); // (raw origin, repair)
    for r in raw.repairs {
        repairs.push((r.row, r));
    }
    // 1. Cell repairs, everywhere.
    let mut rows: Vec<Row> = raw.rows;
    for (i, row) in rows.iter_mut().enumerate() {
        row.cells.resize(width, String::new());
        let ocr = ocr_pages.contains(&row.page);
        for cell in row.cells.iter_mut() {
            let (pre, mut fixes) = if ocr {
                repair_ocr_cell(cell)
            } else {
                (std::mem::take(cell), Vec::new())
            };
            let (fixed, more) = repair_cell(&pre, settings.wrap_join_max_chars);
            fixes.extend(more);
            for f in fixes {
                repairs.push((
                    Some(i),
                    Repair {
                        kind: f.kind.to_string(),
                        page: Some(row.page),
                        row: None,
                        detail: format!("\"{}\" -> \"{}\"", f.before, f.after),
                    },
                ));
            }
            *cell = fixed;
        }
    }
    // 2. Header rows.
    let grid: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
    let k = raw
        .header_rows
        .unwrap_or_else(|| header_count(&grid, settings.max_header_rows))
        .min(rows.len());
    let body_all = rows.split_off(k);
    let mut header_rows = rows;
    // 3. The column-number row, at the foot of the header or head of the body.
    let mut dropped_origins: Vec<usize> = Vec::new();
    header_rows.retain(|r| {
        if is_column_number_row(&r.cells) && header_rows_len_guard(&r.cells) {
            repairs.push((
                None,
                Repair {
                    kind: COLUMN_NUMBER_ROW_DROPPED.into(),
                    page: Some(r.page),
                    row: None,
                    detail: format!("\"{}\"", r.cells.join(" ").trim()),
                },
            ));
            dropped_origins.extend(&r.origins);
            false
        } else {
            true
        }
    });
    let mut body: Vec<Row> = Vec::with_capacity(body_all.len());
    let header_keys: Vec<String> = header_rows
        .iter()
        .map(|r| squash(&r.cells.concat()))
        .filter(|k| !k.is_empty())
        .collect();
    let title_key = raw.title.as_deref().map(squash).unwrap_or_default();
    let mut notes = raw.notes;
    for (i, r) in body_all.into_iter().enumerate() {
        // A note printed inside the grid (注：… in a row of its own).
        let filled: Vec<&String> = r.cells.iter().filter(|c| !c.trim().is_empty()).collect();
        if filled.len() == 1
            && filled
                .first()
                .is_some_and(|c| crate::dump::is_note_start(c))
        {
            notes.push(filled[0].trim().to_string());
            continue;
        }
        if i == 0 && is_column_number_row(&r.cells) {
            repairs.push((
                None,
                Repair {
                    kind: COLUMN_NUMBER_ROW_DROPPED.into(),
                    page: Some(r.page),
                    row: None,
                    detail: format!("\"{}\"", r.cells.join(" ").trim()),
                },
            ));
            continue;
        }
        // 4. Header rows printed again (on a later page) are not data.
        let key = squash(&r.cells.concat());
        let repeated = !key.is_empty() && header_keys.contains(&key);
        let repeated_title = !key.is_empty() && key == title_key;
        let repeated_colnum = is_column_number_row(&r.cells);
        if repeated || repeated_title || repeated_colnum {
            repairs.push((
                None,
                Repair {
                    kind: if repeated_colnum {
                        COLUMN_NUMBER_ROW_DROPPED.into()
                    } else {
                        REPEATED_HEADER_DROPPED.into()
                    },
                    page: Some(r.page),
                    row: None,
                    detail: format!("\"{}\"", r.cells.join(" ").trim()),
                },
            ));
            continue;
        }
        body.push(r);
    }
    // 5. Rows split by a page break, then wrapped rows.
    let (body, page_joins) = join_page_split_rows(body);
    repairs.extend(page_joins.into_iter().map(|rep| (None, rep)));
    let roles = column_roles(&body, width);
    let (body, merges) = merge_wrapped(body, &roles);
    for m in merges {
        repairs.push((
            None,
            Repair {
                kind: SPLIT_ROW_MERGED.into(),
                page: Some(m.page),
                row: Some(m.into),
                detail: m.detail,
            },
        ));
    }
    // Map repairs made on raw rows to body rows.
    let mut final_repairs = Vec::with_capacity(repairs.len());
    for (origin, mut rep) in repairs {
        if let Some(o) = origin {
            rep.row = body.iter().position(|r| r.origins.contains(&o));
        }
        final_repairs.push(rep);
    }
    // 6. Spans: geometric ones remapped, else inferred for the header.
    let header: Vec<Vec<String>> = header_rows.iter().map(|r| r.cells.clone()).collect();
    let all: Vec<&Row> = header_rows.iter().chain(body.iter()).collect();
    let spans = if raw.spans.is_empty() {
        infer_header_spans(&header)
    } else {
        remap_spans(&raw.spans, &all)
    };
    let mut pages: Vec<u32> = all.iter().map(|r| r.page).collect();
    pages.extend(raw.regions.iter().map(|r| r.page));
    pages.sort_unstable();
    pages.dedup();
    let ocr = pages.iter().any(|p| ocr_pages.contains(p));
    Table {
        ocr,
        title: raw.title,
        caption: raw.caption,
        notes,
        pages,
        method: raw.method,
        header,
        row_pages: body.iter().map(|r| r.page).collect(),
        rows: body.into_iter().map(|r| r.cells).collect(),
        spans,
        repairs: final_repairs,
        regions: raw.regions,
    }
}

/// An amount cut short at the end of a page: digits with at most one
/// decimal after its point ("12,437.3" of 12,437.36).
fn is_cut_amount(s: &str) -> bool {
    let t = s.trim();
    match t.rsplit_once('.') {
        Some((int, dec)) => {
            dec.len() <= 1
                && dec.chars().all(|c| c.is_ascii_digit())
                && !int.is_empty()
                && int
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '-')
        }
        None => false,
    }
}

/// An amount printed with two decimals.
fn is_whole_amount(s: &str) -> bool {
    let t = s.trim();
    t.rsplit_once('.').is_some_and(|(int, dec)| {
        dec.len() == 2
            && dec.chars().all(|c| c.is_ascii_digit())
            && int
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '-')
    })
}

/// A row cut by a page break: the first row of a page that only finishes
/// the cells of the last row of the page before (the rest of a name, the
/// last decimal of an amount: "杭州市机动" + "车驾驶员考试服务中心",
/// "12,437.3" + "6"). Its cells are joined to that row's.
fn join_page_split_rows(rows: Vec<Row>) -> (Vec<Row>, Vec<Repair>) {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut repairs = Vec::new();
    for r in rows {
        let finishes = out.last().is_some_and(|prev: &Row| {
            if prev.page == r.page || !prev.cells.iter().any(|c| is_whole_amount(c)) {
                return false;
            }
            let filled: Vec<usize> = (0..r.cells.len())
                .filter(|&c| r.cells.get(c).is_some_and(|x| !x.trim().is_empty()))
                .collect();
            !filled.is_empty()
                && filled
                    .iter()
                    .any(|&c| prev.cells.get(c).is_some_and(|p| is_cut_amount(p)))
                && filled.iter().all(|&c| {
                    let (a, b) = (
                        prev.cells.get(c).map_or("", |s| s.trim()),
                        r.cells.get(c).map_or("", |x| x.trim()),
                    );
                    let digits = b.chars().all(|ch| ch.is_ascii_digit());
                    if digits {
                        is_cut_amount(a)
                    } else {
                        !a.is_empty() && !is_whole_amount(a) && !crate::cells::is_amount(b)
                    }
                })
        });
        match out.last_mut() {
            Some(prev) if finishes => {
                for (c, cell) in r.cells.iter().enumerate() {
                    if cell.trim().is_empty() {
                        continue;
                    }
                    if let Some(p) = prev.cells.get_mut(c) {
                        let joined = format!("{}{}", p.trim(), cell.trim());
                        *p = joined;
                    }
                }
                prev.origins.extend(r.origins.iter().copied());
                repairs.push(Repair {
                    kind: SPLIT_ROW_MERGED.into(),
                    page: Some(r.page),
                    row: None,
                    detail: format!(
                        "row cut by the page break before page {}: \"{}\" joined to the row above",
                        r.page,
                        r.cells.join(" ").trim()
                    ),
                });
            }
            _ => out.push(r),
        }
    }
    (out, repairs)
}

/// A header row that is only a column-number row (never drop a real label row).
fn header_rows_len_guard(cells: &[String]) -> bool {
    cells.iter().filter(|c| !c.trim().is_empty()).count() >= 1
}

fn remap_spans(spans: &[Span], rows: &[&Row]) -> Vec<Span> {
    let find = |o: usize| rows.iter().position(|r| r.origins.contains(&o));
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        let Some(top) = find(s.row) else { continue };
        let last = (s.row..s.row + s.rows).rev().find_map(find).unwrap_or(top);
        let rows_n = last.saturating_sub(top) + 1;
        if rows_n > 1 || s.cols > 1 {
            let span = Span {
                row: top,
                col: s.col,
                rows: rows_n,
                cols: s.cols,
            };
            if !out.contains(&span) {
                out.push(span);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_cut_by_the_page_break_is_joined() {
        let row = |page: u32, cells: &[&str]| Row {
            cells: cells.iter().map(|s| s.to_string()).collect(),
            page,
            origins: vec![],
            y: None,
        };
        let rows = vec![
            row(21, &["杭州市机动", "14,549.64", "12,437.3"]),
            row(22, &["车驾驶员考试服务中心", "", "6"]),
            row(22, &["杭州市公安局地铁分局", "27,401.68", "7.20"]),
        ];
        let (out, reps) = join_page_split_rows(rows);
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[0].cells,
            ["杭州市机动车驾驶员考试服务中心", "14,549.64", "12,437.36"]
        );
        assert_eq!(reps.len(), 1);
        // A new row on the next page stays a row.
        let rows = vec![
            row(1, &["201", "一般公共服务支出", "1.00"]),
            row(2, &["", "人大事务", "2.00"]),
        ];
        assert_eq!(join_page_split_rows(rows).0.len(), 2);
    }
}
