//! Overprinted text: some producers fake bold by drawing each glyph twice (or
//! more) at almost the same spot. Left alone, '股票代码：' would read
//! '股股票票代代码码：：'. A glyph is a copy when an earlier glyph with the same
//! text sits within a fraction of the font size of it; the copy is dropped.
//! Genuine repeats (东阿阿胶) sit a whole advance apart and stay.

use crate::glyph::Glyph;

/// Remove overprinted copies in place (first drawn one kept, order kept);
/// returns how many were removed.
pub fn collapse(glyphs: &mut Vec<Glyph>, fraction: f32) -> usize {
    // Sort by (first char, top) packed into one u64 (21 bits of char, 20 of
    // top in 1/16 pt, 23 of index); copies then sit in one short run whose
    // tops differ by at most the tolerance. No maps, no string comparisons.
    if glyphs.len() >= 1 << 23 {
        return 0;
    }
    let mut order: Vec<u64> = glyphs
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.text.trim().is_empty())
        .map(|(i, g)| {
            let c = g.text.chars().next().map_or(0, u64::from);
            let y = (g.bbox.y0 * 16.0).clamp(0.0, ((1 << 20) - 1) as f32) as u64;
            c << 43 | y << 23 | i as u64
        })
        .collect();
    if order.len() < 2 {
        return 0;
    }
    order.sort_unstable();
    let order: Vec<u32> = order
        .into_iter()
        .map(|k| (k & ((1 << 23) - 1)) as u32)
        .collect();
    let mut remove = vec![false; glyphs.len()];
    let mut removed = 0;
    for k in 1..order.len() {
        let i = order[k] as usize;
        let g = &glyphs[i];
        let size = if g.size > 0.0 {
            g.size
        } else {
            g.bbox.height()
        };
        let tol = size * fraction;
        // Across the line the tolerance follows the glyph's own width: a
        // condensed '--' overlaps by half a dash and is still two dashes.
        let width = g.bbox.width();
        let tol_x = if width > 0.0 { width } else { size } * fraction;
        for &j in order[..k].iter().rev() {
            let j = j as usize;
            let o = &glyphs[j];
            // (+1/16 pt: tops were sorted at that resolution.)
            if g.bbox.y0 - o.bbox.y0 > tol + 0.0625
                || o.text.chars().next() != g.text.chars().next()
            {
                break;
            }
            if o.text != g.text
                || remove[j]
                || (o.bbox.x0 - g.bbox.x0).abs() > tol_x
                || (o.size - g.size).abs() > tol
            {
                continue;
            }
            // Keep the one drawn first.
            let (keep, drop) = if j < i { (j, i) } else { (i, j) };
            remove[drop] = true;
            removed += 1;
            if glyphs[drop].visible {
                glyphs[keep].visible = true;
            }
            break;
        }
    }
    if removed > 0 {
        let mut it = remove.iter();
        glyphs.retain(|_| !*it.next().unwrap_or(&false));
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
