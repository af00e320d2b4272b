//! # OCR of scanned pages
//!
//! A page that is only a picture (a scan without an OCR layer) gives the
//! later stages nothing to read. With `--ocr` such pages are read by
//! tesseract with its Simplified Chinese model (Debian's `tesseract-ocr` and
//! `tesseract-ocr-chi-sim`):
//!
//! 1. the page image comes from the file ([`crate::pdf`] decodes a JPEG or
//!    8-bit Flate image XObject that covers the page, or has the page
//!    rasterised by poppler's `pdftoppm`) as a grey [`bitmap::Gray`];
//! 2. long horizontal and vertical dark runs are its ruling lines
//!    ([`bitmap`]): they become the page's rulings (so lattice tables work on
//!    scans) and are erased before recognition (table borders read as `|`,
//!    `〈` or `一` otherwise);
//! 3. tesseract's words with their boxes ([`tesseract`]) become glyphs of
//!    the page model, scaled from pixels to points by where the image sits on
//!    the page, so the same table, normalize and check stages run on them.
//!
//! tesseract is run as a command, not linked: the command is what Debian
//! ships with its language data, it needs no C toolchain or bindings to
//! build gongkai, a crash or hang in it stays in its own process (killed at
//! the file's time budget), and a machine without it still builds and runs
//! everything else. Each page costs one process start (~0.1 s) beside
//! seconds of recognition. Settings are fixed and `OMP_THREAD_LIMIT=1`, so
//! the output is the same on every run and pages of different files OCR in
//! parallel on the worker threads.

pub mod bitmap;
mod error;
mod run;
mod settings;
pub use run::run as run_program;
pub mod tesseract;

use crate::geom::Rect;
use crate::glyph::{Direction, Glyph};
use crate::ruling::{Ruling, RulingSource};
use bitmap::Gray;
pub use error::OcrError;
pub use settings::{Mode, Settings};

use std::path::{Path, PathBuf};
use std::time::Instant;

/// How the warning of a page with images and no text begins.
pub const NO_TEXT_LAYER: &str = "no text layer (scanned?)";

/// How the error of a page that could not be OCR'd begins.
pub const OCR_FAILED: &str = "OCR";

