//! OCR within one document's reading: which pages are OCR'd (the `--ocr`
//! mode), their image, the recognised text put in the page's place, and
//! what is said about it (a repair on the page, a diagnostic).

use super::interp::ImagePlacement;
use super::settings::Settings;
use crate::ocr::{self, Mode, OcrError, Scratch};
use crate::{Limits, Page, PageRepair};
use lopdf::Document;

use crate::ocr::NO_TEXT_LAYER;
use crate::page::{OCR_LAYER_TEXT, OCR_TEXT};

/// One document's OCR: mode, scratch directory (removed when this is
/// dropped), and whether OCR is known not to work here.
pub struct OcrRun<'b> {
    mode: Mode,
    bytes: &'b [u8],
    settings: Settings,
    scratch: Scratch,
    broken: bool,
}

impl<'b> OcrRun<'b> {
    pub fn new(mode: Mode, bytes: &'b [u8], settings: &Settings) -> OcrRun<'b> {
        OcrRun {
            mode,
            bytes,
            settings: *settings,
            scratch: Scratch::new(),
            broken: false,
        }
    }

    /// Whether this page is to be OCR'd.
    fn wanted(&self, page: &Page) -> bool {
        let has_text = page
            .glyphs
            .iter()
            .any(|g| g.visible && !g.text.trim().is_empty());
        match self.mode {
            Mode::Never => false,
            Mode::Missing => page.images > 0 && !has_text,
            Mode::Always => true,
        }
    }

    /// A page read from its OCR layer has the scan's table borders only in
    /// the image: found there (when the image is one decoded here), so its
    /// ruled tables are read as grids like any other.
    fn layer_rulings(
        &self,
        doc: &Document,
        page: &mut Page,
        scan: Option<ImagePlacement>,
        limits: &Limits,
    ) {
        if page.ocr_source() != Some(OCR_LAYER_TEXT) || !page.rulings.is_empty() {
            return;
        }
        let s = &self.settings.ocr;
        if let Some((mut gray, rect)) =
            super::scan::own_image(doc, scan, s, limits.max_stream_bytes)
        {
            page.rulings = ocr::rulings(&mut gray, rect, s);
        }
    }

    /// OCR the page if the mode asks for it: its glyphs become tesseract's
    /// (and its rulings those of the bitmap, if it drew none), the
    /// no-text-layer warning gives way to one saying where the text came
    /// from. Returns the error of a page that could not be OCR'd.
    pub fn page(
        &mut self,
        doc: &Document,
        page: &mut Page,
        warnings: &mut Vec<String>,
        scan: Option<ImagePlacement>,
        limits: &Limits,
    ) -> Option<String> {
        if !self.wanted(page) || self.broken {
            self.layer_rulings(doc, page, scan, limits);
            return None;
        }
        let s = &self.settings.ocr;
        let deadline = ocr::page_deadline(s, limits.deadline);
        let result = super::scan::page_image(
            doc,
            self.bytes,
            &super::scan::Target {
                number: page.number,
                size: (page.width, page.height),
                scan,
            },
            &mut self.scratch,
            s,
            limits.max_stream_bytes,
            deadline,
        )
        .and_then(|(gray, rect)| ocr::recognise(gray, rect, &mut self.scratch, s, deadline));
        match result {
            Ok(text) => {
                warnings.retain(|w| !w.starts_with(NO_TEXT_LAYER));
                warnings.push(format!(
                    "text from OCR (tesseract {}, {} words)",
                    s.lang, text.words
                ));
                page.glyphs = text.glyphs;
                page.glyphs.truncate(limits.max_glyphs_per_page);
                if page.rulings.is_empty() {
                    page.rulings = text.rulings;
                }
                page.repairs.retain(|r| r.kind != OCR_LAYER_TEXT);
                page.repairs.push(PageRepair {
                    kind: OCR_TEXT.into(),
                    count: text.words,
                });
                None
            }
            Err(e) => {
                if matches!(e, OcrError::Missing { .. } | OcrError::NoLanguage { .. }) {
                    self.broken = true;
                }
                Some(e.to_string())
            }
        }
    }
}
