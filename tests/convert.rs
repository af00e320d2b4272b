//! End-to-end tests of `gongkai convert`: what a batch run guarantees (one
//! JSON per input, a complete index, statuses, isolation of bad files, exit
//! codes, atomic outputs, resume, shards), run on the built binary.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// Convert the mixed corpus into `out`, returning the process output.
fn convert(input: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "convert",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    gongkai(&args)
}

#[test]
fn batch_converts_good_files_and_records_bad_ones() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("batch");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    let files = corpus();
    write_corpus(&input, &files);
    // Not an input: neither .pdf nor .txt.
    std::fs::write(input.join("good/notes.json"), b"{}").unwrap();

    let run = convert(&input, &out, &["-j", "2"]);
    let err = stderr(&run);
    assert_eq!(code(&run), 1, "some inputs are broken: {err}");

    // Nothing lost: one JSON per input, named by its relative path, plus the index.
    let mut expected: Vec<String> = files.keys().map(|k| format!("{k}.json")).collect();
    expected.push("index.jsonl".into());
    expected.sort();
    assert_eq!(tree(&out), expected, "no stray or temporary files");

    let index = index_lines(&out.join("index.jsonl"));
    let paths: Vec<&str> = index.iter().map(|e| e["path"].as_str().unwrap()).collect();
    let keys: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(paths, keys, "index: one line per input, sorted by path");

    for entry in &index {
        let path = entry["path"].as_str().unwrap();
        let bytes = &files[path];
        let doc: Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{path}.json"))).unwrap())
                .unwrap();
        assert_eq!(doc["schema"], "gongkai/1");
        // Every output, failed ones and the added `tool` stamp included, has
        // the contract's shape.
        let violations = gongkai_normalize::validate::validate_document(&doc);
        assert!(violations.is_empty(), "{path}: {violations:?}");
        assert_eq!(doc["source"]["file"], path);
        assert_eq!(doc["source"]["sha256"], sha256_hex(bytes));
        assert_eq!(entry["sha256"], sha256_hex(bytes));
        assert_eq!(doc["tool"]["name"], "gongkai");
        assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
        for field in ["pages", "tables", "records", "checks_failed", "ms"] {
            assert!(entry[field].is_u64(), "{path}: {field}");
        }
        let status = entry["status"].as_str().unwrap();
        if path.starts_with("bad/") {
            assert_eq!(status, "error", "{path}");
            assert!(!entry["error"].as_str().unwrap().is_empty());
            let diags = doc["diagnostics"].as_array().unwrap();
            assert!(diags.iter().any(|d| d["level"] == "error"), "{path}");
            assert_eq!(doc["tables"], Value::Array(vec![]));
        }
        if path.starts_with("good/") {
            assert_ne!(status, "error", "{path}: {entry}");
            assert!(entry["pages"].as_u64().unwrap() >= 1, "{path}");
            assert_eq!(doc["source"]["format"], "pdf");
        }
    }
    // The GBK dump is decoded and read, not an error.
    let dump = index
        .iter()
        .find(|e| e["path"].as_str().unwrap().starts_with("dumps/"))
        .unwrap();
    assert_ne!(dump["status"], "error", "{dump}");
    assert!(dump["pages"].as_u64().unwrap() >= 1);
    let dump_doc: Value = serde_json::from_slice(
        &std::fs::read(out.join("dumps/长治工信局预算-gbk.txt.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(dump_doc["source"]["format"], "text");

    // The summary names the failures.
    assert!(err.contains("error bad/corrupt.pdf"), "{err}");
    assert!(err.contains("error bad/empty.pdf"), "{err}");
}

#[test]
fn resume_skips_current_outputs_and_force_redoes_them() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("resume");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    let files = corpus();
    write_corpus(&input, &files);
    let n = files.len();

    let first = convert(&input, &out, &[]);
    assert_eq!(code(&first), 1);
    assert!(stderr(&first).contains(&format!("{n} converted, 0 current")));
    let first_index = index_lines(&out.join("index.jsonl"));
    let good = out.join("good/商务委员会.pdf.json");
    let before = std::fs::read(&good).unwrap();

    // Everything current: nothing converted, same index (timings kept).
    let second = convert(&input, &out, &[]);
    assert_eq!(code(&second), 1, "the broken inputs are still broken");
    assert!(
        stderr(&second).contains(&format!("0 converted, {n} current")),
        "{}",
        stderr(&second)
    );
    assert_eq!(index_lines(&out.join("index.jsonl")), first_index);
    assert_eq!(
        std::fs::read(&good).unwrap(),
        before,
        "deterministic output"
    );

    // An interrupted run: two outputs missing and a partial index.
    std::fs::remove_file(&good).unwrap();
    std::fs::remove_file(out.join("bad/empty.pdf.json")).unwrap();
    let partial: String = std::fs::read_to_string(out.join("index.jsonl"))
        .unwrap()
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(out.join("index.jsonl"), partial).unwrap();
    // A changed input is stale too.
    let dump = input.join("dumps/长治工信局预算-gbk.txt");
    let mut bytes = std::fs::read(&dump).unwrap();
    bytes.extend_from_slice(b"\r\n");
    std::fs::write(&dump, &bytes).unwrap();

    let third = convert(&input, &out, &[]);
    assert!(
        stderr(&third).contains(&format!("3 converted, {} current", n - 3)),
        "{}",
        stderr(&third)
    );
    assert_eq!(std::fs::read(&good).unwrap(), before);
    let index = index_lines(&out.join("index.jsonl"));
    assert_eq!(index.len(), n, "index complete again");
    let dump_entry = index
        .iter()
        .find(|e| e["path"].as_str().unwrap().starts_with("dumps/"))
        .unwrap();
    assert_eq!(dump_entry["sha256"], sha256_hex(&bytes));

    let forced = convert(&input, &out, &["--force"]);
    assert!(stderr(&forced).contains(&format!("{n} converted, 0 current")));
}

#[test]
fn a_panicking_or_hanging_file_does_not_take_the_run_down() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("isolate");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    let mut files = corpus();
    let dump = files["dumps/长治工信局预算-gbk.txt"].clone();
    files.insert("dumps/boom.txt".into(), dump.clone());
    files.insert("dumps/slow.txt".into(), dump);
    write_corpus(&input, &files);

    let run = gongkai_env(
        &[
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--timeout",
            "10",
        ],
        &[("GONGKAI_FAULT", "panic:boom,hang:slow")],
    );
    let err = stderr(&run);
    assert_eq!(code(&run), 1);
    assert!(
        !err.contains("panicked at"),
        "panic noise is routed to the record: {err}"
    );
    let index = index_lines(&out.join("index.jsonl"));
    assert_eq!(index.len(), files.len());
    let by_path = |p: &str| index.iter().find(|e| e["path"] == p).unwrap().clone();
    let boom = by_path("dumps/boom.txt");
    assert_eq!(boom["status"], "error");
    assert!(
        boom["error"]
            .as_str()
            .unwrap()
            .contains("panic: injected fault"),
        "{boom}"
    );
    let slow = by_path("dumps/slow.txt");
    assert_eq!(slow["status"], "error");
    assert!(
        slow["error"].as_str().unwrap().contains("time budget"),
        "{slow}"
    );
    // The same bytes under another name were fine.
    assert_ne!(by_path("dumps/长治工信局预算-gbk.txt")["status"], "error");
    let doc: Value =
        serde_json::from_slice(&std::fs::read(out.join("dumps/boom.txt.json")).unwrap()).unwrap();
    assert_eq!(doc["diagnostics"][0]["stage"], "convert");

    // A crash or a timeout is retried by the next run; the rest is current.
    let again = convert(&input, &out, &[]);
    let err = stderr(&again);
    assert!(
        err.contains(&format!("2 converted, {} current", files.len() - 2)),
        "{err}"
    );
    let index = index_lines(&out.join("index.jsonl"));
    for p in ["dumps/boom.txt", "dumps/slow.txt"] {
        let e = index.iter().find(|e| e["path"] == p).unwrap();
        assert_ne!(e["status"], "error", "{e}");
    }
}

