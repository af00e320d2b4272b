//! # gongkai-normalize — "what the tables mean"
//!
//! Reads the grids of `gongkai-tables` and writes the analysts' JSON contract
//! (`gongkai/1`, see [`schema`]): table kinds, records with subject codes and
//! levels, numbers as printed with their unit, performance sheets, narrative
//! sections and the accounting checks a disclosure carries within itself.
//! It knows nothing of PDF operators.

pub mod checks;
pub mod codes;
pub mod disclosure;
pub mod kinds;
pub mod meta;
pub mod numbers;
pub mod performance;
pub mod records;
pub mod schema;
pub mod sections;
pub mod taxonomy;
pub mod text;
pub mod validate;

use gongkai_tables::Layout;

/// How a table's kind was decided, for the diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KindSource {
    Title,
    Content,
    None,
}

impl KindSource {
    /// The name written in `kind_source`.
    fn as_str(self) -> &'static str {
        match self {
            KindSource::Title => "title",
            KindSource::Content => "columns",
            KindSource::None => "none",
        }
    }
}

/// The kind of one table: title first, then header and rows.
fn table_kind(t: &gongkai_tables::Table, final_hint: bool) -> (&'static str, KindSource) {
    let mut titles: Vec<&str> = t.title.iter().map(String::as_str).collect();
    // A title printed as two lines may reach us in the caption.
    titles.extend(t.caption.iter().map(String::as_str));
    for title in &titles {
        if let Some(k) = kinds::kind_from_title(title) {
            return (k, KindSource::Title);
        }
    }
    if titles.iter().any(|t| kinds::performance_kind(t).is_some()) {
        return (kinds::UNKNOWN, KindSource::None);
    }
    match kinds::kind_from_content(&t.header, &t.rows, final_hint) {
        Some(k) => (k, KindSource::Content),
        None => (kinds::UNKNOWN, KindSource::None),
    }
}

/// A part cover page ("第二部分 2017年度部门预算表") that the table stage
/// read as a grid: it names a 第…部分 and holds no amount.
fn is_part_cover(t: &gongkai_tables::Table) -> bool {
    let cells = || t.header.iter().chain(t.rows.iter()).flatten();
    let text: String = cells().map(|c| text::squash_folded(c)).collect();
    let part = text
        .strip_prefix('第')
        .and_then(|r| {
            let n = r
                .chars()
                .take_while(|c| text::is_numeral_any_width(*c))
                .count();
            (n > 0).then(|| r.chars().skip(n).collect::<String>())
        })
        .is_some_and(|r| r.starts_with("部分"));
    // A year (2017) is no amount; amounts carry decimals or thousands commas.
    part && !cells().any(|c| gongkai_tables::header::is_data_amount(c.trim()))
        && t.rows.len() + t.header.len() <= 3
}

