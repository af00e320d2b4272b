//! End-to-end tests of `gongkai inspect --stage glyphs|lines [--svg DIR]` on
//! the built binary, on a real WPS budget table page.

mod common;

use common::*;
use serde_json::Value;

const WPS: &str = "real/budget/上海市普陀区商务委员会2025年部门预算.pdf";

fn json_lines(o: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn glyphs_as_json_lines_and_one_svg_per_page() {
    if !shared_present() {
        return;
    }
    let tmp = TempDir::new("inspect-svg");
    let svg_dir = tmp.path().join("svg");
    let file = shared(WPS);
    let o = gongkai(&[
        "inspect",
        file.to_str().unwrap(),
        "--pages",
        "9-10",
        "--stage",
        "glyphs",
        "--svg",
        svg_dir.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let glyphs = json_lines(&o);
    assert!(glyphs.len() > 300);
    assert!(glyphs.iter().all(|g| g["page"] == 9 || g["page"] == 10));
    let text: String = glyphs
        .iter()
        .filter(|g| g["page"] == 9)
        .map(|g| g["text"].as_str().unwrap())
        .collect();
    assert!(text.contains("部门财务收支预算总表"), "{text}");
    let g = &glyphs[0];
    assert_eq!(g["box"].as_array().unwrap().len(), 4);
    // Boxes in points to a thousandth, as printed in the README.
    for v in glyphs.iter().flat_map(|g| g["box"].as_array().unwrap()) {
        let v = v.as_f64().unwrap();
        assert!(
            v.to_string().split('.').nth(1).is_none_or(|d| d.len() <= 3),
            "{v}"
        );
    }
    assert!(g["font"].is_string() && g["size"].as_f64().unwrap() > 0.0);
    // One SVG per page: the page box, a box per glyph, the table's rulings.
    let mut files: Vec<_> = std::fs::read_dir(&svg_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    files.sort();
    assert_eq!(files, ["page-009.svg", "page-010.svg"]);
    let svg = std::fs::read_to_string(svg_dir.join("page-009.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    let page9 = glyphs.iter().filter(|g| g["page"] == 9).count();
    assert_eq!(svg.matches("<rect").count(), page9 + 1);
    assert!(svg.matches("<line").count() >= 20);
}

#[test]
fn lines_read_the_table_rows() {
    if !shared_present() {
        return;
    }
    let file = shared(WPS);
    let o = gongkai(&[
        "inspect",
        file.to_str().unwrap(),
        "--pages",
        "9",
        "--stage",
        "lines",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines = json_lines(&o);
    let texts: Vec<&str> = lines.iter().map(|l| l["text"].as_str().unwrap()).collect();
    assert!(
        texts.iter().any(|t| t.contains("财政拨款收入")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("371,514,655.00")),
        "{texts:?}"
    );
}
