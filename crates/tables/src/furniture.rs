//! Page furniture: page numbers in the head and foot bands, and running heads
//! and feet printed the same on most pages. Left out of tables and of the
//! running text; asked by the page reader and by the stream finder.

use crate::lines::TextLine;
use crate::settings::Settings;

/// A page number where furniture stands: in the head or foot band of the
/// page (`Settings::furniture_band`); a bare "1" in the body (万里's
/// placeholder paragraphs) is text.
pub fn is_page_furniture(line: &TextLine, page_height: f32, settings: &Settings) -> bool {
    let band = settings.furniture_band.min(page_height / 2.0);
    let in_band = line.bbox.y0 < band || line.bbox.y1 > page_height - band;
    in_band && is_page_number(&line.text)
}

/// Lines printed as page numbers ("5", "- 5 -", "第5页", "5/20"). A line of
/// two numbers set apart ("22 53", the 行次 of a row whose labels wrapped onto
/// lines of their own) is a table row, not a page number.
pub fn is_page_number(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let numbers_apart = tokens
        .windows(2)
        .any(|w| w.iter().all(|t| t.chars().all(|c| c.is_ascii_digit())));
    if numbers_apart {
        return false;
    }
    let s: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = s.trim_matches(['-', '—', '－', '–']);
    if !inner.is_empty() && inner.len() <= 4 && inner.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some((a, b)) = inner.split_once('/') {
        return !a.is_empty()
            && !b.is_empty()
            && (a.to_string() + b).chars().all(|c| c.is_ascii_digit());
    }
    s.starts_with('第') && s.ends_with('页') && s.chars().count() <= 12
}

/// Remove running heads and feet from the pages' text: a line printed the
/// same on at least three pages and on half the pages or more.
pub fn drop_running_heads(blocks: Vec<crate::table::TextBlock>) -> Vec<crate::table::TextBlock> {
    if blocks.len() < 3 {
        return blocks;
    }
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for b in &blocks {
        let mut seen: Vec<String> = b
            .lines
            .iter()
            .map(|l| l.split_whitespace().collect())
            .collect();
        seen.sort();
        seen.dedup();
        for l in seen {
            *counts.entry(l).or_default() += 1;
        }
    }
    let n = blocks.len();
    blocks
        .into_iter()
        .map(|mut b| {
            b.lines.retain(|l| {
                let key: String = l.split_whitespace().collect();
                let c = counts.get(&key).copied().unwrap_or(0);
                key.is_empty() || !(c >= 3 && c * 2 >= n)
            });
            b
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::TextBlock;

    #[test]
    fn page_numbers_are_furniture_only_in_the_head_and_foot() {
        let line = |text: &str, y0: f32| TextLine {
            page: 1,
            text: text.into(),
            bbox: gongkai_extract::Rect {
                x0: 280.0,
                y0,
                x1: 300.0,
                y1: y0 + 10.0,
            },
            glyphs: Vec::new(),
        };
        let s = Settings::default();
        assert!(is_page_furniture(&line("- 5 -", 812.0), 842.0, &s));
        assert!(is_page_furniture(&line("5", 20.0), 842.0, &s));
        assert!(!is_page_furniture(&line("1", 400.0), 842.0, &s));
        assert!(!is_page_furniture(&line("一、项目概述", 812.0), 842.0, &s));
    }

    #[test]
    fn page_numbers_and_running_heads_are_furniture() {
        for t in ["5", "- 5 -", "— 12 —", "第 3 页", "3/20"] {
            assert!(is_page_number(t), "{t}");
        }
        assert!(!is_page_number("201 一般公共服务支出"));
        assert!(!is_page_number("22 53"));
        let blocks: Vec<TextBlock> = (1..=4)
            .map(|p| TextBlock {
                page: p,
                lines: vec!["上海市XX局 2024年度部门决算".into(), format!("第{p}段正文")],
            })
            .collect();
        let out = drop_running_heads(blocks);
        assert!(out
            .iter()
            .all(|b| b.lines.len() == 1 && b.lines[0].ends_with("段正文")));
    }
}