/// Build the contract document for one file from its layout.
pub fn normalize(mut source: schema::Source, layout: &Layout) -> schema::Document {
    source.ocr_pages = layout.ocr_pages.clone();
    let final_hint = meta::cover_title(layout).is_some_and(|t| t.contains("决算"))
        || layout
            .tables
            .iter()
            .filter_map(|t| t.title.as_deref())
            .any(|t| t.contains("决算"));
    let mut kinds_found = Vec::new();
    let mut tables = Vec::new();
    let mut parsed_all = Vec::new();
    let mut perf_tables = Vec::new();
    let mut notes: Vec<schema::Diagnostic> = Vec::new();
    for t in &layout.tables {
        let is_perf = t
            .title
            .iter()
            .chain(t.caption.iter())
            .find_map(|s| kinds::performance_kind(s))
            .or_else(|| performance::looks_like_sheet(t));
        if let Some(pk) = is_perf {
            perf_tables.push((pk, t));
            continue;
        }
        if is_part_cover(t) {
            notes.push(schema::Diagnostic {
                level: "info".into(),
                stage: "normalize".into(),
                page: t.pages.first().copied(),
                message: "a part cover (第…部分) laid out as a grid, not a table: left out".into(),
            });
            continue;
        }
        let (named, source) = table_kind(t, final_hint);
        // The taxonomy knows more tables than the contract has kinds for
        // (政府采购, 项目支出绩效表 …): those keep `kind: unknown` and say
        // what they are in `taxonomy`.
        let contract = kinds::BUDGET_KINDS.contains(&named) || kinds::FINAL_KINDS.contains(&named);
        let kind = if contract { named } else { kinds::UNKNOWN };
        let taxonomy = (named != kinds::UNKNOWN).then(|| named.to_string());
        let page = t.pages.first().copied();
        let shown = t.title.as_deref().unwrap_or("untitled");
        let n = tables.len();
        let message = match source {
            KindSource::Content if contract => Some(format!(
                "table {n} ({shown:?}): kind {kind} read from its header and rows, the title did not say"
            )),
            KindSource::None => Some(format!(
                "table {n} ({shown:?}): kind unknown: {}",
                if t.title.is_none() {
                    "no title, and no column signature of the taxonomy matched"
                } else {
                    "title not in the taxonomy, and no column signature matched"
                }
            )),
            _ if !contract => Some(format!(
                "table {n} ({shown:?}): a {} ({named}), which the contract has no kind for: kind unknown",
                taxonomy::entry(named).map_or(named, |e| e.name)
            )),
            _ => None,
        };
        if let Some(message) = message {
            notes.push(schema::Diagnostic {
                level: "info".into(),
                stage: "normalize".into(),
                page,
                message,
            });
        }
        kinds_found.push(kind);
        let parsed = records::parse(t, kinds::is_two_sided(kind));
        let mut unit_lines: Vec<&str> = t.caption.iter().map(String::as_str).collect();
        unit_lines.extend(t.title.iter().map(String::as_str));
        unit_lines.extend(parsed.header.iter().flatten().map(String::as_str));
        unit_lines.extend(t.notes.iter().map(String::as_str));
        let unit = numbers::detect_unit(unit_lines);
        tables.push(schema::Table {
            kind: kind.to_string(),
            kind_source: source.as_str().to_string(),
            taxonomy,
            title: t.title.clone(),
            title_normalized: t.title.as_deref().map(kinds::normalized_title),
            number: kinds::table_number(t.title.as_deref(), t.caption.iter().map(String::as_str)),
            pages: t.pages.clone(),
            unit,
            header: parsed.header.clone(),
            // The lowest non-empty header text per column, as printed.
            columns: columns_of(
                &parsed.header,
                parsed
                    .header
                    .iter()
                    .chain(parsed.rows.iter())
                    .map(Vec::len)
                    .max()
                    .unwrap_or(0),
            ),
            rows: parsed.rows.clone(),
            records: parsed.records.clone(),
            repairs: t
                .repairs
                .iter()
                .chain(parsed.repairs.iter())
                .map(|r| schema::Repair {
                    kind: r.kind.clone(),
                    page: r.page,
                    row: r.row,
                    detail: r.detail.clone(),
                })
                .collect(),
            ocr: t.ocr,
        });
        parsed_all.push(parsed);
    }
    let views: Vec<checks::TableView> = tables
        .iter()
        .zip(parsed_all.iter())
        .enumerate()
        .map(|(i, (t, p))| checks::TableView {
            index: i,
            kind: &t.kind,
            unit: t.unit.as_deref(),
            parsed: p,
            step: checks::printed_step(p),
            excludes_carryover: t
                .title
                .as_deref()
                .is_some_and(|x| text::norm(x).contains("不含上年结转")),
        })
        .collect();
    let mut all_checks: Vec<schema::Check> = views.iter().flat_map(checks::within).collect();
    all_checks.extend(checks::across(&views));
    checks::mark_source_inconsistent(&mut all_checks);
    for c in all_checks.iter_mut() {
        c.ocr = c.table.and_then(|i| tables.get(i)).is_some_and(|t| t.ocr);
    }

    let performance = performance::sheets(&perf_tables);
    let document = meta::document_info(layout, &kinds_found);
    let sections = sections::sections(layout);
    notes.extend(disclosure::not_a_disclosure(
        &document,
        &tables,
        performance.len(),
    ));
    let failed = all_checks.iter().filter(|c| !c.ok).count();
    let flaws = all_checks.iter().filter(|c| c.source_inconsistent).count();
    let on_ocr = all_checks.iter().filter(|c| !c.ok && c.ocr).count();
    if failed > 0 {
        let mut message = if flaws > 0 {
            format!(
                "{failed} of {} accounting checks failed ({flaws} of them flaws of the document: the same sum fails alike in several tables)",
                all_checks.len()
            )
        } else {
            format!("{failed} of {} accounting checks failed", all_checks.len())
        };
        if on_ocr > 0 {
            message.push_str(&format!(
                "; {on_ocr} of the failures are on tables read by OCR, where a misread digit fails a sum"
            ));
        }
        notes.push(schema::Diagnostic {
            level: "warning".into(),
            stage: "normalize".into(),
            page: None,
            message,
        });
    }
    schema::Document {
        schema: schema::SCHEMA_ID.into(),
        source,
        document,
        tables,
        performance,
        sections,
        checks: all_checks,
        diagnostics: layout
            .diagnostics
            .iter()
            .map(|d| schema::Diagnostic {
                level: format!("{:?}", d.level).to_lowercase(),
                stage: d.stage.clone(),
                page: d.page,
                message: d.message.clone(),
            })
            .chain(notes)
            .collect(),
    }
}

