//! Glyphs → text lines in reading order: glyphs grouped by shared baseline band,
//! sorted left to right, with a space where the gap is wider than a word break.
//! This is the `lines` stage `inspect` prints and the base of stream tables.

use crate::settings::{Settings, MIN_BOX_HEIGHT, MIN_FONT_SIZE};
use gongkai_extract::{Direction, Glyph, Page, Rect};
use serde::{Deserialize, Serialize};

/// One text line: its text and box, and the glyphs it was made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    pub page: u32,
    pub text: String,
    pub bbox: Rect,
    /// Indices into `page.glyphs`, left to right.
    pub glyphs: Vec<usize>,
}

/// Group a page's visible horizontal glyphs into lines, top to bottom.
pub fn text_lines(page: &Page, settings: &Settings) -> Vec<TextLine> {
    let mut idx: Vec<usize> = (0..page.glyphs.len())
        .filter(|&i| {
            let g = &page.glyphs[i];
            g.visible && !g.text.is_empty() && g.bbox.is_finite()
        })
        .collect();
    // Vertical glyphs read top to bottom; give each its own line so no text is lost.
    idx.sort_by(|&a, &b| {
        let (ga, gb) = (&page.glyphs[a], &page.glyphs[b]);
        ga.bbox
            .center_y()
            .total_cmp(&gb.bbox.center_y())
            .then(ga.bbox.x0.total_cmp(&gb.bbox.x0))
    });
    // (box, members, centre of the line's first glyph)
    let mut lines: Vec<(Rect, Vec<usize>, f32)> = Vec::new();
    // A glyph joins one of the last lines begun: sorted by centre, a line
    // interleaves only with its near neighbours (a superscript, a taller
    // glyph), so four bound the search.
    const OPEN_LINES: usize = 4;
    for i in idx {
        let g = &page.glyphs[i];
        let joined = if g.direction == Direction::Vertical {
            None
        } else {
            lines
                .iter_mut()
                .rev()
                .take(OPEN_LINES)
                .find(|(bb, m, cy)| fits_line(bb, *cy, m, g, &page.glyphs, settings))
        };
        match joined {
            Some((bb, members, _)) => {
                *bb = bb.union(&g.bbox);
                members.push(i);
            }
            None => lines.push((g.bbox, vec![i], g.bbox.center_y())),
        }
    }
    lines
        .into_iter()
        .map(|(bbox, mut members, _)| {
            members.sort_by(|&a, &b| page.glyphs[a].bbox.x0.total_cmp(&page.glyphs[b].bbox.x0));
            TextLine {
                page: page.number,
                text: join_glyphs(&page.glyphs, &members, settings),
                bbox,
                glyphs: members,
            }
        })
        .collect()
}

/// A glyph joins a line when their boxes overlap enough and, since some fonts
/// give boxes much taller than the text (so that tightly set rows overlap),
/// when its centre is near the centre of the line's first glyph.
fn fits_line(
    line: &Rect,
    centre: f32,
    members: &[usize],
    g: &Glyph,
    glyphs: &[Glyph],
    settings: &Settings,
) -> bool {
    let h = g
        .bbox
        .height()
        .max(MIN_BOX_HEIGHT)
        .min(line.height().max(MIN_BOX_HEIGHT));
    // A size of 0 (a broken Tf) still gets some baseline tolerance.
    const MIN_SIZE: f32 = 0.5;
    let size = members
        .first()
        .and_then(|&m| glyphs.get(m))
        .map_or(g.size, |f| f.size.min(g.size))
        .max(MIN_SIZE);
    line.v_overlap(&g.bbox) >= h * settings.line_overlap_ratio
        && (g.bbox.center_y() - centre).abs() <= size * settings.baseline_tolerance_ratio
}

/// Text of glyphs already sorted left to right, with spaces at word gaps.
pub fn join_glyphs(glyphs: &[Glyph], members: &[usize], settings: &Settings) -> String {
    let mut out = String::new();
    let mut prev: Option<&Glyph> = None;
    for &i in members {
        let g = &glyphs[i];
        if let Some(p) = prev {
            let gap = g.bbox.x0 - p.bbox.x1;
            let size = p.size.max(g.size).max(MIN_FONT_SIZE);
            if gap > size * settings.word_gap_ratio
                && !out.ends_with(' ')
                && !g.text.starts_with(' ')
            {
                out.push(' ');
            }
        }
        out.push_str(&g.text);
        prev = Some(g);
    }
    out
}
