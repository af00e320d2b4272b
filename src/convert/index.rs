//! `OUT/index.jsonl`: one line per input, saying what became of it. Lines are
//! appended as files finish, so a killed run leaves a usable partial index
//! (read it keeping the last line per path); at the end of a run the file is
//! rewritten atomically, one line per document of the whole output folder
//! (earlier runs' included), sorted by path.
//!
//! Also the atomic file write every output goes through.

use anyhow::{Context, Result};
use gongkai_normalize::schema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Read through; nothing to report.
    Ok,
    /// Read, with page-level trouble or failed accounting checks.
    Warning,
    /// The file could not be read (or crashed, or ran out of time).
    Error,
}

impl Status {
    /// As the index spells it.
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
        }
    }
}

/// One line of the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The input's path relative to the input directory given.
    pub path: String,
    /// The output JSON, relative to the output directory.
    pub output: String,
    pub sha256: String,
    /// The settings stamp the output was made with
    /// (`gongkai::settings::UserSettings::stamp`); absent for an output
    /// found on disk without its index line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<String>,
    pub status: Status,
    pub pages: u64,
    pub tables: u64,
    pub records: u64,
    pub checks_failed: u64,
    /// Wall-clock milliseconds spent on the file (by the run that converted it).
    pub ms: u64,
    /// Why the file failed (status error) or its first warning.
    pub error: Option<String>,
    /// Anything else the reader of the index should know about the file
    /// (an output name shortened to fit the file system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Pages whose text came from OCR (an OCR layer, or tesseract with
    /// `--ocr`); absent when none did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_pages: Vec<u32>,
}

/// Status and counts of an output document (for a resumed file, read back
/// from its JSON, so its line is rebuilt from the output alone).
pub fn entry_from_doc(path: &str, output: &str, doc: &schema::Document, ms: u64) -> Entry {
    let records: u64 = doc.tables.iter().map(|t| t.records.len() as u64).sum();
    let checks_failed = doc.checks.iter().filter(|c| !c.ok).count() as u64;
    let message = |d: &schema::Diagnostic| match d.page {
        Some(p) => format!("{}: page {p}: {}", d.stage, d.message),
        None => format!("{}: {}", d.stage, d.message),
    };
    // A file-level error (no page) means nothing could be read; a page-level
    // error leaves the rest of the document usable, so it only warns.
    let fatal = doc
        .diagnostics
        .iter()
        .find(|d| d.level == "error" && d.page.is_none());
    let warn = doc
        .diagnostics
        .iter()
        .find(|d| d.level == "error" || d.level == "warning");
    let (status, error) = if let Some(d) = fatal {
        (Status::Error, Some(message(d)))
    } else if let Some(d) = warn {
        (Status::Warning, Some(message(d)))
    } else if checks_failed > 0 {
        (
            Status::Warning,
            Some(format!("{checks_failed} accounting checks failed")),
        )
    } else {
        (Status::Ok, None)
    };
    Entry {
        path: path.to_string(),
        output: output.to_string(),
        sha256: doc.source.sha256.clone(),
        settings: None,
        status,
        pages: u64::from(doc.source.pages),
        tables: doc.tables.len() as u64,
        records,
        checks_failed,
        ms,
        error,
        note: None,
        ocr_pages: doc.source.ocr_pages.clone(),
    }
}

/// Read an index, keeping the last line per path (a partial index from a
/// killed run may hold a path twice). Unreadable lines are ignored.
pub fn load(path: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    if let Ok(text) = std::fs::read_to_string(path) {
        for line in text.lines() {
            if let Ok(e) = serde_json::from_str::<Entry>(line) {
                out.insert(e.path.clone(), e);
            }
        }
    }
    out
}

