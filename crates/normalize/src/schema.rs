//! The JSON types of the output contract (`gongkai/1`). Field names and types
//! here are fixed by the contract: add fields, never rename, drop or re-type.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const SCHEMA_ID: &str = "gongkai/1";

/// One JSON document per input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub schema: String,
    pub source: Source,
    pub document: DocumentInfo,
    pub tables: Vec<Table>,
    pub performance: Vec<PerformanceSheet>,
    pub sections: Vec<Section>,
    pub checks: Vec<Check>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    /// `"pdf"` or `"text"`.
    pub format: String,
    pub pages: u32,
    /// The file is damaged or truncated (its diagnostics say where): the
    /// tables and records are what could be recovered, not all it held.
    #[serde(default)]
    pub partial: bool,
    /// Pages whose text came from OCR: the file's own OCR layer (a scan
    /// with invisible text) or tesseract (`--ocr`). Absent when none did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_pages: Vec<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub entity: Option<String>,
    pub year: Option<i32>,
    /// `"budget"`, `"final_account"` or null.
    pub kind: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub kind: String,
    /// How the kind was decided: `title`, `columns` or `none` (unknown).
    #[serde(default)]
    pub kind_source: String,
    /// The taxonomy entry the table was recognised as (see the README's
    /// table of kinds): the kind itself, or for a table the contract has no
    /// kind for (政府采购预算表 …) what it is while `kind` says `unknown`.
    #[serde(default)]
    pub taxonomy: Option<String>,
    /// The title as printed.
    pub title: Option<String>,
    /// The title without its table number and separators, whitespace
    /// removed, doubled print undone (`表2：2026年…表` → `2026年…表`).
    #[serde(default)]
    pub title_normalized: Option<String>,
    pub number: Option<String>,
    pub pages: Vec<u32>,
    pub unit: Option<String>,
    pub header: Vec<Vec<String>>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub records: Vec<Record>,
    pub repairs: Vec<Repair>,
    /// Its text and amounts were read by OCR (some of its pages are in
    /// `source.ocr_pages`): a recogniser's reading, to filter on or check
    /// against the page. Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `"income"`, `"expenditure"` or null.
    pub side: Option<String>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub level: Option<u8>,
    pub values: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repair {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub rule: String,
    /// Index of the table in `tables`.
    pub table: Option<usize>,
    pub row: Option<String>,
    pub column: Option<String>,
    pub expected: f64,
    pub found: f64,
    pub ok: bool,
    /// A failed check that is a flaw of the printed document, not of the
    /// reading: the same sum fails the same way in another table of the
    /// document (tables laid out and read apart, yet printing the same
    /// numbers), so the printed figures themselves do not add up.
    #[serde(default)]
    pub source_inconsistent: bool,
    /// The check is on a table read by OCR: a failure may be a misread
    /// digit rather than the document's. Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// `"info"`, `"warning"` or `"error"`.
    pub level: String,
    pub stage: String,
    pub page: Option<u32>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceSheet {
    /// `"performance_target"` or `"performance_self_evaluation"`.
    pub kind: String,
    pub pages: Vec<u32>,
    pub project: Option<String>,
    pub department: Option<String>,
    pub implementer: Option<String>,
    pub funds: BTreeMap<String, BTreeMap<String, f64>>,
    pub funds_unit: Option<String>,
    pub fields: BTreeMap<String, String>,
    pub goals: BTreeMap<String, String>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub period: Option<String>,
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: String,
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

impl Document {
    /// The document written for a file that could not be read at all.
    pub fn failed(source: Source, stage: &str, message: impl Into<String>) -> Document {
        Document {
            schema: SCHEMA_ID.into(),
            source,
            document: DocumentInfo::default(),
            tables: Vec::new(),
            performance: Vec::new(),
            sections: Vec::new(),
            checks: Vec::new(),
            diagnostics: vec![Diagnostic {
                level: "error".into(),
                stage: stage.into(),
                page: None,
                message: message.into(),
            }],
        }
    }
}
