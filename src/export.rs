//! `gongkai export`: the records of every document in a converted directory as
//! one long table (one row per record and value column), for pandas, DuckDB,
//! R and Excel. CSV is UTF-8 with a BOM (so Excel reads the Chinese text) and
//! RFC 4180 quoting; JSON Lines carries the same rows typed. The failed
//! accounting checks go to a second file beside it (`<stem>.checks.csv`).
//! Order is deterministic: files by path, then tables, records and columns as
//! printed.

use crate::cli::ExportArgs;
use anyhow::{bail, Context, Result};
use gongkai_normalize::schema;
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Columns of the records table.
const RECORD_COLUMNS: [&str; 15] = [
    "file",
    "entity",
    "year",
    "document_kind",
    "table",
    "table_kind",
    "table_title",
    "side",
    "code",
    "name",
    "level",
    "column",
    "value",
    "unit",
    "pages",
];

/// Columns of the failed-checks table.
const CHECK_COLUMNS: [&str; 12] = [
    "file",
    "entity",
    "year",
    "document_kind",
    "rule",
    "table",
    "table_kind",
    "table_title",
    "row",
    "column",
    "expected",
    "found",
];

/// One row of the records table (one value of one record).
#[derive(Debug, Serialize)]
struct RecordRow<'a> {
    file: &'a str,
    entity: Option<&'a str>,
    year: Option<i32>,
    document_kind: Option<&'a str>,
    /// Index of the table in the document's `tables` (joins with checks).
    table: usize,
    table_kind: &'a str,
    table_title: Option<&'a str>,
    side: Option<&'a str>,
    code: Option<&'a str>,
    name: Option<&'a str>,
    level: Option<u8>,
    /// The value's column label; empty for a record without values.
    column: Option<&'a str>,
    value: Option<f64>,
    unit: Option<&'a str>,
    pages: &'a [u32],
}

impl RecordRow<'_> {
    fn csv_fields(&self) -> Vec<String> {
        vec![
            self.file.to_string(),
            opt(self.entity),
            self.year.map(|y| y.to_string()).unwrap_or_default(),
            opt(self.document_kind),
            self.table.to_string(),
            self.table_kind.to_string(),
            opt(self.table_title),
            opt(self.side),
            opt(self.code),
            opt(self.name),
            self.level.map(|l| l.to_string()).unwrap_or_default(),
            opt(self.column),
            self.value.map(number).unwrap_or_default(),
            opt(self.unit),
            pages(self.pages),
        ]
    }
}

/// One failed check.
#[derive(Debug, Serialize)]
struct CheckRow<'a> {
    file: &'a str,
    entity: Option<&'a str>,
    year: Option<i32>,
    document_kind: Option<&'a str>,
    rule: &'a str,
    table: Option<usize>,
    table_kind: Option<&'a str>,
    table_title: Option<&'a str>,
    row: Option<&'a str>,
    column: Option<&'a str>,
    expected: f64,
    found: f64,
}

impl CheckRow<'_> {
    fn csv_fields(&self) -> Vec<String> {
        vec![
            self.file.to_string(),
            opt(self.entity),
            self.year.map(|y| y.to_string()).unwrap_or_default(),
            opt(self.document_kind),
            self.rule.to_string(),
            self.table.map(|t| t.to_string()).unwrap_or_default(),
            opt(self.table_kind),
            opt(self.table_title),
            opt(self.row),
            opt(self.column),
            number(self.expected),
            number(self.found),
        ]
    }
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

/// Shortest text that reads back as the same number.
fn number(v: f64) -> String {
    format!("{v}")
}

fn pages(p: &[u32]) -> String {
    p.iter().map(u32::to_string).collect::<Vec<_>>().join(";")
}

