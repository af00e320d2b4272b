//! Pieces of a text line: the runs of glyphs between gaps wide enough to
//! part two cells. The stream finder, its header reader, the centred-row
//! grouping and the page's title reader all cut lines this way, so the cut
//! lives here, beneath all of them.

use crate::lines::{join_glyphs, TextLine};
use crate::settings::{Settings, MIN_FONT_SIZE};
use gongkai_extract::Page;

/// Boxes this close (pt) touch: the glyph and cell boxes of one word meet or
/// overlap within rounding, so a gap, a clearance or a line pitch must be
/// larger to count.
pub const TOUCH: f32 = 0.5;

/// A piece of a text line between wide gaps.
#[derive(Debug, Clone)]
pub struct Piece {
    pub x0: f32,
    pub x1: f32,
    pub text: String,
}

/// Split a text line into cells at gaps wider than `cell_gap_ratio` × size.
pub fn pieces(page: &Page, line: &TextLine, settings: &Settings) -> Vec<Piece> {
    split_pieces(page, line, settings, &[])
}

/// Like [`pieces`], also splitting wherever a gap between two glyphs falls in
/// one of the `cuts` (x ranges between known columns).
pub fn split_pieces(
    page: &Page,
    line: &TextLine,
    settings: &Settings,
    cuts: &[(f32, f32)],
) -> Vec<Piece> {
    let mut out: Vec<(f32, f32, Vec<usize>)> = Vec::new();
    let mut prev_char: Option<char> = None;
    // The widest gap between glyphs of the current piece so far.
    let mut widest_inside = 0.0f32;
    // ASCII digits ending the current piece.
    let mut digit_run = 0usize;
    for &i in &line.glyphs {
        let Some(g) = page.glyphs.get(i) else {
            continue;
        };
        let size = g.size.max(MIN_FONT_SIZE);
        let first = g.text.chars().next();
        let last_x1 = out.last().map(|o| o.1).unwrap_or(f32::MIN);
        let gap = g.bbox.x0 - last_x1;
        // A number right-aligned in its cell and a name left-aligned in the
        // next sit closer than a cell gap: a word gap between a digit and a
        // Han character also separates cells, and so does a digit and a Han
        // character set apart from each other more than the glyphs before
        // them (an amount ending where a text cell begins).
        // (Not a year's 年 after its four digits: 2004年度 is one cell.)
        let year = digit_run == 4 && first == Some('年');
        let digit_han = !year
            && matches!((prev_char, first), (Some(a), Some(b))
            if a.is_ascii_digit() && crate::cells::is_han(b));
        let class_break = gap > size * settings.word_gap_ratio
            && matches!((prev_char, first), (Some(a), Some(b))
                if a.is_ascii_digit() && crate::cells::is_han(b)
                    || crate::cells::is_han(a) && b.is_ascii_digit())
            || digit_han && gap > widest_inside.max(0.0) + size * settings.class_gap_excess_ratio;
        let cut_break = gap > TOUCH
            && cuts.iter().any(|&(a, b)| {
                let mid = (last_x1 + g.bbox.x0) / 2.0;
                mid > a && mid < b
            });
        prev_char = g.text.chars().last();
        let digits = g.text.chars().all(|c| c.is_ascii_digit()) && !g.text.is_empty();
        match out.last_mut() {
            Some((_, x1, m))
                if gap <= size * settings.cell_gap_ratio && !class_break && !cut_break =>
            {
                *x1 = x1.max(g.bbox.x1);
                m.push(i);
                widest_inside = widest_inside.max(gap);
                digit_run = if digits { digit_run + g.text.len() } else { 0 };
            }
            _ => {
                out.push((g.bbox.x0, g.bbox.x1, vec![i]));
                widest_inside = 0.0;
                digit_run = if digits { g.text.len() } else { 0 };
            }
        }
    }
    out.into_iter()
        .map(|(x0, x1, m)| Piece {
            x0,
            x1,
            text: join_glyphs(&page.glyphs, &m, settings).trim().to_string(),
        })
        .filter(|p| !p.text.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find::lattice::tests::glyphs_of;
    use crate::lines::text_lines;

    fn pieces_of(parts: &[(&str, f32)]) -> Vec<String> {
        let glyphs = parts
            .iter()
            .flat_map(|(t, x)| glyphs_of(t, *x, 100.0, 10.0))
            .collect();
        let page = Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            glyphs,
            ..Page::default()
        };
        let s = Settings::default();
        let lines = text_lines(&page, &s);
        lines
            .iter()
            .flat_map(|l| pieces(&page, l, &s))
            .map(|p| p.text)
            .collect()
    }

    /// An amount ending 0.8 pt before a text cell is two cells; a year's 年
    /// set as far from its digits is one (深达声's 2004年度 header).
    #[test]
    fn an_amount_before_text_splits_but_a_year_before_nian_does_not() {
        assert_eq!(
            pieces_of(&[("226.48", 50.0), ("保障日常", 80.8)]),
            ["226.48", "保障日常"]
        );
        assert_eq!(pieces_of(&[("2004", 50.0), ("年度", 70.8)]), ["2004年度"]);
    }
}
