//! The documents of an output folder: which JSON files under it `convert`
//! wrote (by their `tool` stamp), leaving out a subfolder that is another
//! run's output (it holds its own index). Export reads them; convert's index
//! is rebuilt from them, so both see the same set.

use gongkai_normalize::schema;
use std::path::{Path, PathBuf};

/// Whether a directory is the output of a `convert` run (it holds an index,
/// its own or a shard's).
pub fn is_convert_output(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(|e| e.ok()).any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name == "index.jsonl" || (name.starts_with("index-") && name.ends_with(".jsonl"))
    })
}

/// The candidate JSON files under a directory, sorted by relative path. When
/// the directory is a convert output, a subdirectory holding its own index is
/// another run's output (`make eval` once wrote into `out/samples/`) and is
/// not descended into: its documents would come twice.
pub fn candidates(root: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    fn walk(
        dir: &Path,
        nested_runs: bool,
        out: &mut Vec<PathBuf>,
        other_runs: &mut Vec<PathBuf>,
    ) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot read {}: {e}", dir.display()))
            })?
            .filter_map(|e| e.ok())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = e.path();
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                if nested_runs && is_convert_output(&path) {
                    other_runs.push(path);
                } else {
                    walk(&path, nested_runs, out, other_runs)?;
                }
            } else if path.extension().is_some_and(|x| x == "json") {
                out.push(path);
            }
        }
        Ok(())
    }
    let (mut out, mut other_runs) = (Vec::new(), Vec::new());
    walk(root, is_convert_output(root), &mut out, &mut other_runs)?;
    Ok((out, other_runs))
}

/// Whether a JSON file is a document `convert` wrote: the `gongkai/` schema
/// and the `tool` stamp of gongkai (any version). Truth files, comparison
/// outputs of other tools and unrelated JSON carry no such stamp.
pub fn read_document(path: &Path) -> Option<schema::Document> {
    #[derive(serde::Deserialize)]
    struct Stamp {
        tool: crate::provenance::Tool,
    }
    let text = std::fs::read(path).ok()?;
    let stamp: Stamp = serde_json::from_slice(&text).ok()?;
    if stamp.tool.name != crate::provenance::Tool::current().name {
        return None;
    }
    parse_document(&text)
}

/// A gongkai document (the `gongkai/` schema) from JSON text, stamped or not
/// (documents handed over in memory); `None` for any other JSON.
pub fn parse_document(text: &[u8]) -> Option<schema::Document> {
    let doc: schema::Document = serde_json::from_slice(text).ok()?;
    doc.schema.starts_with("gongkai/").then_some(doc)
}

/// The first document (by path) of each source file: a file converted twice
/// (copied under two names, or given from two folders) is one document, read
/// once. Documents without a sha256 are each their own.
#[derive(Debug, Default)]
pub struct FirstOfEachSource {
    seen: std::collections::HashMap<String, PathBuf>,
}

impl FirstOfEachSource {
    /// `None` when `doc` is the first of its source (and remember it), else
    /// the path of the earlier one.
    pub fn earlier(&mut self, doc: &schema::Document, path: &Path) -> Option<PathBuf> {
        if doc.source.sha256.is_empty() {
            return None;
        }
        match self.seen.get(&doc.source.sha256) {
            Some(first) => Some(first.clone()),
            None => {
                self.seen
                    .insert(doc.source.sha256.clone(), path.to_path_buf());
                None
            }
        }
    }
}