/// One CSV field, quoted when RFC 4180 needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV line (CRLF-terminated, as RFC 4180 writes them).
fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The rows of one document, records in printed order: each record's values
/// in the table's column order, then any keys not among the columns (header
/// paths) in sorted order; a record without values gives one row.
fn record_rows(doc: &schema::Document) -> Vec<RecordRow<'_>> {
    let mut rows = Vec::new();
    for (ti, t) in doc.tables.iter().enumerate() {
        for r in &t.records {
            let base = |column: Option<&'static str>| RecordRow {
                file: &doc.source.file,
                entity: doc.document.entity.as_deref(),
                year: doc.document.year,
                document_kind: doc.document.kind.as_deref(),
                table: ti,
                table_kind: &t.kind,
                table_title: t.title.as_deref(),
                side: r.side.as_deref(),
                code: r.code.as_deref(),
                name: r.name.as_deref(),
                level: r.level,
                column,
                value: None,
                unit: t.unit.as_deref(),
                pages: &t.pages,
            };
            if r.values.is_empty() {
                rows.push(base(None));
                continue;
            }
            let mut keys: Vec<&str> = Vec::new();
            for c in &t.columns {
                if r.values.contains_key(c) && !keys.contains(&c.as_str()) {
                    keys.push(c);
                }
            }
            for k in r.values.keys() {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
            for k in keys {
                let mut row = base(None);
                row.column = Some(k);
                row.value = r.values.get(k).copied();
                rows.push(row);
            }
        }
    }
    rows
}

fn check_rows(doc: &schema::Document) -> Vec<CheckRow<'_>> {
    doc.checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| {
            let t = c.table.and_then(|i| doc.tables.get(i));
            CheckRow {
                file: &doc.source.file,
                entity: doc.document.entity.as_deref(),
                year: doc.document.year,
                document_kind: doc.document.kind.as_deref(),
                rule: &c.rule,
                table: c.table,
                table_kind: t.map(|t| t.kind.as_str()),
                table_title: t.and_then(|t| t.title.as_deref()),
                row: c.row.as_deref(),
                column: c.column.as_deref(),
                expected: c.expected,
                found: c.found,
            }
        })
        .collect()
}

/// The output JSON files of a convert directory, sorted by relative path.
fn documents(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
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
                walk(&path, out)?;
            } else if path.extension().is_some_and(|x| x == "json") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    Ok(out)
}

/// A sibling path: `records.csv` → `records.checks.csv`.
fn checks_path(file: &Path, ext: &str) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    file.with_file_name(format!("{stem}.checks.{ext}"))
}

/// An output streamed to a temporary file beside its target and renamed over
/// it when complete, so memory stays flat however large the corpus and a
/// reader never sees half a file.
struct Sink {
    tmp: PathBuf,
    target: PathBuf,
    w: BufWriter<std::fs::File>,
}

impl Sink {
    fn create(target: PathBuf, preamble: &[u8]) -> Result<Sink> {
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            name.unwrap_or_default(),
            std::process::id()
        ));
        let file = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        let mut w = BufWriter::new(file);
        w.write_all(preamble)?;
        Ok(Sink { tmp, target, w })
    }

    fn commit(self) -> Result<()> {
        let file = self.w.into_inner().map_err(|e| e.into_error())?;
        file.sync_data()?;
        std::fs::rename(&self.tmp, &self.target)
            .with_context(|| format!("cannot write {}", self.target.display()))
    }
}

/// The record and check outputs of one format.
struct Pair {
    records: Sink,
    checks: Sink,
}

