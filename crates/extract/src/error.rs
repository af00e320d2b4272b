//! Typed errors of the extraction stage. A file-level error means nothing
//! could be read; page-level trouble becomes a `Diagnostic` instead.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ExtractError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file: nothing to read")]
    Empty,
    #[error("not a PDF: {0}")]
    NotPdf(String),
    #[error("truncated PDF: {0}")]
    Truncated(String),
    #[error("damaged PDF: {0}")]
    Damaged(String),
    #[error("encrypted PDF needs a password")]
    Encrypted,
    #[error("not a regular file ({0}); only regular files are read")]
    NotRegular(String),
    #[error(
        "file too large: {size} bytes; {}",
        crate::limits::hit("max_file_bytes", limit)
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("unrecognised text encoding: {0}")]
    Encoding(String),
    /// A limit stopped the work; the text comes from [`crate::limits::hit`].
    #[error("{0}")]
    Limit(String),
}
