//! `gongkai convert`: a folder of disclosures in, one JSON per input and an
//! index out. Built for thousands of files, some broken: a rayon pool runs the
//! files, largest first; each file runs isolated (its own thread, panics caught, a deadline,
//! extract limits) so one bad file is a record in the index, not a dead run;
//! input bytes in flight are bounded so memory stays flat; every output is
//! written atomically and outputs already current are skipped, so a killed run
//! resumes where it stopped; `--shard K/N` splits a corpus across machines.

mod budget;
mod discover;
mod index;

use crate::cli::ConvertArgs;
use anyhow::{anyhow, bail, Context, Result};
use budget::{ByteBudget, Permit};
use discover::{Input, Shard};
use gongkai::pipeline;
use gongkai_extract::{Format, Options};
use gongkai_normalize::schema;
use index::{Appender, Entry, Status};
use indicatif::{ProgressBar, ProgressStyle};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, Once};
use std::time::{Duration, Instant};

/// Stack of a file's worker thread: generous, since parsers of nested PDF
/// structures recurse.
const FILE_STACK_BYTES: usize = 32 << 20;

/// The `stage` of diagnostics convert itself writes (crash, timeout, I/O).
const CONVERT_STAGE: &str = "convert";

pub fn run(args: ConvertArgs) -> Result<u8> {
    let jobs = match args.jobs {
        Some(0) => bail!("-j/--jobs must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let shard = args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(|e| anyhow!(e))?;
    for input in &args.inputs {
        // A dangling symlink named here is an input (reported in the index).
        if std::fs::symlink_metadata(input).is_err() {
            bail!("input {} does not exist", input.display());
        }
    }
    let found = discover::discover(&args.inputs, Some(&args.output))?;
    if found.is_empty() {
        bail!("no .pdf or .txt files in the inputs");
    }
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
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

    install_panic_hook();
    let ctx = Ctx {
        out: args.output.clone(),
        force: args.force,
        opts: Options::default(),
        timeout: Duration::from_secs_f64(args.timeout.min(1e9)),
        budget: ByteBudget::new(args.inflight_mb.saturating_mul(1 << 20)),
        previous,
        fault: Fault::from_env(),
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
    let entries: BTreeMap<String, Entry> = outcomes
        .iter()
        .map(|o| (o.entry.path.clone(), o.entry.clone()))
        .collect();
    index::rewrite(&index_path, &entries)?;
    progress.finish(&outcomes, &index_path);
    let failed = outcomes.iter().any(|o| o.entry.status == Status::Error);
    Ok(u8::from(failed))
}

/// What every file's conversion shares.
struct Ctx {
    out: PathBuf,
    force: bool,
    opts: Options,
    timeout: Duration,
    budget: ByteBudget,
    /// The index of the previous run (for the timings of skipped files).
    previous: BTreeMap<String, Entry>,
    fault: Fault,
}

/// The result of one input.
struct Outcome {
    entry: Entry,
    /// Output was current; nothing was converted.
    skipped: bool,
}

/// Convert one input, whatever happens: the result is always an entry, and
/// (unless even writing failed) an output JSON.
fn convert_one(ctx: &Ctx, input: &Input) -> Outcome {
    let start = Instant::now();
    let output_rel = input.output_rel();
    let output_key = format!("{}.json", input.key);
    let output_path = ctx.out.join(&output_rel);
    let format = match gongkai_extract::sniff_format(b"", Some(&input.path)) {
        Format::Pdf => "pdf",
        Format::Text => "text",
    };
    let source = |sha256: String| schema::Source {
        file: input.key.clone(),
        sha256,
        format: format.into(),
        pages: 0,
    };

    // Only a regular file's size is trusted: a FIFO, a device or a dangling
    // link is refused by the bounded read below, with its own message.
    let size = std::fs::metadata(&input.path)
        .ok()
        .filter(|m| m.is_file())
        .map_or(0, |m| m.len());
    let max = ctx.opts.limits.max_file_bytes;
    if size > max {
        // Hash it without holding it in memory; never parse it.
        let sha = sha256_file(&input.path).unwrap_or_default();
        if let Some(o) = current(ctx, input, &output_path, &output_key, &sha) {
            return o;
        }
        let msg = gongkai_extract::ExtractError::TooLarge { size, limit: max }.to_string();
        let doc = schema::Document::failed(source(sha), CONVERT_STAGE, msg);
        return finish(input, &output_path, &output_key, doc, start);
    }
    let permit = ctx.budget.acquire(size);
    let bytes = match gongkai_extract::read_regular(&input.path, max) {
        Ok(b) => b,
        Err(e) => {
            drop(permit);
            let doc = schema::Document::failed(source(String::new()), CONVERT_STAGE, e.to_string());
            return finish(input, &output_path, &output_key, doc, start);
        }
    };
    let sha = pipeline::sha256_hex(&bytes);
    if let Some(o) = current(ctx, input, &output_path, &output_key, &sha) {
        return o;
    }
    let doc = match run_isolated(ctx, input, bytes, permit) {
        Ok(doc) => doc,
        Err(msg) => schema::Document::failed(source(sha), CONVERT_STAGE, msg),
    };
    finish(input, &output_path, &output_key, doc, start)
}

/// The skip outcome when the output JSON is current: written by this tool
/// version from the same input bytes.
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
        tool: pipeline::Tool,
    }
    #[derive(serde::Deserialize)]
    struct Sha {
        sha256: String,
    }
    let stamp: Stamp = serde_json::from_slice(&text).ok()?;
    if stamp.tool != pipeline::Tool::current() || stamp.source.sha256 != sha {
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
    let ms = ctx.previous.get(&input.key).map_or(0, |e| e.ms);
    Some(Outcome {
        entry: index::entry_from_doc(&input.key, output_key, &doc, ms),
        skipped: true,
    })
}

/// Write the output JSON and make the index entry.
fn finish(
    input: &Input,
    output: &Path,
    output_key: &str,
    doc: schema::Document,
    start: Instant,
) -> Outcome {
    let written = pipeline::output_json(&doc)
        .map_err(anyhow::Error::from)
        .and_then(|bytes| index::write_atomic(output, &bytes));
    let ms = start.elapsed().as_millis() as u64;
    let mut entry = index::entry_from_doc(&input.key, output_key, &doc, ms);
    if let Err(e) = written {
        entry.status = Status::Error;
        entry.error = Some(format!("convert: {e:#}"));
    }
    Outcome {
        entry,
        skipped: false,
    }
}

/// Run the pipeline on its own thread: a panic is caught and becomes a
/// message; a file over its time budget is abandoned (its thread keeps its
/// byte permit until the extract limits end it, so memory stays bounded).
fn run_isolated(
    ctx: &Ctx,
    input: &Input,
    bytes: Vec<u8>,
    permit: Permit,
) -> Result<schema::Document, String> {
    let (tx, rx) = mpsc::sync_channel(1);
    let path = input.path.clone();
    let key = input.key.clone();
    let mut opts = ctx.opts.clone();
    // Extraction stops by itself once the watchdog below has given up, so an
    // abandoned file does not keep a core busy.
    opts.limits.deadline = std::time::Instant::now().checked_add(ctx.timeout);
    let fault = ctx.fault.applies(&input.key);
    let spawned = std::thread::Builder::new()
        .name(format!("gongkai-file {key}"))
        .stack_size(FILE_STACK_BYTES)
        .spawn(move || {
            IN_FILE.with(|f| f.set(true));
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                match fault {
                    Some(FaultKind::Panic) => panic!("injected fault"),
                    Some(FaultKind::Hang) => std::thread::sleep(Duration::from_secs(3600)),
                    None => {}
                }
                pipeline::process_bytes(&bytes, &path, &key, &opts)
            }));
            let result = result.map_err(|payload| {
                LAST_PANIC
                    .with(|p| p.borrow_mut().take())
                    .unwrap_or_else(|| payload_message(payload.as_ref()))
            });
            drop(bytes);
            drop(permit);
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(format!("cannot start a thread for the file: {e}"));
    }
    match rx.recv_timeout(ctx.timeout) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(msg)) => Err(format!("crashed (panic: {msg})")),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "time budget of {:.1} s exceeded; file abandoned",
            ctx.timeout.as_secs_f64()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("worker ended without a result".into()),
    }
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

