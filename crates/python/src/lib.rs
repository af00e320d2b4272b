//! `gongkai._native`: the Rust half of the Python package. It runs the same
//! pipeline (`gongkai::pipeline`) and builds the same flat rows
//! (`gongkai::flat`) as the command line, so a document or a row from Python
//! is exactly what `convert` or `export` would have written; the Python half
//! (python/gongkai) only turns them into dicts and DataFrames.
//!
//! Bad input follows `convert`: a file whose contents cannot be read still
//! gives a document, with an `error` diagnostic. Only what is not a file's
//! contents raises: a path that cannot be read (`OSError`) and, for the
//! table functions, text that is not a gongkai document (`GongkaiError`).

use gongkai::{flat, pipeline};
use gongkai_normalize::schema;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use pyo3::IntoPyObjectExt;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

pyo3::create_exception!(
    _native,
    GongkaiError,
    PyValueError,
    "Input that is not a gongkai document."
);

/// Stack of the conversion thread, as the CLI gives each file: parsers of
/// nested PDF structures recurse, and a Python thread's stack may be small.
const FILE_STACK_BYTES: usize = 32 << 20;

/// The `stage` of diagnostics written outside the pipeline (crash, size).
const CONVERT_STAGE: &str = "convert";

/// What to convert: bytes in memory, or a file read (with the GIL released).
enum Input<'a> {
    Bytes(&'a [u8]),
    File(PathBuf),
}

/// Convert a file (str or os.PathLike) or bytes; returns the output JSON text,
/// byte for byte what `gongkai convert` writes for it.
#[pyfunction]
#[pyo3(signature = (source, *, name=None, timeout=None))]
fn convert_json(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    name: Option<String>,
    timeout: Option<f64>,
) -> PyResult<String> {
    let input = match source.cast::<PyBytes>() {
        Ok(b) => Input::Bytes(b.as_bytes()),
        Err(_) => Input::File(source.extract::<PathBuf>()?),
    };
    let mut opts = gongkai_extract::Options::default();
    if let Some(t) = timeout {
        let t = Duration::try_from_secs_f64(t)
            .map_err(|e| PyValueError::new_err(format!("timeout: {e}")))?;
        opts.limits.deadline = std::time::Instant::now().checked_add(t);
    }
    let json = py.detach(move || -> std::io::Result<Vec<u8>> {
        let doc = match input {
            Input::Bytes(bytes) => {
                let name = name.unwrap_or_else(|| "<bytes>".into());
                isolated(bytes.to_vec(), PathBuf::from(&name), name, opts)
            }
            Input::File(path) => {
                // The CLI's file name is relative to the folder it was given;
                // here the file's own name stands in unless `name` says otherwise.
                let display = name.unwrap_or_else(|| {
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.display().to_string())
                });
                let bytes = read_bounded(&path, &display, &opts)?;
                match bytes {
                    Ok(bytes) => isolated(bytes, path, display, opts),
                    Err(doc) => doc,
                }
            }
        };
        pipeline::output_json(&doc).map_err(std::io::Error::other)
    })?;
    String::from_utf8(json).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A file's bytes, or (over the size limit) the failed document `convert`
/// writes for it, hashed without holding it in memory.
fn read_bounded(
    path: &Path,
    display: &str,
    opts: &gongkai_extract::Options,
) -> std::io::Result<Result<Vec<u8>, schema::Document>> {
    let with_path =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let size = std::fs::metadata(path).map_err(with_path)?.len();
    let max = opts.limits.max_file_bytes;
    if size <= max {
        return std::fs::read(path).map(Ok).map_err(with_path);
    }
    let mut file = std::fs::File::open(path).map_err(with_path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(with_path)?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    let digest = hasher.finalize();
    let source = schema::Source {
        file: display.to_string(),
        sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        format: format_name(path).into(),
        pages: 0,
    };
    let msg = format!("file too large: {size} bytes (limit {max})");
    Ok(Err(schema::Document::failed(source, CONVERT_STAGE, msg)))
}

fn format_name(path: &Path) -> &'static str {
    match gongkai_extract::sniff_format(b"", Some(path)) {
        gongkai_extract::Format::Pdf => "pdf",
        gongkai_extract::Format::Text => "text",
    }
}

/// The pipeline on its own thread with the CLI's stack; a panic becomes the
/// failed document `convert` writes, never a crash of the interpreter.
fn isolated(
    bytes: Vec<u8>,
    path: PathBuf,
    display: String,
    opts: gongkai_extract::Options,
) -> schema::Document {
    let failed = |bytes: &[u8], msg: String| {
        let source = schema::Source {
            file: display.clone(),
            sha256: pipeline::sha256_hex(bytes),
            format: format_name(&path).into(),
            pages: 0,
        };
        schema::Document::failed(source, CONVERT_STAGE, msg)
    };
    let run = std::thread::Builder::new()
        .name(format!("gongkai-file {display}"))
        .stack_size(FILE_STACK_BYTES)
        .spawn({
            let (path, display) = (path.clone(), display.clone());
            move || {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    pipeline::process_bytes(&bytes, &path, &display, &opts)
                }));
                (bytes, result)
            }
        });
    let handle = match run {
        Ok(h) => h,
        Err(e) => return failed(b"", format!("cannot start a thread for the file: {e}")),
    };
    match handle.join() {
        Ok((_, Ok(doc))) => doc,
        Ok((bytes, Err(payload))) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            failed(&bytes, format!("crashed (panic: {msg})"))
        }
        Err(_) => failed(b"", "worker ended without a result".into()),
    }
}

