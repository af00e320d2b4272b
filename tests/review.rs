//! `gongkai review` end to end: convert samples/, write the review site, and
//! load it in a real headless browser (Debian's chromium, installed by
//! `make deps`): the index lists every document, a document page shows its
//! tables, a failed check is highlighted on its cell, and clicking a cell
//! (the page's `#test-click=` hook) selects its box on the page picture.

mod common;
use common::{code, gongkai, stderr, TempDir};
use std::path::Path;
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// The DOM after the page's scripts ran (or a screenshot with `extra`).
fn browser(exe: &str, profile: &Path, url: &str, extra: &[&str]) -> String {
    let out = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn review_of_samples_in_a_browser() {
    let tmp = TempDir::new("review");
    let out = tmp.path().join("out");
    let site = tmp.path().join("site");
    let o = gongkai(&["convert", "samples", "-o", out.to_str().unwrap()]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let o = gongkai(&[
        "review",
        out.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--source",
        "samples",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let docs = std::fs::read_to_string(site.join("docs.js")).unwrap();
    let n_samples = std::fs::read_dir("samples")
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count();
    assert_eq!(docs.matches("\"href\":").count(), n_samples);
    // The document with a failed check (seed 14's components sum): which page.
    let rows: serde_json::Value = serde_json::from_str(
        docs.trim_start_matches("window.GONGKAI_DOCS=")
            .trim_end_matches(";\n"),
    )
    .unwrap();
    let failing = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["failed"].as_u64() > Some(0))
        .expect("a sample with a failed check");
    let href = failing["href"].as_str().unwrap();
    let tables = failing["table_count"].as_u64().unwrap() as usize;

    let Some(exe) = chromium() else {
        eprintln!("skipping the browser part: no chromium (make deps installs it)");
        return;
    };
    let profile = tmp.path().join("profile");
    let index = browser(
        exe,
        &profile,
        &format!("file://{}", site.join("index.html").display()),
        &["--dump-dom"],
    );
    assert_eq!(index.matches("<tr class=\"doc\"").count(), n_samples);
    let url = format!("file://{}#test-click=0.3.1", site.join(href).display());
    let dom = browser(exe, &profile, &url, &["--dump-dom"]);
    assert_eq!(dom.matches("<div class=\"tbl\"").count(), tables);
    // The failed check is listed with a link to its table, and highlighted on
    // a cell of that table with expected against found.
    let list = dom.split("<ul id=\"failed\">").nth(1).unwrap_or("");
    let list = list.split("</ul>").next().unwrap_or("");
    assert!(list.contains("<li>") && list.contains("expected"), "{list}");
    let t = list
        .split("href=\"#t")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the check names its table");
    let cell = dom
        .split(&format!("data-t=\"{t}\""))
        .skip(1)
        .find(|rest| {
            rest.split('>')
                .next()
                .unwrap_or("")
                .contains("class=\"fail\"")
        })
        .expect("a failed cell in the check's table");
    assert!(
        cell.contains("expected"),
        "the cell says expected against found"
    );
    assert!(dom.contains("rect data-t=\"0\" data-r=\"3\" data-c=\"1\""));
    assert!(
        dom.contains("data-selected-boxes=\"1\""),
        "the clicked cell's box is selected on the page"
    );
    assert!(dom.contains("class=\"sel\""));
    let shot = tmp.path().join("doc.png");
    browser(
        exe,
        &profile,
        &format!("file://{}", site.join(href).display()),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1400,1000",
        ],
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "screenshot of {size} bytes");
}

/// `convert --review` draws the pages while converting, so the review that
/// follows (and any later one of the same bytes) only writes HTML; a source
/// that changed after conversion is not drawn as if it matched.
#[test]
fn convert_review_draws_once_and_a_changed_source_is_said() {
    let tmp = TempDir::new("review-convert");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    for name in [
        "01-changzhi-gxj-budget-2025-chromium.pdf",
        "07-xinzhou-gxj-budget-2022-calc.pdf",
    ] {
        std::fs::copy(Path::new("samples").join(name), src.join(name)).unwrap();
    }
    let out = tmp.path().join("out");
    let site = tmp.path().join("site");
    let (src_s, out_s, site_s) = (
        src.to_str().unwrap(),
        out.to_str().unwrap(),
        site.to_str().unwrap(),
    );
    let o = gongkai(&["convert", src_s, "-o", out_s, "--review", site_s]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("(0 pages drawn, "), "{err}");
    assert!(!err.contains(", 0 reused)"), "{err}");
    // Every page picture the document pages name is in the site.
    let html = std::fs::read_to_string(site.join("doc-00001.html")).unwrap();
    let pictures: Vec<&str> = html
        .split("src=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .filter(|p| p.ends_with(".svg"))
        .collect();
    assert!(!pictures.is_empty(), "{html}");
    for p in &pictures {
        assert!(p.starts_with("pages/"), "{p}");
        assert!(site.join(p).is_file(), "{p} missing");
    }
    // A second review reuses every drawing.
    let o = gongkai(&["review", out_s, "-o", site_s, "--source", src_s]);
    assert!(stderr(&o).contains("(0 pages drawn, "), "{}", stderr(&o));

    // The source replaced after conversion: a fresh review will not draw it.
    let fresh = tmp.path().join("fresh");
    std::fs::copy(
        Path::new("samples").join("04-putuo-swj-budget-2025-chromium.pdf"),
        src.join("01-changzhi-gxj-budget-2025-chromium.pdf"),
    )
    .unwrap();
    let o = gongkai(&[
        "review",
        out_s,
        "-o",
        fresh.to_str().unwrap(),
        "--source",
        src_s,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = std::fs::read_to_string(fresh.join("doc-00001.html")).unwrap();
    assert!(
        html.contains("has changed since it was converted"),
        "{html}"
    );
}
