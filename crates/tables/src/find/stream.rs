//! Stream tables: tables with no ruling lines, or only horizontal ones (the
//! 三线表 style). Text lines become rows (rows from baselines); a line splits
//! into cells where the gap between glyphs is wide; columns come from where
//! the cells of the data lines sit across rows: an x range no data cell covers
//! separates two columns, which works for left-aligned names and
//! right-aligned numbers alike. Header lines above the first data line and
//! wrapped name lines inside the table are kept for the header and row stages.

use crate::captions::{is_caption_like, is_note_start, is_title_like};
use crate::cells::is_amount;
use crate::find::centred_rows::{group_rows, is_centred_row, tall_cells};
use crate::find::stream_header::{best_column, centred_lines, header_spans, label_columns};
use crate::furniture::is_page_number;
use crate::lines::{text_lines, TextLine};
use crate::pieces::{pieces, split_pieces, Piece, TOUCH};
use crate::rows::join_text;
use crate::settings::Settings;
use crate::table::{Method, RawTable, Region, Repair, Row, Span, SPLIT_ROW_MERGED};
use gongkai_extract::{Page, Rect};

fn is_data_line(p: &[Piece]) -> bool {
    let texts: Vec<String> = p.iter().map(|x| x.text.clone()).collect();
    // The column-number row (栏次 1 2 3 …) is numbers too, but centred under
    // the labels: it belongs with the header.
    // Running text cut at a year ("上海市 XX 局 2024 年度…。") is not a row.
    p.len() >= 2
        && p.iter().any(|x| is_amount(&x.text))
        && !crate::cells::is_column_number_row(&texts)
        && !p.iter().any(|x| crate::cells::has_prose_marks(&x.text))
}

fn is_stop_line(text: &str) -> bool {
    is_title_like(text) || is_caption_like(text) || is_note_start(text)
}

