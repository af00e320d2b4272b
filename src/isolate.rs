//! One file's conversion isolated from its caller: on its own thread (with a
//! stack for recursive parsers), its panic caught and recorded as a message,
//! and abandoned once over its time budget. `convert` and the Python package
//! both run files through here, so a bad file fails the same way in each: as
//! a document with an error diagnostic, never a dead process.

use crate::pipeline;
use gongkai_extract::{Format, Options};
use gongkai_normalize::schema;
use gongkai_tables::Settings;
use std::cell::{Cell, RefCell};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Once};
use std::time::Duration;

/// Stack of a file's worker thread: generous, since parsers of nested PDF
/// structures recurse.
const FILE_STACK_BYTES: usize = 32 << 20;

/// The `stage` of diagnostics written around the pipeline (crash, timeout,
/// I/O, size), rather than by one of its stages.
pub const CONVERT_STAGE: &str = "convert";

/// A file's time budget unless the caller says otherwise, in seconds.
pub const DEFAULT_TIMEOUT_SECS: f64 = 600.0;

/// The contract's `format` for a file, from its name alone (before reading).
pub fn format_name(path: &Path) -> &'static str {
    match gongkai_extract::sniff_format(b"", Some(path)) {
        Format::Pdf => "pdf",
        Format::Text => "text",
    }
}

/// The document for a file that could not be converted at all.
pub fn failed(path: &Path, key: &str, sha256: String, message: String) -> schema::Document {
    let source = schema::Source {
        file: key.to_string(),
        sha256,
        format: format_name(path).into(),
        pages: 0,
        partial: false,
        ocr_pages: Vec::new(),
    };
    schema::Document::failed(source, CONVERT_STAGE, message)
}

/// Hex sha256 of a file, read in pieces (for files too large to hold).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
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

/// Run the pipeline on `bytes` on its own thread. A panic is caught and
/// becomes the message; a file over `timeout` is abandoned (extraction stops
/// by itself at the same deadline, so it does not keep a core busy). `hold`
/// is dropped with the bytes when the thread really ends (a memory permit);
/// `before` runs first on that thread, inside the panic guard (fault
/// injection for tests). `sha` is the bytes' [`crate::provenance::sha256_hex`],
/// passed in so that convert hashes each file once.
#[allow(clippy::too_many_arguments)]
pub fn run_isolated<H: Send + 'static>(
    bytes: Vec<u8>,
    sha: String,
    path: PathBuf,
    key: String,
    opts: &Options,
    tables: &Settings,
    timeout: Duration,
    hold: H,
    before: impl FnOnce() + Send + 'static,
) -> Result<schema::Document, String> {
    let run = Isolated {
        bytes,
        sha,
        path,
        key,
        draw: None,
    };
    run_isolated_drawing(run, opts, tables, timeout, hold, before).map(|(doc, _)| doc)
}

/// One file's run for [`run_isolated_drawing`].
pub struct Isolated {
    pub bytes: Vec<u8>,
    /// The bytes' [`crate::provenance::sha256_hex`].
    pub sha: String,
    pub path: PathBuf,
    pub key: String,
    /// Draw the pages holding tables into this folder for the review site
    /// ([`crate::drawing`]).
    pub draw: Option<PathBuf>,
}

