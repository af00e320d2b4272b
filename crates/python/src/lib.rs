//! `gongkai._native`: the Rust half of the Python package. It runs files
//! through the same isolation (`gongkai::isolate`), names them as the same
//! discovery (`gongkai::discover`) and builds the same flat rows
//! (`gongkai::flat`) as the command line, so a document or a row from Python
//! is exactly what `convert` or `export` would have written; the Python half
//! (python/gongkai) only turns them into dicts and DataFrames. Every call
//! releases the GIL while it works.
//!
//! Bad input follows `convert`: a file whose contents cannot be read still
//! gives a document, with an `error` diagnostic. Only what is not a file's
//! contents raises: a path that cannot be read (`OSError`) and, for the table
//! functions, text that is not a gongkai document (`GongkaiError`).

use gongkai::{discover, flat, isolate, outputs, pipeline};
use gongkai_normalize::schema;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use pyo3::IntoPyObjectExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pyo3::create_exception!(
    _native,
    GongkaiError,
    PyValueError,
    "Input that is not a gongkai document, or inputs that cannot be listed."
);

fn timeout_of(secs: f64) -> PyResult<Duration> {
    if !(secs.is_finite() && secs > 0.0) {
        return Err(PyValueError::new_err(
            "timeout must be a positive number of seconds",
        ));
    }
    Ok(Duration::from_secs_f64(secs.min(1e9)))
}

/// Convert a file (str or os.PathLike) or bytes; returns the output JSON
/// text, byte for byte what `gongkai convert` writes for it. `name` is the
/// document's `source.file` (default: the file's name, as `convert` names a
/// file given directly; `<bytes>` for bytes).
#[pyfunction]
#[pyo3(signature = (source, *, name=None, timeout=isolate::DEFAULT_TIMEOUT_SECS))]
fn convert_json(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    name: Option<String>,
    timeout: f64,
) -> PyResult<String> {
    let timeout = timeout_of(timeout)?;
    let opts = gongkai_extract::Options::default();
    // The Python package runs with the default settings (stamped as such).
    let user = gongkai::settings::UserSettings::default();
    let stamp = user.stamp();
    let tables = user.tables;
    let json = if let Ok(b) = source.cast::<PyBytes>() {
        let bytes = b.as_bytes().to_vec();
        let key = name.unwrap_or_else(|| "<bytes>".into());
        py.detach(move || {
            let doc = isolate::convert_bytes(bytes, Path::new(&key), &key, &opts, &tables, timeout);
            pipeline::output_json(&doc, &stamp)
        })
        .map_err(|e| GongkaiError::new_err(e.to_string()))?
    } else {
        let path: PathBuf = source.extract()?;
        let key = name.unwrap_or_else(|| {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string())
        });
        py.detach(move || -> std::io::Result<Vec<u8>> {
            let with_path = |e: std::io::Error| {
                std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
            };
            let doc =
                isolate::convert_path(&path, &key, &opts, &tables, timeout).map_err(with_path)?;
            pipeline::output_json(&doc, &stamp).map_err(std::io::Error::other)
        })?
    };
    String::from_utf8(json).map_err(|e| GongkaiError::new_err(e.to_string()))
}

/// The inputs `gongkai convert INPUTS...` would convert, in its order: a list
/// of `(path, name)`, `name` being the document's `source.file`.
#[pyfunction]
fn discover_inputs(py: Python<'_>, inputs: Vec<PathBuf>) -> PyResult<Vec<(PathBuf, String)>> {
    let found = py
        .detach(|| discover::discover(&inputs, None))
        .map_err(|e| match e {
            discover::DiscoverError::Io { path, source } => PyErr::from(std::io::Error::new(
                source.kind(),
                format!("{}: {source}", path.display()),
            )),
            other => GongkaiError::new_err(other.to_string()),
        })?;
    Ok(found.into_iter().map(|i| (i.path, i.key)).collect())
}

/// Parse documents given as JSON text; anything else is a `GongkaiError`.
fn parse_docs(py: Python<'_>, texts: Vec<String>) -> PyResult<Vec<schema::Document>> {
    py.detach(move || {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                outputs::parse_document(t.as_bytes())
                    .ok_or_else(|| format!("item {i} is not a gongkai document"))
            })
            .collect::<Result<Vec<_>, String>>()
    })
    .map_err(GongkaiError::new_err)
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

/// Append one row's cells to their columns.
fn push_row<const N: usize>(cells: &mut [Vec<Py<PyAny>>], row: [Py<PyAny>; N]) {
    for (col, v) in cells.iter_mut().zip(row) {
        col.push(v);
    }
}

/// The records of documents (JSON texts), as `export --csv` writes them: a
/// dict of columns in `RECORD_COLUMNS` order; `pages` is the CSV's `1;2`.
#[pyfunction]
fn record_columns<'py>(py: Python<'py>, docs: Vec<String>) -> PyResult<Bound<'py, PyDict>> {
    let docs = parse_docs(py, docs)?;
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
                r.role.into_py_any(py)?,
            ];
            push_row(&mut cells, row);
        }
    }
    table(py, &flat::RECORD_COLUMNS, cells)
}

/// The failed checks of documents (JSON texts), as `export --csv` writes them
/// to `<stem>.checks.csv`: a dict of columns in `CHECK_COLUMNS` order.
#[pyfunction]
fn check_columns<'py>(py: Python<'py>, docs: Vec<String>) -> PyResult<Bound<'py, PyDict>> {
    let docs = parse_docs(py, docs)?;
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
            push_row(&mut cells, row);
        }
    }
    table(py, &flat::CHECK_COLUMNS, cells)
}

/// The JSON texts of the documents in a folder written by `gongkai convert`,
/// the ones `export` reads, in its order: stamped by convert, not in another
/// run nested inside, each source file (sha256) once.
#[pyfunction]
fn read_dir_json(py: Python<'_>, dir: PathBuf) -> PyResult<Vec<String>> {
    py.detach(|| -> std::io::Result<Vec<String>> {
        let (files, _other_runs) = outputs::candidates(&dir)?;
        let mut first = outputs::FirstOfEachSource::default();
        let mut out = Vec::new();
        for path in files {
            let Some(doc) = outputs::read_document(&path) else {
                continue;
            };
            if first.earlier(&doc, &path).is_some() {
                continue;
            }
            // Read again as text: the document exactly as convert wrote it.
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push(text);
            }
        }
        Ok(out)
    })
    .map_err(PyErr::from)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(convert_json, m)?)?;
    m.add_function(wrap_pyfunction!(discover_inputs, m)?)?;
    m.add_function(wrap_pyfunction!(record_columns, m)?)?;
    m.add_function(wrap_pyfunction!(check_columns, m)?)?;
    m.add_function(wrap_pyfunction!(read_dir_json, m)?)?;
    m.add("GongkaiError", m.py().get_type::<GongkaiError>())?;
    m.add("RECORD_COLUMNS", flat::RECORD_COLUMNS.to_vec())?;
    m.add("CHECK_COLUMNS", flat::CHECK_COLUMNS.to_vec())?;
    m.add("DEFAULT_TIMEOUT", isolate::DEFAULT_TIMEOUT_SECS)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
