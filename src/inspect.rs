//! `gongkai inspect`: one file, one stage, as JSON Lines on stdout (and SVG).

use crate::cli::{parse_pages, InspectArgs, Stage};
use anyhow::{anyhow, bail, Context, Result};
use gongkai_extract::Options;
use serde_json::json;
use std::io::{BufWriter, Write};

pub fn run(args: InspectArgs) -> Result<u8> {
    crate::cli::one_file(&args.file, "inspect")?;
    if args.steps && args.stage != Stage::Tables {
        bail!("--steps shows the steps of the tables stage: add --stage tables");
    }
    if let Some(dir) = args.svg.as_ref().filter(|d| d.exists() && !d.is_dir()) {
        bail!(
            "--svg {} is a file; give a directory (it is created when missing)",
            dir.display()
        );
    }
    let pages = match &args.pages {
        Some(spec) => Some(parse_pages(spec).map_err(|e| anyhow!("--pages: {e}"))?),
        None => None,
    };
    let settings = crate::cli::user_settings(args.settings.as_deref(), &args.limits)?;
    let opts = Options {
        pages,
        limits: settings.limits,
        ocr: args.ocr.mode()?,
    };
    let settings = settings.tables;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.stage == Stage::Json {
        let bytes = std::fs::read(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
        let doc = gongkai::pipeline::process_bytes(
            &bytes,
            &args.file,
            &args.file.display().to_string(),
            &opts,
            &settings,
        );
        pages_in_range(&opts, doc.source.pages, &args)?;
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(0);
    }
    let doc = gongkai_extract::open_path(&args.file, &opts)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    pages_in_range(&opts, doc.page_count, &args)?;
    for d in &doc.diagnostics {
        eprintln!("{:?} page {:?}: {}", d.level, d.page, d.message);
    }
    let mut svg_files = match &args.svg {
        Some(dir) => crate::svg::write_pages(&doc, dir)?.len(),
        None => 0,
    };
    match args.stage {
        Stage::Glyphs => {
            for p in &doc.pages {
                for g in &p.glyphs {
                    let line = json!({"page": p.number, "text": g.text, "box": points(&g.bbox),
                        "font": g.font, "size": g.size, "visible": g.visible});
                    writeln!(out, "{line}")?;
                }
            }
        }
        Stage::Lines => {
            for p in &doc.pages {
                if !p.dump_lines.is_empty() {
                    for l in &p.dump_lines {
                        writeln!(out, "{}", json!({"page": p.number, "text": l}))?;
                    }
                    continue;
                }
                for l in gongkai_tables::text_lines(p, &settings) {
                    let size = l
                        .glyphs
                        .first()
                        .and_then(|&i| p.glyphs.get(i))
                        .map(|g| g.size);
                    let font = l
                        .glyphs
                        .first()
                        .and_then(|&i| p.glyphs.get(i))
                        .map(|g| g.font.clone());
                    let line = json!({"page": p.number, "text": l.text,
                        "box": points(&l.bbox), "font": font, "size": size});
                    writeln!(out, "{line}")?;
                }
            }
        }
        Stage::Tables => {
            // Each table as a grid: title, pages, method, repairs, then the
            // rows (header rows marked H); with --svg, the cells on each page.
            let (layout, traces) = if args.steps {
                let (layout, traces) = gongkai_tables::find_tables_traced(&doc, &settings);
                (layout, Some(traces))
            } else {
                (gongkai_tables::find_tables(&doc, &settings), None)
            };
            for (i, t) in layout.tables.iter().enumerate() {
                writeln!(out, "=== table {i}")?;
                if let Some(trace) = traces.as_ref().and_then(|ts| ts.get(i)) {
                    // The finder's grid, each step that changed it, then the table.
                    writeln!(out, "--- found")?;
                    write!(out, "{}", trace.found)?;
                    for (name, grid) in &trace.steps {
                        writeln!(out, "--- step {name}")?;
                        write!(out, "{grid}")?;
                    }
                    writeln!(out, "--- table")?;
                }
                write!(out, "{}", t.to_text())?;
            }
            if let Some(dir) = &args.svg {
                for p in doc.pages.iter().filter(|p| p.dump_lines.is_empty()) {
                    let path = dir.join(format!("tables-{:03}.svg", p.number));
                    std::fs::write(&path, gongkai_tables::svg::tables_svg(p, &layout.tables))
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    svg_files += 1;
                }
            }
        }
        Stage::Json => unreachable!("handled above"),
    }
    out.flush()?;
    if let Some(dir) = &args.svg {
        // Counted once all are written: the tables stage adds its own.
        let s = if svg_files == 1 { "" } else { "s" };
        eprintln!(
            "gongkai: wrote {svg_files} SVG file{s} to {}",
            dir.display()
        );
    }
    Ok(0)
}

/// Pages asked for that the file does not have are a usage error: printing
/// nothing and exiting 0 would look like an empty page. (A file that could
/// not be read at all reports 0 pages and says so in its diagnostics.)
fn pages_in_range(opts: &Options, count: u32, args: &InspectArgs) -> Result<()> {
    let Some(pages) = &opts.pages else {
        return Ok(());
    };
    let beyond: Vec<String> = pages
        .iter()
        .filter(|&&p| p > count)
        .map(u32::to_string)
        .collect();
    if beyond.is_empty() || count == 0 {
        return Ok(());
    }
    bail!(
        "--pages {}: {} has {count} pages; choose pages from 1 to {count}",
        beyond.join(","),
        args.file.display()
    )
}

/// A box in points to a thousandth (the f32 coordinates printed in full read
/// 303.8399963378906 for 303.84).
fn points(r: &gongkai_extract::Rect) -> [f64; 4] {
    [r.x0, r.y0, r.x1, r.y1].map(|v| (f64::from(v) * 1000.0).round() / 1000.0)
}
