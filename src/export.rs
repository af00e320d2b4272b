//! `gongkai export`: the records of every document in a converted directory as
//! one long table (one row per record and value column), for pandas, DuckDB,
//! R and Excel. CSV is UTF-8 with a BOM (so Excel reads the Chinese text) and
//! RFC 4180 quoting; JSON Lines carries the same rows typed. The failed
//! accounting checks go to a second file beside it (`<stem>.checks.csv`).
//! Order is deterministic: files by path, then tables, records and columns as
//! printed.

use crate::cli::ExportArgs;
use anyhow::{bail, Context, Result};
use gongkai::flat::{
    check_rows, csv_line, document_files, parse_document, record_rows, CHECK_COLUMNS,
    RECORD_COLUMNS,
};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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
    let files = document_files(&args.dir)?;
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
        let Some(doc) = parse_document(&text) else {
            skipped += 1;
            continue;
        };
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
