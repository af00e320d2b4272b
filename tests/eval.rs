//! End-to-end test of `gongkai eval` on the built binary: the committed sample
//! truth scored against itself is perfect, an empty output directory scores 0,
//! and `--json` gives the same figures machine-readably.

mod common;

use common::*;
use serde_json::Value;
use std::path::PathBuf;

fn truth_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/truth")
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn truth_against_itself_prints_perfect_scores() {
    let t = truth_dir();
    let o = gongkai(&["eval", t.to_str().unwrap(), t.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    let overall = text
        .lines()
        .find(|l| l.starts_with("overall"))
        .expect("an overall line");
    assert!(
        overall.contains("grid P 1.000 R 1.000 F1 1.000"),
        "{overall}"
    );
    assert!(
        overall.contains("records P 1.000 R 1.000 F1 1.000"),
        "{overall}"
    );
    assert!(
        overall.contains("indicators P 1.000 R 1.000 F1 1.000"),
        "{overall}"
    );
    assert!(text.lines().any(|l| l.starts_with("file ")));
    assert!(text.lines().any(|l| l.starts_with("  table ")));
    assert!(text.lines().any(|l| l.starts_with("kind budget_overview")));
}

#[test]
fn empty_output_scores_zero_and_json_agrees() {
    let tmp = TempDir::new("eval-empty");
    let t = truth_dir();
    let o = gongkai(&[
        "eval",
        tmp.path().to_str().unwrap(),
        t.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON report");
    let overall = &v["overall"];
    assert_eq!(overall["tables_matched"], 0);
    assert_eq!(overall["records"]["matched"], 0);
    assert!(overall["records"]["expected"].as_u64().unwrap() > 1000);
    assert_eq!(overall["grid"]["matched"], 0);
    assert_eq!(overall["grid_f1_mean"], 0.0);
    assert_eq!(overall["missing"], overall["files"]);
    assert!(overall["files"].as_u64().unwrap() >= 18);
}

#[test]
fn missing_truth_directory_is_an_error() {
    let tmp = TempDir::new("eval-none");
    let o = gongkai(&[
        "eval",
        tmp.path().to_str().unwrap(),
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no truth JSON"));
}
