//! Tables that run across pages become one table. A fragment continues the
//! table before it when it is the first table on the next page, sits near the
//! top of that page, has no title of its own (or a 续表 mark, or the same
//! title), and has the same column structure (the same number of columns at
//! the same x positions). Its rows are appended; header rows it repeats are
//! then dropped by the header stage, and a cell split by the page break is
//! joined by the wrapped-row stage.

use crate::settings::Settings;
use crate::table::{RawTable, Repair, Span};

/// A table fragment found on one page, with what stitching needs to know.
#[derive(Debug, Clone)]
pub struct Fragment {
    pub raw: RawTable,
    /// Height of the fragment's page.
    pub page_height: f32,
    /// A 续表 mark was printed above it.
    pub continued_mark: bool,
}

fn width(raw: &RawTable) -> usize {
    raw.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
}

/// A row's printed text, whitespace removed, cell by cell.
fn row_text(r: &crate::table::Row) -> Vec<String> {
    r.cells.iter().map(|c| crate::cells::squash(c)).collect()
}

/// `b` opens with a header row that `a` printed among its first rows: the
/// repeated header of a continuation page. Compared as the row's whole text,
/// since a stream grid may cut the same labels into other columns.
fn repeats_header(a: &RawTable, b: &RawTable, rows: usize) -> bool {
    let Some(first) = b.rows.first() else {
        return false;
    };
    let t = row_text(first);
    if t.iter().filter(|c| !c.is_empty()).count() < 2 {
        return false;
    }
    let joined = t.concat();
    a.rows
        .iter()
        .take(rows)
        .any(|r| row_text(r).concat() == joined)
}

/// For each column of `b`'s first region, the column of `a`'s last region
/// that holds its centre; `None` where a centre falls outside `a`'s grid or
/// the order is not kept.
fn column_map(a: &RawTable, b: &RawTable) -> Option<Vec<usize>> {
    let (ra, rb) = (a.regions.last()?, b.regions.first()?);
    let (ea, eb) = (&ra.col_edges, &rb.col_edges);
    let mut map = Vec::new();
    for w in eb.windows(2) {
        let c = (w[0] + w[1]) / 2.0;
        let i = ea.windows(2).position(|v| v[0] <= c && c < v[1])?;
        if map.last().is_some_and(|&last| i < last) {
            return None;
        }
        map.push(i);
    }
    Some(map)
}

/// How `b`'s cells go into `a`'s grid, when `b` continues `a`: `Some(None)`
/// as they are, `Some(Some(map))` through a column map (a stream page whose
/// columns came out otherwise), `None` when the columns do not match.
fn column_fit(
    a: &RawTable,
    b: &RawTable,
    tol: f32,
    outer_factor: f32,
    header_rows: usize,
) -> Option<Option<Vec<usize>>> {
    if width(a) == 0 || width(b) == 0 {
        return None;
    }
    let stream =
        a.method == crate::table::Method::Stream || b.method == crate::table::Method::Stream;
    if width(a) == width(b) && same_edges(a, b, tol, outer_factor) {
        return Some(None);
    }
    if !stream {
        return None;
    }
    let map = column_map(a, b);
    if repeats_header(a, b, header_rows) {
        if width(a) == width(b) {
            return Some(None);
        }
        return map.map(Some);
    }
    // No repeated header: the same columns, each of b's centred in a's.
    match map {
        Some(m) if width(a) == width(b) && m.iter().enumerate().all(|(j, &i)| i == j) => Some(None),
        _ => None,
    }
}

fn same_edges(a: &RawTable, b: &RawTable, tol: f32, outer_factor: f32) -> bool {
    let (Some(ra), Some(rb)) = (a.regions.last(), b.regions.first()) else {
        return true;
    };
    if ra.col_edges.len() != rb.col_edges.len() {
        return false;
    }
    let n = ra.col_edges.len();
    ra.col_edges
        .iter()
        .zip(rb.col_edges.iter())
        .enumerate()
        .all(|(i, (x, y))| {
            let slack = if i == 0 || i + 1 == n {
                tol * outer_factor
            } else {
                tol
            };
            (x - y).abs() <= slack
        })
}

