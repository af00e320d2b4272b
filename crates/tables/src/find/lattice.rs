//! Lattice tables: cells from ruling lines. Rulings are merged where they
//! are collinear (snapped within a tolerance, joined across small gaps), grouped
//! into tables by which lines touch, and the grid is cut at every distinct x of
//! a vertical and y of a horizontal line. A grid boundary that no ruling draws
//! is no boundary: the cells on both sides are one spanning cell, kept as a
//! span. Glyphs go to the cell holding their centre; a cell's lines are joined
//! (no space between CJK, one between Latin). Works the same whether the
//! producer stroked lines (ONLYOFFICE, LibreOffice, Excel), drew hundreds of
//! thin filled rectangles (Word) or filled-rectangle borders (WPS): by this
//! stage all are rulings.

use crate::lines::join_glyphs;
use crate::rows::join_text;
use crate::settings::{Settings, MIN_BOX_HEIGHT};
use crate::table::{Method, RawTable, Region, Row, Span};
use gongkai_extract::{Glyph, Page, Rect, Ruling};

/// A merged horizontal or vertical line: `pos` across, `a..b` along.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub pos: f32,
    pub a: f32,
    pub b: f32,
}

/// Merge rulings of one direction: snap positions within `snap`, then join
/// segments on one position that overlap or are at most `join` apart.
pub fn merge_lines(mut segs: Vec<Line>, snap: f32, join: f32) -> Vec<Line> {
    segs.retain(|l| l.pos.is_finite() && l.a.is_finite() && l.b.is_finite());
    segs.sort_by(|p, q| p.pos.total_cmp(&q.pos));
    // Cluster positions.
    let mut groups: Vec<Vec<Line>> = Vec::new();
    for s in segs {
        match groups.last_mut() {
            Some(g) if g.last().is_some_and(|l| s.pos - l.pos <= snap) => g.push(s),
            _ => groups.push(vec![s]),
        }
    }
    let mut out = Vec::new();
    // A segment of zero length still weighs a little, so the mean position
    // of a group of dots is defined (no division by zero).
    const MIN_WEIGHT: f32 = 0.01;
    for mut g in groups {
        // The longest segment decides where the line is.
        let total: f32 = g.iter().map(|l| (l.b - l.a).max(MIN_WEIGHT)).sum();
        let pos = g
            .iter()
            .map(|l| l.pos * (l.b - l.a).max(MIN_WEIGHT))
            .sum::<f32>()
            / total;
        g.sort_by(|p, q| p.a.total_cmp(&q.a));
        let mut cur: Option<Line> = None;
        for l in g {
            match cur.as_mut() {
                Some(c) if l.a <= c.b + join => c.b = c.b.max(l.b),
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(Line {
                        pos,
                        a: l.a,
                        b: l.b,
                    });
                }
            }
        }
        if let Some(c) = cur {
            out.push(c);
        }
    }
    out
}

fn split_rulings(rulings: &[Ruling], settings: &Settings) -> (Vec<Line>, Vec<Line>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    for r in rulings {
        if r.length() < settings.min_ruling_length {
            continue;
        }
        if r.is_horizontal() {
            h.push(Line {
                pos: (r.y0 + r.y1) / 2.0,
                a: r.x0.min(r.x1),
                b: r.x0.max(r.x1),
            });
        } else {
            v.push(Line {
                pos: (r.x0 + r.x1) / 2.0,
                a: r.y0.min(r.y1),
                b: r.y0.max(r.y1),
            });
        }
    }
    (
        merge_lines(h, settings.snap_tolerance, settings.join_tolerance),
        merge_lines(v, settings.snap_tolerance, settings.join_tolerance),
    )
}

