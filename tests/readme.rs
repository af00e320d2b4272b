//! The README's examples, run (a doc-test of the README): every `gongkai`
//! command in its `sh` and `console` blocks is run in a throw-away folder,
//! the printed output of the `console` blocks is compared line by line (`…`
//! stands for lines left out), the index lines, the CSV lines and the field
//! names of the JSON example must be what the program writes, and the
//! DuckDB query runs when the `duckdb` Python package is there. So the README
//! cannot drift from the program again.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One fenced block: its language, first line number and lines.
struct Block {
    lang: String,
    line: usize,
    lines: Vec<String>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn blocks(readme: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, l) in readme.lines().enumerate() {
        if let Some(lang) = l.strip_prefix("```") {
            match open.take() {
                Some(b) => out.push(b),
                None => {
                    open = Some(Block {
                        lang: lang.trim().to_string(),
                        line: i + 1,
                        lines: Vec::new(),
                    })
                }
            }
        } else if let Some(b) = &mut open {
            b.lines.push(l.to_string());
        }
    }
    out
}

/// The words of a README command line, with its names for the user's
/// folders mapped into `tmp` and placeholders filled in; `None` for a line
/// that is not a `gongkai` command.
fn command(line: &str, tmp: &Path) -> Option<Vec<String>> {
    let line = line.trim().trim_start_matches("$ ");
    let line = line.split(" # ").next().unwrap_or(line);
    let line = line.split(" ::: ").next().unwrap_or(line);
    let mut words = line.split_whitespace();
    if words.next() != Some("gongkai") {
        return None;
    }
    let t = |name: &str| tmp.join(name).display().to_string();
    Some(
        words
            .map(|w| match w {
                "out" | "OUT" => t("out"),
                "records.csv" | "records.jsonl" => t(w),
                "TRUTH" => "samples/truth".to_string(),
                "/shared/out" => t("shared-out"),
                _ if w.starts_with("target/") => t(w.trim_start_matches("target/")),
                _ => w.replace("${SLURM_ARRAY_TASK_ID}", "1").replace("{}", "1"),
            })
            .collect(),
    )
}

/// Run one README command from the repository root; returns its output, or
/// `None` when it needs ../shared and that is absent (said in one line).
fn run(words: &[String], at: &str) -> Option<std::process::Output> {
    let mut words = words.to_vec();
    if words.iter().any(|w| w.starts_with("../shared")) && !shared_present() {
        if words.first().map(String::as_str) != Some("convert") {
            return None;
        }
        // Convert the inputs that are there, if any.
        words.retain(|w| !w.starts_with("../shared"));
        if words.get(1).is_none_or(|w| w.starts_with('-')) {
            return None;
        }
    }
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(&words)
        .current_dir(root())
        .output()
        .unwrap();
    // A path of the user's own (`/data/…`) does not exist here: the command
    // must still parse and say so, naming it.
    let missing = words
        .iter()
        .skip(1)
        .find(|w| w.starts_with('/') && !Path::new(w).exists() && !w.contains("gongkai-e2e"));
    match missing {
        Some(m) => {
            assert_eq!(code(&o), 2, "{at}: {words:?}: {}", stderr(&o));
            assert!(
                stderr(&o).contains(&format!("input {m} does not exist")),
                "{at}: {words:?}: {}",
                stderr(&o)
            );
        }
        None => assert_eq!(code(&o), 0, "{at}: {words:?}: {}", stderr(&o)),
    }
    Some(o)
}

/// Whether `expected` (with `…` lines standing for any lines) matches
/// `actual` from its first line.
fn matches(expected: &[String], actual: &[&str]) -> Result<(), String> {
    let mut pos = 0;
    let mut gap = false;
    for e in expected {
        if e.trim() == "…" {
            gap = true;
            continue;
        }
        // Trailing blanks do not survive a Markdown editor.
        let same = |a: &&str| a.trim_end() == e.trim_end();
        let found = if gap {
            actual.iter().skip(pos).position(same).map(|i| pos + i)
        } else {
            actual.get(pos).filter(|a| same(a)).map(|_| pos)
        };
        match found {
            Some(i) => pos = i + 1,
            None => {
                return Err(format!(
                    "expected {e:?} at output line {}, got {:?}",
                    pos + 1,
                    actual.get(pos)
                ))
            }
        }
        gap = false;
    }
    Ok(())
}

/// Every object key anywhere in a JSON value.
fn keys(v: &Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                keys(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
        _ => {}
    }
}

/// A Python with the package `module` (the repository's `.venv`, as
/// `make deps` installs it, or the system's).
fn python_with(module: &str) -> Option<PathBuf> {
    [root().join(".venv/bin/python"), PathBuf::from("python3")]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .args(["-c", &format!("import {module}")])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn skip(at: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {at}: {why} (make deps puts it in .venv)"
    );
}