#[test]
fn shards_partition_the_inputs() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("shard");
    let input = tmp.path().join("in");
    let mut files = corpus();
    // More inputs, so every shard is likely to get some.
    for i in 0..12 {
        files.insert(
            format!("more/第{i}号.txt"),
            format!("表{i}\n合计\t{i}\n").into_bytes(),
        );
    }
    write_corpus(&input, &files);
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for k in 1..=3 {
        // All shards write into one output directory, each with its own index.
        let out = tmp.path().join("out");
        let run = convert(&input, &out, &["--shard", &format!("{k}/3")]);
        assert!(code(&run) <= 1, "{}", stderr(&run));
        let index = index_lines(&out.join(format!("index-{k}-of-3.jsonl")));
        for e in &index {
            total += 1;
            seen.insert(e["path"].as_str().unwrap().to_string());
        }
    }
    let all: BTreeSet<String> = files.keys().cloned().collect();
    assert_eq!(total, all.len(), "no input in two shards");
    assert_eq!(seen, all, "every input in some shard");
    assert!(!tmp.path().join("out/index.jsonl").exists());
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("usage");
    let input = tmp.path().join("in");
    write_corpus(&input, &corpus());
    let out = tmp.path().join("out");
    let (i, o) = (input.to_str().unwrap(), out.to_str().unwrap());
    let missing = tmp.path().join("missing");
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["convert", i, "-o", o, "--shard", "4/3"],
        vec!["convert", i, "-o", o, "--shard", "x"],
        vec!["convert", i, "-o", o, "-j", "0"],
        vec!["convert", missing.to_str().unwrap(), "-o", o],
        vec!["convert", empty.to_str().unwrap(), "-o", o],
        vec!["convert", i],
        vec!["export", o],
    ];
    for args in cases {
        let run = gongkai(&args);
        assert_eq!(code(&run), 2, "{args:?}: {}", stderr(&run));
        let err = stderr(&run);
        assert!(
            err.starts_with("gongkai: ") || err.starts_with("error: "),
            "{args:?}: {err}"
        );
        if err.starts_with("gongkai: ") {
            assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        }
    }
    assert!(!out.join("index.jsonl").exists(), "no run happened");
}

