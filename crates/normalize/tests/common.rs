//! Shared helpers of the end-to-end tests: one file through extract → tables
//! → normalize, and the JSON Schema check of what comes out.

#![allow(dead_code)]

use gongkai_normalize::schema::{Document, Source};
use std::path::{Path, PathBuf};

pub fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

pub fn convert(path: &Path) -> Document {
    let doc = gongkai_extract::open_path(path, &gongkai_extract::Options::default()).expect("open");
    let layout = gongkai_tables::find_tables(&doc, &gongkai_tables::Settings::default());
    let source = Source {
        file: path.display().to_string(),
        sha256: String::new(),
        format: if path.extension().is_some_and(|e| e == "pdf") {
            "pdf".into()
        } else {
            "text".into()
        },
        pages: doc.page_count,
        partial: doc.damaged,
        ocr_pages: Vec::new(),
    };
    gongkai_normalize::normalize(source, &layout)
}

/// Serialise, validate against the repo's JSON Schema, and return the JSON.
pub fn to_valid_json(d: &Document) -> serde_json::Value {
    let v = serde_json::to_value(d).expect("json");
    let errors = gongkai_normalize::validate::validate_document(&v);
    assert!(
        errors.is_empty(),
        "{} schema violations, first: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    v
}

/// A one-line-per-table summary, for test failure messages.
pub fn summary(d: &Document) -> String {
    let mut s = String::new();
    for (i, t) in d.tables.iter().enumerate() {
        let failed = d
            .checks
            .iter()
            .filter(|c| c.table == Some(i) && !c.ok)
            .count();
        let all = d.checks.iter().filter(|c| c.table == Some(i)).count();
        s.push_str(&format!(
            "{i:2} {:32} {:?} unit={:?} pages={:?} rows={} recs={} checks={}/{} cols={:?}\n",
            t.kind,
            t.title,
            t.unit,
            t.pages,
            t.rows.len(),
            t.records.len(),
            all - failed,
            all,
            t.columns
        ));
    }
    s
}