/// Whether `b` continues `a`: `None` if not, else how its cells fit (see
/// [`column_fit`]).
pub fn continues(
    a: &Fragment,
    b: &Fragment,
    first_on_page: bool,
    last_on_page: bool,
    settings: &Settings,
) -> Option<Option<Vec<usize>>> {
    let (Some(ra), Some(rb)) = (a.raw.regions.last(), b.raw.regions.first()) else {
        return None;
    };
    if rb.page != ra.page + 1 || !first_on_page || !last_on_page {
        return None;
    }
    let titled_anew = match (&b.raw.title, &a.raw.title) {
        (None, _) => false,
        (Some(tb), Some(ta)) => tb != ta && !b.continued_mark,
        (Some(_), None) => !b.continued_mark,
    };
    if titled_anew {
        return None;
    }
    let near_top = rb.bbox.y0 <= b.page_height * settings.stitch_top_ratio || b.continued_mark;
    let tol = if a.raw.method == crate::table::Method::Lattice {
        settings.stitch_edge_tolerance
    } else {
        settings.stitch_edge_tolerance * settings.stitch_stream_edge_factor
    };
    if !near_top {
        return None;
    }
    column_fit(
        &a.raw,
        &b.raw,
        tol,
        settings.stitch_outer_edge_factor,
        settings.max_header_rows,
    )
}

/// Cells of a continuation row put into the first page's columns: cells
/// that fall into one column are joined with a space.
fn regrid(cells: &[String], map: &[usize], width: usize) -> Vec<String> {
    let mut out = vec![String::new(); width];
    for (j, c) in cells.iter().enumerate() {
        let Some(slot) = map.get(j).and_then(|&i| out.get_mut(i)) else {
            continue;
        };
        if c.trim().is_empty() {
            continue;
        }
        if !slot.is_empty() {
            slot.push(' ');
        }
        slot.push_str(c.trim());
    }
    out
}

