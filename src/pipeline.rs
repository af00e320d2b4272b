//! One file through all three stages: extract → tables → normalize.

use gongkai_extract::{Format, Options};
use gongkai_normalize::schema;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Hex sha256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Convert one file's bytes into the contract document. Never fails: a file that
/// cannot be read gives a document with an error diagnostic.
pub fn process_bytes(bytes: &[u8], path: &Path, display: &str, opts: &Options) -> schema::Document {
    process_hashed(bytes, sha256_hex(bytes), path, display, opts)
}

/// [`process_bytes`] with the bytes' [`sha256_hex`] already computed (convert
/// hashes each file once, to tell whether its output is current).
pub fn process_hashed(
    bytes: &[u8],
    sha256: String,
    path: &Path,
    display: &str,
    opts: &Options,
) -> schema::Document {
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
        Err(e) => return schema::Document::failed(source, "extract", e.to_string()),
    };
    source.pages = doc.page_count;
    source.partial = doc.damaged;
    let layout = gongkai_tables::find_tables(&doc, &gongkai_tables::Settings::default());
    gongkai_normalize::normalize(source, &layout)
}

/// The program that wrote an output, recorded in every JSON `convert` writes
/// so a later run knows whether the output is current.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    /// This build.
    pub fn current() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The output file: the contract document plus the `tool` stamp (an added
/// field, which the contract allows), pretty-printed, newline-terminated.
pub fn output_json(doc: &schema::Document) -> serde_json::Result<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Stamped<'a> {
        #[serde(flatten)]
        doc: &'a schema::Document,
        tool: Tool,
    }
    let mut buf = serde_json::to_vec_pretty(&Stamped {
        doc,
        tool: Tool::current(),
    })?;
    buf.push(b'\n');
    Ok(buf)
}