thread_local! {
    /// Set on a file's worker thread: its panics are recorded, not printed.
    static IN_FILE: Cell<bool> = const { Cell::new(false) };
    /// The last panic on this thread, with its location.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Route panics on file threads into the file's record instead of stderr
/// noise; panics anywhere else still print as usual.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_FILE.with(Cell::get) {
                let msg = payload_message(info.payload());
                let msg = match info.location() {
                    Some(l) => format!("{msg} at {}:{}", l.file(), l.line()),
                    None => msg,
                };
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(msg));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
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
            Some(s) => format!("{total} of {found} inputs (shard {}/{})", s.k, s.n),
            None => format!("{total} inputs"),
        };
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files, {msg} (ETA {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.println(format!("gongkai: converting {what} with {jobs} workers"));
            Some(bar)
        } else {
            eprintln!("gongkai: converting {what} with {jobs} workers");
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
            "current".to_string()
        } else {
            format!("{:?}", e.status).to_lowercase()
        };
        match &self.bar {
            Some(bar) => {
                let secs = self.start.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!("{pages} pages, {:.1} pages/s", pages as f64 / secs));
                bar.inc(1);
                if e.status == Status::Error && !o.skipped {
                    bar.println(format!(
                        "error {}: {}",
                        e.path,
                        e.error.as_deref().unwrap_or("")
                    ));
                }
            }
            None => {
                let why = e
                    .error
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                eprintln!(
                    "[{files}/{}] {status} {} ({} pages, {} ms){why}",
                    self.total, e.path, e.pages, e.ms
                );
            }
        }
    }

    fn finish(&self, outcomes: &[Outcome], index: &Path) {
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
            "gongkai: {} inputs: {} converted, {} current (skipped); {} ok, {} warning, {} error; \
             {pages} pages in {secs:.1} s ({rate:.1} pages/s)",
            outcomes.len(),
            outcomes.len() - skipped,
            skipped,
            count(Status::Ok),
            count(Status::Warning),
            count(Status::Error),
        );
        let errors: Vec<&Entry> = outcomes
            .iter()
            .map(|o| &o.entry)
            .filter(|e| e.status == Status::Error)
            .collect();
        for e in errors.iter().take(20) {
            eprintln!("  error {}: {}", e.path, e.error.as_deref().unwrap_or(""));
        }
        if errors.len() > 20 {
            eprintln!("  … and {} more (see the index)", errors.len() - 20);
        }
        eprintln!("gongkai: index {}", index.display());
    }
}