/// A per-file scratch directory for page images and tesseract's output,
/// made on first use and removed (with everything in it) when dropped,
/// whatever happened.
#[derive(Debug, Default)]
pub struct Scratch {
    dir: Option<PathBuf>,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch::default()
    }

    /// The directory, made if need be.
    pub fn dir(&mut self) -> Result<&Path, OcrError> {
        if self.dir.is_none() {
            use std::sync::atomic::{AtomicU64, Ordering};
            static N: AtomicU64 = AtomicU64::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("gongkai-ocr-{}-{n}", std::process::id()));
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            std::fs::create_dir_all(&dir)?;
            self.dir = Some(dir);
        }
        match &self.dir {
            Some(d) => Ok(d),
            None => Err(OcrError::Failed("no scratch directory".into())),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(d) = self.dir.take() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// What OCR found on a page.
#[derive(Debug, Default)]
pub struct PageText {
    pub glyphs: Vec<Glyph>,
    pub rulings: Vec<Ruling>,
    /// Words tesseract recognised.
    pub words: usize,
}

/// When a page's OCR must stop: its own timeout or the file's deadline.
pub fn page_deadline(settings: &Settings, file_deadline: Option<Instant>) -> Instant {
    let own = Instant::now() + settings.page_timeout;
    file_deadline.map_or(own, |d| d.min(own))
}

/// OCR one page image that covers `rect` (points on the upright page):
/// rulings found and erased, then tesseract's words as glyphs.
pub fn recognise(
    mut gray: Gray,
    rect: Rect,
    scratch: &mut Scratch,
    settings: &Settings,
    deadline: Instant,
) -> Result<PageText, OcrError> {
    tesseract::available(settings.lang)?;
    if gray.width == 0 || gray.height == 0 || rect.width() <= 0.0 || rect.height() <= 0.0 {
        return Err(OcrError::Image("empty image".into()));
    }
    let sx = rect.width() / gray.width as f32;
    let sy = rect.height() / gray.height as f32;
    let rulings = rulings(&mut gray, rect, settings);
    let dir = scratch.dir()?.to_path_buf();
    let image = dir.join("page.pgm");
    std::fs::write(&image, gray.to_pgm())?;
    // The resolution the image has on the page, for tesseract's size
    // estimates (a JPEG without a density header would be taken as 70 dpi).
    let dpi = (72.0 / sx).round().clamp(50.0, 1200.0) as u32;
    let tsv = tesseract::run_tsv(&image, &dir, dpi, settings, deadline)?;
    let _ = std::fs::remove_file(&image);
    let words = tesseract::parse_tsv(&tsv);
    let glyphs = glyphs(&words, rect, sx, sy);
    Ok(PageText {
        words: words.len(),
        glyphs,
        rulings,
    })
}

/// The ruling lines of a page image that covers `rect`, in points; they
/// are erased from the image (with the specks), ready for recognition.
pub fn rulings(gray: &mut Gray, rect: Rect, settings: &Settings) -> Vec<Ruling> {
    if gray.width == 0 || gray.height == 0 || rect.width() <= 0.0 || rect.height() <= 0.0 {
        return Vec::new();
    }
    let sx = rect.width() / gray.width as f32;
    let sy = rect.height() / gray.height as f32;
    let min_len_x = (settings.rule_min_length / sx).max(8.0) as usize;
    let min_len_y = (settings.rule_min_length / sy).max(8.0) as usize;
    let found = bitmap::rules(gray, min_len_x, min_len_y);
    bitmap::erase(gray, &found);
    bitmap::despeckle(gray, found.threshold);
    let max_thick = settings.rule_max_thickness;
    let mut rulings = Vec::new();
    for s in bitmap::segments(&found.horizontal) {
        let width = s.thickness as f32 * sy;
        if width <= max_thick {
            rulings.push(Ruling {
                x0: rect.x0 + s.start as f32 * sx,
                x1: rect.x0 + (s.end as f32 + 1.0) * sx,
                y0: rect.y0 + (s.pos + 0.5) * sy,
                y1: rect.y0 + (s.pos + 0.5) * sy,
                width,
                source: RulingSource::Bitmap,
            });
        }
    }
    for s in bitmap::segments(&found.vertical) {
        let width = s.thickness as f32 * sx;
        if width <= max_thick {
            rulings.push(Ruling {
                x0: rect.x0 + (s.pos + 0.5) * sx,
                x1: rect.x0 + (s.pos + 0.5) * sx,
                y0: rect.y0 + s.start as f32 * sy,
                y1: rect.y0 + (s.end as f32 + 1.0) * sy,
                width,
                source: RulingSource::Bitmap,
            });
        }
    }
    rulings
}

/// tesseract's words as glyphs: each character an equal share of its word's
/// width, all of a line's words as tall as the line (so digits and
/// characters of one printed line sit on one line of the page model).
fn glyphs(words: &[tesseract::Word], rect: Rect, sx: f32, sy: f32) -> Vec<Glyph> {
    let mut out = Vec::new();
    for w in words {
        let chars: Vec<char> = w.text.chars().filter(|c| !c.is_whitespace()).collect();
        if chars.is_empty() {
            continue;
        }
        let (top, height) = (w.line_top as f32, w.line_height.max(1) as f32);
        let step = w.width as f32 / chars.len() as f32;
        for (i, c) in chars.iter().enumerate() {
            let x = w.left as f32 + step * i as f32;
            let bbox = Rect {
                x0: rect.x0 + x * sx,
                x1: rect.x0 + (x + step) * sx,
                y0: rect.y0 + top * sy,
                y1: rect.y0 + (top + height) * sy,
            };
            out.push(Glyph {
                text: c.to_string(),
                bbox,
                font: "tesseract".into(),
                size: height * sy,
                render_mode: 0,
                fill: [0.0, 0.0, 0.0],
                visible: true,
                direction: Direction::Horizontal,
            });
        }
    }
    out
}
