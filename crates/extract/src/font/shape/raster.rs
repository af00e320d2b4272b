//! The rasteriser of shape recognition: a glyph outline placed in its em
//! box (so position is part of the shape) as a coverage bitmap, by area
//! accumulation with curves flattened into lines, and the soft
//! intersection-over-union that compares two bitmaps. Separate from the
//! recogniser because it knows nothing of fonts beyond an outline.

use ttf_parser::{Face, GlyphId, OutlineBuilder};

pub(super) const COARSE: usize = 8;
pub(super) const MEDIUM: usize = 16;
/// The em box: this much of the em above the baseline (the rest below).
pub(super) const EM_TOP: f32 = 0.88;
/// Flattened line segments per glyph at most (a hostile outline stops there).
pub(super) const MAX_SEGMENTS: usize = 200_000;

/// A square coverage bitmap, row-major, values in 0..=1.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bitmap {
    pub size: usize,
    pub cells: Vec<f32>,
}

/// Area-accumulation rasteriser on a `size`×`size` grid, y down.
pub(crate) struct Rasteriser {
    size: usize,
    /// Signed area deltas, `size + 2` per row (the running sum over a row
    /// is the coverage; edges right of the grid land in the spare cells).
    acc: Vec<f32>,
    segments: usize,
}

impl Rasteriser {
    pub(crate) fn new(size: usize) -> Rasteriser {
        Rasteriser {
            size,
            acc: vec![0.0; (size + 2) * size],
            segments: 0,
        }
    }

    /// Add the edge (x0, y0) → (x1, y1) in pixel units.
    pub(crate) fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        self.segments += 1;
        if self.segments > MAX_SEGMENTS
            || y0 == y1
            || !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite())
        {
            return;
        }
        let (dir, xa, ya, xb, yb) = if y0 < y1 {
            (1.0, x0, y0, x1, y1)
        } else {
            (-1.0, x1, y1, x0, y0)
        };
        let h = self.size as f32;
        let top = ya.max(0.0);
        let bottom = yb.min(h);
        if top >= bottom {
            return;
        }
        // y ≥ 0: truncation is the floor (and no libm call).
        let first = top as usize;
        if ya >= 0.0 && yb <= (first + 1) as f32 {
            // Within one row, unclipped (most edges on a coarse grid).
            self.row_piece(first, xa, xb, (yb - ya) * dir);
            return;
        }
        let slope = (xb - xa) / (yb - ya);
        let mut y = top;
        while y < bottom {
            let row = y as usize;
            let next = ((row + 1) as f32).min(bottom);
            let xs = xa + (y - ya) * slope;
            let xe = xa + (next - ya) * slope;
            self.row_piece(row, xs, xe, (next - y) * dir);
            y = next;
        }
    }

    /// One edge piece within a row: from x `xs` to `xe`, covering `d` of
    /// the row's height (signed by direction). Split at cell boundaries so
    /// each part lies in one cell.
    #[inline]
    pub(super) fn row_piece(&mut self, row: usize, xs: f32, xe: f32, d: f32) {
        let w = self.size as f32;
        let (l, r) = (xs.min(xe), xs.max(xe));
        let span = r - l;
        if span < 1e-6 {
            let x = l.clamp(0.0, w);
            self.cell_part(row, x, x, d);
            return;
        }
        // Most pieces on a coarse grid lie in one cell, or two.
        if l >= 0.0 && r <= w {
            let boundary = (l as usize + 1) as f32;
            if r <= boundary {
                self.cell_part(row, l, r, d);
                return;
            }
            if r <= boundary + 1.0 {
                let first = d * (boundary - l) / span;
                self.cell_part(row, l, boundary, first);
                self.cell_part(row, boundary, r, d - first);
                return;
            }
        }
        // Each part's share of d is its share of the x extent (the piece is
        // straight); parts left of the grid cover whole cells from x = 0,
        // parts right of it land in the spare cell.
        if l < 0.0 {
            self.cell_part(row, 0.0, 0.0, d * (r.min(0.0) - l) / span);
        }
        if r > w {
            self.cell_part(row, w, w, d * (r - l.max(w)) / span);
        }
        let (mut x, end) = (l.max(0.0), r.min(w));
        let per_x = d / span;
        while x < end {
            // x ≥ 0, as above.
            let nx = ((x as usize + 1) as f32).min(end);
            self.cell_part(row, x, nx, per_x * (nx - x));
            x = nx;
        }
    }

    /// An edge part inside one cell (x from `l` to `r`, same cell, l ≥ 0).
    #[inline]
    pub(super) fn cell_part(&mut self, row: usize, l: f32, r: f32, d: f32) {
        let stride = self.size + 2;
        let cell = (l as usize).min(self.size);
        // Area right of the edge within this cell; the remainder of `d`
        // carries to the next cell, so the running sum is exact.
        let inside = d * (1.0 - ((l + r) * 0.5 - cell as f32));
        if let Some(a) = self.acc.get_mut(row * stride + cell) {
            *a += inside;
        }
        if let Some(a) = self.acc.get_mut(row * stride + cell + 1) {
            *a += d - inside;
        }
    }

    pub(crate) fn finish(self) -> Bitmap {
        let stride = self.size + 2;
        let mut cells = Vec::with_capacity(self.size * self.size);
        for row in self.acc.chunks(stride) {
            let mut sum = 0.0f32;
            for &a in row.iter().take(self.size) {
                sum += a;
                cells.push(sum.abs().min(1.0));
            }
        }
        Bitmap {
            size: self.size,
            cells,
        }
    }
}

