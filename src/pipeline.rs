//! One file through all three stages: extract → tables → normalize.

use crate::provenance::{sha256_hex, Tool};
use gongkai_extract::{Format, Options};
use gongkai_normalize::schema;
use gongkai_tables::Settings;
use std::path::Path;

/// Convert one file's bytes into the contract document. Never fails: a file that
/// cannot be read gives a document with an error diagnostic.
pub fn process_bytes(
    bytes: &[u8],
    path: &Path,
    display: &str,
    opts: &Options,
    tables: &Settings,
) -> schema::Document {
    process_hashed(bytes, sha256_hex(bytes), path, display, opts, tables)
}

/// [`process_bytes`] with the bytes' [`sha256_hex`] already computed (convert
/// hashes each file once, to tell whether its output is current).
pub fn process_hashed(
    bytes: &[u8],
    sha256: String,
    path: &Path,
    display: &str,
    opts: &Options,
    tables: &Settings,
) -> schema::Document {
    process_drawing(bytes, sha256, path, display, opts, tables, None).0
}

/// [`process_hashed`], and when `draw` names a folder, the pages holding
/// tables drawn into it for the review site while they are in memory
/// ([`crate::drawing`]). The drawing's result is `None` when none was asked
/// for or the file has no pages (a text dump, an unreadable file).
#[allow(clippy::too_many_arguments)]
pub fn process_drawing(
    bytes: &[u8],
    sha256: String,
    path: &Path,
    display: &str,
    opts: &Options,
    tables: &Settings,
    draw: Option<&Path>,
) -> (
    schema::Document,
    Option<Result<crate::drawing::Drawing, crate::drawing::DrawError>>,
) {
    let format = gongkai_extract::sniff_format(bytes, Some(path));
    let mut source = schema::Source {
        file: display.to_string(),
        sha256,
        format: match format {
            Format::Pdf => "pdf".into(),
            Format::Text => "text".into(),
        },
        pages: 0,
        partial: false,
        ocr_pages: Vec::new(),
    };
    let doc = match gongkai_extract::open_bytes(bytes, Some(path), opts) {
        Ok(d) => d,
        Err(e) => {
            return (
                schema::Document::failed(source, "extract", e.to_string()),
                None,
            )
        }
    };
    source.pages = doc.page_count;
    source.partial = doc.damaged;
    let sha256 = source.sha256.clone();
    let layout = gongkai_tables::find_tables(&doc, tables);
    let out = gongkai_normalize::normalize(source, &layout);
    let drawing = match draw {
        Some(dir) if format == Format::Pdf && !out.tables.is_empty() => {
            let wanted = crate::drawing::wanted_pages(&out);
            Some(crate::drawing::draw(
                &doc, &layout, &wanted, &sha256, tables, dir,
            ))
        }
        _ => None,
    };
    (out, drawing)
}

/// The output file: the contract document plus the `tool` stamp and the
/// `settings` stamp ([`crate::settings::UserSettings::stamp`] of the settings
/// it was made with; both added fields, which the contract allows),
/// pretty-printed, newline-terminated.
pub fn output_json(doc: &schema::Document, settings: &str) -> serde_json::Result<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Stamped<'a> {
        #[serde(flatten)]
        doc: &'a schema::Document,
        tool: Tool,
        settings: &'a str,
    }
    let mut buf = serde_json::to_vec_pretty(&Stamped {
        doc,
        tool: Tool::current(),
        settings,
    })?;
    buf.push(b'\n');
    Ok(buf)
}
