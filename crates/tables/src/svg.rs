//! The picture `inspect --stage tables --svg` draws: a page with its text in
//! light grey and, for every table on it, each grid cell outlined, spanning
//! cells shaded, header rows tinted, and rows touched by a repair marked in
//! red with the repair kinds listed beside the table, so a user sees at once
//! why a table came out as it did.

use crate::table::{Region, Table};
use gongkai_extract::Page;
use std::fmt::Write as _;

/// `{:.2}` of an `f32`, without `core::fmt`'s exact-decimal machinery (the
/// larger part of drawing a page): an `f32` times 100 is exact in an `f64`
/// (24 + 7 bits), so rounding that half to even gives the digits
/// `format!("{:.2}")` gives, sign of zero included. Others go to `fmt`.
struct F2(f32);

impl std::fmt::Display for F2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        if !v.is_finite() || v.abs() >= 1.0e12 {
            return write!(f, "{v:.2}");
        }
        let hundredths = (f64::from(v).abs() * 100.0).round_ties_even() as u64;
        let sign = if v.is_sign_negative() { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// Rows of `table` drawn in `region` (header rows on the table's first region,
/// then the body rows printed on that page), as indices over header + body.
pub fn rows_in_region(table: &Table, region: &Region, first: bool) -> Vec<usize> {
    let h = table.header.len();
    let mut out: Vec<usize> = if first { (0..h).collect() } else { Vec::new() };
    out.extend(
        table
            .row_pages
            .iter()
            .enumerate()
            .filter(|(_, &p)| p == region.page)
            .map(|(i, _)| h + i),
    );
    out
}

/// SVG of one page with the tables found on it.
pub fn tables_svg(page: &Page, tables: &[Table]) -> String {
    let (w, h) = (page.width.max(1.0), page.height.max(1.0));
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.1}" height="{h:.1}" viewBox="0 0 {w:.2} {h:.2}">"#
    );
    let _ = writeln!(s, "<title>page {} tables</title>", page.number);
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{w:.2}" height="{h:.2}" fill="#fff" stroke="#888" stroke-width="0.5"/>"##
    );
    // Text, light, so the grid stands out.
    let _ = writeln!(s, r##"<g fill="#999" font-family="sans-serif">"##);
    for g in page
        .glyphs
        .iter()
        .filter(|g| g.visible && g.bbox.is_finite())
    {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="{}">{}</text>"#,
            F2(g.bbox.x0),
            F2(g.bbox.y1 - g.bbox.height() * 0.15),
            F2(g.bbox.height().max(1.0) * 0.8),
            escape(&g.text)
        );
    }
    s.push_str("</g>\n");
    for (ti, t) in tables.iter().enumerate() {
        for (ri, region) in t.regions.iter().enumerate() {
            if region.page != page.number {
                continue;
            }
            let first = ri == 0;
            let rows = rows_in_region(t, region, first);
            let xs = &region.col_edges;
            let ys = &region.row_edges;
            // Header rows tinted, body cells outlined.
            for (band, &row) in rows.iter().enumerate() {
                let (Some(&y0), Some(&y1)) = (ys.get(band), ys.get(band + 1)) else {
                    break;
                };
                let header = row < t.header.len();
                let repaired = row >= t.header.len()
                    && t.repairs
                        .iter()
                        .any(|r| r.row == Some(row - t.header.len()));
                for pair in xs.windows(2) {
                    let [x0, x1] = *pair else { continue };
                    let fill = if header { "#cfe3ff" } else { "none" };
                    let _ = writeln!(
                        s,
                        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" fill-opacity="0.5" stroke="#1f77b4" stroke-width="0.4"/>"##,
                        F2(x0),
                        F2(y0),
                        F2(x1 - x0),
                        F2(y1 - y0)
                    );
                }
                if repaired {
                    let _ = writeln!(
                        s,
                        r##"<rect x="{:.2}" y="{y0:.2}" width="3" height="{:.2}" fill="#d62728"/>"##,
                        xs.first().copied().unwrap_or(0.0) - 4.0,
                        y1 - y0
                    );
                }
            }
            // Spans shaded.
            for sp in &t.spans {
                let Some(band) = rows.iter().position(|&r| r == sp.row) else {
                    continue;
                };
                let (Some(&x0), Some(&x1), Some(&y0)) =
                    (xs.get(sp.col), xs.get(sp.col + sp.cols), ys.get(band))
                else {
                    continue;
                };
                let y1 = ys.get(band + sp.rows).or(ys.last()).copied().unwrap_or(y0);
                let _ = writeln!(
                    s,
                    r##"<rect x="{x0:.2}" y="{y0:.2}" width="{:.2}" height="{:.2}" fill="#ffbf00" fill-opacity="0.3" stroke="#ff7f0e" stroke-width="0.8"/>"##,
                    x1 - x0,
                    y1 - y0
                );
            }
            // Label: table number, title, method and repairs.
            let mut kinds: Vec<(String, usize)> = Vec::new();
            for r in &t.repairs {
                match kinds.iter_mut().find(|(k, _)| *k == r.kind) {
                    Some((_, n)) => *n += 1,
                    None => kinds.push((r.kind.clone(), 1)),
                }
            }
            let repairs: Vec<String> = kinds.iter().map(|(k, n)| format!("{k}×{n}")).collect();
            let _ = writeln!(
                s,
                r##"<text x="{:.2}" y="{:.2}" font-size="7" fill="#d62728" font-family="sans-serif">#{ti} {} · {:?} · {}</text>"##,
                region.bbox.x0,
                (region.bbox.y0 - 2.0).max(7.0),
                escape(t.title.as_deref().unwrap_or("(untitled)")),
                t.method,
                escape(&repairs.join(", "))
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Method, Repair, Span};
    use gongkai_extract::Rect;

    #[test]
    fn cells_spans_headers_and_repairs_are_drawn() {
        let t = Table {
            ocr: false,
            title: Some("表<一>".into()),
            caption: vec![],
            notes: vec![],
            pages: vec![1],
            method: Method::Lattice,
            header: vec![vec!["项目".into(), "".into()]],
            rows: vec![vec!["201".into(), "1.00".into()]],
            row_pages: vec![1],
            spans: vec![Span {
                row: 0,
                col: 0,
                rows: 1,
                cols: 2,
            }],
            repairs: vec![Repair {
                kind: "split_row_merged".into(),
                page: Some(1),
                row: Some(0),
                detail: String::new(),
            }],
            regions: vec![Region {
                page: 1,
                bbox: Rect {
                    x0: 10.0,
                    y0: 10.0,
                    x1: 110.0,
                    y1: 50.0,
                },
                col_edges: vec![10.0, 60.0, 110.0],
                row_edges: vec![10.0, 30.0, 50.0],
            }],
        };
        let page = Page {
            number: 1,
            width: 200.0,
            height: 100.0,
            ..Page::default()
        };
        let svg = tables_svg(&page, &[t]);
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("stroke=\"#1f77b4\"").count(), 4);
        assert_eq!(svg.matches("#cfe3ff").count(), 2);
        assert_eq!(svg.matches("#ffbf00").count(), 1);
        assert!(svg.contains("fill=\"#d62728\"/>"));
        assert!(svg.contains("表&lt;一&gt;") && svg.contains("split_row_merged×1"));
    }

    #[test]
    fn f2_writes_what_fmt_writes() {
        let mut values = vec![
            0.0f32,
            -0.0,
            0.005,
            -0.005,
            0.015,
            0.125,
            0.375,
            2.675,
            1.005,
            99.995,
            -99.995,
            841.88,
            595.28,
            1.0e11,
            -1.0e11,
            1.0e12,
            f32::NAN,
            f32::INFINITY,
            -f32::INFINITY,
            f32::MIN_POSITIVE,
            1.0e-30,
        ];
        // Exact ties (k/8) and a deterministic spread of page coordinates.
        values.extend((0..4000).map(|k| k as f32 / 8.0 - 250.0));
        let mut x: u32 = 12345;
        for _ in 0..20000 {
            x = x.wrapping_mul(1664525).wrapping_add(1013904223);
            values.push(f32::from_bits(x) % 5000.0);
            values.push((x >> 8) as f32 / 1024.0);
        }
        for v in values {
            assert_eq!(F2(v).to_string(), format!("{v:.2}"), "{v:?}");
        }
    }
}
