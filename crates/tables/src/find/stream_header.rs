//! Header geometry of stream tables (no cell borders), where the cell a label
//! belongs to must be read from where the label is printed:
//! - a label spanning two header rows is printed centred between them, on a
//!   text line of its own half a row below the labels of the upper row: that
//!   line belongs to the upper row (the top of its span);
//! - a group label is centred over the columns it spans: it takes the
//!   columns (whole child groups from the rows below) that best centre it;
//! - a label with nothing printed under it spans down to the next label.

use crate::pieces::Piece;
use crate::table::Span;

/// Which header lines are rows of vertically centred labels: half-way
/// between the lines above and below (both closer than `max_gap` centre to
/// centre), and clear of both horizontally. Such a line joins the line above.
pub fn centred_lines(centres: &[f32], pieces: &[Vec<Piece>], max_gap: f32) -> Vec<bool> {
    // Half-way: the gaps above and below differ by at most a quarter of the
    // larger (a centred label sits within a point or two of the middle).
    const HALFWAY: f32 = 0.25;
    let n = centres.len().min(pieces.len());
    let mut out = vec![false; n];
    for k in 1..n.saturating_sub(1) {
        if out[k - 1] {
            continue;
        }
        let d1 = centres[k] - centres[k - 1];
        let d2 = centres[k + 1] - centres[k];
        let halfway = d1 > 0.0 && d2 > 0.0 && (d1 - d2).abs() <= HALFWAY * d1.max(d2);
        if halfway
            && d1 <= max_gap
            && d2 <= max_gap
            && disjoint(&pieces[k], &pieces[k - 1])
            && disjoint(&pieces[k], &pieces[k + 1])
            && !starts_wrapped_labels(pieces, k)
        {
            out[k] = true;
        }
    }
    out
}

/// Whether every label on line `k` goes on two lines down, printed directly
/// under it: the first line of a label wrapped over three or more lines in
/// a cell taller than its neighbours' (附属单 / 位上缴 / 收入). Such a line
/// also sits half-way between its neighbours, but it starts a label of the
/// rows below rather than ending one of the row above.
fn starts_wrapped_labels(pieces: &[Vec<Piece>], k: usize) -> bool {
    let (Some(line), Some(below)) = (pieces.get(k), pieces.get(k + 2)) else {
        return false;
    };
    !line.is_empty()
        && line.iter().all(|p| {
            below.iter().any(|q| {
                let (wp, wq) = (p.x1 - p.x0, q.x1 - q.x0);
                let centre_off = ((p.x0 + p.x1) - (q.x0 + q.x1)).abs() / 2.0;
                wp > 0.0
                    && wq > 0.0
                    && centre_off <= WRAP_CENTRE_SHARE * wp.max(wq)
                    && wp.min(wq) >= WRAP_WIDTH_SHARE * wp.max(wq)
            })
        })
}

/// A wrapped label's lines are centred on one axis: within this share of
/// the wider line's width.
const WRAP_CENTRE_SHARE: f32 = 0.15;
/// ... and about as wide as each other (a group label over narrower child
/// labels is not): the narrower at least this share of the wider.
const WRAP_WIDTH_SHARE: f32 = 0.7;

fn disjoint(a: &[Piece], b: &[Piece]) -> bool {
    a.iter()
        .all(|p| b.iter().all(|q| p.x1 <= q.x0 || p.x0 >= q.x1))
}

/// The column a piece sits in: the one it overlaps most, else the nearest.
pub fn best_column(p: &Piece, cols: &[(f32, f32)]) -> usize {
    cols.iter()
        .enumerate()
        .map(|(ci, &(c0, c1))| {
            let ov = p.x1.min(c1) - p.x0.max(c0);
            let dist = if ov > 0.0 {
                0.0
            } else {
                (p.x0 - c1).abs().min((c0 - p.x1).abs())
            };
            (ci, ov, dist)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.2.total_cmp(&a.2)))
        .map(|(ci, ..)| ci)
        .unwrap_or(0)
}

