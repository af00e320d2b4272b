//! The tesseract command: is it there with the language, run it on one page
//! image, and read its TSV (one row per page, block, paragraph, line and
//! word, each with its box in pixels).

use super::error::OcrError;
use super::run::run;
use super::settings::Settings;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

const PACKAGES: &str = "tesseract-ocr tesseract-ocr-chi-sim";

/// Whether `tesseract` runs and has `lang` (asked once per process).
pub fn available(lang: &str) -> Result<(), OcrError> {
    static LANGS: OnceLock<Result<Vec<String>, String>> = OnceLock::new();
    let langs = LANGS.get_or_init(|| {
        match Command::new("tesseract")
            .arg("--list-langs")
            .env("OMP_THREAD_LIMIT", "1")
            .output()
        {
            Ok(o) => Ok(String::from_utf8_lossy(&o.stdout)
                .lines()
                .skip(1)
                .map(|l| l.trim().to_string())
                .collect()),
            Err(e) => Err(e.to_string()),
        }
    });
    match langs {
        Err(_) => Err(OcrError::Missing {
            program: "tesseract",
            packages: PACKAGES,
        }),
        Ok(l) if !l.iter().any(|x| x == lang) => Err(OcrError::NoLanguage { lang: lang.into() }),
        Ok(_) => Ok(()),
    }
}

/// Recognise `image` (at `dpi`) into TSV text, files in `dir`.
pub fn run_tsv(
    image: &Path,
    dir: &Path,
    dpi: u32,
    settings: &Settings,
    deadline: Instant,
) -> Result<String, OcrError> {
    let base = dir.join("ocr");
    let mut cmd = Command::new("tesseract");
    cmd.arg(image)
        .arg(&base)
        .args(["-l", settings.lang, "--psm"])
        .arg(settings.psm.to_string())
        .arg("--dpi")
        .arg(dpi.to_string())
        .args(["-c", "preserve_interword_spaces=1", "tsv"])
        // One thread per page: files already run in parallel, and a
        // single thread gives the same result every run.
        .env("OMP_THREAD_LIMIT", "1");
    run(
        &mut cmd,
        "tesseract",
        PACKAGES,
        &dir.join("ocr.err"),
        deadline,
    )?;
    let tsv = base.with_extension("tsv");
    let text = std::fs::read_to_string(&tsv)?;
    let _ = std::fs::remove_file(tsv);
    Ok(text)
}

/// One recognised word, its box in pixels, with the box of its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
    pub conf: f32,
    pub line_top: u32,
    pub line_height: u32,
}

/// The words of tesseract's TSV, in its reading order. Rows that do not
/// parse are skipped; a word keeps the box of the line it is on.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut line = (0u32, 0u32);
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 {
            continue;
        }
        let num = |i: usize| f.get(i).and_then(|s| s.trim().parse::<u32>().ok());
        let (Some(level), Some(left), Some(top), Some(width), Some(height)) =
            (num(0), num(6), num(7), num(8), num(9))
        else {
            continue;
        };
        match level {
            4 => line = (top, height),
            5 => {
                let text = f
                    .get(11..)
                    .unwrap_or_default()
                    .join("\t")
                    .trim()
                    .to_string();
                let conf = f
                    .get(10)
                    .and_then(|c| c.trim().parse::<f32>().ok())
                    .unwrap_or(-1.0);
                if text.is_empty() || conf < 0.0 {
                    continue;
                }
                out.push(Word {
                    text,
                    left,
                    top,
                    width,
                    height,
                    conf,
                    line_top: line.0,
                    line_height: line.1,
                });
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_keep_their_line_box() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t1241\t1754\t-1\t\n\
                   4\t1\t1\t1\t1\t0\t90\t300\t500\t40\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t90\t310\t44\t23\t95.4\t单位\n\
                   5\t1\t1\t1\t1\t2\t146\t310\t26\t22\t93.2\t743.81\n\
                   5\t1\t1\t1\t1\t3\t146\t310\t26\t22\t-1\t\n\
                   5\tbroken\n";
        let w = parse_tsv(tsv);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].text, "单位");
        assert_eq!((w[1].left, w[1].line_top, w[1].line_height), (146, 300, 40));
    }
}
