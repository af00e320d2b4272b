//! The page tree, walked once: which page objects the document has, in
//! order, with work bounded by the file's own size.
//!
//! lopdf's `get_pages` sizes its result from the iterator's hint, and a
//! page tree whose nodes are shared ("billion laughs": ten kids that are
//! all the same node, ten levels deep) makes it ask for terabytes and
//! abort the process. A real page tree is a tree: every node has one
//! parent. So each node is visited once; a node met again is skipped and
//! counted, and only the first `limit` pages are kept (the rest are only
//! counted). Otherwise the walk reads what lopdf reads: kids that are not
//! dictionaries with a type stay as stand-in pages (viewers draw them
//! blank), so page numbers match other readers.

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

/// Deepest page tree followed (as lopdf's own walk).
const MAX_DEPTH: usize = 256;

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct PageTree {
    /// The first pages, at most the walk's limit, in page order.
    pub pages: Vec<ObjectId>,
    /// Every page found, kept or not.
    pub total: u64,
    /// Nodes referenced more than once (skipped: a tree never does this).
    pub repeated: u64,
    /// Subtrees below [`MAX_DEPTH`] (skipped).
    pub too_deep: u64,
}

impl PageTree {
    /// The page tree's damage, in words, if any.
    pub fn damage(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.repeated > 0 {
            parts.push(format!(
                "{} page-tree references to a node already seen were skipped",
                self.repeated
            ));
        }
        if self.too_deep > 0 {
            parts.push(format!(
                "{} page-tree branches deeper than {MAX_DEPTH} levels were skipped",
                self.too_deep
            ));
        }
        (!parts.is_empty()).then(|| format!("damaged page tree: {}", parts.join("; ")))
    }
}

/// The kids of a page-tree node, if it has any.
fn kids<'d>(doc: &'d Document, node: &'d Dictionary) -> Option<&'d [Object]> {
    let kids = node.get(b"Kids").ok()?;
    let kids = doc.dereference(kids).ok()?.1;
    kids.as_array().ok().map(Vec::as_slice)
}

/// Walk the tree from the catalog's `/Pages`, keeping the first `limit`
/// pages and counting the rest.
pub(crate) fn walk(doc: &Document, limit: usize) -> PageTree {
    walk_with(doc, limit, true)
}

/// Whether the tree holds a page at all (the walk stops at the first).
pub(crate) fn has_pages(doc: &Document) -> bool {
    walk_with(doc, 0, false).total > 0
}

fn walk_with(doc: &Document, limit: usize, count_rest: bool) -> PageTree {
    let mut out = PageTree::default();
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference);
    let Ok(root) = root else {
        return out;
    };
    let Some(root_kids) = doc.get_dictionary(root).ok().and_then(|d| kids(doc, d)) else {
        return out;
    };
    let mut seen: HashSet<ObjectId> = HashSet::from([root]);
    // Each entry: the kids still to visit at one level.
    let mut stack: Vec<&[Object]> = vec![root_kids];
    while let Some(level) = stack.last_mut() {
        let Some((kid, rest)) = level.split_first() else {
            stack.pop();
            continue;
        };
        *level = rest;
        let Ok(id) = kid.as_reference() else {
            continue;
        };
        if !seen.insert(id) {
            out.repeated += 1;
            continue;
        }
        let dict = doc.get_dictionary(id).ok();
        match dict.map(|d| (d, d.get_type())) {
            Some((d, Ok(b"Pages"))) => {
                if stack.len() >= MAX_DEPTH {
                    out.too_deep += 1;
                } else if let Some(k) = kids(doc, d) {
                    stack.push(k);
                }
            }
            // Another typed dictionary is not part of the tree.
            Some((_, Ok(t))) if t != b"Page" => {}
            // A page, or a kid that cannot be read as a typed dictionary:
            // a stand-in page, as lopdf and viewers keep it.
            _ => {
                out.total += 1;
                if out.pages.len() < limit {
                    out.pages.push(id);
                } else if !count_rest {
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fixtures::PdfBuilder;

    /// A tree of `levels` levels, each node's `fan` kids all the same
    /// next node; `fan^levels` pages if shared nodes were followed.
    fn laughs(levels: u32, fan: usize) -> Document {
        let mut b = PdfBuilder::new();
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        b.obj(
            2,
            format!(
                "<< /Type /Pages /Count 1000000000 /Kids [{}] >>",
                "10 0 R ".repeat(fan)
            ),
        );
        for i in 0..levels {
            let next = if i + 1 < levels { 11 + i } else { 100 };
            b.obj(
                10 + i,
                format!(
                    "<< /Type /Pages /Parent 2 0 R /Count 1000000000 /Kids [{}] >>",
                    format!("{next} 0 R ").repeat(fan)
                ),
            );
        }
        b.obj(
            100,
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] >>",
        );
        Document::load_mem(&b.finish(1)).expect("fixture loads")
    }

    #[test]
    fn shared_nodes_are_walked_once() {
        let doc = laughs(30, 10);
        let t = walk(&doc, 5_000);
        assert_eq!(t.pages, vec![(100, 0)]);
        assert_eq!(t.total, 1);
        // Nine repeats at each of the 31 levels.
        assert_eq!(t.repeated, 31 * 9);
        assert!(t.damage().unwrap_or_default().contains("already seen"));
    }

    #[test]
    fn pages_past_the_limit_are_counted_not_kept() {
        let mut b = PdfBuilder::new();
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        let kids: String = (10..20).map(|i| format!("{i} 0 R ")).collect();
        b.obj(2, format!("<< /Type /Pages /Count 10 /Kids [{kids}] >>"));
        for i in 10..20 {
            b.obj(i, "<< /Type /Page /Parent 2 0 R >>");
        }
        let doc = Document::load_mem(&b.finish(1)).expect("fixture loads");
        let t = walk(&doc, 3);
        assert_eq!(t.pages, vec![(10, 0), (11, 0), (12, 0)]);
        assert_eq!(t.total, 10);
        assert!(t.damage().is_none());
        assert!(has_pages(&doc));
        // The same order as lopdf's own walk on a sound tree.
        let all: Vec<ObjectId> = doc.get_pages().into_values().collect();
        assert_eq!(walk(&doc, 100).pages, all);
    }
}
