//! Affine matrices as PDF writes them (`[a b c d e f]`, row vectors: a point
//! is transformed as `[x y 1] × M`), and the matrix that takes a page's user
//! space to the upright, top-left-origin coordinates of the page model.

use crate::geom::Rect;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix {
    pub a: f32,
    pub b: f32,
    pub c: f32,
    pub d: f32,
    pub e: f32,
    pub f: f32,
}

impl Matrix {
    pub const IDENTITY: Matrix = Matrix {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 1.0,
        e: 0.0,
        f: 0.0,
    };

    pub fn new(a: f32, b: f32, c: f32, d: f32, e: f32, f: f32) -> Matrix {
        Matrix { a, b, c, d, e, f }
    }

    /// From six operands; `None` unless all six are finite numbers.
    pub fn from_slice(v: &[f32]) -> Option<Matrix> {
        match v {
            [a, b, c, d, e, f] if v.iter().all(|x| x.is_finite()) => {
                Some(Matrix::new(*a, *b, *c, *d, *e, *f))
            }
            _ => None,
        }
    }

    pub fn translate(x: f32, y: f32) -> Matrix {
        Matrix::new(1.0, 0.0, 0.0, 1.0, x, y)
    }

    /// `self` applied first, then `o` (PDF's `self × o`).
    pub fn then(&self, o: &Matrix) -> Matrix {
        Matrix {
            a: self.a * o.a + self.b * o.c,
            b: self.a * o.b + self.b * o.d,
            c: self.c * o.a + self.d * o.c,
            d: self.c * o.b + self.d * o.d,
            e: self.e * o.a + self.f * o.c + o.e,
            f: self.e * o.b + self.f * o.d + o.f,
        }
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        (
            self.a * x + self.c * y + self.e,
            self.b * x + self.d * y + self.f,
        )
    }

    /// Mean scale factor (square root of the area scale), for line widths.
    pub fn scale(&self) -> f32 {
        (self.a * self.d - self.b * self.c).abs().sqrt()
    }

    /// The bounding box of a rectangle given in this matrix's source space.
    pub fn transform_rect(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        let p = [
            self.apply(x0, y0),
            self.apply(x1, y0),
            self.apply(x0, y1),
            self.apply(x1, y1),
        ];
        let mut r = Rect::from_corners(p[0].0, p[0].1, p[3].0, p[3].1);
        for (x, y) in p {
            r.x0 = r.x0.min(x);
            r.y0 = r.y0.min(y);
            r.x1 = r.x1.max(x);
            r.y1 = r.y1.max(y);
        }
        r
    }
}

/// The visible page: its crop box in user space and its /Rotate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageFrame {
    /// Crop box (clipped to the media box) in default user space.
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Clockwise display rotation: 0, 90, 180 or 270.
    pub rotate: u16,
}

impl PageFrame {
    /// Width and height of the upright page.
    pub fn size(&self) -> (f32, f32) {
        let (w, h) = (self.x1 - self.x0, self.y1 - self.y0);
        if self.rotate % 180 == 90 {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// User space → upright page, origin top left, y down. A page with
    /// /Rotate 90 is shown turned clockwise, so its user-space left edge
    /// becomes the top.
    pub fn matrix(&self) -> Matrix {
        let PageFrame { x0, y0, x1, y1, .. } = *self;
        match self.rotate {
            90 => Matrix::new(0.0, 1.0, 1.0, 0.0, -y0, -x0),
            180 => Matrix::new(-1.0, 0.0, 0.0, 1.0, x1, -y0),
            270 => Matrix::new(0.0, -1.0, -1.0, 0.0, y1, x1),
            _ => Matrix::new(1.0, 0.0, 0.0, -1.0, -x0, y1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotations_put_the_top_left_at_the_origin() {
        let mut f = PageFrame {
            x0: 0.0,
            y0: 0.0,
            x1: 600.0,
            y1: 800.0,
            rotate: 0,
        };
        assert_eq!(f.matrix().apply(0.0, 800.0), (0.0, 0.0));
        f.rotate = 90;
        // Text along user-space y (bottom to top) reads left to right.
        assert_eq!(f.matrix().apply(0.0, 0.0), (0.0, 0.0));
        assert_eq!(f.matrix().apply(0.0, 100.0), (100.0, 0.0));
        assert_eq!(f.size(), (800.0, 600.0));
        f.rotate = 180;
        assert_eq!(f.matrix().apply(600.0, 0.0), (0.0, 0.0));
        f.rotate = 270;
        assert_eq!(f.matrix().apply(600.0, 800.0), (0.0, 0.0));
        assert_eq!(f.matrix().apply(600.0, 700.0), (100.0, 0.0));
    }

    #[test]
    fn then_composes_in_pdf_order() {
        let s = Matrix::new(2.0, 0.0, 0.0, 2.0, 0.0, 0.0);
        let t = Matrix::translate(10.0, 0.0);
        assert_eq!(s.then(&t).apply(1.0, 1.0), (12.0, 2.0));
        assert_eq!(t.then(&s).apply(1.0, 1.0), (22.0, 2.0));
    }
}
