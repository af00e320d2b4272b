//! The image of a scanned page, for OCR: the image XObject that covers the
//! page, decoded here when it is a JPEG (DCTDecode) or 8-bit Flate image
//! painted upright, else the whole page rasterised by poppler's `pdftoppm`
//! (CCITT and JBIG2 scans, 1-bit images, rotated or several images).

use super::interp::ImagePlacement;
use crate::geom::Rect;
use crate::ocr::bitmap::Gray;
use crate::ocr::{OcrError, Scratch, Settings};
use lopdf::{Document, Object, Stream};
use std::process::Command;
use std::time::Instant;

/// The page to get the image of.
pub struct Target {
    pub number: u32,
    /// Upright page size in points.
    pub size: (f32, f32),
    /// The image covering the page, if one does.
    pub scan: Option<ImagePlacement>,
}

/// The page image and where it lies on the page (points, upright).
pub fn page_image(
    doc: &Document,
    bytes: &[u8],
    target: &Target,
    scratch: &mut Scratch,
    settings: &Settings,
    max_stream: usize,
    deadline: Instant,
) -> Result<(Gray, Rect), OcrError> {
    let (number, page, scan) = (target.number, target.size, target.scan);
    if let Some(p) = scan.filter(upright) {
        if let Some(stream) = doc.get_object(p.id).ok().and_then(|o| o.as_stream().ok()) {
            if let Some(g) = decode(stream, settings.max_pixels, max_stream)? {
                return Ok((g, p.rect));
            }
        }
    }
    let g = render(bytes, number, scratch, settings, deadline)?;
    Ok((
        g,
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: page.0,
            y1: page.1,
        },
    ))
}

/// The page image as the file holds it, when it is one we decode ourselves
/// (a JPEG or 8-bit image painted upright over the page); no outside tool.
pub fn own_image(
    doc: &Document,
    scan: Option<ImagePlacement>,
    settings: &Settings,
    max_stream: usize,
) -> Option<(Gray, Rect)> {
    let p = scan.filter(upright)?;
    let stream = doc.get_object(p.id).ok()?.as_stream().ok()?;
    let g = decode(stream, settings.max_pixels, max_stream).ok()??;
    Some((g, p.rect))
}

/// Whether the image is painted unrotated and unflipped: its first pixel
/// row at the top, first column at the left.
fn upright(p: &ImagePlacement) -> bool {
    let m = p.matrix;
    let tol = 0.5;
    let (tlx, tly) = m.apply(0.0, 1.0);
    let (brx, bry) = m.apply(1.0, 0.0);
    (tlx - p.rect.x0).abs() < tol
        && (tly - p.rect.y0).abs() < tol
        && (brx - p.rect.x1).abs() < tol
        && (bry - p.rect.y1).abs() < tol
}

fn filters(stream: &Stream) -> Vec<Vec<u8>> {
    match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    }
}

/// Decode the image when it is one we read ourselves; `None` sends the page
/// to the rasteriser.
fn decode(stream: &Stream, max_pixels: usize, max_stream: usize) -> Result<Option<Gray>, OcrError> {
    let int = |k: &[u8]| stream.dict.get(k).ok().and_then(|o| o.as_i64().ok());
    let (Some(w), Some(h)) = (int(b"Width"), int(b"Height")) else {
        return Ok(None);
    };
    let (Ok(w), Ok(h)) = (usize::try_from(w), usize::try_from(h)) else {
        return Ok(None);
    };
    if w == 0 || h == 0 || w.saturating_mul(h) > max_pixels {
        return Ok(None);
    }
    if stream.dict.get(b"Decode").is_ok() || stream.dict.get(b"ImageMask").is_ok() {
        return Ok(None);
    }
    let f = filters(stream);
    if matches!(f.as_slice(), [one] if one == b"DCTDecode") {
        use zune_jpeg::zune_core::colorspace::ColorSpace;
        use zune_jpeg::zune_core::options::DecoderOptions;
        let opts = DecoderOptions::default()
            .jpeg_set_out_colorspace(ColorSpace::Luma)
            .set_max_width(w.max(1))
            .set_max_height(h.max(1));
        let mut dec = zune_jpeg::JpegDecoder::new_with_options(&stream.content, opts);
        let px = dec
            .decode()
            .map_err(|e| OcrError::Image(format!("JPEG: {e:?}")))?;
        let Some((dw, dh)) = dec.dimensions() else {
            return Ok(None);
        };
        return Ok(Gray::from_samples(dw, dh, 1, &px));
    }
    let bpc = int(b"BitsPerComponent");
    let comps = match stream.dict.get(b"ColorSpace").and_then(Object::as_name) {
        Ok(b"DeviceGray") => 1,
        Ok(b"DeviceRGB") => 3,
        _ => return Ok(None),
    };
    if bpc != Some(8) || !matches!(f.as_slice(), [] | [_]) || f.iter().any(|x| x != b"FlateDecode")
    {
        return Ok(None);
    }
    let data = if f.is_empty() {
        stream.content.clone()
    } else {
        match stream.decompressed_content_with_limit(max_stream) {
            Ok(d) => d,
            Err(e) => return Err(OcrError::Image(format!("image stream: {e}"))),
        }
    };
    Ok(Gray::from_samples(w, h, comps, &data))
}

/// Rasterise page `number` with pdftoppm into a grey image. The file is
/// written into the scratch directory once, for all its pages.
fn render(
    bytes: &[u8],
    number: u32,
    scratch: &mut Scratch,
    settings: &Settings,
    deadline: Instant,
) -> Result<Gray, OcrError> {
    let dir = scratch.dir()?.to_path_buf();
    let pdf = dir.join("in.pdf");
    if !pdf.exists() {
        std::fs::write(&pdf, bytes)?;
    }
    let out = dir.join("page");
    let mut cmd = Command::new("pdftoppm");
    cmd.args(["-gray", "-singlefile", "-r"])
        .arg(format!("{}", settings.render_dpi))
        .arg("-f")
        .arg(number.to_string())
        .arg("-l")
        .arg(number.to_string())
        .arg(&pdf)
        .arg(&out);
    crate::ocr::run_program(
        &mut cmd,
        "pdftoppm",
        "poppler-utils",
        &dir.join("render.err"),
        deadline,
    )?;
    let file = out.with_extension("pgm");
    let data = std::fs::read(&file)?;
    let _ = std::fs::remove_file(&file);
    Gray::from_pgm(&data, settings.max_pixels)
        .ok_or_else(|| OcrError::Image("pdftoppm wrote no readable page image".into()))
}
