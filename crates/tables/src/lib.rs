//! # gongkai-tables — "where the tables are"
//!
//! Reads the page model of `gongkai-extract` and finds the logical tables in it:
//! the finders of [`find`] (lattice tables from ruling lines, stream tables
//! from text alignment, tables in text dumps) give [`RawTable`]s; PDF
//! fragments are stitched across pages ([`stitch`], a document-level step);
//! then [`finish`] runs the named repairs of [`steps`] (wrapped rows, doubled
//! text, split numbers, headers repeated on every page …) and makes each a
//! [`Table`]. It knows nothing of budgets: its output is [`Layout`], plain
//! grids of strings with every repair recorded.

pub mod captions;
pub mod cells;
pub mod find;
pub mod finish;
pub mod furniture;
pub mod header;
pub mod lines;
pub mod pieces;
#[cfg(test)]
mod real_tests;
pub mod repair;
pub mod rows;
pub mod settings;
pub mod steps;
pub mod stitch;
pub mod svg;
pub mod table;
pub mod titles;

pub use lines::{text_lines, TextLine};
pub use settings::Settings;
pub use table::{Layout, Method, RawTable, Region, Repair, Row, Span, Table, TextBlock};

use gongkai_extract::Document;

/// Find the tables and the running text of a document.
pub fn find_tables(doc: &Document, settings: &Settings) -> Layout {
    find_tables_with(doc, settings, &mut |raw| finish::finish(raw, settings))
}

/// How one table was made, for `gongkai inspect --steps`: the grid as its
/// finder gave it (stitched across pages for a PDF), then the grid after
/// each step that changed it, with the step's name and its repairs.
#[derive(Debug, Clone)]
pub struct TableTrace {
    /// The grid before the steps, as text ([`RawTable::to_text`]).
    pub found: String,
    /// `(step name, grid after the step with the step's repairs)`.
    pub steps: Vec<(String, String)>,
}

/// [`find_tables`], also tracing each table through the steps; the traces
/// are in the order of `Layout::tables`.
pub fn find_tables_traced(doc: &Document, settings: &Settings) -> (Layout, Vec<TableTrace>) {
    let mut traces = Vec::new();
    let layout = find_tables_with(doc, settings, &mut |raw| {
        let mut trace = TableTrace {
            found: raw.to_text(&raw.repairs),
            steps: Vec::new(),
        };
        let table = finish::finish_watched(raw, settings, &mut |name, t, repairs| {
            trace.steps.push((name.to_string(), t.to_text(repairs)));
        });
        traces.push(trace);
        table
    });
    (layout, traces)
}

