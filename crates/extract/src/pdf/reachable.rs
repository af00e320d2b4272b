//! Loading only what extraction reads: the objects reachable from the
//! catalog through the page tree, resources, fonts and forms, parsed on
//! demand from the cross-reference data ([`super::xref`]) with our own
//! parser ([`super::syntax`]).
//!
//! lopdf parses every object when it opens a file. Chromium and Word write
//! tagged PDFs whose structure tree (one dictionary per table cell and
//! paragraph, thousands of them) and outlines, link annotations and name
//! trees are most of the objects, and none of them carry page text. On
//! Chromium's budget tables parsing them was about half of the time of a
//! whole extraction. So we follow references from `/Root`, skipping the
//! keys in [`SKIPPED`], and build a `lopdf::Document` of just those
//! objects; everything downstream reads it as before.
//!
//! This is a fast path, not a second reader: on anything unexpected (no
//! or damaged cross-reference data, an object not where the table says, a
//! reference to an object the table does not list, a stream whose /Length
//! is wrong, encryption, syntax our parser refuses) it returns `None` and
//! the caller loads the file with lopdf, which repairs and decrypts.

use super::syntax::{Parser, MAX_DEPTH};
use super::xref::{self, Entry, Xref};
use crate::Limits;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Keys whose values extraction never reads: the logical structure,
/// navigation, interactive forms and annotations, metadata streams and
/// thumbnails. Their subtrees are not loaded.
const SKIPPED: &[&[u8]] = &[
    b"StructTreeRoot",
    b"ParentTree",
    b"Outlines",
    b"Threads",
    b"Names",
    b"Dests",
    b"AcroForm",
    b"Annots",
    b"Metadata",
    b"PieceInfo",
    b"Thumb",
    b"SpiderInfo",
    b"OpenAction",
    b"AA",
];

/// Why the fast path gave way, when that is worth telling the user: lopdf's
/// own words for the same trouble ("object not found", "couldn't decompress
/// stream") do not say what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum GaveWay {
    /// An object nested deeper than [`MAX_DEPTH`] (damage, or an attack).
    TooDeep(ObjectId),
    /// An object stream that inflates past `max_stream_bytes`.
    StreamLimit { number: u32, limit: usize },
}

impl std::fmt::Display for GaveWay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GaveWay::TooDeep((n, g)) => write!(
                f,
                "object {n} {g} nests arrays or dictionaries more than {MAX_DEPTH} deep, and was not read"
            ),
            GaveWay::StreamLimit { number, limit } => write!(
                f,
                "object stream {number} is too large to decompress: {}",
                crate::limits::hit("max_stream_bytes", limit)
            ),
        }
    }
}

pub(crate) type Why = Option<GaveWay>;

/// The document with the objects reachable from its catalog, or why not
/// (the caller then uses lopdf).
pub(crate) fn load(bytes: &[u8], limits: &Limits) -> Result<Document, Why> {
    let mut why = None;
    load_fast(bytes, limits, &mut why).ok_or(why)
}

fn load_fast(bytes: &[u8], limits: &Limits, why: &mut Why) -> Option<Document> {
    let start = bytes.windows(5).position(|w| w == b"%PDF-")?;
    let data = bytes.get(start..)?;
    let version = header_version(data)?;
    let bounds = xref::Bounds {
        max_sections: 64,
        max_entries: 4_000_000,
        max_stream_bytes: limits.max_stream_bytes,
    };
    let xref = xref::read(data, &bounds)?;
    if xref.trailer.has(b"Encrypt") {
        return None;
    }
    let root = xref.trailer.get(b"Root").ok()?.as_reference().ok()?;
    let mut loader = Loader {
        data,
        xref: &xref,
        limits,
        containers: HashMap::new(),
        decoded_bytes: 0,
        opening: false,
        why,
    };
    let mut objects: BTreeMap<ObjectId, Object> = BTreeMap::new();
    let mut queue = vec![root];
    while let Some(id) = queue.pop() {
        if objects.contains_key(&id) {
            continue;
        }
        // A reference to a free object is a reference to null (lopdf's load
        // leaves such objects out too); one to an object the table does not
        // list at all may be in an object stream lopdf would read, so the
        // fast path gives way.
        if xref.entries.get(&id.0)? == &Entry::Free {
            continue;
        }
        let object = loader.object(id)?;
        references(&object, &mut queue);
        objects.insert(id, object);
    }
    let mut doc = Document::with_version(version);
    doc.max_id = objects.keys().next_back().map_or(0, |id| id.0);
    doc.trailer = xref.trailer;
    doc.objects = objects;
    super::page_tree::has_pages(&doc).then_some(doc)
}