/// Stitch fragments in page order into logical tables.
pub fn stitch(frags: Vec<Fragment>, settings: &Settings) -> Vec<RawTable> {
    // First and last fragment on each page.
    let page_of = |f: &Fragment| f.raw.regions.first().map(|r| r.page).unwrap_or(0);
    let pages: Vec<u32> = frags.iter().map(page_of).collect();
    let mut out: Vec<Fragment> = Vec::new();
    for (i, f) in frags.into_iter().enumerate() {
        let first_on_page = i == 0 || pages.get(i - 1) != pages.get(i);
        // A fragment with a header of its own after a table without one
        // begins a table: its header cannot be told a repeat.
        let fit = out
            .last()
            .filter(|a| !(a.raw.header_rows == Some(0) && f.raw.header_rows.is_some_and(|n| n > 0)))
            .and_then(|a| continues(a, &f, first_on_page, true, settings));
        match (out.last_mut(), fit) {
            (Some(a), Some(map)) => {
                let offset = a.raw.rows.len();
                let from = a.raw.regions.last().map(|r| r.page).unwrap_or(0);
                let to = page_of(&f);
                let wa = width(&a.raw);
                for mut r in f.raw.rows {
                    r.origins = r.origins.iter().map(|o| o + offset).collect();
                    if let Some(m) = &map {
                        r.cells = regrid(&r.cells, m, wa);
                    }
                    a.raw.rows.push(r);
                }
                // Spans of a regridded page are dropped: its header rows
                // repeat the first page's and go with them.
                if map.is_none() {
                    a.raw.spans.extend(f.raw.spans.iter().map(|s| Span {
                        row: s.row + offset,
                        ..*s
                    }));
                }
                a.raw.regions.extend(f.raw.regions);
                a.raw.notes.extend(f.raw.notes);
                for mut rep in f.raw.repairs {
                    rep.row = rep.row.map(|x| x + offset);
                    a.raw.repairs.push(rep);
                }
                a.raw.repairs.push(Repair {
                    kind: "table_continued".into(),
                    page: Some(to),
                    row: Some(offset),
                    detail: format!(
                        "continued from page {from} to page {to}{}",
                        if f.continued_mark { " (续表)" } else { "" }
                    ),
                });
            }
            (_, _) => out.push(f),
        }
    }
    out.into_iter().map(|f| f.raw).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Row;
    use crate::table::{Method, Region};
    use gongkai_extract::Rect;

    fn frag(
        page: u32,
        y0: f32,
        y1: f32,
        rows: &[&[&str]],
        title: Option<&str>,
        edges: &[f32],
    ) -> Fragment {
        let mut raw = RawTable::new(Method::Lattice);
        raw.title = title.map(str::to_string);
        for (i, r) in rows.iter().enumerate() {
            raw.rows.push(Row {
                cells: r.iter().map(|s| s.to_string()).collect(),
                page,
                origins: vec![i],
                y: None,
            });
        }
        raw.regions.push(Region {
            page,
            bbox: Rect {
                x0: 50.0,
                y0,
                x1: 500.0,
                y1,
            },
            col_edges: edges.to_vec(),
            row_edges: vec![],
        });
        Fragment {
            raw,
            page_height: 842.0,
            continued_mark: false,
        }
    }

    #[test]
    fn continued_table_is_one_with_header_once_and_split_cell_joined() {
        let edges = [50.0, 120.0, 400.0, 500.0];
        let a = frag(
            3,
            100.0,
            800.0,
            &[
                &["科目编码", "科目名称", "合计"],
                &["201", "一般公共服务支出", "1.00"],
                &["2010399", "其他政府办公厅（室）及相关", "2.00"],
            ],
            Some("2025年预算支出总表"),
            &edges,
        );
        let b = frag(
            4,
            60.0,
            300.0,
            &[
                &["科目编码", "科目名称", "合计"],
                &["", "机构事务支出", ""],
                &["205", "教育支出", "3.00"],
            ],
            None,
            &[50.5, 121.0, 399.0, 500.0],
        );
        let other = frag(
            4,
            400.0,
            600.0,
            &[&["项目", "金额"], &["合计", "1.00"]],
            Some("另一个表"),
            &[50.0, 300.0, 500.0],
        );
        let s = Settings::default();
        let raws = stitch(vec![a, b, other], &s);
        assert_eq!(raws.len(), 2);
        let t = crate::finish::finish(raws[0].clone(), &s);
        assert_eq!(t.pages, vec![3, 4]);
        assert_eq!(t.header.len(), 1);
        assert_eq!(
            t.rows,
            vec![
                vec!["201", "一般公共服务支出", "1.00"],
                vec!["2010399", "其他政府办公厅（室）及相关机构事务支出", "2.00"],
                vec!["205", "教育支出", "3.00"],
            ]
        );
        assert_eq!(t.row_pages, vec![3, 3, 4]);
        for kind in [
            "table_continued",
            "repeated_header_dropped",
            "split_row_merged",
        ] {
            assert!(t.repairs.iter().any(|r| r.kind == kind), "{kind}");
        }
    }

    #[test]
    fn different_columns_or_a_new_title_do_not_stitch() {
        let s = Settings::default();
        let a = frag(
            1,
            100.0,
            800.0,
            &[&["a", "b", "c"], &["1", "x", "1.00"]],
            Some("表一"),
            &[50.0, 120.0, 400.0, 500.0],
        );
        let b = frag(
            2,
            60.0,
            300.0,
            &[&["a", "b", "c"], &["1", "x", "1.00"]],
            None,
            &[50.0, 200.0, 400.0, 500.0],
        );
        assert_eq!(stitch(vec![a.clone(), b], &s).len(), 2);
        let c = frag(
            2,
            60.0,
            300.0,
            &[&["a", "b", "c"], &["1", "x", "1.00"]],
            Some("表二"),
            &[50.0, 120.0, 400.0, 500.0],
        );
        assert_eq!(stitch(vec![a, c], &s).len(), 2);
    }

    #[test]
    fn a_stream_page_repeating_the_header_continues_despite_its_edges() {
        let s = Settings::default();
        let mut a = frag(
            1,
            100.0,
            800.0,
            &[&["科目编码", "科目名称", "合计"], &["201", "x", "1.00"]],
            Some("表一"),
            &[50.0, 120.0, 400.0, 500.0],
        );
        let mut b = frag(
            2,
            60.0,
            300.0,
            &[&["科目编码", "科目名称", "合计"], &["202", "y", "2.00"]],
            None,
            &[50.0, 200.0, 400.0, 500.0],
        );
        a.raw.method = Method::Stream;
        b.raw.method = Method::Stream;
        assert_eq!(stitch(vec![a.clone(), b.clone()], &s).len(), 1);
        // Without the repeated header, edges still decide.
        b.raw.rows.remove(0);
        assert_eq!(stitch(vec![a, b], &s).len(), 2);
    }

    /// A table whose finder found no header (it began on an earlier page)
    /// is not continued by a fragment with a header of its own: that header
    /// cannot be told a repeat, so the fragment begins a table (its header
    /// never becomes body rows).
    #[test]
    fn a_fragment_with_its_own_header_after_a_headerless_table_begins_a_table() {
        let edges = [50.0, 120.0, 400.0, 500.0];
        let mut a = frag(
            3,
            60.0,
            800.0,
            &[&["201", "一般公共服务支出", "1.00"]],
            None,
            &edges,
        );
        a.raw.header_rows = Some(0);
        let mut b = frag(
            4,
            60.0,
            300.0,
            &[
                &["科目编码", "科目名称", "合计"],
                &["205", "教育支出", "3.00"],
            ],
            None,
            &edges,
        );
        b.raw.header_rows = Some(1);
        let s = Settings::default();
        let both = |a: &Fragment, b: &Fragment| stitch(vec![a.clone(), b.clone()], &s).len();
        assert_eq!(both(&a, &b), 2);
        // With no header on either side it is one table, as before.
        b.raw.header_rows = None;
        assert_eq!(both(&a, &b), 1);
    }
}
