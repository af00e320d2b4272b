//! The page pictures of one document for the review site, and their cache.
//!
//! Drawing a page needs the page read again (glyph boxes, rulings) and its
//! tables found again (cell boxes): nearly what converting it cost. So a
//! drawing is kept in the site, in a folder named for the source's bytes,
//! with a `drawing.json` saying which bytes and which build drew it. A later
//! review of the same source reuses it, and `convert --review` draws it
//! while the pages are still in memory, so the review itself only writes
//! HTML.
//!
//! `drawing.json` is written last (atomically), so a folder whose drawing
//! was cut short has none and is drawn again.

use gongkai_extract::Document;
use gongkai_tables::{Layout, Settings};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

/// The file naming what a drawing folder holds.
pub const DRAWING_FILE: &str = "drawing.json";

/// A cell's box on a page: page, row over header + body, column, [x0, y0, x1, y1].
pub type CellBox = (u32, usize, usize, [f32; 4]);

/// One drawn page: its SVG file (in the drawing's folder) and size in points.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DrawnPage {
    pub file: String,
    pub width: f32,
    pub height: f32,
}

/// A table as found on the pages, with its cells' boxes, for matching to a
/// JSON table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DrawnTable {
    pub title: Option<String>,
    pub pages: Vec<u32>,
    pub cells: Vec<CellBox>,
}

/// What a drawing folder holds, and what it was drawn from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Drawing {
    /// sha256 of the source bytes.
    pub sha256: String,
    /// The build that drew it (a newer build may find other tables).
    pub tool: crate::provenance::Tool,
    /// [`settings_stamp`] of the table settings it was drawn with.
    pub settings: String,
    pub pages: BTreeMap<u32, DrawnPage>,
    pub tables: Vec<DrawnTable>,
}

/// Why a drawing could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DrawError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot record the drawing: {0}")]
    Record(#[from] serde_json::Error),
}

/// The folder (relative to the site) that holds the drawing of a source
/// whose bytes hash to `sha256`: sources with the same bytes share it.
pub fn folder_for(sha256: &str) -> String {
    let short: String = sha256.chars().take(16).collect();
    format!("pages/{}", if short.is_empty() { "none" } else { &short })
}

/// A short hash of table settings: drawings made with other settings show
/// other cells.
pub fn settings_stamp(settings: &Settings) -> String {
    let json = serde_json::to_vec(settings).unwrap_or_default();
    crate::provenance::sha256_hex(&json)
        .chars()
        .take(16)
        .collect()
}

/// The drawing recorded in `dir`, if it was drawn from these bytes by this
/// build with these settings (anything else is stale and drawn again).
pub fn load(dir: &Path, sha256: &str, settings: &Settings) -> Option<Drawing> {
    let text = std::fs::read(dir.join(DRAWING_FILE)).ok()?;
    let d: Drawing = serde_json::from_slice(&text).ok()?;
    let fresh = d.sha256 == sha256
        && d.tool == crate::provenance::Tool::current()
        && d.settings == settings_stamp(settings)
        && d.pages.values().all(|p| dir.join(&p.file).is_file());
    fresh.then_some(d)
}

