//! `gongkai eval OUT_DIR TRUTH_DIR`: how close converted JSON is to the truth.
//!
//! Files are paired by relative path (`convert` writes `OUT/<rel>.json`, the
//! truth sits at `TRUTH/<rel>.json`). The measures:
//! - records: precision/recall/F1 over the multiset of tuples (table kind, side,
//!   code or normalised name, column label, value to 0.01). Names and labels are
//!   compared after NFKC with whitespace and enumerators removed (conventions 7, 10),
//!   so the score does not depend on how tables were matched;
//! - grid: the ICDAR 2013 adjacency-relation measure over header + rows: every
//!   non-empty cell with its nearest non-empty neighbour to the right and below,
//!   compared as normalised text, per matched table pair (tables are paired by
//!   kind, then title and page overlap; with `--grids-only` by title and pages alone);
//! - tables found vs expected, document fields (entity, year, kind), and
//!   performance-sheet indicators (project, level1, level2, name, target).
//!
//! It prints a line per file and per table, then per kind and overall, and
//! always exits 0: low scores are information, not failure.

use crate::cli::EvalArgs;
use anyhow::{bail, Context, Result};
use gongkai_normalize::schema::{Document, DocumentInfo, Source, Table, SCHEMA_ID};
use gongkai_normalize::text::{norm, strip_enumerator};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The result of comparing two multisets: how many items each side has and
/// how many they share.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub matched: u64,
    pub found: u64,
    pub expected: u64,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.matched += o.matched;
        self.found += o.found;
        self.expected += o.expected;
    }

    /// Nothing expected and nothing found is a perfect score; otherwise an
    /// empty side scores 0.
    fn vacuous(&self) -> bool {
        self.found == 0 && self.expected == 0
    }

    pub fn precision(&self) -> f64 {
        if self.vacuous() {
            1.0
        } else if self.found == 0 {
            0.0
        } else {
            self.matched as f64 / self.found as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.vacuous() {
            1.0
        } else if self.expected == 0 {
            0.0
        } else {
            self.matched as f64 / self.expected as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Count the items two multisets share.
fn compare<T: Ord>(found: Vec<T>, expected: Vec<T>) -> Counts {
    let mut bag: BTreeMap<T, i64> = BTreeMap::new();
    let (nf, ne) = (found.len() as u64, expected.len() as u64);
    for t in expected {
        *bag.entry(t).or_default() += 1;
    }
    let mut matched = 0;
    for t in found {
        if let Some(n) = bag.get_mut(&t) {
            if *n > 0 {
                *n -= 1;
                matched += 1;
            }
        }
    }
    Counts {
        matched,
        found: nf,
        expected: ne,
    }
}

/// A name or label as compared: NFKC, no whitespace, no leading enumerator.
/// The enumerator goes first: NFKC would turn `①` into a plain `1`.
pub fn name_key(s: &str) -> String {
    let squashed = gongkai_tables::cells::squash(s);
    norm(strip_enumerator(&squashed))
}

/// One record value as the record measure sees it.
type RecordTuple = (String, String, String, String, i64);

fn record_tuples(t: &Table) -> Vec<RecordTuple> {
    let mut out = Vec::new();
    for r in &t.records {
        let item = match r.code.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => norm(c),
            _ => r.name.as_deref().map(name_key).unwrap_or_default(),
        };
        let side = r.side.clone().unwrap_or_default();
        for (label, v) in &r.values {
            if !v.is_finite() || v.abs() > 1e15 {
                continue;
            }
            let cents = (v * 100.0).round() as i64;
            out.push((
                t.kind.clone(),
                side.clone(),
                item.clone(),
                // The leaf label: where labels repeat, truth and output may
                // key by the header path or by the leaf alone.
                name_key(label.rsplit('/').next().unwrap_or(label)),
                cents,
            ));
        }
    }
    out
}

/// An adjacency relation: (cell, neighbour, below?).
type Relation = (String, String, bool);

/// ICDAR 2013 adjacency relations of a grid (header rows then body rows).
fn relations(t: &Table) -> Vec<Relation> {
    let grid: Vec<Vec<String>> = t
        .header
        .iter()
        .chain(t.rows.iter())
        .map(|r| r.iter().map(|c| norm(c)).collect())
        .collect();
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |r: usize, c: usize| -> &str {
        grid.get(r)
            .and_then(|row| row.get(c))
            .map_or("", |s| s.as_str())
    };
    let mut out = Vec::new();
    for r in 0..grid.len() {
        for c in 0..width {
            let a = cell(r, c);
            if a.is_empty() {
                continue;
            }
            if let Some(b) = (c + 1..width).map(|k| cell(r, k)).find(|s| !s.is_empty()) {
                out.push((a.to_string(), b.to_string(), false));
            }
            if let Some(b) = (r + 1..grid.len())
                .map(|k| cell(k, c))
                .find(|s| !s.is_empty())
            {
                out.push((a.to_string(), b.to_string(), true));
            }
        }
    }
    out
}

fn grid_counts(found: Option<&Table>, expected: Option<&Table>) -> Counts {
    compare(
        found.map(relations).unwrap_or_default(),
        expected.map(relations).unwrap_or_default(),
    )
}

/// How well an output table fits a truth table: title agreement plus page
/// overlap; `None` where they cannot be the same table.
fn pair_score(out: &Table, truth: &Table, any_kind: bool) -> Option<f64> {
    let title = match (&out.title, &truth.title) {
        (Some(a), Some(b)) => {
            let (a, b) = (norm(a), norm(b));
            if a == b {
                1.0
            } else if !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a)) {
                0.7
            } else {
                0.0
            }
        }
        _ => 0.0,
    };
    let po: BTreeSet<u32> = out.pages.iter().copied().collect();
    let pt: BTreeSet<u32> = truth.pages.iter().copied().collect();
    let union = po.union(&pt).count();
    let pages = if union == 0 {
        0.0
    } else {
        po.intersection(&pt).count() as f64 / union as f64
    };
    if any_kind {
        // Kind-agnostic tools: a pair must share a page or a title.
        (title + pages > 0.0).then_some(title + pages)
    } else {
        (out.kind == truth.kind).then_some(title + pages)
    }
}