/// "1.7" from `%PDF-1.7`.
fn header_version(data: &[u8]) -> Option<String> {
    let rest = data.get(5..)?;
    let n = rest
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b'.')
        .count();
    String::from_utf8(rest.get(..n)?.to_vec()).ok()
}

/// Push every reference in `o` not under a [`SKIPPED`] key.
fn references(o: &Object, out: &mut Vec<ObjectId>) {
    match o {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|i| references(i, out)),
        Object::Dictionary(d) => dict_references(d, out),
        Object::Stream(s) => dict_references(&s.dict, out),
        _ => {}
    }
}

fn dict_references(d: &Dictionary, out: &mut Vec<ObjectId>) {
    for (key, value) in d.iter() {
        if !SKIPPED.contains(&key.as_slice()) {
            references(value, out);
        }
    }
}

/// One decoded object stream: its data and each member's number and offset.
struct Container {
    data: Vec<u8>,
    first: usize,
    members: Vec<(u32, usize)>,
}

struct Loader<'a> {
    data: &'a [u8],
    xref: &'a Xref,
    limits: &'a Limits,
    containers: HashMap<u32, Rc<Container>>,
    /// Object-stream bytes decoded so far (bounded like a page's streams).
    decoded_bytes: usize,
    /// An object stream is being opened (its /Length may not send us
    /// into another one).
    opening: bool,
    /// The first reason worth telling for giving way.
    why: &'a mut Why,
}

