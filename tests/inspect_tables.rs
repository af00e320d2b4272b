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

#[test]
fn steps_show_each_repair_where_it_is_made() {
    if !common::shared_present() {
        return;
    }
    let out = gongkai()
        .arg("inspect")
        .arg(common::shared("seeds/003_1c2d5dad9a5832d7.txt"))
        .args(["--stage", "tables", "--steps"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // Each table: the finder's grid, the steps that changed it, the table.
    let names = [
        "cell_text",
        "header_rows",
        "column_number_row",
        "notes_in_grid",
        "repeated_header_rows",
        "page_split_rows",
        "wrapped_rows",
    ];
    for table in text.split("=== table ").skip(1) {
        let marks: Vec<&str> = table.lines().filter(|l| l.starts_with("--- ")).collect();
        assert_eq!(marks.first(), Some(&"--- found"), "{table}");
        assert_eq!(marks.last(), Some(&"--- table"), "{table}");
        let order: Vec<usize> = marks[1..marks.len() - 1]
            .iter()
            .map(|m| {
                let name = m.strip_prefix("--- step ").unwrap();
                names.iter().position(|n| *n == name).unwrap()
            })
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{marks:?}");
    }
    // The split number is repaired by cell_text, on raw row 2 of its table,
    // before the header rows are counted (rows not yet told apart: R).
    let t4 = text
        .split("=== table ")
        .find(|t| t.contains("10,441.4 1"))
        .unwrap();
    let cell = t4
        .split("--- step ")
        .find(|s| s.starts_with("cell_text"))
        .unwrap();
    assert!(
        cell.contains("# repair split_number_joined p1 raw row 2: \"10,441.4 1\" -> \"10,441.41\"")
    );
    assert!(cell
        .lines()
        .any(|l| l.starts_with("R[2]\tp1\t") && l.contains("10,441.41")));
    let header = t4
        .split("--- step ")
        .find(|s| s.starts_with("header_rows"))
        .unwrap();
    assert!(header.contains("· 2 header rows") && header.lines().any(|l| l.starts_with("H[1]")));
    // The code on a line of its own is joined by wrapped_rows.
    let merged = text
        .split("--- step ")
        .find(|s| s.starts_with("wrapped_rows"))
        .unwrap();
    assert!(merged.contains("# repair split_row_merged p1 raw row 13: code 2101102"));
    // Without --stage tables there are no steps to show.
    let out = gongkai()
        .arg("inspect")
        .arg(common::shared("seeds/003_1c2d5dad9a5832d7.txt"))
        .args(["--stage", "lines", "--steps"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --stage tables"));
}
