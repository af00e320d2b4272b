//! Overprinted text: some producers fake bold by drawing each glyph twice (or
//! more) at almost the same spot. Left alone, '股票代码：' would read
//! '股股票票代代码码：：'. A glyph is a copy when an earlier glyph with the same
//! text sits within a fraction of the font size of it; the copy is dropped.
//! Genuine repeats (东阿阿胶) sit a whole advance apart and stay.

use crate::glyph::Glyph;
use std::collections::HashMap;

/// Remove overprinted copies in place (first drawn one kept, order kept);
/// returns how many were removed.
pub fn collapse(glyphs: &mut Vec<Glyph>, fraction: f32) -> usize {
    // Grid of kept glyphs by origin; cells are 4 pt, so a neighbour within the
    // tolerance of any size up to ~13 pt is in the 3×3 block; larger sizes
    // check a wider block.
    const CELL: f32 = 4.0;
    let mut grid: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    let mut keep = vec![true; glyphs.len()];
    let mut removed = 0;
    for i in 0..glyphs.len() {
        let g = &glyphs[i];
        if g.text.trim().is_empty() {
            continue;
        }
        let size = if g.size > 0.0 {
            g.size
        } else {
            g.bbox.height()
        };
        // Across the line the tolerance follows the glyph's own width: a
        // condensed '--' overlaps by half a dash and is still two dashes.
        let width = g.bbox.width();
        let tol_x = (if width > 0.0 { width } else { size } * fraction).min(50.0);
        let tol = (size * fraction).min(50.0);
        let (x, y) = (g.bbox.x0, g.bbox.y0);
        let cell = |v: f32| (v / CELL).floor().clamp(-1e6, 1e6) as i32;
        let (cx, cy) = (cell(x), cell(y));
        let reach = (tol.max(tol_x) / CELL).ceil() as i32;
        let mut dup_of = None;
        'search: for gx in cx - reach..=cx + reach {
            for gy in cy - reach..=cy + reach {
                if let Some(list) = grid.get(&(gx, gy)) {
                    for &j in list {
                        let k = &glyphs[j];
                        if k.text == g.text
                            && (k.bbox.x0 - x).abs() <= tol_x
                            && (k.bbox.y0 - y).abs() <= tol
                            && (k.size - g.size).abs() <= tol
                        {
                            dup_of = Some(j);
                            break 'search;
                        }
                    }
                }
            }
        }
        match dup_of {
            Some(j) => {
                keep[i] = false;
                removed += 1;
                if glyphs[i].visible {
                    glyphs[j].visible = true;
                }
            }
            None => grid.entry((cx, cy)).or_default().push(i),
        }
    }
    if removed > 0 {
        let mut it = keep.iter();
        glyphs.retain(|_| *it.next().unwrap_or(&true));
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::Rect;
    use crate::glyph::Direction;

    fn g(text: &str, x: f32) -> Glyph {
        Glyph {
            text: text.into(),
            bbox: Rect {
                x0: x,
                y0: 100.0,
                x1: x + 10.0,
                y1: 110.0,
            },
            font: "F".into(),
            size: 10.0,
            render_mode: 0,
            fill: [0.0; 3],
            visible: true,
            direction: Direction::Horizontal,
        }
    }

    #[test]
    fn fake_bold_collapses_and_genuine_repeats_stay() {
        let mut v = vec![
            g("东", 0.0),
            g("阿", 10.0),
            g("阿", 20.0),
            g("胶", 30.0),
            g("胶", 30.4),
            g("-", 40.0),
            g("-", 46.0),
        ];
        assert_eq!(collapse(&mut v, 0.3), 1);
        let s: String = v.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(s, "东阿阿胶--");
    }
}
