//! # gongkai-extract — "what is on the page"
//!
//! Turns a PDF (or a text dump of one) into [`Document`]: upright pages of
//! positioned [`Glyph`]s and [`Ruling`] lines, coordinates in points from the
//! top left. It knows nothing of tables or budgets; its one job is to read
//! every character and every border the way a viewer would draw them.
//!
//! Text dumps (UTF-8, GBK/GB18030, UTF-16 with BOM) open into the same model:
//! one page per form feed, the raw lines kept in [`Page::dump_lines`].

pub mod error;
pub mod font;
pub mod geom;
pub mod glyph;
pub mod limits;
pub mod ocr;
pub mod options;
pub mod page;
pub mod pdf;
pub mod ruling;
pub mod sniff;
#[doc(hidden)]
pub mod testdata;
pub mod text_dump;

pub use error::ExtractError;
pub use geom::Rect;
pub use glyph::{Direction, Glyph};
pub use limits::Limits;
pub use options::Options;
pub use page::{Diagnostic, Document, Format, Level, Page, PageRepair};
pub use ruling::{Ruling, RulingSource};

use std::path::Path;

/// Guess the input format from the bytes (a PDF header anywhere in the first
/// KiB, as viewers accept), else from the extension.
pub fn sniff_format(bytes: &[u8], path: Option<&Path>) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    let ext = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("pdf") => Format::Pdf,
        _ => Format::Text,
    }
}

/// Read a file from disk (PDF or text dump, by content).
pub fn open_path(path: &Path, opts: &Options) -> Result<Document, ExtractError> {
    let bytes = read_regular(path, opts.limits.max_file_bytes)?;
    open_bytes(&bytes, Some(path), opts)
}

/// What a path that is not a regular file is, for the error message.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Read a regular file, at most `max` bytes. A FIFO, a device or a socket
/// (directly or through a symlink) is refused before it is opened, since
/// opening a FIFO blocks and a device may never end; a dangling symlink is
/// named as such. The read itself stops past `max`, so a file that grows
/// while being read cannot exhaust memory either.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, ExtractError> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            if let Ok(link) = std::fs::read_link(path) {
                return Err(ExtractError::NotRegular(format!(
                    "a dangling symbolic link to {}",
                    link.display()
                )));
            }
            return Err(e.into());
        }
    };
    if !meta.is_file() {
        return Err(ExtractError::NotRegular(kind_of(&meta).into()));
    }
    if meta.len() > max {
        return Err(ExtractError::TooLarge {
            size: meta.len(),
            limit: max,
        });
    }
    let file = std::fs::File::open(path)?;
    // Checked again on the open file: the path may have been swapped.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ExtractError::NotRegular(kind_of(&meta).into()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > max {
        return Err(ExtractError::TooLarge {
            size: read,
            limit: max,
        });
    }
    Ok(bytes)
}

/// Read a document from memory.
pub fn open_bytes(
    bytes: &[u8],
    path: Option<&Path>,
    opts: &Options,
) -> Result<Document, ExtractError> {
    match sniff_format(bytes, path) {
        Format::Pdf => pdf::open(bytes, opts),
        Format::Text => text_dump::open(bytes, opts),
    }
}