/// The column range (first, last) of every label of every header row
/// (`rows` top to bottom; `cols` the column x ranges, left to right). The
/// lowest row's labels take their own column; a label above takes the
/// groups below it that it overlaps, and the unlabelled groups between it
/// and its neighbours go to whichever side centres both labels best.
pub fn label_columns(rows: &[Vec<Piece>], cols: &[(f32, f32)]) -> Vec<Vec<(usize, usize)>> {
    let n = cols.len();
    let mut out: Vec<Vec<(usize, usize)>> = rows.iter().map(|_| Vec::new()).collect();
    // A column is as wide as its data and its own label (numbers are
    // right-aligned, labels centred).
    let mut cols = cols.to_vec();
    for p in rows.last().into_iter().flatten() {
        let c = best_column(p, &cols);
        if let Some(col) = cols.get_mut(c) {
            col.0 = col.0.min(p.x0);
            col.1 = col.1.max(p.x1);
        }
    }
    let cols = &cols[..];
    if n == 0 || rows.is_empty() {
        return rows
            .iter()
            .map(|r| r.iter().map(|_| (0, 0)).collect())
            .collect();
    }
    // Cell edges: half-way between neighbouring columns.
    let mut edges = Vec::with_capacity(n + 1);
    edges.push(cols[0].0);
    edges.extend(cols.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0));
    edges.push(cols[n - 1].1);
    let cost = |p: &Piece, a: usize, b: usize| -> f32 {
        let (l, r) = (edges[a], edges[(b + 1).min(n)]);
        ((l + r) / 2.0 - (p.x0 + p.x1) / 2.0).abs()
    };
    let last = rows.len() - 1;
    out[last] = rows[last]
        .iter()
        .map(|p| {
            let c = best_column(p, cols);
            (c, c)
        })
        .collect();
    for r in (0..last).rev() {
        // Units: the groups of the rows below (nearest row first), then
        // single columns.
        let mut owner: Vec<Option<usize>> = vec![None; n];
        let mut units: Vec<(usize, usize)> = Vec::new();
        let mut labelled_below = vec![false; n];
        for below in out.iter().skip(r + 1) {
            for &(a, b) in below {
                for l in labelled_below.iter_mut().take(b + 1).skip(a) {
                    *l = true;
                }
                if (a..=b).all(|c| owner[c].is_none()) {
                    for o in owner.iter_mut().take(b + 1).skip(a) {
                        *o = Some(units.len());
                    }
                    units.push((a, b));
                }
            }
        }
        for (c, o) in owner.iter_mut().enumerate() {
            if o.is_none() {
                *o = Some(units.len());
                units.push((c, c));
            }
        }
        units.sort_unstable();
        let extent = |u: (usize, usize)| (cols[u.0].0, cols[u.1].1);
        // A unit under a label of a higher row, or with nothing below it,
        // is nobody's to take by centring.
        let eligible: Vec<bool> = units
            .iter()
            .map(|&u| {
                let (x0, x1) = extent(u);
                let above_free = rows
                    .iter()
                    .take(r)
                    .flatten()
                    .all(|p| p.x1 <= x0 || p.x0 >= x1);
                above_free && (u.0..=u.1).any(|c| labelled_below[c])
            })
            .collect();
        let labels = &rows[r];
        let mut order: Vec<usize> = (0..labels.len()).collect();
        order.sort_by(|&a, &b| labels[a].x0.total_cmp(&labels[b].x0));
        // Units each label overlaps (a unit overlapping two goes to the
        // larger overlap).
        let mut taken: Vec<Option<usize>> = vec![None; units.len()];
        for (ui, &u) in units.iter().enumerate() {
            let (x0, x1) = extent(u);
            let best = order
                .iter()
                .map(|&li| (li, labels[li].x1.min(x1) - labels[li].x0.max(x0)))
                .filter(|&(_, ov)| ov > 0.0)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            taken[ui] = best.map(|(li, _)| li);
        }
        // A label over no unit takes its nearest free one.
        for &li in &order {
            if taken.contains(&Some(li)) {
                continue;
            }
            let p = &labels[li];
            let near = units
                .iter()
                .enumerate()
                .filter(|(ui, _)| taken[*ui].is_none())
                .map(|(ui, &u)| {
                    let (x0, x1) = extent(u);
                    (ui, (p.x0 - x1).abs().min((x0 - p.x1).abs()))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((ui, _)) = near {
                taken[ui] = Some(li);
            }
        }
        let range = |taken: &[Option<usize>], li: usize| -> Option<(usize, usize)> {
            let mine = |(ui, t): (usize, &Option<usize>)| (*t == Some(li)).then(|| units[ui]);
            let first = taken.iter().enumerate().find_map(mine)?;
            let last = taken
                .iter()
                .enumerate()
                .rev()
                .find_map(mine)
                .unwrap_or(first);
            Some((first.0, last.1))
        };
        // Free units between labels go to the side that centres best.
        for _pass in 0..4 {
            let mut changed = false;
            // Neighbouring labels (None = the table's edge).
            let mut sides: Vec<Option<usize>> = vec![None];
            sides.extend(order.iter().map(|&li| Some(li)));
            sides.push(None);
            for w in sides.windows(2) {
                let (la, lb) = (w[0], w[1]);
                let lo = la
                    .and_then(|l| range(&taken, l))
                    .map_or(0, |(_, b)| units.partition_point(|u| u.0 <= b));
                let hi = lb
                    .and_then(|l| range(&taken, l))
                    .map_or(units.len(), |(a, _)| units.partition_point(|u| u.0 < a));
                if lo >= hi {
                    continue;
                }
                let gap: Vec<usize> = (lo..hi).collect();
                let left_run = gap
                    .iter()
                    .take_while(|&&u| eligible[u] && (taken[u].is_none() || taken[u] == la))
                    .count();
                let right_run = gap
                    .iter()
                    .rev()
                    .take_while(|&&u| eligible[u] && (taken[u].is_none() || taken[u] == lb))
                    .count();
                if la.is_none() && lb.is_none() {
                    continue;
                }
                let mut best: Option<(f32, usize, usize)> = None;
                let max_l = if la.is_some() { left_run } else { 0 };
                let max_r = if lb.is_some() { right_run } else { 0 };
                // Between two labels every free unit is one or the other's
                // (at the table's edges a unit may belong to neither).
                let between = la.is_some() && lb.is_some();
                let all_free = left_run + right_run >= gap.len();
                for sl in 0..=max_l {
                    for sr in 0..=max_r {
                        if sl + sr > gap.len()
                            || between && all_free && sl + sr != gap.len()
                            || between && !all_free && (sl != left_run || sr != right_run)
                        {
                            continue;
                        }
                        let mut t = taken.clone();
                        for (k, &u) in gap.iter().enumerate() {
                            if t[u] == la || t[u] == lb {
                                t[u] = None;
                            }
                            if k < sl {
                                t[u] = la;
                            } else if k >= gap.len() - sr {
                                t[u] = lb;
                            }
                        }
                        let mut c = 0.0;
                        for l in [la, lb].into_iter().flatten() {
                            if let (Some((a, b)), Some(p)) = (range(&t, l), labels.get(l)) {
                                c += cost(p, a, b);
                            }
                        }
                        // Costs within a hundredth of a point are a tie: the
                        // first split found is kept.
                        const TIE: f32 = 0.01;
                        if best.is_none_or(|(bc, ..)| c < bc - TIE) {
                            best = Some((c, sl, sr));
                        }
                    }
                }
                if let Some((_, sl, sr)) = best {
                    for (k, &u) in gap.iter().enumerate() {
                        let want = if k < sl {
                            la
                        } else if k >= gap.len() - sr {
                            lb
                        } else if taken[u] == la || taken[u] == lb {
                            None
                        } else {
                            taken[u]
                        };
                        if taken[u] != want {
                            taken[u] = want;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        out[r] = (0..labels.len())
            .map(|li| {
                range(&taken, li).unwrap_or_else(|| {
                    let c = best_column(&labels[li], cols);
                    (c, c)
                })
            })
            .collect();
    }
    out
}

/// Spans of the header cells: each label over its column range, and down
/// over the header rows below that have nothing printed in those columns.
/// `ranges` as from [`label_columns`]; rows are counted from the first
/// header row.
pub fn header_spans(ranges: &[Vec<(usize, usize)>]) -> Vec<Span> {
    let filled = |r: usize, a: usize, b: usize| -> bool {
        ranges
            .get(r)
            .is_some_and(|row| row.iter().any(|&(x, y)| x <= b && y >= a))
    };
    let mut spans = Vec::new();
    for (r, row) in ranges.iter().enumerate() {
        let mut seen: Vec<usize> = Vec::new();
        for &(a, b) in row {
            // Two labels in one cell are one cell.
            if seen.contains(&a) {
                continue;
            }
            seen.push(a);
            let mut rows = 1;
            while r + rows < ranges.len() && !filled(r + rows, a, b) {
                rows += 1;
            }
            if rows > 1 || b > a {
                spans.push(Span {
                    row: r,
                    col: a,
                    rows,
                    cols: b - a + 1,
                });
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(x0: f32, x1: f32, text: &str) -> Piece {
        Piece {
            x0,
            x1,
            text: text.into(),
        }
    }

    /// The 三公 header printed without borders: 公务用车购置及运行维护费 is
    /// centred over six columns, 合计 / 因公出国（境）费 / 公务接待费 span two
    /// rows and sit half-way down, 小计 etc. under the group.
    type Layout = (Vec<f32>, Vec<Vec<Piece>>, Vec<(f32, f32)>);

    fn three_public() -> Layout {
        let centres = vec![109.9, 118.5, 127.1, 144.2];
        let lines = vec![
            vec![piece(430.0, 538.0, "公务用车购置及运行维护费")],
            vec![
                piece(96.0, 114.0, "合计"),
                piece(195.0, 267.0, "因公出国（境）费"),
                piece(714.0, 759.0, "公务接待费"),
            ],
            vec![
                piece(349.0, 367.0, "小计"),
                piece(453.0, 516.0, "公务用车购置费"),
                piece(570.0, 651.0, "公务用车运行维护费"),
            ],
            (0..12)
                .map(|k| {
                    let x = 60.0 + 63.0 * k as f32;
                    piece(x, x + 27.0, if k % 2 == 0 { "预算数" } else { "决算数" })
                })
                .collect(),
        ];
        // Numbers right-aligned: the data columns are narrower than the
        // cells and clear of the labels centred above them.
        let cols = (0..12)
            .map(|k| {
                let x = 60.0 + 63.0 * k as f32;
                (x + 20.0, x + 42.0)
            })
            .collect();
        (centres, lines, cols)
    }

    #[test]
    fn the_first_line_of_a_three_line_label_starts_a_row() {
        // 广州 收入总体情况表: a group band, then 附属单 / 位上缴 / 收入 centred
        // in a cell taller than its neighbours' (事业单 / 位经营 / 收入).
        let lines = vec![
            vec![piece(345.0, 405.0, "财政拨款收入")],
            vec![piece(722.0, 752.0, "附属单")],
            vec![piece(601.0, 631.0, "事业单"), piece(680.0, 710.0, "上级补")],
            vec![
                piece(115.0, 155.0, "单位名称"),
                piece(722.0, 752.0, "位上缴"),
            ],
        ];
        let centres = [129.0, 137.0, 145.0, 153.0];
        let centred = centred_lines(&centres, &lines, 12.0);
        assert!(!centred[1], "{centred:?}");
        // Without its continuation below, the same line ends the row above.
        let mut cut = lines.clone();
        cut[3].pop();
        assert!(centred_lines(&centres, &cut, 12.0)[1]);
    }

    #[test]
    fn labels_centred_between_rows_join_the_row_above() {
        let (centres, lines, _) = three_public();
        assert_eq!(
            centred_lines(&centres, &lines, 12.0),
            vec![false, true, false, false]
        );
        // Lines a full row apart are rows of their own.
        assert_eq!(
            centred_lines(&centres, &lines, 8.0),
            vec![false, false, false, false]
        );
    }

    #[test]
    fn group_labels_take_the_columns_that_centre_them() {
        let (_, lines, cols) = three_public();
        let mut rows = vec![lines[0].clone()];
        rows[0].extend(lines[1].iter().cloned());
        rows.push(lines[2].clone());
        rows.push(lines[3].clone());
        let ranges = label_columns(&rows, &cols);
        // 公务用车购置及运行维护费 over columns 4..=9, 合计 0..=1,
        // 因公出国（境）费 2..=3, 公务接待费 10..=11.
        assert_eq!(ranges[0], vec![(4, 9), (0, 1), (2, 3), (10, 11)]);
        assert_eq!(ranges[1], vec![(4, 5), (6, 7), (8, 9)]);
        assert_eq!(ranges[2].len(), 12);
        let spans = header_spans(&ranges);
        assert!(spans.contains(&Span {
            row: 0,
            col: 0,
            rows: 2,
            cols: 2
        }));
        assert!(spans.contains(&Span {
            row: 0,
            col: 4,
            rows: 1,
            cols: 6
        }));
        assert!(spans.contains(&Span {
            row: 1,
            col: 8,
            rows: 1,
            cols: 2
        }));
    }
}
