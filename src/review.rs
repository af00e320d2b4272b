//! `gongkai review OUT_DIR -o REVIEW_DIR`: a static site over a converted
//! folder, opened from disk with no server and no network, so an analyst can
//! go from "3 checks failed" to the cell that broke, beside its page.
//!
//! - `index.html` lists the documents from `docs.js` (a `<script src>` data
//!   file: Chromium blocks `fetch()` on file://), sorted, filtered and paged
//!   in the browser, so 10,000 rows stay usable.
//! - `doc-NNNNN.html` shows every table as HTML beside its pages. Each page
//!   is its own SVG file (`pages/<sha>/page-PPP.svg`, the tables overlay of
//!   `inspect`) loaded lazily by `<img loading="lazy">`, with the table's
//!   cells as a small inline SVG on top; only pages holding tables are
//!   drawn, so a 300-page document costs its table pages, not all of them.
//!
//! The pictures and cells' boxes are a drawing (`gongkai::drawing`) kept in
//! `pages/<sha256 prefix>/`: made by `convert --review` during conversion,
//! or here by re-reading the source PDF named in `source.file`, and reused
//! by every later review of the same bytes. When the source is gone or has
//! changed, the tables are still shown and the page panel says why there is
//! no picture. All document text is escaped.

use crate::cli::ReviewArgs;
use crate::convert::index::write_replacing as write_atomic;
use anyhow::{bail, Context, Result};
use gongkai_normalize::schema;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const CSS: &str = r#"
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC",sans-serif;margin:1em;color:#000;background:#fff;font-size:15px}
table.grid{border-collapse:collapse;font-size:13px}
table.grid td,table.grid th{border:1px solid #666;padding:2px 4px;cursor:pointer}
table.grid th{background:#ddd;font-weight:bold}
td.fail{outline:3px dashed #000;background:#fdd}
td.sel,th.sel{outline:3px solid #000;background:#ff9}
.tbl{display:flex;gap:1em;align-items:flex-start;border-top:2px solid #000;padding-top:.5em;margin-top:1em}
.tbl>.cells{flex:1 1 50%;overflow:auto;max-height:90vh}
.tbl>.pages{flex:1 1 50%}
.page{position:relative;border:1px solid #999;margin-bottom:.5em}
.page img{display:block;width:100%}
.page svg.ov{position:absolute;left:0;top:0;width:100%;height:100%}
svg.ov rect{fill:none;stroke:none}
svg.ov rect.fail{stroke:#000;stroke-width:1.5;stroke-dasharray:3,2}
svg.ov rect.sel{stroke:#000;stroke-width:2.5;fill:#000;fill-opacity:.15}
.nosrc{border:1px dashed #000;padding:.5em}
.meta{font-size:13px}
.ocr{font-weight:bold;border:1px solid #000;padding:0 .3em}
#docs th{cursor:pointer;text-align:left}
#docs td,#docs th{border-bottom:1px solid #999;padding:2px 6px}
@media print{.tbl{break-inside:avoid}}
"#;

/// Clicking a cell selects it and its box on the page; `#test-click=T.R.C`
/// clicks table T's cell at row R, column C on load (the browser test's hook,
/// harmless to a reader).
const DOC_JS: &str = r#"
function sel(td){
  document.querySelectorAll('.sel').forEach(function(e){e.classList.remove('sel');});
  td.classList.add('sel');
  var k='[data-t="'+td.dataset.t+'"][data-r="'+td.dataset.r+'"][data-c="'+td.dataset.c+'"]';
  var n=0;
  document.querySelectorAll('svg.ov rect'+k).forEach(function(r){r.classList.add('sel');n++;if(n==1&&r.scrollIntoView)r.scrollIntoView({block:'nearest'});});
  document.body.setAttribute('data-selected-boxes',String(n));
}
document.addEventListener('click',function(e){var td=e.target.closest('td[data-r],th[data-r]');if(td)sel(td);});
function hash(){var m=/^#test-click=(\d+)\.(\d+)\.(\d+)$/.exec(location.hash);if(!m)return;
  var td=document.querySelector('[data-t="'+m[1]+'"][data-r="'+m[2]+'"][data-c="'+m[3]+'"]:not(rect)');
  if(td)td.click();}
window.addEventListener('hashchange',hash);hash();
"#;

const INDEX_JS: &str = r#"
(function(){
var D=window.GONGKAI_DOCS||[],PER=100,page=0,key='file',dir=1;
var cols=[['file','文件 file'],['entity','单位 entity'],['year','年度 year'],['kind','类型 kind'],['status','status'],['pages','pages'],['tables','tables by kind'],['unknown','unknown tables'],['failed','failed checks'],['diagnostics','diagnostics']];
function val(d,k){return k=='tables'?d.table_count:d[k];}
function opts(id,k){var s=document.getElementById(id),seen={};D.forEach(function(d){seen[d[k]==null?'':d[k]]=1;});
  Object.keys(seen).sort().forEach(function(v){var o=document.createElement('option');o.value=v;o.textContent=v===''?'(none)':v;s.appendChild(o);});
  s.onchange=function(){page=0;draw();};}
function rows(){var st=document.getElementById('f-status').value,yr=document.getElementById('f-year').value,kd=document.getElementById('f-kind').value,en=document.getElementById('f-entity').value;
  var r=D.filter(function(d){return (st=='*'||String(d.status)==st)&&(yr=='*'||String(d.year==null?'':d.year)==yr)&&(kd=='*'||String(d.kind==null?'':d.kind)==kd)&&(en==''||String(d.entity||'').indexOf(en)>=0||d.file.indexOf(en)>=0);});
  r.sort(function(a,b){var x=val(a,key),y=val(b,key);if(x==null)x='';if(y==null)y='';return (x<y?-1:x>y?1:0)*dir;});return r;}
function draw(){var r=rows(),tb=document.querySelector('#docs tbody');tb.textContent='';
  var n=Math.max(1,Math.ceil(r.length/PER));if(page>=n)page=n-1;
  r.slice(page*PER,page*PER+PER).forEach(function(d){var tr=document.createElement('tr');tr.className='doc';
    cols.forEach(function(c){var td=document.createElement('td');
      if(c[0]=='file'){var a=document.createElement('a');a.href=d.href;a.textContent=d.file;td.appendChild(a);}
      else if(c[0]=='tables'){td.textContent=Object.keys(d.tables).map(function(k){return k+' '+d.tables[k];}).join(', ');}
      else{var v=d[c[0]];td.textContent=v==null?'':String(v);}
      tr.appendChild(td);});tb.appendChild(tr);});
  document.getElementById('count').textContent=r.length+' of '+D.length+' documents · page '+(page+1)+' of '+n;}
var h=document.querySelector('#docs thead tr');
cols.forEach(function(c){var th=document.createElement('th');th.textContent=c[1];th.onclick=function(){if(key==c[0])dir=-dir;else{key=c[0];dir=1;}draw();};h.appendChild(th);});
opts('f-status','status');opts('f-year','year');opts('f-kind','kind');
document.getElementById('f-entity').oninput=function(){page=0;draw();};
document.getElementById('prev').onclick=function(){if(page>0){page--;draw();}};
document.getElementById('next').onclick=function(){page++;draw();};
draw();})();
"#;

fn esc(s: &str) -> String {
    crate::svg::escape(s)
}

/// One row of the index.
#[derive(serde::Serialize)]
struct IndexRow {
    file: String,
    href: String,
    entity: Option<String>,
    year: Option<i32>,
    kind: Option<String>,
    status: &'static str,
    pages: u32,
    tables: BTreeMap<String, usize>,
    table_count: usize,
    unknown: usize,
    failed: usize,
    diagnostics: usize,
}

/// A document's status for the index: whether it could be read, and whether
/// its checks all pass.
fn status(doc: &schema::Document) -> &'static str {
    if doc.diagnostics.iter().any(|d| d.level == "error") {
        "error"
    } else if doc.checks.iter().any(|c| !c.ok) {
        "failed-checks"
    } else {
        "ok"
    }
}

pub fn run(args: ReviewArgs) -> Result<u8> {
    if !args.dir.is_dir() {
        bail!(
            "{} is not a directory; give the folder `gongkai convert` wrote",
            args.dir.display()
        );
    }
    // The cells are drawn as the table stage finds them with these settings
    // (those the folder was converted with, for the pictures to match).
    let settings = crate::cli::user_settings(args.settings.as_deref(), &[])?.tables;
    let (paths, _) = gongkai::outputs::candidates(&args.dir)?;
    // Documents in parallel, each named by its place among the candidates
    // (sorted), so the site is the same whatever the threads did.
    let done: Vec<Result<Option<(IndexRow, usize, Drawn)>>> = paths
        .par_iter()
        .enumerate()
        .map(|(i, path)| review_one(&args, &settings, i, path))
        .collect();
    let mut rows = Vec::new();
    let (mut drawn, mut reused) = (0usize, 0usize);
    for d in done {
        if let Some((row, pages, how)) = d? {
            rows.push(row);
            match how {
                Drawn::Now => drawn += pages,
                Drawn::Reused => reused += pages,
                Drawn::None => {}
            }
        }
    }
    let data = format!(
        "window.GONGKAI_DOCS={};\n",
        serde_json::to_string(&rows).context("cannot serialise the index")?
    );
    write_atomic(&args.output.join("docs.js"), data.as_bytes())?;
    write_atomic(&args.output.join("index.html"), index_html().as_bytes())?;
    eprintln!(
        "gongkai: review of {} documents ({drawn} pages drawn, {reused} reused) in {}; open {}",
        rows.len(),
        args.output.display(),
        args.output.join("index.html").display()
    );
    Ok(0)
}

/// How a document's pages were drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Drawn {
    /// Drawn now, from the source PDF.
    Now,
    /// Already in the site, drawn by `convert --review` or an earlier review.
    Reused,
    None,
}

/// One document's page and its pictures; its index row, the number of
/// pages shown and how they were drawn, or `None` for a JSON file that is
/// not a gongkai document.
fn review_one(
    args: &ReviewArgs,
    settings: &gongkai_tables::Settings,
    i: usize,
    path: &Path,
) -> Result<Option<(IndexRow, usize, Drawn)>> {
    let Some(doc) = gongkai::outputs::read_document(path) else {
        return Ok(None);
    };
    let name = format!("doc-{:05}", i + 1);
    let rel = path
        .strip_prefix(&args.dir)
        .unwrap_or(path)
        .display()
        .to_string();
    let (pages, how) = if doc.source.format == "pdf" {
        match pictures(args, settings, &doc) {
            Ok((p, how)) => (Ok(p), how),
            Err(e) => (Err(e), Drawn::None),
        }
    } else {
        let why = format!(
            "the source is a {} file, not a PDF: there is no page to draw",
            esc(&doc.source.format)
        );
        (Err(why), Drawn::None)
    };
    let shown = pages.as_ref().map(|p| p.pages.len()).unwrap_or(0);
    let html = doc_html(&doc, &rel, &pages);
    write_atomic(&args.output.join(format!("{name}.html")), html.as_bytes())?;
    let mut tables = BTreeMap::new();
    for t in &doc.tables {
        *tables.entry(t.kind.clone()).or_insert(0) += 1;
    }
    let row = IndexRow {
        file: rel,
        href: format!("{name}.html"),
        entity: doc.document.entity.clone(),
        year: doc.document.year,
        kind: doc.document.kind.clone(),
        status: status(&doc),
        pages: doc.source.pages,
        unknown: doc.tables.iter().filter(|t| t.kind == "unknown").count(),
        table_count: doc.tables.len(),
        tables,
        failed: doc.checks.iter().filter(|c| !c.ok).count(),
        diagnostics: doc.diagnostics.len(),
    };
    Ok(Some((row, shown, how)))
}

/// The document's page pictures: the drawing already in the site for its
/// source bytes, else drawn now from the source PDF (and kept for the next
/// review). `Err` says, for the page panel, why there are none.
fn pictures(
    args: &ReviewArgs,
    settings: &gongkai_tables::Settings,
    doc: &schema::Document,
) -> std::result::Result<(Pages, Drawn), String> {
    let sha = &doc.source.sha256;
    let folder = gongkai::drawing::folder_for(sha);
    let dir = args.output.join(&folder);
    if doc.tables.is_empty() {
        return Ok((Pages::default(), Drawn::None));
    }
    if let Some(d) = gongkai::drawing::load(&dir, sha, settings) {
        return Ok((pages_of(doc, &d, &folder), Drawn::Reused));
    }
    let src = find_source(&doc.source.file, &args.dir, &args.source)?;
    let shown = esc(&src.display().to_string());
    let bytes =
        std::fs::read(&src).map_err(|e| format!("the source {shown} could not be read: {e}"))?;
    if !sha.is_empty() && gongkai::provenance::sha256_hex(&bytes) != *sha {
        return Err(format!(
            "the source {shown} has changed since it was converted (its sha256 differs), so its pages would not match; convert it again"
        ));
    }
    let wanted = gongkai::drawing::wanted_pages(doc);
    let opts = gongkai_extract::Options {
        pages: Some(wanted.clone()),
        ..gongkai_extract::Options::default()
    };
    let drawn = gongkai_extract::open_bytes(&bytes, Some(&src), &opts)
        .map_err(|e| e.to_string())
        .and_then(|pdf| {
            let layout = gongkai_tables::find_tables(&pdf, settings);
            gongkai::drawing::draw(&pdf, &layout, &wanted, sha, settings, &dir)
                .map_err(|e| e.to_string())
        })
        .map_err(|e| format!("the source {shown} could not be drawn: {}", esc(&e)))?;
    Ok((pages_of(doc, &drawn, &folder), Drawn::Now))
}

/// A drawing as the document page uses it: page files relative to the site,
/// and each JSON table's cells.
fn pages_of(doc: &schema::Document, d: &gongkai::drawing::Drawing, folder: &str) -> Pages {
    Pages {
        pages: d
            .pages
            .iter()
            .map(|(n, p)| (*n, (format!("{folder}/{}", p.file), p.width, p.height)))
            .collect(),
        cells: gongkai::drawing::match_tables(doc, d),
    }
}

fn index_html() -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>gongkai review</title><style>{CSS}</style></head>
<body><h1>gongkai review</h1>
<p>status <select id="f-status"><option value="*">all</option></select>
year <select id="f-year"><option value="*">all</option></select>
kind <select id="f-kind"><option value="*">all</option></select>
entity or file <input id="f-entity" size="20">
<button id="prev">◀</button> <button id="next">▶</button> <span id="count"></span></p>
<table id="docs"><thead><tr></tr></thead><tbody></tbody></table>
<script src="docs.js"></script><script>{INDEX_JS}</script></body></html>
"#
    )
}

/// Where the source file is: `source.file` (relative to the folder given to
/// convert) under each `--source` folder, else as recorded, inside the output
/// folder or beside it.
fn find_source(file: &str, out: &Path, roots: &[PathBuf]) -> std::result::Result<PathBuf, String> {
    let p = Path::new(file);
    let mut tried: Vec<PathBuf> = roots.iter().map(|r| r.join(p)).collect();
    tried.push(p.to_path_buf());
    if p.is_relative() {
        tried.push(out.join(p));
        if let Some(parent) = out.parent() {
            tried.push(parent.join(p));
        }
    }
    for t in &tried {
        if t.is_file() {
            return Ok(t.clone());
        }
    }
    Err(format!(
        "the source file {} was not found (looked at {}), so its pages cannot be drawn; give the converted folder with --source DIR",
        esc(file),
        tried
            .iter()
            .map(|t| esc(&t.display().to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The drawn pages of one document: the SVG file of each page holding a
/// table, the page size, and each JSON table's cell boxes.
#[derive(Default)]
struct Pages {
    /// page → (SVG path relative to the site, width, height)
    pages: BTreeMap<u32, (String, f32, f32)>,
    /// per JSON table, its cells' boxes
    cells: Vec<Vec<CellBox>>,
}

use gongkai::drawing::CellBox;

/// The cells a failed check names in a table: the row whose label matches
/// the check's row and the column whose name matches its column (over the
/// header + body numbering).
fn check_cells(t: &schema::Table, c: &schema::Check) -> Vec<(usize, usize)> {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let h = t.header.len();
    let col = c.column.as_deref().map(norm).and_then(|name| {
        t.columns.iter().position(|x| norm(x) == name).or_else(|| {
            t.header
                .iter()
                .rev()
                .find_map(|hr| hr.iter().position(|x| norm(x) == name))
        })
    });
    let label = c.row.as_deref().map(norm).unwrap_or_default();
    if label.is_empty() {
        // No row named (a column sum): the column's header cell.
        return match col {
            Some(ci) if h > 0 => vec![(h - 1, ci)],
            _ => Vec::new(),
        };
    }
    let mut out = Vec::new();
    for (ri, row) in t.rows.iter().enumerate() {
        if let Some(li) = row.iter().position(|x| norm(x) == label) {
            out.push((h + ri, li));
            if let Some(ci) = col {
                out.push((h + ri, ci));
            }
            break;
        }
    }
    out
}

fn doc_html(
    doc: &schema::Document,
    rel: &str,
    pages: &std::result::Result<Pages, String>,
) -> String {
    let mut s = String::new();
    let title = doc
        .document
        .title
        .clone()
        .unwrap_or_else(|| rel.to_string());
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{}</title><style>{CSS}</style></head><body>
<p><a href="index.html">← all documents</a></p><h1>{}</h1>
<p class="meta">file {} · entity {} · year {} · kind {} · {} pages · {} tables · status {}</p>
"#,
        esc(&title),
        esc(&title),
        esc(rel),
        esc(doc.document.entity.as_deref().unwrap_or("—")),
        doc.document
            .year
            .map(|y| y.to_string())
            .unwrap_or("—".into()),
        esc(doc.document.kind.as_deref().unwrap_or("—")),
        doc.source.pages,
        doc.tables.len(),
        status(doc)
    );
    if let Err(why) = pages {
        let _ = writeln!(s, r#"<p class="nosrc" id="nosource">{why}</p>"#);
    }
    // Failed checks.
    let failed: Vec<&schema::Check> = doc.checks.iter().filter(|c| !c.ok).collect();
    let _ = writeln!(
        s,
        r#"<h2>Failed checks ({})</h2><ul id="failed">"#,
        failed.len()
    );
    for c in &failed {
        let _ = writeln!(
            s,
            "<li>{} · table {} · row {} · column {} · expected {} found {}{}</li>",
            esc(&c.rule),
            c.table
                .map(|t| format!("<a href=\"#t{t}\">{t}</a>"))
                .unwrap_or("—".into()),
            esc(c.row.as_deref().unwrap_or("—")),
            esc(c.column.as_deref().unwrap_or("—")),
            c.expected,
            c.found,
            if c.source_inconsistent {
                " (the source itself is inconsistent)"
            } else {
                ""
            }
        );
    }
    s.push_str("</ul>\n<h2>Tables</h2>\n");
    for (ti, t) in doc.tables.iter().enumerate() {
        let mut fails: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
        for c in failed.iter().filter(|c| c.table == Some(ti)) {
            for cell in check_cells(t, c) {
                fails.entry(cell).or_default().push(format!(
                    "{}: expected {} found {}",
                    c.rule, c.expected, c.found
                ));
            }
        }
        let page_list: Vec<String> = t.pages.iter().map(u32::to_string).collect();
        let _ = writeln!(
            s,
            r#"<div class="tbl" id="t{ti}"><div class="cells"><h3>{ti}. {}</h3>
<p class="meta">normalized {} · kind {} ({}) · pages {}{} · unit {}</p>"#,
            esc(t.title.as_deref().unwrap_or("(untitled)")),
            esc(t.title_normalized.as_deref().unwrap_or("—")),
            esc(&t.kind),
            esc(&t.kind_source),
            page_list.join(", "),
            // Marked by the table itself, or its pages among the source's OCR'd
            // pages (an output written before tables carried the mark).
            if t.ocr || t.pages.iter().any(|p| doc.source.ocr_pages.contains(p)) {
                r#" <span class="ocr">OCR</span>"#
            } else {
                ""
            },
            esc(t.unit.as_deref().unwrap_or("—"))
        );
        if !t.repairs.is_empty() {
            s.push_str("<ul class=\"meta\">");
            for r in &t.repairs {
                let _ = write!(
                    s,
                    "<li>repair {} (page {}, row {}): {}</li>",
                    esc(&r.kind),
                    r.page.map(|p| p.to_string()).unwrap_or("—".into()),
                    r.row.map(|p| p.to_string()).unwrap_or("—".into()),
                    esc(&r.detail)
                );
            }
            s.push_str("</ul>");
        }
        s.push_str("<table class=\"grid\">\n");
        let h = t.header.len();
        for (ri, row) in t.header.iter().chain(t.rows.iter()).enumerate() {
            let tag = if ri < h { "th" } else { "td" };
            s.push_str(if ri < h { "<tr class=\"hdr\">" } else { "<tr>" });
            for (ci, cell) in row.iter().enumerate() {
                let (class, tip) = match fails.get(&(ri, ci)) {
                    Some(f) => (
                        " class=\"fail\"",
                        format!(" title=\"{}\"", esc(&f.join("; "))),
                    ),
                    None => ("", String::new()),
                };
                let _ = write!(
                    s,
                    r#"<{tag} data-t="{ti}" data-r="{ri}" data-c="{ci}"{class}{tip}>{}</{tag}>"#,
                    esc(cell)
                );
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table></div><div class=\"pages\">\n");
        match pages {
            Err(why) => {
                let _ = writeln!(s, r#"<p class="nosrc">No page picture: {why}</p>"#);
            }
            Ok(p) => {
                for page in &t.pages {
                    let Some((file, w, hgt)) = p.pages.get(page) else {
                        let _ = writeln!(
                            s,
                            r#"<p class="nosrc">Page {page} was not read from the source.</p>"#
                        );
                        continue;
                    };
                    let _ = write!(
                        s,
                        r#"<div class="page"><img loading="lazy" src="{}" alt="page {page}"><svg class="ov" viewBox="0 0 {w:.2} {hgt:.2}" preserveAspectRatio="none">"#,
                        esc(file)
                    );
                    let cells = p.cells.get(ti).map(Vec::as_slice).unwrap_or(&[]);
                    for (_, r, c, b) in cells.iter().filter(|x| x.0 == *page) {
                        let class = if fails.contains_key(&(*r, *c)) {
                            " class=\"fail\""
                        } else {
                            ""
                        };
                        let _ = write!(
                            s,
                            r#"<rect data-t="{ti}" data-r="{r}" data-c="{c}"{class} x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}"/>"#,
                            b[0],
                            b[1],
                            b[2] - b[0],
                            b[3] - b[1]
                        );
                    }
                    s.push_str("</svg></div>\n");
                }
            }
        }
        s.push_str("</div></div>\n");
    }
    // Performance sheets, narrative sections, diagnostics.
    let _ = writeln!(
        s,
        r#"<h2>Performance sheets ({})</h2>"#,
        doc.performance.len()
    );
    for p in &doc.performance {
        let _ = writeln!(
            s,
            "<details><summary>{} · {} · pages {:?} · {} indicators</summary><ul>",
            esc(&p.kind),
            esc(p.project.as_deref().unwrap_or("—")),
            p.pages,
            p.indicators.len()
        );
        for i in &p.indicators {
            let _ = writeln!(
                s,
                "<li>{} · target {} · actual {}</li>",
                esc(&i.name),
                esc(i.target.as_deref().unwrap_or("—")),
                esc(i.actual.as_deref().unwrap_or("—"))
            );
        }
        s.push_str("</ul></details>\n");
    }
    let _ = writeln!(s, "<h2>Sections ({})</h2>", doc.sections.len());
    for sec in &doc.sections {
        let _ = writeln!(
            s,
            "<details><summary>{}</summary><p style=\"white-space:pre-wrap\">{}</p></details>",
            esc(&sec.heading),
            esc(&sec.text)
        );
    }
    let _ = writeln!(s, "<h2>Diagnostics ({})</h2><ul>", doc.diagnostics.len());
    for d in &doc.diagnostics {
        let _ = writeln!(
            s,
            "<li>{} · {} · page {} · {}</li>",
            esc(&d.level),
            esc(&d.stage),
            d.page.map(|p| p.to_string()).unwrap_or("—".into()),
            esc(&d.message)
        );
    }
    let _ = writeln!(s, "</ul><script>{DOC_JS}</script></body></html>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_text_is_escaped_and_missing_source_said() {
        let json = r#"{"schema":"gongkai/1","source":{"file":"gone.pdf","sha256":"","format":"pdf","pages":1},
          "document":{"entity":"<b>x</b>","year":2025,"kind":"budget","title":"<script>alert(1)</script>"},
          "tables":[{"kind":"unknown","kind_source":"none","title":"<script>t</script>","title_normalized":null,"number":null,
            "pages":[1],"unit":null,"header":[["项目","金额"]],"columns":["项目","金额"],"rows":[["合计","<img src=x>"]],"records":[],"repairs":[]}],
          "performance":[],"sections":[],"checks":[{"rule":"sum","table":0,"row":"合计","column":"金额","expected":2.0,"found":1.0,"ok":false}],"diagnostics":[]}"#;
        let doc = gongkai::outputs::parse_document(json.as_bytes()).expect("document");
        let missing = find_source("gone.pdf", Path::new("/nonexistent/out"), &[])
            .map(|_| unreachable_pages());
        assert!(missing.is_err());
        let html = doc_html(&doc, "gone.json", &missing);
        assert!(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert(1)"));
        assert!(!html.contains("<script>t<") && !html.contains("<img src=x>"));
        assert!(!html.contains("<b>x</b>"));
        assert!(html.contains("was not found"));
        // The failed check is on the 合计 row: its label and its 金额 cell.
        assert!(html.contains(r#"data-r="1" data-c="1" class="fail""#));
        assert!(html.contains(r#"data-r="1" data-c="0" class="fail""#));
    }

    fn unreachable_pages() -> Pages {
        Pages {
            pages: BTreeMap::new(),
            cells: Vec::new(),
        }
    }
}