impl Loader<'_> {
    fn object(&mut self, id: ObjectId) -> Option<Object> {
        match *self.xref.entries.get(&id.0)? {
            Entry::Normal { offset, generation } if generation == id.1 => {
                self.at_offset(id, offset)
            }
            Entry::Compressed { container, index } if id.1 == 0 => {
                self.compressed(id.0, container, index)
            }
            _ => None,
        }
    }

    /// Note why the fast path gives way (the first reason only).
    fn give_way(&mut self, reason: GaveWay) {
        self.why.get_or_insert(reason);
    }

    /// The reason for an object `p` refused for its depth.
    fn too_deep(&mut self, p: &Parser, id: ObjectId) {
        if p.too_deep {
            self.give_way(GaveWay::TooDeep(id));
        }
    }

    /// `n g obj` at `offset`, which must be `id`.
    fn at_offset(&mut self, id: ObjectId, offset: usize) -> Option<Object> {
        let mut p = Parser::at(self.data, offset);
        let object = self.parse_at(&mut p, id);
        self.too_deep(&p, id);
        object
    }

    fn parse_at(&mut self, p: &mut Parser, id: ObjectId) -> Option<Object> {
        p.space();
        if p.id_then(b"obj")? != id {
            return None;
        }
        p.space();
        if !p.at_dictionary() {
            return p.object(MAX_DEPTH);
        }
        let dict = p.dictionary(MAX_DEPTH)?;
        if !p.at_stream() {
            return Some(Object::Dictionary(dict));
        }
        let length = match dict.get(b"Length").ok()? {
            Object::Integer(n) => usize::try_from(*n).ok()?,
            Object::Reference(r) => self.length(*r)?,
            _ => return None,
        };
        let body = p.stream_body(length)?;
        Some(Object::Stream(Stream::new(dict, body.to_vec())))
    }

    /// An indirect /Length: an integer object, read without following any
    /// stream (so two streams whose lengths point at each other cannot
    /// recurse); in an object stream only when no other object stream is
    /// being opened.
    fn length(&mut self, id: ObjectId) -> Option<usize> {
        let value = match *self.xref.entries.get(&id.0)? {
            Entry::Normal { offset, generation } if generation == id.1 => {
                let mut p = Parser::at(self.data, offset);
                p.space();
                if p.id_then(b"obj")? != id {
                    return None;
                }
                p.space();
                p.object(MAX_DEPTH)?
            }
            Entry::Compressed { container, index } if id.1 == 0 && !self.opening => {
                self.compressed(id.0, container, index)?
            }
            _ => return None,
        };
        match value {
            Object::Integer(n) => usize::try_from(n).ok(),
            _ => None,
        }
    }

    /// Object `number` from object stream `container`. Like lopdf, the
    /// member is found by its number in the stream's header (the last pair
    /// naming it), not by `index`.
    fn compressed(&mut self, number: u32, container: u32, _index: u32) -> Option<Object> {
        let c = self.container(container)?;
        let &(_, offset) = c.members.iter().rev().find(|m| m.0 == number)?;
        let mut p = Parser::at(&c.data, c.first.checked_add(offset)?);
        p.space();
        let object = p.object(MAX_DEPTH);
        self.too_deep(&p, (number, 0));
        object
    }

    fn container(&mut self, number: u32) -> Option<Rc<Container>> {
        if let Some(c) = self.containers.get(&number) {
            return Some(c.clone());
        }
        let Entry::Normal { offset, generation } = *self.xref.entries.get(&number)? else {
            return None;
        };
        self.opening = true;
        let container = self.at_offset((number, generation), offset);
        self.opening = false;
        let Some(Object::Stream(stream)) = container else {
            return None;
        };
        if stream.dict.get(b"Type").ok()? != &Object::Name(b"ObjStm".to_vec()) {
            return None;
        }
        let left = self
            .limits
            .max_stream_bytes
            .checked_sub(self.decoded_bytes)?;
        let data = match stream.get_plain_content_with_limit(left) {
            Ok(data) => data,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                self.give_way(GaveWay::StreamLimit {
                    number,
                    limit: self.limits.max_stream_bytes,
                });
                return None;
            }
            Err(_) => return None,
        };
        self.decoded_bytes += data.len();
        let first = match stream.dict.get(b"First").ok()? {
            Object::Integer(n) => usize::try_from(*n).ok()?,
            _ => return None,
        };
        let header = std::str::from_utf8(data.get(..first)?).ok()?;
        // lopdf's reading: numbers split on white space, `%` comments cut
        // per line, unreadable numbers leave a hole in their pair.
        let numbers: Vec<Option<u32>> = header
            .split(['\r', '\n'])
            .flat_map(|line| {
                line.split('%')
                    .next()
                    .unwrap_or_default()
                    .split_whitespace()
            })
            .map(|n| n.parse::<u32>().ok())
            .collect();
        let members = numbers
            .chunks_exact(2)
            .filter_map(|pair| Some((pair[0]?, usize::try_from(pair[1]?).ok()?)))
            .collect();
        let c = Rc::new(Container {
            data,
            first,
            members,
        });
        self.containers.insert(number, c.clone());
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::LoadOptions;

    fn corpus() -> Vec<std::path::PathBuf> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let mut files = Vec::new();
        for dir in [
            format!("{root}/../shared/real/budget"),
            format!("{root}/../shared/real/final"),
            format!("{root}/../shared/real/encodings"),
            format!("{root}/samples"),
        ] {
            let mut found: Vec<_> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{dir}: {e}"))
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect();
            found.sort();
            files.extend(found);
        }
        assert!(files.len() >= 30, "corpus missing: {}", files.len());
        // More on request: GONGKAI_EXTRA_PDFS=DIR adds every PDF in DIR (e.g.
        // the corpus re-saved with object streams, linearized, updated).
        if let Ok(dir) = std::env::var("GONGKAI_EXTRA_PDFS") {
            let mut extra: Vec<_> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{dir}: {e}"))
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect();
            extra.sort();
            files.extend(extra);
        }
        files
    }

    /// The fast path applies to every PDF we have, and each object it
    /// loads is the object lopdf loads.
    #[test]
    fn loads_what_lopdf_loads_on_every_pdf() {
        crate::require_shared!();
        let limits = Limits::default();
        for path in corpus() {
            let bytes = std::fs::read(&path).unwrap();
            let name = path.display();
            let fast = load(&bytes, &limits)
                .unwrap_or_else(|why| panic!("{name}: no fast path ({why:?})"));
            let whole = Document::load_mem_with_options(&bytes, LoadOptions::default()).unwrap();
            assert_eq!(fast.get_pages(), whole.get_pages(), "{name}");
            assert!(fast.objects.len() <= whole.objects.len(), "{name}");
            for (id, object) in &fast.objects {
                let theirs = whole
                    .objects
                    .get(id)
                    .unwrap_or_else(|| panic!("{name}: {id:?} not in lopdf's load"));
                match (object, theirs) {
                    (Object::Stream(a), Object::Stream(b)) => {
                        assert_eq!(a.dict, b.dict, "{name}: {id:?}");
                        assert_eq!(a.content, b.content, "{name}: {id:?}");
                    }
                    (a, b) => assert_eq!(a, b, "{name}: {id:?}"),
                }
            }
        }
    }

    /// Chromium's tagged PDFs: the structure tree is not loaded.
    #[test]
    fn skips_the_structure_tree() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/02-jincheng-gxj-budget-2024-chromium-narrow.pdf"
        );
        let bytes = std::fs::read(path).unwrap();
        let fast = load(&bytes, &Limits::default()).unwrap();
        let whole = Document::load_mem(&bytes).unwrap();
        let is_struct = |o: &Object| {
            o.as_dict()
                .ok()
                .and_then(|d| d.get(b"Type").ok())
                .is_some_and(|t| t == &Object::Name(b"StructElem".to_vec()))
        };
        assert!(whole.objects.values().filter(|o| is_struct(o)).count() > 1000);
        assert_eq!(fast.objects.values().filter(|o| is_struct(o)).count(), 0);
        assert!(fast.objects.len() * 5 < whole.objects.len());
    }

    #[test]
    fn gives_way_on_damage() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/12-luzhou-fgj-budget-2025-reportlab.pdf"
        );
        let bytes = std::fs::read(path).unwrap();
        assert!(load(&bytes, &Limits::default()).is_ok());
        // An object moved by one byte: the table no longer points at it.
        let at = bytes.windows(8).position(|w| w == b"\n3 0 obj").unwrap();
        let mut moved = bytes.clone();
        moved.insert(at + 1, b'x');
        assert!(load(&moved, &Limits::default()).is_err());
        // No startxref.
        let cut = &bytes[..bytes.len() - 40];
        assert!(load(cut, &Limits::default()).is_err());
        // Encrypted.
        let mut locked = bytes.clone();
        let trailer = locked.windows(5).rposition(|w| w == b"/Root").unwrap();
        locked.splice(trailer..trailer, b"/Encrypt 1 0 R ".iter().copied());
        assert!(load(&locked, &Limits::default()).is_err());
    }
}

