//! End-to-end tests of user settings: `gongkai settings` prints a file that
//! `--settings` reads back unchanged, a bad file is an error naming the key,
//! a changed setting changes a table (PDF and text dump), and a resumed
//! `convert` redoes files whose settings changed.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const SAMPLE: &str = "samples/01-changzhi-gxj-budget-2025-chromium.pdf";

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn sample() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(SAMPLE)
        .display()
        .to_string()
}

fn tables(file: &str, settings: Option<&Path>) -> String {
    // Page 8 of the sample holds its 支出总表; a dump has one page.
    let pages = if file.ends_with(".pdf") { "8" } else { "1" };
    let mut args = vec!["inspect", file, "--stage", "tables", "--pages", pages];
    if let Some(s) = settings {
        args.extend(["--settings", s.to_str().unwrap()]);
    }
    let o = gongkai(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn printed_settings_read_back_unchanged() {
    let tmp = TempDir::new("settings-roundtrip");
    let printed = gongkai(&["settings"]);
    assert_eq!(code(&printed), 0);
    let text = stdout(&printed);
    assert!(
        text.contains("[tables]\n") && text.contains("[limits]\n"),
        "{text}"
    );
    assert!(
        text.contains("# rulings this close in position are one line (pt; default 3.0)\nsnap_tolerance = 3.0\n"),
        "{text}"
    );
    let file = tmp.path().join("all.toml");
    std::fs::write(&file, &text).unwrap();
    // Read back: the same settings printed, the same tables found.
    let again = gongkai(&["settings", "--settings", file.to_str().unwrap()]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(stdout(&again), text);
    assert_eq!(tables(&sample(), Some(&file)), tables(&sample(), None));
}

#[test]
fn a_bad_settings_file_names_the_key() {
    let tmp = TempDir::new("settings-bad");
    let file = tmp.path().join("bad.toml");
    let site = tmp.path().join("site").display().to_string();
    for (text, want) in [
        (
            "[tables]\nsnap_tolerence = 2\n",
            "unknown setting `tables.snap_tolerence`",
        ),
        (
            "[tabels]\nsnap_tolerance = 2\n",
            "unknown section `[tabels]`",
        ),
        (
            "[tables]\nmin_stream_rows = \"three\"\n",
            "tables.min_stream_rows = \"three\": expected a whole number ≥ 0 (rows)",
        ),
        ("[tables\n", "is not TOML"),
    ] {
        std::fs::write(&file, text).unwrap();
        for args in [
            vec!["inspect", SAMPLE, "--settings", file.to_str().unwrap()],
            vec![
                "convert",
                SAMPLE,
                "-o",
                tmp.path().to_str().unwrap(),
                "--settings",
                file.to_str().unwrap(),
            ],
            vec![
                "review",
                tmp.path().to_str().unwrap(),
                "-o",
                &site,
                "--settings",
                file.to_str().unwrap(),
            ],
        ] {
            let o = gongkai(&args);
            assert_eq!(code(&o), 2, "{args:?}");
            let e = stderr(&o);
            assert!(e.contains(want) && e.contains("bad.toml"), "{args:?}: {e}");
            assert_eq!(e.lines().count(), 1, "{e}");
        }
    }
    assert!(
        !tmp.path().join("index.jsonl").exists(),
        "nothing converted"
    );
}

#[test]
fn a_changed_setting_changes_a_table() {
    let tmp = TempDir::new("settings-change");
    // PDF: one header row at most, so the second header row is body.
    let file = tmp.path().join("one-header-row.toml");
    std::fs::write(&file, "[tables]\nmax_header_rows = 1\n").unwrap();
    let before = tables(&sample(), None);
    let after = tables(&sample(), Some(&file));
    assert!(
        before.contains("· 2 header rows · 38 body rows"),
        "{before}"
    );
    assert!(after.contains("· 0 header rows · 40 body rows"), "{after}");

    // Text dump: the same settings reach the dump path.
    let dump = tmp.path().join("d.txt");
    std::fs::write(
        &dump,
        "表1 2025年部门收入总表\n单位：万元\n科目编码\t科目名称\t合计\n201\t一般公共服务支出\t1.00\n\
         205\t教育支出\t2.00\n\n注：一是说明。\n注：二是说明。\n",
    )
    .unwrap();
    let notes = tmp.path().join("one-note.toml");
    std::fs::write(&notes, "[tables]\ndump_max_notes = 1\n").unwrap();
    let dump = dump.to_str().unwrap();
    let before = tables(dump, None);
    let after = tables(dump, Some(&notes));
    assert!(before.contains("# note: 注：二是说明。"), "{before}");
    assert!(
        after.contains("# note: 注：一是说明。") && !after.contains("二是说明"),
        "{after}"
    );
}

#[test]
fn resume_redoes_files_whose_settings_changed() {
    let tmp = TempDir::new("settings-resume");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(sample(), input.join("a.pdf")).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = gongkai(&args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        stderr(&o)
    };
    let stamp = || {
        let doc: Value =
            serde_json::from_slice(&std::fs::read(out.join("a.pdf.json")).unwrap()).unwrap();
        let index = index_lines(&out.join("index.jsonl"));
        assert_eq!(
            index[0]["settings"], doc["settings"],
            "index and output agree"
        );
        doc["settings"].as_str().unwrap().to_string()
    };
    assert!(run(&[]).contains("1 converted, 0 current"));
    let default = stamp();
    assert_eq!(default.len(), 12);
    assert!(run(&[]).contains("0 converted, 1 current"));

    // The printed defaults are the same settings: still current.
    let all = tmp.path().join("all.toml");
    std::fs::write(&all, stdout(&gongkai(&["settings"]))).unwrap();
    assert!(run(&["--settings", all.to_str().unwrap()]).contains("0 converted, 1 current"));

    // A changed setting: redone, with another stamp; then current again.
    let changed = tmp.path().join("changed.toml");
    std::fs::write(&changed, "[tables]\nmax_header_rows = 1\n").unwrap();
    let changed = changed.to_str().unwrap();
    assert!(run(&["--settings", changed]).contains("1 converted, 0 current"));
    assert_ne!(stamp(), default);
    assert!(run(&["--settings", changed]).contains("0 converted, 1 current"));
    // A changed limit is a changed setting too.
    assert!(run(&["--settings", changed, "--limit", "max_pages=100"]).contains("1 converted"));
    // Back to the defaults: redone.
    assert!(run(&[]).contains("1 converted, 0 current"));
    assert_eq!(stamp(), default);
}
