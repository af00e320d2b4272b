//! `gongkai export`: the records of every document in a converted directory as
//! one long table (one row per record and value column), for pandas, DuckDB,
//! R and Excel. CSV is UTF-8 with a BOM (so Excel reads the Chinese text) and
//! RFC 4180 quoting; JSON Lines carries the same rows typed. The failed
//! accounting checks go to a second file beside it (`<stem>.checks.csv`).
//! Order is deterministic: files by path, then tables, records and columns as
//! printed. Only documents `convert` wrote are read (by their `tool` stamp),
//! never another run nested inside, and each source file (by sha256) once.

use crate::cli::ExportArgs;
use anyhow::{bail, Context, Result};
use gongkai::flat::{check_rows, csv_line, record_rows, CHECK_COLUMNS, RECORD_COLUMNS};
use gongkai::outputs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Print at most this many lines of one kind of note, then a count.
const NOTE_LINES: usize = 10;

fn print_notes(notes: &[String]) {
    for n in notes.iter().take(NOTE_LINES) {
        eprintln!("gongkai: {n}");
    }
    if notes.len() > NOTE_LINES {
        eprintln!("gongkai: … and {} more like it", notes.len() - NOTE_LINES);
    }
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
        if target.is_dir() {
            bail!(
                "{} is a directory; give a file name, e.g. {}",
                target.display(),
                target.join("records.csv").display()
            );
        }
        // A mistyped directory is an error, not a tree created in silence.
        if !dir.is_dir() {
            bail!(
                "the directory of {} does not exist; create {} first or choose another path",
                target.display(),
                dir.display()
            );
        }
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
    if !args.dir.exists() {
        bail!(
            "{} does not exist; give the directory `gongkai convert -o` wrote",
            args.dir.display()
        );
    }
    if !args.dir.is_dir() {
        bail!(
            "{} is a file; give the directory `gongkai convert -o` wrote",
            args.dir.display()
        );
    }
    let (files, other_runs) = outputs::candidates(&args.dir)?;
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
    // The first document (by path) of each source file: a file converted
    // twice (copied under two names, or given from two folders) is one
    // document, exported once.
    let mut first = outputs::FirstOfEachSource::default();
    let mut duplicates = Vec::new();
    for path in &files {
        // Other JSON (not written by convert) is not ours to export.
        let Some(doc) = outputs::read_document(path) else {
            skipped += 1;
            continue;
        };
        let rel = |p: &Path| p.strip_prefix(&args.dir).unwrap_or(p).display().to_string();
        if let Some(earlier) = first.earlier(&doc, path) {
            duplicates.push(format!(
                "{} not exported: same source (sha256 {}) as {}",
                rel(path),
                doc.source.sha256.get(..12).unwrap_or(&doc.source.sha256),
                rel(&earlier)
            ));
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
    print_notes(&duplicates);
    if docs == 0 {
        eprintln!(
            "gongkai: warning: no documents written by `gongkai convert` in {}; the export is empty",
            args.dir.display()
        );
    }
    for dir in &other_runs {
        eprintln!(
            "gongkai: {} not exported: it is another convert run's output (it has its own index); export it on its own",
            dir.display()
        );
    }
    let ignored = if skipped > 0 {
        format!(" ({skipped} other JSON files ignored)")
    } else {
        String::new()
    };
    let dups = if duplicates.is_empty() {
        String::new()
    } else {
        format!(", {} duplicates left out", duplicates.len())
    };
    eprintln!(
        "gongkai: exported {records} rows from {docs} documents, {failed} failed checks{dups}{ignored}"
    );
    Ok(0)
}
