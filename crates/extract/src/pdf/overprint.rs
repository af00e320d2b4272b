//! Overprinted text: some producers fake bold by drawing each glyph twice (or
//! more) at almost the same spot. Left alone, '股票代码：' would read
//! '股股票票代代码码：：'. A glyph is a copy when an earlier glyph with the same
//! text sits within a fraction of the font size of it; the copy is dropped.
//! Genuine repeats (东阿阿胶) sit a whole advance apart and stay.

use crate::glyph::Glyph;

/// Most candidate glyphs compared with one glyph, and most runs of other
/// tops visited: fake-bold copies sit within a point of their original, so
/// real pages never come near these; a hostile page of twenty thousand
/// identical glyphs on one line would otherwise cost a comparison per pair.
const MAX_CANDIDATES: usize = 256;
const MAX_RUNS: usize = 64;

/// Remove overprinted copies in place (first drawn one kept, order kept);
/// returns how many were removed.
pub fn collapse(glyphs: &mut Vec<Glyph>, fraction: f32) -> usize {
    // Sorted by (first char, top, left) in 1/16 pt: a glyph's possible
    // copies are then in its own run of equal (char, top) just left of it,
    // or in the few runs of slightly higher tops, each sorted by left, so
    // each is found by a binary search and a short scan. No maps, no
    // string comparisons.
    // Offset so that text above or left of the page (clipped overflow, at
    // negative coordinates) keeps its order too.
    let q = |v: f32| ((v + 65_536.0) * 16.0).clamp(0.0, u32::MAX as f32) as u32;
    let mut order: Vec<(u32, u32, u32, u32)> = glyphs
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.text.trim().is_empty())
        .filter_map(|(i, g)| {
            let c = g.text.chars().next().map_or(0, u32::from);
            Some((c, q(g.bbox.y0), q(g.bbox.x0), u32::try_from(i).ok()?))
        })
        .collect();
    if order.len() < 2 {
        return 0;
    }
    order.sort_unstable();
    // Where each entry's run of equal (char, top) starts.
    let mut run_start: Vec<usize> = Vec::with_capacity(order.len());
    let mut prev: Option<(u32, u32)> = None;
    for (k, e) in order.iter().enumerate() {
        let start = match (prev, run_start.last()) {
            (Some(p), Some(&s)) if p == (e.0, e.1) => s,
            _ => k,
        };
        run_start.push(start);
        prev = Some((e.0, e.1));
    }
    let mut remove = vec![false; glyphs.len()];
    let mut removed = 0;
    for (k, &(c, top, _, i)) in order.iter().enumerate().skip(1) {
        let i = i as usize;
        let Some(g) = glyphs.get(i) else { continue };
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
        let (lo, hi) = (q(g.bbox.x0 - tol_x), q(g.bbox.x0 + tol_x));
        let mut found = None;
        let mut checked = 0;
        // Candidates: [from, to) of a run, sorted by left.
        let (mut from, mut to) = (run_start.get(k).copied().unwrap_or(k), k);
        for _ in 0..MAX_RUNS {
            let run = order.get(from..to).unwrap_or_default();
            let first = run.partition_point(|e| e.2 < lo);
            let last = run.partition_point(|e| e.2 <= hi);
            for e in run.get(first..last).unwrap_or_default().iter().rev() {
                let j = e.3 as usize;
                checked += 1;
                let Some(o) = glyphs.get(j) else { continue };
                if o.text != g.text
                    || remove.get(j).copied().unwrap_or(true)
                    || (o.bbox.x0 - g.bbox.x0).abs() > tol_x
                    || (o.bbox.y0 - g.bbox.y0).abs() > tol + 0.0625
                    || (o.size - g.size).abs() > tol
                {
                    continue;
                }
                found = Some(j);
                break;
            }
            if found.is_some() || checked >= MAX_CANDIDATES || from == 0 {
                break;
            }
            // The run before: same char, a higher top within the tolerance
            // (+1/16 pt: tops were sorted at that resolution).
            let (Some(prev), Some(&prev_start)) = (order.get(from - 1), run_start.get(from - 1))
            else {
                break;
            };
            if prev.0 != c || top.saturating_sub(prev.1) as f32 / 16.0 > tol + 0.0625 {
                break;
            }
            to = from;
            from = prev_start;
        }
        let Some(j) = found else { continue };
        // Keep the one drawn first.
        let (keep, drop) = if j < i { (j, i) } else { (i, j) };
        if let Some(r) = remove.get_mut(drop) {
            *r = true;
            removed += 1;
        }
        if glyphs.get(drop).is_some_and(|g| g.visible) {
            if let Some(g) = glyphs.get_mut(keep) {
                g.visible = true;
            }
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

    /// A copy drawn slightly lower (0.4 pt) and left of its original, on a
    /// line full of the same character, is still found; and a flood of
    /// twenty thousand identical glyphs half a point apart (each a copy of
    /// a neighbour) collapses as the rule says, one kept per 3.5 pt.
    #[test]
    fn copies_are_found_among_many_and_floods_collapse() {
        let mut v: Vec<Glyph> = (0..300).map(|k| g("费", k as f32 * 12.0)).collect();
        let mut copy = g("费", 1_200.0 - 0.3);
        copy.bbox.y0 += 0.4;
        copy.bbox.y1 += 0.4;
        v.push(copy);
        assert_eq!(collapse(&mut v, 0.3), 1);
        assert_eq!(v.len(), 300);

        // Above the page (WPS's clipped overflow): lines 30 pt apart stay.
        let mut above = vec![g("区", 10.0), g("区", 10.0)];
        above[0].bbox.y0 = -180.0;
        above[1].bbox.y0 = -150.0;
        assert_eq!(collapse(&mut above, 0.3), 0);

        let mut flood: Vec<Glyph> = (0..20_000).map(|k| g("a", k as f32 * 0.5)).collect();
        collapse(&mut flood, 0.3);
        assert_eq!(flood.len(), 20_000usize.div_ceil(7));
        assert!(flood.windows(2).all(|w| w[1].bbox.x0 - w[0].bbox.x0 == 3.5));
    }
}
