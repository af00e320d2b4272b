//! Header rows: the label rows printed above the first data row of a table,
//! kept apart from the body (multi-level headers stay as several rows), the
//! column-number row (`栏次 1 2 3 …`) recognised as neither header nor body,
//! and the spans of header cells inferred where a grid has no geometry (a
//! label followed by empty cells over labelled columns spans them).

use crate::cells::{
    is_amount, is_code, is_column_number_row, is_enumerated, is_total_label, squash,
};
use crate::table::Span;

/// An amount that marks a data row: one with decimals or thousands commas
/// (integers alone may be years, line numbers or column numbers).
pub fn is_data_amount(s: &str) -> bool {
    is_amount(s) && (s.contains('.') || s.contains(','))
}

/// A subject code of the lengths codes have (3, 5 or 7 digits; a 4-digit
/// number is more often a year).
fn is_subject_code(s: &str) -> bool {
    is_code(s) && matches!(squash(s).trim_matches(['[', ']']).len(), 3 | 5 | 7)
}

/// Whether a row carries data (an amount, or a subject code in its first cells).
pub fn is_data_row(cells: &[String]) -> bool {
    if is_column_number_row(cells) {
        return false;
    }
    cells.iter().any(|c| is_data_amount(c)) || cells.iter().take(2).any(|c| is_subject_code(c))
}

/// Number of header rows at the top of `rows`: the rows before the first data
/// row, when there are at most `max` of them (a longer run of label rows is a
/// form, not a header: no header then). A table with no data row at all
/// (an empty table) is all header when it is short enough.
pub fn header_count(rows: &[Vec<String>], max: usize) -> usize {
    // Without amounts (an empty template), the first item row starts the body:
    // an enumerated label (一、), a total label, or a serial number (序号 1).
    let first_data = rows.iter().position(|r| is_data_row(r)).or_else(|| {
        rows.iter().position(|r| {
            let mut filled = r.iter().filter(|c| !c.trim().is_empty());
            let label = filled.next();
            // An item row: its label, then amounts or nothing (a label row
            // such as "合计 | 因公出国（境）费 | …" is a header).
            let rest_amounts =
                filled.all(|c| is_amount(c) || is_enumerated(c) || is_total_label(c));
            (label.is_some_and(|c| is_enumerated(c) || is_total_label(c)) && rest_amounts)
                || r.first().is_some_and(|c| c.trim() == "1")
        })
    });
    let k = first_data.unwrap_or(rows.len());
    if k <= max {
        k
    } else {
        0
    }
}

/// Spans of header cells in a grid without geometry: a label followed by empty
/// cells spans them when the header row below has labels there; a label with
/// only empty cells below it in the header spans down to the last header row.
pub fn infer_header_spans(header: &[Vec<String>]) -> Vec<Span> {
    let mut spans = Vec::new();
    let width = header.iter().map(|r| r.len()).max().unwrap_or(0);
    let empty = |r: usize, c: usize| -> bool {
        header
            .get(r)
            .and_then(|row| row.get(c))
            .is_none_or(|s| s.trim().is_empty())
    };
    let mut covered = vec![vec![false; width]; header.len()];
    for r in 0..header.len() {
        for c in 0..width {
            if empty(r, c) || covered[r][c] {
                continue;
            }
            let mut cols = 1;
            if r + 1 < header.len() {
                while c + cols < width && empty(r, c + cols) && !empty(r + 1, c + cols) {
                    cols += 1;
                }
            }
            let mut rows = 1;
            if cols == 1 {
                while r + rows < header.len() && empty(r + rows, c) {
                    rows += 1;
                }
            }
            for rr in r..r + rows {
                for cc in c..c + cols {
                    if let Some(x) = covered.get_mut(rr).and_then(|row| row.get_mut(cc)) {
                        *x = true;
                    }
                }
            }
            if rows > 1 || cols > 1 {
                spans.push(Span {
                    row: r,
                    col: c,
                    rows,
                    cols,
                });
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(s: &str) -> Vec<Vec<String>> {
        s.lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn header_stops_at_first_data_row() {
        let g = rows("项目\t\t2025年预算数\t\t\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n合计\t\t20656.65\t1046.03\t19610.61\n201\t一般公共服务支出\t1.09\t\t1.09");
        assert_eq!(header_count(&g, 5), 2);
        let spans = infer_header_spans(&g[..2]);
        assert!(spans.contains(&Span {
            row: 0,
            col: 0,
            rows: 1,
            cols: 2
        }));
        assert!(spans.contains(&Span {
            row: 0,
            col: 2,
            rows: 1,
            cols: 3
        }));
    }

    #[test]
    fn vertical_span_and_years_are_not_data() {
        let g = rows("项目\t2024\t2025\t上年结转\n科目\t年\t年\t\n201\t1.00\t2.00\t");
        assert_eq!(header_count(&g, 5), 2);
        let spans = infer_header_spans(&g[..2]);
        assert!(spans.contains(&Span {
            row: 0,
            col: 3,
            rows: 2,
            cols: 1
        }));
    }

    #[test]
    fn long_label_runs_are_forms_not_headers() {
        let g = rows("项目名称\tx\n主管部门\ty\n属性\tz\n资金\tw\n概况\tv\n依据\tu\n金额\t1.00");
        assert_eq!(header_count(&g, 5), 0);
    }

    #[test]
    fn empty_templates_start_their_body_at_the_first_item() {
        let g = rows("收入\t\t支出\t\n项目\t决算数\t项目\t决算数\n一、一般公共预算财政拨款收入\t\t一、一般公共服务支出\t\n\t\t二、外交支出\t");
        assert_eq!(header_count(&g, 5), 2);
        let g = rows("序号\t单位名称\t备注\n1\t上海市XX局（本级）\t\n2\t上海市XX中心\t");
        assert_eq!(header_count(&g, 5), 1);
    }
}
