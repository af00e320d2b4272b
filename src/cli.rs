//! Command-line arguments (clap). Each subcommand's options live here so
//! `--help` documents the whole tool in one place.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Chinese budget and final-account disclosures (PDF or text dumps) to normalised JSON"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert files or directories of PDFs and text dumps to JSON, one per input, plus an index.
    Convert(ConvertArgs),
    /// Show one stage's output for one file: glyphs, text lines, tables or the final JSON.
    Inspect(InspectArgs),
    /// Flatten the records of a converted directory into one CSV or JSON Lines file (the failed
    /// accounting checks go beside it, as <stem>.checks.csv or .checks.jsonl).
    Export(ExportArgs),
    /// Score converted JSON against truth JSON (record and grid F1).
    Eval(EvalArgs),
    /// Write a static review site of a converted directory: an index of documents and a page per
    /// document with each table beside its page picture, failed checks highlighted (opens from
    /// disk, no server).
    Review(ReviewArgs),
    /// Print every setting (table thresholds in points, extraction limits) with its meaning, unit
    /// and default, as TOML that `--settings FILE` reads back.
    Settings(SettingsArgs),
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Print the settings in force with this file applied (default: the defaults).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Input files or directories (searched recursively for .pdf and .txt).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output directory.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// Convert even inputs whose output is current.
    #[arg(long)]
    pub force: bool,
    /// Process only shard K of N (1-based), e.g. `--shard 3/10`.
    #[arg(long)]
    pub shard: Option<String>,
    /// Time budget per file in seconds; a file over it is recorded as an error.
    #[arg(long, default_value_t = gongkai::isolate::DEFAULT_TIMEOUT_SECS, value_name = "SECS")]
    pub timeout: f64,
    /// Input bytes in flight across workers, in MiB (a larger file runs alone).
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub inflight_mb: u64,
    /// Change an extraction limit, e.g. `--limit max_pages=20000` (repeatable). Limits:
    /// max_file_bytes, max_stream_bytes, max_operators_per_page, max_glyphs_per_page,
    /// max_xobject_depth, max_pages, max_line_bytes. A message about a limit names it.
    #[arg(long = "limit", value_name = "NAME=VALUE")]
    pub limits: Vec<String>,
    /// Also write the review site (as `gongkai review`) into DIR, drawing each converted PDF's
    /// table pages while they are in memory.
    #[arg(long, value_name = "DIR")]
    pub review: Option<PathBuf>,
    /// Read settings from this TOML file (as `gongkai settings` prints them; keys left out keep
    /// their defaults). `--limit` applies on top.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// OCR scanned pages with tesseract (chi_sim): `--ocr` reads the pages that have no text
    /// layer, `--ocr=always` every page (its own text replaced), `--ocr=never` none (the default).
    /// Needs Debian's tesseract-ocr and tesseract-ocr-chi-sim (and poppler-utils for pages that
    /// are not one JPEG or 8-bit image).
    #[arg(long, value_enum, value_name = "WHEN", num_args = 0..=1, require_equals = true,
          default_value = "never", default_missing_value = "missing")]
    pub ocr: OcrWhen,
}

/// Which pages `--ocr` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OcrWhen {
    /// Pages with images and no text layer (what `--ocr` alone means).
    Missing,
    /// Every page.
    Always,
    /// No page.
    Never,
}