#[test]
fn all_good_inputs_exit_0() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("ok");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    let files = corpus();
    let dump = &files["dumps/长治工信局预算-gbk.txt"];
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.txt"), dump).unwrap();
    std::fs::write(input.join("b.TXT"), dump).unwrap();
    let run = convert(&input, &out, &[]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(index_lines(&out.join("index.jsonl")).len(), 2);
}

#[test]
fn a_killed_run_leaves_a_usable_index_and_resumes() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("kill");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    let mut files = corpus();
    // One worker hangs on this; the other converts the rest.
    files.insert("zz/stuck.txt".into(), "表\n合计\t1\n".as_bytes().to_vec());
    write_corpus(&input, &files);
    let n = files.len();

    /// Kills the run however the test ends, so a failure leaves no process.
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-j",
            "2",
        ])
        .env("GONGKAI_FAULT", "hang:stuck")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Kill(child);
    // Wait until every other input is in the index, then kill the run hard.
    let index_path = out.join("index.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let lines = std::fs::read_to_string(&index_path)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines >= n - 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "run made no progress");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.0.kill().unwrap();
    child.0.wait().unwrap();

    // The partial index: whole lines, one per finished input, stuck one missing.
    let partial = index_lines(&index_path);
    assert_eq!(partial.len(), n - 1);
    assert!(partial.iter().all(|e| e["path"] != "zz/stuck.txt"));
    assert!(!out.join("zz/stuck.txt.json").exists());

    // Run again: only the unfinished input is converted.
    let again = convert(&input, &out, &[]);
    let err = stderr(&again);
    assert!(
        err.contains(&format!("1 converted, {} current", n - 1)),
        "{err}"
    );
    let index = index_lines(&index_path);
    assert_eq!(index.len(), n);
    let stuck = index.iter().find(|e| e["path"] == "zz/stuck.txt").unwrap();
    assert_ne!(stuck["status"], "error");
}