/// [`run_isolated`], also drawing the pages when `run.draw` says where. The
/// second value is why the drawing failed, if it did (the document stands;
/// the review draws the pages again).
pub fn run_isolated_drawing<H: Send + 'static>(
    run: Isolated,
    opts: &Options,
    tables: &Settings,
    timeout: Duration,
    hold: H,
    before: impl FnOnce() + Send + 'static,
) -> Result<(schema::Document, Option<String>), String> {
    let Isolated {
        bytes,
        sha,
        path,
        key,
        draw,
    } = run;
    install_panic_hook();
    let (tx, rx) = mpsc::sync_channel(1);
    let mut opts = opts.clone();
    let tables = tables.clone();
    opts.limits.deadline = std::time::Instant::now().checked_add(timeout);
    let spawned = std::thread::Builder::new()
        .name(format!("gongkai-file {key}"))
        .stack_size(FILE_STACK_BYTES)
        .spawn(move || {
            IN_FILE.with(|f| f.set(true));
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                before();
                let (doc, drawn) = pipeline::process_drawing(
                    &bytes,
                    sha,
                    &path,
                    &key,
                    &opts,
                    &tables,
                    draw.as_deref(),
                );
                (doc, drawn.and_then(|d| d.err()).map(|e| e.to_string()))
            }));
            let result = result.map_err(|payload| {
                LAST_PANIC
                    .with(|p| p.borrow_mut().take())
                    .unwrap_or_else(|| payload_message(payload.as_ref()))
            });
            drop(bytes);
            drop(hold);
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(format!("cannot start a thread for the file: {e}"));
    }
    match rx.recv_timeout(timeout) {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(msg)) => Err(format!("crashed (panic: {msg})")),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "time budget of {} s exceeded; file abandoned",
            timeout.as_secs_f64()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("worker ended without a result".into()),
    }
}

/// One file from its path to its document, isolated: a file over the size
/// limit is hashed but never parsed, and anything in its contents gives a
/// document with an error diagnostic. Only a path that cannot be read is an
/// error (the caller decides whether that is a document or a raised error).
pub fn convert_path(
    path: &Path,
    key: &str,
    opts: &Options,
    tables: &Settings,
    timeout: Duration,
) -> std::io::Result<schema::Document> {
    let size = std::fs::metadata(path)?.len();
    let max = opts.limits.max_file_bytes;
    if size > max {
        let sha = sha256_file(path)?;
        let msg = gongkai_extract::ExtractError::TooLarge { size, limit: max }.to_string();
        return Ok(failed(path, key, sha, msg));
    }
    let bytes = std::fs::read(path)?;
    Ok(convert_bytes(bytes, path, key, opts, tables, timeout))
}

/// Bytes in memory to their document, isolated as `convert_path`; `path`
/// only helps tell the format (its extension).
pub fn convert_bytes(
    bytes: Vec<u8>,
    path: &Path,
    key: &str,
    opts: &Options,
    tables: &Settings,
    timeout: Duration,
) -> schema::Document {
    let sha = crate::provenance::sha256_hex(&bytes);
    let run = run_isolated(
        bytes,
        sha.clone(),
        path.to_path_buf(),
        key.to_string(),
        opts,
        tables,
        timeout,
        (),
        || {},
    );
    run.unwrap_or_else(|msg| failed(path, key, sha, msg))
}

thread_local! {
    /// Set on a file's worker thread: its panics are recorded, not printed.
    static IN_FILE: Cell<bool> = const { Cell::new(false) };
    /// The last panic on this thread, with its location.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Route panics on file threads into the file's record instead of stderr
/// noise; panics anywhere else still go to the hook that was there before.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_a_failed_document() {
        let opts = Options::default();
        let run = run_isolated(
            b"x".to_vec(),
            crate::provenance::sha256_hex(b"x"),
            PathBuf::from("a.txt"),
            "a.txt".into(),
            &opts,
            &Settings::default(),
            Duration::from_secs(60),
            (),
            || panic!("boom"),
        );
        let msg = run.err().unwrap_or_default();
        assert!(msg.starts_with("crashed (panic: boom at "), "{msg}");
    }

    #[test]
    fn non_pdf_bytes_give_a_document() {
        let doc = convert_bytes(
            b"%PDF-1.7 not really".to_vec(),
            Path::new("x.pdf"),
            "x.pdf",
            &Options::default(),
            &Settings::default(),
            Duration::from_secs(60),
        );
        assert_eq!(doc.source.file, "x.pdf");
        assert!(doc.diagnostics.iter().any(|d| d.level == "error"));
    }
}
