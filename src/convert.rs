//! `gongkai convert`: a folder of disclosures in, one JSON per input and an
//! index out. Built for thousands of files, some broken: a rayon pool runs the
//! files, largest first; each file runs isolated (its own thread, panics caught, a deadline,
//! extract limits) so one bad file is a record in the index, not a dead run;
//! input bytes in flight are bounded so memory stays flat; every output is
//! written atomically and outputs already current are skipped, so a killed run
//! resumes where it stopped; `--shard K/N` splits a corpus across machines.

mod budget;
pub(crate) mod index;

use crate::cli::ConvertArgs;
use anyhow::{anyhow, bail, Context, Result};
use budget::{ByteBudget, Permit};
use gongkai::discover::{self, Input, Shard};
use gongkai::isolate::{self, CONVERT_STAGE};
use gongkai::pipeline;
use gongkai_extract::Options;
use gongkai_normalize::schema;
use index::{Appender, Entry, Status};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub fn run(args: ConvertArgs) -> Result<u8> {
    let jobs = match args.jobs {
        Some(0) => bail!("-j/--jobs must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let settings = crate::cli::user_settings(args.settings.as_deref(), &args.limits)?;
    let shard = args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(|e| anyhow!(e))?;
    for input in &args.inputs {
        // A dangling symlink named here is an input (reported in the index).
        if std::fs::symlink_metadata(input).is_err() {
            bail!("input {} does not exist; check the path", input.display());
        }
    }
    if args.output.exists() && !args.output.is_dir() {
        bail!(
            "output {} is a file, not a directory; give -o a directory (it is created when missing)",
            args.output.display()
        );
    }
    let found = discover::discover(&args.inputs, Some(&args.output))?;
    if found.is_empty() {
        let named: Vec<String> = args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        bail!(
            "no .pdf or .txt files in {}; give files, or directories holding them",
            named.join(", ")
        );
    }
    std::fs::create_dir_all(&args.output).with_context(|| {
        format!(
            "cannot create the output directory {}; give -o a directory you can write",
            args.output.display()
        )
    })?;
    // Temporary files of runs killed before they could rename them.
    let swept = index::sweep_stale_temps(&args.output);
    if !swept.is_empty() {
        eprintln!(
            "gongkai: removed {} temporary file(s) left in {} by an interrupted run",
            swept.len(),
            args.output.display()
        );
    }
    let found_count = found.len();
    let inputs: Vec<Input> = match shard {
        Some(s) => found.into_iter().filter(|i| s.contains(&i.key)).collect(),
        None => found,
    };
    // Shards may share one output directory, so each keeps its own index.
    let index_path = args.output.join(match shard {
        Some(s) => format!("index-{}-of-{}.jsonl", s.k, s.n),
        None => "index.jsonl".into(),
    });
    let previous = index::load(&index_path);
    let appender = Mutex::new(Appender::open(&index_path)?);

    let ctx = Ctx {
        out: args.output.clone(),
        force: args.force,
        stamp: settings.stamp(),
        opts: Options {
            limits: settings.limits,
            ocr: args.ocr.mode()?,
            ..Options::default()
        },
        tables: settings.tables,
        timeout: Duration::from_secs_f64(args.timeout.min(1e9)),
        budget: ByteBudget::new(args.inflight_mb.saturating_mul(1 << 20)),
        previous,
        fault: Fault::from_env(),
        review: args.review.clone(),
    };
    // No more workers than inputs.
    let jobs = jobs.min(inputs.len().max(1));
    let progress = Progress::new(inputs.len() as u64, found_count, shard, jobs);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("gongkai-worker-{i}"))
        .build()
        .context("cannot start worker threads")?;
    // Largest files first, each worker taking the next from one queue: a big
    // file started last would leave the other workers idle at the end.
    let mut order: Vec<(u64, usize)> = inputs
        .iter()
        .enumerate()
        .map(|(i, inp)| (std::fs::metadata(&inp.path).map_or(0, |m| m.len()), i))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Outcome>>> = inputs.iter().map(|_| Mutex::new(None)).collect();
    pool.scope(|s| {
        for _ in 0..jobs {
            s.spawn(|_| {
                while let Some(&(_, i)) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let Some(input) = inputs.get(i) else { break };
                    let outcome = convert_one(&ctx, input);
                    let mut app = appender.lock().unwrap_or_else(|e| e.into_inner());
                    if let Err(e) = app.append(&outcome.entry) {
                        progress.note(&format!("cannot append to the index: {e:#}"));
                    }
                    drop(app);
                    if let Some(why) = &outcome.drawing_failed {
                        progress.note(&format!(
                            "{}: review pages not drawn during conversion ({why}); the review draws them",
                            input.key
                        ));
                    }
                    progress.done(&outcome);
                    if let Some(slot) = slots.get(i) {
                        *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
                    }
                }
            });
        }
    });
    // Back in input (path) order.
    let outcomes: Vec<Outcome> = slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    let this_run: BTreeMap<String, Entry> = outcomes
        .iter()
        .map(|o| (o.entry.path.clone(), o.entry.clone()))
        .collect();
    // Earlier runs into the same folder stay in the index (a shard's index
    // keeps only that shard's inputs).
    let entries = index::merge(&args.output, &ctx.previous, this_run, shard.is_none());
    index::rewrite(&index_path, &entries)?;
    progress.finish(&outcomes, &index_path, entries.len());
    let failed = outcomes.iter().any(|o| o.entry.status == Status::Error);
    if let Some(site) = args.review {
        crate::review::run(crate::cli::ReviewArgs {
            dir: args.output.clone(),
            output: site,
            source: source_roots(&args.inputs),
            settings: args.settings.clone(),
        })?;
    }
    Ok(u8::from(failed))
}

