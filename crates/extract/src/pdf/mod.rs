//! PDF documents → the page model.
//!
//! `document` opens the file: first `reachable` loads just the objects the
//! pages reach (cross-reference data from `xref`, objects parsed on demand
//! by `syntax`, skipping structure trees, outlines and annotations); on
//! anything unusual lopdf loads the whole file instead (it repairs broken
//! cross-reference tables by scanning for objects and decrypts files with
//! an empty user password), and failures map to typed errors. `page` reads
//! each page's frame (MediaBox/CropBox/Rotate, inherited through the page
//! tree); `interp` runs the content stream with [`lexer`] tokens; `ruling`
//! turns paths into ruling lines; `overprint` collapses fake-bold copies.
//! A page that fails becomes a [`Diagnostic`] and the others go on.
//!
//! References read while writing this: ISO 32000-1 (§7.3, §7.5, §8, §9),
//! pdf.js `src/core/evaluator.js` (operator dispatch, resource handling),
//! lopdf's reader (what it accepts, so the fast path reads the same
//! values), pdfplumber (rect edges as table rulings). No code was copied.

mod content;
mod document;
pub mod geometry;
mod interp;
pub mod lexer;
mod ocr_run;
mod overprint;
mod page;
mod page_tree;
mod reachable;
mod ruling;
mod scan;
pub mod settings;
mod syntax;
mod xref;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod hostile;
#[cfg(test)]
mod tests;

pub use settings::Settings;

use crate::font::FontCache;
use crate::{Diagnostic, Document, ExtractError, Format, Level, Options};

/// Read a PDF from memory into pages.
pub fn open(bytes: &[u8], opts: &Options) -> Result<Document, ExtractError> {
    open_with(bytes, opts, &Settings::default())
}

/// [`open`] with explicit thresholds.
pub fn open_with(
    bytes: &[u8],
    opts: &Options,
    settings: &Settings,
) -> Result<Document, ExtractError> {
    let document::Loaded { doc, damage } = document::load(bytes, &opts.limits)?;
    let max_pages = opts.limits.max_pages;
    let tree = page_tree::walk(&doc, usize::try_from(max_pages).unwrap_or(usize::MAX));
    let page_count = u32::try_from(tree.total).unwrap_or(u32::MAX);
    let mut out = Document {
        format: Format::Pdf,
        page_count,
        pages: Vec::new(),
        diagnostics: Vec::new(),
        damaged: false,
    };
    out.damaged = !damage.is_empty() || tree.damage().is_some();
    for d in damage.into_iter().chain(tree.damage()) {
        out.diagnostics
            .push(Diagnostic::new(Level::Warning, None, d));
    }
    if tree.total > u64::from(max_pages) {
        out.diagnostics.push(Diagnostic::new(
            Level::Warning,
            None,
            crate::limits::pages_cut(max_pages, tree.total),
        ));
    }
    let mut fonts = FontCache::new();
    let mut ocr = ocr_run::OcrRun::new(opts.ocr, bytes, settings);
    for (number, id) in (1u32..).zip(tree.pages) {
        if !opts.wants(number) {
            continue;
        }
        if opts.limits.expired() {
            out.diagnostics.push(Diagnostic::new(
                Level::Error,
                Some(number),
                format!("stopped before page {number}: time budget exhausted"),
            ));
            break;
        }
        // A panic is a bug, but one bad page (or font) must not take the
        // whole document down: it becomes that page's diagnostic.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            page::extract(&doc, id, number, &mut fonts, &opts.limits, settings)
        }))
        .unwrap_or_else(|_| Err("internal error while reading this page (panic)".into()));
        match result {
            Ok(page::Extracted {
                page: mut p,
                mut warnings,
                damaged,
                scan,
            }) => {
                out.damaged |= damaged;
                if let Some(e) = ocr.page(&doc, &mut p, &mut warnings, scan, &opts.limits) {
                    out.diagnostics
                        .push(Diagnostic::new(Level::Error, Some(number), e));
                }
                for w in warnings {
                    out.diagnostics
                        .push(Diagnostic::new(Level::Warning, Some(number), w));
                }
                out.pages.push(p);
            }
            Err(msg) => out
                .diagnostics
                .push(Diagnostic::new(Level::Error, Some(number), msg)),
        }
    }
    fonts.finish();
    let mut seen = std::collections::BTreeSet::new();
    for w in fonts.warnings.drain(..) {
        if seen.insert(w.clone()) {
            out.diagnostics
                .push(Diagnostic::new(Level::Warning, None, w));
        }
    }
    Ok(out)
}
