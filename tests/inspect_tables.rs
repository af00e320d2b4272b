//! `gongkai inspect --stage tables`: each table as a grid with its title,
//! pages and repairs; with `--svg`, one picture of the tables per page.

mod common;

use std::process::Command;

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

#[test]
fn tables_stage_prints_grids_with_repairs() {
    if !common::shared_present() {
        return;
    }
    let out = gongkai()
        .arg("inspect")
        .arg(common::shared("seeds/003_1c2d5dad9a5832d7.txt"))
        .args(["--stage", "tables"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("# 2022年预算收入总表"));
    assert!(text.contains("# repair split_row_merged"));
    assert!(text.contains("# repair split_number_joined p1 row 0: \"10,441.4 1\" -> \"10,441.41\""));
    assert!(text
        .lines()
        .any(|l| l.starts_with("H\t\t科目编码\t科目名称")));
}

#[test]
fn tables_stage_draws_svg_pages() {
    if !common::shared_present() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("gongkai-inspect-tables-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = gongkai()
        .arg("inspect")
        .arg(common::shared("real/budget/上海市财政局2025年单位预算.pdf"))
        .args(["--stage", "tables", "--pages", "8-9", "--svg"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("# pages 8,9 · Lattice"));
    let svg = std::fs::read_to_string(dir.join("tables-008.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("#cfe3ff"));
    let svg9 = std::fs::read_to_string(dir.join("tables-009.svg")).unwrap();
    assert!(svg9.contains("table_continued"));
    let _ = std::fs::remove_dir_all(&dir);
}
