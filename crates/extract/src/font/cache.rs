//! One parse per font object per document: the interpreter asks for the
//! font of a resource on every `Tf`, pages share fonts, and loading (CMaps,
//! embedded programs) is the expensive part.

use super::{load, Font};
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
        let loaded = Arc::new(load::load(
            doc,
            dict,
            resource_name,
            limits,
            &mut self.warnings,
        ));
        if let Some(id) = id {
            self.by_id.insert(id, loaded.clone());
        }
        loaded
    }
}
