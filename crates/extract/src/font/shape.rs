//! Glyph recognition by shape: the last resort for an embedded TrueType
//! program that says nothing about Unicode. encodings/issue3405r.pdf draws
//! 其他参考数据 with CIDs 4–9 of a "WenQuanYi Zen Hei Medium" subset under
//! Identity-H; the program has no `cmap`, `post` or `name` table, there is no
//! ToUnicode and the CIDSystemInfo (Adobe-UCS) names no collection. Its
//! SOURCES.md entry speaks of "the font's own cmap table": there is none.
//! Nothing in the file says which characters these are — only the outlines.
//!
//! So we compare each outline drawn from such a program with the outlines
//! of an installed font of the same family (the BaseFont's family against
//! the name table of every font under the standard font directories, e.g.
//! Debian's `fonts-wqy-zenhei` for WenQuanYi Zen Hei), whose cmap does say
//! what its glyphs are. Outlines are placed in the em box (advance × 0.88
//! em above to 0.12 em below the baseline), not their tight box, so
//! position is part of the shape (一 is not 丨). Matching narrows the
//! reference's tens of thousands of glyphs in four steps:
//!
//! 1. A prefilter reads only each glyph's `glyf` header — its box and the
//!    end points of its contours — and ranks every reference glyph by the
//!    difference of box placement (centre; width and height at half weight,
//!    as a bolder weight grows the box on every side) plus that of contour
//!    sizes (points per contour, largest first: a weight of the same design
//!    keeps its contours, give or take a few points). Neither is a gate,
//!    both only rank; the nearest [`ShapeSettings::prefilter_keep`] (128)
//!    go on. issue3405r.pdf's six glyphs (Medium) against the installed
//!    Regular 0.9.45 find their characters 1st to 7th; the near twins that
//!    guard the decision below (地 for 他, 參 for 参, 裾 and 椐 for 据,
//!    scoring 0.55–0.61) rank 40th to 94th, so the decision is the one a
//!    search of twenty times as many candidates reaches.
//! 2. Those are rasterised at 8×8 and compared by soft intersection over
//!    union of coverage; the best `coarse_keep` (16) go on …
//! 3. … to 16×16, where the best `medium_keep` (8) go on (there the right
//!    glyphs are first, the near twins second or third; the decisions
//!    stay the same down to 8 and 4) …
//! 4. … to 48×48 after a slight blur, the score. A match is kept only
//!    above an absolute score and clearly ahead of the best candidate with
//!    a different character; anything else stays unknown (issue3405r.pdf:
//!    the right characters score 0.69–0.84, the best other character at
//!    most 0.61).
//!
//! Without a font of the family, a CJK font of the same script is used
//! with stricter thresholds, and only when the script is known or every
//! installed CJK font shares one; its contours need not follow the
//! unknown glyph's design, so the prefilter keeps many more
//! (`fallback_prefilter_keep`). The font cache warns how many glyphs were
//! recognised and against which file, so a user knows the text is a guess.
//!
//! The rasteriser is an area-accumulation scanline rasteriser (each edge
//! adds its signed covered area to the cells it crosses; a running sum per
//! row gives the coverage, clamped to 1, which is non-zero winding for
//! outlines whose contours do not cancel), with quadratic and cubic
//! curves flattened into lines: one or two per curve on the coarse grids,
//! at 48×48 as few as keep within 0.05 pixel of the curve (at most 8).
//!
//! Cost is bounded: only fonts with no Unicode source at all, only glyphs
//! actually drawn, at most [`ShapeSettings::max_glyphs`] per font and
//! [`ShapeSettings::max_glyphs_per_document`] per document, a bounded
//! directory scan (once per process), and each reference font mapped (not
//! read: a CJK collection is tens of megabytes, of which the index touches
//! the cmap, the metrics and the glyph headers) and indexed once per
//! process, holding no bitmaps (20 bytes of features per glyph). A
//! recognition computes one distance per reference glyph and rasterises
//! 128 + 16 + 8 of them. (issue3405r.pdf, one process: the index of
//! WenQuanYi's 42,000 mapped glyphs and six recognitions cost a few
//! milliseconds, where reading the file, indexing and rasterising 3000
//! candidates per glyph cost over a hundred.)
//! If no font of the family (nor an unambiguous one of the script) is
//! installed, the glyphs stay unknown with a warning saying why; for
//! issue3405r.pdf, `make deps` installs Debian's `fonts-wqy-zenhei`.

use super::embedded::{each_codepoint, segmented_groups};
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use ttf_parser::{Face, GlyphId, OutlineBuilder};

/// Thresholds and bounds of shape recognition.
#[derive(Debug, Clone)]
pub(crate) struct ShapeSettings {
    /// Side of the fine bitmaps compared (pixels per em box).
    pub fine: usize,
    /// Candidates kept by the 8×8 pass, then by the 16×16 pass
    /// (issue3405r.pdf: the right glyph is first at 16×16, its near twin
    /// second or third; half as many would still do).
    pub coarse_keep: usize,
    pub medium_keep: usize,
    /// Lowest soft IoU of a match (identical outlines score 1).
    pub min_score: f32,
    /// How far the match must lead the best different character.
    pub min_lead: f32,
    /// The same two against a font of another family (a fallback of the
    /// same script): stricter, as designs differ.
    pub fallback_min_score: f32,
    pub fallback_min_lead: f32,
    /// Glyphs recognised per font at most, and per document (all fonts:
    /// a hostile file may carry a thousand small programs).
    pub max_glyphs: usize,
    pub max_glyphs_per_document: usize,
    /// Font files examined at most, and directory depth.
    pub max_files: usize,
    pub max_depth: usize,
    /// Largest reference font file mapped (bytes).
    pub max_file_bytes: u64,
    /// Prefilter before any rasterising, from each glyph's `glyf` header
    /// alone: the distance of a reference glyph to the unknown one is the
    /// difference of their box placements (centre, and half the difference
    /// of width and height: a bolder weight grows the box on every side) in
    /// units of this fraction of the em, …
    pub prefilter_box: f32,
    /// … plus, both being TrueType outlines, the difference of their
    /// contour sizes (points per contour, largest first: a weight of the
    /// same design keeps its contours) in units of this many points plus
    /// this fraction of the larger point count (1 when either is unknown).
    pub prefilter_points_abs: u32,
    pub prefilter_points_rel: f32,
    /// The nearest this many reference glyphs are rasterised and compared
    /// at 8×8 (issue3405r.pdf's six glyphs against WenQuanYi Regular: the
    /// right glyphs rank 1st to 7th, the near twins that decide the lead
    /// 40th to 94th), …
    pub prefilter_keep: usize,
    /// … or this many against a font of another family, whose contours
    /// need not follow the same design.
    pub fallback_prefilter_keep: usize,
}

impl Default for ShapeSettings {
    fn default() -> Self {
        ShapeSettings {
            fine: 48,
            coarse_keep: 16,
            medium_keep: 8,
            min_score: 0.6,
            min_lead: 0.08,
            fallback_min_score: 0.65,
            fallback_min_lead: 0.12,
            max_glyphs: 256,
            max_glyphs_per_document: 1024,
            max_files: 5000,
            max_depth: 6,
            max_file_bytes: 64 << 20,
            prefilter_box: 0.06,
            prefilter_points_abs: 4,
            prefilter_points_rel: 0.25,
            prefilter_keep: 128,
            fallback_prefilter_keep: 1024,
        }
    }
}