/// The folders `source.file` is relative to: each input folder, and the
/// folder of each input file.
fn source_roots(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = inputs
        .iter()
        .map(|i| {
            if i.is_dir() {
                i.clone()
            } else {
                i.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        })
        .collect();
    roots.dedup();
    roots
}

/// What every file's conversion shares.
struct Ctx {
    out: PathBuf,
    force: bool,
    opts: Options,
    /// The table stage's settings.
    tables: gongkai_tables::Settings,
    /// The stamp of all settings in force, recorded in each output and index line.
    stamp: String,
    timeout: Duration,
    budget: ByteBudget,
    /// The index of earlier runs (merged into this run's; timings of skipped files).
    previous: BTreeMap<String, Entry>,
    fault: Fault,
    /// The review site whose page drawings are made during conversion.
    review: Option<PathBuf>,
}

/// The result of one input.
struct Outcome {
    entry: Entry,
    /// Output was current; nothing was converted.
    skipped: bool,
    /// Why the review drawing of the file failed (it is drawn again by the review).
    drawing_failed: Option<String>,
}

/// Convert one input, whatever happens: the result is always an entry, and
/// (unless even writing failed) an output JSON.
fn convert_one(ctx: &Ctx, input: &Input) -> Outcome {
    let mut outcome = convert_or_skip(ctx, input);
    if input.output_shortened() {
        outcome.entry.note = Some(format!(
            "output name shortened: {}.json would be longer than the file system's {} bytes",
            input.key,
            gongkai::discover::NAME_MAX
        ));
    }
    outcome
}

fn convert_or_skip(ctx: &Ctx, input: &Input) -> Outcome {
    let start = Instant::now();
    let output_rel = input.output_rel();
    let output_key = input.output_key();
    let output_path = ctx.out.join(&output_rel);
    let failed = |sha: String, msg: String| isolate::failed(&input.path, &input.key, sha, msg);

    // Only a regular file's size is trusted: a FIFO, a device or a dangling
    // link is refused by the bounded read below, with its own message.
    let size = std::fs::metadata(&input.path)
        .ok()
        .filter(|m| m.is_file())
        .map_or(0, |m| m.len());
    let max = ctx.opts.limits.max_file_bytes;
    if size > max {
        // Hash it without holding it in memory; never parse it.
        let sha = isolate::sha256_file(&input.path).unwrap_or_default();
        if let Some(o) = current(ctx, input, &output_path, &output_key, &sha) {
            return o;
        }
        let msg = gongkai_extract::ExtractError::TooLarge { size, limit: max }.to_string();
        let doc = failed(sha, msg);
        return finish(ctx, input, &output_path, &output_key, doc, start);
    }
    let permit = ctx.budget.acquire(size);
    let bytes = match gongkai_extract::read_regular(&input.path, max) {
        Ok(b) => b,
        Err(e) => {
            drop(permit);
            let doc = failed(String::new(), e.to_string());
            return finish(ctx, input, &output_path, &output_key, doc, start);
        }
    };
    let sha = gongkai::provenance::sha256_hex(&bytes);
    if let Some(o) = current(ctx, input, &output_path, &output_key, &sha) {
        return o;
    }
    let (doc, drawing_failed) = match run_isolated(ctx, input, bytes, sha.clone(), permit) {
        Ok(done) => done,
        Err(msg) => (failed(sha, msg), None),
    };
    let mut outcome = finish(ctx, input, &output_path, &output_key, doc, start);
    outcome.drawing_failed = drawing_failed;
    outcome
}

/// The skip outcome when the output JSON is current: written by this tool
/// version, with the same settings, from the same input bytes.
fn current(
    ctx: &Ctx,
    input: &Input,
    output: &Path,
    output_key: &str,
    sha: &str,
) -> Option<Outcome> {
    if ctx.force {
        return None;
    }
    let text = std::fs::read(output).ok()?;
    // The stamp first (cheap to check); the whole document only when current.
    // An output this build cannot read back is not current.
    #[derive(serde::Deserialize)]
    struct Stamp {
        source: Sha,
        tool: gongkai::provenance::Tool,
        /// Absent in outputs of builds before settings were stamped: those
        /// settings are unknown, so the output is not current.
        #[serde(default)]
        settings: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Sha {
        sha256: String,
    }
    let stamp: Stamp = serde_json::from_slice(&text).ok()?;
    if stamp.tool != gongkai::provenance::Tool::current()
        || stamp.source.sha256 != sha
        || stamp.settings.as_deref() != Some(ctx.stamp.as_str())
    {
        return None;
    }
    let doc: schema::Document = serde_json::from_slice(&text).ok()?;
    // A crash or a timeout may not happen again (a loaded machine, a fixed
    // bug): such files are retried; files that could not be read are not.
    if doc
        .diagnostics
        .iter()
        .any(|d| d.level == "error" && d.stage == CONVERT_STAGE)
    {
        return None;
    }
    // Read without OCR (or OCR failed) and OCR is asked for now: not current.
    let unread = |d: &schema::Diagnostic| {
        d.message.starts_with(gongkai_extract::ocr::NO_TEXT_LAYER)
            || d.message.starts_with(gongkai_extract::ocr::OCR_FAILED)
    };
    match ctx.opts.ocr {
        gongkai_extract::ocr::Mode::Never => {}
        gongkai_extract::ocr::Mode::Missing => {
            if doc.diagnostics.iter().any(unread) {
                return None;
            }
        }
        gongkai_extract::ocr::Mode::Always => {
            if doc.source.ocr_pages.len() < doc.source.pages as usize {
                return None;
            }
        }
    }
    let ms = ctx.previous.get(&input.key).map_or(0, |e| e.ms);
    Some(Outcome {
        entry: Entry {
            settings: Some(ctx.stamp.clone()),
            ..index::entry_from_doc(&input.key, output_key, &doc, ms)
        },
        skipped: true,
        drawing_failed: None,
    })
}

/// Write the output JSON and make the index entry.
fn finish(
    ctx: &Ctx,
    input: &Input,
    output: &Path,
    output_key: &str,
    doc: schema::Document,
    start: Instant,
) -> Outcome {
    let written = pipeline::output_json(&doc, &ctx.stamp)
        .map_err(anyhow::Error::from)
        .and_then(|bytes| index::write_atomic(output, &bytes));
    let ms = start.elapsed().as_millis() as u64;
    let mut entry = index::entry_from_doc(&input.key, output_key, &doc, ms);
    entry.settings = Some(ctx.stamp.clone());
    if let Err(e) = written {
        entry.status = Status::Error;
        entry.error = Some(format!("convert: {e:#}"));
    }
    Outcome {
        entry,
        skipped: false,
        drawing_failed: None,
    }
}

/// Run the pipeline isolated (`gongkai::isolate`), with this run's timeout,
/// memory permit and injected fault.
fn run_isolated(
    ctx: &Ctx,
    input: &Input,
    bytes: Vec<u8>,
    sha: String,
    permit: Permit,
) -> Result<(schema::Document, Option<String>), String> {
    let fault = ctx.fault.applies(&input.key);
    // Drawn unless the site already holds this source's current drawing.
    let draw = ctx.review.as_ref().and_then(|site| {
        let dir = site.join(gongkai::drawing::folder_for(&sha));
        gongkai::drawing::load(&dir, &sha, &ctx.tables)
            .is_none()
            .then_some(dir)
    });
    let run = isolate::Isolated {
        bytes,
        sha,
        path: input.path.clone(),
        key: input.key.clone(),
        draw,
    };
    isolate::run_isolated_drawing(
        run,
        &ctx.opts,
        &ctx.tables,
        ctx.timeout,
        permit,
        move || match fault {
            Some(FaultKind::Panic) => panic!("injected fault"),
            Some(FaultKind::Hang) => std::thread::sleep(Duration::from_secs(3600)),
            None => {}
        },
    )
}

/// Fault injection for the end-to-end tests of isolation:
/// `GONGKAI_FAULT=panic:NAME` or `hang:NAME` makes files whose path contains
/// NAME panic or hang inside their worker thread.
#[derive(Debug, Clone, Default)]
struct Fault {
    rules: Vec<(FaultKind, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FaultKind {
    Panic,
    Hang,
}

impl Fault {
    fn from_env() -> Fault {
        let spec = std::env::var("GONGKAI_FAULT").unwrap_or_default();
        let rules = spec
            .split(',')
            .filter_map(|r| {
                let (kind, name) = r.split_once(':')?;
                let kind = match kind {
                    "panic" => FaultKind::Panic,
                    "hang" => FaultKind::Hang,
                    _ => return None,
                };
                (!name.is_empty()).then(|| (kind, name.to_string()))
            })
            .collect();
        Fault { rules }
    }

    fn applies(&self, key: &str) -> Option<FaultKind> {
        self.rules
            .iter()
            .find(|(_, name)| key.contains(name.as_str()))
            .map(|(k, _)| *k)
    }
}

/// `1 input`, `2 inputs`.
fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Files of one status named in the summary; the index lists all.
const SUMMARY_LINES: usize = 20;

/// `warning a.pdf: normalize: 1 of 243 accounting checks failed`.
fn status_line(e: &Entry) -> String {
    format!(
        "{} {}: {}",
        e.status.word(),
        e.path,
        e.error.as_deref().unwrap_or("")
    )
}

/// Progress: a bar when stderr is a terminal, one log line per file otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    files: AtomicU64,
    pages: AtomicU64,
    start: Instant,
}

impl Progress {
    fn new(total: u64, found: usize, shard: Option<Shard>, jobs: usize) -> Progress {
        let what = match shard {
            Some(s) => format!(
                "{total} of {} (shard {}/{})",
                plural(found as u64, "input"),
                s.k,
                s.n
            ),
            None => plural(total, "input"),
        };
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files, {msg} (ETA {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            // The first frame shows counts, not an empty message.
            bar.set_message("0 pages");
            bar.println(format!(
                "gongkai: converting {what} with {}",
                plural(jobs as u64, "worker")
            ));
            Some(bar)
        } else {
            eprintln!(
                "gongkai: converting {what} with {}",
                plural(jobs as u64, "worker")
            );
            None
        };
        Progress {
            bar,
            total,
            files: AtomicU64::new(0),
            pages: AtomicU64::new(0),
            start: Instant::now(),
        }
    }

    fn note(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn done(&self, o: &Outcome) {
        let files = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        let converted_pages = if o.skipped { 0 } else { o.entry.pages };
        let pages = self.pages.fetch_add(converted_pages, Ordering::Relaxed) + converted_pages;
        let e = &o.entry;
        let status = if o.skipped {
            "current"
        } else {
            e.status.word()
        };
        match &self.bar {
            Some(bar) => {
                let secs = self.start.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!("{pages} pages, {:.1} pages/s", pages as f64 / secs));
                bar.inc(1);
                // Above the bar, as they happen: a line printed to stderr
                // directly would be drawn over by the next frame.
                if e.status != Status::Ok && !o.skipped {
                    bar.println(status_line(e));
                }
            }
            None => {
                let why = e
                    .error
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                // A current file took no time now; its index line keeps the
                // time of the run that converted it.
                let took = if o.skipped {
                    String::new()
                } else {
                    format!(", {} ms", e.ms)
                };
                eprintln!(
                    "[{files}/{}] {status} {} ({} pages{took}){why}",
                    self.total, e.path, e.pages
                );
            }
        }
    }

    fn finish(&self, outcomes: &[Outcome], index: &Path, indexed: usize) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let secs = self.start.elapsed().as_secs_f64();
        let count = |s: Status| outcomes.iter().filter(|o| o.entry.status == s).count();
        let skipped = outcomes.iter().filter(|o| o.skipped).count();
        let pages: u64 = outcomes
            .iter()
            .filter(|o| !o.skipped)
            .map(|o| o.entry.pages)
            .sum();
        let rate = if secs > 0.0 { pages as f64 / secs } else { 0.0 };
        eprintln!(
            "gongkai: {}: {} converted, {} current (skipped); {} ok, {} warning, {} error; \
             {pages} pages in {secs:.1} s ({rate:.1} pages/s)",
            plural(outcomes.len() as u64, "input"),
            outcomes.len() - skipped,
            skipped,
            count(Status::Ok),
            count(Status::Warning),
            count(Status::Error),
        );
        // The files to look at, errors first, each kind capped.
        for status in [Status::Error, Status::Warning] {
            let files: Vec<&Entry> = outcomes
                .iter()
                .map(|o| &o.entry)
                .filter(|e| e.status == status)
                .collect();
            for e in files.iter().take(SUMMARY_LINES) {
                eprintln!("  {}", status_line(e));
            }
            if files.len() > SUMMARY_LINES {
                eprintln!(
                    "  … and {} more {} (see the index)",
                    files.len() - SUMMARY_LINES,
                    status.word()
                );
            }
        }
        eprintln!("gongkai: index {} ({indexed} documents)", index.display());
    }
}