pub fn run(args: ExportArgs) -> Result<u8> {
    if args.csv.is_none() && args.jsonl.is_none() {
        bail!("export needs --csv FILE or --jsonl FILE");
    }
    if !args.dir.is_dir() {
        bail!("{} is not a directory", args.dir.display());
    }
    let files = documents(&args.dir)?;
    let bom = "\u{feff}";
    let mut csv = match &args.csv {
        Some(p) => Some(Pair {
            records: Sink::create(
                p.clone(),
                format!("{bom}{}", csv_line(&RECORD_COLUMNS)).as_bytes(),
            )?,
            checks: Sink::create(
                checks_path(p, "csv"),
                format!("{bom}{}", csv_line(&CHECK_COLUMNS)).as_bytes(),
            )?,
        }),
        None => None,
    };
    let mut jsonl = match &args.jsonl {
        Some(p) => Some(Pair {
            records: Sink::create(p.clone(), b"")?,
            checks: Sink::create(checks_path(p, "jsonl"), b"")?,
        }),
        None => None,
    };
    let (mut docs, mut records, mut failed, mut skipped) = (0usize, 0usize, 0usize, 0usize);
    for path in &files {
        let Ok(text) = std::fs::read(path) else {
            skipped += 1;
            continue;
        };
        // Other JSON (not written by convert) is not ours to export.
        let Ok(doc) = serde_json::from_slice::<schema::Document>(&text) else {
            skipped += 1;
            continue;
        };
        if !doc.schema.starts_with("gongkai/") {
            skipped += 1;
            continue;
        }
        docs += 1;
        let rows = record_rows(&doc);
        let checks = check_rows(&doc);
        records += rows.len();
        failed += checks.len();
        if let Some(out) = &mut csv {
            for r in &rows {
                out.records
                    .w
                    .write_all(csv_line(&r.csv_fields()).as_bytes())?;
            }
            for c in &checks {
                out.checks
                    .w
                    .write_all(csv_line(&c.csv_fields()).as_bytes())?;
            }
        }
        if let Some(out) = &mut jsonl {
            for r in &rows {
                serde_json::to_writer(&mut out.records.w, r)?;
                out.records.w.write_all(b"\n")?;
            }
            for c in &checks {
                serde_json::to_writer(&mut out.checks.w, c)?;
                out.checks.w.write_all(b"\n")?;
            }
        }
    }
    for pair in [csv, jsonl].into_iter().flatten() {
        pair.records.commit()?;
        pair.checks.commit()?;
    }
    let ignored = if skipped > 0 {
        format!(" ({skipped} other JSON files ignored)")
    } else {
        String::new()
    };
    eprintln!(
        "gongkai: exported {records} rows from {docs} documents, {failed} failed checks{ignored}"
    );
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn rfc4180_quoting() {
        assert_eq!(csv_field("plain 文本"), "plain 文本");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_line(&["a", "b,c", ""]), "a,\"b,c\",\r\n");
    }

    #[test]
    fn rows_follow_column_order() {
        let mut values = BTreeMap::new();
        values.insert("合计".to_string(), 3.5);
        values.insert("基本支出".to_string(), 1.0);
        values.insert("预算数/小计".to_string(), 2.0);
        let doc = schema::Document {
            schema: schema::SCHEMA_ID.into(),
            source: schema::Source {
                file: "a.pdf".into(),
                sha256: String::new(),
                format: "pdf".into(),
                pages: 2,
            },
            document: schema::DocumentInfo::default(),
            tables: vec![schema::Table {
                kind: "budget_expenditure".into(),
                title: Some("支出总表".into()),
                number: None,
                pages: vec![1, 2],
                unit: Some("万元".into()),
                header: vec![],
                columns: vec!["科目编码".into(), "基本支出".into(), "合计".into()],
                rows: vec![],
                records: vec![
                    schema::Record {
                        side: None,
                        code: Some("201".into()),
                        name: Some("一般公共服务支出".into()),
                        level: Some(1),
                        values,
                    },
                    schema::Record {
                        side: None,
                        code: None,
                        name: Some("空".into()),
                        level: None,
                        values: BTreeMap::new(),
                    },
                ],
                repairs: vec![],
            }],
            performance: vec![],
            sections: vec![],
            checks: vec![],
            diagnostics: vec![],
        };
        let rows = record_rows(&doc);
        let cols: Vec<Option<&str>> = rows.iter().map(|r| r.column).collect();
        assert_eq!(
            cols,
            [Some("基本支出"), Some("合计"), Some("预算数/小计"), None]
        );
        assert_eq!(pages(rows[0].pages), "1;2");
        assert_eq!(rows[1].csv_fields()[12], "3.5");
    }
}