#[cfg(test)]
mod hostile {
    use super::*;
    use crate::pdf::fixtures::PdfBuilder;

    fn doc(more: impl FnOnce(&mut PdfBuilder)) -> Vec<u8> {
        let mut b = PdfBuilder::new();
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .obj(
                3,
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R >>",
            );
        more(&mut b);
        b.finish(1)
    }

    #[test]
    fn reads_a_plain_file_and_treats_free_references_as_null() {
        let pdf = doc(|b| {
            b.stream(4, "", b"BT ET");
        });
        let d = load(&pdf, &Limits::default()).unwrap();
        assert_eq!(d.objects.len(), 4);
        // Object 5 is free in the table (6 exists): a reference to null.
        let pdf = doc(|b| {
            b.stream(4, "/Extra 5 0 R", b"BT ET").obj(6, "null");
        });
        let d = load(&pdf, &Limits::default()).unwrap();
        assert_eq!(d.objects.len(), 4);
        // Object 9 is not in the table at all: lopdf's turn.
        let pdf = doc(|b| {
            b.stream(4, "/Extra 9 0 R", b"BT ET");
        });
        assert!(load(&pdf, &Limits::default()).is_err());
    }

    #[test]
    fn lengths_that_point_at_each_other_do_not_recurse() {
        let pdf = doc(|b| {
            b.obj(4, "<< /Length 5 0 R >>\nstream\nBT ET\nendstream")
                .obj(5, "<< /Length 4 0 R >>\nstream\nxx\nendstream");
        });
        assert!(load(&pdf, &Limits::default()).is_err());
        // An indirect length that is an integer object is fine.
        let pdf = doc(|b| {
            b.obj(4, "<< /Length 5 0 R >>\nstream\nBT ET\nendstream")
                .obj(5, "5");
        });
        let d = load(&pdf, &Limits::default()).unwrap();
        let content = d.get_object((4, 0)).unwrap().as_stream().unwrap();
        assert_eq!(content.content, b"BT ET");
    }

    #[test]
    fn a_prev_chain_that_loops_gives_way() {
        let pdf = doc(|b| {
            b.stream(4, "", b"BT ET");
        });
        let text = pdf.clone();
        let at = text.windows(8).rposition(|w| w == b"trailer\n").unwrap() + 8;
        let xref = text.windows(5).rposition(|w| w == b"xref\n").unwrap();
        let mut looped = pdf.clone();
        let insert = format!("<< /Prev {xref} ");
        looped.splice(at..at + 2, insert.bytes());
        assert!(load(&looped, &Limits::default()).is_err());
        // lopdf still opens it.
        let d = crate::pdf::open(&looped, &crate::Options::default()).unwrap();
        assert_eq!(d.pages.len(), 1);
    }

    #[test]
    fn garbage_and_truncation_never_panic() {
        let pdf = doc(|b| {
            b.stream(4, "", b"BT /F1 12 Tf (x) Tj ET");
        });
        for cut in (0..pdf.len()).step_by(7) {
            let _ = load(&pdf[..cut], &Limits::default());
        }
        let mut noisy = pdf.clone();
        for i in (0..noisy.len()).step_by(13) {
            noisy[i] = noisy[i].wrapping_mul(31).wrapping_add(7);
            let _ = load(&noisy, &Limits::default());
        }
    }
}