/// Font units → pixels, flattening curves.
pub(super) struct Flatten {
    pub(super) r: Rasteriser,
    pub(super) scale_x: f32,
    pub(super) scale_y: f32,
    pub(super) top: f32,
    pub(super) start: (f32, f32),
    pub(super) pen: (f32, f32),
}

impl Flatten {
    pub(super) fn px(&self, x: f32, y: f32) -> (f32, f32) {
        (x * self.scale_x, (self.top - y) * self.scale_y)
    }
    pub(super) fn to(&mut self, p: (f32, f32)) {
        self.r.line(self.pen.0, self.pen.1, p.0, p.1);
        self.pen = p;
    }
    /// Segments for a curve whose control polygon bends by `bend` pixels:
    /// n segments stray from the curve by at most bend / (4 n²), with
    /// `bend` the length of a quadratic's second difference (exact), or
    /// three times the larger of a cubic's two (a bound).
    pub(super) fn steps(&self, bend: impl FnOnce() -> f32) -> usize {
        let most = curve_steps(self.r.size);
        if most <= 1 {
            return 1;
        }
        let n = (bend() / (4.0 * FLATNESS)).sqrt();
        // n ≥ 0 or NaN: truncation plus one is at least the ceiling.
        (n as usize + 1).min(most)
    }
}

/// Line segments per curve at most: fewer on the coarse grids, where a
/// curve spans a pixel or two and the passes there only rank candidates
/// for the fine comparison.
pub(super) fn curve_steps(size: usize) -> usize {
    match size {
        0..=8 => 1,
        9..=16 => 2,
        _ => 8,
    }
}

/// How far (pixels) a flattened curve may stray from the true one: the
/// segments per curve are as few as keep within it, up to [`curve_steps`].
pub(super) const FLATNESS: f32 = 0.05;

/// |a − 2b + c|.
pub(super) fn second_difference(a: (f32, f32), b: (f32, f32), c: (f32, f32)) -> f32 {
    let (x, y) = (a.0 - 2.0 * b.0 + c.0, a.1 - 2.0 * b.1 + c.1);
    (x * x + y * y).sqrt()
}

impl OutlineBuilder for Flatten {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close();
        let p = self.px(x, y);
        self.start = p;
        self.pen = p;
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.px(x, y);
        self.to(p);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (p0, c, p) = (self.pen, self.px(x1, y1), self.px(x, y));
        let steps = self.steps(|| second_difference(p0, c, p));
        for i in 1..=steps {
            let t = i as f32 / steps as f32;
            let u = 1.0 - t;
            self.to((
                u * u * p0.0 + 2.0 * u * t * c.0 + t * t * p.0,
                u * u * p0.1 + 2.0 * u * t * c.1 + t * t * p.1,
            ));
        }
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (p0, c1, c2, p) = (self.pen, self.px(x1, y1), self.px(x2, y2), self.px(x, y));
        let steps =
            self.steps(|| 3.0 * second_difference(p0, c1, c2).max(second_difference(c1, c2, p)));
        for i in 1..=steps {
            let t = i as f32 / steps as f32;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.to((
                a * p0.0 + b * c1.0 + c * c2.0 + d * p.0,
                a * p0.1 + b * c1.1 + c * c2.1 + d * p.1,
            ));
        }
    }
    fn close(&mut self) {
        if self.pen != self.start {
            let s = self.start;
            self.to(s);
        }
    }
}

