//! A page's content: its content streams decoded and joined, with what
//! could not be read said as damage instead of hidden.
//!
//! lopdf's own page-content reader keeps whatever a broken Flate stream
//! gave before the break and falls back to the raw (compressed) bytes of a
//! stream it cannot decode, both without a word; a page cut midway then
//! reads as a short page. Here the common case, a Flate stream without
//! predictor, is inflated directly so a break is seen; other filters go
//! through lopdf, and a failure is named. Either way the bytes that did
//! decode are kept (they are what a viewer shows), and the page gets a
//! diagnostic saying what is missing.

use crate::limits::hit;
use lopdf::{Document, Object, ObjectId, Stream};
use std::io::Read;

/// The page's content bytes and its damage notes.
#[derive(Debug, Default)]
pub(crate) struct Content {
    pub bytes: Vec<u8>,
    pub damage: Vec<String>,
}

/// A decoded stream would pass `max_stream_bytes`.
#[derive(Debug)]
pub(crate) struct OverLimit(pub String);

fn over(max: usize) -> OverLimit {
    OverLimit(format!(
        "page content is too large to decompress: {}",
        hit("max_stream_bytes", max)
    ))
}

/// Whether a stream is Flate-compressed and nothing else (no predictor).
fn plain_flate(stream: &Stream) -> bool {
    let filters = stream.filters().unwrap_or_default();
    filters == [b"FlateDecode".as_slice()] && !stream.dict.has(b"DecodeParms")
}

/// Inflate up to `remaining` bytes. `Err` is (the bytes decoded before the
/// break, what broke).
fn inflate(data: &[u8], remaining: usize) -> Result<Vec<u8>, (Vec<u8>, String)> {
    let cap = u64::try_from(remaining)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut out = Vec::new();
    let first = flate2::read::ZlibDecoder::new(data)
        .take(cap)
        .read_to_end(&mut out);
    let Err(e) = first else {
        return Ok(out);
    };
    // A missing or wrong zlib header (some writers emit raw deflate): try
    // raw deflate, as lopdf and viewers do.
    if out.is_empty() {
        if let Some(body) = data.get(2..) {
            let mut raw = Vec::new();
            if flate2::read::DeflateDecoder::new(body)
                .take(cap)
                .read_to_end(&mut raw)
                .is_ok()
            {
                return Ok(raw);
            }
        }
    }
    Err((out, e.to_string()))
}

/// Whether undecodable bytes may be content after all (a stream marked
/// compressed that is not): text, and nearly all of it ASCII, as operators
/// and numbers are (compressed data is not).
fn looks_like_content(bytes: &[u8]) -> bool {
    let sample = bytes.get(..bytes.len().min(4096)).unwrap_or_default();
    crate::sniff::mostly_text(sample)
        && sample.iter().filter(|b| b.is_ascii()).count() * 10 >= sample.len() * 9
}

/// One content stream, decoded into `out`.
fn decode_one(
    id: ObjectId,
    stream: &Stream,
    max: usize,
    out: &mut Content,
) -> Result<(), OverLimit> {
    let remaining = max.saturating_sub(out.bytes.len());
    let name = format!("content stream {} {} R", id.0, id.1);
    if plain_flate(stream) {
        match inflate(&stream.content, remaining) {
            Ok(data) if data.len() > remaining => return Err(over(max)),
            Ok(data) => out.bytes.extend_from_slice(&data),
            Err((partial, e)) => {
                if partial.len() > remaining {
                    return Err(over(max));
                }
                out.damage.push(if partial.is_empty() {
                    format!("damaged PDF: {name} cannot be decompressed ({e}); its text is missing")
                } else {
                    format!(
                        "damaged PDF: {name} is corrupt after {} decompressed bytes ({e}); the rest of it is missing",
                        partial.len()
                    )
                });
                out.bytes.extend_from_slice(&partial);
            }
        }
        return Ok(());
    }
    match stream.decompressed_content_with_limit(remaining) {
        Ok(data) => out.bytes.extend_from_slice(&data),
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(over(max))
        }
        Err(e) if looks_like_content(&stream.content) && stream.content.len() <= remaining => {
            let e = why_undecodable(stream, &e);
            out.damage.push(format!(
                "damaged PDF: {name} cannot be decoded ({e}); read as uncompressed"
            ));
            out.bytes.extend_from_slice(&stream.content);
        }
        Err(e) => out.damage.push(format!(
            "damaged PDF: {name} cannot be decoded ({}); its text is missing",
            why_undecodable(stream, &e)
        )),
    }
    Ok(())
}