/// The index of the whole output folder after a run: this run's entries, the
/// earlier runs' entries whose output is still there, and (for the folder's
/// own index, not a shard's) every document in the folder that no index
/// lists, as written by a run whose index was lost or, in older versions,
/// replaced by the next run's.
pub fn merge(
    out: &Path,
    previous: &BTreeMap<String, Entry>,
    this_run: BTreeMap<String, Entry>,
    whole_folder: bool,
) -> BTreeMap<String, Entry> {
    let mut all: BTreeMap<String, Entry> = previous
        .iter()
        .filter(|(_, e)| out.join(&e.output).is_file())
        .map(|(k, e)| (k.clone(), e.clone()))
        .collect();
    all.extend(this_run);
    if !whole_folder {
        return all;
    }
    // Outputs listed by this index or by a shard's in the same folder.
    let mut listed: HashSet<PathBuf> = all.values().map(|e| out.join(&e.output)).collect();
    if let Ok(dir) = std::fs::read_dir(out) {
        for e in dir.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("index-") && name.ends_with(".jsonl") {
                listed.extend(load(&e.path()).values().map(|e| out.join(&e.output)));
            }
        }
    }
    let Ok((files, _)) = gongkai::outputs::candidates(out) else {
        return all;
    };
    for file in files.iter().filter(|f| !listed.contains(*f)) {
        let Some(doc) = gongkai::outputs::read_document(file) else {
            continue;
        };
        let key = doc.source.file.clone();
        if all.contains_key(&key) {
            continue;
        }
        let rel = file.strip_prefix(out).unwrap_or(file);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let entry = entry_from_doc(&key, &rel, &doc, 0);
        all.insert(key, entry);
    }
    all
}

/// Rewrite an index atomically, sorted by path.
pub fn rewrite(path: &Path, entries: &BTreeMap<String, Entry>) -> Result<()> {
    let mut buf = Vec::new();
    for e in entries.values() {
        serde_json::to_writer(&mut buf, e)?;
        buf.push(b'\n');
    }
    write_atomic(path, &buf)
}

/// The index being appended to during a run.
pub struct Appender {
    file: std::fs::File,
}

impl Appender {
    /// Append to the index of earlier runs (created when missing): until this
    /// run's final rewrite, a reader keeps the last line per path.
    pub fn open(path: &Path) -> Result<Appender> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Appender { file })
    }

    /// Append one line; written whole in one call, so a kill leaves whole lines.
    pub fn append(&mut self, e: &Entry) -> Result<()> {
        let mut line = serde_json::to_vec(e)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        Ok(())
    }
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// This machine's name as temporary files carry it, so a sweep only ever
/// removes the leftovers of processes of this machine (shards on other
/// machines may share an output folder).
fn host() -> String {
    let h = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let h: String = h
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(32)
        .collect();
    if h.is_empty() {
        "host".into()
    } else {
        h
    }
}

/// Remove the temporary files that killed runs of this machine left in
/// `root` and the folders below it (`.X.json.HOST.PID.N.tmp` whose process
/// no longer runs). Returns what was removed.
pub fn sweep_stale_temps(root: &Path) -> Vec<PathBuf> {
    let (me, here) = (std::process::id(), host());
    let mut removed = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            let path = e.path();
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
                continue;
            };
            let mut parts = stem.rsplitn(4, '.');
            let (Some(n), Some(pid), Some(h)) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            let Ok(pid) = pid.parse::<u32>() else {
                continue;
            };
            let alive = pid == me || Path::new(&format!("/proc/{pid}")).exists();
            if h == here
                && n.bytes().all(|b| b.is_ascii_digit())
                && !alive
                && std::fs::remove_file(&path).is_ok()
            {
                removed.push(path);
            }
        }
    }
    removed.sort();
    removed
}

/// Write a file atomically: a temporary file in the same directory (so the
/// rename never crosses file systems), synced, then renamed over the target.
/// Readers see the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_via_temp(path, bytes, true)
}

/// Write a file through a temporary and a rename, as [`write_atomic`], but
/// without syncing it to disk: readers still never see half a file, and a
/// file that can be rebuilt (the review site's hundreds of pages) does not
/// pay a disk flush each.
pub fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    write_via_temp(path, bytes, false)
}