/// The pages of `raw` among the document's OCR'd pages.
fn ocr_pages_of(raw: &RawTable, ocr_pages: &[u32]) -> Vec<u32> {
    let mut pages: Vec<u32> = raw
        .rows
        .iter()
        .map(|r| r.page)
        .chain(raw.regions.iter().map(|r| r.page))
        .filter(|p| ocr_pages.contains(p))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// The tables and text of a document, each raw table made a [`Table`] by
/// `finish`.
fn find_tables_with(
    doc: &Document,
    settings: &Settings,
    finish: &mut dyn FnMut(RawTable) -> Table,
) -> Layout {
    let ocr_pages: Vec<u32> = doc
        .pages
        .iter()
        .filter(|p| p.ocr_source().is_some())
        .map(|p| p.number)
        .collect();
    let dump_pages: Vec<&gongkai_extract::Page> = doc
        .pages
        .iter()
        .filter(|p| !p.dump_lines.is_empty())
        .collect();
    let mut tables = Vec::new();
    let mut text = Vec::new();
    if !dump_pages.is_empty() {
        let (raws, used) = find::dump::dump_tables(&dump_pages, settings);
        tables.extend(raws.into_iter().map(&mut *finish));
        let mut k = 0usize;
        for p in &dump_pages {
            let mut lines = Vec::new();
            for l in &p.dump_lines {
                if !used.get(k).copied().unwrap_or(false) {
                    lines.push(l.clone());
                }
                k += 1;
            }
            text.push(TextBlock {
                page: p.number,
                lines,
            });
        }
    }
    let mut frags = Vec::new();
    let mut pdf_text: Vec<TextBlock> = Vec::new();
    // A title (and its caption) left at the foot of the page before: where
    // its lines begin in that page's text.
    let mut foot: Option<usize> = None;
    for p in doc.pages.iter().filter(|p| p.dump_lines.is_empty()) {
        let (mut f, mut lines, below) = find::pages::page_fragments(p, settings);
        // ... is the title of this page's first table when it has none.
        if let (Some(k), Some(first), Some(prev)) =
            (foot.take(), f.first_mut(), pdf_text.last_mut())
        {
            // (A running head is printed again on this page: no title.)
            let again = prev.lines.get(k).is_some_and(|t| {
                let t = cells::squash(t);
                lines.iter().any(|l| cells::squash(l) == t)
            });
            if first.raw.title.is_none() && prev.page + 1 == p.number && !again {
                let mut moved = prev.lines.split_off(k.min(prev.lines.len())).into_iter();
                first.raw.title = moved.next();
                first.raw.caption = moved
                    .filter(|l| !furniture::is_page_number(l))
                    .chain(std::mem::take(&mut first.raw.caption))
                    .collect();
            }
        }
        // Only lines below the page's tables can be a title for the next.
        let from = lines.len().saturating_sub(below);
        foot = lines
            .get(from..)
            .and_then(|tail| captions::foot_title(tail, settings.foot_title_max_caption_lines))
            .map(|k| k + from);
        if ocr_pages.contains(&p.number) {
            for l in lines.iter_mut() {
                if let Some(t) = repair::drop_han_spaces(l) {
                    *l = t;
                }
            }
        }
        frags.extend(f);
        pdf_text.push(TextBlock {
            page: p.number,
            lines,
        });
    }
    text.extend(furniture::drop_running_heads(pdf_text));
    tables.extend(stitch::stitch(frags, settings).into_iter().map(|mut raw| {
        raw.ocr_pages = ocr_pages_of(&raw, &ocr_pages);
        finish(raw)
    }));
    text.sort_by_key(|b| b.page);
    Layout {
        tables,
        text,
        diagnostics: doc.diagnostics.clone(),
        ocr_pages,
    }
}

/// The four seed dumps in ../shared/seeds: each yields its tables as grids,
/// and one repaired row per breakage kind comes out right.
#[cfg(test)]
mod seed_tests {
    use super::*;
    use gongkai_extract::{open_path, Options};

    fn layout(name: &str) -> Layout {
        let path = format!(
            "{}/../../../shared/seeds/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let doc = open_path(std::path::Path::new(&path), &Options::default()).unwrap();
        find_tables(&doc, &Settings::default())
    }

    fn table<'a>(l: &'a Layout, title: &str) -> &'a Table {
        let found: Vec<&Table> = l
            .tables
            .iter()
            .filter(|t| t.title.as_deref() == Some(title))
            .collect();
        assert_eq!(found.len(), 1, "tables titled {title}");
        found[0]
    }

    fn row<'a>(t: &'a Table, first: &str) -> &'a Vec<String> {
        t.rows
            .iter()
            .find(|r| r.first().map(String::as_str) == Some(first))
            .unwrap_or_else(|| panic!("no row {first} in {:?}", t.title))
    }

    fn has_repair(t: &Table, kind: &str, detail: &str) -> bool {
        t.repairs
            .iter()
            .any(|r| r.kind == kind && r.detail.contains(detail))
    }

    #[test]
    fn seed_000_tab_separated() {
        gongkai_extract::require_shared!();
        let l = layout("000_aa7262f6cdff37ed.txt");
        // 13 budget tables and 42 project performance forms; the table of
        // contents is not a table.
        assert_eq!(l.tables.len(), 55);
        let forms = l
            .tables
            .iter()
            .filter(|t| t.title.as_deref() == Some("长治市市级预算部门（单位）项目支出绩效目标表"))
            .count();
        assert_eq!(forms, 42);
        let t = table(&l, "2025年预算收入总表");
        assert_eq!(
            t.caption,
            vec!["单位名称：长治市工业和信息化局", "单位：万元"]
        );
        assert_eq!(t.header.len(), 2);
        assert_eq!(t.columns()[8], "上年结转");
        // Runs over the blank lines of its page breaks as one table.
        assert_eq!(t.rows.len(), 48);
        assert_eq!(t.rows[0][..4], ["合计", "", "20656.65", "14519.86"]);
        assert_eq!(
            t.rows[47][..3],
            ["2239999", "其他国有资本经营预算支出", "1293.79"]
        );
        let empty = table(&l, "2025年政府性基金预算支出表（不含上年结转）");
        assert_eq!(empty.notes, vec!["注：本表无数据"]);
    }

    #[test]
    fn seed_001_ocr_split_numbers() {
        gongkai_extract::require_shared!();
        let l = layout("001_88f08c0df65a9dbb.txt");
        let standard = l
            .tables
            .iter()
            .filter(|t| t.title.as_deref().is_some_and(|s| s.starts_with("2025年")))
            .count();
        assert_eq!(standard, 13);
        assert_eq!(l.tables.len(), 15);
        let t = table(&l, "2025年预算收支总表");
        // "5280. 60" joined, inside its cell.
        assert_eq!(row(t, "一、一般公共预算")[1], "5280.60");
        assert!(has_repair(
            t,
            "split_number_joined",
            "\"5280. 60\" -> \"5280.60\""
        ));
        // A name wrapped inside its cell loses the wrap space.
        assert!(t.rows.iter().any(|r| r[2] == "七、文化旅游体育与传媒支出"));
    }

    #[test]
    fn seed_002_doubled_text_and_wrapped_rows() {
        gongkai_extract::require_shared!();
        let l = layout("002_9ab8174854570465.txt");
        let standard: Vec<&Table> = l
            .tables
            .iter()
            .filter(|t| {
                t.caption
                    .iter()
                    .any(|c| c.trim().starts_with("公开") && c.trim().ends_with('表'))
            })
            .collect();
        assert_eq!(standard.len(), 10);
        let t = table(&l, "收入决算表");
        // Doubled text: "合计合计 145616.75 …" → one 合计 spanning code and name.
        assert_eq!(
            t.rows[0],
            [
                "合计",
                "",
                "145616.75",
                "145599.25",
                "",
                "",
                "",
                "",
                "17.50"
            ]
        );
        assert!(has_repair(
            t,
            "duplicate_glyphs_removed",
            "\"合计合计\" -> \"合计\""
        ));
        // Wrapped row: code, two name lines and the amounts line are one row.
        assert_eq!(
            row(t, "20103")[..4],
            [
                "20103",
                "政府办公厅（室）及相关机构事务",
                "1436.06",
                "1418.56"
            ]
        );
        assert!(t
            .repairs
            .iter()
            .any(|r| r.kind == "split_row_merged" && r.row == Some(2)));
        // The column-number row is neither header nor body.
        assert!(t
            .repairs
            .iter()
            .any(|r| r.kind == "column_number_row_dropped"));
        assert!(!t.rows.iter().any(|r| r[0] == "栏次"));
        let total = table(&l, "收入支出决算总表");
        assert_eq!(total.rows.len(), 31);
        assert_eq!(
            total.rows[6],
            [
                "七、附属单位上缴收入",
                "7",
                "",
                "七、文化旅游体育与传媒支出",
                "38",
                ""
            ]
        );
        assert_eq!(
            total.rows[30],
            ["总计", "31", "145618.14", "总计", "62", "145618.14"]
        );
    }

    #[test]
    fn seed_003_split_numbers_lone_codes_html() {
        gongkai_extract::require_shared!();
        let l = layout("003_1c2d5dad9a5832d7.txt");
        assert_eq!(l.tables.len(), 22);
        let forms = l
            .tables
            .iter()
            .filter(|t| {
                t.title.as_deref() == Some("忻州市市级预算部门（单位）项目支出绩效目标申报表")
            })
            .count();
        assert_eq!(forms, 11);
        // Split numbers in one cell: "10,441.4 1".
        let t = table(&l, "2022年一般公共预算支出预算表");
        assert_eq!(row(t, "合计")[2..], ["10,441.41", "1,168.84", "9,272.57"]);
        assert!(has_repair(
            t,
            "split_number_joined",
            "\"10,441.4 1\" -> \"10,441.41\""
        ));
        // A code that landed on a line of its own joins its row.
        let t = table(&l, "2022年预算收入总表");
        assert_eq!(
            row(t, "2101102")[1..4],
            ["[2101102]事业单位医疗", "1.86", "1.86"]
        );
        assert!(!t.rows.iter().any(|r| r[0] == "2101102" && r[1].is_empty()));
        assert!(has_repair(t, "split_row_merged", "code 2101102"));
        // The HTML fragment's cells come out as grid rows.
        let html_row = l
            .tables
            .iter()
            .flat_map(|t| t.rows.iter())
            .find(|r| {
                r.first().map(String::as_str) == Some("总体目标")
                    && r.get(2).map(String::as_str) == Some("年度目标")
            })
            .expect("row from the <table> fragment");
        assert!(html_row[1].starts_with("建设全市性国资国企在线监管系统"));
    }
}
