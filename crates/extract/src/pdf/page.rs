//! One page: its frame (MediaBox ∩ CropBox, /Rotate, both inheritable
//! through the page tree), its content run through the interpreter, then the
//! clean-ups (overprint) and the checks (no text layer).

use super::geometry::PageFrame;
use super::interp::{ImagePlacement, Interpreter};
use super::overprint;
use super::settings::Settings;
use crate::font::FontCache;
use crate::{Limits, Page, PageRepair};
use lopdf::{Dictionary, Document, Object, ObjectId};

/// One page read: the page, its warnings, and whether its content was
/// damaged (a stream missing or corrupt).
pub struct Extracted {
    pub page: Page,
    pub warnings: Vec<String>,
    pub damaged: bool,
    /// The largest image painted on the page (what OCR reads), and whether
    /// it covers enough of the page to be the page's scan.
    pub scan: Option<ImagePlacement>,
}

/// Deepest page-tree ancestry followed for inherited attributes.
const MAX_TREE_DEPTH: usize = 64;

/// An attribute of the page or, failing that, of its nearest ancestor.
fn inherited<'d>(doc: &'d Document, page: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let mut node = page;
    for _ in 0..MAX_TREE_DEPTH {
        if let Ok(v) = node.get(key) {
            return doc.dereference(v).ok().map(|(_, o)| o);
        }
        let parent = node.get(b"Parent").ok()?;
        node = doc.dereference(parent).ok()?.1.as_dict().ok()?;
    }
    None
}

fn read_box(doc: &Document, o: Option<&Object>) -> Option<[f32; 4]> {
    let arr = o?.as_array().ok()?;
    let mut v = [0f32; 4];
    if arr.len() != 4 {
        return None;
    }
    for (slot, item) in v.iter_mut().zip(arr) {
        let item = doc.dereference(item).ok()?.1;
        *slot = item.as_float().ok()?;
        if !slot.is_finite() {
            return None;
        }
    }
    let b = [
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ];
    (b[2] - b[0] > 0.0 && b[3] - b[1] > 0.0).then_some(b)
}

pub fn frame(doc: &Document, page: &Dictionary) -> PageFrame {
    // US Letter when nothing says otherwise (as viewers do).
    let media =
        read_box(doc, inherited(doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let crop = read_box(doc, inherited(doc, page, b"CropBox"))
        .map(|c| {
            [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ]
        })
        .filter(|c| c[2] > c[0] && c[3] > c[1])
        .unwrap_or(media);
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .map(|r| r.rem_euclid(360))
        .map(|r| ((r + 45) / 90 * 90) % 360)
        .unwrap_or(0) as u16;
    PageFrame {
        x0: crop[0],
        y0: crop[1],
        x1: crop[2],
        y1: crop[3],
        rotate,
    }
}

/// Read one page. Err is a message for a page that could not be read at all;
/// Ok carries warnings about a page read in part.
pub fn extract(
    doc: &Document,
    id: ObjectId,
    number: u32,
    fonts: &mut FontCache,
    limits: &Limits,
    settings: &Settings,
) -> Result<Extracted, String> {
    let dict = doc
        .get_dictionary(id)
        .map_err(|e| format!("page object unreadable: {e}"))?;
    let frame = frame(doc, dict);
    let (width, height) = frame.size();
    let resources = match inherited(doc, dict, b"Resources") {
        Some(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let content = super::content::read(doc, id, limits.max_stream_bytes).map_err(|e| e.0)?;
    let mut interp = Interpreter::new(doc, fonts, limits, *settings, frame.matrix(), width, height);
    interp.charge_stream(content.bytes.len());
    let out = interp.run_page(&content.bytes, resources);
    let mut glyphs = out.glyphs;
    let mut lost_fonts = None;
    if out.damaged && !glyphs.is_empty() {
        // Some of the page's fonts are lost: the text that is left is
        // the page with words and digits missing, which reads as wrong
        // cells and amounts, not as fewer of them. Leave the page out.
        lost_fonts = Some(format!(
            "damaged PDF: the page's text ({} glyphs) is left out, since some of its fonts are missing",
            glyphs.len()
        ));
        glyphs.clear();
    }
    let mut repairs = Vec::new();
    let removed = overprint::collapse(&mut glyphs, settings.overprint_fraction);
    if removed > 0 {
        repairs.push(PageRepair {
            kind: "duplicate_glyphs_removed".into(),
            count: removed,
        });
    }
    let damaged = !content.damage.is_empty() || out.damaged;
    let mut warnings = content.damage;
    warnings.extend(out.warnings);
    warnings.extend(lost_fonts);
    warnings.dedup();
    let adopted = adopt_ocr_layer(&mut glyphs, &out.image_boxes, width * height, settings);
    if adopted > 0 {
        repairs.push(PageRepair {
            kind: crate::page::OCR_LAYER_TEXT.into(),
            count: adopted,
        });
        warnings.push("text from an OCR layer (invisible text over a page image)".into());
    }
    let has_text = glyphs
        .iter()
        .any(|g| g.visible && !g.text.trim().is_empty());
    if out.images > 0 && !has_text {
        warnings.push(
            format!("{}: the page was not read; \
             convert it with --ocr (tesseract with tesseract-ocr-chi-sim), or give it an OCR layer \
             (`ocrmypdf -l chi_sim` or `tesseract PAGE.png OUT -l chi_sim pdf`) and gongkai reads that",
                crate::ocr::NO_TEXT_LAYER),
        );
    }
    let area = |r: &crate::geom::Rect| r.width() * r.height();
    let scan = out
        .image_placements
        .iter()
        .copied()
        .filter(|p| area(&p.rect) >= settings.ocr_image_cover * width * height)
        .max_by(|a, b| area(&a.rect).total_cmp(&area(&b.rect)));
    Ok(Extracted {
        scan,
        page: Page {
            number,
            width,
            height,
            rotation: frame.rotate,
            glyphs,
            rulings: out.rulings,
            dump_lines: Vec::new(),
            images: out.images,
            repairs,
        },
        warnings,
        damaged,
    })
}

/// An OCR layer is what scanner software and `tesseract … pdf` write: a page
/// image covering most of the page, with the recognised text drawn invisibly
/// (render mode 3) over it. On such a page (and only when nothing visible is
/// written) the invisible glyphs over the image become the page's text.
/// Invisible text elsewhere (WPS overflow copies, hidden notes) stays out.
/// Returns how many glyphs were adopted.
fn adopt_ocr_layer(
    glyphs: &mut [crate::Glyph],
    images: &[crate::geom::Rect],
    page_area: f32,
    settings: &Settings,
) -> usize {
    let visible_text = glyphs
        .iter()
        .any(|g| g.visible && !g.text.trim().is_empty());
    let covered = images
        .iter()
        .map(|r| r.width() * r.height())
        .fold(0.0_f32, f32::max);
    if visible_text || page_area <= 0.0 || covered < settings.ocr_image_cover * page_area {
        return 0;
    }
    let mut n = 0;
    for g in glyphs.iter_mut() {
        let (cx, cy) = (g.bbox.center_x(), g.bbox.center_y());
        if g.render_mode == 3 && images.iter().any(|r| r.contains(cx, cy)) {
            g.visible = true;
            if !g.text.trim().is_empty() {
                n += 1;
            }
        }
    }
    n
}