fn write_via_temp(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tail = format!(
        ".{}.{}.{}.tmp",
        host(),
        std::process::id(),
        TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    // A name near the file system's limit leaves room for the tail: its
    // start is enough to tell the temporary apart (the tail is unique).
    let room = gongkai::discover::NAME_MAX.saturating_sub(1 + tail.len());
    let tmp: PathBuf = dir.join(format!(
        ".{}{tail}",
        gongkai::discover::cut_at_char(&name, room)
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_data()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: serde_json::Value) -> schema::Document {
        let mut base = json!({"schema": "gongkai/1",
            "source": {"file": "x", "sha256": "ab", "format": "pdf", "pages": 0},
            "document": {"entity": null, "year": null, "kind": null, "title": null},
            "tables": [], "performance": [], "sections": [], "checks": [], "diagnostics": []});
        for (k, val) in v.as_object().unwrap() {
            base[k] = val.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    fn table(records: usize) -> serde_json::Value {
        json!({"kind": "unknown", "title": null, "number": null, "pages": [1], "unit": null,
            "header": [], "columns": [], "rows": [], "repairs": [],
            "records": (0..records).map(|_| json!({"side": null, "code": null, "name": "n",
                "level": null, "values": {}})).collect::<Vec<_>>()})
    }

    fn check(ok: bool) -> serde_json::Value {
        json!({"rule": "r", "table": 0, "row": null, "column": null, "expected": 1.0,
            "found": 1.0, "ok": ok})
    }

    #[test]
    fn statuses_from_documents() {
        let failed = doc(
            json!({"diagnostics": [{"level": "error", "stage": "extract",
            "page": null, "message": "damaged PDF: x"}]}),
        );
        let e = entry_from_doc("a.pdf", "a.pdf.json", &failed, 5);
        assert_eq!(e.status, Status::Error);
        assert_eq!(e.error.as_deref(), Some("extract: damaged PDF: x"));

        let page_err = doc(
            json!({"source": {"file": "b", "sha256": "ab", "format": "pdf", "pages": 3},
            "tables": [table(2), table(1)], "checks": [check(true), check(false)],
            "diagnostics": [{"level": "error", "stage": "extract", "page": 2, "message": "bad stream"}]}),
        );
        let e = entry_from_doc("b.pdf", "b.pdf.json", &page_err, 1);
        assert_eq!(e.status, Status::Warning);
        assert_eq!(
            (e.pages, e.tables, e.records, e.checks_failed),
            (3, 2, 3, 1)
        );
        assert_eq!(e.error.as_deref(), Some("extract: page 2: bad stream"));

        let failed_check = doc(json!({"checks": [check(false)]}));
        let e = entry_from_doc("c", "c.json", &failed_check, 0);
        assert_eq!(e.status, Status::Warning);
        assert_eq!(e.error.as_deref(), Some("1 accounting checks failed"));

        let clean = doc(
            json!({"checks": [check(true)], "diagnostics": [{"level": "info",
            "stage": "tables", "page": 1, "message": "fine"}]}),
        );
        assert_eq!(entry_from_doc("c", "c.json", &clean, 0).status, Status::Ok);
    }

    #[test]
    fn leftovers_of_dead_processes_are_swept() {
        let dir = std::env::temp_dir().join(format!("gongkai-sweep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        // PID 4194304 is above Linux's pid_max: never a running process.
        let dead = dir.join(format!("sub/.a.pdf.json.{}.4194304.0.tmp", host()));
        let mine = dir.join(format!(
            ".b.pdf.json.{}.{}.0.tmp",
            host(),
            std::process::id()
        ));
        let other_host = dir.join(".c.pdf.json.elsewhere.4194304.0.tmp");
        let unrelated = dir.join(".notes.tmp");
        for p in [&dead, &mine, &other_host, &unrelated] {
            std::fs::write(p, b"{").unwrap();
        }
        assert_eq!(sweep_stale_temps(&dir), vec![dead.clone()]);
        assert!(!dead.exists() && mine.exists() && other_host.exists() && unrelated.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn atomic_write_and_index_roundtrip() {
        let dir = std::env::temp_dir().join(format!("gongkai-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("deep/index.jsonl");
        let e = |p: &str, ms| Entry {
            path: p.into(),
            output: format!("{p}.json"),
            sha256: "00".into(),
            settings: Some("0123456789ab".into()),
            status: Status::Ok,
            pages: 1,
            tables: 0,
            records: 0,
            checks_failed: 0,
            ms,
            error: None,
            note: None,
            ocr_pages: Vec::new(),
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut app = Appender::open(&path).unwrap();
        app.append(&e("b", 1)).unwrap();
        app.append(&e("a", 1)).unwrap();
        app.append(&e("b", 2)).unwrap();
        let loaded = load(&path);
        assert_eq!(loaded.len(), 2);
        assert_eq!(loaded["b"].ms, 2);
        rewrite(&path, &loaded).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let paths: Vec<&str> = text.lines().map(|l| &l[9..10]).collect();
        assert_eq!(paths, ["a", "b"]);
        // No temporary files left behind.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
