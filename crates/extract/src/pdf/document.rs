//! Opening a PDF with lopdf and telling the user plainly why one cannot be
//! read: not a PDF, truncated, damaged beyond repair, or locked by a password.
//! lopdf (lenient mode) already rebuilds a broken cross-reference table by
//! scanning for `n g obj` and decrypts files whose user password is empty;
//! when its normal load fails we ask it once more to rebuild from a scan.
//! Before all that, the fast path in [`super::reachable`] loads only the
//! objects extraction reads; it gives way to lopdf on anything unusual.

use crate::{ExtractError, Limits};
use lopdf::{Document, LoadOptions};

/// Whether `%%EOF` appears near the end (a file cut short lacks it).
fn has_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

pub fn load(bytes: &[u8], limits: &Limits) -> Result<Document, ExtractError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::NotPdf("no %PDF- header".into()));
    }
    if let Some(doc) = super::reachable::load(bytes, limits) {
        return Ok(doc);
    }
    load_whole(bytes, limits)
}

/// Every object, through lopdf (which repairs and decrypts).
pub(crate) fn load_whole(bytes: &[u8], limits: &Limits) -> Result<Document, ExtractError> {
    let options = |force| LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        force_reconstruct: force,
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options(false)) {
        Ok(d) => d,
        Err(first) => match Document::load_mem_with_options(bytes, options(true)) {
            Ok(d) => d,
            Err(_) => return Err(classify(bytes, first)),
        },
    };
    // Still encrypted after loading: lopdf could not open it with the empty
    // password, so a real one is needed.
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    if doc.get_pages().is_empty() {
        if !has_eof_marker(bytes) {
            return Err(ExtractError::Truncated("no pages found".into()));
        }
        return Err(ExtractError::Damaged("no pages found".into()));
    }
    Ok(doc)
}

fn classify(bytes: &[u8], err: lopdf::Error) -> ExtractError {
    match err {
        lopdf::Error::InvalidPassword => ExtractError::Encrypted,
        lopdf::Error::Decryption(_) => ExtractError::Encrypted,
        e if !has_eof_marker(bytes) => ExtractError::Truncated(e.to_string()),
        e => ExtractError::Damaged(e.to_string()),
    }
}
