//! From drawn paths to ruling lines. Producers draw table borders three ways:
//! stroked line segments (ONLYOFFICE, LibreOffice, Excel), stroked or filled
//! rectangles (Excel), and thin filled rectangles standing for a line (WPS,
//! Word). All come out as horizontal/vertical [`Ruling`]s in page coordinates;
//! slanted segments and curves are ignored, white fills (cell backgrounds)
//! skipped, and segments are cut to the clip box as a viewer would.

use super::settings::Settings;
use crate::geom::Rect;
use crate::ruling::{Ruling, RulingSource};

#[derive(Debug, Clone, Copy)]
struct Pt {
    x: f32,
    y: f32,
    /// The segment arriving at this point is a curve.
    curve: bool,
}

#[derive(Debug, Clone, Copy)]
struct Sub {
    start: usize,
    end: usize,
    closed: bool,
    is_rect: bool,
}

/// The current path, already in page coordinates.
#[derive(Debug, Default)]
pub struct PathBuilder {
    pts: Vec<Pt>,
    subs: Vec<Sub>,
}

impl PathBuilder {
    pub fn clear(&mut self) {
        self.pts.clear();
        self.subs.clear();
    }

    pub fn move_to(&mut self, x: f32, y: f32) {
        // A moveto right after another replaces it.
        if let Some(s) = self.subs.last_mut() {
            if s.end - s.start == 1 && !s.is_rect {
                if let Some(p) = self.pts.last_mut() {
                    *p = Pt { x, y, curve: false };
                    return;
                }
            }
        }
        self.subs.push(Sub {
            start: self.pts.len(),
            end: self.pts.len() + 1,
            closed: false,
            is_rect: false,
        });
        self.pts.push(Pt { x, y, curve: false });
    }

    fn segment_to(&mut self, x: f32, y: f32, curve: bool) {
        match self.subs.last() {
            None => {
                // No current point: treat as a moveto (lenient).
                self.move_to(x, y);
                return;
            }
            Some(s) if s.closed || s.is_rect => {
                // After h (or re) a new subpath starts at the old start point.
                let start = self.pts.get(s.start).copied();
                if let Some(p) = start {
                    self.move_to(p.x, p.y);
                }
            }
            _ => {}
        }
        self.pts.push(Pt { x, y, curve });
        if let Some(s) = self.subs.last_mut() {
            s.end = self.pts.len();
        }
    }

    pub fn line_to(&mut self, x: f32, y: f32) {
        self.segment_to(x, y, false);
    }

    pub fn curve_to(&mut self, x: f32, y: f32) {
        self.segment_to(x, y, true);
    }

    pub fn close(&mut self) {
        if let Some(s) = self.subs.last_mut() {
            s.closed = true;
        }
    }

    /// A rectangle (`re`), its four corners already transformed.
    pub fn rect(&mut self, corners: [(f32, f32); 4]) {
        let start = self.pts.len();
        for (x, y) in corners {
            self.pts.push(Pt { x, y, curve: false });
        }
        self.subs.push(Sub {
            start,
            end: start + 4,
            closed: true,
            is_rect: true,
        });
    }

    /// Bounding box of all points (None for an empty path).
    pub fn bounds(&self) -> Option<Rect> {
        let first = self.pts.first()?;
        let mut r = Rect {
            x0: first.x,
            y0: first.y,
            x1: first.x,
            y1: first.y,
        };
        for p in &self.pts {
            r.x0 = r.x0.min(p.x);
            r.y0 = r.y0.min(p.y);
            r.x1 = r.x1.max(p.x);
            r.y1 = r.y1.max(p.y);
        }
        Some(r)
    }

    fn sub_pts(&self, s: &Sub) -> &[Pt] {
        self.pts.get(s.start..s.end).unwrap_or(&[])
    }
}

/// Collects the rulings of one page.
pub struct RulingSink {
    settings: Settings,
    page_box: Rect,
    out: Vec<Ruling>,
}

impl RulingSink {
    pub fn new(settings: Settings, page_box: Rect) -> RulingSink {
        RulingSink {
            settings,
            page_box,
            out: Vec::new(),
        }
    }

    pub fn finish(self) -> Vec<Ruling> {
        self.out
    }

    fn is_white(&self, c: [f32; 3]) -> bool {
        c.iter().all(|&v| v >= self.settings.white_level)
    }