impl OcrWhen {
    /// The extractor's mode; checks first that tesseract and its Chinese
    /// model are installed, so a run that asked for OCR cannot quietly
    /// give empty pages.
    pub fn mode(self) -> anyhow::Result<gongkai_extract::ocr::Mode> {
        use gongkai_extract::ocr::Mode;
        let mode = match self {
            OcrWhen::Missing => Mode::Missing,
            OcrWhen::Always => Mode::Always,
            OcrWhen::Never => Mode::Never,
        };
        if mode != Mode::Never {
            let lang = gongkai_extract::ocr::Settings::default().lang;
            gongkai_extract::ocr::tesseract::available(lang)
                .map_err(|e| anyhow::anyhow!("--ocr: {e}"))?;
        }
        Ok(mode)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Stage {
    /// Every glyph: text, box, font, size.
    Glyphs,
    /// Text lines in reading order.
    Lines,
    /// Table grids with title, pages and repairs.
    Tables,
    /// The normalised JSON document.
    Json,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The PDF or text dump to look at.
    pub file: PathBuf,
    /// Pages to show, e.g. `3,5-7` (default: all).
    #[arg(long)]
    pub pages: Option<String>,
    /// Which stage's output to print.
    #[arg(long, value_enum, default_value = "lines")]
    pub stage: Stage,
    /// Also draw one SVG per page into this directory.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// With `--stage tables`: print each table as its finder gave it, then
    /// after each step that changed it, with the step's name and repairs.
    #[arg(long)]
    pub steps: bool,
    /// Change an extraction limit, e.g. `--limit max_pages=20000` (repeatable). Limits:
    /// max_file_bytes, max_stream_bytes, max_operators_per_page, max_glyphs_per_page,
    /// max_xobject_depth, max_pages, max_line_bytes. A message about a limit names it.
    #[arg(long = "limit", value_name = "NAME=VALUE")]
    pub limits: Vec<String>,
    /// Read settings from this TOML file (as `gongkai settings` prints them; keys left out keep
    /// their defaults). `--limit` applies on top.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// OCR scanned pages with tesseract (chi_sim): `--ocr` reads the pages that have no text
    /// layer, `--ocr=always` every page (its own text replaced), `--ocr=never` none (the default).
    /// Needs Debian's tesseract-ocr and tesseract-ocr-chi-sim (and poppler-utils for pages that
    /// are not one JPEG or 8-bit image).
    #[arg(long, value_enum, value_name = "WHEN", num_args = 0..=1, require_equals = true,
          default_value = "never", default_missing_value = "missing")]
    pub ocr: OcrWhen,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A directory written by `gongkai convert`.
    pub dir: PathBuf,
    /// Write all records as one CSV (UTF-8 with BOM); the failed checks go beside it, to
    /// <stem>.checks.csv.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write all records as JSON Lines; the failed checks go beside it, to <stem>.checks.jsonl.
    #[arg(long)]
    pub jsonl: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Directory of converted JSON (as written by `convert`).
    pub output: PathBuf,
    /// Directory of truth JSON (`<relative path>.json`, as `convert` names its outputs).
    pub truth: PathBuf,
    /// Print the scores as one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
    /// Score table grids only, whatever their kind (for tools that find tables but not what they
    /// are, e.g. pdfplumber): tables are matched by page overlap and title.
    #[arg(long)]
    pub grids_only: bool,
    /// Print only the per-kind and overall lines, not a line per file and table.
    #[arg(long)]
    pub summary: bool,
}

/// The settings of a run: the defaults, then the `--settings` file, then each
/// `--limit NAME=VALUE`.
pub fn user_settings(
    file: Option<&std::path::Path>,
    assignments: &[String],
) -> anyhow::Result<gongkai::settings::UserSettings> {
    let mut settings = match file {
        Some(f) => gongkai::settings::UserSettings::from_file(f)?,
        None => gongkai::settings::UserSettings::default(),
    };
    for a in assignments {
        settings.limits.set(a).map_err(anyhow::Error::msg)?;
    }
    Ok(settings)
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// A directory written by `gongkai convert`.
    pub dir: PathBuf,
    /// Directory to write the site into (index.html, one page per document).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Where the converted inputs are (the folder given to `convert`; repeatable): `source.file`
    /// is relative to it. Pages are drawn from the source PDFs; without them the tables are still
    /// shown.
    #[arg(long, value_name = "DIR")]
    pub source: Vec<PathBuf>,
    /// The settings file the folder was converted with, so the cells drawn over each page are
    /// those the table stage found.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
}

/// A path given as one input file: it must exist and not be a directory.
/// The message says what to do.
pub fn one_file(path: &std::path::Path, what: &str) -> anyhow::Result<()> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "{} does not exist; check the path ({what} takes one PDF or text dump)",
            path.display()
        ),
        Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        Ok(m) if m.is_dir() => anyhow::bail!(
            "{} is a directory; {what} takes one PDF or text dump (`gongkai convert` takes directories)",
            path.display()
        ),
        Ok(_) => Ok(()),
    }
}

/// Parse a page list like `3,5-7` into sorted, de-duplicated 1-based numbers.
pub fn parse_pages(spec: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (part, part),
        };
        let a: u32 = a.parse().map_err(|_| format!("bad page number '{a}'"))?;
        let b: u32 = b.parse().map_err(|_| format!("bad page number '{b}'"))?;
        if a == 0 || b < a || b - a > 100_000 {
            return Err(format!("bad page range '{part}'"));
        }
        out.extend(a..=b);
    }
    out.sort_unstable();
    out.dedup();
    if out.is_empty() {
        return Err("empty page list".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_lists() {
        assert_eq!(parse_pages("3,5-7").unwrap(), vec![3, 5, 6, 7]);
        assert_eq!(parse_pages("2, 2,1").unwrap(), vec![1, 2]);
        assert!(parse_pages("0").is_err());
        assert!(parse_pages("5-3").is_err());
        assert!(parse_pages("x").is_err());
    }
}
