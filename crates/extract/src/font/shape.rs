//! Glyph recognition by shape: the last resort for an embedded TrueType
//! program that says nothing about Unicode. encodings/issue3405r.pdf draws
//! 其他参考数据 with CIDs 4–9 of a "WenQuanYi Zen Hei Medium" subset under
//! Identity-H; the program has no `cmap`, `post` or `name` table, there is no
//! ToUnicode and the CIDSystemInfo (Adobe-UCS) names no collection. Its
//! SOURCES.md entry speaks of "the font's own cmap table": there is none.
//! Nothing in the file says which characters these are — only the outlines.
//!
//! So we rasterise each outline drawn from such a program and compare it with
//! the outlines of an installed font of the same family (the BaseFont's
//! family against the name table of every font under the standard font
//! directories, e.g. Debian's `fonts-wqy-zenhei` for WenQuanYi Zen Hei),
//! whose cmap does say what its glyphs are. Outlines are placed in the em
//! box (advance × 0.88 em above to 0.12 em below the baseline), not their
//! tight box, so position is part of the shape (一 is not 丨). Matching is
//! three-level: 8×8 and 16×16 coverage over every reference glyph narrows
//! to a few candidates, compared at 48×48 after a slight blur by soft
//! intersection over union. A match is kept only above an absolute score
//! and clearly ahead of the best candidate with a different character;
//! anything else stays unknown. (issue3405r.pdf's Medium subset against the
//! installed Regular 0.9.45: the right characters score 0.69–0.84, the best
//! other character at most 0.61.) Without a font of the family, a CJK font
//! of the same script is used with stricter thresholds, and only when the
//! script is known or every installed CJK font shares one. The font cache
//! warns how many glyphs were recognised and against which file, so a user
//! knows the text is a guess.
//!
//! The rasteriser is an area-accumulation scanline rasteriser (each edge
//! adds its signed covered area to the cells it crosses; a running sum per
//! row gives the coverage, clamped to 1, which is non-zero winding for
//! outlines whose contours do not cancel), with quadratic and cubic
//! curves flattened into lines.
//!
//! Cost is bounded: only fonts with no Unicode source at all, only glyphs
//! actually drawn, at most [`ShapeSettings::max_glyphs`] per font and
//! [`ShapeSettings::max_glyphs_per_document`] per document, a bounded
//! directory scan (once per process), and each reference font read and
//! indexed once per process. The index holds no bitmaps: it reads the cmap
//! and each glyph's `glyf` header (box and point count), and a recognition
//! rasterises, at 8×8 and once per process, only the reference glyphs whose
//! box and point count are near the unknown glyph's, at 16×16 the best
//! `coarse_keep` of those and at 48×48 the best `medium_keep`.
//! If no font of the family (nor an unambiguous one of the script) is
//! installed, the glyphs stay unknown with a warning saying why; for
//! issue3405r.pdf, `make deps` installs Debian's `fonts-wqy-zenhei`.

use super::embedded::{each_codepoint, segmented_groups};
use std::collections::{BTreeMap, HashMap};
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
    /// Candidates kept by the 8×8 pass, then by the 16×16 pass.
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
    /// Largest reference font file read (bytes).
    pub max_file_bytes: u64,
    /// Prefilter before any rasterising: a reference glyph is a candidate
    /// only if each edge of its box in the em box lies within this much of
    /// the em of the unknown glyph's (issue3405r.pdf's six glyphs against
    /// WenQuanYi Regular: at most 0.035), …
    pub prefilter_box: f32,
    /// … and, both being TrueType outlines, its point count within this
    /// many points plus this fraction of the larger count (there: at most
    /// 9 of 139).
    pub prefilter_points_abs: u32,
    pub prefilter_points_rel: f32,
    /// Of the reference glyphs within those tolerances, the nearest this
    /// many (by the larger of the two differences, each in units of its
    /// tolerance) are rasterised and compared at 8×8 (issue3405r.pdf: the
    /// right glyphs rank 23rd to 1318th of 3000).
    pub prefilter_keep: usize,
}