    /// A stroked path: each straight horizontal or vertical segment.
    pub fn stroke(&mut self, path: &PathBuilder, width: f32, colour: [f32; 3], clip: Option<Rect>) {
        if self.is_white(colour) {
            return;
        }
        for s in &path.subs {
            let pts = path.sub_pts(s);
            let source = if s.is_rect {
                RulingSource::RectEdge
            } else {
                RulingSource::Stroke
            };
            for w in pts.windows(2) {
                if !w[1].curve {
                    self.segment(w[0].x, w[0].y, w[1].x, w[1].y, width, source, clip);
                }
            }
            if s.closed && pts.len() > 2 {
                if let (Some(a), Some(b)) = (pts.last(), pts.first()) {
                    self.segment(a.x, a.y, b.x, b.y, width, source, clip);
                }
            }
        }
    }

    /// A filled path: thin rectangles are lines; other non-white rectangles
    /// give their edges (unless the same path is also stroked, which gave
    /// them already, or it is a page background).
    pub fn fill(
        &mut self,
        path: &PathBuilder,
        colour: [f32; 3],
        clip: Option<Rect>,
        stroked: bool,
    ) {
        if self.is_white(colour) {
            return;
        }
        let st = self.settings;
        for s in &path.subs {
            let Some(r) = self.axis_rect(path.sub_pts(s)) else {
                continue;
            };
            let (w, h) = (r.width(), r.height());
            if h <= st.thin_rect_max && w >= 2.0 * h {
                let y = r.center_y();
                self.segment(r.x0, y, r.x1, y, h, RulingSource::FilledRect, clip);
            } else if w <= st.thin_rect_max && h >= 2.0 * w {
                let x = r.center_x();
                self.segment(x, r.y0, x, r.y1, w, RulingSource::FilledRect, clip);
            } else if !stroked
                && w > st.thin_rect_max
                && h > st.thin_rect_max
                && !(w >= st.page_cover * self.page_box.width()
                    && h >= st.page_cover * self.page_box.height())
            {
                let src = RulingSource::RectEdge;
                self.segment(r.x0, r.y0, r.x1, r.y0, 0.0, src, clip);
                self.segment(r.x0, r.y1, r.x1, r.y1, 0.0, src, clip);
                self.segment(r.x0, r.y0, r.x0, r.y1, 0.0, src, clip);
                self.segment(r.x1, r.y0, r.x1, r.y1, 0.0, src, clip);
            }
        }
    }

    /// The subpath as an axis-aligned rectangle, if it is one (an `re`, or a
    /// closed four-corner polygon with axis-parallel sides).
    fn axis_rect(&self, pts: &[Pt]) -> Option<Rect> {
        let pts = match pts {
            [a, .., z] if pts.len() == 5 && a.x == z.x && a.y == z.y => &pts[..4],
            _ => pts,
        };
        if pts.len() != 4 || pts.iter().any(|p| p.curve) {
            return None;
        }
        let tol = self.settings.axis_tolerance;
        for i in 0..4 {
            let (a, b) = (pts[i], pts[(i + 1) % 4]);
            if (a.x - b.x).abs() > tol && (a.y - b.y).abs() > tol {
                return None;
            }
        }
        let mut r = Rect::from_corners(pts[0].x, pts[0].y, pts[2].x, pts[2].y);
        for p in pts {
            r.x0 = r.x0.min(p.x);
            r.y0 = r.y0.min(p.y);
            r.x1 = r.x1.max(p.x);
            r.y1 = r.y1.max(p.y);
        }
        r.is_finite().then_some(r)
    }

    #[allow(clippy::too_many_arguments)]
    fn segment(
        &mut self,
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        width: f32,
        source: RulingSource,
        clip: Option<Rect>,
    ) {
        let tol = self.settings.axis_tolerance;
        let mut area = self.page_box;
        if let Some(c) = clip {
            area = Rect {
                x0: area.x0.max(c.x0),
                y0: area.y0.max(c.y0),
                x1: area.x1.min(c.x1),
                y1: area.y1.min(c.y1),
            };
        }
        let (dx, dy) = ((x1 - x0).abs(), (y1 - y0).abs());
        let r = if dy <= tol && dx > dy {
            let y = (y0 + y1) / 2.0;
            if y < area.y0 - tol || y > area.y1 + tol {
                return;
            }
            let (a, b) = (x0.min(x1).max(area.x0), x0.max(x1).min(area.x1));
            Ruling {
                x0: a,
                y0: y,
                x1: b,
                y1: y,
                width,
                source,
            }
        } else if dx <= tol && dy > dx {
            let x = (x0 + x1) / 2.0;
            if x < area.x0 - tol || x > area.x1 + tol {
                return;
            }
            let (a, b) = (y0.min(y1).max(area.y0), y0.max(y1).min(area.y1));
            Ruling {
                x0: x,
                y0: a,
                x1: x,
                y1: b,
                width,
                source,
            }
        } else {
            return;
        };
        let len = (r.x1 - r.x0).max(r.y1 - r.y0);
        if len >= self.settings.min_ruling_length && r.width.is_finite() && len.is_finite() {
            self.out.push(r);
        }
    }
}