/// One label per column: the lowest non-empty header text of that column.
fn columns_of(header: &[Vec<String>], width: usize) -> Vec<String> {
    (0..width)
        .map(|c| {
            header
                .iter()
                .rev()
                .filter_map(|r| r.get(c))
                .find(|s| !s.trim().is_empty())
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_tables::{Method, Table};

    fn source() -> schema::Source {
        schema::Source {
            file: "x".into(),
            sha256: String::new(),
            format: "text".into(),
            pages: 0,
            partial: false,
            ocr_pages: Vec::new(),
        }
    }

    #[test]
    fn part_covers_are_not_tables() {
        let t = |cells: &[&str]| Table {
            title: None,
            caption: vec![],
            notes: vec![],
            pages: vec![6],
            method: Method::Stream,
            header: vec![],
            rows: vec![cells.iter().map(|s| s.to_string()).collect()],
            row_pages: vec![],
            spans: vec![],
            repairs: vec![],
            regions: vec![],
            ocr: false,
        };
        assert!(is_part_cover(&t(&["第二部分", "2017", "年度部门预算表"])));
        assert!(!is_part_cover(&t(&["第二部分", "合计", "1,234.56"])));
        assert!(!is_part_cover(&t(&["一般公共服务支出", "2017"])));
    }

    #[test]
    fn empty_and_ragged_input_never_panics() {
        let d = normalize(source(), &Layout::default());
        assert!(d.tables.is_empty() && d.checks.is_empty() && d.document.kind.is_none());

        let ragged = Table {
            title: Some("2025年预算支出总表".into()),
            caption: vec!["单位：万元".into()],
            notes: vec![],
            pages: vec![3],
            method: Method::Stream,
            header: vec![
                vec![],
                vec!["科目编码".into(), "科目名称".into(), "合计".into()],
            ],
            rows: vec![
                vec!["201".into()],
                vec![],
                vec![
                    "20101".into(),
                    "人大事务".into(),
                    "1.00".into(),
                    "2.00".into(),
                    "x".into(),
                ],
                vec!["合计".into(), "".into(), "(3.00)".into()],
            ],
            row_pages: vec![],
            spans: vec![gongkai_tables::Span {
                row: 7,
                col: 9,
                rows: 4,
                cols: 4,
            }],
            repairs: vec![],
            regions: vec![],
            ocr: false,
        };
        let layout = Layout {
            tables: vec![
                ragged.clone(),
                Table {
                    header: vec![],
                    rows: vec![],
                    ..ragged
                },
            ],
            ..Layout::default()
        };
        let d = normalize(source(), &layout);
        assert_eq!(d.tables.len(), 2);
        assert_eq!(d.tables[0].kind, "budget_expenditure");
        assert_eq!(d.tables[0].unit.as_deref(), Some("万元"));
        let total = d.tables[0]
            .records
            .iter()
            .find(|r| r.name.as_deref() == Some("合计"))
            .unwrap();
        assert_eq!(total.values.get("合计"), Some(&-3.0));
        // Output is deterministic: the same input gives the same bytes.
        let a = serde_json::to_string(&normalize(source(), &layout)).unwrap();
        let b = serde_json::to_string(&normalize(source(), &layout)).unwrap();
        assert_eq!(a, b);
    }
}