#[test]
fn readme_examples_run_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let tmp = TempDir::new("readme");
    let out = tmp.path().join("out");
    let mut ran = 0;
    for b in blocks(&readme) {
        let at = format!("README.md:{}", b.line);
        match b.lang.as_str() {
            "sh" => {
                for l in &b.lines {
                    if let Some(words) = command(l, tmp.path()) {
                        ran += usize::from(run(&words, &at).is_some());
                    }
                }
            }
            "console" => {
                // `$ command` then the lines it prints.
                let mut i = 0;
                while i < b.lines.len() {
                    let Some(words) = command(&b.lines[i], tmp.path()) else {
                        i += 1;
                        continue;
                    };
                    let end = (i + 1..b.lines.len())
                        .find(|&j| b.lines[j].starts_with("$ "))
                        .unwrap_or(b.lines.len());
                    if let Some(o) = run(&words, &at) {
                        ran += 1;
                        let text = String::from_utf8_lossy(&o.stdout);
                        let actual: Vec<&str> = text.lines().collect();
                        if let Err(e) = matches(&b.lines[i + 1..end], &actual) {
                            panic!("{at}: {words:?}: {e}");
                        }
                    }
                    i = end;
                }
            }
            "json" if b.lines.first().is_some_and(|l| l.starts_with("{\"path\"")) => {
                // Index lines: the same fields in the same order; the same
                // file identity (counts move as the program improves).
                let index: Vec<Value> = index_lines(&out.join("index.jsonl"));
                for l in &b.lines {
                    let want: Value = serde_json::from_str(l).unwrap();
                    let got = index
                        .iter()
                        .find(|e| e["path"] == want["path"])
                        .unwrap_or_else(|| panic!("{at}: {} not in the index", want["path"]));
                    let names =
                        |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
                    assert_eq!(names(&want), names(got), "{at}");
                    for k in ["output", "sha256", "pages"] {
                        assert_eq!(want[k], got[k], "{at}: {k}");
                    }
                }
            }
            "json" => {
                // The shortened document: every field it names is one the
                // program writes.
                let file = b
                    .lines
                    .iter()
                    .find_map(|l| l.split("\"file\": \"").nth(1))
                    .and_then(|r| r.split('"').next())
                    .unwrap();
                let doc: Value = serde_json::from_slice(
                    &std::fs::read(out.join(format!("{file}.json"))).unwrap(),
                )
                .unwrap();
                let mut have = Default::default();
                keys(&doc, &mut have);
                let text = b.lines.join("\n");
                for part in text.split('"').collect::<Vec<_>>().windows(2) {
                    if part[1].trim_start().starts_with(':') && !part[0].is_empty() {
                        // part[0] is a quoted name followed by a colon; keys
                        // of `values` are column labels, not fields.
                        let k = part[0];
                        if k.chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                        {
                            assert!(have.contains(k), "{at}: field {k:?} is not written");
                        }
                    }
                }
            }
            "csv" => {
                let csv = std::fs::read_to_string(tmp.path().join("records.csv")).unwrap();
                let csv = csv.trim_start_matches('\u{feff}');
                let lines: Vec<&str> = csv.split("\r\n").collect();
                assert_eq!(lines[0], b.lines[0], "{at}: header");
                for l in &b.lines[1..] {
                    assert!(lines.contains(&l.as_str()), "{at}: not exported: {l}");
                }
            }
            "python" => match python_with("pandas") {
                Some(py) => {
                    // The snippet as written, then: it read rows.
                    let code = format!("{}\nassert len(df) > 0", b.lines.join("\n"));
                    let o = Command::new(py)
                        .args(["-c", &code])
                        .current_dir(tmp.path())
                        .output()
                        .unwrap();
                    assert!(o.status.success(), "{at}: {}", stderr(&o));
                    ran += 1;
                }
                None => skip(&at, "the pandas example needs the pandas Python package"),
            },
            "sql" => match python_with("duckdb") {
                Some(py) => {
                    let sql = b
                        .lines
                        .iter()
                        .filter(|l| !l.trim_start().starts_with("--"))
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n");
                    let o = Command::new(py)
                        .args([
                            "-c",
                            "import duckdb, sys; print(duckdb.sql(sys.argv[1]).fetchall())",
                            &sql,
                        ])
                        .current_dir(tmp.path())
                        .output()
                        .unwrap();
                    assert!(o.status.success(), "{at}: {}", stderr(&o));
                    let text = String::from_utf8_lossy(&o.stdout);
                    assert!(text.contains("9070.6"), "{at}: {text}");
                    ran += 1;
                }
                None => skip(&at, "the DuckDB query needs the duckdb Python package"),
            },
            _ => {}
        }
    }
    assert!(ran >= 6, "only {ran} README commands ran");
}
