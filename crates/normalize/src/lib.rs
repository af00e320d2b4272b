//! # gongkai-normalize — "what the tables mean"
//!
//! Reads the grids of `gongkai-tables` and writes the analysts' JSON contract
//! (`gongkai/1`, see [`schema`]): table kinds, records with subject codes and
//! levels, numbers as printed with their unit, performance sheets, narrative
//! sections and the accounting checks a disclosure carries within itself.
//! It knows nothing of PDF operators.

pub mod schema;

use gongkai_tables::Layout;

/// Build the contract document for one file from its layout.
pub fn normalize(source: schema::Source, layout: &Layout) -> schema::Document {
    let tables = layout
        .tables
        .iter()
        .map(|t| schema::Table {
            kind: "unknown".into(),
            title: t.title.clone(),
            number: None,
            pages: t.pages.clone(),
            unit: None,
            header: t.header.clone(),
            columns: t.columns(),
            rows: t.rows.clone(),
            records: Vec::new(),
            repairs: t
                .repairs
                .iter()
                .map(|r| schema::Repair {
                    kind: r.kind.clone(),
                    page: r.page,
                    row: r.row,
                    detail: r.detail.clone(),
                })
                .collect(),
        })
        .collect();
    schema::Document {
        schema: schema::SCHEMA_ID.into(),
        source,
        document: schema::DocumentInfo::default(),
        tables,
        performance: Vec::new(),
        sections: Vec::new(),
        checks: Vec::new(),
        diagnostics: layout
            .diagnostics
            .iter()
            .map(|d| schema::Diagnostic {
                level: format!("{:?}", d.level).to_lowercase(),
                stage: d.stage.clone(),
                page: d.page,
                message: d.message.clone(),
            })
            .collect(),
    }
}