fn touches(h: &Line, v: &Line, tol: f32) -> bool {
    v.pos >= h.a - tol && v.pos <= h.b + tol && h.pos >= v.a - tol && h.pos <= v.b + tol
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Cluster sorted values closer than `tol` into their mean.
fn cluster(mut xs: Vec<f32>, tol: f32) -> Vec<f32> {
    xs.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for x in xs {
        match out.last_mut() {
            Some((m, n)) if x - *m / *n as f32 <= tol => {
                *m += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(m, n)| m / n as f32).collect()
}

/// Whether lines at `pos` (within tol) cover `ratio` of `a..b` or more.
fn drawn(lines: &[&Line], pos: f32, a: f32, b: f32, tol: f32, ratio: f32) -> bool {
    let need = (b - a) * ratio;
    let covered: f32 = lines
        .iter()
        .filter(|l| (l.pos - pos).abs() <= tol)
        .map(|l| (l.b.min(b) - l.a.max(a)).max(0.0))
        .sum();
    covered >= need
}

/// One lattice table found on a page.
#[derive(Debug, Clone)]
pub struct Lattice {
    pub bbox: Rect,
    pub xs: Vec<f32>,
    pub ys: Vec<f32>,
    /// For each grid position, the id of the cell covering it.
    pub owner: Vec<Vec<usize>>,
}

/// Find the ruled grids of a page.
pub fn find_lattices(page: &Page, settings: &Settings) -> Vec<Lattice> {
    let (h, v) = split_rulings(&page.rulings, settings);
    // Merged lines are few on real pages; thousands mean a drawing, not a
    // table, and the pairwise grouping below must stay bounded.
    if h.len() < 2 || v.len() < 2 || h.len() + v.len() > settings.max_lattice_rulings {
        return Vec::new();
    }
    let tol = settings.intersection_tolerance;
    // Group touching lines (union-find over h then v indices).
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, hl) in h.iter().enumerate() {
        for (j, vl) in v.iter().enumerate() {
            if touches(hl, vl, tol) {
                let a = find(&mut parent, i);
                let b = find(&mut parent, h.len() + j);
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect::<Vec<_>>();
    let comp_of = roots.clone();
    roots.sort_unstable();
    roots.dedup();
    let mut out = Vec::new();
    for root in roots {
        let hs: Vec<&Line> = h
            .iter()
            .enumerate()
            .filter(|(i, _)| comp_of[*i] == root)
            .map(|(_, l)| l)
            .collect();
        let vs: Vec<&Line> = v
            .iter()
            .enumerate()
            .filter(|(i, _)| comp_of[h.len() + *i] == root)
            .map(|(_, l)| l)
            .collect();
        if hs.len() < 2 || vs.len() < 2 {
            continue;
        }
        let mut ys = cluster(hs.iter().map(|l| l.pos).collect(), settings.snap_tolerance);
        let xs = cluster(vs.iter().map(|l| l.pos).collect(), settings.snap_tolerance);
        open_edges(&mut ys, &xs, &vs, settings);
        if ys.len() < settings.min_lattice_rows + 1 || xs.len() < settings.min_lattice_cols + 1 {
            continue;
        }
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        // A grid this large is a drawing (or a hostile file), not a table.
        if nr.saturating_mul(nc) > settings.max_lattice_cells {
            continue;
        }
        // Union grid positions not separated by a drawn line (`nr + 1`
        // row and `nc + 1` column lines).
        let x = |i: usize| xs.get(i).copied().unwrap_or(f32::MAX);
        let y = |i: usize| ys.get(i).copied().unwrap_or(f32::MAX);
        let mut cell_parent: Vec<usize> = (0..nr * nc).collect();
        for r in 0..nr {
            for c in 0..nc {
                let id = r * nc + c;
                if c + 1 < nc
                    && !drawn(
                        &vs,
                        x(c + 1),
                        y(r),
                        y(r + 1),
                        tol,
                        settings.edge_drawn_ratio,
                    )
                {
                    let a = find(&mut cell_parent, id);
                    let b = find(&mut cell_parent, id + 1);
                    if a != b {
                        cell_parent[b] = a;
                    }
                }
                if r + 1 < nr
                    && !drawn(
                        &hs,
                        y(r + 1),
                        x(c),
                        x(c + 1),
                        tol,
                        settings.edge_drawn_ratio,
                    )
                {
                    let a = find(&mut cell_parent, id);
                    let b = find(&mut cell_parent, id + nc);
                    if a != b {
                        cell_parent[b] = a;
                    }
                }
            }
        }
        let owner: Vec<Vec<usize>> = (0..nr)
            .map(|r| {
                (0..nc)
                    .map(|c| find(&mut cell_parent, r * nc + c))
                    .collect()
            })
            .collect();
        let (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) =
            (xs.first(), xs.last(), ys.first(), ys.last())
        else {
            continue;
        };
        out.push(Lattice {
            bbox: Rect { x0, y0, x1, y1 },
            xs,
            ys,
            owner,
        });
    }
    out.sort_by(|a, b| {
        a.bbox
            .y0
            .total_cmp(&b.bbox.y0)
            .then(a.bbox.x0.total_cmp(&b.bbox.x0))
    });
    out
}

/// A table row split by a page break is printed without the rule on the
/// break's side: the frame's outer verticals run on past the first (or last)
/// horizontal rule. Their common end closes the grid there, so the row is kept.
fn open_edges(ys: &mut Vec<f32>, xs: &[f32], vs: &[&Line], settings: &Settings) {
    let (Some(&left), Some(&right), Some(&top), Some(&bottom)) =
        (xs.first(), xs.last(), ys.first(), ys.last())
    else {
        return;
    };
    let tol = settings.snap_tolerance;
    let outer = |x: f32| -> Vec<&Line> {
        vs.iter()
            .filter(|l| (l.pos - x).abs() <= tol)
            .copied()
            .collect()
    };
    let (l, r) = (outer(left), outer(right));
    let reach_up = |ls: &[&Line]| ls.iter().map(|v| v.a).fold(f32::MAX, f32::min);
    let reach_down = |ls: &[&Line]| ls.iter().map(|v| v.b).fold(f32::MIN, f32::max);
    let (lu, ru) = (reach_up(&l), reach_up(&r));
    if lu < top - settings.min_ruling_length && (lu - ru).abs() <= tol {
        ys.insert(0, lu.min(ru));
    }
    let (ld, rd) = (reach_down(&l), reach_down(&r));
    if ld > bottom + settings.min_ruling_length && (ld - rd).abs() <= tol {
        ys.push(ld.max(rd));
    }
}

fn interval(edges: &[f32], x: f32) -> Option<usize> {
    if edges.len() < 2 {
        return None;
    }
    let first = *edges.first()?;
    let last = *edges.last()?;
    if x < first || x > last {
        return None;
    }
    let i = edges.partition_point(|&e| e <= x);
    Some(i.saturating_sub(1).min(edges.len() - 2))
}

/// Text of a set of glyphs laid out in one cell: lines top to bottom, joined.
pub fn cell_text(glyphs: &[Glyph], members: &mut [usize], settings: &Settings) -> String {
    members.sort_by(|&a, &b| {
        glyphs[a]
            .bbox
            .center_y()
            .total_cmp(&glyphs[b].bbox.center_y())
            .then(glyphs[a].bbox.x0.total_cmp(&glyphs[b].bbox.x0))
    });
    let mut lines: Vec<(Rect, Vec<usize>)> = Vec::new();
    for &i in members.iter() {
        let g = &glyphs[i];
        let h = g.bbox.height().max(MIN_BOX_HEIGHT);
        match lines.last_mut() {
            Some((bb, m))
                if bb.v_overlap(&g.bbox)
                    >= h.min(bb.height().max(MIN_BOX_HEIGHT)) * settings.line_overlap_ratio =>
            {
                *bb = bb.union(&g.bbox);
                m.push(i);
            }
            _ => lines.push((g.bbox, vec![i])),
        }
    }
    let mut out = String::new();
    for (_, mut m) in lines {
        m.sort_by(|&a, &b| glyphs[a].bbox.x0.total_cmp(&glyphs[b].bbox.x0));
        let t = join_glyphs(glyphs, &m, settings);
        out = join_text(&out, t.trim());
    }
    out
}

/// Build the raw table of one lattice: glyphs into cells, one raw row per
/// grid row that holds any text, spans kept. Returns the table and the
/// indices of the glyphs it used.
pub fn lattice_table(page: &Page, lat: &Lattice, settings: &Settings) -> (RawTable, Vec<usize>) {
    let nr = lat.ys.len().saturating_sub(1);
    let nc = lat.xs.len().saturating_sub(1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); nr * nc];
    let mut used = Vec::new();
    let pad = settings.cell_padding;
    for (i, g) in page.glyphs.iter().enumerate() {
        if !g.visible || g.text.trim().is_empty() || !g.bbox.is_finite() {
            continue;
        }
        let (cx, cy) = (g.bbox.center_x(), g.bbox.center_y());
        if cx < lat.bbox.x0 - pad
            || cx > lat.bbox.x1 + pad
            || cy < lat.bbox.y0 - pad
            || cy > lat.bbox.y1 + pad
        {
            continue;
        }
        let (Some(r), Some(c)) = (
            interval(&lat.ys, cy.clamp(lat.bbox.y0, lat.bbox.y1)),
            interval(&lat.xs, cx.clamp(lat.bbox.x0, lat.bbox.x1)),
        ) else {
            continue;
        };
        let owner = lat
            .owner
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(r * nc + c);
        if let Some(m) = members.get_mut(owner) {
            m.push(i);
            used.push(i);
        }
    }
    let mut texts: Vec<String> = vec![String::new(); nr * nc];
    for (id, m) in members.iter_mut().enumerate() {
        if !m.is_empty() {
            texts[id] = cell_text(&page.glyphs, m, settings);
        }
    }
    // Top-left position and extent of each cell id.
    let mut extent: Vec<Option<(usize, usize, usize, usize)>> = vec![None; nr * nc];
    for r in 0..nr {
        for c in 0..nc {
            let id = lat.owner[r][c];
            let e = extent[id].get_or_insert((r, c, r, c));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
        }
    }
    // Narrow columns that never hold text are border artefacts (double
    // lines, thin spacer columns): drop them. Wide empty columns are data.
    let keep_col: Vec<bool> = (0..nc)
        .map(|c| {
            lat.xs
                .get(c + 1)
                .zip(lat.xs.get(c))
                .is_some_and(|(b, a)| b - a >= settings.min_empty_column_width)
                || (0..nr).any(|r| {
                    let id = lat.owner[r][c];
                    extent[id].is_some_and(|e| e.1 == c) && !texts[id].is_empty()
                })
        })
        .collect();
    let col_map: Vec<Option<usize>> = {
        let mut k = 0;
        keep_col
            .iter()
            .map(|&keep| {
                if keep {
                    k += 1;
                    Some(k - 1)
                } else {
                    None
                }
            })
            .collect()
    };
    let mut raw = RawTable::new(Method::Lattice);
    let mut row_edges = Vec::new();
    for r in 0..nr {
        let row_has_text = (0..nc).any(|c| {
            let id = lat.owner[r][c];
            extent[id].is_some_and(|e| e.0 == r) && !texts[id].is_empty()
        });
        if !row_has_text {
            continue;
        }
        let mut cells = vec![String::new(); keep_col.iter().filter(|k| **k).count()];
        for c in 0..nc {
            let id = lat.owner[r][c];
            let Some(e) = extent[id] else { continue };
            if e.0 != r || e.1 != c {
                continue;
            }
            // A cell whose start column was dropped lands in the next kept one.
            let Some(cc) = (c..=e.3).find_map(|x| col_map.get(x).copied().flatten()) else {
                continue;
            };
            if let Some(x) = cells.get_mut(cc) {
                *x = texts[id].clone();
            }
            let last_cc = (c..=e.3)
                .rev()
                .find_map(|x| col_map.get(x).copied().flatten())
                .unwrap_or(cc);
            if e.2 > e.0 || last_cc > cc {
                raw.spans.push(Span {
                    row: r,
                    col: cc,
                    rows: e.2 - e.0 + 1,
                    cols: last_cc - cc + 1,
                });
            }
        }
        raw.rows.push(Row {
            cells,
            page: page.number,
            origins: vec![r],
            y: Some((lat.ys[r], lat.ys[r + 1])),
        });
        row_edges.push(lat.ys[r]);
    }
    // Origins are grid rows; spans refer to grid rows: make origins the raw
    // row index but keep the grid row for span mapping.
    let grid_rows: Vec<usize> = raw.rows.iter().map(|r| r.origins[0]).collect();
    for (i, row) in raw.rows.iter_mut().enumerate() {
        row.origins = vec![i];
    }
    raw.spans = raw
        .spans
        .iter()
        .filter_map(|s| {
            let top = grid_rows.iter().position(|&g| g == s.row)?;
            let bottom = grid_rows
                .iter()
                .rposition(|&g| g < s.row + s.rows)
                .unwrap_or(top);
            Some(Span {
                row: top,
                rows: bottom.saturating_sub(top) + 1,
                ..*s
            })
        })
        .filter(|s| s.rows > 1 || s.cols > 1)
        .collect();
    row_edges.push(lat.bbox.y1);
    raw.regions.push(Region {
        page: page.number,
        bbox: lat.bbox,
        col_edges: lat
            .xs
            .iter()
            .enumerate()
            .filter(|(i, _)| *i == nc || keep_col.get(*i).copied().unwrap_or(false))
            .map(|(_, &x)| x)
            .collect(),
        row_edges,
    });
    (raw, used)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use gongkai_extract::RulingSource;

    pub fn glyphs_of(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        let mut cur = x;
        text.chars()
            .map(|c| {
                let w = if c.is_ascii() { size * 0.5 } else { size };
                let x0 = cur;
                cur += w;
                Glyph {
                    text: c.to_string(),
                    bbox: Rect {
                        x0,
                        y0: y,
                        x1: x0 + w,
                        y1: y + size,
                    },
                    font: "F".into(),
                    size,
                    render_mode: 0,
                    fill: [0.0; 3],
                    visible: true,
                    direction: Default::default(),
                }
            })
            .collect()
    }

    pub fn hline(y: f32, x0: f32, x1: f32, source: RulingSource) -> Ruling {
        Ruling {
            x0,
            y0: y,
            x1,
            y1: y,
            width: 0.5,
            source,
        }
    }
    pub fn vline(x: f32, y0: f32, y1: f32, source: RulingSource) -> Ruling {
        Ruling {
            x0: x,
            y0,
            x1: x,
            y1,
            width: 0.5,
            source,
        }
    }

    /// A 3-row grid with a header cell spanning two columns, drawn as whole
    /// stroked lines, with a near-miss vertical (1.5pt off).
    fn page_with_grid(per_cell_segments: bool) -> Page {
        let xs = [50.0, 150.0, 250.0, 350.0];
        let ys = [100.0, 120.0, 140.0, 160.0];
        let mut rulings = Vec::new();
        let src = if per_cell_segments {
            RulingSource::FilledRect
        } else {
            RulingSource::Stroke
        };
        for (ri, &y) in ys.iter().enumerate() {
            if per_cell_segments {
                for w in xs.windows(2) {
                    rulings.push(hline(y, w[0], w[1], src));
                }
            } else {
                let _ = ri;
                rulings.push(hline(y, 50.0, 350.0, src));
            }
        }
        for (ci, &x) in xs.iter().enumerate() {
            for w in ys.windows(2) {
                // The header row has no line between columns 1 and 2 (a span).
                if ci == 2 && w[0] == 100.0 {
                    continue;
                }
                let x = if ci == 1 { x + 1.5 } else { x };
                if per_cell_segments {
                    rulings.push(vline(x, w[0], w[1], src));
                }
            }
            if !per_cell_segments {
                let y0 = if ci == 2 { 120.0 } else { 100.0 };
                let x = if ci == 1 { x + 1.5 } else { x };
                rulings.push(vline(x, y0, 160.0, src));
            }
        }
        let mut glyphs = Vec::new();
        glyphs.extend(glyphs_of("项目", 60.0, 104.0, 10.0));
        glyphs.extend(glyphs_of("2025年预算数", 200.0, 104.0, 10.0));
        glyphs.extend(glyphs_of("科目名称", 60.0, 124.0, 10.0));
        glyphs.extend(glyphs_of("基本支出", 160.0, 124.0, 10.0));
        glyphs.extend(glyphs_of("项目支出", 260.0, 124.0, 10.0));
        glyphs.extend(glyphs_of("一般公共", 60.0, 141.0, 8.0));
        glyphs.extend(glyphs_of("服务支出", 60.0, 150.0, 8.0));
        glyphs.extend(glyphs_of("1.09", 200.0, 144.0, 10.0));
        glyphs.extend(glyphs_of("2.00", 300.0, 144.0, 10.0));
        Page {
            number: 1,
            width: 400.0,
            height: 600.0,
            glyphs,
            rulings,
            ..Page::default()
        }
    }

    #[test]
    fn lattice_from_stroked_lines_with_span_and_near_miss() {
        for per_cell in [false, true] {
            let page = page_with_grid(per_cell);
            let s = Settings::default();
            let lats = find_lattices(&page, &s);
            assert_eq!(lats.len(), 1, "per_cell {per_cell}");
            assert_eq!(lats[0].xs.len(), 4);
            let (raw, used) = lattice_table(&page, &lats[0], &s);
            assert_eq!(used.len(), page.glyphs.len());
            assert_eq!(raw.rows.len(), 3);
            assert_eq!(raw.rows[0].cells, vec!["项目", "2025年预算数", ""]);
            assert_eq!(raw.rows[2].cells, vec!["一般公共服务支出", "1.09", "2.00"]);
            assert_eq!(
                raw.spans,
                vec![Span {
                    row: 0,
                    col: 1,
                    rows: 1,
                    cols: 2
                }]
            );
            let t = crate::finish::finish(raw, &s);
            assert_eq!(t.header.len(), 2);
            assert_eq!(t.rows, vec![vec!["一般公共服务支出", "1.09", "2.00"]]);
            assert_eq!(
                t.spans,
                vec![Span {
                    row: 0,
                    col: 1,
                    rows: 1,
                    cols: 2
                }]
            );
        }
    }

    /// The continuation of a performance sheet (sample 23 p25): the first
    /// row was split by the page break, so no rule is drawn above it, yet
    /// the verticals run up to the page's top margin.
    #[test]
    fn a_row_open_at_the_page_break_is_kept() {
        let src = RulingSource::Stroke;
        let xs = [46.0, 141.0, 202.0, 303.0];
        let mut rulings = vec![
            hline(62.6, 46.0, 303.0, src),
            hline(79.9, 46.0, 303.0, src),
            hline(97.1, 46.0, 303.0, src),
        ];
        for x in xs {
            rulings.push(vline(x, 45.0, 97.1, src));
        }
        let mut glyphs = Vec::new();
        glyphs.extend(glyphs_of("调研报告合格率", 205.0, 48.0, 9.9));
        glyphs.extend(glyphs_of("质量指标", 144.0, 65.0, 9.9));
        glyphs.extend(glyphs_of("培训组织合格率", 205.0, 65.0, 9.9));
        glyphs.extend(glyphs_of("核查资料合格率", 205.0, 82.0, 9.9));
        let page = Page {
            number: 25,
            width: 595.0,
            height: 842.0,
            glyphs,
            rulings,
            ..Page::default()
        };
        let s = Settings::default();
        let lats = find_lattices(&page, &s);
        assert_eq!(lats.len(), 1);
        assert_eq!(lats[0].ys.len(), 4);
        let (raw, used) = lattice_table(&page, &lats[0], &s);
        assert_eq!(used.len(), page.glyphs.len());
        assert_eq!(raw.rows[0].cells, vec!["", "", "调研报告合格率"]);
        assert_eq!(raw.rows[2].cells, vec!["", "", "核查资料合格率"]);
    }

    #[test]
    fn a_huge_grid_is_not_a_table_and_costs_little() {
        let mut rulings = Vec::new();
        for i in 0..1500 {
            let p = 10.0 + i as f32 * 0.5;
            rulings.push(hline(p * 4.0, 0.0, 3000.0, RulingSource::Stroke));
            rulings.push(vline(p * 2.0, 0.0, 6000.0, RulingSource::Stroke));
        }
        let page = Page {
            number: 1,
            width: 3000.0,
            height: 6000.0,
            rulings,
            ..Page::default()
        };
        assert!(find_lattices(&page, &Settings::default()).is_empty());
    }

    #[test]
    fn collinear_segments_merge_and_gaps_stay() {
        let segs = vec![
            Line {
                pos: 10.0,
                a: 0.0,
                b: 50.0,
            },
            Line {
                pos: 10.5,
                a: 51.0,
                b: 100.0,
            },
            Line {
                pos: 10.0,
                a: 120.0,
                b: 150.0,
            },
        ];
        let m = merge_lines(segs, 1.0, 2.0);
        assert_eq!(m.len(), 2);
        assert!((m[0].b - 100.0).abs() < 1e-3);
    }
}
