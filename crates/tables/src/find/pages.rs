//! PDF pages to table fragments: ruled grids first (lattice), then tables of
//! aligned text among the remaining glyphs (stream); for each, the title and
//! caption lines printed above it and the 注 notes below it are read from the
//! page's other text lines. Page furniture (page numbers, running heads) is
//! left out of the page's running text.

use crate::captions::{is_caption_like, is_note_start, is_prose, is_title_like};
use crate::find::lattice::{find_lattices, lattice_table};
use crate::find::stream::stream_tables;
use crate::furniture::is_page_furniture;
use crate::lines::{text_lines, TextLine};
use crate::settings::Settings;
use crate::stitch::Fragment;
use gongkai_extract::Page;

/// "编制部门：某委员会2026年部门…表" → ["编制部门：某委员会", "2026年部门…表"].
fn split_glued_title(w: &str) -> Vec<String> {
    let chars: Vec<char> = w.chars().collect();
    for i in 1..chars.len().saturating_sub(5) {
        let year = chars.get(i..i + 5).is_some_and(|y| {
            y[0] == '2' && y[1..4].iter().all(|c| c.is_ascii_digit()) && y[4] == '年'
        });
        if year {
            let head: String = chars[..i].iter().collect();
            let tail: String = chars[i..].iter().collect();
            if is_title_like(&tail) && is_caption_like(&head) {
                return vec![head, tail];
            }
        }
    }
    vec![w.to_string()]
}

