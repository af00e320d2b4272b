//! A dump table continued after a form feed is one table with the part
//! before it: the text-dump counterpart of [`crate::stitch`], which joins
//! PDF fragments by geometry.

use crate::table::{RawTable, Repair, Span};

/// A dump table continued after a form feed (no title of its own, or the
/// same title, and no more columns) is one table with the part before it.
pub(super) fn stitch_dump_tables(tables: Vec<RawTable>) -> Vec<RawTable> {
    let width = |r: &RawTable| r.rows.iter().map(|x| x.cells.len()).max().unwrap_or(0);
    let mut out: Vec<RawTable> = Vec::new();
    for t in tables {
        let joins = out.last().is_some_and(|p| {
            let last_page = p.rows.last().map_or(0, |r| r.page);
            let first_page = t.rows.first().map_or(0, |r| r.page);
            let titled_anew = t.title.is_some() && t.title != p.title;
            first_page > last_page && !titled_anew && width(&t) <= width(p) && width(&t) >= 2
        });
        match out.last_mut() {
            Some(p) if joins => {
                let offset = p.rows.len();
                let from = p.rows.last().map_or(0, |r| r.page);
                let to = t.rows.first().map_or(0, |r| r.page);
                for mut r in t.rows {
                    r.origins = r.origins.iter().map(|o| o + offset).collect();
                    p.rows.push(r);
                }
                p.spans.extend(t.spans.iter().map(|s| Span {
                    row: s.row + offset,
                    ..*s
                }));
                p.notes.extend(t.notes);
                for mut rep in t.repairs {
                    rep.row = rep.row.map(|x| x + offset);
                    p.repairs.push(rep);
                }
                p.repairs.push(Repair {
                    kind: "table_continued".into(),
                    page: Some(to),
                    row: Some(offset),
                    detail: format!("continued from page {from} to page {to}"),
                });
            }
            _ => out.push(t),
        }
    }
    out
}