/// A FIFO, a link to a device and a dangling link named like inputs are
/// refused, each with its own record in the index, and none blocks the run
/// (opening a FIFO would wait forever, a device would read until memory ran out).
#[cfg(unix)]
#[test]
fn special_files_and_dangling_links_are_refused_and_recorded() {
    let tmp = TempDir::new("special");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    let fifo = input.join("fifo.pdf");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", input.join("zero.pdf")).unwrap();
    std::os::unix::fs::symlink(input.join("missing.pdf"), input.join("dangling.pdf")).unwrap();
    let run = convert(&input, &out, &["--timeout", "20"]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    let index = index_lines(&out.join("index.jsonl"));
    let got: Vec<(&str, &str, &str)> = index
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap(),
                e["status"].as_str().unwrap(),
                e["error"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    let want = [
        ("dangling.pdf", "a dangling symbolic link"),
        ("fifo.pdf", "a FIFO"),
        ("zero.pdf", "a character device"),
    ];
    for ((path, status, error), (wpath, wwhy)) in got.iter().zip(want) {
        assert_eq!((*path, *status), (wpath, "error"));
        assert!(
            error.contains("not a regular file") && error.contains(wwhy),
            "{path}: {error}"
        );
    }
    // A dangling link named directly is recorded too, not a usage error.
    let out2 = tmp.path().join("out2");
    let run = convert(&input.join("dangling.pdf"), &out2, &[]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    assert_eq!(index_lines(&out2.join("index.jsonl")).len(), 1);
}

/// A run killed with SIGKILL leaves `.X.json.HOST.PID.N.tmp` files; the next
/// run into the folder removes those of dead processes (a planted one makes
/// the check certain whatever the kill left).
#[test]
fn a_killed_runs_temp_files_are_removed_by_the_next_run() {
    let out = TempDir::new("kill9");
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "convert",
            &samples.to_string_lossy(),
            "-o",
            &out.path().to_string_lossy(),
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    let host: String = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(32)
        .collect();
    let host = if host.is_empty() {
        "host".to_string()
    } else {
        host
    };
    // PID 4194304 is above Linux's pid_max: a process that cannot be running.
    let planted = out.path().join(format!(".x.pdf.json.{host}.4194304.7.tmp"));
    std::fs::write(&planted, b"{\"truncated").unwrap();
    let o = gongkai(&[
        "convert",
        &samples.to_string_lossy(),
        "-o",
        &out.path().to_string_lossy(),
    ]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("temporary file(s) left"),
        "{}",
        stderr(&o)
    );
    let left: Vec<String> = tree(out.path())
        .into_iter()
        .filter(|p| p.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A file name at the file system's limit (255 bytes) converts: its output
/// name, which `.json` would push over the limit, is shortened with a hash and
/// the index says so; resume finds it again. An output that another input
/// needs as a folder is refused before anything runs.
#[test]
fn names_at_the_limit_convert_and_folder_clashes_are_refused() {
    let tmp = TempDir::new("names");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    let sample = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples/01-changzhi-gxj-budget-2025-chromium.pdf"),
    )
    .unwrap();
    let long = format!("{}.pdf", "部门预算".repeat(20) + &"x".repeat(11)); // 255 bytes
    assert_eq!(long.len(), 255);
    std::fs::write(input.join(&long), &sample).unwrap();
    let run = convert(&input, &out, &[]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let index = index_lines(&out.join("index.jsonl"));
    assert_eq!(index.len(), 1);
    let output = index[0]["output"].as_str().unwrap();
    assert!(output.len() <= 255 && output.ends_with(".json"), "{output}");
    assert!(index[0]["note"].as_str().unwrap().contains("shortened"));
    let doc: Value = serde_json::from_slice(&std::fs::read(out.join(output)).unwrap()).unwrap();
    assert_eq!(doc["source"]["file"], long.as_str());
    assert!(doc["tables"].as_array().unwrap().len() > 3);
    // Resume recognises the shortened output as current.
    let again = convert(&input, &out, &[]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert!(
        stderr(&again).contains("0 converted, 1 current"),
        "{}",
        stderr(&again)
    );

    let clash = tmp.path().join("clash");
    std::fs::create_dir_all(clash.join("a.pdf.json")).unwrap();
    std::fs::write(clash.join("a.pdf"), &sample).unwrap();
    std::fs::write(clash.join("a.pdf.json/b.pdf"), &sample).unwrap();
    let out2 = tmp.path().join("out2");
    let run = convert(&clash, &out2, &[]);
    assert_eq!(code(&run), 2, "{}", stderr(&run));
    assert!(stderr(&run).contains("needs a folder"), "{}", stderr(&run));
    assert!(!out2.join("index.jsonl").exists());
}
