//! Small, total accessors over lopdf objects and font-program bytes: every
//! lookup follows references (or checks its bounds) and answers `None`
//! instead of failing, because a font with one broken entry should still
//! decode with what remains.

use lopdf::{Dictionary, Document, Object, Stream};

/// The big-endian `u16` at byte `o` of `b`, if it lies inside.
pub(crate) fn be16(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        b.get(o..o.checked_add(2)?)?.try_into().ok()?,
    ))
}

/// The big-endian `i16` at byte `o` of `b`, if it lies inside.
pub(crate) fn be_i16(b: &[u8], o: usize) -> Option<i16> {
    be16(b, o).map(|v| v as i16)
}

/// The big-endian `u32` at byte `o` of `b`, if it lies inside.
pub(crate) fn be32(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(o..o.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// Follow references (lopdf bounds the chain length).
pub(crate) fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

/// `dict[key]`, references followed.
pub(crate) fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    resolve(doc, dict.get(key).ok()?)
}

pub(crate) fn get_dict<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    match get(doc, dict, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub(crate) fn get_name<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [u8]> {
    get(doc, dict, key)?.as_name().ok()
}

pub(crate) fn get_array<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Vec<Object>> {
    get(doc, dict, key)?.as_array().ok()
}

pub(crate) fn get_stream<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Stream> {
    get(doc, dict, key)?.as_stream().ok()
}

/// A number (integer or real), references followed; non-finite values refused.
pub(crate) fn number(doc: &Document, obj: &Object) -> Option<f32> {
    let v = resolve(doc, obj)?.as_float().ok()?;
    v.is_finite().then_some(v)
}

pub(crate) fn get_number(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    number(doc, dict.get(key).ok()?)
}

/// An array of numbers (entries that are not numbers are refused as a whole).
pub(crate) fn numbers(doc: &Document, arr: &[Object]) -> Option<Vec<f32>> {
    arr.iter().map(|o| number(doc, o)).collect()
}

/// The decoded bytes of a stream, refusing anything larger than `max` bytes
/// once decompressed (so a bomb costs at most `max`).
pub(crate) fn stream_bytes(stream: &Stream, max: usize) -> Result<Vec<u8>, String> {
    stream
        .get_plain_content_with_limit(max)
        .map_err(|e| e.to_string())
}

/// Text of a PDF name or string that may be UTF-8 or (Chinese producers) GBK.
pub(crate) fn text_of(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (s, _, had_errors) = encoding_rs::GBK.decode(bytes);
            if had_errors {
                String::from_utf8_lossy(bytes).into_owned()
            } else {
                s.into_owned()
            }
        }
    }
}