/// Pair output tables with truth tables, best fits first (greedy, deterministic).
/// Returns for each truth table the index of its output table.
fn match_tables(out: &[Table], truth: &[Table], any_kind: bool) -> Vec<Option<usize>> {
    let mut pairs = Vec::new();
    for (ti, t) in truth.iter().enumerate() {
        for (oi, o) in out.iter().enumerate() {
            if let Some(s) = pair_score(o, t, any_kind) {
                pairs.push((s, ti, oi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut for_truth = vec![None; truth.len()];
    let mut used = vec![false; out.len()];
    for (_, ti, oi) in pairs {
        if for_truth[ti].is_none() && !used[oi] {
            for_truth[ti] = Some(oi);
            used[oi] = true;
        }
    }
    for_truth
}

#[derive(Debug, Clone, Serialize)]
pub struct TableReport {
    pub kind: String,
    pub title: Option<String>,
    pub pages: Vec<u32>,
    /// Index of the paired table in the output's `tables`.
    pub output: Option<usize>,
    pub records: Counts,
    pub grid: Counts,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Fields {
    pub entity: bool,
    pub year: bool,
    pub kind: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub file: String,
    /// No output for this truth file (scored as empty).
    pub missing: bool,
    pub tables_expected: usize,
    pub tables_found: usize,
    pub tables_matched: usize,
    pub records: Counts,
    pub grid: Counts,
    pub document: Fields,
    pub indicators: Counts,
    pub tables: Vec<TableReport>,
    /// Grid counts of output tables paired with no truth table, by their kind.
    #[serde(skip)]
    unmatched_output: Vec<(String, Counts)>,
    #[serde(skip)]
    record_tuples: (Vec<RecordTuple>, Vec<RecordTuple>),
}

fn indicator_tuples(d: &Document) -> Vec<[String; 5]> {
    let o = |s: &Option<String>| s.as_deref().map(name_key).unwrap_or_default();
    d.performance
        .iter()
        .flat_map(|p| {
            p.indicators.iter().map(move |i| {
                [
                    o(&p.project),
                    o(&i.level1),
                    o(&i.level2),
                    name_key(&i.name),
                    o(&i.target),
                ]
            })
        })
        .collect()
}

fn fields(out: &DocumentInfo, truth: &DocumentInfo) -> Fields {
    let same =
        |a: &Option<String>, b: &Option<String>| a.as_deref().map(norm) == b.as_deref().map(norm);
    Fields {
        entity: same(&out.entity, &truth.entity),
        year: out.year == truth.year,
        kind: same(&out.kind, &truth.kind),
    }
}

/// Score one output document against its truth.
pub fn score_file(file: &str, out: &Document, truth: &Document, grids_only: bool) -> FileReport {
    let pairing = match_tables(&out.tables, &truth.tables, grids_only);
    let mut tables = Vec::new();
    let mut grid = Counts::default();
    // Hand-checked truth may record records only: no grid to score then.
    let gridless = truth
        .tables
        .iter()
        .all(|t| t.header.is_empty() && t.rows.is_empty());
    for (t, o) in truth.tables.iter().zip(&pairing) {
        let ot = o.and_then(|i| out.tables.get(i));
        let g = if gridless {
            Counts::default()
        } else {
            grid_counts(ot, Some(t))
        };
        grid.add(g);
        let records = compare(ot.map(record_tuples).unwrap_or_default(), record_tuples(t));
        tables.push(TableReport {
            kind: t.kind.clone(),
            title: t.title.clone(),
            pages: t.pages.clone(),
            output: *o,
            records,
            grid: g,
        });
    }
    let used: BTreeSet<usize> = pairing.iter().flatten().copied().collect();
    let mut unmatched_output = Vec::new();
    for (i, o) in out.tables.iter().enumerate() {
        if !used.contains(&i) {
            let g = if gridless {
                Counts::default()
            } else {
                grid_counts(Some(o), None)
            };
            grid.add(g);
            unmatched_output.push((o.kind.clone(), g));
        }
    }
    let found: Vec<RecordTuple> = out.tables.iter().flat_map(record_tuples).collect();
    let expected: Vec<RecordTuple> = truth.tables.iter().flat_map(record_tuples).collect();
    FileReport {
        file: file.to_string(),
        missing: false,
        tables_expected: truth.tables.len(),
        tables_found: out.tables.len(),
        tables_matched: used.len(),
        records: compare(found.clone(), expected.clone()),
        grid,
        document: fields(&out.document, &truth.document),
        indicators: compare(indicator_tuples(out), indicator_tuples(truth)),
        tables,
        unmatched_output,
        record_tuples: (found, expected),
    }
}

/// Totals over files, and per truth table kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub missing: usize,
    pub tables_expected: usize,
    pub tables_found: usize,
    pub tables_matched: usize,
    pub records: Counts,
    pub grid: Counts,
    /// Mean of the per-table grid F1 over truth tables (a missed table scores 0).
    pub grid_f1_mean: f64,
    pub entity_right: usize,
    pub year_right: usize,
    pub kind_right: usize,
    pub indicators: Counts,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct KindSummary {
    pub tables_expected: usize,
    pub tables_matched: usize,
    pub records: Counts,
    pub grid: Counts,
    pub grid_f1_mean: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub grids_only: bool,
    pub files: Vec<FileReport>,
    pub kinds: BTreeMap<String, KindSummary>,
    pub overall: Summary,
    /// Output files with no truth beside them (not scored).
    pub extra_outputs: usize,
}

pub fn summarise(files: Vec<FileReport>, grids_only: bool, extra_outputs: usize) -> Report {
    let mut s = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let mut kinds: BTreeMap<String, KindSummary> = BTreeMap::new();
    let mut f1_sum = 0.0;
    let mut kind_f1: BTreeMap<String, f64> = BTreeMap::new();
    for f in &files {
        s.missing += usize::from(f.missing);
        s.tables_expected += f.tables_expected;
        s.tables_found += f.tables_found;
        s.tables_matched += f.tables_matched;
        s.records.add(f.records);
        s.grid.add(f.grid);
        s.entity_right += usize::from(f.document.entity);
        s.year_right += usize::from(f.document.year);
        s.kind_right += usize::from(f.document.kind);
        s.indicators.add(f.indicators);
        for t in &f.tables {
            let k = kinds.entry(t.kind.clone()).or_default();
            k.tables_expected += 1;
            k.tables_matched += usize::from(t.output.is_some());
            k.grid.add(t.grid);
            f1_sum += t.grid.f1();
            *kind_f1.entry(t.kind.clone()).or_default() += t.grid.f1();
        }
        for (kind, g) in &f.unmatched_output {
            if let Some(k) = kinds.get_mut(kind) {
                k.grid.add(*g);
            }
        }
        // Records per kind from the file's tuples, independent of pairing.
        let (found, expected) = &f.record_tuples;
        let kinds_here: BTreeSet<&String> = expected.iter().map(|t| &t.0).collect();
        for kind in kinds_here {
            let pick = |v: &Vec<RecordTuple>| {
                v.iter()
                    .filter(|t| &t.0 == kind)
                    .cloned()
                    .collect::<Vec<_>>()
            };
            if let Some(k) = kinds.get_mut(kind) {
                k.records.add(compare(pick(found), pick(expected)));
            }
        }
    }
    s.grid_f1_mean = if s.tables_expected == 0 {
        1.0
    } else {
        f1_sum / s.tables_expected as f64
    };
    for (kind, k) in kinds.iter_mut() {
        k.grid_f1_mean =
            kind_f1.get(kind).copied().unwrap_or(0.0) / k.tables_expected.max(1) as f64;
    }
    Report {
        grids_only,
        files,
        kinds,
        overall: s,
        extra_outputs,
    }
}

fn json_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for e in entries {
            let path = e?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "json") {
                if let Ok(rel) = path.strip_prefix(root) {
                    out.push(rel.to_path_buf());
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

fn empty_document() -> Document {
    Document {
        schema: SCHEMA_ID.into(),
        source: Source {
            file: String::new(),
            sha256: String::new(),
            format: "pdf".into(),
            pages: 0,
            partial: false,
            ocr_pages: Vec::new(),
        },
        document: DocumentInfo::default(),
        tables: Vec::new(),
        performance: Vec::new(),
        sections: Vec::new(),
        checks: Vec::new(),
        diagnostics: Vec::new(),
    }
}

fn load(path: &Path) -> Result<Document> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    complete_truth(&mut v);
    serde_json::from_value(v)
        .with_context(|| format!("{} is not a gongkai/1 document", path.display()))
}

/// Hand-checked truth (../shared/real/truth) records only what it checks:
/// no grids, no checks, no `format`. The parts it leaves out are filled
/// empty, so such a file scores like a gongkai document whose grids are
/// unknown (its grid measure is then vacuous, its records count in full).
fn complete_truth(v: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let Some(doc) = v.as_object_mut() else { return };
    let defaults = [
        ("schema", json!(SCHEMA_ID)),
        ("document", json!({})),
        ("tables", json!([])),
        ("performance", json!([])),
        ("sections", json!([])),
        ("checks", json!([])),
        ("diagnostics", json!([])),
    ];
    for (k, d) in defaults {
        doc.entry(k).or_insert(d);
    }
    if let Some(src) = doc.get_mut("source").and_then(Value::as_object_mut) {
        let format = match src.get("file").and_then(Value::as_str) {
            Some(f) if !f.to_ascii_lowercase().ends_with(".pdf") => "text",
            _ => "pdf",
        };
        src.entry("format").or_insert(json!(format));
        src.entry("sha256").or_insert(json!(""));
        src.entry("pages").or_insert(json!(0));
        src.entry("file").or_insert(json!(""));
    } else {
        doc.insert(
            "source".into(),
            json!({"file": "", "sha256": "", "format": "pdf", "pages": 0}),
        );
    }
    let Some(tables) = doc.get_mut("tables").and_then(Value::as_array_mut) else {
        return;
    };
    for t in tables.iter_mut().filter_map(Value::as_object_mut) {
        for (k, d) in [
            ("title", Value::Null),
            ("number", Value::Null),
            ("unit", Value::Null),
            ("pages", json!([])),
            ("header", json!([])),
            ("columns", json!([])),
            ("rows", json!([])),
            ("records", json!([])),
            ("repairs", json!([])),
        ] {
            t.entry(k).or_insert(d);
        }
    }
}

/// The output for a truth file: at the same relative path, else the
/// output `convert` writes for the truth's source (`X.json` describes
/// `X.pdf`, written as `X.pdf.json`), found by file name anywhere in OUT.
fn output_for(out_root: &Path, out_files: &[PathBuf], rel: &Path, truth: &Document) -> PathBuf {
    let direct = out_root.join(rel);
    if direct.exists() {
        return direct;
    }
    let mut names: Vec<String> = Vec::new();
    if let Some(f) = Path::new(&truth.source.file).file_name() {
        names.push(format!("{}.json", f.to_string_lossy()));
    }
    if let Some(stem) = rel.file_stem() {
        names.push(format!("{}.pdf.json", stem.to_string_lossy()));
    }
    for n in names {
        if let Some(p) = out_files
            .iter()
            .find(|p| p.file_name().is_some_and(|f| f.to_string_lossy() == n))
        {
            return out_root.join(p);
        }
    }
    direct
}

pub fn run(args: EvalArgs) -> Result<u8> {
    if !args.truth.is_dir() {
        bail!(
            "{} is not a directory; give the folder of truth JSON (e.g. samples/truth)",
            args.truth.display()
        );
    }
    // A mistyped output directory would score as all zeros and exit 0.
    if !args.output.is_dir() {
        bail!(
            "{} is not a directory; give the directory `gongkai convert -o` wrote",
            args.output.display()
        );
    }
    let truth_files = json_files(&args.truth)?;
    if truth_files.is_empty() {
        bail!("no truth JSON in {}", args.truth.display());
    }
    let out_files = json_files(&args.output)?;
    let mut files = Vec::new();
    let mut paired: BTreeSet<PathBuf> = BTreeSet::new();
    for rel in &truth_files {
        let truth = load(&args.truth.join(rel))?;
        let out_path = output_for(&args.output, &out_files, rel, &truth);
        if let Ok(p) = out_path.strip_prefix(&args.output) {
            paired.insert(p.to_path_buf());
        }
        let name = rel.to_string_lossy().replace('\\', "/");
        let (out, missing) = if out_path.exists() {
            match load(&out_path) {
                Ok(d) => (d, false),
                Err(e) => {
                    eprintln!("gongkai eval: {e:#}; scored as empty");
                    (empty_document(), true)
                }
            }
        } else {
            (empty_document(), true)
        };
        let mut r = score_file(&name, &out, &truth, args.grids_only);
        r.missing = missing;
        files.push(r);
    }
    let extra = out_files
        .iter()
        .filter(|p| !paired.contains(*p) && !p.to_string_lossy().starts_with("index"))
        .count();
    let report = summarise(files, args.grids_only, extra);
    // Written, not printed: `println!` panics on a closed pipe, where a
    // write error lets main end quietly (`gongkai eval … | head`).
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", render(&report, args.summary))?;
    }
    out.flush()?;
    Ok(0)
}

/// Precision, recall and F1, or `n/a` where there was nothing to score
/// (hand-checked truth that records no grids): a vacuous 1.000 would read as
/// a perfect grid.
fn prf(c: &Counts) -> String {
    if c.vacuous() {
        return "n/a".into();
    }
    format!(
        "P {:.3} R {:.3} F1 {:.3}",
        c.precision(),
        c.recall(),
        c.f1()
    )
}

fn f1_or_na(c: &Counts) -> String {
    mean_or_na(c, c.f1())
}

/// A figure over grids, or `n/a` when no grid was scored.
fn mean_or_na(c: &Counts, v: f64) -> String {
    if c.vacuous() {
        "n/a".into()
    } else {
        format!("{v:.3}")
    }
}

/// The text report: a line per file and per table, then per kind and overall.
pub fn render(r: &Report, summary_only: bool) -> String {
    let mut s = String::new();
    let ok = |b: bool| if b { "ok" } else { "WRONG" };
    if !summary_only {
        for f in &r.files {
            s += &format!(
                "file {}{}  tables {}/{} (found {})  grid {}",
                f.file,
                if f.missing { " [no output]" } else { "" },
                f.tables_matched,
                f.tables_expected,
                f.tables_found,
                prf(&f.grid)
            );
            if !r.grids_only {
                s += &format!(
                    "  records {}  entity {} year {} kind {}  indicators {}",
                    prf(&f.records),
                    ok(f.document.entity),
                    ok(f.document.year),
                    ok(f.document.kind),
                    prf(&f.indicators)
                );
            }
            s.push('\n');
            for t in &f.tables {
                let pages = t
                    .pages
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                s += &format!(
                    "  table {:<34} p{:<6} {}",
                    t.kind,
                    pages,
                    t.title.as_deref().unwrap_or("-")
                );
                match t.output {
                    None => s += "  MISSING\n",
                    Some(i) => {
                        s += &format!("  -> #{i}  grid F1 {}", f1_or_na(&t.grid));
                        if !r.grids_only {
                            s += &format!("  records F1 {:.3}", t.records.f1());
                        }
                        s.push('\n');
                    }
                }
            }
        }
    }
    for (kind, k) in &r.kinds {
        s += &format!(
            "kind {:<34} tables {}/{}  grid {} (mean F1 {})",
            kind,
            k.tables_matched,
            k.tables_expected,
            prf(&k.grid),
            mean_or_na(&k.grid, k.grid_f1_mean)
        );
        if !r.grids_only {
            if k.records.vacuous() {
                // e.g. tables printed empty (本表无数据): no values to score
                s += "  records -";
            } else {
                s += &format!("  records {}", prf(&k.records));
            }
        }
        s.push('\n');
    }
    let o = &r.overall;
    s += &format!(
        "overall files {}{}  tables {}/{} (found {})  grid {} (mean table F1 {})",
        o.files,
        if o.missing > 0 {
            format!(" ({} without output)", o.missing)
        } else {
            String::new()
        },
        o.tables_matched,
        o.tables_expected,
        o.tables_found,
        prf(&o.grid),
        mean_or_na(&o.grid, o.grid_f1_mean)
    );
    if !r.grids_only {
        s += &format!(
            "  records {}  document entity {}/{} year {}/{} kind {}/{}  indicators {}",
            prf(&o.records),
            o.entity_right,
            o.files,
            o.year_right,
            o.files,
            o.kind_right,
            o.files,
            prf(&o.indicators)
        );
    }
    s.push('\n');
    if r.extra_outputs > 0 {
        s += &format!(
            "({} output files have no truth and were not scored)\n",
            r.extra_outputs
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_normalize::schema::{Indicator, PerformanceSheet, Record};

    fn samples_truth() -> Vec<(String, Document)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/truth");
        let files = json_files(&dir).unwrap();
        assert!(files.len() >= 18, "expected the committed sample truth");
        files
            .iter()
            .map(|rel| {
                (
                    rel.to_string_lossy().into_owned(),
                    load(&dir.join(rel)).unwrap(),
                )
            })
            .collect()
    }

    fn record(code: Option<&str>, name: &str, values: &[(&str, f64)]) -> Record {
        Record {
            side: None,
            code: code.map(String::from),
            name: Some(name.into()),
            level: None,
            values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    fn small_doc() -> Document {
        let mut d = empty_document();
        d.document = DocumentInfo {
            entity: Some("长治市工业和信息化局".into()),
            year: Some(2025),
            kind: Some("budget".into()),
            title: None,
        };
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        d.tables.push(Table {
            kind: "budget_expenditure".into(),
            kind_source: "title".into(),
            taxonomy: None,
            title: Some("2025年预算支出总表".into()),
            title_normalized: None,
            number: None,
            pages: vec![3],
            unit: Some("万元".into()),
            header: vec![s(&["科目编码", "科目名称", "合计"])],
            columns: s(&["科目编码", "科目名称", "合计"]),
            rows: vec![
                s(&["201", "一般公共服务支出", "10.00"]),
                s(&["20101", "人大事务", "10.00"]),
            ],
            records: vec![
                record(Some("201"), "一般公共服务支出", &[("合计", 10.0)]),
                record(Some("20101"), "人大事务", &[("合计", 10.0)]),
            ],
            repairs: vec![],
            ocr: false,
        });
        d.performance.push(PerformanceSheet {
            kind: "performance_target".into(),
            pages: vec![9],
            project: Some("内审经费".into()),
            department: None,
            implementer: None,
            funds: BTreeMap::new(),
            funds_unit: None,
            fields: BTreeMap::new(),
            goals: BTreeMap::new(),
            indicators: ["监管企业户数", "内审工作完成质量"]
                .iter()
                .map(|n| Indicator {
                    period: None,
                    level1: Some("产出指标".into()),
                    level2: Some("数量指标".into()),
                    name: n.to_string(),
                    target: Some("164户".into()),
                    actual: None,
                    score: None,
                    weight: None,
                })
                .collect(),
        });
        d
    }

    fn all_one(r: &FileReport) {
        assert_eq!(r.records.f1(), 1.0, "{}", r.file);
        assert_eq!(r.grid.f1(), 1.0, "{}", r.file);
        assert_eq!(r.indicators.f1(), 1.0, "{}", r.file);
        assert_eq!(r.tables_matched, r.tables_expected, "{}", r.file);
        assert!(
            r.document.entity && r.document.year && r.document.kind,
            "{}",
            r.file
        );
        for t in &r.tables {
            assert_eq!(t.grid.f1(), 1.0, "{} {}", r.file, t.kind);
            assert_eq!(t.records.f1(), 1.0, "{} {}", r.file, t.kind);
        }
    }

    #[test]
    fn truth_against_itself_scores_one_everywhere() {
        let docs = samples_truth();
        let mut reports = Vec::new();
        for (name, d) in &docs {
            let r = score_file(name, d, d, false);
            assert!(r.records.expected > 0 && r.grid.expected > 0);
            all_one(&r);
            reports.push(r);
        }
        let rep = summarise(reports, false, 0);
        let o = &rep.overall;
        assert_eq!(
            (o.records.f1(), o.grid.f1(), o.grid_f1_mean),
            (1.0, 1.0, 1.0)
        );
        assert_eq!(o.indicators.f1(), 1.0);
        assert!(
            o.indicators.expected > 0,
            "the samples carry performance sheets"
        );
        assert_eq!(
            (o.entity_right, o.year_right, o.kind_right),
            (o.files, o.files, o.files)
        );
        for (kind, k) in &rep.kinds {
            assert_eq!(
                (k.records.f1(), k.grid.f1(), k.tables_matched),
                (1.0, 1.0, k.tables_expected),
                "{kind}"
            );
        }
        // grids-only pairing (kind-agnostic) finds the same pairs
        for (name, d) in &docs {
            all_one(&score_file(name, d, d, true));
        }
    }

    #[test]
    fn sample_truth_has_the_contract_shape() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root.join("schema/gongkai-1.schema.json")).unwrap(),
        )
        .unwrap();
        let dir = root.join("samples/truth");
        for rel in json_files(&dir).unwrap() {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(&rel)).unwrap()).unwrap();
            let errors = gongkai_normalize::validate::validate(&schema, &v);
            assert!(
                errors.is_empty(),
                "{}: {:?}",
                rel.display(),
                &errors[..errors.len().min(5)]
            );
            // every truth names an existing sample PDF with its hash
            let pdf = root
                .join("samples")
                .join(rel.to_string_lossy().trim_end_matches(".json"));
            let bytes = std::fs::read(&pdf).unwrap();
            let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&bytes));
            assert_eq!(v["source"]["sha256"], sha, "{}", pdf.display());
        }
    }

    #[test]
    fn empty_output_scores_zero() {
        let empty = empty_document();
        let mut docs = samples_truth();
        docs.truncate(3);
        docs.push(("small".to_string(), small_doc()));
        for (name, d) in &docs {
            let r = score_file(name, &empty, d, false);
            assert_eq!(
                (r.records.precision(), r.records.recall(), r.records.f1()),
                (0.0, 0.0, 0.0)
            );
            assert_eq!(r.grid.f1(), 0.0);
            if !d.performance.is_empty() {
                assert_eq!(r.indicators.f1(), 0.0);
            }
            assert_eq!(r.tables_matched, 0);
            assert!(!r.document.entity && !r.document.year && !r.document.kind);
            let rep = summarise(vec![r], false, 0);
            assert_eq!(rep.overall.grid_f1_mean, 0.0);
        }
    }

    #[test]
    fn perturbed_output_scores_in_between() {
        let truth = small_doc();
        let mut out = small_doc();
        // one value wrong in grid and records, one indicator target wrong, year wrong
        out.tables[0].rows[1][2] = "11.00".into();
        out.tables[0].records[1].values.insert("合计".into(), 11.0);
        out.performance[0].indicators[1].target = Some("165户".into());
        out.document.year = Some(2024);
        let r = score_file("small", &out, &truth, false);
        // 2 value tuples, 1 right
        assert_eq!(
            r.records,
            Counts {
                matched: 1,
                found: 2,
                expected: 2
            }
        );
        assert_eq!(r.records.f1(), 0.5);
        // 12 relations (6 across, 6 down); the changed cell spoils
        // (人大事务→10.00 across) and (10.00↓10.00 down)
        assert_eq!(
            r.grid,
            Counts {
                matched: 10,
                found: 12,
                expected: 12
            }
        );
        assert!((r.grid.f1() - 10.0 / 12.0).abs() < 1e-12);
        assert_eq!(r.indicators.f1(), 0.5);
        assert!(r.document.entity && !r.document.year && r.document.kind);

        // an extra, unmatched output table lowers precision only
        let mut extra = truth.clone();
        let mut t = truth.tables[0].clone();
        t.kind = "unknown".into();
        t.pages = vec![7];
        t.title = None;
        extra.tables.push(t);
        let r = score_file("small", &extra, &truth, false);
        assert_eq!(
            r.grid,
            Counts {
                matched: 12,
                found: 24,
                expected: 12
            }
        );
        assert_eq!((r.tables_found, r.tables_matched), (2, 1));
        assert_eq!(r.records.recall(), 1.0);
        assert!(r.records.precision() < 1.0);
    }

    #[test]
    fn names_compare_without_enumerators_width_or_spaces() {
        assert_eq!(
            name_key("（一）一般 公共服务支出"),
            name_key("(一)一般公共服务支出")
        );
        assert_eq!(name_key("一、一般公共预算"), name_key("一般公共预算"));
        assert_eq!(name_key("①公务用车购置费"), "公务用车购置费");
        let truth = small_doc();
        let mut out = small_doc();
        out.tables[0].records[0].code = None;
        out.tables[0].records[0].name = Some("一般公共服务支出".into());
        let mut t2 = truth.clone();
        t2.tables[0].records[0].code = None;
        t2.tables[0].records[0].name = Some("一、一般公共服务支出".into());
        assert_eq!(score_file("x", &out, &t2, false).records.f1(), 1.0);
    }

    #[test]
    fn gridless_truth_prints_no_grid_score() {
        let out = small_doc();
        let mut truth = small_doc();
        for t in &mut truth.tables {
            t.header.clear();
            t.rows.clear();
        }
        let text = render(
            &summarise(vec![score_file("x", &out, &truth, false)], false, 0),
            false,
        );
        assert!(text.contains("grid n/a"), "{text}");
        assert!(text.contains("grid F1 n/a"), "{text}");
        assert!(text.contains("(mean table F1 n/a)"), "{text}");
        assert!(!text.contains("grid P 1.000"), "{text}");
        // With grids in the truth the figures are printed.
        let text = render(
            &summarise(vec![score_file("x", &out, &small_doc(), false)], false, 0),
            false,
        );
        assert!(text.contains("grid P 1.000 R 1.000 F1 1.000"), "{text}");
    }

    #[test]
    fn relations_skip_empty_cells() {
        let mut t = small_doc().tables.remove(0);
        t.header = vec![];
        t.rows = vec![
            vec!["a".into(), "".into(), "b".into()],
            vec!["".into(), "c".into(), "".into()],
        ];
        let rel = relations(&t);
        assert_eq!(rel, vec![("a".to_string(), "b".to_string(), false)]);
    }

    #[test]
    fn kinds_decide_pairs_unless_grids_only() {
        let truth = small_doc();
        let mut out = small_doc();
        out.tables[0].kind = "unknown".into();
        let r = score_file("x", &out, &truth, false);
        assert_eq!(r.tables_matched, 0);
        assert_eq!(r.grid.matched, 0);
        let r = score_file("x", &out, &truth, true);
        assert_eq!(r.tables_matched, 1);
        assert_eq!(r.grid.f1(), 1.0);
        // kind-agnostic pairing needs a shared page or title
        out.tables[0].pages = vec![99];
        out.tables[0].title = None;
        assert_eq!(score_file("x", &out, &truth, true).tables_matched, 0);
    }

    #[test]
    fn run_reads_directories_and_reports_missing_outputs() {
        let base = std::env::temp_dir().join(format!("gongkai-eval-test-{}", std::process::id()));
        let (truth_dir, out_dir) = (base.join("truth"), base.join("out"));
        std::fs::create_dir_all(truth_dir.join("sub")).unwrap();
        std::fs::create_dir_all(out_dir.join("sub")).unwrap();
        let d = small_doc();
        let js = serde_json::to_string(&d).unwrap();
        std::fs::write(truth_dir.join("sub/a.pdf.json"), &js).unwrap();
        std::fs::write(truth_dir.join("b.pdf.json"), &js).unwrap();
        std::fs::write(out_dir.join("sub/a.pdf.json"), &js).unwrap();
        let code = run(EvalArgs {
            output: out_dir.clone(),
            truth: truth_dir.clone(),
            json: true,
            grids_only: false,
            summary: false,
        })
        .unwrap();
        assert_eq!(code, 0);
        let files: Vec<FileReport> = json_files(&truth_dir)
            .unwrap()
            .iter()
            .map(|rel| {
                let out = out_dir.join(rel);
                let o = if out.exists() {
                    load(&out).unwrap()
                } else {
                    empty_document()
                };
                score_file(
                    &rel.to_string_lossy(),
                    &o,
                    &load(&truth_dir.join(rel)).unwrap(),
                    false,
                )
            })
            .collect();
        let rep = summarise(files, false, 0);
        assert_eq!(
            rep.overall.records,
            Counts {
                matched: 2,
                found: 2,
                expected: 4
            }
        );
        let text = render(&rep, false);
        assert!(text.contains("overall files 2"));
        assert!(text.contains("MISSING"));
        std::fs::remove_dir_all(&base).unwrap();
    }
}
