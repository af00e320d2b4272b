//! Opening a PDF with lopdf and telling the user plainly why one cannot be
//! read: not a PDF, truncated, damaged beyond repair, or locked by a password.
//! lopdf (lenient mode) already rebuilds a broken cross-reference table by
//! scanning for `n g obj` and decrypts files whose user password is empty;
//! when its normal load fails we ask it once more to rebuild from a scan.
//! Before all that, the fast path in [`super::reachable`] loads only the
//! objects extraction reads; it gives way to lopdf on anything unusual.

use super::reachable::GaveWay;
use crate::{ExtractError, Limits};
use lopdf::{Document, LoadOptions};

/// Whether `marker` appears in the last 2 KiB: a file cut short lacks its
/// `startxref` pointer and `%%EOF`.
fn tail_has(bytes: &[u8], marker: &[u8]) -> bool {
    let tail = bytes
        .get(bytes.len().saturating_sub(2048)..)
        .unwrap_or_default();
    tail.windows(marker.len()).any(|w| w == marker)
}

/// Whether `%%EOF` appears near the end.
fn has_eof_marker(bytes: &[u8]) -> bool {
    tail_has(bytes, b"%%EOF")
}

/// A loaded document and what was found wrong with the file on the way:
/// a missing end marker, a cross-reference table rebuilt by scanning.
pub struct Loaded {
    pub doc: Document,
    pub damage: Vec<String>,
}

pub fn load(bytes: &[u8], limits: &Limits) -> Result<Loaded, ExtractError> {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::NotPdf(format!(
            "no %PDF- header; {}",
            crate::sniff::looks_like(bytes)
        )));
    }
    let mut damage = Vec::new();
    if !has_eof_marker(bytes) || !tail_has(bytes, b"startxref") {
        damage.push(
            "truncated PDF: the file ends without its startxref/%%EOF trailer; \
             what was past the cut is missing"
                .to_string(),
        );
    }
    let why = match super::reachable::load(bytes, limits) {
        Ok(doc) => return Ok(Loaded { doc, damage }),
        Err(why) => why,
    };
    let (doc, rebuilt) = match load_whole(bytes, limits) {
        Ok(loaded) => loaded,
        // lopdf's words for what the fast path already named are vaguer.
        Err(e) => {
            return Err(match (&why, e) {
                (Some(w @ GaveWay::StreamLimit { .. }), _) => ExtractError::Limit(w.to_string()),
                (Some(w), ExtractError::Damaged(_) | ExtractError::Truncated(_)) => {
                    ExtractError::Damaged(w.to_string())
                }
                (_, e) => e,
            })
        }
    };
    if let Some(w @ GaveWay::TooDeep(_)) = &why {
        damage.push(format!("damaged PDF: {w}"));
    }
    if rebuilt {
        damage.push(
            "damaged PDF: its cross-reference table is broken; objects were found by \
             scanning the file, and some may be missing"
                .to_string(),
        );
    }
    Ok(Loaded { doc, damage })
}

/// Every object, through lopdf (which repairs and decrypts); true when the
/// cross-reference table had to be rebuilt by scanning.
pub(crate) fn load_whole(bytes: &[u8], limits: &Limits) -> Result<(Document, bool), ExtractError> {
    let options = |force| LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        force_reconstruct: force,
        ..LoadOptions::default()
    };
    let (doc, rebuilt) = match Document::load_mem_with_options(bytes, options(false)) {
        Ok(d) => (d, false),
        Err(first) => match Document::load_mem_with_options(bytes, options(true)) {
            Ok(d) => (d, true),
            Err(_) => return Err(classify(bytes, first)),
        },
    };
    // Still encrypted after loading: lopdf could not open it with the empty
    // password, so a real one is needed.
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    if !super::page_tree::has_pages(&doc) {
        if !has_eof_marker(bytes) {
            return Err(ExtractError::Truncated("no pages found".into()));
        }
        return Err(ExtractError::Damaged("no pages found".into()));
    }
    Ok((doc, rebuilt))
}

fn classify(bytes: &[u8], err: lopdf::Error) -> ExtractError {
    match err {
        lopdf::Error::InvalidPassword => ExtractError::Encrypted,
        lopdf::Error::Decryption(_) => ExtractError::Encrypted,
        e if !has_eof_marker(bytes) => ExtractError::Truncated(e.to_string()),
        e => ExtractError::Damaged(e.to_string()),
    }
}