/// Find stream tables among the glyphs not `taken` by lattice tables.
/// Returns each table and the glyph indices it used.
pub fn stream_tables(
    page: &Page,
    taken: &[bool],
    settings: &Settings,
) -> Vec<(RawTable, Vec<usize>)> {
    // A copy of the page with only the free glyphs, and the map back.
    let free: Vec<usize> = (0..page.glyphs.len())
        .filter(|&i| !taken.get(i).copied().unwrap_or(false))
        .collect();
    let sub = Page {
        glyphs: free
            .iter()
            .filter_map(|&i| page.glyphs.get(i).cloned())
            .collect(),
        rulings: Vec::new(),
        ..page.clone()
    };
    // Page numbers ("— 6 —") are furniture, never rows.
    let lines: Vec<TextLine> = text_lines(&sub, settings)
        .into_iter()
        .filter(|l| !is_page_number(&l.text))
        .collect();
    let cells: Vec<Vec<Piece>> = lines.iter().map(|l| pieces(&sub, l, settings)).collect();
    let mut pitches: Vec<f32> = lines
        .windows(2)
        .map(|w| w[1].bbox.center_y() - w[0].bbox.center_y())
        .filter(|d| *d > TOUCH)
        .collect();
    pitches.sort_by(f32::total_cmp);
    let pitch = pitches
        .get(pitches.len() / 2)
        .copied()
        .unwrap_or(settings.default_line_pitch)
        .max(settings.min_line_pitch);
    let max_gap = pitch * settings.max_row_gap_ratio;

    let mut out = Vec::new();
    let mut i = 0;
    let mut prev_end = 0;
    while i < lines.len() {
        if !cells.get(i).is_some_and(|c| is_data_line(c)) {
            i += 1;
            continue;
        }
        // The first data line may be the centred cells of a row whose
        // wrapped label begins on the line above: the row starts there.
        if i > prev_end && i + 1 < lines.len() {
            let line = |k: usize| (&lines[k], cells[k].as_slice());
            if is_centred_row(line(i - 1), line(i), line(i + 1), settings) {
                i -= 1;
            }
        }
        // Extend down over data lines and short wrapped lines.
        let mut last = i;
        let mut data = usize::from(is_data_line(&cells[i]));
        let mut j = i + 1;
        while j < lines.len() {
            let gap = lines[j].bbox.y0 - lines[j - 1].bbox.y1;
            if gap > max_gap || is_stop_line(&lines[j].text) {
                break;
            }
            let c = &cells[j];
            if is_data_line(c) {
                data += 1;
                last = j;
            } else if c.len() <= 2
                && lines
                    .get(j)
                    .is_some_and(|l| l.text.chars().count() <= settings.stream_max_text_line_chars)
                || c.len() >= 2
            {
                last = j;
            } else {
                break;
            }
            j += 1;
        }
        // ... or the amounts of a tall cell, whose label begins lines above,
        // and its text column (centred too) above that.
        let tall = tall_cells(&lines, &cells, prev_end, i, last, settings);
        // A tall cell's amounts are a row even where running text beside
        // them (a 绩效目标 column) makes their line no data line.
        data += tall
            .iter()
            .filter(|t| !cells.get(t.amounts).is_some_and(|c| is_data_line(c)))
            .count();
        if let Some(top) = tall.first().map(|t| t.top).filter(|&top| top < i) {
            i = top;
        }
        // Lines above the first row that print only right of the amounts
        // are its text column's (running text centred beside it, as the
        // amounts are): the row's, not the header's.
        let right = (i..=last)
            .filter_map(|k| cells.get(k))
            .flatten()
            .filter(|p| is_amount(&p.text))
            .map(|p| p.x1)
            .fold(f32::MIN, f32::max);
        while i > prev_end {
            let (Some(below), Some(above), Some(c)) =
                (lines.get(i), lines.get(i - 1), cells.get(i - 1))
            else {
                break;
            };
            if below.bbox.y0 - above.bbox.y1 > max_gap
                || c.is_empty()
                || c.iter().any(|p| p.x0 < right)
            {
                break;
            }
            i -= 1;
        }
        // Header lines above, up to `max_header_rows` body rows high:
        // counted in height, not lines, since labels centred in cells of
        // different heights print on lines half a row apart.
        let mut start = i;
        let header_room = pitch * (settings.max_header_rows as f32 + 0.5);
        while start > prev_end {
            let k = start - 1;
            let (Some(first), Some(line), Some(below), Some(c)) =
                (lines.get(i), lines.get(k), lines.get(start), cells.get(k))
            else {
                break;
            };
            if first.bbox.y0 - line.bbox.y0 > header_room
                || below.bbox.y0 - line.bbox.y1 > max_gap
                || is_stop_line(&line.text)
                || crate::cells::has_prose_marks(&line.text)
                || c.iter().any(|p| crate::header::is_data_amount(&p.text))
            {
                break;
            }
            start = k;
        }
        let header_cells = (start..i).any(|k| cells.get(k).is_some_and(|c| c.len() >= 2));
        if data < settings.min_stream_rows && !header_cells {
            i = last + 1;
            continue;
        }
        // Trailing non-data lines that look like prose are not the table's.
        while last > i && !is_data_line(&cells[last]) && cells[last].len() < 2 {
            let t = &lines[last].text;
            if t.chars().count() > settings.stream_max_text_line_chars || t.contains('。') {
                last -= 1;
            } else {
                break;
            }
        }
        // Body rows: a line each, but the three lines of a centred row
        // together.
        let groups = group_rows(&lines, &cells, i, last, settings);
        // Columns from the data lines, and from the wrapped labels of
        // centred rows (as wide as their cells).
        let mut spans: Vec<(f32, f32, bool)> = Vec::new();
        for ks in &groups {
            for k in ks {
                let Some(c) = cells.get(*k) else { continue };
                if ks.len() > 1 || is_data_line(c) {
                    spans.extend(c.iter().map(|p| (p.x0, p.x1, is_amount(&p.text))));
                }
            }
        }
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Spans that overlap are one column; spans that only touch are one
        // column unless an amount column meets a text one (a right-aligned
        // amount against a left-aligned text cell: 0.00|打印机…).
        let mut cols: Vec<(f32, f32)> = Vec::new();
        let mut amounts: Vec<bool> = Vec::new();
        for (a, b, amount) in spans {
            match (cols.last_mut(), amounts.last_mut()) {
                (Some(c), Some(am))
                    if a < c.1
                        || a <= c.1
                            + settings
                                .column_merge_tolerance
                                .min(settings.span_merge_tolerance)
                            && *am == amount =>
                {
                    c.1 = c.1.max(b);
                    *am = *am && amount;
                }
                _ => {
                    cols.push((a, b));
                    amounts.push(amount);
                }
            }
        }
        // Columns empty in every data line still have a label in the header:
        // a header piece clear of every data column is a column of its own.
        let data_cols = cols.clone();
        // The lowest line of labels (above any 栏次 row), and a line of
        // labels centred between it and the line above (spanning down to it).
        let label_lines: Vec<usize> = (start..i)
            .filter(|&k| {
                let texts: Vec<String> = cells[k].iter().map(|p| p.text.clone()).collect();
                !crate::cells::is_column_number_row(&texts)
            })
            .collect();
        let centred = centred_lines(
            &label_lines
                .iter()
                .map(|&k| lines[k].bbox.center_y())
                .collect::<Vec<_>>(),
            &label_lines
                .iter()
                .map(|&k| cells[k].clone())
                .collect::<Vec<_>>(),
            pitch * settings.centred_label_max_pitch_ratio,
        );
        let mut lowest_labels: Vec<usize> = label_lines.last().copied().into_iter().collect();
        if label_lines.len() >= 2 && centred.get(label_lines.len() - 2) == Some(&true) {
            lowest_labels.extend(label_lines.get(label_lines.len() - 2));
        }
        // Each data column's label: the leaf header label nearest to it.
        let leaf_labels: Vec<(usize, usize)> = (start..i)
            .flat_map(|k| (0..cells.get(k).map_or(0, Vec::len)).map(move |pj| (k, pj)))
            .filter(|&(k, pj)| {
                let Some(p) = cells.get(k).and_then(|c| c.get(pj)) else {
                    return false;
                };
                cells
                    .iter()
                    .take(i)
                    .skip(k + 1)
                    .flatten()
                    .all(|q| q.x1 <= p.x0 || q.x0 >= p.x1)
            })
            .collect();
        let claims: Vec<Option<(usize, usize)>> = data_cols
            .iter()
            .map(|&(c0, c1)| {
                leaf_labels
                    .iter()
                    .filter_map(|&(k, pj)| {
                        let p = cells.get(k)?.get(pj)?;
                        let dist = (p.x0 - c1).max(c0 - p.x1).max(0.0);
                        let off = ((p.x0 + p.x1) / 2.0 - (c0 + c1) / 2.0).abs();
                        Some(((k, pj), dist, off))
                    })
                    .min_by(|a, b| a.1.total_cmp(&b.1).then(a.2.total_cmp(&b.2)))
                    .map(|(kp, ..)| kp)
            })
            .collect();
        for k in start..i {
            for (pj, p) in cells.get(k).into_iter().flatten().enumerate() {
                let gap = settings.header_column_min_gap;
                let clear = cols
                    .iter()
                    .all(|&(c0, c1)| p.x1 <= c0 - gap || p.x0 >= c1 + gap);
                // Only a leaf label (nothing printed under it before the
                // data) marks a column; a label over a group does not.
                let leaf = cells
                    .iter()
                    .take(i)
                    .skip(k + 1)
                    .flatten()
                    .all(|q| q.x1 <= p.x0 || q.x0 >= p.x1);
                // A group label centred over the two data columns beside it.
                let mid = (p.x0 + p.x1) / 2.0;
                let centred_over_neighbours = cols.windows(2).any(|w| {
                    w[0].1 <= p.x0
                        && w[1].0 >= p.x1
                        && ((w[0].0 + w[1].1) / 2.0 - mid).abs() <= (p.x1 - p.x0) / 2.0
                });
                // Closer than that, a label clear of the data columns is
                // still a column of its own when no data column has it as
                // its label: each data column keeps its nearest label.
                let near_clear = data_cols
                    .iter()
                    .all(|&(c0, c1)| p.x1 <= c0 - TOUCH || p.x0 >= c1 + TOUCH);
                // Only a label reaching down to the lowest label row: a label
                // higher up with nothing under it is a group label (收入 over
                // 项目 行次 金额), not a column of its own.
                let unclaimed =
                    near_clear && lowest_labels.contains(&k) && !claims.contains(&Some((k, pj)));
                // Between two data columns labelled on its own level it is
                // their sibling, not their parent (合计 | 基本支出 | 项目支出).
                let between_siblings = data_cols.windows(2).zip(claims.windows(2)).any(|(w, c)| {
                    w[0].1 <= p.x0
                        && w[1].0 >= p.x1
                        && c.iter()
                            .all(|c| c.is_some_and(|(kk, _)| lowest_labels.contains(&kk)))
                });
                if leaf
                    && (clear && !centred_over_neighbours
                        || unclaimed && (!centred_over_neighbours || between_siblings))
                {
                    cols.push((p.x0, p.x1));
                }
            }
        }
        cols.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f32, f32)> = Vec::new();
        for (a, b) in cols {
            match merged.last_mut() {
                Some(c) if a <= c.1 => c.1 = c.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let cols = merged;
        if cols.len() < 2 {
            i = last + 1;
            continue;
        }
        // Header labels printed close together: split them where a gap falls
        // between two data columns.
        let cuts: Vec<(f32, f32)> = cols.windows(2).map(|w| (w[0].1, w[1].0)).collect();
        let mut cells = cells.clone();
        for k in start..i {
            if let (Some(slot), Some(l)) = (cells.get_mut(k), lines.get(k)) {
                *slot = split_pieces(&sub, l, settings, &cuts);
            }
        }
        let mut raw = RawTable::new(Method::Stream);
        let header = header_rows(&lines, &cells, start, i, pitch, &cols, settings);
        raw.spans = header.spans;
        // The finder knows its header rows (its header may be taller in
        // grid rows than `max_header_rows` when labels are centred in cells
        // of different heights).
        raw.header_rows = Some(header.rows.len());
        // A centred row's label parts join in reading order.
        for (n, ks) in groups.iter().enumerate() {
            if let [top, _, .., bottom] = ks.as_slice() {
                raw.repairs.push(Repair {
                    kind: SPLIT_ROW_MERGED.into(),
                    page: Some(page.number),
                    row: Some(header.rows.len() + n),
                    detail: format!(
                        "label \"{}\" + \"{}\" wrapped around the row's centred cells",
                        lines.get(*top).map_or("", |l| l.text.as_str()),
                        lines.get(*bottom).map_or("", |l| l.text.as_str())
                    ),
                });
            }
        }
        let body = groups.into_iter().map(|ks| {
            let placed = ks
                .iter()
                .flat_map(|&k| cells[k].iter())
                .map(|p| (best_column(p, &cols), p.text.as_str()))
                .collect::<Vec<_>>();
            (ks, placed)
        });
        let header_rows = header.rows.iter().map(|(ks, placed)| {
            let placed = placed
                .iter()
                .map(|(c, t)| (*c, t.as_str()))
                .collect::<Vec<_>>();
            (ks.clone(), placed)
        });
        let used = lay_rows(
            &mut raw,
            page,
            &lines,
            &free,
            &cols,
            header_rows.chain(body),
        );
        out.push((raw, used));
        prev_end = last + 1;
        i = last + 1;
    }
    let mut used_glyph = vec![false; page.glyphs.len()];
    for (_, used) in &out {
        for &u in used {
            if let Some(x) = used_glyph.get_mut(u) {
                *x = true;
            }
        }
    }
    let taken_lines: Vec<bool> = lines
        .iter()
        .map(|l| {
            l.glyphs.iter().any(|g| {
                free.get(*g)
                    .is_some_and(|&x| used_glyph.get(x).copied().unwrap_or(false))
            })
        })
        .collect();
    out.extend(empty_tables(
        page,
        &sub,
        &free,
        &lines,
        &cells,
        &taken_lines,
        max_gap,
        pitch,
        settings,
    ));
    out.sort_by(|a, b| {
        let ya = a.0.regions.first().map_or(0.0, |r| r.bbox.y0);
        let yb = b.0.regions.first().map_or(0.0, |r| r.bbox.y0);
        ya.total_cmp(&yb)
    });
    out
}

/// Header lines grouped into rows (a line of labels centred between two
/// rows joins the row above), each label placed in the first column of its
/// range, and the spans those ranges give.
/// One header row: the lines it was made of and (column, text) of its labels.
type HeaderRow = (Vec<usize>, Vec<(usize, String)>);

struct HeaderRows {
    /// Per row: the lines it was made of and (column, text) of its labels.
    rows: Vec<HeaderRow>,
    spans: Vec<Span>,
}

fn header_rows(
    lines: &[TextLine],
    cells: &[Vec<Piece>],
    start: usize,
    end: usize,
    pitch: f32,
    cols: &[(f32, f32)],
    settings: &Settings,
) -> HeaderRows {
    let mut ks: Vec<usize> = (start..end.min(lines.len()).min(cells.len())).collect();
    // The column-number row (栏次 1 2 …) under the labels is no label row:
    // its numbers sit in their own columns.
    let mut numbers = Vec::new();
    while let Some(&k) = ks.last() {
        let texts: Vec<String> = cells[k].iter().map(|p| p.text.clone()).collect();
        if ks.len() > 1 && crate::cells::is_column_number_row(&texts) {
            numbers.insert(0, k);
            ks.pop();
        } else {
            break;
        }
    }
    let centres: Vec<f32> = ks.iter().map(|&k| lines[k].bbox.center_y()).collect();
    let pieces: Vec<Vec<Piece>> = ks.iter().map(|&k| cells[k].clone()).collect();
    let centred = centred_lines(
        &centres,
        &pieces,
        pitch * settings.centred_label_max_pitch_ratio,
    );
    let mut groups: Vec<(Vec<usize>, Vec<Piece>)> = Vec::new();
    for (j, &k) in ks.iter().enumerate() {
        match groups.last_mut() {
            Some((g, ps)) if centred.get(j).copied().unwrap_or(false) => {
                g.push(k);
                ps.extend(cells[k].iter().cloned());
            }
            _ => groups.push((vec![k], cells[k].clone())),
        }
    }
    let group_pieces: Vec<Vec<Piece>> = groups.iter().map(|(_, ps)| ps.clone()).collect();
    let ranges = label_columns(&group_pieces, cols);
    let spans = if groups.len() > 1 {
        header_spans(&ranges)
    } else {
        Vec::new()
    };
    let mut rows: Vec<HeaderRow> = groups
        .into_iter()
        .zip(ranges)
        .map(|((g, ps), rs)| {
            let placed = ps
                .into_iter()
                .zip(rs)
                .map(|(p, (a, _))| (a, p.text))
                .collect();
            (g, placed)
        })
        .collect();
    for k in numbers {
        let placed = cells[k]
            .iter()
            .map(|p| (best_column(p, cols), p.text.clone()))
            .collect();
        rows.push((vec![k], placed));
    }
    HeaderRows { rows, spans }
}

/// Tables with no data: header lines of two or more cells, then a total line
/// with nothing in it ("合计" alone, as an empty 政府性基金 table prints).
#[allow(clippy::too_many_arguments)]
fn empty_tables(
    page: &Page,
    sub: &Page,
    free: &[usize],
    lines: &[TextLine],
    cells: &[Vec<Piece>],
    taken: &[bool],
    max_gap: f32,
    pitch: f32,
    settings: &Settings,
) -> Vec<(RawTable, Vec<usize>)> {
    let _ = sub;
    let mut out = Vec::new();
    for t in 0..lines.len() {
        if taken.get(t).copied().unwrap_or(true)
            || !(cells.get(t).is_some_and(|c| c.len() == 1)
                && crate::cells::is_total_label(&lines[t].text))
        {
            continue;
        }
        let mut start = t;
        while start > 0 && t - start < settings.max_header_rows {
            let k = start - 1;
            let gap = lines[k + 1].bbox.y0 - lines[k].bbox.y1;
            if taken[k]
                || gap > max_gap
                || is_stop_line(&lines[k].text)
                || crate::cells::has_prose_marks(&lines[k].text)
                || cells[k].iter().any(|p| is_amount(&p.text))
            {
                break;
            }
            start = k;
        }
        if (start..t).filter(|&k| cells[k].len() >= 2).count() < 2 {
            continue;
        }
        // Columns from the lowest header line up: a label marks a column
        // when it is clear of every column found below it.
        let mut cols: Vec<(f32, f32)> = Vec::new();
        for k in (start..t).rev() {
            let gap = if k + 1 == t {
                TOUCH
            } else {
                settings.header_column_min_gap
            };
            let mut add = Vec::new();
            for p in &cells[k] {
                if cols
                    .iter()
                    .all(|&(c0, c1)| p.x1 <= c0 - gap || p.x0 >= c1 + gap)
                {
                    add.push((p.x0, p.x1));
                }
            }
            cols.extend(add);
        }
        cols.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f32, f32)> = Vec::new();
        for (a, b) in cols {
            match merged.last_mut() {
                Some(c) if a <= c.1 => c.1 = c.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        if merged.len() < 2 {
            continue;
        }
        let mut raw = RawTable::new(Method::Stream);
        let header = header_rows(lines, cells, start, t, pitch, &merged, settings);
        raw.spans = header.spans;
        raw.header_rows = Some(header.rows.len());
        let total = cells
            .get(t)
            .into_iter()
            .flatten()
            .map(|p| (best_column(p, &merged), p.text.clone()))
            .collect::<Vec<_>>();
        let rows = header.rows.into_iter().chain([(vec![t], total)]);
        let used = lay_rows(&mut raw, page, lines, free, &merged, rows);
        out.push((raw, used));
    }
    out
}

/// Write placed rows (each: the text lines it was made of, and its texts by
/// column) into `raw`, with the region they cover on the page; returns the
/// page glyphs they used.
fn lay_rows<S: AsRef<str>>(
    raw: &mut RawTable,
    page: &Page,
    lines: &[TextLine],
    free: &[usize],
    cols: &[(f32, f32)],
    rows: impl IntoIterator<Item = (Vec<usize>, Vec<(usize, S)>)>,
) -> Vec<usize> {
    let mut used = Vec::new();
    let mut bbox: Option<Rect> = None;
    let mut row_edges = Vec::new();
    for (ks, placed) in rows {
        let mut row = vec![String::new(); cols.len()];
        for (c, text) in placed {
            if let Some(c) = row.get_mut(c) {
                *c = join_text(c, text.as_ref());
            }
        }
        let mut y: Option<Rect> = None;
        for &k in &ks {
            let Some(l) = lines.get(k) else { continue };
            used.extend(l.glyphs.iter().filter_map(|&g| free.get(g).copied()));
            bbox = Some(bbox.map_or(l.bbox, |b| b.union(&l.bbox)));
            y = Some(y.map_or(l.bbox, |b| b.union(&l.bbox)));
        }
        let Some(y) = y else { continue };
        row_edges.push(y.y0);
        let origin = raw.rows.len();
        raw.rows.push(Row {
            cells: row,
            page: page.number,
            origins: vec![origin],
            y: Some((y.y0, y.y1)),
        });
    }
    if let Some(b) = bbox {
        row_edges.push(b.y1);
        let mut col_edges = vec![cols.first().map_or(b.x0, |c| c.0.min(b.x0))];
        col_edges.extend(cols.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0));
        col_edges.push(cols.last().map_or(b.x1, |c| c.1.max(b.x1)));
        raw.regions.push(Region {
            page: page.number,
            bbox: b,
            col_edges,
            row_edges,
        });
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find::lattice::tests::glyphs_of;

    #[test]
    fn an_amount_against_a_text_column_is_two_cells() {
        // 广州's project table: amounts right-aligned at 300, and a 绩效目标
        // column of running text starting 0.8 pt after them.
        let mut glyphs = Vec::new();
        glyphs.extend(glyphs_of("项目支出表", 150.0, 40.0, 14.0));
        let rows = [
            ("项目", "合计", "绩效目标"),
            ("工作经费", "226.48", "保障日常工作顺利开展"),
            ("购置经费", "21.20", "购置空调、电脑、打印机"),
            ("其他运行经费", "156.38", "开展调查研究"),
        ];
        for (k, (a, b, c)) in rows.iter().enumerate() {
            let y = 80.0 + k as f32 * 16.0;
            glyphs.extend(glyphs_of(a, 50.0, y, 10.0));
            glyphs.extend(glyphs_of(b, 300.0 - b.len() as f32 * 5.0, y, 10.0));
            glyphs.extend(glyphs_of(c, 300.8, y, 10.0));
        }
        let page = Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            glyphs,
            ..Page::default()
        };
        let s = Settings::default();
        let found = stream_tables(&page, &[], &s);
        assert_eq!(found.len(), 1);
        let t = crate::finish::finish(found[0].0.clone(), &s);
        assert_eq!(
            t.rows[1],
            vec!["购置经费", "21.20", "购置空调、电脑、打印机"]
        );
        // Text in one run (no gap) stays one cell.
        let run = split_pieces(
            &Page {
                glyphs: glyphs_of("力促5个综合", 10.0, 10.0, 10.0),
                ..Page::default()
            },
            &TextLine {
                page: 1,
                text: String::new(),
                bbox: Rect::default(),
                glyphs: (0..6).collect(),
            },
            &s,
            &[],
        );
        assert_eq!(run.len(), 1);
    }

    #[test]
    fn columns_from_alignment_names_left_numbers_right() {
        let mut glyphs = Vec::new();
        glyphs.extend(glyphs_of("2025年预算支出总表", 150.0, 40.0, 14.0));
        let rows = [
            ("科目编码", "科目名称", "合计", "基本支出"),
            ("201", "一般公共服务支出", "1,051.79", "909.30"),
            (
                "20103",
                "政府办公厅(室)及相关机构事务",
                "1,051.79",
                "909.30",
            ),
            ("2010301", "行政运行", "577.55", "577.55"),
            ("2010302", "一般行政管理事务", "106.10", ""),
        ];
        for (k, (a, b, c, d)) in rows.iter().enumerate() {
            let y = 80.0 + k as f32 * 16.0;
            glyphs.extend(glyphs_of(a, 50.0, y, 10.0));
            glyphs.extend(glyphs_of(b, 110.0, y, 10.0));
            // Numbers right-aligned at 400 and 480.
            glyphs.extend(glyphs_of(c, 400.0 - c.len() as f32 * 5.0, y, 10.0));
            glyphs.extend(glyphs_of(d, 480.0 - d.len() as f32 * 5.0, y, 10.0));
        }
        let page = Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            glyphs,
            ..Page::default()
        };
        let s = Settings::default();
        let found = stream_tables(&page, &[], &s);
        assert_eq!(found.len(), 1);
        let t = crate::finish::finish(found[0].0.clone(), &s);
        assert_eq!(
            t.header,
            vec![vec!["科目编码", "科目名称", "合计", "基本支出"]]
        );
        assert_eq!(t.rows.len(), 4);
        assert_eq!(
            t.rows[1],
            vec![
                "20103",
                "政府办公厅(室)及相关机构事务",
                "1,051.79",
                "909.30"
            ]
        );
        assert_eq!(t.rows[3], vec!["2010302", "一般行政管理事务", "106.10", ""]);
    }

    /// A 政府性基金 table printed without borders (sample 17 p14): the
    /// columns 年初结转和结余, 基本支出 and 年末结转和结余 are empty in every
    /// row and printed close to a data column; labels spanning two header
    /// rows sit half-way between them.
    #[test]
    fn empty_columns_and_centred_labels_from_the_header() {
        let mut glyphs = Vec::new();
        let mut at = |t: &str, x: f32, y: f32| glyphs.extend(glyphs_of(t, x, y, 9.0));
        at("项目", 156.0, 105.3);
        at("本年支出", 569.0, 105.3);
        at("年初结转和结余", 300.0, 113.9);
        at("本年收入", 399.0, 113.9);
        at("年末结转和结余", 726.0, 113.9);
        at("科目代码", 62.0, 122.5);
        at("科目名称", 186.0, 122.5);
        at("合计", 493.0, 122.5);
        at("基本支出", 569.0, 122.5);
        at("项目支出", 654.0, 122.5);
        let rows = [
            ("合计", "", "1344.43"),
            ("212", "城乡社区支出", "1344.43"),
            ("21208", "国有土地使用权出让收入安排的支出", "1344.43"),
            ("2120801", "征地和拆迁补偿支出", "1031.74"),
            ("2120899", "其他国有土地使用权出让收入安排的支出", "312.69"),
        ];
        for (k, (code, name, v)) in rows.iter().enumerate() {
            let y = 138.0 + k as f32 * 17.15;
            at(code, 44.5, y);
            at(name, 121.0, y);
            let w = v.len() as f32 * 4.5;
            for right in [457.0, 542.0, 712.0] {
                at(v, right - w, y);
            }
        }
        let page = Page {
            number: 14,
            width: 842.0,
            height: 595.0,
            glyphs,
            ..Page::default()
        };
        let s = Settings::default();
        let found = stream_tables(&page, &[], &s);
        assert_eq!(found.len(), 1);
        let t = crate::finish::finish(found[0].0.clone(), &s);
        assert_eq!(
            t.header,
            vec![
                vec![
                    "项目",
                    "",
                    "年初结转和结余",
                    "本年收入",
                    "本年支出",
                    "",
                    "",
                    "年末结转和结余"
                ],
                vec![
                    "科目代码",
                    "科目名称",
                    "",
                    "",
                    "合计",
                    "基本支出",
                    "项目支出",
                    ""
                ],
            ]
        );
        assert!(t.spans.contains(&Span {
            row: 0,
            col: 2,
            rows: 2,
            cols: 1
        }));
        assert!(t.spans.contains(&Span {
            row: 0,
            col: 4,
            rows: 1,
            cols: 3
        }));
        assert_eq!(
            t.rows[1],
            vec![
                "212",
                "城乡社区支出",
                "",
                "1344.43",
                "1344.43",
                "",
                "1344.43",
                ""
            ]
        );
    }

    /// A Shanghai 国有资本经营 table without borders (sample 14 p11): the
    /// empty 基本支出 column's label sits centred between 合计 and 项目支出,
    /// its siblings on the same line, not a label over both.
    #[test]
    fn empty_column_between_sibling_labels() {
        let mut glyphs = Vec::new();
        let mut at = |t: &str, x: f32, y: f32| glyphs.extend(glyphs_of(t, x, y, 9.0));
        at("项目", 167.0, 91.0);
        at("国有资本经营预算支出", 386.0, 91.0);
        at("功能分类科目编码", 52.0, 108.0);
        at("功能分类科目名称", 185.0, 117.0);
        at("合计", 341.0, 117.0);
        at("基本支出", 413.0, 117.0);
        at("项目支出", 495.0, 117.0);
        at("类", 53.0, 126.0);
        at("款", 83.0, 126.0);
        at("项", 114.0, 126.0);
        let rows = [
            ("223", "", "", "国有资本经营预算支出", "13,613,248.00"),
            (
                "223",
                "01",
                "",
                "解决历史遗留问题及改革成本支出",
                "13,613,248.00",
            ),
            (
                "223",
                "01",
                "05",
                "国有企业退休人员社会化管理补助支出",
                "13,740.00",
            ),
            ("223", "01", "07", "国有企业改革成本支出", "13,599,508.00"),
        ];
        for (k, (a, b, c, name, v)) in rows.iter().enumerate() {
            let y = 141.0 + k as f32 * 17.2;
            at(a, 44.0, y);
            at(b, 75.0, y);
            at(c, 105.0, y);
            at(name, 136.0, y);
            let w = v.len() as f32 * 4.5;
            at(v, 388.0 - w, y);
            at(v, 551.0 - w, y);
        }
        let page = Page {
            number: 11,
            width: 595.0,
            height: 842.0,
            glyphs,
            ..Page::default()
        };
        let s = Settings::default();
        let found = stream_tables(&page, &[], &s);
        assert_eq!(found.len(), 1);
        let t = crate::finish::finish(found[0].0.clone(), &s);
        assert_eq!(
            t.header.get(1).map(|r| r[3..].to_vec()),
            Some(vec![
                "功能分类科目名称".to_string(),
                "合计".into(),
                "基本支出".into(),
                "项目支出".into()
            ])
        );
        assert_eq!(
            t.rows[2],
            vec![
                "223",
                "01",
                "05",
                "国有企业退休人员社会化管理补助支出",
                "13,740.00",
                "",
                "13,740.00"
            ]
        );
    }
}
