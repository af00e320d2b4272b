//! One parse per font object per document: the interpreter asks for the
//! font of a resource on every `Tf`, pages share fonts, and loading (CMaps,
//! embedded programs) is the expensive part.

use super::load;
use super::loaded::Font;
use crate::Limits;
use lopdf::{Document, Object, ObjectId};
use std::collections::HashMap;
use std::sync::Arc;

/// Fonts of one document, each parsed once, keyed by object id.
#[derive(Default)]
pub struct FontCache {
    by_id: HashMap<ObjectId, Arc<Font>>,
    /// Inline font dictionaries, keyed by their address in the (immutable,
    /// one per cache) document: never dereferenced, only compared.
    by_addr: HashMap<usize, Arc<Font>>,
    /// Warnings met while loading fonts (a font that could not be read, …).
    pub warnings: Vec<String>,
    /// Glyph recognitions by shape left for this document.
    shape_budget: super::shape::Budget,
}

impl FontCache {
    pub fn new() -> FontCache {
        FontCache::default()
    }

    /// The font for a value of a /Font resource dictionary (a reference or an
    /// inline dictionary). Never fails: an unreadable font gives a fallback and
    /// a warning. `font` must be borrowed from `doc` (inline dictionaries are
    /// cached by address), and one cache serves one document.
    pub fn get(
        &mut self,
        doc: &Document,
        font: &Object,
        resource_name: &[u8],
        limits: &Limits,
    ) -> Arc<Font> {
        // Follow a chain of references to the last id, which keys the cache.
        let (id, obj) = match doc.dereference(font) {
            Ok((id, obj)) => (id, Some(obj)),
            Err(_) => (None, None),
        };
        if let Some(id) = id {
            if let Some(f) = self.by_id.get(&id) {
                return f.clone();
            }
        }
        let dict = obj.and_then(|o| match o {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        });
        let addr = dict.map(|d| d as *const _ as usize);
        if id.is_none() {
            if let Some(f) = addr.and_then(|a| self.by_addr.get(&a)) {
                return f.clone();
            }
        }
        let loaded = Arc::new(load::load(
            doc,
            dict,
            resource_name,
            limits,
            &self.shape_budget,
            &mut self.warnings,
        ));
        match (id, addr) {
            (Some(id), _) => {
                self.by_id.insert(id, loaded.clone());
            }
            (None, Some(a)) => {
                self.by_addr.insert(a, loaded.clone());
            }
            _ => {}
        }
        loaded
    }

    /// Once the document is read: add to [`FontCache::warnings`] how many
    /// glyphs of each font were recognised by shape (a guess; see
    /// `font::shape`), in font-name order.
    pub fn finish(&mut self) {
        let mut lines: Vec<String> = self
            .by_id
            .values()
            .chain(self.by_addr.values())
            .filter_map(|f| {
                let (n, file) = f.recognised_by_shape()?;
                Some(format!(
                    "font {}: {n} glyphs recognised by shape against {}",
                    f.name,
                    file.display()
                ))
            })
            .collect();
        lines.sort();
        lines.dedup();
        self.warnings.extend(lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// Fonts are shared between threads (documents are read in parallel).
    #[test]
    fn fonts_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Font>();
        check::<Arc<Font>>();
        check::<FontCache>();
    }

    #[test]
    fn each_font_object_loads_once() {
        let mut doc = Document::with_version("1.5");
        let font =
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
        let id = doc.add_object(font.clone());
        let res = doc.add_object(dictionary! { "F1" => id, "F2" => font });
        let limits = Limits::default();
        let mut cache = FontCache::new();
        let r = Object::Reference(id);
        let a = cache.get(&doc, &r, b"F1", &limits);
        let b = cache.get(&doc, &r, b"F1", &limits);
        assert!(Arc::ptr_eq(&a, &b));
        let inline = doc.get_dictionary(res).unwrap().get(b"F2").unwrap();
        let c = cache.get(&doc, inline, b"F2", &limits);
        let d = cache.get(&doc, inline, b"F2", &limits);
        assert!(Arc::ptr_eq(&c, &d) && !Arc::ptr_eq(&a, &c));
        assert_eq!(c.name, "Helvetica");
    }
}