/// Filters a content stream may name that lopdf decodes (full and
/// abbreviated names).
const KNOWN_FILTERS: &[&[u8]] = &[
    b"FlateDecode",
    b"Fl",
    b"LZWDecode",
    b"LZW",
    b"ASCII85Decode",
    b"A85",
    b"ASCIIHexDecode",
    b"AHx",
    b"RunLengthDecode",
    b"RL",
];

/// Why a stream cannot be decoded, in the file's terms: a filter name no
/// PDF reader knows (usually damage) rather than lopdf's "missing feature".
fn why_undecodable(stream: &lopdf::Stream, e: &lopdf::Error) -> String {
    let unknown: Vec<String> = stream
        .filters()
        .unwrap_or_default()
        .into_iter()
        .filter(|f| !KNOWN_FILTERS.contains(f))
        .map(|f| format!("/{}", String::from_utf8_lossy(f)))
        .collect();
    if unknown.is_empty() {
        e.to_string()
    } else {
        format!("unknown filter {}", unknown.join(", "))
    }
}

/// The page's content streams, decoded and joined by newlines, within
/// `max` decoded bytes.
pub(crate) fn read(doc: &Document, page: ObjectId, max: usize) -> Result<Content, OverLimit> {
    let mut out = Content::default();
    for id in doc.get_page_contents(page) {
        match doc.get_object(id) {
            Ok(Object::Stream(stream)) => decode_one(id, stream, max, &mut out)?,
            Ok(Object::Null) | Err(_) => out.damage.push(format!(
                "damaged PDF: content stream {} {} R is missing; its text is missing",
                id.0, id.1
            )),
            Ok(_) => out.damage.push(format!(
                "damaged PDF: content {} {} R is not a stream; its text is missing",
                id.0, id.1
            )),
        }
        out.bytes.push(b'\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fixtures::PdfBuilder;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn page_with(stream_dict: &str, data: &[u8]) -> (Document, ObjectId) {
        let mut b = PdfBuilder::new();
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        b.obj(2, "<< /Type /Pages /Count 1 /Kids [3 0 R] >>");
        b.obj(3, "<< /Type /Page /Parent 2 0 R /Contents [4 0 R 9 0 R] >>");
        b.stream(4, stream_dict, data);
        let doc = Document::load_mem(&b.finish(1)).unwrap();
        (doc, (3, 0))
    }

    const TEXT: &[u8] = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET";

    #[test]
    fn a_sound_stream_reads_whole_and_a_missing_one_is_named() {
        let (doc, page) = page_with("/Filter /FlateDecode", &deflate(TEXT));
        let c = read(&doc, page, 1 << 20).unwrap();
        assert!(c.bytes.starts_with(TEXT));
        assert_eq!(c.damage.len(), 1, "{:?}", c.damage);
        assert!(c.damage[0].contains("9 0 R is missing"));
    }

    #[test]
    fn a_stream_broken_midway_keeps_its_start_and_says_so() {
        let long: Vec<u8> = TEXT.repeat(2000);
        let mut z = deflate(&long);
        let mid = z.len() / 2;
        for b in z.iter_mut().skip(mid).take(64) {
            *b ^= 0x5a;
        }
        let (doc, page) = page_with("/Filter /FlateDecode", &z);
        let c = read(&doc, page, 1 << 20).unwrap();
        assert!(
            c.damage
                .iter()
                .any(|d| d.contains("4 0 R is corrupt after")),
            "{:?}",
            c.damage
        );
        assert!(c.bytes.len() < long.len());
    }

    #[test]
    fn an_unknown_filter_is_named_and_plain_bytes_are_still_read() {
        let (doc, page) = page_with("/Filter /NoSuchDecode", TEXT);
        let c = read(&doc, page, 1 << 20).unwrap();
        assert!(c.bytes.starts_with(TEXT));
        assert!(
            c.damage[0].contains("read as uncompressed"),
            "{:?}",
            c.damage
        );
        let (doc, page) = page_with("/Filter /NoSuchDecode", &deflate(TEXT));
        let c = read(&doc, page, 1 << 20).unwrap();
        assert!(
            c.damage[0].contains("its text is missing"),
            "{:?}",
            c.damage
        );
    }

    #[test]
    fn a_bomb_names_the_limit() {
        let (doc, page) = page_with("/Filter /FlateDecode", &deflate(&vec![b' '; 1 << 20]));
        let e = read(&doc, page, 1000).unwrap_err();
        assert!(e.0.contains("max_stream_bytes"), "{}", e.0);
    }
}
