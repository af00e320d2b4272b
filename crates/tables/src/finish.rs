//! From a raw grid (cells as found by lattice, stream or a dump parser) to a
//! [`Table`]: the steps of [`crate::steps::STEPS`] run in order (cell
//! repairs, header rows apart from the body, the column-number row and
//! repeated headers dropped, rows split by a page or wrapped merged), then
//! the repairs are mapped to body rows and header spans kept. All methods
//! share this one path, so a table means the same whatever it came from.

use crate::header::infer_header_spans;
use crate::settings::Settings;
use crate::steps::STEPS;
use crate::table::{RawTable, Repair, Row, Span, Table};

/// What watches the steps: called with the step's name, the table after it
/// and the repairs it made.
pub type Watcher<'a> = &'a mut dyn FnMut(&str, &RawTable, &[Repair]);

/// Repair and structure a raw table.
pub fn finish(raw: RawTable, settings: &Settings) -> Table {
    run_steps(raw, settings, None)
}

/// [`finish`], calling `watch(step, table, repairs)` after each step that
/// changed the table (its rows, header rows or notes) or recorded a repair:
/// what `gongkai inspect --steps` prints.
pub fn finish_watched(raw: RawTable, settings: &Settings, watch: Watcher) -> Table {
    run_steps(raw, settings, Some(watch))
}

/// Run every step in order; only a watcher pays for the before-and-after
/// comparison.
fn run_steps(mut raw: RawTable, settings: &Settings, mut watch: Option<Watcher>) -> Table {
    let mut repairs = std::mem::take(&mut raw.repairs);
    for step in STEPS {
        let before = watch
            .as_ref()
            .map(|_| (raw.rows.clone(), raw.header_rows, raw.notes.len()));
        let made = (step.run)(&mut raw, settings);
        if let (Some(w), Some(before)) = (watch.as_mut(), before) {
            let (rows, header_rows, notes) = before;
            let changed =
                rows != raw.rows || header_rows != raw.header_rows || notes != raw.notes.len();
            if changed || !made.is_empty() {
                w(step.name, &raw, &made);
            }
        }
        repairs.extend(made);
    }
    into_table(raw, repairs)
}

/// The table the steps leave: repairs on raw rows mapped to body rows,
/// spans remapped (or inferred for the header), the pages it covers.
fn into_table(mut raw: RawTable, repairs: Vec<Repair>) -> Table {
    let k = raw.header_len();
    let body = raw.rows.split_off(k);
    let header_rows = raw.rows;
    let mut final_repairs = Vec::with_capacity(repairs.len());
    for mut rep in repairs {
        if let Some(o) = rep.row {
            rep.row = body.iter().position(|r| r.origins.contains(&o));
        }
        final_repairs.push(rep);
    }
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
    Table {
        ocr: !raw.ocr_pages.is_empty(),
        title: raw.title,
        caption: raw.caption,
        notes: raw.notes,
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