/// A glyph's outline in its em box at `size`×`size`; None without an
/// outline or with nothing inked.
pub(crate) fn glyph_bitmap(face: &Face<'_>, gid: u16, size: usize) -> Option<Bitmap> {
    let b = outline_bitmap(face, gid, size)?;
    (b.cells.iter().sum::<f32>() > 0.5).then_some(b)
}

/// The same, inked or not (the 8×8 grid: a full stop covers less than
/// half a pixel there, and is still a candidate).
pub(super) fn outline_bitmap(face: &Face<'_>, gid: u16, size: usize) -> Option<Bitmap> {
    let upem = face.units_per_em().max(1) as f32;
    let advance = face
        .glyph_hor_advance(GlyphId(gid))
        .filter(|&a| a > 0)
        .map_or(upem, |a| a as f32);
    let mut f = Flatten {
        r: Rasteriser::new(size),
        scale_x: size as f32 / advance,
        scale_y: size as f32 / upem,
        top: EM_TOP * upem,
        start: (0.0, 0.0),
        pen: (0.0, 0.0),
    };
    face.outline_glyph(GlyphId(gid), &mut f)?;
    f.close();
    Some(f.r.finish())
}

/// Each pixel the mean of its 3×3 neighbourhood (edges: of those inside),
/// so a one-pixel shift between two versions of a font costs little.
/// Separable: sums of three along each row, then of three such rows.
pub(crate) fn blur(b: &Bitmap) -> Bitmap {
    let n = b.size;
    let mut cells = vec![0.0f32; n * n];
    if n < 2 || b.cells.len() != n * n {
        cells.clone_from(&b.cells);
        return Bitmap { size: n, cells };
    }
    let mut rows = vec![0.0f32; n * n];
    for (src, dst) in b.cells.chunks_exact(n).zip(rows.chunks_exact_mut(n)) {
        for (i, d) in dst.iter_mut().enumerate().skip(1).take(n - 2) {
            *d = src.get(i - 1..i + 2).map_or(0.0, |w| w.iter().sum());
        }
        if let (Some(d), Some(s)) = (dst.first_mut(), src.get(0..2)) {
            *d = s.iter().sum();
        }
        if let (Some(d), Some(s)) = (dst.last_mut(), src.get(n - 2..n)) {
            *d = s.iter().sum();
        }
    }
    // 1 / neighbours along a row (2 at the ends, else 3), and the same
    // divided by the rows summed.
    let mut per_x = vec![1.0f32 / 3.0; n];
    for e in [0, n - 1] {
        if let Some(w) = per_x.get_mut(e) {
            *w = 0.5;
        }
    }
    for (y, out) in cells.chunks_exact_mut(n).enumerate() {
        let (lo, hi) = (y.saturating_sub(1), (y + 2).min(n));
        for row in rows.chunks_exact(n).take(hi).skip(lo) {
            for (o, v) in out.iter_mut().zip(row) {
                *o += v;
            }
        }
        let per_y = 1.0 / (hi - lo) as f32;
        for (o, w) in out.iter_mut().zip(&per_x) {
            *o *= w * per_y;
        }
    }
    Bitmap { size: n, cells }
}

/// Soft intersection over union of two bitmaps after a blur (0..=1).
#[cfg(test)]
pub(super) fn similarity(a: &Bitmap, b: &Bitmap) -> f32 {
    soft_iou(&blur(a), &blur(b))
}

