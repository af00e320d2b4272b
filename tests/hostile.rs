//! The hostile corpus (`scripts/hostile-corpus`: every way a file breaks,
//! plus a sample cut at 10 %, 20 % … 90 %) converted in one directory run
//! under a 2 GiB address-space cap: no abort, every file in the index with
//! the status its name announces, no damaged file `ok`, and no truncated
//! copy yielding more records than the whole file.

mod common;

use common::{index_lines, TempDir};
use std::process::Command;

#[test]
fn hostile_corpus_converts_under_a_memory_cap() {
    let dir = TempDir::new("hostile");
    let corpus = dir.path().join("corpus");
    let root = env!("CARGO_MANIFEST_DIR");
    let made = Command::new("python3")
        .arg(format!("{root}/scripts/hostile-corpus"))
        .arg(&corpus)
        .arg(format!(
            "{root}/samples/01-changzhi-gxj-budget-2025-chromium.pdf"
        ))
        .status()
        .expect("python3 runs");
    assert!(made.success());
    let out = dir.path().join("out");
    let run = Command::new("prlimit")
        .arg(format!("--as={}", 2u64 << 30))
        .arg(env!("CARGO_BIN_EXE_gongkai"))
        .args(["convert", "-j", "2", "-o"])
        .arg(&out)
        .arg(&corpus)
        .output()
        .expect("prlimit runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    // Exit 1 means "some files failed": expected; an abort is a signal.
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let index = index_lines(&out.join("index.jsonl"));
    let files = std::fs::read_dir(&corpus).unwrap().count();
    assert_eq!(index.len(), files, "every file is in the index");
    let records = |path: &str| {
        index.iter().find(|e| e["path"] == path).unwrap()["records"]
            .as_u64()
            .unwrap()
    };
    let whole = records("ok-whole.pdf");
    assert!(whole > 200);
    for e in &index {
        let path = e["path"].as_str().unwrap();
        let status = e["status"].as_str().unwrap();
        let error = e["error"].as_str().unwrap_or_default();
        let doc: serde_json::Value = if e["output"].is_string() {
            serde_json::from_slice(&std::fs::read(out.join(e["output"].as_str().unwrap())).unwrap())
                .unwrap()
        } else {
            serde_json::Value::Null
        };
        let partial = doc["source"]["partial"] == true;
        if path.starts_with("error-") {
            assert_eq!(status, "error", "{path}: {error}");
        } else if path.starts_with("partial-") {
            assert_eq!(status, "warning", "{path}: {error}");
            assert!(partial, "{path} is marked partial");
        } else if path.starts_with("warning-") {
            assert_eq!(status, "warning", "{path}: {error}");
            assert!(
                error.contains("reached (raise it with --limit"),
                "{path}: {error}"
            );
        } else if path.starts_with("cut-") {
            assert_ne!(status, "ok", "{path} is truncated");
            assert!(error.contains("truncated PDF"), "{path}: {error}");
            assert!(
                records(path) <= whole,
                "{path}: {} > {whole}",
                records(path)
            );
        } else if path == "ok-whole.pdf" {
            assert_eq!(status, "ok", "{path}: {error}");
            assert!(!partial, "{path}");
        } else {
            // Sound files that are no disclosure: read, without damage.
            assert!(path.starts_with("ok-"), "{path}");
            assert_ne!(status, "error", "{path}: {error}");
            assert!(
                !partial && error.starts_with("normalize"),
                "{path}: {error}"
            );
        }
    }
    let message = |path: &str| {
        index.iter().find(|e| e["path"] == path).unwrap()["error"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message("error-html-saved-as.pdf").contains("looks like an HTML page"));
    assert!(message("error-empty.pdf").contains("empty file"));
    assert!(message("error-empty-dump.txt").contains("empty file"));
    assert!(message("partial-laughs-page-tree.pdf").contains("already seen"));
    // Each cause in its own words, not the parser's.
    for deep in ["partial-deep-nesting.pdf", "partial-deep-dictionaries.pdf"] {
        assert!(
            message(deep).contains("nests arrays or dictionaries"),
            "{deep}"
        );
    }
    assert!(message("error-objstm-bomb.pdf").contains("limit max_stream_bytes"));
    assert!(message("partial-bad-filter-name.pdf").contains("unknown filter /NoSuchDecode"));
}