impl Default for ShapeSettings {
    fn default() -> Self {
        ShapeSettings {
            fine: 48,
            coarse_keep: 400,
            medium_keep: 24,
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
            prefilter_keep: 3000,
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
        let slope = (xb - xa) / (yb - ya);
        let mut y = top;
        while y < bottom {
            let row = y.floor();
            let next = (row + 1.0).min(bottom);
            let xs = xa + (y - ya) * slope;
            let xe = xa + (next - ya) * slope;
            self.row_piece(row as usize, xs, xe, (next - y) * dir);
            y = next;
        }
    }

    /// One edge piece within a row: from x `xs` to `xe`, covering `d` of
    /// the row's height (signed by direction). Split at cell boundaries so
    /// each part lies in one cell.
    fn row_piece(&mut self, row: usize, xs: f32, xe: f32, d: f32) {
        let w = self.size as f32;
        let (l, r) = (xs.min(xe), xs.max(xe));
        let span = r - l;
        if span < 1e-6 {
            let x = l.clamp(0.0, w);
            self.cell_part(row, x, x, d);
            return;
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
        while x < end {
            let nx = (x.floor() + 1.0).min(end);
            self.cell_part(row, x, nx, d * (nx - x) / span);
            x = nx;
        }
    }

    /// An edge part inside one cell (x from `l` to `r`, same cell).
    fn cell_part(&mut self, row: usize, l: f32, r: f32, d: f32) {
        let stride = self.size + 2;
        let cell = (l.floor() as usize).min(self.size);
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
}

/// Line segments per curve: fewer on the coarse grids, where a segment
/// spans a fraction of a pixel anyway.
fn curve_steps(size: usize) -> usize {
    match size {
        0..=8 => 2,
        9..=16 => 4,
        _ => 8,
    }
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
        let steps = curve_steps(self.r.size);
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
        let steps = curve_steps(self.r.size);
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
pub(crate) fn blur(b: &Bitmap) -> Bitmap {
    let n = b.size;
    let mut cells = vec![0.0; n * n];
    for y in 0..n {
        for x in 0..n {
            let (mut s, mut k) = (0.0, 0.0);
            for yy in y.saturating_sub(1)..(y + 2).min(n) {
                for xx in x.saturating_sub(1)..(x + 2).min(n) {
                    s += b.cells.get(yy * n + xx).copied().unwrap_or(0.0);
                    k += 1.0;
                }
            }
            if let Some(c) = cells.get_mut(y * n + x) {
                *c = s / k;
            }
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

/// A glyph's box in the em box (left, top, right, bottom as fractions of
/// the advance and of the em, y down, as the bitmaps place it) and, for a
/// simple TrueType outline, its point count: read from the `glyf` header
/// without parsing the outline, so every reference glyph can be screened.
#[derive(Debug, Clone, Copy)]
struct Features {
    bbox: [f32; 4],
    points: Option<u32>,
}

impl Features {
    fn of(face: &Face<'_>, gid: u16) -> Option<Features> {
        let upem = face.units_per_em().max(1) as f32;
        let advance = face
            .glyph_hor_advance(GlyphId(gid))
            .filter(|&a| a > 0)
            .map_or(upem, |a| a as f32);
        let (b, points) = match glyf_header(face, gid) {
            Some(h) => h,
            // CFF outlines: the box from the outline itself.
            None => {
                let r = face.glyph_bounding_box(GlyphId(gid))?;
                ([r.x_min, r.y_min, r.x_max, r.y_max], None)
            }
        };
        let top = EM_TOP * upem;
        Some(Features {
            bbox: [
                b[0] as f32 / advance,
                (top - b[3] as f32) / upem,
                b[2] as f32 / advance,
                (top - b[1] as f32) / upem,
            ],
            points,
        })
    }

    /// How far `other` is from this glyph, each feature's difference in
    /// units of its prefilter tolerance (the larger of the two); None
    /// beyond the tolerances.
    fn distance(&self, other: &Features, s: &ShapeSettings) -> Option<f32> {
        let boxes = self
            .bbox
            .iter()
            .zip(&other.bbox)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max)
            / s.prefilter_box.max(f32::EPSILON);
        let points = match (self.points, other.points) {
            (Some(a), Some(b)) => {
                let tolerance =
                    s.prefilter_points_abs as f32 + s.prefilter_points_rel * a.max(b) as f32;
                a.abs_diff(b) as f32 / tolerance.max(1.0)
            }
            _ => 0.0,
        };
        let d = boxes.max(points);
        (d <= 1.0).then_some(d)
    }
}

/// Box (x min, y min, x max, y max in font units) and point count (None
/// for a composite glyph) from a glyph's `glyf` header; None without a
/// `glyf` table or for an empty glyph.
fn glyf_header(face: &Face<'_>, gid: u16) -> Option<([i16; 4], Option<u32>)> {
    let raw = face.raw_face();
    let glyf = raw.table(ttf_parser::Tag::from_bytes(b"glyf"))?;
    let loca = raw.table(ttf_parser::Tag::from_bytes(b"loca"))?;
    let g = gid as usize;
    let at16 = |d: &[u8], o: usize| d.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let at32 = |d: &[u8], o: usize| {
        d.get(o..o + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let (start, end) = match face.tables().head.index_to_location_format {
        ttf_parser::head::IndexToLocationFormat::Short => (
            at16(loca, 2 * g)? as usize * 2,
            at16(loca, 2 * g + 2)? as usize * 2,
        ),
        ttf_parser::head::IndexToLocationFormat::Long => {
            (at32(loca, 4 * g)?, at32(loca, 4 * g + 4)?)
        }
    };
    if end <= start {
        return None;
    }
    let header = glyf.get(start..start + 10)?;
    let v = |i: usize| i16::from_be_bytes([header[i], header[i + 1]]);
    let contours = v(0);
    let points = if contours > 0 {
        let last = start + 10 + 2 * (contours as usize - 1);
        at16(glyf, last).map(|p| p as u32 + 1)
    } else {
        None
    };
    Some(([v(2), v(4), v(6), v(8)], points))
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
            features: Features::of(face, gid)?,
            medium: to_bytes(&glyph_bitmap(face, gid, MEDIUM)?),
            coarse: to_bytes(&outline_bitmap(face, gid, COARSE)?),
        })
    }
}

/// One reference glyph: its id, character, features, and its 8×8 and
/// 16×16 coverage, rasterised the first time a recognition needs them
/// (None when nothing is inked).
struct RefGlyph {
    gid: u16,
    ch: char,
    features: Features,
    coarse: OnceLock<Option<Vec<u8>>>,
    medium: OnceLock<Option<Vec<u8>>>,
}

impl RefGlyph {
    fn bytes<'a>(
        &self,
        cell: &'a OnceLock<Option<Vec<u8>>>,
        face: &Face<'_>,
        size: usize,
    ) -> Option<&'a [u8]> {
        cell.get_or_init(|| {
            let b = if size == COARSE {
                outline_bitmap(face, self.gid, size)
            } else {
                glyph_bitmap(face, self.gid, size)
            };
            b.map(|b| to_bytes(&b))
        })
        .as_deref()
    }
}

/// Every glyph of a reference face that its cmap maps to a character.
/// Building it reads only the cmap and the glyph headers; bitmaps are made
/// for the glyphs the prefilter lets through, once each.
struct RefIndex {
    glyphs: Vec<RefGlyph>,
}

impl RefIndex {
    fn build(face: &Face<'_>, raw_cmap: Option<&[u8]>) -> RefIndex {
        let n = face.number_of_glyphs();
        let mut best: HashMap<u16, u32> = HashMap::new();
        let mut take = |cp: u32, g: u16| {
            if g == 0 || g >= n || !wanted(cp) {
                return;
            }
            let e = best.entry(g).or_insert(cp);
            if super::embedded::rank(cp) < super::embedded::rank(*e) {
                *e = cp;
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
            for sub in cmap.subtables {
                let segmented = matches!(
                    sub.format,
                    ttf_parser::cmap::Format::SegmentedCoverage(_)
                        | ttf_parser::cmap::Format::ManyToOneRangeMappings(_)
                );
                if !sub.is_unicode() || segmented {
                    continue;
                }
                each_codepoint(&sub, raw_cmap, &mut |cp| {
                    if let Some(g) = sub.glyph_index(cp) {
                        take(cp, g.0);
                    }
                });
            }
        }
        let mut pairs: Vec<(u16, u32)> = best.into_iter().collect();
        pairs.sort_unstable();
        // Sized up front (tens of thousands of glyphs: growing by doubling
        // showed in profiles).
        let mut glyphs = Vec::with_capacity(pairs.len());
        glyphs.extend(pairs.into_iter().filter_map(|(gid, cp)| {
            Some(RefGlyph {
                gid,
                ch: char::from_u32(cp)?,
                features: Features::of(face, gid)?,
                coarse: OnceLock::new(),
                medium: OnceLock::new(),
            })
        }));
        RefIndex { glyphs }
    }

    /// The reference glyphs most like `unknown`: of those the prefilter
    /// admits, the best `coarse_keep` at 8×8, of those the best
    /// `medium_keep` at 16×16. `face` is the face the index was built from.
    fn candidates(
        &self,
        face: &Face<'_>,
        unknown: &Unknown,
        s: &ShapeSettings,
    ) -> Vec<(u16, char)> {
        let mut near: Vec<(f32, usize)> = self
            .glyphs
            .iter()
            .enumerate()
            .filter_map(|(i, g)| Some((unknown.features.distance(&g.features, s)?, i)))
            .collect();
        near.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        near.truncate(s.prefilter_keep);
        let mut scored: Vec<(f32, usize)> = near
            .iter()
            .filter_map(|&(_, i)| Some((i, self.glyphs.get(i)?)))
            .filter_map(|(i, g)| {
                let coarse = g.bytes(&g.coarse, face, COARSE)?;
                Some((byte_iou(&unknown.coarse, coarse), i))
            })
            .collect();
        let by_score = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        scored.sort_unstable_by(by_score);
        scored.truncate(s.coarse_keep);
        for e in scored.iter_mut() {
            e.0 = self
                .glyphs
                .get(e.1)
                .and_then(|g| g.bytes(&g.medium, face, MEDIUM))
                .map_or(-1.0, |m| byte_iou(&unknown.medium, m));
        }
        // Blank at 16×16 (nothing inked): not a candidate, as before.
        scored.retain(|e| e.0 >= 0.0);
        scored.sort_unstable_by(by_score);
        scored
            .iter()
            .take(s.medium_keep)
            .filter_map(|&(_, i)| self.glyphs.get(i).map(|g| (g.gid, g.ch)))
            .collect()
    }
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
    data: Vec<u8>,
    index: RefIndex,
}

type ReferenceCache = Mutex<HashMap<(PathBuf, u32), Option<Arc<Reference>>>>;

/// A reference face, read and indexed once per process.
fn reference(path: &Path, index: u32, s: &ShapeSettings) -> Option<Arc<Reference>> {
    static CACHE: OnceLock<ReferenceCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (path.to_path_buf(), index);
    // Held while building (a second or so), so one thread builds it.
    let mut map = cache.lock().ok()?;
    if let Some(hit) = map.get(&key) {
        return hit.clone();
    }
    let built = read_bounded(path, s.max_file_bytes).and_then(|data| {
        let face = Face::parse(&data, index).ok()?;
        let raw = face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
        let index = RefIndex::build(&face, raw);
        Some(Arc::new(Reference { data, index }))
    });
    map.insert(key, built.clone());
    built
}

fn read_bounded(path: &Path, max: u64) -> Option<Vec<u8>> {
    let f = std::fs::File::open(path).ok()?;
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
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if out.len() >= max {
            return;
        }
        if p.is_dir() {
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
}