/// The pages a review shows: those holding one of the document's tables.
pub fn wanted_pages(doc: &gongkai_normalize::schema::Document) -> Vec<u32> {
    let mut wanted: Vec<u32> = doc.tables.iter().flat_map(|t| t.pages.clone()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

/// Draw the `wanted` pages (sorted; [`wanted_pages`]) into `dir`, one SVG
/// each (the `inspect` tables overlay), and record the found tables' cell
/// boxes, then `drawing.json`.
pub fn draw(
    pdf: &Document,
    layout: &Layout,
    wanted: &[u32],
    sha256: &str,
    settings: &Settings,
    dir: &Path,
) -> Result<Drawing, DrawError> {
    let mut pages = BTreeMap::new();
    for p in pdf
        .pages
        .iter()
        .filter(|p| wanted.binary_search(&p.number).is_ok())
    {
        let file = format!("page-{:03}.svg", p.number);
        let svg = gongkai_tables::svg::tables_svg(p, &layout.tables);
        // Written in place: only `drawing.json`, written last and atomically,
        // makes a folder's pictures count, so a cut leaves none counted.
        if pages.is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        }
        let path = dir.join(&file);
        std::fs::write(&path, svg.as_bytes()).map_err(|e| write_error(&path, e))?;
        pages.insert(
            p.number,
            DrawnPage {
                file,
                width: p.width.max(1.0),
                height: p.height.max(1.0),
            },
        );
    }
    let tables = layout.tables.iter().map(cell_boxes).collect();
    let drawing = Drawing {
        sha256: sha256.to_string(),
        tool: crate::provenance::Tool::current(),
        settings: settings_stamp(settings),
        pages,
        tables,
    };
    let json = serde_json::to_vec(&drawing)?;
    write_atomic(&dir.join(DRAWING_FILE), &json)?;
    Ok(drawing)
}

/// A found table's cells, region by region.
fn cell_boxes(t: &gongkai_tables::Table) -> DrawnTable {
    let mut cells = Vec::new();
    for (ri, region) in t.regions.iter().enumerate() {
        let rows = gongkai_tables::svg::rows_in_region(t, region, ri == 0);
        let (xs, ys) = (&region.col_edges, &region.row_edges);
        for (band, &row) in rows.iter().enumerate() {
            let (Some(&y0), Some(&y1)) = (ys.get(band), ys.get(band + 1)) else {
                break;
            };
            for (c, pair) in xs.windows(2).enumerate() {
                if let [x0, x1] = *pair {
                    cells.push((region.page, row, c, [x0, y0, x1, y1]));
                }
            }
        }
    }
    DrawnTable {
        title: t.title.clone(),
        pages: t.pages.clone(),
        cells,
    }
}

/// Each JSON table's cell boxes: the first unused drawn table on the same
/// pages, preferring one with the same title.
pub fn match_tables(doc: &gongkai_normalize::schema::Document, d: &Drawing) -> Vec<Vec<CellBox>> {
    let mut used = vec![false; d.tables.len()];
    let mut out = Vec::with_capacity(doc.tables.len());
    for t in &doc.tables {
        let free = |i: &usize| !used.get(*i).copied().unwrap_or(true);
        let same_pages = |i: &usize| d.tables.get(*i).is_some_and(|l| l.pages == t.pages);
        let same_title = |i: &usize| d.tables.get(*i).is_some_and(|l| l.title == t.title);
        let pick = (0..d.tables.len())
            .filter(free)
            .filter(same_pages)
            .find(same_title)
            .or_else(|| (0..d.tables.len()).filter(free).find(same_pages));
        match pick.and_then(|i| Some((i, d.tables.get(i)?))) {
            Some((i, l)) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                out.push(l.cells.clone());
            }
            None => out.push(Vec::new()),
        }
    }
    out
}

fn write_error(path: &Path, source: std::io::Error) -> DrawError {
    DrawError::Write {
        path: path.display().to_string(),
        source,
    }
}

/// Write through a temporary file in the same folder and rename, creating
/// the folder: a reader never sees half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DrawError> {
    let err = |source: std::io::Error| write_error(path, source);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.{}.{:?}.tmp",
        std::process::id(),
        std::thread::current().id()
    ));
    let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes));
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawing(sha: &str) -> Drawing {
        Drawing {
            sha256: sha.into(),
            tool: crate::provenance::Tool::current(),
            settings: settings_stamp(&Settings::default()),
            pages: BTreeMap::new(),
            tables: vec![
                DrawnTable {
                    title: Some("A".into()),
                    pages: vec![1],
                    cells: vec![(1, 0, 0, [0.0, 0.0, 1.0, 1.0])],
                },
                DrawnTable {
                    title: Some("B".into()),
                    pages: vec![1],
                    cells: vec![(1, 0, 0, [2.0, 2.0, 3.0, 3.0])],
                },
            ],
        }
    }

    #[test]
    fn a_drawing_is_reused_only_for_the_same_bytes_and_build() {
        let dir = std::env::temp_dir().join(format!("gongkai-drawing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let d = drawing("abc");
        write_atomic(&dir.join(DRAWING_FILE), &serde_json::to_vec(&d).unwrap()).unwrap();
        let defaults = Settings::default();
        assert_eq!(load(&dir, "abc", &defaults), Some(d.clone()));
        assert_eq!(load(&dir, "abd", &defaults), None, "other bytes");
        let other = Settings {
            cell_gap_ratio: defaults.cell_gap_ratio * 2.0,
            ..Settings::default()
        };
        assert_eq!(load(&dir, "abc", &other), None, "other settings");
        let mut old = d;
        old.tool.version = "0.0.0-old".into();
        write_atomic(&dir.join(DRAWING_FILE), &serde_json::to_vec(&old).unwrap()).unwrap();
        assert_eq!(load(&dir, "abc", &defaults), None, "another build");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(folder_for("0123456789abcdef0123"), "pages/0123456789abcdef");
    }
}