/// Why no glyph can be recognised (for the loader's warning).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NoRecognition {
    /// The program is not TrueType/OpenType with outlines.
    NoOutlines,
    /// No installed font of this family, nor an unambiguous one of its script.
    NoReference,
}

/// The writing system of a CJK font, from a CIDSystemInfo ordering or the
/// languages of a font's name records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Script {
    Chinese,
    Japanese,
    Korean,
}

impl Script {
    /// The script of an Adobe character collection (GB1, CNS1, Japan1, Korea1).
    pub(crate) fn of_ordering(ordering: &str) -> Option<Script> {
        match ordering {
            "GB1" | "CNS1" => Some(Script::Chinese),
            "Japan1" | "Japan2" => Some(Script::Japanese),
            "Korea1" => Some(Script::Korean),
            _ => None,
        }
    }

    /// The script of a name record's language (Windows LCID or Macintosh
    /// language code).
    fn of_language(platform: ttf_parser::PlatformId, language: u16) -> Option<Script> {
        match platform {
            ttf_parser::PlatformId::Windows => match language & 0x3FF {
                0x04 => Some(Script::Chinese),
                0x11 => Some(Script::Japanese),
                0x12 => Some(Script::Korean),
                _ => None,
            },
            ttf_parser::PlatformId::Macintosh => match language {
                19 | 33 => Some(Script::Chinese),
                11 => Some(Script::Japanese),
                23 => Some(Script::Korean),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Glyph recognitions left for one document, shared by its fonts.
#[derive(Debug, Clone)]
pub(crate) struct Budget(Arc<AtomicUsize>);

impl Default for Budget {
    fn default() -> Self {
        Budget::new(ShapeSettings::default().max_glyphs_per_document)
    }
}

impl Budget {
    pub(crate) fn new(n: usize) -> Budget {
        Budget(Arc::new(AtomicUsize::new(n)))
    }

    /// Spend one recognition; false when none is left.
    fn take(&self) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_sub(1))
            .is_ok()
    }
}

/// Recognition of one embedded program's glyphs, each the first time it is
/// drawn (a subset often carries many more glyphs than a page shows), at
/// most [`ShapeSettings::max_glyphs`] of them; answers are remembered.
pub(crate) struct Shapes {
    program: Vec<u8>,
    /// The reference font file and face.
    pub reference: PathBuf,
    /// Whether the reference is of another family (same script).
    pub fallback: bool,
    index: u32,
    settings: ShapeSettings,
    budget: Budget,
    memo: Mutex<BTreeMap<u16, Option<char>>>,
}

impl std::fmt::Debug for Shapes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shapes")
            .field("reference", &self.reference)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Shapes {
    /// Ready to recognise the glyphs of `program` (font `name` as in
    /// BaseFont) against an installed font of the same family.
    /// Without one, an installed CJK font of `script` (or, when that is
    /// unknown, of the one script all installed CJK fonts share) is used
    /// with stricter thresholds.
    pub(crate) fn new(
        program: Vec<u8>,
        name: &str,
        script: Option<Script>,
        settings: ShapeSettings,
        budget: Budget,
    ) -> Result<Shapes, NoRecognition> {
        let face = Face::parse(&program, 0).map_err(|_| NoRecognition::NoOutlines)?;
        let any_outline =
            (1..face.number_of_glyphs()).any(|g| face.glyph_bounding_box(GlyphId(g)).is_some());
        if !any_outline {
            return Err(NoRecognition::NoOutlines);
        }
        let (reference, index, fallback) = pick_reference(name, script, installed_faces(&settings))
            .ok_or(NoRecognition::NoReference)?;
        Ok(Shapes::with_reference(
            program, reference, index, fallback, settings, budget,
        ))
    }

    /// Against this reference face (`fallback`: of another family).
    fn with_reference(
        program: Vec<u8>,
        reference: PathBuf,
        index: u32,
        fallback: bool,
        mut settings: ShapeSettings,
        budget: Budget,
    ) -> Shapes {
        if fallback {
            settings.min_score = settings.fallback_min_score;
            settings.min_lead = settings.fallback_min_lead;
            settings.prefilter_keep = settings.fallback_prefilter_keep;
        }
        Shapes {
            program,
            reference,
            fallback,
            index,
            settings,
            budget,
            memo: Mutex::new(BTreeMap::new()),
        }
    }

    /// The character glyph `gid` looks like, if clearly one.
    pub(crate) fn char_of(&self, gid: u16) -> Option<char> {
        let mut memo = self.memo.lock().ok()?;
        if let Some(known) = memo.get(&gid) {
            return *known;
        }
        if memo.len() >= self.settings.max_glyphs || !self.budget.take() {
            return None;
        }
        let found = self.recognise(gid);
        memo.insert(gid, found);
        found
    }

    /// How many glyphs were recognised so far.
    pub(crate) fn recognised(&self) -> usize {
        self.memo
            .lock()
            .map_or(0, |m| m.values().filter(|c| c.is_some()).count())
    }

    fn recognise(&self, gid: u16) -> Option<char> {
        let s = &self.settings;
        let face = Face::parse(&self.program, 0).ok()?;
        let fine = blur(&glyph_bitmap(&face, gid, s.fine)?);
        let unknown = Unknown::of(&face, gid)?;
        let refs = reference(&self.reference, self.index, s)?;
        let ref_face = Face::parse(&refs.data, self.index).ok()?;
        let scored: Vec<(char, f32)> = refs
            .index
            .candidates(&ref_face, &unknown, s)
            .iter()
            .filter_map(|&(rgid, ch)| {
                let rb = blur(&glyph_bitmap(&ref_face, rgid, s.fine)?);
                Some((ch, soft_iou(&fine, &rb)))
            })
            .collect();
        best_match(&scored, s)
    }
}

/// The character of the best-scoring candidate, if it scores at least
/// `min_score` and leads every candidate of another character by
/// `min_lead`; near-ties between characters are ambiguous.
pub(crate) fn best_match(scored: &[(char, f32)], settings: &ShapeSettings) -> Option<char> {
    // A compatibility ideograph and its unified twin are one character.
    let mut sorted: Vec<(char, f32)> = scored
        .iter()
        .map(|&(c, v)| (super::normalize::normalize_char(c), v))
        .collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(ch, best) = sorted.first()?;
    let runner = sorted.iter().find(|c| c.0 != ch).map_or(0.0, |c| c.1);
    (best >= settings.min_score && best - runner >= settings.min_lead).then_some(ch)
}

// ---------------------------------------------------------------------------
// Rasterising

const COARSE: usize = 8;
const MEDIUM: usize = 16;
/// The em box: this much of the em above the baseline (the rest below).
const EM_TOP: f32 = 0.88;
/// Flattened line segments per glyph at most (a hostile outline stops there).
const MAX_SEGMENTS: usize = 200_000;

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
    fn row_piece(&mut self, row: usize, xs: f32, xe: f32, d: f32) {
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
    fn cell_part(&mut self, row: usize, l: f32, r: f32, d: f32) {
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
struct Flatten {
    r: Rasteriser,
    scale_x: f32,
    scale_y: f32,
    top: f32,
    start: (f32, f32),
    pen: (f32, f32),
}

impl Flatten {
    fn px(&self, x: f32, y: f32) -> (f32, f32) {
        (x * self.scale_x, (self.top - y) * self.scale_y)
    }
    fn to(&mut self, p: (f32, f32)) {
        self.r.line(self.pen.0, self.pen.1, p.0, p.1);
        self.pen = p;
    }
    /// Segments for a curve whose control polygon bends by `bend` pixels:
    /// n segments stray from the curve by at most bend / (4 n²), with
    /// `bend` the length of a quadratic's second difference (exact), or
    /// three times the larger of a cubic's two (a bound).
    fn steps(&self, bend: impl FnOnce() -> f32) -> usize {
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
fn curve_steps(size: usize) -> usize {
    match size {
        0..=8 => 1,
        9..=16 => 2,
        _ => 8,
    }
}

/// How far (pixels) a flattened curve may stray from the true one: the
/// segments per curve are as few as keep within it, up to [`curve_steps`].
const FLATNESS: f32 = 0.05;

/// |a − 2b + c|.
fn second_difference(a: (f32, f32), b: (f32, f32), c: (f32, f32)) -> f32 {
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
fn outline_bitmap(face: &Face<'_>, gid: u16, size: usize) -> Option<Bitmap> {
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
            *d = src.get(i - 1..i + 2).map_or(0.0, |w| w[0] + w[1] + w[2]);
        }
        if let (Some(d), Some(s)) = (dst.first_mut(), src.get(0..2)) {
            *d = s[0] + s[1];
        }
        if let (Some(d), Some(s)) = (dst.last_mut(), src.get(n - 2..n)) {
            *d = s[0] + s[1];
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
fn similarity(a: &Bitmap, b: &Bitmap) -> f32 {
    soft_iou(&blur(a), &blur(b))
}

/// Σ min / Σ max of two bitmaps of one size (0 when blank or mismatched).
fn soft_iou(a: &Bitmap, b: &Bitmap) -> f32 {
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

fn to_bytes(b: &Bitmap) -> Vec<u8> {
    b.cells.iter().map(|c| (c * 255.0).round() as u8).collect()
}

/// Soft IoU of byte bitmaps (for the coarse passes).
fn byte_iou(a: &[u8], b: &[u8]) -> f32 {
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

// ---------------------------------------------------------------------------
// Reference fonts

/// Contour sizes kept per glyph (the largest; the rest are summed).
const CONTOURS_KEPT: usize = 8;
/// Contours read from a `glyf` header at most (a hostile header may claim
/// 32767); beyond, the structure is unknown.
const MAX_CONTOURS: usize = 512;

/// A TrueType glyph's contour structure: the points of its largest
/// contours, largest first (0 when fewer; at most 255 each), of all the
/// others, and in all (0: the structure is unknown, as for a composite
/// glyph or a CFF outline).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Contours {
    largest: [u8; CONTOURS_KEPT],
    rest: u16,
    points: u16,
}

impl Contours {
    /// From the points of each contour, in any order.
    fn of(sizes: impl Iterator<Item = u16>) -> Contours {
        let mut c = Contours::default();
        let (mut rest, mut points) = (0u32, 0u32);
        for size in sizes {
            points += size as u32;
            let size = size.min(u8::MAX as u16) as u8;
            // Insertion into the sorted few without a branch: each slot
            // keeps its own, or takes the new size, or the one before it,
            // whichever lies between; what falls off the end is the rest.
            let old = c.largest;
            let mut before = [u8::MAX; CONTOURS_KEPT];
            before[1..].copy_from_slice(&old[..CONTOURS_KEPT - 1]);
            for ((slot, &o), &b) in c.largest.iter_mut().zip(&old).zip(&before) {
                *slot = o.max(size.min(b));
            }
            rest += size.min(old[CONTOURS_KEPT - 1]) as u32;
        }
        c.rest = rest.min(u16::MAX as u32) as u16;
        c.points = points.min(u16::MAX as u32) as u16;
        c
    }

    /// Points by which the two differ, contour by contour in size order.
    fn distance(&self, other: &Contours) -> u32 {
        let kept: u32 = self
            .largest
            .iter()
            .zip(&other.largest)
            .map(|(a, b)| a.abs_diff(*b) as u32)
            .sum();
        kept + self.rest.abs_diff(other.rest) as u32
    }
}

/// Placements are kept in 1/4096 of the em (the index holds one per
/// reference glyph: 20 bytes in all, not 28).
const PLACEMENT_UNITS: f32 = 4096.0;

/// What the prefilter compares, read from a glyph's `glyf` header without
/// parsing its outline, so every reference glyph can be screened: the
/// placement of its box in the em box (centre x and y, width and height,
/// in [`PLACEMENT_UNITS`] of the advance and of the em, y down, as the
/// bitmaps place it) and, for a simple TrueType outline, its contour sizes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Features {
    placement: [i16; 4],
    contours: Contours,
}

/// The prefilter's units (see [`ShapeSettings::prefilter_box`]), worked
/// out once per scan of the index.
struct Units {
    /// Distance per placement unit of centre (half that of size).
    per_placement: f32,
    points_abs: f32,
    points_rel: f32,
}

impl Units {
    fn of(s: &ShapeSettings) -> Units {
        Units {
            per_placement: 1.0 / (PLACEMENT_UNITS * s.prefilter_box.max(f32::EPSILON)),
            points_abs: s.prefilter_points_abs as f32,
            points_rel: s.prefilter_points_rel,
        }
    }
}

impl Features {
    /// How far `other` is from this glyph: the difference of placements in
    /// units of `prefilter_box` (sizes at half weight) plus that of contour
    /// sizes in units of the points tolerance (1 when either is unknown).
    fn distance(&self, other: &Features, u: &Units) -> f32 {
        let (a, b) = (&self.placement, &other.placement);
        let d = |i: usize| (a[i] as i32).abs_diff(b[i] as i32);
        let placement = (2 * (d(0) + d(1)) + d(2) + d(3)) as f32 * 0.5 * u.per_placement;
        let (x, y) = (&self.contours, &other.contours);
        let structure = if x.points == 0 || y.points == 0 {
            1.0
        } else {
            let tolerance = u.points_abs + u.points_rel * x.points.max(y.points) as f32;
            x.distance(y) as f32 / tolerance.max(1.0)
        };
        placement + structure
    }
}

/// Glyphs ahead whose headers the index build asks for.
const PREFETCH_AHEAD: usize = 8;

/// Reads glyphs' features from a face, its tables looked up once.
struct FeatureReader<'a> {
    face: &'a Face<'a>,
    glyf: Option<&'a [u8]>,
    loca: Option<&'a [u8]>,
    long_loca: bool,
    upem: f32,
}

impl<'a> FeatureReader<'a> {
    fn new(face: &'a Face<'a>) -> FeatureReader<'a> {
        let raw = face.raw_face();
        FeatureReader {
            face,
            glyf: raw.table(ttf_parser::Tag::from_bytes(b"glyf")),
            loca: raw.table(ttf_parser::Tag::from_bytes(b"loca")),
            long_loca: matches!(
                face.tables().head.index_to_location_format,
                ttf_parser::head::IndexToLocationFormat::Long
            ),
            upem: face.units_per_em().max(1) as f32,
        }
    }

    fn features(&self, gid: u16) -> Option<Features> {
        let upem = self.upem;
        let advance = self
            .face
            .glyph_hor_advance(GlyphId(gid))
            .filter(|&a| a > 0)
            .map_or(upem, |a| a as f32);
        let (b, contours) = match self.glyf_header(gid) {
            Some(h) => h,
            // CFF outlines: the box from the outline itself.
            None => {
                let r = self.face.glyph_bounding_box(GlyphId(gid))?;
                ([r.x_min, r.y_min, r.x_max, r.y_max], Contours::default())
            }
        };
        let top = EM_TOP * upem;
        let (left, right) = (b[0] as f32 / advance, b[2] as f32 / advance);
        let (upper, lower) = ((top - b[3] as f32) / upem, (top - b[1] as f32) / upem);
        // Saturating: a box 8 em away is as far as any.
        let units = |v: f32| (v * PLACEMENT_UNITS) as i16;
        Some(Features {
            placement: [
                units((left + right) * 0.5),
                units((upper + lower) * 0.5),
                units(right - left),
                units(lower - upper),
            ],
            contours,
        })
    }

    /// Box (x min, y min, x max, y max in font units) and contour sizes
    /// (unknown for a composite glyph or an implausible header) from a
    /// glyph's `glyf` header; None without a `glyf` table or for an empty
    /// glyph.
    /// Where glyph `g`'s data lies in the `glyf` table (by `loca`).
    fn glyph_range(&self, g: usize) -> Option<(usize, usize)> {
        let loca = self.loca?;
        let at16 = |o: usize| loca.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
        let at32 = |o: usize| {
            loca.get(o..o + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        };
        if self.long_loca {
            Some((at32(4 * g)?, at32(4 * g + 4)?))
        } else {
            Some((at16(2 * g)? as usize * 2, at16(2 * g + 2)? as usize * 2))
        }
    }

    /// Ask for glyph `gid`'s header to be fetched into the cache ahead of
    /// [`FeatureReader::features`] (the index reads tens of thousands of
    /// them, each from a different place of a mapped file).
    fn prefetch(&self, gid: usize) {
        #[cfg(target_arch = "x86_64")]
        if let (Some(glyf), Some((start, _))) = (self.glyf, self.glyph_range(gid)) {
            if let Some(b) = glyf.get(start) {
                use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
                // SAFETY: SSE is part of every x86-64 CPU, and a prefetch
                // only hints (it never faults); the address is in bounds.
                unsafe { _mm_prefetch::<_MM_HINT_T0>((b as *const u8).cast()) };
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = gid;
    }

    fn glyf_header(&self, gid: u16) -> Option<([i16; 4], Contours)> {
        let glyf = self.glyf?;
        let (start, end) = self.glyph_range(gid as usize)?;
        if end <= start {
            return None;
        }
        let header = glyf.get(start..start + 10)?;
        let v = |i: usize| i16::from_be_bytes([header[i], header[i + 1]]);
        let n = v(0);
        let mut contours = Contours::default();
        // End points of contours, each past the one before.
        let ends = (n > 0 && n as usize <= MAX_CONTOURS)
            .then(|| glyf.get(start + 10..start + 10 + 2 * n as usize))
            .flatten();
        if let Some(ends) = ends {
            let (mut prev, mut ok) = (-1i32, true);
            let c = Contours::of(ends.chunks_exact(2).map(|e| {
                let e = u16::from_be_bytes([e[0], e[1]]) as i32;
                ok &= e > prev;
                let size = (e - prev).clamp(0, u16::MAX as i32) as u16;
                prev = e;
                size
            }));
            if ok {
                contours = c;
            }
        }
        Some(([v(2), v(4), v(6), v(8)], contours))
    }
}

/// The glyph being recognised: its features, 8×8 and 16×16 coverage.
struct Unknown {
    features: Features,
    coarse: Vec<u8>,
    medium: Vec<u8>,
}

impl Unknown {
    fn of(face: &Face<'_>, gid: u16) -> Option<Unknown> {
        Some(Unknown {
            features: FeatureReader::new(face).features(gid)?,
            medium: to_bytes(&glyph_bitmap(face, gid, MEDIUM)?),
            coarse: to_bytes(&outline_bitmap(face, gid, COARSE)?),
        })
    }
}

/// Every glyph of a reference face that its cmap maps to a character:
/// its id, character and features, side by side. Building it reads only
/// the cmap and the glyph headers; a recognition rasterises only the few
/// glyphs the prefilter lets through.
struct RefIndex {
    gids: Vec<u16>,
    chars: Vec<char>,
    features: Vec<Features>,
}

/// [`super::embedded::rank`] as one number (lower is preferred): private
/// use, then compatibility, then the code point (below 2²¹).
fn rank_key(cp: u32) -> u32 {
    let (pua, compat, cp) = super::embedded::rank(cp);
    (pua as u32) << 31 | (compat as u32) << 30 | cp
}

impl RefIndex {
    fn build(face: &Face<'_>, raw_cmap: Option<&[u8]>) -> RefIndex {
        let n = face.number_of_glyphs();
        // Per glyph, the preferred code point's rank key (u32::MAX: none).
        let mut best: Vec<u32> = vec![u32::MAX; n as usize];
        let mut take = |cp: u32, g: u16| {
            let key = rank_key(cp);
            // Cheapest tests first: most pairs come twice (two subtables).
            if let Some(e) = best.get_mut(g as usize) {
                if key < *e && g != 0 && wanted(cp) {
                    *e = key;
                }
            }
        };
        if let Some(raw) = raw_cmap {
            segmented_groups(raw, n, &mut |unicode, cp, g| {
                if unicode {
                    take(cp, g)
                }
            });
        }
        if let Some(cmap) = face.tables().cmap {
            // Format 4 subtables walked directly (most fonts list one
            // twice, for two platforms); each at most once.
            let mut walked: Vec<usize> = Vec::new();
            for sub in cmap.subtables {
                let segmented = matches!(
                    sub.format,
                    ttf_parser::cmap::Format::SegmentedCoverage(_)
                        | ttf_parser::cmap::Format::ManyToOneRangeMappings(_)
                );
                if !sub.is_unicode() || segmented {
                    continue;
                }
                if let ttf_parser::cmap::Format::SegmentMappingToDeltaValues(_) = sub.format {
                    let platform = platform_number(sub.platform_id);
                    let at = raw_cmap.and_then(|r| format4_offset(r, platform, sub.encoding_id));
                    if let (Some(raw), Some(at)) = (raw_cmap, at) {
                        if walked.contains(&at) {
                            continue;
                        }
                        if walk_format4(raw, at, &mut take) {
                            walked.push(at);
                            continue;
                        }
                    }
                }
                each_codepoint(&sub, raw_cmap, &mut |cp| {
                    if let Some(g) = sub.glyph_index(cp) {
                        take(cp, g.0);
                    }
                });
            }
        }
        let reader = FeatureReader::new(face);
        let mapped = best.iter().filter(|&&k| k != u32::MAX).count();
        let mut index = RefIndex {
            gids: Vec::with_capacity(mapped),
            chars: Vec::with_capacity(mapped),
            features: Vec::with_capacity(mapped),
        };
        for (gid, &key) in best.iter().enumerate() {
            reader.prefetch(gid + PREFETCH_AHEAD);
            let (Ok(gid), Some(ch)) = (
                u16::try_from(gid),
                char::from_u32(key & 0x1F_FFFF).filter(|_| key != u32::MAX),
            ) else {
                continue;
            };
            if let Some(f) = reader.features(gid) {
                index.gids.push(gid);
                index.chars.push(ch);
                index.features.push(f);
            }
        }
        index
    }

    /// The reference glyphs most like `unknown`: the `prefilter_keep`
    /// nearest by features, of those the best `coarse_keep` at 8×8, of
    /// those the best `medium_keep` at 16×16. `face` is the face the index
    /// was built from.
    fn candidates(
        &self,
        face: &Face<'_>,
        unknown: &Unknown,
        s: &ShapeSettings,
    ) -> Vec<(u16, char)> {
        // The nearest `prefilter_keep`, kept in a heap whose top is the
        // farthest of them.
        let keep = s.prefilter_keep;
        let units = Units::of(s);
        let mut near: BinaryHeap<Near> = BinaryHeap::with_capacity(keep + 1);
        for (i, f) in self.features.iter().enumerate() {
            let d = Near(unknown.features.distance(f, &units), i);
            if near.len() < keep {
                near.push(d);
            } else if let Some(mut far) = near.peek_mut() {
                if d < *far {
                    *far = d;
                }
            }
        }
        let mut scored: Vec<(f32, usize)> = near
            .iter()
            .filter_map(|&Near(_, i)| {
                let coarse = to_bytes(&outline_bitmap(face, *self.gids.get(i)?, COARSE)?);
                Some((byte_iou(&unknown.coarse, &coarse), i))
            })
            .collect();
        let by_score = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        scored.sort_unstable_by(by_score);
        scored.truncate(s.coarse_keep);
        for e in scored.iter_mut() {
            e.0 = self
                .gids
                .get(e.1)
                .and_then(|&g| glyph_bitmap(face, g, MEDIUM))
                .map_or(-1.0, |m| byte_iou(&unknown.medium, &to_bytes(&m)));
        }
        // Blank at 16×16 (nothing inked): not a candidate, as before.
        scored.retain(|e| e.0 >= 0.0);
        scored.sort_unstable_by(by_score);
        scored
            .iter()
            .take(s.medium_keep)
            .filter_map(|&(_, i)| Some((*self.gids.get(i)?, *self.chars.get(i)?)))
            .collect()
    }
}

/// A reference glyph's distance to the unknown one and its place in the
/// index, ordered by distance, then place (the order is total, so the
/// glyphs kept do not depend on the order they are met in).
#[derive(Debug, Clone, Copy)]
struct Near(f32, usize);

impl PartialEq for Near {
    fn eq(&self, other: &Near) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Near {}
impl PartialOrd for Near {
    fn partial_cmp(&self, other: &Near) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Near {
    fn cmp(&self, other: &Near) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

fn platform_number(p: ttf_parser::PlatformId) -> u16 {
    match p {
        ttf_parser::PlatformId::Unicode => 0,
        ttf_parser::PlatformId::Macintosh => 1,
        ttf_parser::PlatformId::Iso => 2,
        ttf_parser::PlatformId::Windows => 3,
        ttf_parser::PlatformId::Custom => 4,
    }
}

/// Where in a raw `cmap` table the format 4 subtable of this platform and
/// encoding starts (the first such record, as ttf-parser reads it).
fn format4_offset(raw: &[u8], platform: u16, encoding: u16) -> Option<usize> {
    let u16_at = |o: usize| raw.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let u32_at = |o: usize| {
        raw.get(o..o + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let count = u16_at(2)? as usize;
    (0..count).find_map(|i| {
        let rec = 4 + i * 8;
        if u16_at(rec)? != platform || u16_at(rec + 2)? != encoding {
            return None;
        }
        let off = u32_at(rec + 4)? as usize;
        Some((u16_at(off)? == 4).then_some(off))
    })?
}

/// Every (code point, glyph) pair of the format 4 subtable at `at`, segment
/// by segment, computed as ttf-parser's lookup computes them. Only for
/// segments in increasing order without overlap, where that lookup finds
/// each code point's own segment; false (nothing visited) otherwise.
fn walk_format4(raw: &[u8], at: usize, f: &mut dyn FnMut(u32, u16)) -> bool {
    let Some(sub) = raw.get(at..) else {
        return false;
    };
    let u16_at = |o: usize| sub.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let Some(segs) = u16_at(6).map(|x| x as usize / 2) else {
        return false;
    };
    let (ends, starts, deltas, ranges) = (14, 16 + 2 * segs, 16 + 4 * segs, 16 + 6 * segs);
    let seg = |i: usize| {
        Some((
            u16_at(starts + 2 * i)?,
            u16_at(ends + 2 * i)?,
            u16_at(deltas + 2 * i)?,
            u16_at(ranges + 2 * i)?,
        ))
    };
    let mut prev_end: Option<u16> = None;
    for i in 0..segs {
        let Some((start, end, _, _)) = seg(i) else {
            return false;
        };
        if start > end || prev_end.is_some_and(|p| p >= start) {
            return false;
        }
        prev_end = Some(end);
    }
    for i in 0..segs {
        let Some((start, end, delta, range)) = seg(i) else {
            continue;
        };
        for cp in start..=end {
            let g = if range == 0 {
                Some(cp.wrapping_add(delta))
            } else if range == 0xFFFF {
                None
            } else {
                // As ttf-parser: positions in the subtable, in 16 bits.
                u16::try_from((cp - start) as u32 * 2)
                    .ok()
                    .map(|step| {
                        ((ranges + 2 * i) as u16)
                            .wrapping_add(step)
                            .wrapping_add(range)
                    })
                    .and_then(|pos| u16_at(pos as usize))
                    .filter(|&v| v != 0)
                    .and_then(|v| u16::try_from((v as i16).wrapping_add(delta as i16)).ok())
            };
            if let Some(g) = g {
                f(cp as u32, g);
            }
        }
    }
    true
}

/// Characters worth matching: not controls, spaces or private use.
fn wanted(cp: u32) -> bool {
    let Some(c) = char::from_u32(cp) else {
        return false;
    };
    !(c.is_control() || c.is_whitespace() || (0xE000..=0xF8FF).contains(&cp) || cp >= 0xF0000)
}

/// A reference face's file and index.
struct Reference {
    data: FontBytes,
    index: RefIndex,
}

type ReferenceCache = Mutex<HashMap<(PathBuf, u32), Option<Arc<Reference>>>>;

/// A reference face, read and indexed once per process.
fn reference(path: &Path, index: u32, s: &ShapeSettings) -> Option<Arc<Reference>> {
    static CACHE: OnceLock<ReferenceCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (path.to_path_buf(), index);
    // Held while building, so one thread builds it.
    let mut map = cache.lock().ok()?;
    if let Some(hit) = map.get(&key) {
        return hit.clone();
    }
    let built = FontBytes::open(path, s.max_file_bytes).and_then(|data| {
        let face = Face::parse(&data, index).ok()?;
        let raw = face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
        let index = RefIndex::build(&face, raw);
        Some(Arc::new(Reference { data, index }))
    });
    map.insert(key, built.clone());
    built
}

/// A reference font file's bytes: mapped, so that only the pages of the
/// tables read (cmap, loca, hmtx, the glyph headers and the few outlines
/// rasterised) are ever touched, not copied into fresh memory; read whole
/// when it cannot be mapped.
enum FontBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FontBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FontBytes::Mapped(m) => m,
            FontBytes::Read(v) => v,
        }
    }
}

impl FontBytes {
    fn open(path: &Path, max: u64) -> Option<FontBytes> {
        let f = std::fs::File::open(path).ok()?;
        let len = f.metadata().ok()?.len();
        if len > max {
            return None;
        }
        // SAFETY: a read-only private mapping of an installed font; the
        // bytes change under us only if another process rewrites that file
        // in place while we run (package managers replace a file by
        // renaming, which leaves this mapping intact). Every read of it is
        // bounds-checked against the length mapped.
        match unsafe { memmap2::Mmap::map(&f) } {
            Ok(m) if m.len() as u64 == len => Some(FontBytes::Mapped(m)),
            _ => read_bounded(f, max).map(FontBytes::Read),
        }
    }
}

fn read_bounded(f: std::fs::File, max: u64) -> Option<Vec<u8>> {
    // Sized up front: growing a 17 MB buffer by doubling cost more than
    // the read itself.
    let len = f.metadata().ok()?.len();
    if len > max {
        return None;
    }
    let mut data = Vec::with_capacity(len as usize + 1);
    f.take(max + 1).read_to_end(&mut data).ok()?;
    (data.len() as u64 <= max).then_some(data)
}

/// An installed face and its family names, normalised (see [`normalise`]).
#[derive(Debug, Clone)]
struct InstalledFace {
    path: PathBuf,
    index: u32,
    names: Vec<String>,
    /// Scripts of its name records' languages (a CJK font names itself
    /// in Chinese, Japanese or Korean).
    scripts: Vec<Script>,
}

/// Lowercase ASCII letters and digits only: "WenQuanYi Zen Hei" and
/// "WenQuanYiZenHei" compare equal.
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The installed face whose family name (the longest of several that
/// match) is part of the font's name; ties to the first by path. Failing
/// that, the first CJK face of `script` — or, when the script is unknown,
/// of the one script every installed CJK face shares — flagged as a
/// fallback (the bool).
fn pick_reference(
    name: &str,
    script: Option<Script>,
    faces: &[InstalledFace],
) -> Option<(PathBuf, u32, bool)> {
    let wanted = normalise(name);
    let mut best: Option<(usize, &InstalledFace)> = None;
    for f in faces {
        let Some(len) = f
            .names
            .iter()
            .filter(|n| n.len() >= 4 && wanted.contains(n.as_str()))
            .map(|n| n.len())
            .max()
        else {
            continue;
        };
        if best.is_none_or(|(l, _)| len > l) {
            best = Some((len, f));
        }
    }
    if let Some((_, f)) = best {
        return Some((f.path.clone(), f.index, false));
    }
    let script = match script {
        Some(s) => s,
        None => {
            let mut all: Vec<Script> = faces.iter().flat_map(|f| f.scripts.clone()).collect();
            all.sort();
            all.dedup();
            match all.as_slice() {
                [only] => *only,
                _ => return None,
            }
        }
    };
    let f = faces.iter().find(|f| f.scripts.contains(&script))?;
    Some((f.path.clone(), f.index, true))
}

/// Directories searched for reference fonts: the standard ones and those
/// listed (colon-separated) in `GONGKAI_FONT_DIRS`.
fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(extra) = std::env::var_os("GONGKAI_FONT_DIRS") {
        dirs.extend(std::env::split_paths(&extra));
    }
    dirs.push("/usr/share/fonts".into());
    dirs.push("/usr/local/share/fonts".into());
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".fonts"));
        dirs.push(home.join(".local/share/fonts"));
    }
    dirs
}

/// Every installed face with its names, scanned once per process.
fn installed_faces(s: &ShapeSettings) -> &'static [InstalledFace] {
    static FACES: OnceLock<Vec<InstalledFace>> = OnceLock::new();
    FACES.get_or_init(|| {
        let mut files = Vec::new();
        for d in font_dirs() {
            walk(&d, s.max_depth, s.max_files, &mut files);
        }
        files.sort();
        files.dedup();
        files
            .iter()
            .flat_map(|p| face_names(p).unwrap_or_default())
            .collect()
    })
}

fn walk(dir: &Path, depth: usize, max: usize, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    // Whether each is a directory, from the listing itself where it says
    // (no stat per file); symbolic links are followed.
    let mut entries: Vec<(PathBuf, Option<bool>)> = rd
        .filter_map(|e| {
            let e = e.ok()?;
            let known = e.file_type().ok().filter(|t| !t.is_symlink());
            Some((e.path(), known.map(|t| t.is_dir())))
        })
        .collect();
    entries.sort();
    for (p, is_dir) in entries {
        if out.len() >= max {
            return;
        }
        if is_dir.unwrap_or_else(|| p.is_dir()) {
            if depth > 0 {
                walk(&p, depth - 1, max, out);
            }
        } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        }) {
            out.push(p);
        }
    }
}

/// The family names of each face of a font file, reading only its headers
/// and name tables (CJK collections are tens of megabytes).
fn face_names(path: &Path) -> Option<Vec<InstalledFace>> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut read_at = |off: u64, len: usize| -> Option<Vec<u8>> {
        f.seek(SeekFrom::Start(off)).ok()?;
        let mut b = vec![0; len];
        f.read_exact(&mut b).ok()?;
        Some(b)
    };
    let be32 = |b: &[u8], o: usize| {
        b.get(o..o + 4)
            .map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]))
    };
    let head = read_at(0, 12)?;
    let offsets: Vec<u32> = if head.get(0..4) == Some(b"ttcf") {
        let n = be32(&head, 8)?.min(64) as usize;
        let list = read_at(12, 4 * n)?;
        (0..n).filter_map(|i| be32(&list, 4 * i)).collect()
    } else {
        vec![0]
    };
    let mut out = Vec::new();
    for (index, off) in offsets.into_iter().enumerate() {
        let Some(h) = read_at(off as u64, 12) else {
            continue;
        };
        let tables = h.get(4..6).map_or(0, |x| u16::from_be_bytes([x[0], x[1]])) as usize;
        let Some(dir) = read_at(off as u64 + 12, 16 * tables.min(256)) else {
            continue;
        };
        let Some((noff, nlen)) = dir.chunks(16).find_map(|r| {
            (r.get(0..4) == Some(b"name")).then(|| Some((be32(r, 8)?, be32(r, 12)?)))?
        }) else {
            continue;
        };
        let Some(bytes) = read_at(noff as u64, (nlen as usize).min(1 << 20)) else {
            continue;
        };
        let Some(table) = ttf_parser::name::Table::parse(&bytes) else {
            continue;
        };
        let mut scripts: Vec<Script> = table
            .names
            .into_iter()
            .filter_map(|n| Script::of_language(n.platform_id, n.language_id))
            .collect();
        scripts.sort();
        scripts.dedup();
        let mut names: Vec<String> = table
            .names
            .into_iter()
            .filter(|n| matches!(n.name_id, 1 | 4 | 6 | 16))
            .filter_map(|n| n.to_string())
            .map(|n| normalise(&n))
            .filter(|n| !n.is_empty())
            .collect();
        names.sort();
        names.dedup();
        out.push(InstalledFace {
            path: path.to_path_buf(),
            index: index as u32,
            names,
            scripts,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI_CJK: &[u8] = include_bytes!("testdata/mini-cjk.ttf");

    fn settings() -> ShapeSettings {
        ShapeSettings::default()
    }

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

    /// The WenQuanYi subset of issue3405r.pdf (no cmap: glyphs labelled
    /// here by id) matched against itself: each glyph is itself, with
    /// score 1 and a clear lead over its 147 siblings.
    #[test]
    fn glyph_matches_itself() {
        crate::require_shared!();
        let program = issue3405r_program();
        let face = Face::parse(&program, 0).unwrap();
        let s = settings();
        let label = |g: u16| char::from_u32(0x4E00 + g as u32).unwrap();
        let all: Vec<(char, Bitmap)> = (1..face.number_of_glyphs())
            .filter_map(|g| Some((label(g), blur(&glyph_bitmap(&face, g, s.fine)?))))
            .collect();
        assert_eq!(all.len(), 148);
        for g in 4..=9u16 {
            let me = blur(&glyph_bitmap(&face, g, s.fine).unwrap());
            let scored: Vec<(char, f32)> =
                all.iter().map(|(c, b)| (*c, soft_iou(&me, b))).collect();
            assert_eq!(best_match(&scored, &s), Some(label(g)), "{g}");
        }
    }

    /// The program of issue3405r.pdf's font (object 9).
    fn issue3405r_program() -> Vec<u8> {
        let doc = lopdf::Document::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/real/encodings/issue3405r.pdf"
        ))
        .unwrap();
        doc.get_object((9, 0))
            .unwrap()
            .as_stream()
            .unwrap()
            .get_plain_content()
            .unwrap()
    }

    const WQY: &str = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

    /// Against the WenQuanYi reference, even under the stricter fallback
    /// thresholds, the six glyphs read as the page shows; past the per-font
    /// bound nothing more is tried; blank and absent glyphs stay unknown.
    #[test]
    fn recognition_against_reference_and_its_bounds() {
        crate::require_shared!();
        assert!(
            Path::new(WQY).exists(),
            "install fonts-wqy-zenhei (make deps)"
        );
        let program = issue3405r_program();
        let strict = Shapes::with_reference(
            program.clone(),
            WQY.into(),
            0,
            true,
            settings(),
            Budget::default(),
        );
        let text: String = (4..=9).filter_map(|g| strict.char_of(g)).collect();
        assert_eq!(text, "其他参考数据");
        assert_eq!(strict.recognised(), 6);
        // .notdef-like and missing glyphs: no outline, no answer.
        assert_eq!(strict.char_of(1), None);
        assert_eq!(strict.char_of(60_000), None);
        let bounded = Shapes::with_reference(
            program,
            WQY.into(),
            0,
            false,
            ShapeSettings {
                max_glyphs: 2,
                ..settings()
            },
            Budget::default(),
        );
        assert_eq!(bounded.char_of(4), Some('其'));
        assert_eq!(bounded.char_of(5), Some('他'));
        assert_eq!(bounded.char_of(6), None);
        assert_eq!(bounded.char_of(4), Some('其'));
        // The document's budget is shared by its fonts.
        let budget = Budget::new(3);
        let fonts: Vec<Shapes> = (0..2)
            .map(|_| {
                let p = issue3405r_program();
                Shapes::with_reference(p, WQY.into(), 0, false, settings(), budget.clone())
            })
            .collect();
        let got: Vec<Option<char>> = [(0, 4), (1, 5), (0, 6), (1, 7), (0, 8)]
            .iter()
            .map(|&(f, g)| fonts[f].char_of(g))
            .collect();
        assert_eq!(got, [Some('其'), Some('他'), Some('参'), None, None]);
    }

    /// Identical outlines under different characters (the test font draws
    /// 中 and 文 as the same square) are ambiguous, at every stage.
    #[test]
    fn identical_shapes_are_ambiguous() {
        let face = Face::parse(MINI_CJK, 0).unwrap();
        let s = settings();
        let a = glyph_bitmap(&face, 1, s.fine).unwrap();
        let b = glyph_bitmap(&face, 2, s.fine).unwrap();
        let scored = [('中', similarity(&a, &a)), ('文', similarity(&a, &b))];
        assert!((scored[0].1 - 1.0).abs() < 1e-5 && (scored[1].1 - 1.0).abs() < 1e-5);
        assert_eq!(best_match(&scored, &s), None);
        let raw = face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
        let idx = RefIndex::build(&face, raw);
        let c = idx.candidates(&face, &Unknown::of(&face, 1).unwrap(), &s);
        let chars: Vec<char> = c.iter().map(|c| c.1).collect();
        assert!(chars.contains(&'中') && chars.contains(&'文'), "{chars:?}");
    }

    /// The ambiguity rule: too low, or not clearly ahead of another
    /// character, is no match; the same character twice is not ambiguous;
    /// a blank glyph yields no bitmap at all.
    #[test]
    fn ambiguous_or_weak_matches_are_refused() {
        let s = settings();
        assert_eq!(best_match(&[], &s), None);
        assert_eq!(best_match(&[('甲', 0.9), ('乙', 0.88)], &s), None);
        assert_eq!(best_match(&[('甲', 0.9), ('乙', 0.7)], &s), Some('甲'));
        assert_eq!(
            best_match(&[('甲', 0.9), ('甲', 0.89), ('乙', 0.5)], &s),
            Some('甲')
        );
        assert_eq!(best_match(&[('甲', 0.5)], &s), None);
        // A blank bitmap is like nothing.
        let blank = Rasteriser::new(48).finish();
        let face = Face::parse(MINI_CJK, 0).unwrap();
        let zhong = glyph_bitmap(&face, 1, 48).unwrap();
        assert_eq!(similarity(&blank, &zhong), 0.0);
        assert_eq!(best_match(&[('中', similarity(&blank, &zhong))], &s), None);
    }

    /// Family matching: the longest family name contained in the BaseFont
    /// wins (Zen Hei Mono only when asked for); a stranger falls back to a
    /// CJK face of its script, or of the only script installed, else none.
    #[test]
    fn reference_picked_by_family_then_script() {
        use Script::*;
        let face = |p: &str, i, names: &[&str], scripts: &[Script]| InstalledFace {
            path: p.into(),
            index: i,
            names: names.iter().map(|n| normalise(n)).collect(),
            scripts: scripts.to_vec(),
        };
        let mut faces = vec![
            face("/a/dejavu.ttf", 0, &["DejaVu Sans"], &[]),
            face("/w/wqy-zenhei.ttc", 0, &["WenQuanYi Zen Hei"], &[Chinese]),
            face(
                "/w/wqy-zenhei.ttc",
                1,
                &["WenQuanYi Zen Hei Mono"],
                &[Chinese],
            ),
            face("/w/x.ttf", 0, &["Hei"], &[]),
        ];
        let pick = |n: &str, s, f: &[InstalledFace]| pick_reference(n, s, f);
        assert_eq!(
            pick("7E9ba1WenQuanYiZenHei,Medium", None, &faces),
            Some(("/w/wqy-zenhei.ttc".into(), 0, false))
        );
        assert_eq!(
            pick("WenQuanYiZenHeiMono", Some(Japanese), &faces),
            Some(("/w/wqy-zenhei.ttc".into(), 1, false))
        );
        let wqy = Some(("/w/wqy-zenhei.ttc".into(), 0, true));
        assert_eq!(pick("SimSun", None, &faces), wqy);
        assert_eq!(pick("SimSun", Some(Chinese), &faces), wqy);
        assert_eq!(pick("MS-Mincho", Some(Japanese), &faces), None);
        // Two scripts installed: an unknown script is ambiguous.
        faces.push(face("/n/gothic.otf", 0, &["Some Gothic"], &[Japanese]));
        assert_eq!(pick("SimSun", None, &faces), None);
        assert_eq!(
            pick("MS-Mincho", Some(Japanese), &faces),
            Some(("/n/gothic.otf".into(), 0, true))
        );
    }

    /// Contour sizes: the largest few in decreasing order, the rest summed,
    /// each at most 255, the total exact.
    #[test]
    fn contours_keep_the_largest_sorted() {
        let c = Contours::of([3u16, 61, 4, 300, 4, 9, 1, 2, 7, 5, 6].into_iter());
        assert_eq!(c.largest, [255, 61, 9, 7, 6, 5, 4, 4]);
        assert_eq!(c.rest, 3 + 1 + 2);
        assert_eq!(c.points, 402);
        let few = Contours::of([4u16, 56, 6].into_iter());
        assert_eq!(few.largest, [56, 6, 4, 0, 0, 0, 0, 0]);
        assert_eq!((few.rest, few.points), (0, 66));
        assert_eq!(few.distance(&few), 0);
        // [61, 4, 4, 4] against [56, 6, 4, 0]: 5 + 2 + 0 + 4.
        let other = Contours::of([61u16, 4, 4, 4].into_iter());
        assert_eq!(few.distance(&other), 11);
    }

    /// The prefilter's features: a glyph is at distance 0 from itself, and
    /// each of issue3405r.pdf's six glyphs (WenQuanYi Medium) finds its
    /// character in the Regular reference among the few nearest, far
    /// inside the `prefilter_keep` rasterised, and first after the 16×16
    /// pass. The near twins that guard against a wrong match are kept too:
    /// the decision is the one a search of twenty times as many candidates
    /// reaches, even when asked for almost twice the lead.
    #[test]
    fn prefilter_ranks_the_right_glyph_near_the_top() {
        crate::require_shared!();
        assert!(
            Path::new(WQY).exists(),
            "install fonts-wqy-zenhei (make deps)"
        );
        let s = settings();
        let units = Units::of(&s);
        let program = issue3405r_program();
        let face = Face::parse(&program, 0).unwrap();
        let data = FontBytes::open(Path::new(WQY), s.max_file_bytes).unwrap();
        let rf = Face::parse(&data, 0).unwrap();
        let raw = rf.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
        let idx = RefIndex::build(&rf, raw);
        let reader = FeatureReader::new(&face);
        let wide = ShapeSettings {
            prefilter_keep: 20 * s.prefilter_keep,
            coarse_keep: 16,
            medium_keep: 8,
            ..settings()
        };
        let mut worst = 0;
        for (g, ch) in (4..=9u16).zip("其他参考数据".chars()) {
            let me = reader.features(g).unwrap();
            assert_eq!(me.distance(&me, &units), 0.0);
            assert!(me.contours.points > 0, "{g}");
            let right = rf.glyph_index(ch).unwrap().0;
            let at = idx.gids.iter().position(|&x| x == right).unwrap();
            let d = me.distance(&idx.features[at], &units);
            let rank = idx
                .features
                .iter()
                .filter(|f| me.distance(f, &units) < d)
                .count();
            worst = worst.max(rank);
            let unknown = Unknown::of(&face, g).unwrap();
            assert_eq!(
                idx.candidates(&rf, &unknown, &s).first(),
                Some(&(right, ch)),
                "{ch}"
            );
            let fine = blur(&glyph_bitmap(&face, g, s.fine).unwrap());
            let scored = |s: &ShapeSettings| -> Vec<(char, f32)> {
                idx.candidates(&rf, &unknown, s)
                    .iter()
                    .map(|&(rg, rc)| {
                        let b = blur(&glyph_bitmap(&rf, rg, s.fine).unwrap());
                        (rc, soft_iou(&fine, &b))
                    })
                    .collect()
            };
            let (mine, theirs) = (scored(&s), scored(&wide));
            for lead in [0.08, 0.1, 0.12, 0.14, 0.15] {
                let s = ShapeSettings {
                    min_lead: lead,
                    ..settings()
                };
                assert_eq!(
                    best_match(&mine, &s),
                    best_match(&theirs, &s),
                    "{ch} {lead}: {mine:?} {theirs:?}"
                );
            }
        }
        assert!(worst * 8 <= s.prefilter_keep, "{worst}");
    }

    /// The direct format 4 walk visits exactly the pairs ttf-parser's
    /// lookup gives, over every code point of the WenQuanYi reference and
    /// the test font; segments out of order or overlapping are refused
    /// (left to the lookup).
    #[test]
    fn format4_walk_agrees_with_lookup() {
        let mut checked = 0;
        for data in [std::fs::read(WQY).unwrap(), MINI_CJK.to_vec()] {
            let face = Face::parse(&data, 0).unwrap();
            let raw = face
                .raw_face()
                .table(ttf_parser::Tag::from_bytes(b"cmap"))
                .unwrap();
            for sub in face.tables().cmap.unwrap().subtables {
                if !matches!(
                    sub.format,
                    ttf_parser::cmap::Format::SegmentMappingToDeltaValues(_)
                ) {
                    continue;
                }
                let at =
                    format4_offset(raw, platform_number(sub.platform_id), sub.encoding_id).unwrap();
                let mut walked = BTreeMap::new();
                assert!(walk_format4(raw, at, &mut |cp, g| {
                    walked.insert(cp, g);
                }));
                let looked: BTreeMap<u32, u16> = (0..=0xFFFFu32)
                    .filter_map(|cp| Some((cp, sub.glyph_index(cp)?.0)))
                    .collect();
                assert_eq!(walked, looked);
                checked += 1;
            }
        }
        assert!(checked >= 2, "{checked}");
        // One cmap, one format 4 subtable of two segments: 'A'..'C' then
        // 'B'..'D' overlaps, 'E'..'F' does not.
        let cmap = |second: (u16, u16)| {
            // Header and record (Windows Unicode BMP at offset 12); format,
            // length, language, 2 × segments, search fields; ends, pad,
            // starts, deltas, range offsets.
            let words: Vec<u16> = [
                vec![0, 1, 3, 1, 0, 12],
                vec![4, 32, 0, 4, 0, 0, 0],
                vec![0x43, second.1, 0, 0x41, second.0, 0, 0, 0, 0],
            ]
            .concat();
            words
                .iter()
                .flat_map(|w| w.to_be_bytes())
                .collect::<Vec<u8>>()
        };
        let mut seen = 0;
        assert!(walk_format4(&cmap((0x45, 0x46)), 12, &mut |_, _| seen += 1));
        assert_eq!(seen, 5);
        assert!(!walk_format4(&cmap((0x42, 0x44)), 12, &mut |_, _| seen += 1));
        assert_eq!(seen, 5);
    }
}