/// Parse documents given as JSON text; anything else is a `GongkaiError`.
fn parse_docs(texts: &[String]) -> PyResult<Vec<schema::Document>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let doc: schema::Document = serde_json::from_str(t).map_err(|e| {
                GongkaiError::new_err(format!("item {i}: not a gongkai document: {e}"))
            })?;
            if !doc.schema.starts_with("gongkai/") {
                return Err(GongkaiError::new_err(format!(
                    "item {i}: schema {:?} is not a gongkai document",
                    doc.schema
                )));
            }
            Ok(doc)
        })
        .collect()
}

/// Column-wise table: `{column: [values...]}` in `columns` order.
fn table<'py>(
    py: Python<'py>,
    columns: &[&str],
    cells: Vec<Vec<Py<PyAny>>>,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (name, values) in columns.iter().zip(cells) {
        out.set_item(name, values)?;
    }
    Ok(out)
}

/// The records of documents (JSON texts), as `export --csv` writes them:
/// a dict of columns in `RECORD_COLUMNS` order. `pages` is the CSV's `1;2`.
#[pyfunction]
fn record_columns<'py>(py: Python<'py>, docs: Vec<String>) -> PyResult<Bound<'py, PyDict>> {
    let docs = parse_docs(&docs)?;
    let mut cells: Vec<Vec<Py<PyAny>>> = flat::RECORD_COLUMNS.iter().map(|_| Vec::new()).collect();
    for doc in &docs {
        for r in flat::record_rows(doc) {
            let row = [
                r.file.into_py_any(py)?,
                r.entity.into_py_any(py)?,
                r.year.into_py_any(py)?,
                r.document_kind.into_py_any(py)?,
                r.table.into_py_any(py)?,
                r.table_kind.into_py_any(py)?,
                r.table_title.into_py_any(py)?,
                r.side.into_py_any(py)?,
                r.code.into_py_any(py)?,
                r.name.into_py_any(py)?,
                r.level.into_py_any(py)?,
                r.column.into_py_any(py)?,
                r.value.into_py_any(py)?,
                r.unit.into_py_any(py)?,
                flat::pages(r.pages).into_py_any(py)?,
            ];
            for (col, v) in cells.iter_mut().zip(row) {
                col.push(v);
            }
        }
    }
    table(py, &flat::RECORD_COLUMNS, cells)
}

/// The failed checks of documents (JSON texts), as `export --csv` writes them
/// to `<stem>.checks.csv`: a dict of columns in `CHECK_COLUMNS` order.
#[pyfunction]
fn check_columns<'py>(py: Python<'py>, docs: Vec<String>) -> PyResult<Bound<'py, PyDict>> {
    let docs = parse_docs(&docs)?;
    let mut cells: Vec<Vec<Py<PyAny>>> = flat::CHECK_COLUMNS.iter().map(|_| Vec::new()).collect();
    for doc in &docs {
        for c in flat::check_rows(doc) {
            let row = [
                c.file.into_py_any(py)?,
                c.entity.into_py_any(py)?,
                c.year.into_py_any(py)?,
                c.document_kind.into_py_any(py)?,
                c.rule.into_py_any(py)?,
                c.table.into_py_any(py)?,
                c.table_kind.into_py_any(py)?,
                c.table_title.into_py_any(py)?,
                c.row.into_py_any(py)?,
                c.column.into_py_any(py)?,
                c.expected.into_py_any(py)?,
                c.found.into_py_any(py)?,
            ];
            for (col, v) in cells.iter_mut().zip(row) {
                col.push(v);
            }
        }
    }
    table(py, &flat::CHECK_COLUMNS, cells)
}

/// The JSON texts of the documents in a folder written by `gongkai convert`,
/// in the order `export` reads them: by path, names sorted at each level,
/// hidden entries skipped, JSON that is not a gongkai document ignored.
#[pyfunction]
fn read_dir_json(py: Python<'_>, dir: PathBuf) -> PyResult<Vec<String>> {
    fn walk(dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?
            .filter_map(|e| e.ok())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = e.path();
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|x| x == "json") {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let ours = serde_json::from_str::<schema::Document>(&text)
                    .is_ok_and(|d| d.schema.starts_with("gongkai/"));
                if ours {
                    out.push(text);
                }
            }
        }
        Ok(())
    }
    py.detach(|| {
        let mut out = Vec::new();
        walk(&dir, &mut out).map(|()| out)
    })
    .map_err(PyErr::from)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(convert_json, m)?)?;
    m.add_function(wrap_pyfunction!(record_columns, m)?)?;
    m.add_function(wrap_pyfunction!(check_columns, m)?)?;
    m.add_function(wrap_pyfunction!(read_dir_json, m)?)?;
    m.add("GongkaiError", m.py().get_type::<GongkaiError>())?;
    m.add("RECORD_COLUMNS", flat::RECORD_COLUMNS.to_vec())?;
    m.add("CHECK_COLUMNS", flat::CHECK_COLUMNS.to_vec())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