/// Table fragments of one PDF page, and its running text (lines outside tables).
/// Also returns how many of the text lines (the last ones) lie below every
/// table of the page.
pub fn page_fragments(page: &Page, settings: &Settings) -> (Vec<Fragment>, Vec<String>, usize) {
    let mut taken = vec![false; page.glyphs.len()];
    let mut raws = Vec::new();
    for lat in find_lattices(page, settings) {
        let (raw, used) = lattice_table(page, &lat, settings);
        if raw.rows.is_empty() {
            continue;
        }
        for u in used {
            if let Some(t) = taken.get_mut(u) {
                *t = true;
            }
        }
        raws.push(raw);
    }
    for (raw, used) in stream_tables(page, &taken, settings) {
        for u in used {
            if let Some(t) = taken.get_mut(u) {
                *t = true;
            }
        }
        raws.push(raw);
    }
    raws.sort_by(|a, b| {
        let ya = a.regions.first().map_or(0.0, |r| r.bbox.y0);
        let yb = b.regions.first().map_or(0.0, |r| r.bbox.y0);
        ya.total_cmp(&yb)
    });
    // The page's other lines, for titles, captions, notes and running text.
    let free: Vec<usize> = (0..page.glyphs.len()).filter(|&i| !taken[i]).collect();
    let sub = Page {
        glyphs: free
            .iter()
            .filter_map(|&i| page.glyphs.get(i).cloned())
            .collect(),
        rulings: Vec::new(),
        ..page.clone()
    };
    let lines: Vec<TextLine> = text_lines(&sub, settings)
        .into_iter()
        .filter(|l| !is_page_furniture(l, page.height, settings))
        .collect();
    let mut consumed = vec![false; lines.len()];
    let mut frags = Vec::new();
    let mut prev_bottom = 0.0f32;
    let bottoms: Vec<f32> = raws
        .iter()
        .map(|r| r.regions.first().map_or(0.0, |g| g.bbox.y1))
        .collect();
    for (ti, mut raw) in raws.into_iter().enumerate() {
        let Some(region) = raw.regions.first().cloned() else {
            continue;
        };
        let next_top = bottoms.get(ti + 1).map(|_| f32::MAX);
        let _ = next_top;
        // Lines above, nearest first.
        let mut above: Vec<usize> = (0..lines.len())
            .filter(|&k| {
                // Centres, not boxes: some fonts give glyph boxes far taller
                // than the text, reaching into the table.
                let cy = lines[k].bbox.center_y();
                cy <= region.bbox.y0 && cy >= prev_bottom
            })
            .collect();
        above.sort_by(|&a, &b| lines[b].bbox.y0.total_cmp(&lines[a].bbox.y0));
        let mut continued_mark = false;
        let mut titled = false;
        for &k in above.iter().take(settings.title_lookback_lines) {
            let t = lines[k].text.trim();
            // Above the title only its table number belongs ("表5" printed
            // over it, often at the right margin).
            if titled {
                if crate::titles::is_number_only(t) {
                    raw.caption.insert(0, t.to_string());
                    if let Some(c) = consumed.get_mut(k) {
                        *c = true;
                    }
                }
                break;
            }
            let squashed = crate::cells::squash(t);
            if squashed.starts_with("续表")
                || squashed.ends_with("续表")
                || squashed.ends_with("（续）")
                || squashed.ends_with("(续)")
            {
                continued_mark = true;
                consumed[k] = true;
                continue;
            }
            // A title may share its line with caption pieces ("部门名称：…
            // 收入决算表 单位：万元"): look at the line's pieces too.
            let Some(line) = lines.get(k) else { break };
            let mut ps = crate::pieces::pieces(&sub, line, settings);
            if !ps.iter().any(|p| is_title_like(&p.text)) && is_caption_like(t) {
                // Pieces closer than a cell gap: fall back to the line's
                // words, and to a title glued after a caption ("…委员会2026年…表").
                ps = t
                    .split_whitespace()
                    .flat_map(split_glued_title)
                    .map(|w| crate::pieces::Piece {
                        x0: 0.0,
                        x1: 0.0,
                        text: w,
                    })
                    .collect();
            }
            if ps.len() > 1 {
                if let Some(tp) = ps.iter().position(|p| is_title_like(&p.text)) {
                    let others: Vec<&str> = ps
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != tp)
                        .map(|(_, p)| p.text.as_str())
                        .collect();
                    if others.iter().all(|o| is_caption_like(o)) {
                        raw.title = ps.get(tp).map(|p| crate::repair::dedouble_heading(&p.text));
                        raw.caption.insert(0, others.join(" "));
                        consumed[k] = true;
                        titled = true;
                        continue;
                    }
                }
            }
            if is_caption_like(t) {
                raw.caption.insert(0, t.to_string());
                consumed[k] = true;
                continue;
            }
            if is_title_like(t) {
                raw.title = Some(crate::repair::dedouble_heading(t));
                consumed[k] = true;
                titled = true;
                continue;
            }
            if is_prose(t) {
                break;
            }
        }
        // Notes below.
        let mut below: Vec<usize> = (0..lines.len())
            .filter(|&k| lines[k].bbox.center_y() >= region.bbox.y1)
            .collect();
        below.sort_by(|&a, &b| lines[a].bbox.y0.total_cmp(&lines[b].bbox.y0));
        let mut last_y = region.bbox.y1;
        let mut in_note = false;
        // A line's height counts as 6 pt at least (small print in
        // disclosures is no smaller), so a tiny glyph box does not cut the
        // notes at an ordinary gap.
        const MIN_LINE_HEIGHT: f32 = 6.0;
        for &k in below.iter().take(settings.note_max_lines) {
            let l = &lines[k];
            let gap = l.bbox.y0 - last_y;
            let size = l.bbox.height().max(MIN_LINE_HEIGHT);
            if gap > size * settings.note_max_gap_ratio {
                break;
            }
            if is_note_start(&l.text) {
                raw.notes.push(l.text.trim().to_string());
                in_note = true;
            } else if in_note && gap < size && !is_title_like(&l.text) {
                if let Some(n) = raw.notes.last_mut() {
                    n.push_str(l.text.trim());
                }
            } else {
                break;
            }
            consumed[k] = true;
            last_y = l.bbox.y1;
        }
        prev_bottom = region.bbox.y1;
        frags.push(Fragment {
            raw,
            page_height: page.height,
            continued_mark,
        });
    }
    let left: Vec<&TextLine> = lines
        .iter()
        .zip(consumed.iter())
        .filter(|(_, c)| !**c)
        .map(|(l, _)| l)
        .collect();
    let bottom = frags
        .iter()
        .flat_map(|f| f.raw.regions.iter().map(|r| r.bbox.y1))
        .fold(f32::MIN, f32::max);
    let below = left.iter().filter(|l| l.bbox.y0 >= bottom).count();
    (
        frags,
        left.into_iter().map(|l| l.text.clone()).collect(),
        below,
    )
}