/// Σ min / Σ max of two bitmaps of one size (0 when blank or mismatched).
pub(super) fn soft_iou(a: &Bitmap, b: &Bitmap) -> f32 {
    if a.size != b.size {
        return 0.0;
    }
    let (mut inter, mut union) = (0.0f32, 0.0f32);
    for (x, y) in a.cells.iter().zip(&b.cells) {
        inter += x.min(*y);
        union += x.max(*y);
    }
    if union > 0.0 {
        inter / union
    } else {
        0.0
    }
}

pub(super) fn to_bytes(b: &Bitmap) -> Vec<u8> {
    b.cells.iter().map(|c| (c * 255.0).round() as u8).collect()
}

/// Soft IoU of byte bitmaps (for the coarse passes).
pub(super) fn byte_iou(a: &[u8], b: &[u8]) -> f32 {
    let (mut i, mut u) = (0u32, 0u32);
    for (x, y) in a.iter().zip(b) {
        i += (*x).min(*y) as u32;
        u += (*x).max(*y) as u32;
    }
    if u == 0 {
        0.0
    } else {
        i as f32 / u as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A square from (2,2) to (6,6), drawn either way round, covers exactly
    /// those 16 cells; a half-pixel offset gives half-covered edge cells; a
    /// hole of opposite winding is empty, one of the same winding is not.
    #[test]
    fn rasteriser_covers_areas_exactly() {
        let square = |r: &mut Rasteriser, x0: f32, y0: f32, x1: f32, y1: f32, cw: bool| {
            let mut p = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
            if !cw {
                p.reverse();
            }
            for i in 0..4 {
                let (a, b) = (p[i], p[(i + 1) % 4]);
                r.line(a.0, a.1, b.0, b.1);
            }
        };
        for cw in [true, false] {
            let mut r = Rasteriser::new(8);
            square(&mut r, 2.0, 2.0, 6.0, 6.0, cw);
            let b = r.finish();
            for y in 0..8 {
                for x in 0..8 {
                    let want = if (2..6).contains(&x) && (2..6).contains(&y) {
                        1.0
                    } else {
                        0.0
                    };
                    assert!((b.cells[y * 8 + x] - want).abs() < 1e-5, "{x},{y}");
                }
            }
        }
        let mut r = Rasteriser::new(8);
        square(&mut r, 2.5, 2.0, 6.5, 3.0, true);
        let b = r.finish();
        assert!((b.cells[2 * 8 + 2] - 0.5).abs() < 1e-5);
        assert!((b.cells[2 * 8 + 4] - 1.0).abs() < 1e-5);
        assert!((b.cells[2 * 8 + 6] - 0.5).abs() < 1e-5);
        let total: f32 = b.cells.iter().sum();
        assert!((total - 4.0).abs() < 1e-4, "{total}");

        let mut r = Rasteriser::new(8);
        square(&mut r, 1.0, 1.0, 7.0, 7.0, true);
        square(&mut r, 3.0, 3.0, 5.0, 5.0, false);
        let b = r.finish();
        assert_eq!(b.cells[4 * 8 + 4], 0.0);
        assert_eq!(b.cells[2 * 8 + 2], 1.0);
        let mut r = Rasteriser::new(8);
        square(&mut r, 1.0, 1.0, 7.0, 7.0, true);
        square(&mut r, 3.0, 3.0, 5.0, 5.0, true);
        assert_eq!(r.finish().cells[4 * 8 + 4], 1.0);

        // A diagonal edge: the triangle (0,0) (8,0) (0,8) covers half the grid.
        let mut r = Rasteriser::new(8);
        r.line(0.0, 0.0, 8.0, 0.0);
        r.line(8.0, 0.0, 0.0, 8.0);
        r.line(0.0, 8.0, 0.0, 0.0);
        let total: f32 = r.finish().cells.iter().sum();
        assert!((total - 32.0).abs() < 1e-3, "{total}");

        // Outside the grid, huge or not finite: clipped, never a panic.
        let mut r = Rasteriser::new(4);
        r.line(-1e9, -5.0, 1e9, 50.0);
        r.line(f32::NAN, 0.0, 1.0, 3.0);
        r.line(-3.0, -3.0, -1.0, 9.0);
        let b = r.finish();
        assert!(b.cells.iter().all(|c| (0.0..=1.0).contains(c)));
    }
}
