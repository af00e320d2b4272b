//! Grey page images and the ruling lines in them.
//!
//! A scanned table's borders are long straight runs of dark pixels, longer
//! than any stroke of a character. They are found after binarising the page
//! (Otsu's threshold, from the image's own histogram, so a light or dark
//! scan needs no setting), turned into ruling segments (a slightly skewed
//! line is a staircase of runs on neighbouring rows, joined here into one
//! segment), and erased before recognition.

/// An 8-bit grey image, rows top to bottom (0 = black).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Gray {
    /// A binary PGM (P5), which tesseract (leptonica) reads.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }

    /// Read a binary PGM (P5, maxval ≤ 255), as `pdftoppm -gray` writes.
    pub fn from_pgm(bytes: &[u8], max_pixels: usize) -> Option<Gray> {
        let mut fields = Vec::new();
        let mut i = 2;
        if bytes.get(..2)? != b"P5" {
            return None;
        }
        while fields.len() < 3 {
            while bytes.get(i)?.is_ascii_whitespace() {
                i += 1;
            }
            if *bytes.get(i)? == b'#' {
                while *bytes.get(i)? != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while bytes.get(i)?.is_ascii_digit() {
                i += 1;
            }
            fields.push(
                std::str::from_utf8(bytes.get(start..i)?)
                    .ok()?
                    .parse::<usize>()
                    .ok()?,
            );
        }
        let [width, height, max] = <[usize; 3]>::try_from(fields).ok()?;
        let n = width.checked_mul(height)?;
        if max == 0 || max > 255 || n > max_pixels {
            return None;
        }
        let data = bytes.get(i + 1..i + 1 + n)?;
        Some(Gray {
            width,
            height,
            pixels: data.to_vec(),
        })
    }

    /// From interleaved 8-bit samples of `components` channels (1 grey, 3
    /// RGB, 4 CMYK), as decoded image data.
    pub fn from_samples(
        width: usize,
        height: usize,
        components: usize,
        data: &[u8],
    ) -> Option<Gray> {
        let n = width.checked_mul(height)?;
        if data.len() < n.checked_mul(components)? || components == 0 {
            return None;
        }
        let pixels = match components {
            1 => data.get(..n)?.to_vec(),
            3 => data
                .chunks_exact(3)
                .take(n)
                .map(|p| match *p {
                    [r, g, b] => {
                        ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000)
                            as u8
                    }
                    _ => 255,
                })
                .collect(),
            4 => data
                .chunks_exact(4)
                .take(n)
                .map(|p| match *p {
                    [c, m, y, k] => 255 - c.max(m).max(y).saturating_add(k),
                    _ => 255,
                })
                .collect(),
            _ => return None,
        };
        Some(Gray {
            width,
            height,
            pixels,
        })
    }

    fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels.get(y * self.width + x).copied().unwrap_or(255)
    }
}

/// Otsu's threshold: the grey level that best splits the histogram into
/// ink and paper. Pixels below it are dark.
pub fn otsu(g: &Gray) -> u8 {
    let mut hist = [0u64; 256];
    for &p in &g.pixels {
        // A u8 indexes the 256 bins.
        if let Some(h) = hist.get_mut(usize::from(p)) {
            *h += 1;
        }
    }
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 128;
    }
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &h)| i as f64 * h as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0u64, 0f64, -1f64, 128u8);
    for (t, &count) in hist.iter().enumerate() {
        w0 += count;
        if w0 == 0 {
            continue;
        }
        let w1 = total - w0;
        if w1 == 0 {
            break;
        }
        sum0 += t as f64 * count as f64;
        let m0 = sum0 / w0 as f64;
        let m1 = (sum - sum0) / w1 as f64;
        let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = u8::try_from(t + 1).unwrap_or(255);
        }
    }
    best_t
}

/// A dark run: along row (or column) `fixed`, from `start` to `end` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub fixed: usize,
    pub start: usize,
    pub end: usize,
}

