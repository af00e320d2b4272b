//! Tables embedded as HTML in a text dump (`<table>` with `<thead>`,
//! `colspan`, `rowspan`, `<br>`): a small reader of just that markup, giving
//! the grid, its spans and the header-row count.

use crate::rows::join_text;
use crate::table::Span;

/// Parse the rows of an HTML table fragment: `<tr>` of `<td>`/`<th>` with
/// colspan/rowspan placed on a grid. Returns rows, spans and the number of
/// rows inside `<thead>`.
pub fn parse_html(html: &str) -> (Vec<Vec<String>>, Vec<Span>, usize) {
    let lower = html.to_ascii_lowercase();
    let mut grid: Vec<Vec<Option<String>>> = Vec::new();
    let mut spans = Vec::new();
    let mut thead_rows = 0usize;
    let mut pos = 0usize;
    let mut r = 0usize;
    while let Some(tr) = lower.get(pos..).and_then(|s| s.find("<tr")) {
        let tr_start = pos + tr;
        let tr_end = lower
            .get(tr_start..)
            .and_then(|s| s.find("</tr>"))
            .map(|e| tr_start + e)
            .unwrap_or(lower.len());
        let in_thead = {
            let before = lower.get(..tr_start).unwrap_or("");
            before
                .rfind("<thead")
                .is_some_and(|t| before.rfind("</thead>").is_none_or(|c| c < t))
        };
        if in_thead {
            thead_rows += 1;
        }
        while grid.len() <= r {
            grid.push(Vec::new());
        }
        let mut c = 0usize;
        let mut p = tr_start;
        loop {
            let seg = lower.get(p..tr_end).unwrap_or("");
            let td = match (seg.find("<td"), seg.find("<th")) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            let open = p + td;
            let Some(gt) = lower.get(open..).and_then(|s| s.find('>')) else {
                break;
            };
            let attrs = lower.get(open..open + gt).unwrap_or("");
            // `<thead` also starts with `<th`: skip it.
            if attrs.starts_with("<thead") {
                p = open + gt + 1;
                continue;
            }
            let content_start = open + gt + 1;
            let close = lower
                .get(content_start..tr_end)
                .and_then(|s| {
                    let a = s.find("</td");
                    let b = s.find("</th");
                    match (a, b) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (x, y) => x.or(y),
                    }
                })
                .map(|e| content_start + e)
                .unwrap_or(tr_end);
            let text = html_text(html.get(content_start..close).unwrap_or(""));
            let colspan = attr_num(attrs, "colspan").clamp(1, 64);
            let rowspan = attr_num(attrs, "rowspan").clamp(1, 256);
            // Skip grid positions taken by rowspans from above.
            while grid
                .get(r)
                .and_then(|row| row.get(c))
                .is_some_and(|x| x.is_some())
            {
                c += 1;
            }
            for rr in r..r + rowspan {
                while grid.len() <= rr {
                    grid.push(Vec::new());
                }
                if let Some(row) = grid.get_mut(rr) {
                    if row.len() < c + colspan {
                        row.resize(c + colspan, None);
                    }
                    for cc in c..c + colspan {
                        if let Some(x) = row.get_mut(cc) {
                            *x = Some(if rr == r && cc == c {
                                text.clone()
                            } else {
                                String::new()
                            });
                        }
                    }
                }
            }
            if colspan > 1 || rowspan > 1 {
                spans.push(Span {
                    row: r,
                    col: c,
                    rows: rowspan,
                    cols: colspan,
                });
            }
            c += colspan;
            p = close.max(content_start) + 1;
            if grid.len() > 10_000 {
                break;
            }
        }
        r += 1;
        pos = tr_end + 1;
        if pos >= lower.len() {
            break;
        }
    }
    let rows = grid
        .into_iter()
        .filter(|row| !row.is_empty())
        .map(|row| row.into_iter().map(|x| x.unwrap_or_default()).collect())
        .collect();
    (rows, spans, thead_rows)
}

fn attr_num(attrs: &str, name: &str) -> usize {
    let Some(p) = attrs.find(name) else { return 1 };
    let rest = attrs.get(p + name.len()..).unwrap_or("");
    let digits: String = rest
        .trim_start_matches(|c: char| c == '=' || c == '"' || c == '\'' || c.is_whitespace())
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().unwrap_or(1)
}

/// Text of an HTML cell: tags removed (`<br>` and `</p>` as breaks, joined
/// without space between CJK), entities decoded.
fn html_text(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace()
        .fold(String::new(), |acc, w| join_text(&acc, w))
}
