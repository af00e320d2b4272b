//! `inspect --svg DIR`: one SVG per page showing what extraction read — the
//! page box, every glyph box (coloured by font, with its text; dashed when the
//! glyph is not visible) and every ruling line (red; colour by how it was
//! drawn) — so a user can open it in a browser and see why a table came out
//! the way it did.

use anyhow::{Context, Result};
use gongkai_extract::{Document, Page, RulingSource};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Distinct colours for fonts, assigned in order of first use on the page.
const PALETTE: [&str; 12] = [
    "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#ff7f0e",
    "#7f7f7f", "#393b79", "#637939", "#843c39",
];

/// Text made safe for XML and HTML (also used by the review pages).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

fn ruling_colour(s: RulingSource) -> &'static str {
    match s {
        RulingSource::Stroke => "#d62728",
        RulingSource::RectEdge => "#ff7f0e",
        RulingSource::FilledRect => "#e6008a",
        RulingSource::Bitmap => "#17becf",
    }
}

/// The SVG drawing of one page.
pub fn page_svg(page: &Page) -> String {
    let (w, h) = (page.width.max(1.0), page.height.max(1.0));
    let mut s = String::with_capacity(256 + page.glyphs.len() * 160 + page.rulings.len() * 100);
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.1}" height="{h:.1}" viewBox="0 0 {w:.2} {h:.2}">"#
    );
    let _ = writeln!(
        s,
        "<title>page {} ({} glyphs, {} rulings, rotation {})</title>",
        page.number,
        page.glyphs.len(),
        page.rulings.len(),
        page.rotation
    );
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{w:.2}" height="{h:.2}" fill="#fff" stroke="#888" stroke-width="0.5"/>"##
    );
    let mut fonts: Vec<&str> = Vec::new();
    s.push_str("<g id=\"glyphs\">\n");
    for g in &page.glyphs {
        let idx = match fonts.iter().position(|f| *f == g.font) {
            Some(i) => i,
            None => {
                fonts.push(&g.font);
                fonts.len() - 1
            }
        };
        let colour = PALETTE[idx % PALETTE.len()];
        let b = g.bbox;
        if !b.is_finite() {
            continue;
        }
        let dash = if g.visible {
            ""
        } else {
            r#" stroke-dasharray="1,1""#
        };
        let text = escape(&g.text);
        let _ = writeln!(
            s,
            r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" stroke-width="0.3"{dash}><title>{text} · {} {:.1}pt</title></rect>"#,
            b.x0,
            b.y0,
            b.width(),
            b.height(),
            escape(&g.font),
            g.size
        );
        if !text.trim().is_empty() {
            let fs = (b.height() * 0.8).max(1.0);
            let _ = writeln!(
                s,
                r#"<text x="{:.2}" y="{:.2}" font-size="{fs:.2}" fill="{colour}">{text}</text>"#,
                b.x0,
                b.y1 - b.height() * 0.2
            );
        }
    }
    s.push_str("</g>\n<g id=\"rulings\">\n");
    for r in &page.rulings {
        let _ = writeln!(
            s,
            r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="{}" stroke-width="{:.2}" stroke-opacity="0.8"><title>{:?} {:.2}pt</title></line>"#,
            r.x0,
            r.y0,
            r.x1,
            r.y1,
            ruling_colour(r.source),
            r.width.max(0.4),
            r.source,
            r.width
        );
    }
    s.push_str("</g>\n<g id=\"legend\" font-size=\"6\">\n");
    for (i, f) in fonts.iter().enumerate() {
        let _ = writeln!(
            s,
            r#"<text x="4" y="{:.1}" fill="{}">{}</text>"#,
            8.0 + 7.0 * i as f32,
            PALETTE[i % PALETTE.len()],
            escape(f)
        );
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// Write `page-NNN.svg` for every page of the document into `dir`; returns
/// the files written.
pub fn write_pages(doc: &Document, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for p in &doc.pages {
        let path = dir.join(format!("page-{:03}.svg", p.number));
        std::fs::write(&path, page_svg(p))
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_extract::{Direction, Glyph, Rect, Ruling};

    #[test]
    fn draws_page_glyphs_and_rulings() {
        let g = |text: &str, font: &str, x: f32, visible: bool| Glyph {
            text: text.into(),
            bbox: Rect {
                x0: x,
                y0: 10.0,
                x1: x + 10.0,
                y1: 20.0,
            },
            font: font.into(),
            size: 10.0,
            render_mode: 0,
            fill: [0.0; 3],
            visible,
            direction: Direction::Horizontal,
        };
        let page = Page {
            number: 2,
            width: 200.0,
            height: 100.0,
            glyphs: vec![
                g("预", "SimSun", 10.0, true),
                g("<&>", "SimHei", 20.0, false),
            ],
            rulings: vec![Ruling {
                x0: 0.0,
                y0: 50.0,
                x1: 200.0,
                y1: 50.0,
                width: 0.5,
                source: RulingSource::FilledRect,
            }],
            ..Page::default()
        };
        let svg = page_svg(&page);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"viewBox="0 0 200.00 100.00""#));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert_eq!(svg.matches("<line").count(), 1);
        assert!(svg.contains("&lt;&amp;&gt;") && !svg.contains("<&>"));
        // Two fonts, two colours; the invisible glyph is dashed.
        assert!(svg.contains(PALETTE[0]) && svg.contains(PALETTE[1]));
        assert_eq!(svg.matches("stroke-dasharray").count(), 1);
        assert!(svg.contains("FilledRect"));
    }
}
