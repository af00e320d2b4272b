//! Centred rows of borderless tables: a row whose label wrapped onto two
//! lines, its other cells (行次, 金额, the other side's item) printed
//! vertically centred in the row. Chromium prints HTML tables so: the other
//! cells sit on a text line of their own half-way between the label's two
//! lines, overlapping both. Read line by line that is three rows, the label's
//! head with nothing beside it, the cells with no label, the label's tail
//! alone; read here it is one row: the outer lines' text joined in their
//! column, the middle line's cells in theirs.
//!
//! A label wrapped onto three or more lines has the row's amounts on its
//! middle line, or on a line of their own between two of its lines
//! ([`tall_cells`]); a wrapped text column beside it prints its lines in
//! between.
//!
//! Rows are never grouped on vertical position alone: tall glyph boxes make
//! ordinary rows overlap too. The outer lines must hold the two parts of the
//! same cells (the tail under its head, no wider, not a new item such as
//! `三、…`, a total or an amount), and the middle line nothing where they do.

use crate::cells::{is_amount, is_code, is_enumerated, is_total_label};
use crate::lines::TextLine;
use crate::pieces::Piece;
use crate::settings::Settings;

/// Whether `top`, `mid` and `bottom` (consecutive text lines with their
/// cells) are one centred row.
pub fn is_centred_row(
    top: (&TextLine, &[Piece]),
    mid: (&TextLine, &[Piece]),
    bottom: (&TextLine, &[Piece]),
    settings: &Settings,
) -> bool {
    let ((a, ap), (m, mp), (b, bp)) = (top, mid, bottom);
    if ap.is_empty() || mp.is_empty() || bp.is_empty() {
        return false;
    }
    let min_overlap = settings.centred_row_min_overlap;
    let (ca, cm, cb) = (a.bbox.center_y(), m.bbox.center_y(), b.bbox.center_y());
    let centred = ca < cm
        && cm < cb
        && (cm - (ca + cb) / 2.0).abs() <= settings.centred_row_max_offset
        && m.bbox.v_overlap(&a.bbox) >= min_overlap
        && m.bbox.v_overlap(&b.bbox) >= min_overlap;
    if !centred {
        return false;
    }
    let apart = |p: &Piece, q: &Piece| p.x1 <= q.x0 || p.x0 >= q.x1;
    // The middle line's cells are in other columns than the label's parts.
    if !mp.iter().all(|p| ap.iter().chain(bp).all(|q| apart(p, q))) {
        return false;
    }
    // The outer lines hold text, not figures of their own.
    let item = |t: &str| is_amount(t) || is_code(t) || is_total_label(t);
    if ap.iter().any(|p| item(&p.text)) {
        return false;
    }
    // Each tail sits under its head, is no wider (the head filled the cell
    // before it wrapped) and starts no new item.
    bp.iter().all(|p| {
        !item(&p.text)
            && !is_enumerated(&p.text)
            && ap
                .iter()
                .any(|q| !apart(p, q) && p.x1 - p.x0 <= q.x1 - q.x0)
    })
}

/// The body lines `first..=last` grouped into rows, top to bottom: a centred
/// row's three lines together, a tall cell's lines together
/// ([`tall_cells`]), every other line a row of its own.
pub fn group_rows(
    lines: &[TextLine],
    cells: &[Vec<Piece>],
    first: usize,
    last: usize,
    settings: &Settings,
) -> Vec<Vec<usize>> {
    let line = |k: usize| Some((lines.get(k)?, cells.get(k)?.as_slice()));
    let tall = tall_cells(lines, cells, first, first, last, settings);
    let mut out = Vec::new();
    let mut k = first;
    while k <= last {
        if let Some(t) = tall.iter().find(|t| t.top == k) {
            out.push((k..=t.bottom).collect());
            k = t.bottom + 1;
            continue;
        }
        // A tall cell's first lines are not taken by a centred row.
        let triple = k + 2 <= last
            && !tall.iter().any(|t| (k..=k + 2).contains(&t.top))
            && matches!((line(k), line(k + 1), line(k + 2)), (Some(a), Some(m), Some(b))
                if is_centred_row(a, m, b, settings));
        if triple {
            out.push(vec![k, k + 1, k + 2]);
            k += 3;
        } else {
            out.push(vec![k]);
            k += 1;
        }
    }
    out
}