/// The long dark runs of an image, and the threshold they were found with.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub horizontal: Vec<Run>,
    pub vertical: Vec<Run>,
    pub threshold: u8,
}

/// Most runs kept per direction (a page of noise must not cost unbounded memory).
const MAX_RUNS: usize = 200_000;

/// Dark runs at least `min_x` pixels long along rows and `min_y` along columns.
pub fn rules(g: &Gray, min_x: usize, min_y: usize) -> Rules {
    let t = otsu(g);
    let mut out = Rules {
        threshold: t,
        ..Rules::default()
    };
    for (y, row) in g
        .pixels
        .chunks_exact(g.width.max(1))
        .take(g.height)
        .enumerate()
    {
        collect_runs(row.iter().map(|&p| p < t), y, min_x, &mut out.horizontal);
    }
    for x in 0..g.width {
        collect_runs(
            (0..g.height).map(|y| g.at(x, y) < t),
            x,
            min_y,
            &mut out.vertical,
        );
    }
    out
}

fn collect_runs(dark: impl Iterator<Item = bool>, fixed: usize, min: usize, out: &mut Vec<Run>) {
    let mut start = None;
    let mut last = 0;
    for (i, d) in dark.enumerate() {
        last = i;
        match (d, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= min && out.len() < MAX_RUNS {
                    out.push(Run {
                        fixed,
                        start: s,
                        end: i - 1,
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        if last + 1 - s >= min && out.len() < MAX_RUNS {
            out.push(Run {
                fixed,
                start: s,
                end: last,
            });
        }
    }
}

/// Whiten the runs, and the grey fringe beside them (anti-aliased edges of
/// a line, lighter than the threshold but still a line to the recogniser).
pub fn erase(g: &mut Gray, r: &Rules) {
    let fringe = (u16::from(r.threshold) + 255) / 2;
    let w = g.width;
    let paint = |g: &mut Gray, x: usize, y: usize, force: bool| {
        if let Some(p) = g.pixels.get_mut(y * w + x) {
            if force || u16::from(*p) < fringe {
                *p = 255;
            }
        }
    };
    for run in &r.horizontal {
        for x in run.start..=run.end {
            paint(g, x, run.fixed, true);
            if run.fixed > 0 {
                paint(g, x, run.fixed - 1, false);
            }
            if run.fixed + 1 < g.height {
                paint(g, x, run.fixed + 1, false);
            }
        }
    }
    for run in &r.vertical {
        for y in run.start..=run.end {
            paint(g, run.fixed, y, true);
            if run.fixed > 0 {
                paint(g, run.fixed - 1, y, false);
            }
            if run.fixed + 1 < g.width {
                paint(g, run.fixed + 1, y, false);
            }
        }
    }
}

/// Whiten specks: a dark pixel with no dark neighbour (of eight) is scanner
/// noise, not ink (the thinnest stroke of a character is a connected line).
/// Returns how many were removed.
pub fn despeckle(g: &mut Gray, threshold: u8) -> usize {
    let (w, h) = (g.width, g.height);
    let dark = |g: &Gray, x: usize, y: usize| g.at(x, y) < threshold;
    let mut lone = Vec::new();
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            if !dark(g, x, y) {
                continue;
            }
            let any = (y - 1..=y + 1)
                .any(|yy| (x - 1..=x + 1).any(|xx| (xx, yy) != (x, y) && dark(g, xx, yy)));
            if !any {
                lone.push(y * w + x);
            }
        }
    }
    for &i in &lone {
        if let Some(p) = g.pixels.get_mut(i) {
            *p = 255;
        }
    }
    lone.len()
}

/// One ruling line in pixels: from `start` to `end` along it, at mean
/// position `pos` across it, `thickness` runs thick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub pos: f32,
    pub thickness: usize,
}

/// Runs joined into lines: a run joins a line when it lies at most two
/// pixels across from the line's nearest run and touches or overlaps it
/// along (the rows of a thick line, the steps of a skewed one).
pub fn segments(runs: &[Run]) -> Vec<Segment> {
    const ACROSS: usize = 2;
    const GAP: usize = 3;
    struct Open {
        start: usize,
        end: usize,
        last_fixed: usize,
        weighted: f64,
        length: f64,
    }
    let mut sorted: Vec<Run> = runs.to_vec();
    sorted.sort_by_key(|r| (r.fixed, r.start));
    let mut lines: Vec<Open> = Vec::new();
    for r in sorted {
        let hit = lines.iter_mut().rev().find(|l| {
            r.fixed <= l.last_fixed + ACROSS && r.start <= l.end + GAP && r.end + GAP >= l.start
        });
        let len = (r.end - r.start + 1) as f64;
        match hit {
            Some(l) => {
                l.start = l.start.min(r.start);
                l.end = l.end.max(r.end);
                l.last_fixed = l.last_fixed.max(r.fixed);
                l.weighted += r.fixed as f64 * len;
                l.length += len;
            }
            None => lines.push(Open {
                start: r.start,
                end: r.end,
                last_fixed: r.fixed,
                weighted: r.fixed as f64 * len,
                length: len,
            }),
        }
    }
    lines
        .into_iter()
        .map(|l| {
            let span = l.end - l.start + 1;
            // A staircase over many rows is one thin line, skewed: its
            // thickness is the rows one position holds, not all it steps over.
            let thickness = ((l.length / span as f64).round() as usize).max(1);
            Segment {
                start: l.start,
                end: l.end,
                pos: (l.weighted / l.length) as f32,
                thickness,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white image with a 2-px horizontal line stepping down one row every
    /// 100 px (a skew of about 0.6°), a vertical line and a short dash.
    fn page() -> Gray {
        let (w, h) = (400, 300);
        let mut px = vec![250u8; w * h];
        for x in 20..380 {
            let y = 100 + x / 100;
            px[y * w + x] = 10;
            px[(y + 1) * w + x] = 10;
        }
        for y in 50..250 {
            px[y * w + 200] = 20;
        }
        for x in 50..60 {
            px[200 * w + x] = 0;
        }
        Gray {
            width: w,
            height: h,
            pixels: px,
        }
    }

    #[test]
    fn a_skewed_line_is_one_segment_and_short_strokes_are_no_lines() {
        let mut g = page();
        let r = rules(&g, 40, 40);
        let h = segments(&r.horizontal);
        assert_eq!(h.len(), 1, "{h:?}");
        assert_eq!((h[0].start, h[0].end, h[0].thickness), (20, 379, 2));
        assert!((h[0].pos - 102.0).abs() < 1.0, "{}", h[0].pos);
        let v = segments(&r.vertical);
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].start, v[0].end), (50, 249));
        erase(&mut g, &r);
        assert!(g.pixels[101 * 400 + 150] == 255 && g.pixels[120 * 400 + 200] == 255);
        // The dash stays: it is text, not a ruling.
        assert_eq!(g.pixels[200 * 400 + 55], 0);
        // A lone dark pixel is a speck; the dash is not.
        g.pixels[10 * 400 + 10] = 0;
        assert_eq!(despeckle(&mut g, 128), 1);
        assert_eq!(
            (g.pixels[10 * 400 + 10], g.pixels[200 * 400 + 55]),
            (255, 0)
        );
    }

    #[test]
    fn pgm_round_trip_and_bounds() {
        let g = page();
        assert_eq!(Gray::from_pgm(&g.to_pgm(), 1 << 20), Some(g.clone()));
        assert_eq!(Gray::from_pgm(&g.to_pgm(), 1000), None);
        assert_eq!(Gray::from_pgm(b"P5\n4 4\n255\n", 100), None);
        assert_eq!(Gray::from_pgm(b"P6", 100), None);
    }
}
