//! Cross-reference sections (ISO 32000-1 §7.5.4, §7.5.8): where each
//! object of a file is, read from `startxref` back through `/Prev`, so an
//! object can be parsed when it is needed instead of all at open.
//!
//! Classic tables, cross-reference streams (through lopdf's filters, which
//! apply the PNG predictors these streams use) and hybrid files (`/XRefStm`)
//! are read; newer sections win over older ones, and within a hybrid
//! section the table wins over its stream. The newest trailer is the
//! document's. Anything malformed gives `None`: the caller then lets lopdf
//! load the file, as lopdf repairs broken tables by scanning for objects.

use super::syntax::{Parser, MAX_DEPTH};
use lopdf::{Dictionary, Object, Stream};
use std::collections::BTreeMap;

/// Where one object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    Free,
    /// At a byte offset (from the `%PDF-` header), with its generation.
    Normal {
        offset: usize,
        generation: u16,
    },
    /// The `index`-th object of object stream `container`.
    Compressed {
        container: u32,
        index: u32,
    },
}

/// A file's merged cross-reference data and its trailer.
#[derive(Debug)]
pub(crate) struct Xref {
    pub entries: BTreeMap<u32, Entry>,
    pub trailer: Dictionary,
}

/// Bounds on what a file may make us read.
pub(crate) struct Bounds {
    /// Sections followed through `/Prev` at most.
    pub max_sections: usize,
    /// Entries at most, all sections together.
    pub max_entries: usize,
    /// Decoded bytes of one cross-reference stream at most.
    pub max_stream_bytes: usize,
}

/// Read the cross-reference data of `data` (which starts at `%PDF-`).
pub(crate) fn read(data: &[u8], bounds: &Bounds) -> Option<Xref> {
    let mut xref = Xref {
        entries: BTreeMap::new(),
        trailer: Dictionary::new(),
    };
    let mut next = Some(startxref(data)?);
    let mut seen = Vec::new();
    let mut first = true;
    while let Some(offset) = next.take() {
        if seen.contains(&offset) || seen.len() >= bounds.max_sections {
            return None;
        }
        seen.push(offset);
        let mut p = Parser::at(data, offset);
        let trailer = if p.eat(b"xref") {
            let trailer = table(&mut p, &mut xref, bounds)?;
            if let Some(at) = offset_of(&trailer, b"XRefStm") {
                stream_section(data, at, &mut xref, bounds)?;
            }
            trailer
        } else {
            stream_section(data, offset, &mut xref, bounds)?
        };
        next = offset_of(&trailer, b"Prev");
        if first {
            xref.trailer = trailer;
            first = false;
        }
    }
    Some(xref)
}

/// The offset after the last `startxref`.
fn startxref(data: &[u8]) -> Option<usize> {
    let tail_start = data.len().saturating_sub(4096);
    let tail = data.get(tail_start..)?;
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let mut p = Parser::at(data, tail_start + at + 9);
    p.space();
    usize::try_from(p.unsigned()?).ok()
}

fn offset_of(dict: &Dictionary, key: &[u8]) -> Option<usize> {
    match dict.get(key).ok()? {
        Object::Integer(n) => usize::try_from(*n).ok(),
        _ => None,
    }
}

fn insert(xref: &mut Xref, id: u32, entry: Entry, bounds: &Bounds) -> Option<()> {
    if xref.entries.len() >= bounds.max_entries {
        return None;
    }
    xref.entries.entry(id).or_insert(entry);
    Some(())
}

/// A classic table after its `xref` keyword, through its trailer
/// dictionary (returned).
fn table(p: &mut Parser<'_>, xref: &mut Xref, bounds: &Bounds) -> Option<Dictionary> {
    p.space();
    loop {
        if p.eat(b"trailer") {
            p.space();
            return p.dictionary(MAX_DEPTH);
        }
        let start = u32::try_from(p.unsigned()?).ok()?;
        p.space();
        let count = u32::try_from(p.unsigned()?).ok()?;
        p.space();
        for i in 0..count {
            let offset = usize::try_from(p.unsigned()?).ok()?;
            p.space();
            let generation = u16::try_from(p.unsigned()?).ok()?;
            p.space();
            let entry = if p.eat(b"n") {
                Entry::Normal { offset, generation }
            } else if p.eat(b"f") {
                Entry::Free
            } else {
                return None;
            };
            p.space();
            insert(xref, start.checked_add(i)?, entry, bounds)?;
        }
    }
}

/// A cross-reference stream at `offset`: its entries, and its dictionary
/// (the section's trailer).
fn stream_section(
    data: &[u8],
    offset: usize,
    xref: &mut Xref,
    bounds: &Bounds,
) -> Option<Dictionary> {
    let mut p = Parser::at(data, offset);
    p.id_then(b"obj")?;
    p.space();
    let dict = p.dictionary(MAX_DEPTH)?;
    if dict.get(b"Type").ok()? != &Object::Name(b"XRef".to_vec()) {
        return None;
    }
    let length = match dict.get(b"Length").ok()? {
        Object::Integer(n) => usize::try_from(*n).ok()?,
        _ => return None,
    };
    let body = p.stream_body(length)?;
    let stream = Stream::new(dict.clone(), body.to_vec());
    let decoded = stream
        .get_plain_content_with_limit(bounds.max_stream_bytes)
        .ok()?;
    let widths = ints(dict.get(b"W").ok()?)?;
    let [w0, w1, w2] = <[i64; 3]>::try_from(widths).ok()?;
    let w = [w0, w1, w2].map(|x| usize::try_from(x).ok().filter(|&x| x <= 8));
    let [Some(w0), Some(w1), Some(w2)] = w else {
        return None;
    };
    let row = w0 + w1 + w2;
    if row == 0 {
        return None;
    }
    let index = match dict.get(b"Index") {
        Ok(o) => ints(o)?,
        Err(_) => vec![
            0,
            match dict.get(b"Size").ok()? {
                Object::Integer(n) => *n,
                _ => return None,
            },
        ],
    };
    let mut rows = decoded.chunks_exact(row);
    for pair in index.chunks(2) {
        let [start, count] = <[i64; 2]>::try_from(pair).ok()?;
        let start = u32::try_from(start).ok()?;
        for i in 0..u32::try_from(count).ok()? {
            let r = rows.next()?;
            let field = |from: usize, width: usize| {
                r.get(from..from + width)
                    .map(|b| b.iter().fold(0u64, |v, &x| (v << 8) | u64::from(x)))
            };
            // A missing type field means type 1.
            let kind = if w0 == 0 { 1 } else { field(0, w0)? };
            let (a, b) = (field(w0, w1)?, field(w0 + w1, w2)?);
            let entry = match kind {
                0 => Entry::Free,
                1 => Entry::Normal {
                    offset: usize::try_from(a).ok()?,
                    generation: u16::try_from(b).ok()?,
                },
                2 => Entry::Compressed {
                    container: u32::try_from(a).ok()?,
                    index: u32::try_from(b).ok()?,
                },
                // Unknown types are to be read as null references.
                _ => Entry::Free,
            };
            insert(xref, start.checked_add(i)?, entry, bounds)?;
        }
    }
    Some(dict)
}

fn ints(o: &Object) -> Option<Vec<i64>> {
    match o {
        Object::Array(a) => a
            .iter()
            .map(|x| match x {
                Object::Integer(n) => Some(*n),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}
