//! The flat view of converted documents: one row per record and value column,
//! and one row per failed accounting check, as `gongkai export` writes them to
//! CSV / JSON Lines and the Python package hands them to pandas. Kept in the
//! library so every consumer gets the same rows in the same order.

use gongkai_normalize::{schema, taxonomy};
use serde::Serialize;

/// Columns of the records table.
pub const RECORD_COLUMNS: [&str; 16] = [
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
    "role",
];

/// Columns of the failed-checks table.
pub const CHECK_COLUMNS: [&str; 12] = [
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
pub struct RecordRow<'a> {
    pub file: &'a str,
    pub entity: Option<&'a str>,
    pub year: Option<i32>,
    pub document_kind: Option<&'a str>,
    /// Index of the table in the document's `tables` (joins with checks).
    pub table: usize,
    pub table_kind: &'a str,
    pub table_title: Option<&'a str>,
    pub side: Option<&'a str>,
    pub code: Option<&'a str>,
    pub name: Option<&'a str>,
    pub level: Option<u8>,
    /// The value's column label; empty for a record without values.
    pub column: Option<&'a str>,
    pub value: Option<f64>,
    pub unit: Option<&'a str>,
    pub pages: &'a [u32],
    /// The measure this table is the one place for (`expenditure`, `income`,
    /// …, see `gongkai_normalize::taxonomy::ROLES`); `None` when the table
    /// restates amounts another table holds. Sum over one role to count each
    /// amount once.
    pub role: Option<&'static str>,
}

impl RecordRow<'_> {
    pub fn csv_fields(&self) -> Vec<String> {
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
            opt(self.role),
        ]
    }
}

/// One failed check.
#[derive(Debug, Serialize)]
pub struct CheckRow<'a> {
    pub file: &'a str,
    pub entity: Option<&'a str>,
    pub year: Option<i32>,
    pub document_kind: Option<&'a str>,
    pub rule: &'a str,
    pub table: Option<usize>,
    pub table_kind: Option<&'a str>,
    pub table_title: Option<&'a str>,
    pub row: Option<&'a str>,
    pub column: Option<&'a str>,
    pub expected: f64,
    pub found: f64,
}

impl CheckRow<'_> {
    pub fn csv_fields(&self) -> Vec<String> {
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
pub fn number(v: f64) -> String {
    format!("{v}")
}

pub fn pages(p: &[u32]) -> String {
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
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
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
pub fn record_rows(doc: &schema::Document) -> Vec<RecordRow<'_>> {
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
                // By what the table is: a kind outside the contract is
                // `unknown` but still has its taxonomy entry.
                role: taxonomy::role(t.taxonomy.as_deref().unwrap_or(&t.kind)),
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

pub fn check_rows(doc: &schema::Document) -> Vec<CheckRow<'_>> {
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
                partial: false,
                ocr_pages: Vec::new(),
            },
            document: schema::DocumentInfo::default(),
            tables: vec![schema::Table {
                kind: "budget_expenditure".into(),
                kind_source: "title".into(),
                taxonomy: None,
                title: Some("支出总表".into()),
                title_normalized: None,
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
                ocr: false,
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
        assert_eq!(rows[1].csv_fields()[15], "expenditure");
        // A kind outside the contract keeps the role of what it is.
        let mut other = doc.clone();
        other.tables[0].kind = "unknown".into();
        other.tables[0].taxonomy = Some("gov_procurement".into());
        assert_eq!(record_rows(&other)[0].role, Some("gov_procurement"));
        other.tables[0].taxonomy = None;
        assert_eq!(record_rows(&other)[0].role, None);
    }
}