/// A tall cell's lines: its label's first, its amounts' and its label's last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TallCell {
    pub top: usize,
    pub amounts: usize,
    pub bottom: usize,
}

/// Rows whose label wrapped onto three or more lines, the row's amounts
/// printed vertically centred beside it (on the label's middle line, or on a
/// line of their own between two of its lines), top to bottom. Lines between them that print only in other text columns (a
/// wrapped 绩效目标 beside the label) belong to the row too.
///
/// Never on position alone: the label's lines follow each other at most
/// `tall_cell_max_pitch_ratio` line heights apart, none holds an amount or
/// a code, the last starts no new item, every line but the last reaches the
/// label column's right edge (the text wrapped there, short of it by at most
/// `tall_cell_wrap_slack_ratio` line heights: a glyph that did not fit), and the amounts' line is centred between the first and the last
/// (within `centred_row_max_offset`).
///
/// The amounts' lines are those of `first..=last`; a label may begin above
/// them, down to line `floor` (the first data line of a table may be the
/// middle of a tall cell).
pub fn tall_cells(
    lines: &[TextLine],
    cells: &[Vec<Piece>],
    floor: usize,
    first: usize,
    last: usize,
    settings: &Settings,
) -> Vec<TallCell> {
    let amounts = |k: usize| {
        cells.get(k).and_then(|c| {
            c.iter()
                .filter(|p| is_amount(&p.text))
                .map(|p| p.x0)
                .reduce(f32::min)
        })
    };
    // The label column: left of every line's first amount.
    let Some(label_right) = (first..=last).filter_map(amounts).reduce(f32::min) else {
        return Vec::new();
    };
    let amounts_right = (first..=last)
        .filter_map(|k| cells.get(k))
        .flatten()
        .filter(|p| is_amount(&p.text))
        .map(|p| p.x1)
        .fold(label_right, f32::max);
    // A label prints in the label column, its line nothing over the amounts
    // but amounts (a header line does: the columns' labels).
    let label = |k: usize| -> Option<&Piece> {
        let c = cells.get(k)?;
        let clear = c
            .iter()
            .skip(1)
            .all(|p| is_amount(&p.text) || p.x1 <= label_right || p.x0 >= amounts_right);
        c.first().filter(|p| clear && p.x1 <= label_right)
    };
    // The widest label: the column's right edge, where labels wrap.
    let edge = (first..=last)
        .filter_map(label)
        .map(|p| p.x1)
        .fold(f32::MIN, f32::max);
    let mut out: Vec<TallCell> = Vec::new();
    for m in first..=last {
        if amounts(m).is_none() {
            continue;
        }
        let Some(mid) = lines.get(m) else { continue };
        let height = mid.bbox.y1 - mid.bbox.y0;
        let max_pitch = height * settings.tall_cell_max_pitch_ratio;
        // The label's lines above and below the amounts' line, nearest first,
        // over lines that print only in other columns.
        let walk = |up: bool| -> Vec<usize> {
            let mut found: Vec<usize> = Vec::new();
            let mut prev = m;
            let mut k = m;
            loop {
                k = if up {
                    match k.checked_sub(1) {
                        Some(j) if j >= floor => j,
                        _ => break,
                    }
                } else if k < last {
                    k + 1
                } else {
                    break;
                };
                if amounts(k).is_some() {
                    break;
                }
                let Some(p) = label(k) else { continue };
                let (Some(a), Some(b)) = (lines.get(prev), lines.get(k)) else {
                    break;
                };
                if (a.bbox.center_y() - b.bbox.center_y()).abs() > max_pitch
                    || is_code(&p.text)
                    || is_total_label(&p.text)
                {
                    break;
                }
                found.push(k);
                prev = k;
            }
            found
        };
        let (mut above, mut below) = (walk(true), walk(false));
        // Trim the longer side until the amounts are centred.
        let centre = |above: &[usize], below: &[usize]| -> Option<f32> {
            let top = lines.get(*above.last()?)?.bbox.center_y();
            let bottom = lines.get(*below.last()?)?.bbox.center_y();
            Some((top + bottom) / 2.0 - mid.bbox.center_y())
        };
        while let Some(off) = centre(&above, &below) {
            if off.abs() <= settings.centred_row_max_offset {
                break;
            }
            if off < 0.0 {
                above.pop();
            } else {
                below.pop();
            }
        }
        let (Some(&top), Some(&bottom)) = (above.last(), below.last()) else {
            continue;
        };
        if centre(&above, &below).is_none_or(|o| o.abs() > settings.centred_row_max_offset) {
            continue;
        }
        // Every line but the last wrapped at the column's edge; the last
        // starts no new item and is no wider.
        let mut label_lines: Vec<usize> = above.iter().rev().copied().collect();
        label_lines.extend(label(m).map(|_| m));
        label_lines.extend(below.iter().copied());
        let Some((&tail, heads)) = label_lines.split_last() else {
            continue;
        };
        let wrapped = heads.iter().all(|&k| {
            label(k).is_some_and(|p| edge - p.x1 <= height * settings.tall_cell_wrap_slack_ratio)
        });
        let tail_ok =
            label(tail).is_some_and(|p| !is_enumerated(&p.text) && p.x1 <= edge + height / 2.0);
        if wrapped && tail_ok && out.last().is_none_or(|t| t.bottom < top) {
            out.push(TallCell {
                top,
                amounts: m,
                bottom,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_extract::Rect;

    fn line(text: &str, pieces: &[(f32, f32, &str)], y0: f32) -> (TextLine, Vec<Piece>) {
        let x0 = pieces.iter().map(|p| p.0).fold(f32::MAX, f32::min);
        let x1 = pieces.iter().map(|p| p.1).fold(f32::MIN, f32::max);
        (
            TextLine {
                page: 1,
                text: text.into(),
                bbox: Rect {
                    x0,
                    y0,
                    x1,
                    y1: y0 + 10.0,
                },
                glyphs: Vec::new(),
            },
            pieces
                .iter()
                .map(|&(x0, x1, t)| Piece {
                    x0,
                    x1,
                    text: t.into(),
                })
                .collect(),
        )
    }

    fn check(
        a: &(TextLine, Vec<Piece>),
        m: &(TextLine, Vec<Piece>),
        b: &(TextLine, Vec<Piece>),
    ) -> bool {
        is_centred_row(
            (&a.0, &a.1),
            (&m.0, &m.1),
            (&b.0, &b.1),
            &Settings::default(),
        )
    }

    /// A 收入支出决算总表 printed by Chromium without borders (sample 22
    /// p5): labels wrapped onto two lines on the left (the first body row)
    /// and on the right, the row's other cells centred between them.
    #[test]
    fn stream_table_keeps_centred_rows_whole() {
        use crate::find::lattice::tests::glyphs_of;
        let mut glyphs = Vec::new();
        let mut at = |t: &str, x: f32, y: f32| glyphs.extend(glyphs_of(t, x, y, 10.0));
        // Numbers right-aligned at `right`.
        let num = |t: &str, right: f32| right - t.len() as f32 * 5.0;
        at("收入", 161.7, 112.0);
        at("支出", 413.7, 112.0);
        for (t, x) in [
            ("项目", 112.0),
            ("行次", 205.0),
            ("金额", 245.0),
            ("项目", 360.0),
            ("行次", 452.0),
            ("金额", 520.0),
        ] {
            at(t, x, 129.2);
        }
        // (y, income label, 行次, 金额, expenditure label, 行次, 金额)
        let lines: [(f32, &str, &str, &str, &str, &str, &str); 11] = [
            (163.7, "一、一般公共预算财政拨款收", "", "", "", "", ""),
            (
                170.45,
                "",
                "1",
                "32161.28",
                "一、一般公共服务支出",
                "32",
                "1276.47",
            ),
            (177.95, "入", "", "", "", "", ""),
            (195.2, "二、上级补助收入", "2", "", "二、外交支出", "33", ""),
            (
                212.45,
                "三、其他收入",
                "3",
                "12.54",
                "三、国防支出",
                "34",
                "",
            ),
            (229.7, "", "", "", "四、灾害防治及应急管理支", "", ""),
            (236.45, "", "4", "", "", "35", ""),
            (243.95, "", "", "", "出", "", ""),
            (
                261.2,
                "年初结转和结余",
                "5",
                "4.10",
                "年末结转和结余",
                "36",
                "12.54",
            ),
            (278.45, "", "6", "", "", "37", ""),
            (295.7, "总计", "7", "44922.84", "总计", "38", "44922.84"),
        ];
        for (y, a, b, c, d, e, f) in lines {
            at(a, 49.7, y);
            at(b, num(b, 217.0), y);
            at(c, num(c, 265.0), y);
            at(d, 301.7, y);
            at(e, num(e, 470.0), y);
            at(f, num(f, 545.0), y);
        }
        let page = gongkai_extract::Page {
            number: 5,
            width: 595.0,
            height: 842.0,
            glyphs,
            ..Default::default()
        };
        let s = Settings::default();
        let found = crate::find::stream::stream_tables(&page, &[], &s);
        assert_eq!(found.len(), 1);
        let t = crate::finish::finish(found[0].0.clone(), &s);
        assert_eq!(
            t.header.last().map(Vec::as_slice),
            Some(&["项目", "行次", "金额", "项目", "行次", "金额"].map(String::from)[..])
        );
        let rows: Vec<String> = t.rows.iter().map(|r| r.join("|")).collect();
        assert_eq!(
            rows,
            [
                "一、一般公共预算财政拨款收入|1|32161.28|一、一般公共服务支出|32|1276.47",
                "二、上级补助收入|2||二、外交支出|33|",
                "三、其他收入|3|12.54|三、国防支出|34|",
                "|4||四、灾害防治及应急管理支出|35|",
                "年初结转和结余|5|4.10|年末结转和结余|36|12.54",
                "|6|||37|",
                "总计|7|44922.84|总计|38|44922.84",
            ]
        );
        let merged: Vec<Option<usize>> = t
            .repairs
            .iter()
            .filter(|r| r.kind == crate::table::SPLIT_ROW_MERGED)
            .map(|r| r.row)
            .collect();
        assert_eq!(merged, [Some(0), Some(3)]);
    }

    /// Sample 22 as Chromium printed it: 收入支出决算总表 (p5) and
    /// 财政拨款收入支出决算总表 (pp10–11) come out with their centred rows
    /// whole, and the row of 行次 alone (`30 61`) stays a row.
    #[test]
    fn sample_22_centred_rows() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/22-changzhi-gxj-final-2025-chromium-noruling.pdf"
        );
        let doc = gongkai_extract::open_path(
            std::path::Path::new(path),
            &gongkai_extract::Options::default(),
        )
        .unwrap();
        let layout = crate::find_tables(&doc, &Settings::default());
        let rows = |title: &str| -> Vec<String> {
            let t = layout
                .tables
                .iter()
                .find(|t| t.title.as_deref() == Some(title))
                .unwrap_or_else(|| panic!("no table {title}"));
            t.rows.iter().map(|r| r.join("|")).collect()
        };
        let overview = rows("收入支出决算总表");
        assert_eq!(overview.len(), 31);
        for row in [
            "二、政府性基金预算财政拨款收入|2||二、外交支出|33|",
            "三、国有资本经营预算财政拨款收入|3|12744.92|三、国防支出|34|",
            "|22||二十二、灾害防治及应急管理支出|53|",
            "|26||二十六、抗疫特别国债安排的支出|57|",
            "|30|||61|",
        ] {
            assert!(overview.iter().any(|r| r == row), "{row}");
        }
        let fiscal = rows("财政拨款收入支出决算总表");
        assert_eq!(fiscal.len(), 32);
        for row in [
            "三、国有资本经营预算财政拨款|3|12744.92|三、国防支出|35||||",
            "|18||十八、自然资源海洋气象等支出|50||||",
            "|22||二十二、灾害防治及应急管理支出|54||||",
        ] {
            assert!(fiscal.iter().any(|r| r == row), "{row}");
        }
    }

    #[test]
    fn wrapped_label_with_centred_cells_is_one_row() {
        let a = line(
            "二、政府性基金预算财政拨款收",
            &[(49.7, 189.7, "二、政府性基金预算财政拨款收")],
            181.0,
        );
        let m = line(
            "2 二、外交支出 33",
            &[
                (210.0, 215.0, "2"),
                (301.7, 361.7, "二、外交支出"),
                (460.3, 470.3, "33"),
            ],
            187.7,
        );
        let b = line("入", &[(49.7, 59.7, "入")], 195.2);
        assert!(check(&a, &m, &b));
        // Lines a row apart do not overlap: three rows.
        let m_far = line(
            "2 二、外交支出 33",
            &m.1.iter()
                .map(|p| (p.x0, p.x1, p.text.as_str()))
                .collect::<Vec<_>>(),
            198.0,
        );
        let b_far = line("入", &[(49.7, 59.7, "入")], 215.0);
        assert!(!check(&a, &m_far, &b_far));
        // A new item under the label is a row of its own.
        let b_item = line("三、国防支出", &[(49.7, 109.7, "三、国防支出")], 195.2);
        assert!(!check(&a, &m, &b_item));
        // The middle line with a cell under the label is no centred row.
        let m_label = line("2 33", &[(49.7, 59.7, "2"), (460.3, 470.3, "33")], 187.7);
        assert!(!check(&a, &m_label, &b));
    }

    /// 广州's 项目支出 table: project names wrapped onto three and four
    /// lines (the first indented), the amounts centred beside them (on the
    /// name's middle line, or on a line of their own between two), and the
    /// 绩效目标 text column printing its own lines in between.
    #[test]
    fn a_label_wrapped_onto_several_lines_is_one_row_with_its_centred_amounts() {
        let amounts = |y: f32| {
            line(
                "138.05 138.05",
                &[(210.0, 240.0, "138.05"), (260.0, 290.0, "138.05")],
                y,
            )
        };
        let prose = |y: f32| line("完善系统运维", &[(550.0, 790.0, "完善系统运维的手段")], y);
        let with = |label: (f32, f32, &'static str), y: f32| {
            line(
                label.2,
                &[label, (210.0, 240.0, "70.25"), (260.0, 290.0, "70.25")],
                y,
            )
        };
        let rows = vec![
            // 0: an ordinary row.
            with((48.0, 120.0, "工作经费"), 100.0),
            // 1-5: three lines of name, amounts on the middle one.
            prose(108.0),
            line(
                "　　广州市人民政府办公厅",
                &[(48.0, 168.0, "　　广州市人民政府办公厅")],
                116.0,
            ),
            prose(124.0),
            with((43.0, 163.0, "2025-2026年度信息化整体运"), 131.6),
            line("维服务项目", &[(43.0, 93.0, "维服务项目")], 147.2),
            // 6-9: four lines of name, amounts alone between the 2nd and 3rd.
            line(
                "　　广州地区公文交换站",
                &[(48.0, 158.0, "　　广州地区公文交换站")],
                180.0,
            ),
            line(
                "(广州市人民政府公报编辑",
                &[(43.0, 158.0, "(广州市人民政府公报编辑")],
                195.6,
            ),
            amounts(203.4),
            line(
                "部)2025-2026年度信息化运",
                &[(43.0, 163.0, "部)2025-2026年度信息化运")],
                211.2,
            ),
            line("维服务", &[(43.0, 73.0, "维服务")], 226.8),
            // 11: an ordinary row.
            with((48.0, 120.0, "购置经费"), 250.0),
        ];
        let (lines, cells): (Vec<TextLine>, Vec<Vec<Piece>>) = rows.into_iter().unzip();
        let s = Settings::default();
        let groups = group_rows(&lines, &cells, 0, lines.len() - 1, &s);
        assert_eq!(
            groups,
            vec![
                vec![0],
                vec![1],
                vec![2, 3, 4, 5],
                vec![6, 7, 8, 9, 10],
                vec![11]
            ]
        );
    }

    /// Short rows without amounts above and below an amount row, equally
    /// spaced, are rows of their own: they did not wrap at the column's
    /// edge (no line reaches it), and a new item starts none.
    #[test]
    fn short_label_rows_around_an_amount_row_stay_rows() {
        let rows = vec![
            line(
                "一般公共服务支出合计金额",
                &[
                    (48.0, 168.0, "一般公共服务支出合计金额"),
                    (210.0, 240.0, "1.00"),
                ],
                100.0,
            ),
            line("取暖费", &[(48.0, 78.0, "取暖费")], 115.6),
            line(
                "物业费",
                &[(48.0, 78.0, "物业费"), (210.0, 240.0, "2.00")],
                131.2,
            ),
            line("差旅费", &[(48.0, 78.0, "差旅费")], 146.8),
        ];
        let (lines, cells): (Vec<TextLine>, Vec<Vec<Piece>>) = rows.into_iter().unzip();
        let s = Settings::default();
        assert!(tall_cells(&lines, &cells, 0, 0, 3, &s).is_empty());
        let groups = group_rows(&lines, &cells, 0, 3, &s);
        assert_eq!(groups, vec![vec![0], vec![1], vec![2], vec![3]]);
    }
}
