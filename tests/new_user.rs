//! End-to-end tests of what a new user trips over (issue 18): each test is
//! one scenario from following the README on a fresh clone.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A bundled sample (committed, so these tests never need ../shared).
fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

const A: &str = "01-changzhi-gxj-budget-2025-chromium.pdf";
const B: &str = "14-wanli-budget-2025-reportlab-noruling.pdf";

/// `DIR/in` holding samples A and B; returns it.
fn two_samples(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for name in [A, B] {
        std::fs::copy(sample(name), input.join(name)).unwrap();
    }
    input
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `gongkai export DIR --jsonl` and its rows.
fn export_rows(dir: &Path, tmp: &Path) -> (std::process::Output, Vec<Value>) {
    let jsonl = tmp.join("rows.jsonl");
    let run = gongkai(&["export", s(dir), "--jsonl", s(&jsonl)]);
    let rows = std::fs::read_to_string(&jsonl)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (run, rows)
}

fn files_of(rows: &[Value]) -> Vec<String> {
    let mut files: Vec<String> = rows
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    files.dedup();
    files
}

/// The old `make eval` wrote its own convert run into `out/samples/`, and
/// `compare-pdfplumber` wrote other-tool JSON into `out/pdfplumber/`: export
/// of `out` counted every sample twice. Now only the documents of `out`'s own
/// run are exported; a copy of an input under another name comes once, with
/// a note.
#[test]
fn export_reads_only_this_runs_documents_once() {
    let tmp = TempDir::new("newuser-export");
    let input = two_samples(tmp.path());
    // The same bytes as A under another name.
    std::fs::copy(sample(A), input.join("copy-of-01.pdf")).unwrap();
    let out = tmp.path().join("out");
    let run = gongkai(&["convert", s(&input), "-o", s(&out)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    // What the old Makefile did: an eval run nested in out/, and pdfplumber's
    // grids (schema gongkai/1, no tool stamp) beside it.
    let run = gongkai(&["convert", s(&input), "-o", s(&out.join("samples"))]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    std::fs::create_dir_all(out.join("pdfplumber")).unwrap();
    let mut plumber: Value =
        serde_json::from_slice(&std::fs::read(out.join(format!("{A}.json"))).unwrap()).unwrap();
    plumber.as_object_mut().unwrap().remove("tool");
    std::fs::write(
        out.join(format!("pdfplumber/{A}.json")),
        serde_json::to_vec(&plumber).unwrap(),
    )
    .unwrap();

    let (run, rows) = export_rows(&out, tmp.path());
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let err = stderr(&run);
    assert_eq!(files_of(&rows), [A, B], "{err}");
    // As many rows as exporting one run of the same inputs on its own.
    let (_, one_run) = export_rows(&out.join("samples"), &input);
    assert_eq!(rows.len(), one_run.len());
    assert!(
        err.contains("copy-of-01.pdf.json not exported: same source")
            && err.contains(&format!("as {A}.json")),
        "{err}"
    );
    assert!(
        err.contains("samples not exported: it is another convert run"),
        "{err}"
    );
    assert!(err.contains("from 2 documents"), "{err}");
}

/// `make eval` and `make compare-pdfplumber` write outside the user's out/.
#[test]
fn makefile_writes_eval_outputs_outside_out() {
    let dir = env!("CARGO_MANIFEST_DIR");
    for target in ["eval", "compare-pdfplumber"] {
        let run = std::process::Command::new("make")
            .args(["-n", "-C", dir, target, "OUT=user-out"])
            .output()
            .expect("run make -n");
        assert!(run.status.success(), "{}", stderr(&run));
        let plan = String::from_utf8_lossy(&run.stdout);
        assert!(plan.contains("gongkai"), "{plan}");
        assert!(
            !plan.contains("user-out"),
            "{target} writes into OUT:\n{plan}"
        );
    }
}

fn index_paths(path: &Path) -> Vec<String> {
    index_lines(path)
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect()
}

/// A second `convert` into the same folder used to replace the index with
/// its own inputs; the index now lists every document of the folder.
#[test]
fn two_runs_into_one_folder_give_an_index_of_all_documents() {
    let tmp = TempDir::new("newuser-index");
    let out = tmp.path().join("out");
    let index = out.join("index.jsonl");
    let run = gongkai(&["convert", s(&sample(A)), "-o", s(&out)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let run = gongkai(&["convert", s(&sample(B)), "-o", s(&out)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(index_paths(&index), [A, B]);
    assert!(stderr(&run).contains("(2 documents)"), "{}", stderr(&run));

    // A folder whose index was lost (or replaced by an older version): the
    // next run indexes the documents already there too.
    std::fs::remove_file(&index).unwrap();
    let run = gongkai(&["convert", s(&sample(B)), "-o", s(&out)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let lines = index_lines(&index);
    assert_eq!(index_paths(&index), [A, B]);
    assert_eq!(lines[0]["output"], format!("{A}.json"));
    assert!(lines[0]["records"].as_u64().unwrap() > 0);

    // An output removed by hand leaves the index at the next run.
    std::fs::remove_file(out.join(format!("{A}.json"))).unwrap();
    let run = gongkai(&["convert", s(&sample(B)), "-o", s(&out)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(index_paths(&index), [B]);

    // A shard keeps its own index: only its inputs.
    let input = two_samples(tmp.path());
    let shards = tmp.path().join("shards");
    let mut seen = Vec::new();
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let run = gongkai(&["convert", s(&input), "-o", s(&shards), "--shard", &shard]);
        assert_eq!(code(&run), 0, "{}", stderr(&run));
        seen.extend(index_paths(&shards.join(format!("index-{k}-of-2.jsonl"))));
    }
    seen.sort();
    assert_eq!(seen, [A, B]);
    assert!(!shards.join("index.jsonl").exists());
}

/// The README's query summed code 201's total over every table and counted
/// it three times (收入总表, 支出总表, 一般公共预算支出表); summed over
/// `role = 'expenditure'` it counts once, for a budget and a final account.
#[test]
fn summing_one_role_counts_each_amount_once() {
    let tmp = TempDir::new("newuser-role");
    let out = tmp.path().join("out");
    let fin = "03-tunliu-gxj-final-2023-chromium.pdf";
    let run = gongkai(&["convert", s(&sample(A)), s(&sample(fin)), "-o", s(&out)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let (run, rows) = export_rows(&out, tmp.path());
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    for file in [A, fin] {
        let total_201 = |r: &&Value| {
            r["file"] == file
                && r["code"] == "201"
                && r["column"].as_str().is_some_and(|c| c.ends_with("合计"))
        };
        let everywhere = rows.iter().filter(total_201).count();
        let once: Vec<&Value> = rows
            .iter()
            .filter(total_201)
            .filter(|r| r["role"] == "expenditure")
            .collect();
        assert!(
            everywhere >= 2,
            "{file}: the amount is printed more than once"
        );
        assert_eq!(once.len(), 1, "{file}: {once:?}");
        assert!(once[0]["table_kind"]
            .as_str()
            .unwrap()
            .ends_with("expenditure"));
    }
}

/// The summary said "1 warning" and named no file; under the progress bar
/// warnings were not shown at all. Now each is printed above the bar as it
/// happens and the summary names the file and why.
#[test]
fn warnings_are_named_above_the_bar_and_in_the_summary() {
    let tmp = TempDir::new("newuser-warn");
    let input = two_samples(tmp.path());
    let out = tmp.path().join("out");
    let run = gongkai(&["convert", s(&input), "-o", s(&out)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let err = stderr(&run);
    let summary = err.split("gongkai: 2 inputs").nth(1).expect(&err);
    assert!(
        summary.contains(&format!("\n  warning {B}: normalize: ")),
        "{err}"
    );

    // On a terminal (a pseudo-terminal from util-linux `script`), the
    // warning is printed above the bar before the summary.
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipped the terminal half: no `script` (util-linux) to make a terminal");
        return;
    }
    let cmd = format!(
        "{} convert {} -o {} --force",
        env!("CARGO_BIN_EXE_gongkai"),
        s(&input),
        s(&tmp.path().join("tty-out"))
    );
    let run = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&run.stdout);
    if !screen.contains("gongkai: 2 inputs") {
        eprintln!("skipped the terminal half: `script` gave no terminal here: {screen}");
        return;
    }
    // The first frame shows counts, not "0/2 files,  (ETA 0s)".
    assert!(!screen.contains("files,  ("), "{screen}");
    assert!(screen.contains("0/2 files, 0 pages"), "{screen}");
    let before_summary = screen.split("gongkai: 2 inputs").next().unwrap();
    assert!(
        before_summary.contains(&format!("warning {B}: normalize: ")),
        "{screen}"
    );
}

/// `gongkai inspect … | head` printed "Broken pipe (os error 32)" and
/// exited 2; a closed pipe now ends it quietly with status 0, as `grep`.
#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    for stage in ["glyphs", "json"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["inspect", s(&sample(A)), "--stage", stage])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        // The reader is dropped here, closing the pipe like `head -1`.
        let run = child.wait_with_output().unwrap();
        assert_eq!(code(&run), 0, "{stage}: {}", stderr(&run));
        assert_eq!(stderr(&run), "", "{stage}");
    }
}

/// `cargo install --path .` ignores Cargo.lock and resolved 25 crates to
/// other versions than the ones tested; every install line in the README
/// uses `--locked`.
#[test]
fn readme_installs_with_the_lock_file() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let installs: Vec<&str> = readme
        .lines()
        .filter(|l| l.trim_start().starts_with("cargo install"))
        .collect();
    assert!(!installs.is_empty());
    for l in installs {
        assert!(l.contains("--locked"), "{l}");
    }
}

/// One line, on stderr, exit 2, naming the path.
fn usage_error(args: &[&str], path: &Path, says: &str) {
    let run = gongkai(args);
    let err = stderr(&run);
    assert_eq!(code(&run), 2, "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(s(path)), "{args:?}: {err}");
    assert!(err.contains(says), "{args:?}: {err}");
    assert!(err.matches("os error").count() <= 1, "said twice: {err}");
}

/// "cannot create outfile: File exists (os error 17)" said neither which
/// path nor what to do; inspect's errors came twice. Each error now names
/// the path and what to do, once.
#[test]
fn errors_name_the_path_and_what_to_do_once() {
    let tmp = TempDir::new("newuser-errors");
    let file = tmp.path().join("outfile");
    std::fs::write(&file, "").unwrap();
    let missing = tmp.path().join("missing.pdf");
    let a = sample(A);
    usage_error(
        &["convert", s(&a), "-o", s(&file)],
        &file,
        "give -o a directory",
    );
    usage_error(
        &["inspect", s(&missing)],
        &missing,
        "does not exist; check the path",
    );
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for stage in ["lines", "json"] {
        usage_error(
            &["inspect", s(&samples), "--stage", stage],
            &samples,
            "is a directory; inspect takes one PDF",
        );
    }
    let csv = tmp.path().join("x.csv");
    usage_error(
        &["export", s(&missing), "--csv", s(&csv)],
        &missing,
        "give the directory `gongkai convert -o` wrote",
    );
    usage_error(
        &["export", s(&file), "--csv", s(&csv)],
        &file,
        "give the directory `gongkai convert -o` wrote",
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    usage_error(
        &["convert", s(&empty), "-o", s(&tmp.path().join("o"))],
        &empty,
        "no .pdf or .txt files in",
    );
    std::fs::remove_dir(&empty).unwrap();
    // --csv naming a directory: nothing written, no temporary file left.
    let dir = tmp.path().join("exports");
    std::fs::create_dir_all(&dir).unwrap();
    usage_error(
        &["export", s(&samples), "--csv", s(&dir)],
        &dir,
        "is a directory; give a file name",
    );
    assert_eq!(tree(tmp.path()), ["outfile"]);
    usage_error(
        &["inspect", s(&a), "--svg", s(&file)],
        &file,
        "is a file; give a directory",
    );
    usage_error(
        &["eval", s(&samples), s(&file)],
        &file,
        "give the folder of truth JSON",
    );
}

/// Work not done was reported as success: out-of-range pages printed
/// nothing, eval of a mistyped directory scored zeros, an empty export said
/// nothing, `--csv` into a mistyped directory created it, and README.md
/// named directly came out `ok` with a year and a kind.
#[test]
fn no_silent_successes() {
    let tmp = TempDir::new("newuser-silent");
    let a = sample(A);
    // sample A has 25 pages.
    for stage in ["lines", "glyphs", "tables", "json"] {
        usage_error(
            &["inspect", s(&a), "--stage", stage, "--pages", "24-26,99"],
            &a,
            "--pages 26,99: ",
        );
    }
    let run = gongkai(&["inspect", s(&a), "--pages", "25"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(!run.stdout.is_empty());

    let missing = tmp.path().join("no-such-dir");
    let truth = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/truth");
    usage_error(
        &["eval", s(&missing), s(&truth)],
        &missing,
        "is not a directory",
    );

    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let csv = tmp.path().join("x.csv");
    let run = gongkai(&["export", s(&empty), "--csv", s(&csv)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("warning: no documents"),
        "{}",
        stderr(&run)
    );

    let deep = missing.join("sub/x.csv");
    usage_error(
        &["export", s(&empty), "--csv", s(&deep)],
        &deep,
        "does not exist; create",
    );
    assert!(!missing.exists(), "no directories created");

    // A file that is not a disclosure, named directly.
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let out = tmp.path().join("out");
    let run = gongkai(&["convert", s(&readme), s(&a), "-o", s(&out)]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let index = index_lines(&out.join("index.jsonl"));
    assert_eq!(index[1]["path"], "README.md");
    assert_eq!(index[1]["status"], "warning");
    assert!(
        index[1]["error"]
            .as_str()
            .unwrap()
            .contains("not a disclosure"),
        "{}",
        index[1]
    );
    assert_eq!(index[0]["status"], "ok", "a disclosure is not flagged");
}

/// Needs ../shared; run on its own by the test below with it pointed away.
#[test]
fn probe_needs_shared() {
    if !shared_present() {
        return;
    }
    assert!(shared("real").is_dir());
}

/// A clone without ../shared: the tests that need it are skipped, each with
/// one line naming the folder, and pass.
#[test]
fn without_shared_the_tests_needing_it_skip_with_one_line() {
    let tmp = TempDir::new("newuser-noshared");
    let absent = tmp.path().join("shared");
    let run = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["probe_needs_shared", "--exact", "--test-threads=1"])
        .env("GONGKAI_SHARED", &absent)
        .output()
        .unwrap();
    let err = stderr(&run);
    assert!(run.status.success(), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("skipped:")).collect();
    assert_eq!(
        lines,
        [format!(
            "skipped: needs {} (the shared real PDFs and seeds), which is absent",
            absent.display()
        )]
    );
}

/// The cosmetic points: "1 inputs with 1 workers", `--timeout 0.05` shown
/// as "0.1 s", skipped files showing their old timing, `--svg` counting
/// fewer files than it wrote, `export --help` silent on the checks file.
#[test]
fn messages_say_what_happened() {
    let tmp = TempDir::new("newuser-cosmetic");
    let out = tmp.path().join("out");
    let a = sample(A);
    let run = gongkai(&["convert", s(&a), "-o", s(&out)]);
    let err = stderr(&run);
    assert!(err.contains("converting 1 input with 1 worker\n"), "{err}");
    assert!(err.contains("gongkai: 1 input: 1 converted"), "{err}");
    let run = gongkai(&["convert", s(&a), "-o", s(&out)]);
    let err = stderr(&run);
    assert!(
        err.contains(&format!("] current {A} (25 pages)\n")),
        "{err}"
    );

    let run = gongkai_env(
        &[
            "convert",
            s(&a),
            "-o",
            s(&out),
            "--force",
            "--timeout",
            "0.05",
        ],
        &[("GONGKAI_FAULT", "hang:01-changzhi")],
    );
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("time budget of 0.05 s exceeded"),
        "{}",
        stderr(&run)
    );

    let svg = tmp.path().join("svg");
    std::fs::create_dir_all(&svg).unwrap();
    let run = gongkai(&[
        "inspect",
        s(&a),
        "--stage",
        "tables",
        "--pages",
        "8-9",
        "--svg",
        s(&svg),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let written = std::fs::read_dir(&svg).unwrap().count();
    assert!(written >= 4, "{written}");
    assert!(
        stderr(&run).contains(&format!("wrote {written} SVG files to ")),
        "{written}: {}",
        stderr(&run)
    );

    let help = gongkai(&["export", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains(".checks.csv") && text.contains(".checks.jsonl"),
        "{text}"
    );
}
